// Addresses, system-register access and barriers.
#pragma once
#include <stdint.h>
#include <stddef.h>

typedef uint64_t u64;
typedef uint32_t u32;
typedef uint16_t u16;
typedef uint8_t u8;

/** The kernel sees all of physical memory at PA + KOFF (TTBR1, 1 GiB blocks); it is linked there too. */
#define KOFF 0xffff000000000000ull
#define PAGE_SIZE 4096ull
#define PAGE_SHIFT 12

/** The command-line block the loader fills (see README: below the kernel, above QEMU's device tree). */
#define CMDLINE_PA 0x40040000ull
#define CMDLINE_MAX 4096
#define RAM_BASE 0x40000000ull

#define UART_PA 0x09000000ull
#define GICD_PA 0x08000000ull
#define GICR_PA 0x080a0000ull

static inline void *phys_to_virt(u64 pa) { return (void *)(pa + KOFF); }
static inline u64 virt_to_phys(const void *va) { return (u64)va - KOFF; }

#define read_sysreg(r) ({ u64 __v; __asm__ volatile("mrs %0, " #r : "=r"(__v)); __v; })
#define write_sysreg(r, v) __asm__ volatile("msr " #r ", %0" : : "r"((u64)(v)))
#define isb() __asm__ volatile("isb" : : : "memory")
#define dsb(opt) __asm__ volatile("dsb " #opt : : : "memory")

static inline u32 mmio_read32(u64 pa) { return *(volatile u32 *)phys_to_virt(pa); }
static inline void mmio_write32(u64 pa, u32 v) { *(volatile u32 *)phys_to_virt(pa) = v; }

/** PSCI through the conduit the machine offers (SMC when entered at EL2, HVC at EL1). */
u64 psci_call(u64 fn, u64 a1, u64 a2, u64 a3);
extern int psci_smc;
__attribute__((noreturn)) void power_off(void);
