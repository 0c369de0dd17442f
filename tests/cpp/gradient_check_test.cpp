// gradient_check_test.cpp: the float build's gradient check (gradient_check.h). The float64 central
// difference against derivatives known in closed form (a linear unit with mse, where J is quadratic
// and the central difference is exact but for rounding; a sigmoid unit with bce, with L2 and L1),
// and backprop against it on the page's two check networks (issue 10: every tensor's max relative
// error below 1e-3 for relu/softmax and tanh/sigmoid; the float32 difference gave 1.6e-2 on W2 of
// the tanh/sigmoid net). The double build's suite is gradient_check_test_f64.cpp.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "gradient_check.h"
#include "trainer.h"

namespace {

using nnplay::Activation;
using nnplay::CentralDifference;
using nnplay::Loss;
using nnplay::Network;
using nnplay::Scalar;

static_assert(sizeof(Scalar) == 4, "the float build: the numeric side is double, backprop float32");

// One linear unit with mse on x = 1, 2, 3, y = 0, 1, 1, with w = 0.5, b = 0.25:
// J = 1/3 sum (w x + b - y)^2, residuals r = 0.75, 0.25, 0.75,
// dJ/dw = 2/3 sum r x = 2/3 (0.75 + 0.5 + 2.25) = 7/3, dJ/db = 2/3 sum r = 7/6.
// J is quadratic in w and b, so (J(w + h) - J(w - h)) / 2h is exact in real arithmetic: what is left
// is rounding, about 1e-16 J / h in double. In float32 it would be some 6e-8 J / 2h, 3e-3 at h = 1e-5.
TEST(CentralDifference, LinearMseKnownAnswer) {
  Network net(1, {1}, {Activation::linear}, Loss::mse);
  net.layers()[0].W(0, 0) = 0.5f;
  net.layers()[0].b(0) = 0.25f;
  const std::vector<Scalar> X = {1, 2, 3}, Y = {0, 1, 1};
  CentralDifference cd(net, X.data(), Y.data(), 3, 0, 0);
  for (double h : {1e-2, 1e-5, 1e-7}) {
    EXPECT_NEAR(cd.slope(0, false, 0, 0, h), 7.0 / 3, 1e-8) << "h = " << h;
    EXPECT_NEAR(cd.slope(0, true, 0, 0, h), 7.0 / 6, 1e-8) << "h = " << h;
  }
}

// One sigmoid unit with bce on two inputs, with L2 0.1 and L1 0.05:
// J = 1/m sum [-y log a - (1 - y) log(1 - a)] + 0.05 sum w^2 + 0.05 sum |w|, a = sigmoid(x w + b),
// dJ/dw_i = 1/m sum (a - y) x_i + 0.1 w_i + 0.05 sign(w_i), dJ/db = 1/m sum (a - y).
// The central difference's own error is about h^2/6 J''' (1e-11 at h = 1e-5).
TEST(CentralDifference, SigmoidBceKnownAnswer) {
  Network net(2, {1}, {Activation::sigmoid}, Loss::bce);
  const double w[2] = {0.75, -1.25}, b = 0.125;
  net.layers()[0].W(0, 0) = Scalar(w[0]);
  net.layers()[0].W(1, 0) = Scalar(w[1]);
  net.layers()[0].b(0) = Scalar(b);
  const std::vector<Scalar> X = {0.5f, -1.0f, 2.0f, 0.25f, -1.5f, 1.0f, 0.0f, 0.75f};
  const std::vector<Scalar> Y = {1, 0, 0, 1};
  const int m = 4;
  double want[3] = {0, 0, 0};  // dJ/dw0, dJ/dw1, dJ/db
  for (int i = 0; i < m; ++i) {
    const double z = X[2 * i] * w[0] + X[2 * i + 1] * w[1] + b;
    const double a = 1 / (1 + std::exp(-z));
    want[0] += (a - Y[i]) * X[2 * i] / m;
    want[1] += (a - Y[i]) * X[2 * i + 1] / m;
    want[2] += (a - Y[i]) / m;
  }
  CentralDifference plain(net, X.data(), Y.data(), m, 0, 0);
  CentralDifference penalised(net, X.data(), Y.data(), m, 0.1, 0.05);
  for (int i = 0; i < 2; ++i) {
    EXPECT_NEAR(plain.slope(0, false, i, 0, 1e-5), want[i], 1e-9) << "w" << i;
    EXPECT_NEAR(penalised.slope(0, false, i, 0, 1e-5), want[i] + 0.1 * w[i] + 0.05 * (w[i] > 0 ? 1 : -1), 1e-9)
        << "w" << i << " with L2 and L1";
  }
  EXPECT_NEAR(plain.slope(0, true, 0, 0, 1e-5), want[2], 1e-9);
  EXPECT_NEAR(penalised.slope(0, true, 0, 0, 1e-5), want[2], 1e-9) << "biases carry no penalty";
}

// The relative error's formula and its floor.
TEST(CentralDifference, RelativeError) {
  EXPECT_DOUBLE_EQ(nnplay::relative_error(1.0, 1.25), 0.25 / 2.25);
  EXPECT_NEAR(nnplay::relative_error(2e-5, 1e-5), 0.1, 1e-12);  // |a| + |n| below the floor: 1e-5 / 1e-4
  EXPECT_STREQ(nnplay::kRelErrorFormula, "|a - n| / max(|a| + |n|, 1e-4)");
}

// The page's two check networks (tests/browser/inside.test.mjs), after 2 epochs, on 16 samples.
void every_tensor_below_1e3(const std::string& config, const std::vector<std::string>& names) {
  nnplay::Trainer t(config);
  t.train(2);
  const auto checks = t.gradient_check(nnplay::kGradCheckStep, 16);
  ASSERT_EQ(checks.size(), names.size());
  for (size_t i = 0; i < checks.size(); ++i) {
    EXPECT_EQ(checks[i].name, names[i]);
    EXPECT_LT(checks[i].max_rel_error, 1e-3) << checks[i].name;
    std::printf("%s %.2e  ", checks[i].name.c_str(), checks[i].max_rel_error);
  }
  std::printf("\n");
}

TEST(GradientCheckFloat, TanhSigmoidBelow1e3) {
  every_tensor_below_1e3(
      "{\"dataset\":{\"name\":\"xor\",\"samples\":150},\"network\":{\"layers\":[{\"units\":6,\"activation\":\"tanh\"},"
      "{\"units\":4,\"activation\":\"tanh\"},{\"units\":1,\"activation\":\"sigmoid\"}]},\"loss\":\"bce\","
      "\"optimizer\":{\"name\":\"sgd\",\"learning_rate\":0.1},\"batch_size\":16,\"seed\":2}",
      {"W1", "b1", "W2", "b2", "W3", "b3"});
}

TEST(GradientCheckFloat, ReluSoftmaxBelow1e3) {
  every_tensor_below_1e3(
      "{\"dataset\":{\"name\":\"spiral\",\"arms\":3,\"samples\":150},\"network\":{\"layers\":[{\"units\":6,"
      "\"activation\":\"relu\"},{\"units\":5,\"activation\":\"relu\"},{\"units\":3,\"activation\":\"softmax\"}]},"
      "\"loss\":\"cce\",\"init\":\"he_normal\",\"optimizer\":{\"name\":\"adam\",\"learning_rate\":0.01},"
      "\"batch_size\":16,\"seed\":2}",
      {"W1", "b1", "W2", "b2", "W3", "b3"});
}

// h is checked like the per-weight check's.
TEST(GradientCheckFloat, RefusesAStepOutsideZeroToOne) {
  nnplay::Trainer t("{\"dataset\":{\"name\":\"xor\",\"samples\":20}}");
  for (double h : {0.0, -1e-3, 1.0}) EXPECT_THROW(t.gradient_check(h, 4), nnplay::Error) << h;
}

}  // namespace
