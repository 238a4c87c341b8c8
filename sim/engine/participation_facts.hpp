#pragma once
// The facts the calibration compares with real collaboration data (docs/calibration.md), computed
// from a run's collaboration log exactly as scripts/calibration/h2020_facts.py computes them from
// CORDIS: over the collaborations that start in a window of months, counting only collaborations
// with two members or more. Participation-level facts (sizes, participations per organisation,
// repeated partnerships, cross-border projects, the mix of kinds) and the network facts of the
// co-participation graph (two organisations tied when they share a collaboration of the window).
#include <cstdint>
#include <optional>

#include "behaviour/tie_store.hpp"
#include "engine/results.hpp"
#include "world/world.hpp"

namespace clusternet {

struct CollaborationFilter {
  std::optional<TieOrigin> origin;  // empty: every origin
  Month from = 0;                   // start month in [from, to)
  Month to = 0;
};

struct ParticipationFacts {
  std::size_t projects = 0;                       // collaborations of two members or more
  std::size_t organisations = 0;                  // distinct members
  double project_size_median = 0, project_size_mean = 0, project_size_p90 = 0, project_size_max = 0;
  double bilateral_project_share = 0;
  double cross_border_project_share = 0;          // members from two countries or more
  double participations_once_share = 0;           // organisations in exactly one project
  double participations_10plus_share = 0;
  double participations_mean = 0;
  // Shares of participations by kind, matched to the Horizon 2020 types: research organisations
  // (HES, REC), firms (PRC: SMEs and large firms), cluster organisations (OTH).
  double research_participation_share = 0, firm_participation_share = 0, other_participation_share = 0;
  double repeated_pair_share = 0;                 // pairs sharing two projects or more / all pairs
  double orgs_without_repeated_partner_share = 0;
};

// NaN everywhere (and projects 0) when no collaboration matches.
ParticipationFacts participation_facts(const CollaborationTable& log, const World& world, const CollaborationFilter& filter);

struct CoParticipationFacts {
  double mean_local_clustering = 0, transitivity = 0, degree_assortativity = 0, giant_component_share = 0;
  double mean_path_length = 0, degree_tail_exponent = 0, max_over_mean_degree = 0, mean_degree = 0;
};

// Network facts of the co-participation graph, with the metric code of every run
// (network::compute_metrics; path lengths from `path_samples` sampled sources keyed by seed).
CoParticipationFacts coparticipation_facts(const CollaborationTable& log, const World& world, const CollaborationFilter& filter,
                                           std::uint64_t seed, std::uint32_t path_samples = 200);

}  // namespace clusternet
