// Every MMU fault kind at every level, for both stages, run at EL1: each
// probe prints its name, then makes one load, store or branch (an
// instruction fetch) to an address its tables make fault; the handler prints
// the syndrome on the same line and skips the access (data abort: ELR += 4;
// instruction abort: on at x20), so a mismatch names the case. A probe that
// does not fault prints "no fault".
//
// Phase 1, stage 1 only (EL1&0 regime, 4K granule, T0SZ = T1SZ = 16: 48-bit
// VA, the walk starts at level 0; IPS = 32 bits). Faults go to EL1, whose
// handler prints `esr=<ESR_EL1> far=<FAR_EL1>`.
//   translation  L0 0x8000000000 (invalid entry), 0x1000000000000 (in neither
//                TTBR's range), 0x18000000000 (a block descriptor at level 0,
//                reserved with 4K); L1 0x80000000, L2 0x40e00000, L3 0x40401000
//                (invalid), 0x40406000 (descriptor type 0b01 at level 3)
//   access flag  L1 0xc0000000 (1 GiB block), L2 0x40c00000 (2 MiB block), L3 0x40402000 (page)
//   permission   stores to read-only L1 0x100000000, L2 0x40a00000, L3 0x40403000;
//                a fetch from a PXN page 0x40405000
//   address size L0: TTBR1_EL1 above 4 GiB (0xffff000000000000) and an L0 table
//                descriptor above it (0x10000000000); L1 table 0x180000000 and
//                block 0x140000000; L2 block 0x40600000; L3 page 0x40404000
//   instruction fetch from an invalid L3 entry 0x40401000
// Phase 2, stage 2 (HCR_EL2.VM = 1; VTCR_EL2: 4K granule, T0SZ = 20: 44-bit
// IPA, SL0 = 2: start level 0, PS = 44 bits). Faults go to EL2, whose handler
// prints `esr=<ESR_EL2> far=<FAR_EL2> hpfar=<HPFAR_EL2>`. First with stage 1
// off (VA = IPA), mostly the same addresses as phase 1 but at stage 2:
//   translation L0 (invalid, block at L0), L1, L2, L3 (invalid, reserved),
//   access flag L1-L3, permission (S2AP read-only) stores at L1-L3 and a load
//   from an S2AP = 00 page, address size (output above 44 bits) L0 table, L1
//   table and block, L2 block, L3 page; instruction fetch from an invalid L3
//   entry and from an XN page; and, at stage 1, a VA above the PA size (with
//   stage 1 off: an address size fault at level 0, to EL1).
// Then with stage 1 on (TTBR0_EL1 identity through stage 2; IPS = 44 bits):
//   a stage 1 fault (to EL1), a stage 2 fault on the final IPA (S1PTW = 0),
//   and stage 2 faults on stage 1 table walks (S1PTW = 1): translation L0-L3
//   (L1 through TTBR1_EL1 at an unmapped IPA), access flag L1-L3, permission L3.
// QEMU 7.2 gets two kinds of these wrong (see test/oracle/boot-mmu-faults.test.ts).
    .equ MAIR_VAL, 0x00ff               // Attr0 Normal write-back, Attr1 Device-nGnRnE
    // TCR_EL1: TG1 4K, SH1 inner, WB, T1SZ 16, TG0 4K, SH0 inner, WB, T0SZ 16; IPS 32 / 44 bits
    .equ TCR_S1, 0xb5103510
    .equ TCR_S12, 0x4b5103510
    // VTCR_EL2: RES1, PS 44 bits, TG0 4K, SH0 inner, WB, SL0 2 (level 0), T0SZ 20
    .equ VTCR_VAL, 0x80043594
    .equ HCR_RW_VM, 0x80000001
    .equ SPSR_EL1H, 0x3c5               // EL1h, DAIF masked
    .equ BEYOND_IPS, 0x100000000        // 4 GiB: above IPS = 32 bits
    .equ BEYOND_PS, 0x100000000000      // 16 TiB: above PS = 44 bits
    // stage 1 descriptors: AF, inner shareable, AttrIndx 0 (AttrIndx 1 for the UART)
    .equ BLOCK, 0x701
    .equ PAGE, 0x703
    .equ TABLE, 3
    .equ DEVICE_BLOCK, 0x405
    .equ AP_RO, 0x80                    // AP[2]
    .equ AF, 0x400
    .equ PXN, 0x20000000000000          // bit 53
    // stage 2 descriptors: AF, inner shareable, S2AP read/write, MemAttr Normal write-back
    .equ S2_BLOCK, 0x7fd
    .equ S2_PAGE, 0x7ff
    .equ S2_DEVICE_BLOCK, 0x4c1         // MemAttr Device-nGnRnE
    .equ S2AP_W, 0x80                   // S2AP[1]: clear for read-only
    .equ S2AP_RW, 0xc0                  // clear both for no access
    .equ XN, 0x40000000000000           // bit 54
    .equ LOAD, 0
    .equ STORE, 1
    .equ FETCH, 2

    .text
    .global _start
_start:
    bl init
    adr x1, hooks_el1
    adr x0, el1_sync
    str x0, [x1, #(0x200 / 0x80) * 8]   // current EL with SPx
    adr x1, hooks_el2
    adr x0, el2_lower_sync
    str x0, [x1, #(0x400 / 0x80) * 8]   // lower EL, AArch64
    // phase 1: stage 1 at EL1, on from the ERET
    ldr x0, =MAIR_VAL
    msr mair_el1, x0
    ldr x0, =TCR_S1
    msr tcr_el1, x0
    adr x0, p1_l0
    msr ttbr0_el1, x0
    mov x0, #BEYOND_IPS
    msr ttbr1_el1, x0
    ldr x0, =SCTLR_EL1_VAL + 1
    msr sctlr_el1, x0
    mov x0, #SPSR_EL1H
    msr spsr_el2, x0
    adr x0, phase1
    msr elr_el2, x0
    isb
    eret

phase1:
    adr x24, probes_s1
    bl run_probes
    hvc #1                              // to phase 2

phase2:
    adr x24, probes_s2
    bl run_probes
    mrs x0, sctlr_el1
    orr x0, x0, #1
    msr sctlr_el1, x0
    isb
    adr x24, probes_s12
    bl run_probes
    hvc #0                              // power off

// At EL1: x24 = a probe table (name, address, LOAD/STORE/FETCH; a zero name
// ends it). Uses x0-x8, x20, x23-x25.
run_probes:
    mov x23, x30
1:  ldr x0, [x24]
    cbz x0, 9f
    bl puts
    mov x25, #0                         // set by the handlers
    ldr x1, [x24, #8]
    ldr x3, [x24, #16]
    adr x20, 3f                         // where an instruction abort goes on
    cmp x3, #STORE
    b.eq 2f
    b.hi 4f
    ldr x2, [x1]
    b 3f
2:  str x2, [x1]
    b 3f
4:  blr x1
3:  cbnz x25, 5f
    adr x0, s_nofault
    bl puts
    bl newline
5:  add x24, x24, #24
    b 1b
9:  ret x23

// Synchronous exception at EL1 from EL1.
el1_sync:
    bl save_regs
    mrs x10, esr_el1
    mrs x13, far_el1
    adr x0, s_esr
    mov x1, x10
    bl putkv
    adr x0, s_far
    mov x1, x13
    bl putkv
    bl newline
    mov x25, #1
    lsr x17, x10, #26
    cmp x17, #0x25                      // data abort: skip the access
    b.ne 1f
    mrs x0, elr_el1
    add x0, x0, #4
    msr elr_el1, x0
    b restore_regs_eret
1:  msr elr_el1, x20
    b restore_regs_eret

// Synchronous exception at EL2 from EL1: HVC #1 sets up phase 2, HVC #0
// powers off; an abort prints its line.
el2_lower_sync:
    mrs x1, esr_el2
    lsr x2, x1, #26
    cmp x2, #0x16
    b.ne el2_abort
    tst x1, #0xffff
    b.eq poweroff
    ldr x0, =SCTLR_EL1_VAL              // stage 1 off
    msr sctlr_el1, x0
    ldr x0, =TCR_S12
    msr tcr_el1, x0
    adr x0, p2_s1_l0
    msr ttbr0_el1, x0
    mov x0, #0x80000000                 // an IPA stage 2 leaves unmapped
    msr ttbr1_el1, x0
    ldr x0, =VTCR_VAL
    msr vtcr_el2, x0
    adr x0, s2_l0
    msr vttbr_el2, x0
    ldr x0, =HCR_RW_VM
    msr hcr_el2, x0
    isb
    tlbi alle1
    dsb ish
    isb
    mov x0, #STACK_EL2
    mov sp, x0
    mov x0, #SPSR_EL1H
    msr spsr_el2, x0
    adr x0, phase2
    msr elr_el2, x0
    eret
el2_abort:
    bl save_regs
    mrs x10, esr_el2
    mrs x13, far_el2
    mrs x14, hpfar_el2
    adr x0, s_esr
    mov x1, x10
    bl putkv
    adr x0, s_far
    mov x1, x13
    bl putkv
    adr x0, s_hpfar
    mov x1, x14
    bl putkv
    bl newline
    mov x25, #1
    lsr x17, x10, #26
    cmp x17, #0x24                      // data abort: skip the access
    b.ne 1f
    mrs x0, elr_el2
    add x0, x0, #4
    msr elr_el2, x0
    b restore_regs_eret
1:  msr elr_el2, x20
    b restore_regs_eret

s_esr:      .asciz "esr="
s_far:      .asciz " far="
s_hpfar:    .asciz " hpfar="
s_nofault:  .asciz "no fault"
    .balign 4
    .ltorg

// The target of the fetch probes: if the fetch does not fault, it returns.
    .balign 4096
fetch_page:
    ret

    .balign 8
probes_s1:
    .quad n1_ok, 0x40400000, LOAD
    .quad n1_tr0, 0x8000000000, LOAD
    .quad n1_trva, 0x1000000000000, LOAD
    .quad n1_bl0, 0x18000000000, LOAD
    .quad n1_tr1, 0x80000000, LOAD
    .quad n1_tr2, 0x40e00000, LOAD
    .quad n1_tr3, 0x40401000, LOAD
    .quad n1_rs3, 0x40406000, LOAD
    .quad n1_af1, 0xc0000000, LOAD
    .quad n1_af2, 0x40c00000, LOAD
    .quad n1_af3, 0x40402000, LOAD
    .quad n1_ro1, 0x40000000, STORE     // no fault: the same block as below, read/write
    .quad n1_pm1, 0x100000000, STORE
    .quad n1_pm2, 0x40a00000, STORE
    .quad n1_pm3, 0x40403000, STORE
    .quad n1_pm3r, 0x40403000, LOAD     // no fault: reading a read-only page
    .quad n1_as0t, 0xffff000000000000, LOAD
    .quad n1_as0, 0x10000000000, LOAD
    .quad n1_as1t, 0x180000000, LOAD
    .quad n1_as1, 0x140000000, LOAD
    .quad n1_as2, 0x40600000, LOAD
    .quad n1_as3, 0x40404000, LOAD
    .quad n1_if3, 0x40401000, FETCH
    .quad n1_pxn, 0x40405000, FETCH
    .quad 0, 0, 0

probes_s2:
    .quad n2_ok, 0x40400000, LOAD
    .quad n2_tr0, 0x8000000000, LOAD
    .quad n2_bl0, 0x18000000000, LOAD
    .quad n2_tr1, 0x80000000, LOAD
    .quad n2_tr2, 0x40e00000, LOAD
    .quad n2_tr3, 0x40401000, LOAD
    .quad n2_rs3, 0x40407000, LOAD
    .quad n2_af1, 0xc0000000, LOAD
    .quad n2_af2, 0x40c00000, LOAD
    .quad n2_af3, 0x40402000, LOAD
    .quad n2_pm1, 0x100000000, STORE
    .quad n2_pm2, 0x40a00000, STORE
    .quad n2_pm3, 0x40403000, STORE
    .quad n2_pm3r, 0x40403000, LOAD     // no fault: reading a read-only page
    .quad n2_pm3n, 0x40406000, LOAD
    .quad n2_as0, 0x10000000000, LOAD
    .quad n2_as1t, 0x180000000, LOAD
    .quad n2_as1, 0x140000000, LOAD
    .quad n2_as2, 0x40600000, LOAD
    .quad n2_as3, 0x40404000, LOAD
    .quad n2_if3, 0x40401000, FETCH
    .quad n2_xn, 0x40405000, FETCH
    .quad n2_vapa, 0x100000000000, LOAD
    .quad 0, 0, 0

probes_s12:
    .quad n3_ok, 0x40400000, LOAD
    .quad n3_s1tr1, 0x80000000, LOAD
    .quad n3_tr1, 0x200000000, LOAD
    .quad n3_pt0, 0x8000000000, LOAD
    .quad n3_pt1, 0xffff000000000000, LOAD
    .quad n3_pt2, 0xc0000000, LOAD
    .quad n3_pt3, 0x140000000, LOAD
    .quad n3_ptaf1, 0x1c0000000, LOAD
    .quad n3_ptaf2, 0x100000000, LOAD
    .quad n3_ptaf3, 0x180000000, LOAD
    .quad n3_ptpm3, 0x240000000, LOAD
    .quad 0, 0, 0

n1_ok:    .asciz "s1 valid page L3: "
n1_tr0:   .asciz "s1 transl L0: "
n1_trva:  .asciz "s1 transl L0 (VA outside both TTBR ranges): "
n1_bl0:   .asciz "s1 transl L0 (block descriptor at L0): "
n1_rs3:   .asciz "s1 transl L3 (reserved descriptor at L3): "
n1_tr1:   .asciz "s1 transl L1: "
n1_tr2:   .asciz "s1 transl L2: "
n1_tr3:   .asciz "s1 transl L3: "
n1_af1:   .asciz "s1 access L1: "
n1_af2:   .asciz "s1 access L2: "
n1_af3:   .asciz "s1 access L3: "
n1_ro1:   .asciz "s1 store to a read/write block: "
n1_pm1:   .asciz "s1 perm L1 (store): "
n1_pm2:   .asciz "s1 perm L2 (store): "
n1_pm3:   .asciz "s1 perm L3 (store): "
n1_pm3r:  .asciz "s1 load from a read-only page: "
n1_as0t:  .asciz "s1 addrsize L0 (TTBR1): "
n1_as0:   .asciz "s1 addrsize L0 (table): "
n1_as1t:  .asciz "s1 addrsize L1 (table): "
n1_as1:   .asciz "s1 addrsize L1 (block): "
n1_as2:   .asciz "s1 addrsize L2 (block): "
n1_as3:   .asciz "s1 addrsize L3 (page): "
n1_if3:   .asciz "s1 ifetch transl L3: "
n1_pxn:   .asciz "s1 ifetch perm L3 (PXN): "
n2_ok:    .asciz "s2 valid page L3: "
n2_tr0:   .asciz "s2 transl L0: "
n2_bl0:   .asciz "s2 transl L0 (block descriptor at L0): "
n2_rs3:   .asciz "s2 transl L3 (reserved descriptor at L3): "
n2_as0:   .asciz "s2 addrsize L0 (table): "
n2_as1t:  .asciz "s2 addrsize L1 (table): "
n2_vapa:  .asciz "s1 off: addrsize L0 (VA above the PA size, to EL1): "
n2_tr1:   .asciz "s2 transl L1: "
n2_tr2:   .asciz "s2 transl L2: "
n2_tr3:   .asciz "s2 transl L3: "
n2_af1:   .asciz "s2 access L1: "
n2_af2:   .asciz "s2 access L2: "
n2_af3:   .asciz "s2 access L3: "
n2_pm1:   .asciz "s2 perm L1 (store): "
n2_pm2:   .asciz "s2 perm L2 (store): "
n2_pm3:   .asciz "s2 perm L3 (store): "
n2_pm3r:  .asciz "s2 load from a read-only page: "
n2_pm3n:  .asciz "s2 perm L3 (load, S2AP=00): "
n2_as1:   .asciz "s2 addrsize L1 (block): "
n2_as2:   .asciz "s2 addrsize L2 (block): "
n2_as3:   .asciz "s2 addrsize L3 (page): "
n2_if3:   .asciz "s2 ifetch transl L3: "
n2_xn:    .asciz "s2 ifetch perm L3 (XN): "
n3_ok:    .asciz "s1+s2 valid: "
n3_s1tr1: .asciz "s1+s2 s1 transl L1 (to EL1): "
n3_tr1:   .asciz "s1+s2 s2 transl L1 (final IPA): "
n3_pt0:   .asciz "s1+s2 s1ptw transl L0: "
n3_pt1:   .asciz "s1+s2 s1ptw transl L1 (TTBR1): "
n3_pt2:   .asciz "s1+s2 s1ptw transl L2: "
n3_pt3:   .asciz "s1+s2 s1ptw transl L3: "
n3_ptaf1: .asciz "s1+s2 s1ptw access L1: "
n3_ptaf2: .asciz "s1+s2 s1ptw access L2: "
n3_ptaf3: .asciz "s1+s2 s1ptw access L3: "
n3_ptpm3: .asciz "s1+s2 s1ptw perm L3 (S2AP=00): "

    .data
// Phase 1: stage 1 tables, VA = PA where valid.
    .balign 4096
p1_l0:
    .quad p1_l1 + TABLE                 // VA 0-512 GiB
    .quad 0                             // VA 512 GiB-1 TiB: invalid
    .quad BEYOND_IPS + TABLE            // VA 1-1.5 TiB: a table above IPS
    .quad 0x40000000 + BLOCK            // VA 1.5-2 TiB: a block at level 0 (reserved with 4K)
    .skip 4096 - 4 * 8
p1_l1:
    .quad p1_l2_low + TABLE             // VA 0-1 GiB
    .quad p1_l2_ram + TABLE             // VA 1-2 GiB
    .quad 0                             // VA 2-3 GiB: invalid
    .quad 0x40000000 + BLOCK - AF       // VA 3-4 GiB: AF = 0
    .quad 0x40000000 + BLOCK + AP_RO    // VA 4-5 GiB: read-only
    .quad BEYOND_IPS + BLOCK            // VA 5-6 GiB: output above IPS
    .quad BEYOND_IPS + TABLE            // VA 6-7 GiB: a table above IPS
    .skip 4096 - 7 * 8
p1_l2_low:
    .skip 72 * 8
    .quad 0x09000000 + DEVICE_BLOCK     // the UART's 2 MiB
    .skip 4096 - 73 * 8
p1_l2_ram:
    .quad 0x40000000 + BLOCK            // image, stacks
    .quad 0x40200000 + BLOCK
    .quad p1_l3 + TABLE                 // VA 0x40400000: pages
    .quad BEYOND_IPS + BLOCK            // VA 0x40600000: output above IPS
    .quad 0x40800000 + BLOCK
    .quad 0x40a00000 + BLOCK + AP_RO    // read-only
    .quad 0x40c00000 + BLOCK - AF       // AF = 0
    .skip 4096 - 7 * 8                  // VA 0x40e00000-: invalid
p1_l3:
    .quad 0x40400000 + PAGE
    .quad 0                             // invalid
    .quad 0x40402000 + PAGE - AF        // AF = 0
    .quad 0x40403000 + PAGE + AP_RO     // read-only
    .quad BEYOND_IPS + PAGE             // output above IPS
    .quad fetch_page + PAGE + PXN       // not executable at EL1
    .quad 0x40406000 + BLOCK            // type 0b01 at level 3: reserved
    .skip 4096 - 7 * 8

// Phase 2: stage 2 tables, IPA = PA where valid; 32 entries at level 0.
s2_l0:
    .quad s2_l1 + TABLE                 // IPA 0-512 GiB
    .quad 0                             // IPA 512 GiB-1 TiB: invalid
    .quad BEYOND_PS + TABLE             // IPA 1-1.5 TiB: a table above PS
    .quad 0x40000000 + S2_BLOCK         // IPA 1.5-2 TiB: a block at level 0 (reserved with 4K)
    .skip 4096 - 4 * 8                  // IPA 2 TiB-: invalid
s2_l1:
    .quad s2_l2_low + TABLE             // IPA 0-1 GiB
    .quad s2_l2_ram + TABLE             // IPA 1-2 GiB
    .quad 0                             // IPA 2-3 GiB: invalid
    .quad 0x40000000 + S2_BLOCK - AF    // IPA 3-4 GiB: AF = 0
    .quad 0x40000000 + S2_BLOCK - S2AP_W // IPA 4-5 GiB: read-only
    .quad BEYOND_PS + S2_BLOCK          // IPA 5-6 GiB: output above PS
    .quad BEYOND_PS + TABLE             // IPA 6-7 GiB: a table above PS
    .skip 4096 - 7 * 8
s2_l2_low:
    .skip 72 * 8
    .quad 0x09000000 + S2_DEVICE_BLOCK  // the UART's 2 MiB
    .skip 4096 - 73 * 8
s2_l2_ram:
    .quad 0x40000000 + S2_BLOCK         // image, stacks, tables
    .quad 0x40200000 + S2_BLOCK
    .quad s2_l3 + TABLE                 // IPA 0x40400000: pages
    .quad BEYOND_PS + S2_BLOCK          // IPA 0x40600000: output above PS
    .quad 0x40800000 + S2_BLOCK
    .quad 0x40a00000 + S2_BLOCK - S2AP_W // read-only
    .quad 0x40c00000 + S2_BLOCK - AF    // AF = 0
    .skip 4096 - 7 * 8                  // IPA 0x40e00000-: invalid
s2_l3:
    .quad 0x40400000 + S2_PAGE
    .quad 0                             // invalid
    .quad 0x40402000 + S2_PAGE - AF     // AF = 0
    .quad 0x40403000 + S2_PAGE - S2AP_W // read-only
    .quad BEYOND_PS + S2_PAGE           // output above PS
    .quad fetch_page + S2_PAGE + XN     // not executable
    .quad 0x40406000 + S2_PAGE - S2AP_RW // no access
    .quad 0x40407000 + S2_BLOCK         // type 0b01 at level 3: reserved
    .skip 4096 - 8 * 8

// Phase 2 with stage 1 on: VA = IPA for the image and the UART; the other
// entries lead the walk to IPAs that fault at stage 2.
p2_s1_l0:
    .quad p2_s1_l1 + TABLE              // VA 0-512 GiB
    .quad 0x8000000000 + TABLE          // VA 512 GiB-1 TiB: table at an IPA invalid at s2 L0
    .skip 4096 - 2 * 8
p2_s1_l1:
    .quad p2_s1_l2_low + TABLE          // VA 0-1 GiB
    .quad 0x40000000 + BLOCK            // VA 1-2 GiB: VA = IPA
    .quad 0                             // VA 2-3 GiB: invalid at stage 1
    .quad 0x40e00000 + TABLE            // VA 3-4 GiB: table at an IPA invalid at s2 L2
    .quad 0x40c00000 + TABLE            // VA 4-5 GiB: table in an s2 L2 block with AF = 0
    .quad 0x40401000 + TABLE            // VA 5-6 GiB: table at an IPA invalid at s2 L3
    .quad 0x40402000 + TABLE            // VA 6-7 GiB: table in an s2 L3 page with AF = 0
    .quad 0xc0000000 + TABLE            // VA 7-8 GiB: table in an s2 L1 block with AF = 0
    .quad 0x80000000 + BLOCK            // VA 8-9 GiB: output IPA invalid at s2 L1
    .quad 0x40406000 + TABLE            // VA 9-10 GiB: table in an s2 L3 page without access
    .skip 4096 - 10 * 8
p2_s1_l2_low:
    .skip 72 * 8
    .quad 0x09000000 + DEVICE_BLOCK     // the UART's 2 MiB
    .skip 4096 - 73 * 8
