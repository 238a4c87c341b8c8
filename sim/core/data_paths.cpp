#include "core/data_paths.hpp"

#include <filesystem>
#include <system_error>

#include "core/error.hpp"

#ifndef CLUSTERNET_SOURCE_DIR
#error "CLUSTERNET_SOURCE_DIR must be defined by the build (sim/core/CMakeLists.txt)"
#endif
#ifndef CLUSTERNET_RELATIVE_DATA_DIR
#error "CLUSTERNET_RELATIVE_DATA_DIR must be defined by the build (sim/core/CMakeLists.txt)"
#endif

namespace clusternet {

namespace {
namespace fs = std::filesystem;

bool holds_shipped_data(const fs::path& root) {
  std::error_code ec;
  return fs::is_regular_file(root / "scenarios" / "data" / "nuts2_2021_regions.csv", ec);
}

std::string find_root() {
  std::string looked;
  std::error_code ec;
  // /proc/self/exe names the executable itself, symbolic links resolved: a link to the program
  // in ~/bin still finds the tree it was installed into.
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const fs::path installed = (exe.parent_path() / CLUSTERNET_RELATIVE_DATA_DIR).lexically_normal();
    if (holds_shipped_data(installed)) return installed.string();
    looked = installed.string();
  }
  const fs::path source = CLUSTERNET_SOURCE_DIR;
  if (holds_shipped_data(source)) return source.string();
  looked += (looked.empty() ? "" : ", ") + source.string();
  throw Error(ErrorInfo{"cannot find the data shipped with clusternet (scenarios/data/nuts2_2021_regions.csv)", {},
                        "", looked,
                        "an installed tree (bin/clusternet beside share/clusternet) or the source tree it was built from"});
}
}  // namespace

const std::string& shipped_root() {
  static const std::string root = find_root();  // thread-safe once; a failure is retried next call
  return root;
}

std::string shipped_data_dir() { return shipped_root() + "/scenarios/data"; }

}  // namespace clusternet
