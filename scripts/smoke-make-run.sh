#!/usr/bin/env bash
# Runs `make run` the way a newcomer does, checks that /healthz answers 200, then stops it
# with Ctrl-C's signal. Uses a scratch copy of var/ so a developer's own data is untouched.
set -euo pipefail
cd "$(dirname "$0")/.."
port=${SMOKE_PORT:-$(( 20000 + RANDOM % 30000 ))}
scratch=$(mktemp -d)
log="$scratch/make-run.log"
# Its own process group, so the signal reaches make and the gateway alike, as Ctrl-C does.
setsid make run LISTEN=127.0.0.1:$port DB=sqlite:$scratch/synthgate.db >"$log" 2>&1 &
pid=$!
cleanup() { kill -INT -- "-$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$scratch"; }
trap cleanup EXIT
for _ in $(seq 1 600); do
  code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/healthz" || true)
  [[ "$code" == 200 ]] && break
  kill -0 "$pid" 2>/dev/null || { echo "make run exited early:"; cat "$log"; exit 1; }
  sleep 0.5
done
if [[ "$code" != 200 ]]; then echo "make run: /healthz never answered 200"; cat "$log"; exit 1; fi
grep -q "listening on http://127.0.0.1:$port" "$log" || { echo "make run did not print its URL"; cat "$log"; exit 1; }
grep -q "^database: sqlite:$scratch/synthgate.db" "$log" || { echo "make run did not print its database"; cat "$log"; exit 1; }
echo "make run: /healthz answered 200 on 127.0.0.1:$port"
