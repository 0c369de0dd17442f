// teach_test.cpp: the core calls behind the teaching views (issues 10 and 12), in the float build:
// the trace against a float64 computation of the seed network's formulas and against training bit
// for bit; live setting changes and mid-epoch saves against runs continued from a model file;
// batch stepping against whole epochs; weight editing; per-weight gradient check; gradient flow;
// neuron outputs over the heat-map grid.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "errors.h"
#include "trace.h"
#include "trainer.h"

namespace {

using json = nlohmann::json;
using nnplay::Matrix;
using nnplay::Scalar;
using nnplay::Trainer;
using MatD = Eigen::MatrixXd;

// A 2-3-2 relu/softmax network on xor (2 classes, one-hot targets), as the step-through shows it.
std::string seed_like(const std::string& optimizer, const std::string& extra = "") {
  return "{\"dataset\":{\"name\":\"xor\",\"samples\":40,\"test_ratio\":0.2},\"network\":{\"layers\":["
         "{\"units\":3,\"activation\":\"relu\"},{\"units\":2,\"activation\":\"softmax\"}]},\"loss\":\"cce\","
         "\"init\":\"he_normal\",\"optimizer\":" + optimizer + ",\"batch_size\":10,\"seed\":3" + extra + "}";
}

MatD to_d(const Matrix& M) { return M.cast<double>(); }

// |got - want| within float32 rounding of values of the size met here.
void expect_close(const Matrix& got, const MatD& want, const std::string& what, double tol = 2e-6) {
  ASSERT_EQ(got.rows(), want.rows()) << what;
  ASSERT_EQ(got.cols(), want.cols()) << what;
  for (Eigen::Index i = 0; i < got.rows(); ++i)
    for (Eigen::Index j = 0; j < got.cols(); ++j)
      EXPECT_NEAR(double(got(i, j)), want(i, j), tol * (1 + std::abs(want(i, j)))) << what << "[" << i << "][" << j << "]";
}

bool same_bits(const Matrix& a, const Matrix& b) {
  return a.rows() == b.rows() && a.cols() == b.cols() &&
         std::memcmp(a.data(), b.data(), size_t(a.size()) * sizeof(Scalar)) == 0;
}

nnplay::Trace trace_of(const Trainer& t, std::vector<int> samples) {
  nnplay::TraceRequest r;
  r.samples = std::move(samples);
  return t.trace(r);
}

// The seed's formulas in double, from the trace's own W, b, X, Y (seed_network.md), with the
// update of each optimizer written out.
TEST(Trace, EqualsTheSeedFormulasInDouble) {
  for (const std::string opt : {"{\"name\":\"sgd\",\"learning_rate\":0.5}",
                                "{\"name\":\"momentum\",\"learning_rate\":0.1,\"momentum\":0.8}",
                                "{\"name\":\"adam\",\"learning_rate\":0.01}"}) {
    SCOPED_TRACE(opt);
    Trainer t(seed_like(opt));
    t.train(2);  // nonzero biases and optimizer state
    const nnplay::Trace tr = trace_of(t, {0, 5, 7});
    const int m = 3;
    const MatD X = to_d(tr.X), Y = to_d(tr.Y);
    const MatD W1 = to_d(tr.layers[0].W), W2 = to_d(tr.layers[1].W);
    const Eigen::RowVectorXd b1 = to_d(tr.layers[0].b), b2 = to_d(tr.layers[1].b);
    // Forward: Z1 = X W1 + b1, A1 = relu(Z1), Z2 = A1 W2 + b2, A2 = softmax(Z2)
    const MatD Z1 = (X * W1).rowwise() + b1;
    const MatD A1 = Z1.cwiseMax(0.0);
    const MatD Z2 = (A1 * W2).rowwise() + b2;
    MatD A2(m, 2);
    for (int i = 0; i < m; ++i) {
      const double mx = Z2.row(i).maxCoeff();
      const Eigen::RowVectorXd e = (Z2.row(i).array() - mx).exp();
      A2.row(i) = e / e.sum();
    }
    double loss = 0;
    for (int i = 0; i < m; ++i)
      for (int j = 0; j < 2; ++j) loss -= Y(i, j) * std::log(A2(i, j));
    loss /= m;
    // Backward: dZ2 = (A2 - Y)/m, dW2 = A1^T dZ2, db2 = colsum dZ2, dA1 = dZ2 W2^T, dZ1 = dA1 [Z1 > 0], ...
    const MatD dZ2 = (A2 - Y) / m;
    const MatD dW2 = A1.transpose() * dZ2;
    const MatD db2 = dZ2.colwise().sum();
    const MatD dA1 = dZ2 * W2.transpose();
    const MatD dZ1 = dA1.array() * (Z1.array() > 0).cast<double>();
    const MatD dW1 = X.transpose() * dZ1;
    const MatD db1 = dZ1.colwise().sum();
    expect_close(tr.layers[0].Z, Z1, "Z1");
    expect_close(tr.layers[0].A, A1, "A1");
    expect_close(tr.layers[1].Z, Z2, "Z2");
    expect_close(tr.layers[1].A, A2, "A2");
    EXPECT_NEAR(tr.loss, loss, 2e-6 * (1 + loss));
    EXPECT_EQ(tr.layers[1].dA.size(), 0) << "softmax+cce is fused: no dA2";
    expect_close(tr.layers[1].dZ, dZ2, "dZ2");
    expect_close(tr.layers[1].dW, dW2, "dW2");
    expect_close(tr.layers[1].db, db2, "db2");
    expect_close(tr.layers[0].dA, dA1, "dA1");
    expect_close(tr.layers[0].dZ, dZ1, "dZ1");
    expect_close(tr.layers[0].dW, dW1, "dW1");
    expect_close(tr.layers[0].db, db1, "db1");
    // The update, from the state before the step (named *_prev in the trace).
    const MatD* dP[4] = {&dW1, &db1, &dW2, &db2};
    for (int l = 0; l < 2; ++l) {
      const nnplay::TraceUpdate& U = tr.update[l];
      auto state = [&](const std::string& name) -> MatD {
        for (const auto& [n, M] : U.state)
          if (n == name) return to_d(M);
        ADD_FAILURE() << "no " << name;
        return MatD();
      };
      for (int p = 0; p < 2; ++p) {
        const std::string P = p == 0 ? "W" : "b";
        const MatD before = p == 0 ? to_d(tr.layers[l].W) : to_d(tr.layers[l].b);
        const MatD after = p == 0 ? to_d(U.W) : to_d(U.b);
        const MatD& g = *dP[2 * l + p];
        const std::string what = P + std::to_string(l + 1);
        if (tr.optimizer == "sgd") {
          expect_close(p == 0 ? U.W : U.b, before - tr.learning_rate * g, what);
        } else if (tr.optimizer == "momentum") {
          const MatD v = tr.momentum * state("v_" + P + "_prev") + g;  // v = mu v + g
          expect_close(p == 0 ? U.W : U.b, before - tr.learning_rate * v, what);
          EXPECT_TRUE((state("v_" + P) - v).cwiseAbs().maxCoeff() < 1e-6) << what;
        } else {
          const MatD mm = tr.beta1 * state("m_" + P + "_prev") + (1 - tr.beta1) * g;
          const MatD vv = tr.beta2 * state("v_" + P + "_prev") + (1 - tr.beta2) * g.cwiseProduct(g);
          const double bc1 = 1 - std::pow(tr.beta1, double(tr.t)), bc2 = 1 - std::pow(tr.beta2, double(tr.t));
          EXPECT_NEAR(tr.bias_correction1, bc1, 1e-12);
          EXPECT_NEAR(tr.bias_correction2, bc2, 1e-12);
          const MatD m_hat = mm / bc1, v_hat = vv / bc2;
          EXPECT_LT((state("m_hat_" + P) - m_hat).cwiseAbs().maxCoeff(), 1e-5 * (1 + m_hat.cwiseAbs().maxCoeff())) << what;
          EXPECT_LT((state("v_hat_" + P) - v_hat).cwiseAbs().maxCoeff(), 1e-5 * (1 + v_hat.cwiseAbs().maxCoeff())) << what;
          const MatD step = tr.learning_rate * m_hat.array() / (v_hat.array().sqrt() + tr.epsilon);
          EXPECT_LT((after - (before - step)).cwiseAbs().maxCoeff(), 1e-6) << what;
        }
      }
    }
    EXPECT_EQ(tr.t, 2 * 4 + 1) << "2 epochs of 4 batches, then the trace's step";
  }
}

// Full batch without shuffling: the trace over all training samples is the next training step.
TEST(Trace, IsTheTrainingStepBitForBit) {
  for (const std::string opt : {"{\"name\":\"sgd\"}", "{\"name\":\"momentum\",\"nesterov\":true}", "{\"name\":\"adam\"}"}) {
    SCOPED_TRACE(opt);
    Trainer t(seed_like(opt, ",\"l2\":0.01,\"l1\":0.002,\"shuffle\":false,\"batch_size\":0"));
    t.train(3);
    std::vector<int> all;
    for (int i = 0; i < int(t.dataset().raw_train.rows()); ++i) all.push_back(i);
    const std::string before = t.export_model();
    const nnplay::Trace tr = trace_of(t, all);
    EXPECT_EQ(t.export_model(), before) << "the trace changed the trainer";
    t.train_epoch();
    for (size_t l = 0; l < tr.layers.size(); ++l) {
      EXPECT_TRUE(same_bits(tr.layers[l].dW, t.network().layers()[l].dW)) << "dW" << l + 1;
      EXPECT_TRUE(same_bits(tr.layers[l].db, t.network().layers()[l].db)) << "db" << l + 1;
      EXPECT_TRUE(same_bits(tr.update[l].W, t.network().layers()[l].W)) << "W" << l + 1 << " after the step";
      EXPECT_TRUE(same_bits(tr.update[l].b, t.network().layers()[l].b)) << "b" << l + 1 << " after the step";
    }
  }
}

// Editing W1[0][0] changes Z1's column 0 and everything downstream, nothing upstream.
TEST(Trace, AnEditedWeightFlowsDownstreamOnly) {
  Trainer t(seed_like("{\"name\":\"sgd\"}"));
  nnplay::TraceRequest r;
  r.samples = {1, 2};
  const nnplay::Trace a = t.trace(r);
  for (const auto& L : a.layers) r.W.push_back(L.W), r.b.push_back(L.b);
  r.W[0](0, 0) += Scalar(a.X(0, 0) > 0 ? 5 : -5);  // enough to switch relu unit 0 on for sample 1
  const nnplay::Trace b = t.trace(r);
  EXPECT_TRUE(same_bits(a.X, b.X));
  EXPECT_FALSE(same_bits(a.layers[0].Z.col(0), b.layers[0].Z.col(0)));
  EXPECT_TRUE(same_bits(a.layers[0].Z.rightCols(2), b.layers[0].Z.rightCols(2)));
  EXPECT_FALSE(same_bits(a.layers[1].A, b.layers[1].A));
  EXPECT_NE(a.loss, b.loss);
  // An edited input: X and the given Y are used as they are.
  nnplay::TraceRequest rx;
  rx.samples = {1};
  rx.X = Matrix::Constant(1, 2, Scalar(0.25));
  EXPECT_TRUE(same_bits(t.trace(rx).X, *rx.X));
  rx.Y = Matrix::Zero(1, 3);
  EXPECT_THROW(t.trace(rx), nnplay::Error);
}

TEST(Trace, RefusesBadRequests) {
  Trainer t(seed_like("{\"name\":\"sgd\"}"));
  auto msg = [&](std::vector<int> s) {
    try {
      trace_of(t, s);
    } catch (const nnplay::Error& e) {
      return std::string(e.what());
    }
    return std::string("(no error)");
  };
  EXPECT_EQ(msg({}), "trace: samples: 0 samples is not allowed (1 to 1000)");
  EXPECT_EQ(msg({0, 32}), "trace: samples: 32 is not allowed (a training sample, 0 to 31)");
  EXPECT_EQ(nnplay::parse_sample_list("0,5,12", "x"), (std::vector<int>{0, 5, 12}));
  EXPECT_THROW(nnplay::parse_sample_list("0,,5", "x"), nnplay::Error);
  EXPECT_THROW(nnplay::parse_sample_list("-1", "x"), nnplay::Error);
}

// The trace's JSON carries the formulas' names.
TEST(Trace, JsonNamesFollowTheFormulas) {
  Trainer t(seed_like("{\"name\":\"adam\"}", ",\"network\":{\"layers\":[{\"units\":3,\"activation\":\"tanh\"},"
                                             "{\"units\":1,\"activation\":\"sigmoid\"}]},\"loss\":\"mse\""));
  const json j = json::parse(nnplay::trace_to_json(trace_of(t, {4})));
  for (const char* k : {"samples", "m", "raw", "X", "Y", "layers", "loss_name", "loss", "objective", "update"})
    EXPECT_TRUE(j.contains(k)) << k;
  for (const char* k : {"W", "b", "Z", "A", "dA", "dZ", "dW", "db"}) EXPECT_TRUE(j["layers"][1].contains(k)) << k;
  EXPECT_FALSE(j["layers"][1]["dA"].is_null()) << "mse: dA_L is computed";
  for (const char* k : {"W", "b", "m_W", "v_W", "m_hat_W", "v_hat_W", "m_b", "v_b", "m_W_prev"})
    EXPECT_TRUE(j["update"]["layers"][0].contains(k)) << k;
  EXPECT_EQ(j["update"]["t"], 1);
  EXPECT_EQ(j["update"]["bias_correction1"].get<double>(), 1.0 - 0.9);
}

// Stepping batch by batch gives the epochs of train_epoch exactly (weights, metrics, gradient flow).
TEST(TrainBatch, EqualsTrainEpoch) {
  const std::string cfg = seed_like("{\"name\":\"adam\"}", ",\"batch_size\":7");
  Trainer a(cfg), b(cfg);
  for (int e = 0; e < 3; ++e) {
    const nnplay::EpochMetrics ma = a.train_epoch();
    nnplay::BatchResult r;
    int steps = 0;
    do r = b.train_batch(), ++steps; while (!r.finished);
    EXPECT_EQ(steps, 5) << "32 samples in batches of 7";
    const nnplay::EpochMetrics& mb = *r.finished;
    EXPECT_EQ(mb.epoch, ma.epoch);
    EXPECT_EQ(mb.loss, ma.loss);
    EXPECT_EQ(mb.accuracy, ma.accuracy);
    EXPECT_EQ(mb.test_loss, ma.test_loss);
    EXPECT_EQ(mb.grad_rms, ma.grad_rms);
    EXPECT_EQ(r.position, 32);
  }
  EXPECT_EQ(a.export_model(), b.export_model());
  // A train_epoch after some batch steps finishes the epoch begun.
  b.train_batch();
  EXPECT_EQ(b.epoch_position(), 7);
  const nnplay::EpochMetrics rest = b.train_epoch();
  EXPECT_EQ(rest.loss, a.train_epoch().loss);
  EXPECT_EQ(a.export_model(), b.export_model());
}

// "train 3 epochs at lr a, then 3 at lr b (and other live settings)" equals a run continued from
// the saved model with the second config, as `nnplay train --init` does; also across a mid-epoch save.
TEST(LiveChange, EqualsARunContinuedFromTheSavedModel) {
  const std::string first = seed_like("{\"name\":\"adam\",\"learning_rate\":0.01}");
  const std::string second = seed_like("{\"name\":\"adam\",\"learning_rate\":0.05,\"beta1\":0.8}",
                                       ",\"l2\":0.001,\"l1\":0.0005,\"batch_size\":5,\"shuffle\":true");
  Trainer live(first);
  live.train(3);
  live.update_settings(second);
  EXPECT_EQ(live.config().optimizer.learning_rate, 0.05);
  Trainer saved(first);
  saved.train(3);
  Trainer continued(second);
  EXPECT_EQ(continued.import_model(saved.export_model()), "");
  EXPECT_EQ(continued.epoch(), 3);
  for (int e = 0; e < 3; ++e) {
    const nnplay::EpochMetrics a = live.train_epoch(), b = continued.train_epoch();
    EXPECT_EQ(a.epoch, b.epoch);
    EXPECT_EQ(a.loss, b.loss);
    EXPECT_EQ(a.test_loss, b.test_loss);
  }
  EXPECT_EQ(live.export_model(), continued.export_model());
  // Saved mid-epoch (after two batch steps), continued elsewhere: the same epoch metrics.
  live.train_batch(), live.train_batch();
  Trainer later(second);
  later.import_model(live.export_model());
  EXPECT_EQ(later.epoch_position(), 10);
  const nnplay::EpochMetrics a = live.train_epoch(), b = later.train_epoch();
  EXPECT_EQ(a.loss, b.loss);
  EXPECT_EQ(a.accuracy, b.accuracy);
  EXPECT_EQ(a.grad_rms, b.grad_rms);
  EXPECT_EQ(live.export_model(), later.export_model());
}

TEST(LiveChange, RefusesFieldsThatNeedAFreshRun) {
  Trainer t(seed_like("{\"name\":\"adam\"}"));
  t.train(1);
  const std::string before = t.export_model();
  auto msg = [&](const std::string& cfg) {
    try {
      t.update_settings(cfg);
    } catch (const nnplay::Error& e) {
      return std::string(e.what());
    }
    return std::string("(no error)");
  };
  const std::string tail = ": changing it needs a fresh run (a running trainer takes a new learning_rate, "
                           "momentum, nesterov, beta1, beta2, epsilon, l2, l1, batch_size, shuffle, epochs)";
  EXPECT_EQ(msg(seed_like("{\"name\":\"momentum\"}")), "config: optimizer.name" + tail) << "only setOptimizer changes the kind";
  EXPECT_EQ(msg(seed_like("{\"name\":\"adam\"}", ",\"init\":\"xavier_normal\"")), "config: init" + tail);
  EXPECT_EQ(msg(seed_like("{\"name\":\"adam\"}", ",\"seed\":4")), "config: seed" + tail);
  EXPECT_EQ(msg("{\"dataset\":{\"name\":\"circle\"}}").substr(0, 21), "config: dataset.name:");
  EXPECT_EQ(msg(seed_like("{\"name\":\"adam\"}", ",\"network\":{\"layers\":[{\"units\":4,\"activation\":\"relu\"},"
                                                 "{\"units\":2,\"activation\":\"softmax\"}]}")),
            "config: network.layers[0].units" + tail);
  EXPECT_EQ(msg("{\"l2\": 7}"), "config: l2: 7 is not allowed (a number 0 to 1)");
  EXPECT_EQ(t.export_model(), before) << "a refused change changes nothing";
}

// Another optimizer goes on from the same weights, epoch and shuffling, its own state from zero
// (what the bindings' setOptimizer does after a divergence); the same kind keeps its state.
TEST(LiveChange, AnotherOptimizerStartsItsStateAfresh) {
  Trainer t(seed_like("{\"name\":\"adam\"}"));
  t.train(2);
  const json before = json::parse(t.export_model());
  t.update_settings(nnplay::parse_config(seed_like("{\"name\":\"momentum\",\"learning_rate\":0.02}")),
                    /*new_optimizer=*/true);
  const json after = json::parse(t.export_model());
  EXPECT_EQ(after["layers"], before["layers"]) << "the weights stay";
  EXPECT_EQ(after["training"]["epoch"], 2);
  EXPECT_EQ(after["training"]["optimizer"], "momentum");
  EXPECT_EQ(after["training"]["t"], 0);
  EXPECT_EQ(after["training"]["order"], before["training"]["order"]);
  for (const auto& L : after["training"]["layers"])
    for (const auto& row : L["v_W"])
      for (const auto& v : row) EXPECT_EQ(v, 0.0);
  EXPECT_EQ(t.train_epoch().epoch, 3);
  t.update_settings(seed_like("{\"name\":\"momentum\",\"learning_rate\":0.01}"));
  EXPECT_EQ(json::parse(t.export_model())["training"]["t"], 4) << "the same kind keeps its step count";
}

// Old model files (no training state) still load: weights only, a fresh optimizer, as before.
TEST(LiveChange, OldModelFilesLoadWeightsOnly) {
  Trainer a(seed_like("{\"name\":\"adam\"}"));
  a.train(2);
  json m = json::parse(a.export_model());
  ASSERT_TRUE(m.contains("training"));
  m.erase("training");
  Trainer b(seed_like("{\"name\":\"adam\"}"));
  EXPECT_EQ(b.import_model(m.dump()), "");
  EXPECT_EQ(b.epoch(), 0);
  EXPECT_EQ(json::parse(b.export_model())["training"]["t"], 0);
  Trainer c(seed_like("{\"name\":\"sgd\"}"));
  EXPECT_EQ(c.import_model(a.export_model()),
            "model: training state not used (it is for optimizer adam, this run uses sgd): the optimizer starts afresh");
  EXPECT_EQ(nnplay::model_to_json(nnplay::model_from_json(a.export_model())), a.export_model());
}

// A damaged training section is refused with the field named, and the trainer stays as it was.
TEST(LiveChange, RefusesABadTrainingState) {
  Trainer a(seed_like("{\"name\":\"momentum\"}"));
  a.train(1);
  const std::string before = a.export_model();
  auto refused = [&](const std::function<void(json&)>& edit) {
    json m = json::parse(before);
    edit(m);
    try {
      a.import_model(m.dump());
    } catch (const nnplay::Error& e) {
      return std::string(e.what());
    }
    return std::string("(no error)");
  };
  EXPECT_EQ(refused([](json& m) { m["training"]["order"][1] = m["training"]["order"][0]; }).substr(0, 26),
            "model: training.order[1]: ");
  EXPECT_EQ(refused([](json& m) { m["training"]["layers"][0].erase("v_W"); }), "model: training.layers[0].v_W: missing");
  EXPECT_EQ(refused([](json& m) { m["training"]["rng"] = json::array({1, 2, 3}); }),
            "model: training.rng: [1,2,3] is not allowed (4 unsigned 32-bit integers)");
  EXPECT_EQ(refused([](json& m) { m["training"]["t"] = -1; }),
            "model: training.t: -1 is not allowed (an integer 0 to 1125899906842624)");
  EXPECT_EQ(a.export_model(), before);
}

// An edited weight persists into training: the next epoch equals a run from the edited model.
TEST(SetParam, TrainingContinuesFromTheEditedWeight) {
  const std::string cfg = seed_like("{\"name\":\"momentum\"}", ",\"shuffle\":false");
  Trainer t(cfg);
  t.train(2);
  t.set_param(1, "W", 0, 0, 0.0);
  t.set_param(2, "b", 0, 1, -0.25);
  EXPECT_EQ(t.network().layers()[0].W(0, 0), Scalar(0));
  EXPECT_EQ(t.network().layers()[1].b(1), Scalar(-0.25));
  Trainer u(cfg);
  u.import_model(t.export_model());
  EXPECT_EQ(t.train_epoch().loss, u.train_epoch().loss);
  EXPECT_EQ(t.export_model(), u.export_model());
  EXPECT_THROW(t.set_param(3, "W", 0, 0, 1), nnplay::Error);
  EXPECT_THROW(t.set_param(1, "W", 2, 0, 1), nnplay::Error);
  EXPECT_THROW(t.set_param(1, "b", 0, 3, 1), nnplay::Error);
  EXPECT_THROW(t.set_param(1, "Z", 0, 0, 1), nnplay::Error);
  EXPECT_THROW(t.set_param(1, "W", 0, 0, NAN), nnplay::Error);
}

// One weight's check agrees with the per-tensor check on a small batch (the central difference in
// float64, gradient_check.h, so float64's step serves).
TEST(GradientCheckWeight, AgreesWithBackprop) {
  Trainer t(seed_like("{\"name\":\"sgd\"}", ",\"l2\":0.01"));
  t.train(2);
  for (const auto& g : t.gradient_check(nnplay::kGradCheckStep, 8)) EXPECT_LT(g.max_rel_error, 1e-3) << g.name;
  const nnplay::WeightCheck c = t.gradient_check_weight(2, "W", 1, 0, nnplay::kGradCheckStep, 8);
  EXPECT_EQ(c.h, nnplay::kGradCheckStep);
  EXPECT_LT(c.rel_error, 1e-3);
  EXPECT_NEAR(c.rel_error, std::abs(c.analytic - c.numeric) / std::max(std::abs(c.analytic) + std::abs(c.numeric), 1e-4),
              1e-15);
  EXPECT_THROW(t.gradient_check_weight(2, "W", 3, 0, 1e-3), nnplay::Error);
  EXPECT_THROW(t.gradient_check(1e-3, -1), nnplay::Error);
}

// Gradient flow: a deep sigmoid net's first layer gets far smaller gradients than its last; relu's do not.
double first_over_last(const std::string& act) {
  std::string layers;
  for (int l = 0; l < 5; ++l) layers += "{\"units\":8,\"activation\":\"" + act + "\"},";
  Trainer t("{\"dataset\":{\"name\":\"circle\",\"samples\":200},\"network\":{\"layers\":[" + layers +
            "{\"units\":1,\"activation\":\"sigmoid\"}]},\"loss\":\"bce\",\"init\":\"xavier_uniform\",\"seed\":2}");
  nnplay::EpochMetrics m;
  for (int e = 0; e < 5; ++e) m = t.train_epoch();
  EXPECT_EQ(m.grad_rms.size(), 6u);
  return m.grad_rms.front() / m.grad_rms.back();
}

TEST(GradientFlow, DeepSigmoidVanishesReluDoesNot) {
  const double sigmoid = first_over_last("sigmoid"), relu = first_over_last("relu");
  EXPECT_LT(sigmoid, 1.0 / 100) << "sigmoid first/last = " << sigmoid;
  EXPECT_GT(relu, 1.0 / 10) << "relu first/last = " << relu;
}

// Neuron outputs over the grid equal each neuron's activation computed in double from the weights.
TEST(NeuronGrid, EqualsTheActivationsFromTheWeights) {
  Trainer t("{\"dataset\":{\"name\":\"xor\",\"samples\":100},\"network\":{\"features\":[\"x1\",\"x2\",\"x1*x2\"],"
            "\"layers\":[{\"units\":4,\"activation\":\"tanh\"},{\"units\":3,\"activation\":\"sigmoid\"},"
            "{\"units\":1,\"activation\":\"sigmoid\"}]},\"loss\":\"bce\"}");
  t.train(5);
  const int nx = 7, ny = 5;
  const std::vector<Matrix> g = t.neuron_grid(-6, 6, -4, 4, nx, ny);
  ASSERT_EQ(g.size(), 3u);
  EXPECT_EQ(g[0].rows(), nx * ny);
  EXPECT_EQ(g[1].cols(), 3);
  const std::vector<Scalar> out = t.predict_grid(-6, 6, -4, 4, nx, ny);
  for (int k = 0; k < nx * ny; ++k) EXPECT_EQ(out[k], g[2](k, 0)) << "the output layer is predict_grid's";
  for (const int k : {0, 9, 17, 34}) {
    const double x1 = -6 + 12.0 * (k % nx) / (nx - 1), x2 = -4 + 8.0 * (k / nx) / (ny - 1);
    // The network's inputs (features, then standardisation), then each layer in double.
    const Scalar raw[2] = {Scalar(x1), Scalar(x2)};
    Matrix X(1, 3);
    nnplay::make_feature_map(t.config(), t.dataset()).apply(raw, 1, X.data());
    {
      const auto& L = t.network().layers()[0];
      const Eigen::RowVectorXd z = X.cast<double>() * L.W.cast<double>() + L.b.cast<double>();
      for (int j = 0; j < 4; ++j) EXPECT_NEAR(double(g[0](k, j)), std::tanh(z(j)), 1e-6) << "layer 1 unit " << j;
    }
    Eigen::RowVectorXd a = g[0].row(k).cast<double>();
    for (size_t l = 1; l < 3; ++l) {
      const auto& L = t.network().layers()[l];
      const Eigen::RowVectorXd z = a * L.W.cast<double>() + L.b.cast<double>();
      const Eigen::RowVectorXd want = (1.0 / (1.0 + (-z.array()).exp())).matrix();
      for (int j = 0; j < want.size(); ++j) EXPECT_NEAR(double(g[l](k, j)), want(j), 1e-6) << l << "," << j;
      a = want;
    }
  }
}

}  // namespace
