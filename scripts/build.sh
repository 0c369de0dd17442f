#!/usr/bin/env bash
# scripts/build.sh: builds nnplay natively (build/native), to WebAssembly (build/wasm) and then dist/.
# Configures a build folder only when it has no cache yet (or one made for another source folder);
# after that `cmake --build` alone reconfigures itself when CMakeLists.txt or a globbed file changes,
# so a no-change rebuild is just two make runs that find nothing to do.
# Run scripts/setup.sh first (npm run build does) so that cmake, g++, emscripten, Eigen are present.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd -P)

# Emscripten traps (see shared TOOLCHAIN.md): Debian's acorn for em++ -O3 links (1), and an emulator
# that node 20 accepts instead of emcmake's `node --experimental-wasm-threads` (3).
export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}

# needs_configure <build dir>: no cache, or a cache that belongs to another checkout.
needs_configure() {
  local cache=$1/CMakeCache.txt
  [[ -f $cache ]] || return 0
  grep -qx "CMAKE_HOME_DIRECTORY:INTERNAL=$root" "$cache" && return 1
  echo "build: $1 was configured for another source folder; starting it afresh"
  rm -rf "$1"
  return 0
}

echo "build: native (build/native)"
if needs_configure build/native; then
  cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release
fi
cmake --build build/native -j2

echo "build: wasm (build/wasm)"
if needs_configure build/wasm; then
  emcmake cmake -S . -B build/wasm -DCMAKE_BUILD_TYPE=Release \
    "-DCMAKE_CROSSCOMPILING_EMULATOR=/usr/bin/node;--no-experimental-fetch"
fi
cmake --build build/wasm -j2

if [[ -f scripts/build-dist.mjs ]]; then
  echo "build: dist (node scripts/build-dist.mjs)"
  node scripts/build-dist.mjs
fi
echo "build: done"
