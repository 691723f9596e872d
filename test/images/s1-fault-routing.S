// HACR_EL2.TS1F, the model's IMPLEMENTATION DEFINED stand-in for x86 VMX's
// page-fault exiting (spec/sysregs/el2.yaml): with stage 2 off, stage 1
// translation, access flag and permission faults of the EL1&0 regime from EL1
// are taken to EL2 as aborts from a lower EL, with FAR_EL2 = the VA and the
// instruction syndrome for single-register loads and stores.
// EL1's tables (TTBR0_EL1, 4K granule, 48-bit VA) map devices and RAM in
// blocks, except 0x4040_0000-0x405f_ffff, whose level 3 table holds an
// invalid page (0x40400000), a page with AF = 0 (0x40401000) and a read-only
// page (0x40402000).
// Phase 1, TS1F = 0: a translation fault goes to EL1, as the architecture
// says, and so does a permission fault on a TLB hit (with its own FAR). Phase 2, TS1F = 1: a load, a store and a fetch that fault at stage 1
// go to EL2; an LDP (no instruction syndrome) too. Each handler prints its
// line (lib.S) and resumes at x20.
    .equ MAIR_VAL, 0x00ff               // Attr0 Normal write-back, Attr1 Device-nGnRnE
    .equ TCR_VAL, 0xb5103510            // 4K granules, T0SZ = T1SZ = 16, IPS 32 bits
    .equ BLOCK, 0x701                   // AF, inner shareable, AttrIndx 0, block
    .equ DEVICE_BLOCK, 0x405            // AF, AttrIndx 1, block
    .equ PAGE, 0x703
    .equ PAGE_NO_AF, 0x303
    .equ PAGE_RO, 0x783                 // AP[2] = 1: read-only at EL1
    .equ TABLE, 3
    .equ PROBE, 0x40400000
    .equ SPSR_EL2H, 0x3c9

    .text
    .global _start
_start:
    bl init
    // L0[0] -> L1; L1[0] = devices; L1[1] -> L2; L2[0], L2[1] RAM blocks; L2[2] -> L3
    adr x0, l0
    adr x1, l1
    orr x2, x1, #TABLE
    str x2, [x0]
    mov x2, #DEVICE_BLOCK
    str x2, [x1]
    adr x3, l2
    orr x2, x3, #TABLE
    str x2, [x1, #8]
    ldr x2, =0x40000000 + BLOCK
    str x2, [x3]
    ldr x2, =0x40200000 + BLOCK
    str x2, [x3, #8]
    adr x4, l3
    orr x2, x4, #TABLE
    str x2, [x3, #16]
    ldr x2, =PROBE + 0x1000 + PAGE_NO_AF
    str x2, [x4, #8]
    ldr x2, =PROBE + 0x2000 + PAGE_RO
    str x2, [x4, #16]
    adr x0, el1_phase1
    b to_el1

el1_phase1:
    ldr x0, =MAIR_VAL
    msr mair_el1, x0
    ldr x0, =TCR_VAL
    msr tcr_el1, x0
    adr x0, l0
    msr ttbr0_el1, x0
    isb
    ldr x0, =SCTLR_EL1_VAL + 1          // M
    msr sctlr_el1, x0
    isb
    adr x0, s_phase1
    bl puts
    ldr x0, =PROBE
    adr x19, 1f
    adr x20, 2f
1:  ldr x1, [x0]                        // translation fault, level 3: to EL1
2:  ldr x0, =PROBE + 0x2000
    ldr x1, [x0, #0x10]                 // the read-only page's translation is now in the TLB
    adr x19, 1f
    adr x20, 2f
1:  str x1, [x0, #0x18]                 // permission fault on a TLB hit: FAR is this store's address
2:  adr x19, 3f                         // to EL2, which turns TS1F on and goes on at EL2
    adr x20, el2_phase2
    mov x21, #SPSR_EL2H
3:  hvc #1

el2_phase2:
    mov x0, #1
    msr hacr_el2, x0
    isb
    adr x0, el1_phase2
    b to_el1

el1_phase2:
    adr x0, s_phase2
    bl puts
    ldr x0, =PROBE
    adr x19, 1f
    adr x20, 2f
1:  ldr x1, [x0]                        // translation, level 3
2:  add x0, x0, #0x1000
    adr x19, 1f
    adr x20, 2f
1:  ldrh w5, [x0, #6]                   // access flag, level 3
2:  add x0, x0, #0x1000
    adr x19, 1f
    adr x20, 2f
1:  str w7, [x0, #8]                    // permission, level 3
2:  adr x19, 1f
    adr x20, 2f
    ldr x0, =PROBE
1:  ldp x1, x2, [x0]                    // no instruction syndrome
2:  ldr x2, [x0, #0x2000]               // a load from the read-only page does not fault
    ldr x19, =PROBE
    adr x20, 2f
    br x19                              // instruction abort, translation, level 3
2:  adr x0, s_done
    bl puts
    adr x19, 3f
    adr x20, el2_end
    mov x21, #SPSR_EL2H
3:  hvc #2

el2_end:
    b poweroff

s_phase1: .asciz "phase 1: HACR_EL2.TS1F = 0\n"
s_phase2: .asciz "phase 2: HACR_EL2.TS1F = 1\n"
s_done:   .asciz "done\n"
    .balign 4096
l0: .skip 4096
l1: .skip 4096
l2: .skip 4096
l3: .skip 4096
