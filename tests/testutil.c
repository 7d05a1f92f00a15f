#include "testutil.h"
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
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

static char last_uri[1024];

const char *tu_ledger_uri(void) { return tu_pg_uri() && last_uri[0] ? last_uri : NULL; }

bz_ledger *tu_ledger(void)
{
	bz_ledger *l = NULL;
	const char *pg = tu_pg_uri();
	if (pg) {
		static int n;
		char *uri = last_uri;
		snprintf(uri, sizeof last_uri, "%s%sschema=t%ld_%d", pg, strchr(pg, '?') ? "&" : "?", (long)getpid(), ++n);
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

static char cluster_dir[512], cluster_script[512], cluster_prog[64];

void tu_pg_cluster_stop(void)
{
	if (!cluster_dir[0])
		return;
	char cmd[1200];
	snprintf(cmd, sizeof cmd, "bash '%s' stop '%s'", cluster_script, cluster_dir);
	if (system(cmd) != 0)
		fprintf(stderr, "%s: could not stop the cluster in %s\n", cluster_prog, cluster_dir);
	cluster_dir[0] = '\0';
}

int tu_pg_cluster(int argc, char **argv, const char *prog)
{
	snprintf(cluster_prog, sizeof cluster_prog, "%s", prog);
	if (argc != 3 || strcmp(argv[1], "--pg-cluster") != 0)
		return 0;
#if !BZ_HAVE_PG
	printf("%s: SKIP: this build has no PostgreSQL driver (libpq not found, or -Dpostgresql=disabled)\n", prog);
	return 77;
#else
	snprintf(cluster_script, sizeof cluster_script, "%s", argv[2]);
	char cmd[700];
	snprintf(cmd, sizeof cmd, "bash '%s' start --watch %d", argv[2], (int)getpid());
	FILE *f = popen(cmd, "r");
	if (!f)
		return 1;
	static char line[1024];
	char *got = fgets(line, sizeof line, f);
	int st = pclose(f);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 77) {
		printf("%s: SKIP: no PostgreSQL server binaries (see the reason above)\n", prog);
		return 77;
	}
	/* export BZ_PG_DIR='…' BZ_PG_URI='…' */
	char *d = got ? strstr(line, "BZ_PG_DIR='") : NULL, *u = got ? strstr(line, "BZ_PG_URI='") : NULL;
	if (st != 0 || !d || !u) {
		fprintf(stderr, "%s: the cluster did not start (%s)\n", prog, got ? line : "no output");
		return 1;
	}
	d += 11;
	u += 11;
	*strchr(d, '\'') = '\0';
	*strchr(u, '\'') = '\0';
	snprintf(cluster_dir, sizeof cluster_dir, "%s", d);
	atexit(tu_pg_cluster_stop);
	setenv("BZ_PG_URI", u, 1);
	return 0;
#endif
}

const char *tu_pg_server(void)
{
#if BZ_HAVE_PG
	const char *u = getenv("BZ_PG_URI");
	return u && *u ? u : NULL;
#else
	return NULL;
#endif
}

int tu_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
