// User page tables (TTBR0, 4 levels of 4K tables, 48-bit VA) and their TLB
// maintenance the way Linux does it on arm64.
#pragma once
#include "arch.h"

#define PTE_VALID (1ull << 0)
#define PTE_TABLE (1ull << 1)            /* at level 3: a page */
#define PTE_USER (1ull << 6)             /* AP[1]: EL0 access */
#define PTE_RDONLY (1ull << 7)           /* AP[2] */
#define PTE_SHARED (3ull << 8)           /* inner shareable */
#define PTE_AF (1ull << 10)
#define PTE_NG (1ull << 11)
#define PTE_PXN (1ull << 53)
#define PTE_UXN (1ull << 54)
#define PTE_ADDR 0x0000fffffffff000ull

#define PROT_READ 1
#define PROT_WRITE 2
#define PROT_EXEC 4

/** A user page's descriptor: never executable at EL1, not global (it has the ASID). */
u64 mk_pte(u64 pa, unsigned prot, int young);
/** The level 3 entry of va, or 0 without its tables (created with `alloc`). */
u64 *pte_lookup(u64 pgd, u64 va, int alloc);
/** Calls fn on each level 3 entry that is valid in [start, end), skipping absent tables. */
void pte_walk(u64 pgd, u64 start, u64 end, void (*fn)(u64 *pte, u64 va, void *arg), void *arg);
/** Frees the tables below pgd (not the pages they map) and pgd itself. */
void pgd_free(u64 pgd);
/** Stores a descriptor and makes it visible to the table walker. */
void set_pte(u64 *pte, u64 v);

/** The operand of TLBI VAE1IS/VALE1IS: ASID and page number. */
static inline u64 tlbi_va(u16 asid, u64 va) { return ((u64)asid << 48) | ((va >> PAGE_SHIFT) & ((1ull << 44) - 1)); }
void flush_tlb_page(u16 asid, u64 va);
void flush_tlb_mm(u16 asid);
void flush_tlb_all(void);
