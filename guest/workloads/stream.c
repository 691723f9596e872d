// STREAM-like sequential access in integers: --passes of the triad
// a[i] = b[i] + 3 * c[i] over three arrays sharing --mib MiB.
#include "libc.h"

int main(int argc, char **argv) {
  struct opt o[] = {
    { "mib", 3, 1, 1024, "total size of the three arrays in MiB" },
    { "passes", 4, 1, 1000000, "passes of the triad" },
  };
  parse_opts(argc, argv, o, 2);
  uint64_t n = ((uint64_t)o[0].value << 20) / 24;
  uint64_t *a = map_or_die(n * 8), *b = map_or_die(n * 8), *c = map_or_die(n * 8);
  for (uint64_t i = 0; i < n; i++) b[i] = i, c[i] = n - i;
  for (long p = 0; p < o[1].value; p++) {
    for (uint64_t i = 0; i < n; i++) a[i] = b[i] + 3 * c[i];
    uint64_t *t = b; b = a; a = c; c = t;
  }
  uint64_t sum = 0;
  for (uint64_t i = 0; i < n; i++) sum += a[i] ^ (b[i] << 1) ^ (c[i] << 2);
  printf("stream: mib=%ld passes=%ld words=%lu checksum=0x%016lx\n", o[0].value, o[1].value, n, sum);
  return 0;
}
