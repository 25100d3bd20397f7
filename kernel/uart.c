// The 16550 UART found in the device tree: polled output (printf works
// before and after interrupts are on), interrupt-driven input that goes to
// the console device. Register offsets are from the 16550 data sheet
// (reg-shift 0 on QEMU virt).
#include <stdint.h>
#include "console.h"
#include "consoledev.h"
#include "plic.h"
#include "sbi.h"

#define RHR 0   // receive holding (read)
#define THR 0   // transmit holding (write)
#define IER 1   // interrupt enable
#define FCR 2   // FIFO control
#define LCR 3   // line control
#define LSR 5   // line status
#define LSR_RX_READY (1 << 0)
#define LSR_TX_IDLE (1 << 5)
#define IER_RX      (1 << 0)
#define LCR_DLAB    (1 << 7)

static volatile uint8_t *uart;

static void uart_w(int reg, uint8_t v) { uart[reg] = v; }
static uint8_t uart_r(int reg) { return uart[reg]; }

void uart_init(uint64_t base)
{
	uart = (volatile uint8_t *)(uintptr_t)base;
	uart_w(IER, 0x00);
	uart_w(LCR, LCR_DLAB);
	uart_w(0, 0x03);        // divisor low: 38400 baud
	uart_w(1, 0x00);        // divisor high
	uart_w(LCR, 0x03);      // 8 bits, no parity, one stop bit
	uart_w(FCR, 0x07);      // enable and clear FIFOs
}

int uart_active(void)
{
	return uart != 0;
}

void console_putc(int c)
{
	if (c == '\n')
		console_putc('\r');
	if (!uart) {
		sbi_console_putchar(c);
		return;
	}
	while ((uart_r(LSR) & LSR_TX_IDLE) == 0)
		;
	uart_w(THR, (uint8_t)c);
}

// Interrupt on received data. Output stays polled, so the transmit
// interrupt is never enabled.
void uart_rx_start(uint32_t irq)
{
	if (!uart)
		panic("uart: uart_rx_start(%u) before uart_init", irq);
	plic_enable(irq, uartintr);
	uart_w(IER, IER_RX);
}

// Hand every received character to the console; reading RHR until the
// FIFO is empty is what clears the interrupt.
void uartintr(void)
{
	while (uart_r(LSR) & LSR_RX_READY)
		consoleintr(uart_r(RHR));
}
