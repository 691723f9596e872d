// Architectural exceptions raised while executing an instruction. The core
// throws one; whoever owns exception entry (the user-mode runtime, or the
// machine's vector logic) catches it at the run loop. EC values are the
// ESR_ELx.EC encodings.
export const EC = {
  UNKNOWN: 0x00,
  WFX: 0x01,
  ILLEGAL_STATE: 0x0e,
  SVC64: 0x15,
  HVC64: 0x16,
  SMC64: 0x17,
  SYS64: 0x18,
  IABT_LOWER: 0x20,
  IABT_SAME: 0x21,
  PC_ALIGN: 0x22,
  DABT_LOWER: 0x24,
  DABT_SAME: 0x25,
  SP_ALIGN: 0x26,
  BRK64: 0x3c,
} as const;

export const EC_NAMES: Record<number, string> = Object.fromEntries(Object.entries(EC).map(([k, v]) => [v, k]));

export class ArchException extends Error {
  readonly ec: number;
  readonly iss: number;
  readonly targetEl: number;
  readonly far?: bigint;
  readonly ipa?: bigint;
  /**
   * @param ec ESR EC
   * @param iss ESR ISS (25 bits)
   * @param targetEl the EL the exception is taken to, when the rule that raised it decided (traps to EL2); -1 = default routing
   * @param far faulting virtual address, when the exception sets FAR
   */
  constructor(ec: number, iss: number, targetEl = -1, far?: bigint, ipa?: bigint) {
    // a guest's exception is control flow, not a bug: no stack trace (capturing one costs
    // microseconds) and no message until one is asked for (`message` below)
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super();
    Error.stackTraceLimit = limit;
    this.ec = ec;
    this.iss = iss;
    this.targetEl = targetEl;
    this.far = far;
    this.ipa = ipa;
  }

  override get message(): string {
    return `${EC_NAMES[this.ec] ?? 'EC'} (EC 0x${this.ec.toString(16).padStart(2, '0')}, ISS 0x${this.iss.toString(16)})`;
  }
}

/** An UNDEFINED instruction or access: EC 0x00. */
export function undefinedInstruction(): ArchException {
  return new ArchException(EC.UNKNOWN, 0);
}

/**
 * The simulator itself cannot go on (a limit reached, a guest that is stuck).
 * Distinct from ArchException, which the guest can handle.
 */
export class SimStop extends Error {}
