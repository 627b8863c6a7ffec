#!/usr/bin/env bash
# Video API benchmark, in one command: ten 20-second 720p videos submitted as one batch (time
# until all are complete, against 10 x the time of one `reelgen video` CLI render of the same
# script), then wrk on GET /api/v1/videos/{id} and on a 20-item list page. Writes
# bench/results/videos_api.md. Not a test.
#   bench/load/videos.sh            (env: JOB_WORKERS=2 DURATION=10s CONNECTIONS=64)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
BIN=${REELGEN_BIN:-$ROOT/build/release/src/app/reelgen}
WORKERS=${JOB_WORKERS:-2}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
OUT=$ROOT/bench/results/videos_api.md
WORK=$(mktemp -d)
PORT=18150
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT
[[ -x $BIN ]] || { cmake --preset release >/dev/null && cmake --build --preset release; }

SCRIPT="Here are three quick tips for better reels. First, hook your viewer in the first second. \
Second, keep every shot short and moving, and cut anything that does not earn its place. \
Third, end with a clear call to action, so people know exactly what to do next. \
Save this for your next shoot."
now() { date +%s.%N; }

# Reference: one CLI render of the same script and settings, three times; the median counts.
cli_times=()
for i in 1 2 3; do
  t0=$(now)
  "$BIN" video --script "$SCRIPT" --aspect 9:16 --resolution 720p -q -o "$WORK/cli$i.mp4" > /dev/null
  cli_times+=("$(echo "$(now) - $t0" | bc)")
done
cli_median=$(printf '%s\n' "${cli_times[@]}" | sort -n | sed -n 2p)
video_seconds=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$WORK/cli1.mp4")

JOB_WORKERS=$WORKERS VIDEO_MAX_ACTIVE_PER_KEY=100 ACCESS_LOG=false LOG_LEVEL=warn \
  "$BIN" serve --port $PORT --data-dir "$WORK/data" > "$WORK/server.log" 2>&1 &
until curl -sf -o /dev/null "http://127.0.0.1:$PORT/health/ready"; do sleep 0.01; done
export REELGEN_KEY=$("$BIN" keys create --name bench --rate-limit 0 --data-dir "$WORK/data" | tail -n1)
api() { curl -sf -H "Authorization: Bearer $REELGEN_KEY" "$@"; }

item=$(python3 -c 'import json,sys; print(json.dumps({"script": sys.argv[1], "aspect_ratio": "9:16", "resolution": "720p"}))' "$SCRIPT")
batch=$(python3 -c 'import sys; print("{\"videos\": [" + ",".join([sys.argv[1]] * 10) + "]}")' "$item")
t0=$(now)
api -X POST "http://127.0.0.1:$PORT/api/v1/videos/batch" -d "$batch" > "$WORK/batch.json"
until [[ $(api "http://127.0.0.1:$PORT/api/v1/videos?status=completed&limit=100" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["videos"]))') == 10 ]]; do
  failed=$(api "http://127.0.0.1:$PORT/api/v1/videos?status=failed" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["videos"]))')
  [[ $failed == 0 ]] || { echo "bench: a video failed" >&2; exit 1; }
  sleep 0.05
done
batch_seconds=$(echo "$(now) - $t0" | bc)
video_id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][0]["video"]["video_id"])' "$WORK/batch.json")

run_wrk() {  # file label path
  local out="$WORK/$1.txt"
  wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/load/video_status.lua "http://127.0.0.1:$PORT$3" > "$out"
  if grep -q "Non-2xx" "$out"; then cat "$out" >&2; exit 1; fi
  echo "| $2 | $(awk '/Requests\/sec/ {print $2}' "$out") | $(awk '$1 == "50%" {print $2}' "$out") | $(awk '$1 == "99%" {print $2}' "$out") |"
}
status_row=$(run_wrk status "GET /api/v1/videos/{id}" "/api/v1/videos/$video_id")
list_row=$(run_wrk list "GET /api/v1/videos?limit=20" "/api/v1/videos?limit=20")

sequential=$(echo "$cli_median * 10" | bc)
{
  echo "# Video API benchmark"
  echo
  echo "Command: \`bench/load/videos.sh\` (JOB_WORKERS=$WORKERS; wrk -t2 -c$CONNECTIONS -d$DURATION; all on the same $(nproc)-core machine)"
  echo "Date: $(date -u +%Y-%m-%dT%H:%M:%SZ); load before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "| batch of 10 videos (${video_seconds%.*} s, 720p 9:16) | seconds |"
  echo "| --- | ---: |"
  echo "| one CLI render (median of 3: ${cli_times[*]}) | $cli_median |"
  echo "| 10 x the CLI render | $sequential |"
  echo "| one batch of 10 through the API, submit to all completed | $batch_seconds |"
  echo "| ratio (target <= 1.1) | $(echo "scale=2; $batch_seconds / $sequential" | bc) |"
  echo
  echo "| endpoint | req/s | p50 | p99 |"
  echo "| --- | ---: | ---: | ---: |"
  echo "$status_row"
  echo "$list_row"
} > "$OUT"
cat "$OUT"
