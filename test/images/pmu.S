// The PMU's deterministic facts that QEMU models too: PMCR_EL0.N at EL2 and,
// with MDCR_EL2.HPMN = 3, at EL1; then the EC 0x18 traps of its access rules,
// each reported by lib.S's vectors: PMUSERENR_EL0.EN at EL0 (to EL1),
// MDCR_EL2.TPM at EL1 and EL0 (to EL2) after the PMUSERENR_EL0 check. Not
// here: counts (they depend on timing), the rest of PMCR_EL0 (LC is RES1 on
// this AArch64-only machine, RW on QEMU's cortex-a57), PMCEID (QEMU counts
// other events), MDCR_EL2.TPMCR (QEMU 7.2 ignores it) and an EL0 read that
// PMUSERENR_EL0.ER allows under MDCR_EL2.TPM (QEMU does not trap it).
    .text
    .global _start
_start:
    bl init
    adr x0, s_pmcr_el2
    mrs x1, pmcr_el0
    ubfx x1, x1, #11, #5
    bl putkv
    bl newline
    mov x0, #3                   // HPMN = 3: counters 3-5 belong to EL2
    msr mdcr_el2, x0
    adr x0, el1_main
    b to_el1

    .equ MDCR_TPM, 1 << 6

el1_main:
    adr x0, s_pmcr_el1
    mrs x1, pmcr_el0
    ubfx x1, x1, #11, #5
    bl putkv
    bl newline
    msr pmuserenr_el0, xzr       // no PMU access at EL0
    adr x0, el0_main
    b to_el0

el0_main:
    adr x0, s_el0_en
    bl puts
    adr x19, 1f
    adr x20, 2f
1:  mrs x3, pmcr_el0
2:  adr x19, 1f                  // to EL1, then EL2 to set TPM
    adr x20, el1_to_el2
    mov x21, #0x3c5
    adr x23, el2_tpm
1:  svc #0

// From EL1: HVC to EL2, going on at x23.
el1_to_el2:
    adr x19, 1f
    mov x20, x23
    mov x21, #0x3c9
1:  hvc #0

el2_tpm:
    mov x0, #(MDCR_TPM | 3)
    msr mdcr_el2, x0
    adr x0, el1_tpm
    b to_el1

el1_tpm:
    adr x0, s_tpm_el1
    bl puts
    adr x19, 1f
    adr x20, 2f
1:  mrs x3, pmccntr_el0
2:  adr x0, el0_tpm
    b to_el0

el0_tpm:
    adr x0, s_tpm_el0
    bl puts
    adr x19, 1f                  // EN = 0: PMUSERENR_EL0 traps it to EL1 before TPM
    adr x20, 2f
1:  msr pmcntenset_el0, xzr
2:  adr x19, 1f                  // PMUSERENR_EL0 itself: TPM only
    adr x20, 2f
1:  mrs x3, pmuserenr_el0
2:  adr x19, 1f
    adr x20, el1_to_el2
    mov x21, #0x3c5
    adr x23, el2_end
1:  svc #0

el2_end:
    b poweroff

s_pmcr_el2:    .asciz "PMCR_EL0.N at EL2: "
s_pmcr_el1:    .asciz "PMCR_EL0.N at EL1 with HPMN=3: "
s_el0_en:      .asciz "EL0 mrs pmcr_el0, PMUSERENR_EL0.EN=0: "
s_tpm_el1:     .asciz "MDCR_EL2.TPM, EL1 mrs pmccntr_el0: "
s_tpm_el0:     .asciz "MDCR_EL2.TPM, EL0 msr pmcntenset_el0, mrs pmuserenr_el0:\n"
    .balign 4
