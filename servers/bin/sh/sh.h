/*
 * The shell's state and the interfaces between its parts:
 * main.c (options, reading lines), exec.c (running a parsed line, builtins),
 * jobs.c (the job table, waiting, job control builtins), parse.c (pure parser).
 */
#ifndef SH_SH_H
#define SH_SH_H
#include <sys/types.h>
#include "parse.h"

struct shell {
	int interactive;      /* commands come from a person: prompt, job reports */
	int jobctl;           /* job control: each job its own group, the terminal handed over */
	int tty;              /* the terminal's descriptor when jobctl */
	pid_t pgid;           /* the shell's own process group */
	pid_t pid;            /* $$: the shell's pid (a subshell keeps its parent's) */
	int status;           /* $?: the last command's status */
	pid_t last_bg;        /* $!: the last background job's last process, 0 if none */
	int argc;             /* $0, $1...: the positional parameters */
	char **argv;
};
extern struct shell sh;

/* exec.c */
int run_line(const char *line, size_t len);      /* parse and run; returns the status */
const char *sh_lookup(void *ctx, const char *name);
void sh_exit(int status) __attribute__((noreturn));

/* jobs.c */
struct job;
struct job *job_new(const char *text, size_t len, int fg);
void job_add_proc(struct job *j, pid_t pid, pid_t pgid);
int job_nprocs(const struct job *j);
void job_free(struct job *j);
int job_wait_fg(struct job *j);          /* wait for a foreground job; its status */
void job_background(struct job *j);      /* a job started with '&': announce it */
void jobs_poll(void);                    /* reap what has ended or stopped, without blocking */
void jobs_notify(void);                  /* report ended and stopped background jobs */
void jobs_clear(void);                   /* forget every job (in a subshell) */
void jobs_hangup(void);                  /* the shell leaves: SIGHUP and SIGCONT to stopped jobs */
int bi_jobs(int argc, char **argv);
int bi_fg(int argc, char **argv);
int bi_bg(int argc, char **argv);
int bi_wait(int argc, char **argv);

/* a wait status as a shell status: the exit code, or 128 + the signal */
int status_of(int wstatus);
#endif
