// divergence.cpp: the reference loss of the divergence rule and the message (see divergence.h).
#include "divergence.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace nnplay {

double LossReference::value() const { return std::max({blank, start, 1e-12}); }

// Every row's outputs are a = f(0) (one row, the same for all samples); the loss of loss.h against
// each target row, summed in order and divided by m.
double blank_loss(Loss loss, Activation output, const Matrix& Y) {
  const int m = static_cast<int>(Y.rows()), n = static_cast<int>(Y.cols());
  if (m == 0) return 0;
  const Matrix Z = Matrix::Zero(1, n);
  Matrix A(1, n);
  activation_forward(output, Z.data(), A.data(), 1, n);
  double sum = 0;
  for (int i = 0; i < m; ++i) sum += loss_sums(loss, A.data(), Y.data() + size_t(i) * n, 1, n).loss;
  return sum / m;
}

std::string divergence_message(const DivergenceFacts& f) {
  char buf[200];
  std::string what;
  switch (f.kind) {
    case DivergenceFacts::loss_not_finite:
      what = std::isnan(f.loss) ? "the loss became NaN" : "the loss became infinite";
      break;
    case DivergenceFacts::weights_not_finite:
      what = "the weights became infinite or NaN";
      break;
    case DivergenceFacts::loss_rose: {
      const LossReference& r = f.reference;
      std::snprintf(buf, sizeof buf, "the loss rose to %.3g, over %g times %.3g (%s)", f.loss, kDivergenceFactor,
                    r.value(), r.blank >= r.start ? "the loss of a network that has learned nothing"
                                                  : "the loss of the weights training started from");
      what = buf;
      break;
    }
  }
  std::string cause;
  // Squared errors overflow float32 near (3.4e38)^(1/2) = 1.8e19; 1e15 leaves room for the sums.
  if (f.target_max > (sizeof(Scalar) == 4 ? 1e15 : 1e150)) {
    std::snprintf(buf, sizeof buf, "the regression targets reach %.3g, too large for %s arithmetic: rescale the target",
                  f.target_max, sizeof(Scalar) == 4 ? "float32" : "float64");
  } else {
    std::snprintf(buf, sizeof buf, "the learning rate %g is probably too high for %s: lower it and continue",
                  f.learning_rate, f.optimizer.c_str());
  }
  cause = buf;
  const std::string kept =
      f.epoch == 0 ? "the initial weights are kept" : "the weights of epoch " + std::to_string(f.epoch) + " are kept";
  return "training diverged at epoch " + std::to_string(f.epoch + 1) + ": " + what + "; " + cause + "; " + kept;
}

}  // namespace nnplay
