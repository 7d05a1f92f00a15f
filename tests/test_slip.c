/* test_slip.c: usage slips (编制使用单) on their own: numbering, lookup, listing,
 * state and remaining posts, cancellation and expiry freeing the reservation,
 * 出一进一, and the errors of issue and cancel. */
#include "staff_fixture.h"

static fx F;
static char organ[BZ_UUID_LEN + 1], zhang[BZ_UUID_LEN + 1], li[BZ_UUID_LEN + 1];

static void setup(void)
{
	fx_setup(&F);
	ck_assert_int_eq(fx_unit(&F, organ, F.county_doc, "武都区教育局", BZ_NATURE_ORGAN, BZ_RANK_ZHENGKE, "621202", "2010-01-01"), BZ_OK);
	fx_est(&F, organ, "XZ", 3, "2010-01-01");
	sf_person(&F, zhang, "张伟", "19850615", 11);
	sf_person(&F, li, "李娜", "19900301", 22);
}

static void teardown(void) { bz_ledger_close(F.l); }

static int64_t reserved(const char *date)
{
	bz_basic_table *tb = NULL;
	ck_assert_bz(bz_basic_table_get(&tb, F.l, organ, date));
	int64_t n = bz_basic_table_reserved(tb, 0);
	bz_basic_table_free(tb);
	return n;
}

static int cancel(const char *slip, const char *date)
{
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	int rc = bz_slip_cancel(t, slip, date);
	if (rc == BZ_OK)
		rc = bz_txn_commit(t);
	bz_txn_free(t);
	return rc;
}

START_TEST(numbers_lookup_and_list)
{
	char a[37], b[37];
	ck_assert_int_eq(sf_slip(&F, a, organ, "XZ", 1, "2026-03-01", "2026-12-31"), BZ_OK);
	ck_assert_int_eq(sf_slip(&F, b, organ, "XZ", 1, "2026-02-01", "2026-12-31"), BZ_OK);
	/* a given number */
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	bz_slip *s = NULL;
	ck_assert_bz(bz_slip_issue(&s, t, organ, "XZ", 1, BZ_PURPOSE_DEMOBILISED, "2026-04-01", "2027-03-31", "武编用〔2026〕9号"));
	ck_assert_str_eq(bz_slip_number(s), "武编用〔2026〕9号");
	ck_assert_str_eq(bz_slip_unit(s), organ);
	ck_assert_str_eq(bz_slip_category(s), "XZ");
	ck_assert_int_eq(bz_slip_purpose(s), BZ_PURPOSE_DEMOBILISED);
	ck_assert_str_eq(bz_slip_issued(s), "2026-04-01");
	ck_assert_str_eq(bz_slip_valid_until(s), "2027-03-31");
	ck_assert_ptr_null(bz_slip_cancelled(s));
	bz_slip_free(s);
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);

	/* generated numbers: <division code>-<year>-<sequence> */
	ck_assert_bz(bz_slip_lookup_number(&s, F.l, "621202-2026-0002"));
	ck_assert_str_eq(bz_slip_uuid(s), b);
	ck_assert_int_eq(bz_slip_state(s), BZ_SLIP_LIVE);
	ck_assert_int_eq(bz_slip_remaining(s), 1);
	bz_slip_free(s);
	ck_assert_bz(bz_slip_lookup(&s, F.l, a));
	ck_assert_str_eq(bz_slip_number(s), "621202-2026-0001");
	bz_slip_free(s);
	ck_assert_int_eq(bz_slip_lookup_number(&s, F.l, "621202-2026-0099"), BZ_ENOTFOUND);
	ck_assert_ptr_null(s);
	ck_assert_int_eq(bz_slip_lookup(&s, F.l, "00000000-0000-4000-8000-000000000000"), BZ_ENOTFOUND);

	/* a unit's slips by issue date */
	bz_slip_iter *it = NULL;
	ck_assert_bz(bz_slip_list(&it, F.l, organ));
	const char *want[] = {b, a, NULL};
	size_t n = 0;
	int rc;
	while ((rc = bz_slip_iter_next(&s, it)) == BZ_OK) {
		if (want[n])
			ck_assert_str_eq(bz_slip_uuid(s), want[n]);
		else
			ck_assert_str_eq(bz_slip_number(s), "武编用〔2026〕9号");
		n++;
		bz_slip_free(s);
	}
	ck_assert_int_eq(rc, BZ_ITEROVER);
	ck_assert_uint_eq(n, 3);
	bz_slip_iter_free(it);

	/* the same number twice: BZ_EEXISTS, nothing written */
	long long slips = tu_count(F.l, "slip"), events = tu_count(F.l, "event");
	t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_int_eq(bz_slip_issue(NULL, t, organ, "XZ", 1, BZ_PURPOSE_EXAM, "2026-05-01", "2026-12-31",
				       "621202-2026-0001"), BZ_EEXISTS);
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	ck_assert_int_eq(tu_count(F.l, "slip"), slips);
	ck_assert_int_eq(tu_count(F.l, "event"), events);
}
END_TEST

START_TEST(state_used_and_remaining)
{
	char s1[37];
	ck_assert_int_eq(sf_slip(&F, s1, organ, "XZ", 2, "2026-01-01", "2026-12-31"), BZ_OK);
	ck_assert_int_eq(reserved("2026-06-01"), 2);
	ck_assert_int_eq(sf_hire(&F, zhang, organ, "XZ", s1, "2026-02-01"), BZ_OK);
	bz_slip *s = NULL;
	ck_assert_bz(bz_slip_lookup(&s, F.l, s1));
	ck_assert_int_eq(bz_slip_used(s), 1);
	ck_assert_int_eq(bz_slip_remaining(s), 1);
	ck_assert_int_eq(bz_slip_state(s), BZ_SLIP_LIVE);
	bz_slip_free(s);
	ck_assert_int_eq(reserved("2026-01-15"), 2);
	ck_assert_int_eq(reserved("2026-02-01"), 1);
	ck_assert_int_eq(sf_hire(&F, li, organ, "XZ", s1, "2026-03-01"), BZ_OK);
	ck_assert_bz(bz_slip_lookup(&s, F.l, s1));
	ck_assert_int_eq(bz_slip_used(s), 2);
	ck_assert_int_eq(bz_slip_remaining(s), 0);
	ck_assert_int_eq(bz_slip_state(s), BZ_SLIP_EXHAUSTED);
	bz_slip_free(s);
	ck_assert_int_eq(reserved("2026-03-01"), 0);
	/* a later clock sees it expired */
	ck_assert_bz(bz_ledger_set_clock(F.l, "2027-01-01"));
	ck_assert_bz(bz_slip_lookup(&s, F.l, s1));
	ck_assert_int_eq(bz_slip_state(s), BZ_SLIP_EXPIRED);
	ck_assert_int_eq(bz_slip_remaining(s), 0);
	bz_slip_free(s);
}
END_TEST

START_TEST(expiry_and_cancel_free_the_reservation)
{
	char s1[37], s2[37];
	ck_assert_int_eq(sf_slip(&F, s1, organ, "XZ", 2, "2020-01-01", "2020-06-30"), BZ_OK);
	/* reserved through its last valid day, free the day after */
	ck_assert_int_eq(reserved("2020-06-30"), 2);
	ck_assert_int_eq(reserved("2020-07-01"), 0);

	ck_assert_int_eq(sf_slip(&F, s2, organ, "XZ", 3, "2026-01-01", "2026-12-31"), BZ_OK);
	ck_assert_int_eq(sf_hire(&F, zhang, organ, "XZ", s2, "2026-02-01"), BZ_OK);
	ck_assert_int_eq(reserved("2026-03-01"), 2);
	long long ends = tu_count(F.l, "slip_end");
	ck_assert_int_eq(cancel(s2, "2026-04-01"), BZ_OK);
	ck_assert_int_eq(tu_count(F.l, "slip_end"), ends + 1);
	ck_assert_int_eq(reserved("2026-03-31"), 2);
	ck_assert_int_eq(reserved("2026-04-01"), 0);
	bz_slip *s = NULL;
	ck_assert_bz(bz_slip_lookup(&s, F.l, s2));
	ck_assert_str_eq(bz_slip_cancelled(s), "2026-04-01");
	ck_assert_int_eq(bz_slip_state(s), BZ_SLIP_CANCELLED);
	ck_assert_int_eq(bz_slip_remaining(s), 0);
	ck_assert_int_eq(bz_slip_used(s), 1);
	bz_slip_free(s);
	/* the freed posts can be reserved again from the cancellation on */
	ck_assert_int_eq(sf_slip(&F, NULL, organ, "XZ", 2, "2026-04-01", "2026-12-31"), BZ_OK);
}
END_TEST

START_TEST(one_out_one_in)
{
	char s1[37], wang[37];
	sf_person(&F, wang, "王强", "19880808", 33);
	ck_assert_int_eq(sf_slip(&F, s1, organ, "XZ", 3, "2020-01-01", "2020-12-31"), BZ_OK);
	ck_assert_int_eq(sf_hire(&F, zhang, organ, "XZ", s1, "2020-02-01"), BZ_OK);
	ck_assert_int_eq(sf_hire(&F, li, organ, "XZ", s1, "2020-02-01"), BZ_OK);
	ck_assert_int_eq(sf_hire(&F, wang, organ, "XZ", s1, "2020-02-01"), BZ_OK);
	/* full: a slip is refused (R1) */
	long long slips = tu_count(F.l, "slip");
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_slip_issue(NULL, t, organ, "XZ", 1, BZ_PURPOSE_EXAM, "2022-01-01", "2022-12-31", NULL));
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	const bz_violation *v = fx_find(bz_txn_report(t), BZ_RULE_R1, BZ_SEVERITY_ERROR);
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(bz_violation_subject(v), organ);
	ck_assert_str_eq(bz_violation_category(v), "XZ");
	ck_assert_int_eq(bz_violation_allowed(v), 3);
	ck_assert_int_eq(bz_violation_actual(v), 4);
	ck_assert_str_eq(bz_violation_date(v), "2022-01-01");
	bz_txn_free(t);
	ck_assert_int_eq(tu_count(F.l, "slip"), slips);
	/* one retires at the end of 2021: one slip for one post goes through */
	t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_placement_exit(t, wang, BZ_EXIT_RETIREMENT, "2021-12-31"));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	ck_assert_int_eq(sf_slip(&F, NULL, organ, "XZ", 1, "2022-01-01", "2022-12-31"), BZ_OK);
	/* and the next one is refused again */
	t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_slip_issue(NULL, t, organ, "XZ", 1, BZ_PURPOSE_EXAM, "2022-02-01", "2022-12-31", NULL));
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	bz_txn_free(t);
}
END_TEST

START_TEST(errors)
{
	char s1[37];
	ck_assert_int_eq(sf_slip(&F, s1, organ, "XZ", 2, "2026-01-01", "2026-12-31"), BZ_OK);
	ck_assert_int_eq(sf_hire(&F, zhang, organ, "XZ", s1, "2026-05-01"), BZ_OK);
	long long slips = tu_count(F.l, "slip"), ends = tu_count(F.l, "slip_end"), events = tu_count(F.l, "event");
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	bz_slip *s = (bz_slip *)&F; /* must be reset to NULL on failure */
	ck_assert_int_eq(bz_slip_issue(&s, t, organ, "XZ", 0, BZ_PURPOSE_EXAM, "2026-01-01", "2026-12-31", NULL), BZ_EINVAL);
	ck_assert_ptr_null(s);
	ck_assert_int_eq(bz_slip_issue(NULL, t, organ, "XZ", 1, BZ_PURPOSE_EXAM, "2026-06-01", "2026-05-31", NULL), BZ_EINVAL);
	ck_assert_int_eq(bz_slip_issue(NULL, t, organ, "XZ", 1, 7, "2026-06-01", "2026-12-31", NULL), BZ_EINVAL);
	ck_assert_int_eq(bz_slip_issue(NULL, t, organ, "XZ", 1, BZ_PURPOSE_EXAM, "2026-02-30", "2026-12-31", NULL), BZ_EINVAL);
	ck_assert_int_eq(bz_slip_issue(NULL, t, NULL, "XZ", 1, BZ_PURPOSE_EXAM, "2026-06-01", "2026-12-31", NULL), BZ_EINVAL);
	ck_assert_int_eq(bz_slip_issue(NULL, t, organ, "XZ", 1, BZ_PURPOSE_EXAM, "2026-06-01", "2026-12-31", ""), BZ_EINVAL);
	ck_assert_int_eq(bz_slip_issue(NULL, NULL, organ, "XZ", 1, BZ_PURPOSE_EXAM, "2026-06-01", "2026-12-31", NULL), BZ_EINVAL);
	ck_assert_int_eq(bz_slip_issue(NULL, t, organ, "NOPE", 1, BZ_PURPOSE_EXAM, "2026-06-01", "2026-12-31", NULL), BZ_ENOTFOUND);
	/* cancel: before issue, after a hire dated later, unknown slip, bad input */
	ck_assert_int_eq(bz_slip_cancel(t, s1, "2025-12-31"), BZ_EINVAL);
	ck_assert_int_eq(bz_slip_cancel(t, s1, "2026-05-01"), BZ_EINVAL);
	ck_assert_int_eq(bz_slip_cancel(t, "00000000-0000-4000-8000-000000000000", "2026-05-01"), BZ_ENOTFOUND);
	ck_assert_int_eq(bz_slip_cancel(t, NULL, "2026-05-01"), BZ_EINVAL);
	ck_assert_int_eq(bz_slip_cancel(t, s1, "yesterday"), BZ_EINVAL);
	ck_assert_int_eq(bz_slip_cancel(NULL, s1, "2026-05-01"), BZ_EINVAL);
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	ck_assert_int_eq(tu_count(F.l, "slip"), slips);
	ck_assert_int_eq(tu_count(F.l, "slip_end"), ends);
	ck_assert_int_eq(tu_count(F.l, "event"), events);
	/* reads */
	ck_assert_int_eq(bz_slip_lookup(NULL, F.l, s1), BZ_EINVAL);
	ck_assert_int_eq(bz_slip_lookup(&s, NULL, s1), BZ_EINVAL);
	ck_assert_int_eq(bz_slip_list(NULL, F.l, organ), BZ_EINVAL);
	ck_assert_int_eq(bz_slip_posts(NULL), 0);
	ck_assert_ptr_null(bz_slip_number(NULL));
	bz_slip_free(NULL);
	bz_slip_iter_free(NULL);
	/* a cancellation after the last hire is fine; twice is not */
	ck_assert_int_eq(cancel(s1, "2026-05-02"), BZ_OK);
	ck_assert_int_eq(cancel(s1, "2026-06-01"), BZ_EINVAL);
}
END_TEST

/* one integer of a query on l's connection (either backend) */
static long long scalar(bz_ledger *l, const char *sql)
{
	bz_st *st = NULL;
	ck_assert_int_eq(bz_store_prepare(l->store, &st, sql), SQLITE_OK);
	ck_assert_int_eq(bz_st_step(st), SQLITE_ROW);
	long long v = bz_st_column_int64(st, 0);
	bz_st_finalize(st);
	return v;
}

/* enter person on slip in a transaction of its own on l, left open */
static bz_txn *enter_open(bz_ledger *l, const char *person, const char *unit, const char *slip, const char *date)
{
	bz_txn *t = tu_begin(l);
	ck_assert_bz(bz_txn_set_document(t, fx_doc_for(&F, unit)));
	ck_assert_bz(bz_placement_enter(NULL, t, person, unit, "XZ", slip, BZ_ENTRY_RECRUIT, date));
	return t;
}

/* the R8 violations of r that say a slip was exhausted, their count; *v the last */
static int exhausted(const bz_report *r, const bz_violation **v)
{
	int n = 0;
	*v = NULL;
	for (size_t i = 0; i < bz_report_count(r); i++) {
		const bz_violation *x = bz_report_get(r, i);
		if (bz_violation_rule(x) == BZ_RULE_R8 && strstr(bz_violation_message(x), "is exhausted")) {
			*v = x;
			n++;
		}
	}
	return n;
}

/*
 * Two offices hire on one slip at once (PostgreSQL; two connections). A
 * enters its hire first — its placement row is inserted first — but B
 * enters and commits first: the slip's posts go in commit order. At A's
 * commit R8 counts B's hire as before it (another transaction's, committed)
 * and refuses A's when it would be one too many; the self-inspection, both
 * set-based and record by record, numbers a slip's hires in the same order
 * (the chain position of the entry, not the placement rowid), so on a
 * ledger whose slip holds one hire too many it names the hire committed
 * last even where that one's row was inserted first.
 */
START_TEST(slip_posts_go_in_commit_order)
{
	const char *uri = tu_ledger_uri();
	if (!uri) {
		printf("%s: PostgreSQL only: on SQLite one writer holds the file, so two hires cannot interleave"
		       " (B's begin waits for A's commit: test_feed.c, concurrent_writers_come_in_commit_order)\n",
		       __func__);
		return;
	}
	char unit[BZ_UUID_LEN + 1], slip[BZ_UUID_LEN + 1], slip2[BZ_UUID_LEN + 1];
	char wang[BZ_UUID_LEN + 1], zhao[BZ_UUID_LEN + 1], sun[BZ_UUID_LEN + 1], qian[BZ_UUID_LEN + 1];
	ck_assert_bz(fx_unit(&F, unit, F.county_doc, "武都区人力资源和社会保障局", BZ_NATURE_ORGAN, BZ_RANK_ZHENGKE, "621202",
			     "2010-01-01"));
	fx_est(&F, unit, "XZ", 10, "2010-01-01");
	sf_person(&F, wang, "王芳", "19910203", 33);
	sf_person(&F, zhao, "赵磊", "19890417", 44);
	sf_person(&F, sun, "孙丽", "19930822", 55);
	sf_person(&F, qian, "钱军", "19871109", 66);
	/* each has a card already (a first entry numbers one under the division's
	 * lock, which would make the second office wait): hired in spring, left */
	const char *four[] = {wang, zhao, sun, qian};
	char slip0[BZ_UUID_LEN + 1];
	ck_assert_bz(sf_slip(&F, slip0, unit, "XZ", 4, "2026-01-01", "2026-06-30"));
	for (int i = 0; i < 4; i++)
		ck_assert_bz(sf_hire(&F, four[i], unit, "XZ", slip0, "2026-02-01"));
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	for (int i = 0; i < 4; i++)
		ck_assert_bz(bz_placement_exit(t, four[i], BZ_EXIT_RESIGNATION, "2026-05-31"));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	/* two posts, one used: one left */
	ck_assert_bz(sf_slip(&F, slip, unit, "XZ", 2, "2026-11-01", "2027-03-31"));
	ck_assert_bz(sf_hire(&F, zhang, unit, "XZ", slip, "2026-11-10"));
	bz_ledger *b = NULL;
	ck_assert_bz(bz_ledger_open(&b, uri, 0));
	ck_assert_bz(bz_ledger_set_clock(b, "2026-12-01"));

	/* A enters first, B enters and commits first: A's commit finds the slip exhausted */
	long long placements = tu_count(F.l, "placement"), events = tu_count(F.l, "event");
	bz_txn *ta = enter_open(F.l, wang, unit, slip, "2026-11-20");
	bz_txn *tb = enter_open(b, zhao, unit, slip, "2026-11-25");
	ck_assert_bz(bz_txn_commit(tb));
	bz_txn_free(tb);
	ck_assert_int_eq(bz_txn_commit(ta), BZ_ECONSTRAINT);
	const bz_violation *v = fx_find(bz_txn_report(ta), BZ_RULE_R8, BZ_SEVERITY_ERROR);
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(bz_violation_rule_id(v), "R8");
	ck_assert_str_eq(bz_violation_subject(v), unit);
	ck_assert_str_eq(bz_violation_category(v), "XZ");
	ck_assert_int_eq(bz_violation_allowed(v), 2);
	ck_assert_int_eq(bz_violation_actual(v), 3);
	ck_assert_str_eq(bz_violation_date(v), "2026-11-20");
	ck_assert_str_eq(bz_violation_document(v), F.county_doc);
	ck_assert_ptr_nonnull(strstr(bz_violation_message(v), "for 2 post(s) is exhausted (this would be hire 3)"));
	bz_txn_free(ta);
	/* nothing of A's written: B's hire alone */
	ck_assert_int_eq(tu_count(F.l, "placement"), placements + 1);
	ck_assert_int_eq(tu_count(F.l, "event"), events + 1);
	bz_report *r = NULL;
	ck_assert_bz(bz_ledger_check(&r, F.l, NULL));
	ck_assert_int_eq(exhausted(r, &v), 0);
	bz_report_free(r);

	/* a slip of two: A's hire inserted first, B's committed first; both fit */
	ck_assert_bz(sf_slip(&F, slip2, unit, "XZ", 2, "2026-11-01", "2027-03-31"));
	ta = enter_open(F.l, sun, unit, slip2, "2026-12-01");
	tb = enter_open(b, qian, unit, slip2, "2026-11-28");
	ck_assert_bz(bz_txn_commit(tb));
	bz_txn_free(tb);
	ck_assert_bz(bz_txn_commit(ta));
	bz_txn_free(ta);
	/* the two orders differ: row order A, B; commit (chain) order B, A */
	char sql[512];
	snprintf(sql, sizeof sql,
		 "SELECT count(*) FROM placement a JOIN placement b ON a.slip=b.slip JOIN record_chain ca ON ca.seq=a.event"
		 " JOIN record_chain cb ON cb.seq=b.event WHERE a.slip='%s' AND a.person='%s' AND b.person='%s'"
		 " AND a.rowid<b.rowid AND ca.rowid>cb.rowid", slip2, sun, qian);
	ck_assert_int_eq(scalar(F.l, sql), 1);
	/* the slip made smaller behind the library: one post for two hires; the one over is A's, committed last */
	snprintf(sql, sizeof sql, "UPDATE slip SET posts=1 WHERE id='%s'", slip2);
	ck_assert_int_eq(tu_exec(F.l, sql), SQLITE_OK);
	for (int walk = 0; walk < 2; walk++) {
		ck_assert_bz(walk ? bz_ledger_check_walk(&r, F.l, NULL) : bz_ledger_check(&r, F.l, NULL));
		ck_assert_int_eq(exhausted(r, &v), 1);
		ck_assert_str_eq(bz_violation_subject(v), unit);
		ck_assert_str_eq(bz_violation_category(v), "XZ");
		ck_assert_int_eq(bz_violation_allowed(v), 1);
		ck_assert_int_eq(bz_violation_actual(v), 2);
		ck_assert_str_eq(bz_violation_date(v), "2026-12-01"); /* A's hire (孙丽), not B's of 2026-11-28 */
		ck_assert_ptr_nonnull(strstr(bz_violation_message(v), "for 1 post(s) is exhausted (this would be hire 2)"));
		bz_report_free(r);
	}
	bz_ledger_close(b);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("slip");
	TCase *tc = tcase_create("slip");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, numbers_lookup_and_list);
	tcase_add_test(tc, state_used_and_remaining);
	tcase_add_test(tc, expiry_and_cancel_free_the_reservation);
	tcase_add_test(tc, one_out_one_in);
	tcase_add_test(tc, errors);
	tcase_add_test(tc, slip_posts_go_in_commit_order);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
