/*
 * test_sh_parse.c - host tests of the shell's parser and word expansion
 * (servers/bin/sh/parse.c): good lines rendered back in a canonical form,
 * every syntax error and its message, the limits (long lines, long
 * pipelines, many words), expansion against a fake variable table, and
 * random lines that must give either a program or an error, never a bad
 * access (run under -fsanitize=address,undefined).
 *
 *   gcc -std=gnu11 test/host/test_sh_parse.c servers/bin/sh/parse.c -lcmocka -o /tmp/t && /tmp/t
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../servers/bin/sh/parse.h"

static struct sh_prog prog;

/* ---- helpers ---- */

static int parse(const char *line)
{
	return sh_parse(line, strlen(line), &prog);
}

/* the fake variables: ? 3, $ 42, ! 77, # 2, 0 sh, 1 one, HOME /home/u, E (empty), SP "a b" */
static const char *lookup(void *ctx, const char *name)
{
	static const char *const vars[][2] = {
		{ "?", "3" }, { "$", "42" }, { "!", "77" }, { "#", "2" }, { "0", "sh" }, { "1", "one" },
		{ "HOME", "/home/u" }, { "E", "" }, { "SP", "a b" }, { "X", "x" }, { "@", "one two" },
	};
	int *calls = ctx;

	if (calls)
		(*calls)++;
	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
		if (strcmp(vars[i][0], name) == 0)
			return vars[i][1];
	return NULL;
}

static char expanded[256];

static const char *expand(const char *w)
{
	int n = sh_expand(w, lookup, NULL, expanded, sizeof(expanded), NULL);
	assert_true(n >= 0);
	assert_int_equal((size_t)n, strlen(expanded));
	return expanded;
}

/*
 * The program in a canonical form: lists joined by " ; ", a background one
 * ending " &"; pipelines joined by " && " / " || "; commands by " | "; each
 * command its words, with assignments marked "=:" and redirections "fd<w",
 * "fd>w", "fd>>w", "fd>&n", "fd>&-".
 */
static char dumped[8192];

static const char *dump(void)
{
	size_t n = 0;
#define OUT(...) (n += (size_t)snprintf(dumped + n, sizeof(dumped) - n, __VA_ARGS__))
	dumped[0] = '\0';
	for (int l = 0; l < prog.nlists; l++) {
		const struct sh_andor *a = &prog.lists[l];
		if (l)
			OUT(" ; ");
		for (int pi = 0; pi < a->npipes; pi++) {
			const struct sh_pipeline *pl = &prog.pipes[a->pipe0 + pi];
			if (pi)
				OUT(pl->op == SH_AND ? " && " : " || ");
			else
				assert_int_equal(pl->op, SH_SEQ);
			for (int ci = 0; ci < pl->ncmds; ci++) {
				const struct sh_cmd *c = &prog.cmds[pl->cmd0 + ci];
				const char *sep = "";
				if (ci)
					OUT(" | ");
				for (int w = 0; w < c->nassign + c->argc; w++) {
					OUT("%s%s%s", sep, w < c->nassign ? "=:" : "", prog.words[c->word0 + w]);
					sep = " ";
				}
				for (int r = 0; r < c->nredir; r++) {
					const struct sh_redir *rd = &prog.redirs[c->redir0 + r];
					switch (rd->op) {
					case SH_R_IN:     OUT("%s%d<%s", sep, rd->fd, rd->word); break;
					case SH_R_OUT:    OUT("%s%d>%s", sep, rd->fd, rd->word); break;
					case SH_R_APPEND: OUT("%s%d>>%s", sep, rd->fd, rd->word); break;
					case SH_R_DUP:    OUT("%s%d>&%d", sep, rd->fd, rd->dupfd); break;
					case SH_R_CLOSE:  OUT("%s%d>&-", sep, rd->fd); break;
					default:          fail_msg("bad redirection op %d", rd->op);
					}
					sep = " ";
				}
			}
		}
		if (a->bg)
			OUT(" &");
	}
	return dumped;
#undef OUT
}

static void ok(const char *line, const char *want)
{
	int r = parse(line);
	if (r != 0)
		fail_msg("'%s' failed: %s", line, prog.err);
	assert_string_equal(dump(), want);
}

static void bad(const char *line, const char *err)
{
	int r = parse(line);
	if (r == 0)
		fail_msg("'%s' parsed as '%s'", line, dump());
	assert_string_equal(prog.err, err);
}

static char *repeat(const char *unit, int times, const char *tail)
{
	size_t u = strlen(unit), t = strlen(tail);
	char *s = malloc(u * (size_t)times + t + 1);
	assert_non_null(s);
	for (int i = 0; i < times; i++)
		memcpy(s + u * (size_t)i, unit, u);
	memcpy(s + u * (size_t)times, tail, t + 1);
	return s;
}

/* ---- good lines ---- */

static void test_simple(void **state)
{
	ok("echo hello world", "echo hello world");
	ok("  \techo   a\t b  ", "echo a b");
	ok("x", "x");
	assert_int_equal(prog.nlists, 1);
	assert_int_equal(prog.cmds[0].argc, 1);
	assert_int_equal(prog.cmds[0].nassign, 0);
	assert_int_equal(prog.cmds[0].nredir, 0);
}

static void test_empty_and_comments(void **state)
{
	ok("", "");
	assert_int_equal(prog.nlists, 0);
	ok("   \t ", "");
	ok("# a comment | with ; operators", "");
	assert_int_equal(prog.nlists, 0);
	ok("   # indented comment", "");
	ok("echo a # b | c", "echo a");
	ok("echo a#b", "echo a#b");            /* '#' inside a word is not a comment */
	ok("echo '#x' \"#y\" \\#z", "echo '#x' \"#y\" \\#z");
	ok("echo a;# c", "echo a");
	ok("\n\n", "");
}

static void test_quoting_raw(void **state)
{
	/* words keep their quotes until they are expanded */
	ok("echo 'a b' \"c d\" e\\ f", "echo 'a b' \"c d\" e\\ f");
	assert_int_equal(prog.cmds[0].argc, 4);
	ok("a'b'\"c\"d", "a'b'\"c\"d");
	assert_int_equal(prog.cmds[0].argc, 1);
	/* operators inside quotes are not operators */
	ok("echo '|;&<>()' \"a | b\" \\|", "echo '|;&<>()' \"a | b\" \\|");
	assert_int_equal(prog.npipes, 1);
	assert_int_equal(prog.cmds[0].argc, 4);
	/* a newline inside quotes is part of the word */
	ok("echo 'a\nb'", "echo 'a\nb'");
	assert_int_equal(prog.nlists, 1);
	/* a lone trailing backslash stays literal */
	ok("echo a\\", "echo a\\");
}

static void test_expand_quotes(void **state)
{
	assert_string_equal(expand("'a b'"), "a b");
	assert_string_equal(expand("\"c d\""), "c d");
	assert_string_equal(expand("e\\ f"), "e f");
	assert_string_equal(expand("a'b'\"c\"d"), "abcd");
	assert_string_equal(expand("'a\\b$HOME\"'"), "a\\b$HOME\"");
	/* inside "...": \" \\ \$ \` are escapes, any other backslash stays */
	assert_string_equal(expand("\"\\\"\\\\\\$X\\a\\n\""), "\"\\$X\\a\\n");
	assert_string_equal(expand("\"'$X'\""), "'x'");
	assert_string_equal(expand("\\$X\\\\\\'"), "$X\\'");
	assert_string_equal(expand("''"), "");
	assert_string_equal(expand("a\\"), "a\\");
}

static void test_expand_variables(void **state)
{
	int quoted = -1, calls = 0;
	char out[64];

	assert_string_equal(expand("$HOME"), "/home/u");
	assert_string_equal(expand("${HOME}x"), "/home/ux");
	assert_string_equal(expand("$HOMEx"), "");             /* the name is HOMEx */
	assert_string_equal(expand("$?:$$:$!:$#:$0:$1:$2"), "3:42:77:2:sh:one:");
	assert_string_equal(expand("$10"), "one0");            /* one digit only */
	assert_string_equal(expand("${?}${#}"), "32");
	assert_string_equal(expand("\"$@\"${@}$*"), "one twoone two");    /* $* unset here */
	assert_string_equal(expand("\"$HOME/$X\""), "/home/u/x");
	assert_string_equal(expand("\"${X}y\""), "xy");
	assert_string_equal(expand("'$HOME'"), "$HOME");
	assert_string_equal(expand("$"), "$");
	assert_string_equal(expand("a$"), "a$");
	assert_string_equal(expand("$-x"), "$-x");
	assert_string_equal(expand("\"$\""), "$");
	assert_string_equal(expand("$UNSET"), "");
	assert_string_equal(expand("$SP"), "a b");             /* no field splitting */
	assert_string_equal(expand("a$X.b"), "ax.b");
	assert_string_equal(expand("$X_1"), "");               /* X_1 is one name */

	/* the quoted flag: an unquoted word that expands to nothing is dropped by the shell */
	assert_int_equal(sh_expand("$E", lookup, NULL, out, sizeof(out), &quoted), 0);
	assert_int_equal(quoted, 0);
	assert_int_equal(sh_expand("\"$E\"", lookup, NULL, out, sizeof(out), &quoted), 0);
	assert_int_equal(quoted, 1);
	assert_int_equal(sh_expand("''", lookup, NULL, out, sizeof(out), &quoted), 0);
	assert_int_equal(quoted, 1);
	assert_int_equal(sh_expand("a\\b", lookup, NULL, out, sizeof(out), &quoted), 2);
	assert_int_equal(quoted, 1);
	assert_int_equal(sh_expand("ab", lookup, NULL, out, sizeof(out), &quoted), 2);
	assert_int_equal(quoted, 0);

	/* lookups go through the callback with its context */
	sh_expand("$X$HOME'$NO'", lookup, &calls, out, sizeof(out), NULL);
	assert_int_equal(calls, 2);
	/* a name too long to be set expands to nothing, without a lookup */
	char *longname = repeat("N", 200, "");
	char *w = malloc(strlen(longname) + 2);
	sprintf(w, "$%s", longname);
	calls = 0;
	assert_int_equal(sh_expand(w, lookup, &calls, out, sizeof(out), NULL), 0);
	assert_int_equal(calls, 0);
	free(w);
	free(longname);
}

static void test_expand_tilde(void **state)
{
	assert_string_equal(expand("~"), "/home/u");
	assert_string_equal(expand("~/x"), "/home/u/x");
	assert_string_equal(expand("~x"), "~x");
	assert_string_equal(expand("a~"), "a~");
	assert_string_equal(expand("\"~\""), "~");
	assert_string_equal(expand("'~'/x"), "~/x");
}

static void test_expand_overflow(void **state)
{
	char out[8];

	memset(out, 'Z', sizeof(out));
	assert_int_equal(sh_expand("abcdefg", lookup, NULL, out, 8, NULL), 7);
	assert_string_equal(out, "abcdefg");
	assert_int_equal(sh_expand("abcdefgh", lookup, NULL, out, 8, NULL), -1);
	assert_int_equal(out[7], '\0');
	assert_int_equal(sh_expand("$HOME$HOME", lookup, NULL, out, 8, NULL), -1);
	assert_int_equal(out[7], '\0');
	assert_int_equal(sh_expand("$E", lookup, NULL, out, 1, NULL), 0);
	assert_int_equal(sh_expand("x", lookup, NULL, out, 1, NULL), -1);
	assert_int_equal(sh_expand("x", lookup, NULL, out, 0, NULL), -1);
}

static void test_assignments(void **state)
{
	ok("A=1", "=:A=1");
	assert_int_equal(prog.cmds[0].nassign, 1);
	assert_int_equal(prog.cmds[0].argc, 0);
	ok("A=1 B='x y' cmd C=3", "=:A=1 =:B='x y' cmd C=3");
	assert_int_equal(prog.cmds[0].nassign, 2);
	assert_int_equal(prog.cmds[0].argc, 2);
	ok("_a9=", "=:_a9=");
	ok("'A'=1", "'A'=1");               /* a quoted name is a word */
	ok("1A=2", "1A=2");
	ok("A+=1", "A+=1");
	ok("=x", "=x");
	ok("A=1 > f B=2", "=:A=1 =:B=2 1>f");   /* redirections do not end assignments */
	assert_int_equal(sh_is_assignment("NAME=v=w"), 4);
	assert_int_equal(sh_is_assignment("NAME"), 0);
	assert_int_equal(sh_is_assignment("N\"A\"=1"), 0);
	assert_int_equal(sh_is_assignment(""), 0);
}

static void test_pipelines(void **state)
{
	ok("a | b | c", "a | b | c");
	assert_int_equal(prog.npipes, 1);
	assert_int_equal(prog.pipes[0].ncmds, 3);
	ok("a|b", "a | b");
	ok("ls -l | grep x > out | wc", "ls -l | grep x 1>out | wc");
	/* the longest pipeline the parser takes */
	char *line = repeat("a | ", SH_MAX_PIPE - 1, "a");
	ok(line, line);
	assert_int_equal(prog.pipes[0].ncmds, SH_MAX_PIPE);
	free(line);
}

static void test_redirections(void **state)
{
	ok("cat < in > out", "cat 0<in 1>out");
	ok("cat <in >>app 2>err", "cat 0<in 1>>app 2>err");
	ok("cmd 2>&1", "cmd 2>&1");
	ok("cmd 2>& 1", "cmd 2>&1");
	ok("cmd >&2", "cmd 1>&2");
	ok("cmd <&3 3<&-", "cmd 0>&3 3>&-");
	ok("cmd 1>&-", "cmd 1>&-");
	ok("cmd >| f", "cmd 1>f");
	ok("cmd 2>>log", "cmd 2>>log");
	ok("cmd 0<f", "cmd 0<f");
	ok("> f", "1>f");                      /* only a redirection: a valid command */
	ok("<f cat", "cat 0<f");
	ok("echo 12>f", "echo 12 1>f");         /* only a single digit is a descriptor */
	ok("echo a2>f", "echo a2 1>f");
	ok("echo 2 >f", "echo 2 1>f");          /* "2" then a space: a word */
	ok("echo \"2\">f", "echo \"2\" 1>f");
	ok("cat > 'my file' < \"$IN\"", "cat 1>'my file' 0<\"$IN\"");
	ok("cmd 2>&10", "cmd 2>&10");
	assert_int_equal(prog.redirs[0].dupfd, 10);
}

static void test_lists(void **state)
{
	ok("a; b", "a ; b");
	ok("a;b;", "a ; b");
	ok("a && b || c", "a && b || c");
	ok("a&&b||c", "a && b || c");
	ok("a & b &", "a & ; b &");
	ok("a | b && c | d &", "a | b && c | d &");
	ok("a && b; c || d & e", "a && b ; c || d & ; e");
	ok("a\nb\n\nc", "a ; b ; c");
	ok("a &\nb", "a & ; b");
	assert_int_equal(prog.lists[0].bg, 1);
	assert_int_equal(prog.lists[1].bg, 0);
}

static void test_texts(void **state)
{
	const char *line = "  sleep 1 | cat  &&  echo x &  true ; false  ";

	assert_int_equal(parse(line), 0);
	assert_int_equal(prog.nlists, 3);
#define TEXT(o) strndup(line + (o).start, (size_t)((o).end - (o).start))
	char *t;
	assert_string_equal((t = TEXT(prog.lists[0])), "sleep 1 | cat  &&  echo x"); free(t);
	assert_string_equal((t = TEXT(prog.pipes[0])), "sleep 1 | cat"); free(t);
	assert_string_equal((t = TEXT(prog.pipes[1])), "echo x"); free(t);
	assert_string_equal((t = TEXT(prog.lists[1])), "true"); free(t);
	assert_string_equal((t = TEXT(prog.lists[2])), "false"); free(t);

	line = "cat 'a b' > f # comment";
	assert_int_equal(parse(line), 0);
	assert_string_equal((t = TEXT(prog.lists[0])), "cat 'a b' > f"); free(t);
#undef TEXT
}

/* ---- syntax errors ---- */

static void test_errors_operators(void **state)
{
	bad("| a", "syntax error near '|'");
	bad("a |", "syntax error near 'newline'");
	bad("a | | b", "syntax error near '|'");
	bad("a &&", "syntax error near 'newline'");
	bad("a ||", "syntax error near 'newline'");
	bad("&& a", "syntax error near '&&'");
	bad("|| a", "syntax error near '||'");
	bad("& a", "syntax error near '&'");
	bad("a && ; b", "syntax error near ';'");
	bad("a && && b", "syntax error near '&&'");
	bad("a ;;", "syntax error near ';'");
	bad("; a", "syntax error near ';'");
	bad(";", "syntax error near ';'");
	bad("a & ;", "syntax error near ';'");
	bad("a & &", "syntax error near '&'");
	bad("a |\nb", "syntax error near 'newline'");
	bad("a && # comment", "syntax error near 'newline'");
	bad("echo (x)", "syntax error near '('");
	bad("a )", "syntax error near ')'");
	bad("(a)", "syntax error near '('");
}

static void test_errors_redirections(void **state)
{
	bad(">", "syntax error near 'newline'");
	bad("> ", "syntax error near 'newline'");
	bad("a >", "syntax error near 'newline'");
	bad("a <", "syntax error near 'newline'");
	bad("a >>", "syntax error near 'newline'");
	bad("a 2>", "syntax error near 'newline'");
	bad("a > | b", "syntax error near '|'");
	bad("a > ; b", "syntax error near ';'");
	bad("a > > f", "syntax error near '>'");
	bad("a < && b", "syntax error near '&&'");
	bad("a 2>&x", "syntax error near 'x'");
	bad("a >&", "syntax error near 'newline'");
	bad("a >&1x", "syntax error near '1x'");
	bad("a >&1234", "syntax error near '1234'");
	/* a long bad token is cut short in the message */
	char *line = repeat("x", 100, "");
	char *l2 = malloc(200);
	snprintf(l2, 200, "a >&%s", line);
	bad(l2, "syntax error near 'xxxxxxxxxxxxxxxxxxxx...'");
	free(l2);
	free(line);
}

static void test_errors_quotes(void **state)
{
	bad("echo 'abc", "syntax error: unterminated '");
	bad("echo \"abc", "syntax error: unterminated \"");
	bad("echo \"a\\\"", "syntax error: unterminated \"");   /* echo "a\" */
	bad("echo '", "syntax error: unterminated '");
	bad("a 'b' \"c", "syntax error: unterminated \"");
	bad("a > 'f", "syntax error: unterminated '");
	bad("echo ${", "syntax error: bad substitution");
	bad("echo ${a b}", "syntax error: bad substitution");
	bad("echo ${}", "syntax error: bad substitution");
	bad("echo ${a", "syntax error: bad substitution");
	bad("echo \"${a-b}\"", "syntax error: bad substitution");
	bad("echo ${1a}", "syntax error: bad substitution");
	/* the first error is the one reported */
	bad("| 'a", "syntax error near '|'");
}

static void test_errors_limits(void **state)
{
	char *line;

	/* exactly SH_LINE_MAX bytes is fine, one more is not */
	line = repeat("a", SH_LINE_MAX, "");
	memcpy(line, "echo ", 5);
	assert_int_equal(parse(line), 0);
	assert_int_equal((int)strlen(prog.words[1]), SH_LINE_MAX - 5);
	free(line);
	line = repeat("a", SH_LINE_MAX + 1, "");
	bad(line, "line too long (more than 1024 bytes)");
	free(line);
	line = repeat("a | ", SH_MAX_PIPE, "a");
	bad(line, "pipeline too long");
	free(line);
	/* a NUL inside the line */
	assert_int_equal(sh_parse("echo a\0b", 8, &prog), -1);
	assert_string_equal(prog.err, "syntax error: NUL byte in line");
}

/* the most words, commands, lists and redirections a line of SH_LINE_MAX can hold */
static void test_limits_dense(void **state)
{
	char *line;

	line = repeat("a ", SH_LINE_MAX / 2, "");
	assert_int_equal(parse(line), 0);
	assert_int_equal(prog.cmds[0].argc, SH_LINE_MAX / 2);
	free(line);
	line = repeat("a;", SH_LINE_MAX / 2, "");
	assert_int_equal(parse(line), 0);
	assert_int_equal(prog.nlists, SH_LINE_MAX / 2);
	free(line);
	line = repeat(">a", SH_LINE_MAX / 2, "");
	assert_int_equal(parse(line), 0);
	assert_int_equal(prog.cmds[0].nredir, SH_LINE_MAX / 2);
	free(line);
	line = repeat("a&", SH_LINE_MAX / 2, "");
	assert_int_equal(parse(line), 0);
	assert_int_equal(prog.nlists, SH_LINE_MAX / 2);
	free(line);
	line = repeat("a&&", SH_LINE_MAX / 3, "a");
	assert_int_equal(parse(line), 0);
	assert_int_equal(prog.lists[0].npipes, SH_LINE_MAX / 3 + 1);
	free(line);
	line = repeat("\n", SH_LINE_MAX, "");
	assert_int_equal(parse(line), 0);
	assert_int_equal(prog.nlists, 0);
	free(line);
}

/* an error leaves nothing behind: the next parse starts clean */
static void test_reuse_after_error(void **state)
{
	bad("a | b | ", "syntax error near 'newline'");
	ok("c", "c");
	assert_int_equal(prog.nwords, 1);
	assert_int_equal(prog.ncmds, 1);
	assert_string_equal(prog.err, "");
}

/* random lines over the characters that matter: a program or an error, never a crash */
static void test_random_lines(void **state)
{
	static const char alphabet[] = "ab 1 2|&;<>()'\"\\$#{}~=\n\t-";
	char line[SH_LINE_MAX + 8], out[64];
	unsigned seed = 12345;

	for (int iter = 0; iter < 30000; iter++) {
		size_t len = (size_t)(iter % 97 == 0 ? SH_LINE_MAX + 4 : (seed >> 16) % 40);
		for (size_t i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			line[i] = alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
		}
		line[len] = '\0';
		seed = seed * 1103515245u + 12345u;
		if (sh_parse(line, len, &prog) < 0) {
			assert_true(prog.err[0] != '\0');
			continue;
		}
		/* every index is in range and every word expands (or says it does not fit) */
		for (int l = 0; l < prog.nlists; l++) {
			const struct sh_andor *a = &prog.lists[l];
			assert_true(a->pipe0 + a->npipes <= prog.npipes);
			assert_true(a->start <= a->end && (size_t)a->end <= len);
			for (int p = a->pipe0; p < a->pipe0 + a->npipes; p++) {
				const struct sh_pipeline *pl = &prog.pipes[p];
				assert_true(pl->cmd0 + pl->ncmds <= prog.ncmds);
				assert_true(pl->start <= pl->end && (size_t)pl->end <= len);
				for (int c = pl->cmd0; c < pl->cmd0 + pl->ncmds; c++) {
					const struct sh_cmd *cmd = &prog.cmds[c];
					assert_true(cmd->nassign + cmd->argc + cmd->nredir > 0);
					assert_true(cmd->word0 + cmd->nassign + cmd->argc <= prog.nwords);
					assert_true(cmd->redir0 + cmd->nredir <= prog.nredirs);
				}
			}
		}
		for (int w = 0; w < prog.nwords; w++) {
			int n = sh_expand(prog.words[w], lookup, NULL, out, sizeof(out), NULL);
			assert_true(n >= -1 && n < (int)sizeof(out));
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_simple),
		cmocka_unit_test(test_empty_and_comments),
		cmocka_unit_test(test_quoting_raw),
		cmocka_unit_test(test_expand_quotes),
		cmocka_unit_test(test_expand_variables),
		cmocka_unit_test(test_expand_tilde),
		cmocka_unit_test(test_expand_overflow),
		cmocka_unit_test(test_assignments),
		cmocka_unit_test(test_pipelines),
		cmocka_unit_test(test_redirections),
		cmocka_unit_test(test_lists),
		cmocka_unit_test(test_texts),
		cmocka_unit_test(test_errors_operators),
		cmocka_unit_test(test_errors_redirections),
		cmocka_unit_test(test_errors_quotes),
		cmocka_unit_test(test_errors_limits),
		cmocka_unit_test(test_limits_dense),
		cmocka_unit_test(test_reuse_after_error),
		cmocka_unit_test(test_random_lines),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
