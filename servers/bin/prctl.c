/*
 * prctl: resource controls, as illumos's prctl shows and sets them.
 *
 *   prctl [-i process|task|project|zone] ID
 *        every rctl of that entity and of the ones it belongs to
 *   prctl -n NAME [-i process|task|project|zone] ID
 *        one rctl: the entity's own, or that of the task, project or zone
 *        the given process (task, project) belongs to
 *   prctl -n NAME -v VALUE -r [-i process|task|project|zone] ID
 *        replace its value (a number, or "max" for unlimited); raising a
 *        value needs uid 0
 *
 * Each rctl has one value here, shown as illumos shows a privileged one:
 *
 *   NAME    PRIVILEGE       VALUE    FLAG   ACTION                       RECIPIENT
 *   task.max-processes
 *           privileged        max       -   deny                                 -
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "proc.h"

#define MAXPROC 256

/* entity levels, smallest first: an entity belongs to one of each level above it */
enum { E_PROCESS, E_TASK, E_PROJECT, E_ZONE, E_N };
static const char *const level_names[E_N] = { "process", "task", "project", "zone" };

static const struct rctl_desc {
	const char *name;
	int rctl;        /* RCTL_* */
	int level;       /* E_*: the entity it is kept in */
} rctls[] = {
	{ "process.max-file-descriptor", RCTL_PROCESS_MAX_FD,     E_PROCESS },
	{ "process.max-stack-size",      RCTL_PROCESS_MAX_STACK,  E_PROCESS },
	{ "process.max-address-space",   RCTL_PROCESS_MAX_AS,     E_PROCESS },
	{ "process.max-kernel-objects",  RCTL_PROCESS_MAX_KOBJ,   E_PROCESS },
	{ "task.max-processes",          RCTL_TASK_MAX_PROCS,     E_TASK },
	{ "task.max-lwps",               RCTL_TASK_MAX_LWPS,      E_TASK },
	{ "task.max-address-space",      RCTL_TASK_MAX_AS,        E_TASK },
	{ "project.max-processes",       RCTL_PROJECT_MAX_PROCS,  E_PROJECT },
	{ "project.max-lwps",            RCTL_PROJECT_MAX_LWPS,   E_PROJECT },
	{ "project.max-tasks",           RCTL_PROJECT_MAX_TASKS,  E_PROJECT },
	{ "zone.max-processes",          RCTL_ZONE_MAX_PROCS,     E_ZONE },
	{ "zone.max-lwps",               RCTL_ZONE_MAX_LWPS,      E_ZONE },
	{ "zone.max-swap",               RCTL_ZONE_MAX_SWAP,      E_ZONE },
};
#define NRCTLS (sizeof(rctls) / sizeof(rctls[0]))

static struct proc_info procs[MAXPROC];

static void usage(void)
{
	fprintf(stderr, "usage: prctl [-n name [-v value -r]] [-i process|task|project|zone] id\n");
	exit(2);
}

/* "prctl: <message>" and exit 1 */
static void die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
static void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "prctl: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

/* an id of each level for the entity (level, id), from the process table */
struct ids {
	int64_t id[E_N];
	const char *name;          /* the process's name, when level is E_PROCESS */
};

static void resolve(int level, int64_t id, struct ids *out)
{
	int n = proc_list(procs, MAXPROC);

	if (n < 0)
		die("cannot list processes: %s", strerror(errno));
	for (int i = 0; i < E_N; i++)
		out->id[i] = -1;
	out->id[level] = id;
	out->name = NULL;
	for (int i = 0; i < n; i++) {
		const struct proc_info *p = &procs[i];
		int64_t mine[E_N] = { p->pid, p->task, p->project, p->zone };
		if (mine[level] != id || (level == E_PROCESS && p->state == PS_ZOMB))
			continue;
		for (int l = level + 1; l < E_N; l++)
			out->id[l] = mine[l];
		if (level == E_PROCESS)
			out->name = p->name;
		return;
	}
	/* a zone or project with no process still has its rctls; a process must exist */
	if (level == E_PROCESS)
		die("no such process: %lld", (long long)id);
	/* no process in it: ask for one of its rctls to know whether it exists */
	for (size_t k = 0; k < NRCTLS; k++) {
		uint64_t v;
		if (rctls[k].level != level)
			continue;
		if (proc_getrctl(rctls[k].rctl, id, &v) < 0 && errno == ESRCH)
			die("no such %s: %lld", level_names[level], (long long)id);
		break;
	}
}

static void header(void)
{
	printf("NAME    PRIVILEGE       VALUE    FLAG   ACTION                       RECIPIENT\n");
}

/* one rctl of entity eid: its name line, what is used now (if the proc server keeps it), its value line */
static int show(const struct rctl_desc *d, int64_t eid)
{
	uint64_t v, use;
	char num[24];

	if (proc_getrctl(d->rctl, eid, &v) < 0) {
		fprintf(stderr, "prctl: %s of %s %lld: %s\n", d->name, level_names[d->level],
			(long long)eid, strerror(errno));
		return -1;
	}
	if (v == RCTL_UNLIMITED)
		snprintf(num, sizeof(num), "max");
	else
		snprintf(num, sizeof(num), "%llu", (unsigned long long)v);
	printf("%s\n", d->name);
	if (proc_rctl_usage(d->rctl, eid, &use) == 0 && use != UINT64_MAX)
		printf("        %-10s%11llu\n", "usage", (unsigned long long)use);
	printf("        %-10s%11s%8s   %-4s%34s\n", "privileged", num, "-", "deny", "-");
	return 0;
}

static void title(int level, const struct ids *ids)
{
	if (level == E_PROCESS && ids->name)
		printf("process: %lld: %.16s\n", (long long)ids->id[E_PROCESS], ids->name);
	else
		printf("%s: %lld\n", level_names[level], (long long)ids->id[level]);
}

static uint64_t parse_value(const char *s)
{
	char *end;
	unsigned long long v;

	if (strcmp(s, "max") == 0 || strcmp(s, "unlimited") == 0)
		return RCTL_UNLIMITED;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (s[0] < '0' || s[0] > '9' || *end || errno)
		die("%s: not a value (a number or \"max\")", s);
	return v;
}

int main(int argc, char **argv)
{
	const char *name = NULL, *value = NULL;
	const struct rctl_desc *d = NULL;
	int level = E_PROCESS, replace = 0, status = 0, i;
	int64_t id;
	struct ids ids;
	char *end;

	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		const char *o = argv[i];
		if (strcmp(o, "--") == 0) {
			i++;
			break;
		} else if (strcmp(o, "-r") == 0 || strcmp(o, "-s") == 0) {
			replace = 1;
		} else if (strcmp(o, "-n") == 0 || strcmp(o, "-v") == 0 || strcmp(o, "-i") == 0) {
			if (i + 1 >= argc)
				usage();
			const char *arg = argv[++i];
			if (o[1] == 'n') {
				name = arg;
			} else if (o[1] == 'v') {
				value = arg;
			} else {
				for (level = 0; level < E_N && strcmp(arg, level_names[level]) != 0; level++)
					;
				if (level == E_N)
					die("%s: not process, task, project or zone", arg);
			}
		} else {
			usage();
		}
	}
	if (i + 1 != argc || (value && !replace) || (replace && (!value || !name)))
		usage();
	id = strtoll(argv[i], &end, 10);
	if (!argv[i][0] || *end || id < 0)
		die("%s: not an id", argv[i]);
	if (name) {
		for (size_t k = 0; k < NRCTLS && !d; k++)
			if (strcmp(rctls[k].name, name) == 0)
				d = &rctls[k];
		if (!d)
			die("%s: no such resource control", name);
		if (d->level < level)
			die("%s is kept per %s, not per %s", name, level_names[d->level],
			    level_names[level]);
	}
	resolve(level, id, &ids);

	if (replace) {
		uint64_t v = parse_value(value);
		int64_t eid = ids.id[d->level];
		if (eid < 0)
			die("no process in %s %lld", level_names[level], (long long)id);
		if (proc_setrctl(d->rctl, eid, v) < 0)
			die("cannot set %s of %s %lld: %s", name, level_names[d->level],
			    (long long)eid, strerror(errno));
		return 0;
	}
	title(level, &ids);
	header();
	for (size_t k = 0; k < NRCTLS; k++) {
		const struct rctl_desc *r = &rctls[k];
		if ((d && r != d) || r->level < level)
			continue;
		if (ids.id[r->level] < 0) {
			fprintf(stderr, "prctl: %s: no process in %s %lld to find its %s\n", r->name,
				level_names[level], (long long)id, level_names[r->level]);
			status = 1;
			continue;
		}
		if (show(r, ids.id[r->level]) < 0)
			status = 1;
	}
	return status;
}
