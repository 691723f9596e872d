// Physical pages: a free list over the RAM after the kernel, with a reference
// count per page (a page shared copy-on-write is counted once per mapping).
#pragma once
#include "arch.h"

void page_init(u64 ram_end);
/** A zeroed page's physical address; panics when memory is exhausted. */
u64 page_alloc(void);
void page_get(u64 pa);
unsigned page_refs(u64 pa);
/** Drops one reference; the page is free when none is left. */
void page_put(u64 pa);
void page_copy(u64 dst, u64 src);
/** Pages allocated and never freed, for the summary. */
u64 pages_in_use(void);
