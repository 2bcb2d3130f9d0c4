#!/usr/bin/env bash
# Request sources against the mock, side by side in one run (issue 13):
#  1. verified non-streamed chats/s with ONE worker: the fixed inline body vs 1,000 distinct dataset
#     bodies (each body built and hashed once; the mock on core 0, the harness on core 1). Target:
#     >= 8,000/s and >= 90% of the fixed-body rate.
#  2. peak RSS of a run whose dataset is DATASET_MB megabytes (indexed by line offsets, each body
#     built when due) vs the same run with the inline body. Target: < 100 MB above.
#  The chat runs alternate fixed, dataset, fixed, dataset, ... (ROUNDS pairs) so that a machine
#  shared with other work slows both alike; the ratio is the median of the pairs'.
# Usage: tests/bench/dataset_throughput.sh [SECONDS] [DATASET_MB] [ROUNDS]   (after `make build`)
source "$(dirname "$0")/common.sh"
SECS=${1:-10}
DATASET_MB=${2:-1024}
ROUNDS=${3:-3}

json_field() {  # json_field FILE PHASE_INDEX FIELD: first numeric FIELD of the phase's block
  awk -v want="$2" -v field="\"$3\":" '
    /"name":/ && /"kind"/ == 0 { if (in_phases) phase++ }
    /"phases": \[/ { in_phases = 1; phase = -1 }
    in_phases && phase == want && $1 == field { gsub(",", "", $2); print $2; exit }' "$1"
}

# 1,000 distinct prompts: the shipped 200, each in five variants.
for v in 1 2 3 4 5; do
  sed "s/\"content\": \"\\([^\"]*\\)\"}]/\"content\": \"\\1 (variant $v)\"}]/" "$ROOT/scenarios/data/prompts.jsonl"
done > "$WORK/prompts-1000.jsonl"
distinct=$(sort -u "$WORK/prompts-1000.jsonl" | wc -l)

start_mock --threads 1 --tokens 16
taskset -pc 0 "$MOCK_PID" >/dev/null
curl -sf "$MOCK_URL/mock/pki/root.pem" > "$WORK/mock-root.pem"
curl -sf "$MOCK_URL/mock/pki/collateral.json" > "$WORK/mock-collateral.json"
curl -sf "$MOCK_URL/mock/pki/nvidia-root.pem" > "$WORK/mock-gpu-root.pem"
TRUST="\"attestation\": { \"trust_roots\": [\"$WORK/mock-root.pem\"], \"gpu_trust_roots\": [\"$WORK/mock-gpu-root.pem\"], \"collateral\": \"$WORK/mock-collateral.json\" },"
scenario() {  # scenario NAME REQUEST_JSON
  cat > "$WORK/$1.json" <<JSON
{ "name": "bench-$1", "target": { "base_url": "$MOCK_URL", "dialect": "phala" }, $TRUST
  "request": $2,
  "phases": [ { "name": "warm", "flow": "attest", "iterations": 1 },
              { "name": "chat", "flow": "verified_chat", "concurrency": 64, "duration": "${SECS}s" } ] }
JSON
}
scenario fixed '{ "messages": [{"role": "user", "content": "hi"}], "max_tokens": 16 }'
scenario dataset "{ \"max_tokens\": 16, \"dataset\": { \"path\": \"$WORK/prompts-1000.jsonl\" } }"
# rate_of NAME: verified chats/s of the chat phase, the harness's CPU (user+sys) per chat in us
# (the whole process, start-up and the warm attestation included, over the chat phase's chats),
# and the run's exit code. The CPU figure is what a rate held by the one-thread mock would hide.
rate_of() {
  local code=0 cpu chats
  taskset -c 1 /usr/bin/time -f '%U %S' -o "$WORK/$1.cpu" "$BIN" run "$WORK/$1.json" --workers 1 \
    --quiet --report-json "$WORK/$1-report.json" >/dev/null 2>&1 || code=$?
  cpu=$(tail -1 "$WORK/$1.cpu")
  chats=$(json_field "$WORK/$1-report.json" 1 iterations)
  echo "$(json_field "$WORK/$1-report.json" 1 rate) $(awk -v c="$cpu" -v n="$chats" \
    'BEGIN { split(c, t, " "); printf "%.1f", (n > 0 ? 1e6 * (t[1] + t[2]) / n : 0) }') $code"
}
pairs=()
cpus=()
codes=""
for _ in $(seq "$ROUNDS"); do
  read -r f fcpu fcode < <(rate_of fixed)
  read -r d dcpu dcode < <(rate_of dataset)
  pairs+=("$d $f")
  cpus+=("$dcpu $fcpu")
  codes+="$fcode/$dcode "
done
median_pair=$(printf '%s\n' "${pairs[@]}" | awk '{ print ($2 > 0 ? $1 / $2 : 0), $1, $2 }' | sort -g |
              awk '{ row[NR] = $0 } END { print row[int((NR + 1) / 2)] }')
read -r median_ratio dataset_rps fixed_rps <<< "$median_pair"
signed_distinct=$(curl -sf "$MOCK_URL/admin/stats" | sed 's/.*"distinct_chat_bodies":\([0-9]*\).*/\1/')

# Memory: a DATASET_MB file of distinct prompts (about 1 KB a line), indexed, against the inline body.
awk -v mb="$DATASET_MB" 'BEGIN {
  pad = sprintf("%900s", ""); gsub(/ /, "lorem ipsum ", pad)
  n = int(mb * 1048576 / (900 + 70))
  for (i = 0; i < n; i++) printf "{\"messages\":[{\"role\":\"user\",\"content\":\"prompt %d %s\"}]}\n", i, substr(pad, 1, 900)
}' > "$WORK/big.jsonl"
big_lines=$(wc -l < "$WORK/big.jsonl")
big_mb=$(( $(stat -c %s "$WORK/big.jsonl") / 1048576 ))
scenario big "{ \"max_tokens\": 16, \"dataset\": { \"path\": \"$WORK/big.jsonl\", \"order\": \"shuffle\" } }"
peak_rss() {  # peak_rss NAME: the run's peak RSS in KB
  /usr/bin/time -f %M -o "$WORK/$1.rss" "$BIN" run "$WORK/$1.json" --workers 1 --quiet \
    --set "phases.1.duration=3s" --report-json "$WORK/$1-rss.json" >/dev/null 2>&1 || true
  tail -1 "$WORK/$1.rss"
}
rss_inline=$(peak_rss fixed)
rss_big=$(peak_rss big)
big_rate=$(json_field "$WORK/big-rss.json" 1 rate)

printf '\n%-64s %12s %12s %8s\n' "measure (loopback, ${SECS}s each, 1 worker)" "dataset" "fixed" "ratio"
for pair in "${pairs[@]}"; do
  read -r d f <<< "$pair"
  printf '%-64s %12.0f %12.0f %8s\n' "verified non-streamed chats/s, $distinct distinct bodies vs one" "$d" "$f" "$(ratio "$d" "$f")"
done
printf '%-64s %12.0f %12.0f %8.2f\n' "  median pair" "$dataset_rps" "$fixed_rps" "$median_ratio"
for pair in "${cpus[@]}"; do
  read -r d f <<< "$pair"
  printf '%-64s %12s %12s %8s\n' "harness CPU per verified chat (us), dataset vs fixed" "$d" "$f" "$(ratio "$f" "$d")"
done
printf '%-64s %12s\n' "  distinct bodies the mock saw over all runs" "$signed_distinct"
printf '%-64s %12s\n' "  exit codes fixed/dataset (1: a check or threshold failed)" "$codes"
printf '%-64s %12s %12s %8s\n' "peak RSS (KB): ${big_mb} MB dataset ($big_lines lines) vs inline" "$rss_big" "$rss_inline" "$(ratio "$rss_big" "$rss_inline")"
printf '%-64s %12s\n' "  RSS above the inline run (MB)" "$(( (rss_big - rss_inline) / 1024 ))"
printf '%-64s %12.0f\n' "  verified chats/s with the indexed dataset (built when due)" "$big_rate"
printf 'targets: >= 8000 chats/s with the dataset and >= 0.90 of the fixed rate (CPU ratio: fixed/dataset); RSS < 100 MB above\n'
