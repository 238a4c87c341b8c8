#pragma once
// The file-system rules every reader and writer of the program follows (ENGINEERING.md, "Readers,
// writers and faults"), in one place so that no command has its own weaker copy:
//   - an input is opened only when it is a regular file: a directory, a FIFO (whose open blocks),
//     a device such as /dev/zero (endless) or a socket is refused before a byte is read;
//   - an output is written to a temporary file unique to this process, checked write by write,
//     made durable (fsync) and only then published under its name by a rename that cannot claim
//     a file another process published meanwhile; what a failed write produced is removed;
//   - only a regular file is ever replaced (never a device, a directory or a symbolic link).
#include <cstddef>
#include <string>
#include <string_view>

namespace clusternet::io {

// An open file descriptor, closed when dropped.
class FileDescriptor {
 public:
  FileDescriptor() = default;
  explicit FileDescriptor(int fd) : fd_(fd) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  FileDescriptor(FileDescriptor&& other) noexcept : fd_(other.release()) {}
  FileDescriptor& operator=(FileDescriptor&& other) noexcept;
  ~FileDescriptor();
  int get() const { return fd_; }
  int release() {
    const int fd = fd_;
    fd_ = -1;
    return fd;
  }

 private:
  int fd_ = -1;
};

// "a directory", "a FIFO (named pipe)", "a character device", ... for the file at `path` (symbolic
// links followed), "missing" when there is none. For messages.
std::string describe_file_kind(const std::string& path);

// Opens `path` for reading when it is a regular file (symbolic links followed). Throws
// clusternet::Error at `path` naming what it is instead (missing, a directory, a FIFO, a device,
// a socket) or why it cannot be opened. The check is made on the opened descriptor, so the file
// read is the file checked.
FileDescriptor open_regular_input(const std::string& path);

// The same check for a reader that opens the file itself (HDF5). Throws clusternet::Error.
void require_regular_input(const std::string& path);

// Throws clusternet::Error (key `key`, e.g. "--output") unless a new file may be published at
// `path`: nothing there, or a regular file when `replace` is set. Never replaces a directory, a
// device, a FIFO, a socket or a symbolic link.
void check_publishable(const std::string& path, bool replace, const std::string& key);

// A file being written: created next to its target under a name unique to this process
// (TARGET.<pid>-<random>.partial, with O_EXCL), removed when dropped unless published.
class PendingFile {
 public:
  // Throws clusternet::Error when the temporary file cannot be created.
  explicit PendingFile(std::string target);
  PendingFile(const PendingFile&) = delete;
  PendingFile& operator=(const PendingFile&) = delete;
  ~PendingFile();

  const std::string& temporary_path() const { return temporary_; }
  const std::string& target() const { return target_; }

  // Appends `size` bytes; throws clusternet::Error (e.g. "No space left on device") naming the
  // target when the system writes fewer. Writes at most 64 MiB at a time and honours a stop asked
  // for between them (throws Interrupted inside a live CancelScope, core/cancel.hpp): a whole-EU
  // result is about a gigabyte.
  void write(const void* data, std::size_t size);
  void write(std::string_view text) { write(text.data(), text.size()); }

  // fsync, close, and publish under the target's name. Without `replace` the rename is atomic and
  // refuses to claim a target that appeared while this file was written (another run writing the
  // same file): clusternet::Error says so and nothing of this process is left behind. With
  // `replace` an existing regular file is replaced (anything else is refused).
  void publish(bool replace, const std::string& key);

 private:
  std::string target_;
  std::string temporary_;
  FileDescriptor fd_;
  bool published_ = false;
};

// Whether the relative path `path`, read lexically (no file system access), names a file inside
// the folder `folder` ("output"): no absolute path, no ".." that climbs out, a file name at the end.
bool names_file_inside(const std::string& path, const std::string& folder);

// Writes `text` to the output named `path` by an option `key` (e.g. "--csv"): a regular file (new
// or replaced) through a PendingFile, so a failure never leaves a truncated file; a character
// device or a pipe (/dev/stdout, a process substitution) directly. Every write and the close are
// checked: /dev/full fails. A directory is refused. Throws clusternet::Error.
void write_output_text(const std::string& path, std::string_view text, const std::string& key);

}  // namespace clusternet::io
