// printf-style formatting into a buffer, shared by the kernel and the
// workloads' libc: %d %i %u %x %p %s %c %%, with l/ll/z size prefixes, a
// field width and the 0 flag. Output is truncated to size - 1 bytes and
// NUL-terminated; the return value is the length it would have had.
#pragma once
#include <stdarg.h>
#include <stddef.h>

int vformat(char *buf, size_t size, const char *fmt, va_list ap);
int format(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
