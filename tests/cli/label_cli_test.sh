#!/usr/bin/env bash
# `synthgate label` (issue 4) against the CLI contract of DESIGN.md: --help, exit 0/1/2,
# one line on stderr, --json one object, IN never modified, nothing left behind on refusal;
# and the composition visible label -> watermark -> metadata.
# Usage: label_cli_test.sh PATH/TO/synthgate TESTDATA_DIR
set -u
harness=$(realpath "$(dirname "$0")/cli_harness.sh")
bin=$(realpath "$1")
photos="$2/pdq/images"
[[ -d "$photos" ]] || { echo "FAIL shared test data missing: $photos"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
export SYNTHGATE_KEYS_DIR="$work/keys"
quiet_success=1
source "$harness"
producer=001191440300708461136T1XGW3

expect() {  # expect NAME COMMAND...: the command succeeds
  local name=$1; shift
  if "$@" >/dev/null 2>&1; then passed=$((passed + 1)); echo "ok   $name"
  else failed=$((failed + 1)); echo "FAIL $name"; fi
}

cp "$photos/reg-test-input/pen-and-coaster.png" in.png
cp "$photos/bridge-mods/aaa-orig.jpg" in.jpg
before=$(sha256sum in.png)

check "label --help" 0 "" -- "$bin" label --help
expect "help names --no-watermark" grep -q -- "--no-watermark" out.txt

check "label png" 0 "" -- "$bin" label in.png out.png --producer $producer --json
expect "one JSON object, every step applied" python3 -c '
import json,sys; d=json.load(open("out.txt"))
assert d["kind"]=="image" and d["format"]=="png"
assert d["visible"]["applied"] and d["watermark"]["applied"] and d["metadata"]["applied"]
v=d["visible"]; assert v["text_height"]*20 >= v["shortest_side"], v
assert d["metadata"]["aigc"]["ProduceID"]==d["content_id"]'
expect "IN unchanged" test "$(sha256sum in.png)" == "$before"
check "meta read of the output" 0 "" -- "$bin" meta read out.png --json
expect "metadata label present once" grep -q '"count":1' out.txt
check "meta verify" 0 "" -- "$bin" meta verify out.png --json
expect "signature intact" grep -q '"intact"' out.txt
payload=$("$bin" label in.jpg out.jpg --producer $producer --content-id 01m8j88qpveh9ve37z6he0sxgg --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["watermark"]["payload"])')
check "watermark extract of the output" 0 "" -- "$bin" watermark extract out.jpg --key-file keys/watermark.key --json
expect "watermark carries the content id's 64 bits" grep -q "\"payload\":\"$payload\"" out.txt

# The source's JPEG quality and subsampling are kept and reported (issue 4).
convert in.jpg -quality 60 -sampling-factor 4:2:2 q60.jpg
check "label q60 jpeg" 0 "" -- "$bin" label q60.jpg q60-out.jpg --producer $producer --json
expect "q60 jpeg: quality and subsampling kept and reported" python3 -c '
import json; d=json.load(open("out.txt")); k=d["kept"]
assert k["quality"]==60 and k["subsampling"]=="4:2:2", k'
expect "q60 jpeg: identify reads quality 60 and 4:2:2" test \
  "$(identify -format '%Q %[jpeg:sampling-factor]' q60-out.jpg)" == "60 2x1,1x1,1x1"

printf '# 标题\n\n正文\n' > in.md
check "label markdown" 0 "" -- "$bin" label in.md out.md --position end --producer $producer --json
expect "markdown: visible label and front matter metadata" python3 -c '
import json; d=json.load(open("out.txt")); assert d["format"]=="markdown"
assert d["metadata"]["applied"] and d["metadata"]["aigc"]["ProduceID"]==d["content_id"], d'
expect "markdown ends with the label" test "$(tail -n1 out.md)" == "本内容由人工智能生成"
check "meta verify of the labelled markdown" 0 "" -- "$bin" meta verify out.md --key-file keys/metadata-signing.pem --json
expect "markdown signature intact" grep -q intact out.txt
printf '只是一段文字。\n' > in.txt
check "label plain text" 0 "" -- "$bin" label in.txt out.txt.labelled --producer $producer --json
expect "plain text: metadata skipped with a note" python3 -c '
import json; d=json.load(open("out.txt"))
assert not d["metadata"]["applied"] and "plain text" in d["metadata"]["note"], d'

ffmpeg -loglevel error -f lavfi -i sine=frequency=300:duration=2 -ac 2 in.wav
check "label wav" 0 "" -- "$bin" label in.wav out.wav --no-metadata --json
expect "wav keeps rate and channels" python3 -c '
import json; d=json.load(open("out.txt")); v=d["visible"]
assert d["kind"]=="audio" and v["sample_rate"]==44100 and v["channels"]==2 and v["cue_starts"]==[0.0]'
check "label wav, --audio-position end" 0 "" -- "$bin" label in.wav out-end.wav --no-metadata --audio-position end --json
expect "wav: --audio-position places the cue as --position does" python3 -c '
import json; v=json.load(open("out.txt"))["visible"]; assert v["cue_starts"][0] >= 2.0, v'

ffmpeg -loglevel error -f lavfi -i testsrc=size=320x240:rate=25:duration=3 -f lavfi \
  -i sine=frequency=440:duration=3 -c:v libx264 -pix_fmt yuv420p -c:a aac -shortest in.mp4
check "label mp4" 0 "" -- "$bin" label in.mp4 out.mp4 --producer $producer --preset veryfast --json
expect "mp4: first 2 s labelled, metadata label written" python3 -c '
import json; d=json.load(open("out.txt")); v=d["visible"]
assert d["kind"]=="video" and d["format"]=="mp4/h264", d
assert v["frames"]==75 and v["labelled_frames"]==50, v
assert d["metadata"]["applied"] and d["metadata"]["aigc"]["ProduceID"]==d["content_id"], d'
check "meta verify of the labelled mp4" 0 "" -- "$bin" meta verify out.mp4 --key-file keys/metadata-signing.pem --json
expect "mp4 signature intact" grep -q intact out.txt
expect "mp4 audio copied untouched" test "$(ffmpeg -loglevel error -i in.mp4 -map 0:a -c copy -f md5 -)" \
  == "$(ffmpeg -loglevel error -i out.mp4 -map 0:a -c copy -f md5 -)"
# A video large enough for the mark (a camera panning across a photo, 640x360): labelled and
# watermarked in one re-encode, then read back by `synthgate detect`.
ffmpeg -loglevel error -loop 1 -framerate 25 -i "$photos/bridge-mods/aaa-orig.jpg" \
  -vf "scale=800:-2,crop=640:360:x='t*40':y=60" -t 2 -c:v libx264 -preset veryfast \
  -pix_fmt yuv420p marked-in.mp4
check "label and watermark mp4" 0 "" -- "$bin" label marked-in.mp4 marked.mp4 --producer $producer --preset veryfast --json
expect "mp4: every frame marked, the first 2 s labelled" python3 -c '
import json; d=json.load(open("out.txt")); w=d["watermark"]
assert w["applied"] and w["marked_frames"] == 50 and w["flat_frames"] == 0, w
assert d["visible"]["labelled_frames"]==50, d'
payload=$(python3 -c 'import json; print(json.load(open("out.txt"))["watermark"]["payload"])')
check "detect the labelled mp4" 0 "" -- "$bin" detect marked.mp4 --json
expect "detect reads the video watermark's payload" python3 -c '
import json,sys; d=json.load(open("out.txt")); w=d["watermark"]
assert d["kind"]=="video" and w["found"] and w["payload"]==sys.argv[1], d' "$payload"
check "label small mp4: too small for the mark, still labelled" 0 "" -- "$bin" label in.mp4 small.mp4 --no-metadata --preset veryfast --json
expect "small mp4: watermark skipped with the reason" python3 -c '
import json; d=json.load(open("out.txt"))
assert not d["watermark"]["applied"] and "too small" in d["watermark"]["note"] and d["visible"]["applied"], d'
check "video label shorter than 2 s" 1 "2 seconds" -- "$bin" label in.mp4 nope.mp4 --no-metadata --label-seconds 1
expect "mp4 without --audio-cue: the sound track untouched, said so" python3 -c '
import json,subprocess,sys
d=json.loads(subprocess.run(sys.argv[1:],capture_output=True,text=True).stdout)
a=d["visible"]["audio_label"]; assert not a["applied"] and "copied untouched" in a["note"], a' \
  "$bin" label in.mp4 plain.mp4 --no-metadata --preset veryfast --json

# The audio label on the sound track (issue 4): mixed (never inserted), the track's format kept.
check "label mp4 with --audio-cue" 0 "" -- "$bin" label in.mp4 cue.mp4 --no-metadata --preset veryfast --audio-cue rhythm --json
expect "mp4: the cue mixed at 0 s on the AAC track, with the note on insert" python3 -c '
import json; d=json.load(open("out.txt")); v=d["visible"]; a=v["audio_label"]
assert v["applied"] and v["labelled_frames"]==50, v
assert a["applied"] and a["mode"]=="mix" and a["cue"]=="rhythm" and a["cue_starts"]==[0.0], a
assert a["codec"]=="aac" and a["sample_rate"]==44100 and a["channels"]==1, a
assert "out of sync" in a["note"] and -30.1 <= a["level_dbfs"] <= -11.9, a'
expect "mp4: the sound track is re-encoded, same codec and length" python3 -c '
import json,subprocess
def probe(f):
  return json.loads(subprocess.run(["ffprobe","-v","error","-select_streams","a","-show_entries",
    "stream=codec_name,sample_rate,channels,duration","-of","json",f],capture_output=True,text=True).stdout)["streams"][0]
a,b=probe("in.mp4"),probe("cue.mp4")
assert (a["codec_name"],a["sample_rate"],a["channels"])==(b["codec_name"],b["sample_rate"],b["channels"]),(a,b)
assert abs(float(a["duration"])-float(b["duration"])) < 0.05,(a,b)'
expect "mp4 with --audio-cue: the audio packets changed" test "$(ffmpeg -loglevel error -i in.mp4 -map 0:a -c copy -f md5 -)" \
  != "$(ffmpeg -loglevel error -i cue.mp4 -map 0:a -c copy -f md5 -)"
check "voice cue at the end of the sound track" 0 "" -- "$bin" label in.mp4 voice.mp4 --no-metadata --preset veryfast --audio-cue voice --audio-mode mix --audio-position end --json
expect "voice: mixed, ends with the track, no insert note" python3 -c '
import json; a=json.load(open("out.txt"))["visible"]["audio_label"]
assert a["applied"] and a["cue"]=="voice" and "note" not in a, a
assert abs(a["cue_starts"][0] + a["cue_seconds"] - 3.0) < 0.05, a'
ffmpeg -loglevel error -f lavfi -i testsrc=size=320x240:rate=25:duration=3 -c:v libx264 -pix_fmt yuv420p mute.mp4
check "--audio-position alone asks for the sound track's label" 0 "" -- "$bin" label in.mp4 mid.mp4 --no-metadata --preset veryfast --audio-position middle --json
expect "mp4: the rhythm cue centred on the track" python3 -c '
import json; a=json.load(open("out.txt"))["visible"]["audio_label"]
assert a["applied"] and a["cue"]=="rhythm" and abs(a["cue_starts"][0] - (3.0 - 1.32) / 2) < 0.05, a'
check "label a video without sound, --audio-cue" 0 "" -- "$bin" label mute.mp4 mute-out.mp4 --no-metadata --preset veryfast --audio-cue rhythm --json
expect "no sound track: labelled, no track added, the note says so" python3 -c '
import json; v=json.load(open("out.txt"))["visible"]; a=v["audio_label"]
assert v["applied"] and not a["applied"] and "no sound track" in a["note"], v'
expect "still no audio stream" test -z "$(ffprobe -v error -select_streams a -show_entries stream=index -of csv=p=0 mute-out.mp4)"
check "bad --audio-position" 2 "audio-position" -- "$bin" label in.mp4 nope.mp4 --no-metadata --audio-cue rhythm --audio-position sideways

# Another key set's signing key (made on its first use) stands for the provider's own key.
SYNTHGATE_KEYS_DIR="$work/other-keys" "$bin" watermark extract in.png --json >/dev/null 2>&1
cp other-keys/metadata-signing.pem sign.pem && chmod 600 sign.pem
check "own signing key, no watermark" 0 "" -- "$bin" label in.png own.png --producer $producer --no-watermark --key-file sign.pem --json
check "verify with that key" 0 "" -- "$bin" meta verify own.png --key-file sign.pem --json
expect "intact under the given key" grep -q '"intact"' out.txt

convert -size 320x240 gradient:white-navy -depth 16 in16.png
check "label 16-bit png" 0 "" -- "$bin" label in16.png out16.png --producer $producer --json
expect "16-bit PNG keeps its depth, labelled, unmarked with a note" python3 -c '
import json; d=json.load(open("out.txt"))
assert d["format"]=="png16" and d["visible"]["applied"] and d["metadata"]["applied"], d
assert not d["watermark"]["applied"] and "16-bit" in d["watermark"]["note"]'
expect "output is 16 bits per channel" test "$(identify -format %z out16.png)" == 16

# Animated GIF and WebP: every frame labelled; frames, delays and loop count kept; the metadata
# label written after (exiftool reads it, detect confirms it); no watermark, with a note.
convert -loop 3 -size 240x180 -delay 10 gradient:white-navy -delay 20 gradient:red-yellow \
  -delay 30 plasma:fractal -delay 40 pattern:checkerboard -delay 50 xc:gray40 anim.gif
for i in 0 1 2 3 4; do convert "anim.gif[$i]" "frame$i.png"; done
img2webp -loop 3 -lossless -d 100 frame0.png -d 200 frame1.png -d 300 frame2.png -d 400 frame3.png \
  -d 500 frame4.png -o anim.webp >/dev/null 2>&1
for ext in gif webp; do
  check "label animated $ext" 0 "" -- "$bin" label anim.$ext labelled.$ext --producer $producer --json
  expect "animated $ext: 5 frames labelled, timing and loop kept, metadata, no watermark" python3 -c '
import json,sys; d=json.load(open("out.txt")); v=d["visible"]; k=d["kept"]
assert d["format"]==sys.argv[1] and v["applied"] and v["frames"]==5 and v["labelled_frames"]==5, d
assert v["text_height"]*20 >= v["shortest_side"], v
# ImageMagick stores -loop 3 in GIF as NETSCAPE2.0 count 2 (repeats after the first play).
assert k["delays_ms"]==[100,200,300,400,500] and k["frames"]==5, k
assert k["loop_count"]==(2 if sys.argv[1]=="gif" else 3), k
assert d["metadata"]["applied"] and not d["watermark"]["applied"] and d["watermark"]["note"], d' $ext
  expect "animated $ext: identify sees 5 frames with the same delays" test \
    "$(identify -format '%T,' anim.$ext)" == "$(identify -format '%T,' labelled.$ext)"
  [[ $ext == gif ]] && expect "animated gif: the NETSCAPE2.0 loop block as it was" python3 -c '
import sys; a=open("anim.gif","rb").read(); b=open("labelled.gif","rb").read()
i=a.index(b"NETSCAPE2.0"); j=b.index(b"NETSCAPE2.0"); assert a[i:i+16]==b[j:j+16]'
  expect "animated $ext: 5 frames" test "$(identify -format '%T,' labelled.$ext)" == "10,20,30,40,50,"
  expect "animated $ext: exiftool reads the XMP label" sh -c \
    "exiftool -b -XMP labelled.$ext | grep -q ProduceID"
  check "detect animated $ext" 0 "" -- "$bin" detect labelled.$ext --json
  expect "animated $ext: confirmed by its signed metadata label" python3 -c '
import json; d=json.load(open("out.txt"))
assert d["verdict"]=="confirmed" and d["metadata"]["signature"]=="intact", d'
done

check "no --producer" 2 "producer" -- "$bin" label in.png nope.png
check "wording without both elements" 2 "AI element" -- "$bin" label in.png nope.png --no-metadata --text "机器生成"
check "bad position" 2 "position" -- "$bin" label in.png nope.png --no-metadata --position middle
check "unsupported input" 1 "unsupported" -- "$bin" label /bin/true nope.bin --no-metadata
check "IN is OUT" 2 "" -- "$bin" label in.png in.png --no-metadata
# An output that is not a regular file (a device, a FIFO, a directory) is refused, never
# replaced by the rename that finishes a write.
mkfifo pipe.png
check "OUT is a FIFO" 1 "not a regular file" -- "$bin" label in.png pipe.png --no-metadata
expect "the FIFO is still a FIFO" test -p pipe.png
mkdir adir
check "meta write to a directory" 1 "not a regular file" -- "$bin" meta write out.png adir --label 1 --producer $producer --produce-id x1
expect "nothing left behind" test -z "$(ls | grep -E 'nope|\.tmp')"

finish
