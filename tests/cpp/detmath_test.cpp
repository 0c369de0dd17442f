// detmath_test.cpp: nnplay's deterministic elementary functions (detmath.h) against the C library's,
// in units in the last place (ulp) of the result, over dense grids of a range: exp, expm1, log, tanh,
// sigmoid (float and double), sin (double), cos (absolute error). detmath.h promises "about one ulp";
// the bounds here are a few (at most 4; an exhaustive scan of all floats in (0, 20) gave tanh and
// expm1 4 ulp, sigmoid 2). Also the special values (NaN, 0, infinities, overflow/underflow).
// Not here: how these functions enter the network (forward_exact_cases.h).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>

#include "detmath.h"

namespace {

namespace dm = nnplay::detmath;

// Integer keys in which adjacent floats differ by 1 (negative values mirrored), so |key(a) - key(b)| is
// the number of representable values between a and b.
int64_t key(double x) {
  int64_t i;
  std::memcpy(&i, &x, 8);
  return i < 0 ? std::numeric_limits<int64_t>::min() - i : i;
}
int64_t key(float x) {
  int32_t i;
  std::memcpy(&i, &x, 4);
  return i < 0 ? int64_t(std::numeric_limits<int32_t>::min()) - i : i;
}
template <typename T> int64_t ulps(T a, T b) {
  const int64_t d = key(a) - key(b);
  return d < 0 ? -d : d;
}

// Worst ulp distance of f against g over n + 1 evenly spaced points of [lo, hi].
template <typename T, typename F, typename G>
void expect_ulps(const std::string& name, double lo, double hi, int n, int64_t bound, F f, G g) {
  int64_t worst = 0;
  double at = lo;
  for (int i = 0; i <= n; ++i) {
    const T x = static_cast<T>(lo + (hi - lo) * i / n);
    const int64_t u = ulps<T>(f(x), g(x));
    if (u > worst) worst = u, at = x;
  }
  EXPECT_LE(worst, bound) << name << " over [" << lo << ", " << hi << "]: worst at x = " << at;
}

const int kPoints = 400000;

TEST(Detmath, ExpWithinOneUlp) {
  expect_ulps<float>("exp<float>", -87, 88, kPoints, 2, [](float x) { return dm::exp(x); },
                     [](float x) { return std::exp(x); });
  expect_ulps<double>("exp<double>", -700, 709, kPoints, 2, [](double x) { return dm::exp(x); },
                      [](double x) { return std::exp(x); });
  expect_ulps<double>("exp<double> near 0", -1, 1, kPoints, 2, [](double x) { return dm::exp(x); },
                      [](double x) { return std::exp(x); });
}

// expm1(x) = exp(x) - 1 without cancellation near 0 (tanh is built on it).
TEST(Detmath, Expm1WithinFewUlp) {
  for (auto [lo, hi] : {std::pair<double, double>{-1, 1}, {-1e-4, 1e-4}, {-80, 80}}) {
    expect_ulps<float>("expm1<float>", lo, hi, kPoints, 4, [](float x) { return dm::expm1(x); },
                       [](float x) { return std::expm1(x); });
    expect_ulps<double>("expm1<double>", lo, hi, kPoints, 4, [](double x) { return dm::expm1(x); },
                        [](double x) { return std::expm1(x); });
  }
}

TEST(Detmath, LogWithinFewUlp) {
  for (auto [lo, hi] : {std::pair<double, double>{1e-30, 1e30}, {1e-3, 10}, {0.5, 2}}) {
    expect_ulps<float>("log<float>", lo, hi, kPoints, 4, [](float x) { return dm::log(x); },
                       [](float x) { return std::log(x); });
    expect_ulps<double>("log<double>", lo, hi, kPoints, 4, [](double x) { return dm::log(x); },
                        [](double x) { return std::log(x); });
  }
  // Subnormal inputs go through frexp exactly.
  EXPECT_LE(ulps(dm::log(1e-310), std::log(1e-310)), 4);
  EXPECT_LE(ulps(dm::log(1e-40f), std::log(1e-40f)), 4);
}

TEST(Detmath, TanhWithinFewUlpAwayFromZero) {
  for (auto [lo, hi] : {std::pair<double, double>{0.5, 20}, {-20, -0.5}}) {
    expect_ulps<float>("tanh<float>", lo, hi, kPoints, 4, [](float x) { return dm::tanh(x); },
                       [](float x) { return std::tanh(x); });
    expect_ulps<double>("tanh<double>", lo, hi, kPoints, 4, [](double x) { return dm::tanh(x); },
                        [](double x) { return std::tanh(x); });
  }
}

// Also near 0, where tanh(x) is about x: the form (1 - e) / (1 + e), e = exp(-2|x|), cancels there
// (tanh<double>(5e-7) was 2e5 ulp off); expm1 keeps it accurate.
TEST(Detmath, TanhWithinFewUlpNearZero) {
  expect_ulps<float>("tanh<float>", -0.5, 0.5, kPoints, 4, [](float x) { return dm::tanh(x); },
                     [](float x) { return std::tanh(x); });
  expect_ulps<double>("tanh<double>", -0.5, 0.5, kPoints, 4, [](double x) { return dm::tanh(x); },
                      [](double x) { return std::tanh(x); });
}

TEST(Detmath, SigmoidWithinFewUlp) {
  // Reference in double (float) or in the overflow-free form (double).
  expect_ulps<float>("sigmoid<float>", -80, 80, kPoints, 3, [](float x) { return dm::sigmoid(x); },
                     [](float x) { return float(1 / (1 + std::exp(-double(x)))); });
  expect_ulps<double>("sigmoid<double>", -700, 700, kPoints, 3, [](double x) { return dm::sigmoid(x); },
                      [](double x) { return x >= 0 ? 1 / (1 + std::exp(-x)) : std::exp(x) / (1 + std::exp(x)); });
}

TEST(Detmath, SinWithinFewUlp) {
  expect_ulps<double>("sin", -50, 50, kPoints, 3, [](double x) { return dm::sin(x); },
                      [](double x) { return std::sin(x); });
  expect_ulps<double>("sin near 0", -1e-3, 1e-3, kPoints, 2, [](double x) { return dm::sin(x); },
                      [](double x) { return std::sin(x); });
}

// cos(x) = sin(x + pi/2) rounds x + pi/2, so near the zeros of cos only the absolute error is small.
TEST(Detmath, CosAbsoluteError) {
  double worst = 0;
  for (int i = 0; i <= kPoints; ++i) {
    const double x = -50 + 100.0 * i / kPoints;
    worst = std::max(worst, std::abs(dm::cos(x) - std::cos(x)));
  }
  EXPECT_LT(worst, 1e-14);
}

TEST(Detmath, SpecialValues) {
  const double inf = std::numeric_limits<double>::infinity(), nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(dm::exp(0.0), 1.0);
  EXPECT_EQ(dm::exp(0.0f), 1.0f);
  EXPECT_EQ(dm::exp(1000.0), inf);
  EXPECT_EQ(dm::exp(100.0f), std::numeric_limits<float>::infinity());
  EXPECT_EQ(dm::exp(-1000.0), 0.0);
  EXPECT_EQ(dm::exp(-200.0f), 0.0f);
  EXPECT_TRUE(std::isnan(dm::exp(nan)));
  EXPECT_EQ(dm::expm1(0.0), 0.0);
  EXPECT_EQ(dm::expm1(-1000.0), -1.0);
  EXPECT_EQ(dm::log(1.0), 0.0);
  EXPECT_EQ(dm::log(0.0), -inf);
  EXPECT_EQ(dm::log(inf), inf);
  EXPECT_TRUE(std::isnan(dm::log(-1.0)));
  EXPECT_TRUE(std::isnan(dm::log(nan)));
  EXPECT_EQ(dm::tanh(0.0), 0.0);
  EXPECT_EQ(dm::tanh(1000.0), 1.0);
  EXPECT_EQ(dm::tanh(-1000.0), -1.0);
  EXPECT_EQ(dm::tanh(-1000.0f), -1.0f);
  EXPECT_EQ(dm::sigmoid(0.0), 0.5);
  EXPECT_EQ(dm::sigmoid(1000.0), 1.0);
  EXPECT_EQ(dm::sigmoid(-1000.0), 0.0);  // no overflow on the negative side
  EXPECT_EQ(dm::sin(0.0), 0.0);
  EXPECT_EQ(dm::cos(0.0), 1.0);
}

}  // namespace
