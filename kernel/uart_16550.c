// The 16550 UART ("ns16550a", QEMU virt). Register offsets are from the
// 16550 data sheet (reg-shift 0 on QEMU virt). The FIFO is never cleared:
// turning it on, if the firmware left it off, empties it, so init hands
// what the receiver holds to keep first. A 16550's FIFO holds 16 bytes; on
// a real one more typed before the console takes input are overrun and
// lost. QEMU's model takes a byte from the host only while the FIFO is
// below its trigger level (1 byte here) and the host keeps the rest, so
// under QEMU nothing is lost up to the console's line buffer (128 bytes).
#include <stdint.h>
#include "uart.h"

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

static volatile uint8_t *regs;

static void ns16550a_init(uintptr_t base, void (*keep)(uint8_t c))
{
	regs = (volatile uint8_t *)base;
	regs[IER] = 0x00;
	regs[LCR] = LCR_DLAB;
	regs[0] = 0x03;         // divisor low: 38400 baud
	regs[1] = 0x00;         // divisor high
	regs[LCR] = 0x03;       // 8 bits, no parity, one stop bit
	for (int n = 0; n < FIFO_DEPTH && (regs[LSR] & LSR_RX_READY); n++)
		keep(regs[RHR]);
	regs[FCR] = FCR_ENABLE;
}

static void ns16550a_putc(uint8_t c)
{
	while ((regs[LSR] & LSR_TX_IDLE) == 0)
		;
	regs[THR] = c;
}

// Reading RHR until LSR says empty is also what clears the interrupt.
static int ns16550a_getc(void)
{
	return (regs[LSR] & LSR_RX_READY) ? regs[RHR] : -1;
}

static void ns16550a_rx_intr_on(void)
{
	regs[IER] = IER_RX;
}

const struct uart_driver uart_ns16550a = {
	.compatible = "ns16550a",
	.init = ns16550a_init,
	.putc = ns16550a_putc,
	.getc = ns16550a_getc,
	.rx_intr_on = ns16550a_rx_intr_on,
};
