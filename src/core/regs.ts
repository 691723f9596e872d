// Register-file layout. X0–X30 live in slots 0–30; slot 31 always reads zero
// (XZR/WZR); slot 32 is the current stack pointer; slot 33 swallows writes to
// XZR; 34–36 are scratch for flag computation (Cpu), 37 for instruction semantics. Register numbers are mapped to
// slots once, at decode time, so execution never tests for register 31.
export const ZR = 31;
export const SP = 32;
export const SINK = 33;
export const T0 = 34;
export const T1 = 35;
export const T2 = 36;
/** Scratch for instruction semantics (shifted/extended operands, the first value of a load pair). */
export const T3 = 37;
export const REG_SLOTS = 38;

/** Slot to read register n in a context where 31 means XZR. */
export const rz = (n: number): number => n;
/** Slot to write register n in a context where 31 means XZR (the write is discarded). */
export const wz = (n: number): number => (n === 31 ? SINK : n);
/** Slot of register n in a context where 31 means SP (reads and writes). */
export const rs = (n: number): number => (n === 31 ? SP : n);

export const MASK32 = 0xffffffffn;
