// intloop: the integer loop of the speed benchmark (bench/): adds, logic,
// shifts, a load and a store, and a conditional branch per iteration.
// ITERS sets the iteration count (the benchmark rewrites that line); the program
// prints a checksum so a run can be checked against qemu-aarch64.
    .equ    ITERS, 1000000
    .text
    .global _start
_start:
    ldr     x1, =ITERS
    adr     x2, buf
    mov     x0, #0
    mov     x3, #0x9e37
    movk    x3, #0x79b9, lsl #16
    mov     x4, #0
loop:
    add     x4, x4, x0
    eor     x5, x4, x3, lsl #7
    lsr     x6, x5, #11
    and     x7, x6, #0xf8
    ldr     x9, [x2, x7]
    add     x9, x9, x5
    str     x9, [x2, x7]
    orr     x4, x4, x9, ror #3
    add     x0, x0, #1
    cmp     x0, x1
    b.ne    loop
    // checksum: the 16 hex digits of x4, then a newline
    adr     x1, out
    mov     x2, #60
1:  lsr     x5, x4, x2
    and     x5, x5, #0xf
    cmp     x5, #10
    add     x6, x5, #'0'
    add     x7, x5, #('a' - 10)
    csel    x5, x6, x7, lo
    strb    w5, [x1], #1
    subs    x2, x2, #4
    b.pl    1b
    mov     w5, #10             // '\n'
    strb    w5, [x1]
    mov     x0, #1
    adr     x1, out
    mov     x2, #17
    mov     x8, #64
    svc     #0
    mov     x0, #0
    mov     x8, #93
    svc     #0

    .data
    .balign 8
buf:
    .skip   256
out:
    .skip   32
