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

/* one more fact (date, the value in column col) at the end of ne's timeline; false: out of memory */
static bool entry_push(memo_entry *ne, size_t *cap, const char *d, bz_st *st, int col)
{
	if (ne->n == *cap) {
		size_t nc = *cap ? *cap * 2 : 4;
		void *nd = bz__realloc(ne->date, nc * sizeof *ne->date);
		if (!nd)
			return false;
		ne->date = nd;
		void *nv = bz__realloc(ne->value, nc * sizeof *ne->value);
		if (!nv)
			return false;
		ne->value = nv;
		*cap = nc;
	}
	bool ok = true;
	memcpy(ne->date[ne->n], d, BZ_DATE_LEN + 1);
	ne->value[ne->n] = bz_col_strdup(st, col, &ok);
	ne->n++;
	return ok;
}

/* ne (its key set) into the memo, which owns it from now on, or dropped if its key is there already
 * (read earlier in the run: the same facts, since a run writes nothing); false: out of memory */
static bool entry_put(bz_memo *m, memo_entry *ne)
{
	if ((m->used + 1) * 4 > m->cap * 3 && !grow(m)) {
		entry_clear(ne);
		return false;
	}
	memo_entry *e = &m->slot[find(m, ne->key)];
	if (e->key) {
		entry_clear(ne);
	} else {
		*e = *ne;
		m->used++;
	}
	memset(ne, 0, sizeof *ne);
	return true;
}

/* an empty timeline under subject × attr unless one is there */
static bool entry_put_empty(bz_memo *m, const char *subject, const char *attr)
{
	char key[BZ_KEY_MAX + 64];
	memo_key(key, sizeof key, subject, "\x1f", attr);
	memo_entry ne = {0};
	if (!(ne.key = bz_strdup(key)))
		return false;
	return entry_put(m, &ne);
}

/*
 * What one statement reads with subject × attr (issue 10: a one-hire commit
 * asked the rules' subject for five parameters and the unit for its nature
 * and its rank, one statement each):
 *  - the rules' subject: every fact of it (the parameters' histories, a few
 *    rows), once per run; a parameter it has no fact of is then known to
 *    have none, unread;
 *  - a nature or a rank: both, since the rules that ask one of a unit ask
 *    the other (R6's judgment, R1's and R2's nature and rank);
 *  - any other attribute alone, as before.
 * Each timeline holds the same facts in the same (effective, event) order as
 * the one-attribute statement reads.
 */
enum { LOAD_ONE, LOAD_NATURE_RANK, LOAD_SUBJECT };
#define WHOLE_MARK "whole" /* a bz_rx_constant: the subject's every fact is in the memo */

static int timeline_load(bz_rule_ctx *cx, const char *subject, const char *attr, int how)
{
	static const char sql[] =
		"SELECT effective, after FROM fact WHERE subject=?1 AND attr=?2 ORDER BY effective, event";
	static const char any_sql[] =
		"SELECT effective, NULL FROM fact WHERE subject=?1 AND ?2=?2 ORDER BY effective, event";
	/* a range, not IN ('nature', 'rank'): SQLite builds an ephemeral index for an IN list on every run
	 * (measured with callgrind: the IN cost more than the two statements it replaced); the attributes
	 * between the two ('parent', …) are skipped */
	static const char pair_sql[] = "SELECT attr, effective, after FROM fact WHERE subject=?1"
				       " AND attr>='nature' AND attr<='rank' ORDER BY attr, effective, event";
	static const char whole_sql[] =
		"SELECT attr, effective, after FROM fact WHERE subject=?1 ORDER BY attr, effective, event";
	bz_memo *m = cx->memo;
	bz_st *st = bz_stmt(cx->l, how == LOAD_SUBJECT	       ? whole_sql
				   : how == LOAD_NATURE_RANK ? pair_sql
				   : strcmp(attr, ANY_ATTR) == 0 ? any_sql
								 : sql);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, subject);
	if (how == LOAD_ONE)
		bz_bind_text(st, 2, attr);
	int col = how == LOAD_ONE ? 0 : 1; /* the date's column; the attribute's is 0 when read */
	memo_entry ne = {0};
	size_t cap = 0;
	char key[BZ_KEY_MAX + 64];
	bool ok = true;
	int rc = SQLITE_DONE;
	if (how == LOAD_ONE) {
		memo_key(key, sizeof key, subject, "\x1f", attr);
		ok = (ne.key = bz_strdup(key)) != NULL;
	}
	while (ok && (rc = bz_step(st)) == SQLITE_ROW) {
		if (how != LOAD_ONE) { /* rows come attribute by attribute (ORDER BY attr): a new one starts a timeline */
			const char *a = (const char *)bz_st_column_text(st, 0);
			if (how == LOAD_NATURE_RANK && (!a || (strcmp(a, "nature") != 0 && strcmp(a, "rank") != 0)))
				continue;
			memo_key(key, sizeof key, subject, "\x1f", a ? a : "");
			if (!ne.key || strcmp(ne.key, key) != 0) {
				if (ne.key && !(ok = entry_put(m, &ne)))
					break;
				cap = 0;
				if (!(ok = (ne.key = bz_strdup(key)) != NULL))
					break;
			}
		}
		const char *d = (const char *)bz_st_column_text(st, col);
		if (!d || strlen(d) != BZ_DATE_LEN)
			continue;
		ok = entry_push(&ne, &cap, d, st, col + 1);
	}
	bz_st_reset(st);
	if (ok && ne.key)
		ok = entry_put(m, &ne);
	entry_clear(&ne); /* what a failure left */
	if (!ok)
		return bz_fail(cx->l, BZ_ENOMEM, "out of memory");
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return bz_sqlfail(cx->l, rc);
	/* the attributes read with no fact: known empty */
	if (how == LOAD_NATURE_RANK)
		ok = entry_put_empty(m, subject, "nature") && entry_put_empty(m, subject, "rank");
	else if (how == LOAD_SUBJECT)
		ok = entry_put_empty(m, subject, attr);
	if (!ok)
		return bz_fail(cx->l, BZ_ENOMEM, "out of memory");
	return how == LOAD_SUBJECT ? bz_rx_constant_set(cx, subject, WHOLE_MARK, "1") : BZ_OK;
}

static int timeline(bz_rule_ctx *cx, const char *subject, const char *attr, const memo_entry **out)
{
	bz_memo *m = cx->memo;
	char key[BZ_KEY_MAX + 64];
	memo_key(key, sizeof key, subject, "\x1f", attr);
	if ((m->used + 1) * 4 > m->cap * 3 && !grow(m))
		return bz_fail(cx->l, BZ_ENOMEM, "out of memory");
	memo_entry *e = &m->slot[find(m, key)];
	if (e->key) {
		*out = e;
		return BZ_OK;
	}
	int how = LOAD_ONE, rc;
	if (strcmp(attr, ANY_ATTR) == 0)
		how = LOAD_ONE;
	else if (strcmp(subject, BZ_RULES_SUBJECT) == 0)
		how = LOAD_SUBJECT;
	else if (strcmp(attr, "nature") == 0 || strcmp(attr, "rank") == 0)
		how = LOAD_NATURE_RANK;
	if (how == LOAD_SUBJECT) {
		const char *v;
		bool whole = false;
		if ((rc = bz_rx_constant(cx, subject, WHOLE_MARK, &v, &whole)) != BZ_OK)
			return rc;
		if (whole) { /* every fact of the subject was read: it has none of attr */
			if (!entry_put_empty(m, subject, attr))
				return bz_fail(cx->l, BZ_ENOMEM, "out of memory");
			how = -1;
		}
	}
	if (how >= 0 && (rc = timeline_load(cx, subject, attr, how)) != BZ_OK)
		return rc;
	e = &m->slot[find(m, key)]; /* the loads may have grown the table */
	if (!e->key)
		return bz_fail(cx->l, BZ_ERROR, "internal: a timeline loaded but not kept");
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

int bz_rx_fact_dates(bz_rule_ctx *cx, const char *subject, const char *attr, const char *from, const char *until,
		     int (*add)(bz_ledger *, void *, const char *), void *ds)
{
	if (!cx->memo)
		return bz_fail(cx->l, BZ_ERROR, "internal: a rules run without its memo");
	const memo_entry *e = NULL;
	int rc = timeline(cx, subject, attr, &e);
	for (size_t i = 0; rc == BZ_OK && i < e->n; i++) {
		const char *d = e->date[i];
		if (strcmp(d, from) < 0 || (until && strcmp(d, until) > 0) || (i > 0 && strcmp(d, e->date[i - 1]) == 0))
			continue;
		rc = add(cx->l, ds, d);
	}
	return rc;
}

int bz_rx_fact_first_of(bz_rule_ctx *cx, char from[BZ_DATE_LEN + 1], const char *subject, const char *attr,
			const char *const *values)
{
	from[0] = '\0';
	if (!cx->memo)
		return bz_fail(cx->l, BZ_ERROR, "internal: a rules run without its memo");
	const memo_entry *e = NULL;
	int rc = timeline(cx, subject, attr, &e);
	for (size_t i = 0; rc == BZ_OK && i < e->n && !from[0]; i++)
		for (const char *const *v = values; e->value[i] && *v; v++)
			if (strcmp(e->value[i], *v) == 0) {
				memcpy(from, e->date[i], BZ_DATE_LEN + 1);
				break;
			}
	return rc;
}

int bz_rx_jurisdiction_label(bz_rule_ctx *cx, const char *id, char **label)
{
	*label = NULL;
	const char *v = NULL;
	bool known = false;
	int rc = bz_rx_constant(cx, id, "label", &v, &known);
	if (rc == BZ_OK && known)
		return !v || (*label = bz_strdup(v)) ? BZ_OK : bz_fail(cx->l, BZ_ENOMEM, "out of memory");
	if (rc == BZ_OK && (rc = bz_jurisdiction_info(cx->l, id, NULL, label)) == BZ_OK)
		rc = bz_rx_constant_set(cx, id, "label", *label);
	return rc;
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
