#include "sched.h"
#include "console.h"
#include "page.h"
#include "string.h"

static struct task tasks[MAX_TASKS];
static u8 kstacks[MAX_TASKS][KSTACK_SIZE] __attribute__((aligned(16)));
static struct context boot_ctx;
static u64 quantum_ticks;
static int next_pid = 1, live;
/** The wait status of pid 1, for the summary line. */
static int init_status;
struct task *current;
int need_resched;

extern void ret_from_fork(void);
extern void cpu_switch_to(struct context *prev, struct context *next);

void sched_init(u64 quantum_us) {
  quantum_ticks = timer_freq() / 1000000 * quantum_us;
}

struct task *task_new(struct task *parent) {
  for (int i = 0; i < MAX_TASKS; i++) {
    struct task *t = &tasks[i];
    if (t->state != FREE) continue;
    memset(t, 0, sizeof *t);
    t->pid = next_pid++;
    t->parent = parent;
    t->frame = (struct frame *)(kstacks[i] + KSTACK_SIZE) - 1;
    t->ctx.sp = (u64)t->frame;
    t->ctx.lr = (u64)ret_from_fork;
    live++;
    return t;
  }
  return 0;
}

static void wake_sleepers(u64 now) {
  for (int i = 0; i < MAX_TASKS; i++) {
    if (tasks[i].state == SLEEPING && tasks[i].wake_at <= now) tasks[i].state = RUNNABLE;
  }
}

/** Round robin: the next runnable task after prev in the table, prev itself last. */
static struct task *pick_next(struct task *prev) {
  int start = prev ? prev - tasks : MAX_TASKS - 1;
  for (int k = 1; k <= MAX_TASKS; k++) {
    struct task *t = &tasks[(start + k) % MAX_TASKS];
    if (t->state == RUNNABLE) return t;
  }
  return 0;
}

/** Nothing runnable: wait for the earliest sleeper's deadline with IRQs masked. */
static void idle(void) {
  u64 first = ~0ull;
  for (int i = 0; i < MAX_TASKS; i++) {
    if (tasks[i].state == SLEEPING && tasks[i].wake_at < first) first = tasks[i].wake_at;
  }
  if (first == ~0ull) panic("no runnable task and none sleeping (%d alive)\n", live);
  timer_arm(first);
  __asm__ volatile("wfi");
  irq_poll();
}

static void arm_quantum(void) {
  u64 deadline = timer_now() + quantum_ticks;
  for (int i = 0; i < MAX_TASKS; i++) {
    if (tasks[i].state == SLEEPING && tasks[i].wake_at < deadline) deadline = tasks[i].wake_at;
  }
  timer_arm(deadline);
}

void schedule_tail(void) {
  arm_quantum();
}

void schedule(void) {
  struct task *prev = current, *next;
  for (;;) {
    wake_sleepers(timer_now());
    if ((next = pick_next(prev))) break;
    idle();
  }
  need_resched = 0;
  if (next != prev) {
    switch_mm(&next->mm);
    current = next;
    cpu_switch_to(&prev->ctx, &next->ctx);
  }
  arm_quantum();
}

void sched_start(struct task *first) {
  first->state = RUNNABLE;
  current = first;
  switch_mm(&first->mm);
  cpu_switch_to(&boot_ctx, &first->ctx);
  __builtin_unreachable();
}

/** Before ERET to EL0: a quantum that ran out, or a yield, switches here. */
void exit_to_user(void) {
  while (need_resched) schedule();
}

void do_sleep(u64 ticks) {
  current->wake_at = timer_now() + ticks;
  current->state = SLEEPING;
  schedule();
}

int do_fork(void) {
  struct task *child = task_new(current);
  if (!child) return -11;  // EAGAIN
  mm_fork(&current->mm, &child->mm);
  *child->frame = *current->frame;
  child->frame->x[0] = 0;
  memcpy(child->name, current->name, sizeof child->name);
  child->state = RUNNABLE;
  return child->pid;
}

__attribute__((noreturn)) static void last_exit(void);

void do_exit(int status) {
  struct task *t = current;
  switch_mm_none();
  mm_release(&t->mm);
  t->status = status;
  if (t->pid == 1) init_status = status;
  for (int i = 0; i < MAX_TASKS; i++) {
    struct task *c = &tasks[i];
    if (c->state == FREE || c->parent != t) continue;
    c->parent = 0;
    if (c->state == ZOMBIE) c->state = FREE;
  }
  if (--live == 0) last_exit();
  if (t->parent) {
    t->state = ZOMBIE;
    if (t->parent->state == WAITING) t->parent->state = RUNNABLE;
  } else {
    t->state = FREE;  // nobody waits: its stack is free once we have switched away
  }
  schedule();
  panic("exited task %d scheduled\n", t->pid);
}

long do_wait(int pid, u64 status_va, int options) {
  for (;;) {
    int children = 0;
    for (int i = 0; i < MAX_TASKS; i++) {
      struct task *c = &tasks[i];
      if (c->state == FREE || c->parent != current || (pid > 0 && c->pid != pid)) continue;
      children++;
      if (c->state != ZOMBIE) continue;
      if (status_va) {
        int *s = user_ptr(&current->mm, status_va, sizeof(int), 1);
        if (!s) return -14;  // EFAULT
        *s = c->status;
      }
      int found = c->pid;
      c->state = FREE;
      return found;
    }
    if (!children) return -10;  // ECHILD
    if (options & 1) return 0;  // WNOHANG
    current->state = WAITING;
    schedule();
  }
}

static void last_exit(void) {
  const char *how = (init_status & 0x7f) ? "killed by signal" : "exited with status";
  int code = (init_status & 0x7f) ? init_status & 0x7f : (init_status >> 8) & 0xff;
  kprintf("kernel: all processes exited; init %s %d; %lu pages in use; power off\n", how, code, pages_in_use());
  power_off();
}
