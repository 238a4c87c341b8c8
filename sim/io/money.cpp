#include "io/money.hpp"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>

namespace clusternet::io {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Removes thousands separators, accepting them only in the usual places ("1,100", "4,000,000",
// never "1,1" or "11,00", which are more likely decimal commas written by mistake).
bool strip_grouping(std::string_view digits, std::string& out) {
  const auto comma = digits.find(',');
  if (comma == std::string_view::npos) {
    out = std::string(digits);
    return true;
  }
  const auto dot = digits.find_first_of(".eE");
  const std::string_view integer = digits.substr(0, dot);
  const std::string_view rest = dot == std::string_view::npos ? std::string_view{} : digits.substr(dot);
  if (rest.find(',') != std::string_view::npos) return false;
  std::size_t first = integer.find(',');
  if (first == 0 || first > 3) return false;
  out = std::string(integer.substr(0, first));
  std::size_t pos = first;
  while (pos < integer.size()) {
    if (integer[pos] != ',' || pos + 4 > integer.size()) return false;
    for (std::size_t k = pos + 1; k < pos + 4; ++k)
      if (!std::isdigit(static_cast<unsigned char>(integer[k]))) return false;
    out += integer.substr(pos + 1, 3);
    pos += 4;
  }
  out += rest;
  return true;
}

}  // namespace

MoneyParse parse_money(std::string_view text) {
  std::string_view s = trim(text);
  if (s.empty()) return {std::nullopt, "no amount given"};
  // Currency: a trailing EUR, or MEUR meaning millions of euros.
  double multiplier = 1.0;
  bool had_unit = false;
  if (ends_with(s, "MEUR")) {
    multiplier = 1e6;
    s = trim(s.substr(0, s.size() - 4));
    had_unit = true;
  } else if (ends_with(s, "EUR")) {
    s = trim(s.substr(0, s.size() - 3));
  }
  if (!had_unit) {
    if (ends_with(s, "bn")) {
      multiplier = 1e9;
      s = s.substr(0, s.size() - 2);
    } else if (!s.empty()) {
      switch (s.back()) {
        case 'k': case 'K': multiplier = 1e3; break;
        case 'M': multiplier = 1e6; break;
        case 'B': multiplier = 1e9; break;
        case 'm': return {std::nullopt, "'m' is ambiguous; write M for million"};
        default: break;
      }
      if (multiplier != 1.0) s = s.substr(0, s.size() - 1);
    }
    s = trim(s);
  }
  if (s.empty()) return {std::nullopt, "no number before the unit"};
  if (s.front() == '-') return {std::nullopt, "amounts cannot be negative"};
  if (s.front() == '+') s.remove_prefix(1);
  std::string digits;
  if (!strip_grouping(s, digits)) return {std::nullopt, "commas may only group thousands (1,100 or 4,000,000)"};
  const char* first = digits.data();
  const char* last = digits.data() + digits.size();
  double value = 0;
  // from_chars would also read "nan" and "inf"; only plain decimal notation is money.
  if (digits.empty() || !(std::isdigit(static_cast<unsigned char>(digits.front())) || digits.front() == '.'))
    return {std::nullopt, "not a number"};
  const auto [end, ec] = std::from_chars(first, last, value);
  if (ec == std::errc::result_out_of_range) return {std::nullopt, "the amount is out of range"};
  if (ec != std::errc() || end != last) return {std::nullopt, "not a number"};
  value *= multiplier;
  if (!std::isfinite(value)) return {std::nullopt, "the amount is not finite"};
  if (value > max_money_eur) return {std::nullopt, "the amount is implausibly large (above 1e13 EUR)"};
  return {cents_from_eur(value), {}};
}

std::string format_money(Cents cents) {
  struct Unit { Cents size; const char* suffix; };
  static constexpr Unit units[] = {{100'000'000'000, "B"}, {100'000'000, "M"}, {100'000, "k"}};
  for (const auto& unit : units) {
    if (cents >= unit.size && cents % (unit.size / 1000) == 0) {
      // Up to three decimals of the unit keep the text exact: 1.5B, 7.24M, 1.1k.
      const Cents whole = cents / unit.size;
      Cents frac = cents % unit.size / (unit.size / 1000);
      std::string text = std::to_string(whole);
      if (frac != 0) {
        std::string decimals = std::to_string(frac);
        decimals.insert(0, 3 - decimals.size(), '0');
        while (decimals.back() == '0') decimals.pop_back();
        text += '.' + decimals;
      }
      return text + unit.suffix;
    }
  }
  std::string text = std::to_string(cents / 100);
  if (cents % 100 != 0) {
    const Cents frac = cents % 100;
    text += '.';
    text += char('0' + frac / 10);
    if (frac % 10) text += char('0' + frac % 10);
  }
  return text;
}

}  // namespace clusternet::io
