#!/usr/bin/env bash
# The caption cache's tiers in one run: an L1 hit against nginx serving the same bytes, an L2 hit
# (L1 off: CACHE_SIZE=0) against redis-benchmark GET of a value of the same size on the same
# redis-server, a miss, and the cost of compressing a cache hit. Writes
# bench/results/redis-cache.md. Not a test: numbers, not pass/fail.
#   bench/load/cache_tiers.sh            (env: DURATION=10s CONNECTIONS=64 THREADS=2)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
BIN=${REELGEN_BIN:-$ROOT/build/release/src/app/reelgen}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
OUT=$ROOT/bench/results/redis-cache.md
WORK=$(mktemp -d)
PIDS=()
source bench/load/lib.sh
trap 'kill "${PIDS[@]}" 2>/dev/null || true; [[ -f $WORK/nginx.pid ]] && kill $(cat $WORK/nginx.pid) 2>/dev/null; rm -rf "$WORK"' EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
REDIS_PORT=$(free_port)
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$WORK" > /dev/null &
PIDS+=($!)
until redis-cli -p "$REDIS_PORT" ping > /dev/null 2>&1; do sleep 0.01; done
REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0

# serve NAME [VAR=value ...]: a server with its own data dir; sets PORT_<NAME> and KEY_<NAME>.
serve() {
  local name=$1; shift
  local port; port=$(free_port)
  env ACCESS_LOG=false LOG_LEVEL=warn "$@" "$BIN" serve --port "$port" --data-dir "$WORK/$name" \
    > "$WORK/$name.log" 2>&1 &
  PIDS+=($!)
  until curl -sf -o /dev/null "http://127.0.0.1:$port/health/ready"; do sleep 0.01; done
  printf -v "PORT_$name" %s "$port"
  printf -v "KEY_$name" %s "$("$BIN" keys create --name bench --rate-limit 0 --data-dir "$WORK/$name" | tail -n1)"
}
serve l1                                      # L1 only
serve tiered REDIS_URL="$REDIS_URL"           # L1 in front of Redis
serve l2 REDIS_URL="$REDIS_URL" CACHE_SIZE=0  # Redis alone
serve l2wide REDIS_URL="$REDIS_URL" CACHE_SIZE=0 BLOCKING_THREADS=64 REDIS_POOL_SIZE=64

BODY='{"content_description":"Beautiful sunset over the ocean","style":"inspirational","hashtag_count":15}'
curl -s -X POST -H "Authorization: Bearer $KEY_l1" -d "$BODY" \
  "http://127.0.0.1:$PORT_l1/api/v14/generate" > "$WORK/static.json"
body_bytes=$(stat -c %s "$WORK/static.json")
NGINX_PORT=$(free_port)
start_nginx "$NGINX_PORT" static.json

url() { echo "http://127.0.0.1:$1/api/v14/generate"; }

nginx_line=$(run_wrk nginx "http://127.0.0.1:$NGINX_PORT/static.json")
l1_line=$(REELGEN_KEY=$KEY_l1 run_wrk l1_hit "$(url "$PORT_l1")" bench/load/generate_hit.lua)
tiered_line=$(REELGEN_KEY=$KEY_tiered run_wrk l1_hit_with_redis "$(url "$PORT_tiered")" bench/load/generate_hit.lua)
l2_line=$(REELGEN_KEY=$KEY_l2 run_wrk l2_hit "$(url "$PORT_l2")" bench/load/generate_hit.lua)
l2wide_line=$(REELGEN_KEY=$KEY_l2wide run_wrk l2_hit_64_threads "$(url "$PORT_l2wide")" bench/load/generate_hit.lua)
# The stored form of that caption as L2 keeps it, for redis-benchmark's value size.
l2_value_bytes=$(redis-cli -p "$REDIS_PORT" --scan --pattern 'reelgen:cache:*' | head -n1 |
  xargs redis-cli -p "$REDIS_PORT" strlen)
redis_rps=$(redis-benchmark -p "$REDIS_PORT" -t get -n 400000 -c "$CONNECTIONS" -d "$l2_value_bytes" --threads "$THREADS" --csv |
  awk -F'"' '$2 == "GET" {print $4}')
miss_line=$(REELGEN_KEY=$KEY_tiered run_wrk miss_with_redis "$(url "$PORT_tiered")" bench/load/generate_miss.lua)
enc_lines=()
for coding in identity zstd br gzip; do
  enc_lines+=("$(ACCEPT_ENCODING=$coding REELGEN_KEY=$KEY_l1 run_wrk "hit_$coding" "$(url "$PORT_l1")" bench/load/generate_encoded.lua)")
done
encoded_bytes() {
  curl -s -X POST -H "Authorization: Bearer $KEY_l1" -H "Accept-Encoding: $1" \
    -d '{"content_description":"Beautiful sunset over the ocean","style":"inspirational","hashtag_count":15,"variants":3}' \
    "$(url "$PORT_l1")" | wc -c
}
cache_doc=$(curl -s "http://127.0.0.1:$PORT_tiered/performance/cache")
ratio_l2=$(echo "$cache_doc" | python3 -c 'import json,sys; t=[t for t in json.load(sys.stdin)["tiers"] if t["tier"]=="l2"][0]; print("%.2f (%d bytes of caption entries stored as %d)" % (t["compression_ratio"], t["raw_bytes_written"], t["stored_bytes_written"]))')

nginx_rps=$(echo "$nginx_line" | awk '{print $2}')
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
row() { set -- $1; echo "| $1 | $2 | $3 | $4 | $(ratio "$2" "$5") |"; }
identity_rps=$(echo "${enc_lines[0]}" | awk '{print $2}')
{
  echo "# Caption cache tiers: L1, Redis L2, miss"
  echo
  echo "Command: \`bench/load/cache_tiers.sh\` (wrk -t$THREADS -c$CONNECTIONS -d$DURATION; redis-benchmark -t get -c$CONNECTIONS --threads $THREADS; all on the same $(nproc)-core machine)"
  echo "Date: $(date -u +%Y-%m-%dT%H:%M:%SZ); CPU: $(awk -F: '/model name/ {print $2; exit}' /proc/cpuinfo | sed 's/^ *//'); $(redis-server --version | cut -d' ' -f1-3)"
  echo "Response body: $body_bytes bytes; its L2 value: $l2_value_bytes bytes. Access logs off. Keys with no rate limit."
  echo
  echo "| run | req/s | p50 | p99 | ratio | to |"
  echo "| --- | ---: | ---: | ---: | ---: | --- |"
  echo "$(row "$nginx_line $nginx_rps") nginx |"
  echo "$(row "$l1_line $nginx_rps") nginx (target ≥ 0.9) |"
  echo "$(row "$tiered_line $nginx_rps") nginx |"
  echo "| redis-benchmark GET | $redis_rps | | | 1.00 | redis-benchmark |"
  echo "$(row "$l2_line $redis_rps") redis-benchmark GET (target ≥ 0.5) |"
  echo "$(row "$l2wide_line $redis_rps") redis-benchmark GET |"
  echo "$(row "$miss_line $nginx_rps") nginx |"
  echo
  echo "- l1_hit: no REDIS_URL. l1_hit_with_redis: REDIS_URL set; the hit is in L1, but a request with a key runs on the blocking pool (its token would be taken in Redis)."
  echo "- l2_hit: REDIS_URL and CACHE_SIZE=0: every answer is a Redis GET, a zstd decode and the rest of the request, on the blocking pool (BLOCKING_THREADS=16, REDIS_POOL_SIZE=16). l2_hit_64_threads: the same with 64 of each, one per wrk connection."
  echo "- miss_with_redis: a new description each time: L1 and L2 misses, the engine, and writes to both."
  echo "- L2 compression ratio on the caption entries written in this run: $ratio_l2."
  echo
  echo "## Compression on the cache-hit path (L1 server, three-variant caption)"
  echo
  echo "| Accept-Encoding | req/s | p50 | p99 | ratio to identity | body bytes |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: |"
  for i in 0 1 2 3; do
    coding=$(echo "${enc_lines[$i]}" | awk '{print $1}'); coding=${coding#hit_}
    echo "$(row "${enc_lines[$i]} $identity_rps") $(encoded_bytes "$coding") |"
  done
} > "$OUT"
cat "$OUT"
