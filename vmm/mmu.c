// The vmm's own EL2 stage 1 translation: an identity map in 1 GiB blocks
// (TTBR0_EL2, 4K granule, 39-bit VA, start level 1): devices below RAM as
// Device-nGnRnE, RAM (up to 16 GiB) as Normal write-back. It goes on first, before
// any C code touches memory. And the page-table heap.
#include "vmm.h"
#include "string.h"

#define MAIR_VAL 0x00ffull                 /* Attr0 Normal WB RA WA, Attr1 Device-nGnRnE */
/* T0SZ 25, IRGN0/ORGN0 write-back, SH0 inner, TG0 4K, PS 40 bits, RES1 bits 31 and 23 */
#define TCR_VAL ((1ull << 31) | (1ull << 23) | (2ull << 16) | (3ull << 12) | (1ull << 10) | (1ull << 8) | 25)
#define SCTLR_RES1 0x30c50830ull
#define SCTLR_M (1ull << 0)
#define SCTLR_C (1ull << 2)
#define SCTLR_SA (1ull << 3)
#define SCTLR_I (1ull << 12)
#define BLOCK_NORMAL ((1ull << 10) | (3ull << 8) | (0ull << 2) | 1)  /* AF, inner shareable, Attr0 */
#define BLOCK_DEVICE ((1ull << 54) | (1ull << 10) | (1ull << 2) | 1)  /* XN, AF, Attr1 */
#define GIB (1ull << 30)
/** Normal memory from RAM_BASE up to here (the largest machine: 2 GiB + 3 GiB of guest). */
#define MAP_END (16 * GIB)

static u64 heap_next = HEAP_BASE;

void *heap_reserve(u64 size, u64 align) {
  u64 p = (heap_next + align - 1) & ~(align - 1);
  if (p + size > HEAP_END || p + size < p) fatal("out of memory for page tables (%lu bytes more)", size);
  heap_next = p + size;
  return (void *)p;
}

void *heap_alloc(u64 size, u64 align) {
  void *p = heap_reserve(size, align);
  memset(p, 0, size);
  return p;
}

void el2_mmu_init(void) {
  u64 *l1 = heap_alloc(4096, 4096);
  l1[0] = 0 | BLOCK_DEVICE;
  for (u64 a = RAM_BASE; a < MAP_END; a += GIB) l1[a / GIB] = a | BLOCK_NORMAL;
  dsb(ish);
  write_sysreg(mair_el2, MAIR_VAL);
  write_sysreg(tcr_el2, TCR_VAL);
  write_sysreg(ttbr0_el2, (u64)l1);
  isb();
  __asm__ volatile("tlbi alle2" ::: "memory");
  dsb(ish);
  isb();
  write_sysreg(sctlr_el2, SCTLR_RES1 | SCTLR_M | SCTLR_C | SCTLR_I | SCTLR_SA);
  isb();
}
