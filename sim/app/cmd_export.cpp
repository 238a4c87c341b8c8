// `clusternet export RESULT.h5`: tidy CSV files for spreadsheets and R/pandas, and the final network
// as GraphML or GEXF for Gephi. CSV: one observation per row, empty cell for NaN (not measured).
#include <memory>

#include "app/results_common.hpp"
#include "io/results_export.hpp"

namespace clusternet::app {
namespace {

struct ExportOptions {
  std::string result, csv_dir, graphml, gexf;
  std::size_t replicate = 0;
};

int run_export(const ExportOptions& o) {
  const RunResults r = io::read_results(o.result);
  if ((!o.graphml.empty() || !o.gexf.empty()) && o.replicate >= r.replicates.size())
    throw Error(ErrorInfo{"no such replicate", {}, "--replicate", std::to_string(o.replicate),
                          fmt::format("0 to {}", r.replicates.size() - 1)});
  if (!o.csv_dir.empty()) {
    io::write_results_csv(r, o.csv_dir);
    std::cout << "wrote CSV files (metrics, regions, region_series, partnerships, edges, nodes, tables) to "
              << o.csv_dir << '\n';
  }
  if (!o.graphml.empty()) {
    io::write_graphml(r, o.replicate, o.graphml);
    std::cout << "wrote the final network of replicate " << o.replicate << " to " << o.graphml << '\n';
  }
  if (!o.gexf.empty()) {
    io::write_gexf(r, o.replicate, o.gexf);
    std::cout << "wrote the final network of replicate " << o.replicate << " to " << o.gexf << '\n';
  }
  return exit_ok;
}

const CommandRegistration registration(50, [](CLI::App& app, CommandResult& result) {
  auto o = std::make_shared<ExportOptions>();
  auto* cmd = app.add_subcommand(
      "export",
      "Export a result for other tools: tidy CSV files (one row per observation; an empty cell means not "
      "measured) and the final collaboration network as GraphML or GEXF (for Gephi) with node attributes kind, "
      "region (NUTS code) and area and edge attributes weight, formed_month, origin and instrument.\nExit status: 0 "
      "exported; 1 an output could not be written; 2 the result file is missing, not HDF5, truncated, foreign, "
      "incomplete or .partial.");
  cmd->add_option("RESULT", o->result, "result file (.h5)")->required();
  auto* csv_opt = cmd->add_option("--csv", o->csv_dir,
                                  "write metrics.csv, regions.csv, region_series.csv, partnerships.csv, edges.csv, "
                                  "nodes.csv and tables.csv into this directory (created if needed)");
  auto* graphml = cmd->add_option("--graphml", o->graphml, "write the final network as GraphML to this file");
  auto* gexf = cmd->add_option("--gexf", o->gexf, "write the final network as GEXF 1.3 to this file");
  cmd->add_option("--replicate", o->replicate, "replicate whose final network --graphml/--gexf write")
      ->capture_default_str();
  csv_opt->group("Outputs (at least one)");
  graphml->group("Outputs (at least one)");
  gexf->group("Outputs (at least one)");
  cmd->callback([o, &result] {
    if (o->csv_dir.empty() && o->graphml.empty() && o->gexf.empty())
      throw CLI::RequiredError("one of --csv, --graphml or --gexf");
    result.exit_code = with_result_files("export", [&] { return run_export(*o); });
  });
});

}  // namespace
}  // namespace clusternet::app
