// PSCI as QEMU's virt machine provides it without EL3 firmware: calls arrive
// through SMC (the machine started at EL2) or HVC (started at EL1), function
// ID in x0, result in x0.
/** Function IDs in their SMC32 form; the SMC64 form (bit 30 set) is the same call. */
export const PSCI = {
  VERSION: 0x84000000,
  CPU_SUSPEND: 0x84000001,
  CPU_OFF: 0x84000002,
  CPU_ON: 0x84000003,
  AFFINITY_INFO: 0x84000004,
  MIGRATE_INFO_TYPE: 0x84000006,
  SYSTEM_OFF: 0x84000008,
  SYSTEM_RESET: 0x84000009,
  FEATURES: 0x8400000a,
} as const;

const SUCCESS = 0n;
const NOT_SUPPORTED = BigInt.asUintN(64, -1n);
/** PSCI 1.1, as QEMU reports. */
const VERSION_1_1 = 0x10001n;
/** MIGRATE_INFO_TYPE: Trusted OS not present. */
const NO_TRUSTED_OS = 2n;

/** Whether x0 holds a PSCI function ID (the 32-bit or 64-bit standard-service range). */
export function isPsciCall(x0: bigint): boolean {
  const id = Number(x0 & 0xffffffffn);
  return (x0 >> 32n) === 0n && ((id & 0xbfffffe0) >>> 0) === 0x84000000;
}

export type PsciOutcome = { result: bigint } | { power: 'off' | 'reset' };

/** Serves one call; CPU_ON answers NOT_SUPPORTED while the machine has one CPU. */
export function psciCall(x0: bigint, x1: bigint): PsciOutcome {
  const id = (Number(x0 & 0xffffffffn) & ~0x40000000) >>> 0; // SMC32 and SMC64 forms alike
  switch (id) {
    case PSCI.VERSION: return { result: VERSION_1_1 };
    case PSCI.SYSTEM_OFF: return { power: 'off' };
    case PSCI.SYSTEM_RESET: return { power: 'reset' };
    case PSCI.MIGRATE_INFO_TYPE: return { result: NO_TRUSTED_OS };
    case PSCI.AFFINITY_INFO: return { result: x1 === 0n ? SUCCESS : BigInt.asUintN(64, -2n) /* INVALID_PARAMETERS */ };
    case PSCI.FEATURES: {
      const f = (Number(x1 & 0xffffffffn) & ~0x40000000) >>> 0;
      const known: number[] = [PSCI.VERSION, PSCI.SYSTEM_OFF, PSCI.SYSTEM_RESET, PSCI.MIGRATE_INFO_TYPE, PSCI.AFFINITY_INFO, PSCI.FEATURES];
      return { result: known.includes(f) ? SUCCESS : NOT_SUPPORTED };
    }
    default: return { result: NOT_SUPPORTED };
  }
}
