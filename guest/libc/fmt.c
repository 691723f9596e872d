#include "fmt.h"
#include <stdint.h>

struct out { char *buf; size_t size, len; };

static void put(struct out *o, char c) {
  if (o->len + 1 < o->size) o->buf[o->len] = c;
  o->len++;
}

static void number(struct out *o, uint64_t v, unsigned base, int width, char pad, int negative) {
  char digits[24];
  int n = 0;
  do {
    digits[n++] = "0123456789abcdef"[v % base];
    v /= base;
  } while (v);
  if (negative) {
    if (pad == '0') put(o, '-');
    width--;
  }
  for (; width > n; width--) put(o, pad);
  if (negative && pad != '0') put(o, '-');
  while (n) put(o, digits[--n]);
}

int vformat(char *buf, size_t size, const char *fmt, va_list ap) {
  struct out o = { buf, size, 0 };
  for (; *fmt; fmt++) {
    if (*fmt != '%') { put(&o, *fmt); continue; }
    fmt++;
    char pad = ' ';
    if (*fmt == '0') { pad = '0'; fmt++; }
    int width = 0;
    while (*fmt >= '0' && *fmt <= '9') width = width * 10 + (*fmt++ - '0');
    int wide = 0;
    while (*fmt == 'l' || *fmt == 'z') { wide = 1; fmt++; }
    switch (*fmt) {
      case 'd': case 'i': {
        int64_t v = wide ? va_arg(ap, int64_t) : va_arg(ap, int);
        number(&o, v < 0 ? -(uint64_t)v : (uint64_t)v, 10, width, pad, v < 0);
        break;
      }
      case 'u': number(&o, wide ? va_arg(ap, uint64_t) : va_arg(ap, unsigned), 10, width, pad, 0); break;
      case 'x': number(&o, wide ? va_arg(ap, uint64_t) : va_arg(ap, unsigned), 16, width, pad, 0); break;
      case 'p': put(&o, '0'); put(&o, 'x'); number(&o, (uintptr_t)va_arg(ap, void *), 16, width, pad, 0); break;
      case 'c': put(&o, (char)va_arg(ap, int)); break;
      case 's': {
        const char *s = va_arg(ap, const char *);
        int n = 0;
        while (s[n]) n++;
        for (; width > n; width--) put(&o, ' ');
        while (*s) put(&o, *s++);
        break;
      }
      case '%': put(&o, '%'); break;
      default: put(&o, '%'); put(&o, *fmt); if (!*fmt) fmt--; break;
    }
  }
  if (size) buf[o.len < size ? o.len : size - 1] = 0;
  return (int)o.len;
}

int format(char *buf, size_t size, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vformat(buf, size, fmt, ap);
  va_end(ap);
  return n;
}
