#pragma once
// Policy outcomes of a run at the current month, cumulative since the start (MODEL.md, "What is
// measured", Policy). Names are fixed: they are the HDF5 dataset names under /metrics/policy.
#include <string_view>
#include <vector>

#include "engine/results.hpp"
#include "engine/simulation.hpp"

namespace clusternet {

// Every policy metric, in recording order, with description and unit.
const std::vector<SeriesInfo>& policy_metric_infos();

// Values in the order of policy_metric_infos().
std::vector<double> policy_metrics(const Simulation& simulation);

// Gini coefficient of non-negative values (0 all equal, towards 1 concentrated); 0 for an empty or
// all-zero input. Sorted-order formula, exact for the given values.
double gini(std::vector<double> values);

}  // namespace clusternet
