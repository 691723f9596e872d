// Load-to-use latency, as lmbench's lat_mem_rd and Chips and Cheese's latency
// test measure it: one random cycle (Sattolo's shuffle) through the nodes of a
// --kib KiB working set, --stride bytes apart, each node holding the address of
// the next. One untimed pass over the whole cycle warms the caches and TLBs;
// then --iters dependent loads are timed with the cycle counter (PMCCNTR_EL0),
// unrolled so the loop's own instructions are a small part of each load's time.
// Prints `stat: cycles=C loads=N` (C/N: cycles per load) and its result line.
#include "libc.h"

#define UNROLL 16

int main(int argc, char **argv) {
  struct opt o[] = {
    { "kib", 64, 4, 1048576, "working set in KiB" },
    { "stride", 64, 8, 1048576, "bytes per node (a multiple of 8)" },
    { "iters", 100000, 1, 1000000000, "timed dependent loads" },
    { "seed", 1, 0, 1000000000, "random seed" },
  };
  parse_opts(argc, argv, o, 4);
  uint64_t bytes = (uint64_t)o[0].value << 10, stride = o[1].value, seed = o[3].value;
  if (stride % 8 || stride > bytes) {
    printf("memlat: --stride %lu must be a multiple of 8 and at most the working set (%lu bytes)\n", stride, bytes);
    return 2;
  }
  uint64_t nodes = bytes / stride, words = stride / 8;
  uint64_t *heap = map_or_die(bytes);
  sattolo_cycle(heap, nodes, words, &seed);
  for (uint64_t i = 0; i < nodes; i++) heap[i * words] = (uint64_t)&heap[heap[i * words] * words];
  // the warm-up pass, which also checks the chain: the order of the nodes, hashed
  uint64_t *p = heap, sum = 0;
  for (uint64_t i = 0; i < nodes; i++) {
    p = (uint64_t *)*p;
    sum = sum * 31 + (uint64_t)(p - heap) / words;
  }
  uint64_t n = o[2].value, start = cycles();
  for (uint64_t i = n / UNROLL; i; i--) {
    p = (uint64_t *)*p; p = (uint64_t *)*p; p = (uint64_t *)*p; p = (uint64_t *)*p;
    p = (uint64_t *)*p; p = (uint64_t *)*p; p = (uint64_t *)*p; p = (uint64_t *)*p;
    p = (uint64_t *)*p; p = (uint64_t *)*p; p = (uint64_t *)*p; p = (uint64_t *)*p;
    p = (uint64_t *)*p; p = (uint64_t *)*p; p = (uint64_t *)*p; p = (uint64_t *)*p;
  }
  for (uint64_t i = n % UNROLL; i; i--) p = (uint64_t *)*p;
  uint64_t elapsed = cycles() - start;
  STATS({ "cycles", elapsed }, { "loads", n });
  printf("memlat: kib=%ld stride=%ld iters=%ld seed=%ld nodes=%lu last=%lu checksum=0x%016lx\n",
    o[0].value, o[1].value, o[2].value, o[3].value, nodes, (uint64_t)(p - heap) / words, sum);
  return 0;
}
