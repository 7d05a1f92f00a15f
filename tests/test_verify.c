/* test_verify.c: tamper evidence (verify.h) — the hash chain over the change
 * log, its head, and what bz_ledger_verify() finds when the file is edited
 * behind the library through a second SQLite connection, as someone with
 * the file and the sqlite3 shell would. */
#include "testutil.h"
#include "staff_fixture.h"
#include "report_county.h"
#include "internal.h"

#include <sqlite3.h>
#include <stdarg.h>
#include <stdlib.h>
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

/*
 * One commit mixing records with facts, records that issued a card and
 * records with neither, interleaved: the commit digests every record's facts
 * from one statement read ahead (verify.c, facts_ahead), and the verify walk
 * digests each record by the statement of its own, from scratch. Both must
 * hash the same bytes: a record the read-ahead took for fact-less, or whose
 * card it missed, is found altered ("its facts") and the head differs.
 */
START_TEST(commit_mixing_facts_cards_and_neither)
{
	county();
	char slip[BZ_UUID_LEN + 1], zhao[BZ_UUID_LEN + 1], sun[BZ_UUID_LEN + 1], idn[19];
	ck_assert_int_eq(sf_slip(&F, slip, culture, "XZ", 2, "2020-01-01", "2020-12-31"), BZ_OK);
	int64_t first = one_int("SELECT max(id) FROM event") + 1;
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_person_set_attr(t, zhang, "民族", "汉族", "2020-05-01"));      /* a fact */
	bz_person *p = NULL;
	sf_idnum(idn, "621202", "19920417", 44);
	ck_assert_bz(bz_person_register(&p, t, idn, "赵敏", 0, NULL));                /* neither */
	memcpy(zhao, bz_person_uuid(p), sizeof zhao);
	bz_person_free(p);
	ck_assert_bz(bz_placement_enter(NULL, t, zhao, culture, "XZ", slip, BZ_ENTRY_RECRUIT, "2020-06-01")); /* a card */
	ck_assert_bz(bz_placement_transfer(NULL, t, li, culture, "XZ", slip, "2020-06-15")); /* an exit, an entry with no card */
	ck_assert_bz(bz_person_set_attr(t, wang, "学历", "大学本科", "2020-07-01"));   /* a fact */
	sf_idnum(idn, "621202", "19950909", 55);
	ck_assert_bz(bz_person_register(&p, t, idn, "孙丽", 0, NULL));                /* neither, last */
	memcpy(sun, bz_person_uuid(p), sizeof sun);
	bz_person_free(p);
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);

	/* the commit holds each sort, the ones with facts not all at one end */
	char q[512];
	snprintf(q, sizeof q, "SELECT count(DISTINCT event) FROM fact WHERE event>=%lld", (long long)first);
	ck_assert_int_ge(one_int(q), 2);
	snprintf(q, sizeof q, "SELECT count(*) FROM card WHERE event>=%lld", (long long)first);
	ck_assert_int_eq(one_int(q), 1);
	snprintf(q, sizeof q, "SELECT count(*) FROM event e WHERE e.id>=%lld AND NOT EXISTS (SELECT 1 FROM fact f"
		 " WHERE f.event=e.id) AND NOT EXISTS (SELECT 1 FROM card c WHERE c.event=e.id)", (long long)first);
	ck_assert_int_ge(one_int(q), 3);
	snprintf(q, sizeof q, "SELECT count(*) FROM event e WHERE e.id>%lld AND e.id<(SELECT max(event) FROM fact)"
		 " AND NOT EXISTS (SELECT 1 FROM fact f WHERE f.event=e.id)", (long long)first);
	ck_assert_int_ge(one_int(q), 2);
	snprintf(q, sizeof q, "SELECT count(*) FROM event WHERE id>=%lld", (long long)first);
	ck_assert_int_eq(one_int(q), 7);

	/* the chain the commit wrote is the one the walk recomputes from scratch, record by record and at the head */
	char *head = NULL;
	int64_t seq = 0;
	ck_assert_bz(bz_ledger_head_hash(&head, &seq, F.l));
	ck_assert_int_eq(seq, first + 6);
	bz_report *r = verify(seq, head);
	for (size_t i = 0; i < bz_report_count(r); i++)
		ck_assert_msg(0, "finding %zu: %s", i, bz_violation_message(bz_report_get(r, i)));
	bz_report_free(r);

	/* and the next commit chains on from it */
	fx_est(&F, culture, "XZ", 5, "2021-01-01");
	r = verify(seq, head);
	ck_assert_uint_eq(bz_report_count(r), 0);
	bz_report_free(r);
	bz_free(head);
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

/* the card held once (schema 12) is in its entering record's facts digest: its number altered, or the row
 * unlinked from the record, is located at that record like an altered fact; the card is held once (no fact) */
START_TEST(card_altered)
{
	county();
	ck_assert_int_eq(one_int("SELECT count(*) FROM fact WHERE attr='card'"), 0);
	int64_t ev = one_int("SELECT c.event FROM card c JOIN person p ON p.id=c.person WHERE p.name='李娜'");
	ck_assert_int_eq(ev, one_int("SELECT p.event FROM placement p JOIN person q ON q.id=p.person WHERE q.name='李娜'"));
	bz_report *r = verify(0, NULL);
	ck_assert_uint_eq(bz_report_count(r), 0);
	bz_report_free(r);
	behind("UPDATE card SET number='621202-000009' WHERE person=(SELECT id FROM person WHERE name='李娜')");
	r = verify(0, NULL);
	ck_assert_uint_eq(bz_report_count(r), 1);
	assert_finding(r, 0, ev, "altered:", "its facts");
	ck_assert_ptr_null(strstr(bz_violation_message(bz_report_get(r, 0)), "its content"));
	bz_report_free(r);
	behind("UPDATE card SET number='621202-000002', event=NULL WHERE person=(SELECT id FROM person WHERE name='李娜')");
	r = verify(0, NULL);
	ck_assert_uint_eq(bz_report_count(r), 1);
	assert_finding(r, 0, ev, "altered:", "its facts");
	bz_report_free(r);
	behind("UPDATE card SET event=" "(SELECT p.event FROM placement p JOIN person q ON q.id=p.person WHERE q.name='李娜')"
	       " WHERE person=(SELECT id FROM person WHERE name='李娜')");
	r = verify(0, NULL);
	ck_assert_uint_eq(bz_report_count(r), 0);
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


/* ---- the derived counters' whole timelines (counters.h) ------------------------------------ */

/* the reports' county (report_county.h: 50 units, 600 people hired on slips, retirements, a cut,
 * frozen posts, sub-units), in a file; tampered with through a second connection as above */
#define TODAY "2026-12-01"
static rc_county RC;

static void rc_setup(void)
{
	snprintf(path, sizeof path, "%s", tu_tmpfile("verify-county"));
	memset(&F, 0, sizeof F);
	ck_assert_bz(bz_ledger_open(&F.l, path, BZ_OPEN_CREATE));
	ck_assert_bz(bz_ledger_set_clock(F.l, TODAY));
	int rc = rc_build(&RC, F.l, 600);
	ck_assert_msg(rc == BZ_OK, "%s", RC.error);
}

static void rc_teardown(void)
{
	if (F.l)
		bz_ledger_close(F.l);
	F.l = NULL;
	tu_rm(path);
}

/* a counter's stored timeline: key, the subject its key names, breakpoints in date order */
typedef struct tline {
	char key[BZ_KEY_MAX], subject[BZ_UUID_LEN + 1];
	int64_t id;
	int n;
	char date[8][BZ_DATE_LEN + 1];
	int64_t value[8];
} tline;

/* the first counter (by key) of keys LIKE pattern with exactly n breakpoints, the last lower than the first */
static void tline_pick(tline *t, const char *pattern, int n)
{
	char sql[512];
	snprintf(sql, sizeof sql,
		 "SELECT c.id, c.key FROM counter c JOIN tl t ON t.counter=c.id WHERE c.key LIKE '%s' GROUP BY c.id"
		 " HAVING count(*)=%d AND max(t.effective) IS NOT NULL AND (SELECT value FROM tl WHERE counter=c.id"
		 " ORDER BY effective LIMIT 1)>(SELECT value FROM tl WHERE counter=c.id ORDER BY effective DESC LIMIT 1)"
		 " ORDER BY c.key LIMIT 1",
		 pattern, n);
	memset(t, 0, sizeof *t);
	sqlite3_stmt *st = NULL;
	ck_assert_int_eq(sqlite3_prepare_v2(F.l->db, sql, -1, &st, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	t->id = sqlite3_column_int64(st, 0);
	snprintf(t->key, sizeof t->key, "%s", (const char *)sqlite3_column_text(st, 1));
	sqlite3_finalize(st);
	memcpy(t->subject, t->key + 2, BZ_UUID_LEN);
	ck_assert_int_eq(sqlite3_prepare_v2(F.l->db, "SELECT effective, value FROM tl WHERE counter=?1 ORDER BY effective",
					    -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_int64(st, 1, t->id);
	while (sqlite3_step(st) == SQLITE_ROW && t->n < 8) {
		snprintf(t->date[t->n], sizeof t->date[t->n], "%s", (const char *)sqlite3_column_text(st, 0));
		t->value[t->n++] = sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	ck_assert_int_eq(t->n, n);
}

/* finding i: the counter key, from date, stored vs the records' figure, field by field */
static void assert_counter(const bz_report *r, size_t i, const char *key, const char *subject, const char *date,
			   int64_t stored, int64_t records)
{
	const bz_violation *v = bz_report_get(r, i);
	ck_assert_ptr_nonnull(v);
	ck_assert_int_eq(bz_violation_rule(v), BZ_RULE_INTEGRITY);
	ck_assert_int_eq(bz_violation_severity(v), BZ_SEVERITY_ERROR);
	ck_assert_str_eq(bz_violation_category(v), key);
	ck_assert_str_eq(bz_violation_subject_name(v), key);
	ck_assert_str_eq(bz_violation_subject(v), subject);
	ck_assert_str_eq(bz_violation_date(v), date);
	ck_assert_int_eq(bz_violation_actual(v), stored);
	ck_assert_int_eq(bz_violation_allowed(v), records);
	ck_assert_ptr_null(bz_violation_document(v));
	char want[512];
	snprintf(want, sizeof want, "账实不符: the counter %s says %lld on %s, but the records", key, (long long)stored, date);
	ck_assert_msg(strncmp(bz_violation_message(v), want, strlen(want)) == 0, "%s", bz_violation_message(v));
	ck_assert_ptr_nonnull(strstr(bz_violation_message(v), "the first day its timeline and the records differ"));
}

/* verify finds exactly one thing: that counter */
static void verify_one(const char *key, const char *subject, const char *date, int64_t stored, int64_t records)
{
	bz_report *r = verify(0, NULL);
	if (bz_report_count(r) != 1)
		for (size_t i = 0; i < bz_report_count(r); i++)
			fprintf(stderr, "finding: %s\n", bz_violation_message(bz_report_get(r, i)));
	ck_assert_uint_eq(bz_report_count(r), 1);
	assert_counter(r, 0, key, subject, date, stored, records);
	bz_report_free(r);
}

/* the self-inspection on today's figures finds no INTEGRITY error: what only the whole timeline shows */
static void check_today_blind(void)
{
	bz_report *r = NULL;
	ck_assert_bz(bz_ledger_check(&r, F.l, TODAY));
	for (size_t i = 0; i < bz_report_count(r); i++)
		ck_assert_int_ne(bz_violation_rule(bz_report_get(r, i)), BZ_RULE_INTEGRITY);
	bz_report_free(r);
}

static void behindf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void behindf(const char *fmt, ...)
{
	char sql[1024];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(sql, sizeof sql, fmt, ap);
	va_end(ap);
	ck_assert_int_lt(n, (int)sizeof sql);
	behind(sql);
}

START_TEST(county_clean)
{
	bz_report *r = verify(0, NULL);
	ck_assert_uint_eq(bz_report_count(r), 0);
	bz_report_free(r);
	/* the library leaves breakpoints that repeat the figure before them: not tampering */
	ck_assert_int_gt(one_int("SELECT count(*) FROM (SELECT value AS v, LAG(value, 1, 0) OVER (PARTITION BY counter"
				 " ORDER BY effective) AS p FROM tl) WHERE v=p"), 0);
}
END_TEST

/* a unit's staff before a retirement, altered: today's figure is right, the past one is not */
START_TEST(past_breakpoint_altered)
{
	tline t;
	tline_pick(&t, "U:%:staff:%", 2);
	behindf("UPDATE tl SET value=value+4 WHERE counter=%lld AND effective='%s'", (long long)t.id, t.date[0]);
	verify_one(t.key, t.subject, t.date[0], t.value[0] + 4, t.value[0]);
	check_today_blind();
}
END_TEST

/* a slip's reservation: its hire's breakpoint deleted, so the slip seems to reserve nothing from then */
START_TEST(past_breakpoint_deleted)
{
	tline t;
	tline_pick(&t, "U:%:resv:%", 5);
	/* 35 reserved, 0 once hired, 1 on a later slip, 0 once hired, (0 again: its end) */
	ck_assert_int_ne(t.value[2], t.value[1]);
	behindf("DELETE FROM tl WHERE counter=%lld AND effective='%s'", (long long)t.id, t.date[2]);
	verify_one(t.key, t.subject, t.date[2], t.value[1], t.value[2]);
	check_today_blind();
}
END_TEST

START_TEST(past_breakpoint_inserted)
{
	tline t;
	tline_pick(&t, "U:%:staff:%", 2);
	ck_assert_str_lt(t.date[0], "2013-05-01");
	ck_assert_str_gt(t.date[1], "2013-05-01");
	behindf("INSERT INTO tl(counter, effective, value) VALUES(%lld, '2013-05-01', %lld)", (long long)t.id,
		(long long)t.value[0] + 3);
	verify_one(t.key, t.subject, "2013-05-01", t.value[0] + 3, t.value[0]);
	check_today_blind();
}
END_TEST

/* the retirement's breakpoint moved a year earlier */
START_TEST(past_breakpoint_moved)
{
	tline t;
	tline_pick(&t, "U:%:staff:%", 2);
	char earlier[64];
	snprintf(earlier, sizeof earlier, "%04d%.6s", atoi(t.date[1]) - 1, t.date[1] + 4);
	ck_assert_str_gt(earlier, t.date[0]);
	behindf("UPDATE tl SET effective='%s' WHERE counter=%lld AND effective='%s'", earlier, (long long)t.id, t.date[1]);
	verify_one(t.key, t.subject, earlier, t.value[1], t.value[0]);
	check_today_blind();
}
END_TEST

/* a breakpoint dated after today: no figure of today shows it */
START_TEST(future_breakpoint_inserted)
{
	tline t;
	tline_pick(&t, "U:%:staff:%", 2);
	behindf("INSERT INTO tl(counter, effective, value) VALUES(%lld, '2030-01-01', %lld)", (long long)t.id,
		(long long)t.value[1] + 9);
	verify_one(t.key, t.subject, "2030-01-01", t.value[1] + 9, t.value[1]);
	check_today_blind();
}
END_TEST

/* the counter's row deleted (its breakpoints left behind, named by no key) or one added that no record explains */
START_TEST(counter_row_deleted_or_added)
{
	tline t;
	tline_pick(&t, "U:%:staff:%", 2);
	behindf("DELETE FROM counter WHERE id=%lld", (long long)t.id);
	verify_one(t.key, t.subject, t.date[0], 0, t.value[0]);
	behindf("INSERT INTO counter(id, key) VALUES(%lld, '%s')", (long long)t.id, t.key);
	bz_report *r = verify(0, NULL);
	ck_assert_uint_eq(bz_report_count(r), 0);
	bz_report_free(r);

	char key[BZ_KEY_MAX];
	snprintf(key, sizeof key, "U:%s:frozen:XZ", t.subject);
	ck_assert_int_eq(one_int("SELECT count(*) FROM counter WHERE key LIKE 'U:%:frozen:%'") > 0, 1);
	behindf("INSERT INTO counter(key) VALUES('%s');"
		"INSERT INTO tl(counter, effective, value) SELECT id, '2012-07-01', 2 FROM counter WHERE key='%s'",
		key, key);
	verify_one(key, t.subject, "2012-07-01", 2, 0);
}
END_TEST

/* breakpoints that change no figure on any day: the step function is the same, nothing to report */
START_TEST(harmless_breakpoints)
{
	tline t;
	tline_pick(&t, "U:%:staff:%", 2);
	behindf("INSERT INTO tl(counter, effective, value) VALUES(%lld, '2013-05-01', %lld), (%lld, '2000-01-01', 0)",
		(long long)t.id, (long long)t.value[0], (long long)t.id);
	bz_report *r = verify(0, NULL);
	ck_assert_uint_eq(bz_report_count(r), 0);
	bz_report_free(r);
}
END_TEST

/* several counters at once, each reported once, in key order; the chain's findings unaffected */
START_TEST(several_counters)
{
	tline a, b;
	tline_pick(&a, "U:%:staff:%", 2);
	tline_pick(&b, "U:%:resv:%", 5);
	behindf("UPDATE tl SET value=value-1 WHERE counter IN (%lld, %lld)", (long long)a.id, (long long)b.id);
	bz_report *r = verify(0, NULL);
	ck_assert_uint_eq(bz_report_count(r), 2);
	const tline *first = strcmp(a.key, b.key) < 0 ? &a : &b, *second = first == &a ? &b : &a;
	assert_counter(r, 0, first->key, first->subject, first->date[0], first->value[0] - 1, first->value[0]);
	assert_counter(r, 1, second->key, second->subject, second->date[0], second->value[0] - 1, second->value[0]);
	ck_assert_uint_eq(chain_findings(r), 0);
	bz_report_free(r);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("verify");
	TCase *tc = tcase_create("chain");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, clean_and_head);
	tcase_add_test(tc, commit_mixing_facts_cards_and_neither);
	tcase_add_test(tc, empty_ledger_and_errors);
	tcase_add_test(tc, fact_altered);
	tcase_add_test(tc, card_altered);
	tcase_add_test(tc, content_and_who_altered);
	tcase_add_test(tc, event_deleted);
	tcase_add_test(tc, event_inserted);
	tcase_add_test(tc, counter_edited);
	tcase_add_test(tc, rewritten_chain_against_head);
	tcase_add_test(tc, imported_records_are_chained);
	suite_add_tcase(s, tc);
	tc = tcase_create("counters");
	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, rc_setup, rc_teardown);
	tcase_add_test(tc, county_clean);
	tcase_add_test(tc, past_breakpoint_altered);
	tcase_add_test(tc, past_breakpoint_deleted);
	tcase_add_test(tc, past_breakpoint_inserted);
	tcase_add_test(tc, past_breakpoint_moved);
	tcase_add_test(tc, future_breakpoint_inserted);
	tcase_add_test(tc, counter_row_deleted_or_added);
	tcase_add_test(tc, harmless_breakpoints);
	tcase_add_test(tc, several_counters);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
