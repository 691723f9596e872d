// tlbloop: a bare-metal memory loop at EL2 for the MMU benchmarks (bench/run.ts).
// With MMU = 1 it maps the first 128 MiB of RAM with 4 KiB pages (and the UART's
// gigabyte as a Device block) in the EL2 regime and turns the MMU on; with MMU = 0
// it runs the same loop untranslated. The loop reads, adds to and writes back one
// doubleword in each of PAGES pages of a buffer, ITERS times: PAGES = 16 stays in
// the L1 D-TLB, PAGES = 8192 (32 MiB) misses the L2 TLB on nearly every access.
// Assemble with: el2sim asm --text-base 0x40080000 tlbloop.S -o tlbloop.elf
    .equ    MMU, 1
    .equ    PAGES, 16
    .equ    ITERS, 1000
    .equ    UART, 0x09000000
    .equ    PSCI_SYSTEM_OFF, 0x84000008
    .equ    L1, 0x40800000              // level 1 table (4 KiB)
    .equ    L2, 0x40801000              // level 2 table (4 KiB)
    .equ    L3, 0x40802000              // 64 level 3 tables (256 KiB): 128 MiB of pages
    .equ    BUF, 0x41000000
    .equ    NORMAL_PAGE, 0x707           // page | AF | SH inner | AttrIndx 1 (Normal WB)
    .equ    DEVICE_BLOCK, 0x401         // block | AF, AttrIndx 0 (Device-nGnRnE)
    .text
    .global _start
_start:
    mov     x0, #MMU
    cbz     x0, loop_start
    // level 3: 32768 pages from 0x40000000
    ldr     x1, =L3
    ldr     x2, =0x40000000 + NORMAL_PAGE
    mov     x3, #32768
1:  str     x2, [x1], #8
    add     x2, x2, #0x1000
    subs    x3, x3, #1
    b.ne    1b
    // level 2: 64 tables
    ldr     x1, =L2
    ldr     x2, =L3 + 3
    mov     x3, #64
2:  str     x2, [x1], #8
    add     x2, x2, #0x1000
    subs    x3, x3, #1
    b.ne    2b
    // level 1: the UART's gigabyte as a device block, RAM's first gigabyte through level 2
    ldr     x1, =L1
    mov     x2, #DEVICE_BLOCK
    str     x2, [x1]
    ldr     x2, =L2 + 3
    str     x2, [x1, #8]
    ldr     x0, =0xff00                 // Attr0 Device-nGnRnE, Attr1 Normal WB
    msr     MAIR_EL2, x0
    ldr     x0, =0x43519                // T0SZ 25 (39-bit VA, start level 1), WBWA, inner shareable, 4K, PS 44-bit
    msr     TCR_EL2, x0
    ldr     x0, =L1
    msr     TTBR0_EL2, x0
    dsb     sy
    tlbi    alle2
    dsb     sy
    isb
    mrs     x0, SCTLR_EL2
    orr     x0, x0, #1
    msr     SCTLR_EL2, x0
    isb
loop_start:
    ldr     x4, =ITERS
    mov     x7, #0
outer:
    ldr     x1, =BUF
    mov     x3, #PAGES
inner:
    ldr     x5, [x1]
    add     x5, x5, x4
    eor     x6, x5, x3
    add     x7, x7, x6
    str     x5, [x1]
    add     x1, x1, #0x1000
    subs    x3, x3, #1
    b.ne    inner
    subs    x4, x4, #1
    b.ne    outer
    // checksum byte, so the loop cannot be skipped
    ldr     x1, =UART
    and     x7, x7, #0x3f
    add     x7, x7, #'0'
    strb    w7, [x1]
    mov     w7, #10
    strb    w7, [x1]
    ldr     x0, =PSCI_SYSTEM_OFF
    smc     #0
