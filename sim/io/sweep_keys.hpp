#pragma once
// Internal to sim/io (used by sweep_plan.cpp): which scenario keys a sweep may vary, what kind of
// value each holds, and how a swept value as written reads. The kinds come from the scenario
// schema itself (scenario_fields.hpp), so a key added there can be swept at once.
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "engine/sweep.hpp"

namespace clusternet::io::sweep_keys {

// The kind of every numeric leaf of the schema, by schema path ("instruments[].budget").
const std::map<std::string, SweptKind>& numeric_kinds();

// "instruments.jci.budget" -> "instruments[].budget": the schema path of a --set path.
std::string schema_path_of(const std::string& key);

// Why a sweep keeps `schema_key` fixed, as the end of an error message; "" when it may be swept.
std::string fixed_key_reason(const std::string& schema_key);

// A value of `kind` as written in a sweep ("150M", "+0.25", "3"). nullopt, with `problem` set to
// what is wrong, when the text is not such a value.
std::optional<double> parse_value(SweptKind kind, std::string_view text, std::string& problem);

// What a value of `kind` may look like (the `valid` part of an error).
std::string kind_valid(SweptKind kind);

}  // namespace clusternet::io::sweep_keys
