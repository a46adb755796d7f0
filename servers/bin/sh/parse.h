/*
 * The shell's parser: one line of text in, a program out.  Pure: no I/O, no
 * globals; everything it builds lives in the struct sh_prog the caller passes,
 * so a host test can drive it (test/host/test_sh_parse.c).
 *
 * Grammar (POSIX sh, the subset this shell runs):
 *
 *   line     := [ andor ( sep andor )* [ sep ] ]        sep := ';' | '&' | newline
 *   andor    := pipeline ( ( '&&' | '||' ) pipeline )*
 *   pipeline := command ( '|' command )*
 *   command  := assignment* ( word | redir )*           at least one of the three
 *   redir    := [digit] ( '<' | '>' | '>>' | '>|' ) word
 *             | [digit] ( '<&' | '>&' ) ( digit+ | '-' )
 *
 * A '#' at the start of a word begins a comment.  Words are kept raw (quotes
 * and '$' still in them): sh_expand() turns one into its value when the
 * command runs, so "a=1; echo $a" sees the new a.  No field splitting, no
 * globbing, no command substitution.
 */
#ifndef SH_PARSE_H
#define SH_PARSE_H
#include <stddef.h>

#define SH_LINE_MAX  1024   /* longest line, without its newline */
#define SH_MAX_PIPE  32     /* commands in one pipeline */
#define SH_ERR_MAX   96

/* redirection operators */
enum { SH_R_IN, SH_R_OUT, SH_R_APPEND, SH_R_DUP, SH_R_CLOSE };

struct sh_redir {
	int fd;               /* the descriptor it changes */
	int op;               /* SH_R_* */
	const char *word;     /* SH_R_IN, _OUT, _APPEND: the raw file word */
	int dupfd;            /* SH_R_DUP: the descriptor copied to fd */
};

/* a simple command: words[word0 ..] are nassign assignments, then argc arguments */
struct sh_cmd {
	int word0, nassign, argc;
	int redir0, nredir;
};

/* how a pipeline follows the previous one in its and-or list */
enum { SH_SEQ, SH_AND, SH_OR };

struct sh_pipeline {
	int cmd0, ncmds;
	int op;               /* SH_SEQ for the first of a list, else SH_AND or SH_OR */
	int start, end;       /* its text: line[start .. end) */
};

struct sh_andor {
	int pipe0, npipes;
	int bg;               /* ended by '&' */
	int start, end;       /* its text, without the '&' */
};

/* capacities: a token takes at least one byte of the line, so these are never reached
 * by a line of SH_LINE_MAX bytes; they are checked all the same */
#define SH_MAX_TOKENS (SH_LINE_MAX / 2 + 2)

struct sh_prog {
	int nlists, npipes, ncmds, nwords, nredirs;
	struct sh_andor lists[SH_MAX_TOKENS];
	struct sh_pipeline pipes[SH_MAX_TOKENS];
	struct sh_cmd cmds[SH_MAX_TOKENS];
	struct sh_redir redirs[SH_MAX_TOKENS];
	const char *words[SH_MAX_TOKENS];
	char text[2 * SH_LINE_MAX + 2];   /* the words' raw text, each NUL-terminated */
	int ntext;
	char err[SH_ERR_MAX];             /* why sh_parse failed, e.g. "syntax error near '|'" */
};

/*
 * sh_parse: parse line[0 .. len) into *p (overwritten).  Returns 0, or -1
 * with p->err set.  Newlines in the line separate commands like ';'.  An empty
 * line or a comment gives a program with no lists.
 */
int sh_parse(const char *line, size_t len, struct sh_prog *p);

/*
 * A variable's value for sh_expand: name is "?", "$", "!", "#", "@", "*", a
 * digit, or an identifier.  Returns NULL if unset.
 */
typedef const char *sh_lookup_t(void *ctx, const char *name);

/*
 * sh_expand: the value of raw word w: quotes removed, backslash escapes
 * applied, $NAME, ${NAME}, $?, $$, $!, $#, $@, $*, $0..$9 replaced through look, and a
 * leading ~ (alone or before '/') replaced by $HOME.  Writes at most cap bytes
 * with the NUL to out.  Returns the value's length, or -1 if it does not fit.
 * *quoted (if not NULL) tells whether the word had any quoting, so that the
 * caller can drop an unquoted word that expands to nothing.
 */
int sh_expand(const char *w, sh_lookup_t *look, void *ctx, char *out, size_t cap, int *quoted);

/* sh_is_assignment: whether raw word w is NAME=value (NAME unquoted);
 * returns the length of NAME, or 0 */
size_t sh_is_assignment(const char *w);

#endif
