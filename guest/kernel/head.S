// Entry from the loader at the image's physical address, MMU off, at EL2 or EL1.
// At EL2 it acts as a boot loader would: EL1 is AArch64, may use the counters
// and the GIC's system registers, and is entered by ERET. PSCI stays with the
// conduit the machine offers: SMC when entered at EL2, HVC at EL1.
// Then at EL1: one table serves TTBR0 (identity, for the instant the MMU goes
// on) and TTBR1 (the kernel at PA + KOFF): 1 GiB blocks, device memory below
// RAM, normal memory for the 3 GiB from 0x4000_0000.
    .equ KOFF, 0xffff000000000000
    .equ HCR_RW, 1 << 31
    .equ SPSR_EL1H_MASKED, 0x3c5
    .equ SCTLR_EL1_OFF, 0x30d00818       // RES1 bits, SA0, SA: MMU and caches off
    .equ SCTLR_EL1_ON, 0x30d0181d        // and M, C, I
    .equ MAIR_VAL, 0x04ff                // Attr0 normal write-back, Attr1 Device-nGnRE
    // T0SZ = T1SZ = 16 (48-bit, 4 levels), 4K granules, write-back inner shareable walks, 40-bit IPS, 8-bit ASIDs
    .equ TCR_VAL, 0x2b5103510
    .equ BLOCK_NORMAL, 0x0040000000000701 // UXN, AF, inner shareable, AttrIndx 0, block
    .equ BLOCK_DEVICE, 0x0060000000000405 // UXN, PXN, AF, AttrIndx 1, block

    .section .text.head, "ax"
    .global _start
_start:
    mrs x0, currentel
    cmp x0, #8
    b.ne el1_entry
    mov x0, #HCR_RW
    msr hcr_el2, x0
    mov x0, #3                           // CNTHCTL_EL2: EL1PCTEN, EL1PCEN
    msr cnthctl_el2, x0
    msr cntvoff_el2, xzr
    mov x0, #0xf                         // ICC_SRE_EL2: SRE, DFB, DIB, Enable (EL1 may use ICC_SRE_EL1)
    msr icc_sre_el2, x0
    mov x0, #SPSR_EL1H_MASKED
    msr spsr_el2, x0
    adr x0, from_el2
    msr elr_el2, x0
    isb
    eret
from_el2:
    mov x19, #1                          // PSCI through SMC
    b 1f
el1_entry:
    mov x19, #0                          // PSCI through HVC
1:  ldr x0, =SCTLR_EL1_OFF
    msr sctlr_el1, x0
    isb
    adrp x0, __bss_start                 // physical addresses: PC-relative, MMU off
    add x0, x0, :lo12:__bss_start
    adrp x1, _end
    add x1, x1, :lo12:_end
2:  stp xzr, xzr, [x0], #16
    cmp x0, x1
    b.lo 2b
    adrp x0, boot_l0
    adrp x1, boot_l1
    orr x2, x1, #3                       // table descriptor
    str x2, [x0]
    ldr x2, =BLOCK_DEVICE                // 0x0000_0000-0x3fff_ffff: devices
    str x2, [x1]
    ldr x2, =BLOCK_NORMAL + 0x40000000   // 0x4000_0000-0xffff_ffff: RAM
    mov x3, #0x40000000
    str x2, [x1, #8]
    add x2, x2, x3
    str x2, [x1, #16]
    add x2, x2, x3
    str x2, [x1, #24]
    dsb ish
    ldr x1, =MAIR_VAL
    msr mair_el1, x1
    ldr x1, =TCR_VAL
    msr tcr_el1, x1
    msr ttbr0_el1, x0
    msr ttbr1_el1, x0
    isb
    tlbi vmalle1
    dsb nsh
    ldr x0, =SCTLR_EL1_ON
    msr sctlr_el1, x0
    isb
    ldr x0, =high                        // an absolute address: the kernel's own, in TTBR1
    br x0
high:
    adrp x0, reserved_pg_dir             // TTBR0 empty until a process runs (adrp now gives
    mov x1, #KOFF                        // the kernel's address: make it physical)
    sub x0, x0, x1
    msr ttbr0_el1, x0
    isb
    tlbi vmalle1
    dsb nsh
    isb
    adrp x0, boot_stack_top
    add x0, x0, :lo12:boot_stack_top
    mov sp, x0
    adrp x0, vectors
    add x0, x0, :lo12:vectors
    msr vbar_el1, x0
    isb
    mov x0, x19
    bl kernel_main
3:  wfi
    b 3b
    .ltorg

    .bss
    .balign 4096
boot_l0: .skip 4096
boot_l1: .skip 4096
    .global reserved_pg_dir
reserved_pg_dir: .skip 4096
    .balign 16
boot_stack: .skip 8192
boot_stack_top:
