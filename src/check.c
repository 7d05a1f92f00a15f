/*
 * check.c: the check engine. At commit it runs, for every subject the
 * transaction touched, the checkers of that subject's kind, over the states
 * from the earliest date the transaction changed. The cost is therefore the
 * number of touched subjects times the breakpoints of their own timelines,
 * whatever the size of the ledger.
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const bz_checker checkers[BZ_TOUCH_KINDS] = {
	[BZ_TOUCH_UNIT_CAT] = bz_rule_unit_cat,
	[BZ_TOUCH_JUR_BRANCH] = bz_rule_jur_branch,
	[BZ_TOUCH_LEADERS] = bz_rule_leaders,
	[BZ_TOUCH_SUBUNITS] = bz_rule_subunits,
	[BZ_TOUCH_PERSON] = bz_rule_person,
	[BZ_TOUCH_UNIT_LIFE] = bz_rule_unit_life,
};

int bz_check_violation(bz_check_ctx *cx, const bz_touch *touch, int rule, int severity,
		       const char *subject, const char *subject_name, const char *category,
		       int64_t allowed, int64_t actual, const char *date, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);

	char *number = NULL;
	if (touch && touch->doc) {
		static const char sql[] = "SELECT number FROM document WHERE id=?1";
		sqlite3_stmt *st = bz_stmt(cx->l, sql);
		if (st) {
			bool ok = true;
			bz_bind_text(st, 1, touch->doc);
			if (sqlite3_step(st) == SQLITE_ROW)
				number = bz_col_strdup(st, 0, &ok);
			sqlite3_reset(st);
		}
	}
	int rc = bz_report_add(cx->report, rule, severity, subject, subject_name, category, allowed, actual,
			       touch ? touch->doc : NULL, number, date, "%s", msg);
	free(number);
	return rc == BZ_OK ? BZ_OK : bz_fail(cx->l, rc, "out of memory");
}

int bz_check_txn(bz_txn *t)
{
	bz_check_ctx cx = {.l = t->l, .report = &t->report, .txn_no = t->txn_no, .until = NULL};
	/* checkers may touch nothing; the list is stable while we walk it */
	for (size_t i = 0; i < t->ntouch; i++) {
		const bz_touch *x = &t->touch[i];
		if (x->kind <= 0 || x->kind >= BZ_TOUCH_KINDS || !checkers[x->kind])
			continue;
		int code = checkers[x->kind](&cx, x);
		if (code != BZ_OK)
			return code;
	}
	return BZ_OK;
}

/* ---- the full check ---------------------------------------------------- */

/*
 * Every subject of the ledger, as (kind, id, aux) rows: what a transaction
 * could have touched. Units × categories come from the establishment facts
 * and the unit counters; jurisdictions × both branches; leadership subjects
 * from quota facts and leader counters; units with sub-units or an approved
 * count; every unit's life; persons if the staff area's table exists.
 */
static const char full_subjects[] =
	"SELECT 1, subject, substr(attr, 5) FROM fact WHERE attr>='est:' AND attr<'est;'"
	" UNION SELECT 1, substr(key, 3, 36), substr(key, 40 + instr(substr(key, 40), ':')) FROM tl"
	"  WHERE key>='U:' AND key<'U;'"
	" UNION SELECT 2, id, '1' FROM jurisdiction UNION SELECT 2, id, '2' FROM jurisdiction"
	" UNION SELECT 3, subject, NULL FROM fact WHERE attr IN ('quota:principal','quota:deputy')"
	" UNION SELECT 3, substr(key, 3, 36), NULL FROM tl WHERE key>='L:' AND key<'L;'"
	" UNION SELECT 4, unit, NULL FROM subunit"
	" UNION SELECT 4, subject, NULL FROM fact WHERE attr='subunits:approved'"
	" UNION SELECT 6, id, NULL FROM unit"
	" ORDER BY 1, 2, 3";

static int full_run(bz_check_ctx *cx, sqlite3_stmt *st)
{
	int rc, code = BZ_OK;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		bz_touch x = {0};
		x.kind = sqlite3_column_int(st, 0);
		x.id = (char *)sqlite3_column_text(st, 1);
		x.aux = (char *)sqlite3_column_text(st, 2);
		memcpy(x.from, "0001-01-01", BZ_DATE_LEN + 1);
		if (!x.id || x.kind <= 0 || x.kind >= BZ_TOUCH_KINDS || !checkers[x.kind])
			continue;
		if ((code = checkers[x.kind](cx, &x)) != BZ_OK)
			break;
	}
	if (code == BZ_OK && rc != SQLITE_DONE)
		code = bz_sqlfail(cx->l, rc);
	return code;
}

BZ_EXTERN int bz_ledger_check(bz_report **out, bz_ledger *ledger, const char *date)
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
	bz_check_ctx cx = {.l = ledger, .report = r, .txn_no = 0, .until = date};
	/* one read snapshot for the whole check */
	int code = bz_exec(ledger, "BEGIN");
	if (code != BZ_OK) {
		bz_report_free(r);
		return code;
	}
	/* statements of their own: the checkers use the cache */
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(ledger->db, full_subjects, -1, &st, NULL);
	code = rc == SQLITE_OK ? full_run(&cx, st) : bz_sqlfail(ledger, rc);
	sqlite3_finalize(st);
	st = NULL;
	if (code == BZ_OK) {
		rc = sqlite3_prepare_v2(ledger->db,
					"SELECT 5, id, NULL FROM person"
					" WHERE EXISTS (SELECT 1 FROM sqlite_schema WHERE name='person') ORDER BY id",
					-1, &st, NULL);
		/* no person table yet (the staff area absent): nothing to check */
		if (rc == SQLITE_OK)
			code = full_run(&cx, st);
		sqlite3_finalize(st);
	}
	sqlite3_exec(ledger->db, "COMMIT", NULL, NULL, NULL);
	if (code != BZ_OK) {
		bz_report_free(r);
		return code;
	}
	*out = r;
	return bz_ok(ledger);
}
