// gradient_check.h: the numeric side of the gradient check, the central difference, in float64.
// Trainer::gradient_check (defined in gradient_check.cpp) compares backprop's dJ/dP (float32, as
// training computes it) with (J(P + h) - J(P - h)) / 2h, where J is the mean loss over the checked
// samples plus lambda/2 sum ||W||^2 + l1 sum |W|.
//
// Why float64: J evaluated in float32 is rounded by about 6e-8 J, and the central difference divides
// that noise by 2h. With h = 1e-3 it is some 3e-5 J of absolute error, as large as a small gradient
// (a weight of the tanh/sigmoid net with dJ/dw = -6.5e-5 read -6.7e-5: relative error 1.6e-2); a
// larger h lowers the noise but raises the central difference's own error (about h^2/6 J'''), so no
// float32 h is good for every weight. Here both J are computed in double from the float32 weights,
// P +- h itself in double: rounding adds about 1e-16 J / 2h, so float64's usual h of 1e-5 works and
// the difference is the slope of the very function the float32 network computes. What is left is
// backprop's own float32 rounding, about 1e-7 of the gradient's terms.
//
// Not here: backprop (network.h) and the trainer's data (trainer.h).
#pragma once
#include <Eigen/Core>
#include <vector>

#include "network.h"

namespace nnplay {

// The step h the CLI's gradcheck and the page's check start with (see above for why it is small).
constexpr double kGradCheckStep = 1e-5;

// The relative error of an entry, |a - n| / max(|a| + |n|, 1e-4): entries with tiny gradients are
// compared in absolute terms. kRelErrorFormula is how the page writes it.
double relative_error(double analytic, double numeric);
inline constexpr const char* kRelErrorFormula = "|a - n| / max(|a| + |n|, 1e-4)";

// The central difference of J for one network on m samples, everything held in double.
// The layers before the moved parameter's are computed once (their outputs do not change), and
// moving W_l[i][j] by d moves only column j of Z_l, by d A_{l-1}[:, i] (b_l[j]: by d), exactly in
// real arithmetic; the layers after l are computed again.
class CentralDifference {
 public:
  using MatrixD = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

  // X (m, inputs), Y (m, outputs): the checked samples' network inputs and targets.
  CentralDifference(const Network& net, const Scalar* X, const Scalar* Y, int m, double l2, double l1);

  // (J(P + h) - J(P - h)) / 2h for P = W_l[i][j] (bias false) or b_l[j] (bias true, i = 0); l is
  // 0-based. The penalty terms of the other weights cancel, so only P's own is differenced.
  double slope(int l, bool bias, int i, int j, double h);

 private:
  // The mean data loss with column j of Z_l moved by d (times A_{l-1}[:, i] for a weight).
  double loss_moved(int l, bool bias, int i, int j, double d);

  Loss loss_;
  int m_;
  double l2_, l1_;
  std::vector<MatrixD> W_, b_;       // per layer: (n_{l-1}, n_l), (1, n_l)
  std::vector<Activation> f_;
  MatrixD X_, Y_;                    // (m, n_0), (m, n_L)
  std::vector<MatrixD> Z_, A_;       // per layer, the unmoved forward pass: (m, n_l)
  MatrixD z_, a_;                    // scratch: one moved layer
};

}  // namespace nnplay
