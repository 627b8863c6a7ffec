#!/usr/bin/env bash
# Load benchmark of the caption API against nginx serving a static JSON of the same size, all in
# one run on this machine. Writes bench/results/latest.md. Not a test: numbers, not pass/fail.
#   bench/load/run.sh            (env: DURATION=10s CONNECTIONS=64 THREADS=2)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
BIN=${REELGEN_BIN:-$ROOT/build/release/src/app/reelgen}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
OUT=$ROOT/bench/results/latest.md
WORK=$(mktemp -d)
REELGEN_PORT=18140
NGINX_PORT=18141
source bench/load/lib.sh
trap 'kill $(jobs -p) 2>/dev/null || true; [[ -f $WORK/nginx.pid ]] && kill $(cat $WORK/nginx.pid) 2>/dev/null; rm -rf "$WORK"' EXIT

[[ -x $BIN ]] || { cmake --preset release >/dev/null && cmake --build --preset release; }

# Start-up: time until /health/ready answers 200, then idle RSS.
start_ns=$(date +%s%N)
ACCESS_LOG=false LOG_LEVEL=warn "$BIN" serve --port $REELGEN_PORT --data-dir "$WORK/data" > "$WORK/server.log" 2>&1 &
SERVER_PID=$!
until curl -sf -o /dev/null "http://127.0.0.1:$REELGEN_PORT/health/ready"; do sleep 0.002; done
ready_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))
sleep 1
idle_rss_kb=$(awk '/VmRSS/ {print $2}' /proc/$SERVER_PID/status)
export REELGEN_KEY=$("$BIN" keys create --name bench --rate-limit 0 --data-dir "$WORK/data" | tail -n1)

# nginx serving a static JSON body of the same size as the cache-hit answer.
curl -s -X POST -H "Authorization: Bearer $REELGEN_KEY" -H 'Content-Type: application/json' \
  -d '{"content_description":"Beautiful sunset over the ocean","style":"inspirational","hashtag_count":15}' \
  "http://127.0.0.1:$REELGEN_PORT/api/v14/generate" > "$WORK/static.json"
body_bytes=$(stat -c %s "$WORK/static.json")
start_nginx "$NGINX_PORT" static.json

nginx_line=$(run_wrk nginx "http://127.0.0.1:$NGINX_PORT/static.json")
hit_line=$(run_wrk cache_hit "http://127.0.0.1:$REELGEN_PORT/api/v14/generate" bench/load/generate_hit.lua)
miss_line=$(run_wrk cache_miss "http://127.0.0.1:$REELGEN_PORT/api/v14/generate" bench/load/generate_miss.lua)
busy_rss_kb=$(awk '/VmRSS/ {print $2}' /proc/$SERVER_PID/status)

nginx_rps=$(echo "$nginx_line" | awk '{print $2}')
ratio() { awk -v a="$1" -v b="$nginx_rps" 'BEGIN { printf "%.2f", a / b }'; }
row() { set -- $1; echo "| $1 | $2 | $3 | $4 | $(ratio "$2") |"; }

{
  echo "# Caption API load benchmark"
  echo
  echo "Command: \`bench/load/run.sh\` (wrk -t$THREADS -c$CONNECTIONS -d$DURATION, wrk and servers on the same $(nproc)-core machine)"
  echo "Date: $(date -u +%Y-%m-%dT%H:%M:%SZ); CPU: $(awk -F: '/model name/ {print $2; exit}' /proc/cpuinfo | sed 's/^ *//')"
  echo "Response body: $body_bytes bytes. Access logs off in both servers."
  echo
  echo "| run | req/s | p50 | p99 | ratio to nginx |"
  echo "| --- | ---: | ---: | ---: | ---: |"
  row "$nginx_line"
  row "$hit_line"
  row "$miss_line"
  echo
  echo "| start-up | value |"
  echo "| --- | ---: |"
  echo "| ready after start (exec → /health/ready 200) | ${ready_ms} ms |"
  echo "| idle RSS after ready | $((idle_rss_kb / 1024)) MB ($idle_rss_kb kB) |"
  echo "| RSS after the load runs | $((busy_rss_kb / 1024)) MB |"
} > "$OUT"
cat "$OUT"
