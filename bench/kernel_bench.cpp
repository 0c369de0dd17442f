// kernel_bench.cpp: exactness check and microbenchmark of wasm/core/kernel.cpp, for the SPEED work.
// Checks every variant (scalar, sse2/avx2/avx512 or simd128) bit for bit against a plain triple loop in
// the kernel's summation order, over many shapes, strides and biases; then times the products of the
// three bench workloads. Not a test suite (tests/cpp has those): a tool to run after every change.
//   g++ -O3 -ffp-contract=off -I/usr/include/eigen3 bench/kernel_bench.cpp wasm/core/kernel.cpp -o /tmp/kb
//   em++ -O3 -msimd128 -ffp-contract=off ... -o /tmp/kb.js && node /tmp/kb.js
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "../wasm/core/kernel.h"
#ifndef __EMSCRIPTEN__
#include <time.h>
#endif

using nnplay::Scalar;
namespace k = nnplay::kernel;

// C[i][j] = (((0 + A[i][0]B[0][j]) + A[i][1]B[1][j]) + ...) + bias[j]: the invariant, written plainly.
static void reference(int M, int N, int K, const Scalar* A, int a_rs, int a_cs, const Scalar* B,
                      const Scalar* bias, Scalar* C) {
  for (int i = 0; i < M; ++i)
    for (int j = 0; j < N; ++j) {
      volatile Scalar s = 0;  // volatile: no reassociation, no contraction, whatever the flags
      for (int p = 0; p < K; ++p) {
        volatile Scalar prod = A[size_t(i) * a_rs + size_t(p) * a_cs] * B[size_t(p) * N + j];
        s = s + prod;
      }
      C[size_t(i) * N + j] = bias ? Scalar(s + bias[j]) : Scalar(s);
    }
}

static int check(const std::string& variant) {
  std::mt19937 rng(7);
  std::normal_distribution<float> g(0, 1);
  const int sizes[] = {1, 2, 3, 5, 7, 8, 9, 15, 16, 17, 23, 24, 25, 31, 33, 47, 64, 65, 100, 129, 300, 785};
  int bad = 0, runs = 0;
  for (int M : sizes)
    for (int N : sizes)
      for (int K : sizes) {
        if (size_t(M) * N * K > 3000000 || ((M * 7 + N * 3 + K) % 3 && M * N * K > 20000)) continue;
        for (int trans = 0; trans < 2; ++trans) {
          std::vector<Scalar> A(size_t(M) * K), B(size_t(K) * N), bias(N), C(size_t(M) * N, 123), R(C);
          for (auto& x : A) x = g(rng) * (rng() % 5 == 0 ? 0 : 1);  // some exact zeros too
          for (auto& x : B) x = g(rng);
          for (auto& x : bias) x = g(rng);
          const int a_rs = trans ? 1 : K, a_cs = trans ? M : 1;  // A^T stored as (K, M)
          const Scalar* bp = (M + N + K) % 2 ? bias.data() : nullptr;
          k::gemm(M, N, K, A.data(), a_rs, a_cs, B.data(), bp, C.data());
          reference(M, N, K, A.data(), a_rs, a_cs, B.data(), bp, R.data());
          ++runs;
          if (std::memcmp(C.data(), R.data(), C.size() * sizeof(Scalar))) {
            if (bad++ < 5) std::printf("  MISMATCH %s M=%d N=%d K=%d trans=%d\n", variant.c_str(), M, N, K, trans);
          }
        }
      }
  std::printf("exactness %-8s %d shapes, %d mismatches\n", variant.c_str(), runs, bad);
  return bad;
}

// Seconds of this thread's CPU time natively (the machine is shared: wall time counts the others
// too); wall time in wasm, where there is no such clock.
static double now() {
#ifdef __EMSCRIPTEN__
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
#else
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + 1e-9 * ts.tv_nsec;
#endif
}

struct Product { const char* name; int M, N, K; bool trans; };

// Seconds per call: the minimum over `reps` timings of `inner` back-to-back calls.
static double time_product(const Product& p, int reps, int inner) {
  std::vector<Scalar> A(size_t(p.M) * p.K, 0.5f), B(size_t(p.K) * p.N, 0.25f), bias(p.N, 1), C(size_t(p.M) * p.N);
  const int a_rs = p.trans ? 1 : p.K, a_cs = p.trans ? p.M : 1;
  double best = 1e30;
  for (int r = 0; r < reps; ++r) {
    const double t0 = now();
    for (int n = 0; n < inner; ++n)
      k::gemm(p.M, p.N, p.K, A.data(), a_rs, a_cs, B.data(), p.trans ? nullptr : bias.data(), C.data());
    best = std::min(best, (now() - t0) / inner);
  }
  return best;
}

int main(int argc, char** argv) {
  int bad = 0;
  const bool only_time = argc > 1 && std::string(argv[1]) == "time";
  if (!only_time)
    for (const std::string& v : k::variants()) { k::use_variant(v); bad += check(v); }
  const Product products[] = {
      {"W1 fwd  X W1   1000x128x784", 1000, 128, 784, false}, {"W1 fwd  A W2   1000x10x128", 1000, 10, 128, false},
      {"W1 dW1  X^T dZ 784x128x1000", 784, 128, 1000, true},  {"W1 dW2  A^T dZ 128x10x1000", 128, 10, 1000, true},
      {"W1 dA1  dZ W^T 1000x128x10", 1000, 128, 10, false},   {"W2 fwd  64x128x784", 64, 128, 784, false},
      {"W2 dW1  784x128x64", 784, 128, 64, true},             {"W2 fwd2 64x64x128", 64, 64, 128, false},
      {"W2 dA1  64x128x64", 64, 128, 64, false},              {"W3 fwd  10x8x8", 10, 8, 8, false},
      {"W3 fwd1 10x8x2", 10, 8, 2, false},                    {"W3 dW   8x8x10", 8, 8, 10, true},
  };
  for (const std::string& v : k::variants()) {
    k::use_variant(v);
    std::printf("%s\n", v.c_str());
    for (const Product& p : products) {
      const double flops = 2.0 * p.M * p.N * p.K;
      const int inner = flops > 1e7 ? 1 : int(1e7 / flops);
      const double s = time_product(p, flops > 1e8 ? 21 : 51, inner);
      std::printf("  %-30s %10.2f us %7.2f GFLOP/s\n", p.name, s * 1e6, flops / s * 1e-9);
    }
  }
  return bad != 0;
}
