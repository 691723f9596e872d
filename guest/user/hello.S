// hello: the smallest useful static AArch64 Linux program (write + exit).
    .text
    .global _start
_start:
    mov     x0, #1              // fd: stdout
    adr     x1, msg
    mov     x2, #len
    mov     x8, #64             // write
    svc     #0
    mov     x0, #0
    mov     x8, #93             // exit
    svc     #0

    .data
msg:
    .ascii  "Hello from EL0 on el2sim\n"
    len = . - msg
