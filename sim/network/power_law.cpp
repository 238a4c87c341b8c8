#include "network/power_law.hpp"

#include <cmath>
#include <limits>

namespace clusternet::network {

double hurwitz_zeta(double alpha, double xmin) {
  // Direct sum up to N, then Euler-Maclaurin for the tail from N: integral + half the first term +
  // the first two Bernoulli corrections. At N = xmin + 2000 the next correction is below 1e-15 of
  // the sum for every alpha > 1.
  const double n = xmin + 2000.0;
  double sum = 0;
  for (double k = n - 1; k >= xmin; k -= 1) sum += std::pow(k, -alpha);  // small terms first
  const double tail = std::pow(n, 1 - alpha) / (alpha - 1) + 0.5 * std::pow(n, -alpha) +
                      alpha * std::pow(n, -alpha - 1) / 12.0 -
                      alpha * (alpha + 1) * (alpha + 2) * std::pow(n, -alpha - 3) / 720.0;
  return sum + tail;
}

double discrete_power_law_exponent(std::span<const std::uint32_t> values, std::uint32_t xmin) {
  double log_sum = 0;
  std::size_t count = 0;
  for (std::uint32_t v : values) {
    if (v < xmin || v == 0) continue;
    log_sum += std::log(static_cast<double>(v));
    ++count;
  }
  if (count < 2) return std::numeric_limits<double>::quiet_NaN();
  const double n = static_cast<double>(count);
  auto negative_log_likelihood = [&](double alpha) { return alpha * log_sum + n * std::log(hurwitz_zeta(alpha, xmin)); };
  double low = 1.0001, high = 8.0;
  const double ratio = (std::sqrt(5.0) - 1) / 2;
  double x1 = high - ratio * (high - low), x2 = low + ratio * (high - low);
  double f1 = negative_log_likelihood(x1), f2 = negative_log_likelihood(x2);
  for (int i = 0; i < 100 && high - low > 1e-10; ++i) {
    if (f1 < f2) {
      high = x2;
      x2 = x1;
      f2 = f1;
      x1 = high - ratio * (high - low);
      f1 = negative_log_likelihood(x1);
    } else {
      low = x1;
      x1 = x2;
      f1 = f2;
      x2 = low + ratio * (high - low);
      f2 = negative_log_likelihood(x2);
    }
  }
  return 0.5 * (low + high);
}

}  // namespace clusternet::network
