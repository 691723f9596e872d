#include "string.h"
#include <stdint.h>

/** Word accesses when both ends are 8-byte aligned (pages, frames, structures). */
typedef uint64_t __attribute__((may_alias)) word;

static int aligned(const void *a, const void *b) { return !(((uintptr_t)a | (uintptr_t)b) & 7); }

/** Copies forwards, so it is also memmove's copy when dst is below src. */
void *memcpy(void *dst, const void *src, size_t n) {
  unsigned char *d = dst;
  const unsigned char *s = src;
  if (aligned(d, s)) {
    for (; n >= 8; n -= 8, d += 8, s += 8) *(word *)d = *(const word *)s;
  }
  while (n--) *d++ = *s++;
  return dst;
}

void *memmove(void *dst, const void *src, size_t n) {
  unsigned char *d = dst;
  const unsigned char *s = src;
  if (d < s) return memcpy(dst, src, n);
  while (n--) d[n] = s[n];
  return dst;
}

void *memset(void *dst, int c, size_t n) {
  unsigned char *d = dst;
  if (aligned(d, d)) {
    word v = 0x0101010101010101ull * (unsigned char)c;
    for (; n >= 8; n -= 8, d += 8) *(word *)d = v;
  }
  while (n--) *d++ = (unsigned char)c;
  return dst;
}

int memcmp(const void *a, const void *b, size_t n) {
  const unsigned char *x = a, *y = b;
  for (; n; n--, x++, y++) if (*x != *y) return *x - *y;
  return 0;
}

size_t strlen(const char *s) {
  size_t n = 0;
  while (s[n]) n++;
  return n;
}

int strcmp(const char *a, const char *b) {
  while (*a && *a == *b) a++, b++;
  return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n) {
  for (; n; n--, a++, b++) {
    if (*a != *b) return (unsigned char)*a - (unsigned char)*b;
    if (!*a) return 0;
  }
  return 0;
}
