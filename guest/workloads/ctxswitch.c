// Context switches: --procs processes (the parent and its children) each call
// sched_yield --yields times; with more than one runnable, every yield is a
// switch of address space (a TTBR0 write).
#include "libc.h"

int main(int argc, char **argv) {
  struct opt o[] = {
    { "procs", 2, 1, 32, "processes yielding" },
    { "yields", 1000, 1, 100000000, "yields per process" },
  };
  parse_opts(argc, argv, o, 2);
  for (long c = 1; c < o[0].value; c++) {
    int pid = fork();
    if (pid < 0) {
      printf("ctxswitch: fork failed\n");
      return 1;
    }
    if (pid == 0) {
      for (long i = 0; i < o[1].value; i++) sched_yield();
      exit((int)c);
    }
  }
  for (long i = 0; i < o[1].value; i++) sched_yield();
  long sum = 0;
  for (long c = 1; c < o[0].value; c++) {
    int status;
    if (waitpid(-1, &status, 0) < 0 || !WIFEXITED(status)) {
      printf("ctxswitch: wait failed\n");
      return 1;
    }
    sum += WEXITSTATUS(status);
  }
  printf("ctxswitch: procs=%ld yields=%ld children=%ld\n", o[0].value, o[1].value, sum);
  return 0;
}
