#pragma once
// Behaviour parameters of a scenario (validated plain values). Defaults and their sources are in
// docs/model.md; the scenario reference (docs/scenarios.md) lists keys, ranges and units.
namespace clusternet {

struct BehaviourParams {
  // Probability per month that an organisation of each kind searches for a new partner.
  double search_rate_sme = 0.01;
  double search_rate_large_firm = 0.08;
  double search_rate_research_org = 0.10;
  double search_rate_cluster_org = 0.05;
  // Candidates considered per search, and where they come from (shares; the rest is the
  // proximity-weighted draw from the whole population).
  int candidates_per_search = 6;
  double repeat_tie_propensity = 0.15;
  double triadic_closure_propensity = 0.25;
  double cluster_member_propensity = 0.25;
  // Share of population draws that pick an organisation of the drawn region with probability
  // proportional to its degree (preferential attachment in who is met, not only in who is chosen);
  // the rest are uniform within the region.
  double preferential_candidate_share = 0.5;
  // Boschma's proximities and preferential attachment: weights of each term in the choice score.
  double distance_decay_km = 400.0;  // geographic proximity exp(-distance / distance_decay_km)
  double same_country_bonus = 1.0;   // added to geographic proximity within a country
  double weight_geographic = 1.0;
  double weight_cognitive = 1.0;
  double weight_social = 0.5;
  double weight_institutional = 0.3;
  double weight_organisational = 0.5;
  double weight_preferential = 0.3;
  double optimal_cognitive_distance = 0.5;  // in [0,1]: collaboration peaks at this distance
  double cognitive_tolerance = 0.25;        // width of the peak
  // Ties: weight of a new tie, increment when renewed, monthly decay factor and the weight below
  // which a tie dissolves.
  double tie_initial_weight = 1.0;
  double tie_renewal_increment = 1.0;
  double tie_decay_rate = 0.03;
  double tie_dissolution_threshold = 0.25;
  double exchange_tie_initial_weight = 0.6;
  // Learning and innovation along ties.
  double learning_rate = 0.05;
  double innovation_rate = 0.02;
  double jobs_per_innovation = 1.5;
  double reputation_per_project = 1.0;
};

}  // namespace clusternet
