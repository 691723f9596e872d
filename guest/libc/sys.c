// Linux syscalls through SVC #0: number in x8, arguments in x0-x5, result in x0.
#include "libc.h"
#include <asm/unistd.h>

long syscall6(long nr, long a, long b, long c, long d, long e, long f) {
  register long x8 __asm__("x8") = nr;
  register long x0 __asm__("x0") = a;
  register long x1 __asm__("x1") = b;
  register long x2 __asm__("x2") = c;
  register long x3 __asm__("x3") = d;
  register long x4 __asm__("x4") = e;
  register long x5 __asm__("x5") = f;
  __asm__ volatile("svc #0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5) : "memory");
  return x0;
}

#define SYS(nr, ...) syscall6(nr, __VA_ARGS__)

long write(int fd, const void *buf, size_t n) { return SYS(__NR_write, fd, (long)buf, n, 0, 0, 0); }
void exit(int status) {
  SYS(__NR_exit_group, status, 0, 0, 0, 0, 0);
  __builtin_unreachable();
}
void *mmap(void *addr, size_t len, int prot, int flags, int fd, long off) {
  return (void *)SYS(__NR_mmap, (long)addr, len, prot, flags, fd, off);
}
int munmap(void *addr, size_t len) { return SYS(__NR_munmap, (long)addr, len, 0, 0, 0, 0); }
int mprotect(void *addr, size_t len, int prot) { return SYS(__NR_mprotect, (long)addr, len, prot, 0, 0, 0); }
long brk(void *addr) { return SYS(__NR_brk, (long)addr, 0, 0, 0, 0, 0); }
/** arm64 has no fork: clone with SIGCHLD (17) and no new stack is fork. */
int fork(void) { return SYS(__NR_clone, 17, 0, 0, 0, 0, 0); }
int waitpid(int pid, int *status, int options) { return SYS(__NR_wait4, pid, (long)status, options, 0, 0, 0); }
int sched_yield(void) { return SYS(__NR_sched_yield, 0, 0, 0, 0, 0, 0); }
int getpid(void) { return SYS(__NR_getpid, 0, 0, 0, 0, 0, 0); }
int nanosleep(const struct timespec *req, struct timespec *rem) { return SYS(__NR_nanosleep, (long)req, (long)rem, 0, 0, 0, 0); }
int clock_gettime(int clock, struct timespec *ts) { return SYS(__NR_clock_gettime, clock, (long)ts, 0, 0, 0, 0); }
int execve(const char *path, char *const argv[], char *const envp[]) {
  return SYS(__NR_execve, (long)path, (long)argv, (long)envp, 0, 0, 0);
}
