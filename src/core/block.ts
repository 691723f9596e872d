// A decoded basic block: the executable closures of straight-line code and
// its static cost, so the run loop charges a whole block in one add. A block
// that runs often is compiled into one JS function holding the exec bodies of
// its instructions, generated from the spec (each instruction's inline form,
// src/gen/isa.ts): decoded fields are constants, and c.pc is set only before
// an instruction that may throw or read it, so exceptions still see the exact
// PC. An instruction without an inline form is called as its closure.
// Blocks are generic in the machine state C their code runs on (core/cpu.ts's Cpu), so that
// this module imports nothing of the CPU, which builds and runs them.

export const MAX_BLOCK = 64;
/** Executions after which a block is compiled (compiling costs about as much as a few hundred runs of a cold block). */
export const HOT_BLOCK = 64;

/** An instruction's exec body as JavaScript (parameter `c`), the decode-scope names it uses with their values, and whether it needs c.pc exact. */
export interface Inline { body: string; pc: boolean; names: string[]; values: unknown[] }
/** An instruction word's inline form, or its closure (or null) when it has none. */
export type InlineSource<C> = (word: number) => Inline | ((c: C) => void) | null;

/** A value as a JavaScript literal, or undefined when it needs to be passed in. */
function literal(v: unknown): string | undefined {
  switch (typeof v) {
    case 'number': return Object.is(v, -0) ? '-0' : Number.isFinite(v) ? String(v) : undefined;
    case 'bigint': return `${v}n`;
    case 'boolean': return String(v);
    case 'undefined': return 'undefined';
    case 'string': return JSON.stringify(v);
    default: return v === null ? 'null' : undefined;
  }
}

export class Block<C> {
  readonly n: number;
  readonly cost: number;
  /** prefix[i] = cycles of the first i instructions (for exceptions in mid-block). */
  readonly prefix: Float64Array;
  runs = 0;
  compiled: ((c: C) => void) | null = null;

  constructor(readonly fns: ((c: C) => void)[], costs: number[], readonly words?: number[]) {
    this.n = fns.length;
    this.prefix = new Float64Array(this.n + 1);
    for (let i = 0; i < this.n; i++) this.prefix[i + 1] = this.prefix[i] + costs[i];
    this.cost = this.prefix[this.n];
  }

  /**
   * One function running the whole block. Without inline forms it calls the closures in order,
   * keeping c.pc at each instruction's address as the interpreter does; with them (`inline`) it
   * holds their bodies and keeps c.pc where an instruction needs it.
   */
  compile(inline?: InlineSource<C>): (c: C) => void {
    const params: string[] = [], args: unknown[] = [];
    const pass = (v: unknown): string => { params.push(`$k${params.length}`); args.push(v); return params.at(-1)!; };
    let body = 'return function block(c) {\n  const $pc = c.pc;\n';
    for (let i = 0; i < this.n; i++) {
      const form = inline && this.words ? inline(this.words[i]!) : null;
      if (form === null || typeof form === 'function') {
        if (i > 0) body += `  c.pc = $pc + ${4 * i};\n`;
        body += `  ${pass(this.fns[i])}(c);\n`;
        continue;
      }
      if (form.pc && i > 0) body += `  c.pc = $pc + ${4 * i};\n`;
      const consts = form.names.map((name, j) => `${name} = ${literal(form.values[j]) ?? pass(form.values[j])}`);
      // the body in a scope of its own, inside that of the constants (it may declare the same names)
      body += `  {${consts.length ? ` const ${consts.join(', ')};` : ''} {\n    ${form.body.split('\n').join('\n    ')}\n  } }\n`;
    }
    body += '};';
    const factory = new Function(...params, body) as (...a: unknown[]) => (c: C) => void;
    return (this.compiled = factory(...args));
  }
}
