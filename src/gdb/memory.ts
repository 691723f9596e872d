// Memory as the debugger sees it, without side effects: virtual addresses are
// translated by a pure walk (src/mmu/walker.ts, no TLBs, no walk caches, no
// counters) reading descriptors straight from RAM, and bytes are read from and
// written to RAM pages directly (no cache model, no stats). Device registers
// are not touched: reading one can have effects (a UART's FIFO), so they are
// an error, as unmapped memory is.
import { PAGE_SIZE } from '../core/memory.js';
import type { Cpu } from '../core/cpu.js';
import { SLOT, F } from '../generated/sysregs.js';
import type { Machine } from '../machine/machine.js';
import { MemorySystem } from '../machine/memory-system.js';
import { walk, isFault, type WalkResult } from '../mmu/walker.js';
import type { Regimes } from '../machine/address-translate.js';
import type { Stage1Regime, Stage2Regime } from '../mmu/regime.js';

/** physical; the EL1&0 regime (the guest, through stage 2 when HCR_EL2.VM); the EL2 regime (the vmm); the current EL's. */
export const VIEWS = ['current', 'phys', 'el1', 'el2'] as const;
export type View = (typeof VIEWS)[number];

export type Translated = { pa: number; ipa?: number } | { fault: string };

/** One descriptor fetch of a traced walk. */
export interface WalkStep { stage: 1 | 2; level: number; pa: number; desc: bigint }

const hex = (v: number | bigint) => '0x' + BigInt.asUintN(64, BigInt(v)).toString(16);

export class DebugMemory {
  readonly space: MemorySystem;

  constructor(private readonly m: Machine) {
    if (!(m.cpu.space instanceof MemorySystem)) throw new Error('the debugger needs the machine\'s memory system');
    this.space = m.cpu.space;
  }

  private get cpu(): Cpu {
    return this.m.cpu;
  }

  /** The stage 1 regime, stage 2 (if on) and EL a view translates with. */
  regimeOf(view: Exclude<View, 'phys'>): { el: 1 | 2; s1: Stage1Regime; s2?: Stage2Regime; regimes: Regimes } {
    const c = this.cpu;
    const r = this.space.decode();
    const el = view === 'el2' ? 2 : view === 'el1' ? 1 : c.el === 2 ? 2 : 1;
    const vm = el < 2 && (c.sys[SLOT.HCR_EL2] & F.HCR_EL2.VM.mask) !== 0n;
    return { el, s1: el === 2 ? r.el2 : r.el10, s2: vm ? r.s2 : undefined, regimes: r };
  }

  /** A pure walk of `va` in a view (a read at EL1 or EL2: the debugger is privileged); `trace` sees every descriptor fetched. */
  walk(va: bigint, view: Exclude<View, 'phys'>, trace?: (s: WalkStep) => void, el?: 0 | 1 | 2): WalkResult {
    const r = this.regimeOf(view);
    const read = (pa: number, stage: 1 | 2, level: number) => {
      const d = this.space.descriptor(pa);
      trace?.({ stage, level, pa, desc: d });
      return d;
    };
    return walk(va, 'read', el ?? r.el, r.s1, read, r.s2);
  }

  translate(va: bigint, view: View, el?: 0 | 1 | 2): Translated {
    if (view === 'phys') return { pa: Number(va) };
    const r = this.walk(va, view, undefined, el);
    if (isFault(r)) return { fault: `${r.kind} fault, stage ${r.stage}, level ${r.level}${r.s1ptw ? ' (on a stage 1 table walk)' : ''}` };
    return { pa: Number(r.pa), ipa: Number(r.ipa) };
  }

  /** The RAM page at a PA, or undefined (a hole or a device). */
  private ramPage(pa: number) {
    if (!(pa >= 0 && pa < 2 ** 48)) return undefined;
    const t = this.m.bus.resolve(pa);
    return t && 'page' in t ? t.page : undefined;
  }

  /** Up to `len` bytes from `addr` in a view: shorter when the range runs into unmapped memory (empty: the first byte is). */
  read(addr: bigint, len: number, view: View): Uint8Array {
    const out = new Uint8Array(len);
    let done = 0;
    while (done < len) {
      const va = BigInt.asUintN(64, addr + BigInt(done));
      const t = this.translate(va, view);
      if ('fault' in t) break;
      const page = this.ramPage(t.pa);
      if (!page) break;
      const off = t.pa % PAGE_SIZE;
      const n = Math.min(len - done, PAGE_SIZE - off, PAGE_SIZE - Number(va % BigInt(PAGE_SIZE)));
      out.set(page.bytes.subarray(off, off + n), done);
      done += n;
    }
    return out.subarray(0, done);
  }

  /**
   * Writes bytes at `addr` in a view; false (and nothing written) when any of it is unmapped.
   * Code decoded from a page written drops, so the CPU decodes the new instructions.
   */
  write(addr: bigint, bytes: Uint8Array, view: View): boolean {
    const pieces: { page: NonNullable<ReturnType<DebugMemory['ramPage']>>; off: number; from: number; n: number }[] = [];
    for (let done = 0; done < bytes.length; ) {
      const va = BigInt.asUintN(64, addr + BigInt(done));
      const t = this.translate(va, view);
      if ('fault' in t) return false;
      const page = this.ramPage(t.pa);
      if (!page) return false;
      const off = t.pa % PAGE_SIZE;
      const n = Math.min(bytes.length - done, PAGE_SIZE - off, PAGE_SIZE - Number(va % BigInt(PAGE_SIZE)));
      pieces.push({ page, off, from: done, n });
      done += n;
    }
    let code = false;
    for (const p of pieces) {
      p.page.bytes.set(bytes.subarray(p.from, p.from + p.n), p.off);
      if (p.page.decoded) { p.page.decoded = null; code = true; }
    }
    if (code) this.cpu.flushHostTlb(); // the CPU must not keep running the page's old decoded blocks
    return true;
  }

  /** `monitor walk`: the walk of `va` in a view, one line per descriptor, stage by stage. */
  walkText(va: bigint, view: Exclude<View, 'phys'>): string {
    const r = this.regimeOf(view);
    const lines = [`walk of ${hex(va)} in the ${r.el === 2 ? 'EL2' : 'EL1&0'} regime${r.s2 ? ' over stage 2 (VMID ' + r.s2.vmid + ')' : ''}:`];
    if (!r.s1.enabled) lines.push('  stage 1 off (SCTLR.M = 0): VA = IPA');
    const res = this.walk(va, view, (s) => {
      const kind = (s.desc & 1n) === 0n ? 'invalid' : s.level < 3 && (s.desc & 2n) !== 0n ? 'table' : s.level === 3 ? 'page' : 'block';
      const indent = s.stage === 2 && r.s1.enabled ? '      ' : '  ';
      lines.push(`${indent}stage ${s.stage} level ${s.level}: descriptor at PA ${hex(s.pa)} = ${hex(s.desc)} (${kind})`);
    });
    if (isFault(res)) {
      lines.push(`  -> ${res.kind} fault, stage ${res.stage}, level ${res.level}${res.s1ptw ? ', on a stage 1 table walk' : ''}${res.ipa !== undefined ? `, IPA ${hex(res.ipa)}` : ''}`);
    } else {
      const p = res.perms.priv, u = res.perms.user;
      const perm = (x: { r: boolean; w: boolean; x: boolean }) => `${x.r ? 'r' : '-'}${x.w ? 'w' : '-'}${x.x ? 'x' : '-'}`;
      lines.push(`  -> IPA ${hex(res.ipa)}, PA ${hex(res.pa)}, page ${res.pageSize} bytes (stage 1 level ${res.s1Level}, stage 2 level ${res.s2Level}), priv ${perm(p)} user ${perm(u)}${res.global ? ', global' : `, ASID ${res.asid}`}`);
      lines.push(`  ${res.fetches.total} descriptor fetches (stage 1: ${res.fetches.s1.join('/')}, stage 2: ${res.fetches.s2.join('/')} by level)`);
    }
    return lines.join('\n') + '\n';
  }

  /** `monitor tlb`: what the TLB model holds for `va` in a view's regime (peeked: no counting, no LRU update). */
  tlbText(va: bigint, view: Exclude<View, 'phys'>): string {
    const r = this.regimeOf(view);
    const regime = r.el === 2 ? 'el2' : 'el10';
    const hi = Number((va >> 55n) & 1n);
    const asid = regime === 'el2' ? 0 : r.s1.halves[hi]?.asid ?? 0;
    const vmid = regime === 'el2' ? 0 : r.regimes.s2.vmid;
    const tlb = this.space.mmu.tlb;
    const lines = [`TLB entries for ${hex(va)} (${regime === 'el2' ? 'EL2' : `EL1&0, ASID ${asid}, VMID ${vmid}`}):`];
    for (const [name, level] of [['L1 I', tlb.l1i], ['L1 D', tlb.l1d], ['L2', tlb.l2]] as const) {
      const e = level.peek(va, regime, asid, vmid);
      if (!e) { lines.push(`  ${name}: none`); continue; }
      const off = (va & ((1n << 56n) - 1n)) - e.vaBase;
      lines.push(`  ${name}: VA ${hex(e.vaBase)} -> IPA ${hex(e.ipaBase)} PA ${hex(e.paBase)} (${2 ** e.shift} bytes${e.asid === undefined ? ', global' : `, ASID ${e.asid}`}, VMID ${e.vmid}); PA of the address ${hex(e.paBase + off)}`);
    }
    return lines.join('\n') + '\n';
  }
}
