// hello: a bare-metal image for `el2sim boot` (and qemu-system-aarch64 -M virt):
// prints its exception level over the PL011 UART, then powers off through PSCI.
// Assemble with: el2sim asm --text-base 0x40080000 hello.S -o hello.elf
    .equ    UART, 0x09000000
    .equ    PSCI_SYSTEM_OFF, 0x84000008
    .text
    .global _start
_start:
    ldr     x1, =UART
    adr     x2, msg
    bl      puts
    mrs     x0, CurrentEL
    lsr     x0, x0, #2
    add     w0, w0, #'0'
    strb    w0, [x1]
    mov     w0, #10
    strb    w0, [x1]
    ldr     x0, =PSCI_SYSTEM_OFF
    mrs     x3, CurrentEL
    cmp     x3, #8
    b.ne    1f
    smc     #0              // started at EL2: PSCI through SMC
1:  hvc     #0              // started at EL1: PSCI through HVC

// puts: the NUL-terminated string at x2 to the UART at x1
puts:
    ldrb    w0, [x2], #1
    cbz     w0, 2f
    strb    w0, [x1]
    b       puts
2:  ret

msg:
    .asciz  "Hello from bare metal on the virt machine, at EL"
    .balign 4
