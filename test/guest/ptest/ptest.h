/* The in-guest process test suite (tests.c, signals.c, creds.c, sched.c), run by init as an ordinary process. */
#ifndef PTEST_H
#define PTEST_H
#include "suite.h"
/* signals.c */
void test_sig_blocked_default_waits(void);
void test_sig_thread_mask(void);
void test_sig_unblock_runs_handler(void);
void test_sig_goes_to_unblocked_thread(void);
void test_sig_sigwait(void);
void test_sig_sigsuspend(void);
void test_sig_fork_exec(void);
void test_sig_sigchld_flags(void);
void test_sig_restart(void);
int sigcheck_main(void);                 /* "ptest sigcheck": test_sig_fork_exec's exec target */
/* siginfo.c */
void test_siginfo_numbers(void);
void test_siginfo_kill_raise(void);
void test_siginfo_sigqueue_order(void);
void test_siginfo_queue_limit(void);
void test_siginfo_wait_other(void);
void test_siginfo_sigchld(void);
void test_siginfo_fault_skip(void);
void test_siginfo_fault_longjmp(void);
void test_siginfo_altstack(void);
void test_siginfo_altstack_overflow(void);
/* timers.c */
void test_timer_alarm(void);
void test_timer_setitimer(void);
void test_timer_fork_exec(void);
void test_sysconf(void);
int alarmcheck_main(void);               /* "ptest alarmcheck": test_timer_fork_exec's exec target */
/* cputime.c */
void test_cputime_clocks(void);
void test_cputime_threads(void);
void test_cputime_children(void);
void test_cputime_exec(void);
int cpucheck_main(void);                 /* "ptest cpucheck": test_cputime_exec's exec target */
/* files.c */
void test_files_umask(void);
void test_files_termios(void);
int umaskcheck_main(void);               /* "ptest umaskcheck": test_files_umask's exec target */
/* creds.c */
void test_creds_uid_rules(void);
void test_creds_gid_rules(void);
void test_creds_fork_exec(void);
void test_creds_kill_rules(void);
int credcheck_main(void);                /* "ptest credcheck": test_creds_fork_exec's exec target */
/* sched.c */
void test_sched_rules(void);
int schedcheck_main(void);               /* "ptest schedcheck": test_sched_rules' exec target */
#endif
