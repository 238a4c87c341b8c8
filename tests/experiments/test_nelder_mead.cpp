#include <catch2/catch.hpp>

#include <cmath>

#include "experiments/nelder_mead.hpp"

using namespace clusternet::experiments;

TEST_CASE("Nelder-Mead finds the minimum of a quadratic inside the unit cube") {
  auto f = [](std::span<const double> x) {
    return (x[0] - 0.3) * (x[0] - 0.3) + 2 * (x[1] - 0.7) * (x[1] - 0.7) + (x[2] - 0.5) * (x[2] - 0.5);
  };
  NelderMeadOptions options;
  options.max_evaluations = 500;
  options.tolerance = 1e-12;
  const auto r = nelder_mead(f, {0.9, 0.1, 0.0}, options);
  CHECK(r.converged);
  CHECK(r.best[0] == Approx(0.3).margin(1e-4));
  CHECK(r.best[1] == Approx(0.7).margin(1e-4));
  CHECK(r.best[2] == Approx(0.5).margin(1e-4));
  CHECK(r.evaluations <= 500);
}

TEST_CASE("Nelder-Mead stays in the cube and stops at its budget") {
  std::size_t calls = 0;
  auto f = [&](std::span<const double> x) {
    ++calls;
    for (double v : x) REQUIRE((v >= 0.0 && v <= 1.0));
    return -x[0] - x[1];  // minimum at the corner (1, 1)
  };
  NelderMeadOptions options;
  options.max_evaluations = 60;
  const auto r = nelder_mead(f, {1.0, 0.2}, options);
  CHECK(calls == r.evaluations);
  CHECK(r.evaluations <= 60 + 2);  // a shrink may finish its pass
  CHECK(r.best[0] == Approx(1.0));
  CHECK(r.best[1] > 0.9);
}

TEST_CASE("Nelder-Mead is deterministic and treats NaN as infinitely bad") {
  auto f = [](std::span<const double> x) { return x[0] > 0.8 ? std::nan("") : std::abs(x[0] - 0.6); };
  const auto a = nelder_mead(f, {0.1});
  const auto b = nelder_mead(f, {0.1});
  CHECK(a.best == b.best);
  CHECK(a.best[0] == Approx(0.6).margin(1e-3));
  CHECK_THROWS(nelder_mead(f, {}));
}
