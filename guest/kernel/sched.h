// Processes and the round-robin scheduler: cooperative (sched_yield, blocking
// in wait4 and nanosleep) and preemptive (the virtual timer's quantum).
#pragma once
#include "arch.h"
#include "mm.h"

#define MAX_TASKS 64
#define KSTACK_SIZE 8192

/** Registers saved on exception entry (entry.S's layout). */
struct frame { u64 x[31], sp, pc, pstate; };
/** Callee-saved registers of a task switched away inside the kernel (cpu_switch_to). */
struct context { u64 x19_28[10], fp, sp, lr; };

enum state { FREE, RUNNABLE, WAITING, SLEEPING, ZOMBIE };

struct task {
  enum state state;
  int pid;
  struct task *parent;
  struct context ctx;
  struct frame *frame;
  struct mm mm;
  /** Wait status for the parent: exit code << 8, or the signal that killed it. */
  int status;
  /** SLEEPING: the counter value to wake at. */
  u64 wake_at;
  char name[16];
};

extern struct task *current;
extern int need_resched;

void sched_init(u64 quantum_us);
/** A new task with a kernel stack and a frame, not yet runnable; 0 when the table is full. */
struct task *task_new(struct task *parent);
/** Runs the first task; never returns. */
__attribute__((noreturn)) void sched_start(struct task *first);
void schedule(void);
/** Ends the current task with a wait status; powers off after the last. */
__attribute__((noreturn)) void do_exit(int status);
int do_fork(void);
long do_wait(int pid, u64 status_va, int options);
void do_sleep(u64 ticks);
/** Counter ticks per second, and the counter. */
u64 timer_freq(void);
static inline u64 timer_now(void) { return read_sysreg(cntvct_el0); }

// irq.c
void irq_init(void);
void timer_arm(u64 deadline);
/** Takes and completes one pending interrupt, if any (with IRQs masked: after WFI). */
void irq_poll(void);
