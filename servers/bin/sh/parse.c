/*
 * The shell's lexer, parser and word expansion (see parse.h for the grammar).
 * Pure: state lives in struct lexer on the stack and in the caller's sh_prog.
 */
#include <stdio.h>
#include <string.h>
#include "parse.h"

#define SPECIALS "?$!#@*0123456789"      /* one-character parameter names */

enum tok {
	T_WORD, T_IONUM, T_PIPE, T_OR, T_AMP, T_AND, T_SEMI, T_NL, T_EOF,
	T_LESS, T_GREAT, T_DGREAT, T_LESSAND, T_GREATAND, T_BAD,
};

struct lexer {
	const char *s;
	size_t len, pos;
	struct sh_prog *p;
	/* the current token */
	enum tok t;
	size_t start, end;        /* its text */
	size_t prev_end;          /* where the token before it ended */
	const char *word;         /* T_WORD: its raw text, copied into p->text */
	int ionum;                /* T_IONUM: the digit */
	int failed;
};

static int is_name_start(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int is_name_char(int c)
{
	return is_name_start(c) || (c >= '0' && c <= '9');
}

/* characters that end an unquoted word */
static int is_meta(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '|' || c == '&' || c == ';' ||
	       c == '<' || c == '>' || c == '(' || c == ')';
}

/* record the first error only; the parser then unwinds */
static void fail(struct lexer *lx, const char *msg)
{
	if (lx->failed)
		return;
	lx->failed = 1;
	snprintf(lx->p->err, sizeof(lx->p->err), "%s", msg);
}

/* "syntax error near 'tok'", the token as written (cut short if long) */
static void fail_near(struct lexer *lx)
{
	char tok[24];
	size_t n = lx->end - lx->start;

	if (lx->t == T_EOF || lx->t == T_NL) {
		fail(lx, "syntax error near 'newline'");
		return;
	}
	if (n > sizeof(tok) - 4) {
		memcpy(tok, lx->s + lx->start, sizeof(tok) - 4);
		memcpy(tok + sizeof(tok) - 4, "...", 4);
	} else {
		memcpy(tok, lx->s + lx->start, n);
		tok[n] = '\0';
	}
	if (!lx->failed) {
		lx->failed = 1;
		snprintf(lx->p->err, sizeof(lx->p->err), "syntax error near '%s'", tok);
	}
}

/*
 * The end of the ${...} that starts at i (s[i] == '$', s[i+1] == '{'):
 * the index after '}', or 0 if it is not a valid ${NAME} or ${special}.
 */
static size_t brace_end(const char *s, size_t len, size_t i)
{
	size_t j = i + 2;

	if (j < len && is_name_start((unsigned char)s[j])) {
		while (j < len && is_name_char((unsigned char)s[j]))
			j++;
	} else if (j < len && s[j] != '\0' && strchr(SPECIALS, s[j])) {
		j++;
	} else {
		return 0;
	}
	return j < len && s[j] == '}' ? j + 1 : 0;
}

/* scan the word at lx->pos; sets lx->end; reports unterminated quotes */
static void scan_word(struct lexer *lx)
{
	const char *s = lx->s;
	size_t i = lx->pos, len = lx->len;

	while (i < len && !is_meta((unsigned char)s[i])) {
		char c = s[i];
		if (c == '\\') {
			i += i + 1 < len ? 2 : 1;     /* a lone trailing backslash stays literal */
		} else if (c == '\'') {
			const char *q = memchr(s + i + 1, '\'', len - i - 1);
			if (!q) {
				fail(lx, "syntax error: unterminated '");
				return;
			}
			i = (size_t)(q - s) + 1;
		} else if (c == '"') {
			i++;
			while (i < len && s[i] != '"') {
				if (s[i] == '\\' && i + 1 < len)
					i++;
				else if (s[i] == '$' && i + 1 < len && s[i + 1] == '{') {
					size_t e = brace_end(s, len, i);
					if (!e) {
						fail(lx, "syntax error: bad substitution");
						return;
					}
					i = e - 1;
				}
				i++;
			}
			if (i >= len) {
				fail(lx, "syntax error: unterminated \"");
				return;
			}
			i++;
		} else if (c == '$' && i + 1 < len && s[i + 1] == '{') {
			size_t e = brace_end(s, len, i);
			if (!e) {
				fail(lx, "syntax error: bad substitution");
				return;
			}
			i = e;
		} else {
			i++;
		}
	}
	lx->end = i;
}

/* read the next token into lx */
static void next(struct lexer *lx)
{
	const char *s = lx->s;
	size_t len = lx->len;
	struct sh_prog *p = lx->p;

	lx->prev_end = lx->end;
	if (lx->failed) {
		lx->t = T_EOF;
		return;
	}
	while (lx->pos < len && (s[lx->pos] == ' ' || s[lx->pos] == '\t'))
		lx->pos++;
	if (lx->pos < len && s[lx->pos] == '#')
		while (lx->pos < len && s[lx->pos] != '\n')
			lx->pos++;
	lx->start = lx->pos;
	if (lx->pos >= len) {
		lx->t = T_EOF;
		lx->end = lx->pos;
		return;
	}

	char c = s[lx->pos], d = lx->pos + 1 < len ? s[lx->pos + 1] : '\0';
	size_t n = 1;
	switch (c) {
	case '\n': lx->t = T_NL; break;
	case ';':  lx->t = T_SEMI; break;
	case '|':  if (d == '|') { lx->t = T_OR; n = 2; } else lx->t = T_PIPE; break;
	case '&':  if (d == '&') { lx->t = T_AND; n = 2; } else lx->t = T_AMP; break;
	case '<':  if (d == '&') { lx->t = T_LESSAND; n = 2; } else lx->t = T_LESS; break;
	case '>':
		if (d == '>') { lx->t = T_DGREAT; n = 2; }
		else if (d == '&') { lx->t = T_GREATAND; n = 2; }
		else if (d == '|') { lx->t = T_GREAT; n = 2; }
		else lx->t = T_GREAT;
		break;
	case '(': case ')': lx->t = T_BAD; break;
	default:
		scan_word(lx);
		if (lx->failed) {
			lx->t = T_EOF;
			return;
		}
		lx->pos = lx->end;
		if (lx->end - lx->start == 1 && c >= '0' && c <= '9' && lx->end < len &&
		    (s[lx->end] == '<' || s[lx->end] == '>')) {
			lx->t = T_IONUM;
			lx->ionum = c - '0';
			return;
		}
		n = lx->end - lx->start;
		if ((size_t)p->ntext + n + 1 > sizeof(p->text)) {
			fail(lx, "line too complex");
			lx->t = T_EOF;
			return;
		}
		lx->t = T_WORD;
		lx->word = p->text + p->ntext;
		memcpy(p->text + p->ntext, s + lx->start, n);
		p->text[p->ntext + n] = '\0';
		p->ntext += (int)(n + 1);
		return;
	}
	lx->pos += n;
	lx->end = lx->pos;
}

size_t sh_is_assignment(const char *w)
{
	size_t i = 0;

	if (!is_name_start((unsigned char)w[0]))
		return 0;
	while (is_name_char((unsigned char)w[i]))
		i++;
	return w[i] == '=' ? i : 0;
}

static int add_word(struct lexer *lx)
{
	struct sh_prog *p = lx->p;

	if (p->nwords >= (int)(sizeof(p->words) / sizeof(p->words[0]))) {
		fail(lx, "line too complex");
		return -1;
	}
	p->words[p->nwords++] = lx->word;
	return 0;
}

/* a redirection, the current token being T_IONUM or an operator */
static int parse_redir(struct lexer *lx)
{
	struct sh_prog *p = lx->p;
	struct sh_redir r = { .fd = -1, .dupfd = -1 };

	if (lx->t == T_IONUM) {
		r.fd = lx->ionum;
		next(lx);
	}
	switch (lx->t) {
	case T_LESS:     r.op = SH_R_IN; if (r.fd < 0) r.fd = 0; break;
	case T_LESSAND:  r.op = SH_R_DUP; if (r.fd < 0) r.fd = 0; break;
	case T_GREAT:    r.op = SH_R_OUT; if (r.fd < 0) r.fd = 1; break;
	case T_DGREAT:   r.op = SH_R_APPEND; if (r.fd < 0) r.fd = 1; break;
	case T_GREATAND: r.op = SH_R_DUP; if (r.fd < 0) r.fd = 1; break;
	default:
		fail_near(lx);
		return -1;
	}
	next(lx);
	if (lx->t != T_WORD) {
		fail_near(lx);
		return -1;
	}
	if (r.op == SH_R_DUP) {
		const char *w = lx->word;
		if (strcmp(w, "-") == 0) {
			r.op = SH_R_CLOSE;
		} else {
			int v = 0;
			for (size_t i = 0; w[i]; i++) {
				if (w[i] < '0' || w[i] > '9' || i >= 3) {
					fail_near(lx);
					return -1;
				}
				v = v * 10 + (w[i] - '0');
			}
			r.dupfd = v;
		}
	} else {
		r.word = lx->word;
	}
	if (p->nredirs >= (int)(sizeof(p->redirs) / sizeof(p->redirs[0]))) {
		fail(lx, "line too complex");
		return -1;
	}
	p->redirs[p->nredirs++] = r;
	next(lx);
	return 0;
}

static int is_redir_tok(enum tok t)
{
	return t == T_IONUM || t == T_LESS || t == T_GREAT || t == T_DGREAT ||
	       t == T_LESSAND || t == T_GREATAND;
}

static int parse_command(struct lexer *lx)
{
	struct sh_prog *p = lx->p;
	struct sh_cmd *c;
	int assigning = 1;

	if (p->ncmds >= (int)(sizeof(p->cmds) / sizeof(p->cmds[0]))) {
		fail(lx, "line too complex");
		return -1;
	}
	c = &p->cmds[p->ncmds];
	c->word0 = p->nwords;
	c->nassign = c->argc = 0;
	c->redir0 = p->nredirs;
	c->nredir = 0;
	for (;;) {
		if (lx->t == T_WORD) {
			if (assigning && sh_is_assignment(lx->word))
				c->nassign++;
			else {
				assigning = 0;
				c->argc++;
			}
			if (add_word(lx) < 0)
				return -1;
			next(lx);
		} else if (is_redir_tok(lx->t)) {
			if (parse_redir(lx) < 0)
				return -1;
			c->nredir++;
		} else {
			break;
		}
	}
	if (lx->failed)
		return -1;
	if (c->nassign + c->argc + c->nredir == 0) {
		fail_near(lx);
		return -1;
	}
	p->ncmds++;
	return 0;
}

static int parse_pipeline(struct lexer *lx, int op)
{
	struct sh_prog *p = lx->p;
	struct sh_pipeline *pl;

	if (p->npipes >= (int)(sizeof(p->pipes) / sizeof(p->pipes[0]))) {
		fail(lx, "line too complex");
		return -1;
	}
	pl = &p->pipes[p->npipes];
	pl->cmd0 = p->ncmds;
	pl->ncmds = 0;
	pl->op = op;
	pl->start = (int)lx->start;
	for (;;) {
		if (pl->ncmds == SH_MAX_PIPE) {
			fail(lx, "pipeline too long");
			return -1;
		}
		if (parse_command(lx) < 0)
			return -1;
		pl->ncmds++;
		pl->end = (int)lx->prev_end;
		if (lx->t != T_PIPE)
			break;
		next(lx);
	}
	p->npipes++;
	return 0;
}

static int parse_andor(struct lexer *lx)
{
	struct sh_prog *p = lx->p;
	struct sh_andor *a;
	int op = SH_SEQ;

	if (p->nlists >= (int)(sizeof(p->lists) / sizeof(p->lists[0]))) {
		fail(lx, "line too complex");
		return -1;
	}
	a = &p->lists[p->nlists];
	a->pipe0 = p->npipes;
	a->npipes = 0;
	a->bg = 0;
	a->start = (int)lx->start;
	for (;;) {
		if (parse_pipeline(lx, op) < 0)
			return -1;
		a->npipes++;
		a->end = (int)lx->prev_end;
		if (lx->t != T_AND && lx->t != T_OR)
			break;
		op = lx->t == T_AND ? SH_AND : SH_OR;
		next(lx);
	}
	p->nlists++;
	return 0;
}

int sh_parse(const char *line, size_t len, struct sh_prog *p)
{
	struct lexer lx = { .s = line, .len = len, .p = p };

	p->nlists = p->npipes = p->ncmds = p->nwords = p->nredirs = p->ntext = 0;
	p->err[0] = '\0';
	if (len > SH_LINE_MAX) {
		snprintf(p->err, sizeof(p->err), "line too long (more than %d bytes)", SH_LINE_MAX);
		return -1;
	}
	if (memchr(line, '\0', len)) {
		snprintf(p->err, sizeof(p->err), "syntax error: NUL byte in line");
		return -1;
	}
	next(&lx);
	for (;;) {
		while (lx.t == T_NL)
			next(&lx);
		if (lx.t == T_EOF)
			break;
		if (parse_andor(&lx) < 0)
			break;
		if (lx.t == T_AMP)
			p->lists[p->nlists - 1].bg = 1;
		if (lx.t == T_EOF)
			break;
		if (lx.t != T_SEMI && lx.t != T_AMP && lx.t != T_NL) {
			fail_near(&lx);
			break;
		}
		next(&lx);
	}
	return lx.failed ? -1 : 0;
}

/* ---- expansion ---- */

struct out {
	char *buf;
	size_t cap, n;
	int over;
};

static void put(struct out *o, char c)
{
	if (o->n + 1 < o->cap)
		o->buf[o->n++] = c;
	else
		o->over = 1;
}

static void puts_(struct out *o, const char *s)
{
	while (s && *s)
		put(o, *s++);
}

/* expand the $ at w[i]; returns the index after what it consumed */
static size_t dollar(const char *w, size_t i, sh_lookup_t *look, void *ctx, struct out *o)
{
	char name[64];
	size_t j = i + 1, n;
	int braced = 0;

	if (w[j] == '{') {
		braced = 1;
		j++;
	}
	if (w[j] != '\0' && strchr(SPECIALS, w[j])) {
		name[0] = w[j];
		name[1] = '\0';
		j++;
	} else if (is_name_start((unsigned char)w[j])) {
		for (n = 0; is_name_char((unsigned char)w[j]); j++)
			if (n < sizeof(name) - 1)
				name[n++] = w[j];
		name[n] = '\0';
		if (n == sizeof(name) - 1)
			name[0] = '\0';       /* too long to be set: expands to nothing */
	} else {
		put(o, '$');                  /* a lone $ is itself */
		return i + 1;
	}
	if (braced) {
		if (w[j] != '}') {            /* the lexer rejects these; stay literal if not lexed */
			put(o, '$');
			return i + 1;
		}
		j++;
	}
	if (name[0])
		puts_(o, look(ctx, name));
	return j;
}

int sh_expand(const char *w, sh_lookup_t *look, void *ctx, char *out, size_t cap, int *quoted)
{
	struct out o = { out, cap, 0, 0 };
	size_t i = 0;
	int q = 0;

	if (cap == 0)
		return -1;
	if (w[0] == '~' && (w[1] == '\0' || w[1] == '/')) {
		const char *home = look(ctx, "HOME");
		puts_(&o, home ? home : "~");
		i = 1;
	}
	while (w[i]) {
		char c = w[i];
		if (c == '\\') {
			q = 1;
			if (w[i + 1] == '\0') {
				put(&o, '\\');
				i++;
			} else {
				put(&o, w[i + 1]);
				i += 2;
			}
		} else if (c == '\'') {
			q = 1;
			for (i++; w[i] && w[i] != '\''; i++)
				put(&o, w[i]);
			if (w[i])
				i++;
		} else if (c == '"') {
			q = 1;
			for (i++; w[i] && w[i] != '"';) {
				if (w[i] == '\\' && w[i + 1] && strchr("\"\\$`", w[i + 1])) {
					put(&o, w[i + 1]);
					i += 2;
				} else if (w[i] == '$') {
					i = dollar(w, i, look, ctx, &o);
				} else {
					put(&o, w[i++]);
				}
			}
			if (w[i])
				i++;
		} else if (c == '$') {
			i = dollar(w, i, look, ctx, &o);
		} else {
			put(&o, c);
			i++;
		}
	}
	out[o.n] = '\0';
	if (quoted)
		*quoted = q;
	return o.over ? -1 : (int)o.n;
}
