#pragma once
// Shared by the libFuzzer harnesses: the readers under test take file paths (they check what the
// path names before reading), so each input is handed to them as an in-memory file (memfd) named
// /proc/self/fd/N: a regular file, without a disk write per execution.
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
  explicit MemoryFile(const char* name) : fd_(::memfd_create(name, MFD_CLOEXEC)) {
    if (fd_ < 0) std::abort();
    path_ = "/proc/self/fd/" + std::to_string(fd_);
  }
  MemoryFile(const MemoryFile&) = delete;
  MemoryFile& operator=(const MemoryFile&) = delete;
  ~MemoryFile() { ::close(fd_); }

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
  int fd_;
  std::string path_;
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
