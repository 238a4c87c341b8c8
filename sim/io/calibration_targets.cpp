#include "io/calibration_targets.hpp"

#include <yaml-cpp/yaml.h>

#include <cmath>
#include <filesystem>
#include <set>

#include "core/error.hpp"
#include "io/yaml_tree.hpp"

namespace clusternet::io {

std::vector<CalibrationTarget> load_calibration_targets(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    throw Error(ErrorInfo{std::filesystem::exists(path, ec) ? "the calibration targets file is not a regular file"
                                                             : "calibration targets file not found",
                          {path, 0, 0}, "", "", "an existing YAML file"});
  // Checked before yaml-cpp reads the whole file into memory.
  if (const auto size = std::filesystem::file_size(path, ec); ec || size > max_scenario_bytes)
    throw Error(ErrorInfo{"the calibration targets file is too large to be one", {path, 0, 0}, "",
                          std::to_string(size) + " bytes", "at most " + std::to_string(max_scenario_bytes) + " bytes"});
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::Exception& e) {
    throw Error(ErrorInfo{e.msg, {path, e.mark.line + 1, e.mark.column + 1}, "", "", "valid YAML"});
  }
  auto where = [&](const YAML::Node& n) { return SourceLocation{path, n.Mark().line + 1, n.Mark().column + 1}; };
  const YAML::Node list = root["targets"];
  if (!list || !list.IsSequence())
    throw Error(ErrorInfo{"missing list", where(root), "targets", "", "a list of {scenario, metric, published, source}"});
  const std::filesystem::path base = std::filesystem::path(path).parent_path();
  const std::set<std::string> keys = {"scenario", "metric", "published", "source"};
  std::vector<CalibrationTarget> targets;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const YAML::Node item = list[i];
    const std::string key_path = "targets[" + std::to_string(i) + "]";
    if (!item.IsMap()) throw Error(ErrorInfo{"not a map", where(item), key_path, "", "{scenario, metric, published, source}"});
    for (const auto& kv : item) {
      const auto key = kv.first.as<std::string>();
      if (!keys.count(key))
        throw Error(ErrorInfo{"unknown key", where(kv.first), key_path + "." + key, key, "scenario, metric, published, source"});
    }
    for (const char* required : {"scenario", "metric", "published"})
      if (!item[required]) throw Error(ErrorInfo{"missing key", where(item), key_path + "." + required, "", "a value"});
    CalibrationTarget t;
    t.scenario = (base / item["scenario"].as<std::string>()).lexically_normal().string();
    t.metric = item["metric"].as<std::string>();
    try {
      t.published = item["published"].as<double>();
    } catch (const YAML::Exception&) {
      throw Error(ErrorInfo{"not a number", where(item["published"]), key_path + ".published",
                            item["published"].as<std::string>(), "a finite number"});
    }
    if (!std::isfinite(t.published))
      throw Error(ErrorInfo{"not finite", where(item["published"]), key_path + ".published", "", "a finite number"});
    if (item["source"]) t.source = item["source"].as<std::string>();
    t.line = item.Mark().line + 1;
    targets.push_back(std::move(t));
  }
  return targets;
}

}  // namespace clusternet::io
