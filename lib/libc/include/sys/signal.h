/* <sys/signal.h> is <signal.h> (ours: picolibc's would define it all again) */
#include <signal.h>
