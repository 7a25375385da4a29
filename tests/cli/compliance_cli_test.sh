#!/usr/bin/env bash
# `synthgate compliance ...` (issue 11) against the CLI contract: exit 0/1/2, one line on
# stderr, --json one JSON object; a sample inventory to a signed scope assessment; the reports
# written atomically and read back with pdftotext. Usage: compliance_cli_test.sh synthgate DATA_DIR
set -u
harness=$(realpath "$(dirname "$0")/cli_harness.sh")
bin=$(realpath "$1")
data=$(realpath "$2")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
export SYNTHGATE_KEYS_DIR="$work/keys"
export SYNTHGATE_COMPLIANCE_REGISTERED_USERS_THRESHOLD=1
db="sqlite:$work/records.db"
source "$harness"


check "compliance --help" 0 "" -- "$bin" compliance --help
expect_file "help names the subcommands" out.txt 'inventory'
check "compliance without a subcommand" 2 "" -- "$bin" compliance

# Bad input names the item.
python3 - "$data/sample-inventory.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
bad = json.loads(json.dumps(doc)); bad["products"][0]["unit"] = "bu-ghost"
json.dump(bad, open("unknown-unit.json", "w"))
bad = json.loads(json.dumps(doc)); del bad["features"][1]["questionnaire"]["reachable_in_china"]
json.dump(bad, open("missing-answer.json", "w"))
PY
check "unknown unit refused" 1 'product p-chat: unknown business unit "bu-ghost"' -- \
  "$bin" compliance inventory import unknown-unit.json --db "$db"
check "missing answer refused" 1 'feature f-poster: questionnaire has no answer for reachable_in_china' -- \
  "$bin" compliance inventory import missing-answer.json --db "$db"

check "import" 0 "" -- "$bin" compliance inventory import "$data/sample-inventory.json" --db "$db" --json
expect_file "import gives version 1" out.txt '^\{"sha256":"[0-9a-f]{64}","version":1\}$'
check "export" 0 "" -- "$bin" compliance inventory export --db "$db" --out exported.json
expect_file "export holds the API" exported.json '"api-voice"'
check "re-import of the export is the same version" 0 "" -- \
  "$bin" compliance inventory import exported.json --db "$db" --json
expect_file "still version 1" out.txt '"version":1'
sed 's/sg-chat-7b/sg-chat-13b/' exported.json > changed.json
check "import a change" 0 "" -- "$bin" compliance inventory import changed.json --db "$db" --json
check "diff" 0 "" -- "$bin" compliance inventory diff 1 2 --db "$db" --json
expect_file "diff names the change" out.txt '"id":"f-chat".*"path":"/questionnaire/model"'

check "sign before a lead" 1 "no compliance lead" -- "$bin" compliance sign --signer wang --db "$db"
check "unknown role" 2 "--role" -- "$bin" compliance role --role boss --person x --db "$db"
check "designate the lead" 0 "" -- "$bin" compliance role --role compliance_lead --person wang --db "$db"
check "designate the owner" 0 "" -- \
  "$bin" compliance role --role data_governance_owner --person zhao --db "$db"
check "only the lead signs" 1 "not the designated compliance lead" -- \
  "$bin" compliance sign --signer zhao --db "$db"
check "sign" 0 "" -- "$bin" compliance sign --signer wang --db "$db" --json
expect_file "signed version 2" out.txt '"signer":"wang".*"version":2'

# A registered user crosses the threshold of 1: one alert, once.
check "register a user" 0 "" -- "$bin" users create --db "$db" --phone 13800138000 --actor cli
"$bin" compliance assess --db "$db" --json >out.txt 2>err.txt
rc=$?
[[ $rc -eq 0 ]] && grep -q 'alert: registered_users 1 reached the threshold 1' err.txt \
  && { passed=$((passed + 1)); echo "ok   assess alerts on the threshold"; } \
  || { failed=$((failed + 1)); echo "FAIL assess: rc $rc $(cat err.txt)"; }
expect_file "assess shows scope, metrics and signer" out.txt \
  '"registered_users":1.*"signed_by":\["wang"\]'
check "assess again raises nothing new" 0 "" -- "$bin" compliance assess --db "$db" --json
expect_file "no new alerts" out.txt '"alerts":\[\]'

check "tasks" 0 "" -- "$bin" compliance tasks --db "$db" --json
expect_file "filing and log tasks listed" out.txt '"kind":"security_assessment_filing".*|"kind":"log_completeness"'
expect_file "log task for the data-governance owner" out.txt '"kind":"log_completeness".*"owner":"data_governance_owner"|"owner":"data_governance_owner".*"kind":"log_completeness"'
task=$(python3 -c 'import json,sys; print([t["id"] for t in json.load(open("out.txt"))["tasks"] if t["kind"]=="log_completeness"][0])')
check "verify-logs by someone else" 1 "not the designated data-governance owner" -- \
  "$bin" compliance tasks verify-logs "$task" --person wang --db "$db"
check "verify-logs" 0 "" -- "$bin" compliance tasks verify-logs "$task" --person zhao --db "$db" --json
expect_file "task done with the report" out.txt '"state":"done".*|"verified":true'

check "dataset add missing field" 2 "" -- "$bin" compliance datasets add --source x --db "$db"
check "dataset add" 0 "" -- "$bin" compliance datasets add --source "新闻 news" --licence "CC BY" \
  --pi-basis none --consent "n/a" --collected-on 2026-01-01 --db "$db" --json
expect_file "dataset stored" out.txt '"source":"新闻 news"'

for kind in scope filing self-assessment; do
  check "report $kind pdf" 0 "" -- "$bin" compliance report --kind $kind --format pdf \
    --out "$kind.pdf" --db "$db"
  pdftotext -enc UTF-8 "$kind.pdf" "$kind.txt"
  pdftoppm -png -r 50 -f 1 -l 1 "$kind.pdf" "$kind-page"
  [[ -s $(ls "$kind"-page*.png | head -1) ]] && { passed=$((passed + 1)); echo "ok   $kind rasterises"; } \
    || { failed=$((failed + 1)); echo "FAIL $kind does not rasterise"; }
done
expect_file "scope PDF names the signer" scope.txt 'wang'
expect_file "scope PDF bilingual" scope.txt '范围评估'
expect_file "filing PDF has the label samples" filing.txt '本内容由人工智能生成'
expect_file "filing PDF has the representative" filing.txt '示例（上海）信息技术有限公司'
expect_file "self-assessment PDF has the obligations" self-assessment.txt 'Obligations, controls and evidence'
# A test run as evidence: a ctest JUnit report, failures listed first; a file that is not
# one is refused naming it, and leaves no output.
cat >junit.xml <<'XML'
<testsuite name="ci" tests="3" failures="1" timestamp="2026-11-29T07:00:00">
  <testcase name="core" classname="core" time="0.2" status="run"/>
  <testcase name="pipeline/sqlite" classname="pipeline/sqlite" time="13.9" status="fail"><failure/></testcase>
  <testcase name="audit/sqlite" classname="audit/sqlite" time="1.5" status="run"/>
</testsuite>
XML
check "self-assessment with test results" 0 "" -- "$bin" compliance report --kind self-assessment \
  --format pdf --out tested.pdf --test-results junit.xml --db "$db"
pdftotext -enc UTF-8 -layout tested.pdf tested.txt
expect_file "test results section" tested.txt 'Test results'
expect_file "failed test listed" tested.txt 'pipeline/sqlite +failed'
expect_file "counts from the report" tested.txt 'Passed +2'
echo '<html/>' >not-junit.xml
check "test results that are not JUnit" 1 "not-junit.xml" -- "$bin" compliance report \
  --kind self-assessment --format pdf --out never.pdf --test-results not-junit.xml --db "$db"
[[ ! -e never.pdf ]] && { passed=$((passed + 1)); echo "ok   refused report leaves no file"; } \
  || { failed=$((failed + 1)); echo "FAIL never.pdf was written"; }
check "test results with another kind" 2 "self-assessment" -- "$bin" compliance report --kind scope \
  --format pdf --out never.pdf --test-results junit.xml --db "$db"
check "report html" 0 "" -- "$bin" compliance report --kind filing --format html --out f.html --db "$db"
expect_file "html carries the image sample" f.html 'data:image/png;base64,'
check "report json" 0 "" -- "$bin" compliance report --kind scope --format json --out s.json --db "$db"
expect_file "json report" s.json '"heading": "1 结论 Summary"'
check "report bad kind" 2 "--kind" -- "$bin" compliance report --kind x --format pdf --out x.pdf --db "$db"
check "report bad format" 2 "--format" -- "$bin" compliance report --kind scope --format doc --out x --db "$db"

finish
