import { buildImage, runEl2simBoot, runQemuSystem } from '/work/main/test/oracle/qemu-system.js';
const by = (process.argv[2] ?? 'el2sim') as 'el2sim' | 'gnu';
const elf = buildImage('mmu-faults', { by });
const q = runQemuSystem(elf, { timeoutMs: 10000 });
const e = runEl2simBoot(elf);
const ql = q.uart.split('\n'), el = e.uart.split('\n');
for (let i = 0; i < Math.max(ql.length, el.length); i++) {
  console.log((ql[i] === el[i] ? '  ' : '!!') + ' Q ' + ql[i]);
  if (ql[i] !== el[i]) console.log('!! E ' + el[i]);
}
console.log('qemu timedOut', q.timedOut, 'el2sim reason', e.reason);
