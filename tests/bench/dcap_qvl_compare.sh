#!/usr/bin/env bash
# The issue 11 acceptance figures, side by side in one run on one core (taskset -c 1): our TDX
# quote verification (attest_bench: BM_QuoteVerifyCold, BM_QuoteVerifyWarm, BM_P256Verify) against
# the JavaScript @phala/dcap-qvl verify() on the same v4 quote and collateral at the same time.
#  * @phala/dcap-qvl is installed from the npm registry with `npm ci` from the committed
#    tests/bench/dcap_qvl/package-lock.json (exact versions and integrity hashes) into
#    $BUILD/dcap-qvl-bench; nothing else is downloaded. tests/bench/dcap_qvl/verify_bench.js calls
#    verify() in a loop, requires every result to be UpToDate and reports CPU time per call
#    (process.cpuUsage), not wall time.
#  * Targets: cold >= 10x faster than dcap-qvl, warm >= 50x; warm <= 1.3x two bare P-256 verifies.
# Usage: tests/bench/dcap_qvl_compare.sh [JS_ITERATIONS]   (after `make build`; needs node + npm)
source "$(dirname "$0")/common.sh"
ITERATIONS=${1:-500}
VECTORS=$ROOT/tests/vectors/attestation/tdx
AT=1752919234
BENCH=$BUILD/tests/bench/attest_bench
[[ -x $BENCH ]] || { echo "build attest_bench first (make build)" >&2; exit 2; }
command -v node >/dev/null && command -v npm >/dev/null || { echo "node and npm are needed" >&2; exit 2; }

JS_DIR=$BUILD/dcap-qvl-bench
mkdir -p "$JS_DIR"
cp "$ROOT"/tests/bench/dcap_qvl/{package.json,package-lock.json,verify_bench.js} "$JS_DIR/"
if ! cmp -s "$JS_DIR/package-lock.json" "$JS_DIR/node_modules/.package-lock.json" 2>/dev/null ||
   [[ ! -d $JS_DIR/node_modules/@phala/dcap-qvl ]]; then
  (cd "$JS_DIR" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error) >&2
fi

js_line=$(cd "$JS_DIR" && taskset -c 1 node verify_bench.js "$VECTORS/dcap-qvl-v4.quote" \
  "$VECTORS/dcap-qvl-v4.collateral.json" "$AT" "$ITERATIONS")
echo "$js_line" | head -1
js_us=$(echo "$js_line" | awk '$1 == "js_cpu_us" {print $2}')

# attest_bench's own reporter colours its table whatever the flags say: strip the escapes.
taskset -c 1 "$BENCH" --benchmark_filter='QuoteVerify|P256' | sed 's/\x1b\[[0-9;]*m//g' \
  > "$WORK/attest_bench.txt"
cat "$WORK/attest_bench.txt"
cpu_us() {  # cpu_us NAME: the CPU column of benchmark NAME, in microseconds
  awk -v name="$1" '$1 == name {
    v = $4; u = $5; if (u == "ns") v /= 1000; else if (u == "ms") v *= 1000; print v }' \
    "$WORK/attest_bench.txt"
}
cold=$(cpu_us BM_QuoteVerifyCold)
warm=$(cpu_us BM_QuoteVerifyWarm)
p256=$(cpu_us BM_P256Verify)

echo
printf 'dcap-qvl verify(): %.1f us CPU; cold: %.1f us; warm: %.1f us; bare P-256: %.1f us\n' \
  "$js_us" "$cold" "$warm" "$p256"
printf 'dcap-qvl / cold: %sx (target >= 10)\n' "$(ratio "$js_us" "$cold")"
printf 'dcap-qvl / warm: %sx (target >= 50)\n' "$(ratio "$js_us" "$warm")"
printf 'warm / (2 x bare P-256): %s (target <= 1.30)\n' "$(ratio "$warm" "$(awk -v p="$p256" 'BEGIN {print 2 * p}')")"
