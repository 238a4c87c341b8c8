// Test driver: the engine's metric call (compute_metrics on a graph built the way the engine builds
// its snapshots) on a graph given as text, its results as JSON. The differential harness
// (verify_against_networkx_igraph.py) runs it beside `clusternet analyze` so that both ways into the
// metric code are compared with the references.
//
// Usage: metrics_driver INPUT [--threads N] [--seed S] [--exact-paths] [--path-samples K]
//                             [--betweenness-samples K] [--top K] [--histogram]
// INPUT, whitespace separated:
//   vertices N
//   ties M WEIGHTED RENEWALS          WEIGHTED, RENEWALS: 0 or 1
//   M lines: u v [weight] [renewals]  a simple graph (u != v, each pair once), as the tie store holds it
//   attributes A                      A: 0 or 1; when 1:
//   regions R                         region_count, then N lines "region country kind area" and one
//                                     line of R cohesion categories (-1: unknown in every column)
// The topology is built as the engine's monthly graph (CsrGraph::with_changes from an empty graph);
// with weights or renewals, as its weighted snapshot (CsrGraph::from_unique_edges). Weights are
// read in double precision. --histogram adds the hop-distance histogram over all pairs
// (bfs_distance_histogram from every active vertex).
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "network/csr_graph.hpp"
#include "network/kernels.hpp"
#include "network/metrics.hpp"

using namespace clusternet;
using namespace clusternet::network;

namespace {
class Tokens {
 public:
  explicit Tokens(const char* path) {
    std::FILE* f = std::fopen(path, "rb");
    if (!f) throw std::runtime_error(std::string("cannot open ") + path);
    char buffer[1 << 16];
    for (std::size_t got; (got = std::fread(buffer, 1, sizeof buffer, f)) > 0;) text_.append(buffer, got);
    const bool failed = std::ferror(f) != 0;
    std::fclose(f);
    if (failed) throw std::runtime_error(std::string("cannot read ") + path);
  }
  std::string_view next() {
    while (at_ < text_.size() && std::strchr(" \t\r\n", text_[at_])) ++at_;
    const std::size_t begin = at_;
    while (at_ < text_.size() && !std::strchr(" \t\r\n", text_[at_])) ++at_;
    if (begin == at_) throw std::runtime_error("input ends early");
    return std::string_view(text_).substr(begin, at_ - begin);
  }
  template <typename T>
  T number() {
    const auto token = next();
    T value{};
    const auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), value);
    if (ec != std::errc() || end != token.data() + token.size())
      throw std::runtime_error("not a number: " + std::string(token));
    return value;
  }
  void expect(std::string_view word) {
    if (next() != word) throw std::runtime_error("expected '" + std::string(word) + "'");
  }

 private:
  std::string text_;
  std::size_t at_ = 0;
};

std::string number(double v) {
  if (!std::isfinite(v)) return "null";
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

template <typename T, typename Format>
std::string list(const std::vector<T>& values, Format format) {
  std::string out = "[";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i) out += ',';
    out += format(values[i]);
  }
  out += ']';
  return out;
}

struct Input {
  CsrGraph graph;
  NodeAttributes attributes;
  bool has_attributes = false;
};

Input read_input(const char* path) {
  Tokens in(path);
  in.expect("vertices");
  const auto n = in.number<std::uint32_t>();
  in.expect("ties");
  const auto m = in.number<std::size_t>();
  const bool weighted = in.number<int>() != 0, renewed = in.number<int>() != 0;
  std::vector<Vertex> s(m), t(m);
  std::vector<double> w(m, 1.0);
  std::vector<std::uint32_t> r(m, 0);
  for (std::size_t i = 0; i < m; ++i) {
    s[i] = in.number<Vertex>();
    t[i] = in.number<Vertex>();
    if (weighted) w[i] = in.number<double>();
    if (renewed) r[i] = in.number<std::uint32_t>();
  }
  Input input;
  if (weighted || renewed) {
    input.graph = CsrGraph::from_unique_edges(n, s, t, w, r);
  } else {
    std::vector<std::pair<Vertex, Vertex>> added(m);
    for (std::size_t i = 0; i < m; ++i) added[i] = {s[i], t[i]};
    input.graph = CsrGraph::empty(n).with_changes(added, {});
  }
  in.expect("attributes");
  input.has_attributes = in.number<int>() != 0;
  if (!input.has_attributes) return input;
  NodeAttributes& a = input.attributes;
  in.expect("regions");
  a.region_count = in.number<std::uint32_t>();
  for (std::uint32_t v = 0; v < n; ++v) {
    const auto region = in.number<int>(), country = in.number<int>(), kind = in.number<int>(), area = in.number<int>();
    a.region.push_back(region < 0 ? none<RegionIndex> : RegionIndex(region));
    a.country.push_back(country < 0 ? none<CountryIndex> : CountryIndex(country));
    a.kind.push_back(kind < 0 ? unknown_attribute : std::uint8_t(kind));
    a.area.push_back(area < 0 ? unknown_attribute : AreaIndex(area));
  }
  for (std::uint32_t x = 0; x < a.region_count; ++x) {
    const auto category = in.number<int>();
    a.region_category.push_back(category < 0 ? unknown_attribute : std::uint8_t(category));
  }
  return input;
}

int run(int argc, char** argv) {
  if (argc < 2) throw std::runtime_error("usage: metrics_driver INPUT [options]");
  std::size_t threads = 0;
  bool histogram = false;
  MetricOptions options;
  options.keep_partition = true;
  options.groups.betweenness = true;
  for (int i = 2; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&]() -> std::uint64_t {
      if (i + 1 >= argc) throw std::runtime_error(arg + " needs a value");
      return std::stoull(argv[++i]);
    };
    if (arg == "--threads") threads = value();
    else if (arg == "--seed") options.seed = value();
    else if (arg == "--exact-paths") options.exact_paths = true;
    else if (arg == "--path-samples") options.path_samples = std::uint32_t(value());
    else if (arg == "--betweenness-samples") options.betweenness_samples = std::uint32_t(value());
    else if (arg == "--top") options.betweenness_top_k = std::uint32_t(value());
    else if (arg == "--histogram") histogram = true;
    else throw std::runtime_error("unknown option " + arg);
  }
  options.groups.betweenness = options.betweenness_samples > 0;
  ThreadLimit limit(threads);
  const Input input = read_input(argv[1]);
  const MetricSet m = compute_metrics(input.graph, input.has_attributes ? &input.attributes : nullptr, options);

  std::string out = "{\"threads\":" + std::to_string(active_threads()) + ",\"scalars\":{";
  for (std::size_t i = 0; i < scalar_count; ++i) {
    if (i) out += ',';
    out += '"';
    out += scalar_metrics[i].name;
    out += "\":";
    out += number(m.scalars[i]);
  }
  auto integer = [](auto x) { return std::to_string(x); };
  out += "},\"degree_histogram\":" + list(m.degree_histogram_counts, integer);
  out += ",\"community\":" + list(m.community, [](std::uint32_t c) {
    return c == none<std::uint32_t> ? std::string("null") : std::to_string(c);
  });
  out += ",\"betweenness_top_vertices\":" + list(m.betweenness_top_vertices, integer);
  out += ",\"betweenness_top_scores\":" + list(m.betweenness_top_scores, number);
  out += ",\"region_degree\":" + list(m.region_degree, integer);
  out += ",\"region_strength\":" + list(m.region_strength, number);
  out += ",\"region_betweenness\":" + list(m.region_betweenness, number);
  if (histogram) {
    std::vector<Vertex> sources;
    for (Vertex v = 0; v < input.graph.vertex_count(); ++v)
      if (input.graph.degree(v) > 0) sources.push_back(v);
    out += ",\"distance_histogram\":" + list(bfs_distance_histogram(input.graph, sources), integer);
  }
  out += "}\n";
  if (std::fwrite(out.data(), 1, out.size(), stdout) != out.size() || std::fflush(stdout) != 0)
    throw std::runtime_error("cannot write the output");
  return 0;
}
}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "metrics_driver: %s\n", e.what());
    return 1;
  }
}
