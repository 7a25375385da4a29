#!/usr/bin/env bash
# `synthgate watermark embed|extract` (issue 5) against the CLI contract of DESIGN.md:
# --help, exit 0/1/2, one line on stderr, --json prints one JSON object, IN never
# modified, OUT written whole. Usage: watermark_cli_test.sh PATH/TO/synthgate TESTDATA_DIR
set -u
harness=$(realpath "$(dirname "$0")/cli_harness.sh")
bin=$(realpath "$1")
photos="$2/pdq/images"
[[ -d "$photos" ]] || { echo "FAIL shared test data missing: $photos"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
source "$harness"


cp "$photos/reg-test-input/pen-and-coaster.png" in.png
cp "$photos/bridge-mods/aaa-orig.jpg" in.jpg
printf '%064x\n' 12345 > k1.hex && chmod 600 k1.hex
printf '%064x\n' 67890 > k2.hex && chmod 600 k2.hex
before=$(sha256sum in.png)

check "watermark --help" 0 "" -- "$bin" watermark --help
check "embed --help" 0 "" -- "$bin" watermark embed --help
expect_out "embed --help names --payload" "--payload"
check "extract --help" 0 "" -- "$bin" watermark extract --help

check "embed png" 0 "" -- "$bin" watermark embed in.png out.png --payload 0123456789abcdef --key-file k1.hex --json
expect_out "embed prints one JSON object" '^\{"format":"png","height":735,"output":"out.png","payload":"0123456789abcdef","width":924\}$'
[[ "$(sha256sum in.png)" == "$before" ]] && { passed=$((passed + 1)); echo "ok   IN unchanged"; } \
  || { failed=$((failed + 1)); echo "FAIL IN was modified"; }
ls .out.png.* >/dev/null 2>&1 && { failed=$((failed + 1)); echo "FAIL temporary file left behind"; }
check "extract png" 0 "" -- "$bin" watermark extract out.png --key-file k1.hex --json
expect_out "extract finds the payload" '^\{"bit_errors":[0-9]+,"confidence":[0-9.e-]+,"found":true,"payload":"0123456789abcdef"\}$'
check "extract with another key" 0 "" -- "$bin" watermark extract out.png --key-file k2.hex --json
expect_out "another key finds nothing" '^\{"bit_errors":0,"confidence":0(\.0)?,"found":false,"payload":""\}$'
check "extract unmarked" 0 "" -- "$bin" watermark extract in.png --key-file k1.hex --json
expect_out "unmarked finds nothing" '"found":false'

check "embed jpeg" 0 "" -- "$bin" watermark embed in.jpg out.jpg --payload ffffffff00000001 --key-file k1.hex
head -c 3 out.jpg | od -An -tx1 | grep -q "ff d8 ff" && { passed=$((passed + 1)); echo "ok   JPEG in, JPEG out"; } \
  || { failed=$((failed + 1)); echo "FAIL JPEG in, JPEG out"; }
# The type comes from the bytes: a JPEG named .png is still read as a JPEG.
cp out.jpg disguised.png
check "extract by content, not name" 0 "" -- "$bin" watermark extract disguised.png --key-file k1.hex --json
expect_out "disguised JPEG read" '"payload":"ffffffff00000001"'

# The default key: watermark.key of the configured key directory, made on first use.
check "embed with configured keys" 0 "" -- env SYNTHGATE_KEYS_DIR=keys "$bin" watermark embed in.png d.png --payload 00000000000000aa
[[ -f keys/watermark.key ]] && { passed=$((passed + 1)); echo "ok   key set created"; } \
  || { failed=$((failed + 1)); echo "FAIL key set not created"; }
check "extract with configured keys" 0 "" -- env SYNTHGATE_KEYS_DIR=keys "$bin" watermark extract d.png --json
expect_out "configured key reads" '"payload":"00000000000000aa"'

# Video: the type from the bytes, streamed from file to file (a panning photo, 640x360, 2 s,
# with sound); --crf and --preset as for `synthgate label`.
ffmpeg -loglevel error -loop 1 -framerate 25 -i "$photos/bridge-mods/aaa-orig.jpg" \
  -f lavfi -i sine=frequency=440:duration=2 -vf "scale=800:-2,crop=640:360:x='t*40':y=60" \
  -t 2 -c:v libx264 -preset veryfast -pix_fmt yuv420p -c:a aac -shortest clip.mp4 \
  || { failed=$((failed + 1)); echo "FAIL cannot make the test clip"; }
check "embed video" 0 "" -- "$bin" watermark embed clip.mp4 marked.mp4 --payload 00000000c0ffee00 --key-file k1.hex --crf 20 --preset veryfast --json
expect_out "video embed prints one JSON object" '^\{"format":"mp4/h264","frames":50,"height":360,"marked_frames":50,"output":"marked.mp4","payload":"00000000c0ffee00","width":640\}$'
check "extract video" 0 "" -- "$bin" watermark extract marked.mp4 --key-file k1.hex --json
expect_out "video extract finds the payload" '^\{"bit_errors":[0-9]+,"confidence":[0-9.e-]+,"found":true,"frames_read":50,"payload":"00000000c0ffee00"\}$'
check "extract video with another key" 0 "" -- "$bin" watermark extract marked.mp4 --key-file k2.hex --json
expect_out "another key finds nothing in video" '"found":false,"frames_read":50,"payload":""'
check "extract unmarked video" 0 "" -- "$bin" watermark extract clip.mp4 --key-file k1.hex --json
expect_out "unmarked video finds nothing" '"found":false'
ffmpeg -loglevel error -f lavfi -i testsrc2=size=320x240:rate=25:duration=1 -c:v libx264 \
  -pix_fmt yuv420p small.mp4
check "video too small" 1 "too small" -- "$bin" watermark embed small.mp4 x.mp4 --payload 0123456789abcdef --key-file k1.hex
[[ ! -e x.mp4 ]] && ! ls .x.mp4.* >/dev/null 2>&1 && { passed=$((passed + 1)); echo "ok   no video OUT after a refusal"; } \
  || { failed=$((failed + 1)); echo "FAIL video OUT or temporary file left after a refusal"; }

check "no subcommand" 2 "" -- "$bin" watermark
check "missing payload" 2 "payload" -- "$bin" watermark embed in.png x.png --key-file k1.hex
check "short payload" 2 "16 hexadecimal digits" -- "$bin" watermark embed in.png x.png --payload abc --key-file k1.hex
check "non-hex payload" 2 "16 hexadecimal digits" -- "$bin" watermark embed in.png x.png --payload zzzzzzzzzzzzzzzz --key-file k1.hex
check "OUT is IN" 2 "OUT must differ" -- "$bin" watermark embed in.png in.png --payload 0123456789abcdef --key-file k1.hex
check "missing IN" 1 "cannot read" -- "$bin" watermark extract nowhere.png --key-file k1.hex --json
echo "not an image" > text.png
check "not an image" 1 "not a PNG, JPEG, WebP or BMP" -- "$bin" watermark extract text.png --key-file k1.hex --json
check "too small" 1 "too small" -- "$bin" watermark embed "$photos/misc-images/wee.jpg" x.jpg --payload 0123456789abcdef --key-file k1.hex
printf '%064x\n' 1 > loose.hex && chmod 644 loose.hex
check "key file others can read" 1 "" -- "$bin" watermark extract out.png --key-file loose.hex --json
printf 'abc\n' > short.hex && chmod 600 short.hex
check "short key file" 1 "64 hexadecimal digits" -- "$bin" watermark extract out.png --key-file short.hex --json
[[ ! -e x.png && ! -e x.jpg ]] && { passed=$((passed + 1)); echo "ok   no OUT after a refusal"; } \
  || { failed=$((failed + 1)); echo "FAIL OUT written after a refusal"; }

finish
