/* test_establishment.c: categories, establishment, transfers, limits, Table 1, R1/R4/R6/R7/R9/R11. */
#include "staff_fixture.h"

#include <stdlib.h>

static fx F;
static char organ[BZ_UUID_LEN + 1], inst[BZ_UUID_LEN + 1], organ2[BZ_UUID_LEN + 1];

static void setup(void)
{
	fx_setup(&F);
	ck_assert_int_eq(fx_unit(&F, organ, F.county_doc, "武都区教育局", BZ_NATURE_ORGAN, BZ_RANK_ZHENGKE, "621202", "2010-01-01"), BZ_OK);
	ck_assert_int_eq(fx_unit(&F, organ2, F.county_doc, "武都区文化局", BZ_NATURE_ORGAN, BZ_RANK_ZHENGKE, "621202", "2010-01-01"), BZ_OK);
	ck_assert_int_eq(fx_unit(&F, inst, F.city_doc, "武都区疾病预防控制中心", BZ_NATURE_INSTITUTION, BZ_RANK_FUKE, "621202", "2010-01-01"), BZ_OK);
}

static void teardown(void)
{
	bz_ledger_close(F.l);
}

/* stand-in for a placement of the staff area: an event of the unit and +1 staff over [from, to) */
static void fake_entry(bz_txn *t, const char *unit, const char *cat, const char *from, int n)
{
	/* the counters of n hires, through the one internal path every hire takes */
	ck_assert_bz(bz_change_begin(t));
	long long ev = 0;
	ck_assert_bz(bz_event_write(t, &ev, "placement.enter", unit, unit, from, NULL));
	ck_assert_bz(bz_staff_counter(t, BZ_CNT_STAFF, unit, cat, from, NULL, n));
	ck_assert_bz(bz_change_end(t, BZ_OK));
}

/* n real hires on the date: people registered, a usage slip for n posts, each placed against it */
static void hire(const char *unit, const char *cat, const char *from, int n)
{
	static int seq = 100;
	char slip[BZ_UUID_LEN + 1], person[BZ_UUID_LEN + 1];
	ck_assert_int_eq(sf_slip(&F, slip, unit, cat, n, from, from), BZ_OK);
	for (int i = 0; i < n; i++) {
		sf_person(&F, person, "在编人员", "19800101", seq++);
		ck_assert_int_eq(sf_hire(&F, person, unit, cat, slip, from), BZ_OK);
	}
}

START_TEST(categories)
{
	bz_category *c = NULL;
	ck_assert_bz(bz_category_lookup(&c, F.l, "XZ"));
	ck_assert_str_eq(bz_category_name(c), "行政编制");
	ck_assert_int_eq(bz_category_branch(c), 1);
	ck_assert_int_eq(bz_category_natures(c), BZ_NATURE_ORGAN | BZ_NATURE_MASS | BZ_NATURE_PARTY);
	bz_category_free(c);
	ck_assert_int_eq(bz_category_lookup(&c, F.l, "NOPE"), BZ_ENOTFOUND);
	ck_assert_int_eq(bz_category_lookup(NULL, F.l, "XZ"), BZ_EINVAL);

	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.city_doc));
	ck_assert_int_eq(bz_category_add(t, "bad code", "x", 1, 1), BZ_EINVAL);
	ck_assert_int_eq(bz_category_add(t, "JY", "教育事业编制", 3, 2), BZ_EINVAL);
	ck_assert_int_eq(bz_category_add(t, "JY", "教育事业编制", 2, 0), BZ_EINVAL);
	ck_assert_int_eq(bz_category_add(t, "XZ", "另一个", 1, 1), BZ_EEXISTS);
	ck_assert_int_eq(bz_category_add(NULL, "JY", "x", 2, 2), BZ_EINVAL);
	ck_assert_bz(bz_category_add(t, "JY", "教育事业编制", 2, BZ_NATURE_INSTITUTION));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);

	bz_category_iter *it = NULL;
	ck_assert_bz(bz_category_list(&it, F.l));
	int n = 0, rc;
	while ((rc = bz_category_iter_next(&c, it)) == BZ_OK) {
		n++;
		bz_category_free(c);
	}
	ck_assert_int_eq(rc, BZ_ITEROVER);
	ck_assert_int_eq(n, 6);
	bz_category_iter_free(it);
}
END_TEST

START_TEST(set_get_table)
{
	fx_est(&F, organ, "XZ", 10, "2012-01-01");
	fx_est(&F, organ, "XZ", 12, "2015-01-01");
	fx_est(&F, organ, "XZ", 11, "2013-06-01"); /* between two changes: holds until 2015 */
	int64_t n = -1;
	ck_assert_bz(bz_establishment_get(&n, F.l, organ, "XZ", "2011-12-31"));
	ck_assert_int_eq(n, 0);
	ck_assert_bz(bz_establishment_get(&n, F.l, organ, "XZ", "2013-07-01"));
	ck_assert_int_eq(n, 11);
	ck_assert_bz(bz_establishment_get(&n, F.l, organ, "XZ", NULL));
	ck_assert_int_eq(n, 12);
	ck_assert_int_eq(bz_establishment_get(&n, F.l, organ, "NOPE", NULL), BZ_ENOTFOUND);
	ck_assert_int_eq(bz_establishment_get(&n, F.l, "00000000-0000-4000-8000-000000000000", "XZ", NULL), BZ_ENOTFOUND);
	ck_assert_int_eq(bz_establishment_get(&n, F.l, organ, "XZ", "2013-02-30"), BZ_EINVAL);

	/* the counters agree with the facts at every date */
	bz_limit_ledger *lg = NULL;
	ck_assert_bz(bz_limit_ledger_get(&lg, F.l, "621202", "2014-01-01"));
	ck_assert_int_eq(bz_limit_ledger_allocated(lg, 1), 11);
	ck_assert_int_eq(bz_limit_ledger_allocated(lg, 0), 11);
	ck_assert_int_eq(bz_limit_ledger_limit(lg, 1), -1);
	ck_assert_int_eq(bz_limit_ledger_unallocated(lg, 1), -1);
	ck_assert_int_eq(bz_limit_ledger_vacant(lg, 1), 11);
	ck_assert_int_eq(bz_limit_ledger_limit(lg, 7), -1);
	ck_assert_str_eq(bz_limit_ledger_jurisdiction(lg), "621202");
	bz_limit_ledger_free(lg);
	ck_assert_int_eq(bz_limit_ledger_get(&lg, F.l, "999999", NULL), BZ_ENOTFOUND);

	hire(organ, "XZ", "2016-01-01", 3);
	bz_basic_table *tb = NULL;
	ck_assert_bz(bz_basic_table_get(&tb, F.l, organ, "2016-06-30"));
	ck_assert_str_eq(bz_basic_table_unit_name(tb), "武都区教育局");
	ck_assert_uint_eq(bz_basic_table_rows(tb), 1);
	ck_assert_str_eq(bz_basic_table_category(tb, 0), "XZ");
	ck_assert_int_eq(bz_basic_table_establishment(tb, 0), 12);
	ck_assert_int_eq(bz_basic_table_staff(tb, 0), 3);
	ck_assert_int_eq(bz_basic_table_vacant(tb, 0), 9);
	ck_assert_int_eq(bz_basic_table_over(tb, 0), 0);
	ck_assert_int_eq(bz_basic_table_establishment(tb, 1), -1);
	ck_assert_ptr_null(bz_basic_table_category(tb, 1));
	bz_basic_table_free(tb);

	/* each establishment change is a change record with its fact */
	ck_assert_int_eq(tu_count(F.l, "fact WHERE attr='est:XZ'"), 3);

	bz_txn *t = tu_begin(F.l);
	ck_assert_int_eq(bz_establishment_set(t, organ, "XZ", -1, "2016-01-01"), BZ_EINVAL);
	ck_assert_int_eq(bz_establishment_set(t, organ, "XZ", 1, "2016-13-01"), BZ_EINVAL);
	ck_assert_int_eq(bz_establishment_set(t, NULL, "XZ", 1, "2016-01-01"), BZ_EINVAL);
	ck_assert_int_eq(bz_establishment_set(t, organ, "NOPE", 1, "2016-01-01"), BZ_ENOTFOUND);
	ck_assert_int_eq(bz_establishment_set(NULL, organ, "XZ", 1, "2016-01-01"), BZ_EINVAL);
	ck_assert_bz(bz_txn_rollback(t));
	ck_assert_int_eq(bz_establishment_set(t, organ, "XZ", 1, "2016-01-01"), BZ_EMISUSE);
	ck_assert_int_eq(bz_establishment_transfer(t, organ, organ2, "XZ", 1, "2016-01-01"), BZ_EMISUSE);
	ck_assert_int_eq(bz_limit_set(t, "621202", 1, 1, "2016-01-01"), BZ_EMISUSE);
	bz_txn_free(t);
}
END_TEST

START_TEST(r1_over_establishment_hire)
{
	fx_est(&F, organ, "XZ", 2, "2012-01-01");
	hire(organ, "XZ", "2013-01-01", 2);
	long long events = tu_count(F.l, "event"), tl = tu_count(F.l, "tl");
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	fake_entry(t, organ, "XZ", "2014-03-01", 1);
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	const bz_violation *v = fx_find(bz_txn_report(t), BZ_RULE_R1, BZ_SEVERITY_ERROR);
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(bz_violation_subject(v), organ);
	ck_assert_str_eq(bz_violation_subject_name(v), "武都区教育局");
	ck_assert_str_eq(bz_violation_category(v), "XZ");
	ck_assert_int_eq(bz_violation_allowed(v), 2);
	ck_assert_int_eq(bz_violation_actual(v), 3);
	ck_assert_str_eq(bz_violation_document(v), F.county_doc);
	ck_assert_str_eq(bz_violation_document_number(v), "武编发〔2013〕5号");
	ck_assert_str_eq(bz_violation_date(v), "2014-03-01");
	ck_assert_ptr_nonnull(strstr(bz_violation_message(v), "不准超编进人"));
	bz_txn_free(t);
	ck_assert_int_eq(tu_count(F.l, "event"), events);
	ck_assert_int_eq(tu_count(F.l, "tl"), tl);
}
END_TEST

START_TEST(r7_retroactive_cut)
{
	fx_est(&F, organ, "XZ", 5, "2014-01-01");
	hire(organ, "XZ", "2014-02-01", 3);
	hire(organ, "XZ", "2016-01-01", 2);
	long long facts = tu_count(F.l, "fact"), tl = tu_count(F.l, "tl");
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_establishment_set(t, organ, "XZ", 3, "2015-01-01"));
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	const bz_report *r = bz_txn_report(t);
	const bz_violation *v = fx_find(r, BZ_RULE_R7, BZ_SEVERITY_ERROR);
	ck_assert_ptr_nonnull(v);
	ck_assert_ptr_null(fx_find(r, BZ_RULE_R1, BZ_SEVERITY_ERROR));
	ck_assert_str_eq(bz_violation_subject(v), organ);
	ck_assert_str_eq(bz_violation_subject_name(v), "武都区教育局");
	ck_assert_str_eq(bz_violation_category(v), "XZ");
	ck_assert_int_eq(bz_violation_allowed(v), 3);
	ck_assert_int_eq(bz_violation_actual(v), 5);
	ck_assert_str_eq(bz_violation_document(v), F.county_doc);
	ck_assert_str_eq(bz_violation_date(v), "2016-01-01");
	bz_txn_free(t);
	ck_assert_int_eq(tu_count(F.l, "fact"), facts);
	ck_assert_int_eq(tu_count(F.l, "tl"), tl);
	int64_t n = 0;
	ck_assert_bz(bz_establishment_get(&n, F.l, organ, "XZ", "2015-06-01"));
	ck_assert_int_eq(n, 5);
}
END_TEST

/* seed §6: 事业单位超编的要逐步消化 — an institution cut below its staff absorbs it */
START_TEST(r1_cut_below_staff_is_a_warning)
{
	fx_est(&F, inst, "SY", 5, "2014-01-01");
	hire(inst, "SY", "2014-02-01", 4);
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_establishment_set(t, inst, "SY", 3, "2015-01-01"));
	ck_assert_bz(bz_txn_commit(t));
	const bz_violation *v = fx_find(bz_txn_report(t), BZ_RULE_R1, BZ_SEVERITY_WARNING);
	ck_assert_ptr_nonnull(v);
	ck_assert_int_eq(bz_violation_allowed(v), 3);
	ck_assert_int_eq(bz_violation_actual(v), 4);
	ck_assert_str_eq(bz_violation_date(v), "2015-01-01");
	ck_assert_ptr_nonnull(strstr(bz_violation_message(v), "消化"));
	bz_txn_free(t);
	bz_basic_table *tb = NULL;
	ck_assert_bz(bz_basic_table_get(&tb, F.l, inst, "2015-06-01"));
	ck_assert_int_eq(bz_basic_table_over(tb, 0), 1);
	ck_assert_int_eq(bz_basic_table_vacant(tb, 0), 0);
	bz_basic_table_free(tb);
}
END_TEST

/* seed §6: 行政机关不得产生新的超编 — the same cut in an administrative organ is refused */
START_TEST(r1_organ_cut_below_staff_is_an_error)
{
	fx_est(&F, organ, "XZ", 5, "2014-01-01");
	hire(organ, "XZ", "2014-02-01", 4);
	long long facts = tu_count(F.l, "fact"), tl = tu_count(F.l, "tl");
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_establishment_set(t, organ, "XZ", 3, "2015-01-01"));
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	const bz_violation *v = fx_find(bz_txn_report(t), BZ_RULE_R1, BZ_SEVERITY_ERROR);
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(bz_violation_subject(v), organ);
	ck_assert_str_eq(bz_violation_subject_name(v), "武都区教育局");
	ck_assert_str_eq(bz_violation_category(v), "organ:new-over");
	ck_assert_int_eq(bz_violation_allowed(v), 3);
	ck_assert_int_eq(bz_violation_actual(v), 4);
	ck_assert_str_eq(bz_violation_document(v), F.county_doc);
	ck_assert_str_eq(bz_violation_date(v), "2015-01-01");
	ck_assert_ptr_nonnull(strstr(bz_violation_message(v), "行政机关不得产生新的超编"));
	bz_txn_free(t);
	ck_assert_int_eq(tu_count(F.l, "fact"), facts);
	ck_assert_int_eq(tu_count(F.l, "tl"), tl);
}
END_TEST

START_TEST(r11_institution_posts_in_an_organ)
{
	long long facts = tu_count(F.l, "fact");
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_establishment_set(t, organ, "SY", 4, "2014-01-01"));
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	const bz_violation *v = fx_find(bz_txn_report(t), BZ_RULE_R11, BZ_SEVERITY_ERROR);
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(bz_violation_subject(v), organ);
	ck_assert_str_eq(bz_violation_subject_name(v), "武都区教育局");
	ck_assert_str_eq(bz_violation_category(v), "SY");
	ck_assert_int_eq(bz_violation_allowed(v), 0);
	ck_assert_int_eq(bz_violation_actual(v), 4);
	ck_assert_str_eq(bz_violation_document(v), F.county_doc);
	ck_assert_str_eq(bz_violation_date(v), "2014-01-01");
	bz_txn_free(t);
	ck_assert_int_eq(tu_count(F.l, "fact"), facts);
}
END_TEST

START_TEST(r4_quota_limit)
{
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.city_doc));
	ck_assert_bz(bz_limit_set(t, "621202", 1, 10, "2012-01-01"));
	ck_assert_int_eq(bz_limit_set(t, "621202", 3, 10, "2012-01-01"), BZ_EINVAL);
	ck_assert_int_eq(bz_limit_set(t, "621202", 1, -1, "2012-01-01"), BZ_EINVAL);
	ck_assert_int_eq(bz_limit_set(t, "999999", 1, 1, "2012-01-01"), BZ_ENOTFOUND);
	ck_assert_int_eq(bz_limit_set(NULL, "621202", 1, 1, "2012-01-01"), BZ_EINVAL);
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	fx_est(&F, organ, "XZ", 6, "2012-01-01");
	long long facts = tu_count(F.l, "fact");
	t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_establishment_set(t, organ2, "XZ", 5, "2013-01-01"));
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	const bz_violation *v = fx_find(bz_txn_report(t), BZ_RULE_R4, BZ_SEVERITY_ERROR);
	ck_assert_ptr_nonnull(v);
	char *jur = NULL;
	ck_assert_bz(bz_unit_jurisdiction_of(F.l, organ, &jur));
	ck_assert_str_eq(bz_violation_subject(v), jur);
	free(jur);
	ck_assert_str_eq(bz_violation_subject_name(v), "621202 武都区");
	ck_assert_str_eq(bz_violation_category(v), "branch:1");
	ck_assert_int_eq(bz_violation_allowed(v), 10);
	ck_assert_int_eq(bz_violation_actual(v), 11);
	ck_assert_str_eq(bz_violation_document(v), F.county_doc);
	ck_assert_str_eq(bz_violation_date(v), "2013-01-01");
	bz_txn_free(t);
	ck_assert_int_eq(tu_count(F.l, "fact"), facts);

	bz_limit_ledger *lg = NULL;
	ck_assert_bz(bz_limit_ledger_get(&lg, F.l, "621202", "2013-01-01"));
	ck_assert_int_eq(bz_limit_ledger_limit(lg, 1), 10);
	ck_assert_int_eq(bz_limit_ledger_limit(lg, 0), 10);
	ck_assert_int_eq(bz_limit_ledger_allocated(lg, 1), 6);
	ck_assert_int_eq(bz_limit_ledger_unallocated(lg, 1), 4);
	ck_assert_int_eq(bz_limit_ledger_limit(lg, 2), -1);
	bz_limit_ledger_free(lg);
}
END_TEST

START_TEST(r6_limit_from_same_level)
{
	long long facts = tu_count(F.l, "fact");
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_limit_set(t, "621202", 2, 100, "2012-01-01"));
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	const bz_violation *v = fx_find(bz_txn_report(t), BZ_RULE_R6, BZ_SEVERITY_ERROR);
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(bz_violation_subject_name(v), "621202 武都区");
	ck_assert_str_eq(bz_violation_category(v), "branch:2");
	ck_assert_int_eq(bz_violation_allowed(v), BZ_LEVEL_CITY);
	ck_assert_int_eq(bz_violation_actual(v), BZ_LEVEL_COUNTY);
	ck_assert_str_eq(bz_violation_document(v), F.county_doc);
	ck_assert_str_eq(bz_violation_date(v), "2012-01-01");
	bz_txn_free(t);
	ck_assert_int_eq(tu_count(F.l, "fact"), facts);

	/* a business department's document is never a basis for establishment */
	t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.business_doc));
	ck_assert_bz(bz_establishment_set(t, inst, "SY", 3, "2012-01-01"));
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	v = fx_find(bz_txn_report(t), BZ_RULE_R6, BZ_SEVERITY_ERROR);
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(bz_violation_document(v), F.business_doc);
	bz_txn_free(t);
	ck_assert_int_eq(tu_count(F.l, "fact"), facts);
}
END_TEST

START_TEST(r7_before_founding)
{
	long long facts = tu_count(F.l, "fact");
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_establishment_set(t, organ, "XZ", 3, "2009-01-01"));
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	const bz_violation *v = fx_find(bz_txn_report(t), BZ_RULE_R7, BZ_SEVERITY_ERROR);
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(bz_violation_subject(v), organ);
	ck_assert_str_eq(bz_violation_date(v), "2009-01-01");
	bz_txn_free(t);
	ck_assert_int_eq(tu_count(F.l, "fact"), facts);
}
END_TEST

START_TEST(r9_vacancy_reserve_warning)
{
	fx_est(&F, organ, "XZ", 10, "2012-01-01");
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	fake_entry(t, organ, "XZ", "2013-01-01", 10);
	ck_assert_bz(bz_txn_commit(t));
	const bz_violation *v = fx_find(bz_txn_report(t), BZ_RULE_R9, BZ_SEVERITY_WARNING);
	ck_assert_ptr_nonnull(v); /* hires touch the jurisdiction too: R9 re-examines it at once */
	ck_assert_int_eq(bz_violation_actual(v), 0);
	bz_txn_free(t);
	/* a later change that touches the jurisdiction reports it */
	t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_establishment_set(t, organ2, "XZ", 0, "2014-01-01"));
	ck_assert_bz(bz_txn_commit(t));
	v = fx_find(bz_txn_report(t), BZ_RULE_R9, BZ_SEVERITY_WARNING);
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(bz_violation_subject_name(v), "621202 武都区");
	ck_assert_str_eq(bz_violation_category(v), "branch:1");
	ck_assert_int_eq(bz_violation_allowed(v), 1);
	ck_assert_int_eq(bz_violation_actual(v), 0);
	ck_assert_str_eq(bz_violation_date(v), "2014-01-01");
	bz_txn_free(t);
}
END_TEST

START_TEST(reorganisation_cut_grant_abolish)
{
	fx_est(&F, organ, "XZ", 5, "2012-01-01");
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_int_eq(bz_establishment_transfer(t, organ, organ2, "XZ", 6, "2015-01-01"), BZ_EINVAL);
	ck_assert_int_eq(bz_establishment_transfer(t, organ, organ, "XZ", 1, "2015-01-01"), BZ_EINVAL);
	ck_assert_int_eq(bz_establishment_transfer(t, organ, organ2, "XZ", 0, "2015-01-01"), BZ_EINVAL);
	ck_assert_bz(bz_establishment_transfer(t, organ, organ2, "XZ", 5, "2015-01-01"));
	ck_assert_bz(bz_unit_abolish(t, organ, "2015-01-01"));
	ck_assert_bz(bz_txn_commit(t));
	ck_assert_uint_eq(bz_report_errors(bz_txn_report(t)), 0);
	bz_txn_free(t);
	int64_t n = -1;
	ck_assert_bz(bz_establishment_get(&n, F.l, organ2, "XZ", "2015-01-01"));
	ck_assert_int_eq(n, 5);
	ck_assert_bz(bz_establishment_get(&n, F.l, organ, "XZ", "2015-01-01"));
	ck_assert_int_eq(n, 0);
	bz_limit_ledger *lg = NULL;
	ck_assert_bz(bz_limit_ledger_get(&lg, F.l, "621202", "2016-01-01"));
	ck_assert_int_eq(bz_limit_ledger_allocated(lg, 1), 5);
	bz_limit_ledger_free(lg);
}
END_TEST

START_TEST(reorganisation_checked_on_the_end_state)
{
	/* under a tight limit, granting B before cutting A passes: only the state the transaction leaves counts */
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.city_doc));
	ck_assert_bz(bz_limit_set(t, "621202", 1, 5, "2012-01-01"));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	fx_est(&F, organ, "XZ", 5, "2012-01-01");
	t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_establishment_set(t, organ2, "XZ", 5, "2015-01-01"));
	ck_assert_bz(bz_establishment_set(t, organ, "XZ", 0, "2015-01-01"));
	ck_assert_bz(bz_unit_abolish(t, organ, "2015-01-01"));
	ck_assert_bz(bz_txn_commit(t));
	ck_assert_uint_eq(bz_report_errors(bz_txn_report(t)), 0);
	bz_txn_free(t);
	/* without the cut the same grant is refused under R4 */
	t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_establishment_set(t, organ2, "XZ", 6, "2016-01-01"));
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	ck_assert_ptr_nonnull(fx_find(bz_txn_report(t), BZ_RULE_R4, BZ_SEVERITY_ERROR));
	bz_txn_free(t);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("establishment");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, categories);
	tcase_add_test(tc, set_get_table);
	tcase_add_test(tc, r1_over_establishment_hire);
	tcase_add_test(tc, r7_retroactive_cut);
	tcase_add_test(tc, r1_cut_below_staff_is_a_warning);
	tcase_add_test(tc, r1_organ_cut_below_staff_is_an_error);
	tcase_add_test(tc, r11_institution_posts_in_an_organ);
	tcase_add_test(tc, r4_quota_limit);
	tcase_add_test(tc, r6_limit_from_same_level);
	tcase_add_test(tc, r7_before_founding);
	tcase_add_test(tc, r9_vacancy_reserve_warning);
	tcase_add_test(tc, reorganisation_cut_grant_abolish);
	tcase_add_test(tc, reorganisation_checked_on_the_end_state);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(suite());
}
