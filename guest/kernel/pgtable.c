#include "pgtable.h"
#include "page.h"

#define LEVELS 4
#define ENTRIES 512

static unsigned index_at(u64 va, int level) { return (va >> (39 - 9 * level)) & (ENTRIES - 1); }

u64 mk_pte(u64 pa, unsigned prot, int young) {
  u64 v = pa | PTE_VALID | PTE_TABLE | PTE_USER | PTE_SHARED | PTE_NG | PTE_PXN;
  if (!(prot & PROT_WRITE)) v |= PTE_RDONLY;
  if (!(prot & PROT_EXEC)) v |= PTE_UXN;
  if (young) v |= PTE_AF;
  // PROT_NONE: kept, but out of EL0's reach
  if (!(prot & (PROT_READ | PROT_WRITE | PROT_EXEC))) v &= ~PTE_USER;
  return v;
}

void set_pte(u64 *pte, u64 v) {
  *(volatile u64 *)pte = v;
  dsb(ishst);
}

u64 *pte_lookup(u64 pgd, u64 va, int alloc) {
  u64 table = pgd;
  for (int level = 0; level < LEVELS - 1; level++) {
    u64 *entry = (u64 *)phys_to_virt(table) + index_at(va, level);
    if (!(*entry & PTE_VALID)) {
      if (!alloc) return 0;
      set_pte(entry, page_alloc() | PTE_VALID | PTE_TABLE);
    }
    table = *entry & PTE_ADDR;
  }
  return (u64 *)phys_to_virt(table) + index_at(va, LEVELS - 1);
}

static void walk(u64 table, int level, u64 start, u64 end, void (*fn)(u64 *, u64, void *), void *arg) {
  u64 span = 1ull << (39 - 9 * level);
  u64 *t = phys_to_virt(table);
  for (u64 va = start, next; va < end; va = next) {
    next = (va & ~(span - 1)) + span;
    u64 *e = &t[index_at(va, level)];
    if (!(*e & PTE_VALID)) continue;
    if (level == LEVELS - 1) fn(e, va, arg);
    else walk(*e & PTE_ADDR, level + 1, va, next < end ? next : end, fn, arg);
  }
}

void pte_walk(u64 pgd, u64 start, u64 end, void (*fn)(u64 *, u64, void *), void *arg) {
  walk(pgd, 0, start, end, fn, arg);
}

static void free_level(u64 table, int level) {
  u64 *t = phys_to_virt(table);
  if (level < LEVELS - 1) {
    for (unsigned i = 0; i < ENTRIES; i++) if (t[i] & PTE_VALID) free_level(t[i] & PTE_ADDR, level + 1);
  }
  page_put(table);
}

void pgd_free(u64 pgd) { free_level(pgd, 0); }

void flush_tlb_page(u16 asid, u64 va) {
  dsb(ishst);
  __asm__ volatile("tlbi vale1is, %0" : : "r"(tlbi_va(asid, va)) : "memory");
  dsb(ish);
  isb();
}

void flush_tlb_mm(u16 asid) {
  dsb(ishst);
  __asm__ volatile("tlbi aside1is, %0" : : "r"((u64)asid << 48) : "memory");
  dsb(ish);
  isb();
}

void flush_tlb_all(void) {
  dsb(ishst);
  __asm__ volatile("tlbi vmalle1is" : : : "memory");
  dsb(ish);
  isb();
}
