#pragma once
// Where the files shipped with the program live (scenarios/, scenarios/data/ with the region table,
// calibration targets and boundaries, scripts/): found from the program's own location, so that
// an installed tree (`cmake --install build --prefix P`) works wherever it is moved and from any
// working directory.
//
// Looked for, in order: the installed layout next to the executable (<exe dir>/<relative data
// dir>, by default ../share/clusternet), then the source tree the program was built from (a build
// run in place). A directory counts only when it holds scenarios/data/nuts2_2021_regions.csv.
#include <string>

namespace clusternet {

// The directory that holds scenarios/ (and scripts/). Throws clusternet::Error naming the places
// looked at when none holds the shipped data.
const std::string& shipped_root();
// shipped_root() + "/scenarios/data".
std::string shipped_data_dir();

}  // namespace clusternet
