// A guest at EL1 (natively, or under the vmm's shadow paging) with its own
// stage 1 tables (4K granule, 48-bit VA, levels 0-3) that takes every kind of
// stage 1 fault: translation at each level, access flag (page and block),
// permission (read, write, STP, execute), address size, from EL1 with SP_EL1
// and SP_EL0 and from EL0, data and instruction. lib.S's EL1 vectors print each
// one (ESR, ELR, SPSR, FAR): under shadow paging the vmm must inject exactly
// what the hardware takes natively. Every faulting page is touched first by the
// faulting access (a permission fault on a TLB hit reports the filling access's
// VA in el2sim).
    .equ T0, 0x40500000                  // level 0..3 tables
    .equ T1, 0x40501000
    .equ T2, 0x40502000
    .equ T3, 0x40503000
    .equ DATA0, 0x40510000
    .equ DATA1, 0x40511000
    .equ DATA2, 0x40512000
    .equ DATA3, 0x40513000
    .equ DATA4, 0x40514000
    .equ TBL, 3
    .equ PAGE, 3
    .equ BLK, 1
    .equ AF, 0x400
    .equ SH, 0x300
    .equ AP_EL0RW, 0x40
    .equ AP_RO, 0x80
    .equ AP_ALLRO, 0xc0
    .equ ATTR_DEV, 4
    .equ PXN, 0x0020000000000000
    .equ UXN, 0x0040000000000000
    .equ XN, 0x0060000000000000
    .equ MAIR_VAL, 0xff                  // Attr0 normal write-back, Attr1 Device-nGnRnE
    .equ TCR_VAL, 0x200803510            // T0SZ 16, WB walks inner shareable, 4K, EPD1, IPS 40 bits
    .equ SCTLR_ON, 0x30d0181d
    .equ EL0_ALIAS, 0x80400000 - 0x40000000  // EL0 VA of an image address: + this

    .text
    .global _start
_start:
    bl guest_init
    ldr x0, =T0                          // zero the four tables
    ldr x1, =T3 + 0x1000
1:  stp xzr, xzr, [x0], #16
    cmp x0, x1
    b.lo 1b
    ldr x0, =T0
    ldr x1, =T1 + TBL
    str x1, [x0]
    ldr x0, =T1
    ldr x1, =ATTR_DEV + AF + BLK + XN    // 0-1 GiB: devices, EL1 only
    str x1, [x0]
    ldr x1, =0x40000000 + AF + SH + BLK + UXN  // 1-2 GiB: RAM, EL1 read/write/execute
    str x1, [x0, #8]
    ldr x1, =T2 + TBL                    // 2-3 GiB: the test region
    str x1, [x0, #16]
    ldr x1, =0x40000000 + AF + SH + BLK + AP_RO + XN  // 4-5 GiB: RAM read-only
    str x1, [x0, #32]
    ldr x0, =T2
    ldr x1, =T3 + TBL
    str x1, [x0]
    ldr x1, =0x40000000 + SH + BLK       // 0x8020_0000: a block with AF = 0
    str x1, [x0, #8]
    ldr x1, =0x40000000 + AF + SH + BLK + AP_ALLRO + PXN  // 0x8040_0000: the image for EL0
    str x1, [x0, #16]
    ldr x0, =T3
    ldr x1, =DATA0 + SH + PAGE + AP_EL0RW          // [8] AF = 0
    str x1, [x0, #64]
    ldr x1, =DATA1 + AF + SH + PAGE + AP_ALLRO + XN  // [9] read-only
    str x1, [x0, #72]
    adr x1, pxn_page                               // [10] code, PXN
    ldr x2, =AF + SH + PAGE + PXN + UXN
    orr x1, x1, x2
    str x1, [x0, #80]
    ldr x1, =0x10000000000 + AF + SH + PAGE        // [11] beyond the 40-bit output size
    str x1, [x0, #88]
    ldr x1, =DATA2 + AF + SH + PAGE + AP_EL0RW + XN  // [12] EL0 data
    str x1, [x0, #96]
    ldr x1, =DATA3 + AF + SH + PAGE + XN           // [13] EL1 only
    str x1, [x0, #104]
    ldr x1, =DATA4 + AF + SH + PAGE + AP_EL0RW + XN  // [14] EL0 data, with a value
    str x1, [x0, #112]
    ldr x0, =DATA4
    ldr x1, =0x1234567890abcdef
    str x1, [x0, #8]
    dsb ish
    ldr x0, =T0
    ldr x1, =TCR_VAL
    ldr x2, =MAIR_VAL
    ldr x3, =SCTLR_ON
    bl mmu_el1_on
    mrs x1, sctlr_el1                    // the guest reads back its own controls
    adr x0, s_sctlr
    bl putkv
    mrs x1, tcr_el1
    adr x0, s_tcr
    bl putkv
    mrs x1, ttbr0_el1
    adr x0, s_ttbr0
    bl putkv
    bl newline
    ldr x2, =0x8000e008                  // a translation that works
    ldr x1, [x2]
    adr x0, s_value
    bl putkv
    bl newline

    // ---- EL1, SP_EL1 ----
    ldr x2, =0x800000000000              // translation, level 0
    adr x19, 1f
    adr x20, 2f
1:  ldr x1, [x2]
2:  ldr x2, =0xc0000000                  // translation, level 1
    adr x19, 1f
    adr x20, 2f
1:  ldr x1, [x2]
2:  ldr x2, =0x80a00000                  // translation, level 2
    adr x19, 1f
    adr x20, 2f
1:  ldr x1, [x2]
2:  ldr x2, =0x80007010                  // translation, level 3 (a store)
    adr x19, 1f
    adr x20, 2f
1:  str w1, [x2]
2:  ldr x2, =0x80008020                  // access flag, page
    adr x19, 1f
    adr x20, 2f
1:  ldrb w1, [x2]
2:  ldr x2, =0x80200040                  // access flag, block
    adr x19, 1f
    adr x20, 2f
1:  ldr x1, [x2]
2:  ldr x2, =0x80009018                  // permission, write to read-only
    adr x19, 1f
    adr x20, 2f
1:  str x1, [x2]
2:  ldr x2, =0x100000010                 // permission, STP to a read-only level 1 block
    adr x19, 1f
    adr x20, 2f
1:  stp x1, x2, [x2]
2:  ldr x2, =0x8000b000                  // address size, level 3
    adr x19, 1f
    adr x20, 2f
1:  ldr x1, [x2]
2:  adr x2, pxn_target                   // execute, PXN
    and x2, x2, #0xfff
    ldr x3, =0x8000a000
    add x2, x2, x3
    mov x19, x2
    adr x20, 2f
1:  blr x2
2:  ldr x2, =0xc0000100                  // execute, translation level 1
    mov x19, x2
    adr x20, 2f
1:  br x2
2:  ldr x2, =0x80007000                  // EL1 with SP_EL0: vector 0x000
    mov x0, #STACK_EL0
    msr sp_el0, x0
    msr spsel, #0
    adr x19, 1f
    adr x20, 2f
1:  ldr x1, [x2]
2:  msr spsel, #1

    // ---- EL0 ----
    mov x21, #0x3c5                      // back to EL1h from the handler
    ldr x2, =0x8000d000                  // permission, read of an EL1-only page
    adr x0, el0_load
    bl el0_run
    ldr x2, =0x80007008                  // translation, level 3
    adr x0, el0_load
    bl el0_run
    ldr x2, =0x80009000                  // permission, write to read-only
    adr x0, el0_store
    bl el0_run
    ldr x2, =0x80008000                  // access flag
    adr x0, el0_load
    bl el0_run
    ldr x2, =0x100000800                 // permission, an EL1-only level 1 block
    adr x0, el0_load
    bl el0_run
    ldr x2, =0x8000c000                  // execute, UXN
    adr x0, el0_branch
    bl el0_run
    mov x21, #0
    adr x0, s_done
    bl puts
    b poweroff

// el0_run: at EL0, the snippet at x0 (its EL0 alias) with x2; the fault's
// handler comes back to the caller. x19 = the faulting instruction.
el0_run:
    mov x23, x30
    ldr x1, =EL0_ALIAS
    add x0, x0, x1
    mov x19, x0
    cmp x0, x0
    adr x20, 1f
    b to_el0
1:  ret x23

el0_load:
    ldr x1, [x2]
    svc #0
el0_store:
    str x1, [x2]
    svc #0
el0_branch:
    mov x19, x2
    br x2

s_sctlr: .asciz "sctlr="
s_tcr: .asciz " tcr="
s_ttbr0: .asciz " ttbr0="
s_value: .asciz "value="
s_done: .asciz "done\n"
    .balign 4096
pxn_page:
    nop
pxn_target:
    ret
    .balign 4096
