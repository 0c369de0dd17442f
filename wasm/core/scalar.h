// scalar.h: the number type of the whole core and the Eigen shapes built on it.
// The product uses float32; defining NNPLAY_DOUBLE builds the same core in float64 so that the
// gradient checks can be strict. Matrices are row-major: one sample per row, so a JS Float32Array
// of m * n numbers maps onto an (m, n) matrix without a copy, and W is (inputs, outputs) as in the
// reference network.
#pragma once
#include <Eigen/Core>
#include <cstdint>

namespace nnplay {

#ifdef NNPLAY_DOUBLE
using Scalar = double;
#else
using Scalar = float;
#endif

using Matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using RowVector = Eigen::Matrix<Scalar, 1, Eigen::Dynamic>;
using MatrixMap = Eigen::Map<Matrix>;
using ConstMatrixMap = Eigen::Map<const Matrix>;

}  // namespace nnplay
