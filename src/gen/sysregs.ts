// Generates src/generated/sysregs.ts from spec/sysregs: the table of system
// registers and operations, each with read/write functions that apply its
// access rules (compiled to straight-line code per EL), the storage layout,
// reset values and field constants.
import { sysTrapIss } from '../spec/encoding.js';
import { compileCondition, type CompileEnv } from '../spec/expr.js';
import { loadSysregs, SYSREGS_DIR, type SysEntry, type SysRule } from '../spec/sysregs.js';

const hex = (v: bigint | number): string => `0x${v.toString(16)}`;
const big = (v: bigint): string => `${hex(v)}n`;
const ALL = (1n << 64n) - 1n;
const ident = (e: SysEntry): string => `${e.kind === 'reg' ? 'R' : 'O'}_${e.name.replace(/ /g, '_')}`;

/** ISS of an EC 0x18 trap without Rt (generated code ORs Rt in). */
const sysIssBase = (e: Pick<SysEntry, 'op0' | 'op1' | 'crn' | 'crm' | 'op2'>, isRead: boolean): number => sysTrapIss(e.op0, e.op1, e.crn, e.crm, e.op2, 0, isRead);

/** ISS by exception class: EC 0x07 from AArch64 has CV = 1, COND = 0b1110. */
function trapIss(ec: number, e: SysEntry, isRead: boolean): string {
  if (ec === 0x18) return `${hex(sysIssBase(e, isRead))} | (rt << 5)`;
  if (ec === 0x07) return hex((1 << 24) | (0xe << 20));
  return '0';
}

export function generateSysregs(from: string | string[] = SYSREGS_DIR): string {
  const spec = loadSysregs(from);
  const slot = new Map<string, number>();
  for (const e of spec.entries) if (e.stored) slot.set(e.name, slot.size);
  const byName = spec.byName;

  const load = (reg: string): string => {
    const r = byName.get(reg)!;
    return r.hook ? `c.readHook('${reg}')` : `c.sys[${slot.get(reg)}]`;
  };
  const store = (reg: string): string[] => {
    const r = byName.get(reg)!;
    const keep = ALL & ~(r.res0 | r.res1);
    let v = keep === ALL ? 'v' : `(v & ${big(keep)})`;
    if (r.res1) v = `${v} | ${big(r.res1)}`;
    return [r.hook ? `c.writeHook('${reg}', ${v});` : `c.sys[${slot.get(reg)}] = ${v};`, 'return;'];
  };

  /** The statements a rule performs, or undefined when it does not apply in this direction. */
  function action(e: SysEntry, r: SysRule, isRead: boolean): string[] | undefined {
    if (r.on && (r.on === 'read') !== isRead) return undefined;
    const a = r.action;
    switch (a.kind) {
      case 'undefined':
        return ['throw undefinedInstruction();'];
      case 'trap':
        return [`throw new ArchException(${hex(a.ec)}, ${trapIss(a.ec, e, isRead)}, ${a.to});`];
      case 'access':
        if (isRead) return a.read ? [`return ${load(a.read)};`] : undefined;
        return a.write ? store(a.write) : undefined;
      case 'value':
        return isRead ? [`return ${big(a.value)};`] : undefined;
      case 'op':
        return isRead ? undefined : [`c.sysOp('${a.op}', v);`, 'return;'];
    }
  }

  /** Straight-line code for one EL and direction: first matching rule wins, none is UNDEFINED. */
  function body(e: SysEntry, el: number, isRead: boolean): string[] {
    const env: CompileEnv = { el, load, field: (reg, f) => byName.get(reg)!.fields.find((x) => x.name === f)! };
    // A direction no rule at this EL performs has no accessor: UNDEFINED, and no trap applies.
    if (!e.access[el].some((r) => r.action.kind !== 'trap' && r.action.kind !== 'undefined' && action(e, r, isRead))) {
      return ['throw undefinedInstruction();'];
    }
    const out: string[] = [];
    for (const r of e.access[el]) {
      const stmts = action(e, r, isRead);
      if (!stmts) continue;
      if (!r.cond) return [...out, stmts.join(' ')];
      out.push(`if (${compileCondition(r.cond, env)}) ${stmts.length > 1 ? `{ ${stmts.join(' ')} }` : stmts[0]}`);
    }
    return [...out, 'throw undefinedInstruction();'];
  }

  function method(e: SysEntry, isRead: boolean): string {
    const sig = isRead ? 'read(c, rt)' : 'write(c, rt, v)';
    const bodies = [0, 1, 2].map((el) => body(e, el, isRead));
    if (bodies.every((b) => b.length === 1 && b[0] === 'throw undefinedInstruction();')) {
      return `  ${isRead ? 'read' : 'write'}() { throw undefinedInstruction(); },`;
    }
    // ELs with identical code share a case.
    const cases: string[] = [];
    for (let el = 0; el < 3; el++) {
      const code = bodies[el].join('\n');
      if (code === 'throw undefinedInstruction();' || bodies.findIndex((b) => b.join('\n') === code) !== el) continue;
      const labels = [0, 1, 2].filter((x) => bodies[x].join('\n') === code).map((x) => `case ${x}:`).join(' ');
      cases.push(`      ${labels}\n${bodies[el].map((s) => `        ${s}`).join('\n')}`);
    }
    return `  ${sig} {\n    switch (c.el) {\n${cases.join('\n')}\n    }\n    throw undefinedInstruction();\n  },`;
  }

  function def(e: SysEntry): string {
    const fields = e.fields.map((f) => `{ name: '${f.name}', lsb: ${f.lsb}, width: ${f.width} }`).join(', ');
    return [
      `const ${ident(e)}: SysRegDef = {`,
      `  name: '${e.name}', key: ${hex(e.key)}, op0: ${e.op0}, op1: ${e.op1}, crn: ${e.crn}, crm: ${e.crm}, op2: ${e.op2},`,
      `  kind: '${e.kind}', slot: ${e.stored ? slot.get(e.name) : -1}, xt: ${e.xt}, reset: ${big(e.reset)}, res0: ${big(e.res0)}, res1: ${big(e.res1)},`,
      `  fields: [${fields}],${e.hook ? ` hook: '${e.name}',` : ''}`,
      method(e, true),
      method(e, false),
      `};`,
    ].join('\n');
  }

  const regs = spec.entries.filter((e) => e.kind === 'reg');
  const stored = spec.entries.filter((e) => e.stored);
  const fieldConsts = regs
    .filter((e) => e.fields.length)
    .map((e) => {
      const fs = e.fields.map((f) => `${f.name}: { lsb: ${f.lsb}, width: ${f.width}, mask: ${big(((1n << BigInt(f.width)) - 1n) << BigInt(f.lsb))} }`);
      return `  ${e.name}: { ${fs.join(', ')} },`;
    });
  const quoted = (xs: string[]): string => xs.map((x) => `'${x}'`).join(', ');

  return `// Generated by src/gen/sysregs.ts from spec/sysregs/*.yaml — do not edit.
import type { SysCtx } from '../core/sysctx.js';
import { ArchException, undefinedInstruction } from '../core/exception.js';

/** What a TLBI operation invalidates (spec/schema/sysregs.schema.json, tlbiScope). */
export interface TlbiScope {
  readonly regime: 'el10' | 'el2';
  readonly vmid: 'current' | 'any';
  readonly asid: 'any' | 'xt' | 'xt-nonglobal';
  readonly address: 'all' | 'va' | 'ipa';
  readonly level: 'any' | 'last';
  readonly stage: 1 | 2 | 'both';
}

export interface SysRegDef {
  readonly name: string;
  /** op0<<14 | op1<<11 | CRn<<7 | CRm<<3 | op2: bits 20:5 of the MRS/MSR/SYS instruction. */
  readonly key: number;
  readonly op0: number;
  readonly op1: number;
  readonly crn: number;
  readonly crm: number;
  readonly op2: number;
  readonly kind: 'reg' | 'op';
  /** Index into SysCtx.sys, -1 if the register has no storage (hook, constant, operation). */
  readonly slot: number;
  /** Operations: whether the instruction takes Xt (otherwise Rt is 31). */
  readonly xt: boolean;
  readonly reset: bigint;
  readonly res0: bigint;
  readonly res1: bigint;
  readonly fields: readonly { readonly name: string; readonly lsb: number; readonly width: number }[];
  /** Name passed to SysCtx.readHook/writeHook when the value lives in core state. */
  readonly hook?: string;
  /** MRS (or SYSL): applies the access rules for c.el; throws ArchException on a trap or UNDEFINED. */
  read(c: SysCtx, rt: number): bigint;
  /** MSR (or SYS, with v = Xt). */
  write(c: SysCtx, rt: number, v: bigint): void;
}

export interface SysField {
  readonly lsb: number;
  readonly width: number;
  /** The field's bits in place. */
  readonly mask: bigint;
}

${spec.entries.map(def).join('\n\n')}

export const sysregs: readonly SysRegDef[] = [
${spec.entries.map((e) => `  ${ident(e)},`).join('\n')}
];

export const sysregByKey: ReadonlyMap<number, SysRegDef> = new Map(sysregs.map((d) => [d.key, d]));
/** By upper-case name: 'TTBR0_EL1', 'CURRENTEL', 'TLBI VAE1IS'. */
export const sysregByName: ReadonlyMap<string, SysRegDef> = new Map(sysregs.map((d) => [d.name.toUpperCase(), d]));

/** Size of SysCtx.sys. */
export const SYS_SLOTS = ${stored.length};

/** Storage slot of each stored register, for core code that reads or sets one directly (exception entry, the MMU). */
export const SLOT = {
${stored.map((e) => `  ${e.name}: ${slot.get(e.name)},`).join('\n')}
} as const;

export function sysResetValues(): BigUint64Array {
  return BigUint64Array.of(${stored.map((e) => big(e.reset)).join(', ')});
}

/** Register fields: F.HCR_EL2.TVM. */
export const F = {
${fieldConsts.join('\n')}
} as const;

export function getField(v: bigint, f: SysField): bigint {
  return (v & f.mask) >> BigInt(f.lsb);
}

export function setField(v: bigint, f: SysField, x: bigint): bigint {
  return (v & ~f.mask) | ((x << BigInt(f.lsb)) & f.mask);
}

/** Names the core must answer in SysCtx.readHook/writeHook. */
export const SYS_HOOKS = [${quoted(regs.filter((e) => e.hook).map((e) => e.name))}] as const;
/** Names SysCtx.sysOp receives. */
export const SYS_OPS = [${quoted(spec.entries.filter((e) => e.kind === 'op').map((e) => e.name))}] as const;

/** The translation controls (\`translation: true\` in spec/sysregs): registers whose writes change how addresses translate. */
export const TRANSLATION_CONTROLS: ReadonlySet<string> = new Set([${quoted(regs.filter((e) => e.translation).map((e) => e.name))}]);

/** What each TLBI operation invalidates (its \`scope\` in spec/sysregs), by name without "TLBI ". */
export const TLBI_SCOPES: Readonly<Record<string, TlbiScope>> = {
${spec.entries.filter((e) => e.tlbiScope).map((e) => `  ${JSON.stringify(e.name.slice(5).toUpperCase())}: ${JSON.stringify(e.tlbiScope)},`).join('\n')}
};

/** An MRS/MSR/SYS/SYSL access by encoding; encodings not in the table are UNDEFINED. Returns the value read (0n for writes). */
export function sysAccess(c: SysCtx, key: number, rt: number, isRead: boolean, value: bigint): bigint {
  const d = sysregByKey.get(key);
  if (!d) throw undefinedInstruction();
  if (isRead) return d.read(c, rt);
  d.write(c, rt, value);
  return 0n;
}
`;
}
