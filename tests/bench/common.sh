# Shared by the side-by-side benchmark scripts: free ports, an nginx serving a static JSON on
# loopback, the mock, cleanup. Everything runs on 127.0.0.1 and stops by itself.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${BUILD:-$ROOT/build}
BIN=$BUILD/harness/cli/teeharness
WORK=$(mktemp -d /tmp/teeharness-bench.XXXXXX)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  [[ -f $WORK/nginx.pid ]] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# A port that no socket uses in any state: a local port still in TIME-WAIT from an earlier
# client connection (a test suite leaves thousands) makes nginx's bind fail even though nothing
# listens there.
free_port() {
  local port used
  used=$(ss -Htan 2>/dev/null | awk '{ n = split($4, a, ":"); print a[n] }' | sort -u)
  for port in $(shuf -i 20000-60000 -n 100); do
    grep -qx "$port" <<<"$used" && continue
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
  echo "no free port" >&2; exit 1
}

# start_nginx [SERVER_DIRECTIVES]: one worker process on a free port, serving $WORK/www/static.json
# (or, given, what the directives say, e.g. 'location / { return 200 "ok"; }'). Sets NGINX_URL.
start_nginx() {
  local directives=${1:-"root $WORK/www; default_type application/json;"}
  mkdir -p "$WORK/www" "$WORK/nginx-temp"
  # nginx workers run as an unprivileged user: the mktemp directory (mode 700) must be readable.
  chmod 755 "$WORK" "$WORK/www"
  printf '{"id":"chatcmpl-static","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"static reference body of about the size of a small completion"}}]}' > "$WORK/www/static.json"
  local port; port=$(free_port)
  cat > "$WORK/nginx.conf" <<CONF
worker_processes 1;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 16384; }
http {
  access_log off;
  keepalive_requests 1000000;
  client_body_temp_path $WORK/nginx-temp; proxy_temp_path $WORK/nginx-temp;
  fastcgi_temp_path $WORK/nginx-temp; uwsgi_temp_path $WORK/nginx-temp; scgi_temp_path $WORK/nginx-temp;
  server { listen 127.0.0.1:$port; $directives }
}
CONF
  nginx -c "$WORK/nginx.conf" -p "$WORK"
  NGINX_URL="http://127.0.0.1:$port"
  for _ in $(seq 100); do curl -sf "$NGINX_URL/static.json" >/dev/null && return; sleep 0.05; done
  echo "nginx did not start" >&2; exit 1
}

# start_mock ARGS...: the mock on a free port (port 0, read back). Sets MOCK_URL and MOCK_PID.
start_mock() {
  "$BIN" mock --listen 127.0.0.1:0 "$@" > "$WORK/mock.out" &
  MOCK_PID=$!
  PIDS+=("$MOCK_PID")
  for _ in $(seq 200); do grep -q listening "$WORK/mock.out" && break; sleep 0.05; done
  MOCK_URL="http://$(sed -n 's/^listening on //p' "$WORK/mock.out")"
}

# wrk_rate THREADS CONNS SECONDS URL [LUA]: prints requests/s.
wrk_rate() {
  local script=()
  [[ $# -ge 5 ]] && script=(-s "$5")
  wrk -t"$1" -c"$2" -d"$3"s "${script[@]}" "$4" | awk '/Requests\/sec/ {print $2}'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
