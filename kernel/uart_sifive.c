// The SiFive UART ("sifive,uart0": QEMU sifive_u, the HiFive boards), as
// the FU540-C000 manual describes it: 32-bit registers only, an 8-entry
// FIFO each way. txdata reads with bit 31 set while the transmit FIFO is
// full; rxdata reads with bit 31 set when the receive FIFO is empty, and
// otherwise pops a byte. The receive watermark interrupt is pending while
// the FIFO holds more than rxctrl's rxcnt entries; rxcnt = 0 makes it one
// byte. The transmit watermark interrupt is never enabled: output is
// polled, and with txcnt = 0 QEMU's model would raise it for good.
// The baud rate divisor is the firmware's (OpenSBI sets it from the clock
// the device tree gives), and the FIFOs are never reset, so typeahead
// stays in the receive FIFO until the console takes it.
#include <stdint.h>
#include "uart.h"

#define TXDATA  0x00
#define RXDATA  0x04
#define TXCTRL  0x08
#define RXCTRL  0x0c
#define IE      0x10
#define DATA_FLAG  (1u << 31)   // txdata: full; rxdata: empty
#define CTRL_EN    (1u << 0)    // txen, rxen
#define CTRL_CNT   (7u << 16)   // txcnt, rxcnt: the watermark
#define TX_NSTOP   (1u << 1)    // two stop bits when set
#define IE_RXWM    (1u << 1)

static volatile uint32_t *regs;

static volatile uint32_t *reg(int off)
{
	return regs + off / 4;
}

static void sifive_init(uintptr_t base, void (*keep)(uint8_t c))
{
	(void)keep;             // nothing here empties the FIFO
	regs = (volatile uint32_t *)base;
	*reg(IE) = 0;
	*reg(TXCTRL) = (*reg(TXCTRL) & ~(CTRL_CNT | TX_NSTOP)) | CTRL_EN;  // 8N1
	*reg(RXCTRL) = (*reg(RXCTRL) & ~CTRL_CNT) | CTRL_EN;
}

static void sifive_putc(uint8_t c)
{
	while (*reg(TXDATA) & DATA_FLAG)
		;
	*reg(TXDATA) = c;
}

static int sifive_getc(void)
{
	uint32_t v = *reg(RXDATA);

	return (v & DATA_FLAG) ? -1 : (int)(v & 0xff);
}

static void sifive_rx_intr_on(void)
{
	*reg(IE) = IE_RXWM;
}

const struct uart_driver uart_sifive = {
	.compatible = "sifive,uart0",
	.init = sifive_init,
	.putc = sifive_putc,
	.getc = sifive_getc,
	.rx_intr_on = sifive_rx_intr_on,
};
