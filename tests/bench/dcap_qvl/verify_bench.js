// Times @phala/dcap-qvl's verify() on one quote and its collateral (QuoteCollateralV3 JSON) at a
// fixed time, as CPU time per verification (process.cpuUsage: user + system), after a warm-up so
// that the JIT has compiled the hot paths. Every call must return UpToDate, so each iteration is a
// complete verification and not an early throw.
// Usage: node verify_bench.js QUOTE COLLATERAL_JSON UNIX_TIME [ITERATIONS]
'use strict';
const fs = require('fs');
const { verify } = require('@phala/dcap-qvl');

const [quotePath, collateralPath, timeArg, iterationsArg] = process.argv.slice(2);
if (!quotePath || !collateralPath || !timeArg) {
  console.error('usage: node verify_bench.js QUOTE COLLATERAL_JSON UNIX_TIME [ITERATIONS]');
  process.exit(2);
}
const quote = new Uint8Array(fs.readFileSync(quotePath));
const collateral = JSON.parse(fs.readFileSync(collateralPath, 'utf8'));
const now = Number(timeArg);
const iterations = Number(iterationsArg || 500);

function once() {
  const report = verify(quote, collateral, now);
  if (report.status !== 'UpToDate') {
    console.error(`verify() returned ${report.status}, expected UpToDate`);
    process.exit(1);
  }
}

for (let i = 0; i < Math.max(20, iterations / 10); ++i) once();  // warm-up (JIT)
const start = process.cpuUsage();
const wallStart = process.hrtime.bigint();
for (let i = 0; i < iterations; ++i) once();
const cpu = process.cpuUsage(start);
const wallNs = Number(process.hrtime.bigint() - wallStart);
const cpuUs = (cpu.user + cpu.system) / iterations;
console.log(`dcap-qvl ${require('@phala/dcap-qvl/package.json').version} verify(): ` +
            `${cpuUs.toFixed(1)} us CPU per verification ` +
            `(wall ${(wallNs / 1000 / iterations).toFixed(1)} us, ${iterations} iterations, UpToDate)`);
console.log(`js_cpu_us ${cpuUs.toFixed(1)}`);
