// The vmm's start at EL2 (after start.S has turned its MMU on): reads its
// command line (blob 1), loads the guest (bhyveload's job), sets up stage 2,
// the GIC and the timer for it, and enters it at EL1.
//
// Command line: space-separated key=value words:
//   mode=stage2 guest_mem=<MiB>M guest_elf_size=<bytes> [granule=4k|16k|64k]
//   [ipa_bits=40|44] [block=4k|16k|64k|2m|32m|512m|1g] [map=lazy|eager]
//   [switch=thin|full] [stats=print] [vmid=<n>]
//   mode=shadow-wp|shadow-lazy [roots=<1..64>] (the stage 2 options are accepted and ignored)
#include "stats.h"
#include "string.h"

struct options opt;
int switch_full;
struct el1_ctx guest_ctx, host_ctx;

#define SCTLR_EL1_RESET 0x30d00800ull   /* RES1 bits: MMU and caches off */
#define CPACR_FPEN (3ull << 20)

/** A decimal number with an optional one-letter suffix; -1 if malformed. */
static s64 number(const char *s, char suffix) {
  s64 v = 0;
  if (!*s) return -1;
  for (; *s >= '0' && *s <= '9'; s++) {
    if (v > 100000000000ll) return -1;
    v = v * 10 + (*s - '0');
  }
  if (*s && !(*s == suffix && !s[1])) return -1;
  return v;
}

static int size_shift(const char *s) {
  static const struct { const char *name; int shift; } sizes[] = {
    { "4k", 12 }, { "16k", 14 }, { "64k", 16 }, { "2m", 21 }, { "32m", 25 }, { "512m", 29 }, { "1g", 30 },
  };
  for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) if (!strcmp(s, sizes[i].name)) return sizes[i].shift;
  return -1;
}

static void parse_cmdline(void) {
  static char text[CMDLINE_MAX];
  memcpy(text, (const void *)VMM_CMDLINE_PA, CMDLINE_MAX);
  if (text[CMDLINE_MAX - 1]) fatal("command line: no NUL within %d bytes", CMDLINE_MAX);
  opt = (struct options){ .granule = 12, .ipa_bits = 40, .vmid = 1, .roots = 8 };
  int block = -1, have_mem = 0, have_size = 0;
  const char *block_text = "", *granule_text = "4k";
  for (char *p = text; *p;) {
    while (*p == ' ') p++;
    if (!*p) break;
    char *word = p;
    while (*p && *p != ' ') p++;
    if (*p) *p++ = 0;
    char *eq = word;
    while (*eq && *eq != '=') eq++;
    if (!*eq) fatal("command line: '%s' is not key=value", word);
    *eq = 0;
    const char *k = word, *v = eq + 1;
    s64 n;
    if (!strcmp(k, "mode")) {
      if (!strcmp(v, "shadow-wp")) opt.shadow = SHADOW_WP;
      else if (!strcmp(v, "shadow-lazy")) opt.shadow = SHADOW_LAZY;
      else if (strcmp(v, "stage2")) fatal("mode=%s is not supported (stage2, shadow-wp, shadow-lazy)", v);
    } else if (!strcmp(k, "roots")) {
      if ((n = number(v, 0)) < 1 || n > 64) fatal("roots must be 1..64, not '%s'", v);
      opt.roots = n;
    } else if (!strcmp(k, "guest_mem")) {
      if ((n = number(v, 'M')) < 16 || n > 3072) fatal("guest_mem must be 16M..3072M, not '%s'", v);
      opt.guest_mem = (u64)n << 20, have_mem = 1;
    } else if (!strcmp(k, "guest_elf_size")) {
      if ((n = number(v, 0)) < 64 || (u64)n > GUEST_ELF_MAX) fatal("guest_elf_size must be 64..%llu bytes, not '%s'", GUEST_ELF_MAX, v);
      opt.elf_size = n, have_size = 1;
    } else if (!strcmp(k, "granule")) {
      int s = size_shift(v);
      if (s != 12 && s != 14 && s != 16) fatal("granule must be 4k, 16k or 64k, not '%s'", v);
      opt.granule = s, granule_text = v;
    } else if (!strcmp(k, "ipa_bits")) {
      if ((n = number(v, 0)) != 40 && n != 44) fatal("ipa_bits must be 40 or 44, not '%s'", v);
      opt.ipa_bits = n;
    } else if (!strcmp(k, "block")) {
      block_text = v;
      if ((block = size_shift(v)) < 0) fatal("block must be 4k, 16k, 64k, 2m, 32m, 512m or 1g, not '%s'", v);
    } else if (!strcmp(k, "map")) {
      if (strcmp(v, "lazy") && strcmp(v, "eager")) fatal("map must be lazy or eager, not '%s'", v);
      opt.eager = !strcmp(v, "eager");
    } else if (!strcmp(k, "switch")) {
      if (strcmp(v, "thin") && strcmp(v, "full")) fatal("switch must be thin or full, not '%s'", v);
      opt.full = !strcmp(v, "full");
    } else if (!strcmp(k, "stats")) {
      if (strcmp(v, "print")) fatal("stats must be print, not '%s'", v);
      opt.stats = 1;
    } else if (!strcmp(k, "vmid")) {
      if ((n = number(v, 0)) < 1 || n > 255) fatal("vmid must be 1..255, not '%s'", v);
      opt.vmid = n;
    } else {
      fatal("unknown option '%s'", k);
    }
  }
  if (!have_mem) fatal("guest_mem=<MiB>M is required");
  if (!have_size) fatal("guest_elf_size=<bytes> is required");
  /* Leaf sizes of a granule: its page, and the block sizes of its levels 2 (and 1 for 4K). */
  unsigned g = opt.granule, stride = g - 3;
  if (block < 0) block = g;
  if (!(block == (int)g || block == (int)(g + stride) || (g == 12 && block == (int)(g + 2 * stride)))) {
    fatal("block=%s is not a page or block size of granule=%s (4k: 4k 2m 1g; 16k: 16k 32m; 64k: 64k 512m)", block_text, granule_text);
  }
  opt.block = block;
}

void vmm_main(void) {
  parse_cmdline();
  switch_full = opt.full;
  u64 entry = load_guest();
  if (!opt.shadow) stage2_init();
  gic_host_init();
  /* The guest's EL1 at reset; the host EL1 context of the full switch (a host kernel's). */
  guest_ctx.r[C_SCTLR] = SCTLR_EL1_RESET;
  host_ctx.r[C_SCTLR] = SCTLR_EL1_RESET;
  host_ctx.r[C_CPACR] = CPACR_FPEN;
  /* Shadow modes: stage 2 off, the real translation controls the vmm's (shadow.c). */
  if (opt.shadow) shadow_init(SCTLR_EL1_RESET);
  extern char vectors_thin[], vectors_full[];
  write_sysreg(vbar_el2, switch_full ? (u64)vectors_full : (u64)vectors_thin);
  isb();
  guest_enter_first(entry);
}
