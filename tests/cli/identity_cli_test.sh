#!/usr/bin/env bash
# `synthgate id check`, `users` and `consents` (issue 7) against the CLI contract of
# DESIGN.md: exit 0/1/2, one line on stderr, --json prints one JSON object; and no plaintext
# personal data in the SQLite files. Usage: identity_cli_test.sh PATH/TO/synthgate
set -u
harness=$(realpath "$(dirname "$0")/cli_harness.sh")
bin=$(realpath "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
export SYNTHGATE_KEYS_DIR="$work/keys"
db="sqlite:$work/records.db"
source "$harness"


check "id check --help" 0 "" -- "$bin" id check --help
check "valid resident ID" 0 "" -- "$bin" id check 11010519491231002X --json
expect_out "valid JSON" '^\{.*"kind":"resident_id".*"valid":true'
check "wrong check character" 1 "MOD 11-2 gives X" -- "$bin" id check 110105194912310021 --json
expect_out "invalid JSON" '"valid":false'
check "pilot credit code warns" 0 "" -- "$bin" id check 91350100M0001TGQXM --json
expect_out "credit code warning" '"warnings":\["the check character is M'
check "unknown --kind is usage" 2 "unknown kind" -- "$bin" id check 123 --kind passport
check "mobile" 0 "" -- "$bin" id check "+86 138 0013 8000" --kind mobile --json
expect_out "mobile kind" '"kind":"mobile"'

check "users create refuses a bad number" 1 "id_number" -- \
  "$bin" users create --db "$db" --name 张三 --id-number 110105194912310021 --json
check "users create" 0 "" -- \
  "$bin" users create --db "$db" --name 张三 --id-number 11010519491231002X --phone 13812345678 --json
expect_out "created unverified" '"state":"unverified"'
user=$(sed -E 's/.*"id":"([^"]+)".*/\1/' out.txt)
check "users find by phone" 0 "" -- "$bin" users find --db "$db" --phone "+86 138 1234 5678" --json
expect_out "found" "\"$user\""
check "users suspend" 0 "" -- "$bin" users suspend "$user" --db "$db" --reason abuse --actor alice --json
expect_out "suspended" '"state":"suspended"'
check "users suspend twice" 1 "already suspended" -- \
  "$bin" users suspend "$user" --db "$db" --reason again --actor alice
check "users get" 0 "" -- "$bin" users get "$user" --db "$db" --json
expect_out "history" '"history":\[.*"to":"suspended"'
check "users reveal is audited" 0 "" -- \
  "$bin" users reveal "$user" --db "$db" --field phone --actor alice --purpose "support call"
expect_out "revealed" '^13812345678$'
check "users get unknown" 1 "no user" -- "$bin" users get nobody --db "$db"

check "consents add-subject" 0 "" -- "$bin" consents add-subject --db "$db" --name 赵演员 --json
subject=$(sed -E 's/.*"id":"([^"]+)".*/\1/' out.txt)
echo "signed consent" > consent.pdf
check "consents grant" 0 "" -- "$bin" consents grant --db "$db" --subject "$subject" \
  --modality face --purpose video --service '*' --user '*' --from 2020-01-01 --until 2099-01-01 \
  --evidence-file consent.pdf --json
consent=$(sed -E 's/.*"id":"([^"]+)".*/\1/' out.txt)
check "consents check allowed" 0 "" -- "$bin" consents check --db "$db" --subject "$subject" \
  --modality face --service s --user u --json
expect_out "allowed" '"allowed":true'
check "consents check voice" 0 "" -- "$bin" consents check --db "$db" --subject "$subject" \
  --modality voice --service s --user u --json
expect_out "no consent for voice" '"reason":"no_consent"'
check "consents revoke" 0 "" -- "$bin" consents revoke "$consent" --db "$db" --reason withdrawn
check "consents check after revoke" 0 "" -- "$bin" consents check --db "$db" --subject "$subject" \
  --modality face --service s --user u --json
expect_out "revoked" '"reason":"revoked"'
check "consents grant bad modality" 1 "smell" -- "$bin" consents grant --db "$db" \
  --subject "$subject" --modality smell --purpose p --service s --user u --from 2020-01-01 \
  --until 2021-01-01 --evidence-sha256 "$(printf 'a%.0s' {1..64})"

# Key rotation: data sealed under $SYNTHGATE_VAULT_KEY, then moved onto keys.dir/vault.key.
rot="sqlite:$work/rotation.db"
old_hex=$(printf 'ab%.0s' {1..32})
check "create under the old key" 0 "" -- env SYNTHGATE_VAULT_KEY="$old_hex" \
  "$bin" users create --db "$rot" --phone 13700137000
check "new key alone cannot open" 1 "not loaded" -- "$bin" users find --db "$rot" --phone 13700137000
printf '\xab%.0s' {1..32} > old.key && chmod 600 old.key
check "rewrap-keys" 0 "" -- "$bin" users rewrap-keys --db "$rot" --previous-key-file old.key --json
expect_out "rewrapped two keys" '"rewrapped":2'
check "new key alone opens after rewrap" 0 "" -- "$bin" users find --db "$rot" --phone 13700137000
expect_out "found after rotation" '^[0-9a-f-]{36}$'

check "audit verify" 0 "" -- "$bin" audit verify --db "$db" --json
for secret in 11010519491231002X 13812345678 张三 赵演员 "signed consent"; do
  if cat "$work"/records.db* | grep -aq -- "$secret"; then
    failed=$((failed + 1)); echo "FAIL plaintext $secret found in the database"
  else
    passed=$((passed + 1)); echo "ok   no plaintext $secret in the database"
  fi
done

finish
