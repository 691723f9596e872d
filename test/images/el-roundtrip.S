// EL2 -> EL1 -> EL0 -> EL1 -> EL2 through ERET, SVC and HVC, printing
// CurrentEL at each level and, from lib.S's vectors, each exception's
// syndrome, return address and saved PSTATE. Ends with SYSTEM_OFF at EL2.
    .text
    .global _start
_start:
    bl init
    adr x0, s_el2
    mrs x1, currentel
    bl putkv
    bl newline
    adr x0, el1_main
    b to_el1

el1_main:
    adr x0, s_el1
    mrs x1, currentel
    bl putkv
    adr x0, s_spsel
    mrs x1, spsel
    bl putkv
    bl newline
    adr x0, el0_main
    b to_el0

el0_main:
    adr x19, 1f                  // a system call that returns to EL0
    adr x20, 2f
1:  svc #0x42
2:  adr x0, s_el0
    bl puts
    adr x19, 3f                  // one whose handler goes on at EL1
    adr x20, el1_again
    mov x21, #0x3c5
3:  svc #0x43

el1_again:
    adr x0, s_el1
    mrs x1, currentel
    bl putkv
    bl newline
    adr x19, 4f                  // a hypercall that returns to EL1
    adr x20, 5f
    mov x21, #0
4:  hvc #0x7
5:  adr x0, s_el1_back
    bl puts
    adr x19, 6f                  // one whose handler goes on at EL2
    adr x20, el2_again
    mov x21, #0x3c9              // EL2h, DAIF masked
6:  hvc #0

el2_again:
    adr x0, s_el2
    mrs x1, currentel
    bl putkv
    bl newline
    b poweroff

s_el2:      .asciz "at EL2: CurrentEL="
s_el1:      .asciz "at EL1: CurrentEL="
s_spsel:    .asciz " SPSel="
s_el0:      .asciz "at EL0: back from SVC\n"
s_el1_back: .asciz "at EL1: back from HVC\n"
    .balign 4
