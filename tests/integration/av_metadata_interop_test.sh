#!/usr/bin/env bash
# Audio and video containers: what `synthgate meta write` puts in MP4/MOV/M4A, WAV, MP3, Ogg and
# FLAC is read back identically by SynthGate and by ffprobe, the file still decodes cleanly
# (ffmpeg -v error ... -f null -), IN is never modified, producer-then-platform leaves one
# label with both parts, and truncated or corrupted input is refused with exit 1 and no output.
# Test media are made here by the ffmpeg CLI (lavfi testsrc/sine, about a second).
# Matroska/WebM (SimpleTag AIGC) and FLV (onMetaData AIGC) are covered the same way.
# Usage: av_metadata_interop_test.sh PATH/TO/synthgate
set -u
bin=$(realpath "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
passed=0 failed=0
ok() { passed=$((passed + 1)); echo "ok   $1"; }
bad() { failed=$((failed + 1)); echo "FAIL $1"; }
producer=001191440300708461136T1XGW3
id=01jdz3k5m8q9r7s6t5v4w3x2y1
ff() { ffmpeg -nostdin -v error -y "$@"; }
video=(-f lavfi -i testsrc=duration=1:size=96x64:rate=10)
audio=(-f lavfi -i sine=frequency=440:duration=1)

ff "${video[@]}" "${audio[@]}" -c:v libx264 -c:a aac -shortest plain.mp4
ff "${video[@]}" "${audio[@]}" -c:v libx264 -c:a aac -shortest -movflags +faststart faststart.mp4
ff "${video[@]}" -c:v mpeg4 -metadata title=Sunset -movflags use_metadata_tags tagged.mp4
ff "${video[@]}" "${audio[@]}" -c:v mpeg4 -c:a aac -shortest clip.mov
ff "${audio[@]}" -c:a aac -metadata title=Sunset song.m4a
ff "${audio[@]}" -c:a pcm_s16le plain.wav
ff "${audio[@]}" -c:a pcm_s16le -metadata title=Sunset info.wav
ff "${audio[@]}" -c:a libmp3lame -metadata title=Sunset song.mp3
ff "${audio[@]}" -c:a libmp3lame -id3v2_version 3 -metadata title=Sunset v23.mp3
ff "${audio[@]}" -c:a libmp3lame -write_xing 0 -id3v2_version 0 bare.mp3
ff "${audio[@]}" -c:a flac -metadata title=Sunset song.flac
ff "${audio[@]}" -c:a libvorbis -metadata title=Sunset song.ogg
ff "${audio[@]}" -c:a libopus -metadata title=Sunset song.opus
ff "${video[@]}" "${audio[@]}" -c:v libx264 -c:a libvorbis -shortest -metadata title=Sunset clip.mkv
ff "${video[@]}" "${audio[@]}" -c:v libvpx-vp9 -b:v 100k -c:a libopus -shortest clip.webm
ff "${audio[@]}" -c:a libvorbis -metadata title=Sunset -metadata AIGC=old tagged.mka
ff "${video[@]}" "${audio[@]}" -c:v flv1 -c:a aac -shortest -metadata title=Sunset clip.flv

# ffprobe's view of the AIGC tag: a format tag, or for Ogg a tag of the audio stream.
theirs() { ffprobe -v error -show_entries format_tags=AIGC:stream_tags=AIGC -of default=nw=1:nk=1 "$1" | grep -m1 .; }
title_of() { ffprobe -v error -show_entries format_tags=title:stream_tags=title -of default=nw=1:nk=1 "$1" | grep -m1 .; }
ours() { "$bin" meta read "$1" --json | sed -E 's/^.*"aigc":(\{[^}]*\}).*$/\1/'; }

for name in plain.mp4 faststart.mp4 tagged.mp4 clip.mov song.m4a plain.wav info.wav song.mp3 \
            v23.mp3 bare.mp3 song.flac song.ogg song.opus clip.mkv clip.webm tagged.mka clip.flv; do
  [[ -s $name ]] || { bad "$name: ffmpeg could not make it"; continue; }
  cp "$name" "pristine-$name"
  if ! "$bin" meta write "$name" "out-$name" --label 1 --producer $producer --produce-id $id >/dev/null 2>err.txt; then
    bad "$name: meta write failed: $(cat err.txt)"; continue
  fi
  cmp -s "$name" "pristine-$name" && ok "$name: IN untouched" || bad "$name: IN changed"
  o=$(ours "out-$name"); t=$(theirs "out-$name")
  [[ -n "$t" && "$o" == "$t" ]] && ok "$name: ffprobe reads the same AIGC" || bad "$name: ffprobe read [$t], we read [$o]"
  ff -i "out-$name" -f null - 2>dec.txt && [[ ! -s dec.txt ]] && ok "$name: decodes cleanly" || bad "$name: ffmpeg: $(head -c 300 dec.txt)"
  # The media are unchanged: the decoded streams hash the same before and after.
  a=$(ffmpeg -nostdin -v error -i "$name" -map 0 -f md5 - 2>/dev/null)
  b=$(ffmpeg -nostdin -v error -i "out-$name" -map 0 -f md5 - 2>/dev/null)
  [[ -n "$a" && "$a" == "$b" ]] && ok "$name: decoded media identical" || bad "$name: decoded media differ ($a / $b)"
  if [[ $name == *tagged* || $name == info.wav || $name == song.* || $name == v23.mp3 || $name == clip.mkv || $name == clip.flv ]]; then
    title=$(title_of "out-$name")
    [[ "$title" == Sunset ]] && ok "$name: other tags kept" || bad "$name: title became [$title]"
  fi

  # Writing twice (producer, then platform): one label with both parts.
  "$bin" meta write "out-$name" "plat-$name" --label 1 --propagator ${producer%?????}2PLAT --propagate-id share-1 >/dev/null 2>err.txt
  both=$(theirs "plat-$name")
  count=$("$bin" meta read "plat-$name" --json | grep -o '"count":[0-9]*')
  [[ "$both" == *"\"ProduceID\":\"$id\""* && "$both" == *'"PropagateID":"share-1"'* && "$count" == '"count":1' ]] \
    && ok "$name: producer and platform parts in one label" || bad "$name: platform write gave [$both] $count $(cat err.txt)"
  ff -i "plat-$name" -f null - 2>dec.txt && [[ ! -s dec.txt ]] && ok "$name: relabelled file decodes cleanly" || bad "$name: relabelled: $(head -c 300 dec.txt)"

  # Truncated: refused with exit 1, one line on stderr, no output.
  size=$(stat -c %s "out-$name")
  head -c $((size * 2 / 3)) "out-$name" > "half-$name"
  "$bin" meta write "half-$name" "never-$name" --label 1 --producer $producer --produce-id $id 2>err.txt
  rc=$?
  [[ $rc -eq 1 && ! -e "never-$name" && $(wc -l < err.txt) -eq 1 ]] && ok "$name: truncated refused ($(cat err.txt))" || bad "$name: truncated gave exit $rc: $(cat err.txt)"
  "$bin" meta read "half-$name" >/dev/null 2>&1
  [[ $? -eq 1 ]] && ok "$name: truncated refused by read" || bad "$name: truncated read accepted"

  # Corrupted: a structure size made to run past the end.
  cp "out-$name" "bad-$name"
  case $name in
    *.mp4|*.mov|*.m4a) printf '\x7f\xff\xff\xff' | dd of="bad-$name" bs=1 seek=$(( $(od -An -tu1 -j3 -N1 "bad-$name") )) conv=notrunc status=none ;;
    *.wav) printf '\xff\xff\xff\x7f' | dd of="bad-$name" bs=1 seek=4 conv=notrunc status=none ;;
    *.mp3) printf '\x7f\x7f\x7f\x7f' | dd of="bad-$name" bs=1 seek=6 conv=notrunc status=none ;;
    *.flac) printf '\xff\xff\xff' | dd of="bad-$name" bs=1 seek=5 conv=notrunc status=none ;;
    *.mkv|*.webm|*.mka)
      segment=$(LC_ALL=C grep -obUaP '\x18\x53\x80\x67' "bad-$name" | head -1 | cut -d: -f1)
      printf '\x01\x00\x00\x00\x7f\xff\xff\xff' | dd of="bad-$name" bs=1 seek=$((segment + 4)) conv=notrunc status=none ;;
    *.flv) printf '\xff\xff' | dd of="bad-$name" bs=1 seek=15 conv=notrunc status=none ;;
    *.ogg|*.opus) printf '\x00\x01' | dd of="bad-$name" bs=1 seek=$((size / 2)) conv=notrunc status=none ;;
  esac
  "$bin" meta write "bad-$name" "never-$name" --label 1 --producer $producer --produce-id $id 2>err.txt
  rc=$?
  [[ $rc -eq 1 && ! -e "never-$name" ]] && ok "$name: corrupted refused ($(cat err.txt))" || bad "$name: corrupted gave exit $rc"
done

# moov in front of the media data grows: every chunk offset moves with it, checked above by
# the decode; here also that the label sits in front of mdat still.
pos_moov=$(grep -abo moov out-faststart.mp4 | head -1 | cut -d: -f1)
pos_mdat=$(grep -abo mdat out-faststart.mp4 | head -1 | cut -d: -f1)
[[ -n $pos_moov && -n $pos_mdat && $pos_moov -lt $pos_mdat ]] && ok "faststart.mp4: moov stays before mdat" || bad "faststart.mp4: moov at $pos_moov, mdat at $pos_mdat"

# A signed label survives the platform's write: verify reads the producer's signature intact.
openssl genpkey -algorithm ed25519 -out key.pem 2>/dev/null && chmod 600 key.pem
"$bin" meta write faststart.mp4 signed.mp4 --label 1 --producer $producer --produce-id $id --sign --key-file key.pem >/dev/null 2>err.txt || bad "sign: $(cat err.txt)"
"$bin" meta write signed.mp4 signed-plat.mp4 --label 1 --propagator ${producer%?????}2PLAT --propagate-id share-1 >/dev/null 2>&1
[[ "$("$bin" meta verify signed-plat.mp4 --key-file key.pem)" == intact ]] && ok "mp4: signature intact after the platform's write" || bad "mp4: signature not intact after platform write"
ff -i faststart.mp4 -c copy -metadata AIGC='{"Label":"1","ContentProducer":"x","ProduceID":"forged","ReservedCode1":"","ContentPropagator":"","PropagateID":"","ReservedCode2":""}' -movflags use_metadata_tags copied.mp4
[[ "$("$bin" meta read copied.mp4 --json | grep -o '"ProduceID":"[a-z]*"')" == '"ProduceID":"forged"' ]] && ok "mp4: reads a label ffmpeg wrote" || bad "mp4: cannot read ffmpeg's label"

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
