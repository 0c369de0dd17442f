// loss_convention_test.cpp: the per-epoch `loss` is the sample-weighted mean of the epoch's batch
// losses (Keras's convention: each batch's mean loss weighted by its size), not the plain mean of
// the batch losses. The two differ only when the last batch is short, so each case here has one.
// The expected values are computed independently, in double, by a from-scratch one-layer network
// (logistic regression with bce, linear regression with mse) trained by plain SGD on the same
// inputs, targets and initial weights, batch by batch in order (shuffle off). Each case also checks
// that the plain mean of the batch losses is clearly different, so the test can tell them apart.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "trainer.h"

namespace {

struct Expected {
  std::vector<double> weighted, plain;  // per epoch: sum_b mb L_b / m, and sum_b L_b / batches
};

// One dense layer (inputs -> 1) with a sigmoid + bce or a linear + mse output, SGD with lr, in double.
//   a = f(x w + b); bce: l = -(y log a + (1 - y) log(1 - a)); mse: l = (a - y)^2
//   dz = (a - y) / mb (bce) or 2 (a - y) / mb (mse); dw = sum_i x_i dz_i; db = sum_i dz_i
Expected train_by_hand(const nnplay::Trainer& t, int batch, double lr, int epochs) {
  const nnplay::Dataset& d = t.dataset();
  const int m = static_cast<int>(d.raw_train.rows()), n_in = t.network().inputs();
  nnplay::Matrix X(m, n_in);
  nnplay::make_feature_map(t.config(), d).apply(d.raw_train.data(), m, X.data());
  const nnplay::Matrix Y = nnplay::encode_targets(d.target_train, 1, d.task == "classification");
  const bool bce = t.config().loss == nnplay::Loss::bce;
  std::vector<double> w(n_in);
  for (int j = 0; j < n_in; ++j) w[j] = t.network().layers()[0].W(j, 0);
  double b = t.network().layers()[0].b(0, 0);
  Expected out;
  for (int e = 0; e < epochs; ++e) {
    double weighted = 0, plain = 0;
    int batches = 0;
    for (int start = 0; start < m; start += batch) {
      const int mb = std::min(batch, m - start);
      std::vector<double> dz(mb);
      double batch_loss = 0;
      for (int i = 0; i < mb; ++i) {
        double z = b;
        for (int j = 0; j < n_in; ++j) z += double(X(start + i, j)) * w[j];
        const double y = Y(start + i, 0);
        const double a = bce ? 1 / (1 + std::exp(-z)) : z;
        batch_loss += bce ? -(y * std::log(a) + (1 - y) * std::log(1 - a)) : (a - y) * (a - y);
        dz[i] = (bce ? 1.0 : 2.0) * (a - y) / mb;
      }
      for (int j = 0; j < n_in; ++j) {
        double dw = 0;
        for (int i = 0; i < mb; ++i) dw += double(X(start + i, j)) * dz[i];
        w[j] -= lr * dw;
      }
      double db = 0;
      for (int i = 0; i < mb; ++i) db += dz[i];
      b -= lr * db;
      weighted += batch_loss;  // mb * (batch mean)
      plain += batch_loss / mb;
      ++batches;
    }
    out.weighted.push_back(weighted / m);
    out.plain.push_back(plain / batches);
  }
  return out;
}

void check(const std::string& config, int batch, double lr) {
  nnplay::Trainer t(config);
  ASSERT_NE(t.dataset().raw_train.rows() % batch, 0) << "the case needs a short last batch";
  const Expected want = train_by_hand(t, batch, lr, 3);
  const std::vector<nnplay::EpochMetrics> got = t.train(3);
  for (size_t e = 0; e < got.size(); ++e) {
    EXPECT_NEAR(got[e].loss, want.weighted[e], 1e-5 * want.weighted[e]) << "epoch " << e + 1;
    EXPECT_GT(std::abs(want.plain[e] - want.weighted[e]), 1e-3 * want.weighted[e])
        << "epoch " << e + 1 << ": the two conventions agree here, so this case cannot tell them apart";
  }
}

// 10 samples in batches of 4, 4, 2.
TEST(LossConvention, BceShortLastBatchIsSampleWeighted) {
  check(R"({"dataset":{"name":"gaussians","samples":10,"test_ratio":0,"noise":0.5},)"
        R"("network":{"layers":[{"units":1,"activation":"sigmoid"}]},"loss":"bce",)"
        R"("optimizer":{"name":"sgd","learning_rate":0.5},"batch_size":4,"shuffle":false})",
        4, 0.5);
}

// 13 training samples in batches of 3, 3, 3, 3, 1.
TEST(LossConvention, MseShortLastBatchIsSampleWeighted) {
  check(R"({"dataset":{"name":"sine","samples":13,"test_ratio":0},"network":{"features":["x1"],)"
        R"("layers":[{"units":1,"activation":"linear"}]},"loss":"mse",)"
        R"("optimizer":{"name":"sgd","learning_rate":0.1},"batch_size":3,"shuffle":false})",
        3, 0.1);
}

}  // namespace
