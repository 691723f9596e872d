// Assembler expressions as GNU as evaluates them: 64-bit integers, symbols,
// `.`, and GNU as operator precedence, which is NOT C's: from tightest,
//   * / % << >>   then   | & ^ !   then   + -   then   == != <> < > <= >=   then   &&   then   ||
// so `1 + 2 << 3` is 17 and `3 | 4 + 1` is 8 (both checked against aarch64-linux-gnu-as).
// Values stay in their natural bigint form (a negative literal stays negative,
// a high address stays positive); only where the 64-bit view matters (signed
// compare and divide, logical >>, overflow) are they read as 64-bit numbers.

export interface ExprScope {
  /** Value of a symbol (also local label references like `1b`, `2f`); undefined if not defined. */
  symbol(name: string): bigint | undefined;
  /** The location counter `.`. */
  dot: bigint;
}

export class ExprError extends Error {
  /** `offset` is the 0-based index into the expression text where the problem is. */
  constructor(message: string, readonly offset: number) {
    super(message);
  }
}

export class UndefinedSymbolError extends ExprError {
  constructor(readonly symbolName: string, offset: number) {
    super(`undefined symbol '${symbolName}'`, offset);
  }
}

/** A problem found while parsing; a plain object, as the assembler tries many failing slices and Errors are slow. */
export interface ExprFailure { message: string; offset: number; symbol?: string }
class Fail implements ExprFailure {
  constructor(readonly message: string, readonly offset: number, readonly symbol?: string) {}
}

const M64 = 1n << 64n;
/** Back into [-2^63, 2^64) when an operation left the 64-bit range, wrapping as GNU as does. */
const norm = (v: bigint): bigint => (v >= -(M64 >> 1n) && v < M64 ? v : BigInt.asIntN(64, v));
const s64 = (v: bigint): bigint => BigInt.asIntN(64, v);
const truth = (b: boolean): bigint => (b ? -1n : 0n); // GNU as comparisons give -1 for true

type Binary = (a: bigint, b: bigint, at: number) => bigint;
const shift = (b: bigint) => (b < 0n || b >= 64n ? undefined : b);
const LEVELS: Record<string, Binary>[] = [
  {
    '*': (a, b) => a * b,
    '/': (a, b, at) => (s64(b) === 0n ? zero(at) : s64(a) / s64(b)),
    '%': (a, b, at) => (s64(b) === 0n ? zero(at) : s64(a) % s64(b)),
    '<<': (a, b) => (shift(b) === undefined ? 0n : a << b),
    '>>': (a, b) => (shift(b) === undefined ? 0n : BigInt.asUintN(64, a) >> b),
  },
  { '|': (a, b) => a | b, '&': (a, b) => a & b, '^': (a, b) => a ^ b, '!': (a, b) => a | ~b },
  { '+': (a, b) => a + b, '-': (a, b) => a - b },
  {
    '==': (a, b) => truth(s64(a) === s64(b)),
    '!=': (a, b) => truth(s64(a) !== s64(b)),
    '<>': (a, b) => truth(s64(a) !== s64(b)),
    '<': (a, b) => truth(s64(a) < s64(b)),
    '>': (a, b) => truth(s64(a) > s64(b)),
    '<=': (a, b) => truth(s64(a) <= s64(b)),
    '>=': (a, b) => truth(s64(a) >= s64(b)),
  },
  { '&&': (a, b) => (a !== 0n && b !== 0n ? 1n : 0n) },
  { '||': (a, b) => (a !== 0n || b !== 0n ? 1n : 0n) },
];
// Longest operators first so `<<` is not read as `<`.
const OPS = LEVELS.flatMap((l) => Object.keys(l)).sort((a, b) => b.length - a.length);

function zero(at: number): never {
  throw new Fail('division by zero', at);
}

const ESCAPES: Record<string, number> = { n: 10, t: 9, r: 13, b: 8, f: 12, v: 11, a: 7, e: 27, '0': 0 };

/**
 * One escape-aware character of a string or character literal starting at s[i]
 * (GNU as escapes: \n \t \r \b \f \v \a \e, \ooo octal, \xhh… hex, anything else itself).
 */
export function readChar(s: string, i: number): { code: number; next: number } {
  if (s[i] !== '\\') return { code: s.charCodeAt(i), next: i + 1 };
  const c = s[i + 1] ?? '';
  const oct = /^[0-7]{1,3}/.exec(s.slice(i + 1));
  if (oct) return { code: parseInt(oct[0], 8) & 0xff, next: i + 1 + oct[0].length };
  const hex = /^[xX]([0-9a-fA-F]+)/.exec(s.slice(i + 1));
  if (hex) return { code: Number(BigInt('0x' + hex[1]) & 0xffn), next: i + 2 + hex[1].length };
  return { code: ESCAPES[c] ?? c.charCodeAt(0), next: i + 2 };
}

const NUMBER = /(?:0[xX][0-9a-fA-F]+|0[bB][01]+|(\d+[bBfF])|\d+)(?![\w.$])/y; // group 1: 1b, 2f
const WORD = /[\w.$]+/y; // a symbol, or a malformed number

class Parser {
  i = 0;
  constructor(readonly s: string, readonly scope: ExprScope) {}

  skip(): void {
    while (this.s[this.i] === ' ' || this.s[this.i] === '\t') this.i++;
  }

  parse(): bigint {
    const v = this.binary(LEVELS.length - 1);
    this.skip();
    if (this.i < this.s.length) throw new Fail(`unexpected '${this.s.slice(this.i)}' in expression`, this.i);
    return v;
  }

  binary(level: number): bigint {
    let v = this.operand(level);
    for (;;) {
      this.skip();
      const op = this.operator();
      const fn = op && LEVELS[level][op];
      if (!fn) return v;
      const at = this.i;
      this.i += op.length;
      v = norm(fn(v, this.operand(level), at));
    }
  }

  operand(level: number): bigint {
    return level === 0 ? this.unary() : this.binary(level - 1);
  }

  operator(): string | undefined {
    for (const o of OPS) if (this.s.startsWith(o, this.i)) return o;
    return undefined;
  }

  unary(): bigint {
    this.skip();
    const c = this.s[this.i];
    if (c === '-' || c === '~' || c === '+' || c === '!') {
      this.i++;
      const v = this.unary();
      return c === '-' ? norm(-v) : c === '~' ? norm(~v) : c === '!' ? (v === 0n ? 1n : 0n) : v;
    }
    if (c === '(') {
      this.i++;
      const v = this.binary(LEVELS.length - 1);
      this.skip();
      if (this.s[this.i] !== ')') throw new Fail("missing ')'", this.i);
      this.i++;
      return v;
    }
    return this.primary();
  }

  primary(): bigint {
    const s = this.s;
    const at = this.i;
    if (s[at] === "'") {
      if (at + 1 >= s.length) throw new Fail('empty character literal', at);
      const { code, next } = readChar(s, at + 1);
      this.i = next + (s[next] === "'" ? 1 : 0); // GNU as also takes a closing quote
      return BigInt(code);
    }
    // Numbers: 0x hex, 0b binary, local label references (1b, 2f), octal (leading 0), decimal.
    NUMBER.lastIndex = at;
    const num = NUMBER.exec(s);
    if (num) {
      const t = num[0];
      this.i += t.length;
      if (num[1]) return this.lookup(t.toLowerCase(), at);
      const v = /^0\d/.test(t) ? parseOctal(t, at) : BigInt(/^0[bB]/.test(t) ? '0b' + t.slice(2) : t);
      if (v >= M64) throw new Fail(`number too large: ${t}`, at);
      return v;
    }
    WORD.lastIndex = at;
    const word = WORD.exec(s);
    if (word && /^\d/.test(word[0])) throw new Fail(`bad number '${word[0]}'`, at);
    if (word) {
      this.i += word[0].length;
      return word[0] === '.' ? this.scope.dot : this.lookup(word[0], at);
    }
    throw new Fail(at < s.length ? `unexpected '${s.slice(at)}' in expression` : 'missing operand', at);
  }

  lookup(name: string, at: number): bigint {
    const v = this.scope.symbol(name);
    if (v === undefined) throw new Fail(`undefined symbol '${name}'`, at, name);
    return v;
  }
}

function parseOctal(t: string, at: number): bigint {
  if (!/^[0-7]+$/.test(t)) throw new Fail(`bad octal number '${t}'`, at);
  return BigInt('0o' + t);
}

/**
 * Evaluates `text`, or returns what is wrong with it (`symbol` set when it is an undefined symbol).
 * A leading `:lo12:` (the relocation operator of `add x0, x0, #:lo12:sym` and
 * `ldr x0, [x1, #:lo12:sym]`) takes the low 12 bits: there is no linker, so the
 * relocation is resolved here.
 */
export function tryEvaluate(text: string, scope: ExprScope): bigint | ExprFailure {
  const lo12 = /^\s*:lo12:/i.exec(text);
  if (lo12) {
    const v = tryEvaluate(' '.repeat(lo12[0].length) + text.slice(lo12[0].length), scope);
    return typeof v === 'bigint' ? v & 0xfffn : v;
  }
  if (text.trim() === '') return new Fail('missing expression', 0);
  try {
    return new Parser(text, scope).parse();
  } catch (e) {
    if (e instanceof Fail) return e;
    throw e;
  }
}

/** Evaluates `text`; throws ExprError (UndefinedSymbolError for an undefined symbol). */
export function evaluate(text: string, scope: ExprScope): bigint {
  const v = tryEvaluate(text, scope);
  if (typeof v === 'bigint') return v;
  throw v.symbol !== undefined ? new UndefinedSymbolError(v.symbol, v.offset) : new ExprError(v.message, v.offset);
}
