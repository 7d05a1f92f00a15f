/*
 * test_inspect.c: the self-inspection's set-based queries (issue 10) against
 * the per-record walk they replaced, kept as the oracle
 * (bz_ledger_check_walk, internal). A Longnan county ledger of two counties
 * and the city (report_county.h: 50 units, 600 people hired on slips,
 * retirements, a transfer, a cut below staff, frozen posts, a rename, a
 * re-rank, sub-units) is damaged behind the library with violations of
 * every rule family — past-dated changes, expired, cancelled and exhausted
 * slips, hires on no slip, over-establishment after a cut, a second post,
 * bad ID numbers and credit codes, leaders over quota, sub-units over the
 * approved number, a quota limit below the establishment, documents of the
 * wrong authority, mixed categories, counters edited — and both engines must
 * give the very same violations, record by record and field by field, at
 * today and at dates in the past. (Every other suite runs its checks
 * differentially too: testutil.c.)
 */
#include "report_county.h"
#include "testutil.h"
#include "internal.h"
#include "rules_records.h"

#include <stdarg.h>

#define TODAY "2026-12-01"
#define PEOPLE 600

static rc_county C;
static char path[256];
static bz_ledger *L;

static void open_file(void)
{
	L = NULL;
	ck_assert_bz(bz_ledger_open(&L, path, BZ_OPEN_CREATE));
	ck_assert_bz(bz_ledger_set_clock(L, TODAY));
}

/* edit the closed file as the sqlite3 shell would (foreign keys off, no library) */
static void edit_ok(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void edit_ok(const char *fmt, ...)
{
	char sql[4096];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(sql, sizeof sql, fmt, ap);
	va_end(ap);
	ck_assert_int_lt(n, (int)sizeof sql);
	sqlite3 *db = NULL;
	ck_assert_int_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
	char *err = NULL;
	int rc = sqlite3_exec(db, sql, NULL, NULL, &err);
	ck_assert_msg(rc == SQLITE_OK, "%s: %s", sql, err ? err : "?");
	sqlite3_free(err);
	ck_assert_int_eq(sqlite3_close(db), SQLITE_OK);
}

static const char *U(int i) { return C.u[i].uuid; }

/* a person registered by hand (a registration record and the row naming it, schema 13), hired by hand into unit on
 * slip (NULL: none) */
static void hire_by_hand(int k, const char *idnum, int sex, const char *birth, int unit, const char *slip_sql,
			 const char *date)
{
	edit_ok("INSERT INTO event(txn, kind, subject, unit, effective) SELECT max(id), 'person.register',"
		" 'a0000000-0000-4000-8000-%012d', NULL, '%s' FROM txn_log;"
		"INSERT INTO person(id, id_number, name, sex, birth, event) SELECT 'a0000000-0000-4000-8000-%012d', '%s',"
		" '手工%d', %d, '%s', max(id) FROM event;"
		"INSERT INTO event(txn, kind, subject, unit, effective, doc) SELECT max(id), 'placement.enter',"
		" 'b0000000-0000-4000-8000-%012d', '%s', '%s', '%s' FROM txn_log;"
		"INSERT INTO placement(id, person, unit, category, slip, entry_kind, entry, event)"
		" SELECT 'b0000000-0000-4000-8000-%012d', 'a0000000-0000-4000-8000-%012d', '%s', '%s', %s, 1, '%s', max(id)"
		" FROM event;",
		k, date, k, idnum, k, sex, birth, k, U(unit), date, C.city_doc, k, k, U(unit), C.u[unit].cat,
		slip_sql ? slip_sql : "NULL", date);
}

/* a change record of a unit with one fact, by hand */
static void change_by_hand(const char *kind, const char *unit, const char *date, const char *doc, const char *attr,
			   const char *after)
{
	edit_ok("INSERT INTO event(txn, kind, subject, unit, effective, doc) SELECT max(id), '%s', '%s', '%s', '%s', '%s'"
		" FROM txn_log;"
		"INSERT INTO fact(event, subject, attr, effective, before, after) SELECT max(id), '%s', '%s', '%s', NULL, '%s'"
		" FROM event;",
		kind, unit, unit, date, doc, unit, attr, date, after);
}

static void county_setup(void)
{
	snprintf(path, sizeof path, "%s", tu_tmpfile("inspect"));
	open_file();
	int rc = rc_build(&C, L, PEOPLE);
	ck_assert_msg(rc == BZ_OK, "%s", C.error);
	bz_ledger_close(L);
	L = NULL;
}

static void county_teardown(void)
{
	bz_ledger_close(L);
	L = NULL;
	tu_rm(path);
}

static size_t count_rule(const bz_report *r, int rule)
{
	size_t n = 0;
	for (size_t i = 0; i < bz_report_count(r); i++)
		n += bz_violation_rule(bz_report_get(r, i)) == rule;
	return n;
}

/* both engines at date: the same records, field by field, in the same order; the set-based report returned */
static bz_report *both(const char *date)
{
	bz_report *fast = NULL, *walk = NULL;
	int saved = bz_check_differential;
	bz_check_differential = false; /* the comparison is this test's own here */
	ck_assert_bz(bz_ledger_check(&fast, L, date));
	ck_assert_bz(bz_ledger_check_walk(&walk, L, date));
	bz_check_differential = saved;
	long at = bz_report_diff(fast, walk);
	ck_assert_msg(at < 0, "at %s the engines differ at record %ld of %zu/%zu: '%s' vs '%s'", date, at,
		      bz_report_count(fast), bz_report_count(walk),
		      (size_t)at < bz_report_count(fast) ? bz_violation_message(bz_report_get(fast, (size_t)at)) : "(none)",
		      (size_t)at < bz_report_count(walk) ? bz_violation_message(bz_report_get(walk, (size_t)at)) : "(none)");
	bz_report_free(walk);
	return fast;
}

START_TEST(clean_county_agrees)
{
	open_file();
	bz_report *r = both(TODAY);
	/* the county as built: no error (the unit cut below its staff keeps its people, R1 §6) */
	ck_assert_uint_eq(bz_report_errors(r), 0);
	bz_report_free(r);
	r = both("2016-12-31");
	bz_report_free(r);
}
END_TEST

START_TEST(every_family_planted_agrees)
{
	char id[19], bad[19], key[256];
	/* R7: a change dated before its unit's founding (成县乡村振兴服务中心, founded 2020-05-01) */
	change_by_hand("establishment.set", U(49), "2019-01-01", C.city_doc, "est:SY", "5");
	/* R7 and R10: a person's birth moved to 2012 (entering in 2011 under working age; the number disagrees) */
	edit_ok("UPDATE person SET birth='2012-08-08' WHERE id=(SELECT person FROM placement WHERE unit='%s' LIMIT 1)",
		U(4));
	/* R8: a hire on 武都区人民政府办公室's 2011 slip in 2013 (expired) */
	rc_idnum(id, "621202", 1990, 1, 2, 901);
	hire_by_hand(1, id, BZ_SEX_MALE, "1990-01-02", 0, "(SELECT id FROM slip WHERE number='621202-2011-001')", "2013-05-01");
	/* R8: 发展和改革局's slip cancelled before its hires (every hire on it) */
	edit_ok("INSERT INTO slip_end(slip, date) SELECT id, '2011-02-01' FROM slip WHERE number='621202-2011-002'");
	/* R8: one more hire on 教育局's slip, within its validity: exhausted */
	rc_idnum(id, "621202", 1991, 3, 4, 902);
	hire_by_hand(2, id, BZ_SEX_FEMALE, "1991-03-04", 2, "(SELECT id FROM slip WHERE number='621202-2011-003')", "2011-06-01");
	/* R8: a hire on no slip at all (成县教育局) */
	rc_idnum(id, "621221", 1992, 5, 6, 903);
	hire_by_hand(3, id, BZ_SEX_MALE, "1992-05-06", 41, NULL, "2021-04-01");
	/* R10: a bad check character and a sex that disagrees with the number */
	rc_idnum(bad, "621202", 1993, 7, 8, 904);
	bad[17] = bad[17] == '1' ? '2' : '1';
	hire_by_hand(4, bad, BZ_SEX_FEMALE, "1993-07-08", 5, "(SELECT id FROM slip WHERE number='621202-2011-006')", "2011-07-01");
	rc_idnum(id, "621202", 1994, 9, 10, 906); /* sequence 906: even, a woman's number */
	hire_by_hand(5, id, BZ_SEX_MALE, "1994-09-10", 6, "(SELECT id FROM slip WHERE number='621202-2011-007')", "2011-07-01");
	/* R10: a credit code with a wrong check character */
	edit_ok("UPDATE unit SET credit_code='11621202MB0000000X' WHERE id='%s'", U(7));
	/* R5: a second post for a person in post in 武都区司法局 */
	edit_ok("INSERT INTO event(txn, kind, subject, unit, effective, doc) SELECT max(id), 'placement.enter',"
		" 'b0000000-0000-4000-8000-000000000099', '%s', '2022-02-01', '%s' FROM txn_log;"
		"INSERT INTO placement(id, person, unit, category, slip, entry_kind, entry, event)"
		" SELECT 'b0000000-0000-4000-8000-000000000099', (SELECT person FROM placement WHERE unit='%s' LIMIT 1),"
		" '%s', 'XZ', NULL, 1, '2022-02-01', max(id) FROM event;",
		U(9), C.city_doc, U(7), U(9));
	/* R1: 武都区财政局's establishment cut below its staff by hand (and its counter never saw it) */
	change_by_hand("establishment.set", U(8), "2020-01-01", C.city_doc, "est:XZ", "2");
	/* R11: institution posts in an organ, in its record and its counter */
	change_by_hand("establishment.set", U(10), "2018-01-01", C.city_doc, "est:SY", "3");
	edit_ok("INSERT INTO counter(key) VALUES('U:%s:est:SY');"
		"INSERT INTO tl(counter, effective, value) SELECT id, '2018-01-01', 3 FROM counter WHERE key='U:%s:est:SY'",
		U(10), U(10));
	/* R4: 成县's administrative limit cut below its units' establishment */
	edit_ok("INSERT INTO event(txn, kind, subject, unit, effective, doc) SELECT max(t.id), 'limit.set', j.id, NULL,"
		" '2019-01-01', '%s' FROM txn_log t, jurisdiction j WHERE j.code='621221';"
		"INSERT INTO fact(event, subject, attr, effective, before, after) SELECT max(e.id), j.id, 'limit:1',"
		" '2019-01-01', NULL, '20' FROM event e, jurisdiction j WHERE j.code='621221';",
		C.city_doc);
	/* R6: a change of a 武都区 unit resting on a business department's document, and one on 成县's office's */
	edit_ok("INSERT INTO document(id, issuer, number, abbr, year, seq, title, date, level, kind, jurisdiction)"
		" VALUES('d0000000-0000-4000-8000-000000000001', '武都区教育局', '武教发〔2015〕3号', '武教发', 2015, 3, '关于', '2015-01-01',"
		" 4, %d, '621202');"
		"INSERT INTO document(id, issuer, number, abbr, year, seq, title, date, level, kind, jurisdiction)"
		" VALUES('d0000000-0000-4000-8000-000000000002', '成县机构编制委员会', '成编发〔2015〕4号', '成编发', 2015, 4, '关于', '2015-01-01',"
		" 4, %d, '621221');",
		BZ_ISSUER_BUSINESS, BZ_ISSUER_ESTABLISHMENT);
	change_by_hand("establishment.set", U(11), "2016-01-01", "d0000000-0000-4000-8000-000000000001", "est:GQ",
		       "3");
	change_by_hand("establishment.set", U(12), "2016-01-01", "d0000000-0000-4000-8000-000000000002", "est:GQ",
		       "3");
	/* R6 未批先设: a change dated before its document */
	change_by_hand("establishment.set", U(13), "2014-06-01", "d0000000-0000-4000-8000-000000000002", "est:GQ",
		       "3");
	/* two more principals of 武都区公安局 than its quota of one, by hand */
	for (int n = 1; n <= 3; n++)
		edit_ok("INSERT INTO appointment(id, person, subject, post, start) VALUES('c0000000-0000-4000-8000-00000000000%d',"
			" (SELECT person FROM placement WHERE unit='%s' ORDER BY rowid LIMIT 1 OFFSET %d), '%s', %d, '2020-0%d-01')",
			n, U(5), n, U(5), BZ_POST_PRINCIPAL, n);
	/* R2: a principal quota of five, against the norms (and the appointments above the quota, by hand, which
	 * the counters never saw: INTEGRITY) */
	change_by_hand("leadership.set", U(6), "2020-01-01", C.city_doc, "quota:principal", "5");
	/* R3: 武都区财政局's approved sub-units cut to one below the three it has */
	change_by_hand("subunit.approve", U(C.subunit_unit), "2020-06-01", C.city_doc, "subunits:approved", "1");
	/* and two sub-units more set up by hand, which the counters never saw */
	edit_ok("INSERT INTO subunit(id, unit, founded) VALUES('e0000000-0000-4000-8000-000000000001', '%s', '2013-01-01'),"
		" ('e0000000-0000-4000-8000-000000000002', '%s', '2014-01-01')",
		U(C.subunit_unit), U(C.subunit_unit));
	/* R1 by the use alone (staff within establishment, reserved over it): a slip of 500 posts issued by hand to
	 * 武都区 unit 17 on 2021-03-01, its reserve in the counter too until the slip's end */
	snprintf(key, sizeof key, "U:%s:resv:%s", U(17), C.u[17].cat);
	edit_ok("INSERT INTO slip(id, number, unit, category, posts, purpose, issued, valid_until)"
		" VALUES('f0000000-0000-4000-8000-000000000001', '621202-2021-901', '%s', '%s', 500, %d, '2021-03-01',"
		" '2021-12-31');"
		"INSERT OR IGNORE INTO counter(key) VALUES('%s');"
		"INSERT OR REPLACE INTO tl(counter, effective, value) SELECT id, '2021-03-01', 500 FROM counter WHERE key='%s';"
		"INSERT OR REPLACE INTO tl(counter, effective, value) SELECT id, '2022-01-01', 0 FROM counter WHERE key='%s'",
		U(17), C.u[17].cat, BZ_PURPOSE_RECRUIT, key, key, key);
	/* INTEGRITY: a counter edited */
	snprintf(key, sizeof key, "U:%s:staff:%s", U(15), C.u[15].cat);
	edit_ok("UPDATE tl SET value=value+7 WHERE counter=(SELECT id FROM counter WHERE key='%s')", key);

	open_file();
	long long before = tu_count(L, "event") + tu_count(L, "fact");
	bz_report *r = both(TODAY);
	/* every family is there: the comparison is not of two empty lists */
	static const int families[] = {BZ_RULE_R1, BZ_RULE_R2, BZ_RULE_R3, BZ_RULE_R4, BZ_RULE_R5, BZ_RULE_R6,
				       BZ_RULE_R7, BZ_RULE_R8, BZ_RULE_R10, BZ_RULE_R11, BZ_RULE_INTEGRITY};
	for (size_t i = 0; i < sizeof families / sizeof families[0]; i++)
		ck_assert_msg(count_rule(r, families[i]) > 0, "no violation of rule %d among %zu", families[i],
			      bz_report_count(r));
	if (getenv("BZ_TEST_VERBOSE"))
		for (size_t i = 0; i < bz_report_count(r); i++)
			fprintf(stderr, "%s\n", bz_violation_message(bz_report_get(r, i)));
	/* the slip over establishment: R1 on its unit and day, its reserve counted in the use */
	bool use_over = false;
	for (size_t i = 0; i < bz_report_count(r); i++) {
		const bz_violation *v = bz_report_get(r, i);
		if (bz_violation_rule(v) == BZ_RULE_R1 && strcmp(bz_violation_subject(v), U(17)) == 0 &&
		    strcmp(bz_violation_date(v), "2021-03-01") == 0) {
			use_over = true;
			ck_assert_int_eq(bz_violation_severity(v), BZ_SEVERITY_ERROR);
			ck_assert_str_eq(bz_violation_category(v), C.u[17].cat);
			ck_assert_int_eq(bz_violation_allowed(v), C.u[17].est);
			ck_assert_int_ge(bz_violation_actual(v), 500);
		}
	}
	ck_assert_msg(use_over, "no R1 for the slip of 500 posts");
	/* the cancelled slip faults each of its hires, one record each */
	ck_assert_uint_ge(count_rule(r, BZ_RULE_R8), 4);
	bz_report_free(r);
	/* and in the past: before the damage of the 2020s, before the 2013 hire */
	static const char *const dates[] = {"2021-12-31", "2016-12-31", "2012-12-31", "2011-03-01", "2009-12-31"};
	for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++)
		bz_report_free(both(dates[i]));
	/* the inspection writes nothing */
	ck_assert_int_eq(tu_count(L, "event") + tu_count(L, "fact"), before);
}
END_TEST

/* the R6 violations of subject dated date in r */
static size_t r6_at(const bz_report *r, const char *subject, const char *date, int64_t allowed, int64_t actual)
{
	size_t n = 0;
	for (size_t i = 0; i < bz_report_count(r); i++) {
		const bz_violation *v = bz_report_get(r, i);
		if (bz_violation_rule(v) != BZ_RULE_R6 || strcmp(bz_violation_subject(v), subject) != 0 ||
		    strcmp(bz_violation_date(v), date) != 0)
			continue;
		ck_assert_int_eq(bz_violation_severity(v), BZ_SEVERITY_ERROR);
		ck_assert_int_eq(bz_violation_allowed(v), allowed);
		ck_assert_int_eq(bz_violation_actual(v), actual);
		n++;
	}
	return n;
}

/*
 * R6 judges one record per group of records that share what its judgment
 * reads (rules_authority.c, r6_group_key): a faulted group faults each of its
 * records; what changes in between — a rule parameter, the unit's nature, its
 * rank — splits a unit's records on one document into groups judged apart.
 */
START_TEST(r6_groups_agree)
{
	/* a business department's document (never a basis) behind three changes of 武都区妇幼保健院, with a
	 * clean change of 武都区图书馆 on the county's document between them: three violations, in record order */
	edit_ok("INSERT INTO document(id, issuer, number, abbr, year, seq, title, date, level, kind, jurisdiction)"
		" VALUES('d0000000-0000-4000-8000-000000000011', '武都区卫生健康局', '武卫发〔2015〕9号', '武卫发', 2015, 9, '关于',"
		" '2015-01-01', 4, %d, '621202')",
		BZ_ISSUER_BUSINESS);
	change_by_hand("unit.duties", U(26), "2016-01-01", "d0000000-0000-4000-8000-000000000011", "duties", "a");
	change_by_hand("unit.duties", U(27), "2016-01-15", C.county_doc, "duties", "b");
	change_by_hand("unit.duties", U(26), "2016-02-01", "d0000000-0000-4000-8000-000000000011", "duties", "c");
	change_by_hand("unit.duties", U(26), "2016-03-01", "d0000000-0000-4000-8000-000000000011", "duties", "d");
	/* a rule parameter from 2017: an institution's duties are changed by the city or higher; 武都区图书馆's
	 * changes on the county's document are right before it, wrong after */
	edit_ok("INSERT INTO event(txn, kind, subject, unit, effective, doc) SELECT max(id), 'rules.param', 'rules', NULL,"
		" '2017-01-01', '%s' FROM txn_log;"
		"INSERT INTO fact(event, subject, attr, effective, before, after) SELECT max(id), 'rules', 'authority.duties',"
		" '2017-01-01', NULL, '2:0:3' FROM event;",
		C.province_doc);
	change_by_hand("unit.duties", U(27), "2016-06-01", C.county_doc, "duties", "e");
	change_by_hand("unit.duties", U(27), "2017-06-01", C.county_doc, "duties", "f");
	change_by_hand("unit.duties", U(27), "2017-07-01", C.county_doc, "duties", "g");
	/* the nature: 武都区公安局 (an organ) becomes an institution in 2018 (by hand): its change on the county's
	 * document in 2017 is right, the same change in 2018 is not */
	change_by_hand("unit.duties", U(5), "2017-06-01", C.county_doc, "duties", "h");
	change_by_hand("unit.attr", U(5), "2018-01-01", C.county_doc, "nature", "2");
	change_by_hand("unit.duties", U(5), "2018-06-01", C.county_doc, "duties", "i");
	/* the rank: 武都区实验小学 (an institution of 正股) raised to 副科 in 2019 (by hand): its leadership on the
	 * county's document is right before (authority.leadership, by default: institutions of 副科 and up need
	 * the city), wrong after */
	change_by_hand("leadership.set", U(22), "2018-06-01", C.county_doc, "quota:deputy", "1");
	change_by_hand("unit.attr", U(22), "2019-01-01", C.county_doc, "rank", "3");
	change_by_hand("leadership.set", U(22), "2019-06-01", C.county_doc, "quota:deputy", "2");

	open_file();
	long long before = tu_count(L, "event") + tu_count(L, "fact");
	bz_report *r = both(TODAY);
	if (getenv("BZ_TEST_VERBOSE"))
		for (size_t i = 0; i < bz_report_count(r); i++)
			fprintf(stderr, "%s\n", bz_violation_message(bz_report_get(r, i)));
	ck_assert_uint_eq(r6_at(r, U(26), "2016-01-01", BZ_ISSUER_GOVERNMENT, BZ_ISSUER_BUSINESS), 1);
	ck_assert_uint_eq(r6_at(r, U(26), "2016-02-01", BZ_ISSUER_GOVERNMENT, BZ_ISSUER_BUSINESS), 1);
	ck_assert_uint_eq(r6_at(r, U(26), "2016-03-01", BZ_ISSUER_GOVERNMENT, BZ_ISSUER_BUSINESS), 1);
	ck_assert_uint_eq(r6_at(r, U(27), "2016-01-15", 0, 0), 0);
	ck_assert_uint_eq(r6_at(r, U(27), "2016-06-01", 0, 0), 0);
	ck_assert_uint_eq(r6_at(r, U(27), "2017-06-01", BZ_LEVEL_CITY, BZ_LEVEL_COUNTY), 1);
	ck_assert_uint_eq(r6_at(r, U(27), "2017-07-01", BZ_LEVEL_CITY, BZ_LEVEL_COUNTY), 1);
	ck_assert_uint_eq(r6_at(r, U(5), "2017-06-01", 0, 0), 0);
	ck_assert_uint_eq(r6_at(r, U(5), "2018-06-01", BZ_LEVEL_CITY, BZ_LEVEL_COUNTY), 1);
	ck_assert_uint_eq(r6_at(r, U(22), "2018-06-01", 0, 0), 0);
	ck_assert_uint_eq(r6_at(r, U(22), "2019-06-01", BZ_LEVEL_CITY, BZ_LEVEL_COUNTY), 1);
	/* in record order: 妇幼保健院's three come one after the other, by date */
	const char *last = "";
	for (size_t i = 0; i < bz_report_count(r); i++) {
		const bz_violation *v = bz_report_get(r, i);
		if (bz_violation_rule(v) != BZ_RULE_R6 || strcmp(bz_violation_subject(v), U(26)) != 0)
			continue;
		ck_assert_str_lt(last, bz_violation_date(v));
		last = bz_violation_date(v);
	}
	bz_report_free(r);
	/* before the parameter, the nature and the rank changed */
	static const char *const dates[] = {"2019-03-01", "2018-03-01", "2017-03-01", "2016-12-31", "2016-02-15"};
	for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++)
		bz_report_free(both(dates[i]));
	ck_assert_int_eq(tu_count(L, "event") + tu_count(L, "fact"), before);
}
END_TEST

/*
 * The same for entries into posts, the records a hire writes (R6's pass one
 * groups them per unit and document; pass two reads the records of the
 * groups it could not settle among every entry of the ledger): two hires
 * into 武都区妇幼保健院 resting on a business department's document, with a
 * hire into it on the city's document between them, and one on the business
 * document into 武都区图书馆 after them — three violations, in record order,
 * each with its own date and person's record, the same as the oracle's.
 */
START_TEST(r6_hire_groups_agree)
{
	static const char biz[] = "d0000000-0000-4000-8000-000000000012";
	edit_ok("INSERT INTO document(id, issuer, number, abbr, year, seq, title, date, level, kind, jurisdiction)"
		" VALUES('%s', '武都区卫生健康局', '武卫发〔2015〕10号', '武卫发', 2015, 10, '关于', '2015-01-01', 4, %d,"
		" '621202')",
		biz, BZ_ISSUER_BUSINESS);
	static const struct {
		int unit;
		const char *date;
		bool business;
	} hires[] = {{26, "2016-01-04", true}, {26, "2016-02-01", false}, {26, "2016-03-07", true}, {27, "2016-04-01", true}};
	for (int k = 0; k < 4; k++)
		edit_ok("INSERT INTO event(txn, kind, subject, unit, effective) SELECT max(id), 'person.register',"
			" 'a0000000-0000-4000-8000-%012d', NULL, '%s' FROM txn_log;"
			"INSERT INTO person(id, id_number, name, sex, birth, event) SELECT 'a0000000-0000-4000-8000-%012d',"
			" '62120219900102%03d5', '手工%d', 1, '1990-01-02', max(id) FROM event;"
			"INSERT INTO event(txn, kind, subject, unit, effective, doc) SELECT max(id), 'placement.enter',"
			" 'b0000000-0000-4000-8000-%012d', '%s', '%s', '%s' FROM txn_log;"
			"INSERT INTO placement(id, person, unit, category, slip, entry_kind, entry, event)"
			" SELECT 'b0000000-0000-4000-8000-%012d', 'a0000000-0000-4000-8000-%012d', '%s', '%s', NULL, 1, '%s',"
			" max(id) FROM event;",
			90 + k, hires[k].date, 90 + k, k, k, 90 + k, U(hires[k].unit), hires[k].date,
			hires[k].business ? biz : C.city_doc, 90 + k, 90 + k, U(hires[k].unit), C.u[hires[k].unit].cat,
			hires[k].date);
	open_file();
	long long before = tu_count(L, "event") + tu_count(L, "fact");
	bz_report *r = both(TODAY);
	ck_assert_uint_eq(r6_at(r, U(26), "2016-01-04", BZ_ISSUER_GOVERNMENT, BZ_ISSUER_BUSINESS), 1);
	ck_assert_uint_eq(r6_at(r, U(26), "2016-02-01", 0, 0), 0);
	ck_assert_uint_eq(r6_at(r, U(26), "2016-03-07", BZ_ISSUER_GOVERNMENT, BZ_ISSUER_BUSINESS), 1);
	ck_assert_uint_eq(r6_at(r, U(27), "2016-04-01", BZ_ISSUER_GOVERNMENT, BZ_ISSUER_BUSINESS), 1);
	/* in record order */
	const char *last = "";
	size_t n = 0;
	for (size_t i = 0; i < bz_report_count(r); i++) {
		const bz_violation *v = bz_report_get(r, i);
		if (bz_violation_rule(v) != BZ_RULE_R6 || !bz_violation_document(v) || strcmp(bz_violation_document(v), biz) != 0)
			continue;
		ck_assert_str_lt(last, bz_violation_date(v));
		last = bz_violation_date(v);
		n++;
	}
	ck_assert_uint_eq(n, 3);
	bz_report_free(r);
	/* between the hires: only those before the date */
	static const char *const dates[] = {"2016-03-01", "2016-01-04", "2016-01-03"};
	for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++)
		bz_report_free(both(dates[i]));
	ck_assert_int_eq(tu_count(L, "event") + tu_count(L, "fact"), before);
}
END_TEST

/* the comparison itself can fail: two reports that differ are told apart, at the first record that differs */
START_TEST(diff_finds_a_difference)
{
	change_by_hand("establishment.set", U(8), "2020-01-01", C.city_doc, "est:XZ", "2");
	open_file();
	bz_report *now = both(TODAY), *then = both("2019-12-31");
	ck_assert_uint_gt(bz_report_count(now), bz_report_count(then));
	ck_assert_int_ge(bz_report_diff(now, then), 0);
	ck_assert_int_eq(bz_report_diff(now, now), -1);
	bz_report_free(now);
	bz_report_free(then);
}
END_TEST

/* a caller walking a list of units meanwhile: the inspection's SQL functions, defined on the connection
 * at the first check, are not defined again while the caller's statement runs */
START_TEST(checks_while_a_list_is_open)
{
	open_file();
	bz_unit_iter *it = NULL;
	bz_unit *u = NULL;
	ck_assert_bz(bz_unit_list(&it, L, "621202", NULL));
	ck_assert_bz(bz_unit_iter_next(&u, it));
	bz_unit_free(u);
	for (int i = 0; i < 2; i++) {
		bz_report *r = NULL;
		ck_assert_bz(bz_ledger_check(&r, L, TODAY));
		ck_assert_uint_eq(bz_report_errors(r), 0);
		bz_report_free(r);
	}
	ck_assert_bz(bz_unit_iter_next(&u, it));
	bz_unit_free(u);
	bz_unit_iter_free(it);
}
END_TEST

/* the first column of the first row of sql on the closed file, into out (size 64) */
static void read_text(char out[64], const char *sql)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	ck_assert_int_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	snprintf(out, 64, "%s", sqlite3_column_text(st, 0) ? (const char *)sqlite3_column_text(st, 0) : "");
	sqlite3_finalize(st);
	ck_assert_int_eq(sqlite3_close(db), SQLITE_OK);
}

/* the index of the county's unit uuid */
static int unit_index(const char *uuid)
{
	for (int i = 0; i < RC_UNITS; i++)
		if (strcmp(U(i), uuid) == 0)
			return i;
	ck_abort_msg("no unit %s", uuid);
	return -1;
}

/* the R7 violations of subject in r whose message has text, with their figures (allowed, actual) */
static size_t r7_of(const bz_report *r, const char *subject, const char *text, int64_t allowed, int64_t actual)
{
	size_t n = 0;
	for (size_t i = 0; i < bz_report_count(r); i++) {
		const bz_violation *v = bz_report_get(r, i);
		if (bz_violation_rule(v) != BZ_RULE_R7 || strcmp(bz_violation_subject(v), subject) != 0 ||
		    !strstr(bz_violation_message(v), text))
			continue;
		ck_assert_int_eq(bz_violation_severity(v), BZ_SEVERITY_ERROR);
		ck_assert_int_eq(bz_violation_allowed(v), allowed);
		ck_assert_int_eq(bz_violation_actual(v), actual);
		n++;
	}
	return n;
}

/*
 * R7's set-based selection (rules_records.c, r7_events_set) takes a unit's
 * end unit by unit and judges the working age from the person's row against
 * the first and last dates of the unit records: entries a day either side
 * of 16 and of 70, a change after a unit's end, and — with one record's
 * date not YYYY-MM-DD — every entry, must give what the walk gives, by hand
 * where the library would refuse them.
 */
START_TEST(r7_ages_and_ends_agree)
{
	char id[19];
	/* entering on 2021-04-01: 15 (a day short of 16), 16, 71, 70 (a day short of 71) */
	static const struct {
		int y, m, d, seq;
	} born[] = {{2005, 4, 2, 911}, {2005, 4, 1, 912}, {1950, 4, 1, 913}, {1950, 4, 2, 914}};
	for (int k = 0; k < 4; k++) {
		char birth[11];
		snprintf(birth, sizeof birth, "%04d-%02d-%02d", born[k].y, born[k].m, born[k].d);
		rc_idnum(id, "621202", born[k].y, born[k].m, born[k].d, born[k].seq);
		hire_by_hand(11 + k, id, born[k].seq % 2 ? BZ_SEX_MALE : BZ_SEX_FEMALE, birth, 20, NULL, "2021-04-01");
	}
	/* 武都区 unit 30 abolished in 2022, and renamed after it */
	change_by_hand("unit.abolish", U(30), "2022-01-01", C.city_doc, "status", "2");
	change_by_hand("unit.rename", U(30), "2023-01-01", C.city_doc, "name", "已撤销的单位");
	/* at the edges of the records' dates, which bound the ages the selection reads: a person of 15 entering on
	 * the first day any unit record has, born in its year less 16, into that record's unit, and one of 71
	 * entering on the last (the rename after the end), born in its year less 71, into a unit in being */
	char lo[64], hi[64], lo_unit[64], hi_unit[64], birth[64];
	read_text(lo, "SELECT min(effective) FROM event WHERE unit IS NOT NULL");
	read_text(hi, "SELECT max(effective) FROM event WHERE unit IS NOT NULL");
	read_text(lo_unit, "SELECT unit FROM event WHERE unit IS NOT NULL ORDER BY effective, id LIMIT 1");
	char sql[256];
	snprintf(sql, sizeof sql, "SELECT unit FROM event WHERE unit IS NOT NULL AND unit<>'%s' ORDER BY effective DESC, id"
		 " LIMIT 1", U(30)); /* a unit still in being then */
	read_text(hi_unit, sql);
	ck_assert_msg(strcmp(lo + 5, "12-31") != 0, "%s", lo);
	int ylo = atoi(lo), yhi = atoi(hi);
	snprintf(birth, sizeof birth, "%04d-12-31", ylo - 16);
	rc_idnum(id, "621202", ylo - 16, 12, 31, 915);
	hire_by_hand(15, id, BZ_SEX_MALE, birth, unit_index(lo_unit), NULL, lo);
	snprintf(birth, sizeof birth, "%04d-01-01", yhi - 71);
	rc_idnum(id, "621202", yhi - 71, 1, 1, 917);
	hire_by_hand(16, id, BZ_SEX_MALE, birth, unit_index(hi_unit), NULL, hi);
	/* a birth not YYYY-MM-DD whose first four characters read as a year of working age ("19700-01-02": 1970
	 * to the selection's year test, 19700 to the judge's): a candidate only because its form is wrong */
	rc_idnum(id, "621202", 1970, 1, 2, 921);
	hire_by_hand(19, id, BZ_SEX_MALE, "19700-01-02", 20, NULL, "2021-04-01");
	open_file();
	bz_report *r = both(TODAY);
	if (getenv("BZ_TEST_VERBOSE"))
		for (size_t i = 0; i < bz_report_count(r); i++)
			fprintf(stderr, "%s | %s %lld %lld\n", bz_violation_message(bz_report_get(r, i)),
				bz_violation_subject(bz_report_get(r, i)), (long long)bz_violation_allowed(bz_report_get(r, i)),
				(long long)bz_violation_actual(bz_report_get(r, i)));
	/* 15 the day before the sixteenth birthday, 71 on the seventy-first: one R7 each, with the bound */
	ck_assert_uint_eq(r7_of(r, "a0000000-0000-4000-8000-000000000011", "working age", 16, 15), 1);
	ck_assert_uint_eq(r7_of(r, "a0000000-0000-4000-8000-000000000012", "", 0, 0), 0);
	ck_assert_uint_eq(r7_of(r, "a0000000-0000-4000-8000-000000000013", "working age", 70, 71), 1);
	ck_assert_uint_eq(r7_of(r, "a0000000-0000-4000-8000-000000000014", "", 0, 0), 0);
	ck_assert_uint_eq(r7_of(r, "a0000000-0000-4000-8000-000000000015", "working age", 16, 15), 1);
	ck_assert_uint_eq(r7_of(r, "a0000000-0000-4000-8000-000000000016", "working age", 70, 71), 1);
	ck_assert_uint_eq(r7_of(r, "a0000000-0000-4000-8000-000000000019", "working age", 16, 2021 - 19700), 1);
	/* the rename after the end */
	ck_assert_uint_eq(r7_of(r, U(30), "after its end", -1, -1), 1);
	bz_report_free(r);
	bz_report_free(both("2022-06-30"));
	bz_ledger_close(L);
	L = NULL;
	/* a record of a kind R6 does not judge (unit.attr), by hand the record of a placement, on the ledger's last
	 * day: its date bounds the span too (a person of 71 then, of 70 or less on any other record's day) */
	edit_ok("INSERT INTO event(txn, kind, subject, unit, effective, doc) SELECT max(id), 'unit.attr',"
		" 'b0000000-0000-4000-8000-000000000018', '%s', '%s', '%s' FROM txn_log;"
		"INSERT INTO person(id, id_number, name, sex, birth) VALUES('a0000000-0000-4000-8000-000000000018',"
		" '621202195501019215', '手工18', 1, '1955-01-01');"
		"INSERT INTO placement(id, person, unit, category, slip, entry_kind, entry, event)"
		" SELECT 'b0000000-0000-4000-8000-000000000018', 'a0000000-0000-4000-8000-000000000018', '%s', '%s', NULL, 1,"
		" '%s', max(id) FROM event;",
		U(22), TODAY, C.city_doc, U(22), C.u[22].cat, TODAY);
	read_text(hi, "SELECT max(effective) FROM event WHERE unit IS NOT NULL AND kind<>'unit.attr'");
	ck_assert_int_lt(atoi(hi), atoi(TODAY)); /* the year before: only the unit.attr record bounds the span */
	open_file();
	r = both(TODAY);
	ck_assert_uint_eq(r7_of(r, "a0000000-0000-4000-8000-000000000018", "working age", 70, 71), 1);
	bz_report_free(r);
	bz_ledger_close(L);
	L = NULL;
	/* a record whose date is no date: every entry is judged, and both still agree */
	change_by_hand("unit.duties", U(31), "2021-4-1", C.city_doc, "duties", "x");
	open_file();
	r = both(TODAY);
	ck_assert_uint_eq(r7_of(r, "a0000000-0000-4000-8000-000000000011", "working age", 16, 15), 1);
	ck_assert_uint_eq(r7_of(r, "a0000000-0000-4000-8000-000000000013", "working age", 70, 71), 1);
	bz_report_free(r);
	bz_ledger_close(L);
	L = NULL;
	/* an entry whose date is no date but sorts among the others ("202-" between "2019" and "2030"): a person
	 * born in 1970, of working age by every bound of the records' years (the first is in 2000), faulted on that
	 * record (the year read is 202): found only because a date not YYYY-MM-DD makes every entry a candidate */
	rc_idnum(id, "621202", 1970, 1, 2, 919);
	hire_by_hand(17, id, BZ_SEX_MALE, "1970-01-02", 21, NULL, "202-01-01");
	open_file();
	r = both(TODAY);
	ck_assert_uint_eq(r7_of(r, "a0000000-0000-4000-8000-000000000017", "working age", 16, -1769), 1);
	bz_report_free(r);
}
END_TEST

/* a transfer into unit on date by hand: the person registered, the transfer_in record and its placement (the
 * placement before it, in another unit, is beside the point here) */
static void transfer_in_by_hand(int k, const char *idnum, const char *birth, int unit, const char *date)
{
	edit_ok("INSERT INTO event(txn, kind, subject, unit, effective) SELECT max(id), 'person.register',"
		" 'a0000000-0000-4000-8000-%012d', NULL, '%s' FROM txn_log;"
		"INSERT INTO person(id, id_number, name, sex, birth, event) SELECT 'a0000000-0000-4000-8000-%012d', '%s',"
		" '手工%d', 1, '%s', max(id) FROM event;"
		"INSERT INTO event(txn, kind, subject, unit, effective, doc) SELECT max(id), 'placement.transfer_in',"
		" 'b0000000-0000-4000-8000-%012d', '%s', '%s', '%s' FROM txn_log;"
		"INSERT INTO placement(id, person, unit, category, slip, entry_kind, entry, event)"
		" SELECT 'b0000000-0000-4000-8000-%012d', 'a0000000-0000-4000-8000-%012d', '%s', '%s', NULL, %d, '%s', max(id)"
		" FROM event;",
		k, date, k, idnum, k, birth, k, U(unit), date, C.city_doc, k, k, U(unit), C.u[unit].cat, BZ_ENTRY_TRANSFER_IN,
		date);
}

/* the one R7 record of subject whose message has text: its date and document checked, its message returned */
static const char *r7_dated(const bz_report *r, const char *subject, const char *text, const char *date)
{
	const char *found = NULL;
	for (size_t i = 0; i < bz_report_count(r); i++) {
		const bz_violation *v = bz_report_get(r, i);
		if (bz_violation_rule(v) != BZ_RULE_R7 || strcmp(bz_violation_subject(v), subject) != 0 ||
		    !strstr(bz_violation_message(v), text))
			continue;
		ck_assert_msg(!found, "two R7 records of %s with '%s'", subject, text);
		found = bz_violation_message(v);
		ck_assert_int_eq(bz_violation_severity(v), BZ_SEVERITY_ERROR);
		ck_assert_str_eq(bz_violation_date(v), date);
		ck_assert_str_eq(bz_violation_document(v), C.city_doc);
		ck_assert_int_eq(bz_violation_allowed(v), -1);
		ck_assert_int_eq(bz_violation_actual(v), -1);
	}
	ck_assert_msg(found, "no R7 record of %s with '%s'", subject, text);
	return found;
}

/*
 * Schema 14: event_unit leaves out the entries into a post, which R7's
 * set-based selection takes from placement_unit (a unit's entries before its
 * founding and from its end on). An entry and a transfer dated outside their
 * units' lives, planted by hand, are found by both engines, field by field,
 * and the check writes nothing.
 */
START_TEST(r7_entries_outside_a_units_life_agree)
{
	char id[19];
	/* an entry into 成县乡村振兴服务中心 (founded 2020-05-01) dated before its founding */
	ck_assert_int_eq(C.late_unit, 49);
	rc_idnum(id, "621221", 1990, 2, 3, 931);
	hire_by_hand(31, id, BZ_SEX_MALE, "1990-02-03", 49, NULL, "2019-06-01");
	/* 武都区 unit 30 abolished in 2022, and a transfer into it after its end */
	change_by_hand("unit.abolish", U(30), "2022-01-01", C.city_doc, "status", "2");
	rc_idnum(id, "621202", 1985, 7, 8, 932);
	transfer_in_by_hand(32, id, "1985-07-08", 30, "2022-03-01");
	open_file();
	long long before = tu_count(L, "event") + tu_count(L, "fact") + tu_count(L, "placement");
	bz_report *r = both(TODAY);
	const char *m = r7_dated(r, U(49), "before its founding", "2019-06-01");
	ck_assert_msg(strstr(m, "was founded on 2020-05-01; no change (placement.enter) may be dated 2019-06-01"), "%s", m);
	m = r7_dated(r, U(30), "(placement.transfer_in)", "2022-03-01");
	ck_assert_msg(strstr(m, "ceased (撤销/合并) on 2022-01-01; no change (placement.transfer_in) may be dated 2022-03-01,"
			       " after its end"), "%s", m);
	bz_report_free(r);
	/* on a date before the transfer: the entry before the founding only */
	r = both("2021-12-31");
	r7_dated(r, U(49), "(placement.enter)", "2019-06-01");
	ck_assert_uint_eq(r7_of(r, U(30), "(placement.transfer_in)", -1, -1), 0);
	bz_report_free(r);
	ck_assert_int_eq(tu_count(L, "event") + tu_count(L, "fact") + tu_count(L, "placement"), before);
}
END_TEST

/* R8 records of subject with the text in their message (and the actual figure and date, where given), each
 * checked for its severity and allowed figure */
static size_t r8_of(const bz_report *r, const char *subject, const char *text, int64_t allowed, int64_t actual,
		    const char *date)
{
	size_t n = 0;
	for (size_t i = 0; i < bz_report_count(r); i++) {
		const bz_violation *v = bz_report_get(r, i);
		if (bz_violation_rule(v) != BZ_RULE_R8 || strcmp(bz_violation_subject(v), subject) != 0 ||
		    !strstr(bz_violation_message(v), text) || (date && strcmp(bz_violation_date(v), date) != 0) ||
		    (actual != INT64_MIN && bz_violation_actual(v) != actual))
			continue;
		ck_assert_int_eq(bz_violation_severity(v), BZ_SEVERITY_ERROR);
		ck_assert_int_eq(bz_violation_allowed(v), allowed);
		n++;
	}
	return n;
}

/*
 * R8's candidates are found in C during the self-inspection's one pass over
 * the placements (a hash of the slips, each hire tested against its slip and
 * counted): every way a hire can fault its slip, planted by hand, must give
 * the same records as the per-record oracle, at dates before, inside and
 * after the slips' validity, with the figures, and nothing written. Each
 * case is a test the pass makes on its own (unit, category, number, end,
 * the dates, a slip not found, the count against posts, a column not as
 * the library writes it): leaving one out drops its records here.
 */
START_TEST(r8_slips_agree)
{
	int u[9], nu = 0;
	for (int i = 0; i < RC_UNITS && nu < 9; i++)
		if (C.u[i].staff >= 3 && i != C.late_unit && i != C.empty_unit && i != C.over_unit)
			u[nu++] = i;
	ck_assert_int_eq(nu, 9);
	char id[19], sql[512], n_f[64], n_g[64], n_h[64], n_i[64];
#define SLIP_OF(k) "(SELECT id FROM slip WHERE unit='%s' AND issued='2011-01-01')", U(u[k])
	/* the slips a hire is added to below get a post more: none of those hires makes its slip exhausted, so
	 * each is found by the one test it fails, not with the hires of a slip over its posts */
	for (int k = 1; k <= 4; k++)
		edit_ok("UPDATE slip SET posts=posts+1 WHERE unit='%s' AND issued='2011-01-01'", U(u[k]));
	/* a: a hire into u0 on u1's slip, within its validity (another unit) */
	snprintf(sql, sizeof sql, SLIP_OF(1));
	rc_idnum(id, "621202", 1990, 2, 3, 921);
	hire_by_hand(21, id, BZ_SEX_MALE, "1990-02-03", u[0], sql, "2011-06-01");
	/* b: on a slip that is not in the ledger */
	rc_idnum(id, "621202", 1990, 2, 4, 923);
	hire_by_hand(22, id, BZ_SEX_MALE, "1990-02-04", u[2], "'e0000000-0000-4000-8000-000000000001'", "2011-06-02");
	/* c: on its own slip the day before the slip's issue, d: the day after its validity */
	snprintf(sql, sizeof sql, SLIP_OF(3));
	rc_idnum(id, "621202", 1990, 2, 5, 925);
	hire_by_hand(23, id, BZ_SEX_MALE, "1990-02-05", u[3], sql, "2010-12-31");
	snprintf(sql, sizeof sql, SLIP_OF(4));
	rc_idnum(id, "621202", 1990, 2, 6, 927);
	hire_by_hand(24, id, BZ_SEX_MALE, "1990-02-06", u[4], sql, "2012-01-01");
	/* e: u5's slip cut by one post (its last hire exhausted, by one) */
	edit_ok("UPDATE slip SET posts=posts-1 WHERE unit='%s' AND issued='2011-01-01'", U(u[5]));
	/* f: u6's slip without its number, g: u7's in another category */
	edit_ok("UPDATE slip SET number='' WHERE unit='%s' AND issued='2011-01-01'", U(u[6]));
	edit_ok("UPDATE slip SET category='GQ' WHERE unit='%s' AND issued='2011-01-01'", U(u[7]));
	snprintf(sql, sizeof sql, "SELECT count(*) FROM placement WHERE slip=" SLIP_OF(6));
	read_text(n_f, sql);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM placement WHERE slip=" SLIP_OF(7));
	read_text(n_g, sql);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM placement WHERE slip=" SLIP_OF(8));
	read_text(n_h, sql);
	snprintf(sql, sizeof sql, "SELECT posts FROM slip WHERE unit='%s' AND issued='2011-01-01'", U(u[5]));
	read_text(n_i, sql);
	open_file();
	long long before = tu_count(L, "event") + tu_count(L, "fact") + tu_count(L, "placement") + tu_count(L, "slip");
	/* the day before the slips, the day of their issue (their reserve begins), hires, their last day, after (the
	 * recompute of the reserve reads only the slips in force on the day) */
	static const char *const dates[] = {"2010-12-31", "2011-01-01", "2011-03-01", "2011-06-01", "2011-12-31", "2012-01-01",
					    "2016-12-31"};
	for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++)
		bz_report_free(both(dates[i]));
	bz_ledger_close(L);
	L = NULL;
	/* h: u8's posts not a number (R8 reads it as 0: every hire exhausted; both recomputes of the reserve read
	 * it as 0 too — until 1.3.5 the set-based one reserved nothing yet took every hire off, so the two
	 * disagreed at the dates inside the slip's validity) */
	edit_ok("UPDATE slip SET posts='x' WHERE unit='%s' AND issued='2011-01-01'", U(u[8]));
#undef SLIP_OF
	open_file();
	for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++)
		bz_report_free(both(dates[i]));
	bz_report *r = both(TODAY);
	if (getenv("BZ_TEST_VERBOSE"))
		for (size_t i = 0; i < bz_report_count(r); i++)
			fprintf(stderr, "%s | %s %lld %lld\n", bz_violation_message(bz_report_get(r, i)),
				bz_violation_subject(bz_report_get(r, i)), (long long)bz_violation_allowed(bz_report_get(r, i)),
				(long long)bz_violation_actual(bz_report_get(r, i)));
	ck_assert_uint_eq(r8_of(r, U(u[0]), "another unit or category", -1, -1, "2011-06-01"), 1);
	ck_assert_uint_eq(r8_of(r, U(u[2]), "not in the ledger", -1, -1, "2011-06-02"), 1);
	ck_assert_uint_eq(r8_of(r, U(u[3]), "is valid from 2011-01-01 to 2011-12-31, not on 2010-12-31", -1, -1, NULL), 1);
	ck_assert_uint_eq(r8_of(r, U(u[4]), "is valid from 2011-01-01 to 2011-12-31, not on 2012-01-01", -1, -1, NULL), 1);
	int posts = atoi(n_i);
	ck_assert_uint_eq(r8_of(r, U(u[5]), "exhausted", posts, posts + 1, NULL), 1);
	ck_assert_uint_eq(r8_of(r, U(u[5]), "exhausted", posts, INT64_MIN, NULL), 1);
	ck_assert_uint_eq(r8_of(r, U(u[6]), "not in the ledger", -1, -1, NULL), (size_t)atoi(n_f));
	ck_assert_uint_eq(r8_of(r, U(u[7]), "another unit or category", -1, -1, NULL), (size_t)atoi(n_g));
	ck_assert_uint_eq(r8_of(r, U(u[8]), "exhausted", 0, INT64_MIN, NULL), (size_t)atoi(n_h));
	ck_assert_int_ge(atoi(n_f), 3);
	/* the slips' own hires stay clean where nothing faults them: u1 (a foreign hire on its slip, recorded last) */
	ck_assert_uint_eq(r8_of(r, U(u[1]), "", -1, INT64_MIN, NULL), 0);
	bz_report_free(r);
	bz_report_free(both("2016-12-31"));
	ck_assert_int_eq(tu_count(L, "event") + tu_count(L, "fact") + tu_count(L, "placement") + tu_count(L, "slip"),
			 before);
}
END_TEST

/* R10 violations of subject at date with category, field by field */
static size_t r10_of(const bz_report *r, const char *subject, const char *category, const char *date)
{
	size_t n = 0;
	for (size_t i = 0; i < bz_report_count(r); i++) {
		const bz_violation *v = bz_report_get(r, i);
		if (bz_violation_rule(v) != BZ_RULE_R10 || strcmp(bz_violation_subject(v), subject) != 0)
			continue;
		ck_assert_int_eq(bz_violation_severity(v), BZ_SEVERITY_ERROR);
		ck_assert_str_eq(bz_violation_category(v), category);
		ck_assert_str_eq(bz_violation_date(v), date);
		n++;
	}
	return n;
}

/*
 * R6's pass one also reads, for R10, the earliest registration up to the
 * date (rules_authority.c, r6_collect; rules_records.c,
 * r10_persons_set_first), and tells an opening entry by its transaction in
 * table opening, held in C. A person
 * registered before the birth their ID number gives faults only against a
 * day before that birth: with a later registration recorded after it, an
 * earliest day taken from the last or the latest registration drops them.
 * A change on a document dated after it is 未批先设 unless it is an opening
 * entry: an opening's record and an ordinary record of the same kind, unit
 * and document are two groups, and one group would judge the ordinary
 * record clean with the opening's verdict.
 */
START_TEST(pass_one_shares_agree)
{
	char id[19], later[19];
	/* R10: 手工7 born 2012-06-01 by the number and the row, registered (and hired) on 2012-03-01 */
	rc_idnum(id, "621202", 2012, 6, 1, 907);
	hire_by_hand(7, id, BZ_SEX_MALE, "2012-06-01", 27, NULL, "2012-03-01");
	/* a clean person registered after, in 2021 (the last record and the latest date) */
	rc_idnum(later, "621202", 1990, 2, 3, 909);
	hire_by_hand(8, later, BZ_SEX_MALE, "1990-02-03", 27, NULL, "2021-04-01");
	/* R6: a government document of the county dated 2020-01-01, an opening on it, and in it a change of
	 * 武都区图书馆 dated 2019-06-01 (an opening records what was approved before it: clean); then the same
	 * change in an ordinary transaction dated 2019-08-01 (未批先设) */
	edit_ok("INSERT INTO document(id, issuer, number, abbr, year, seq, title, date, level, kind, jurisdiction)"
		" SELECT 'd0000000-0000-4000-8000-000000000012', issuer, number || '之二', abbr, 2020, seq + 100, title,"
		" '2020-01-01', level, kind, jurisdiction FROM document WHERE id='%s';"
		"INSERT INTO txn_log(recorded_at, recorded_by, office) SELECT recorded_at, recorded_by, office FROM txn_log"
		" WHERE id=(SELECT max(id) FROM txn_log);"
		"INSERT INTO opening(txn, document, cutover) SELECT max(id), 'd0000000-0000-4000-8000-000000000012',"
		" '2020-01-01' FROM txn_log;",
		C.county_doc);
	change_by_hand("unit.duties", U(27), "2019-06-01", "d0000000-0000-4000-8000-000000000012", "duties", "o");
	edit_ok("INSERT INTO txn_log(recorded_at, recorded_by, office) SELECT recorded_at, recorded_by, office FROM txn_log"
		" WHERE id=(SELECT max(id) FROM txn_log)");
	change_by_hand("unit.duties", U(27), "2019-08-01", "d0000000-0000-4000-8000-000000000012", "duties", "p");

	open_file();
	long long before = tu_count(L, "event") + tu_count(L, "fact");
	bz_report *r = both(TODAY);
	ck_assert_uint_eq(r10_of(r, "a0000000-0000-4000-8000-000000000007", "id_number", "2012-03-01"), 1);
	ck_assert_uint_eq(r10_of(r, "a0000000-0000-4000-8000-000000000008", "", ""), 0);
	ck_assert_uint_eq(r6_at(r, U(27), "2019-06-01", -1, -1), 0);
	ck_assert_uint_eq(r6_at(r, U(27), "2019-08-01", -1, -1), 1);
	bz_report_free(r);
	/* before the later registration, before the ordinary change, before the person's */
	static const char *const dates[] = {"2021-03-31", "2019-07-01", "2012-02-01"};
	for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++) {
		r = both(dates[i]);
		ck_assert_uint_eq(r10_of(r, "a0000000-0000-4000-8000-000000000007", "id_number", "2012-03-01"),
				  strcmp(dates[i], "2012-03-01") >= 0);
		ck_assert_uint_eq(r6_at(r, U(27), "2019-08-01", -1, -1), strcmp(dates[i], "2019-08-01") >= 0);
		bz_report_free(r);
	}
	ck_assert_int_eq(tu_count(L, "event") + tu_count(L, "fact"), before);
}
END_TEST

/*
 * R1's pass over the counter rows (uc_over_fill) takes a unit's rows as SQL
 * orders them, a run per counter, and merges the runs by category and date
 * with strcmp, as the checker compares dates: counter rows edited by hand
 * on dates not YYYY-MM-DD must still give the candidates the checker agrees
 * with.
 */
START_TEST(r1_counter_rows_out_of_order_agree)
{
	char key[256];
	const char *cat = C.u[17].cat;
	/* 500 posts reserved from 2021-03-01 (over), none from "2021-1-15" (after it for strcmp); and the
	 * establishment restated on "2021-3-1", in the run of another counter */
	snprintf(key, sizeof key, "U:%s:resv:%s", U(17), cat);
	edit_ok("INSERT OR IGNORE INTO counter(key) VALUES('%s');"
		"INSERT OR REPLACE INTO tl(counter, effective, value) SELECT id, '2021-03-01', 500 FROM counter WHERE key='%s';"
		"INSERT OR REPLACE INTO tl(counter, effective, value) SELECT id, '2021-1-15', 0 FROM counter WHERE key='%s';",
		key, key, key);
	snprintf(key, sizeof key, "U:%s:est:%s", U(17), cat);
	edit_ok("INSERT OR REPLACE INTO tl(counter, effective, value) SELECT counter, '2021-3-1', value FROM tl"
		" WHERE counter=(SELECT id FROM counter WHERE key='%s') ORDER BY effective DESC LIMIT 1",
		key);
	open_file();
	static const char *const dates[] = {TODAY, "2021-03-01", "2021-02-28", "2020-12-31"};
	for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++) {
		bz_report *r = both(dates[i]);
		if (i == 0)
			ck_assert_uint_gt(count_rule(r, BZ_RULE_R1) + count_rule(r, BZ_RULE_INTEGRITY), 0);
		bz_report_free(r);
	}
}
END_TEST

/* a record whose document differs from its neighbours' only after an embedded NUL (a hand-edited file):
 * R6's pass one must not take it for one of their group */
START_TEST(r6_key_with_a_nul_agrees)
{
	edit_ok("INSERT INTO event(txn, kind, subject, unit, effective, doc, note)"
		" SELECT txn, kind, subject, unit, effective, doc || char(0) || 'x', note FROM event"
		" WHERE doc IS NOT NULL AND unit IS NOT NULL AND kind='establishment.set' ORDER BY id DESC LIMIT 1");
	open_file();
	bz_report *r = both(TODAY);
	bz_report_free(r);
}
END_TEST

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

/* the hash of the self-inspection's in-memory tables (bz_rec_hash): every byte counts, equal keys hash equal
 * wherever they lie, and keys of the benchmark's shape spread over a table as random ones would */
START_TEST(rec_hash_spreads_keys)
{
	char a[128], b[144];
	for (size_t n = 0; n <= 40; n++) {
		for (size_t i = 0; i < n; i++)
			a[i] = (char)('0' + (i * 7 + n) % 43);
		for (size_t off = 1; off < 9; off++) { /* any alignment */
			memcpy(b + off, a, n);
			ck_assert_uint_eq(bz_rec_hash(b + off, n), bz_rec_hash(a, n));
		}
		for (size_t i = 0; i < n; i++) { /* each byte, the tail's too */
			a[i] ^= 1;
			ck_assert_uint_ne(bz_rec_hash(a, n), bz_rec_hash(b + 8, n));
			a[i] ^= 1;
		}
		a[n] = '\0'; /* the length too: "x" and "x\0" differ */
		ck_assert_uint_ne(bz_rec_hash(a, n), bz_rec_hash(a, n + 1));
	}
	/* R6's group keys of 4,000 hires' units (time-ordered UUIDs, one document) in a table of 8,192 slots,
	 * probed linearly as r6_find does: random keys take 1.5 probes on average at this load */
	enum { KEYS = 4000, CAP = 8192 };
	static uint64_t hashes[KEYS];
	static bool used[CAP];
	memset(used, 0, sizeof used);
	size_t probes = 0;
	for (int k = 0; k < KEYS; k++) {
		int n = snprintf(a, sizeof a, "vplacement.enter\x1fv01a24cfa-57f0-%04x-8288-6d117e3d%04x\x1fn\x1f"
					      "v01a24cfa-578c-72af-897b-b8f2fa5e27e3\x1fv0\x1f",
				 0x7000 + k * 3, k);
		ck_assert_int_lt(n, (int)sizeof a);
		hashes[k] = bz_rec_hash(a, (size_t)n);
		size_t i = (size_t)hashes[k] & (CAP - 1);
		for (probes++; used[i]; probes++)
			i = (i + 1) & (CAP - 1);
		used[i] = true;
	}
	ck_assert_msg(probes < KEYS * 18 / 10, "%zu probes for %d keys", probes, (int)KEYS);
	/* and no two of the 64-bit values equal (a ck_assert each would be slow: the count of them) */
	qsort(hashes, KEYS, sizeof *hashes, cmp_u64);
	int same = 0;
	for (int k = 1; k < KEYS; k++)
		same += hashes[k] == hashes[k - 1];
	ck_assert_int_eq(same, 0);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("inspect");
	TCase *tc = tcase_create("differential");
	tcase_add_checked_fixture(tc, county_setup, county_teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, clean_county_agrees);
	tcase_add_test(tc, every_family_planted_agrees);
	tcase_add_test(tc, r6_groups_agree);
	tcase_add_test(tc, r6_hire_groups_agree);
	tcase_add_test(tc, r7_ages_and_ends_agree);
	tcase_add_test(tc, r7_entries_outside_a_units_life_agree);
	tcase_add_test(tc, r8_slips_agree);
	tcase_add_test(tc, pass_one_shares_agree);
	tcase_add_test(tc, diff_finds_a_difference);
	tcase_add_test(tc, checks_while_a_list_is_open);
	tcase_add_test(tc, r1_counter_rows_out_of_order_agree);
	tcase_add_test(tc, r6_key_with_a_nul_agrees);
	suite_add_tcase(s, tc);
	TCase *hash = tcase_create("hash");
	tcase_add_test(hash, rec_hash_spreads_keys);
	suite_add_tcase(s, hash);
	return s;
}

int main(void) { return tu_run(suite()); }
