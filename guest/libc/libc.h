// The workloads' tiny libc: Linux syscalls, printf, option parsing and a
// deterministic random number generator (no floating point anywhere).
#pragma once
#include <stddef.h>
#include <stdint.h>
#include "fmt.h"
#include "string.h"

#define PROT_READ 1
#define PROT_WRITE 2
#define MAP_PRIVATE 0x02
#define MAP_ANONYMOUS 0x20
#define MAP_FAILED ((void *)-1)
#define PAGE_SIZE 4096

struct timespec { int64_t tv_sec, tv_nsec; };

long syscall6(long nr, long a, long b, long c, long d, long e, long f);
long write(int fd, const void *buf, size_t n);
__attribute__((noreturn)) void exit(int status);
void *mmap(void *addr, size_t len, int prot, int flags, int fd, long off);
int munmap(void *addr, size_t len);
int mprotect(void *addr, size_t len, int prot);
long brk(void *addr);
int fork(void);
int waitpid(int pid, int *status, int options);
int sched_yield(void);
int getpid(void);
int nanosleep(const struct timespec *req, struct timespec *rem);
int clock_gettime(int clock, struct timespec *ts);
int execve(const char *path, char *const argv[], char *const envp[]);

int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/** Wait status decoding, as <sys/wait.h>. */
#define WIFEXITED(s) (((s) & 0x7f) == 0)
#define WEXITSTATUS(s) (((s) >> 8) & 0xff)
#define WTERMSIG(s) ((s) & 0x7f)

/**
 * One option `--name N` with its default and allowed range. With `choices`
 * ("read,write,copy": names for the values 0, 1, 2 …, min..max within them) it
 * also takes a name, `--op copy`; the number stays valid (experiments pass numbers).
 */
struct opt { const char *name; long value, min, max; const char *help; const char *choices; };
/** Parses argv into opts; on an unknown option or a bad value prints usage and exits 2. */
void parse_opts(int argc, char **argv, struct opt *opts, int n);

/** splitmix64: a fast deterministic generator, seeded by the workload's --seed. */
static inline uint64_t rng_next(uint64_t *s) {
  uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

// Sattolo's shuffle: the identity over n nodes, `words` 8-byte words apart from a[0], becomes one
// random cycle through every node (next(i) = a[i * words]), as lat_mem_rd-style chases walk it.
static inline void sattolo_cycle(uint64_t *a, uint64_t n, uint64_t words, uint64_t *seed) {
  for (uint64_t i = 0; i < n; i++) a[i * words] = i;
  for (uint64_t i = n - 1; i > 0; i--) {
    uint64_t j = rng_next(seed) % i, t = a[i * words];
    a[i * words] = a[j * words];
    a[j * words] = t;
  }
}

/** The name `choices` gives the value v (an option's choices), or "?" when it has none. */
const char *opt_choice(const struct opt *o, long v, char *buf, size_t size);

/**
 * The cycle counter, PMCCNTR_EL0 (the kernel lets EL0 read it, as Linux's
 * perf_user_access does; it counts at EL0 and EL1). DSB first, so the stores
 * issued before it have completed (a timed loop's stores are in its time, a
 * warm-up's are not), then ISB, so the read is not taken early.
 */
static inline uint64_t cycles(void) {
  uint64_t v;
  __asm__ volatile("dsb ish\n\tisb\n\tmrs %0, pmccntr_el0" : "=r"(v) : : "memory");
  return v;
}

/** One figure of a `stat:` line: a name of [a-z_] and an unsigned value. */
struct stat_figure { const char *name; uint64_t value; };
/** Prints `stat: name=value name=value ...` (one line per figure set; the experiments read every one as guest.<name>). */
void print_stats(const struct stat_figure *f, int n);
#define STATS(...) print_stats((const struct stat_figure[]){ __VA_ARGS__ }, \
  (int)(sizeof((const struct stat_figure[]){ __VA_ARGS__ }) / sizeof(struct stat_figure)))

/** Anonymous private read-write memory, or exit with a message. */
void *map_or_die(size_t bytes);
