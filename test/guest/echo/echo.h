/* The echo server's protocol: the cross-address-space partner of ktest and kbench. */
#ifndef ECHO_H
#define ECHO_H
#define ECHO_ADD 1   /* words -> each word + 1 */
#define ECHO_REV 2   /* buffer -> the buffer reversed */
#define ECHO_CAP 3   /* a notification handle, w0 bits -> it is signalled with w0 */
#define ECHO_NOP 4   /* -> an empty reply */
#define ECHO_QUIT 5  /* -> reply, then exit */
#define ECHO_SINK 6  /* a buffer -> an empty reply (one-way buffer copy) */
#endif
