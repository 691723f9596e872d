// The PL011 console and kprintf (every kernel message starts "kernel: ").
#pragma once
#include <stddef.h>

void console_write(const char *s, size_t n);
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
__attribute__((noreturn)) void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
