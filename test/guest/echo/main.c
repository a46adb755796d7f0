/*
 * echo: serves the endpoint it was given (startinfo h_extra[0]) in its own
 * address space, so tests and benchmarks can cross address spaces.
 */
#include "sys.h"
#include "echo.h"

static char buf[IPC_MAX_BUF];

int umain(void *arg)
{
	struct startinfo *si = arg;
	handle_t ep = si->h_extra[0];
	struct ipc_ext e = { .rbuf = (uint64_t)buf, .rlen = sizeof(buf), .scap = -1 };
	struct msg m;
	long r = ipc_recv(ep, &m, &e);

	for (;;) {
		uint32_t label = IPC_LABEL(m.info);
		unsigned n = IPC_NWORDS(m.info);
		e.slen = 0;
		if (r < 0) {
			r = ipc_recv(ep, &m, &e);
			continue;
		}
		switch (label) {
		case ECHO_ADD:
			for (unsigned i = 0; i < n; i++)
				m.w[i]++;
			m.info = IPC_INFO(0, n);
			break;
		case ECHO_REV: {
			uint64_t len = (m.info & IPC_GOT_BUF) ? e.rbytes : 0;
			static char out[IPC_MAX_BUF];
			for (uint64_t i = 0; i < len; i++)
				out[i] = buf[len - 1 - i];
			e.sbuf = (uint64_t)out;
			e.slen = len;
			m.info = IPC_INFO(0, 1);
			m.w[0] = len;
			break;
		}
		case ECHO_CAP:
			if (m.info & IPC_GOT_CAP) {
				m.w[1] = (uint64_t)ntfn_signal(e.rcap, m.w[0]);
				handle_close(e.rcap);
			} else {
				m.w[1] = (uint64_t)-E_BADF;
			}
			m.info = IPC_INFO(0, 2);
			break;
		case ECHO_SINK:
			m.info = IPC_INFO(0, 0);
			break;
		case ECHO_QUIT:
			m.info = IPC_INFO(0, 0);
			ipc_reply(&m, NULL);
			return 0;
		default:
			m.info = IPC_INFO(0, 0);
			break;
		}
		r = ipc_replyrecv(ep, &m, &e);
	}
}
