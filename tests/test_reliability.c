/* test_reliability.c: the ledger tried as a faulty disk, a crafted file and a
 * careless caller would (issue 11): schema versions out of range, a foreign
 * database carrying the ledger's id, several processes creating one ledger
 * at once, a FIFO, a read-only mount, the cause of a failed open, dates at
 * the end of the calendar and counts past any real figure. */
#define _GNU_SOURCE
#include "staff_fixture.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* a test that could hang (a FIFO, a loop over a version) dies instead */
static void guard(unsigned seconds)
{
	alarm(seconds);
}

static void sql_on(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	char *err = NULL;
	int rc = sqlite3_exec(db, sql, NULL, NULL, &err);
	ck_assert_msg(rc == SQLITE_OK, "%s: %s", sql, err ? err : "?");
	sqlite3_close(db);
}

static int int_on(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	int v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

/* a ledger file with one jurisdiction in it */
static void make_ledger(const char *path)
{
	bz_ledger *l = NULL;
	ck_assert_bz(bz_ledger_open(&l, path, BZ_OPEN_CREATE));
	bz_txn *t = tu_begin(l);
	ck_assert_bz(bz_jurisdiction_create(NULL, t, "620000", "甘肃省", NULL));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	ck_assert_bz(bz_ledger_close(l));
}

/* ---- schema versions out of range ------------------------------------ */

/* PRAGMA user_version is any 32-bit number: negative ones used to index the
 * migrations before their start (UBSan: index -2), a very negative one
 * opened "successfully", INT_MIN looped for ever */
START_TEST(schema_version_out_of_range)
{
	guard(20);
	static const struct {
		const char *version;
		int code;
	} cases[] = {
		{"-1", BZ_ENOTLEDGER}, {"-2", BZ_ENOTLEDGER}, {"-100000", BZ_ENOTLEDGER},
		{"-2147483648", BZ_ENOTLEDGER}, {"0", BZ_ENOTLEDGER},
		{"99", BZ_ESCHEMA}, {"2147483647", BZ_ESCHEMA},
	};
	char path[256];
	snprintf(path, sizeof path, "%s", tu_tmpfile("version"));
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		make_ledger(path);
		char sql[64];
		snprintf(sql, sizeof sql, "PRAGMA user_version=%s", cases[i].version);
		sql_on(path, sql);
		for (unsigned flags = 0; flags <= BZ_OPEN_READONLY; flags += BZ_OPEN_READONLY) {
			bz_ledger *l = NULL;
			int rc = bz_ledger_open(&l, path, flags);
			ck_assert_msg(rc == cases[i].code, "user_version %s (flags %u): %d %s", cases[i].version, flags, rc,
				      bz_ledger_errmsg(NULL));
			ck_assert_ptr_null(l);
			/* the cause names the file */
			ck_assert_ptr_nonnull(strstr(bz_ledger_errmsg(NULL), path));
		}
		/* and the file is left as it was */
		char want[16];
		snprintf(want, sizeof want, "%s", cases[i].version);
		ck_assert_int_eq(int_on(path, "PRAGMA user_version"), (int)strtol(want, NULL, 10));
		ck_assert_int_eq(int_on(path, "SELECT count(*) FROM jurisdiction"), 1);
		tu_rm(path);
	}
}
END_TEST

/* a database of another program that carries the ledger's application id
 * (by accident or on purpose) is not converted into a ledger */
START_TEST(foreign_database_with_the_ledger_id)
{
	guard(20);
	char path[256];
	snprintf(path, sizeof path, "%s", tu_tmpfile("foreign"));
	for (int v = 1; v <= BZ_SCHEMA_VERSION; v++) {
		char sql[256];
		snprintf(sql, sizeof sql,
			 "CREATE TABLE 人员(姓名 TEXT, 身份证号 TEXT); INSERT INTO 人员 VALUES('张伟','621202198506150011');"
			 "PRAGMA application_id=%d; PRAGMA user_version=%d", 0x425A4C31, v);
		sql_on(path, sql);
		bz_ledger *l = NULL;
		ck_assert_int_eq(bz_ledger_open(&l, path, 0), BZ_ENOTLEDGER);
		ck_assert_ptr_null(l);
		ck_assert_ptr_nonnull(strstr(bz_ledger_errmsg(NULL), "not the ledger's tables"));
		ck_assert_int_eq(bz_ledger_open(&l, path, BZ_OPEN_CREATE), BZ_ENOTLEDGER);
		/* nothing added to it */
		ck_assert_int_eq(int_on(path, "SELECT count(*) FROM sqlite_schema"), 1);
		ck_assert_int_eq(int_on(path, "PRAGMA user_version"), v);
		tu_rm(path);
	}
	/* a ledger's tables without its mark in meta: not a ledger either */
	make_ledger(path);
	sql_on(path, "UPDATE meta SET value='another' WHERE key='application'");
	bz_ledger *l = NULL;
	ck_assert_int_eq(bz_ledger_open(&l, path, 0), BZ_ENOTLEDGER);
	tu_rm(path);
}
END_TEST

/* ---- several processes creating one ledger ---------------------------- */

START_TEST(concurrent_create)
{
	guard(120);
	enum { PROCS = 8, ROUNDS = 12 };
	char path[256];
	snprintf(path, sizeof path, "%s", tu_tmpfile("race"));
	for (int round = 0; round < ROUNDS; round++) {
		tu_rm(path);
		pid_t pid[PROCS];
		for (int i = 0; i < PROCS; i++) {
			pid[i] = fork();
			ck_assert_int_ge(pid[i], 0);
			if (pid[i] == 0) {
				bz_ledger *l = NULL;
				int rc = bz_ledger_open(&l, path, BZ_OPEN_CREATE);
				int v = 0;
				if (rc == BZ_OK)
					rc = bz_ledger_schema_version(&v, l);
				if (rc == BZ_OK && v != BZ_SCHEMA_VERSION)
					rc = BZ_ESCHEMA;
				/* and each can write in it */
				bz_txn *t = NULL;
				if (rc == BZ_OK)
					rc = bz_txn_begin(&t, l, "录入员", "武都区委编办");
				static const char *const province[][2] = {
					{"110000", "北京市"}, {"120000", "天津市"}, {"130000", "河北省"}, {"140000", "山西省"},
					{"610000", "陕西省"}, {"620000", "甘肃省"}, {"630000", "青海省"}, {"640000", "宁夏回族自治区"},
				};
				if (rc == BZ_OK)
					rc = bz_jurisdiction_create(NULL, t, province[i][0], province[i][1], NULL);
				if (rc == BZ_OK)
					rc = bz_txn_commit(t);
				if (rc != BZ_OK)
					fprintf(stderr, "process %d: %d %s / %s\n", i, rc, bz_ledger_errmsg(l), bz_ledger_errmsg(NULL));
				bz_txn_free(t);
				bz_ledger_close(l);
				_exit(rc == BZ_OK ? 0 : 1);
			}
		}
		int ok = 0;
		for (int i = 0; i < PROCS; i++) {
			int status = 0;
			ck_assert_int_eq(waitpid(pid[i], &status, 0), pid[i]);
			ok += WIFEXITED(status) && WEXITSTATUS(status) == 0;
		}
		ck_assert_msg(ok == PROCS, "round %d: %d of %d processes opened the new ledger", round, ok, PROCS);
		/* created once: one mark, one schema, every process's jurisdiction */
		ck_assert_int_eq(int_on(path, "SELECT count(*) FROM meta WHERE key='application'"), 1);
		ck_assert_int_eq(int_on(path, "PRAGMA user_version"), BZ_SCHEMA_VERSION);
		ck_assert_int_eq(int_on(path, "SELECT count(*) FROM jurisdiction"), PROCS);
		bz_ledger *l = NULL;
		ck_assert_bz(bz_ledger_open(&l, path, 0));
		bz_report *r = NULL;
		ck_assert_bz(bz_ledger_check(&r, l, NULL));
		ck_assert_uint_eq(bz_report_errors(r), 0);
		bz_report_free(r);
		ck_assert_bz(bz_ledger_close(l));
	}
	tu_rm(path);
}
END_TEST

/* ---- files that are no ledger, places that cannot be written ---------- */

START_TEST(fifo_and_directory_refused)
{
	guard(10);
	char path[256];
	snprintf(path, sizeof path, "%s", tu_tmpfile("fifo"));
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	bz_ledger *l = NULL;
	ck_assert_int_eq(bz_ledger_open(&l, path, 0), BZ_ENOTLEDGER);
	ck_assert_ptr_nonnull(strstr(bz_ledger_errmsg(NULL), "not a regular file"));
	ck_assert_int_eq(bz_ledger_open(&l, path, BZ_OPEN_READONLY), BZ_ENOTLEDGER);
	ck_assert_int_eq(bz_ledger_open(&l, path, BZ_OPEN_CREATE), BZ_ENOTLEDGER);
	unlink(path);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	ck_assert_int_eq(bz_ledger_open(&l, path, BZ_OPEN_CREATE), BZ_EIO);
	ck_assert_ptr_nonnull(strstr(bz_ledger_errmsg(NULL), "Is a directory"));
	rmdir(path);
}
END_TEST

/* the cause of a failed open stays readable: bz_ledger_errmsg(NULL) */
START_TEST(failed_open_says_why)
{
	bz_ledger *l = NULL;
	const char *missing = "/nonexistent-陇南/武都区.ledger";
	ck_assert_int_eq(bz_ledger_open(&l, missing, BZ_OPEN_CREATE), BZ_EIO);
	const char *msg = bz_ledger_errmsg(NULL);
	ck_assert_msg(strstr(msg, missing) && strstr(msg, "No such file or directory"), "%s", msg);
	ck_assert_int_eq(bz_ledger_open(&l, missing, 0), BZ_EIO);
	/* not a database at all */
	char path[256];
	snprintf(path, sizeof path, "%s", tu_tmpfile("text"));
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	for (int i = 0; i < 200; i++)
		fputs("单位名称,统一社会信用代码,编制数\n", f);
	fclose(f);
	ck_assert_int_eq(bz_ledger_open(&l, path, 0), BZ_ENOTLEDGER);
	msg = bz_ledger_errmsg(NULL);
	ck_assert_msg(strstr(msg, path) && strstr(msg, "not an SQLite database"), "%s", msg);
	unlink(path);
	/* bad arguments say which */
	ck_assert_int_eq(bz_ledger_open(&l, "", 0), BZ_EINVAL);
	ck_assert_ptr_nonnull(strstr(bz_ledger_errmsg(NULL), "non-empty UTF-8"));
	ck_assert_int_eq(bz_ledger_open(&l, ":memory:", BZ_OPEN_READONLY | BZ_OPEN_CREATE), BZ_EINVAL);
	ck_assert_ptr_nonnull(strstr(bz_ledger_errmsg(NULL), "read-only"));
	/* a successful open forgets the last failure */
	ck_assert_bz(bz_ledger_open(&l, ":memory:", BZ_OPEN_CREATE));
	ck_assert_str_eq(bz_ledger_errmsg(NULL), "no ledger handle (NULL)");
	bz_ledger_close(l);
}
END_TEST

/* in a child of its own mount namespace: a tmpfs holding a ledger, mounted
 * read-only; 0 passed, 77 cannot mount here, other: failed */
static int readonly_mount_child(const char *dir)
{
	if (unshare(CLONE_NEWNS) != 0 || mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) != 0 ||
	    mount("tmpfs", dir, "tmpfs", 0, "size=8m") != 0)
		return 77;
	char path[300];
	snprintf(path, sizeof path, "%s/陇南市.ledger", dir);
	make_ledger(path);
	if (mount("tmpfs", dir, "tmpfs", MS_REMOUNT | MS_RDONLY, NULL) != 0)
		return 77;
	bz_ledger *l = NULL;
	int rc = bz_ledger_open(&l, path, BZ_OPEN_READONLY);
	if (rc != BZ_OK) {
		fprintf(stderr, "read-only open: %d %s\n", rc, bz_ledger_errmsg(NULL));
		return 1;
	}
	bz_jurisdiction *j = NULL;
	rc = bz_jurisdiction_lookup(&j, l, "620000");
	if (rc != BZ_OK || strcmp(bz_jurisdiction_name(j), "甘肃省") != 0) {
		fprintf(stderr, "read-only read: %d %s\n", rc, bz_ledger_errmsg(l));
		return 2;
	}
	bz_jurisdiction_free(j);
	bz_txn *t = NULL;
	if (bz_txn_begin(&t, l, "录入员", "陇南市委编办") != BZ_EIO)
		return 3;
	bz_ledger_close(l);
	/* writable, it cannot be: the cause says so */
	rc = bz_ledger_open(&l, path, 0);
	if (rc != BZ_EIO || !strstr(bz_ledger_errmsg(NULL), "Read-only file system")) {
		fprintf(stderr, "read-write open: %d %s\n", rc, bz_ledger_errmsg(NULL));
		return 4;
	}
	return 0;
}

START_TEST(readonly_mount)
{
	guard(30);
	char dir[] = "/tmp/bz-ro-XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		_exit(readonly_mount_child(dir));
	int status = 0;
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	rmdir(dir); /* the tmpfs was mounted in the child's namespace only */
	ck_assert(WIFEXITED(status));
	if (WEXITSTATUS(status) == 77) {
		fprintf(stderr, "readonly_mount: skipped (cannot mount a tmpfs here)\n");
		return;
	}
	ck_assert_int_eq(WEXITSTATUS(status), 0);
}
END_TEST

/* one person registered in a transaction of its own; the commit's status (the message in *msg) */
static int register_one(bz_ledger *l, int i, char *msg, size_t len)
{
	char id[19], birth[9];
	snprintf(birth, sizeof birth, "19%02d0312", 60 + (i / 1000) % 40);
	sf_idnum(id, "621226", birth, i % 1000);
	bz_txn *t = NULL;
	int rc = bz_txn_begin(&t, l, "录入员", "礼县编办");
	if (rc == BZ_OK) {
		rc = bz_person_register(NULL, t, id, "赵建华", 0, NULL);
		if (rc == BZ_OK)
			rc = bz_txn_commit(t);
		else
			bz_txn_rollback(t);
	}
	snprintf(msg, len, "%s", bz_ledger_errmsg(l));
	bz_txn_free(t);
	return rc;
}

/* the ledger's full check: 0 errors, or -1 */
static long check_errors(bz_ledger *l)
{
	bz_report *r = NULL;
	if (bz_ledger_check(&r, l, "2030-12-31") != BZ_OK)
		return -1;
	long n = (long)bz_report_errors(r);
	bz_report_free(r);
	return n;
}

/*
 * In a child of its own mount namespace: a real tiny file system (tmpfs of
 * 1 MB) holding a ledger, filled to the brim by another file; transactions
 * go on until one fails. 0 passed, 77 cannot mount here, other: failed.
 */
static int full_disk_child(const char *dir)
{
	if (unshare(CLONE_NEWNS) != 0 || mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) != 0 ||
	    mount("tmpfs", dir, "tmpfs", 0, "size=1m") != 0)
		return 77;
	char path[300], filler[300], msg[BZ_ERRMSG_MAX];
	snprintf(path, sizeof path, "%s/礼县.ledger", dir);
	snprintf(filler, sizeof filler, "%s/filler", dir);
	make_ledger(path);
	bz_ledger *l = NULL;
	if (bz_ledger_open(&l, path, 0) != BZ_OK)
		return 1;
	if (register_one(l, 0, msg, sizeof msg) != BZ_OK) /* the statements and the WAL made */
		return 2;
	/* fill the file system, then give back 64 KB: room for a few transactions */
	FILE *f = fopen(filler, "wb");
	if (!f)
		return 3;
	static char block[4096];
	size_t written = 0;
	while (fwrite(block, 1, sizeof block, f) == sizeof block)
		written += sizeof block;
	fclose(f);
	if (truncate(filler, (off_t)(written > 65536 ? written - 65536 : 0)) != 0)
		return 4;
	int ok = 1, rc = BZ_OK;
	for (int i = 1; i < 5000 && (rc = register_one(l, i, msg, sizeof msg)) == BZ_OK; i++)
		ok++;
	if (rc != BZ_EIO || !strstr(msg, path) || !strstr(msg, strerror(ENOSPC))) {
		fprintf(stderr, "full disk after %d transactions: %d %s\n", ok, rc, msg);
		return 5;
	}
	fprintf(stderr, "full_disk_tmpfs: after %d transactions: %s\n", ok, msg);
	bz_ledger_close(l); /* may fail: its checkpoint has no room either */
	/* reopened on the full file system: intact, every committed transaction there */
	if (bz_ledger_open(&l, path, 0) != BZ_OK) {
		fprintf(stderr, "reopen on the full disk: %s\n", bz_ledger_errmsg(NULL));
		return 6;
	}
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	long people = -1;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, "SELECT count(*) FROM person", -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		people = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	if (people != ok || check_errors(l) != 0) {
		fprintf(stderr, "reopened: %ld people for %d commits, check %ld\n", people, ok, check_errors(l));
		return 8;
	}
	bz_ledger_close(l);
	/* room again: the ledger takes the next transaction */
	unlink(filler);
	if (bz_ledger_open(&l, path, 0) != BZ_OK || register_one(l, ok + 1, msg, sizeof msg) != BZ_OK ||
	    check_errors(l) != 0) {
		fprintf(stderr, "with room again: %s\n", msg);
		return 9;
	}
	bz_ledger_close(l);
	return 0;
}

/* a full disk, for real: BZ_EIO naming the file and the system's reason
 * (ENOSPC), the ledger reopened intact; skipped where no tmpfs can be mounted */
START_TEST(full_disk_tmpfs)
{
	guard(120);
	char dir[] = "/tmp/bz-full-XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		_exit(full_disk_child(dir));
	int status = 0;
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	rmdir(dir); /* the tmpfs was mounted in the child's namespace only */
	ck_assert(WIFEXITED(status));
	if (WEXITSTATUS(status) == 77) {
		fprintf(stderr, "full_disk_tmpfs: skipped (cannot mount a tmpfs here: not root, or no CAP_SYS_ADMIN)\n");
		return;
	}
	ck_assert_int_eq(WEXITSTATUS(status), 0);
}
END_TEST

/* a call that fails leaves its cause on the handle: never "not an error"
 * (these returned BZ_EINVAL or BZ_EMISUSE without a word, so the message of
 * the last successful call was still there) */
START_TEST(errors_are_never_not_an_error)
{
	bz_ledger *l = tu_ledger();
	bz_txn *t = tu_begin(l);
	ck_assert_bz(bz_jurisdiction_create(NULL, t, "620000", "甘肃省", NULL));
	ck_assert_bz(bz_txn_commit(t));
#define REFUSED(call, code) do { \
		char today_[BZ_DATE_LEN + 1]; \
		ck_assert_bz(bz_ledger_today(today_, sizeof today_, l)); \
		ck_assert_str_eq(bz_ledger_errmsg(l), "not an error"); \
		ck_assert_int_eq((call), (code)); \
		ck_assert_msg(strcmp(bz_ledger_errmsg(l), "not an error") != 0, "%s: no message", #call); \
	} while (0)
	bz_slip *s = NULL;
	bz_person *p = NULL;
	bz_placement_iter *pi = NULL;
	bz_slip_iter *si = NULL;
	bz_appointment_iter *ai = NULL;
	bz_card *c = NULL;
	char buf[4];
	REFUSED(bz_slip_lookup(&s, l, NULL), BZ_EINVAL);
	REFUSED(bz_slip_lookup_number(&s, l, NULL), BZ_EINVAL);
	REFUSED(bz_slip_list(&si, l, NULL), BZ_EINVAL);
	REFUSED(bz_person_lookup(&p, l, NULL), BZ_EINVAL);
	REFUSED(bz_person_lookup_card(&p, l, NULL), BZ_EINVAL);
	REFUSED(bz_roster(&pi, l, NULL, NULL), BZ_EINVAL);
	REFUSED(bz_roster(&pi, l, "00000000-0000-4000-8000-000000000000", "2026-02-30"), BZ_EINVAL);
	REFUSED(bz_person_history(&pi, l, NULL), BZ_EINVAL);
	REFUSED(bz_card_lookup(&c, l, NULL), BZ_EINVAL);
	REFUSED(bz_appointment_list(&ai, l, NULL, NULL), BZ_EINVAL);
	REFUSED(bz_ledger_today(buf, sizeof buf, l), BZ_EINVAL);
	REFUSED(bz_ledger_set_clock(l, "9999-12-31"), BZ_EINVAL);
	/* a finished transaction */
	REFUSED(bz_txn_rollback(t), BZ_EMISUSE);
	REFUSED(bz_txn_set_document(t, NULL), BZ_EMISUSE);
	REFUSED(bz_txn_commit(t), BZ_EMISUSE);
	REFUSED(bz_txn_set_opening(t, "2024-12-31", "00000000-0000-4000-8000-000000000000"), BZ_EMISUSE);
#undef REFUSED
	bz_txn_free(t);
	bz_ledger_close(l);
}
END_TEST

/* ---- the end of the calendar, counts past any real figure ------------- */

START_TEST(date_bounds)
{
	ck_assert_int_eq(bz_date_valid(BZ_DATE_MIN), BZ_OK);
	ck_assert_int_eq(bz_date_valid(BZ_DATE_MAX), BZ_OK);
	ck_assert_int_eq(bz_date_valid("1899-12-31"), BZ_EINVAL);
	ck_assert_int_eq(bz_date_valid("9999-12-31"), BZ_EINVAL);
	ck_assert_int_eq(bz_date_valid("0001-01-01"), BZ_EINVAL);
	ck_assert_int_eq(bz_date_valid("0000-01-01"), BZ_EINVAL);
	ck_assert_int_eq(bz_date_valid("2024-02-29"), BZ_OK);
	ck_assert_int_eq(bz_date_valid("2023-02-29"), BZ_EINVAL);
	bz_ledger *l = tu_ledger();
	ck_assert_int_eq(bz_ledger_set_clock(l, "9999-12-31"), BZ_EINVAL);
	ck_assert_str_ne(bz_ledger_errmsg(l), "not an error");
	bz_ledger_close(l);
}
END_TEST

static fx F;
static char organ[BZ_UUID_LEN + 1];

static void slip_setup(void)
{
	fx_setup(&F);
	ck_assert_int_eq(fx_unit(&F, organ, F.county_doc, "武都区教育局", BZ_NATURE_ORGAN, BZ_RANK_ZHENGKE, "621202", "2010-01-01"),
			 BZ_OK);
	fx_est(&F, organ, "XZ", 3, "2010-01-01");
}

static void slip_teardown(void)
{
	bz_ledger_close(F.l);
}

static int64_t reserved(const char *date)
{
	bz_basic_table *tb = NULL;
	ck_assert_bz(bz_basic_table_get(&tb, F.l, organ, date));
	int64_t n = bz_basic_table_reserved(tb, 0);
	bz_basic_table_free(tb);
	return n;
}

/* a slip valid to the last day reserves to the last day; 9999-12-31 used to
 * wrap to 0000-01-01 and reserve nothing, so the unit looked empty */
START_TEST(slip_valid_to_the_end)
{
	char s[BZ_UUID_LEN + 1];
	ck_assert_bz(sf_slip(&F, s, organ, "XZ", 2, "2026-03-01", BZ_DATE_MAX));
	ck_assert_int_eq(reserved("2026-03-01"), 2);
	ck_assert_int_eq(reserved("5000-06-30"), 2);
	ck_assert_int_eq(reserved(BZ_DATE_MAX), 2);
	/* so a third and fourth post are not there to be reserved */
	ck_assert_int_eq(sf_slip(&F, NULL, organ, "XZ", 2, "2026-04-01", "2026-12-31"), BZ_ECONSTRAINT);

	long long events = tu_count(F.l, "event");
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_int_eq(bz_slip_issue(NULL, t, organ, "XZ", 1, BZ_PURPOSE_RECRUIT, "2026-03-01", "9999-12-31", NULL),
			 BZ_EINVAL);
	ck_assert_ptr_nonnull(strstr(bz_ledger_errmsg(F.l), BZ_DATE_MAX));
	ck_assert_int_eq(bz_slip_issue(NULL, t, organ, "XZ", 1, BZ_PURPOSE_RECRUIT, "1899-12-31", "2026-12-31", NULL),
			 BZ_EINVAL);
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	ck_assert_int_eq(tu_count(F.l, "event"), events);
}
END_TEST

START_TEST(slip_posts_bounded)
{
	long long events = tu_count(F.l, "event"), slips = tu_count(F.l, "slip");
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	static const int bad[] = {INT_MAX, BZ_COUNT_MAX + 1, 0, -1, INT_MIN};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		ck_assert_int_eq(bz_slip_issue(NULL, t, organ, "XZ", bad[i], BZ_PURPOSE_RECRUIT, "2026-03-01", "2026-12-31",
					       NULL),
				 BZ_EINVAL);
		ck_assert_ptr_nonnull(strstr(bz_ledger_errmsg(F.l), "10000000 posts"));
	}
	/* BZ_COUNT_MAX itself is a count; the unit's three posts refuse it at commit */
	ck_assert_bz(bz_slip_issue(NULL, t, organ, "XZ", BZ_COUNT_MAX, BZ_PURPOSE_RECRUIT, "2026-03-01", "2026-12-31", NULL));
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	ck_assert_ptr_nonnull(fx_find(bz_txn_report(t), BZ_RULE_R1, BZ_SEVERITY_ERROR));
	bz_txn_free(t);
	ck_assert_int_eq(tu_count(F.l, "event"), events);
	ck_assert_int_eq(tu_count(F.l, "slip"), slips);
	ck_assert_int_eq(reserved("2026-06-01"), 0);
	/* establishment figures too */
	t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_int_eq(bz_establishment_set(t, organ, "XZ", (int64_t)BZ_COUNT_MAX + 1, "2026-01-01"), BZ_EINVAL);
	ck_assert_int_eq(bz_establishment_set(t, organ, "XZ", INT64_MAX, "2026-01-01"), BZ_EINVAL);
	ck_assert_int_eq(bz_establishment_set(t, organ, "XZ", 5, "9999-12-31"), BZ_EINVAL);
	ck_assert_int_eq(bz_establishment_freeze(t, organ, "XZ", INT64_MAX, "2026-01-01"), BZ_EINVAL);
	ck_assert_bz(bz_txn_rollback(t));
	bz_txn_free(t);
}
END_TEST

/* ---- what a commit that failed did ---------------------------------- */

/* each transaction has an identity, readable before the commit, that a
 * ledger (reopened after an I/O error) says is there exactly when the
 * transaction committed */
START_TEST(transaction_identity)
{
	char path[256];
	snprintf(path, sizeof path, "%s", tu_tmpfile("txnid"));
	bz_ledger *l = NULL, *other = NULL;
	ck_assert_bz(bz_ledger_open(&l, path, BZ_OPEN_CREATE));
	ck_assert_bz(bz_ledger_open(&other, path, 0));
	char done[BZ_UUID_LEN + 1], refused[BZ_UUID_LEN + 1], dropped[BZ_UUID_LEN + 1], again[BZ_UUID_LEN + 1];
	bz_txn *t = tu_begin(l);
	ck_assert_ptr_nonnull(bz_txn_uuid(t));
	ck_assert_int_eq(bz_txn_committed(NULL, l, bz_txn_uuid(t)), BZ_EINVAL);
	snprintf(done, sizeof done, "%s", bz_txn_uuid(t));
	ck_assert_int_eq(bz_txn_uuid(t)[14], '7'); /* a key the library makes: version 7 (values.c) */
	int yes = -1;
	/* open: not committed, neither for this handle nor for another */
	ck_assert_bz(bz_txn_committed(&yes, l, done));
	ck_assert_int_eq(yes, 0);
	ck_assert_bz(bz_jurisdiction_create(NULL, t, "620000", "甘肃省", NULL));
	ck_assert_bz(bz_txn_committed(&yes, l, done));
	ck_assert_int_eq(yes, 0);
	ck_assert_bz(bz_txn_commit(t));
	ck_assert_str_eq(bz_txn_uuid(t), done); /* still readable after the commit */
	bz_txn_free(t);
	ck_assert_bz(bz_txn_committed(&yes, l, done));
	ck_assert_int_eq(yes, 1);
	ck_assert_bz(bz_txn_committed(&yes, other, done));
	ck_assert_int_eq(yes, 1);

	/* refused by the rules: not there */
	t = tu_begin(l);
	snprintf(refused, sizeof refused, "%s", bz_txn_uuid(t));
	ck_assert_str_ne(refused, done);
	bz_document *d = NULL;
	ck_assert_bz(bz_document_register(&d, t, "甘肃省机构编制委员会", "甘编发〔2013〕1号", "通知", "2013-01-10",
					  BZ_LEVEL_PROVINCE, BZ_ISSUER_ESTABLISHMENT, "620000"));
	ck_assert_bz(bz_txn_set_document(t, bz_document_uuid(d)));
	bz_document_free(d);
	bz_unit_spec *spec = NULL;
	ck_assert_bz(bz_unit_spec_new(&spec));
	ck_assert_bz(bz_unit_spec_set_name(spec, "甘肃省机构编制委员会办公室"));
	ck_assert_bz(bz_unit_spec_set_nature(spec, BZ_NATURE_ORGAN));
	ck_assert_bz(bz_unit_spec_set_rank(spec, BZ_RANK_FUTING));
	ck_assert_bz(bz_unit_spec_set_jurisdiction(spec, "620000"));
	ck_assert_bz(bz_unit_spec_set_founded(spec, "2012-01-01")); /* before its document: R6 */
	ck_assert_bz(bz_unit_establish(NULL, t, spec));
	bz_unit_spec_free(spec);
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	bz_txn_free(t);
	ck_assert_bz(bz_txn_committed(&yes, other, refused));
	ck_assert_int_eq(yes, 0);

	/* rolled back, and the next transaction takes its txn_log number: the
	 * integer could not tell the two apart, the identity does */
	t = tu_begin(l);
	snprintf(dropped, sizeof dropped, "%s", bz_txn_uuid(t));
	ck_assert_bz(bz_txn_rollback(t));
	bz_txn_free(t);
	t = tu_begin(l);
	snprintf(again, sizeof again, "%s", bz_txn_uuid(t));
	ck_assert_bz(bz_jurisdiction_create(NULL, t, "610000", "陕西省", NULL));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	ck_assert_bz(bz_txn_committed(&yes, other, dropped));
	ck_assert_int_eq(yes, 0);
	ck_assert_bz(bz_txn_committed(&yes, other, again));
	ck_assert_int_eq(yes, 1);
	ck_assert_int_eq(int_on(path, "SELECT count(*) FROM txn_log"), 2);
	ck_assert_int_eq(int_on(path, "SELECT count(*) FROM txn_id"), 2);

	/* a writer that dies — after its commit, or before — and the caller who
	 * kept its identity: the reopened ledger says which */
	for (int commits = 0; commits <= 1; commits++) {
		int fd[2];
		ck_assert_int_eq(pipe(fd), 0);
		pid_t pid = fork();
		ck_assert_int_ge(pid, 0);
		if (pid == 0) {
			bz_ledger *c = NULL;
			bz_txn *ct = NULL;
			if (bz_ledger_open(&c, path, 0) != BZ_OK || bz_txn_begin(&ct, c, "录入员", "甘肃省委编办") != BZ_OK)
				_exit(1);
			if (write(fd[1], bz_txn_uuid(ct), BZ_UUID_LEN) != BZ_UUID_LEN)
				_exit(1);
			if (bz_jurisdiction_create(NULL, ct, commits ? "630000" : "640000", "省", NULL) != BZ_OK)
				_exit(1);
			if (commits && bz_txn_commit(ct) != BZ_OK)
				_exit(1);
			raise(SIGKILL); /* killed: gone without closing anything */
			_exit(1);
		}
		close(fd[1]);
		char id[BZ_UUID_LEN + 1] = "";
		ck_assert_int_eq(read(fd[0], id, BZ_UUID_LEN), BZ_UUID_LEN);
		close(fd[0]);
		int status = 0;
		ck_assert_int_eq(waitpid(pid, &status, 0), pid);
		ck_assert_msg(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "the writer did not get to its end: %d",
			      status);
		bz_ledger_close(other);
		ck_assert_bz(bz_ledger_open(&other, path, 0));
		ck_assert_bz(bz_txn_committed(&yes, other, id));
		ck_assert_int_eq(yes, commits);
		ck_assert_int_eq(int_on(path, "SELECT count(*) FROM jurisdiction WHERE code IN ('630000','640000')"), commits);
	}

	/* bad arguments */
	ck_assert_int_eq(bz_txn_committed(&yes, other, "not-a-uuid"), BZ_EINVAL);
	ck_assert_ptr_nonnull(strstr(bz_ledger_errmsg(other), "not-a-uuid"));
	ck_assert_int_eq(bz_txn_committed(&yes, other, NULL), BZ_EINVAL);
	ck_assert_int_eq(bz_txn_committed(&yes, NULL, done), BZ_EINVAL);
	ck_assert_ptr_null(bz_txn_uuid(NULL));
	bz_ledger_close(other);
	bz_ledger_close(l);
	tu_rm(path);
}
END_TEST

/* schema 6: a ledger of schema 5 gets the table of identities; its old
 * transactions have none, its new ones have */
START_TEST(migrates_version_5)
{
	char path[256];
	snprintf(path, sizeof path, "%s", tu_tmpfile("v5"));
	make_ledger(path);
	sql_on(path, "DROP TABLE txn_id; DROP TABLE record_chain; DROP TABLE office; DROP TABLE unitcert_end;"
		     " DROP TABLE unitcert; PRAGMA user_version=5");
	bz_ledger *l = NULL;
	ck_assert_bz(bz_ledger_open(&l, path, 0));
	int v = 0;
	ck_assert_bz(bz_ledger_schema_version(&v, l));
	ck_assert_int_eq(v, BZ_SCHEMA_VERSION);
	ck_assert_int_eq(tu_count(l, "txn_id"), 0);
	bz_txn *t = tu_begin(l);
	char id[BZ_UUID_LEN + 1];
	snprintf(id, sizeof id, "%s", bz_txn_uuid(t));
	ck_assert_bz(bz_jurisdiction_create(NULL, t, "610000", "陕西省", NULL));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	int yes = 0;
	ck_assert_bz(bz_txn_committed(&yes, l, id));
	ck_assert_int_eq(yes, 1);
	ck_assert_bz(bz_ledger_close(l));
	/* append-only like the change log */
	sqlite3 *db = NULL;
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_int_ne(sqlite3_exec(db, "UPDATE txn_id SET uuid='x'", NULL, NULL, NULL), SQLITE_OK);
	ck_assert_int_ne(sqlite3_exec(db, "DELETE FROM txn_id", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	tu_rm(path);
}
END_TEST

/* ---- one handle, two threads ------------------------------------------ */

typedef struct hammer {
	bz_ledger *l;
	const char *unit, *doc;
	int rounds, failures;
	char why[256];
} hammer;

/* reads of every kind: a unit, its roster, its basic table, its slips, the check */
static void *reader(void *arg)
{
	hammer *h = arg;
	for (int i = 0; i < h->rounds; i++) {
		bz_unit *u = NULL;
		bz_basic_table *tb = NULL;
		bz_placement_iter *it = NULL;
		bz_placement *p = NULL;
		bz_report *r = NULL;
		int64_t n = 0;
		int rc = bz_unit_lookup(&u, h->l, h->unit, NULL);
		bz_unit_free(u);
		if (rc == BZ_OK)
			rc = bz_basic_table_get(&tb, h->l, h->unit, "2026-06-01");
		bz_basic_table_free(tb);
		if (rc == BZ_OK)
			rc = bz_establishment_get(&n, h->l, h->unit, "XZ", NULL);
		if (rc == BZ_OK && (rc = bz_roster(&it, h->l, h->unit, NULL)) == BZ_OK) {
			while ((rc = bz_placement_iter_next(&p, it)) == BZ_OK)
				bz_placement_free(p);
			rc = rc == BZ_ITEROVER ? BZ_OK : rc;
			bz_placement_iter_free(it);
		}
		/* the check refuses to run while a transaction is open on the handle */
		if (rc == BZ_OK && i % 8 == 0 && (rc = bz_ledger_check(&r, h->l, NULL)) == BZ_EMISUSE)
			rc = BZ_OK;
		bz_report_free(r);
		(void)bz_ledger_errmsg(h->l);
		if (rc != BZ_OK && h->failures++ == 0)
			snprintf(h->why, sizeof h->why, "read %d: %d %s", i, rc, bz_strerror(rc));
	}
	return NULL;
}

/* transactions: the establishment changed and a slip issued and cancelled,
 * committed; or begun while the other thread's is open (BZ_EMISUSE) */
static void *writer(void *arg)
{
	hammer *h = arg;
	for (int i = 0; i < h->rounds; i++) {
		bz_txn *t = NULL;
		int rc = bz_txn_begin(&t, h->l, "录入员", "武都区委编办");
		if (rc == BZ_EMISUSE)
			continue; /* the other writer's transaction is open on the handle */
		bz_slip *s = NULL;
		if (rc == BZ_OK)
			rc = bz_txn_set_document(t, h->doc);
		if (rc == BZ_OK)
			rc = bz_establishment_set(t, h->unit, "XZ", 5 + i % 3, "2026-01-01");
		if (rc == BZ_OK)
			rc = bz_slip_issue(&s, t, h->unit, "XZ", 1, BZ_PURPOSE_RECRUIT, "2026-03-01", "2026-12-31", NULL);
		if (rc == BZ_OK)
			rc = bz_slip_cancel(t, bz_slip_uuid(s), "2026-03-01"); /* all of it: nothing stays reserved */
		bz_slip_free(s);
		if (rc == BZ_OK)
			rc = i % 5 == 4 ? bz_txn_rollback(t) : bz_txn_commit(t);
		if (rc != BZ_OK && h->failures++ == 0)
			snprintf(h->why, sizeof h->why, "write %d: %d %s %s", i, rc, bz_strerror(rc),
				 t && bz_report_count(bz_txn_report(t)) ? bz_violation_message(bz_report_get(bz_txn_report(t), 0)) : "");
		bz_txn_free(t);
	}
	return NULL;
}

/* a handle shared by threads used to crash (SIGSEGV, SIGABRT: one
 * connection opened without SQLite's mutex, one statement cache); every
 * public function now holds the handle's lock */
START_TEST(threads_share_a_handle)
{
	enum { READERS = 2, WRITERS = 2, ROUNDS = 150 };
	hammer h[READERS + WRITERS];
	pthread_t th[READERS + WRITERS];
	for (int i = 0; i < READERS + WRITERS; i++) {
		h[i] = (hammer){.l = F.l, .unit = organ, .doc = F.county_doc, .rounds = ROUNDS};
		ck_assert_int_eq(pthread_create(&th[i], NULL, i < READERS ? reader : writer, &h[i]), 0);
	}
	for (int i = 0; i < READERS + WRITERS; i++) {
		ck_assert_int_eq(pthread_join(th[i], NULL), 0);
		ck_assert_msg(h[i].failures == 0, "thread %d: %d failure(s), first %s", i, h[i].failures, h[i].why);
	}
	/* the ledger is whole: the last committed figure, nothing reserved, the check clean */
	int64_t n = 0;
	ck_assert_bz(bz_establishment_get(&n, F.l, organ, "XZ", "2026-06-01"));
	ck_assert(n >= 5 && n <= 7);
	ck_assert_int_eq(reserved("2026-06-01"), 0);
	bz_report *r = NULL;
	ck_assert_bz(bz_ledger_check(&r, F.l, NULL));
	ck_assert_uint_eq(bz_report_errors(r), 0);
	bz_report_free(r);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("reliability");
	TCase *tc = tcase_create("open");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, schema_version_out_of_range);
	tcase_add_test(tc, foreign_database_with_the_ledger_id);
	tcase_add_test(tc, concurrent_create);
	tcase_add_test(tc, fifo_and_directory_refused);
	tcase_add_test(tc, failed_open_says_why);
	tcase_add_test(tc, readonly_mount);
	tcase_add_test(tc, full_disk_tmpfs);
	tcase_add_test(tc, date_bounds);
	tcase_add_test(tc, errors_are_never_not_an_error);
	suite_add_tcase(s, tc);
	TCase *txns = tcase_create("identity");
	tcase_add_test(txns, transaction_identity);
	tcase_add_test(txns, migrates_version_5);
	suite_add_tcase(s, txns);
	TCase *slips = tcase_create("counts");
	tcase_add_checked_fixture(slips, slip_setup, slip_teardown);
	tcase_add_test(slips, slip_valid_to_the_end);
	tcase_add_test(slips, slip_posts_bounded);
	tcase_add_test(slips, threads_share_a_handle);
	tcase_set_timeout(slips, 120);
	suite_add_tcase(s, slips);
	return tu_run(s);
}
