/*
 * UART drivers for the user-level console server.  Each board folder brings
 * its driver; the console picks one by the device tree's compatible string.
 */
#ifndef PLATFORM_UART_H
#define PLATFORM_UART_H
#include <stdint.h>
#include <stdbool.h>

struct uart_driver {
	const char *compat;                     /* device tree compatible */
	void (*init)(volatile void *regs);      /* receive interrupts on */
	void (*tx)(volatile void *regs, char c);
	int (*rx)(volatile void *regs);        /* -1 if nothing waits */
};

extern const struct uart_driver uart_ns16550a;   /* platform/qemu-virt */
extern const struct uart_driver uart_sifive;     /* platform/sifive-fu540 (also fu740) */
#endif
