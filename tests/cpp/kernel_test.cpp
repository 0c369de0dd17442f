// kernel_test.cpp: the GEMM kernel (kernel.h) against a plain triple loop that sums in the order the
// kernel promises, C[i][j] = (((0 + A[i][0] B[0][j]) + A[i][1] B[1][j]) + ...) + bias[j]: results must be
// EXACTLY equal, for every variant this CPU runs (scalar, sse2, avx2, avx512 / simd128), so every
// variant also agrees with every other bit for bit. Odd shapes hit every tail path (1x1x1, 3x5x7,
// 65x129x33, 13x95 = 64 + 16 + 8 + 4 + 3 columns, 784x128 with batch 1 and 64, K above any blocking
// size), A read plainly and transposed through its strides, with and without bias. Also transpose,
// colsum (column sums in row order) and sum_squares (in double, four interleaved sums).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "kernel.h"
#include "rng.h"

namespace {

using nnplay::Scalar;
namespace kernel = nnplay::kernel;

// Values of varied magnitude (uniform(-1, 1) * 2^(-8..8)), so a different summation order would round
// differently and show up.
std::vector<Scalar> random_values(size_t n, uint64_t seed) {
  nnplay::Rng rng(seed);
  std::vector<Scalar> v(n);
  for (Scalar& x : v) x = Scalar(rng.uniform(-1, 1) * std::ldexp(1.0, int(rng.below(17)) - 8));
  return v;
}

// The promised order, one scalar accumulator per element.
std::vector<Scalar> triple_loop(int M, int N, int K, const Scalar* A, int a_rs, int a_cs, const Scalar* B,
                                const Scalar* bias) {
  std::vector<Scalar> C(size_t(M) * N);
  for (int i = 0; i < M; ++i)
    for (int j = 0; j < N; ++j) {
      Scalar acc = 0;
      for (int p = 0; p < K; ++p) acc = acc + A[size_t(i) * a_rs + size_t(p) * a_cs] * B[size_t(p) * N + j];
      if (bias) acc = acc + bias[j];
      C[size_t(i) * N + j] = acc;
    }
  return C;
}

bool bitwise_equal(const std::vector<Scalar>& a, const std::vector<Scalar>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(Scalar)) == 0;
}

// Restores the kernel's choice after a test that switches variants.
struct VariantGuard {
  std::string saved = kernel::current_variant();
  ~VariantGuard() { kernel::use_variant(saved); }
};

struct Shape {
  int M, N, K;
};
const Shape kShapes[] = {{1, 1, 1},    {3, 5, 7},    {7, 5, 3},   {5, 7, 3},     {65, 129, 33}, {33, 65, 129},
                         {1, 128, 784}, {64, 128, 784}, {4, 8, 16}, {17, 31, 600}, {2, 3, 1000}, {9, 1, 5},
                         {13, 95, 300}, {13, 95, 7}, {100, 10, 128}};

TEST(Kernel, VariantsListed) {
  const std::vector<std::string> v = kernel::variants();
  ASSERT_FALSE(v.empty());
  EXPECT_EQ(v.front(), "scalar");
  bool current_listed = false;
  for (const std::string& name : v) current_listed = current_listed || name == kernel::current_variant();
  EXPECT_TRUE(current_listed) << kernel::current_variant();
  EXPECT_EQ(kernel::current_variant(), v.back()) << "the widest available variant is the default";
  VariantGuard guard;
  EXPECT_FALSE(kernel::use_variant("no-such-variant"));
  EXPECT_EQ(kernel::current_variant(), guard.saved);
}

// The widest path the CPU has is offered and chosen, so the tests here run it (x86-64: AVX-512F and
// AVX2 are checked with the compiler's CPU probe, independently of the kernel's own table).
TEST(Kernel, WidestPathOfThisCpuIsUsed) {
#if defined(__x86_64__) && !defined(NNPLAY_DOUBLE) && !defined(NNPLAY_SCALAR_KERNEL)
  const std::vector<std::string> v = kernel::variants();
  const bool avx2 = __builtin_cpu_supports("avx2"), avx512 = __builtin_cpu_supports("avx512f");
  EXPECT_EQ(std::count(v.begin(), v.end(), "avx2"), avx2);
  EXPECT_EQ(std::count(v.begin(), v.end(), "avx512"), avx512);
  EXPECT_EQ(kernel::current_variant(), avx512 ? "avx512" : avx2 ? "avx2" : "sse2");
#else
  GTEST_SKIP() << "not an x86-64 float build";
#endif
}

TEST(Kernel, GemmEqualsTripleLoopExactly) {
  VariantGuard guard;
  for (const Shape& s : kShapes) {
    const std::vector<Scalar> A = random_values(size_t(s.M) * s.K, 1 + s.M), B = random_values(size_t(s.K) * s.N, 2 + s.N),
                              bias = random_values(s.N, 3 + s.K);
    // A (M, K) read plainly, and A^T where the stored matrix is (K, M): A[i][p] at i * 1 + p * M.
    const std::vector<Scalar> At = random_values(size_t(s.K) * s.M, 4 + s.K);
    struct Layout {
      const Scalar* a;
      int rs, cs;
      const char* name;
    } layouts[] = {{A.data(), s.K, 1, "A"}, {At.data(), 1, s.M, "A^T"}};
    for (const Layout& lay : layouts)
      for (const Scalar* b : {bias.data(), static_cast<const Scalar*>(nullptr)}) {
        const std::vector<Scalar> want = triple_loop(s.M, s.N, s.K, lay.a, lay.rs, lay.cs, B.data(), b);
        for (const std::string& v : kernel::variants()) {
          ASSERT_TRUE(kernel::use_variant(v));
          std::vector<Scalar> C(size_t(s.M) * s.N, Scalar(-7));  // garbage: the kernel must overwrite it
          kernel::gemm(s.M, s.N, s.K, lay.a, lay.rs, lay.cs, B.data(), b, C.data());
          EXPECT_TRUE(bitwise_equal(C, want)) << v << " " << lay.name << (b ? " + bias " : " ") << s.M << "x" << s.N
                                              << "x" << s.K;
        }
      }
  }
}

// A product whose exact value is known on paper: A = (1, 2, 3; 4, 5, 6), B = (1, 0; 0, 1; 1, 1),
// bias (0.5, -0.5): C = (1 + 3 + 0.5, 2 + 3 - 0.5; 4 + 6 + 0.5, 5 + 6 - 0.5) = (4.5, 4.5; 10.5, 10.5).
TEST(Kernel, SmallProductOnPaper) {
  VariantGuard guard;
  const Scalar A[] = {1, 2, 3, 4, 5, 6}, B[] = {1, 0, 0, 1, 1, 1}, bias[] = {0.5, -0.5};
  for (const std::string& v : kernel::variants()) {
    kernel::use_variant(v);
    Scalar C[4];
    kernel::gemm(2, 2, 3, A, 3, 1, B, bias, C);
    EXPECT_EQ(C[0], 4.5) << v;
    EXPECT_EQ(C[1], 4.5) << v;
    EXPECT_EQ(C[2], 10.5) << v;
    EXPECT_EQ(C[3], 10.5) << v;
  }
}

// The order matters and is kept: with A = (1e8, 1, -1e8) and B = (1, 1, 1)^T, ((0 + 1e8) + 1) - 1e8 is 0
// in float (1e8 + 1 rounds to 1e8) and 1 in double; any other order could give another value.
TEST(Kernel, SummationOrderIsLeftToRight) {
  VariantGuard guard;
  const Scalar A[] = {1e8, 1, -1e8}, B[] = {1, 1, 1};
  const Scalar want = (Scalar(0) + Scalar(1e8) + Scalar(1)) + Scalar(-1e8);
  for (const std::string& v : kernel::variants()) {
    kernel::use_variant(v);
    Scalar C[1];
    kernel::gemm(1, 1, 3, A, 3, 1, B, nullptr, C);
    EXPECT_EQ(C[0], want) << v;
  }
  EXPECT_EQ(want, sizeof(Scalar) == 4 ? Scalar(0) : Scalar(1));
}

TEST(Kernel, Transpose) {
  for (auto [K, N] : {std::pair<int, int>{1, 1}, {3, 5}, {65, 129}, {784, 128}}) {
    const std::vector<Scalar> in = random_values(size_t(K) * N, 5);
    std::vector<Scalar> out(size_t(K) * N, Scalar(-1));
    kernel::transpose(K, N, in.data(), out.data());
    for (int p = 0; p < K; ++p)
      for (int j = 0; j < N; ++j) ASSERT_EQ(out[size_t(j) * K + p], in[size_t(p) * N + j]) << K << "x" << N;
  }
}

TEST(Kernel, ColsumInRowOrder) {
  for (auto [M, N] : {std::pair<int, int>{1, 1}, {3, 5}, {65, 129}, {64, 128}}) {
    const std::vector<Scalar> A = random_values(size_t(M) * N, 6);
    std::vector<Scalar> s(N, Scalar(99));
    kernel::colsum(M, N, A.data(), s.data());
    for (int j = 0; j < N; ++j) {
      Scalar want = 0;
      for (int i = 0; i < M; ++i) want = want + A[size_t(i) * N + j];
      ASSERT_EQ(s[j], want) << M << "x" << N << " column " << j;
    }
  }
  // On paper: columns of (1, 2; 3, 4; 5, 6) sum to (9, 12).
  const Scalar A[] = {1, 2, 3, 4, 5, 6};
  Scalar s[2];
  kernel::colsum(3, 2, A, s);
  EXPECT_EQ(s[0], 9);
  EXPECT_EQ(s[1], 12);
}

TEST(Kernel, SumSquaresInItsOrder) {
  // On paper: 1 + 4 + 9 + 16 + 25 = 55 (a tail of one after a group of four); nothing sums to 0.
  const Scalar x[] = {1, -2, 3, -4, 5};
  EXPECT_EQ(kernel::sum_squares(5, x), 55.0);
  EXPECT_EQ(kernel::sum_squares(0, x), 0.0);
  // The promised order, written out: s_k over i = k mod 4, then (s0 + s1) + (s2 + s3); and within
  // float64 rounding of the plain sum, for the sizes of a layer's dW (784 x 128 + a tail of 3).
  for (size_t n : {size_t(1), size_t(7), size_t(100352), size_t(100355)}) {
    const std::vector<Scalar> v = random_values(n, 7);
    double s[4] = {0, 0, 0, 0}, plain = 0;
    for (size_t i = 0; i < n; ++i) {
      s[i % 4] += double(v[i]) * double(v[i]);
      plain += double(v[i]) * double(v[i]);
    }
    const double got = kernel::sum_squares(n, v.data());
    ASSERT_EQ(got, (s[0] + s[1]) + (s[2] + s[3])) << n;
    ASSERT_NEAR(got, plain, 1e-12 * plain) << n;
  }
}

}  // namespace
