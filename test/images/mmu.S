// The MMU at EL2: TTBR0_EL2 tables (4K granule, 39-bit VA, so the walk starts
// at level 1) identity-map the first 10 MiB of RAM with 2 MiB blocks and the
// UART with a Device block; the image turns the MMU on, prints through the
// mapping, then takes one fault of each kind:
//   0x80000000   level 1 entry invalid             translation fault, level 1
//   0x40e00000   level 2 entry invalid             translation fault, level 2
//   0x40c00000   block with AF = 0                 access flag fault, level 2
//   0x40a00000   block read-only (AP[2] = 1)       permission fault, level 2 (store)
// and asks AT S1E2R/W about three of them first (PAR_EL1).
    .equ MAIR_VAL, 0x00ff               // Attr0 Normal write-back, Attr1 Device-nGnRnE
    .equ TCR_VAL, 0x80823519            // RES1, PS 40-bit, SH0 inner, WB caches, TG0 4K, T0SZ 25
    .equ BLOCK, 0x701                   // block, AF, inner shareable, AttrIndx 0
    .equ DEVICE_BLOCK, 0x405            // block, AF, AttrIndx 1

    .text
    .global _start
_start:
    bl init
    ldr x0, =MAIR_VAL
    msr mair_el2, x0
    ldr x0, =TCR_VAL
    msr tcr_el2, x0
    adr x0, l1
    msr ttbr0_el2, x0
    isb
    mrs x0, sctlr_el2
    orr x0, x0, #1
    msr sctlr_el2, x0
    isb
    adr x0, s_on
    mrs x1, sctlr_el2
    and x1, x1, #1
    bl putkv
    bl newline

    ldr x1, =0x40000000
    at s1e2r, x1
    bl print_par
    mov x1, #0x80000000
    at s1e2r, x1
    bl print_par
    ldr x1, =0x40a00000
    at s1e2w, x1
    bl print_par

    mov x1, #0x80000000
    adr x19, 1f
    adr x20, 2f
1:  ldr x2, [x1]
2:  ldr x1, =0x40e00000
    adr x19, 1f
    adr x20, 2f
1:  ldr x2, [x1]
2:  ldr x1, =0x40c00000
    adr x19, 1f
    adr x20, 2f
1:  ldr x2, [x1]
2:  ldr x1, =0x40a00000
    ldr x3, [x1]                        // reading the read-only block is fine
    adr x19, 1f
    adr x20, 2f
1:  str x3, [x1]
2:  adr x0, s_done
    bl puts
    bl newline
    b poweroff

// PAR_EL1 as a line; keeps x30 in x9 (putkv clobbers x0-x8).
print_par:
    mov x9, x30
    isb
    adr x0, s_par
    mrs x1, par_el1
    bl putkv
    bl newline
    ret x9

s_par:  .asciz "par="
s_on:   .asciz "mmu on, SCTLR_EL2.M="
s_done: .asciz "faults done"
    .balign 4
    .ltorg

    .data
    .balign 4096
l1: .quad l2_low + 3                    // VA 0x00000000-0x3fffffff: table
    .quad l2_ram + 3                    // VA 0x40000000-0x7fffffff: table
    .skip 4096 - 16                     // VA 0x80000000-: invalid
l2_low:
    .skip 72 * 8
    .quad 0x09000000 + DEVICE_BLOCK     // the UART's 2 MiB
    .skip 4096 - 73 * 8
l2_ram:
    .quad 0x40000000 + BLOCK
    .quad 0x40200000 + BLOCK
    .quad 0x40400000 + BLOCK
    .quad 0x40600000 + BLOCK
    .quad 0x40800000 + BLOCK
    .quad 0x40a00000 + BLOCK + 0x80     // AP[2] = 1: read-only
    .quad 0x40c00000 + BLOCK - 0x400    // AF = 0
    .skip 4096 - 7 * 8                  // 0x40e00000-: invalid
