// Smoke test: greets, echoes its arguments, and tries brk, mprotect,
// nanosleep and clock_gettime, printing only what does not depend on timing.
#include "libc.h"

#define CLOCK_MONOTONIC 1
#define SLEEP_NS 100000

static int64_t ns(const struct timespec *t) { return t->tv_sec * 1000000000 + t->tv_nsec; }

int main(int argc, char **argv) {
  printf("hello from %s, pid %d\n", argv[0], getpid());
  for (int i = 1; i < argc; i++) printf("  argv[%d] = %s\n", i, argv[i]);

  char *heap = (char *)brk(0);
  if ((char *)brk(heap + 3 * PAGE_SIZE) != heap + 3 * PAGE_SIZE) {
    printf("hello: brk failed\n");
    return 1;
  }
  uint64_t sum = 0;
  for (int i = 0; i < 3 * PAGE_SIZE; i += 64) heap[i] = (char)i, sum += (unsigned char)heap[i];
  printf("hello: brk ok, checksum=0x%lx\n", sum);

  volatile uint64_t *page = map_or_die(PAGE_SIZE);
  page[0] = 42;
  int ro = mprotect((void *)page, PAGE_SIZE, PROT_READ);
  uint64_t seen = page[0];
  int rw = mprotect((void *)page, PAGE_SIZE, PROT_READ | PROT_WRITE);
  page[1] = seen + 1;
  printf("hello: mprotect %s\n", !ro && !rw && page[1] == 43 ? "ok" : "failed");

  struct timespec before, after, nap = { 0, SLEEP_NS };
  clock_gettime(CLOCK_MONOTONIC, &before);
  int slept = nanosleep(&nap, 0);
  clock_gettime(CLOCK_MONOTONIC, &after);
  printf("hello: nanosleep %s\n", !slept && ns(&after) - ns(&before) >= SLEEP_NS ? "ok" : "failed");
  return 0;
}
