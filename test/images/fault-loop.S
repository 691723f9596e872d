// Bad input: a handler that returns to the faulting instruction, which
// faults again, for ever: a load from an address with nothing behind it,
// and an EL2 vector table whose every entry is a bare ERET. el2sim must end
// the run and say so.
    .text
    .global _start
_start:
    adr x0, s_msg
    bl puts
    adr x0, eret_vectors
    msr vbar_el2, x0
    isb
    mov x0, #0x09100000          // nothing here on virt
    ldr x1, [x0]
    adr x0, s_after              // not reached
    bl puts
    b poweroff

s_msg:   .asciz "loading from nothing, with a handler that retries\n"
s_after: .asciz "the load completed\n"

    .balign 0x800
eret_vectors:
    eret
    .balign 0x80
    eret
    .balign 0x80
    eret
    .balign 0x80
    eret
    .balign 0x80
    eret
    .balign 0x80
    eret
    .balign 0x80
    eret
    .balign 0x80
    eret
    .balign 0x80
    eret
    .balign 0x80
    eret
    .balign 0x80
    eret
    .balign 0x80
    eret
    .balign 0x80
    eret
    .balign 0x80
    eret
    .balign 0x80
    eret
    .balign 0x80
    eret
