// The vmm's shared declarations: types, system-register access, the machine's
// map (QEMU virt) and the contract with the machine that starts it (blobs at
// fixed physical addresses; see DESIGN §5 and vmm/README in the Makefile).
#pragma once
#include <stdint.h>
#include <stddef.h>

/* HCR_EL2: bhyve's set for a guest (RW | TID3 | TWI | BSU_IS | FB | AMO | IMO | FMO | SWIO),
 * with VM for stage 2, or TVM | TRVM | TTLB for shadow paging. */
#define HCR_VM (1ull << 0)
#define HCR_SWIO (1ull << 1)
#define HCR_FMO (1ull << 3)
#define HCR_IMO (1ull << 4)
#define HCR_AMO (1ull << 5)
#define HCR_FB (1ull << 9)
#define HCR_BSU_IS (1ull << 10)
#define HCR_TWI (1ull << 13)
#define HCR_TID3 (1ull << 18)
#define HCR_TTLB (1ull << 25)
#define HCR_TVM (1ull << 26)
#define HCR_TRVM (1ull << 30)
#define HCR_RW (1ull << 31)
#define HCR_GUEST (HCR_RW | HCR_TID3 | HCR_TWI | HCR_BSU_IS | HCR_FB | HCR_AMO | HCR_IMO | HCR_FMO | HCR_SWIO)

typedef uint64_t u64;
typedef uint32_t u32;
typedef uint16_t u16;
typedef uint8_t u8;
typedef int64_t s64;

/** Host physical memory map. */
#define RAM_BASE 0x40000000ull
#define VMM_CMDLINE_PA 0x40040000ull   /* blob 1: the vmm's command line */
#define GUEST_CMDLINE_PA 0x44000000ull /* blob 2: the guest's command line block */
#define GUEST_ELF_PA 0x48000000ull     /* blob 3: the guest kernel ELF */
#define GUEST_ELF_MAX (64ull << 20)
#define HEAP_BASE 0x4c000000ull        /* page tables: after blob 3's largest size */
#define HEAP_END 0x80000000ull
#define GUEST_HOST_PA 0x80000000ull    /* guest RAM's backing, 1 GiB aligned */
#define CMDLINE_MAX 4096

/** The guest's view: RAM at IPA 0x4000_0000, the virt machine's devices. */
#define GUEST_RAM_IPA 0x40000000ull
#define GUEST_CMDLINE_IPA 0x40040000ull
#define UART_PA 0x09000000ull
#define UART_SIZE 0x1000ull
#define GICD_PA 0x08000000ull
#define GICD_SIZE 0x10000ull
#define GICR_PA 0x080a0000ull
#define GICR_SIZE 0x20000ull

#define PSCI_VERSION 0x84000000u
#define PSCI_CPU_ON 0x84000003u
#define PSCI_SYSTEM_OFF 0x84000008u
#define PSCI_FEATURES 0x8400000au
#define PSCI_NOT_SUPPORTED ((u64)-1)

#define read_sysreg(r) ({ u64 __v; __asm__ volatile("mrs %0, " #r : "=r"(__v)); __v; })
#define write_sysreg(r, v) __asm__ volatile("msr " #r ", %0" : : "r"((u64)(v)))
#define isb() __asm__ volatile("isb" : : : "memory")
#define dsb(opt) __asm__ volatile("dsb " #opt : : : "memory")

static inline u32 mmio_read32(u64 pa) { return *(volatile u32 *)pa; }
static inline void mmio_write32(u64 pa, u32 v) { *(volatile u32 *)pa = v; }

/** General-purpose registers saved on an exit (start.S). The thin switch fills
 *  x0-x18, x29 and x30 only; x19-x28 are live in the registers until the
 *  handler asks for them (EXIT_NEED_REGS), the full switch fills all. */
struct frame { u64 x[31]; u64 have_all; };
#define EXIT_DONE 0
#define EXIT_NEED_REGS 1

/** The EL1 context the full switch saves and loads (start.S, same order). */
enum ctx_reg {
  C_SCTLR, C_TCR, C_TTBR0, C_TTBR1, C_MAIR, C_AMAIR, C_VBAR, C_CONTEXTIDR,
  C_TPIDR_EL0, C_TPIDR_EL1, C_TPIDRRO_EL0, C_ESR, C_FAR, C_AFSR0, C_AFSR1, C_PAR,
  C_CPACR, C_CNTKCTL, C_SP_EL0, C_SP_EL1, C_ELR, C_SPSR,
  C_CNTV_CTL, C_CNTV_CVAL, C_ICH_VMCR, C_ICH_AP1R0, C_LR0, C_LR1, C_LR2, C_LR3,
  C_NREGS
};
struct el1_ctx { u64 r[C_NREGS]; };
extern struct el1_ctx guest_ctx, host_ctx;
extern int switch_full;

/** A guest EL1 register: live in the CPU (thin) or in guest_ctx (full, while the host's are loaded). */
u64 guest_get(enum ctx_reg r);
void guest_set(enum ctx_reg r, u64 v);

/** Options from the command line. */
struct options {
  u64 guest_mem;      /* bytes */
  u64 elf_size;
  unsigned granule;   /* page shift: 12, 14, 16 */
  unsigned ipa_bits;  /* 40, 44 */
  unsigned block;     /* leaf size shift */
  int eager, full, stats;
  unsigned vmid;
  int shadow;         /* 0 (stage2), SHADOW_WP, SHADOW_LAZY */
  unsigned roots;     /* shadow roots cached */
};
#define SHADOW_WP 1
#define SHADOW_LAZY 2
extern struct options opt;

// console.c
void console_write(const char *s, size_t n);
void printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
__attribute__((noreturn)) void fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
__attribute__((noreturn)) void power_off(void);
void print_stats(void);

// mmu.c
void el2_mmu_init(void);
void *heap_alloc(u64 size, u64 align);
/** Like heap_alloc, without zeroing (the caller zeroes what it uses). */
void *heap_reserve(u64 size, u64 align);

// loader.c
u64 load_guest(void);

// stage2.c
void stage2_init(void);
/** Maps the page or block holding ipa (in guest RAM); 0 if it was already mapped. */
int stage2_map_fault(u64 ipa);
static inline u64 ipa_to_pa(u64 ipa) { return ipa - GUEST_RAM_IPA + GUEST_HOST_PA; }
static inline int ipa_in_ram(u64 ipa) { return ipa >= GUEST_RAM_IPA && ipa - GUEST_RAM_IPA < opt.guest_mem; }

// vgic.c
void gic_host_init(void);
int vgic_mmio(u64 ipa, int write, unsigned size, u64 *val);
void vgic_irq_exit(void);
/** Injects the virtual timer if its condition is met; returns whether a vIRQ is pending for the guest. */
int vgic_sync_vtimer(void);
int vgic_lr_pending(void);
int vtimer_firing(void);

// exit.c
void guest_enter_first(u64 entry);
/** An abort into the guest's EL1 as the hardware takes it natively: fsc with its level, WnR, and extra ISS bits (CM). */
void inject_abort(int insn, u64 far, int write, unsigned fsc, u64 extra);
int is_device(u64 ipa);
/** Emulates the guest's load or store to device IPA ipa (UART, GIC), then skips the instruction. */
void mmio_emulate(struct frame *f, u64 esr, u64 ipa);
/** Whether emulating this device access needs x19-x28. */
int abort_needs_regs_dev(u64 esr);

// shadow.c
/** The guest's virtual translation controls (shadow modes): what it wrote and reads back. */
struct vsys { u64 sctlr, tcr, ttbr0, ttbr1, mair; };
extern struct vsys vs;
void shadow_init(u64 sctlr_reset);
/** A trapped TVM/TRVM register access or TLBI; 0 when it is none of these. */
int shadow_sysreg(struct frame *f, u64 esr);
/** A stage 1 abort routed by HACR_EL2.TS1F. */
void shadow_abort(struct frame *f, u64 esr, int insn);
int shadow_abort_needs_regs(u64 esr, int insn);
/** The guest's own translation of va for an access (1 read, 2 write, 4 execute) from el; -1 on a fault. */
s64 shadow_guest_ipa(u64 va, unsigned access, int el);
