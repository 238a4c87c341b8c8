#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <vector>

#include "core/error.hpp"
#include "experiments/bootstrap.hpp"

using namespace clusternet;
using namespace clusternet::experiments;

TEST_CASE("quantiles interpolate between order statistics as numpy and R do by default") {
  const std::vector<double> x = {1, 2, 3, 4};
  // numpy.quantile([1, 2, 3, 4], [0, 0.25, 0.5, 0.9, 1]) = [1, 1.75, 2.5, 3.7, 4]
  CHECK(sorted_quantile(x, 0.0) == 1);
  CHECK(sorted_quantile(x, 0.25) == Approx(1.75));
  CHECK(sorted_quantile(x, 0.5) == Approx(2.5));
  CHECK(sorted_quantile(x, 0.9) == Approx(3.7));
  CHECK(sorted_quantile(x, 1.0) == 4);
  CHECK(std::isnan(sorted_quantile({}, 0.5)));
}

TEST_CASE("the percentile interval ignores estimates that are not finite") {
  std::vector<double> estimates;
  for (int i = 0; i <= 100; ++i) estimates.push_back(i);
  estimates.push_back(std::numeric_limits<double>::quiet_NaN());
  estimates.push_back(std::numeric_limits<double>::infinity());
  const Interval ci = percentile_interval(estimates, 0.9);
  CHECK(ci.low == Approx(5));
  CHECK(ci.high == Approx(95));
  const Interval none = percentile_interval({std::numeric_limits<double>::quiet_NaN()}, 0.95);
  CHECK(std::isnan(none.low));
  CHECK(std::isnan(none.high));
}

TEST_CASE("resamples are reproducible, in range, and differ from one another") {
  const auto a = bootstrap_indices(5, 0, 1000);
  CHECK(a == bootstrap_indices(5, 0, 1000));
  CHECK(a != bootstrap_indices(5, 1, 1000));
  CHECK(a != bootstrap_indices(6, 0, 1000));
  std::vector<int> counts(10, 0);
  for (std::size_t b = 0; b < 100; ++b)
    for (std::size_t i : bootstrap_indices(5, b, 10)) {
      REQUIRE(i < 10);
      ++counts[i];
    }
  // 1000 draws over 10 values: 100 each, sd sqrt(1000 * 0.1 * 0.9) = 9.5; 5 sd either side.
  for (int c : counts) CHECK(std::abs(c - 100) < 48);
}

TEST_CASE("bootstrap settings are checked") {
  CHECK_THROWS_AS(validate_bootstrap({1000, 1.0, 0}), Error);
  CHECK_THROWS_AS(validate_bootstrap({1000, 0.0, 0}), Error);
  CHECK_THROWS_AS(validate_bootstrap({2'000'000, 0.95, 0}), Error);
  CHECK_NOTHROW(validate_bootstrap({0, 0.95, 0}));
}
