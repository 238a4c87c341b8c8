#pragma once
// The network metric set of one snapshot: what the engine records each month and what
// `clusternet analyze` prints for any edge list. Definitions, units and the treatment of
// self-loops, multi-edges and isolated vertices are in docs/metrics.md; the short form:
//  - the graph is the simplified CsrGraph (self-loops dropped, multi-edges merged);
//  - distribution metrics (mean degree, Gini, histogram, local clustering, component shares) are
//    over the *active* organisations (degree >= 1): a world of 25M organisations of which a
//    fraction collaborates would otherwise be dominated by isolated vertices;
//  - everything not computed (group off, attribute missing, undefined on this graph) is NaN.
// Determinism: for one (seed, replicate, month) every value is bit-identical on any thread count.
#include <array>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "core/types.hpp"
#include "network/csr_graph.hpp"
#include "network/kernels.hpp"
#include "network/layout.hpp"

namespace clusternet::network {

struct ScalarInfo {
  std::string_view name;
  std::string_view description;
  std::string_view unit;
};

// Every scalar metric in its fixed order (the HDF5 datasets, the CSV columns and the JSON keys use
// these names and this order).
inline constexpr std::array<ScalarInfo, 40> scalar_metrics = {{
    {"organisations_active", "organisations with at least one tie (degree >= 1)", "organisations"},
    {"ties", "distinct undirected ties (self-loops dropped, multi-edges merged)", "ties"},
    {"mean_degree", "2 * ties / organisations_active", "ties per organisation"},
    {"max_degree", "largest degree", "ties"},
    {"degree_gini", "Gini coefficient of the degrees of active organisations", "1"},
    {"components", "connected components with at least one tie", "components"},
    {"giant_component_share", "organisations in the largest component / organisations_active", "1"},
    {"transitivity", "global clustering: 3 * triangles / connected triples", "1"},
    {"mean_local_clustering", "mean local clustering over active organisations, degree-1 nodes count as 0", "1"},
    {"degree_assortativity", "Pearson correlation of the degrees at the two ends of a tie (Newman 2002)", "1"},
    {"mean_path_length", "mean hop distance between a sampled source and every other node of the giant component", "hops"},
    {"effective_diameter", "interpolated 90th percentile of the sampled hop distances", "hops"},
    {"path_sample_size", "BFS sources behind mean_path_length (all of the giant component when exact)", "sources"},
    {"modularity", "Newman-Girvan modularity (weighted) of the seeded Louvain partition", "1"},
    {"communities", "communities of the Louvain partition (active organisations only)", "communities"},
    {"max_kcore", "largest k such that the k-core is not empty", "ties"},
    {"interregional_tie_share", "share of ties whose two ends lie in different regions", "1"},
    {"cross_border_tie_share", "share of ties whose two ends lie in different countries", "1"},
    {"cross_sectoral_tie_share", "share of ties whose two ends have different primary thematic areas", "1"},
    {"repeated_tie_share", "share of ties renewed at least once", "1"},
    {"tie_share_sme_sme", "share of ties between two SMEs", "1"},
    {"tie_share_sme_large_firm", "share of ties between an SME and a large firm", "1"},
    {"tie_share_sme_research", "share of ties between an SME and a research organisation", "1"},
    {"tie_share_sme_cluster", "share of ties between an SME and a cluster organisation", "1"},
    {"tie_share_large_firm_large_firm", "share of ties between two large firms", "1"},
    {"tie_share_large_firm_research", "share of ties between a large firm and a research organisation", "1"},
    {"tie_share_large_firm_cluster", "share of ties between a large firm and a cluster organisation", "1"},
    {"tie_share_research_research", "share of ties between two research organisations", "1"},
    {"tie_share_research_cluster", "share of ties between a research and a cluster organisation", "1"},
    {"tie_share_cluster_cluster", "share of ties between two cluster organisations", "1"},
    {"convergence_gap", "(mean region_strength of more developed - of less developed regions) / mean over all categorised regions", "1"},
    {"region_degree_mean_less_developed", "mean region_degree of less developed regions", "regions"},
    {"region_degree_mean_transition", "mean region_degree of transition regions", "regions"},
    {"region_degree_mean_more_developed", "mean region_degree of more developed regions", "regions"},
    {"region_strength_mean_less_developed", "mean region_strength of less developed regions", "ties"},
    {"region_strength_mean_transition", "mean region_strength of transition regions", "ties"},
    {"region_strength_mean_more_developed", "mean region_strength of more developed regions", "ties"},
    {"region_betweenness_mean_less_developed", "mean region_betweenness of less developed regions", "1"},
    {"region_betweenness_mean_transition", "mean region_betweenness of transition regions", "1"},
    {"region_betweenness_mean_more_developed", "mean region_betweenness of more developed regions", "1"},
}};
inline constexpr std::size_t scalar_count = scalar_metrics.size();

// Position of a scalar by name; scalar_count when unknown. constexpr, so code can index by name
// at compile time: scalars[scalar_index("transitivity")].
constexpr std::size_t scalar_index(std::string_view name) {
  for (std::size_t i = 0; i < scalar_count; ++i)
    if (scalar_metrics[i].name == name) return i;
  return scalar_count;
}

// Kind groups of the tie-share-by-kind-pair metrics: the three SME size classes pooled.
inline constexpr std::array<std::string_view, 4> kind_group_names = {"sme", "large_firm", "research", "cluster"};
inline constexpr std::uint8_t unknown_attribute = 0xFF;  // kind / category / area not known

// Optional attributes per organisation (struct of arrays; each array empty = attribute absent, or
// one entry per vertex) and per region. Unknown single values: none<RegionIndex>, none<CountryIndex>,
// unknown_attribute. A tie counts towards an attributed share only when both ends are known.
struct NodeAttributes {
  std::vector<RegionIndex> region;
  std::vector<CountryIndex> country;
  std::vector<std::uint8_t> kind;     // OrgKind value
  std::vector<AreaIndex> area;        // primary thematic area
  std::uint32_t region_count = 0;     // regions of the region-level metrics (indices < region_count)
  std::vector<std::uint8_t> region_category;  // CohesionCategory value per region (or unknown_attribute)
};

struct MetricGroups {
  bool basic = true;          // degrees, histogram, Gini, components, giant share
  bool clustering = true;     // transitivity, mean local clustering
  bool assortativity = true;
  bool paths = true;          // mean path length, effective diameter
  bool communities = true;    // Louvain, modularity
  bool kcore = true;
  bool betweenness = false;   // sampled Brandes: the expensive one, run at a lower frequency
  bool attributed = true;     // tie shares (needs NodeAttributes)
  bool regions = true;        // region-level graph (needs region and region_count)
  // Region betweenness (and its category means) on top of `regions`: an all-pairs weighted
  // Brandes on the region graph, O(r^3), far dearer than region degree and strength, so the engine
  // can ask for it only in its expensive months. Off: region_betweenness stays empty and
  // region_betweenness_mean_* NaN; nothing else changes.
  bool region_betweenness = true;
};

struct MetricOptions {
  MetricGroups groups;
  std::uint32_t path_samples = 256;        // BFS sources in the giant component
  bool exact_paths = false;                // use every giant-component vertex as a source
  std::uint32_t betweenness_samples = 256; // Brandes sources among active vertices
  // > 0: betweenness estimated from this many shortest paths between sampled pairs of active
  // vertices (sampled_path_interiors) instead of Brandes from betweenness_samples sources.
  std::uint32_t betweenness_pairs = 0;
  std::uint32_t betweenness_top_k = 20;
  bool keep_partition = false;             // return the Louvain partition in MetricSet::community
  LocalMoving local_moving = LocalMoving::sequential;  // Louvain's local moving (kernels.hpp)
  // Triangles through each vertex of the graph when the caller already has them (the engine carries
  // them from month to month); null: counted here. Must equal triangles_per_vertex(g).
  const std::vector<std::uint64_t>* triangles = nullptr;
  // Wedges sampled per estimate for transitivity and mean_local_clustering (sampled_clustering in
  // kernels.hpp; `triangles` is then not read); 0: exact, from the triangle counts.
  std::uint64_t clustering_samples = 0;
  // The layout of g (network/layout.hpp) when the caller made it; null: made here from g. Louvain
  // and modularity read its weights, so a caller may hand over g without weights and a layout with
  // them (the engine does). Must be a layout of g (vertex and tie counts are checked).
  const Layout* layout = nullptr;
  // When not null, compute_metrics leaves the connected components of g here (for a later
  // compute_layout_metrics).
  Components* components_out = nullptr;
  // A guess of max_kcore (e.g. the previous month's) that lets max_core_number start there; it
  // changes only the cost, never the value. 0: none.
  std::uint32_t kcore_hint = 0;
  // Stream key parts: sources are drawn from Purpose::metric_sampling, the Louvain order from
  // Purpose::community_detection.
  std::uint64_t seed = 0;
  std::uint32_t replicate = 0;
  Month month = 0;
};

// Wall-clock milliseconds per group (diagnostics only; not part of the determinism contract).
struct MetricTimings {
  double basic = 0, clustering = 0, assortativity = 0, paths = 0, communities = 0, kcore = 0,
         betweenness = 0, attributed = 0, regions = 0;
  double layout = 0;  // BFS-order copy of the active graph shared by paths, communities, betweenness
};

struct MetricSet {
  std::array<double, scalar_count> scalars{};  // in scalar_metrics order; NaN when not computed
  double scalar(std::string_view name) const;  // throws clusternet::Error for an unknown name

  // Log-binned degree distribution of active organisations: bin b holds degrees in
  // [edges[b], edges[b+1]), edges are 1, 2, 4, 8, ...; edges.size() == counts.size() + 1.
  std::vector<std::uint64_t> degree_histogram_edges;
  std::vector<std::uint64_t> degree_histogram_counts;
  // Top organisations by estimated normalised betweenness (descending score, ties by index).
  std::vector<Vertex> betweenness_top_vertices;
  std::vector<double> betweenness_top_scores;
  std::uint32_t betweenness_sample_size = 0;
  // Per region (index < region_count) in the region-to-region graph of interregional ties.
  std::vector<std::uint32_t> region_degree;    // distinct partner regions
  std::vector<double> region_strength;         // interregional ties of its organisations
  std::vector<double> region_betweenness;      // normalised, link length 1 / ties
  // Louvain community per vertex (none<uint32_t> for isolated vertices) when keep_partition.
  std::vector<std::uint32_t> community;

  MetricTimings timings;
};

// Computes the groups selected in `options` on `g`. `attributes` may be null (attributed and
// region metrics then NaN). Throws clusternet::Error when an attribute array is neither empty nor
// one entry per vertex, or a region index is >= region_count.
MetricSet compute_metrics(const CsrGraph& g, const NodeAttributes* attributes, const MetricOptions& options);

// The groups that read a graph only through its layout (paths, communities, betweenness; the
// others of options.groups are ignored and their values NaN), from the layout of a graph and its
// connected components (MetricOptions::components_out), without the graph: the values are those
// compute_metrics gives on the graph with the same layout. The engine measures an expensive month
// so, letting the month's graph go once the other groups are done. Throws clusternet::Error when
// the components are not of a graph with the layout's vertex count.
MetricSet compute_layout_metrics(const Layout& layout, const Components& components, const MetricOptions& options);

}  // namespace clusternet::network
