#!/usr/bin/env bash
# The command line's contract (DESIGN.md): --help everywhere, exit 0 on success, 1 on a
# refused input or failure, 2 on a usage or configuration error, and one clear line on
# stderr — never a stack trace or a crash.
# Usage: cli_contract_test.sh PATH/TO/synthgate
set -u
bin=$(realpath "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
passed=0 failed=0

check() {  # check NAME EXPECTED_EXIT STDERR_PATTERN -- command...
  local name=$1 want=$2 pattern=$3; shift 4
  "$@" >out.txt 2>err.txt
  local rc=$? lines
  lines=$(wc -l < err.txt)
  local why=""
  [[ $rc -eq $want ]] || why="exit $rc, wanted $want"
  if [[ -z "$why" && $want -ne 0 ]]; then
    [[ $lines -eq 1 ]] || why="stderr has $lines lines, wanted 1"
    [[ -z "$why" && -n "$pattern" ]] && ! grep -qE -- "$pattern" err.txt && why="stderr lacks /$pattern/"
  fi
  if grep -qiE 'terminate called|Aborted|Segmentation|AddressSanitizer|runtime error|Stack trace' err.txt; then
    why="crashed"
  fi
  if [[ -z "$why" ]]; then
    passed=$((passed + 1)); echo "ok   $name"
  else
    failed=$((failed + 1)); echo "FAIL $name: $why"; sed 's/^/     stderr: /' err.txt | head -5
  fi
}

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

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
