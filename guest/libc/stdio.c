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

void print_stats(const struct stat_figure *f, int n) {
  char buf[512];
  size_t len = format(buf, sizeof buf, "stat:");
  for (int i = 0; i < n; i++) {
    const char *c = f[i].name;
    while ((*c >= 'a' && *c <= 'z') || *c == '_') c++;
    if (*c || c == f[i].name) continue; // not a [a-z_]+ name: left out rather than break the line's grammar
    size_t k = format(buf + len, sizeof buf - len, " %s=%lu", f[i].name, (unsigned long)f[i].value);
    if (len + k >= sizeof buf) { // a figure that does not fit is left out whole
      buf[len] = 0;
      break;
    }
    len += k;
  }
  printf("%s\n", buf);
}
