// Console output: through SBI until the device tree has named the UART,
// then through its driver directly (uart.c). printf and panic live in
// printf.c.
#ifndef KERNEL_CONSOLE_H
#define KERNEL_CONSOLE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

void console_putc(int c);
// Switch the console to the UART at base; kind is the device tree's
// (enum fdt_uart_kind in fdtmap.h).
void uart_init(int kind, uint64_t base);
const char *uart_name(void);    // its compatible, or "SBI console" before uart_init

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
