// divergence_test.cpp: the divergence rule (divergence.h). Known answers: the loss of a network that
// has learned nothing (ln 2, ln 3, mean(Y^2), 1/4), the factor 10 and its floor, the message. Then
// the case that needed rule 2: the page's default network on the spiral with SGD at learning rate 10
// stays finite but saturates; it stops at epoch 2 with the epoch-1 weights kept, and a lower rate
// continues from them. Healthy runs (every dataset's default network, the seed preset) never fire;
// tests/node/parity.test.mjs checks the parity configs the same way (exit 0, every epoch printed).
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "divergence.h"
#include "trainer.h"

namespace {

using nnplay::Activation;
using nnplay::Loss;
using nnplay::LossReference;
using nnplay::Matrix;

Matrix rows(int m, int n, std::initializer_list<float> v) {
  Matrix Y(m, n);
  int i = 0;
  for (float x : v) Y.data()[i++] = x;
  return Y;
}

TEST(Divergence, BlankLossKnownAnswers) {
  // sigmoid(0) = 1/2 on two classes: -ln(1/2) per sample, whatever the balance.
  EXPECT_NEAR(nnplay::blank_loss(Loss::bce, Activation::sigmoid, rows(4, 1, {1, 0, 0, 1})), std::log(2.0), 1e-12);
  EXPECT_NEAR(nnplay::blank_loss(Loss::bce, Activation::sigmoid, rows(3, 1, {1, 1, 0})), std::log(2.0), 1e-12);
  // softmax(0) = 1/3 on three one-hot classes: ln 3 (1/3 rounded to float32: within 3e-8).
  EXPECT_NEAR(nnplay::blank_loss(Loss::cce, Activation::softmax, rows(3, 3, {1, 0, 0, 0, 1, 0, 0, 0, 1})),
              std::log(3.0), 4e-8);
  // linear(0) = 0 with mse: mean(Y^2) = (1 + 4 + 9) / 3.
  EXPECT_NEAR(nnplay::blank_loss(Loss::mse, Activation::linear, rows(3, 1, {1, -2, 3})), 14.0 / 3, 1e-12);
  // sigmoid(0) = 1/2 with mse on 0/1 targets: 1/4.
  EXPECT_NEAR(nnplay::blank_loss(Loss::mse, Activation::sigmoid, rows(2, 1, {0, 1})), 0.25, 1e-15);
}

TEST(Divergence, TenTimesTheLargerReferenceWithCrossEntropies) {
  const LossReference r{0.5, 0.2};
  EXPECT_EQ(r.value(), 0.5);
  for (Loss loss : {Loss::bce, Loss::cce}) {
    EXPECT_FALSE(nnplay::loss_too_high(loss, 5.0, r));
    EXPECT_TRUE(nnplay::loss_too_high(loss, 5.0001, r));
  }
  EXPECT_FALSE(nnplay::loss_too_high(Loss::mse, 1e30, r)) << "mse: rule 1 only";
  EXPECT_EQ((LossReference{0.1, 3.0}).value(), 3.0);
  EXPECT_EQ((LossReference{0, 0}).value(), 1e-12);
}

TEST(Divergence, Messages) {
  nnplay::DivergenceFacts f;
  f.kind = nnplay::DivergenceFacts::loss_rose;
  f.loss = 8.973;
  f.reference = {0.6931, 0.7012};
  f.epoch = 1;
  f.learning_rate = 10;
  f.optimizer = "sgd";
  EXPECT_EQ(nnplay::divergence_message(f),
            "training diverged at epoch 2: the loss rose to 8.97, over 10 times 0.701 (the loss of the weights "
            "training started from); the learning rate 10 is probably too high for sgd: lower it and continue; "
            "the weights of epoch 1 are kept");
  f.reference = {0.6931, 0.5};
  f.epoch = 0;
  EXPECT_EQ(nnplay::divergence_message(f),
            "training diverged at epoch 1: the loss rose to 8.97, over 10 times 0.693 (the loss of a network that "
            "has learned nothing); the learning rate 10 is probably too high for sgd: lower it and continue; "
            "the initial weights are kept");
  f.kind = nnplay::DivergenceFacts::loss_not_finite;
  f.loss = INFINITY;
  f.target_max = 3e38;
  EXPECT_EQ(nnplay::divergence_message(f),
            "training diverged at epoch 1: the loss became infinite; the regression targets reach 3e+38, too large "
            "for float32 arithmetic: rescale the target; the initial weights are kept");
}

// The page's defaults (8 tanh, 8 tanh, 1 sigmoid, bce, batch 10) on the spiral, SGD at rate 10: no NaN,
// no infinity, but the loss leaps to 5.5 in epoch 1 and 9.0 in epoch 2 (13 ln 2), at chance accuracy.
const char* kSpiralRate10 = "{\"dataset\":{\"name\":\"spiral\"},\"optimizer\":{\"name\":\"sgd\",\"learning_rate\":10},\"epochs\":100}";

TEST(Divergence, SpiralSgdRate10StopsAtEpoch2AndALowerRateContinues) {
  nnplay::Trainer t(kSpiralRate10);
  const nnplay::EpochMetrics first = t.train_epoch();
  EXPECT_GT(first.loss, 5 * std::log(2.0));  // already far off, but under the factor
  const std::string kept = t.export_model();
  try {
    t.train_epoch();
    FAIL() << "no divergence at epoch 2";
  } catch (const nnplay::Divergence& d) {
    EXPECT_EQ(d.epoch, 1);
    const std::string m = d.what();
    EXPECT_EQ(m.rfind("training diverged at epoch 2: the loss rose to ", 0), 0u) << m;
    // The initial weights' loss (xavier, small outputs) is below ln 2: the reference is ln 2.
    EXPECT_NE(m.find(", over 10 times 0.693 (the loss of a network that has learned nothing)"), std::string::npos) << m;
    const std::string tail = "; the learning rate 10 is probably too high for sgd: lower it and continue; "
                             "the weights of epoch 1 are kept";
    EXPECT_EQ(m.substr(m.size() - std::min(m.size(), tail.size())), tail) << m;
  }
  EXPECT_EQ(t.epoch(), 1);
  EXPECT_EQ(t.export_model(), kept);
  // The same rate again meets the same reference and the same epoch: it diverges the same way.
  EXPECT_THROW(t.train_epoch(), nnplay::Divergence);
  EXPECT_EQ(t.export_model(), kept);
  // A lower rate: the reference is measured again from the kept weights; training goes on.
  nnplay::Config slow = t.config();
  slow.optimizer.learning_rate = 0.03;
  t.update_settings(slow);
  for (int e = 2; e <= 11; ++e) EXPECT_EQ(t.train_epoch().epoch, e);
}

// Healthy runs never fire: every built-in 2-D/1-D dataset with the default network (and the
// regression ones with a linear output and mse), 100 epochs; the seed preset; a relu network on the
// unstandardised plane at adam 0.3, whose first epoch's loss (138) is 29 times its start, then learns.
TEST(Divergence, HealthyRunsNeverFire) {
  const std::string classify = ",\"epochs\":100}";
  const std::string regress = ",\"network\":{\"layers\":[{\"units\":8,\"activation\":\"tanh\"},{\"units\":1,"
                              "\"activation\":\"linear\"}]},\"loss\":\"mse\",\"epochs\":100}";
  for (const std::string& c :
       {"{\"dataset\":{\"name\":\"xor\"}" + classify, "{\"dataset\":{\"name\":\"circle\"}" + classify,
        "{\"dataset\":{\"name\":\"gaussians\"}" + classify, "{\"dataset\":{\"name\":\"spiral\"}" + classify,
        "{\"dataset\":{\"name\":\"moons\"}" + classify, "{\"dataset\":{\"name\":\"sine\"}" + regress,
        "{\"dataset\":{\"name\":\"plane\"}" + regress,
        std::string("{\"dataset\":{\"name\":\"spiral\",\"arms\":3,\"samples\":300,\"test_ratio\":0},\"network\":"
                    "{\"layers\":[{\"units\":64,\"activation\":\"relu\"},{\"units\":3,\"activation\":\"softmax\"}]},"
                    "\"loss\":\"cce\",\"init\":\"he_normal\",\"optimizer\":{\"name\":\"sgd\",\"learning_rate\":0.01},"
                    "\"batch_size\":0,\"shuffle\":false,\"epochs\":100}"),
        std::string("{\"dataset\":{\"name\":\"plane\",\"standardize\":false},\"network\":{\"layers\":[{\"units\":32,"
                    "\"activation\":\"relu\"},{\"units\":32,\"activation\":\"relu\"},{\"units\":1,\"activation\":"
                    "\"linear\"}]},\"loss\":\"mse\",\"init\":\"he_normal\",\"optimizer\":{\"name\":\"adam\","
                    "\"learning_rate\":0.3},\"epochs\":150}")}) {
    SCOPED_TRACE(c);
    nnplay::Trainer t(c);
    EXPECT_NO_THROW(t.train(t.config().epochs));
  }
}

// An edited weight restarts the reference: a weight set far off makes the loss jump, which is the
// learner's doing, not the step size's; training goes on from it.
TEST(Divergence, AnEditedWeightIsANewStart) {
  nnplay::Trainer t("{\"dataset\":{\"name\":\"xor\"},\"epochs\":10}");
  t.train(2);
  t.set_param(3, "W", 0, 0, 200);
  EXPECT_NO_THROW(t.train(3));
}

}  // namespace
