// Console output: through SBI until the device tree has named the UART,
// then through the 16550 directly. printf and panic live in printf.c.
#ifndef KERNEL_CONSOLE_H
#define KERNEL_CONSOLE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

void console_putc(int c);
void uart_init(uint64_t base);           // switch the console to the UART at base
int uart_active(void);

int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintf(const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

// Exit QEMU: status 0 through the test finisher (or SBI SRST when the
// machine has none), or a failure status that QEMU passes to its caller.
void power_init(uint64_t finisher_base);
void power_off(int status) __attribute__((noreturn));

#endif
