#!/usr/bin/env bash
# `synthgate detect` (issue 9) against the CLI contract of DESIGN.md: --help, exit 0 for every
# verdict, 1 on an unreadable or unsupported input with one line on stderr, 2 on usage, --json
# prints one JSON object. Files are made with `synthgate label`, `watermark embed` and
# `meta write`. Usage: detect_cli_test.sh PATH/TO/synthgate TESTDATA_DIR
set -u
harness=$(realpath "$(dirname "$0")/cli_harness.sh")
bin=$(realpath "$1")
photos="$2/pdq/images"
[[ -d "$photos" ]] || { echo "FAIL shared test data missing: $photos"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
export SYNTHGATE_KEYS_DIR="$work/keys"
unset SYNTHGATE_CONFIG
producer=001191440300708461136T1XGW3
source "$harness"


cp "$photos/reg-test-input/pen-and-coaster.png" in.png

check "detect --help" 0 "" -- "$bin" detect --help
grep -q -- "--declared-ai" out.txt && { passed=$((passed + 1)); echo "ok   --help names --declared-ai"; } \
  || { failed=$((failed + 1)); echo "FAIL --help lacks --declared-ai"; }

# The provider's full labelling: visible label, watermark and signed metadata label.
check "label png" 0 "" -- "$bin" label in.png labelled.png --producer $producer --json
check "detect labelled" 0 "" -- "$bin" detect labelled.png --json
expect_json "labelled: confirmed" 'j["verdict"] == "confirmed"'
expect_json "labelled: producer and intact signature" \
  'j["metadata"]["aigc"]["ContentProducer"] == "'$producer'" and j["metadata"]["signature"] == "intact"'
expect_json "labelled: watermark found with its payload" \
  'j["watermark"]["found"] and len(j["watermark"]["payload"]) == 16'
expect_json "labelled: the image label is not checked, with a reason" \
  'not j["explicit_label"]["checked"] and j["explicit_label"]["reason"]'

# The watermark alone: suspected (Art. 6 case 3).
check "embed" 0 "" -- "$bin" watermark embed in.png marked.png --payload 0123456789abcdef
check "detect watermarked" 0 "" -- "$bin" detect marked.png --json
expect_json "watermarked: suspected with the payload" \
  'j["verdict"] == "suspected" and j["metadata"] is None and j["watermark"]["payload"] == "0123456789abcdef"'

# Nothing: none; declared: possible (case 2).
check "detect plain" 0 "" -- "$bin" detect in.png --json
expect_json "plain: none" 'j["verdict"] == "none" and not j["watermark"]["found"]'
check "detect declared" 0 "" -- "$bin" detect in.png --declared-ai --json
expect_json "declared: possible" 'j["verdict"] == "possible" and j["declared_ai"]'

# Metadata written by `meta write` without a signature: confirmed, unsigned.
check "meta write" 0 "" -- "$bin" meta write in.png meta.png --label 1 --producer $producer --produce-id P1
check "detect meta-only" 0 "" -- "$bin" detect meta.png --json
expect_json "meta-only: confirmed, unsigned" 'j["verdict"] == "confirmed" and j["metadata"]["signature"] == "unsigned"'

# Text with a visible label: suspected.
printf '本内容由人工智能生成\n\nThe weather is sunny.\n' > labelled.txt
check "detect text" 0 "" -- "$bin" detect labelled.txt --json
expect_json "text: suspected by its visible label" \
  'j["verdict"] == "suspected" and j["kind"] == "text" and j["explicit_label"]["found"]'

# Without --json: a short summary naming the verdict.
check "summary" 0 "" -- "$bin" detect marked.png
grep -q "suspected" out.txt && { passed=$((passed + 1)); echo "ok   summary names the verdict"; } \
  || { failed=$((failed + 1)); echo "FAIL summary: $(cat out.txt)"; }

head -c 3000 /dev/zero > zeros.bin
check "unsupported" 1 "unsupported file type" -- "$bin" detect zeros.bin --json
check "missing" 1 "cannot read" -- "$bin" detect nowhere.png --json
check "no IN" 2 "" -- "$bin" detect --json

finish
