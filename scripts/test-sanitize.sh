#!/usr/bin/env bash
# scripts/test-sanitize.sh: the C++ test suites (tests/cpp, float and float64 core, and the NumPy
# seed oracle through the CLI) built with AddressSanitizer + UndefinedBehaviorSanitizer by clang in
# build/asan, and run by ctest. Any sanitizer report aborts its test (-fno-sanitize-recover=all).
# npm test runs it (scripts/test.sh); `npm run test:sanitize` alone.
# Ends with ctest's line and "# pass N" / "# fail N", the closing lines scripts/test.sh reads.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd -P)

build=build/asan
cache=$build/CMakeCache.txt
if [[ ! -f $cache ]] || ! grep -qx "CMAKE_HOME_DIRECTORY:INTERNAL=$root" "$cache"; then
  rm -rf "$build"
  CC=clang CXX=clang++ cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNNPLAY_SANITIZE=ON >/dev/null ||
    { echo "test-sanitize.sh: configuring $build failed"; echo "# pass 0"; echo "# fail 1"; exit 1; }
fi
echo "sanitize: building $build (clang, -fsanitize=address,undefined)"
cmake --build "$build" -j2 2>&1 | grep -E 'error|warning: ' | grep -v 'Wpsabi'
if [[ ${PIPESTATUS[0]} -ne 0 ]]; then echo "test-sanitize.sh: build failed"; echo "# pass 0"; echo "# fail 1"; exit 1; fi

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# export_scripts is left out: it times Python (NumPy, PyTorch) scripts, not C++; the native tier runs it.
ctest --test-dir "$build" --output-on-failure -j2 -E '^export_scripts$' 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
total=$(sed -n 's/.* tests failed out of \([0-9][0-9]*\).*/\1/p' "$log" | tail -1)
failed=$(sed -n 's/.* \([0-9][0-9]*\) tests failed out of.*/\1/p' "$log" | tail -1)
echo "# pass $(( ${total:-0} - ${failed:-0} ))"
echo "# fail ${failed:-1}"
exit "$rc"
