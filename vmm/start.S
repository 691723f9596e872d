// Entry at EL2 from the machine's loader (MMU off, DAIF masked), the EL2
// exception vectors and the two world switches.
//
// thin: an exit saves x0-x18, x29 and x30 (what the C handler may clobber under
//   AAPCS64) on the EL2 stack and calls the handler; the guest's x19-x28 stay
//   in the registers, preserved by the handler as callee-saved. A handler that
//   needs one of them (an MMIO or MSR access with Rt in x19-x28) returns
//   EXIT_NEED_REGS before doing anything, and is called again with them saved.
// full: an exit saves all of x0-x30, the guest's EL1 system registers, its
//   virtual timer and its GIC list registers (guest_ctx), and loads a host EL1
//   context (host_ctx) as a split-mode hypervisor does on its way to a host
//   kernel; after the handler it saves the host context and reloads the guest's.
    .equ FRAME_SIZE, 256                 // struct frame: x0-x30, have_all
    .equ HAVE_ALL, 248

    .section .text.head, "ax"
    .global _start
_start:
    msr daifset, #0xf
    adrp x0, stack_top
    add x0, x0, :lo12:stack_top
    mov sp, x0
    adrp x0, __bss_start
    add x0, x0, :lo12:__bss_start
    adrp x1, __bss_end
    add x1, x1, :lo12:__bss_end
1:  stp xzr, xzr, [x0], #16
    cmp x0, x1
    b.lo 1b
    adrp x0, vectors_thin
    add x0, x0, :lo12:vectors_thin
    msr vbar_el2, x0
    isb
    bl el2_mmu_init
    bl vmm_main
2:  wfi
    b 2b

    .text
// ---- saving and restoring general-purpose registers ----
    .macro save_thin
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
    str x18, [sp, #8 * 18]
    stp x29, x30, [sp, #8 * 29]
    str xzr, [sp, #HAVE_ALL]
    .endm

    .macro restore_thin
    ldp x0, x1, [sp, #16 * 0]
    ldp x2, x3, [sp, #16 * 1]
    ldp x4, x5, [sp, #16 * 2]
    ldp x6, x7, [sp, #16 * 3]
    ldp x8, x9, [sp, #16 * 4]
    ldp x10, x11, [sp, #16 * 5]
    ldp x12, x13, [sp, #16 * 6]
    ldp x14, x15, [sp, #16 * 7]
    ldp x16, x17, [sp, #16 * 8]
    ldr x18, [sp, #8 * 18]
    ldp x29, x30, [sp, #8 * 29]
    add sp, sp, #FRAME_SIZE
    .endm

    .macro save_callee
    stp x19, x20, [sp, #8 * 19]
    stp x21, x22, [sp, #8 * 21]
    stp x23, x24, [sp, #8 * 23]
    stp x25, x26, [sp, #8 * 25]
    stp x27, x28, [sp, #8 * 27]
    .endm

    .macro restore_callee
    ldp x19, x20, [sp, #8 * 19]
    ldp x21, x22, [sp, #8 * 21]
    ldp x23, x24, [sp, #8 * 23]
    ldp x25, x26, [sp, #8 * 25]
    ldp x27, x28, [sp, #8 * 27]
    .endm

// ---- the EL1 context of the full switch (struct el1_ctx, vmm.h's order) ----
    .macro save_ctx base
    adrp x0, \base
    add x0, x0, :lo12:\base
    mrs x1, sctlr_el1
    mrs x2, tcr_el1
    stp x1, x2, [x0, #16 * 0]
    mrs x1, ttbr0_el1
    mrs x2, ttbr1_el1
    stp x1, x2, [x0, #16 * 1]
    mrs x1, mair_el1
    mrs x2, amair_el1
    stp x1, x2, [x0, #16 * 2]
    mrs x1, vbar_el1
    mrs x2, contextidr_el1
    stp x1, x2, [x0, #16 * 3]
    mrs x1, tpidr_el0
    mrs x2, tpidr_el1
    stp x1, x2, [x0, #16 * 4]
    mrs x1, tpidrro_el0
    mrs x2, esr_el1
    stp x1, x2, [x0, #16 * 5]
    mrs x1, far_el1
    mrs x2, afsr0_el1
    stp x1, x2, [x0, #16 * 6]
    mrs x1, afsr1_el1
    mrs x2, par_el1
    stp x1, x2, [x0, #16 * 7]
    mrs x1, cpacr_el1
    mrs x2, cntkctl_el1
    stp x1, x2, [x0, #16 * 8]
    mrs x1, sp_el0
    mrs x2, sp_el1
    stp x1, x2, [x0, #16 * 9]
    mrs x1, elr_el1
    mrs x2, spsr_el1
    stp x1, x2, [x0, #16 * 10]
    mrs x1, cntv_ctl_el0
    mrs x2, cntv_cval_el0
    stp x1, x2, [x0, #16 * 11]
    mrs x1, ich_vmcr_el2
    mrs x2, ich_ap1r0_el2
    stp x1, x2, [x0, #16 * 12]
    mrs x1, ich_lr0_el2
    mrs x2, ich_lr1_el2
    stp x1, x2, [x0, #16 * 13]
    mrs x1, ich_lr2_el2
    mrs x2, ich_lr3_el2
    stp x1, x2, [x0, #16 * 14]
    .endm

    .macro load_ctx base
    adrp x0, \base
    add x0, x0, :lo12:\base
    ldp x1, x2, [x0, #16 * 0]
    msr sctlr_el1, x1
    msr tcr_el1, x2
    ldp x1, x2, [x0, #16 * 1]
    msr ttbr0_el1, x1
    msr ttbr1_el1, x2
    ldp x1, x2, [x0, #16 * 2]
    msr mair_el1, x1
    msr amair_el1, x2
    ldp x1, x2, [x0, #16 * 3]
    msr vbar_el1, x1
    msr contextidr_el1, x2
    ldp x1, x2, [x0, #16 * 4]
    msr tpidr_el0, x1
    msr tpidr_el1, x2
    ldp x1, x2, [x0, #16 * 5]
    msr tpidrro_el0, x1
    msr esr_el1, x2
    ldp x1, x2, [x0, #16 * 6]
    msr far_el1, x1
    msr afsr0_el1, x2
    ldp x1, x2, [x0, #16 * 7]
    msr afsr1_el1, x1
    msr par_el1, x2
    ldp x1, x2, [x0, #16 * 8]
    msr cpacr_el1, x1
    msr cntkctl_el1, x2
    ldp x1, x2, [x0, #16 * 9]
    msr sp_el0, x1
    msr sp_el1, x2
    ldp x1, x2, [x0, #16 * 10]
    msr elr_el1, x1
    msr spsr_el1, x2
    ldp x1, x2, [x0, #16 * 11]
    msr cntv_cval_el0, x2                // the deadline before the enable
    msr cntv_ctl_el0, x1
    ldp x1, x2, [x0, #16 * 12]
    msr ich_vmcr_el2, x1
    msr ich_ap1r0_el2, x2
    ldp x1, x2, [x0, #16 * 13]
    msr ich_lr0_el2, x1
    msr ich_lr1_el2, x2
    ldp x1, x2, [x0, #16 * 14]
    msr ich_lr2_el2, x1
    msr ich_lr3_el2, x2
    isb
    .endm

// The guest's context out, the host's in; and back.
to_host:
    save_ctx guest_ctx
    load_ctx host_ctx
    ret
to_guest:
    save_ctx host_ctx
    load_ctx guest_ctx
    ret

// ---- vectors ----
    .macro ventry target
    .balign 0x80
    b \target
    .endm

    .macro vectors name, sync, irq, fiq, serror
    .balign 0x800
    .global \name
\name:
    ventry el2_sync_sp0                  // current EL, SP_EL0: never used
    ventry el2_irq
    ventry el2_irq
    ventry el2_serror
    ventry el2_sync                      // current EL, SP_EL2: a vmm fault
    ventry el2_irq                       // (IRQs are masked at EL2)
    ventry el2_irq
    ventry el2_serror
    ventry \sync                         // lower EL, AArch64: the guest
    ventry \irq
    ventry \fiq
    ventry \serror
    ventry lower_aarch32                 // lower EL, AArch32: not supported
    ventry lower_aarch32
    ventry lower_aarch32
    ventry lower_aarch32
    .endm

    vectors vectors_thin, thin_sync, thin_irq, thin_fiq, thin_serror
    vectors vectors_full, full_sync, full_irq, full_fiq, full_serror

el2_sync_sp0:
el2_sync:
el2_irq:
el2_serror:
    mov x0, #0
    b vmm_el2_fault
lower_aarch32:
    mov x0, #1
    b vmm_el2_fault

thin_sync:
    save_thin
    mov x0, sp
    bl vmm_exit_sync
    cbz x0, 1f
    save_callee                          // EXIT_NEED_REGS: again, with x19-x28
    mov x0, #1
    str x0, [sp, #HAVE_ALL]
    mov x0, sp
    bl vmm_exit_sync
    restore_callee
1:  restore_thin
    eret

thin_irq:
    save_thin
    bl vmm_exit_irq
    restore_thin
    eret

thin_fiq:
    save_thin
    bl vmm_exit_fiq
    restore_thin
    eret

thin_serror:
    save_thin
    save_callee
    mov x0, sp
    bl vmm_exit_serror

    .macro full_exit handler
    save_thin
    save_callee
    mov x0, #1
    str x0, [sp, #HAVE_ALL]
    bl to_host
    mov x0, sp
    bl \handler
    bl to_guest
    restore_callee
    restore_thin
    eret
    .endm

full_sync:
    full_exit vmm_exit_sync
full_irq:
    full_exit vmm_exit_irq
full_fiq:
    full_exit vmm_exit_fiq
full_serror:
    full_exit vmm_exit_serror

// guest_enter_first(entry): the guest's initial EL1 context (guest_ctx) into the
// CPU, all general-purpose registers zero (x0 = 0), ERET to EL1h with DAIF masked.
    .global guest_enter_first
guest_enter_first:
    msr elr_el2, x0
    mov x0, #0x3c5
    msr spsr_el2, x0
    load_ctx guest_ctx
    adrp x0, stack_top
    add x0, x0, :lo12:stack_top
    mov sp, x0
    mov x0, #0
    mov x1, #0
    mov x2, #0
    mov x3, #0
    mov x4, #0
    mov x5, #0
    mov x6, #0
    mov x7, #0
    mov x8, #0
    mov x9, #0
    mov x10, #0
    mov x11, #0
    mov x12, #0
    mov x13, #0
    mov x14, #0
    mov x15, #0
    mov x16, #0
    mov x17, #0
    mov x18, #0
    mov x19, #0
    mov x20, #0
    mov x21, #0
    mov x22, #0
    mov x23, #0
    mov x24, #0
    mov x25, #0
    mov x26, #0
    mov x27, #0
    mov x28, #0
    mov x29, #0
    mov x30, #0
    eret

    .bss
    .balign 16
stack: .skip 16384
    .global stack_top
stack_top:
