// `clusternet info RESULT.h5`: what a result file is (provenance, scenario, completeness) and what it
// holds (every dataset with its shape), without reading the data.
#include <memory>

#include "app/results_common.hpp"

namespace clusternet::app {
namespace {

std::string shape_text(const std::vector<std::uint64_t>& shape) {
  if (shape.empty()) return "scalar";
  std::string s = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (i) s += ", ";
    s += std::to_string(shape[i]);
  }
  return s + "]";
}

int info(const std::string& path) {
  const io::ResultsInfo i = io::read_info(path);
  std::cout << "file:               " << i.path << '\n'
            << "format:             clusternet-results version " << i.format_version << '\n'
            << "complete:           " << (i.complete ? "yes" : "no") << '\n'
            << "scenario:           " << i.scenario_name << '\n'
            << "seed:               " << i.seed << '\n'
            << "replicates:         " << i.replicates << '\n'
            << "threads:            " << i.threads << '\n'
            << "months recorded:    " << i.months << " (from " << fmt::format("{:04d}-{:02d}", i.start_year, i.start_month)
            << ")\n"
            << "written by:         clusternet " << i.clusternet_version << " (git " << i.git_revision << ")\n"
            << "created (UTC):      " << i.created_utc << '\n'
            << "datasets:\n";
  std::size_t width = 0;
  for (const auto& d : i.datasets) width = std::max(width, d.path.size());
  for (const auto& d : i.datasets)
    std::cout << "  " << d.path << std::string(width - d.path.size() + 2, ' ') << d.type << ' ' << shape_text(d.shape)
              << '\n';
  // What is listed above came from the attributes and the dataset headers alone; a file is only
  // called fine when every dataset reads back as `check`, `compare` and `export` read it, so that
  // info never passes a file the other commands refuse (exit 2, with the problem, after the listing).
  std::cout.flush();
  (void)io::read_results(path, io::FinalNetwork::verify);  // every row read, none kept
  (void)io::read_summary(path);
  std::cout << "layout:             valid (every dataset read back and checked)\n";
  return exit_ok;
}

const CommandRegistration info_registration(40, [](CLI::App& app, CommandResult& result) {
  auto* cmd = app.add_subcommand("info", "Show a result file's provenance (scenario, seed, replicates, threads, "
                                         "version, git revision, creation time), completeness and every dataset "
                                         "with its shape.\nExit status: 0 shown and valid; 2 missing, non-HDF5, "
                                         "truncated, foreign, incomplete, .partial or malformed file (what could "
                                         "be read is shown first).");
  auto path = std::make_shared<std::string>();
  cmd->add_option("RESULT", *path, "result file (.h5) written by `clusternet run`")->required();
  cmd->callback([path, &result] { result.exit_code = with_result_files("info", [&] { return info(*path); }); });
});

}  // namespace
}  // namespace clusternet::app
