#!/usr/bin/env bash
# Runs every benchmark of a build against SQLite and a throwaway PostgreSQL.
#   scripts/run-benchmarks.sh BUILD_DIR            e.g. scripts/run-benchmarks.sh build/default
# Runs each bench_* executable in BUILD_DIR/bench and prints its table. BENCH_ARGS is passed
# to every one, e.g. BENCH_ARGS='--benchmark_min_time=0.2 --benchmark_filter=sqlite'.
# The PostgreSQL cluster (scripts/test-postgres.sh) lives in BUILD_DIR/bench-postgres while
# the benchmarks run and is always stopped at the end; its URL is exported as
# SYNTHGATE_BENCH_POSTGRES_URL. Set SYNTHGATE_BENCH_POSTGRES_URL yourself to use another
# database instead (its bench_store_rows table is emptied), or to "" for SQLite only.
# The throwaway cluster keeps PostgreSQL's durable settings (fsync on), so commit figures
# are comparable with SQLite's synchronous=FULL.
set -euo pipefail

build=${1:-}
[[ -n "$build" ]] || { echo "usage: $0 BUILD_DIR" >&2; exit 2; }
root=$(cd "$(dirname "$0")/.." && pwd)

benches=()
for exe in "$build"/bench/bench_*; do
  [[ -f "$exe" && -x "$exe" ]] && benches+=("$exe")
done
if [[ ${#benches[@]} -eq 0 ]]; then
  echo "run-benchmarks: no bench_* executables in $build/bench (cmake --build $build)" >&2
  exit 2
fi

if [[ -z "${SYNTHGATE_BENCH_POSTGRES_URL+set}" ]]; then
  pgdir=$(mkdir -p "$build" && cd "$build" && pwd)/bench-postgres
  trap '"$root/scripts/test-postgres.sh" stop "$pgdir"' EXIT
  TEST_POSTGRES_DURABLE=1 "$root/scripts/test-postgres.sh" start "$pgdir" >/dev/null
  SYNTHGATE_BENCH_POSTGRES_URL=$(cat "$pgdir/url")
fi
export SYNTHGATE_BENCH_POSTGRES_URL

read -r -a args <<<"${BENCH_ARGS:-}"
status=0
for exe in "${benches[@]}"; do
  echo "== $(basename "$exe")"
  "$exe" ${args[@]+"${args[@]}"} || status=$?
done
exit "$status"
