#include "io/scenario_reader.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <functional>
#include <optional>

#include "io/money.hpp"
#include "io/scenario_fields.hpp"
#include "io/scenario_loader.hpp"
#include "world/regions.hpp"
#include "world/world.hpp"

namespace clusternet::io {

std::string lower_case(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

namespace {
// lower_case(a) == lower_case(b) without building either: a scenario's S3 overrides name
// thousands of areas, each compared with every area name, and a sweep reads the scenario again
// for each of its points.
bool same_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}
}  // namespace

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

namespace {

bool valid_instrument_name(std::string_view name) {
  if (name.empty()) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  });
}

std::optional<double> parse_real(std::string_view text) {
  std::string_view s = text;
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  if (s.empty() || !(std::isdigit(static_cast<unsigned char>(s.front())) || s.front() == '.' || s.front() == '-'))
    return std::nullopt;
  double value = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return value;
}

bool looks_non_finite(std::string_view text) {
  const std::string t = lower_case(text);
  return t == ".nan" || t == "nan" || t == ".inf" || t == "-.inf" || t == "+.inf" || t == "inf" ||
         t == "-inf" || t == "infinity" || t == "-infinity";
}

class Reader final : public FieldVisitor {
 public:
  Reader(const YamlValue& root, ErrorCollector& errors, bool schema_mode)
      : errors_(errors), schema_mode_(schema_mode) {
    frames_.push_back({&root, "", "", {}});
  }

  std::map<std::string, SourceLocation> locations;  // dotted path -> location of its value
  std::set<std::string> schema;                      // normalised dotted paths asked for

  void finish() { close_frame(); }

  void section(std::string_view key, const std::function<void()>& body) override {
    const YamlValue* value = ask(key);
    if (value && !value->is_map() && !value->is_null()) {
      type_error(key, *value, "a map of keys (an indented block or { ... })");
      value = nullptr;
    }
    frames_.push_back({value && value->is_map() ? value : nullptr, path(key), schema_path(key), {}});
    body();
    close_frame();
  }

  void text(std::string_view key, std::string& out, Need need) override {
    const YamlValue* value = ask(key);
    if (!value) return missing(key, need, "a text");
    if (value->is_null()) {
      out.clear();
      return;
    }
    if (!value->is_scalar()) return type_error(key, *value, "a text");
    out = value->text;
  }

  void boolean(std::string_view key, bool& out) override {
    const YamlValue* value = ask(key);
    if (!value) return;
    // YAML 1.1's yes/no/on/off are refused: "no" as a country code or "on" as a word has bitten
    // enough configuration files that only the two unambiguous words are accepted.
    if (value->is_scalar() && (value->text == "true" || value->text == "false")) {
      out = value->text == "true";
      return;
    }
    type_error(key, *value, "true or false");
  }

  void real(std::string_view key, double& out, Range range) override {
    const YamlValue* value = ask(key);
    if (!value) return;
    if (!value->is_scalar()) return type_error(key, *value, range.text());
    if (looks_non_finite(value->text))
      return error(key, *value, "NaN and infinity are not allowed", range.text());
    const auto number = parse_real(value->text);
    if (!number) return type_error(key, *value, range.text());
    if (!std::isfinite(*number)) return error(key, *value, "the number is out of range", range.text());
    if (!range.contains(*number)) return error(key, *value, "value out of range", range.text());
    out = *number;
  }

  void whole(std::string_view key, std::int64_t& out, std::int64_t min, std::int64_t max) override {
    const YamlValue* value = ask(key);
    if (!value) return;
    const std::string valid = "a whole number in [" + std::to_string(min) + ", " + std::to_string(max) + "]";
    if (!value->is_scalar()) return type_error(key, *value, valid);
    std::string_view s = value->text;
    if (!s.empty() && s.front() == '+') s.remove_prefix(1);
    std::int64_t number = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), number);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size()) {
      if (ec == std::errc::result_out_of_range) return error(key, *value, "value out of range", valid);
      const auto as_real = parse_real(value->text);
      if (as_real) return error(key, *value, "expected a whole number", valid);
      return type_error(key, *value, valid);
    }
    if (number < min || number > max) return error(key, *value, "value out of range", valid);
    out = number;
  }

  void money(std::string_view key, Cents& out, Need need) override {
    const YamlValue* value = ask(key);
    if (!value) return missing(key, need, "an amount of euros");
    if (!value->is_scalar()) return type_error(key, *value, std::string(money_forms));
    const MoneyParse parsed = parse_money(value->text);
    if (!parsed.cents) return error(key, *value, "not an amount of euros: " + parsed.problem, std::string(money_forms));
    out = *parsed.cents;
  }

  void grant_range(Cents& min, Cents& max) override {
    Cents single = -1;
    money("grant", single, Need::optional);
    const bool has_single = current().node && current().node->find("grant");
    money("grant_min", min, Need::optional);
    money("grant_max", max, Need::optional);
    const YamlValue* node = current().node;
    if (!node) return;
    const bool has_min = node->find("grant_min") != nullptr;
    const bool has_max = node->find("grant_max") != nullptr;
    if (has_single && (has_min || has_max))
      return error("grant", *node->find("grant"), "give either grant or grant_min/grant_max, not both",
                   "grant: 5M  or  grant_min: 4M with grant_max: 5M");
    if (has_single && single >= 0) min = max = single;
    else if (has_min != has_max)
      error(has_min ? "grant_min" : "grant_max", *node->find(has_min ? "grant_min" : "grant_max"),
            "grant_min and grant_max go together", "both, or a single grant");
  }

  void choice(std::string_view key, int& index, const std::vector<std::string_view>& names, Need need) override {
    std::vector<std::string> valid(names.begin(), names.end());
    const YamlValue* value = ask(key);
    if (!value) return missing(key, need, join(valid, " | "));
    if (value->is_scalar()) {
      const auto it = std::find(names.begin(), names.end(), value->text);
      if (it != names.end()) {
        index = static_cast<int>(it - names.begin());
        return;
      }
      return error(key, *value, "unknown " + std::string(key) + suggestion(value->text, valid), join(valid, " | "));
    }
    type_error(key, *value, join(valid, " | "));
  }

  void year_month(std::string_view key, int& year, int& month) override {
    const YamlValue* value = ask(key);
    if (!value) return;
    const std::string valid = "a year and month \"YYYY-MM\" between 1950-01 and 2100-12";
    if (!value->is_scalar()) return type_error(key, *value, valid);
    const std::string& t = value->text;
    int y = 0;
    int m = 0;
    const bool shaped = t.size() == 7 && t[4] == '-' &&
                        std::all_of(t.begin(), t.begin() + 4, [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }) &&
                        std::isdigit(static_cast<unsigned char>(t[5])) && std::isdigit(static_cast<unsigned char>(t[6]));
    if (shaped) {
      y = std::stoi(t.substr(0, 4));
      m = std::stoi(t.substr(5, 2));
    }
    if (!shaped || y < 1950 || y > 2100 || m < 1 || m > 12) return error(key, *value, "not a valid start month", valid);
    year = y;
    month = m;
  }

  void text_list(std::string_view key, std::vector<std::string>& out) override {
    const YamlValue* value = ask(key);
    if (!value) return;
    if (value->is_null()) {
      out.clear();
      return;
    }
    if (!value->is_seq()) return type_error(key, *value, "a list such as [a, b]");
    std::vector<std::string> items;
    for (const auto& item : value->items) {
      if (!item.is_scalar()) {
        error(key, item, "list items must be single values", "a list of words or numbers");
        continue;
      }
      items.push_back(item.text);
    }
    out = std::move(items);
  }

  void kind_list(std::string_view key, std::vector<OrgKind>& out) override {
    const YamlValue* value = ask(key);
    if (!value) return;
    std::vector<std::string> valid(org_kind_names.begin(), org_kind_names.end());
    valid.emplace_back("sme");
    const std::string valid_text = "a list of " + join(valid, ", ") + " (sme = the three SME classes)";
    if (!value->is_seq()) return type_error(key, *value, valid_text);
    std::vector<OrgKind> kinds;
    const std::size_t errors_before = errors_.size();
    for (const auto& item : value->items) {
      if (!item.is_scalar()) {
        error(key, item, "list items must be kind names", valid_text);
        continue;
      }
      std::vector<OrgKind> these;
      if (item.text == "sme") these = {OrgKind::sme_micro, OrgKind::sme_small, OrgKind::sme_medium};
      for (int k = 0; k < org_kind_count; ++k)
        if (org_kind_names[static_cast<std::size_t>(k)] == item.text) these.push_back(static_cast<OrgKind>(k));
      if (these.empty()) {
        error(key, item, "unknown organisation kind" + suggestion(item.text, valid), valid_text);
        continue;
      }
      for (const OrgKind kind : these) {
        if (std::find(kinds.begin(), kinds.end(), kind) != kinds.end()) {
          error(key, item, "kind listed twice", valid_text);
          continue;
        }
        kinds.push_back(kind);
      }
    }
    // On a bad entry the default stays, so that the list's own error is not followed by "no kind".
    if (errors_.size() == errors_before) out = std::move(kinds);
  }

  void area_list(std::string_view key, std::vector<AreaIndex>& out) override {
    const YamlValue* value = ask(key);
    if (!value) return;
    if (!value->is_seq()) return type_error(key, *value, area_valid());
    out = read_areas(key, *value);
  }

  void area_overrides(std::string_view key, std::map<std::string, std::vector<AreaIndex>>& out) override {
    const YamlValue* value = ask(key);
    if (!value || value->is_null()) return;
    if (!value->is_map()) return type_error(key, *value, "a map from NUTS-2 code to a list of areas");
    std::map<std::string, std::vector<AreaIndex>> result;
    for (const auto& entry : value->entries) {
      const std::string entry_path = path(key) + "." + entry.key;
      locations[entry_path] = entry.value.where;
      if (!is_nuts2_code(entry.key)) {
        errors_.add({"not a NUTS-2 region code", entry.key_where, entry_path, entry.key,
                     "a NUTS-2 code such as DE21 (two letters and two letters or digits)"});
        continue;
      }
      if (!entry.value.is_seq()) {
        errors_.add({"expected a list of areas", entry.value.where, entry_path, describe(entry.value), area_valid()});
        continue;
      }
      auto areas = read_areas(std::string(key) + "." + entry.key, entry.value, false);
      if (areas.empty()) {
        errors_.add({"a region needs at least one S3 priority", entry.value.where, entry_path, "an empty list",
                     area_valid()});
        continue;
      }
      result[entry.key] = std::move(areas);
    }
    out = std::move(result);
  }

  void instrument_list(std::string_view key, std::vector<InstrumentSpec>& out) override {
    const YamlValue* value = ask(key);
    const std::string list_path = path(key);
    if (schema_mode_) {
      // Schema listing: describe one instrument against an empty map to collect its keys.
      InstrumentSpec spec;
      frames_.push_back({nullptr, list_path + "[]", schema_path(key) + "[]", {}});
      describe_instrument(*this, spec);
      frames_.pop_back();
      return;
    }
    if (!value || value->is_null()) return;
    if (!value->is_seq()) return type_error(key, *value, "a list of instruments (each item starting with '- name:')");
    if (value->items.size() > max_instruments) {
      errors_.add({"too many instruments", value->where, list_path, std::to_string(value->items.size()) + " instruments",
                   "at most " + std::to_string(max_instruments)});
      return;
    }
    std::vector<InstrumentSpec> result;
    std::set<std::string> names;
    for (std::size_t i = 0; i < value->items.size(); ++i) {
      const YamlValue& item = value->items[i];
      std::string item_path = list_path + "[" + std::to_string(i) + "]";
      if (!item.is_map()) {
        errors_.add({"an instrument must be a map of keys", item.where, item_path, describe(item),
                     "name, kind, budget, ... (see docs/scenarios.md)"});
        continue;
      }
      const YamlValue* name = item.find("name");
      if (name && name->is_scalar()) {
        if (!valid_instrument_name(name->text)) {
          errors_.add({"instrument names must be usable in dotted paths (instruments.NAME.budget)", name->where,
                       item_path + ".name", describe(*name), "letters, digits, '_' and '-'"});
        } else if (!names.insert(name->text).second) {
          errors_.add({"duplicate instrument name", name->where, item_path + ".name", name->text,
                       "a name used by no other instrument of the scenario"});
        } else {
          item_path = list_path + "." + name->text;
        }
      }
      InstrumentSpec spec;
      frames_.push_back({&item, item_path, schema_path(key) + "[]", {}});
      describe_instrument(*this, spec);
      close_frame();
      result.push_back(std::move(spec));
    }
    out = std::move(result);
  }

  void sweep_parameter_list(std::string_view key, std::vector<SweepParameterSpec>& out) override {
    const YamlValue* value = ask(key);
    const std::string list_path = path(key);
    if (schema_mode_) {
      SweepParameterSpec spec;
      frames_.push_back({nullptr, list_path + "[]", schema_path(key) + "[]", {}});
      describe_sweep_parameter(*this, spec);
      frames_.pop_back();
      return;
    }
    if (!value || value->is_null()) return;
    const std::string valid = "a list of swept keys, each item starting with '- key:'";
    if (!value->is_seq()) return type_error(key, *value, valid);
    std::vector<SweepParameterSpec> result;
    for (std::size_t i = 0; i < value->items.size(); ++i) {
      const YamlValue& item = value->items[i];
      const std::string item_path = list_path + "[" + std::to_string(i) + "]";
      if (!item.is_map()) {
        errors_.add({"a swept parameter must be a map of keys", item.where, item_path, describe(item),
                     "key: a dotted path, with values: [...] or range: {from: ..., to: ...}"});
        continue;
      }
      SweepParameterSpec spec;
      frames_.push_back({&item, item_path, schema_path(key) + "[]", {}});
      describe_sweep_parameter(*this, spec);
      close_frame();
      result.push_back(std::move(spec));
    }
    out = std::move(result);
  }

 private:
  struct Frame {
    const YamlValue* node;  // nullptr: the section is absent (its fields keep their defaults)
    std::string path;
    std::string schema_path;
    std::vector<std::string> asked;
  };
  ErrorCollector& errors_;
  bool schema_mode_;
  std::vector<Frame> frames_;

  Frame& current() { return frames_.back(); }
  std::string path(std::string_view key) const {
    return frames_.back().path.empty() ? std::string(key) : frames_.back().path + "." + std::string(key);
  }
  std::string schema_path(std::string_view key) const {
    return frames_.back().schema_path.empty() ? std::string(key) : frames_.back().schema_path + "." + std::string(key);
  }

  // Records that `key` is part of the schema here (so it is not "unknown") and finds its value.
  const YamlValue* ask(std::string_view key) {
    current().asked.emplace_back(key);
    // Only the schema listing keeps the paths (a sweep reads the scenario again for every point).
    if (schema_mode_) schema.insert(schema_path(key));
    if (!current().node) return nullptr;
    const YamlValue* value = current().node->find(key);
    if (value) locations[path(key)] = value->where;
    return value;
  }

  void close_frame() {
    const Frame& frame = frames_.back();
    if (frame.node) {
      for (const auto& entry : frame.node->entries) {
        if (std::find(frame.asked.begin(), frame.asked.end(), entry.key) != frame.asked.end()) continue;
        // `extends` and `set` are consumed while resolving a file; they reach here only when the
        // resolved text is read again, which never contains them.
        const std::string key_path = frame.path.empty() ? entry.key : frame.path + "." + entry.key;
        const std::string hint = closest_match(entry.key, frame.asked);
        const std::string where_text = frame.path.empty() ? "at the top level" : "in " + frame.path;
        errors_.add({"unknown key" + (hint.empty() ? std::string() : "; did you mean '" + hint + "'?"),
                     entry.key_where, key_path, entry.key,
                     frame.asked.size() <= 12 ? join(frame.asked) :
                         "one of the " + std::to_string(frame.asked.size()) + " keys " + where_text +
                         " listed in docs/scenarios.md"});
      }
    }
    frames_.pop_back();
  }

  static std::string suggestion(std::string_view found, const std::vector<std::string>& valid) {
    const std::string hint = closest_match(found, valid);
    return hint.empty() ? std::string() : "; did you mean '" + hint + "'?";
  }

  void error(std::string_view key, const YamlValue& value, std::string message, std::string valid) {
    errors_.add({std::move(message), value.where, path(key), value.is_scalar() ? value.text : describe(value),
                 std::move(valid)});
  }
  void type_error(std::string_view key, const YamlValue& value, std::string valid) {
    error(key, value, "wrong type", std::move(valid));
  }
  void missing(std::string_view key, Need need, std::string valid) {
    if (need != Need::required || schema_mode_) return;
    SourceLocation where = current().node ? current().node->where : SourceLocation{};
    errors_.add({"required key missing", where, path(key), {}, std::move(valid)});
  }

  static std::string area_valid() {
    return "a list of S3 area ids 0..20 or area names (e.g. 'Hydrogen Valleys'); see docs/scenarios.md";
  }

  std::vector<AreaIndex> read_areas(std::string_view key, const YamlValue& list, bool relative = true) {
    const std::string key_path = relative ? path(key) : std::string(frames_.back().path + "." + std::string(key));
    std::vector<AreaIndex> areas;
    for (const auto& item : list.items) {
      int area = -1;
      if (item.is_scalar()) {
        std::int64_t id = -1;
        const auto [end, ec] = std::from_chars(item.text.data(), item.text.data() + item.text.size(), id);
        if (ec == std::errc() && end == item.text.data() + item.text.size()) {
          area = id >= 0 && id < thematic_area_count ? static_cast<int>(id) : -2;
        } else {
          for (int a = 0; a < thematic_area_count; ++a)
            if (same_ignoring_case(thematic_area_names[static_cast<std::size_t>(a)], item.text)) area = a;
        }
      }
      if (area < 0) {
        std::string hint;
        if (item.is_scalar() && area == -1) {
          const std::vector<std::string> names(thematic_area_names.begin(), thematic_area_names.end());
          hint = suggestion(item.text, names);
        }
        errors_.add({(area == -2 ? "area id out of range" : "unknown S3 thematic area") + hint, item.where, key_path,
                     item.is_scalar() ? item.text : describe(item), area_valid()});
        continue;
      }
      if (std::find(areas.begin(), areas.end(), static_cast<AreaIndex>(area)) != areas.end()) {
        errors_.add({"area listed twice", item.where, key_path, item.text, "each area once"});
        continue;
      }
      areas.push_back(static_cast<AreaIndex>(area));
    }
    return areas;
  }
};

}  // namespace

ParsedScenario read_scenario_tree(const YamlValue& tree, ErrorCollector& errors) {
  ParsedScenario parsed;
  Reader reader(tree, errors, false);
  describe_scenario(reader, parsed.scenario);
  reader.finish();
  parsed.locations = std::move(reader.locations);
  return parsed;
}

std::set<std::string> scenario_schema_paths() {
  YamlValue empty;
  empty.kind = YamlValue::Kind::map;
  ErrorCollector ignored;
  Reader reader(empty, ignored, true);
  Scenario scenario;
  describe_scenario(reader, scenario);
  reader.finish();
  return reader.schema;
}

}  // namespace clusternet::io
