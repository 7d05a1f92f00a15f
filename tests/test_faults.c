/*
 * test_faults.c: the ledger under a failing disk, a killed writer and many
 * writers at once (issue 11, "Failure injection", "Crash", "Concurrency and
 * busy handling").
 *
 * - I/O errors and a full disk: a VFS shim (faultvfs.c, registered as the
 *   process's default VFS: bz_ledger_open names no VFS) fails the Nth read,
 *   write, sync or truncate; the walk N = 1, 2, 3 … goes through one
 *   realistic transaction until it succeeds, and after each failure the call
 *   returned BZ_EIO (SQLite's IOERR/FULL; never a success that is not in the
 *   file), the message names the file and the cause, the ledger reopens
 *   (without the shim) intact and holds all or nothing of the transaction.
 * - Crash: a writer process killed with SIGKILL at random moments (seeded),
 *   the ledger reopened and checked after each kill. BZ_FAULT_KILLS sets the
 *   number of kills (default 200; 20 under valgrind, where every process is
 *   ~30 times slower; `./bz soak` runs 2,000), BZ_FAULT_SEED the seed
 *   (printed: a failure can be replayed). Under valgrind the I/O walks take
 *   every 7th point. BZ_FAULT_DEBUG=1 prints the outcome of every I/O point.
 * - Concurrency: 8 writer processes on shared units; no deadlock, every
 *   rule holds; a writer that cannot get the lock gets BZ_EBUSY after its
 *   busy timeout (bz_ledger_set_busy_timeout) with a message saying so;
 *   a reader holding an iterator never blocks a writer.
 */
#define _GNU_SOURCE
#include "staff_fixture.h"
#include "faultvfs.h"

#include <errno.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <valgrind/valgrind.h>

#define CAT "XZ"

/* ---- helpers ---------------------------------------------------------- */

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* one integer from SQL on a ledger file, through a connection of our own */
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

static void assert_integrity(const char *path)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	ck_assert_int_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	ck_assert_str_eq((const char *)sqlite3_column_text(st, 0), "ok");
	sqlite3_finalize(st);
	sqlite3_close(db);
}

/* no change record without its state, no state without its record */
static const char *const orphans[] = {
	/* a placement whose entry event is missing, or names another subject */
	"SELECT count(*) FROM placement p LEFT JOIN event e ON e.id = p.event"
	" WHERE e.id IS NULL OR e.subject <> p.id OR e.kind NOT IN ('placement.enter','placement.transfer_in')",
	/* an entry event without its placement */
	"SELECT count(*) FROM event e WHERE e.kind IN ('placement.enter','placement.transfer_in')"
	" AND NOT EXISTS (SELECT 1 FROM placement p WHERE p.id = e.subject AND p.event = e.id)",
	/* an exit without its event, an exit event without its exit */
	"SELECT count(*) FROM placement_exit x LEFT JOIN event e ON e.id = x.event WHERE e.id IS NULL",
	"SELECT count(*) FROM event e WHERE e.kind IN ('placement.exit','placement.transfer_out')"
	" AND NOT EXISTS (SELECT 1 FROM placement_exit x WHERE x.event = e.id)",
	/* a slip without its issue, an issue without its slip */
	"SELECT count(*) FROM slip s WHERE NOT EXISTS (SELECT 1 FROM event e WHERE e.kind = 'slip.issue' AND e.subject = s.id)",
	"SELECT count(*) FROM event e WHERE e.kind = 'slip.issue' AND NOT EXISTS (SELECT 1 FROM slip s WHERE s.id = e.subject)",
	/* a person without the record of the registration, and the other way */
	"SELECT count(*) FROM person p WHERE NOT EXISTS (SELECT 1 FROM event e WHERE e.kind = 'person.register' AND e.subject = p.id)",
	"SELECT count(*) FROM event e WHERE e.kind = 'person.register' AND NOT EXISTS (SELECT 1 FROM person p WHERE p.id = e.subject)",
	/* an event of no transaction, a transaction of no identity */
	"SELECT count(*) FROM event e WHERE NOT EXISTS (SELECT 1 FROM txn_log t WHERE t.id = e.txn)",
	"SELECT count(*) FROM txn_log t WHERE t.id > (SELECT coalesce(min(txn), 1 << 62) FROM txn_id)"
	" AND NOT EXISTS (SELECT 1 FROM txn_id i WHERE i.txn = t.id)",
};

/* the reopened ledger is whole: SQLite's check, the library's full check
 * (INTEGRITY included: counters agree with the records), and no orphans */
static void assert_whole(const char *path)
{
	assert_integrity(path);
	for (size_t i = 0; i < sizeof orphans / sizeof orphans[0]; i++)
		ck_assert_msg(int_on(path, orphans[i]) == 0, "orphans: %s", orphans[i]);
	bz_ledger *l = NULL;
	ck_assert_msg(bz_ledger_open(&l, path, 0) == BZ_OK, "reopen: %s", bz_ledger_errmsg(NULL));
	bz_report *r = NULL;
	ck_assert_bz(bz_ledger_check(&r, l, "2030-12-31"));
	if (bz_report_errors(r)) {
		for (size_t i = 0; i < bz_report_count(r); i++)
			fprintf(stderr, "check: %s\n", bz_violation_message(bz_report_get(r, i)));
	}
	ck_assert_uint_eq(bz_report_errors(r), 0);
	bz_report_free(r);
	ck_assert_bz(bz_ledger_close(l));
}

static void copy_file(const char *from, const char *to)
{
	tu_rm(to);
	FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
	ck_assert_ptr_nonnull(in);
	ck_assert_ptr_nonnull(out);
	char buf[65536];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		ck_assert_uint_eq(fwrite(buf, 1, n, out), n);
	fclose(in);
	ck_assert_int_eq(fclose(out), 0);
}

/* the county in a file: 武都区 with its establishment office's document,
 * 武都区教育局 and 武都区人力资源和社会保障局 (XZ posts each) and, in the
 * first, people hired on slips; closed, so the file is the whole ledger */
typedef struct county {
	char doc[BZ_UUID_LEN + 1];
	char edu[BZ_UUID_LEN + 1], hr[BZ_UUID_LEN + 1];
} county;

static void build_county(county *c, const char *path, int64_t posts, int people)
{
	fx F;
	memset(&F, 0, sizeof F);
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
	fx_est(&F, c->edu, CAT, posts, "2010-01-01");
	fx_est(&F, c->hr, CAT, posts, "2010-01-01");
	static const char *const names[] = {"张建国", "李秀英", "王志强", "赵丽娟", "陈国华", "刘晓燕"};
	for (int i = 0; i < people; i++) {
		char person[BZ_UUID_LEN + 1], slip[BZ_UUID_LEN + 1];
		sf_person(&F, person, names[i % 6], "19850312", 100 + i);
		ck_assert_bz(sf_slip(&F, slip, c->edu, CAT, 1, "2026-11-01", "2027-03-31"));
		ck_assert_bz(sf_hire(&F, person, c->edu, CAT, slip, "2026-11-15"));
	}
	ck_assert_bz(bz_ledger_close(F.l));
}

/* ---- I/O errors and a full disk --------------------------------------- */

static const char *person_in(bz_ledger *l, const char *unit, char out[BZ_UUID_LEN + 1])
{
	bz_placement_iter *it = NULL;
	bz_placement *p = NULL;
	ck_assert_bz(bz_roster(&it, l, unit, "2026-12-01"));
	ck_assert_bz(bz_placement_iter_next(&p, it));
	memcpy(out, bz_placement_person(p), BZ_UUID_LEN + 1);
	bz_placement_free(p);
	bz_placement_iter_free(it);
	return out;
}

/* what became of the transaction */
typedef struct outcome {
	int rc;                         /* the first failing status (BZ_OK when all went through) */
	int step;                       /* which call it was (1 begin … 8 commit) */
	char msg[BZ_ERRMSG_MAX];        /* bz_ledger_errmsg() right after it */
	int commit;                     /* the commit's status (1: not tried) */
	bool unit, person, hire, moved; /* which changes returned BZ_OK */
	char txn_id[BZ_UUID_LEN + 1];
} outcome;

static void note(outcome *o, bz_ledger *l, int rc, int step)
{
	if (rc != BZ_OK && o->rc == BZ_OK) {
		o->rc = rc;
		o->step = step;
		snprintf(o->msg, sizeof o->msg, "%s", bz_ledger_errmsg(l));
	}
}

/* the realistic transaction: a new unit with its establishment, a slip for
 * it, a new person hired on it, a person of 教育局 transferred into it on
 * the same slip, the commit. A careful caller stops at the first failure
 * and rolls back; a persevering one (go_on) goes on with what it can — a
 * failed change is taken back and the transaction stays usable, says
 * txn.h — and commits */
static void the_transaction(outcome *o, bz_ledger *l, const county *c, const char *mover, bool go_on)
{
	memset(o, 0, sizeof *o);
	o->commit = 1;
	bz_txn *t = NULL;
	int rc = bz_txn_begin(&t, l, "录入员", "武都区编办");
	note(o, l, rc, 1);
	if (rc != BZ_OK)
		return;
	snprintf(o->txn_id, sizeof o->txn_id, "%s", bz_txn_uuid(t));
	bz_unit_spec *s = NULL;
	bz_unit *u = NULL;
	bz_slip *sl = NULL;
	bz_person *p = NULL;
	ck_assert_bz(bz_unit_spec_new(&s));
	ck_assert_bz(bz_unit_spec_set_name(s, "武都区乡村振兴局"));
	ck_assert_bz(bz_unit_spec_set_nature(s, BZ_NATURE_ORGAN));
	ck_assert_bz(bz_unit_spec_set_rank(s, BZ_RANK_ZHENGKE));
	ck_assert_bz(bz_unit_spec_set_jurisdiction(s, "621202"));
	ck_assert_bz(bz_unit_spec_set_founded(s, "2026-12-01"));
	char id[19];
	sf_idnum(id, "621202", "19920608", 777);
#define GO (go_on || o->rc == BZ_OK)
	note(o, l, bz_txn_set_document(t, c->doc), 2);
	if (GO) {
		note(o, l, rc = bz_unit_establish(&u, t, s), 3);
		o->unit = rc == BZ_OK;
	}
	if (GO && u)
		note(o, l, bz_establishment_set(t, bz_unit_uuid(u), CAT, 5, "2026-12-01"), 4);
	if (GO && u)
		note(o, l, bz_slip_issue(&sl, t, bz_unit_uuid(u), CAT, 2, BZ_PURPOSE_RECRUIT, "2026-12-01", "2027-03-31", NULL),
		     5);
	if (GO) {
		note(o, l, rc = bz_person_register(&p, t, id, "孙振东", 0, NULL), 6);
		o->person = rc == BZ_OK;
	}
	if (GO && u && p && sl) {
		note(o, l, rc = bz_placement_enter(NULL, t, bz_person_uuid(p), bz_unit_uuid(u), CAT, bz_slip_uuid(sl),
						   BZ_ENTRY_RECRUIT, "2026-12-01"), 7);
		o->hire = rc == BZ_OK;
	}
	if (GO && u && sl) {
		note(o, l, rc = bz_placement_transfer(NULL, t, mover, bz_unit_uuid(u), CAT, bz_slip_uuid(sl), "2026-12-01"), 7);
		o->moved = rc == BZ_OK;
	}
	if (GO) {
		note(o, l, o->commit = bz_txn_commit(t), 8);
	} else
		bz_txn_rollback(t); /* may fail too: the disk is failing */
#undef GO
	bz_unit_spec_free(s);
	bz_unit_free(u);
	bz_slip_free(sl);
	bz_person_free(p);
	bz_txn_free(t);
}

typedef struct walk {
	long points;     /* faults injected (and walked) */
	long eio, other; /* statuses of the failed calls */
	long committed;  /* failed calls whose transaction was in the ledger all the same */
	long absorbed;   /* faults SQLite absorbed (retried or did not need): everything succeeded */
	long lost;       /* transactions SQLite rolled back by itself (the message says so) */
} walk;

/* walk N = 1, 2, … : the Nth operation of ops fails with err */
static void io_walk(walk *w, int ops, int err, bool persist, bool go_on, const char *tag)
{
	char base[256], work[300];
	snprintf(base, sizeof base, "%s", tu_tmpfile(tag));
	snprintf(work, sizeof work, "%s.work", base);
	county c;
	build_county(&c, base, 5, 2);
	long long units0 = int_on(base, "SELECT count(*) FROM unit");
	long long placements0 = int_on(base, "SELECT count(*) FROM placement");
	long long events0 = int_on(base, "SELECT count(*) FROM event");
	/* under valgrind every point costs ~30 times more: walk every 7th */
	long stride = RUNNING_ON_VALGRIND ? 7 : 1;
	memset(w, 0, sizeof *w);
	for (long n = 1;; n += stride) {
		ck_assert_msg(n < 100000, "the walk does not end");
		copy_file(base, work);
		ck_assert_int_eq(faultvfs_install(), SQLITE_OK);
		bz_ledger *l = NULL;
		ck_assert_bz(bz_ledger_open(&l, work, 0));
		ck_assert_bz(bz_ledger_set_clock(l, "2026-12-01"));
		char mover[BZ_UUID_LEN + 1];
		person_in(l, c.edu, mover);
		faultvfs_arm(n, ops, err, persist);
		outcome o;
		the_transaction(&o, l, &c, mover, go_on);
		bool fired = faultvfs_fired();
		bz_ledger_close(l); /* may fail (a checkpoint on a failing disk): the reopen must cope */
		faultvfs_uninstall();

		if (!fired) { /* fewer operations than n: the walk is through */
			ck_assert_bz(o.rc);
			assert_whole(work);
			ck_assert_int_eq(int_on(work, "SELECT count(*) FROM unit"), units0 + 1);
			break;
		}
		w->points++;
		if (o.rc == BZ_OK)
			w->absorbed++;
		else {
			/* an I/O error is BZ_EIO; SQLite reports a read that fails as
			 * SQLITE_IOERR_READ, never as corruption, so BZ_ECORRUPT would
			 * be a finding */
			ck_assert_msg(o.rc == BZ_EIO, "N=%ld step %d: %d (%s)", n, o.step, o.rc, o.msg);
			w->eio++;
			w->lost += strstr(o.msg, "rolled the whole transaction back") != NULL;
			/* the message names the file and the cause */
			ck_assert_msg(strstr(o.msg, work) != NULL, "N=%ld step %d: no path in '%s'", n, o.step, o.msg);
			ck_assert_msg(strstr(o.msg, err == SQLITE_FULL && (ops & FAULT_WRITE) ? "full" : "I/O error"),
				      "N=%ld step %d: no cause in '%s'", n, o.step, o.msg);
		}
		/* reopened without the shim: intact, and all or nothing */
		if (getenv("BZ_FAULT_DEBUG"))
			fprintf(stderr, "N=%ld step %d rc %d commit %d unit %d person %d hire %d moved %d: %s\n", n, o.step, o.rc,
				o.commit, o.unit, o.person, o.hire, o.moved, o.msg);
		assert_whole(work);
		bz_ledger *r = NULL;
		ck_assert_bz(bz_ledger_open(&r, work, 0));
		int yes = 0;
		if (o.txn_id[0])
			ck_assert_bz(bz_txn_committed(&yes, r, o.txn_id));
		bz_ledger_close(r);
		if (o.commit == BZ_OK)
			ck_assert_msg(yes == 1, "N=%ld: committed, but not in the ledger", n);
		else if (yes)
			w->committed++; /* the commit failed late (a sync after the frames were written): knowable */
		long long units = int_on(work, "SELECT count(*) FROM unit");
		long long placements = int_on(work, "SELECT count(*) FROM placement");
		long long events = int_on(work, "SELECT count(*) FROM event");
		long long person = int_on(work, "SELECT count(*) FROM person WHERE name = '孙振东'");
		/* in the ledger: exactly the changes that said BZ_OK if the transaction is, nothing if not */
		ck_assert_msg(units == units0 + (yes && o.unit), "N=%ld step %d: %lld units", n, o.step, units);
		ck_assert_int_eq(person, yes && o.person);
		ck_assert_int_eq(placements, placements0 + (yes && o.hire) + (yes && o.moved));
		if (!yes)
			ck_assert_int_eq(events, events0);
		else
			ck_assert_int_gt(events, events0);
	}
	ck_assert_int_gt(w->points, 10 / stride);
	tu_rm(work);
	tu_rm(base);
}

START_TEST(io_errors)
{
	walk w;
	io_walk(&w, FAULT_ANY, SQLITE_IOERR, false, false, "ioerr");
	fprintf(stderr, "faults: I/O error walk: %ld points (%ld BZ_EIO, %ld absorbed, %ld committed though the call failed)\n",
		w.points, w.eio, w.absorbed, w.committed);
	ck_assert_int_gt(w.eio, 0);
}
END_TEST

START_TEST(disk_full)
{
	walk w;
	io_walk(&w, FAULT_WRITE, SQLITE_FULL, true, false, "full");
	fprintf(stderr, "faults: full-disk walk: %ld points (%ld BZ_EIO, %ld absorbed, %ld committed though the call failed)\n",
		w.points, w.eio, w.absorbed, w.committed);
	ck_assert_int_gt(w.eio, 0);
}
END_TEST

/* the caller goes on after a failed change (it is taken back; the
 * transaction stays usable) and commits: the ledger holds exactly what the
 * calls said, or nothing */
START_TEST(persevering_caller)
{
	walk w;
	io_walk(&w, FAULT_ANY, SQLITE_IOERR, false, true, "goon");
	fprintf(stderr, "faults: persevering caller walk: %ld points (%ld BZ_EIO, %ld absorbed, %ld committed though a call "
		"failed, %ld rolled back by SQLite)\n", w.points, w.eio, w.absorbed, w.committed, w.lost);
	ck_assert_int_gt(w.eio, 0);
	ck_assert_int_gt(w.lost, 0); /* they were committed piecemeal before 20eedc1 */
}
END_TEST

START_TEST(dead_disk)
{
	/* the disk dies at the Nth read, sync or truncate and stays dead */
	walk w;
	io_walk(&w, FAULT_SYNC | FAULT_TRUNCATE | FAULT_READ, SQLITE_IOERR, true, false, "dead");
	fprintf(stderr, "faults: dead-disk walk: %ld points (%ld BZ_EIO, %ld absorbed, %ld committed though the call failed)\n",
		w.points, w.eio, w.absorbed, w.committed);
}
END_TEST

/*
 * An export (exchange.h) over a disk whose Nth read fails: BZ_EIO and no
 * file, at every point. The facts of each change record are read one record
 * at a time while the records are written out (exchange.c, facts_of); a
 * read failing there was reported as out of memory (BZ_ENOMEM) until
 * issue 10's fix.
 */
START_TEST(export_read_errors)
{
	char base[256], work[300], file[320];
	snprintf(base, sizeof base, "%s", tu_tmpfile("xread"));
	snprintf(work, sizeof work, "%s.work", base);
	snprintf(file, sizeof file, "%s.jsonl", base);
	county c;
	build_county(&c, base, 5, 2);
	long stride = RUNNING_ON_VALGRIND ? 7 : 1, points = 0, eio = 0;
	for (long n = 1;; n += stride) {
		ck_assert_msg(n < 100000, "the walk does not end");
		copy_file(base, work);
		unlink(file);
		ck_assert_int_eq(faultvfs_install(), SQLITE_OK);
		bz_ledger *l = NULL;
		ck_assert_bz(bz_ledger_open(&l, work, 0));
		faultvfs_arm(n, FAULT_READ, SQLITE_IOERR, false);
		int rc = bz_ledger_export(NULL, l, file, NULL);
		char msg[BZ_ERRMSG_MAX];
		snprintf(msg, sizeof msg, "%s", bz_ledger_errmsg(l));
		bool fired = faultvfs_fired();
		bz_ledger_close(l);
		faultvfs_uninstall();
		if (!fired) {
			ck_assert_msg(rc == BZ_OK, "N=%ld: %d (%s)", n, rc, msg);
			break;
		}
		points++;
		if (rc == BZ_OK)
			continue;
		ck_assert_msg(rc == BZ_EIO, "N=%ld: %d (%s)", n, rc, msg);
		ck_assert_msg(strstr(msg, "I/O error"), "N=%ld: no cause in '%s'", n, msg);
		ck_assert_msg(access(file, F_OK) != 0, "N=%ld: a failed export left %s", n, file);
		eio++;
	}
	fprintf(stderr, "faults: export read-error walk: %ld points (%ld BZ_EIO)\n", points, eio);
	ck_assert_int_gt(eio, 0);
	unlink(file);
	tu_rm(work);
	tu_rm(base);
}
END_TEST

/* ---- crash: a writer killed at random moments ------------------------- */

/* "YYYY-MM-DD" of 2027-01-01 plus n days */
static void day_of(char out[BZ_DATE_LEN + 1], int year, long n)
{
	struct tm tm = {.tm_year = year - 1900, .tm_mon = 0, .tm_mday = 1 + (int)n, .tm_hour = 12};
	time_t t = timegm(&tm);
	gmtime_r(&t, &tm);
	strftime(out, BZ_DATE_LEN + 1, "%Y-%m-%d", &tm);
}

static long long int_of(bz_ledger *l, const char *sql)
{
	sqlite3_stmt *st = NULL;
	long long v = -1;
	if (sqlite3_prepare_v2(l->db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* a person in post (and their unit), picked at random; false if none */
static bool someone(bz_ledger *l, unsigned *seed, char person[BZ_UUID_LEN + 1], char unit[BZ_UUID_LEN + 1])
{
	sqlite3_stmt *st = NULL;
	bool found = false;
	if (sqlite3_prepare_v2(l->db,
			       "SELECT person, unit FROM placement p WHERE NOT EXISTS"
			       " (SELECT 1 FROM placement_exit x WHERE x.placement = p.id) ORDER BY id LIMIT 1 OFFSET ?1",
			       -1, &st, NULL) != SQLITE_OK)
		return false;
	sqlite3_bind_int(st, 1, (int)(rand_r(seed) % 8));
	if (sqlite3_step(st) == SQLITE_ROW) {
		snprintf(person, BZ_UUID_LEN + 1, "%s", (const char *)sqlite3_column_text(st, 0));
		snprintf(unit, BZ_UUID_LEN + 1, "%s", (const char *)sqlite3_column_text(st, 1));
		found = true;
	}
	sqlite3_finalize(st);
	return found;
}

/* one change in its own transaction: a hire (a slip, a person, the entry),
 * a transfer to the other unit (a slip there, the move) or a retirement;
 * dated one day after the last transaction, so every one is later */
static int one_change(bz_ledger *l, const county *c, unsigned *seed, const char *who)
{
	long long n = int_of(l, "SELECT coalesce(max(id), 0) FROM txn_log");
	char d[BZ_DATE_LEN + 1], birth[BZ_DATE_LEN + 1], until[BZ_DATE_LEN + 1];
	day_of(d, 2027, n);
	day_of(until, 2027, n + 90);
	day_of(birth, 1970, n);
	bz_ledger_set_clock(l, d);
	bz_txn *t = NULL;
	int rc = bz_txn_begin(&t, l, who, "武都区编办");
	if (rc != BZ_OK)
		return rc;
	rc = bz_txn_set_document(t, c->doc);
	int op = (int)(rand_r(seed) % 4);
	char person[BZ_UUID_LEN + 1], unit[BZ_UUID_LEN + 1];
	bz_slip *sl = NULL;
	bz_person *p = NULL;
	if (op >= 2 && someone(l, seed, person, unit)) {
		if (op == 2) {
			const char *to = strcmp(unit, c->edu) == 0 ? c->hr : c->edu;
			if (rc == BZ_OK)
				rc = bz_slip_issue(&sl, t, to, CAT, 1, BZ_PURPOSE_TRANSFER_IN, d, until, NULL);
			if (rc == BZ_OK)
				rc = bz_placement_transfer(NULL, t, person, to, CAT, bz_slip_uuid(sl), d);
		} else if (rc == BZ_OK)
			rc = bz_placement_exit(t, person, BZ_EXIT_RETIREMENT, d);
	} else {
		const char *to = rand_r(seed) % 2 ? c->hr : c->edu;
		char id[19], b8[9];
		snprintf(b8, sizeof b8, "%.4s%.2s%.2s", birth, birth + 5, birth + 8);
		sf_idnum(id, "621202", b8, (int)(rand_r(seed) % 1000));
		if (rc == BZ_OK)
			rc = bz_slip_issue(&sl, t, to, CAT, 1, BZ_PURPOSE_RECRUIT, d, until, NULL);
		if (rc == BZ_OK)
			rc = bz_person_register(&p, t, id, "周文斌", 0, NULL);
		if (rc == BZ_OK)
			rc = bz_placement_enter(NULL, t, bz_person_uuid(p), to, CAT, bz_slip_uuid(sl), BZ_ENTRY_RECRUIT, d);
	}
	rc = rc == BZ_OK ? bz_txn_commit(t) : (bz_txn_rollback(t), rc);
	bz_slip_free(sl);
	bz_person_free(p);
	bz_txn_free(t);
	return rc;
}

/* the killed writer: changes until the SIGKILL */
static _Noreturn void crash_writer(const char *path, const county *c, int ready, unsigned seed)
{
	bz_ledger *l = NULL;
	if (bz_ledger_open(&l, path, 0) != BZ_OK)
		_exit(2);
	for (bool first = true;; first = false) {
		int rc = one_change(l, c, &seed, "录入员");
		if (rc != BZ_OK && rc != BZ_ECONSTRAINT && rc != BZ_EEXISTS)
			_exit(4);
		/* one change made: the kill comes at a random moment of the next ones */
		if (first && write(ready, "r", 1) != 1)
			_exit(3);
	}
}

static long env_long(const char *name, long dflt)
{
	const char *v = getenv(name);
	return v && *v ? strtol(v, NULL, 10) : dflt;
}

START_TEST(killed_writer)
{
	char path[256];
	snprintf(path, sizeof path, "%s", tu_tmpfile("kill"));
	county c;
	build_county(&c, path, 100000, 6);
	long kills = env_long("BZ_FAULT_KILLS", RUNNING_ON_VALGRIND ? 20 : 200);
	unsigned seed0 = (unsigned)env_long("BZ_FAULT_SEED", 20261201), seed = seed0;
	long long txns0 = int_on(path, "SELECT count(*) FROM txn_log");
	double t0 = now_ms();
	for (long k = 0; k < kills; k++) {
		int fd[2];
		ck_assert_int_eq(pipe(fd), 0);
		unsigned child_seed = (unsigned)rand_r(&seed);
		pid_t pid = fork();
		ck_assert_int_ge(pid, 0);
		if (pid == 0) {
			close(fd[0]);
			crash_writer(path, &c, fd[1], child_seed);
		}
		close(fd[1]);
		char b;
		ck_assert_msg(read(fd[0], &b, 1) == 1, "kill %ld: the writer did not make its first change", k);
		close(fd[0]);
		/* a few ms more of writing, and the kill at a random moment of it */
		usleep((useconds_t)(rand_r(&seed) % (RUNNING_ON_VALGRIND ? 100000 : 6000)));
		ck_assert_int_eq(kill(pid, SIGKILL), 0);
		int status = 0;
		ck_assert_int_eq(waitpid(pid, &status, 0), pid);
		ck_assert_msg(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "kill %ld: the writer ended by itself (%d)",
			      k, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		assert_whole(path);
	}
	long long txns = int_on(path, "SELECT count(*) FROM txn_log") - txns0;
	fprintf(stderr, "faults: %ld kills (seed %u) in %.1f s, %lld transactions committed between them\n", kills, seed0,
		(now_ms() - t0) / 1e3, txns);
	/* the writer did write (a change before each kill, refusals aside) */
	ck_assert_int_ge(txns, kills / 2);
	tu_rm(path);
}
END_TEST

/* ---- many writers, busy handling, readers and writers ----------------- */

enum { WRITERS = 8, ROUNDS = 12 };

/* a writer of its own process: hires, transfers its own people, slips */
static int shared_writer(const char *path, const county *c, int w, int report)
{
	int refused = 0;
	bz_ledger *l = NULL;
	if (bz_ledger_open(&l, path, 0) != BZ_OK)
		return 2;
	/* the default 5 s; under valgrind a transaction takes ~30 times longer
	 * and eight writers queue behind each other for longer than that */
	if (RUNNING_ON_VALGRIND && bz_ledger_set_busy_timeout(l, 120000) != BZ_OK)
		return 3;
	int bad = 0;
	char mine[ROUNDS][BZ_UUID_LEN + 1];
	int nmine = 0;
	for (int r = 0; r < ROUNDS && !bad; r++) {
		char d[BZ_DATE_LEN + 1];
		day_of(d, 2027, r);
		bz_ledger_set_clock(l, d);
		bz_txn *t = NULL;
		int rc = bz_txn_begin(&t, l, "录入员", "武都区编办");
		if (rc != BZ_OK) {
			bad = 10 + (rc == BZ_EBUSY);
			break;
		}
		const char *to = (r + w) % 2 ? c->hr : c->edu;
		bz_slip *sl = NULL;
		bz_person *p = NULL;
		rc = bz_txn_set_document(t, c->doc);
		if (rc == BZ_OK)
			rc = bz_slip_issue(&sl, t, to, CAT, 1, r % 3 == 2 ? BZ_PURPOSE_TRANSFER_IN : BZ_PURPOSE_RECRUIT, d,
					   "2027-12-31", NULL);
		if (r % 3 == 2 && nmine > 0) { /* move one of its own people to this unit */
			if (rc == BZ_OK)
				rc = bz_placement_transfer(NULL, t, mine[nmine - 1], to, CAT, bz_slip_uuid(sl), d);
		} else if (r % 3 == 1) { /* a slip only: reserves a post */
		} else {
			char id[19];
			sf_idnum(id, "621202", "19880101", w * 100 + r);
			if (rc == BZ_OK && (rc = bz_person_register(&p, t, id, "马文静", 0, NULL)) == BZ_OK)
				snprintf(mine[nmine], BZ_UUID_LEN + 1, "%s", bz_person_uuid(p));
			if (rc == BZ_OK)
				rc = bz_placement_enter(NULL, t, bz_person_uuid(p), to, CAT, bz_slip_uuid(sl), BZ_ENTRY_RECRUIT, d);
		}
		if (rc == BZ_OK) {
			rc = bz_txn_commit(t);
			if (rc == BZ_OK && p)
				nmine++;
		} else
			bz_txn_rollback(t);
		/* refused by the rules (the shared units are full: R1) is fine; anything else is not */
		if (rc != BZ_OK && rc != BZ_ECONSTRAINT)
			bad = 20 + (rc == BZ_EBUSY);
		refused += rc == BZ_ECONSTRAINT;
		bz_slip_free(sl);
		bz_person_free(p);
		bz_txn_free(t);
	}
	bz_ledger_close(l);
	if (write(report, &refused, sizeof refused) != sizeof refused)
		bad = 30;
	return bad;
}

START_TEST(eight_writers)
{
	char path[256];
	snprintf(path, sizeof path, "%s", tu_tmpfile("writers"));
	county c;
	/* 2 × 20 posts for 8 writers' 32 hires and 32 reserving slips: the last
	 * posts are raced for, and some are refused (R1) */
	build_county(&c, path, 20, 0);
	alarm(RUNNING_ON_VALGRIND ? 600 : 120); /* a deadlock kills the test instead of hanging it */
	int fd[2];
	ck_assert_int_eq(pipe(fd), 0);
	double t0 = now_ms();
	pid_t kids[WRITERS];
	for (int w = 0; w < WRITERS; w++) {
		kids[w] = fork();
		ck_assert_int_ge(kids[w], 0);
		if (kids[w] == 0) {
			close(fd[0]);
			_exit(shared_writer(path, &c, w, fd[1]));
		}
	}
	close(fd[1]);
	int refused = 0, r;
	while (read(fd[0], &r, sizeof r) == sizeof r)
		refused += r;
	close(fd[0]);
	for (int w = 0; w < WRITERS; w++) {
		int status;
		ck_assert_int_eq(waitpid(kids[w], &status, 0), kids[w]);
		ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "writer %d: status %d", w,
			      WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	}
	alarm(0);
	double ms = now_ms() - t0;
	assert_whole(path);
	/* the units filled up to their establishment, never past it */
	long long placed = int_on(path, "SELECT count(*) FROM placement p WHERE NOT EXISTS"
					" (SELECT 1 FROM placement_exit x WHERE x.placement = p.id)");
	ck_assert_int_gt(placed, 10);
	ck_assert_int_le(placed, 40);
	ck_assert_int_gt(refused, 0);
	fprintf(stderr, "faults: %d writers, %lld in post, %lld transactions, %d refused (R1), %.0f ms\n", WRITERS, placed,
		int_on(path, "SELECT count(*) FROM txn_log"), refused, ms);
	tu_rm(path);
}
END_TEST

START_TEST(busy_timeout)
{
	char path[256];
	snprintf(path, sizeof path, "%s", tu_tmpfile("busy"));
	county c;
	build_county(&c, path, 10, 1);
	int go[2], locked[2];
	ck_assert_int_eq(pipe(go), 0);
	ck_assert_int_eq(pipe(locked), 0);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) { /* the other writer, waiting for its go */
		close(go[1]);
		close(locked[0]);
		bz_ledger *h = NULL;
		bz_txn *th = NULL;
		char g;
		if (read(go[0], &g, 1) != 1 || bz_ledger_open(&h, path, 0) != BZ_OK ||
		    bz_txn_begin(&th, h, "录入员", "武都区编办") != BZ_OK)
			_exit(1);
		if (write(locked[1], "l", 1) != 1)
			_exit(1);
		usleep(200000);
		int rc = bz_txn_rollback(th);
		bz_txn_free(th);
		bz_ledger_close(h);
		_exit(rc == BZ_OK ? 0 : 1);
	}
	close(go[0]);
	close(locked[1]);
	bz_ledger *a = NULL, *b = NULL;
	ck_assert_bz(bz_ledger_open(&a, path, 0));
	ck_assert_bz(bz_ledger_open(&b, path, 0));
	/* a holds the write lock */
	bz_txn *ta = tu_begin(a);
	ck_assert_bz(bz_txn_set_document(ta, c.doc));
	ck_assert_bz(bz_slip_issue(NULL, ta, c.edu, CAT, 1, BZ_PURPOSE_RECRUIT, "2026-12-01", "2027-03-31", NULL));

	bz_txn *tb = NULL;
	ck_assert_bz(bz_ledger_set_busy_timeout(b, 300));
	double t0 = now_ms();
	ck_assert_int_eq(bz_txn_begin(&tb, b, "tester", "测试编办"), BZ_EBUSY);
	double waited = now_ms() - t0;
	ck_assert_ptr_null(tb);
	ck_assert_msg(waited >= 250 && waited < 3000, "waited %.0f ms for a 300 ms timeout", waited);
	const char *msg = bz_ledger_errmsg(b);
	ck_assert_msg(strstr(msg, "locked by another connection") && strstr(msg, "300 ms"), "%s", msg);

	/* 0: no wait at all */
	ck_assert_bz(bz_ledger_set_busy_timeout(b, 0));
	t0 = now_ms();
	ck_assert_int_eq(bz_txn_begin(&tb, b, "tester", "测试编办"), BZ_EBUSY);
	ck_assert_msg(now_ms() - t0 < 200, "timeout 0 waited %.0f ms", now_ms() - t0);
	ck_assert_ptr_nonnull(strstr(bz_ledger_errmsg(b), "(0 ms"));

	/* out of range: refused, the timeout unchanged */
	ck_assert_int_eq(bz_ledger_set_busy_timeout(b, -1), BZ_EINVAL);
	ck_assert_ptr_nonnull(strstr(bz_ledger_errmsg(b), "-1"));
	ck_assert_int_eq(bz_ledger_set_busy_timeout(b, BZ_BUSY_TIMEOUT_MAX + 1), BZ_EINVAL);
	ck_assert_int_eq(bz_ledger_set_busy_timeout(NULL, 100), BZ_EINVAL);
	ck_assert_int_eq(bz_txn_begin(&tb, b, "tester", "测试编办"), BZ_EBUSY);
	ck_assert_ptr_nonnull(strstr(bz_ledger_errmsg(b), "(0 ms"));

	/* a long enough timeout waits for another writer and goes on */
	ck_assert_bz(bz_ledger_set_busy_timeout(b, 5000));
	ck_assert_bz(bz_txn_commit(ta));
	bz_txn_free(ta);
	/* another process holds the lock for 200 ms (forked before a and b were
	 * opened, so it has no copy of them) */
	ck_assert_int_eq(write(go[1], "g", 1), 1);
	close(go[1]);
	char ch;
	ck_assert_int_eq(read(locked[0], &ch, 1), 1);
	close(locked[0]);
	t0 = now_ms();
	ck_assert_bz(bz_txn_begin(&tb, b, "tester", "测试编办"));
	waited = now_ms() - t0;
	ck_assert_msg(waited >= 100, "began after %.0f ms although another process held the lock for 200", waited);
	ck_assert_bz(bz_txn_rollback(tb));
	bz_txn_free(tb);
	int status;
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	bz_ledger_close(a);
	bz_ledger_close(b);
	tu_rm(path);
}
END_TEST

/* a reader in the middle of a roster never blocks a writer (WAL), and sees
 * one state throughout: the roster as it was when it began */
START_TEST(reader_does_not_block_writer)
{
	char path[256];
	snprintf(path, sizeof path, "%s", tu_tmpfile("reader"));
	county c;
	build_county(&c, path, 10, 4);
	bz_ledger *r = NULL, *w = NULL;
	ck_assert_bz(bz_ledger_open(&r, path, 0));
	ck_assert_bz(bz_ledger_open(&w, path, 0));
	ck_assert_bz(bz_ledger_set_clock(w, "2026-12-01"));
	ck_assert_bz(bz_ledger_set_busy_timeout(w, 0)); /* a wait would be a BZ_EBUSY at once */
	bz_placement_iter *it = NULL;
	bz_placement *p = NULL;
	ck_assert_bz(bz_roster(&it, r, c.edu, "2026-12-31"));
	ck_assert_bz(bz_placement_iter_next(&p, it));
	bz_placement_free(p);
	int seen = 1;

	fx F = {.l = w};
	memcpy(F.county_doc, c.doc, sizeof c.doc);
	char person[BZ_UUID_LEN + 1], slip[BZ_UUID_LEN + 1];
	sf_person(&F, person, "杨建军", "19900303", 401);
	ck_assert_bz(sf_slip(&F, slip, c.edu, CAT, 1, "2026-12-01", "2027-03-31"));
	ck_assert_bz(sf_hire(&F, person, c.edu, CAT, slip, "2026-12-01"));

	while (bz_placement_iter_next(&p, it) == BZ_OK) {
		seen++;
		ck_assert_str_ne(bz_placement_person(p), person);
		bz_placement_free(p);
	}
	bz_placement_iter_free(it);
	ck_assert_int_eq(seen, 4); /* the state when the reading began */
	ck_assert_bz(bz_roster(&it, r, c.edu, "2026-12-31"));
	seen = 0;
	while (bz_placement_iter_next(&p, it) == BZ_OK) {
		seen++;
		bz_placement_free(p);
	}
	bz_placement_iter_free(it);
	ck_assert_int_eq(seen, 5); /* and the new one afterwards */
	bz_ledger_close(w);
	bz_ledger_close(r);
	tu_rm(path);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("faults");
	TCase *io = tcase_create("io");
	tcase_set_timeout(io, 600);
	tcase_add_test(io, io_errors);
	tcase_add_test(io, disk_full);
	tcase_add_test(io, dead_disk);
	tcase_add_test(io, persevering_caller);
	tcase_add_test(io, export_read_errors);
	suite_add_tcase(s, io);
	TCase *crash = tcase_create("crash");
	tcase_set_timeout(crash, 3600); /* ./bz soak: thousands of kills */
	tcase_add_test(crash, killed_writer);
	suite_add_tcase(s, crash);
	TCase *conc = tcase_create("concurrency");
	tcase_set_timeout(conc, 300);
	tcase_add_test(conc, eight_writers);
	tcase_add_test(conc, busy_timeout);
	tcase_add_test(conc, reader_does_not_block_writer);
	suite_add_tcase(s, conc);
	return tu_run(s);
}
