// rng.h: nnplay's own seeded random numbers, identical in the native and the WebAssembly build.
// xoshiro128** (Blackman and Vigna, 2018) seeded through SplitMix64; uniform doubles from 53 bits;
// normals by Marsaglia's polar method on detmath::log. std::normal_distribution is not used: libstdc++
// and libc++ implement it differently, so the same seed would give other weights in the browser.
#pragma once
#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

#include "detmath.h"

namespace nnplay {

class Rng {
 public:
  explicit Rng(uint64_t seed) {
    // SplitMix64 spreads any seed (0 included) over the 128-bit state.
    for (uint32_t& word : s_) {
      seed += 0x9E3779B97F4A7C15ull;
      uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
      z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
      word = static_cast<uint32_t>((z ^ (z >> 31)) >> 32);
    }
  }

  // xoshiro128**: 32 random bits.
  // noinline: Emscripten 3.1.6's clang 14 with -msimd128 vectorises two inlined calls together and
  // loads s_[1] after the store that overwrites it (a miscompile seen in the plane generator:
  // x1 took bits from the next state). Kept out of line, the wasm and native streams agree.
  __attribute__((noinline)) uint32_t next_u32() {
    const uint32_t result = rotl(s_[1] * 5u, 7) * 9u;
    const uint32_t t = s_[1] << 9;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 11);
    return result;
  }

  // Uniform in [0, 1) with 53 random bits.
  double uniform() {
    const uint64_t hi = next_u32() >> 5, lo = next_u32() >> 6;  // 27 + 26 bits
    return static_cast<double>((hi << 26) | lo) * (1.0 / 9007199254740992.0);
  }
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }

  // Uniform integer in [0, n), n >= 1, without modulo bias (Lemire's multiply-and-reject).
  uint32_t below(uint32_t n) {
    uint64_t m = uint64_t(next_u32()) * n;
    if (static_cast<uint32_t>(m) < n) {
      const uint32_t threshold = (0u - n) % n;
      while (static_cast<uint32_t>(m) < threshold) m = uint64_t(next_u32()) * n;
    }
    return static_cast<uint32_t>(m >> 32);
  }

  // Fisher-Yates: every order of v equally likely, from n - 1 draws of below().
  template <typename T> void shuffle(std::vector<T>& v) {
    for (size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[below(static_cast<uint32_t>(i))]);
  }

  // Standard normal, Marsaglia's polar method: (u, v) uniform in the unit disc, s = u^2 + v^2,
  // then u * sqrt(-2 ln s / s) and v * sqrt(-2 ln s / s) are independent N(0, 1).
  double normal() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    double u, v, s;
    do {
      u = 2.0 * uniform() - 1.0;
      v = 2.0 * uniform() - 1.0;
      s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    const double factor = std::sqrt(-2.0 * detmath::log(s) / s);  // sqrt is correctly rounded
    spare_ = v * factor;
    has_spare_ = true;
    return u * factor;
  }

 // The whole state, so a model file can carry a run's shuffling stream (model_io.h, "training").
  struct State {
    uint32_t s[4];
    double spare;
    bool has_spare;
  };
  State state() const { return {{s_[0], s_[1], s_[2], s_[3]}, spare_, has_spare_}; }
  void set_state(const State& st) {
    for (int i = 0; i < 4; ++i) s_[i] = st.s[i];
    spare_ = st.spare;
    has_spare_ = st.has_spare;
  }

 private:
  static uint32_t rotl(uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }
  uint32_t s_[4];
  double spare_ = 0.0;
  bool has_spare_ = false;
};

}  // namespace nnplay
