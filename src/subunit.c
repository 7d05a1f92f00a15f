/*
 * subunit.c: internal sub-units (内设机构) and the R3 checker (touch
 * BZ_TOUCH_SUBUNITS, id = the unit).
 *
 * A sub-unit is a row of table subunit (what never changes: its unit and
 * founding) plus facts of its own: "name", "rank", "status" (1 in being,
 * 2 abolished). The unit's approved number is its fact "subunits:approved";
 * the number in being is the counter "S:<unit>:count".
 */

#include "catalogue.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEY_MAX 128

struct bz_subunit {
	char *uuid, *unit, *name, *founded, *ended;
	char as_of[BZ_DATE_LEN + 1];
	int rank;
};
struct bz_subunit_iter {
	bz_iter base;
};

/* unit and founding date of a sub-unit (malloc'd unit); ENOTFOUND */
static int sub_row(bz_ledger *l, const char *sub, char **unit, char founded[BZ_DATE_LEN + 1])
{
	static const char sql[] = "SELECT unit, founded FROM subunit WHERE id=?1";
	bz_st *st = bz_stmt(l, sql);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, sub);
	int rc = bz_step(st), code = BZ_OK;
	if (rc == SQLITE_ROW) {
		bool ok = true;
		*unit = bz_col_strdup(st, 0, &ok);
		const char *f = (const char *)bz_st_column_text(st, 1);
		snprintf(founded, BZ_DATE_LEN + 1, "%s", f ? f : "");
		if (!ok)
			code = bz_fail(l, BZ_ENOMEM, "out of memory");
	} else {
		code = rc == SQLITE_DONE ? bz_fail(l, BZ_ENOTFOUND, "no sub-unit %s", sub) : bz_sqlfail(l, rc);
	}
	bz_st_reset(st);
	return code;
}

/* date of abolition of a sub-unit (status 2), if any, into buf */
int bz_subunit_end_at(bz_ledger *l, const char *sub, char buf[BZ_DATE_LEN + 1], bool *ended)
{
	static const char sql[] =
		"SELECT min(effective) FROM fact WHERE subject=?1 AND attr='status' AND after='2'";
	*ended = false;
	bz_st *st = bz_stmt(l, sql);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, sub);
	int rc = bz_step(st);
	if (rc == SQLITE_ROW && bz_st_column_type(st, 0) != SQLITE_NULL) {
		snprintf(buf, BZ_DATE_LEN + 1, "%s", (const char *)bz_st_column_text(st, 0));
		*ended = true;
	}
	bz_st_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? BZ_OK : bz_sqlfail(l, rc);
}

static int check_args(bz_txn *t, const char *id, const char *date)
{
	if (!t)
		return BZ_EINVAL;
	if (!t->open || !t->l)
		return bz_change_begin(t);
	if (!bz_uuid_ok(id) || !bz_date_ok(date))
		return bz_fail(t->l, BZ_EINVAL, "a UUID and a valid date are required");
	return BZ_OK;
}

BZ_EXTERN int bz_subunit_approve(bz_txn *txn, const char *unit_uuid, int64_t count, const char *date)
{
	int rc = check_args(txn, unit_uuid, date);
	if (rc != BZ_OK)
		return rc;
	bz_ledger *l = txn->l;
	if (count < 0 || count > 1000)
		return bz_fail(l, BZ_EINVAL, "the approved number of sub-units is 0..1000");
	if ((rc = bz_unit_exists(l, unit_uuid)) != BZ_OK || (rc = bz_change_begin(txn)) != BZ_OK)
		return rc;
	long long ev = 0;
	char v[24];
	snprintf(v, sizeof v, "%lld", (long long)count);
	if (	    (rc = bz_event_write(txn, &ev, "subunit.approve", unit_uuid, unit_uuid, date, NULL)) == BZ_OK &&
	    (rc = bz_fact_write(txn, ev, unit_uuid, "subunits:approved", date, v)) == BZ_OK)
		rc = bz_txn_touch(txn, BZ_TOUCH_SUBUNITS, unit_uuid, NULL, date);
	return bz_change_end(txn, rc);
}

BZ_EXTERN int bz_subunit_approved(int64_t *out, bz_ledger *ledger, const char *unit_uuid, const char *date)
{
	if (!out)
		return BZ_EINVAL;
	*out = 0;
	if (!ledger)
		return BZ_EINVAL;
	char today[BZ_DATE_LEN + 1];
	date = bz_date_or_today(ledger, date, today);
	if (!bz_uuid_ok(unit_uuid) || !bz_date_ok(date))
		return bz_fail(ledger, BZ_EINVAL, "a unit UUID and a valid date are required");
	int rc = bz_unit_exists(ledger, unit_uuid);
	if (rc == BZ_OK)
		rc = bz_fact_int_at(ledger, out, unit_uuid, "subunits:approved", date, 0);
	return rc == BZ_OK ? bz_ok(ledger) : rc;
}

static int snapshot(bz_subunit **out, bz_ledger *l, const char *id, const char *date)
{
	char *unit = NULL, founded[BZ_DATE_LEN + 1], end[BZ_DATE_LEN + 1];
	bool ended = false;
	int rc = sub_row(l, id, &unit, founded);
	if (rc != BZ_OK)
		return rc;
	if (strcmp(founded, date) > 0) {
		bz__free(unit);
		return bz_fail(l, BZ_ENOTFOUND, "sub-unit %s was set up only on %s", id, founded);
	}
	struct bz_subunit *s = bz__calloc(1, sizeof *s);
	if (!s) {
		bz__free(unit);
		return bz_fail(l, BZ_ENOMEM, "out of memory");
	}
	s->unit = unit;
	memcpy(s->as_of, date, BZ_DATE_LEN + 1);
	int64_t rank = 0;
	if ((rc = bz_subunit_end_at(l, id, end, &ended)) != BZ_OK ||
	    (rc = bz_fact_at(l, &s->name, id, "name", date)) != BZ_OK ||
	    (rc = bz_fact_int_at(l, &rank, id, "rank", date, 0)) != BZ_OK)
		goto fail;
	s->rank = (int)rank;
	s->uuid = bz_strdup(id);
	s->founded = bz_strdup(founded);
	if (ended && strcmp(end, date) <= 0)
		s->ended = bz_strdup(end);
	if (!s->uuid || !s->founded || (ended && strcmp(end, date) <= 0 && !s->ended)) {
		rc = bz_fail(l, BZ_ENOMEM, "out of memory");
		goto fail;
	}
	*out = s;
	return BZ_OK;
fail:
	bz_subunit_free(s);
	return rc;
}

BZ_EXTERN int bz_subunit_create(bz_subunit **out, bz_txn *txn, const char *unit_uuid, const char *name, int rank,
				const char *date)
{
	if (out)
		*out = NULL;
	int rc = check_args(txn, unit_uuid, date);
	if (rc != BZ_OK)
		return rc;
	bz_ledger *l = txn->l;
	if (!bz_text_ok(name) || rank < BZ_RANK_NONE || rank > BZ_RANK_ZHENGBU)
		return bz_fail(l, BZ_EINVAL, "a sub-unit needs a name and a rank (bz_rank)");
	if ((rc = bz_unit_exists(l, unit_uuid)) != BZ_OK || (rc = bz_change_begin(txn)) != BZ_OK)
		return rc;
	char id[BZ_UUID_LEN + 1], key[KEY_MAX], v[16];
	bz_uuid_new(id);
	static const char sql[] = "INSERT INTO subunit(id, unit, founded) VALUES(?1,?2,?3)";
	bz_st *st = bz_stmt(l, sql);
	long long ev = 0;
	if (!st)
		return bz_change_end(txn, bz_stmt_err());
	bz_bind_text(st, 1, id);
	bz_bind_text(st, 2, unit_uuid);
	bz_bind_text(st, 3, date);
	snprintf(key, sizeof key, "S:%s:count", unit_uuid);
	snprintf(v, sizeof v, "%d", rank);
	if ((rc = bz_step_done(l, st)) == BZ_OK &&
	    (rc = bz_event_write(txn, &ev, "subunit.create", id, unit_uuid, date, name)) == BZ_OK &&
	    (rc = bz_fact_write(txn, ev, id, "name", date, name)) == BZ_OK &&
	    (rc = bz_fact_write(txn, ev, id, "rank", date, v)) == BZ_OK &&
	    (rc = bz_fact_write(txn, ev, id, "status", date, "1")) == BZ_OK &&
	    (rc = bz_tl_add(l, key, date, NULL, 1)) == BZ_OK &&
	    (rc = bz_txn_touch(txn, BZ_TOUCH_SUBUNITS, unit_uuid, NULL, date)) == BZ_OK && out)
		rc = snapshot(out, l, id, date);
	return bz_change_end(txn, rc);
}

/* common part of rename / set_rank / abolish: the sub-unit exists, is in being at date */
static int sub_change(bz_txn *t, const char *id, const char *date, char **unit, long long *ev, const char *kind)
{
	char founded[BZ_DATE_LEN + 1], end[BZ_DATE_LEN + 1];
	bool ended = false;
	int rc = sub_row(t->l, id, unit, founded);
	if (rc != BZ_OK)
		return rc;
	if ((rc = bz_subunit_end_at(t->l, id, end, &ended)) != BZ_OK)
		return rc;
	if (strcmp(date, founded) < 0 || (ended && strcmp(date, end) >= 0))
		return bz_fail(t->l, BZ_EINVAL, "sub-unit %s is not in being on %s", id, date);
	return bz_event_write(t, ev, kind, id, *unit, date, NULL);
}

BZ_EXTERN int bz_subunit_rename(bz_txn *txn, const char *subunit_uuid, const char *name, const char *date)
{
	int rc = check_args(txn, subunit_uuid, date);
	if (rc != BZ_OK)
		return rc;
	if (!bz_text_ok(name))
		return bz_fail(txn->l, BZ_EINVAL, "a name is required");
	if ((rc = bz_change_begin(txn)) != BZ_OK)
		return rc;
	char *unit = NULL;
	long long ev = 0;
	if ((rc = sub_change(txn, subunit_uuid, date, &unit, &ev, "subunit.rename")) == BZ_OK)
		rc = bz_fact_write(txn, ev, subunit_uuid, "name", date, name);
	bz__free(unit);
	return bz_change_end(txn, rc);
}

BZ_EXTERN int bz_subunit_set_rank(bz_txn *txn, const char *subunit_uuid, int rank, const char *date)
{
	int rc = check_args(txn, subunit_uuid, date);
	if (rc != BZ_OK)
		return rc;
	bz_ledger *l = txn->l;
	if (rank < BZ_RANK_NONE || rank > BZ_RANK_ZHENGBU)
		return bz_fail(l, BZ_EINVAL, "rank must be a bz_rank");
	if ((rc = bz_change_begin(txn)) != BZ_OK)
		return rc;
	char *unit = NULL, v[16];
	long long ev = 0;
	/* raising it without the establishment authority is R3's to judge, from the record */
	if ((rc = sub_change(txn, subunit_uuid, date, &unit, &ev, "subunit.rank")) != BZ_OK)
		goto end;
	snprintf(v, sizeof v, "%d", rank);
	if ((rc = bz_fact_write(txn, ev, subunit_uuid, "rank", date, v)) == BZ_OK)
		rc = bz_txn_touch(txn, BZ_TOUCH_SUBUNITS, unit, NULL, date);
end:
	bz__free(unit);
	return bz_change_end(txn, rc);
}

BZ_EXTERN int bz_subunit_abolish(bz_txn *txn, const char *subunit_uuid, const char *date)
{
	int rc = check_args(txn, subunit_uuid, date);
	if (rc != BZ_OK)
		return rc;
	if ((rc = bz_change_begin(txn)) != BZ_OK)
		return rc;
	char *unit = NULL, key[KEY_MAX];
	long long ev = 0;
	if ((rc = sub_change(txn, subunit_uuid, date, &unit, &ev, "subunit.abolish")) == BZ_OK &&
	    (rc = bz_fact_write(txn, ev, subunit_uuid, "status", date, "2")) == BZ_OK) {
		snprintf(key, sizeof key, "S:%s:count", unit);
		if ((rc = bz_tl_add(txn->l, key, date, NULL, -1)) == BZ_OK)
			rc = bz_txn_touch(txn, BZ_TOUCH_SUBUNITS, unit, NULL, date);
	}
	bz__free(unit);
	return bz_change_end(txn, rc);
}

BZ_EXTERN int bz_subunit_lookup(bz_subunit **out, bz_ledger *ledger, const char *subunit_uuid, const char *date)
{
	if (!out)
		return BZ_EINVAL;
	*out = NULL;
	if (!ledger)
		return BZ_EINVAL;
	char today[BZ_DATE_LEN + 1];
	date = bz_date_or_today(ledger, date, today);
	if (!bz_uuid_ok(subunit_uuid) || !bz_date_ok(date))
		return bz_fail(ledger, BZ_EINVAL, "a sub-unit UUID and a valid date are required");
	int rc = snapshot(out, ledger, subunit_uuid, date);
	return rc == BZ_OK ? bz_ok(ledger) : rc;
}

static int sub_make(void **out, bz_st *st, bz_ledger *l)
{
	const char *id = (const char *)bz_st_column_text(st, 0);
	const char *date = (const char *)bz_st_column_text(st, 1);
	return snapshot((bz_subunit **)out, l, id, date);
}

BZ_EXTERN int bz_subunit_list(bz_subunit_iter **out, bz_ledger *ledger, const char *unit_uuid, const char *date)
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
	bz_iter *it = NULL;
	rc = bz_iter_new(&it, ledger,
			 "SELECT s.id, ?2 FROM subunit s WHERE s.unit=?1 AND s.founded<=?2"
			 " AND NOT EXISTS (SELECT 1 FROM fact f WHERE f.subject=s.id AND f.attr='status'"
			 "  AND f.after='2' AND f.effective<=?2)"
			 " ORDER BY s.founded, s.id",
			 sub_make);
	if (rc != BZ_OK)
		return rc;
	bz_bind_text(it->st, 1, unit_uuid);
	bz_bind_text(it->st, 2, date);
	*out = (bz_subunit_iter *)it;
	return bz_ok(ledger);
}

BZ_EXTERN int bz_subunit_iter_next(bz_subunit **out, bz_subunit_iter *it)
{
	return bz_iter_next((void **)out, it ? &it->base : NULL);
}
BZ_EXTERN void bz_subunit_iter_free(bz_subunit_iter *it) { bz_iter_free(it ? &it->base : NULL); }
BZ_EXTERN const char *bz_subunit_uuid(const bz_subunit *s) { return s ? s->uuid : NULL; }
BZ_EXTERN const char *bz_subunit_unit(const bz_subunit *s) { return s ? s->unit : NULL; }
BZ_EXTERN const char *bz_subunit_name(const bz_subunit *s) { return s ? s->name : NULL; }
BZ_EXTERN int bz_subunit_rank(const bz_subunit *s) { return s ? s->rank : -1; }
BZ_EXTERN const char *bz_subunit_founded(const bz_subunit *s) { return s ? s->founded : NULL; }
BZ_EXTERN const char *bz_subunit_ended(const bz_subunit *s) { return s ? s->ended : NULL; }
BZ_EXTERN const char *bz_subunit_as_of(const bz_subunit *s) { return s ? s->as_of : NULL; }
BZ_EXTERN void bz_subunit_free(bz_subunit *s)
{
	if (!s)
		return;
	bz__free(s->uuid);
	bz__free(s->unit);
	bz__free(s->name);
	bz__free(s->founded);
	bz__free(s->ended);
	bz__free(s);
}

