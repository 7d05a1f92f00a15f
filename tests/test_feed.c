/*
 * test_feed.c: the change feed (bz_changes_since, bz_changes_last_seq) and
 * online backup and restore (bz_ledger_backup, bz_ledger_restore), on a
 * 武都区 ledger in a file, read and written through two handles. Under
 * pg_suites the feed's ledger is a schema of the server (two connections):
 * each test asserts the contract of the backend it runs on (change.h).
 */
#include "staff_fixture.h"
#include "internal.h"

#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static fx F;
static char path[256];
static char jyj[BZ_UUID_LEN + 1], wh[BZ_UUID_LEN + 1], wj[BZ_UUID_LEN + 1], yz[BZ_UUID_LEN + 1];
static char people[8][BZ_UUID_LEN + 1];
static char slip_jyj[BZ_UUID_LEN + 1], slip_wj[BZ_UUID_LEN + 1];
static const char *const names[8] = {"张伟", "李娜", "王强", "刘洋", "陈静", "杨帆", "赵敏", "黄磊"};
static const char *const births[8] = {"19850615", "19900301", "19880808", "19920117",
				      "19870425", "19931102", "19860930", "19910512"};

/* open (or create) the ledger at path with the tests' clock */
static bz_ledger *open_at(const char *p, unsigned flags)
{
	bz_ledger *l = NULL;
	ck_assert_int_eq(bz_ledger_open(&l, p, flags), BZ_OK);
	ck_assert_bz(bz_ledger_set_clock(l, "2026-12-01"));
	return l;
}

static void hire(const char *person, const char *unit, const char *slip, const char *date)
{
	ck_assert_int_eq(sf_hire(&F, person, unit, "XZ", slip, date), BZ_OK);
}

/*
 * The county of fx_setup, in a file: 甘肃省 / 陇南市 / 武都区, three
 * documents; four units of 武都区 with establishment; eight people
 * registered; slips; five hires and one retirement. Under pg_suites
 * (BZ_TEST_PG_URI) the feed's ledger is a schema of the server instead, so
 * that a second handle opens the same ledger there; backup and restore are
 * SQLite's (bz_ledger_backup refuses a PostgreSQL ledger), their ledger a
 * file on either run.
 */
static void setup_at(bool may_pg)
{
	const char *pg = may_pg ? tu_pg_uri() : NULL;
	static int n;
	if (pg)
		snprintf(path, sizeof path, "%s%sschema=feed%ld_%d", pg, strchr(pg, '?') ? "&" : "?", (long)getpid(), ++n);
	else
		snprintf(path, sizeof path, "%s", tu_tmpfile("feed"));
	F.l = open_at(path, BZ_OPEN_CREATE);
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_jurisdiction_create(NULL, t, "620000", "甘肃省", NULL));
	ck_assert_bz(bz_jurisdiction_create(NULL, t, "621200", "陇南市", "620000"));
	ck_assert_bz(bz_jurisdiction_create(NULL, t, "621202", "武都区", "621200"));
	ck_assert_bz(bz_jurisdiction_create(NULL, t, "621221", "成县", "621200"));
	fx_doc(t, F.city_doc, "陇南市机构编制委员会", "陇编发〔2012〕31号", BZ_LEVEL_CITY, BZ_ISSUER_ESTABLISHMENT, "621200");
	fx_doc(t, F.county_doc, "武都区机构编制委员会", "武编发〔2013〕5号", BZ_LEVEL_COUNTY, BZ_ISSUER_ESTABLISHMENT, "621202");
	fx_doc(t, F.business_doc, "陇南市教育局", "陇教发〔2013〕7号", BZ_LEVEL_CITY, BZ_ISSUER_BUSINESS, "621200");
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);

	ck_assert_int_eq(fx_unit(&F, jyj, F.county_doc, "武都区教育局", BZ_NATURE_ORGAN, BZ_RANK_ZHENGKE, "621202", "2010-01-01"), BZ_OK);
	ck_assert_int_eq(fx_unit(&F, wh, F.county_doc, "武都区文化和旅游局", BZ_NATURE_ORGAN, BZ_RANK_ZHENGKE, "621202", "2010-01-01"), BZ_OK);
	ck_assert_int_eq(fx_unit(&F, wj, F.county_doc, "武都区卫生健康局", BZ_NATURE_ORGAN, BZ_RANK_ZHENGKE, "621202", "2010-01-01"), BZ_OK);
	ck_assert_int_eq(fx_unit(&F, yz, F.county_doc, "武都区审计局", BZ_NATURE_ORGAN, BZ_RANK_ZHENGKE, "621202", "2010-01-01"), BZ_OK);
	fx_est(&F, jyj, "XZ", 3, "2010-01-01");
	fx_est(&F, wh, "XZ", 4, "2010-01-01");
	fx_est(&F, wj, "XZ", 5, "2010-01-01");
	fx_est(&F, yz, "XZ", 2, "2010-01-01");
	for (int i = 0; i < 8; i++)
		sf_person(&F, people[i], names[i], births[i], 11 * (i + 1));
	ck_assert_int_eq(sf_slip(&F, slip_jyj, jyj, "XZ", 3, "2020-01-01", "2020-12-31"), BZ_OK);
	ck_assert_int_eq(sf_slip(&F, slip_wj, wj, "XZ", 3, "2020-01-01", "2020-12-31"), BZ_OK);
	hire(people[0], jyj, slip_jyj, "2020-02-01");
	hire(people[1], jyj, slip_jyj, "2020-02-01");
	hire(people[2], jyj, slip_jyj, "2020-03-01");
	hire(people[3], wj, slip_wj, "2020-03-01");
	hire(people[4], wj, slip_wj, "2020-04-01");
	t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_placement_exit(t, people[1], BZ_EXIT_RETIREMENT, "2021-06-30"));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
}

static void setup(void) { setup_at(true); }

static void teardown(void)
{
	bz_ledger_close(F.l);
	if (strncmp(path, "postgres", 8) != 0)
		tu_rm(path);
}

/* ---- reading the feed ------------------------------------------------- */

/*
 * Read the feed after seq into seqs/kinds (up to cap); returns how many,
 * asserting that no number comes twice and, on SQLite, ascending order (on
 * a server the order is commit order, the numbers not increasing along it).
 */
typedef struct rec {
	int64_t seq;
	char kind[40];
	char subject[BZ_UUID_LEN + 8];
} rec;

static size_t pull(bz_ledger *l, int64_t since, rec *out, size_t cap)
{
	bz_change_iter *it = NULL;
	ck_assert_bz(bz_changes_since(&it, l, since));
	size_t n = 0;
	int64_t prev = since;
	bz_change *c = NULL;
	int rc;
	while ((rc = bz_change_iter_next(&c, it)) == BZ_OK) {
		if (!tu_pg_uri())
			ck_assert_int_gt(bz_change_seq(c), prev);
		ck_assert_int_ne(bz_change_seq(c), since);
		for (size_t i = 0; i < n && i < cap; i++)
			ck_assert_int_ne(out[i].seq, bz_change_seq(c));
		prev = bz_change_seq(c);
		if (n < cap) {
			out[n].seq = bz_change_seq(c);
			snprintf(out[n].kind, sizeof out[n].kind, "%s", bz_change_kind(c));
			snprintf(out[n].subject, sizeof out[n].subject, "%s", bz_change_subject(c));
		}
		n++;
		bz_change_free(c);
	}
	ck_assert_int_eq(rc, BZ_ITEROVER);
	bz_change_iter_free(it);
	return n;
}

static int64_t last_seq(bz_ledger *l)
{
	int64_t n = -1;
	ck_assert_bz(bz_changes_last_seq(&n, l));
	return n;
}

/* the attribute named name of c, or NULL; *before set to its value before */
static const char *attr_after(const bz_change *c, const char *name, const char **before)
{
	for (size_t i = 0; i < bz_change_attr_count(c); i++) {
		if (strcmp(bz_change_attr_name(c, i), name) == 0) {
			if (before)
				*before = bz_change_attr_before(c, i);
			return bz_change_attr_after(c, i);
		}
	}
	return NULL;
}

static rec recs[512];

START_TEST(feed_from_zero_is_every_record_in_commit_order)
{
	/* every change record of the ledger, numbered 1 … N without a gap (one
	 * writer that was never refused: on a server too, though it promises
	 * only unique numbers there) */
	long long events = tu_count(F.l, "event");
	ck_assert_int_gt(events, 30);
	size_t n = pull(F.l, 0, recs, 512);
	ck_assert_int_eq((long long)n, events);
	for (size_t i = 0; i < n; i++)
		ck_assert_int_eq(recs[i].seq, (int64_t)i + 1);
	ck_assert_int_eq(last_seq(F.l), events);
	/* the order is that of recording: jurisdictions first, the retirement last */
	ck_assert_str_eq(recs[0].kind, "jurisdiction.create");
	ck_assert_str_eq(recs[n - 1].kind, "placement.exit");
	/* from the middle: exactly the rest */
	size_t half = n / 2;
	ck_assert_uint_eq(pull(F.l, (int64_t)half, recs, 512), n - half);
	ck_assert_int_eq(recs[0].seq, (int64_t)half + 1);
	/* from the end, and past it: nothing (on a server past it is no record's number: refused) */
	ck_assert_uint_eq(pull(F.l, (int64_t)n, recs, 512), 0);
	if (!tu_pg_uri())
		ck_assert_uint_eq(pull(F.l, (int64_t)n + 100, recs, 512), 0);
	else {
		bz_change_iter *it = NULL;
		ck_assert_int_eq(bz_changes_since(&it, F.l, (int64_t)n + 100), BZ_ENOTFOUND);
		ck_assert_ptr_null(it);
	}
}
END_TEST

START_TEST(records_of_every_subject_carry_their_fields)
{
	bz_change_iter *it = NULL;
	ck_assert_bz(bz_changes_since(&it, F.l, 0));
	bz_change *c = NULL;
	int seen_doc = 0, seen_unit = 0, seen_est = 0, seen_person = 0, seen_slip = 0, seen_enter = 0, seen_exit = 0;
	while (bz_change_iter_next(&c, it) == BZ_OK) {
		const char *kind = bz_change_kind(c), *before = NULL;
		/* every record: who, when, where */
		ck_assert_str_eq(bz_change_recorded_by(c), "tester");
		ck_assert_str_eq(bz_change_office(c), "测试编办");
		ck_assert_int_eq(strlen(bz_change_recorded_at(c)), 19);
		ck_assert_int_eq(strncmp(bz_change_recorded_at(c), "2026-12-01T", 11), 0);
		if (strcmp(kind, "document.register") == 0 && strcmp(bz_change_subject(c), F.county_doc) == 0) {
			seen_doc++;
			ck_assert_str_eq(bz_change_document(c), F.county_doc); /* a document is its own basis */
			ck_assert_str_eq(bz_change_document_number(c), "武编发〔2013〕5号");
			ck_assert_ptr_null(bz_change_unit(c));
		} else if (strcmp(kind, "unit.establish") == 0 && strcmp(bz_change_subject(c), wj) == 0) {
			seen_unit++;
			ck_assert_str_eq(bz_change_unit(c), wj);
			ck_assert_str_eq(bz_change_effective(c), "2010-01-01");
			ck_assert_str_eq(bz_change_document(c), F.county_doc);
			ck_assert_str_eq(attr_after(c, "name", &before), "武都区卫生健康局");
			ck_assert_ptr_null(before);
		} else if (strcmp(kind, "establishment.set") == 0 && strcmp(bz_change_subject(c), yz) == 0) {
			seen_est++;
			ck_assert_str_eq(bz_change_unit(c), yz);
			ck_assert_str_eq(attr_after(c, "est:XZ", &before), "2");
			ck_assert_ptr_null(before);
		} else if (strcmp(kind, "person.register") == 0 && strcmp(bz_change_subject(c), people[5]) == 0) {
			seen_person++;
			ck_assert_str_eq(attr_after(c, "name", NULL), "杨帆");
			char id[19];
			sf_idnum(id, "621202", births[5], 66);
			ck_assert_str_eq(attr_after(c, "id_number", NULL), id);
			ck_assert_ptr_null(bz_change_unit(c));
		} else if (strcmp(kind, "slip.issue") == 0 && strcmp(bz_change_subject(c), slip_wj) == 0) {
			seen_slip++;
			ck_assert_str_eq(bz_change_unit(c), wj);
			ck_assert_str_eq(bz_change_effective(c), "2020-01-01");
			ck_assert_str_eq(bz_change_document_number(c), "武编发〔2013〕5号");
		} else if (strcmp(kind, "placement.enter") == 0 && strcmp(bz_change_note(c), "陈静") == 0) {
			seen_enter++;
			ck_assert_str_eq(bz_change_unit(c), wj);
			ck_assert_str_eq(bz_change_effective(c), "2020-04-01");
			ck_assert_str_eq(attr_after(c, "person", NULL), people[4]);
			ck_assert_str_eq(attr_after(c, "category", NULL), "XZ");
		} else if (strcmp(kind, "placement.exit") == 0) {
			seen_exit++;
			ck_assert_str_eq(bz_change_note(c), "李娜");
			ck_assert_str_eq(bz_change_unit(c), jyj);
			ck_assert_str_eq(bz_change_effective(c), "2021-06-30");
		}
		bz_change_free(c);
	}
	bz_change_iter_free(it);
	ck_assert_int_eq(seen_doc, 1);
	ck_assert_int_eq(seen_unit, 1);
	ck_assert_int_eq(seen_est, 1);
	ck_assert_int_eq(seen_person, 1);
	ck_assert_int_eq(seen_slip, 1);
	ck_assert_int_eq(seen_enter, 1);
	ck_assert_int_eq(seen_exit, 1);
}
END_TEST

START_TEST(consumer_gets_exactly_the_new_records)
{
	size_t first = pull(F.l, 0, recs, 512);
	int64_t mark = recs[first - 1].seq;
	ck_assert_int_eq(mark, last_seq(F.l));

	/* more work: an establishment change, a hire, an exit, a new person */
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_establishment_set(t, wh, "XZ", 6, "2022-01-01"));
	ck_assert_bz(bz_placement_exit(t, people[3], BZ_EXIT_RESIGNATION, "2022-03-31"));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	char slip[BZ_UUID_LEN + 1];
	ck_assert_int_eq(sf_slip(&F, slip, wh, "XZ", 1, "2022-02-01", "2022-12-31"), BZ_OK);
	hire(people[5], wh, slip, "2022-03-01");

	size_t n = pull(F.l, mark, recs, 512);
	ck_assert_uint_eq(n, 4);
	const char *kinds[] = {"establishment.set", "placement.exit", "slip.issue", "placement.enter"};
	for (size_t i = 0; i < n; i++) {
		ck_assert_int_eq(recs[i].seq, mark + 1 + (int64_t)i);
		ck_assert_str_eq(recs[i].kind, kinds[i]);
	}
	ck_assert_str_eq(recs[0].subject, wh);
	ck_assert_str_eq(recs[2].subject, slip);
	ck_assert_int_eq(last_seq(F.l), mark + 4);

	/* the establishment change carries before and after */
	bz_change_iter *it = NULL;
	ck_assert_bz(bz_changes_since(&it, F.l, mark));
	bz_change *c = NULL;
	ck_assert_bz(bz_change_iter_next(&c, it));
	const char *before = NULL;
	ck_assert_str_eq(attr_after(c, "est:XZ", &before), "6");
	ck_assert_str_eq(before, "4");
	ck_assert_str_eq(bz_change_effective(c), "2022-01-01");
	bz_change_free(c);
	bz_change_iter_free(it);

	/* and nothing again */
	ck_assert_uint_eq(pull(F.l, mark + 4, recs, 512), 0);
}
END_TEST

START_TEST(refused_and_rolled_back_transactions_add_nothing)
{
	int64_t mark = last_seq(F.l);
	long long events = tu_count(F.l, "event");
	/* 审计局 has 2 posts: a slip for 3 is refused (R1), nothing in the feed */
	ck_assert_int_eq(sf_slip(&F, NULL, yz, "XZ", 3, "2022-01-01", "2022-06-30"), BZ_ECONSTRAINT);
	ck_assert_int_eq(last_seq(F.l), mark);
	ck_assert_uint_eq(pull(F.l, mark, recs, 512), 0);
	ck_assert_int_eq(tu_count(F.l, "event"), events);

	/* a transaction rolled back, after several changes */
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_establishment_set(t, yz, "XZ", 4, "2022-01-01"));
	ck_assert_bz(bz_unit_rename(t, yz, "武都区审计局（统计局）", "2022-01-01"));
	ck_assert_bz(bz_txn_rollback(t));
	bz_txn_free(t);
	ck_assert_int_eq(last_seq(F.l), mark);
	ck_assert_uint_eq(pull(F.l, mark, recs, 512), 0);

	/* the numbers they had are given to the next commit: still 1 … N (on a
	 * server a number taken is not given again: the next one is higher) */
	ck_assert_int_eq(sf_slip(&F, NULL, yz, "XZ", 2, "2022-01-01", "2022-06-30"), BZ_OK);
	ck_assert_uint_eq(pull(F.l, mark, recs, 512), 1);
	if (tu_pg_uri())
		ck_assert_int_gt(recs[0].seq, mark + 1);
	else
		ck_assert_int_eq(recs[0].seq, mark + 1);
	ck_assert_str_eq(recs[0].kind, "slip.issue");
}
END_TEST

START_TEST(open_transaction_on_the_handle_is_not_in_the_feed)
{
	int64_t mark = last_seq(F.l);
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_establishment_set(t, yz, "XZ", 3, "2023-01-01"));
	ck_assert_bz(bz_unit_rename(t, wh, "武都区文化旅游局", "2023-01-01"));
	/* the connection sees its own uncommitted records; the feed does not */
	ck_assert_int_eq(tu_count(F.l, "event"), mark + 2);
	ck_assert_int_eq(last_seq(F.l), mark);
	ck_assert_uint_eq(pull(F.l, mark, recs, 512), 0);
	/* an iterator made before the commit stays bounded by what was committed */
	bz_change_iter *it = NULL;
	ck_assert_bz(bz_changes_since(&it, F.l, mark - 1));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	bz_change *c = NULL;
	ck_assert_bz(bz_change_iter_next(&c, it));
	ck_assert_int_eq(bz_change_seq(c), mark);
	bz_change_free(c);
	ck_assert_int_eq(bz_change_iter_next(&c, it), BZ_ITEROVER);
	bz_change_iter_free(it);
	/* committed: now both come */
	ck_assert_uint_eq(pull(F.l, mark, recs, 512), 2);
	ck_assert_str_eq(recs[0].kind, "establishment.set");
	ck_assert_str_eq(recs[1].kind, "unit.rename");
	ck_assert_int_eq(last_seq(F.l), mark + 2);
}
END_TEST

START_TEST(reader_handle_sees_each_commit_once)
{
	/* another handle (a payroll system's) reads while this one writes */
	bz_ledger *reader = open_at(path, 0);
	int64_t seen = last_seq(reader); /* it starts from now */
	ck_assert_int_eq(seen, last_seq(F.l));
	int64_t start = seen;
	char slip[BZ_UUID_LEN + 1];
	ck_assert_int_eq(sf_slip(&F, slip, wh, "XZ", 3, "2023-01-01", "2023-12-31"), BZ_OK);
	for (int round = 0; round < 3; round++) {
		/* one record waits; the writer commits a hire while the reader is
		 * half-way: that hire comes in the next pull, not this one */
		bz_change_iter *it = NULL;
		ck_assert_bz(bz_changes_since(&it, reader, seen));
		bz_change *c = NULL;
		ck_assert_bz(bz_change_iter_next(&c, it));
		ck_assert_int_eq(bz_change_seq(c), seen + 1);
		ck_assert_str_eq(bz_change_kind(c), round == 0 ? "slip.issue" : "placement.enter");
		if (round > 0)
			ck_assert_str_eq(bz_change_note(c), names[4 + round]);
		seen = bz_change_seq(c);
		bz_change_free(c);
		hire(people[5 + round], wh, slip, "2023-02-01");
		ck_assert_int_eq(bz_change_iter_next(&c, it), BZ_ITEROVER);
		bz_change_iter_free(it);
		ck_assert_int_eq(last_seq(reader), seen + 1);
	}
	/* the last hire, once */
	ck_assert_uint_eq(pull(reader, seen, recs, 512), 1);
	ck_assert_str_eq(recs[0].kind, "placement.enter");
	seen = recs[0].seq;
	ck_assert_int_eq(seen, start + 4);
	ck_assert_int_eq(seen, last_seq(F.l));
	ck_assert_uint_eq(pull(reader, seen, recs, 512), 0);
	bz_ledger_close(reader);
}
END_TEST

/* the index of seq in recs[0 … n), or -1 */
static long find_seq(const rec *r, size_t n, int64_t seq)
{
	for (size_t i = 0; i < n; i++)
		if (r[i].seq == seq)
			return (long)i;
	return -1;
}

/*
 * Two offices write at once: A (this handle) begins and writes first, B
 * (another handle on the same ledger) writes and commits first, A commits
 * second. On PostgreSQL both are open together, A's records take the lower
 * numbers, and the feed gives them after B's: commit order. On SQLite B
 * cannot begin while A holds the write lock (BZ_EBUSY), so it commits after
 * A, and the numbers stay 1 … N. Either way a consumer asking again from
 * the last number it read gets each record exactly once, a refused
 * transaction adds nothing, and a number no committed record has is refused
 * on a server (BZ_ENOTFOUND: it would not know where to go on), or gives
 * nothing on SQLite when above the last.
 */
START_TEST(concurrent_writers_come_in_commit_order)
{
	bool pg = tu_pg_uri() != NULL;
	bz_ledger *b = open_at(path, 0);
	int64_t mark = last_seq(b);
	ck_assert_int_eq(mark, last_seq(F.l));
	size_t all0 = pull(b, 0, recs, 512);

	bz_txn *ta = tu_begin(F.l), *tb = NULL;
	ck_assert_bz(bz_txn_set_document(ta, F.county_doc));
	ck_assert_bz(bz_establishment_set(ta, yz, "XZ", 3, "2024-01-01"));
	ck_assert_bz(bz_unit_rename(ta, wh, "武都区文化广电和旅游局", "2024-01-01"));
	int64_t a_first = 0;
	if (pg) {
		/* A's records are numbered, not committed: nobody sees them yet */
		ck_assert_int_eq(last_seq(F.l), mark);
		tb = tu_begin(b);
		ck_assert_bz(bz_txn_set_document(tb, F.county_doc));
		ck_assert_bz(bz_establishment_set(tb, wj, "XZ", 6, "2024-01-01"));
		ck_assert_bz(bz_txn_commit(tb));
		bz_txn_free(tb);
		/* a consumer polling between the commits gets B's record alone */
		ck_assert_uint_eq(pull(b, mark, recs, 512), 1);
		ck_assert_str_eq(recs[0].kind, "establishment.set");
		ck_assert_str_eq(recs[0].subject, wj);
		ck_assert_int_eq(last_seq(b), recs[0].seq);
		ck_assert_int_eq(last_seq(F.l), recs[0].seq); /* A's own open records do not count */
		a_first = recs[0].seq;                         /* B's number: A's are below it */
		ck_assert_bz(bz_txn_commit(ta));
		bz_txn_free(ta);
	} else {
		/* SQLite: one writer at a time; B waits its turn */
		ck_assert_bz(bz_ledger_set_busy_timeout(b, 20));
		ck_assert_int_eq(bz_txn_begin(&tb, b, "tester", "测试编办"), BZ_EBUSY);
		ck_assert_ptr_null(tb);
		ck_assert_bz(bz_txn_commit(ta));
		bz_txn_free(ta);
		tb = tu_begin(b);
		ck_assert_bz(bz_txn_set_document(tb, F.county_doc));
		ck_assert_bz(bz_establishment_set(tb, wj, "XZ", 6, "2024-01-01"));
		ck_assert_bz(bz_txn_commit(tb));
		bz_txn_free(tb);
	}

	/* the three records after mark, in commit order */
	size_t n = pull(b, mark, recs, 512);
	ck_assert_uint_eq(n, 3);
	if (pg) {
		ck_assert_str_eq(recs[0].subject, wj); /* B's, committed first */
		ck_assert_int_eq(recs[0].seq, a_first);
		ck_assert_str_eq(recs[1].kind, "establishment.set");
		ck_assert_str_eq(recs[1].subject, yz);
		ck_assert_str_eq(recs[2].kind, "unit.rename");
		/* numbered before B's, read after it */
		ck_assert_int_lt(recs[1].seq, recs[0].seq);
		ck_assert_int_lt(recs[2].seq, recs[0].seq);
		ck_assert_int_gt(recs[1].seq, mark);
	} else {
		ck_assert_str_eq(recs[0].subject, yz); /* A's, committed first */
		ck_assert_str_eq(recs[1].kind, "unit.rename");
		ck_assert_str_eq(recs[2].subject, wj);
		for (size_t i = 0; i < n; i++)
			ck_assert_int_eq(recs[i].seq, mark + 1 + (int64_t)i);
	}
	ck_assert_int_eq(last_seq(b), recs[2].seq);
	ck_assert_int_eq(last_seq(F.l), recs[2].seq);
	rec after[3];
	memcpy(after, recs, sizeof after);

	/* from B's number: A's records, not one of B's (on SQLite: nothing, B came last) */
	size_t m = pull(b, after[0].seq, recs, 512);
	ck_assert_uint_eq(m, 2);
	ck_assert_int_eq(recs[0].seq, after[1].seq);
	ck_assert_int_eq(recs[1].seq, after[2].seq);

	/* from 0: everything once, the three last in the same order */
	ck_assert_uint_eq(pull(b, 0, recs, 512), all0 + 3);
	for (size_t i = 0; i < 3; i++)
		ck_assert_int_eq(recs[all0 + i].seq, after[i].seq);
	/* polling from each number read gives exactly the rest: never a miss, never a repeat */
	size_t total = all0 + 3;
	rec whole[512];
	memcpy(whole, recs, total * sizeof *recs);
	for (size_t i = 0; i < total; i += 7) {
		size_t k = pull(b, whole[i].seq, recs, 512);
		ck_assert_uint_eq(k, total - i - 1);
		for (size_t j = 0; j < k; j++)
			ck_assert_int_eq(recs[j].seq, whole[i + 1 + j].seq);
	}
	ck_assert_int_eq(find_seq(whole, total, mark), (long)all0 - 1);

	/* a refused transaction (R1: 审计局 has 3 posts, a slip for 4) leaves nothing */
	int64_t head = last_seq(b);
	long long events = tu_count(F.l, "event");
	ck_assert_int_eq(sf_slip(&F, NULL, yz, "XZ", 4, "2024-02-01", "2024-06-30"), BZ_ECONSTRAINT);
	ck_assert_int_eq(last_seq(b), head);
	ck_assert_uint_eq(pull(b, head, recs, 512), 0);
	ck_assert_int_eq(tu_count(F.l, "event"), events);
	/* the next commit is the next record, whatever its number */
	char slip[BZ_UUID_LEN + 1];
	ck_assert_int_eq(sf_slip(&F, slip, yz, "XZ", 3, "2024-02-01", "2024-06-30"), BZ_OK);
	ck_assert_uint_eq(pull(b, head, recs, 512), 1);
	ck_assert_str_eq(recs[0].subject, slip);
	if (pg)
		ck_assert_int_gt(recs[0].seq, head);
	else
		ck_assert_int_eq(recs[0].seq, head + 1); /* the refused number given again */
	head = recs[0].seq;

	/* a number no committed record has */
	int64_t unknown = head + 1000;
	bz_change_iter *it = (bz_change_iter *)&it;
	if (pg) {
		ck_assert_int_eq(bz_changes_since(&it, b, unknown), BZ_ENOTFOUND);
		ck_assert_ptr_null(it);
		char want[300];
		snprintf(want, sizeof want,
			 "no committed change record has sequence number %lld: ask from a number the feed gave,"
			 " from 0 (every record) or from bz_changes_last_seq() (from now)",
			 (long long)unknown);
		ck_assert_str_eq(bz_ledger_errmsg(b), want);
		/* nor one of this handle's open transaction */
		bz_txn *t = tu_begin(F.l);
		ck_assert_bz(bz_txn_set_document(t, F.county_doc));
		ck_assert_bz(bz_establishment_set(t, yz, "XZ", 2, "2024-03-01"));
		int64_t open_seq = 0;
		ck_assert_bz(bz_changes_last_seq(&open_seq, F.l));
		ck_assert_int_eq(open_seq, head);
		ck_assert_uint_eq(pull(F.l, head, recs, 512), 0);
		ck_assert_bz(bz_txn_rollback(t));
		bz_txn_free(t);
	} else {
		ck_assert_uint_eq(pull(b, unknown, recs, 512), 0);
	}
	ck_assert_int_eq(last_seq(b), head);
	bz_ledger_close(b);
}
END_TEST

START_TEST(feed_arguments)
{
	bz_change_iter *it = (bz_change_iter *)&it;
	ck_assert_int_eq(bz_changes_since(&it, F.l, -1), BZ_EINVAL);
	ck_assert_ptr_null(it);
	ck_assert_str_eq(bz_ledger_errmsg(F.l), "a sequence number is 0 or more, got -1");
	ck_assert_int_eq(bz_changes_since(NULL, F.l, 0), BZ_EINVAL);
	ck_assert_int_eq(bz_changes_since(&it, NULL, 0), BZ_EINVAL);
	int64_t n = 7;
	ck_assert_int_eq(bz_changes_last_seq(&n, NULL), BZ_EINVAL);
	ck_assert_int_eq(n, 0);
	ck_assert_int_eq(bz_changes_last_seq(NULL, F.l), BZ_EINVAL);

	/* an empty ledger: 0, and an empty feed */
	bz_ledger *l = tu_ledger();
	ck_assert_int_eq(last_seq(l), 0);
	ck_assert_uint_eq(pull(l, 0, recs, 512), 0);
	/* an iterator outliving its ledger fails cleanly */
	ck_assert_bz(bz_changes_since(&it, F.l, 0));
	bz_ledger_close(F.l);
	F.l = NULL;
	bz_change *c = NULL;
	ck_assert_int_eq(bz_change_iter_next(&c, it), BZ_EMISUSE);
	bz_change_iter_free(it);
	bz_ledger_close(l);
}
END_TEST

/* ---- backup and restore ----------------------------------------------- */

static char bpath[300];

static void backup_setup(void)
{
	setup_at(false);
	snprintf(bpath, sizeof bpath, "%s.backup", path);
	unlink(bpath);
}

static void backup_teardown(void)
{
	teardown();
	tu_rm(bpath);
}

/* no temporary file of a backup left beside path */
static int temp_files_beside(const char *p)
{
	char dir[512];
	snprintf(dir, sizeof dir, "%s", p);
	char *slash = strrchr(dir, '/');
	const char *base = slash ? slash + 1 : p;
	char prefix[600];
	snprintf(prefix, sizeof prefix, "%s.tmp-", base);
	if (slash)
		*slash = '\0';
	DIR *d = opendir(slash ? dir : ".");
	ck_assert_ptr_nonnull(d);
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL)
		n += strncmp(e->d_name, prefix, strlen(prefix)) == 0;
	closedir(d);
	return n;
}

static long long persons_in_post(bz_ledger *l, const char *unit, const char *date)
{
	bz_placement_iter *it = NULL;
	ck_assert_bz(bz_roster(&it, l, unit, date));
	long long n = 0;
	bz_placement *p = NULL;
	while (bz_placement_iter_next(&p, it) == BZ_OK) {
		n++;
		bz_placement_free(p);
	}
	bz_placement_iter_free(it);
	return n;
}

START_TEST(backup_is_a_ledger_with_the_same_records)
{
	/* another handle has written, and holds an open transaction while the backup is made */
	bz_ledger *other = open_at(path, 0);
	bz_txn *t = NULL;
	ck_assert_int_eq(bz_txn_begin(&t, other, "王会计", "武都区委编办"), BZ_OK);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_establishment_set(t, yz, "XZ", 5, "2022-01-01"));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	ck_assert_int_eq(bz_txn_begin(&t, other, "王会计", "武都区委编办"), BZ_OK);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_unit_rename(t, yz, "武都区审计和统计局", "2023-01-01"));

	int64_t last = last_seq(F.l);
	ck_assert_bz(bz_ledger_backup(F.l, bpath));
	ck_assert_str_eq(bz_ledger_errmsg(F.l), "not an error");
	ck_assert_int_eq(temp_files_beside(bpath), 0);
	struct stat sb;
	ck_assert_int_eq(stat(bpath, &sb), 0);
	ck_assert_int_eq(sb.st_mode & 0777, 0600);
	ck_assert_bz(bz_txn_commit(t)); /* after the backup */
	bz_txn_free(t);

	bz_ledger *b = open_at(bpath, 0);
	/* the committed establishment change is in, the later rename is not */
	int64_t est = 0;
	ck_assert_bz(bz_establishment_get(&est, b, yz, "XZ", "2022-06-01"));
	ck_assert_int_eq(est, 5);
	bz_unit *u = NULL;
	ck_assert_bz(bz_unit_lookup(&u, b, yz, "2023-06-01"));
	ck_assert_str_eq(bz_unit_name(u), "武都区审计局");
	bz_unit_free(u);
	ck_assert_bz(bz_unit_lookup(&u, other, yz, "2023-06-01"));
	ck_assert_str_eq(bz_unit_name(u), "武都区审计和统计局");
	bz_unit_free(u);
	/* people and their posts */
	ck_assert_int_eq(persons_in_post(b, jyj, "2022-01-01"), 2);
	ck_assert_int_eq(persons_in_post(b, wj, "2022-01-01"), 2);
	ck_assert_int_eq(tu_count(b, "person"), 8);
	/* the same change records, numbered alike */
	ck_assert_int_eq(last_seq(b), last);
	static rec mine[512];
	size_t n = pull(F.l, 0, mine, 512), m = pull(b, 0, recs, 512);
	ck_assert_uint_eq(m, (size_t)last);
	for (size_t i = 0; i < m; i++) {
		ck_assert_int_eq(recs[i].seq, mine[i].seq);
		ck_assert_str_eq(recs[i].kind, mine[i].kind);
		ck_assert_str_eq(recs[i].subject, mine[i].subject);
	}
	ck_assert_uint_eq(n, m + 1); /* the rename came after */
	/* the copy is a working ledger: it checks and it commits */
	bz_report *rep = NULL;
	ck_assert_bz(bz_ledger_check(&rep, b, "2022-06-01"));
	ck_assert_uint_eq(bz_report_errors(rep), 0);
	bz_report_free(rep);
	ck_assert_int_eq(bz_txn_begin(&t, b, "tester", "测试编办"), BZ_OK);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_establishment_set(t, wh, "XZ", 7, "2024-01-01"));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	ck_assert_int_eq(last_seq(b), last + 1);
	bz_ledger_close(b);
	bz_ledger_close(other);
}
END_TEST

START_TEST(backup_never_overwrites)
{
	FILE *fp = fopen(bpath, "w");
	ck_assert_ptr_nonnull(fp);
	fputs("去年的备份：不要覆盖\n", fp);
	fclose(fp);
	ck_assert_int_eq(bz_ledger_backup(F.l, bpath), BZ_EEXISTS);
	ck_assert_ptr_nonnull(strstr(bz_ledger_errmsg(F.l), bpath));
	ck_assert_ptr_nonnull(strstr(bz_ledger_errmsg(F.l), "exists"));
	char buf[128] = "";
	fp = fopen(bpath, "r");
	ck_assert_ptr_nonnull(fgets(buf, sizeof buf, fp));
	fclose(fp);
	ck_assert_str_eq(buf, "去年的备份：不要覆盖\n");
	ck_assert_int_eq(temp_files_beside(bpath), 0);
	/* nor over the ledger itself */
	ck_assert_int_eq(bz_ledger_backup(F.l, path), BZ_EEXISTS);
}
END_TEST

START_TEST(backup_errors)
{
	/* a directory that does not exist: the path and the cause, no file */
	char bad[320];
	snprintf(bad, sizeof bad, "%s.nodir/备份.ledger", path);
	ck_assert_int_eq(bz_ledger_backup(F.l, bad), BZ_EIO);
	ck_assert_ptr_nonnull(strstr(bz_ledger_errmsg(F.l), bad));
	ck_assert_ptr_nonnull(strstr(bz_ledger_errmsg(F.l), "No such file or directory"));
	/* a transaction open on this handle: its changes must not be copied */
	bz_txn *t = tu_begin(F.l);
	ck_assert_int_eq(bz_ledger_backup(F.l, bpath), BZ_EMISUSE);
	ck_assert_int_eq(access(bpath, F_OK), -1);
	ck_assert_int_eq(temp_files_beside(bpath), 0);
	bz_txn_free(t);
	ck_assert_int_eq(bz_ledger_backup(F.l, ""), BZ_EINVAL);
	ck_assert_int_eq(bz_ledger_backup(F.l, NULL), BZ_EINVAL);
	ck_assert_int_eq(bz_ledger_backup(F.l, ":memory:"), BZ_EINVAL);
	ck_assert_int_eq(bz_ledger_backup(NULL, bpath), BZ_EINVAL);
	ck_assert_int_eq(bz_ledger_backup(F.l, "\xff\xfe.ledger"), BZ_EINVAL);
	/* a read-only handle and an in-memory ledger can be backed up */
	bz_ledger *ro = open_at(path, BZ_OPEN_READONLY);
	ck_assert_bz(bz_ledger_backup(ro, bpath));
	bz_ledger_close(ro);
	tu_rm(bpath);
	bz_ledger *mem = tu_ledger();
	t = tu_begin(mem);
	ck_assert_bz(bz_jurisdiction_create(NULL, t, "620000", "甘肃省", NULL));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	if (tu_pg_uri()) {
		/* a ledger on a server: its backups are the server's (pg_dump), never a file of ours */
		ck_assert_int_eq(bz_ledger_backup(mem, bpath), BZ_EMISUSE);
		ck_assert_ptr_nonnull(strstr(bz_ledger_errmsg(mem), "pg_dump"));
		ck_assert_int_eq(bz_ledger_restore(mem, path), BZ_EMISUSE);
		ck_assert_int_eq(access(bpath, F_OK), -1);
		bz_ledger_close(mem);
		return;
	}
	ck_assert_bz(bz_ledger_backup(mem, bpath));
	bz_ledger_close(mem);
	bz_ledger *b = open_at(bpath, 0);
	bz_jurisdiction *j = NULL;
	ck_assert_bz(bz_jurisdiction_lookup(&j, b, "620000"));
	ck_assert_str_eq(bz_jurisdiction_name(j), "甘肃省");
	bz_jurisdiction_free(j);
	ck_assert_int_eq(last_seq(b), 1);
	bz_ledger_close(b);
}
END_TEST

START_TEST(restore_brings_the_older_state_back)
{
	int64_t last = last_seq(F.l);
	ck_assert_bz(bz_ledger_backup(F.l, bpath));
	/* work after the backup: a new unit, a hire, an establishment change */
	char sj[BZ_UUID_LEN + 1];
	ck_assert_int_eq(fx_unit(&F, sj, F.county_doc, "武都区数据局", BZ_NATURE_ORGAN, BZ_RANK_ZHENGKE, "621202", "2024-01-01"), BZ_OK);
	fx_est(&F, wh, "XZ", 6, "2024-01-01");
	char slip[BZ_UUID_LEN + 1];
	ck_assert_int_eq(sf_slip(&F, slip, wh, "XZ", 1, "2024-02-01", "2024-12-31"), BZ_OK);
	hire(people[6], wh, slip, "2024-03-01");
	ck_assert_int_gt(last_seq(F.l), last + 3);
	/* a second handle on the file, and an iterator half-read on this one */
	bz_ledger *other = open_at(path, 0);
	ck_assert_int_eq(persons_in_post(other, wh, "2024-06-01"), 1);
	bz_change_iter *it = NULL;
	ck_assert_bz(bz_changes_since(&it, F.l, 0));
	bz_change *c = NULL;
	ck_assert_bz(bz_change_iter_next(&c, it));
	bz_change_free(c);

	ck_assert_bz(bz_ledger_restore(F.l, bpath));
	ck_assert_str_eq(bz_ledger_errmsg(F.l), "not an error");
	/* the iterator was detached */
	ck_assert_int_eq(bz_change_iter_next(&c, it), BZ_EMISUSE);
	bz_change_iter_free(it);
	/* everything after the backup is gone, on both handles */
	bz_unit *u = NULL;
	ck_assert_int_eq(bz_unit_lookup(&u, F.l, sj, NULL), BZ_ENOTFOUND);
	ck_assert_int_eq(bz_unit_lookup(&u, other, sj, NULL), BZ_ENOTFOUND);
	ck_assert_int_eq(persons_in_post(F.l, wh, "2024-06-01"), 0);
	ck_assert_int_eq(persons_in_post(other, wh, "2024-06-01"), 0);
	int64_t est = 0;
	ck_assert_bz(bz_establishment_get(&est, F.l, wh, "XZ", "2024-06-01"));
	ck_assert_int_eq(est, 4);
	/* the feed went back with it */
	ck_assert_int_eq(last_seq(F.l), last);
	ck_assert_int_eq(last_seq(other), last);
	ck_assert_uint_eq(pull(F.l, last, recs, 512), 0);
	ck_assert_int_eq(tu_count(F.l, "event"), last);
	/* what was there before is intact and the ledger checks clean */
	ck_assert_int_eq(persons_in_post(F.l, jyj, "2022-01-01"), 2);
	bz_report *rep = NULL;
	ck_assert_bz(bz_ledger_check(&rep, F.l, "2024-06-01"));
	ck_assert_uint_eq(bz_report_errors(rep), 0);
	bz_report_free(rep);
	/* and the handle writes on from there (its statements were prepared afresh) */
	ck_assert_int_eq(sf_slip(&F, slip, wh, "XZ", 1, "2024-02-01", "2024-12-31"), BZ_OK);
	hire(people[7], wh, slip, "2024-03-01");
	ck_assert_int_eq(last_seq(F.l), last + 2);
	ck_assert_int_eq(persons_in_post(other, wh, "2024-06-01"), 1);
	bz_ledger_close(other);
}
END_TEST

/* the ledger is as setup left it: same records, same counts */
static void assert_untouched(int64_t last, long long persons)
{
	ck_assert_int_eq(last_seq(F.l), last);
	ck_assert_int_eq(tu_count(F.l, "person"), persons);
	ck_assert_int_eq(persons_in_post(F.l, jyj, "2022-01-01"), 2);
}

START_TEST(restore_refuses_what_is_not_a_ledger)
{
	int64_t last = last_seq(F.l);
	long long persons = tu_count(F.l, "person");
	/* a text file */
	FILE *fp = fopen(bpath, "w");
	ck_assert_ptr_nonnull(fp);
	for (int i = 0; i < 200; i++)
		fputs("单位名称,姓名,身份证号\n武都区教育局,张伟,621202198506150118\n", fp);
	fclose(fp);
	ck_assert_int_eq(bz_ledger_restore(F.l, bpath), BZ_ENOTLEDGER);
	ck_assert_ptr_nonnull(strstr(bz_ledger_errmsg(F.l), bpath));
	ck_assert_ptr_nonnull(strstr(bz_ledger_errmsg(F.l), "not an SQLite database"));
	assert_untouched(last, persons);
	unlink(bpath);

	/* an SQLite database of another application */
	sqlite3 *db = NULL;
	ck_assert_int_eq(sqlite3_open(bpath, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, "CREATE TABLE payroll(id_number TEXT, amount INTEGER);"
					  "INSERT INTO payroll VALUES('621202198506150118', 5200);", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	ck_assert_int_eq(bz_ledger_restore(F.l, bpath), BZ_ENOTLEDGER);
	ck_assert_ptr_nonnull(strstr(bz_ledger_errmsg(F.l), "another application"));
	assert_untouched(last, persons);
	unlink(bpath);

	/* an empty file */
	fp = fopen(bpath, "w");
	fclose(fp);
	ck_assert_int_eq(bz_ledger_restore(F.l, bpath), BZ_ENOTLEDGER);
	assert_untouched(last, persons);
	unlink(bpath);

	/* a ledger of a newer library */
	ck_assert_bz(bz_ledger_backup(F.l, bpath));
	ck_assert_int_eq(sqlite3_open(bpath, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, "PRAGMA user_version=99", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	ck_assert_int_eq(bz_ledger_restore(F.l, bpath), BZ_ESCHEMA);
	ck_assert_ptr_nonnull(strstr(bz_ledger_errmsg(F.l), "newer"));
	assert_untouched(last, persons);
	tu_rm(bpath);

	/* no such file; a directory; the ledger itself */
	ck_assert_int_eq(bz_ledger_restore(F.l, bpath), BZ_EIO);
	ck_assert_ptr_nonnull(strstr(bz_ledger_errmsg(F.l), "No such file or directory"));
	ck_assert_int_eq(access(bpath, F_OK), -1); /* not created by looking */
	ck_assert_int_eq(bz_ledger_restore(F.l, "/tmp"), BZ_EIO);
	ck_assert_int_eq(bz_ledger_restore(F.l, path), BZ_EINVAL);
	assert_untouched(last, persons);
	ck_assert_int_eq(bz_ledger_restore(F.l, NULL), BZ_EINVAL);
	ck_assert_int_eq(bz_ledger_restore(F.l, ""), BZ_EINVAL);
	ck_assert_int_eq(bz_ledger_restore(NULL, bpath), BZ_EINVAL);
}
END_TEST

START_TEST(restore_needs_a_writable_handle_without_a_transaction)
{
	ck_assert_bz(bz_ledger_backup(F.l, bpath));
	int64_t older = last_seq(F.l);
	fx_est(&F, yz, "XZ", 3, "2024-01-01");
	int64_t last = last_seq(F.l);
	long long persons = tu_count(F.l, "person");
	/* read-only */
	bz_ledger *ro = open_at(path, BZ_OPEN_READONLY);
	ck_assert_int_eq(bz_ledger_restore(ro, bpath), BZ_EIO);
	ck_assert_ptr_nonnull(strstr(bz_ledger_errmsg(ro), "read-only"));
	ck_assert_int_eq(last_seq(ro), last);
	bz_ledger_close(ro);
	assert_untouched(last, persons);
	/* a transaction open on the handle */
	bz_txn *t = tu_begin(F.l);
	ck_assert_int_eq(bz_ledger_restore(F.l, bpath), BZ_EMISUSE);
	ck_assert_bz(bz_txn_rollback(t));
	bz_txn_free(t);
	assert_untouched(last, persons);
	/* another handle holds the write lock: busy, nothing changed */
	bz_ledger *w = open_at(path, 0);
	ck_assert_int_eq(bz_txn_begin(&t, w, "王会计", "武都区委编办"), BZ_OK);
	sqlite3_busy_timeout(F.l->db, 50);
	ck_assert_int_eq(bz_ledger_restore(F.l, bpath), BZ_EBUSY);
	bz_txn_free(t);
	bz_ledger_close(w);
	assert_untouched(last, persons);
	/* then it works */
	ck_assert_bz(bz_ledger_restore(F.l, bpath));
	ck_assert_int_eq(last_seq(F.l), older);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("feed");
	TCase *tc = tcase_create("feed");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, feed_from_zero_is_every_record_in_commit_order);
	tcase_add_test(tc, records_of_every_subject_carry_their_fields);
	tcase_add_test(tc, consumer_gets_exactly_the_new_records);
	tcase_add_test(tc, refused_and_rolled_back_transactions_add_nothing);
	tcase_add_test(tc, open_transaction_on_the_handle_is_not_in_the_feed);
	tcase_add_test(tc, reader_handle_sees_each_commit_once);
	tcase_add_test(tc, concurrent_writers_come_in_commit_order);
	tcase_add_test(tc, feed_arguments);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	TCase *tb = tcase_create("backup");
	tcase_add_checked_fixture(tb, backup_setup, backup_teardown);
	tcase_add_test(tb, backup_is_a_ledger_with_the_same_records);
	tcase_add_test(tb, backup_never_overwrites);
	tcase_add_test(tb, backup_errors);
	tcase_add_test(tb, restore_brings_the_older_state_back);
	tcase_add_test(tb, restore_refuses_what_is_not_a_ledger);
	tcase_add_test(tb, restore_needs_a_writable_handle_without_a_transaction);
	tcase_set_timeout(tb, 60);
	suite_add_tcase(s, tb);
	return s;
}

int main(void)
{
	return tu_run(suite());
}
