#pragma once
// Text outputs written as one set (the files of `clusternet export`, `analyze --partition-out`):
// all of them appear complete, or none of them changes.
//
// Each regular-file target is written to a temporary name beside it (same directory, so the final
// rename is atomic), flushed and fsync'ed, and renamed over the target only when every file of the
// set has been written without error. A failure at any point removes every temporary file, so a
// full disk leaves neither a truncated file nor a half-updated set, and files the set would have
// replaced keep their old contents. Only regular files are ever replaced: a target that is a
// character device or a FIFO (e.g. /dev/stdout, a named pipe, /dev/full) is written in place,
// with every write checked, and a directory, socket or block device is refused.
//
// Not covered: a crash or SIGKILL between writing and renaming leaves a hidden temporary file
// (".NAME.clusternet-PID-N.tmp") beside the target; the target itself is never truncated.
#include <fstream>
#include <memory>
#include <string>
#include <vector>

namespace clusternet::io {

class OutputSet {
 public:
  OutputSet() = default;
  OutputSet(const OutputSet&) = delete;
  OutputSet& operator=(const OutputSet&) = delete;
  // Removes the temporary files of a set that was not committed (an exception on the way).
  ~OutputSet();

  // Starts the file `path`; `option` names the command-line option it came from, for messages.
  // The stream stays valid until commit() or destruction. Throws clusternet::Error (with the path)
  // when the target is a directory or another kind of file that is never written, or when the
  // temporary file cannot be created.
  std::ostream& open(const std::string& path, const std::string& option = {});

  // Closes every file, checks that each write succeeded (stream state after the close, fsync),
  // then renames the temporaries over their targets in the order they were opened. Throws
  // clusternet::Error naming the file whose write failed, after removing every temporary; nothing
  // has been renamed then.
  void commit();

  // Removes the temporaries now (what the destructor does); safe to call more than once.
  void discard() noexcept;

 private:
  struct File {
    std::string target;     // where the content ends up
    std::string temporary;  // where it is written first; empty when written in place
    std::string option;
    std::unique_ptr<std::ofstream> stream;
  };
  std::vector<File> files_;
  bool committed_ = false;
};

// Creates `directory` (and its parents) when it does not exist; returns true when it created the
// directory itself, so that a caller can remove it again if nothing ends up in it. Throws
// clusternet::Error when the path exists but is not a directory or cannot be created.
bool ensure_directory(const std::string& directory, const std::string& option);

}  // namespace clusternet::io
