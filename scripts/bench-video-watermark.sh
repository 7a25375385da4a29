#!/usr/bin/env bash
# Video watermark figures: embed speed, extract time of a 3 s segment, PSNR, and the attack
# table (ffmpeg CLI as the attacker). Sources, 1920x1080 at 25 fps, SECONDS long (default 6),
# with sound: a camera panning across a shared test photo, and FFmpeg's testsrc2 (synthetic,
# mostly flat). Each is marked with `synthgate watermark embed` (x264 preset PRESET, default
# medium, CRF 23), then attacked and read with `synthgate watermark extract`.
# Usage: scripts/bench-video-watermark.sh PATH/TO/synthgate [SECONDS] [PRESET]
set -euo pipefail
bin=$(realpath "$1")
seconds=${2:-6}
preset=${3:-medium}
here=$(dirname "$(realpath "$0")")
photo="$here/../../shared/testdata/pdq/images/bridge-mods/aaa-orig.jpg"
[[ -f "$photo" ]] || { echo "shared test data missing: $photo"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
printf '%064x\n' 4242 > key.hex && chmod 600 key.hex
payload=0123456789abcdef
frames=$((seconds * 25))

make_source() {  # make_source NAME
  case $1 in
    pan) ffmpeg -loglevel error -y -loop 1 -framerate 25 -i "$photo" \
           -f lavfi -i "sine=frequency=440:duration=$seconds" \
           -vf "scale=2400:-2,crop=1920:1080:x='t*60':y=200" -t "$seconds" \
           -c:v libx264 -preset veryfast -crf 16 -pix_fmt yuv420p -c:a aac -shortest pan.mp4 ;;
    testsrc2) ffmpeg -loglevel error -y -f lavfi -i "testsrc2=size=1920x1080:rate=25:duration=$seconds" \
           -f lavfi -i "sine=frequency=440:duration=$seconds" \
           -c:v libx264 -preset veryfast -crf 16 -pix_fmt yuv420p -c:a aac -shortest testsrc2.mp4 ;;
  esac
}

now() { date +%s.%N; }

# read FILE: "found payload confidence frames_read cpu_seconds" (user + system CPU: the
# shared VM's wall clock mostly measures the neighbours' load)
read_mark() {
  /usr/bin/time -f '%U %S' -o time.txt "$bin" watermark extract "$1" --key-file key.hex --json > read.json
  python3 -c 'import json,sys; j=json.loads(open("read.json").read()); u,s=open("time.txt").read().split()[-2:]; print(j["found"], j["payload"] or "-", round(j["confidence"],3), j["frames_read"], round(float(u)+float(s),2))'
}

psnr_y() {  # psnr_y A B: mean Y PSNR
  ffmpeg -hide_banner -i "$1" -i "$2" -lavfi '[0:v][1:v]psnr' -f null - 2>&1 |
    sed -nE 's/.* y:([0-9.]+) .*/\1/p' | tail -1
}

printf 'video watermark, %s s at 1920x1080, 25 fps (%s frames), x264 preset %s\n\n' \
  "$seconds" "$frames" "$preset"
for source in pan testsrc2; do
  make_source $source
  start=$(now)
  /usr/bin/time -f '%U %S' -o time.txt "$bin" watermark embed $source.mp4 marked.mp4 \
    --payload $payload --key-file key.hex --preset "$preset" --json > embed.json
  end=$(now)
  wall=$(echo "$end - $start" | bc -l)
  cpu=$(awk '{print $1 + $2}' time.txt)
  /usr/bin/time -f '%U %S' -o plain-time.txt \
    ffmpeg -loglevel error -y -i $source.mp4 -c:v libx264 -preset "$preset" -c:a copy plain.mp4
  printf '%s: the same re-encode by the ffmpeg CLI, unmarked: %.1f s CPU\n' "$source" \
    "$(awk '{print $1 + $2}' plain-time.txt)"
  audio_same=no
  [[ "$(ffmpeg -loglevel error -i $source.mp4 -map 0:a -c copy -f md5 -)" == \
     "$(ffmpeg -loglevel error -i marked.mp4 -map 0:a -c copy -f md5 -)" ]] && audio_same=yes
  printf '%s: embed %.1f s wall, %.1f s CPU: %.1f frames/s wall, %.1f frames per CPU second\n  %s\n' \
    "$source" "$wall" "$cpu" "$(echo "$frames / $wall" | bc -l)" "$(echo "$frames / $cpu" | bc -l)" \
    "$(cat embed.json)"
  printf '  PSNR Y vs source: marked %s dB, same re-encode unmarked %s dB; audio packets identical: %s\n' \
    "$(psnr_y marked.mp4 $source.mp4)" "$(psnr_y plain.mp4 $source.mp4)" "$audio_same"
  printf '  %-34s %-6s %-17s %-6s %-6s %s\n' attack found payload conf frames "read CPU s"
  attack() {  # attack NAME FFMPEG-ARGS...
    local name=$1; shift
    ffmpeg -loglevel error -y "$@" attacked.mp4
    printf '  %-34s %s\n' "$name" "$(read_mark attacked.mp4 | awk '{printf "%-6s %-17s %-6s %-6s %s", $1, $2, $3, $4, $5}')"
  }
  printf '  %-34s %s\n' "none" "$(read_mark marked.mp4 | awk '{printf "%-6s %-17s %-6s %-6s %s", $1, $2, $3, $4, $5}')"
  attack "H.264 CRF 28" -i marked.mp4 -c:v libx264 -crf 28 -preset medium -c:a copy
  attack "downscale to 720p (CRF 23)" -i marked.mp4 -vf scale=-2:720 -c:v libx264 -preset medium -c:a copy
  attack "3 s from 1.5 s (CRF 23)" -ss 1.5 -t 3 -i marked.mp4 -c:v libx264 -preset medium -c:a copy
  attack "3 s from 1.5 s, stream copy" -ss 1.5 -t 3 -i marked.mp4 -c copy
  attack "720p and CRF 28" -i marked.mp4 -vf scale=-2:720 -c:v libx264 -crf 28 -preset medium -c:a copy
  attack "3 s and CRF 28" -ss 1.5 -t 3 -i marked.mp4 -c:v libx264 -crf 28 -preset medium -c:a copy
  attack "unmarked source (must not be found)" -i $source.mp4 -c copy
  echo
done
