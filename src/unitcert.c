/*
 * unitcert.c: the units' 机构编制管理证 (include/bianzhi/unitcert.h). A
 * certificate is a row written once with the change record that issued or
 * renewed it; its end (voided, or replaced by its renewal) is a row of
 * unitcert_end. Its validity comes from the rule parameter
 * "unitcert.validity_years" at its issue date. R14 reads these tables
 * (rules_unitcert.c); this file never raises a violation.
 */
#include "catalogue.h"
#include "rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct bz_unitcert {
	char uuid[BZ_UUID_LEN + 1];
	char *number, *unit, *renews, *voided, *renewed;
	char issued[BZ_DATE_LEN + 1], valid_until[BZ_DATE_LEN + 1], as_of[BZ_DATE_LEN + 1];
	int state;
};

enum { END_VOID = 1, END_RENEWED = 2 };

/* ---- validity ------------------------------------------------------------ */

int bz_unitcert_years(bz_ledger *l, const char *date, int *years)
{
	char *v = NULL;
	int rc = bz_param_at(l, &v, "unitcert.validity_years", date);
	if (rc != BZ_OK)
		return rc;
	*years = v ? atoi(v) : atoi(bz_param_default("unitcert.validity_years"));
	bz__free(v);
	return BZ_OK;
}

/* the last day of a validity of years from issued: the day before the same calendar day years later */
void bz_unitcert_until(char out[BZ_DATE_LEN + 1], const char *issued, int years)
{
	int y = 0, m = 0, d = 0;
	sscanf(issued, "%4d-%2d-%2d", &y, &m, &d);
	y += years;
	if (y > 9998) {
		snprintf(out, BZ_DATE_LEN + 1, "%s", BZ_DATE_MAX);
		return;
	}
	char next[BZ_DATE_LEN + 8];
	if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		snprintf(next, sizeof next, "%04d-03-01", y); /* 29 February of a common year: 28 February is the last */
	else
		snprintf(next, sizeof next, "%04d-%02d-%02d", y, m, d);
	bz_date_add_days(out, next, -1);
}

/* ---- the rows -------------------------------------------------------------- */

typedef struct cert_row {
	char unit[BZ_UUID_LEN + 1], number[BZ_UNITCERT_NUMBER_MAX + 8], issued[BZ_DATE_LEN + 1];
	char until[BZ_DATE_LEN + 1], end[BZ_DATE_LEN + 1];
	int end_kind; /* 0 while not ended */
} cert_row;

static int cert_row_get(bz_ledger *l, const char *cert, cert_row *r)
{
	static const char sql[] =
		"SELECT c.unit, c.number, c.issued, c.valid_until, e.date, e.kind FROM unitcert c"
		" LEFT JOIN unitcert_end e ON e.cert=c.id WHERE c.id=?1";
	bz_st *st = bz_stmt(l, sql);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, cert);
	int rc = bz_step(st), code = BZ_OK;
	if (rc == SQLITE_ROW) {
		snprintf(r->unit, sizeof r->unit, "%s", (const char *)bz_st_column_text(st, 0));
		snprintf(r->number, sizeof r->number, "%s", (const char *)bz_st_column_text(st, 1));
		snprintf(r->issued, sizeof r->issued, "%s", (const char *)bz_st_column_text(st, 2));
		snprintf(r->until, sizeof r->until, "%s", (const char *)bz_st_column_text(st, 3));
		r->end_kind = bz_st_column_type(st, 4) == SQLITE_NULL ? 0 : bz_st_column_int(st, 5);
		snprintf(r->end, sizeof r->end, "%s", r->end_kind ? (const char *)bz_st_column_text(st, 4) : "");
	} else if (rc == SQLITE_DONE) {
		code = bz_fail(l, BZ_ENOTFOUND, "no 机构编制管理证 %s in the ledger", cert);
	} else {
		code = bz_sqlfail(l, rc);
	}
	bz_st_reset(st);
	return code;
}

/* the next number of the unit's division and year; a failed lookup is an error, never a guessed number */
static int next_number(bz_ledger *l, const char *unit, const char *issued, char buf[BZ_UNITCERT_NUMBER_MAX + 8])
{
	char code[8];
	int rc = bz_unit_division(l, unit, code);
	if (rc != BZ_OK)
		return rc;
	/* one past the highest of the division and year — never a count: a number given by the caller or
	 * brought by an import may leave gaps — read from the range of the numbers' unique index */
	static const char sql[] = "SELECT COALESCE(max(CAST(substr(number, length(?1) + 1) AS INTEGER)), 0) FROM unitcert"
				  " WHERE number>=?1 AND number<?1 || '~'";
	char prefix[40];
	snprintf(prefix, sizeof prefix, "%s-BZZ-%.4s-", code, issued);
	/* PostgreSQL: one writer at a time numbers a division's certificates of a year (held to the commit, txn.c) */
	if ((rc = bz_pg_lock(l, "certno", prefix)) != BZ_OK)
		return rc;
	bz_st *st = bz_stmt(l, sql);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, prefix);
	rc = bz_step(st);
	long long n = rc == SQLITE_ROW ? bz_st_column_int64(st, 0) : 0;
	bz_st_reset(st);
	if (rc != SQLITE_ROW)
		return bz_sqlfail(l, rc);
	snprintf(buf, BZ_UNITCERT_NUMBER_MAX + 8, "%s%04lld", prefix, n + 1);
	return BZ_OK;
}

/*
 * Refuse a new certificate of unit from issued on when another (but not
 * `except`) is in force that day or was issued later: a unit holds one at a
 * time, and certificates follow each other in the order of their issue.
 */
static int none_in_force(bz_ledger *l, const char *unit, const char *issued, const char *except)
{
	static const char sql[] =
		"SELECT c.number, c.issued, c.valid_until FROM unitcert c LEFT JOIN unitcert_end e ON e.cert=c.id"
		" WHERE c.unit=?1 AND c.id<>?3 AND (c.issued>?2 OR (c.valid_until>=?2 AND (e.date IS NULL OR e.date>?2)))"
		" ORDER BY c.issued DESC LIMIT 1";
	bz_st *st = bz_stmt(l, sql);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, unit);
	bz_bind_text(st, 2, issued);
	bz_bind_text(st, 3, except ? except : "");
	int rc = bz_step(st), code = BZ_OK;
	if (rc == SQLITE_ROW) {
		const char *num = (const char *)bz_st_column_text(st, 0), *from = (const char *)bz_st_column_text(st, 1);
		const char *until = (const char *)bz_st_column_text(st, 2);
		if (strcmp(from, issued) > 0)
			code = bz_fail(l, BZ_EINVAL, "the unit holds 机构编制管理证 %s issued later (%s) than %s", num, from,
				       issued);
		else
			code = bz_fail(l, BZ_EINVAL,
				       "the unit already holds 机构编制管理证 %s, in force on %s (valid %s to %s): renew or void it",
				       num, issued, from, until);
	} else if (rc != SQLITE_DONE) {
		code = bz_sqlfail(l, rc);
	}
	bz_st_reset(st);
	return code;
}

/* write a certificate for unit from issued on (renews: the certificate it replaces, or NULL) */
static int write_cert(bz_unitcert **out, bz_txn *t, const char *unit, const char *issued, const char *number,
		      const char *renews, const char *renews_number)
{
	bz_ledger *l = t->l;
	int rc = bz_unit_exists(l, unit);
	if (rc != BZ_OK)
		return rc;
	bool alive = false;
	if ((rc = bz_unit_alive(l, unit, issued, &alive)) != BZ_OK)
		return rc;
	if (!alive)
		return bz_fail(l, BZ_EINVAL, "the unit is not in being on %s: no 机构编制管理证 can be issued to it", issued);
	if ((rc = none_in_force(l, unit, issued, renews)) != BZ_OK)
		return rc;
	char num[BZ_UNITCERT_NUMBER_MAX + 8];
	if (number)
		snprintf(num, sizeof num, "%s", number);
	else if ((rc = next_number(l, unit, issued, num)) != BZ_OK)
		return rc;
	static const char dup[] = "SELECT 1 FROM unitcert WHERE number=?1";
	bz_st *st = bz_stmt(l, dup);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, num);
	bool taken = false;
	if ((rc = bz_step_exists(l, st, &taken)) != BZ_OK)
		return rc;
	if (taken)
		return bz_fail(l, BZ_EEXISTS, "a 机构编制管理证 numbered %s already exists", num);
	int years = 0;
	if ((rc = bz_unitcert_years(l, issued, &years)) != BZ_OK)
		return rc;
	char until[BZ_DATE_LEN + 1], uuid[BZ_UUID_LEN + 1];
	bz_unitcert_until(until, issued, years);
	bz_uuid_new(uuid);
	long long ev = 0;
	if ((rc = bz_event_write(t, &ev, renews ? "unitcert.renew" : "unitcert.issue", uuid, unit, issued, num)) != BZ_OK ||
	    (rc = bz_fact_write_first(t, ev, uuid, "cert_number", issued, num)) != BZ_OK ||
	    (rc = bz_fact_write_first(t, ev, uuid, "valid_until", issued, until)) != BZ_OK ||
	    (renews && (rc = bz_fact_write_first(t, ev, uuid, "renews", issued, renews_number)) != BZ_OK))
		return rc;
	static const char ins[] =
		"INSERT INTO unitcert(id, number, unit, issued, valid_until, renews, event) VALUES(?1,?2,?3,?4,?5,?6,?7)";
	if (!(st = bz_stmt(l, ins)))
		return bz_stmt_err();
	bz_bind_text(st, 1, uuid);
	bz_bind_text(st, 2, num);
	bz_bind_text(st, 3, unit);
	bz_bind_text(st, 4, issued);
	bz_bind_text(st, 5, until);
	bz_bind_text(st, 6, renews);
	bz_st_bind_int64(st, 7, ev);
	if ((rc = bz_step_done(l, st)) != BZ_OK)
		return rc;
	if (renews) {
		static const char end[] = "INSERT INTO unitcert_end(cert, date, kind, event) VALUES(?1,?2,2,?3)";
		if (!(st = bz_stmt(l, end)))
			return bz_stmt_err();
		bz_bind_text(st, 1, renews);
		bz_bind_text(st, 2, issued);
		bz_st_bind_int64(st, 3, ev);
		if ((rc = bz_step_done(l, st)) != BZ_OK || (rc = bz_fact_write(t, ev, renews, "renewed", issued, issued)) != BZ_OK)
			return rc;
	}
	return out ? bz_unitcert_lookup(out, l, uuid, issued) : BZ_OK;
}

static int args_ok(bz_ledger *l, const char *what, const char *id, const char *date, const char *number)
{
	if (!bz_uuid_ok(id) || !bz_date_ok(date))
		return bz_fail(l, BZ_EINVAL, "%s needs a UUID and a date from %s to %s", what, BZ_DATE_MIN, BZ_DATE_MAX);
	if (number && (!bz_text_ok(number) || strlen(number) > BZ_UNITCERT_NUMBER_MAX))
		return bz_fail(l, BZ_EINVAL, "a 机构编制管理证 number must be non-empty UTF-8 of at most %d bytes",
			       BZ_UNITCERT_NUMBER_MAX);
	return BZ_OK;
}

BZ_EXTERN int bz_unitcert_issue(bz_unitcert **out, bz_txn *txn, const char *unit_uuid, const char *issued,
				const char *number)
{
	if (out)
		*out = NULL;
	if (!txn)
		return BZ_EINVAL;
	if (!txn->l)
		return BZ_EMISUSE;
	int rc = args_ok(txn->l, "issuing a 机构编制管理证", unit_uuid, issued, number);
	if (rc != BZ_OK || (rc = bz_change_begin(txn)) != BZ_OK)
		return rc;
	return bz_change_end(txn, write_cert(out, txn, unit_uuid, issued, number, NULL, NULL));
}

static int do_renew(bz_unitcert **out, bz_txn *t, const char *cert, const char *issued, const char *number)
{
	cert_row r;
	int rc = cert_row_get(t->l, cert, &r);
	if (rc != BZ_OK)
		return rc;
	if (r.end_kind)
		return bz_fail(t->l, BZ_EINVAL, "机构编制管理证 %s was already %s on %s", r.number,
			       r.end_kind == END_VOID ? "voided" : "renewed", r.end);
	if (strcmp(issued, r.issued) <= 0)
		return bz_fail(t->l, BZ_EINVAL, "a renewal (%s) must come after the issue of 机构编制管理证 %s (%s)", issued,
			       r.number, r.issued);
	return write_cert(out, t, r.unit, issued, number, cert, r.number);
}

BZ_EXTERN int bz_unitcert_renew(bz_unitcert **out, bz_txn *txn, const char *cert_uuid, const char *issued,
				const char *number)
{
	if (out)
		*out = NULL;
	if (!txn)
		return BZ_EINVAL;
	if (!txn->l)
		return BZ_EMISUSE;
	int rc = args_ok(txn->l, "renewing a 机构编制管理证", cert_uuid, issued, number);
	if (rc != BZ_OK || (rc = bz_change_begin(txn)) != BZ_OK)
		return rc;
	return bz_change_end(txn, do_renew(out, txn, cert_uuid, issued, number));
}

static int do_void(bz_txn *t, const char *cert, const char *date)
{
	bz_ledger *l = t->l;
	cert_row r;
	int rc = cert_row_get(l, cert, &r);
	if (rc != BZ_OK)
		return rc;
	if (r.end_kind)
		return bz_fail(l, BZ_EINVAL, "机构编制管理证 %s was already %s on %s", r.number,
			       r.end_kind == END_VOID ? "voided" : "renewed", r.end);
	if (strcmp(date, r.issued) < 0)
		return bz_fail(l, BZ_EINVAL, "机构编制管理证 %s cannot be voided (%s) before its issue (%s)", r.number, date,
			       r.issued);
	long long ev = 0;
	if ((rc = bz_event_write(t, &ev, "unitcert.void", cert, r.unit, date, r.number)) != BZ_OK ||
	    (rc = bz_fact_write(t, ev, cert, "voided", date, date)) != BZ_OK)
		return rc;
	static const char ins[] = "INSERT INTO unitcert_end(cert, date, kind, event) VALUES(?1,?2,1,?3)";
	bz_st *st = bz_stmt(l, ins);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, cert);
	bz_bind_text(st, 2, date);
	bz_st_bind_int64(st, 3, ev);
	return bz_step_done(l, st);
}

BZ_EXTERN int bz_unitcert_void(bz_txn *txn, const char *cert_uuid, const char *date)
{
	if (!txn)
		return BZ_EINVAL;
	if (!txn->l)
		return BZ_EMISUSE;
	int rc = args_ok(txn->l, "voiding a 机构编制管理证", cert_uuid, date, NULL);
	if (rc != BZ_OK || (rc = bz_change_begin(txn)) != BZ_OK)
		return rc;
	return bz_change_end(txn, do_void(txn, cert_uuid, date));
}

/* ---- reading ------------------------------------------------------------------------ */

/* ?9 is the date the state is given at */
#define CERT_COLS                                                                                              \
	"SELECT c.id, c.number, c.unit, c.issued, c.valid_until, c.renews, e.date, e.kind, ?9 FROM unitcert c" \
	" LEFT JOIN unitcert_end e ON e.cert=c.id "

BZ_EXTERN void bz_unitcert_free(bz_unitcert *c)
{
	if (!c)
		return;
	bz__free(c->number);
	bz__free(c->unit);
	bz__free(c->renews);
	bz__free(c->voided);
	bz__free(c->renewed);
	bz__free(c);
}

int bz_unitcert_state_at(const char *issued, const char *until, const char *end, int end_kind, const char *date)
{
	if (strcmp(date, issued) < 0)
		return BZ_UNITCERT_PENDING;
	if (end_kind && end && strcmp(date, end) >= 0)
		return end_kind == END_VOID ? BZ_UNITCERT_VOID : BZ_UNITCERT_RENEWED;
	if (strcmp(date, until) > 0)
		return BZ_UNITCERT_EXPIRED;
	return BZ_UNITCERT_VALID;
}

static int cert_make(void **out, bz_st *st, bz_ledger *l)
{
	bz_unitcert *c = bz__calloc(1, sizeof *c);
	bool ok = c != NULL;
	if (c) {
		snprintf(c->uuid, sizeof c->uuid, "%s", (const char *)bz_st_column_text(st, 0));
		c->number = bz_col_strdup(st, 1, &ok);
		c->unit = bz_col_strdup(st, 2, &ok);
		snprintf(c->issued, sizeof c->issued, "%s", (const char *)bz_st_column_text(st, 3));
		snprintf(c->valid_until, sizeof c->valid_until, "%s", (const char *)bz_st_column_text(st, 4));
		c->renews = bz_col_strdup(st, 5, &ok);
		int kind = bz_st_column_type(st, 6) == SQLITE_NULL ? 0 : bz_st_column_int(st, 7);
		if (kind == END_VOID)
			c->voided = bz_col_strdup(st, 6, &ok);
		else if (kind == END_RENEWED)
			c->renewed = bz_col_strdup(st, 6, &ok);
		snprintf(c->as_of, sizeof c->as_of, "%s", (const char *)bz_st_column_text(st, 8));
		if (ok)
			c->state = bz_unitcert_state_at(c->issued, c->valid_until, kind == END_VOID ? c->voided : c->renewed,
							kind, c->as_of);
	}
	if (!ok) {
		bz_unitcert_free(c);
		return bz_fail(l, BZ_ENOMEM, "out of memory");
	}
	*out = c;
	return BZ_OK;
}

static int cert_one(bz_unitcert **out, bz_ledger *l, const char *sql, const char *key, const char *date,
		    const char *what)
{
	char today[BZ_DATE_LEN + 1];
	date = bz_date_or_today(l, date, today);
	if (!bz_date_ok(date))
		return bz_fail(l, BZ_EINVAL, "not a valid date: %s (expected YYYY-MM-DD)", date);
	bz_st *st = bz_stmt(l, sql);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, key);
	bz_bind_text(st, 9, date);
	int rc = bz_step(st), code;
	if (rc == SQLITE_ROW)
		code = cert_make((void **)out, st, l);
	else if (rc == SQLITE_DONE)
		code = bz_fail(l, BZ_ENOTFOUND, "%s: %s", what, key);
	else
		code = bz_sqlfail(l, rc);
	bz_st_reset(st);
	return code == BZ_OK ? bz_ok(l) : code;
}

BZ_EXTERN int bz_unitcert_lookup(bz_unitcert **out, bz_ledger *ledger, const char *uuid, const char *date)
{
	if (!out)
		return BZ_EINVAL;
	*out = NULL;
	if (!ledger)
		return BZ_EINVAL;
	if (!uuid)
		return bz_fail(ledger, BZ_EINVAL, "bz_unitcert_lookup: a certificate UUID is required");
	static const char sql[] = CERT_COLS "WHERE c.id=?1";
	return cert_one(out, ledger, sql, uuid, date, "no such 机构编制管理证");
}

BZ_EXTERN int bz_unitcert_lookup_number(bz_unitcert **out, bz_ledger *ledger, const char *number, const char *date)
{
	if (!out)
		return BZ_EINVAL;
	*out = NULL;
	if (!ledger)
		return BZ_EINVAL;
	if (!number)
		return bz_fail(ledger, BZ_EINVAL, "bz_unitcert_lookup_number: a certificate number is required");
	static const char sql[] = CERT_COLS "WHERE c.number=?1";
	return cert_one(out, ledger, sql, number, date, "no 机构编制管理证 numbered");
}

BZ_EXTERN int bz_unitcert_held(bz_unitcert **out, bz_ledger *ledger, const char *unit_uuid, const char *date)
{
	if (!out)
		return BZ_EINVAL;
	*out = NULL;
	if (!ledger)
		return BZ_EINVAL;
	if (!bz_uuid_ok(unit_uuid))
		return bz_fail(ledger, BZ_EINVAL, "bz_unitcert_held: a unit UUID is required");
	int rc = bz_unit_exists(ledger, unit_uuid);
	if (rc != BZ_OK)
		return rc;
	/* ?9 is bound by cert_one: the last certificate issued on or before it */
	static const char sql[] = CERT_COLS "WHERE c.unit=?1 AND c.issued<=?9 ORDER BY c.issued DESC, c.rowid DESC LIMIT 1";
	return cert_one(out, ledger, sql, unit_uuid, date, "the unit held no 机构编制管理证 by that date");
}

BZ_EXTERN int bz_unitcert_list(bz_unitcert_iter **out, bz_ledger *ledger, const char *unit_uuid, const char *date)
{
	if (!out)
		return BZ_EINVAL;
	*out = NULL;
	if (!ledger)
		return BZ_EINVAL;
	char today[BZ_DATE_LEN + 1];
	date = bz_date_or_today(ledger, date, today);
	if (!bz_uuid_ok(unit_uuid) || !bz_date_ok(date))
		return bz_fail(ledger, BZ_EINVAL, "bz_unitcert_list: a unit UUID and a valid date are required");
	bz_iter *it;
	int rc = bz_iter_new(&it, ledger, CERT_COLS "WHERE c.unit=?1 ORDER BY c.issued, c.rowid", cert_make);
	if (rc != BZ_OK)
		return rc;
	bz_bind_text(it->st, 1, unit_uuid);
	bz_bind_text(it->st, 9, date);
	*out = (bz_unitcert_iter *)it;
	return bz_ok(ledger);
}

BZ_EXTERN int bz_unitcert_iter_next(bz_unitcert **out, bz_unitcert_iter *it)
{
	return bz_iter_next((void **)out, (bz_iter *)it);
}
BZ_EXTERN void bz_unitcert_iter_free(bz_unitcert_iter *it) { bz_iter_free((bz_iter *)it); }

BZ_EXTERN const char *bz_unitcert_uuid(const bz_unitcert *c) { return c ? c->uuid : NULL; }
BZ_EXTERN const char *bz_unitcert_number(const bz_unitcert *c) { return c ? c->number : NULL; }
BZ_EXTERN const char *bz_unitcert_unit(const bz_unitcert *c) { return c ? c->unit : NULL; }
BZ_EXTERN const char *bz_unitcert_issued(const bz_unitcert *c) { return c ? c->issued : NULL; }
BZ_EXTERN const char *bz_unitcert_valid_until(const bz_unitcert *c) { return c ? c->valid_until : NULL; }
BZ_EXTERN const char *bz_unitcert_voided(const bz_unitcert *c) { return c ? c->voided : NULL; }
BZ_EXTERN const char *bz_unitcert_renewed(const bz_unitcert *c) { return c ? c->renewed : NULL; }
BZ_EXTERN const char *bz_unitcert_renews(const bz_unitcert *c) { return c ? c->renews : NULL; }
BZ_EXTERN const char *bz_unitcert_as_of(const bz_unitcert *c) { return c ? c->as_of : NULL; }
BZ_EXTERN int bz_unitcert_state(const bz_unitcert *c) { return c ? c->state : 0; }
