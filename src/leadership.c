/*
 * leadership.c: leadership quotas (领导职数) of units and sub-units, the
 * norms table, and the R2 checker (touch BZ_TOUCH_LEADERS).
 *
 * A quota is three facts of its subject written together by one event:
 * "quota:principal", "quota:deputy", "quota:level". Leaders in post are the
 * staff area's counters "L:<subject>:principal" / ":deputy".
 */

#include "catalogue.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEY_MAX 128

struct bz_leadership {
	char *subject;
	char as_of[BZ_DATE_LEN + 1];
	int pq, dq, level, principals, deputies;
};

/* the unit a subject belongs to: itself, or a sub-unit's unit (malloc'd) */
int bz_leader_subject_unit(bz_ledger *l, const char *subject, char **unit, bool *is_sub)
{
	*unit = NULL;
	*is_sub = false;
	static const char sql[] =
		"SELECT id, 0 FROM unit WHERE id=?1 UNION ALL SELECT unit, 1 FROM subunit WHERE id=?1";
	bz_st *st = bz_stmt(l, sql);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, subject);
	int rc = bz_step(st), code = BZ_OK;
	if (rc == SQLITE_ROW) {
		bool ok = true;
		*unit = bz_col_strdup(st, 0, &ok);
		*is_sub = bz_st_column_int(st, 1) != 0;
		if (!ok)
			code = bz_fail(l, BZ_ENOMEM, "out of memory");
	} else {
		code = rc == SQLITE_DONE ? bz_fail(l, BZ_ENOTFOUND, "no unit or sub-unit %s", subject) : bz_sqlfail(l, rc);
	}
	bz_st_reset(st);
	return code;
}

/* name of a unit or sub-unit at date (malloc'd) */
int bz_leader_subject_name(bz_ledger *l, const char *subject, bool is_sub, const char *date, char **name)
{
	if (!is_sub)
		return bz_unit_name_at(l, subject, date, name);
	int rc = bz_fact_at(l, name, subject, "name", date);
	if (rc == BZ_OK && !*name)
		rc = bz_fact_at(l, name, subject, "name", NULL);
	return rc;
}

static int norm_get(bz_ledger *l, int kind, int rank, int *p, int *d)
{
	static const char sql[] = "SELECT principal, deputy FROM leadership_norm WHERE kind=?1 AND rank=?2";
	bz_st *st = bz_stmt(l, sql);
	if (!st)
		return bz_stmt_err();
	bz_st_bind_int(st, 1, kind);
	bz_st_bind_int(st, 2, rank);
	int rc = bz_step(st);
	if (rc == SQLITE_ROW) {
		*p = bz_st_column_int(st, 0);
		*d = bz_st_column_int(st, 1);
	}
	bz_st_reset(st);
	if (rc == SQLITE_ROW)
		return BZ_OK;
	return rc == SQLITE_DONE ? bz_fail(l, BZ_ENOTFOUND, "no leadership norm for kind %d rank %d", kind, rank)
				 : bz_sqlfail(l, rc);
}

int bz_leadership_norm_at(bz_ledger *l, int kind, int rank, const char *date, int *p, int *d)
{
	/* a dated override "leadership_norm.<kind>.<rank>" = "principal,deputy", else the norms table */
	char name[48], *v = NULL;
	snprintf(name, sizeof name, "leadership_norm.%d.%d", kind, rank);
	int rc = bz_param_at(l, &v, name, date);
	if (rc != BZ_OK)
		return rc;
	if (v) {
		int np = 0, nd = 0;
		bool ok = sscanf(v, "%d,%d", &np, &nd) == 2;
		bz__free(v);
		if (ok) {
			*p = np;
			*d = nd;
			return BZ_OK;
		}
	}
	return norm_get(l, kind, rank, p, d);
}

BZ_EXTERN int bz_leadership_norm_get(int *principal, int *deputy, bz_ledger *ledger, int kind, int rank)
{
	if (!principal || !deputy || !ledger)
		return BZ_EINVAL;
	if ((kind != BZ_NORM_UNIT && kind != BZ_NORM_SUBUNIT) || rank < BZ_RANK_NONE || rank > BZ_RANK_ZHENGBU)
		return bz_fail(ledger, BZ_EINVAL, "kind must be BZ_NORM_UNIT or BZ_NORM_SUBUNIT and rank a bz_rank");
	int rc = norm_get(ledger, kind, rank, principal, deputy);
	return rc == BZ_OK ? bz_ok(ledger) : rc;
}

BZ_EXTERN int bz_leadership_norm_set(bz_txn *txn, int kind, int min_rank, int max_rank, int principal, int deputy)
{
	if (!txn)
		return BZ_EINVAL;
	if (!txn->open || !txn->l)
		return bz_change_begin(txn);
	bz_ledger *l = txn->l;
	if ((kind != BZ_NORM_UNIT && kind != BZ_NORM_SUBUNIT) || min_rank < BZ_RANK_NONE || max_rank > BZ_RANK_ZHENGBU ||
	    min_rank > max_rank || principal < 0 || principal > 99 || deputy < 0 || deputy > 99)
		return bz_fail(l, BZ_EINVAL, "a norm needs a kind, ranks min <= max and posts 0..99");
	int rc = bz_change_begin(txn);
	if (rc != BZ_OK)
		return rc;
	static const char sql[] = "INSERT OR REPLACE INTO leadership_norm(kind, rank, principal, deputy) VALUES(?1,?2,?3,?4)";
	for (int r = min_rank; r <= max_rank && rc == BZ_OK; r++) {
		bz_st *st = bz_stmt(l, sql);
		if (!st) {
			rc = bz_stmt_err();
			break;
		}
		bz_st_bind_int(st, 1, kind);
		bz_st_bind_int(st, 2, r);
		bz_st_bind_int(st, 3, principal);
		bz_st_bind_int(st, 4, deputy);
		rc = bz_step_done(l, st);
	}
	return bz_change_end(txn, rc);
}

BZ_EXTERN int bz_leadership_set(bz_txn *txn, const char *subject_uuid, int principal, int deputy, int level,
				const char *date)
{
	if (!txn)
		return BZ_EINVAL;
	if (!txn->open || !txn->l)
		return bz_change_begin(txn);
	bz_ledger *l = txn->l;
	if (!bz_uuid_ok(subject_uuid) || !bz_date_ok(date))
		return bz_fail(l, BZ_EINVAL, "a unit or sub-unit UUID and a valid date are required");
	if (principal < 0 || principal > 99 || deputy < 0 || deputy > 99 || level < BZ_RANK_NONE ||
	    level > BZ_RANK_ZHENGBU)
		return bz_fail(l, BZ_EINVAL, "leadership posts are 0..99 and the level a bz_rank");
	char *unit = NULL;
	bool is_sub = false;
	int rc = bz_leader_subject_unit(l, subject_uuid, &unit, &is_sub);
	if (rc != BZ_OK)
		return rc;
	if ((rc = bz_change_begin(txn)) != BZ_OK)
		goto out;
	/* the norms for the subject's rank are R2's to judge, from the record */
	long long ev = 0;
	char v[16];
	if ((rc = bz_event_write(txn, &ev, "leadership.set", subject_uuid, unit, date, NULL)) != BZ_OK)
		goto end;
	snprintf(v, sizeof v, "%d", principal);
	if ((rc = bz_fact_write(txn, ev, subject_uuid, "quota:principal", date, v)) != BZ_OK)
		goto end;
	snprintf(v, sizeof v, "%d", deputy);
	if ((rc = bz_fact_write(txn, ev, subject_uuid, "quota:deputy", date, v)) != BZ_OK)
		goto end;
	snprintf(v, sizeof v, "%d", level);
	if ((rc = bz_fact_write(txn, ev, subject_uuid, "quota:level", date, v)) != BZ_OK)
		goto end;
	rc = bz_txn_touch(txn, BZ_TOUCH_LEADERS, subject_uuid, NULL, date);
end:
	rc = bz_change_end(txn, rc);
out:
	bz__free(unit);
	return rc;
}

BZ_EXTERN int bz_leadership_get(bz_leadership **out, bz_ledger *ledger, const char *subject_uuid, const char *date)
{
	if (!out)
		return BZ_EINVAL;
	*out = NULL;
	if (!ledger)
		return BZ_EINVAL;
	char today[BZ_DATE_LEN + 1];
	date = bz_date_or_today(ledger, date, today);
	if (!bz_uuid_ok(subject_uuid) || !bz_date_ok(date))
		return bz_fail(ledger, BZ_EINVAL, "a unit or sub-unit UUID and a valid date are required");
	char *unit = NULL;
	bool is_sub = false;
	int rc = bz_leader_subject_unit(ledger, subject_uuid, &unit, &is_sub);
	bz__free(unit);
	if (rc != BZ_OK)
		return rc;
	struct bz_leadership *q = bz__calloc(1, sizeof *q);
	if (!q || !(q->subject = bz_strdup(subject_uuid))) {
		bz__free(q);
		return bz_fail(ledger, BZ_ENOMEM, "out of memory");
	}
	memcpy(q->as_of, date, BZ_DATE_LEN + 1);
	int64_t v[5] = {0};
	char kp[KEY_MAX], kd[KEY_MAX];
	snprintf(kp, sizeof kp, "L:%s:principal", subject_uuid);
	snprintf(kd, sizeof kd, "L:%s:deputy", subject_uuid);
	if ((rc = bz_fact_int_at(ledger, &v[0], subject_uuid, "quota:principal", date, 0)) != BZ_OK ||
	    (rc = bz_fact_int_at(ledger, &v[1], subject_uuid, "quota:deputy", date, 0)) != BZ_OK ||
	    (rc = bz_fact_int_at(ledger, &v[2], subject_uuid, "quota:level", date, 0)) != BZ_OK ||
	    (rc = bz_tl_at(ledger, &v[3], kp, date)) != BZ_OK || (rc = bz_tl_at(ledger, &v[4], kd, date)) != BZ_OK) {
		bz_leadership_free(q);
		return rc;
	}
	q->pq = (int)v[0];
	q->dq = (int)v[1];
	q->level = (int)v[2];
	q->principals = (int)v[3];
	q->deputies = (int)v[4];
	*out = q;
	return bz_ok(ledger);
}

BZ_EXTERN const char *bz_leadership_subject(const bz_leadership *q) { return q ? q->subject : NULL; }
BZ_EXTERN const char *bz_leadership_as_of(const bz_leadership *q) { return q ? q->as_of : NULL; }
BZ_EXTERN int bz_leadership_principal_quota(const bz_leadership *q) { return q ? q->pq : -1; }
BZ_EXTERN int bz_leadership_deputy_quota(const bz_leadership *q) { return q ? q->dq : -1; }
BZ_EXTERN int bz_leadership_level(const bz_leadership *q) { return q ? q->level : -1; }
BZ_EXTERN int bz_leadership_principals(const bz_leadership *q) { return q ? q->principals : -1; }
BZ_EXTERN int bz_leadership_deputies(const bz_leadership *q) { return q ? q->deputies : -1; }
BZ_EXTERN void bz_leadership_free(bz_leadership *q)
{
	if (!q)
		return;
	bz__free(q->subject);
	bz__free(q);
}

