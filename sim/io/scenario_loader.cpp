#include "io/scenario_loader.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <set>

#include "io/scenario_fields.hpp"
#include "io/yaml_tree.hpp"
#include "world/regions.hpp"
#include "world/world.hpp"

namespace clusternet::io {

namespace fs = std::filesystem;

// ---------------------------------------------------------------------------------------------
// Suggestions

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      const bool same = std::tolower(static_cast<unsigned char>(a[i - 1])) ==
                        std::tolower(static_cast<unsigned char>(b[j - 1]));
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (same ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string closest_match(std::string_view word, const std::vector<std::string>& candidates) {
  // A typo is a few edits away; beyond a third of the word's length the "suggestion" would be noise.
  const std::size_t reach = std::max<std::size_t>(2, word.size() / 3);
  std::string best;
  std::size_t best_distance = reach + 1;
  for (const auto& candidate : candidates) {
    const std::size_t d = edit_distance(word, candidate);
    if (d < best_distance) {
      best_distance = d;
      best = candidate;
    }
  }
  return best;
}

namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string join(const std::vector<std::string>& items, std::string_view separator = ", ") {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

bool valid_instrument_name(std::string_view name) {
  if (name.empty()) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  });
}

// ---------------------------------------------------------------------------------------------
// Reader: YAML tree -> structs, validating each value and reporting unknown keys.

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
  const std::string t = lower(text);
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
    valid.push_back("sme");
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
    schema.insert(schema_path(key));
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
    std::vector<std::string> names;
    for (const auto& name : thematic_area_names) names.emplace_back(name);
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
            if (lower(thematic_area_names[static_cast<std::size_t>(a)]) == lower(item.text)) area = a;
        }
      }
      if (area < 0) {
        const std::string hint = item.is_scalar() && area == -1 ? suggestion(item.text, names) : std::string();
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

// ---------------------------------------------------------------------------------------------
// Writer: structs -> YAML, every field written, money in the parser's own short form.

class Writer final : public FieldVisitor {
 public:
  YAML::Emitter out;
  Writer() { out << YAML::BeginMap; }
  std::string finish() {
    out << YAML::EndMap;
    return std::string(out.c_str()) + "\n";
  }

  void section(std::string_view key, const std::function<void()>& body) override {
    out << YAML::Key << std::string(key) << YAML::Value << YAML::BeginMap;
    body();
    out << YAML::EndMap;
  }
  void text(std::string_view key, std::string& value, Need) override {
    // Quoted so that a name such as "yes" or "2021" stays text for any YAML reader.
    out << YAML::Key << std::string(key) << YAML::Value << YAML::DoubleQuoted << value;
  }
  void boolean(std::string_view key, bool& value) override {
    out << YAML::Key << std::string(key) << YAML::Value << (value ? "true" : "false");
  }
  void real(std::string_view key, double& value, Range) override {
    char buffer[32];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);  // shortest exact form
    out << YAML::Key << std::string(key) << YAML::Value << std::string(buffer, result.ptr);
  }
  void whole(std::string_view key, std::int64_t& value, std::int64_t, std::int64_t) override {
    out << YAML::Key << std::string(key) << YAML::Value << std::to_string(value);
  }
  void money(std::string_view key, Cents& value, Need) override {
    out << YAML::Key << std::string(key) << YAML::Value << format_money(value);
  }
  void grant_range(Cents& min, Cents& max) override {
    money("grant_min", min, Need::optional);
    money("grant_max", max, Need::optional);
  }
  void choice(std::string_view key, int& index, const std::vector<std::string_view>& names, Need) override {
    out << YAML::Key << std::string(key) << YAML::Value << std::string(names.at(static_cast<std::size_t>(index)));
  }
  void year_month(std::string_view key, int& year, int& month) override {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%04d-%02d", year, month);
    out << YAML::Key << std::string(key) << YAML::Value << YAML::DoubleQuoted << std::string(buffer);
  }
  void text_list(std::string_view key, std::vector<std::string>& values) override {
    out << YAML::Key << std::string(key) << YAML::Value << YAML::Flow << YAML::BeginSeq;
    for (const auto& v : values) out << v;
    out << YAML::EndSeq;
  }
  void kind_list(std::string_view key, std::vector<OrgKind>& values) override {
    out << YAML::Key << std::string(key) << YAML::Value << YAML::Flow << YAML::BeginSeq;
    for (const auto kind : values) out << std::string(org_kind_names[static_cast<std::size_t>(kind)]);
    out << YAML::EndSeq;
  }
  void area_list(std::string_view key, std::vector<AreaIndex>& values) override {
    out << YAML::Key << std::string(key) << YAML::Value;
    write_areas(values);
  }
  void area_overrides(std::string_view key, std::map<std::string, std::vector<AreaIndex>>& values) override {
    out << YAML::Key << std::string(key) << YAML::Value << YAML::BeginMap;
    for (auto& [code, areas] : values) {
      out << YAML::Key << code << YAML::Value;
      write_areas(areas);
    }
    out << YAML::EndMap;
  }
  void instrument_list(std::string_view key, std::vector<InstrumentSpec>& values) override {
    out << YAML::Key << std::string(key) << YAML::Value << YAML::BeginSeq;
    for (auto& instrument : values) {
      out << YAML::BeginMap;
      describe_instrument(*this, instrument);
      out << YAML::EndMap;
    }
    out << YAML::EndSeq;
  }

 private:
  void write_areas(const std::vector<AreaIndex>& areas) {
    out << YAML::Flow << YAML::BeginSeq;
    for (const auto area : areas) out << std::string(thematic_area_names[area]);
    out << YAML::EndSeq;
  }
};

// ---------------------------------------------------------------------------------------------
// Composition

const std::set<std::string>& schema_set() {
  static const std::set<std::string> keys = [] {
    YamlValue empty;
    empty.kind = YamlValue::Kind::map;
    ErrorCollector ignored;
    Reader reader(empty, ignored, true);
    Scenario scenario;
    describe_scenario(reader, scenario);
    reader.finish();
    std::set<std::string> all = reader.schema;
    all.insert("extends");
    all.insert("set");
    return all;
  }();
  return keys;
}

bool is_section(const std::string& key) {
  static const std::set<std::string> sections = {"horizon", "world", "behaviour", "instruments",
                                                 "measurement", "output", "sweep", "set",
                                                 "instruments[].calendar", "instruments[].rules",
                                                 "instruments[].evaluation", "instruments[].continuation",
                                                 "world.s3_overrides"};
  return sections.count(key) > 0;
}

void merge_into(YamlValue& base, const YamlValue& overlay) {
  // Maps merge key by key; anything else (lists included) replaces what was there, so that a
  // child's instrument list never interleaves with its parent's.
  if (!base.is_map() || !overlay.is_map()) {
    base = overlay;
    return;
  }
  for (const auto& entry : overlay.entries) {
    YamlValue* existing = base.find(entry.key);
    if (existing && existing->is_map() && entry.value.is_map()) merge_into(*existing, entry.value);
    else base.set(entry.key, entry.value, entry.key_where);
  }
}

std::vector<std::string> split_path(std::string_view dotted) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const auto dot = dotted.find('.', start);
    parts.emplace_back(dotted.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return parts;
}

// Applies one dotted-path assignment (`set:` entry, `--set`, or a sweep value) to the tree.
// Returns false (with an error recorded at `where`) when the path is not a scenario key.
bool apply_set(YamlValue& root, const std::string& dotted, const YamlValue& value, const SourceLocation& where,
               ErrorCollector& errors) {
  const auto parts = split_path(dotted);
  const auto& schema = schema_set();
  auto fail = [&](std::string message, std::string valid) {
    errors.add({std::move(message), where, dotted, dotted, std::move(valid)});
    return false;
  };
  if (std::any_of(parts.begin(), parts.end(), [](const std::string& p) { return p.empty(); }))
    return fail("malformed key path", "keys joined by dots, e.g. world.scale or instruments.jci.budget");
  YamlValue* target = &root;
  std::size_t first = 0;
  std::string normalised;
  if (parts[0] == "instruments") {
    if (parts.size() < 3)
      return fail("address an instrument's key by the instrument's name",
                  "instruments.NAME.KEY, e.g. instruments.jci.budget");
    YamlValue* list = root.find("instruments");
    std::vector<std::string> names;
    YamlValue* item = nullptr;
    if (list && list->is_seq())
      for (auto& candidate : list->items)
        if (const YamlValue* name = candidate.find("name"); name && name->is_scalar()) {
          names.push_back(name->text);
          if (name->text == parts[1]) item = &candidate;
        }
    if (!item) {
      if (names.empty()) return fail("the scenario has no instruments, so there is none named '" + parts[1] + "'",
                                     "a path to a key of an existing instrument");
      const std::string hint = closest_match(parts[1], names);
      return fail("no instrument named '" + parts[1] + "'" + (hint.empty() ? "" : "; did you mean '" + hint + "'?"),
                  "instruments." + join(names, "|") + ".KEY");
    }
    target = item;
    first = 2;
    normalised = "instruments[]";
  }
  for (std::size_t i = first; i < parts.size(); ++i) normalised += (normalised.empty() ? "" : ".") + parts[i];
  const bool override_entry = parts.size() == 3 && parts[0] == "world" && parts[1] == "s3_overrides";
  if (!override_entry && (!schema.count(normalised) || is_section(normalised) || normalised == "extends")) {
    std::vector<std::string> leaves;
    for (const auto& key : schema)
      if (!is_section(key) && key != "extends") leaves.push_back(key);
    std::string hint = closest_match(normalised, leaves);
    if (!hint.empty() && first == 2) hint = "instruments." + parts[1] + hint.substr(std::string("instruments[]").size());
    if (is_section(normalised))
      return fail("'" + dotted + "' is a section; set one of its keys instead", "a dotted path to a single value");
    return fail("unknown key path" + (hint.empty() ? std::string() : "; did you mean '" + hint + "'?"),
                "a dotted path listed in docs/scenarios.md");
  }
  for (std::size_t i = first; i + 1 < parts.size(); ++i) {
    YamlValue* next = target->find(parts[i]);
    if (!next || next->is_null()) {
      YamlValue fresh;
      fresh.kind = YamlValue::Kind::map;
      fresh.where = where;
      next = &target->set(parts[i], std::move(fresh), where);
    } else if (!next->is_map()) {
      return fail("cannot set a key inside '" + parts[i] + "', which is not a map", "a path through maps");
    }
    target = next;
  }
  if (!target->is_map()) return fail("cannot set a key inside a value that is not a map", "a path through maps");
  target->set(parts.back(), value, where);
  return true;
}

struct Resolution {
  YamlValue tree;
  std::vector<std::string> files;
};

std::string display_path(const fs::path& path) { return path.lexically_normal().generic_string(); }

// Resolves one file: its `extends` chain merged below it, then its own `set:` applied.
// `chain` holds the canonical paths of the files being resolved, to detect cycles.
void resolve_into(const YamlValue& own_text_tree, const std::string& display, const fs::path& folder,
                  std::vector<std::pair<std::string, std::string>>& chain, Resolution& out,
                  ErrorCollector& errors) {
  const YamlValue& own = own_text_tree;
  if (!own.is_map())
    throw Error(ErrorInfo{"a scenario must be a map of keys", own.where, {}, describe(own),
                          "name: ..., horizon: ..., world: ... (see docs/scenarios.md)"});
  out.files.push_back(display);
  YamlValue merged;
  merged.kind = YamlValue::Kind::map;
  merged.where = own.where;
  if (const YamlValue* extends = own.find("extends")) {
    if (!extends->is_scalar() || extends->text.empty())
      throw Error(ErrorInfo{"extends names one scenario file", extends->where, "extends", describe(*extends),
                            "a path relative to this file, e.g. base.yaml"});
    const fs::path parent = folder / extends->text;
    const std::string parent_display = display_path(parent);
    std::error_code ec;
    if (!fs::is_regular_file(parent, ec))
      throw Error(ErrorInfo{"the extended file does not exist", extends->where, "extends", parent_display,
                            "a path relative to the extending file's folder"});
    const std::string canonical = fs::weakly_canonical(parent, ec).string();
    for (std::size_t i = 0; i < chain.size(); ++i)
      if (chain[i].first == canonical) {
        std::string cycle;
        for (std::size_t k = i; k < chain.size(); ++k) cycle += chain[k].second + " -> ";
        cycle += parent_display;
        throw Error(ErrorInfo{"extends forms a cycle: " + cycle, extends->where, "extends", extends->text,
                              "a chain of files that ends in a file without extends"});
      }
    if (chain.size() >= 32)
      throw Error(ErrorInfo{"extends chain is too long", extends->where, "extends", extends->text,
                            "at most 32 files"});
    chain.emplace_back(canonical, parent_display);
    const YamlValue parent_tree = parse_yaml_file(parent.string(), parent_display);
    Resolution parent_resolution;
    resolve_into(parent_tree, parent_display, parent.parent_path(), chain, parent_resolution, errors);
    chain.pop_back();
    merged = std::move(parent_resolution.tree);
    out.files.insert(out.files.end(), parent_resolution.files.begin(), parent_resolution.files.end());
  }
  YamlValue body = own;
  body.erase("extends");
  body.erase("set");
  merge_into(merged, body);
  // A relative region table is relative to the file that names it; make it relative to the
  // working directory now, while it is still known which file that was.
  if (YamlValue* world = body.find("world"); world && world->is_map())
    if (const YamlValue* table = world->find("region_table"); table && table->is_scalar() && !table->text.empty() &&
                                                             fs::path(table->text).is_relative())
      if (YamlValue* merged_world = merged.find("world"); merged_world && merged_world->is_map())
        if (YamlValue* merged_table = merged_world->find("region_table"))
          merged_table->text = display_path(folder / table->text);
  if (const YamlValue* set = own.find("set")) {
    if (!set->is_map() && !set->is_null()) {
      errors.add({"set is a map from dotted key path to value", set->where, "set", describe(*set),
                  "set: {instruments.jci.budget: 300M}"});
    } else {
      for (const auto& entry : set->entries) {
        if (entry.value.is_map()) {
          errors.add({"a set value is a single value or a list", entry.value.where, entry.key, "a map",
                      "a number, money amount, word or list"});
          continue;
        }
        apply_set(merged, entry.key, entry.value, entry.key_where, errors);
      }
    }
  }
  out.tree = std::move(merged);
}

Resolution resolve(const YamlValue& tree, const std::string& display, const fs::path& folder,
                   const std::vector<std::string>& overrides, ErrorCollector& errors) {
  Resolution resolution;
  std::error_code ec;
  std::vector<std::pair<std::string, std::string>> chain;
  chain.emplace_back(fs::weakly_canonical(fs::path(display), ec).string(), display);
  resolve_into(tree, display, folder, chain, resolution, errors);
  for (const auto& item : overrides) {
    const SourceLocation where{"--set", 0, 0};
    const auto equals = item.find('=');
    if (equals == std::string::npos || equals == 0) {
      errors.add({"expected KEY=VALUE", where, {}, item, "e.g. --set instruments.jci.budget=300M"});
      continue;
    }
    std::string key = item.substr(0, equals);
    while (!key.empty() && std::isspace(static_cast<unsigned char>(key.back()))) key.pop_back();
    const SourceLocation key_where{"--set", 0, 0};
    try {
      const YamlValue value = parse_yaml_value(std::string_view(item).substr(equals + 1), key_where);
      apply_set(resolution.tree, key, value, key_where, errors);
    } catch (const Error& e) {
      errors.add(e.info());
    }
  }
  return resolution;
}

// ---------------------------------------------------------------------------------------------
// Checks that involve several fields.

class CrossChecks {
 public:
  CrossChecks(const Scenario& s, const std::map<std::string, SourceLocation>& locations, const SourceLocation& root,
              ErrorCollector& errors)
      : s_(s), locations_(locations), root_(root), errors_(errors) {}

  void run() {
    check_world();
    for (const auto& in : s_.instruments) check_instrument(in);
    const auto& m = s_.measurement;
    if (m.every_months > s_.months)
      add("measurement.every_months", "measures less often than the horizon is long",
          std::to_string(m.every_months), "at most horizon.months (" + std::to_string(s_.months) + ")");
    if (m.expensive_every_months % m.every_months != 0)
      add("measurement.expensive_every_months", "expensive metrics must fall on measured months",
          std::to_string(m.expensive_every_months), "a multiple of every_months (" + std::to_string(m.every_months) + ")");
  }

 private:
  const Scenario& s_;
  const std::map<std::string, SourceLocation>& locations_;
  SourceLocation root_;
  ErrorCollector& errors_;

  // The location of a path, or of its nearest written ancestor (a default has no position).
  SourceLocation at(std::string path) const {
    while (true) {
      if (auto it = locations_.find(path); it != locations_.end()) return it->second;
      const auto dot = path.rfind('.');
      if (dot == std::string::npos) return root_;
      path.resize(dot);
    }
  }
  void add(const std::string& path, std::string message, std::string found, std::string valid) {
    errors_.add({std::move(message), at(path), path, std::move(found), std::move(valid)});
  }

  void check_world() {
    const auto& w = s_.world;
    const double sum = w.sme_micro_share + w.sme_small_share + w.sme_medium_share;
    if (std::abs(sum - 1.0) > 1e-6) {
      char found[64];
      std::snprintf(found, sizeof found, "%g + %g + %g = %.9g", w.sme_micro_share, w.sme_small_share,
                    w.sme_medium_share, sum);
      add(locations_.count("world.sme_micro_share") ? "world.sme_micro_share" :
          locations_.count("world.sme_small_share") ? "world.sme_small_share" : "world.sme_medium_share",
          "SME size shares must sum to 1", found, "sme_micro_share + sme_small_share + sme_medium_share = 1 (within 1e-6)");
    }
    if (w.s3_min_priorities > w.s3_max_priorities)
      add("world.s3_min_priorities", "s3_min_priorities is above s3_max_priorities",
          std::to_string(w.s3_min_priorities) + " > " + std::to_string(w.s3_max_priorities), "min <= max");
    const double labels = w.label_bronze_share + w.label_silver_share + w.label_gold_share;
    if (labels > 1.0 + 1e-9)
      add("world.label_gold_share", "label shares add up to more than 1", std::to_string(labels),
          "label_bronze_share + label_silver_share + label_gold_share <= 1");
    // Country codes are checked against EU27 only for the shipped region table.
    if (w.region_table.empty()) {
      for (std::size_t i = 0; i < w.countries.size(); ++i) {
        const auto& code = w.countries[i];
        if (!is_eu27_country(code)) {
          const std::string hint = code == "GR" ? "; Eurostat writes Greece as EL" : "";
          add("world.countries", "not an EU27 country code" + hint, code, "two-letter Eurostat codes: " + eu27_country_list());
        }
        if (std::find(w.countries.begin(), w.countries.begin() + static_cast<std::ptrdiff_t>(i), code) !=
            w.countries.begin() + static_cast<std::ptrdiff_t>(i))
          add("world.countries", "country listed twice", code, "each country once");
      }
      for (const auto& code : w.regions) {
        if (!is_nuts2_code(code) || !is_eu27_country(std::string_view(code).substr(0, 2)))
          add("world.regions", "not a NUTS-2 code of an EU27 region", code, "a code such as DE21, FR10, EL30");
      }
    }
  }

  void check_instrument(const InstrumentSpec& in) {
    const std::string p = "instruments." + in.name + ".";
    const bool grants = in.kind != InstrumentKind::exchange;
    if (grants && in.grant_max <= 0)
      add(p + "grant", "a " + std::string(in.kind == InstrumentKind::consortium ? "consortium" : "capacity_building") +
          " instrument needs a grant", format_money(in.grant_max), "grant (or grant_min and grant_max) above 0");
    if (in.grant_min > in.grant_max)
      add(p + "grant_min", "grant_min is above grant_max", format_money(in.grant_min) + " > " + format_money(in.grant_max),
          "grant_min <= grant_max");
    if (in.budget > 0 && in.grant_min > in.budget)
      add(p + "grant_min", "a single grant is larger than the instrument's budget",
          format_money(in.grant_min) + " > " + format_money(in.budget), "grant_min <= budget");
    if (in.kind == InstrumentKind::exchange) {
      if (in.lump_sum_per_visit <= 0)
        add(p + "lump_sum_per_visit", "an exchange instrument needs a lump sum per visit",
            format_money(in.lump_sum_per_visit), "an amount above 0, e.g. 1100 EUR");
      if (in.visits_per_month <= 0)
        add(p + "visits_per_month", "an exchange instrument needs visits per month", "0", "a number > 0");
    }
    if (in.sme_cascade_share > 0 && in.support_per_sme <= 0)
      add(p + "support_per_sme", "a cascade to SMEs needs a voucher size", format_money(in.support_per_sme),
          "an amount above 0 when sme_cascade_share > 0");
    if (in.support_per_sme > 0 && grants && in.grant_max > 0 && in.support_per_sme > in.grant_max)
      add(p + "support_per_sme", "one SME's support exceeds a whole grant", format_money(in.support_per_sme),
          "at most grant_max (" + format_money(in.grant_max) + ")");
    const auto& r = in.rules;
    if (r.min_partners > r.max_partners)
      add(p + "rules.min_partners", "min_partners is above max_partners",
          std::to_string(r.min_partners) + " > " + std::to_string(r.max_partners), "min_partners <= max_partners");
    if (r.min_countries > r.max_partners)
      add(p + "rules.min_countries", "more countries required than partners allowed",
          std::to_string(r.min_countries) + " > max_partners " + std::to_string(r.max_partners),
          "min_countries <= max_partners");
    const int countries = world_country_count(s_.world);
    if (r.min_countries > countries)
      add(p + "rules.min_countries", "more countries required than the world includes",
          std::to_string(r.min_countries), "at most " + std::to_string(countries) + " (the countries of world.countries / world.regions)");
    if (r.eligible_kinds.empty())
      add(p + "rules.eligible_kinds", "no organisation kind is eligible", "an empty list", "at least one kind, e.g. [cluster]");
    // Calendar: every call's deadline must fall inside the horizon.
    const auto& c = in.calendar;
    const Month last_deadline = c.open_month + (c.calls - 1) * c.call_interval_months + c.open_months;
    if (last_deadline >= s_.months)
      add(p + "calendar", "the last call's deadline is beyond the horizon",
          "month " + std::to_string(last_deadline) + " (open_month + (calls-1) * call_interval_months + open_months)",
          "before month " + std::to_string(s_.months) + " (horizon.months)");
    if (in.continuation.enabled) {
      const auto& cont = in.continuation;
      if (cont.milestone_month > in.duration_months)
        add(p + "continuation.milestone_month", "the milestone falls after the project has ended",
            std::to_string(cont.milestone_month), "at most duration_months (" + std::to_string(in.duration_months) + ")");
      const Month first_start = c.open_month + c.open_months + c.start_delay_months;
      if (first_start + cont.milestone_month >= s_.months)
        add(p + "continuation.milestone_month", "the first milestone is beyond the horizon",
            "month " + std::to_string(first_start + cont.milestone_month),
            "before month " + std::to_string(s_.months) + " (first project start " + std::to_string(first_start) + " + milestone)");
    }
  }
};

}  // namespace

// ---------------------------------------------------------------------------------------------
// Public functions

int world_country_count(const WorldConfig& world) {
  if (world.countries.empty() && world.regions.empty()) return static_cast<int>(eu27_countries.size());
  std::set<std::string> countries(world.countries.begin(), world.countries.end());
  for (const auto& region : world.regions) countries.insert(region.substr(0, 2));
  return static_cast<int>(countries.size());
}

std::vector<std::string> scenario_schema_keys() {
  const auto& keys = schema_set();
  return {keys.begin(), keys.end()};
}

namespace {

Scenario parse_resolved(Resolution resolution, ErrorCollector& errors) {
  Scenario scenario;
  Reader reader(resolution.tree, errors, false);
  describe_scenario(reader, scenario);
  reader.finish();
  CrossChecks(scenario, reader.locations, resolution.tree.where, errors).run();

  // A sweep must name a settable key, and each value must make a valid scenario: each value is
  // applied to a copy and read again, and only the problems it adds are reported (at the value).
  const YamlValue* sweep = resolution.tree.find("sweep");
  if (sweep && sweep->is_map() && (!scenario.sweep.parameter.empty() || !scenario.sweep.values.empty())) {
    const YamlValue* parameter = sweep->find("parameter");
    const YamlValue* values = sweep->find("values");
    if (scenario.sweep.parameter.empty())
      errors.add({"a sweep needs a parameter", sweep->where, "sweep.parameter", {}, "a dotted key, e.g. instruments.jci.budget"});
    else if (!values || !values->is_seq() || values->items.empty())
      errors.add({"a sweep needs at least one value", values ? values->where : sweep->where, "sweep.values",
                  values ? describe(*values) : "", "a non-empty list, e.g. [0, 50M, 100M]"});
    else {
      bool path_ok = true;
      for (const auto& value : values->items) {
        if (!value.is_scalar()) continue;  // already reported by the reader
        YamlValue copy = resolution.tree;
        copy.erase("sweep");
        ErrorCollector trial;
        if (!apply_set(copy, scenario.sweep.parameter, value, value.where, trial)) {
          if (path_ok)
            for (auto info : trial.errors()) {
              info.where = parameter ? parameter->where : sweep->where;
              info.key = "sweep.parameter";
              errors.add(std::move(info));
            }
          path_ok = false;
          continue;
        }
        Scenario variant;
        Reader variant_reader(copy, trial, false);
        describe_scenario(variant_reader, variant);
        variant_reader.finish();
        CrossChecks(variant, variant_reader.locations, copy.where, trial).run();
        for (auto info : trial.errors()) {
          if (info.where.file != value.where.file || info.where.line != value.where.line ||
              info.where.column != value.where.column)
            continue;
          info.message = "sweep value: " + info.message;
          errors.add(std::move(info));
        }
      }
    }
  }
  errors.throw_if_any();
  scenario.source_files = std::move(resolution.files);
  return scenario;
}

Scenario load_tree(const YamlValue& tree, const std::string& display, const fs::path& folder,
                   const std::vector<std::string>& overrides) {
  ErrorCollector errors;
  Resolution resolution = resolve(tree, display, folder, overrides, errors);
  const std::string resolved = emit_yaml(resolution.tree);
  Scenario scenario = parse_resolved(std::move(resolution), errors);
  scenario.resolved_yaml = resolved;
  return scenario;
}

}  // namespace

Scenario load_scenario(const std::string& path, const std::vector<std::string>& set_overrides) {
  const std::string display = display_path(path);
  const YamlValue tree = parse_yaml_file(path, display);
  return load_tree(tree, display, fs::path(display).parent_path(), set_overrides);
}

Scenario load_scenario_text(std::string_view text, const std::string& display_name, const std::string& base_dir,
                            const std::vector<std::string>& set_overrides) {
  const YamlValue tree = parse_yaml_text(text, display_name);
  return load_tree(tree, display_name, fs::path(base_dir), set_overrides);
}

std::string resolve_scenario_text(const std::string& path, const std::vector<std::string>& set_overrides) {
  const std::string display = display_path(path);
  const YamlValue tree = parse_yaml_file(path, display);
  ErrorCollector errors;
  Resolution resolution = resolve(tree, display, fs::path(display).parent_path(), set_overrides, errors);
  errors.throw_if_any();
  return emit_yaml(resolution.tree);
}

std::string effective_scenario_yaml(const Scenario& scenario) {
  Scenario copy = scenario;
  Writer writer;
  describe_scenario(writer, copy);
  return writer.finish();
}

}  // namespace clusternet::io
