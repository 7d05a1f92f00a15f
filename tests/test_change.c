/* test_change.c: change records (Table 2) of a unit. */
#include "unit_fixture.h"

START_TEST(table2_in_date_order_with_facts)
{
	fx f;
	fx_setup(&f);
	char id[BZ_UUID_LEN + 1];
	ck_assert_bz(fx_unit(&f, id, f.city_doc, "陇南市机构编制委员会办公室", BZ_NATURE_ORGAN, BZ_RANK_ZHENGCHU, "621200", "2004-01-01"));
	bz_txn *t = NULL;
	ck_assert_bz(bz_txn_begin(&t, f.l, "张三", "陇南市编办"));
	ck_assert_bz(bz_txn_set_document(t, f.city_doc));
	/* recorded in the other order than effective */
	ck_assert_bz(bz_unit_set_duties(t, id, "机构编制管理", "2015-01-01"));
	ck_assert_bz(bz_unit_rename(t, id, "中共陇南市委机构编制委员会办公室", "2010-01-01"));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);

	bz_change_iter *it = NULL;
	ck_assert_bz(bz_unit_changes(&it, f.l, id));
	bz_change *c = NULL;
	ck_assert_bz(bz_change_iter_next(&c, it));
	ck_assert_str_eq(bz_change_kind(c), "unit.establish");
	ck_assert_str_eq(bz_change_effective(c), "2004-01-01");
	ck_assert_str_eq(bz_change_recorded_by(c), "tester");
	ck_assert_str_eq(bz_change_office(c), "测试编办");
	ck_assert_str_eq(bz_change_subject(c), id);
	ck_assert_str_eq(bz_change_unit(c), id);
	ck_assert_uint_ge(bz_change_attr_count(c), 7);
	ck_assert_str_eq(bz_change_attr_name(c, 0), "name");
	ck_assert_ptr_null(bz_change_attr_before(c, 0));
	ck_assert_str_eq(bz_change_attr_after(c, 0), "陇南市机构编制委员会办公室");
	int64_t seq1 = bz_change_seq(c);
	bz_change_free(c);

	ck_assert_bz(bz_change_iter_next(&c, it));
	ck_assert_str_eq(bz_change_kind(c), "unit.rename");
	ck_assert_str_eq(bz_change_effective(c), "2010-01-01");
	ck_assert_str_eq(bz_change_document(c), f.city_doc);
	ck_assert_str_eq(bz_change_document_number(c), "陇编发〔2012〕31号");
	ck_assert_str_eq(bz_change_recorded_by(c), "张三");
	ck_assert_str_eq(bz_change_office(c), "陇南市编办");
	ck_assert_int_eq(strlen(bz_change_recorded_at(c)), 19);
	ck_assert_int_eq(strncmp(bz_change_recorded_at(c), "2026-12-01T", 11), 0);
	ck_assert_uint_eq(bz_change_attr_count(c), 1);
	ck_assert_str_eq(bz_change_attr_name(c, 0), "name");
	ck_assert_str_eq(bz_change_attr_before(c, 0), "陇南市机构编制委员会办公室");
	ck_assert_str_eq(bz_change_attr_after(c, 0), "中共陇南市委机构编制委员会办公室");
	ck_assert_ptr_null(bz_change_attr_name(c, 1));
	ck_assert_ptr_null(bz_change_note(c));
	int64_t seq2 = bz_change_seq(c);
	bz_change_free(c);

	ck_assert_bz(bz_change_iter_next(&c, it));
	ck_assert_str_eq(bz_change_kind(c), "unit.duties");
	ck_assert_str_eq(bz_change_effective(c), "2015-01-01");
	/* recorded before the rename though effective after it */
	ck_assert_int_lt(bz_change_seq(c), seq2);
	ck_assert_int_gt(bz_change_seq(c), seq1);
	bz_change_free(c);
	ck_assert_int_eq(bz_change_iter_next(&c, it), BZ_ITEROVER);
	ck_assert_int_eq(bz_change_iter_next(&c, it), BZ_ITEROVER);
	bz_change_iter_free(it);

	ck_assert_int_eq(bz_unit_changes(&it, f.l, "00000000-0000-4000-8000-000000000000"), BZ_ENOTFOUND);
	ck_assert_int_eq(bz_unit_changes(&it, f.l, "x"), BZ_EINVAL);
	ck_assert_int_eq(bz_unit_changes(NULL, f.l, id), BZ_EINVAL);
	ck_assert_int_eq(bz_subject_changes(&it, f.l, ""), BZ_EINVAL);
	ck_assert_int_eq(bz_change_iter_next(NULL, NULL), BZ_EINVAL);
	ck_assert_uint_eq(bz_change_attr_count(NULL), 0);
	bz_change_free(NULL);
	bz_change_iter_free(NULL);
	bz_ledger_close(f.l);
}
END_TEST

/* records are append-only: the schema refuses to rewrite them */
START_TEST(records_append_only)
{
	fx f;
	fx_setup(&f);
	ck_assert_int_ne(tu_exec(f.l, "UPDATE event SET kind='x'"), SQLITE_OK);
	ck_assert_int_ne(tu_exec(f.l, "DELETE FROM fact"), SQLITE_OK);
	bz_ledger_close(f.l);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("change");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, table2_in_date_order_with_facts);
	tcase_add_test(tc, records_append_only);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
