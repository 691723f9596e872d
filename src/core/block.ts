// A decoded basic block: the executable closures of straight-line code and
// its static cost, so the run loop charges a whole block in one add. A block
// that runs often is compiled into one JS function that calls its closures in
// order: each call site then has a single target, which V8 inlines.
import type { Exec } from './cpu.js';

export const MAX_BLOCK = 64;
/** Executions after which a block is compiled (compiling costs about as much as a few hundred runs of a cold block). */
export const HOT_BLOCK = 64;

export class Block {
  readonly n: number;
  readonly cost: number;
  /** prefix[i] = cycles of the first i instructions (for exceptions in mid-block). */
  readonly prefix: Float64Array;
  runs = 0;
  compiled: Exec | null = null;

  constructor(readonly fns: Exec[], costs: number[]) {
    this.n = fns.length;
    this.prefix = new Float64Array(this.n + 1);
    for (let i = 0; i < this.n; i++) this.prefix[i + 1] = this.prefix[i] + costs[i];
    this.cost = this.prefix[this.n];
  }

  /** One function running the whole block; it keeps c.pc at each instruction's address, as the interpreter does. */
  compile(): Exec {
    let body = 'return function block(c) {\n  const pc = c.pc;\n  f0(c);\n';
    for (let i = 1; i < this.n; i++) body += `  c.pc = pc + ${4 * i};\n  f${i}(c);\n`;
    body += '};';
    const factory = new Function(...this.fns.map((_, i) => `f${i}`), body) as (...fns: Exec[]) => Exec;
    return (this.compiled = factory(...this.fns));
  }
}
