/* test_registration.c: 事业单位法人登记 — registration, certificates, annual
 * reports, R12 and R13, the rates sheet (registration.h). */
#include "staff_fixture.h"

#include <stdlib.h>

static fx F;
static char sponsor[BZ_UUID_LEN + 1], cdc[BZ_UUID_LEN + 1], code[19];

/* a public institution of 武都区 under its health bureau, with its credit code */
static void inst(char out[BZ_UUID_LEN + 1], const char *name, const char *jur, const char *parent, const char *cc,
		 const char *founded)
{
	bz_unit_spec *s = NULL;
	ck_assert_bz(bz_unit_spec_new(&s));
	ck_assert_bz(bz_unit_spec_set_name(s, name));
	ck_assert_bz(bz_unit_spec_set_nature(s, BZ_NATURE_INSTITUTION));
	ck_assert_bz(bz_unit_spec_set_rank(s, BZ_RANK_FUKE));
	ck_assert_bz(bz_unit_spec_set_funding(s, BZ_FUNDING_FULL));
	ck_assert_bz(bz_unit_spec_set_jurisdiction(s, jur));
	ck_assert_bz(bz_unit_spec_set_founded(s, founded));
	if (parent)
		ck_assert_bz(bz_unit_spec_set_parent(s, parent));
	if (cc)
		ck_assert_bz(bz_unit_spec_set_credit_code(s, cc));
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.city_doc));
	bz_unit *u = NULL;
	ck_assert_bz(bz_unit_establish(&u, t, s));
	memcpy(out, bz_unit_uuid(u), BZ_UUID_LEN + 1);
	bz_unit_free(u);
	bz_unit_spec_free(s);
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
}

static void setup(void)
{
	fx_setup(&F);
	ck_assert_int_eq(fx_unit(&F, sponsor, F.county_doc, "武都区卫生健康局", BZ_NATURE_ORGAN, BZ_RANK_ZHENGKE, "621202",
				 "2010-01-01"),
			 BZ_OK);
	fx_credit(code, '2', "621202", "MB174620");
	inst(cdc, "武都区疾病预防控制中心", "621202", sponsor, code, "2010-01-01");
	fx_est(&F, cdc, "SY", 10, "2010-01-01");
}

static void teardown(void) { bz_ledger_close(F.l); }

/* one registration change in its own transaction on the county office's approval; the commit's status */
static int found_as(const char *unit, const char *date, const char *name, const char *cc)
{
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_registration_found(t, unit, date, F.business_doc, name, "武都区钟楼滩路12号", "张明", "疾病预防控制",
					   500000, sponsor, BZ_FUNDING_FULL, cc));
	int rc = bz_txn_commit(t);
	bz_txn_free(t);
	return rc;
}

static int certify(const char *unit, int kind, const char *number, const char *issued)
{
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	int rc = bz_registration_certify(t, unit, kind, number, issued);
	if (rc == BZ_OK)
		rc = bz_txn_commit(t);
	bz_txn_free(t);
	return rc;
}

static bz_report *check_at(const char *date)
{
	bz_report *r = NULL;
	ck_assert_bz(bz_ledger_check(&r, F.l, date));
	return r;
}

static size_t count_rule(const bz_report *r, int rule, const char *category)
{
	size_t n = 0;
	for (size_t i = 0; i < bz_report_count(r); i++) {
		const bz_violation *v = bz_report_get(r, i);
		if (bz_violation_rule(v) == rule &&
		    (!category || (bz_violation_category(v) && strcmp(bz_violation_category(v), category) == 0)))
			n++;
	}
	return n;
}

START_TEST(found_certify_lookup)
{
	ck_assert_int_eq(found_as(cdc, "2010-03-01", "武都区疾病预防控制中心", code), BZ_OK);
	ck_assert_int_eq(certify(cdc, BZ_CERT_ISSUE, "事证第162120200001号", "2010-03-15"), BZ_OK);
	bz_registration *r = NULL;
	ck_assert_bz(bz_registration_lookup(&r, F.l, cdc, "2012-01-01"));
	ck_assert_str_eq(bz_registration_unit(r), cdc);
	ck_assert_int_eq(bz_registration_state(r), BZ_REG_REGISTERED);
	ck_assert_str_eq(bz_registration_registered(r), "2010-03-01");
	ck_assert_ptr_null(bz_registration_deregistered(r));
	ck_assert_str_eq(bz_registration_name(r), "武都区疾病预防控制中心");
	ck_assert_str_eq(bz_registration_address(r), "武都区钟楼滩路12号");
	ck_assert_str_eq(bz_registration_legal_rep(r), "张明");
	ck_assert_str_eq(bz_registration_scope(r), "疾病预防控制");
	ck_assert_int_eq(bz_registration_funds(r), 500000);
	ck_assert_str_eq(bz_registration_sponsor(r), sponsor);
	ck_assert_int_eq(bz_registration_funding(r), BZ_FUNDING_FULL);
	ck_assert_str_eq(bz_registration_credit_code(r), code);
	ck_assert_str_eq(bz_registration_cert_number(r), "事证第162120200001号");
	ck_assert_str_eq(bz_registration_cert_issued(r), "2010-03-15");
	ck_assert_str_eq(bz_registration_cert_valid_until(r), "2015-03-14");
	ck_assert_int_eq(bz_registration_cert_kind(r), BZ_CERT_ISSUE);
	ck_assert_int_eq(bz_registration_cert_valid(r), 1);
	ck_assert_str_eq(bz_registration_as_of(r), "2012-01-01");
	bz_registration_free(r);
	ck_assert_int_eq(bz_registration_lookup(&r, F.l, cdc, "2010-02-28"), BZ_ENOTFOUND);
	ck_assert_ptr_null(r);
	/* a second 设立登记 and a second first certificate are refused, nothing written */
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_int_eq(bz_registration_found(t, cdc, "2011-01-01", F.business_doc, "x", "x", "x", "x", 1, sponsor, 1, code),
			 BZ_EINVAL);
	ck_assert(strstr(bz_ledger_errmsg(F.l), "registered already") != NULL);
	ck_assert_int_eq(bz_registration_certify(t, cdc, BZ_CERT_ISSUE, "事证第2号", "2011-01-01"), BZ_EINVAL);
	ck_assert_int_eq(bz_registration_certify(t, cdc, BZ_CERT_RENEW, "事证第162120200001号", "2011-01-01"), BZ_EEXISTS);
	ck_assert_int_eq(bz_registration_change(t, cdc, 9, "x", "2011-01-01", F.business_doc), BZ_EINVAL);
	ck_assert_int_eq(bz_registration_change(t, cdc, BZ_REG_FUNDS, "-1", "2011-01-01", F.business_doc), BZ_EINVAL);
	ck_assert_int_eq(bz_registration_change(t, cdc, BZ_REG_ADDRESS, "新址", "2011-01-01", NULL), BZ_EINVAL);
	ck_assert_int_eq(bz_registration_report_file(t, cdc, 2011, "2011-06-01", 1, 1, 1), BZ_EINVAL);
	ck_assert_int_eq(bz_registration_deregister(t, cdc, "2011-01-01", F.business_doc, ""), BZ_EINVAL);
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	/* an organ is not registered */
	t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_int_eq(bz_registration_found(t, sponsor, "2011-01-01", F.business_doc, "武都区卫生健康局", "x", "x", "x", 1,
					       sponsor, 1, code),
			 BZ_EINVAL);
	ck_assert(strstr(bz_ledger_errmsg(F.l), "事业单位") != NULL);
	bz_txn_free(t);
	/* the records are Table 2's and in the verified chain */
	bz_report *v = NULL;
	ck_assert_bz(bz_ledger_verify(&v, F.l, 0, NULL));
	ck_assert_int_eq(bz_report_count(v), 0);
	bz_report_free(v);
	bz_report *c = check_at("2014-01-01");
	ck_assert_int_eq(count_rule(c, BZ_RULE_R12, NULL), 0);
	ck_assert_int_eq(count_rule(c, BZ_RULE_R6, NULL), 0);
	ck_assert_int_eq(count_rule(c, BZ_RULE_R7, NULL), 0);
	bz_report_free(c);
}
END_TEST

/* the violation of the last (refused) commit of t, checked field by field, and nothing written */
static void refused(bz_txn *t, int rule, const char *category, int64_t allowed, int64_t actual, const char *date)
{
	const bz_violation *v = fx_find(bz_txn_report(t), rule, BZ_SEVERITY_ERROR);
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(bz_violation_subject(v), cdc);
	ck_assert_str_eq(bz_violation_subject_name(v), "武都区疾病预防控制中心");
	ck_assert_str_eq(bz_violation_category(v), category);
	ck_assert_int_eq(bz_violation_allowed(v), allowed);
	ck_assert_int_eq(bz_violation_actual(v), actual);
	ck_assert_str_eq(bz_violation_date(v), date);
	ck_assert_str_eq(bz_violation_document(v), F.county_doc);
	ck_assert_str_eq(bz_violation_document_number(v), "武编发〔2013〕5号");
}

START_TEST(r12_refused_at_commit)
{
	long long events = tu_count(F.l, "event");
	/* before the unit's founding */
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_registration_found(t, cdc, "2009-12-31", F.business_doc, "武都区疾病预防控制中心", "址", "张明", "疾控",
					   1, sponsor, BZ_FUNDING_FULL, code));
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	refused(t, BZ_RULE_R12, "founding", -1, -1, "2009-12-31");
	ck_assert(strstr(bz_violation_message(fx_find(bz_txn_report(t), BZ_RULE_R12, 0)), "2010-01-01") != NULL);
	bz_txn_free(t);
	ck_assert_int_eq(tu_count(F.l, "event"), events);
	/* a name and a funding form other than the ledger's: one violation each */
	t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_registration_found(t, cdc, "2010-03-01", F.business_doc, "武都区疾控中心", "址", "张明", "疾控", 1,
					   sponsor, BZ_FUNDING_BALANCE, code));
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	refused(t, BZ_RULE_R12, "name", -1, -1, "2010-03-01");
	ck_assert_int_eq(count_rule(bz_txn_report(t), BZ_RULE_R12, "funding"), 1);
	ck_assert_int_eq(count_rule(bz_txn_report(t), BZ_RULE_R12, NULL), 2);
	const bz_violation *v = fx_find(bz_txn_report(t), BZ_RULE_R12, 0);
	ck_assert(strstr(bz_violation_message(v), "武都区疾控中心") != NULL);
	bz_txn_free(t);
	ck_assert_int_eq(tu_count(F.l, "event"), events);
	bz_registration *r = NULL;
	ck_assert_int_eq(bz_registration_lookup(&r, F.l, cdc, NULL), BZ_ENOTFOUND);
	/* deregistered while in being */
	ck_assert_int_eq(found_as(cdc, "2010-03-01", "武都区疾病预防控制中心", code), BZ_OK);
	events = tu_count(F.l, "event");
	t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_registration_deregister(t, cdc, "2020-01-01", F.business_doc, "职能划转"));
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	refused(t, BZ_RULE_R12, "deregistration", -1, -1, "2020-01-01");
	bz_txn_free(t);
	ck_assert_int_eq(tu_count(F.l, "event"), events);
	/* abolished, it may be deregistered; after that no change registration */
	t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.city_doc));
	ck_assert_bz(bz_unit_abolish(t, cdc, "2020-01-01"));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_registration_deregister(t, cdc, "2020-01-15", F.business_doc, "撤销"));
	ck_assert_int_eq(bz_registration_change(t, cdc, BZ_REG_ADDRESS, "x", "2020-02-01", F.business_doc), BZ_EINVAL);
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	ck_assert_bz(bz_registration_lookup(&r, F.l, cdc, NULL));
	ck_assert_int_eq(bz_registration_state(r), BZ_REG_DEREGISTERED);
	ck_assert_str_eq(bz_registration_deregistered(r), "2020-01-15");
	ck_assert_str_eq(bz_registration_reason(r), "撤销");
	ck_assert_int_eq(bz_registration_cert_valid(r), 0);
	bz_registration_free(r);
}
END_TEST

/* the approval is the registering office's: a business department's document is no basis (R6) */
START_TEST(r6_approval_by_the_establishment_office)
{
	long long events = tu_count(F.l, "event");
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.business_doc));
	ck_assert_bz(bz_registration_found(t, cdc, "2010-03-01", F.business_doc, "武都区疾病预防控制中心", "址", "张明", "疾控",
					   1, sponsor, BZ_FUNDING_FULL, code));
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	const bz_violation *v = fx_find(bz_txn_report(t), BZ_RULE_R6, BZ_SEVERITY_ERROR);
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(bz_violation_document(v), F.business_doc);
	ck_assert_int_eq(count_rule(bz_txn_report(t), BZ_RULE_R12, NULL), 0);
	bz_txn_free(t);
	ck_assert_int_eq(tu_count(F.l, "event"), events);
	/* the annual report is the unit's own filing: no approval is asked of it */
	ck_assert_int_eq(found_as(cdc, "2010-03-01", "武都区疾病预防控制中心", code), BZ_OK);
	t = tu_begin(F.l);
	ck_assert_bz(bz_registration_report_file(t, cdc, 2010, "2011-03-01", 0, 10, 500000));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
}
END_TEST

START_TEST(r12_rename_flagged_after_grace_not_before)
{
	ck_assert_int_eq(found_as(cdc, "2010-03-01", "武都区疾病预防控制中心", code), BZ_OK);
	ck_assert_int_eq(certify(cdc, BZ_CERT_ISSUE, "事证1", "2024-01-10"), BZ_OK);
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.city_doc));
	ck_assert_bz(bz_unit_rename(t, cdc, "武都区疾病预防控制中心（武都区卫生监督所）", "2024-05-01"));
	ck_assert_bz(bz_txn_commit(t)); /* a rename is never refused for want of a 变更登记 */
	bz_txn_free(t);
	/* grace 30 days: due by 2024-05-31 */
	bz_report *r = check_at("2024-05-31");
	ck_assert_int_eq(count_rule(r, BZ_RULE_R12, NULL), 0);
	bz_report_free(r);
	r = check_at("2024-06-01");
	ck_assert_int_eq(count_rule(r, BZ_RULE_R12, NULL), 1);
	const bz_violation *v = fx_find(r, BZ_RULE_R12, BZ_SEVERITY_ERROR);
	ck_assert_str_eq(bz_violation_subject(v), cdc);
	ck_assert_str_eq(bz_violation_category(v), "name");
	ck_assert_str_eq(bz_violation_date(v), "2024-05-01");
	ck_assert_ptr_null(bz_violation_document(v));
	ck_assert(strstr(bz_violation_message(v), "2024-05-31") != NULL);
	ck_assert(strstr(bz_violation_message(v), "武都区卫生监督所") != NULL);
	bz_report_free(r);
	/* the grace period is a rule parameter: 60 days from 2024-01-01 on */
	t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_rule_param_set(t, "registration.grace_days", "60", "2024-01-01"));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	r = check_at("2024-06-01");
	ck_assert_int_eq(count_rule(r, BZ_RULE_R12, NULL), 0);
	bz_report_free(r);
	/* the 变更登记 brings them back in step */
	t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_registration_change(t, cdc, BZ_REG_NAME, "武都区疾病预防控制中心（武都区卫生监督所）", "2024-07-10",
					    F.business_doc));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	r = check_at("2024-08-01");
	ck_assert_int_eq(count_rule(r, BZ_RULE_R12, NULL), 0);
	bz_report_free(r);
	/* a change registration stating another name than the ledger's is refused */
	t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_registration_change(t, cdc, BZ_REG_NAME, "别的名称", "2024-09-01", F.business_doc));
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	ck_assert_int_eq(count_rule(bz_txn_report(t), BZ_RULE_R12, "name"), 1);
	bz_txn_free(t);
}
END_TEST

START_TEST(unregistered_and_undereregistered)
{
	/* not kept in this ledger: nobody is flagged for want of a registration */
	bz_report *r = check_at("2010-02-01");
	ck_assert_int_eq(count_rule(r, BZ_RULE_R12, NULL), 0);
	bz_report_free(r);
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_rule_param_set(t, "registration.required_from", "2000-01-01", "2000-01-01"));
	ck_assert_int_eq(bz_rule_param_set(t, "registration.required_from", "2000-02-30", "2000-01-01"), BZ_EINVAL);
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	r = check_at("2010-01-31");
	ck_assert_int_eq(count_rule(r, BZ_RULE_R12, "unregistered"), 0);
	bz_report_free(r);
	r = check_at("2010-02-01");
	ck_assert_int_eq(count_rule(r, BZ_RULE_R12, "unregistered"), 1);
	const bz_violation *v = fx_find(r, BZ_RULE_R12, 0);
	ck_assert_str_eq(bz_violation_subject(v), cdc);
	ck_assert_str_eq(bz_violation_date(v), "2010-01-01");
	bz_report_free(r);
	ck_assert_int_eq(found_as(cdc, "2010-03-01", "武都区疾病预防控制中心", code), BZ_OK);
	/* registered without a certificate: flagged after the grace days */
	r = check_at("2010-03-31");
	ck_assert_int_eq(count_rule(r, BZ_RULE_R12, NULL), 0);
	bz_report_free(r);
	r = check_at("2010-04-01");
	ck_assert_int_eq(count_rule(r, BZ_RULE_R12, "certificate"), 1);
	bz_report_free(r);
	t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.city_doc));
	ck_assert_bz(bz_unit_abolish(t, cdc, "2010-05-01"));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	r = check_at("2010-05-31");
	ck_assert_int_eq(count_rule(r, BZ_RULE_R12, "deregistration"), 0);
	bz_report_free(r);
	r = check_at("2010-06-01");
	ck_assert_int_eq(count_rule(r, BZ_RULE_R12, "deregistration"), 1);
	bz_report_free(r);
}
END_TEST

START_TEST(certificate_five_years)
{
	ck_assert_int_eq(found_as(cdc, "2010-03-01", "武都区疾病预防控制中心", code), BZ_OK);
	ck_assert_int_eq(certify(cdc, BZ_CERT_ISSUE, "事证1", "2020-03-15"), BZ_OK);
	bz_registration *r = NULL;
	ck_assert_bz(bz_registration_lookup(&r, F.l, cdc, "2025-03-14"));
	ck_assert_str_eq(bz_registration_cert_valid_until(r), "2025-03-14");
	ck_assert_int_eq(bz_registration_cert_valid(r), 1);
	bz_registration_free(r);
	ck_assert_bz(bz_registration_lookup(&r, F.l, cdc, "2025-03-15"));
	ck_assert_int_eq(bz_registration_cert_valid(r), 0);
	bz_registration_free(r);
	bz_report *c = check_at("2025-03-14");
	ck_assert_int_eq(count_rule(c, BZ_RULE_R12, "certificate"), 0);
	bz_report_free(c);
	c = check_at("2025-03-15");
	ck_assert_int_eq(count_rule(c, BZ_RULE_R12, "certificate"), 1);
	ck_assert_str_eq(bz_violation_date(fx_find(c, BZ_RULE_R12, 0)), "2025-03-14");
	bz_report_free(c);
	/* reissued when lost: the old number is void from then on */
	ck_assert_int_eq(certify(cdc, BZ_CERT_REISSUE, "事证2", "2022-06-01"), BZ_OK);
	ck_assert_bz(bz_registration_lookup(&r, F.l, cdc, "2022-06-01"));
	ck_assert_str_eq(bz_registration_cert_number(r), "事证2");
	ck_assert_int_eq(bz_registration_cert_kind(r), BZ_CERT_REISSUE);
	ck_assert_str_eq(bz_registration_cert_valid_until(r), "2027-05-31");
	bz_registration_free(r);
	ck_assert_bz(bz_registration_lookup(&r, F.l, cdc, "2022-05-31"));
	ck_assert_str_eq(bz_registration_cert_number(r), "事证1");
	bz_registration_free(r);
	/* the validity is a rule parameter: three years from 2026 on; a leap day runs to 28 February */
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_rule_param_set(t, "registration.cert_years", "3", "2026-01-01"));
	ck_assert_int_eq(bz_rule_param_set(t, "registration.cert_years", "0", "2026-01-01"), BZ_EINVAL);
	ck_assert_int_eq(bz_rule_param_set(t, "registration.report_due", "02-30", "2026-01-01"), BZ_EINVAL);
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	ck_assert_int_eq(certify(cdc, BZ_CERT_RENEW, "事证3", "2028-02-29"), BZ_OK);
	ck_assert_bz(bz_registration_lookup(&r, F.l, cdc, "2028-03-01"));
	ck_assert_str_eq(bz_registration_cert_valid_until(r), "2031-02-28");
	ck_assert_int_eq(bz_registration_cert_kind(r), BZ_CERT_RENEW);
	bz_registration_free(r);
}
END_TEST

/* two people in post at the end of 2023 */
static void two_in_post(void)
{
	char slip[BZ_UUID_LEN + 1], p1[BZ_UUID_LEN + 1], p2[BZ_UUID_LEN + 1];
	ck_assert_int_eq(sf_slip(&F, slip, cdc, "SY", 2, "2023-01-01", "2023-12-31"), BZ_OK);
	sf_person(&F, p1, "李华", "19900101", 11);
	sf_person(&F, p2, "王芳", "19920202", 22);
	ck_assert_int_eq(sf_hire(&F, p1, cdc, "SY", slip, "2023-03-01"), BZ_OK);
	ck_assert_int_eq(sf_hire(&F, p2, cdc, "SY", slip, "2023-04-01"), BZ_OK);
}

START_TEST(r13_report_compared)
{
	ck_assert_int_eq(found_as(cdc, "2010-03-01", "武都区疾病预防控制中心", code), BZ_OK);
	two_in_post();
	long long events = tu_count(F.l, "event");
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_registration_report_file(t, cdc, 2023, "2024-03-01", 3, 10, 500000));
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	refused(t, BZ_RULE_R13, "staff", 2, 3, "2024-03-01");
	ck_assert_int_eq(count_rule(bz_txn_report(t), BZ_RULE_R13, NULL), 1);
	const char *m = bz_violation_message(fx_find(bz_txn_report(t), BZ_RULE_R13, 0));
	ck_assert(strstr(m, "从业人员 3") != NULL && strstr(m, "has 2") != NULL);
	bz_txn_free(t);
	ck_assert_int_eq(tu_count(F.l, "event"), events);
	bz_annual_report *a = NULL;
	ck_assert_int_eq(bz_annual_report_get(&a, F.l, cdc, 2023), BZ_ENOTFOUND);
	/* a report of a year before the registration */
	t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_registration_report_file(t, cdc, 2009, "2010-03-01", 0, 0, 0));
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	ck_assert_int_eq(count_rule(bz_txn_report(t), BZ_RULE_R13, "year"), 1);
	bz_txn_free(t);
	/* the right figures */
	t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_registration_report_file(t, cdc, 2023, "2024-03-01", 2, 10, 500000));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	ck_assert_bz(bz_annual_report_get(&a, F.l, cdc, 2023));
	ck_assert_str_eq(bz_annual_report_unit(a), cdc);
	ck_assert_int_eq(bz_annual_report_year(a), 2023);
	ck_assert_str_eq(bz_annual_report_filed(a), "2024-03-01");
	ck_assert_str_eq(bz_annual_report_due(a), "2024-03-31");
	ck_assert_int_eq(bz_annual_report_staff(a), 2);
	ck_assert_int_eq(bz_annual_report_establishment(a), 10);
	ck_assert_int_eq(bz_annual_report_funds(a), 500000);
	ck_assert_int_eq(bz_annual_report_ledger_staff(a), 2);
	ck_assert_int_eq(bz_annual_report_ledger_establishment(a), 10);
	ck_assert_int_eq(bz_annual_report_ledger_funds(a), 500000);
	ck_assert_int_eq(bz_annual_report_agrees(a), 1);
	bz_annual_report_free(a);
}
END_TEST

START_TEST(r13_deadline)
{
	ck_assert_int_eq(found_as(cdc, "2022-06-01", "武都区疾病预防控制中心", code), BZ_OK);
	ck_assert_int_eq(certify(cdc, BZ_CERT_ISSUE, "事证1", "2022-06-01"), BZ_OK);
	bz_report *r = check_at("2023-03-31");
	ck_assert_int_eq(count_rule(r, BZ_RULE_R13, NULL), 0);
	bz_report_free(r);
	r = check_at("2023-04-01");
	ck_assert_int_eq(count_rule(r, BZ_RULE_R13, "report"), 1);
	const bz_violation *v = fx_find(r, BZ_RULE_R13, BZ_SEVERITY_ERROR);
	ck_assert_str_eq(bz_violation_subject(v), cdc);
	ck_assert_str_eq(bz_violation_date(v), "2023-03-31");
	bz_report_free(r);
	/* filed late: a warning once filed */
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_registration_report_file(t, cdc, 2022, "2023-04-20", 0, 10, 500000));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	r = check_at("2023-05-01");
	ck_assert_int_eq(count_rule(r, BZ_RULE_R13, "report"), 0);
	ck_assert_int_eq(count_rule(r, BZ_RULE_R13, "late"), 1);
	ck_assert_int_eq(bz_violation_severity(fx_find(r, BZ_RULE_R13, 0)), BZ_SEVERITY_WARNING);
	bz_report_free(r);
	/* a hire dated back into 2022 after the report: the inspection finds the report out of step */
	char slip[BZ_UUID_LEN + 1], p[BZ_UUID_LEN + 1];
	ck_assert_int_eq(sf_slip(&F, slip, cdc, "SY", 1, "2022-07-01", "2022-12-31"), BZ_OK);
	sf_person(&F, p, "赵强", "19880303", 33);
	ck_assert_int_eq(sf_hire(&F, p, cdc, "SY", slip, "2022-08-01"), BZ_OK);
	r = check_at("2023-05-01");
	ck_assert_int_eq(count_rule(r, BZ_RULE_R13, "staff"), 1);
	v = fx_find(r, BZ_RULE_R13, BZ_SEVERITY_ERROR);
	ck_assert_int_eq(bz_violation_allowed(v), 1);
	ck_assert_int_eq(bz_violation_actual(v), 0);
	bz_report_free(r);
}
END_TEST

/* one report of year in its own transaction on the county office's approval; the commit's status */
static int report(int year, const char *filed, int64_t staff, int64_t est)
{
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_registration_report_file(t, cdc, year, filed, staff, est, 500000));
	int rc = bz_txn_commit(t);
	bz_txn_free(t);
	return rc;
}

/*
 * R13 reads each 31 December's figures from the counter histories its run
 * read once (not a Table 1 per report): reports of four years, each right
 * at its commit, then the establishment changed back to 2022 behind them —
 * one inspection flags exactly the two years it falsified, each against
 * the figure Table 1 (bz_annual_report_get) has for that year.
 */
START_TEST(r13_figures_per_year_in_one_run)
{
	ck_assert_int_eq(found_as(cdc, "2020-01-10", "武都区疾病预防控制中心", code), BZ_OK);
	ck_assert_int_eq(certify(cdc, BZ_CERT_ISSUE, "事证1", "2020-01-10"), BZ_OK);
	fx_est(&F, cdc, "SY", 12, "2021-06-01");
	two_in_post();
	ck_assert_int_eq(report(2020, "2021-03-01", 0, 10), BZ_OK);
	ck_assert_int_eq(report(2021, "2022-03-01", 0, 12), BZ_OK);
	ck_assert_int_eq(report(2022, "2023-03-01", 0, 12), BZ_OK);
	ck_assert_int_eq(report(2023, "2024-03-01", 2, 12), BZ_OK);
	/* a wrong figure is still refused at commit, by the same reading */
	ck_assert_int_eq(report(2021, "2022-03-02", 0, 10), BZ_ECONSTRAINT);
	bz_report *r = check_at("2024-05-01");
	ck_assert_int_eq(count_rule(r, BZ_RULE_R13, NULL), 0);
	bz_report_free(r);
	fx_est(&F, cdc, "SY", 11, "2022-01-01");
	r = check_at("2024-05-01");
	ck_assert_int_eq(count_rule(r, BZ_RULE_R13, NULL), 2);
	ck_assert_int_eq(count_rule(r, BZ_RULE_R13, "establishment"), 2);
	int seen = 0;
	for (size_t i = 0; i < bz_report_count(r); i++) {
		const bz_violation *v = bz_report_get(r, i);
		if (bz_violation_rule(v) != BZ_RULE_R13)
			continue;
		int year = strcmp(bz_violation_date(v), "2023-03-01") == 0 ? 2022 : 2023;
		ck_assert_str_eq(bz_violation_date(v), year == 2022 ? "2023-03-01" : "2024-03-01");
		bz_annual_report *a = NULL;
		ck_assert_bz(bz_annual_report_get(&a, F.l, cdc, year));
		ck_assert_int_eq(bz_annual_report_ledger_establishment(a), 11);
		ck_assert_int_eq(bz_violation_allowed(v), bz_annual_report_ledger_establishment(a));
		ck_assert_int_eq(bz_violation_actual(v), 12);
		ck_assert_str_eq(bz_violation_subject(v), cdc);
		bz_annual_report_free(a);
		seen |= year == 2022 ? 1 : 2;
	}
	ck_assert_int_eq(seen, 3);
	bz_report_free(r);
}
END_TEST

/* bz_unit_set_credit_code in its own transaction on the county office's document; the commit's status
 * (or the call's, when it fails, its message in set_code_msg) */
static char set_code_msg[512];
static int set_code(const char *unit, const char *cc, const char *date)
{
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	int rc = bz_unit_set_credit_code(t, unit, cc, date);
	snprintf(set_code_msg, sizeof set_code_msg, "%s", bz_ledger_errmsg(F.l));
	if (rc == BZ_OK)
		rc = bz_txn_commit(t);
	else
		ck_assert_bz(bz_txn_rollback(t));
	bz_txn_free(t);
	return rc;
}

static void code_at(const char *unit, const char *date, const char *want)
{
	bz_unit *u = NULL;
	ck_assert_bz(bz_unit_lookup(&u, F.l, unit, date));
	if (want)
		ck_assert_str_eq(bz_unit_credit_code(u), want);
	else
		ck_assert_ptr_null(bz_unit_credit_code(u));
	bz_unit_free(u);
}

/* a unit founded without a credit code is given one; bad codes, dates and units refused, nothing written */
START_TEST(credit_code_set)
{
	char mch[BZ_UUID_LEN + 1], c2[19], bad[19];
	inst(mch, "武都区妇幼保健院", "621202", sponsor, NULL, "2010-01-01");
	fx_credit(c2, '2', "621202", "MB174621");
	long long events = tu_count(F.l, "event");
	ck_assert_int_eq(set_code(mch, c2, "2015-01-01"), BZ_OK);
	ck_assert_int_eq(tu_count(F.l, "event"), events + 1);
	code_at(mch, "2014-12-31", NULL);
	code_at(mch, "2015-01-01", c2);
	code_at(cdc, "2015-01-01", code);
	bz_unit *u = NULL;
	ck_assert_bz(bz_unit_lookup_credit_code(&u, F.l, c2, NULL));
	ck_assert_str_eq(bz_unit_uuid(u), mch);
	bz_unit_free(u);
	/* lower case is taken as upper: the same code again is no change */
	char lower[19];
	for (int i = 0; i < 19; i++)
		lower[i] = (char)(c2[i] >= 'A' && c2[i] <= 'Z' ? c2[i] - 'A' + 'a' : c2[i]);
	ck_assert_int_eq(set_code(mch, lower, "2016-01-01"), BZ_EINVAL);
	ck_assert(strstr(set_code_msg, "already holds") != NULL);

	/* a wrong check character: R10 at commit, field by field, nothing written */
	fx_credit(bad, '2', "621202", "MB174622");
	bad[17] = bad[17] == '0' ? '1' : '0';
	events = tu_count(F.l, "event");
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_unit_set_credit_code(t, mch, bad, "2016-01-01"));
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	const bz_violation *v = fx_find(bz_txn_report(t), BZ_RULE_R10, BZ_SEVERITY_ERROR);
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(bz_violation_subject(v), mch);
	ck_assert_str_eq(bz_violation_subject_name(v), "武都区妇幼保健院");
	ck_assert_str_eq(bz_violation_date(v), "2016-01-01");
	ck_assert_str_eq(bz_violation_document(v), F.county_doc);
	ck_assert(strstr(bz_violation_message(v), bad) != NULL && strstr(bz_violation_message(v), "check character"));
	bz_txn_free(t);
	ck_assert_int_eq(tu_count(F.l, "event"), events);
	code_at(mch, "2016-01-01", c2);
	ck_assert_int_eq(bz_unit_lookup_credit_code(&u, F.l, bad, NULL), BZ_ENOTFOUND);

	/* another unit's code: BZ_EEXISTS at the call, nothing written */
	ck_assert_int_eq(set_code(mch, code, "2016-01-01"), BZ_EEXISTS);
	ck_assert(strstr(set_code_msg, code) != NULL);
	ck_assert_int_eq(tu_count(F.l, "event"), events);
	code_at(cdc, "2016-01-01", code);
	code_at(mch, "2016-01-01", c2);

	/* bad input */
	ck_assert_int_eq(set_code(mch, "91621202MA", "2016-01-01"), BZ_EINVAL);
	ck_assert_int_eq(set_code(mch, NULL, "2016-01-01"), BZ_EINVAL);
	ck_assert_int_eq(set_code(mch, bad, "2016-02-30"), BZ_EINVAL);
	ck_assert_int_eq(set_code(mch, bad, "1899-12-31"), BZ_EINVAL);
	ck_assert_int_eq(set_code("00000000-0000-4000-8000-000000000000", bad, "2016-01-01"), BZ_ENOTFOUND);
	ck_assert_int_eq(bz_unit_set_credit_code(NULL, mch, bad, "2016-01-01"), BZ_EINVAL);
	ck_assert_int_eq(tu_count(F.l, "event"), events);
	/* before the founding: R7 */
	char late[BZ_UUID_LEN + 1], c3[19];
	inst(late, "武都区急救中心", "621202", sponsor, NULL, "2018-01-01");
	fx_credit(c3, '2', "621202", "MB174623");
	ck_assert_int_eq(set_code(late, c3, "2017-12-31"), BZ_ECONSTRAINT);
	ck_assert_int_eq(set_code(late, c3, "2018-01-01"), BZ_OK);
}
END_TEST

/* the ledger's code changed and the registration not: R12 after the grace days, not before */
START_TEST(credit_code_set_against_registration)
{
	ck_assert_int_eq(found_as(cdc, "2020-01-01", "武都区疾病预防控制中心", code), BZ_OK);
	ck_assert_int_eq(certify(cdc, BZ_CERT_ISSUE, "事证1", "2020-01-01"), BZ_OK);
	char c2[19];
	fx_credit(c2, '2', "621202", "MB174629");
	ck_assert_int_eq(set_code(cdc, c2, "2020-06-01"), BZ_OK);
	bz_report *r = check_at("2020-07-01");
	ck_assert_int_eq(count_rule(r, BZ_RULE_R12, NULL), 0);
	bz_report_free(r);
	r = check_at("2020-07-02");
	ck_assert_int_eq(count_rule(r, BZ_RULE_R12, NULL), 1);
	const bz_violation *v = fx_find(r, BZ_RULE_R12, BZ_SEVERITY_ERROR);
	ck_assert_str_eq(bz_violation_category(v), "credit_code");
	ck_assert_str_eq(bz_violation_subject(v), cdc);
	ck_assert_str_eq(bz_violation_date(v), "2020-06-01");
	ck_assert(strstr(bz_violation_message(v), c2) != NULL && strstr(bz_violation_message(v), code) != NULL);
	bz_report_free(r);
	/* the 变更登记 brings them back into agreement */
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_registration_change(t, cdc, BZ_REG_CREDIT_CODE, c2, "2020-07-10", F.business_doc));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	r = check_at("2020-08-01");
	ck_assert_int_eq(count_rule(r, BZ_RULE_R12, NULL), 0);
	bz_report_free(r);
}
END_TEST

START_TEST(rates_several_counties)
{
	char a[BZ_UUID_LEN + 1], b[BZ_UUID_LEN + 1], c[BZ_UUID_LEN + 1], ca[19], cb[19], cc[19];
	fx_credit(ca, '2', "621221", "MB174621");
	fx_credit(cb, '2', "621221", "MB174622");
	fx_credit(cc, '2', "621221", "MB174623");
	inst(a, "成县人民医院", "621221", NULL, ca, "2015-01-01");
	inst(b, "成县中医医院", "621221", NULL, cb, "2015-01-01");
	inst(c, "成县妇幼保健院", "621221", NULL, cc, "2015-01-01");
	ck_assert_int_eq(found_as(cdc, "2015-03-01", "武都区疾病预防控制中心", code), BZ_OK);
	bz_txn *t;
	/* 成县: two of three registered; the ledger names no sponsor until set */
	const char *cu[2] = {a, b};
	const char *codes[2] = {ca, cb};
	const char *names[2] = {"成县人民医院", "成县中医医院"};
	for (int i = 0; i < 2; i++) {
		t = tu_begin(F.l);
		ck_assert_bz(bz_txn_set_document(t, F.city_doc));
		ck_assert_bz(bz_registration_found(t, cu[i], "2015-02-01", F.business_doc, names[i], "成县", "甲", "医疗", 1,
						   sponsor, BZ_FUNDING_FULL, codes[i]));
		ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT); /* the ledger names no sponsor */
		ck_assert_int_eq(count_rule(bz_txn_report(t), BZ_RULE_R12, "sponsor"), 1);
		bz_txn_free(t);
		t = tu_begin(F.l);
		ck_assert_bz(bz_txn_set_document(t, F.city_doc));
		ck_assert_bz(bz_unit_set_parent(t, cu[i], sponsor, "2015-01-01"));
		ck_assert_bz(bz_registration_found(t, cu[i], "2015-02-01", F.business_doc, names[i], "成县", "甲", "医疗", 1,
						   sponsor, BZ_FUNDING_FULL, codes[i]));
		ck_assert_bz(bz_txn_commit(t));
		bz_txn_free(t);
	}
	/* reports of 2015: 武都区's on time, 成县人民医院 late, 成县中医医院 none */
	t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_registration_report_file(t, cdc, 2015, "2016-03-20", 0, 10, 500000));
	ck_assert_bz(bz_registration_report_file(t, a, 2015, "2016-04-10", 0, 0, 1));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	bz_sheet *s = NULL;
	ck_assert_bz(bz_sheet_registration(&s, F.l, "621200", "2016-06-01"));
	ck_assert_int_eq(bz_sheet_columns(s), 9);
	ck_assert_int_eq(bz_sheet_rows(s), 3);
	ck_assert_str_eq(bz_sheet_cell(s, 0, 0), "621202 武都区");
	ck_assert_str_eq(bz_sheet_cell(s, 0, 1), "1");
	ck_assert_str_eq(bz_sheet_cell(s, 0, 2), "1");
	ck_assert_str_eq(bz_sheet_cell(s, 0, 3), "100.0%");
	ck_assert_str_eq(bz_sheet_cell(s, 0, 4), "2015");
	ck_assert_str_eq(bz_sheet_cell(s, 0, 5), "1");
	ck_assert_str_eq(bz_sheet_cell(s, 0, 6), "1");
	ck_assert_str_eq(bz_sheet_cell(s, 0, 7), "1");
	ck_assert_str_eq(bz_sheet_cell(s, 1, 0), "621221 成县");
	ck_assert_str_eq(bz_sheet_cell(s, 1, 1), "3");
	ck_assert_str_eq(bz_sheet_cell(s, 1, 2), "2");
	ck_assert_str_eq(bz_sheet_cell(s, 1, 3), "66.7%");
	ck_assert_str_eq(bz_sheet_cell(s, 1, 5), "2");
	ck_assert_str_eq(bz_sheet_cell(s, 1, 6), "0");
	ck_assert_str_eq(bz_sheet_cell(s, 1, 7), "1");
	ck_assert_str_eq(bz_sheet_cell(s, 1, 8), "0.0%");
	ck_assert_str_eq(bz_sheet_cell(s, 2, 0), "合计");
	ck_assert_str_eq(bz_sheet_cell(s, 2, 1), "4");
	ck_assert_str_eq(bz_sheet_cell(s, 2, 2), "3");
	ck_assert_str_eq(bz_sheet_cell(s, 2, 6), "1");
	ck_assert_str_eq(bz_sheet_cell(s, 2, 7), "2");
	ck_assert_str_eq(bz_sheet_cell(s, 2, 8), "33.3%");
	bz_sheet_free(s);
	/* before the deadline the report year is the one before */
	ck_assert_bz(bz_sheet_registration(&s, F.l, "621221", "2016-03-30"));
	ck_assert_int_eq(bz_sheet_rows(s), 2);
	ck_assert_str_eq(bz_sheet_cell(s, 0, 4), "2014");
	ck_assert_str_eq(bz_sheet_cell(s, 0, 5), "0");
	bz_sheet_free(s);
	/* the list: 成县妇幼保健院 unregistered, 成县中医医院 without its report */
	/* the list: 成县妇幼保健院 unregistered (this ledger keeps registration from 2013-03-01, §10), 成县中医医院 without its report */
	t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_rule_param_set(t, "registration.required_from", "2013-03-01", "2013-03-01"));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	ck_assert_msg(bz_sheet_registration_units(&s, F.l, "621221", "2016-06-01") == BZ_OK, "%s", bz_ledger_errmsg(F.l));
	ck_assert_int_eq(bz_sheet_rows(s), 3);
	ck_assert_str_eq(bz_sheet_cell(s, 2, 1), "成县妇幼保健院");
	ck_assert_str_eq(bz_sheet_cell(s, 2, 2), "未登记");
	ck_assert(strstr(bz_sheet_cell(s, 2, 10), "holds no registration") != NULL);
	ck_assert_str_eq(bz_sheet_cell(s, 1, 2), "已登记");
	ck_assert(strstr(bz_sheet_cell(s, 1, 10), "no annual report of 2015") != NULL);
	bz_sheet_free(s);
	ck_assert_int_eq(bz_sheet_registration(&s, F.l, "999999", NULL), BZ_ENOTFOUND);
	ck_assert_int_eq(bz_sheet_registration(&s, F.l, "621221", "2016-13-01"), BZ_EINVAL);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("registration");
	TCase *tc = tcase_create("registration");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, found_certify_lookup);
	tcase_add_test(tc, r12_refused_at_commit);
	tcase_add_test(tc, r6_approval_by_the_establishment_office);
	tcase_add_test(tc, r12_rename_flagged_after_grace_not_before);
	tcase_add_test(tc, unregistered_and_undereregistered);
	tcase_add_test(tc, certificate_five_years);
	tcase_add_test(tc, r13_report_compared);
	tcase_add_test(tc, r13_deadline);
	tcase_add_test(tc, r13_figures_per_year_in_one_run);
	tcase_add_test(tc, credit_code_set);
	tcase_add_test(tc, credit_code_set_against_registration);
	tcase_add_test(tc, rates_several_counties);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
