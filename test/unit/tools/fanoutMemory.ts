// Not a test: prints peak memory and the most port operations in flight while the runner answers one reply with
// many read_file calls. Run after `npm run compile-tests`:
//   node --expose-gc out/test/unit/tools/fanoutMemory.js [calls=2000] [fileKB=1024]
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CountingPort } from './countingPort';
import { harness, makeWorkspace } from './nodePort';

async function main(): Promise<void> {
  const calls = Number(process.argv[2] ?? 2000);
  const fileKB = Number(process.argv[3] ?? 1024);
  const w = makeWorkspace();
  try {
    const line = 'const value = computeSomethingUseful(input, options); // a typical line of source\n';
    writeFileSync(join(w.ws, 'big.ts'), line.repeat(Math.ceil((fileKB * 1024) / line.length)));
    const port = CountingPort.single(w.ws);
    const h = harness(port);
    (globalThis as { gc?: () => void }).gc?.();
    const base = process.memoryUsage();
    let peakRss = base.rss;
    let peakHeap = base.heapUsed;
    const sample = () => {
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      peakHeap = Math.max(peakHeap, m.heapUsed);
    };
    port.onOp = sample;
    const timer = setInterval(sample, 5);
    const t0 = Date.now();
    const results = await h.run(Array.from({ length: calls }, () => ({ name: 'read_file', input: { path: 'big.ts' } })));
    clearInterval(timer);
    sample();
    const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;
    console.log(
      `${calls} read_file calls of a ${fileKB} KB file: ${results.length} results (${results.filter((r) => r.isError).length} is_error), ` +
        `max port operations in flight ${port.maxInFlight}, peak RSS ${mb(peakRss)} (start ${mb(base.rss)}), ` +
        `peak heap ${mb(peakHeap)} (start ${mb(base.heapUsed)}), ${Date.now() - t0} ms`,
    );
  } finally {
    w.cleanup();
  }
}

void main();
