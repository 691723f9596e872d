// Misbehaviour on purpose, in a child so the kernel is seen to carry on:
// --segv 1 reads an unmapped address, --syscall N makes syscall N, --exec 1
// replaces the child with `hello` through execve. The parent reports how the
// child ended.
#include "libc.h"

/** Nothing is mapped at page 0. */
static volatile uintptr_t unmapped = 0x10;

int main(int argc, char **argv) {
  struct opt o[] = {
    { "segv", 0, 0, 1, "read an unmapped address" },
    { "syscall", 0, 0, 1023, "make syscall N (0: none)" },
    { "exec", 0, 0, 1, "execve hello" },
  };
  parse_opts(argc, argv, o, 3);
  int pid = fork();
  if (pid == 0) {
    if (o[0].value) printf("crash: read 0x%lx\n", *(volatile uint64_t *)unmapped);
    if (o[1].value) printf("crash: syscall %ld returned %ld\n", o[1].value, syscall6(o[1].value, 0, 0, 0, 0, 0, 0));
    if (o[2].value) {
      char *args[] = { "hello", "from-exec", 0 };
      execve("hello", args, 0);
      printf("crash: execve failed\n");
    }
    exit(0);
  }
  int status;
  if (waitpid(pid, &status, 0) != pid) {
    printf("crash: wait failed\n");
    return 1;
  }
  if (WIFEXITED(status)) printf("crash: child exited with status %d\n", WEXITSTATUS(status));
  else printf("crash: child killed by signal %d\n", WTERMSIG(status));
  return 0;
}
