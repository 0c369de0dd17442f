// kernel.cpp: the cache- and register-blocked GEMM behind kernel.h, written once over a vector type.
// GCC/Clang vector extensions compile the same template to SSE2, AVX2 and AVX-512 natively and to
// WebAssembly SIMD128 under Emscripten (-msimd128); a width-1 instance is the scalar fallback.
// A tile of MR rows x NV vectors of accumulators walks the reduction index p in order 0..K-1, so
// every output element sees the same sequence of roundings whatever the vector width, the tile or
// the blocking (see kernel.h). Tiles, measured on AMD Zen 3: AVX2 6 x 2 (12 of 16 registers hold
// sums), SSE2, SIMD128 and scalar 4 x 2 (V8 spills anything larger); on an AVX-512 EPYC: AVX-512
// 6 x 4 (24 of 32 registers; 8 x 2, 12 x 2 and 8 x 3 were no faster).
#include "kernel.h"

#include <algorithm>
#include <cstring>

// AVX2 and AVX-512 vectors are only ever used inside always-inlined code of a target("avx2") or
// target("avx512f") function, picked at run time by what the CPU supports.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wpsabi"
#endif

namespace nnplay::kernel {
namespace {

#define NNPLAY_INLINE inline __attribute__((always_inline))

// A "vector" of one lane: the scalar path uses the same template as the SIMD ones.
template <typename T> struct Lanes1 {
  using V = T;
  static constexpr int W = 1;
  static NNPLAY_INLINE V load(const T* p) { return *p; }
  static NNPLAY_INLINE void store(T* p, V v) { *p = v; }
  static NNPLAY_INLINE V splat(T s) { return s; }
};

#if !defined(NNPLAY_DOUBLE) && !defined(NNPLAY_SCALAR_KERNEL) && (defined(__SSE2__) || defined(__wasm_simd128__))
#define NNPLAY_HAVE_V4 1
typedef float v4f __attribute__((vector_size(16)));
struct Lanes4 {
  using V = v4f;
  static constexpr int W = 4;
  static NNPLAY_INLINE V load(const float* p) { V v; std::memcpy(&v, p, sizeof v); return v; }
  static NNPLAY_INLINE void store(float* p, const V& v) { std::memcpy(p, &v, sizeof v); }
  static NNPLAY_INLINE V splat(float s) { return V{s, s, s, s}; }
  using Half = Lanes1<float>;
};
#endif

#if defined(NNPLAY_HAVE_V4) && defined(__x86_64__)
#define NNPLAY_HAVE_V8 1
typedef float v8f __attribute__((vector_size(32)));
struct Lanes8 {
  using V = v8f;
  static constexpr int W = 8;
  static NNPLAY_INLINE V load(const float* p) { V v; std::memcpy(&v, p, sizeof v); return v; }
  static NNPLAY_INLINE void store(float* p, const V& v) { std::memcpy(p, &v, sizeof v); }
  static NNPLAY_INLINE V splat(float s) { return V{s, s, s, s, s, s, s, s}; }
  using Half = Lanes4;
};

// AVX-512: 16 lanes. Half is the next narrower vector, for the columns left at a row's end.
typedef float v16f __attribute__((vector_size(64)));
struct Lanes16 {
  using V = v16f;
  static constexpr int W = 16;
  static NNPLAY_INLINE V load(const float* p) { V v; std::memcpy(&v, p, sizeof v); return v; }
  static NNPLAY_INLINE void store(float* p, const V& v) { std::memcpy(p, &v, sizeof v); }
  static NNPLAY_INLINE V splat(float s) { return V{s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s}; }
  using Half = Lanes8;
};
#endif

// Products whose B fits the L1 cache (the playground's nets, a batch times a small layer) run
// straight from A and B. Larger ones are blocked: B is packed KC rows at a time into column panels
// of NR = NV vectors, each MR-row strip of A is packed as (p, r) pairs, and the micro-kernel walks
// p in order over an MR x NR tile held in registers. Splitting K into blocks keeps the order: the
// partial sums go to C and the next block carries on from them; the bias comes after the last.
constexpr int KC = 256;
bool direct(int M, int N, int K, int a_cs) {  // measured: where packing costs more than it saves (K = 0 too)
  return a_cs == 1 ? double(K) * N <= 8192 : double(M) * N * K <= 4096;
}

// The packed panels, grown once to the largest size met and reused (no allocation in a step);
// one pair per thread, so that trainers on different threads never share them.
Scalar* buffer(int which, size_t size) {
  thread_local std::vector<Scalar> buf[2];
  if (buf[which].size() < size) buf[which].resize(size);
  return buf[which].data();
}

// C (R x NV vectors, row stride ldc) = (first ? 0 : C) + sum over p = 0..kc-1 of A[r][p] B[p][c]
// (+ bias), A[r][p] read at A[r a_rs + p a_cs], B[p][c] at B[p ldb + c].
template <typename L, int R, int NV>
NNPLAY_INLINE void micro(int kc, const Scalar* A, int a_rs, int a_cs, const Scalar* B, int ldb, Scalar* C,
                         int ldc, bool first, const Scalar* bias) {
  using V = typename L::V;
  constexpr int W = L::W;
  V acc[R][NV];
  for (int r = 0; r < R; ++r)
    for (int v = 0; v < NV; ++v) acc[r][v] = first ? L::splat(Scalar(0)) : L::load(C + r * ldc + v * W);
  for (int p = 0; p < kc; ++p, A += a_cs, B += ldb) {
    V b[NV];
    for (int v = 0; v < NV; ++v) b[v] = L::load(B + v * W);
    for (int r = 0; r < R; ++r)
      for (int v = 0; v < NV; ++v) acc[r][v] = acc[r][v] + A[r * a_rs] * b[v];
  }
  for (int r = 0; r < R; ++r)
    for (int v = 0; v < NV; ++v)
      L::store(C + r * ldc + v * W, bias ? acc[r][v] + L::load(bias + v * W) : acc[r][v]);
}

// Rows 0..m-1, columns 0..n-1 of C: MR x NV-vector tiles, then the edges with narrower ones.
template <typename L, int R, int NV>
NNPLAY_INLINE void strip(int n, int kc, const Scalar* A, int a_rs, int a_cs, const Scalar* B, int ldb,
                         Scalar* C, int ldc, bool first, const Scalar* bias) {
  constexpr int W = L::W;
  int j = 0;
  for (; j + NV * W <= n; j += NV * W)
    micro<L, R, NV>(kc, A, a_rs, a_cs, B + j, ldb, C + j, ldc, first, bias ? bias + j : nullptr);
  for (; j + W <= n; j += W)
    micro<L, R, 1>(kc, A, a_rs, a_cs, B + j, ldb, C + j, ldc, first, bias ? bias + j : nullptr);
  if constexpr (W > 1)  // the last columns with vectors half as wide, down to scalars
    if (j < n)
      strip<typename L::Half, R, 1>(n - j, kc, A, a_rs, a_cs, B + j, ldb, C + j, ldc, first, bias ? bias + j : nullptr);
}
template <typename L, int MR, int NV>
NNPLAY_INLINE void tiles(int m, int n, int kc, const Scalar* A, int a_rs, int a_cs, const Scalar* B, int ldb,
                         Scalar* C, int ldc, bool first, const Scalar* bias) {
  int i = 0;
  for (; i + MR <= m; i += MR)
    strip<L, MR, NV>(n, kc, A + size_t(i) * a_rs, a_rs, a_cs, B, ldb, C + size_t(i) * ldc, ldc, first, bias);
  for (; i < m; ++i)
    strip<L, 1, NV>(n, kc, A + size_t(i) * a_rs, a_rs, a_cs, B, ldb, C + size_t(i) * ldc, ldc, first, bias);
}

template <typename L, int MR, int NV>
NNPLAY_INLINE void gemm_impl(int M, int N, int K, const Scalar* A, int a_rs, int a_cs,
                             const Scalar* B, const Scalar* bias, Scalar* C) {
  constexpr int NR = NV * L::W;
  if (direct(M, N, K, a_cs)) return tiles<L, MR, NV>(M, N, K, A, a_rs, a_cs, B, N, C, N, true, bias);
  const int panels = (N + NR - 1) / NR;
  const int kc_max = (K + (K + KC - 1) / KC - 1) / ((K + KC - 1) / KC);  // K in equal blocks of <= KC
  Scalar* Bp = buffer(0, size_t(panels) * NR * kc_max);
  Scalar* Ap = buffer(1, size_t(MR) * kc_max);
  for (int pc = 0; pc < K; pc += kc_max) {
    const int kc = K - pc < kc_max ? K - pc : kc_max;
    // Bp[panel][p][c] = B[pc + p][panel NR + c]
    for (int p = 0; p < kc; ++p)
      for (int jp = 0; jp < panels; ++jp) {
        const Scalar* b = B + size_t(pc + p) * N + jp * NR;
        Scalar* dst = Bp + (size_t(jp) * kc + p) * NR;
        if (N - jp * NR >= NR)
          for (int c = 0; c < NR; ++c) dst[c] = b[c];
        else
          for (int c = 0; c < N - jp * NR; ++c) dst[c] = b[c];
      }
    for (int i = 0; i < M; i += MR) {
      const int mr = M - i < MR ? M - i : MR;
      // Ap[p][r] = A[i + r][pc + p]
      if (a_cs == 1)
        for (int r = 0; r < mr; ++r)
          for (int p = 0; p < kc; ++p) Ap[p * MR + r] = A[size_t(i + r) * a_rs + pc + p];
      else
        for (int p = 0; p < kc; ++p)
          for (int r = 0; r < mr; ++r) Ap[p * MR + r] = A[size_t(i + r) * a_rs + size_t(pc + p) * a_cs];
      for (int jp = 0; jp < panels; ++jp) {
        const int j = jp * NR, nr = N - j < NR ? N - j : NR;
        tiles<L, MR, NV>(mr, nr, kc, Ap, 1, MR, Bp + size_t(jp) * kc * NR, NR, C + size_t(i) * N + j, N,
                         pc == 0, bias && pc + kc >= K ? bias + j : nullptr);
      }
    }
  }
}

void gemm_scalar(int M, int N, int K, const Scalar* A, int a_rs, int a_cs, const Scalar* B,
                 const Scalar* bias, Scalar* C) {
  gemm_impl<Lanes1<Scalar>, 4, 2>(M, N, K, A, a_rs, a_cs, B, bias, C);
}
#ifdef NNPLAY_HAVE_V4
void gemm_v4(int M, int N, int K, const Scalar* A, int a_rs, int a_cs, const Scalar* B,
             const Scalar* bias, Scalar* C) {
  gemm_impl<Lanes4, 4, 2>(M, N, K, A, a_rs, a_cs, B, bias, C);
}
#endif
#ifdef NNPLAY_HAVE_V8
__attribute__((target("avx2"))) void gemm_v8(int M, int N, int K, const Scalar* A, int a_rs,
                                             int a_cs, const Scalar* B, const Scalar* bias, Scalar* C) {
  gemm_impl<Lanes8, 6, 2>(M, N, K, A, a_rs, a_cs, B, bias, C);
}
__attribute__((target("avx512f"))) void gemm_v16(int M, int N, int K, const Scalar* A, int a_rs,
                                                 int a_cs, const Scalar* B, const Scalar* bias, Scalar* C) {
  gemm_impl<Lanes16, 6, 4>(M, N, K, A, a_rs, a_cs, B, bias, C);
}
#endif

using GemmFn = void (*)(int, int, int, const Scalar*, int, int, const Scalar*, const Scalar*, Scalar*);
struct Variant {
  const char* name;
  GemmFn fn;
  bool (*available)();
};
bool always() { return true; }
#ifdef NNPLAY_HAVE_V8
bool has_avx2() { return __builtin_cpu_supports("avx2"); }
bool has_avx512() { return __builtin_cpu_supports("avx512f"); }
#endif

const Variant kVariants[] = {
    {"scalar", gemm_scalar, always},
#ifdef NNPLAY_HAVE_V4
#ifdef __wasm_simd128__
    {"simd128", gemm_v4, always},
#else
    {"sse2", gemm_v4, always},
#endif
#endif
#ifdef NNPLAY_HAVE_V8
    {"avx2", gemm_v8, has_avx2},
    {"avx512", gemm_v16, has_avx512},
#endif
};

const Variant* widest() {
  const Variant* best = &kVariants[0];
  for (const Variant& v : kVariants)
    if (v.available()) best = &v;
  return best;
}
const Variant* g_current = nullptr;
const Variant& current() {
  if (!g_current) g_current = widest();
  return *g_current;
}

}  // namespace

#ifndef NNPLAY_EIGEN_GEMM
void gemm(int M, int N, int K, const Scalar* A, int a_rs, int a_cs, const Scalar* B,
          const Scalar* bias, Scalar* C) {
  current().fn(M, N, K, A, a_rs, a_cs, B, bias, C);
}
#else
// The benchmark's "native ceiling" (bench/build-ceiling.sh, -march=native): Eigen's own GEMM, with
// its own blocking, summation order and FMA, so NOT bit-exact with the kernel. Never the product.
void gemm(int M, int N, int K, const Scalar* A, int a_rs, int a_cs, const Scalar* B,
          const Scalar* bias, Scalar* C) {
  using Strided = Eigen::Map<const Matrix, 0, Eigen::Stride<Eigen::Dynamic, Eigen::Dynamic>>;
  using ColMajor = Eigen::Map<const Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>, 0, Eigen::OuterStride<>>;
  MatrixMap Cm(C, M, N);
  const ConstMatrixMap Bm(B, K, N);
  if (a_rs == 1 && a_cs >= M)  // A = X^T: column-major
    Cm.noalias() = ColMajor(A, M, K, Eigen::OuterStride<>(a_cs)) * Bm;
  else
    Cm.noalias() = Strided(A, M, K, Eigen::Stride<Eigen::Dynamic, Eigen::Dynamic>(a_rs, a_cs)) * Bm;
  if (bias) Cm.rowwise() += Eigen::Map<const RowVector>(bias, N);
}
#endif

void transpose(int K, int N, const Scalar* in, Scalar* out) {
  for (int p = 0; p < K; ++p)
    for (int j = 0; j < N; ++j) out[size_t(j) * K + p] = in[size_t(p) * N + j];
}

// s[j] = ((0 + A[0][j]) + A[1][j]) + ... in row order; the loop over j vectorises, the order holds.
void colsum(int M, int N, const Scalar* A, Scalar* s) {
  for (int j = 0; j < N; ++j) s[j] = Scalar(0);
  for (int i = 0; i < M; ++i)
    for (int j = 0; j < N; ++j) s[j] = s[j] + A[size_t(i) * N + j];
}

double sum_squares(size_t n, const Scalar* x) {
  double s[4] = {0, 0, 0, 0};
  size_t i = 0;
  for (; i + 4 <= n; i += 4)
    for (int k = 0; k < 4; ++k) s[k] += double(x[i + k]) * double(x[i + k]);
  for (int k = 0; i < n; ++i, ++k) s[k] += double(x[i]) * double(x[i]);
  return (s[0] + s[1]) + (s[2] + s[3]);
}

std::vector<std::string> variants() {
  std::vector<std::string> names;
  for (const Variant& v : kVariants)
    if (v.available()) names.emplace_back(v.name);
  return names;
}

#ifndef NNPLAY_EIGEN_GEMM
std::string current_variant() { return current().name; }
#else
std::string current_variant() { return "eigen"; }
#endif

bool use_variant(const std::string& name) {
  for (const Variant& v : kVariants)
    if (name == v.name && v.available()) {
      g_current = &v;
      return true;
    }
  return false;
}

}  // namespace nnplay::kernel
