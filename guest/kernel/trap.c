// Synchronous exceptions: from EL0 (syscalls, page faults, and what kills a
// process, reported on the console) and from the kernel itself (a bug).
#include "sched.h"
#include "console.h"
#include "syscall.h"

#define EC_UNKNOWN 0x00
#define EC_SVC64 0x15
#define EC_IABT_LOWER 0x20
#define EC_PC_ALIGN 0x22
#define EC_DABT_LOWER 0x24
#define EC_SP_ALIGN 0x26
#define EC_BRK 0x3c
#define ESR_WNR (1u << 6)
#define FSC_TYPE(esr) (((esr) >> 2) & 0xf)   /* 1 translation, 2 access flag, 3 permission (DFSC/IFSC [5:2]) */

#define SIGILL 4
#define SIGTRAP 5
#define SIGBUS 7
#define SIGSEGV 11

static void kill_current(int signal, const char *what, u64 addr) {
  kprintf("kernel: %s[%d]: %s at 0x%lx, pc 0x%lx; killed (signal %d)\n", current->name, current->pid, what, addr, current->frame->pc, signal);
  do_exit(signal);
}

static void abort_from_el0(u64 esr, int exec) {
  u64 far = read_sysreg(far_el1);
  unsigned type = FSC_TYPE(esr);
  int write = !exec && (esr & ESR_WNR);
  if (type >= 1 && type <= 3 && handle_user_fault(&current->mm, far, write, exec) == 0) return;
  kill_current(SIGSEGV, exec ? "segmentation fault (instruction fetch)" : write ? "segmentation fault (write)" : "segmentation fault (read)", far);
}

void el0_sync_handler(struct frame *f) {
  u64 esr = read_sysreg(esr_el1);
  switch (esr >> 26) {
    case EC_SVC64: syscall_dispatch(f); return;
    case EC_DABT_LOWER: abort_from_el0(esr, 0); return;
    case EC_IABT_LOWER: abort_from_el0(esr, 1); return;
    case EC_UNKNOWN: kill_current(SIGILL, "undefined instruction", f->pc); return;
    case EC_BRK: kill_current(SIGTRAP, "breakpoint", f->pc); return;
    case EC_PC_ALIGN: case EC_SP_ALIGN: kill_current(SIGBUS, "misaligned pc or sp", read_sysreg(far_el1)); return;
    default:
      kprintf("kernel: %s[%d]: exception class 0x%lx\n", current->name, current->pid, esr >> 26);
      kill_current(SIGILL, "unexpected exception", f->pc);
  }
}

void kernel_fault(struct frame *f) {
  panic("exception in the kernel: esr 0x%lx far 0x%lx elr 0x%lx\n", read_sysreg(esr_el1), read_sysreg(far_el1), f->pc);
}
