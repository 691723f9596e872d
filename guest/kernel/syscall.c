// System calls by Linux's arm64 numbers: x8 the number, x0-x5 the arguments,
// the result (or -errno) in x0. Anything else is reported by name and number
// and kills only the caller.
//
// One private call, outside Linux's numbers (and outside the 0..1023 that
// `crash --syscall` may try): SYS_EXITBENCH (4000), exitbench(op, iters), for
// the exitbench workload: the kernel performs op iters times and returns iters
// (or -EINVAL). Under a hypervisor each is one exit of its kind; natively none:
//   0 hvc     PSCI_VERSION through the kernel's PSCI conduit (SMC or HVC)
//   1 mmio    a read of the UART's flag register (UARTFR)
//   2 sysreg  a read of ID_AA64MMFR0_EL1 (trapped by HCR_EL2.TID3)
//   3 wfi     a WFI with the virtual timer's condition met, so it returns at once;
//             afterwards the timer is off, its interrupt taken if one was
//             delivered, and the quantum re-armed by a reschedule.
#include "syscall.h"
#include "console.h"
#include "exec.h"
#include "pgtable.h"
#include "string.h"
#include <asm/unistd.h>

#define EBADF 9
#define ENOENT 2
#define E2BIG 7
#define EFAULT 14
#define ENOMEM 12
#define EINVAL 22
#define ENODEV 19
#define SIGCHLD 17
#define SIGSYS 31
#define MAP_PRIVATE 0x02
#define MAP_FIXED 0x10
#define MAP_ANONYMOUS 0x20
#define NSEC 1000000000ull
#define SYS_EXITBENCH 4000
#define PSCI_VERSION 0x84000000
#define UARTFR 0x18

static const char *const syscall_names[] = {
#include "syscall_names.h"
};

static u64 page_up(u64 v) { return (v + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1); }

/** Copies len bytes from user memory, faulting pages in as the process would; -EFAULT if any is invalid. */
static long copy_from_user(void *dst, u64 va, u64 len) {
  while (len) {
    u64 n = PAGE_SIZE - (va & (PAGE_SIZE - 1));
    if (n > len) n = len;
    void *src = user_ptr(&current->mm, va, n, 0);
    if (!src) return -EFAULT;
    memcpy(dst, src, n);
    dst = (u8 *)dst + n, va += n, len -= n;
  }
  return 0;
}

static long copy_to_user(u64 va, const void *src, u64 len) {
  while (len) {
    u64 n = PAGE_SIZE - (va & (PAGE_SIZE - 1));
    if (n > len) n = len;
    void *dst = user_ptr(&current->mm, va, n, 1);
    if (!dst) return -EFAULT;
    memcpy(dst, src, n);
    src = (const u8 *)src + n, va += n, len -= n;
  }
  return 0;
}

/** A NUL-terminated user string into buf (max bytes with the NUL): its length, or -EFAULT / -E2BIG. */
static long string_from_user(char *buf, u64 va, u64 max) {
  for (u64 i = 0; i < max; i++) {
    char *c = user_ptr(&current->mm, va + i, 1, 0);
    if (!c) return -EFAULT;
    if (!(buf[i] = *c)) return i;
  }
  return -E2BIG;
}

static long sys_write(int fd, u64 buf, u64 len) {
  if (fd != 1 && fd != 2) return -EBADF;
  char chunk[256];
  for (u64 done = 0; done < len;) {
    u64 n = len - done < sizeof chunk ? len - done : sizeof chunk;
    if (copy_from_user(chunk, buf + done, n)) return done ? (long)done : -EFAULT;
    console_write(chunk, n);
    done += n;
  }
  return len;
}

static int range_free(struct mm *mm, u64 start, u64 end) {
  for (int i = 0; i < mm->nvmas; i++) {
    if (mm->vmas[i].start < end && mm->vmas[i].end > start) return 0;
  }
  return 1;
}

/** Removes [start, end) from the address space: its pages, TLB entries and regions. */
static long unmap_range(struct mm *mm, u64 start, u64 end) {
  if (vma_split(mm, start) || vma_split(mm, end)) return -ENOMEM;
  mm_unmap(mm, start, end);
  vma_remove(mm, start, end);
  return 0;
}

static long sys_brk(u64 addr) {
  struct mm *mm = &current->mm;
  u64 old_end = page_up(mm->brk), new_end = page_up(addr);
  if (addr < mm->brk_start || addr >= MMAP_TOP) return mm->brk;
  if (new_end > old_end) {
    if (!range_free(mm, old_end, new_end)) return mm->brk;
    struct vma *heap = old_end > mm->brk_start ? vma_find(mm, old_end - 1) : 0;
    if (heap) heap->end = new_end;
    else if (vma_add(mm, old_end, new_end, PROT_READ | PROT_WRITE)) return mm->brk;
  } else if (new_end < old_end && unmap_range(mm, new_end, old_end)) {
    return mm->brk;
  }
  return mm->brk = addr;
}

static long sys_mmap(u64 len, unsigned prot, unsigned flags) {
  if (!(flags & MAP_ANONYMOUS) || !(flags & MAP_PRIVATE)) return -ENODEV;
  if ((flags & MAP_FIXED) || !len || prot & ~7u) return -EINVAL;
  len = page_up(len);
  u64 va = vma_gap(&current->mm, len);
  if (!va || vma_add(&current->mm, va, va + len, prot)) return -ENOMEM;
  return va;
}

static long sys_munmap(u64 addr, u64 len) {
  if ((addr & (PAGE_SIZE - 1)) || !len || addr + len > USER_END) return -EINVAL;
  return unmap_range(&current->mm, addr, addr + page_up(len));
}

static long sys_mprotect(u64 addr, u64 len, unsigned prot) {
  struct mm *mm = &current->mm;
  u64 end = addr + page_up(len);
  if ((addr & (PAGE_SIZE - 1)) || prot & ~7u || end > USER_END) return -EINVAL;
  for (u64 a = addr; a < end;) {
    struct vma *v = vma_find(mm, a);
    if (!v) return -ENOMEM;
    a = v->end;
  }
  if (vma_split(mm, addr) || vma_split(mm, end)) return -ENOMEM;
  for (int i = 0; i < mm->nvmas; i++) {
    if (mm->vmas[i].start >= addr && mm->vmas[i].end <= end) mm->vmas[i].prot = prot;
  }
  mm_protect(mm, addr, end, prot);
  return 0;
}

static long sys_clock_gettime(u64 ts) {
  u64 now = timer_now(), f = timer_freq();
  u64 v[2] = { now / f, (now % f) * NSEC / f };
  return copy_to_user(ts, v, sizeof v);
}

static long sys_nanosleep(u64 req) {
  u64 v[2];
  if (copy_from_user(v, req, sizeof v)) return -EFAULT;
  if (v[1] >= NSEC) return -EINVAL;
  do_sleep(v[0] * timer_freq() + v[1] * timer_freq() / NSEC);
  return 0;
}

/** execve of a workload the kernel holds, named by its name or any path ending in it. */
static long sys_execve(u64 path_va, u64 argv_va) {
  static char path[64], space[ARG_BYTES];
  static char *argv[MAX_ARGS];
  long n = string_from_user(path, path_va, sizeof path);
  if (n < 0) return n;
  const char *name = path;
  for (const char *p = path; *p; p++) if (*p == '/') name = p + 1;
  const struct workload *w = find_workload(name);
  if (!w) return -ENOENT;
  int argc = 0;
  u64 used = 0;
  for (;; argc++) {
    u64 ptr;
    if (argc == MAX_ARGS) return -E2BIG;
    if (copy_from_user(&ptr, argv_va + 8 * argc, 8)) return -EFAULT;
    if (!ptr) break;
    long len = string_from_user(space + used, ptr, ARG_BYTES - used);
    if (len < 0) return len;
    argv[argc] = space + used;
    used += len + 1;
  }
  return exec_image(current, w, argc, argv) ? -E2BIG : 0;
}

static long sys_exitbench(u64 op, u64 iters) {
  if (op > 3 || iters > 100000000) return -EINVAL;
  for (u64 i = 0; i < iters; i++) {
    switch (op) {
      case 0:
        if (psci_call(PSCI_VERSION, 0, 0, 0) != 0x10001) return -EINVAL;
        break;
      case 1: (void)mmio_read32(UART_PA + UARTFR); break;
      case 2: (void)read_sysreg(id_aa64mmfr0_el1); break;
      case 3:
        if (i == 0) {
          write_sysreg(cntv_cval_el0, 0);
          write_sysreg(cntv_ctl_el0, 1);
          isb();
        }
        __asm__ volatile("wfi" ::: "memory");
        break;
    }
  }
  if (op == 3) {
    write_sysreg(cntv_ctl_el0, 0);
    isb();
    irq_poll();
    need_resched = 1;
  }
  return iters;
}

static void unsupported(u64 nr) {
  const char *name = nr < sizeof syscall_names / sizeof *syscall_names && syscall_names[nr] ? syscall_names[nr] : "unknown";
  kprintf("kernel: %s[%d]: unsupported syscall %s (%lu); killed (signal %d)\n", current->name, current->pid, name, nr, SIGSYS);
  do_exit(SIGSYS);
}

void syscall_dispatch(struct frame *f) {
  u64 *a = f->x, nr = f->x[8];
  long r;
  switch (nr) {
    case __NR_write: r = sys_write(a[0], a[1], a[2]); break;
    case __NR_exit: case __NR_exit_group: do_exit((a[0] & 0xff) << 8);
    case __NR_brk: r = sys_brk(a[0]); break;
    case __NR_mmap: r = sys_mmap(a[1], a[2], a[3]); break;
    case __NR_munmap: r = sys_munmap(a[0], a[1]); break;
    case __NR_mprotect: r = sys_mprotect(a[0], a[1], a[2]); break;
    case __NR_sched_yield: need_resched = 1; r = 0; break;
    case __NR_getpid: r = current->pid; break;
    case __NR_getppid: r = current->parent ? current->parent->pid : 0; break;
    case __NR_clock_gettime: r = sys_clock_gettime(a[1]); break;
    case __NR_nanosleep: r = sys_nanosleep(a[0]); break;
    case __NR_clone:
      if (a[0] != SIGCHLD || a[1]) unsupported(nr);  // only fork
      r = do_fork();
      break;
    case __NR_wait4: r = do_wait((int)a[0], a[1], a[2]); break;
    case __NR_execve: r = sys_execve(a[0], a[1]); break;
    case SYS_EXITBENCH: r = sys_exitbench(a[0], a[1]); break;
    default: unsupported(nr);
  }
  f->x[0] = r;
}
