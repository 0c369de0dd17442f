// forward_exact_cases.h: known-answer tests of Network::forward, Network::backward and the losses on
// tiny hand-built networks, included by forward_exact_test.cpp (float build) and
// forward_exact_test_f64.cpp (double build). Weights and inputs are multiples of 1/16, so every Z of
// the first layer is exact in float and double; the expected Z are written down as computed on paper,
// and the expected A, losses and gradients are computed here in double from the formulas of
// activation.h, loss.h and README "Conventions" (std::exp, std::tanh, std::log), never by the code
// under test. Tolerance: kRel relative (1e-6 for float, 1e-12 for double).
// Not here: the training loop (convergence_test.cpp), optimizers (optimizer_step_test.cpp).
#pragma once
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "loss.h"
#include "network.h"

// Suite names carry the build, so ctest lists ForwardExact.x (float) and ForwardExact_f64.x (double).
#ifndef SUITE
#ifdef NNPLAY_DOUBLE
#define SUITE(name) name##_f64
#else
#define SUITE(name) name
#endif
#endif

namespace forward_exact {

using nnplay::Activation;
using nnplay::Loss;
using nnplay::Matrix;
using nnplay::Network;
using nnplay::Scalar;
using nnplay::Workspace;

constexpr double kRel = sizeof(Scalar) == 4 ? 1e-6 : 1e-12;
// Losses are compared at kRel as well: with p >= 0.05 here the clamp max(p, 1e-12) never acts.
constexpr double kLossRel = kRel;

inline void expect_close(double actual, double expected, double rel, const std::string& what) {
  const double tol = rel * std::max(1.0, std::abs(expected));
  EXPECT_NEAR(actual, expected, tol) << what;
}

// Compares the first rows x cols block of a row-major buffer with a double table.
inline void expect_block(const Scalar* got, const std::vector<std::vector<double>>& want, double rel,
                         const std::string& what) {
  const size_t cols = want[0].size();
  for (size_t i = 0; i < want.size(); ++i)
    for (size_t j = 0; j < cols; ++j)
      expect_close(got[i * cols + j], want[i][j], rel, what + "[" + std::to_string(i) + "][" + std::to_string(j) + "]");
}

inline double sigmoid(double z) { return 1.0 / (1.0 + std::exp(-z)); }

// The shared first layer: X (3, 2), W1 (2, 3), b1 (3). Z1 = X W1 + b1, computed on paper:
//   row 0, x = ( 1,    2   ): ( 0.5 + 1.5 + 0.125,  -0.25 + 1 - 0.5,     1 - 1 + 0    ) = ( 2.125,  0.25,  0     )
//   row 1, x = (-0.5,  0.25): (-0.25 + 0.1875 + 0.125, 0.125 + 0.125 - 0.5, -0.5 - 0.125) = ( 0.0625, -0.25, -0.625 )
//   row 2, x = ( 0,   -1   ): (-0.75 + 0.125,       -0.5 - 0.5,          0.5          ) = (-0.625,  -1,     0.5   )
const std::vector<Scalar> kX = {1, 2, -0.5, 0.25, 0, -1};
const std::vector<std::vector<double>> kZ1 = {{2.125, 0.25, 0}, {0.0625, -0.25, -0.625}, {-0.625, -1, 0.5}};

inline void set_first_layer(Network& net) {
  net.layers()[0].W << 0.5, -0.25, 1, 0.75, 0.5, -0.5;
  net.layers()[0].b << 0.125, -0.5, 0;
}

inline double hidden(Activation f, double z) {
  switch (f) {
    case Activation::relu: return z > 0 ? z : 0;
    case Activation::leaky_relu: return z > 0 ? z : 0.01 * z;
    case Activation::sigmoid: return sigmoid(z);
    case Activation::tanh: return std::tanh(z);
    default: return z;  // linear
  }
}

// Z1 and A1 for every hidden activation; the output A2 = sigmoid(A1 W2 + b2) with W2 = (1, -2, 0.5)^T,
// b2 = -0.25, and the bce loss against Y = (1, 0, 1).
TEST(SUITE(ForwardExact), HiddenActivationsThenSigmoidBce) {
  for (Activation f : {Activation::relu, Activation::leaky_relu, Activation::sigmoid, Activation::tanh,
                       Activation::linear}) {
    const std::string name = nnplay::activation_name(f);
    Network net(2, {3, 1}, {f, Activation::sigmoid}, Loss::bce);
    set_first_layer(net);
    net.layers()[1].W << 1, -2, 0.5;
    net.layers()[1].b << -0.25;
    Workspace ws;
    const Scalar* A2 = net.forward(kX.data(), 3, ws);
    // Z1 is exact (sums of multiples of 1/16).
    expect_block(ws.Z[0].data(), kZ1, 0, name + " Z1");
    std::vector<std::vector<double>> A1(3, std::vector<double>(3));
    for (int i = 0; i < 3; ++i)
      for (int j = 0; j < 3; ++j) A1[i][j] = hidden(f, kZ1[i][j]);
    expect_block(ws.A[0].data(), A1, kRel, name + " A1");
    const double Y[3] = {1, 0, 1};
    double loss = 0;
    for (int i = 0; i < 3; ++i) {
      const double z2 = A1[i][0] * 1 + A1[i][1] * -2 + A1[i][2] * 0.5 - 0.25;
      const double a2 = sigmoid(z2);
      expect_close(ws.Z[1](i, 0), z2, kRel, name + " Z2 row " + std::to_string(i));
      expect_close(A2[i], a2, kRel, name + " A2 row " + std::to_string(i));
      loss += -(Y[i] * std::log(a2) + (1 - Y[i]) * std::log(1 - a2));
    }
    const std::vector<Scalar> Ys(Y, Y + 3);
    expect_close(nnplay::loss_sums(Loss::bce, A2, Ys.data(), 3, 1).loss / 3, loss / 3, kLossRel, name + " bce");
  }
}

// relu then sigmoid, entirely on paper: A1 = relu(Z1) = ((2.125, 0.25, 0), (0.0625, 0, 0), (0, 0, 0.5)),
// Z2 = A1 (1, -2, 0.5)^T - 0.25 = (2.125 - 0.5 - 0.25, 0.0625 - 0.25, 0.25 - 0.25) = (1.375, -0.1875, 0).
TEST(SUITE(ForwardExact), ReluSigmoidOnPaper) {
  Network net(2, {3, 1}, {Activation::relu, Activation::sigmoid}, Loss::bce);
  set_first_layer(net);
  net.layers()[1].W << 1, -2, 0.5;
  net.layers()[1].b << -0.25;
  Workspace ws;
  const Scalar* A2 = net.forward(kX.data(), 3, ws);
  expect_block(ws.A[0].data(), {{2.125, 0.25, 0}, {0.0625, 0, 0}, {0, 0, 0.5}}, 0, "A1");
  expect_block(ws.Z[1].data(), {{1.375}, {-0.1875}, {0}}, 0, "Z2");
  expect_close(A2[2], 0.5, 0, "sigmoid(0)");
  expect_close(A2[0], 1 / (1 + std::exp(-1.375)), kRel, "sigmoid(1.375)");
  expect_close(A2[1], 1 / (1 + std::exp(0.1875)), kRel, "sigmoid(-0.1875)");
}

// Softmax over 3 outputs fused with cce. W2 (3, 3) and b2 chosen so Z2 = A1 W2 + b2 is exact with a relu
// hidden layer: W2 = ((1, 0, -1), (0, 2, 0), (0.5, 0, 1)), b2 = (0, 0.5, -0.5)
//   row 0: A1 = (2.125, 0.25, 0)   -> Z2 = (2.125, 1, -2.625)
//   row 1: A1 = (0.0625, 0, 0)     -> Z2 = (0.0625, 0.5, -0.5625)
//   row 2: A1 = (0, 0, 0.5)        -> Z2 = (0.25, 0.5, 0)
// Y = one-hot (0, 2, 1): loss = -(1/3) sum_i log A2[i][y_i]; the reference form -(1/(3*3)) sum Y log(A2 + 1e-8).
TEST(SUITE(ForwardExact), ReluSoftmaxCce) {
  Network net(2, {3, 3}, {Activation::relu, Activation::softmax}, Loss::cce);
  set_first_layer(net);
  net.layers()[1].W << 1, 0, -1, 0, 2, 0, 0.5, 0, 1;
  net.layers()[1].b << 0, 0.5, -0.5;
  Workspace ws;
  const Scalar* A2 = net.forward(kX.data(), 3, ws);
  const std::vector<std::vector<double>> Z2 = {{2.125, 1, -2.625}, {0.0625, 0.5, -0.5625}, {0.25, 0.5, 0}};
  expect_block(ws.Z[1].data(), Z2, 0, "Z2");
  const int label[3] = {0, 2, 1};
  std::vector<Scalar> Y(9, 0);
  double loss = 0, reference = 0;
  std::vector<std::vector<double>> P(3, std::vector<double>(3));
  for (int i = 0; i < 3; ++i) {
    Y[i * 3 + label[i]] = 1;
    const double mx = std::max(Z2[i][0], std::max(Z2[i][1], Z2[i][2]));
    double sum = 0;
    for (int j = 0; j < 3; ++j) sum += std::exp(Z2[i][j] - mx);
    for (int j = 0; j < 3; ++j) P[i][j] = std::exp(Z2[i][j] - mx) / sum;
    loss += -std::log(P[i][label[i]]);
    reference += -std::log(P[i][label[i]] + 1e-8);
  }
  expect_block(A2, P, kRel, "A2");
  for (int i = 0; i < 3; ++i) expect_close(A2[i * 3] + A2[i * 3 + 1] + A2[i * 3 + 2], 1.0, 4 * kRel, "row sum");
  const nnplay::LossSums s = nnplay::loss_sums(Loss::cce, A2, Y.data(), 3, 3);
  expect_close(s.loss / 3, loss / 3, kLossRel, "cce");
  // The reference network's printed value: mean over all m * n_out entries.
  expect_close(s.reference / 3 / 3, reference / 9, kRel, "reference loss");
}

// Row-max subtraction: logits (1000, 1001, 999) and (-1000, -1001, -999) stay finite and give
// softmax(1, 2, 0) = (e, e^2, 1) / (1 + e + e^2) (as exp(-1), 1, exp(-2) over their sum).
TEST(SUITE(ForwardExact), SoftmaxLargeLogitsStayFinite) {
  Network net(1, {3}, {Activation::softmax}, Loss::cce);
  net.layers()[0].W << 1000, 1001, 999;
  net.layers()[0].b << 0, 0, 0;
  const std::vector<Scalar> X = {1, -1};
  Workspace ws;
  const Scalar* A = net.forward(X.data(), 2, ws);
  const double e1 = std::exp(-1.0), e2 = std::exp(-2.0), s = 1 + e1 + e2;
  const std::vector<std::vector<double>> want = {{e1 / s, 1 / s, e2 / s}, {e1 / s, e2 / s, 1 / s}};
  for (int k = 0; k < 6; ++k) EXPECT_TRUE(std::isfinite(A[k])) << k;
  expect_block(A, want, kRel, "softmax");
  const std::vector<Scalar> Y = {0, 1, 0, 0, 0, 1};
  const nnplay::LossSums l = nnplay::loss_sums(Loss::cce, A, Y.data(), 2, 3);
  EXPECT_TRUE(std::isfinite(l.loss));
  expect_close(l.loss / 2, -std::log(1 / s), kLossRel, "cce");
}

// Linear and tanh outputs with mse over 2 outputs: L = 1/(m n) sum (A - Y)^2 (README: mean over samples
// and outputs). One layer, X (3, 2) as above, W (2, 2) = ((1, -1), (0.5, 0.25)), b = (0, 0.125):
//   Z row 0 = (1 + 1, -1 + 0.5 + 0.125) = (2, -0.375); row 1 = (-0.5 + 0.125, 0.5 + 0.0625 + 0.125) =
//   (-0.375, 0.6875); row 2 = (-0.5, -0.25 + 0.125) = (-0.5, -0.125).
TEST(SUITE(ForwardExact), MseOverSamplesAndOutputs) {
  const std::vector<std::vector<double>> Z = {{2, -0.375}, {-0.375, 0.6875}, {-0.5, -0.125}};
  const std::vector<Scalar> Y = {1, 0, 0, 1, -0.5, 0.5};
  for (Activation f : {Activation::linear, Activation::tanh, Activation::sigmoid}) {
    const std::string name = nnplay::activation_name(f);
    Network net(2, {2}, {f}, Loss::mse);
    net.layers()[0].W << 1, -1, 0.5, 0.25;
    net.layers()[0].b << 0, 0.125;
    Workspace ws;
    const Scalar* A = net.forward(kX.data(), 3, ws);
    expect_block(ws.Z[0].data(), Z, 0, name + " Z");
    double loss = 0;
    for (int i = 0; i < 3; ++i)
      for (int j = 0; j < 2; ++j) {
        const double a = hidden(f, Z[i][j]), d = a - Y[i * 2 + j];
        expect_close(A[i * 2 + j], a, kRel, name + " A");
        loss += d * d;
      }
    expect_close(nnplay::loss_sums(Loss::mse, A, Y.data(), 3, 2).loss / 3, loss / 6, kRel, name + " mse");
  }
}

// Backward of the reference network's shape (relu hidden, softmax + cce), from
// shared/reference/seed_network.md: dZ2 = (A2 - Y) / m (the mean folded in), dW2 = A1^T dZ2,
// db2 = colsum dZ2, dZ1 = dZ2 W2^T * [Z1 > 0], dW1 = X^T dZ1, db1 = colsum dZ1; with L2, dW += lambda W.
TEST(SUITE(BackwardExact), ReluSoftmaxCceWithAndWithoutL2) {
  for (double l2 : {0.0, 0.25}) {
    Network net(2, {3, 3}, {Activation::relu, Activation::softmax}, Loss::cce);
    set_first_layer(net);
    net.layers()[1].W << 1, 0, -1, 0, 2, 0, 0.5, 0, 1;
    net.layers()[1].b << 0, 0.5, -0.5;
    const std::vector<std::vector<double>> A1 = {{2.125, 0.25, 0}, {0.0625, 0, 0}, {0, 0, 0.5}};
    const std::vector<std::vector<double>> Z2 = {{2.125, 1, -2.625}, {0.0625, 0.5, -0.5625}, {0.25, 0.5, 0}};
    const double W1[2][3] = {{0.5, -0.25, 1}, {0.75, 0.5, -0.5}};
    const double W2[3][3] = {{1, 0, -1}, {0, 2, 0}, {0.5, 0, 1}};
    const double X[3][2] = {{1, 2}, {-0.5, 0.25}, {0, -1}};
    const int label[3] = {0, 2, 1};
    std::vector<Scalar> Y(9, 0);
    double dZ2[3][3], dZ1[3][3];
    for (int i = 0; i < 3; ++i) {
      Y[i * 3 + label[i]] = 1;
      const double mx = std::max(Z2[i][0], std::max(Z2[i][1], Z2[i][2]));
      double sum = 0;
      for (int j = 0; j < 3; ++j) sum += std::exp(Z2[i][j] - mx);
      for (int j = 0; j < 3; ++j) dZ2[i][j] = (std::exp(Z2[i][j] - mx) / sum - (j == label[i])) / 3;
    }
    for (int i = 0; i < 3; ++i)
      for (int k = 0; k < 3; ++k) {
        double s = 0;
        for (int j = 0; j < 3; ++j) s += dZ2[i][j] * W2[k][j];
        dZ1[i][k] = kZ1[i][k] > 0 ? s : 0;
      }
    Workspace ws;
    net.forward(kX.data(), 3, ws);
    net.backward(kX.data(), Y.data(), 3, ws, l2);
    const std::string tag = l2 > 0 ? " (l2)" : "";
    for (int k = 0; k < 3; ++k)
      for (int j = 0; j < 3; ++j) {
        double dw = 0;
        for (int i = 0; i < 3; ++i) dw += A1[i][k] * dZ2[i][j];
        expect_close(net.layers()[1].dW(k, j), dw + l2 * W2[k][j], kRel, "dW2" + tag);
      }
    for (int j = 0; j < 3; ++j) {
      double db = 0, db1 = 0;
      for (int i = 0; i < 3; ++i) db += dZ2[i][j], db1 += dZ1[i][j];
      expect_close(net.layers()[1].db(j), db, kRel, "db2" + tag);  // biases: no L2
      expect_close(net.layers()[0].db(j), db1, kRel, "db1" + tag);
    }
    for (int p = 0; p < 2; ++p)
      for (int k = 0; k < 3; ++k) {
        double dw = 0;
        for (int i = 0; i < 3; ++i) dw += X[i][p] * dZ1[i][k];
        expect_close(net.layers()[0].dW(p, k), dw + l2 * W1[p][k], kRel, "dW1" + tag);
      }
  }
}

// mse backward through a tanh output: dZ = 2 (A - Y) / (m n) * (1 - A^2) (README "Conventions").
TEST(SUITE(BackwardExact), TanhMseOutputGradient) {
  const std::vector<std::vector<double>> Z = {{2, -0.375}, {-0.375, 0.6875}, {-0.5, -0.125}};
  const std::vector<Scalar> Y = {1, 0, 0, 1, -0.5, 0.5};
  Network net(2, {2}, {Activation::tanh}, Loss::mse);
  net.layers()[0].W << 1, -1, 0.5, 0.25;
  net.layers()[0].b << 0, 0.125;
  Workspace ws;
  net.forward(kX.data(), 3, ws);
  net.backward(kX.data(), Y.data(), 3, ws, 0);
  double db[2] = {0, 0}, dW[2][2] = {{0, 0}, {0, 0}};
  const double X[3][2] = {{1, 2}, {-0.5, 0.25}, {0, -1}};
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 2; ++j) {
      const double a = std::tanh(Z[i][j]), dz = 2 * (a - Y[i * 2 + j]) / (3 * 2) * (1 - a * a);
      db[j] += dz;
      for (int p = 0; p < 2; ++p) dW[p][j] += X[i][p] * dz;
    }
  for (int j = 0; j < 2; ++j) {
    expect_close(net.layers()[0].db(j), db[j], 4 * kRel, "db");
    for (int p = 0; p < 2; ++p) expect_close(net.layers()[0].dW(p, j), dW[p][j], 4 * kRel, "dW");
  }
}

// README "Conventions": losses take log(max(p, 1e-12)), so an output that underflows gives a large
// finite loss; the reference network's printed loss takes log(p + 1e-8). A softmax output whose true
// class has p = exp(-60) / (1 + exp(-60)) (about 9e-27): loss -log(1e-12) = 27.63, reference form
// -log(p + 1e-8) = 18.42, both finite.
TEST(SUITE(LossGuard), ClampedLogAndReferenceGuard) {
  Network net(1, {2}, {Activation::softmax}, Loss::cce);
  net.layers()[0].W << 0, 60;
  net.layers()[0].b << 0, 0;
  const std::vector<Scalar> X = {1}, Y = {1, 0};
  Workspace ws;
  const Scalar* A = net.forward(X.data(), 1, ws);
  const double p = std::exp(-60.0) / (1 + std::exp(-60.0));
  EXPECT_NEAR(A[0] / p, 1.0, 1e-5) << "p";
  const nnplay::LossSums s = nnplay::loss_sums(Loss::cce, A, Y.data(), 1, 2);
  EXPECT_TRUE(std::isfinite(s.loss));
  expect_close(s.loss, -std::log(1e-12), 1e-9, "cce, clamped log");
  expect_close(s.reference, -std::log(p + 1e-8), 1e-9, "reference form, log(p + 1e-8)");
  // bce likewise on both sides: a sigmoid output of exactly 0 or 1 against the other label.
  Network b(1, {1}, {Activation::sigmoid}, Loss::bce);
  b.layers()[0].W << 1000;
  b.layers()[0].b << 0;
  const std::vector<Scalar> X2 = {1, -1}, Y2 = {0, 1};
  const Scalar* A2 = b.forward(X2.data(), 2, ws);
  EXPECT_EQ(A2[0], 1);  // sigmoid(1000) rounds to 1
  EXPECT_EQ(A2[1], 0);  // sigmoid(-1000) underflows to 0
  expect_close(nnplay::loss_sums(Loss::bce, A2, Y2.data(), 2, 1).loss, -2 * std::log(1e-12), 1e-9, "bce, clamped");
}

}  // namespace forward_exact
