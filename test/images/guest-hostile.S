// A hostile guest at EL1 (natively, or under the vmm's shadow paging): its
// stage 1 tables hold a loop (a level 2 entry pointing at the level 1 table and
// one at its own table), table descriptors pointing outside RAM and into the
// UART, a page outside RAM, and garbage written over valid entries (with the
// TLBI the architecture asks for). Each access gets the architectural outcome
// natively (lib.S's EL1 vectors print the faults, loads print their values);
// under a hypervisor the same, never a vmm crash or hang.
    .equ T0, 0x40500000
    .equ T1, 0x40501000
    .equ T2, 0x40502000
    .equ T3, 0x40503000
    .equ DATA4, 0x40514000
    .equ TBL, 3
    .equ PAGE, 3
    .equ BLK, 1
    .equ AF, 0x400
    .equ SH, 0x300
    .equ ATTR_DEV, 4
    .equ UXN, 0x0040000000000000
    .equ XN, 0x0060000000000000
    .equ MAIR_VAL, 0xff
    .equ TCR_VAL, 0x200803510
    .equ SCTLR_ON, 0x30d0181d

    .text
    .global _start
_start:
    bl guest_init
    ldr x0, =T0
    ldr x1, =T3 + 0x1000
1:  stp xzr, xzr, [x0], #16
    cmp x0, x1
    b.lo 1b
    ldr x0, =T0
    ldr x1, =T1 + TBL
    str x1, [x0]
    ldr x0, =T1
    ldr x1, =ATTR_DEV + AF + BLK + XN
    str x1, [x0]
    ldr x1, =0x40000000 + AF + SH + BLK + UXN
    str x1, [x0, #8]
    ldr x1, =T2 + TBL
    str x1, [x0, #16]
    ldr x0, =T2
    ldr x1, =T3 + TBL
    str x1, [x0]
    ldr x1, =T1 + TBL                    // [3] a loop: the level 1 table as a level 3 table
    str x1, [x0, #24]
    ldr x1, =T2 + TBL                    // [4] its own table as a level 3 table
    str x1, [x0, #32]
    ldr x1, =0x200000000 + TBL           // [5] a table outside RAM
    str x1, [x0, #40]
    ldr x1, =0x09000000 + TBL            // [6] a table in the UART
    str x1, [x0, #48]
    ldr x0, =T3
    ldr x1, =0x200000000 + AF + SH + PAGE + XN  // [1] a page outside RAM
    str x1, [x0, #8]
    ldr x1, =DATA4 + AF + SH + PAGE + XN        // [14] a page with a value
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

    ldr x2, =0x80602008                  // the loop: page 2 of the level 1 table is T2
    bl probe
    ldr x2, =0x80601000                  // T1[1], a block, at level 3
    bl probe
    ldr x2, =0x80603000                  // T1[3], invalid
    bl probe
    ldr x2, =0x80804000                  // the self-loop: T2[4] as a page maps T2
    bl probe
    ldr x2, =0x80a00000                  // a table outside RAM
    bl probe
    ldr x2, =0x80c00000                  // a table in the UART
    bl probe
    ldr x2, =0x80001000                  // a page outside RAM
    bl probe
    ldr x2, =0x8000e008                  // valid, then garbage
    bl probe
    ldr x3, =0xdeadbeefcafebabe
    bl garbage
    ldr x3, =0xffffffffffffffff
    bl garbage
    ldr x3, =0x0123456789abcdef
    bl garbage
    ldr x3, =DATA4 + SH + PAGE           // valid again but AF = 0
    bl garbage
    ldr x3, =DATA4 + AF + SH + PAGE + 0x0040000000000000
    bl garbage
    ldr x0, =T1                          // garbage at level 1
    ldr x1, =0x5555555555555555
    str x1, [x0, #40]
    ldr x1, =0xaaaaaaaaaaaaaaaa
    str x1, [x0, #48]
    dsb ish
    ldr x2, =0x140000000
    bl probe
    ldr x2, =0x180000000
    bl probe
    adr x0, s_done
    bl puts
    b poweroff

// garbage: x3 into T3[14] with break-before-make's TLBI, then a probe of its page.
garbage:
    mov x24, x30
    ldr x0, =T3
    str x3, [x0, #112]
    dsb ish
    ldr x0, =0x8000e000 >> 12
    tlbi vaae1, x0
    dsb ish
    isb
    ldr x2, =0x8000e008
    bl probe
    ret x24

// probe: a load from x2; prints the value, or the fault (lib.S's handler).
probe:
    mov x23, x30
    adr x19, 1f
    adr x20, 2f
    mov x1, #0
1:  ldr x1, [x2]
    adr x0, s_value
    bl putkv
    bl newline
2:  ret x23

s_value: .asciz "value="
s_done: .asciz "done\n"
    .balign 4
