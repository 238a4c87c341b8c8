#include "io/sweep_keys.hpp"

#include <charconv>
#include <cmath>
#include <functional>
#include <vector>

#include "io/money.hpp"
#include "io/scenario_fields.hpp"

namespace clusternet::io::sweep_keys {
namespace {

// The kind of every numeric leaf of the schema, by schema path ("instruments[].budget"), read off
// the same descriptions the parser reads: a key added to the schema can be swept at once.
class KindCollector final : public FieldVisitor {
 public:
  std::map<std::string, SweptKind> kinds;

  void section(std::string_view key, const std::function<void()>& body) override {
    prefixes_.push_back(path(key));
    body();
    prefixes_.pop_back();
  }
  void text(std::string_view, std::string&, Need) override {}
  void boolean(std::string_view, bool&) override {}
  void real(std::string_view key, double&, Range) override { kinds[path(key)] = SweptKind::number; }
  void whole(std::string_view key, std::int64_t&, std::int64_t, std::int64_t) override {
    kinds[path(key)] = SweptKind::whole;
  }
  void money(std::string_view key, Cents&, Need) override { kinds[path(key)] = SweptKind::money; }
  void grant_range(Cents&, Cents&) override {
    for (const char* key : {"grant", "grant_min", "grant_max"}) kinds[path(key)] = SweptKind::money;
  }
  void choice(std::string_view, int&, const std::vector<std::string_view>&, Need) override {}
  void year_month(std::string_view, int&, int&) override {}
  void text_list(std::string_view, std::vector<std::string>&) override {}
  void kind_list(std::string_view, std::vector<OrgKind>&) override {}
  void area_list(std::string_view, std::vector<AreaIndex>&) override {}
  void area_overrides(std::string_view, std::map<std::string, std::vector<AreaIndex>>&) override {}
  void instrument_list(std::string_view key, std::vector<InstrumentSpec>&) override {
    InstrumentSpec spec;
    prefixes_.push_back(path(key) + "[]");
    describe_instrument(*this, spec);
    prefixes_.pop_back();
  }
  void sweep_parameter_list(std::string_view, std::vector<SweepParameterSpec>&) override {}

 private:
  std::vector<std::string> prefixes_;
  std::string path(std::string_view key) const {
    return prefixes_.empty() ? std::string(key) : prefixes_.back() + "." + std::string(key);
  }
};

}  // namespace

const std::map<std::string, SweptKind>& numeric_kinds() {
  static const std::map<std::string, SweptKind> kinds = [] {
    KindCollector collector;
    Scenario scenario;
    describe_scenario(collector, scenario);
    return collector.kinds;
  }();
  return kinds;
}

std::string schema_path_of(const std::string& key) {
  const std::string prefix = "instruments.";
  if (key.rfind(prefix, 0) == 0) {
    const auto dot = key.find('.', prefix.size());
    if (dot != std::string::npos) return "instruments[]" + key.substr(dot);
  }
  return key;
}

std::string fixed_key_reason(const std::string& schema_key) {
  if (schema_key == "seed")
    return "every point runs with the same seed (common random numbers); replicates give the spread";
  if (schema_key == "replicates") return "every point runs the same replicates (set them with --replicates)";
  if (schema_key == "horizon.months" || schema_key.rfind("measurement.", 0) == 0 ||
      schema_key.rfind("output.", 0) == 0)
    return "it changes what is recorded, and a sweep stacks its points as [point, replicate, month] with the "
           "same "
           "months and series at every point";
  return {};
}

std::optional<double> parse_value(SweptKind kind, std::string_view text, std::string& problem) {
  if (kind == SweptKind::money) {
    const MoneyParse parsed = parse_money(text);
    if (!parsed.cents) {
      problem = "not an amount of euros: " + parsed.problem;
      return std::nullopt;
    }
    return static_cast<double>(*parsed.cents) / 100.0;
  }
  std::string_view s = text;
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  if (kind == SweptKind::whole) {
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size()) {
      problem = "not a whole number";
      return std::nullopt;
    }
    return static_cast<double>(value);
  }
  double value = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size() || !std::isfinite(value)) {
    problem = "not a finite number";
    return std::nullopt;
  }
  return value;
}

std::string kind_valid(SweptKind kind) {
  if (kind == SweptKind::money) return std::string(money_forms);
  if (kind == SweptKind::whole) return "a whole number";
  return "a number";
}

}  // namespace clusternet::io::sweep_keys
