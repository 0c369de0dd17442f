// optimizer_step_cases.h: the first two steps of sgd, momentum, nesterov and adam on given weights and
// gradients, against values computed here in double from the update rules of optimizer.h and README
// "Conventions" (momentum in PyTorch's form, Nesterov v = mu v + g, W -= lr (g + mu v), Adam with bias
// correction and epsilon outside the square root), plus L2 folded into the gradient by
// Network::backward and then one sgd step. Included by optimizer_step_test.cpp (float build, 1e-6
// relative) and optimizer_step_test_f64.cpp (double build, 1e-12 relative).
#pragma once
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "network.h"
#include "optimizer.h"

// Suite names carry the build, so ctest lists ForwardExact.x (float) and ForwardExact_f64.x (double).
#ifndef SUITE
#ifdef NNPLAY_DOUBLE
#define SUITE(name) name##_f64
#else
#define SUITE(name) name
#endif
#endif

namespace optimizer_steps {

using nnplay::DenseLayer;
using nnplay::Optimizer;
using nnplay::OptimizerConfig;
using nnplay::OptimizerKind;
using nnplay::Scalar;

constexpr double kRel = sizeof(Scalar) == 4 ? 1e-6 : 1e-12;

// Two layers, each parameter flattened: layer 0 W (2, 2) and b (2), layer 1 W (2, 1) and b (1).
// P0: the starting values; G1, G2: the gradients given at step 1 and step 2 (a zero entry included).
const std::vector<double> kP0 = {0.5, -1, 2, 0.25, 0.1, -0.2, 1.5, -0.75, 0.3};
const std::vector<double> kG1 = {0.2, -0.4, 1.0, 0, 0.5, -0.05, -2.0, 0.125, 0.01};
const std::vector<double> kG2 = {-0.1, 0.3, 0.5, 0, -0.25, 0.1, 1.0, 0.125, -0.02};

inline std::vector<DenseLayer> make_layers() {
  std::vector<DenseLayer> layers;
  layers.emplace_back(2, 2, nnplay::Activation::tanh);
  layers.emplace_back(2, 1, nnplay::Activation::sigmoid);
  return layers;
}

// The 9 parameters / gradients in the order of kP0.
inline std::vector<Scalar*> params(std::vector<DenseLayer>& L) {
  return {&L[0].W(0, 0), &L[0].W(0, 1), &L[0].W(1, 0), &L[0].W(1, 1), &L[0].b(0), &L[0].b(1),
          &L[1].W(0, 0), &L[1].W(1, 0), &L[1].b(0)};
}
inline std::vector<Scalar*> grads(std::vector<DenseLayer>& L) {
  return {&L[0].dW(0, 0), &L[0].dW(0, 1), &L[0].dW(1, 0), &L[0].dW(1, 1), &L[0].db(0), &L[0].db(1),
          &L[1].dW(0, 0), &L[1].dW(1, 0), &L[1].db(0)};
}

// Runs two steps with the code under test; returns the parameters after step 1 and after step 2.
inline std::vector<std::vector<double>> run(const OptimizerConfig& c) {
  std::vector<DenseLayer> L = make_layers();
  Optimizer opt(c);
  opt.reset(L);
  std::vector<Scalar*> P = params(L), G = grads(L);
  for (size_t i = 0; i < P.size(); ++i) *P[i] = Scalar(kP0[i]);
  std::vector<std::vector<double>> out;
  for (const std::vector<double>* g : {&kG1, &kG2}) {
    for (size_t i = 0; i < G.size(); ++i) *G[i] = Scalar((*g)[i]);
    opt.step(L);
    std::vector<double> now;
    for (Scalar* p : P) now.push_back(*p);
    out.push_back(now);
  }
  EXPECT_EQ(opt.steps(), 2);
  return out;
}

inline void expect_steps(const std::vector<std::vector<double>>& got, const std::vector<std::vector<double>>& want,
                  const std::string& what) {
  for (int s = 0; s < 2; ++s)
    for (size_t i = 0; i < want[s].size(); ++i)
      EXPECT_NEAR(got[s][i], want[s][i], kRel * std::max(1.0, std::abs(want[s][i])))
          << what << ": step " << s + 1 << ", parameter " << i;
}

inline OptimizerConfig config(OptimizerKind kind, double lr) {
  OptimizerConfig c;
  c.kind = kind;
  c.learning_rate = lr;
  return c;
}

TEST(SUITE(OptimizerStep), Sgd) {
  const double lr = 0.1;
  std::vector<std::vector<double>> want(2);
  for (size_t i = 0; i < kP0.size(); ++i) {
    const double p1 = kP0[i] - lr * kG1[i];
    want[0].push_back(p1);
    want[1].push_back(p1 - lr * kG2[i]);
  }
  expect_steps(run(config(OptimizerKind::sgd, lr)), want, "sgd");
}

TEST(SUITE(OptimizerStep), Momentum) {
  const double lr = 0.1, mu = 0.8;
  OptimizerConfig c = config(OptimizerKind::momentum, lr);
  c.momentum = mu;
  std::vector<std::vector<double>> want(2);
  for (size_t i = 0; i < kP0.size(); ++i) {
    const double v1 = kG1[i];  // v = mu * 0 + g
    const double p1 = kP0[i] - lr * v1;
    const double v2 = mu * v1 + kG2[i];
    want[0].push_back(p1);
    want[1].push_back(p1 - lr * v2);
  }
  expect_steps(run(c), want, "momentum");
}

TEST(SUITE(OptimizerStep), Nesterov) {
  const double lr = 0.1, mu = 0.8;
  OptimizerConfig c = config(OptimizerKind::momentum, lr);
  c.momentum = mu;
  c.nesterov = true;
  std::vector<std::vector<double>> want(2);
  for (size_t i = 0; i < kP0.size(); ++i) {
    const double v1 = kG1[i];
    const double p1 = kP0[i] - lr * (kG1[i] + mu * v1);
    const double v2 = mu * v1 + kG2[i];
    want[0].push_back(p1);
    want[1].push_back(p1 - lr * (kG2[i] + mu * v2));
  }
  expect_steps(run(c), want, "nesterov");
}

// Adam with the default betas and two epsilons: 1e-8 (default) and 0.1, large enough that epsilon
// outside the square root (sqrt(v_hat) + eps) and inside (sqrt(v_hat + eps)) give different values.
TEST(SUITE(OptimizerStep), Adam) {
  for (double eps : {1e-8, 0.1}) {
    const double lr = 0.01, b1 = 0.9, b2 = 0.999;
    OptimizerConfig c = config(OptimizerKind::adam, lr);
    c.epsilon = eps;
    std::vector<std::vector<double>> want(2);
    for (size_t i = 0; i < kP0.size(); ++i) {
      const double m1 = (1 - b1) * kG1[i], v1 = (1 - b2) * kG1[i] * kG1[i];
      const double p1 = kP0[i] - lr * (m1 / (1 - b1)) / (std::sqrt(v1 / (1 - b2)) + eps);
      const double m2 = b1 * m1 + (1 - b1) * kG2[i], v2 = b2 * v1 + (1 - b2) * kG2[i] * kG2[i];
      const double p2 = p1 - lr * (m2 / (1 - b1 * b1)) / (std::sqrt(v2 / (1 - b2 * b2)) + eps);
      want[0].push_back(p1);
      want[1].push_back(p2);
    }
    expect_steps(run(c), want, "adam eps " + std::to_string(eps));
  }
}

// Adam's first step moves every parameter with a nonzero gradient by lr * g / (|g| + eps), almost
// exactly lr against the gradient's sign (the paper's "step size is bounded by lr").
TEST(SUITE(OptimizerStep), AdamFirstStepIsLearningRateSized) {
  OptimizerConfig c = config(OptimizerKind::adam, 0.01);
  const std::vector<std::vector<double>> got = run(c);
  for (size_t i = 0; i < kP0.size(); ++i) {
    const double moved = kP0[i] - got[0][i];
    const double want = kG1[i] == 0 ? 0 : 0.01 * (kG1[i] > 0 ? 1 : -1);
    EXPECT_NEAR(moved, want, 1e-6) << "parameter " << i;
  }
}

// L2 through the network: one linear unit, X = (1, 2), W = (0.5, 0.25)^T, b = 0, Y = 0, mse.
// Z = 0.5 + 0.5 = 1, dZ = 2 (A - Y) / (m n) = 2, so dW = X^T dZ + lambda W = (2 + 0.5 lambda, 4 + 0.25 lambda),
// db = 2 (no L2 on biases); then sgd: W -= lr dW.
TEST(SUITE(OptimizerStep), L2FoldedIntoGradientThenSgd) {
  const double lambda = 0.1, lr = 0.5;
  nnplay::Network net(2, {1}, {nnplay::Activation::linear}, nnplay::Loss::mse);
  net.layers()[0].W << 0.5, 0.25;
  net.layers()[0].b << 0;
  const std::vector<Scalar> X = {1, 2}, Y = {0};
  nnplay::Workspace ws;
  net.forward(X.data(), 1, ws);
  net.backward(X.data(), Y.data(), 1, ws, lambda);
  const double dW0 = 2 + 0.5 * lambda, dW1 = 4 + 0.25 * lambda;
  EXPECT_NEAR(net.layers()[0].dW(0, 0), dW0, kRel * 4);
  EXPECT_NEAR(net.layers()[0].dW(1, 0), dW1, kRel * 4);
  EXPECT_NEAR(net.layers()[0].db(0), 2.0, kRel * 4);
  Optimizer opt(config(OptimizerKind::sgd, lr));
  opt.reset(net.layers());
  opt.step(net.layers());
  EXPECT_NEAR(net.layers()[0].W(0, 0), 0.5 - lr * dW0, kRel * 4);
  EXPECT_NEAR(net.layers()[0].W(1, 0), 0.25 - lr * dW1, kRel * 4);
  EXPECT_NEAR(net.layers()[0].b(0), 0 - lr * 2.0, kRel * 4);
}

// reset() zeroes the state: after a reset, the next step is a first step again.
TEST(SUITE(OptimizerStep), ResetStartsOver) {
  std::vector<DenseLayer> L = make_layers();
  OptimizerConfig c = config(OptimizerKind::momentum, 0.1);
  Optimizer opt(c);
  opt.reset(L);
  std::vector<Scalar*> P = params(L), G = grads(L);
  for (size_t i = 0; i < P.size(); ++i) *P[i] = Scalar(kP0[i]), *G[i] = Scalar(kG1[i]);
  opt.step(L);
  opt.reset(L);
  EXPECT_EQ(opt.steps(), 0);
  for (size_t i = 0; i < P.size(); ++i) *P[i] = Scalar(kP0[i]);
  opt.step(L);  // v = g again, not mu g + g
  for (size_t i = 0; i < P.size(); ++i)
    EXPECT_NEAR(*P[i], kP0[i] - 0.1 * kG1[i], kRel * std::max(1.0, std::abs(kP0[i]))) << i;
}

}  // namespace optimizer_steps
