/*
 * echo [-n] [word...]: the words separated by spaces, then a newline
 * (none with -n).  No backslash escapes.
 */
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	int i = 1, newline = 1;

	while (i < argc && strcmp(argv[i], "-n") == 0) {
		newline = 0;
		i++;
	}
	for (int first = i; i < argc; i++) {
		if (i > first)
			putchar(' ');
		fputs(argv[i], stdout);
	}
	if (newline)
		putchar('\n');
	if (fflush(stdout) != 0 || ferror(stdout)) {
		perror("echo");
		return 1;
	}
	return 0;
}
