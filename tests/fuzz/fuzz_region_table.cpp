// libFuzzer harness: the region table reader (CSV dialect, columns, codes, numbers) and the table
// built from its records with the default world settings (imputation, country and region checks).
// clusternet::Error is a correct answer; anything else is a finding.
#include <cstdint>

#include "core/error.hpp"
#include "fuzz_support.hpp"
#include "io/region_table_csv.hpp"
#include "world/regions.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace clusternet;
  static fuzz::MemoryFile file("regions.csv");
  const std::string& path = file.hold({reinterpret_cast<const char*>(data), size});
  try {
    auto records = io::read_region_records(path);
    (void)build_region_table(std::move(records), path, WorldConfig{});
  } catch (const Error&) {
  }
  return 0;
}
