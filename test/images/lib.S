// Shared by every bare-metal test image: the harness puts this file before
// the image's source (the assembler has no .include), so its symbols are
// taken and its constants usable; an image starts at its global _start. The
// images run on QEMU's virt machine and on `el2sim boot` with the MMU off
// (VA = PA, data accesses Device memory, so they are all aligned).
//
// Printing: puts, puthex, putkv, newline. They clobber x0-x8 only and use no
// stack, so an image can print before it has one (or when it has none).
//
// init (at EL2): stacks for EL2, EL1 and EL0, SCTLR_EL2/EL1 with the MMU and
// caches off and SP alignment checking on, HCR_EL2 = RW (EL1 is AArch64, no
// traps), VBAR_EL2 and VBAR_EL1 at this file's vector tables.
//
// Vectors: an image can take over an entry by storing a handler's address in
// hooks_el1/hooks_el2 (one doubleword per entry, offset / 0x80); the handler
// starts as the stub leaves it: x0 = the offset, x0 and x30 pushed. Every other
// entry of both tables prints one line
//   `elN: vec=<offset> esr=<ESR> elr=+<ELR - x19> spsr=<SPSR without NZCV> daif=<DAIF>[ far=<FAR>]`
// (FAR only for the ECs that set it) and returns to x20, with SPSR replaced
// by x21 when x21 is not 0; before that, an exception taken to EL2 writes x22
// to HCR_EL2 when x22 is not 0. So a test sets x19 to the instruction it
// expects to fault (ELR is printed relative to it), x20 to where execution
// goes on, and asks EL2 for traps with x22 and an HVC. An image with its own
// vectors can print the same line with report.
//
// poweroff: PSCI SYSTEM_OFF through SMC at EL2 and HVC at EL1 (QEMU's
// conduits without EL3 firmware); it does not return. to_el1, to_el0: drop
// to a lower EL at the address in x0. gic_init: the GICv3 on, for the PPIs
// in w2. guest_init and mmu_el1_on: for images that start at EL1 as guests.

    .equ UART, 0x09000000        // PL011 data register (UARTDR)
    .equ UARTFR, 0x18            // flag register; bit 5 TXFF: transmit FIFO full
    .equ STACK_EL2, 0x40400000   // stacks grow down from here, 1 MiB apart
    .equ STACK_EL1, 0x40300000
    .equ STACK_EL0, 0x40200000
    .equ SCTLR_EL2_VAL, 0x30c50838 // RES1 bits, SA
    .equ SCTLR_EL1_VAL, 0x30d00818 // RES1 bits, SA0, SA
    .equ HCR_RW, 0x80000000
    .equ PSCI_SYSTEM_OFF, 0x84000008
    .equ GICD, 0x08000000
    .equ GICD_RWP, 31            // GICD_CTLR: register write pending
    .equ GICD_CTLR_VAL, 0x12     // ARE (RAO with one Security state), EnableGrp1
    .equ GICR_RD, 0x080a0000     // this CPU's redistributor, RD_base frame
    .equ GICR_WAKER, 0x14
    .equ GICR_SGI, 0x080b0000    // its SGI_base frame
    .equ GICR_IGROUPR0, 0x80
    .equ GICR_ISENABLER0, 0x100
    .equ GICR_IPRIORITYR6, 0x418 // INTIDs 24-27
    .equ GICR_IPRIORITYR7, 0x41c // INTIDs 28-31
    .equ PRIO_0X80, 0x80808080

    .text
// w0: one byte to the UART. Clobbers x1, x2.
putc:
    mov x1, #UART
1:  ldr w2, [x1, #UARTFR]
    tbnz w2, #5, 1b
    str w0, [x1]
    ret

// x0: NUL-terminated string. Clobbers x0-x3, x7.
puts:
    mov x7, x30
    mov x3, x0
1:  ldrb w0, [x3], #1
    cbz w0, 2f
    bl putc
    b 1b
2:  ret x7

// x0: value, printed as 0x and hex digits without leading zeros. Clobbers x0-x7.
puthex:
    mov x7, x30
    mov x4, x0
    mov w0, #'0'
    bl putc
    mov w0, #'x'
    bl putc
    mov x5, #60                  // shift of the first digit printed
1:  cbz x5, 2f
    lsr x3, x4, x5
    tst x3, #0xf
    b.ne 2f
    sub x5, x5, #4
    b 1b
2:  lsr x3, x4, x5
    and x3, x3, #0xf
    add x0, x3, #'0'
    add x6, x3, #'a' - 10
    cmp x3, #10
    csel x0, x6, x0, hs
    bl putc
    cbz x5, 3f
    sub x5, x5, #4
    b 2b
3:  ret x7

// x0: label string, x1: value; prints the label then the value. Clobbers x0-x8.
putkv:
    mov x8, x30
    mov x6, x1
    bl puts
    mov x0, x6
    bl puthex
    ret x8

// Clobbers x0-x2.
newline:
    mov w0, #'\n'
    b putc

// At EL2; clobbers x0.
init:
    mov x0, #STACK_EL2
    mov sp, x0
    mov x0, #STACK_EL1
    msr sp_el1, x0
    mov x0, #STACK_EL0
    msr sp_el0, x0
    ldr x0, =SCTLR_EL2_VAL
    msr sctlr_el2, x0
    ldr x0, =SCTLR_EL1_VAL
    msr sctlr_el1, x0
    mov x0, #HCR_RW
    msr hcr_el2, x0
    adr x0, vectors_el2
    msr vbar_el2, x0
    adr x0, vectors_el1
    msr vbar_el1, x0
    isb
    ret

poweroff:
    mrs x0, currentel
    cmp x0, #8
    ldr x0, =PSCI_SYSTEM_OFF
    b.ne 1f
    smc #0
    b 2f
1:  hvc #0
2:  mov x1, x0                   // SYSTEM_OFF returned: say so, then wait for the timeout
    adr x0, lib_s_poweroff_failed
    bl putkv
    bl newline
3:  wfi
    b 3b

// to_el1 (at EL2): ERET to EL1h at x0, DAIF masked, with x21 = x22 = 0 (see
// the vectors). to_el0 (at EL1): ERET to EL0t at x0, DAIF clear.
to_el1:
    msr elr_el2, x0
    mov x0, #0x3c5
    msr spsr_el2, x0
    mov x21, #0
    mov x22, #0
    eret
to_el0:
    msr elr_el1, x0
    msr spsr_el1, xzr
    eret

// guest_init (at EL1, for an image that is a guest kernel: started at EL1 by
// the machine or a hypervisor): the EL1 stack and VBAR_EL1 at this file's
// vectors. Clobbers x0.
guest_init:
    mov x0, #STACK_EL1
    mov sp, x0
    adr x0, vectors_el1
    msr vbar_el1, x0
    isb
    ret

// mmu_el1_on (at EL1): MAIR_EL1 = x2, TCR_EL1 = x1, TTBR0_EL1 = x0, the EL1&0
// TLB entries dropped, then SCTLR_EL1 = x3 (M set: the MMU on).
mmu_el1_on:
    msr mair_el1, x2
    msr tcr_el1, x1
    msr ttbr0_el1, x0
    isb
    tlbi vmalle1
    dsb nsh
    msr sctlr_el1, x3
    isb
    ret

// gic_init (at EL2): the redistributor awake, the PPIs whose bits w2 sets in
// Group 1, enabled, at priority 0x80; the distributor's Group 1 on; the system
// register interface for EL2 and EL1, every priority unmasked, Group 1
// enabled. Clobbers x0, x1.
gic_init:
    mov x1, #GICR_RD
    ldr w0, [x1, #GICR_WAKER]
    and w0, w0, #0xfffffffd      // clear ProcessorSleep
    str w0, [x1, #GICR_WAKER]
1:  ldr w0, [x1, #GICR_WAKER]
    tbnz w0, #2, 1b              // ChildrenAsleep
    mov x1, #GICR_SGI
    str w2, [x1, #GICR_IGROUPR0]
    str w2, [x1, #GICR_ISENABLER0]
    ldr w0, =PRIO_0X80
    str w0, [x1, #GICR_IPRIORITYR6]
    str w0, [x1, #GICR_IPRIORITYR7]
    mov x1, #GICD
    mov w0, #GICD_CTLR_VAL
    str w0, [x1]
2:  ldr w0, [x1]
    tbnz w0, #GICD_RWP, 2b
    mov x0, #0xf                 // SRE, DFB, DIB, Enable (EL1 may use ICC_SRE_EL1)
    msr icc_sre_el2, x0
    isb
    mov x0, #1
    msr icc_sre_el1, x0
    isb
    mov x0, #0xff
    msr icc_pmr_el1, x0
    mov x0, #1
    msr icc_igrpen1_el1, x0
    isb
    ret

// After an exception entry: x0 = vector offset, x0/x30 pushed. save_regs
// pushes x1-x18; the EL-specific part reads ESR, ELR, SPSR, FAR into
// x10-x13 and x9 = the line's label for report.
save_regs:
    stp x1, x2, [sp, #-16]!
    stp x3, x4, [sp, #-16]!
    stp x5, x6, [sp, #-16]!
    stp x7, x8, [sp, #-16]!
    stp x9, x10, [sp, #-16]!
    stp x11, x12, [sp, #-16]!
    stp x13, x14, [sp, #-16]!
    stp x15, x16, [sp, #-16]!
    stp x17, x18, [sp, #-16]!
    ret

restore_regs_eret:
    ldp x17, x18, [sp], #16
    ldp x15, x16, [sp], #16
    ldp x13, x14, [sp], #16
    ldp x11, x12, [sp], #16
    ldp x9, x10, [sp], #16
    ldp x7, x8, [sp], #16
    ldp x5, x6, [sp], #16
    ldp x3, x4, [sp], #16
    ldp x1, x2, [sp], #16
    ldp x0, x30, [sp], #16
    eret

el1_exception:
    adr x30, hooks_el1              // x30 is saved by the vector stub
    add x30, x30, x0, lsr #4        // one hook per vector entry (offset / 0x80 * 8)
    ldr x30, [x30]
    cbz x30, 1f
    br x30
1:  bl save_regs
    mov x15, x0
    mrs x10, esr_el1
    mrs x11, elr_el1
    mrs x12, spsr_el1
    mrs x13, far_el1
    adr x9, lib_s_el1
    bl report
    msr elr_el1, x20
    cbz x21, 1f
    msr spsr_el1, x21
1:  b restore_regs_eret

el2_exception:
    adr x30, hooks_el2
    add x30, x30, x0, lsr #4
    ldr x30, [x30]
    cbz x30, 1f
    br x30
1:  bl save_regs
    mov x15, x0
    mrs x10, esr_el2
    mrs x11, elr_el2
    mrs x12, spsr_el2
    mrs x13, far_el2
    adr x9, lib_s_el2
    bl report
    cbz x22, 1f
    msr hcr_el2, x22
    isb
1:  msr elr_el2, x20
    cbz x21, 2f
    msr spsr_el2, x21
2:  b restore_regs_eret

// The line of an exception: x9 = its label ("elN: vec="), x15 = vector
// offset, x10-x13 = ESR, ELR, SPSR, FAR, x19 = ELR's reference. Clobbers
// x0-x8, x16, x17.
report:
    mov x16, x30
    mov x0, x9
    bl puts
    mov x0, x15
    bl puthex
    adr x0, lib_s_esr
    mov x1, x10
    bl putkv
    adr x0, lib_s_elr
    sub x1, x11, x19
    bl putkv
    adr x0, lib_s_spsr
    and x1, x12, #0x0fffffff
    bl putkv
    adr x0, lib_s_daif
    mrs x1, daif
    bl putkv
    lsr x17, x10, #26            // EC: FAR is set by instruction aborts (0x20, 0x21),
    cmp x17, #0x20               // PC alignment (0x22) and data aborts (0x24, 0x25)
    b.lo 1f
    cmp x17, #0x25
    b.hi 1f
    cmp x17, #0x23
    b.eq 1f
    adr x0, lib_s_far
    mov x1, x13
    bl putkv
1:  bl newline
    ret x16

lib_s_el1:  .asciz "el1: vec="
lib_s_el2:  .asciz "el2: vec="
lib_s_esr:  .asciz " esr="
lib_s_elr:  .asciz " elr=+"
lib_s_spsr: .asciz " spsr="
lib_s_daif: .asciz " daif="
lib_s_far:  .asciz " far="
lib_s_poweroff_failed: .asciz "SYSTEM_OFF returned "

// Each entry: push x0/x30, x0 = its offset, common code of its EL.
    .balign 0x800
vectors_el1:
    stp x0, x30, [sp, #-16]!
    mov x0, #0x000
    b el1_exception
    .balign 0x80
    stp x0, x30, [sp, #-16]!
    mov x0, #0x080
    b el1_exception
    .balign 0x80
    stp x0, x30, [sp, #-16]!
    mov x0, #0x100
    b el1_exception
    .balign 0x80
    stp x0, x30, [sp, #-16]!
    mov x0, #0x180
    b el1_exception
    .balign 0x80
    stp x0, x30, [sp, #-16]!
    mov x0, #0x200
    b el1_exception
    .balign 0x80
    stp x0, x30, [sp, #-16]!
    mov x0, #0x280
    b el1_exception
    .balign 0x80
    stp x0, x30, [sp, #-16]!
    mov x0, #0x300
    b el1_exception
    .balign 0x80
    stp x0, x30, [sp, #-16]!
    mov x0, #0x380
    b el1_exception
    .balign 0x80
    stp x0, x30, [sp, #-16]!
    mov x0, #0x400
    b el1_exception
    .balign 0x80
    stp x0, x30, [sp, #-16]!
    mov x0, #0x480
    b el1_exception
    .balign 0x80
    stp x0, x30, [sp, #-16]!
    mov x0, #0x500
    b el1_exception
    .balign 0x80
    stp x0, x30, [sp, #-16]!
    mov x0, #0x580
    b el1_exception
    .balign 0x80
    stp x0, x30, [sp, #-16]!
    mov x0, #0x600
    b el1_exception
    .balign 0x80
    stp x0, x30, [sp, #-16]!
    mov x0, #0x680
    b el1_exception
    .balign 0x80
    stp x0, x30, [sp, #-16]!
    mov x0, #0x700
    b el1_exception
    .balign 0x80
    stp x0, x30, [sp, #-16]!
    mov x0, #0x780
    b el1_exception

    .balign 0x800
vectors_el2:
    stp x0, x30, [sp, #-16]!
    mov x0, #0x000
    b el2_exception
    .balign 0x80
    stp x0, x30, [sp, #-16]!
    mov x0, #0x080
    b el2_exception
    .balign 0x80
    stp x0, x30, [sp, #-16]!
    mov x0, #0x100
    b el2_exception
    .balign 0x80
    stp x0, x30, [sp, #-16]!
    mov x0, #0x180
    b el2_exception
    .balign 0x80
    stp x0, x30, [sp, #-16]!
    mov x0, #0x200
    b el2_exception
    .balign 0x80
    stp x0, x30, [sp, #-16]!
    mov x0, #0x280
    b el2_exception
    .balign 0x80
    stp x0, x30, [sp, #-16]!
    mov x0, #0x300
    b el2_exception
    .balign 0x80
    stp x0, x30, [sp, #-16]!
    mov x0, #0x380
    b el2_exception
    .balign 0x80
    stp x0, x30, [sp, #-16]!
    mov x0, #0x400
    b el2_exception
    .balign 0x80
    stp x0, x30, [sp, #-16]!
    mov x0, #0x480
    b el2_exception
    .balign 0x80
    stp x0, x30, [sp, #-16]!
    mov x0, #0x500
    b el2_exception
    .balign 0x80
    stp x0, x30, [sp, #-16]!
    mov x0, #0x580
    b el2_exception
    .balign 0x80
    stp x0, x30, [sp, #-16]!
    mov x0, #0x600
    b el2_exception
    .balign 0x80
    stp x0, x30, [sp, #-16]!
    mov x0, #0x680
    b el2_exception
    .balign 0x80
    stp x0, x30, [sp, #-16]!
    mov x0, #0x700
    b el2_exception
    .balign 0x80
    stp x0, x30, [sp, #-16]!
    mov x0, #0x780
    b el2_exception

// In .text, not .data: every image's text is then laid out the same by both
// assemblers (RAM is writable with the MMU off).
    .balign 8
hooks_el1: .skip 16 * 8
hooks_el2: .skip 16 * 8
