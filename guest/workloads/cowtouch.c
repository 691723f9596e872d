// Copy-on-write: the parent fills --pages pages, forks, then parent and child
// each write --share percent of them (the parent the first pages, the child
// the last) and sum them all. The child exits with its sum folded to 8 bits;
// the parent prints both after the wait, so the output never depends on order.
#include "libc.h"

static uint64_t touch_and_sum(uint64_t *m, long pages, long from, long to, uint64_t mark) {
  for (long p = from; p < to; p++) m[p * (PAGE_SIZE / 8)] += mark;
  uint64_t sum = 0;
  for (long p = 0; p < pages; p++) sum = sum * 31 + m[p * (PAGE_SIZE / 8)];
  return sum;
}

int main(int argc, char **argv) {
  struct opt o[] = {
    { "pages", 256, 1, 262144, "pages filled before the fork" },
    { "share", 50, 0, 100, "percent of the pages each side writes after it" },
  };
  parse_opts(argc, argv, o, 2);
  long pages = o[0].value, n = pages * o[1].value / 100;
  uint64_t *m = map_or_die(pages * PAGE_SIZE);
  for (long p = 0; p < pages; p++) m[p * (PAGE_SIZE / 8)] = p * p;
  int pid = fork();
  if (pid == 0) {
    uint64_t s = touch_and_sum(m, pages, pages - n, pages, 1000);
    exit((int)((s ^ (s >> 8) ^ (s >> 16) ^ (s >> 24)) & 0xff));
  }
  uint64_t sum = touch_and_sum(m, pages, 0, n, 7);
  int status;
  if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) {
    printf("cowtouch: fork/wait failed (pid %d)\n", pid);
    return 1;
  }
  printf("cowtouch: pages=%ld share=%ld parent=0x%016lx child=0x%02x\n", pages, o[1].value, sum, WEXITSTATUS(status));
  return 0;
}
