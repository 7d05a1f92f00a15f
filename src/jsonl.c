/*
 * jsonl.c: the strict JSON reader and the writer of the exchange format
 * (jsonl.h says why the library has its own). Every allocation goes
 * through bz__malloc/bz__realloc; a failed one is reported, never ignored,
 * and leaves the reader or writer reusable.
 */
#include "jsonl.h"
#include "alloc.h"

#include <bianzhi/common.h>
#include <stdalign.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* ---- the reader's arena ------------------------------------------------------------------------ */

struct bz_jr_chunk {
	struct bz_jr_chunk *next;
	size_t used, cap;
	alignas(max_align_t) unsigned char data[];
};

#define CHUNK_MIN 4096

static void *arena(bz_jr *r, size_t n)
{
	n = (n + alignof(max_align_t) - 1) & ~(alignof(max_align_t) - 1);
	struct bz_jr_chunk *c = r->chunks;
	if (!c || c->cap - c->used < n) {
		size_t cap = n > CHUNK_MIN ? n : CHUNK_MIN;
		if (cap > SIZE_MAX - sizeof *c)
			return NULL;
		c = bz__malloc(sizeof *c + cap);
		if (!c)
			return NULL;
		c->next = r->chunks;
		c->used = 0;
		c->cap = cap;
		r->chunks = c;
	}
	void *p = c->data + c->used;
	c->used += n;
	return p;
}

static void arena_free(bz_jr *r)
{
	while (r->chunks) {
		struct bz_jr_chunk *c = r->chunks;
		r->chunks = c->next;
		bz__free(c);
	}
}

void bz_jr_free(bz_jr *r)
{
	if (!r)
		return;
	arena_free(r);
	bz__free(r->stk);
	r->stk = NULL;
	r->nstk = r->capstk = 0;
}

/* ---- the parser -------------------------------------------------------------------------------- */

typedef struct {
	bz_jr *r;
	const unsigned char *p, *end, *start;
	int code; /* BZ_OK, or the first failure */
	char *why;
	size_t cap;
} parser;

__attribute__((format(printf, 2, 3))) static int fail(parser *ps, const char *fmt, ...)
{
	if (ps->code != BZ_OK)
		return ps->code;
	ps->code = BZ_EINVAL;
	if (ps->why && ps->cap) {
		char what[160];
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(what, sizeof what, fmt, ap);
		va_end(ap);
		snprintf(ps->why, ps->cap, "%s at column %zu", what, (size_t)(ps->p - ps->start) + 1);
	}
	return ps->code;
}

static int oom(parser *ps)
{
	if (ps->code == BZ_OK) {
		ps->code = BZ_ENOMEM;
		if (ps->why && ps->cap)
			snprintf(ps->why, ps->cap, "out of memory");
	}
	return ps->code;
}

static void skip_ws(parser *ps)
{
	while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
		ps->p++;
}

static bool push(parser *ps, const bz_js *v)
{
	bz_jr *r = ps->r;
	if (r->nstk == r->capstk) {
		size_t cap = r->capstk ? r->capstk * 2 : 64;
		bz_js *s = bz__reallocarray(r->stk, cap, sizeof *s);
		if (!s)
			return false;
		r->stk = s;
		r->capstk = cap;
	}
	r->stk[r->nstk++] = *v;
	return true;
}

/* the UTF-8 sequence at p (at most n bytes): its length, 0 if invalid */
static size_t utf8_len(const unsigned char *p, size_t n)
{
	unsigned c = p[0];
	if (c < 0x80)
		return 1;
	size_t len;
	unsigned min, cp;
	if (c >= 0xC2 && c <= 0xDF)
		len = 2, min = 0x80, cp = c & 0x1F;
	else if (c >= 0xE0 && c <= 0xEF)
		len = 3, min = 0x800, cp = c & 0x0F;
	else if (c >= 0xF0 && c <= 0xF4)
		len = 4, min = 0x10000, cp = c & 0x07;
	else
		return 0;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return len;
}

static int hex4(const unsigned char *p, unsigned *v)
{
	*v = 0;
	for (int i = 0; i < 4; i++) {
		unsigned c = p[i], d;
		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return -1;
		*v = *v << 4 | d;
	}
	return 0;
}

static size_t put_utf8(char *o, unsigned cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xC0 | cp >> 6);
		o[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xE0 | cp >> 12);
		o[1] = (char)(0x80 | (cp >> 6 & 0x3F));
		o[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (char)(0xF0 | cp >> 18);
	o[1] = (char)(0x80 | (cp >> 12 & 0x3F));
	o[2] = (char)(0x80 | (cp >> 6 & 0x3F));
	o[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* a string at ps->p (the opening quote): its decoded text in the arena */
static int string(parser *ps, const char **out, size_t *outlen)
{
	const unsigned char *q = ps->p + 1;
	/* its extent first: the decoded text is never longer than the raw one */
	while (q < ps->end && *q != '"') {
		if (*q == '\\' && q + 1 < ps->end)
			q++;
		q++;
	}
	if (q >= ps->end)
		return fail(ps, "a string does not end");
	char *o = arena(ps->r, (size_t)(q - ps->p));
	if (!o)
		return oom(ps);
	size_t n = 0;
	ps->p++;
	while (*ps->p != '"') {
		unsigned c = *ps->p;
		if (c < 0x20)
			return fail(ps, "control character 0x%x in a string", c);
		if (c != '\\') {
			size_t len = utf8_len(ps->p, (size_t)(q - ps->p));
			if (!len)
				return fail(ps, "a string that is not UTF-8 (byte 0x%02x)", c);
			memcpy(o + n, ps->p, len);
			n += len;
			ps->p += len;
			continue;
		}
		c = ps->p[1];
		const char *simple = strchr("\"\\/bfnrt", (int)c);
		if (c && simple) {
			static const char to[] = "\"\\/\b\f\n\r\t";
			o[n++] = to[simple - "\"\\/bfnrt"];
			ps->p += 2;
			continue;
		}
		if (c != 'u')
			return fail(ps, "an invalid escape in a string");
		unsigned cp, lo;
		if (q - ps->p < 6 || hex4(ps->p + 2, &cp) != 0)
			return fail(ps, "an invalid \\u escape");
		ps->p += 6;
		if (cp >= 0xDC00 && cp <= 0xDFFF)
			return fail(ps, "a lone surrogate \\u%04X", cp);
		if (cp >= 0xD800 && cp <= 0xDBFF) {
			if (q - ps->p < 6 || ps->p[0] != '\\' || ps->p[1] != 'u' || hex4(ps->p + 2, &lo) != 0 || lo < 0xDC00 ||
			    lo > 0xDFFF)
				return fail(ps, "a lone surrogate \\u%04X", cp);
			ps->p += 6;
			cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
		}
		if (cp == 0)
			return fail(ps, "\\u0000 in a string");
		n += put_utf8(o + n, cp);
	}
	ps->p++;
	o[n] = '\0';
	*out = o;
	*outlen = n;
	return BZ_OK;
}

static int number(parser *ps, bz_js *v)
{
	const unsigned char *s = ps->p;
	bool neg = *ps->p == '-';
	if (neg)
		ps->p++;
	if (ps->p >= ps->end || *ps->p < '0' || *ps->p > '9')
		return fail(ps, "an invalid number");
	uint64_t mag = 0;
	bool big = false;
	if (*ps->p == '0') {
		ps->p++;
		if (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9')
			return fail(ps, "a number with a leading zero");
	} else {
		while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9') {
			unsigned d = *ps->p++ - '0';
			if (mag > (UINT64_MAX - d) / 10)
				big = true;
			else
				mag = mag * 10 + d;
		}
	}
	bool real = false;
	if (ps->p < ps->end && *ps->p == '.') {
		real = true;
		ps->p++;
		if (ps->p >= ps->end || *ps->p < '0' || *ps->p > '9')
			return fail(ps, "an invalid number");
		while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9')
			ps->p++;
	}
	if (ps->p < ps->end && (*ps->p == 'e' || *ps->p == 'E')) {
		real = true;
		ps->p++;
		if (ps->p < ps->end && (*ps->p == '+' || *ps->p == '-'))
			ps->p++;
		if (ps->p >= ps->end || *ps->p < '0' || *ps->p > '9')
			return fail(ps, "an invalid number");
		while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9')
			ps->p++;
	}
	if (real) {
		size_t n = (size_t)(ps->p - s);
		char *t = arena(ps->r, n + 1);
		if (!t)
			return oom(ps);
		memcpy(t, s, n);
		t[n] = '\0';
		v->type = BZ_JS_REAL;
		v->u.s = t;
		v->n = n;
		return BZ_OK;
	}
	if (big || mag > (uint64_t)INT64_MAX + neg) {
		ps->p = s;
		return fail(ps, "an integer out of range");
	}
	v->type = BZ_JS_INT;
	v->u.i = neg ? (int64_t)(0 - mag) : (int64_t)mag;
	return BZ_OK;
}

static bool literal(parser *ps, const char *word)
{
	size_t n = strlen(word);
	if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, word, n) != 0)
		return false;
	ps->p += n;
	return true;
}

static int value(parser *ps, bz_js *v, int depth);

/* the elements pushed since base, into the arena as v's */
static int close_container(parser *ps, bz_js *v, size_t base, int type)
{
	bz_jr *r = ps->r;
	size_t n = r->nstk - base;
	bz_js *kid = NULL;
	if (n) {
		kid = arena(r, n * sizeof *kid);
		if (!kid)
			return oom(ps);
		memcpy(kid, r->stk + base, n * sizeof *kid);
	}
	r->nstk = base;
	v->type = type;
	v->n = n;
	v->u.kid = kid;
	return BZ_OK;
}

static int array(parser *ps, bz_js *v, int depth)
{
	size_t base = ps->r->nstk;
	ps->p++;
	skip_ws(ps);
	if (ps->p < ps->end && *ps->p == ']') {
		ps->p++;
		return close_container(ps, v, base, BZ_JS_ARR);
	}
	for (;;) {
		bz_js e = {0};
		if (value(ps, &e, depth + 1) != BZ_OK)
			return ps->code;
		if (!push(ps, &e))
			return oom(ps);
		skip_ws(ps);
		if (ps->p < ps->end && *ps->p == ',') {
			ps->p++;
			continue;
		}
		if (ps->p < ps->end && *ps->p == ']') {
			ps->p++;
			return close_container(ps, v, base, BZ_JS_ARR);
		}
		return fail(ps, "',' or ']' expected");
	}
}

static int object(parser *ps, bz_js *v, int depth)
{
	size_t base = ps->r->nstk;
	ps->p++;
	skip_ws(ps);
	if (ps->p < ps->end && *ps->p == '}') {
		ps->p++;
		return close_container(ps, v, base, BZ_JS_OBJ);
	}
	for (;;) {
		skip_ws(ps);
		if (ps->p >= ps->end || *ps->p != '"')
			return fail(ps, "a key (a string) expected");
		const unsigned char *at = ps->p;
		const char *key;
		size_t klen;
		if (string(ps, &key, &klen) != BZ_OK)
			return ps->code;
		if (strlen(key) != klen) {
			ps->p = at;
			return fail(ps, "a NUL character in a key");
		}
		bz_jr *r = ps->r;
		if (r->nstk - base >= BZ_JSON_MEMBERS_MAX) {
			ps->p = at;
			return fail(ps, "an object of more than %d members", BZ_JSON_MEMBERS_MAX);
		}
		for (size_t i = base; i < r->nstk; i++)
			if (strcmp(r->stk[i].key, key) == 0) {
				ps->p = at;
				return fail(ps, "a duplicate key \"%.40s\"", key);
			}
		skip_ws(ps);
		if (ps->p >= ps->end || *ps->p != ':')
			return fail(ps, "':' expected");
		ps->p++;
		bz_js e = {0};
		if (value(ps, &e, depth + 1) != BZ_OK)
			return ps->code;
		e.key = key;
		if (!push(ps, &e))
			return oom(ps);
		skip_ws(ps);
		if (ps->p < ps->end && *ps->p == ',') {
			ps->p++;
			continue;
		}
		if (ps->p < ps->end && *ps->p == '}') {
			ps->p++;
			return close_container(ps, v, base, BZ_JS_OBJ);
		}
		return fail(ps, "',' or '}' expected");
	}
}

static int value(parser *ps, bz_js *v, int depth)
{
	if (depth > BZ_JSON_DEPTH_MAX)
		return fail(ps, "nested deeper than %d levels", BZ_JSON_DEPTH_MAX);
	skip_ws(ps);
	if (ps->p >= ps->end)
		return fail(ps, "a value expected");
	switch (*ps->p) {
	case '{':
		return object(ps, v, depth);
	case '[':
		return array(ps, v, depth);
	case '"':
		v->type = BZ_JS_STR;
		return string(ps, &v->u.s, &v->n);
	case 't':
		if (literal(ps, "true")) {
			v->type = BZ_JS_TRUE;
			return BZ_OK;
		}
		break;
	case 'f':
		if (literal(ps, "false")) {
			v->type = BZ_JS_FALSE;
			return BZ_OK;
		}
		break;
	case 'n':
		if (literal(ps, "null")) {
			v->type = BZ_JS_NULL;
			return BZ_OK;
		}
		break;
	default:
		if (*ps->p == '-' || (*ps->p >= '0' && *ps->p <= '9'))
			return number(ps, v);
		break;
	}
	return fail(ps, "an invalid token");
}

int bz_jr_parse(bz_jr *r, const char *text, size_t len, const bz_js **out, char *why, size_t cap)
{
	*out = NULL;
	if (why && cap)
		why[0] = '\0';
	arena_free(r);
	r->nstk = 0;
	parser ps = {r, (const unsigned char *)text, (const unsigned char *)text + len, (const unsigned char *)text,
		     BZ_OK, why, cap};
	bz_js *top = arena(r, sizeof *top);
	if (!top)
		return oom(&ps);
	memset(top, 0, sizeof *top);
	if (value(&ps, top, 1) != BZ_OK)
		return ps.code;
	skip_ws(&ps);
	if (ps.p != ps.end)
		return fail(&ps, "the end of the line expected");
	*out = top;
	return BZ_OK;
}

const bz_js *bz_js_get(const bz_js *v, const char *key)
{
	if (!v || v->type != BZ_JS_OBJ)
		return NULL;
	for (size_t i = 0; i < v->n; i++)
		if (strcmp(v->u.kid[i].key, key) == 0)
			return &v->u.kid[i];
	return NULL;
}

const char *bz_js_str(const bz_js *v)
{
	return v && v->type == BZ_JS_STR ? v->u.s : NULL;
}

/* ---- the writer -------------------------------------------------------------------------------- */

static void put(bz_jw *w, const char *s, size_t n)
{
	if (w->oom)
		return;
	if (w->cap - w->n < n + 1) {
		size_t cap = w->cap ? w->cap : 256;
		while (cap - w->n < n + 1) {
			if (cap > SIZE_MAX / 2) {
				w->oom = true;
				return;
			}
			cap *= 2;
		}
		char *b = bz__realloc(w->b, cap);
		if (!b) {
			w->oom = true;
			return;
		}
		w->b = b;
		w->cap = cap;
	}
	memcpy(w->b + w->n, s, n);
	w->n += n;
	w->b[w->n] = '\0';
}

/* before a value (or a key): the comma it needs */
static void sep(bz_jw *w)
{
	if (w->keyed) {
		w->keyed = false;
		return;
	}
	if (w->more[w->depth])
		put(w, ",", 1);
	w->more[w->depth] = true;
}

static void open_level(bz_jw *w, const char *c)
{
	sep(w);
	put(w, c, 1);
	if (w->depth < BZ_JSON_DEPTH_MAX) {
		w->more[++w->depth] = false;
		w->closer[w->depth] = *c == '{' ? '}' : ']';
	} else {
		w->oom = true; /* never in the format: refuse rather than write it wrong */
	}
}

void bz_jw_obj(bz_jw *w)
{
	open_level(w, "{");
}

void bz_jw_arr(bz_jw *w)
{
	open_level(w, "[");
}

void bz_jw_end(bz_jw *w)
{
	if (w->depth == 0) {
		w->oom = true; /* nothing open: a bug of the caller, never written wrong */
		return;
	}
	put(w, &w->closer[w->depth], 1);
	w->depth--;
}

/* a string's text, quoted and escaped as jansson did */
static void quoted(bz_jw *w, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	put(w, "\"", 1);
	while (p < end) {
		const unsigned char *run = p;
		while (p < end && *p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\')
			p++;
		if (p > run)
			put(w, (const char *)run, (size_t)(p - run));
		if (p == end)
			break;
		unsigned c = *p;
		if (c >= 0x80) {
			size_t len = utf8_len(p, (size_t)(end - p));
			if (!len) {
				w->bad_utf8 = true;
				return;
			}
			put(w, (const char *)p, len);
			p += len;
			continue;
		}
		char esc[8];
		switch (c) {
		case '"': put(w, "\\\"", 2); break;
		case '\\': put(w, "\\\\", 2); break;
		case '\b': put(w, "\\b", 2); break;
		case '\f': put(w, "\\f", 2); break;
		case '\n': put(w, "\\n", 2); break;
		case '\r': put(w, "\\r", 2); break;
		case '\t': put(w, "\\t", 2); break;
		default:
			snprintf(esc, sizeof esc, "\\u%04X", c);
			put(w, esc, 6);
			break;
		}
		p++;
	}
	put(w, "\"", 1);
}

void bz_jw_key(bz_jw *w, const char *key)
{
	sep(w);
	quoted(w, key, strlen(key));
	put(w, ":", 1);
	w->keyed = true;
}

void bz_jw_str(bz_jw *w, const char *s, size_t n)
{
	sep(w);
	quoted(w, s, n);
}

void bz_jw_int(bz_jw *w, int64_t v)
{
	char t[24];
	sep(w);
	int n = snprintf(t, sizeof t, "%lld", (long long)v);
	put(w, t, (size_t)n);
}

void bz_jw_null(bz_jw *w)
{
	sep(w);
	put(w, "null", 4);
}

void bz_jw_bool(bz_jw *w, bool v)
{
	sep(w);
	put(w, v ? "true" : "false", v ? 4 : 5);
}

void bz_jw_raw(bz_jw *w, const char *text, size_t n)
{
	sep(w);
	put(w, text, n);
}

void bz_jw_reset(bz_jw *w)
{
	w->n = 0;
	if (w->b)
		w->b[0] = '\0';
	w->oom = w->bad_utf8 = w->keyed = false;
	w->depth = 0;
	w->more[0] = false;
}

void bz_jw_free(bz_jw *w)
{
	bz__free(w->b);
	memset(w, 0, sizeof *w);
}
