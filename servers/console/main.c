/*
 * The console server: drives the UART from user mode.  Output is written
 * synchronously; input arrives by the UART interrupt (PLIC -> notification
 * bound to this thread) and answers held CONS_READ calls, one line at a time.
 *
 * Handles from the root task (startinfo h_extra):
 *   0  endpoint clients call (R_RECV)       1  the UART's irq handle
 *   2  notification for the irq (bound to this thread, startinfo h_thread)
 * The UART registers are already mapped at CONSOLE_UART_VA; args: "compat".
 *
 * Messages:
 *   CONS_WRITE  buffer          -> w0 bytes written
 *   CONS_READ   w0 max          -> buffer: a line (up to max) once one is typed
 */
#include <stdio.h>
#include <string.h>
#include "sys.h"
#include "uart.h"

#define CONSOLE_UART_VA 0x50000000ul
#define MAX_READERS 8

static const struct uart_driver *drv;
static volatile void *regs;
static char line[256];
static size_t line_len, line_ready;   /* line_ready: bytes of completed input */

struct reader { handle_t reply; uint64_t max; };
static struct reader readers[MAX_READERS];
static int nreaders;

static void out(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			drv->tx(regs, '\r');
		drv->tx(regs, s[i]);
	}
}

static long write_direct(const char *s, size_t n)
{
	out(s, n);
	return 0;
}

/* answer the oldest reader with completed input */
static void serve_readers(void)
{
	while (nreaders && line_ready) {
		struct reader r = readers[0];
		size_t n = line_ready < r.max ? line_ready : r.max;
		struct msg m = { .info = IPC_INFO(0, 1), .w = { n } };
		struct ipc_ext e = { .sbuf = (uint64_t)line, .slen = n, .scap = -1 };
		ipc_send(r.reply, &m, &e);
		memmove(line, line + n, line_len - n);
		line_len -= n;
		line_ready -= n;
		memmove(readers, readers + 1, --nreaders * sizeof(readers[0]));
	}
}

/* the UART interrupt: take every byte, echo it, complete lines */
static void uart_input(handle_t irq)
{
	int c;
	while ((c = drv->rx(regs)) >= 0) {
		if (c == '\r')
			c = '\n';
		if (c == 0x7f || c == '\b') {
			if (line_len > line_ready) {
				line_len--;
				out("\b \b", 3);
			}
			continue;
		}
		if (line_len < sizeof(line)) {
			line[line_len++] = (char)c;
			out((char *)&c, 1);
		}
		if (c == '\n' || line_len == sizeof(line))
			line_ready = line_len;
	}
	irq_ack(irq);
	serve_readers();
}

int umain(void *arg)
{
	struct startinfo *si = arg;
	handle_t ep = si->h_extra[0], irq = si->h_extra[1], ntfn = si->h_extra[2];
	static char buf[IPC_MAX_BUF];
	struct ipc_ext e = { .rbuf = (uint64_t)buf, .rlen = sizeof(buf), .scap = -1 };
	struct msg m = { 0 };
	long r;

	drv = strcmp(si->args + strlen(si->args) + 1, "sifive,uart0") == 0 ? &uart_sifive : &uart_ns16550a;
	regs = (volatile void *)CONSOLE_UART_VA;
	libsys_set_output(write_direct);
	drv->init(regs);
	if (irq_bind(irq, ntfn, 1) || ntfn_bind(ntfn, si->h_thread))
		printf("console: cannot bind the UART interrupt\n");
	printf("console: %s UART driven from user mode\n", drv->compat);

	r = ipc_recv(ep, &m, &e);
	for (;;) {
		uint32_t label = IPC_LABEL(m.info);
		if (r < 0) {
			r = ipc_recv(ep, &m, &e);
			continue;
		}
		if (label == LABEL_NTFN) {
			uart_input(irq);
			r = ipc_recv(ep, &m, &e);
			continue;
		}
		switch (label) {
		case CONS_WRITE:
			if (m.info & IPC_GOT_BUF)
				out(buf, e.rbytes);
			m.w[0] = (m.info & IPC_GOT_BUF) ? e.rbytes : 0;
			m.info = IPC_INFO(0, 1);
			break;
		case CONS_READ:
			if (nreaders < MAX_READERS && reply_save(&readers[nreaders].reply) == 0) {
				readers[nreaders++].max = m.w[0] < sizeof(line) ? m.w[0] : sizeof(line);
				serve_readers();
				r = ipc_recv(ep, &m, &e);
				continue;
			}
			m.info = IPC_INFO((uint32_t)-E_AGAIN, 0);
			break;
		default:
			m.info = IPC_INFO((uint32_t)-E_NOSYS, 0);
			break;
		}
		r = ipc_replyrecv(ep, &m, &e);
	}
}
