// Dependent loads: one random cycle (Sattolo's shuffle) through --mib MiB of
// 64-byte nodes, followed --iters steps. Each load's address is the previous
// load's value, so nothing overlaps: latency-bound, TLB- and cache-hungry.
#include "libc.h"

#define NODE_WORDS 8

int main(int argc, char **argv) {
  struct opt o[] = {
    { "mib", 4, 1, 1024, "working set in MiB" },
    { "iters", 100000, 1, 1000000000, "loads" },
    { "seed", 1, 0, 1000000000, "random seed" },
  };
  parse_opts(argc, argv, o, 3);
  uint64_t nodes = (uint64_t)o[0].value << 14, seed = o[2].value;
  uint64_t *heap = map_or_die(nodes * NODE_WORDS * 8);
  sattolo_cycle(heap, nodes, NODE_WORDS, &seed);
  uint64_t p = 0, sum = 0;
  for (long i = 0; i < o[1].value; i++) {
    p = heap[p * NODE_WORDS];
    sum += p;
  }
  printf("ptrchase: mib=%ld iters=%ld seed=%ld last=%lu checksum=0x%016lx\n", o[0].value, o[1].value, o[2].value, p, sum);
  return 0;
}
