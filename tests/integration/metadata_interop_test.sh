#!/usr/bin/env bash
# What `synthgate meta write` produces is read back identically by an independent reader
# (exiftool), still decodes cleanly (ImageMagick's identify -regard-warnings), keeps the
# XMP properties another tool wrote, and damaged input is refused with exit 1 and no output.
# Usage: metadata_interop_test.sh PATH/TO/synthgate SHARED_TESTDATA_DIR
set -u
bin=$(realpath "$1")
images=$(realpath "$2")/pdq/images
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
passed=0 failed=0
ok() { passed=$((passed + 1)); echo "ok   $1"; }
bad() { failed=$((failed + 1)); echo "FAIL $1"; }
producer=001191440300708461136T1XGW3

# WebP in its three shapes: simple lossy, simple lossless, extended (ICC, Exif and an XMP
# chunk that ImageMagick 6 names "XMP\0").
mkdir -p made
convert -size 64x48 gradient:red-blue -strip made/lossy.webp
convert -size 64x48 gradient:red-blue -strip -define webp:lossless=true made/lossless.webp
convert "$images/misc-images/wee.jpg" made/extended.webp

for in in "$images"/bridge-mods/aaa-orig.jpg "$images"/misc-images/small.jpg \
          "$images"/reg-test-input/pen-and-coaster.png "$images"/pytx-resources/LA.png \
          "$work"/made/lossy.webp "$work"/made/lossless.webp "$work"/made/extended.webp; do
  name=$(basename "$in")
  id=01jdz3k5m8q9r7s6t5v4w3x2y1
  if ! "$bin" meta write "$in" "out-$name" --label 1 --producer $producer --produce-id $id --json >write.json 2>err.txt; then
    bad "$name: meta write failed: $(cat err.txt)"; continue
  fi
  ours=$("$bin" meta read "out-$name" --json | sed -E 's/^.*"aigc":(\{[^}]*\}).*$/\1/')
  theirs=$(exiftool -s3 -XMP:AIGC "out-$name")
  [[ "$ours" == "$theirs" && -n "$theirs" ]] && ok "$name: exiftool reads the same AIGC" || bad "$name: exiftool read [$theirs], we wrote [$ours]"
  dst=$(exiftool -s3 -XMP:DigitalSourceType "out-$name")
  [[ "$dst" == http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia ]] && ok "$name: DigitalSourceType" || bad "$name: DigitalSourceType [$dst]"
  # ImageMagick 6 reports any XMP in a WebP as a corrupt profile, so libwebp's own decoder
  # is the judge for WebP.
  if [[ $name == *.webp ]]; then
    dwebp -quiet "out-$name" -o /dev/null 2>id.txt && ok "$name: decodes cleanly (dwebp)" || bad "$name: dwebp: $(cat id.txt)"
  else
    identify -regard-warnings "out-$name" >/dev/null 2>id.txt && ok "$name: decodes cleanly" || bad "$name: identify: $(cat id.txt)"
  fi
  cp "$in" "pristine-$name"

  "$bin" meta write "$in" "again-$name" --label 1 --producer $producer --produce-id $id >/dev/null 2>&1
  cmp -s "$in" "pristine-$name" && ok "$name: IN untouched" || bad "$name: IN changed"

  # Another tool's XMP survives our write, and ours survives theirs (exiftool 12.57 cannot
  # write WebP, so WebP skips this part).
  if [[ $name != *.webp ]]; then
  cp "$in" "titled-$name" && exiftool -q -overwrite_original -XMP-dc:Title=Sunset "titled-$name"
  "$bin" meta write "titled-$name" "both-$name" --label 1 --producer $producer --produce-id $id >/dev/null 2>&1
  [[ "$(exiftool -s3 -XMP-dc:Title "both-$name")" == Sunset && -n "$(exiftool -s3 -XMP:AIGC "both-$name")" ]] \
    && ok "$name: keeps another tool's XMP" || bad "$name: lost dc:title or AIGC"
  exiftool -q -overwrite_original -XMP-dc:Creator=Someone "both-$name"
  count=$("$bin" meta read "both-$name" --json | grep -o '"count":[0-9]*')
  [[ "$count" == '"count":1' ]] && ok "$name: label survives exiftool's rewrite" || bad "$name: after exiftool rewrite $count"
  fi

  # Producer then platform: one label with both parts.
  "$bin" meta write "out-$name" "plat-$name" --label 1 --propagator ${producer%?????}2PLAT --propagate-id share-1 >/dev/null 2>&1
  both=$(exiftool -s3 -XMP:AIGC "plat-$name")
  [[ "$both" == *"\"ProduceID\":\"$id\""* && "$both" == *'"PropagateID":"share-1"'* ]] \
    && ok "$name: producer and platform parts in one label" || bad "$name: platform write gave [$both]"

  # Damage: truncated input is refused with exit 1 and leaves no output.
  size=$(stat -c %s "$in")
  head -c $((size / 2)) "$in" > "half-$name"
  "$bin" meta write "half-$name" "never-$name" --label 1 --producer $producer --produce-id $id 2>err.txt
  rc=$?
  [[ $rc -eq 1 && ! -e "never-$name" && $(wc -l < err.txt) -eq 1 ]] && ok "$name: truncated refused ($(cat err.txt))" || bad "$name: truncated gave exit $rc"
done

"$bin" meta write "$images/misc-images/wee.jpg" "$images/misc-images/wee.jpg" --label 1 --producer $producer --produce-id x 2>err.txt
[[ $? -eq 2 ]] && ok "OUT equal to IN is a usage error" || bad "OUT equal to IN accepted"
echo "plain text" > note.txt
"$bin" meta read note.txt --json 2>err.txt
[[ $? -eq 1 ]] && grep -q "unsupported file type" err.txt && ok "unsupported type refused" || bad "unsupported type: $(cat err.txt)"

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
