#!/usr/bin/env bash
# scripts/test.sh: runs every test tier of nnplay against an existing build (npm test builds first).
#   native  ctest: GoogleTest suites (float and float64 core) and the NumPy seed oracle
#   node    node --test tests/node/      (the wasm engine under Node)
#   browser node --test tests/browser/   (the page in Debian's Chromium through playwright-core)
#   sanitize scripts/test-sanitize.sh    (the C++ suites under ASan + UBSan, build/asan)
#   fuzz    scripts/fuzz.sh --seconds 20 (each libFuzzer target: its corpus, then 20 s; build/fuzz)
# Every tier runs even if an earlier one failed; each runner's own closing line stays in the output.
# Ends with one summary line per tier and a total line; exits non-zero if any tier failed.
set -uo pipefail
cd "$(dirname "$0")/.."

logdir=$(mktemp -d)
trap 'rm -rf "$logdir"' EXIT
summary=()
total_pass=0
total_fail=0
failed=0

# has_node_tests <dir>: files that node --test (v20) picks up in a directory.
has_node_tests() {
  [[ -d $1 ]] && [[ -n $(find "$1" -type f \( -name '*.test.*' -o -name '*-test.*' -o -name '*_test.*' \
    -o -name 'test-*' -o -name 'test.*' \) \( -name '*.js' -o -name '*.mjs' -o -name '*.cjs' \) | head -1) ]]
}

# run_tier <name> <command...>: runs, records "name: PASS/FAIL (N passed, N failed)".
run_tier() {
  local name=$1 log=$logdir/$1.log rc pass fail
  shift
  echo
  echo "=== $name: $*"
  "$@" 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  if [[ $name == native ]]; then
    # "100% tests passed, 0 tests failed out of 12" / "92% tests passed, 1 tests failed out of 12"
    fail=$(sed -n 's/.* \([0-9][0-9]*\) tests failed out of \([0-9][0-9]*\).*/\1/p' "$log" | tail -1)
    local outof
    outof=$(sed -n 's/.* tests failed out of \([0-9][0-9]*\).*/\1/p' "$log" | tail -1)
    pass=$(( ${outof:-0} - ${fail:-0} ))
  else
    pass=$(sed -n 's/^# pass \([0-9][0-9]*\)$/\1/p' "$log" | tail -1)
    fail=$(sed -n 's/^# fail \([0-9][0-9]*\)$/\1/p' "$log" | tail -1)
  fi
  pass=${pass:-0}
  fail=${fail:-0}
  total_pass=$((total_pass + pass))
  total_fail=$((total_fail + fail))
  if ((rc == 0)); then
    summary+=("$name: PASS ($pass tests passed, $fail failed)")
  else
    failed=1
    summary+=("$name: FAIL, exit code $rc ($pass tests passed, $fail failed)")
  fi
}

if [[ -f build/native/CTestTestfile.cmake ]]; then
  run_tier native ctest --test-dir build/native --output-on-failure -j2
else
  failed=1
  summary+=("native: FAIL (build/native is not built: run npm run build)")
fi

if has_node_tests tests/node; then
  run_tier node node --test tests/node/
else
  summary+=("node: skipped (no tests in tests/node/)")
fi

if has_node_tests tests/browser; then
  run_tier browser node --test --test-concurrency=1 tests/browser/
else
  summary+=("browser: skipped (no tests in tests/browser/)")
fi

# Sanitizers and fuzzing: their own scripts (clang builds in build/asan and build/fuzz), each ending
# with "# pass N" / "# fail N". Fuzzing: 20 s per target after replaying its corpus.
run_tier sanitize bash scripts/test-sanitize.sh
run_tier fuzz bash scripts/fuzz.sh --seconds 20

echo
echo "=== summary"
printf '%s\n' "${summary[@]}"
echo "total: $total_pass passed, $total_fail failed"
exit "$failed"
