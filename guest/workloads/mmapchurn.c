// Page-table churn: --iters times map --pages anonymous pages, write one word
// in each (a demand fault per page), then unmap them (a TLBI per page).
// --work adds that many loop steps between rounds to lower the churn rate.
#include "libc.h"

int main(int argc, char **argv) {
  struct opt o[] = {
    { "pages", 16, 1, 65536, "pages mapped and touched per round" },
    { "iters", 100, 1, 100000000, "rounds" },
    { "work", 0, 0, 1000000000, "busy-loop steps between rounds" },
  };
  parse_opts(argc, argv, o, 3);
  uint64_t sum = 0, seed = 1;
  size_t bytes = (size_t)o[0].value * PAGE_SIZE;
  for (long i = 0; i < o[1].value; i++) {
    uint64_t *m = map_or_die(bytes);
    for (long p = 0; p < o[0].value; p++) m[p * (PAGE_SIZE / 8)] = i + p;
    for (long p = 0; p < o[0].value; p++) sum += m[p * (PAGE_SIZE / 8)];
    if (munmap(m, bytes)) {
      printf("mmapchurn: munmap failed\n");
      return 1;
    }
    for (long w = 0; w < o[2].value; w++) sum ^= rng_next(&seed) & 1;
  }
  printf("mmapchurn: pages=%ld iters=%ld work=%ld checksum=0x%016lx\n", o[0].value, o[1].value, o[2].value, sum);
  return 0;
}
