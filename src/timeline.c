/*
 * timeline.c: reading attribute timelines (fact rows) and keeping the
 * derived counter timelines (tl rows).
 */
#include "internal.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* date NULL means "the latest": '9999-12-31' compares after every real date */
#define END_OF_TIME "9999-12-31"

int bz_fact_at(bz_ledger *l, char **out, const char *subject, const char *attr, const char *date)
{
	static const char sql[] =
		"SELECT after FROM fact WHERE subject=?1 AND attr=?2 AND effective<=?3"
		" ORDER BY effective DESC, event DESC LIMIT 1";
	*out = NULL;
	bz_st *st = bz_stmt(l, sql);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, subject);
	bz_bind_text(st, 2, attr);
	bz_bind_text(st, 3, date ? date : END_OF_TIME);
	int rc = bz_step(st);
	int code = BZ_OK;
	if (rc == SQLITE_ROW) {
		bool ok = true;
		*out = bz_col_strdup(st, 0, &ok);
		if (!ok)
			code = bz_fail(l, BZ_ENOMEM, "out of memory");
	} else if (rc != SQLITE_DONE) {
		code = bz_sqlfail(l, rc);
	}
	bz_st_reset(st);
	return code;
}

int bz_fact_int_at(bz_ledger *l, int64_t *out, const char *subject, const char *attr,
		   const char *date, int64_t dflt)
{
	char *s = NULL;
	int code = bz_fact_at(l, &s, subject, attr, date);
	*out = s ? strtoll(s, NULL, 10) : dflt;
	bz__free(s);
	return code;
}

int bz_fact_next(bz_ledger *l, char buf[BZ_DATE_LEN + 1], bool *found, const char *subject,
		 const char *attr, const char *date)
{
	static const char sql[] =
		"SELECT min(effective) FROM fact WHERE subject=?1 AND attr=?2 AND effective>?3";
	*found = false;
	bz_st *st = bz_stmt(l, sql);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, subject);
	bz_bind_text(st, 2, attr);
	bz_bind_text(st, 3, date);
	int rc = bz_step(st);
	int code = BZ_OK;
	if (rc == SQLITE_ROW && bz_st_column_type(st, 0) != SQLITE_NULL) {
		const char *d = (const char *)bz_st_column_text(st, 0);
		if (d && strlen(d) == BZ_DATE_LEN) {
			memcpy(buf, d, BZ_DATE_LEN + 1);
			*found = true;
		}
	} else if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		code = bz_sqlfail(l, rc);
	}
	bz_st_reset(st);
	return code;
}


/* the value at date, from the table as written (no sync: the writers use it) */
static int tl_at_written(bz_ledger *l, int64_t *out, const char *key, const char *date)
{
	static const char sql[] =
		"SELECT value FROM tl WHERE counter=(SELECT id FROM counter WHERE key=?1) AND effective<=?2"
		" ORDER BY effective DESC LIMIT 1";
	*out = 0;
	bz_st *st = bz_stmt(l, sql);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, key);
	bz_bind_text(st, 2, date ? date : END_OF_TIME);
	int rc = bz_step(st);
	int code = BZ_OK;
	if (rc == SQLITE_ROW)
		*out = bz_st_column_int64(st, 0);
	else if (rc != SQLITE_DONE)
		code = bz_sqlfail(l, rc);
	bz_st_reset(st);
	return code;
}

static const bz_tl_known *known_get(const bz_ledger *l, const char *key);
static bool known_from(const bz_tl_known *k, const char *from, size_t *start);

int bz_tl_at(bz_ledger *l, int64_t *out, const char *key, const char *date)
{
	*out = 0;
	int code = bz_tl_sync(l);
	if (code != BZ_OK)
		return code;
	/* a series the sync has just written: its value at date without reading it back */
	const bz_tl_known *k = known_get(l, key);
	size_t at = 0;
	if (k && known_from(k, date ? date : END_OF_TIME, &at)) {
		*out = at < k->n && strcmp(k->date[at], date ? date : END_OF_TIME) <= 0 ? k->value[at] : 0;
		return BZ_OK;
	}
	return tl_at_written(l, out, key, date);
}

/* make sure the step function has a breakpoint at date (value unchanged): one statement */
static int tl_breakpoint(bz_ledger *l, const char *key, const char *date)
{
	static const char sql[] =
		"INSERT OR IGNORE INTO tl(counter, effective, value)"
		" SELECT c.id, ?2, COALESCE((SELECT t.value FROM tl t WHERE t.counter=c.id AND t.effective<=?2"
		"  ORDER BY t.effective DESC LIMIT 1), 0) FROM counter c WHERE c.key=?1";
	bz_st *st = bz_stmt(l, sql);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, key);
	bz_bind_text(st, 2, date);
	return bz_step_done(l, st);
}

/* write delta over [from, to) into the table */
static int tl_write(bz_ledger *l, const char *key, const char *from, const char *to, int64_t delta)
{
	/* the counter's number, given on its first breakpoint */
	static const char key_sql[] = "INSERT OR IGNORE INTO counter(key) VALUES(?1)";
	bz_st *st = bz_stmt(l, key_sql);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, key);
	int code = bz_step_done(l, st);
	if (code == BZ_OK)
		code = tl_breakpoint(l, key, from);
	if (code == BZ_OK && to)
		code = tl_breakpoint(l, key, to);
	if (code != BZ_OK)
		return code;
	static const char sql[] =
		"UPDATE tl SET value=value+?4 WHERE counter=(SELECT id FROM counter WHERE key=?1)"
		" AND effective>=?2 AND effective<?3";
	st = bz_stmt(l, sql);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, key);
	bz_bind_text(st, 2, from);
	bz_bind_text(st, 3, to ? to : END_OF_TIME "~");
	bz_st_bind_int64(st, 4, delta);
	return bz_step_done(l, st);
}

/* ---- series the last sync wrote (bz_tl_known) ----------------------------------------- */

static uint64_t key_hash(const char *key)
{
	uint64_t h = 1469598103934665603u; /* FNV-1a */
	for (const char *p = key; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211u;
	return h;
}

static size_t known_slot(const bz_tl_known *k, size_t cap, const char *key)
{
	size_t i = (size_t)key_hash(key) & (cap - 1);
	while (k[i].key && strcmp(k[i].key, key) != 0)
		i = (i + 1) & (cap - 1);
	return i;
}

/* forget every known series: before a sync writes, when it fails, when a change fails, at the end */
static void known_clear(bz_tl_pending *p)
{
	for (size_t i = 0; i < p->kcap; i++) {
		bz__free(p->known[i].key);
		bz__free(p->known[i].date);
		bz__free(p->known[i].value);
	}
	bz__free(p->known);
	p->known = NULL;
	p->kcap = p->kn = 0;
}

/* the known series of key, or NULL */
static const bz_tl_known *known_get(const bz_ledger *l, const char *key)
{
	const bz_txn *t = l->txn;
	if (!t || !t->open || !t->tl.kn)
		return NULL;
	const bz_tl_known *k = &t->tl.known[known_slot(t->tl.known, t->tl.kcap, key)];
	return k->key ? k : NULL;
}

/* keep key's series (its arrays taken over, freed if it cannot be kept: then it is read back) */
static void known_put(bz_tl_pending *p, const char *key, const char *base, size_t n, char (*date)[BZ_DATE_LEN + 1],
		      int64_t *value)
{
	if ((p->kn + 1) * 4 > p->kcap * 3) {
		size_t cap = p->kcap ? p->kcap * 2 : 16;
		bz_tl_known *nk = bz__calloc(cap, sizeof *nk);
		if (!nk)
			goto drop;
		for (size_t i = 0; i < p->kcap; i++)
			if (p->known[i].key)
				nk[known_slot(nk, cap, p->known[i].key)] = p->known[i];
		bz__free(p->known);
		p->known = nk;
		p->kcap = cap;
	}
	bz_tl_known *k = &p->known[known_slot(p->known, p->kcap, key)];
	if (k->key) /* one sync writes a key once */
		goto drop;
	if (!(k->key = bz_strdup(key)))
		goto drop;
	size_t bl = strlen(base); /* a date, or "" for the whole series */
	if (bl > BZ_DATE_LEN)
		bl = BZ_DATE_LEN;
	memcpy(k->base, base, bl);
	k->base[bl] = '\0';
	k->n = n;
	k->date = date;
	k->value = value;
	p->kn++;
	return;
drop:
	bz__free(date);
	bz__free(value);
}

/*
 * Whether the known series of key answers a reading from `from` (the
 * breakpoint in force on that day and every one after it): when it holds
 * that breakpoint, or the whole series. *start: its index (0 when none is
 * in force).
 */
static bool known_from(const bz_tl_known *k, const char *from, size_t *start)
{
	if (k->base[0] && strcmp(from, k->base) < 0)
		return false;
	size_t i = 0;
	while (i < k->n && strcmp(k->date[i], from) <= 0)
		i++;
	*start = i ? i - 1 : 0;
	return true;
}

/* ---- pending steps of a transaction --------------------------------------------------- */

static uint64_t step_hash(const char *key, const char *date)
{
	uint64_t h = 1469598103934665603u; /* FNV-1a */
	for (const char *p = key; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211u;
	for (const char *p = date; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211u;
	return h;
}

/* the slot of (key, date): found, or the free slot where it goes */
static size_t step_slot(const bz_tl_pending *p, const char *key, const char *date)
{
	size_t i = (size_t)step_hash(key, date) & (p->cap - 1);
	while (p->slot[i].key && (strcmp(p->slot[i].key, key) != 0 || strcmp(p->slot[i].date, date) != 0))
		i = (i + 1) & (p->cap - 1);
	return i;
}

static bool pending_grow(bz_tl_pending *p)
{
	size_t cap = p->cap ? p->cap * 2 : 64;
	bz_tl_step *ns = bz__calloc(cap, sizeof *ns);
	if (!ns)
		return false;
	bz_tl_pending np = {.slot = ns, .cap = cap};
	size_t *moved = p->nundo ? bz__malloc(p->cap * sizeof *moved) : NULL;
	if (p->nundo && !moved) {
		bz__free(ns);
		return false;
	}
	for (size_t i = 0; i < p->cap; i++) {
		if (!p->slot[i].key)
			continue;
		size_t j = step_slot(&np, p->slot[i].key, p->slot[i].date);
		np.slot[j] = p->slot[i];
		if (moved)
			moved[i] = j;
	}
	for (size_t u = 0; u < p->nundo; u++)
		p->undo[u].slot = moved[p->undo[u].slot];
	bz__free(moved);
	bz__free(p->slot);
	p->slot = ns;
	p->cap = cap;
	return true;
}

/* add delta to the step of key at date, remembering it for a failed change */
static int pending_add(bz_txn *t, const char *key, const char *date, int64_t delta)
{
	bz_tl_pending *p = &t->tl;
	if ((p->n + 1) * 4 > p->cap * 3 && !pending_grow(p))
		return bz_fail(t->l, BZ_ENOMEM, "out of memory");
	if (p->nundo == p->capundo) {
		size_t cap = p->capundo ? p->capundo * 2 : 64;
		bz_tl_undo *nu = bz__realloc(p->undo, cap * sizeof *nu);
		if (!nu)
			return bz_fail(t->l, BZ_ENOMEM, "out of memory");
		p->undo = nu;
		p->capundo = cap;
	}
	size_t i = step_slot(p, key, date);
	if (!p->slot[i].key) {
		if (!(p->slot[i].key = bz_strdup(key)))
			return bz_fail(t->l, BZ_ENOMEM, "out of memory");
		memcpy(p->slot[i].date, date, BZ_DATE_LEN + 1);
		p->slot[i].delta = 0;
		p->n++;
	}
	p->slot[i].delta += delta;
	p->undo[p->nundo++] = (bz_tl_undo){.slot = i, .delta = delta};
	return BZ_OK;
}

int bz_tl_add(bz_ledger *l, const char *key, const char *from, const char *to, int64_t delta)
{
	if (delta == 0 || (to && strcmp(to, from) <= 0))
		return BZ_OK;
	bz_txn *t = l->txn;
	if (!t || !t->open)
		return tl_write(l, key, from, to, delta);
	int code = pending_add(t, key, from, delta);
	if (code == BZ_OK && to)
		code = pending_add(t, key, to, -delta);
	return code;
}

int bz_tl_change_begin(bz_txn *t)
{
	bz_tl_pending *p = &t->tl;
	if (p->depth == BZ_TL_MAX_NESTING)
		return bz_fail(t->l, BZ_ERROR, "internal: changes nested too deep");
	p->mark[p->depth++] = p->nundo;
	return BZ_OK;
}

void bz_tl_change_end(bz_txn *t, bool ok)
{
	bz_tl_pending *p = &t->tl;
	if (p->depth == 0)
		return;
	size_t mark = p->mark[--p->depth];
	if (!ok) { /* zero steps left behind are skipped when written */
		while (p->nundo > mark) {
			const bz_tl_undo *u = &p->undo[--p->nundo];
			p->slot[u->slot].delta -= u->delta;
		}
		/* a change never writes a counter (it cannot sync), but after a failure every series is read back */
		known_clear(p);
	}
	if (p->depth == 0)
		p->nundo = 0; /* the outermost change stands: nothing left to take back */
}

/* forget the pending steps (written, or the transaction ends) */
static void steps_clear(bz_tl_pending *p)
{
	for (size_t i = 0; i < p->cap; i++)
		bz__free(p->slot[i].key);
	bz__free(p->slot);
	bz__free(p->undo);
	bz_tl_known *known = p->known;
	size_t kcap = p->kcap, kn = p->kn;
	memset(p, 0, sizeof *p);
	p->known = known;
	p->kcap = kcap;
	p->kn = kn;
}

void bz_tl_pending_clear(bz_tl_pending *p)
{
	steps_clear(p);
	known_clear(p);
}

static int step_cmp(const void *a, const void *b)
{
	const bz_tl_step *x = *(const bz_tl_step *const *)a, *y = *(const bz_tl_step *const *)b;
	int c = strcmp(x->key, y->key);
	return c ? c : strcmp(x->date, y->date);
}

/* the breakpoints a sync reads before it writes (see tl_key_sync) */
typedef struct tail_rows {
	size_t n, cap;
	char (*date)[BZ_DATE_LEN + 1];
	int64_t *value;
} tail_rows;

static bool tail_push(tail_rows *r, const char *date, int64_t value)
{
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 8;
		void *nd = bz__realloc(r->date, cap * sizeof *r->date);
		if (!nd)
			return false;
		r->date = nd;
		void *nv = bz__realloc(r->value, cap * sizeof *r->value);
		if (!nv)
			return false;
		r->value = nv;
		r->cap = cap;
	}
	memcpy(r->date[r->n], date, BZ_DATE_LEN + 1);
	r->value[r->n++] = value;
	return true;
}

static void tail_free(tail_rows *r)
{
	bz__free(r->date);
	bz__free(r->value);
	memset(r, 0, sizeof *r);
}

/*
 * One key's pending steps, sorted by date, written in one go. Segment j is
 * [date j, date j+1) and adds the running sum of the steps up to j; a
 * breakpoint is needed at a step's date when its segment or the one before
 * it adds anything (the old value is kept from there on). The counter's
 * number and its breakpoints from the one in force the day before the
 * first step are read once (one statement: a counter's last few); when no
 * breakpoint lies after the first step (the common case, a change dated on
 * or after the counter's last change) the values are known and each
 * breakpoint is one plain write — and the series from that day on is then
 * known as written (bz_tl_known): the rules at commit, which read it from
 * the day before their first date, get it without reading it back.
 * Otherwise every breakpoint is made first (each holding the value before
 * this sync) and each segment is one UPDATE of its range, by the counter's
 * number.
 */
static int tl_key_sync(bz_ledger *l, bz_tl_step *const *v, size_t n)
{
	static const char head_sql[] =
		"SELECT c.id, t.effective, t.value FROM counter c LEFT JOIN tl t ON t.counter=c.id"
		" AND t.effective>=COALESCE((SELECT max(p.effective) FROM tl p WHERE p.counter=c.id AND p.effective<=?2), '')"
		" WHERE c.key=?1 ORDER BY t.effective";
	const char *key = v[0]->key;
	int64_t id = 0, last_value = 0;
	char last[BZ_DATE_LEN + 1] = "", eve[BZ_DATE_LEN + 1];
	bz_date_add_days(eve, v[0]->date, -1);
	tail_rows rows = {0};
	bool found = false, whole = true; /* whole: every row read is a date (else nothing is known) */
	int code = BZ_OK;
	for (int pass = 0; pass < 2 && !found && code == BZ_OK; pass++) {
		if (pass == 1) { /* the counter's first breakpoint: its number first */
			static const char key_sql[] = "INSERT OR IGNORE INTO counter(key) VALUES(?1)";
			bz_st *ks = bz_stmt(l, key_sql);
			if (!ks)
				return bz_stmt_err();
			bz_bind_text(ks, 1, key);
			if ((code = bz_step_done(l, ks)) != BZ_OK)
				return code;
		}
		bz_st *st = bz_stmt(l, head_sql);
		if (!st)
			return bz_stmt_err();
		bz_bind_text(st, 1, key);
		bz_bind_text(st, 2, eve);
		int rc;
		while ((rc = bz_step(st)) == SQLITE_ROW) {
			found = true;
			id = bz_st_column_int64(st, 0);
			if (bz_st_column_type(st, 1) == SQLITE_NULL)
				continue;
			const char *d = (const char *)bz_st_column_text(st, 1);
			snprintf(last, sizeof last, "%s", d ? d : "");
			last_value = bz_st_column_int64(st, 2);
			if (!d || strlen(d) != BZ_DATE_LEN)
				whole = false;
			else if (whole && !tail_push(&rows, d, last_value))
				code = bz_fail(l, BZ_ENOMEM, "out of memory");
		}
		if (code == BZ_OK && rc != SQLITE_DONE)
			code = bz_sqlfail(l, rc);
		bz_st_reset(st);
	}
	if (code == BZ_OK && !found)
		code = bz_fail(l, BZ_ERROR, "internal: counter %s has no number", key);
	if (code != BZ_OK) {
		tail_free(&rows);
		return code;
	}
	int64_t sum = 0, before = 0; /* the running sum of this segment and of the one before */
	if (!last[0] || strcmp(last, v[0]->date) <= 0) {
		/* nothing after the first step: each breakpoint's value is the last value plus the running sum */
		static const char ins_sql[] = "INSERT INTO tl(counter, effective, value) VALUES(?1,?2,?3)";
		static const char at_sql[] = "UPDATE tl SET value=value+?3 WHERE counter=?1 AND effective=?2";
		for (size_t j = 0; j < n && code == BZ_OK; j++, before = sum) {
			sum += v[j]->delta;
			if (sum == 0 && before == 0)
				continue;
			bool on_last = strcmp(v[j]->date, last) == 0; /* only the first step can be */
			if (on_last && sum == 0)
				continue;
			bz_st *st = bz_stmt(l, on_last ? at_sql : ins_sql);
			if (!st) {
				tail_free(&rows);
				return bz_stmt_err();
			}
			bz_st_bind_int64(st, 1, id);
			bz_bind_text(st, 2, v[j]->date);
			bz_st_bind_int64(st, 3, on_last ? sum : last_value + sum);
			code = bz_step_done(l, st);
			/* the series as written: the last breakpoint raised, or a new one after it */
			if (code == BZ_OK && whole) {
				if (on_last && rows.n && strcmp(rows.date[rows.n - 1], last) == 0)
					rows.value[rows.n - 1] += sum;
				else if (on_last || !tail_push(&rows, v[j]->date, last_value + sum))
					whole = false;
			}
		}
		/* from the breakpoint in force the day before the first step (none: the whole series) */
		if (code == BZ_OK && whole && l->txn)
			known_put(&l->txn->tl, key, rows.n && strcmp(rows.date[0], eve) <= 0 ? rows.date[0] : "", rows.n,
				  rows.date, rows.value);
		else
			tail_free(&rows);
		return code;
	}
	/*
	 * The series as this path leaves it, worked out from the rows read (every
	 * breakpoint from the one in force the day before the first step on):
	 * a breakpoint made at each step date that needs one, holding the value
	 * in force there, then each segment's running sum added over its range.
	 * A breakpoint the rows already hold is not made again (the INSERT OR
	 * IGNORE would do nothing).
	 */
	tail_rows after = {0};
	bool *have = NULL; /* have[j]: the step's date is a breakpoint already */
	if (whole && !(have = bz__calloc(n, sizeof *have)))
		whole = false;
	for (size_t i = 0, j = 0; whole && (i < rows.n || j < n);) {
		bool need = false;
		if (j < n) {
			int64_t prev_sum = sum;
			sum += v[j]->delta;
			need = sum != 0 || prev_sum != 0;
		}
		const char *d = j < n ? v[j]->date : NULL;
		for (; whole && i < rows.n && (!d || strcmp(rows.date[i], d) < 0); i++)
			whole = tail_push(&after, rows.date[i], rows.value[i]);
		if (!d)
			break;
		if (i < rows.n && strcmp(rows.date[i], d) == 0) {
			have[j] = true;
			whole = whole && tail_push(&after, rows.date[i], rows.value[i]);
			i++;
		} else if (need) {
			whole = whole && tail_push(&after, d, after.n ? after.value[after.n - 1] : 0);
		}
		j++;
	}
	sum = 0;
	for (size_t j = 0, i = 0; whole && j < n; j++) {
		sum += v[j]->delta;
		const char *to = j + 1 < n ? v[j + 1]->date : NULL;
		while (i < after.n && strcmp(after.date[i], v[j]->date) < 0)
			i++;
		for (; i < after.n && (!to || strcmp(after.date[i], to) < 0); i++)
			after.value[i] += sum;
	}
	tail_free(&rows);
	if (!whole) {
		tail_free(&after);
		bz__free(have);
		have = NULL;
	}
	sum = 0;
	before = 0;
	static const char bp_sql[] =
		"INSERT OR IGNORE INTO tl(counter, effective, value)"
		" SELECT c.id, ?2, COALESCE((SELECT t.value FROM tl t WHERE t.counter=c.id AND t.effective<=?2"
		"  ORDER BY t.effective DESC LIMIT 1), 0) FROM counter c WHERE c.id=?1"; /* typed by its column (PostgreSQL) */
	for (size_t j = 0; j < n && code == BZ_OK; j++, before = sum) {
		sum += v[j]->delta;
		if ((sum == 0 && before == 0) || (have && have[j]))
			continue;
		bz_st *st = bz_stmt(l, bp_sql);
		if (!st) {
			code = bz_stmt_err();
			break;
		}
		bz_st_bind_int64(st, 1, id);
		bz_bind_text(st, 2, v[j]->date);
		code = bz_step_done(l, st);
	}
	static const char up_sql[] = "UPDATE tl SET value=value+?4 WHERE counter=?1 AND effective>=?2 AND effective<?3";
	sum = 0;
	for (size_t j = 0; j < n && code == BZ_OK; j++) {
		sum += v[j]->delta;
		if (sum == 0)
			continue;
		bz_st *st = bz_stmt(l, up_sql);
		if (!st) {
			code = bz_stmt_err();
			break;
		}
		bz_st_bind_int64(st, 1, id);
		bz_bind_text(st, 2, v[j]->date);
		bz_bind_text(st, 3, j + 1 < n ? v[j + 1]->date : END_OF_TIME "~");
		bz_st_bind_int64(st, 4, sum);
		code = bz_step_done(l, st);
	}
	bz__free(have);
	if (code == BZ_OK && whole && l->txn)
		known_put(&l->txn->tl, key, after.n && strcmp(after.date[0], eve) <= 0 ? after.date[0] : "", after.n,
			  after.date, after.value);
	else
		tail_free(&after);
	return code;
}

int bz_tl_sync(bz_ledger *l)
{
	bz_txn *t = l->txn;
	if (!t || !t->open || t->tl.n == 0)
		return BZ_OK;
	if (t->tl.depth > 0) /* a change must not read counters it is still writing */
		return bz_fail(l, BZ_ERROR, "internal: counters read inside a change");
	bz_tl_pending *p = &t->tl;
	bz_tl_step **v = bz__malloc(p->n * sizeof *v);
	if (!v)
		return bz_fail(l, BZ_ENOMEM, "out of memory");
	size_t n = 0;
	for (size_t i = 0; i < p->cap; i++)
		if (p->slot[i].key)
			v[n++] = &p->slot[i];
	qsort(v, n, sizeof *v, step_cmp);
	known_clear(p); /* what the last sync knew is about to change */
	int code = bz_exec(l, "SAVEPOINT bz_tl_sync");
	for (size_t i = 0; code == BZ_OK && i < n;) {
		size_t j = i + 1, live = v[i]->delta != 0;
		for (; j < n && strcmp(v[j]->key, v[i]->key) == 0; j++)
			live += v[j]->delta != 0;
		if (live) /* a key whose every step was taken back writes nothing */
			code = tl_key_sync(l, v + i, j - i);
		i = j;
	}
	bz__free(v);
	if (code != BZ_OK) {
		known_clear(p);
		bz_undo(l, BZ_KEPT_TL_SYNC); /* the message kept */
		return code; /* the steps stay pending */
	}
	if ((code = bz_exec(l, "RELEASE bz_tl_sync")) != BZ_OK) {
		known_clear(p);
		return code;
	}
	steps_clear(p);
	return BZ_OK;
}

/* one breakpoint appended to s, its arrays grown as needed; false when out of memory */
static bool series_push(bz_series *s, const char *date, int64_t value)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		void *nd = bz__realloc(s->date, cap * sizeof *s->date);
		if (nd)
			s->date = nd;
		void *nv = nd ? bz__realloc(s->value, cap * sizeof *s->value) : NULL;
		if (!nv)
			return false;
		s->value = nv;
		s->cap = cap;
	}
	memcpy(s->date[s->n], date, BZ_DATE_LEN + 1);
	s->value[s->n++] = value;
	return true;
}

int bz_series_load(bz_ledger *l, bz_series *s, const char *key, const char *from, const char *until)
{
	static const char sql[] =
		"SELECT t.effective, t.value FROM counter c JOIN tl t ON t.counter=c.id WHERE c.key=?1"
		" AND t.effective>=COALESCE((SELECT max(effective) FROM tl WHERE counter=c.id AND effective<=?2), '')"
		" AND t.effective<=?3 ORDER BY t.effective"; /* the key looked up once, not once per range end */
	s->n = 0;
	int code = bz_tl_sync(l);
	if (code != BZ_OK)
		return code;
	const bz_tl_known *k = known_get(l, key);
	size_t start = 0;
	if (k && known_from(k, from, &start)) { /* as the sync wrote it: the same rows the statement reads */
		const char *end = until ? until : END_OF_TIME;
		for (size_t i = start; i < k->n && strcmp(k->date[i], end) <= 0; i++) {
			if (!series_push(s, k->date[i], k->value[i]))
				return bz_fail(l, BZ_ENOMEM, "out of memory");
		}
		return BZ_OK;
	}
	bz_st *st = bz_stmt(l, sql);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, key);
	bz_bind_text(st, 2, from);
	bz_bind_text(st, 3, until ? until : END_OF_TIME);
	int rc;
	while ((rc = bz_step(st)) == SQLITE_ROW) {
		const char *d = (const char *)bz_st_column_text(st, 0);
		if (!d || strlen(d) != BZ_DATE_LEN)
			continue;
		if (!series_push(s, d, bz_st_column_int64(st, 1))) {
			bz_st_reset(st);
			return bz_fail(l, BZ_ENOMEM, "out of memory");
		}
	}
	bz_st_reset(st);
	return rc == SQLITE_DONE ? BZ_OK : bz_sqlfail(l, rc);
}

int64_t bz_series_at(const bz_series *s, const char *date, size_t *cursor)
{
	size_t i = *cursor;
	if (i > 0 && i <= s->n && strcmp(s->date[i - 1], date) > 0)
		i = 0; /* asked out of order: start again */
	while (i < s->n && strcmp(s->date[i], date) <= 0)
		i++;
	*cursor = i;
	return i ? s->value[i - 1] : 0;
}

void bz_series_free(bz_series *s)
{
	bz__free(s->date);
	bz__free(s->value);
	memset(s, 0, sizeof *s);
}
