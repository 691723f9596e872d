// Prints one line and powers off; needs no stack and no vectors, so it runs
// as QEMU starts it at EL2 (virtualization=on) or at EL1.
    .text
    .global _start
_start:
    adr x0, s_hello
    mrs x1, currentel
    bl putkv
    bl newline
    b poweroff

s_hello: .asciz "hello from bare metal, CurrentEL="
    .balign 4
