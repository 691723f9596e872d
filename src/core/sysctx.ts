// What generated system-register code may touch in the CPU. Kept narrow so the
// generated table does not depend on the CPU's internals.
export interface SysCtx {
  /** Current exception level, 0..2. */
  readonly el: number;
  /** Backing store of every stored system register, indexed by SysRegDef.slot. */
  readonly sys: BigUint64Array;
  /** Registers whose value lives in core state (NZCV, DAIF, CurrentEL, SPSel, SP_ELx…). */
  readHook(hook: string): bigint;
  writeHook(hook: string, value: bigint): void;
  /** System operations (TLBI, AT, DC, IC): the model's side effect. `value` is Xt. */
  sysOp(op: string, value: bigint): void;
}
