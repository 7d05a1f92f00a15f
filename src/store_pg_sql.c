/*
 * store_pg_sql.c: the PostgreSQL driver's SQL translator (store.h, section
 * 3): the engine's statements are written once in SQLite's dialect and
 * translated once, when prepared. Built in every build (its unit test runs
 * without libpq). The translation is lexical, on tokens outside string
 * literals, quoted identifiers and comments; function calls whose
 * arguments move are parsed to their matching parenthesis and translated
 * recursively.
 */
#include "store.h"
#include "alloc.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* the tables INSERT OR REPLACE may write, with their conflict key */
static const struct {
	const char *table, *key;
} replace_keys[] = {
	{ "leadership_norm", "kind, rank" },
	{ "meta", "key" },
};

typedef struct tr {
	char *buf;
	size_t n, cap;
	bool oom;
	int nparams, seq;
	int subs; /* subqueries named so far (bz_sub<N>) */
	char *why;
	size_t whylen;
	bool failed;
} tr;

static void put(tr *t, const char *s, size_t n)
{
	if (t->oom)
		return;
	if (t->n + n + 1 > t->cap) {
		size_t cap = t->cap ? t->cap : 256;
		while (cap < t->n + n + 1)
			cap *= 2;
		char *p = bz__realloc(t->buf, cap);
		if (!p) {
			t->oom = true;
			return;
		}
		t->buf = p;
		t->cap = cap;
	}
	memcpy(t->buf + t->n, s, n);
	t->n += n;
	t->buf[t->n] = '\0';
}

static void puts_(tr *t, const char *s)
{
	put(t, s, strlen(s));
}

static void fail(tr *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail(tr *t, const char *fmt, ...)
{
	if (t->failed)
		return;
	t->failed = true;
	if (t->why && t->whylen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(t->why, t->whylen, fmt, ap);
		va_end(ap);
	}
}

static bool word_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* the end of a quoted token starting at p (p points at the quote) */
static const char *skip_quoted(const char *p, const char *end)
{
	char q = *p++;
	while (p < end) {
		if (*p == q) {
			if (p + 1 < end && p[1] == q) { /* doubled quote */
				p += 2;
				continue;
			}
			return p + 1;
		}
		p++;
	}
	return NULL;
}

/* past a comment starting at p, or p itself if none */
static const char *skip_comment(const char *p, const char *end)
{
	if (p + 1 < end && p[0] == '-' && p[1] == '-') {
		while (p < end && *p != '\n')
			p++;
		return p;
	}
	if (p + 1 < end && p[0] == '/' && p[1] == '*') {
		const char *q = strstr(p + 2, "*/");
		return q && q + 2 <= end ? q + 2 : end;
	}
	return p;
}

static const char *skip_ws(const char *p, const char *end)
{
	for (;;) {
		while (p < end && isspace((unsigned char)*p))
			p++;
		const char *q = skip_comment(p, end);
		if (q == p)
			return p;
		p = q;
	}
}

/* the matching ')' of the '(' at p, or NULL */
static const char *match_paren(const char *p, const char *end)
{
	int depth = 0;
	while (p < end) {
		if (*p == '\'' || *p == '"') {
			p = skip_quoted(p, end);
			if (!p)
				return NULL;
			continue;
		}
		const char *q = skip_comment(p, end);
		if (q != p) {
			p = q;
			continue;
		}
		if (*p == '(')
			depth++;
		else if (*p == ')' && --depth == 0)
			return p;
		p++;
	}
	return NULL;
}

/* split [b, e) at top-level commas: at most max arguments; returns how many */
static int split_args(const char *b, const char *e, const char **ab, const char **ae, int max)
{
	int n = 0, depth = 0;
	const char *s = b;
	for (const char *p = b; p < e;) {
		if (*p == '\'' || *p == '"') {
			p = skip_quoted(p, e);
			if (!p)
				return -1;
			continue;
		}
		if (*p == '(')
			depth++;
		else if (*p == ')')
			depth--;
		else if (*p == ',' && depth == 0) {
			if (n == max)
				return -1;
			ab[n] = s;
			ae[n++] = p;
			s = p + 1;
		}
		p++;
	}
	if (n == max)
		return -1;
	if (skip_ws(b, e) == e)
		return 0; /* no argument: f() */
	ab[n] = s;
	ae[n++] = e;
	return n;
}

static bool word_is(const char *p, size_t n, const char *w)
{
	return strlen(w) == n && strncasecmp(p, w, n) == 0;
}

static void translate(tr *t, const char *p, const char *end, bool top);

static void translate_args(tr *t, int n, const char **ab, const char **ae, const char *sep)
{
	for (int i = 0; i < n; i++) {
		if (i)
			puts_(t, sep);
		translate(t, ab[i], ae[i], false);
	}
}

/* plain renames of functions (name followed by '(') */
static const struct {
	const char *sqlite, *pg;
} renames[] = {
	{ "ifnull", "coalesce" },
	{ "instr", "strpos" },
	{ "date", "sqlite_date" },
	{ "julianday", "sqlite_julianday" },
	{ "strftime", "sqlite_strftime" },
	{ "printf", "sqlite_printf" },
	{ "hex", "sqlite_hex" },
	{ "randomblob", "sqlite_randomblob" },
	{ "random", "sqlite_random" },
};

#define MAXARGS 32

/* a function call name( … ) at p (word [p, w), '(' at lp): true if handled */
static bool function_call(tr *t, const char *p, const char *w, const char *lp, const char *end, const char **next)
{
	size_t n = (size_t)(w - p);
	const char *rp = match_paren(lp, end);
	if (!rp) {
		fail(t, "unbalanced parentheses after %.*s", (int)n, p);
		return false;
	}
	const char *ab[MAXARGS], *ae[MAXARGS];
	if (word_is(p, n, "iif")) {
		if (split_args(lp + 1, rp, ab, ae, MAXARGS) != 3) {
			fail(t, "iif() takes 3 arguments");
			return false;
		}
		puts_(t, "CASE WHEN ");
		translate(t, ab[0], ae[0], false);
		puts_(t, " THEN ");
		translate(t, ab[1], ae[1], false);
		puts_(t, " ELSE ");
		translate(t, ab[2], ae[2], false);
		puts_(t, " END");
	} else if (word_is(p, n, "group_concat")) {
		int na = split_args(lp + 1, rp, ab, ae, MAXARGS);
		if (na != 1 && na != 2) {
			fail(t, "group_concat() takes 1 or 2 arguments");
			return false;
		}
		puts_(t, "string_agg(CAST(");
		translate(t, ab[0], ae[0], false);
		puts_(t, " AS text), ");
		if (na == 2)
			translate(t, ab[1], ae[1], false);
		else
			puts_(t, "','");
		puts_(t, ")");
	} else if (word_is(p, n, "min") || word_is(p, n, "max")) {
		int na = split_args(lp + 1, rp, ab, ae, MAXARGS);
		if (na < 0) {
			fail(t, "too many arguments of %.*s()", (int)n, p);
			return false;
		}
		if (na < 2)
			return false; /* the aggregate: as it is */
		puts_(t, word_is(p, n, "min") ? "sqlite_min(" : "sqlite_max(");
		translate_args(t, na, ab, ae, ",");
		puts_(t, ")");
	} else if (word_is(p, n, "printf")) {
		/* sqlite_printf(fmt, VARIADIC text[]): the arguments as text */
		int na = split_args(lp + 1, rp, ab, ae, MAXARGS);
		if (na < 1) {
			fail(t, "printf() takes a format");
			return false;
		}
		puts_(t, "sqlite_printf(");
		translate(t, ab[0], ae[0], false);
		for (int i = 1; i < na; i++) {
			puts_(t, ", CAST(");
			translate(t, ab[i], ae[i], false);
			puts_(t, " AS text)");
		}
		puts_(t, ")");
	} else {
		for (size_t i = 0; i < sizeof renames / sizeof renames[0]; i++) {
			if (word_is(p, n, renames[i].sqlite)) {
				puts_(t, renames[i].pg);
				put(t, w, (size_t)(lp - w)); /* spaces before '(' */
				puts_(t, "(");
				translate(t, lp + 1, rp, false);
				puts_(t, ")");
				*next = rp + 1;
				return true;
			}
		}
		return false;
	}
	*next = rp + 1;
	return true;
}

/* INSERT OR REPLACE INTO table(cols): the ON CONFLICT clause into conflict */
static bool replace_clause(tr *t, const char *p, const char *end, char *conflict, size_t len)
{
	p = skip_ws(p, end);
	const char *w = p;
	while (w < end && word_char(*w))
		w++;
	const char *key = NULL;
	for (size_t i = 0; i < sizeof replace_keys / sizeof replace_keys[0]; i++)
		if (word_is(p, (size_t)(w - p), replace_keys[i].table))
			key = replace_keys[i].key;
	if (!key) {
		fail(t, "INSERT OR REPLACE INTO %.*s: no conflict key known for this table (store_pg_sql.c)",
		     (int)(w - p), p);
		return false;
	}
	const char *lp = skip_ws(w, end);
	const char *rp = lp < end && *lp == '(' ? match_paren(lp, end) : NULL;
	if (!rp) {
		fail(t, "INSERT OR REPLACE INTO %.*s needs its column list", (int)(w - p), p);
		return false;
	}
	const char *ab[MAXARGS], *ae[MAXARGS];
	int na = split_args(lp + 1, rp, ab, ae, MAXARGS);
	size_t k = (size_t)snprintf(conflict, len, " ON CONFLICT (%s) DO UPDATE SET ", key);
	bool first = true;
	for (int i = 0; i < na && k < len; i++) {
		const char *b = skip_ws(ab[i], ae[i]), *e = ae[i];
		while (e > b && isspace((unsigned char)e[-1]))
			e--;
		/* a key column is not set */
		bool in_key = false;
		for (const char *kp = key; *kp;) {
			const char *ke = kp;
			while (*ke && *ke != ',')
				ke++;
			if ((size_t)(ke - kp) == (size_t)(e - b) && strncasecmp(kp, b, (size_t)(e - b)) == 0)
				in_key = true;
			kp = *ke ? ke + 2 : ke;
		}
		if (in_key)
			continue;
		k += (size_t)snprintf(conflict + k, len - k, "%s%.*s=excluded.%.*s", first ? "" : ", ", (int)(e - b), b,
				      (int)(e - b), b);
		first = false;
	}
	if (first)
		snprintf(conflict, len, " ON CONFLICT (%s) DO NOTHING", key);
	return true;
}

/*
 * Whether the parenthesis [open, rp] after FROM/JOIN holds a subquery
 * (SELECT, WITH, VALUES) that SQLite allows without a name: nothing after
 * rp but a clause keyword, a ',' or ')' or the end.
 */
static bool subquery_unnamed(const char *open, const char *rp, const char *end)
{
	const char *a = skip_ws(open, rp), *aw = a;
	while (aw < rp && word_char(*aw))
		aw++;
	if (!word_is(a, (size_t)(aw - a), "SELECT") && !word_is(a, (size_t)(aw - a), "WITH") &&
	    !word_is(a, (size_t)(aw - a), "VALUES"))
		return false;
	const char *q = skip_ws(rp + 1, end), *qw = q;
	if (q >= end || *q == ',' || *q == ')' || *q == ';')
		return true;
	while (qw < end && word_char(*qw))
		qw++;
	if (qw == q)
		return false;
	static const char *const clauses[] = { "WHERE", "GROUP", "ORDER", "LIMIT", "OFFSET", "JOIN", "LEFT", "RIGHT",
					       "INNER", "CROSS", "FULL", "NATURAL", "UNION", "EXCEPT", "INTERSECT",
					       "ON", "USING", "HAVING", "WINDOW" };
	for (size_t i = 0; i < sizeof clauses / sizeof clauses[0]; i++)
		if (word_is(q, (size_t)(qw - q), clauses[i]))
			return true;
	return false;
}

/* after CROSS: JOIN table [[AS] alias] ON */
static bool cross_join_on(const char *p, const char *end)
{
	for (int n = 0; n < 5; n++) {
		p = skip_ws(p, end);
		const char *w = p;
		while (p < end && (word_char(*p) || *p == '.'))
			p++;
		size_t len = (size_t)(p - w);
		if (!len)
			return false;
		if (n == 0 && !word_is(w, len, "JOIN"))
			return false;
		if (n >= 2 && word_is(w, len, "ON"))
			return true;
	}
	return false;
}

/*
 * x GLOB 'pattern' → x ~ '^regex$' (NOT GLOB → !~): * is .*, ? is ., a
 * bracket [..] stays, the regex's own specials are escaped. Only a literal
 * pattern is taken. *next is set past the pattern.
 */
static bool glob_pattern(tr *t, const char *w, const char *end, const char **next)
{
	const char *q = skip_ws(w, end);
	if (q >= end || *q != '\'') {
		fail(t, "GLOB takes a literal pattern here");
		return false;
	}
	const char *qe = skip_quoted(q, end);
	if (!qe) {
		fail(t, "unterminated quote");
		return false;
	}
	/* a NOT just written goes into the operator */
	size_t k = t->n;
	while (k > 0 && isspace((unsigned char)t->buf[k - 1]))
		k--;
	bool negated = k >= 3 && word_is(t->buf + k - 3, 3, "NOT") && (k == 3 || !word_char(t->buf[k - 4]));
	if (negated)
		t->n = k - 3;
	puts_(t, negated ? "!~ '^" : "~ '^");
	bool bracket = false;
	for (const char *c = q + 1; c < qe - 1; c++) {
		if (bracket) {
			put(t, c, 1);
			if (*c == ']')
				bracket = false;
		} else if (*c == '[') {
			bracket = true;
			put(t, c, 1);
		} else if (*c == '*')
			puts_(t, ".*");
		else if (*c == '?')
			puts_(t, ".");
		else if (strchr(".^$+(){}|\\", *c)) {
			puts_(t, "\\");
			put(t, c, 1);
		} else
			put(t, c, 1);
	}
	puts_(t, "$'");
	*next = qe;
	return true;
}

/*
 * Whether a '+' (followed by next) is SQLite's unary plus before a column:
 * what comes before it, in what was written so far, is an operator, a '('
 * or ',' or a keyword — not an operand (then it adds).
 */
static bool unary_plus(const tr *t, const char *next, const char *end)
{
	if (next >= end || !(isalpha((unsigned char)*next) || *next == '_'))
		return false;
	size_t k = t->n;
	while (k > 0 && isspace((unsigned char)t->buf[k - 1]))
		k--;
	if (k == 0)
		return true;
	char c = t->buf[k - 1];
	if (strchr("(,=<>!", c))
		return true;
	if (!word_char(c))
		return false;
	size_t w = k;
	while (w > 0 && word_char(t->buf[w - 1]))
		w--;
	static const char *const keywords[] = { "AND", "OR", "ON", "WHERE", "NOT", "BY", "SELECT", "WHEN",
						"THEN", "ELSE", "IS", "IN", "BETWEEN", "LIKE", "ILIKE" };
	for (size_t i = 0; i < sizeof keywords / sizeof keywords[0]; i++)
		if (word_is(t->buf + w, k - w, keywords[i]))
			return true;
	return false;
}

static void translate(tr *t, const char *p, const char *end, bool top)
{
	char conflict[512] = "";
	bool stmt_start = top;
	while (p < end && !t->failed && !t->oom) {
		if (*p == '\'' || *p == '"') {
			const char *q = skip_quoted(p, end);
			if (!q) {
				fail(t, "unterminated quote");
				return;
			}
			put(t, p, (size_t)(q - p));
			p = q;
			continue;
		}
		const char *c = skip_comment(p, end);
		if (c != p) {
			put(t, p, (size_t)(c - p));
			p = c;
			continue;
		}
		if (*p == '?') {
			p++;
			int n;
			if (p < end && isdigit((unsigned char)*p)) {
				n = 0;
				while (p < end && isdigit((unsigned char)*p))
					n = n * 10 + (*p++ - '0');
			} else
				n = ++t->seq;
			if (n > t->nparams)
				t->nparams = n;
			char b[16];
			snprintf(b, sizeof b, "$%d", n);
			puts_(t, b);
			stmt_start = false;
			continue;
		}
		if (*p == ';' && top) {
			puts_(t, conflict);
			conflict[0] = '\0';
			put(t, p, 1);
			p++;
			stmt_start = true;
			continue;
		}
		if ((*p == 'x' || *p == 'X') && p + 1 < end && p[1] == '\'' && (t->n == 0 || !word_char(t->buf[t->n - 1]))) {
			/* a blob literal x'0aff' */
			const char *q = skip_quoted(p + 1, end);
			if (!q) {
				fail(t, "unterminated quote");
				return;
			}
			puts_(t, "'\\x");
			put(t, p + 2, (size_t)(q - p - 2));
			puts_(t, "::bytea");
			p = q;
			stmt_start = false;
			continue;
		}
		if (isalpha((unsigned char)*p) || *p == '_') {
			const char *w = p;
			while (w < end && word_char(*w))
				w++;
			size_t n = (size_t)(w - p);
			bool after_dot = false;
			if (t->n > 0 && t->buf[t->n - 1] == '.')
				after_dot = true;
			if (stmt_start && word_is(p, n, "PRAGMA")) {
				fail(t, "PRAGMA is SQLite's: the driver answers it (bz_store_*)");
				return;
			}
			if (stmt_start && word_is(p, n, "BEGIN")) {
				const char *a = skip_ws(w, end), *aw = a;
				while (aw < end && word_char(*aw))
					aw++;
				if (word_is(a, (size_t)(aw - a), "IMMEDIATE") || word_is(a, (size_t)(aw - a), "EXCLUSIVE")) {
					puts_(t, "BEGIN ISOLATION LEVEL READ COMMITTED");
					p = aw;
					stmt_start = false;
					continue;
				}
				/* SQLite's BEGIN [DEFERRED] reads one snapshot from its first
				 * read on: REPEATABLE READ is that on a server (the
				 * self-inspection, verify and export begin so) */
				if (word_is(a, (size_t)(aw - a), "DEFERRED") || aw == a) {
					puts_(t, "BEGIN ISOLATION LEVEL REPEATABLE READ");
					p = aw;
					stmt_start = false;
					continue;
				}
			}
			if (stmt_start && word_is(p, n, "INSERT")) {
				const char *a = skip_ws(w, end), *aw = a;
				while (aw < end && word_char(*aw))
					aw++;
				if (word_is(a, (size_t)(aw - a), "OR")) {
					const char *b = skip_ws(aw, end), *bw = b;
					while (bw < end && word_char(*bw))
						bw++;
					if (word_is(b, (size_t)(bw - b), "IGNORE")) {
						snprintf(conflict, sizeof conflict, " ON CONFLICT DO NOTHING");
					} else if (word_is(b, (size_t)(bw - b), "REPLACE")) {
						const char *into = skip_ws(bw, end), *iw = into;
						while (iw < end && word_char(*iw))
							iw++;
						if (!replace_clause(t, iw, end, conflict, sizeof conflict))
							return;
					} else {
						fail(t, "INSERT OR %.*s has no PostgreSQL form", (int)(bw - b), b);
						return;
					}
					puts_(t, "INSERT");
					p = bw;
					stmt_start = false;
					continue;
				}
			}
			stmt_start = false;
			if (!after_dot && word_is(p, n, "INTEGER")) {
				/* a work table's INTEGER PRIMARY KEY numbers its rows itself, as SQLite's rowid alias
				 * (explicit values still allowed): an identity column, as schema_pg.sql's tables */
				const char *a = skip_ws(w, end), *aw = a;
				while (aw < end && word_char(*aw))
					aw++;
				const char *b = skip_ws(aw, end), *bw = b;
				while (bw < end && word_char(*bw))
					bw++;
				if (word_is(a, (size_t)(aw - a), "PRIMARY") && word_is(b, (size_t)(bw - b), "KEY")) {
					puts_(t, "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY");
					p = bw;
					continue;
				}
			}
			if (!after_dot && word_is(p, n, "temp") && w < end && *w == '.') {
				puts_(t, "pg_temp");
				p = w;
				continue;
			}
			if (!after_dot && (word_is(p, n, "FROM") || word_is(p, n, "JOIN"))) {
				const char *lp = skip_ws(w, end);
				if (lp < end && *lp == '(') {
					const char *rp = match_paren(lp, end);
					if (rp && subquery_unnamed(lp + 1, rp, end)) {
						/* PostgreSQL 15 names every subquery in FROM */
						put(t, p, (size_t)(lp - p));
						puts_(t, "(");
						translate(t, lp + 1, rp, false);
						char alias[32];
						snprintf(alias, sizeof alias, ") AS bz_sub%d", ++t->subs);
						puts_(t, alias);
						p = rp + 1;
						stmt_start = false;
						continue;
					}
				}
			}
			if (!after_dot && word_is(p, n, "IS")) {
				/* SQLite's a IS b / a IS NOT b (NULL-safe) → IS [NOT] DISTINCT FROM */
				const char *a = skip_ws(w, end), *aw = a;
				while (aw < end && word_char(*aw))
					aw++;
				bool not_ = word_is(a, (size_t)(aw - a), "NOT");
				const char *b = not_ ? skip_ws(aw, end) : a, *bw = b;
				while (bw < end && word_char(*bw))
					bw++;
				size_t bl = (size_t)(bw - b);
				if (!word_is(b, bl, "NULL") && !word_is(b, bl, "TRUE") && !word_is(b, bl, "FALSE") &&
				    !word_is(b, bl, "DISTINCT") && !word_is(b, bl, "NOT") && !word_is(b, bl, "UNKNOWN")) {
					puts_(t, not_ ? "IS DISTINCT FROM" : "IS NOT DISTINCT FROM");
					p = not_ ? aw : w;
					stmt_start = false;
					continue;
				}
			}
			if (!after_dot && word_is(p, n, "GLOB")) {
				if (!glob_pattern(t, w, end, &p))
					return;
				stmt_start = false;
				continue;
			}
			if (!after_dot && word_is(p, n, "CROSS") && cross_join_on(w, end)) {
				/* SQLite's CROSS JOIN … ON (a join order kept): PostgreSQL's
				 * CROSS JOIN takes no ON, its JOIN is the same join */
				p = skip_ws(w, end);
				continue;
			}
			if (!after_dot && word_is(p, n, "WITHOUT")) {
				/* CREATE TABLE … WITHOUT ROWID: every PostgreSQL table is so */
				const char *a = skip_ws(w, end), *aw = a;
				while (aw < end && word_char(*aw))
					aw++;
				if (word_is(a, (size_t)(aw - a), "ROWID")) {
					while (t->n > 0 && isspace((unsigned char)t->buf[t->n - 1]))
						t->buf[--t->n] = '\0';
					p = aw;
					continue;
				}
			}
			if (!after_dot && word_is(p, n, "LIKE")) {
				puts_(t, "ILIKE");
				p = w;
				continue;
			}
			const char *lp = skip_ws(w, end);
			if (!after_dot && lp < end && *lp == '(') {
				const char *next;
				if (function_call(t, p, w, lp, end, &next)) {
					p = next;
					continue;
				}
				if (t->failed)
					return;
			}
			put(t, p, n);
			p = w;
			continue;
		}
		if (*p == '+' && unary_plus(t, p + 1, end)) {
			/* SQLite's "+column" (keeps a column off an index): dropped */
			p++;
			continue;
		}
		if (!isspace((unsigned char)*p))
			stmt_start = false;
		put(t, p, 1);
		p++;
	}
	if (top && !t->failed) {
		/* the ON CONFLICT of the last statement goes before its trailing blanks */
		size_t k = t->n;
		while (k > 0 && isspace((unsigned char)t->buf[k - 1]))
			k--;
		if (conflict[0] && !t->oom) {
			size_t tail = t->n - k;
			char keep[64];
			if (tail >= sizeof keep)
				tail = sizeof keep - 1;
			memcpy(keep, t->buf + k, tail);
			t->n = k;
			puts_(t, conflict);
			put(t, keep, tail);
		}
	}
}

int bz_pg_translate(char **out, int *nparams, const char *sql, char *why, size_t whylen)
{
	*out = NULL;
	if (nparams)
		*nparams = 0;
	if (why && whylen)
		why[0] = '\0';
	if (!sql) {
		if (why)
			snprintf(why, whylen, "no SQL");
		return BZ_EINVAL;
	}
	tr t = { .why = why, .whylen = whylen };
	put(&t, "", 0);
	translate(&t, sql, sql + strlen(sql), true);
	if (t.oom || t.failed) {
		bz__free(t.buf);
		if (t.oom && why)
			snprintf(why, whylen, "out of memory");
		return t.oom ? BZ_ENOMEM : BZ_EINVAL;
	}
	*out = t.buf;
	if (nparams)
		*nparams = t.nparams;
	return BZ_OK;
}
