#!/usr/bin/env bash
# The command line's contract (DESIGN.md): --help everywhere, exit 0 on success, 1 on a
# refused input or failure, 2 on a usage or configuration error, and one clear line on
# stderr — never a stack trace or a crash.
# Usage: cli_contract_test.sh PATH/TO/synthgate [PATH/TO/shared/testdata]
set -u
harness=$(realpath "$(dirname "$0")/cli_harness.sh")
bin=$(realpath "$1")
testdata=$(realpath "${2:-$(dirname "$0")/../../../shared/testdata}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
source "$harness"


check "help" 0 "" -- "$bin" --help
grep -q "serve" out.txt || { failed=$((failed + 1)); echo "FAIL help lists serve"; }
check "serve --help" 0 "" -- "$bin" serve --help
grep -q -- "--db" out.txt || { failed=$((failed + 1)); echo "FAIL serve --help lists --db"; }
check "version" 0 "" -- "$bin" version
check "version --json" 0 "" -- "$bin" version --json
grep -qE '^\{"name":"synthgate","revision":"[^"]+","version":"[0-9.]+"\}$' out.txt \
  || { failed=$((failed + 1)); echo "FAIL version --json prints one JSON object: $(cat out.txt)"; }

check "no command" 2 "subcommand" -- "$bin"
check "unknown command" 2 "frobnicate" -- "$bin" frobnicate
check "unknown flag" 2 "--bogus" -- "$bin" serve --bogus
check "flag without value" 2 "--listen" -- "$bin" serve --listen

check "bad listen flag" 2 "server.listen.*HOST:PORT" -- "$bin" serve --listen nowhere
check "bad value in environment" 2 "SYNTHGATE_DATABASE_POOL_SIZE" -- env SYNTHGATE_DATABASE_POOL_SIZE=lots "$bin" serve
printf '[server]\nlisen = "127.0.0.1:1"\n' > bad.toml
check "unknown key in file" 2 "unknown configuration key server.lisen" -- "$bin" serve --config bad.toml
printf '[server\n' > broken.toml
check "broken TOML" 2 "broken.toml:1:" -- "$bin" serve --config broken.toml
check "missing config file" 2 "does not exist" -- "$bin" serve --config nowhere.toml
check "bad database scheme" 2 "sqlite:PATH or postgresql://" -- "$bin" serve --db mysql://root@db/x

check "unreachable database" 1 "cannot connect" -- \
  "$bin" serve --db "postgresql://admin:hunter2@127.0.0.1:1/synthgate?connect_timeout=2"
grep -q hunter2 err.txt && { failed=$((failed + 1)); echo "FAIL the password was printed"; }
head -c 8192 /dev/urandom > garbage.db
check "not a database" 1 "not a database" -- "$bin" serve --db sqlite:garbage.db

mkdir -p loose-keys && printf '%064d\n' 0 > loose-keys/vault.key && chmod 644 loose-keys/vault.key
check "key file others can read" 1 "chmod 600" -- env SYNTHGATE_KEYS_DIR=loose-keys "$bin" serve --db sqlite:ok.db

python_free_port=$(( 20000 + RANDOM % 30000 ))
"$bin" serve --listen 127.0.0.1:$python_free_port --db sqlite:first.db >first.out 2>first.err &
first=$!
for _ in $(seq 1 100); do grep -q listening first.out 2>/dev/null && break; sleep 0.1; done
check "port in use" 1 "cannot listen on 127.0.0.1:$python_free_port" -- "$bin" serve --listen 127.0.0.1:$python_free_port --db sqlite:second.db
kill -TERM $first; wait $first


# The audit log's commands (docs/audit-log.md).
check "audit --help" 0 "" -- "$bin" audit --help
grep -q "consistency" out.txt || { failed=$((failed + 1)); echo "FAIL audit --help lists consistency"; }
check "audit note without --actor" 2 "--actor" -- "$bin" audit note --text x --db sqlite:audit.db
check "audit note without text" 2 "--text or --from-file" -- "$bin" audit note --actor a --db sqlite:audit.db
check "audit note" 0 "" -- "$bin" audit note --actor a --text "first" --json --db sqlite:audit.db
grep -qE '^\{"index":0\}$' out.txt || { failed=$((failed + 1)); echo "FAIL audit note --json: $(cat out.txt)"; }
check "audit note from a missing file" 1 "cannot read" -- "$bin" audit note --actor a --from-file nowhere.txt --db sqlite:audit.db
check "audit proof outside the tree" 1 "tree size" -- "$bin" audit proof --index 5 --size 1 --json --db sqlite:audit.db
check "audit proof, size too large" 1 "fewer than" -- "$bin" audit proof --index 0 --size 9 --json --db sqlite:audit.db
check "audit export needs --json-lines" 2 "json-lines" -- "$bin" audit export --db sqlite:audit.db
check "audit export bad time" 2 "--from" -- "$bin" audit export --from yesterday --json-lines --db sqlite:audit.db
check "audit purge inside retention" 1 "retention period" -- "$bin" audit purge --before 2099-01-01 --db sqlite:audit.db
check "audit verify bad key" 2 "verifier key" -- "$bin" audit verify --key nonsense --json --db sqlite:audit.db
check "audit verify" 0 "" -- "$bin" audit verify --json --db sqlite:audit.db
grep -q '"ok":true' out.txt || { failed=$((failed + 1)); echo "FAIL audit verify: $(cat out.txt)"; }
check "audit report" 0 "" -- "$bin" audit report --from 2020-01-01 --to 2099-01-01 --json --db sqlite:audit.db
grep -q '"sequence_continuous":true' out.txt || { failed=$((failed + 1)); echo "FAIL audit report: $(cat out.txt)"; }
check "audit report needs a period" 2 "--to" -- "$bin" audit report --from 2020-01-01 --db sqlite:audit.db
check "audit retention below the minimum" 2 "audit.retention_days" -- env SYNTHGATE_AUDIT_RETENTION_DAYS=30 "$bin" audit verify --db sqlite:audit.db
# moderate text: the decision is the output (exit 0 for every decision); a bad lexicon is 1.
printf '法轮功\tA.1.1\tblock\n政府\tA.1.1\treview\tinitials\n' > terms.tsv
check "moderate text --help" 0 "" -- "$bin" moderate text --help
grep -q -- "--jsonl" out.txt || { failed=$((failed + 1)); echo "FAIL moderate text --help lists --jsonl"; }
printf '他在练法 輪功' > prompt.txt
check "moderate text --json" 0 "" -- sh -c "\"$bin\" moderate text --lexicon terms.tsv --json < prompt.txt"
grep -qE '^\{"decision":"block","matches":\[\{"action":"block","category":"A.1.1","end":19,"found_by":\["traditional","separator"\],"start":9,"term":"法轮功"\}\]\}$' out.txt \
  || { failed=$((failed + 1)); echo "FAIL moderate text --json: $(cat out.txt)"; }
printf '你好\n批评ZF\n' > lines.txt
check "moderate text --jsonl" 0 "" -- sh -c "\"$bin\" moderate text --lexicon terms.tsv --jsonl < lines.txt"
[[ $(grep -c '"decision":"pass"' out.txt) -eq 1 && $(grep -c '"decision":"review"' out.txt) -eq 1 ]] \
  || { failed=$((failed + 1)); echo "FAIL moderate text --jsonl: $(cat out.txt)"; }
printf 'only\ttwo\n' > broken.tsv
check "moderate text broken lexicon" 1 "broken.tsv:1: expected term" -- sh -c "echo x | \"$bin\" moderate text --lexicon broken.tsv"
check "moderate text missing lexicon" 2 "nowhere.tsv" -- sh -c "echo x | \"$bin\" moderate text --lexicon nowhere.tsv"
check "moderate without kind" 2 "" -- "$bin" moderate
check "moderate text bad classifier category" 2 "NAME:REVIEW_AT:BLOCK_AT" -- sh -c "echo x | \"$bin\" moderate text --lexicon terms.tsv --classifier http://127.0.0.1:1/c --classifier-category violence:high:0.9"
check "moderate text https classifier" 2 "must start with http://" -- sh -c "echo x | \"$bin\" moderate text --lexicon terms.tsv --classifier https://example.org/c"
# A classifier that cannot be reached fails closed for a category marked so: the text is blocked.
check "moderate text classifier down, fail closed" 0 "classifier error" -- sh -c "echo hello | \"$bin\" moderate text --lexicon terms.tsv --json --classifier http://127.0.0.1:1/c --classifier-timeout-ms 300 --classifier-category violence:0.5:0.8:block"
grep -q '"decision":"block"' out.txt && grep -q 'classifier_unavailable' out.txt \
  || { failed=$((failed + 1)); echo "FAIL classifier fail-closed: $(cat out.txt)"; }

# pdq and moderate image, on the shared PDQ conformance images.
pdq_images=$testdata/pdq/images
if [[ ! -f $pdq_images/bridge-mods/aaa-orig.jpg ]]; then
  failed=$((failed + 1)); echo "FAIL shared test data missing at $testdata"
else
  check "pdq" 0 "" -- "$bin" pdq "$pdq_images/bridge-mods/aaa-orig.jpg" "$pdq_images/misc-images/c.png"
  [[ "$(cut -d' ' -f1,2 out.txt | tr '\n' ' ')" == "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22 100 e64cc9d91c623882f8d1f1d9a398e78c9f199b3bd83924f2b7e11e0bf861b064 100 " ]] \
    || { failed=$((failed + 1)); echo "FAIL pdq prints HASH QUALITY PATH: $(cat out.txt)"; }
  check "pdq --json" 0 "" -- "$bin" pdq --json "$pdq_images/misc-images/wee.jpg"
  grep -qE '^\{"files":\[\{"hash":"[0-9a-f]{64}","path":".*wee.jpg","quality":100\}\]\}$' out.txt \
    || { failed=$((failed + 1)); echo "FAIL pdq --json: $(cat out.txt)"; }
  check "pdq not an image" 1 "terms.tsv: not a PNG, JPEG, WebP or BMP image" -- "$bin" pdq terms.tsv
  check "pdq without files" 2 "IN" -- "$bin" pdq
  echo "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22 bridge" > blocklist.txt
  check "moderate image --json" 0 "" -- "$bin" moderate image "$pdq_images/bridge-mods/blur-a-lot.jpg" --blocklist blocklist.txt --json
  grep -qE '^\{"decision":"block","matches":\[\{"distance":4,' out.txt \
    || { failed=$((failed + 1)); echo "FAIL moderate image --json: $(cat out.txt)"; }
  check "moderate image unrelated" 0 "" -- "$bin" moderate image "$pdq_images/misc-images/c.png" --blocklist blocklist.txt --json
  grep -q '"decision":"pass"' out.txt || { failed=$((failed + 1)); echo "FAIL moderate image pass: $(cat out.txt)"; }
  echo "not a hash" > bad-blocklist.txt
  check "moderate image bad blocklist" 1 "bad-blocklist.txt:1: expected a 64-hex-digit PDQ hash" -- "$bin" moderate image "$pdq_images/misc-images/c.png" --blocklist bad-blocklist.txt --json
fi

# moderate video: a clip whose second half shows a blocklisted picture is blocked at that time.
ffmpeg -loglevel error -y -f lavfi -i mandelbrot=size=320x240 -frames:v 1 blocked.png
ffmpeg -loglevel error -y -f lavfi -i testsrc=size=320x240:rate=25:duration=2 -loop 1 -framerate 25 -t 2 -i blocked.png \
  -filter_complex '[0:v]setsar=1[a];[1:v]setsar=1[b];[a][b]concat=n=2:v=1:a=0,format=yuv420p' -c:v libx264 showing.mp4
"$bin" pdq blocked.png | cut -d' ' -f1 | sed 's/$/ case-7/' > video-blocklist.txt
check "moderate video --json" 0 "" -- "$bin" moderate video showing.mp4 --blocklist video-blocklist.txt --json
grep -qE '^\{"decision":"block",.*"matches":\[\{"distance":[0-9]+,"hash":"[0-9a-f]{64}","label":"case-7",.*"seconds":2(\.0[0-9]*)?,' out.txt \
  || { failed=$((failed + 1)); echo "FAIL moderate video --json: $(cat out.txt)"; }
check "moderate video without a blocklist" 0 "" -- "$bin" moderate video showing.mp4 --json
grep -q '"decision":"pass"' out.txt || { failed=$((failed + 1)); echo "FAIL moderate video pass: $(cat out.txt)"; }
check "moderate video not a video" 1 "terms.tsv" -- "$bin" moderate video terms.tsv --json
check "moderate video without a file" 2 "IN" -- "$bin" moderate video

finish
