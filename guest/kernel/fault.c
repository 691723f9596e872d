// User page faults: demand-zero pages, the software access flag, copy on write.
#include "mm.h"
#include "page.h"
#include "pgtable.h"

/** Copy on write: the last sharer just regains write access; otherwise a copy replaces the page, break-before-make. */
static void cow(struct mm *mm, u64 *pte, u64 va, unsigned prot) {
  u64 old = *pte & PTE_ADDR;
  if (page_refs(old) == 1) {
    set_pte(pte, mk_pte(old, prot, 1));
    flush_tlb_page(mm_asid(mm), va);
    return;
  }
  u64 copy = page_alloc();
  page_copy(copy, old);
  set_pte(pte, 0);
  flush_tlb_page(mm_asid(mm), va);
  set_pte(pte, mk_pte(copy, prot, 1));
  page_put(old);
}

/** The stack region, grown down to cover va when va is within the stack limit. */
static struct vma *grow_stack(struct mm *mm, u64 va) {
  struct vma *stack = vma_find(mm, STACK_TOP - 1);
  if (!stack || va < STACK_TOP - STACK_SIZE || va >= stack->start) return 0;
  stack->start = va & ~(PAGE_SIZE - 1);
  return stack;
}

int handle_user_fault(struct mm *mm, u64 va, int write, int exec) {
  struct vma *v = vma_find(mm, va);
  if (!v && !(v = grow_stack(mm, va))) return -1;
  if ((write && !(v->prot & PROT_WRITE)) || (exec && !(v->prot & PROT_EXEC)) || !(v->prot & (PROT_READ | PROT_WRITE | PROT_EXEC))) {
    return -1;
  }
  va &= ~(PAGE_SIZE - 1);
  u64 *pte = pte_lookup(mm->pgd, va, 1);
  if (!(*pte & PTE_VALID)) {
    set_pte(pte, mk_pte(page_alloc(), v->prot, 1));
    return 0;
  }
  if (!(*pte & PTE_AF)) {
    // Armv8.0 has no hardware access flag: the fault is the access being recorded
    set_pte(pte, *pte | PTE_AF);
    if (!write || !(*pte & PTE_RDONLY)) return 0;
  }
  if (write && (*pte & PTE_RDONLY)) {
    cow(mm, pte, va, v->prot);
    return 0;
  }
  // spurious: the entry already allows the access; a stale TLB entry faulted
  flush_tlb_page(mm_asid(mm), va);
  return 0;
}

void *user_ptr(struct mm *mm, u64 va, u64 len, int write) {
  if (va >= USER_END || len > PAGE_SIZE - (va & (PAGE_SIZE - 1))) return 0;
  u64 *pte = pte_lookup(mm->pgd, va, 0);
  int ok = pte && (*pte & PTE_VALID) && (*pte & PTE_AF) && (*pte & PTE_USER) && !(write && (*pte & PTE_RDONLY));
  if (!ok) {
    if (handle_user_fault(mm, va, write, 0)) return 0;
    pte = pte_lookup(mm->pgd, va, 0);
  }
  return phys_to_virt((*pte & PTE_ADDR) | (va & (PAGE_SIZE - 1)));
}
