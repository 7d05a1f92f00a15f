/* test_txn.c: transactions, savepoints, reports and the timelines underneath. */
#include "testutil.h"
#include "internal.h"

#include <stdlib.h>
#include <string.h>

START_TEST(begin_commit_rollback)
{
	bz_ledger *l = tu_ledger();
	bz_txn *t = NULL;
	ck_assert_int_eq(bz_txn_begin(&t, l, "", "office"), BZ_EINVAL);
	ck_assert_int_eq(bz_txn_begin(&t, l, "user", NULL), BZ_EINVAL);
	ck_assert_int_eq(bz_txn_begin(NULL, l, "user", "office"), BZ_EINVAL);
	t = tu_begin(l);
	bz_txn *t2 = NULL;
	ck_assert_int_eq(bz_txn_begin(&t2, l, "u", "o"), BZ_EMISUSE);
	ck_assert_bz(bz_txn_commit(t));
	ck_assert_int_eq(bz_txn_commit(t), BZ_EMISUSE);
	ck_assert_int_eq(bz_txn_rollback(t), BZ_EMISUSE);
	ck_assert_uint_eq(bz_report_count(bz_txn_report(t)), 0);
	bz_txn_free(t);
	ck_assert_int_eq(tu_count(l, "txn_log"), 1);
	t = tu_begin(l);
	ck_assert_bz(bz_txn_rollback(t));
	bz_txn_free(t);
	ck_assert_int_eq(tu_count(l, "txn_log"), 1);
	/* freed while open: rolled back */
	t = tu_begin(l);
	bz_txn_free(t);
	ck_assert_int_eq(tu_count(l, "txn_log"), 1);
	bz_txn_free(NULL);
	bz_ledger_close(l);
}
END_TEST

START_TEST(set_document_unknown)
{
	bz_ledger *l = tu_ledger();
	bz_txn *t = tu_begin(l);
	ck_assert_int_eq(bz_txn_set_document(t, "00000000-0000-4000-8000-000000000000"), BZ_ENOTFOUND);
	ck_assert_int_eq(bz_txn_set_document(t, "garbage"), BZ_EINVAL);
	ck_assert_bz(bz_txn_set_document(t, NULL));
	ck_assert_int_eq(bz_txn_set_document(NULL, NULL), BZ_EINVAL);
	bz_txn_free(t);
	bz_ledger_close(l);
}
END_TEST

START_TEST(txn_outliving_ledger)
{
	bz_ledger *l = tu_ledger();
	bz_txn *t = tu_begin(l);
	ck_assert_bz(bz_ledger_close(l));
	ck_assert_int_eq(bz_txn_commit(t), BZ_EMISUSE);
	ck_assert_int_eq(bz_txn_set_document(t, NULL), BZ_EMISUSE);
	bz_txn_free(t);
}
END_TEST

START_TEST(change_without_document_is_r6)
{
	bz_ledger *l = tu_ledger();
	bz_txn *t = tu_begin(l);
	ck_assert_bz(bz_change_begin(t));
	long long ev = 0;
	ck_assert_bz(bz_event_write(t, &ev, "test.kind", "subj", NULL, "2020-01-01", NULL));
	ck_assert_bz(bz_fact_write(t, ev, "subj", "name", "2020-01-01", "x"));
	ck_assert_bz(bz_change_end(t, BZ_OK));
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	const bz_report *r = bz_txn_report(t);
	ck_assert_uint_eq(bz_report_count(r), 1);
	ck_assert_uint_eq(bz_report_errors(r), 1);
	const bz_violation *v = bz_report_get(r, 0);
	ck_assert_int_eq(bz_violation_rule(v), BZ_RULE_R6);
	ck_assert_str_eq(bz_violation_rule_id(v), "R6");
	ck_assert_int_eq(bz_violation_severity(v), BZ_SEVERITY_ERROR);
	ck_assert_str_eq(bz_violation_subject(v), "subj");
	ck_assert_ptr_null(bz_violation_document(v));
	ck_assert_str_eq(bz_violation_date(v), "2020-01-01");
	ck_assert_ptr_null(bz_report_get(r, 1));
	bz_txn_free(t);
	ck_assert_int_eq(tu_count(l, "event"), 0);
	ck_assert_int_eq(tu_count(l, "fact"), 0);
	bz_ledger_close(l);
}
END_TEST

START_TEST(failed_change_leaves_nothing)
{
	bz_ledger *l = tu_ledger();
	bz_txn *t = tu_begin(l);
	ck_assert_bz(bz_change_begin(t));
	long long ev = 0;
	ck_assert_bz(bz_event_write(t, &ev, "test.kind", "subj", NULL, "2020-01-01", NULL));
	ck_assert_int_eq(bz_change_end(t, BZ_EINVAL), BZ_EINVAL);
	ck_assert_uint_eq(bz_report_count(bz_txn_report(t)), 0); /* its R6 went with it */
	ck_assert_int_eq(tu_count(l, "event"), 0);
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	bz_ledger_close(l);
}
END_TEST

START_TEST(records_are_append_only)
{
	bz_ledger *l = tu_ledger();
	bz_txn *t = tu_begin(l);
	bz_txn_commit(t);
	bz_txn_free(t);
	ck_assert_int_ne(tu_exec(l, "DELETE FROM txn_log"), SQLITE_OK);
	ck_assert_int_ne(tu_exec(l, "UPDATE txn_log SET office='x'"), SQLITE_OK);
	ck_assert_int_eq(tu_count(l, "txn_log"), 1);
	bz_ledger_close(l);
}
END_TEST

START_TEST(timelines)
{
	bz_ledger *l = tu_ledger();
	bz_txn *t = tu_begin(l);
	int64_t v;
	ck_assert_bz(bz_tl_add(l, "k", "2015-01-01", NULL, 10));
	ck_assert_bz(bz_tl_add(l, "k", "2016-01-01", "2018-01-01", -3));
	ck_assert_bz(bz_tl_at(l, &v, "k", "2014-12-31")); ck_assert_int_eq(v, 0);
	ck_assert_bz(bz_tl_at(l, &v, "k", "2015-06-01")); ck_assert_int_eq(v, 10);
	ck_assert_bz(bz_tl_at(l, &v, "k", "2017-06-01")); ck_assert_int_eq(v, 7);
	ck_assert_bz(bz_tl_at(l, &v, "k", "2018-01-01")); ck_assert_int_eq(v, 10);
	ck_assert_bz(bz_tl_at(l, &v, "k", NULL)); ck_assert_int_eq(v, 10);
	/* a series: from the last breakpoint on or before `from`, one range scan */
	bz_series se = {0};
	ck_assert_bz(bz_series_load(l, &se, "k", "2015-06-01", NULL));
	ck_assert_uint_eq(se.n, 3);
	ck_assert_str_eq(se.date[0], "2015-01-01");
	ck_assert_str_eq(se.date[2], "2018-01-01");
	size_t cur = 0;
	ck_assert_int_eq(bz_series_at(&se, "2014-12-31", &cur), 0);
	ck_assert_int_eq(bz_series_at(&se, "2015-06-01", &cur), 10);
	ck_assert_int_eq(bz_series_at(&se, "2016-01-01", &cur), 7);
	ck_assert_int_eq(bz_series_at(&se, "2019-01-01", &cur), 10);
	ck_assert_int_eq(bz_series_at(&se, "2017-12-31", &cur), 7); /* out of order: starts again */
	ck_assert_bz(bz_series_load(l, &se, "k", "2016-06-01", "2017-12-31"));
	ck_assert_uint_eq(se.n, 1);
	ck_assert_str_eq(se.date[0], "2016-01-01");
	ck_assert_bz(bz_series_load(l, &se, "none", "2016-06-01", NULL));
	ck_assert_uint_eq(se.n, 0);
	cur = 0;
	ck_assert_int_eq(bz_series_at(&se, "2016-06-01", &cur), 0);
	bz_series_free(&se);
	/* facts */
	long long ev;
	ck_assert_bz(bz_event_write(t, &ev, "k", "s", NULL, "2015-01-01", NULL));
	ck_assert_bz(bz_fact_write(t, ev, "s", "est:XZ", "2015-01-01", "10"));
	ck_assert_bz(bz_event_write(t, &ev, "k", "s", NULL, "2018-01-01", NULL));
	ck_assert_bz(bz_fact_write(t, ev, "s", "est:XZ", "2018-01-01", "12"));
	ck_assert_bz(bz_fact_int_at(l, &v, "s", "est:XZ", "2014-01-01", -1)); ck_assert_int_eq(v, -1);
	ck_assert_bz(bz_fact_int_at(l, &v, "s", "est:XZ", "2017-01-01", -1)); ck_assert_int_eq(v, 10);
	ck_assert_bz(bz_fact_int_at(l, &v, "s", "est:XZ", NULL, -1)); ck_assert_int_eq(v, 12);
	char next[11];
	bool found;
	ck_assert_bz(bz_fact_next(l, next, &found, "s", "est:XZ", "2015-01-01"));
	ck_assert(found);
	ck_assert_str_eq(next, "2018-01-01");
	ck_assert_bz(bz_fact_next(l, next, &found, "s", "est:XZ", "2018-01-01"));
	ck_assert(!found);
	bz_txn_free(t);
	bz_ledger_close(l);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("txn");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, begin_commit_rollback);
	tcase_add_test(tc, set_document_unknown);
	tcase_add_test(tc, txn_outliving_ledger);
	tcase_add_test(tc, change_without_document_is_r6);
	tcase_add_test(tc, failed_change_leaves_nothing);
	tcase_add_test(tc, records_are_append_only);
	tcase_add_test(tc, timelines);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
