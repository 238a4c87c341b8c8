#include "network/metrics.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <limits>
#include <numeric>
#include <optional>
#include <string>

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "core/random.hpp"
#include "network/kernels.hpp"
#include "world/organisation_kind.hpp"

namespace clusternet::network {

namespace {
constexpr double nan = std::numeric_limits<double>::quiet_NaN();
__extension__ using u128 = unsigned __int128;  // exact sums of degree products (no overflow at 10^7 nodes)

constexpr std::size_t at(std::string_view name) {
  const std::size_t i = scalar_index(name);
  if (i == scalar_count) throw "unknown scalar metric";  // compile-time error in constant evaluation
  return i;
}

class Stopwatch {
 public:
  double elapsed_ms() const {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start_).count();
  }

 private:
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

std::uint8_t kind_group(std::uint8_t kind) {
  if (kind == unknown_attribute || kind >= org_kind_count) return unknown_attribute;
  const auto k = static_cast<OrgKind>(kind);
  if (is_sme(k)) return 0;
  if (k == OrgKind::large_firm) return 1;
  if (k == OrgKind::research) return 2;
  return 3;
}

// Index of the kind pair (a <= b) among the 10 tie_share_* metrics, in scalar_metrics order.
constexpr std::size_t kind_pair_slot(std::uint8_t a, std::uint8_t b) {
  if (a > b) std::swap(a, b);
  // Rows of the upper triangle of a 4x4 matrix: 4 + 3 + 2 + 1.
  constexpr std::array<std::size_t, 4> row_start = {0, 4, 7, 9};
  return row_start[a] + (b - a);
}

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

void clustering_metrics(const CsrGraph& g, MetricSet& out) {
  const std::uint32_t n = g.vertex_count();
  const auto triangles = triangles_per_vertex(g);
  struct Sums {
    std::uint64_t corners = 0, triples = 0, active = 0;
    double local = 0.0;
  };
  const Sums sums = deterministic_reduce(
      0, n, Sums{},
      [&](std::size_t b, std::size_t e) {
        Sums s;
        for (std::size_t v = b; v < e; ++v) {
          const std::uint64_t d = g.degree(Vertex(v));
          if (d == 0) continue;
          ++s.active;
          s.corners += triangles[v];
          const std::uint64_t pairs = d * (d - 1) / 2;
          s.triples += pairs;
          if (pairs) s.local += double(triangles[v]) / double(pairs);
        }
        return s;
      },
      [](Sums a, const Sums& b) {
        a.corners += b.corners;
        a.triples += b.triples;
        a.active += b.active;
        a.local += b.local;
        return a;
      },
      Execution::parallel, 1 << 13);
  // Each triangle is credited to its three corners, so corners = 3 * triangles.
  out.scalars[at("transitivity")] = sums.triples ? double(sums.corners) / double(sums.triples) : nan;
  out.scalars[at("mean_local_clustering")] = sums.active ? sums.local / double(sums.active) : nan;
}

void assortativity_metric(const CsrGraph& g, MetricSet& out) {
  // Newman's r over the ties, each tie counted in both directions (the symmetric form), with
  // exact integer sums so the value does not depend on summation order at all.
  const std::uint32_t n = g.vertex_count();
  struct Sums {
    u128 jk = 0, j = 0, jj = 0;
  };
  const Sums sums = deterministic_reduce(
      0, n, Sums{},
      [&](std::size_t b, std::size_t e) {
        Sums s;
        for (std::size_t v = b; v < e; ++v) {
          const u128 dv = g.degree(Vertex(v));
          if (dv == 0) continue;
          u128 neighbour_degrees = 0;
          for (Vertex w : g.neighbours(Vertex(v))) neighbour_degrees += g.degree(w);
          s.jk += dv * neighbour_degrees;
          s.j += dv * dv;        // dv appears once per slot of its row
          s.jj += dv * dv * dv;
        }
        return s;
      },
      [](Sums a, const Sums& b) {
        a.jk += b.jk;
        a.j += b.j;
        a.jj += b.jj;
        return a;
      },
      Execution::parallel, 1 << 12);
  const double slots = double(g.neighbour_array().size());
  if (slots == 0) return;
  const double mean = double(sums.j) / slots;
  const double numerator = double(sums.jk) / slots - mean * mean;
  const double denominator = double(sums.jj) / slots - mean * mean;
  out.scalars[at("degree_assortativity")] = denominator > 0 ? numerator / denominator : nan;
}

// The active vertices in BFS order as a graph of their own (bfs_order + induced_subgraph): the
// traversal kernels run on it because neighbours there are mostly near in memory. On the simulated
// network at scale 1 (jci-150m after 120 months, 2 threads) it took 32-source Brandes from 117 to
// 88 ms and 64-source paths from 34 to 26 ms; building it costs about 8 ms.
struct Layout {
  std::vector<Vertex> old_of_new, new_of_old;
  CsrGraph graph;
  explicit Layout(const CsrGraph& g) : old_of_new(bfs_order(g)), new_of_old(g.vertex_count(), none<Vertex>) {
    for (std::size_t i = 0; i < old_of_new.size(); ++i) new_of_old[old_of_new[i]] = Vertex(i);
    graph = g.induced_subgraph(old_of_new);
  }
  std::vector<Vertex> to_new(std::span<const Vertex> vertices) const {
    std::vector<Vertex> out(vertices.size());
    for (std::size_t i = 0; i < vertices.size(); ++i) out[i] = new_of_old[vertices[i]];
    return out;
  }
};

void path_metrics(const CsrGraph& g, const Layout& layout, const Components& components, const MetricOptions& options,
                  MetricSet& out) {
  if (components.giant_size < 2) return;
  std::vector<Vertex> giant;
  giant.reserve(components.giant_size);
  for (Vertex v = 0; v < g.vertex_count(); ++v)
    if (components.root[v] == components.giant_root) giant.push_back(v);
  const auto size = static_cast<std::uint32_t>(giant.size());
  std::vector<Vertex> sources;
  if (options.exact_paths || options.path_samples >= size) {
    sources = giant;
  } else {
    RandomStream random(StreamKey{options.seed, options.replicate, options.month, 0, Purpose::metric_sampling});
    for (std::uint32_t i : sample_without_replacement(random, options.path_samples, size)) sources.push_back(giant[i]);
  }
  const auto histogram = bfs_distance_histogram(layout.graph, layout.to_new(sources));
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

void community_metrics(const CsrGraph& g, const Layout& layout, const MetricOptions& options, MetricSet& out) {
  const auto in_layout =
      louvain(layout.graph, StreamKey{options.seed, options.replicate, options.month, 0, Purpose::community_detection});
  // Back to the original vertices, communities renumbered by their smallest original vertex.
  std::vector<std::uint32_t> partition(g.vertex_count(), none<std::uint32_t>);
  std::vector<std::uint32_t> renumbered(in_layout.size(), none<std::uint32_t>);
  std::uint32_t k = 0;
  for (Vertex v = 0; v < g.vertex_count(); ++v) {
    const Vertex i = layout.new_of_old[v];
    if (i == none<Vertex>) continue;
    auto& c = renumbered[in_layout[i]];
    if (c == none<std::uint32_t>) c = k++;
    partition[v] = c;
  }
  if (k > 0) {
    out.scalars[at("modularity")] = modularity(g, partition);
    out.scalars[at("communities")] = double(k);
  }
  if (options.keep_partition) out.community = std::move(partition);
}

void betweenness_metric(const CsrGraph& g, const Layout& layout, const MetricOptions& options, MetricSet& out) {
  std::vector<Vertex> active;
  for (Vertex v = 0; v < g.vertex_count(); ++v)
    if (g.degree(v) > 0) active.push_back(v);
  const auto n_active = static_cast<std::uint32_t>(active.size());
  if (n_active < 3 || options.betweenness_top_k == 0 || options.betweenness_samples == 0) return;
  std::vector<Vertex> sources;
  if (options.betweenness_samples >= n_active) {
    sources = active;
  } else {
    // entity 1: independent of the path-length sources drawn with entity 0.
    RandomStream random(StreamKey{options.seed, options.replicate, options.month, 1, Purpose::metric_sampling});
    for (auto i : sample_without_replacement(random, options.betweenness_samples, n_active)) sources.push_back(active[i]);
  }
  const auto in_layout = brandes_dependencies(layout.graph, layout.to_new(sources));
  std::vector<double> dependency(g.vertex_count(), 0.0);
  for (std::size_t i = 0; i < in_layout.size(); ++i) dependency[layout.old_of_new[i]] = in_layout[i];
  // Unbiased estimate of sum over unordered pairs: (n / k) * (1/2) * sum_s delta_s(v); normalised
  // by the (n - 1)(n - 2) / 2 pairs not involving v, as networkx's normalized=True.
  const double scale = double(n_active) / double(sources.size()) * 0.5 /
                       (double(n_active - 1) * double(n_active - 2) / 2.0);
  std::vector<Vertex> order = active;
  const std::size_t top = std::min<std::size_t>(options.betweenness_top_k, order.size());
  std::partial_sort(order.begin(), order.begin() + std::ptrdiff_t(top), order.end(), [&](Vertex a, Vertex b) {
    return dependency[a] > dependency[b] || (dependency[a] == dependency[b] && a < b);
  });
  out.betweenness_top_vertices.assign(order.begin(), order.begin() + std::ptrdiff_t(top));
  out.betweenness_top_scores.clear();
  for (Vertex v : out.betweenness_top_vertices) out.betweenness_top_scores.push_back(dependency[v] * scale);
  out.betweenness_sample_size = static_cast<std::uint32_t>(sources.size());
}

void attributed_metrics(const CsrGraph& g, const NodeAttributes& attributes, MetricSet& out) {
  const std::uint32_t n = g.vertex_count();
  // Integer counters per category: [known, differing] for region, country, area; [known, per pair]
  // for kinds. Each tie is seen once (from its smaller end).
  struct Counts {
    std::array<std::uint64_t, 2> region{}, country{}, area{}, renewed{};
    std::uint64_t kind_known = 0;
    std::array<std::uint64_t, 10> kind_pair{};
  };
  const bool has_region = !attributes.region.empty(), has_country = !attributes.country.empty(),
             has_area = !attributes.area.empty(), has_kind = !attributes.kind.empty();
  const Counts counts = deterministic_reduce(
      0, n, Counts{},
      [&](std::size_t b, std::size_t e) {
        Counts c;
        for (std::size_t uu = b; uu < e; ++uu) {
          const Vertex u = Vertex(uu);
          const auto row = g.neighbours(u);
          const auto renewals = g.renewals(u);
          for (std::size_t k = 0; k < row.size(); ++k) {
            const Vertex w = row[k];
            if (w <= u) continue;
            if (!renewals.empty()) {
              ++c.renewed[0];
              c.renewed[1] += renewals[k] > 0;
            }
            if (has_region && attributes.region[u] != none<RegionIndex> && attributes.region[w] != none<RegionIndex>) {
              ++c.region[0];
              c.region[1] += attributes.region[u] != attributes.region[w];
            }
            if (has_country && attributes.country[u] != none<CountryIndex> &&
                attributes.country[w] != none<CountryIndex>) {
              ++c.country[0];
              c.country[1] += attributes.country[u] != attributes.country[w];
            }
            if (has_area && attributes.area[u] != unknown_attribute && attributes.area[w] != unknown_attribute) {
              ++c.area[0];
              c.area[1] += attributes.area[u] != attributes.area[w];
            }
            if (has_kind) {
              const auto a = kind_group(attributes.kind[u]), z = kind_group(attributes.kind[w]);
              if (a != unknown_attribute && z != unknown_attribute) {
                ++c.kind_known;
                ++c.kind_pair[kind_pair_slot(a, z)];
              }
            }
          }
        }
        return c;
      },
      [](Counts a, const Counts& b) {
        for (int i = 0; i < 2; ++i) {
          a.region[i] += b.region[i];
          a.country[i] += b.country[i];
          a.area[i] += b.area[i];
          a.renewed[i] += b.renewed[i];
        }
        a.kind_known += b.kind_known;
        for (std::size_t i = 0; i < a.kind_pair.size(); ++i) a.kind_pair[i] += b.kind_pair[i];
        return a;
      },
      Execution::parallel, 1 << 12);
  auto share = [](const std::array<std::uint64_t, 2>& c) { return c[0] ? double(c[1]) / double(c[0]) : nan; };
  auto& s = out.scalars;
  if (g.has_renewals()) s[at("repeated_tie_share")] = share(counts.renewed);
  if (has_region) s[at("interregional_tie_share")] = share(counts.region);
  if (has_country) s[at("cross_border_tie_share")] = share(counts.country);
  if (has_area) s[at("cross_sectoral_tie_share")] = share(counts.area);
  if (has_kind && counts.kind_known > 0)
    for (std::size_t i = 0; i < counts.kind_pair.size(); ++i)
      s[at("tie_share_sme_sme") + i] = double(counts.kind_pair[i]) / double(counts.kind_known);
}

// Above this many regions the dense region matrix (4 bytes per region pair) is not built.
constexpr std::uint32_t max_dense_regions = 2048;

void region_metrics(const CsrGraph& g, const NodeAttributes& attributes, bool with_betweenness, MetricSet& out) {
  const std::uint32_t r = attributes.region_count;
  if (attributes.region.empty() || r == 0 || r > max_dense_regions) return;
  const std::uint32_t n = g.vertex_count();
  // Interregional ties per region pair. Integer atomics: order-free.
  std::vector<std::uint32_t> ties(std::size_t(r) * r, 0);
  for_each_block(0, n, [&](std::size_t b, std::size_t e) {
    for (std::size_t uu = b; uu < e; ++uu) {
      const RegionIndex ru = attributes.region[uu];
      if (ru == none<RegionIndex>) continue;
      for (Vertex w : g.neighbours(Vertex(uu))) {
        if (w <= uu) continue;
        const RegionIndex rw = attributes.region[w];
        if (rw == none<RegionIndex> || rw == ru) continue;
        std::atomic_ref<std::uint32_t>(ties[std::size_t(ru) * r + rw]).fetch_add(1, std::memory_order_relaxed);
        std::atomic_ref<std::uint32_t>(ties[std::size_t(rw) * r + ru]).fetch_add(1, std::memory_order_relaxed);
      }
    }
  }, Execution::parallel, 1 << 12);
  out.region_degree.assign(r, 0);
  out.region_strength.assign(r, 0.0);
  for (std::uint32_t a = 0; a < r; ++a)
    for (std::uint32_t b = 0; b < r; ++b)
      if (ties[std::size_t(a) * r + b]) {
        ++out.region_degree[a];
        out.region_strength[a] += ties[std::size_t(a) * r + b];
      }
  if (with_betweenness) {
    const std::vector<double> weight(ties.begin(), ties.end());
    out.region_betweenness = weighted_betweenness_dense(weight, r);
  }

  if (attributes.region_category.size() != r) return;
  std::array<double, 3> degree_sum{}, strength_sum{}, betweenness_sum{};
  std::array<std::uint32_t, 3> count{};
  for (std::uint32_t a = 0; a < r; ++a) {
    const auto c = attributes.region_category[a];
    if (c > 2) continue;
    ++count[c];
    degree_sum[c] += out.region_degree[a];
    strength_sum[c] += out.region_strength[a];
    if (with_betweenness) betweenness_sum[c] += out.region_betweenness[a];
  }
  auto& s = out.scalars;
  for (std::size_t c = 0; c < 3; ++c) {
    if (!count[c]) continue;
    s[at("region_degree_mean_less_developed") + c] = degree_sum[c] / count[c];
    s[at("region_strength_mean_less_developed") + c] = strength_sum[c] / count[c];
    if (with_betweenness) s[at("region_betweenness_mean_less_developed") + c] = betweenness_sum[c] / count[c];
  }
  const auto less = std::size_t(CohesionCategory::less_developed), more = std::size_t(CohesionCategory::more_developed);
  const double all = (strength_sum[0] + strength_sum[1] + strength_sum[2]) / double(count[0] + count[1] + count[2]);
  if (count[less] && count[more] && all > 0)
    s[at("convergence_gap")] = (strength_sum[more] / count[more] - strength_sum[less] / count[less]) / all;
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
  auto& t = out.timings;
  Components components;
  if (groups.basic || groups.paths) {
    Stopwatch w;
    if (groups.basic) basic_metrics(g, out);
    components = connected_components(g);
    if (groups.basic && components.giant_size > 0) {
      out.scalars[at("components")] = components.count;
      out.scalars[at("giant_component_share")] =
          double(components.giant_size) / out.scalars[at("organisations_active")];
    } else if (groups.basic) {
      out.scalars[at("components")] = 0;
    }
    t.basic = w.elapsed_ms();
  }
  if (groups.clustering) {
    Stopwatch w;
    clustering_metrics(g, out);
    t.clustering = w.elapsed_ms();
  }
  if (groups.assortativity) {
    Stopwatch w;
    assortativity_metric(g, out);
    t.assortativity = w.elapsed_ms();
  }
  std::optional<Layout> layout;
  if (groups.paths || groups.communities || groups.betweenness) {
    Stopwatch w;
    layout.emplace(g);
    t.layout = w.elapsed_ms();
  }
  if (groups.paths) {
    Stopwatch w;
    path_metrics(g, *layout, components, options, out);
    t.paths = w.elapsed_ms();
  }
  if (groups.communities) {
    Stopwatch w;
    community_metrics(g, *layout, options, out);
    t.communities = w.elapsed_ms();
  }
  if (groups.kcore) {
    Stopwatch w;
    const auto core = core_numbers(g);
    out.scalars[at("max_kcore")] = core.empty() ? 0.0 : double(*std::max_element(core.begin(), core.end()));
    t.kcore = w.elapsed_ms();
  }
  if (groups.betweenness) {
    Stopwatch w;
    betweenness_metric(g, *layout, options, out);
    t.betweenness = w.elapsed_ms();
  }
  if (groups.attributed) {
    Stopwatch w;
    if (attributes || g.has_renewals()) attributed_metrics(g, attributes ? *attributes : NodeAttributes{}, out);
    t.attributed = w.elapsed_ms();
  }
  if (groups.regions && attributes) {
    Stopwatch w;
    region_metrics(g, *attributes, groups.region_betweenness, out);
    t.regions = w.elapsed_ms();
  }
  return out;
}

}  // namespace clusternet::network
