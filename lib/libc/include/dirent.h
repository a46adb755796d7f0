/* <dirent.h>: directories of the file server (FS_GETDENTS records) */
#ifndef _DIRENT_H
#define _DIRENT_H
#include <sys/types.h>

#define NAME_MAX_DIRENT 57
struct dirent {
	ino_t d_ino;
	unsigned char d_type;                 /* DT_REG, DT_DIR, DT_FIFO, DT_CHR */
	char d_name[NAME_MAX_DIRENT + 1];
};
#define DT_UNKNOWN 0
#define DT_FIFO    1
#define DT_CHR     2
#define DT_DIR     4
#define DT_REG     8

typedef struct _dir DIR;
DIR *opendir(const char *path);
struct dirent *readdir(DIR *d);
int closedir(DIR *d);
void rewinddir(DIR *d);
int dirfd(DIR *d);
#endif
