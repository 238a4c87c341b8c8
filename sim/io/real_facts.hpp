#pragma once
// The real-data facts of scenarios/data/calibration/h2020_facts.csv (computed from CORDIS by
// scripts/calibration/h2020_facts.py), read for `clusternet calibrate`.
#include <string>
#include <vector>

namespace clusternet::io {

struct RealFact {
  std::string fact;      // e.g. participations_once_share
  std::string scope;     // autonomous | funded
  std::string period;    // 2014-2017 | 2018-2020
  double value = 0;
  double ci_low = 0, ci_high = 0;  // NaN when the table gives no interval
  std::string role;      // fit | fit-direct | validate
  std::string definition;
};

// Throws clusternet::Error (file:line, column, what is valid) for a missing file, a missing column,
// a number that does not parse or an unknown role.
std::vector<RealFact> load_real_facts(const std::string& path);

}  // namespace clusternet::io
