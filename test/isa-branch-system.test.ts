// Branches, exception generation and system instructions: semantics at
// EL0–EL2 with the system register table behind MRS/MSR/SYS, and the
// disassembly/assembly of every operand kind of the two groups against text
// GNU objdump printed for the same words.
import { describe, expect, it } from 'vitest';
import { runAsm, assemble, CODE } from './helpers/run-asm.js';
import { Cpu } from '../src/core/cpu.js';
import { makeDecoder } from '../src/core/decode.js';
import { ArchException, EC } from '../src/core/exception.js';
import { UserSpace, PROT_READ, PROT_EXEC } from '../src/user/address-space.js';
import { disassemble } from '../src/asm/disasm.js';
import { encodeInstruction } from '../src/asm/encode.js';
import { SLOT, F, sysResetValues } from '../src/generated/sysregs.js';

// --- a machine at any EL, with system register storage and recording hooks ---
interface SysRun { cpu: Cpu; exception?: ArchException; log: string[]; hookRegs: Record<string, bigint> }
interface SysOpts {
  el?: number;
  regs?: Record<number, bigint>;
  sys?: Partial<Record<keyof typeof SLOT, bigint>>;
  hookRegs?: Record<string, bigint>;
  /** PSTATE.DAIF (bits D A I F = 3..0). */
  daif?: number;
  base?: number;
  words?: number[];
}

function runSys(lines: string[], o: SysOpts = {}): SysRun {
  const base = o.base ?? CODE;
  const words = o.words ?? assemble(lines, base);
  const space = new UserSpace();
  space.mapZero(base, 4 * words.length + 4, PROT_READ | PROT_EXEC);
  const bytes = new Uint8Array(4 * words.length);
  words.forEach((w, i) => new DataView(bytes.buffer).setUint32(i * 4, w, true));
  space.poke(base, bytes);
  const cpu = new Cpu(space, makeDecoder({}));
  cpu.el = o.el ?? 0;
  cpu.daif = o.daif ?? 0;
  cpu.sys = sysResetValues();
  for (const [k, v] of Object.entries(o.sys ?? {})) cpu.sys[SLOT[k as keyof typeof SLOT]] = v!;
  for (const [k, v] of Object.entries(o.regs ?? {})) cpu.r[Number(k)] = v;
  const log: string[] = [];
  const hookRegs: Record<string, bigint> = { DAIF: 0n, SPSel: 0n, ...o.hookRegs };
  cpu.hooks = {
    read: (h) => hookRegs[h] ?? 0n,
    write: (h, v) => { log.push(`${h}=0x${v.toString(16)}`); hookRegs[h] = v; },
    op: (op, v) => log.push(`${op} 0x${v.toString(16)}`),
  };
  cpu.pc = base;
  let exception: ArchException | undefined;
  const end = base + 4 * words.length;
  while (cpu.pc !== end && cpu.instructions < 1000 && !exception) {
    cpu.run(cpu.instructions + 1, (e) => { exception = e; cpu.stopped = true; });
  }
  return { cpu, exception, log, hookRegs };
}

const bit = (f: { mask: bigint }): bigint => f.mask;
const num = (e: string): bigint | undefined => (/^(0x[0-9a-f]+|\d+)$/i.test(e) ? BigInt(e) : undefined);
const SCTLR = F.SCTLR_EL1, HCR = F.HCR_EL2;

describe('B, BL, BR, BLR, RET', () => {
  it('B skips forward and BL links X30 = PC + 4', () => {
    const { cpu } = runAsm(['b 0x10008', 'add x0, x0, #1', 'bl 0x10010', 'add x1, x1, #1', 'add x2, x2, #1']);
    expect(cpu.r[0]).toBe(0n); // skipped
    expect(cpu.r[1]).toBe(0n); // skipped by bl
    expect(cpu.r[2]).toBe(1n);
    expect(cpu.r[30]).toBe(0x1000cn);
  });

  it('B backwards loops (with CBNZ counting down)', () => {
    const { cpu } = runAsm(['add x1, x1, #2', 'sub x0, x0, #1', 'cbnz x0, 0x10000'], { 0: 5n });
    expect(cpu.r[1]).toBe(10n);
    expect(cpu.r[0]).toBe(0n);
  });

  it('BR, BLR and RET branch to a register; RET defaults to X30', () => {
    let r = runAsm(['br x3', 'add x0, x0, #1', 'add x1, x1, #1'], { 3: 0x10008n });
    expect([r.cpu.r[0], r.cpu.r[1]]).toEqual([0n, 1n]);
    r = runAsm(['blr x3', 'add x0, x0, #1', 'add x1, x1, #1'], { 3: 0x10008n });
    expect([r.cpu.r[0], r.cpu.r[1], r.cpu.r[30]]).toEqual([0n, 1n, 0x10004n]);
    r = runAsm(['ret', 'add x0, x0, #1', 'add x1, x1, #1'], { 30: 0x10008n });
    expect([r.cpu.r[0], r.cpu.r[1]]).toEqual([0n, 1n]);
    r = runAsm(['ret x7', 'add x0, x0, #1', 'add x1, x1, #1'], { 7: 0x10008n, 30: 0x10004n });
    expect([r.cpu.r[0], r.cpu.r[1]]).toEqual([0n, 1n]);
  });

  it('BLR X30 reads the target before writing the link', () => {
    const { cpu } = runAsm(['blr x30', 'add x0, x0, #1', 'add x1, x1, #1'], { 30: 0x10008n });
    expect([cpu.r[0], cpu.r[1], cpu.r[30]]).toEqual([0n, 1n, 0x10004n]);
  });

  it('BR to a misaligned address faults when it is fetched (PC alignment)', () => {
    const { exception, cpu } = runAsm(['br x3', 'nop'], { 3: 0x10006n });
    expect(exception?.ec).toBe(EC.PC_ALIGN);
    expect(cpu.pc).toBe(0x10006);
  });

  it('BL links the full 64-bit address above 4 GiB and below 0', () => {
    const base = 0x7fff_fff0_0000;
    const { cpu } = runSys(['bl 0x7ffffff00008', 'nop', 'nop'], { base });
    expect(cpu.r[30]).toBe(BigInt(base + 4));
    // A high (negative) PC: run one decoded BL directly.
    const c = new Cpu(new UserSpace(), makeDecoder({}));
    const exec = makeDecoder({})(0x94000010).exec;
    c.pc = -0x1000; c.npc = c.pc + 4;
    exec(c);
    expect(c.r[30]).toBe(0xffff_ffff_ffff_f004n);
    expect(c.npc).toBe(-0x1000 + 0x40);
    // BR to a kernel address: the signed-64 value as the next PC.
    c.r[3] = 0xffff_0000_0000_1000n;
    makeDecoder({})(0xd61f0060).exec(c);
    expect(c.npc).toBe(-(2 ** 48) + 0x1000);
  });
});

describe('B.cond, CBZ/CBNZ, TBZ/TBNZ', () => {
  // Taken or not for every condition, for each NZCV combination, against the Arm ARM's ConditionHolds.
  const holds = (cc: number, n: number, z: number, c: number, v: number): boolean => {
    let r: boolean;
    switch (cc >> 1) {
      case 0: r = z === 1; break;
      case 1: r = c === 1; break;
      case 2: r = n === 1; break;
      case 3: r = v === 1; break;
      case 4: r = c === 1 && z === 0; break;
      case 5: r = n === v; break;
      case 6: r = n === v && z === 0; break;
      default: r = true;
    }
    return (cc & 1) && cc !== 15 ? !r : r;
  };
  const CONDS = ['eq', 'ne', 'cs', 'cc', 'mi', 'pl', 'vs', 'vc', 'hi', 'ls', 'ge', 'lt', 'gt', 'le', 'al', 'nv'];
  it('b.<cond> for all 16 conditions and 16 flag values', () => {
    for (let cc = 0; cc < 16; cc++) {
      for (let f = 0; f < 16; f++) {
        const r = runSys([`msr nzcv, x5`, `b.${CONDS[cc]} 0x1000c`, 'add x0, x0, #1', 'nop'], { regs: { 5: BigInt(f) << 28n } });
        expect(r.cpu.r[0], `b.${CONDS[cc]} with NZCV=${f.toString(2)}`).toBe(holds(cc, f >> 3, (f >> 2) & 1, (f >> 1) & 1, f & 1) ? 0n : 1n);
      }
    }
  });

  it('CBZ/CBNZ test 32 bits for W and 64 for X', () => {
    const t = (insn: string, v: bigint) => runAsm([insn, 'add x0, x0, #1', 'nop'], { 3: v }).cpu.r[0] === 0n;
    expect(t('cbz w3, 0x10008', 0xffff_ffff_0000_0000n)).toBe(true);
    expect(t('cbz x3, 0x10008', 0xffff_ffff_0000_0000n)).toBe(false);
    expect(t('cbnz w3, 0x10008', 0xffff_ffff_0000_0000n)).toBe(false);
    expect(t('cbnz x3, 0x10008', 0x8000_0000_0000_0000n)).toBe(true);
    expect(t('cbz x3, 0x10008', 0n)).toBe(true);
    expect(t('cbz xzr, 0x10008', 0n)).toBe(true);
    expect(t('cbnz wzr, 0x10008', 0n)).toBe(false);
  });

  it('TBZ/TBNZ test bits 0, 31, 32 and 63', () => {
    const t = (insn: string, v: bigint) => runAsm([insn, 'add x0, x0, #1', 'nop'], { 3: v }).cpu.r[0] === 0n;
    expect(t('tbz w3, #0, 0x10008', 0xfffffffffffffffen)).toBe(true);
    expect(t('tbnz w3, #0, 0x10008', 1n)).toBe(true);
    expect(t('tbnz w3, #31, 0x10008', 0x8000_0000n)).toBe(true);
    expect(t('tbz w3, #31, 0x10008', 0x7fff_ffffn)).toBe(true);
    expect(t('tbnz x3, #32, 0x10008', 0x1_0000_0000n)).toBe(true);
    expect(t('tbz x3, #32, 0x10008', 0xffff_ffffn)).toBe(true);
    expect(t('tbnz x3, #63, 0x10008', 0x8000_0000_0000_0000n)).toBe(true);
    expect(t('tbz x3, #63, 0x10008', 0x8000_0000_0000_0000n)).toBe(false);
    expect(t('tbnz xzr, #63, 0x10008', 0n)).toBe(false);
  });

  it('conditional branches reach back 1 MiB (B.cond) and 32 KiB (TBZ)', () => {
    expect(assemble(['b.ne 0x100000'], 0x200000)).toEqual([0x54800001]);
    expect(() => assemble(['b.ne 0xffffc'], 0x200000)).toThrow();
    expect(assemble(['tbz w0, #0, 0x8000'], 0x10000)).toEqual([0x36040000]);
  });
});

describe('exception generation', () => {
  it('SVC: EC 0x15 with imm16; c.pc is the SVC and c.npc (the preferred return) the next instruction', () => {
    const { exception, cpu } = runAsm(['nop', 'svc #0x1234', 'nop']);
    expect([exception?.ec, exception?.iss, exception?.targetEl]).toEqual([EC.SVC64, 0x1234, -1]);
    expect(cpu.pc).toBe(0x10004);
    expect(cpu.npc).toBe(0x10008);
  });

  it('HVC: UNDEFINED at EL0 and when HCR_EL2.HCD is set, else EC 0x16 to EL2', () => {
    expect(runSys(['hvc #7']).exception?.ec).toBe(EC.UNKNOWN);
    let r = runSys(['hvc #7'], { el: 1 });
    expect([r.exception?.ec, r.exception?.iss, r.exception?.targetEl, r.cpu.npc]).toEqual([EC.HVC64, 7, 2, CODE + 4]);
    r = runSys(['hvc #0xffff'], { el: 2 });
    expect([r.exception?.ec, r.exception?.iss, r.exception?.targetEl]).toEqual([EC.HVC64, 0xffff, 2]);
    expect(runSys(['hvc #7'], { el: 1, sys: { HCR_EL2: bit(HCR.HCD) } }).exception?.ec).toBe(EC.UNKNOWN);
  });

  it('SMC is UNDEFINED at EL0 and goes to the firmware model (EC 0x17 with imm16) above it', () => {
    expect(runSys(['smc #1'], { el: 0 }).exception?.ec).toBe(EC.UNKNOWN);
    for (const el of [1, 2]) expect([runSys(['smc #1'], { el }).exception?.ec, runSys(['smc #1'], { el }).exception?.iss]).toEqual([EC.SMC64, 1]);
  });

  it('BRK: EC 0x3C with imm16, returning to the BRK itself', () => {
    const { exception, cpu } = runAsm(['brk #0x3e8']);
    expect([exception?.ec, exception?.iss]).toEqual([EC.BRK64, 0x3e8]);
    expect(cpu.pc).toBe(0x10000);
  });

  it('HLT, DCPSn, DRPS, TCANCEL and the unimplemented branches are UNDEFINED', () => {
    for (const w of [0xd4400020, 0xd4a00001, 0xd4a00003, 0xd6bf03e0, 0xd4600000, 0x54000010, 0xd65f0bff, 0xd71f0800, 0xd61f081f]) {
      expect(runSys([], { words: [w], el: 1 }).exception?.ec, w.toString(16)).toBe(EC.UNKNOWN);
    }
  });

  it('ERET is UNDEFINED at EL0 and asks the exception model at EL1/EL2', () => {
    expect(runSys(['eret']).exception?.ec).toBe(EC.UNKNOWN);
    for (const el of [1, 2]) expect(runSys(['eret', 'nop'], { el }).log).toEqual(['ERET 0x0']);
  });
});

describe('hints and barriers', () => {
  it('NOP and unimplemented hints do nothing; YIELD, SEV, SEVL are system operations', () => {
    const r = runSys(['nop', 'hint #0x6', 'paciasp', 'bti c', 'esb', 'csdb', 'hint #0x7f', 'yield', 'sev', 'sevl'], { el: 1 });
    expect(r.exception).toBeUndefined();
    expect(r.log).toEqual(['YIELD 0x0', 'SEV 0x0', 'SEVL 0x0']);
  });

  it('WFI/WFE wait through the machine at EL1/EL2 and at EL0 when SCTLR_EL1.nTWI/nTWE allow', () => {
    expect(runSys(['wfi', 'wfe'], { el: 1 }).log).toEqual(['WFI 0x0', 'WFE 0x0']);
    expect(runSys(['wfi', 'wfe'], { el: 2, sys: { HCR_EL2: bit(HCR.TWI) | bit(HCR.TWE) } }).log).toEqual(['WFI 0x0', 'WFE 0x0']);
    expect(runSys(['wfi', 'wfe'], { el: 0, sys: { SCTLR_EL1: bit(SCTLR.nTWI) | bit(SCTLR.nTWE) } }).log).toEqual(['WFI 0x0', 'WFE 0x0']);
  });

  it('WFI/WFE traps: EC 0x01, ISS CV=1 COND=0xE TI; to EL1 by SCTLR_EL1, to EL2 by HCR_EL2 or TGE', () => {
    let r = runSys(['wfi'], { el: 0, sys: { SCTLR_EL1: bit(SCTLR.nTWE) } });
    expect([r.exception?.ec, r.exception?.iss, r.exception?.targetEl, r.log]).toEqual([EC.WFX, 0x1e00000, 1, []]);
    r = runSys(['wfe'], { el: 0, sys: { SCTLR_EL1: bit(SCTLR.nTWI) } });
    expect([r.exception?.ec, r.exception?.iss, r.exception?.targetEl]).toEqual([EC.WFX, 0x1e00001, 1]);
    r = runSys(['wfe'], { el: 0, sys: { SCTLR_EL1: 0n, HCR_EL2: bit(HCR.TGE) } });
    expect(r.exception?.targetEl).toBe(2);
    r = runSys(['wfi'], { el: 1, sys: { HCR_EL2: bit(HCR.TWI) } });
    expect([r.exception?.ec, r.exception?.iss, r.exception?.targetEl]).toEqual([EC.WFX, 0x1e00000, 2]);
    r = runSys(['wfe'], { el: 0, sys: { SCTLR_EL1: bit(SCTLR.nTWE), HCR_EL2: bit(HCR.TWE) } });
    expect([r.exception?.iss, r.exception?.targetEl]).toEqual([0x1e00001, 2]);
    expect(runSys(['wfi'], { el: 1, sys: { HCR_EL2: bit(HCR.TWE) } }).exception).toBeUndefined();
  });

  it('barriers complete at once; CLREX clears the exclusive monitor; SB and DSB nXS are UNDEFINED', () => {
    const r = runSys(['dsb sy', 'dsb ishst', 'dsb #0x8', 'ssbb', 'pssbb', 'dmb ish', 'dmb #0', 'isb', 'isb #3', 'clrex'], { el: 0 });
    expect(r.exception).toBeUndefined();
    const c = runSys(['clrex #5']);
    expect(c.cpu.exclusive).toBeNaN();
    for (const w of [0xd50330ff, 0xd503323f, 0xd503307f, 0xd503101f]) expect(runSys([], { words: [w], el: 1 }).exception?.ec, w.toString(16)).toBe(EC.UNKNOWN);
  });
});

describe('MSR (immediate)', () => {
  it('DAIFSet/DAIFClr read-modify-write DAIF (D A I F = bits 9..6)', () => {
    let r = runSys(['msr daifset, #0xf'], { el: 1 });
    expect(r.cpu.readHook('DAIF')).toBe(0x3c0n);
    r = runSys(['msr daifclr, #0x2'], { el: 1, daif: 0xf });
    expect(r.cpu.readHook('DAIF')).toBe(0x340n);
    r = runSys(['msr daifset, #0x5', 'msr daifclr, #0x4'], { el: 2 });
    expect(r.cpu.readHook('DAIF')).toBe(0x40n);
  });

  it('DAIFSet/DAIFClr at EL0 trap unless SCTLR_EL1.UMA: EC 0x18 with the MSR (immediate) ISS, to EL2 when TGE', () => {
    let r = runSys(['msr daifset, #0x3'], { el: 0, sys: { SCTLR_EL1: 0n } });
    const iss = (6 << 17) | (3 << 14) | (4 << 10) | (31 << 5) | (3 << 1);
    expect([r.exception?.ec, r.exception?.iss, r.exception?.targetEl, r.log]).toEqual([EC.SYS64, iss, 1, []]);
    r = runSys(['msr daifclr, #0x3'], { el: 0, sys: { SCTLR_EL1: 0n, HCR_EL2: bit(HCR.TGE) } });
    expect([r.exception?.iss, r.exception?.targetEl]).toEqual([iss | (1 << 17), 2]);
    r = runSys(['msr daifset, #0x3'], { el: 0, sys: { SCTLR_EL1: bit(SCTLR.UMA) } });
    expect([r.exception, r.cpu.readHook('DAIF')]).toEqual([undefined, 0xc0n]);
  });

  it('SPSel: UNDEFINED at EL0, else PSTATE.SP = bit 0 of the immediate', () => {
    expect(runSys(['msr spsel, #1']).exception?.ec).toBe(EC.UNKNOWN);
    expect(runSys(['msr spsel, #1'], { el: 1 }).cpu.spsel).toBe(1);
    expect(runSys(['msr spsel, #1', 'msr spsel, #0'], { el: 1 }).cpu.spsel).toBe(0);
    // objdump writes CRm = 3 as msr s0_0_c4_c3_5, xzr; it is still MSR SPSel, #3.
    expect(runSys(['msr s0_0_c4_c3_5, xzr'], { el: 2 }).cpu.spsel).toBe(1);
  });

  it('PSTATE fields of later extensions, CFINV and SMSTART are UNDEFINED', () => {
    for (const t of ['msr pan, #1', 'msr uao, #0', 'msr dit, #1', 'msr ssbs, #1', 'msr tco, #1', 'cfinv', 'smstart', 'msr s0_1_c4_c5_5, xzr']) {
      expect(runSys([t], { el: 1 }).exception?.ec, t).toBe(EC.UNKNOWN);
    }
  });
});

describe('MRS, MSR (register), SYS, SYSL', () => {
  it('NZCV moves to and from the flags at EL0', () => {
    const r = runSys(['msr nzcv, x1', 'mrs x2, nzcv'], { regs: { 1: 0xffff_ffff_ffff_ffffn } });
    expect([r.cpu.n, r.cpu.z, r.cpu.c, r.cpu.v]).toEqual([1, 1, 1, 1]);
    expect(r.cpu.r[2]).toBe(0xf000_0000n);
  });

  it('CurrentEL reads EL << 2 at EL1 and EL2 and is UNDEFINED at EL0', () => {
    expect(runSys(['mrs x0, currentel'], { el: 1 }).cpu.r[0]).toBe(4n);
    expect(runSys(['mrs x0, currentel'], { el: 2 }).cpu.r[0]).toBe(8n);
    expect(runSys(['mrs x0, currentel']).exception?.ec).toBe(EC.UNKNOWN);
  });

  it('stored registers round-trip; MRS to XZR discards', () => {
    const r = runSys(['msr tpidr_el0, x1', 'mrs x2, tpidr_el0', 'mrs xzr, tpidr_el0'], { regs: { 1: 0x1234_5678_9abc_def0n } });
    expect(r.cpu.r[2]).toBe(0x1234_5678_9abc_def0n);
    expect(r.cpu.r[31]).toBe(0n);
    const t = runSys(['msr tpidr_el1, x1', 'mrs x3, tpidr_el1'], { el: 1, regs: { 1: 7n } });
    expect(t.cpu.r[3]).toBe(7n);
  });

  it('EL2 registers are UNDEFINED at EL1; EL1 registers at EL0', () => {
    expect(runSys(['mrs x0, hcr_el2'], { el: 1 }).exception?.ec).toBe(EC.UNKNOWN);
    expect(runSys(['msr sctlr_el1, x0'], { el: 0 }).exception?.ec).toBe(EC.UNKNOWN);
  });

  it('encodings the table lacks, and op0 = 0, are UNDEFINED', () => {
    for (const t of ['mrs x0, s3_0_c15_c2_0', 'msr s3_7_c15_c15_7, x1', 'mrs x1, dbgbvr15_el1', 'mrs x0, s0_0_c0_c0_0', 'msr s0_3_c3_c1_7, xzr', 'msr s0_0_c0_c0_0, x3']) {
      expect(runSys([t], { el: 2 }).exception?.ec, t).toBe(EC.UNKNOWN);
    }
  });

  it('SYS aliases perform the table\'s operation with Xt', () => {
    let r = runSys(['tlbi vae1, x3', 'tlbi vmalle1is', 'ic iallu', 'dc civac, x4'], { el: 1, regs: { 3: 0x55n, 4: 0x20040n } });
    expect(r.log).toEqual(['TLBI VAE1 0x55', 'TLBI VMALLE1IS 0x0', 'IC IALLU 0x0', 'DC CIVAC 0x20040']);
    // HCR_EL2.FB upgrades a local EL1 TLBI to Inner Shareable (the table's rule).
    r = runSys(['tlbi vmalle1'], { el: 1, sys: { HCR_EL2: bit(HCR.FB) } });
    expect(r.log).toEqual(['TLBI VMALLE1IS 0x0']);
  });

  it('DC ZVA at EL0 traps to EL1 unless SCTLR_EL1.DZE (EC 0x18, ISS with Rt)', () => {
    const r = runSys(['dc zva, x5'], { el: 0, sys: { SCTLR_EL1: 0n } });
    const iss = (1 << 20) | (1 << 17) | (3 << 14) | (7 << 10) | (5 << 5) | (4 << 1);
    expect([r.exception?.ec, r.exception?.iss, r.exception?.targetEl]).toEqual([EC.SYS64, iss, 1]);
  });

  it('unknown SYS operations, objdump-only ones and every SYSL are UNDEFINED', () => {
    for (const t of ['sys #0, C0, C0, #0', 'tlbi rvae1, x1', 'cfp rctx, x2', 'sysl x7, #0, C5, C0, #0', 'sysl x0, #0, C7, C5, #0']) {
      expect(runSys([t], { el: 2 }).exception?.ec, t).toBe(EC.UNKNOWN);
    }
  });
});

// Words and text from GNU as/objdump 2.40 (objdump -d; targets without <symbol>).
const GNU: [number, number, string][] = [
  [0xd65f03c0, 0x0, 'ret'],
  [0xd65f00a0, 0x4, 'ret x5'],
  [0xd61f0220, 0x8, 'br x17'],
  [0xd63f03e0, 0xc, 'blr xzr'],
  [0xd69f03e0, 0x10, 'eret'],
  [0x36280043, 0x14, 'tbz w3, #5, 1c'],
  [0xb62fffe3, 0x18, 'tbz x3, #37, 14'],
  [0xb7f8009f, 0x1c, 'tbnz xzr, #63, 2c'],
  [0x3400009f, 0x20, 'cbz wzr, 30'],
  [0xb5ffff89, 0x24, 'cbnz x9, 14'],
  [0x54000042, 0x28, 'b.cs 30'],
  [0xd4024681, 0x2c, 'svc #0x1234'],
  [0xd4000002, 0x30, 'hvc #0x0'],
  [0xd41fffe3, 0x34, 'smc #0xffff'],
  [0xd4207d00, 0x38, 'brk #0x3e8'],
  [0xd4400020, 0x3c, 'hlt #0x1'],
  [0xd4a00002, 0x40, 'dcps2'],
  [0xd503201f, 0x44, 'nop'],
  [0xd503203f, 0x48, 'yield'],
  [0xd503205f, 0x4c, 'wfe'],
  [0xd503207f, 0x50, 'wfi'],
  [0xd503209f, 0x54, 'sev'],
  [0xd50320bf, 0x58, 'sevl'],
  [0xd50320df, 0x5c, 'hint #0x6'],
  [0xd503233f, 0x60, 'paciasp'],
  [0xd50324df, 0x64, 'bti jc'],
  [0xd503223f, 0x68, 'psb csync'],
  [0xd5032fff, 0x6c, 'hint #0x7f'],
  [0xd5033f5f, 0x70, 'clrex'],
  [0xd503335f, 0x74, 'clrex #0x3'],
  [0xd5033f9f, 0x78, 'dsb sy'],
  [0xd5033a9f, 0x7c, 'dsb ishst'],
  [0xd503389f, 0x80, 'dsb #0x08'],
  [0xd503309f, 0x84, 'ssbb'],
  [0xd503349f, 0x88, 'pssbb'],
  [0xd50339bf, 0x8c, 'dmb ishld'],
  [0xd50330bf, 0x90, 'dmb #0x00'],
  [0xd5033fdf, 0x94, 'isb'],
  [0xd50335df, 0x98, 'isb #0x5'],
  [0xd5034fdf, 0x9c, 'msr daifset, #0xf'],
  [0xd50342ff, 0xa0, 'msr daifclr, #0x2'],
  [0xd50041bf, 0xa4, 'msr spsel, #0x1'],
  [0xd500419f, 0xa8, 'msr pan, #0x1'],
  [0xd50042bf, 0xac, 'msr s0_0_c4_c2_5, xzr'],
  [0xd53b4200, 0xb0, 'mrs x0, nzcv'],
  [0xd51b4201, 0xb4, 'msr nzcv, x1'],
  [0xd5384243, 0xb8, 'mrs x3, currentel'],
  [0xd53b4224, 0xbc, 'mrs x4, daif'],
  [0xd5181002, 0xc0, 'msr sctlr_el1, x2'],
  [0xd53c1105, 0xc4, 'mrs x5, hcr_el2'],
  [0xd5380006, 0xc8, 'mrs x6, midr_el1'],
  [0xd538f207, 0xcc, 'mrs x7, s3_0_c15_c2_0'],
  [0xd51fffe8, 0xd0, 'msr s3_7_c15_c15_7, x8'],
  [0xd5300f81, 0xd4, 'mrs x1, dbgbvr15_el1'],
  [0xd5330502, 0xd8, 'mrs x2, dbgdtrrx_el0'],
  [0xd5130502, 0xdc, 'msr dbgdtrtx_el0, x2'],
  [0xd5200000, 0xe0, 'mrs x0, s0_0_c0_c0_0'],
  [0xd508831f, 0xe4, 'tlbi vmalle1is'],
  [0xd5088723, 0xe8, 'tlbi vae1, x3'],
  [0xd508811f, 0xec, 'tlbi vmalle1os'],
  [0xd5088624, 0xf0, 'tlbi rvae1, x4'],
  [0xd5087800, 0xf4, 'at s1e1r, x0'],
  [0xd50b7421, 0xf8, 'dc zva, x1'],
  [0xd50b7e3f, 0xfc, 'dc civac, xzr'],
  [0xd508751f, 0x100, 'ic iallu'],
  [0xd50b7522, 0x104, 'ic ivau, x2'],
  [0xd50b7383, 0x108, 'cfp rctx, x3'],
  [0xd5092385, 0x10c, 'sys #1, C2, C3, #4, x5'],
  [0xd50fffff, 0x110, 'sys #7, C15, C15, #7'],
  [0xd5285007, 0x114, 'sysl x7, #0, C5, C0, #0'],
];

describe('disassembly and assembly match GNU binutils', () => {
  for (const [w, pc, text] of GNU) {
    it(text, () => {
      expect(disassemble(w, BigInt(pc)).replace('\t', ' ')).toBe(text);
      const sp = text.indexOf(' ');
      const ops = sp < 0 ? '' : text.slice(sp + 1).replace(/(^|, )([0-9a-f]+)$/, '$10x$2');
      expect(encodeInstruction(sp < 0 ? text : text.slice(0, sp), ops, { pc: BigInt(pc), evaluate: num }) >>> 0).toBe(w);
    });
  }

  it('accepts what GNU as accepts besides objdump\'s text', () => {
    const enc = (t: string, pc = 0n) => {
      const sp = t.indexOf(' ');
      return encodeInstruction(sp < 0 ? t : t.slice(0, sp), sp < 0 ? '' : t.slice(sp + 1), { pc, evaluate: num }) >>> 0;
    };
    expect(enc('ret x30')).toBe(0xd65f03c0);
    expect(enc('tbz x3, #5, 0x40', 0x4n)).toBe(0x362801e3); // X with a bit below 32: b5 = 0
    expect(() => enc('tbz w3, #35, 0x40')).toThrow();
    expect(enc('b.hs 0x8')).toBe(0x54000042);
    expect(enc('b.lo 0x8')).toBe(0x54000043);
    expect(enc('isb sy')).toBe(0xd5033fdf);
    expect(enc('hint #3')).toBe(0xd503207f);
    expect(enc('hint 0x22')).toBe(0xd503245f);
    expect(enc('dsb #12')).toBe(0xd5033c9f);
    expect(enc('msr DAIFSet, #3')).toBe(0xd50343df);
    expect(enc('mrs x0, S3_3_C4_C2_0')).toBe(0xd53b4200);
    expect(enc('mrs x0, CurrentEL')).toBe(0xd5384240);
    expect(enc('sys #0, c8, c7, #1, x3')).toBe(0xd5088723);
    expect(enc('sys #1, C2, C3, #4, xzr')).toBe(0xd509239f);
    expect(() => enc('msr spsel, #2')).toThrow();
    expect(() => enc('tlbi vmalle1, x3')).toThrow();
    expect(() => enc('tlbi vae1')).toThrow();
  });
});
