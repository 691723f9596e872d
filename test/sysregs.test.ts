// The system-register spec as loaded and as generated: counts, encodings,
// and the access rules at run time (traps with their exact syndromes,
// UNDEFINED accesses, RES0/RES1 masking, reset values, hooks, operations).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeEach, describe, expect, it } from 'vitest';
import { ArchException } from '../src/core/exception.js';
import type { SysCtx } from '../src/core/sysctx.js';
import { generateSysregs } from '../src/gen/sysregs.js';
import { compileCondition, ExprError, parseExpr } from '../src/spec/expr.js';
import { listSysregs, loadSysregs, sysregFiles } from '../src/spec/sysregs.js';
import { thrown } from './helpers/thrown.js';

// Run without `npm run gen` too: write the generated module when it is missing or stale.
const GENERATED = fileURLToPath(new URL('../src/generated/sysregs.ts', import.meta.url));
const source = generateSysregs();
if (!existsSync(GENERATED) || readFileSync(GENERATED, 'utf8') !== source) {
  mkdirSync(dirname(GENERATED), { recursive: true });
  writeFileSync(GENERATED, source);
}
const G = await import('../src/generated/sysregs.js');
const { F, SLOT, getField, setField, sysAccess, sysregByKey, sysregByName, sysResetValues } = G;

/** A SysCtx over fresh reset values, recording hook and operation calls. */
class Ctx implements SysCtx {
  el = 1;
  readonly sys = sysResetValues();
  readonly hooks = new Map<string, bigint>([['SPSel', 1n]]);
  readonly ops: [string, bigint][] = [];
  readHook(h: string): bigint {
    return this.hooks.get(h) ?? 0n;
  }
  writeHook(h: string, v: bigint): void {
    this.hooks.set(h, v);
  }
  sysOp(op: string, v: bigint): void {
    this.ops.push([op, v]);
  }
  set(reg: keyof typeof SLOT, v: bigint): void {
    this.sys[SLOT[reg]] = v;
  }
  get(reg: keyof typeof SLOT): bigint {
    return this.sys[SLOT[reg]];
  }
}

const reg = (name: string) => {
  const d = sysregByName.get(name.toUpperCase());
  if (!d) throw new Error(`no ${name}`);
  return d;
};


let c: Ctx;
beforeEach(() => {
  c = new Ctx();
});

describe('the loaded spec', () => {
  const spec = loadSysregs();

  it('has every area, register and operation', () => {
    expect(spec.files.map((f) => f.file)).toEqual([
      'el1-state.yaml', 'el1-vmsa.yaml', 'el2.yaml', 'gic.yaml', 'id.yaml', 'ops-at-dc-ic.yaml', 'ops-tlbi.yaml', 'pmu.yaml', 'profiles.yaml', 'special.yaml', 'timer.yaml',
    ]);
    expect(spec.entries.filter((e) => e.kind === 'reg')).toHaveLength(148);
    expect(spec.entries.filter((e) => e.name.startsWith('TLBI '))).toHaveLength(26);
    expect(spec.entries.filter((e) => /^(AT|DC|IC) /.test(e.name))).toHaveLength(21);
  });

  it('encodes keys as op0:op1:CRn:CRm:op2', () => {
    expect(spec.byName.get('TTBR0_EL1')?.key).toBe(0xc100); // 3:0:2:0:0
    expect(spec.byName.get('HCR_EL2')?.key).toBe((3 << 14) | (4 << 11) | (1 << 7) | (1 << 3));
    expect(spec.byName.get('TLBI VMALLE1')?.key).toBe(0x4438); // 1:0:8:7:0
    expect(spec.byName.get('TLBI IPAS2E1IS')?.key).toBe((1 << 14) | (4 << 11) | (8 << 7) | (0 << 3) | 1);
    expect(spec.byName.get('DC ZVA')?.key).toBe((1 << 14) | (3 << 11) | (7 << 7) | (4 << 3) | 1);
  });

  it('accepts implementation_defined controls that say what they stand for', () => {
    const dir = mkdtempSync(join(tmpdir(), 'el2sim-sysregs-'));
    try {
      const file = join(dir, 'impdef.yaml');
      writeFileSync(
        file,
        [
          'area: model controls',
          'registers:',
          '  MODEL_EL2:',
          '    title: Model control',
          '    encoding: { op0: 3, op1: 4, CRn: 15, CRm: 15, op2: 7 }',
          '    fields:',
          '      S1PFE: { bits: 0, implementation_defined: true, why: Stands for VMX page-fault exiting. }',
          '    access: { profile: el2 }',
        ].join('\n'),
      );
      const s = loadSysregs([...sysregFiles(), file]);
      expect(s.byName.get('MODEL_EL2')?.fields[0]).toMatchObject({ name: 'S1PFE', implementationDefined: true, why: 'Stands for VMX page-fault exiting.' });
      expect(listSysregs([...sysregFiles(), file])).toMatch(/MODEL_EL2 .* Model control \[implementation defined: S1PFE\]/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('lists registers by file with counts', () => {
    const text = listSysregs();
    expect(text).toContain('148 registers and 47 operations in 11 files');
    expect(text).toMatch(/el2\.yaml — EL2 \(hypervisor\) registers \(25 registers\)/);
    expect(text).toMatch(/ {2}TTBR0_EL1 +S3_0_C2_C0_0 +- +rw\* +rw +slot +el1-vm-control +Translation Table Base Register 0 \(EL1\)/);
  });
});

describe('generated table', () => {
  it('lists the translation controls the spec marks, each a stored register', () => {
    expect([...G.TRANSLATION_CONTROLS].sort()).toEqual([
      'HCR_EL2', 'SCTLR_EL1', 'SCTLR_EL2', 'TCR_EL1', 'TCR_EL2', 'TTBR0_EL1', 'TTBR0_EL2', 'TTBR1_EL1', 'VTCR_EL2', 'VTTBR_EL2',
    ]);
    for (const name of G.TRANSLATION_CONTROLS) expect(reg(name).slot, name).toBeGreaterThanOrEqual(0);
    expect(loadSysregs().entries.filter((e) => e.translation).map((e) => e.name).sort()).toEqual([...G.TRANSLATION_CONTROLS].sort());
  });

  it('looks up by key and by upper-case name', () => {
    expect(sysregByKey.get(0xc100)?.name).toBe('TTBR0_EL1');
    expect(reg('CURRENTEL').name).toBe('CurrentEL');
    expect(reg('TLBI VAE1IS').kind).toBe('op');
  });

  it('resets to the spec values', () => {
    expect(c.get('MIDR_EL1')).toBe(0x411fd070n);
    expect(c.get('VPIDR_EL2')).toBe(0x411fd070n); // copied from MIDR_EL1
    expect(c.get('VMPIDR_EL2')).toBe(0x80000000n);
    expect(c.get('SCTLR_EL1')).toBe(0x30d00980n); // RES1 bits, with ITD and SED
    expect(c.get('SCTLR_EL2')).toBe(0x30c50830n);
    expect(c.get('HCR_EL2')).toBe(0x80000000n); // RW is RAO
    expect(c.get('ID_AA64PFR0_EL1')).toBe(0x111n);
    expect(getField(c.get('ID_AA64MMFR0_EL1'), F.ID_AA64MMFR0_EL1.PARange)).toBe(4n);
    expect(c.get('CNTFRQ_EL0')).toBe(62500000n);
  });

  it('forces RES0 bits to 0 and RES1 bits to 1 on write', () => {
    c.el = 1;
    reg('SCTLR_EL1').write(c, 0, 0n);
    expect(c.get('SCTLR_EL1')).toBe(0x30d00980n);
    reg('SCTLR_EL1').write(c, 0, (1n << 64n) - 1n);
    expect(c.get('SCTLR_EL1')).toBe(0xffffffffn & ~((1n << 6n) | (1n << 10n) | (1n << 13n) | (1n << 17n) | (1n << 21n) | (1n << 27n) | (3n << 30n) | (1n << 5n)));
    c.el = 2;
    reg('HCR_EL2').write(c, 0, 0x3_0000_0001n | (1n << 40n));
    expect(c.get('HCR_EL2')).toBe(0x3_8000_0001n); // bit 40 RES0 dropped, RW forced
    expect(reg('HCR_EL2').read(c, 0)).toBe(0x3_8000_0001n);
  });

  it('traps EL1 writes of TTBR0_EL1 on HCR_EL2.TVM with the MSR syndrome', () => {
    c.set('HCR_EL2', setField(c.get('HCR_EL2'), F.HCR_EL2.TVM, 1n));
    c.el = 1;
    // msr ttbr0_el1, x3: Op0=3<<20 | Op2=0 | Op1=0 | CRn=2<<10 | Rt=3<<5 | CRm=0 | write
    const e = thrown(() => reg('TTBR0_EL1').write(c, 3, 0x1234n));
    expect([e.ec, e.iss, e.targetEl]).toEqual([0x18, 0x300860, 2]);
    expect(c.get('TTBR0_EL1')).toBe(0n);
    expect(reg('TTBR0_EL1').read(c, 3)).toBe(0n); // TVM does not trap reads
    c.el = 2;
    reg('TTBR0_EL1').write(c, 3, 0x1234n); // nor EL2
    expect(c.get('TTBR0_EL1')).toBe(0x1234n);
  });

  it('traps EL1 reads of SCTLR_EL1 on HCR_EL2.TRVM', () => {
    c.set('HCR_EL2', setField(c.get('HCR_EL2'), F.HCR_EL2.TRVM, 1n));
    // mrs x5, sctlr_el1: 3<<20 | CRn=1<<10 | Rt=5<<5 | read
    const e = thrown(() => reg('SCTLR_EL1').read(c, 5));
    expect([e.ec, e.iss, e.targetEl]).toEqual([0x18, 0x3004a1, 2]);
    reg('SCTLR_EL1').write(c, 5, 0n);
  });

  it('traps EL1 TLBIs on HCR_EL2.TTLB and upgrades them on HCR_EL2.FB', () => {
    c.set('HCR_EL2', setField(c.get('HCR_EL2'), F.HCR_EL2.TTLB, 1n));
    // tlbi vmalle1: Op0=1<<20 | CRn=8<<10 | Rt=31<<5 | CRm=7<<1 | write
    const e = thrown(() => reg('TLBI VMALLE1').write(c, 31, 0n));
    expect([e.ec, e.iss, e.targetEl]).toEqual([0x18, 0x1023ee, 2]);
    expect(c.ops).toEqual([]);
    c.set('HCR_EL2', setField(c.get('HCR_EL2'), F.HCR_EL2.TTLB, 0n) | F.HCR_EL2.FB.mask);
    reg('TLBI VMALLE1').write(c, 31, 0n);
    reg('TLBI VAE1').write(c, 2, 0x42n);
    c.el = 2;
    reg('TLBI VAE1').write(c, 2, 0x43n);
    expect(c.ops).toEqual([['TLBI VMALLE1IS', 0n], ['TLBI VAE1IS', 0x42n], ['TLBI VAE1', 0x43n]]);
  });

  it('traps ID_AA64MMFR0_EL1 reads on HCR_EL2.TID3; writes are UNDEFINED', () => {
    c.set('HCR_EL2', c.get('HCR_EL2') | F.HCR_EL2.TID3.mask);
    // mrs x0, id_aa64mmfr0_el1: 3<<20 | CRm=7<<1 | read
    const e = thrown(() => reg('ID_AA64MMFR0_EL1').read(c, 0));
    expect([e.ec, e.iss, e.targetEl]).toEqual([0x18, 0x30000f, 2]);
    const w = thrown(() => reg('ID_AA64MMFR0_EL1').write(c, 0, 0n));
    expect([w.ec, w.targetEl]).toEqual([0x00, -1]);
    c.el = 2;
    expect(reg('ID_AA64MMFR0_EL1').read(c, 0)).toBe(0x101124n);
  });

  it('makes EL2 registers UNDEFINED at EL1 and EL0', () => {
    for (const el of [0, 1]) {
      c.el = el;
      for (const name of ['HCR_EL2', 'VTTBR_EL2', 'ESR_EL2']) {
        const e = thrown(() => reg(name).read(c, 1));
        expect([e.ec, e.iss, e.targetEl]).toEqual([0x00, 0, -1]);
      }
    }
    c.el = 2;
    expect(() => reg('SP_EL2').read(c, 1)).toThrow(ArchException); // EL3 only
  });

  it('makes encodings outside the table UNDEFINED', () => {
    const e = thrown(() => sysAccess(c, (3 << 14) | (7 << 11) | (15 << 7), 0, true, 0n));
    expect(e.ec).toBe(0x00);
    expect(sysAccess(c, 0xc100, 0, true, 0n)).toBe(0n);
    sysAccess(c, 0xc100, 0, false, 0x77n);
    expect(c.get('TTBR0_EL1')).toBe(0x77n);
  });

  it('reads MIDR_EL1 at EL1 from VPIDR_EL2', () => {
    c.set('VPIDR_EL2', 0x410fd034n);
    expect(reg('MIDR_EL1').read(c, 0)).toBe(0x410fd034n);
    c.el = 2;
    expect(reg('MIDR_EL1').read(c, 0)).toBe(0x411fd070n);
  });

  it('goes through hooks for PSTATE views and traps DAIF at EL0 per SCTLR_EL1.UMA', () => {
    c.el = 0;
    c.hooks.set('NZCV', 0x60000000n);
    expect(reg('NZCV').read(c, 0)).toBe(0x60000000n);
    reg('NZCV').write(c, 0, 0xffffffffn);
    expect(c.hooks.get('NZCV')).toBe(0xf0000000n);
    expect(thrown(() => reg('DAIF').read(c, 0)).targetEl).toBe(1);
    c.set('HCR_EL2', c.get('HCR_EL2') | F.HCR_EL2.TGE.mask);
    expect(thrown(() => reg('DAIF').read(c, 0)).targetEl).toBe(2);
    c.set('SCTLR_EL1', c.get('SCTLR_EL1') | F.SCTLR_EL1.UMA.mask);
    reg('DAIF').write(c, 0, 0x3c0n);
    expect(c.hooks.get('DAIF')).toBe(0x3c0n);
  });

  it('reads SP_EL0 only while it is not the current stack pointer', () => {
    c.hooks.set('SP_EL0', 0x8000n);
    expect(reg('SP_EL0').read(c, 0)).toBe(0x8000n);
    c.hooks.set('SPSel', 0n);
    expect(thrown(() => reg('SP_EL0').read(c, 0)).ec).toBe(0);
  });

  it('reads CurrentEL as a constant per EL', () => {
    c.el = 1;
    expect(reg('CurrentEL').read(c, 0)).toBe(4n);
    c.el = 2;
    expect(reg('CurrentEL').read(c, 0)).toBe(8n);
    expect(thrown(() => reg('CurrentEL').write(c, 0, 8n)).ec).toBe(0);
  });

  it('traps FPCR per CPACR_EL1.FPEN and CPTR_EL2.TFP with EC 0x07', () => {
    c.el = 0;
    const e = thrown(() => reg('FPCR').read(c, 0));
    expect([e.ec, e.iss, e.targetEl]).toEqual([0x07, 0x1e00000, 1]);
    c.set('CPACR_EL1', 1n << 20n); // FPEN = 0b01: EL0 traps, EL1 does not
    expect(thrown(() => reg('FPCR').read(c, 0)).targetEl).toBe(1);
    c.el = 1;
    reg('FPCR').write(c, 0, 0xffffffffn);
    expect(c.get('FPCR')).toBe(0x07c00000n); // AHP, DN, FZ, RMode; trap enables RAZ/WI
    c.set('CPTR_EL2', c.get('CPTR_EL2') | F.CPTR_EL2.TFP.mask);
    expect(thrown(() => reg('FPSR').read(c, 0)).targetEl).toBe(2);
  });

  it('selects CCSIDR_EL1 by CSSELR_EL1 and computes DCZID_EL0.DZP', () => {
    reg('CSSELR_EL1').write(c, 0, 2n);
    expect(getField(reg('CCSIDR_EL1').read(c, 0), F.CCSIDR_EL1.Associativity)).toBe(15n);
    c.el = 0;
    expect(reg('DCZID_EL0').read(c, 0)).toBe(0x14n); // SCTLR_EL1.DZE = 0
    expect(thrown(() => reg('DC ZVA').write(c, 1, 0x1000n)).targetEl).toBe(1);
    c.set('SCTLR_EL1', c.get('SCTLR_EL1') | F.SCTLR_EL1.DZE.mask);
    expect(reg('DCZID_EL0').read(c, 0)).toBe(0x4n);
    reg('DC ZVA').write(c, 1, 0x1000n);
    expect(c.ops).toEqual([['DC ZVA', 0x1000n]]);
  });
});

describe('condition language', () => {
  const env = {
    el: 1,
    load: (r: string) => `S.${r}`,
    field: (_r: string, f: string) => ({ TVM: { lsb: 26, width: 1 }, FPEN: { lsb: 20, width: 2 } })[f]!,
  };

  it('compiles fields to masks, and EL to the constant of its rule list', () => {
    expect(compileCondition(parseExpr('HCR_EL2.TVM'), env)).toBe('(S.HCR_EL2 & 0x4000000n) !== 0x0n');
    expect(compileCondition(parseExpr('!(CPACR_EL1.FPEN == 0b11) || EL == 0'), env)).toBe(
      '!((S.CPACR_EL1 & 0x300000n) === 0x300000n) || (1n === 0x0n)',
    );
    expect(compileCondition(parseExpr('CSSELR_EL1 != 2'), env)).toBe('S.CSSELR_EL1 !== 0x2n');
  });

  it('reports the column of a syntax error', () => {
    const at = (text: string): [number, string] => {
      try {
        parseExpr(text);
      } catch (e) {
        if (e instanceof ExprError) return [e.at, e.message];
      }
      return [-1, ''];
    };
    expect(at('HCR_EL2.TVM &&')).toEqual([14, "expected a register, field, EL, integer or '(', found end of condition"]);
    expect(at('HCR_EL2. == 1')).toEqual([9, "expected a field name after 'HCR_EL2.', found '=='"]);
    expect(at('A # B')).toEqual([2, "unexpected character '#'"]);
    expect(at('!A.B == 1')[0]).toBe(0);
    expect(at('(A.B')).toEqual([4, "expected ')', found end of condition"]);
  });
});
