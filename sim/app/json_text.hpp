#pragma once
// JSON text for the commands' --json output (no JSON library is among the dependencies).
#include <string>
#include <string_view>

namespace clusternet::app {

// A JSON string literal: quotes, backslashes and control characters escaped; UTF-8 passes through.
std::string json_string(std::string_view text);
// A JSON number with the shortest round-trip text; NaN and infinities become null.
std::string json_number(double value);

}  // namespace clusternet::app
