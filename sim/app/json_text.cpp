#include "app/json_text.hpp"

#include <cmath>
#include <fmt/format.h>

#include "core/utf8.hpp"

namespace clusternet::app {

std::string json_string(std::string_view raw) {
  // JSON text is UTF-8: a stray byte (a Latin-1 file name, say) becomes U+FFFD rather than
  // making the whole document invalid.
  const std::string text = utf8_sanitized(raw);
  std::string out;
  out.reserve(text.size() + 2);
  out.push_back('"');
  for (unsigned char c : text) {
    switch (c) {
      case '"': out.append("\\\""); break;
      case '\\': out.append("\\\\"); break;
      case '\n': out.append("\\n"); break;
      case '\r': out.append("\\r"); break;
      case '\t': out.append("\\t"); break;
      default:
        if (c < 0x20) out.append(fmt::format("\\u{:04x}", static_cast<unsigned>(c)));
        else out.push_back(static_cast<char>(c));
    }
  }
  out.push_back('"');
  return out;
}

std::string json_number(double value) {
  if (!std::isfinite(value)) return "null";
  return fmt::format("{}", value);
}

}  // namespace clusternet::app
