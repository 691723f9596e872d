// Exit microbenchmark, in the spirit of kvm-unit-tests' micro-bench: the kernel
// performs --op --iters times on the process's behalf, through a private
// syscall (see kernel/syscall.c), so that under a hypervisor each one is one
// exit of its kind: hvc (a PSCI_VERSION call through the kernel's PSCI
// conduit), mmio (a read of the UART's flag register), sysreg (a read of
// ID_AA64MMFR0_EL1, trapped by HCR_EL2.TID3), wfi (a WFI with the timer
// condition already met, so it returns at once). Natively none of them exits.
// --op takes a name; the numeric options are parsed as the other workloads' are.
#include "libc.h"

/** The kernel's private exitbench syscall (not a Linux number; kernel/syscall.c). */
#define SYS_EXITBENCH 4000

static const char *const ops[] = { "hvc", "mmio", "sysreg", "wfi" };
#define NOPS (int)(sizeof ops / sizeof *ops)

int main(int argc, char **argv) {
  struct opt o[] = {
    { "iters", 1000, 1, 100000000, "operations" },
  };
  char *rest[64];
  int nrest = 0, op = 0;
  for (int a = 0; a < argc && nrest < 64; a++) {
    if (a > 0 && !strcmp(argv[a], "--op") && a + 1 < argc) {
      const char *name = argv[++a];
      for (op = 0; op < NOPS && strcmp(name, ops[op]); op++) {}
      if (op == NOPS) {
        printf("exitbench: unknown op '%s' (hvc, mmio, sysreg or wfi)\n", name);
        return 2;
      }
      continue;
    }
    rest[nrest++] = argv[a];
  }
  parse_opts(nrest, rest, o, 1);
  long r = syscall6(SYS_EXITBENCH, op, o[0].value, 0, 0, 0, 0);
  if (r != o[0].value) {
    printf("exitbench: op=%s iters=%ld failed (%ld)\n", ops[op], o[0].value, r);
    return 1;
  }
  printf("exitbench: op=%s iters=%ld done\n", ops[op], o[0].value);
  return 0;
}
