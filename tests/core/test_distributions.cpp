#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <set>
#include <vector>

#include "core/random.hpp"

using namespace clusternet;

namespace {
struct Moments {
  double mean = 0;
  double variance = 0;
};
template <typename Draw>
Moments moments(int n, Draw draw) {
  double sum = 0, sum2 = 0;
  for (int i = 0; i < n; ++i) {
    const double x = draw();
    sum += x;
    sum2 += x * x;
  }
  const double mean = sum / n;
  return {mean, sum2 / n - mean * mean};
}
// Tolerance for a sample mean: 5 standard errors.
double mean_tolerance(double variance, int n) { return 5.0 * std::sqrt(variance / n); }
}  // namespace

TEST_CASE("uniform01 lies in [0,1) with mean 1/2 and variance 1/12") {
  RandomStream s({1, 0, 0, 0, Purpose::test});
  const int n = 200000;
  double lo = 1, hi = 0;
  const auto m = moments(n, [&] {
    const double x = uniform01(s);
    lo = std::min(lo, x);
    hi = std::max(hi, x);
    return x;
  });
  CHECK(lo >= 0.0);
  CHECK(hi < 1.0);
  CHECK(m.mean == Approx(0.5).margin(mean_tolerance(1.0 / 12, n)));
  CHECK(m.variance == Approx(1.0 / 12).epsilon(0.02));
}

TEST_CASE("uniform_int covers exactly its inclusive range, evenly") {
  RandomStream s({2, 0, 0, 0, Purpose::test});
  std::map<std::int64_t, int> counts;
  const int n = 70000;
  for (int i = 0; i < n; ++i) counts[uniform_int(s, -3, 3)]++;
  REQUIRE(counts.size() == 7);
  CHECK(counts.begin()->first == -3);
  CHECK(counts.rbegin()->first == 3);
  for (auto [value, count] : counts) CHECK(std::abs(count - n / 7) < 5 * std::sqrt(n / 7.0));
  CHECK(uniform_int(s, 5, 5) == 5);
  CHECK_THROWS(uniform_int(s, 5, 4));
  CHECK_THROWS(uniform_index(s, 0));
}

TEST_CASE("bernoulli has mean p") {
  RandomStream s({3, 0, 0, 0, Purpose::test});
  const int n = 100000;
  const auto m = moments(n, [&] { return bernoulli(s, 0.3) ? 1.0 : 0.0; });
  CHECK(m.mean == Approx(0.3).margin(mean_tolerance(0.21, n)));
  CHECK_FALSE(bernoulli(s, 0.0));
  CHECK(bernoulli(s, 1.0));
}

TEST_CASE("normal has the requested mean and variance") {
  RandomStream s({4, 0, 0, 0, Purpose::test});
  const int n = 200000;
  const auto m = moments(n, [&] { return normal(s, 2.0, 3.0); });
  CHECK(m.mean == Approx(2.0).margin(mean_tolerance(9.0, n)));
  CHECK(m.variance == Approx(9.0).epsilon(0.02));
}

TEST_CASE("exponential has mean 1/rate and variance 1/rate^2") {
  RandomStream s({5, 0, 0, 0, Purpose::test});
  const int n = 200000;
  const auto m = moments(n, [&] { return exponential(s, 4.0); });
  CHECK(m.mean == Approx(0.25).margin(mean_tolerance(1.0 / 16, n)));
  CHECK(m.variance == Approx(1.0 / 16).epsilon(0.03));
  CHECK_THROWS(exponential(s, 0.0));
}

TEST_CASE("poisson has mean and variance equal to its parameter, below and above the method switch") {
  for (double lambda : {0.5, 4.0, 29.0, 31.0, 250.0}) {
    RandomStream s({6, 0, 0, static_cast<std::uint64_t>(lambda * 10), Purpose::test});
    const int n = 100000;
    const auto m = moments(n, [&] { return static_cast<double>(poisson(s, lambda)); });
    INFO("lambda = " << lambda);
    CHECK(m.mean == Approx(lambda).margin(mean_tolerance(lambda, n)));
    CHECK(m.variance == Approx(lambda).epsilon(0.03));
  }
  RandomStream s({6, 0, 0, 0, Purpose::test});
  CHECK(poisson(s, 0.0) == 0);
  CHECK_THROWS(poisson(s, -1.0));
}

TEST_CASE("weighted_choice draws in proportion to the weights and never a zero weight") {
  RandomStream s({7, 0, 0, 0, Purpose::test});
  const std::vector<double> weights = {1.0, 0.0, 3.0, 0.0, 6.0};
  std::vector<int> counts(weights.size(), 0);
  const int n = 100000;
  for (int i = 0; i < n; ++i) counts[weighted_choice(s, weights)]++;
  CHECK(counts[1] == 0);
  CHECK(counts[3] == 0);
  CHECK(counts[0] == Approx(0.1 * n).margin(5 * std::sqrt(0.09 * n)));
  CHECK(counts[2] == Approx(0.3 * n).margin(5 * std::sqrt(0.21 * n)));
  CHECK(counts[4] == Approx(0.6 * n).margin(5 * std::sqrt(0.24 * n)));
  const std::vector<double> zeros = {0.0, 0.0};
  CHECK(weighted_choice(s, zeros) == none<std::uint32_t>);
  CHECK(weighted_choice(s, std::vector<double>{}) == none<std::uint32_t>);
  const std::vector<double> single = {0.0, 0.0, 2.5};
  for (int i = 0; i < 100; ++i) CHECK(weighted_choice(s, single) == 2);
}

TEST_CASE("CumulativeWeights agrees with the weights, exactly on a single positive entry") {
  RandomStream s({8, 0, 0, 0, Purpose::test});
  const std::vector<double> weights = {0.0, 2.0, 0.0, 2.0, 0.0};
  CumulativeWeights cumulative(weights);
  CHECK(cumulative.total() == 4.0);
  std::vector<int> counts(weights.size(), 0);
  for (int i = 0; i < 40000; ++i) counts[cumulative.draw(s)]++;
  CHECK(counts[0] == 0);
  CHECK(counts[2] == 0);
  CHECK(counts[4] == 0);
  CHECK(std::abs(counts[1] - 20000) < 500);
  CHECK(CumulativeWeights(std::vector<double>{0.0}).draw(s) == none<std::uint32_t>);
}

TEST_CASE("sample_without_replacement returns k distinct sorted indices, uniformly") {
  RandomStream s({9, 0, 0, 0, Purpose::test});
  CHECK(sample_without_replacement(s, 0, 10).empty());
  const auto all = sample_without_replacement(s, 5, 5);
  CHECK(all == std::vector<std::uint32_t>{0, 1, 2, 3, 4});
  CHECK_THROWS(sample_without_replacement(s, 6, 5));
  // Both algorithms (selection sampling for dense k, Floyd for sparse k): every index equally likely.
  for (std::uint32_t k : {2u, 30u}) {
    const std::uint32_t n = 100;
    std::vector<int> counts(n, 0);
    const int trials = 20000;
    for (int t = 0; t < trials; ++t) {
      const auto sample = sample_without_replacement(s, k, n);
      REQUIRE(sample.size() == k);
      REQUIRE(std::is_sorted(sample.begin(), sample.end()));
      REQUIRE(std::adjacent_find(sample.begin(), sample.end()) == sample.end());
      for (auto i : sample) counts[i]++;
    }
    const double expected = static_cast<double>(trials) * k / n;
    double chi2 = 0;
    for (int c : counts) chi2 += (c - expected) * (c - expected) / expected;
    INFO("k = " << k);
    CHECK(chi2 < 148.2);  // 99.9th percentile of chi-square with 99 degrees of freedom
  }
  // Exact on a small case: all 10 pairs of 5 items appear, each about equally often.
  std::map<std::vector<std::uint32_t>, int> pairs;
  for (int t = 0; t < 10000; ++t) pairs[sample_without_replacement(s, 2, 5)]++;
  CHECK(pairs.size() == 10);
  for (auto& [pair, count] : pairs) CHECK(std::abs(count - 1000) < 160);
}
