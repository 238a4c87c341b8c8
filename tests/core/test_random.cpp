#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <vector>

#include "core/random.hpp"

using namespace clusternet;

TEST_CASE("Philox4x64-10 reproduces the Random123 known-answer vectors") {
  using P = RandomStream::Philox;
  struct Vector {
    std::array<std::uint64_t, 4> counter;
    std::array<std::uint64_t, 2> key;
    std::array<std::uint64_t, 4> expected;
  };
  const std::uint64_t ones = ~std::uint64_t{0};
  const std::vector<Vector> vectors = {
      {{0, 0, 0, 0}, {0, 0}, {0x16554d9eca36314cULL, 0xdb20fe9d672d0fdcULL, 0xd7e772cee186176bULL, 0x7e68b68aec7ba23bULL}},
      {{ones, ones, ones, ones}, {ones, ones},
       {0x87b092c3013fe90bULL, 0x438c3c67be8d0224ULL, 0x9cc7d7c69cd777b6ULL, 0xa09caebf594f0ba0ULL}},
      {{0x243f6a8885a308d3ULL, 0x13198a2e03707344ULL, 0xa4093822299f31d0ULL, 0x082efa98ec4e6c89ULL},
       {0x452821e638d01377ULL, 0xbe5466cf34e90c6cULL},
       {0xa528f45403e61d95ULL, 0x38c72dbd566e9788ULL, 0xa5a1610e72fd18b5ULL, 0x57bd43b5e52b7fe6ULL}},
  };
  for (const auto& v : vectors) {
    P::ctr_type counter = {{v.counter[0], v.counter[1], v.counter[2], v.counter[3]}};
    P::key_type key = {{v.key[0], v.key[1]}};
    const auto out = RandomStream::block(counter, key);
    for (int i = 0; i < 4; ++i) CHECK(out.v[i] == v.expected[i]);
  }
}

TEST_CASE("the same key gives the same stream, wherever and whenever it is created") {
  const StreamKey key{42, 3, 17, 123456, Purpose::autonomous_search};
  RandomStream a(key);
  std::vector<std::uint64_t> first;
  for (int i = 0; i < 1000; ++i) first.push_back(a.next_u64());
  RandomStream other({42, 3, 17, 999, Purpose::autonomous_search});  // interleaved use elsewhere
  other.next_u64();
  RandomStream b(key);
  for (int i = 0; i < 1000; ++i) REQUIRE(b.next_u64() == first[i]);
}

TEST_CASE("every field of the key changes the stream") {
  const StreamKey base{42, 3, 17, 123456, Purpose::autonomous_search};
  auto first_word = [](StreamKey k) { return RandomStream(k).next_u64(); };
  const auto reference = first_word(base);
  StreamKey k = base;
  k.seed = 43;
  CHECK(first_word(k) != reference);
  k = base;
  k.replicate = 4;
  CHECK(first_word(k) != reference);
  k = base;
  k.month = 18;
  CHECK(first_word(k) != reference);
  k = base;
  k.entity = 123457;
  CHECK(first_word(k) != reference);
  k = base;
  k.purpose = Purpose::autonomous_choice;
  CHECK(first_word(k) != reference);
  k = base;
  k.month = -1;  // negative months (before the start) are distinct keys too
  CHECK(first_word(k) != reference);
}

namespace {
double correlation(const std::vector<double>& x, const std::vector<double>& y) {
  const double n = static_cast<double>(x.size());
  double mx = 0, my = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  double sxy = 0, sxx = 0, syy = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  return sxy / std::sqrt(sxx * syy);
}
}  // namespace

TEST_CASE("streams of neighbouring keys are uncorrelated") {
  // Neighbouring entities and months are the keys a simulation uses side by side. For independent
  // uniforms the sample correlation over n pairs has standard deviation 1/sqrt(n); 5 sigma bounds it.
  const int n = 20000;
  const double bound = 5.0 / std::sqrt(static_cast<double>(n));
  auto draws = [&](StreamKey k) {
    RandomStream s(k);
    std::vector<double> v(n);
    for (auto& x : v) x = uniform01(s);
    return v;
  };
  const auto a = draws({7, 0, 0, 0, Purpose::test});
  CHECK(std::fabs(correlation(a, draws({7, 0, 0, 1, Purpose::test}))) < bound);
  CHECK(std::fabs(correlation(a, draws({7, 0, 1, 0, Purpose::test}))) < bound);
  CHECK(std::fabs(correlation(a, draws({7, 1, 0, 0, Purpose::test}))) < bound);
  CHECK(std::fabs(correlation(a, draws({8, 0, 0, 0, Purpose::test}))) < bound);
  CHECK(std::fabs(correlation(a, draws({7, 0, 0, 0, Purpose::autonomous_search}))) < bound);

  // Across many entities, the first draw of each stream is uniform: chi-square over 20 bins.
  const int entities = 100000;
  std::vector<int> bins(20, 0);
  for (int e = 0; e < entities; ++e) {
    RandomStream s({7, 0, 5, static_cast<std::uint64_t>(e), Purpose::test});
    bins[static_cast<std::size_t>(uniform01(s) * 20)]++;
  }
  double chi2 = 0;
  const double expected = entities / 20.0;
  for (int b : bins) chi2 += (b - expected) * (b - expected) / expected;
  CHECK(chi2 < 43.8);  // 99.9th percentile of chi-square with 19 degrees of freedom
}

TEST_CASE("hash_mix depends on every argument") {
  CHECK(hash_mix(1, 2, 3, 4) == hash_mix(1, 2, 3, 4));
  CHECK(hash_mix(1, 2, 3, 4) != hash_mix(1, 2, 3, 5));
  CHECK(hash_mix(1, 2, 3, 4) != hash_mix(2, 1, 3, 4));
  CHECK(hash_mix(0) != hash_mix(1));
}
