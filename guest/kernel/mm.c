#include "mm.h"
#include "page.h"
#include "pgtable.h"

void mm_init(struct mm *mm) {
  *mm = (struct mm){ 0 };
  mm->pgd = page_alloc();
}

/*
 * Unmapping gathers the cleared entries as Linux's mmu_gather does: clear a
 * batch of descriptors, then one DSB, a TLBI per page, one DSB ISH, and only
 * then free the pages (nothing may reach them through a stale TLB entry).
 */
#define GATHER 64
struct gather { struct mm *mm; int n; u64 va[GATHER], pa[GATHER]; };

static void gather_flush(struct gather *g) {
  if (!g->n) return;
  u16 asid = mm_asid(g->mm);
  dsb(ishst);
  for (int i = 0; i < g->n; i++) __asm__ volatile("tlbi vale1is, %0" : : "r"(tlbi_va(asid, g->va[i])) : "memory");
  dsb(ish);
  isb();
  for (int i = 0; i < g->n; i++) page_put(g->pa[i]);
  g->n = 0;
}

static void unmap_one(u64 *pte, u64 va, void *arg) {
  struct gather *g = arg;
  u64 pa = *pte & PTE_ADDR;
  *(volatile u64 *)pte = 0;
  g->va[g->n] = va;
  g->pa[g->n++] = pa;
  if (g->n == GATHER) gather_flush(g);
}

void mm_unmap(struct mm *mm, u64 start, u64 end) {
  struct gather g = { .mm = mm };
  pte_walk(mm->pgd, start, end, unmap_one, &g);
  gather_flush(&g);
}

static void free_one(u64 *pte, u64 va, void *arg) {
  (void)va, (void)arg;
  page_put(*pte & PTE_ADDR);
}

void mm_release(struct mm *mm) {
  // the caller has switched TTBR0 away; the ASID is never reused in this generation
  for (int i = 0; i < mm->nvmas; i++) pte_walk(mm->pgd, mm->vmas[i].start, mm->vmas[i].end, free_one, 0);
  pgd_free(mm->pgd);
  mm->pgd = 0;
}

struct protect { struct mm *mm; unsigned prot; };

static void protect_one(u64 *pte, u64 va, void *arg) {
  struct protect *p = arg;
  u64 v = mk_pte(*pte & PTE_ADDR, p->prot, (*pte & PTE_AF) != 0);
  // a page still shared copy-on-write stays read-only until its write fault
  if (page_refs(*pte & PTE_ADDR) > 1) v |= PTE_RDONLY;
  set_pte(pte, v);
  flush_tlb_page(mm_asid(p->mm), va);
}

void mm_protect(struct mm *mm, u64 start, u64 end, unsigned prot) {
  struct protect p = { mm, prot };
  pte_walk(mm->pgd, start, end, protect_one, &p);
}

void mm_map_page(struct mm *mm, u64 va, u64 pa, unsigned prot) {
  set_pte(pte_lookup(mm->pgd, va, 1), mk_pte(pa, prot, 0));
}

/*
 * fork: every present page is shared, counted once more, and write-protected
 * in both (Linux's copy_present_pte); the child's entries are old, so its
 * first access to each takes an access-flag fault. One TLBI of the parent's
 * ASID at the end covers the write-protection (flush_tlb_mm).
 */
static void share_one(u64 *pte, u64 va, void *arg) {
  struct mm *child = arg;
  u64 v = *pte | PTE_RDONLY;
  if (v != *pte) set_pte(pte, v);
  page_get(v & PTE_ADDR);
  set_pte(pte_lookup(child->pgd, va, 1), v & ~PTE_AF);
}

void mm_fork(struct mm *parent, struct mm *child) {
  mm_init(child);
  for (int i = 0; i < parent->nvmas; i++) child->vmas[i] = parent->vmas[i];
  child->nvmas = parent->nvmas;
  child->brk_start = parent->brk_start;
  child->brk = parent->brk;
  for (int i = 0; i < parent->nvmas; i++) {
    pte_walk(parent->pgd, parent->vmas[i].start, parent->vmas[i].end, share_one, child);
  }
  flush_tlb_mm(mm_asid(parent));
}
