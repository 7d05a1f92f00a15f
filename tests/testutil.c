#include "testutil.h"
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * Every suite runs the self-inspection differentially: each bz_ledger_check
 * also runs the per-record oracle (bz_ledger_check_walk) and fails, naming
 * the first differing record, unless both give the very same violations.
 * BZ_TEST_NO_DIFFERENTIAL=1 turns it off (to time a suite).
 */
__attribute__((constructor)) static void tu_differential(void)
{
	const char *off = getenv("BZ_TEST_NO_DIFFERENTIAL");
	bz_check_differential = !(off && *off && strcmp(off, "0") != 0);
}

bz_ledger *tu_ledger(void)
{
	bz_ledger *l = NULL;
	ck_assert_int_eq(bz_ledger_open(&l, ":memory:", BZ_OPEN_CREATE), BZ_OK);
	ck_assert_int_eq(bz_ledger_set_clock(l, "2026-12-01"), BZ_OK);
	return l;
}

const char *tu_tmpfile(const char *tag)
{
	static char path[256];
	const char *dir = getenv("TMPDIR");
	snprintf(path, sizeof path, "%s/bz-test-%s-%ld.ledger", dir ? dir : "/tmp", tag, (long)getpid());
	tu_rm(path);
	return path;
}

void tu_rm(const char *path)
{
	char buf[300];
	unlink(path);
	snprintf(buf, sizeof buf, "%s-wal", path);
	unlink(buf);
	snprintf(buf, sizeof buf, "%s-shm", path);
	unlink(buf);
}

bz_txn *tu_begin(bz_ledger *l)
{
	bz_txn *t = NULL;
	ck_assert_int_eq(bz_txn_begin(&t, l, "tester", "测试编办"), BZ_OK);
	return t;
}

long long tu_count(bz_ledger *l, const char *table)
{
	char sql[128];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", table);
	sqlite3_stmt *st = NULL;
	ck_assert_int_eq(sqlite3_prepare_v2(l->db, sql, -1, &st, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	long long n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

int tu_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
