#include "console.h"
#include "arch.h"
#include "fmt.h"

#define UARTDR 0x00
#define UARTFR 0x18
#define UARTFR_TXFF (1u << 5)

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

void kprintf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vprint(fmt, ap);
  va_end(ap);
}

void panic(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  kprintf("kernel: panic: ");
  vprint(fmt, ap);
  va_end(ap);
  power_off();
}
