// pmu-stats: the PMU counts what the stats file counts. Enables the six event
// counters and the cycle counter (counting at EL2 too), maps 128 MiB with 4 KiB
// pages at EL2 and turns the MMU on, touches 64 pages three times (more than the
// L1 D-TLB holds), takes one exception, then reads every counter into x19..x26
// and powers off without another memory access. Not prefixed with lib.S.
    .equ    FILTER_NSH, 0x8000000     // PMEVTYPER/PMCCFILTR.NSH: count at EL2 too
    .equ    L1, 0x40800000
    .equ    L2, 0x40801000
    .equ    L3, 0x40802000
    .equ    BUF, 0x41000000
    .text
    .global _start
_start:
    // each counter counts its event at every EL
    mov     x1, #FILTER_NSH
    add     x0, x1, #0x05           // L1D_TLB_REFILL
    msr     PMEVTYPER0_EL0, x0
    add     x0, x1, #0x34           // DTLB_WALK
    msr     PMEVTYPER1_EL0, x0
    add     x0, x1, #0x03           // L1D_CACHE_REFILL
    msr     PMEVTYPER2_EL0, x0
    add     x0, x1, #0x09           // EXC_TAKEN
    msr     PMEVTYPER3_EL0, x0
    add     x0, x1, #0x2d           // L2D_TLB_REFILL
    msr     PMEVTYPER4_EL0, x0
    add     x0, x1, #0x13           // MEM_ACCESS
    msr     PMEVTYPER5_EL0, x0
    msr     PMCCFILTR_EL0, x1
    mov     x0, #0x3f
    orr     x0, x0, #0x80000000
    msr     PMCNTENSET_EL0, x0
    mov     x0, #1                      // E
    msr     PMCR_EL0, x0
    isb
    adr     x0, vectors
    msr     VBAR_EL2, x0
    ldr     x1, =L3
    ldr     x2, =0x40000707             // page | AF | SH inner | AttrIndx 1
    mov     x3, #32768
1:  str     x2, [x1], #8
    add     x2, x2, #0x1000
    subs    x3, x3, #1
    b.ne    1b
    ldr     x1, =L2
    ldr     x2, =L3 + 3
    mov     x3, #64
2:  str     x2, [x1], #8
    add     x2, x2, #0x1000
    subs    x3, x3, #1
    b.ne    2b
    ldr     x1, =L1
    ldr     x2, =L2 + 3
    str     x2, [x1, #8]
    ldr     x0, =0xff00
    msr     MAIR_EL2, x0
    ldr     x0, =0x43519
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
    mov     x4, #3
3:  ldr     x1, =BUF
    mov     x3, #64
4:  ldr     x5, [x1]
    add     x5, x5, #1
    str     x5, [x1]
    add     x1, x1, #0x1000
    subs    x3, x3, #1
    b.ne    4b
    subs    x4, x4, #1
    b.ne    3b
    hvc     #1                          // one exception, taken to EL2 and returned from
    mrs     x19, PMEVCNTR0_EL0
    mrs     x20, PMEVCNTR1_EL0
    mrs     x21, PMEVCNTR2_EL0
    mrs     x22, PMEVCNTR3_EL0
    mrs     x23, PMEVCNTR4_EL0
    mrs     x24, PMEVCNTR5_EL0
    mrs     x25, PMCCNTR_EL0
    movz    x0, #0x0008                 // PSCI SYSTEM_OFF, without a literal load
    movk    x0, #0x8400, lsl #16
    smc     #0

    .balign 2048
vectors:
    .space  0x200                       // current EL with SP_EL0: unused
    eret                                // current EL with SP_ELx, synchronous: the HVC returns
