#!/usr/bin/env bash
# Generator vs wrk, measured by client CPU time per request (issue 13), in one run on loopback:
# nginx (one worker, `return 200`) pinned to core 0, each client pinned to core 1 in turn:
#   wrk -t1 -c50, then teeharness calibrate-http.json with one worker (50 connections), then the
#   same over libcurl (target.http_client=curl) instead of the native HTTP/1.1 client.
# A client's CPU is user+sys of the subshell that runs only it (bash `times`), divided by the
# requests it completed (wrk's own count; teeharness's JSON report).
# Requests/s alone mislead: a saturated server flatters the slower client, so nginx's own CPU share
# during each run is printed too (it must stay under its core for the comparison to be fair).
# A client that saturates the server (wrk, nginx near 100%) finds many answers ready at each
# wake-up and pays its per-wake-up costs over more requests than one that runs at its own limit.
# So teeharness is also run in its open model at a fixed rate, RATE per second (default: a quarter of the
# best closed-model rate of the rounds, so that neither the server nor the client is the limit) with up to 50 requests in
# flight: the CPU per request of paced load, where each arrival is a timer. wrk cannot pace (no
# rate option), so this figure has no wrk counterpart; dropped arrivals (max_in_flight reached)
# are printed with it.
# Usage: tests/bench/generator_cpu.sh [SECONDS] [ROUNDS] [RATE]   (after `make build`)
source "$(dirname "$0")/common.sh"
SECS=${1:-10}
ROUNDS=${2:-3}
RATE=${3:-}
TICKS=$(getconf CLK_TCK)

start_nginx 'location / { default_type text/plain; return 200 "ok"; }'
URL="$NGINX_URL/"
taskset -pc 0 "$(cat "$WORK/nginx.pid")" >/dev/null
NGINX_WORKER=$(pgrep -P "$(cat "$WORK/nginx.pid")" | head -1)
taskset -pc 0 "$NGINX_WORKER" >/dev/null

# CPU seconds (user+sys) nginx's worker has used so far.
nginx_cpu() { awk -v t="$TICKS" '{ printf "%.3f", ($14 + $15) / t }' "/proc/$NGINX_WORKER/stat"; }

# client_cpu CMD...: runs CMD on core 1, prints "CPU_SECONDS" (user+sys of CMD and its children).
client_cpu() {
  { ( taskset -c 1 "$@" > "$WORK/client.out" 2>&1 || true; times ) | tail -1; } |
    awk '{ gsub("m", " "); gsub("s", ""); printf "%.3f", ($1 * 60 + $2) + ($3 * 60 + $4) }'
}

printf '%-6s %-15s %10s %12s %14s %12s\n' round client "req/s" requests "CPU us/req" "nginx core"
best_wrk="" best_th="" best_curl="" best_th_rate=0
# run_teeharness LABEL [ARGS...]: calibrate-http with one worker; prints its row, sets TH_US.
run_teeharness() {
  local label=$1; shift
  local n0 n1 cpu reqs
  n0=$(nginx_cpu)
  cpu=$(client_cpu "$BIN" run "$ROOT/scenarios/calibrate-http.json" --target "$URL" \
        --set "phases.0.duration=${SECS}s" --workers 1 --quiet --report-json "$WORK/th.json" "$@")
  n1=$(nginx_cpu)
  reqs=$(awk -F'[:,]' '/"requests":/ { gsub(" ", "", $2); print $2; exit }' "$WORK/th.json")
  TH_US=$(awk -v c="$cpu" -v n="$reqs" 'BEGIN { printf "%.2f", 1e6 * c / n }')
  TH_RATE=$(awk -v n="$reqs" -v s="$SECS" 'BEGIN { print n / s }')
  printf '%-6s %-15s %10.0f %12s %14s %11.0f%%\n' "$round" "$label" "$TH_RATE" "$reqs" "$TH_US" \
    "$(awk -v a="$n0" -v b="$n1" -v s="$SECS" 'BEGIN{print 100*(b-a)/s}')"
}
least() { awk -v a="$1" -v b="$2" 'BEGIN { print (a == "" || b < a) ? b : a }'; }
for round in $(seq "$ROUNDS"); do
  n0=$(nginx_cpu)
  cpu=$(client_cpu wrk -t1 -c50 -d"${SECS}"s "$URL")
  n1=$(nginx_cpu)
  reqs=$(awk '/requests in/ {print $1}' "$WORK/client.out")
  wrk_us=$(awk -v c="$cpu" -v n="$reqs" 'BEGIN { printf "%.2f", 1e6 * c / n }')
  printf '%-6s %-15s %10.0f %12s %14s %11.0f%%\n' "$round" wrk "$(awk -v n="$reqs" -v s="$SECS" 'BEGIN{print n/s}')" \
    "$reqs" "$wrk_us" "$(awk -v a="$n0" -v b="$n1" -v s="$SECS" 'BEGIN{print 100*(b-a)/s}')"
  best_wrk=$(least "$best_wrk" "$wrk_us")
  run_teeharness teeharness
  best_th=$(least "$best_th" "$TH_US")
  best_th_rate=$(awk -v a="$best_th_rate" -v r="$TH_RATE" 'BEGIN { print (r > a) ? r : a }')
  # The same run over libcurl (target.http_client=curl): what the native client saves.
  run_teeharness teeharness-curl --set target.http_client=curl
  best_curl=$(least "$best_curl" "$TH_US")
done
printf '\nleast CPU per request: wrk %s us, teeharness %s us (over libcurl: %s us); ratio wrk/teeharness %s (target >= 0.50), over libcurl %s\n' \
  "$best_wrk" "$best_th" "$best_curl" "$(ratio "$best_wrk" "$best_th")" "$(ratio "$best_wrk" "$best_curl")"
printf '(teeharness includes its start-up: scenario load and the run report, amortised over %s s)\n' "$SECS"

# Paced: the open model at a fixed rate below what the server and the client can do.
RATE=${RATE:-$(awk -v r="$best_th_rate" 'BEGIN { printf "%d", r / 4 }')}
cat > "$WORK/paced.json" <<JSON
{ "name": "calibrate-paced", "target": { "base_url": "$URL" },
  "phases": [ { "name": "paced", "flow": "http", "max_in_flight": 50,
                "arrival_rate": { "from": $RATE, "to": $RATE, "over": "${SECS}s" } } ] }
JSON
n0=$(nginx_cpu)
cpu=$(client_cpu "$BIN" run "$WORK/paced.json" --workers 1 --quiet --report-json "$WORK/th.json")
n1=$(nginx_cpu)
reqs=$(awk -F'[:,]' '/"requests":/ { gsub(" ", "", $2); print $2; exit }' "$WORK/th.json")
dropped=$(awk -F'[:,]' '/"dropped":/ { gsub(" ", "", $2); print $2; exit }' "$WORK/th.json")
printf 'teeharness paced at %s/s: %s requests (%s dropped), CPU %s us per request, nginx core %.0f%%\n' \
  "$RATE" "$reqs" "${dropped:-0}" "$(awk -v c="$cpu" -v n="$reqs" 'BEGIN { printf "%.2f", 1e6 * c / n }')" \
  "$(awk -v a="$n0" -v b="$n1" -v s="$SECS" 'BEGIN{print 100*(b-a)/s}')"
