// kernel.h: the hot path. Every matrix product of the forward and backward pass goes through here.
//
// The invariant that makes native and WebAssembly builds agree to the bit: each output element is
//   C[i][j] = (((0 + A[i][0] B[0][j]) + A[i][1] B[1][j]) + ... + A[i][K-1] B[K-1][j]) (+ bias[j])
// summed in exactly this order, with no FMA contraction (-ffp-contract=off). Vectors run across
// output columns j, never across the reduction index, so the vector width (scalar, SSE, AVX2,
// AVX-512, WebAssembly SIMD128) and the register blocking change the speed but never a bit of the result.
// All matrices are row-major and contiguous; A may be read transposed through its strides.
#pragma once
#include <string>
#include <vector>

#include "scalar.h"

namespace nnplay::kernel {

// C (M, N) = A (M, K) B (K, N) + bias (N; may be null). A[i][p] is read at A[i * a_rs + p * a_cs],
// so A = X is (a_rs = K, a_cs = 1) and A = X^T is (a_rs = 1, a_cs = M_of_X). Large products are
// cache-blocked through packing buffers that grow to the largest product met and are then reused,
// so a training step allocates nothing after the first. C must not overlap A, B or bias.
void gemm(int M, int N, int K, const Scalar* A, int a_rs, int a_cs, const Scalar* B,
          const Scalar* bias, Scalar* C);

// out (N, K) = in (K, N)^T.
void transpose(int K, int N, const Scalar* in, Scalar* out);

// s (N) = column sums of A (M, N), each summed over i = 0..M-1 in order.
void colsum(int M, int N, const Scalar* A, Scalar* s);

// The sum of x[i]^2 over i = 0..n-1, in double: four running sums, s_k over i = k, k + 4, ... in
// order, then (s0 + s1) + (s2 + s3). A fixed order (the same bits on every build), in four
// independent chains instead of one, which would wait on each addition in turn.
double sum_squares(size_t n, const Scalar* x);

// The code paths this machine can run: "scalar" always, then "simd128" (wasm) or "sse2", "avx2" and
// "avx512" (x86-64, the last two where the CPU has AVX2 / AVX-512F).
std::vector<std::string> variants();
// The path in use: the widest the machine supports, unless chosen with use_variant.
std::string current_variant();
// Chooses a path by name (for tests and benchmarks); returns false if it is not available here.
bool use_variant(const std::string& name);

}  // namespace nnplay::kernel
