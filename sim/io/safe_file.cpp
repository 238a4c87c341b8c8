#include "io/safe_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <fmt/format.h>

#include "core/cancel.hpp"
#include "core/error.hpp"

namespace clusternet::io {

namespace fs = std::filesystem;

namespace {

[[noreturn]] void fail(const std::string& path, std::string message, std::string key = {}, std::string valid = {}) {
  throw Error(ErrorInfo{std::move(message), {path, 0, 0}, std::move(key), {}, std::move(valid)});
}

std::string kind_of(mode_t mode) {
  if (S_ISREG(mode)) return "a regular file";
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISLNK(mode)) return "a symbolic link";
  return "not a regular file";
}

// Retries a system call interrupted by a signal (the run installs SIGINT/SIGTERM handlers
// without SA_RESTART semantics being guaranteed for every call).
template <typename Call>
auto retry(Call call) {
  while (true) {
    const auto result = call();
    if (result >= 0 || errno != EINTR) return result;
  }
}

void sync_directory_of(const std::string& path) {
  // Makes the new directory entry durable too. Best effort: some file systems refuse fsync on a
  // directory (EINVAL), and by now the file itself is complete and published.
  fs::path folder = fs::path(path).parent_path();
  if (folder.empty()) folder = ".";
  const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  (void)::fsync(fd);
  ::close(fd);
}

std::string conflict_message(const std::string& key) {
  return fmt::format(
      "the file appeared while this process was writing it (another run writing the same file?); it was left as "
      "it is and this result was not kept: choose another {}{}",
      key.empty() ? "output" : key, key == "--output" || key == "-o" ? ", or pass --force to replace it" : "");
}

}  // namespace

FileDescriptor& FileDescriptor::operator=(FileDescriptor&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.release();
  }
  return *this;
}

FileDescriptor::~FileDescriptor() {
  if (fd_ >= 0) ::close(fd_);
}

std::string describe_file_kind(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return errno == ENOENT ? "missing" : std::error_code(errno, std::generic_category()).message();
  return kind_of(st.st_mode);
}

FileDescriptor open_regular_input(const std::string& path) {
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer, forever.
  FileDescriptor fd(retry([&] { return ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK); }));
  if (fd.get() < 0) {
    if (errno == ENOENT) fail(path, "no such file", {}, "an existing regular file");
    fail(path, std::string("cannot open the file: ") + std::error_code(errno, std::generic_category()).message());
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) fail(path, std::string("cannot examine the file: ") + std::error_code(errno, std::generic_category()).message());
  if (!S_ISREG(st.st_mode))
    fail(path, "not a regular file: it is " + kind_of(st.st_mode), {},
         "a regular file (devices, FIFOs and directories are refused: they can block or never end)");
  const int flags = ::fcntl(fd.get(), F_GETFL);
  if (flags >= 0) (void)::fcntl(fd.get(), F_SETFL, flags & ~O_NONBLOCK);
  return fd;
}

void require_regular_input(const std::string& path) { open_regular_input(path); }

void check_publishable(const std::string& path, bool replace, const std::string& key) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return;
    fail(path, std::string("cannot examine the output path: ") + std::error_code(errno, std::generic_category()).message(), key);
  }
  if (S_ISREG(st.st_mode)) {
    if (!replace) fail(path, "the output file exists; pass --force to replace it", key);
    return;
  }
  fail(path, "the output path is " + kind_of(st.st_mode) + "; only a regular file is ever replaced", key,
       "a new file name, or an existing regular file with --force");
}

// ---- PendingFile ---------------------------------------------------------------------------------

PendingFile::PendingFile(std::string target) : target_(std::move(target)) {
  static std::atomic<std::uint64_t> counter{0};
  const auto pid = static_cast<unsigned long long>(::getpid());
  for (int attempt = 0; attempt < 100; ++attempt) {
    // Unique per process (pid) and per call (counter); the clock only makes a name left by a
    // killed process with a recycled pid unlikely to collide, and O_EXCL settles it when it does.
    const auto ticks = static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
    const std::uint64_t tag = (counter.fetch_add(1) << 20) ^ (ticks & 0xFFFFF);
    temporary_ = fmt::format("{}.{}-{:x}.partial", target_, pid, tag);
    fd_ = FileDescriptor(retry([&] { return ::open(temporary_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666); }));
    if (fd_.get() >= 0) return;
    if (errno != EEXIST) {
      const std::string reason = std::error_code(errno, std::generic_category()).message();
      temporary_.clear();
      fail(target_, "cannot create the output file: " + reason);
    }
  }
  temporary_.clear();
  fail(target_, "cannot find an unused temporary name next to the output file");
}

PendingFile::~PendingFile() {
  if (!published_ && !temporary_.empty()) {
    fd_ = FileDescriptor();
    ::unlink(temporary_.c_str());
  }
}

void PendingFile::write(const void* data, std::size_t size) {
  const auto* bytes = static_cast<const char*>(data);
  constexpr std::size_t piece = std::size_t(64) << 20;
  while (size > 0) {
    throw_if_cancelled();
    const ssize_t n = retry([&] { return ::write(fd_.get(), bytes, std::min(size, piece)); });
    if (n <= 0) fail(target_, std::string("writing the file failed: ") + (n < 0 ? std::error_code(errno, std::generic_category()).message() : "no progress"));
    bytes += n;
    size -= static_cast<std::size_t>(n);
  }
}

void PendingFile::publish(bool replace, const std::string& key) {
  // fsync before the rename: a crash must never leave a published name over incomplete data.
  if (::fsync(fd_.get()) != 0) fail(target_, std::string("writing the file failed: ") + std::error_code(errno, std::generic_category()).message(), key);
  if (::close(fd_.release()) != 0) fail(target_, std::string("writing the file failed: ") + std::error_code(errno, std::generic_category()).message(), key);
  if (replace) {
    check_publishable(target_, true, key);
    if (::rename(temporary_.c_str(), target_.c_str()) != 0)
      fail(target_, std::string("cannot move the finished file into place: ") + std::error_code(errno, std::generic_category()).message(), key);
  } else if (::renameat2(AT_FDCWD, temporary_.c_str(), AT_FDCWD, target_.c_str(), RENAME_NOREPLACE) != 0) {
    if (errno == EEXIST) fail(target_, conflict_message(key), key);
    if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP)
      fail(target_, std::string("cannot move the finished file into place: ") + std::error_code(errno, std::generic_category()).message(), key);
    // The file system has no RENAME_NOREPLACE: link() also fails when the name exists.
    if (::link(temporary_.c_str(), target_.c_str()) == 0) {
      ::unlink(temporary_.c_str());
    } else {
      if (errno == EEXIST) fail(target_, conflict_message(key), key);
      if (errno != EPERM && errno != ENOTSUP && errno != ENOSYS)
        fail(target_, std::string("cannot move the finished file into place: ") + std::error_code(errno, std::generic_category()).message(), key);
      // Nor hard links (FAT, some network file systems): claim the name with an empty file made
      // with O_EXCL, then rename over our own claim. A reader between the two sees an empty file,
      // which every reader refuses as not a result.
      const int claim = ::open(target_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
      if (claim < 0) {
        if (errno == EEXIST) fail(target_, conflict_message(key), key);
        fail(target_, std::string("cannot create the output file: ") + std::error_code(errno, std::generic_category()).message(), key);
      }
      ::close(claim);
      if (::rename(temporary_.c_str(), target_.c_str()) != 0) {
        const std::string reason = std::error_code(errno, std::generic_category()).message();
        ::unlink(target_.c_str());
        fail(target_, "cannot move the finished file into place: " + reason, key);
      }
    }
  }
  published_ = true;
  sync_directory_of(target_);
}

bool names_file_inside(const std::string& path, const std::string& folder) {
  const fs::path p(path);
  if (path.empty() || p.is_absolute() || p.has_root_name() || !p.has_filename()) return false;
  const fs::path normal = p.lexically_normal();
  auto part = normal.begin();
  if (part == normal.end() || *part != fs::path(folder)) return false;
  int depth = 0;
  for (; part != normal.end(); ++part) {
    if (*part == "..") return false;  // lexically_normal keeps only leading "..", which climb out
    if (!part->empty() && *part != ".") ++depth;
  }
  return depth >= 2 && normal.has_filename() && normal.filename() != "." && normal.filename() != "..";
}

// ---- write_output_text ---------------------------------------------------------------------------

void write_output_text(const std::string& path, std::string_view text, const std::string& key) {
  if (path.empty()) fail(path, "the output path is empty", key, "a file name");
  struct stat st {};
  std::string target = path;
  if (::stat(path.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) fail(path, "the output path is a directory", key, "a file name");
    if (!S_ISREG(st.st_mode)) {
      // A device or a pipe chosen on purpose (/dev/stdout, >(gzip > x.gz)): written in place.
      FileDescriptor fd(retry([&] { return ::open(path.c_str(), O_WRONLY | O_CLOEXEC | O_NOCTTY); }));
      if (fd.get() < 0) fail(path, std::string("cannot open the output: ") + std::error_code(errno, std::generic_category()).message(), key);
      const char* bytes = text.data();
      std::size_t left = text.size();
      while (left > 0) {
        const ssize_t n = retry([&] { return ::write(fd.get(), bytes, left); });
        if (n <= 0) fail(path, std::string("writing failed: ") + (n < 0 ? std::error_code(errno, std::generic_category()).message() : "no progress"), key);
        bytes += n;
        left -= static_cast<std::size_t>(n);
      }
      if (::close(fd.release()) != 0) fail(path, std::string("writing failed: ") + std::error_code(errno, std::generic_category()).message(), key);
      return;
    }
    // A symbolic link to a regular file: the file it names is replaced, the link kept.
    std::error_code ec;
    const fs::path resolved = fs::canonical(path, ec);
    if (!ec) target = resolved.string();
  } else if (errno != ENOENT) {
    fail(path, std::string("cannot examine the output path: ") + std::error_code(errno, std::generic_category()).message(), key);
  } else {
    struct stat link {};
    if (::lstat(path.c_str(), &link) == 0)
      fail(path, "the output path is a symbolic link to a missing file; only a regular file is ever replaced", key);
  }
  PendingFile pending(target);
  pending.write(text);
  pending.publish(true, key);
}

}  // namespace clusternet::io
