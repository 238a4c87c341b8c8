// `clusternet export RESULT.h5`: tidy CSV files for spreadsheets and R/pandas, and the final network
// as GraphML or GEXF for Gephi, NetworkX and igraph. CSV: one observation per row, empty cell for
// NaN (not measured). Every output of one command is written as a set (io/output_files.hpp): a
// failure anywhere (a full disk, say) leaves no new or truncated file behind.
#include <filesystem>
#include <memory>

#include "app/results_common.hpp"
#include "io/output_files.hpp"
#include "io/results_export.hpp"

namespace clusternet::app {
namespace {

struct ExportOptions {
  std::string result, csv_dir, graphml, gexf;
  std::size_t replicate = 0;
  bool all_organisations = false;
};

int run_export(const ExportOptions& o) {
  const RunResults r = io::read_results(o.result);
  if ((!o.graphml.empty() || !o.gexf.empty()) && o.replicate >= r.replicates.size())
    throw Error(ErrorInfo{"no such replicate", {}, "--replicate", std::to_string(o.replicate),
                          fmt::format("0 to {}", r.replicates.size() - 1)});
  io::ExportOptions options;
  options.all_organisations = o.all_organisations;
  io::OutputSet files;
  bool created_dir = false;
  try {
    if (!o.csv_dir.empty()) {
      created_dir = io::ensure_directory(o.csv_dir, "--csv");
      io::write_results_csv(r, o.csv_dir, files, options);
    }
    if (!o.graphml.empty()) io::write_graphml(r, o.replicate, files.open(o.graphml, "--graphml"), options);
    if (!o.gexf.empty()) io::write_gexf(r, o.replicate, files.open(o.gexf, "--gexf"), options);
    files.commit();
  } catch (...) {
    files.discard();
    if (created_dir) {
      std::error_code ec;
      std::filesystem::remove(o.csv_dir, ec);  // only if still empty: it was made for this export
    }
    throw;
  }
  const char* which = o.all_organisations ? "every organisation" : "organisations with ties";
  if (!o.csv_dir.empty())
    std::cout << "wrote CSV files (metrics, regions, region_series, partnerships, edges, nodes, tables) to "
              << o.csv_dir << '\n';
  if (!o.graphml.empty())
    std::cout << "wrote the final network of replicate " << o.replicate << " (" << which << ") to " << o.graphml << '\n';
  if (!o.gexf.empty())
    std::cout << "wrote the final network of replicate " << o.replicate << " (" << which << ") to " << o.gexf << '\n';
  std::cout.flush();
  if (!std::cout) throw Error("writing to the standard output failed");
  return exit_ok;
}

const CommandRegistration export_registration(50, [](CLI::App& app, CommandResult& result) {
  auto o = std::make_shared<ExportOptions>();
  auto* cmd = app.add_subcommand(
      "export",
      "Export a result for other tools: tidy CSV files (one row per observation; an empty cell means not "
      "measured) and the final collaboration network as GraphML (Gephi, NetworkX, igraph) or GEXF 1.2 (Gephi, "
      "NetworkX). Nodes carry kind, region (NUTS-2 code), region_name, country, cohesion, lon, lat, area, degree, "
      "cluster and memberships; edges weight, formed_month, formed (YYYY-MM), origin and instrument (its name).\n"
      "The outputs of one command are written together: if one cannot be written, none is left behind and files "
      "they would replace keep their contents.\nExit status: 0 exported; 1 an output could not be written; 2 the "
      "result file is missing, not HDF5, truncated, foreign, incomplete or .partial.");
  cmd->add_option("RESULT", o->result, "result file (.h5)")->required();
  auto* csv_opt = cmd->add_option("--csv", o->csv_dir,
                                  "write metrics.csv, regions.csv, region_series.csv, partnerships.csv, edges.csv, "
                                  "nodes.csv and tables.csv into this directory (created if needed)");
  auto* graphml = cmd->add_option("--graphml", o->graphml, "write the final network as GraphML to this file");
  auto* gexf = cmd->add_option("--gexf", o->gexf, "write the final network as GEXF 1.2 to this file");
  cmd->add_option("--replicate", o->replicate, "replicate whose final network --graphml/--gexf write")
      ->capture_default_str();
  cmd->add_flag("--all-organisations", o->all_organisations,
                "include the organisations without a tie at the final month (isolated nodes in the graph files, "
                "their rows in nodes.csv); by default only organisations with ties are written");
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
