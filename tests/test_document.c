/* test_document.c: document numbers (文号) and registering documents. */
#include "unit_fixture.h"

#include <stdlib.h>

START_TEST(parse_numbers)
{
	const char *spellings[] = {"陇编发〔2012〕31号", "陇编发[2012]31号", "陇编发（2012）31号",
				   "陇编发(2012)31号", "陇编发〔2012〕31", "陇编发【2012】031号"};
	for (size_t i = 0; i < sizeof spellings / sizeof *spellings; i++) {
		char *canon = NULL, *abbr = NULL;
		int year = 0, seq = 0;
		ck_assert_bz(bz_docnum_parse(&canon, &abbr, &year, &seq, spellings[i]));
		ck_assert_str_eq(canon, "陇编发〔2012〕31号");
		ck_assert_str_eq(abbr, "陇编发");
		ck_assert_int_eq(year, 2012);
		ck_assert_int_eq(seq, 31);
		bz_free(canon);
		bz_free(abbr);
	}
	ck_assert_bz(bz_docnum_parse(NULL, NULL, NULL, NULL, "甘编办发〔2003〕120号"));
	const char *bad[] = {"〔2012〕31号", "陇编发2012 31号", "陇编发〔12〕31号", "陇编发〔1948〕31号",
			     "陇编发〔3000〕1号", "陇编发〔2012〕号", "陇编发〔2012〕0号", "陇编发〔2012〕31号附件",
			     "陇编发〔2012]31号", "陇 编发〔2012〕31号", "", "\xff〔2012〕1号", "陇编发〔2012〕9999999号"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		char *canon = (char *)1;
		ck_assert_msg(bz_docnum_parse(&canon, NULL, NULL, NULL, bad[i]) == BZ_EINVAL, "accepted %s", bad[i]);
		ck_assert_ptr_null(canon);
	}
	ck_assert_int_eq(bz_docnum_parse(NULL, NULL, NULL, NULL, NULL), BZ_EINVAL);
}
END_TEST

START_TEST(register_find_lookup)
{
	bz_ledger *l = tu_ledger();
	bz_txn *t = tu_begin(l);
	bz_document *d = NULL;
	/* a document names the jurisdiction of its issuer, which the ledger knows (R6) */
	ck_assert_bz(bz_jurisdiction_create(NULL, t, "620000", "甘肃省", NULL));
	ck_assert_bz(bz_jurisdiction_create(NULL, t, "621200", "陇南市", "620000"));
	ck_assert_bz(bz_document_register(&d, t, "陇南市机构编制委员会", "陇编发[2012]31号",
					  "关于在全市推行机构编制工作规范化管理的意见", "2012-11-20",
					  BZ_LEVEL_CITY, BZ_ISSUER_ESTABLISHMENT, "621200"));
	ck_assert_str_eq(bz_document_number(d), "陇编发〔2012〕31号");
	ck_assert_str_eq(bz_document_issuer(d), "陇南市机构编制委员会");
	ck_assert_str_eq(bz_document_title(d), "关于在全市推行机构编制工作规范化管理的意见");
	ck_assert_str_eq(bz_document_date(d), "2012-11-20");
	ck_assert_int_eq(bz_document_level(d), BZ_LEVEL_CITY);
	ck_assert_int_eq(bz_document_kind(d), BZ_ISSUER_ESTABLISHMENT);
	ck_assert_str_eq(bz_document_jurisdiction(d), "621200");
	char id[BZ_UUID_LEN + 1];
	memcpy(id, bz_document_uuid(d), sizeof id);
	bz_document_free(d);
	/* the same number in another spelling is the same document */
	ck_assert_int_eq(bz_document_register(&d, t, "陇南市机构编制委员会", "陇编发（2012）31号", "x", "2012-11-20",
					      BZ_LEVEL_CITY, BZ_ISSUER_ESTABLISHMENT, NULL), BZ_EEXISTS);
	ck_assert_ptr_null(d);
	/* another issuer may use it */
	ck_assert_bz(bz_document_register(&d, t, "中央机构编制委员会", "陇编发〔2012〕31号", "x", "2012-11-20",
					  BZ_LEVEL_CENTRAL, BZ_ISSUER_ESTABLISHMENT, NULL));
	ck_assert_ptr_null(bz_document_jurisdiction(d));
	bz_document_free(d);
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);

	ck_assert_bz(bz_document_find(&d, l, "陇南市机构编制委员会", "陇编发(2012)31"));
	ck_assert_str_eq(bz_document_uuid(d), id);
	bz_document_free(d);
	ck_assert_bz(bz_document_lookup(&d, l, id));
	ck_assert_str_eq(bz_document_number(d), "陇编发〔2012〕31号");
	bz_document_free(d);
	ck_assert_int_eq(bz_document_find(&d, l, "陇南市机构编制委员会", "陇编发〔2012〕32号"), BZ_ENOTFOUND);
	ck_assert_int_eq(bz_document_find(&d, l, "陇南市机构编制委员会", "nonsense"), BZ_EINVAL);
	ck_assert_int_eq(bz_document_find(&d, l, "", "陇编发〔2012〕32号"), BZ_EINVAL);
	ck_assert_int_eq(bz_document_lookup(&d, l, "00000000-0000-4000-8000-000000000000"), BZ_ENOTFOUND);
	ck_assert_int_eq(bz_document_lookup(&d, l, "x"), BZ_EINVAL);
	ck_assert_int_eq(bz_document_lookup(NULL, l, id), BZ_EINVAL);
	ck_assert_int_eq(bz_document_lookup(&d, NULL, id), BZ_EINVAL);

	/* its change record cites itself */
	bz_change_iter *it = NULL;
	ck_assert_bz(bz_subject_changes(&it, l, id));
	bz_change *c = NULL;
	ck_assert_bz(bz_change_iter_next(&c, it));
	ck_assert_str_eq(bz_change_kind(c), "document.register");
	ck_assert_str_eq(bz_change_document(c), id);
	ck_assert_str_eq(bz_change_document_number(c), "陇编发〔2012〕31号");
	ck_assert_ptr_null(bz_change_unit(c));
	ck_assert_str_eq(bz_change_effective(c), "2012-11-20");
	bz_change_free(c);
	ck_assert_int_eq(bz_change_iter_next(&c, it), BZ_ITEROVER);
	bz_change_iter_free(it);
	bz_document_free(NULL);
	bz_ledger_close(l);
}
END_TEST

START_TEST(register_errors_leave_nothing)
{
	bz_ledger *l = tu_ledger();
	bz_txn *t = tu_begin(l);
	bz_document *d = NULL;
	ck_assert_int_eq(bz_document_register(NULL, t, "i", "陇编发〔2012〕31号", "t", "2012-01-01", 3, 1, NULL), BZ_EINVAL);
	ck_assert_int_eq(bz_document_register(&d, NULL, "i", "陇编发〔2012〕31号", "t", "2012-01-01", 3, 1, NULL), BZ_EINVAL);
	ck_assert_int_eq(bz_document_register(&d, t, NULL, "陇编发〔2012〕31号", "t", "2012-01-01", 3, 1, NULL), BZ_EINVAL);
	ck_assert_int_eq(bz_document_register(&d, t, "i", "31号", "t", "2012-01-01", 3, 1, NULL), BZ_EINVAL);
	ck_assert_int_eq(bz_document_register(&d, t, "i", "陇编发〔2012〕31号", "", "2012-01-01", 3, 1, NULL), BZ_EINVAL);
	ck_assert_int_eq(bz_document_register(&d, t, "i", "陇编发〔2012〕31号", "t", "2012-02-30", 3, 1, NULL), BZ_EINVAL);
	ck_assert_int_eq(bz_document_register(&d, t, "i", "陇编发〔2012〕31号", "t", "2012-01-01", 5, 1, NULL), BZ_EINVAL);
	ck_assert_int_eq(bz_document_register(&d, t, "i", "陇编发〔2012〕31号", "t", "2012-01-01", 3, 0, NULL), BZ_EINVAL);
	ck_assert_int_eq(bz_document_register(&d, t, "i", "陇编发〔2012〕31号", "t", "2012-01-01", 3, 1, "62120"), BZ_EINVAL);
	ck_assert_bz(bz_txn_commit(t));
	ck_assert_int_eq(bz_document_register(&d, t, "i", "陇编发〔2012〕31号", "t", "2012-01-01", 3, 1, NULL), BZ_EMISUSE);
	bz_txn_free(t);
	ck_assert_int_eq(tu_count(l, "document"), 0);
	ck_assert_int_eq(tu_count(l, "event"), 0);
	ck_assert_int_eq(tu_count(l, "fact"), 0);
	bz_ledger_close(l);
}
END_TEST

/* a business department's document may be registered, but is no basis (R6) */
START_TEST(business_document_registered_but_no_basis)
{
	fx f;
	fx_setup(&f);
	bz_document *d = NULL;
	ck_assert_bz(bz_document_lookup(&d, f.l, f.business_doc));
	ck_assert_int_eq(bz_document_kind(d), BZ_ISSUER_BUSINESS);
	bz_document_free(d);
	long long units = tu_count(f.l, "unit"), events = tu_count(f.l, "event");
	bz_unit_spec *s = NULL;
	ck_assert_bz(bz_unit_spec_new(&s));
	ck_assert_bz(bz_unit_spec_set_name(s, "陇南市教育技术装备中心"));
	ck_assert_bz(bz_unit_spec_set_nature(s, BZ_NATURE_INSTITUTION));
	ck_assert_bz(bz_unit_spec_set_jurisdiction(s, "621200"));
	ck_assert_bz(bz_unit_spec_set_founded(s, "2013-02-01"));
	bz_txn *t = tu_begin(f.l);
	ck_assert_bz(bz_txn_set_document(t, f.business_doc));
	bz_unit *u = NULL;
	ck_assert_bz(bz_unit_establish(&u, t, s));
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	const bz_report *r = bz_txn_report(t);
	ck_assert_uint_eq(bz_report_count(r), 1);
	const bz_violation *v = bz_report_get(r, 0);
	ck_assert_int_eq(bz_violation_rule(v), BZ_RULE_R6);
	ck_assert_int_eq(bz_violation_severity(v), BZ_SEVERITY_ERROR);
	ck_assert_str_eq(bz_violation_subject(v), bz_unit_uuid(u));
	ck_assert_str_eq(bz_violation_subject_name(v), "陇南市教育技术装备中心");
	ck_assert_ptr_null(bz_violation_category(v));
	ck_assert_int_eq(bz_violation_allowed(v), BZ_ISSUER_GOVERNMENT);
	ck_assert_int_eq(bz_violation_actual(v), BZ_ISSUER_BUSINESS);
	ck_assert_str_eq(bz_violation_document(v), f.business_doc);
	ck_assert_str_eq(bz_violation_document_number(v), "陇教发〔2013〕7号");
	ck_assert_str_eq(bz_violation_date(v), "2013-02-01");
	bz_unit_free(u);
	bz_txn_free(t);
	bz_unit_spec_free(s);
	ck_assert_int_eq(tu_count(f.l, "unit"), units);
	ck_assert_int_eq(tu_count(f.l, "event"), events);
	bz_ledger_close(f.l);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("document");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, parse_numbers);
	tcase_add_test(tc, register_find_lookup);
	tcase_add_test(tc, register_errors_leave_nothing);
	tcase_add_test(tc, business_document_registered_but_no_basis);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
