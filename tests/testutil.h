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
/* the URI of the ledger tu_ledger() opened last on the server, for a second
 * handle on it (another office's connection); NULL on SQLite (:memory:) */
const char *tu_ledger_uri(void);
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
/*
 * `PROG --pg-cluster SCRIPT`: start a throwaway PostgreSQL cluster with
 * tests/pg_cluster.sh (watching this process, so it is stopped however the
 * test ends; stopped at exit too) and set BZ_PG_URI to it. The script runs
 * as a child: a valgrind or sanitizer wrapper checks the suite, not bash.
 * Returns 0 to go on (a cluster is up, or none was asked for), else the
 * exit status, its reason printed: 77 (meson's skip) when the library has
 * no PostgreSQL driver or the server binaries are absent, 1 when the
 * cluster did not start.
 */
int tu_pg_cluster(int argc, char **argv, const char *prog);
/* tu_pg_cluster()'s cluster stopped now (no-op without one) */
void tu_pg_cluster_stop(void);
/* BZ_PG_URI when set, non-empty and the library has the driver, else NULL */
const char *tu_pg_server(void);
/* Run a suite with Check's runner; the process exit status. */
int tu_run(Suite *s);

#define ck_assert_bz(call) do { int rc_ = (call); \
	ck_assert_msg(rc_ == BZ_OK, "%s: %d %s", #call, rc_, bz_strerror(rc_)); } while (0)

#endif
