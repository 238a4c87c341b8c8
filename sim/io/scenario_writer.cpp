// Writing a Scenario back as YAML (effective_scenario_yaml): every field, defaults included, money
// in the parser's own short form, so that the text loads back to the same values.
#include <yaml-cpp/yaml.h>

#include <charconv>
#include <cstdio>
#include <functional>

#include "io/money.hpp"
#include "io/scenario_fields.hpp"
#include "io/scenario_loader.hpp"
#include "world/world.hpp"

namespace clusternet::io {

namespace {

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
  void sweep_parameter_list(std::string_view key, std::vector<SweepParameterSpec>& values) override {
    out << YAML::Key << std::string(key) << YAML::Value << YAML::BeginSeq;
    for (auto& parameter : values) {
      out << YAML::BeginMap;
      describe_sweep_parameter(*this, parameter);
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

}  // namespace

std::string effective_scenario_yaml(const Scenario& scenario) {
  Scenario copy = scenario;
  Writer writer;
  describe_scenario(writer, copy);
  return writer.finish();
}

}  // namespace clusternet::io
