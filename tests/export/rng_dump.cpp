// rng_dump.cpp: nnplay's generator (wasm/core/rng.h) on fixed seeds, one JSON line per seed, for the
// test of its Python port in the exported scripts (tests/export/export_test.py). Per seed, from one
// generator in this order: 16 next_u32 draws, below(n) for a list of n (rejection cases included),
// then three shuffles in a row (0..9, 0..9 again, 0..299), as successive epochs would draw them.
#include <cstdint>
#include <cstdio>
#include <numeric>
#include <vector>

#include "rng.h"

namespace {

void print_list(const std::vector<uint64_t>& v) {
  std::printf("[");
  for (size_t i = 0; i < v.size(); ++i) std::printf("%s%llu", i ? "," : "", static_cast<unsigned long long>(v[i]));
  std::printf("]");
}

std::vector<uint64_t> shuffled(nnplay::Rng& rng, int n) {
  std::vector<int> order(n);
  std::iota(order.begin(), order.end(), 0);
  rng.shuffle(order);
  return std::vector<uint64_t>(order.begin(), order.end());
}

}  // namespace

int main() {
  const uint64_t seeds[] = {0, 1, 42, 4294967297ull, 8589934591ull, 18446744073709551615ull};
  const uint32_t bounds[] = {1, 2, 3, 7, 10, 255, 1000, 65537, 2147483649u, 3000000000u, 4294967295u};
  for (uint64_t seed : seeds) {
    nnplay::Rng rng(seed);
    std::vector<uint64_t> u32, below;
    for (int i = 0; i < 16; ++i) u32.push_back(rng.next_u32());
    for (uint32_t n : bounds)
      for (int k = 0; k < 3; ++k) below.push_back(rng.below(n));
    std::printf("{\"seed\":%llu,\"u32\":", static_cast<unsigned long long>(seed));
    print_list(u32);
    std::printf(",\"below\":");
    print_list(below);
    std::printf(",\"shuffles\":[");
    print_list(shuffled(rng, 10));
    std::printf(",");
    print_list(shuffled(rng, 10));
    std::printf(",");
    print_list(shuffled(rng, 300));
    std::printf("]}\n");
  }
  return 0;
}
