#!/usr/bin/env bash
# `synthgate serve` with the [identity] configuration: the identity-check service and the
# national identity token endpoint (local fakes over real HTTP that check the request
# signatures), the policy for 14 to 17, and a clear refusal to start without a secret.
# Usage: identity_providers_test.sh PATH/TO/synthgate
set -u
bin=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
cd "$work"
server="" fake=""
cleanup() {
  [[ -n "$server" ]] && kill -KILL "$server" 2>/dev/null
  [[ -n "$fake" ]] && kill -KILL "$fake" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
passed=0 failed=0
ok() { passed=$((passed + 1)); echo "ok   $1"; }
bad() { failed=$((failed + 1)); echo "FAIL $1"; }

secret=$(head -c 32 /dev/urandom | od -An -v -tx1 | tr -d ' \n')
python3 "$here/fake_identity_services.py" "$secret" >fake-port.txt &
fake=$!
for _ in $(seq 1 50); do [[ -s fake-port.txt ]] && break; sleep 0.1; done
fport=$(cat fake-port.txt)
[[ -n "$fport" ]] || { echo "the fake services did not start"; exit 1; }

cat >synthgate.toml <<TOML
[identity]
under_18 = "refuse"
max_attempts = 3
id_check_url = "http://127.0.0.1:$fport/id-check/verify"
id_check_app_id = "synthgate-test"
id_check_retries = 0
national_token_url = "http://127.0.0.1:$fport/national/token"
TOML

# Without the secrets serve refuses to start (exit 2, a configuration error), naming the variable.
"$bin" serve --config synthgate.toml --listen 127.0.0.1:0 >out0.txt 2>err0.txt &
pid=$!
for _ in $(seq 1 100); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done
if kill -0 $pid 2>/dev/null; then
  kill -KILL $pid; bad "serve started without SYNTHGATE_ID_CHECK_SECRET"
else
  wait $pid; rc=$?
  [[ $rc == 2 ]] && grep -q "no signing secret: set \$SYNTHGATE_ID_CHECK_SECRET" err0.txt && ok "no secret: exit 2, $(grep -o 'identity.id_check_url: no signing secret[^(]*' err0.txt)" \
    || bad "no secret: exit $rc $(cat err0.txt)"
fi

SYNTHGATE_ID_CHECK_SECRET=$secret SYNTHGATE_NATIONAL_TOKEN_SECRET=$secret \
  "$bin" serve --config synthgate.toml --listen 127.0.0.1:0 >out.txt 2>err.txt &
server=$!
base=""
for _ in $(seq 1 100); do
  base=$(grep -oE 'http://127\.0\.0\.1:[0-9]+' out.txt 2>/dev/null | head -n 1)
  [[ -n "$base" ]] && break
  sleep 0.1
done
[[ -n "$base" ]] || { bad "serve did not start"; cat out.txt err.txt; exit 1; }
key=$(awk '$1 == "service" {print $2}' var/keys/dev-api-keys.txt)
post() { curl -s -o "$1" -w '%{http_code}' -H "Authorization: Bearer $key" -H 'Content-Type: application/json' -d "$3" "$base$2"; }
field() { python3 -c "import json,sys; print(json.load(open('$1'))$2)"; }

# id_check: a name that matches, then one that does not.
code=$(post user.json /v1/users '{"kind":"individual","name":"张三","id_number":"11010519491231002X"}')
user=$(field user.json '["id"]')
code=$(post v.json "/v1/users/$user/verifications" '{"method":"id_check"}')
[[ $code == 201 && $(field v.json '["status"]') == passed ]] && ok "id_check: a matching name passes" || bad "id_check: $code $(cat v.json)"
curl -s -o u.json -H "Authorization: Bearer $key" "$base/v1/users/$user"
[[ $(field u.json '["state"]') == verified ]] && ok "id_check: the user is verified" || bad "state: $(cat u.json)"
code=$(post user2.json /v1/users '{"kind":"individual","name":"李四","id_number":"11010519491231002X"}')
user2=$(field user2.json '["id"]')
code=$(post v2.json "/v1/users/$user2/verifications" '{"method":"id_check"}')
[[ $code == 201 && $(field v2.json '["status"]') == failed ]] && ok "id_check: a mismatch fails ($(field v2.json '["message"]'))" || bad "mismatch: $code $(cat v2.json)"

# national_token: the token is checked by the service; a refused token changes nothing.
code=$(post user3.json /v1/users '{"kind":"individual"}')
user3=$(field user3.json '["id"]')
code=$(post v3.json "/v1/users/$user3/verifications" '{"method":"national_token"}')
vid=$(field v3.json '["id"]')
code=$(post c3.json "/v1/users/$user3/verifications/$vid/confirm" '{"response":"stale-token"}')
[[ $code != 200 ]] && grep -q "token expired" c3.json && ok "national_token: a refused token is refused ($code)" || bad "stale token: $code $(cat c3.json)"
code=$(post c3.json "/v1/users/$user3/verifications/$vid/confirm" '{"response":"good-token"}')
[[ $code == 200 && $(field c3.json '["state"]') == verified ]] && ok "national_token: a good token verifies" || bad "good token: $code $(cat c3.json)"

# under_18 = refuse: a 16-year-old (born 2010-06-01) is refused even with a matching name.
minor=$(python3 -c "
body='11010520100601001'
w=[7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2]
print(body+'10X98765432'[sum(int(d)*x for d,x in zip(body,w))%11])")
code=$(post user4.json /v1/users "{\"kind\":\"individual\",\"name\":\"张三\",\"id_number\":\"$minor\"}")
user4=$(field user4.json '["id"]')
code=$(post v4.json "/v1/users/$user4/verifications" '{"method":"id_check"}')
curl -s -o u4.json -H "Authorization: Bearer $key" "$base/v1/users/$user4"
[[ $code == 403 && $(field u4.json '["state"]') != verified ]] && grep -q "under 18" v4.json && ok "under_18 = refuse: a 16-year-old is refused (403)" \
  || bad "minor: $code $(cat v4.json) $(cat u4.json)"

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
