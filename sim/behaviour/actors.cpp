#include "behaviour/actors.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>

#include "core/parallel.hpp"
#include "core/random.hpp"

namespace clusternet {

namespace {

// The four kind groups of the behaviour parameters: SMEs of every size class share one rate.
std::size_t kind_group(OrgKind kind) {
  if (is_sme(kind)) return 0;
  if (kind == OrgKind::large_firm) return 1;
  if (kind == OrgKind::research) return 2;
  return 3;
}

double kind_rate(const BehaviourParams& p, std::size_t group) {
  const std::array<double, 4> rates = {p.search_rate_sme, p.search_rate_large_firm, p.search_rate_research_org,
                                       p.search_rate_cluster_org};
  return rates[group];
}

}  // namespace

std::size_t ActorProfile::memory_bytes() const {
  return activity.capacity() * sizeof(float) + capacity.capacity() * sizeof(std::uint16_t) +
         checkpoints_.capacity() * sizeof(double) + region_activity.capacity() * sizeof(double);
}

void ActorProfile::sum_activity() {
  const std::size_t n = activity.size();
  checkpoints_.assign(n / stride + 1, 0.0);
  double sum = 0.0;
  for (std::size_t o = 0; o < n; ++o) {
    sum += activity[o];
    if ((o + 1) % stride == 0) checkpoints_[(o + 1) / stride] = sum;
  }
}

double ActorProfile::cumulative_activity(std::size_t o) const {
  if (o > activity.size() || checkpoints_.size() != activity.size() / stride + 1)
    throw std::logic_error("ActorProfile::cumulative_activity: beyond the organisations, or not summed");
  double sum = checkpoints_[o / stride];
  for (std::size_t j = o - o % stride; j < o; ++j) sum += activity[j];
  return sum;
}

std::size_t ActorProfile::first_cumulative_above(std::size_t lo, std::size_t hi, double target) const {
  if (lo == 0 || lo > hi + 1 || hi > activity.size())
    throw std::logic_error("ActorProfile::first_cumulative_above: a range outside 1 .. organisations");
  // The last stored sum in [lo, hi] that is not above the target (the sums never decrease): the
  // answer comes after it, before the next stored one. Without one, the answer is near lo.
  const std::size_t k_lo = (lo + stride - 1) / stride, k_hi = hi / stride;
  std::size_t from = lo;
  if (k_lo <= k_hi) {
    const auto begin = checkpoints_.begin() + std::ptrdiff_t(k_lo), end = checkpoints_.begin() + std::ptrdiff_t(k_hi) + 1;
    const auto above = std::upper_bound(begin, end, target);
    if (above != begin) from = std::size_t(above - checkpoints_.begin() - 1) * stride;
  }
  double sum = cumulative_activity(from);
  for (std::size_t o = from; o <= hi; ++o) {
    if (sum > target) return o;
    if (o < activity.size()) sum += activity[o];
  }
  return hi + 1;
}

double lognormal_mean(double log_mean, double log_sd) { return std::exp(log_mean + 0.5 * log_sd * log_sd); }

double expected_project_size(const BehaviourParams& p) {
  // P(size = 2 + k) for k >= 1 is the probability that a lognormal rounds to k (k = 1 takes
  // everything below 1.5), the last size takes the tail above the cap.
  const int max_size = std::max(2, p.project_size_max);
  auto cdf = [&](double x) {
    if (x <= 0) return 0.0;
    return 0.5 * std::erfc(-(std::log(x) - p.project_size_log_mean) / (p.project_size_log_sd * std::sqrt(2.0)));
  };
  double mean = 2.0 * p.project_bilateral_share;
  double below = 0;
  for (int size = 3; size <= max_size; ++size) {
    const double upper = size == max_size ? 1.0 : cdf(size - 2 + 0.5);
    mean += (1 - p.project_bilateral_share) * (upper - below) * size;
    below = upper;
  }
  return mean;
}

ActorProfile make_actor_profile(const World& world, const BehaviourParams& params, std::uint64_t seed) {
  const std::size_t n = world.orgs.size();
  ActorProfile a;
  a.activity.resize(n);
  a.capacity.resize(n);
  const double s = params.activity_dispersion;
  // Size factors, each from the organisation's own stream.
  std::vector<double> factor(n);
  for_each_index(0, n, [&](std::size_t o) {
    RandomStream stream({seed, 0, 0, o, Purpose::actor_activity});
    const double z = normal(stream);
    const double employees = std::max(1u, world.orgs.employees[o]);
    factor[o] = std::pow(employees, params.activity_size_elasticity) * std::exp(s * z - 0.5 * s * s);
  });
  // Kind means in organisation order (one serial pass: a fixed summation order, cheap next to the
  // draws above).
  std::array<double, 4> sum{}, count{};
  for (std::size_t o = 0; o < n; ++o) {
    const std::size_t g = kind_group(world.orgs.kind[o]);
    sum[g] += factor[o];
    count[g] += 1;
  }
  const double load = expected_project_size(params) *
                      lognormal_mean(params.project_duration_log_mean, params.project_duration_log_sd);
  for_each_index(0, n, [&](std::size_t o) {
    const std::size_t g = kind_group(world.orgs.kind[o]);
    const double activity = kind_rate(params, g) * factor[o] / (sum[g] / count[g]);
    a.activity[o] = static_cast<float>(activity);
    const double capacity = 1.0 + std::floor(params.project_capacity_headroom * activity * load);
    a.capacity[o] = static_cast<std::uint16_t>(std::min(capacity, 65535.0));
  });
  a.sum_activity();
  const std::size_t regions = world.regions.size();
  a.region_activity.assign(regions, 0.0);
  for (std::size_t r = 0; r < regions; ++r) {
    const OrgIndex first = world.region_kind_offsets[r * org_kind_count];
    const OrgIndex last = world.region_kind_offsets[(r + 1) * org_kind_count];
    a.region_activity[r] = a.cumulative_activity(last) - a.cumulative_activity(first);
  }
  return a;
}

}  // namespace clusternet
