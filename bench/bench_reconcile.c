/*
 * bench_reconcile.c: reconciliation of a payroll roster with Table 3
 * (bz_reconcile, issue 16) against a plain SQLite bulk insert of the same
 * roster rows, in the same run, with time and peak memory of each.
 *
 *   1. a ledger of N people in post (one county, N/200 units of 200, built
 *      through the library in one transaction per unit, BZ_OPEN_SYNC_NORMAL)
 *      and a roster CSV of the same people (UTF-8 with BOM, as Excel writes)
 *      with about 1% differences: 0.25% left out, 0.25% under another unit,
 *      0.25% another name, 0.25% paid ghosts;
 *   2. bz_reconcile over the roster, every difference read (and counted:
 *      the run fails unless each planted difference is found);
 *   3. the baseline: the same CSV rows split at commas and inserted into an
 *      SQLite table (one transaction, one prepared INSERT) — what the
 *      reconciliation's own loading of the roster cannot beat.
 *
 * Each step runs in a child process so that its peak RSS (getrusage
 * ru_maxrss) is its own; the files live in a mkdtemp directory under /tmp
 * (or $TMPDIR), removed at the end.
 *
 *   bench_reconcile          10,000 people
 *   bench_reconcile --big    100,000 people
 *   bench_reconcile --smoke  1,000 people: only shows it all still works
 *
 * Exit status 0 unless something failed.
 */
#include <bianzhi.h>

#include <sqlite3.h>

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PER_UNIT 200
#define CLOCK "2026-12-01"
#define DATE "2026-06-30"

static long N;
static char dir[256];

static void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("bench_reconcile: ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

#define CHK(l, call) do { int rc_ = (call); if (rc_ != BZ_OK) \
	die("%s: %s (%s)", #call, bz_strerror(rc_), (l) ? bz_ledger_errmsg(l) : ""); } while (0)

/* commit, or die with the first violations */
static void commit(bz_ledger *l, bz_txn *t)
{
	int rc = bz_txn_commit(t);
	if (rc == BZ_ECONSTRAINT) {
		const bz_report *r = bz_txn_report(t);
		for (size_t i = 0; i < bz_report_count(r) && i < 5; i++)
			fprintf(stderr, "  %s\n", bz_violation_message(bz_report_get(r, i)));
	}
	CHK(l, rc);
	bz_txn_free(t);
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static long max_rss_kb(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

static void path_of(char out[320], const char *name)
{
	snprintf(out, 320, "%s/%s", dir, name);
}

/* person k: an ID number with its check character, a name */
static void idnum(char out[19], long sk)
{
	unsigned long k = (unsigned long)sk;
	static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
	/* the sequence repeats every 1,000: the rest of k is the birth date */
	unsigned long hi = k / 1000;
	char b[32];
	snprintf(b, sizeof b, "621202%04lu%02lu%02lu%03lu", 1960 + hi % 35, 1 + (hi / 35) % 12, 1 + (hi / 420) % 28,
		 k % 1000);
	memcpy(out, b, 17);
	int sum = 0;
	for (int i = 0; i < 17; i++)
		sum += (out[i] - '0') * w[i];
	out[17] = "10X98765432"[sum % 11];
	out[18] = '\0';
}

static void name_of(char out[32], long k)
{
	static const char *const s[] = {"张", "王", "李", "赵", "刘", "陈", "杨", "黄", "周", "吴"};
	static const char *const g[] = {"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋"};
	snprintf(out, 32, "%s%s%s", s[k % 10], g[(k / 10) % 10], g[(k / 100) % 10]);
}

static void unit_name(char out[64], long u)
{
	snprintf(out, 64, "武都区第%ld中学", u + 1);
}

/* which planted difference person k carries: 0 none, 1 left out, 2 another unit, 3 another name */
static int planted(long k)
{
	long r = k % 400;
	return r == 7 ? 1 : r == 107 ? 2 : r == 207 ? 3 : 0;
}

/* ---- 1. the ledger and the roster ----------------------------------------- */

static void build(void)
{
	char path[320], doc[BZ_UUID_LEN + 1];
	path_of(path, "county.ledger");
	bz_ledger *l = NULL;
	CHK(l, bz_ledger_open(&l, path, BZ_OPEN_CREATE | BZ_OPEN_SYNC_NORMAL));
	CHK(l, bz_ledger_set_clock(l, CLOCK));
	bz_txn *t = NULL;
	CHK(l, bz_txn_begin(&t, l, "bench", "武都区委编办"));
	CHK(l, bz_jurisdiction_create(NULL, t, "620000", "甘肃省", NULL));
	CHK(l, bz_jurisdiction_create(NULL, t, "621200", "陇南市", "620000"));
	CHK(l, bz_jurisdiction_create(NULL, t, "621202", "武都区", "621200"));
	bz_document *d = NULL;
	CHK(l, bz_document_register(&d, t, "武都区机构编制委员会", "武编发〔2013〕5号", "关于机构编制事项的通知",
				    "2009-12-10", BZ_LEVEL_COUNTY, BZ_ISSUER_ESTABLISHMENT, "621202"));
	memcpy(doc, bz_document_uuid(d), sizeof doc);
	bz_document_free(d);
	commit(l, t);

	long nunits = (N + PER_UNIT - 1) / PER_UNIT;
	char (*units)[BZ_UUID_LEN + 1] = calloc((size_t)nunits, sizeof *units);
	CHK(l, bz_txn_begin(&t, l, "bench", "武都区委编办"));
	CHK(l, bz_txn_set_document(t, doc));
	for (long u = 0; u < nunits; u++) {
		char name[64];
		unit_name(name, u);
		bz_unit_spec *s = NULL;
		CHK(l, bz_unit_spec_new(&s));
		CHK(l, bz_unit_spec_set_name(s, name));
		CHK(l, bz_unit_spec_set_nature(s, BZ_NATURE_INSTITUTION));
		CHK(l, bz_unit_spec_set_rank(s, BZ_RANK_NONE));
		CHK(l, bz_unit_spec_set_jurisdiction(s, "621202"));
		CHK(l, bz_unit_spec_set_founded(s, "2010-01-01"));
		bz_unit *un = NULL;
		CHK(l, bz_unit_establish(&un, t, s));
		memcpy(units[u], bz_unit_uuid(un), BZ_UUID_LEN + 1);
		bz_unit_free(un);
		bz_unit_spec_free(s);
		CHK(l, bz_establishment_set(t, units[u], "SY", PER_UNIT, "2014-01-01"));
	}
	commit(l, t);

	for (long u = 0; u < nunits; u++) {
		long from = u * PER_UNIT, to = from + PER_UNIT < N ? from + PER_UNIT : N;
		CHK(l, bz_txn_begin(&t, l, "bench", "武都区委编办"));
		CHK(l, bz_txn_set_document(t, doc));
		bz_slip *s = NULL;
		CHK(l, bz_slip_issue(&s, t, units[u], "SY", (int)(to - from), BZ_PURPOSE_RECRUIT, "2015-01-01", "2015-12-31",
				     NULL));
		for (long k = from; k < to; k++) {
			char id[19], name[32];
			idnum(id, k);
			name_of(name, k);
			bz_person *p = NULL;
			CHK(l, bz_person_register(&p, t, id, name, 0, NULL));
			CHK(l, bz_placement_enter(NULL, t, bz_person_uuid(p), units[u], "SY", bz_slip_uuid(s),
						  BZ_ENTRY_RECRUIT, "2015-03-01"));
			bz_person_free(p);
		}
		bz_slip_free(s);
		commit(l, t);
	}
	free(units);
	bz_ledger_close(l);

	/* the payroll roster of the same people, about 1% differing */
	char csv[320];
	path_of(csv, "roster.csv");
	FILE *f = fopen(csv, "wb");
	if (!f)
		die("%s: cannot write", csv);
	fputs("\xEF\xBB\xBF序号,单位名称,姓名,身份证号,编制类别,发放状态\r\n", f);
	long line = 0;
	for (long k = 0; k < N; k++) {
		char id[19], name[32], unit[64];
		int what = planted(k);
		if (what == 1)
			continue;
		idnum(id, k);
		name_of(name, k);
		unit_name(unit, what == 2 ? (k / PER_UNIT + 1) % nunits : k / PER_UNIT);
		fprintf(f, "%ld,%s,%s,%s,事业编制,正常发放\r\n", ++line, unit, what == 3 ? "冒名顶替" : name, id);
		if (k % 400 == 307) { /* a ghost: a valid number of nobody */
			idnum(id, N + k);
			fprintf(f, "%ld,%s,钱多多,%s,事业编制,正常发放\r\n", ++line, unit, id);
		}
	}
	if (fclose(f) != 0)
		die("%s: cannot write", csv);
}

/* ---- 2. the reconciliation ---------------------------------------------------- */

static void reconcile(void)
{
	char path[320], csv[320];
	path_of(path, "county.ledger");
	path_of(csv, "roster.csv");
	bz_ledger *l = NULL;
	CHK(l, bz_ledger_open(&l, path, BZ_OPEN_READONLY));
	CHK(l, bz_ledger_set_clock(l, CLOCK));
	double t0 = now();
	bz_diff_iter *it = NULL;
	CHK(l, bz_reconcile(&it, l, csv, "621202", DATE));
	long per[16] = {0}, n = 0;
	bz_diff *d = NULL;
	int rc;
	while ((rc = bz_diff_iter_next(&d, it)) == BZ_OK) {
		per[bz_diff_kind(d) & 15]++;
		n++;
		bz_diff_free(d);
	}
	if (rc != BZ_ITEROVER)
		die("bz_diff_iter_next: %s", bz_strerror(rc));
	bz_diff_iter_free(it);
	double dt = now() - t0;
	bz_ledger_close(l);
	/* what was planted, found exactly */
	long want[4] = {0};
	for (long k = 0; k < N; k++)
		want[planted(k)]++;
	long ghosts = 0;
	for (long k = 0; k < N; k++)
		ghosts += k % 400 == 307 && planted(k) != 1;
	if (per[BZ_DIFF_NOT_ON_ROSTER] != want[1] || per[BZ_DIFF_UNIT] != want[2] || per[BZ_DIFF_NAME] != want[3] ||
	    per[BZ_DIFF_NOT_ESTABLISHED] != ghosts || n != want[1] + want[2] + want[3] + ghosts)
		die("differences found: %ld missing, %ld unit, %ld name, %ld ghosts (%ld in all); planted %ld, %ld, %ld, %ld",
		    per[BZ_DIFF_NOT_ON_ROSTER], per[BZ_DIFF_UNIT], per[BZ_DIFF_NAME], per[BZ_DIFF_NOT_ESTABLISHED], n,
		    want[1], want[2], want[3], ghosts);
	printf("reconcile    %8.3f s  %9.0f rows/s  peak RSS %6ld MB  (%ld differences: %ld 在编未在册, %ld 单位不符, "
	       "%ld 姓名不符, %ld 在册未在编)\n",
	       dt, N / dt, max_rss_kb() / 1024, n, per[BZ_DIFF_NOT_ON_ROSTER], per[BZ_DIFF_UNIT], per[BZ_DIFF_NAME],
	       per[BZ_DIFF_NOT_ESTABLISHED]);
}

/* ---- 3. the baseline: the same rows into a plain SQLite table ---------------------- */

static void raw_insert(void)
{
	char db_path[320], csv[320];
	path_of(db_path, "raw.db");
	path_of(csv, "roster.csv");
	double t0 = now();
	sqlite3 *db = NULL;
	if (sqlite3_open(db_path, &db) != SQLITE_OK)
		die("%s: cannot open", db_path);
	sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
			 "CREATE TABLE roster(line INTEGER, unit TEXT, name TEXT, id_number TEXT, category TEXT, pay TEXT);"
			 "BEGIN",
		     NULL, NULL, NULL);
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db, "INSERT INTO roster VALUES(?1,?2,?3,?4,?5,?6)", -1, &st, NULL) != SQLITE_OK)
		die("prepare: %s", sqlite3_errmsg(db));
	FILE *f = fopen(csv, "rb");
	if (!f)
		die("%s: cannot read", csv);
	char buf[1024];
	long rows = 0;
	bool header = true;
	while (fgets(buf, sizeof buf, f)) {
		if (header) {
			header = false;
			continue;
		}
		buf[strcspn(buf, "\r\n")] = '\0';
		char *save = NULL, *tok = strtok_r(buf, ",", &save);
		for (int i = 1; i <= 6; i++, tok = strtok_r(NULL, ",", &save))
			sqlite3_bind_text(st, i, tok ? tok : "", -1, SQLITE_TRANSIENT);
		if (sqlite3_step(st) != SQLITE_DONE)
			die("insert: %s", sqlite3_errmsg(db));
		sqlite3_reset(st);
		rows++;
	}
	fclose(f);
	sqlite3_finalize(st);
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	sqlite3_close(db);
	double dt = now() - t0;
	printf("SQLite bulk  %8.3f s  %9.0f rows/s  peak RSS %6ld MB  (%ld rows inserted, nothing compared)\n", dt,
	       rows / dt, max_rss_kb() / 1024, rows);
}

/* run fn in a child process: its memory is its own */
static void in_child(void (*fn)(void), const char *what)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		fn();
		fflush(stdout);
		_exit(0);
	}
	int status = 0;
	waitpid(pid, &status, 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		die("%s failed", what);
}

static void rm_dir(void)
{
	const char *names[] = {"county.ledger", "county.ledger-wal", "county.ledger-shm", "roster.csv", "raw.db",
			       "raw.db-wal", "raw.db-shm"};
	char p[320];
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		path_of(p, names[i]);
		unlink(p);
	}
	rmdir(dir);
}

int main(int argc, char **argv)
{
	N = 10000;
	if (argc > 1 && strcmp(argv[1], "--big") == 0)
		N = 100000;
	else if (argc > 1 && strcmp(argv[1], "--smoke") == 0)
		N = 1000;
	else if (argc > 1)
		die("usage: bench_reconcile [--big | --smoke]");
	const char *tmp = getenv("TMPDIR");
	snprintf(dir, sizeof dir, "%s/bench-reconcile-XXXXXX", tmp ? tmp : "/tmp");
	if (!mkdtemp(dir))
		die("mkdtemp %s", dir);
	printf("reconciliation of a %ld-row roster with %ld people in post (%ld units), libbianzhi %s\n",
	       N, N, (N + PER_UNIT - 1) / PER_UNIT, bz_version());
	double t0 = now();
	in_child(build, "building the ledger and the roster");
	printf("ledger and roster built in %.1f s (not measured below)\n", now() - t0);
	/* interleaved, twice each: the second of each is the warm one */
	for (int round = 0; round < 2; round++) {
		in_child(reconcile, "the reconciliation");
		in_child(raw_insert, "the SQLite bulk insert");
		char p[320];
		path_of(p, "raw.db");
		unlink(p);
	}
	rm_dir();
	return 0;
}
