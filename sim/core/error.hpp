#pragma once
// The error type of the project: what went wrong, where (file, line, column when known), the
// offending key and value, and what would have been valid. Every module throws this (or a list of
// them) so that the command-line program can print one consistent, actionable message.
#include <stdexcept>
#include <string>
#include <vector>

namespace clusternet {

struct SourceLocation {
  std::string file;  // empty when the error is not about a file
  int line = 0;      // 1-based; 0 when unknown
  int column = 0;    // 1-based; 0 when unknown
};

struct ErrorInfo {
  std::string message;   // what is wrong, in a sentence
  SourceLocation where;  // file:line:column
  std::string key;       // dotted key path or column name, when there is one
  std::string found;     // the offending value as written
  std::string valid;     // what would be valid
};

// Formats "file:line:column: key: message (found: X; valid: Y)", leaving out the parts not known.
std::string format_error(const ErrorInfo& info);

class Error : public std::runtime_error {
 public:
  explicit Error(ErrorInfo info);
  explicit Error(std::string message) : Error(ErrorInfo{std::move(message), {}, {}, {}, {}}) {}
  const ErrorInfo& info() const noexcept { return info_; }

 private:
  ErrorInfo info_;
};

// Several errors found in one pass (e.g. every problem of a scenario file), reported together.
class ErrorList : public std::runtime_error {
 public:
  explicit ErrorList(std::vector<ErrorInfo> errors);
  const std::vector<ErrorInfo>& errors() const noexcept { return errors_; }

 private:
  std::vector<ErrorInfo> errors_;
};

// Collects errors and throws them at once: a single one as Error, several as ErrorList.
class ErrorCollector {
 public:
  void add(ErrorInfo info) { errors_.push_back(std::move(info)); }
  bool empty() const noexcept { return errors_.empty(); }
  std::size_t size() const noexcept { return errors_.size(); }
  const std::vector<ErrorInfo>& errors() const noexcept { return errors_; }
  // Throws Error (one) or ErrorList (several); does nothing when empty.
  void throw_if_any() const;

 private:
  std::vector<ErrorInfo> errors_;
};

}  // namespace clusternet
