/*
 * test_oom.c: the library out of memory (issue 11, "Out of memory").
 *
 * Every allocation of the library goes through src/alloc.c, and with
 * SQLITE_CONFIG_MALLOC SQLite's go there too (bz_alloc_covers_sqlite()).
 * bz_debug_fail_alloc(N, persistent) fails the Nth allocation from now (and
 * every later one if persistent). Each walk goes N = 1, 2, 3, … through one
 * operation until it succeeds with no allocation failed; after each failure:
 *  - the call returned BZ_ENOMEM — not another code, never a success that
 *    left something out — and bz_ledger_errmsg() says "out of memory";
 *  - the ledger, checked by the same handle with the hook off and again
 *    after a reopen, is whole: SQLite's integrity check, the library's full
 *    check (bz_ledger_check, INTEGRITY included) clean;
 *  - the ledger holds all or nothing of the operation: its digest (the head
 *    of the hash chain and the row counts of every table) is the one before,
 *    or — when SQLite absorbed the failure and the call succeeded — the
 *    transaction is there whole.
 * The walks: the realistic transaction (establish a unit, set its
 * establishment, issue a slip, register and hire a person, transfer another
 * in, commit) with a persistent and a single failure; open of a ledger file
 * and creation of a new one; a report sheet rendered; export and import of
 * the exchange format; verify; the full check; a person sheet imported in
 * batches (the bulk path) and committed. Each prints its number of points.
 *
 * Under valgrind (~30 times slower) the walks take every 97th point, under
 * AddressSanitizer every 7th (see stride()); the plain build walks every
 * point. BZ_OOM_DEBUG=1 prints every point.
 */
#define _GNU_SOURCE
#include "staff_fixture.h"
#include "internal.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <valgrind/valgrind.h>

#define CAT "XZ"

/* every point in the plain build; every 7th under AddressSanitizer (each
 * point costs three times as much there, and the plain build has walked
 * them all: at every 3rd, the ASan phase's walks took seven minutes of
 * ./bz test's twenty); every 97th under valgrind. BZ_OOM_STRIDE=N takes
 * every Nth instead (BZ_OOM_STRIDE=1 under ASan: every point, ~15 min) */
static long stride(void)
{
	const char *env = getenv("BZ_OOM_STRIDE");
	if (env && atol(env) > 0)
		return atol(env);
#if defined(__SANITIZE_ADDRESS__)
	return 7;
#else
	return RUNNING_ON_VALGRIND ? 97 : 1;
#endif
}

/* where a walk starts: 1, or BZ_OOM_FROM=N to go straight to a point being
 * debugged (with a breakpoint in alloc.c's fault() if oom_point == N) */
static long first_point(void)
{
	const char *from = getenv("BZ_OOM_FROM");
	return from && atol(from) > 0 ? atol(from) : 1;
}

/*
 * The next point after n: every point up to dense, then every 37th (times
 * the stride) — for the creation of a ledger, whose ~19,000 allocations are
 * SQLite compiling the schema (each point re-creates it: the full walk
 * takes a quarter of an hour). BZ_OOM_FULL=1 walks every point.
 */
static long next_point(long n, long dense)
{
	if (getenv("BZ_OOM_FULL") || n < dense)
		return n + stride();
	return n + 37 * stride();
}

/* the point being walked (for a debugger: break in alloc.c's fault() if oom_point == N) */
volatile long oom_point;

static bool debug(void)
{
	return getenv("BZ_OOM_DEBUG") != NULL;
}

/* ---- the ledger's state, from outside ----------------------------------- */

/* one integer from SQL on a ledger file, through a connection of our own
 * (SQLite allocates through the library's allocator: only with the hook off) */
static long long int_on(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	ck_assert_int_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	ck_assert_msg(sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK, "%s: %s", sql, sqlite3_errmsg(db));
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	long long v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

/*
 * The digest of a ledger file: "integrity ok", then table:rows for every
 * table of the schema, then the head of the hash chain. Two equal digests:
 * nothing was added, removed or changed (every change adds a chained record).
 */
static void digest(char *out, size_t len, const char *path)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL, *n = NULL;
	ck_assert_int_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	size_t at = 0;
	ck_assert_int_eq(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	ck_assert_str_eq((const char *)sqlite3_column_text(st, 0), "ok");
	sqlite3_finalize(st);
	ck_assert_int_eq(sqlite3_prepare_v2(db, "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name", -1,
					    &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		char sql[300];
		const char *t = (const char *)sqlite3_column_text(st, 0);
		snprintf(sql, sizeof sql, "SELECT count(*) FROM \"%s\"", t);
		ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &n, NULL), SQLITE_OK);
		ck_assert_int_eq(sqlite3_step(n), SQLITE_ROW);
		at += (size_t)snprintf(out + at, len - at, "%s:%lld ", t, (long long)sqlite3_column_int64(n, 0));
		ck_assert_uint_lt(at, len);
		sqlite3_finalize(n);
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	bz_ledger *l = NULL;
	ck_assert_bz(bz_ledger_open(&l, path, BZ_OPEN_READONLY));
	char *head = NULL;
	int64_t seq = 0;
	ck_assert_bz(bz_ledger_head_hash(&head, &seq, l));
	snprintf(out + at, len - at, "head:%lld:%s", (long long)seq, head);
	bz_free(head);
	ck_assert_bz(bz_ledger_close(l));
}

/* the library's full check on an open handle: no error */
static void assert_checked(bz_ledger *l, const char *what, long n)
{
	bz_report *r = NULL;
	int rc = bz_ledger_check(&r, l, "2030-12-31");
	ck_assert_msg(rc == BZ_OK, "%s N=%ld: check: %d %s", what, n, rc, bz_ledger_errmsg(l));
	for (size_t i = 0; i < bz_report_count(r); i++)
		if (bz_violation_severity(bz_report_get(r, i)) == BZ_SEVERITY_ERROR)
			fprintf(stderr, "%s N=%ld: check: %s\n", what, n, bz_violation_message(bz_report_get(r, i)));
	ck_assert_msg(bz_report_errors(r) == 0, "%s N=%ld: the full check finds errors", what, n);
	bz_report_free(r);
}

/* reopened: whole (SQLite's check and the library's) */
static void assert_whole(const char *path, const char *what, long n)
{
	char d[4096];
	digest(d, sizeof d, path);
	bz_ledger *l = NULL;
	ck_assert_msg(bz_ledger_open(&l, path, 0) == BZ_OK, "%s N=%ld: reopen: %s", what, n, bz_ledger_errmsg(NULL));
	assert_checked(l, what, n);
	ck_assert_bz(bz_ledger_close(l));
}

static void copy_file(const char *from, const char *to)
{
	tu_rm(to);
	FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
	ck_assert_ptr_nonnull(in);
	ck_assert_ptr_nonnull(out);
	char buf[65536];
	size_t k;
	while ((k = fread(buf, 1, sizeof buf, in)) > 0)
		ck_assert_uint_eq(fwrite(buf, 1, k, out), k);
	fclose(in);
	ck_assert_int_eq(fclose(out), 0);
}

static bool exists(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0;
}

/* ---- the county ----------------------------------------------------------- */

/* 武都区 with its establishment office's document, 武都区教育局 (5 posts of
 * XZ, two people hired on slips) and 武都区人力资源和社会保障局; closed, so
 * the file is the whole ledger */
typedef struct county {
	char doc[BZ_UUID_LEN + 1];
	char edu[BZ_UUID_LEN + 1], hr[BZ_UUID_LEN + 1];
	char mover[BZ_UUID_LEN + 1]; /* one of 教育局's people */
} county;

static void build_county(county *c, const char *path)
{
	fx F;
	memset(&F, 0, sizeof F);
	tu_rm(path);
	ck_assert_bz(bz_ledger_open(&F.l, path, BZ_OPEN_CREATE));
	ck_assert_bz(bz_ledger_set_clock(F.l, "2026-12-01"));
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_jurisdiction_create(NULL, t, "620000", "甘肃省", NULL));
	ck_assert_bz(bz_jurisdiction_create(NULL, t, "621200", "陇南市", "620000"));
	ck_assert_bz(bz_jurisdiction_create(NULL, t, "621202", "武都区", "621200"));
	fx_doc(t, F.county_doc, "武都区机构编制委员会", "武编发〔2013〕5号", BZ_LEVEL_COUNTY, BZ_ISSUER_ESTABLISHMENT,
	       "621202");
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	memcpy(c->doc, F.county_doc, sizeof c->doc);
	ck_assert_bz(fx_unit(&F, c->edu, F.county_doc, "武都区教育局", BZ_NATURE_ORGAN, BZ_RANK_ZHENGKE, "621202",
			     "2010-01-01"));
	ck_assert_bz(fx_unit(&F, c->hr, F.county_doc, "武都区人力资源和社会保障局", BZ_NATURE_ORGAN, BZ_RANK_ZHENGKE,
			     "621202", "2010-01-01"));
	fx_est(&F, c->edu, CAT, 5, "2010-01-01");
	fx_est(&F, c->hr, CAT, 5, "2010-01-01");
	static const char *const names[] = {"张建国", "李秀英"};
	for (int i = 0; i < 2; i++) {
		char person[BZ_UUID_LEN + 1], slip[BZ_UUID_LEN + 1];
		sf_person(&F, person, names[i], "19850312", 100 + i);
		ck_assert_bz(sf_slip(&F, slip, c->edu, CAT, 1, "2026-11-01", "2027-03-31"));
		ck_assert_bz(sf_hire(&F, person, c->edu, CAT, slip, "2026-11-15"));
		if (i == 0)
			memcpy(c->mover, person, sizeof c->mover);
	}
	ck_assert_bz(bz_ledger_close(F.l));
}

/* ---- the walk -------------------------------------------------------------- */

typedef struct walk {
	long points;   /* allocation failures injected and walked */
	long enomem;   /* the operation said BZ_ENOMEM */
	long absorbed; /* a failure absorbed (SQLite retries, or needs the memory only for speed): success */
} walk;

/* the outcome of one run of the operation under the hook */
typedef struct outcome {
	int rc;                  /* the first failing status, BZ_OK if all went through */
	int step;                /* which call it was */
	char msg[BZ_ERRMSG_MAX]; /* its message */
	bool done;               /* the operation's effect is complete (committed, written…) */
} outcome;

static void note(outcome *o, bz_ledger *l, int rc, int step)
{
	if (rc != BZ_OK && o->rc == BZ_OK) {
		o->rc = rc;
		o->step = step;
		snprintf(o->msg, sizeof o->msg, "%s", bz_ledger_errmsg(l));
	}
}

/*
 * The realistic transaction on an open ledger, a careful caller: it stops
 * at the first failure and rolls back. The unit spec is built under the
 * hook too (it allocates).
 */
static void the_transaction(outcome *o, bz_ledger *l, const county *c)
{
	bz_txn *t = NULL;
	bz_unit_spec *s = NULL;
	bz_unit *u = NULL;
	bz_slip *sl = NULL;
	bz_person *p = NULL;
	char id[19];
	sf_idnum(id, "621202", "19920608", 777);
	note(o, l, bz_unit_spec_new(&s), 1);
	if (o->rc == BZ_OK) {
		note(o, NULL, bz_unit_spec_set_name(s, "武都区乡村振兴局"), 1);
		note(o, NULL, bz_unit_spec_set_nature(s, BZ_NATURE_ORGAN), 1);
		note(o, NULL, bz_unit_spec_set_rank(s, BZ_RANK_ZHENGKE), 1);
		note(o, NULL, bz_unit_spec_set_jurisdiction(s, "621202"), 1);
		note(o, NULL, bz_unit_spec_set_founded(s, "2026-12-01"), 1);
	}
	if (o->rc == BZ_OK)
		note(o, l, bz_txn_begin(&t, l, "录入员", "武都区编办"), 2);
	if (o->rc == BZ_OK)
		note(o, l, bz_txn_set_document(t, c->doc), 3);
	if (o->rc == BZ_OK)
		note(o, l, bz_unit_establish(&u, t, s), 4);
	if (o->rc == BZ_OK)
		note(o, l, bz_establishment_set(t, bz_unit_uuid(u), CAT, 5, "2026-12-01"), 5);
	if (o->rc == BZ_OK)
		note(o, l, bz_slip_issue(&sl, t, bz_unit_uuid(u), CAT, 2, BZ_PURPOSE_RECRUIT, "2026-12-01", "2027-03-31",
					 NULL), 6);
	if (o->rc == BZ_OK)
		note(o, l, bz_person_register(&p, t, id, "孙振东", 0, NULL), 7);
	if (o->rc == BZ_OK)
		note(o, l, bz_placement_enter(NULL, t, bz_person_uuid(p), bz_unit_uuid(u), CAT, bz_slip_uuid(sl),
					      BZ_ENTRY_RECRUIT, "2026-12-01"), 8);
	if (o->rc == BZ_OK)
		note(o, l, bz_placement_transfer(NULL, t, c->mover, bz_unit_uuid(u), CAT, bz_slip_uuid(sl), "2026-12-01"),
		     9);
	if (o->rc == BZ_OK) {
		note(o, l, bz_txn_commit(t), 10);
		o->done = o->rc == BZ_OK;
	} else if (t)
		bz_txn_rollback(t); /* may fail too, out of memory: bz_txn_free and the close take it back */
	bz_unit_spec_free(s);
	bz_unit_free(u);
	bz_slip_free(sl);
	bz_person_free(p);
	bz_txn_free(t);
}

/* the failed call said so: BZ_ENOMEM, with the static message */
static void assert_enomem(const outcome *o, const char *what, long n)
{
	ck_assert_msg(o->rc == BZ_ENOMEM, "%s N=%ld step %d: %d %s (%s)", what, n, o->step, o->rc, bz_strerror(o->rc),
		      o->msg);
	ck_assert_msg(strstr(o->msg, "out of memory") || o->step == 1, "%s N=%ld step %d: the message says '%s'", what, n,
		      o->step, o->msg);
}

/* the transaction in the file: the new unit, the new person, both placements */
static void assert_transaction_in(const char *path, const county *c, const char *what, long n)
{
	ck_assert_msg(int_on(path, "SELECT count(*) FROM unit") == 3, "%s N=%ld", what, n);
	ck_assert_int_eq(int_on(path, "SELECT count(*) FROM person WHERE name = '孙振东'"), 1);
	ck_assert_int_eq(int_on(path, "SELECT count(*) FROM placement"), 4);
	ck_assert_int_eq(int_on(path, "SELECT count(*) FROM slip"), 3);
	(void)c;
}

static void transaction_walk(walk *w, bool persistent, const char *tag)
{
	char base[256], work[300], before[4096], after[4096];
	snprintf(base, sizeof base, "%s", tu_tmpfile(tag));
	snprintf(work, sizeof work, "%s.work", base);
	county c;
	build_county(&c, base);
	digest(before, sizeof before, base);
	memset(w, 0, sizeof *w);
	for (long n = first_point();; n += stride()) {
		ck_assert_msg(n < 1000000, "the walk does not end");
		copy_file(base, work);
		bz_ledger *l = NULL;
		ck_assert_bz(bz_ledger_open(&l, work, 0));
		ck_assert_bz(bz_ledger_set_clock(l, "2026-12-01"));
		outcome o = {0};
		oom_point = n;
		bz_debug_fail_alloc(n, persistent);
		the_transaction(&o, l, &c);
		int64_t failed = bz_debug_fail_alloc(0, 0);
		if (debug())
			fprintf(stderr, "%s N=%ld: %lld failed, step %d rc %d %s\n", tag, n, (long long)failed, o.step, o.rc,
				o.msg);
		if (failed == 0) { /* the walk is through */
			ck_assert_bz(o.rc);
			ck_assert_bz(bz_ledger_close(l));
			assert_transaction_in(work, &c, tag, n);
			assert_whole(work, tag, n);
			break;
		}
		w->points++;
		if (o.rc == BZ_OK) {
			w->absorbed++;
		} else {
			assert_enomem(&o, tag, n);
			w->enomem++;
		}
		/* the same handle goes on, whole */
		assert_checked(l, tag, n);
		ck_assert_bz(bz_ledger_close(l));
		if (o.done)
			assert_transaction_in(work, &c, tag, n);
		else {
			/* reopened: SQLite's integrity check, and not a row more or less, the same head */
			digest(after, sizeof after, work);
			ck_assert_msg(strcmp(before, after) == 0, "%s N=%ld step %d: the ledger changed:\n%s\n%s", tag, n, o.step,
				      before, after);
		}
	}
	ck_assert_int_gt(w->enomem, 10 / stride());
	tu_rm(work);
	tu_rm(base);
}

static void report_walk(const char *tag, walk *w)
{
	fprintf(stderr, "oom: %s walk: %ld points (%ld BZ_ENOMEM, %ld absorbed)%s\n", tag, w->points, w->enomem,
		w->absorbed, stride() > 1 ? " [every Nth point: valgrind 97th, ASan 7th, or BZ_OOM_STRIDE]" : "");
}

START_TEST(transaction_persistent)
{
	walk w;
	transaction_walk(&w, true, "oom-txn-persistent");
	report_walk("transaction (persistent)", &w);
}
END_TEST

START_TEST(transaction_single)
{
	walk w;
	transaction_walk(&w, false, "oom-txn-single");
	report_walk("transaction (single)", &w);
}
END_TEST

/* ---- open and create ------------------------------------------------------- */

START_TEST(open_existing)
{
	char base[256], before[4096], after[4096];
	snprintf(base, sizeof base, "%s", tu_tmpfile("oom-open"));
	county c;
	build_county(&c, base);
	digest(before, sizeof before, base);
	walk w = {0};
	for (long n = first_point();; n += stride()) {
		ck_assert_msg(n < 1000000, "the walk does not end");
		bz_ledger *l = NULL;
		oom_point = n;
		bz_debug_fail_alloc(n, n % 2);
		int rc = bz_ledger_open(&l, base, 0);
		int64_t failed = bz_debug_fail_alloc(0, 0);
		if (failed == 0) {
			ck_assert_bz(rc);
			ck_assert_bz(bz_ledger_close(l));
			break;
		}
		w.points++;
		if (rc == BZ_OK) {
			w.absorbed++;
			assert_checked(l, "open", n);
			ck_assert_bz(bz_ledger_close(l));
		} else {
			w.enomem++;
			ck_assert_msg(rc == BZ_ENOMEM, "open N=%ld: %d %s", n, rc, bz_ledger_errmsg(NULL));
			ck_assert_ptr_null(l);
			ck_assert_msg(strstr(bz_ledger_errmsg(NULL), "out of memory"), "open N=%ld: '%s'", n, bz_ledger_errmsg(NULL));
		}
		digest(after, sizeof after, base);
		ck_assert_msg(strcmp(before, after) == 0, "open N=%ld: the ledger changed", n);
	}
	assert_whole(base, "open", 0);
	ck_assert_int_gt(w.enomem, 10 / stride());
	report_walk("open", &w);
	tu_rm(base);
}
END_TEST

START_TEST(create_new)
{
	char path[256];
	snprintf(path, sizeof path, "%s", tu_tmpfile("oom-create"));
	walk w = {0};
	for (long n = 1;; n = next_point(n, 1000)) {
		ck_assert_msg(n < 1000000, "the walk does not end");
		tu_rm(path);
		bz_ledger *l = NULL;
		oom_point = n;
		bz_debug_fail_alloc(n, n % 2);
		int rc = bz_ledger_open(&l, path, BZ_OPEN_CREATE);
		int64_t failed = bz_debug_fail_alloc(0, 0);
		if (failed == 0) {
			ck_assert_bz(rc);
			ck_assert_bz(bz_ledger_close(l));
			break;
		}
		w.points++;
		if (rc == BZ_OK) {
			w.absorbed++;
			ck_assert_bz(bz_ledger_close(l));
		} else {
			w.enomem++;
			ck_assert_msg(rc == BZ_ENOMEM, "create N=%ld: %d %s", n, rc, bz_ledger_errmsg(NULL));
			ck_assert_ptr_null(l);
		}
		/* a failed creation leaves no file, or one that a second try makes whole */
		if (exists(path)) {
			ck_assert_msg(bz_ledger_open(&l, path, BZ_OPEN_CREATE) == BZ_OK, "create N=%ld: again: %s", n,
				      bz_ledger_errmsg(NULL));
			ck_assert_bz(bz_ledger_close(l));
			assert_whole(path, "create", n);
		}
	}
	assert_whole(path, "create", 0);
	ck_assert_int_gt(w.enomem, 10 / stride());
	report_walk(getenv("BZ_OOM_FULL") ? "create" : "create (every point to 1,000, then every 37th)", &w);
	tu_rm(path);
}
END_TEST

/* ---- a report, the exchange format, verify ------------------------------------ */

/* Table 1 of 武都区 rendered as JSON: the text is the one without the hook */
START_TEST(report_sheet)
{
	char base[256];
	snprintf(base, sizeof base, "%s", tu_tmpfile("oom-report"));
	county c;
	build_county(&c, base);
	bz_ledger *l = NULL;
	ck_assert_bz(bz_ledger_open(&l, base, 0));
	char *want = NULL;
	{
		bz_sheet *s = NULL;
		ck_assert_bz(bz_sheet_table1(&s, l, "621202", "2026-12-01"));
		const bz_sheet *ss[1] = {s};
		ck_assert_bz(bz_sheets_render(&want, ss, 1, BZ_FORMAT_JSON));
		bz_sheet_free(s);
	}
	walk w = {0};
	for (long n = first_point();; n += stride()) {
		ck_assert_msg(n < 1000000, "the walk does not end");
		bz_sheet *s = NULL;
		char *text = NULL;
		oom_point = n;
		bz_debug_fail_alloc(n, n % 2);
		int rc = bz_sheet_table1(&s, l, "621202", "2026-12-01");
		const char *msg = rc ? bz_ledger_errmsg(l) : NULL;
		if (rc == BZ_OK) {
			const bz_sheet *ss[1] = {s};
			rc = bz_sheets_render(&text, ss, 1, BZ_FORMAT_JSON);
			msg = rc ? bz_sheets_errmsg() : NULL;
		}
		int64_t failed = bz_debug_fail_alloc(0, 0);
		if (failed == 0) {
			ck_assert_bz(rc);
		} else {
			w.points++;
			if (rc == BZ_OK)
				w.absorbed++;
			else {
				w.enomem++;
				ck_assert_msg(rc == BZ_ENOMEM, "report N=%ld: %d (%s)", n, rc, msg);
				ck_assert_msg(strstr(msg, "out of memory"), "report N=%ld: '%s'", n, msg);
			}
		}
		if (rc == BZ_OK) /* never a sheet with something left out */
			ck_assert_msg(strcmp(text, want) == 0, "report N=%ld (%lld failed): a sheet with something left out:\n%s",
				      n, (long long)failed, text);
		else
			ck_assert_ptr_null(text);
		bz_free(text);
		bz_sheet_free(s);
		if (failed == 0)
			break;
	}
	bz_free(want);
	assert_checked(l, "report", 0);
	ck_assert_bz(bz_ledger_close(l));
	ck_assert_int_gt(w.enomem, 10 / stride());
	report_walk("report sheet", &w);
	tu_rm(base);
}
END_TEST

/* export the county, then import the file into a ledger of its own */
START_TEST(exchange)
{
	char base[256], file[300], want[300], into[300], empty[300], before[4096], after[4096];
	snprintf(base, sizeof base, "%s", tu_tmpfile("oom-exchange"));
	snprintf(file, sizeof file, "%s.jsonl", base);
	snprintf(want, sizeof want, "%s.want.jsonl", base);
	snprintf(into, sizeof into, "%s.into", base);
	snprintf(empty, sizeof empty, "%s.empty", base);
	county c;
	build_county(&c, base);
	bz_ledger *l = NULL;
	ck_assert_bz(bz_ledger_open(&l, base, 0));
	tu_rm(want);
	ck_assert_bz(bz_ledger_export(NULL, l, want, NULL));

	walk w = {0};
	for (long n = first_point();; n += stride()) {
		ck_assert_msg(n < 1000000, "the walk does not end");
		tu_rm(file);
		bz_exchange *x = NULL;
		oom_point = n;
		bz_debug_fail_alloc(n, n % 2);
		int rc = bz_ledger_export(&x, l, file, NULL);
		int64_t failed = bz_debug_fail_alloc(0, 0);
		bz_exchange_free(x);
		if (failed == 0) {
			ck_assert_msg(rc == BZ_OK, "export N=%ld: %d %s", n, rc, bz_ledger_errmsg(l));
			break;
		}
		w.points++;
		if (rc == BZ_OK)
			w.absorbed++;
		else {
			w.enomem++;
			ck_assert_msg(rc == BZ_ENOMEM, "export N=%ld: %d (%s)", n, rc, bz_ledger_errmsg(l));
			ck_assert_msg(!exists(file), "export N=%ld: a failed export left %s", n, file);
		}
	}
	assert_checked(l, "export", 0);
	ck_assert_bz(bz_ledger_close(l));
	ck_assert_int_gt(w.enomem, 10 / stride());
	report_walk("export", &w);

	/* import into a new ledger of 武都区's province: all or nothing */
	tu_rm(empty);
	ck_assert_bz(bz_ledger_open(&l, empty, BZ_OPEN_CREATE));
	ck_assert_bz(bz_ledger_close(l));
	digest(before, sizeof before, empty);
	memset(&w, 0, sizeof w);
	for (long n = first_point();; n = next_point(n, 2000)) {
		ck_assert_msg(n < 1000000, "the walk does not end");
		copy_file(empty, into);
		ck_assert_bz(bz_ledger_open(&l, into, 0));
		bz_exchange *x = NULL;
		oom_point = n;
		bz_debug_fail_alloc(n, n % 2);
		int rc = bz_ledger_import(&x, l, want, 0);
		int64_t failed = bz_debug_fail_alloc(0, 0);
		const char *msg = bz_ledger_errmsg(l);
		for (size_t i = 0; x && i < bz_exchange_conflict_count(x); i++) /* none: out of memory is no conflict */
			fprintf(stderr, "import N=%ld: conflict line %lld %s %s %s: ours %s, theirs %s\n", n,
				(long long)bz_exchange_conflict_line(x, i), bz_exchange_conflict_kind(x, i),
				bz_exchange_conflict_identity(x, i), bz_exchange_conflict_field(x, i), bz_exchange_conflict_ours(x, i),
				bz_exchange_conflict_theirs(x, i));
		bz_exchange_free(x);
		if (failed == 0) {
			ck_assert_bz(rc);
			ck_assert_bz(bz_ledger_close(l));
			break;
		}
		w.points++;
		if (rc == BZ_OK)
			w.absorbed++;
		else {
			w.enomem++;
			ck_assert_msg(rc == BZ_ENOMEM, "import N=%ld: %d (%s)", n, rc, msg);
		}
		assert_checked(l, "import", n);
		ck_assert_bz(bz_ledger_close(l));
		if (rc != BZ_OK) {
			digest(after, sizeof after, into);
			ck_assert_msg(strcmp(before, after) == 0, "import N=%ld (%d %s): the ledger changed: %s\nwas %s", n, rc, msg, after, before);
		} else
			ck_assert_int_eq(int_on(into, "SELECT count(*) FROM placement"), 2);
	}
	ck_assert_int_eq(int_on(into, "SELECT count(*) FROM placement"), 2);
	ck_assert_int_eq(int_on(into, "SELECT count(*) FROM unit"), 2);
	assert_whole(into, "import", 0);
	ck_assert_int_gt(w.enomem, 10 / stride());
	report_walk(getenv("BZ_OOM_FULL") ? "import" : "import (every point to 2,000, then every 37th)", &w);
	tu_rm(base);
	tu_rm(file);
	tu_rm(want);
	tu_rm(into);
	tu_rm(empty);
}
END_TEST

/*
 * The sheet import's bulk path (import.c, bz_batch_begin): an opening of
 * six people from a CSV, in batches of four rows (two batches, the second
 * cut short by the file's end), committed — all of it or none of it, the
 * ledger whole, whichever allocation fails.
 */
START_TEST(sheet_import)
{
	char base[256], work[300], csv[300], before[4096], after[4096];
	snprintf(base, sizeof base, "%s", tu_tmpfile("oom-sheet"));
	snprintf(work, sizeof work, "%s.work", base);
	snprintf(csv, sizeof csv, "%s.csv", base);
	county c;
	build_county(&c, base);
	digest(before, sizeof before, base);
	FILE *f = fopen(csv, "wb");
	ck_assert_ptr_nonnull(f);
	fputs("姓名,身份证号,单位名称,编制类别,进入时间,进入形式,学历\r\n", f);
	for (int i = 0; i < 6; i++) {
		char id[19];
		sf_idnum(id, "621202", "19880405", 300 + i);
		fprintf(f, "职工%d,%s,%s,XZ,2026-11-%02d,招聘,大学本科\r\n", i, id,
			i < 3 ? "武都区教育局" : "武都区人力资源和社会保障局", 10 + i);
	}
	ck_assert_int_eq(fclose(f), 0);
	size_t saved = bz_import_batch_rows;
	bz_import_batch_rows = 4;
	walk w = {0};
	for (long n = first_point();; n = next_point(n, 1500)) {
		ck_assert_msg(n < 1000000, "the walk does not end");
		copy_file(base, work);
		bz_ledger *l = NULL;
		ck_assert_bz(bz_ledger_open(&l, work, 0));
		ck_assert_bz(bz_ledger_set_clock(l, "2026-12-01"));
		outcome o = {0};
		bz_txn *t = NULL;
		bz_import *imp = NULL;
		oom_point = n;
		bz_debug_fail_alloc(n, n % 2);
		note(&o, l, bz_txn_begin(&t, l, "录入员", "武都区编办"), 1);
		if (o.rc == BZ_OK)
			note(&o, l, bz_txn_set_opening(t, "2026-12-01", c.doc), 2);
		if (o.rc == BZ_OK)
			note(&o, l, bz_import_people(&imp, t, csv, "621202"), 3);
		if (o.rc == BZ_OK) {
			note(&o, l, bz_txn_commit(t), 4);
			o.done = o.rc == BZ_OK;
		} else if (t)
			bz_txn_rollback(t);
		int64_t failed = bz_debug_fail_alloc(0, 0);
		for (size_t i = 0; imp && i < bz_import_problem_count(imp); i++) /* none: out of memory refuses no row */
			fprintf(stderr, "sheet import N=%ld: line %lld: %s\n", n, (long long)bz_import_problem_line(imp, i),
				bz_import_problem_message(imp, i));
		ck_assert_msg(!imp || bz_import_problem_count(imp) == 0, "sheet import N=%ld: a row refused", n);
		bz_import_free(imp);
		bz_txn_free(t);
		if (failed == 0) {
			ck_assert_msg(o.rc == BZ_OK, "sheet import N=%ld step %d: %d %s", n, o.step, o.rc, o.msg);
			ck_assert_bz(bz_ledger_close(l));
			break;
		}
		w.points++;
		if (o.rc == BZ_OK)
			w.absorbed++;
		else {
			assert_enomem(&o, "sheet import", n);
			w.enomem++;
		}
		assert_checked(l, "sheet import", n);
		ck_assert_bz(bz_ledger_close(l));
		if (o.done)
			ck_assert_int_eq(int_on(work, "SELECT count(*) FROM placement"), 8);
		else {
			digest(after, sizeof after, work);
			ck_assert_msg(strcmp(before, after) == 0, "sheet import N=%ld step %d: the ledger changed:\n%s\n%s", n,
				      o.step, before, after);
		}
	}
	bz_import_batch_rows = saved;
	ck_assert_int_eq(int_on(work, "SELECT count(*) FROM placement"), 8);
	ck_assert_int_eq(int_on(work, "SELECT count(*) FROM person"), 8);
	assert_whole(work, "sheet import", 0);
	ck_assert_int_gt(w.enomem, 10 / stride());
	report_walk(getenv("BZ_OOM_FULL") ? "sheet import" : "sheet import (every point to 1,500, then every 37th)", &w);
	tu_rm(work);
	tu_rm(base);
	tu_rm(csv);
}
END_TEST

START_TEST(verify)
{
	char base[256];
	snprintf(base, sizeof base, "%s", tu_tmpfile("oom-verify"));
	county c;
	build_county(&c, base);
	bz_ledger *l = NULL;
	ck_assert_bz(bz_ledger_open(&l, base, 0));
	walk w = {0};
	for (long n = first_point();; n += stride()) {
		ck_assert_msg(n < 1000000, "the walk does not end");
		bz_report *r = NULL;
		oom_point = n;
		bz_debug_fail_alloc(n, n % 2);
		int rc = bz_ledger_verify(&r, l, 0, NULL);
		int64_t failed = bz_debug_fail_alloc(0, 0);
		if (rc == BZ_OK) /* never a finding for want of memory */
			ck_assert_msg(bz_report_count(r) == 0, "verify N=%ld: %s", n,
				      bz_violation_message(bz_report_get(r, 0)));
		else
			ck_assert_ptr_null(r);
		bz_report_free(r);
		if (failed == 0) {
			ck_assert_msg(rc == BZ_OK, "verify N=%ld: %d %s", n, rc, bz_ledger_errmsg(l));
			break;
		}
		w.points++;
		if (rc == BZ_OK)
			w.absorbed++;
		else {
			w.enomem++;
			ck_assert_msg(rc == BZ_ENOMEM, "verify N=%ld: %d (%s)", n, rc, bz_ledger_errmsg(l));
		}
	}
	ck_assert_bz(bz_ledger_close(l));
	ck_assert_int_gt(w.enomem, 10 / stride());
	report_walk("verify", &w);
	tu_rm(base);
}
END_TEST

/* the full self-inspection (set-based since issue 10): out of memory it
 * fails whole with its message, or succeeds with every finding — never a
 * report with findings left out */
START_TEST(check)
{
	char base[256];
	snprintf(base, sizeof base, "%s", tu_tmpfile("oom-check"));
	county c;
	build_county(&c, base);
	bz_ledger *l = NULL;
	ck_assert_bz(bz_ledger_open(&l, base, 0));
	bz_report *r = NULL;
	ck_assert_bz(bz_ledger_check(&r, l, "2030-12-31"));
	size_t want = bz_report_count(r);
	bz_report_free(r);
	walk w = {0};
	for (long n = first_point();; n += stride()) {
		ck_assert_msg(n < 1000000, "the walk does not end");
		r = NULL;
		oom_point = n;
		bz_debug_fail_alloc(n, n % 2);
		int rc = bz_ledger_check(&r, l, "2030-12-31");
		int64_t failed = bz_debug_fail_alloc(0, 0);
		if (rc == BZ_OK)
			ck_assert_msg(bz_report_count(r) == want, "check N=%ld: %zu findings, not %zu", n,
				      bz_report_count(r), want);
		else
			ck_assert_ptr_null(r);
		bz_report_free(r);
		if (failed == 0) {
			ck_assert_msg(rc == BZ_OK, "check N=%ld: %d %s", n, rc, bz_ledger_errmsg(l));
			break;
		}
		w.points++;
		if (rc == BZ_OK)
			w.absorbed++;
		else {
			w.enomem++;
			ck_assert_msg(rc == BZ_ENOMEM, "check N=%ld: %d (%s)", n, rc, bz_ledger_errmsg(l));
			ck_assert_msg(strstr(bz_ledger_errmsg(l), "out of memory") != NULL, "check N=%ld: message \"%s\"", n,
				      bz_ledger_errmsg(l));
		}
	}
	ck_assert_bz(bz_ledger_close(l));
	ck_assert_int_gt(w.enomem, 10 / stride());
	report_walk("check", &w);
	tu_rm(base);
}
END_TEST

/* ---- the hook itself, and the allocator ----------------------------------- */

static long my_mallocs;
static void *my_malloc(size_t n)
{
	my_mallocs++;
	return malloc(n);
}

START_TEST(hook_and_allocator)
{
	/* SQLite was not running before the first ledger of this process: routed */
	ck_assert_int_eq(bz_alloc_covers_sqlite(), 1);
	/* too late to change the allocator: the library holds memory already */
	ck_assert_int_eq(bz_global_set_allocator(my_malloc, realloc, free), BZ_EMISUSE);
	ck_assert_int_eq(bz_global_set_allocator(my_malloc, NULL, free), BZ_EINVAL);
	ck_assert_int_eq(my_mallocs, 0);
	/* bounds */
	ck_assert_int_eq(bz_debug_fail_alloc(-1, 0), BZ_EINVAL);
	ck_assert_int_eq(bz_debug_fail_alloc(BZ_FAIL_ALLOC_MAX + 1, 0), BZ_EINVAL);
	/* a single failure: the first allocation, then no more */
	ck_assert_int_eq(bz_debug_fail_alloc(1, 0), 0);
	bz_ledger *l = NULL;
	ck_assert_int_eq(bz_ledger_open(&l, ":memory:", BZ_OPEN_CREATE), BZ_ENOMEM);
	ck_assert_ptr_nonnull(strstr(bz_ledger_errmsg(NULL), "out of memory"));
	ck_assert_bz(bz_ledger_open(&l, ":memory:", BZ_OPEN_CREATE));
	ck_assert_int_eq(bz_debug_fail_alloc(0, 0), 1);
	/* persistent: everything fails, and a handle that exists says so readably */
	bz_txn *t = NULL;
	bz_debug_fail_alloc(1, 1);
	ck_assert_int_eq(bz_txn_begin(&t, l, "录入员", "武都区编办"), BZ_ENOMEM);
	ck_assert_ptr_nonnull(strstr(bz_ledger_errmsg(l), "out of memory"));
	ck_assert_int_ge(bz_debug_fail_alloc(0, 0), 1);
	ck_assert_bz(bz_txn_begin(&t, l, "录入员", "武都区编办"));
	ck_assert_bz(bz_txn_rollback(t));
	bz_txn_free(t);
	ck_assert_bz(bz_ledger_close(l));
}
END_TEST

int main(void)
{
	/* the walks reopen a ledger thousands of times: on tmpfs its syncs cost nothing */
	struct stat sb;
	if (!getenv("TMPDIR") && stat("/dev/shm", &sb) == 0 && S_ISDIR(sb.st_mode) && access("/dev/shm", W_OK) == 0)
		setenv("TMPDIR", "/dev/shm", 1);
	/* the first ledger routes SQLite's allocations through the library's
	 * allocator: before this process uses SQLite for anything else */
	bz_ledger *l = NULL;
	if (bz_ledger_open(&l, ":memory:", BZ_OPEN_CREATE) != BZ_OK)
		return 1;
	bz_ledger_close(l);
	Suite *s = suite_create("oom");
	TCase *hook = tcase_create("hook");
	tcase_add_test(hook, hook_and_allocator);
	suite_add_tcase(s, hook);
	/* one case per walk: CK_RUN_CASE=<name> runs one */
	const struct {
		const char *name;
		const TTest *test;
	} walks[] = {
		{"transaction_persistent", transaction_persistent}, {"transaction_single", transaction_single},
		{"open", open_existing}, {"create", create_new}, {"report", report_sheet}, {"exchange", exchange},
		{"verify", verify}, {"check", check}, {"sheet_import", sheet_import},
	};
	for (size_t i = 0; i < sizeof walks / sizeof walks[0]; i++) {
		TCase *tc = tcase_create(walks[i].name);
		tcase_set_timeout(tc, 0);
		tcase_add_test(tc, walks[i].test);
		suite_add_tcase(s, tc);
	}
	return tu_run(s);
}
