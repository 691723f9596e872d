// The cycle counter counts each cycle at the EL the cycle ledger books it to:
// an ERET's own cost belongs to EL2, the EL that executed it. EL2 is not
// counted here (PMCCFILTR_EL0.NSH = 0), so what EL1 counts over a loop of HVCs
// (each a round trip through EL2) does not depend on what an ERET costs; the
// image prints that count and the test runs it at two ERET costs.
    .text
    .global _start
_start:
    bl init
    adr x0, hvc_hook
    adr x1, hooks_el2
    str x0, [x1, #0x400 / 0x80 * 8]     // synchronous, from a lower EL
    mov x0, #5                          // PMCR_EL0: E, C
    msr pmcr_el0, x0
    mov x0, #0x80000000                 // PMCNTENSET_EL0.C
    msr pmcntenset_el0, x0
    msr pmccfiltr_el0, xzr
    isb
    mov x23, #0
    adr x0, el1
    b to_el1

el1:
    mov x2, #16
    mrs x19, pmccntr_el0
1:  hvc #1
    subs x2, x2, #1
    b.ne 1b
    mrs x20, pmccntr_el0
    mov x23, #1
    hvc #2

hvc_hook:
    cbnz x23, 1f
    ldp x0, x30, [sp], #16
    eret
1:  adr x0, s_cycles
    sub x1, x20, x19
    bl putkv
    bl newline
    b poweroff

s_cycles: .asciz "el1 cycles: "
