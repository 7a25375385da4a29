#!/usr/bin/env bash
# Load on the gateway as `make run` starts it (SQLite under a scratch ./var), with wrk:
#   bench/gateway_wrk.sh [PATH/TO/synthgate] [SECONDS]
# 1. admissions per second and latency percentiles at 64 connections (text prompts);
# 2. 1080p PNG outputs per second (visible label, watermark, metadata) at 4 connections.
# Prints wrk's own report for each. Needs wrk (Debian package wrk) and ffmpeg.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$(realpath "${1:-$root/build/default/synthgate}")
seconds=${2:-10}
command -v wrk >/dev/null || { echo "gateway_wrk: install wrk (apt-get install wrk)" >&2; exit 2; }
work=$(mktemp -d)
server=""
cleanup() { [[ -n "$server" ]] && kill -TERM "$server" 2>/dev/null && wait "$server"; rm -rf "$work"; }
trap cleanup EXIT
cd "$work"
"$bin" serve --listen 127.0.0.1:0 --log-level warn >out.txt 2>err.txt &
server=$!
for _ in $(seq 1 300); do grep -q -- '--- end of walkthrough ---' out.txt 2>/dev/null && break; sleep 0.1; done
base=$(grep -oE 'http://127\.0\.0\.1:[0-9]+' out.txt | head -n 1)
key=$(awk '$1 == "service" {print $2}' var/keys/dev-api-keys.txt)
j() { python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }
auth=(-H "Authorization: Bearer $key" -H 'Content-Type: application/json')
user=$(curl -s "${auth[@]}" -d '{"phone": "13800138000"}' "$base/v1/users" | j id)
ver=$(curl -s "${auth[@]}" -d '{"method": "sms_code"}' "$base/v1/users/$user/verifications" | j id)
code=$(grep -o '[0-9]\{6\}' var/sms-outbox.txt | tail -n 1)
curl -s "${auth[@]}" -d "{\"response\": \"$code\"}" "$base/v1/users/$user/verifications/$ver/confirm" >/dev/null
echo "== admissions: POST /v1/admissions, text prompt, 64 connections, ${seconds}s ($(nproc) cores)"
SG_KEY=$key SG_USER=$user wrk -t 2 -c 64 -d "${seconds}s" --latency -s "$root/bench/wrk/admission.lua" "$base/v1/admissions"

adm=$(curl -s "${auth[@]}" -d "{\"user_id\": \"$user\", \"service\": \"bench\", \"modality\": \"image\", \"prompt\": \"cat\"}" "$base/v1/admissions" | j admission_id)
ffmpeg -loglevel error -y -f lavfi -i testsrc2=size=1920x1080 -frames:v 1 image.png
echo "== outputs: POST /v1/outputs, 1920x1080 PNG ($(stat -c %s image.png) bytes), 4 connections, ${seconds}s"
SG_KEY=$key SG_ADMISSION=$adm SG_IMAGE=$work/image.png \
  wrk -t 2 -c 4 -d "${seconds}s" --timeout 60s --latency -s "$root/bench/wrk/output.lua" "$base/v1/outputs"
