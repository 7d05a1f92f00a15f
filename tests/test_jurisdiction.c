/* test_jurisdiction.c: the tree of division codes. */
#include "testutil.h"
#include "internal.h"

#include <string.h>

START_TEST(tree)
{
	bz_ledger *l = tu_ledger();
	bz_txn *t = tu_begin(l);
	bz_jurisdiction *j = NULL;
	ck_assert_bz(bz_jurisdiction_create(&j, t, "620000", "甘肃省", NULL));
	ck_assert_int_eq(bz_jurisdiction_level(j), BZ_LEVEL_PROVINCE);
	ck_assert_ptr_null(bz_jurisdiction_parent(j));
	bz_jurisdiction_free(j);
	ck_assert_bz(bz_jurisdiction_create(&j, t, "621200", "陇南市", "620000"));
	ck_assert_int_eq(bz_jurisdiction_level(j), BZ_LEVEL_CITY);
	ck_assert_str_eq(bz_jurisdiction_parent(j), "620000");
	bz_jurisdiction_free(j);
	const char *codes[] = {"621228", "621202", "621221"};
	for (int i = 0; i < 3; i++)
		ck_assert_bz(bz_jurisdiction_create(NULL, t, codes[i], "县", "621200"));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);

	ck_assert_bz(bz_jurisdiction_lookup(&j, l, "621202"));
	ck_assert_str_eq(bz_jurisdiction_code(j), "621202");
	ck_assert_str_eq(bz_jurisdiction_name(j), "县");
	ck_assert_int_eq(bz_jurisdiction_level(j), BZ_LEVEL_COUNTY);
	ck_assert_str_eq(bz_jurisdiction_parent(j), "621200");
	ck_assert(bz_uuid_ok(bz_jurisdiction_uuid(j)));
	bz_jurisdiction_free(j);

	bz_jurisdiction_iter *it = NULL;
	ck_assert_bz(bz_jurisdiction_children(&it, l, "621200"));
	const char *order[] = {"621202", "621221", "621228"};
	for (int i = 0; i < 3; i++) {
		ck_assert_bz(bz_jurisdiction_iter_next(&j, it));
		ck_assert_str_eq(bz_jurisdiction_code(j), order[i]);
		bz_jurisdiction_free(j);
	}
	ck_assert_int_eq(bz_jurisdiction_iter_next(&j, it), BZ_ITEROVER);
	bz_jurisdiction_iter_free(it);
	ck_assert_bz(bz_jurisdiction_children(&it, l, NULL));
	ck_assert_bz(bz_jurisdiction_iter_next(&j, it));
	ck_assert_str_eq(bz_jurisdiction_code(j), "620000");
	bz_jurisdiction_free(j);
	ck_assert_int_eq(bz_jurisdiction_iter_next(&j, it), BZ_ITEROVER);
	bz_jurisdiction_iter_free(it);
	ck_assert_bz(bz_jurisdiction_children(&it, l, "621202"));
	ck_assert_int_eq(bz_jurisdiction_iter_next(&j, it), BZ_ITEROVER);
	bz_jurisdiction_iter_free(it);
	ck_assert_int_eq(bz_jurisdiction_children(&it, l, "629900"), BZ_ENOTFOUND);
	ck_assert_int_eq(bz_jurisdiction_children(&it, l, "62"), BZ_EINVAL);
	ck_assert_int_eq(tu_count(l, "jurisdiction"), 5);
	ck_assert_int_eq(tu_count(l, "event"), 5);
	bz_ledger_close(l);
}
END_TEST

START_TEST(bad_codes_and_parents)
{
	bz_ledger *l = tu_ledger();
	bz_txn *t = tu_begin(l);
	ck_assert_bz(bz_jurisdiction_create(NULL, t, "620000", "甘肃省", NULL));
	ck_assert_bz(bz_jurisdiction_create(NULL, t, "621200", "陇南市", "620000"));
	ck_assert_int_eq(bz_jurisdiction_create(NULL, t, "620000", "again", NULL), BZ_EEXISTS);
	struct { const char *code, *parent; } bad[] = {
		{"62120", "620000"}, {"62120a", "620000"}, {"000000", NULL}, {"620002", "620000"},
		{"621202", "620000"}, {"621202", NULL}, {"630100", "620000"}, {"621300", "621200"},
		{"610000", "620000"}, {"622901", "621200"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		ck_assert_msg(bz_jurisdiction_create(NULL, t, bad[i].code, "x", bad[i].parent) == BZ_EINVAL,
			      "accepted %s under %s", bad[i].code, bad[i].parent ? bad[i].parent : "-");
	ck_assert_int_eq(bz_jurisdiction_create(NULL, t, "621202", "", "621200"), BZ_EINVAL);
	ck_assert_int_eq(bz_jurisdiction_create(NULL, NULL, "621202", "x", "621200"), BZ_EINVAL);
	/* parent well-formed but absent */
	ck_assert_int_eq(bz_jurisdiction_create(NULL, t, "622901", "临夏市", "622900"), BZ_ENOTFOUND);
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	ck_assert_int_eq(tu_count(l, "jurisdiction"), 2);
	ck_assert_int_eq(tu_count(l, "event"), 2);
	bz_jurisdiction *j = NULL;
	ck_assert_int_eq(bz_jurisdiction_lookup(&j, l, "621202"), BZ_ENOTFOUND);
	ck_assert_int_eq(bz_jurisdiction_lookup(&j, l, "6212"), BZ_EINVAL);
	ck_assert_int_eq(bz_jurisdiction_lookup(NULL, l, "621200"), BZ_EINVAL);
	bz_jurisdiction_free(NULL);
	bz_ledger_close(l);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("jurisdiction");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, tree);
	tcase_add_test(tc, bad_codes_and_parents);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
