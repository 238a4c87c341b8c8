// Test-only program: writes a synthetic result file so that CTest can exercise `clusternet info`,
// `check`, `compare` and `export` and the h5py reader without running the engine.
//   make_sample_results OUT.h5 [--seed S] [--replicates N] [--months M] [--scale X] [--scenario NAME] [--force]
#include <cstdlib>
#include <iostream>
#include <string>

#include "io/results_writer.hpp"
#include "sample_results.hpp"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: make_sample_results OUT.h5 [--seed S] [--replicates N] [--months M] [--scale X] "
                 "[--scenario NAME] [--force]\n";
    return 2;
  }
  std::uint64_t seed = 42;
  int replicates = 3, months = 12;
  double scale = 1.0;
  std::string scenario = "sample";
  clusternet::io::WriteOptions options;
  for (int i = 2; i < argc; ++i) {
    const std::string a = argv[i];
    const bool has_value = i + 1 < argc;
    if (a == "--seed" && has_value) seed = std::strtoull(argv[++i], nullptr, 10);
    else if (a == "--replicates" && has_value) replicates = std::atoi(argv[++i]);
    else if (a == "--months" && has_value) months = std::atoi(argv[++i]);
    else if (a == "--scale" && has_value) scale = std::atof(argv[++i]);
    else if (a == "--scenario" && has_value) scenario = argv[++i];
    else if (a == "--force") options.force = true;
    else {
      std::cerr << "make_sample_results: unknown argument " << a << '\n';
      return 2;
    }
  }
  try {
    clusternet::io::write_results(clusternet::testing::make_sample_results(seed, replicates, months, scale, scenario),
                                  argv[1], options);
  } catch (const std::exception& e) {
    std::cerr << "make_sample_results: " << e.what() << '\n';
    return 1;
  }
  return 0;
}
