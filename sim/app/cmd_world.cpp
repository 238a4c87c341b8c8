// `clusternet world`: builds the world of a scale and seed and prints what it holds, as text or as
// one JSON object, so a researcher can check the calibration before running anything on it.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "app/cli_numbers.hpp"
#include "app/commands.hpp"
#include "app/json_text.hpp"
#include "core/error.hpp"
#include "core/parallel.hpp"
#include "io/region_table_csv.hpp"
#include "world/generate.hpp"
#include "world/regions.hpp"

namespace clusternet::app {
namespace {

struct WorldOptions {
  double scale = 1.0;
  std::uint64_t seed = 1;
  bool json = false;
  int threads = 0;
  std::string regions_file;
  std::vector<std::string> countries;
  std::vector<std::string> regions;
};

struct WorldSummary {
  std::size_t regions = 0, countries = 0;
  std::array<std::size_t, 3> regions_by_category{};
  std::array<std::uint64_t, org_kind_count> by_kind{};
  std::array<std::array<std::uint64_t, org_kind_count>, 3> by_category_kind{};
  std::array<std::uint64_t, 4> labels{};
  std::uint64_t organisations = 0, memberships = 0;
  std::array<std::uint64_t, org_kind_count> memberships_by_kind{};
  std::uint64_t members_min = 0, members_median = 0, members_max = 0;
  double members_mean = 0;
  std::uint64_t orgs_without_cluster = 0;  // SMEs, large firms and research orgs with no membership
  std::vector<std::string> imputation_notes;
  std::size_t memory_bytes = 0, estimated_bytes = 0;
  double load_seconds = 0, build_seconds = 0;
  std::size_t threads = 0;
};

WorldSummary summarise(const World& world) {
  WorldSummary s;
  s.regions = world.regions.size();
  s.countries = world.regions.countries.size();
  for (std::size_t r = 0; r < s.regions; ++r) {
    const auto category = std::size_t(world.regions.regions[r].category);
    s.regions_by_category[category] += 1;
    for (int k = 0; k < org_kind_count; ++k) {
      const auto [first, last] = world.orgs_of(RegionIndex(r), OrgKind(k));
      s.by_kind[std::size_t(k)] += last - first;
      s.by_category_kind[category][std::size_t(k)] += last - first;
    }
  }
  s.organisations = world.orgs.size();
  const auto& ms = world.memberships;
  s.memberships = ms.clusters.size();
  for (std::size_t o = 0; o < world.orgs.size(); ++o) {
    const auto n = ms.cluster_offsets[o + 1] - ms.cluster_offsets[o];
    s.memberships_by_kind[std::size_t(world.orgs.kind[o])] += n;
    if (n == 0 && world.orgs.kind[o] != OrgKind::cluster) s.orgs_without_cluster += 1;
  }
  std::vector<std::uint64_t> sizes(world.cluster_orgs.size());
  for (std::size_t c = 0; c < sizes.size(); ++c) sizes[c] = ms.member_offsets[c + 1] - ms.member_offsets[c];
  std::sort(sizes.begin(), sizes.end());
  if (!sizes.empty()) {
    s.members_min = sizes.front();
    s.members_max = sizes.back();
    s.members_median = sizes[sizes.size() / 2];
    s.members_mean = double(s.memberships) / double(sizes.size());
  }
  for (auto label : world.clusters.label) s.labels[std::size_t(label)] += 1;
  s.imputation_notes = world.regions.imputation_notes;
  s.memory_bytes = world.memory_bytes();
  return s;
}

std::string kind_object(const std::array<std::uint64_t, org_kind_count>& values) {
  std::string out = "{";
  for (int k = 0; k < org_kind_count; ++k)
    out += fmt::format("{}{}: {}", k ? ", " : "", json_string(org_kind_names[std::size_t(k)]), values[std::size_t(k)]);
  return out + "}";
}

void print_json(const WorldOptions& options, const WorldSummary& s) {
  std::string out = "{";
  out += fmt::format("\"seed\": {}, \"scale\": {}, \"threads\": {}, ", options.seed, options.scale, s.threads);
  out += fmt::format("\"regions\": {{\"total\": {}, \"countries\": {}, \"by_category\": {{", s.regions, s.countries);
  for (std::size_t c = 0; c < 3; ++c)
    out += fmt::format("{}{}: {}", c ? ", " : "", json_string(cohesion_category_names[c]), s.regions_by_category[c]);
  out += "}}, ";
  out += fmt::format("\"organisations\": {{\"total\": {}, \"by_kind\": {}, \"by_category\": {{", s.organisations,
                     kind_object(s.by_kind));
  for (std::size_t c = 0; c < 3; ++c)
    out += fmt::format("{}{}: {}", c ? ", " : "", json_string(cohesion_category_names[c]),
                       kind_object(s.by_category_kind[c]));
  out += "}}, ";
  out += fmt::format("\"cluster_labels\": {{");
  for (std::size_t l = 0; l < 4; ++l)
    out += fmt::format("{}{}: {}", l ? ", " : "", json_string(excellence_label_names[l]), s.labels[l]);
  out += "}, ";
  out += fmt::format("\"memberships\": {{\"total\": {}, \"by_kind\": {}, \"organisations_without_cluster\": {}}}, ",
                     s.memberships, kind_object(s.memberships_by_kind), s.orgs_without_cluster);
  out += fmt::format("\"members_per_cluster\": {{\"min\": {}, \"median\": {}, \"max\": {}, \"mean\": {:.3f}}}, ",
                     s.members_min, s.members_median, s.members_max, s.members_mean);
  out += "\"imputation_notes\": [";
  for (std::size_t i = 0; i < s.imputation_notes.size(); ++i)
    out += (i ? ", " : "") + json_string(s.imputation_notes[i]);
  out += "], ";
  out += fmt::format(
      "\"memory\": {{\"bytes\": {}, \"estimated_bytes\": {}, \"bytes_per_organisation\": {:.2f}}}, ",
      s.memory_bytes, s.estimated_bytes,
      s.organisations ? double(s.memory_bytes) / double(s.organisations) : 0.0);
  out += fmt::format("\"time_seconds\": {{\"load_regions\": {:.4f}, \"build\": {:.4f}}}", s.load_seconds,
                     s.build_seconds);
  out += "}\n";
  std::fputs(out.c_str(), stdout);
}

void print_text(const WorldOptions& options, const WorldSummary& s) {
  std::string out = fmt::format("world: seed {}, scale {}, {} threads\n", options.seed, options.scale, s.threads);
  out += fmt::format("regions: {} in {} countries (", s.regions, s.countries);
  for (std::size_t c = 0; c < 3; ++c)
    out += fmt::format("{}{} {}", c ? ", " : "", cohesion_category_names[c], s.regions_by_category[c]);
  out += ")\n";
  out += fmt::format("organisations: {}\n", s.organisations);
  out += fmt::format("  {:<12}{:>12}", "kind", "all");
  for (auto name : cohesion_category_names) out += fmt::format("{:>16}", name);
  out += fmt::format("{:>14}\n", "memberships");
  for (int k = 0; k < org_kind_count; ++k) {
    out += fmt::format("  {:<12}{:>12}", org_kind_names[std::size_t(k)], s.by_kind[std::size_t(k)]);
    for (std::size_t c = 0; c < 3; ++c) out += fmt::format("{:>16}", s.by_category_kind[c][std::size_t(k)]);
    out += fmt::format("{:>14}\n", s.memberships_by_kind[std::size_t(k)]);
  }
  out += fmt::format("cluster labels: none {}, bronze {}, silver {}, gold {}\n", s.labels[0], s.labels[1],
                     s.labels[2], s.labels[3]);
  out += fmt::format("memberships: {} ({} members without a cluster)\n", s.memberships, s.orgs_without_cluster);
  out += fmt::format("members per cluster: min {}, median {}, max {}, mean {:.1f}\n", s.members_min,
                     s.members_median, s.members_max, s.members_mean);
  out += fmt::format("imputed values: {}\n", s.imputation_notes.size());
  for (const auto& note : s.imputation_notes) out += "  " + note + "\n";
  out += fmt::format("memory: {:.1f} MiB ({:.1f} bytes per organisation; estimate {:.1f} MiB)\n",
                     double(s.memory_bytes) / 1048576.0,
                     s.organisations ? double(s.memory_bytes) / double(s.organisations) : 0.0,
                     double(s.estimated_bytes) / 1048576.0);
  out += fmt::format("time: regions {:.3f} s, build {:.3f} s\n", s.load_seconds, s.build_seconds);
  std::fputs(out.c_str(), stdout);
}

void run_world(const WorldOptions& options) {
  if (!(options.scale > 0) || !std::isfinite(options.scale))
    throw Error(ErrorInfo{"scale must be a positive number", {}, "--scale", fmt::format("{}", options.scale),
                          "a number > 0 (1 = the calibrated EU world, 250 = all EU SMEs)"});
  if (options.threads < 0)
    throw Error(ErrorInfo{"thread count must not be negative", {}, "--threads", std::to_string(options.threads),
                          "0 (all cores) or a positive number"});
  WorldConfig config;
  config.scale = options.scale;
  config.region_table = options.regions_file;
  config.countries = options.countries;
  config.regions = options.regions;
  validate_world_config(config);
  const ThreadLimit limit(std::size_t(options.threads));
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  const RegionTable table = io::load_region_table(config);
  const auto loaded = Clock::now();
  const World world = build_world(config, table, options.seed);
  const auto built = Clock::now();
  WorldSummary summary = summarise(world);
  // Shown beside the measured footprint so that the estimate scenario validation relies on is
  // visibly checked on every run.
  summary.estimated_bytes = estimate_world_bytes(config, table.size());
  summary.load_seconds = std::chrono::duration<double>(loaded - start).count();
  summary.build_seconds = std::chrono::duration<double>(built - loaded).count();
  summary.threads = active_threads();
  if (options.json)
    print_json(options, summary);
  else
    print_text(options, summary);
}

const CommandRegistration world_registration(15, [](CLI::App& app, CommandResult&) {
  auto options = std::make_shared<WorldOptions>();
  CLI::App* cmd = app.add_subcommand("world", "Build the world (regions, organisations, memberships) and summarise it");
  cmd->add_option("--scale", options->scale, "Multiplier of every organisation count (1 = the calibrated EU world)")
      ->transform(real_number(world_limits::scale.min, world_limits::scale.max, world_limits::scale.min_open));
  cmd->add_option("--seed", options->seed, "Random seed")->transform(whole_number(0, max_seed));
  cmd->add_flag("--json", options->json, "Print the summary as one JSON object");
  cmd->add_option("--threads", options->threads, "Worker threads (0: all cores)")->transform(whole_number(0, max_threads));
  // A device or FIFO passes ExistingFile; the reader refuses anything but a regular file.
  cmd->add_option("--regions-file", options->regions_file, "Region table CSV (default: the shipped EU27 table)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--countries", options->countries, "Restrict to these countries, e.g. AT,DE")->delimiter(',');
  cmd->add_option("--regions", options->regions, "Restrict to (or add) these NUTS-2 regions, e.g. DE30")
      ->delimiter(',');
  cmd->callback([options] { run_world(*options); });
});

}  // namespace
}  // namespace clusternet::app
