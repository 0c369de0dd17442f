// detmath.h: deterministic elementary functions (exp, expm1, log, tanh, sigmoid, sin, cos) built from + - * / only.
// libm differs between glibc (native) and musl (Emscripten), and Eigen's vectorised exp differs
// from its scalar one, so the core never calls them: these functions give the same bits on every
// IEEE-754 machine when compiled with -ffp-contract=off. Accuracy is about one ulp, which is all
// the gradient checks and the float32 product need.
#pragma once
#include <cmath>
#include <cstdint>
#include <cstring>
#include <type_traits>
#include <limits>

namespace nnplay::detmath {

// Constants split in a high part (exact when multiplied by small integers) and a low correction.
template <typename T> struct Consts;
template <> struct Consts<double> {
  static constexpr double ln2_hi = 6.93147180369123816490e-01, ln2_lo = 1.90821492927058770002e-10;
  static constexpr double exp_max = 709.0, exp_min = -745.0;
};
template <> struct Consts<float> {
  static constexpr float ln2_hi = 0.693145751953125f, ln2_lo = 1.428606765330187045e-06f;
  static constexpr float exp_max = 88.0f, exp_min = -103.0f;
};

// 1/i! for i = 0..13 and 1/(2i+1) for i = 0..11, as double literals (rounded to T when used).
inline constexpr double kInvFactorial[14] = {
    1.0, 1.0, 0.5, 1.0 / 6, 1.0 / 24, 1.0 / 120, 1.0 / 720, 1.0 / 5040, 1.0 / 40320, 1.0 / 362880,
    1.0 / 3628800, 1.0 / 39916800, 1.0 / 479001600, 1.0 / 6227020800.0};
inline constexpr double kInvOdd[12] = {1.0,      1.0 / 3,  1.0 / 5,  1.0 / 7,  1.0 / 9,  1.0 / 11,
                                       1.0 / 13, 1.0 / 15, 1.0 / 17, 1.0 / 19, 1.0 / 21, 1.0 / 23};

// 2^k exactly, built from the exponent bits, for k in the normal range of T.
template <typename T> inline T pow2(int k) {
  using Bits = std::conditional_t<sizeof(T) == 8, uint64_t, uint32_t>;
  constexpr int mant = std::numeric_limits<T>::digits - 1, bias = std::numeric_limits<T>::max_exponent - 1;
  const Bits bits = Bits(k + bias) << mant;
  T out;
  std::memcpy(&out, &bits, sizeof out);
  return out;
}

// exp(x) = 2^k * exp(r), k = round(x / ln2), r = x - k ln2 with |r| <= ln2 / 2,
// exp(r) by its Taylor series in Horner form (13 terms for double, 8 for float).
template <typename T> inline T exp(T x) {
  if (x != x) return x;
  if (x > Consts<T>::exp_max) return std::numeric_limits<T>::infinity();
  if (x < Consts<T>::exp_min) return T(0);
  const T kf = std::floor(x * T(1.4426950408889634) + T(0.5));
  const T r = (x - kf * Consts<T>::ln2_hi) - kf * Consts<T>::ln2_lo;
  // Horner over 1/i!, i = terms..0; the coefficients are rounded once, at compile time.
  constexpr int terms = sizeof(T) == 8 ? 13 : 8;
  T p = T(kInvFactorial[terms]);
  for (int i = terms - 1; i >= 0; --i) p = T(kInvFactorial[i]) + p * r;
  // p 2^k rounded once, as ldexp does (libm's call was a third of W3's time): one product, or two
  // when 2^k is below the normal range. Checked equal to ldexp for all 2^32 floats.
  const int k = static_cast<int>(kf), k_min = std::numeric_limits<T>::min_exponent - 1;
  return k >= k_min ? p * pow2<T>(k) : (p * pow2<T>(k + 64)) * pow2<T>(-64);
}

// log(x) = e ln2 + log(f), x = f 2^e with f in [sqrt(1/2), sqrt(2)),
// log(f) = 2 atanh(s) = 2 (s + s^3/3 + s^5/5 + ...), s = (f - 1) / (f + 1), |s| <= 0.172.
template <typename T> inline T log(T x) {
  if (x != x || x < T(0)) return std::numeric_limits<T>::quiet_NaN();
  if (x == T(0)) return -std::numeric_limits<T>::infinity();
  if (x == std::numeric_limits<T>::infinity()) return x;
  int e = 0;
  T f = std::frexp(x, &e);  // x = f 2^e, f in [0.5, 1): exact
  if (f < T(0.70710678118654752)) { f = f * T(2); e -= 1; }
  const T s = (f - T(1)) / (f + T(1));
  const T s2 = s * s;
  constexpr int terms = sizeof(T) == 8 ? 12 : 5;
  T p = T(0);
  for (int i = terms - 1; i >= 0; --i) p = T(kInvOdd[i]) + s2 * p;
  const T ef = static_cast<T>(e);
  return (ef * Consts<T>::ln2_hi + T(2) * s * p) + ef * Consts<T>::ln2_lo;
}

// expm1(x) = exp(x) - 1 without cancellation near 0: for |x| < ln2/2 the series
// x (1 + x/2! + x^2/3! + ...) in Horner form; elsewhere exp(x) - 1 loses at most a few ulp.
template <typename T> inline T expm1(T x) {
  const T ax = x < T(0) ? -x : x;
  if (!(ax < T(0.34657359027997264))) return exp(x) - T(1);
  constexpr int terms = sizeof(T) == 8 ? 13 : 8;
  T p = T(kInvFactorial[terms]);
  for (int i = terms - 1; i >= 1; --i) p = T(kInvFactorial[i]) + p * x;
  return x * p;
}

// tanh(x) = sign(x) (-e) / (2 + e), e = expm1(-2 |x|): odd, bounded, accurate near 0, no overflow.
template <typename T> inline T tanh(T x) {
  const T ax = x < T(0) ? -x : x;
  const T e = expm1(T(-2) * ax);
  const T t = -e / (T(2) + e);
  return x < T(0) ? -t : t;
}

// sigmoid(x) = 1 / (1 + exp(-x)), written as exp(x) / (1 + exp(x)) for x < 0 so it never overflows.
template <typename T> inline T sigmoid(T x) {
  if (x >= T(0)) return T(1) / (T(1) + exp(-x));
  const T e = exp(x);
  return e / (T(1) + e);
}

// sin and cos of double: x = k pi/2 + r, |r| <= pi/4, then a Taylor polynomial of r by quadrant.
namespace detail {
inline double sin_poly(double r) {  // sin(r), |r| <= pi/4
  const double r2 = r * r;
  double p = 0.0;
  for (int i = 10; i >= 1; --i) p = 1.0 - p * r2 / double((2 * i) * (2 * i + 1));
  return r * p;
}
inline double cos_poly(double r) {  // cos(r), |r| <= pi/4
  const double r2 = r * r;
  double p = 0.0;
  for (int i = 10; i >= 1; --i) p = 1.0 - p * r2 / double((2 * i - 1) * (2 * i));
  return p;
}
}  // namespace detail

inline double sin(double x) {
  const double kf = std::floor(x * 0.63661977236758134 + 0.5);
  const double r = (x - kf * 1.5707963267341256) - kf * 6.077100506506192e-11;
  const int q = static_cast<int>(static_cast<long long>(kf) & 3);
  switch (q) {
    case 0: return detail::sin_poly(r);
    case 1: return detail::cos_poly(r);
    case 2: return -detail::sin_poly(r);
    default: return -detail::cos_poly(r);
  }
}
inline double cos(double x) { return sin(x + 1.5707963267948966); }

}  // namespace nnplay::detmath
