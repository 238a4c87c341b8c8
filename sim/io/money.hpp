#pragma once
// Money as analysts write it in scenario files, converted to integer euro cents.
#include <optional>
#include <string>
#include <string_view>

#include "core/units.hpp"

namespace clusternet::io {

// The forms accepted, for error messages and the reference (docs/scenarios.md, "Money").
inline constexpr std::string_view money_forms =
    "a number of euros (150000000, 150e6, 2.5e5, 1,100 with commas grouping thousands), optionally "
    "followed by k, M, B or bn (thousand, million, billion: 150M, 1.5B, 150k) and/or EUR or MEUR "
    "(300 MEUR, 1100 EUR, 4M EUR)";

// Amounts above this are refused as a typo (the whole EU budget 2021-27 is about 1.2e12 EUR).
inline constexpr double max_money_eur = 1e13;

struct MoneyParse {
  std::optional<Cents> cents;  // set when the text is a valid amount
  std::string problem;         // otherwise: what is wrong, in a phrase
};

// Parses an amount of euros; never throws. Rounds to the nearest cent.
MoneyParse parse_money(std::string_view text);

// Formats cents as the shortest exact form the parser reads back: "150M", "1.1k", "7240000", "0.5".
std::string format_money(Cents cents);

}  // namespace clusternet::io
