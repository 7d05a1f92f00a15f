/*
 * bench_import: the bulk import of a county's person sheet (import.h) as an
 * opening — N people in post over 200 units, one CSV, one transaction, every
 * rule checked at commit — against a plain SQLite bulk insert of the same
 * rows (a person and a placement table, the same pragmas: WAL, synchronous
 * FULL, one transaction) in the same run; each in a child process of its
 * own so that its peak RSS (getrusage ru_maxrss) is its own. Run at N/10 and
 * N to show memory does not grow with the rows.
 *
 *   bench_import [--smoke | --big]    default 10,000 people; --big 100,000
 */
#include <bianzhi.h>
#include <sqlite3.h>
#include <uuid/uuid.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define UNITS 200

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long peak_kb(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

static void die(const char *what, int rc, bz_ledger *l)
{
	fprintf(stderr, "bench_import: %s: %s (%s)\n", what, bz_strerror(rc), l ? bz_ledger_errmsg(l) : "");
	exit(1);
}
#define OK(l, call)                                  \
	do {                                         \
		int rc_ = (call);                    \
		if (rc_ != BZ_OK)                    \
			die(#call, rc_, (l));        \
	} while (0)

static void idnum(char out[19], unsigned birth_year, unsigned month, unsigned day, unsigned seq)
{
	static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
	snprintf(out, 19, "621202%04u%02u%02u%03u", birth_year % 10000u, month % 100u, day % 100u, seq % 1000u);
	int sum = 0;
	for (int i = 0; i < 17; i++)
		sum += (out[i] - '0') * w[i];
	out[17] = "10X98765432"[sum % 11];
	out[18] = '\0';
}

/* the person sheet: N rows over the units, unique ID numbers */
static void write_sheet(const char *path, long n)
{
	FILE *f = fopen(path, "w");
	if (!f) {
		perror(path);
		exit(1);
	}
	fputs("\xEF\xBB\xBF姓名,身份证号,单位名称,编制类别,进入形式,进入时间,民族\r\n", f);
	for (long i = 0; i < n; i++) {
		char id[19];
		/* unique: birth date (year, month, day) and sequence spread i over 20*12*28*1000 */
		unsigned k = (unsigned)i;
		idnum(id, 1960u + k % 20u, 1u + (k / 20u) % 12u, 1u + (k / 240u) % 28u, (k / 6720u) % 1000u);
		fprintf(f, "职工%ld,%s,武都区单位%03ld,行政编制,调入,2010-%02ld-01,汉族\r\n", i, id, i % UNITS, 1 + i % 12);
	}
	fclose(f);
}

/* a ledger with the county, its units (establishment enough for everyone) and the opening document */
static bz_ledger *county(const char *path, long n, char doc[BZ_UUID_LEN + 1])
{
	bz_ledger *l = NULL;
	bz_txn *t = NULL;
	bz_document *d = NULL;
	unlink(path);
	OK(l, bz_ledger_open(&l, path, BZ_OPEN_CREATE));
	OK(l, bz_ledger_set_clock(l, "2026-12-01"));
	OK(l, bz_txn_begin(&t, l, "bench", "武都区编办"));
	OK(l, bz_jurisdiction_create(NULL, t, "620000", "甘肃省", NULL));
	OK(l, bz_jurisdiction_create(NULL, t, "621200", "陇南市", "620000"));
	OK(l, bz_jurisdiction_create(NULL, t, "621202", "武都区", "621200"));
	OK(l, bz_document_register(&d, t, "武都区机构编制委员会", "武编发〔2024〕30号", "关于建立实名制台账的通知",
				   "2024-12-20", BZ_LEVEL_COUNTY, BZ_ISSUER_ESTABLISHMENT, "621202"));
	snprintf(doc, BZ_UUID_LEN + 1, "%s", bz_document_uuid(d));
	bz_document_free(d);
	OK(l, bz_txn_set_opening(t, "2024-12-31", doc));
	for (int u = 0; u < UNITS; u++) {
		bz_unit_spec *s = NULL;
		bz_unit *unit = NULL;
		char name[64];
		snprintf(name, sizeof name, "武都区单位%03d", u);
		OK(l, bz_unit_spec_new(&s));
		OK(l, bz_unit_spec_set_name(s, name));
		OK(l, bz_unit_spec_set_nature(s, BZ_NATURE_ORGAN));
		OK(l, bz_unit_spec_set_rank(s, BZ_RANK_ZHENGKE));
		OK(l, bz_unit_spec_set_jurisdiction(s, "621202"));
		OK(l, bz_unit_spec_set_founded(s, "1990-01-01"));
		OK(l, bz_unit_establish(&unit, t, s));
		OK(l, bz_establishment_set(t, bz_unit_uuid(unit), "XZ", n / UNITS + 10, "1990-01-01"));
		bz_unit_free(unit);
		bz_unit_spec_free(s);
	}
	int rc = bz_txn_commit(t);
	if (rc != BZ_OK)
		die("county commit", rc, l);
	bz_txn_free(t);
	return l;
}

/* the library: the sheet imported in an opening, committed; seconds */
static double run_library(const char *ledger, const char *sheet, long n)
{
	char doc[BZ_UUID_LEN + 1];
	bz_ledger *l = county(ledger, n, doc);
	bz_txn *t = NULL;
	bz_import *imp = NULL;
	double t0 = now();
	OK(l, bz_txn_begin(&t, l, "bench", "武都区编办"));
	OK(l, bz_txn_set_opening(t, "2024-12-31", doc));
	int rc = bz_import_people(&imp, t, sheet, "621202");
	if (rc != BZ_OK) {
		if (imp && bz_import_problem_count(imp))
			fprintf(stderr, "line %lld: %s\n", (long long)bz_import_problem_line(imp, 0),
				bz_import_problem_message(imp, 0));
		die("import", rc, l);
	}
	if (bz_import_placements(imp) != n)
		die("import placed too few", BZ_ERROR, l);
	bz_import_free(imp);
	rc = bz_txn_commit(t);
	if (rc != BZ_OK)
		die("commit", rc, l);
	double dt = now() - t0;
	bz_txn_free(t);
	bz_ledger_close(l);
	return dt;
}

static void sql(sqlite3 *db, const char *s)
{
	char *err = NULL;
	if (sqlite3_exec(db, s, NULL, NULL, &err) != SQLITE_OK) {
		fprintf(stderr, "bench_import: %s: %s\n", s, err);
		exit(1);
	}
}

/* the twin: the same rows read from the same file, inserted into plain tables; seconds */
static double run_raw(const char *dbpath, const char *sheet)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *ps = NULL, *pp = NULL;
	char line[512];
	unlink(dbpath);
	if (sqlite3_open(dbpath, &db) != SQLITE_OK)
		exit(1);
	sql(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;"
		"PRAGMA cache_size=-65536;"
		"CREATE TABLE person(id TEXT PRIMARY KEY, id_number TEXT NOT NULL UNIQUE, name TEXT NOT NULL);"
		"CREATE TABLE placement(id TEXT PRIMARY KEY, person TEXT NOT NULL REFERENCES person(id), unit TEXT NOT NULL,"
		" category TEXT NOT NULL, entry TEXT NOT NULL);"
		"CREATE INDEX placement_person ON placement(person, entry); CREATE INDEX placement_unit ON placement(unit, entry);");
	double t0 = now();
	FILE *f = fopen(sheet, "r");
	if (!f || !fgets(line, sizeof line, f))
		exit(1);
	sql(db, "BEGIN");
	sqlite3_prepare_v2(db, "INSERT INTO person VALUES(?1,?2,?3)", -1, &ps, NULL);
	sqlite3_prepare_v2(db, "INSERT INTO placement VALUES(?1,?2,?3,?4,?5)", -1, &pp, NULL);
	while (fgets(line, sizeof line, f)) {
		char *cells[8] = {0}, *save = NULL, pid[37], plid[37];
		int n = 0;
		uuid_t u;
		for (char *c = strtok_r(line, ",\r\n", &save); c && n < 8; c = strtok_r(NULL, ",\r\n", &save))
			cells[n++] = c;
		uuid_generate(u);
		uuid_unparse_lower(u, pid);
		uuid_generate(u);
		uuid_unparse_lower(u, plid);
		sqlite3_bind_text(ps, 1, pid, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(ps, 2, cells[1], -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(ps, 3, cells[0], -1, SQLITE_TRANSIENT);
		if (sqlite3_step(ps) != SQLITE_DONE)
			exit(1);
		sqlite3_reset(ps);
		sqlite3_bind_text(pp, 1, plid, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(pp, 2, pid, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(pp, 3, cells[2], -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(pp, 4, "XZ", -1, SQLITE_STATIC);
		sqlite3_bind_text(pp, 5, cells[5], -1, SQLITE_TRANSIENT);
		if (sqlite3_step(pp) != SQLITE_DONE)
			exit(1);
		sqlite3_reset(pp);
	}
	fclose(f);
	sqlite3_finalize(ps);
	sqlite3_finalize(pp);
	sql(db, "COMMIT");
	double dt = now() - t0;
	sqlite3_close(db);
	return dt;
}

/* run one side in a child: its seconds and its peak RSS (KiB) through a pipe */
static void in_child(bool library, long n, const char *dir, double *secs, long *kb)
{
	int fd[2];
	char sheet[256], target[256];
	snprintf(sheet, sizeof sheet, "%s/people-%ld.csv", dir, n);
	snprintf(target, sizeof target, "%s/%s-%ld.db", dir, library ? "ledger" : "raw", n);
	if (pipe(fd) != 0)
		exit(1);
	pid_t pid = fork();
	if (pid == 0) {
		close(fd[0]);
		long base = peak_kb();
		double s = library ? run_library(target, sheet, n) : run_raw(target, sheet);
		long k = peak_kb() - base;
		if (write(fd[1], &s, sizeof s) != sizeof s || write(fd[1], &k, sizeof k) != sizeof k)
			_exit(1);
		_exit(0);
	}
	close(fd[1]);
	int st = 0;
	if (read(fd[0], secs, sizeof *secs) != sizeof *secs || read(fd[0], kb, sizeof *kb) != sizeof *kb ||
	    waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		fprintf(stderr, "bench_import: the %s run failed\n", library ? "library" : "raw");
		exit(1);
	}
	close(fd[0]);
}

int main(int argc, char **argv)
{
	long n = 10000;
	if (argc > 1 && strcmp(argv[1], "--smoke") == 0)
		n = 400;
	else if (argc > 1 && strcmp(argv[1], "--big") == 0)
		n = 100000;
	char dir[] = "/tmp/bench-import-XXXXXX";
	if (!mkdtemp(dir))
		return 1;
	long sizes[2] = {n / 10, n};
	double lib[2], raw[2];
	long libkb[2], rawkb[2];
	for (int i = 0; i < 2; i++) {
		char sheet[256];
		snprintf(sheet, sizeof sheet, "%s/people-%ld.csv", dir, sizes[i]);
		write_sheet(sheet, sizes[i]);
		in_child(false, sizes[i], dir, &raw[i], &rawkb[i]);
		in_child(true, sizes[i], dir, &lib[i], &libkb[i]);
	}
	printf("| people | libbianzhi import (opening, rules at commit) | rows/s | peak RSS growth | plain SQLite insert | rows/s | peak RSS growth | ratio |\n");
	printf("|---|---|---|---|---|---|---|---|\n");
	for (int i = 0; i < 2; i++)
		printf("| %ld | %.2f s | %.0f | %.1f MiB | %.2f s | %.0f | %.1f MiB | %.2f |\n", sizes[i], lib[i],
		       (double)sizes[i] / lib[i], (double)libkb[i] / 1024.0, raw[i], (double)sizes[i] / raw[i],
		       (double)rawkb[i] / 1024.0, raw[i] / lib[i]);
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : 1;
}
