#include "io/scenario_fields.hpp"

#include <charconv>
#include <cmath>
#include <limits>

namespace clusternet::io {

namespace {
std::string number_text(double value) {
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

constexpr double inf = std::numeric_limits<double>::infinity();
// The ranges of the world's settings are the world module's own (world_limits), never restated.
Range of(const SettingRange& range) { return {range.min, range.max, range.min_open}; }

const Range share{0.0, 1.0};          // a fraction
const Range non_negative{0.0, inf};
const Range positive{0.0, inf, true};
const Range weight{0.0, 100.0};        // choice-score weights; 100 is far beyond any calibration
const Range probability{0.0, 1.0};
}  // namespace

std::string Range::text() const {
  if (std::isinf(max)) return std::string("a number ") + (min_open ? "> " : ">= ") + number_text(min);
  return std::string("a number in ") + (min_open ? "(" : "[") + number_text(min) + ", " + number_text(max) +
         (max_open ? ")" : "]");
}

bool Range::contains(double value) const {
  if (!std::isfinite(value)) return false;
  if (min_open ? value <= min : value < min) return false;
  if (max_open ? value >= max : value > max) return false;
  return true;
}

void describe_instrument(FieldVisitor& v, InstrumentSpec& in) {
  v.text("name", in.name, Need::required);
  v.text("description", in.description);
  int kind = static_cast<int>(in.kind);
  v.choice("kind", kind, {"consortium", "exchange", "capacity_building"}, Need::required);
  in.kind = static_cast<InstrumentKind>(kind);
  v.money("budget", in.budget, Need::required);
  v.section("calendar", [&] {
    v.integer("open_month", in.calendar.open_month, 0, 1200);
    v.integer("open_months", in.calendar.open_months, 1, 1200);
    v.integer("start_delay_months", in.calendar.start_delay_months, 0, 1200);
    v.integer("calls", in.calendar.calls, 1, 100);
    v.integer("call_interval_months", in.calendar.call_interval_months, 1, 1200);
  });
  v.grant_range(in.grant_min, in.grant_max);
  v.section("rules", [&] {
    v.integer("min_partners", in.rules.min_partners, 1, 1000);
    v.integer("max_partners", in.rules.max_partners, 1, 1000);
    v.integer("min_countries", in.rules.min_countries, 1, 1000);
    v.kind_list("eligible_kinds", in.rules.eligible_kinds);
    v.area_list("thematic_targets", in.rules.thematic_targets);
    v.integer("associated_members_per_partner", in.rules.associated_members_per_partner, 0, 100000);
  });
  v.real("sme_cascade_share", in.sme_cascade_share, share);
  v.money("support_per_sme", in.support_per_sme);
  v.money("voucher_min", in.voucher_min);
  v.money("voucher_max", in.voucher_max);
  v.integer("duration_months", in.duration_months, 1, 1200);
  v.section("evaluation", [&] {
    v.real("excellence", in.evaluation.excellence, weight);
    v.real("thematic_fit", in.evaluation.thematic_fit, weight);
    v.real("s3_alignment", in.evaluation.s3_alignment, weight);
    v.real("interregional", in.evaluation.interregional, weight);
    v.real("cross_sectoral", in.evaluation.cross_sectoral, weight);
    v.real("cohesion", in.evaluation.cohesion, weight);
    v.real("evaluator_noise", in.evaluation.evaluator_noise, Range{0.0, 10.0});
    v.real("threshold", in.evaluation.threshold, Range{-1000.0, 1000.0});
  });
  v.section("continuation", [&] {
    v.boolean("enabled", in.continuation.enabled);
    v.integer("milestone_month", in.continuation.milestone_month, 1, 1200);
    v.real("sme_target", in.continuation.sme_target, share);
    v.real("participation_target", in.continuation.participation_target, share);
    v.real("reserved_share", in.continuation.reserved_share, share);
    v.real("grant_share", in.continuation.grant_share, Range{0.0, 10.0});
    v.integer("extension_months", in.continuation.extension_months, 1, 1200);
  });
  v.money("lump_sum_per_visit", in.lump_sum_per_visit);
  v.real("visits_per_month", in.visits_per_month, Range{0.0, 1e7});
  v.integer("excellence_gain", in.excellence_gain, 0, 3);
  v.integer("capacity_gain", in.capacity_gain, 0, 100);
}

namespace {
void describe_world(FieldVisitor& v, WorldConfig& w) {
  namespace limits = world_limits;
  v.real("scale", w.scale, of(limits::scale));
  v.text("region_table", w.region_table);
  v.text_list("countries", w.countries);
  v.text_list("regions", w.regions);
  v.real("smes", w.smes, of(limits::organisation_count));
  v.real("large_firms", w.large_firms, of(limits::organisation_count));
  v.real("research_orgs", w.research_orgs, of(limits::organisation_count));
  v.real("cluster_orgs", w.cluster_orgs, of(limits::organisation_count));
  v.real("sme_micro_share", w.sme_micro_share, of(limits::share));
  v.real("sme_small_share", w.sme_small_share, of(limits::share));
  v.real("sme_medium_share", w.sme_medium_share, of(limits::share));
  v.real("placement_population_exponent", w.placement_population_exponent, of(limits::placement_exponent));
  v.real("placement_gdp_exponent", w.placement_gdp_exponent, of(limits::placement_exponent));
  v.real("placement_rd_exponent_firms", w.placement_rd_exponent_firms, of(limits::placement_exponent));
  v.real("placement_rd_exponent_research", w.placement_rd_exponent_research, of(limits::placement_exponent));
  v.real("placement_rd_exponent_clusters", w.placement_rd_exponent_clusters, of(limits::placement_exponent));
  v.integer("s3_min_priorities", w.s3_min_priorities, 1, thematic_area_count);
  v.integer("s3_max_priorities", w.s3_max_priorities, 1, thematic_area_count);
  v.area_overrides("s3_overrides", w.s3_overrides);
  v.real("cluster_s3_alignment", w.cluster_s3_alignment, of(limits::share));
  v.real("org_s3_alignment", w.org_s3_alignment, of(limits::share));
  v.integer("capabilities_per_area", w.capabilities_per_area, limits::min_capabilities_per_area,
            limits::max_capabilities_per_area);
  v.real("memberships_per_sme", w.memberships_per_sme, of(limits::memberships_mean));
  v.real("memberships_per_large_firm", w.memberships_per_large_firm, of(limits::memberships_mean));
  v.real("memberships_per_research_org", w.memberships_per_research_org, of(limits::memberships_mean));
  v.real("membership_own_region_share", w.membership_own_region_share, of(limits::share));
  v.real("membership_same_area_share", w.membership_same_area_share, of(limits::share));
  v.real("cluster_size_pareto_alpha", w.cluster_size_pareto_alpha, of(limits::pareto_alpha));
  v.real("label_bronze_share", w.label_bronze_share, of(limits::share));
  v.real("label_silver_share", w.label_silver_share, of(limits::share));
  v.real("label_gold_share", w.label_gold_share, of(limits::share));
  v.integer("cluster_partnership_capacity", w.cluster_partnership_capacity, limits::min_partnership_capacity,
            limits::max_partnership_capacity);
}

void describe_behaviour(FieldVisitor& v, BehaviourParams& b) {
  v.real("search_rate_sme", b.search_rate_sme, probability);
  v.real("search_rate_large_firm", b.search_rate_large_firm, probability);
  v.real("search_rate_research_org", b.search_rate_research_org, probability);
  v.real("search_rate_cluster_org", b.search_rate_cluster_org, probability);
  v.real("activity_size_elasticity", b.activity_size_elasticity, Range{0.0, 3.0});
  v.real("activity_dispersion", b.activity_dispersion, Range{0.0, 5.0});
  v.real("project_capacity_headroom", b.project_capacity_headroom, Range{0.0, 1000.0, true});
  v.real("project_bilateral_share", b.project_bilateral_share, probability);
  v.real("project_size_log_mean", b.project_size_log_mean, Range{-5.0, 6.0});
  v.real("project_size_log_sd", b.project_size_log_sd, Range{0.0, 5.0});
  v.integer("project_size_max", b.project_size_max, 2, 10000);
  v.real("project_duration_log_mean", b.project_duration_log_mean, Range{0.0, 7.0});
  v.real("project_duration_log_sd", b.project_duration_log_sd, Range{0.0, 5.0});
  v.integer("project_duration_min_months", b.project_duration_min_months, 1, 600);
  v.integer("project_duration_max_months", b.project_duration_max_months, 1, 600);
  v.integer("candidates_per_search", b.candidates_per_search, 1, 1000);
  v.real("repeat_tie_propensity", b.repeat_tie_propensity, share);
  v.real("triadic_closure_propensity", b.triadic_closure_propensity, share);
  v.real("cluster_member_propensity", b.cluster_member_propensity, share);
  v.real("preferential_candidate_share", b.preferential_candidate_share, probability);
  v.real("distance_decay_km", b.distance_decay_km, Range{0.0, 1e5, true});
  v.real("same_country_bonus", b.same_country_bonus, Range{0.0, 100.0});
  v.real("weight_geographic", b.weight_geographic, weight);
  v.real("weight_cognitive", b.weight_cognitive, weight);
  v.real("weight_social", b.weight_social, weight);
  v.real("weight_institutional", b.weight_institutional, weight);
  v.real("weight_organisational", b.weight_organisational, weight);
  v.real("weight_preferential", b.weight_preferential, weight);
  v.real("optimal_cognitive_distance", b.optimal_cognitive_distance, share);
  v.real("cognitive_tolerance", b.cognitive_tolerance, Range{0.0, 10.0, true});
  v.real("tie_initial_weight", b.tie_initial_weight, Range{0.0, 1000.0, true});
  v.real("tie_renewal_increment", b.tie_renewal_increment, Range{0.0, 1000.0});
  v.real("tie_decay_rate", b.tie_decay_rate, Range{0.0, 1.0, false, true});
  v.real("tie_dissolution_threshold", b.tie_dissolution_threshold, non_negative);
  v.real("exchange_tie_initial_weight", b.exchange_tie_initial_weight, Range{0.0, 1000.0, true});
  v.real("learning_rate", b.learning_rate, share);
  v.real("innovation_rate", b.innovation_rate, probability);
  v.real("jobs_per_innovation", b.jobs_per_innovation, non_negative);
  v.real("reputation_per_project", b.reputation_per_project, non_negative);
  v.real("reputation_half_life_months", b.reputation_half_life_months, Range{0.0, 1e6, true});
  v.real("consortium_bilateral_share", b.consortium_bilateral_share, probability);
  v.real("consortium_size_log_mean", b.consortium_size_log_mean, Range{-5.0, 6.0});
  v.real("consortium_size_log_sd", b.consortium_size_log_sd, Range{0.0, 5.0});
  v.real("consortium_repeat_bonus", b.consortium_repeat_bonus, Range{0.0, 100.0});
  v.real("sme_outreach_per_partner", b.sme_outreach_per_partner, Range{0.0, 10000.0});
  v.real("sme_take_up_rate", b.sme_take_up_rate, Range{0.0, 10.0});
  v.real("sme_repeat_take_up_factor", b.sme_repeat_take_up_factor, share);
}
}  // namespace

void describe_scenario(FieldVisitor& v, Scenario& s) {
  v.text("name", s.name, Need::required);
  v.text("description", s.description);
  v.section("horizon", [&] {
    v.year_month("start", s.start_year, s.start_month);
    v.integer("months", s.months, 1, 1200);
    v.integer("burn_in_months", s.burn_in_months, 0, 600);
  });
  // Seeds are stored in HDF5 attributes and printed; 2^63-1 keeps them signed-safe everywhere.
  v.integer("seed", s.seed, 0, std::numeric_limits<std::int64_t>::max());
  v.integer("replicates", s.replicates, 1, 10000);
  v.section("world", [&] { describe_world(v, s.world); });
  v.section("behaviour", [&] { describe_behaviour(v, s.behaviour); });
  v.instrument_list("instruments", s.instruments);
  v.section("measurement", [&] {
    auto& m = s.measurement;
    v.integer("every_months", m.every_months, 1, 1200);
    v.integer("expensive_every_months", m.expensive_every_months, 1, 1200);
    v.boolean("network", m.network);
    v.boolean("policy", m.policy);
    v.boolean("regions", m.regions);
    v.boolean("communities", m.communities);
    v.boolean("paths", m.paths);
    v.boolean("betweenness", m.betweenness);
    v.integer("path_sample_size", m.path_sample_size, 1, 1000000);
    v.integer("betweenness_sample_size", m.betweenness_sample_size, 1, 1000000);
    v.integer("betweenness_top", m.betweenness_top, 0, 1000000);
    int clustering = static_cast<int>(m.clustering);
    v.choice("clustering", clustering, {"auto", "exact", "sampled"}, Need::optional);
    m.clustering = static_cast<MeasurementConfig::Clustering>(clustering);
    v.integer("clustering_sample_size", m.clustering_sample_size, 1, 100000000);
    int betweenness = static_cast<int>(m.betweenness_estimator);
    v.choice("betweenness_estimator", betweenness, {"auto", "sources", "pairs"}, Need::optional);
    m.betweenness_estimator = static_cast<MeasurementConfig::Betweenness>(betweenness);
    v.integer("betweenness_pair_samples", m.betweenness_pair_samples, 1, 100000000);
    int moving = static_cast<int>(m.louvain_moving);
    v.choice("louvain_moving", moving, {"auto", "sequential", "parallel"}, Need::optional);
    m.louvain_moving = static_cast<MeasurementConfig::LouvainMoving>(moving);
  });
  v.section("output", [&] {
    v.text("path", s.output.path);
    v.boolean("final_network", s.output.final_network);
    v.boolean("region_series", s.output.region_series);
    v.boolean("partnerships", s.output.partnerships);
    int collaborations = static_cast<int>(s.output.collaborations);
    v.choice("collaborations", collaborations, {"auto", "true", "false"}, Need::optional);
    s.output.collaborations = static_cast<OutputConfig::Switch>(collaborations);
  });
  v.section("sweep", [&] {
    auto& w = s.sweep;
    // The one-parameter form of the first sweep files, kept: a grid of one axis.
    v.text("parameter", w.parameter);
    v.text_list("values", w.values);
    v.choice("design", w.design, {"grid", "latin_hypercube", "morris", "sobol"}, Need::optional);
    v.sweep_parameter_list("parameters", w.parameters);
    // Sizes are checked against the design's own limits (sim/experiments) when the points are drawn;
    // 0 / -1 mean "not given" so that every default reads back.
    v.integer("samples", w.samples, 0, 10'000'000);
    v.integer("trajectories", w.trajectories, 1, 1'000'000);
    v.integer("levels", w.levels, 2, 1000);
    v.integer("base_samples", w.base_samples, 2, 10'000'000);
    v.integer("seed", w.seed, -1, std::numeric_limits<std::int64_t>::max());
    v.integer("bootstrap_resamples", w.bootstrap_resamples, 0, 1'000'000);
    v.section("contrast", [&] {
      v.text("key", w.contrast.key);
      v.text_list("values", w.contrast.values);
    });
  });
}

void describe_sweep_parameter(FieldVisitor& v, SweepParameterSpec& p) {
  v.text("key", p.key, Need::required);
  v.text_list("values", p.values);
  v.section("range", [&] {
    v.text("from", p.from);
    v.text("to", p.to);
    v.text("step", p.step);
    v.integer("steps", p.steps, 0, 10'000'000);
    v.choice("scale", p.scale, {"linear", "log"}, Need::optional);
  });
}

}  // namespace clusternet::io
