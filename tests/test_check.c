/* test_check.c: the full check of a ledger at any date (bz_ledger_check). */
#include "unit_fixture.h"

#include <stdlib.h>

static fx F;
static char organ[BZ_UUID_LEN + 1];

static void setup(void)
{
	fx_setup(&F);
	ck_assert_int_eq(fx_unit(&F, organ, F.county_doc, "武都区教育局", BZ_NATURE_ORGAN, BZ_RANK_ZHENGKE, "621202", "2010-01-01"), BZ_OK);
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.city_doc));
	ck_assert_bz(bz_limit_set(t, "621202", 1, 100, "2010-01-01"));
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_establishment_set(t, organ, "XZ", 2, "2012-01-01"));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
}

static void teardown(void)
{
	bz_ledger_close(F.l);
}

START_TEST(clean_ledger_has_no_errors)
{
	bz_report *r = NULL;
	ck_assert_bz(bz_ledger_check(&r, F.l, NULL));
	ck_assert_uint_eq(bz_report_errors(r), 0);
	bz_report_free(r);
}
END_TEST

START_TEST(finds_what_a_commit_never_saw)
{
	/* counters written behind the engine's back (an import gone wrong):
	 * 3 people in post from 2015 against establishment 2 */
	char key[128];
	snprintf(key, sizeof key, "U:%s:staff:XZ", organ);
	ck_assert_bz(bz_tl_add(F.l, key, "2015-03-01", NULL, 3));

	bz_report *r = NULL;
	ck_assert_bz(bz_ledger_check(&r, F.l, "2014-12-31"));
	ck_assert_uint_eq(bz_report_errors(r), 0);
	bz_report_free(r);

	/* the self-inspection recomputes the staff from the placements (none)
	 * and names the counter that no record explains (账实不符) */
	ck_assert_bz(bz_ledger_check(&r, F.l, "2016-01-01"));
	const bz_violation *v = fx_find(r, BZ_RULE_INTEGRITY, BZ_SEVERITY_ERROR);
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(bz_violation_rule_id(v), "INTEGRITY");
	ck_assert_str_eq(bz_violation_category(v), key);
	ck_assert_int_eq(bz_violation_allowed(v), 0);
	ck_assert_int_eq(bz_violation_actual(v), 3);
	ck_assert_ptr_null(bz_violation_document(v));
	ck_assert_str_eq(bz_violation_date(v), "2016-01-01");
	ck_assert_ptr_nonnull(strstr(bz_violation_message(v), "账实不符"));
	/* and the over-establishment the counter claims is reported too, from that date */
	v = fx_find(r, BZ_RULE_R1, 0);
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(bz_violation_subject(v), organ);
	ck_assert_str_eq(bz_violation_date(v), "2015-03-01");
	bz_report_free(r);
}
END_TEST

START_TEST(errors)
{
	bz_report *r = NULL;
	ck_assert_int_eq(bz_ledger_check(NULL, F.l, NULL), BZ_EINVAL);
	ck_assert_int_eq(bz_ledger_check(&r, NULL, NULL), BZ_EINVAL);
	ck_assert_int_eq(bz_ledger_check(&r, F.l, "2015-02-29"), BZ_EINVAL);
	bz_txn *t = tu_begin(F.l);
	ck_assert_int_eq(bz_ledger_check(&r, F.l, NULL), BZ_EMISUSE);
	ck_assert_ptr_null(r);
	bz_txn_free(t);
}
END_TEST

START_TEST(full_check_covers_leaders_and_subunits)
{
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_leadership_set(t, organ, 1, 1, BZ_RANK_ZHENGKE, "2012-01-01"));
	ck_assert_bz(bz_subunit_approve(t, organ, 1, "2012-01-01"));
	ck_assert_bz(bz_subunit_create(NULL, t, organ, "办公室", BZ_RANK_ZHENGGU, "2012-01-01"));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	/* behind the engine's back: two principals, a second sub-unit counted */
	char key[128];
	snprintf(key, sizeof key, "L:%s:principal", organ);
	ck_assert_bz(bz_tl_add(F.l, key, "2013-01-01", NULL, 2));
	snprintf(key, sizeof key, "S:%s:count", organ);
	ck_assert_bz(bz_tl_add(F.l, key, "2014-01-01", NULL, 1));
	bz_report *r = NULL;
	ck_assert_bz(bz_ledger_check(&r, F.l, NULL));
	/* R2 and R3 from the counters, and both counters disagreeing with the records */
	ck_assert_uint_eq(bz_report_errors(r), 4);
	const bz_violation *v2 = NULL, *v3 = NULL;
	size_t integrity = 0;
	for (size_t i = 0; i < bz_report_count(r); i++)
		integrity += bz_violation_rule(bz_report_get(r, i)) == BZ_RULE_INTEGRITY;
	ck_assert_uint_eq(integrity, 2);
	for (size_t i = 0; i < bz_report_count(r); i++) {
		const bz_violation *v = bz_report_get(r, i);
		if (bz_violation_rule(v) == BZ_RULE_R2)
			v2 = v;
		if (bz_violation_rule(v) == BZ_RULE_R3)
			v3 = v;
	}
	ck_assert_ptr_nonnull(v2);
	ck_assert_str_eq(bz_violation_category(v2), "principal");
	ck_assert_int_eq(bz_violation_allowed(v2), 1);
	ck_assert_int_eq(bz_violation_actual(v2), 2);
	ck_assert_str_eq(bz_violation_date(v2), "2013-01-01");
	ck_assert_ptr_nonnull(v3);
	ck_assert_str_eq(bz_violation_subject(v3), organ);
	ck_assert_int_eq(bz_violation_allowed(v3), 1);
	ck_assert_int_eq(bz_violation_actual(v3), 2);
	ck_assert_str_eq(bz_violation_date(v3), "2014-01-01");
	bz_report_free(r);
	/* at a date before the damage, the ledger is clean */
	ck_assert_bz(bz_ledger_check(&r, F.l, "2012-12-31"));
	ck_assert_uint_eq(bz_report_errors(r), 0);
	bz_report_free(r);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("check");
	TCase *tc = tcase_create("full");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, clean_ledger_has_no_errors);
	tcase_add_test(tc, finds_what_a_commit_never_saw);
	tcase_add_test(tc, errors);
	tcase_add_test(tc, full_check_covers_leaders_and_subunits);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(suite());
}
