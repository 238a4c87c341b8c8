#include <catch2/catch.hpp>

#include <atomic>
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

TEST_CASE("a set stop flag makes parallel and serial loops throw Interrupted inside its CancelScope only") {
  using clusternet::CancelScope;
  using clusternet::Execution;
  using clusternet::Interrupted;
  std::atomic<bool> stop{false};
  std::atomic<std::size_t> visited{0};
  auto loop = [&](Execution execution) {
    clusternet::for_each_index(0, 1 << 16, [&](std::size_t i) {
      visited.fetch_add(1, std::memory_order_relaxed);
      if (i == 5000) stop.store(true);
    }, execution, 64);
  };
  // Without a scope the flag is nobody's: the loop runs to its end.
  loop(Execution::serial);
  CHECK(visited.load() == (1u << 16));
  for (Execution execution : {Execution::serial, Execution::parallel}) {
    stop = false;
    visited = 0;
    {
      const CancelScope scope(&stop);
      CHECK_THROWS_AS(loop(execution), Interrupted);
      // Blocks already running finish; none starts after the flag was seen.
      CHECK(visited.load() < (1u << 16));
      CHECK(clusternet::cancel_requested());
    }
    // The scope ended: the flag no longer cancels anything.
    CHECK_FALSE(clusternet::cancel_requested());
    CHECK_NOTHROW(loop(execution));
  }
}

TEST_CASE("CancelScopes sharing a flag overlap; a scope with another flag leaves the first in place") {
  using clusternet::CancelScope;
  std::atomic<bool> first{false}, second{true};
  {
    const CancelScope a(&first);
    {
      const CancelScope b(&first);
      const CancelScope c(&second);  // not installed: `first` is
      CHECK_FALSE(clusternet::cancel_requested());
    }
    first = true;  // `a` still holds the flag after `b` ended
    CHECK(clusternet::cancel_requested());
    CHECK_THROWS_AS(clusternet::throw_if_cancelled(), clusternet::Interrupted);
  }
  CHECK_FALSE(clusternet::cancel_requested());
  const CancelScope none(nullptr);
  CHECK_FALSE(clusternet::cancel_requested());
}
