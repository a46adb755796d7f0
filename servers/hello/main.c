/*
 * The demo program `make run` starts: greets through the console server,
 * then echoes what is typed, line by line (the UART interrupt at work).
 */
#include <stdio.h>
#include <string.h>
#include "sys.h"

int umain(void *arg)
{
	struct sysinfo si;
	char line[256];
	(void)arg;

	sys_info(&si);
	printf("hello from user space: %lu harts, %lu of %lu pages free\n",
	       (unsigned long)si.ncpus, (unsigned long)si.free_pages, (unsigned long)si.total_pages);
	for (;;) {
		printf("> ");
		fflush(stdout);
		if (!fgets(line, sizeof(line), stdin))
			break;
		line[strcspn(line, "\n")] = '\0';
		if (line[0])
			printf("you typed: %s\n", line);
	}
	return 0;
}
