/* test_verify.c: tamper evidence (verify.h) — the hash chain over the change
 * log, its head, and what bz_ledger_verify() finds when the file is edited
 * behind the library through a second SQLite connection, as someone with
 * the file and the sqlite3 shell would. */
#include "testutil.h"
#include "staff_fixture.h"
#include "internal.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static char path[256];
static fx F;
static char organ[BZ_UUID_LEN + 1], culture[BZ_UUID_LEN + 1], zhang[BZ_UUID_LEN + 1], li[BZ_UUID_LEN + 1],
	wang[BZ_UUID_LEN + 1];

/* a county in a file: 武都区 with two bureaus, establishment, three people, a slip and two hires */
static void county(void)
{
	snprintf(path, sizeof path, "%s", tu_tmpfile("verify"));
	memset(&F, 0, sizeof F);
	ck_assert_bz(bz_ledger_open(&F.l, path, BZ_OPEN_CREATE));
	ck_assert_bz(bz_ledger_set_clock(F.l, "2026-12-01"));
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_jurisdiction_create(NULL, t, "620000", "甘肃省", NULL));
	ck_assert_bz(bz_jurisdiction_create(NULL, t, "621200", "陇南市", "620000"));
	ck_assert_bz(bz_jurisdiction_create(NULL, t, "621202", "武都区", "621200"));
	fx_doc(t, F.city_doc, "陇南市机构编制委员会", "陇编发〔2012〕31号", BZ_LEVEL_CITY, BZ_ISSUER_ESTABLISHMENT, "621200");
	fx_doc(t, F.county_doc, "武都区机构编制委员会", "武编发〔2013〕5号", BZ_LEVEL_COUNTY, BZ_ISSUER_ESTABLISHMENT,
	       "621202");
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	ck_assert_bz(fx_unit(&F, organ, F.county_doc, "武都区教育局", BZ_NATURE_ORGAN, BZ_RANK_ZHENGKE, "621202",
			     "2010-01-01"));
	ck_assert_bz(fx_unit(&F, culture, F.county_doc, "武都区文化局", BZ_NATURE_ORGAN, BZ_RANK_ZHENGKE, "621202",
			     "2010-01-01"));
	fx_est(&F, organ, "XZ", 4, "2010-01-01");
	fx_est(&F, culture, "XZ", 3, "2010-01-01");
	sf_person(&F, zhang, "张伟", "19850615", 11);
	sf_person(&F, li, "李娜", "19900301", 22);
	sf_person(&F, wang, "王强", "19880808", 33);
	char slip[BZ_UUID_LEN + 1];
	ck_assert_int_eq(sf_slip(&F, slip, organ, "XZ", 2, "2020-01-01", "2020-12-31"), BZ_OK);
	ck_assert_int_eq(sf_hire(&F, zhang, organ, "XZ", slip, "2020-02-01"), BZ_OK);
	ck_assert_int_eq(sf_hire(&F, li, organ, "XZ", slip, "2020-03-01"), BZ_OK);
}

static void done(void)
{
	ck_assert_bz(bz_ledger_close(F.l));
	tu_rm(path);
}

/* raw SQL on the file through a connection of its own, behind the library */
static void behind(const char *sql)
{
	sqlite3 *db = NULL;
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	char *err = NULL;
	int rc = sqlite3_exec(db, sql, NULL, NULL, &err);
	ck_assert_msg(rc == SQLITE_OK, "%s: %s", sql, err ? err : "?");
	sqlite3_close(db);
}

static int64_t one_int(const char *sql)
{
	sqlite3_stmt *st = NULL;
	ck_assert_int_eq(sqlite3_prepare_v2(F.l->db, sql, -1, &st, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	int64_t v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static bz_report *verify(int64_t seq, const char *head)
{
	bz_report *r = NULL;
	ck_assert_bz(bz_ledger_verify(&r, F.l, seq, head));
	ck_assert_ptr_nonnull(r);
	return r;
}

/* the findings of category CHAIN */
static size_t chain_findings(const bz_report *r)
{
	size_t n = 0;
	for (size_t i = 0; i < bz_report_count(r); i++)
		if (strcmp(bz_violation_category(bz_report_get(r, i)), "CHAIN") == 0)
			n++;
	return n;
}

static void assert_finding(const bz_report *r, size_t i, int64_t seq, const char *kind, const char *what)
{
	const bz_violation *v = bz_report_get(r, i);
	ck_assert_ptr_nonnull(v);
	ck_assert_int_eq(bz_violation_rule(v), BZ_RULE_INTEGRITY);
	ck_assert_int_eq(bz_violation_severity(v), BZ_SEVERITY_ERROR);
	ck_assert_str_eq(bz_violation_category(v), "CHAIN");
	ck_assert_int_eq(bz_violation_actual(v), seq);
	const char *m = bz_violation_message(v);
	ck_assert_msg(strncmp(m, kind, strlen(kind)) == 0, "finding %zu: %s", i, m);
	char at[32];
	snprintf(at, sizeof at, "#%lld ", (long long)seq);
	ck_assert_msg(strstr(m, at), "finding %zu does not name record %s: %s", i, at, m);
	if (what)
		ck_assert_msg(strstr(m, what), "finding %zu does not say '%s': %s", i, what, m);
}

START_TEST(clean_and_head)
{
	county();
	bz_report *r = verify(0, NULL);
	ck_assert_uint_eq(bz_report_count(r), 0);
	bz_report_free(r);
	ck_assert_int_eq(one_int("SELECT count(*) FROM record_chain"), one_int("SELECT count(*) FROM event"));

	char *h1 = NULL;
	int64_t s1 = 0, last = 0;
	ck_assert_bz(bz_ledger_head_hash(&h1, &s1, F.l));
	ck_assert_bz(bz_changes_last_seq(&last, F.l));
	ck_assert_int_eq(s1, last);
	ck_assert_uint_eq(strlen(h1), 64);
	ck_assert_str_ne(h1, "0000000000000000000000000000000000000000000000000000000000000000");

	/* every commit moves the head */
	fx_est(&F, culture, "XZ", 5, "2021-01-01");
	char *h2 = NULL;
	int64_t s2 = 0;
	ck_assert_bz(bz_ledger_head_hash(&h2, &s2, F.l));
	ck_assert_int_gt(s2, s1);
	ck_assert_str_ne(h1, h2);
	fx_est(&F, organ, "XZ", 6, "2022-01-01");
	char *h3 = NULL;
	int64_t s3 = 0;
	ck_assert_bz(bz_ledger_head_hash(&h3, &s3, F.l));

	/* a verify against an earlier head after honest commits is clean (either case of hex) */
	r = verify(s1, h1);
	ck_assert_uint_eq(bz_report_count(r), 0);
	bz_report_free(r);
	for (char *c = h2; *c; c++)
		if (*c >= 'a' && *c <= 'f')
			*c = (char)(*c - 'a' + 'A');
	r = verify(s2, h2);
	ck_assert_uint_eq(bz_report_count(r), 0);
	bz_report_free(r);
	/* a head that is not the one of that position */
	r = verify(s1, h3);
	ck_assert_uint_eq(bz_report_count(r), 1);
	assert_finding(r, 0, s1, "head:", "head hash signed off");
	bz_report_free(r);
	/* a head beyond the chain */
	r = verify(s3 + 5, h3);
	ck_assert_uint_eq(bz_report_count(r), 1);
	assert_finding(r, 0, s3 + 5, "head:", "not in the ledger");
	bz_report_free(r);
	bz_free(h1);
	bz_free(h2);
	bz_free(h3);
	done();
}
END_TEST

START_TEST(empty_ledger_and_errors)
{
	bz_ledger *l = tu_ledger();
	char *h = NULL;
	int64_t seq = -1;
	ck_assert_bz(bz_ledger_head_hash(&h, &seq, l));
	ck_assert_int_eq(seq, 0);
	ck_assert_str_eq(h, "0000000000000000000000000000000000000000000000000000000000000000");
	bz_report *r = NULL;
	ck_assert_bz(bz_ledger_verify(&r, l, 0, h));
	ck_assert_uint_eq(bz_report_count(r), 0);
	bz_report_free(r);
	bz_free(h);

	ck_assert_int_eq(bz_ledger_head_hash(NULL, &seq, l), BZ_EINVAL);
	ck_assert_int_eq(bz_ledger_head_hash(&h, NULL, l), BZ_EINVAL);
	ck_assert_int_eq(bz_ledger_head_hash(&h, &seq, NULL), BZ_EINVAL);
	ck_assert_ptr_null(h);
	ck_assert_int_eq(bz_ledger_verify(NULL, l, 0, NULL), BZ_EINVAL);
	ck_assert_int_eq(bz_ledger_verify(&r, NULL, 0, NULL), BZ_EINVAL);
	ck_assert_ptr_null(r);
	ck_assert_int_eq(bz_ledger_verify(&r, l, 3, "abc"), BZ_EINVAL);
	ck_assert_ptr_nonnull(strstr(bz_ledger_errmsg(l), "64 hexadecimal digits"));
	ck_assert_int_eq(bz_ledger_verify(&r, l, 3, "zz00000000000000000000000000000000000000000000000000000000000000"),
			 BZ_EINVAL);
	ck_assert_int_eq(bz_ledger_verify(&r, l, -1, "0000000000000000000000000000000000000000000000000000000000000000"),
			 BZ_EINVAL);
	ck_assert_ptr_null(r);
	/* an open transaction: its records are not chained yet */
	bz_txn *t = tu_begin(l);
	ck_assert_int_eq(bz_ledger_verify(&r, l, 0, NULL), BZ_EMISUSE);
	ck_assert_int_eq(bz_ledger_head_hash(&h, &seq, l), BZ_EMISUSE);
	ck_assert_ptr_nonnull(strstr(bz_ledger_errmsg(l), "open transaction"));
	bz_txn_rollback(t);
	bz_txn_free(t);
	ck_assert_bz(bz_ledger_close(l));
}
END_TEST

START_TEST(fact_altered)
{
	county();
	int64_t ev = one_int("SELECT event FROM fact WHERE attr='name' AND after='武都区文化局'");
	behind("DROP TRIGGER fact_no_update;"
	       "UPDATE fact SET after='武都区文化旅游局' WHERE attr='name' AND after='武都区文化局'");
	bz_report *r = verify(0, NULL);
	ck_assert_uint_eq(bz_report_count(r), 1);
	assert_finding(r, 0, ev, "altered:", "its facts");
	ck_assert_ptr_null(strstr(bz_violation_message(bz_report_get(r, 0)), "its content"));
	ck_assert_str_eq(bz_violation_subject(bz_report_get(r, 0)), culture);
	ck_assert_str_eq(bz_violation_subject_name(bz_report_get(r, 0)), "unit.establish");
	bz_report_free(r);
	done();
}
END_TEST

START_TEST(content_and_who_altered)
{
	county();
	int64_t ev = one_int("SELECT id FROM event WHERE subject=(SELECT id FROM person WHERE name='王强')");
	int64_t in_txn = one_int("SELECT count(*) FROM event WHERE txn=(SELECT max(txn) FROM event)");
	int64_t last = one_int("SELECT max(id) FROM event");
	behind("DROP TRIGGER event_no_update; DROP TRIGGER txn_log_no_update;"
	       "UPDATE event SET effective='2019-01-01' WHERE subject=(SELECT id FROM person WHERE name='王强');"
	       "UPDATE txn_log SET recorded_by='某人' WHERE id=(SELECT max(txn) FROM event)");
	bz_report *r = verify(0, NULL);
	ck_assert_uint_eq(bz_report_count(r), 1 + (size_t)in_txn);
	assert_finding(r, 0, ev, "altered:", "its content");
	for (int64_t i = 0; i < in_txn; i++)
		assert_finding(r, 1 + (size_t)i, last - in_txn + 1 + i, "altered:", "who and when");
	bz_report_free(r);
	done();
}
END_TEST

START_TEST(event_deleted)
{
	county();
	int64_t ev = one_int("SELECT id FROM event WHERE subject=(SELECT id FROM person WHERE name='王强')");
	behind("DROP TRIGGER event_no_delete;"
	       "DELETE FROM event WHERE subject=(SELECT id FROM person WHERE name='王强')");
	bz_report *r = verify(0, NULL);
	ck_assert_uint_eq(bz_report_count(r), 1);
	assert_finding(r, 0, ev, "deleted:", "no longer in the ledger");
	bz_report_free(r);
	/* deleted with its hash: the record after it no longer follows from the one before */
	char sql[160];
	snprintf(sql, sizeof sql, "DROP TRIGGER record_chain_no_delete; DELETE FROM record_chain WHERE seq=%lld",
		 (long long)ev);
	behind(sql);
	snprintf(sql, sizeof sql, "SELECT min(id) FROM event WHERE id>%lld", (long long)ev);
	int64_t after = one_int(sql);
	r = verify(0, NULL);
	ck_assert_uint_eq(bz_report_count(r), 1);
	assert_finding(r, 0, after, "relinked:", "record before it was deleted");
	bz_report_free(r);
	done();
}
END_TEST

START_TEST(event_inserted)
{
	county();
	int64_t next = one_int("SELECT max(id) + 1 FROM event");
	behind("INSERT INTO event(txn, kind, subject, unit, effective, doc, note)"
	       " SELECT max(id), 'unit.rename', (SELECT subject FROM event WHERE kind='unit.establish' LIMIT 1), NULL,"
	       " '2020-05-01', NULL, NULL FROM txn_log;"
	       "INSERT INTO fact(event, subject, attr, effective, before, after)"
	       " SELECT max(id), subject, 'note', '2020-05-01', NULL, '补录' FROM event");
	bz_report *r = verify(0, NULL);
	ck_assert_uint_eq(bz_report_count(r), 1);
	assert_finding(r, 0, next, "inserted:", "written behind the library");
	bz_report_free(r);
	/* an honest commit afterwards chains its own records only: the inserted one stays found */
	fx_est(&F, culture, "XZ", 6, "2022-01-01");
	r = verify(0, NULL);
	ck_assert_uint_eq(bz_report_count(r), 1);
	assert_finding(r, 0, next, "inserted:", NULL);
	bz_report_free(r);
	done();
}
END_TEST

START_TEST(counter_edited)
{
	county();
	behind("UPDATE tl SET value=value+3 WHERE counter IN (SELECT id FROM counter WHERE key LIKE 'U:%:staff:XZ')");
	bz_report *r = verify(0, NULL);
	ck_assert_uint_ge(bz_report_count(r), 1);
	ck_assert_uint_eq(chain_findings(r), 0);
	for (size_t i = 0; i < bz_report_count(r); i++) {
		const bz_violation *v = bz_report_get(r, i);
		ck_assert_int_eq(bz_violation_rule(v), BZ_RULE_INTEGRITY);
		ck_assert_ptr_nonnull(strstr(bz_violation_message(v), "账实不符"));
		ck_assert_ptr_nonnull(strstr(bz_violation_category(v), ":staff:XZ"));
	}
	bz_report_free(r);
	done();
}
END_TEST

/* someone with the file alters a record and computes the chain again: the
 * walk finds nothing, the head signed off before finds it */
START_TEST(rewritten_chain_against_head)
{
	county();
	char *h = NULL;
	int64_t seq = 0;
	ck_assert_bz(bz_ledger_head_hash(&h, &seq, F.l));
	int64_t ev = one_int("SELECT event FROM fact WHERE attr='name' AND after='武都区文化局'");
	char sql[256];
	snprintf(sql, sizeof sql,
		 "DROP TRIGGER fact_no_update; DROP TRIGGER record_chain_no_delete;"
		 "UPDATE fact SET after='武都区文化旅游局' WHERE event=%lld AND attr='name';"
		 "DELETE FROM record_chain WHERE seq>=%lld",
		 (long long)ev, (long long)ev);
	behind(sql);
	ck_assert_bz(bz_exec(F.l, "BEGIN"));
	ck_assert_bz(bz_chain_extend(F.l, ev));
	ck_assert_bz(bz_exec(F.l, "COMMIT"));
	bz_report *r = verify(0, NULL);
	ck_assert_uint_eq(bz_report_count(r), 0);
	bz_report_free(r);
	r = verify(seq, h);
	ck_assert_uint_eq(bz_report_count(r), 1);
	assert_finding(r, 0, seq, "head:", "chain was rewritten");
	bz_report_free(r);
	bz_free(h);
	done();
}
END_TEST

/* records brought in by bz_ledger_import are chained at its commit like any other */
START_TEST(imported_records_are_chained)
{
	county();
	char xfile[300], other[300];
	snprintf(xfile, sizeof xfile, "%s.jsonl", path);
	snprintf(other, sizeof other, "%s", tu_tmpfile("verify-city"));
	unlink(xfile);
	ck_assert_bz(bz_ledger_export(NULL, F.l, xfile, "621202"));
	bz_ledger *city = NULL;
	ck_assert_bz(bz_ledger_open(&city, other, BZ_OPEN_CREATE));
	ck_assert_bz(bz_ledger_set_clock(city, "2026-12-01"));
	bz_exchange *x = NULL;
	ck_assert_bz(bz_ledger_import(&x, city, xfile, 0));
	bz_exchange_free(x);
	ck_assert_int_gt(tu_count(city, "event"), 0);
	ck_assert_int_eq(tu_count(city, "record_chain"), tu_count(city, "event"));
	bz_report *r = NULL;
	ck_assert_bz(bz_ledger_verify(&r, city, 0, NULL));
	ck_assert_uint_eq(bz_report_count(r), 0);
	bz_report_free(r);
	ck_assert_bz(bz_ledger_close(city));
	tu_rm(other);
	unlink(xfile);
	done();
}
END_TEST

int main(void)
{
	Suite *s = suite_create("verify");
	TCase *tc = tcase_create("chain");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, clean_and_head);
	tcase_add_test(tc, empty_ledger_and_errors);
	tcase_add_test(tc, fact_altered);
	tcase_add_test(tc, content_and_who_altered);
	tcase_add_test(tc, event_deleted);
	tcase_add_test(tc, event_inserted);
	tcase_add_test(tc, counter_edited);
	tcase_add_test(tc, rewritten_chain_against_head);
	tcase_add_test(tc, imported_records_are_chained);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
