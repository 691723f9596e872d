// An operand kind: the one hand-written description of how a group of
// instruction fields looks in assembly. Its four faces (decode, encode, print,
// parse) let the same spec drive the disassembler and the assembler.

/** Context of one instruction: its address, and symbol services of the assembler/disassembler. */
export interface OperandCtx {
  /** Address of the instruction (for PC-relative operands). */
  pc: bigint;
  /** Assembler: evaluates an expression (labels, arithmetic); undefined if it cannot be evaluated yet. */
  evaluate?(expr: string): bigint | undefined;
  /** Assembler, first pass: labels are not all known yet, so any address is acceptable. */
  firstPass?: boolean;
  /** Assembler: literal pool for `ldr xN, =value`; returns the pool entry's address. */
  literal?(value: bigint, size: 4 | 8): bigint;
  /** Widths of the fields passed to the current operand (0 for literal arguments); set by the engine. */
  widths?: number[];
  /** Assembler: the mnemonic being encoded (for messages that GNU as words by instruction, e.g. branches). */
  mnemonic?: string;
  /** Disassembler: how to print a PC-relative target instead of objdump's bare hex address. */
  targetText?(addr: bigint): string;
  /** Disassembler: name for an address, e.g. "_start+0x8". */
  symbolize?(addr: bigint): string | undefined;
}

/**
 * A value of fields. `args` are the values of the kind's arguments in the
 * template: field values, or the integers written literally there.
 */
export interface OperandKind<V = unknown> {
  /** What the kind is, for `el2sim spec list` and error messages. */
  doc: string;
  /** Number of arguments the template passes (field names or integer literals). */
  arity: number;
  /** Field values → operand value; undefined when these fields have no form of this kind. */
  decode(args: number[], ctx: OperandCtx): V | undefined;
  /**
   * Operand value → argument values (undefined leaves that argument free).
   * A value of this kind that the fields cannot hold gives a Misfit saying why
   * (the allowed range), as GNU as words it; undefined if not encodable otherwise.
   */
  encode(v: V, ctx: OperandCtx): (number | undefined)[] | Misfit | undefined;
  /** Operand value → text, as GNU objdump prints it. */
  print(v: V, ctx: OperandCtx): string;
  /** Text (whitespace removed) → operand value, accepting what GNU as accepts; undefined if it is not this kind. */
  parse(text: string, ctx: OperandCtx): V | undefined;
}

/**
 * Why a parsed operand cannot be encoded: `problem` as GNU as words it
 * ("immediate value out of range"), `range` what is allowed ("0 to 4095").
 * `operand` counts operands into the slot's text (BfxOps: 1 is the width).
 */
export class Misfit {
  constructor(readonly problem: string, readonly range?: string, readonly operand = 0) {}
}

/** `problem range` for a value outside [lo, hi]: "immediate value out of range 0 to 63". */
export const outOfRange = (what: string, lo: bigint | number, hi: bigint | number, extra = '', operand = 0): Misfit =>
  new Misfit(`${what} out of range`, `${lo} to ${hi}${extra}`, operand);

const kinds = new Map<string, OperandKind<any>>();

export function defineKind<V>(name: string, kind: OperandKind<V>): void {
  if (kinds.has(name)) throw new Error(`operand kind ${name} defined twice`);
  kinds.set(name, kind);
}

export function operandKind(name: string): OperandKind<unknown> | undefined {
  return kinds.get(name);
}

export function operandKinds(): ReadonlyMap<string, OperandKind<unknown>> {
  return kinds;
}
