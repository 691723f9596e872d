// The kernel's entry at EL1 with the MMU on (head.S): reads the command line,
// sets up memory, the GIC and the timer, and runs the workload as pid 1.
//
// Command line (a NUL-terminated string at CMDLINE_PA, filled by the loader):
//   [mem=<MiB>M] [quantum=<us>] -- <workload> [args...]
// Words are separated by spaces; no quoting. An empty block runs `hello`.
#include "arch.h"
#include "console.h"
#include "exec.h"
#include "page.h"
#include "sched.h"
#include "string.h"

#define PSCI_SYSTEM_OFF 0x84000008
#define DEFAULT_MEM_MIB 256
#define DEFAULT_QUANTUM_US 1000
#define PMCR_E (1u << 0)
#define PMCR_C (1u << 2)
#define PMCNTEN_C (1u << 31)
#define PMUSERENR_EN (1u << 0)
#define PMUSERENR_CR (1u << 2)

int psci_smc;

void power_off(void) {
  psci_call(PSCI_SYSTEM_OFF, 0, 0, 0);
  for (;;) __asm__ volatile("wfi");
}

/** A decimal number with an optional suffix `suffix`; -1 if malformed. */
static long number(const char *s, char suffix) {
  long v = 0;
  if (!*s) return -1;
  for (; *s >= '0' && *s <= '9'; s++) {
    if (v > 100000000) return -1;
    v = v * 10 + (*s - '0');
  }
  if (*s && !(*s == suffix && !s[1])) return -1;
  return v;
}

struct cmdline { long mem_mib, quantum_us; int argc; char *argv[MAX_ARGS]; };

static __attribute__((noreturn)) void bad_cmdline(const char *what, const char *word) {
  kprintf("kernel: bad command line: %s '%s'\n", what, word);
  kprintf("kernel: usage: [mem=<MiB>M] [quantum=<us>] -- <workload> [args...]; power off\n");
  power_off();
}

static void parse_cmdline(struct cmdline *c) {
  static char text[CMDLINE_MAX];
  memcpy(text, phys_to_virt(CMDLINE_PA), CMDLINE_MAX);
  if (text[CMDLINE_MAX - 1]) bad_cmdline("no NUL within", "4096 bytes");
  *c = (struct cmdline){ DEFAULT_MEM_MIB, DEFAULT_QUANTUM_US, 0, { 0 } };
  int after_dashes = 0;
  for (char *p = text; *p;) {
    while (*p == ' ') p++;
    if (!*p) break;
    char *word = p;
    while (*p && *p != ' ') p++;
    if (*p) *p++ = 0;
    if (after_dashes) {
      if (c->argc == MAX_ARGS) bad_cmdline("more than 32 arguments at", word);
      c->argv[c->argc++] = word;
    } else if (!strcmp(word, "--")) {
      after_dashes = 1;
    } else if (!strncmp(word, "mem=", 4)) {
      if ((c->mem_mib = number(word + 4, 'M')) < 16 || c->mem_mib > 3072) bad_cmdline("mem must be 16M..3072M, not", word);
    } else if (!strncmp(word, "quantum=", 8)) {
      if ((c->quantum_us = number(word + 8, 0)) < 10 || c->quantum_us > 10000000) bad_cmdline("quantum must be 10..10000000 us, not", word);
    } else {
      bad_cmdline("unknown parameter", word);
    }
  }
  if (!c->argc) c->argv[c->argc++] = "hello";
}

/**
 * Lets EL0 read the cycle counter, as Linux does with perf_user_access=1, so a
 * workload can time its own loop (libc's cycles()): PMCR_EL0.E enables the
 * counters and C resets the cycle counter; PMCCFILTR_EL0 = 0 counts cycles at
 * EL0 and EL1 (not at EL2: under a hypervisor its exits' own time is not the
 * guest's); PMCNTENSET_EL0.C enables it; PMUSERENR_EL0.EN and CR give EL0
 * PMCCNTR_EL0 reads without a trap. Nothing else of the PMU is touched.
 */
static void pmu_init(void) {
  write_sysreg(pmccfiltr_el0, 0);
  write_sysreg(pmcr_el0, PMCR_E | PMCR_C);
  write_sysreg(pmcntenset_el0, PMCNTEN_C);
  write_sysreg(pmuserenr_el0, PMUSERENR_EN | PMUSERENR_CR);
  isb();
}

void kernel_main(int smc) {
  struct cmdline c;
  psci_smc = smc;
  parse_cmdline(&c);
  kprintf("kernel: %ld MiB, quantum %ld us, PSCI via %s; running", c.mem_mib, c.quantum_us, smc ? "SMC" : "HVC");
  for (int i = 0; i < c.argc; i++) kprintf(" %s", c.argv[i]);
  kprintf("\n");
  pmu_init();
  page_init(RAM_BASE + ((u64)c.mem_mib << 20));
  irq_init();
  sched_init(c.quantum_us);
  const struct workload *w = find_workload(c.argv[0]);
  if (!w) {
    kprintf("kernel: unknown workload '%s'; have:", c.argv[0]);
    for (w = workloads; w < workloads_end; w++) kprintf(" %s", w->name);
    kprintf("\nkernel: no init to run (status 127); power off\n");
    power_off();
  }
  struct task *init = task_new(0);
  if (exec_image(init, w, c.argc, c.argv)) panic("cannot load workload '%s'\n", w->name);
  sched_start(init);
}
