/* test_check.c: the full check of a ledger at any date (bz_ledger_check). */
#include "staff_fixture.h"
#include "internal.h"

#include <stdarg.h>
#include <stdlib.h>

static fx F;
static char organ[BZ_UUID_LEN + 1];

static void setup(void)
{
	fx_setup(&F);
	ck_assert_int_eq(fx_unit(&F, organ, F.county_doc, "武都区教育局", BZ_NATURE_ORGAN, BZ_RANK_ZHENGKE, "621202", "2010-01-01"), BZ_OK);
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.city_doc));
	ck_assert_bz(bz_limit_set(t, "621202", 1, 100, "2010-01-01"));
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_establishment_set(t, organ, "XZ", 2, "2012-01-01"));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
}

static void teardown(void)
{
	bz_ledger_close(F.l);
}

START_TEST(clean_ledger_has_no_errors)
{
	bz_report *r = NULL;
	ck_assert_bz(bz_ledger_check(&r, F.l, NULL));
	ck_assert_uint_eq(bz_report_errors(r), 0);
	bz_report_free(r);
}
END_TEST

START_TEST(finds_what_a_commit_never_saw)
{
	/* counters written behind the engine's back (an import gone wrong):
	 * 3 people in post from 2015 against establishment 2 */
	char key[128];
	snprintf(key, sizeof key, "U:%s:staff:XZ", organ);
	ck_assert_bz(bz_tl_add(F.l, key, "2015-03-01", NULL, 3));

	bz_report *r = NULL;
	ck_assert_bz(bz_ledger_check(&r, F.l, "2014-12-31"));
	ck_assert_uint_eq(bz_report_errors(r), 0);
	bz_report_free(r);

	/* the self-inspection recomputes the staff from the placements (none)
	 * and names the counter that no record explains (账实不符) */
	ck_assert_bz(bz_ledger_check(&r, F.l, "2016-01-01"));
	const bz_violation *v = fx_find(r, BZ_RULE_INTEGRITY, BZ_SEVERITY_ERROR);
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(bz_violation_rule_id(v), "INTEGRITY");
	ck_assert_str_eq(bz_violation_subject(v), organ); /* no record gives it: the key's subject */
	ck_assert_str_eq(bz_violation_category(v), key);
	ck_assert_int_eq(bz_violation_allowed(v), 0);
	ck_assert_int_eq(bz_violation_actual(v), 3);
	ck_assert_ptr_null(bz_violation_document(v));
	ck_assert_str_eq(bz_violation_date(v), "2016-01-01");
	ck_assert_ptr_nonnull(strstr(bz_violation_message(v), "账实不符"));
	/* and the over-establishment the counter claims is reported too, from that date */
	v = fx_find(r, BZ_RULE_R1, 0);
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(bz_violation_subject(v), organ);
	ck_assert_str_eq(bz_violation_date(v), "2015-03-01");
	bz_report_free(r);
}
END_TEST

/*
 * A county office's ledger of some thousands of records: the self-inspection
 * judges them in batches (of 4,096) and still finds a hire written by hand
 * among the last, once, and nothing else but the counters it bypassed.
 */
START_TEST(many_records_judged_in_batches)
{
	enum { PEOPLE = 4200 }; /* more persons, hires and events than one batch each */
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.city_doc));
	ck_assert_bz(bz_limit_set(t, "621202", 1, 5000, "2012-01-01"));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	fx_est(&F, organ, "XZ", 4500, "2012-01-01");
	char slip[BZ_UUID_LEN + 1], first[BZ_UUID_LEN + 1] = "", last[BZ_UUID_LEN + 1] = "";
	ck_assert_int_eq(sf_slip(&F, slip, organ, "XZ", PEOPLE, "2015-01-01", "2015-12-31"), BZ_OK);
	for (int i = 0; i < PEOPLE; i += 500) {
		t = tu_begin(F.l);
		ck_assert_bz(bz_txn_set_document(t, F.county_doc));
		for (int k = i; k < i + 500 && k < PEOPLE; k++) {
			char id[19], region[7], date[BZ_DATE_LEN + 1];
			snprintf(region, sizeof region, "6212%02d", 2 + k / 1000);
			sf_idnum(id, region, "19900101", k % 1000);
			bz_person *p = NULL;
			ck_assert_bz(bz_person_register(&p, t, id, "某人", 0, NULL));
			if (k == 0)
				memcpy(first, bz_person_uuid(p), BZ_UUID_LEN + 1);
			snprintf(date, sizeof date, "2015-%02d-%02d", 1 + k % 12, 1 + k % 28);
			ck_assert_bz(bz_placement_enter(NULL, t, bz_person_uuid(p), organ, "XZ", slip, BZ_ENTRY_RECRUIT, date));
			bz_person_free(p);
		}
		ck_assert_bz(bz_txn_commit(t));
		bz_txn_free(t);
	}
	/* the first records, damaged in the file: the first person's birth (R10, and R7: hired at 5), the
	 * first hire's slip taken away (R8, and the slip's reservation no longer agrees) */
	char sql[1024];
	snprintf(sql, sizeof sql,
		 "UPDATE person SET birth='2010-01-01' WHERE id='%s';"
		 "UPDATE placement SET slip=NULL WHERE person='%s';", first, first);
	ck_assert_int_eq(tu_exec(F.l, sql), SQLITE_OK);
	/* and one more person, hired by hand with no slip, after every other record */
	char id[19];
	sf_idnum(id, "621299", "19920202", 1);
	t = tu_begin(F.l);
	bz_person *p = NULL;
	ck_assert_bz(bz_person_register(&p, t, id, "孙丽", 0, NULL));
	memcpy(last, bz_person_uuid(p), BZ_UUID_LEN + 1);
	bz_person_free(p);
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	snprintf(sql, sizeof sql,
		 "INSERT INTO event(txn, kind, subject, unit, effective, doc) SELECT max(id), 'placement.enter',"
		 " 'b0000000-0000-4000-8000-000000000009', '%s', '2016-03-01', '%s' FROM txn_log;"
		 "INSERT INTO placement(id, person, unit, category, slip, entry_kind, entry, event)"
		 " SELECT 'b0000000-0000-4000-8000-000000000009', '%s', '%s', 'XZ', NULL, 1, '2016-03-01', max(id) FROM event;",
		 organ, F.county_doc, last, organ);
	ck_assert_int_eq(tu_exec(F.l, sql), SQLITE_OK);
	ck_assert_int_gt(tu_count(F.l, "placement"), 4096);

	/* today's inspection: the registrations are dated today */
	bz_report *r = NULL;
	ck_assert_bz(bz_ledger_check(&r, F.l, NULL));
	size_t n[BZ_RULE_INTEGRITY + 1] = {0};
	bool first_r8 = false, last_r8 = false;
	for (size_t i = 0; i < bz_report_count(r); i++) {
		const bz_violation *v = bz_report_get(r, i);
		if (bz_violation_severity(v) != BZ_SEVERITY_ERROR)
			continue;
		int rule = bz_violation_rule(v);
		ck_assert_int_le(rule, BZ_RULE_INTEGRITY);
		n[rule]++;
		if (rule == BZ_RULE_R8) {
			ck_assert_str_eq(bz_violation_subject(v), organ);
			ck_assert_ptr_nonnull(strstr(bz_violation_message(v), "no usage slip"));
			if (strcmp(bz_violation_date(v), "2016-03-01") == 0)
				last_r8 = true;
			else if (strcmp(bz_violation_date(v), "2015-01-01") == 0)
				first_r8 = true;
		}
		if (rule == BZ_RULE_R7) { /* the first hire, of a person born five years before */
			ck_assert_str_eq(bz_violation_subject(v), first);
			ck_assert_int_eq(bz_violation_actual(v), 5);
			ck_assert_str_eq(bz_violation_date(v), "2015-01-01");
		}
		if (rule == BZ_RULE_R10) {
			ck_assert_str_eq(bz_violation_subject(v), first);
			ck_assert_str_eq(bz_violation_category(v), "birth");
		}
		if (rule == BZ_RULE_INTEGRITY) { /* the unit's and the county's staff never saw the hand-made hire */
			ck_assert_ptr_nonnull(strstr(bz_violation_category(v), ":staff:"));
			ck_assert_int_eq(bz_violation_allowed(v), PEOPLE + 1);
			ck_assert_int_eq(bz_violation_actual(v), PEOPLE);
		}
	}
	ck_assert(first_r8 && last_r8);
	ck_assert_uint_eq(n[BZ_RULE_R8], 2);
	ck_assert_uint_eq(n[BZ_RULE_R7], 1);  /* hired at five */
	ck_assert_uint_eq(n[BZ_RULE_R10], 1); /* birth and ID number disagree */
	ck_assert_uint_eq(n[BZ_RULE_INTEGRITY], 2); /* (the slip's lost hire: it expired in 2015, nothing reserved today) */
	size_t others = 0;
	for (int rule = 0; rule <= BZ_RULE_INTEGRITY; rule++)
		if (rule != BZ_RULE_R8 && rule != BZ_RULE_R7 && rule != BZ_RULE_R10 && rule != BZ_RULE_INTEGRITY)
			others += n[rule];
	ck_assert_uint_eq(others, 0);
	bz_report_free(r);
}
END_TEST

START_TEST(errors)
{
	bz_report *r = NULL;
	ck_assert_int_eq(bz_ledger_check(NULL, F.l, NULL), BZ_EINVAL);
	ck_assert_int_eq(bz_ledger_check(&r, NULL, NULL), BZ_EINVAL);
	ck_assert_int_eq(bz_ledger_check(&r, F.l, "2015-02-29"), BZ_EINVAL);
	bz_txn *t = tu_begin(F.l);
	ck_assert_int_eq(bz_ledger_check(&r, F.l, NULL), BZ_EMISUSE);
	ck_assert_ptr_null(r);
	bz_txn_free(t);
}
END_TEST

START_TEST(full_check_covers_leaders_and_subunits)
{
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_leadership_set(t, organ, 1, 1, BZ_RANK_ZHENGKE, "2012-01-01"));
	ck_assert_bz(bz_subunit_approve(t, organ, 1, "2012-01-01"));
	ck_assert_bz(bz_subunit_create(NULL, t, organ, "办公室", BZ_RANK_ZHENGGU, "2012-01-01"));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	/* behind the engine's back: two principals, a second sub-unit counted */
	char key[128];
	snprintf(key, sizeof key, "L:%s:principal", organ);
	ck_assert_bz(bz_tl_add(F.l, key, "2013-01-01", NULL, 2));
	snprintf(key, sizeof key, "S:%s:count", organ);
	ck_assert_bz(bz_tl_add(F.l, key, "2014-01-01", NULL, 1));
	bz_report *r = NULL;
	ck_assert_bz(bz_ledger_check(&r, F.l, NULL));
	/* R2 and R3 from the counters, and both counters disagreeing with the records */
	ck_assert_uint_eq(bz_report_errors(r), 4);
	const bz_violation *v2 = NULL, *v3 = NULL;
	size_t integrity = 0;
	for (size_t i = 0; i < bz_report_count(r); i++)
		integrity += bz_violation_rule(bz_report_get(r, i)) == BZ_RULE_INTEGRITY;
	ck_assert_uint_eq(integrity, 2);
	for (size_t i = 0; i < bz_report_count(r); i++) {
		const bz_violation *v = bz_report_get(r, i);
		if (bz_violation_rule(v) == BZ_RULE_R2)
			v2 = v;
		if (bz_violation_rule(v) == BZ_RULE_R3)
			v3 = v;
	}
	ck_assert_ptr_nonnull(v2);
	ck_assert_str_eq(bz_violation_category(v2), "principal");
	ck_assert_int_eq(bz_violation_allowed(v2), 1);
	ck_assert_int_eq(bz_violation_actual(v2), 2);
	ck_assert_str_eq(bz_violation_date(v2), "2013-01-01");
	ck_assert_ptr_nonnull(v3);
	ck_assert_str_eq(bz_violation_subject(v3), organ);
	ck_assert_int_eq(bz_violation_allowed(v3), 1);
	ck_assert_int_eq(bz_violation_actual(v3), 2);
	ck_assert_str_eq(bz_violation_date(v3), "2014-01-01");
	bz_report_free(r);
	/* at a date before the damage, the ledger is clean */
	ck_assert_bz(bz_ledger_check(&r, F.l, "2012-12-31"));
	ck_assert_uint_eq(bz_report_errors(r), 0);
	bz_report_free(r);
}
END_TEST

/*
 * No fixed cap on the categories of a unit (a county's code table can hold
 * 27): 20 categories added to the code table, one person in post in each,
 * and every one of them is listed in Table 1, refused at the unit's
 * abolition (R7: still in post) and checked by the self-inspection.
 */
START_TEST(twenty_categories_no_cap)
{
	enum { NCAT = 20 };
	char codes[NCAT][8];
	bz_txn *t = tu_begin(F.l);
	for (int i = 0; i < NCAT; i++) {
		char name[64];
		snprintf(codes[i], sizeof codes[i], "DF%02d", i + 1);
		snprintf(name, sizeof name, "地方专项行政编制（第%d类）", i + 1);
		ck_assert_bz(bz_category_add(t, codes[i], name, BZ_BRANCH_ADMINISTRATIVE, BZ_NATURE_ORGAN));
	}
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	for (int i = 0; i < NCAT; i++) {
		char person[BZ_UUID_LEN + 1], slip[BZ_UUID_LEN + 1], birth[9];
		fx_est(&F, organ, codes[i], 1, "2012-01-01");
		snprintf(birth, sizeof birth, "1980%02d%02d", i % 12 + 1, i + 1);
		sf_person(&F, person, "干部", birth, 101 + 2 * i);
		ck_assert_int_eq(sf_slip(&F, slip, organ, codes[i], 1, "2013-01-01", "2013-06-30"), BZ_OK);
		ck_assert_int_eq(sf_hire(&F, person, organ, codes[i], slip, "2013-03-01"), BZ_OK);
	}

	bz_basic_table *tb = NULL;
	ck_assert_bz(bz_basic_table_get(&tb, F.l, organ, "2014-01-01"));
	ck_assert_uint_eq(bz_basic_table_rows(tb), NCAT + 1); /* the 20 and XZ */
	for (int i = 0; i < NCAT; i++) {
		ck_assert_str_eq(bz_basic_table_category(tb, (size_t)i), codes[i]);
		ck_assert_int_eq(bz_basic_table_establishment(tb, (size_t)i), 1);
		ck_assert_int_eq(bz_basic_table_staff(tb, (size_t)i), 1);
	}
	ck_assert_str_eq(bz_basic_table_category(tb, NCAT), "XZ");
	bz_basic_table_free(tb);

	bz_report *r = NULL;
	ck_assert_bz(bz_ledger_check(&r, F.l, NULL));
	ck_assert_uint_eq(bz_report_errors(r), 0);
	bz_report_free(r);

	/* abolished with everyone still in post: one R7 record per category, none dropped */
	long long events = tu_count(F.l, "event"), tl = tu_count(F.l, "tl");
	t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_unit_abolish(t, organ, "2015-01-01"));
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	const bz_report *rr = bz_txn_report(t);
	bool seen[NCAT] = {false};
	size_t r7 = 0;
	for (size_t i = 0; i < bz_report_count(rr); i++) {
		const bz_violation *v = bz_report_get(rr, i);
		if (bz_violation_rule(v) != BZ_RULE_R7)
			continue;
		r7++;
		ck_assert_str_eq(bz_violation_subject(v), organ);
		ck_assert_str_eq(bz_violation_subject_name(v), "武都区教育局");
		ck_assert_int_eq(bz_violation_allowed(v), 0);
		ck_assert_int_eq(bz_violation_actual(v), 1);
		ck_assert_str_eq(bz_violation_date(v), "2015-01-01");
		ck_assert_str_eq(bz_violation_document(v), F.county_doc);
		for (int c = 0; c < NCAT; c++)
			if (strcmp(bz_violation_category(v), codes[c]) == 0)
				seen[c] = true;
	}
	ck_assert_uint_eq(r7, NCAT);
	for (int c = 0; c < NCAT; c++)
		ck_assert_msg(seen[c], "no R7 record for %s", codes[c]);
	bz_txn_free(t);
	ck_assert_int_eq(tu_count(F.l, "event"), events);
	ck_assert_int_eq(tu_count(F.l, "tl"), tl);
}
END_TEST

/* ---- damage behind the library ---------------------------------------------------------
 *
 * A county ledger in a file, closed, then edited with SQLite directly — as
 * someone would with the sqlite3 shell — and opened again: the
 * self-inspection recomputes every figure from the records and names each
 * counter that disagrees (INTEGRITY: allowed = what the records give,
 * actual = what the counter says), and re-runs the record rules (R6, R7,
 * R8, R10) over what was written by hand.
 */

static char path[256];
static char jur[BZ_UUID_LEN + 1];                                  /* 武都区 */
static char edu[BZ_UUID_LEN + 1], culture[BZ_UUID_LEN + 1];        /* 教育局, 文化局 */
static char office[BZ_UUID_LEN + 1], section[BZ_UUID_LEN + 1];     /* 办公室, 教育股 of 教育局 */
static char zhang[BZ_UUID_LEN + 1], li[BZ_UUID_LEN + 1], wang[BZ_UUID_LEN + 1];
static char slip_edu[BZ_UUID_LEN + 1], slip_culture[BZ_UUID_LEN + 1];
static char head[BZ_UUID_LEN + 1];                                 /* 张伟, 局长 of 教育局 */

#define TODAY "2026-12-01"

static void open_file(void)
{
	F.l = NULL;
	ck_assert_bz(bz_ledger_open(&F.l, path, BZ_OPEN_CREATE));
	ck_assert_bz(bz_ledger_set_clock(F.l, TODAY));
}

static void appoint(const char *person, const char *subject, int post, const char *date, char *out)
{
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	bz_appointment *a = NULL;
	ck_assert_bz(bz_appointment_make(&a, t, person, subject, post, date));
	if (out)
		memcpy(out, bz_appointment_uuid(a), BZ_UUID_LEN + 1);
	bz_appointment_free(a);
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
}

/* 武都区: 教育局 (XZ 5, 1+2 leaders, 3 sub-units approved, 2 set up) and 文化局 (XZ 3) */
static void county_setup(void)
{
	snprintf(path, sizeof path, "%s", tu_tmpfile("check"));
	open_file();
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_jurisdiction_create(NULL, t, "620000", "甘肃省", NULL));
	ck_assert_bz(bz_jurisdiction_create(NULL, t, "621200", "陇南市", "620000"));
	bz_jurisdiction *j = NULL;
	ck_assert_bz(bz_jurisdiction_create(&j, t, "621202", "武都区", "621200"));
	memcpy(jur, bz_jurisdiction_uuid(j), BZ_UUID_LEN + 1);
	bz_jurisdiction_free(j);
	fx_doc(t, F.city_doc, "陇南市机构编制委员会", "陇编发〔2012〕31号", BZ_LEVEL_CITY, BZ_ISSUER_ESTABLISHMENT, "621200");
	fx_doc(t, F.county_doc, "武都区机构编制委员会", "武编发〔2013〕5号", BZ_LEVEL_COUNTY, BZ_ISSUER_ESTABLISHMENT, "621202");
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);

	t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.city_doc));
	ck_assert_bz(bz_limit_set(t, "621202", 1, 100, "2010-01-01"));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	ck_assert_int_eq(fx_unit(&F, edu, F.county_doc, "武都区教育局", BZ_NATURE_ORGAN, BZ_RANK_ZHENGKE, "621202", "2010-01-01"), BZ_OK);
	ck_assert_int_eq(fx_unit(&F, culture, F.county_doc, "武都区文化局", BZ_NATURE_ORGAN, BZ_RANK_ZHENGKE, "621202", "2010-01-01"), BZ_OK);
	fx_est(&F, edu, "XZ", 5, "2010-01-01");
	fx_est(&F, culture, "XZ", 3, "2010-01-01");

	t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_leadership_set(t, edu, 1, 2, BZ_RANK_ZHENGKE, "2010-01-01"));
	ck_assert_bz(bz_subunit_approve(t, edu, 3, "2010-01-01"));
	bz_subunit *s = NULL;
	ck_assert_bz(bz_subunit_create(&s, t, edu, "办公室", BZ_RANK_ZHENGGU, "2010-01-01"));
	memcpy(office, bz_subunit_uuid(s), BZ_UUID_LEN + 1);
	bz_subunit_free(s);
	ck_assert_bz(bz_subunit_create(&s, t, edu, "教育股", BZ_RANK_ZHENGGU, "2011-01-01"));
	memcpy(section, bz_subunit_uuid(s), BZ_UUID_LEN + 1);
	bz_subunit_free(s);
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);

	sf_person(&F, zhang, "张伟", "19850615", 11);
	sf_person(&F, li, "李娜", "19900301", 22);
	sf_person(&F, wang, "王强", "19880808", 33);
	/* an expired slip, both posts used; a live one with one post still reserved today */
	ck_assert_int_eq(sf_slip(&F, slip_edu, edu, "XZ", 2, "2020-01-01", "2020-06-30"), BZ_OK);
	ck_assert_int_eq(sf_hire(&F, zhang, edu, "XZ", slip_edu, "2020-03-01"), BZ_OK);
	ck_assert_int_eq(sf_hire(&F, li, edu, "XZ", slip_edu, "2020-03-01"), BZ_OK);
	ck_assert_int_eq(sf_slip(&F, slip_culture, culture, "XZ", 2, "2026-06-01", "2026-12-31"), BZ_OK);
	ck_assert_int_eq(sf_hire(&F, wang, culture, "XZ", slip_culture, "2026-07-01"), BZ_OK);
	appoint(zhang, edu, BZ_POST_PRINCIPAL, "2021-01-01", head);
	appoint(li, edu, BZ_POST_DEPUTY, "2021-01-01", NULL);
	bz_ledger_close(F.l);
	F.l = NULL;
}

static void county_teardown(void)
{
	bz_ledger_close(F.l);
	F.l = NULL;
	tu_rm(path);
}

/* edit the closed file as the sqlite3 shell would (foreign keys off, no library) */
static int edit(const char *sql)
{
	sqlite3 *db = NULL;
	ck_assert_int_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
	int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	ck_assert_int_eq(sqlite3_close(db), SQLITE_OK);
	return rc;
}

static void edit_ok(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void edit_ok(const char *fmt, ...)
{
	char sql[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(sql, sizeof sql, fmt, ap);
	va_end(ap);
	ck_assert_msg(edit(sql) == SQLITE_OK, "%s", sql);
}

/* open the edited file again and run the self-inspection at today */
static bz_report *reopen_check(void)
{
	open_file();
	bz_report *r = NULL;
	ck_assert_bz(bz_ledger_check(&r, F.l, TODAY));
	ck_assert_ptr_nonnull(r);
	return r;
}

static size_t count_rule(const bz_report *r, int rule)
{
	size_t n = 0;
	for (size_t i = 0; i < bz_report_count(r); i++)
		n += bz_violation_rule(bz_report_get(r, i)) == rule;
	return n;
}

/* the INTEGRITY violation of one counter key, checked field by field */
static void assert_integrity(const bz_report *r, const char *key, const char *subject, int64_t records,
			     int64_t counter)
{
	const bz_violation *v = NULL;
	for (size_t i = 0; i < bz_report_count(r) && !v; i++) {
		const bz_violation *w = bz_report_get(r, i);
		if (bz_violation_rule(w) == BZ_RULE_INTEGRITY && strcmp(bz_violation_category(w), key) == 0)
			v = w;
	}
	ck_assert_msg(v != NULL, "no INTEGRITY violation for %s", key);
	ck_assert_str_eq(bz_violation_rule_id(v), "INTEGRITY");
	ck_assert_int_eq(bz_violation_severity(v), BZ_SEVERITY_ERROR);
	ck_assert_str_eq(bz_violation_subject(v), subject);
	ck_assert_int_eq(bz_violation_allowed(v), records);
	ck_assert_int_eq(bz_violation_actual(v), counter);
	ck_assert_str_eq(bz_violation_date(v), TODAY);
	ck_assert_ptr_null(bz_violation_document(v));
	ck_assert_ptr_nonnull(strstr(bz_violation_message(v), "账实不符"));
}

static void key_unit(char *buf, const char *unit, const char *what)
{
	snprintf(buf, BZ_KEY_MAX, "U:%s:%s:XZ", unit, what);
}

static void key_jur(char *buf, const char *what)
{
	snprintf(buf, BZ_KEY_MAX, "J:%s:%s:1", jur, what);
}

START_TEST(untouched_file_is_clean)
{
	bz_report *r = reopen_check();
	ck_assert_uint_eq(bz_report_count(r), 0);
	bz_report_free(r);
	/* the figures the damage tests disturb, as the library keeps them */
	int64_t n = 0;
	ck_assert_bz(bz_establishment_get(&n, F.l, edu, "XZ", TODAY));
	ck_assert_int_eq(n, 5);
	bz_leadership *q = NULL;
	ck_assert_bz(bz_leadership_get(&q, F.l, edu, TODAY));
	ck_assert_int_eq(bz_leadership_principals(q), 1);
	ck_assert_int_eq(bz_leadership_deputies(q), 1);
	bz_leadership_free(q);
}
END_TEST

/*
 * An exit dated exactly on the check's date: the person is out of post
 * that day (the counter steps down on the exit's date), so the
 * self-inspection's recompute must not count them — an exit on the date
 * counts as much as one before it (x.date<=date, not <). 李娜 leaves
 * 教育局 on TODAY: the library's figures say 1 in post today and 2 the day
 * before, and the self-inspection agrees with them on both days.
 */
START_TEST(exit_on_the_check_date)
{
	open_file();
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_placement_exit(t, li, BZ_EXIT_RESIGNATION, TODAY));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);

	static const struct {
		const char *date;
		int64_t staff;
	} days[] = {{"2026-11-30", 2}, {TODAY, 1}};
	for (size_t d = 0; d < sizeof days / sizeof days[0]; d++) {
		/* Table 1 of 教育局 from the counters: XZ, establishment 5, the slip expired */
		bz_basic_table *b = NULL;
		ck_assert_bz(bz_basic_table_get(&b, F.l, edu, days[d].date));
		ck_assert_uint_eq(bz_basic_table_rows(b), 1);
		ck_assert_str_eq(bz_basic_table_category(b, 0), "XZ");
		ck_assert_int_eq(bz_basic_table_establishment(b, 0), 5);
		ck_assert_int_eq(bz_basic_table_staff(b, 0), days[d].staff);
		ck_assert_int_eq(bz_basic_table_reserved(b, 0), 0);
		ck_assert_int_eq(bz_basic_table_vacant(b, 0), 5 - days[d].staff);
		ck_assert_int_eq(bz_basic_table_over(b, 0), 0);
		bz_basic_table_free(b);

		/* the self-inspection recomputes the same figures from the records: no INTEGRITY
		 * (with the exit counted only before the date, it would find 2 in post today) */
		bz_report *r = NULL;
		ck_assert_bz(bz_ledger_check(&r, F.l, days[d].date));
		for (size_t i = 0; i < bz_report_count(r); i++) {
			const bz_violation *v = bz_report_get(r, i);
			ck_assert_msg(0, "check at %s: %s %s %s allowed %lld actual %lld: %s", days[d].date,
				      bz_violation_rule_id(v), bz_violation_subject(v), bz_violation_category(v),
				      (long long)bz_violation_allowed(v), (long long)bz_violation_actual(v),
				      bz_violation_message(v));
		}
		ck_assert_uint_eq(bz_report_count(r), 0);
		ck_assert_uint_eq(bz_report_errors(r), 0);
		bz_report_free(r);
	}
}
END_TEST

START_TEST(deleted_placement)
{
	/* 李娜 disappears from 教育局's roster; the staff counters still count her */
	edit_ok("DELETE FROM placement WHERE person='%s'", li);
	bz_report *r = reopen_check();
	char key[BZ_KEY_MAX];
	key_unit(key, edu, "staff");
	assert_integrity(r, key, edu, 1, 2);
	key_jur(key, "staff");
	assert_integrity(r, key, jur, 2, 3);
	ck_assert_uint_eq(count_rule(r, BZ_RULE_INTEGRITY), 2);
	ck_assert_uint_eq(bz_report_errors(r), 2);
	bz_report_free(r);
}
END_TEST

START_TEST(altered_establishment_fact)
{
	/* the change log refuses edits: the triggers must go first */
	char sql[256];
	snprintf(sql, sizeof sql, "UPDATE fact SET after='3' WHERE subject='%s' AND attr='est:XZ'", edu);
	ck_assert_int_eq(edit(sql), SQLITE_CONSTRAINT);
	edit_ok("DROP TRIGGER fact_no_update; %s", sql);
	bz_report *r = reopen_check();
	char key[BZ_KEY_MAX];
	key_unit(key, edu, "est");
	assert_integrity(r, key, edu, 3, 5);
	key_jur(key, "est");
	assert_integrity(r, key, jur, 6, 8);
	ck_assert_uint_eq(bz_report_errors(r), 2);
	bz_report_free(r);
}
END_TEST

START_TEST(deleted_live_slip)
{
	/* 文化局's live slip (2 posts, 1 used) is gone: nothing is reserved by the records,
	 * and 王强's hire now rests on a slip the ledger does not hold (R8) */
	edit_ok("DELETE FROM slip WHERE id='%s'", slip_culture);
	bz_report *r = reopen_check();
	char key[BZ_KEY_MAX];
	key_unit(key, culture, "resv");
	assert_integrity(r, key, culture, 0, 1);
	key_jur(key, "resv");
	assert_integrity(r, key, jur, 0, 1);
	ck_assert_uint_eq(count_rule(r, BZ_RULE_INTEGRITY), 2);
	const bz_violation *v = fx_find(r, BZ_RULE_R8, BZ_SEVERITY_ERROR);
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(bz_violation_subject(v), culture);
	ck_assert_str_eq(bz_violation_subject_name(v), "武都区文化局");
	ck_assert_str_eq(bz_violation_category(v), "XZ");
	ck_assert_str_eq(bz_violation_date(v), "2026-07-01");
	ck_assert_str_eq(bz_violation_document_number(v), "武编发〔2013〕5号");
	ck_assert_int_eq(bz_violation_allowed(v), -1);
	ck_assert_ptr_nonnull(strstr(bz_violation_message(v), slip_culture));
	ck_assert_ptr_nonnull(strstr(bz_violation_message(v), "not in the ledger"));
	ck_assert_uint_eq(bz_report_errors(r), 3);
	bz_report_free(r);
}
END_TEST

START_TEST(deleted_appointment)
{
	edit_ok("DELETE FROM appointment WHERE id='%s'", head);
	bz_report *r = reopen_check();
	char key[BZ_KEY_MAX];
	snprintf(key, sizeof key, "L:%s:principal", edu);
	assert_integrity(r, key, edu, 0, 1);
	ck_assert_uint_eq(bz_report_errors(r), 1);
	bz_report_free(r);
}
END_TEST

START_TEST(deleted_subunit)
{
	edit_ok("DELETE FROM subunit WHERE id='%s'", section);
	bz_report *r = reopen_check();
	char key[BZ_KEY_MAX];
	snprintf(key, sizeof key, "S:%s:count", edu);
	assert_integrity(r, key, edu, 1, 2);
	ck_assert_uint_eq(bz_report_errors(r), 1);
	bz_report_free(r);
}
END_TEST

START_TEST(rules_rerun_on_rows_written_by_hand)
{
	/* a person registered by hand with an ID number whose check character is wrong,
	 * and a hire of that person into 文化局 with no slip */
	char id[19], id0[19];
	sf_idnum(id, "621202", "19950505", 55);
	id[17] = id[17] == '1' ? '2' : '1';
	/* and a person row alone, with no registration record, of region 000000 */
	sf_idnum(id0, "000000", "19930303", 77);
	edit_ok("INSERT INTO person(id, id_number, name, sex, birth) VALUES('a0000000-0000-4000-8000-000000000002',"
		" '%s', '周杰', 1, '1993-03-03')", id0);
	edit_ok("INSERT INTO event(txn, kind, subject, unit, effective) SELECT max(id), 'person.register',"
		" 'a0000000-0000-4000-8000-000000000001', NULL, '2026-01-05' FROM txn_log;"
		"INSERT INTO person(id, id_number, name, sex, birth, event) SELECT 'a0000000-0000-4000-8000-000000000001',"
		" '%s', '孙丽', 1, '1995-05-05', max(id) FROM event;"
		"INSERT INTO event(txn, kind, subject, unit, effective, doc) SELECT max(id), 'placement.enter',"
		" 'b0000000-0000-4000-8000-000000000001', '%s', '2026-02-01', '%s' FROM txn_log;"
		"INSERT INTO placement(id, person, unit, category, slip, entry_kind, entry, event)"
		" SELECT 'b0000000-0000-4000-8000-000000000001', 'a0000000-0000-4000-8000-000000000001', '%s', 'XZ', NULL, 1,"
		" '2026-02-01', max(id) FROM event;",
		id, culture, F.county_doc, culture);
	bz_report *r = reopen_check();
	const bz_violation *v = fx_find(r, BZ_RULE_R10, BZ_SEVERITY_ERROR);
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(bz_violation_subject(v), "a0000000-0000-4000-8000-000000000001");
	ck_assert_str_eq(bz_violation_subject_name(v), "孙丽");
	ck_assert_str_eq(bz_violation_category(v), "id_number");
	ck_assert_str_eq(bz_violation_date(v), "2026-01-05");
	ck_assert_ptr_nonnull(strstr(bz_violation_message(v), "check character"));
	v = NULL;
	for (size_t i = 0; i < bz_report_count(r); i++)
		if (bz_violation_rule(bz_report_get(r, i)) == BZ_RULE_R10 &&
		    strcmp(bz_violation_subject(bz_report_get(r, i)), "a0000000-0000-4000-8000-000000000002") == 0)
			v = bz_report_get(r, i);
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(bz_violation_subject_name(v), "周杰");
	ck_assert_str_eq(bz_violation_category(v), "id_number");
	ck_assert_str_eq(bz_violation_date(v), TODAY); /* no record to date it: the day of the inspection */
	ck_assert_ptr_nonnull(strstr(bz_violation_message(v), "region 000000"));
	ck_assert_uint_eq(count_rule(r, BZ_RULE_R10), 2);
	v = fx_find(r, BZ_RULE_R8, BZ_SEVERITY_ERROR);
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(bz_violation_subject(v), culture);
	ck_assert_str_eq(bz_violation_category(v), "XZ");
	ck_assert_int_eq(bz_violation_allowed(v), 1);
	ck_assert_int_eq(bz_violation_actual(v), 0);
	ck_assert_str_eq(bz_violation_date(v), "2026-02-01");
	ck_assert_str_eq(bz_violation_document_number(v), "武编发〔2013〕5号");
	ck_assert_ptr_nonnull(strstr(bz_violation_message(v), "no usage slip"));
	ck_assert_uint_eq(count_rule(r, BZ_RULE_R8), 1);
	/* and the staff counters never saw the hire */
	char key[BZ_KEY_MAX];
	key_unit(key, culture, "staff");
	assert_integrity(r, key, culture, 2, 1);
	key_jur(key, "staff");
	assert_integrity(r, key, jur, 4, 3);
	ck_assert_uint_eq(bz_report_errors(r), 5);
	bz_report_free(r);
}
END_TEST

/* a second post written by hand for a person still in post (the set-based R5 of the self-inspection) */
START_TEST(second_post_written_by_hand)
{
	edit_ok("INSERT INTO event(txn, kind, subject, unit, effective, doc) SELECT max(id), 'placement.enter',"
		" 'b0000000-0000-4000-8000-000000000005', '%s', '2026-08-01', '%s' FROM txn_log;"
		"INSERT INTO placement(id, person, unit, category, slip, entry_kind, entry, event)"
		" SELECT 'b0000000-0000-4000-8000-000000000005', '%s', '%s', 'XZ', '%s', 1, '2026-08-01', max(id) FROM event;",
		culture, F.county_doc, zhang, culture, slip_culture);
	bz_report *r = reopen_check();
	const bz_violation *v = fx_find(r, BZ_RULE_R5, BZ_SEVERITY_ERROR);
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(bz_violation_subject(v), zhang);
	ck_assert_str_eq(bz_violation_subject_name(v), "张伟");
	ck_assert_str_eq(bz_violation_category(v), "XZ");
	ck_assert_int_eq(bz_violation_allowed(v), 1);
	ck_assert_int_eq(bz_violation_actual(v), 2);
	ck_assert_str_eq(bz_violation_date(v), "2026-08-01");
	ck_assert_str_eq(bz_violation_document_number(v), "武编发〔2013〕5号");
	ck_assert_ptr_nonnull(strstr(bz_violation_message(v), "武都区文化局"));
	ck_assert_uint_eq(count_rule(r, BZ_RULE_R5), 1);
	bz_report_free(r);
	/* before the second entry the person held one post */
	ck_assert_bz(bz_ledger_check(&r, F.l, "2026-07-31"));
	ck_assert_uint_eq(count_rule(r, BZ_RULE_R5), 0);
	bz_report_free(r);
}
END_TEST

START_TEST(rules_rerun_on_rows_altered_by_hand)
{
	/* 王强's birth date moved to 2012 (entering at 14: R7 working age, and the
	 * number says otherwise: R10); 武编发〔2013〕5号 turned into a business
	 * department's document (R6 for every change resting on it) */
	edit_ok("UPDATE person SET birth='2012-08-08' WHERE id='%s';"
		"UPDATE document SET kind=%d WHERE id='%s'", wang, BZ_ISSUER_BUSINESS, F.county_doc);
	bz_report *r = reopen_check();
	const bz_violation *v = NULL;
	for (size_t i = 0; i < bz_report_count(r); i++) {
		const bz_violation *w = bz_report_get(r, i);
		if (bz_violation_rule(w) == BZ_RULE_R7 && bz_violation_subject(w) && strcmp(bz_violation_subject(w), wang) == 0)
			v = w;
	}
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(bz_violation_subject_name(v), "王强");
	ck_assert_str_eq(bz_violation_category(v), "XZ");
	ck_assert_int_eq(bz_violation_allowed(v), 16);
	ck_assert_int_eq(bz_violation_actual(v), 13);
	ck_assert_str_eq(bz_violation_date(v), "2026-07-01");
	v = fx_find(r, BZ_RULE_R10, BZ_SEVERITY_ERROR);
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(bz_violation_subject(v), wang);
	ck_assert_str_eq(bz_violation_category(v), "birth");
	ck_assert_str_eq(bz_violation_date(v), "2012-08-08");
	ck_assert_uint_eq(count_rule(r, BZ_RULE_R10), 1);
	/* every change resting on the county document: 2 units, 2 establishments, the
	 * leadership quota, the sub-unit approval and 2 sub-units, 2 slips, 3 hires, 2 appointments (15) */
	ck_assert_uint_eq(count_rule(r, BZ_RULE_R6), 15);
	for (size_t i = 0; i < bz_report_count(r); i++) {
		const bz_violation *w = bz_report_get(r, i);
		if (bz_violation_rule(w) != BZ_RULE_R6)
			continue;
		ck_assert_str_eq(bz_violation_document(w), F.county_doc);
		ck_assert_str_eq(bz_violation_document_number(w), "武编发〔2013〕5号");
	}
	ck_assert_uint_eq(count_rule(r, BZ_RULE_INTEGRITY), 0);
	bz_report_free(r);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("check");
	TCase *tc = tcase_create("full");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, clean_ledger_has_no_errors);
	tcase_add_test(tc, finds_what_a_commit_never_saw);
	tcase_add_test(tc, many_records_judged_in_batches);
	tcase_add_test(tc, errors);
	tcase_add_test(tc, full_check_covers_leaders_and_subunits);
	tcase_add_test(tc, twenty_categories_no_cap);
	suite_add_tcase(s, tc);
	tc = tcase_create("damage");
	tcase_add_checked_fixture(tc, county_setup, county_teardown);
	tcase_add_test(tc, untouched_file_is_clean);
	tcase_add_test(tc, exit_on_the_check_date);
	tcase_add_test(tc, deleted_placement);
	tcase_add_test(tc, altered_establishment_fact);
	tcase_add_test(tc, deleted_live_slip);
	tcase_add_test(tc, deleted_appointment);
	tcase_add_test(tc, deleted_subunit);
	tcase_add_test(tc, rules_rerun_on_rows_written_by_hand);
	tcase_add_test(tc, rules_rerun_on_rows_altered_by_hand);
	tcase_add_test(tc, second_post_written_by_hand);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(suite());
}
