#!/usr/bin/env bash
# `synthgate serve` end to end over real HTTP: starts, prints its URL and database,
# answers /healthz, /metrics, /openapi.json, /v1/detections and /v1/propagations, admits API
# keys by role (the development keys of its first start and keys from `synthgate keys`), and
# exits 0 on SIGTERM.
# Usage: serve_test.sh PATH/TO/synthgate sqlite|postgresql [FILE_WITH_POSTGRES_URL]
set -u
bin=$(realpath "$1")
backend=$2
work=$(mktemp -d)
cd "$work"
server=""
cleanup() { [[ -n "$server" ]] && kill -KILL "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
passed=0 failed=0
ok() { passed=$((passed + 1)); echo "ok   $1"; }
bad() { failed=$((failed + 1)); echo "FAIL $1"; }

args=(serve --listen 127.0.0.1:0)
if [[ $backend == postgresql ]]; then
  url=$(cat "$3") || { echo "no PostgreSQL URL in $3"; exit 1; }
  args+=(--db "$url")
fi  # sqlite: the default, ./var/synthgate.db, as `make run` uses it

"$bin" "${args[@]}" >out.txt 2>err.txt &
server=$!
base=""
for _ in $(seq 1 100); do
  base=$(grep -oE 'http://127\.0\.0\.1:[0-9]+' out.txt 2>/dev/null | head -n 1)
  [[ -n "$base" ]] && break
  sleep 0.1
done
[[ -n "$base" ]] && ok "prints its URL ($base)" || { bad "no URL printed"; cat out.txt err.txt; exit 1; }
grep -q "^database: ${backend}" out.txt && ok "prints its database ($(grep ^database: out.txt))" || bad "database line: $(cat out.txt)"
[[ $backend == sqlite ]] && { [[ -f var/synthgate.db ]] && ok "created var/synthgate.db" || bad "no var/synthgate.db"; }

code=$(curl -s -o health.json -w '%{http_code}' "$base/healthz")
[[ $code == 200 ]] && grep -q '"status":"ok"' health.json && ok "/healthz 200 $(cat health.json)" || bad "/healthz $code $(cat health.json)"
code=$(curl -s -o openapi.json -w '%{http_code}' "$base/openapi.json")
[[ $code == 200 ]] && grep -q '"openapi": "3.1.0"' openapi.json && ok "/openapi.json" || bad "/openapi.json $code"
code=$(curl -s -o metrics.txt -w '%{http_code}' "$base/metrics")
[[ $code == 200 ]] && grep -q 'route="/healthz",status="200"} 1' metrics.txt && ok "/metrics counts /healthz" || bad "/metrics $code"
code=$(curl -s -o entries.json -w '%{http_code}' "$base/v1/audit/entries")
[[ $code == 401 ]] && grep -q '"unauthenticated"' entries.json && ok "/v1/audit/entries 401 without a key" || bad "/v1/audit/entries $code $(cat entries.json)"

# Development keys: one per role in var/keys/dev-api-keys.txt (0600), two in the banner.
# Made only when the database has no key yet: a fresh SQLite file here; the shared
# PostgreSQL test database may have keys from other tests, so there keys come from the CLI.
db_args=(); [[ $backend == postgresql ]] && db_args=(--db "$url")
keyfile=var/keys/dev-api-keys.txt
if [[ $backend == sqlite ]]; then
  [[ -f $keyfile && $(stat -c %a $keyfile) == 600 ]] && ok "wrote $keyfile (0600)" || bad "no $keyfile with mode 0600"
  dev_key() { awk -v r="$1" '$1 == r {print $2}' $keyfile; }
  service=$(dev_key service); auditor=$(dev_key auditor); officer=$(dev_key compliance_officer)
  grep -q "service: $service" out.txt && grep -q "compliance_officer: $officer" out.txt && [[ -n $service ]] \
    && ok "the banner prints the service and compliance keys" || bad "banner: $(cat out.txt)"
else
  service=$("$bin" keys create "${db_args[@]}" --role service 2>/dev/null)
  auditor=$("$bin" keys create "${db_args[@]}" --role auditor 2>/dev/null)
fi
code=$(curl -s -o entries.json -w '%{http_code}' -H "Authorization: Bearer $auditor" "$base/v1/audit/entries?type=configuration_changed")
[[ $code == 200 ]] && grep -q '"api_key_created"' entries.json && ok "an auditor key reads entries (key creation audited)" || bad "auditor key: $code $(cat entries.json)"
code=$(curl -s -o entries.json -w '%{http_code}' -H "X-API-Key: $service" "$base/v1/audit/entries")
[[ $code == 403 ]] && grep -q '"permission_denied"' entries.json && ok "a service key may not read entries (403)" || bad "service key: $code $(cat entries.json)"
code=$(curl -s -o user.json -w '%{http_code}' -H "Authorization: Bearer $service" -d '{"kind":"individual"}' "$base/v1/users")
[[ $code == 201 ]] && ok "a service key registers a user" || bad "POST /v1/users $code $(cat user.json)"
code=$(curl -s -o user.json -w '%{http_code}' -d '{"kind":"individual"}' "$base/v1/users")
[[ $code == 401 ]] && ok "registering without a key is 401" || bad "POST /v1/users without key $code"

# Keys from the CLI on the same database: a fresh one works, a revoked one is refused.
fresh=$("$bin" keys create "${db_args[@]}" --role regulator_readonly --name test 2>/dev/null)
gone=$("$bin" keys create "${db_args[@]}" --role regulator_readonly 2>/dev/null)
"$bin" keys revoke "${db_args[@]}" "${gone:3:16}" >/dev/null 2>&1
code=$(curl -s -o entries.json -w '%{http_code}' -H "Authorization: Bearer $fresh" "$base/v1/audit/entries")
[[ $code == 200 ]] && ok "a key made by synthgate keys create reads entries" || bad "CLI key: $code $(cat entries.json)"
code=$(curl -s -o entries.json -w '%{http_code}' -H "Authorization: Bearer $gone" "$base/v1/audit/entries")
[[ $code == 401 ]] && ok "a key revoked by synthgate keys revoke is refused" || bad "revoked key: $code $(cat entries.json)"
code=$(curl -s -o consistency.json -w '%{http_code}' "$base/v1/audit/proofs/consistency?first=0&second=0")
[[ $code == 200 ]] && grep -q '"proof":\[\]' consistency.json && ok "/v1/audit/proofs/consistency $(cat consistency.json)" || bad "/v1/audit/proofs/consistency $code $(cat consistency.json)"
code=$(curl -s -o chat.json -w '%{http_code}' -H "Authorization: Bearer $service" -H 'X-SynthGate-User: nobody' -H 'Content-Type: application/json' \
  -d '{"messages":[{"role":"user","content":"hi"}]}' "$base/v1/chat/completions")
[[ $code == 403 ]] && grep -q '"identity_not_verified"' chat.json && ok "/v1/chat/completions refuses an unverified user" || bad "/v1/chat/completions $code $(cat chat.json)"
code=$(curl -s -o missing.json -w '%{http_code}' "$base/v1/missing")
[[ $code == 404 ]] && grep -q '"code":"not_found"' missing.json && ok "unknown route is a JSON 404" || bad "unknown route $code"

# Detection (public) and platform-mode propagation (docs/detection.md) with real uploads.
printf -- '---\ntitle: forecast\n---\n\n本内容由人工智能生成\n\nSunny all week.\n' > labelled.md
code=$(curl -s -o detection.json -w '%{http_code}' -F file=@labelled.md "$base/v1/detections")
[[ $code == 200 ]] && grep -q '"verdict":"suspected"' detection.json && ok "/v1/detections: a visible label is suspected" || bad "/v1/detections $code $(cat detection.json)"
code=$(curl -s -o detection.json -w '%{http_code}' -H 'Content-Type: application/octet-stream' --data-binary @labelled.md "$base/v1/detections?declared_ai=true")
[[ $code == 200 ]] && grep -q '"verdict":"possible"' detection.json && ok "/v1/detections: raw body, declared" || bad "/v1/detections raw $code $(cat detection.json)"
code=$(curl -s -o propagated.md -D headers.txt -w '%{http_code}' -H "Authorization: Bearer $service" -F file=@labelled.md -F propagator=PLATFORM-A -F propagate_id=P-1 "$base/v1/propagations")
if [[ $code == 200 ]] && grep -qi '^X-SynthGate-Label: 3' headers.txt \
   && "$bin" meta read propagated.md --json | grep -q '"ContentPropagator":"PLATFORM-A","PropagateID":"P-1","ReservedCode2":"sg2:'; then
  ok "/v1/propagations: Label 3 with the platform's fields"
else
  bad "/v1/propagations $code $(cat headers.txt propagated.md)"
fi
printf '# Forecast\n\nSunny all week.\n' > plain.md
code=$(curl -s -o refused.json -w '%{http_code}' -H "Authorization: Bearer $service" -F file=@plain.md "$base/v1/propagations?propagator=PLATFORM-A")
[[ $code == 422 ]] && grep -q '"failed_precondition"' refused.json && ok "/v1/propagations: nothing to propagate is 422" || bad "/v1/propagations plain $code $(cat refused.json)"

kill -TERM "$server"
wait "$server"
rc=$?
server=""
[[ $rc -eq 0 ]] && ok "exits 0 on SIGTERM" || bad "exit $rc on SIGTERM"
grep -q "stopped" err.txt && ok "logs its stop" || bad "no stop logged"
grep -qE 'terminate called|AddressSanitizer|runtime error' err.txt && bad "crash output: $(cat err.txt)"

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
