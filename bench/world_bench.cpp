// World generation benchmark: median wall time of several builds per (scale, threads), bytes per
// organisation, peak resident memory. Usage: world_bench [scale ...] (default: 1 10 250).
// Repeats: 5 below scale 10, 3 below 100, 1 above, since a scale-250 build is tens of seconds.
// Threads: 1 and 2 (the target machine has 2 cores). The region table is loaded once, outside the
// timing, as the engine does.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "core/parallel.hpp"
#include "io/region_table_csv.hpp"
#include "world/generate.hpp"
#include "world/regions.hpp"

namespace {
double peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return double(usage.ru_maxrss) / 1024.0;  // Linux reports KiB
}
}  // namespace

int main(int argc, char** argv) {
  using namespace clusternet;
  std::vector<double> scales;
  for (int i = 1; i < argc; ++i) scales.push_back(std::atof(argv[i]));
  if (scales.empty()) scales = {1, 10, 250};
  const RegionTable table = io::load_region_table(WorldConfig{});
  std::printf("%8s %8s %8s %12s %12s %12s %12s %12s %14s\n", "scale", "threads", "repeats", "orgs", "median_s",
              "min_s", "world_MiB", "bytes/org", "peak_rss_MiB");
  for (double scale : scales) {
    WorldConfig config;
    config.scale = scale;
    const int repeats = scale < 10 ? 5 : scale < 100 ? 3 : 1;
    for (std::size_t threads : {std::size_t{1}, std::size_t{2}}) {
      const ThreadLimit limit(threads);
      std::vector<double> seconds;
      std::size_t bytes = 0, orgs = 0;
      for (int r = 0; r < repeats; ++r) {
        const auto start = std::chrono::steady_clock::now();
        const World world = build_world(config, table, 1);
        seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
        bytes = world.memory_bytes();
        orgs = world.orgs.size();
      }
      std::sort(seconds.begin(), seconds.end());
      std::printf("%8g %8zu %8d %12zu %12.3f %12.3f %12.1f %12.1f %14.1f\n", scale, threads, repeats, orgs,
                  seconds[seconds.size() / 2], seconds.front(), double(bytes) / 1048576.0,
                  double(bytes) / double(orgs), peak_rss_mib());
      std::fflush(stdout);
    }
  }
  return 0;
}
