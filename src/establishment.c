/*
 * establishment.c: categories, establishment per unit and category,
 * transfers, quota limits, Table 1 and the limit ledger, and the checkers
 * of R1/R7/R11 (touch BZ_TOUCH_UNIT_CAT) and R4/R9 (BZ_TOUCH_JUR_BRANCH).
 *
 * Establishment lives twice: as facts (subject = unit, attr "est:<cat>",
 * the record of what was approved) and as the derived counters
 * "U:<unit>:est:<cat>" and "J:<jur>:est:<branch>", kept by interval deltas
 * so that a checker reads one subject's step functions and never sums over
 * the ledger.
 */
#include "catalogue.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EST_MAX BZ_COUNT_MAX

/* ---- categories ---------------------------------------------------------- */

struct bz_category {
	char *code, *name;
	int branch, natures;
};
struct bz_category_iter {
	bz_iter base;
};

static bool code_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n < 1 || n > 16)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!(isupper((unsigned char)s[i]) || isdigit((unsigned char)s[i]) || s[i] == '_'))
			return false;
	return true;
}

/* branch and natures of a category; ENOTFOUND with message */
int bz_category_info(bz_ledger *l, const char *code, int *branch, int *natures, char **name)
{
	static const char sql[] = "SELECT branch, natures, name FROM category WHERE code=?1";
	const bz_catinfo *c = bz_txn_cat_get(l, code); /* read once per transaction */
	if (c) {
		if (branch)
			*branch = c->branch;
		if (natures)
			*natures = c->natures;
		if (name && !(*name = bz_strdup(c->name)) && c->name)
			return bz_fail(l, BZ_ENOMEM, "out of memory");
		return BZ_OK;
	}
	bz_st *st = bz_stmt(l, sql);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, code);
	int rc = bz_step(st), code_ = BZ_OK;
	if (rc == SQLITE_ROW) {
		bz_txn_cat_put(l, code, bz_st_column_int(st, 0), bz_st_column_int(st, 1),
			       (const char *)bz_st_column_text(st, 2));
		if (branch)
			*branch = bz_st_column_int(st, 0);
		if (natures)
			*natures = bz_st_column_int(st, 1);
		if (name) {
			bool ok = true;
			*name = bz_col_strdup(st, 2, &ok);
			if (!ok)
				code_ = bz_fail(l, BZ_ENOMEM, "out of memory");
		}
	} else if (rc == SQLITE_DONE) {
		code_ = bz_fail(l, BZ_ENOTFOUND, "no establishment category %.20s", bz_utf8_valid(code) ? code : "?");
	} else {
		code_ = bz_sqlfail(l, rc);
	}
	bz_st_reset(st);
	return code_;
}

BZ_EXTERN int bz_category_add(bz_txn *txn, const char *code, const char *name, int branch, int natures)
{
	if (!txn || !txn->l)
		return txn ? BZ_EMISUSE : BZ_EINVAL;
	bz_ledger *l = txn->l;
	if (!code_ok(code))
		return bz_fail(l, BZ_EINVAL, "a category code is 1-16 characters A-Z, 0-9 or _");
	if (!bz_text_ok(name))
		return bz_fail(l, BZ_EINVAL, "a category needs a name (non-empty UTF-8)");
	if (branch != BZ_BRANCH_ADMINISTRATIVE && branch != BZ_BRANCH_INSTITUTION)
		return bz_fail(l, BZ_EINVAL, "branch must be 1 (administrative) or 2 (institution)");
	if (natures <= 0 || natures > 15)
		return bz_fail(l, BZ_EINVAL, "natures must be a non-empty set of bz_nature bits");
	int rc = bz_change_begin(txn);
	if (rc != BZ_OK)
		return rc;
	static const char dup[] = "SELECT 1 FROM category WHERE code=?1 OR name=?2";
	bz_st *st = bz_stmt(l, dup);
	if (!st)
		return bz_change_end(txn, bz_stmt_err());
	bz_bind_text(st, 1, code);
	bz_bind_text(st, 2, name);
	bool taken = false;
	if ((rc = bz_step_exists(l, st, &taken)) != BZ_OK)
		return bz_change_end(txn, rc);
	if (taken)
		return bz_change_end(txn, bz_fail(l, BZ_EEXISTS, "category %s or name %s exists", code, name));
	static const char ins[] = "INSERT INTO category(code, name, branch, natures) VALUES(?1,?2,?3,?4)";
	st = bz_stmt(l, ins);
	if (!st)
		return bz_change_end(txn, bz_stmt_err());
	bz_bind_text(st, 1, code);
	bz_bind_text(st, 2, name);
	bz_st_bind_int(st, 3, branch);
	bz_st_bind_int(st, 4, natures);
	rc = bz_step_done(l, st);
	long long ev = 0;
	char today[BZ_DATE_LEN + 1];
	bz_today(l, today);
	if (rc == BZ_OK)
		rc = bz_event_write(txn, &ev, "category.add", code, NULL, today, name);
	return bz_change_end(txn, rc);
}

static int category_make(void **out, bz_st *st, bz_ledger *l)
{
	struct bz_category *c = bz__calloc(1, sizeof *c);
	bool ok = c != NULL;
	if (c) {
		c->code = bz_col_strdup(st, 0, &ok);
		if (ok)
			c->name = bz_col_strdup(st, 1, &ok);
		c->branch = bz_st_column_int(st, 2);
		c->natures = bz_st_column_int(st, 3);
	}
	if (!ok) {
		bz_category_free(c);
		return bz_fail(l, BZ_ENOMEM, "out of memory");
	}
	*out = c;
	return BZ_OK;
}

BZ_EXTERN int bz_category_lookup(bz_category **out, bz_ledger *ledger, const char *code)
{
	if (!out)
		return BZ_EINVAL;
	*out = NULL;
	if (!ledger || !bz_text_ok(code))
		return ledger ? bz_fail(ledger, BZ_EINVAL, "a category code is required") : BZ_EINVAL;
	static const char sql[] = "SELECT code, name, branch, natures FROM category WHERE code=?1";
	bz_st *st = bz_stmt(ledger, sql);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, code);
	int rc = bz_step(st), code_;
	if (rc == SQLITE_ROW)
		code_ = category_make((void **)out, st, ledger);
	else if (rc == SQLITE_DONE)
		code_ = bz_fail(ledger, BZ_ENOTFOUND, "no establishment category %.20s", code);
	else
		code_ = bz_sqlfail(ledger, rc);
	bz_st_reset(st);
	return code_ == BZ_OK ? bz_ok(ledger) : code_;
}

BZ_EXTERN int bz_category_list(bz_category_iter **out, bz_ledger *ledger)
{
	if (!out)
		return BZ_EINVAL;
	*out = NULL;
	if (!ledger)
		return BZ_EINVAL;
	bz_iter *it = NULL;
	int rc = bz_iter_new(&it, ledger, "SELECT code, name, branch, natures FROM category ORDER BY code",
			     category_make);
	if (rc != BZ_OK)
		return rc;
	*out = (bz_category_iter *)it;
	return bz_ok(ledger);
}

BZ_EXTERN int bz_category_iter_next(bz_category **out, bz_category_iter *it)
{
	return bz_iter_next((void **)out, it ? &it->base : NULL);
}
BZ_EXTERN void bz_category_iter_free(bz_category_iter *it) { bz_iter_free(it ? &it->base : NULL); }
BZ_EXTERN const char *bz_category_code(const bz_category *c) { return c ? c->code : NULL; }
BZ_EXTERN const char *bz_category_name(const bz_category *c) { return c ? c->name : NULL; }
BZ_EXTERN int bz_category_branch(const bz_category *c) { return c ? c->branch : 0; }
BZ_EXTERN int bz_category_natures(const bz_category *c) { return c ? c->natures : 0; }
BZ_EXTERN void bz_category_free(bz_category *c)
{
	if (!c)
		return;
	bz__free(c->code);
	bz__free(c->name);
	bz__free(c);
}

/* ---- establishment ------------------------------------------------------- */

/*
 * The one place establishment changes: fact + counters + touches. The new
 * figure holds over [date, next change of that unit-category), so the
 * counters move by new − old over exactly that interval.
 */
static int est_write(bz_txn *t, bz_counter what, const char *unit, const char *cat, int branch, int64_t posts,
		     const char *date, const char *kind, const char *note)
{
	bz_ledger *l = t->l;
	char attr[BZ_KEY_MAX], key[BZ_KEY_MAX], next[BZ_DATE_LEN + 1], val[24], br[2];
	char *jur = NULL;
	int64_t old = 0;
	bool has_next = false;
	long long ev = 0;
	int rc;
	if (what == BZ_CNT_FROZEN)
		bz_attr_frozen(attr, cat);
	else
		bz_attr_est(attr, cat);
	if ((rc = bz_fact_int_at(l, &old, unit, attr, date, 0)) != BZ_OK ||
	    (rc = bz_fact_next(l, next, &has_next, unit, attr, date)) != BZ_OK ||
	    (rc = bz_unit_jurisdiction_of(l, unit, &jur)) != BZ_OK)
		goto done;
	snprintf(val, sizeof val, "%lld", (long long)posts);
	if ((rc = bz_event_write(t, &ev, kind, unit, unit, date, note)) != BZ_OK ||
	    (rc = bz_fact_write(t, ev, unit, attr, date, val)) != BZ_OK)
		goto done;
	bz_key_unit(key, unit, what, cat);
	if ((rc = bz_tl_add(l, key, date, has_next ? next : NULL, posts - old)) != BZ_OK)
		goto done;
	/* freezing more posts raises the use of the unit: R1 re-examines it */
	if (what == BZ_CNT_FROZEN && posts > old &&
	    (rc = bz_txn_rise(t, unit, cat, date, has_next ? next : NULL)) != BZ_OK)
		goto done;
	bz_key_jur(key, jur, what, branch);
	if ((rc = bz_tl_add(l, key, date, has_next ? next : NULL, posts - old)) != BZ_OK)
		goto done;
	snprintf(br, sizeof br, "%d", branch);
	if ((rc = bz_txn_touch(t, BZ_TOUCH_UNIT_CAT, unit, cat, date)) != BZ_OK)
		goto done;
	rc = bz_txn_touch(t, BZ_TOUCH_JUR_BRANCH, jur, br, date);
done:
	bz__free(jur);
	return rc;
}

static int est_args(bz_txn *t, const char *unit, const char *cat, const char *date, int *branch)
{
	bz_ledger *l = t->l;
	if (!bz_uuid_ok(unit))
		return bz_fail(l, BZ_EINVAL, "a unit UUID is required");
	if (!bz_text_ok(cat))
		return bz_fail(l, BZ_EINVAL, "a category code is required");
	if (!bz_date_ok(date))
		return bz_fail(l, BZ_EINVAL, "a valid date YYYY-MM-DD is required");
	int rc = bz_unit_exists(l, unit);
	if (rc == BZ_OK)
		rc = bz_category_info(l, cat, branch, NULL, NULL);
	return rc;
}

/* set one figure of unit × category (establishment, or frozen posts) from date on */
static int est_change(bz_txn *txn, bz_counter what, const char *unit_uuid, const char *category, int64_t posts,
		      const char *date, const char *kind, const char *range_msg)
{
	if (!txn)
		return BZ_EINVAL;
	if (!txn->open || !txn->l)
		return bz_change_begin(txn);
	if (posts < 0 || posts > EST_MAX)
		return bz_fail(txn->l, BZ_EINVAL, range_msg, EST_MAX);
	int branch = 0;
	int rc = est_args(txn, unit_uuid, category, date, &branch);
	if (rc != BZ_OK)
		return rc;
	if ((rc = bz_change_begin(txn)) != BZ_OK)
		return rc;
	rc = est_write(txn, what, unit_uuid, category, branch, posts, date, kind, NULL);
	return bz_change_end(txn, rc);
}

BZ_EXTERN int bz_establishment_set(bz_txn *txn, const char *unit_uuid, const char *category, int64_t posts,
				   const char *date)
{
	return est_change(txn, BZ_CNT_EST, unit_uuid, category, posts, date, "establishment.set",
			  "establishment must be 0..%d posts");
}

BZ_EXTERN int bz_establishment_transfer(bz_txn *txn, const char *from_unit_uuid, const char *to_unit_uuid,
					const char *category, int64_t posts, const char *date)
{
	if (!txn)
		return BZ_EINVAL;
	if (!txn->open || !txn->l)
		return bz_change_begin(txn);
	bz_ledger *l = txn->l;
	if (posts <= 0 || posts > EST_MAX)
		return bz_fail(l, BZ_EINVAL, "a transfer moves 1..%d posts", EST_MAX);
	int branch = 0;
	int rc = est_args(txn, from_unit_uuid, category, date, &branch);
	if (rc == BZ_OK)
		rc = est_args(txn, to_unit_uuid, category, date, &branch);
	if (rc != BZ_OK)
		return rc;
	if (strcmp(from_unit_uuid, to_unit_uuid) == 0)
		return bz_fail(l, BZ_EINVAL, "a transfer (划转) needs two different units");
	char attr[BZ_KEY_MAX];
	bz_attr_est(attr, category);
	int64_t from_old = 0, to_old = 0;
	if ((rc = bz_fact_int_at(l, &from_old, from_unit_uuid, attr, date, 0)) != BZ_OK ||
	    (rc = bz_fact_int_at(l, &to_old, to_unit_uuid, attr, date, 0)) != BZ_OK)
		return rc;
	if (from_old < posts)
		return bz_fail(l, BZ_EINVAL, "cannot transfer %lld posts of %s: the unit has %lld on %s",
			       (long long)posts, category, (long long)from_old, date);
	if (to_old + posts > EST_MAX)
		return bz_fail(l, BZ_EINVAL, "establishment must be 0..%d posts", EST_MAX);
	if ((rc = bz_change_begin(txn)) != BZ_OK)
		return rc;
	rc = est_write(txn, BZ_CNT_EST, from_unit_uuid, category, branch, from_old - posts, date, "establishment.transfer_out",
		       to_unit_uuid);
	if (rc == BZ_OK)
		rc = est_write(txn, BZ_CNT_EST, to_unit_uuid, category, branch, to_old + posts, date, "establishment.transfer_in",
			       from_unit_uuid);
	return bz_change_end(txn, rc);
}

BZ_EXTERN int bz_establishment_freeze(bz_txn *txn, const char *unit_uuid, const char *category, int64_t posts,
				      const char *date)
{
	return est_change(txn, BZ_CNT_FROZEN, unit_uuid, category, posts, date, "establishment.freeze",
			  "frozen posts must be 0..%d");
}

BZ_EXTERN int bz_establishment_frozen_get(int64_t *out, bz_ledger *ledger, const char *unit_uuid,
					  const char *category, const char *date)
{
	if (!out)
		return BZ_EINVAL;
	*out = 0;
	if (!ledger)
		return BZ_EINVAL;
	char today[BZ_DATE_LEN + 1], attr[BZ_KEY_MAX];
	date = bz_date_or_today(ledger, date, today);
	if (!bz_uuid_ok(unit_uuid) || !bz_text_ok(category) || !bz_date_ok(date))
		return bz_fail(ledger, BZ_EINVAL, "a unit UUID, a category and a valid date are required");
	int rc = bz_unit_exists(ledger, unit_uuid);
	if (rc == BZ_OK)
		rc = bz_category_info(ledger, category, NULL, NULL, NULL);
	bz_attr_frozen(attr, category);
	if (rc == BZ_OK)
		rc = bz_fact_int_at(ledger, out, unit_uuid, attr, date, 0);
	return rc == BZ_OK ? bz_ok(ledger) : rc;
}

/* ---- hiring plans (用编计划) ------------------------------------------------ */

BZ_EXTERN int bz_hiring_plan_set(bz_txn *txn, const char *unit_uuid, int year, int64_t posts)
{
	if (!txn)
		return BZ_EINVAL;
	if (!txn->open || !txn->l)
		return bz_change_begin(txn);
	bz_ledger *l = txn->l;
	if (!bz_uuid_ok(unit_uuid) || year < 1949 || year > 9998 || posts < 0 || posts > EST_MAX)
		return bz_fail(l, BZ_EINVAL, "a hiring plan needs a unit UUID, a year 1949..9998 and 0..%d posts", EST_MAX);
	int rc = bz_unit_exists(l, unit_uuid);
	if (rc != BZ_OK)
		return rc;
	char attr[BZ_KEY_MAX], date[BZ_DATE_LEN + 1], val[24];
	bz_attr_plan(attr, year);
	snprintf(date, sizeof date, "%04d-01-01", year);
	snprintf(val, sizeof val, "%lld", (long long)posts);
	if ((rc = bz_change_begin(txn)) != BZ_OK)
		return rc;
	long long ev = 0;
	if ((rc = bz_event_write(txn, &ev, "plan.set", unit_uuid, unit_uuid, date, NULL)) == BZ_OK)
		rc = bz_fact_write(txn, ev, unit_uuid, attr, date, val);
	return bz_change_end(txn, rc);
}

BZ_EXTERN int bz_hiring_plan_get(int64_t *out, bz_ledger *ledger, const char *unit_uuid, int year)
{
	if (!out)
		return BZ_EINVAL;
	*out = -1;
	if (!ledger)
		return BZ_EINVAL;
	if (!bz_uuid_ok(unit_uuid) || year < 1949 || year > 9998)
		return bz_fail(ledger, BZ_EINVAL, "a unit UUID and a year 1949..9998 are required");
	int rc = bz_unit_exists(ledger, unit_uuid);
	char attr[BZ_KEY_MAX];
	bz_attr_plan(attr, year);
	if (rc == BZ_OK)
		rc = bz_fact_int_at(ledger, out, unit_uuid, attr, NULL, -1);
	return rc == BZ_OK ? bz_ok(ledger) : rc;
}

BZ_EXTERN int bz_establishment_get(int64_t *out, bz_ledger *ledger, const char *unit_uuid, const char *category,
				   const char *date)
{
	if (!out)
		return BZ_EINVAL;
	*out = 0;
	if (!ledger)
		return BZ_EINVAL;
	char today[BZ_DATE_LEN + 1];
	date = bz_date_or_today(ledger, date, today);
	if (!bz_uuid_ok(unit_uuid) || !bz_text_ok(category) || !bz_date_ok(date))
		return bz_fail(ledger, BZ_EINVAL, "a unit UUID, a category and a valid date are required");
	int rc = bz_unit_exists(ledger, unit_uuid);
	if (rc == BZ_OK)
		rc = bz_category_info(ledger, category, NULL, NULL, NULL);
	char attr[BZ_KEY_MAX];
	bz_attr_est(attr, category);
	if (rc == BZ_OK)
		rc = bz_fact_int_at(ledger, out, unit_uuid, attr, date, 0);
	return rc == BZ_OK ? bz_ok(ledger) : rc;
}

/* ---- quota limits ---------------------------------------------------------- */

BZ_EXTERN int bz_limit_set(bz_txn *txn, const char *jurisdiction_code, int branch, int64_t posts, const char *date)
{
	if (!txn)
		return BZ_EINVAL;
	if (!txn->open || !txn->l)
		return bz_change_begin(txn);
	bz_ledger *l = txn->l;
	if (!bz_text_ok(jurisdiction_code) || !bz_date_ok(date))
		return bz_fail(l, BZ_EINVAL, "a division code and a valid date are required");
	if (branch != BZ_BRANCH_ADMINISTRATIVE && branch != BZ_BRANCH_INSTITUTION)
		return bz_fail(l, BZ_EINVAL, "a limit is set per branch: 1 (administrative) or 2 (institution)");
	if (posts < 0 || posts > EST_MAX)
		return bz_fail(l, BZ_EINVAL, "a limit must be 0..%d posts", EST_MAX);
	char *jur = NULL, *label = NULL;
	int level = 0;
	int rc = bz_jurisdiction_id(l, jurisdiction_code, &jur);
	if (rc != BZ_OK)
		return rc;
	if ((rc = bz_jurisdiction_info(l, jur, &level, &label)) != BZ_OK) {
		bz__free(jur);
		return rc;
	}
	if ((rc = bz_change_begin(txn)) != BZ_OK)
		goto out;
	char attr[BZ_KEY_MAX], val[24], br[2];
	bz_attr_limit(attr, branch);
	snprintf(val, sizeof val, "%lld", (long long)posts);
	snprintf(br, sizeof br, "%d", branch);
	long long ev = 0;
	if ((rc = bz_event_write(txn, &ev, "limit.set", jur, NULL, date, NULL)) == BZ_OK &&
	    (rc = bz_fact_write(txn, ev, jur, attr, date, val)) == BZ_OK)
		rc = bz_txn_touch(txn, BZ_TOUCH_JUR_BRANCH, jur, br, date);
	rc = bz_change_end(txn, rc);
out:
	bz__free(jur);
	bz__free(label);
	return rc;
}

struct bz_limit_ledger {
	char *code;
	char as_of[BZ_DATE_LEN + 1];
	int64_t limit[3], est[3], staff[3], resv[3], frozen[3];
};

BZ_EXTERN int bz_limit_ledger_get(bz_limit_ledger **out, bz_ledger *ledger, const char *jurisdiction_code,
				  const char *date)
{
	if (!out)
		return BZ_EINVAL;
	*out = NULL;
	if (!ledger)
		return BZ_EINVAL;
	char today[BZ_DATE_LEN + 1];
	date = bz_date_or_today(ledger, date, today);
	if (!bz_text_ok(jurisdiction_code) || !bz_date_ok(date))
		return bz_fail(ledger, BZ_EINVAL, "a division code and a valid date are required");
	char *jur = NULL;
	int rc = bz_jurisdiction_id(ledger, jurisdiction_code, &jur);
	if (rc != BZ_OK)
		return rc;
	struct bz_limit_ledger *lg = bz__calloc(1, sizeof *lg);
	if (!lg || !(lg->code = bz_strdup(jurisdiction_code))) {
		bz__free(lg);
		bz__free(jur);
		return bz_fail(ledger, BZ_ENOMEM, "out of memory");
	}
	memcpy(lg->as_of, date, BZ_DATE_LEN + 1);
	lg->limit[0] = -1;
	for (int b = 1; b <= 2 && rc == BZ_OK; b++) {
		char key[BZ_KEY_MAX];
		bz_attr_limit(key, b);
		rc = bz_fact_int_at(ledger, &lg->limit[b], jur, key, date, -1);
		bz_key_jur(key, jur, BZ_CNT_EST, b);
		if (rc == BZ_OK)
			rc = bz_tl_at(ledger, &lg->est[b], key, date);
		bz_key_jur(key, jur, BZ_CNT_STAFF, b);
		if (rc == BZ_OK)
			rc = bz_tl_at(ledger, &lg->staff[b], key, date);
		bz_key_jur(key, jur, BZ_CNT_RESV, b);
		if (rc == BZ_OK)
			rc = bz_tl_at(ledger, &lg->resv[b], key, date);
		bz_key_jur(key, jur, BZ_CNT_FROZEN, b);
		if (rc == BZ_OK)
			rc = bz_tl_at(ledger, &lg->frozen[b], key, date);
		if (lg->limit[b] >= 0)
			lg->limit[0] = (lg->limit[0] < 0 ? 0 : lg->limit[0]) + lg->limit[b];
		lg->est[0] += lg->est[b];
		lg->staff[0] += lg->staff[b];
		lg->resv[0] += lg->resv[b];
		lg->frozen[0] += lg->frozen[b];
	}
	bz__free(jur);
	if (rc != BZ_OK) {
		bz_limit_ledger_free(lg);
		return rc;
	}
	*out = lg;
	return bz_ok(ledger);
}

#define LG_FIELD(lg, f, b) ((lg) && (b) >= 0 && (b) <= 2 ? (lg)->f[b] : -1)
BZ_EXTERN int64_t bz_limit_ledger_limit(const bz_limit_ledger *lg, int branch) { return LG_FIELD(lg, limit, branch); }
BZ_EXTERN int64_t bz_limit_ledger_allocated(const bz_limit_ledger *lg, int branch) { return LG_FIELD(lg, est, branch); }
BZ_EXTERN int64_t bz_limit_ledger_staff(const bz_limit_ledger *lg, int branch) { return LG_FIELD(lg, staff, branch); }
BZ_EXTERN int64_t bz_limit_ledger_reserved(const bz_limit_ledger *lg, int branch) { return LG_FIELD(lg, resv, branch); }
BZ_EXTERN int64_t bz_limit_ledger_frozen(const bz_limit_ledger *lg, int branch) { return LG_FIELD(lg, frozen, branch); }
BZ_EXTERN int64_t bz_limit_ledger_unallocated(const bz_limit_ledger *lg, int branch)
{
	int64_t lim = LG_FIELD(lg, limit, branch);
	return lim < 0 ? -1 : lim - lg->est[branch];
}
BZ_EXTERN int64_t bz_limit_ledger_vacant(const bz_limit_ledger *lg, int branch)
{
	if (!lg || branch < 0 || branch > 2)
		return -1;
	return lg->est[branch] - lg->staff[branch] - lg->resv[branch] - lg->frozen[branch];
}
BZ_EXTERN const char *bz_limit_ledger_jurisdiction(const bz_limit_ledger *lg) { return lg ? lg->code : NULL; }
BZ_EXTERN const char *bz_limit_ledger_as_of(const bz_limit_ledger *lg) { return lg ? lg->as_of : NULL; }
BZ_EXTERN void bz_limit_ledger_free(bz_limit_ledger *lg)
{
	if (!lg)
		return;
	bz__free(lg->code);
	bz__free(lg);
}

/* ---- Table 1 ---------------------------------------------------------------- */

struct row {
	char *cat;
	int64_t est, staff, resv, frozen;
};
struct bz_basic_table {
	char *unit, *name;
	char as_of[BZ_DATE_LEN + 1];
	struct row *rows;
	size_t n;
	int64_t pq, dq, principals, deputies, sub_approved, subs;
};

BZ_EXTERN int bz_basic_table_get(bz_basic_table **out, bz_ledger *ledger, const char *unit_uuid, const char *date)
{
	if (!out)
		return BZ_EINVAL;
	*out = NULL;
	if (!ledger)
		return BZ_EINVAL;
	char today[BZ_DATE_LEN + 1];
	date = bz_date_or_today(ledger, date, today);
	if (!bz_uuid_ok(unit_uuid) || !bz_date_ok(date))
		return bz_fail(ledger, BZ_EINVAL, "a unit UUID and a valid date are required");
	int rc = bz_unit_exists(ledger, unit_uuid);
	if (rc != BZ_OK)
		return rc;
	struct bz_basic_table *t = bz__calloc(1, sizeof *t);
	if (!t || !(t->unit = bz_strdup(unit_uuid))) {
		bz__free(t);
		return bz_fail(ledger, BZ_ENOMEM, "out of memory");
	}
	memcpy(t->as_of, date, BZ_DATE_LEN + 1);
	if ((rc = bz_unit_name_at(ledger, unit_uuid, date, &t->name)) != BZ_OK)
		goto fail;
	/* the categories this unit ever had establishment, frozen posts, slips or staff in, from its records */
	static const char sql[] =
		"SELECT substr(attr, 5) AS cat FROM fact WHERE subject=?1 AND attr>='est:' AND attr<'est;'"
		" UNION SELECT substr(attr, 8) FROM fact WHERE subject=?1 AND attr>='frozen:' AND attr<'frozen;'"
		" UNION SELECT category FROM placement WHERE unit=?1 UNION SELECT category FROM slip WHERE unit=?1"
		" ORDER BY cat";
	bz_st *st = bz_stmt(ledger, sql);
	if (!st) {
		rc = bz_stmt_err();
		goto fail;
	}
	bz_bind_text(st, 1, unit_uuid);
	size_t cap = 0;
	int s;
	while ((s = bz_step(st)) == SQLITE_ROW) {
		if (t->n == cap) {
			cap = cap ? cap * 2 : 8;
			struct row *nr = bz__realloc(t->rows, cap * sizeof *nr);
			if (!nr) {
				s = SQLITE_NOMEM;
				break;
			}
			t->rows = nr;
		}
		bool ok = true;
		memset(&t->rows[t->n], 0, sizeof t->rows[0]);
		t->rows[t->n].cat = bz_col_strdup(st, 0, &ok);
		if (!ok || !t->rows[t->n].cat) {
			s = SQLITE_NOMEM;
			break;
		}
		t->n++;
	}
	bz_st_reset(st);
	if (s != SQLITE_DONE) {
		rc = s == SQLITE_NOMEM ? bz_fail(ledger, BZ_ENOMEM, "out of memory") : bz_sqlfail(ledger, s);
		goto fail;
	}
	for (size_t i = 0; i < t->n && rc == BZ_OK; i++) {
		char key[BZ_KEY_MAX];
		bz_key_unit(key, unit_uuid, BZ_CNT_EST, t->rows[i].cat);
		rc = bz_tl_at(ledger, &t->rows[i].est, key, date);
		bz_key_unit(key, unit_uuid, BZ_CNT_STAFF, t->rows[i].cat);
		if (rc == BZ_OK)
			rc = bz_tl_at(ledger, &t->rows[i].staff, key, date);
		bz_key_unit(key, unit_uuid, BZ_CNT_RESV, t->rows[i].cat);
		if (rc == BZ_OK)
			rc = bz_tl_at(ledger, &t->rows[i].resv, key, date);
		bz_key_unit(key, unit_uuid, BZ_CNT_FROZEN, t->rows[i].cat);
		if (rc == BZ_OK)
			rc = bz_tl_at(ledger, &t->rows[i].frozen, key, date);
	}
	char key[BZ_KEY_MAX];
	if (rc == BZ_OK)
		rc = bz_fact_int_at(ledger, &t->pq, unit_uuid, "quota:principal", date, 0);
	if (rc == BZ_OK)
		rc = bz_fact_int_at(ledger, &t->dq, unit_uuid, "quota:deputy", date, 0);
	bz_key_leaders(key, unit_uuid, BZ_POST_PRINCIPAL);
	if (rc == BZ_OK)
		rc = bz_tl_at(ledger, &t->principals, key, date);
	bz_key_leaders(key, unit_uuid, BZ_POST_DEPUTY);
	if (rc == BZ_OK)
		rc = bz_tl_at(ledger, &t->deputies, key, date);
	if (rc == BZ_OK)
		rc = bz_fact_int_at(ledger, &t->sub_approved, unit_uuid, "subunits:approved", date, 0);
	bz_key_subunits(key, unit_uuid);
	if (rc == BZ_OK)
		rc = bz_tl_at(ledger, &t->subs, key, date);
	if (rc != BZ_OK)
		goto fail;
	*out = t;
	return bz_ok(ledger);
fail:
	bz_basic_table_free(t);
	return rc;
}

static const struct row *ROW(const bz_basic_table *t, size_t i) { return t && i < t->n ? &t->rows[i] : NULL; }
BZ_EXTERN const char *bz_basic_table_unit(const bz_basic_table *t) { return t ? t->unit : NULL; }
BZ_EXTERN const char *bz_basic_table_unit_name(const bz_basic_table *t) { return t ? t->name : NULL; }
BZ_EXTERN const char *bz_basic_table_as_of(const bz_basic_table *t) { return t ? t->as_of : NULL; }
BZ_EXTERN size_t bz_basic_table_rows(const bz_basic_table *t) { return t ? t->n : 0; }
BZ_EXTERN const char *bz_basic_table_category(const bz_basic_table *t, size_t i) { return ROW(t, i) ? t->rows[i].cat : NULL; }
BZ_EXTERN int64_t bz_basic_table_establishment(const bz_basic_table *t, size_t i) { return ROW(t, i) ? t->rows[i].est : -1; }
BZ_EXTERN int64_t bz_basic_table_staff(const bz_basic_table *t, size_t i) { return ROW(t, i) ? t->rows[i].staff : -1; }
BZ_EXTERN int64_t bz_basic_table_reserved(const bz_basic_table *t, size_t i) { return ROW(t, i) ? t->rows[i].resv : -1; }
BZ_EXTERN int64_t bz_basic_table_vacant(const bz_basic_table *t, size_t i)
{
	const struct row *r = ROW(t, i);
	if (!r)
		return -1;
	int64_t v = r->est - r->staff - r->resv - r->frozen;
	return v > 0 ? v : 0;
}
BZ_EXTERN int64_t bz_basic_table_frozen(const bz_basic_table *t, size_t i) { return ROW(t, i) ? t->rows[i].frozen : -1; }
BZ_EXTERN int64_t bz_basic_table_over(const bz_basic_table *t, size_t i)
{
	const struct row *r = ROW(t, i);
	if (!r)
		return -1;
	return r->staff > r->est ? r->staff - r->est : 0;
}
BZ_EXTERN int64_t bz_basic_table_principal_quota(const bz_basic_table *t) { return t ? t->pq : -1; }
BZ_EXTERN int64_t bz_basic_table_deputy_quota(const bz_basic_table *t) { return t ? t->dq : -1; }
BZ_EXTERN int64_t bz_basic_table_principals(const bz_basic_table *t) { return t ? t->principals : -1; }
BZ_EXTERN int64_t bz_basic_table_deputies(const bz_basic_table *t) { return t ? t->deputies : -1; }
BZ_EXTERN int64_t bz_basic_table_subunits_approved(const bz_basic_table *t) { return t ? t->sub_approved : -1; }
BZ_EXTERN int64_t bz_basic_table_subunits(const bz_basic_table *t) { return t ? t->subs : -1; }
BZ_EXTERN void bz_basic_table_free(bz_basic_table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n; i++)
		bz__free(t->rows[i].cat);
	bz__free(t->rows);
	bz__free(t->unit);
	bz__free(t->name);
	bz__free(t);
}

