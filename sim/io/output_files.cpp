#include "io/output_files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <system_error>

#include "core/error.hpp"

namespace clusternet::io {

namespace fs = std::filesystem;

namespace {

[[noreturn]] void fail(const std::string& message, const std::string& path, const std::string& option) {
  throw Error(ErrorInfo{message, SourceLocation{path, 0, 0}, option, "", ""});
}

std::string errno_text(int error) {
  return error != 0 ? std::string(": ") + std::error_code(error, std::generic_category()).message() : std::string();
}

// A name beside the target that no other process or earlier call uses: pid plus a counter, and
// created with O_EXCL so that an existing file of that name is never truncated.
std::string create_temporary(const fs::path& target, const std::string& option) {
  static std::atomic<unsigned> counter{0};
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  for (int attempt = 0; attempt < 100; ++attempt) {
    const fs::path temp = dir / fmt::format(".{}.clusternet-{}-{}.tmp", target.filename().string(), ::getpid(),
                                            counter.fetch_add(1));
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd >= 0) {
      ::close(fd);
      return temp.string();
    }
    if (errno != EEXIST) fail("cannot create a file in this directory" + errno_text(errno), dir.string(), option);
  }
  fail("cannot find a free temporary name", dir.string(), option);
}

bool fsync_path(const std::string& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return false;
  const bool ok = ::fsync(fd) == 0;
  const int saved = errno;
  ::close(fd);
  errno = saved;
  return ok;
}

}  // namespace

OutputSet::~OutputSet() { discard(); }

std::ostream& OutputSet::open(const std::string& path, const std::string& option) {
  if (committed_) throw Error("OutputSet::open after commit");
  if (path.empty()) fail("the output path is empty", path, option);
  File file;
  file.option = option;
  file.target = path;
  std::error_code ec;
  // A symbolic link is kept and the file it names is written, as writing through it would (also
  // when that file does not exist yet); the link itself is never replaced by a regular file.
  for (int depth = 0; fs::is_symlink(fs::symlink_status(file.target, ec)); ++depth) {
    if (depth == 40) fail("too many levels of symbolic links", path, option);
    const fs::path link = fs::read_symlink(file.target, ec);
    if (ec) fail("cannot resolve the symbolic link: " + ec.message(), path, option);
    file.target = (link.is_absolute() ? link : fs::path(file.target).parent_path() / link).lexically_normal().string();
  }
  const fs::file_status status = fs::status(file.target, ec);
  if (ec && ec != std::errc::no_such_file_or_directory)
    fail("cannot inspect the output path: " + ec.message(), path, option);
  switch (status.type()) {
    case fs::file_type::not_found: {
      const fs::path target(file.target);
      const fs::path parent = target.has_parent_path() ? target.parent_path() : fs::path(".");
      if (!fs::is_directory(parent, ec)) fail("the directory of this output does not exist", path, option);
      file.temporary = create_temporary(file.target, option);
      break;
    }
    case fs::file_type::regular:
      file.temporary = create_temporary(file.target, option);
      break;
    case fs::file_type::character:
    case fs::file_type::fifo:
      break;  // a terminal, /dev/stdout or a pipe: written in place, never replaced
    case fs::file_type::directory:
      fail("the output path is a directory; expected a file name", path, option);
    default:
      fail("the output path is neither a regular file, a character device nor a pipe; refusing to write it", path,
           option);
  }
  const std::string where = file.temporary.empty() ? file.target : file.temporary;
  file.stream = std::make_unique<std::ofstream>(where, std::ios::out | std::ios::binary | std::ios::trunc);
  if (!*file.stream) {
    const int error = errno;
    if (!file.temporary.empty()) std::remove(file.temporary.c_str());
    fail("cannot write this file" + errno_text(error), path, option);
  }
  files_.push_back(std::move(file));
  return *files_.back().stream;
}

void OutputSet::commit() {
  if (committed_) return;
  for (File& f : files_) {
    errno = 0;
    f.stream->flush();
    int error = errno;
    f.stream->close();
    if (error == 0) error = errno;
    if (f.stream->fail())
      fail("writing this file failed" + (error ? errno_text(error) : std::string(" (disk full?)")) +
               "; nothing was written",
           f.target, f.option);
    if (!f.temporary.empty()) {
      // The content must be on disk before the rename makes it the target: otherwise a crash soon
      // after could leave an empty file under the final name.
      if (!fsync_path(f.temporary, O_RDONLY))
        fail("writing this file failed" + errno_text(errno) + "; nothing was written", f.target, f.option);
      std::error_code ec;
      const auto old = fs::status(f.target, ec);
      if (!ec && fs::is_regular_file(old)) fs::permissions(f.temporary, old.permissions(), ec);
    }
  }
  for (std::size_t i = 0; i < files_.size(); ++i) {
    File& f = files_[i];
    if (f.temporary.empty()) continue;
    if (std::rename(f.temporary.c_str(), f.target.c_str()) != 0) {
      const int error = errno;
      fail("cannot move the finished file into place" + errno_text(error) +
               (i > 0 ? "; the files listed before it in this command were written" : "; nothing was written"),
           f.target, f.option);
    }
    f.temporary.clear();
    const fs::path parent = fs::path(f.target).has_parent_path() ? fs::path(f.target).parent_path() : fs::path(".");
    fsync_path(parent.string(), O_RDONLY | O_DIRECTORY);  // the rename itself; best effort
  }
  committed_ = true;
}

void OutputSet::discard() noexcept {
  for (File& f : files_) {
    if (f.stream && f.stream->is_open()) f.stream->close();
    if (!f.temporary.empty()) {
      std::remove(f.temporary.c_str());
      f.temporary.clear();
    }
  }
}

bool ensure_directory(const std::string& directory, const std::string& option) {
  std::error_code ec;
  const auto status = fs::status(directory, ec);
  if (fs::is_directory(status)) return false;
  if (fs::exists(status)) fail("the output path exists and is not a directory", directory, option);
  const bool created = fs::create_directories(directory, ec);
  if (ec) fail("cannot create the directory: " + ec.message(), directory, option);
  return created;
}

}  // namespace clusternet::io
