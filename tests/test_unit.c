/* test_unit.c: units — establish, lifecycle, snapshots, lookups, R6, R7, R10. */
#include "unit_fixture.h"

#include <stdlib.h>

START_TEST(establish_and_snapshot)
{
	fx f;
	fx_setup(&f);
	char code[19];
	fx_credit(code, '2', "621200", "43858291");
	ck_assert_bz(bz_credit_code_valid(code));
	bz_unit_spec *s = NULL;
	ck_assert_bz(bz_unit_spec_new(&s));
	ck_assert_bz(bz_unit_spec_set_name(s, "陇南市疾病预防控制中心"));
	ck_assert_bz(bz_unit_spec_set_nature(s, BZ_NATURE_INSTITUTION));
	ck_assert_bz(bz_unit_spec_set_funding(s, BZ_FUNDING_BALANCE));
	ck_assert_bz(bz_unit_spec_set_rank(s, BZ_RANK_ZHENGKE));
	ck_assert_bz(bz_unit_spec_set_jurisdiction(s, "621200"));
	ck_assert_bz(bz_unit_spec_set_credit_code(s, code));
	ck_assert_bz(bz_unit_spec_set_duties(s, "疾病预防控制"));
	ck_assert_bz(bz_unit_spec_set_founded(s, "2005-03-01"));
	bz_txn *t = tu_begin(f.l);
	ck_assert_bz(bz_txn_set_document(t, f.city_doc));
	bz_unit *u = NULL;
	ck_assert_bz(bz_unit_establish(&u, t, s));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	bz_unit_spec_free(s);
	char id[BZ_UUID_LEN + 1];
	memcpy(id, bz_unit_uuid(u), sizeof id);
	bz_unit_free(u);

	ck_assert_bz(bz_unit_lookup(&u, f.l, id, NULL));
	ck_assert_str_eq(bz_unit_name(u), "陇南市疾病预防控制中心");
	ck_assert_int_eq(bz_unit_nature(u), BZ_NATURE_INSTITUTION);
	ck_assert_int_eq(bz_unit_funding(u), BZ_FUNDING_BALANCE);
	ck_assert_int_eq(bz_unit_rank(u), BZ_RANK_ZHENGKE);
	ck_assert_int_eq(bz_unit_canzong(u), 0);
	ck_assert_ptr_null(bz_unit_parent(u));
	ck_assert_str_eq(bz_unit_jurisdiction(u), "621200");
	ck_assert_str_eq(bz_unit_credit_code(u), code);
	ck_assert_str_eq(bz_unit_duties(u), "疾病预防控制");
	ck_assert_str_eq(bz_unit_founded(u), "2005-03-01");
	ck_assert_ptr_null(bz_unit_ended(u));
	ck_assert_int_eq(bz_unit_status(u), BZ_UNIT_ACTIVE);
	ck_assert_str_eq(bz_unit_as_of(u), "2026-12-01");
	bz_unit_free(u);
	/* before founding: not found */
	ck_assert_int_eq(bz_unit_lookup(&u, f.l, id, "2005-02-28"), BZ_ENOTFOUND);
	ck_assert_ptr_null(u);
	ck_assert_bz(bz_unit_lookup_credit_code(&u, f.l, code, "2010-01-01"));
	ck_assert_str_eq(bz_unit_uuid(u), id);
	bz_unit_free(u);
	ck_assert_str_eq(bz_rank_name(BZ_RANK_FUKE), "副科");
	ck_assert_str_eq(bz_nature_name(BZ_NATURE_MASS), "群众团体");
	ck_assert_str_eq(bz_funding_name(BZ_FUNDING_SELF), "自收自支");
	ck_assert_str_eq(bz_rank_name(99), "");
	bz_ledger_close(f.l);
}
END_TEST

START_TEST(rename_and_lookup_by_name_at_dates)
{
	fx f;
	fx_setup(&f);
	char id[BZ_UUID_LEN + 1], other[BZ_UUID_LEN + 1];
	ck_assert_bz(fx_unit(&f, id, f.city_doc, "陇南市卫生局", BZ_NATURE_ORGAN, BZ_RANK_ZHENGCHU, "621200", "2000-01-01"));
	ck_assert_bz(fx_unit(&f, other, f.city_doc, "陇南市教育局", BZ_NATURE_ORGAN, BZ_RANK_ZHENGCHU, "621200", "2000-01-01"));
	bz_txn *t = tu_begin(f.l);
	ck_assert_bz(bz_txn_set_document(t, f.city_doc));
	ck_assert_bz(bz_unit_rename(t, id, "陇南市卫生和计划生育委员会", "2014-06-01"));
	ck_assert_bz(bz_unit_set_rank(t, id, BZ_RANK_ZHENGCHU, "2014-06-01"));
	ck_assert_bz(bz_unit_set_funding(t, id, BZ_FUNDING_FULL, "2014-06-01"));
	ck_assert_bz(bz_unit_set_duties(t, id, "卫生与计划生育", "2014-06-01"));
	ck_assert_bz(bz_unit_set_parent(t, id, other, "2015-01-01"));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);

	bz_unit *u = NULL;
	ck_assert_bz(bz_unit_lookup(&u, f.l, id, "2014-05-31"));
	ck_assert_str_eq(bz_unit_name(u), "陇南市卫生局");
	ck_assert_ptr_null(bz_unit_parent(u));
	bz_unit_free(u);
	ck_assert_bz(bz_unit_lookup(&u, f.l, id, "2015-01-01"));
	ck_assert_str_eq(bz_unit_name(u), "陇南市卫生和计划生育委员会");
	ck_assert_str_eq(bz_unit_parent(u), other);
	ck_assert_str_eq(bz_unit_duties(u), "卫生与计划生育");
	bz_unit_free(u);
	ck_assert_bz(bz_unit_lookup_name(&u, f.l, "621200", "陇南市卫生局", "2010-01-01"));
	ck_assert_str_eq(bz_unit_uuid(u), id);
	bz_unit_free(u);
	ck_assert_int_eq(bz_unit_lookup_name(&u, f.l, "621200", "陇南市卫生局", NULL), BZ_ENOTFOUND);
	ck_assert_bz(bz_unit_lookup_name(&u, f.l, NULL, "陇南市卫生和计划生育委员会", NULL));
	bz_unit_free(u);
	ck_assert_int_eq(bz_unit_lookup_name(&u, f.l, "621202", "陇南市教育局", NULL), BZ_ENOTFOUND);
	/* the same name in two units at once: ambiguous */
	ck_assert_bz(fx_unit(&f, NULL, f.city_doc, "陇南市教育局", BZ_NATURE_ORGAN, BZ_RANK_ZHENGCHU, "621200", "2001-01-01"));
	ck_assert_int_eq(bz_unit_lookup_name(&u, f.l, "621200", "陇南市教育局", NULL), BZ_EEXISTS);
	ck_assert_ptr_null(u);
	bz_ledger_close(f.l);
}
END_TEST

START_TEST(list_units_of_jurisdiction)
{
	fx f;
	fx_setup(&f);
	char a[BZ_UUID_LEN + 1], b[BZ_UUID_LEN + 1];
	ck_assert_bz(fx_unit(&f, a, f.county_doc, "武都区教育局", BZ_NATURE_ORGAN, BZ_RANK_ZHENGKE, "621202", "2001-01-01"));
	ck_assert_bz(fx_unit(&f, b, f.county_doc, "武都区农业局", BZ_NATURE_ORGAN, BZ_RANK_ZHENGKE, "621202", "2010-01-01"));
	ck_assert_bz(fx_unit(&f, NULL, f.city_doc, "陇南市财政局", BZ_NATURE_ORGAN, BZ_RANK_ZHENGCHU, "621200", "2001-01-01"));
	bz_txn *t = tu_begin(f.l);
	ck_assert_bz(bz_txn_set_document(t, f.county_doc));
	ck_assert_bz(bz_unit_abolish(t, a, "2020-01-01"));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);

	const char *dates[] = {"2005-01-01", "2015-01-01", "2026-01-01"};
	const int want[] = {1, 2, 1};
	for (int i = 0; i < 3; i++) {
		bz_unit_iter *it = NULL;
		ck_assert_bz(bz_unit_list(&it, f.l, "621202", dates[i]));
		bz_unit *u = NULL;
		int n = 0;
		while (bz_unit_iter_next(&u, it) == BZ_OK) {
			ck_assert_str_eq(bz_unit_jurisdiction(u), "621202");
			ck_assert_int_eq(bz_unit_status(u), BZ_UNIT_ACTIVE);
			ck_assert_str_eq(bz_unit_as_of(u), dates[i]);
			bz_unit_free(u);
			n++;
		}
		ck_assert_int_eq(bz_unit_iter_next(&u, it), BZ_ITEROVER);
		ck_assert_int_eq(n, want[i]);
		bz_unit_iter_free(it);
	}
	bz_unit *u = NULL;
	ck_assert_bz(bz_unit_lookup(&u, f.l, a, NULL));
	ck_assert_int_eq(bz_unit_status(u), BZ_UNIT_ABOLISHED);
	ck_assert_str_eq(bz_unit_ended(u), "2020-01-01");
	bz_unit_free(u);
	bz_unit_iter *it = NULL;
	ck_assert_int_eq(bz_unit_list(&it, f.l, "621299", NULL), BZ_ENOTFOUND);
	ck_assert_int_eq(bz_unit_list(&it, f.l, NULL, NULL), BZ_EINVAL);
	ck_assert_int_eq(bz_unit_list(&it, f.l, "621202", "2020-02-30"), BZ_EINVAL);
	/* an iterator outliving its ledger fails cleanly */
	ck_assert_bz(bz_unit_list(&it, f.l, "621202", NULL));
	bz_ledger_close(f.l);
	ck_assert_int_eq(bz_unit_iter_next(&u, it), BZ_EMISUSE);
	bz_unit_iter_free(it);
}
END_TEST

START_TEST(merge_and_split)
{
	fx f;
	fx_setup(&f);
	char a[BZ_UUID_LEN + 1], b[BZ_UUID_LEN + 1];
	ck_assert_bz(fx_unit(&f, a, f.city_doc, "陇南市人事局", BZ_NATURE_ORGAN, BZ_RANK_ZHENGCHU, "621200", "2001-01-01"));
	ck_assert_bz(fx_unit(&f, b, f.city_doc, "陇南市劳动和社会保障局", BZ_NATURE_ORGAN, BZ_RANK_ZHENGCHU, "621200", "2001-01-01"));
	bz_txn *t = tu_begin(f.l);
	ck_assert_bz(bz_txn_set_document(t, f.city_doc));
	ck_assert_bz(bz_unit_merge(t, a, b, "2010-01-01"));
	ck_assert_bz(bz_unit_rename(t, b, "陇南市人力资源和社会保障局", "2010-01-01"));
	bz_unit_spec *s = NULL;
	ck_assert_bz(bz_unit_spec_new(&s));
	ck_assert_bz(bz_unit_spec_set_name(s, "陇南市社会保险事业管理局"));
	ck_assert_bz(bz_unit_spec_set_nature(s, BZ_NATURE_INSTITUTION));
	ck_assert_bz(bz_unit_spec_set_rank(s, BZ_RANK_FUCHU));
	ck_assert_bz(bz_unit_spec_set_jurisdiction(s, "621200"));
	ck_assert_bz(bz_unit_spec_set_founded(s, "2012-01-01"));
	ck_assert_bz(bz_unit_spec_set_parent(s, b));
	bz_unit *n = NULL;
	ck_assert_bz(bz_unit_split(&n, t, b, s));
	bz_unit_spec_free(s);
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	ck_assert_str_eq(bz_unit_parent(n), b);
	ck_assert_str_eq(bz_unit_founded(n), "2012-01-01");

	bz_unit *u = NULL;
	ck_assert_bz(bz_unit_lookup(&u, f.l, a, "2010-01-01"));
	ck_assert_int_eq(bz_unit_status(u), BZ_UNIT_MERGED);
	ck_assert_str_eq(bz_unit_merged_into(u), b);
	ck_assert_str_eq(bz_unit_ended(u), "2010-01-01");
	bz_unit_free(u);
	ck_assert_bz(bz_unit_lookup(&u, f.l, a, "2009-12-31"));
	ck_assert_int_eq(bz_unit_status(u), BZ_UNIT_ACTIVE);
	ck_assert_ptr_null(bz_unit_merged_into(u));
	ck_assert_ptr_null(bz_unit_ended(u));
	bz_unit_free(u);
	/* the source of the split records it; the new unit records where it came from */
	bz_change_iter *it = NULL;
	ck_assert_bz(bz_unit_changes(&it, f.l, b));
	bz_change *c = NULL;
	const char *kinds[] = {"unit.establish", "unit.absorb", "unit.rename", "unit.split"};
	int i = 0;
	while (bz_change_iter_next(&c, it) == BZ_OK) {
		ck_assert_int_lt(i, 4);
		ck_assert_str_eq(bz_change_kind(c), kinds[i]);
		if (i == 3) {
			ck_assert_str_eq(bz_change_attr_name(c, 0), "split_off");
			ck_assert_str_eq(bz_change_attr_after(c, 0), bz_unit_uuid(n));
		}
		bz_change_free(c);
		i++;
	}
	ck_assert_int_eq(i, 4);
	bz_change_iter_free(it);
	bz_unit_free(n);
	/* merging into itself, into nothing */
	t = tu_begin(f.l);
	ck_assert_bz(bz_txn_set_document(t, f.city_doc));
	ck_assert_int_eq(bz_unit_merge(t, b, b, "2020-01-01"), BZ_EINVAL);
	ck_assert_int_eq(bz_unit_merge(t, b, NULL, "2020-01-01"), BZ_EINVAL);
	bz_txn_free(t);
	bz_ledger_close(f.l);
}
END_TEST

/* R6: a county document cannot establish a 副科 public institution (seed §5) */
START_TEST(r6_county_document_establishing_fuke_institution)
{
	fx f;
	fx_setup(&f);
	long long units = tu_count(f.l, "unit"), events = tu_count(f.l, "event"), facts = tu_count(f.l, "fact");
	bz_unit_spec *s = NULL;
	ck_assert_bz(bz_unit_spec_new(&s));
	ck_assert_bz(bz_unit_spec_set_name(s, "武都区城市管理综合执法大队"));
	ck_assert_bz(bz_unit_spec_set_nature(s, BZ_NATURE_INSTITUTION));
	ck_assert_bz(bz_unit_spec_set_rank(s, BZ_RANK_FUKE));
	ck_assert_bz(bz_unit_spec_set_jurisdiction(s, "621202"));
	ck_assert_bz(bz_unit_spec_set_founded(s, "2014-01-01"));
	bz_txn *t = tu_begin(f.l);
	ck_assert_bz(bz_txn_set_document(t, f.county_doc));
	bz_unit *u = NULL;
	ck_assert_bz(bz_unit_establish(&u, t, s));
	char id[BZ_UUID_LEN + 1];
	memcpy(id, bz_unit_uuid(u), sizeof id);
	bz_unit_free(u);
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	const bz_report *r = bz_txn_report(t);
	ck_assert_uint_eq(bz_report_count(r), 1);
	const bz_violation *v = bz_report_get(r, 0);
	ck_assert_int_eq(bz_violation_rule(v), BZ_RULE_R6);
	ck_assert_int_eq(bz_violation_severity(v), BZ_SEVERITY_ERROR);
	ck_assert_str_eq(bz_violation_subject(v), id);
	ck_assert_str_eq(bz_violation_subject_name(v), "武都区城市管理综合执法大队");
	ck_assert_ptr_null(bz_violation_category(v));
	ck_assert_int_eq(bz_violation_allowed(v), BZ_LEVEL_CITY);
	ck_assert_int_eq(bz_violation_actual(v), BZ_LEVEL_COUNTY);
	ck_assert_str_eq(bz_violation_document(v), f.county_doc);
	ck_assert_str_eq(bz_violation_document_number(v), "武编发〔2013〕5号");
	ck_assert_str_eq(bz_violation_date(v), "2014-01-01");
	ck_assert_ptr_nonnull(strstr(bz_violation_message(v), "R6"));
	bz_txn_free(t);
	ck_assert_int_eq(tu_count(f.l, "unit"), units);
	ck_assert_int_eq(tu_count(f.l, "event"), events);
	ck_assert_int_eq(tu_count(f.l, "fact"), facts);

	/* the same unit at 正股 rank, or an organ, may rest on the county document */
	ck_assert_bz(fx_unit(&f, NULL, f.county_doc, "武都区某事业站", BZ_NATURE_INSTITUTION, BZ_RANK_ZHENGGU, "621202", "2014-01-01"));
	ck_assert_bz(fx_unit(&f, id, f.county_doc, "武都区司法局", BZ_NATURE_ORGAN, BZ_RANK_ZHENGKE, "621202", "2014-01-01"));
	/* the city document may */
	ck_assert_bz(fx_unit(&f, id, f.city_doc, "武都区疾病预防控制中心", BZ_NATURE_INSTITUTION, BZ_RANK_FUKE, "621202", "2014-01-01"));
	/* renaming it on a county document is refused too */
	t = tu_begin(f.l);
	ck_assert_bz(bz_txn_set_document(t, f.county_doc));
	ck_assert_bz(bz_unit_rename(t, id, "武都区疾控中心", "2015-01-01"));
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	ck_assert_int_eq(bz_violation_rule(bz_report_get(bz_txn_report(t), 0)), BZ_RULE_R6);
	bz_txn_free(t);
	bz_unit_spec_free(s);
	bz_ledger_close(f.l);
}
END_TEST

START_TEST(r6_business_document_is_never_a_basis)
{
	fx f;
	fx_setup(&f);
	char id[BZ_UUID_LEN + 1];
	ck_assert_bz(fx_unit(&f, id, f.city_doc, "陇南市教育局", BZ_NATURE_ORGAN, BZ_RANK_ZHENGCHU, "621200", "2001-01-01"));
	long long events = tu_count(f.l, "event"), facts = tu_count(f.l, "fact");
	bz_txn *t = tu_begin(f.l);
	ck_assert_bz(bz_txn_set_document(t, f.business_doc));
	ck_assert_bz(bz_unit_set_duties(t, id, "教育", "2015-01-01"));
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	const bz_report *r = bz_txn_report(t);
	ck_assert_uint_eq(bz_report_count(r), 1);
	const bz_violation *v = bz_report_get(r, 0);
	ck_assert_int_eq(bz_violation_rule(v), BZ_RULE_R6);
	ck_assert_int_eq(bz_violation_severity(v), BZ_SEVERITY_ERROR);
	ck_assert_str_eq(bz_violation_subject(v), id);
	ck_assert_str_eq(bz_violation_subject_name(v), "陇南市教育局");
	ck_assert_ptr_null(bz_violation_category(v));
	ck_assert_int_eq(bz_violation_allowed(v), BZ_ISSUER_GOVERNMENT);
	ck_assert_int_eq(bz_violation_actual(v), BZ_ISSUER_BUSINESS);
	ck_assert_str_eq(bz_violation_document(v), f.business_doc);
	ck_assert_str_eq(bz_violation_document_number(v), "陇教发〔2013〕7号");
	ck_assert_str_eq(bz_violation_date(v), "2015-01-01");
	bz_txn_free(t);
	ck_assert_int_eq(tu_count(f.l, "event"), events);
	ck_assert_int_eq(tu_count(f.l, "fact"), facts);
	bz_ledger_close(f.l);
}
END_TEST

START_TEST(r7_before_founding_and_after_abolition)
{
	fx f;
	fx_setup(&f);
	char id[BZ_UUID_LEN + 1];
	ck_assert_bz(fx_unit(&f, id, f.county_doc, "武都区林业局", BZ_NATURE_ORGAN, BZ_RANK_ZHENGKE, "621202", "2001-01-01"));
	bz_txn *t = tu_begin(f.l);
	ck_assert_bz(bz_txn_set_document(t, f.county_doc));
	ck_assert_bz(bz_unit_abolish(t, id, "2019-03-01"));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	long long events = tu_count(f.l, "event"), facts = tu_count(f.l, "fact");

	const char *dates[] = {"2000-12-31", "2019-03-01"};
	for (int i = 0; i < 2; i++) {
		t = tu_begin(f.l);
		ck_assert_bz(bz_txn_set_document(t, f.county_doc));
		ck_assert_bz(bz_unit_rename(t, id, "武都区林业和草原局", dates[i]));
		ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
		const bz_report *r = bz_txn_report(t);
		ck_assert_uint_eq(bz_report_count(r), 1);
		const bz_violation *v = bz_report_get(r, 0);
		ck_assert_int_eq(bz_violation_rule(v), BZ_RULE_R7);
		ck_assert_int_eq(bz_violation_severity(v), BZ_SEVERITY_ERROR);
		ck_assert_str_eq(bz_violation_subject(v), id);
		/* named as the refused change would have named it on that date */
		ck_assert_str_eq(bz_violation_subject_name(v), "武都区林业和草原局");
		ck_assert_ptr_null(bz_violation_category(v));
		ck_assert_int_eq(bz_violation_allowed(v), -1);
		ck_assert_int_eq(bz_violation_actual(v), -1);
		ck_assert_str_eq(bz_violation_document(v), f.county_doc);
		ck_assert_str_eq(bz_violation_document_number(v), "武编发〔2013〕5号");
		ck_assert_str_eq(bz_violation_date(v), dates[i]);
		bz_txn_free(t);
		ck_assert_int_eq(tu_count(f.l, "event"), events);
		ck_assert_int_eq(tu_count(f.l, "fact"), facts);
	}
	/* abolishing twice */
	t = tu_begin(f.l);
	ck_assert_bz(bz_txn_set_document(t, f.county_doc));
	ck_assert_bz(bz_unit_abolish(t, id, "2020-01-01"));
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	ck_assert_int_eq(bz_violation_rule(bz_report_get(bz_txn_report(t), 0)), BZ_RULE_R7);
	bz_txn_free(t);
	bz_ledger_close(f.l);
}
END_TEST

/* R7 at commit: abolishing a unit earlier than records it already has */
START_TEST(r7_retroactive_abolition)
{
	fx f;
	fx_setup(&f);
	char id[BZ_UUID_LEN + 1];
	ck_assert_bz(fx_unit(&f, id, f.county_doc, "武都区水务局", BZ_NATURE_ORGAN, BZ_RANK_ZHENGKE, "621202", "2001-01-01"));
	bz_txn *t = tu_begin(f.l);
	ck_assert_bz(bz_txn_set_document(t, f.county_doc));
	ck_assert_bz(bz_unit_set_duties(t, id, "水利", "2016-05-01"));
	ck_assert_bz(bz_unit_set_duties(t, id, "水利水保", "2017-05-01"));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	long long events = tu_count(f.l, "event"), facts = tu_count(f.l, "fact");
	t = tu_begin(f.l);
	ck_assert_bz(bz_txn_set_document(t, f.county_doc));
	ck_assert_bz(bz_unit_abolish(t, id, "2015-01-01"));
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	const bz_report *r = bz_txn_report(t);
	ck_assert_uint_eq(bz_report_count(r), 1);
	const bz_violation *v = bz_report_get(r, 0);
	ck_assert_int_eq(bz_violation_rule(v), BZ_RULE_R7);
	ck_assert_int_eq(bz_violation_severity(v), BZ_SEVERITY_ERROR);
	ck_assert_str_eq(bz_violation_subject(v), id);
	ck_assert_str_eq(bz_violation_subject_name(v), "武都区水务局");
	ck_assert_ptr_null(bz_violation_category(v));
	ck_assert_int_eq(bz_violation_allowed(v), 0);
	ck_assert_int_eq(bz_violation_actual(v), 2);
	ck_assert_str_eq(bz_violation_document(v), f.county_doc);
	ck_assert_str_eq(bz_violation_document_number(v), "武编发〔2013〕5号");
	ck_assert_str_eq(bz_violation_date(v), "2016-05-01");
	bz_txn_free(t);
	ck_assert_int_eq(tu_count(f.l, "event"), events);
	ck_assert_int_eq(tu_count(f.l, "fact"), facts);
	bz_ledger_close(f.l);
}
END_TEST

/* R7 at commit: people (the staff area's counters) still in post after the end */
START_TEST(r7_staff_in_post_after_abolition)
{
	fx f;
	fx_setup(&f);
	char id[BZ_UUID_LEN + 1];
	ck_assert_bz(fx_unit(&f, id, f.county_doc, "武都区统计局", BZ_NATURE_ORGAN, BZ_RANK_ZHENGKE, "621202", "2001-01-01"));
	char key[80];
	snprintf(key, sizeof key, "U:%s:staff:XZ", id);
	bz_txn *t = tu_begin(f.l);
	ck_assert_bz(bz_tl_add(f.l, key, "2010-01-01", NULL, 1));
	ck_assert_bz(bz_tl_add(f.l, key, "2012-01-01", "2019-01-01", 1));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	long long tl = tu_count(f.l, "tl"), events = tu_count(f.l, "event");
	t = tu_begin(f.l);
	ck_assert_bz(bz_txn_set_document(t, f.county_doc));
	ck_assert_bz(bz_unit_abolish(t, id, "2015-01-01"));
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	const bz_report *r = bz_txn_report(t);
	ck_assert_uint_eq(bz_report_count(r), 1);
	const bz_violation *v = bz_report_get(r, 0);
	ck_assert_int_eq(bz_violation_rule(v), BZ_RULE_R7);
	ck_assert_int_eq(bz_violation_severity(v), BZ_SEVERITY_ERROR);
	ck_assert_str_eq(bz_violation_subject(v), id);
	ck_assert_str_eq(bz_violation_subject_name(v), "武都区统计局");
	ck_assert_str_eq(bz_violation_category(v), "XZ");
	ck_assert_int_eq(bz_violation_allowed(v), 0);
	ck_assert_int_eq(bz_violation_actual(v), 2);
	ck_assert_str_eq(bz_violation_document(v), f.county_doc);
	ck_assert_str_eq(bz_violation_document_number(v), "武编发〔2013〕5号");
	ck_assert_str_eq(bz_violation_date(v), "2015-01-01");
	bz_txn_free(t);
	ck_assert_int_eq(tu_count(f.l, "tl"), tl);
	ck_assert_int_eq(tu_count(f.l, "event"), events);
	/* once everyone has left, the abolition commits */
	t = tu_begin(f.l);
	ck_assert_bz(bz_tl_add(f.l, key, "2020-01-01", NULL, -1));
	ck_assert_bz(bz_txn_set_document(t, f.county_doc));
	ck_assert_bz(bz_unit_abolish(t, id, "2020-01-01"));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	bz_ledger_close(f.l);
}
END_TEST

START_TEST(r10_credit_codes)
{
	fx f;
	fx_setup(&f);
	/* real public codes (enterprise registrations) pass the check characters */
	ck_assert_bz(bz_credit_code_valid("91350100M000100Y43"));
	ck_assert_bz(bz_credit_code_valid("91440300708461136T"));
	ck_assert_int_eq(bz_credit_code_valid("91350100M000100Y44"), BZ_EINVAL);
	ck_assert_int_eq(bz_credit_code_valid("91350100M000101Y43"), BZ_EINVAL);
	ck_assert_int_eq(bz_credit_code_valid("9135010OM000100Y43"), BZ_EINVAL); /* O is not in the alphabet */
	ck_assert_int_eq(bz_credit_code_valid("91350100M000100Y4"), BZ_EINVAL);
	ck_assert_int_eq(bz_credit_code_valid(NULL), BZ_EINVAL);

	bz_unit_spec *s = NULL;
	ck_assert_bz(bz_unit_spec_new(&s));
	ck_assert_int_eq(bz_unit_spec_set_credit_code(s, "12621200-4385829X"), BZ_EINVAL);
	ck_assert_int_eq(bz_unit_spec_set_credit_code(s, "126212004385"), BZ_EINVAL);
	ck_assert_bz(bz_unit_spec_set_name(s, "陇南市档案馆"));
	ck_assert_bz(bz_unit_spec_set_nature(s, BZ_NATURE_INSTITUTION));
	ck_assert_bz(bz_unit_spec_set_rank(s, BZ_RANK_ZHENGKE));
	ck_assert_bz(bz_unit_spec_set_jurisdiction(s, "621200"));
	ck_assert_bz(bz_unit_spec_set_founded(s, "2004-01-01"));

	char good[19], bad[19], organ[19];
	fx_credit(good, '2', "621200", "43858291");
	memcpy(bad, good, sizeof bad);
	bad[17] = bad[17] == '0' ? '1' : '0';
	fx_credit(organ, '1', "621200", "43858300");
	const char *codes[] = {bad, organ};
	const char *want_msg[] = {"check character", "should begin 12"};
	long long units = tu_count(f.l, "unit"), events = tu_count(f.l, "event");
	for (int i = 0; i < 2; i++) {
		ck_assert_bz(bz_unit_spec_set_credit_code(s, codes[i]));
		bz_txn *t = tu_begin(f.l);
		ck_assert_bz(bz_txn_set_document(t, f.city_doc));
		bz_unit *u = NULL;
		ck_assert_bz(bz_unit_establish(&u, t, s));
		char id[BZ_UUID_LEN + 1];
		memcpy(id, bz_unit_uuid(u), sizeof id);
		bz_unit_free(u);
		ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
		const bz_report *r = bz_txn_report(t);
		ck_assert_uint_eq(bz_report_count(r), 1);
		const bz_violation *v = bz_report_get(r, 0);
		ck_assert_int_eq(bz_violation_rule(v), BZ_RULE_R10);
		ck_assert_int_eq(bz_violation_severity(v), BZ_SEVERITY_ERROR);
		ck_assert_str_eq(bz_violation_subject(v), id);
		ck_assert_str_eq(bz_violation_subject_name(v), "陇南市档案馆");
		ck_assert_ptr_null(bz_violation_category(v));
		ck_assert_int_eq(bz_violation_allowed(v), -1);
		ck_assert_int_eq(bz_violation_actual(v), -1);
		ck_assert_str_eq(bz_violation_document(v), f.city_doc);
		ck_assert_str_eq(bz_violation_document_number(v), "陇编发〔2012〕31号");
		ck_assert_str_eq(bz_violation_date(v), "2004-01-01");
		ck_assert_ptr_nonnull(strstr(bz_violation_message(v), want_msg[i]));
		bz_txn_free(t);
		ck_assert_int_eq(tu_count(f.l, "unit"), units);
		ck_assert_int_eq(tu_count(f.l, "event"), events);
	}
	/* a listed pilot exception is legal */
	bz_txn *t = tu_begin(f.l);
	ck_assert_int_eq(bz_credit_code_exception_add(t, "12-34", NULL), BZ_EINVAL);
	ck_assert_bz(bz_credit_code_exception_add(t, bad, "试点期间赋码"));
	ck_assert_int_eq(bz_credit_code_exception_add(t, bad, NULL), BZ_EEXISTS);
	ck_assert_bz(bz_unit_spec_set_credit_code(s, bad));
	ck_assert_bz(bz_txn_set_document(t, f.city_doc));
	ck_assert_bz(bz_unit_establish(NULL, t, s));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	/* a taken code */
	t = tu_begin(f.l);
	ck_assert_bz(bz_txn_set_document(t, f.city_doc));
	ck_assert_int_eq(bz_unit_establish(NULL, t, s), BZ_EEXISTS);
	/* lower case is taken as upper case */
	char lower[19];
	memcpy(lower, good, sizeof lower);
	for (int i = 0; i < 18; i++)
		if (lower[i] >= 'A' && lower[i] <= 'Z')
			lower[i] = (char)(lower[i] - 'A' + 'a');
	ck_assert_bz(bz_unit_spec_set_credit_code(s, lower));
	ck_assert_bz(bz_unit_establish(NULL, t, s));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	bz_unit *u = NULL;
	ck_assert_bz(bz_unit_lookup_credit_code(&u, f.l, good, NULL));
	ck_assert_str_eq(bz_unit_credit_code(u), good);
	bz_unit_free(u);
	ck_assert_int_eq(bz_unit_lookup_credit_code(&u, f.l, organ, NULL), BZ_ENOTFOUND);
	ck_assert_int_eq(bz_unit_lookup_credit_code(&u, f.l, "x", NULL), BZ_EINVAL);
	bz_unit_spec_free(s);
	bz_ledger_close(f.l);
}
END_TEST

START_TEST(r10_credit_code_division_is_digits)
{
	/* positions 3–8 are the registering authority's division code: digits.
	 * The code with a letter there has both check characters right, so only
	 * the letter makes it invalid */
	fx f;
	fx_setup(&f);
	char good[19], letter[19], lower[19];
	fx_credit(good, '2', "621200", "43858291");
	fx_credit(letter, '2', "621K00", "43858291");
	ck_assert_int_eq(letter[16], bz_gb11714_check(letter + 8));
	ck_assert_int_eq(letter[17], bz_gb32100_check(letter));
	ck_assert_bz(bz_credit_code_valid(good));
	ck_assert_int_eq(bz_credit_code_valid(letter), BZ_EINVAL);
	memcpy(lower, letter, sizeof lower);
	lower[5] = 'k';

	bz_unit_spec *s = NULL;
	ck_assert_bz(bz_unit_spec_new(&s));
	ck_assert_int_eq(bz_unit_spec_set_credit_code(s, letter), BZ_EINVAL);
	ck_assert_int_eq(bz_unit_spec_set_credit_code(s, lower), BZ_EINVAL);
	bz_unit *u = NULL;
	ck_assert_int_eq(bz_unit_lookup_credit_code(&u, f.l, letter, NULL), BZ_EINVAL);
	ck_assert_ptr_null(u);
	/* nor can it be listed as a pilot exception: those excuse check characters only */
	bz_txn *t = tu_begin(f.l);
	ck_assert_int_eq(bz_credit_code_exception_add(t, letter, "试点期间赋码"), BZ_EINVAL);
	bz_txn_free(t);
	ck_assert_int_eq(tu_count(f.l, "credit_code_exception"), 0);

	/* the control: the same code with digits there establishes the unit */
	ck_assert_bz(bz_unit_spec_set_credit_code(s, good));
	ck_assert_bz(bz_unit_spec_set_name(s, "陇南市档案馆"));
	ck_assert_bz(bz_unit_spec_set_nature(s, BZ_NATURE_INSTITUTION));
	ck_assert_bz(bz_unit_spec_set_rank(s, BZ_RANK_ZHENGKE));
	ck_assert_bz(bz_unit_spec_set_jurisdiction(s, "621200"));
	ck_assert_bz(bz_unit_spec_set_founded(s, "2004-01-01"));
	t = tu_begin(f.l);
	ck_assert_bz(bz_txn_set_document(t, f.city_doc));
	ck_assert_bz(bz_unit_establish(&u, t, s));
	char id[BZ_UUID_LEN + 1];
	memcpy(id, bz_unit_uuid(u), sizeof id);
	bz_unit_free(u);
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	bz_unit_spec_free(s);
	bz_report *r = NULL;
	ck_assert_bz(bz_ledger_check(&r, f.l, NULL));
	ck_assert_uint_eq(bz_report_count(r), 0);
	bz_report_free(r);

	/* written behind the library, the self-inspection finds it (R10 from the records) */
	char sql[160];
	snprintf(sql, sizeof sql, "UPDATE unit SET credit_code='%s' WHERE id='%s'", letter, id);
	ck_assert_int_eq(tu_exec(f.l, sql), SQLITE_OK);
	ck_assert_bz(bz_ledger_check(&r, f.l, NULL));
	ck_assert_uint_eq(bz_report_count(r), 1);
	const bz_violation *v = bz_report_get(r, 0);
	ck_assert_int_eq(bz_violation_rule(v), BZ_RULE_R10);
	ck_assert_int_eq(bz_violation_severity(v), BZ_SEVERITY_ERROR);
	ck_assert_str_eq(bz_violation_subject(v), id);
	ck_assert_str_eq(bz_violation_subject_name(v), "陇南市档案馆");
	ck_assert_ptr_null(bz_violation_category(v));
	ck_assert_str_eq(bz_violation_date(v), "2004-01-01");
	ck_assert_str_eq(bz_violation_document(v), f.city_doc);
	ck_assert_ptr_nonnull(strstr(bz_violation_message(v), letter));
	ck_assert_ptr_nonnull(strstr(bz_violation_message(v), "division code"));
	bz_report_free(r);
	bz_ledger_close(f.l);
}
END_TEST

START_TEST(error_codes)
{
	fx f;
	fx_setup(&f);
	bz_unit_spec *s = NULL;
	ck_assert_int_eq(bz_unit_spec_new(NULL), BZ_EINVAL);
	ck_assert_bz(bz_unit_spec_new(&s));
	ck_assert_int_eq(bz_unit_spec_set_name(s, ""), BZ_EINVAL);
	ck_assert_int_eq(bz_unit_spec_set_name(s, "\xff\xfe"), BZ_EINVAL);
	ck_assert_int_eq(bz_unit_spec_set_name(NULL, "x"), BZ_EINVAL);
	ck_assert_int_eq(bz_unit_spec_set_nature(s, 3), BZ_EINVAL);
	ck_assert_int_eq(bz_unit_spec_set_funding(s, 0), BZ_EINVAL);
	ck_assert_int_eq(bz_unit_spec_set_rank(s, 11), BZ_EINVAL);
	ck_assert_int_eq(bz_unit_spec_set_canzong(s, 2), BZ_EINVAL);
	ck_assert_int_eq(bz_unit_spec_set_parent(s, "nope"), BZ_EINVAL);
	ck_assert_int_eq(bz_unit_spec_set_jurisdiction(s, "6212"), BZ_EINVAL);
	ck_assert_int_eq(bz_unit_spec_set_founded(s, "2023-02-29"), BZ_EINVAL);
	ck_assert_bz(bz_unit_spec_set_canzong(s, 1));
	ck_assert_bz(bz_unit_spec_set_name(s, "武都区某局"));
	bz_txn *t = tu_begin(f.l);
	ck_assert_bz(bz_txn_set_document(t, f.county_doc));
	ck_assert_int_eq(bz_unit_establish(NULL, t, NULL), BZ_EINVAL);
	ck_assert_int_eq(bz_unit_establish(NULL, NULL, s), BZ_EINVAL);
	ck_assert_int_eq(bz_unit_establish(NULL, t, s), BZ_EINVAL); /* incomplete spec */
	ck_assert_bz(bz_unit_spec_set_nature(s, BZ_NATURE_ORGAN));
	ck_assert_bz(bz_unit_spec_set_founded(s, "2001-01-01"));
	ck_assert_bz(bz_unit_spec_set_jurisdiction(s, "621299"));
	ck_assert_int_eq(bz_unit_establish(NULL, t, s), BZ_ENOTFOUND);
	ck_assert_bz(bz_unit_spec_set_jurisdiction(s, "621202"));
	ck_assert_bz(bz_unit_spec_set_parent(s, "00000000-0000-4000-8000-000000000000"));
	ck_assert_int_eq(bz_unit_establish(NULL, t, s), BZ_ENOTFOUND);
	ck_assert_bz(bz_unit_spec_set_parent(s, NULL));
	bz_unit *u = NULL;
	ck_assert_bz(bz_unit_establish(&u, t, s));
	ck_assert_int_eq(bz_unit_canzong(u), 1);
	char id[BZ_UUID_LEN + 1];
	memcpy(id, bz_unit_uuid(u), sizeof id);
	bz_unit_free(u);
	ck_assert_int_eq(bz_unit_rename(t, id, "", "2010-01-01"), BZ_EINVAL);
	ck_assert_int_eq(bz_unit_rename(t, id, NULL, "2010-01-01"), BZ_EINVAL);
	ck_assert_int_eq(bz_unit_rename(t, id, "x", "2010-13-01"), BZ_EINVAL);
	ck_assert_int_eq(bz_unit_rename(t, "nope", "x", "2010-01-01"), BZ_EINVAL);
	ck_assert_int_eq(bz_unit_rename(NULL, id, "x", "2010-01-01"), BZ_EINVAL);
	ck_assert_int_eq(bz_unit_rename(t, "00000000-0000-4000-8000-000000000000", "x", "2010-01-01"), BZ_ENOTFOUND);
	ck_assert_int_eq(bz_unit_set_rank(t, id, -1, "2010-01-01"), BZ_EINVAL);
	ck_assert_int_eq(bz_unit_set_funding(t, id, 5, "2010-01-01"), BZ_EINVAL);
	ck_assert_int_eq(bz_unit_set_duties(t, id, NULL, "2010-01-01"), BZ_EINVAL);
	ck_assert_int_eq(bz_unit_set_parent(t, id, id, "2010-01-01"), BZ_EINVAL);
	ck_assert_int_eq(bz_unit_set_parent(t, id, "00000000-0000-4000-8000-000000000000", "2010-01-01"), BZ_ENOTFOUND);
	ck_assert_int_eq(bz_unit_abolish(t, id, "garbage"), BZ_EINVAL);
	ck_assert_int_eq(bz_unit_split(NULL, t, "nope", s), BZ_EINVAL);
	ck_assert_int_eq(bz_unit_split(NULL, t, "00000000-0000-4000-8000-000000000000", s), BZ_ENOTFOUND);
	ck_assert_bz(bz_unit_set_parent(t, id, NULL, "2010-01-01"));
	ck_assert_bz(bz_txn_commit(t));
	/* a finished transaction */
	ck_assert_int_eq(bz_unit_rename(t, id, "y", "2011-01-01"), BZ_EMISUSE);
	ck_assert_int_eq(bz_unit_establish(NULL, t, s), BZ_EMISUSE);
	bz_txn_free(t);
	ck_assert_int_eq(bz_unit_lookup(&u, f.l, id, NULL), BZ_OK); /* u overwritten below */
	bz_unit *u2 = u;
	ck_assert_int_eq(bz_unit_lookup(NULL, f.l, id, NULL), BZ_EINVAL);
	ck_assert_int_eq(bz_unit_lookup(&u, NULL, id, NULL), BZ_EINVAL);
	ck_assert_int_eq(bz_unit_lookup(&u, f.l, "x", NULL), BZ_EINVAL);
	ck_assert_int_eq(bz_unit_lookup(&u, f.l, "00000000-0000-4000-8000-000000000000", NULL), BZ_ENOTFOUND);
	ck_assert_int_eq(bz_unit_lookup_name(&u, f.l, NULL, "", NULL), BZ_EINVAL);
	ck_assert_int_eq(bz_unit_lookup_name(&u, f.l, "621299", "x", NULL), BZ_ENOTFOUND);
	bz_unit_free(u2);
	bz_unit_free(NULL);
	bz_unit_spec_free(NULL);
	bz_unit_spec_free(s);
	ck_assert_ptr_null(bz_unit_name(NULL));
	bz_ledger_close(f.l);
}
END_TEST

/*
 * R6 authority is data: seed §5 makes raising an institution to 副科 or
 * above the city's; a ledger may move that line (here: only 副处 and above
 * need the city from 2017), dated, on a document, and a raise to 正科 then
 * rests on the county's document.
 */
START_TEST(authority_rules_are_data)
{
	fx f;
	fx_setup(&f);
	char id[BZ_UUID_LEN + 1];
	ck_assert_bz(fx_unit(&f, id, f.city_doc, "武都区人民医院", BZ_NATURE_INSTITUTION, BZ_RANK_ZHENGGU, "621202", "2001-01-01"));
	bz_txn *t = tu_begin(f.l);
	ck_assert_bz(bz_txn_set_document(t, f.county_doc));
	ck_assert_bz(bz_unit_set_rank(t, id, BZ_RANK_ZHENGKE, "2016-01-01"));
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT); /* raising to 正科: the city's (seed §5) */
	ck_assert_int_eq(bz_violation_allowed(fx_find(bz_txn_report(t), BZ_RULE_R6, 0)), BZ_LEVEL_CITY);
	bz_txn_free(t);
	t = tu_begin(f.l);
	ck_assert_bz(bz_txn_set_document(t, f.city_doc));
	ck_assert_bz(bz_rule_param_set(t, "authority.rank", "2:5:3", "2017-01-01"));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	char *v1 = NULL, *v2 = NULL;
	ck_assert_bz(bz_rule_param_get(&v1, f.l, "authority.rank", "2016-12-31"));
	ck_assert_bz(bz_rule_param_get(&v2, f.l, "authority.rank", "2017-01-01"));
	ck_assert_str_eq(v1, "2:3:3");
	ck_assert_str_eq(v2, "2:5:3");
	bz_free(v1);
	bz_free(v2);
	t = tu_begin(f.l);
	ck_assert_bz(bz_txn_set_document(t, f.county_doc));
	ck_assert_bz(bz_unit_set_rank(t, id, BZ_RANK_ZHENGKE, "2017-06-01"));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	long long events = tu_count(f.l, "event");
	t = tu_begin(f.l);
	ck_assert_bz(bz_txn_set_document(t, f.county_doc));
	ck_assert_bz(bz_unit_set_rank(t, id, BZ_RANK_FUCHU, "2018-01-01"));
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	const bz_violation *v = bz_report_get(bz_txn_report(t), 0);
	ck_assert_int_eq(bz_violation_rule(v), BZ_RULE_R6);
	ck_assert_str_eq(bz_violation_subject(v), id);
	ck_assert_str_eq(bz_violation_subject_name(v), "武都区人民医院");
	ck_assert_int_eq(bz_violation_allowed(v), BZ_LEVEL_CITY);
	ck_assert_int_eq(bz_violation_actual(v), BZ_LEVEL_COUNTY);
	ck_assert_str_eq(bz_violation_date(v), "2018-01-01");
	bz_txn_free(t);
	ck_assert_int_eq(tu_count(f.l, "event"), events);
	bz_ledger_close(f.l);
}
END_TEST

/* R7 through other units: a parent or split source not in being */
START_TEST(r7_parent_and_split_source)
{
	fx f;
	fx_setup(&f);
	char a[BZ_UUID_LEN + 1], b[BZ_UUID_LEN + 1];
	ck_assert_bz(fx_unit(&f, a, f.county_doc, "武都区旅游局", BZ_NATURE_ORGAN, BZ_RANK_ZHENGKE, "621202", "2001-01-01"));
	ck_assert_bz(fx_unit(&f, b, f.county_doc, "武都区文化局", BZ_NATURE_ORGAN, BZ_RANK_ZHENGKE, "621202", "2010-01-01"));
	long long events = tu_count(f.l, "event");
	bz_txn *t = tu_begin(f.l);
	ck_assert_bz(bz_txn_set_document(t, f.county_doc));
	ck_assert_bz(bz_unit_set_parent(t, a, b, "2005-01-01"));
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	const bz_violation *v = bz_report_get(bz_txn_report(t), 0);
	ck_assert_int_eq(bz_violation_rule(v), BZ_RULE_R7);
	ck_assert_str_eq(bz_violation_subject(v), b);
	ck_assert_str_eq(bz_violation_subject_name(v), "武都区文化局");
	ck_assert_str_eq(bz_violation_date(v), "2005-01-01");
	bz_txn_free(t);
	bz_unit_spec *s = NULL;
	ck_assert_bz(bz_unit_spec_new(&s));
	ck_assert_bz(bz_unit_spec_set_name(s, "武都区文物局"));
	ck_assert_bz(bz_unit_spec_set_nature(s, BZ_NATURE_ORGAN));
	ck_assert_bz(bz_unit_spec_set_jurisdiction(s, "621202"));
	ck_assert_bz(bz_unit_spec_set_founded(s, "2009-01-01"));
	t = tu_begin(f.l);
	ck_assert_bz(bz_txn_set_document(t, f.county_doc));
	ck_assert_bz(bz_unit_split(NULL, t, b, s));
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	v = bz_report_get(bz_txn_report(t), 0);
	ck_assert_int_eq(bz_violation_rule(v), BZ_RULE_R7);
	ck_assert_str_eq(bz_violation_subject(v), b);
	ck_assert_str_eq(bz_violation_date(v), "2009-01-01");
	bz_txn_free(t);
	bz_unit_spec_free(s);
	ck_assert_int_eq(tu_count(f.l, "event"), events);
	bz_ledger_close(f.l);
}
END_TEST

/* a name borne by many units over time: only the one bearing it at the date is found */
START_TEST(lookup_name_many_candidates)
{
	fx f;
	fx_setup(&f);
	char id[BZ_UUID_LEN + 1];
	for (int i = 0; i < 12; i++) {
		ck_assert_bz(fx_unit(&f, id, f.county_doc, "武都区临时办公室", BZ_NATURE_ORGAN, BZ_RANK_ZHENGKE, "621202", "2001-01-01"));
		if (i == 11)
			break;
		bz_txn *t = tu_begin(f.l);
		ck_assert_bz(bz_txn_set_document(t, f.county_doc));
		char name[64];
		snprintf(name, sizeof name, "武都区办公室%d", i);
		ck_assert_bz(bz_unit_rename(t, id, name, "2002-01-01"));
		ck_assert_bz(bz_txn_commit(t));
		bz_txn_free(t);
	}
	bz_unit *u = NULL;
	ck_assert_bz(bz_unit_lookup_name(&u, f.l, "621202", "武都区临时办公室", NULL));
	ck_assert_str_eq(bz_unit_uuid(u), id);
	bz_unit_free(u);
	ck_assert_int_eq(bz_unit_lookup_name(&u, f.l, "621202", "武都区临时办公室", "2001-06-01"), BZ_EEXISTS);
	ck_assert_int_eq(bz_unit_lookup_name(&u, f.l, "621202", "武都区临时办公室", "2000-06-01"), BZ_ENOTFOUND);
	bz_ledger_close(f.l);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("unit");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, establish_and_snapshot);
	tcase_add_test(tc, rename_and_lookup_by_name_at_dates);
	tcase_add_test(tc, list_units_of_jurisdiction);
	tcase_add_test(tc, merge_and_split);
	tcase_add_test(tc, r6_county_document_establishing_fuke_institution);
	tcase_add_test(tc, r6_business_document_is_never_a_basis);
	tcase_add_test(tc, r7_before_founding_and_after_abolition);
	tcase_add_test(tc, r7_retroactive_abolition);
	tcase_add_test(tc, r7_staff_in_post_after_abolition);
	tcase_add_test(tc, r10_credit_codes);
	tcase_add_test(tc, r10_credit_code_division_is_digits);
	tcase_add_test(tc, error_codes);
	tcase_add_test(tc, lookup_name_many_candidates);
	tcase_add_test(tc, authority_rules_are_data);
	tcase_add_test(tc, r7_parent_and_split_source);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
