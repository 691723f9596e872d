// Shadow paging (mode=shadow-wp, mode=shadow-lazy): stage 2 is off and the
// real TTBR0/1_EL1 hold shadow tables that map the guest's VAs straight to host
// PAs. HCR_EL2.TVM/TRVM trap the guest's accesses to its translation controls
// (it reads back its own values, kept here), HCR_EL2.TTLB its TLBIs, and
// HACR_EL2.TS1F routes every stage 1 fault of EL1&0 to EL2, where the guest's
// tables are walked in software:
//   - the guest's own tables say fault: a true fault, injected into its EL1 as
//     the hardware takes it natively;
//   - they translate to a device: MMIO emulated by exit.c's code;
//   - they translate to guest RAM: a hidden fault, the 4K leaf installed.
// Shadow tables: 4K granule, the guest's VA sizes, 4K leaves only, built from
// a private pool of pages. Roots are cached per (guest TTBR, ASID) in a pool of
// `roots` entries with LRU eviction.
//
// shadow-wp: every guest page that a fill's walk went through is a table page,
// mapped read-only in every shadow (a reverse map from guest pages to the shadow
// leaves that map them finds the aliases). A guest store to one exits and is
// emulated, and the shadow entries derived from the changed descriptor (a
// reverse map from table pages to their uses: root, VA base, level) are dropped.
// A page written many times without being walked in between (zeroed, reused as
// data) is unprotected: its derived entries dropped, its mappings writable.
//
// shadow-lazy: the guest's tables stay writable. Invalid→valid changes are
// filled on the next fault; the rest are synced at the guest's TLBI with the
// TLBI's own scope, then the TLBI is performed.
#include "stats.h"
#include "string.h"

struct vsys vs;
/** What the CPU keeps of a write to SCTLR_EL1 and TCR_EL1: the guest reads back what it would natively. */
static u64 sctlr_res1, sctlr_mask, tcr_res1, tcr_mask;

#define SCTLR_M (1ull << 0)
#define SCTLR_WXN (1ull << 19)
#define TCR_EPD0 (1ull << 7)
#define TCR_EPD1 (1ull << 23)
#define TCR_A1 (1ull << 22)
#define TCR_AS (1ull << 36)
#define TCR_TBI0 (1ull << 37)
#define TCR_TBI1 (1ull << 38)
#define MAIR_MMU_OFF 0x44ull           /* Attr0: Normal non-cacheable (the guest's MMU-off accesses) */

#define D_VALID 1ull
#define D_TABLE 2ull
#define D_AP1 (1ull << 6)
#define D_AP2 (1ull << 7)
#define D_AF (1ull << 10)
#define D_NG (1ull << 11)
#define D_PXN (1ull << 53)
#define D_UXN (1ull << 54)
#define D_SW_SHIFT 55                   /* software bits 58:55: the guest leaf's size (see leaf_sizes) */
#define OA_MASK 0x0000fffffffff000ull
/* A shadow leaf keeps the guest's AttrIndx, AP, SH, AF, nG, PXN, UXN. */
#define LEAF_ATTRS ((7ull << 2) | (3ull << 6) | (3ull << 8) | D_AF | D_NG | D_PXN | D_UXN)

/* Permission bits as the walker computes them: EL0 r w x (bits 0-2), EL1 r w x (bits 3-5). */
#define P_R 1
#define P_W 2
#define P_X 4

#define FSC_ADDR_SIZE 0x00
#define FSC_TRANSLATION 0x04
#define FSC_ACCESS_FLAG 0x08
#define FSC_PERMISSION 0x0c
#define FSC_EXT_WALK 0x14

/* ---- the guest's stage 1 in software ---- */

struct gwalk {
  unsigned fsc;          /* 0xff: translated; else the fault status code, level included */
  u64 ipa;               /* the translated IPA of the VA */
  u64 desc;              /* the leaf descriptor */
  unsigned level, shift; /* the leaf's level and log2 size */
  unsigned perms;        /* P_* of EL0 and EL1 (<< 3) */
  int upper;             /* TTBR1's half */
  unsigned ntables;      /* the tables read: guest IPA, level, VA base of the region each covers */
  u64 tipa[4], tva[4];
  u8 tlevel[4];
};

/** 4K, 16K, 64K from TG0 / TG1. */
static unsigned granule_of(u64 tcr, int upper) {
  unsigned tg = upper ? (tcr >> 30) & 3 : (tcr >> 14) & 3;
  return upper ? (tg == 1 ? 14 : tg == 3 ? 16 : 12) : (tg == 2 ? 14 : tg == 1 ? 16 : 12);
}

static unsigned va_bits_of(u64 tcr, int upper) {
  unsigned tsz = upper ? (tcr >> 16) & 0x3f : tcr & 0x3f;
  return 64 - tsz;
}

static unsigned oa_bits(void) {
  static const unsigned bits[] = { 32, 36, 40, 42, 44, 48, 52 };
  unsigned ips = (vs.tcr >> 32) & 7, pa = read_sysreg(id_aa64mmfr0_el1) & 0xf;
  unsigned a = ips > 6 ? 48 : bits[ips], b = pa > 6 ? 48 : bits[pa];
  return a < b ? a : b;
}

static int block_allowed(unsigned g, unsigned level) {
  return g == 12 ? level == 1 || level == 2 : level == 2;
}

/** Stage 1 permissions of a leaf, AArch64.CheckS1Permission for Armv8.0 without PAN. */
static unsigned leaf_perms(u64 d, int wxn) {
  int ap2 = !!(d & D_AP2), ap1 = !!(d & D_AP1), uxn = !!(d & D_UXN), pxn = !!(d & D_PXN);
  int user_w = ap1 && !ap2, priv_w = !ap2;
  unsigned user = (ap1 ? P_R : 0) | (user_w ? P_W : 0) | (!uxn && !(wxn && user_w) ? P_X : 0);
  unsigned priv = P_R | (priv_w ? P_W : 0) | (!pxn && !user_w && !(wxn && priv_w) ? P_X : 0);
  return user | priv << 3;
}

static int read_desc(u64 ipa, u64 *d) {
  if (!ipa_in_ram(ipa)) return -1;
  *d = *(volatile u64 *)ipa_to_pa(ipa);
  return 0;
}

/** Walks the guest's tables for va: `access` (P_R, P_W, P_X) at EL `el`. Never loops: at most 4 levels. */
static void guest_translate(u64 va, unsigned access, int el, struct gwalk *w) {
  w->fsc = 0xff, w->ntables = 0, w->upper = (va >> 55) & 1;
  if (!(vs.sctlr & SCTLR_M)) {
    w->ipa = va, w->desc = D_VALID | D_AF, w->level = 3, w->shift = 12, w->perms = 0x3f;
    if (va >> oa_bits()) w->fsc = FSC_ADDR_SIZE;
    return;
  }
  u64 tcr = vs.tcr;
  int upper = w->upper;
  unsigned vabits = va_bits_of(tcr, upper), g = granule_of(tcr, upper), stride = g - 3;
  int tbi = !!(tcr & (upper ? TCR_TBI1 : TCR_TBI0));
  unsigned top = tbi ? 55 : 63;
  if (vabits < 16 || vabits > 48 || (tcr & (upper ? TCR_EPD1 : TCR_EPD0))) { w->fsc = FSC_TRANSLATION; return; }
  for (unsigned b = vabits; b <= top; b++) {
    if (((va >> b) & 1) != (unsigned)upper) { w->fsc = FSC_TRANSLATION; return; }
  }
  u64 input = va & ((1ull << vabits) - 1);
  unsigned levels = (vabits - g + stride - 1) / stride, start = 4 - levels;
  unsigned oab = oa_bits();
  u64 ttbr = upper ? vs.ttbr1 : vs.ttbr0;
  u64 table = ttbr & 0x0000fffffffffffeull;
  if (table >> oab) { w->fsc = FSC_ADDR_SIZE; return; }
  int ro = 0, noel0 = 0, xn = 0, pxn = 0;
  u64 va_base = 0;
  for (unsigned level = start; level <= 3; level++) {
    unsigned shift = g + stride * (3 - level);
    unsigned bits = level == start ? vabits - shift : stride;
    u64 idx = (input >> shift) & ((1ull << bits) - 1);
    u64 tbase = level == start ? table & ~((8ull << bits) - 1) : table;
    w->tipa[w->ntables] = tbase, w->tlevel[w->ntables] = level, w->tva[w->ntables] = va_base;
    w->ntables++;
    u64 d;
    if (read_desc(tbase + 8 * idx, &d)) { w->fsc = FSC_EXT_WALK + level; w->ntables--; return; }
    if (!(d & D_VALID)) { w->fsc = FSC_TRANSLATION + level; return; }
    int is_table = !!(d & D_TABLE);
    if (!is_table && (level == 3 || !block_allowed(g, level))) { w->fsc = FSC_TRANSLATION + level; return; }
    u64 a = d & 0x0000ffffffffffffull;
    if (a >> oab) { w->fsc = FSC_ADDR_SIZE + level; return; }
    va_base += idx << shift;
    if (is_table && level < 3) {
      table = a & ~((1ull << g) - 1);
      ro |= (d >> 62) & 1, noel0 |= (d >> 61) & 1, xn |= (d >> 60) & 1, pxn |= (d >> 59) & 1;
      continue;
    }
    if (!(d & D_AF)) { w->fsc = FSC_ACCESS_FLAG + level; return; }
    if (ro) d |= D_AP2;
    if (noel0) d &= ~D_AP1;
    if (xn) d |= D_UXN;
    if (pxn) d |= D_PXN;
    w->desc = d, w->level = level, w->shift = shift;
    w->ipa = (a & ~((1ull << shift) - 1)) | (input & ((1ull << shift) - 1));
    w->perms = leaf_perms(d, !!(vs.sctlr & SCTLR_WXN));
    if (!(((el == 0 ? w->perms : w->perms >> 3)) & access)) w->fsc = FSC_PERMISSION + level;
    return;
  }
}

s64 shadow_guest_ipa(u64 va, unsigned access, int el) {
  struct gwalk w;
  guest_translate(va, access, el, &w);
  return w.fsc == 0xff ? (s64)w.ipa : -1;
}

/* ---- shadow table pages: a private pool, reused through a free list after a TLB flush ---- */

#define SPT_MAX 32768u                   /* 128 MiB of shadow tables */
static u64 spt_base;
static u32 spt_next;
static u64 *spt_free, *spt_pending;       /* pending: freed, not yet reusable (walk caches may hold them) */

static u64 *spt_alloc(void) {
  u64 *p;
  if (!spt_free && spt_pending) {
    __asm__ volatile("dsb ishst; tlbi vmalle1is; dsb ish" ::: "memory");
    spt_free = spt_pending, spt_pending = 0;
  }
  if (spt_free) {
    p = spt_free, spt_free = (u64 *)p[0];
  } else {
    if (spt_next == SPT_MAX) return 0;
    p = (u64 *)(spt_base + (u64)spt_next++ * 4096);
  }
  memset(p, 0, 4096);
  return p;
}

static void spt_put(u64 *p) { p[0] = (u64)spt_pending; spt_pending = p; }

/* ---- roots ---- */

#define MAX_ROOTS 66
#define KEY_IDENTITY (~0ull)
struct root {
  u64 key;
  u64 *table;
  u64 lru;
  u32 gen;
  u16 asid;
  u8 used, upper, has_global, has_ng;
  unsigned vabits;
};
static struct root roots[MAX_ROOTS];
static u64 lru_clock;
static struct root *active[2];
static u64 geometry;                      /* the TCR fields the shadows depend on */
static int entered;

static unsigned start_level(unsigned vabits) { return 4 - (vabits - 12 + 8) / 9; }

static void free_tree(u64 *t, unsigned level) {
  if (level < 3) {
    for (unsigned i = 0; i < 512; i++) if ((t[i] & 3) == 3) free_tree((u64 *)(t[i] & OA_MASK), level + 1);
  }
  spt_put(t);
}

static void root_clear(struct root *r) {
  unsigned sl = start_level(r->vabits);
  for (unsigned i = 0; i < 512; i++) {
    if ((r->table[i] & 3) == 3 && sl < 3) free_tree((u64 *)(r->table[i] & OA_MASK), sl + 1);
    r->table[i] = 0;
  }
  r->gen++, r->has_global = 0, r->has_ng = 0;
}

static void root_free(struct root *r) {
  root_clear(r);
  spt_put(r->table);
  r->used = 0, r->table = 0;
}

static void tlbi_all(void) { __asm__ volatile("dsb ishst; tlbi vmalle1is; dsb ish; isb" ::: "memory"); }
static void tlbi_va_all_asids(u64 va) {
  __asm__ volatile("dsb ishst; tlbi vaae1is, %0; dsb ish" : : "r"((va >> 12) & ((1ull << 44) - 1)) : "memory");
}

static void tracking_reset(void);

/** Everything dropped: every root, the reverse maps (out of shadow pages or records). */
static void shadow_reset_all(void) {
  for (unsigned i = 0; i < MAX_ROOTS; i++) if (roots[i].used) root_free(&roots[i]);
  active[0] = active[1] = 0;
  spt_free = 0, spt_pending = 0, spt_next = 0;
  tracking_reset();
  tlbi_all();
  STAT(SHADOW_RESET);
}

/** Roots of TTBR0 (per guest TTBR and ASID) count against the pool of `roots`; TTBR1's and the
 *  MMU-off identity root are few and kept, unless every slot is taken. */
static int pooled(const struct root *r) { return !r->upper && r->key != KEY_IDENTITY; }

static struct root *root_get(u64 key, int upper, u16 asid, unsigned vabits) {
  unsigned used = 0;
  struct root *free_slot = 0, *victim = 0, *any = 0;
  for (unsigned i = 0; i < MAX_ROOTS; i++) {
    struct root *r = &roots[i];
    if (!r->used) { if (!free_slot) free_slot = r; continue; }
    if (r->key == key && r->upper == upper && r->vabits == vabits) {
      STAT(SHADOW_ROOT_HIT);
      r->lru = ++lru_clock;
      return r;
    }
    if (r == active[0] || r == active[1]) continue;
    if (pooled(r)) {
      used++;
      if (!victim || r->lru < victim->lru) victim = r;
    }
    if (!any || r->lru < any->lru) any = r;
  }
  STAT(SHADOW_ROOT_MISS);
  struct root *r = free_slot;
  if (upper || key == KEY_IDENTITY ? !r : used >= opt.roots) {
    victim = upper || key == KEY_IDENTITY || !victim ? any : victim;
    if (victim) {
      STAT(SHADOW_ROOT_EVICT);
      root_free(victim);
      r = victim;
    }
  }
  if (!r) fatal("shadow: no root slot");
  u64 *t = spt_alloc();
  if (!t) {
    shadow_reset_all();
    return root_get(key, upper, asid, vabits);
  }
  *r = (struct root){ .key = key, .table = t, .lru = ++lru_clock, .gen = r->gen + 1, .asid = asid, .used = 1, .upper = upper, .vabits = vabits };
  return r;
}

/** The level 3 slot of va in r's shadow; with alloc, missing tables are made (0 when out of pages). */
static u64 *shadow_slot(struct root *r, u64 va, int alloc) {
  u64 input = va & ((1ull << r->vabits) - 1), *t = r->table;
  for (unsigned level = start_level(r->vabits);; level++) {
    unsigned shift = 12 + 9 * (3 - level);
    u64 *d = &t[(input >> shift) & 511];
    if (level == 3) return d;
    if (!(*d & D_VALID)) {
      if (!alloc) return 0;
      u64 *n = spt_alloc();
      if (!n) return 0;
      dsb(ishst);
      *d = (u64)n | 3;
    }
    t = (u64 *)(*d & OA_MASK);
  }
}

/** Clears the shadow leaves of [start, end) (VA inputs of r's range) under table t at level. */
static int clear_range(u64 *t, unsigned level, u64 tbase, u64 start, u64 end) {
  unsigned shift = 12 + 9 * (3 - level);
  int n = 0;
  u64 first = (start - tbase) >> shift, last = (end - 1 - tbase) >> shift;
  if (last > 511) last = 511;
  for (u64 i = first; i <= last; i++) {
    u64 e = t[i];
    if (!(e & D_VALID)) continue;
    u64 eb = tbase + (i << shift), ee = eb + (1ull << shift);
    if (level < 3 && start <= eb && ee <= end) {
      free_tree((u64 *)(e & OA_MASK), level + 1);
      t[i] = 0;
      n += 2;
    } else if (level < 3) {
      n += clear_range((u64 *)(e & OA_MASK), level + 1, eb, start > eb ? start : eb, end < ee ? end : ee);
    } else {
      t[i] = 0;
      n++;
    }
  }
  return n;
}

static u64 sign_va(struct root *r, u64 input) { return r->upper ? input | ~((1ull << r->vabits) - 1) : input; }

/** Drops r's shadow leaves in [va, va + size) and invalidates them in the TLB. */
static void drop_range(struct root *r, u64 va, u64 size) {
  u64 mask = (1ull << r->vabits) - 1, start = va & mask;
  u64 end = start + size > mask + 1 ? mask + 1 : start + size;
  unsigned sl = start_level(r->vabits);
  int n = clear_range(r->table, sl, 0, start, end);
  if (!n) return;
  dsb(ishst);
  if (n == 1 || size <= 16 * 4096) {
    for (u64 a = start; a < end; a += 4096) tlbi_va_all_asids(sign_va(r, a));
  } else {
    tlbi_all();
  }
}

/* ---- shadow-wp: reverse maps ---- */

struct rec { u64 va; u32 next, gen; u8 root, level; };
#define RECS_MAX (1u << 19)
static struct rec *recs;
static u32 rec_free, rec_next;
static u32 *use_head, *map_head;          /* per guest page: its uses as a table, the shadow leaves that map it */
static u8 *pflags, *wcount;
static u64 guest_pages;
#define PF_PROTECTED 1
#define FLOOD_WRITES 16

static void tracking_reset(void) {
  if (opt.shadow != SHADOW_WP) return;
  rec_free = 0, rec_next = 1;
  memset(use_head, 0, guest_pages * 4);
  memset(map_head, 0, guest_pages * 4);
  memset(pflags, 0, guest_pages);
  memset(wcount, 0, guest_pages);
}

static u32 rec_alloc(void) {
  u32 i;
  if (rec_free) i = rec_free, rec_free = recs[i].next;
  else if (rec_next < RECS_MAX) i = rec_next++;
  else return 0;
  return i;
}

static void rec_put(u32 i) { recs[i].next = rec_free, rec_free = i; }

static int rec_live(const struct rec *e) { return roots[e->root].used && roots[e->root].gen == e->gen; }

static u64 gfn_of(u64 ipa) { return (ipa - GUEST_RAM_IPA) >> 12; }

/** Drops every shadow leaf that maps guest page gfn (they refill with the page's new protection). */
static void drop_maps(u64 gfn) {
  u64 pa = ipa_to_pa(GUEST_RAM_IPA + (gfn << 12));
  for (u32 i = map_head[gfn], next; i; i = next) {
    struct rec *e = &recs[i];
    next = e->next;
    if (rec_live(e)) {
      u64 *s = shadow_slot(&roots[e->root], e->va, 0);
      if (s && (*s & D_VALID) && (*s & OA_MASK) == pa) {
        *s = 0;
        tlbi_va_all_asids(e->va);
      }
    }
    rec_put(i);
  }
  map_head[gfn] = 0;
}

static void unprotect(u64 gfn) {
  for (u32 i = use_head[gfn], next; i; i = next) {
    struct rec *e = &recs[i];
    next = e->next;
    if (rec_live(e)) {
      struct root *r = &roots[e->root];
      unsigned g = granule_of(vs.tcr, r->upper), stride = g - 3;
      drop_range(r, e->va, 1ull << (g + stride * (4 - e->level)));
    }
    rec_put(i);
  }
  use_head[gfn] = 0;
  pflags[gfn] &= ~PF_PROTECTED;
  drop_maps(gfn);
  STAT(SHADOW_PT_UNPROTECT);
}

/** Records that root r's fill walked guest table page gfn at level for VAs from va; 0 when out of records. */
static int note_table(struct root *r, u64 gfn, u64 va, unsigned level) {
  unsigned ri = r - roots;
  u32 *link = &use_head[gfn];
  int live = 0;
  wcount[gfn] = 0;
  while (*link) {
    struct rec *e = &recs[*link];
    if (!rec_live(e)) {
      u32 dead = *link;
      *link = e->next;
      rec_put(dead);
      continue;
    }
    if (e->root == ri && e->va == va && e->level == level) return 1;
    live = 1;
    link = &e->next;
  }
  u32 i = rec_alloc();
  if (!i) return 0;
  recs[i] = (struct rec){ .va = va, .next = use_head[gfn], .gen = r->gen, .root = ri, .level = level };
  use_head[gfn] = i;
  if (!live && !(pflags[gfn] & PF_PROTECTED)) {
    pflags[gfn] |= PF_PROTECTED;
    drop_maps(gfn);
    STAT(SHADOW_PT_PROTECT);
  }
  return 1;
}

static int note_map(struct root *r, u64 gfn, u64 va) {
  u32 i = rec_alloc();
  if (!i) return 0;
  recs[i] = (struct rec){ .va = va, .next = map_head[gfn], .gen = r->gen, .root = r - roots };
  map_head[gfn] = i;
  return 1;
}

/* ---- the real registers ---- */

static void set_real(enum ctx_reg reg, u64 v) {
  if (entered) guest_set(reg, v);
  else guest_ctx.r[reg] = v;
}

static u16 guest_asid(void) {
  u64 t = vs.tcr & TCR_A1 ? vs.ttbr1 : vs.ttbr0;
  return (t >> 48) & (vs.tcr & TCR_AS ? 0xffff : 0xff);
}

static unsigned shadow_vabits(unsigned vabits) { return vabits < 25 ? 25 : vabits > 48 ? 48 : vabits; }

/** Installs the vmm's SCTLR, TCR, TTBRs and MAIR for the guest's virtual ones. */
static void shadow_load(void) {
  u64 sctlr = vs.sctlr | SCTLR_M, tcr, ttbr0 = 0, ttbr1 = 0, mair;
  /* walks write-back inner shareable, 40-bit IPS; TG0 4K, TG1 4K */
  const u64 walk = (1ull << 8) | (1ull << 10) | (3ull << 12) | (1ull << 24) | (1ull << 26) | (3ull << 28) | (2ull << 30) | (2ull << 32);
  if (!(vs.sctlr & SCTLR_M)) {
    tcr = walk | 16 | (16ull << 16) | TCR_EPD1;
    active[0] = root_get(KEY_IDENTITY, 0, 0, 48);
    active[1] = 0;
    ttbr0 = (u64)active[0]->table;
    mair = MAIR_MMU_OFF;
  } else {
    u64 geo = vs.tcr & (0x3full | (3ull << 14) | (0x3full << 16) | (3ull << 30) | TCR_A1 | TCR_AS | TCR_TBI0 | TCR_TBI1);
    geo |= vs.sctlr & SCTLR_WXN;
    if (geo != geometry) {
      for (unsigned i = 0; i < MAX_ROOTS; i++) if (roots[i].used) root_free(&roots[i]);
      active[0] = active[1] = 0;
      tracking_reset();
      tlbi_all();
      geometry = geo;
    }
    unsigned vb0 = shadow_vabits(va_bits_of(vs.tcr, 0)), vb1 = shadow_vabits(va_bits_of(vs.tcr, 1));
    u16 asid = guest_asid();
    tcr = walk | (64 - vb0) | ((u64)(64 - vb1) << 16) | (vs.tcr & (TCR_A1 | TCR_AS | TCR_TBI0 | TCR_TBI1 | TCR_EPD0 | TCR_EPD1));
    /* each root is pinned (active) as soon as it is got, so getting the other cannot evict it */
    active[1] = vs.tcr & TCR_EPD1 ? 0 : root_get(vs.ttbr1 & 0x0000fffffffffffeull, 1, asid, vb1);
    if (vs.tcr & TCR_EPD0) active[0] = 0;
    else active[0] = root_get((vs.ttbr0 & 0x0000fffffffffffeull) | ((u64)asid << 48), 0, asid, vb0);
    if (active[1] && !active[1]->used) active[1] = root_get(vs.ttbr1 & 0x0000fffffffffffeull, 1, asid, vb1);
    if (active[0]) ttbr0 = (u64)active[0]->table | (vs.tcr & TCR_A1 ? 0 : (u64)asid << 48);
    if (active[1]) ttbr1 = (u64)active[1]->table | (vs.tcr & TCR_A1 ? (u64)asid << 48 : 0);
    mair = vs.mair;
  }
  set_real(C_SCTLR, sctlr);
  set_real(C_TCR, tcr);
  set_real(C_TTBR0, ttbr0);
  set_real(C_TTBR1, ttbr1);
  set_real(C_MAIR, mair);
  isb();
}


void shadow_init(u64 sctlr_reset) {
  guest_pages = opt.guest_mem >> 12;
  spt_base = (u64)heap_reserve((u64)SPT_MAX * 4096, 4096);
  if (opt.shadow == SHADOW_WP) {
    recs = heap_reserve((u64)RECS_MAX * sizeof *recs, 64);
    use_head = heap_reserve(guest_pages * 4, 64);
    map_head = heap_reserve(guest_pages * 4, 64);
    pflags = heap_reserve(guest_pages, 64);
    wcount = heap_reserve(guest_pages, 64);
  }
  tracking_reset();
  write_sysreg(sctlr_el1, 0);
  sctlr_res1 = read_sysreg(sctlr_el1);
  write_sysreg(sctlr_el1, ~0ull);
  sctlr_mask = read_sysreg(sctlr_el1);
  write_sysreg(tcr_el1, 0);
  tcr_res1 = read_sysreg(tcr_el1);
  write_sysreg(tcr_el1, ~0ull);
  tcr_mask = read_sysreg(tcr_el1);
  write_sysreg(sctlr_el1, sctlr_reset);
  vs.sctlr = (sctlr_reset & sctlr_mask) | sctlr_res1;
  geometry = ~0ull;
  shadow_load();
  write_sysreg(vttbr_el2, (u64)opt.vmid << 48);
  write_sysreg(vpidr_el2, read_sysreg(midr_el1));
  write_sysreg(vmpidr_el2, read_sysreg(mpidr_el1));
  write_sysreg(cptr_el2, 0x33ff);
  write_sysreg(hacr_el2, 1);                          /* TS1F: stage 1 faults of EL1&0 to EL2 */
  write_sysreg(hcr_el2, HCR_GUEST | HCR_TVM | HCR_TRVM | HCR_TTLB);
  isb();
  __asm__ volatile("tlbi vmalle1is; dsb ish; isb" ::: "memory");
  entered = 1;
}

/* ---- hidden faults: the fill ---- */

static unsigned leaf_size_code(unsigned shift) {
  switch (shift) {
    case 12: return 0;
    case 14: return 1;
    case 16: return 2;
    case 21: return 3;
    case 25: return 4;
    case 29: return 5;
    case 30: return 6;
    default: return 7;                    /* 42 (64K level 1 is not a block): whatever */
  }
}
static const u8 leaf_sizes[8] = { 12, 14, 16, 21, 25, 29, 30, 42 };

/** Installs the shadow leaf of va from the guest's walk w; 0 when out of shadow pages (everything was reset). */
static int fill(u64 va, const struct gwalk *w) {
  struct root *r = active[w->upper];
  if (!(vs.sctlr & SCTLR_M)) r = active[0];
  if (!r) return 1;
  u64 page_ipa = w->ipa & ~0xfffull, gfn = gfn_of(page_ipa);
  if (opt.shadow == SHADOW_WP && (vs.sctlr & SCTLR_M)) {
    for (unsigned i = 0; i < w->ntables; i++) {
      if (!note_table(r, gfn_of(w->tipa[i]), sign_va(r, w->tva[i]), w->tlevel[i])) { shadow_reset_all(); shadow_load(); return 0; }
    }
  }
  u64 *s = shadow_slot(r, va, 1);
  if (!s) { shadow_reset_all(); shadow_load(); return 0; }
  u64 d = w->desc, leaf = ipa_to_pa(page_ipa) | (d & LEAF_ATTRS) | D_AF | 3 | ((u64)leaf_size_code(w->shift) << D_SW_SHIFT);
  if (!(vs.sctlr & SCTLR_M)) leaf = ipa_to_pa(page_ipa) | D_AF | 3 | (3ull << 8);  /* Attr0, RW and executable at EL1 */
  if (opt.shadow == SHADOW_WP && (pflags[gfn] & PF_PROTECTED)) {
    /* read-only, with the execute permissions the guest's writable entry had made explicit */
    unsigned p = w->perms;
    if (!(p & P_X)) leaf |= D_UXN;
    if (!(p & (P_X << 3))) leaf |= D_PXN;
    leaf |= D_AP2;
  }
  if (opt.shadow == SHADOW_WP && !note_map(r, gfn, sign_va(r, va & ~0xfffull))) { shadow_reset_all(); shadow_load(); return 0; }
  u64 old = *s;
  *s = leaf;
  dsb(ishst);
  if (old & D_VALID) tlbi_va_all_asids(va);
  if (!(leaf & D_NG)) r->has_global = 1;
  else r->has_ng = 1;
  STAT(SHADOW_HIDDEN_FILL);
  return 1;
}

/* ---- shadow-wp: a guest store to one of its tables ---- */

struct store { unsigned rt, rt2, rn, rm, size, pair, option, scaled, zva; int wb_rn; s64 wb_imm, off; int use_rm, post; };

/** STR/STUR (immediate, pre/post-index, register offset) and STP/STNP (offset, pre/post-index), DC ZVA.
 *  The address is computed from the registers: FAR of a permission fault taken on a TLB hit is not
 *  the access's own (see the README). */
static int decode_store(u32 w, struct store *s) {
  *s = (struct store){ .rt = w & 31, .rn = (w >> 5) & 31, .wb_rn = -1 };
  if ((w & 0xffffffe0) == 0xd50b7420) { s->zva = 1, s->rn = 32, s->size = 4u << (read_sysreg(dczid_el0) & 0xf); return 0; }
  if ((w & 0x3fc00000) == 0x39000000) {                      /* STR (unsigned offset) */
    s->size = 1u << (w >> 30);
    s->off = (s64)(((w >> 10) & 0xfff) * s->size);
    return 0;
  }
  if ((w & 0x3fe00000) == 0x38000000) {                      /* STUR, STR pre/post-index */
    unsigned idx = (w >> 10) & 3;
    s->size = 1u << (w >> 30);
    if (idx == 2) return -1;                                 /* STTR */
    s->off = ((s64)(((w >> 12) & 0x1ff) << 23)) >> 23;
    if (idx == 1 || idx == 3) s->wb_rn = s->rn, s->wb_imm = s->off;
    s->post = idx == 1;
    return 0;
  }
  if ((w & 0x3fe00c00) == 0x38200800) {                      /* STR (register) */
    s->size = 1u << (w >> 30);
    s->use_rm = 1, s->rm = (w >> 16) & 31, s->option = (w >> 13) & 7, s->scaled = (w >> 12) & 1;
    return 0;
  }
  if ((w & 0x7c400000) == 0x28000000) {                      /* STP/STNP, 32 and 64 bits */
    unsigned opc = w >> 30, idx = (w >> 23) & 3;
    s->size = opc == 2 ? 8 : 4, s->pair = 1, s->rt2 = (w >> 10) & 31;
    s->off = (((s64)(((w >> 15) & 0x7f) << 25)) >> 25) * (s64)s->size;
    if (idx == 1 || idx == 3) s->wb_rn = s->rn, s->wb_imm = s->off;
    s->post = idx == 1;
    return 0;
  }
  return -1;
}

static enum ctx_reg guest_sp_reg(void) { return (read_sysreg(spsr_el2) & 0xf) == 5 ? C_SP_EL1 : C_SP_EL0; }

static u64 store_addr(struct frame *f, const struct store *s) {
  if (s->zva) return (s->rt == 31 ? 0 : f->x[s->rt]) & ~(u64)(s->size - 1);
  u64 base = s->rn == 31 ? guest_get(guest_sp_reg()) : f->x[s->rn];
  if (s->use_rm) {
    u64 m = s->rm == 31 ? 0 : f->x[s->rm];
    switch (s->option) {
      case 2: m = (u32)m; break;
      case 6: m = (u64)(s64)(int32_t)m; break;
      default: break;
    }
    if (s->scaled) m <<= __builtin_ctz(s->size);
    return base + m;
  }
  return s->post ? base : base + (u64)s->off;
}

static int fetch_insn(u32 *insn) {
  s64 ipa = shadow_guest_ipa(read_sysreg(elr_el2), P_X, (read_sysreg(spsr_el2) & 0xf) ? 1 : 0);
  if (ipa < 0 || !ipa_in_ram(ipa)) return -1;
  *insn = *(volatile u32 *)ipa_to_pa(ipa);
  return 0;
}

static int store_of(struct store *s) {
  u32 insn;
  if (fetch_insn(&insn)) return -1;
  return decode_store(insn, s);
}

static int source_el(void) { return (read_sysreg(spsr_el2) & 0xf) ? 1 : 0; }
static int callee(unsigned r) { return r >= 19 && r <= 28; }

/** Emulates the store to guest table page `page_ipa` (FAR's page) and drops what it changed; 0 when not emulated. */
static int pt_write(struct frame *f, u64 far, u64 page_ipa) {
  struct store s;
  u64 gfn = gfn_of(page_ipa);
  if (store_of(&s)) return 0;
  u64 va = store_addr(f, &s);
  unsigned len = s.zva ? s.size : s.size * (s.pair ? 2 : 1);
  if ((va >> 12) != (far >> 12) || (va & 0xfff) + len > 4096) return 0;
  u64 ipa = (page_ipa & ~0xfffull) | (va & 0xfff);
  u64 pa = ipa_to_pa(ipa);
  u64 base8 = pa & ~7ull, n8 = ((pa + len + 7) & ~7ull) - base8;
  u64 old[8];
  if (n8 > 64) return 0;
  for (unsigned i = 0; i < n8 / 8; i++) old[i] = ((volatile u64 *)base8)[i];
  if (s.zva) {
    memset((void *)pa, 0, len);
  } else {
    u64 v1 = s.rt == 31 ? 0 : f->x[s.rt], v2 = s.pair && s.rt2 != 31 ? f->x[s.rt2] : 0;
    u8 *p = (u8 *)pa;
    for (unsigned i = 0; i < s.size; i++) p[i] = v1 >> (8 * i);
    for (unsigned i = 0; s.pair && i < s.size; i++) p[s.size + i] = v2 >> (8 * i);
  }
  dsb(ish);
  for (unsigned i = 0; i < n8 / 8; i++) {
    u64 now = ((volatile u64 *)base8)[i];
    if (now == old[i] || !(old[i] & D_VALID)) continue;
    unsigned idx = ((base8 & 0xfff) >> 3) + i;
    for (u32 k = use_head[gfn]; k; k = recs[k].next) {
      struct rec *e = &recs[k];
      if (!rec_live(e)) continue;
      struct root *r = &roots[e->root];
      unsigned g = granule_of(vs.tcr, r->upper), stride = g - 3, shift = g + stride * (3 - e->level);
      drop_range(r, e->va + ((u64)(idx & ((1u << stride) - 1)) << shift), 1ull << shift);
    }
  }
  if (s.wb_rn == 31) guest_set(guest_sp_reg(), guest_get(guest_sp_reg()) + s.wb_imm);
  else if (s.wb_rn >= 0) f->x[s.wb_rn] += s.wb_imm;
  write_sysreg(elr_el2, read_sysreg(elr_el2) + 4);
  STAT(SHADOW_PT_WRITE);
  if (++wcount[gfn] >= FLOOD_WRITES) unprotect(gfn);
  return 1;
}

/* ---- the exits ---- */



static unsigned access_of(u64 esr, int insn) {
  if (insn) return P_X;
  if (esr & (1u << 8)) return P_R;                            /* cache maintenance: read permission */
  return esr & (1u << 6) ? P_W : P_R;
}

int shadow_abort_needs_regs(u64 esr, int insn) {
  if (insn) return 0;
  struct gwalk w;
  u64 far = read_sysreg(far_el2);
  guest_translate(far, access_of(esr, 0), source_el(), &w);
  if (w.fsc != 0xff) return 0;
  if (is_device(w.ipa)) return abort_needs_regs_dev(esr);
  if (opt.shadow == SHADOW_WP && ipa_in_ram(w.ipa) && (esr & (1u << 6)) && (pflags[gfn_of(w.ipa)] & PF_PROTECTED)) {
    struct store s;
    if (store_of(&s)) return 0;
    return callee(s.rt) || (s.pair && callee(s.rt2)) || callee(s.rn) || (s.use_rm && callee(s.rm));
  }
  return 0;
}

void shadow_abort(struct frame *f, u64 esr, int insn) {
  u64 far = read_sysreg(far_el2);
  unsigned access = access_of(esr, insn), real_type = (esr >> 2) & 0xf;
  struct gwalk w;
  guest_translate(far, access, source_el(), &w);
  if (w.fsc != 0xff) {
    STAT(SHADOW_TRUE_FAULT);
    inject_abort(insn, far, !insn && (esr & (1u << 6)), w.fsc, esr & (1u << 8));
    return;
  }
  if (!ipa_in_ram(w.ipa)) {
    if (!insn && is_device(w.ipa)) { mmio_emulate(f, esr, w.ipa); return; }
    STAT(MMIO_UNMAPPED);
    inject_abort(insn, far, !insn && (esr & (1u << 6)), 0x10, esr & (1u << 8));
    return;
  }
  u64 gfn = gfn_of(w.ipa);
  if (opt.shadow == SHADOW_WP && real_type == 3 && access == P_W && (pflags[gfn] & PF_PROTECTED)) {
    if (pt_write(f, far, w.ipa)) return;
    unprotect(gfn);                                            /* a store we do not emulate: the page goes back to data */
    return;
  }
  fill(far, &w);
}

/* ---- trapped system register accesses and TLBIs ---- */

static void tlbi_sync(unsigned crm, unsigned op2, u64 x) {
  u64 va = (x & ((1ull << 44) - 1)) << 12;
  if (va & (1ull << 55)) va |= 0xff00000000000000ull;
  u16 asid = x >> 48;
  if (!(vs.tcr & TCR_AS)) asid &= 0xff;
  int upper = (va >> 55) & 1;
  if (opt.shadow == SHADOW_LAZY) {
    for (unsigned i = 0; i < MAX_ROOTS; i++) {
      struct root *r = &roots[i];
      if (!r->used || r->key == KEY_IDENTITY) continue;
      switch (op2) {
        case 0: root_clear(r); break;                                         /* VMALLE1 */
        case 2: if ((!r->upper && r->asid == asid) || (r->upper && r->has_ng)) root_clear(r); break;  /* ASIDE1 */
        case 1: case 5:                                                       /* VAE1, VALE1 */
          if (r->upper != upper || !(r->upper || r->asid == asid || r->has_global)) break;
          /* fallthrough */
        case 3: case 7: {                                                     /* VAAE1, VAALE1 */
          if (r->upper != upper) break;
          u64 *s = shadow_slot(r, va, 0);
          unsigned shift = s && (*s & D_VALID) ? leaf_sizes[(*s >> D_SW_SHIFT) & 7] : 12;
          if (s && (*s & D_VALID)) {
            u64 sz = 1ull << shift;
            if (sz <= 4096) *s = 0;
            else drop_range(r, va & ~(sz - 1), sz);
          }
          break;
        }
      }
    }
  }
  dsb(ishst);
  switch (op2) {
    case 0: __asm__ volatile("tlbi vmalle1is" ::: "memory"); break;
    case 1: __asm__ volatile("tlbi vae1is, %0" : : "r"(x) : "memory"); break;
    case 2: __asm__ volatile("tlbi aside1is, %0" : : "r"(x) : "memory"); break;
    case 3: __asm__ volatile("tlbi vaae1is, %0" : : "r"(x) : "memory"); break;
    case 5: __asm__ volatile("tlbi vale1is, %0" : : "r"(x) : "memory"); break;
    case 7: __asm__ volatile("tlbi vaale1is, %0" : : "r"(x) : "memory"); break;
    default: __asm__ volatile("tlbi vmalle1is" ::: "memory"); break;
  }
  dsb(ish);
  (void)crm;
}

/** A trapped MSR/MRS or TLBI; 0 when it is not one of shadow paging's. */
int shadow_sysreg(struct frame *f, u64 esr) {
  unsigned op0 = (esr >> 20) & 3, op2 = (esr >> 17) & 7, op1 = (esr >> 14) & 7, crn = (esr >> 10) & 15;
  unsigned rt = (esr >> 5) & 31, crm = (esr >> 1) & 15, read = esr & 1;
  u64 x = rt == 31 ? 0 : f->x[rt];
  if (op0 == 1 && op1 == 0 && crn == 8 && !read) {
    STAT(SHADOW_TLBI_SYNC);
    tlbi_sync(crm, op2, x);
    write_sysreg(elr_el2, read_sysreg(elr_el2) + 4);
    return 1;
  }
  if (op0 != 3 || op1 != 0 || crn == 0) return 0;
  enum ctx_reg live = C_NREGS;
  u64 *virt = 0;
  switch (crn << 8 | crm << 4 | op2) {
    case 0x100: virt = &vs.sctlr; break;
    case 0x200: virt = &vs.ttbr0; break;
    case 0x201: virt = &vs.ttbr1; break;
    case 0x202: virt = &vs.tcr; break;
    case 0xa20: virt = &vs.mair; break;
    case 0xa30: live = C_AMAIR; break;
    case 0xd01: live = C_CONTEXTIDR; break;
    case 0x510: live = C_AFSR0; break;
    case 0x511: live = C_AFSR1; break;
    case 0x520: live = C_ESR; break;
    case 0x600: live = C_FAR; break;
    default: return 0;
  }
  if (read) {
    STAT(SHADOW_SYSREG_READ);
    if (rt != 31) f->x[rt] = virt ? *virt : guest_get(live);
  } else {
    STAT(SHADOW_SYSREG_WRITE);
    if (virt) {
      *virt = virt == &vs.sctlr ? (x & sctlr_mask) | sctlr_res1 : virt == &vs.tcr ? (x & tcr_mask) | tcr_res1 : x;
      if (virt == &vs.ttbr0 || virt == &vs.ttbr1) STAT(SHADOW_ROOT_SWITCH);
      shadow_load();
    } else {
      guest_set(live, x);
    }
  }
  write_sysreg(elr_el2, read_sysreg(elr_el2) + 4);
  return 1;
}
