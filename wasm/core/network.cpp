// network.cpp: forward propagation and backpropagation for Network (see network.h).
#include "network.h"

#include "kernel.h"

namespace nnplay {

Network::Network(int inputs, const std::vector<int>& units, const std::vector<Activation>& activations,
                 Loss loss)
    : loss_(loss) {
  int n_prev = inputs;
  for (size_t l = 0; l < units.size(); ++l) {
    layers_.emplace_back(n_prev, units[l], activations[l]);
    n_prev = units[l];
  }
}

void Network::reserve(Workspace& ws, int m) const {
  if (ws.capacity >= m && ws.Z.size() == layers_.size()) {
    bool same = true;
    for (size_t l = 0; l < layers_.size(); ++l) same = same && ws.Z[l].cols() == layers_[l].units();
    if (same) return;
  }
  const size_t L = layers_.size();
  ws.capacity = m > ws.capacity ? m : ws.capacity;
  ws.Z.resize(L), ws.A.resize(L), ws.dZ.resize(L), ws.WT.resize(L);
  for (size_t l = 0; l < L; ++l) {
    ws.Z[l].resize(ws.capacity, layers_[l].units());
    ws.A[l].resize(ws.capacity, layers_[l].units());
    ws.dZ[l].resize(ws.capacity, layers_[l].units());
    ws.WT[l].resize(layers_[l].units(), layers_[l].inputs());
  }
}

const Scalar* Network::forward(const Scalar* X, int m, Workspace& ws) const {
  reserve(ws, m);
  const Scalar* A_prev = X;  // (m, n_{l-1})
  for (size_t l = 0; l < layers_.size(); ++l) {
    const DenseLayer& L = layers_[l];
    // Z_l = A_{l-1} W_l + b_l                                    (m, n_l)
    kernel::gemm(m, L.units(), L.inputs(), A_prev, L.inputs(), 1, L.W.data(), L.b.data(), ws.Z[l].data());
    // A_l = f_l(Z_l)                                              (m, n_l)
    activation_forward(L.activation, ws.Z[l].data(), ws.A[l].data(), m, L.units());
    A_prev = ws.A[l].data();
  }
  return A_prev;
}

namespace {
// The trace's copy of dA_l (m, n_l), taken before f' overwrites it in place.
void keep_dA(std::vector<Matrix>* dA, int l, const Scalar* data, int m, int n) {
  if (dA) (*dA)[l] = ConstMatrixMap(data, m, n);
}
}  // namespace

void Network::backward(const Scalar* X, const Scalar* Y, int m, Workspace& ws, double l2, double l1,
                       std::vector<Matrix>* dA) {
  const int last = static_cast<int>(layers_.size()) - 1;
  if (dA) dA->assign(layers_.size(), Matrix());
  // Output layer. Fused sigmoid+bce, softmax+cce: dZ_L = (A_L - Y) / m.
  // mse: dA_L = 2 (A_L - Y) / (m n_L), then dZ_L = dA_L * f'(Z_L) (softmax: its Jacobian, activation.h).
  loss_gradient(loss_, ws.A[last].data(), Y, ws.dZ[last].data(), m, outputs());
  if (loss_ == Loss::mse) {
    keep_dA(dA, last, ws.dZ[last].data(), m, outputs());
    activation_backward(layers_[last].activation, ws.Z[last].data(), ws.A[last].data(), ws.dZ[last].data(),
                        ws.dZ[last].data(), m, outputs());
  }

  for (int l = last; l >= 0; --l) {
    DenseLayer& L = layers_[l];
    const Scalar* A_prev = l > 0 ? ws.A[l - 1].data() : X;  // (m, n_{l-1})
    const Scalar* dZ = ws.dZ[l].data();                      // (m, n_l)
    // dW_l = A_{l-1}^T dZ_l + lambda W_l + l1 sign(W_l)         (n_{l-1}, n_l)
    kernel::gemm(L.inputs(), L.units(), m, A_prev, 1, L.inputs(), dZ, nullptr, L.dW.data());
    if (l2 != 0) L.dW.array() += Scalar(l2) * L.W.array();
    if (l1 != 0) L.dW.array() += Scalar(l1) * L.W.array().sign();
    // db_l = sum over samples of dZ_l                            (1, n_l)
    kernel::colsum(m, L.units(), dZ, L.db.data());
    if (l == 0) break;
    // dA_{l-1} = dZ_l W_l^T                                      (m, n_{l-1})
    kernel::transpose(L.inputs(), L.units(), L.W.data(), ws.WT[l].data());
    Scalar* dA_prev = ws.dZ[l - 1].data();
    kernel::gemm(m, L.inputs(), L.units(), dZ, L.units(), 1, ws.WT[l].data(), nullptr, dA_prev);
    keep_dA(dA, l - 1, dA_prev, m, L.inputs());
    // dZ_{l-1} = dA_{l-1} * f'_{l-1}(Z_{l-1})                    (m, n_{l-1})
    const DenseLayer& P = layers_[l - 1];
    activation_backward(P.activation, ws.Z[l - 1].data(), ws.A[l - 1].data(), dA_prev, dA_prev, m, P.units());
  }
}

}  // namespace nnplay
