// optimizer.h: the update rules. Each reads a parameter's gradient (already holding the L2 term,
// lambda W, for weights) and its own state stored beside it in the layer (dense_layer.h).
//   sgd:      P -= lr g
//   momentum: v = mu v + g;  P -= lr v                 (PyTorch's form, Sutskever et al. 2013)
//   nesterov: v = mu v + g;  P -= lr (g + mu v)
//   adam:     m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2;
//             P -= lr (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)
//             Kingma and Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015 (epsilon outside
//             the square root, as in the paper's Algorithm 1); b^t by repeated products in double.
#pragma once
#include <string>
#include <vector>

#include "dense_layer.h"
#include "names.h"

namespace nnplay {

enum class OptimizerKind { sgd, momentum, adam };

inline const std::vector<std::string>& optimizer_names() {
  static const std::vector<std::string> names = {"sgd", "momentum", "adam"};
  return names;
}
inline std::string optimizer_name(OptimizerKind k) { return optimizer_names()[static_cast<int>(k)]; }
inline bool parse_optimizer(const std::string& s, OptimizerKind& out) { return parse_enum(optimizer_names(), s, out); }

struct OptimizerConfig {
  OptimizerKind kind = OptimizerKind::sgd;
  double learning_rate = 0.03;
  double momentum = 0.9;
  bool nesterov = false;
  double beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8;
};

class Optimizer {
 public:
  Optimizer() = default;
  explicit Optimizer(const OptimizerConfig& c) : c_(c) {}

  // Zeroes the state of every parameter and the step count.
  void reset(std::vector<DenseLayer>& layers) {
    t_ = 0;
    b1_power_ = b2_power_ = 1.0;
    for (DenseLayer& L : layers) {
      const bool velocity = c_.kind != OptimizerKind::sgd;
      const bool second = c_.kind == OptimizerKind::adam;
      L.sW.m = velocity ? Matrix::Zero(L.inputs(), L.units()) : Matrix();
      L.sb.m = velocity ? Matrix::Zero(1, L.units()) : Matrix();
      L.sW.v = second ? Matrix::Zero(L.inputs(), L.units()) : Matrix();
      L.sb.v = second ? Matrix::Zero(1, L.units()) : Matrix();
    }
  }

  // One step over all layers, last layer first (as the reference updates W2 before W1).
  void step(std::vector<DenseLayer>& layers) {
    ++t_;
    b1_power_ *= c_.beta1;
    b2_power_ *= c_.beta2;
    for (auto L = layers.rbegin(); L != layers.rend(); ++L) {
      update(L->W.data(), L->dW.data(), L->sW, L->W.size());
      update(L->b.data(), L->db.data(), L->sb, L->b.size());
    }
  }

  long steps() const { return t_; }
  const OptimizerConfig& config() const { return c_; }

  // A live change of the hyperparameters (learning rate, momentum, Nesterov, betas, epsilon): the
  // state and the step count stay. beta^t stays the running product of the betas actually used,
  // which is exactly the bias correction of moments averaged with changing betas. The kind must
  // not change (Trainer::update_settings makes a new Optimizer for another kind).
  void set_config(const OptimizerConfig& c) { c_ = c; }

  // The step count and the products b1^t, b2^t (double), for the trace and the model file.
  struct Counters {
    long t = 0;
    double b1_power = 1.0, b2_power = 1.0;
  };
  Counters counters() const { return {t_, b1_power_, b2_power_}; }
  void set_counters(const Counters& k) { t_ = k.t, b1_power_ = k.b1_power, b2_power_ = k.b2_power; }

  // Adam's bias-corrected moments of one parameter after step(), computed exactly as update() does:
  //   m_hat = m / (1 - b1^t),  v_hat = v / (1 - b2^t)
  void adam_hats(const ParamState& s, Matrix& m_hat, Matrix& v_hat) const {
    const Scalar bc1 = Scalar(1.0 - b1_power_), bc2 = Scalar(1.0 - b2_power_);
    m_hat.resize(s.m.rows(), s.m.cols());
    v_hat.resize(s.v.rows(), s.v.cols());
    for (Eigen::Index i = 0; i < s.m.size(); ++i) m_hat.data()[i] = s.m.data()[i] / bc1;
    for (Eigen::Index i = 0; i < s.v.size(); ++i) v_hat.data()[i] = s.v.data()[i] / bc2;
  }

 private:
  void update(Scalar* P, const Scalar* g, ParamState& s, Eigen::Index n) const {
    const Scalar lr = Scalar(c_.learning_rate);
    switch (c_.kind) {
      case OptimizerKind::sgd:
        for (Eigen::Index i = 0; i < n; ++i) P[i] = P[i] - lr * g[i];
        return;
      case OptimizerKind::momentum: {
        const Scalar mu = Scalar(c_.momentum);
        Scalar* v = s.m.data();  // velocity
        for (Eigen::Index i = 0; i < n; ++i) {
          v[i] = mu * v[i] + g[i];
          P[i] = c_.nesterov ? P[i] - lr * (g[i] + mu * v[i]) : P[i] - lr * v[i];
        }
        return;
      }
      case OptimizerKind::adam: {
        const Scalar b1 = Scalar(c_.beta1), b2 = Scalar(c_.beta2), eps = Scalar(c_.epsilon);
        const Scalar one_b1 = Scalar(1.0 - c_.beta1), one_b2 = Scalar(1.0 - c_.beta2);
        const Scalar bc1 = Scalar(1.0 - b1_power_), bc2 = Scalar(1.0 - b2_power_);
        Scalar* m = s.m.data();
        Scalar* v = s.v.data();
        for (Eigen::Index i = 0; i < n; ++i) {
          m[i] = b1 * m[i] + one_b1 * g[i];
          v[i] = b2 * v[i] + one_b2 * (g[i] * g[i]);
          const Scalar m_hat = m[i] / bc1, v_hat = v[i] / bc2;
          P[i] = P[i] - lr * m_hat / (std::sqrt(v_hat) + eps);
        }
        return;
      }
    }
  }

  OptimizerConfig c_;
  long t_ = 0;
  double b1_power_ = 1.0, b2_power_ = 1.0;
};

}  // namespace nnplay
