// loss.h: the losses, each value beside its gradient with respect to the output layer's Z.
// Sigmoid + bce and softmax + cce are fused: their gradient is exactly dZ = (A - Y) / m, which
// never divides by A. Values are summed in double in one fixed order (samples, then outputs).
//   mse: L = 1/(m n) sum_ij (A_ij - Y_ij)^2             dA = 2 (A - Y) / (m n), then dZ = dA f'(Z)
//   bce: L = -1/m sum_i [y log a + (1 - y) log(1 - a)]   dZ = (A - Y) / m   (sigmoid output, n = 1)
//   cce: L = -1/m sum_ij Y_ij log A_ij                   dZ = (A - Y) / m   (softmax output)
// log p is taken of max(p, 1e-12): outputs that underflow to 0 give a large finite loss, not inf.
#pragma once
#include <string>
#include <vector>

#include "detmath.h"
#include "scalar.h"
#include "names.h"

namespace nnplay {

enum class Loss { mse, bce, cce };

inline const std::vector<std::string>& loss_names() {
  static const std::vector<std::string> names = {"mse", "bce", "cce"};
  return names;
}
inline std::string loss_name(Loss l) { return loss_names()[static_cast<int>(l)]; }
inline bool parse_loss(const std::string& s, Loss& out) { return parse_enum(loss_names(), s, out); }

inline double clamped_log(double p) { return detmath::log(p > 1e-12 ? p : 1e-12); }

// What a batch's forward pass gives besides its loss: summed values, so epochs can average them.
struct LossSums {
  double loss = 0;       // sum over the batch's samples of the per-sample loss
  double reference = 0;  // sum over samples of -sum_j Y log(A + 1e-8) (the reference network's form)
  int correct = 0;       // samples whose predicted class is the true one (classification)
};

// Per-sample losses of A against Y, both (m, n), summed over the batch. T is Scalar for training;
// the gradient check (gradient_check.h) also evaluates it in double.
template <typename T>
inline LossSums loss_sums(Loss loss, const T* A, const T* Y, int m, int n) {
  LossSums s;
  for (int i = 0; i < m; ++i) {
    const T* a = A + size_t(i) * n;
    const T* y = Y + size_t(i) * n;
    double li = 0;
    switch (loss) {
      case Loss::mse:
        for (int j = 0; j < n; ++j) {
          const double d = double(a[j]) - double(y[j]);
          li += d * d;
        }
        li /= n;
        break;
      case Loss::bce:
        li = -(double(y[0]) * clamped_log(a[0]) + (1.0 - double(y[0])) * clamped_log(1.0 - double(a[0])));
        break;
      case Loss::cce:
        for (int j = 0; j < n; ++j)
          if (y[j] != T(0)) {
            li -= double(y[j]) * clamped_log(a[j]);
            s.reference -= double(y[j]) * detmath::log(double(a[j]) + 1e-8);
          }
        break;
    }
    s.loss += li;
  }
  return s;
}

// Gradient of the batch loss with respect to the output layer's A (mse) or Z (fused bce, cce).
// For mse the caller then multiplies by the output activation's derivative.
inline void loss_gradient(Loss loss, const Scalar* A, const Scalar* Y, Scalar* grad, int m, int n) {
  const size_t size = size_t(m) * n;
  if (loss == Loss::mse) {
    const Scalar scale = Scalar(2) / (Scalar(m) * Scalar(n));
    for (size_t i = 0; i < size; ++i) grad[i] = scale * (A[i] - Y[i]);
  } else {
    for (size_t i = 0; i < size; ++i) grad[i] = (A[i] - Y[i]) / Scalar(m);
  }
}

}  // namespace nnplay
