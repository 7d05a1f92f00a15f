/* test_leadership.c: leadership quotas, the norms table, R2. */
#include "unit_fixture.h"

#include <stdlib.h>

static fx F;
static char organ[BZ_UUID_LEN + 1];

static void setup(void)
{
	fx_setup(&F);
	ck_assert_int_eq(fx_unit(&F, organ, F.county_doc, "武都区教育局", BZ_NATURE_ORGAN, BZ_RANK_ZHENGKE, "621202", "2010-01-01"), BZ_OK);
}

static void teardown(void)
{
	bz_ledger_close(F.l);
}

static int set_quota(const char *subject, int p, int d, const char *date, bz_txn **keep)
{
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_leadership_set(t, subject, p, d, BZ_RANK_ZHENGKE, date));
	int rc = bz_txn_commit(t);
	if (keep)
		*keep = t;
	else
		bz_txn_free(t);
	return rc;
}

START_TEST(set_get_norms)
{
	int p = 0, d = 0;
	ck_assert_bz(bz_leadership_norm_get(&p, &d, F.l, BZ_NORM_UNIT, BZ_RANK_ZHENGKE));
	ck_assert_int_eq(p, 1);
	ck_assert_int_eq(d, 2);
	ck_assert_bz(bz_leadership_norm_get(&p, &d, F.l, BZ_NORM_SUBUNIT, BZ_RANK_ZHENGGU));
	ck_assert_int_eq(p, 1);
	ck_assert_int_eq(d, 1);
	ck_assert_int_eq(bz_leadership_norm_get(&p, &d, F.l, 3, 1), BZ_EINVAL);

	ck_assert_int_eq(set_quota(organ, 1, 2, "2012-01-01", NULL), BZ_OK);
	bz_leadership *q = NULL;
	ck_assert_bz(bz_leadership_get(&q, F.l, organ, "2013-01-01"));
	ck_assert_int_eq(bz_leadership_principal_quota(q), 1);
	ck_assert_int_eq(bz_leadership_deputy_quota(q), 2);
	ck_assert_int_eq(bz_leadership_level(q), BZ_RANK_ZHENGKE);
	ck_assert_int_eq(bz_leadership_principals(q), 0);
	ck_assert_str_eq(bz_leadership_subject(q), organ);
	bz_leadership_free(q);
	ck_assert_bz(bz_leadership_get(&q, F.l, organ, "2011-01-01"));
	ck_assert_int_eq(bz_leadership_deputy_quota(q), 0);
	bz_leadership_free(q);
	ck_assert_int_eq(bz_leadership_get(&q, F.l, "00000000-0000-4000-8000-000000000000", NULL), BZ_ENOTFOUND);

	bz_basic_table *tb = NULL;
	ck_assert_bz(bz_basic_table_get(&tb, F.l, organ, NULL));
	ck_assert_int_eq(bz_basic_table_principal_quota(tb), 1);
	ck_assert_int_eq(bz_basic_table_deputy_quota(tb), 2);
	bz_basic_table_free(tb);

	bz_txn *t = tu_begin(F.l);
	ck_assert_int_eq(bz_leadership_set(t, organ, -1, 0, 0, "2012-01-01"), BZ_EINVAL);
	ck_assert_int_eq(bz_leadership_set(t, organ, 1, 0, 11, "2012-01-01"), BZ_EINVAL);
	ck_assert_int_eq(bz_leadership_set(t, "00000000-0000-4000-8000-000000000000", 1, 0, 0, "2012-01-01"), BZ_ENOTFOUND);
	ck_assert_int_eq(bz_leadership_set(NULL, organ, 1, 0, 0, "2012-01-01"), BZ_EINVAL);
	ck_assert_int_eq(bz_leadership_norm_set(t, BZ_NORM_UNIT, 5, 4, 1, 1), BZ_EINVAL);
	/* norms are data: a ledger may allow a third deputy */
	ck_assert_bz(bz_leadership_norm_set(t, BZ_NORM_UNIT, BZ_RANK_FUKE, BZ_RANK_ZHENGKE, 1, 3));
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_leadership_set(t, organ, 1, 3, BZ_RANK_ZHENGKE, "2014-01-01"));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
}
END_TEST

START_TEST(r2_above_the_norm)
{
	long long facts = tu_count(F.l, "fact");
	bz_txn *t = NULL;
	ck_assert_int_eq(set_quota(organ, 1, 3, "2012-01-01", &t), BZ_ECONSTRAINT);
	const bz_violation *v = fx_find(bz_txn_report(t), BZ_RULE_R2, 0);
	ck_assert_ptr_nonnull(v);
	ck_assert_int_eq(bz_violation_severity(v), BZ_SEVERITY_ERROR);
	ck_assert_str_eq(bz_violation_subject(v), organ);
	ck_assert_str_eq(bz_violation_subject_name(v), "武都区教育局");
	ck_assert_str_eq(bz_violation_category(v), "deputy");
	ck_assert_int_eq(bz_violation_allowed(v), 2);
	ck_assert_int_eq(bz_violation_actual(v), 3);
	ck_assert_str_eq(bz_violation_document(v), F.county_doc);
	ck_assert_str_eq(bz_violation_date(v), "2012-01-01");
	bz_txn_free(t);
	ck_assert_int_eq(tu_count(F.l, "fact"), facts);
}
END_TEST

START_TEST(r2_leaders_above_quota)
{
	ck_assert_int_eq(set_quota(organ, 1, 1, "2012-01-01", NULL), BZ_OK);
	long long events = tu_count(F.l, "event"), tl = tu_count(F.l, "tl");
	/* stand-in for two deputy appointments of the staff area */
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_change_begin(t));
	long long ev = 0;
	char key[128];
	snprintf(key, sizeof key, "L:%s:deputy", organ);
	ck_assert_bz(bz_event_write(t, &ev, "appointment.appoint", organ, organ, "2013-05-01", NULL));
	ck_assert_bz(bz_tl_add(F.l, key, "2013-05-01", NULL, 2));
	ck_assert_bz(bz_txn_touch(t, BZ_TOUCH_LEADERS, organ, NULL, "2013-05-01"));
	ck_assert_bz(bz_change_end(t, BZ_OK));
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	const bz_violation *v = fx_find(bz_txn_report(t), BZ_RULE_R2, 0);
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(bz_violation_subject(v), organ);
	ck_assert_str_eq(bz_violation_subject_name(v), "武都区教育局");
	ck_assert_str_eq(bz_violation_category(v), "deputy");
	ck_assert_int_eq(bz_violation_allowed(v), 1);
	ck_assert_int_eq(bz_violation_actual(v), 2);
	ck_assert_str_eq(bz_violation_document(v), F.county_doc);
	ck_assert_str_eq(bz_violation_date(v), "2013-05-01");
	bz_txn_free(t);
	ck_assert_int_eq(tu_count(F.l, "event"), events);
	ck_assert_int_eq(tu_count(F.l, "tl"), tl);
}
END_TEST

START_TEST(subunit_quota)
{
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_subunit_approve(t, organ, 3, "2012-01-01"));
	bz_subunit *s = NULL;
	ck_assert_bz(bz_subunit_create(&s, t, organ, "办公室", BZ_RANK_ZHENGGU, "2012-01-01"));
	char sub[BZ_UUID_LEN + 1];
	memcpy(sub, bz_subunit_uuid(s), sizeof sub);
	bz_subunit_free(s);
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	ck_assert_int_eq(set_quota(sub, 1, 1, "2012-02-01", NULL), BZ_OK);
	ck_assert_int_eq(set_quota(sub, 2, 1, "2012-03-01", &t), BZ_ECONSTRAINT);
	const bz_violation *v = fx_find(bz_txn_report(t), BZ_RULE_R2, 0);
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(bz_violation_subject(v), sub);
	ck_assert_str_eq(bz_violation_subject_name(v), "办公室");
	ck_assert_str_eq(bz_violation_category(v), "principal");
	ck_assert_int_eq(bz_violation_allowed(v), 1);
	ck_assert_int_eq(bz_violation_actual(v), 2);
	bz_txn_free(t);
}
END_TEST

START_TEST(r6_county_document_for_an_institution)
{
	char inst[BZ_UUID_LEN + 1];
	ck_assert_int_eq(fx_unit(&F, inst, F.city_doc, "武都区疾病预防控制中心", BZ_NATURE_INSTITUTION, BZ_RANK_FUKE, "621202", "2010-01-01"), BZ_OK);
	long long facts = tu_count(F.l, "fact");
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_leadership_set(t, inst, 1, 1, BZ_RANK_FUKE, "2012-01-01"));
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	const bz_violation *v = fx_find(bz_txn_report(t), BZ_RULE_R6, 0);
	ck_assert_ptr_nonnull(v);
	ck_assert_int_eq(bz_violation_severity(v), BZ_SEVERITY_ERROR);
	ck_assert_str_eq(bz_violation_subject(v), inst);
	ck_assert_str_eq(bz_violation_subject_name(v), "武都区疾病预防控制中心");
	ck_assert_int_eq(bz_violation_allowed(v), BZ_LEVEL_CITY);
	ck_assert_int_eq(bz_violation_actual(v), BZ_LEVEL_COUNTY);
	ck_assert_str_eq(bz_violation_document(v), F.county_doc);
	ck_assert_str_eq(bz_violation_date(v), "2012-01-01");
	bz_txn_free(t);
	ck_assert_int_eq(tu_count(F.l, "fact"), facts);
	/* a finished transaction takes no more changes */
	t = tu_begin(F.l);
	ck_assert_bz(bz_txn_rollback(t));
	ck_assert_int_eq(bz_leadership_set(t, inst, 1, 1, 0, "2012-01-01"), BZ_EMISUSE);
	bz_txn_free(t);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("leadership");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, set_get_norms);
	tcase_add_test(tc, r2_above_the_norm);
	tcase_add_test(tc, r2_leaders_above_quota);
	tcase_add_test(tc, subunit_quota);
	tcase_add_test(tc, r6_county_document_for_an_institution);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(suite());
}
