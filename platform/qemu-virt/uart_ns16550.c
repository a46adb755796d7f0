/* NS16550A (QEMU virt): byte registers, receive-data interrupt. */
#include "uart.h"

#define RBR 0   /* receive buffer (read) */
#define THR 0   /* transmit holding (write) */
#define IER 1   /* interrupt enable */
#define FCR 2   /* FIFO control */
#define LCR 3
#define LSR 5   /* line status */
#define LSR_DR   0x01
#define LSR_THRE 0x20

static inline volatile uint8_t *reg(volatile void *base, int r) { return (volatile uint8_t *)base + r; }

static void ns_init(volatile void *b)
{
	*reg(b, LCR) = 0x03;    /* 8N1 */
	*reg(b, FCR) = 0x07;    /* FIFOs on and cleared */
	*reg(b, IER) = 0x01;    /* interrupt when data arrives */
}

static void ns_putc(volatile void *b, char c)
{
	while (!(*reg(b, LSR) & LSR_THRE))
		;
	*reg(b, THR) = (uint8_t)c;
}

static int ns_getc(volatile void *b)
{
	if (!(*reg(b, LSR) & LSR_DR))
		return -1;
	return *reg(b, RBR);
}

const struct uart_driver uart_ns16550a = { "ns16550a", ns_init, ns_putc, ns_getc };
