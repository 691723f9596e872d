// The vmm's counters: each one a global 8-byte object `vmm_stat_<NAME>`, which
// el2sim finds by its ELF symbol and reads at power-off. The VMEXIT_* names are
// bhyve arm64's (sys/arm64/vmm/vmm_stat.c); the others are this vmm's own.
#pragma once
#include "vmm.h"

#define VMM_STATS(X) \
  X(VMEXIT_COUNT) X(VMEXIT_UNKNOWN) X(VMEXIT_WFI) X(VMEXIT_WFE) X(VMEXIT_HVC) X(VMEXIT_MSR) \
  X(VMEXIT_DATA_ABORT) X(VMEXIT_INSN_ABORT) X(VMEXIT_UNHANDLED_SYNC) X(VMEXIT_IRQ) X(VMEXIT_FIQ) \
  X(VMEXIT_BRK) X(VMEXIT_SS) X(VMEXIT_UNHANDLED_EL2) X(VMEXIT_UNHANDLED) \
  X(S2_FAULT_TRANSLATION) X(S2_FAULT_ACCESS_FLAG) X(S2_FAULT_PERMISSION) X(S2_FAULT_OTHER) \
  X(S2_PAGING) X(S2_TABLES) \
  X(S2_MAP_4K) X(S2_MAP_16K) X(S2_MAP_64K) X(S2_MAP_2M) X(S2_MAP_32M) X(S2_MAP_512M) X(S2_MAP_1G) \
  X(MMIO_UART) X(MMIO_GICD) X(MMIO_GICR) X(MMIO_UNMAPPED) X(MMIO_DECODED) \
  X(INJECT_ABORT) X(INJECT_VIRQ) X(WFI_WAIT) X(PSCI_CALL)

#define VMM_STAT_DECLARE(n) extern u64 vmm_stat_##n;
VMM_STATS(VMM_STAT_DECLARE)
#define STAT(n) (vmm_stat_##n++)
