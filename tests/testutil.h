/* testutil.h: what every test suite needs to build its own ledger. */
#ifndef BZ_TESTUTIL_H
#define BZ_TESTUTIL_H

#include <check.h>
#include "bianzhi.h"

/*
 * A fresh in-memory ledger with its clock fixed at 2026-12-01 — or, when
 * BZ_TEST_PG_URI names a PostgreSQL server (tests/pg_suites.sh sets it), a
 * fresh ledger in a schema of its own there (t<pid>_<n>): the same suite
 * then tests the PostgreSQL backend (issue 13).
 */
bz_ledger *tu_ledger(void);
/* the PostgreSQL server the suites run against, or NULL (SQLite) */
const char *tu_pg_uri(void);
/* A test that only means something on SQLite (a file, a VFS, a PRAGMA):
 * returns from the test on PostgreSQL, saying why on stdout. */
#define TU_SQLITE_ONLY(why) do { if (tu_pg_uri()) { \
	printf("%s: SQLite only: %s\n", __func__, why); return; } } while (0)
/* Plain SQL on the ledger's own connection (either backend): the store code. */
int tu_exec(bz_ledger *l, const char *sql);
/* A path for a temporary ledger file (removed by tu_rm); static buffer. */
const char *tu_tmpfile(const char *tag);
void tu_rm(const char *path);
/* Begin a transaction as "tester"/"测试编办", failing the test otherwise. */
bz_txn *tu_begin(bz_ledger *l);
/* Number of rows of a table (through a second connection to the same file
 * is not possible for :memory:, so this uses sqlite directly on the handle). */
long long tu_count(bz_ledger *l, const char *table);
/* Run a suite with Check's runner; the process exit status. */
int tu_run(Suite *s);

#define ck_assert_bz(call) do { int rc_ = (call); \
	ck_assert_msg(rc_ == BZ_OK, "%s: %d %s", #call, rc_, bz_strerror(rc_)); } while (0)

#endif
