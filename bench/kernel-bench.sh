#!/usr/bin/env bash
# kernel-bench.sh: builds bench/kernel_bench.cpp with wasm/core/kernel.cpp natively (scalar, sse2,
# avx2, avx512: those the CPU has), as WebAssembly with SIMD128 (+ scalar) and as WebAssembly without
# SIMD, then runs each: the bit-exactness check against the plain triple loop, then the timings of the
# workloads' products. For kernel work; `npm run bench` does not run it.   bench/kernel-bench.sh [time]
set -euo pipefail
cd "$(dirname "$0")/.."
out=build/kernel-bench
mkdir -p $out
echo '{ "type": "commonjs" }' > $out/package.json  # the Emscripten .js output is CommonJS
flags=(-std=c++17 -O3 -DNDEBUG -ffp-contract=off -I/usr/include/eigen3 -Iwasm/core bench/kernel_bench.cpp wasm/core/kernel.cpp)
g++ -Wno-psabi "${flags[@]}" -o $out/native
export NODE_PATH=/usr/share/nodejs  # Debian's acorn for em++ -O3 (TOOLCHAIN.md trap 1)
em++ -msimd128 "${flags[@]}" -sALLOW_MEMORY_GROWTH=1 -o $out/simd128.js
em++ "${flags[@]}" -sALLOW_MEMORY_GROWTH=1 -o $out/scalar.js
echo "== native"; $out/native "$@"
echo "== wasm -msimd128"; node --no-experimental-fetch $out/simd128.js "$@"
echo "== wasm without SIMD"; node --no-experimental-fetch $out/scalar.js "$@"
