#!/usr/bin/env bash
# build-ceiling.sh: the benchmark's "native ceiling" CLI, build/ceiling/nnplay. The same core and
# CLI as build/native/nnplay, but every matrix product is Eigen's own GEMM (-DNNPLAY_EIGEN_GEMM in
# wasm/core/kernel.cpp) compiled for this machine (-march=native: AVX2 and FMA here, contraction
# allowed). Not bit-exact with the product build; it shows how far the portable kernel is from a
# tuned native GEMM. Rebuilds only when a source is newer than the binary; two compilers at a time.
set -euo pipefail
cd "$(dirname "$0")/.."
out=build/ceiling/nnplay
srcs=(wasm/core/*.cpp wasm/cli/*.cpp)
if [[ -x $out && -z $(find "${srcs[@]}" wasm/core/*.h CMakeLists.txt -newer "$out") ]]; then exit 0; fi
rm -rf build/ceiling/obj && mkdir -p build/ceiling/obj
json=$(find /usr/include -name json.hpp -path '*nlohmann/json.hpp' | head -1)
flags=(-std=c++17 -O3 -march=native -DNDEBUG -DNNPLAY_EIGEN_GEMM -Wno-psabi -I/usr/include/eigen3
       -I"$(dirname "$(dirname "$json")")" -Iwasm/core)
# The product build's other math flags, if it has them (not -ffp-contract=off: the ceiling may fuse).
grep -q -- '-fno-math-errno' CMakeLists.txt && flags+=(-fno-math-errno)
# The memory limit: the one value CMakeLists.txt gives the core (memory_budget.h).
flags+=("-DNNPLAY_MAX_MEMORY_BYTES=$(sed -n 's/^set(NNPLAY_MAX_MEMORY \([0-9]*\)).*/\1/p' CMakeLists.txt)")
printf '%s\n' "${srcs[@]}" | xargs -P 2 -I{} sh -c 'g++ "$@" -c {} -o build/ceiling/obj/$(basename {}).o' _ "${flags[@]}"
g++ build/ceiling/obj/*.o -o "$out"
echo "built $out"
