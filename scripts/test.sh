#!/usr/bin/env bash
# scripts/test.sh: runs every test tier of nnplay against an existing build (npm test builds first).
#   native   npm run test:native    ctest: GoogleTest suites (float and float64 core), the NumPy seed oracle
#   node     npm run test:node      node --test tests/node/ (the wasm builds and pure modules under Node)
#   browser  npm run test:browser   node --test tests/browser/ (the page in Debian's Chromium, playwright-core)
#   sanitize npm run test:sanitize  the C++ suites under ASan + UBSan (clang, build/asan)
#   fuzz     npm run test:fuzz      each libFuzzer target: its corpus replayed, then 20 s (build/fuzz)
#   lint     npm run lint           ESLint, Prettier
# Each tier's command is written once, in package.json. Every tier runs even if an earlier one
# failed; each runner's own closing line stays in the output. Ends with one summary line per tier
# (its counts and its time in seconds) and a total line; exits non-zero if any tier failed.
#   bash scripts/test.sh [tier...]    (default: all six, in the order above)
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

# counts <tier> <log>: "pass fail" as the tier's runner reported them.
counts() {
  local pass fail
  case $1 in
    native)
      # "100% tests passed, 0 tests failed out of 12" / "92% tests passed, 1 tests failed out of 12"
      fail=$(sed -n 's/.* \([0-9][0-9]*\) tests failed out of [0-9][0-9]*.*/\1/p' "$2" | tail -1)
      pass=$(sed -n 's/.* tests failed out of \([0-9][0-9]*\).*/\1/p' "$2" | tail -1)
      pass=$((${pass:-0} - ${fail:-0}))
      ;;
    lint) pass=0 fail=0 ;;
    *)
      pass=$(sed -n 's/^# pass \([0-9][0-9]*\)$/\1/p' "$2" | tail -1)
      fail=$(sed -n 's/^# fail \([0-9][0-9]*\)$/\1/p' "$2" | tail -1)
      ;;
  esac
  echo "${pass:-0} ${fail:-0}"
}

# run_tier <name>: runs `npm run test:<name>` (or `npm run lint`) and records its summary line.
run_tier() {
  local name=$1 log=$logdir/$1.log script=test:$1 rc pass fail start secs
  [[ $name == lint ]] && script=lint
  echo
  echo "=== $name: npm run $script"
  start=$SECONDS
  npm run --silent "$script" 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  secs=$((SECONDS - start))
  read -r pass fail < <(counts "$name" "$log")
  total_pass=$((total_pass + pass))
  total_fail=$((total_fail + fail))
  local what="$pass tests passed, $fail failed"
  [[ $name == lint ]] && what="ESLint and Prettier"
  if ((rc == 0)); then
    summary+=("$name: PASS ($what) in ${secs} s")
  else
    failed=1
    summary+=("$name: FAIL, exit code $rc ($what) in ${secs} s")
  fi
}

tiers=("$@")
((${#tiers[@]})) || tiers=(native node browser sanitize fuzz lint)
for tier in "${tiers[@]}"; do
  case $tier in
    native)
      if [[ -f build/native/CTestTestfile.cmake ]]; then
        run_tier native
      else
        failed=1
        summary+=("native: FAIL (build/native is not built: run npm run build)")
      fi
      ;;
    node | browser)
      if has_node_tests "tests/$tier"; then run_tier "$tier"; else summary+=("$tier: skipped (no tests in tests/$tier/)"); fi
      ;;
    sanitize | fuzz | lint) run_tier "$tier" ;;
    *)
      echo "test.sh: $tier: unknown tier (native, node, browser, sanitize, fuzz, lint)" >&2
      exit 2
      ;;
  esac
done

echo
echo "=== summary"
printf '%s\n' "${summary[@]}"
echo "total: $total_pass passed, $total_fail failed"
exit "$failed"
