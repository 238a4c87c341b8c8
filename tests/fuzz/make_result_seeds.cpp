// Writes the seed result files of the result-reader fuzzer into a folder: synthetic results (the
// engine is not needed) of a few shapes, uncompressed, so that mutations reach the structure and
// values instead of breaking a deflate stream, plus one compressed file for the filter path.
//   make_result_seeds OUT_DIR
#include <filesystem>
#include <iostream>
#include <string>

#include "io/results_writer.hpp"
#include "sample_results.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: make_result_seeds OUT_DIR\n";
    return 2;
  }
  namespace fs = std::filesystem;
  fs::create_directories(argv[1]);
  struct Shape {
    const char* name;
    int replicates, months, compression;
  };
  const Shape shapes[] = {{"one-replicate.h5", 1, 2, 0}, {"three-replicates.h5", 3, 4, 0}, {"compressed.h5", 2, 3, 4}};
  try {
    for (const auto& s : shapes) {
      clusternet::io::WriteOptions options;
      options.force = true;
      options.compression_level = s.compression;
      clusternet::io::write_results(clusternet::testing::make_sample_results(7, s.replicates, s.months),
                                    (fs::path(argv[1]) / s.name).string(), options);
    }
  } catch (const std::exception& e) {
    std::cerr << "make_result_seeds: " << e.what() << '\n';
    return 1;
  }
  return 0;
}
