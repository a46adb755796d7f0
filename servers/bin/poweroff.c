/*
 * poweroff: turn the machine off (uid 0 only).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "proc.h"

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fflush(stdout);
	proc_poweroff();
	fprintf(stderr, "poweroff: %s\n", strerror(errno));
	return 1;
}
