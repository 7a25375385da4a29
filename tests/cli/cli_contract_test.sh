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

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
