# Shared by the load benchmarks: source it after setting WORK, THREADS, CONNECTIONS and DURATION.

# start_nginx PORT FILE: nginx (2 workers, no access log) serving $WORK/FILE as application/json
# at /FILE on 127.0.0.1:PORT; its pid file is $WORK/nginx.pid.
start_nginx() {
  local port=$1 file=$2
  chmod 755 "$WORK"; chmod 644 "$WORK/$file"  # nginx workers run as www-data
  mkdir -p "$WORK/nginx"
  cat > "$WORK/nginx.conf" <<NGINX
worker_processes 2;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx; proxy_temp_path $WORK/nginx; fastcgi_temp_path $WORK/nginx;
  uwsgi_temp_path $WORK/nginx; scgi_temp_path $WORK/nginx;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$port reuseport;
    location = /$file { default_type application/json; root $WORK; }
  }
}
NGINX
  nginx -c "$WORK/nginx.conf"
}

# run_wrk NAME URL [SCRIPT]: prints "NAME req/s p50 p99"; fails on any non-2xx answer.
run_wrk() {
  local name=$1 url=$2 script=${3:-}
  local args=(-t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency)
  [[ -n $script ]] && args+=(-s "$script")
  wrk "${args[@]}" "$url" > "$WORK/$name.txt"
  if grep -q "Non-2xx" "$WORK/$name.txt"; then
    echo "bench: $name got error responses:" >&2; cat "$WORK/$name.txt" >&2; exit 1
  fi
  local rps p50 p99
  rps=$(awk '/Requests\/sec/ {print $2}' "$WORK/$name.txt")
  p50=$(awk '$1 == "50%" {print $2}' "$WORK/$name.txt")
  p99=$(awk '$1 == "99%" {print $2}' "$WORK/$name.txt")
  echo "$name $rps $p50 $p99"
}
