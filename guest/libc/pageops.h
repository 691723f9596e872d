// Zeroing and copying whole pages, shared by the kernel (a fresh page, a
// copy-on-write copy: kernel/page.c) and the membw workload, which times
// exactly these loops. Inline, so each caller gets the same loop: a pair of
// 8-byte stores (STP) per 16 bytes; a copy loads and stores 8 bytes at a time,
// two per iteration. `n` is a multiple of 16 and the buffers are 16-byte aligned.
#pragma once
#include <stddef.h>
#include <stdint.h>

static inline void zero_bytes(void *dst, size_t n) {
  uint64_t *p = dst;
  for (size_t i = 0; i < n / 8; i += 2) p[i] = 0, p[i + 1] = 0;
}

static inline void copy_bytes(void *dst, const void *src, size_t n) {
  uint64_t *d = dst;
  const uint64_t *s = src;
  for (size_t i = 0; i < n / 8; i += 2) d[i] = s[i], d[i + 1] = s[i + 1];
}
