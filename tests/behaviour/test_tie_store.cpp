#include <map>
#include <catch2/catch.hpp>

#include <cmath>

#include "behaviour/tie_store.hpp"

using namespace clusternet;

TEST_CASE("forming an existing tie renews it instead of duplicating it") {
  TieStore ties;
  CHECK(ties.form(3, 1, 1.0, 0.5, 0, TieOrigin::autonomous, -1));
  CHECK_FALSE(ties.form(1, 3, 1.0, 0.5, 2, TieOrigin::partnership, 0));
  CHECK(ties.alive() == 1);
  CHECK(ties.a(0) == 1);
  CHECK(ties.b(0) == 3);
  CHECK(ties.weight(0) == 1.5);
  CHECK(ties.renewals(0) == 1);
  CHECK(ties.last_renewed(0) == 2);
  CHECK(ties.origin(0) == TieOrigin::autonomous);  // how it first formed
  CHECK_THROWS(ties.form(2, 2, 1.0, 0.5, 0, TieOrigin::autonomous, -1));
}

TEST_CASE("decay dissolves an unrenewed tie after the computed number of months") {
  const double w0 = 1.0, rate = 0.1, threshold = 0.25;
  // w0 (1 - rate)^n < threshold  <=>  n > log(threshold / w0) / log(1 - rate) = 13.16: n = 14.
  const int expected = static_cast<int>(std::floor(std::log(threshold / w0) / std::log(1.0 - rate))) + 1;
  REQUIRE(expected == 14);
  TieStore ties;
  ties.form(0, 1, w0, 1.0, 0, TieOrigin::autonomous, -1);
  ties.form(2, 3, w0, 1.0, 0, TieOrigin::autonomous, -1);
  int dissolved_at = -1;
  for (Month month = 1; month <= 30 && dissolved_at < 0; ++month) {
    if (month == 10) ties.form(2, 3, w0, 1.0, month, TieOrigin::autonomous, -1);  // renewed: stays
    ties.decay(rate, threshold, month);
    if (!ties.contains(0, 1)) dissolved_at = month;
  }
  CHECK(dissolved_at == expected);
  CHECK(ties.contains(2, 3));
}

TEST_CASE("compaction keeps the surviving ties in their order") {
  TieStore ties;
  for (OrgIndex i = 0; i < 2000; ++i) ties.form(i, i + 1, i % 4 == 1 ? 1.0 : 0.1, 1.0, 0, TieOrigin::autonomous, -1);
  ties.decay(0.0, 0.5, 1);  // three quarters dissolve and the store compacts
  CHECK(ties.alive() == 500);
  REQUIRE(ties.slots() == 500);
  for (std::size_t t = 0; t < ties.slots(); ++t) CHECK(ties.a(t) == 4 * t + 1);
  CHECK(ties.contains(5, 6));
  CHECK_FALSE(ties.contains(0, 1));
}

TEST_CASE("PairIndex agrees with std::map under random inserts and erases, across growth") {
  PairIndex index;
  std::map<std::uint64_t, std::uint32_t> reference;
  std::uint64_t x = 5;
  auto next = [&] { return x = x * 6364136223846793005ull + 1442695040888963407ull, x >> 33; };
  for (std::uint32_t step = 0; step < 200000; ++step) {
    const std::uint64_t a = next() % 3000, b = a + 1 + next() % 3000;  // a < b: key never 0
    const std::uint64_t key = (a << 32) | b;
    if (next() % 3 == 0) {
      index.erase(key);
      reference.erase(key);
    } else {
      const auto [slot, inserted] = index.try_emplace(key, step);
      const auto [it, ref_inserted] = reference.try_emplace(key, step);
      REQUIRE(inserted == ref_inserted);
      REQUIRE(*slot == it->second);
    }
    if (step % 1000 == 0)
      for (std::uint64_t probe = 0; probe < 50; ++probe) {
        const std::uint64_t pa = next() % 3000, pb = pa + 1 + next() % 3000;
        REQUIRE(index.contains((pa << 32) | pb) == (reference.count((pa << 32) | pb) == 1));
      }
  }
  for (const auto& [key, value] : reference) {
    REQUIRE(index.contains(key));
    REQUIRE(*index.try_emplace(key, 0).first == value);
  }
}
