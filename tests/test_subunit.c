/* test_subunit.c: internal sub-units (内设机构), R3. */
#include "unit_fixture.h"

#include <stdlib.h>

static fx F;
static char organ[BZ_UUID_LEN + 1], gov_doc[BZ_UUID_LEN + 1];

static void setup(void)
{
	fx_setup(&F);
	ck_assert_int_eq(fx_unit(&F, organ, F.county_doc, "武都区教育局", BZ_NATURE_ORGAN, BZ_RANK_ZHENGKE, "621202", "2010-01-01"), BZ_OK);
	bz_txn *t = tu_begin(F.l);
	fx_doc(t, gov_doc, "武都区人民政府", "武政发〔2013〕9号", BZ_LEVEL_COUNTY, BZ_ISSUER_GOVERNMENT, "621202");
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
}

static void teardown(void)
{
	bz_ledger_close(F.l);
}

static void make(char out[BZ_UUID_LEN + 1], const char *name, int rank, const char *date)
{
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	bz_subunit *s = NULL;
	ck_assert_bz(bz_subunit_create(&s, t, organ, name, rank, date));
	memcpy(out, bz_subunit_uuid(s), BZ_UUID_LEN + 1);
	bz_subunit_free(s);
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
}

static void approve(int64_t n, const char *date)
{
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_subunit_approve(t, organ, n, date));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
}

START_TEST(lifecycle)
{
	approve(2, "2012-01-01");
	char a[BZ_UUID_LEN + 1], b[BZ_UUID_LEN + 1];
	make(a, "办公室", BZ_RANK_ZHENGGU, "2012-01-01");
	make(b, "人事股", BZ_RANK_ZHENGGU, "2013-01-01");
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_subunit_rename(t, b, "人事教育股", "2014-01-01"));
	ck_assert_bz(bz_subunit_abolish(t, a, "2015-01-01"));
	ck_assert_int_eq(bz_subunit_abolish(t, a, "2015-06-01"), BZ_EINVAL);
	ck_assert_int_eq(bz_subunit_rename(t, b, "x", "2012-06-01"), BZ_EINVAL);
	ck_assert_int_eq(bz_subunit_rename(t, "00000000-0000-4000-8000-000000000000", "x", "2014-01-01"), BZ_ENOTFOUND);
	ck_assert_int_eq(bz_subunit_create(NULL, t, organ, "", 1, "2014-01-01"), BZ_EINVAL);
	ck_assert_int_eq(bz_subunit_create(NULL, t, "00000000-0000-4000-8000-000000000000", "x", 1, "2014-01-01"), BZ_ENOTFOUND);
	ck_assert_int_eq(bz_subunit_approve(t, organ, -1, "2014-01-01"), BZ_EINVAL);
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);

	int64_t n = -1;
	ck_assert_bz(bz_subunit_approved(&n, F.l, organ, "2012-06-01"));
	ck_assert_int_eq(n, 2);
	bz_subunit *s = NULL;
	ck_assert_bz(bz_subunit_lookup(&s, F.l, b, "2013-06-01"));
	ck_assert_str_eq(bz_subunit_name(s), "人事股");
	ck_assert_str_eq(bz_subunit_unit(s), organ);
	ck_assert_int_eq(bz_subunit_rank(s), BZ_RANK_ZHENGGU);
	ck_assert_ptr_null(bz_subunit_ended(s));
	bz_subunit_free(s);
	ck_assert_bz(bz_subunit_lookup(&s, F.l, a, "2016-01-01"));
	ck_assert_str_eq(bz_subunit_ended(s), "2015-01-01");
	bz_subunit_free(s);
	ck_assert_int_eq(bz_subunit_lookup(&s, F.l, b, "2012-06-01"), BZ_ENOTFOUND);

	const char *dates[] = {"2012-06-01", "2014-06-01", "2016-01-01"};
	int want[] = {1, 2, 1};
	for (int i = 0; i < 3; i++) {
		bz_subunit_iter *it = NULL;
		ck_assert_bz(bz_subunit_list(&it, F.l, organ, dates[i]));
		int k = 0, rc;
		while ((rc = bz_subunit_iter_next(&s, it)) == BZ_OK) {
			k++;
			bz_subunit_free(s);
		}
		ck_assert_int_eq(rc, BZ_ITEROVER);
		ck_assert_int_eq(k, want[i]);
		bz_subunit_iter_free(it);
	}
	bz_basic_table *tb = NULL;
	ck_assert_bz(bz_basic_table_get(&tb, F.l, organ, "2014-06-01"));
	ck_assert_int_eq(bz_basic_table_subunits(tb), 2);
	ck_assert_int_eq(bz_basic_table_subunits_approved(tb), 2);
	bz_basic_table_free(tb);
}
END_TEST

START_TEST(r3_more_than_approved)
{
	approve(1, "2012-01-01");
	char a[BZ_UUID_LEN + 1];
	make(a, "办公室", BZ_RANK_ZHENGGU, "2012-01-01");
	long long rows = tu_count(F.l, "subunit"), facts = tu_count(F.l, "fact");
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_subunit_create(NULL, t, organ, "人事股", BZ_RANK_ZHENGGU, "2013-01-01"));
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	const bz_violation *v = fx_find(bz_txn_report(t), BZ_RULE_R3, 0);
	ck_assert_ptr_nonnull(v);
	ck_assert_int_eq(bz_violation_severity(v), BZ_SEVERITY_ERROR);
	ck_assert_str_eq(bz_violation_subject(v), organ);
	ck_assert_str_eq(bz_violation_subject_name(v), "武都区教育局");
	ck_assert_ptr_null(bz_violation_category(v));
	ck_assert_int_eq(bz_violation_allowed(v), 1);
	ck_assert_int_eq(bz_violation_actual(v), 2);
	ck_assert_str_eq(bz_violation_document(v), F.county_doc);
	ck_assert_str_eq(bz_violation_date(v), "2013-01-01");
	bz_txn_free(t);
	ck_assert_int_eq(tu_count(F.l, "subunit"), rows);
	ck_assert_int_eq(tu_count(F.l, "fact"), facts);
}
END_TEST

START_TEST(r3_rank_not_below_unit)
{
	approve(2, "2012-01-01");
	long long rows = tu_count(F.l, "subunit");
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	bz_subunit *s = NULL;
	ck_assert_bz(bz_subunit_create(&s, t, organ, "督导室", BZ_RANK_ZHENGKE, "2013-01-01"));
	char id[BZ_UUID_LEN + 1];
	memcpy(id, bz_subunit_uuid(s), sizeof id);
	bz_subunit_free(s);
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	const bz_violation *v = fx_find(bz_txn_report(t), BZ_RULE_R3, 0);
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(bz_violation_subject(v), id);
	ck_assert_str_eq(bz_violation_subject_name(v), "督导室");
	ck_assert_int_eq(bz_violation_allowed(v), BZ_RANK_FUKE);
	ck_assert_int_eq(bz_violation_actual(v), BZ_RANK_ZHENGKE);
	ck_assert_str_eq(bz_violation_document(v), F.county_doc);
	ck_assert_str_eq(bz_violation_date(v), "2013-01-01");
	bz_txn_free(t);
	ck_assert_int_eq(tu_count(F.l, "subunit"), rows);
}
END_TEST

START_TEST(r3_raise_rank_needs_establishment_authority)
{
	approve(2, "2012-01-01");
	char a[BZ_UUID_LEN + 1];
	make(a, "办公室", BZ_RANK_ZHENGGU, "2012-01-01");
	long long facts = tu_count(F.l, "fact");
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, gov_doc));
	ck_assert_bz(bz_subunit_set_rank(t, a, BZ_RANK_FUKE, "2014-01-01"));
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	const bz_violation *v = fx_find(bz_txn_report(t), BZ_RULE_R3, 0);
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(bz_violation_subject(v), a);
	ck_assert_str_eq(bz_violation_subject_name(v), "办公室");
	ck_assert_int_eq(bz_violation_allowed(v), BZ_RANK_ZHENGGU);
	ck_assert_int_eq(bz_violation_actual(v), BZ_RANK_FUKE);
	ck_assert_str_eq(bz_violation_document(v), gov_doc);
	ck_assert_str_eq(bz_violation_date(v), "2014-01-01");
	bz_txn_free(t);
	ck_assert_int_eq(tu_count(F.l, "fact"), facts);
	/* by the establishment office it is fine */
	t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_subunit_set_rank(t, a, BZ_RANK_FUKE, "2014-01-01"));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("subunit");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, lifecycle);
	tcase_add_test(tc, r3_more_than_approved);
	tcase_add_test(tc, r3_rank_not_below_unit);
	tcase_add_test(tc, r3_raise_rank_needs_establishment_authority);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(suite());
}
