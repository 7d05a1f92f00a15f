/*
 * rules_memo.c: what one run of the rules (a commit, or the self-inspection)
 * has read already. A run walks many records of the same few units,
 * jurisdictions and rule parameters; each subject × attribute timeline is
 * read whole once (one range scan) and every later question about it is
 * answered from memory. A run writes nothing, so nothing goes stale; the
 * memo is freed when the run ends.
 */
#include "rules.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct memo_entry {
	char *key;                     /* subject \x1f attribute; NULL: free slot */
	size_t n;                      /* facts, in (effective, event) order */
	char (*date)[BZ_DATE_LEN + 1];
	char **value;                  /* NULL values: cleared */
} memo_entry;

typedef struct series_entry {
	char *key; /* counter key \x1f from; NULL: free slot */
	bz_series s;
} series_entry;

struct bz_memo {
	memo_entry *slot;
	size_t cap, used;
	series_entry *ser; /* counter histories read this run */
	size_t scap, sused;
};

bz_memo *bz_memo_new(void) { return bz__calloc(1, sizeof(bz_memo)); }

static void entry_clear(memo_entry *e)
{
	for (size_t i = 0; i < e->n; i++)
		bz__free(e->value[i]);
	bz__free(e->value);
	bz__free(e->date);
	bz__free(e->key);
}

void bz_memo_free(bz_memo *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->cap; i++)
		if (m->slot[i].key)
			entry_clear(&m->slot[i]);
	bz__free(m->slot);
	for (size_t i = 0; i < m->scap; i++)
		if (m->ser[i].key) {
			bz__free(m->ser[i].key);
			bz_series_free(&m->ser[i].s);
		}
	bz__free(m->ser);
	bz__free(m);
}

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603u; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

static size_t find(const bz_memo *m, const char *key)
{
	size_t i = (size_t)hash(key) & (m->cap - 1);
	while (m->slot[i].key && strcmp(m->slot[i].key, key) != 0)
		i = (i + 1) & (m->cap - 1);
	return i;
}

static bool grow(bz_memo *m)
{
	size_t cap = m->cap ? m->cap * 2 : 64;
	memo_entry *ns = bz__calloc(cap, sizeof *ns);
	if (!ns)
		return false;
	bz_memo nm = {.slot = ns, .cap = cap};
	for (size_t i = 0; i < m->cap; i++)
		if (m->slot[i].key)
			ns[find(&nm, m->slot[i].key)] = m->slot[i];
	bz__free(m->slot);
	m->slot = ns; /* the counter histories stay as they are */
	m->cap = cap;
	return true;
}

/*
 * key = a sep b, cut to size as snprintf("%s%s%s") cuts it: the same bytes
 * without the formatting machinery, which the self-inspection paid several
 * times per record (issue 10).
 */
static void memo_key(char *key, size_t size, const char *a, const char *sep, const char *b)
{
	const char *parts[3] = {a, sep, b};
	size_t n = 0;
	for (int i = 0; i < 3; i++) {
		size_t len = strlen(parts[i]);
		if (len > size - 1 - n)
			len = size - 1 - n;
		memcpy(key + n, parts[i], len);
		n += len;
	}
	key[n] = '\0';
}

/* the facts of subject × attr, loaded on first use */
/* every fact of a subject, whatever its attribute, as one timeline (its values unused) */
#define ANY_ATTR "\x02any"

static int timeline(bz_rule_ctx *cx, const char *subject, const char *attr, const memo_entry **out)
{
	bz_memo *m = cx->memo;
	char key[BZ_KEY_MAX + 64];
	memo_key(key, sizeof key, subject, "\x1f", attr);
	if ((m->used + 1) * 4 > m->cap * 3 && !grow(m))
		return bz_fail(cx->l, BZ_ENOMEM, "out of memory");
	size_t i = find(m, key);
	memo_entry *e = &m->slot[i];
	if (e->key) {
		*out = e;
		return BZ_OK;
	}
	static const char sql[] =
		"SELECT effective, after FROM fact WHERE subject=?1 AND attr=?2 ORDER BY effective, event";
	static const char any_sql[] =
		"SELECT effective, NULL FROM fact WHERE subject=?1 AND ?2=?2 ORDER BY effective, event";
	bz_st *st = bz_stmt(cx->l, strcmp(attr, ANY_ATTR) == 0 ? any_sql : sql);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, subject);
	bz_bind_text(st, 2, attr);
	memo_entry ne = {0};
	size_t cap = 0;
	bool ok = true;
	int rc;
	while (ok && (rc = bz_step(st)) == SQLITE_ROW) {
		const char *d = (const char *)bz_st_column_text(st, 0);
		if (!d || strlen(d) != BZ_DATE_LEN)
			continue;
		if (ne.n == cap) {
			size_t nc = cap ? cap * 2 : 4;
			void *nd = bz__realloc(ne.date, nc * sizeof *ne.date);
			if (nd)
				ne.date = nd;
			void *nv = nd ? bz__realloc(ne.value, nc * sizeof *ne.value) : NULL;
			if (!nv) {
				ok = false;
				break;
			}
			ne.value = nv;
			cap = nc;
		}
		memcpy(ne.date[ne.n], d, BZ_DATE_LEN + 1);
		ne.value[ne.n] = bz_col_strdup(st, 1, &ok);
		ne.n++;
	}
	bz_st_reset(st);
	if (ok && !(ne.key = bz_strdup(key)))
		ok = false;
	if (!ok) {
		entry_clear(&ne);
		return bz_fail(cx->l, BZ_ENOMEM, "out of memory");
	}
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		entry_clear(&ne);
		return bz_sqlfail(cx->l, rc);
	}
	*e = ne;
	m->used++;
	*out = e;
	return BZ_OK;
}

/* the last fact of subject × attr effective on or before date (the latest recorded of a day) and its
 * index + 1 in the timeline (0: none); next (when not NULL) the date of the first fact after date, NULL
 * if none: the value holds until then */
static int fact_span(bz_rule_ctx *cx, size_t *index, const char **out, const char *subject, const char *attr,
		     const char *date, const char **next)
{
	*out = NULL;
	*index = 0;
	if (next)
		*next = NULL;
	if (!cx->memo)
		return bz_fail(cx->l, BZ_ERROR, "internal: a rules run without its memo");
	const memo_entry *e = NULL;
	int rc = timeline(cx, subject, attr, &e);
	if (rc != BZ_OK)
		return rc;
	size_t lo = 0, hi = e->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (!date || strcmp(e->date[mid], date) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*index = lo;
	*out = lo ? e->value[lo - 1] : NULL;
	if (next && lo < e->n)
		*next = e->date[lo];
	return BZ_OK;
}

int bz_rx_fact_index(bz_rule_ctx *cx, size_t *index, const char **out, const char *subject, const char *attr,
		     const char *date)
{
	return fact_span(cx, index, out, subject, attr, date, NULL);
}

int bz_rx_fact_at(bz_rule_ctx *cx, const char **out, const char *subject, const char *attr, const char *date)
{
	size_t index;
	return bz_rx_fact_index(cx, &index, out, subject, attr, date);
}

int bz_rx_subject_epoch(bz_rule_ctx *cx, size_t *index, const char *subject, const char *date)
{
	const char *unused;
	return bz_rx_fact_index(cx, index, &unused, subject, ANY_ATTR, date);
}

int bz_rx_fact_int_span(bz_rule_ctx *cx, int64_t *out, const char *subject, const char *attr, const char *date,
			int64_t dflt, const char **next)
{
	const char *v = NULL;
	size_t index;
	int rc = fact_span(cx, &index, &v, subject, attr, date, next);
	*out = v ? strtoll(v, NULL, 10) : dflt;
	return rc;
}

int bz_rx_fact_int_at(bz_rule_ctx *cx, int64_t *out, const char *subject, const char *attr, const char *date,
		      int64_t dflt)
{
	return bz_rx_fact_int_span(cx, out, subject, attr, date, dflt, NULL);
}

int bz_rx_param_int_span(bz_rule_ctx *cx, int64_t *out, const char *name, const char *date, int64_t dflt,
			 const char **next)
{
	const char *v = NULL;
	size_t index;
	int rc = fact_span(cx, &index, &v, BZ_RULES_SUBJECT, name, date, next);
	*out = dflt;
	if (rc == BZ_OK && v && *v) { /* as bz_param_int_at: a value that is not a whole number reads as the default */
		char *end = NULL;
		long long x = strtoll(v, &end, 10);
		if (end && !*end)
			*out = x;
	}
	return rc;
}

int bz_rx_param_int_at(bz_rule_ctx *cx, int64_t *out, const char *name, const char *date, int64_t dflt)
{
	return bz_rx_param_int_span(cx, out, name, date, dflt, NULL);
}

int bz_rx_unit_nature_at(bz_rule_ctx *cx, const char *unit, const char *date, int *nature)
{
	int64_t n = 0;
	int rc = bz_rx_fact_int_at(cx, &n, unit, "nature", date, 0);
	if (rc == BZ_OK && n == 0) /* before founding, or no such unit: as bz_unit_nature_at says */
		return bz_unit_nature_at(cx->l, unit, date, nature);
	*nature = (int)n;
	return rc;
}

int bz_rx_unit_name_at(bz_rule_ctx *cx, const char *unit, const char *date, char **name)
{
	*name = NULL;
	const char *v = NULL;
	int rc = bz_rx_fact_at(cx, &v, unit, "name", date);
	if (rc == BZ_OK && !v) /* before founding (its first name), or no such unit: as bz_unit_name_at says */
		return bz_unit_name_at(cx->l, unit, date, name);
	if (rc == BZ_OK && !(*name = bz_strdup(v)))
		rc = bz_fail(cx->l, BZ_ENOMEM, "out of memory");
	return rc;
}

/* a constant of the run under a key of its own (attribute names never start with \x01) */
int bz_rx_constant(bz_rule_ctx *cx, const char *subject, const char *what, const char **out, bool *known)
{
	char key[BZ_KEY_MAX + 64];
	memo_key(key, sizeof key, subject, "\x1f\x01", what);
	*known = false;
	*out = NULL;
	bz_memo *m = cx->memo;
	if (!m)
		return bz_fail(cx->l, BZ_ERROR, "internal: a rules run without its memo");
	if ((m->used + 1) * 4 > m->cap * 3 && !grow(m))
		return bz_fail(cx->l, BZ_ENOMEM, "out of memory");
	const memo_entry *e = &m->slot[find(m, key)];
	if (e->key) {
		*known = true;
		*out = e->n ? e->value[0] : NULL;
	}
	return BZ_OK;
}

int bz_rx_constant_set(bz_rule_ctx *cx, const char *subject, const char *what, const char *value)
{
	char key[BZ_KEY_MAX + 64];
	memo_key(key, sizeof key, subject, "\x1f\x01", what);
	bz_memo *m = cx->memo;
	if (!m)
		return bz_fail(cx->l, BZ_ERROR, "internal: a rules run without its memo");
	if ((m->used + 1) * 4 > m->cap * 3 && !grow(m))
		return bz_fail(cx->l, BZ_ENOMEM, "out of memory");
	memo_entry *e = &m->slot[find(m, key)];
	memo_entry ne = {0};
	ne.key = bz_strdup(key);
	ne.date = bz__calloc(1, sizeof *ne.date);
	ne.value = bz__calloc(1, sizeof *ne.value);
	bool ok = ne.key && ne.date && ne.value;
	if (ok && value) {
		ok = (ne.value[0] = bz_strdup(value)) != NULL;
		ne.n = ok ? 1 : 0;
	}
	if (!ok) {
		entry_clear(&ne);
		return bz_fail(cx->l, BZ_ENOMEM, "out of memory");
	}
	if (e->key) /* set again: the new value replaces the old */
		entry_clear(e);
	else
		m->used++;
	*e = ne;
	return BZ_OK;
}

int bz_rx_unit_division(bz_rule_ctx *cx, const char *unit, char code[8])
{
	if (!cx->memo)
		return bz_fail(cx->l, BZ_ERROR, "internal: a rules run without its memo");
	const char *v = NULL;
	bool known = false;
	int rc = bz_rx_constant(cx, unit, "division", &v, &known);
	if (rc == BZ_OK && known && v) {
		snprintf(code, 8, "%s", v);
		return BZ_OK;
	}
	if (rc == BZ_OK && (rc = bz_unit_division(cx->l, unit, code)) == BZ_OK)
		rc = bz_rx_constant_set(cx, unit, "division", code);
	return rc;
}

int bz_rx_in_chain(bz_rule_ctx *cx, const char *code, const char *ancestor, bool *yes)
{
	*yes = false;
	if (!code || !ancestor)
		return BZ_OK;
	if (!cx->memo)
		return bz_fail(cx->l, BZ_ERROR, "internal: a rules run without its memo");
	char what[64];
	snprintf(what, sizeof what, "chain:%s", ancestor);
	const char *v = NULL;
	bool known = false;
	int rc = bz_rx_constant(cx, code, what, &v, &known);
	if (rc == BZ_OK && known) {
		*yes = v != NULL;
		return BZ_OK;
	}
	if (rc == BZ_OK && (rc = bz_jurisdiction_in_chain(cx->l, code, ancestor, yes)) == BZ_OK)
		rc = bz_rx_constant_set(cx, code, what, *yes ? "1" : NULL);
	return rc;
}

/* ---- counter histories ------------------------------------------------------------- */

static size_t ser_find(const series_entry *ser, size_t cap, const char *key)
{
	size_t i = (size_t)hash(key) & (cap - 1);
	while (ser[i].key && strcmp(ser[i].key, key) != 0)
		i = (i + 1) & (cap - 1);
	return i;
}

static bool ser_grow(bz_memo *m)
{
	size_t cap = m->scap ? m->scap * 2 : 64;
	series_entry *ns = bz__calloc(cap, sizeof *ns);
	if (!ns)
		return false;
	for (size_t i = 0; i < m->scap; i++)
		if (m->ser[i].key)
			ns[ser_find(ns, cap, m->ser[i].key)] = m->ser[i];
	bz__free(m->ser);
	m->ser = ns;
	m->scap = cap;
	return true;
}

int bz_rx_series(bz_rule_ctx *cx, const bz_series **out, const char *key, const char *from)
{
	*out = NULL;
	bz_memo *m = cx->memo;
	if (!m)
		return bz_fail(cx->l, BZ_ERROR, "internal: a rules run without its memo");
	char k[BZ_KEY_MAX + BZ_DATE_LEN + 2];
	snprintf(k, sizeof k, "%s\x1f%s", key, from);
	if ((m->sused + 1) * 4 > m->scap * 3 && !ser_grow(m))
		return bz_fail(cx->l, BZ_ENOMEM, "out of memory");
	series_entry *e = &m->ser[ser_find(m->ser, m->scap, k)];
	if (!e->key) {
		bz_series s = {0};
		int rc = bz_series_load(cx->l, &s, key, from, cx->until);
		if (rc == BZ_OK && !(e->key = bz_strdup(k)))
			rc = bz_fail(cx->l, BZ_ENOMEM, "out of memory");
		if (rc != BZ_OK) {
			bz_series_free(&s);
			return rc;
		}
		e->s = s;
		m->sused++;
	}
	*out = &e->s;
	return BZ_OK;
}
