// SP alignment faults (EC 0x26) at EL1 on SP_EL0 (SCTLR_EL1.SA) and at EL0
// (SCTLR_EL1.SA0), reported by lib.S's vectors. QEMU does not implement the
// check, so only el2sim runs this one; its expected output is the Arm ARM's.
    .text
    .global _start
_start:
    bl init
    adr x0, el1_main
    b to_el1

el1_main:
    adr x0, s_el1                // on SP_EL0, so the handler has a good SP_EL1
    bl puts
    msr spsel, #0
    mov x0, sp
    add x1, x0, #8
    mov sp, x1
    adr x19, 1f
    adr x20, 2f
1:  ldr x2, [sp]
2:  mov sp, x0
    msr spsel, #1
    adr x0, el0_part
    b to_el0

el0_part:
    adr x0, s_el0
    bl puts
    mov x0, sp
    sub x1, x0, #4
    mov sp, x1
    adr x19, 1f
    adr x20, 2f
1:  stp x2, x3, [sp, #-16]!
2:  mov sp, x0
    adr x0, s_svc
    bl puts
    adr x19, 1f
    adr x20, el1_done
    mov x21, #0x3c5              // back to EL1h
1:  svc #0

el1_done:
    adr x0, s_hvc
    bl puts
    adr x19, 1f
    adr x20, poweroff
    mov x21, #0x3c9              // on to EL2h
1:  hvc #0

s_el1: .asciz "el1 sp alignment: "
s_el0: .asciz "el0 sp alignment: "
s_svc: .asciz "el0 svc back to el1: "
s_hvc: .asciz "back to el2: "
    .balign 4
