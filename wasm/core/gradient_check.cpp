// gradient_check.cpp: the central difference in float64 (see gradient_check.h) and the trainer's
// gradient checks built on it: per tensor (Trainer::gradient_check) and for one entry
// (Trainer::gradient_check_weight). Backprop is the trainer's own float32 pass.
#include "gradient_check.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "errors.h"
#include "trainer.h"

namespace nnplay {
namespace {

using MatrixD = CentralDifference::MatrixD;

// Z (m, n) = A (m, k) W (k, n) + b (1, n), each entry ((0 + A[i][0] W[0][j]) + ...) + b[j], in that
// order. Plain loops, not an Eigen product: Eigen picks its kernel (and may fuse multiply-adds) by
// instruction set, and the native and WebAssembly checks must agree to the bit.
void affine(const MatrixD& A, const MatrixD& W, const MatrixD& b, MatrixD& Z) {
  const Eigen::Index m = A.rows(), k = A.cols(), n = W.cols();
  Z.resize(m, n);
  for (Eigen::Index r = 0; r < m; ++r) {
    double* z = Z.data() + r * n;
    const double* a = A.data() + r * k;
    for (Eigen::Index j = 0; j < n; ++j) z[j] = 0.0;
    for (Eigen::Index p = 0; p < k; ++p) {
      const double* w = W.data() + p * n;
      for (Eigen::Index j = 0; j < n; ++j) z[j] = z[j] + a[p] * w[j];
    }
    for (Eigen::Index j = 0; j < n; ++j) z[j] = z[j] + b.data()[j];
  }
}

}  // namespace

double relative_error(double analytic, double numeric) {
  return std::abs(analytic - numeric) / std::max(std::abs(analytic) + std::abs(numeric), 1e-4);
}

CentralDifference::CentralDifference(const Network& net, const Scalar* X, const Scalar* Y, int m, double l2,
                                     double l1)
    : loss_(net.loss()), m_(m), l2_(l2), l1_(l1) {
  X_ = ConstMatrixMap(X, m, net.inputs()).cast<double>();
  Y_ = ConstMatrixMap(Y, m, net.outputs()).cast<double>();
  const size_t L = net.layers().size();
  W_.resize(L), b_.resize(L), Z_.resize(L), A_.resize(L);
  for (size_t l = 0; l < L; ++l) {
    const DenseLayer& D = net.layers()[l];
    W_[l] = D.W.cast<double>();
    b_[l] = D.b.cast<double>();
    f_.push_back(D.activation);
    // Z_l = A_{l-1} W_l + b_l, A_l = f_l(Z_l)                    (m, n_l)
    affine(l ? A_[l - 1] : X_, W_[l], b_[l], Z_[l]);
    A_[l].resize(m, D.units());
    activation_forward(f_[l], Z_[l].data(), A_[l].data(), m, D.units());
  }
}

double CentralDifference::loss_moved(int l, bool bias, int i, int j, double d) {
  // Z_l with column j moved: + d (b_l[j]) or + d A_{l-1}[:, i] (W_l[i][j])
  const MatrixD& A_prev = l ? A_[l - 1] : X_;
  z_ = Z_[l];
  for (int r = 0; r < m_; ++r) z_(r, j) = z_(r, j) + (bias ? d : d * A_prev(r, i));
  a_.resize(m_, z_.cols());
  activation_forward(f_[l], z_.data(), a_.data(), m_, int(z_.cols()));
  // The layers after l, from the moved A_l.
  for (size_t k = size_t(l) + 1; k < W_.size(); ++k) {
    affine(a_, W_[k], b_[k], z_);
    a_.resize(m_, z_.cols());
    activation_forward(f_[k], z_.data(), a_.data(), m_, int(z_.cols()));
  }
  return loss_sums(loss_, a_.data(), Y_.data(), m_, int(a_.cols())).loss / m_;
}

// (J(P + h) - J(P - h)) / 2h = (loss(P + h) - loss(P - h)) / 2h + (pen(w + h) - pen(w - h)) / 2h,
// pen(w) = lambda/2 w^2 + l1 |w| for a weight (biases carry no penalty).
double CentralDifference::slope(int l, bool bias, int i, int j, double h) {
  double d = (loss_moved(l, bias, i, j, h) - loss_moved(l, bias, i, j, -h)) / (2 * h);
  if (!bias) {
    const double w = W_[l](i, j);
    auto pen = [&](double x) { return 0.5 * l2_ * x * x + l1_ * std::abs(x); };
    d += (pen(w + h) - pen(w - h)) / (2 * h);
  }
  return d;
}

// ---- the trainer's checks ----------------------------------------------------------------------

namespace {
void check_step(double h) {
  if (!(h > 0 && h < 1)) throw Error("gradient_check: h: " + nlohmann::json(h).dump() + " is not allowed (a number > 0 and < 1)");
}
}  // namespace

// The checked samples: the first `samples` rows of the training split (0: all).
int Trainer::check_rows(int samples) const {
  const int m = data_->rows(false);
  if (samples < 0) throw Error("gradient_check: samples: " + std::to_string(samples) + " is not allowed (0 for all, or >= 1)");
  return samples == 0 || samples > m ? m : samples;
}

Matrix Trainer::check_inputs(int m) const {
  Matrix X(m, net_.inputs());
  gather_inputs(false, nullptr, 0, m, X.data());
  return X;
}

std::vector<Trainer::GradCheck> Trainer::gradient_check(double h, int samples) {
  check_step(h);
  const int m = check_rows(samples);
  const Matrix X = check_inputs(m);
  Workspace ws;
  net_.forward(X.data(), m, ws);
  net_.backward(X.data(), Y_train_.data(), m, ws, config_.l2, config_.l1);  // every dW, db
  CentralDifference numeric(net_, X.data(), Y_train_.data(), m, config_.l2, config_.l1);
  std::vector<GradCheck> out;
  for (size_t l = 0; l < net_.layers().size(); ++l) {
    const DenseLayer& L = net_.layers()[l];
    double worst_W = 0, worst_b = 0;
    for (int i = 0; i < L.inputs(); ++i)
      for (int j = 0; j < L.units(); ++j)
        worst_W = std::max(worst_W, relative_error(L.dW(i, j), numeric.slope(int(l), false, i, j, h)));
    for (int j = 0; j < L.units(); ++j)
      worst_b = std::max(worst_b, relative_error(L.db(j), numeric.slope(int(l), true, 0, j, h)));
    out.push_back({"W" + std::to_string(l + 1), worst_W});
    out.push_back({"b" + std::to_string(l + 1), worst_b});
  }
  return out;
}

WeightCheck Trainer::gradient_check_weight(int layer, const std::string& tensor, int row, int col, double h,
                                           int samples) {
  const DenseLayer& L = layer_at(layer, "gradient_check");
  const std::string name = tensor + std::to_string(layer);
  if (tensor != "W" && tensor != "b") throw Error("gradient_check: tensor \"" + tensor + "\" is not allowed (W or b)");
  const int rows = tensor == "W" ? L.inputs() : 1;
  if (row < 0 || row >= rows || col < 0 || col >= L.units())
    throw Error("gradient_check: " + name + "[" + std::to_string(row) + "][" + std::to_string(col) +
                "] is not allowed (" + name + " is " + std::to_string(rows) + " x " + std::to_string(L.units()) + ")");
  check_step(h);
  const int m = check_rows(samples);
  const Matrix X = check_inputs(m);
  Workspace ws;
  net_.forward(X.data(), m, ws);
  net_.backward(X.data(), Y_train_.data(), m, ws, config_.l2, config_.l1);
  CentralDifference numeric(net_, X.data(), Y_train_.data(), m, config_.l2, config_.l1);
  WeightCheck c;
  c.analytic = tensor == "W" ? L.dW(row, col) : L.db(col);
  c.h = h;
  c.numeric = numeric.slope(layer - 1, tensor == "b", row, col, h);
  c.rel_error = relative_error(c.analytic, c.numeric);
  return c;
}

}  // namespace nnplay
