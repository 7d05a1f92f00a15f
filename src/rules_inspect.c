/*
 * rules_inspect.c: the self-inspection (年度自查, seed §12). It runs the
 * same rules table as a commit, over every subject and every change
 * record up to the date asked, and it does not trust the counters: it
 * recomputes every derived figure at that date from the records
 * themselves — establishment and frozen facts, placements, slips,
 * appointments, sub-units — and reports each counter that disagrees
 * (a row deleted or altered behind the library's back).
 */
#include "rules.h"
#include "archive_int.h"
#include "counters.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- every subject, from the records ------------------------------------------ */

/* the subjects of each kind up to ?1, one query per kind, each naming a subject once */
static const struct {
	int kind;
	const char *sql;
} subjects[] = {
	{BZ_TOUCH_UNIT_CAT,
	 "SELECT subject, substr(attr, 5) FROM fact WHERE attr>='est:' AND attr<'est;' AND effective<=?1"
	 " UNION SELECT subject, substr(attr, 8) FROM fact WHERE attr>='frozen:' AND attr<'frozen;' AND effective<=?1"
	 " UNION SELECT unit, category FROM placement WHERE entry<=?1"
	 " UNION SELECT unit, category FROM slip WHERE issued<=?1 ORDER BY 1, 2"},
	{BZ_TOUCH_JUR_BRANCH, "SELECT id, '1' FROM jurisdiction UNION ALL SELECT id, '2' FROM jurisdiction"},
	{BZ_TOUCH_LEADERS,
	 "SELECT subject, NULL FROM fact WHERE attr='quota:principal' AND effective<=?1"
	 " UNION SELECT subject, NULL FROM appointment WHERE start<=?1"},
	{BZ_TOUCH_SUBUNITS,
	 "SELECT unit, NULL FROM subunit WHERE founded<=?1"
	 " UNION SELECT subject, NULL FROM fact WHERE attr='subunits:approved' AND effective<=?1"},
	{BZ_TOUCH_PERSON, "SELECT DISTINCT person, NULL FROM placement WHERE entry<=?1"},
	{BZ_TOUCH_UNIT_LIFE, "SELECT id, NULL FROM unit WHERE founded<=?1"},
};

/*
 * The units × categories the self-inspection hands R1, R7 and R11 (in that
 * order, as a commit does): of the subjects above, in the same order, only
 * those one of them could fault. In the self-inspection R1 raises only on a
 * state where the staff, or the use (staff + reserved + frozen), exceeds the
 * establishment; R7's part of a unit × category judges commits only; R11
 * raises only where the unit's nature is not among its category's natures.
 *
 * R1's: one pass over every counter row of the units up to the date, in key
 * order ("U:<unit>:<counter>:<category>", so a unit's rows come together);
 * a unit's rows are sorted by category and date and its four step functions
 * replayed breakpoint by breakpoint; a unit × category over at one of them
 * is a candidate (temp.bz_uc_over). R11's: the nature the checker reads is
 * one of the unit's nature facts (or none, or no unit): a subject is a
 * candidate unless every one of them shares a bit with its category's
 * natures (an unknown category is one too). The checkers then judge the
 * candidates exactly as they would every subject. The placements' units ×
 * categories come from temp.bz_cstaff (bz_counters_staff_at at the check's
 * date), the grouping the recompute counts the staff from: one pass over
 * the placements for both.
 */
static const char uc_candidates_sql[] =
	"WITH subj AS (SELECT subject AS unit, substr(attr, 5) AS cat FROM fact WHERE attr>='est:' AND attr<'est;'"
	"   AND effective<=?1"
	"  UNION SELECT subject, substr(attr, 8) FROM fact WHERE attr>='frozen:' AND attr<'frozen;' AND effective<=?1"
	"  UNION SELECT unit, cat FROM temp.bz_cstaff"
	"  UNION SELECT unit, category FROM slip WHERE issued<=?1)"
	" SELECT s.unit, s.cat FROM subj s LEFT JOIN category c ON c.code=s.cat"
	" WHERE EXISTS (SELECT 1 FROM temp.bz_uc_over o WHERE o.unit=s.unit AND o.cat=s.cat)"
	"  OR c.code IS NULL OR NOT EXISTS (SELECT 1 FROM unit u WHERE u.id=s.unit)"
	"  OR NOT EXISTS (SELECT 1 FROM fact f WHERE f.subject=s.unit AND f.attr='nature' AND f.after IS NOT NULL)"
	"  OR EXISTS (SELECT 1 FROM fact f WHERE f.subject=s.unit AND f.attr='nature'"
	"   AND (f.after IS NULL OR (CAST(f.after AS INTEGER) & c.natures)=0))"
	" ORDER BY 1, 2";

/* one counter row of the unit being read: its category (an index into the unit's, uc_cats), counter
 * (bz_counter), date and value */
typedef struct uc_row {
	size_t cat;
	int what;
	char date[32]; /* a date; room for one the library did not write, compared as the checkers do */
	int64_t value;
} uc_row;

/*
 * The categories of the unit being read, each once (a unit has a few, its
 * counters a run per counter kind each in category order), and their ranks
 * in strcmp's order: rows are then compared by rank, and their categories
 * are equal when their indexes are.
 */
typedef struct uc_cats {
	char (*name)[BZ_KEY_MAX];
	size_t *rank; /* cap ranks, then cap indexes of room for uc_cat_rank */
	size_t n, cap, at; /* at: the last one found, where the next search starts */
} uc_cats;

/* the index of category c of the unit (added if new); false: out of memory */
static bool uc_cat_index(uc_cats *k, const char *c, size_t len, size_t *out)
{
	for (size_t t = 0; t < k->n; t++) {
		size_t q = (k->at + t) % k->n;
		if (strcmp(k->name[q], c) == 0) {
			k->at = q;
			*out = q;
			return true;
		}
	}
	if (k->n == k->cap) {
		size_t nc = k->cap ? k->cap * 2 : 16;
		char(*nn)[BZ_KEY_MAX] = bz__reallocarray(k->name, nc, sizeof *k->name);
		if (nn)
			k->name = nn;
		size_t *nr = nn ? bz__reallocarray(k->rank, 2 * nc, sizeof *k->rank) : NULL;
		if (!nr)
			return false;
		k->rank = nr;
		k->cap = nc;
	}
	memcpy(k->name[k->n], c, len + 1);
	k->at = k->n;
	*out = k->n++;
	return true;
}

/* each category's rank in strcmp's order: an insertion sort of indexes, nearly sorted as they came */
static void uc_cat_rank(uc_cats *k)
{
	size_t *idx = k->rank + k->cap;
	for (size_t i = 0; i < k->n; i++) {
		size_t j = i, v = i;
		for (; j > 0 && strcmp(k->name[idx[j - 1]], k->name[v]) > 0; j--)
			idx[j] = idx[j - 1];
		idx[j] = v;
	}
	for (size_t i = 0; i < k->n; i++)
		k->rank[idx[i]] = i;
}

static int uc_row_cmp(const uc_cats *k, const uc_row *x, const uc_row *y)
{
	if (x->cat != y->cat)
		return k->rank[x->cat] < k->rank[y->cat] ? -1 : 1;
	return strcmp(x->date, y->date);
}

/* the end of the run of rows non-decreasing by uc_row_cmp that starts at ord[i] */
static size_t uc_run_end(const uc_cats *k, const uc_row *rows, const size_t *ord, size_t i, size_t n)
{
	while (++i < n && uc_row_cmp(k, &rows[ord[i - 1]], &rows[ord[i]]) <= 0)
		;
	return i;
}

/*
 * The n rows in order of category then date, stable, as indexes (the
 * returned array: ord or ord + n). A unit's rows come as a run per counter
 * kind (est, frozen, resv, staff: the key's order), each sorted by category
 * and date, so a natural merge sort — the runs found once, merged pairwise,
 * ties to the earlier run — does some 3n comparisons (of ranks, then dates
 * with strcmp) where qsort did n log n of 176-byte rows with two strcmp each
 * (2 % of the self-inspection, issue 10). Any order works (more runs), and
 * being stable it gives exactly glibc's merge sort's order. ord has room for
 * 3n + 1 indexes: the order, a second buffer, the runs' bounds.
 */
static const size_t *uc_order(const uc_cats *k, const uc_row *rows, size_t n, size_t *ord)
{
	size_t *a = ord, *b = ord + n, *run = ord + 2 * n, runs = 0;
	for (size_t i = 0; i < n; i++)
		a[i] = i;
	run[0] = 0;
	for (size_t i = 0; i < n; i = run[++runs])
		run[runs + 1] = uc_run_end(k, rows, a, i, n);
	while (runs > 1) {
		size_t r = 0, m = 0;
		for (; r + 1 < runs; r += 2) {
			size_t i = run[r], j = run[r + 1], hi = run[r + 2], o = i;
			while (i < run[r + 1] && j < hi)
				b[o++] = uc_row_cmp(k, &rows[a[j]], &rows[a[i]]) < 0 ? a[j++] : a[i++];
			while (i < run[r + 1])
				b[o++] = a[i++];
			while (j < hi)
				b[o++] = a[j++];
			run[++m] = hi;
		}
		if (r < runs) { /* an odd run out: copied as it is */
			memcpy(b + run[r], a + run[r], (run[r + 1] - run[r]) * sizeof *a);
			run[++m] = run[r + 1];
		}
		runs = m;
		size_t *t = a;
		a = b;
		b = t;
	}
	return a;
}

/* whether staff > est or staff + resv + frozen > est (an overflow counts as over: a candidate, never a miss) */
static bool uc_over(const int64_t v[4])
{
	int64_t used = 0;
	if (v[BZ_CNT_STAFF] > v[BZ_CNT_EST])
		return true;
	if (__builtin_add_overflow(v[BZ_CNT_STAFF], v[BZ_CNT_RESV], &used) ||
	    __builtin_add_overflow(used, v[BZ_CNT_FROZEN], &used))
		return true;
	return used > v[BZ_CNT_EST];
}

/* the unit's rows replayed per category; each category over at a breakpoint into temp.bz_uc_over */
static int uc_unit_flush(bz_ledger *l, const char *unit, const uc_row *rows, size_t n, size_t *ord, uc_cats *k)
{
	static const char ins[] = "INSERT OR IGNORE INTO temp.bz_uc_over(unit, cat) VALUES(?1,?2)";
	uc_cat_rank(k);
	const size_t *o = uc_order(k, rows, n, ord);
#define R(x) (&rows[o[x]])
	int code = BZ_OK;
	for (size_t i = 0; code == BZ_OK && i < n;) {
		size_t j = i;
		int64_t v[4] = {0, 0, 0, 0};
		bool over = false;
		while (j < n && R(j)->cat == R(i)->cat) {
			size_t e = j;
			/* every row of one date first: a state is the day's last */
			for (; e < n && R(e)->cat == R(i)->cat && strcmp(R(e)->date, R(j)->date) == 0; e++)
				v[R(e)->what] = R(e)->value;
			over = over || uc_over(v);
			j = e;
		}
		if (over) {
			bz_st *st = bz_stmt(l, ins);
			if (!st)
				return bz_stmt_err();
			bz_bind_text(st, 1, unit);
			bz_bind_text(st, 2, k->name[R(i)->cat]);
			code = bz_step_done(l, st);
		}
		i = j;
	}
#undef R
	return code;
}

static int uc_over_fill(bz_rule_ctx *cx)
{
	static const char sql[] =
		"SELECT c.key, t.effective, t.value, c.id FROM counter c JOIN tl t ON t.counter=c.id"
		" WHERE c.key>='U:' AND c.key<'U;' AND t.effective<=?1 ORDER BY c.key, t.effective";
	static const char *const names[] = {"est", "staff", "resv", "frozen"};
	bz_ledger *l = cx->l;
	int code = bz_exec(l, "CREATE TEMP TABLE IF NOT EXISTS bz_uc_over(unit TEXT NOT NULL, cat TEXT NOT NULL,"
			      " PRIMARY KEY(unit, cat)) WITHOUT ROWID");
	if (code == BZ_OK)
		code = bz_exec(l, "DELETE FROM temp.bz_uc_over");
	if (code != BZ_OK)
		return code;
	bz_st *st = NULL;
	int rc = bz_store_prepare(l->store, &st, sql);
	if (rc != SQLITE_OK)
		return bz_sqlfail(l, rc);
	bz_bind_text(st, 1, cx->until);
	uc_row *rows = NULL;
	size_t *ord = NULL; /* uc_order's room: 3 cap + 1 */
	size_t n = 0, cap = 0;
	uc_cats cats = {0};
	char unit[BZ_KEY_MAX] = "";
	/* the counter of the last row, its key read once (a counter's rows come together): its category and
	 * what it counts (-1: no counter of a unit × category the library writes) */
	int64_t last = 0;
	bool have_last = false;
	size_t cat = 0;
	int what = -1;
	while (code == BZ_OK && (rc = bz_step(st)) == SQLITE_ROW) {
		const char *date = (const char *)bz_st_column_text(st, 1);
		int64_t id = bz_st_column_int64(st, 3);
		if (!have_last || id != last || bz_st_column_type(st, 3) != BZ_ST_INTEGER) {
			have_last = bz_st_column_type(st, 3) == BZ_ST_INTEGER;
			last = id;
			what = -1;
			const char *key = (const char *)bz_st_column_text(st, 0);
			/* U:<unit>:<counter>:<category> */
			const char *u = key ? key + 2 : NULL, *w = u ? strchr(u, ':') : NULL, *c = w ? strchr(w + 1, ':') : NULL;
			size_t catlen = c ? strlen(c + 1) : 0;
			if (!c || (size_t)(w - u) >= sizeof unit || catlen >= sizeof *cats.name)
				continue; /* no key of a unit × category the library writes: no subject's counter */
			for (int i = 0; i < 4; i++)
				if ((size_t)(c - w - 1) == strlen(names[i]) && strncmp(w + 1, names[i], (size_t)(c - w - 1)) == 0)
					what = i;
			if (what < 0)
				continue;
			if (strncmp(unit, u, (size_t)(w - u)) != 0 || unit[w - u] != '\0') {
				if (n && (code = uc_unit_flush(l, unit, rows, n, ord, &cats)) != BZ_OK)
					break;
				n = 0;
				cats.n = cats.at = 0;
				memcpy(unit, u, (size_t)(w - u));
				unit[w - u] = '\0';
			}
			if (!uc_cat_index(&cats, c + 1, catlen, &cat)) {
				code = bz_fail(l, BZ_ENOMEM, "out of memory");
				break;
			}
		}
		if (what < 0 || !date)
			continue;
		if (n == cap) {
			size_t nc = cap ? cap * 2 : 64;
			uc_row *nr = bz__reallocarray(rows, nc, sizeof *rows);
			if (nr)
				rows = nr;
			size_t *no = nr ? bz__reallocarray(ord, 3 * nc + 1, sizeof *ord) : NULL;
			if (!no) {
				code = bz_fail(l, BZ_ENOMEM, "out of memory");
				break;
			}
			ord = no;
			cap = nc;
		}
		/* checked above: the category fits; a date is cut to its room, as snprintf would (issue 10: two
		 * snprintf per counter row were a fifth of this pass) */
		rows[n].cat = cat;
		size_t dl = strnlen(date, sizeof rows[n].date - 1);
		memcpy(rows[n].date, date, dl);
		rows[n].date[dl] = '\0';
		rows[n].what = what;
		rows[n].value = bz_st_column_int64(st, 2);
		n++;
	}
	if (code == BZ_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
		code = bz_sqlfail(l, rc);
	bz_st_finalize(st);
	if (code == BZ_OK && n)
		code = uc_unit_flush(l, unit, rows, n, ord, &cats);
	bz__free(rows);
	bz__free(ord);
	bz__free(cats.name);
	bz__free(cats.rank);
	return code;
}

/*
 * Whether the run takes a rule's set-based way over the whole ledger: the
 * oracle (bz_ledger_check_walk) too — the set-based ways of R5, R12 and R13
 * are older than the oracle and are what the self-inspection has always
 * reported (R12 and R13 have no other); the oracle walks the record rules.
 */
static bool set_way(const bz_rule_ctx *cx, const bz_rule_def *r)
{
	(void)cx;
	return r->on_all != NULL;
}

/* the rules walked subject by subject for a kind: those watching it without a set-based way */
static bool walked(const bz_rule_ctx *cx, const bz_rule_def *r, int kind)
{
	return r->on_subject && !set_way(cx, r) && (r->watches & BZ_WATCH(kind));
}

static int run_kind(bz_rule_ctx *cx, int kind, const char *sql)
{
	bool any = false;
	for (size_t r = 0; r < bz_nrules; r++)
		any = any || walked(cx, &bz_rules[r], kind);
	if (!any)
		return BZ_OK; /* not even listed: no rule needs this kind's subjects one by one */
	if (kind == BZ_TOUCH_UNIT_CAT && !cx->per_record) {
		int code = uc_over_fill(cx);
		if (code != BZ_OK)
			return code;
		sql = uc_candidates_sql;
	}
	bz_st *st = NULL;
	int rc = bz_store_prepare(cx->l->store, &st, sql);
	if (rc != SQLITE_OK)
		return bz_sqlfail(cx->l, rc);
	if (bz_st_param_count(st) > 0)
		bz_bind_text(st, 1, cx->until);
	int code = BZ_OK;
	while (code == BZ_OK && (rc = bz_step(st)) == SQLITE_ROW) {
		bz_touch x = {0};
		x.kind = kind;
		x.id = (char *)bz_st_column_text(st, 0);
		x.aux = (char *)bz_st_column_text(st, 1);
		memcpy(x.from, "0001-01-01", BZ_DATE_LEN + 1);
		if (!x.id)
			continue;
		for (size_t r = 0; code == BZ_OK && r < bz_nrules; r++)
			if (walked(cx, &bz_rules[r], kind))
				code = bz_rules[r].on_subject(cx, &x);
	}
	if (code == BZ_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
		code = bz_sqlfail(cx->l, rc);
	bz_st_finalize(st);
	return code;
}

static int run_subjects(bz_rule_ctx *cx)
{
	int code = BZ_OK;
	for (size_t k = 0; code == BZ_OK && k < sizeof subjects / sizeof subjects[0]; k++)
		code = run_kind(cx, subjects[k].kind, subjects[k].sql);
	for (size_t r = 0; code == BZ_OK && r < bz_nrules; r++)
		if (set_way(cx, &bz_rules[r]))
			code = bz_rules[r].on_all(cx);
	return code;
}

/* ---- the figures again, from the records ----------------------------------------- */

/*
 * Each query gives (subject, aux, branch/post, jurisdiction, value) at ?1;
 * the counter keys are built here with the catalogue's helpers, so the
 * key format stays in one place.
 */
static const char est_sql[] =
	"SELECT f.subject, substr(f.attr, 5), c.branch, u.jurisdiction, CAST(f.after AS INTEGER)"
	" FROM fact f JOIN unit u ON u.id=f.subject JOIN category c ON c.code=substr(f.attr, 5)"
	" WHERE f.attr>='est:' AND f.attr<'est;' AND f.effective<=?1 AND NOT EXISTS (SELECT 1 FROM fact g"
	"  WHERE g.subject=f.subject AND g.attr=f.attr AND g.effective<=?1"
	"  AND (g.effective>f.effective OR (g.effective=f.effective AND g.event>f.event)))";
static const char frozen_sql[] =
	"SELECT f.subject, substr(f.attr, 8), c.branch, u.jurisdiction, CAST(f.after AS INTEGER)"
	" FROM fact f JOIN unit u ON u.id=f.subject JOIN category c ON c.code=substr(f.attr, 8)"
	" WHERE f.attr>='frozen:' AND f.attr<'frozen;' AND f.effective<=?1 AND NOT EXISTS (SELECT 1 FROM fact g"
	"  WHERE g.subject=f.subject AND g.attr=f.attr AND g.effective<=?1"
	"  AND (g.effective>f.effective OR (g.effective=f.effective AND g.event>f.event)))";
static const char staff_sql[] =
	"SELECT p.unit, p.category, c.branch, u.jurisdiction, count(*)"
	" FROM placement p JOIN unit u ON u.id=p.unit JOIN category c ON c.code=p.category"
	" LEFT JOIN placement_exit x ON x.placement=p.id"
	" WHERE p.entry<=?1 AND (x.date IS NULL OR x.date>?1) GROUP BY p.unit, p.category, c.branch, u.jurisdiction";
/* a slip reserves from its issue until the day after its validity or its cancellation, less its hires
 * (its posts read as an integer, as R8 reads them) */
static const char resv_sql[] =
	"SELECT s.unit, s.category, c.branch, u.jurisdiction,"
	" sum(max(0, CAST(s.posts AS INTEGER) - (SELECT count(*) FROM placement p WHERE p.slip=s.id AND p.unit=s.unit"
	"  AND p.category=s.category AND p.entry<=?1 AND p.entry>=s.issued AND p.entry<=s.valid_until"
	"  AND (e.date IS NULL OR p.entry<e.date))))"
	" FROM slip s JOIN unit u ON u.id=s.unit JOIN category c ON c.code=s.category"
	" LEFT JOIN slip_end e ON e.slip=s.id"
	" WHERE s.issued<=?1 AND s.valid_until>=?1 AND (e.date IS NULL OR e.date>?1)"
	" GROUP BY s.unit, s.category, c.branch, u.jurisdiction";
static const char leaders_sql[] =
	"SELECT a.subject, NULL, a.post, NULL, count(*) FROM appointment a"
	" LEFT JOIN appointment_end x ON x.appointment=a.id"
	" WHERE a.start<=?1 AND (x.date IS NULL OR x.date>?1) GROUP BY a.subject, a.post";
static const char subunits_sql[] =
	"SELECT s.unit, NULL, 0, NULL, count(*) FROM subunit s WHERE s.founded<=?1"
	" AND NOT EXISTS (SELECT 1 FROM fact f WHERE f.subject=s.id AND f.attr='status' AND f.after='2'"
	"  AND f.effective<=?1) GROUP BY s.unit";

enum { F_EST, F_FROZEN, F_STAFF, F_RESV, F_LEADERS, F_SUBUNITS };

static int expect_add(bz_ledger *l, const char *key, const char *subject, int64_t v)
{
	static const char sql[] =
		"INSERT INTO temp.bz_expect(key, subject, value) VALUES(?1,?2,?3)"
		" ON CONFLICT(key) DO UPDATE SET value=bz_expect.value+excluded.value";
	bz_st *st = bz_stmt(l, sql);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, key);
	bz_bind_text(st, 2, subject);
	bz_st_bind_int64(st, 3, v);
	return bz_step_done(l, st);
}

static int expect_fill(bz_rule_ctx *cx, int figure, const char *sql)
{
	static const bz_counter counters[] = {BZ_CNT_EST, BZ_CNT_FROZEN, BZ_CNT_STAFF, BZ_CNT_RESV};
	bz_st *st = NULL;
	int rc = bz_store_prepare(cx->l->store, &st, sql);
	if (rc != SQLITE_OK)
		return bz_sqlfail(cx->l, rc);
	bz_bind_text(st, 1, cx->until);
	int code = BZ_OK;
	char key[BZ_KEY_MAX];
	while (code == BZ_OK && (rc = bz_step(st)) == SQLITE_ROW) {
		const char *subject = (const char *)bz_st_column_text(st, 0);
		const char *aux = (const char *)bz_st_column_text(st, 1);
		int n = bz_st_column_int(st, 2);
		const char *jur = (const char *)bz_st_column_text(st, 3);
		int64_t v = bz_st_column_int64(st, 4);
		if (!subject)
			continue;
		if (figure <= F_RESV) {
			if (!aux || !jur)
				continue;
			bz_key_unit(key, subject, counters[figure], aux);
			if ((code = expect_add(cx->l, key, subject, v)) != BZ_OK)
				break;
			bz_key_jur(key, jur, counters[figure], n);
			code = expect_add(cx->l, key, jur, v);
		} else if (figure == F_LEADERS) {
			bz_key_leaders(key, subject, n);
			code = expect_add(cx->l, key, subject, v);
		} else {
			bz_key_subunits(key, subject);
			code = expect_add(cx->l, key, subject, v);
		}
	}
	if (code == BZ_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
		code = bz_sqlfail(cx->l, rc);
	bz_st_finalize(st);
	return code;
}

/* a counter that disagrees with the records: on the date (at), or from the first day its timeline does */
static int counter_raise(bz_rule_ctx *cx, const char *key, const char *subject, const char *date, int64_t have,
			 int64_t want, bool timeline)
{
	return bz_raise(cx, BZ_VIO(.rule = BZ_RULE_INTEGRITY, .severity = BZ_SEVERITY_ERROR, .subject = subject,
				   .subject_name = key, .category = key, .allowed = want, .actual = have, .date = date),
			"账实不符: the counter %s says %lld on %s, but the records (placements, slips, establishment, appointments, sub-units) give %lld%s; the ledger was changed behind the library",
			key, (long long)have, date, (long long)want,
			timeline ? " (the first day its timeline and the records differ)" : "");
}

/* the subject a counter key names, "X:<subject>:…" (NULL: none) */
static const char *key_subject(const char *key, char buf[BZ_KEY_MAX])
{
	const char *s = key ? strchr(key, ':') : NULL, *e = s ? strchr(s + 1, ':') : NULL;
	if (!e || (size_t)(e - s - 1) >= BZ_KEY_MAX)
		return NULL;
	memcpy(buf, s + 1, (size_t)(e - s - 1));
	buf[e - s - 1] = '\0';
	return buf;
}

/* counters.h's differences, raised */
static int counter_diff_at(void *ctx, const char *key, const char *date, int64_t stored, int64_t records)
{
	char buf[BZ_KEY_MAX];
	return counter_raise(ctx, key, key_subject(key, buf), date, stored, records, false);
}

static int counter_diff_timeline(void *ctx, const char *key, const char *date, int64_t stored, int64_t records)
{
	char buf[BZ_KEY_MAX];
	return counter_raise(ctx, key, key_subject(key, buf), date, stored, records, true);
}

/* every counter whose value at the date differs from what the records give */
static const char compare_sql[] =
	"SELECT key, subject, want, c FROM (SELECT k.key, e.subject, COALESCE(e.value, 0) AS want,"
	" COALESCE((SELECT t.value FROM tl t WHERE t.counter=(SELECT id FROM counter WHERE key=k.key) AND t.effective<=?1"
	"  ORDER BY t.effective DESC LIMIT 1), 0) AS c"
	" FROM (SELECT key FROM temp.bz_expect UNION SELECT key FROM counter) k"
	" LEFT JOIN temp.bz_expect e ON e.key=k.key) AS sides"
	" WHERE want <> c ORDER BY key";

static int compare(bz_rule_ctx *cx)
{
	bz_st *st = NULL;
	int rc = bz_store_prepare(cx->l->store, &st, compare_sql);
	if (rc != SQLITE_OK)
		return bz_sqlfail(cx->l, rc);
	bz_bind_text(st, 1, cx->until);
	int code = BZ_OK;
	while (code == BZ_OK && (rc = bz_step(st)) == SQLITE_ROW) {
		const char *key = (const char *)bz_st_column_text(st, 0);
		const char *subject = (const char *)bz_st_column_text(st, 1);
		int64_t want = bz_st_column_int64(st, 2), have = bz_st_column_int64(st, 3);
		/* no record left (a row deleted): the subject is the key's, "X:<subject>:…" */
		char from_key[BZ_KEY_MAX];
		if (!subject)
			subject = key_subject(key, from_key);
		code = counter_raise(cx, key, subject, cx->until, have, want, false);
	}
	if (code == BZ_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
		code = bz_sqlfail(cx->l, rc);
	bz_st_finalize(st);
	return code;
}

/*
 * The counters on the check's date against the records: the step functions
 * of counters.c summed up to it, one join giving only the counters that
 * disagree. The oracle (per_record) keeps the figures at one date below.
 */
static int recompute(bz_rule_ctx *cx)
{
	if (!cx->per_record) {
		int code = bz_counters_scope(cx->l, true);
		if (code == BZ_OK)
			code = bz_counters_recompute(cx->l, true, cx->until);
		if (code == BZ_OK)
			code = bz_counters_diff_at(cx->l, cx->until, counter_diff_at, cx);
		bz_counters_drop(cx->l);
		return code;
	}
	int code = bz_exec(cx->l, "CREATE TEMP TABLE IF NOT EXISTS bz_expect(key TEXT PRIMARY KEY, subject TEXT,"
				  " value INTEGER NOT NULL)");
	if (code == BZ_OK)
		code = bz_exec(cx->l, "DELETE FROM temp.bz_expect");
	static const char *const queries[] = {est_sql, frozen_sql, staff_sql, resv_sql, leaders_sql, subunits_sql};
	for (int f = 0; code == BZ_OK && f <= F_SUBUNITS; f++)
		code = expect_fill(cx, f, queries[f]);
	if (code == BZ_OK)
		code = compare(cx);
	bz_store_exec_quiet(cx->l->store, "DELETE FROM temp.bz_expect");
	return code;
}

/* ---- the files behind the documents, against their change records ---------------------- */

/* a file whose stored bytes no longer give the SHA-256 its change record wrote (archive.h) */
static int file_bad(void *ctx, const bz_file_problem *p)
{
	bz_rule_ctx *cx = ctx;
	char key[BZ_UUID_LEN + 8];
	snprintf(key, sizeof key, "F:%s", p->file);
	return bz_raise(cx, BZ_VIO(.rule = BZ_RULE_INTEGRITY, .severity = BZ_SEVERITY_ERROR, .subject = p->file,
				   .subject_name = p->name, .category = key, .date = cx->until, .document = p->document),
			"档案不符: the file %s of %s (change record #%lld): %s; it was changed behind the library",
			p->name, p->number ? p->number : p->document, p->seq, p->message);
}

/* ---- the derived tables against the records, alone (verify.c) ---------------------- */

BZ_INTERNAL int bz_integrity_check(bz_ledger *l, bz_report *r, const char *date)
{
	char today[BZ_DATE_LEN + 1];
	date = bz_date_or_today(l, date, today);
	bz_rule_ctx cx = {.l = l, .report = r, .txn = NULL, .txn_no = 0, .until = date, .memo = bz_memo_new()};
	if (!cx.memo)
		return bz_fail(l, BZ_ENOMEM, "out of memory");
	/* every counter's whole timeline, not only its figure today */
	int code = bz_counters_scope(l, true);
	if (code == BZ_OK)
		code = bz_counters_recompute(l, true, NULL);
	if (code == BZ_OK)
		code = bz_counters_diff_timelines(l, counter_diff_timeline, &cx);
	bz_counters_drop(l);
	if (code == BZ_OK)
		code = bz_files_check(l, date, NULL, file_bad, &cx);
	bz_memo_free(cx.memo);
	return code;
}

/* ---- the self-inspection ------------------------------------------------------------- */

static int check(bz_report **out, bz_ledger *ledger, const char *date, bool per_record)
{
	if (!out)
		return BZ_EINVAL;
	*out = NULL;
	if (!ledger)
		return BZ_EINVAL;
	char today[BZ_DATE_LEN + 1];
	date = bz_date_or_today(ledger, date, today);
	if (!bz_date_ok(date))
		return bz_fail(ledger, BZ_EINVAL, "a valid date YYYY-MM-DD is required");
	if (ledger->txn)
		return bz_fail(ledger, BZ_EMISUSE, "commit or roll back the open transaction before a full check");
	bz_report *r = bz_report_new();
	if (!r)
		return bz_fail(ledger, BZ_ENOMEM, "out of memory");
	bz_rule_ctx cx = {.l = ledger, .report = r, .txn = NULL, .txn_no = 0, .until = date, .memo = bz_memo_new(),
			  .per_record = per_record};
	if (!cx.memo) {
		bz_report_free(r);
		return bz_fail(ledger, BZ_ENOMEM, "out of memory");
	}
	/* one read snapshot for the whole inspection */
	int code = bz_exec(ledger, "BEGIN");
	if (code != BZ_OK) {
		bz_memo_free(cx.memo);
		bz_report_free(r);
		return code;
	}
	int64_t done = 0;
	code = bz_records_functions(ledger);
	if (code == BZ_OK && !per_record) { /* the placements grouped once, for the subjects and the recompute */
		bool lite = ledger->db != NULL; /* and R8's candidates found in the same pass (SQLite) */
		if (lite)
			code = bz_r8_pass_begin(&cx);
		if (code == BZ_OK)
			code = bz_counters_staff_at(ledger, date, lite ? bz_r8_pass_row : NULL, &cx);
		if (code == BZ_OK && lite)
			code = bz_r8_pass_end(&cx);
		bz_r8_pass_free(&cx);
	}
	if (code == BZ_OK)
		code = run_subjects(&cx);
	if (!per_record) /* the oracle reports no progress: it runs only beside the real one (tests) */
		bz_progress(ledger, "check", ++done);
	for (size_t i = 0; code == BZ_OK && i < bz_nrules; i++)
		if (bz_rules[i].on_records) {
			code = bz_rules[i].on_records(&cx);
			if (!per_record)
				bz_progress(ledger, "check", ++done);
		}
	if (code == BZ_OK)
		code = recompute(&cx);
	if (code == BZ_OK)
		code = bz_files_check(ledger, date, NULL, file_bad, &cx);
	if (!per_record) /* emptied by the recompute, unless something failed before it */
		bz_counters_drop(ledger);
	/* end the read snapshot whatever happened: left open, it would block every later transaction */
	bz_end_read(ledger);
	bz_memo_free(cx.memo);
	if (code != BZ_OK) {
		bz_report_free(r);
		return code;
	}
	*out = r;
	return bz_ok(ledger);
}

bool bz_check_differential = false;

static bool same_text(const char *a, const char *b) { return a == b || (a && b && strcmp(a, b) == 0); }

/* the index of the first record where two reports differ in any field, or -1 */
BZ_INTERNAL long bz_report_diff(const bz_report *a, const bz_report *b)
{
	size_t n = bz_report_count(a), m = bz_report_count(b);
	for (size_t i = 0; i < n || i < m; i++) {
		if (i >= n || i >= m)
			return (long)i;
		const bz_violation *x = bz_report_get(a, i), *y = bz_report_get(b, i);
		if (bz_violation_rule(x) != bz_violation_rule(y) || bz_violation_severity(x) != bz_violation_severity(y) ||
		    !same_text(bz_violation_subject(x), bz_violation_subject(y)) ||
		    !same_text(bz_violation_subject_name(x), bz_violation_subject_name(y)) ||
		    !same_text(bz_violation_category(x), bz_violation_category(y)) ||
		    bz_violation_allowed(x) != bz_violation_allowed(y) || bz_violation_actual(x) != bz_violation_actual(y) ||
		    !same_text(bz_violation_document(x), bz_violation_document(y)) ||
		    !same_text(bz_violation_document_number(x), bz_violation_document_number(y)) ||
		    !same_text(bz_violation_date(x), bz_violation_date(y)) ||
		    !same_text(bz_violation_message(x), bz_violation_message(y)) ||
		    !same_text(bz_violation_excepted_by(x), bz_violation_excepted_by(y)))
			return (long)i;
	}
	return -1;
}

BZ_EXTERN int bz_ledger_check(bz_report **out, bz_ledger *ledger, const char *date)
{
	int code = check(out, ledger, date, false);
	if (code != BZ_OK || !bz_check_differential)
		return code;
	/* the tests' differential mode: the oracle must give the very same records */
	bz_report *oracle = NULL;
	if ((code = check(&oracle, ledger, date, true)) != BZ_OK) {
		bz_report_free(*out);
		*out = NULL;
		return code;
	}
	long at = bz_report_diff(*out, oracle);
	if (at >= 0) {
		const bz_violation *x = (size_t)at < bz_report_count(*out) ? bz_report_get(*out, (size_t)at) : NULL;
		const bz_violation *y = (size_t)at < bz_report_count(oracle) ? bz_report_get(oracle, (size_t)at) : NULL;
		code = bz_fail(ledger, BZ_ERROR,
			       "self-inspection differs from its per-record oracle at record %ld of %zu/%zu: '%s' vs '%s'", at,
			       bz_report_count(*out), bz_report_count(oracle), x ? bz_violation_message(x) : "(none)",
			       y ? bz_violation_message(y) : "(none)");
		bz_report_free(*out);
		*out = NULL;
	}
	bz_report_free(oracle);
	return code;
}

/* the self-inspection as it was before its set-based queries: every record and subject judged one by one */
BZ_INTERNAL int bz_ledger_check_walk(bz_report **out, bz_ledger *ledger, const char *date)
{
	return check(out, ledger, date, true);
}
