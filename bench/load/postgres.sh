#!/usr/bin/env bash
# PostgreSQL benchmark, in one command, on one throwaway server (Unix socket, temporary dir):
# - the ceiling: `pgbench -S` (select-only) on the same server;
# - job claims: the backend's exact claim statement (FOR UPDATE SKIP LOCKED) as a pgbench script
#   over a table of empty queued jobs, with 1, 4 and 16 concurrent claimers;
# - GET /api/v1/videos/{id} with wrk on `serve` over PostgreSQL against `serve` over SQLite.
# Writes bench/results/postgres.md. Not a test.
#   bench/load/postgres.sh            (env: DURATION=10 CONNECTIONS=64)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
BIN=${REELGEN_BIN:-$ROOT/build/release/src/app/reelgen}
PG=/usr/lib/postgresql/15/bin
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-64}
OUT=$ROOT/bench/results/postgres.md
WORK=$(mktemp -d)
as_pg=()
if [[ $(id -u) == 0 ]]; then chown postgres: "$WORK"; as_pg=(runuser -u postgres --); fi
cleanup() {
  kill $(jobs -p) 2>/dev/null || true
  "${as_pg[@]}" "$PG/pg_ctl" -D "$WORK/pg" -m immediate -w stop > /dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

"${as_pg[@]}" "$PG/initdb" -D "$WORK/pg" -A trust -U postgres -E UTF8 --no-sync > /dev/null
"${as_pg[@]}" "$PG/pg_ctl" -D "$WORK/pg" -l "$WORK/pg.log" -w \
  -o "-k $WORK -c listen_addresses='' -c max_connections=200" start > /dev/null
psql() { "$PG/psql" -h "$WORK" -U postgres -At "$@"; }
psql -d postgres -c "CREATE DATABASE reelgen" -c "CREATE DATABASE pgbench" > /dev/null
export DATABASE_URL="postgresql:///reelgen?host=$WORK&user=postgres"

# The ceiling.
"$PG/pgbench" -h "$WORK" -U postgres -i -q -s 10 pgbench > /dev/null 2>&1
ceiling=$("$PG/pgbench" -h "$WORK" -U postgres -S -n -c 16 -j 2 -T "$DURATION" pgbench |
  awk '/^tps/ {print int($3)}')

# Claims: the statement of src/store/postgres/pg_jobs.cpp, one claim per transaction.
"$BIN" migrate > /dev/null
cat > "$WORK/claim.sql" <<'SQL'
UPDATE jobs SET status = 'processing', lease_owner = 'bench-' || :client_id,
  lease_expires_ms = 2000000000000, attempts = attempts + 1, updated_ms = 1, stage = 'starting'
WHERE id = (SELECT id FROM jobs WHERE (status = 'queued' AND not_before_ms <= 1)
  ORDER BY priority DESC, created_ms, id LIMIT 1 FOR UPDATE SKIP LOCKED);
SQL
claim_rows=""
for clients in 1 4 16; do
  psql -d reelgen -c "TRUNCATE jobs" -c "INSERT INTO jobs (id, key_id, status, payload, created_ms,
    updated_ms) SELECT 'job_' || g, 'key_bench', 'queued', '{}', g, g
    FROM generate_series(1, 300000) g" -c "VACUUM ANALYZE jobs" > /dev/null
  tps=$("$PG/pgbench" -h "$WORK" -U postgres -n -f "$WORK/claim.sql" -c $clients -j $((clients < 2 ? 1 : 2)) \
    -T "$DURATION" reelgen | awk '/^tps/ {print int($3)}')
  left=$(psql -d reelgen -c "SELECT count(*) FROM jobs WHERE status = 'queued'")
  [[ $left -gt 0 ]] || { echo "bench: the queue ran dry; raise the job count" >&2; exit 1; }
  twice=$(psql -d reelgen -c "SELECT count(*) FROM jobs WHERE attempts > 1")
  claim_rows+="| $clients | $tps | $twice |"$'\n'
done
psql -d reelgen -c "TRUNCATE jobs" > /dev/null

# GET one video's status: PostgreSQL against SQLite, each server with a finished draft.
status_row() {  # label port data_dir
  local key id
  until curl -sf -o /dev/null "http://127.0.0.1:$2/health/ready"; do sleep 0.01; done
  key=$("$BIN" keys create --name bench --rate-limit 0 --data-dir "$3" | tail -n1)
  id=$(curl -sf -H "Authorization: Bearer $key" -d '{"script": "Hello there.", "test": true}' \
    "http://127.0.0.1:$2/api/v1/videos" | python3 -c 'import json,sys; print(json.load(sys.stdin)["video_id"])')
  until curl -sf -H "Authorization: Bearer $key" "http://127.0.0.1:$2/api/v1/videos/$id" | grep -q '"completed"'; do
    sleep 0.05
  done
  REELGEN_KEY=$key wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s bench/load/video_status.lua \
    "http://127.0.0.1:$2/api/v1/videos/$id" > "$WORK/$2.txt"
  if grep -q "Non-2xx" "$WORK/$2.txt"; then cat "$WORK/$2.txt" >&2; exit 1; fi
  echo "$(awk '/Requests\/sec/ {print int($2)}' "$WORK/$2.txt") $(awk '$1 == "50%" {print $2}' "$WORK/$2.txt") $(awk '$1 == "99%" {print $2}' "$WORK/$2.txt")"
}
ACCESS_LOG=false LOG_LEVEL=warn "$BIN" serve --port 18161 --data-dir "$WORK/pgdata" > "$WORK/pg-serve.log" 2>&1 &
read -r pg_rps pg_p50 pg_p99 < <(DATABASE_URL=$DATABASE_URL status_row postgres 18161 "$WORK/pgdata")
kill %1 2>/dev/null || true
ACCESS_LOG=false LOG_LEVEL=warn DATABASE_URL= "$BIN" serve --port 18162 --data-dir "$WORK/sqlite" > "$WORK/sq-serve.log" 2>&1 &
read -r sq_rps sq_p50 sq_p99 < <(DATABASE_URL= status_row sqlite 18162 "$WORK/sqlite")

{
  echo "# PostgreSQL benchmark"
  echo
  echo "Command: \`bench/load/postgres.sh\` (DURATION=${DURATION}s each; pgbench and wrk share the $(nproc)-core machine with the server)"
  echo "Date: $(date -u +%Y-%m-%dT%H:%M:%SZ); load before the run: $load_before"
  echo
  echo "| ceiling | transactions/s |"
  echo "| --- | ---: |"
  echo "| \`pgbench -S -c 16\` (scale 10), same server | $ceiling |"
  echo
  echo "| concurrent claimers | claims/s | jobs claimed twice |"
  echo "| ---: | ---: | ---: |"
  printf '%s' "$claim_rows"
  echo
  echo "| GET /api/v1/videos/{id} (wrk -t2 -c$CONNECTIONS) | req/s | p50 | p99 |"
  echo "| --- | ---: | ---: | ---: |"
  echo "| PostgreSQL | $pg_rps | $pg_p50 | $pg_p99 |"
  echo "| SQLite | $sq_rps | $sq_p50 | $sq_p99 |"
  echo "| ratio PostgreSQL / SQLite | $(echo "scale=2; $pg_rps / $sq_rps" | bc) | | |"
} > "$OUT"
cat "$OUT"
