// The 16550 UART found in the device tree: polled output (printf works
// before and after interrupts are on), interrupt-driven input that goes to
// the console device. Register offsets are from the 16550 data sheet
// (reg-shift 0 on QEMU virt).
// What is typed during the boot is kept: uart_init saves what the receiver
// already holds and never clears the FIFO, and uart_rx_start hands the
// saved bytes and the FIFO to the console before input interrupts begin.
// The limit is the hardware's: a 16550's FIFO holds 16 bytes, and on a
// real one more typed before uart_rx_start are overrun and lost. QEMU's
// model has the 16-byte FIFO but takes a byte from the host only while
// the FIFO is below its trigger level (1 byte here) and the host keeps the
// rest, so under QEMU nothing is lost up to the console's line buffer (128
// bytes). What comes before the firmware sets the UART up is gone either
// way: OpenSBI's set-up reads and flushes it.
#include <stdint.h>
#include "console.h"
#include "consoledev.h"
#include "plic.h"
#include "sbi.h"

#define RHR 0   // receive holding (read)
#define THR 0   // transmit holding (write)
#define IER 1   // interrupt enable
#define FCR 2   // FIFO control (write)
#define LCR 3   // line control
#define LSR 5   // line status
#define LSR_RX_READY (1 << 0)
#define LSR_TX_IDLE (1 << 5)
#define IER_RX      (1 << 0)
#define LCR_DLAB    (1 << 7)
#define FCR_ENABLE  (1 << 0)    // without the clear bits 1 and 2
#define FIFO_DEPTH  16

static volatile uint8_t *uart;

// Bytes received before the console was ready (uart_init to uart_rx_start).
static uint8_t early_rx[FIFO_DEPTH];
static int early_n;

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
	// Save what has been typed: turning the FIFO on (if the firmware left
	// it off) empties it. The FIFO is never cleared on purpose.
	while (early_n < FIFO_DEPTH && (uart_r(LSR) & LSR_RX_READY))
		early_rx[early_n++] = uart_r(RHR);
	uart_w(FCR, FCR_ENABLE);
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
// interrupt is never enabled. What came during the boot goes to the
// console first, in order: the bytes uart_init saved, then the FIFO
// (reading it before IER is set, so no interrupt reads it meanwhile).
void uart_rx_start(uint32_t irq)
{
	if (!uart)
		panic("uart: uart_rx_start(%u) before uart_init", irq);
	for (int i = 0; i < early_n; i++)
		consoleintr(early_rx[i]);
	early_n = 0;
	uartintr();
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
