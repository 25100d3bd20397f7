// The console's UART: the driver the device tree's compatible names
// (uart.h: the 16550 on virt, the SiFive UART on sifive_u), polled output
// (printf works before and after interrupts are on) and interrupt-driven
// input for the console device. Until uart_init, output goes through SBI.
// What is typed during the boot is kept: a driver whose set-up would empty
// its receive FIFO hands those bytes over first (uart_init keeps them),
// and uart_rx_start gives the console the kept bytes, then what the FIFO
// holds, before input interrupts begin. What comes before the firmware
// sets the UART up is gone either way: OpenSBI's set-up drops it.
#include <stdint.h>
#include "console.h"
#include "consoledev.h"
#include "fdtmap.h"
#include "plic.h"
#include "sbi.h"
#include "uart.h"

#define KEPT_MAX 16     // the deepest receive FIFO of the drivers (the 16550's)

static const struct uart_driver *uart;

// Bytes received before the console was ready (uart_init to uart_rx_start).
static uint8_t kept[KEPT_MAX];
static int nkept;

static void keep(uint8_t c)
{
	if (nkept < KEPT_MAX)
		kept[nkept++] = c;
}

void uart_init(int kind, uint64_t base)
{
	const struct uart_driver *d = kind == FDT_UART_NS16550A ? &uart_ns16550a :
				      kind == FDT_UART_SIFIVE ? &uart_sifive : 0;

	if (!d)
		panic("uart: no driver for UART kind %d at 0x%lx", kind, base);
	d->init((uintptr_t)base, keep);
	uart = d;
}

const char *uart_name(void)
{
	return uart ? uart->compatible : "SBI console";
}

void console_putc(int c)
{
	if (c == '\n')
		console_putc('\r');
	if (!uart) {
		sbi_console_putchar(c);
		return;
	}
	uart->putc((uint8_t)c);
}

// Interrupt on received data; output stays polled. What came during the
// boot goes to the console first, in order: the kept bytes, then the FIFO
// (read before the interrupt is on, so no interrupt reads it meanwhile).
void uart_rx_start(uint32_t irq)
{
	if (!uart)
		panic("uart: uart_rx_start(%u) before uart_init", irq);
	for (int i = 0; i < nkept; i++)
		consoleintr(kept[i]);
	nkept = 0;
	uartintr();
	plic_enable(irq, uartintr);
	uart->rx_intr_on();
}

// Hand every received character to the console; emptying the receive
// FIFO is what clears the interrupt on both UARTs.
void uartintr(void)
{
	int c;

	while ((c = uart->getc()) >= 0)
		consoleintr(c);
}
