// Exception vectors, the trap frame (struct frame in sched.h), the return to
// EL0, the kernel context switch, and the PSCI conduits.
    .equ FRAME_SIZE, 272                 // x0-x30, sp_el0, elr, spsr

    .macro kernel_entry
    sub sp, sp, #FRAME_SIZE
    stp x0, x1, [sp, #16 * 0]
    stp x2, x3, [sp, #16 * 1]
    stp x4, x5, [sp, #16 * 2]
    stp x6, x7, [sp, #16 * 3]
    stp x8, x9, [sp, #16 * 4]
    stp x10, x11, [sp, #16 * 5]
    stp x12, x13, [sp, #16 * 6]
    stp x14, x15, [sp, #16 * 7]
    stp x16, x17, [sp, #16 * 8]
    stp x18, x19, [sp, #16 * 9]
    stp x20, x21, [sp, #16 * 10]
    stp x22, x23, [sp, #16 * 11]
    stp x24, x25, [sp, #16 * 12]
    stp x26, x27, [sp, #16 * 13]
    stp x28, x29, [sp, #16 * 14]
    mrs x21, sp_el0
    stp x30, x21, [sp, #16 * 15]
    mrs x22, elr_el1
    mrs x23, spsr_el1
    stp x22, x23, [sp, #16 * 16]
    mov x0, sp
    .endm

    .macro ventry target
    .balign 0x80
    b \target
    .endm

    .text
    .balign 0x800
    .global vectors
vectors:
    ventry el1_bad                       // current EL with SP_EL0: never used
    ventry el1_bad
    ventry el1_bad
    ventry el1_bad
    ventry el1_bad                       // current EL with SP_ELx: a kernel bug
    ventry el1_bad                       // (IRQs are masked in the kernel)
    ventry el1_bad
    ventry el1_bad
    ventry el0_sync                      // lower EL, AArch64
    ventry el0_irq
    ventry el1_bad
    ventry el1_bad
    ventry el1_bad                       // lower EL, AArch32: not supported
    ventry el1_bad
    ventry el1_bad
    ventry el1_bad

el1_bad:
    kernel_entry
    bl kernel_fault

el0_sync:
    kernel_entry
    bl el0_sync_handler
    b ret_to_user

el0_irq:
    kernel_entry
    bl irq_poll
    b ret_to_user

    .global ret_from_fork
ret_from_fork:
    bl schedule_tail
ret_to_user:
    bl exit_to_user
    ldp x22, x23, [sp, #16 * 16]
    ldp x30, x21, [sp, #16 * 15]
    msr sp_el0, x21
    msr elr_el1, x22
    msr spsr_el1, x23
    ldp x0, x1, [sp, #16 * 0]
    ldp x2, x3, [sp, #16 * 1]
    ldp x4, x5, [sp, #16 * 2]
    ldp x6, x7, [sp, #16 * 3]
    ldp x8, x9, [sp, #16 * 4]
    ldp x10, x11, [sp, #16 * 5]
    ldp x12, x13, [sp, #16 * 6]
    ldp x14, x15, [sp, #16 * 7]
    ldp x16, x17, [sp, #16 * 8]
    ldp x18, x19, [sp, #16 * 9]
    ldp x20, x21, [sp, #16 * 10]
    ldp x22, x23, [sp, #16 * 11]
    ldp x24, x25, [sp, #16 * 12]
    ldp x26, x27, [sp, #16 * 13]
    ldp x28, x29, [sp, #16 * 14]
    add sp, sp, #FRAME_SIZE
    eret

// cpu_switch_to(prev, next): saves the callee-saved registers, sp and lr in
// *prev (struct context) and resumes *next where it saved them.
    .global cpu_switch_to
cpu_switch_to:
    mov x9, sp
    stp x19, x20, [x0, #16 * 0]
    stp x21, x22, [x0, #16 * 1]
    stp x23, x24, [x0, #16 * 2]
    stp x25, x26, [x0, #16 * 3]
    stp x27, x28, [x0, #16 * 4]
    stp x29, x9, [x0, #16 * 5]
    str x30, [x0, #16 * 6]
    ldp x19, x20, [x1, #16 * 0]
    ldp x21, x22, [x1, #16 * 1]
    ldp x23, x24, [x1, #16 * 2]
    ldp x25, x26, [x1, #16 * 3]
    ldp x27, x28, [x1, #16 * 4]
    ldp x29, x9, [x1, #16 * 5]
    ldr x30, [x1, #16 * 6]
    mov sp, x9
    ret

// psci_call(fn, a1, a2, a3) through SMC or HVC as psci_smc says.
    .global psci_call
psci_call:
    adrp x9, psci_smc
    ldr w9, [x9, :lo12:psci_smc]
    cbz w9, 1f
    smc #0
    ret
1:  hvc #0
    ret
