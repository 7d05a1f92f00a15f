/*
 * rules_establishment.c: the rules of a unit's posts and a jurisdiction's
 * limits, read from the counters of the subjects touched —
 *   R1  不准超编进人: where the use (in post + reserved + frozen) of a unit ×
 *       category rose, it may not exceed the establishment of that date;
 *       over-establishment a cut leaves is 消化 (a warning) in an
 *       institution, an error in an administrative organ (seed §6);
 *   R7  (retroactive part) a change dated in the past that leaves a later
 *       state over establishment;
 *   R11 不得混用: a category used only by units of the natures it is for;
 *   R4  编制限额: a jurisdiction's establishment per branch ≤ its limit;
 *   R9  空编: the vacancy reserve of a jurisdiction (warning).
 */
#include "rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* the figures of unit × category at a date */
typedef struct uc_state {
	int64_t est, staff, resv, frozen;
} uc_state;

typedef struct uc_keys {
	char k[4][BZ_KEY_MAX];
} uc_keys;

static void uc_keys_make(uc_keys *k, const char *unit, const char *cat)
{
	for (int i = 0; i < 4; i++)
		bz_key_unit(k->k[i], unit, (bz_counter)i, cat);
}

static int uc_at(bz_ledger *l, const uc_keys *k, const char *date, uc_state *s)
{
	int rc;
	if ((rc = bz_tl_at(l, &s->est, k->k[BZ_CNT_EST], date)) != BZ_OK ||
	    (rc = bz_tl_at(l, &s->staff, k->k[BZ_CNT_STAFF], date)) != BZ_OK ||
	    (rc = bz_tl_at(l, &s->resv, k->k[BZ_CNT_RESV], date)) != BZ_OK)
		return rc;
	return bz_tl_at(l, &s->frozen, k->k[BZ_CNT_FROZEN], date);
}

static int64_t uc_used(const uc_state *s) { return s->staff + s->resv + s->frozen; }

/*
 * The four counters of a subject over the dates a checker examines, each
 * read once with a range scan (bz_series), and the dates themselves: the
 * first one asked and every breakpoint after it up to cx->until.
 */
typedef struct hist {
	const bz_series *s[4]; /* the run's memo owns them */
	size_t cur[4];
} hist;

/*
 * From the day before `from`: R1 needs that day, and R1, R7 and R11 walking
 * the same unit × category then share one reading of its counters.
 */
static int hist_load(bz_rule_ctx *cx, hist *h, const uc_keys *k, const char *from)
{
	memset(h, 0, sizeof *h);
	char prev[BZ_DATE_LEN + 1];
	bz_date_add_days(prev, from, -1);
	int rc = BZ_OK;
	for (int i = 0; rc == BZ_OK && i < 4; i++)
		rc = bz_rx_series(cx, &h->s[i], k->k[i], prev);
	return rc;
}

/* the state at date; dates asked in order walk each series once */
static void hist_at(hist *h, const char *date, uc_state *st)
{
	st->est = bz_series_at(h->s[BZ_CNT_EST], date, &h->cur[BZ_CNT_EST]);
	st->staff = bz_series_at(h->s[BZ_CNT_STAFF], date, &h->cur[BZ_CNT_STAFF]);
	st->resv = bz_series_at(h->s[BZ_CNT_RESV], date, &h->cur[BZ_CNT_RESV]);
	st->frozen = bz_series_at(h->s[BZ_CNT_FROZEN], date, &h->cur[BZ_CNT_FROZEN]);
}

static int dates_cmp(const void *a, const void *b) { return strcmp((const char *)a, (const char *)b); }

static int dates_add(bz_ledger *l, bz_dates *ds, const char *d)
{
	return bz_dates_push(ds, d) == BZ_OK ? BZ_OK : bz_fail(l, BZ_ENOMEM, "out of memory");
}

/* sorted, each once */
static void dates_settle(bz_dates *ds)
{
	if (ds->n < 2)
		return;
	qsort(ds->d, ds->n, sizeof *ds->d, dates_cmp);
	size_t w = 1;
	for (size_t i = 1; i < ds->n; i++)
		if (strcmp(ds->d[i], ds->d[w - 1]) != 0)
			memcpy(ds->d[w++], ds->d[i], BZ_DATE_LEN + 1);
	ds->n = w;
}

/*
 * Into ds (which may hold dates already, a limit's): from itself and every
 * breakpoint after it of the counters in mask (bits 1 << bz_counter),
 * sorted, each once. The series are sorted already: merged in one pass, not
 * sorted again — a county's in-post and reserved series hold a breakpoint
 * for nearly every day of its history.
 */
static int hist_dates_of(bz_rule_ctx *cx, const hist *h, const char *from, bz_dates *ds, unsigned mask)
{
	dates_settle(ds); /* the few dates already there */
	bz_dates out = {0};
	size_t cur[4] = {0}, pre = 0;
	for (int i = 0; i < 4; i++)
		while ((mask & 1u << i) && cur[i] < h->s[i]->n && strcmp(h->s[i]->date[cur[i]], from) <= 0)
			cur[i]++;
	bool from_done = false;
	int rc = BZ_OK;
	for (;;) {
		const char *min = from_done ? NULL : from;
		for (int i = 0; i < 4; i++)
			if ((mask & 1u << i) && cur[i] < h->s[i]->n && (!min || strcmp(h->s[i]->date[cur[i]], min) < 0))
				min = h->s[i]->date[cur[i]];
		if (pre < ds->n && (!min || strcmp(ds->d[pre], min) < 0))
			min = ds->d[pre];
		if (!min)
			break;
		char d[BZ_DATE_LEN + 1];
		memcpy(d, min, BZ_DATE_LEN + 1);
		if ((rc = dates_add(cx->l, &out, d)) != BZ_OK) /* not when it repeats the last one */
			break;
		if (!from_done && strcmp(from, d) == 0)
			from_done = true;
		for (int i = 0; i < 4; i++)
			while ((mask & 1u << i) && cur[i] < h->s[i]->n && strcmp(h->s[i]->date[cur[i]], d) == 0)
				cur[i]++;
		while (pre < ds->n && strcmp(ds->d[pre], d) == 0)
			pre++;
	}
	if (rc != BZ_OK) {
		bz__free(out.d);
		return rc;
	}
	bz__free(ds->d);
	*ds = out;
	return BZ_OK;
}

/* from itself and every breakpoint of the four counters after it */
static int hist_dates(bz_rule_ctx *cx, const hist *h, const char *from, bz_dates *ds)
{
	return hist_dates_of(cx, h, from, ds, 0xfu);
}

/* whether d is in the sorted list; asked in order with one cursor */
static bool dates_has(const bz_dates *ds, const char *d, size_t *cur)
{
	while (*cur < ds->n && strcmp(ds->d[*cur], d) < 0)
		(*cur)++;
	return *cur < ds->n && strcmp(ds->d[*cur], d) == 0;
}

/* the dates a bound statement yields in its first column, added to ds; the statement reset */
static int dates_read(bz_rule_ctx *cx, bz_st *st, bz_dates *ds)
{
	int rc, code = BZ_OK;
	while (code == BZ_OK && (rc = bz_step(st)) == SQLITE_ROW) {
		const char *d = (const char *)bz_st_column_text(st, 0);
		if (d && strlen(d) == BZ_DATE_LEN)
			code = dates_add(cx->l, ds, d);
	}
	if (code == BZ_OK && rc != SQLITE_DONE)
		code = bz_sqlfail(cx->l, rc);
	bz_st_reset(st);
	return code;
}

/*
 * The dates from `from` on (to cx->until) on which a record says the use of
 * unit × category rose — a hire, a slip issued, posts frozen — read once.
 */
static int rises_load(bz_rule_ctx *cx, const char *unit, const char *cat, const char *from, bz_dates *ds)
{
	static const char sql[] =
		"SELECT entry FROM placement WHERE unit=?1 AND category=?2 AND entry>=?3 AND entry<=?4"
		" UNION SELECT issued FROM slip WHERE unit=?1 AND category=?2 AND issued>=?3 AND issued<=?4"
		" UNION SELECT effective FROM fact WHERE subject=?1 AND attr=?5 AND effective>=?3 AND effective<=?4"
		"  AND CAST(after AS INTEGER) > CAST(COALESCE(before,'0') AS INTEGER) ORDER BY 1";
	char attr[BZ_KEY_MAX];
	bz_attr_frozen(attr, cat);
	bz_st *st = bz_stmt(cx->l, sql);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, unit);
	bz_bind_text(st, 2, cat);
	bz_bind_text(st, 3, from);
	bz_bind_text(st, 4, cx->until ? cx->until : "9999-12-31");
	bz_bind_text(st, 5, attr);
	return dates_read(cx, st, ds);
}

/*
 * Whether a record says the use of unit × category rose on date — a hire,
 * a slip issued, posts frozen: rises_load's question for one day, asked by
 * R7 at commit only where the state that day is over establishment, so that
 * a change dated in the past no longer reads every hire of the unit since.
 */
static int rose_on(bz_rule_ctx *cx, const char *unit, const char *cat, const char *date, bool *yes)
{
	static const char sql[] =
		"SELECT 1 FROM placement WHERE unit=?1 AND category=?2 AND entry=?3"
		" UNION ALL SELECT 1 FROM slip WHERE unit=?1 AND category=?2 AND issued=?3"
		" UNION ALL SELECT 1 FROM fact WHERE subject=?1 AND attr=?4 AND effective=?3"
		"  AND CAST(after AS INTEGER) > CAST(COALESCE(before,'0') AS INTEGER) LIMIT 1";
	char attr[BZ_KEY_MAX];
	bz_attr_frozen(attr, cat);
	*yes = false;
	bz_st *st = bz_stmt(cx->l, sql);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, unit);
	bz_bind_text(st, 2, cat);
	bz_bind_text(st, 3, date);
	bz_bind_text(st, 4, attr);
	return bz_step_exists(cx->l, st, yes);
}

/* whether the establishment of unit × category was cut on date (by this transaction, at commit) */
static int est_cut_at(bz_rule_ctx *cx, const char *unit, const char *cat, const char *date, bool *yes)
{
	static const char sql[] =
		"SELECT 1 FROM fact f JOIN event e ON e.id=f.event WHERE f.subject=?1 AND f.attr=?2 AND f.effective=?3"
		" AND CAST(f.after AS INTEGER) < CAST(COALESCE(f.before,'0') AS INTEGER) AND (?4=0 OR e.txn=?4) LIMIT 1";
	char attr[BZ_KEY_MAX];
	bz_attr_est(attr, cat);
	*yes = false;
	bz_st *st = bz_stmt(cx->l, sql);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, unit);
	bz_bind_text(st, 2, attr);
	bz_bind_text(st, 3, date);
	bz_st_bind_int64(st, 4, cx->txn_no);
	return bz_step_exists(cx->l, st, yes);
}

int bz_check_r1(bz_rule_ctx *cx, const bz_touch *touch)
{
	bz_ledger *l = cx->l;
	const char *unit = touch->id, *cat = touch->aux;
	char *catname = NULL, *uname = NULL, prev[BZ_DATE_LEN + 1];
	bz_dates ds = {0}, rises = {0};
	size_t rcur = 0;
	uc_keys k;
	hist h;
	uc_state s = {0}, before = {0};
	int nature = 0;
	uc_keys_make(&k, unit, cat);
	bz_date_add_days(prev, touch->from, -1);
	int rc = hist_load(cx, &h, &k, touch->from);
	if (rc != BZ_OK || (rc = bz_category_info(l, cat, NULL, NULL, &catname)) != BZ_OK ||
	    (rc = hist_dates(cx, &h, touch->from, &ds)) != BZ_OK ||
	    (rc = bz_rx_unit_nature_at(cx, unit, touch->from, &nature)) != BZ_OK ||
	    (!cx->txn && (rc = rises_load(cx, unit, cat, touch->from, &rises)) != BZ_OK))
		goto done;
	hist_at(&h, prev, &before);
	bool warned = false;
	for (size_t i = 0; i < ds.n; i++) {
		const char *e = ds.d[i];
		hist_at(&h, e, &s);
		/* the excess the day before e: a state is constant between two breakpoints */
		int64_t excess_before = before.staff > before.est ? before.staff - before.est : 0;
		before = s;
		bool here = false, rose = bz_txn_rose(cx, unit, cat, e, &here);
		if (!cx->txn) /* the self-inspection: a record says the use rose that day */
			rose = here = dates_has(&rises, e, &rcur);
		bz__free(uname);
		uname = NULL;
		if (rose && uc_used(&s) > s.est) {
			if (!here)
				continue; /* a later state made invalid: R7's */
			if ((rc = bz_unit_name_at(l, unit, e, &uname)) != BZ_OK)
				goto done;
			rc = bz_raise(cx, BZ_VIO(.rule = BZ_RULE_R1, .severity = BZ_SEVERITY_ERROR, .subject = unit,
						 .subject_name = uname, .category = cat, .allowed = s.est,
						 .actual = uc_used(&s), .date = e, .document = touch->doc),
				      "R1 不准超编进人: %s %s establishment %lld; in post %lld, reserved %lld, frozen %lld on %s",
				      uname, catname, (long long)s.est, (long long)s.staff, (long long)s.resv,
				      (long long)s.frozen, e);
			if (rc != BZ_OK)
				goto done;
			continue;
		}
		if (s.staff <= s.est)
			continue;
		/* seed §6: 行政机关不得产生新的超编 — a cut that deepens an organ's excess, even one already
		 * over, makes new over-establishment; only the excess it had may be absorbed */
		bool cut = false;
		if (nature == BZ_NATURE_ORGAN && s.staff - s.est > excess_before &&
		    (rc = est_cut_at(cx, unit, cat, e, &cut)) != BZ_OK)
			goto done;
		if (warned && !cut)
			continue;
		if ((rc = bz_unit_name_at(l, unit, e, &uname)) != BZ_OK)
			goto done;
		if (cut)
			rc = bz_raise(cx, BZ_VIO(.rule = BZ_RULE_R1, .severity = BZ_SEVERITY_ERROR, .subject = unit,
						 .subject_name = uname, .category = "organ:new-over", .allowed = s.est,
						 .actual = s.staff, .date = e, .document = touch->doc),
				      "R1 行政机关不得产生新的超编: cutting %s %s to %lld on %s leaves %lld in post; an administrative organ may not be made over establishment",
				      uname, catname, (long long)s.est, e, (long long)s.staff);
		else
			rc = bz_raise(cx, BZ_VIO(.rule = BZ_RULE_R1, .severity = BZ_SEVERITY_WARNING, .subject = unit,
						 .subject_name = uname, .category = cat, .allowed = s.est,
						 .actual = s.staff, .date = e, .document = touch->doc),
				      "R1 超编: %s %s over establishment by %lld on %s, to be absorbed (消化)", uname,
				      catname, (long long)(s.staff - s.est), e);
		if (rc != BZ_OK)
			goto done;
		warned = warned || !cut;
	}
done:
	bz__free(ds.d);
	bz__free(rises.d);
	bz__free(catname);
	bz__free(uname);
	return rc;
}

/*
 * The excess (use − establishment, 0 if none) at the start of the
 * transaction's rises of unit × category that cover date but began before
 * it: a rise that was already over where it began is R1's there (an error,
 * or a documented exception), and the same excess carried on to a later
 * date is no retroactive break.
 */
static int rise_base(bz_rule_ctx *cx, const uc_keys *k, const hist *h, const char *hfrom, const char *unit,
		     const char *cat, const char *date, int64_t *base)
{
	*base = 0;
	const bz_rise *const *rs;
	size_t n = bz_txn_rises(cx, unit, cat, &rs);
	for (size_t i = 0; i < n; i++) {
		const bz_rise *r = rs[i];
		if (strcmp(r->from, date) >= 0 || (r->to[0] && strcmp(date, r->to) >= 0))
			continue;
		uc_state s = {0};
		if (strcmp(r->from, hfrom) >= 0) { /* within the counters' reading (h, from the day before hfrom) */
			hist at = *h;
			memset(at.cur, 0, sizeof at.cur);
			hist_at(&at, r->from, &s);
		} else {
			int rc = uc_at(cx->l, k, r->from, &s);
			if (rc != BZ_OK)
				return rc;
		}
		if (uc_used(&s) - s.est > *base)
			*base = uc_used(&s) - s.est;
	}
	return BZ_OK;
}

/* R7, retroactive part: the transaction raised the use from an earlier date and a later state is over */
int bz_check_r7_uc(bz_rule_ctx *cx, const bz_touch *touch)
{
	if (!cx->txn)
		return BZ_OK; /* the self-inspection reports every rise over establishment as R1 */
	bz_ledger *l = cx->l;
	const char *unit = touch->id, *cat = touch->aux;
	char *catname = NULL, *uname = NULL;
	bz_dates ds = {0};
	uc_keys k;
	hist h;
	uc_state s = {0};
	uc_keys_make(&k, unit, cat);
	int rc = hist_load(cx, &h, &k, touch->from);
	if (rc != BZ_OK || (rc = bz_category_info(l, cat, NULL, NULL, &catname)) != BZ_OK ||
	    (rc = hist_dates(cx, &h, touch->from, &ds)) != BZ_OK)
		goto done;
	for (size_t i = 0; i < ds.n; i++) {
		const char *e = ds.d[i];
		bool here = false, later = false;
		bool rose = bz_txn_rose(cx, unit, cat, e, &here);
		if (here)
			continue; /* R1's */
		/* within establishment that day: nothing breaks whatever rose (the base below is never negative) */
		hist_at(&h, e, &s);
		if (uc_used(&s) - s.est <= 0)
			continue;
		/*
		 * A use recorded as rising on e (a hire, a slip, a freeze) made invalid by this change — also
		 * one dated e itself: a day is judged by the state it ends in, whatever order its changes
		 * were recorded in, as R1 judges a hire after a cut of the same day.
		 */
		if ((rc = rose_on(cx, unit, cat, e, &later)) != BZ_OK)
			goto done;
		if (!rose && !later)
			continue;
		int64_t base = 0;
		if (!later && (rc = rise_base(cx, &k, &h, touch->from, unit, cat, e, &base)) != BZ_OK)
			goto done;
		if (uc_used(&s) - s.est <= base)
			continue;
		/* a rise of that day a document excepted (政策性安置) stays excepted, as in the self-inspection */
		bool excepted = false;
		if (later && (rc = bz_excepted(cx, BZ_RULE_R1, unit, e, &excepted)) != BZ_OK)
			goto done;
		if (excepted)
			continue;
		if ((rc = bz_unit_name_at(l, unit, e, &uname)) != BZ_OK)
			goto done;
		rc = bz_raise(cx, BZ_VIO(.rule = BZ_RULE_R7, .severity = BZ_SEVERITY_ERROR, .subject = unit,
					 .subject_name = uname, .category = cat, .allowed = s.est, .actual = uc_used(&s),
					 .date = e, .document = touch->doc),
			      "R7 演变过程无间断: a change dated %s leaves %s %s establishment %lld below the %lld in post, reserved and frozen on %s",
			      touch->from, uname, catname, (long long)s.est, (long long)uc_used(&s), e);
		break; /* the first later state that breaks is enough */
	}
done:
	bz__free(ds.d);
	bz__free(catname);
	bz__free(uname);
	return rc;
}

int bz_check_r11(bz_rule_ctx *cx, const bz_touch *touch)
{
	bz_ledger *l = cx->l;
	const char *unit = touch->id, *cat = touch->aux;
	char *catname = NULL, *uname = NULL;
	bz_dates ds = {0};
	uc_keys k;
	hist h = {0};
	uc_state s = {0};
	int natures = 0, nature = 0;
	uc_keys_make(&k, unit, cat);
	int rc = bz_category_info(l, cat, NULL, &natures, &catname);
	if (rc != BZ_OK || (rc = bz_rx_unit_nature_at(cx, unit, touch->from, &nature)) != BZ_OK)
		goto done;
	if (natures & nature)
		goto done;
	if ((rc = hist_load(cx, &h, &k, touch->from)) != BZ_OK || (rc = hist_dates(cx, &h, touch->from, &ds)) != BZ_OK)
		goto done;
	for (size_t i = 0; i < ds.n; i++) {
		const char *e = ds.d[i];
		hist_at(&h, e, &s);
		if (s.est <= 0 && uc_used(&s) <= 0)
			continue;
		if ((rc = bz_unit_name_at(l, unit, e, &uname)) != BZ_OK)
			goto done;
		rc = bz_raise(cx, BZ_VIO(.rule = BZ_RULE_R11, .severity = BZ_SEVERITY_ERROR, .subject = unit,
					 .subject_name = uname, .category = cat, .allowed = 0,
					 .actual = s.est > uc_used(&s) ? s.est : uc_used(&s), .date = e,
					 .document = touch->doc),
			      "R11 不得混用: %s is a %s; %s (%s) may not be used by it (on %s)", uname,
			      bz_nature_name(nature), catname, cat, e);
		break;
	}
done:
	bz__free(ds.d);
	bz__free(catname);
	bz__free(uname);
	return rc;
}

/* ---- jurisdiction × branch ------------------------------------------------------------- */

typedef struct jb {
	uc_keys k;
	char attr[BZ_KEY_MAX];
	char cat[16];
	int branch;
	char *label;
	hist h;
	bz_dates ds;
} jb;

static int dates_add_cb(bz_ledger *l, void *ds, const char *d) { return dates_add(l, ds, d); }

/* the dates from `from` on (to until) on which a fact of subject × attr takes effect, from the timeline
 * R4 reads the limit from (the memo's: one statement less per jurisdiction × branch, issue 10) */
static int fact_dates(bz_rule_ctx *cx, const char *subject, const char *attr, const char *from, bz_dates *ds)
{
	return bz_rx_fact_dates(cx, subject, attr, from, cx->until, dates_add_cb, ds);
}

/*
 * The counters of jurisdiction × branch and the dates to examine: the
 * limit's and those of the counters in mask (R4 compares establishment with
 * the limit only: its state changes only where one of them does, so the
 * first date over the limit is among those dates; R9 needs all four).
 */
static int jb_open(bz_rule_ctx *cx, const bz_touch *touch, jb *j, unsigned mask)
{
	memset(j, 0, sizeof *j);
	j->branch = touch->aux && touch->aux[0] == '2' ? 2 : 1;
	for (int i = 0; i < 4; i++)
		bz_key_jur(j->k.k[i], touch->id, (bz_counter)i, j->branch);
	bz_attr_limit(j->attr, j->branch);
	snprintf(j->cat, sizeof j->cat, "branch:%d", j->branch);
	int rc = bz_rx_jurisdiction_label(cx, touch->id, &j->label); /* R4's and R9's: read once */
	if (rc == BZ_OK)
		rc = hist_load(cx, &j->h, &j->k, touch->from);
	if (rc == BZ_OK)
		rc = fact_dates(cx, touch->id, j->attr, touch->from, &j->ds);
	if (rc == BZ_OK)
		rc = hist_dates_of(cx, &j->h, touch->from, &j->ds, mask);
	return rc;
}

static void jb_close(jb *j)
{
	bz__free(j->label);
	bz__free(j->ds.d);
}

int bz_check_r4(bz_rule_ctx *cx, const bz_touch *touch)
{
	jb j;
	int rc = jb_open(cx, touch, &j, 1u << BZ_CNT_EST);
	int64_t limit = -1;
	const char *next = NULL; /* the limit holds until then: read again only there (dates ascend) */
	for (size_t i = 0; rc == BZ_OK && i < j.ds.n; i++) {
		const char *e = j.ds.d[i];
		uc_state s = {0};
		hist_at(&j.h, e, &s);
		if ((i == 0 || (next && strcmp(e, next) >= 0)) &&
		    (rc = bz_rx_fact_int_span(cx, &limit, touch->id, j.attr, e, -1, &next)) != BZ_OK)
			break;
		if (limit < 0 || s.est <= limit)
			continue;
		rc = bz_raise(cx, BZ_VIO(.rule = BZ_RULE_R4, .severity = BZ_SEVERITY_ERROR, .subject = touch->id,
					 .subject_name = j.label, .category = j.cat, .allowed = limit, .actual = s.est,
					 .date = e, .document = touch->doc),
			      "R4 编制限额: %s %s establishment %lld exceeds its quota limit %lld on %s", j.label,
			      j.branch == 1 ? "行政编制 (分账1)" : "事业编制 (分账2)", (long long)s.est, (long long)limit, e);
		break;
	}
	jb_close(&j);
	return rc;
}

int bz_check_r9(bz_rule_ctx *cx, const bz_touch *touch)
{
	jb j;
	int rc = jb_open(cx, touch, &j, 0xfu);
	const char *pname = j.branch == 1 ? "vacancy_reserve.administrative" : "vacancy_reserve.institution";
	int64_t permille = 0;
	const char *next = NULL; /* the parameter holds until then: read again only there (dates ascend) */
	for (size_t i = 0; rc == BZ_OK && i < j.ds.n; i++) {
		const char *e = j.ds.d[i];
		uc_state s = {0};
		hist_at(&j.h, e, &s);
		if ((i == 0 || (next && strcmp(e, next) >= 0)) &&
		    (rc = bz_rx_param_int_span(cx, &permille, pname, e, j.branch == 1 ? 10 : 15, &next)) != BZ_OK)
			break;
		/* seed §6: vacancies ≥ 1% (administrative) / 1.5% (institution) of establishment */
		int64_t vacant = s.est - uc_used(&s);
		if (s.est <= 0 || vacant * 1000 >= s.est * permille)
			continue;
		int64_t need = (s.est * permille + 999) / 1000;
		rc = bz_raise(cx, BZ_VIO(.rule = BZ_RULE_R9, .severity = BZ_SEVERITY_WARNING, .subject = touch->id,
					 .subject_name = j.label, .category = j.cat, .allowed = need, .actual = vacant,
					 .date = e, .document = touch->doc),
			      "R9 空编: %s %s vacancies %lld below the reserve of %lld.%lld%% of establishment %lld (%lld) on %s",
			      j.label, j.branch == 1 ? "行政编制" : "事业编制", (long long)vacant, (long long)(permille / 10),
			      (long long)(permille % 10), (long long)s.est, (long long)need, e);
		break;
	}
	jb_close(&j);
	return rc;
}
