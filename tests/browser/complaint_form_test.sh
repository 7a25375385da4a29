#!/usr/bin/env bash
# The public complaint form (issue 10) in Debian's Chromium, driven by playwright-core from
# npm: starts `synthgate serve` on a free port, fills the form, attaches an image, submits and
# checks the tracking code. Usage: complaint_form_test.sh PATH/TO/synthgate IMAGE
set -u
bin=$(realpath "$1")
image=$(realpath "$2")
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
server=""
cleanup() { [[ -n "$server" ]] && kill -KILL "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
command -v chromium >/dev/null || { echo "chromium is not installed (scripts/install-deps.sh)"; exit 1; }
# playwright-core as locked in package-lock.json, installed beside the test.
(cd "$here" && npm ci --no-audit --no-fund --silent) || { echo "npm ci failed"; exit 1; }

cd "$work"
"$bin" serve --listen 127.0.0.1:0 >serve.txt 2>serve-err.txt &
server=$!
base=""
for _ in $(seq 1 100); do
  base=$(grep -oE 'http://127\.0\.0\.1:[0-9]+' serve.txt 2>/dev/null | head -n 1)
  [[ -n "$base" ]] && break
  sleep 0.1
done
[[ -n "$base" ]] || { echo "FAIL serve printed no URL"; cat serve.txt serve-err.txt; exit 1; }
node "$here/complaint_form.mjs" "$base" "$image"
rc=$?
[[ $rc -eq 0 ]] && [[ -n "$(ls var/complaints 2>/dev/null)" ]] || { echo "FAIL (rc $rc, attachment kept: $(ls var/complaints 2>/dev/null))"; exit 1; }
echo "ok   the attachment is kept privately under var/complaints"
kill -TERM "$server"; wait "$server"; server=""
