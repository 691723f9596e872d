// The GICv3 and the virtual timer (PPI 27): the scheduler's tick.
#include "sched.h"
#include "console.h"

#define GICD_CTLR 0x0
#define GICD_CTLR_RWP (1u << 31)
#define GICD_CTLR_ARE_GRP1 0x12          /* ARE (RAO with one security state), EnableGrp1 */
#define GICR_WAKER 0x14
#define GICR_SGI (GICR_PA + 0x10000)     /* the redistributor's SGI_base frame */
#define GICR_IGROUPR0 0x80
#define GICR_ISENABLER0 0x100
#define GICR_IPRIORITYR6 0x418           /* INTIDs 24-27 */
#define VTIMER_INTID 27
#define SPURIOUS 1023

void irq_init(void) {
  mmio_write32(GICR_PA + GICR_WAKER, mmio_read32(GICR_PA + GICR_WAKER) & ~2u);  // ProcessorSleep
  while (mmio_read32(GICR_PA + GICR_WAKER) & 4u) {}                              // ChildrenAsleep
  mmio_write32(GICR_SGI + GICR_IGROUPR0, 1u << VTIMER_INTID);
  mmio_write32(GICR_SGI + GICR_IPRIORITYR6, 0x80808080);
  mmio_write32(GICR_SGI + GICR_ISENABLER0, 1u << VTIMER_INTID);
  mmio_write32(GICD_PA + GICD_CTLR, GICD_CTLR_ARE_GRP1);
  while (mmio_read32(GICD_PA + GICD_CTLR) & GICD_CTLR_RWP) {}
  write_sysreg(icc_sre_el1, 1);
  isb();
  write_sysreg(icc_pmr_el1, 0xff);
  write_sysreg(icc_igrpen1_el1, 1);
  isb();
}

u64 timer_freq(void) { return read_sysreg(cntfrq_el0); }

void timer_arm(u64 deadline) {
  write_sysreg(cntv_cval_el0, deadline);
  write_sysreg(cntv_ctl_el0, 1);
  isb();
}

/** One interrupt: the timer's ends the quantum (its level stays high until re-armed, so it is disabled). */
static void handle_one(u32 intid) {
  if (intid == VTIMER_INTID) {
    write_sysreg(cntv_ctl_el0, 0);
    isb();
    need_resched = 1;
  } else {
    kprintf("kernel: unexpected interrupt %u\n", intid);
  }
  write_sysreg(icc_eoir1_el1, intid);
  isb();
}

void irq_poll(void) {
  u32 intid = read_sysreg(icc_iar1_el1) & 0xffffff;
  if (intid != SPURIOUS) handle_one(intid);
}
