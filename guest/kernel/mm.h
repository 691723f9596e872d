// A process's address space: its TTBR0 tables, ASID and regions (VMAs).
#pragma once
#include "arch.h"

#define MAX_VMAS 64
/** User space layout: the image at 0x400000, then the heap (brk); mmap grows down from MMAP_TOP, the stack below STACK_TOP. */
#define STACK_TOP 0x0000800000000000ull
/** The stack region starts at STACK_INITIAL and grows down on faults to STACK_SIZE, as Linux's does. */
#define STACK_SIZE (8ull << 20)
#define STACK_INITIAL (128ull << 10)
#define MMAP_TOP (STACK_TOP - STACK_SIZE - (1ull << 30))
#define USER_END STACK_TOP

struct vma { u64 start, end; unsigned prot; };

struct mm {
  u64 pgd;
  /** ASID generation and ASID, as Linux's mm->context.id. */
  u64 context;
  struct vma vmas[MAX_VMAS];
  int nvmas;
  u64 brk_start, brk;
};

// vma.c: the sorted region list
struct vma *vma_find(struct mm *mm, u64 addr);
/** Adds [start, end); 0, or -1 when the list is full. Callers check for overlaps. */
int vma_add(struct mm *mm, u64 start, u64 end, unsigned prot);
/** Splits regions so that none straddles addr; -1 when the list is full. */
int vma_split(struct mm *mm, u64 addr);
void vma_remove(struct mm *mm, u64 start, u64 end);
/** The highest gap of len bytes below MMAP_TOP, or 0. */
u64 vma_gap(struct mm *mm, u64 len);

// mm.c: address-space operations
void mm_init(struct mm *mm);
/** Unmaps everything and frees the tables. */
void mm_release(struct mm *mm);
/** A copy-on-write duplicate of parent (the current address space) in child. */
void mm_fork(struct mm *parent, struct mm *child);
void mm_unmap(struct mm *mm, u64 start, u64 end);
void mm_protect(struct mm *mm, u64 start, u64 end, unsigned prot);
/** Maps one page eagerly (used to load images), old (AF = 0) as fault-around leaves pages. */
void mm_map_page(struct mm *mm, u64 va, u64 pa, unsigned prot);

// asid.c
/** Makes mm the TTBR0 address space, with a fresh ASID when its generation is old. */
void switch_mm(struct mm *mm);
/** TTBR0 to the empty table (no process). */
void switch_mm_none(void);
u16 mm_asid(struct mm *mm);

// fault.c
/** Resolves a user fault at va: 0 when it was handled, -1 when the process has no business there. */
int handle_user_fault(struct mm *mm, u64 va, int write, int exec);
/** A kernel pointer to user memory [va, va + len) within one page, faulting it in as the process would; 0 if invalid. */
void *user_ptr(struct mm *mm, u64 va, u64 len, int write);
