#include "core/error.hpp"

namespace clusternet {

std::string format_error(const ErrorInfo& info) {
  std::string text;
  if (!info.where.file.empty()) {
    text += info.where.file;
    if (info.where.line > 0) {
      text += ':' + std::to_string(info.where.line);
      if (info.where.column > 0) text += ':' + std::to_string(info.where.column);
    }
    text += ": ";
  }
  if (!info.key.empty()) text += info.key + ": ";
  text += info.message;
  if (!info.found.empty() || !info.valid.empty()) {
    text += " (";
    if (!info.found.empty()) text += "found: " + info.found;
    if (!info.found.empty() && !info.valid.empty()) text += "; ";
    if (!info.valid.empty()) text += "valid: " + info.valid;
    text += ')';
  }
  return text;
}

Error::Error(ErrorInfo info) : std::runtime_error(format_error(info)), info_(std::move(info)) {}

namespace {
std::string join_errors(const std::vector<ErrorInfo>& errors) {
  std::string text = std::to_string(errors.size()) + " errors:";
  for (const auto& e : errors) text += "\n  " + format_error(e);
  return text;
}
}  // namespace

ErrorList::ErrorList(std::vector<ErrorInfo> errors)
    : std::runtime_error(join_errors(errors)), errors_(std::move(errors)) {}

void ErrorCollector::throw_if_any() const {
  if (errors_.empty()) return;
  if (errors_.size() == 1) throw Error(errors_.front());
  throw ErrorList(errors_);
}

}  // namespace clusternet
