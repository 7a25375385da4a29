#!/usr/bin/env bash
# The audit log survives its writer being killed: `synthgate audit note --from-file` prints
# each index once the note is durable; we SIGKILL it at random moments 100 times, then
# every acknowledged note must be in the log under its index and `audit verify` must pass.
# Usage: audit_crash_test.sh PATH/TO/synthgate sqlite|postgresql [FILE_WITH_POSTGRES_URL]
set -u
bin=$(realpath "$1")
backend=$2
rounds=${AUDIT_CRASH_ROUNDS:-100}
work=$(mktemp -d)
cd "$work"
writer=""
pg_admin="" pg_db=""
cleanup() {
  [[ -n "$writer" ]] && kill -KILL "$writer" 2>/dev/null
  [[ -n "$pg_db" ]] && psql -q "$pg_admin" -c "DROP DATABASE IF EXISTS $pg_db" >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT

if [[ $backend == postgresql ]]; then
  pg_admin=$(cat "$3") || { echo "no PostgreSQL URL in $3"; exit 1; }
  pg_db="audit_crash_$$"
  psql -q "$pg_admin" -c "CREATE DATABASE $pg_db" >/dev/null || { echo "cannot create $pg_db"; exit 1; }
  db="${pg_admin%/*}/$pg_db"
else
  db="sqlite:$work/audit.db"
fi
export SYNTHGATE_KEYS_DIR=$work/keys
export SYNTHGATE_AUDIT_CHECKPOINT_EVERY_ENTRIES=50

# The key set first, so no round is killed while it is being made.
"$bin" audit pubkey --db "$db" > pubkey.txt || { echo "FAIL audit pubkey"; exit 1; }

lines=300
acked=0 interrupted=0
: > expected.txt
for round in $(seq 1 "$rounds"); do
  for k in $(seq 1 $lines); do echo "crash-$round-$k"; done > notes.txt
  "$bin" audit note --actor crash-test --from-file notes.txt --db "$db" > ack.txt 2> err.txt &
  writer=$!
  # Start-up time depends on the machine's load: wait for the first acknowledgement (or the
  # writer's end), then kill at a random moment within the next 0.2 s.
  for _ in $(seq 1 500); do
    [[ -s ack.txt ]] && break
    kill -0 "$writer" 2>/dev/null || break
    sleep 0.01
  done
  sleep "0.$(printf '%03d' $((RANDOM % 200)))"
  kill -KILL "$writer" 2>/dev/null
  wait "$writer" 2>/dev/null
  writer=""
  if grep -qiE 'error|synthgate:' err.txt; then echo "FAIL round $round: $(head -3 err.txt)"; exit 1; fi
  # Only whole lines are acknowledgements: `read` skips a final line without its newline.
  k=0 n=0
  while IFS= read -r index; do
    k=$((k + 1)); n=$((n + 1))
    echo "$index crash-$round-$k" >> expected.txt
  done < ack.txt
  acked=$((acked + n))
  (( n < lines )) && interrupted=$((interrupted + 1))
done
echo "killed the writer $rounds times ($interrupted while notes were still being written); $acked notes acknowledged"

"$bin" audit verify --json --db "$db" > verify.json 2> verify.err
rc=$?
if [[ $rc -ne 0 ]] || ! grep -q '"ok":true' verify.json; then
  echo "FAIL audit verify (exit $rc): $(cat verify.json verify.err)"; exit 1
fi
echo "ok   audit verify: $(cat verify.json)"

"$bin" audit export --json-lines --no-proofs --db "$db" > export.jsonl 2> export.err \
  || { echo "FAIL export: $(cat export.err)"; exit 1; }
sed -nE 's/.*"details":\{"text":"(crash-[0-9]+-[0-9]+)"\}.*"index":([0-9]+),.*/\2 \1/p' export.jsonl \
  | sort > present.txt
sort expected.txt > expected.sorted
missing=$(comm -23 expected.sorted present.txt | wc -l)
if [[ $missing -ne 0 ]]; then
  echo "FAIL $missing acknowledged notes are missing or under another index, e.g.:"
  comm -23 expected.sorted present.txt | head -5
  exit 1
fi
if [[ $interrupted -eq 0 || $acked -eq 0 ]]; then
  echo "FAIL no round was killed mid-write; the test proved nothing"; exit 1
fi
echo "ok   all $acked acknowledged notes present under their indexes ($(wc -l < export.jsonl) entries in the log)"
