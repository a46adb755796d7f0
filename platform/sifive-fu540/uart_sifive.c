/*
 * SiFive UART (FU540 / FU740): 32-bit registers.  QEMU ignores byte stores
 * to txdata, so every access is a 32-bit one.
 */
#include "uart.h"

#define TXDATA 0
#define RXDATA 1
#define TXCTRL 2
#define RXCTRL 3
#define IE     4
#define TX_FULL  (1u << 31)
#define RX_EMPTY (1u << 31)

static inline volatile uint32_t *reg(volatile void *base, int r) { return (volatile uint32_t *)base + r; }

static void sf_init(volatile void *b)
{
	*reg(b, TXCTRL) = 1;            /* transmit on */
	*reg(b, RXCTRL) = 1;            /* receive on, watermark 0: interrupt on any byte */
	*reg(b, IE) = 2;                /* receive watermark interrupt */
}

static void sf_putc(volatile void *b, char c)
{
	while (*reg(b, TXDATA) & TX_FULL)
		;
	*reg(b, TXDATA) = (uint8_t)c;
}

static int sf_getc(volatile void *b)
{
	uint32_t v = *reg(b, RXDATA);
	return (v & RX_EMPTY) ? -1 : (int)(v & 0xff);
}

const struct uart_driver uart_sifive = { "sifive,uart0", sf_init, sf_putc, sf_getc };
