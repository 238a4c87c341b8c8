#pragma once
// Numeric command-line options: every one of every command is checked by these validators, on the
// text as typed, before CLI11 converts it. CLI11 2.1 converts with strtoll/strtoull, which clamp an
// out-of-range value (--seed 2^64 became 2^63-1), wrap a negative one into an unsigned option
// (--threads -1 became 2^64-1) and read "010" as octal. Here the text is parsed as a decimal
// number, checked against the option's range, and replaced by its canonical form, which CLI11's
// conversion then reads back exactly (so they are attached with ->transform(), which may rewrite
// the text, not ->check(), which may not). A value out of range is a usage error (exit 2) that names
// the option and the range: "--threads: 4294967296 is out of range (valid: a whole number from 0
// to 1024)".
#include <CLI/CLI.hpp>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

namespace clusternet::app {

// Worker threads: 0 means all cores; beyond this no machine has cores to give.
inline constexpr std::uint64_t max_threads = 1024;
// Seeds are stored as signed 64-bit attributes and in scenario files (seed: 0 to 2^63-1).
inline constexpr std::uint64_t max_seed = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());

// A whole number in [min, max] (decimal digits, an optional sign).
inline CLI::Validator whole_number(std::int64_t min, std::uint64_t max) {
  const std::string range = "a whole number from " + std::to_string(min) + " to " + std::to_string(max);
  return CLI::Validator(
      [=](std::string& text) -> std::string {
        std::string_view digits = text;
        bool negative = false;
        if (!digits.empty() && (digits.front() == '+' || digits.front() == '-')) {
          negative = digits.front() == '-';
          digits.remove_prefix(1);
        }
        if (digits.empty() || digits.find_first_not_of("0123456789") != std::string_view::npos)
          return "'" + text + "' is not a whole number (valid: " + range + ")";
        std::uint64_t magnitude = 0;
        const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), magnitude);
        const bool too_big = ec == std::errc::result_out_of_range;
        if (!too_big && (ec != std::errc() || end != digits.data() + digits.size()))
          return "'" + text + "' is not a whole number (valid: " + range + ")";
        const bool below = negative && magnitude != 0
                               ? min >= 0 || magnitude > static_cast<std::uint64_t>(-(min + 1)) + 1
                               : min > 0 && magnitude < static_cast<std::uint64_t>(min);
        const bool above = too_big || (!negative && magnitude > max);
        if (below || above) return text + " is out of range (valid: " + range + ")";
        text = negative && magnitude != 0 ? "-" + std::to_string(magnitude) : std::to_string(magnitude);
        return {};
      },
      "[" + std::to_string(min) + ", " + std::to_string(max) + "]", "WHOLE_NUMBER");
}

// A finite real number in [min, max], or (min, max] with `min_open`.
inline CLI::Validator real_number(double min, double max, bool min_open = false) {
  auto shortest = [](double v) {
    char buffer[32];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, v);
    return std::string(buffer, result.ptr);
  };
  const std::string range = std::string("a number ") +
                            (std::isinf(max) ? (min_open ? "> " : ">= ") + shortest(min)
                                             : std::string("in ") + (min_open ? "(" : "[") + shortest(min) + ", " +
                                                   shortest(max) + "]");
  return CLI::Validator(
      [=](std::string& text) -> std::string {
        std::string_view s = text;
        if (!s.empty() && s.front() == '+') s.remove_prefix(1);
        double value = 0;
        const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
        if (s.empty() || ec != std::errc() || end != s.data() + s.size() || !std::isfinite(value)) {
          if (ec == std::errc::result_out_of_range) return text + " is out of range (valid: " + range + ")";
          return "'" + text + "' is not a finite number (valid: " + range + ")";
        }
        if (value > max || (min_open ? value <= min : value < min))
          return text + " is out of range (valid: " + range + ")";
        text = shortest(value);
        return {};
      },
      std::string(min_open ? "(" : "[") + shortest(min) + ", " + (std::isinf(max) ? "inf)" : shortest(max) + "]"),
      "REAL_NUMBER");
}

}  // namespace clusternet::app
