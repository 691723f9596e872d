// Loading spec/sysregs/*.yaml: JSON Schema validation, then the checks a
// schema cannot make (overlapping fields, duplicate encodings, unknown names
// in conditions, reset values against RES0/RES1…), every one reported as
// file:line:col. The result is the one model that the generator and
// `el2sim spec list` use.
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { child, entries, isScalar, items, scalar, SpecErrors, SpecSource, type Node, type SpecError } from './source.js';
import { SPEC_DIR, validateAgainst } from './validate.js';
import { ExprError, parseExpr, walk, type Expr } from './expr.js';
import { sysregKey } from './encoding.js';

export const SYSREGS_DIR = join(SPEC_DIR, 'sysregs');

export interface SysField {
  name: string;
  lsb: number;
  width: number;
  /** Named by Arm but reserved in this machine's configuration. */
  reserved?: 'RES0' | 'RES1';
  implementationDefined: boolean;
  why?: string;
}

export type SysAction =
  | { kind: 'undefined' }
  | { kind: 'trap'; to: number; ec: number }
  /** Register storage to read and/or write: register names, `$REG` resolved. */
  | { kind: 'access'; read?: string; write?: string }
  | { kind: 'value'; value: bigint }
  | { kind: 'op'; op: string };

export interface SysRule {
  cond?: Expr;
  on?: 'read' | 'write';
  action: SysAction;
}

/** What a TLBI operation invalidates (spec/schema's tlbiScope): matched by every TLB-like structure (src/mmu/tlbi.ts). */
export interface TlbiScope {
  regime: 'el10' | 'el2';
  vmid: 'current' | 'any';
  asid: 'any' | 'xt' | 'xt-nonglobal';
  address: 'all' | 'va' | 'ipa';
  level: 'any' | 'last';
  stage: 1 | 2 | 'both';
}

export interface SysEntry {
  kind: 'reg' | 'op';
  /** Arm's name (`TTBR0_EL1`, `CurrentEL`), or `TLBI VAE1`-style for operations. */
  name: string;
  title: string;
  file: string;
  op0: number;
  op1: number;
  crn: number;
  crm: number;
  op2: number;
  /** op0<<14 | op1<<11 | CRn<<7 | CRm<<3 | op2: bits 20:5 of the MRS/MSR/SYS word. */
  key: number;
  width: 32 | 64;
  fields: SysField[];
  res0: bigint;
  res1: bigint;
  reset: bigint;
  /** Value in core state, reached through SysCtx hooks. */
  hook: boolean;
  /** A translation control: writes change how addresses translate (spec `translation: true`). */
  translation: boolean;
  /** Has a storage slot: some rule reads or writes it, or a condition tests it. */
  stored: boolean;
  /** Operations: whether the instruction takes Xt. Registers: always. */
  xt: boolean;
  /** TLBI operations: what they invalidate. */
  tlbiScope?: TlbiScope;
  /** Rules for EL0, EL1, EL2. */
  access: [SysRule[], SysRule[], SysRule[]];
  profile?: string;
  implementationDefined: boolean;
  why?: string;
}

export interface SysregFile {
  file: string;
  area: string;
  entries: SysEntry[];
}

export interface SysregSpec {
  files: SysregFile[];
  entries: SysEntry[];
  byName: Map<string, SysEntry>;
}

const ALL = (1n << 64n) - 1n;
const hex = (v: bigint): string => `0x${v.toString(16).toUpperCase()}`;
const bitsText = (lsb: number, width: number): string => (width === 1 ? `bit ${lsb}` : `bits ${lsb + width - 1}:${lsb}`);
export const encodingName = (e: Pick<SysEntry, 'op0' | 'op1' | 'crn' | 'crm' | 'op2'>): string =>
  `S${e.op0}_${e.op1}_C${e.crn}_C${e.crm}_${e.op2}`;

interface Shape {
  width: 32 | 64;
  fields: SysField[];
  res0: bigint;
  res1: bigint;
}

/** A rule as written, before `$REG` is bound to the entry that uses it. */
interface RawRule {
  src: SpecSource;
  node: Node;
  cond?: Expr;
  on?: 'read' | 'write';
  read?: string;
  write?: string;
  value?: { v: bigint; node: Node };
  trap?: { to: number; ec: number };
  undefined?: true;
  op?: string;
}
type RawAccess = [RawRule[] | undefined, RawRule[] | undefined, RawRule[] | undefined];

interface Pending {
  entry: SysEntry;
  src: SpecSource;
  keyNode: Node;
  access: RawAccess;
  profileNode?: Node;
  resetNode?: Node;
}

/** The spec files of a directory, in load order. */
export function sysregFiles(dir = SYSREGS_DIR): string[] {
  return readdirSync(dir).filter((n) => n.endsWith('.yaml')).sort().map((n) => join(dir, n));
}

/** Loads and checks a directory of spec files (or a list of files); throws SpecErrors listing all problems. */
export function loadSysregs(from: string | string[] = SYSREGS_DIR): SysregSpec {
  const srcs: SpecSource[] = [];
  const errors: SpecError[] = [];
  for (const path of typeof from === 'string' ? sysregFiles(from) : from) {
    const src = new SpecSource(path);
    if (src.errors.length === 0) validateAgainst(src, 'sysregs.schema.json');
    errors.push(...src.errors);
    srcs.push(src);
  }
  // Names cross files, so semantic checks on a structurally broken set only cascade.
  if (errors.length) throw new SpecErrors(errors);
  const spec = new Loader(srcs).run();
  const all = srcs.flatMap((s) => s.errors);
  const seen = new Set<string>();
  const unique = all.filter((e) => !seen.has(e.message) && seen.add(e.message));
  if (unique.length) throw new SpecErrors(unique);
  return spec;
}

class Loader {
  private readonly layouts = new Map<string, { shape: Shape; src: SpecSource; node: Node }>();
  private readonly profiles = new Map<string, { access: RawAccess; src: SpecSource; node: Node }>();
  private readonly byName = new Map<string, Pending>();
  private readonly byKey = new Map<number, Pending>();

  constructor(private readonly srcs: SpecSource[]) {}

  run(): SysregSpec {
    for (const src of this.srcs) {
      for (const [k, v] of entries(child(src.root, 'layouts'))) this.defineLayout(src, k, v!);
    }
    for (const src of this.srcs) {
      for (const [k, v] of entries(child(src.root, 'profiles'))) this.defineProfile(src, k, v!);
    }
    const files: SysregFile[] = [];
    const pending: Pending[] = [];
    for (const src of this.srcs) {
      const file: SysregFile = { file: basename(src.path), area: String(scalar(child(src.root, 'area'))), entries: [] };
      for (const kind of ['reg', 'op'] as const) {
        for (const [k, v] of entries(child(src.root, kind === 'reg' ? 'registers' : 'operations'))) {
          const p = this.defineEntry(src, kind, k, v!, file.file);
          if (p) {
            pending.push(p);
            file.entries.push(p.entry);
          }
        }
      }
      files.push(file);
    }
    for (const p of pending) this.resolveReset(p);
    for (const p of pending) this.resolveAccess(p);
    this.markStored(pending);
    return { files, entries: pending.map((p) => p.entry), byName: new Map(pending.map((p) => [p.entry.name, p.entry])) };
  }

  // ---- layouts and field shapes

  private defineLayout(src: SpecSource, keyNode: Node, node: Node): void {
    const name = String(scalar(keyNode));
    const prev = this.layouts.get(name);
    if (prev) return src.report(keyNode, `duplicate layout '${name}' (first at ${where(prev.src, prev.node)})`);
    this.layouts.set(name, { shape: this.shape(src, node), src, node: keyNode });
  }

  /** Width, fields, RES0 and RES1 of a register or layout node, checked for overlaps and width. */
  private shape(src: SpecSource, node: Node): Shape {
    const width = (scalar(child(node, 'width')) as 32 | 64 | undefined) ?? 64;
    const owner: (string | undefined)[] = new Array(64).fill(undefined);
    const shape: Shape = { width, fields: [], res0: width === 32 ? ALL ^ 0xffffffffn : 0n, res1: 0n };
    const claim = (at: Node, what: string, lsb: number, w: number): boolean => {
      if (lsb + w > width) {
        src.report(at, `${what}: ${bitsText(lsb, w)} beyond the register's ${width}-bit width`);
        return false;
      }
      for (let b = lsb; b < lsb + w; b++) {
        if (owner[b]) {
          src.report(at, `${what}: ${bitsText(lsb, w)} overlap ${owner[b]} (bit ${b})`);
          return false;
        }
      }
      owner.fill(what, lsb, lsb + w);
      return true;
    };
    for (const [k, v] of entries(child(node, 'fields'))) {
      const name = String(scalar(k));
      const obj = isScalar(v) ? undefined : v;
      const bits = parseBits(src, obj ? child(obj, 'bits')! : v!);
      if (!bits || !claim(k, `field ${name}`, bits.lsb, bits.width)) continue;
      const reserved = scalar(child(obj, 'res0')) ? 'RES0' : scalar(child(obj, 'res1')) ? 'RES1' : undefined;
      if (reserved && scalar(child(obj, 'res0')) && scalar(child(obj, 'res1'))) src.report(k, `field ${name} cannot be both RES0 and RES1`);
      const mask = ((1n << BigInt(bits.width)) - 1n) << BigInt(bits.lsb);
      if (reserved === 'RES0') shape.res0 |= mask;
      if (reserved === 'RES1') shape.res1 |= mask;
      shape.fields.push({
        name,
        ...bits,
        reserved,
        implementationDefined: scalar(child(obj, 'implementation_defined')) === true,
        why: scalar(child(obj, 'why')) as string | undefined,
      });
    }
    for (const which of ['res0', 'res1'] as const) {
      for (const b of items(child(node, which))) {
        const bits = parseBits(src, b);
        if (bits && claim(b, which.toUpperCase(), bits.lsb, bits.width)) shape[which] |= ((1n << BigInt(bits.width)) - 1n) << BigInt(bits.lsb);
      }
    }
    return shape;
  }

  // ---- profiles and rules

  private defineProfile(src: SpecSource, keyNode: Node, node: Node): void {
    const name = String(scalar(keyNode));
    const prev = this.profiles.get(name);
    if (prev) return src.report(keyNode, `duplicate profile '${name}' (first at ${where(prev.src, prev.node)})`);
    this.profiles.set(name, { access: this.rawAccess(src, node), src, node: keyNode });
  }

  private rawAccess(src: SpecSource, node: Node): RawAccess {
    return [0, 1, 2].map((el) => {
      const list = child(node, `EL${el}`);
      return list ? this.rules(src, list, el) : undefined;
    }) as RawAccess;
  }

  private rules(src: SpecSource, list: Node, el: number): RawRule[] {
    const out: RawRule[] = [];
    const done = { read: false, write: false };
    for (const node of items(list)) {
      const r = this.rule(src, node, el);
      if (!r) continue;
      const dirs = directions(r);
      if (dirs.every((d) => done[d])) src.report(node, `unreachable rule: earlier rules at EL${el} always match ${dirs.join(' and ')}`);
      if (!r.cond) for (const d of dirs) done[d] = true;
      out.push(r);
    }
    return out;
  }

  private rule(src: SpecSource, node: Node, el: number): RawRule | undefined {
    const get = (k: string): unknown => scalar(child(node, k));
    const actions = [
      (get('read') !== undefined || get('write') !== undefined) && 'read/write',
      get('value') !== undefined && 'value',
      get('trap') !== undefined && 'trap',
      get('undefined') !== undefined && 'undefined',
      get('op') !== undefined && 'op',
    ].filter((a): a is string => !!a);
    if (actions.length !== 1) {
      src.report(node, `a rule needs exactly one action: read/write, value, trap, undefined or op${actions.length ? ` (found ${actions.join(', ')})` : ''}`);
      return undefined;
    }
    const r: RawRule = { src, node };
    const on = get('on') as 'read' | 'write' | undefined;
    if (on && actions[0] !== 'trap' && actions[0] !== 'undefined') {
      src.report(child(node, 'on'), `'on' only applies to trap and undefined; ${actions[0]} already implies its direction`);
    }
    r.on = on;
    const ifNode = child(node, 'if');
    if (ifNode) {
      r.cond = this.condition(src, ifNode, String(scalar(ifNode)));
      if (!r.cond) return undefined;
    }
    if (get('read') !== undefined) r.read = String(get('read'));
    if (get('write') !== undefined) r.write = String(get('write'));
    if (get('op') !== undefined) r.op = String(get('op'));
    if (get('undefined') !== undefined) r.undefined = true;
    const v = child(node, 'value');
    if (v) {
      const value = parseValue(src, v);
      if (value === undefined) return undefined;
      r.value = { v: value, node: v };
    }
    const trap = get('trap') as string | undefined;
    if (trap) {
      const to = Number(trap.slice(2));
      if (to < el) src.report(child(node, 'trap'), `a trap from EL${el} cannot go to the lower EL${to}`);
      r.trap = { to, ec: (get('ec') as number | undefined) ?? 0x18 };
    }
    return r;
  }

  /** Parses a condition; names are checked later, when every register is known. */
  private condition(src: SpecSource, node: Node, text: string): Expr | undefined {
    try {
      return parseExpr(text);
    } catch (e) {
      if (!(e instanceof ExprError)) throw e;
      src.report(node, `condition: ${e.message}`, textOffset(node) + e.at);
      return undefined;
    }
  }

  // ---- registers and operations

  private defineEntry(src: SpecSource, kind: 'reg' | 'op', keyNode: Node, node: Node, file: string): Pending | undefined {
    const name = String(scalar(keyNode));
    const enc = child(node, 'encoding');
    const n = (k: string): number => scalar(child(enc, k)) as number;
    const [op0, op1, crn, crm, op2] = [n('op0'), n('op1'), n('CRn'), n('CRm'), n('op2')];
    if (kind === 'reg' && op0 === 1) src.report(child(enc, 'op0'), `a register's op0 is 2 or 3 (op0 1 encodes SYS operations)`);
    if (kind === 'op' && op0 !== 1) src.report(child(enc, 'op0'), `an operation's op0 is 1 (SYS); ${op0} encodes MRS/MSR registers`);
    let shape: Shape = { width: 64, fields: [], res0: 0n, res1: 0n };
    const layoutNode = child(node, 'layout');
    if (layoutNode) {
      const clash = ['width', 'fields', 'res0', 'res1'].filter((k) => child(node, k));
      if (clash.length) src.report(layoutNode, `'layout' replaces width, fields, res0 and res1; remove ${clash.join(', ')} or the layout`);
      const l = this.layouts.get(String(scalar(layoutNode)));
      if (!l) src.report(layoutNode, `unknown layout '${String(scalar(layoutNode))}'`);
      else shape = l.shape;
    } else if (kind === 'reg') {
      shape = this.shape(src, node);
    }
    const access = child(node, 'access')!;
    const scopeNode = child(node, 'scope');
    const translationNode = child(node, 'translation');
    if (translationNode && scalar(child(node, 'hook')) === true) {
      src.report(translationNode, `${name} is a hook (its value lives in core state); a translation control is read from its storage by the memory system`);
    }
    const isTlbi = kind === 'op' && name.toUpperCase().startsWith('TLBI ');
    if (isTlbi && !scopeNode) src.report(keyNode, `TLBI operation '${name}' declares no scope (what it invalidates: regime, vmid, asid, address, level, stage)`);
    if (!isTlbi && scopeNode) src.report(scopeNode, `only TLBI operations have a scope`);
    const scopeOf = (n: Node): TlbiScope => {
      const v = (k: string) => scalar(child(n, k)) as string;
      return { regime: v('regime'), vmid: v('vmid'), asid: v('asid'), address: v('address'), level: v('level'), stage: v('stage') } as unknown as TlbiScope;
    };
    const entry: SysEntry = {
      kind,
      name,
      title: String(scalar(child(node, 'title'))),
      file,
      op0,
      op1,
      crn,
      crm,
      op2,
      key: sysregKey(op0, op1, crn, crm, op2),
      ...shape,
      reset: shape.res1,
      hook: scalar(child(node, 'hook')) === true,
      translation: scalar(translationNode) === true,
      stored: false,
      xt: kind === 'reg' || scalar(child(node, 'xt')) === true,
      ...(isTlbi && scopeNode ? { tlbiScope: scopeOf(scopeNode) } : {}),
      access: [[], [], []],
      profile: scalar(child(access, 'profile')) as string | undefined,
      implementationDefined: scalar(child(node, 'implementation_defined')) === true,
      why: scalar(child(node, 'why')) as string | undefined,
    };
    const p: Pending = {
      entry,
      src,
      keyNode,
      access: this.rawAccess(src, access),
      profileNode: child(access, 'profile'),
      resetNode: child(node, 'reset'),
    };
    const dupName = this.byName.get(name.toUpperCase());
    if (dupName) {
      src.report(keyNode, `duplicate name '${name}' (also at ${where(dupName.src, dupName.keyNode)})`);
      return undefined;
    }
    const dupKey = this.byKey.get(entry.key);
    if (dupKey) {
      src.report(enc, `encoding ${encodingName(entry)} is already ${dupKey.entry.name}'s (${where(dupKey.src, dupKey.keyNode)})`);
      return undefined;
    }
    this.byName.set(name.toUpperCase(), p);
    this.byKey.set(entry.key, p);
    return p;
  }

  private resolveReset({ entry, src, resetNode }: Pending): void {
    if (!resetNode) return;
    if (entry.hook) return src.report(resetNode, `${entry.name} is a hook (its value lives in core state); a reset value does not apply`);
    const raw = scalar(resetNode);
    let reset: bigint | undefined;
    if (typeof raw === 'string' && !raw.startsWith('0x')) {
      const from = this.byName.get(raw.toUpperCase());
      if (!from || from.entry.kind !== 'reg') return src.report(resetNode, `unknown register '${raw}'`);
      if (from.resetNode && typeof scalar(from.resetNode) === 'string' && !String(scalar(from.resetNode)).startsWith('0x')) {
        return src.report(resetNode, `${raw}'s reset value is itself a copy; name a register with a numeric reset value`);
      }
      reset = from.resetNode ? parseValue(from.src, from.resetNode) : from.entry.reset;
    } else {
      reset = parseValue(src, resetNode);
    }
    if (reset === undefined) return;
    const set0 = reset & entry.res0;
    const clear1 = ~reset & entry.res1;
    if (set0) src.report(resetNode, `reset value ${hex(reset)} sets RES0 bits (${hex(set0)})`);
    if (clear1) src.report(resetNode, `reset value ${hex(reset)} clears RES1 bits (${hex(clear1)})`);
    entry.reset = reset;
  }

  private resolveAccess(p: Pending): void {
    const { src, profileNode } = p;
    let base: RawAccess = [undefined, undefined, undefined];
    if (profileNode) {
      const prof = this.profiles.get(String(scalar(profileNode)));
      if (!prof) src.report(profileNode, `unknown profile '${String(scalar(profileNode))}'`);
      else base = prof.access;
    }
    for (let el = 0; el < 3; el++) {
      const raw = p.access[el] ?? base[el] ?? [];
      p.entry.access[el] = raw.flatMap((r) => {
        const bound = this.bind(r, p, !p.access[el]);
        return bound ? [bound] : [];
      });
    }
  }

  /** Resolves `$REG` and every name a rule mentions, for the entry that uses it. */
  private bind(r: RawRule, p: Pending, fromProfile: boolean): SysRule | undefined {
    const { entry } = p;
    const say = (node: Node | undefined, msg: string, offset = 0): undefined => {
      r.src.report(node ?? r.node, fromProfile ? `${msg} (profile used by ${entry.name})` : msg, offset);
      return undefined;
    };
    const target = (key: 'read' | 'write' | 'op'): string | undefined => {
      const name = r[key]!;
      const node = child(r.node, key);
      const want = key === 'op' ? 'op' : 'reg';
      if (name === '$REG') {
        if (entry.kind !== want) return say(node, `${key}: $REG, but ${entry.name} is ${entry.kind === 'op' ? 'an operation' : 'a register'}`);
        return entry.name;
      }
      const t = this.byName.get(name.toUpperCase());
      if (!t || t.entry.kind !== want || t.entry.name !== name) return say(node, `unknown ${want === 'op' ? 'operation' : 'register'} '${name}'`);
      if (entry.kind !== want) return say(node, `${key} is for ${want === 'op' ? 'operations' : 'registers'}; ${entry.name} is not one`);
      return name;
    };
    if (r.cond && !this.checkCondition(r, say)) return undefined;
    let action: SysAction;
    if (r.read !== undefined || r.write !== undefined) {
      const read = r.read !== undefined ? target('read') : undefined;
      const write = r.write !== undefined ? target('write') : undefined;
      if ((r.read !== undefined && !read) || (r.write !== undefined && !write)) return undefined;
      action = { kind: 'access', read, write };
    } else if (r.op !== undefined) {
      const op = target('op');
      if (!op) return undefined;
      action = { kind: 'op', op };
    } else if (r.value) {
      if (entry.kind !== 'reg') return say(r.value.node, `value is for registers; ${entry.name} is an operation`);
      const bad = r.value.v & entry.res0;
      if (bad) return say(r.value.node, `value ${hex(r.value.v)} sets RES0 bits of ${entry.name} (${hex(bad)})`);
      action = { kind: 'value', value: r.value.v };
    } else if (r.trap) {
      action = { kind: 'trap', ...r.trap };
    } else {
      action = { kind: 'undefined' };
    }
    return { cond: r.cond, on: r.on, action };
  }

  private checkCondition(r: RawRule, say: (node: Node | undefined, msg: string, offset?: number) => undefined): boolean {
    const node = child(r.node, 'if')!;
    const base = textOffset(node);
    let ok = true;
    for (const e of walk(r.cond!)) {
      if (e.kind === 'ref') {
        const reg = this.byName.get(e.reg.toUpperCase());
        if (!reg || reg.entry.kind !== 'reg' || reg.entry.name !== e.reg) {
          say(node, `condition: unknown register '${e.reg}'`, base + e.at);
          ok = false;
        } else if (e.field && !reg.entry.fields.some((f) => f.name === e.field)) {
          say(node, `condition: ${e.reg} has no field '${e.field}'`, base + e.fieldAt);
          ok = false;
        }
      } else if (e.kind === 'cmp') {
        const [ref, k] = e.l.kind === 'ref' ? [e.l, e.r] : [e.r, e.l];
        if (ref.kind !== 'ref' || k.kind !== 'int' || !ref.field) continue;
        const f = this.byName.get(ref.reg.toUpperCase())?.entry.fields.find((x) => x.name === ref.field);
        if (f && k.value >> BigInt(f.width) !== 0n) {
          say(node, `condition: ${k.value} does not fit the ${f.width}-bit field ${ref.reg}.${ref.field}`, base + k.at);
          ok = false;
        }
      }
    }
    return ok;
  }

  /** A register needs storage when a rule reads or writes it or a condition tests it. */
  private markStored(pending: Pending[]): void {
    const used = new Set<string>();
    for (const { entry } of pending) {
      for (const rule of entry.access.flat()) {
        if (rule.action.kind === 'access') {
          if (rule.action.read) used.add(rule.action.read);
          if (rule.action.write) used.add(rule.action.write);
        }
        if (rule.cond) for (const e of walk(rule.cond)) if (e.kind === 'ref') used.add(e.reg);
      }
    }
    for (const { entry } of pending) entry.stored = entry.kind === 'reg' && !entry.hook && used.has(entry.name);
  }
}

/** Directions a rule can match. */
function directions(r: RawRule): ('read' | 'write')[] {
  if (r.trap || r.undefined) return r.on ? [r.on] : ['read', 'write'];
  const d: ('read' | 'write')[] = [];
  if (r.read !== undefined || r.value) d.push('read');
  if (r.write !== undefined || r.op !== undefined) d.push('write');
  return d;
}

function where(src: SpecSource, node: Node): string {
  const e = src.error(node, '');
  return `${e.file}:${e.line}:${e.col}`;
}

/** Offset of a scalar's text from its node start (the opening quote). */
function textOffset(node: Node): number {
  return isScalar(node) && (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') ? 1 : 0;
}

function parseBits(src: SpecSource, node: Node): { lsb: number; width: number } | undefined {
  const v = scalar(node);
  if (typeof v === 'number') return { lsb: v, width: 1 };
  const [hi, lo] = String(v).split(':').map(Number);
  if (hi > 63) return void src.report(node, `bit ${hi} is beyond bit 63`);
  if (hi < lo) return void src.report(node, `bit range ${hi}:${lo} must be written high:low`);
  return { lsb: lo, width: hi - lo + 1 };
}

function parseValue(src: SpecSource, node: Node): bigint | undefined {
  const v = scalar(node);
  if (typeof v === 'number') {
    if (Number.isSafeInteger(v)) return BigInt(v);
    return void src.report(node, `${v} is beyond 2^53 and lost precision; write it as a "0x…" string`);
  }
  const b = BigInt(String(v).replace(/_/g, ''));
  if (b > ALL) return void src.report(node, `${String(v)} does not fit 64 bits`);
  return b;
}

/** `el2sim spec list`: every register and operation, grouped by file, one line each. */
export function listSysregs(from: string | string[] = SYSREGS_DIR): string {
  const spec = loadSysregs(from);
  const regs = spec.entries.filter((e) => e.kind === 'reg').length;
  const out = [
    `System registers: ${regs} registers and ${spec.entries.length - regs} operations in ${spec.files.length} files`,
    `EL columns: r read, w write, x execute, * may trap, - UNDEFINED. Storage: slot, hook (core state), or none.`,
  ];
  const w = Math.max(...spec.entries.map((e) => e.name.length));
  for (const f of spec.files) {
    if (!f.entries.length) continue;
    const nr = f.entries.filter((e) => e.kind === 'reg').length;
    const counts = [nr && `${nr} registers`, f.entries.length - nr && `${f.entries.length - nr} operations`].filter(Boolean).join(', ');
    out.push('', `${f.file} — ${f.area} (${counts})`);
    for (const e of f.entries) {
      const els = e.access.map((rules) => elSummary(rules).padEnd(4)).join(' ');
      const storage = e.kind === 'op' ? '' : e.hook ? 'hook' : e.stored ? 'slot' : '';
      const impdef = [e, ...e.fields].filter((x) => x.implementationDefined).map((x) => ` [implementation defined${x === e ? '' : `: ${x.name}`}]`);
      out.push(`  ${e.name.padEnd(w)}  ${encodingName(e).padEnd(16)} ${els} ${storage.padEnd(4)}  ${(e.profile ?? '').padEnd(14)}  ${e.title}${impdef.join('')}`);
    }
  }
  return out.join('\n');
}

function elSummary(rules: SysRule[]): string {
  let s = '';
  if (rules.some((r) => (r.action.kind === 'access' && r.action.read) || r.action.kind === 'value')) s += 'r';
  if (rules.some((r) => r.action.kind === 'access' && r.action.write)) s += 'w';
  if (rules.some((r) => r.action.kind === 'op')) s += 'x';
  if (s && rules.some((r) => r.action.kind === 'trap')) s += '*';
  return s || '-';
}
