// The assembler driver: GNU as (aarch64) source → sections, symbols and a
// static ELF. Every instruction is 4 bytes, so addresses hardly depend on
// values, but `.skip`, `.align` and literal-pool sharing can. So the source
// is run through layout passes until the layout (symbol offsets, section
// sizes, pool positions) repeats, then through one full pass that encodes
// every instruction and reports every problem. Pass 1 is ctx.firstPass
// (undefined symbols read as 0); later passes take forward references from
// the pass before.
import { AsmError, encodeInstruction, isMnemonic } from './encode.js';
import { evaluate, ExprError, readChar, tryEvaluate, type ExprScope } from './expr.js';
import type { OperandCtx } from './operand.js';
import { writeElf, type ElfWriteSection, type ElfWriteSymbol } from '../elf/write.js';

export interface AsmDiagnostic { file: string; line: number; col: number; problem: string }

/** Errors of a source file; the message has one `file:line:col: problem` line per error. */
export class AsmSourceError extends Error {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly problem: string;
  constructor(readonly diagnostics: AsmDiagnostic[]) {
    super(diagnostics.map(formatDiagnostic).join('\n'));
    ({ file: this.file, line: this.line, col: this.col, problem: this.problem } = diagnostics[0]);
  }
}

export const formatDiagnostic = (d: AsmDiagnostic): string => `${d.file}:${d.line}:${d.col}: ${d.problem}`;

export interface AsmOptions {
  /** Address of .text (default 0x400000); other sections follow on later pages. */
  textBase?: bigint;
  /** Also return a listing: the bytes each source statement produced. */
  listing?: boolean;
}

export type AsmSection = ElfWriteSection;
export interface AsmListingLine { line: number; section: string; addr: bigint; bytes: Uint8Array; source: string }
export interface AsmResult {
  elf: Uint8Array;
  entry: bigint;
  sections: AsmSection[];
  symbols: ElfWriteSymbol[];
  listing?: AsmListingLine[];
  /** `file:line:col: warning` lines, e.g. values truncated to fit `.byte`. */
  warnings: string[];
}

const PAGE = 0x1000n;
const NOP = 0xd503201f;
const MAX_ALIGN_LOG2 = 16; // 64 KiB, the largest page size; GNU as allows more, nothing here needs it
const MAX_PASSES = 10;
/** Errors reported before giving up, as compilers do (gcc -fmax-errors, clang -ferror-limit): junk input gives a screenful, not thousands of lines. */
export const MAX_ERRORS = 20;
/** Longest problem text: source quoted in a message is cut (a 1 MB line of junk is one short line). */
const MAX_PROBLEM = 200;

type Kind = 'code' | 'ro' | 'rw' | 'bss';
const KIND_ORDER: Kind[] = ['code', 'ro', 'rw', 'bss'];
// writeElf has no read-only flag: read-only data goes with the code (not writable, like GNU ld's text segment).
const ELF_FLAGS: Record<Kind, ElfWriteSection['flags']> = { code: 'rx', ro: 'rx', rw: 'rw', bss: 'rw-nobits' };

/** A problem on the current line at a column; the pass turns it into a diagnostic. */
class LineError extends Error {
  constructor(message: string, readonly col: number) {
    super(message);
  }
}

// ---------------------------------------------------------------- source text

interface Stmt { line: number; col: number; text: string; source: string }

/**
 * Splits the source into statements: `;` separates statements, `//` comments
 * to end of line, a line starting with `#` is a comment, and comments in
 * slash-star pairs may span lines. Comments become spaces so columns stay true.
 */
function statements(source: string): Stmt[] {
  const out: Stmt[] = [];
  let inComment = false;
  source.split(/\r?\n/).forEach((raw, ln) => {
    if (!inComment && /^\s*#/.test(raw)) return;
    let text = '';
    let start = 0;
    const push = () => {
      if (text.slice(start).trim()) out.push({ line: ln + 1, col: start + 1, text: text.slice(start), source: raw });
    };
    for (let i = 0; i < raw.length; ) {
      if (inComment) {
        const end = raw.indexOf('*/', i);
        const stop = end < 0 ? raw.length : end + 2;
        text += ' '.repeat(stop - i);
        i = stop;
        inComment = end < 0;
      } else if (raw[i] === '"' || raw[i] === "'") {
        const end = quotedEnd(raw, i);
        text += raw.slice(i, end);
        i = end;
      } else if (raw.startsWith('/*', i)) {
        inComment = true;
        text += '  ';
        i += 2;
      } else if (raw.startsWith('//', i)) {
        break;
      } else if (raw[i] === ';') {
        push();
        text += ' ';
        start = ++i;
      } else {
        text += raw[i++];
      }
    }
    push();
  });
  return out;
}

/** End of the string ("…") or character literal ('c, '\n, 'c') starting at s[i]. */
function quotedEnd(s: string, i: number): number {
  if (s[i] === "'") {
    const j = s[i + 1] === '\\' ? i + 3 : i + 2;
    return s[j] === "'" ? j + 1 : Math.min(j, s.length);
  }
  for (let j = i + 1; j < s.length; j++) {
    if (s[j] === '\\') j++;
    else if (s[j] === '"') return j + 1;
  }
  return s.length;
}

interface Arg { text: string; col: number }

/** Directive arguments split at top-level commas; `col` is each argument's column. */
function splitArgs(text: string, col: number): Arg[] {
  if (!text.trim()) return [];
  const args: Arg[] = [];
  let depth = 0;
  let from = 0;
  const cut = (to: number) => {
    const part = text.slice(from, to);
    const lead = part.length - part.trimStart().length;
    args.push({ text: part.trim(), col: col + from + lead });
  };
  for (let i = 0; i < text.length; ) {
    const c = text[i];
    if (c === '"' || c === "'") { i = quotedEnd(text, i); continue; }
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) { cut(i); from = i + 1; }
    i++;
  }
  cut(text.length);
  return args;
}

/** Bytes of a "…" string argument with GNU as escapes. */
function stringBytes(a: Arg): number[] {
  if (!a.text.startsWith('"') || quotedEnd(a.text, 0) !== a.text.length || a.text.length < 2 || !a.text.endsWith('"')) {
    throw new LineError(`expected a string in double quotes, not '${a.text}'`, a.col);
  }
  const bytes: number[] = [];
  for (let i = 1; i < a.text.length - 1; ) {
    const { code, next } = readChar(a.text, i);
    if (code > 0xff) bytes.push(...new TextEncoder().encode(String.fromCharCode(code)));
    else bytes.push(code);
    i = next;
  }
  return bytes;
}

// ---------------------------------------------------------------- one pass

class Bytes {
  data = new Uint8Array(256);
  length = 0;
  constructor(readonly nobits: boolean) {}
  fill(n: number, byte: number): void {
    if (this.nobits) { this.length += n; return; }
    this.reserve(n);
    this.data.fill(byte, this.length, this.length + n);
    this.length += n;
  }
  put(bytes: ArrayLike<number>): void {
    if (this.nobits) { this.length += bytes.length; return; }
    this.reserve(bytes.length);
    this.data.set(bytes, this.length);
    this.length += bytes.length;
  }
  private reserve(n: number): void {
    if (this.length + n <= this.data.length) return;
    const grown = new Uint8Array(Math.max(this.data.length * 2, this.length + n));
    grown.set(this.data.subarray(0, this.length));
    this.data = grown;
  }
}

type PoolStarts = Partial<Record<4 | 8, number>>;
interface PoolEntry { key: string; value: bigint }

class Section {
  bytes: Bytes;
  align = 4;
  /** Entries of the pool not yet placed, by entry size. */
  pool = new Map<4 | 8, PoolEntry[]>([[4, []], [8, []]]);
  /** Offsets of the pools placed so far (at `.ltorg` and at the end). */
  flushed: PoolStarts[] = [];
  constructor(readonly name: string, readonly kind: Kind, readonly order: number, readonly base: bigint) {
    this.bytes = new Bytes(kind === 'bss');
  }
  get offset(): number { return this.bytes.length; }
  get here(): bigint { return this.base + BigInt(this.bytes.length); }
}

/** A symbol: a label (section + offset, so it follows its section's base) or an absolute `.set` value. */
type SymDef = { section: string; offset: number } | { section?: undefined; value: bigint };

/** What the next pass needs from this one. */
interface Layout {
  sig: string;
  bases: Map<string, bigint>;
  symbols: Map<string, SymDef>;
  pools: Map<string, PoolStarts[]>;
}

/** Symbols for one expression at location `dot`; `symbolic` records whether a label or `.` was used. */
class Scope implements ExprScope {
  symbolic = false;
  constructor(private readonly pass: Pass, private readonly at: bigint) {}
  get dot(): bigint {
    this.symbolic = true;
    return this.at;
  }
  symbol(name: string): bigint | undefined {
    const d = this.pass.lookup(name);
    if (!d) return this.pass.firstPass ? 0n : undefined; // pass 1: any value will do
    if (d.section !== undefined) this.symbolic = true;
    return this.pass.valueOf(d);
  }
}

const localName = (n: string, k: number) => `${n}\u0002${k}`;
const isLocal = (name: string) => name.includes('\u0002') || name.startsWith('.L');

function defaultKind(name: string): Kind {
  if (/^\.text(\.|$)/.test(name)) return 'code';
  if (/^\.rodata(\.|$)/.test(name)) return 'ro';
  if (/^\.t?bss(\.|$)/.test(name)) return 'bss';
  return 'rw';
}

function le(v: bigint, size: number): number[] {
  const u = BigInt.asUintN(size * 8, v);
  return Array.from({ length: size }, (_, i) => Number((u >> BigInt(8 * i)) & 0xffn));
}

const DATA_SIZES: Record<string, number> = {
  '.byte': 1, '.hword': 2, '.short': 2, '.2byte': 2, '.word': 4, '.long': 4, '.int': 4, '.4byte': 4,
  '.quad': 8, '.xword': 8, '.dword': 8, '.8byte': 8,
};
const IGNORED = new Set(['.type', '.size', '.file', '.ident', '.arch', '.arch_extension', '.cpu', '.hidden', '.protected', '.internal', '.local', '.loc']);

class Pass {
  diagnostics: AsmDiagnostic[] = [];
  warnings: AsmDiagnostic[] = [];
  sections = new Map<string, Section>();
  symbols = new Map<string, SymDef>();
  globals = new Set<string>();
  listing: { line: number; sec: Section; from: number; to: number; source: string }[] = [];
  private cur: Section;
  private previous: Section;
  private stack: Section[] = [];
  private localCount = new Map<string, number>();
  private line = 0;

  /**
   * `full`: encode every instruction. Otherwise only those with `=` operands are
   * encoded, as only literal pools change the layout: such passes find the
   * layout cheaply, and one full pass then produces the words and diagnostics.
   */
  constructor(readonly file: string, readonly textBase: bigint, readonly prev: Layout | undefined, readonly full: boolean) {
    this.cur = this.previous = this.section('.text');
  }

  get firstPass(): boolean { return this.prev === undefined; }

  section(name: string, kind?: Kind): Section {
    let s = this.sections.get(name);
    if (!s) {
      const base = name === '.text' ? this.textBase : this.prev?.bases.get(name) ?? 0n;
      s = new Section(name, kind ?? defaultKind(name), this.sections.size, base);
      this.sections.set(name, s);
    }
    return s;
  }

  switchTo(s: Section): void {
    if (s !== this.cur) [this.previous, this.cur] = [this.cur, s];
  }

  // ---- symbols and expressions

  valueOf(d: SymDef): bigint {
    if (d.section === undefined) return d.value;
    // A forward reference may name a section this pass has not opened yet: do not create it here.
    const base = this.sections.get(d.section)?.base ?? this.prev?.bases.get(d.section) ?? 0n;
    return base + BigInt(d.offset);
  }

  scope(dot: bigint): Scope {
    return new Scope(this, dot);
  }

  lookup(name: string): SymDef | undefined {
    const m = /^(\d+)([bf])$/.exec(name);
    if (m) {
      const n = this.localCount.get(m[1]) ?? 0;
      if (m[2] === 'b' && n === 0) return undefined;
      name = localName(m[1], m[2] === 'b' ? n - 1 : n);
    }
    return this.symbols.get(name) ?? this.prev?.symbols.get(name);
  }

  expr(a: Arg, dot = this.cur.here): bigint {
    if (!a || a.text === '') throw new LineError('missing expression', a?.col ?? 1);
    try {
      return evaluate(a.text, this.scope(dot));
    } catch (e) {
      if (e instanceof ExprError) throw new LineError(e.message, a.col + e.offset);
      throw e;
    }
  }

  define(name: string, def: SymDef, col: number): void {
    const old = this.symbols.get(name);
    if (old && (old.section !== undefined || def.section !== undefined)) throw new LineError(`symbol '${name}' is already defined`, col);
    this.symbols.set(name, def);
  }

  label(name: string, col: number): void {
    if (/^\d+$/.test(name)) {
      const k = this.localCount.get(name) ?? 0;
      this.localCount.set(name, k + 1);
      name = localName(name, k);
    }
    this.define(name, { section: this.cur.name, offset: this.cur.offset }, col);
  }

  // ---- output

  warn(problem: string, col: number): void {
    this.warnings.push({ file: this.file, line: this.line, col, problem });
  }

  putInt(v: bigint, size: number, col: number): void {
    const bits = BigInt(size * 8);
    if (size < 8 && (v < -(1n << (bits - 1n)) || v >= 1n << bits)) {
      this.warn(`value 0x${BigInt.asUintN(64, v).toString(16)} truncated to 0x${BigInt.asUintN(size * 8, v).toString(16)}`, col);
    }
    this.put(le(v, size), col);
  }

  put(bytes: ArrayLike<number>, col: number): void {
    if (this.cur.kind === 'bss' && Array.from(bytes).some((b) => b !== 0)) {
      throw new LineError(`attempt to store non-zero value in section '${this.cur.name}'`, col);
    }
    this.cur.bytes.put(bytes);
  }

  /** Pads to a multiple of `align` bytes (addresses); code sections pad with NOPs unless a fill is given. */
  alignTo(s: Section, align: number, fill?: number, max?: number): void {
    s.align = Math.max(s.align, align);
    let pad = Number((BigInt(align) - (s.here % BigInt(align))) % BigInt(align));
    if (max !== undefined && pad > max) return;
    if (s.kind === 'code' && fill === undefined) {
      const zeros = pad % 4;
      s.bytes.fill(zeros, 0);
      for (pad -= zeros; pad > 0; pad -= 4) s.bytes.put(le(BigInt(NOP), 4));
    } else {
      s.bytes.fill(pad, fill ?? 0);
    }
  }

  // ---- literal pools

  literalAddr(key: string, size: 4 | 8, pc: bigint): bigint {
    const s = this.cur;
    const entries = s.pool.get(size)!;
    let idx = entries.findIndex((e) => e.key === key);
    if (idx < 0) idx = entries.length;
    const start = this.prev?.pools.get(s.name)?.[s.flushed.length]?.[size];
    return start === undefined ? pc : s.base + BigInt(start + idx * size); // unknown yet: any reachable address
  }

  /** Places the pending pools (4-byte entries, then 8-byte, each aligned to its size) as GNU as does. */
  flushPools(s: Section): void {
    const starts: PoolStarts = {};
    for (const size of [4, 8] as const) {
      const entries = s.pool.get(size)!;
      if (!entries.length) continue;
      this.alignTo(s, size, 0);
      starts[size] = s.offset;
      for (const e of entries) s.bytes.put(le(e.value, size));
      s.pool.set(size, []);
    }
    s.flushed.push(starts);
  }

  // ---- statements

  run(stmts: Stmt[]): void {
    for (const st of stmts) {
      this.line = st.line;
      try {
        if (this.statement(st) === 'end') break;
      } catch (e) {
        if (!(e instanceof LineError)) throw e;
        // Layout passes go on (their errors are not reported); the full pass stops after MAX_ERRORS.
        if (this.full && this.diagnostics.length === MAX_ERRORS) {
          this.diagnostics.push({ file: this.file, line: st.line, col: e.col, problem: `too many errors (${MAX_ERRORS} shown), stopping` });
          return;
        }
        const problem = e.message.length > MAX_PROBLEM ? `${e.message.slice(0, MAX_PROBLEM)}…` : e.message;
        this.diagnostics.push({ file: this.file, line: st.line, col: e.col, problem });
      }
    }
    for (const s of this.sections.values()) this.flushPools(s);
  }

  statement(st: Stmt): 'end' | void {
    let i = 0;
    const t = st.text;
    const at = (k: number) => st.col + k;
    const skip = () => { while (i < t.length && /\s/.test(t[i])) i++; };
    skip();
    for (let m; (m = /^([A-Za-z_.$][\w.$]*|\d+)\s*:(?!:)/.exec(t.slice(i))); ) {
      this.label(m[1], at(i));
      i += m[0].length;
      skip();
    }
    if (i >= t.length) return;
    const sec = this.cur;
    const from = sec.offset;
    const assign = /^([A-Za-z_.$][\w.$]*)\s*=(?!=)/.exec(t.slice(i));
    const word = /^\.[\w.$]+|^[A-Za-z_][\w.$]*/.exec(t.slice(i));
    let r: 'end' | void = undefined;
    if (assign) {
      const rest = t.slice(i + assign[0].length);
      this.assign(assign[1], { text: rest.trim(), col: at(i + assign[0].length + rest.length - rest.trimStart().length) }, at(i));
    } else if (!word) {
      throw new LineError(`junk '${t.slice(i).trim()}'`, at(i));
    } else {
      const name = word[0];
      const restAt = i + name.length;
      if (name.startsWith('.')) r = this.directive(name.toLowerCase(), t.slice(restAt), at(restAt), at(i));
      else this.instruction(name, t.slice(restAt), at(i), at(restAt + t.slice(restAt).length - t.slice(restAt).trimStart().length));
    }
    if (this.cur === sec && sec.offset > from) this.listing.push({ line: st.line, sec, from, to: sec.offset, source: st.source });
    return r;
  }

  assign(name: string, a: Arg, col: number): void {
    if (name === '.') throw new LineError("assigning to '.' is not supported; use .skip", col);
    this.define(name, { value: this.expr(a) }, col);
  }

  instruction(mnemonic: string, operands: string, col: number, opCol: number): void {
    if (this.cur.kind === 'bss') throw new LineError(`instruction in section '${this.cur.name}', which holds no data`, col);
    if (this.cur.offset % 4) this.cur.bytes.fill(4 - (this.cur.offset % 4), 0); // GNU as aligns instructions
    if (!isMnemonic(mnemonic)) {
      this.cur.bytes.fill(4, 0);
      throw new LineError(`unknown instruction '${mnemonic}'`, col);
    }
    if (!this.full && !operands.includes('=')) {
      this.cur.bytes.fill(4, 0);
      return;
    }
    const pc = this.cur.here;
    const unknown: { name: string; len: number }[] = [];
    let last: { text: string; value: bigint; symbolic: boolean } | undefined;
    let pending: { key: string; value: bigint; size: 4 | 8 } | undefined;
    const ctx: OperandCtx = {
      pc,
      firstPass: this.firstPass,
      evaluate: (text) => {
        const sc = this.scope(pc);
        const value = tryEvaluate(text, sc);
        if (typeof value !== 'bigint') {
          if (value.symbol !== undefined) unknown.push({ name: value.symbol, len: text.length });
          return undefined;
        }
        last = { text, value, symbolic: sc.symbolic };
        return value;
      },
      literal: (value, size) => {
        // GNU as shares an entry between equal constants (as written: -1 and 0xffffffffffffffff
        // differ), and between uses of the same symbol expression.
        const same = last !== undefined && BigInt.asUintN(size * 8, last.value) === value;
        const key = same && last!.symbolic ? `s:${last!.text}:${value}` : `v:${same ? last!.value : value}`;
        pending = { key, value, size };
        return this.literalAddr(key, size, pc);
      },
    };
    let w: number;
    try {
      w = encodeInstruction(mnemonic, operands, ctx);
    } catch (e) {
      if (!(e instanceof AsmError)) throw e;
      this.cur.bytes.fill(4, 0);
      // A value out of range says so (a form parsed every operand up to it); else a symbol
      // that could not be evaluated is the likely cause.
      if (e.offset !== undefined) throw new LineError(e.message, opCol + e.offset - (operands.length - operands.trimStart().length));
      const u = unknown.sort((a, b) => b.len - a.len)[0];
      throw new LineError(u ? `undefined symbol '${u.name}'` : e.message, opCol);
    }
    // Only the form that matched keeps its pool entry (a form tried and rejected may also have asked).
    if (pending) {
      const entries = this.cur.pool.get(pending.size)!;
      if (!entries.some((e) => e.key === pending!.key)) entries.push({ key: pending.key, value: pending.value });
    }
    this.cur.bytes.put(le(BigInt(w), 4));
  }

  directive(name: string, rest: string, restCol: number, col: number): 'end' | void {
    const args = splitArgs(rest, restCol);
    const need = (n: number) => {
      if (args.length < n || args.slice(0, n).some((a) => a.text === '')) throw new LineError(`${name} needs ${n} argument${n > 1 ? 's' : ''}`, restCol);
    };
    const opt = (k: number) => (args[k] && args[k].text !== '' ? this.expr(args[k]) : undefined);
    const size = DATA_SIZES[name];
    if (size) {
      need(1);
      for (const a of args) this.putInt(this.expr(a), size, a.col);
      return;
    }
    if (IGNORED.has(name) || name.startsWith('.cfi_')) return;
    switch (name) {
      case '.text': case '.data': case '.bss':
        if (args.length) throw new LineError(`subsections are not supported: ${name} ${rest.trim()}`, restCol);
        return this.switchTo(this.section(name));
      case '.section': case '.pushsection': {
        need(1);
        const sname = args[0].text.replace(/^"(.*)"$/, '$1');
        const flags = args[1]?.text.replace(/^"(.*)"$/, '$1');
        const nobits = /[@%]nobits/.test(args[2]?.text ?? '') || defaultKind(sname) === 'bss'; // .bss is nobits by name
        const kind: Kind | undefined = flags === undefined ? undefined
          : /x/.test(flags) ? 'code' : /w/.test(flags) ? (nobits ? 'bss' : 'rw') : 'ro';
        if (name === '.pushsection') this.stack.push(this.cur);
        return this.switchTo(this.section(sname, kind));
      }
      case '.popsection': {
        const s = this.stack.pop();
        if (!s) throw new LineError('.popsection without .pushsection', col);
        return this.switchTo(s);
      }
      case '.previous':
        return this.switchTo(this.previous);
      case '.global': case '.globl': case '.weak':
        need(1);
        for (const a of args) this.globals.add(a.text);
        return;
      case '.equ': case '.set':
        need(2);
        return this.assign(args[0].text, args[1], args[0].col);
      case '.ascii': case '.asciz': case '.string':
        need(1);
        for (const a of args) this.put([...stringBytes(a), ...(name === '.ascii' ? [] : [0])], a.col);
        return;
      case '.skip': case '.space': case '.zero': {
        need(1);
        const n = this.expr(args[0]);
        if (n < 0n || n > 1n << 30n) throw new LineError(`${name} size ${n} out of range`, args[0].col);
        const fill = name === '.zero' ? 0 : Number(BigInt.asUintN(8, opt(1) ?? 0n));
        if (fill && this.cur.kind === 'bss') throw new LineError(`attempt to store non-zero value in section '${this.cur.name}'`, args[1].col);
        this.cur.bytes.fill(Number(n), fill);
        return;
      }
      case '.align': case '.p2align': case '.balign': {
        need(1);
        const n = this.expr(args[0]);
        let align: bigint;
        if (name === '.balign') {
          align = n === 0n ? 1n : n;
          if (align < 0n || (align & (align - 1n)) !== 0n) throw new LineError(`alignment ${n} is not a power of 2`, args[0].col);
        } else {
          if (n < 0n) throw new LineError(`alignment 2^${n} is negative`, args[0].col);
          align = n > 64n ? 1n << 65n : 1n << n;
        }
        if (align > 1n << BigInt(MAX_ALIGN_LOG2)) throw new LineError(`alignment too large: ${name === '.balign' ? n : `2^${n}`} (at most 2^${MAX_ALIGN_LOG2})`, args[0].col);
        const fill = opt(1);
        if (fill !== undefined && fill !== 0n && this.cur.kind === 'bss') throw new LineError(`attempt to store non-zero value in section '${this.cur.name}'`, args[1].col);
        const max = opt(2);
        return this.alignTo(this.cur, Number(align), fill === undefined ? undefined : Number(BigInt.asUintN(8, fill)), max === undefined ? undefined : Number(max));
      }
      case '.inst':
        need(1);
        for (const a of args) {
          if (this.cur.offset % 4) this.cur.bytes.fill(4 - (this.cur.offset % 4), 0);
          this.putInt(this.expr(a), 4, a.col);
        }
        return;
      case '.ltorg': case '.pool':
        return this.flushPools(this.cur);
      case '.end':
        return 'end';
      default:
        throw new LineError(`unknown directive '${name}'`, col);
    }
  }

  // ---- results

  /** Sections in memory order: .text, then code, read-only, writable, zero-filled, each kind in order of appearance. */
  ordered(): Section[] {
    return [...this.sections.values()].sort((a, b) =>
      a.name === '.text' ? -1 : b.name === '.text' ? 1 : KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || a.order - b.order);
  }

  layout(): Layout {
    const bases = new Map<string, bigint>();
    let cursor = this.textBase;
    for (const s of this.ordered()) {
      // Every section after .text starts on a fresh page (or its own alignment if larger).
      const a = PAGE > BigInt(s.align) ? PAGE : BigInt(s.align);
      const base = s.name === '.text' ? this.textBase : ((cursor + a - 1n) / a) * a;
      bases.set(s.name, base);
      cursor = base + BigInt(s.offset);
    }
    const pools = new Map([...this.sections.values()].map((s) => [s.name, s.flushed]));
    const sig = JSON.stringify([
      [...this.sections.values()].map((s) => [s.name, s.offset, s.align, s.flushed]),
      [...this.symbols].map(([n, d]) => [n, d.section ?? '', d.section === undefined ? String(d.value) : d.offset]),
    ]);
    return { sig, bases, symbols: this.symbols, pools };
  }
}

// ---------------------------------------------------------------- driver

/** Assembles a whole GNU as source file into a static executable. Throws AsmSourceError. */
export function assemble(source: string, file: string, opts: AsmOptions = {}): AsmResult {
  const textBase = opts.textBase ?? 0x400000n;
  if (textBase % 4n !== 0n) throw new Error(`textBase 0x${textBase.toString(16)} is not 4-byte aligned`);
  const stmts = statements(source);
  // Layout passes until the layout repeats, then one full pass on that layout.
  let layout: Layout | undefined;
  let settled = false;
  for (let n = 0; n < MAX_PASSES && !settled; n++) {
    const pass = new Pass(file, textBase, layout, false);
    pass.run(stmts);
    const next = pass.layout();
    settled = next.sig === layout?.sig;
    layout = next;
  }
  const pass = new Pass(file, textBase, layout, true);
  pass.run(stmts);
  if (pass.diagnostics.length) throw new AsmSourceError(pass.diagnostics);
  if (!settled || pass.layout().sig !== layout!.sig) {
    throw new AsmSourceError([{ file, line: 1, col: 1, problem: `layout did not settle after ${MAX_PASSES} passes` }]);
  }
  return output(pass, opts);
}

function output(pass: Pass, opts: AsmOptions): AsmResult {
  const symbols: ElfWriteSymbol[] = [];
  for (const [name, d] of pass.symbols) {
    if (d.section === undefined || isLocal(name)) continue;
    symbols.push({ name, value: pass.valueOf(d), global: pass.globals.has(name), section: d.section });
  }
  const sections: AsmSection[] = pass
    .ordered()
    .filter((s) => s.name === '.text' || s.offset > 0 || symbols.some((y) => y.section === s.name))
    .map((s) => ({
      name: s.name,
      addr: s.base,
      data: s.kind === 'bss' ? new Uint8Array(0) : s.bytes.data.slice(0, s.offset),
      size: s.offset,
      flags: ELF_FLAGS[s.kind],
    }));
  const start = symbols.find((s) => s.name === '_start');
  const entry = start ? start.value : pass.textBase;
  const result: AsmResult = {
    elf: writeElf({ entry, sections, symbols }),
    entry,
    sections,
    symbols,
    warnings: pass.warnings.map(formatDiagnostic),
  };
  if (opts.listing) {
    result.listing = pass.listing.map((l) => ({
      line: l.line,
      section: l.sec.name,
      addr: l.sec.base + BigInt(l.from),
      bytes: l.sec.kind === 'bss' ? new Uint8Array(l.to - l.from) : l.sec.bytes.data.slice(l.from, l.to),
      source: l.source,
    }));
  }
  return result;
}
