// init.h: weight initialisation. Biases start at zero; W (inputs, outputs) is drawn row by row.
//   xavier_uniform: U(-a, a), a = sqrt(6 / (n_in + n_out))   Glorot and Bengio, "Understanding the
//   xavier_normal:  N(0, 2 / (n_in + n_out))                  difficulty of training deep feedforward
//                                                             neural networks", AISTATS 2010.
//   he_normal:      N(0, 2 / n_in)                            He et al., "Delving deep into rectifiers",
//   he_uniform:     U(-a, a), a = sqrt(6 / n_in)              ICCV 2015.
// he_normal is the reference network's: W ~ N(0, 1) * sqrt(2 / n_in).
#pragma once
#include <cmath>
#include <string>
#include <vector>

#include "rng.h"
#include "scalar.h"
#include "names.h"

namespace nnplay {

enum class Init { xavier_uniform, xavier_normal, he_normal, he_uniform };

inline const std::vector<std::string>& init_names() {
  static const std::vector<std::string> names = {"xavier_uniform", "xavier_normal", "he_normal", "he_uniform"};
  return names;
}
inline std::string init_name(Init i) { return init_names()[static_cast<int>(i)]; }
inline bool parse_init(const std::string& s, Init& out) { return parse_enum(init_names(), s, out); }

inline void init_weights(Init init, Matrix& W, Rng& rng) {
  const double n_in = double(W.rows()), n_out = double(W.cols());
  for (Eigen::Index r = 0; r < W.rows(); ++r)
    for (Eigen::Index c = 0; c < W.cols(); ++c) {
      double w = 0;
      switch (init) {
        case Init::xavier_uniform: { const double a = std::sqrt(6.0 / (n_in + n_out)); w = rng.uniform(-a, a); break; }
        case Init::xavier_normal: w = rng.normal() * std::sqrt(2.0 / (n_in + n_out)); break;
        case Init::he_normal: w = rng.normal() * std::sqrt(2.0 / n_in); break;
        case Init::he_uniform: { const double a = std::sqrt(6.0 / n_in); w = rng.uniform(-a, a); break; }
      }
      W(r, c) = static_cast<Scalar>(w);
    }
}

}  // namespace nnplay
