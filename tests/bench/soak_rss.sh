#!/usr/bin/env bash
# Runs scenarios/soak.json (10 minutes at 200 verified chats/s against the built-in mock) and samples
# the harness's RSS and open descriptors every 10 s; prints the first and last samples after warm-up
# and the drift. Target (issue 4): RSS flat within 5% over the soak. Not part of `make test`.
# Usage: tests/bench/soak_rss.sh [DURATION]   (default 10m)
source "$(dirname "$0")/common.sh"
DURATION=${1:-10m}
"$BIN" run "$ROOT/scenarios/soak.json" --set "phases.0.duration=$DURATION" --quiet \
  --report-json "$WORK/soak.json" &
RUN_PID=$!
echo "seconds rss_kb fds"
elapsed=0
while kill -0 "$RUN_PID" 2>/dev/null; do
  sleep 10
  elapsed=$((elapsed + 10))
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$RUN_PID/status" 2>/dev/null) || break
  fds=$(ls "/proc/$RUN_PID/fd" 2>/dev/null | wc -l)
  echo "$elapsed $rss $fds" | tee -a "$WORK/samples"
done
wait "$RUN_PID"; code=$?
# Skip the first minute (allocator and connection pools warming up).
awk 'NR == 1 { next } $1 >= 60 && !first { first = $2; ffds = $3 } { last = $2; lfds = $3 }
     END { if (first) printf "RSS after warm-up %d KB, at end %d KB: drift %+.1f%%; descriptors %d -> %d\n",
                             first, last, (last - first) * 100 / first, ffds, lfds }' "$WORK/samples"
echo "run exit code: $code"
