// rng_test.cpp: nnplay's Rng (rng.h). (1) Its 32-bit stream equals an independent implementation of
// SplitMix64 seeding + xoshiro128** written here from the published algorithms (Vigna's reference
// code; SplitMix64 checked against its published first output for seed 0), with rng.h's documented
// layout (each state word the high half of a SplitMix64 output, uniform = 27 + 26 random bits).
// (2) normal() equals Marsaglia's polar method computed here with std::log, to 1e-14. (3) Moments of
// uniform, normal and below(n) over a million draws, within 5 standard errors.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "rng.h"

namespace {

uint64_t splitmix64(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

struct Xoshiro128ss {
  uint32_t s[4];
  explicit Xoshiro128ss(uint64_t seed) {
    for (uint32_t& w : s) w = uint32_t(splitmix64(seed) >> 32);
  }
  static uint32_t rotl(uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }
  uint32_t next() {
    const uint32_t result = rotl(s[1] * 5, 7) * 9;
    const uint32_t t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }
  double uniform() {
    const uint64_t hi = next() >> 5, lo = next() >> 6;
    return double((hi << 26) | lo) / 9007199254740992.0;  // 2^53
  }
};

TEST(Rng, SplitMix64ReferenceIsRight) {
  uint64_t state = 0;
  EXPECT_EQ(splitmix64(state), 0xE220A8397B1DCDAFull);  // the published first output for seed 0
}

TEST(Rng, StreamMatchesIndependentXoshiro128StarStar) {
  for (uint64_t seed : {0ull, 1ull, 42ull, 4294967295ull, 0x100000001ull}) {
    nnplay::Rng rng(seed);
    Xoshiro128ss ref(seed);
    for (int i = 0; i < 1000; ++i) ASSERT_EQ(rng.next_u32(), ref.next()) << "seed " << seed << " draw " << i;
    for (int i = 0; i < 1000; ++i) ASSERT_EQ(rng.uniform(), ref.uniform()) << "seed " << seed << " uniform " << i;
  }
}

TEST(Rng, NormalIsMarsagliaPolar) {
  nnplay::Rng rng(7);
  Xoshiro128ss ref(7);
  for (int i = 0; i < 1000; ++i) {
    double u, v, s;
    do {
      u = 2 * ref.uniform() - 1;
      v = 2 * ref.uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s == 0);
    const double f = std::sqrt(-2 * std::log(s) / s);
    ASSERT_NEAR(rng.normal(), u * f, 1e-14 * std::max(1.0, std::abs(u * f))) << "pair " << i;
    ASSERT_NEAR(rng.normal(), v * f, 1e-14 * std::max(1.0, std::abs(v * f))) << "pair " << i;
  }
}

// Sample mean, variance and kurtosis (4th central moment / variance^2).
struct Moments {
  double mean, var, kurt;
};
Moments moments(const std::vector<double>& x) {
  double s = 0;
  for (double v : x) s += v;
  const double mean = s / x.size();
  double m2 = 0, m4 = 0;
  for (double v : x) {
    const double d = (v - mean) * (v - mean);
    m2 += d;
    m4 += d * d;
  }
  m2 /= x.size();
  m4 /= x.size();
  return {mean, m2, m4 / (m2 * m2)};
}

const int kDraws = 1000000;

TEST(Rng, UniformMoments) {
  nnplay::Rng rng(3);
  std::vector<double> x(kDraws);
  for (double& v : x) {
    v = rng.uniform();
    ASSERT_GE(v, 0.0);
    ASSERT_LT(v, 1.0);
  }
  const Moments m = moments(x);
  // U(0, 1): mean 1/2, variance 1/12, kurtosis 9/5. Standard errors: sqrt(1/12 / n) for the mean,
  // var sqrt((kurt - 1) / n) for the variance.
  EXPECT_NEAR(m.mean, 0.5, 5 * std::sqrt(1.0 / 12 / kDraws));
  EXPECT_NEAR(m.var, 1.0 / 12, 5 * (1.0 / 12) * std::sqrt(0.8 / kDraws));
  EXPECT_NEAR(m.kurt, 1.8, 0.01);
  nnplay::Rng r2(3);
  for (int i = 0; i < 1000; ++i) {
    const double v = r2.uniform(-2.5, 4.0);
    ASSERT_GE(v, -2.5);
    ASSERT_LT(v, 4.0);
  }
}

TEST(Rng, NormalMoments) {
  nnplay::Rng rng(5);
  std::vector<double> x(kDraws);
  for (double& v : x) v = rng.normal();
  const Moments m = moments(x);
  EXPECT_NEAR(m.mean, 0.0, 5 * std::sqrt(1.0 / kDraws));
  EXPECT_NEAR(m.var, 1.0, 5 * std::sqrt(2.0 / kDraws));
  EXPECT_NEAR(m.kurt, 3.0, 0.03);
}

// below(n): every value in [0, n) about n-th of the time (chi-square over n cells, 5-sigma bound).
TEST(Rng, BelowIsUniform) {
  for (uint32_t n : {1u, 2u, 3u, 7u, 10u, 1000u}) {
    nnplay::Rng rng(n);
    std::vector<int> count(n, 0);
    const int draws = 200000;
    for (int i = 0; i < draws; ++i) {
      const uint32_t k = rng.below(n);
      ASSERT_LT(k, n);
      ++count[k];
    }
    double chi2 = 0;
    const double expect = double(draws) / n;
    for (int c : count) chi2 += (c - expect) * (c - expect) / expect;
    const double dof = n - 1;
    EXPECT_LT(chi2, dof + 5 * std::sqrt(2 * dof) + 1e-9) << "n = " << n;
  }
}

TEST(Rng, SameSeedSameStreamOtherSeedOther) {
  nnplay::Rng a(11), b(11), c(12);
  int same = 0;
  for (int i = 0; i < 100; ++i) {
    const uint32_t x = a.next_u32();
    EXPECT_EQ(x, b.next_u32());
    same += x == c.next_u32();
  }
  EXPECT_LT(same, 3);
}

}  // namespace
