#pragma once
// The scenario schema, written once as "describe" functions over a FieldVisitor (internal to
// sim/io). The reader (YAML -> structs, with validation of each value), the writer (structs ->
// YAML) and the schema listing are three visitors over the same descriptions, so a field added
// here is read, written, listed (and therefore documented, by the docs test) in one place.
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "engine/scenario.hpp"

namespace clusternet::io {

// A closed or open interval for numbers; `text()` describes it for error messages.
struct Range {
  double min;
  double max;
  bool min_open = false;
  bool max_open = false;
  std::string text() const;
  bool contains(double value) const;
};

enum class Need { optional, required };

class FieldVisitor {
 public:
  virtual ~FieldVisitor() = default;
  // A nested map; `body` describes its fields.
  virtual void section(std::string_view key, const std::function<void()>& body) = 0;
  virtual void text(std::string_view key, std::string& value, Need need = Need::optional) = 0;
  virtual void boolean(std::string_view key, bool& value) = 0;
  virtual void real(std::string_view key, double& value, Range range) = 0;
  virtual void whole(std::string_view key, std::int64_t& value, std::int64_t min, std::int64_t max) = 0;
  virtual void money(std::string_view key, Cents& value, Need need = Need::optional) = 0;
  // `grant` (one amount for both bounds) or `grant_min` and `grant_max`.
  virtual void grant_range(Cents& min, Cents& max) = 0;
  virtual void choice(std::string_view key, int& index, const std::vector<std::string_view>& names,
                      Need need) = 0;
  virtual void year_month(std::string_view key, int& year, int& month) = 0;
  virtual void text_list(std::string_view key, std::vector<std::string>& values) = 0;
  virtual void kind_list(std::string_view key, std::vector<OrgKind>& values) = 0;
  virtual void area_list(std::string_view key, std::vector<AreaIndex>& values) = 0;
  virtual void area_overrides(std::string_view key, std::map<std::string, std::vector<AreaIndex>>& values) = 0;
  virtual void instrument_list(std::string_view key, std::vector<InstrumentSpec>& values) = 0;
  // The swept keys of a sweep design, each item described by describe_sweep_parameter.
  virtual void sweep_parameter_list(std::string_view key, std::vector<SweepParameterSpec>& values) = 0;

  // Integer fields of any width go through `whole` (the range keeps them representable).
  template <typename Int>
  void integer(std::string_view key, Int& value, std::int64_t min, std::int64_t max) {
    std::int64_t wide = static_cast<std::int64_t>(value);
    whole(key, wide, min, max);
    value = static_cast<Int>(wide);
  }
};

void describe_scenario(FieldVisitor& visitor, Scenario& scenario);
void describe_instrument(FieldVisitor& visitor, InstrumentSpec& instrument);
void describe_sweep_parameter(FieldVisitor& visitor, SweepParameterSpec& parameter);

}  // namespace clusternet::io
