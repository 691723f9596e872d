// GICv3 virtualization: EL2 injects virtual interrupts into an EL1 guest
// through the list registers, as a hypervisor does.
//   EL2 enables the virtual interface (ICH_HCR_EL2.En), routes physical
//   IRQs and FIQs to itself (HCR_EL2.IMO/FMO, which also give EL1 the
//   virtual view ICV_* of the ICC_* registers) and enters EL1 with IRQs
//   unmasked. EL1 enables its virtual Group 1 and opens its priority mask,
//   then asks EL2 for interrupts with HVCs:
//   1: vINTID 42 (Group 1, priority 0xa0) in ICH_LR0_EL2; 2 shows its state
//      after the guest's EOI.
//   3: vINTID 43 with HW = 1 standing for physical INTID 3, which EL2 made
//      active: the guest's EOI deactivates it too; 4 shows that.
//   5: vINTID 44 with EOI = 1 in ICH_LR2_EL2: the guest's EOI raises the
//      maintenance interrupt (PPI 25), taken to EL2 inside the guest's handler.
//   0: EL2 shows ICH_VMCR_EL2 (what the guest's ICV writes made of it) and
//      powers off.
// The guest's IRQ handler prints
//   `el1: vec=<offset> elr=+<ELR - x19> spsr=<SPSR> hppir1=<HPPIR1> intid=<IAR1> rpr=<RPR> rpr after eoi=<RPR>`.
    .equ GICR_ISACTIVER0, 0x300
    .equ MAINT_BIT, 0x2000000    // INTID 25, the maintenance interrupt
    .equ HCR_RW_IMO_FMO, 0x80000018
    .equ EL1H_IRQ_ON, 0x305      // EL1h, D and A masked, I and F clear
    .equ LR_42, 0x50a000000000002a // State pending, Group 1, priority 0xa0, vINTID 42
    .equ LR_43_HW3, 0x709000030000002b // and HW = 1, pINTID 3, priority 0x90, vINTID 43
    .equ LR_44_EOI, 0x50a002000000002c // pending, Group 1, EOI, priority 0xa0, vINTID 44

    .text
    .global _start
_start:
    bl init
    // the guest's IRQs (current EL, SPx) go to el1_irq; at EL2 its HVCs and IRQs to el2_hvc and el2_irq
    adr x1, hooks_el1
    adr x0, el1_irq
    str x0, [x1, #(0x280 / 0x80) * 8]
    adr x1, hooks_el2
    adr x0, el2_hvc
    str x0, [x1, #(0x400 / 0x80) * 8]
    adr x0, el2_irq
    str x0, [x1, #(0x480 / 0x80) * 8]
    mov x19, #0
    adr x20, unexpected
    mov x21, #0
    mov x22, #0
    mov w2, #MAINT_BIT
    bl gic_init
    adr x0, s_vtr
    mrs x1, ich_vtr_el2
    bl putkv
    adr x0, s_vmcr
    mrs x1, ich_vmcr_el2
    bl putkv
    bl newline
    mov x0, #1                   // ICH_HCR_EL2.En
    msr ich_hcr_el2, x0
    ldr x0, =HCR_RW_IMO_FMO
    msr hcr_el2, x0
    mov x0, #EL1H_IRQ_ON
    msr spsr_el2, x0
    adr x0, el1_main
    msr elr_el2, x0
    eret

el1_main:
    mov x0, #1
    msr icc_igrpen1_el1, x0      // ICV_IGRPEN1_EL1: ICH_VMCR_EL2.VENG1
    mov x0, #0xff
    msr icc_pmr_el1, x0          // ICV_PMR_EL1: ICH_VMCR_EL2.VPMR
    isb
    adr x0, s_guest_pmr
    mrs x1, icc_pmr_el1
    bl putkv
    adr x0, s_igrpen1
    mrs x1, icc_igrpen1_el1
    bl putkv
    adr x0, s_ctlr
    mrs x1, icc_ctlr_el1
    bl putkv
    adr x0, s_rpr
    mrs x1, icc_rpr_el1
    bl putkv
    adr x0, s_hppir
    mrs x1, icc_hppir1_el1
    bl putkv
    bl newline
    adr x19, 1f                  // the vIRQ is taken as soon as EL2 returns
1:  hvc #1
    hvc #2
    adr x19, 2f
2:  hvc #3
    hvc #4
    adr x19, 3f
3:  hvc #5
    hvc #0

// Where lib.S's handlers go on after an exception this image does not
// expect (x20): SYSTEM_OFF from EL2, so a broken run ends at once.
unexpected:
    mrs x0, currentel
    cmp x0, #8
    b.eq poweroff
    adr x20, poweroff
    mov x21, #0x3c9              // EL2h, DAIF masked
    hvc #0


// The guest's virtual IRQ: x0 = vector offset, x0/x30 pushed.
el1_irq:
    bl save_regs
    mov x15, x0
    mrs x11, elr_el1
    mrs x12, spsr_el1
    mrs x13, icc_hppir1_el1
    mrs x10, icc_iar1_el1
    mrs x14, icc_rpr_el1
    msr icc_eoir1_el1, x10
    isb
    mrs x16, icc_rpr_el1
    adr x0, lib_s_el1
    bl puts
    mov x0, x15
    bl puthex
    adr x0, lib_s_elr
    sub x1, x11, x19
    bl putkv
    adr x0, lib_s_spsr
    and x1, x12, #0x0fffffff
    bl putkv
    adr x0, s_hppir
    mov x1, x13
    bl putkv
    adr x0, s_intid
    mov x1, x10
    bl putkv
    adr x0, s_rpr
    mov x1, x14
    bl putkv
    adr x0, s_rpr_eoi
    mov x1, x16
    bl putkv
    bl newline
    b restore_regs_eret

// HVC from the guest: x0 = vector offset, x0/x30 pushed. Dispatches on the
// HVC's immediate; returns after the HVC.
el2_hvc:
    mrs x30, esr_el2             // x30 is pushed: free until save_regs
    lsr x30, x30, #26
    cmp x30, #0x16               // EC: HVC from AArch64; anything else is reported by lib.S
    b.ne el2_exception
    bl save_regs
    mrs x10, esr_el2
    and x10, x10, #0xffff
    cbz x10, el2_off
    cmp x10, #1
    b.eq inject_42
    cmp x10, #2
    b.eq show_lr0
    cmp x10, #3
    b.eq inject_43
    cmp x10, #4
    b.eq show_lr1
    b inject_44

inject_42:
    ldr x0, =LR_42
    msr ich_lr0_el2, x0
    b restore_regs_eret

show_lr0:
    adr x0, s_lr0
    mrs x1, ich_lr0_el2
    bl putkv
    adr x0, s_state
    mrs x1, ich_lr0_el2
    lsr x1, x1, #62
    bl putkv
    bl show_status
    b restore_regs_eret

inject_43:
    mov x1, #GICR_SGI
    mov w0, #8                   // INTID 3 active, as if EL2 had acknowledged it with EOImode = 1
    str w0, [x1, #GICR_ISACTIVER0]
    adr x0, s_isactiver
    ldr w1, [x1, #GICR_ISACTIVER0]
    bl putkv
    bl newline
    ldr x0, =LR_43_HW3
    msr ich_lr1_el2, x0
    b restore_regs_eret

show_lr1:
    adr x0, s_lr1
    mrs x1, ich_lr1_el2
    bl putkv
    adr x0, s_isactiver_now
    mov x1, #GICR_SGI
    ldr w1, [x1, #GICR_ISACTIVER0]
    bl putkv
    bl show_status
    b restore_regs_eret

inject_44:
    ldr x0, =LR_44_EOI
    msr ich_lr2_el2, x0
    b restore_regs_eret

el2_off:
    adr x0, s_vmcr_end
    mrs x1, ich_vmcr_el2
    bl putkv
    adr x0, s_hcr
    mrs x1, ich_hcr_el2
    bl putkv
    bl newline
    b poweroff

// Prints ICH_ELRSR_EL2, ICH_EISR_EL2, ICH_MISR_EL2 and a newline. Clobbers x0-x9.
show_status:
    mov x9, x30
    adr x0, s_elrsr
    mrs x1, ich_elrsr_el2
    bl putkv
    adr x0, s_eisr
    mrs x1, ich_eisr_el2
    bl putkv
    adr x0, s_misr
    mrs x1, ich_misr_el2
    bl putkv
    bl newline
    ret x9

// The maintenance interrupt, physical, taken to EL2 from the guest: shows
// why, frees the list register, ends the interrupt.
el2_irq:
    bl save_regs
    mov x15, x0
    mrs x10, icc_iar1_el1
    adr x0, lib_s_el2
    bl puts
    mov x0, x15
    bl puthex
    adr x0, s_intid
    mov x1, x10
    bl putkv
    adr x0, s_lr2
    mrs x1, ich_lr2_el2
    bl putkv
    bl show_status
    msr ich_lr2_el2, xzr
    msr icc_eoir1_el1, x10
    isb
    b restore_regs_eret

s_vtr:       .asciz "ich_vtr_el2="
s_vmcr:      .asciz " ich_vmcr_el2="
s_guest_pmr: .asciz "guest: pmr="
s_igrpen1:   .asciz " igrpen1="
s_ctlr:      .asciz " ctlr="
s_rpr:       .asciz " rpr="
s_hppir:     .asciz " hppir1="
s_intid:     .asciz " intid="
s_rpr_eoi:   .asciz " rpr after eoi="
s_lr0:       .asciz "el2: lr0="
s_lr1:       .asciz "el2: lr1="
s_lr2:       .asciz " lr2="
s_state:     .asciz " state="
s_isactiver: .asciz "el2: isactiver0="
s_isactiver_now: .asciz " isactiver0="
s_elrsr:     .asciz " elrsr="
s_eisr:      .asciz " eisr="
s_misr:      .asciz " misr="
s_vmcr_end:  .asciz "el2: ich_vmcr_el2="
s_hcr:       .asciz " ich_hcr_el2="
