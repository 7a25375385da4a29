#!/usr/bin/env bash
# `synthgate keys create|list|revoke` (issue 9) against the CLI contract of DESIGN.md:
# exit 0/1/2, one line on stderr, --json prints one JSON object; and no token or secret in
# the SQLite files, only its SHA-256. Usage: keys_cli_test.sh PATH/TO/synthgate
set -u
harness=$(realpath "$(dirname "$0")/cli_harness.sh")
bin=$(realpath "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
export SYNTHGATE_KEYS_DIR="$work/keys"
db="sqlite:$work/records.db"
source "$harness"


check "keys --help" 0 "" -- "$bin" keys --help
expect_out "help names the subcommands" 'create'
check "keys without a subcommand" 2 "" -- "$bin" keys
check "create needs --role" 2 "" -- "$bin" keys create --db "$db"
check "create refuses an unknown role" 2 "--role" -- "$bin" keys create --db "$db" --role admin
check "create refuses the public role" 2 "--role" -- "$bin" keys create --db "$db" --role public

check "create a service key" 0 "" -- "$bin" keys create --db "$db" --role service --user user-1 \
  --name "chat proxy" --rate 5 --burst 10 --json
expect_out "create prints the token once" '^\{.*"token":"sg_[0-9a-f]{16}_[0-9a-f]{64}"'
expect_out "create JSON has role, user and rate" '"role":"service".*"user_id":"user-1"'
[[ $(wc -l < out.txt) -eq 1 ]] && { passed=$((passed + 1)); echo "ok   one JSON line"; } \
  || { failed=$((failed + 1)); echo "FAIL create printed $(wc -l < out.txt) lines"; }
token=$(grep -oE 'sg_[0-9a-f]{16}_[0-9a-f]{64}' out.txt)
id=${token:3:16}
secret=${token:20}

check "create without --json prints the token" 0 "" -- "$bin" keys create --db "$db" --role auditor
expect_out "plain create prints only the token" '^sg_[0-9a-f]{16}_[0-9a-f]{64}$'

check "list --json" 0 "" -- "$bin" keys list --db "$db" --json
expect_out "list shows both keys" "^\{\"keys\":\[.*\"id\":\"$id\".*\"role\":\"auditor\""
if grep -q "$secret" out.txt || grep -q '"token"' out.txt; then
  failed=$((failed + 1)); echo "FAIL list shows a secret"
else
  passed=$((passed + 1)); echo "ok   list never shows a secret"
fi

check "revoke" 0 "" -- "$bin" keys revoke --db "$db" "$id" --json
expect_out "revoke marks the key" "\"id\":\"$id\".*\"revoked\":true"
check "revoke again is refused" 1 "already revoked" -- "$bin" keys revoke --db "$db" "$id"
check "revoke an unknown key" 1 "no API key" -- "$bin" keys revoke --db "$db" 0123456789abcdef
check "revoke needs an id" 2 "" -- "$bin" keys revoke --db "$db"

# At rest: the secret's SHA-256, never the secret (SQLite files, WAL included).
digest=$(printf %s "$secret" | sha256sum | cut -d' ' -f1)
if cat records.db* | grep -aq "$secret"; then
  failed=$((failed + 1)); echo "FAIL the secret is in the database files"
else
  passed=$((passed + 1)); echo "ok   the secret is not in the database files"
fi
if cat records.db* | grep -aq "$digest"; then
  passed=$((passed + 1)); echo "ok   its SHA-256 is"
else
  failed=$((failed + 1)); echo "FAIL the digest is not in the database files"
fi

finish
