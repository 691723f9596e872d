// Every TLBI operation's scope, as the spec declares it (spec/sysregs/ops-tlbi.yaml) and as
// each structure matches it: the TLBs' combined entries, the stage 1 and stage 2 walk caches
// and the nested TLB. Each operation runs over the same population of entries, tagged so that
// every dimension of a scope (regime, VMID, ASID, global, address, stage, level) tells some apart.
import { describe, expect, it } from 'vitest';
import { TLBI_SCOPES } from '../src/generated/sysregs.js';
import { TlbHierarchy, decodeTlbi, tlbi } from '../src/mmu/tlb.js';
import { NestedTlb, WalkCache, idBits, tagBits, walkCacheMatches } from '../src/mmu/walk-cache.js';
import type { Perms, Translation } from '../src/mmu/walker.js';

const ALL: Perms = { r: true, w: true, x: true };
const P = 0x4000_0000n, Q = 0x8000_0000n, R = 0xc000_0000n; // VA pages (each in its own 2 MiB region)
const I = 0x1_0000_0000n, J = 0x2_0000_0000n; // IPAs (each in its own 2 MiB region)

function tr(va: bigint, o: { asid?: number; vmid?: number; ipa?: bigint } = {}): Translation {
  const ipa = o.ipa ?? va;
  return {
    va, ipa, pa: ipa + 0x1000_0000n, pageSize: 4096, s1PageSize: 4096, s2PageSize: o.vmid !== undefined ? 4096 : 0,
    s1Level: 3, s2Level: o.vmid !== undefined ? 3 : -1, s1Perms: { user: ALL, priv: ALL }, s2Perms: ALL, perms: { user: ALL, priv: ALL },
    attrs: { attrIndx: 0, sh: 0, ns: false, s2MemAttr: -1, s2Sh: -1 },
    asid: o.asid, global: o.asid === undefined, vmid: o.vmid, fetches: { s1: [0, 0, 0, 0], s2: [0, 0, 0, 0], total: 0 },
  };
}

/** The TLB population: name -> [translation, regime, VMID tag]. */
const TLB_ENTRIES: Record<string, [Translation, 'el10' | 'el2', number]> = {
  A: [tr(P, { asid: 1, vmid: 5, ipa: I }), 'el10', 5], // non-global, ASID 1, built with stage 2 (IPA I)
  B: [tr(P), 'el10', 5], // global, same page
  C: [tr(Q, { asid: 2 }), 'el10', 5], // another page, another ASID
  D: [tr(P, { asid: 1 }), 'el10', 7], // another VMID
  E: [tr(P), 'el2', 0],
  F: [tr(Q), 'el2', 0],
  G: [tr(R, { asid: 1, vmid: 5, ipa: J }), 'el10', 5], // ASID 1 elsewhere, stage 2 IPA J
};

/** The walk cache and nested TLB population. */
function walkCaches() {
  const s1 = new WalkCache(16), s2 = new WalkCache(16), nested = new NestedTlb(16);
  const s1el10 = tagBits(1, false, 0, 12), s1el2 = tagBits(1, true, 0, 12), s2t = tagBits(2, false, 0, 12);
  const put = (c: WalkCache, tag: number, ids: number, input: bigint) => c.insert(tag, ids, 12, 48, Number(input), 2, 0x5000_0000, 0);
  put(s1, s1el10, idBits(5, 1), P); // w1
  put(s1, s1el10, idBits(5, 2), Q); // w2
  put(s1, s1el10, idBits(7, 1), P); // w3
  put(s1, s1el2, idBits(0, 0), P); // w4
  put(s2, s2t, idBits(5, 0), I); // w5
  put(s2, s2t, idBits(7, 0), I); // w6
  nested.insert(5, Number(I), 0x9000_0000); // n1
  nested.insert(7, Number(I), 0x9000_0000); // n2
  const has = (c: WalkCache, tag: number, ids: number, input: bigint) => c.lookup(tag, ids, 12, Number(input), 2) >= 0;
  const present = () => [
    ...(has(s1, s1el10, idBits(5, 1), P) ? ['w1'] : []), ...(has(s1, s1el10, idBits(5, 2), Q) ? ['w2'] : []),
    ...(has(s1, s1el10, idBits(7, 1), P) ? ['w3'] : []), ...(has(s1, s1el2, idBits(0, 0), P) ? ['w4'] : []),
    ...(has(s2, s2t, idBits(5, 0), I) ? ['w5'] : []), ...(has(s2, s2t, idBits(7, 0), I) ? ['w6'] : []),
    ...(nested.lookup(5, Number(I)) >= 0 ? ['n1'] : []), ...(nested.lookup(7, Number(I)) >= 0 ? ['n2'] : []),
  ];
  return { caches: [s1, s2, nested], present };
}

const CTX = { vmid: 5, asid16: false };
/** Xt: ASID 1 and VA page P, or IPA I for the IPA forms. */
const xtOf = (op: string) => (op.startsWith('IPAS2') ? I >> 12n : (1n << 48n) | (P >> 12n));

/** What each operation removes (IS forms: the same), from the Arm ARM's scopes. */
const EXPECTED: Record<string, { tlb: string[]; walk: string[] }> = {
  VMALLE1: { tlb: ['A', 'B', 'C', 'G'], walk: ['w1', 'w2'] },
  VAE1: { tlb: ['A', 'B'], walk: ['w1'] },
  VALE1: { tlb: ['A', 'B'], walk: [] },
  VAAE1: { tlb: ['A', 'B'], walk: ['w1'] },
  VAALE1: { tlb: ['A', 'B'], walk: [] },
  ASIDE1: { tlb: ['A', 'G'], walk: ['w1'] },
  IPAS2E1: { tlb: ['A'], walk: ['w5', 'n1'] },
  IPAS2LE1: { tlb: ['A'], walk: ['n1'] },
  VMALLS12E1: { tlb: ['A', 'B', 'C', 'G'], walk: ['w1', 'w2', 'w5', 'n1'] },
  ALLE1: { tlb: ['A', 'B', 'C', 'D', 'G'], walk: ['w1', 'w2', 'w3', 'w5', 'w6', 'n1', 'n2'] },
  ALLE2: { tlb: ['E', 'F'], walk: ['w4'] },
  VAE2: { tlb: ['E'], walk: ['w4'] },
  VALE2: { tlb: ['E'], walk: [] },
};

describe('TLBI scopes from the spec', () => {
  it('every TLBI operation of the spec has a scope, and the IS forms the scope of the local ones', () => {
    const ops = Object.keys(TLBI_SCOPES);
    expect(ops.length).toBe(26);
    for (const op of ops.filter((o) => o.endsWith('IS'))) expect(TLBI_SCOPES[op], op).toEqual(TLBI_SCOPES[op.slice(0, -2)]);
    expect(new Set(ops.map((o) => o.replace(/IS$/, '')))).toEqual(new Set(Object.keys(EXPECTED)));
  });

  for (const op of Object.keys(TLBI_SCOPES)) {
    const base = op.replace(/IS$/, '');
    it(`${op}: the TLBs, the walk caches and the nested TLB lose exactly its scope`, () => {
      const h = new TlbHierarchy({ l1i: { entries: 8, latency: 0 }, l1d: { entries: 8, latency: 0 }, l2: { entries: 64, latency: 0 } });
      const names = (it: Iterable<{ regime: string; vmid: number; asid: number | undefined; vaBase: bigint }>) => {
        const es = [...it];
        return Object.keys(TLB_ENTRIES).filter((n) => {
          const [t, regime, vmid] = TLB_ENTRIES[n]!;
          return es.some((e) => e.regime === regime && e.vmid === (regime === 'el2' ? 0 : vmid) && e.asid === (regime === 'el2' ? undefined : t.asid) && e.vaBase === t.va);
        });
      };
      for (const [t, regime, vmid] of Object.values(TLB_ENTRIES)) h.l2.insert(t, regime, vmid);
      expect(names(h.l2.all())).toEqual(Object.keys(TLB_ENTRIES));
      tlbi(h, op, xtOf(op), CTX);
      const gone = Object.keys(TLB_ENTRIES).filter((n) => !names(h.l2.all()).includes(n));
      expect(gone).toEqual(EXPECTED[base]!.tlb);
      expect(h.tlbiCounts).toEqual({ [op]: 1 });

      const w = walkCaches();
      const before = w.present();
      const r = decodeTlbi(op, xtOf(op), CTX);
      for (const c of w.caches) c.invalidate((tag, b, size) => walkCacheMatches(r, tag, b, size));
      const after = w.present();
      expect(before.filter((n) => !after.includes(n))).toEqual(EXPECTED[base]!.walk);
    });
  }

  it('an operation without a declared scope is refused', () => {
    expect(() => decodeTlbi('VAE3', 0n, CTX)).toThrow(/TLBI VAE3/);
  });
});
