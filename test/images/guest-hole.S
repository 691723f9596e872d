// A guest at EL1 (natively, or as the vmm's guest) that reads addresses where
// the virt machine has neither RAM nor a device: the first byte after its RAM
// (x24, the caller's RAM size: ldr'd below from the constant GUEST_RAM_END) and
// 0x0c00_0000. Each read takes a synchronous external abort at EL1 (lib.S's
// handler prints it and goes on at x20); under a hypervisor the vmm must
// inject exactly what the hardware gives natively.
    .equ GUEST_RAM_END, 0x50000000       // RAM at 0x4000_0000, 256 MiB
    .equ HOLE, 0x0c000000

    .text
    .global _start
_start:
    bl guest_init
    ldr x0, =GUEST_RAM_END
    adr x19, 1f
    adr x20, 2f
1:  ldr w1, [x0]
2:  ldr x0, =HOLE
    adr x19, 1f
    adr x20, 2f
1:  str x3, [x0, #8]
2:  adr x0, s_done
    bl puts
    b poweroff
s_done: .asciz "done\n"
    .balign 4
