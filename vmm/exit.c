// Exits, by exception class, as bhyve's handle_el1_sync_excp dispatches them:
// stage 2 data and instruction aborts (lazy mapping of guest RAM, MMIO
// emulation of the UART and the GIC, an external abort injected for a hole),
// HVC (PSCI), trapped WFI, trapped ID register reads (TID3), and IRQs.
#include "stats.h"

#define EC_UNKNOWN 0x00
#define EC_WFX 0x01
#define EC_HVC64 0x16
#define EC_SMC64 0x17
#define EC_MSR 0x18
#define EC_IABT_LOWER 0x20
#define EC_IABT_CUR 0x21
#define EC_DABT_LOWER 0x24
#define EC_DABT_CUR 0x25
#define EC_SS_LOWER 0x32
#define EC_BRK 0x3c

#define ISS_ISV (1u << 24)
#define ISS_SSE (1u << 21)
#define ISS_SF (1u << 15)
#define ISS_S1PTW (1u << 7)
#define ISS_WNR (1u << 6)
#define FSC_EXTERNAL 0x10
#define FSC_EXTERNAL_WALK 0x14
#define ESR_IL (1u << 25)
#define SPSR_EL1H_MASKED 0x3c5

/* ---- the guest's EL1 registers: live (thin) or saved in guest_ctx (full) ---- */

#define LIVE(id, reg) case id: return read_sysreg(reg);
#define SET_LIVE(id, reg) case id: write_sysreg(reg, v); return;
#define GUEST_REGS(X) \
  X(C_SCTLR, sctlr_el1) X(C_TCR, tcr_el1) X(C_TTBR0, ttbr0_el1) X(C_TTBR1, ttbr1_el1) X(C_VBAR, vbar_el1) \
  X(C_ESR, esr_el1) X(C_FAR, far_el1) X(C_ELR, elr_el1) X(C_SPSR, spsr_el1) X(C_SP_EL0, sp_el0) X(C_SP_EL1, sp_el1) \
  X(C_CNTV_CTL, cntv_ctl_el0) X(C_CNTV_CVAL, cntv_cval_el0) \
  X(C_LR0, ich_lr0_el2) X(C_LR1, ich_lr1_el2) X(C_LR2, ich_lr2_el2) X(C_LR3, ich_lr3_el2) \
  X(C_MAIR, mair_el1) X(C_AMAIR, amair_el1) X(C_CONTEXTIDR, contextidr_el1) X(C_AFSR0, afsr0_el1) X(C_AFSR1, afsr1_el1)

u64 guest_get(enum ctx_reg r) {
  if (switch_full) return guest_ctx.r[r];
  switch (r) {
    GUEST_REGS(LIVE)
    default: fatal("guest register %d not readable", r);
  }
}

void guest_set(enum ctx_reg r, u64 v) {
  if (switch_full) {
    guest_ctx.r[r] = v;
    return;
  }
  switch (r) {
    GUEST_REGS(SET_LIVE)
    default: fatal("guest register %d not writable", r);
  }
}

/* ---- general-purpose registers of the guest ---- */

static int callee_saved(unsigned r) { return r >= 19 && r <= 28; }
static u64 reg_get(struct frame *f, unsigned r) { return r == 31 ? 0 : f->x[r]; }
static void reg_set(struct frame *f, unsigned r, u64 v) { if (r != 31) f->x[r] = v; }
static void skip_insn(void) { write_sysreg(elr_el2, read_sysreg(elr_el2) + 4); }

/** The guest's SP for a base register 31: SP_EL1 in EL1h, SP_EL0 in EL1t and EL0. */
static enum ctx_reg guest_sp(void) { return (read_sysreg(spsr_el2) & 0xf) == 5 ? C_SP_EL1 : C_SP_EL0; }

/* ---- the guest's stage 1, walked in software (for the instruction of an access without syndrome) ---- */

static int guest_read64(u64 ipa, u64 *v) {
  if (!ipa_in_ram(ipa) || !ipa_in_ram(ipa + 7)) return -1;
  *v = *(volatile u64 *)ipa_to_pa(ipa);
  return 0;
}

/** The IPA of guest VA va under its SCTLR_EL1/TCR_EL1/TTBRn_EL1; -1 on a fault, and then in
 *  *hole_level the level whose table is not in guest RAM (or -1). */
static s64 guest_walk(u64 va, int *hole_level) {
  *hole_level = -1;
  if (!(guest_get(C_SCTLR) & 1)) return va;
  u64 tcr = guest_get(C_TCR);
  int upper = (va >> 55) & 1;
  unsigned tsz = upper ? (tcr >> 16) & 0x3f : tcr & 0x3f;
  unsigned tg = upper ? (tcr >> 30) & 3 : (tcr >> 14) & 3;
  unsigned g = upper ? (tg == 1 ? 14 : tg == 3 ? 16 : 12) : (tg == 2 ? 14 : tg == 1 ? 16 : 12);
  unsigned vabits = 64 - tsz, stride = g - 3;
  u64 top = upper ? ~va : va;
  if (vabits < 16 || (vabits < 64 && top >> vabits)) return -1;
  unsigned levels = (vabits - g + stride - 1) / stride;
  u64 table = (upper ? guest_get(C_TTBR1) : guest_get(C_TTBR0)) & 0x0000fffffffffffeull;
  for (unsigned level = 4 - levels;; level++) {
    unsigned shift = g + stride * (3 - level);
    unsigned bits = level == 4 - levels ? vabits - shift : stride;
    u64 d;
    if (guest_read64((table & ~7ull) + 8 * ((va >> shift) & ((1ull << bits) - 1)), &d)) {
      *hole_level = level;
      return -1;
    }
    if (!(d & 1)) return -1;
    u64 oa = d & 0x0000ffffffffffffull & ~((1ull << g) - 1);
    if (level == 3 || (d & 3) == 1) {
      if (level == 3 && (d & 3) != 3) return -1;
      return (oa & ~((1ull << shift) - 1)) | (va & ((1ull << shift) - 1));
    }
    table = oa;
  }
}

/* ---- one load or store: from the syndrome, or decoded from the instruction ---- */

struct access {
  unsigned rt, size, sign, sf, write;
  int wb_rn;      /* base register written back (pre/post-index), or -1 */
  s64 wb_imm;
  int prefetch;   /* PRFM: nothing to do */
};

static int decode_insn(u32 w, struct access *a) {
  unsigned size = w >> 30, opc = (w >> 22) & 3;
  *a = (struct access){ .rt = w & 31, .size = 1u << size, .wb_rn = -1 };
  if ((w & 0x3f000000) == 0x39000000) {
    /* unsigned offset */
  } else if ((w & 0x3f200000) == 0x38000000) {
    unsigned idx = (w >> 10) & 3;
    if (idx == 1 || idx == 3) {
      a->wb_rn = (w >> 5) & 31;
      a->wb_imm = ((s64)(((w >> 12) & 0x1ff) << 23)) >> 23;
    }
  } else if ((w & 0x3f200c00) == 0x38200800) {
    /* register offset */
  } else {
    return -1;
  }
  switch (opc) {
    case 0: a->write = 1; a->sf = size == 3; break;
    case 1: a->sf = size == 3; break;
    case 2:
      if (size == 3) a->prefetch = 1;
      else a->sign = 1, a->sf = 1;
      break;
    case 3:
      if (size >= 2) return -1;
      a->sign = 1;
      break;
  }
  return 0;
}

/** The access of a data abort; -1 when the instruction cannot be emulated. */
static int fault_access(u64 esr, struct access *a) {
  if (esr & ISS_ISV) {
    *a = (struct access){ .rt = (esr >> 16) & 31, .size = 1u << ((esr >> 22) & 3), .sign = !!(esr & ISS_SSE),
                          .sf = !!(esr & ISS_SF), .write = !!(esr & ISS_WNR), .wb_rn = -1 };
    return 0;
  }
  int hole;
  s64 ipa = opt.shadow ? shadow_guest_ipa(read_sysreg(elr_el2), 4, (read_sysreg(spsr_el2) & 0xf) ? 1 : 0)
                       : guest_walk(read_sysreg(elr_el2), &hole);
  u64 word;
  if (ipa < 0 || guest_read64(ipa & ~7ull, &word)) return -1;
  STAT(MMIO_DECODED);
  return decode_insn((u32)(word >> (8 * (ipa & 4))), a);
}

/* ---- devices ---- */

static u64 uart_access(u64 off, const struct access *a, u64 v) {
  u64 pa = UART_PA + off;
  if (a->write) {
    switch (a->size) {
      case 1: *(volatile u8 *)pa = v; break;
      case 2: *(volatile u16 *)pa = v; break;
      default: *(volatile u32 *)pa = v; break;
    }
    return 0;
  }
  switch (a->size) {
    case 1: return *(volatile u8 *)pa;
    case 2: return *(volatile u16 *)pa;
    default: return *(volatile u32 *)pa;
  }
}

/** An external abort into the guest's EL1 as the hardware takes it natively (fsc: 0x10, or 0x14 + level on a walk). */
void inject_abort(int insn, u64 far, int write, unsigned fsc, u64 extra) {
  u64 spsr = read_sysreg(spsr_el2), elr = read_sysreg(elr_el2);
  unsigned mode = spsr & 0xf;
  int from_el0 = mode == 0;
  u64 ec = insn ? (from_el0 ? EC_IABT_LOWER : EC_IABT_CUR) : (from_el0 ? EC_DABT_LOWER : EC_DABT_CUR);
  guest_set(C_ESR, (ec << 26) | ESR_IL | fsc | (write && !insn ? ISS_WNR : 0) | (insn ? 0 : extra));
  guest_set(C_FAR, far);
  guest_set(C_ELR, elr);
  guest_set(C_SPSR, spsr);
  u64 offset = from_el0 ? 0x400 : mode == 5 ? 0x200 : 0;
  write_sysreg(elr_el2, guest_get(C_VBAR) + offset);
  write_sysreg(spsr_el2, SPSR_EL1H_MASKED);
  STAT(INJECT_ABORT);
}

int is_device(u64 ipa) {
  return ipa - UART_PA < UART_SIZE || ipa - GICD_PA < GICD_SIZE || ipa - GICR_PA < GICR_SIZE;
}

/** Whether emulating this abort needs x19-x28 (thin switch: not saved yet). */
static int abort_needs_regs(u64 esr, u64 ipa) {
  struct access a;
  if (!is_device(ipa) || fault_access(esr, &a)) return 0;
  return callee_saved(a.rt) || (a.wb_rn >= 0 && callee_saved(a.wb_rn));
}

static void count_fault(u64 esr) {
  switch ((esr >> 2) & 0xf) {
    case 1: STAT(S2_FAULT_TRANSLATION); break;
    case 2: STAT(S2_FAULT_ACCESS_FLAG); break;
    case 3: STAT(S2_FAULT_PERMISSION); break;
    default: STAT(S2_FAULT_OTHER); break;
  }
}

/** A stage 1 walk of the guest that read a descriptor outside guest RAM: natively an external abort on the walk. */
static int inject_walk_abort(int insn, u64 esr) {
  int level;
  u64 far = read_sysreg(far_el2);
  if (guest_walk(far, &level) >= 0 || level < 0) return 0;
  STAT(MMIO_UNMAPPED);
  inject_abort(insn, far, !insn && (esr & ISS_WNR), FSC_EXTERNAL_WALK + level, 0);
  return 1;
}

static u64 fault_ipa(void) {
  return ((read_sysreg(hpfar_el2) & 0x00000ffffffffff0ull) << 8) | (read_sysreg(far_el2) & 0xfff);
}

static void unhandled(u64 esr) {
  fatal("unhandled exit EC=0x%lx ESR=0x%lx ELR=0x%lx FAR=0x%lx", esr >> 26, esr, read_sysreg(elr_el2), read_sysreg(far_el2));
}

static void data_abort(struct frame *f, u64 esr) {
  u64 ipa = fault_ipa(), far = read_sysreg(far_el2);
  unsigned type = (esr >> 2) & 0xf;
  STAT(VMEXIT_DATA_ABORT);
  count_fault(esr);
  if (ipa_in_ram(ipa) && (type == 1 || type == 2)) {
    STAT(S2_PAGING);
    stage2_map_fault(ipa);
    return;
  }
  if (esr & ISS_S1PTW && !ipa_in_ram(ipa) && inject_walk_abort(0, esr)) return;
  if (ipa_in_ram(ipa) || esr & ISS_S1PTW) unhandled(esr);
  if (!is_device(ipa)) {
    STAT(MMIO_UNMAPPED);
    inject_abort(0, far, !!(esr & ISS_WNR), FSC_EXTERNAL, 0);
    return;
  }
  mmio_emulate(f, esr, ipa);
}

int abort_needs_regs_dev(u64 esr) {
  struct access a;
  if (fault_access(esr, &a)) return 0;
  return callee_saved(a.rt) || (a.wb_rn >= 0 && callee_saved(a.wb_rn));
}

void mmio_emulate(struct frame *f, u64 esr, u64 ipa) {
  struct access a;
  if (fault_access(esr, &a)) fatal("cannot emulate the access at 0x%lx to IPA 0x%lx (instruction not decoded)", read_sysreg(elr_el2), ipa);
  if (!a.prefetch) {
    u64 v = a.write ? reg_get(f, a.rt) : 0;
    if (a.size < 8) v &= (1ull << (8 * a.size)) - 1;
    if (ipa - UART_PA < UART_SIZE) {
      STAT(MMIO_UART);
      v = uart_access(ipa - UART_PA, &a, v);
    } else {
      if (ipa - GICD_PA < GICD_SIZE) STAT(MMIO_GICD);
      else STAT(MMIO_GICR);
      vgic_mmio(ipa, a.write, a.size, &v);
    }
    if (!a.write) {
      if (a.size < 8) v &= (1ull << (8 * a.size)) - 1;
      if (a.sign && a.size < 8 && (v >> (8 * a.size - 1)) & 1) v |= ~0ull << (8 * a.size);
      if (!a.sf) v &= 0xffffffffull;
      reg_set(f, a.rt, v);
    }
  }
  if (a.wb_rn == 31) guest_set(guest_sp(), guest_get(guest_sp()) + a.wb_imm);
  else if (a.wb_rn >= 0) f->x[a.wb_rn] += a.wb_imm;
  skip_insn();
}

static void insn_abort(u64 esr) {
  u64 ipa = fault_ipa();
  unsigned type = (esr >> 2) & 0xf;
  STAT(VMEXIT_INSN_ABORT);
  count_fault(esr);
  if (ipa_in_ram(ipa) && (type == 1 || type == 2)) {
    STAT(S2_PAGING);
    stage2_map_fault(ipa);
    return;
  }
  if (esr & ISS_S1PTW && !ipa_in_ram(ipa) && inject_walk_abort(1, esr)) return;
  if (ipa_in_ram(ipa) || esr & ISS_S1PTW) unhandled(esr);
  STAT(MMIO_UNMAPPED);
  inject_abort(1, read_sysreg(far_el2), 0, FSC_EXTERNAL, 0);
}

static void hvc(struct frame *f) {
  u64 x0 = f->x[0], r = PSCI_NOT_SUPPORTED;
  u32 fn = (u32)x0 & ~0x40000000u;                 /* SMC32 and SMC64 forms alike */
  STAT(VMEXIT_HVC);
  if (x0 >> 32) goto out;
  STAT(PSCI_CALL);
  switch (fn) {
    case PSCI_VERSION: r = 0x10001; break;           /* PSCI 1.1, as the machine's firmware */
    case PSCI_FEATURES: {
      u32 q = (u32)f->x[1] & ~0x40000000u;
      r = q == PSCI_VERSION || q == PSCI_FEATURES || q == PSCI_SYSTEM_OFF ? 0 : PSCI_NOT_SUPPORTED;
      break;
    }
    case PSCI_SYSTEM_OFF:
      if (opt.stats) print_stats();
      power_off();
    default: break;                                  /* CPU_ON and the rest: NOT_SUPPORTED */
  }
out:
  f->x[0] = r;
}

/** ID registers (op0 3, op1 0, CRn 0): the CPU's own values, the unallocated ones RAZ. */
static u64 id_reg(unsigned crm, unsigned op2) {
  switch (crm << 3 | op2) {
    case 4 << 3 | 0: return read_sysreg(id_aa64pfr0_el1);
    case 4 << 3 | 1: return read_sysreg(id_aa64pfr1_el1);
    case 5 << 3 | 0: return read_sysreg(id_aa64dfr0_el1);
    case 5 << 3 | 1: return read_sysreg(id_aa64dfr1_el1);
    case 5 << 3 | 4: return read_sysreg(id_aa64afr0_el1);
    case 5 << 3 | 5: return read_sysreg(id_aa64afr1_el1);
    case 6 << 3 | 0: return read_sysreg(id_aa64isar0_el1);
    case 6 << 3 | 1: return read_sysreg(id_aa64isar1_el1);
    case 7 << 3 | 0: return read_sysreg(id_aa64mmfr0_el1);
    case 7 << 3 | 1: return read_sysreg(id_aa64mmfr1_el1);
    case 7 << 3 | 2: return read_sysreg(s3_0_c0_c7_2);   /* ID_AA64MMFR2_EL1 */
    default: return 0;
  }
}

static void sysreg_trap(struct frame *f, u64 esr) {
  unsigned op0 = (esr >> 20) & 3, op2 = (esr >> 17) & 7, op1 = (esr >> 14) & 7, crn = (esr >> 10) & 15;
  unsigned rt = (esr >> 5) & 31, crm = (esr >> 1) & 15, read = esr & 1;
  STAT(VMEXIT_MSR);
  if (opt.shadow && shadow_sysreg(f, esr)) return;
  if (!read || op0 != 3 || op1 != 0 || crn != 0 || crm < 1) unhandled(esr);
  reg_set(f, rt, id_reg(crm, op2));
  skip_insn();
}

static void wfi(void) {
  STAT(VMEXIT_WFI);
  skip_insn();
  if (vgic_sync_vtimer()) return;                  /* something to take already */
  u64 ctl = guest_get(C_CNTV_CTL);
  if ((ctl & 3) != 1) fatal("the guest waits for an interrupt (WFI) with its timer off and none pending");
  STAT(WFI_WAIT);
  if (switch_full) {
    /* The guest's timer is saved and off: the host waits on the EL2 physical timer (PPI 26) for its deadline. */
    write_sysreg(cnthp_cval_el2, guest_get(C_CNTV_CVAL) + read_sysreg(cntvoff_el2));
    write_sysreg(cnthp_ctl_el2, 1);
    isb();
  }
  do __asm__ volatile("wfi" ::: "memory");
  while (!vgic_sync_vtimer());
}

unsigned long vmm_exit_sync(struct frame *f) {
  u64 esr = read_sysreg(esr_el2);
  unsigned ec = esr >> 26;
  if (!f->have_all) {
    if (ec == EC_MSR && callee_saved((esr >> 5) & 31)) return EXIT_NEED_REGS;
    if (ec == EC_DABT_LOWER && (opt.shadow ? shadow_abort_needs_regs(esr, 0) : abort_needs_regs(esr, fault_ipa()))) return EXIT_NEED_REGS;
  }
  STAT(VMEXIT_COUNT);
  if (opt.shadow && (ec == EC_DABT_LOWER || ec == EC_IABT_LOWER)) {
    if (ec == EC_DABT_LOWER) STAT(VMEXIT_DATA_ABORT);
    else STAT(VMEXIT_INSN_ABORT);
    shadow_abort(f, esr, ec == EC_IABT_LOWER);
    return EXIT_DONE;
  }
  switch (ec) {
    case EC_DABT_LOWER: data_abort(f, esr); break;
    case EC_IABT_LOWER: insn_abort(esr); break;
    case EC_HVC64: hvc(f); break;
    case EC_MSR: sysreg_trap(f, esr); break;
    case EC_WFX:
      if (esr & 1) {
        STAT(VMEXIT_WFE);
        skip_insn();
      } else {
        wfi();
      }
      break;
    case EC_UNKNOWN: STAT(VMEXIT_UNKNOWN); unhandled(esr); break;
    case EC_BRK: STAT(VMEXIT_BRK); unhandled(esr); break;
    case EC_SS_LOWER: STAT(VMEXIT_SS); unhandled(esr); break;
    default: STAT(VMEXIT_UNHANDLED_SYNC); unhandled(esr); break;
  }
  return EXIT_DONE;
}

void vmm_exit_irq(void) {
  STAT(VMEXIT_COUNT);
  STAT(VMEXIT_IRQ);
  vgic_sync_vtimer();
}

void vmm_exit_fiq(void) {
  STAT(VMEXIT_COUNT);
  STAT(VMEXIT_FIQ);
}

void vmm_exit_serror(void) {
  STAT(VMEXIT_COUNT);
  STAT(VMEXIT_UNHANDLED);
  fatal("unhandled exit: SError from the guest, ESR=0x%lx ELR=0x%lx", read_sysreg(esr_el2), read_sysreg(elr_el2));
}

void vmm_el2_fault(unsigned long aarch32) {
  STAT(VMEXIT_UNHANDLED_EL2);
  if (aarch32) fatal("unhandled exit: exception from AArch32, ESR=0x%lx ELR=0x%lx", read_sysreg(esr_el2), read_sysreg(elr_el2));
  fatal("exception in the vmm at EL2: ESR=0x%lx ELR=0x%lx FAR=0x%lx", read_sysreg(esr_el2), read_sysreg(elr_el2), read_sysreg(far_el2));
}
