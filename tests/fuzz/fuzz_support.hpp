#pragma once
// Shared by the libFuzzer harnesses: the readers under test take file paths (they check what the
// path names before reading), so each input is handed to them as a regular file without a disk
// write per execution: an in-memory file (memfd) named /proc/self/fd/N, or, for HDF5 (which
// resolves that name to "/memfd:... (deleted)" and fails), a file in /dev/shm.
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

namespace clusternet::fuzz {

class MemoryFile {
 public:
  enum class Kind { memfd, shared_memory_path };
  explicit MemoryFile(const char* name, Kind kind = Kind::memfd) {
    if (kind == Kind::memfd) {
      fd_ = ::memfd_create(name, MFD_CLOEXEC);
      path_ = "/proc/self/fd/" + std::to_string(fd_);
    } else {
      const char* folder = ::access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
      path_ = std::string(folder) + "/clusternet-fuzz-" + std::to_string(::getpid()) + "-" + name;
      fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
      unlink_ = true;
    }
    if (fd_ < 0) std::abort();
  }
  MemoryFile(const MemoryFile&) = delete;
  MemoryFile& operator=(const MemoryFile&) = delete;
  ~MemoryFile() {
    ::close(fd_);
    if (unlink_) ::unlink(path_.c_str());
  }

  // Replaces the file's contents; returns its path.
  const std::string& hold(std::string_view bytes) {
    if (::ftruncate(fd_, 0) != 0) std::abort();
    std::size_t done = 0;
    while (done < bytes.size()) {
      const ssize_t n = ::pwrite(fd_, bytes.data() + done, bytes.size() - done, static_cast<off_t>(done));
      if (n <= 0) std::abort();
      done += static_cast<std::size_t>(n);
    }
    return path_;
  }

 private:
  int fd_ = -1;
  std::string path_;
  bool unlink_ = false;
};

// Splits `input` at the first occurrence of `separator`: {before, after}; after is empty (and
// `found` false) when there is none.
inline std::pair<std::string_view, std::string_view> split_once(std::string_view input, std::string_view separator,
                                                                bool& found) {
  const auto at = input.find(separator);
  found = at != std::string_view::npos;
  if (!found) return {input, {}};
  return {input.substr(0, at), input.substr(at + separator.size())};
}

}  // namespace clusternet::fuzz
