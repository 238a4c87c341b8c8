// libFuzzer harness: the result-file reader (read_info, read_results, read_summary) on arbitrary
// bytes. ResultsFileError is a correct answer; a crash, a sanitizer report, a hang, an allocation
// beyond libFuzzer's -rss_limit_mb or another exception type is a finding. HDF5 itself is not
// instrumented: a memory error inside it shows only when it crashes.
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "fuzz_support.hpp"
#include "io/isolated_read.hpp"
#include "io/results_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace clusternet;
  // scripts/fuzz.sh first runs the seeds alone with this set: a harness that cannot read a valid
  // result (HDF5 refused the memfd name once) would fuzz nothing but the first check. libFuzzer
  // runs the empty input before the seeds; that one is not a seed.
  static const bool seeds_must_read = std::getenv("CLUSTERNET_FUZZ_SEEDS_MUST_READ") != nullptr;
  if (seeds_must_read && size == 0) return 0;
  // In process, not in the readers' child process (io/isolated_read.hpp): the fuzzer must see a
  // crash in our code, and its coverage. Crashes inside HDF5 itself are sorted out by fuzz.sh.
  // scripts/fuzz.sh replays what crashed with CLUSTERNET_FUZZ_ISOLATED set, as the program reads.
  static const bool isolated = std::getenv("CLUSTERNET_FUZZ_ISOLATED") != nullptr;
  io::read_isolation() = isolated;
  static fuzz::MemoryFile file("result.h5", fuzz::MemoryFile::Kind::shared_memory_path);
  const std::string& path = file.hold({reinterpret_cast<const char*>(data), size});
  try {
    (void)io::read_info(path);
    (void)io::read_results(path);
    (void)io::read_summary(path);
  } catch (const io::ResultsFileError& e) {
    if (seeds_must_read) {
      std::fprintf(stderr, "a seed result is refused: %s\n", e.what());
      std::abort();
    }
  }
  return 0;
}
