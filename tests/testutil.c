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

const char *tu_pg_uri(void)
{
	const char *u = getenv("BZ_TEST_PG_URI");
	return u && *u ? u : NULL;
}

bz_ledger *tu_ledger(void)
{
	bz_ledger *l = NULL;
	const char *pg = tu_pg_uri();
	if (pg) {
		static int n;
		char uri[1024];
		snprintf(uri, sizeof uri, "%s%sschema=t%ld_%d", pg, strchr(pg, '?') ? "&" : "?", (long)getpid(), ++n);
		int rc = bz_ledger_open(&l, uri, BZ_OPEN_CREATE);
		ck_assert_msg(rc == BZ_OK, "opening %s: %s", uri, bz_ledger_errmsg(NULL));
	} else
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
	bz_st *st = NULL;
	ck_assert_int_eq(bz_store_prepare(l->store, &st, sql), SQLITE_OK);
	ck_assert_int_eq(bz_st_step(st), SQLITE_ROW);
	long long n = bz_st_column_int64(st, 0);
	bz_st_finalize(st);
	return n;
}

int tu_exec(bz_ledger *l, const char *sql)
{
	return bz_store_exec(l->store, sql);
}

int tu_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
