// bhyveload's job: the guest kernel ELF (blob 3) into guest memory. Checks the
// header (ELF64, little-endian, AArch64, ET_EXEC), the program headers and every
// PT_LOAD segment (in the file, in guest RAM), copies the segments to their
// physical addresses (IPAs) through guest RAM's host mapping, zeroes their BSS,
// copies the guest's command line block (blob 2) to IPA 0x4004_0000, and cleans
// what it wrote to the point of coherency (the guest starts with its MMU and
// caches off). Returns the entry point.
#include "stats.h"
#include "string.h"

struct ehdr {
  u8 ident[16];
  u16 type, machine;
  u32 version;
  u64 entry, phoff, shoff;
  u32 flags;
  u16 ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};
struct phdr { u32 type, flags; u64 offset, vaddr, paddr, filesz, memsz, align; };

#define PT_LOAD 1
#define ET_EXEC 2
#define EM_AARCH64 183

/*
 * Clean and invalidate to the point of coherency: the guest starts with its MMU and caches
 * off, so it must find the image in memory, and no line of it is left in the caches (the
 * guest's first touches are as cold as on a machine whose loader wrote memory directly).
 */
static void clean_inval_to_poc(u64 start, u64 len) {
  u64 line = 4ull << ((read_sysreg(ctr_el0) >> 16) & 0xf);
  for (u64 a = start & ~(line - 1); a < start + len; a += line) __asm__ volatile("dc civac, %0" : : "r"(a) : "memory");
}

/** Copies into guest RAM at ipa (already checked to be inside it). */
static void to_guest(u64 ipa, const void *src, u64 len) {
  memcpy((void *)ipa_to_pa(ipa), src, len);
  clean_inval_to_poc(ipa_to_pa(ipa), len);
}

u64 load_guest(void) {
  const u8 *elf = (const u8 *)GUEST_ELF_PA;
  u64 size = opt.elf_size;
  const struct ehdr *h = (const struct ehdr *)elf;
  if (size < sizeof *h || memcmp(h->ident, "\177ELF", 4)) fatal("guest kernel: not an ELF file (bad magic)");
  if (h->ident[4] != 2 || h->ident[5] != 1) fatal("guest kernel: not a little-endian ELF64 file");
  if (h->machine != EM_AARCH64) fatal("guest kernel: not an AArch64 ELF (e_machine %u)", h->machine);
  if (h->type != ET_EXEC) fatal("guest kernel: not an executable ELF (e_type %u)", h->type);
  if (h->phentsize != sizeof(struct phdr) || !h->phnum) fatal("guest kernel: bad program headers (entry size %u, count %u)", h->phentsize, h->phnum);
  if (h->phoff > size || (size - h->phoff) / sizeof(struct phdr) < h->phnum) fatal("guest kernel: program headers beyond the file's %lu bytes", size);
  u64 ram_end = GUEST_RAM_IPA + opt.guest_mem;
  int loads = 0, entry_ok = 0;
  for (unsigned i = 0; i < h->phnum; i++) {
    const struct phdr *p = (const struct phdr *)(elf + h->phoff + i * sizeof(struct phdr));
    if (p->type != PT_LOAD || !p->memsz) continue;
    if (p->filesz > p->memsz || p->offset > size || size - p->offset < p->filesz) fatal("guest kernel: segment %u lies outside the file", i);
    if (p->paddr < GUEST_RAM_IPA || p->paddr >= ram_end || ram_end - p->paddr < p->memsz) {
      fatal("guest kernel: segment %u [0x%lx, 0x%lx) is outside guest RAM [0x%llx, 0x%lx)", i, p->paddr, p->paddr + p->memsz, GUEST_RAM_IPA, ram_end);
    }
    if (p->paddr < GUEST_CMDLINE_IPA + CMDLINE_MAX && p->paddr + p->memsz > GUEST_CMDLINE_IPA) fatal("guest kernel: segment %u overlaps the command line block at 0x%llx", i, GUEST_CMDLINE_IPA);
    to_guest(p->paddr, elf + p->offset, p->filesz);
    memset((void *)ipa_to_pa(p->paddr + p->filesz), 0, p->memsz - p->filesz);
    clean_inval_to_poc(ipa_to_pa(p->paddr + p->filesz), p->memsz - p->filesz);
    if (h->entry >= p->paddr && h->entry - p->paddr < p->memsz) entry_ok = 1;
    loads++;
  }
  if (!loads) fatal("guest kernel: no PT_LOAD segment");
  if (!entry_ok || (h->entry & 3)) fatal("guest kernel: entry point 0x%lx is not in a loaded segment", h->entry);
  const char *cmd = (const char *)GUEST_CMDLINE_PA;
  size_t n = 0;
  while (n < CMDLINE_MAX && cmd[n]) n++;
  if (n == CMDLINE_MAX) fatal("guest command line: no NUL within %d bytes", CMDLINE_MAX);
  to_guest(GUEST_CMDLINE_IPA, cmd, n + 1);
  __asm__ volatile("dsb ish; ic iallu; dsb ish; isb" ::: "memory");
  return h->entry;
}
