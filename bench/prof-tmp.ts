import { readFileSync } from 'node:fs';
import { readElf } from '../src/elf/read.js';
import { runUser } from '../src/user/process.js';
import { loadTiming } from '../src/spec/timing.js';
const bytes = readFileSync(process.argv[2] ?? '/tmp/il-small');
const t = loadTiming();
let best = 0;
for (let k = 0; k < 8; k++) {
  const t0 = performance.now();
  const r = runUser(readElf(bytes, 'p'), { argv: ['p'], timing: t, output: () => {} });
  best = Math.max(best, r.instructions / (performance.now() - t0) / 1e3);
}
console.log('best MIPS', best.toFixed(1));
