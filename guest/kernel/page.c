#include "page.h"
#include "console.h"
#include "pageops.h"

extern char _end[];

static u64 next_fresh, ram_top, free_list, in_use;
static u16 *refs;

static u64 index_of(u64 pa) { return (pa - RAM_BASE) >> PAGE_SHIFT; }

void page_init(u64 ram_end) {
  ram_top = ram_end;
  u64 first = virt_to_phys(_end);
  u64 count = (ram_end - RAM_BASE) >> PAGE_SHIFT;
  // the reference counts live right after the kernel, one u16 per page of RAM
  refs = phys_to_virt(first);
  u64 table = (count * sizeof(u16) + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
  for (u64 i = 0; i < table / 8; i++) ((u64 *)refs)[i] = 0;
  next_fresh = first + table;
}

static void zero(u64 pa) { zero_bytes(phys_to_virt(pa), PAGE_SIZE); }

u64 page_alloc(void) {
  u64 pa;
  if (free_list) {
    pa = free_list;
    free_list = *(u64 *)phys_to_virt(pa);
  } else if (next_fresh < ram_top) {
    pa = next_fresh;
    next_fresh += PAGE_SIZE;
  } else {
    panic("out of memory (%lu pages in use)\n", in_use);
  }
  zero(pa);
  refs[index_of(pa)] = 1;
  in_use++;
  return pa;
}

void page_get(u64 pa) { refs[index_of(pa)]++; }

unsigned page_refs(u64 pa) { return refs[index_of(pa)]; }

void page_put(u64 pa) {
  if (--refs[index_of(pa)]) return;
  *(u64 *)phys_to_virt(pa) = free_list;
  free_list = pa;
  in_use--;
}

void page_copy(u64 dst, u64 src) {
  copy_bytes(phys_to_virt(dst), phys_to_virt(src), PAGE_SIZE);
}

u64 pages_in_use(void) { return in_use; }
