// network.h: a stack of dense layers with forward propagation and backpropagation side by side.
// Shapes, for a batch of m samples and layer l with n_{l-1} inputs and n_l units:
//   A_0 = X (m, n_0);  Z_l = A_{l-1} W_l + b_l (m, n_l);  A_l = f_l(Z_l) (m, n_l)
// All activations live in a Workspace sized once for the largest batch, so a training step
// allocates nothing; the products go through kernel.h.
#pragma once
#include <vector>

#include "dense_layer.h"
#include "loss.h"
#include "scalar.h"

namespace nnplay {

// Buffers of one forward/backward pass, for up to `capacity` samples.
struct Workspace {
  int capacity = 0;
  std::vector<Matrix> Z, A;  // per layer: (capacity, n_l)
  std::vector<Matrix> dZ;    // per layer: (capacity, n_l); dZ[l] also holds dA_l before f' is applied
  std::vector<Matrix> WT;    // per layer: (n_l, n_{l-1}), W_l transposed for dA_{l-1} = dZ_l W_l^T
};

class Network {
 public:
  Network() = default;
  Network(int inputs, const std::vector<int>& units, const std::vector<Activation>& activations, Loss loss);

  std::vector<DenseLayer>& layers() { return layers_; }
  const std::vector<DenseLayer>& layers() const { return layers_; }
  Loss loss() const { return loss_; }
  int inputs() const { return layers_.front().inputs(); }
  int outputs() const { return layers_.back().units(); }

  // Grows ws to hold batches of m samples (allocates only when it must grow).
  void reserve(Workspace& ws, int m) const;

  // Forward propagation of X (m, inputs); returns A_L (the first m rows of ws.A.back()).
  const Scalar* forward(const Scalar* X, int m, Workspace& ws) const;

  // Backpropagation after forward(X, m, ws): fills every layer's dW, db from targets Y (m, outputs).
  // The L2 term lambda W and the L1 term l1 sign(W) are added to dW (the objective is
  // loss + lambda/2 sum ||W||^2 + l1 sum |W|). If dA is given (the trace, trace.h), it receives each
  // layer's dA_l (m, n_l) before f' is applied; the output layer's stays empty when its gradient is
  // fused (sigmoid+bce, softmax+cce compute dZ_L directly).
  void backward(const Scalar* X, const Scalar* Y, int m, Workspace& ws, double l2, double l1 = 0,
                std::vector<Matrix>* dA = nullptr);

 private:
  std::vector<DenseLayer> layers_;
  Loss loss_ = Loss::mse;
};

}  // namespace nnplay
