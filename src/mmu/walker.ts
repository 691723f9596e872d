// The VMSAv8-64 translation table walk (Armv8.0: software-managed access flag,
// no hardware dirty state, no 52-bit PA), stage 1 alone or nested over stage 2.
// Every descriptor fetch is counted by stage and level; with stage 2, each
// stage 1 table address is an IPA translated by a full stage 2 walk, so n
// guest levels over m host levels cost n*m + n + m fetches with nothing cached.
// Walk caches (walk-cache.ts), when given, let a walk start below the deepest
// cached table descriptor, and the nested TLB skips a table fetch's stage 2 walk.
// A walk has at most 4 levels per stage, so it ends whatever the tables hold
// (loops included); a descriptor read that finds no memory is a synchronous
// external abort on the walk. Faults are values, never thrown; faultException
// turns one into the ArchException the core raises.
import { ArchException, EC } from '../core/exception.js';
import type { Stage1Half, Stage1Regime, Stage2Regime, TableRegime } from './regime.js';
import type { NestedTlb, WalkCache, WalkTag } from './walk-cache.js';

export type Access = 'read' | 'write' | 'fetch';
export type FaultKind = 'translation' | 'access-flag' | 'permission' | 'address-size' | 'external';

export interface WalkFault {
  readonly kind: FaultKind;
  /** Lookup level of the fault (0..3), in the stage that faulted. */
  readonly level: number;
  readonly stage: 1 | 2;
  /** A stage 2 fault taken on a stage 1 descriptor fetch. */
  readonly s1ptw: boolean;
  /** The faulting IPA (stage 2 faults: for HPFAR_EL2). */
  readonly ipa?: bigint;
  readonly write: boolean;
  readonly fetch: boolean;
  readonly va: bigint;
  readonly fetches: Fetches;
}

export interface Perms { readonly r: boolean; readonly w: boolean; readonly x: boolean }

export interface Fetches {
  /** Stage 1 descriptor fetches by stage 1 level. */
  readonly s1: number[];
  /** Stage 2 descriptor fetches by stage 2 level (for stage 1 tables and for the final IPA). */
  readonly s2: number[];
  total: number;
}

export interface Translation {
  readonly va: bigint;
  /** Output of stage 1 (= va when stage 1 is off). */
  readonly ipa: bigint;
  readonly pa: bigint;
  /** Size of the region this result covers: min of the stage 1 and stage 2 block/page sizes. */
  readonly pageSize: number;
  readonly s1PageSize: number;
  readonly s2PageSize: number;
  /** Level of the final descriptor of each stage (-1: stage off / not present). */
  readonly s1Level: number;
  readonly s2Level: number;
  /** Stage 1 permissions, unprivileged (EL0) and privileged (EL1 or EL2). */
  readonly s1Perms: { readonly user: Perms; readonly priv: Perms };
  /** Stage 2 permissions (all true without stage 2). */
  readonly s2Perms: Perms;
  /** Both stages combined: what a TLB entry holding this result allows. */
  readonly perms: { readonly user: Perms; readonly priv: Perms };
  readonly attrs: {
    /** Stage 1 AttrIndx (index into MAIR), SH, NS; -1 when stage 1 is off. */
    readonly attrIndx: number;
    readonly sh: number;
    readonly ns: boolean;
    /** Stage 2 MemAttr[3:0] and SH; -1 without stage 2. */
    readonly s2MemAttr: number;
    readonly s2Sh: number;
  };
  /** The ASID of the regime (EL1&0) when the entry is non-global, else undefined. */
  readonly asid: number | undefined;
  readonly global: boolean;
  readonly vmid: number | undefined;
  readonly fetches: Fetches;
}

export type WalkResult = Translation | WalkFault;

/** A descriptor read: 8 bytes at a PA, for a fetch of `stage` at `level`; throws when there is no memory there. */
export type DescRead = (pa: number, stage: 1 | 2, level: number) => bigint;

/** The walk caches a walk may use (each optional: absent = off). */
export interface WalkCaches {
  /** The current VMID: tags stage 1 EL1&0 entries even without stage 2. */
  readonly vmid: number;
  readonly s1?: WalkCache;
  readonly s2?: WalkCache;
  readonly nested?: NestedTlb;
}

/** A walk cache bound to one stage's tag. */
interface BoundCache { readonly cache: WalkCache; readonly tag: WalkTag }

export function isFault(r: WalkResult): r is WalkFault {
  return 'kind' in r;
}

const ALL: Perms = { r: true, w: true, x: true };
const NONE: Perms = { r: false, w: false, x: false };
const TWO32 = 2 ** 32;
const VA56 = (1n << 56n) - 1n;

/** Whether a level may hold a block descriptor (Armv8.0): 4K levels 1 and 2; 16K and 64K level 2. */
export function blockAllowed(granuleBits: number, level: number): boolean {
  return granuleBits === 12 ? level === 1 || level === 2 : level === 2;
}

/** Size in bytes mapped by one descriptor at `level`. */
export function levelSize(granuleBits: number, level: number): number {
  return 2 ** ((3 - level) * (granuleBits - 3) + granuleBits);
}

// The walk computes in Numbers (addresses have at most 48 bits; a descriptor is read as two
// 32-bit halves): a BigInt operation allocates, and a walk would make dozens.

/** The descriptor just read, as its low and high words (set by `readDesc`). */
let dlo = 0, dhi = 0;

/** Reads the descriptor at `pa` into dlo/dhi; false when there is no memory there. */
function readDesc(mem: DescRead, pa: number, stage: 1 | 2, level: number): boolean {
  let d: bigint;
  try {
    d = mem(pa, stage, level);
  } catch {
    return false;
  }
  dlo = Number(d & 0xffffffffn);
  dhi = Number(d >> 32n);
  return true;
}

interface Leaf {
  /** The final descriptor's words. */
  lo: number;
  hi: number;
  level: number;
  /** Output address of the input address. */
  out: number;
  sizeBits: number;
  /** Accumulated table attributes (stage 1): APTable[1], APTable[0], UXN/XNTable, PXNTable. */
  apTableRO: boolean;
  apTableNoEl0: boolean;
  xnTable: boolean;
  pxnTable: boolean;
}

type Fail = { kind: FaultKind; level: number };

/** Bits 47:0 of the descriptor in dlo/dhi (the output address with the low attribute bits). */
const addr48 = () => (dhi & 0xffff) * TWO32 + (dlo >>> 0);
/** Whether the descriptor's address has bits at or above oaBits (>= 32). */
const beyond = (oaBits: number) => (dhi & 0xffff) >>> (oaBits - 32) !== 0;

/**
 * One stage's table walk of `input` (already range-checked, reduced to its inputBits).
 * `read(addr, level)` fetches the descriptor at table address `addr` (a PA, or for stage 1 under
 * stage 2, an IPA) into dlo/dhi and returns null, or reports a fault, which is returned as is.
 * Block/page/table decoding, address size checks and AF. `high` is the input's bits above
 * inputBits (TTBR1's ones), for the walk cache's record of the region an entry covers.
 */
function tableWalk<E>(
  input: number,
  t: TableRegime,
  read: (addr: number, level: number) => E | null,
  wc?: BoundCache,
  high = 0n,
): Leaf | Fail | E {
  const g = t.granuleBits, stride = g - 3;
  let table = Number(t.base);
  let apTableRO = false, apTableNoEl0 = false, xnTable = false, pxnTable = false;
  let first = t.startLevel;
  const cached = wc?.cache.lookup(wc.tag, input, t.startLevel);
  if (cached) {
    ({ apTableRO, apTableNoEl0, xnTable, pxnTable } = cached);
    table = cached.next;
    first = cached.level + 1;
  }
  for (let level = first; level <= 3; level++) {
    const lo = (3 - level) * stride + g;
    const width = level === t.startLevel ? t.inputBits - lo : stride;
    const index = Math.floor(input / 2 ** lo) % 2 ** width;
    const err = read(table + index * 8, level);
    if (err !== null) return err;
    if ((dlo & 1) === 0) return { kind: 'translation', level };
    const isTable = (dlo & 2) !== 0;
    if (!isTable && (level === 3 || !blockAllowed(g, level))) return { kind: 'translation', level };
    const a = addr48();
    if (isTable && level < 3) {
      if (beyond(t.oaBits)) return { kind: 'address-size', level };
      const next = a - (a % 2 ** g);
      apTableRO ||= ((dhi >>> 30) & 1) === 1;
      apTableNoEl0 ||= ((dhi >>> 29) & 1) === 1;
      xnTable ||= ((dhi >>> 28) & 1) === 1;
      pxnTable ||= ((dhi >>> 27) & 1) === 1;
      table = next;
      if (wc) wc.cache.insert(wc.tag, input, high, { level, next, apTableRO, apTableNoEl0, xnTable, pxnTable });
      continue;
    }
    // block (levels 1, 2) or page (level 3)
    const sizeBits = lo;
    if (beyond(t.oaBits)) return { kind: 'address-size', level };
    if (((dlo >>> 10) & 1) === 0) return { kind: 'access-flag', level };
    const size = 2 ** sizeBits;
    const out = a - (a % size) + (input % size);
    return { lo: dlo, hi: dhi, level, out, sizeBits, apTableRO, apTableNoEl0, xnTable, pxnTable };
  }
  throw new Error('unreachable: a walk ends by level 3');
}

const isLeaf = (x: unknown): x is Leaf => typeof x === 'object' && x !== null && 'out' in x;

function newFetches(): Fetches {
  return { s1: [0, 0, 0, 0], s2: [0, 0, 0, 0], total: 0 };
}

interface S2Out { pa: number; leaf: Leaf | null; perms: Perms }

/** Stage 2 permissions from S2AP (bits 7:6: write, read) and XN (bit 54). */
function s2PermsOf(leaf: Leaf): Perms {
  return { r: ((leaf.lo >>> 6) & 1) === 1, w: ((leaf.lo >>> 7) & 1) === 1, x: ((leaf.hi >>> 22) & 1) === 0 };
}

/**
 * A full stage 2 walk of `ipa`, counting fetches. On fault returns the WalkFault (stage 2,
 * s1ptw as given). The permission check is the caller's for the final access; a stage 1
 * table fetch (s1ptw) needs read permission and is checked here.
 */
function stage2(
  ipa: number,
  s2: Stage2Regime,
  mem: DescRead,
  f: Fetches,
  s1ptw: boolean,
  va: bigint,
  access: Access,
  caches?: WalkCaches,
): S2Out | WalkFault {
  const fault = (kind: FaultKind, level: number): WalkFault => ({
    kind, level, stage: 2, s1ptw, ipa: BigInt(ipa), write: access === 'write', fetch: access === 'fetch', va, fetches: f,
  });
  if (s2.fault) return fault(s2.fault, 0);
  if (ipa >= 2 ** s2.inputBits) return fault('translation', 0);
  const r = tableWalk<Fail>(
    ipa,
    s2,
    (addr, level) => {
      f.s2[level]++;
      f.total++;
      return readDesc(mem, addr, 2, level) ? null : { kind: 'external', level };
    },
    caches?.s2 && { cache: caches.s2, tag: { stage: 2, regime: 'el10', vmid: s2.vmid, asid: 0, half: 0, granuleBits: s2.granuleBits } },
  );
  if (!isLeaf(r)) return fault(r.kind, r.level);
  const perms = s2PermsOf(r);
  if (s1ptw && !perms.r) return fault('permission', r.level);
  return { pa: r.out, leaf: r, perms };
}

/** Stage 1 permissions of a leaf (Arm ARM AArch64.CheckS1Permission, Armv8.0 without PAN). */
function s1PermsOf(leaf: Leaf, regime: Stage1Regime): { user: Perms; priv: Perms } {
  const ap2 = ((leaf.lo >>> 7) & 1) === 1 || leaf.apTableRO;
  const uxn = ((leaf.hi >>> 22) & 1) === 1 || leaf.xnTable;
  if (regime.regime === 'el2') {
    // AP[1] and APTable[0] are RES1/ignored, bit 54 is XN, PXN and PXNTable are RES0
    const w = !ap2;
    return { user: NONE, priv: { r: true, w, x: !uxn && !(regime.wxn && w) } };
  }
  const ap1 = ((leaf.lo >>> 6) & 1) === 1 && !leaf.apTableNoEl0;
  const pxn = ((leaf.hi >>> 21) & 1) === 1 || leaf.pxnTable;
  const userR = ap1, userW = ap1 && !ap2, privW = !ap2;
  return {
    user: { r: userR, w: userW, x: !uxn && !(regime.wxn && userW) },
    // memory writable at EL0 is never executable at EL1
    priv: { r: true, w: privW, x: !pxn && !userW && !(regime.wxn && privW) },
  };
}

const allowed = (p: Perms, access: Access) => (access === 'fetch' ? p.x : access === 'write' ? p.w : p.r);

/**
 * Checks an access against a translation (a TLB hit does this instead of walking). Returns the
 * permission fault (stage 1 first, then stage 2) or undefined.
 */
export function checkAccess(t: Translation, access: Access, el: 0 | 1 | 2): WalkFault | undefined {
  const s1 = el === 0 ? t.s1Perms.user : t.s1Perms.priv;
  const s1ok = allowed(s1, access);
  if (s1ok && allowed(t.s2Perms, access)) return undefined;
  const base = { write: access === 'write', fetch: access === 'fetch', va: t.va, fetches: newFetches(), s1ptw: false };
  if (!s1ok) return { kind: 'permission', level: t.s1Level, stage: 1, ...base };
  return { kind: 'permission', level: t.s2Level, stage: 2, ipa: t.ipa, ...base };
}

const and = (a: Perms, b: Perms): Perms => ({ r: a.r && b.r, w: a.w && b.w, x: a.x && b.x });

/**
 * Translates `va` for an access at `el` in the stage 1 regime `regs`, nested over `stage2`
 * when given (the EL1&0 regime with HCR_EL2.VM = 1). `mem` reads an 8-byte descriptor at a PA.
 */
export function walk(
  va: bigint,
  access: Access,
  el: 0 | 1 | 2,
  regs: Stage1Regime,
  mem: DescRead,
  stage2Regime?: Stage2Regime,
  caches?: WalkCaches,
): WalkResult {
  va = BigInt.asUintN(64, va);
  const f = newFetches();
  const write = access === 'write', fetch = access === 'fetch';
  const s1fault = (kind: FaultKind, level: number): WalkFault => ({ kind, level, stage: 1, s1ptw: false, write, fetch, va, fetches: f });

  let ipa: number;
  let s1: Leaf | null = null;
  let s1Perms = { user: ALL, priv: ALL };
  let half: Stage1Half | null = null;
  if (!regs.enabled) {
    // stage 1 off: flat mapping, the VA must fit in PAMax
    if (va >> BigInt(regs.paBits) !== 0n) return s1fault('address-size', 0);
    ipa = Number(va);
  } else {
    const hi = Number((va >> 55n) & 1n);
    half = regs.halves[hi];
    if (!half) return s1fault('translation', 0);
    if (half.fault) return s1fault(half.fault, 0);
    // bits [top:inputBits] must all equal bit 55 (TTBR1: ones, TTBR0: zeros)
    const top = regs.tbi[hi] ? 55 : 63;
    const inBits = BigInt(half.inputBits);
    const range = (va >> inBits) & ((1n << BigInt(top - half.inputBits + 1)) - 1n);
    const want = hi ? (1n << BigInt(top - half.inputBits + 1)) - 1n : 0n;
    if (range !== want) return s1fault('translation', 0);
    const r = tableWalk<WalkFault | Fail>(
      Number(va & ((1n << inBits) - 1n)),
      half,
      (addr, level) => {
        let pa = addr;
        if (stage2Regime) {
          const hit = caches?.nested?.lookup(stage2Regime.vmid, addr);
          if (hit !== undefined) pa = hit;
          else {
            const t = stage2(addr, stage2Regime, mem, f, true, va, access, caches);
            if ('kind' in t) return t;
            pa = t.pa;
            caches?.nested?.insert(stage2Regime.vmid, addr, pa);
          }
        }
        f.s1[level]++;
        f.total++;
        return readDesc(mem, pa, 1, level) ? null : { kind: 'external', level };
      },
      caches?.s1 && {
        cache: caches.s1,
        tag: { stage: 1, regime: regs.regime, vmid: regs.regime === 'el2' ? 0 : caches.vmid, asid: regs.regime === 'el2' ? 0 : half.asid, half: hi, granuleBits: half.granuleBits },
      },
      caches?.s1 && ((va >> inBits) << inBits) & VA56,
    );
    if (!isLeaf(r)) return 'stage' in r ? r : s1fault(r.kind, r.level);
    s1 = r;
    s1Perms = s1PermsOf(r, regs);
    if (!allowed(el === 0 ? s1Perms.user : s1Perms.priv, access)) return s1fault('permission', r.level);
    ipa = r.out;
  }

  let pa = ipa;
  let s2: S2Out | null = null;
  if (stage2Regime) {
    const t = stage2(ipa, stage2Regime, mem, f, false, va, access, caches);
    if ('kind' in t) return t;
    if (!allowed(t.perms, access)) {
      return { kind: 'permission', level: t.leaf!.level, stage: 2, s1ptw: false, ipa: BigInt(ipa), write, fetch, va, fetches: f };
    }
    s2 = t;
    pa = t.pa;
  }

  const s1Size = s1 ? 2 ** s1.sizeBits : Infinity;
  const s2Size = s2?.leaf ? 2 ** s2.leaf.sizeBits : Infinity;
  // both stages off: a flat mapping, reported with the smallest granule
  const pageSize = Math.min(s1Size, s2Size) === Infinity ? 4096 : Math.min(s1Size, s2Size);
  const s2Perms = s2?.perms ?? ALL;
  const global = !s1 || regs.regime === 'el2' || ((s1.lo >>> 11) & 1) === 0;
  return {
    va,
    ipa: BigInt(ipa),
    pa: BigInt(pa),
    pageSize,
    s1PageSize: s1Size === Infinity ? 0 : s1Size,
    s2PageSize: s2Size === Infinity ? 0 : s2Size,
    s1Level: s1 ? s1.level : -1,
    s2Level: s2?.leaf ? s2.leaf.level : -1,
    s1Perms,
    s2Perms,
    perms: { user: and(s1Perms.user, s2Perms), priv: and(s1Perms.priv, s2Perms) },
    attrs: {
      attrIndx: s1 ? (s1.lo >>> 2) & 7 : -1,
      sh: s1 ? (s1.lo >>> 8) & 3 : -1,
      ns: s1 ? ((s1.lo >>> 5) & 1) === 1 : false,
      s2MemAttr: s2?.leaf ? (s2.leaf.lo >>> 2) & 0xf : -1,
      s2Sh: s2?.leaf ? (s2.leaf.lo >>> 8) & 3 : -1,
    },
    asid: global ? undefined : half!.asid,
    global,
    vmid: stage2Regime?.vmid,
    fetches: f,
  };
}

/** Fault status code (DFSC/IFSC) of a walk fault, level in bits 1:0. */
export function faultStatus(f: Pick<WalkFault, 'kind' | 'level'>): number {
  const base = { 'address-size': 0x00, translation: 0x04, 'access-flag': 0x08, permission: 0x0c, external: 0x14 }[f.kind];
  return base | (f.level & 3);
}

/**
 * The ArchException for a walk fault taken from `currentEl`: instruction or data abort (from a
 * lower EL or the same one), ISS with the FSC, WnR (data aborts; 0 for a stage 2 fault on a
 * stage 1 walk, which is a read), S1PTW, FnV = 0, EA = 0; FAR = the VA. Stage 2 faults go to
 * EL2 with the IPA (for HPFAR_EL2); stage 1 faults take the default routing (targetEl -1:
 * EL1, or EL2 for EL0 with HCR_EL2.TGE, or EL2 for the EL2 regime).
 */
export function faultException(f: WalkFault, currentEl: number): ArchException {
  const target = f.stage === 2 ? 2 : -1;
  const lower = target === 2 ? currentEl < 2 : currentEl === 0;
  const fsc = faultStatus(f);
  const s1ptw = f.s1ptw ? 1 << 7 : 0;
  if (f.fetch) return new ArchException(lower ? EC.IABT_LOWER : EC.IABT_SAME, s1ptw | fsc, target, f.va, f.stage === 2 ? f.ipa : undefined);
  const wnr = f.write && !f.s1ptw ? 1 << 6 : 0;
  return new ArchException(lower ? EC.DABT_LOWER : EC.DABT_SAME, s1ptw | wnr | fsc, target, f.va, f.stage === 2 ? f.ipa : undefined);
}
