#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <vector>

#include "core/parallel.hpp"

using namespace clusternet;

TEST_CASE("for_each_index visits every index exactly once, serially and in parallel") {
  for (auto execution : {Execution::serial, Execution::parallel}) {
    std::vector<int> visits(10007, 0);
    for_each_index(0, visits.size(), [&](std::size_t i) { visits[i]++; }, execution, 64);
    for (int v : visits) REQUIRE(v == 1);
  }
}

TEST_CASE("deterministic_reduce gives one bit pattern on any thread count") {
  // Terms of wildly different magnitude make a floating-point sum depend on its association.
  std::vector<double> terms(1 << 20);
  for (std::size_t i = 0; i < terms.size(); ++i) terms[i] = std::pow(-1.0, i) * std::exp(double(i % 97) * 0.7) / 3.0;
  auto sum = [&](Execution execution) {
    return deterministic_reduce(
        0, terms.size(), 0.0,
        [&](std::size_t b, std::size_t e) {
          double s = 0;
          for (std::size_t i = b; i < e; ++i) s += terms[i];
          return s;
        },
        [](double a, double b) { return a + b; }, execution, 4096);
  };
  const double serial = sum(Execution::serial);
  for (std::size_t threads : {1, 2, 4, 8}) {
    ThreadLimit limit(threads);
    for (int repeat = 0; repeat < 3; ++repeat) {
      const double parallel = sum(Execution::parallel);
      REQUIRE(std::memcmp(&parallel, &serial, sizeof(double)) == 0);
    }
  }
}
