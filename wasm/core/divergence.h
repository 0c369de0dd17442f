// divergence.h: when a training run has diverged, and the message that says why.
// Trainer::train_batch applies the rule; on it the trainer goes back to the start of the epoch and
// throws nnplay::Divergence (errors.h) with divergence_message.
//
// The rule. Training has diverged when
//   1. a batch's loss, or a weight after the epoch, is NaN or infinite (float32 overflowed), or
//   2. with a cross-entropy (bce, cce), the epoch's loss exceeds kDivergenceFactor = 10 times the
//      reference L_ref = max(L_blank, L_start):
//      L_blank is the loss of a network that has learned nothing, every output unit's Z = 0 so that
//        A = f(0) (sigmoid 1/2, softmax 1/K): ln 2 for two classes with bce, ln K for K balanced classes;
//      L_start is the loss of the weights training (re)started from, on the first kLossStartRows training
//        samples, measured at the next batch after a new run, a loaded model, an edited weight or new
//        optimizer settings (so a run whose initialisation starts far above L_blank, or that goes on
//        from weights a divergence left, is measured from there; the same settings again meet the same
//        reference, and diverge again the same way).
// Why rule 2: a cross-entropy is bounded per sample (the clamped log of loss.h: at most -ln 1e-12 = 27.6)
// and its gradient (A - Y) / m is bounded too, so however large the step nothing overflows: at learning
// rate 10 the page's default network (8 tanh, 8 tanh, sigmoid) on the spiral saturates within an epoch
// and its loss then swings between 8.7 and 14 times ln 2 for good, at chance accuracy, with finite
// weights. Why 10: a loss ten times that of knowing nothing needs many confident mistakes; a network
// that learns stays near or below L_blank. Measured on that network, 200 epochs each at rates 0.03 to 10:
// the runs that ended below ln 2 never rose above 1.3 ln 2, and 180 runs of three networks (tanh/bce,
// deep relu/cce, sigmoid/mse) on five datasets at rates 0.01 to 0.3 with sgd, momentum and adam never
// fired (tests/cpp/divergence_test.cpp keeps a sample, and the parity configs and seed preset).
// Why not mse: an unbounded output's squared error grows geometrically when it diverges and overflows
// within a few epochs (rule 1), while a healthy first epoch may spike: a relu network on the
// unstandardised plane at adam 0.3 starts at 138 (29 times its start), then learns to 0.02. With a
// bounded output (sigmoid, tanh, softmax) mse cannot reach 10 times its L_blank at all.
#pragma once
#include <string>

#include "activation.h"
#include "loss.h"
#include "scalar.h"

namespace nnplay {

constexpr double kDivergenceFactor = 10;
constexpr int kLossStartRows = 1024;

// What rule 2 measures against (see above). value() = max(blank, start, 1e-12): a floor so that
// targets that are all 0 and an exact start do not make every loss a divergence.
struct LossReference {
  double blank = 0;  // L_blank
  double start = 0;  // L_start
  double value() const;
};

// L_blank: the mean loss over the targets Y (m, n) of the outputs A = f(0) of every output unit.
double blank_loss(Loss loss, Activation output, const Matrix& Y);

// Rule 2 for an epoch's loss (never with mse, see above).
inline bool loss_too_high(Loss loss, double epoch_loss, const LossReference& r) {
  return loss != Loss::mse && epoch_loss > kDivergenceFactor * r.value();
}

// What went wrong, for the message.
struct DivergenceFacts {
  enum Kind { loss_not_finite, weights_not_finite, loss_rose } kind = loss_not_finite;
  double loss = 0;             // the batch loss (loss_not_finite) or the epoch's loss
  LossReference reference;     // loss_rose
  int epoch = 0;               // epochs finished with finite weights (the failed one is epoch + 1)
  double target_max = 0;       // the largest |target| of a regression, else 0
  double learning_rate = 0;
  std::string optimizer;       // its name
};

// "training diverged at epoch 2: the loss rose to 8.97, over 10 times 0.693 (the loss of a network
// that has learned nothing); the learning rate 10 is probably too high for sgd: lower it and continue;
// the weights of epoch 1 are kept". Causes, most specific first: regression targets so large that
// their squared error overflows the float arithmetic (no rate helps: the data needs rescaling), else
// the step size.
std::string divergence_message(const DivergenceFacts& f);

}  // namespace nnplay
