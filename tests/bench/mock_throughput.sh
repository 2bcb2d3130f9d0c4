#!/usr/bin/env bash
# Side-by-side throughput of the mock (one thread) against nginx serving a static JSON, both
# driven by wrk on loopback in the same run, and the mock's RSS with 10,000 idle keep-alive
# connections. Targets (issue 3): >= 15,000 signed non-streamed completions/s, >= 5,000
# attestation reports/s, < 200 MB RSS for 10,000 idle connections.
# Usage: tests/bench/mock_throughput.sh [SECONDS]   (after `make build`)
source "$(dirname "$0")/common.sh"
SECONDS_EACH=${1:-10}
ulimit -n "$(ulimit -Hn)"  # 10,000 idle connections need more than the default 1024

start_nginx
# The mock on core 0, wrk on core 1: the load generator never competes with the server.
start_mock --threads 1 --tokens 16
taskset -pc 0 "$MOCK_PID" >/dev/null
cat > "$WORK/chat.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"messages":[{"role":"user","content":"hi"}],"max_tokens":16}'
LUA
NONCE=$(printf 'ab%.0s' $(seq 32))

nginx_rps=$(taskset -c 1 wrk -t1 -c50 -d"${SECONDS_EACH}"s "$NGINX_URL/static.json" | awk '/Requests\/sec/ {print $2}')
chat_rps=$(taskset -c 1 wrk -t1 -c50 -d"${SECONDS_EACH}"s -s "$WORK/chat.lua" "$MOCK_URL/v1/chat/completions" | awk '/Requests\/sec/ {print $2}')
attest_rps=$(taskset -c 1 wrk -t1 -c50 -d"${SECONDS_EACH}"s "$MOCK_URL/v1/attestation/report?nonce=$NONCE" | awk '/Requests\/sec/ {print $2}')
signed=$(curl -s "$MOCK_URL/admin/stats" | sed -n 's/.*"signed":\([0-9]*\).*/\1/p')

# Idle connections: a fresh mock, RSS before and after 10,000 keep-alive sessions.
kill "$MOCK_PID"; wait "$MOCK_PID" 2>/dev/null || true
start_mock --threads 1
rss_before=$(awk '/VmRSS/ {print $2}' "/proc/$MOCK_PID/status")
"$BUILD/tests/bench/idle_connections" 127.0.0.1 "${MOCK_URL##*:}" 10000 > "$WORK/idle.out" &
PIDS+=($!)
for _ in $(seq 600); do grep -q ready "$WORK/idle.out" && break; sleep 0.1; done
grep -q ready "$WORK/idle.out" || { echo "idle connections did not open" >&2; exit 1; }
rss_after=$(awk '/VmRSS/ {print $2}' "/proc/$MOCK_PID/status")

printf '\n%-46s %12s %12s %8s\n' "measure (wrk -t1 -c50, ${SECONDS_EACH}s each, loopback)" "req/s" "nginx req/s" "ratio"
printf '%-46s %12s %12s %8s\n' "nginx static JSON (reference)" "$nginx_rps" "$nginx_rps" "1.00"
printf '%-46s %12s %12s %8s\n' "mock signed completions (ECDSA+Ed25519 each)" "$chat_rps" "$nginx_rps" "$(ratio "$chat_rps" "$nginx_rps")"
printf '%-46s %12s %12s %8s\n' "mock attestation reports" "$attest_rps" "$nginx_rps" "$(ratio "$attest_rps" "$nginx_rps")"
printf 'responses signed by the mock during the chat run: %s\n' "$signed"
printf 'mock RSS: %d KB idle, %d KB with 10,000 idle keep-alive connections (%.1f MB)\n' \
  "$rss_before" "$rss_after" "$(awk -v k="$rss_after" 'BEGIN {print k / 1024}')"
printf 'targets: completions >= 15000/s, reports >= 5000/s, RSS < 200 MB\n'
