// Loading a static ELF64 image into a fresh address space: its PT_LOAD
// segments copied into pages mapped old (AF = 0, as fault-around maps them),
// the rest of each segment demand-zero, then the heap and the stack with
// argc/argv/envp/auxv as Linux lays them out.
#include "exec.h"
#include "mm.h"
#include "page.h"
#include "pgtable.h"
#include "sched.h"
#include "string.h"

struct ehdr { u8 ident[16]; u16 type, machine; u32 version; u64 entry, phoff, shoff; u32 flags; u16 ehsize, phentsize, phnum, shentsize, shnum, shstrndx; };
struct phdr { u32 type, flags; u64 offset, vaddr, paddr, filesz, memsz, align; };

#define PT_LOAD 1
#define EM_AARCH64 183
#define PF_X 1
#define PF_W 2
#define PF_R 4

const struct workload *find_workload(const char *name) {
  for (const struct workload *w = workloads; w < workloads_end; w++) {
    if (!strcmp(w->name, name)) return w;
  }
  return 0;
}

static unsigned seg_prot(u32 flags) {
  return (flags & PF_R ? PROT_READ : 0) | (flags & PF_W ? PROT_WRITE : 0) | (flags & PF_X ? PROT_EXEC : 0);
}

static int load_segment(struct mm *mm, const u8 *image, const struct phdr *p) {
  u64 start = p->vaddr & ~(PAGE_SIZE - 1);
  u64 end = (p->vaddr + p->memsz + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
  unsigned prot = seg_prot(p->flags);
  if (end > MMAP_TOP || vma_find(mm, start) || vma_add(mm, start, end, prot)) return -1;
  for (u64 va = start; va < p->vaddr + p->filesz; va += PAGE_SIZE) {
    u64 pa = page_alloc();
    u64 from = va < p->vaddr ? p->vaddr : va;
    u64 to = va + PAGE_SIZE < p->vaddr + p->filesz ? va + PAGE_SIZE : p->vaddr + p->filesz;
    memcpy((u8 *)phys_to_virt(pa) + (from - va), image + p->offset + (from - p->vaddr), to - from);
    mm_map_page(mm, va, pa, prot);
  }
  if (end > mm->brk_start) mm->brk_start = mm->brk = end;
  return 0;
}

/** The initial stack page: argc, argv[], NULL, envp NULL, auxv AT_NULL, then the strings. */
static u64 setup_stack(struct mm *mm, int argc, char *const argv[]) {
  u64 pa = page_alloc(), page_va = STACK_TOP - PAGE_SIZE;
  u8 *page = phys_to_virt(pa);
  u64 strings = PAGE_SIZE, ptrs[MAX_ARGS];
  for (int i = argc - 1; i >= 0; i--) {
    u64 n = strlen(argv[i]) + 1;
    strings -= n;
    memcpy(page + strings, argv[i], n);
    ptrs[i] = page_va + strings;
  }
  u64 sp = (strings - 8 * (argc + 5)) & ~15ull;
  u64 *w = (u64 *)(page + sp);
  *w++ = argc;
  for (int i = 0; i < argc; i++) *w++ = ptrs[i];
  *w++ = 0;  // argv end
  *w++ = 0;  // envp end
  *w++ = 0;  // AT_NULL
  *w = 0;
  vma_add(mm, STACK_TOP - STACK_INITIAL, STACK_TOP, PROT_READ | PROT_WRITE);
  set_pte(pte_lookup(mm->pgd, page_va, 1), mk_pte(pa, PROT_READ | PROT_WRITE, 1));
  return page_va + sp;
}

int exec_image(struct task *t, const struct workload *w, int argc, char *const argv[]) {
  const struct ehdr *e = (const struct ehdr *)w->start;
  u64 size = w->end - w->start, bytes = 0;
  if (size < sizeof *e || memcmp(e->ident, "\177ELF\2\1", 6) || e->machine != EM_AARCH64 || e->phoff + (u64)e->phnum * sizeof(struct phdr) > size) return -1;
  if (argc > MAX_ARGS) return -1;
  for (int i = 0; i < argc; i++) bytes += strlen(argv[i]) + 1;
  if (bytes > ARG_BYTES) return -1;
  struct mm mm;
  mm_init(&mm);
  const struct phdr *ph = (const struct phdr *)(w->start + e->phoff);
  for (int i = 0; i < e->phnum; i++) {
    if (ph[i].type != PT_LOAD) continue;
    if (ph[i].offset + ph[i].filesz > size || load_segment(&mm, w->start, &ph[i])) {
      mm_release(&mm);  // never in TTBR0: nothing to flush
      return -1;
    }
  }
  u64 sp = setup_stack(&mm, argc, argv);
  if (t->mm.pgd) {
    switch_mm_none();
    mm_release(&t->mm);
  }
  t->mm = mm;
  memset(t->frame, 0, sizeof *t->frame);
  t->frame->pc = e->entry;
  t->frame->sp = sp;
  t->frame->pstate = 0;  // EL0t, interrupts unmasked
  int n = 0;
  for (const char *s = w->name; *s && n < (int)sizeof t->name - 1; s++) t->name[n++] = *s;
  t->name[n] = 0;
  switch_mm(&t->mm);
  return 0;
}
