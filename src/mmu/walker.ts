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
import type { Stage1Regime, Stage2Regime, TableRegime } from './regime.js';
import { POW2, TWO32, modPow2 } from './pow2.js';
import { AP_TABLE_NO_EL0, AP_TABLE_RO, PXN_TABLE, XN_TABLE, idBits, tagBits, type NestedTlb, type WalkCache } from './walk-cache.js';

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

/**
 * Where a walk's descriptors come from: `read` fetches the 8 bytes at a PA (for a fetch of
 * `stage` at `level`) into `lo` and `hi`, or returns false when there is no memory there.
 */
export abstract class DescSource {
  lo = 0;
  hi = 0;
  abstract read(pa: number, stage: 1 | 2, level: number): boolean;
}

/** A DescSource over a DescRead function. */
class FnDescs extends DescSource {
  constructor(private readonly fn: DescRead) {
    super();
  }
  read(pa: number, stage: 1 | 2, level: number): boolean {
    let d: bigint;
    try {
      d = this.fn(pa, stage, level);
    } catch {
      return false;
    }
    this.lo = Number(d & 0xffffffffn);
    this.hi = Number(d >> 32n);
    return true;
  }
}

/** The walk caches a walk may use (each optional: absent = off). */
export interface WalkCaches {
  /** The current VMID: tags stage 1 EL1&0 entries even without stage 2. */
  readonly vmid: number;
  readonly s1?: WalkCache;
  readonly s2?: WalkCache;
  readonly nested?: NestedTlb;
}

export function isFault(r: WalkResult): r is WalkFault {
  return 'kind' in r;
}

const ALL: Perms = { r: true, w: true, x: true };


/** Whether a level may hold a block descriptor (Armv8.0): 4K levels 1 and 2; 16K and 64K level 2. */
export function blockAllowed(granuleBits: number, level: number): boolean {
  return granuleBits === 12 ? level === 1 || level === 2 : level === 2;
}

/** Size in bytes mapped by one descriptor at `level`. */
export function levelSize(granuleBits: number, level: number): number {
  return 2 ** ((3 - level) * (granuleBits - 3) + granuleBits);
}

// The walk computes in Numbers (addresses have at most 48 bits; a descriptor is read as two
// 32-bit words): a BigInt operation allocates, and a walk would make dozens. Its result is a
// record the Walker reuses (`WalkOut`), so a walk allocates nothing.

/** Access kinds as numbers (the walker's `Access`: read, write, fetch). */
export const READ = 0, WRITE = 1, FETCH = 2;
export const ACCESS_CODE: Readonly<Record<Access, number>> = { read: READ, write: WRITE, fetch: FETCH };

/** Fault kinds as numbers (0: no fault). */
const TRANSLATION = 1, ACCESS_FLAG = 2, PERMISSION = 3, ADDRESS_SIZE = 4, EXTERNAL = 5;
const KIND_NAMES: readonly FaultKind[] = ['translation', 'translation', 'access-flag', 'permission', 'address-size', 'external'];
const kindCode = (k: FaultKind): number => KIND_NAMES.indexOf(k, 1);

/**
 * Permissions as bits: stage 1 unprivileged r, w, x (bits 0-2), stage 1 privileged r, w, x
 * (bits 3-5), stage 2 r, w, x (bits 6-8).
 */
export const P_R = 1, P_W = 2, P_X = 4;
const S1_ALL = 0o77, S2_ALL = 0o700;
const permsOf = (bits: number): Perms => ({ r: (bits & P_R) !== 0, w: (bits & P_W) !== 0, x: (bits & P_X) !== 0 });
/** The bit of `access` in a group of r, w, x bits. */
const accessBit = (access: number) => (access === FETCH ? P_X : access === WRITE ? P_W : P_R);

/**
 * Checks an access against permission bits (a TLB hit does this instead of walking): 0 when
 * allowed, else the stage whose permission fault it is (stage 1 first, then stage 2).
 */
export function permissionFault(perms: number, access: number, el: number): 0 | 1 | 2 {
  const bit = accessBit(access);
  if (((el === 0 ? perms : perms >>> 3) & bit) === 0) return 1;
  return ((perms >>> 6) & bit) === 0 ? 2 : 0;
}

/** A walk's result: a translation (`fault` 0) or a fault; reused by its Walker from walk to walk. */
export class WalkOut {
  /** 0: translated; else the fault kind (see KIND_NAMES), at faultLevel of faultStage. */
  fault = 0;
  faultLevel = 0;
  faultStage: 1 | 2 = 1;
  /** A stage 2 fault taken on a stage 1 descriptor fetch. */
  s1ptw = false;
  /** The faulting IPA of a stage 2 fault. */
  faultIpa = 0;
  ipa = 0;
  pa = 0;
  /** log2 of the size of the region the translation covers: the smaller of the stages' block/page sizes. */
  pageShift = 12;
  /** Block/page size of each stage (0: stage off). */
  s1Size = 0;
  s2Size = 0;
  s1Level = -1;
  s2Level = -1;
  /** Permission bits (permissionFault). */
  perms = 0;
  attrIndx = -1;
  sh = -1;
  ns = false;
  s2MemAttr = -1;
  s2Sh = -1;
  global = true;
  /** The regime's ASID for a non-global translation, else -1. */
  asid = -1;
  /** The stage 2 VMID, -1 without stage 2. */
  vmid = -1;
  readonly s1 = new Int32Array(4);
  readonly s2 = new Int32Array(4);
  total = 0;
}

/** The VMSAv8-64 walker over one source of descriptors; `out` holds the last walk's result. */
export class Walker {
  readonly out = new WalkOut();
  // the final descriptor of each stage's last table walk: words, level, output address, log2 size, table attributes
  private l1lo = 0; private l1hi = 0; private l1level = 0; private l1out = 0; private l1bits = 0; private l1flags = 0;
  private l2lo = 0; private l2hi = 0; private l2level = 0; private l2out = 0; private l2bits = 0;
  /** Level of the last table walk's fault. */
  private failLevel = 0;

  constructor(private readonly src: DescSource) {}

  /**
   * Translates the VA given as its two 32-bit words for an access (READ, WRITE, FETCH) at `el` in
   * the stage 1 regime `regs`, nested over `s2` when given. Returns whether it translated; the
   * result or the fault is in `out`.
   */
  walk(vaHi: number, vaLo: number, access: number, el: number, regs: Stage1Regime, s2: Stage2Regime | undefined, caches: WalkCaches | undefined): boolean {
    const o = this.out;
    const f1 = o.s1, f2 = o.s2;
    f1[0] = f1[1] = f1[2] = f1[3] = 0;
    f2[0] = f2[1] = f2[2] = f2[3] = 0;
    o.total = 0;
    o.fault = 0;
    o.s1ptw = false;
    let ipa: number;
    let hasS1 = false;
    let s1perms = S1_ALL;
    let asid = 0;
    if (!regs.enabled) {
      // stage 1 off: flat mapping, the VA must fit in PAMax
      const pb = regs.paBits;
      if (pb >= 32 ? vaHi >>> (pb - 32) !== 0 : vaHi !== 0 || vaLo >>> pb !== 0) return this.s1fault(ADDRESS_SIZE, 0);
      ipa = vaHi * TWO32 + vaLo;
    } else {
      const hi = (vaHi >>> 23) & 1;
      const half = regs.halves[hi];
      if (!half) return this.s1fault(TRANSLATION, 0);
      if (half.fault) return this.s1fault(kindCode(half.fault), 0);
      // bits [top:inputBits] must all equal bit 55 (TTBR1: ones, TTBR0: zeros)
      const top = regs.tbi[hi] ? 55 : 63;
      const ib = half.inputBits;
      const hiMask = ((POW2[top - 31]! - 1) - (POW2[Math.max(0, ib - 32)]! - 1)) >>> 0;
      if ((vaHi & hiMask) >>> 0 !== (hi ? hiMask : 0)) return this.s1fault(TRANSLATION, 0);
      let input: number;
      if (ib < 32) {
        const loMask = (TWO32 - POW2[ib]!) >>> 0;
        if ((vaLo & loMask) >>> 0 !== (hi ? loMask : 0)) return this.s1fault(TRANSLATION, 0);
        input = modPow2(vaLo, POW2[ib]!);
      } else {
        input = modPow2(vaHi, POW2[ib - 32]!) * TWO32 + vaLo;
      }
      const el2 = regs.regime === 'el2';
      asid = half.asid;
      const wc = caches?.s1;
      const r = this.table(
        1, input, half, wc,
        wc ? tagBits(1, el2, hi, half.granuleBits) : 0, wc ? idBits(el2 ? 0 : caches!.vmid, el2 ? 0 : half.asid) : 0,
        s2, caches,
      );
      if (r < 0) return false; // a stage 2 fault on a table fetch, already in out
      if (r > 0) return this.s1fault(r, this.failLevel);
      hasS1 = true;
      s1perms = s1PermBits(this.l1lo, this.l1hi, this.l1flags, el2, regs.wxn);
      if (((el === 0 ? s1perms : s1perms >>> 3) & accessBit(access)) === 0) return this.s1fault(PERMISSION, this.l1level);
      ipa = this.l1out;
    }

    let pa = ipa;
    let s2perms = S2_ALL;
    if (s2) {
      if (!this.stage2(ipa, s2, false, caches)) return false;
      s2perms = s2PermBits(this.l2lo, this.l2hi);
      if ((s2perms >>> 6 & accessBit(access)) === 0) return this.fault(PERMISSION, this.l2level, 2, false, ipa);
      pa = this.l2out;
    }

    o.ipa = ipa;
    o.pa = pa;
    const b1 = hasS1 ? this.l1bits : 64, b2 = s2 ? this.l2bits : 64;
    // both stages off: a flat mapping, reported with the smallest granule
    o.pageShift = Math.min(b1, b2) === 64 ? 12 : Math.min(b1, b2);
    o.s1Size = hasS1 ? POW2[b1]! : 0;
    o.s2Size = s2 ? POW2[b2]! : 0;
    o.s1Level = hasS1 ? this.l1level : -1;
    o.s2Level = s2 ? this.l2level : -1;
    o.perms = s1perms | s2perms;
    const lo = this.l1lo;
    o.attrIndx = hasS1 ? (lo >>> 2) & 7 : -1;
    o.sh = hasS1 ? (lo >>> 8) & 3 : -1;
    o.ns = hasS1 ? ((lo >>> 5) & 1) === 1 : false;
    o.s2MemAttr = s2 ? (this.l2lo >>> 2) & 0xf : -1;
    o.s2Sh = s2 ? (this.l2lo >>> 8) & 3 : -1;
    o.global = !hasS1 || regs.regime === 'el2' || ((lo >>> 11) & 1) === 0;
    o.asid = o.global ? -1 : asid;
    o.vmid = s2 ? s2.vmid : -1;
    return true;
  }

  private fault(kind: number, level: number, stage: 1 | 2, s1ptw: boolean, ipa: number): false {
    const o = this.out;
    o.fault = kind;
    o.faultLevel = level;
    o.faultStage = stage;
    o.s1ptw = s1ptw;
    o.faultIpa = ipa;
    return false;
  }

  private s1fault(kind: number, level: number): false {
    return this.fault(kind, level, 1, false, 0);
  }

  /**
   * A full stage 2 walk of `ipa`, counting fetches; the leaf in l2*. On a fault returns false
   * (stage 2, s1ptw as given). The permission check is the caller's for the final access; a
   * stage 1 table fetch (s1ptw) needs read permission and is checked here.
   */
  private stage2(ipa: number, s2: Stage2Regime, s1ptw: boolean, caches: WalkCaches | undefined): boolean {
    if (s2.fault) return this.fault(kindCode(s2.fault), 0, 2, s1ptw, ipa);
    if (ipa >= POW2[s2.inputBits]!) return this.fault(TRANSLATION, 0, 2, s1ptw, ipa);
    const wc = caches?.s2;
    const r = this.table(2, ipa, s2, wc, wc ? tagBits(2, false, 0, s2.granuleBits) : 0, wc ? idBits(s2.vmid, 0) : 0, undefined, undefined);
    if (r > 0) return this.fault(r, this.failLevel, 2, s1ptw, ipa);
    if (s1ptw && (this.l2lo >>> 6 & 1) === 0) return this.fault(PERMISSION, this.l2level, 2, s1ptw, ipa);
    return true;
  }

  /**
   * One stage's table walk of `input` (already range-checked, reduced to its inputBits): block,
   * page and table decoding, address size checks and AF, through the walk cache `wc` (tagged
   * `tag`, `ids`) when given. Stage 1 under `s2` translates each table address by the nested
   * TLB or a stage 2 walk. Returns 0 with the leaf in l1* or l2*, a fault kind (at failLevel),
   * or -1 for a stage 2 fault on a table fetch (recorded in out).
   */
  private table(
    stage: 1 | 2, input: number, t: TableRegime, wc: WalkCache | undefined, tag: number, ids: number,
    s2: Stage2Regime | undefined, caches: WalkCaches | undefined,
  ): number {
    const g = t.granuleBits, stride = g - 3;
    const src = this.src, f = stage === 1 ? this.out.s1 : this.out.s2;
    let table = t.baseNum;
    let flags = 0;
    let first = t.startLevel;
    if (wc) {
      const s = wc.lookup(tag, ids, g, input, t.startLevel);
      if (s >= 0) {
        flags = wc.flags[s]!;
        table = wc.next[s]!;
        first = wc.level[s]! + 1;
      }
    }
    for (let level = first; level <= 3; level++) {
      const lo = (3 - level) * stride + g;
      const width = level === t.startLevel ? t.inputBits - lo : stride;
      const addr = table + modPow2(Math.floor(input / POW2[lo]!), POW2[width]!) * 8;
      let pa = addr;
      if (s2) {
        const nested = caches?.nested;
        const hit = nested ? nested.lookup(s2.vmid, addr) : -1;
        if (hit >= 0) pa = hit;
        else {
          if (!this.stage2(addr, s2, true, caches)) return -1;
          pa = this.l2out;
          nested?.insert(s2.vmid, addr, pa);
        }
      }
      f[level]!++;
      this.out.total++;
      this.failLevel = level;
      if (!src.read(pa, stage, level)) return EXTERNAL;
      const dlo = src.lo, dhi = src.hi;
      if ((dlo & 1) === 0) return TRANSLATION;
      const isTable = (dlo & 2) !== 0;
      if (!isTable && (level === 3 || !blockAllowed(g, level))) return TRANSLATION;
      // bits 47:0: the output address with the low attribute bits
      const a = (dhi & 0xffff) * TWO32 + (dlo >>> 0);
      if ((dhi & 0xffff) >>> (t.oaBits - 32) !== 0) return ADDRESS_SIZE;
      if (isTable && level < 3) {
        table = a - modPow2(a, POW2[g]!);
        flags |= ((dhi >>> 30) & 1) * AP_TABLE_RO | ((dhi >>> 29) & 1) * AP_TABLE_NO_EL0 | ((dhi >>> 28) & 1) * XN_TABLE | ((dhi >>> 27) & 1) * PXN_TABLE;
        if (wc) wc.insert(tag, ids, g, t.inputBits, input, level, table, flags);
        continue;
      }
      // block (levels 1, 2) or page (level 3)
      if (((dlo >>> 10) & 1) === 0) return ACCESS_FLAG;
      const size = POW2[lo]!;
      const out = a - modPow2(a, size) + modPow2(input, size);
      if (stage === 1) {
        this.l1lo = dlo; this.l1hi = dhi; this.l1level = level; this.l1out = out; this.l1bits = lo; this.l1flags = flags;
      } else {
        this.l2lo = dlo; this.l2hi = dhi; this.l2level = level; this.l2out = out; this.l2bits = lo;
      }
      return 0;
    }
    throw new Error('unreachable: a walk ends by level 3');
  }
}

/** Stage 2 permission bits from S2AP (bits 7:6: write, read) and XN (bit 54). */
function s2PermBits(lo: number, hi: number): number {
  return (((lo >>> 6) & 1) * P_R | ((lo >>> 7) & 1) * P_W | (((hi >>> 22) & 1) ^ 1) * P_X) << 6;
}

/** Stage 1 permission bits of a leaf (Arm ARM AArch64.CheckS1Permission, Armv8.0 without PAN). */
function s1PermBits(lo: number, hi: number, flags: number, el2: boolean, wxn: boolean): number {
  const ap2 = ((lo >>> 7) & 1) === 1 || (flags & AP_TABLE_RO) !== 0;
  const uxn = ((hi >>> 22) & 1) === 1 || (flags & XN_TABLE) !== 0;
  if (el2) {
    // AP[1] and APTable[0] are RES1/ignored, bit 54 is XN, PXN and PXNTable are RES0
    const w = !ap2;
    return (P_R | (w ? P_W : 0) | (!uxn && !(wxn && w) ? P_X : 0)) << 3;
  }
  const ap1 = ((lo >>> 6) & 1) === 1 && (flags & AP_TABLE_NO_EL0) === 0;
  const pxn = ((hi >>> 21) & 1) === 1 || (flags & PXN_TABLE) !== 0;
  const userR = ap1, userW = ap1 && !ap2, privW = !ap2;
  const user = (userR ? P_R : 0) | (userW ? P_W : 0) | (!uxn && !(wxn && userW) ? P_X : 0);
  // memory writable at EL0 is never executable at EL1
  const priv = P_R | (privW ? P_W : 0) | (!pxn && !userW && !(wxn && privW) ? P_X : 0);
  return user | (priv << 3);
}

const allowed = (p: Perms, access: Access) => (access === 'fetch' ? p.x : access === 'write' ? p.w : p.r);

const fetchesOf = (o: WalkOut): Fetches => ({ s1: Array.from(o.s1), s2: Array.from(o.s2), total: o.total });

/** The Translation a walk's `out` describes (for `va`). */
export function translationOf(o: WalkOut, va: bigint): Translation {
  const s1Perms = { user: permsOf(o.perms), priv: permsOf(o.perms >>> 3) };
  const s2Perms = o.s2Size === 0 ? ALL : permsOf(o.perms >>> 6);
  return {
    va, ipa: BigInt(o.ipa), pa: BigInt(o.pa), pageSize: 2 ** o.pageShift, s1PageSize: o.s1Size, s2PageSize: o.s2Size,
    s1Level: o.s1Level, s2Level: o.s2Level, s1Perms, s2Perms,
    perms: { user: and(s1Perms.user, s2Perms), priv: and(s1Perms.priv, s2Perms) },
    attrs: { attrIndx: o.attrIndx, sh: o.sh, ns: o.ns, s2MemAttr: o.s2MemAttr, s2Sh: o.s2Sh },
    asid: o.global ? undefined : o.asid, global: o.global, vmid: o.vmid < 0 ? undefined : o.vmid, fetches: fetchesOf(o),
  };
}

/** The WalkFault a walk's `out` describes (for `va` and the access). */
export function faultOf(o: WalkOut, va: bigint, access: Access): WalkFault {
  const base = {
    kind: KIND_NAMES[o.fault]!, level: o.faultLevel, stage: o.faultStage, s1ptw: o.s1ptw,
    write: access === 'write', fetch: access === 'fetch', va, fetches: fetchesOf(o),
  };
  return o.faultStage === 2 ? { ...base, ipa: BigInt(o.faultIpa) } : base;
}

/**
 * Checks an access against a translation (a TLB hit does this instead of walking). Returns the
 * permission fault (stage 1 first, then stage 2) or undefined.
 */
export function checkAccess(t: Translation, access: Access, el: 0 | 1 | 2): WalkFault | undefined {
  const s1 = el === 0 ? t.s1Perms.user : t.s1Perms.priv;
  const s1ok = allowed(s1, access);
  if (s1ok && allowed(t.s2Perms, access)) return undefined;
  const base = { write: access === 'write', fetch: access === 'fetch', va: t.va, fetches: { s1: [0, 0, 0, 0], s2: [0, 0, 0, 0], total: 0 }, s1ptw: false };
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
  const w = new Walker(new FnDescs(mem));
  const ok = w.walk(Number(va >> 32n), Number(va & 0xffffffffn), ACCESS_CODE[access], el, regs, stage2Regime, caches);
  return ok ? translationOf(w.out, va) : faultOf(w.out, va, access);
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
