// PSCI as QEMU's virt machine serves it without EL3 firmware, through SMC:
// VERSION, FEATURES of the calls el2sim provides and of an unknown one, and
// MIGRATE_INFO_TYPE at EL2; VERSION again from EL1 (SMC is the conduit
// there too while HCR_EL2.TSC is 0). SYSTEM_OFF ends it, from EL2.
    .text
    .global _start
_start:
    bl init
    adr x0, s_version
    ldr x1, =0x84000000
    bl call
    adr x0, s_f_version
    ldr x1, =0x8400000a
    ldr x2, =0x84000000
    bl call
    adr x0, s_f_features
    ldr x1, =0x8400000a
    ldr x2, =0x8400000a
    bl call
    adr x0, s_f_off
    ldr x1, =0x8400000a
    ldr x2, =0x84000008
    bl call
    adr x0, s_f_reset
    ldr x1, =0x8400000a
    ldr x2, =0x84000009
    bl call
    adr x0, s_f_migrate
    ldr x1, =0x8400000a
    ldr x2, =0x84000006
    bl call
    adr x0, s_f_affinity
    ldr x1, =0x8400000a
    ldr x2, =0x84000004
    bl call
    adr x0, s_f_unknown
    ldr x1, =0x8400000a
    ldr x2, =0x8400001f
    bl call
    adr x0, s_migrate
    ldr x1, =0x84000006
    bl call
    adr x0, el1_main
    b to_el1

el1_main:
    adr x0, s_el1_version
    ldr x1, =0x84000000
    bl call
    adr x0, s_hvc                // on to EL2h through lib.S's vector
    bl puts
    adr x19, 1f
    adr x20, poweroff
    mov x21, #0x3c9
1:  hvc #0

// x0: label; x1: function ID, x2: its argument. Prints the label and x0 after the SMC.
call:
    mov x10, x30
    mov x11, x1
    mov x12, x2
    bl puts
    mov x0, x11
    mov x1, x12
    smc #0
    bl puthex
    bl newline
    ret x10

s_version:     .asciz "PSCI_VERSION: "
s_f_version:   .asciz "PSCI_FEATURES(PSCI_VERSION): "
s_f_features:  .asciz "PSCI_FEATURES(PSCI_FEATURES): "
s_f_off:       .asciz "PSCI_FEATURES(SYSTEM_OFF): "
s_f_reset:     .asciz "PSCI_FEATURES(SYSTEM_RESET): "
s_f_migrate:   .asciz "PSCI_FEATURES(MIGRATE_INFO_TYPE): "
s_f_affinity:  .asciz "PSCI_FEATURES(AFFINITY_INFO): "
s_f_unknown:   .asciz "PSCI_FEATURES(0x8400001f): "
s_migrate:     .asciz "MIGRATE_INFO_TYPE: "
s_el1_version: .asciz "PSCI_VERSION from EL1: "
s_hvc:         .asciz "back to el2: "
    .balign 4
