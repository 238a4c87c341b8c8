#pragma once
// `clusternet calibrate --fit`: the behaviour parameters fitted to the participation-level facts of
// Horizon 2020 2014-2017 by the method of simulated moments (docs/calibration.md). The distance is
// the sum over the fitted facts of ((simulated - real) / scale)^2, the scale being the real fact's
// 95% resampling half-width or 2% of its value, whichever is larger (5% for the project volume,
// which has no interval); the simulated facts are means over replicates run with common random
// numbers, so the distance is a deterministic function of the parameters. It is minimised by
// Nelder-Mead in blocks of parameters that act on related facts (project size; the project rate of
// each kind; the concentration of activity; repeated partnerships; geography), cycling over the
// blocks, each in the unit cube of its parameters' ranges. Network structure and the 2018-2020
// period are never part of the distance: they are the validation.
#include <cstdint>
#include <string>
#include <vector>

#include "engine/calibration.hpp"

namespace clusternet::app {

struct FitParameter {
  const char* key;   // a behaviour.* scenario key
  double low, high;
  bool log_scale;
  int block;         // parameters of one block are fitted together
};

// The fitted parameters, their ranges and blocks (documented in docs/calibration.md).
const std::vector<FitParameter>& fit_parameters();

// The facts in the distance: scope autonomous, period 2014-2017.
const std::vector<std::string>& fitted_fact_names();

struct FitSettings {
  std::string scenario;          // a scenario without instruments (scenarios/base.yaml)
  std::string facts;             // scenarios/data/calibration/h2020_facts.csv
  double scale = 0.25;           // the facts are per organisation and per project: scale-free enough
  std::uint32_t replicates = 2;
  std::size_t evaluations = 320; // in all, shared out over the blocks and cycles
  int cycles = 2;
  std::uint64_t seed = 1;
  std::vector<std::string> sets; // applied before the fitted parameters
  bool quiet = false;
};

struct FitOutcome {
  std::vector<std::pair<std::string, double>> parameters;  // key, fitted value (fit_parameters order)
  double start_distance = 0, distance = 0;
  std::size_t evaluations = 0;
};

// Runs the fit. Throws clusternet::Error for an unreadable scenario or facts file.
FitOutcome fit_behaviour(const FitSettings& settings);

}  // namespace clusternet::app
