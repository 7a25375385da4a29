#!/usr/bin/env bash
# Runs every libFuzzer target of a fuzz build for a while, each from its seed corpus.
#   scripts/run-fuzzers.sh BUILD_DIR SECONDS      e.g. scripts/run-fuzzers.sh build/fuzz 10
# Targets are the fuzz_* executables in BUILD_DIR/tests/fuzz; seeds come from
# tests/fuzz/corpus/<target>/ and are copied to a scratch directory first, so the checked-in
# corpus never changes. Prints "fuzz_x: N runs, ok" per target, then "N passed, M failed";
# exits 1 when any target crashed (failures are printed last). A crashing input is kept in
# BUILD_DIR/fuzz-artifacts/<target>/ and the whole log in BUILD_DIR/fuzz-logs/<target>.log;
# replay one with BUILD_DIR/tests/fuzz/<target> FILE.
set -euo pipefail

build=${1:-}
seconds=${2:-}
if [[ -z "$build" || ! "$seconds" =~ ^[0-9]+$ ]]; then
  echo "usage: $0 BUILD_DIR SECONDS" >&2
  exit 2
fi

root=$(cd "$(dirname "$0")/.." && pwd)
bindir=$build/tests/fuzz
targets=()
for exe in "$bindir"/fuzz_*; do
  [[ -f "$exe" && -x "$exe" ]] && targets+=("$exe")
done
if [[ ${#targets[@]} -eq 0 ]]; then
  echo "run-fuzzers: no fuzz_* executables in $bindir (cmake --preset fuzz && cmake --build $build)" >&2
  exit 2
fi

# Sanitizer reports must stop the run and carry a stack, so libFuzzer records a crash.
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

scratch=$(mktemp -d "${TMPDIR:-/tmp}/synthgate-fuzz.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$build/fuzz-logs" "$build/fuzz-artifacts"

# One target: its summary goes to $scratch/<name>.report, its exit status to <name>.rc.
fuzz_one() {
  local exe=$1 name corpus artifacts log rc runs
  name=$(basename "$exe")
  corpus=$scratch/$name
  artifacts=$build/fuzz-artifacts/$name
  log=$build/fuzz-logs/$name.log
  rm -rf "$artifacts"
  mkdir -p "$corpus" "$artifacts"
  if [[ -d "$root/tests/fuzz/corpus/$name" ]]; then
    cp -R "$root/tests/fuzz/corpus/$name/." "$corpus/"
  fi

  rc=0
  "$exe" -max_total_time="$seconds" -print_final_stats=1 -artifact_prefix="$artifacts/" \
    "$corpus" >"$log" 2>&1 || rc=$?

  runs=$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\).*/\1/p' "$log" | tail -n 1)
  if [[ -z "$runs" ]]; then  # no final stats (killed): the last progress line "#N ..."
    runs=$(sed -n 's/^#\([0-9][0-9]*\).*/\1/p' "$log" | tail -n 1)
  fi
  runs=${runs:-0}

  {
    if [[ $rc -eq 0 ]]; then
      echo "$name: $runs runs, ok"
    else
      echo "$name: $runs runs, FAILED (exit $rc); log: $log"
      for input in "$artifacts"/*; do
        [[ -f "$input" ]] || continue
        echo "  input $input"
        echo "  hex   $(od -An -v -tx1 "$input" | tr -d ' \n' | head -c 512)"
      done
      # The invariant or sanitizer report and its stack, without libFuzzer's progress lines.
      # Frames below LLVMFuzzerTestOneInput are libFuzzer's own and left out.
      awk '/fuzz invariant failed|ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error:|ERROR: libFuzzer/ { on = 1 }
           /^SUMMARY:/ { print "  | " $0; on = 0; below = 0; next }
           on && !below && !/NOTE: libFuzzer|Combine libFuzzer with|__sanitizer_print_stack_trace|in fuzzer::/ {
             print "  | " $0; if (++n >= 30) exit
           }
           /in LLVMFuzzerTestOneInput/ { below = 1 }' "$log"
    fi
  } >"$scratch/$name.report"
  echo "$rc" >"$scratch/$name.rc"
}

# Targets run FUZZ_JOBS at a time (default 2, one per core of the CI machine): each is one
# process, so the time each gets is the same as when run alone.
jobs=${FUZZ_JOBS:-2}
running=0
for exe in "${targets[@]}"; do
  fuzz_one "$exe" &
  running=$((running + 1))
  if [[ $running -ge $jobs ]]; then
    wait -n || true
    running=$((running - 1))
  fi
done
wait

# Passing targets first, failures last: whoever reads only the tail of the log (a CI page)
# sees the failing input and its stack, then one FAILED line per failing target.
failures=()
for exe in "${targets[@]}"; do
  name=$(basename "$exe")
  if [[ "$(cat "$scratch/$name.rc")" == 0 ]]; then
    cat "$scratch/$name.report"
  else
    failures+=("$name")
  fi
done
for name in "${failures[@]}"; do cat "$scratch/$name.report"; done
for name in "${failures[@]}"; do
  first=$(grep -m 1 -E 'fuzz invariant failed|ERROR: |runtime error:|deadly signal' \
    "$build/fuzz-logs/$name.log" || true)
  echo "FAILED $name: ${first:-see $build/fuzz-logs/$name.log}"
done
failed=${#failures[@]}
passed=$((${#targets[@]} - failed))
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
