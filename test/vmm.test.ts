// The vmm (vmm/build/vmm.elf, real EL2 software) running the guest kernel
// under stage 2 on el2sim: the guest's output is the native run's for every
// workload and every option, the statistics show the mechanism, and bad input
// ends with a clear message, never a hang.
import { describe, expect, it } from 'vitest';
import { assemble } from '../src/asm/assembler.js';
import { Machine } from '../src/machine/machine.js';
import { BLOCKS_OF, loadVmm, vmLayout, type VmmOptions } from '../src/machine/vm.js';
import { loadTiming } from '../src/spec/timing.js';
import { guestOutput, kernelBytes, nativeOutput, SMALL, vmRun, withoutStats } from './helpers/vm.js';
import { imageSource, TEXT_BASE } from './oracle/qemu-system.js';


describe('the guest under stage 2 prints what it prints natively', () => {
  it.each(SMALL)('%s %s', (workload, args) => {
    const r = vmRun({ mode: 'stage2', workload, args });
    expect(r.reason, r.message).toBe('poweroff');
    expect(withoutStats(r.uart)).toBe(withoutStats(nativeOutput(workload, args)));
  });

  const options: Partial<VmmOptions>[] = [];
  for (const granule of ['4k', '16k', '64k'] as const) {
    for (const block of BLOCKS_OF[granule]) for (const map of ['lazy', 'eager'] as const) options.push({ granule, block, map });
  }
  options.push({ ipaBits: 44 }, { ipaBits: 44, granule: '16k' }, { ipaBits: 44, granule: '64k', block: '512m' }, { switch: 'full' }, { switch: 'full', map: 'eager', block: '2m' });
  it.each(options.map((o) => [JSON.stringify(o), o] as const))('with %s', (_name, o) => {
    const r = vmRun({ mode: 'stage2', workload: 'forkwait', args: '--iters 4 --pages 4', vmm: o });
    expect(r.reason, r.message).toBe('poweroff');
    expect(r.uart).toBe(nativeOutput('forkwait', '--iters 4 --pages 4'));
    expect(r.vmmStats!.VMEXIT_UNHANDLED).toBe(0);
  });
});

describe('the statistics show the mechanism', () => {
  const r = vmRun({ mode: 'stage2', workload: 'gups', args: '--mib 2 --iters 2000' });
  const s = r.stats, v = r.vmmStats!;

  it('stage 2 descriptor fetches, exits by reason, no TVM/TTLB/MSR traps', () => {
    expect(s.walks.fetchesByStage.s2).toBeGreaterThan(0);
    expect(Object.keys(s.exits.byReason).sort()).toEqual(expect.arrayContaining(['DABT_LOWER', 'HVC64']));
    for (const k of Object.keys(s.exits.byReason)) expect(['DABT_LOWER', 'IABT_LOWER', 'HVC64', 'WFX', 'IRQ']).toContain(k);
    expect(s.sysregWrites.TTBR0_EL1).toBeGreaterThan(0); // the guest's own writes, not trapped
    expect(s.exits.byReason.DABT_LOWER!.count + (s.exits.byReason.IABT_LOWER?.count ?? 0)).toBe(v.VMEXIT_DATA_ABORT! + v.VMEXIT_INSN_ABORT!);
    expect(s.exits.total).toBe(v.VMEXIT_COUNT);
  });

  it('EL2 cycles are the exits\' plus the vmm\'s start-up', () => {
    const exitCycles = Object.values(s.exits.byReason).reduce((a, e) => a + e.cycles, 0);
    expect(s.cyclesByEl.el2).toBe(exitCycles + s.exits.beforeFirstEntry);
    expect(s.cyclesByEl.el0 + s.cyclesByEl.el1 + s.cyclesByEl.el2).toBe(s.cycles);
  });

  it('lazy mapping: one stage 2 fault per page first touched; eager: none', () => {
    expect(v.S2_PAGING).toBe(v.S2_MAP_4K);
    expect(v.S2_FAULT_TRANSLATION).toBe(v.S2_PAGING! + v.MMIO_UART! + v.MMIO_GICD! + v.MMIO_GICR! + v.MMIO_UNMAPPED!);
    expect(v.S2_PAGING).toBeGreaterThan(512); // the 2 MiB working set at least
    const eager = vmRun({ mode: 'stage2', workload: 'gups', args: '--mib 2 --iters 2000', vmm: { map: 'eager', block: '2m' } }).vmmStats!;
    expect(eager.S2_PAGING).toBe(0);
    expect(eager.S2_MAP_2M).toBe(128); // 256 MiB
    const blocks = vmRun({ mode: 'stage2', workload: 'gups', args: '--mib 2 --iters 2000', vmm: { block: '2m' } }).vmmStats!;
    expect(blocks.S2_PAGING).toBe(blocks.S2_MAP_2M);
    expect(blocks.S2_PAGING).toBeLessThan(20);
  });

  it('with the walk caches off, a cold 4+4 walk makes 24 descriptor fetches (4+3 with a 40-bit IPA: 19)', () => {
    const four = vmRun({ mode: 'stage2', workload: 'hello', vmm: { ipaBits: 44 }, set: ['walkCache.enabled=false'] }).stats;
    expect(Object.keys(four.walks.fetchesPerWalk).map(Number).sort((a, b) => a - b).at(-1)).toBe(24);
    const three = vmRun({ mode: 'stage2', workload: 'hello', set: ['walkCache.enabled=false'] }).stats;
    expect(Object.keys(three.walks.fetchesPerWalk).map(Number).sort((a, b) => a - b).at(-1)).toBe(19);
  });

  it('a full world switch costs more per exit than a thin one, both real code', () => {
    const perHvc = (sw: 'thin' | 'full') => {
      const x = vmRun({ mode: 'stage2', workload: 'exitbench', args: '--op hvc --iters 200', vmm: { switch: sw } }).stats.exits.byReason.HVC64!;
      return x.cycles / x.count;
    };
    const thin = perHvc('thin'), full = perHvc('full');
    expect(thin).toBeGreaterThan(50);
    expect(full).toBeGreaterThan(thin * 1.5);
  });

  it('prints its counters at power-off with stats=print, as it keeps them in memory', () => {
    const p = vmRun({ mode: 'stage2', workload: 'hello', printStats: true });
    const printed = Object.fromEntries(p.uart.split('\n').filter((l) => l.startsWith('vmm: stat ')).map((l) => l.split(' ').slice(2)).map(([k, n]) => [k, Number(n)]));
    expect(printed).toEqual(p.vmmStats);
    expect(guestOutput(p.uart)).toBe(nativeOutput('hello', ''));
  });
});

describe('bad input', () => {
  it('a guest that touches an IPA outside RAM and devices gets the external abort it gets natively', () => {
    const image = assemble(imageSource('guest-hole'), 'guest-hole.S', { textBase: TEXT_BASE }).elf;
    const n = vmRun({ mode: 'native', image }), v = vmRun({ mode: 'stage2', image });
    expect(n.uart).toMatch(/esr=0x96000010 .*far=0x50000000\n.*esr=0x96000050 .*far=0xc000008\ndone\n$/);
    expect(v.uart).toBe(n.uart);
  });

  /** The vmm with a command line and guest ELF of the test's making. */
  function rawVmm(vmmCmdline: (c: string) => string, elf: Uint8Array = kernelBytes) {
    const layout = vmLayout({ mode: 'stage2', kernelBytes: elf, workload: 'hello', memBytes: 256 << 20 });
    let out = '';
    const m = new Machine({ memBytes: layout.machineMemBytes, el: 2, timing: loadTiming(), output: (b) => { out += Buffer.from(b).toString('latin1'); } });
    m.load(loadVmm());
    for (const b of layout.blobs) m.bus.loadImage(b.addr, b.name === 'vmm.cmdline' ? Buffer.from(vmmCmdline(layout.vmmCmdline) + '\0') : b.bytes);
    const r = m.run(50_000_000);
    return { reason: r.reason, out };
  }

  it.each([
    ['an unknown option', (c: string) => `${c} colour=red`, /vmm: error: .*colour/],
    ['a block size the granule does not have', (c: string) => c.replace('block=4k', 'block=32m'), /vmm: error: .*32m/],
    ['a mode it does not have', (c: string) => c.replace('mode=stage2', 'mode=nested'), /vmm: error: .*nested/],
    ['no guest memory', (c: string) => c.replace('guest_mem=256M', 'guest_mem=0M'), /vmm: error: /],
  ])('%s: a clear message and power-off', (_what, edit, message) => {
    const r = rawVmm(edit);
    expect(r.reason).toBe('poweroff');
    expect(r.out).toMatch(message);
  });

  it.each([
    ['not an ELF', () => new Uint8Array(4096).fill(0x41)],
    ['truncated', () => kernelBytes.subarray(0, 100)],
    ['not AArch64', () => { const b = Uint8Array.from(kernelBytes); b[18] = 62; return b; }],
    ['a segment outside guest RAM', () => assemble('.text\n.global _start\n_start: b .\n', 'far.S', { textBase: 0x60000000n }).elf],
  ])('a guest ELF that is %s: a clear message and power-off', (_what, elf) => {
    const bytes = elf();
    const r = rawVmm((c) => c.replace(/guest_elf_size=\d+/, `guest_elf_size=${bytes.length}`), bytes);
    expect(r.reason).toBe('poweroff');
    expect(r.out).toMatch(/^vmm: error: /m);
  });

  it('a guest too big for its memory: a clear message', () => {
    const r = rawVmm((c) => c.replace('guest_mem=256M', 'guest_mem=1M'));
    expect(r.reason).toBe('poweroff');
    expect(r.out).toMatch(/^vmm: error: /m);
  });
});

