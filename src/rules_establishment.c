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

static int uc_dates(bz_rule_ctx *cx, const uc_keys *k, const char *from, bz_dates *ds)
{
	const char *keys[4] = {k->k[0], k->k[1], k->k[2], k->k[3]};
	return bz_check_dates(cx->l, ds, keys, NULL, NULL, from, cx->until);
}

/*
 * In the self-inspection there is no transaction: a use rose on a date when
 * a record says so — a hire, a slip issued, posts frozen on that date.
 */
static int record_rose(bz_rule_ctx *cx, const char *unit, const char *cat, const char *date, bool *yes)
{
	static const char sql[] =
		"SELECT 1 FROM placement WHERE unit=?1 AND category=?2 AND entry=?3"
		" UNION ALL SELECT 1 FROM slip WHERE unit=?1 AND category=?2 AND issued=?3"
		" UNION ALL SELECT 1 FROM fact WHERE subject=?1 AND attr=?4 AND effective=?3"
		"  AND CAST(after AS INTEGER) > CAST(COALESCE(before,'0') AS INTEGER) LIMIT 1";
	char attr[BZ_KEY_MAX];
	bz_attr_frozen(attr, cat);
	*yes = false;
	sqlite3_stmt *st = bz_stmt(cx->l, sql);
	if (!st)
		return BZ_ERROR;
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
	sqlite3_stmt *st = bz_stmt(cx->l, sql);
	if (!st)
		return BZ_ERROR;
	bz_bind_text(st, 1, unit);
	bz_bind_text(st, 2, attr);
	bz_bind_text(st, 3, date);
	sqlite3_bind_int64(st, 4, cx->txn_no);
	return bz_step_exists(cx->l, st, yes);
}

int bz_check_r1(bz_rule_ctx *cx, const bz_touch *touch)
{
	bz_ledger *l = cx->l;
	const char *unit = touch->id, *cat = touch->aux;
	char *catname = NULL, *uname = NULL, prev[BZ_DATE_LEN + 1];
	bz_dates ds = {0};
	uc_keys k;
	uc_state s = {0}, before = {0};
	int nature = 0;
	uc_keys_make(&k, unit, cat);
	int rc = bz_category_info(l, cat, NULL, NULL, &catname);
	if (rc != BZ_OK || (rc = uc_dates(cx, &k, touch->from, &ds)) != BZ_OK ||
	    (rc = bz_unit_nature_at(l, unit, touch->from, &nature)) != BZ_OK)
		goto done;
	bz_date_add_days(prev, touch->from, -1);
	if ((rc = uc_at(l, &k, prev, &before)) != BZ_OK)
		goto done;
	bool warned = false;
	for (size_t i = 0; i < ds.n; i++) {
		const char *e = ds.d[i];
		if ((rc = uc_at(l, &k, e, &s)) != BZ_OK)
			goto done;
		/* the excess the day before e: a state is constant between two breakpoints */
		int64_t excess_before = before.staff > before.est ? before.staff - before.est : 0;
		before = s;
		bool here = false, rose = bz_txn_rose(cx, unit, cat, e, &here);
		if (!cx->txn && (rc = record_rose(cx, unit, cat, e, &here)) != BZ_OK)
			goto done;
		if (!cx->txn)
			rose = here;
		free(uname);
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
	free(ds.d);
	free(catname);
	free(uname);
	return rc;
}

/*
 * The excess (use − establishment, 0 if none) at the start of the
 * transaction's rises of unit × category that cover date but began before
 * it: a rise that was already over where it began is R1's there (an error,
 * or a documented exception), and the same excess carried on to a later
 * date is no retroactive break.
 */
static int rise_base(bz_rule_ctx *cx, const uc_keys *k, const char *unit, const char *cat, const char *date,
		     int64_t *base)
{
	*base = 0;
	for (size_t i = 0; i < cx->txn->nrise; i++) {
		const bz_rise *r = &cx->txn->rise[i];
		if (strcmp(r->unit, unit) != 0 || strcmp(r->category, cat) != 0 || strcmp(r->from, date) >= 0 ||
		    (r->to[0] && strcmp(date, r->to) >= 0))
			continue;
		uc_state s = {0};
		int rc = uc_at(cx->l, k, r->from, &s);
		if (rc != BZ_OK)
			return rc;
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
	uc_state s = {0};
	uc_keys_make(&k, unit, cat);
	int rc = bz_category_info(l, cat, NULL, NULL, &catname);
	if (rc != BZ_OK || (rc = uc_dates(cx, &k, touch->from, &ds)) != BZ_OK)
		goto done;
	for (size_t i = 0; i < ds.n; i++) {
		const char *e = ds.d[i];
		bool here = false, later = false;
		bool rose = bz_txn_rose(cx, unit, cat, e, &here);
		if (here)
			continue; /* R1's */
		/*
		 * A use recorded as rising on e (a hire, a slip, a freeze) made invalid by this change — also
		 * one dated e itself: a day is judged by the state it ends in, whatever order its changes
		 * were recorded in, as R1 judges a hire after a cut of the same day.
		 */
		if ((rc = record_rose(cx, unit, cat, e, &later)) != BZ_OK)
			goto done;
		if (!rose && !later)
			continue;
		int64_t base = 0;
		if ((rc = uc_at(l, &k, e, &s)) != BZ_OK ||
		    (!later && (rc = rise_base(cx, &k, unit, cat, e, &base)) != BZ_OK))
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
	free(ds.d);
	free(catname);
	free(uname);
	return rc;
}

int bz_check_r11(bz_rule_ctx *cx, const bz_touch *touch)
{
	bz_ledger *l = cx->l;
	const char *unit = touch->id, *cat = touch->aux;
	char *catname = NULL, *uname = NULL;
	bz_dates ds = {0};
	uc_keys k;
	uc_state s = {0};
	int natures = 0, nature = 0;
	uc_keys_make(&k, unit, cat);
	int rc = bz_category_info(l, cat, NULL, &natures, &catname);
	if (rc != BZ_OK || (rc = uc_dates(cx, &k, touch->from, &ds)) != BZ_OK ||
	    (rc = bz_unit_nature_at(l, unit, touch->from, &nature)) != BZ_OK)
		goto done;
	if (natures & nature)
		goto done;
	for (size_t i = 0; i < ds.n; i++) {
		const char *e = ds.d[i];
		if ((rc = uc_at(l, &k, e, &s)) != BZ_OK)
			goto done;
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
	free(ds.d);
	free(catname);
	free(uname);
	return rc;
}

/* ---- jurisdiction × branch ------------------------------------------------------------- */

typedef struct jb {
	char k[4][BZ_KEY_MAX];
	char attr[BZ_KEY_MAX];
	char cat[16];
	int branch;
	char *label;
	bz_dates ds;
} jb;

static int jb_open(bz_rule_ctx *cx, const bz_touch *touch, jb *j)
{
	memset(j, 0, sizeof *j);
	j->branch = touch->aux && touch->aux[0] == '2' ? 2 : 1;
	for (int i = 0; i < 4; i++)
		bz_key_jur(j->k[i], touch->id, (bz_counter)i, j->branch);
	bz_attr_limit(j->attr, j->branch);
	snprintf(j->cat, sizeof j->cat, "branch:%d", j->branch);
	int rc = bz_jurisdiction_info(cx->l, touch->id, NULL, &j->label);
	if (rc != BZ_OK)
		return rc;
	const char *keys[4] = {j->k[0], j->k[1], j->k[2], j->k[3]};
	return bz_check_dates(cx->l, &j->ds, keys, touch->id, j->attr, touch->from, cx->until);
}

static void jb_close(jb *j)
{
	free(j->label);
	free(j->ds.d);
}

static int jb_at(bz_ledger *l, const jb *j, const char *e, uc_state *s)
{
	int rc;
	if ((rc = bz_tl_at(l, &s->est, j->k[BZ_CNT_EST], e)) != BZ_OK ||
	    (rc = bz_tl_at(l, &s->staff, j->k[BZ_CNT_STAFF], e)) != BZ_OK ||
	    (rc = bz_tl_at(l, &s->resv, j->k[BZ_CNT_RESV], e)) != BZ_OK)
		return rc;
	return bz_tl_at(l, &s->frozen, j->k[BZ_CNT_FROZEN], e);
}

int bz_check_r4(bz_rule_ctx *cx, const bz_touch *touch)
{
	jb j;
	int rc = jb_open(cx, touch, &j);
	for (size_t i = 0; rc == BZ_OK && i < j.ds.n; i++) {
		const char *e = j.ds.d[i];
		uc_state s = {0};
		int64_t limit = -1;
		if ((rc = jb_at(cx->l, &j, e, &s)) != BZ_OK ||
		    (rc = bz_fact_int_at(cx->l, &limit, touch->id, j.attr, e, -1)) != BZ_OK)
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
	int rc = jb_open(cx, touch, &j);
	const char *pname = j.branch == 1 ? "vacancy_reserve.administrative" : "vacancy_reserve.institution";
	for (size_t i = 0; rc == BZ_OK && i < j.ds.n; i++) {
		const char *e = j.ds.d[i];
		uc_state s = {0};
		int64_t permille = 0;
		if ((rc = jb_at(cx->l, &j, e, &s)) != BZ_OK ||
		    (rc = bz_param_int_at(cx->l, &permille, pname, e, j.branch == 1 ? 10 : 15)) != BZ_OK)
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
