// `clusternet analyze`: the simulator's network metrics on any edge list, so that simulated and
// real networks are measured by exactly the same code.
#include <system_error>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fmt/format.h>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

#include "app/cli_numbers.hpp"
#include "app/commands.hpp"
#include "app/json_text.hpp"
#include "core/error.hpp"
#include "core/parallel.hpp"
#include "core/utf8.hpp"
#include "network/csr_graph.hpp"
#include "io/csv.hpp"
#include "io/edge_list_csv.hpp"
#include "io/output_files.hpp"
#include "io/safe_file.hpp"
#include "network/metrics.hpp"

namespace clusternet::app {
namespace {

struct AnalyzeArgs {
  std::string edges, nodes, partition_out;
  std::string delimiter = "auto", source = "source", target = "target", weight;
  bool header = false, no_header = false;
  bool json = false, exact_paths = false;
  std::size_t threads = 0;
  std::uint64_t seed = 1;
  std::uint32_t path_samples = 256, betweenness_samples = 32, top = 20;
  std::uint32_t clustering_samples = 0;  // 0: exact transitivity and local clustering
  std::uint32_t betweenness_pairs = 0;   // > 0: betweenness from this many sampled pairs' paths
  std::string louvain_moving = "sequential";  // Louvain's local moving: sequential or parallel
};

std::string number(double v) {
  if (!std::isfinite(v)) return "null";
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);  // shortest text that reads back exactly
  return std::string(buf, r.ptr);
}

double ms_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

// The partition as CSV (io/csv.hpp quoting, so that ids with commas or quotes read back as they
// were), written through an OutputSet: a failed write leaves no partial file and exits 1.
void write_partition(const std::string& path, const io::IdMap& ids, const network::MetricSet& m) {
  io::OutputSet files;
  std::ostream& out = files.open(path, "--partition-out");
  out << "id,community\n";
  for (std::uint32_t v = 0; v < m.community.size(); ++v)
    if (m.community[v] != none<std::uint32_t>) out << io::csv_quote(ids.name(v)) << ',' << m.community[v] << '\n';
  files.commit();
}

// stdout is checked like any output: `analyze > /dev/full` must not exit 0.
void write_stdout(const std::string& text) {
  if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size() || std::fflush(stdout) != 0)
    throw Error(std::string("writing the results to the standard output failed: ") + std::error_code(errno, std::generic_category()).message());
}

network::MetricOptions metric_options(const AnalyzeArgs& args) {
  network::MetricOptions options;
  options.groups.betweenness = args.betweenness_samples > 0 || args.betweenness_pairs > 0;
  options.betweenness_pairs = args.betweenness_pairs;
  options.local_moving =
      args.louvain_moving == "parallel" ? network::LocalMoving::parallel : network::LocalMoving::sequential;
  options.path_samples = args.path_samples;
  options.exact_paths = args.exact_paths;
  options.betweenness_samples = args.betweenness_samples;
  options.betweenness_top_k = args.top;
  options.clustering_samples = args.clustering_samples;
  options.seed = args.seed;
  options.keep_partition = !args.partition_out.empty();
  return options;
}

void run_analyze(const AnalyzeArgs& args) {
  const auto t0 = std::chrono::steady_clock::now();
  ThreadLimit limit(args.threads);
  io::IdMap ids;
  io::NodeTable nodes;
  const bool have_nodes = !args.nodes.empty();
  const io::Delimiter delimiter = io::parse_delimiter(args.delimiter);
  io::EdgeListOptions format;
  format.delimiter = delimiter;
  format.header = args.header ? io::HeaderMode::present : args.no_header ? io::HeaderMode::absent : io::HeaderMode::detect;
  format.source = args.source;
  format.target = args.target;
  format.weight = args.weight;
  if (have_nodes) nodes = io::read_node_table_csv(args.nodes, ids, delimiter);
  const auto edges = io::read_edge_list_csv(args.edges, ids, have_nodes, format);
  const auto& read_as = edges.format;
  const double read_ms = ms_since(t0);

  const auto t1 = std::chrono::steady_clock::now();
  const auto graph = network::CsrGraph::from_edges(static_cast<std::uint32_t>(ids.size()), edges.sources,
                                                   edges.targets, edges.weights, edges.renewals);
  const double build_ms = ms_since(t1);

  const network::MetricOptions options = metric_options(args);
  const auto t2 = std::chrono::steady_clock::now();
  const auto m = network::compute_metrics(graph, have_nodes ? &nodes.attributes : nullptr, options);
  const double metrics_ms = ms_since(t2);
  if (!args.partition_out.empty()) write_partition(args.partition_out, ids, m);

  const auto& t = m.timings;
  const std::pair<const char*, double> timings[] = {
      {"read", read_ms},        {"build", build_ms},       {"basic", t.basic},
      {"clustering", t.clustering}, {"assortativity", t.assortativity}, {"paths", t.paths},
      {"communities", t.communities}, {"kcore", t.kcore},   {"betweenness", t.betweenness},
      {"attributed", t.attributed}, {"regions", t.regions}, {"layout", t.layout}, {"metrics", metrics_ms},
      {"total", ms_since(t0)}};
  const auto region_name = [&](std::size_t r) -> std::string_view { return nodes.region_names[r]; };

  std::string out;
  if (args.json) {
    out += "{\"edges_file\":" + json_string(args.edges) + ",\"nodes\":" + std::to_string(ids.size()) +
           ",\"edge_lines\":" + std::to_string(edges.lines) + ",\"format\":{\"delimiter\":" +
           json_string(io::delimiter_name(read_as.delimiter)) + ",\"header_line\":" + std::to_string(read_as.header_line) +
           ",\"source\":" + json_string(read_as.source) + ",\"target\":" + json_string(read_as.target) +
           ",\"weight\":" + (read_as.weight.empty() ? std::string("null") : json_string(read_as.weight)) +
           "},\"seed\":" + std::to_string(args.seed) +
           ",\"threads\":" + std::to_string(active_threads()) + ",\"scalars\":{";
    for (std::size_t i = 0; i < network::scalar_count; ++i)
      out += (i ? "," : "") + json_string(network::scalar_metrics[i].name) + ":" + number(m.scalars[i]);
    out += "},\"degree_histogram\":{\"edges\":[";
    for (std::size_t i = 0; i < m.degree_histogram_edges.size(); ++i)
      out += (i ? "," : "") + std::to_string(m.degree_histogram_edges[i]);
    out += "],\"counts\":[";
    for (std::size_t i = 0; i < m.degree_histogram_counts.size(); ++i)
      out += (i ? "," : "") + std::to_string(m.degree_histogram_counts[i]);
    out += "]},\"clustering_sample_size\":" +
           (args.clustering_samples ? std::to_string(args.clustering_samples) : std::string("null")) +
           ",\"betweenness_sample_size\":" + std::to_string(m.betweenness_sample_size) +
           ",\"betweenness_estimator\":" + json_string(args.betweenness_pairs ? "pairs" : "sources") +
           ",\"louvain_moving\":" + json_string(args.louvain_moving) +
           ",\"betweenness_top\":[";
    for (std::size_t i = 0; i < m.betweenness_top_vertices.size(); ++i)
      out += std::string(i ? "," : "") + "{\"id\":" + json_string(ids.name(m.betweenness_top_vertices[i])) +
             ",\"score\":" + number(m.betweenness_top_scores[i]) + "}";
    out += "],\"regions\":[";
    for (std::size_t r = 0; r < m.region_degree.size(); ++r)
      out += std::string(r ? "," : "") + "{\"region\":" + json_string(region_name(r)) +
             ",\"degree\":" + std::to_string(m.region_degree[r]) + ",\"strength\":" + number(m.region_strength[r]) +
             ",\"betweenness\":" + number(m.region_betweenness[r]) + "}";
    out += "],\"timings_ms\":{";
    bool first = true;
    for (const auto& [name, value] : timings) {
      out += std::string(first ? "" : ",") + json_string(name) + ":" + number(value);
      first = false;
    }
    out += "}}\n";
  } else {
    char line[512];
    out += fmt::format("{}: {} nodes, {} edge lines\nread as: {}-separated, {}, source {}, target {}, {}\n\n",
                       utf8_sanitized(args.edges), ids.size(), edges.lines, io::delimiter_name(read_as.delimiter),
                       read_as.header_line ? "header on line " + std::to_string(read_as.header_line) : "no header",
                       read_as.source, read_as.target,
                       read_as.weight.empty() ? "no weights (every tie weighs 1)" : "weight " + read_as.weight);
    for (std::size_t i = 0; i < network::scalar_count; ++i) {
      const auto& info = network::scalar_metrics[i];
      std::snprintf(line, sizeof line, "%-40.*s %-22s %.*s\n", int(info.name.size()), info.name.data(),
                    std::isfinite(m.scalars[i]) ? number(m.scalars[i]).c_str() : "n/a", int(info.unit.size()),
                    info.unit.data());
      out += line;
    }
    if (args.clustering_samples)
      out += "(transitivity and mean_local_clustering estimated from " + std::to_string(args.clustering_samples) +
             " sampled wedges each)\n";
    out += "\ndegree histogram (log2 bins)\n";
    for (std::size_t i = 0; i < m.degree_histogram_counts.size(); ++i) {
      std::snprintf(line, sizeof line, "  [%llu, %llu)  %llu\n", (unsigned long long)m.degree_histogram_edges[i],
                    (unsigned long long)m.degree_histogram_edges[i + 1], (unsigned long long)m.degree_histogram_counts[i]);
      out += line;
    }
    if (!m.betweenness_top_vertices.empty()) {
      out += "\nbetweenness top (normalised, estimated from " + std::to_string(m.betweenness_sample_size) +
             (args.betweenness_pairs ? " sampled pairs' shortest paths)\n" : " sources)\n");
      for (std::size_t i = 0; i < m.betweenness_top_vertices.size(); ++i)
        out += "  " + std::string(ids.name(m.betweenness_top_vertices[i])) + "  " + number(m.betweenness_top_scores[i]) + "\n";
    }
    if (!m.region_degree.empty()) {
      out += "\nregions: region degree strength betweenness\n";
      for (std::size_t r = 0; r < m.region_degree.size(); ++r)
        out += "  " + std::string(region_name(r)) + " " + std::to_string(m.region_degree[r]) + " " +
               number(m.region_strength[r]) + " " + number(m.region_betweenness[r]) + "\n";
    }
    out += "\ntimings (ms):";
    for (const auto& [name, value] : timings) {
      std::snprintf(line, sizeof line, " %s %.1f", name, value);
      out += line;
    }
    out += "\n";
  }
  write_stdout(out);
}

const CommandRegistration analyze_registration(60, [](CLI::App& app, CommandResult& result) {
  auto args = std::make_shared<AnalyzeArgs>();
  auto* sub = app.add_subcommand("analyze", "Network metrics of any edge list (the simulator's own metric code)");
  sub->add_option("EDGES", args->edges,
                  "edge list: comma, tab, semicolon or whitespace separated, with or without a header; by default the "
                  "columns source and target (or the first two columns) and weight when the header has it; a renewals "
                  "column is read by name")
      ->required();
  sub->add_option("--nodes", args->nodes,
                  "node table with a header: id[,region][,country][,kind][,area][,cohesion] (area: 0-20 or a text label)");
  sub->add_option("--delimiter", args->delimiter, "field separator of both files: auto, comma, tab, semicolon or whitespace")
      ->capture_default_str();
  auto* header = sub->add_flag("--header", args->header, "the edge list's first record is a header (default: detected)");
  sub->add_flag("--no-header", args->no_header, "the edge list has no header: name columns by 1-based position")
      ->excludes(header);
  sub->add_option("--source", args->source, "source column: a header name or a 1-based position")->capture_default_str();
  sub->add_option("--target", args->target, "target column: a header name or a 1-based position")->capture_default_str();
  sub->add_option("--weight", args->weight,
                  "weight column: a header name or a 1-based position (default: the column called weight, if any)");
  sub->add_flag("--json", args->json, "print one JSON object instead of text");
  sub->add_option("--threads", args->threads, "worker threads (0 = all cores)")->transform(whole_number(0, max_threads));
  sub->add_option("--seed", args->seed, "seed of the sampled sources and the Louvain order")->capture_default_str()
      ->transform(whole_number(0, max_seed));
  sub->add_option("--path-samples", args->path_samples, "BFS sources for the path metrics")->capture_default_str()
      ->transform(whole_number(1, std::numeric_limits<std::uint32_t>::max()));
  sub->add_flag("--exact-paths", args->exact_paths, "use every vertex of the giant component as a BFS source");
  sub->add_option("--betweenness-samples", args->betweenness_samples, "Brandes sources (0 = no betweenness)")
      ->capture_default_str()->transform(whole_number(0, std::numeric_limits<std::uint32_t>::max()));
  sub->add_option("--betweenness-pairs", args->betweenness_pairs,
                  "estimate betweenness from the shortest paths of this many sampled pairs instead of Brandes "
                  "from sources (0 = Brandes)")
      ->capture_default_str()->transform(whole_number(0, 100000000));
  sub->add_option("--clustering-samples", args->clustering_samples,
                  "estimate transitivity and mean local clustering from this many sampled wedges (0 = exact)")
      ->capture_default_str()->transform(whole_number(0, 100000000));
  sub->add_option("--top", args->top, "organisations listed in betweenness_top")->capture_default_str()
      ->transform(whole_number(0, std::numeric_limits<std::uint32_t>::max()));
  sub->add_option("--louvain-moving", args->louvain_moving,
                  "Louvain's local moving: sequential (each vertex decides after every move before it) or "
                  "parallel (batches of 1,024 vertices decide at once; the same partition on any thread count)")
      ->capture_default_str()->check(CLI::IsMember({"sequential", "parallel"}));
  sub->add_option("--partition-out", args->partition_out, "write the Louvain partition as id,community CSV");
  sub->callback([args, &result] {
    run_analyze(*args);
    result.exit_code = exit_ok;
  });
});

}  // namespace
}  // namespace clusternet::app
