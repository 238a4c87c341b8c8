#include "engine/participation_facts.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>
#include <vector>

#include "network/csr_graph.hpp"
#include "network/metrics.hpp"
#include "network/power_law.hpp"

namespace clusternet {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

std::span<const OrgIndex> members_of(const CollaborationTable& log, std::size_t c) {
  return {log.members.data() + log.offsets[c], log.members.data() + log.offsets[c + 1]};
}

bool selected(const CollaborationTable& log, std::size_t c, const CollaborationFilter& filter) {
  if (log.offsets[c + 1] - log.offsets[c] < 2) return false;
  if (filter.origin && log.origin[c] != static_cast<std::int16_t>(*filter.origin)) return false;
  return log.start[c] >= filter.from && log.start[c] < filter.to;
}

// numpy's default percentile: linear interpolation between the order statistics around (n-1)p.
double percentile(const std::vector<double>& sorted, double p) {
  const double h = (static_cast<double>(sorted.size()) - 1) * p;
  const auto low = static_cast<std::size_t>(std::floor(h));
  const std::size_t high = std::min(low + 1, sorted.size() - 1);
  return sorted[low] + (h - static_cast<double>(low)) * (sorted[high] - sorted[low]);
}

// Every pair of co-members (a < b) of the selected collaborations, once per collaboration, sorted.
std::vector<std::pair<OrgIndex, OrgIndex>> member_pairs(const CollaborationTable& log, const CollaborationFilter& filter) {
  std::vector<std::pair<OrgIndex, OrgIndex>> pairs;
  std::vector<OrgIndex> members;
  for (std::size_t c = 0; c < log.size(); ++c) {
    if (!selected(log, c, filter)) continue;
    const auto span = members_of(log, c);
    members.assign(span.begin(), span.end());
    std::sort(members.begin(), members.end());
    members.erase(std::unique(members.begin(), members.end()), members.end());
    for (std::size_t i = 0; i < members.size(); ++i)
      for (std::size_t j = i + 1; j < members.size(); ++j) pairs.emplace_back(members[i], members[j]);
  }
  std::sort(pairs.begin(), pairs.end());
  return pairs;
}

}  // namespace

ParticipationFacts participation_facts(const CollaborationTable& log, const World& world, const CollaborationFilter& filter) {
  ParticipationFacts f;
  std::vector<double> sizes;
  std::vector<std::uint32_t> participations(world.orgs.size(), 0);
  double cross_border = 0, research = 0, firms = 0, others = 0;
  std::vector<CountryIndex> countries;
  for (std::size_t c = 0; c < log.size(); ++c) {
    if (!selected(log, c, filter)) continue;
    const auto members = members_of(log, c);
    sizes.push_back(static_cast<double>(members.size()));
    countries.clear();
    for (OrgIndex o : members) {
      ++participations[o];
      countries.push_back(world.regions.regions[world.orgs.region[o]].country);
      const OrgKind kind = world.orgs.kind[o];
      if (kind == OrgKind::research) research += 1;
      else if (kind == OrgKind::cluster) others += 1;
      else firms += 1;
    }
    std::sort(countries.begin(), countries.end());
    cross_border += std::unique(countries.begin(), countries.end()) - countries.begin() >= 2 ? 1.0 : 0.0;
  }
  f.projects = sizes.size();
  if (sizes.empty()) {
    f.project_size_median = f.project_size_mean = f.project_size_p90 = f.project_size_max = nan;
    f.bilateral_project_share = f.cross_border_project_share = f.participations_once_share = nan;
    f.participations_10plus_share = f.participations_mean = f.research_participation_share = nan;
    f.firm_participation_share = f.other_participation_share = f.repeated_pair_share = nan;
    f.orgs_without_repeated_partner_share = nan;
    return f;
  }
  const double n = static_cast<double>(sizes.size());
  double total = 0, bilateral = 0;
  for (double s : sizes) {
    total += s;
    bilateral += s == 2 ? 1.0 : 0.0;
  }
  std::sort(sizes.begin(), sizes.end());
  f.project_size_median = percentile(sizes, 0.5);
  f.project_size_mean = total / n;
  f.project_size_p90 = percentile(sizes, 0.9);
  f.project_size_max = sizes.back();
  f.bilateral_project_share = bilateral / n;
  f.cross_border_project_share = cross_border / n;
  double once = 0, ten_plus = 0, active = 0;
  for (std::uint32_t p : participations) {
    if (p == 0) continue;
    active += 1;
    once += p == 1 ? 1.0 : 0.0;
    ten_plus += p >= 10 ? 1.0 : 0.0;
  }
  f.organisations = static_cast<std::size_t>(active);
  f.participations_once_share = once / active;
  f.participations_10plus_share = ten_plus / active;
  f.participations_mean = total / active;
  const double matched = research + firms + others;
  f.research_participation_share = research / matched;
  f.firm_participation_share = firms / matched;
  f.other_participation_share = others / matched;

  // Repeated partnerships: runs of equal pairs in the sorted list.
  const auto pairs = member_pairs(log, filter);
  std::vector<std::uint8_t> tied(world.orgs.size(), 0), repeated(world.orgs.size(), 0);
  double distinct = 0, repeated_pairs = 0;
  for (std::size_t i = 0; i < pairs.size();) {
    std::size_t j = i;
    while (j < pairs.size() && pairs[j] == pairs[i]) ++j;
    distinct += 1;
    tied[pairs[i].first] = tied[pairs[i].second] = 1;
    if (j - i >= 2) {
      repeated_pairs += 1;
      repeated[pairs[i].first] = repeated[pairs[i].second] = 1;
    }
    i = j;
  }
  double tied_count = 0, with_repeat = 0;
  for (std::size_t o = 0; o < tied.size(); ++o) {
    tied_count += tied[o];
    with_repeat += repeated[o];
  }
  f.repeated_pair_share = distinct > 0 ? repeated_pairs / distinct : nan;
  f.orgs_without_repeated_partner_share = tied_count > 0 ? 1.0 - with_repeat / tied_count : nan;
  return f;
}

CoParticipationFacts coparticipation_facts(const CollaborationTable& log, const World& world, const CollaborationFilter& filter,
                                           std::uint64_t seed, std::uint32_t path_samples) {
  auto pairs = member_pairs(log, filter);
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  std::vector<network::Vertex> sources(pairs.size()), targets(pairs.size());
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    sources[i] = pairs[i].first;
    targets[i] = pairs[i].second;
  }
  const auto graph = network::CsrGraph::from_edges(static_cast<std::uint32_t>(world.orgs.size()), sources, targets);
  network::MetricOptions options;
  options.groups.communities = false;
  options.groups.kcore = false;
  options.groups.betweenness = false;
  options.groups.attributed = false;
  options.groups.regions = false;
  options.path_samples = path_samples;
  options.seed = seed;
  const network::MetricSet m = network::compute_metrics(graph, nullptr, options);
  CoParticipationFacts f;
  f.mean_local_clustering = m.scalar("mean_local_clustering");
  f.transitivity = m.scalar("transitivity");
  f.degree_assortativity = m.scalar("degree_assortativity");
  f.giant_component_share = m.scalar("giant_component_share");
  f.mean_path_length = m.scalar("mean_path_length");
  f.mean_degree = m.scalar("mean_degree");
  f.max_over_mean_degree = m.scalar("max_degree") / f.mean_degree;
  std::vector<std::uint32_t> degrees(graph.vertex_count());
  for (network::Vertex v = 0; v < graph.vertex_count(); ++v) degrees[v] = graph.degree(v);
  f.degree_tail_exponent = network::discrete_power_law_exponent(degrees, 5);
  return f;
}

}  // namespace clusternet
