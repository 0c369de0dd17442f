// trace.h: one forward + backward pass and one optimizer update on chosen training samples, with
// every intermediate kept, for the backprop step-through (the page) and `nnplay trace` (the CLI).
// It runs the training code itself (Network::forward, Network::backward, Optimizer::step) on copies
// of the trainer's network and optimizer, so its dW are the trainer's own gradients bit for bit on
// the same batch, and the trainer does not change. Names follow ../shared/reference/seed_network.md:
//   Z_l = A_{l-1} W_l + b_l,  A_l = f_l(Z_l),  A_0 = X                          (forward)
//   dZ_L = (A_L - Y) / m            (sigmoid+bce, softmax+cce, fused)
//   dA_L = 2 (A_L - Y) / (m n_L),  dZ_L = dA_L * f'(Z_L)      (mse; softmax: its Jacobian)
//   dW_l = A_{l-1}^T dZ_l (+ lambda W_l + l1 sign(W_l)),  db_l = column sums of dZ_l
//   dA_{l-1} = dZ_l W_l^T,  dZ_{l-1} = dA_{l-1} * f'(Z_{l-1})                   (backward)
// and the update of optimizer.h (sgd; momentum's v; Adam's m, v, m_hat, v_hat, t, 1 - b^t).
// What it is not: a second implementation of any of these formulas.
#pragma once
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "scalar.h"

namespace nnplay {

struct TraceRequest {
  std::vector<int> samples;     // rows of the training split (0-based), 1 to kMaxTraceSamples of them
  std::optional<Matrix> X, Y;   // replace the samples' network inputs (m, inputs) / targets (m, outputs)
  std::vector<Matrix> W;        // replace every layer's W_l (all layers or none)
  std::vector<Matrix> b;        // replace every layer's b_l, each (1, units) (all layers or none)
};
constexpr int kMaxTraceSamples = 1000;

struct TraceLayer {
  std::string activation;
  Matrix W, b, Z, A, dA, dZ, dW, db;  // dA is empty (0 x 0) for a fused output layer
};

struct TraceUpdate {
  Matrix W, b;  // after the step
  // The optimizer's state tensors after the step ("v_W", "v_b" for momentum; "m_W", "v_W", "m_hat_W",
  // "v_hat_W" and the same for b for adam), then before it ("v_W_prev", ...). Empty for sgd.
  std::vector<std::pair<std::string, Matrix>> state;
};

struct Trace {
  std::vector<int> samples;
  Matrix raw;   // the samples' raw inputs (m, raw dims), as in the data files (to find them on a plot)
  Matrix X, Y;  // network inputs (m, n_0) after features and standardisation; targets as the loss reads them
  std::vector<TraceLayer> layers;
  std::string loss_name;
  double loss = 0;       // mean per-sample loss of the m samples (as a training batch reports it)
  double objective = 0;  // loss + lambda/2 sum ||W||^2 + l1 sum |W|
  double l2 = 0, l1 = 0;
  // The update.
  std::string optimizer;
  double learning_rate = 0, momentum = 0, beta1 = 0, beta2 = 0, epsilon = 0;
  bool nesterov = false;
  long t = 0;                                        // the step count after this step
  double bias_correction1 = 1, bias_correction2 = 1;  // 1 - b1^t, 1 - b2^t (adam)
  std::vector<TraceUpdate> update;
};

// One JSON object (the format README.md's "Trace" section documents). Numbers are the float values
// exactly, written as the shortest decimal that reads back to the same double.
std::string trace_to_json(const Trace& trace);

// "0,5,7" -> {0, 5, 7}; throws Error naming `what` on anything else.
std::vector<int> parse_sample_list(const std::string& text, const std::string& what);

}  // namespace nnplay
