// The classic fork benchmark: --iters times fork a child that exits at once
// with a status of its own, and wait for it. --pages of heap are touched first
// so each fork has that much more to write-protect and copy on write.
#include "libc.h"

int main(int argc, char **argv) {
  struct opt o[] = {
    { "iters", 100, 1, 10000000, "forks" },
    { "pages", 16, 0, 65536, "heap pages touched before forking" },
  };
  parse_opts(argc, argv, o, 2);
  uint64_t *heap = o[1].value ? map_or_die(o[1].value * PAGE_SIZE) : 0;
  for (long p = 0; p < o[1].value; p++) heap[p * (PAGE_SIZE / 8)] = p;
  uint64_t sum = 0;
  for (long i = 0; i < o[0].value; i++) {
    int pid = fork();
    if (pid == 0) exit(i & 0x7f);
    int status;
    if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) {
      printf("forkwait: fork/wait failed at %ld (pid %d)\n", i, pid);
      return 1;
    }
    sum += WEXITSTATUS(status);
  }
  printf("forkwait: iters=%ld pages=%ld checksum=%lu\n", o[0].value, o[1].value, sum);
  return 0;
}
