#include "network/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <utility>

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "core/random.hpp"
#include "core/stopwatch.hpp"
#include "network/kernels.hpp"
#include "network/layout.hpp"
#include "network/tie_metrics.hpp"

namespace clusternet::network {

namespace {
using detail::at;
using detail::nan;
using detail::u128;

void basic_metrics(const CsrGraph& g, MetricSet& out) {
  const std::uint32_t n = g.vertex_count();
  std::uint32_t max_degree = 0;
  for (Vertex v = 0; v < n; ++v) max_degree = std::max(max_degree, g.degree(v));
  std::vector<std::uint64_t> by_degree(std::size_t(max_degree) + 1, 0);
  for (Vertex v = 0; v < n; ++v) ++by_degree[g.degree(v)];
  const std::uint64_t active = n - by_degree[0];
  const std::uint64_t ties = g.edge_count();
  auto& s = out.scalars;
  s[at("organisations_active")] = double(active);
  s[at("ties")] = double(ties);
  s[at("mean_degree")] = active ? 2.0 * double(ties) / double(active) : nan;
  s[at("max_degree")] = double(max_degree);

  // Gini from the sorted degrees, G = 2 sum_i i x_(i) / (n sum x) - (n + 1) / n, with the sums
  // taken exactly over the degree counts (ranks r+1..r+c share degree d).
  if (active > 0) {
    u128 rank_weighted = 0, total = 0;
    std::uint64_t rank = 0;
    for (std::uint32_t d = 1; d <= max_degree; ++d) {
      const std::uint64_t c = by_degree[d];
      if (!c) continue;
      const u128 rank_sum = u128(c) * rank + u128(c) * (c + 1) / 2;
      rank_weighted += rank_sum * d;
      total += u128(c) * d;
      rank += c;
    }
    const double nd = double(active);
    s[at("degree_gini")] = 2.0 * double(rank_weighted) / (nd * double(total)) - (nd + 1.0) / nd;
  }
  // Log-binned histogram: [1,2), [2,4), [4,8), ...
  out.degree_histogram_edges.clear();
  out.degree_histogram_counts.clear();
  if (max_degree > 0) {
    for (std::uint64_t lo = 1; lo <= max_degree; lo *= 2) {
      std::uint64_t c = 0;
      for (std::uint64_t d = lo; d < 2 * lo && d <= max_degree; ++d) c += by_degree[d];
      out.degree_histogram_edges.push_back(lo);
      out.degree_histogram_counts.push_back(c);
    }
    out.degree_histogram_edges.push_back(out.degree_histogram_edges.back() * 2);
  }
}

void clustering_metrics(const CsrGraph& g, const std::vector<std::uint64_t>* given, MetricSet& out) {
  const std::uint32_t n = g.vertex_count();
  const auto& offsets = g.offsets();
  if (given && given->size() != n) throw Error("compute_metrics: the given triangle counts are not one per vertex");
  std::vector<std::uint64_t> counted;
  if (!given) counted = triangles_per_vertex(g);
  const std::vector<std::uint64_t>& triangles = given ? *given : counted;
  // Serial and flat: integer sums first (any order), then the local coefficients. Their sum must
  // stay bit-identical to what it has always been: chunks of 8192 vertices, each summed in vertex
  // order from 0.0, the chunk sums added left to right. A vertex in no triangle adds +0.0, which
  // leaves a sum of non-negative terms unchanged, so only vertices with triangles are visited.
  std::uint64_t corners = 0, triples = 0, active = 0;
  for (Vertex v = 0; v < n; ++v) {
    const std::uint64_t d = offsets[v + 1] - offsets[v];
    active += d > 0;
    corners += triangles[v];
    triples += d * (d - (d > 0)) / 2;  // d (d - 1) / 2, and 0 for d = 0 without wrapping
  }
  constexpr Vertex chunk = 1 << 13;
  double local = 0.0;
  for (Vertex b = 0, e = 0; b < n; b = e) {
    e = n - b < chunk ? n : b + chunk;
    double chunk_sum = 0.0;
    for (Vertex v = b; v < e; ++v) {
      if (triangles[v] == 0) continue;  // 87% of the simulated network's vertices
      const std::uint64_t d = offsets[v + 1] - offsets[v];
      const std::uint64_t pairs = d * (d - 1) / 2;  // exact: d (d - 1) is even
      chunk_sum += double(triangles[v]) / double(pairs);
    }
    local += chunk_sum;
  }
  // Each triangle is credited to its three corners, so corners = 3 * triangles.
  out.scalars[at("transitivity")] = triples ? double(corners) / double(triples) : nan;
  out.scalars[at("mean_local_clustering")] = active ? local / double(active) : nan;
}

// `batches`: at least this many BFS batches (see bfs_distance_histogram).
// The expensive groups read the graph only through its layout (made from it) and its components:
// `n` is the graph's vertex count, and a vertex has a tie exactly when the layout has it.
void path_metrics(std::uint32_t n, const Layout& layout, const Components& components, const MetricOptions& options,
                  std::size_t batches, MetricSet& out) {
  if (components.giant_size < 2) return;
  std::vector<Vertex> giant;
  giant.reserve(components.giant_size);
  for (Vertex v = 0; v < n; ++v)
    if (components.root[v] == components.giant_root) giant.push_back(v);
  const auto size = static_cast<std::uint32_t>(giant.size());
  std::vector<Vertex> sources;
  if (options.exact_paths || options.path_samples >= size) {
    sources = giant;
  } else {
    RandomStream random(StreamKey{options.seed, options.replicate, options.month, 0, Purpose::metric_sampling});
    for (std::uint32_t i : sample_without_replacement(random, options.path_samples, size)) sources.push_back(giant[i]);
  }
  const auto histogram = bfs_distance_histogram(layout.graph, layout.to_new(sources), layout.leaves_from, batches);
  std::uint64_t pairs = 0, distance_sum = 0;
  for (std::size_t d = 1; d < histogram.size(); ++d) {
    pairs += histogram[d];
    distance_sum += d * histogram[d];
  }
  out.scalars[at("path_sample_size")] = double(sources.size());
  if (pairs == 0) return;
  out.scalars[at("mean_path_length")] = double(distance_sum) / double(pairs);
  // Interpolated percentile (as in SNAP's effective diameter): the distance d where the cumulative
  // share of pairs within d reaches 0.9, linear between integer distances.
  const double target = 0.9 * double(pairs);
  std::uint64_t cumulative = 0;
  for (std::size_t d = 1; d < histogram.size(); ++d) {
    const std::uint64_t next = cumulative + histogram[d];
    if (double(next) >= target) {
      out.scalars[at("effective_diameter")] = double(d - 1) + (target - double(cumulative)) / double(histogram[d]);
      break;
    }
    cumulative = next;
  }
}

void community_metrics(std::uint32_t n, const Layout& layout, const MetricOptions& options, MetricSet& out) {
  const auto in_layout =
      louvain(layout.graph, StreamKey{options.seed, options.replicate, options.month, 0, Purpose::community_detection},
              options.local_moving);
  // Back to the original vertices, communities renumbered by their smallest original vertex.
  std::vector<std::uint32_t> partition(n, none<std::uint32_t>);
  std::vector<std::uint32_t> renumbered(in_layout.size(), none<std::uint32_t>);
  std::uint32_t k = 0;
  for (Vertex v = 0; v < n; ++v) {
    const Vertex i = layout.new_of_old[v];
    // Isolated vertices are not in the layout; when every tie weighs 0, Louvain places no vertex
    // (modularity is undefined without weight) and both scalars stay NaN.
    if (i == none<Vertex> || in_layout[i] == none<std::uint32_t>) continue;
    auto& c = renumbered[in_layout[i]];
    if (c == none<std::uint32_t>) c = k++;
    partition[v] = c;
  }
  if (k > 0) {
    // On the layout, whose weights are Louvain's (the engine hands over g without weights): in
    // the layout's order, with compensated sums, so within a few roundings of the value in g's
    // order (summing in g's order would mean sorting each row back: a third more time for Louvain).
    out.scalars[at("modularity")] = modularity(layout.graph, in_layout);
    out.scalars[at("communities")] = double(k);
  }
  if (options.keep_partition) out.community = std::move(partition);
}

void betweenness_metric(std::uint32_t n, const Layout& layout, const MetricOptions& options, MetricSet& out) {
  std::vector<Vertex> active;
  for (Vertex v = 0; v < n; ++v)
    if (layout.new_of_old[v] != none<Vertex>) active.push_back(v);
  const auto n_active = static_cast<std::uint32_t>(active.size());
  if (n_active < 3 || options.betweenness_top_k == 0) return;
  // Raw per-vertex values (path counts or summed dependencies), ranked as they are and scaled to
  // the normalised betweenness on output.
  std::vector<double> raw(n, 0.0);
  double scale = 0.0;
  if (options.betweenness_pairs > 0) {
    // Paths between sampled pairs, found on the layout (where the searches' balls are near in
    // memory); pairs drawn from the active vertices in g's order, so the sample does not depend
    // on the layout. count / r estimates b(v) (n - 2) / n: see sampled_path_interiors.
    const RunKey key{options.seed, options.replicate, options.month};
    const auto counts =
        sampled_path_interiors(layout.graph, layout.to_new(active), options.betweenness_pairs, key);
    scale = double(n_active) / (double(n_active - 2) * double(options.betweenness_pairs));
    for (std::size_t i = 0; i < counts.size(); ++i) raw[layout.old_of_new[i]] = double(counts[i]);
    out.betweenness_sample_size = options.betweenness_pairs;
  } else {
    if (options.betweenness_samples == 0) return;
    std::vector<Vertex> sources;
    if (options.betweenness_samples >= n_active) {
      sources = active;
    } else {
      // entity 1: independent of the path-length sources drawn with entity 0.
      RandomStream random(StreamKey{options.seed, options.replicate, options.month, 1, Purpose::metric_sampling});
      for (auto i : sample_without_replacement(random, options.betweenness_samples, n_active))
        sources.push_back(active[i]);
    }
    const auto in_layout = brandes_dependencies(layout.graph, layout.to_new(sources), layout.leaves_from);
    // Unbiased estimate of sum over unordered pairs: (n / k) * (1/2) * sum_s delta_s(v); normalised
    // by the (n - 1)(n - 2) / 2 pairs not involving v, as networkx's normalized=True.
    scale = double(n_active) / double(sources.size()) * 0.5 / (double(n_active - 1) * double(n_active - 2) / 2.0);
    for (std::size_t i = 0; i < in_layout.size(); ++i) raw[layout.old_of_new[i]] = in_layout[i];
    out.betweenness_sample_size = static_cast<std::uint32_t>(sources.size());
  }
  std::vector<Vertex> order = active;
  const std::size_t top = std::min<std::size_t>(options.betweenness_top_k, order.size());
  std::partial_sort(order.begin(), order.begin() + std::ptrdiff_t(top), order.end(), [&](Vertex a, Vertex b) {
    return raw[a] > raw[b] || (raw[a] == raw[b] && a < b);
  });
  out.betweenness_top_vertices.assign(order.begin(), order.begin() + std::ptrdiff_t(top));
  out.betweenness_top_scores.clear();
  for (Vertex v : out.betweenness_top_vertices) out.betweenness_top_scores.push_back(raw[v] * scale);
}

void validate(const CsrGraph& g, const NodeAttributes& a) {
  const std::size_t n = g.vertex_count();
  auto check = [&](std::size_t size, const char* what) {
    if (size != 0 && size != n)
      throw Error(ErrorInfo{std::string("node attribute array has ") + std::to_string(size) + " entries for " +
                                std::to_string(n) + " vertices",
                            {}, what, std::to_string(size), "0 or " + std::to_string(n)});
  };
  check(a.region.size(), "region");
  check(a.country.size(), "country");
  check(a.kind.size(), "kind");
  check(a.area.size(), "area");
  for (std::size_t v = 0; v < a.region.size(); ++v)
    if (a.region[v] != none<RegionIndex> && a.region[v] >= a.region_count)
      throw Error(ErrorInfo{"region index out of range at vertex " + std::to_string(v), {}, "region",
                            std::to_string(a.region[v]), "< region_count = " + std::to_string(a.region_count)});
}
// The groups of compute_metrics as tasks. Each writes only its own scalars, vectors and timing,
// and each is deterministic on its own, so running them side by side cannot reach the results. A
// group's time is its own wall time: side by side, the group times add up to more than the whole.
void basic_group(const CsrGraph& g, const MetricGroups& groups, Components& components, MetricSet& out) {
  if (!groups.basic && !groups.paths) return;  // paths need the components
  Stopwatch w;
  if (groups.basic) basic_metrics(g, out);
  components = connected_components(g);
  if (groups.basic && components.giant_size > 0) {
    out.scalars[at("components")] = components.count;
    out.scalars[at("giant_component_share")] = double(components.giant_size) / out.scalars[at("organisations_active")];
  } else if (groups.basic) {
    out.scalars[at("components")] = 0;
  }
  out.timings.basic = w.elapsed_ms();
}

void clustering_group(const CsrGraph& g, const MetricOptions& options, MetricSet& out) {
  if (!options.groups.clustering) return;
  Stopwatch w;
  if (options.clustering_samples > 0) {
    const StreamKey key{options.seed, options.replicate, options.month, 0, Purpose::clustering_sampling};
    const ClusteringEstimate estimate = sampled_clustering(g, options.clustering_samples, key);
    out.scalars[at("transitivity")] = estimate.transitivity;
    out.scalars[at("mean_local_clustering")] = estimate.mean_local_clustering;
  } else {
    clustering_metrics(g, options.triangles, out);
  }
  out.timings.clustering = w.elapsed_ms();
}

void kcore_group(const CsrGraph& g, const MetricGroups& groups, std::uint32_t hint, MetricSet& out) {
  if (!groups.kcore) return;
  Stopwatch w;
  out.scalars[at("max_kcore")] = double(max_core_number(g, hint));
  out.timings.kcore = w.elapsed_ms();
}

// One pass over the ties serves assortativity, attributed and regions (see sum_over_ties); its
// time is booked to the first of those groups that is on.
void tie_groups(const CsrGraph& g, const NodeAttributes* attributes, const MetricGroups& groups, MetricSet& out) {
  const detail::TiePassWants wants{groups.assortativity, groups.attributed && (attributes || g.has_renewals()),
                                   groups.regions && attributes && detail::has_region_matrix(*attributes)};
  auto& t = out.timings;
  Stopwatch pass;
  detail::TieSums ties;
  if (wants.degrees || wants.attributes || wants.regions) ties = detail::sum_over_ties(g, attributes, wants);
  double pass_ms = pass.elapsed_ms();
  if (groups.assortativity) {
    Stopwatch w;
    detail::assortativity_metric(g, ties, out);
    t.assortativity = std::exchange(pass_ms, 0.0) + w.elapsed_ms();
  }
  if (groups.attributed) {
    Stopwatch w;
    if (wants.attributes) detail::attributed_metrics(g, attributes ? *attributes : NodeAttributes{}, ties, out);
    t.attributed = std::exchange(pass_ms, 0.0) + w.elapsed_ms();
  }
  if (groups.regions && attributes) {
    Stopwatch w;
    if (wants.regions) detail::region_metrics(*attributes, groups.region_betweenness, ties, out);
    t.regions = std::exchange(pass_ms, 0.0) + w.elapsed_ms();
  }
}

// The expensive groups: Louvain is serial and the longest, so it runs beside the path lengths and
// betweenness, whose loops take the other cores.
void expensive_groups(std::uint32_t n, const Layout& layout, const Components& components,
                      const MetricOptions& options, MetricSet& out) {
  const auto& groups = options.groups;
  for_each_index(0, 3, [&](std::size_t group) {
    if (group == 0 && groups.communities) {
      Stopwatch w;
      community_metrics(n, layout, options, out);
      out.timings.communities = w.elapsed_ms();
    } else if (group == 1 && groups.betweenness) {
      Stopwatch w;
      betweenness_metric(n, layout, options, out);
      out.timings.betweenness = w.elapsed_ms();
    } else if (group == 2 && groups.paths) {
      Stopwatch w;
      // Beside serial Louvain, one core fewer is free: more batches than free cores would only
      // add work (each batch is a traversal of its own).
      const std::size_t free_cores = active_threads() - (groups.communities && active_threads() > 1 ? 1 : 0);
      path_metrics(n, layout, components, options, free_cores, out);
      out.timings.paths = w.elapsed_ms();
    }
  }, Execution::parallel, 1);
}
}  // namespace

double MetricSet::scalar(std::string_view name) const {
  const std::size_t i = scalar_index(name);
  if (i == scalar_count) throw Error(ErrorInfo{"unknown scalar metric", {}, "metric", std::string(name), "a name of scalar_metrics"});
  return scalars[i];
}

MetricSet compute_metrics(const CsrGraph& g, const NodeAttributes* attributes, const MetricOptions& options) {
  if (attributes) validate(g, *attributes);
  MetricSet out;
  out.scalars.fill(nan);
  const auto& groups = options.groups;

  // The groups the engine computes every month depend on nothing but the graph. Below
  // parallel_kernel_slots every one of them is a serial kernel (1.5-3.5 ms each on the simulated
  // network), so they run as concurrent tasks: two side by side fill two cores without the
  // scratch copies and atomics that splitting one kernel would cost. Larger graphs have some
  // parallel kernels (triangles, the tie pass) but components and k-core stay serial, so the groups
  // still run side by side, the parallel loops sharing the cores with them: at scale 10 (1.2M
  // organisations, 2.5M slots) that took the monthly groups from 154-178 to 112-122 ms on 2
  // threads; Horizon 2020 (1.6M slots) is unchanged within the noise.
  // The BFS layout of the expensive groups (network/layout.hpp) depends only on the graph too: it
  // is a fifth task, started first since it is the longest (serial BFS then a parallel copy),
  // unless the caller made it.
  Components components;
  std::optional<Layout> made;
  const bool want_layout = groups.paths || groups.communities || groups.betweenness;
  if (want_layout && options.layout) options.layout->check_matches(g.vertex_count(), g.edge_count());
  // Longest first, in the pairs the parallel loop hands to two threads (measured on the simulated
  // network: clustering 3.2 + kcore 1.6 against ties 2.4 + basic 2.3 ms).
  for_each_index(0, 5, [&](std::size_t group) {
    switch (group) {
      case 0:
        if (want_layout && !options.layout) {
          Stopwatch w;
          made.emplace(g);
          out.timings.layout = w.elapsed_ms();
        }
        break;
      case 1: clustering_group(g, options, out); break;
      case 2: kcore_group(g, groups, options.kcore_hint, out); break;
      case 3: tie_groups(g, attributes, groups, out); break;
      default: basic_group(g, groups, components, out); break;
    }
  }, Execution::parallel, 1);
  if (want_layout) expensive_groups(g.vertex_count(), options.layout ? *options.layout : *made, components, options, out);
  if (options.components_out) {
    if (!groups.basic && !groups.paths) components = connected_components(g);
    *options.components_out = std::move(components);
  }
  return out;
}

MetricSet compute_layout_metrics(const Layout& layout, const Components& components, const MetricOptions& options) {
  MetricSet out;
  out.scalars.fill(nan);
  const auto n = static_cast<std::uint32_t>(layout.new_of_old.size());
  if (components.root.size() != n)
    throw Error("compute_layout_metrics: components of " + std::to_string(components.root.size()) +
                " vertices given with a layout of a graph of " + std::to_string(n));
  const auto& groups = options.groups;
  if (groups.paths || groups.communities || groups.betweenness) expensive_groups(n, layout, components, options, out);
  return out;
}

}  // namespace clusternet::network
