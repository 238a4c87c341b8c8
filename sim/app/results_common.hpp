#pragma once
// Shared by the commands that read result files (info, check, compare, export): an unusable file
// (missing, not HDF5, truncated, foreign, incomplete, .partial, malformed) is reported in one line
// and ends with exit 2, as the README and issue 7 specify; other errors keep main()'s handling.
#include <cmath>
#include <cstdio>
#include <fmt/format.h>
#include <iostream>
#include <string>

#include "app/commands.hpp"
#include "io/results_reader.hpp"

namespace clusternet::app {

template <typename Body>
int with_result_files(const char* command, Body body) {
  try {
    return body();
  } catch (const io::ResultsFileError& e) {
    std::cerr << "clusternet " << command << ": " << e.what() << '\n';
    return exit_usage;
  }
}

// A number for people: shortest round-trip text, "n/a" for NaN.
inline std::string num(double x) {
  if (std::isnan(x)) return "n/a";
  return fmt::format("{:.6g}", x);
}

// Final recorded month index at which any replicate of series `s` has a finite value (metrics
// measured every few months are NaN in between); months.size() - 1 when none has.
inline std::size_t last_measured_month(const RunResults& r, std::size_t s) {
  for (std::size_t m = r.months.size(); m-- > 0;)
    for (const auto& rep : r.replicates)
      if (std::isfinite(rep.series[s][m])) return m;
  return r.months.empty() ? 0 : r.months.size() - 1;
}

}  // namespace clusternet::app
