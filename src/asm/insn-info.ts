// The shape of the generated instruction table (src/generated/forms.ts) that
// the assembler and disassembler interpret.
import type { Piece } from './template.js';

export type FieldVals = Record<string, number>;

export interface FormInfo {
  mnemonic: string;
  /** Literals without whitespace, and operand slots: for matching assembler input. */
  pieces: Piece[];
  /** Literals as written in the spec: for printing. */
  printPieces: Piece[];
  preferred: boolean;
  /** Fields the form pins down (from its `when`). */
  fixed: FieldVals;
  when: ((f: FieldVals) => boolean) | null;
}

export interface InsnInfo {
  name: string;
  group: string;
  mask: number;
  value: number;
  fields: [string, number, number][];
  undefinedIf: ((f: FieldVals) => boolean) | null;
  /** ESR ISS bits 24:14 of a data abort on this instruction, without SRT (bits 20:16, Rt); 0 when it has no instruction syndrome. */
  syndrome: number;
  forms: FormInfo[];
}
