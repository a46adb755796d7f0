/* picolibc's <unistd.h>, with what our libc adds */
#ifndef LIBC_UNISTD_H
#define LIBC_UNISTD_H
#include_next <unistd.h>

/*
 * The POSIX options this system has, each whole (sysconf answers the same;
 * lib/libc/sysconf.c).  One that is not here is not there, or not all of
 * it: sysconf says -1.  (Left undefined rather than -1: picolibc's headers
 * test them with #if defined.)
 */
#define _POSIX_VERSION              200809L
#define _POSIX_JOB_CONTROL          1
#define _POSIX_SAVED_IDS            1
#define _POSIX_THREADS              200809L
#define _POSIX_THREAD_ATTR_STACKSIZE 200809L
#define _POSIX_REALTIME_SIGNALS     200809L
#define _POSIX_BARRIERS             200809L
#define _POSIX_SPIN_LOCKS           200809L
#define _POSIX_READER_WRITER_LOCKS  200809L
#define _POSIX_MONOTONIC_CLOCK      200809L
#define _POSIX_CLOCK_SELECTION      200809L
#define _POSIX_TIMEOUTS             200809L
#define _POSIX_CPUTIME              200809L
#define _POSIX_THREAD_CPUTIME       200809L
/* not POSIX (BSD and Linux have them): all three ids, the saved one included */
int getresuid(uid_t *ruid, uid_t *euid, uid_t *suid);
int getresgid(gid_t *rgid, gid_t *egid, gid_t *sgid);
#endif
