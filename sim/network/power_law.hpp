#pragma once
// The exponent of a discrete power law fitted to the tail of a degree (or count) sequence by
// maximum likelihood (Clauset, Shalizi and Newman 2009, section 3.1, eq. 3.5): the values x >= xmin
// are taken as draws of p(x) = x^-alpha / zeta(alpha, xmin). Used to compare the degree tail of a
// simulated network with a real one (the calibration's "degree tail exponent", xmin 5).
#include <cstdint>
#include <span>

namespace clusternet::network {

// Hurwitz zeta zeta(alpha, xmin) = sum over k >= xmin of k^-alpha, for alpha > 1 and xmin >= 1:
// the first 2,000 terms summed, the rest by Euler-Maclaurin (relative error below 1e-12).
double hurwitz_zeta(double alpha, double xmin);

// Maximum-likelihood alpha in (1, 8) by golden-section search on the exact log-likelihood (it is
// concave in alpha); NaN when fewer than two values reach xmin.
double discrete_power_law_exponent(std::span<const std::uint32_t> values, std::uint32_t xmin);

}  // namespace clusternet::network
