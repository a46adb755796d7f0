/* picolibc's <unistd.h>, with what our libc adds */
#ifndef LIBC_UNISTD_H
#define LIBC_UNISTD_H
#include_next <unistd.h>
/* not POSIX (BSD and Linux have them): all three ids, the saved one included */
int getresuid(uid_t *ruid, uid_t *euid, uid_t *suid);
int getresgid(gid_t *rgid, gid_t *egid, gid_t *sgid);
#endif
