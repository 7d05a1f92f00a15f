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
