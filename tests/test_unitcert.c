/* test_unitcert.c: the units' 机构编制管理证 (unitcert.h): issue, numbers,
 * validity from the rule parameter, expiry at exactly its boundary, renewal,
 * void, the errors of each; R14 (seed §3 必须持) off by default, as a
 * warning, as an error refusing entries, exits and transfers with nothing
 * written; R6 on the certificate's document; the self-inspection; Tables 1
 * and 2; the record chain; the migration is in test_ledger. */
#include "staff_fixture.h"

static fx F;
static char school[BZ_UUID_LEN + 1], organ[BZ_UUID_LEN + 1], zhang[BZ_UUID_LEN + 1], li[BZ_UUID_LEN + 1];

static void setup(void)
{
	fx_setup(&F);
	/* a public institution and an administrative organ of 武都区: both hold a certificate (机关事业单位) */
	ck_assert_int_eq(fx_unit(&F, school, F.city_doc, "武都区第一中学", BZ_NATURE_INSTITUTION, BZ_RANK_FUKE, "621202",
				 "2010-01-01"), BZ_OK);
	ck_assert_int_eq(fx_unit(&F, organ, F.county_doc, "武都区教育局", BZ_NATURE_ORGAN, BZ_RANK_ZHENGKE, "621202",
				 "2010-01-01"), BZ_OK);
	fx_est(&F, school, "SY", 10, "2010-01-01");
	fx_est(&F, organ, "XZ", 5, "2010-01-01");
	sf_person(&F, zhang, "张伟", "19850615", 11);
	sf_person(&F, li, "李娜", "19900301", 22);
}

static void teardown(void) { bz_ledger_close(F.l); }

/* the message of the last failed change, kept before its transaction is freed */
static char msg[512];
static int keep(int rc)
{
	snprintf(msg, sizeof msg, "%s", rc == BZ_OK ? "" : bz_ledger_errmsg(F.l));
	return rc;
}

/* one change in its own transaction on the county office's document */
static int issue(char out[BZ_UUID_LEN + 1], const char *unit, const char *date, const char *number)
{
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	bz_unitcert *c = NULL;
	int rc = keep(bz_unitcert_issue(&c, t, unit, date, number));
	if (rc == BZ_OK && out)
		memcpy(out, bz_unitcert_uuid(c), BZ_UUID_LEN + 1);
	bz_unitcert_free(c);
	if (rc == BZ_OK)
		rc = bz_txn_commit(t);
	bz_txn_free(t);
	return rc;
}

static int renew(char out[BZ_UUID_LEN + 1], const char *cert, const char *date)
{
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	bz_unitcert *c = NULL;
	int rc = keep(bz_unitcert_renew(&c, t, cert, date, NULL));
	if (rc == BZ_OK && out)
		memcpy(out, bz_unitcert_uuid(c), BZ_UUID_LEN + 1);
	bz_unitcert_free(c);
	if (rc == BZ_OK)
		rc = bz_txn_commit(t);
	bz_txn_free(t);
	return rc;
}

static int void_cert(const char *cert, const char *date)
{
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	int rc = keep(bz_unitcert_void(t, cert, date));
	if (rc == BZ_OK)
		rc = bz_txn_commit(t);
	bz_txn_free(t);
	return rc;
}

static void param(const char *name, const char *value, const char *date)
{
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_rule_param_set(t, name, value, date));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
}

static int state_at(const char *cert, const char *date)
{
	bz_unitcert *c = NULL;
	ck_assert_bz(bz_unitcert_lookup(&c, F.l, cert, date));
	int s = bz_unitcert_state(c);
	bz_unitcert_free(c);
	return s;
}

START_TEST(issue_numbers_and_lookup)
{
	char a[37], b[37];
	ck_assert_int_eq(issue(a, school, "2013-03-01", NULL), BZ_OK);
	ck_assert_int_eq(issue(b, organ, "2013-03-05", "武编证〔2013〕2号"), BZ_OK);
	bz_unitcert *c = NULL;
	ck_assert_bz(bz_unitcert_lookup(&c, F.l, a, "2014-01-01"));
	ck_assert_str_eq(bz_unitcert_number(c), "621202-BZZ-2013-0001"); /* <division>-BZZ-<year>-<seq> */
	ck_assert_str_eq(bz_unitcert_unit(c), school);
	ck_assert_str_eq(bz_unitcert_issued(c), "2013-03-01");
	ck_assert_str_eq(bz_unitcert_valid_until(c), "2018-02-28"); /* five years by default */
	ck_assert_ptr_null(bz_unitcert_voided(c));
	ck_assert_ptr_null(bz_unitcert_renewed(c));
	ck_assert_ptr_null(bz_unitcert_renews(c));
	ck_assert_str_eq(bz_unitcert_as_of(c), "2014-01-01");
	ck_assert_int_eq(bz_unitcert_state(c), BZ_UNITCERT_VALID);
	bz_unitcert_free(c);
	ck_assert_bz(bz_unitcert_lookup_number(&c, F.l, "武编证〔2013〕2号", NULL));
	ck_assert_str_eq(bz_unitcert_uuid(c), b);
	ck_assert_str_eq(bz_unitcert_as_of(c), "2026-12-01"); /* the ledger's today */
	ck_assert_int_eq(bz_unitcert_state(c), BZ_UNITCERT_EXPIRED);
	bz_unitcert_free(c);
	ck_assert_bz(bz_unitcert_held(&c, F.l, school, "2015-06-30"));
	ck_assert_str_eq(bz_unitcert_uuid(c), a);
	bz_unitcert_free(c);
	/* before its issue: pending; held: none yet */
	ck_assert_int_eq(state_at(a, "2013-02-28"), BZ_UNITCERT_PENDING);
	ck_assert_int_eq(bz_unitcert_held(&c, F.l, school, "2013-02-28"), BZ_ENOTFOUND);
	ck_assert_ptr_null(c);
	ck_assert_int_eq(bz_unitcert_lookup_number(&c, F.l, "621202-BZZ-2013-0099", NULL), BZ_ENOTFOUND);
	ck_assert_int_eq(bz_unitcert_lookup(&c, F.l, "00000000-0000-4000-8000-000000000000", NULL), BZ_ENOTFOUND);

	/* the same number twice: BZ_EEXISTS, nothing written */
	long long certs = tu_count(F.l, "unitcert"), events = tu_count(F.l, "event");
	char u2[37];
	ck_assert_int_eq(fx_unit(&F, u2, F.city_doc, "武都区第二中学", BZ_NATURE_INSTITUTION, BZ_RANK_FUKE, "621202",
				 "2010-01-01"), BZ_OK);
	events = tu_count(F.l, "event");
	ck_assert_int_eq(issue(NULL, u2, "2013-04-01", "621202-BZZ-2013-0001"), BZ_EEXISTS);
	ck_assert_str_eq(msg, "a 机构编制管理证 numbered 621202-BZZ-2013-0001 already exists");
	ck_assert_int_eq(tu_count(F.l, "unitcert"), certs);
	ck_assert_int_eq(tu_count(F.l, "event"), events);
	/* the next made-up number of the division and year */
	char c3[37];
	ck_assert_int_eq(issue(c3, u2, "2013-04-01", NULL), BZ_OK);
	ck_assert_bz(bz_unitcert_lookup(&c, F.l, c3, NULL));
	ck_assert_str_eq(bz_unitcert_number(c), "621202-BZZ-2013-0002");
	bz_unitcert_free(c);
	/* a number of the pattern given by hand leaves a gap: the next made-up one follows the highest, it does
	 * not count (a count would give 0004 again) */
	char u3[37], u4[37], c4[37];
	ck_assert_int_eq(fx_unit(&F, u3, F.city_doc, "武都区第三中学", BZ_NATURE_INSTITUTION, BZ_RANK_FUKE, "621202",
				 "2010-01-01"), BZ_OK);
	ck_assert_int_eq(fx_unit(&F, u4, F.city_doc, "武都区第四中学", BZ_NATURE_INSTITUTION, BZ_RANK_FUKE, "621202",
				 "2010-01-01"), BZ_OK);
	ck_assert_int_eq(issue(NULL, u3, "2013-05-01", "621202-BZZ-2013-0004"), BZ_OK);
	ck_assert_int_eq(issue(c4, u4, "2013-05-02", NULL), BZ_OK);
	ck_assert_bz(bz_unitcert_lookup(&c, F.l, c4, NULL));
	ck_assert_str_eq(bz_unitcert_number(c), "621202-BZZ-2013-0005");
	bz_unitcert_free(c);
}
END_TEST

START_TEST(issue_errors_write_nothing)
{
	char a[37];
	ck_assert_int_eq(issue(a, school, "2013-03-01", NULL), BZ_OK);
	long long certs = tu_count(F.l, "unitcert"), events = tu_count(F.l, "event");
	/* a second one while the first is in force: renew it instead */
	ck_assert_int_eq(issue(NULL, school, "2016-01-01", NULL), BZ_EINVAL);
	ck_assert_str_eq(msg, "the unit already holds 机构编制管理证 621202-BZZ-2013-0001, in force on "
						"2016-01-01 (valid 2013-03-01 to 2018-02-28): renew or void it");
	/* one dated before a certificate it already holds */
	ck_assert_int_eq(issue(NULL, school, "2012-01-01", NULL), BZ_EINVAL);
	/* before the unit's founding, an unknown unit, bad arguments */
	ck_assert_int_eq(issue(NULL, organ, "2009-12-31", NULL), BZ_EINVAL);
	ck_assert_int_eq(issue(NULL, "00000000-0000-4000-8000-000000000000", "2013-01-01", NULL), BZ_ENOTFOUND);
	ck_assert_int_eq(issue(NULL, organ, "2013-02-30", NULL), BZ_EINVAL);
	ck_assert_int_eq(issue(NULL, organ, "1899-12-31", NULL), BZ_EINVAL);
	ck_assert_int_eq(issue(NULL, organ, "2013-01-01", ""), BZ_EINVAL);
	char longnum[80];
	memset(longnum, '9', 61);
	longnum[61] = '\0';
	ck_assert_int_eq(issue(NULL, organ, "2013-01-01", longnum), BZ_EINVAL);
	ck_assert_int_eq(issue(NULL, NULL, "2013-01-01", NULL), BZ_EINVAL);
	ck_assert_int_eq(bz_unitcert_issue(NULL, NULL, organ, "2013-01-01", NULL), BZ_EINVAL);
	/* an abolished unit gets none */
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_unit_abolish(t, organ, "2020-01-01"));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	events = tu_count(F.l, "event");
	ck_assert_int_eq(issue(NULL, organ, "2020-06-01", NULL), BZ_EINVAL);
	ck_assert_str_eq(msg, "the unit is not in being on 2020-06-01: no 机构编制管理证 can be issued to it");
	ck_assert_int_eq(tu_count(F.l, "unitcert"), certs);
	ck_assert_int_eq(tu_count(F.l, "event"), events);
	/* reading with bad arguments */
	bz_unitcert *c = NULL;
	bz_unitcert_iter *it = NULL;
	ck_assert_int_eq(bz_unitcert_lookup(&c, F.l, a, "2013-13-01"), BZ_EINVAL);
	ck_assert_int_eq(bz_unitcert_lookup(NULL, F.l, a, NULL), BZ_EINVAL);
	ck_assert_int_eq(bz_unitcert_held(&c, F.l, "x", NULL), BZ_EINVAL);
	ck_assert_int_eq(bz_unitcert_list(&it, F.l, NULL, NULL), BZ_EINVAL);
	ck_assert_ptr_null(it);
	ck_assert_ptr_null(bz_unitcert_number(NULL));
	ck_assert_int_eq(bz_unitcert_state(NULL), 0);
}
END_TEST

/* the validity's boundary: valid on its last day, expired the day after (issued 2013-03-01, 5 years) */
START_TEST(expiry_at_the_boundary)
{
	char a[37];
	ck_assert_int_eq(issue(a, school, "2013-03-01", NULL), BZ_OK);
	ck_assert_int_eq(state_at(a, "2018-02-27"), BZ_UNITCERT_VALID);
	ck_assert_int_eq(state_at(a, "2018-02-28"), BZ_UNITCERT_VALID);
	ck_assert_int_eq(state_at(a, "2018-03-01"), BZ_UNITCERT_EXPIRED);
	/* a 29 February issue runs until 28 February */
	char b[37];
	ck_assert_int_eq(issue(b, organ, "2016-02-29", NULL), BZ_OK);
	bz_unitcert *c = NULL;
	ck_assert_bz(bz_unitcert_lookup(&c, F.l, b, NULL));
	ck_assert_str_eq(bz_unitcert_valid_until(c), "2021-02-28");
	bz_unitcert_free(c);
	/* R14 at the same boundary: entries the day before, on, and after the last valid day */
	param("unitcert.enforce", "error", "2014-01-01");
	char s1[37];
	ck_assert_int_eq(sf_slip(&F, s1, school, "SY", 3, "2018-01-01", "2018-12-31"), BZ_OK);
	ck_assert_int_eq(sf_hire(&F, zhang, school, "SY", s1, "2018-02-27"), BZ_OK);
	ck_assert_int_eq(sf_hire(&F, li, school, "SY", s1, "2018-02-28"), BZ_OK);
	char wang[37];
	sf_person(&F, wang, "王强", "19880808", 33);
	ck_assert_int_eq(sf_hire(&F, wang, school, "SY", s1, "2018-03-01"), BZ_ECONSTRAINT);
	/* the validity is a rule parameter at the issue date: 3 years from 2020 on */
	param("unitcert.validity_years", "3", "2020-01-01");
	char d[37];
	ck_assert_int_eq(renew(d, a, "2020-05-10"), BZ_OK);
	ck_assert_bz(bz_unitcert_lookup(&c, F.l, d, NULL));
	ck_assert_str_eq(bz_unitcert_valid_until(c), "2023-05-09");
	bz_unitcert_free(c);
	char *v = NULL;
	ck_assert_bz(bz_rule_param_get(&v, F.l, "unitcert.validity_years", "2019-12-31"));
	ck_assert_str_eq(v, "5");
	bz_free(v);
	/* malformed values are refused */
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_int_eq(bz_rule_param_set(t, "unitcert.validity_years", "0", "2020-01-01"), BZ_EINVAL);
	ck_assert_int_eq(bz_rule_param_set(t, "unitcert.validity_years", "31", "2020-01-01"), BZ_EINVAL);
	ck_assert_int_eq(bz_rule_param_set(t, "unitcert.enforce", "refuse", "2020-01-01"), BZ_EINVAL);
	ck_assert_bz(bz_txn_rollback(t));
	bz_txn_free(t);
}
END_TEST

START_TEST(renew_and_void)
{
	char a[37], b[37];
	ck_assert_int_eq(issue(a, school, "2013-03-01", NULL), BZ_OK);
	/* renewed after it expired: the new one from its issue, the old one ends that day */
	ck_assert_int_eq(renew(b, a, "2018-04-01"), BZ_OK);
	bz_unitcert *c = NULL;
	ck_assert_bz(bz_unitcert_lookup(&c, F.l, b, "2018-04-01"));
	ck_assert_str_eq(bz_unitcert_number(c), "621202-BZZ-2018-0001");
	ck_assert_str_eq(bz_unitcert_renews(c), a);
	ck_assert_str_eq(bz_unitcert_valid_until(c), "2023-03-31");
	ck_assert_int_eq(bz_unitcert_state(c), BZ_UNITCERT_VALID);
	bz_unitcert_free(c);
	ck_assert_int_eq(state_at(a, "2018-03-31"), BZ_UNITCERT_EXPIRED);
	ck_assert_int_eq(state_at(a, "2018-04-01"), BZ_UNITCERT_RENEWED);
	ck_assert_bz(bz_unitcert_lookup(&c, F.l, a, NULL));
	ck_assert_str_eq(bz_unitcert_renewed(c), "2018-04-01");
	bz_unitcert_free(c);
	ck_assert_bz(bz_unitcert_held(&c, F.l, school, "2018-04-01"));
	ck_assert_str_eq(bz_unitcert_uuid(c), b);
	bz_unitcert_free(c);
	/* a renewed one is not renewed or voided again */
	long long certs = tu_count(F.l, "unitcert"), ends = tu_count(F.l, "unitcert_end");
	ck_assert_int_eq(renew(NULL, a, "2019-01-01"), BZ_EINVAL);
	ck_assert_str_eq(msg, "机构编制管理证 621202-BZZ-2013-0001 was already renewed on 2018-04-01");
	ck_assert_int_eq(void_cert(a, "2019-01-01"), BZ_EINVAL);
	/* a renewal before the certificate's own issue */
	ck_assert_int_eq(renew(NULL, b, "2018-03-01"), BZ_EINVAL);
	ck_assert_int_eq(tu_count(F.l, "unitcert"), certs);
	ck_assert_int_eq(tu_count(F.l, "unitcert_end"), ends);

	/* void: from its date on; not before issue; not twice; a new issue after */
	ck_assert_int_eq(void_cert(b, "2018-03-31"), BZ_EINVAL);
	ck_assert_int_eq(void_cert(b, "2020-07-01"), BZ_OK);
	ck_assert_int_eq(state_at(b, "2020-06-30"), BZ_UNITCERT_VALID);
	ck_assert_int_eq(state_at(b, "2020-07-01"), BZ_UNITCERT_VOID);
	ck_assert_bz(bz_unitcert_lookup(&c, F.l, b, NULL));
	ck_assert_str_eq(bz_unitcert_voided(c), "2020-07-01");
	ck_assert_ptr_null(bz_unitcert_renewed(c));
	bz_unitcert_free(c);
	ck_assert_int_eq(void_cert(b, "2020-08-01"), BZ_EINVAL);
	ck_assert_str_eq(msg, "机构编制管理证 621202-BZZ-2018-0001 was already voided on 2020-07-01");
	ck_assert_int_eq(renew(NULL, b, "2020-08-01"), BZ_EINVAL);
	ck_assert_int_eq(void_cert("00000000-0000-4000-8000-000000000000", "2020-08-01"), BZ_ENOTFOUND);
	char d[37];
	ck_assert_int_eq(issue(d, school, "2020-09-01", NULL), BZ_OK);

	/* the unit's certificates by issue date, each in its state at the date asked */
	bz_unitcert_iter *it = NULL;
	ck_assert_bz(bz_unitcert_list(&it, F.l, school, "2020-08-15"));
	const char *want[] = {a, b, d};
	const int states[] = {BZ_UNITCERT_RENEWED, BZ_UNITCERT_VOID, BZ_UNITCERT_PENDING};
	size_t n = 0;
	int rc;
	while ((rc = bz_unitcert_iter_next(&c, it)) == BZ_OK) {
		ck_assert_uint_lt(n, 3);
		ck_assert_str_eq(bz_unitcert_uuid(c), want[n]);
		ck_assert_int_eq(bz_unitcert_state(c), states[n]);
		n++;
		bz_unitcert_free(c);
	}
	ck_assert_int_eq(rc, BZ_ITEROVER);
	ck_assert_uint_eq(n, 3);
	bz_unitcert_iter_free(it);

	/* each change is a change record of the unit (Table 2), chained and verified */
	bz_change_iter *ci = NULL;
	ck_assert_bz(bz_unit_changes(&ci, F.l, school));
	bz_change *ch = NULL;
	int issues = 0, renews = 0, voids = 0;
	while (bz_change_iter_next(&ch, ci) == BZ_OK) {
		const char *k = bz_change_kind(ch);
		issues += !strcmp(k, "unitcert.issue");
		renews += !strcmp(k, "unitcert.renew");
		voids += !strcmp(k, "unitcert.void");
		if (!strcmp(k, "unitcert.void")) {
			ck_assert_str_eq(bz_change_effective(ch), "2020-07-01");
			ck_assert_str_eq(bz_change_document_number(ch), "武编发〔2013〕5号");
		}
		bz_change_free(ch);
	}
	bz_change_iter_free(ci);
	ck_assert_int_eq(issues, 2);
	ck_assert_int_eq(renews, 1);
	ck_assert_int_eq(voids, 1);
	bz_report *r = NULL;
	ck_assert_bz(bz_ledger_verify(&r, F.l, 0, NULL));
	ck_assert_uint_eq(bz_report_count(r), 0);
	bz_report_free(r);
}
END_TEST

/* R14 is off until an office turns it on: the placements of a ledger without certificates stand */
START_TEST(r14_off_by_default)
{
	char s1[37];
	ck_assert_int_eq(sf_slip(&F, s1, school, "SY", 2, "2020-01-01", "2020-12-31"), BZ_OK);
	ck_assert_int_eq(sf_hire(&F, zhang, school, "SY", s1, "2020-02-01"), BZ_OK);
	char *v = NULL;
	ck_assert_bz(bz_rule_param_get(&v, F.l, "unitcert.enforce", "2020-02-01"));
	ck_assert_str_eq(v, "off");
	bz_free(v);
	bz_report *r = NULL;
	ck_assert_bz(bz_ledger_check(&r, F.l, "2020-12-31"));
	ck_assert_ptr_null(fx_find(r, BZ_RULE_R14, 0));
	bz_report_free(r);
	/* on from a date: a placement before it is not judged */
	param("unitcert.enforce", "error", "2020-06-01");
	ck_assert_int_eq(sf_hire(&F, li, school, "SY", s1, "2020-05-31"), BZ_OK);
	/* the rules table */
	ck_assert_str_eq(bz_rule_code(BZ_RULE_R14), "R14");
	ck_assert_int_eq(bz_rule_severity(BZ_RULE_R14), BZ_SEVERITY_ERROR);
	ck_assert_int_eq(bz_rule_exceptable(BZ_RULE_R14), 0);
	ck_assert_ptr_nonnull(strstr(bz_rule_seed_clause(BZ_RULE_R14), "§3 必须持《机构编制管理证》"));
}
END_TEST

/* R14 as an error: an entry into a unit without a valid certificate is refused, field by field, nothing written */
START_TEST(r14_refuses_entry_exit_and_transfer)
{
	param("unitcert.enforce", "error", "2014-01-01");
	char s1[37], s2[37], a[37];
	ck_assert_int_eq(sf_slip(&F, s1, school, "SY", 3, "2020-01-01", "2020-12-31"), BZ_OK);
	long long placements = tu_count(F.l, "placement"), events = tu_count(F.l, "event"), cards = tu_count(F.l, "card");
	/* none issued */
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_placement_enter(NULL, t, zhang, school, "SY", s1, BZ_ENTRY_RECRUIT, "2020-02-01"));
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	const bz_violation *v = fx_find(bz_txn_report(t), BZ_RULE_R14, BZ_SEVERITY_ERROR);
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(bz_violation_rule_id(v), "R14");
	ck_assert_str_eq(bz_violation_subject(v), school);
	ck_assert_str_eq(bz_violation_subject_name(v), "武都区第一中学");
	ck_assert_str_eq(bz_violation_category(v), "unitcert:none");
	ck_assert_int_eq(bz_violation_allowed(v), 1);
	ck_assert_int_eq(bz_violation_actual(v), 0);
	ck_assert_str_eq(bz_violation_date(v), "2020-02-01");
	ck_assert_str_eq(bz_violation_document(v), F.county_doc);
	ck_assert_str_eq(bz_violation_document_number(v), "武编发〔2013〕5号");
	ck_assert_str_eq(bz_violation_message(v), "R14 机构编制管理证: the entry (入编) into 武都区第一中学 on 2020-02-01 needs "
						  "a valid 机构编制管理证 (seed §3 必须持); it holds no 机构编制管理证");
	ck_assert_uint_eq(bz_report_errors(bz_txn_report(t)), 1);
	bz_txn_free(t);
	ck_assert_int_eq(tu_count(F.l, "placement"), placements);
	ck_assert_int_eq(tu_count(F.l, "event"), events);
	ck_assert_int_eq(tu_count(F.l, "card"), cards);

	/* issued and voided: refused after the void, taken before it */
	ck_assert_int_eq(issue(a, school, "2019-01-01", NULL), BZ_OK);
	ck_assert_int_eq(void_cert(a, "2020-03-01"), BZ_OK);
	ck_assert_int_eq(sf_hire(&F, zhang, school, "SY", s1, "2020-02-01"), BZ_OK);
	placements = tu_count(F.l, "placement");
	events = tu_count(F.l, "event");
	t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_placement_enter(NULL, t, li, school, "SY", s1, BZ_ENTRY_RECRUIT, "2020-03-01"));
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	v = fx_find(bz_txn_report(t), BZ_RULE_R14, BZ_SEVERITY_ERROR);
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(bz_violation_category(v), "unitcert:621202-BZZ-2019-0001");
	ck_assert_str_eq(bz_violation_date(v), "2020-03-01");
	ck_assert_str_eq(bz_violation_message(v), "R14 机构编制管理证: the entry (入编) into 武都区第一中学 on 2020-03-01 needs "
						  "a valid 机构编制管理证 (seed §3 必须持); its 机构编制管理证 "
						  "621202-BZZ-2019-0001 (issued 2019-01-01) was voided on 2020-03-01");
	bz_txn_free(t);
	ck_assert_int_eq(tu_count(F.l, "placement"), placements);
	ck_assert_int_eq(tu_count(F.l, "event"), events);

	/* an exit (出编) of the unit without a valid certificate: refused too */
	t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_placement_exit(t, zhang, BZ_EXIT_RESIGNATION, "2020-04-01"));
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	v = fx_find(bz_txn_report(t), BZ_RULE_R14, BZ_SEVERITY_ERROR);
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(bz_violation_subject(v), school);
	ck_assert_ptr_nonnull(strstr(bz_violation_message(v), "the exit (出编) from 武都区第一中学 on 2020-04-01"));
	bz_txn_free(t);
	ck_assert_int_eq(tu_count(F.l, "placement_exit"), 0);

	/* a transfer from a unit with a valid certificate into the one without: the transfer in is refused */
	char b[37];
	ck_assert_int_eq(issue(b, organ, "2019-01-01", NULL), BZ_OK);
	ck_assert_int_eq(sf_slip(&F, s2, organ, "XZ", 1, "2020-01-01", "2020-12-31"), BZ_OK);
	ck_assert_int_eq(sf_hire(&F, li, organ, "XZ", s2, "2020-02-01"), BZ_OK);
	char s3[37];
	ck_assert_int_eq(sf_slip(&F, s3, school, "SY", 1, "2020-01-01", "2020-12-31"), BZ_OK);
	events = tu_count(F.l, "event");
	t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_placement_transfer(NULL, t, li, school, "SY", s3, "2020-05-01"));
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	ck_assert_uint_eq(bz_report_errors(bz_txn_report(t)), 1); /* the organ's certificate is valid: 调出 passes */
	v = fx_find(bz_txn_report(t), BZ_RULE_R14, BZ_SEVERITY_ERROR);
	ck_assert_str_eq(bz_violation_subject(v), school);
	ck_assert_ptr_nonnull(strstr(bz_violation_message(v), "the transfer (调入) into 武都区第一中学 on 2020-05-01"));
	bz_txn_free(t);
	ck_assert_int_eq(tu_count(F.l, "event"), events);
	/* a new certificate: the transfer goes through */
	ck_assert_int_eq(issue(NULL, school, "2020-04-20", NULL), BZ_OK);
	t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_placement_transfer(NULL, t, li, school, "SY", s3, "2020-05-01"));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
}
END_TEST

/* R14 as a warning: reported, the change stands; the self-inspection lists units without a valid certificate */
START_TEST(r14_warning_and_inspection)
{
	param("unitcert.enforce", "warning", "2014-01-01");
	char s1[37], a[37];
	ck_assert_int_eq(sf_slip(&F, s1, school, "SY", 2, "2020-01-01", "2020-12-31"), BZ_OK);
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_placement_enter(NULL, t, zhang, school, "SY", s1, BZ_ENTRY_RECRUIT, "2020-02-01"));
	ck_assert_bz(bz_txn_commit(t));
	const bz_violation *v = fx_find(bz_txn_report(t), BZ_RULE_R14, BZ_SEVERITY_WARNING);
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(bz_violation_category(v), "unitcert:none");
	bz_txn_free(t);
	ck_assert_int_eq(issue(a, school, "2015-01-01", NULL), BZ_OK); /* valid 2015-01-01 … 2019-12-31 */

	/* the inspection at 2019-06-30: the organ holds none; the school's is valid; the 2020 entry is after it */
	param("unitcert.enforce", "error", "2019-01-01");
	bz_report *r = NULL;
	ck_assert_bz(bz_ledger_check(&r, F.l, "2019-06-30"));
	size_t n14 = 0;
	for (size_t i = 0; i < bz_report_count(r); i++) {
		v = bz_report_get(r, i);
		if (bz_violation_rule(v) != BZ_RULE_R14)
			continue;
		n14++;
		ck_assert_str_eq(bz_violation_subject(v), organ);
		ck_assert_str_eq(bz_violation_subject_name(v), "武都区教育局");
		ck_assert_str_eq(bz_violation_category(v), "unitcert:none");
		ck_assert_int_eq(bz_violation_severity(v), BZ_SEVERITY_WARNING); /* a unit's finding: one to issue */
		ck_assert_str_eq(bz_violation_date(v), "2019-06-30");
		ck_assert_ptr_null(bz_violation_document(v));
	}
	ck_assert_uint_eq(n14, 1);
	bz_report_free(r);
	/* at 2020-06-30: both units (the school's expired), and the entry of 2020-02-01 */
	ck_assert_bz(bz_ledger_check(&r, F.l, "2020-06-30"));
	n14 = 0;
	bool entry = false, expired = false;
	for (size_t i = 0; i < bz_report_count(r); i++) {
		v = bz_report_get(r, i);
		if (bz_violation_rule(v) != BZ_RULE_R14)
			continue;
		n14++;
		if (!strcmp(bz_violation_date(v), "2020-02-01")) {
			entry = true;
			ck_assert_str_eq(bz_violation_subject(v), school);
			ck_assert_str_eq(bz_violation_category(v), "unitcert:621202-BZZ-2015-0001");
			ck_assert_ptr_nonnull(strstr(bz_violation_message(v), "was valid until 2019-12-31"));
			ck_assert_int_eq(bz_violation_severity(v), BZ_SEVERITY_ERROR); /* the entry: as enforced */
		} else if (!strcmp(bz_violation_subject(v), school)) {
			expired = true;
		}
	}
	ck_assert_uint_eq(n14, 3);
	ck_assert(entry && expired);
	bz_report_free(r);
}
END_TEST

/* R6: a certificate rests on an establishment office's document (issuers.unitcert "1"); openings are not judged */
START_TEST(r6_document_of_a_certificate)
{
	char party[37];
	bz_txn *t = tu_begin(F.l);
	fx_doc(t, party, "中共武都区委", "武发〔2013〕3号", BZ_LEVEL_COUNTY, BZ_ISSUER_PARTY, "621202");
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	long long certs = tu_count(F.l, "unitcert");
	t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, party));
	ck_assert_bz(bz_unitcert_issue(NULL, t, school, "2013-03-01", NULL));
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	const bz_violation *v = fx_find(bz_txn_report(t), BZ_RULE_R6, BZ_SEVERITY_ERROR);
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(bz_violation_document_number(v), "武发〔2013〕3号");
	bz_txn_free(t);
	ck_assert_int_eq(tu_count(F.l, "unitcert"), certs);
	/* no document at all */
	t = tu_begin(F.l);
	ck_assert_bz(bz_unitcert_issue(NULL, t, school, "2013-03-01", NULL));
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	ck_assert_ptr_nonnull(fx_find(bz_txn_report(t), BZ_RULE_R6, BZ_SEVERITY_ERROR));
	bz_txn_free(t);
	ck_assert_int_eq(tu_count(F.l, "unitcert"), certs);
}
END_TEST

/* R15: in a ledger with offices the certificate is the establishment office's (power structure), not HR's */
START_TEST(r15_only_the_establishment_office)
{
	static const char *const wd = "武都区机构编制委员会办公室", *const hr = "武都区人力资源和社会保障局";
	bz_txn *t = NULL;
	ck_assert_bz(bz_txn_begin(&t, F.l, "张三", wd));
	ck_assert_bz(bz_office_register(NULL, t, wd, "621202", BZ_OFFICE_ESTABLISHMENT));
	ck_assert_bz(bz_office_register(NULL, t, hr, "621202", BZ_OFFICE_HR));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	long long certs = tu_count(F.l, "unitcert"), events = tu_count(F.l, "event");
	ck_assert_bz(bz_txn_begin(&t, F.l, "李四", hr));
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_unitcert_issue(NULL, t, organ, "2013-03-01", NULL));
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	const bz_violation *v = fx_find(bz_txn_report(t), BZ_RULE_R15, BZ_SEVERITY_ERROR);
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(bz_violation_subject(v), organ);
	ck_assert_str_eq(bz_violation_office(v), hr);
	bz_txn_free(t);
	ck_assert_int_eq(tu_count(F.l, "unitcert"), certs);
	ck_assert_int_eq(tu_count(F.l, "event"), events);
	ck_assert_bz(bz_txn_begin(&t, F.l, "张三", wd));
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_unitcert_issue(NULL, t, organ, "2013-03-01", NULL));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
}
END_TEST

static const char *cell_of(const bz_sheet *s, size_t row, const char *header)
{
	for (size_t c = 0; c < bz_sheet_columns(s); c++)
		if (!strcmp(bz_sheet_header(s, c), header))
			return bz_sheet_cell(s, row, c);
	ck_abort_msg("no column %s", header);
	return NULL;
}

/* Table 1 shows the number held at its date; Table 2 the certificate at each record's date */
START_TEST(tables_1_and_2)
{
	char a[37];
	ck_assert_int_eq(issue(a, school, "2013-03-01", NULL), BZ_OK);
	ck_assert_int_eq(void_cert(a, "2016-03-01"), BZ_OK);
	bz_sheet *s = NULL;
	ck_assert_bz(bz_sheet_table1(&s, F.l, "621202", "2015-01-01"));
	ck_assert_int_eq(bz_sheet_columns(s), 20);
	ck_assert_str_eq(bz_sheet_header(s, 17), "内设机构"); /* the columns before stay where they were */
	bool seen = false;
	for (size_t r = 0; r < bz_sheet_rows(s); r++) {
		const char *name = cell_of(s, r, "单位名称");
		if (!strcmp(name, "武都区第一中学")) {
			ck_assert_str_eq(cell_of(s, r, "机构编制管理证编号"), "621202-BZZ-2013-0001");
			ck_assert_str_eq(cell_of(s, r, "管理证状态"), "有效");
			seen = true;
		} else {
			ck_assert_ptr_null(cell_of(s, r, "机构编制管理证编号"));
			ck_assert_str_eq(cell_of(s, r, "管理证状态"), "无");
		}
	}
	ck_assert(seen);
	bz_sheet_free(s);
	ck_assert_bz(bz_sheet_table1(&s, F.l, "621202", "2016-03-01"));
	for (size_t r = 0; r < bz_sheet_rows(s); r++)
		if (!strcmp(cell_of(s, r, "单位名称"), "武都区第一中学"))
			ck_assert_str_eq(cell_of(s, r, "管理证状态"), "已作废");
	bz_sheet_free(s);

	ck_assert_bz(bz_sheet_table2(&s, F.l, NULL, school, NULL, NULL));
	ck_assert_int_eq(bz_sheet_columns(s), 12);
	ck_assert_str_eq(bz_sheet_header(s, 7), "记录人");
	size_t issued_row = SIZE_MAX, void_row = SIZE_MAX, first = SIZE_MAX;
	for (size_t r = 0; r < bz_sheet_rows(s); r++) {
		const char *what = cell_of(s, r, "事项");
		if (!strcmp(what, "核发机构编制管理证"))
			issued_row = r;
		else if (!strcmp(what, "作废机构编制管理证"))
			void_row = r;
		else if (!strcmp(what, "成立"))
			first = r;
	}
	ck_assert_uint_ne(issued_row, SIZE_MAX);
	ck_assert_uint_ne(void_row, SIZE_MAX);
	ck_assert_uint_ne(first, SIZE_MAX);
	ck_assert_str_eq(cell_of(s, issued_row, "机构编制管理证编号"), "621202-BZZ-2013-0001");
	ck_assert_str_eq(cell_of(s, issued_row, "发证日期"), "2013-03-01");
	ck_assert_str_eq(cell_of(s, issued_row, "有效期至"), "2018-02-28");
	ck_assert_str_eq(cell_of(s, issued_row, "管理证状态"), "有效");
	ck_assert_ptr_nonnull(strstr(cell_of(s, issued_row, "变更内容"), "管理证编号: 无 → 621202-BZZ-2013-0001"));
	ck_assert_str_eq(cell_of(s, void_row, "管理证状态"), "已作废");
	ck_assert_ptr_null(cell_of(s, first, "机构编制管理证编号")); /* founded before any certificate */
	ck_assert_str_eq(cell_of(s, first, "管理证状态"), "无");
	bz_sheet_free(s);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("unitcert");
	TCase *tc = tcase_create("unitcert");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, issue_numbers_and_lookup);
	tcase_add_test(tc, issue_errors_write_nothing);
	tcase_add_test(tc, expiry_at_the_boundary);
	tcase_add_test(tc, renew_and_void);
	tcase_add_test(tc, r14_off_by_default);
	tcase_add_test(tc, r14_refuses_entry_exit_and_transfer);
	tcase_add_test(tc, r14_warning_and_inspection);
	tcase_add_test(tc, r6_document_of_a_certificate);
	tcase_add_test(tc, tables_1_and_2);
	tcase_add_test(tc, r15_only_the_establishment_office);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
