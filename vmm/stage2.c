// Stage 2: guest RAM (IPA 0x4000_0000..) mapped to its host backing with the
// chosen granule and leaf size, up front (map=eager) or on the stage 2
// translation fault of the first touch (map=lazy, bhyve's vm_handle_paging).
// Devices are not mapped: their accesses fault and are emulated (exit.c).
//
// The start level is the one with the fewest levels whose table, concatenated
// up to 16 times, covers the IPA size (VTCR_EL2.T0SZ and SL0), as KVM chooses:
//   4K:  40 bits level 1 (2 tables), 44 bits level 0
//   16K: 40 bits level 2 (16 tables), 44 bits level 1
//   64K: 40 bits level 2, 44 bits level 2 (4 tables)
#include "stats.h"


/* Leaf: MemAttr Normal inner/outer write-back, S2AP read-write, inner shareable, AF. */
#define S2_NORMAL ((0xfull << 2) | (3ull << 6) | (3ull << 8) | (1ull << 10))
#define DESC_VALID 1ull
#define DESC_TABLE 3ull
#define DESC_BLOCK 1ull
#define DESC_PAGE 3ull
#define OA_MASK 0x0000fffffffff000ull

static u64 *root;
static unsigned start_level, start_entries_log2;

static unsigned stride(void) { return opt.granule - 3; }
static unsigned level_shift(unsigned level) { return opt.granule + stride() * (3 - level); }

static void count_map(unsigned shift) {
  switch (shift) {
    case 12: STAT(S2_MAP_4K); break;
    case 14: STAT(S2_MAP_16K); break;
    case 16: STAT(S2_MAP_64K); break;
    case 21: STAT(S2_MAP_2M); break;
    case 25: STAT(S2_MAP_32M); break;
    case 29: STAT(S2_MAP_512M); break;
    case 30: STAT(S2_MAP_1G); break;
  }
}

/** Installs the leaf of 2^shift bytes at ipa (aligned); 0 if something already maps it. */
static int map_leaf(u64 ipa, unsigned shift) {
  u64 *table = root, gsize = 1ull << opt.granule;
  for (unsigned level = start_level;; level++) {
    unsigned ls = level_shift(level);
    unsigned bits = level == start_level ? start_entries_log2 : stride();
    u64 *d = &table[(ipa >> ls) & ((1ull << bits) - 1)];
    if (ls == shift) {
      if (*d & DESC_VALID) return 0;
      *d = (ipa_to_pa(ipa) & OA_MASK) | S2_NORMAL | (level == 3 ? DESC_PAGE : DESC_BLOCK);
      dsb(ishst);
      count_map(shift);
      return 1;
    }
    if (!(*d & DESC_VALID)) {
      u64 *next = heap_alloc(gsize, gsize);
      STAT(S2_TABLES);
      dsb(ishst);                                    /* the zeroed table before the pointer to it */
      *d = (u64)next | DESC_TABLE;
    } else if ((*d & 3) == DESC_BLOCK) {
      return 0;
    }
    table = (u64 *)(*d & OA_MASK & ~(gsize - 1));
  }
}

/** The leaf sizes to try for an aligned chunk, largest first, none above the chosen block. */
static int leaf_fits(u64 base, unsigned shift) {
  u64 end = GUEST_RAM_IPA + opt.guest_mem;
  return base >= GUEST_RAM_IPA && base + (1ull << shift) <= end;
}

static unsigned next_smaller(unsigned shift) {
  return shift == opt.granule ? 0 : shift - stride() < opt.granule ? opt.granule : shift - stride();
}

int stage2_map_fault(u64 ipa) {
  for (unsigned s = opt.block; s; s = next_smaller(s)) {
    u64 base = ipa & ~((1ull << s) - 1);
    if (leaf_fits(base, s)) return map_leaf(base, s);
  }
  return 0;
}

static void map_eager(void) {
  u64 end = GUEST_RAM_IPA + opt.guest_mem;
  for (u64 a = GUEST_RAM_IPA; a < end;) {
    unsigned s = opt.block;
    while ((a & ((1ull << s) - 1)) || !leaf_fits(a, s)) s = next_smaller(s);
    map_leaf(a, s);
    a += 1ull << s;
  }
}

void stage2_init(void) {
  unsigned g = opt.granule, pa_range = read_sysreg(id_aa64mmfr0_el1) & 0xf;
  static const unsigned pa_bits[] = { 32, 36, 40, 42, 44, 48, 52 };
  if (pa_range > 6 || pa_bits[pa_range] < opt.ipa_bits) fatal("ipa_bits=%u is more than the CPU's %u-bit physical addresses", opt.ipa_bits, pa_range > 6 ? 0 : pa_bits[pa_range]);
  unsigned tgran = (read_sysreg(id_aa64mmfr0_el1) >> (g == 12 ? 28 : g == 14 ? 20 : 24)) & 0xf;
  if (g == 12 ? tgran == 0xf : g == 14 ? tgran == 0 : tgran == 0xf) fatal("the CPU has no %s granule", g == 12 ? "4k" : g == 14 ? "16k" : "64k");
  start_level = 3;
  while (opt.ipa_bits - level_shift(start_level) > stride() + 4) start_level--;
  start_entries_log2 = opt.ipa_bits - level_shift(start_level);
  u64 root_size = 8ull << start_entries_log2;
  if (root_size < (1ull << g)) root_size = 1ull << g;
  root = heap_alloc(root_size, root_size);
  STAT(S2_TABLES);
  if (opt.eager) map_eager();
  unsigned sl0 = g == 12 ? 2 - start_level : 3 - start_level;
  unsigned tg0 = g == 12 ? 0 : g == 16 ? 1 : 2;
  unsigned ps = opt.ipa_bits == 40 ? 2 : 4;
  /* RES1 bit 31, PS, TG0, SH0 inner, ORGN0/IRGN0 write-back, SL0, T0SZ */
  u64 vtcr = (1ull << 31) | ((u64)ps << 16) | ((u64)tg0 << 14) | (3ull << 12) | (1ull << 10) | (1ull << 8) | ((u64)sl0 << 6) | (64 - opt.ipa_bits);
  dsb(ish);
  write_sysreg(vtcr_el2, vtcr);
  write_sysreg(vttbr_el2, (u64)root | ((u64)opt.vmid << 48));
  write_sysreg(vpidr_el2, read_sysreg(midr_el1));
  write_sysreg(vmpidr_el2, read_sysreg(mpidr_el1));
  write_sysreg(cptr_el2, 0x33ff);                   /* RES1 bits; nothing trapped */
  write_sysreg(hcr_el2, HCR_GUEST | HCR_VM);
  isb();
  __asm__ volatile("tlbi vmalls12e1is; dsb ish; isb" ::: "memory");
}
