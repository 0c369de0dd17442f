// activation.h: the element-wise activations, each forward beside its derivative.
// An activation is a runtime enum so a dropdown maps straight onto it. Softmax is row-wise and only
// ever used as the output layer: fused with cross-entropy (loss.h), or with mse through its
// Jacobian-vector product below.
// All functions come from detmath.h, so native and WebAssembly builds give the same bits.
#pragma once
#include <string>
#include <vector>

#include "detmath.h"
#include "errors.h"
#include "scalar.h"
#include "names.h"

namespace nnplay {

enum class Activation { relu, leaky_relu, sigmoid, tanh, softmax, linear };

inline const std::vector<std::string>& activation_names() {
  static const std::vector<std::string> names = {"relu", "leaky_relu", "sigmoid", "tanh", "softmax", "linear"};
  return names;
}
inline std::string activation_name(Activation a) { return activation_names()[static_cast<int>(a)]; }
inline bool parse_activation(const std::string& s, Activation& out) { return parse_enum(activation_names(), s, out); }

constexpr Scalar kLeakySlope = Scalar(0.01);

// Forward, A = f(Z), Z and A are (m, n) row-major; A may alias Z for element-wise activations.
//   relu:       A = max(0, Z)
//   leaky_relu: A = Z if Z > 0 else 0.01 Z
//   sigmoid:    A = 1 / (1 + exp(-Z))
//   tanh:       A = tanh(Z)
//   softmax:    A[i][j] = exp(Z[i][j] - max_k Z[i][k]) / sum_k exp(Z[i][k] - max_k Z[i][k])
//   linear:     A = Z
// T is Scalar for the network; the gradient check (gradient_check.h) also runs it in double. The leaky
// slope stays kLeakySlope's value in both, so that double evaluates the very function float computes.
template <typename T>
inline void activation_forward(Activation f, const T* Z, T* A, int m, int n) {
  const size_t size = size_t(m) * n;
  switch (f) {
    case Activation::relu:
      for (size_t i = 0; i < size; ++i) A[i] = Z[i] > T(0) ? Z[i] : T(0);
      return;
    case Activation::leaky_relu:
      for (size_t i = 0; i < size; ++i) A[i] = Z[i] > T(0) ? Z[i] : T(kLeakySlope) * Z[i];
      return;
    case Activation::sigmoid:
      for (size_t i = 0; i < size; ++i) A[i] = detmath::sigmoid(Z[i]);
      return;
    case Activation::tanh:
      for (size_t i = 0; i < size; ++i) A[i] = detmath::tanh(Z[i]);
      return;
    case Activation::softmax:
      for (int i = 0; i < m; ++i) {
        const T* z = Z + size_t(i) * n;
        T* a = A + size_t(i) * n;
        T zmax = z[0];
        for (int j = 1; j < n; ++j) zmax = z[j] > zmax ? z[j] : zmax;
        T sum = T(0);
        for (int j = 0; j < n; ++j) {
          a[j] = detmath::exp(z[j] - zmax);
          sum = sum + a[j];
        }
        for (int j = 0; j < n; ++j) a[j] = a[j] / sum;
      }
      return;
    case Activation::linear:
      if (A != Z)
        for (size_t i = 0; i < size; ++i) A[i] = Z[i];
      return;
  }
}

// Backward, dZ = dA * f'(Z), written with whichever of Z and A gives the derivative exactly:
//   relu:       f' = 1 where Z > 0, else 0 (so 0 at exactly 0, as in the reference network)
//   leaky_relu: f' = 1 where Z > 0, else 0.01
//   sigmoid:    f' = A (1 - A)
//   tanh:       f' = 1 - A^2
//   linear:     f' = 1
//   softmax:    row-wise Jacobian-vector product, dZ = A * (dA - rowsum(dA * A)), since
//               dA_i/dZ_k = A_i (delta_ik - A_k). Used with mse only: cce fuses it (loss.h).
inline void activation_backward(Activation f, const Scalar* Z, const Scalar* A, const Scalar* dA,
                                Scalar* dZ, int m, int n) {
  const size_t size = size_t(m) * n;
  switch (f) {
    case Activation::relu:
      for (size_t i = 0; i < size; ++i) dZ[i] = Z[i] > Scalar(0) ? dA[i] : Scalar(0);
      return;
    case Activation::leaky_relu:
      for (size_t i = 0; i < size; ++i) dZ[i] = Z[i] > Scalar(0) ? dA[i] : kLeakySlope * dA[i];
      return;
    case Activation::sigmoid:
      for (size_t i = 0; i < size; ++i) dZ[i] = dA[i] * (A[i] * (Scalar(1) - A[i]));
      return;
    case Activation::tanh:
      for (size_t i = 0; i < size; ++i) dZ[i] = dA[i] * (Scalar(1) - A[i] * A[i]);
      return;
    case Activation::linear:
      for (size_t i = 0; i < size; ++i) dZ[i] = dA[i];
      return;
    case Activation::softmax:
      for (int i = 0; i < m; ++i) {
        const Scalar* a = A + size_t(i) * n;
        const Scalar* da = dA + size_t(i) * n;
        Scalar* dz = dZ + size_t(i) * n;  // may alias da: the row sum is taken first
        Scalar s = Scalar(0);
        for (int j = 0; j < n; ++j) s = s + da[j] * a[j];
        for (int j = 0; j < n; ++j) dz[j] = a[j] * (da[j] - s);
      }
      return;
  }
}

}  // namespace nnplay
