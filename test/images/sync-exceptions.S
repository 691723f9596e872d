// Synchronous exceptions that can be produced deterministically with the
// MMU off, each introduced by a label and reported on the same line by
// lib.S's vectors, which then go on after the faulting instruction. At EL1:
// UNDEFINED, BRK (on SP_EL1 and on SP_EL0), PC alignment, external aborts
// on a load, a store and a fetch at an address with nothing behind it, an
// address size fault on a load beyond the physical address range; the
// external aborts from EL0; then, each asked for with an HVC, the HCR_EL2
// traps TVM, TRVM, TID3, TTLB, TWI and TSC to EL2. (SP alignment is in
// sp-align.S: QEMU does not check it.)
    .text
    .global _start
_start:
    bl init
    adr x0, el1_main
    b to_el1

    .equ NOTHING, 0x09100000     // no device or memory here on virt
    .equ BEYOND_PA, 1 << 44      // past the Cortex-A57's 44-bit physical addresses
    .equ HCR_TWI, 1 << 13
    .equ HCR_TID3, 1 << 18
    .equ HCR_TSC, 1 << 19
    .equ HCR_TTLB, 1 << 25
    .equ HCR_TVM, 1 << 26
    .equ HCR_TRVM, 1 << 30

el1_main:
    adr x0, s_udf
    bl puts
    adr x19, 1f
    adr x20, 2f
1:  .inst 0x00000000
2:
    adr x0, s_brk
    bl puts
    adr x19, 1f
    adr x20, 2f
1:  brk #0x1234
2:
    adr x0, s_pc_align
    bl puts
    ldr x19, =0x40100002
    adr x20, 2f
    br x19
2:
    adr x0, s_brk_sp0            // taken from EL1t: the current-EL-SP0 vector
    bl puts
    msr spsel, #0
    adr x19, 1f
    adr x20, 2f
1:  brk #0x1
2:  msr spsel, #1

    adr x0, s_load
    bl puts
    mov x0, #NOTHING
    adr x19, 1f
    adr x20, 2f
1:  ldr x1, [x0]
2:
    adr x0, s_store
    bl puts
    mov x0, #NOTHING
    adr x19, 1f
    adr x20, 2f
1:  str x1, [x0]
2:
    adr x0, s_beyond_pa
    bl puts
    mov x0, #BEYOND_PA
    adr x19, 1f
    adr x20, 2f
1:  ldr x1, [x0]
2:
    adr x0, s_fetch
    bl puts
    mov x19, #NOTHING
    adr x20, 2f
    blr x19
2:
    adr x0, el0_part
    b to_el0

el0_part:
    adr x0, s_el0_load
    bl puts
    mov x0, #NOTHING
    adr x19, 1f
    adr x20, 2f
1:  ldr w1, [x0, #4]
2:
    adr x0, s_el0_fetch
    bl puts
    mov x19, #NOTHING
    adr x20, 2f
    br x19
2:
    adr x0, s_el0_svc
    bl puts
    adr x19, 1f
    adr x20, el1_traps
    mov x21, #0x3c5              // back to EL1h
1:  svc #0

el1_traps:
    mov x21, #0
    adr x0, s_tvm
    ldr x22, =HCR_RW | HCR_TVM
    bl request_hcr
    adr x0, s_msr_sctlr
    bl puts
    mrs x3, sctlr_el1
    adr x19, 1f
    adr x20, 2f
1:  msr sctlr_el1, x3
2:
    adr x0, s_msr_tcr
    bl puts
    mrs x4, tcr_el1
    adr x19, 1f
    adr x20, 2f
1:  msr tcr_el1, x4
2:
    adr x0, s_trvm
    ldr x22, =HCR_RW | HCR_TRVM
    bl request_hcr
    adr x0, s_mrs_sctlr
    bl puts
    adr x19, 1f
    adr x20, 2f
1:  mrs x5, sctlr_el1
2:
    adr x0, s_mrs_mair
    bl puts
    adr x19, 1f
    adr x20, 2f
1:  mrs x6, mair_el1
2:
    adr x0, s_tid3
    ldr x22, =HCR_RW | HCR_TID3
    bl request_hcr
    adr x0, s_mrs_mmfr0
    bl puts
    adr x19, 1f
    adr x20, 2f
1:  mrs x7, id_aa64mmfr0_el1
2:
    adr x0, s_mrs_pfr0
    bl puts
    adr x19, 1f
    adr x20, 2f
1:  mrs x8, id_aa64pfr0_el1
2:
    adr x0, s_ttlb
    ldr x22, =HCR_RW | HCR_TTLB
    bl request_hcr
    adr x0, s_tlbi_vmalle1
    bl puts
    adr x19, 1f
    adr x20, 2f
1:  tlbi vmalle1
2:
    adr x0, s_tlbi_vae1
    bl puts
    adr x19, 1f
    adr x20, 2f
1:  tlbi vae1, x9
2:
    adr x0, s_twi
    ldr x22, =HCR_RW | HCR_TWI
    bl request_hcr
    adr x0, s_wfi
    bl puts
    adr x19, 1f
    adr x20, 2f
1:  wfi
2:
    adr x0, s_tsc
    ldr x22, =HCR_RW | HCR_TSC
    bl request_hcr
    adr x0, s_smc
    bl puts
    mov x0, #0                   // not a PSCI function, should the trap not happen
    adr x19, 1f
    adr x20, 2f
1:  smc #0x99
2:
    adr x0, s_done
    ldr x22, =HCR_RW
    adr x19, 1f
    adr x20, el2_done
    mov x21, #0x3c9              // EL2h
    bl puts
1:  hvc #0

el2_done:
    b poweroff

// x0: label to print, x22: the HCR_EL2 value EL2 is to set; the HVC's own
// exception is reported on the label's line.
request_hcr:
    mov x10, x30
    bl puts
    adr x19, 1f
    adr x20, 2f
1:  hvc #1
2:  ret x10

s_udf:          .asciz "udf: "
s_brk:          .asciz "brk: "
s_pc_align:     .asciz "pc alignment: "
s_brk_sp0:      .asciz "brk on sp_el0: "
s_load:         .asciz "load from nothing: "
s_store:        .asciz "store to nothing: "
s_beyond_pa:    .asciz "load beyond the pa range: "
s_fetch:        .asciz "fetch from nothing: "
s_el0_load:     .asciz "el0 load from nothing: "
s_el0_fetch:    .asciz "el0 fetch from nothing: "
s_el0_svc:      .asciz "el0 svc back to el1: "
s_tvm:          .asciz "hcr tvm: "
s_msr_sctlr:    .asciz "msr sctlr_el1: "
s_msr_tcr:      .asciz "msr tcr_el1: "
s_trvm:         .asciz "hcr trvm: "
s_mrs_sctlr:    .asciz "mrs sctlr_el1: "
s_mrs_mair:     .asciz "mrs mair_el1: "
s_tid3:         .asciz "hcr tid3: "
s_mrs_mmfr0:    .asciz "mrs id_aa64mmfr0_el1: "
s_mrs_pfr0:     .asciz "mrs id_aa64pfr0_el1: "
s_ttlb:         .asciz "hcr ttlb: "
s_tlbi_vmalle1: .asciz "tlbi vmalle1: "
s_tlbi_vae1:    .asciz "tlbi vae1: "
s_twi:          .asciz "hcr twi: "
s_wfi:          .asciz "wfi: "
s_tsc:          .asciz "hcr tsc: "
s_smc:          .asciz "smc: "
s_done:         .asciz "back to el2: "
    .balign 4
