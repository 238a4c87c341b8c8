#include <array>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <set>
#include <vector>

#include "core/error.hpp"
#include "experiments/sobol_sequence.hpp"

using namespace clusternet;
using namespace clusternet::experiments;

namespace {
// The unscrambled points' 32-bit digits in every one of the 128 dimensions at two indices,
// computed with SciPy 1.10 (scipy.stats.qmc.Sobol(d=128, scramble=False, bits=32); its direction
// numbers, engine._sv, XORed in Gray-code order: the same as SciPy's own draws for the first points).
// Index 12345 uses direction numbers 1 .. 14; index 0xAAAAAAAA has Gray code 0xFFFFFFFF and so
// XORs all 32 direction numbers of each dimension, the recurrence's output included.
constexpr std::array<std::uint32_t, 128> at_12345 = {
    0xa4140000, 0xd03c0000, 0x290c0000, 0x86dc0000, 0xe3740000, 0x0f140000, 0x20940000, 0x1d040000,
    0xcd440000, 0x6dfc0000, 0x13040000, 0x994c0000, 0xee540000, 0xf11c0000, 0x08d40000, 0xa40c0000,
    0x10040000, 0x0d0c0000, 0x51c40000, 0x57ec0000, 0x33040000, 0x14cc0000, 0x9b640000, 0xdcdc0000,
    0x70fc0000, 0x4bb40000, 0x5db40000, 0x7b640000, 0x16740000, 0x678c0000, 0x49740000, 0xa97c0000,
    0x80ac0000, 0xa94c0000, 0x30b40000, 0xe91c0000, 0x00ac0000, 0x52840000, 0xf5bc0000, 0xf2bc0000,
    0x372c0000, 0xccec0000, 0xc31c0000, 0x928c0000, 0x49f40000, 0x7a240000, 0xfb5c0000, 0x3d640000,
    0xa9c40000, 0x9ce40000, 0xc57c0000, 0x74140000, 0x02440000, 0x9da40000, 0xddbc0000, 0x8d140000,
    0x72340000, 0xf8fc0000, 0x76540000, 0xf83c0000, 0x1bac0000, 0xa0ac0000, 0xf84c0000, 0x77340000,
    0xf2540000, 0xf7ac0000, 0x5f040000, 0xc11c0000, 0x32640000, 0x62bc0000, 0x9dd40000, 0x70a40000,
    0x2b7c0000, 0x14640000, 0x3e640000, 0x3b640000, 0x88c40000, 0x51b40000, 0x7cf40000, 0xdc5c0000,
    0x72fc0000, 0xd6840000, 0x74240000, 0x28840000, 0x4f340000, 0x7e140000, 0x9c040000, 0x989c0000,
    0x12940000, 0x8edc0000, 0x99940000, 0xb0240000, 0x5b3c0000, 0xc08c0000, 0x53b40000, 0x69cc0000,
    0xf53c0000, 0x1a340000, 0x09f40000, 0x89f40000, 0x8a1c0000, 0xe60c0000, 0x11040000, 0xcaac0000,
    0x5da40000, 0x4dc40000, 0x5fe40000, 0x60bc0000, 0x4d940000, 0x2fcc0000, 0x30540000, 0x8fdc0000,
    0x4de40000, 0xbc6c0000, 0xbe240000, 0xbf340000, 0x7a8c0000, 0xe8840000, 0x8d9c0000, 0xd7640000,
    0xc85c0000, 0x6f440000, 0x608c0000, 0xa9b40000, 0x93ac0000, 0x1f040000, 0x0bfc0000, 0xa47c0000,
};
constexpr std::array<std::uint32_t, 128> at_aaaaaaaa = {
    0xffffffff, 0x00000001, 0x4f00ffff, 0x300cff8d, 0x50050093, 0xc0111111, 0x4070ccdd, 0x84f0027f,
    0x87f305cf, 0x812ad7a7, 0x87629643, 0x84fe76d3, 0x840d0e51, 0xed0cf3ad, 0x2b02b0eb, 0x504f41df,
    0x33cc45bd, 0xd5145157, 0xd91d5079, 0xd0b76ed1, 0xcf013877, 0xa3926ad7, 0x950c6837, 0x3400199b,
    0xe7c54f53, 0xb690cefd, 0x3711477d, 0x8f8f63ff, 0xa9d2170f, 0x0c77e303, 0x694dbd03, 0x8391ef09,
    0x4f67f005, 0xc667f003, 0x41030005, 0xd2d3000b, 0xb1000007, 0x8e907b7b, 0x25b48393, 0x5454bf6f,
    0x066454a7, 0xb904343f, 0x0a51bc15, 0xe2f72c63, 0x6faff4af, 0x78bfd403, 0xf7b762b7, 0xecc0dc4b,
    0x8aa9c139, 0xd300b805, 0x35304e0b, 0x1d792d79, 0xa5592c09, 0x4adc160b, 0x6ab9eed1, 0x5d692e17,
    0x553103cf, 0x92d85731, 0x0160526b, 0xca6f3c79, 0x136de4bd, 0x9bb03ae5, 0xc4002581, 0x5ff5f5df,
    0x2d69e983, 0x45973b3d, 0x581144ab, 0xec6b173d, 0xd698527b, 0xd70a4595, 0x9e9722d7, 0xa64bc3bf,
    0xb1043701, 0xfaa45b5f, 0x548c04e3, 0x678c23b7, 0x258c2ff7, 0x3fcb78bf, 0x05c90e6b, 0xf09407a1,
    0x310f0a05, 0xf33d5647, 0xb59cefa3, 0x06770353, 0xc4fbf28f, 0xdabd14cf, 0x41676c5f, 0x68e26da1,
    0x1216f7bb, 0xd7ade72d, 0x3acc1273, 0xfdc1f237, 0xb51a7421, 0x30a950d5, 0x346b4f97, 0xa8543e15,
    0xee6e7065, 0x77b1592f, 0xdb6301a3, 0x9d426c3f, 0x4895ee91, 0xed2f5805, 0x12ed4d37, 0x4cf50e85,
    0x5a93c797, 0x24d1706d, 0x6226bf8d, 0x23a671b7, 0xc9ea3b47, 0xce240f15, 0x4e21934d, 0x63ad5d6f,
    0x7bbb057d, 0xea294447, 0x3acdc581, 0x146871c1, 0xbc22dae3, 0xc0bf05e1, 0xa55ec623, 0x63cb70d3,
    0xa1e40931, 0xe601ce11, 0x38e34f4b, 0x1bcb0b39, 0xd9cd310b, 0x53e4db19, 0x1d937579, 0x1fb9cea9,
};

// Points of dimensions (d0, d1) in each box of 2^-a by 2^-b (a + b = m) among the first 2^m points.
bool is_two_dimensional_net(const SobolSequence& s, std::size_t d0, std::size_t d1, unsigned m) {
  const std::uint64_t n = std::uint64_t{1} << m;
  for (unsigned a = 0; a <= m; ++a) {
    const unsigned b = m - a;
    std::vector<int> boxes(n, 0);
    for (std::uint64_t i = 0; i < n; ++i) {
      const std::uint64_t x = a == 0 ? 0 : s.digits(i, d0) >> (32 - a);
      const std::uint64_t y = b == 0 ? 0 : s.digits(i, d1) >> (32 - b);
      ++boxes[(x << b) | y];
    }
    for (int count : boxes)
      if (count != 1) return false;
  }
  return true;
}
}  // namespace

TEST_CASE("the first Sobol points are the published ones") {
  const SobolSequence s(3);
  const double expected[3][8] = {{0, 0.5, 0.75, 0.25, 0.375, 0.875, 0.625, 0.125},
                                 {0, 0.5, 0.25, 0.75, 0.375, 0.875, 0.125, 0.625},
                                 {0, 0.5, 0.25, 0.75, 0.625, 0.125, 0.875, 0.375}};
  for (std::size_t d = 0; d < 3; ++d)
    for (std::uint64_t i = 0; i < 8; ++i) CHECK(s.coordinate(i, d) == expected[d][i]);
}

TEST_CASE("all 128 dimensions match SciPy's generator on the Joe-Kuo direction numbers") {
  const SobolSequence s(SobolSequence::max_dimensions);
  for (std::size_t d = 0; d < 128; ++d) {
    INFO("dimension " << d);
    CHECK(s.digits(12345, d) == at_12345[d]);
    CHECK(s.digits(0xAAAAAAAAu, d) == at_aaaaaaaa[d]);
  }
  std::vector<double> point(128);
  s.point(12345, point);
  CHECK(point[77] == static_cast<double>(at_12345[77]) * 0x1.0p-32);
}

TEST_CASE("each dimension of the first 2^m points has one point per interval of width 2^-m") {
  for (bool scrambled : {false, true}) {
    const SobolSequence s = scrambled ? SobolSequence(128, 42) : SobolSequence(128);
    const unsigned m = 10;
    for (std::size_t d = 0; d < 128; ++d) {
      std::set<std::uint32_t> intervals;
      for (std::uint64_t i = 0; i < (1u << m); ++i) intervals.insert(s.digits(i, d) >> (32 - m));
      INFO("dimension " << d << (scrambled ? " scrambled" : ""));
      CHECK(intervals.size() == (1u << m));
    }
  }
}

TEST_CASE("the first two dimensions form a (0, m, 2)-net, scrambled or not") {
  // Sobol's first two dimensions have quality parameter t = 0: every box of area 2^-m holds exactly
  // one of the first 2^m points. A linear matrix scramble with digital shift must preserve that.
  CHECK(is_two_dimensional_net(SobolSequence(2), 0, 1, 8));
  CHECK(is_two_dimensional_net(SobolSequence(2, 7), 0, 1, 8));
  CHECK(is_two_dimensional_net(SobolSequence(2, 8), 0, 1, 8));
}

TEST_CASE("scrambling is a pure function of the seed and moves every point") {
  const SobolSequence a(10, 1), b(10, 1), c(10, 2), plain(10);
  CHECK(a.scrambled());
  CHECK_FALSE(plain.scrambled());
  int same_as_plain = 0;
  for (std::uint64_t i = 0; i < 256; ++i)
    for (std::size_t d = 0; d < 10; ++d) {
      CHECK(a.digits(i, d) == b.digits(i, d));
      same_as_plain += a.digits(i, d) == plain.digits(i, d);
    }
  CHECK(same_as_plain < 5);
  int same_as_other_seed = 0;
  for (std::uint64_t i = 0; i < 256; ++i) same_as_other_seed += a.digits(i, 0) == c.digits(i, 0);
  CHECK(same_as_other_seed < 5);
  // The origin is no longer a point, and the first 2^12 points are balanced around 1/2 to within
  // the width of one interval.
  CHECK(a.digits(0, 0) != 0);
  for (std::size_t d = 0; d < 10; ++d) {
    double sum = 0;
    for (std::uint64_t i = 0; i < 4096; ++i) sum += a.coordinate(i, d);
    CHECK(std::abs(sum / 4096 - 0.5) < 1.0 / 4096);
  }
}

TEST_CASE("the Sobol sequence refuses dimensions and indices it does not have") {
  CHECK_THROWS_AS(SobolSequence(0), Error);
  CHECK_THROWS_AS(SobolSequence(129), Error);
  const SobolSequence s(2);
  CHECK_THROWS_AS(s.digits(SobolSequence::max_points, 0), std::out_of_range);
  CHECK_NOTHROW(s.digits(SobolSequence::max_points - 1, 1));
  CHECK_THROWS_AS(s.digits(0, 2), std::out_of_range);
  std::vector<double> wrong(3);
  CHECK_THROWS_AS(s.point(0, wrong), std::invalid_argument);
}
