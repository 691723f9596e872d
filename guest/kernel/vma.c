#include "mm.h"

struct vma *vma_find(struct mm *mm, u64 addr) {
  for (int i = 0; i < mm->nvmas; i++) {
    if (addr >= mm->vmas[i].start && addr < mm->vmas[i].end) return &mm->vmas[i];
  }
  return 0;
}

int vma_add(struct mm *mm, u64 start, u64 end, unsigned prot) {
  if (mm->nvmas == MAX_VMAS) return -1;
  int i = mm->nvmas++;
  for (; i > 0 && mm->vmas[i - 1].start > start; i--) mm->vmas[i] = mm->vmas[i - 1];
  mm->vmas[i] = (struct vma){ start, end, prot };
  return 0;
}

int vma_split(struct mm *mm, u64 addr) {
  struct vma *v = vma_find(mm, addr);
  if (!v || v->start == addr) return 0;
  u64 end = v->end;
  unsigned prot = v->prot;
  if (mm->nvmas == MAX_VMAS) return -1;
  v->end = addr;
  return vma_add(mm, addr, end, prot);
}

void vma_remove(struct mm *mm, u64 start, u64 end) {
  int n = 0;
  for (int i = 0; i < mm->nvmas; i++) {
    struct vma *v = &mm->vmas[i];
    if (v->start >= start && v->end <= end) continue;
    mm->vmas[n++] = *v;
  }
  mm->nvmas = n;
}

u64 vma_gap(struct mm *mm, u64 len) {
  u64 top = MMAP_TOP;
  for (int i = mm->nvmas - 1; i >= 0; i--) {
    struct vma *v = &mm->vmas[i];
    if (v->start >= top) continue;
    if (v->end <= top - len) break;
    top = v->start;
  }
  return top >= len && top - len >= mm->brk ? top - len : 0;
}
