#!/usr/bin/env bash
# scripts/fuzz.sh: builds and runs nnplay's libFuzzer targets, one per tests/fuzz/<name>_fuzz.cpp,
# with AddressSanitizer and UndefinedBehaviorSanitizer (clang; build folder build/fuzz).
#   bash scripts/fuzz.sh                 every target: replay its corpus, then fuzz 20 s (npm test)
#   bash scripts/fuzz.sh --seconds 600   fuzz each target 10 minutes (npm run fuzz -- --seconds 600)
#   bash scripts/fuzz.sh --only csv      one target
# For each target: every file of tests/fuzz/corpus/<name>/ is replayed whole (the seeds and every
# crash found once, kept as crash-* files), then libFuzzer mutates from that corpus for the given
# time with inputs up to 4 KiB; new inputs go to build/fuzz/corpus/<name>/, never into tests/.
# Targets run one after another (the machine's cores are shared). A crash, a sanitizer report or a
# target's own finding (a multi-line error message, fuzz_common.h) fails the run; the input is saved
# as build/fuzz/artifacts/<name>-crash-<sha1>: fix the bug, then copy the file into
# tests/fuzz/corpus/<name>/ so every later run replays it.
# Ends with "# pass N" / "# fail N" (targets), the closing lines scripts/test.sh reads.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd -P)

seconds=20
only=
while (($#)); do
  case $1 in
    --seconds) seconds=${2:?--seconds needs a number}; shift 2 ;;
    --only) only=${2:?--only needs a target name}; shift 2 ;;
    *) echo "fuzz.sh: $1: unknown option (--seconds N, --only NAME)" >&2; exit 2 ;;
  esac
done
[[ $seconds =~ ^[0-9]+$ ]] || { echo "fuzz.sh: --seconds: \"$seconds\" is not a whole number" >&2; exit 2; }

build=build/fuzz
cache=$build/CMakeCache.txt
if [[ ! -f $cache ]] || ! grep -qx "CMAKE_HOME_DIRECTORY:INTERNAL=$root" "$cache"; then
  rm -rf "$build"
  CC=clang CXX=clang++ cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNNPLAY_FUZZ=ON >/dev/null ||
    { echo "fuzz.sh: configuring $build failed"; echo "# pass 0"; echo "# fail 1"; exit 1; }
fi
echo "fuzz: building $build (clang, -fsanitize=fuzzer,address,undefined)"
cmake --build "$build" -j2 --target nnplay_fuzz >"$build/build.log" 2>&1
built=$?
grep -E 'error|warning: ' "$build/build.log" | grep -v 'Wpsabi'
if ((built)); then echo "fuzz.sh: build failed (log: $build/build.log)"; echo "# pass 0"; echo "# fail 1"; exit 1; fi

pass=0
fail=0
mkdir -p "$build/artifacts"
for src in tests/fuzz/*_fuzz.cpp; do
  name=$(basename "$src" _fuzz.cpp)
  [[ -n $only && $name != "$only" ]] && continue
  bin=$build/fuzzers/${name}_fuzz
  seeds=tests/fuzz/corpus/$name
  work=$build/corpus/$name
  mkdir -p "$work" "$seeds"
  log=$build/$name.log
  opts=(-timeout=10 -rss_limit_mb=2048 -artifact_prefix="$build/artifacts/$name-" -print_final_stats=1)
  ok=1
  # 1. Replay: each corpus file run once, whole (libFuzzer runs file arguments without mutating).
  mapfile -t files < <(find "$seeds" -type f | sort)
  if ((${#files[@]})); then
    if ! "$bin" "${opts[@]}" "${files[@]}" >"$log" 2>&1; then
      ok=0
      echo "fuzz $name: replaying tests/fuzz/corpus/$name failed:"
      grep -E 'ERROR|SUMMARY|finding|Running:' "$log" | tail -5
    fi
  fi
  # 2. Fuzz from the corpus for the given time.
  if ((ok && seconds > 0)); then
    if ! "$bin" "${opts[@]}" -max_total_time="$seconds" -max_len=4096 "$work" "$seeds" >>"$log" 2>&1; then
      ok=0
      echo "fuzz $name: FOUND A CRASH:"
      grep -E 'ERROR|SUMMARY|finding|Test unit written' "$log" | tail -6
    fi
  fi
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  if ((ok)); then
    pass=$((pass + 1))
    echo "fuzz $name: ok, ${#files[@]} corpus files replayed, ${runs:-0} runs in ${seconds} s (${rate:-0} exec/s), no crash"
  else
    fail=$((fail + 1))
    echo "fuzz $name: FAILED (log: $log)"
  fi
done
echo "# pass $pass"
echo "# fail $fail"
((fail == 0))
