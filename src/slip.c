/*
 * slip.c: usage slips (编制使用单). A slip reserves posts over
 * [issued, end), where end is the day after its validity or its
 * cancellation date; hires move posts from reserved to in post.
 */
#include "catalogue.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct bz_slip {
	char uuid[BZ_UUID_LEN + 1];
	char *number, *unit, *category;
	int posts, purpose, used, remaining, state;
	char issued[BZ_DATE_LEN + 1], valid_until[BZ_DATE_LEN + 1];
	char *cancelled;
};

int bz_staff_counter(bz_txn *t, int what, const char *unit, const char *category, const char *from,
		     const char *to, int64_t delta)
{
	bz_ledger *l = t->l;
	int branch = 0;
	char *jur = NULL, key[BZ_KEY_MAX], b[4];
	int rc = bz_category_info(l, category, &branch, NULL, NULL);
	if (rc == BZ_OK)
		rc = bz_unit_jurisdiction_of(l, unit, &jur);
	if (rc == BZ_OK) {
		bz_key_unit(key, unit, (bz_counter)what, category);
		rc = bz_tl_add(l, key, from, to, delta);
	}
	if (rc == BZ_OK) {
		bz_key_jur(key, jur, (bz_counter)what, branch);
		rc = bz_tl_add(l, key, from, to, delta);
	}
	/* a hire or a reservation raises the unit's use: R1 compares that date with its establishment */
	if (rc == BZ_OK && delta > 0)
		rc = bz_txn_rise(t, unit, category, from, to);
	snprintf(b, sizeof b, "%d", branch);
	/* the rules re-examine both from the earliest date touched */
	if (rc == BZ_OK)
		rc = bz_txn_touch(t, BZ_TOUCH_UNIT_CAT, unit, category, from);
	if (rc == BZ_OK)
		rc = bz_txn_touch(t, BZ_TOUCH_JUR_BRANCH, jur, b, from);
	bz__free(jur);
	return rc;
}

/* the slip's unit, category, validity and end (cancellation or day after validity) */
int bz_slip_row_get(bz_ledger *l, const char *slip, bz_slip_row *r)
{
	static const char sql[] =
		"SELECT s.unit, s.category, s.issued, s.valid_until, e.date, s.posts FROM slip s"
		" LEFT JOIN slip_end e ON e.slip=s.id WHERE s.id=?1";
	bz_st *st = bz_stmt(l, sql);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, slip);
	int rc = bz_step(st), code = BZ_OK;
	if (rc == SQLITE_ROW) {
		snprintf(r->unit, sizeof r->unit, "%s", (const char *)bz_st_column_text(st, 0));
		snprintf(r->category, sizeof r->category, "%s", (const char *)bz_st_column_text(st, 1));
		snprintf(r->issued, sizeof r->issued, "%s", (const char *)bz_st_column_text(st, 2));
		snprintf(r->until, sizeof r->until, "%s", (const char *)bz_st_column_text(st, 3));
		r->cancelled = bz_st_column_type(st, 4) != SQLITE_NULL;
		if (r->cancelled)
			snprintf(r->end, sizeof r->end, "%s", (const char *)bz_st_column_text(st, 4));
		else
			bz_date_add_days(r->end, r->until, 1);
		r->posts = bz_st_column_int(st, 5);
	} else if (rc == SQLITE_DONE) {
		code = bz_fail(l, BZ_ENOTFOUND, "no usage slip %s in the ledger", slip);
	} else {
		code = bz_sqlfail(l, rc);
	}
	bz_st_reset(st);
	return code;
}

int bz_slip_reserve_row(bz_txn *t, const bz_slip_row *r, const char *from, int64_t delta)
{
	if (strcmp(from, r->end) >= 0)
		return BZ_OK;
	return bz_staff_counter(t, BZ_CNT_RESV, r->unit, r->category, from, r->end, delta);
}

int bz_slip_reserve(bz_txn *t, const char *slip, const char *from, int64_t delta)
{
	bz_slip_row r;
	int rc = bz_slip_row_get(t->l, slip, &r);
	return rc == BZ_OK ? bz_slip_reserve_row(t, &r, from, delta) : rc;
}

/* the next number in the unit's division and year; a failed lookup is an error, never a guessed number */
static int next_number(bz_ledger *l, const char *unit, const char *issued, char buf[64])
{
	char code[8];
	int rc = bz_unit_division(l, unit, code);
	if (rc != BZ_OK)
		return rc;
	static const char count_sql[] = "SELECT count(*) FROM slip WHERE number LIKE ?1";
	char prefix[32], like[40];
	snprintf(prefix, sizeof prefix, "%s-%.4s-", code, issued);
	snprintf(like, sizeof like, "%s%%", prefix);
	/* PostgreSQL: one writer at a time numbers a division's slips of a year (held to the commit, txn.c) */
	if ((rc = bz_pg_lock(l, "slipno", prefix)) != BZ_OK)
		return rc;
	bz_st *st = bz_stmt(l, count_sql);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, like);
	rc = bz_step(st);
	long long n = rc == SQLITE_ROW ? bz_st_column_int64(st, 0) : 0;
	bz_st_reset(st);
	if (rc != SQLITE_ROW)
		return bz_sqlfail(l, rc);
	snprintf(buf, 64, "%s%04lld", prefix, n + 1);
	return BZ_OK;
}

static int do_issue(bz_slip **out, bz_txn *t, const char *unit, const char *category, int posts, int purpose,
		    const char *issued, const char *until, const char *number)
{
	bz_ledger *l = t->l;
	int branch, natures, rc;
	if ((rc = bz_category_info(l, category, &branch, &natures, NULL)) != BZ_OK) /* its message; out of memory stays so */
		return rc == BZ_ENOTFOUND ? bz_fail(l, BZ_ENOTFOUND, "no establishment category %s", category) : rc;
	bool alive;
	if ((rc = bz_unit_alive(l, unit, issued, &alive)) != BZ_OK)
		return rc;
	char num[64];
	if (number)
		snprintf(num, sizeof num, "%s", number);
	else if ((rc = next_number(l, unit, issued, num)) != BZ_OK)
		return rc;
	static const char dup[] = "SELECT 1 FROM slip WHERE number=?1";
	bz_st *st = bz_stmt(l, dup);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, num);
	bool taken = false;
	if ((rc = bz_step_exists(l, st, &taken)) != BZ_OK)
		return rc;
	if (taken)
		return bz_fail(l, BZ_EEXISTS, "a usage slip numbered %s already exists", num);
	char uuid[BZ_UUID_LEN + 1];
	bz_uuid_new(uuid);
	static const char ins[] =
		"INSERT INTO slip(id, number, unit, category, posts, purpose, issued, valid_until)"
		" VALUES(?1,?2,?3,?4,?5,?6,?7,?8)";
	st = bz_stmt(l, ins);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, uuid);
	bz_bind_text(st, 2, num);
	bz_bind_text(st, 3, unit);
	bz_bind_text(st, 4, category);
	bz_st_bind_int(st, 5, posts);
	bz_st_bind_int(st, 6, purpose);
	bz_bind_text(st, 7, issued);
	bz_bind_text(st, 8, until);
	if ((rc = bz_step_done(l, st)) != BZ_OK)
		return rc;
	long long ev;
	char sposts[16];
	snprintf(sposts, sizeof sposts, "%d", posts);
	if ((rc = bz_event_write(t, &ev, "slip.issue", uuid, unit, issued, num)) != BZ_OK ||
	    (rc = bz_fact_write(t, ev, uuid, "posts", issued, sposts)) != BZ_OK ||
	    (rc = bz_fact_write(t, ev, uuid, "category", issued, category)) != BZ_OK ||
	    (rc = bz_fact_write(t, ev, uuid, "valid_until", issued, until)) != BZ_OK)
		return rc;
	if ((rc = bz_slip_reserve(t, uuid, issued, posts)) != BZ_OK)
		return rc;
	return out ? bz_slip_lookup(out, l, uuid) : BZ_OK;
}

BZ_EXTERN int bz_slip_issue(bz_slip **out, bz_txn *txn, const char *unit_uuid, const char *category, int posts,
			    int purpose, const char *issued, const char *valid_until, const char *number)
{
	if (out)
		*out = NULL;
	if (!txn)
		return BZ_EINVAL;
	if (!txn->l)
		return BZ_EMISUSE;
	bz_ledger *l = txn->l;
	if (!unit_uuid || !bz_text_ok(category) || posts < 1 || posts > BZ_COUNT_MAX || !bz_date_ok(issued) ||
	    !bz_date_ok(valid_until))
		return bz_fail(l, BZ_EINVAL, "a usage slip needs a unit, a category, 1 to %d posts and dates from %s to %s",
			       BZ_COUNT_MAX, BZ_DATE_MIN, BZ_DATE_MAX);
	if (strcmp(valid_until, issued) < 0)
		return bz_fail(l, BZ_EINVAL, "a usage slip cannot expire (%s) before it is issued (%s)", valid_until, issued);
	if (!(purpose >= 1 && purpose <= 4) && purpose != BZ_PURPOSE_OTHER)
		return bz_fail(l, BZ_EINVAL, "unknown usage slip purpose %d", purpose);
	if (number && (!bz_text_ok(number) || strlen(number) > 60))
		return bz_fail(l, BZ_EINVAL, "a slip number must be non-empty UTF-8 of at most 60 bytes");
	int rc = bz_change_begin(txn);
	if (rc != BZ_OK)
		return rc;
	return bz_change_end(txn, do_issue(out, txn, unit_uuid, category, posts, purpose, issued, valid_until, number));
}

static int hires_of(bz_ledger *l, const char *slip, const char *on_or_after, long long *n)
{
	static const char sql[] = "SELECT count(*) FROM placement WHERE slip=?1 AND entry>=?2";
	bz_st *st = bz_stmt(l, sql);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, slip);
	bz_bind_text(st, 2, on_or_after ? on_or_after : "");
	int rc = bz_step(st);
	*n = rc == SQLITE_ROW ? bz_st_column_int64(st, 0) : 0;
	bz_st_reset(st);
	return rc == SQLITE_ROW ? BZ_OK : bz_sqlfail(l, rc);
}

static int do_cancel(bz_txn *t, const char *slip, const char *date)
{
	bz_ledger *l = t->l;
	bz_slip_row r;
	int rc = bz_slip_row_get(l, slip, &r);
	if (rc != BZ_OK)
		return rc;
	if (r.cancelled)
		return bz_fail(l, BZ_EINVAL, "the usage slip was already cancelled on %s", r.end);
	if (strcmp(date, r.issued) < 0)
		return bz_fail(l, BZ_EINVAL, "a usage slip cannot be cancelled (%s) before its issue (%s)", date, r.issued);
	long long later, all;
	if ((rc = hires_of(l, slip, date, &later)) != BZ_OK || (rc = hires_of(l, slip, NULL, &all)) != BZ_OK)
		return rc;
	if (later > 0)
		return bz_fail(l, BZ_EINVAL, "%lld hire(s) against the slip are dated on or after %s", later, date);
	/* free what is still reserved from date to the slip's natural end */
	if (strcmp(date, r.end) < 0 && r.posts - all > 0 &&
	    (rc = bz_staff_counter(t, BZ_CNT_RESV, r.unit, r.category, date, r.end, -(r.posts - all))) != BZ_OK)
		return rc;
	static const char ins[] = "INSERT INTO slip_end(slip, date) VALUES(?1,?2)";
	bz_st *st = bz_stmt(l, ins);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, slip);
	bz_bind_text(st, 2, date);
	if ((rc = bz_step_done(l, st)) != BZ_OK)
		return rc;
	long long ev;
	if ((rc = bz_event_write(t, &ev, "slip.cancel", slip, r.unit, date, NULL)) != BZ_OK)
		return rc;
	return bz_fact_write(t, ev, slip, "cancelled", date, date);
}

BZ_EXTERN int bz_slip_cancel(bz_txn *txn, const char *slip_uuid, const char *date)
{
	if (!txn)
		return BZ_EINVAL;
	if (!txn->l)
		return BZ_EMISUSE;
	if (!slip_uuid || !bz_date_ok(date))
		return bz_fail(txn->l, BZ_EINVAL, "cancelling a slip needs its UUID and a valid date");
	int rc = bz_change_begin(txn);
	if (rc != BZ_OK)
		return rc;
	return bz_change_end(txn, do_cancel(txn, slip_uuid, date));
}

/* ---- reading slips --------------------------------------------------- */

#define SLIP_COLS \
	"SELECT s.id, s.number, s.unit, s.category, s.posts, s.purpose, s.issued, s.valid_until, e.date," \
	" (SELECT count(*) FROM placement p WHERE p.slip=s.id) FROM slip s LEFT JOIN slip_end e ON e.slip=s.id "

BZ_EXTERN void bz_slip_free(bz_slip *s)
{
	if (!s)
		return;
	bz__free(s->number);
	bz__free(s->unit);
	bz__free(s->category);
	bz__free(s->cancelled);
	bz__free(s);
}

static int slip_make(void **out, bz_st *st, bz_ledger *l)
{
	bz_slip *s = bz__calloc(1, sizeof *s);
	bool ok = s != NULL;
	if (s) {
		snprintf(s->uuid, sizeof s->uuid, "%s", (const char *)bz_st_column_text(st, 0));
		s->number = bz_col_strdup(st, 1, &ok);
		s->unit = bz_col_strdup(st, 2, &ok);
		s->category = bz_col_strdup(st, 3, &ok);
		s->posts = bz_st_column_int(st, 4);
		s->purpose = bz_st_column_int(st, 5);
		snprintf(s->issued, sizeof s->issued, "%s", (const char *)bz_st_column_text(st, 6));
		snprintf(s->valid_until, sizeof s->valid_until, "%s", (const char *)bz_st_column_text(st, 7));
		s->cancelled = bz_col_strdup(st, 8, &ok);
		s->used = bz_st_column_int(st, 9);
	}
	if (!ok) {
		bz_slip_free(s);
		return bz_fail(l, BZ_ENOMEM, "out of memory");
	}
	char today[BZ_DATE_LEN + 1];
	bz_today(l, today);
	if (s->cancelled && strcmp(today, s->cancelled) >= 0)
		s->state = BZ_SLIP_CANCELLED;
	else if (strcmp(today, s->valid_until) > 0)
		s->state = BZ_SLIP_EXPIRED;
	else if (s->used >= s->posts)
		s->state = BZ_SLIP_EXHAUSTED;
	else
		s->state = BZ_SLIP_LIVE;
	s->remaining = s->state == BZ_SLIP_LIVE ? s->posts - s->used : 0;
	*out = s;
	return BZ_OK;
}

static int slip_one(bz_slip **out, bz_ledger *l, const char *sql, const char *key)
{
	*out = NULL;
	bz_st *st = bz_stmt(l, sql);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, key);
	int rc = bz_step(st), code;
	if (rc == SQLITE_ROW)
		code = slip_make((void **)out, st, l);
	else if (rc == SQLITE_DONE)
		code = bz_fail(l, BZ_ENOTFOUND, "no such usage slip: %s", key);
	else
		code = bz_sqlfail(l, rc);
	bz_st_reset(st);
	return code == BZ_OK ? bz_ok(l) : code;
}

BZ_EXTERN int bz_slip_lookup(bz_slip **out, bz_ledger *ledger, const char *uuid)
{
	if (!out || !ledger)
		return BZ_EINVAL;
	if (!uuid)
		return bz_fail(ledger, BZ_EINVAL, "bz_slip_lookup: an argument is missing or not valid");
	static const char sql[] = SLIP_COLS "WHERE s.id=?1";
	return slip_one(out, ledger, sql, uuid);
}

BZ_EXTERN int bz_slip_lookup_number(bz_slip **out, bz_ledger *ledger, const char *number)
{
	if (!out || !ledger)
		return BZ_EINVAL;
	if (!number)
		return bz_fail(ledger, BZ_EINVAL, "bz_slip_lookup_number: an argument is missing or not valid");
	static const char sql[] = SLIP_COLS "WHERE s.number=?1";
	return slip_one(out, ledger, sql, number);
}

BZ_EXTERN int bz_slip_list(bz_slip_iter **out, bz_ledger *ledger, const char *unit_uuid)
{
	if (!out || !ledger)
		return BZ_EINVAL;
	if (!unit_uuid)
		return bz_fail(ledger, BZ_EINVAL, "bz_slip_list: an argument is missing or not valid");
	*out = NULL;
	bz_iter *it;
	int rc = bz_iter_new(&it, ledger, SLIP_COLS "WHERE s.unit=?1 ORDER BY s.issued, s.number", slip_make);
	if (rc != BZ_OK)
		return rc;
	bz_bind_text(it->st, 1, unit_uuid);
	*out = (bz_slip_iter *)it;
	return bz_ok(ledger);
}

BZ_EXTERN int bz_slip_iter_next(bz_slip **out, bz_slip_iter *it) { return bz_iter_next((void **)out, (bz_iter *)it); }
BZ_EXTERN void bz_slip_iter_free(bz_slip_iter *it) { bz_iter_free((bz_iter *)it); }

BZ_EXTERN const char *bz_slip_uuid(const bz_slip *s) { return s ? s->uuid : NULL; }
BZ_EXTERN const char *bz_slip_number(const bz_slip *s) { return s ? s->number : NULL; }
BZ_EXTERN const char *bz_slip_unit(const bz_slip *s) { return s ? s->unit : NULL; }
BZ_EXTERN const char *bz_slip_category(const bz_slip *s) { return s ? s->category : NULL; }
BZ_EXTERN int bz_slip_posts(const bz_slip *s) { return s ? s->posts : 0; }
BZ_EXTERN int bz_slip_purpose(const bz_slip *s) { return s ? s->purpose : 0; }
BZ_EXTERN const char *bz_slip_issued(const bz_slip *s) { return s ? s->issued : NULL; }
BZ_EXTERN const char *bz_slip_valid_until(const bz_slip *s) { return s ? s->valid_until : NULL; }
BZ_EXTERN const char *bz_slip_cancelled(const bz_slip *s) { return s ? s->cancelled : NULL; }
BZ_EXTERN int bz_slip_used(const bz_slip *s) { return s ? s->used : 0; }
BZ_EXTERN int bz_slip_remaining(const bz_slip *s) { return s ? s->remaining : 0; }
BZ_EXTERN int bz_slip_state(const bz_slip *s) { return s ? s->state : 0; }
