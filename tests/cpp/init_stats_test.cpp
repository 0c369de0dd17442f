// init_stats_test.cpp: weight initialisation (init.h, README "Conventions") over large layers.
// Mean, variance and kurtosis of the drawn weights against the formulas, within 5 standard errors:
//   xavier_uniform U(-a, a), a = sqrt(6 / (n_in + n_out)): variance a^2 / 3, kurtosis 9/5, |w| <= a
//   xavier_normal  N(0, 2 / (n_in + n_out)),  he_normal N(0, 2 / n_in): kurtosis 3
//   he_uniform     U(-a, a), a = sqrt(6 / n_in)
// on a square 1000 x 1000 layer and a 1000 x 400 one (n_in != n_out, so fan-in and fan-out are told
// apart). Also: biases start at zero, weights are drawn row by row, and the seed decides them.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "init.h"
#include "registered_test.h"
#include "trainer.h"

namespace {

using nnplay::Init;
using nnplay::Matrix;

struct Stats {
  double mean, var, kurt, max_abs;
};
Stats stats(const Matrix& W) {
  const double n = double(W.size());
  double s = 0, max_abs = 0;
  for (Eigen::Index i = 0; i < W.size(); ++i) s += W.data()[i], max_abs = std::max(max_abs, std::abs(double(W.data()[i])));
  const double mean = s / n;
  double m2 = 0, m4 = 0;
  for (Eigen::Index i = 0; i < W.size(); ++i) {
    const double d = (W.data()[i] - mean) * (W.data()[i] - mean);
    m2 += d, m4 += d * d;
  }
  m2 /= n, m4 /= n;
  return {mean, m2, m4 / (m2 * m2), max_abs};
}

struct Expect {
  double var, kurt, bound;  // bound: a for uniform, 0 for normal
};
Expect expected(Init init, double n_in, double n_out) {
  switch (init) {
    case Init::xavier_uniform: { const double a = std::sqrt(6 / (n_in + n_out)); return {a * a / 3, 1.8, a}; }
    case Init::xavier_normal: return {2 / (n_in + n_out), 3.0, 0};
    case Init::he_normal: return {2 / n_in, 3.0, 0};
    case Init::he_uniform: { const double a = std::sqrt(6 / n_in); return {a * a / 3, 1.8, a}; }
  }
  return {};
}

void moments_match_the_formula(Init init) {
  for (auto [rows, cols] : {std::pair<int, int>{1000, 1000}, {1000, 400}}) {
    Matrix W(rows, cols);
    nnplay::Rng rng(2024);
    nnplay::init_weights(init, W, rng);
    const Stats s = stats(W);
    const Expect e = expected(init, rows, cols);
    const double n = double(W.size());
    SCOPED_TRACE(nnplay::init_name(init) + " " + std::to_string(rows) + "x" + std::to_string(cols));
    EXPECT_NEAR(s.mean, 0.0, 5 * std::sqrt(e.var / n));
    EXPECT_NEAR(s.var, e.var, 5 * e.var * std::sqrt((e.kurt - 1) / n));
    EXPECT_NEAR(s.kurt, e.kurt, 0.05);
    if (e.bound > 0) {
      EXPECT_LE(s.max_abs, e.bound);
      EXPECT_GT(s.max_abs, e.bound * (1 - 1e-4));  // the range is used up to its ends
    }
  }
}

// InitStats.xavier_uniform, ...
REGISTER_TESTS(init_stats) {
  for (Init init : {Init::xavier_uniform, Init::xavier_normal, Init::he_normal, Init::he_uniform})
    nnplay_test::register_test("InitStats", nnplay::init_name(init), __FILE__, __LINE__,
                               [init] { moments_match_the_formula(init); });
}

// "Weights are drawn row by row, W being (inputs, outputs)": W(r, c) is draw number r * cols + c.
TEST(InitOrder, RowByRow) {
  Matrix W(3, 5);
  nnplay::Rng rng(9), same(9);
  nnplay::init_weights(Init::he_uniform, W, rng);
  const double a = std::sqrt(6.0 / 3);
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 5; ++c) EXPECT_EQ(W(r, c), nnplay::Scalar(same.uniform(-a, a))) << r << "," << c;
}

// Through the trainer: he_normal W1 is N(0, 1) * sqrt(2 / n_in) in draw order from the config's seed
// (the reference network's initialisation), W2 continues the same stream, and biases are zero.
TEST(InitOrder, TrainerUsesSeedAndZeroBiases) {
  nnplay::Trainer t(R"({"dataset":{"name":"xor","samples":20},"network":{"layers":[{"units":4,"activation":"relu"},)"
                    R"({"units":1,"activation":"sigmoid"}]},"init":"he_normal","seed":77})");
  nnplay::Rng rng(77);
  const auto& L = t.network().layers();
  for (int l = 0; l < 2; ++l) {
    const double scale = std::sqrt(2.0 / L[l].inputs());
    for (int r = 0; r < L[l].inputs(); ++r)
      for (int c = 0; c < L[l].units(); ++c)
        EXPECT_EQ(L[l].W(r, c), nnplay::Scalar(rng.normal() * scale)) << "layer " << l << " " << r << "," << c;
    EXPECT_TRUE(L[l].b.isZero(0)) << "layer " << l;
  }
}

}  // namespace
