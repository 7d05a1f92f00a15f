/* test_slip.c: usage slips (编制使用单) on their own: numbering, lookup, listing,
 * state and remaining posts, cancellation and expiry freeing the reservation,
 * 出一进一, and the errors of issue and cancel. */
#include "staff_fixture.h"

static fx F;
static char organ[BZ_UUID_LEN + 1], zhang[BZ_UUID_LEN + 1], li[BZ_UUID_LEN + 1];

static void setup(void)
{
	fx_setup(&F);
	ck_assert_int_eq(fx_unit(&F, organ, F.county_doc, "武都区教育局", BZ_NATURE_ORGAN, BZ_RANK_ZHENGKE, "621202", "2010-01-01"), BZ_OK);
	fx_est(&F, organ, "XZ", 3, "2010-01-01");
	sf_person(&F, zhang, "张伟", "19850615", 11);
	sf_person(&F, li, "李娜", "19900301", 22);
}

static void teardown(void) { bz_ledger_close(F.l); }

static int64_t reserved(const char *date)
{
	bz_basic_table *tb = NULL;
	ck_assert_bz(bz_basic_table_get(&tb, F.l, organ, date));
	int64_t n = bz_basic_table_reserved(tb, 0);
	bz_basic_table_free(tb);
	return n;
}

static int cancel(const char *slip, const char *date)
{
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	int rc = bz_slip_cancel(t, slip, date);
	if (rc == BZ_OK)
		rc = bz_txn_commit(t);
	bz_txn_free(t);
	return rc;
}

START_TEST(numbers_lookup_and_list)
{
	char a[37], b[37];
	ck_assert_int_eq(sf_slip(&F, a, organ, "XZ", 1, "2026-03-01", "2026-12-31"), BZ_OK);
	ck_assert_int_eq(sf_slip(&F, b, organ, "XZ", 1, "2026-02-01", "2026-12-31"), BZ_OK);
	/* a given number */
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	bz_slip *s = NULL;
	ck_assert_bz(bz_slip_issue(&s, t, organ, "XZ", 1, BZ_PURPOSE_DEMOBILISED, "2026-04-01", "2027-03-31", "武编用〔2026〕9号"));
	ck_assert_str_eq(bz_slip_number(s), "武编用〔2026〕9号");
	ck_assert_str_eq(bz_slip_unit(s), organ);
	ck_assert_str_eq(bz_slip_category(s), "XZ");
	ck_assert_int_eq(bz_slip_purpose(s), BZ_PURPOSE_DEMOBILISED);
	ck_assert_str_eq(bz_slip_issued(s), "2026-04-01");
	ck_assert_str_eq(bz_slip_valid_until(s), "2027-03-31");
	ck_assert_ptr_null(bz_slip_cancelled(s));
	bz_slip_free(s);
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);

	/* generated numbers: <division code>-<year>-<sequence> */
	ck_assert_bz(bz_slip_lookup_number(&s, F.l, "621202-2026-0002"));
	ck_assert_str_eq(bz_slip_uuid(s), b);
	ck_assert_int_eq(bz_slip_state(s), BZ_SLIP_LIVE);
	ck_assert_int_eq(bz_slip_remaining(s), 1);
	bz_slip_free(s);
	ck_assert_bz(bz_slip_lookup(&s, F.l, a));
	ck_assert_str_eq(bz_slip_number(s), "621202-2026-0001");
	bz_slip_free(s);
	ck_assert_int_eq(bz_slip_lookup_number(&s, F.l, "621202-2026-0099"), BZ_ENOTFOUND);
	ck_assert_ptr_null(s);
	ck_assert_int_eq(bz_slip_lookup(&s, F.l, "00000000-0000-4000-8000-000000000000"), BZ_ENOTFOUND);

	/* a unit's slips by issue date */
	bz_slip_iter *it = NULL;
	ck_assert_bz(bz_slip_list(&it, F.l, organ));
	const char *want[] = {b, a, NULL};
	size_t n = 0;
	int rc;
	while ((rc = bz_slip_iter_next(&s, it)) == BZ_OK) {
		if (want[n])
			ck_assert_str_eq(bz_slip_uuid(s), want[n]);
		else
			ck_assert_str_eq(bz_slip_number(s), "武编用〔2026〕9号");
		n++;
		bz_slip_free(s);
	}
	ck_assert_int_eq(rc, BZ_ITEROVER);
	ck_assert_uint_eq(n, 3);
	bz_slip_iter_free(it);

	/* the same number twice: BZ_EEXISTS, nothing written */
	long long slips = tu_count(F.l, "slip"), events = tu_count(F.l, "event");
	t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_int_eq(bz_slip_issue(NULL, t, organ, "XZ", 1, BZ_PURPOSE_EXAM, "2026-05-01", "2026-12-31",
				       "621202-2026-0001"), BZ_EEXISTS);
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	ck_assert_int_eq(tu_count(F.l, "slip"), slips);
	ck_assert_int_eq(tu_count(F.l, "event"), events);
}
END_TEST

START_TEST(state_used_and_remaining)
{
	char s1[37];
	ck_assert_int_eq(sf_slip(&F, s1, organ, "XZ", 2, "2026-01-01", "2026-12-31"), BZ_OK);
	ck_assert_int_eq(reserved("2026-06-01"), 2);
	ck_assert_int_eq(sf_hire(&F, zhang, organ, "XZ", s1, "2026-02-01"), BZ_OK);
	bz_slip *s = NULL;
	ck_assert_bz(bz_slip_lookup(&s, F.l, s1));
	ck_assert_int_eq(bz_slip_used(s), 1);
	ck_assert_int_eq(bz_slip_remaining(s), 1);
	ck_assert_int_eq(bz_slip_state(s), BZ_SLIP_LIVE);
	bz_slip_free(s);
	ck_assert_int_eq(reserved("2026-01-15"), 2);
	ck_assert_int_eq(reserved("2026-02-01"), 1);
	ck_assert_int_eq(sf_hire(&F, li, organ, "XZ", s1, "2026-03-01"), BZ_OK);
	ck_assert_bz(bz_slip_lookup(&s, F.l, s1));
	ck_assert_int_eq(bz_slip_used(s), 2);
	ck_assert_int_eq(bz_slip_remaining(s), 0);
	ck_assert_int_eq(bz_slip_state(s), BZ_SLIP_EXHAUSTED);
	bz_slip_free(s);
	ck_assert_int_eq(reserved("2026-03-01"), 0);
	/* a later clock sees it expired */
	ck_assert_bz(bz_ledger_set_clock(F.l, "2027-01-01"));
	ck_assert_bz(bz_slip_lookup(&s, F.l, s1));
	ck_assert_int_eq(bz_slip_state(s), BZ_SLIP_EXPIRED);
	ck_assert_int_eq(bz_slip_remaining(s), 0);
	bz_slip_free(s);
}
END_TEST

START_TEST(expiry_and_cancel_free_the_reservation)
{
	char s1[37], s2[37];
	ck_assert_int_eq(sf_slip(&F, s1, organ, "XZ", 2, "2020-01-01", "2020-06-30"), BZ_OK);
	/* reserved through its last valid day, free the day after */
	ck_assert_int_eq(reserved("2020-06-30"), 2);
	ck_assert_int_eq(reserved("2020-07-01"), 0);

	ck_assert_int_eq(sf_slip(&F, s2, organ, "XZ", 3, "2026-01-01", "2026-12-31"), BZ_OK);
	ck_assert_int_eq(sf_hire(&F, zhang, organ, "XZ", s2, "2026-02-01"), BZ_OK);
	ck_assert_int_eq(reserved("2026-03-01"), 2);
	long long ends = tu_count(F.l, "slip_end");
	ck_assert_int_eq(cancel(s2, "2026-04-01"), BZ_OK);
	ck_assert_int_eq(tu_count(F.l, "slip_end"), ends + 1);
	ck_assert_int_eq(reserved("2026-03-31"), 2);
	ck_assert_int_eq(reserved("2026-04-01"), 0);
	bz_slip *s = NULL;
	ck_assert_bz(bz_slip_lookup(&s, F.l, s2));
	ck_assert_str_eq(bz_slip_cancelled(s), "2026-04-01");
	ck_assert_int_eq(bz_slip_state(s), BZ_SLIP_CANCELLED);
	ck_assert_int_eq(bz_slip_remaining(s), 0);
	ck_assert_int_eq(bz_slip_used(s), 1);
	bz_slip_free(s);
	/* the freed posts can be reserved again from the cancellation on */
	ck_assert_int_eq(sf_slip(&F, NULL, organ, "XZ", 2, "2026-04-01", "2026-12-31"), BZ_OK);
}
END_TEST

START_TEST(one_out_one_in)
{
	char s1[37], wang[37];
	sf_person(&F, wang, "王强", "19880808", 33);
	ck_assert_int_eq(sf_slip(&F, s1, organ, "XZ", 3, "2020-01-01", "2020-12-31"), BZ_OK);
	ck_assert_int_eq(sf_hire(&F, zhang, organ, "XZ", s1, "2020-02-01"), BZ_OK);
	ck_assert_int_eq(sf_hire(&F, li, organ, "XZ", s1, "2020-02-01"), BZ_OK);
	ck_assert_int_eq(sf_hire(&F, wang, organ, "XZ", s1, "2020-02-01"), BZ_OK);
	/* full: a slip is refused (R1) */
	long long slips = tu_count(F.l, "slip");
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_slip_issue(NULL, t, organ, "XZ", 1, BZ_PURPOSE_EXAM, "2022-01-01", "2022-12-31", NULL));
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	const bz_violation *v = fx_find(bz_txn_report(t), BZ_RULE_R1, BZ_SEVERITY_ERROR);
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(bz_violation_subject(v), organ);
	ck_assert_str_eq(bz_violation_category(v), "XZ");
	ck_assert_int_eq(bz_violation_allowed(v), 3);
	ck_assert_int_eq(bz_violation_actual(v), 4);
	ck_assert_str_eq(bz_violation_date(v), "2022-01-01");
	bz_txn_free(t);
	ck_assert_int_eq(tu_count(F.l, "slip"), slips);
	/* one retires at the end of 2021: one slip for one post goes through */
	t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_placement_exit(t, wang, BZ_EXIT_RETIREMENT, "2021-12-31"));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	ck_assert_int_eq(sf_slip(&F, NULL, organ, "XZ", 1, "2022-01-01", "2022-12-31"), BZ_OK);
	/* and the next one is refused again */
	t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_slip_issue(NULL, t, organ, "XZ", 1, BZ_PURPOSE_EXAM, "2022-02-01", "2022-12-31", NULL));
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	bz_txn_free(t);
}
END_TEST

START_TEST(errors)
{
	char s1[37];
	ck_assert_int_eq(sf_slip(&F, s1, organ, "XZ", 2, "2026-01-01", "2026-12-31"), BZ_OK);
	ck_assert_int_eq(sf_hire(&F, zhang, organ, "XZ", s1, "2026-05-01"), BZ_OK);
	long long slips = tu_count(F.l, "slip"), ends = tu_count(F.l, "slip_end"), events = tu_count(F.l, "event");
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	bz_slip *s = (bz_slip *)&F; /* must be reset to NULL on failure */
	ck_assert_int_eq(bz_slip_issue(&s, t, organ, "XZ", 0, BZ_PURPOSE_EXAM, "2026-01-01", "2026-12-31", NULL), BZ_EINVAL);
	ck_assert_ptr_null(s);
	ck_assert_int_eq(bz_slip_issue(NULL, t, organ, "XZ", 1, BZ_PURPOSE_EXAM, "2026-06-01", "2026-05-31", NULL), BZ_EINVAL);
	ck_assert_int_eq(bz_slip_issue(NULL, t, organ, "XZ", 1, 7, "2026-06-01", "2026-12-31", NULL), BZ_EINVAL);
	ck_assert_int_eq(bz_slip_issue(NULL, t, organ, "XZ", 1, BZ_PURPOSE_EXAM, "2026-02-30", "2026-12-31", NULL), BZ_EINVAL);
	ck_assert_int_eq(bz_slip_issue(NULL, t, NULL, "XZ", 1, BZ_PURPOSE_EXAM, "2026-06-01", "2026-12-31", NULL), BZ_EINVAL);
	ck_assert_int_eq(bz_slip_issue(NULL, t, organ, "XZ", 1, BZ_PURPOSE_EXAM, "2026-06-01", "2026-12-31", ""), BZ_EINVAL);
	ck_assert_int_eq(bz_slip_issue(NULL, NULL, organ, "XZ", 1, BZ_PURPOSE_EXAM, "2026-06-01", "2026-12-31", NULL), BZ_EINVAL);
	ck_assert_int_eq(bz_slip_issue(NULL, t, organ, "NOPE", 1, BZ_PURPOSE_EXAM, "2026-06-01", "2026-12-31", NULL), BZ_ENOTFOUND);
	/* cancel: before issue, after a hire dated later, unknown slip, bad input */
	ck_assert_int_eq(bz_slip_cancel(t, s1, "2025-12-31"), BZ_EINVAL);
	ck_assert_int_eq(bz_slip_cancel(t, s1, "2026-05-01"), BZ_EINVAL);
	ck_assert_int_eq(bz_slip_cancel(t, "00000000-0000-4000-8000-000000000000", "2026-05-01"), BZ_ENOTFOUND);
	ck_assert_int_eq(bz_slip_cancel(t, NULL, "2026-05-01"), BZ_EINVAL);
	ck_assert_int_eq(bz_slip_cancel(t, s1, "yesterday"), BZ_EINVAL);
	ck_assert_int_eq(bz_slip_cancel(NULL, s1, "2026-05-01"), BZ_EINVAL);
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	ck_assert_int_eq(tu_count(F.l, "slip"), slips);
	ck_assert_int_eq(tu_count(F.l, "slip_end"), ends);
	ck_assert_int_eq(tu_count(F.l, "event"), events);
	/* reads */
	ck_assert_int_eq(bz_slip_lookup(NULL, F.l, s1), BZ_EINVAL);
	ck_assert_int_eq(bz_slip_lookup(&s, NULL, s1), BZ_EINVAL);
	ck_assert_int_eq(bz_slip_list(NULL, F.l, organ), BZ_EINVAL);
	ck_assert_int_eq(bz_slip_posts(NULL), 0);
	ck_assert_ptr_null(bz_slip_number(NULL));
	bz_slip_free(NULL);
	bz_slip_iter_free(NULL);
	/* a cancellation after the last hire is fine; twice is not */
	ck_assert_int_eq(cancel(s1, "2026-05-02"), BZ_OK);
	ck_assert_int_eq(cancel(s1, "2026-06-01"), BZ_EINVAL);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("slip");
	TCase *tc = tcase_create("slip");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, numbers_lookup_and_list);
	tcase_add_test(tc, state_used_and_remaining);
	tcase_add_test(tc, expiry_and_cancel_free_the_reservation);
	tcase_add_test(tc, one_out_one_in);
	tcase_add_test(tc, errors);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
