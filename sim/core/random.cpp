#include "core/random.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <unordered_set>

namespace clusternet {

RandomStream::RandomStream(const StreamKey& key) {
  // Key words: the seed, and the replicate with the purpose. Counter words: the month, the entity,
  // a reserved word, and the block number. Distinct keys never share a (key, counter) pair.
  key_.v[0] = key.seed;
  key_.v[1] = (static_cast<std::uint64_t>(key.replicate) << 32) |
              static_cast<std::uint64_t>(static_cast<std::uint32_t>(key.purpose));
  counter_.v[0] = static_cast<std::uint64_t>(static_cast<std::int64_t>(key.month));
  counter_.v[1] = key.entity;
  counter_.v[2] = 0;
  counter_.v[3] = 0;
}

std::uint64_t hash_mix(std::uint64_t a, std::uint64_t b, std::uint64_t c, std::uint64_t d) {
  auto mix = [](std::uint64_t z) {
    z += 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  };
  std::uint64_t h = mix(a);
  h = mix(h ^ b);
  h = mix(h ^ c);
  h = mix(h ^ d);
  return h;
}

std::uint64_t uniform_index(RandomStream& s, std::uint64_t n) {
  if (n == 0) throw std::invalid_argument("uniform_index: n must be positive");
  __uint128_t product = static_cast<__uint128_t>(s.next_u64()) * n;
  auto low = static_cast<std::uint64_t>(product);
  if (low < n) {
    const std::uint64_t threshold = (0 - n) % n;
    while (low < threshold) {
      product = static_cast<__uint128_t>(s.next_u64()) * n;
      low = static_cast<std::uint64_t>(product);
    }
  }
  return static_cast<std::uint64_t>(product >> 64);
}

std::int64_t uniform_int(RandomStream& s, std::int64_t low, std::int64_t high) {
  if (high < low) throw std::invalid_argument("uniform_int: high < low");
  const auto span = static_cast<std::uint64_t>(high) - static_cast<std::uint64_t>(low);
  if (span == ~std::uint64_t{0}) return static_cast<std::int64_t>(s.next_u64());
  return static_cast<std::int64_t>(static_cast<std::uint64_t>(low) + uniform_index(s, span + 1));
}

double normal(RandomStream& s, double mean, double sd) {
  // 1 - u lies in (0, 1], so the logarithm is finite.
  const double u1 = 1.0 - uniform01(s);
  const double u2 = uniform01(s);
  const double radius = std::sqrt(-2.0 * std::log(u1));
  return mean + sd * radius * std::cos(2.0 * 3.14159265358979323846 * u2);
}

double exponential(RandomStream& s, double rate) {
  if (!(rate > 0.0)) throw std::invalid_argument("exponential: rate must be positive");
  return -std::log1p(-uniform01(s)) / rate;
}

namespace {
// log(k!) without std::lgamma, which writes the global `signgam` (a data race under threads).
double log_factorial(std::uint64_t k) {
  static const double table[] = {0.0,
                                 0.0,
                                 0.69314718055994531,
                                 1.79175946922805500,
                                 3.17805383034794562,
                                 4.78749174278204599,
                                 6.57925121201010100,
                                 8.52516136106541430,
                                 10.60460290274525023,
                                 12.80182748008146961};
  if (k < 10) return table[k];
  const double x = static_cast<double>(k) + 1.0;  // log Gamma(x), Stirling series
  const double inv = 1.0 / x;
  const double inv2 = inv * inv;
  return (x - 0.5) * std::log(x) - x + 0.91893853320467274178 +
         inv * (1.0 / 12.0 - inv2 * (1.0 / 360.0 - inv2 * (1.0 / 1260.0 - inv2 / 1680.0)));
}
}  // namespace

std::uint64_t poisson(RandomStream& s, double mean) {
  if (!(mean >= 0.0) || !std::isfinite(mean))
    throw std::invalid_argument("poisson: mean must be finite and non-negative");
  if (mean == 0.0) return 0;
  if (mean < 30.0) {
    const double limit = std::exp(-mean);
    std::uint64_t k = 0;
    double product = uniform01(s);
    while (product > limit) {
      ++k;
      product *= uniform01(s);
    }
    return k;
  }
  // PTRS: W. Hormann, "The transformed rejection method for generating Poisson random variables",
  // Insurance: Mathematics and Economics 12 (1993).
  const double slam = std::sqrt(mean);
  const double loglam = std::log(mean);
  const double b = 0.931 + 2.53 * slam;
  const double a = -0.059 + 0.02483 * b;
  const double inv_alpha = 1.1239 + 1.1328 / (b - 3.4);
  const double vr = 0.9277 - 3.6224 / (b - 2.0);
  for (;;) {
    const double u = uniform01(s) - 0.5;
    const double v = uniform01(s);
    const double us = 0.5 - std::fabs(u);
    const double k = std::floor((2.0 * a / us + b) * u + mean + 0.43);
    if (us >= 0.07 && v <= vr) return static_cast<std::uint64_t>(k);
    if (k < 0.0 || (us < 0.013 && v > us)) continue;
    const auto ki = static_cast<std::uint64_t>(k);
    if (std::log(v) + std::log(inv_alpha) - std::log(a / (us * us) + b) <=
        -mean + k * loglam - log_factorial(ki))
      return ki;
  }
}

std::uint32_t weighted_choice(RandomStream& s, std::span<const double> weights) {
  double total = 0.0;
  for (double w : weights) total += w;
  if (!(total > 0.0)) return none<std::uint32_t>;
  const double target = uniform01(s) * total;
  double running = 0.0;
  std::uint32_t last_positive = none<std::uint32_t>;
  for (std::uint32_t i = 0; i < weights.size(); ++i) {
    if (weights[i] <= 0.0) continue;
    running += weights[i];
    last_positive = i;
    if (target < running) return i;
  }
  return last_positive;  // rounding put the target at the very end
}

std::vector<std::uint32_t> sample_without_replacement(RandomStream& s, std::uint32_t k,
                                                      std::uint32_t n) {
  if (k > n) throw std::invalid_argument("sample_without_replacement: k > n");
  std::vector<std::uint32_t> result;
  result.reserve(k);
  if (static_cast<std::uint64_t>(k) * 4 >= n) {
    // Selection sampling (Knuth's Algorithm S): one pass, output already sorted.
    std::uint32_t needed = k;
    for (std::uint32_t i = 0; i < n && needed > 0; ++i) {
      if (uniform_index(s, n - i) < needed) {
        result.push_back(i);
        --needed;
      }
    }
    return result;
  }
  // Floyd's algorithm: k draws whatever n is. The set's iteration order never reaches the result:
  // the result is sorted.
  std::unordered_set<std::uint32_t> chosen;
  chosen.reserve(k * 2);
  for (std::uint32_t j = n - k; j < n; ++j) {
    const auto t = static_cast<std::uint32_t>(uniform_index(s, static_cast<std::uint64_t>(j) + 1));
    if (!chosen.insert(t).second) chosen.insert(j);
  }
  result.assign(chosen.begin(), chosen.end());
  std::sort(result.begin(), result.end());
  return result;
}

CumulativeWeights::CumulativeWeights(std::span<const double> weights) {
  cumulative_.resize(weights.size());
  double running = 0.0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    running += weights[i] > 0.0 ? weights[i] : 0.0;
    cumulative_[i] = running;
  }
}

std::uint32_t CumulativeWeights::draw(RandomStream& s) const {
  const double sum = total();
  if (!(sum > 0.0)) return none<std::uint32_t>;
  const double target = uniform01(s) * sum;
  // upper_bound never lands on a zero-weight entry: its cumulative value equals its predecessor's.
  auto it = std::upper_bound(cumulative_.begin(), cumulative_.end(), target);
  if (it == cumulative_.end()) {
    // Only rounding can put the target at the total: take the last entry with positive weight.
    --it;
    while (it != cumulative_.begin() && *(it - 1) == *it) --it;
  }
  return static_cast<std::uint32_t>(it - cumulative_.begin());
}

}  // namespace clusternet
