#include "libc.h"

int printf(const char *fmt, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  int n = vformat(buf, sizeof buf, fmt, ap);
  va_end(ap);
  write(1, buf, n < (int)sizeof buf ? (size_t)n : sizeof buf - 1);
  return n;
}

void *map_or_die(size_t bytes) {
  void *p = mmap(0, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) {
    printf("mmap of %lu bytes failed\n", (unsigned long)bytes);
    exit(1);
  }
  return p;
}
