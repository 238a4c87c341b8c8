#pragma once
// Behaviour parameters of a scenario (validated plain values). Defaults and their sources are in
// docs/model.md; the scenario reference (docs/scenarios.md) lists keys, ranges and units.
namespace clusternet {

struct BehaviourParams {
  // Autonomous projects (behaviour/projects.hpp). Mean number of projects an organisation of each
  // kind starts per month; within a kind the rate varies with size and idiosyncratically
  // (behaviour/actors.hpp), the kind's mean staying this value.
  double search_rate_sme = 0.0001018;
  double search_rate_large_firm = 0.004384;
  double search_rate_research_org = 0.00631;
  double search_rate_cluster_org = 0.01115;
  // Activity = rate x employees^elasticity x lognormal(dispersion), normalised within the kind.
  double activity_size_elasticity = 0.7467;
  double activity_dispersion = 0.4609;
  // Projects an organisation can be in at once: 1 + floor(headroom x its expected load).
  double project_capacity_headroom = 2.0;
  // Project size: 2 with probability project_bilateral_share, else 2 + round(lognormal), capped;
  // duration in months: round(lognormal), clamped. Fitted to Horizon 2020 (docs/calibration.md).
  double project_bilateral_share = 0.2018;
  double project_size_log_mean = 2.011;
  double project_size_log_sd = 0.8005;
  int project_size_max = 200;
  double project_duration_log_mean = 3.608;
  double project_duration_log_sd = 0.504;
  int project_duration_min_months = 6;
  int project_duration_max_months = 96;
  // Candidates considered per partner slot of a project, and where they come from (shares; the
  // rest is the proximity-weighted draw from the whole population).
  int candidates_per_search = 6;
  double repeat_tie_propensity = 0.2259;
  double triadic_closure_propensity = 0.1991;
  double cluster_member_propensity = 0.25;
  // Share of population draws that pick an organisation of the drawn region with probability
  // proportional to its degree (preferential attachment in who is met, not only in who is chosen);
  // the rest are proportional to activity within the region.
  double preferential_candidate_share = 0.5;
  // Boschma's proximities: weights of each term in the choice score; the score is multiplied by
  // (1 + reputation)^weight_preferential (preferential attachment by track record).
  double distance_decay_km = 373.2;  // geographic proximity exp(-distance / distance_decay_km)
  double same_country_bonus = 1.0;   // added to geographic proximity within a country
  double weight_geographic = 1.0;
  double weight_cognitive = 1.0;
  double weight_social = 0.5;
  double weight_institutional = 0.3;
  double weight_organisational = 0.5;
  double weight_preferential = 0.4039;
  double optimal_cognitive_distance = 0.5;  // in [0,1]: collaboration peaks at this distance
  double cognitive_tolerance = 0.25;        // width of the peak
  // Ties: weight of a new tie, increment when renewed, monthly decay factor and the weight below
  // which a tie dissolves.
  double tie_initial_weight = 1.0;
  double tie_renewal_increment = 1.0;
  double tie_decay_rate = 0.06;
  double tie_dissolution_threshold = 0.25;
  double exchange_tie_initial_weight = 0.6;
  // Learning and innovation along ties.
  double learning_rate = 0.05;
  double innovation_rate = 0.02;
  double jobs_per_innovation = 1.5;
  double reputation_per_project = 1.0;
  // Reputation is a recent track record: it halves every this many months without new work (so
  // hubs keep their place by staying active, and the network reaches a steady state).
  double reputation_half_life_months = 60.0;
  // Funded consortia: size (partners, lead included) from the distribution fitted to Horizon 2020's
  // "Innovation in SMEs" consortia, truncated to the call's rules; a lead's preference for former
  // partners (added to its partner score per past partnership together, up to 3).
  double consortium_bilateral_share = 0.41;
  double consortium_size_log_mean = 0.773;
  double consortium_size_log_sd = 1.038;
  double consortium_repeat_bonus = 1.0;
  // Demand-driven SME support (behaviour/sme_support.hpp): SMEs approached per partner per month,
  // the base take-up probability (times absorptive capacity and thematic fit) and its factor for an
  // SME already supported by another partnership.
  double sme_outreach_per_partner = 10.0;
  double sme_take_up_rate = 0.6;
  double sme_repeat_take_up_factor = 0.5;
};

}  // namespace clusternet
