#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <vector>

#include "core/statistics.hpp"

using namespace clusternet::stats;

TEST_CASE("t quantiles match published tables") {
  // Two-sided 95% critical values from any t table (e.g. NIST/SEMATECH e-Handbook 1.3.6.7.2).
  CHECK(t_quantile(0.975, 1) == Approx(12.7062).epsilon(1e-5));
  CHECK(t_quantile(0.975, 4) == Approx(2.776445105).epsilon(1e-9));
  CHECK(t_quantile(0.975, 10) == Approx(2.228138852).epsilon(1e-9));
  CHECK(t_quantile(0.975, 1e6) == Approx(1.959966).epsilon(1e-5));
  CHECK(t_quantile(0.025, 4) == Approx(-2.776445105).epsilon(1e-9));
  // Fractional df (Welch) lies between its integer neighbours.
  CHECK(t_quantile(0.975, 6.5) < t_quantile(0.975, 6));
  CHECK(t_quantile(0.975, 6.5) > t_quantile(0.975, 7));
  CHECK(std::isnan(t_quantile(0.975, 0)));
}

TEST_CASE("mean, sample sd and the t interval of a mean") {
  const std::vector<double> x = {10, 12, 11, 13, 9};
  CHECK(mean(x) == Approx(11));
  CHECK(sample_sd(x) == Approx(std::sqrt(2.5)));  // sum of squares 10, n-1 = 4
  const auto s = summarize(x);
  CHECK(s.n == 5);
  // 11 +- 2.776445 * sqrt(2.5)/sqrt(5) = 11 +- 1.963243
  CHECK(s.ci_low == Approx(11 - 1.9632432).epsilon(1e-7));
  CHECK(s.ci_high == Approx(11 + 1.9632432).epsilon(1e-7));
  CHECK(s.ci_defined());
}

TEST_CASE("one value: a mean without an interval, no division by zero") {
  const std::vector<double> one = {4.2};
  const auto s = summarize(one);
  CHECK(s.mean == Approx(4.2));
  CHECK(std::isnan(s.sd));
  CHECK_FALSE(s.ci_defined());
  const auto d = paired_difference(one, std::vector<double>{5.0});
  CHECK(d.diff == Approx(0.8));
  CHECK_FALSE(d.ci_defined());
  CHECK_FALSE(d.excludes_zero());
  CHECK_FALSE(welch_difference(one, std::vector<double>{5.0, 6.0}).ci_defined());
}

TEST_CASE("paired difference on a constructed example") {
  // numpy: a = [10,12,11,13,9], b = [12,15,12,16,10]; d = b - a = [2,3,1,3,1]
  // d.mean() = 2.0, d.std(ddof=1) = 1.0, se = 1/sqrt(5) = 0.4472136, t(0.975, 4) = 2.7764451
  // CI = 2 +- 1.2416640 = [0.758336, 3.241664]: excludes zero.
  const std::vector<double> a = {10, 12, 11, 13, 9}, b = {12, 15, 12, 16, 10};
  const auto d = paired_difference(a, b);
  CHECK(d.paired);
  CHECK(d.n_a == 5);
  CHECK(d.mean_a == Approx(11));
  CHECK(d.mean_b == Approx(13));
  CHECK(d.diff == Approx(2));
  CHECK(d.df == Approx(4));
  CHECK(d.se == Approx(0.4472136).epsilon(1e-6));
  CHECK(d.ci_low == Approx(0.758336).epsilon(1e-5));
  CHECK(d.ci_high == Approx(3.241664).epsilon(1e-5));
  CHECK(d.excludes_zero());
  // A pair with a NaN is dropped as a whole.
  const std::vector<double> a2 = {10, 12, 11, 13, 9, std::numeric_limits<double>::quiet_NaN()};
  const std::vector<double> b2 = {12, 15, 12, 16, 10, 100};
  CHECK(paired_difference(a2, b2).ci_low == Approx(d.ci_low));
}

TEST_CASE("Welch difference on the same numbers treated as independent") {
  // numpy: va = a.var(ddof=1)/5 = 0.5, vb = b.var(ddof=1)/5 = 1.2, se = sqrt(1.7) = 1.3038405,
  // Welch-Satterthwaite df = 1.7^2 / (0.5^2/4 + 1.2^2/4) = 6.8402367. The unpaired interval is
  // wider than the paired one and here includes zero: pairing removes the shared noise.
  const std::vector<double> a = {10, 12, 11, 13, 9}, b = {12, 15, 12, 16, 10};
  const auto d = welch_difference(a, b);
  CHECK_FALSE(d.paired);
  CHECK(d.diff == Approx(2));
  CHECK(d.se == Approx(1.3038405).epsilon(1e-6));
  CHECK(d.df == Approx(6.8402367).epsilon(1e-6));
  const double half = t_quantile(0.975, d.df) * d.se;
  CHECK(half > 2.364624 * d.se);  // t(0.975, 7)
  CHECK(half < 2.446912 * d.se);  // t(0.975, 6)
  CHECK(d.ci_low == Approx(2 - half));
  CHECK(d.ci_high == Approx(2 + half));
  CHECK(d.ci_low < 0);
  CHECK_FALSE(d.excludes_zero());
}

TEST_CASE("identical replicates give a zero-width interval, not NaN") {
  const std::vector<double> a = {1, 1, 1}, b = {2, 2, 2};
  const auto p = paired_difference(a, b);
  CHECK(p.ci_low == Approx(1));
  CHECK(p.ci_high == Approx(1));
  CHECK(p.excludes_zero());
  const auto w = welch_difference(a, b);
  CHECK(w.df == Approx(4));
  CHECK(w.excludes_zero());
}
