#pragma once
// UTF-8 checks for text that leaves the program in formats that require it (JSON, XML) or that
// names things (ids of an edge list). Strict RFC 3629: no overlong forms, no surrogates, nothing
// above U+10FFFF.
#include <cstddef>
#include <string>
#include <string_view>

namespace clusternet {

inline constexpr std::size_t utf8_valid = static_cast<std::size_t>(-1);

// Byte offset of the first byte that does not start or continue a valid sequence, or utf8_valid.
std::size_t invalid_utf8_offset(std::string_view text);

// `text` with every byte that is not part of a valid sequence replaced by U+FFFD (the replacement
// character), so that the result is valid UTF-8 whatever came in.
std::string utf8_sanitized(std::string_view text);

}  // namespace clusternet
