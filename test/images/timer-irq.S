// Generic timer interrupts through the GICv3, as PPIs in Group 1:
//   A: the EL2 physical timer (CNTHP, PPI 26) at EL2. Routed to EL1 by
//      HCR_EL2.IMO = 0, it stays pending at EL2 even unmasked; with IMO = 1
//      it is taken at the current-EL SPx IRQ vector (0x280).
//   B: the EL1 physical timer (CNTP, PPI 30) at EL1 with IMO = 0: taken at
//      EL1's vector 0x280.
//   C: the same timer with IMO = 1 (set through an HVC): taken to EL2 at the
//      lower-EL IRQ vector (0x480) although EL1 has IRQs masked.
// In A and B the timer is armed with IRQs masked and WFI waits until ISR_EL1
// shows it pending, so unmasking takes it at a fixed place: right after the
// MSR DAIFClr (the Arm ARM allows up to the next context synchronization
// event; QEMU and el2sim take it at once). What depends on timing (counts,
// where C's interrupt lands) is never printed.
//
// Each IRQ handler acknowledges (ICC_IAR1_EL1), disables the timer it names
// (its level-sensitive line would otherwise pend it again), EOIs and prints
//   `elN: vec=<offset> intid=<INTID>[ elr=+<ELR - x19>] spsr=<SPSR without NZCV> daif=<DAIF> rpr=<ICC_RPR_EL1 before the EOI>`
// (ELR only when x19 is not 0). Other exceptions go to lib.S's handlers,
// which print their line and go on at x20.
    .equ TIMER_PPIS, 0x44000000  // INTIDs 26 (CNTHP) and 30 (CNTP)
    .equ PPI_CNTHP, 26
    .equ HCR_RW_IMO, 0x80000010
    .equ CNTHCTL_EL1PC, 3        // EL1PCTEN, EL1PCEN: EL1 may use the physical counter and timer
    .equ TVAL, 0x400             // ticks until a timer fires
    .equ COUNT, 0x40500000       // interrupts taken, away from image and stacks

    .text
    .global _start
_start:
    bl init
    // IRQs from the current EL with SPx and, at EL2, from a lower EL go to the IRQ handlers
    adr x1, hooks_el1
    adr x0, el1_irq
    str x0, [x1, #(0x280 / 0x80) * 8]
    adr x1, hooks_el2
    adr x0, el2_irq
    str x0, [x1, #(0x280 / 0x80) * 8]
    str x0, [x1, #(0x480 / 0x80) * 8]
    ldr x0, =COUNT
    str wzr, [x0]
    mov x19, #0
    adr x20, unexpected
    mov x21, #0
    mov x22, #0
    mov w2, #TIMER_PPIS
    bl gic_init

    adr x0, s_test_a
    bl puts
    ldr x0, =HCR_RW_IMO          // routed to EL2 while it waits: masked only by PSTATE.I
    msr hcr_el2, x0
    mov x0, #TVAL
    msr cnthp_tval_el2, x0
    mov x0, #1
    msr cnthp_ctl_el2, x0
    bl wait_pending
    mov x0, #HCR_RW              // routed to EL1: unmasking at EL2 does not take it
    msr hcr_el2, x0
    isb
    msr daifclr, #2
    isb
    msr daifset, #2
    adr x0, s_imo0
    ldr x1, =COUNT
    ldr w1, [x1]
    bl putkv
    bl newline
    ldr x0, =HCR_RW_IMO
    msr hcr_el2, x0
    isb
    adr x19, 1f
1:  msr daifclr, #2
    msr daifset, #2

    adr x0, s_test_b
    bl puts
    mov x0, #HCR_RW
    msr hcr_el2, x0
    mov x0, #CNTHCTL_EL1PC
    msr cnthctl_el2, x0
    mov x0, #0x3c5               // EL1h, DAIF masked
    msr spsr_el2, x0
    adr x0, el1_main
    msr elr_el2, x0
    eret

el1_main:
    mov x0, #TVAL
    msr cntp_tval_el0, x0
    mov x0, #1
    msr cntp_ctl_el0, x0
    bl wait_pending
    adr x19, 1f
1:  msr daifclr, #2
    msr daifset, #2

    adr x0, s_test_c
    bl puts
    adr x19, 2f                  // lib.S's EL2 handler sets HCR_EL2 from x22
    adr x20, 3f
    ldr x22, =HCR_RW_IMO
2:  hvc #1
3:  mov x22, #0
    mov x19, #0
    adr x20, unexpected
    mov x0, #TVAL
    msr cntp_tval_el0, x0
    mov x0, #1
    msr cntp_ctl_el0, x0
    ldr x1, =COUNT               // polled, not WFI: EL1 cannot mask this interrupt, so it may be
4:  ldr w0, [x1]                 // taken between the test and a WFI, which would then sleep for ever
    cmp w0, #3
    b.ne 4b
    adr x19, 5f                  // on at EL2h with DAIF masked
    adr x20, el2_end
    mov x21, #0x3c9
5:  hvc #0

el2_end:
    adr x0, s_taken
    ldr x1, =COUNT
    ldr w1, [x1]
    bl putkv
    adr x0, s_rpr
    mrs x1, icc_rpr_el1
    bl putkv
    bl newline
    b poweroff

// Where lib.S's handlers go on after an exception this image does not
// expect (x20): SYSTEM_OFF from EL2, so a broken run ends at once.
unexpected:
    mrs x0, currentel
    cmp x0, #8
    b.eq poweroff
    adr x20, poweroff
    mov x21, #0x3c9              // EL2h, DAIF masked
    hvc #0


// With IRQs masked: WFI until ISR_EL1.I, then prints ISR_EL1 and the
// pending INTID. Clobbers x0-x10.
wait_pending:
    mov x10, x30
1:  wfi                          // a pending interrupt wakes it, masked or not
    mrs x0, isr_el1
    tbz x0, #7, 1b
    mov x1, x0
    adr x0, s_isr
    bl putkv
    adr x0, s_hppir
    mrs x1, icc_hppir1_el1
    bl putkv
    bl newline
    ret x10

// IRQ entries: x0 = vector offset, x0/x30 pushed.
el1_irq:
    bl save_regs
    mov x15, x0
    mrs x11, elr_el1
    mrs x12, spsr_el1
    adr x9, lib_s_el1
    b irq

el2_irq:
    bl save_regs
    mov x15, x0
    mrs x11, elr_el2
    mrs x12, spsr_el2
    adr x9, lib_s_el2
    b irq

// x9 = label, x15 = offset, x11/x12 = ELR/SPSR.
irq:
    mrs x10, icc_iar1_el1
    mrs x13, icc_rpr_el1
    cmp x10, #PPI_CNTHP
    b.ne 1f
    msr cnthp_ctl_el2, xzr
    b 2f
1:  msr cntp_ctl_el0, xzr
2:  isb
    msr icc_eoir1_el1, x10
    isb
    ldr x0, =COUNT
    ldr w1, [x0]
    add w1, w1, #1
    str w1, [x0]
    mov x0, x9
    bl puts
    mov x0, x15
    bl puthex
    adr x0, s_intid
    mov x1, x10
    bl putkv
    cbz x19, 3f
    adr x0, lib_s_elr
    sub x1, x11, x19
    bl putkv
3:  adr x0, lib_s_spsr
    and x1, x12, #0x0fffffff
    bl putkv
    adr x0, lib_s_daif
    mrs x1, daif
    bl putkv
    adr x0, s_rpr
    mov x1, x13
    bl putkv
    bl newline
    b restore_regs_eret

s_test_a: .asciz "test A: CNTHP (PPI 26) at EL2\n"
s_imo0:   .asciz "unmasked at EL2 with HCR_EL2.IMO=0: taken="
s_test_b: .asciz "test B: CNTP (PPI 30) at EL1, HCR_EL2.IMO=0\n"
s_test_c: .asciz "test C: CNTP (PPI 30) at EL1 with IRQs masked, HCR_EL2.IMO=1\n"
s_taken:  .asciz "interrupts taken: "
s_isr:    .asciz "pending: isr="
s_hppir:  .asciz " hppir1="
s_intid:  .asciz " intid="
s_rpr:    .asciz " rpr="
