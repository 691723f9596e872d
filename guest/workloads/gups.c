// GUPS (HPCC RandomAccess): random read-modify-write of 64-bit words over a
// working set of --mib MiB, demand-paged on first touch. The checksum sums
// every value read, so it depends on the order of updates only.
#include "libc.h"

int main(int argc, char **argv) {
  struct opt o[] = {
    { "mib", 4, 1, 1024, "working set in MiB" },
    { "iters", 100000, 1, 1000000000, "updates" },
    { "seed", 1, 0, 1000000000, "random seed" },
  };
  parse_opts(argc, argv, o, 3);
  uint64_t words = (uint64_t)o[0].value << 17, seed = o[2].value, sum = 0;
  uint64_t *table = map_or_die(words * 8);
  for (long i = 0; i < o[1].value; i++) {
    uint64_t r = rng_next(&seed), *p = &table[r % words];
    sum += *p;
    *p ^= r;
  }
  printf("gups: mib=%ld iters=%ld seed=%ld checksum=0x%016lx\n", o[0].value, o[1].value, o[2].value, sum);
  return 0;
}
