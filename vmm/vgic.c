// Interrupts: the physical GIC as the vmm sets it up for itself (the guest's
// virtual timer, PPI 27, and the EL2 physical timer, PPI 26, in group 1; EOI
// mode 1 so a priority drop does not deactivate), the virtual GIC the guest
// sees (a small distributor and redistributor register file, emulated on
// stage 2 faults) and the injection of the virtual timer through a list
// register with HW = 1: the guest's EOI deactivates the physical interrupt, as
// KVM does. The guest's ICC accesses go to the virtual CPU interface untrapped.
#include "stats.h"

#define GICD_CTLR 0x0
#define GICD_TYPER 0x4
#define GICD_IIDR 0x8
#define GICD_CTLR_RWP (1u << 31)
#define GICD_CTLR_ARE (1u << 4)
#define GICD_CTLR_DS (1u << 6)
#define GICD_CTLR_GRP1 (1u << 1)
#define GICR_CTLR 0x0
#define GICR_IIDR 0x4
#define GICR_TYPER 0x8
#define GICR_WAKER 0x14
#define WAKER_PS (1u << 1)
#define WAKER_CA (1u << 2)
#define SGI_BASE 0x10000
#define GICR_IGROUPR0 0x80
#define GICR_ISENABLER0 0x100
#define GICR_ICENABLER0 0x180
#define GICR_ISACTIVER0 0x300
#define GICR_IPRIORITYR 0x400
#define GICR_ICFGR0 0xc00
#define GICR_ICFGR1 0xc04
#define ID_REGS 0xffd0                  /* PIDR/CIDR: the physical GIC's */

#define VTIMER 27
#define HPTIMER 26
#define SPURIOUS_MIN 1020
#define LR_PENDING (1ull << 62)
#define LR_STATE (3ull << 62)
#define LR_HW (1ull << 61)
#define LR_GROUP1 (1ull << 60)
#define NUM_LR 4

/* The guest's distributor and redistributor (one vCPU). */
static u32 gicd_ctlr, gicr_waker = WAKER_PS | WAKER_CA, igroupr0, enabled0, icfgr1;
static u8 priority[32];
/** The vtimer fired while the guest had it disabled: masked at the physical GIC until enabled. */
static int vtimer_held;

static u64 sgi(u64 off) { return GICR_PA + SGI_BASE + off; }

void gic_host_init(void) {
  mmio_write32(GICR_PA + GICR_WAKER, mmio_read32(GICR_PA + GICR_WAKER) & ~WAKER_PS);
  while (mmio_read32(GICR_PA + GICR_WAKER) & WAKER_CA) {}
  u32 ppis = (1u << VTIMER) | (1u << HPTIMER);
  mmio_write32(sgi(GICR_IGROUPR0), mmio_read32(sgi(GICR_IGROUPR0)) | ppis);
  mmio_write32(sgi(GICR_IPRIORITYR + 24), 0x80808080);          /* INTIDs 24-27 */
  mmio_write32(sgi(GICR_ISENABLER0), ppis);
  mmio_write32(GICD_PA + GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_GRP1);
  while (mmio_read32(GICD_PA + GICD_CTLR) & GICD_CTLR_RWP) {}
  write_sysreg(icc_sre_el2, 0xf);                                /* SRE, DFB, DIB, Enable (EL1 may use SRE) */
  isb();
  write_sysreg(icc_sre_el1, 1);
  write_sysreg(icc_pmr_el1, 0xff);
  write_sysreg(icc_ctlr_el1, read_sysreg(icc_ctlr_el1) | 2);     /* EOImode: EOIR drops priority, DIR deactivates */
  write_sysreg(icc_igrpen1_el1, 1);
  write_sysreg(ich_hcr_el2, 1);                                  /* En */
  write_sysreg(cnthctl_el2, 3);                                  /* EL1PCTEN, EL1PCEN */
  write_sysreg(cntvoff_el2, 0);
  write_sysreg(cnthp_ctl_el2, 0);
  isb();
  guest_ctx.r[C_ICH_VMCR] = host_ctx.r[C_ICH_VMCR] = read_sysreg(ich_vmcr_el2);
}

/* ---- the emulated distributor and redistributor ---- */

static int vgicd(u64 off, int write, unsigned size, u64 *v) {
  if (write) {
    if (off == GICD_CTLR && size == 4) gicd_ctlr = *v & (GICD_CTLR_GRP1 | 1);
    return 1;
  }
  if (off == GICD_CTLR) *v = gicd_ctlr | GICD_CTLR_ARE | GICD_CTLR_DS;
  else if ((off == GICD_TYPER || off == GICD_IIDR || off >= ID_REGS) && size == 4) *v = mmio_read32(GICD_PA + off);
  else *v = 0;
  return 1;
}

static void set_enabled(u32 v) {
  enabled0 = v;
  if (vtimer_held && enabled0 & (1u << VTIMER)) {
    vtimer_held = 0;
    mmio_write32(sgi(GICR_ISENABLER0), 1u << VTIMER);
  }
}

static int vgicr(u64 off, int write, unsigned size, u64 *v) {
  if (off < SGI_BASE) {
    if (write) {
      if (off == GICR_WAKER) gicr_waker = *v & WAKER_PS ? WAKER_PS | WAKER_CA : 0;
      return 1;
    }
    if (off == GICR_WAKER) *v = gicr_waker;
    else if (off == GICR_TYPER && size == 8) *v = *(volatile u64 *)(GICR_PA + off);
    else if ((off == GICR_IIDR || off == GICR_TYPER || off == GICR_TYPER + 4 || off >= ID_REGS) && size == 4) *v = mmio_read32(GICR_PA + off);
    else *v = 0;
    return 1;
  }
  off -= SGI_BASE;
  if (off >= GICR_IPRIORITYR && off < GICR_IPRIORITYR + 32) {
    unsigned i = off - GICR_IPRIORITYR;
    if (size != 1 && size != 4) return 1;
    for (unsigned b = 0; b < size && i + b < 32; b++) {
      if (write) priority[i + b] = *v >> (8 * b);
      else *v = (b ? *v : 0) | (u64)priority[i + b] << (8 * b);
    }
    return 1;
  }
  if (size != 4) {
    if (!write) *v = 0;
    return 1;
  }
  u32 w = *v;
  switch (off) {
    case GICR_IGROUPR0: if (write) igroupr0 = w; else *v = igroupr0; break;
    case GICR_ISENABLER0: if (write) set_enabled(enabled0 | w); else *v = enabled0; break;
    case GICR_ICENABLER0: if (write) set_enabled(enabled0 & ~w); else *v = enabled0; break;
    case GICR_ICFGR0: if (!write) *v = 0xaaaaaaaa; break;           /* SGIs: edge */
    case GICR_ICFGR1: if (write) icfgr1 = w; else *v = icfgr1; break;
    default: if (!write) *v = 0; break;                            /* pending/active live in the list registers */
  }
  return 1;
}

int vgic_mmio(u64 ipa, int write, unsigned size, u64 *v) {
  if (ipa - GICD_PA < GICD_SIZE) return vgicd(ipa - GICD_PA, write, size, v);
  if (ipa - GICR_PA < GICR_SIZE) return vgicr(ipa - GICR_PA, write, size, v);
  return 0;
}

/* ---- injection ---- */

/** The guest's virtual timer condition: enabled, not masked, its deadline reached. */
int vtimer_firing(void) {
  u64 ctl = guest_get(C_CNTV_CTL);
  return (ctl & 3) == 1 && guest_get(C_CNTV_CVAL) <= read_sysreg(cntvct_el0);
}

int vgic_lr_pending(void) {
  for (int i = 0; i < NUM_LR; i++) if (guest_get(C_LR0 + i) & LR_PENDING) return 1;
  return 0;
}

static int lr_holds(u32 intid) {
  for (int i = 0; i < NUM_LR; i++) {
    u64 lr = guest_get(C_LR0 + i);
    if (lr & LR_STATE && (u32)lr == intid) return 1;
  }
  return 0;
}

static void inject_vtimer(int acked) {
  for (int i = 0; i < NUM_LR; i++) {
    if (guest_get(C_LR0 + i) & LR_STATE) continue;
    /* The physical interrupt must be active while the guest owns it (HW = 1): the IAR made it so,
       or (its line dropped when the full switch stopped the guest's timer) the vmm does. */
    if (!acked) mmio_write32(sgi(GICR_ISACTIVER0), 1u << VTIMER);
    u64 group = igroupr0 & (1u << VTIMER) ? LR_GROUP1 : 0;
    guest_set(C_LR0 + i, LR_PENDING | LR_HW | group | (u64)priority[VTIMER] << 48 | (u64)VTIMER << 32 | VTIMER);
    STAT(INJECT_VIRQ);
    return;
  }
  fatal("no free list register for the virtual timer");
}

int vgic_sync_vtimer(void) {
  int acked = 0;
  for (;;) {
    u32 intid = read_sysreg(icc_iar1_el1) & 0xffffff;
    if (intid >= SPURIOUS_MIN) break;
    write_sysreg(icc_eoir1_el1, intid);                          /* priority drop */
    if (intid == VTIMER) {
      acked = 1;                                                 /* stays active until the guest's EOI */
      continue;
    }
    if (intid == HPTIMER) write_sysreg(cnthp_ctl_el2, 0);        /* the full switch's wait is over */
    write_sysreg(icc_dir_el1, intid);
  }
  isb();
  if (vtimer_firing() && !lr_holds(VTIMER)) {
    if (enabled0 & (1u << VTIMER)) {
      inject_vtimer(acked);
      acked = 0;
    } else {
      mmio_write32(sgi(GICR_ICENABLER0), 1u << VTIMER);          /* held until the guest enables it */
      vtimer_held = 1;
    }
  }
  if (acked) write_sysreg(icc_dir_el1, VTIMER);                  /* nothing to give the guest: deactivate */
  return vgic_lr_pending();
}
