/* test_person.c: resident ID numbers (GB 11643), registration, attributes, R10. */
#include "staff_fixture.h"

static fx F;
static void setup(void) { fx_setup(&F); }
static void teardown(void) { bz_ledger_close(F.l); }

START_TEST(idnum_validation)
{
	/* the standard's own example, and a well-known real-format one */
	ck_assert_int_eq(bz_idnum_valid("11010519491231002X"), BZ_OK);
	ck_assert_int_eq(bz_idnum_valid("11010519491231002x"), BZ_OK);
	/* a birth before 1900, in the future, or region 000000 is no valid number (issue 15) */
	ck_assert_int_eq(bz_idnum_valid("440524188001010014"), BZ_EINVAL);
	char bad[19];
	sf_idnum(bad, "621202", "20990101", 1);
	ck_assert_int_eq(bz_idnum_valid(bad), BZ_EINVAL);
	sf_idnum(bad, "000000", "19850615", 1);
	ck_assert_int_eq(bz_idnum_valid(bad), BZ_EINVAL);
	char id[19];
	sf_idnum(id, "621202", "19850615", 123);
	ck_assert_int_eq(bz_idnum_valid(id), BZ_OK);
	/* wrong check character */
	id[17] = id[17] == '0' ? '1' : '0';
	ck_assert_int_eq(bz_idnum_valid(id), BZ_EINVAL);
	ck_assert_int_eq(bz_idnum_valid("110105194912310021"), BZ_EINVAL);
	/* impossible date: 1990-02-30 (check character computed, still refused) */
	sf_idnum(id, "621202", "19900230", 11);
	ck_assert_int_eq(bz_idnum_valid(id), BZ_EINVAL);
	/* length, non-digits */
	ck_assert_int_eq(bz_idnum_valid("11010519491231002"), BZ_EINVAL);
	ck_assert_int_eq(bz_idnum_valid("11010519491231002XX"), BZ_EINVAL);
	ck_assert_int_eq(bz_idnum_valid("1101051949123100AX"), BZ_EINVAL);
	ck_assert_int_eq(bz_idnum_valid("X10105194912310021"), BZ_EINVAL);
	ck_assert_int_eq(bz_idnum_valid(""), BZ_EINVAL);
	ck_assert_int_eq(bz_idnum_valid(NULL), BZ_EINVAL);
}
END_TEST

START_TEST(idnum_normalize)
{
	char *out = NULL;
	ck_assert_bz(bz_idnum_normalize(&out, "11010519491231002x"));
	ck_assert_str_eq(out, "11010519491231002X");
	bz_free(out);
	/* legacy 15-digit: 110105 491231 002 -> 110105 19491231 002 + check */
	ck_assert_bz(bz_idnum_normalize(&out, "110105491231002"));
	ck_assert_str_eq(out, "11010519491231002X");
	bz_free(out);
	ck_assert_int_eq(bz_idnum_normalize(&out, "110105491331002"), BZ_EINVAL); /* month 13 */
	ck_assert_ptr_null(out);
	ck_assert_int_eq(bz_idnum_normalize(NULL, "11010519491231002X"), BZ_EINVAL);
	/* 15 digits are not valid as such: only after normalising */
	ck_assert_int_eq(bz_idnum_valid("110105491231002"), BZ_EINVAL);
}
END_TEST

START_TEST(register_and_lookup)
{
	bz_txn *t = tu_begin(F.l);
	bz_person *p = NULL;
	ck_assert_bz(bz_person_register(&p, t, "11010519491231002x", "张三", 0, NULL));
	ck_assert_str_eq(bz_person_id_number(p), "11010519491231002X");
	ck_assert_str_eq(bz_person_name(p), "张三");
	ck_assert_int_eq(bz_person_sex(p), BZ_SEX_FEMALE); /* sequence 002: even */
	ck_assert_str_eq(bz_person_birth(p), "1949-12-31");
	ck_assert_ptr_null(bz_person_card(p));
	char uuid[37];
	memcpy(uuid, bz_person_uuid(p), 37);
	bz_person_free(p);
	ck_assert_bz(bz_person_set_attr(t, uuid, "民族", "汉族", "2000-01-01"));
	ck_assert_bz(bz_person_set_attr(t, uuid, "学历", "大学", "2000-01-01"));
	ck_assert_bz(bz_person_set_attr(t, uuid, "学历", "研究生", "2010-01-01"));
	ck_assert_bz(bz_person_set_attr(t, uuid, "职称", "工程师", "2005-01-01"));
	ck_assert_bz(bz_person_set_attr(t, uuid, "职称", NULL, "2011-01-01")); /* cleared */
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);

	/* the person's change records (by effective date: the attributes dated back come first):
	 * the registration shows the row's name and ID number, written once, in the person row */
	bz_change_iter *ci = NULL;
	bz_change *ch = NULL;
	int sets = 0, registrations = 0;
	ck_assert_bz(bz_subject_changes(&ci, F.l, uuid));
	while (bz_change_iter_next(&ch, ci) == BZ_OK) {
		if (strcmp(bz_change_kind(ch), "person.register") == 0) {
			registrations++;
			ck_assert_uint_eq(bz_change_attr_count(ch), 2);
			ck_assert_str_eq(bz_change_attr_name(ch, 0), "name");
			ck_assert_str_eq(bz_change_attr_after(ch, 0), "张三");
			ck_assert_ptr_null(bz_change_attr_before(ch, 0));
			ck_assert_str_eq(bz_change_attr_name(ch, 1), "id_number");
			ck_assert_str_eq(bz_change_attr_after(ch, 1), "11010519491231002X");
		} else {
			ck_assert_str_eq(bz_change_kind(ch), "person.attr");
			ck_assert_uint_eq(bz_change_attr_count(ch), 1);
			sets++;
		}
		bz_change_free(ch);
	}
	bz_change_iter_free(ci);
	ck_assert_int_eq(registrations, 1);
	ck_assert_int_eq(sets, 5);

	ck_assert_bz(bz_person_lookup_idnum(&p, F.l, "110105491231002")); /* legacy spelling finds it */
	ck_assert_str_eq(bz_person_uuid(p), uuid);
	ck_assert_uint_eq(bz_person_attr_count(p), 2);
	ck_assert_str_eq(bz_person_attr(p, "学历"), "研究生");
	ck_assert_str_eq(bz_person_attr(p, "民族"), "汉族");
	ck_assert_ptr_null(bz_person_attr(p, "职称"));
	ck_assert_ptr_null(bz_person_attr_key(p, 2));
	/* keys in order, each with its value */
	ck_assert_str_eq(bz_person_attr_value(p, 0), bz_person_attr(p, bz_person_attr_key(p, 0)));
	ck_assert_str_eq(bz_person_attr_value(p, 1), bz_person_attr(p, bz_person_attr_key(p, 1)));
	ck_assert_ptr_null(bz_person_attr_value(p, 2));
	bz_person_free(p);
	ck_assert_int_eq(bz_person_lookup(&p, F.l, "00000000-0000-4000-8000-000000000000"), BZ_ENOTFOUND);
	ck_assert_ptr_null(p);
	ck_assert_int_eq(bz_person_lookup_card(&p, F.l, "nope"), BZ_ENOTFOUND);
	ck_assert_int_eq(bz_person_lookup_idnum(&p, F.l, "123"), BZ_EINVAL);
}
END_TEST

START_TEST(register_errors)
{
	bz_txn *t = tu_begin(F.l);
	ck_assert_int_eq(bz_person_register(NULL, t, "11010519491231002Y", "李四", 0, NULL), BZ_EINVAL);
	ck_assert_ptr_nonnull(strstr(bz_ledger_errmsg(F.l), "ID number"));
	ck_assert_int_eq(bz_person_register(NULL, t, "110105194912310021", "李四", 0, NULL), BZ_EINVAL);
	ck_assert_ptr_nonnull(strstr(bz_ledger_errmsg(F.l), "check character"));
	ck_assert_int_eq(bz_person_register(NULL, t, NULL, "李四", 0, NULL), BZ_EINVAL);
	ck_assert_int_eq(bz_person_register(NULL, t, "11010519491231002X", "", 0, NULL), BZ_EINVAL);
	ck_assert_int_eq(bz_person_register(NULL, t, "11010519491231002X", "\xff", 0, NULL), BZ_EINVAL);
	ck_assert_int_eq(bz_person_register(NULL, t, "11010519491231002X", "李四", 7, NULL), BZ_EINVAL);
	ck_assert_int_eq(bz_person_register(NULL, t, "11010519491231002X", "李四", 0, "1949-02-30"), BZ_EINVAL);
	ck_assert_int_eq(bz_person_register(NULL, NULL, "11010519491231002X", "李四", 0, NULL), BZ_EINVAL);
	ck_assert_bz(bz_person_register(NULL, t, "11010519491231002X", "李四", 0, NULL));
	ck_assert_int_eq(bz_person_register(NULL, t, "11010519491231002x", "王五", 0, NULL), BZ_EEXISTS);
	ck_assert_int_eq(bz_person_set_attr(t, "00000000-0000-4000-8000-000000000000", "k", "v", NULL), BZ_ENOTFOUND);
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	ck_assert_int_eq(tu_count(F.l, "person"), 1);
}
END_TEST

START_TEST(r10_sex_and_birth_must_agree)
{
	long long before = tu_count(F.l, "event");
	bz_txn *t = tu_begin(F.l);
	/* 002: female; the caller says male and a different birth date */
	ck_assert_bz(bz_person_register(NULL, t, "11010519491231002X", "赵六", BZ_SEX_MALE, "1950-01-01"));
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	const bz_report *r = bz_txn_report(t);
	ck_assert_uint_eq(bz_report_errors(r), 2);
	const bz_violation *v = bz_report_get(r, 0);
	ck_assert_int_eq(bz_violation_rule(v), BZ_RULE_R10);
	ck_assert_int_eq(bz_violation_severity(v), BZ_SEVERITY_ERROR);
	ck_assert_str_eq(bz_violation_subject_name(v), "赵六");
	ck_assert_str_eq(bz_violation_category(v), "sex");
	ck_assert_int_eq(bz_violation_allowed(v), BZ_SEX_FEMALE);
	ck_assert_int_eq(bz_violation_actual(v), BZ_SEX_MALE);
	ck_assert_str_eq(bz_violation_date(v), "2026-12-01");
	ck_assert_ptr_null(bz_violation_document(v));
	v = bz_report_get(r, 1);
	ck_assert_int_eq(bz_violation_rule(v), BZ_RULE_R10);
	ck_assert_str_eq(bz_violation_category(v), "birth");
	ck_assert_str_eq(bz_violation_date(v), "1950-01-01");
	bz_txn_free(t);
	ck_assert_int_eq(tu_count(F.l, "person"), 0);
	ck_assert_int_eq(tu_count(F.l, "event"), before);
}
END_TEST

/*
 * R10: a number in form (check character right, computed by sf_idnum per
 * GB 11643) is still no valid ID number when its birth date is after the
 * registration date (the ledger's clock) or before 1900, or its region is
 * 000000. The call takes it; the commit refuses it with the R10 record
 * and writes nothing.
 */
static void r10_refused(const char *region, const char *birth8, int seq, const char *name, const char *date,
			const char *why)
{
	char id[19], uuid[BZ_UUID_LEN + 1];
	sf_idnum(id, region, birth8, seq);
	long long persons = tu_count(F.l, "person"), events = tu_count(F.l, "event");
	bz_txn *t = tu_begin(F.l);
	bz_person *p = NULL;
	ck_assert_bz(bz_person_register(&p, t, id, name, 0, NULL));
	memcpy(uuid, bz_person_uuid(p), sizeof uuid);
	bz_person_free(p);
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	const bz_report *r = bz_txn_report(t);
	ck_assert_uint_eq(bz_report_count(r), 1);
	const bz_violation *v = bz_report_get(r, 0);
	ck_assert_int_eq(bz_violation_rule(v), BZ_RULE_R10);
	ck_assert_str_eq(bz_violation_rule_id(v), "R10");
	ck_assert_int_eq(bz_violation_severity(v), BZ_SEVERITY_ERROR);
	ck_assert_str_eq(bz_violation_subject(v), uuid);
	ck_assert_str_eq(bz_violation_subject_name(v), name);
	ck_assert_str_eq(bz_violation_category(v), "id_number");
	ck_assert_int_eq(bz_violation_allowed(v), -1);
	ck_assert_int_eq(bz_violation_actual(v), -1);
	ck_assert_str_eq(bz_violation_date(v), date);
	ck_assert_ptr_null(bz_violation_document(v));
	ck_assert_ptr_nonnull(strstr(bz_violation_message(v), id));
	ck_assert_msg(strstr(bz_violation_message(v), why) != NULL, "%s", bz_violation_message(v));
	bz_txn_free(t);
	ck_assert_int_eq(tu_count(F.l, "person"), persons);
	ck_assert_int_eq(tu_count(F.l, "event"), events);
	ck_assert_int_eq(bz_person_lookup_idnum(&p, F.l, id) == BZ_OK, 0);
}

/* the positive control: the same kind of number, in range, commits */
static void r10_registers(const char *region, const char *birth8, int seq, const char *name, const char *birth)
{
	char id[19];
	sf_idnum(id, region, birth8, seq);
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_person_register(NULL, t, id, name, 0, NULL));
	ck_assert_bz(bz_txn_commit(t));
	ck_assert_uint_eq(bz_report_count(bz_txn_report(t)), 0);
	bz_txn_free(t);
	bz_person *p = NULL;
	ck_assert_bz(bz_person_lookup_idnum(&p, F.l, id));
	ck_assert_str_eq(bz_person_id_number(p), id);
	ck_assert_str_eq(bz_person_name(p), name);
	ck_assert_str_eq(bz_person_birth(p), birth);
	bz_person_free(p);
}

START_TEST(r10_birth_after_registration_refused)
{
	/* the ledger's clock is 2026-12-01: born the next day is no number yet */
	r10_refused("621202", "20261202", 15, "刘洋", "2026-12-01", "after the registration date");
	r10_registers("621202", "20261201", 15, "刘洋", "2026-12-01"); /* born on the day itself */
	/* the frame is the ledger's clock, not the machine's: set back to 2000 */
	ck_assert_bz(bz_ledger_set_clock(F.l, "2000-01-01"));
	r10_refused("621202", "20000102", 17, "陈晨", "2000-01-01", "after the registration date");
	r10_registers("621202", "19991231", 17, "陈晨", "1999-12-31");
	ck_assert_int_eq(tu_count(F.l, "person"), 2);
}
END_TEST

START_TEST(r10_birth_before_1900_refused)
{
	r10_refused("621202", "18991231", 21, "杨老", "2026-12-01", "before 1900-01-01");
	r10_registers("621202", "19000101", 21, "杨老", "1900-01-01");
}
END_TEST

START_TEST(r10_region_000000_refused)
{
	r10_refused("000000", "19850615", 31, "黄磊", "2026-12-01", "region 000000");
	r10_registers("621202", "19850615", 31, "黄磊", "1985-06-15");
	/* a legacy 15-digit number of region 000000 is refused the same way */
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_person_register(NULL, t, "000000850615033", "周平", 0, NULL));
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	ck_assert_int_eq(bz_violation_rule(bz_report_get(bz_txn_report(t), 0)), BZ_RULE_R10);
	ck_assert_str_eq(bz_violation_category(bz_report_get(bz_txn_report(t), 0)), "id_number");
	bz_txn_free(t);
	ck_assert_int_eq(tu_count(F.l, "person"), 1);
}
END_TEST

START_TEST(form_refused_at_the_call)
{
	/* what is not a number in form never reaches the commit: a wrong check
	 * character is refused at the call even when the birth date is also wrong */
	char id[19];
	sf_idnum(id, "621202", "20990101", 41);
	id[17] = id[17] == '0' ? '1' : '0';
	bz_txn *t = tu_begin(F.l);
	ck_assert_int_eq(bz_person_register(NULL, t, id, "吴某", 0, NULL), BZ_EINVAL);
	ck_assert_ptr_nonnull(strstr(bz_ledger_errmsg(F.l), "check character"));
	sf_idnum(id, "621202", "19900230", 41); /* 1990-02-30 */
	ck_assert_int_eq(bz_person_register(NULL, t, id, "吴某", 0, NULL), BZ_EINVAL);
	ck_assert_ptr_nonnull(strstr(bz_ledger_errmsg(F.l), "not a real date"));
	bz_txn_free(t);
	ck_assert_int_eq(tu_count(F.l, "person"), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("person");
	TCase *tc = tcase_create("person");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, idnum_validation);
	tcase_add_test(tc, idnum_normalize);
	tcase_add_test(tc, register_and_lookup);
	tcase_add_test(tc, register_errors);
	tcase_add_test(tc, r10_sex_and_birth_must_agree);
	tcase_add_test(tc, r10_birth_after_registration_refused);
	tcase_add_test(tc, r10_birth_before_1900_refused);
	tcase_add_test(tc, r10_region_000000_refused);
	tcase_add_test(tc, form_refused_at_the_call);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
