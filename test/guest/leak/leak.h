/* The leak checks (tests.c): how many of each, from the command line (main.c). */
#ifndef LEAK_H
#define LEAK_H
#include "suite.h"

struct leak_counts {
	int forks;          /* fork + _exit + waitpid */
	int failed_forks;   /* forks refused by task.max-processes */
	int pipes;          /* pipe, write, read, close */
	int failed_execs;   /* execs of what is not there or not a program */
	int fuzz_calls;     /* a fuzz pass (/test/fuzz) of this many calls */
};
extern struct leak_counts leak_n;
#endif
