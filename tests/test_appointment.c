/* test_appointment.c: leadership appointments and R2 (leaders in post <= quota). */
#include "staff_fixture.h"

static fx F;
static char organ[BZ_UUID_LEN + 1], a[BZ_UUID_LEN + 1], b[BZ_UUID_LEN + 1], c[BZ_UUID_LEN + 1];

static void setup(void)
{
	fx_setup(&F);
	ck_assert_int_eq(fx_unit(&F, organ, F.county_doc, "武都区教育局", BZ_NATURE_ORGAN, BZ_RANK_ZHENGKE, "621202", "2010-01-01"), BZ_OK);
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_leadership_set(t, organ, 1, 2, BZ_RANK_ZHENGKE, "2010-01-01"));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	sf_person(&F, a, "局长甲", "19700101", 11);
	sf_person(&F, b, "局长乙", "19710101", 13);
	sf_person(&F, c, "副局长丙", "19720101", 15);
}

static void teardown(void) { bz_ledger_close(F.l); }

static int appoint(const char *person, int post, const char *date, char out[BZ_UUID_LEN + 1])
{
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	bz_appointment *ap = NULL;
	ck_assert_bz(bz_appointment_make(&ap, t, person, organ, post, date));
	if (out)
		memcpy(out, bz_appointment_uuid(ap), BZ_UUID_LEN + 1);
	bz_appointment_free(ap);
	int rc = bz_txn_commit(t);
	bz_txn_free(t);
	return rc;
}

START_TEST(r2_second_principal_refused)
{
	char first[37];
	ck_assert_int_eq(appoint(a, BZ_POST_PRINCIPAL, "2015-01-01", first), BZ_OK);
	ck_assert_int_eq(appoint(c, BZ_POST_DEPUTY, "2015-01-01", NULL), BZ_OK);
	long long n = tu_count(F.l, "appointment"), tl = tu_count(F.l, "tl");
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_appointment_make(NULL, t, b, organ, BZ_POST_PRINCIPAL, "2016-01-01"));
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	const bz_violation *v = fx_find(bz_txn_report(t), BZ_RULE_R2, BZ_SEVERITY_ERROR);
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(bz_violation_subject(v), organ);
	ck_assert_str_eq(bz_violation_subject_name(v), "武都区教育局");
	ck_assert_str_eq(bz_violation_category(v), "principal");
	ck_assert_int_eq(bz_violation_allowed(v), 1);
	ck_assert_int_eq(bz_violation_actual(v), 2);
	ck_assert_str_eq(bz_violation_date(v), "2016-01-01");
	ck_assert_str_eq(bz_violation_document_number(v), "武编发〔2013〕5号");
	bz_txn_free(t);
	ck_assert_int_eq(tu_count(F.l, "appointment"), n);
	ck_assert_int_eq(tu_count(F.l, "tl"), tl);

	/* the first leaves; the second may then be appointed */
	t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_appointment_end(t, first, "2016-01-01"));
	ck_assert_int_eq(bz_appointment_end(t, first, "2016-02-01"), BZ_EINVAL);
	ck_assert_bz(bz_appointment_make(NULL, t, b, organ, BZ_POST_PRINCIPAL, "2016-01-01"));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);

	bz_leadership *q = NULL;
	ck_assert_bz(bz_leadership_get(&q, F.l, organ, "2016-06-01"));
	ck_assert_int_eq(bz_leadership_principals(q), 1);
	ck_assert_int_eq(bz_leadership_deputies(q), 1);
	bz_leadership_free(q);
	bz_appointment_iter *it = NULL;
	ck_assert_bz(bz_appointment_list(&it, F.l, organ, "2016-06-01"));
	bz_appointment *ap;
	ck_assert_int_eq(bz_appointment_iter_next(&ap, it), BZ_OK);
	ck_assert_str_eq(bz_appointment_person(ap), b);
	ck_assert_str_eq(bz_appointment_subject(ap), organ);
	ck_assert_str_eq(bz_appointment_start(ap), "2016-01-01");
	ck_assert_ptr_null(bz_appointment_end_date(ap));
	ck_assert_int_eq(bz_appointment_post(ap), BZ_POST_PRINCIPAL);
	bz_appointment_free(ap);
	ck_assert_int_eq(bz_appointment_iter_next(&ap, it), BZ_OK);
	ck_assert_int_eq(bz_appointment_post(ap), BZ_POST_DEPUTY);
	bz_appointment_free(ap);
	ck_assert_int_eq(bz_appointment_iter_next(&ap, it), BZ_ITEROVER);
	bz_appointment_iter_free(it);
	/* the first principal's appointment, ended, is gone from the list but kept with its end */
	ck_assert_bz(bz_appointment_list(&it, F.l, organ, "2015-06-01"));
	ck_assert_int_eq(bz_appointment_iter_next(&ap, it), BZ_OK);
	ck_assert_str_eq(bz_appointment_uuid(ap), first);
	ck_assert_str_eq(bz_appointment_end_date(ap), "2016-01-01");
	bz_appointment_free(ap);
	bz_appointment_free(NULL);
	while (bz_appointment_iter_next(&ap, it) == BZ_OK)
		bz_appointment_free(ap);
	bz_appointment_iter_free(it);
}
END_TEST

/* 高配: a leader ranked above the post needs a document that says so */
START_TEST(r2_high_rank_needs_a_document)
{
	/* the 局's principal post is 正科, a deputy post 副科 */
	long long n = tu_count(F.l, "appointment"), facts = tu_count(F.l, "fact");
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	bz_appointment *ap = NULL;
	ck_assert_bz(bz_appointment_make_ranked(&ap, t, c, organ, BZ_POST_DEPUTY, BZ_RANK_ZHENGKE, "2015-01-01"));
	ck_assert_int_eq(bz_appointment_rank(ap), BZ_RANK_ZHENGKE);
	bz_appointment_free(ap);
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	const bz_violation *v = fx_find(bz_txn_report(t), BZ_RULE_R2, BZ_SEVERITY_ERROR);
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(bz_violation_subject(v), c);
	ck_assert_str_eq(bz_violation_subject_name(v), "副局长丙");
	ck_assert_str_eq(bz_violation_category(v), "high-rank");
	ck_assert_int_eq(bz_violation_allowed(v), BZ_RANK_FUKE);
	ck_assert_int_eq(bz_violation_actual(v), BZ_RANK_ZHENGKE);
	ck_assert_str_eq(bz_violation_date(v), "2015-01-01");
	ck_assert_str_eq(bz_violation_document_number(v), "武编发〔2013〕5号");
	ck_assert_ptr_null(bz_violation_excepted_by(v));
	bz_txn_free(t);
	ck_assert_int_eq(tu_count(F.l, "appointment"), n);
	ck_assert_int_eq(tu_count(F.l, "fact"), facts);

	/* a rank at the post's level, or none stated, is no 高配 */
	t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_appointment_make_ranked(NULL, t, a, organ, BZ_POST_PRINCIPAL, BZ_RANK_ZHENGKE, "2015-01-01"));
	ck_assert_bz(bz_txn_commit(t));
	ck_assert_int_eq(bz_report_count(bz_txn_report(t)), 0);
	bz_txn_free(t);

	/* the document that says so: an R2 exception for the person on that date */
	t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_appointment_make_ranked(NULL, t, c, organ, BZ_POST_DEPUTY, BZ_RANK_ZHENGKE, "2015-01-01"));
	ck_assert_bz(bz_exception_grant(t, BZ_RULE_R2, c, "2015-01-01"));
	ck_assert_bz(bz_txn_commit(t));
	v = fx_find(bz_txn_report(t), BZ_RULE_R2, BZ_SEVERITY_WARNING);
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(bz_violation_category(v), "high-rank");
	ck_assert_str_eq(bz_violation_excepted_by(v), F.county_doc);
	ck_assert_ptr_null(fx_find(bz_txn_report(t), BZ_RULE_R2, BZ_SEVERITY_ERROR));
	bz_txn_free(t);

	bz_appointment_iter *it = NULL;
	ck_assert_bz(bz_appointment_list(&it, F.l, organ, "2015-06-01"));
	int seen = 0;
	while (bz_appointment_iter_next(&ap, it) == BZ_OK) {
		ck_assert_int_eq(bz_appointment_rank(ap), BZ_RANK_ZHENGKE);
		seen++;
		bz_appointment_free(ap);
	}
	bz_appointment_iter_free(it);
	ck_assert_int_eq(seen, 2);
	ck_assert_int_eq(bz_appointment_rank(NULL), BZ_RANK_NONE);

	/* the self-inspection lists the excepted 高配 and nothing as an error */
	bz_report *r = NULL;
	ck_assert_bz(bz_ledger_check(&r, F.l, "2015-06-01"));
	v = fx_find(r, BZ_RULE_R2, BZ_SEVERITY_WARNING);
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(bz_violation_subject(v), c);
	ck_assert_str_eq(bz_violation_excepted_by(v), F.county_doc);
	ck_assert_ptr_null(fx_find(r, BZ_RULE_R2, BZ_SEVERITY_ERROR));
	bz_report_free(r);

	/* a rank outside bz_rank */
	t = tu_begin(F.l);
	ck_assert_int_eq(bz_appointment_make_ranked(NULL, t, b, organ, BZ_POST_DEPUTY, 11, "2015-01-01"), BZ_EINVAL);
	ck_assert_int_eq(bz_appointment_make_ranked(NULL, t, b, organ, BZ_POST_DEPUTY, -1, "2015-01-01"), BZ_EINVAL);
	bz_txn_free(t);
}
END_TEST

START_TEST(errors)
{
	bz_txn *t = tu_begin(F.l);
	ck_assert_int_eq(bz_appointment_make(NULL, t, a, organ, 3, "2015-01-01"), BZ_EINVAL);
	ck_assert_int_eq(bz_appointment_make(NULL, t, a, organ, BZ_POST_DEPUTY, "2015-02-30"), BZ_EINVAL);
	ck_assert_int_eq(bz_appointment_make(NULL, t, a, "00000000-0000-4000-8000-000000000000", BZ_POST_DEPUTY, "2015-01-01"), BZ_ENOTFOUND);
	ck_assert_int_eq(bz_appointment_make(NULL, t, "00000000-0000-4000-8000-000000000000", organ, BZ_POST_DEPUTY, "2015-01-01"), BZ_ENOTFOUND);
	ck_assert_int_eq(bz_appointment_end(t, "00000000-0000-4000-8000-000000000000", "2015-01-01"), BZ_ENOTFOUND);
	ck_assert_int_eq(bz_appointment_make(NULL, NULL, a, organ, BZ_POST_DEPUTY, "2015-01-01"), BZ_EINVAL);
	bz_txn_free(t);
	ck_assert_int_eq(tu_count(F.l, "appointment"), 0);
	/* before the unit's founding: R7 */
	t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_appointment_make(NULL, t, a, organ, BZ_POST_PRINCIPAL, "2009-01-01"));
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	ck_assert_ptr_nonnull(fx_find(bz_txn_report(t), BZ_RULE_R7, BZ_SEVERITY_ERROR));
	bz_txn_free(t);
	ck_assert_int_eq(tu_count(F.l, "appointment"), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("appointment");
	TCase *tc = tcase_create("appointment");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, r2_second_principal_refused);
	tcase_add_test(tc, r2_high_rank_needs_a_document);
	tcase_add_test(tc, errors);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
