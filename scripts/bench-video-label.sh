#!/usr/bin/env bash
# Video labelling speed and memory: generates a 1080p25 H.264 + AAC clip (SECONDS long,
# default 60), labels it with `synthgate label` (first 2 s, x264 preset medium as the source)
# under /usr/bin/time -v, and prints frames per second, × real time and peak RSS.
# The memory does not grow with the length (frames are streamed): compare two lengths with
#   scripts/bench-video-label.sh build/default/synthgate 30 && ... 120
# Usage: scripts/bench-video-label.sh PATH/TO/synthgate [SECONDS] [PRESET]
set -euo pipefail
bin=$(realpath "$1")
seconds=${2:-60}
preset=${3:-medium}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ffmpeg -loglevel error -f lavfi -i "testsrc2=size=1920x1080:rate=25:duration=$seconds" \
  -f lavfi -i "sine=frequency=440:duration=$seconds" \
  -c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac -shortest "$work/in.mp4"
frames=$((seconds * 25))
export SYNTHGATE_KEYS_DIR="$work/keys"
start=$(date +%s.%N)
/usr/bin/time -v "$bin" label "$work/in.mp4" "$work/out.mp4" --no-metadata --preset "$preset" \
  --json > "$work/out.json" 2> "$work/time.txt"
end=$(date +%s.%N)
wall=$(echo "$end - $start" | bc -l)
rss=$(awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}' "$work/time.txt")
cpu=$(awk -F: '/User time/ {u=$2} /System time/ {s=$2} END {print u + s}' "$work/time.txt")
printf 'video label, 1080p25 H.264, %ss (%s frames), x264 preset %s\n' "$seconds" "$frames" "$preset"
printf '  wall %.1f s, CPU %.1f s, %.1f frames/s, %.2f x real time, peak RSS %.0f MiB\n' \
  "$wall" "$cpu" "$(echo "$frames / $wall" | bc -l)" "$(echo "$seconds / $wall" | bc -l)" \
  "$(echo "$rss / 1024" | bc -l)"
