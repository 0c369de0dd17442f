// kernel.cpp: the register-blocked GEMM behind kernel.h, written once over a vector type.
// GCC/Clang vector extensions compile the same template to SSE2 and AVX2 natively and to
// WebAssembly SIMD128 under Emscripten (-msimd128); a width-1 instance is the scalar fallback.
// A tile of ROWS x (2 vectors) accumulators walks the reduction index p in order 0..K-1, so every
// output element sees the same sequence of roundings whatever the vector width (see kernel.h).
#include "kernel.h"

#include <cstring>

// AVX2 vectors are only ever used inside always-inlined code of a target("avx2") function.
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
};
#endif

// One tile: rows i0..i0+R-1, columns j..j+2W-1 (two vectors), reduction p = 0..K-1 in order.
template <typename L, int R>
NNPLAY_INLINE void tile2(int K, const Scalar* A, int a_rs, int a_cs, const Scalar* B, int N,
                         const Scalar* bias, Scalar* C, int i0, int j) {
  using V = typename L::V;
  V acc0[R], acc1[R];
  for (int r = 0; r < R; ++r) acc0[r] = acc1[r] = L::splat(Scalar(0));
  for (int p = 0; p < K; ++p) {
    const V b0 = L::load(B + size_t(p) * N + j), b1 = L::load(B + size_t(p) * N + j + L::W);
    for (int r = 0; r < R; ++r) {
      const V a = L::splat(A[size_t(i0 + r) * a_rs + size_t(p) * a_cs]);
      acc0[r] = acc0[r] + a * b0;
      acc1[r] = acc1[r] + a * b1;
    }
  }
  for (int r = 0; r < R; ++r) {
    if (bias) {
      acc0[r] = acc0[r] + L::load(bias + j);
      acc1[r] = acc1[r] + L::load(bias + j + L::W);
    }
    L::store(C + size_t(i0 + r) * N + j, acc0[r]);
    L::store(C + size_t(i0 + r) * N + j + L::W, acc1[r]);
  }
}

// One column strip of width one vector (or one lane), rows i0..i0+R-1.
template <typename L, int R>
NNPLAY_INLINE void tile1(int K, const Scalar* A, int a_rs, int a_cs, const Scalar* B, int N,
                         const Scalar* bias, Scalar* C, int i0, int j) {
  using V = typename L::V;
  V acc[R];
  for (int r = 0; r < R; ++r) acc[r] = L::splat(Scalar(0));
  for (int p = 0; p < K; ++p) {
    const V b = L::load(B + size_t(p) * N + j);
    for (int r = 0; r < R; ++r) acc[r] = acc[r] + L::splat(A[size_t(i0 + r) * a_rs + size_t(p) * a_cs]) * b;
  }
  for (int r = 0; r < R; ++r) {
    if (bias) acc[r] = acc[r] + L::load(bias + j);
    L::store(C + size_t(i0 + r) * N + j, acc[r]);
  }
}

template <typename L, int R>
NNPLAY_INLINE void row_block(int N, int K, const Scalar* A, int a_rs, int a_cs, const Scalar* B,
                             const Scalar* bias, Scalar* C, int i0) {
  int j = 0;
  for (; j + 2 * L::W <= N; j += 2 * L::W) tile2<L, R>(K, A, a_rs, a_cs, B, N, bias, C, i0, j);
  for (; j + L::W <= N; j += L::W) tile1<L, R>(K, A, a_rs, a_cs, B, N, bias, C, i0, j);
  for (; j < N; ++j) tile1<Lanes1<Scalar>, R>(K, A, a_rs, a_cs, B, N, bias, C, i0, j);
}

template <typename L>
NNPLAY_INLINE void gemm_impl(int M, int N, int K, const Scalar* A, int a_rs, int a_cs,
                             const Scalar* B, const Scalar* bias, Scalar* C) {
  int i = 0;
  for (; i + 4 <= M; i += 4) row_block<L, 4>(N, K, A, a_rs, a_cs, B, bias, C, i);
  for (; i < M; ++i) row_block<L, 1>(N, K, A, a_rs, a_cs, B, bias, C, i);
}

void gemm_scalar(int M, int N, int K, const Scalar* A, int a_rs, int a_cs, const Scalar* B,
                 const Scalar* bias, Scalar* C) {
  gemm_impl<Lanes1<Scalar>>(M, N, K, A, a_rs, a_cs, B, bias, C);
}
#ifdef NNPLAY_HAVE_V4
void gemm_v4(int M, int N, int K, const Scalar* A, int a_rs, int a_cs, const Scalar* B,
             const Scalar* bias, Scalar* C) {
  gemm_impl<Lanes4>(M, N, K, A, a_rs, a_cs, B, bias, C);
}
#endif
#ifdef NNPLAY_HAVE_V8
__attribute__((target("avx2"))) void gemm_v8(int M, int N, int K, const Scalar* A, int a_rs,
                                             int a_cs, const Scalar* B, const Scalar* bias, Scalar* C) {
  gemm_impl<Lanes8>(M, N, K, A, a_rs, a_cs, B, bias, C);
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

void gemm(int M, int N, int K, const Scalar* A, int a_rs, int a_cs, const Scalar* B,
          const Scalar* bias, Scalar* C) {
  current().fn(M, N, K, A, a_rs, a_cs, B, bias, C);
}

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

std::vector<std::string> variants() {
  std::vector<std::string> names;
  for (const Variant& v : kVariants)
    if (v.available()) names.emplace_back(v.name);
  return names;
}

std::string current_variant() { return current().name; }

bool use_variant(const std::string& name) {
  for (const Variant& v : kVariants)
    if (name == v.name && v.available()) {
      g_current = &v;
      return true;
    }
  return false;
}

}  // namespace nnplay::kernel
