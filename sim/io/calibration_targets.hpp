#pragma once
// Calibration targets: published figures that a shipped scenario's results should land near
// (scenarios/data/calibration_targets.yaml). Read by `clusternet calibrate`.
#include <string>
#include <vector>

namespace clusternet::io {

struct CalibrationTarget {
  std::string scenario;   // path, resolved against the targets file's folder
  std::string metric;     // series name (network or policy group)
  double published = 0;
  std::string source;
  int line = 0;           // where the target is written, for messages
};

// Throws Error (file:line:column, key, what is valid) for a missing file, bad YAML, an unknown key or
// a missing field.
std::vector<CalibrationTarget> load_calibration_targets(const std::string& path);

}  // namespace clusternet::io
