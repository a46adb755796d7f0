/* picolibc's <sys/stat.h>, and what it declares only for other systems */
#ifndef LIBC_SYS_STAT_H
#define LIBC_SYS_STAT_H
#include_next <sys/stat.h>
int lstat(const char *__restrict path, struct stat *__restrict st);
#endif
