#!/usr/bin/env bash
# GIF, TIFF, PDF, OOXML, HTML and Markdown: what `synthgate meta write` produces is read back
# identically by SynthGate and by an independent reader (exiftool for GIF, TIFF, PDF and
# OOXML; Python's html.parser for HTML; PyYAML for Markdown front matter), the file still
# decodes cleanly (identify -regard-warnings, qpdf --check, unzip -t), IN is untouched, a
# producer write then a platform write leaves one label with both parts, and truncated or
# corrupted input is refused with exit 1 and no output.
# Usage: documents_interop_test.sh PATH/TO/synthgate FIXTURE_DIR (tests/data/metadata)
set -u
bin=$(realpath "$1")
fixtures=$(realpath "$2")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
passed=0 failed=0
ok() { passed=$((passed + 1)); echo "ok   $1"; }
bad() { failed=$((failed + 1)); echo "FAIL $1"; }
producer=001191440300708461136T1XGW3
id=01jdz3k5m8q9r7s6t5v4w3x2y1

# The AIGC value as an independent reader sees it, one line of JSON (empty when none).
theirs() {
  local file=$1
  case "$file" in
    *.gif | *.tif) exiftool -s3 -XMP:AIGC "$file" ;;
    *.pdf) exiftool -s3 -PDF:AIGC "$file" ;;
    *.docx | *.xlsx | *.pptx) exiftool -s3 -AIGC "$file" ;;
    *.html)
      python3 - "$file" <<'PY'
import html.parser, sys
class Meta(html.parser.HTMLParser):
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta" and (a.get("name") or "").upper() == "AIGC":
            print(a.get("content"))
Meta().feed(open(sys.argv[1], encoding="utf-8").read())
PY
      ;;
    *.md)
      python3 - "$file" <<'PY'
import json, sys, yaml
text = open(sys.argv[1], encoding="utf-8").read()
front = yaml.safe_load(text.split("---\n")[1])
print(json.dumps(front["AIGC"], separators=(",", ":")))
PY
      ;;
  esac
}

# Whether the file still decodes cleanly, as its own tools see it.
decodes() {
  local file=$1
  case "$file" in
    *.gif | *.tif) identify -regard-warnings "$file" >/dev/null 2>decode.txt ;;
    *.pdf) qpdf --check "$file" >decode.txt 2>&1 ;;
    *.docx | *.xlsx | *.pptx) unzip -tq "$file" >decode.txt 2>&1 ;;
    *.html)
      python3 -c 'import html.parser,sys; html.parser.HTMLParser().feed(open(sys.argv[1],encoding="utf-8").read())' "$file" 2>decode.txt ;;
    *.md) python3 -c 'import yaml,sys; yaml.safe_load(open(sys.argv[1],encoding="utf-8").read().split("---\n")[1])' "$file" 2>decode.txt ;;
  esac
}

# Fixtures, plus GIF87a and TIFF files made here, and an xlsx/pptx-shaped package.
mkdir -p made
convert -size 40x30 gradient:orange-purple -colors 32 made/made.gif
convert -size 40x30 gradient:orange-purple -compress zip made/made.tif
python3 - made <<'PY'
import sys, zipfile
d = sys.argv[1]
ct = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>'
rels = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
wb = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets/></workbook>'
with zipfile.ZipFile(d + "/made.xlsx", "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("[Content_Types].xml", ct)
    z.writestr("_rels/.rels", rels)
    z.writestr("xl/workbook.xml", wb)
PY

inputs=("$fixtures"/small.gif "$fixtures"/titled.gif made/made.gif "$fixtures"/small.tif
        "$fixtures"/small-mm.tif made/made.tif "$fixtures"/small.pdf "$fixtures"/small-xrefstream.pdf
        "$fixtures"/small.docx "$fixtures"/custom.docx made/made.xlsx "$fixtures"/small.html
        "$fixtures"/small.md "$fixtures"/bare.md)
for in in "${inputs[@]}"; do
  name=$(basename "$in")
  cp "$in" "pristine-$name"
  if ! "$bin" meta write "$in" "out-$name" --label 1 --producer $producer --produce-id $id --json >write.json 2>err.txt; then
    bad "$name: meta write failed: $(cat err.txt)"; continue
  fi
  ours=$("$bin" meta read "out-$name" --json | sed -E 's/^.*"aigc":(\{[^}]*\}).*$/\1/')
  them=$(theirs "out-$name")
  [[ "$ours" == "$them" && "$ours" == *"\"ProduceID\":\"$id\""* ]] \
    && ok "$name: an independent reader sees the same AIGC" || bad "$name: they read [$them], we wrote [$ours]"
  decodes "out-$name" && ok "$name: decodes cleanly" || bad "$name: $(head -c 300 decode.txt)"
  cmp -s "$in" "pristine-$name" && ok "$name: IN untouched" || bad "$name: IN changed"

  # Producer then platform: one label with both parts, seen by both readers.
  "$bin" meta write "out-$name" "plat-$name" --label 1 --propagator ${producer%?????}2PLAT --propagate-id share-1 >/dev/null 2>err.txt
  both=$(theirs "plat-$name")
  count=$("$bin" meta read "plat-$name" --json | grep -o '"count":[0-9]*')
  [[ "$both" == *"\"ProduceID\":\"$id\""* && "$both" == *'"PropagateID":"share-1"'* && "$count" == '"count":1' ]] \
    && ok "$name: producer and platform parts in one label" || bad "$name: platform write gave [$both] $count $(cat err.txt)"
  decodes "plat-$name" && ok "$name: decodes cleanly after two writes" || bad "$name: $(head -c 300 decode.txt)"

  # Damage: truncated and corrupted input is refused with exit 1 and leaves no output.
  # (Markdown has no end marker: it is cut inside its front matter instead.)
  size=$(stat -c %s "$in")
  case "$name" in
    *.md) head -c 12 "out-$name" >"half-$name" ;;
    *) head -c $((size / 2)) "$in" >"half-$name" ;;
  esac
  "$bin" meta write "half-$name" "never-$name" --label 1 --producer $producer --produce-id $id 2>err.txt
  rc=$?
  [[ $rc -eq 1 && ! -e "never-$name" && $(wc -l <err.txt) -eq 1 ]] \
    && ok "$name: truncated refused ($(cat err.txt))" || bad "$name: truncated gave exit $rc"
done

# Corruption inside the structure of each binary format.
corrupt() {  # FILE OFFSET BYTE
  cp "$1" "bad-$(basename "$1")"
  printf "$3" | dd of="bad-$(basename "$1")" bs=1 seek="$2" conv=notrunc 2>/dev/null
}
corrupt "$fixtures"/small.gif $(($(stat -c %s "$fixtures"/small.gif) - 1)) '\x77'  # no trailer
corrupt "$fixtures"/small.tif 4 '\xff'     # IFD0 offset past the end
corrupt "$fixtures"/small.docx 30 '\x00'   # inside the first entry's name
for f in bad-small.gif bad-small.tif bad-small.docx; do
  "$bin" meta write "$f" "never-$f" --label 1 --producer $producer --produce-id $id 2>err.txt
  rc=$?
  [[ $rc -eq 1 && ! -e "never-$f" ]] && ok "$f: corrupted refused ($(cat err.txt))" || bad "$f: corrupted gave exit $rc"
done
# A PDF whose xref points at the wrong place.
sed 's/^0000000015 00000 n /0000000016 00000 n /' "$fixtures"/small.pdf >bad-xref.pdf
"$bin" meta read bad-xref.pdf 2>err.txt
[[ $? -eq 1 ]] && ok "bad-xref.pdf: refused ($(cat err.txt))" || bad "bad-xref.pdf accepted"

# Another tool's edits survive ours and ours survive theirs (exiftool writes GIF, TIFF, PDF).
for in in "$fixtures"/small.gif "$fixtures"/small.tif "$fixtures"/small.pdf; do
  name=$(basename "$in")
  cp "$in" "titled-$name" && exiftool -q -overwrite_original -Title=Sunset "titled-$name"
  "$bin" meta write "titled-$name" "both-$name" --label 1 --producer $producer --produce-id $id >/dev/null 2>&1
  [[ "$(exiftool -s3 -Title "both-$name")" == Sunset && -n "$(theirs "both-$name")" ]] \
    && ok "$name: keeps another tool's title" || bad "$name: lost the title or AIGC"
  exiftool -q -overwrite_original -Author=Someone "both-$name" 2>exif.txt
  [[ ! -s exif.txt ]] || bad "$name: exiftool warns: $(cat exif.txt)"
  count=$("$bin" meta read "both-$name" --json | grep -o '"count":[0-9]*')
  [[ "$count" == '"count":1' ]] && ok "$name: label survives exiftool's rewrite" || bad "$name: after exiftool rewrite $count"
done

# Encrypted PDFs are refused with the reason.
qpdf --encrypt "" owner 256 -- "$fixtures"/small.pdf enc.pdf 2>/dev/null
"$bin" meta write enc.pdf never-enc.pdf --label 1 --producer $producer --produce-id $id 2>err.txt
[[ $? -eq 1 && ! -e never-enc.pdf ]] && grep -q encrypted err.txt && ok "encrypted PDF refused ($(cat err.txt))" || bad "encrypted PDF: $(cat err.txt)"

# Plain text has no metadata: refused with the reason.
printf 'Just a sentence.\nAnd another one.\n' >note.txt
"$bin" meta write note.txt never-note.txt --label 1 --producer $producer --produce-id $id 2>err.txt
[[ $? -eq 1 && ! -e never-note.txt ]] && grep -q "plain text" err.txt && ok "plain text refused ($(cat err.txt))" || bad "plain text: $(cat err.txt)"

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
