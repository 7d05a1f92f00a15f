/*
 * appointment.c: leadership appointments. Leaders in post are counted in
 * the timelines "L:<subject>:principal" and "L:<subject>:deputy", which the
 * leadership checker (R2) compares with the quota at every date touched.
 */
#include "catalogue.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct bz_appointment {
	char uuid[BZ_UUID_LEN + 1];
	char *person, *subject, *end;
	int post, rank;
	char start[BZ_DATE_LEN + 1];
};

static const char *post_name(int post)
{
	return post == BZ_POST_PRINCIPAL ? "principal" : "deputy";
}

static int leaders_add(bz_txn *t, const char *subject, int post, const char *from, int delta)
{
	char key[128];
	snprintf(key, sizeof key, "L:%s:%s", subject, post_name(post));
	int rc = bz_tl_add(t->l, key, from, NULL, delta);
	if (rc == BZ_OK && delta > 0)
		rc = bz_txn_touch(t, BZ_TOUCH_LEADERS, subject, NULL, from);
	return rc;
}

static int do_make(bz_appointment **out, bz_txn *t, const char *person, const char *subject, int post,
		   int rank, const char *date)
{
	bz_ledger *l = t->l;
	char *pname = NULL, *unit = NULL;
	bool is_sub = false;
	int rc = bz_person_name_of(l, person, &pname, NULL);
	if (rc == BZ_OK)
		rc = bz_leader_subject_unit(l, subject, &unit, &is_sub);
	if (rc == BZ_OK && !unit)
		rc = bz_fail(l, BZ_ENOTFOUND, "no unit or sub-unit %s in the ledger", subject);
	if (rc != BZ_OK)
		goto done;
	char uuid[BZ_UUID_LEN + 1];
	bz_uuid_new(uuid);
	static const char ins[] = "INSERT INTO appointment(id, person, subject, post, start) VALUES(?1,?2,?3,?4,?5)";
	bz_st *st = bz_stmt(l, ins);
	if (!st) {
		rc = bz_stmt_err();
		goto done;
	}
	bz_bind_text(st, 1, uuid);
	bz_bind_text(st, 2, person);
	bz_bind_text(st, 3, subject);
	bz_st_bind_int(st, 4, post);
	bz_bind_text(st, 5, date);
	if ((rc = bz_step_done(l, st)) != BZ_OK)
		goto done;
	long long ev;
	if ((rc = bz_event_write(t, &ev, "appointment.make", uuid, unit, date, pname)) != BZ_OK ||
	    (rc = bz_fact_write(t, ev, uuid, "person", date, person)) != BZ_OK ||
	    (rc = bz_fact_write(t, ev, uuid, "post", date, post_name(post))) != BZ_OK ||
	    (rc = bz_fact_write(t, ev, uuid, "subject", date, subject)) != BZ_OK ||
	    (rc = leaders_add(t, subject, post, date, 1)) != BZ_OK)
		goto done;
	if (rank != BZ_RANK_NONE) {
		/* the stated rank: R2 compares it with the post's level at commit (高配) */
		char v[8];
		snprintf(v, sizeof v, "%d", rank);
		if ((rc = bz_fact_write(t, ev, uuid, "rank", date, v)) != BZ_OK)
			goto done;
	}
	if (out) {
		bz_appointment *a = bz__calloc(1, sizeof *a);
		if (!a) {
			rc = bz_fail(l, BZ_ENOMEM, "out of memory");
			goto done;
		}
		memcpy(a->uuid, uuid, sizeof a->uuid);
		a->person = bz_strdup(person);
		a->subject = bz_strdup(subject);
		a->post = post;
		a->rank = rank;
		memcpy(a->start, date, BZ_DATE_LEN + 1);
		if (!a->person || !a->subject) {
			bz_appointment_free(a);
			rc = bz_fail(l, BZ_ENOMEM, "out of memory");
			goto done;
		}
		*out = a;
	}
done:
	bz__free(pname);
	bz__free(unit);
	return rc;
}

static int make(bz_appointment **out, bz_txn *txn, const char *person_uuid, const char *subject_uuid, int post,
		int rank, const char *date)
{
	if (out)
		*out = NULL;
	if (!txn)
		return BZ_EINVAL;
	if (!txn->l)
		return BZ_EMISUSE;
	if (!person_uuid || !subject_uuid || !bz_date_ok(date) || (post != BZ_POST_PRINCIPAL && post != BZ_POST_DEPUTY))
		return bz_fail(txn->l, BZ_EINVAL, "an appointment needs a person, a unit or sub-unit, a post and a valid date");
	if (rank < BZ_RANK_NONE || rank > BZ_RANK_ZHENGBU)
		return bz_fail(txn->l, BZ_EINVAL, "a person's rank is a bz_rank (0..%d), not %d", BZ_RANK_ZHENGBU, rank);
	int rc = bz_change_begin(txn);
	if (rc != BZ_OK)
		return rc;
	rc = do_make(out, txn, person_uuid, subject_uuid, post, rank, date);
	if (rc != BZ_OK && out && *out) {
		bz_appointment_free(*out);
		*out = NULL;
	}
	return bz_change_end(txn, rc);
}

BZ_EXTERN int bz_appointment_make(bz_appointment **out, bz_txn *txn, const char *person_uuid,
				  const char *subject_uuid, int post, const char *date)
{
	return make(out, txn, person_uuid, subject_uuid, post, BZ_RANK_NONE, date);
}

BZ_EXTERN int bz_appointment_make_ranked(bz_appointment **out, bz_txn *txn, const char *person_uuid,
					 const char *subject_uuid, int post, int rank, const char *date)
{
	return make(out, txn, person_uuid, subject_uuid, post, rank, date);
}

static int do_end(bz_txn *t, const char *id, const char *date)
{
	bz_ledger *l = t->l;
	static const char sql[] =
		"SELECT a.subject, a.post, a.start, e.date, a.person FROM appointment a"
		" LEFT JOIN appointment_end e ON e.appointment=a.id WHERE a.id=?1";
	bz_st *st = bz_stmt(l, sql);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, id);
	int rc = bz_step(st);
	if (rc != SQLITE_ROW) {
		bz_st_reset(st);
		return rc == SQLITE_DONE ? bz_fail(l, BZ_ENOTFOUND, "no appointment %s", id) : bz_sqlfail(l, rc);
	}
	char subject[BZ_UUID_LEN + 1], start[BZ_DATE_LEN + 1];
	snprintf(subject, sizeof subject, "%s", (const char *)bz_st_column_text(st, 0));
	int post = bz_st_column_int(st, 1);
	snprintf(start, sizeof start, "%s", (const char *)bz_st_column_text(st, 2));
	bool ended = bz_st_column_type(st, 3) != SQLITE_NULL;
	bz_st_reset(st);
	if (ended)
		return bz_fail(l, BZ_EINVAL, "the appointment has already ended");
	if (strcmp(date, start) <= 0)
		return bz_fail(l, BZ_EINVAL, "an appointment cannot end (%s) on or before its start (%s)", date, start);
	char *unit = NULL;
	bool is_sub;
	if ((rc = bz_leader_subject_unit(l, subject, &unit, &is_sub)) != BZ_OK)
		return rc;
	static const char ins[] = "INSERT INTO appointment_end(appointment, date) VALUES(?1,?2)";
	st = bz_stmt(l, ins);
	if (!st) {
		bz__free(unit);
		return bz_stmt_err();
	}
	bz_bind_text(st, 1, id);
	bz_bind_text(st, 2, date);
	long long ev;
	if ((rc = bz_step_done(l, st)) == BZ_OK && (rc = bz_event_write(t, &ev, "appointment.end", id, unit, date, NULL)) == BZ_OK &&
	    (rc = bz_fact_write(t, ev, id, "ended", date, date)) == BZ_OK)
		rc = leaders_add(t, subject, post, date, -1);
	bz__free(unit);
	return rc;
}

BZ_EXTERN int bz_appointment_end(bz_txn *txn, const char *appointment_uuid, const char *date)
{
	if (!txn)
		return BZ_EINVAL;
	if (!txn->l)
		return BZ_EMISUSE;
	if (!appointment_uuid || !bz_date_ok(date))
		return bz_fail(txn->l, BZ_EINVAL, "ending an appointment needs its UUID and a valid date");
	int rc = bz_change_begin(txn);
	if (rc != BZ_OK)
		return rc;
	return bz_change_end(txn, do_end(txn, appointment_uuid, date));
}

BZ_EXTERN void bz_appointment_free(bz_appointment *a)
{
	if (!a)
		return;
	bz__free(a->person);
	bz__free(a->subject);
	bz__free(a->end);
	bz__free(a);
}

static int appointment_make_row(void **out, bz_st *st, bz_ledger *l)
{
	bz_appointment *a = bz__calloc(1, sizeof *a);
	bool ok = a != NULL;
	if (a) {
		snprintf(a->uuid, sizeof a->uuid, "%s", (const char *)bz_st_column_text(st, 0));
		a->person = bz_col_strdup(st, 1, &ok);
		a->subject = bz_col_strdup(st, 2, &ok);
		a->post = bz_st_column_int(st, 3);
		snprintf(a->start, sizeof a->start, "%s", (const char *)bz_st_column_text(st, 4));
		a->end = bz_col_strdup(st, 5, &ok);
		a->rank = bz_st_column_int(st, 6);
	}
	if (!ok) {
		bz_appointment_free(a);
		return bz_fail(l, BZ_ENOMEM, "out of memory");
	}
	*out = a;
	return BZ_OK;
}

BZ_EXTERN int bz_appointment_list(bz_appointment_iter **out, bz_ledger *ledger, const char *subject_uuid,
				  const char *date)
{
	if (!out || !ledger)
		return BZ_EINVAL;
	if (!subject_uuid || (date && !bz_date_ok(date)))
		return bz_fail(ledger, BZ_EINVAL, "bz_appointment_list: an argument is missing or not valid");
	*out = NULL;
	char today[BZ_DATE_LEN + 1];
	date = bz_date_or_today(ledger, date, today);
	bz_iter *it;
	int rc = bz_iter_new(&it, ledger,
			     "SELECT a.id, a.person, a.subject, a.post, a.start, e.date,"
			     " (SELECT CAST(f.after AS INTEGER) FROM fact f WHERE f.subject=a.id AND f.attr='rank'"
			     "  ORDER BY f.event DESC LIMIT 1) FROM appointment a"
			     " LEFT JOIN appointment_end e ON e.appointment=a.id"
			     " WHERE a.subject=?1 AND a.start<=?2 AND (e.date IS NULL OR e.date>?2) ORDER BY a.post, a.start",
			     appointment_make_row);
	if (rc != BZ_OK)
		return rc;
	bz_bind_text(it->st, 1, subject_uuid);
	bz_bind_text(it->st, 2, date);
	*out = (bz_appointment_iter *)it;
	return bz_ok(ledger);
}

BZ_EXTERN int bz_appointment_iter_next(bz_appointment **out, bz_appointment_iter *it)
{
	return bz_iter_next((void **)out, (bz_iter *)it);
}
BZ_EXTERN void bz_appointment_iter_free(bz_appointment_iter *it) { bz_iter_free((bz_iter *)it); }

BZ_EXTERN const char *bz_appointment_uuid(const bz_appointment *a) { return a ? a->uuid : NULL; }
BZ_EXTERN const char *bz_appointment_person(const bz_appointment *a) { return a ? a->person : NULL; }
BZ_EXTERN const char *bz_appointment_subject(const bz_appointment *a) { return a ? a->subject : NULL; }
BZ_EXTERN int bz_appointment_post(const bz_appointment *a) { return a ? a->post : 0; }
BZ_EXTERN int bz_appointment_rank(const bz_appointment *a) { return a ? a->rank : BZ_RANK_NONE; }
BZ_EXTERN const char *bz_appointment_start(const bz_appointment *a) { return a ? a->start : NULL; }
BZ_EXTERN const char *bz_appointment_end_date(const bz_appointment *a) { return a ? a->end : NULL; }
