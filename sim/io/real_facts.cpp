#include "io/real_facts.hpp"

#include <charconv>
#include <cmath>
#include <limits>

#include "core/error.hpp"
#include "io/csv.hpp"

namespace clusternet::io {

namespace {
double parse_number(std::string_view text, const std::string& path, std::uint64_t line, std::size_t column,
                    const char* name, bool optional) {
  if (text.empty() && optional) return std::numeric_limits<double>::quiet_NaN();
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value))
    throw Error(ErrorInfo{"not a number", {path, static_cast<int>(line), static_cast<int>(column + 1)}, name, shorten_for_error(text),
                          optional ? "a finite number or an empty field" : "a finite number"});
  return value;
}
}  // namespace

std::vector<RealFact> load_real_facts(const std::string& path) {
  LineReader reader(path);
  const CsvHeader header = read_csv_header(reader);
  const std::string expected = "fact,scope,period,value,ci_low,ci_high,n_projects,role,definition";
  const std::size_t fact = header.require("fact", path, expected), scope = header.require("scope", path, expected),
                    period = header.require("period", path, expected), value = header.require("value", path, expected),
                    low = header.require("ci_low", path, expected), high = header.require("ci_high", path, expected),
                    role = header.require("role", path, expected),
                    definition = header.require("definition", path, expected);
  std::vector<RealFact> facts;
  std::vector<std::string_view> fields;
  std::string scratch;
  std::string_view line;
  while (reader.next(line)) {
    if (blank_csv_line(line)) continue;
    const std::uint64_t n = reader.line_number();
    split_csv_record(line, fields, scratch, path, n);
    if (fields.size() != header.names.size())
      throw Error(ErrorInfo{"wrong number of fields", {path, static_cast<int>(n), 0}, "", std::to_string(fields.size()),
                            std::to_string(header.names.size()) + " fields, as the header"});
    RealFact f;
    f.fact = fields[fact];
    f.scope = fields[scope];
    f.period = fields[period];
    f.value = parse_number(fields[value], path, n, value, "value", false);
    f.ci_low = parse_number(fields[low], path, n, low, "ci_low", true);
    f.ci_high = parse_number(fields[high], path, n, high, "ci_high", true);
    f.role = fields[role];
    f.definition = fields[definition];
    if (f.role != "fit" && f.role != "fit-direct" && f.role != "validate")
      throw Error(ErrorInfo{"unknown role", {path, static_cast<int>(n), static_cast<int>(role + 1)}, "role", f.role, "fit, fit-direct or validate"});
    facts.push_back(std::move(f));
  }
  return facts;
}

}  // namespace clusternet::io
