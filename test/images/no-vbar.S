// Bad input: takes an exception without ever setting VBAR_EL2. It resets to
// 0 (QEMU and el2sim), so the BRK vectors to 0x200, where virt has no RAM
// for el2sim: the fetch aborts and vectors to 0x200 again, for ever. el2sim
// must end the run and say so; QEMU is not asked (it has flash at 0).
    .text
    .global _start
_start:
    adr x0, s_msg
    bl puts
    brk #0
    adr x0, s_after              // not reached
    bl puts
    b poweroff

s_msg:   .asciz "taking an exception with VBAR_EL2 unset\n"
s_after: .asciz "returned from the exception\n"
    .balign 4
