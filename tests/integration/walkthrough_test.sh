#!/usr/bin/env bash
# The walkthrough `synthgate serve` prints for a newcomer (make run) works as printed: it is
# cut from the banner and run with bash against that server, in a fresh working directory
# like a fresh clone's. Then the labelled image it produced is checked with `synthgate detect`
# and traced back to its user with the development compliance key.
# Usage: walkthrough_test.sh PATH/TO/synthgate
set -u
bin=$(realpath "$1")
work=$(mktemp -d)
cd "$work"
server=""
cleanup() { [[ -n "$server" ]] && kill -KILL "$server" 2>/dev/null; rm -rf "$work" /tmp/synthgate-demo.png /tmp/synthgate-demo-labelled.png; }
trap cleanup EXIT
passed=0 failed=0
ok() { passed=$((passed + 1)); echo "ok   $1"; }
bad() { failed=$((failed + 1)); echo "FAIL $1"; }

"$bin" serve --listen 127.0.0.1:0 >out.txt 2>err.txt &
server=$!
for _ in $(seq 1 300); do
  grep -q -- '--- end of walkthrough ---' out.txt 2>/dev/null && break
  sleep 0.1
done
sed -n '/--- walkthrough/,/--- end of walkthrough/p' out.txt >walkthrough.sh
[[ -s walkthrough.sh ]] && ok "serve prints the walkthrough ($(wc -l <walkthrough.sh) lines)" || { bad "no walkthrough"; cat out.txt err.txt; exit 1; }

bash -eo pipefail walkthrough.sh >run.txt 2>&1 && ok "the walkthrough runs as printed" || bad "walkthrough failed: $(cat run.txt)"
grep -q '"state":"verified"' run.txt && ok "the user is verified with the development code" || bad "not verified: $(cat run.txt)"
grep -qi '^x-synthgate-labels: visible,watermark,metadata' run.txt && ok "the image comes back with all three labels" || bad "labels: $(cat run.txt)"
grep -q '"verdict":"confirmed"' run.txt && ok "detection says confirmed" || bad "detection: $(cat run.txt)"

"$bin" detect /tmp/synthgate-demo-labelled.png --json >detect.json 2>detect.err
grep -q '"verdict":"confirmed"' detect.json && ok "synthgate detect reads the labelled image" || bad "detect: $(cat detect.json detect.err)"
payload=$(grep -oi '^x-synthgate-watermark-payload: [0-9a-f]*' run.txt | awk '{print $2}' | tr -d '\r')
officer=$(awk '$1 == "compliance_officer" {print $2}' var/keys/dev-api-keys.txt)
base=$(grep -oE 'http://127\.0\.0\.1:[0-9]+' out.txt | head -n 1)
code=$(curl -s -o trace.json -w '%{http_code}' -H "Authorization: Bearer $officer" "$base/v1/contents?watermark_payload=$payload")
[[ $code == 200 ]] && grep -q '"state":"verified"' trace.json && ok "the watermark traces to the user" || bad "trace $code $(cat trace.json)"

kill -TERM "$server"; wait "$server"; server=""
echo "$passed passed, $failed failed"
[[ $failed == 0 ]]
