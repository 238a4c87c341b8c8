// libFuzzer harness: the result-file reader (read_info, read_results, read_summary) on arbitrary
// bytes. ResultsFileError is a correct answer; a crash, a sanitizer report, a hang, an allocation
// beyond libFuzzer's -rss_limit_mb or another exception type is a finding. HDF5 itself is not
// instrumented: a memory error inside it shows only when it crashes.
#include <cstdint>

#include "fuzz_support.hpp"
#include "io/results_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace clusternet;
  static fuzz::MemoryFile file("result.h5");
  const std::string& path = file.hold({reinterpret_cast<const char*>(data), size});
  try {
    (void)io::read_info(path);
    (void)io::read_results(path);
    (void)io::read_summary(path);
  } catch (const io::ResultsFileError&) {
  }
  return 0;
}
