// dense_layer.h: one fully connected layer, its parameters, their gradients, and the optimizer
// state that belongs to each parameter (kept beside it, not in a map elsewhere).
// The layer owns no activations: those live in a Workspace (network.h) so one network can run a
// training batch and an evaluation at once without reallocating either.
#pragma once
#include "activation.h"
#include "scalar.h"

namespace nnplay {

// Optimizer state of one parameter tensor: momentum's velocity (v), Adam's first (m) and
// second (v) moments. Sized like the parameter; unused parts stay empty.
struct ParamState {
  Matrix m, v;
};

struct DenseLayer {
  Matrix W;       // (inputs, units): Z = A_prev W + b, as in the reference network
  RowVector b;    // (1, units)
  Matrix dW;      // (inputs, units): d loss / d W of the last backward pass
  RowVector db;   // (1, units)
  ParamState sW, sb;
  Activation activation = Activation::linear;

  DenseLayer() = default;
  DenseLayer(int inputs, int units, Activation f)
      : W(Matrix::Zero(inputs, units)), b(RowVector::Zero(units)), dW(Matrix::Zero(inputs, units)),
        db(RowVector::Zero(units)), activation(f) {}

  int inputs() const { return static_cast<int>(W.rows()); }
  int units() const { return static_cast<int>(W.cols()); }
};

}  // namespace nnplay
