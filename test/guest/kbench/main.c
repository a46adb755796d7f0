#include "sys.h"
int umain(void *arg) { (void)arg; return 0; }
