// Bad input: branches into data, 16 pseudo-random words (an LCG's, fixed)
// followed by zeros. Each exception they raise goes to a vector table of
// this image that reports it (ELR relative to the data) and goes on at the
// next word, trusting no register and no stack; the 24th powers off. The
// words may do anything (FP/SIMD ones run on QEMU, are UNDEFINED on el2sim),
// so this is not compared with QEMU: el2sim must just end the run cleanly.
    .equ COUNT, 0x40500000       // exceptions so far, away from image and stacks
    .equ MAX_EXCEPTIONS, 24

    .text
    .global _start
_start:
    adr x0, s_msg
    bl puts
    ldr x0, =COUNT
    str wzr, [x0]
    adr x0, data_vectors
    msr vbar_el2, x0
    isb
    adr x0, data
    br x0

// x15 = vector offset
data_exception:
    mrs x10, esr_el2
    mrs x11, elr_el2
    mrs x12, spsr_el2
    mrs x13, far_el2
    adr x9, s_exception
    adr x19, data
    bl report
    ldr x0, =COUNT
    ldr w1, [x0]
    add w1, w1, #1
    str w1, [x0]
    cmp w1, #MAX_EXCEPTIONS
    b.hs poweroff
    mrs x0, elr_el2
    add x0, x0, #4
    msr elr_el2, x0
    eret

s_msg:       .asciz "branching into data\n"
s_exception: .asciz "exception from data: vec="

    .balign 0x800
data_vectors:
    mov x15, #0x000
    b data_exception
    .balign 0x80
    mov x15, #0x080
    b data_exception
    .balign 0x80
    mov x15, #0x100
    b data_exception
    .balign 0x80
    mov x15, #0x180
    b data_exception
    .balign 0x80
    mov x15, #0x200
    b data_exception
    .balign 0x80
    mov x15, #0x280
    b data_exception
    .balign 0x80
    mov x15, #0x300
    b data_exception
    .balign 0x80
    mov x15, #0x380
    b data_exception
    .balign 0x80
    mov x15, #0x400
    b data_exception
    .balign 0x80
    mov x15, #0x480
    b data_exception
    .balign 0x80
    mov x15, #0x500
    b data_exception
    .balign 0x80
    mov x15, #0x580
    b data_exception
    .balign 0x80
    mov x15, #0x600
    b data_exception
    .balign 0x80
    mov x15, #0x680
    b data_exception
    .balign 0x80
    mov x15, #0x700
    b data_exception
    .balign 0x80
    mov x15, #0x780
    b data_exception

    .balign 8
data:
    .word 0x78dc9d8b, 0x3765a806, 0xe1886fbb, 0x9c3a48ce
    .word 0xe0f97869, 0x59f049c4, 0x593c5f3b, 0x002b58fb
    .word 0xe3d5777d, 0x0d0c6af1, 0x53a11850, 0x5e153296
    .word 0x59dfda45, 0x46a59646, 0x74c02258, 0xe18cf09b
    .skip 64
