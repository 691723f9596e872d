// The vmm's own output on the PL011 (the same UART the guest's accesses are
// passed through to), its counters, and the power-off through the machine's
// PSCI firmware (SMC from EL2).
#include <stdarg.h>
#include "stats.h"
#include "fmt.h"

#define UARTDR 0x00
#define UARTFR 0x18
#define UARTFR_TXFF (1u << 5)

#define VMM_STAT_DEFINE(n) u64 vmm_stat_##n;
VMM_STATS(VMM_STAT_DEFINE)

#define VMM_STAT_ENTRY(n) { #n, &vmm_stat_##n },
static const struct { const char *name; u64 *value; } stat_table[] = { VMM_STATS(VMM_STAT_ENTRY) };

void console_write(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    while (mmio_read32(UART_PA + UARTFR) & UARTFR_TXFF) {}
    mmio_write32(UART_PA + UARTDR, (u8)s[i]);
  }
}

static void vprint(const char *fmt, va_list ap) {
  char buf[256];
  int n = vformat(buf, sizeof buf, fmt, ap);
  console_write(buf, n < (int)sizeof buf ? (size_t)n : sizeof buf - 1);
}

void printk(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vprint(fmt, ap);
  va_end(ap);
}

void fatal(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  printk("vmm: error: ");
  vprint(fmt, ap);
  va_end(ap);
  printk("\n");
  power_off();
}

void print_stats(void) {
  for (size_t i = 0; i < sizeof stat_table / sizeof *stat_table; i++) printk("vmm: stat %s %lu\n", stat_table[i].name, *stat_table[i].value);
}

void power_off(void) {
  register u64 x0 __asm__("x0") = PSCI_SYSTEM_OFF;
  __asm__ volatile("smc #0" : "+r"(x0) : : "memory");
  for (;;) __asm__ volatile("wfi");
}
