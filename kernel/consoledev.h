// The console as a device (consoledev.c): devsw[CONSOLE] reads lines typed
// on the UART, with editing, and writes to the UART. uart.c feeds it.
#ifndef KERNEL_CONSOLEDEV_H
#define KERNEL_CONSOLEDEV_H

#include <stdint.h>
#include "fdtmap.h"

// console_init - install devsw[CONSOLE] and start UART input interrupts
// (after the PLIC is set up). Without a UART, reads never return.
void console_init(const struct bootinfo *bi);

// consoleintr - one character received (from the UART's interrupt
// handler): edit the line being typed, echo, wake readers at a line end.
void consoleintr(int c);

// uart.c: enable receive interrupts on the UART and register uartintr
// for irq with the PLIC.
void uart_rx_start(uint32_t irq);
void uartintr(void);

#endif
