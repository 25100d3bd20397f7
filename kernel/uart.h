// The UART drivers behind the console (uart.c picks one by the device
// tree's compatible): each moves bytes and nothing else. Output is polled,
// input comes by interrupt, and typeahead is kept by uart.c.
#ifndef KERNEL_UART_H
#define KERNEL_UART_H

#include <stdint.h>

struct uart_driver {
	const char *compatible;
	// Set the UART at base up for 8N1 with receive interrupts off. Bytes
	// that setting up would throw away go to keep, oldest first.
	void (*init)(uintptr_t base, void (*keep)(uint8_t c));
	void (*putc)(uint8_t c);        // waits while the transmitter is full
	int (*getc)(void);              // a received byte, or -1 when none is waiting
	void (*rx_intr_on)(void);       // interrupt while a received byte waits
};

extern const struct uart_driver uart_ns16550a;  // uart_16550.c
extern const struct uart_driver uart_sifive;    // uart_sifive.c

#endif
