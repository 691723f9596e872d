// ASIDs as Linux allocates them: 8-bit ASIDs (TCR_EL1.AS = 0) tagged with a
// generation; when they run out, a new generation starts with every TLB entry
// flushed, and each address space takes a new ASID when it next runs.
#include "mm.h"
#include "pgtable.h"

#define ASID_BITS 8
#define NUM_ASIDS (1u << ASID_BITS)

extern char reserved_pg_dir[];

static u64 generation = NUM_ASIDS;
static u64 used[NUM_ASIDS / 64];
static unsigned next_asid = 1;

static void new_context(struct mm *mm) {
  for (;;) {
    for (; next_asid < NUM_ASIDS; next_asid++) {
      if (!(used[next_asid / 64] & (1ull << (next_asid % 64)))) {
        used[next_asid / 64] |= 1ull << (next_asid % 64);
        mm->context = generation | next_asid;
        return;
      }
    }
    // roll-over: ASID 0 stays reserved (the empty TTBR0)
    generation += NUM_ASIDS;
    for (unsigned i = 0; i < NUM_ASIDS / 64; i++) used[i] = 0;
    next_asid = 1;
    flush_tlb_all();
  }
}

u16 mm_asid(struct mm *mm) { return mm->context & (NUM_ASIDS - 1); }

void switch_mm(struct mm *mm) {
  if ((mm->context & ~(u64)(NUM_ASIDS - 1)) != generation) new_context(mm);
  write_sysreg(ttbr0_el1, mm->pgd | ((u64)mm_asid(mm) << 48));
  isb();
}

void switch_mm_none(void) {
  write_sysreg(ttbr0_el1, virt_to_phys(reserved_pg_dir));
  isb();
}
