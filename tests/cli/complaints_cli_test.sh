#!/usr/bin/env bash
# `synthgate complaints list|show|act` (issue 10) against the CLI contract (exit 0/1/2, one
# line on stderr, --json one object), on a database a running gateway fills: a complaint
# filed over HTTP is listed, moved on from the command line, and the public status follows.
# Usage: complaints_cli_test.sh PATH/TO/synthgate
set -u
harness=$(realpath "$(dirname "$0")/cli_harness.sh")
bin=$(realpath "$1")
work=$(mktemp -d)
server=""
cleanup() { [[ -n "$server" ]] && kill -KILL "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
cd "$work"
source "$harness"


check "complaints --help" 0 "" -- "$bin" complaints --help
check "act --help" 0 "" -- "$bin" complaints act --help
check "empty list" 0 "" -- "$bin" complaints list --json
expect_out "empty list is one JSON object" '^\{"complaints":\[\]\}$'
check "unknown case" 1 "no complaint" -- "$bin" complaints show nope
check "unknown action" 2 "ACTION" -- "$bin" complaints act nope frobnicate
check "bad state filter" 2 "--state" -- "$bin" complaints list --state lost

"$bin" serve --listen 127.0.0.1:0 >serve.txt 2>serve-err.txt &
server=$!
base=""
for _ in $(seq 1 100); do
  base=$(grep -oE 'http://127\.0\.0\.1:[0-9]+' serve.txt 2>/dev/null | head -n 1)
  [[ -n "$base" ]] && break
  sleep 0.1
done
[[ -n "$base" ]] || { echo "FAIL serve printed no URL"; cat serve.txt serve-err.txt; exit 1; }
code=$(curl -s -o filed.json -w '%{http_code}' -F category=fraud -F 'description=a fake bank voice' "$base/v1/complaints")
if [[ $code == 201 ]]; then passed=$((passed + 1)); echo "ok   filed over HTTP"
else failed=$((failed + 1)); echo "FAIL filing answered $code: $(cat filed.json)"; fi
tracking=$(grep -oE '"tracking_code":"[^"]+"' filed.json | cut -d'"' -f4)

check "list" 0 "" -- "$bin" complaints list --json
expect_out "the case is listed" "\"tracking_code\":\"$tracking\""
id=$(grep -oE '"id":"[^"]+"' out.txt | head -n 1 | cut -d'"' -f4)
check "skipping a step is refused" 1 "cannot go from received to closed" -- \
  "$bin" complaints act "$id" transition --to closed
check "acknowledge" 0 "" -- "$bin" complaints act "$id" transition --to acknowledged --actor alice --json
expect_out "acknowledged" '"state":"acknowledged"'
check "takedown without a trace" 1 "not traced" -- "$bin" complaints act "$id" takedown
check "show" 0 "" -- "$bin" complaints show "$id" --json
expect_out "events" '"actor":"alice","at":"[^"]+","audit_index":[0-9]+,"from":"received","kind":"transition"'
check "report to the authorities" 0 "" -- "$bin" complaints act "$id" report_to_authorities --pdf case.pdf --json
expect_out "the package" '"inclusion_proofs":\[\{'
if pdftotext -enc UTF-8 case.pdf case.txt && grep -q "$tracking" case.txt; then
  passed=$((passed + 1)); echo "ok   the PDF reads back with the tracking code"
else failed=$((failed + 1)); echo "FAIL the PDF: $(cat case.txt 2>/dev/null | head -5)"; fi
code=$(curl -s -o status.json -w '%{http_code}' "$base/v1/complaints/$tracking")
if [[ $code == 200 ]] && grep -q '"state":"acknowledged"' status.json; then
  passed=$((passed + 1)); echo "ok   the public status follows"
else failed=$((failed + 1)); echo "FAIL status $code: $(cat status.json)"; fi

kill -TERM "$server"; wait "$server"; server=""
finish
