#pragma once
// Sweep files: a scenario file (it may extend another) with a `sweep:` section, documented in
// docs/scenarios.md. Loaded through the scenario loader's own steps (extends, set, --set, --seed,
// every value checked with file, line and key), then every point of the design set on the scenario
// and checked as a scenario before anything runs.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/scenario.hpp"
#include "engine/sweep.hpp"

namespace clusternet::io {

class SweepDefinition {
 public:
  struct Impl;
  explicit SweepDefinition(std::unique_ptr<Impl> impl);
  SweepDefinition(SweepDefinition&&) noexcept;
  SweepDefinition& operator=(SweepDefinition&&) noexcept;
  ~SweepDefinition();

  const SweepPlan& plan() const;
  // The scenario the sweep varies: the file without its sweep section, overrides applied.
  const Scenario& base() const;
  // The whole resolved sweep file, sweep section included (stored in the result).
  const std::string& resolved_yaml() const;
  const std::vector<std::string>& source_files() const;
  // The resolved scenario text of a point: the base with the point's values set. Tasks of the point
  // are identified by a checksum of it (and of their replicate).
  std::string point_text(std::size_t point) const;
  // The scenario of a point, read and checked like a scenario file. Throws Error/ErrorList (never
  // for a point of a plan that load_sweep accepted).
  Scenario point_scenario(std::size_t point) const;
  // What the world of a point is built from (its world settings and seed), as text: points with
  // the same text share one world.
  std::string world_text(std::size_t point) const;

 private:
  std::unique_ptr<Impl> impl_;
};

// Loads the sweep file at `path` with `set_overrides` ("dotted.key=value", e.g. "replicates=5")
// and `seed` applied as for `clusternet run`. Throws Error or ErrorList with every problem (file,
// line, key), including a file without a sweep section.
SweepDefinition load_sweep(const std::string& path, const std::vector<std::string>& set_overrides = {},
                           std::optional<std::uint64_t> seed = std::nullopt);

}  // namespace clusternet::io
