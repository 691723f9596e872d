// The condition language of system-register access rules: a small, pure
// language over register fields, e.g. `HCR_EL2.TGE == 1 && EL == 0`.
// Parsed once by the loader (which checks every name) and compiled to a JS
// expression by the generator, so a condition costs no interpretation at run time.

/** A parse error; `at` is the 0-based offset inside the condition text. */
export class ExprError extends Error {
  constructor(readonly at: number, message: string) {
    super(message);
  }
}

export type Expr =
  | { kind: 'int'; value: bigint; at: number }
  | { kind: 'el'; at: number }
  /** A whole register (`CSSELR_EL1`) or one of its fields (`HCR_EL2.TVM`). */
  | { kind: 'ref'; reg: string; field?: string; at: number; fieldAt: number }
  | { kind: 'not'; e: Expr; at: number }
  | { kind: 'and' | 'or'; l: Expr; r: Expr; at: number }
  | { kind: 'cmp'; op: '==' | '!='; l: Expr; r: Expr; at: number };

type Tok = { t: 'int'; v: bigint; at: number } | { t: 'id'; v: string; at: number } | { t: 'op'; v: string; at: number } | { t: 'end'; at: number };

const TOKEN = /(0x[0-9a-fA-F_]+|0b[01_]+|[0-9]+)|([A-Za-z_][A-Za-z0-9_]*)|(==|!=|&&|\|\||[!().])/y;

function tokenize(text: string): Tok[] {
  const out: Tok[] = [];
  let at = 0;
  for (;;) {
    while (at < text.length && /\s/.test(text[at])) at++;
    if (at === text.length) break;
    TOKEN.lastIndex = at;
    const m = TOKEN.exec(text);
    if (!m) throw new ExprError(at, `unexpected character '${text[at]}'`);
    if (m[1]) out.push({ t: 'int', v: BigInt(m[1].replace(/_/g, '')), at });
    else if (m[2]) out.push({ t: 'id', v: m[2], at });
    else out.push({ t: 'op', v: m[3], at });
    at = TOKEN.lastIndex;
  }
  out.push({ t: 'end', at: text.length });
  return out;
}

const isValue = (e: Expr): boolean => e.kind === 'int' || e.kind === 'el' || e.kind === 'ref';

/** Parses a condition; throws ExprError with the offset of the problem. */
export function parseExpr(text: string): Expr {
  const toks = tokenize(text);
  let i = 0;
  const peek = (): Tok => toks[i];
  const isOp = (v: string): boolean => {
    const t = peek();
    return t.t === 'op' && t.v === v;
  };
  const describe = (t: Tok): string => (t.t === 'end' ? 'end of condition' : `'${String(t.v)}'`);

  function primary(): Expr {
    const t = toks[i++];
    if (t.t === 'int') return { kind: 'int', value: t.v, at: t.at };
    if (t.t === 'id') {
      if (t.v === 'EL') return { kind: 'el', at: t.at };
      if (isOp('.')) {
        i++;
        const f = toks[i++];
        if (f.t !== 'id') throw new ExprError(f.at, `expected a field name after '${t.v}.', found ${describe(f)}`);
        return { kind: 'ref', reg: t.v, field: f.v, at: t.at, fieldAt: f.at };
      }
      return { kind: 'ref', reg: t.v, at: t.at, fieldAt: t.at };
    }
    if (t.t === 'op' && t.v === '(') {
      const e = or();
      const close = toks[i++];
      if (close.t !== 'op' || close.v !== ')') throw new ExprError(close.at, `expected ')', found ${describe(close)}`);
      return e;
    }
    throw new ExprError(t.at, `expected a register, field, EL, integer or '(', found ${describe(t)}`);
  }
  function unary(): Expr {
    const t = peek();
    if (t.t === 'op' && t.v === '!') {
      i++;
      return { kind: 'not', e: unary(), at: t.at };
    }
    return primary();
  }
  function cmp(): Expr {
    const l = unary();
    const t = peek();
    if (t.t !== 'op' || (t.v !== '==' && t.v !== '!=')) return l;
    i++;
    const r = unary();
    for (const side of [l, r]) if (!isValue(side)) throw new ExprError(side.at, `'${t.v}' compares values; this operand is a condition (add parentheses?)`);
    return { kind: 'cmp', op: t.v, l, r, at: t.at };
  }
  function chain(kind: 'and' | 'or', op: string, next: () => Expr): Expr {
    let l = next();
    while (isOp(op)) {
      const at = peek().at;
      i++;
      l = { kind, l, r: next(), at };
    }
    return l;
  }
  const and = (): Expr => chain('and', '&&', cmp);
  const or = (): Expr => chain('or', '||', and);

  const e = or();
  const rest = peek();
  if (rest.t !== 'end') throw new ExprError(rest.at, `unexpected ${describe(rest)}`);
  return e;
}

/** Every node of `e`, depth first. */
export function* walk(e: Expr): Generator<Expr> {
  yield e;
  if (e.kind === 'not') yield* walk(e.e);
  else if (e.kind === 'and' || e.kind === 'or' || e.kind === 'cmp') {
    yield* walk(e.l);
    yield* walk(e.r);
  }
}

/** What the compiler needs to know about the registers a condition reads. */
export interface CompileEnv {
  /** The exception level the rule list is for: `EL` is a constant there. */
  el: number;
  /** A JS expression (bigint) for a register's current value. */
  load(reg: string): string;
  field(reg: string, field: string): { lsb: number; width: number };
}

const hex = (v: bigint): string => `0x${v.toString(16)}n`;

/** Compiles a parsed condition to a JS boolean expression over `c` (a SysCtx). */
export function compileCondition(e: Expr, env: CompileEnv): string {
  const mask = (w: number): bigint => (1n << BigInt(w)) - 1n;
  const value = (x: Expr): string => {
    switch (x.kind) {
      case 'int':
        return hex(x.value);
      case 'el':
        return `${env.el}n`;
      case 'ref': {
        if (!x.field) return env.load(x.reg);
        const f = env.field(x.reg, x.field);
        const shifted = f.lsb ? `(${env.load(x.reg)} >> ${f.lsb}n)` : env.load(x.reg);
        return f.width === 64 ? shifted : `(${shifted} & ${hex(mask(f.width))})`;
      }
      default:
        throw new Error(`compileCondition: ${x.kind} is not a value`);
    }
  };
  // A field compared with a constant, or tested for non-zero, needs no shift.
  const fieldTest = (ref: Expr, op: '===' | '!==', k: bigint): string | undefined => {
    if (ref.kind !== 'ref' || !ref.field) return undefined;
    const f = env.field(ref.reg, ref.field);
    if (k > mask(f.width)) return undefined;
    return `(${env.load(ref.reg)} & ${hex(mask(f.width) << BigInt(f.lsb))}) ${op} ${hex(k << BigInt(f.lsb))}`;
  };
  const bool = (x: Expr): string => {
    switch (x.kind) {
      case 'not':
        return `!(${unwrap(bool(x.e))})`;
      case 'and':
        return `(${bool(x.l)} && ${bool(x.r)})`;
      case 'or':
        return `(${bool(x.l)} || ${bool(x.r)})`;
      case 'cmp': {
        const op = x.op === '==' ? '===' : '!==';
        const test =
          (x.r.kind === 'int' && fieldTest(x.l, op, x.r.value)) ||
          (x.l.kind === 'int' && fieldTest(x.r, op, x.l.value)) ||
          `${value(x.l)} ${op} ${value(x.r)}`;
        return `(${test})`;
      }
      case 'ref':
        return x.field ? `(${fieldTest(x, '!==', 0n)})` : `(${env.load(x.reg)} !== 0n)`;
      case 'int':
        return String(x.value !== 0n);
      case 'el':
        return String(env.el !== 0);
    }
  };
  return unwrap(bool(e));
}

/** `s` without one pair of parentheses around all of it. */
function unwrap(s: string): string {
  if (s[0] !== '(') return s;
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    depth += s[i] === '(' ? 1 : s[i] === ')' ? -1 : 0;
    if (depth === 0) return i === s.length - 1 ? s.slice(1, -1) : s;
  }
  return s;
}
