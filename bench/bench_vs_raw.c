/*
 * bench_vs_raw.c: libbianzhi against raw SQLite doing the same work, in the
 * same run (issue 10's table). Every row runs the library and a raw twin
 * interleaved (lib, raw, lib, raw …: round by round for the bulk work and
 * the self-inspection, operation by operation for the single commits) for
 * several rounds and prints the median of the rounds with their spread
 * (min–max) for each side, and the ratio of each round:
 *
 *   a. bulk hires (register a person + place them against a usage slip),
 *      1,000 per transaction, over 1,000 units            ratio = lib/raw hires/s
 *   b. one hire per transaction                             ratio = lib/raw hires/s
 *   c. hire + commit on a small and on a large ledger       growth = large/small ms
 *   d. an establishment change dated in the past, small
 *      and large ledger                                     growth = large/small ms
 *   e. the full self-inspection (bz_ledger_check) of the
 *      large ledger against a bare GROUP BY over placements ratio = lib/raw s
 *      (also in CPU seconds, and the check's CPU part by part, between
 *      its progress calls)
 *   f. ledger file bytes per hire of the large ledger
 *      (the template left out)                             ratio = lib/raw bytes
 *   g. Python against C: not here (this program is C only)
 *
 * The raw twin is what a minimal system that checks nothing would write, in
 * the library's own schema: its file is the same template (jurisdictions,
 * document, units, establishment, usage slips, all made through the
 * library), opened with sqlite3 directly, and a hire is two INSERTs — one
 * person row, one placement row (its event column, NOT NULL and a foreign
 * key, names an event already in the ledger). An establishment change is
 * one event row and one fact row. The raw connection gets the pragmas the
 * library's own connection has: they are read off the library's connection
 * (caught with sqlite3_auto_extension) after it has built the template, and
 * printed, so the twin follows whatever the library sets.
 *
 * Rows a, b and f have a third side, the writes-only twin (issue 10's
 * ceiling): the rows the library writes for each hire, row for row and
 * column for column (person, placement, card, both records, their chain
 * rows, the counters' breakpoints, txn_log, txn_id), written blind by
 * prepared statements on the same template with the same pragmas, no read
 * and no check — the fastest any checking library recording this much
 * could go. It runs interleaved with the other two (lib, raw, writes only,
 * round by round in a and in the builds, hire by hire in b), and after each
 * run its file is compared with the library's table by table (wo_compare):
 * a difference fails the run (so `--smoke`, in the test suite, fails when
 * the library starts writing other rows than the twin). The rows a and b
 * print, after the table, its rate and the ratios of time per hire raw ÷
 * library, raw ÷ writes only (the ceiling) and writes only ÷ library, by
 * the wall clock and by CPU; f prints its bytes per hire.
 *
 * Each section runs in a child process so that its peak memory (max RSS,
 * getrusage) is its own. Files live in a mkdtemp directory under /tmp (or
 * $TMPDIR), removed at the end.
 *
 *   bench_vs_raw            default size: a few minutes on 2 cores
 *   bench_vs_raw --big      100,000 bulk hires; 10,000 vs 500,000 persons
 *   bench_vs_raw --smoke    a tiny run that only shows it all still works
 *   bench_vs_raw --only a,b [--rounds N]
 *                           only the write rows a and/or b (no ledger is
 *                           built: they start from the template), N rounds
 *                           of a (default 3)
 *   bench_vs_raw --only c | d | f | cd | df | cdf (any of c, d, f)
 *                           only the small and large ledgers and the rows of
 *                           the hire + commit (c), the past-dated change (d)
 *                           and/or the file per hire (f); c and d also print
 *                           their CPU time per operation and its growth
 *                           after the table; with BENCH_KEEP the ledgers are left in
 *                           the directory it prints (for dbstat: f's are
 *                           lib_large.ledger and raw_large.ledger)
 *   bench_vs_raw --only e [--rounds N]
 *                           only the large ledger and the self-inspection row
 *                           (e), N rounds (default 3): on a shared machine,
 *                           the row alone and repeated gives a fairer spread;
 *                           with BENCH_KEEP set in the environment the ledgers
 *                           are left in the directory it prints (to profile)
 *
 * Ends with the table in Markdown, with the date and the machine, for the
 * README. Exit status 0 unless something failed (not whether a goal is met).
 */
#include <bianzhi.h>

#include <sqlite3.h>
#include <uuid/uuid.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define UUIDSZ (BZ_UUID_LEN + 1)
#define MAXROUNDS 16
#define HIST_Y0 2015 /* the large and small ledgers' hires: 2015-01-01 … 2023-12-31 */
#define HIST_Y1 2023
#define NYEARS (HIST_Y1 - HIST_Y0 + 2) /* + 2024, the year of the timed hires */
#define CUR_YEAR 2024
#define CLOCK "2024-12-01"
#define FOUNDED "2012-01-01"
#define PAST_DATE "2014-06-01" /* d: before every hire of the ledger */
#define USER "基准测试"
#define OFFICE "陇南市机构编制委员会办公室"

/* ---- failing ---------------------------------------------------------- */

static void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "bench_vs_raw: ");
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	exit(1);
}

#define LCHK(l, call) do { int rc_ = (call); if (rc_ != BZ_OK) \
	die("%s: %s (%s)", #call, bz_strerror(rc_), bz_ledger_errmsg(l)); } while (0)

static void sql_chk(sqlite3 *db, int rc, const char *what)
{
	if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
		die("sqlite: %s: %s", what, sqlite3_errmsg(db));
}

/* ---- time, statistics ----------------------------------------------- */

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* this process's CPU seconds: steadier than the wall clock on a shared machine (printed per round of a and b) */
static double cpu_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double last_cpu; /* CPU seconds of the last lib_bulk/raw_bulk */

typedef struct series {
	int n;
	double v[MAXROUNDS];
} series;

static void add(series *s, double x)
{
	if (s->n < MAXROUNDS)
		s->v[s->n++] = x;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

typedef struct stat3 {
	double med, min, max;
} stat3;

static stat3 stats(const series *s)
{
	stat3 r = {0, 0, 0};
	if (s->n == 0)
		return r;
	double v[MAXROUNDS];
	memcpy(v, s->v, sizeof v);
	qsort(v, s->n, sizeof v[0], cmp_double);
	r.min = v[0];
	r.max = v[s->n - 1];
	r.med = s->n % 2 ? v[s->n / 2] : (v[s->n / 2 - 1] + v[s->n / 2]) / 2;
	return r;
}

/* the per-round ratio a[i]/b[i] */
static series ratio(const series *a, const series *b)
{
	series r = {0, {0}};
	for (int i = 0; i < a->n && i < b->n; i++)
		add(&r, b->v[i] > 0 ? a->v[i] / b->v[i] : 0);
	return r;
}

/* 12345.6 → "12,346" */
static const char *grouped(char *buf, size_t len, double x)
{
	char raw[32];
	snprintf(raw, sizeof raw, "%.0f", x);
	size_t n = strlen(raw), o = 0;
	for (size_t i = 0; i < n && o + 2 < len; i++) {
		buf[o++] = raw[i];
		if (raw[i] != '-' && (n - i - 1) % 3 == 0 && i + 1 < n)
			buf[o++] = ',';
	}
	buf[o] = '\0';
	return buf;
}

static long max_rss_kb(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

/* ---- dates, people ---------------------------------------------------- */

/* days since 1970-01-01 of a civil date, and back (H. Hinnant's algorithms) */
static long days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, int *y, int *m, int *d)
{
	z += 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static void date_of(char out[16], long days)
{
	int y, m, d;
	civil_from_days(days, &y, &m, &d);
	snprintf(out, 16, "%04d-%02d-%02d", y % 10000, m % 100, d % 100);
}

/* The k-th person: born 1965-01-01 + (k mod 10950) days (aged 20–59 at a
 * hire of 2015–2024), sequence k / 10950: unique for k < 10,950,000. */
#define BIRTH_SPAN 10950L
typedef struct who {
	char id[24]; /* 18 used */
	char name[32];
	char birth[16];
	int sex;
} who;

static void person_of(long k, who *w)
{
	static const int wt[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
	static const char *const sur[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴",
					  "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马", "罗"};
	static const char *const given[] = {"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋",
					    "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "霞", "平",
					    "刚", "桂英", "建国", "建华", "志强", "海燕", "晓东", "文博", "子涵", "雨轩"};
	long bd = days_from_civil(1965, 1, 1) + k % BIRTH_SPAN;
	int y, m, d;
	civil_from_days(bd, &y, &m, &d);
	snprintf(w->birth, sizeof w->birth, "%04d-%02d-%02d", y % 10000, m % 100, d % 100);
	unsigned seq = (unsigned)((k / BIRTH_SPAN) % 1000);
	snprintf(w->id, sizeof w->id, "621202%04u%02u%02u%03u", (unsigned)y % 10000, (unsigned)m % 100,
		 (unsigned)d % 100, seq);
	int sum = 0;
	for (int i = 0; i < 17; i++)
		sum += (w->id[i] - '0') * wt[i];
	w->id[17] = "10X98765432"[sum % 11];
	w->id[18] = '\0';
	w->sex = seq % 2 ? BZ_SEX_MALE : BZ_SEX_FEMALE;
	snprintf(w->name, sizeof w->name, "%s%s", sur[k % 20], given[(k / 20) % 30]);
}

/* ---- sizes ----------------------------------------------------------- */

typedef struct cfg {
	const char *name;
	int units;
	long bulk;      /* a: hires, fresh ledger each round */
	int per_txn;    /* a and the builds: hires per transaction */
	long small, large; /* c–f: persons on the two ledgers */
	int single;     /* b: hires of one transaction each, per round */
	int c_ops, d_ops; /* c, d: operations per round per ledger */
	int rounds;     /* a, e */
	int rounds_small; /* b, c, d */
} cfg;

static const cfg SIZE_DEFAULT = {"default", 1000, 20000, 1000, 2000, 50000, 300, 100, 30, 3, 5};
static const cfg SIZE_BIG = {"big", 1000, 100000, 1000, 10000, 500000, 1000, 300, 50, 3, 5};
static const cfg SIZE_SMOKE = {"smoke", 10, 100, 50, 30, 120, 5, 4, 3, 3, 3};

#define WARMUP 2 /* untimed operations before the rounds of b, c, d */

/* ---- shared state (set up by the parent, inherited by the children) ---- */

static cfg C;
static char dir[256];
static char doc_uuid[UUIDSZ];
static char (*units)[UUIDSZ];  /* C.units */
static char (*slips)[UUIDSZ];  /* C.units × NYEARS: slips[u * NYEARS + (year - HIST_Y0)] */
static int est_per_unit;

/* what the children send back */
typedef struct results {
	char pragmas[512];
	long template_bytes;
	series a_lib, a_raw, a_wo; /* hires/s (wo: the writes-only twin) */
	series b_lib, b_raw, b_wo; /* hires/s */
	series a_cpu_lib, a_cpu_raw, a_cpu_wo; /* CPU µs per hire */
	series b_cpu_lib, b_cpu_raw, b_cpu_wo;
	series c_lib_s, c_lib_l, c_raw_s, c_raw_l; /* ms per hire + commit */
	series d_lib_s, d_lib_l, d_raw_s, d_raw_l; /* ms per change + commit */
	/* the same in CPU ms of this process (the steadier figure on a shared machine) */
	series c_cpu_lib_s, c_cpu_lib_l, c_cpu_raw_s, c_cpu_raw_l;
	series d_cpu_lib_s, d_cpu_lib_l, d_cpu_raw_s, d_cpu_raw_l;
	series e_lib, e_raw;     /* s */
	size_t e_errors, e_warnings;
	double build_lib_rate[2], build_raw_rate[2], build_wo_rate[2]; /* hires/s, small and large */
	long bytes_lib[2], bytes_raw[2], bytes_wo[2];                   /* file sizes, small and large */
	long rss_kb[8];          /* per section */
} results;

static results R;

enum { S_BUILD_SMALL, S_BUILD_LARGE, S_A, S_B, S_C, S_D, S_E, S_COUNT };
static const char *const section_name[S_COUNT] = {"build small", "build large", "a", "b", "c", "d", "e"};

/* ---- files ------------------------------------------------------------ */

static void path_of(char out[320], const char *name)
{
	snprintf(out, 320, "%s/%s", dir, name);
}

static void rm_ledger(const char *path)
{
	char buf[400];
	unlink(path);
	snprintf(buf, sizeof buf, "%s-wal", path);
	unlink(buf);
	snprintf(buf, sizeof buf, "%s-shm", path);
	unlink(buf);
	snprintf(buf, sizeof buf, "%s-journal", path);
	unlink(buf);
}

static long file_bytes(const char *path)
{
	struct stat st;
	char buf[400];
	long n = stat(path, &st) == 0 ? (long)st.st_size : 0;
	snprintf(buf, sizeof buf, "%s-wal", path);
	if (stat(buf, &st) == 0)
		n += (long)st.st_size;
	return n;
}

static void copy_file(const char *from, const char *to)
{
	int in = open(from, O_RDONLY);
	if (in < 0)
		die("open %s: %s", from, strerror(errno));
	int out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (out < 0)
		die("create %s: %s", to, strerror(errno));
	static char buf[1 << 16];
	ssize_t n;
	while ((n = read(in, buf, sizeof buf)) > 0)
		if (write(out, buf, (size_t)n) != n)
			die("write %s: %s", to, strerror(errno));
	if (n < 0)
		die("read %s: %s", from, strerror(errno));
	close(in);
	if (close(out) != 0)
		die("close %s: %s", to, strerror(errno));
}

/* a fresh copy of the template (closed, so checkpointed: one file) */
static void from_template(const char *path)
{
	char tpl[320];
	path_of(tpl, "template.ledger");
	rm_ledger(path);
	copy_file(tpl, path);
}

/* ---- the library's connection and its pragmas ------------------------ */

static int capturing;
static sqlite3 *lib_db; /* the library's connection, caught when it was opened */

static int catch_connection(sqlite3 *db, const char **err, const struct sqlite3_api_routines *api)
{
	(void)err;
	(void)api;
	if (capturing)
		lib_db = db;
	return SQLITE_OK;
}

/*
 * BENCH_SQL_PROFILE=1: every statement the library's connection runs is
 * counted and timed (sqlite3_trace_v2, SQLITE_TRACE_PROFILE) by its SQL
 * text, and the bulk rows print them per hire, the costliest first — where
 * a hire's SQL time goes. Off by default: the trace costs time itself.
 */
typedef struct sqlprof {
	char *sql;
	long n, reprep; /* runs; SQLite's re-preparations of it (schema changed), the last count seen */
	double ns;
} sqlprof;
static sqlprof *prof;
static size_t nprof, capprof;

static int prof_cb(unsigned type, void *ctx, void *p, void *x)
{
	(void)ctx;
	if (type != SQLITE_TRACE_PROFILE)
		return 0;
	const char *sql = sqlite3_sql((sqlite3_stmt *)p);
	if (!sql)
		sql = "?";
	double ns = (double)*(sqlite3_int64 *)x;
	for (size_t i = 0; i < nprof; i++)
		if (strcmp(prof[i].sql, sql) == 0) {
			prof[i].n++;
			prof[i].ns += ns;
			prof[i].reprep = sqlite3_stmt_status((sqlite3_stmt *)p, SQLITE_STMTSTATUS_REPREPARE, 0);
			return 0;
		}
	if (nprof == capprof) {
		capprof = capprof ? 2 * capprof : 64;
		if (!(prof = realloc(prof, capprof * sizeof *prof)))
			die("out of memory");
	}
	if (!(prof[nprof].sql = strdup(sql)))
		die("out of memory");
	prof[nprof].n = 1;
	prof[nprof].reprep = sqlite3_stmt_status((sqlite3_stmt *)p, SQLITE_STMTSTATUS_REPREPARE, 0);
	prof[nprof++].ns = ns;
	return 0;
}

static int prof_cmp(const void *a, const void *b)
{
	double x = ((const sqlprof *)a)->ns, y = ((const sqlprof *)b)->ns;
	return x < y ? 1 : x > y ? -1 : 0;
}

static void prof_forget(void)
{
	for (size_t i = 0; i < nprof; i++)
		free(prof[i].sql);
	nprof = 0;
}

/* per hire (n hires), the costliest first; then forgets them */
static void prof_print(long n)
{
	if (!nprof)
		return;
	qsort(prof, nprof, sizeof *prof, prof_cmp);
	double all = 0, cnt = 0;
	for (size_t i = 0; i < nprof; i++)
		all += prof[i].ns, cnt += (double)prof[i].n;
	printf("  SQL per hire: %.1f statements, %.1f µs\n", cnt / (double)n, all / 1e3 / (double)n);
	for (size_t i = 0; i < nprof; i++) {
		printf("  %8.3f ×  %7.2f µs  %.110s", (double)prof[i].n / (double)n, prof[i].ns / 1e3 / (double)n,
		       prof[i].sql);
		if (prof[i].reprep)
			printf("  [re-prepared %ld times]", prof[i].reprep);
		printf("\n");
		free(prof[i].sql);
	}
	nprof = 0;
}

static bz_ledger *lib_open(const char *path, unsigned flags)
{
	bz_ledger *l = NULL;
	capturing = 1;
	lib_db = NULL;
	if (getenv("BENCH_SQL_PROFILE"))
		sqlite3_auto_extension((void (*)(void))catch_connection);
	int rc = bz_ledger_open(&l, path, flags);
	capturing = 0;
	if (rc != BZ_OK)
		die("bz_ledger_open %s: %s", path, bz_strerror(rc));
	if (getenv("BENCH_SQL_PROFILE") && lib_db)
		sqlite3_trace_v2(lib_db, SQLITE_TRACE_PROFILE, prof_cb, NULL);
	LCHK(l, bz_ledger_set_clock(l, CLOCK));
	return l;
}

/* the connection pragmas that decide the cost of a write */
static const char *const mirrored[] = {"journal_mode", "synchronous", "foreign_keys", "cache_size", "temp_store",
				       "mmap_size", "wal_autocheckpoint", "journal_size_limit", "cache_spill",
				       "locking_mode", "busy_timeout"};

/* "journal_mode=wal;synchronous=2;…" read off the library's connection */
static void read_pragmas(char *out, size_t len)
{
	out[0] = '\0';
	if (!lib_db) {
		/* the library did not open its connection through this process's
		 * SQLite: fall back to what src/schema.c and src/ledger.c set */
		snprintf(out, len, "journal_mode=wal;synchronous=2;foreign_keys=1;busy_timeout=5000");
		return;
	}
	size_t o = 0;
	for (size_t i = 0; i < sizeof mirrored / sizeof mirrored[0]; i++) {
		char sql[64];
		snprintf(sql, sizeof sql, "PRAGMA %s", mirrored[i]);
		sqlite3_stmt *st = NULL;
		if (sqlite3_prepare_v2(lib_db, sql, -1, &st, NULL) != SQLITE_OK)
			continue;
		if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0)) {
			int n = snprintf(out + o, len - o, "%s%s=%s", o ? ";" : "", mirrored[i],
					 (const char *)sqlite3_column_text(st, 0));
			if (n > 0 && (size_t)n < len - o)
				o += (size_t)n;
		}
		sqlite3_finalize(st);
	}
}

static sqlite3 *raw_open(const char *path)
{
	sqlite3 *db = NULL;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
		die("sqlite3_open_v2 %s: %s", path, db ? sqlite3_errmsg(db) : "out of memory");
	char sql[600];
	const char *p = R.pragmas;
	while (*p) {
		const char *e = strchr(p, ';');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		snprintf(sql, sizeof sql, "PRAGMA %.*s", (int)n, p);
		sqlite3_stmt *st = NULL;
		sql_chk(db, sqlite3_prepare_v2(db, sql, -1, &st, NULL), sql);
		while (sqlite3_step(st) == SQLITE_ROW)
			;
		sql_chk(db, sqlite3_finalize(st), sql);
		p += n + (e ? 1 : 0);
	}
	return db;
}

static void raw_close(sqlite3 *db)
{
	if (sqlite3_close(db) != SQLITE_OK)
		die("sqlite3_close: %s", sqlite3_errmsg(db));
}

/* ---- the template: a county with units, establishment and slips ------ */

static void commit(bz_ledger *l, bz_txn *t)
{
	int rc = bz_txn_commit(t);
	if (rc != BZ_OK) {
		const bz_report *r = bz_txn_report(t);
		for (size_t i = 0; i < bz_report_count(r) && i < 10; i++)
			fprintf(stderr, "  %s\n", bz_violation_message(bz_report_get(r, i)));
		die("bz_txn_commit: %s (%s)", bz_strerror(rc), bz_ledger_errmsg(l));
	}
	bz_txn_free(t);
}

static bz_txn *begin(bz_ledger *l)
{
	bz_txn *t = NULL;
	LCHK(l, bz_txn_begin(&t, l, USER, OFFICE));
	LCHK(l, bz_txn_set_document(t, doc_uuid));
	return t;
}

/* The build of the large ledger: hire i goes to unit i mod units on a date
 * spread evenly (and in order) over HIST_Y0 … HIST_Y1. */
static long hist_day(long i, long n)
{
	long d0 = days_from_civil(HIST_Y0, 1, 1), d1 = days_from_civil(HIST_Y1, 12, 31);
	return d0 + (long)((double)i * (double)(d1 - d0) / (double)n);
}

/* posts the template must give each unit: its slips of the history years
 * (enough for the large build), and of 2024 (a, b, c) */
static int hist_posts, cur_posts;
static long dates_small, dates_large; /* distinct hire dates of the two ledgers */

static long distinct_dates(long n)
{
	long k = 0, last = -1;
	for (long i = 0; i < n; i++) {
		long d = hist_day(i, n);
		k += d != last;
		last = d;
	}
	return k;
}

static void plan_posts(void)
{
	int *count = calloc((size_t)C.units * NYEARS, sizeof *count);
	if (!count)
		die("out of memory");
	for (long i = 0; i < C.large; i++) {
		int y, m, d;
		civil_from_days(hist_day(i, C.large), &y, &m, &d);
		int *c = &count[(i % C.units) * NYEARS + (y - HIST_Y0)];
		if (++*c > hist_posts)
			hist_posts = *c;
	}
	free(count);
	long a = (C.bulk + C.units - 1) / C.units;
	long b = ((long)(C.rounds_small + 1) * C.single + WARMUP + C.units - 1) / C.units;
	long c = ((long)(C.rounds_small + 1) * C.c_ops + WARMUP + C.units - 1) / C.units;
	long m = a > b ? a : b;
	m = m > c ? m : c;
	cur_posts = (int)m + 1;
	dates_small = distinct_dates(C.small);
	dates_large = distinct_dates(C.large);
	/* half the establishment stays vacant: R9 (vacancy reserve) stays quiet */
	est_per_unit = 2 * (hist_posts * (NYEARS - 1) + cur_posts);
}

static void build_template(void)
{
	char path[320];
	path_of(path, "template.ledger");
	rm_ledger(path);
	double t0 = now();
	bz_ledger *l = lib_open(path, BZ_OPEN_CREATE);
	bz_txn *t = NULL;
	LCHK(l, bz_txn_begin(&t, l, USER, OFFICE));
	LCHK(l, bz_jurisdiction_create(NULL, t, "620000", "甘肃省", NULL));
	LCHK(l, bz_jurisdiction_create(NULL, t, "621200", "陇南市", "620000"));
	LCHK(l, bz_jurisdiction_create(NULL, t, "621202", "武都区", "621200"));
	bz_document *d = NULL;
	LCHK(l, bz_document_register(&d, t, "中共陇南市委机构编制委员会", "陇编发〔2012〕31号",
				     "关于核定武都区机构编制的通知", FOUNDED, BZ_LEVEL_CITY, BZ_ISSUER_ESTABLISHMENT,
				     "621200"));
	memcpy(doc_uuid, bz_document_uuid(d), UUIDSZ);
	bz_document_free(d);
	LCHK(l, bz_txn_set_document(t, doc_uuid));
	/* room for every unit's establishment, and for d's raises */
	LCHK(l, bz_limit_set(t, "621202", BZ_BRANCH_ADMINISTRATIVE, 2 * (int64_t)C.units * (est_per_unit + 4), FOUNDED));
	commit(l, t);

	const int batch = 250;
	for (int u0 = 0; u0 < C.units; u0 += batch) {
		t = begin(l);
		for (int u = u0; u < u0 + batch && u < C.units; u++) {
			bz_unit_spec *s = NULL;
			char name[64];
			snprintf(name, sizeof name, "武都区第%d局", u + 1);
			LCHK(l, bz_unit_spec_new(&s));
			LCHK(l, bz_unit_spec_set_name(s, name));
			LCHK(l, bz_unit_spec_set_nature(s, BZ_NATURE_ORGAN));
			LCHK(l, bz_unit_spec_set_rank(s, BZ_RANK_ZHENGKE));
			LCHK(l, bz_unit_spec_set_jurisdiction(s, "621202"));
			LCHK(l, bz_unit_spec_set_founded(s, FOUNDED));
			bz_unit *un = NULL;
			LCHK(l, bz_unit_establish(&un, t, s));
			memcpy(units[u], bz_unit_uuid(un), UUIDSZ);
			bz_unit_free(un);
			bz_unit_spec_free(s);
			LCHK(l, bz_establishment_set(t, units[u], "XZ", est_per_unit, FOUNDED));
		}
		commit(l, t);
	}
	/* one usage slip per unit and year, issued on 1 January, valid to 31 December */
	for (int u0 = 0; u0 < C.units; u0 += batch) {
		t = begin(l);
		for (int u = u0; u < u0 + batch && u < C.units; u++) {
			for (int y = 0; y < NYEARS; y++) {
				char issued[16], until[16];
				snprintf(issued, sizeof issued, "%04d-01-01", (HIST_Y0 + y) % 10000);
				snprintf(until, sizeof until, "%04d-12-31", (HIST_Y0 + y) % 10000);
				bz_slip *s = NULL;
				LCHK(l, bz_slip_issue(&s, t, units[u], "XZ", y == NYEARS - 1 ? cur_posts : hist_posts,
						      BZ_PURPOSE_RECRUIT, issued, until, NULL));
				memcpy(slips[u * NYEARS + y], bz_slip_uuid(s), UUIDSZ);
				bz_slip_free(s);
			}
		}
		commit(l, t);
	}
	read_pragmas(R.pragmas, sizeof R.pragmas);
	LCHK(l, bz_ledger_close(l));
	R.template_bytes = file_bytes(path);
	printf("template: %d units (XZ %d each), %d usage slips, built with the library in %.1f s, %.1f MB\n",
	       C.units, est_per_unit, C.units * NYEARS, now() - t0, R.template_bytes / 1e6);
	printf("raw twin pragmas (read off the library's connection%s): %s\n",
	       lib_db ? "" : " — NOT caught, the documented defaults", R.pragmas);
	fflush(stdout);
}

/* ---- one hire, both ways ---------------------------------------------- */

static const char *slip_of(int unit, int year)
{
	return slips[unit * NYEARS + (year - HIST_Y0)];
}

static void lib_hire(bz_ledger *l, bz_txn *t, long k, int unit, int year, const char *date)
{
	who w;
	person_of(k, &w);
	bz_person *p = NULL;
	LCHK(l, bz_person_register(&p, t, w.id, w.name, 0, NULL));
	char pu[UUIDSZ];
	memcpy(pu, bz_person_uuid(p), UUIDSZ);
	bz_person_free(p);
	LCHK(l, bz_placement_enter(NULL, t, pu, units[unit], "XZ", slip_of(unit, year), BZ_ENTRY_RECRUIT, date));
}

typedef struct raw {
	sqlite3 *db;
	sqlite3_stmt *person, *placement, *begin, *commit, *event, *fact;
	long long ev0, txn0; /* an event and a txn_log row already in the ledger */
	char today[16];
} raw;

static sqlite3_stmt *prep(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	sql_chk(db, sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL), sql);
	return st;
}

static void step(raw *r, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		die("sqlite: %s: %s", sqlite3_sql(st), sqlite3_errmsg(r->db));
	sqlite3_reset(st);
}

static void raw_init(raw *r, const char *path)
{
	memset(r, 0, sizeof *r);
	r->db = raw_open(path);
	r->person = prep(r->db, "INSERT INTO person(id, id_number, name, sex, birth) VALUES(?1,?2,?3,?4,?5)");
	r->placement = prep(r->db, "INSERT INTO placement(id, person, unit, category, slip, entry_kind, entry, event)"
				   " VALUES(?1,?2,?3,'XZ',?4,?5,?6,?7)");
	r->event = prep(r->db, "INSERT INTO event(txn, kind, subject, unit, effective, doc) VALUES(?1,?2,?3,?3,?4,?5)");
	r->fact = prep(r->db, "INSERT INTO fact(event, subject, attr, effective, before, after) VALUES(?1,?2,?3,?4,?5,?6)");
	r->begin = prep(r->db, "BEGIN IMMEDIATE");
	r->commit = prep(r->db, "COMMIT");
	sqlite3_stmt *st = prep(r->db, "SELECT max(id), max(txn) FROM event");
	if (sqlite3_step(st) != SQLITE_ROW || sqlite3_column_type(st, 0) == SQLITE_NULL)
		die("the raw twin's template has no event");
	r->ev0 = sqlite3_column_int64(st, 0);
	r->txn0 = sqlite3_column_int64(st, 1);
	sqlite3_finalize(st);
	snprintf(r->today, sizeof r->today, "%s", CLOCK);
}

static void raw_free(raw *r)
{
	sqlite3_finalize(r->person);
	sqlite3_finalize(r->placement);
	sqlite3_finalize(r->event);
	sqlite3_finalize(r->fact);
	sqlite3_finalize(r->begin);
	sqlite3_finalize(r->commit);
	raw_close(r->db);
}

/* the twins' keys are of the form the library makes (src/values.c,
 * bz_uuid_new, since 1.3.2): version 7, the millisecond and its fraction
 * first, so that theirs sort in the order made too and the twins write what
 * a system keyed like the library would (before 1.3.2 both sides made
 * random version-4 keys: README "Performance" gives those figures) */
static void new_uuid(char out[UUIDSZ])
{
	uuid_t u;
	struct timespec ts;
	uuid_generate_random(u);
	clock_gettime(CLOCK_REALTIME, &ts);
	uint64_t ms = (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
	unsigned step = (unsigned)(((uint64_t)(ts.tv_nsec % 1000000) << 12) / 1000000u);
	for (int i = 0; i < 6; i++)
		u[i] = (unsigned char)(ms >> (40 - 8 * i));
	u[6] = (unsigned char)(0x70u | (step >> 8));
	u[7] = (unsigned char)(step & 0xffu);
	u[8] = (unsigned char)(0x80u | (u[8] & 0x3fu));
	uuid_unparse_lower(u, out);
}

static void raw_hire(raw *r, long k, int unit, int year, const char *date)
{
	who w;
	person_of(k, &w);
	char pu[UUIDSZ], pl[UUIDSZ];
	new_uuid(pu);
	sqlite3_bind_text(r->person, 1, pu, -1, SQLITE_STATIC);
	sqlite3_bind_text(r->person, 2, w.id, -1, SQLITE_STATIC);
	sqlite3_bind_text(r->person, 3, w.name, -1, SQLITE_STATIC);
	sqlite3_bind_int(r->person, 4, w.sex);
	sqlite3_bind_text(r->person, 5, w.birth, -1, SQLITE_STATIC);
	step(r, r->person);
	new_uuid(pl);
	sqlite3_bind_text(r->placement, 1, pl, -1, SQLITE_STATIC);
	sqlite3_bind_text(r->placement, 2, pu, -1, SQLITE_STATIC);
	sqlite3_bind_text(r->placement, 3, units[unit], -1, SQLITE_STATIC);
	sqlite3_bind_text(r->placement, 4, slip_of(unit, year), -1, SQLITE_STATIC);
	sqlite3_bind_int(r->placement, 5, BZ_ENTRY_RECRUIT);
	sqlite3_bind_text(r->placement, 6, date, -1, SQLITE_STATIC);
	sqlite3_bind_int64(r->placement, 7, r->ev0);
	step(r, r->placement);
}

/* ---- the writes-only twin: the library's rows, written blind --------- */

/*
 * The ceiling of the record model (issue 10): what a hire costs when the
 * rows the library writes for it are written and nothing else — no read,
 * no rule, no savepoint. Same template file, same pragmas as the raw twin,
 * prepared statements; row for row and column for column what the library
 * writes (checked after every run against the library's own file, see
 * wo_compare, so the twin cannot drift from the library unnoticed):
 *
 *   per transaction  txn_log (who, when, office), txn_id (its UUID)
 *   per hire         event person.register (subject the person, no unit,
 *                    effective the ledger's today, no note); person (its
 *                    event the registration, schema 13); event
 *                    placement.enter (subject the placement, its unit and
 *                    date, note the person's name); placement (its event the
 *                    entry); card (the division's next number, issued on the
 *                    entry date, its event the entry)
 *   at commit        tl: the breakpoints of the four counters a hire moves —
 *                    in post of the unit × category and of the county ×
 *                    branch (+1 from the date on), reserved of both (−1 from
 *                    the date to the slip's end) — merged per counter over
 *                    the transaction: a new breakpoint is one INSERT with its
 *                    value, the existing ones a step moves one range UPDATE
 *                    per run; a counter's key goes into `counter` the first
 *                    time; then record_chain, one row per record (24 bytes
 *                    of parts; the 32-byte hash only on the transaction's
 *                    last record: random bytes of the right sizes)
 *
 * The values are known without reading: the twin keeps each counter's
 * breakpoints in memory, loaded from the template before the clock starts
 * (as raw_init reads the template's last event), and the next card number.
 */
#define WO_FOREVER 99999999L /* a step with no end */

typedef struct wo_bp {
	long day;
	long long value, orig; /* now, and as the table holds it */
	bool fresh;            /* not in the table yet */
} wo_bp;

typedef struct wo_step {
	long from, to; /* [from, to) in days */
	int delta;
} wo_step;

typedef struct wo_ctr {
	char key[128];
	long long id; /* its row in `counter`; 0 until written */
	wo_bp *b;
	size_t n, cap;
	wo_step *s; /* the transaction's steps on it */
	size_t ns, caps;
} wo_ctr;

typedef struct wo {
	sqlite3 *db;
	sqlite3_stmt *person, *event, *placement, *card, *chain, *counter, *tl_ins, *tl_upd, *txn_log, *txn_id,
		*begin, *commit;
	wo_ctr *ctr; /* unit u: [2u] in post, [2u + 1] reserved; the county: [2 units], [2 units + 1] */
	wo_ctr **touched;
	size_t ntouched;
	long long txn, ev_first, ev_last; /* the open transaction and its records */
	long long card_last;
	char prefix[16]; /* the county's code: the card numbers' division */
	uint64_t rng;
} wo;

static void wo_check(wo *w, int rc, const char *what)
{
	if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
		die("sqlite (writes only): %s: %s", what, sqlite3_errmsg(w->db));
}

static void wo_step_done(wo *w, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);
	if (rc != SQLITE_DONE)
		die("sqlite (writes only): %s: %s", sqlite3_sql(st), sqlite3_errmsg(w->db));
	sqlite3_reset(st);
}

static long day_of(const char *date)
{
	int y = 0, m = 0, d = 0;
	if (sscanf(date, "%d-%d-%d", &y, &m, &d) != 3)
		die("bad date %s", date);
	return days_from_civil(y, m, d);
}

static void wo_fill(wo *w, unsigned char *out, size_t n)
{
	for (size_t i = 0; i < n; i++) { /* xorshift64: the chain's bytes need only the right size */
		w->rng ^= w->rng << 13;
		w->rng ^= w->rng >> 7;
		w->rng ^= w->rng << 17;
		out[i] = (unsigned char)w->rng;
	}
}

/* the template's breakpoints of a counter (before the clock starts) */
static void wo_load(wo *w, wo_ctr *c, sqlite3_stmt *q)
{
	sqlite3_bind_text(q, 1, c->key, -1, SQLITE_STATIC);
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		c->id = sqlite3_column_int64(q, 0);
		if (sqlite3_column_type(q, 1) == SQLITE_NULL)
			continue;
		if (c->n == c->cap) {
			c->cap = c->cap ? 2 * c->cap : 16;
			if (!(c->b = realloc(c->b, c->cap * sizeof *c->b)))
				die("out of memory");
		}
		long long v = sqlite3_column_int64(q, 2);
		c->b[c->n++] = (wo_bp){day_of((const char *)sqlite3_column_text(q, 1)), v, v, false};
	}
	wo_check(w, rc, "the template's counters");
	sqlite3_reset(q);
}

/* profile: BENCH_SQL_PROFILE traces this connection too (the bulk runs only: b interleaves it with the library's) */
static void wo_init(wo *w, const char *path, bool profile)
{
	memset(w, 0, sizeof *w);
	w->db = raw_open(path);
	if (profile && getenv("BENCH_SQL_PROFILE"))
		sqlite3_trace_v2(w->db, SQLITE_TRACE_PROFILE, prof_cb, NULL);
	w->rng = 0x9e3779b97f4a7c15ULL;
	w->person = prep(w->db, "INSERT INTO person(id, id_number, name, sex, birth, event) VALUES(?1,?2,?3,?4,?5,?6)");
	w->event = prep(w->db, "INSERT INTO event(txn, kind, subject, unit, effective, doc, note) VALUES(?1,?2,?3,?4,?5,?6,?7)");
	w->placement = prep(w->db, "INSERT INTO placement(id, person, unit, category, slip, entry_kind, entry, event)"
				   " VALUES(?1,?2,?3,'XZ',?4,?5,?6,?7)");
	w->card = prep(w->db, "INSERT INTO card(number, person, issued, prefix, event) VALUES(?1,?2,?3,?4,?5)");
	w->chain = prep(w->db, "INSERT INTO record_chain(seq, hash, parts) VALUES(?1,?2,?3)");
	w->counter = prep(w->db, "INSERT INTO counter(key) VALUES(?1)");
	w->tl_ins = prep(w->db, "INSERT INTO tl(counter, effective, value) VALUES(?1,?2,?3)");
	w->tl_upd = prep(w->db, "UPDATE tl SET value=value+?4 WHERE counter=?1 AND effective>=?2 AND effective<=?3");
	w->txn_log = prep(w->db, "INSERT INTO txn_log(recorded_at, recorded_by, office) VALUES(?1,?2,?3)");
	w->txn_id = prep(w->db, "INSERT INTO txn_id(txn, uuid) VALUES(?1,?2)");
	w->begin = prep(w->db, "BEGIN IMMEDIATE");
	w->commit = prep(w->db, "COMMIT");

	/* what a blind writer knows before it starts: the county, its last card, its counters */
	char juris[UUIDSZ] = "";
	sqlite3_stmt *q = prep(w->db, "SELECT id, code FROM jurisdiction WHERE code='621202'");
	if (sqlite3_step(q) != SQLITE_ROW)
		die("the writes-only twin's template has no county 621202");
	snprintf(juris, sizeof juris, "%s", (const char *)sqlite3_column_text(q, 0));
	snprintf(w->prefix, sizeof w->prefix, "%s", (const char *)sqlite3_column_text(q, 1));
	sqlite3_finalize(q);
	q = prep(w->db, "SELECT COALESCE(max(CAST(substr(number, 8) AS INTEGER)), 0) FROM card WHERE prefix=?1");
	sqlite3_bind_text(q, 1, w->prefix, -1, SQLITE_STATIC);
	if (sqlite3_step(q) != SQLITE_ROW)
		die("the writes-only twin: %s", sqlite3_errmsg(w->db));
	w->card_last = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	size_t n = 2 * (size_t)C.units + 2;
	if (!(w->ctr = calloc(n, sizeof *w->ctr)) || !(w->touched = calloc(n, sizeof *w->touched)))
		die("out of memory");
	for (int u = 0; u < C.units; u++) {
		snprintf(w->ctr[2 * u].key, sizeof w->ctr[0].key, "U:%s:staff:XZ", units[u]);
		snprintf(w->ctr[2 * u + 1].key, sizeof w->ctr[0].key, "U:%s:resv:XZ", units[u]);
	}
	snprintf(w->ctr[n - 2].key, sizeof w->ctr[0].key, "J:%s:staff:%d", juris, BZ_BRANCH_ADMINISTRATIVE);
	snprintf(w->ctr[n - 1].key, sizeof w->ctr[0].key, "J:%s:resv:%d", juris, BZ_BRANCH_ADMINISTRATIVE);
	q = prep(w->db, "SELECT c.id, t.effective, t.value FROM counter c LEFT JOIN tl t ON t.counter=c.id"
			" WHERE c.key=?1 ORDER BY t.effective");
	for (size_t i = 0; i < n; i++)
		wo_load(w, &w->ctr[i], q);
	sqlite3_finalize(q);
}

static void wo_free(wo *w)
{
	sqlite3_stmt *all[] = {w->person, w->event, w->placement, w->card, w->chain, w->counter, w->tl_ins,
			       w->tl_upd, w->txn_log, w->txn_id, w->begin, w->commit};
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
		sqlite3_finalize(all[i]);
	for (size_t i = 0; i < 2 * (size_t)C.units + 2; i++) {
		free(w->ctr[i].b);
		free(w->ctr[i].s);
	}
	free(w->ctr);
	free(w->touched);
	raw_close(w->db);
}

static void wo_begin(wo *w)
{
	wo_step_done(w, w->begin);
	char at[40];
	time_t tt = time(NULL);
	struct tm tm;
	gmtime_r(&tt, &tm);
	snprintf(at, sizeof at, "%sT%02d:%02d:%02d", CLOCK, tm.tm_hour % 100, tm.tm_min % 100, tm.tm_sec % 100);
	sqlite3_bind_text(w->txn_log, 1, at, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(w->txn_log, 2, USER, -1, SQLITE_STATIC);
	sqlite3_bind_text(w->txn_log, 3, OFFICE, -1, SQLITE_STATIC);
	wo_step_done(w, w->txn_log);
	w->txn = sqlite3_last_insert_rowid(w->db);
	char id[UUIDSZ];
	new_uuid(id);
	sqlite3_bind_int64(w->txn_id, 1, w->txn);
	sqlite3_bind_text(w->txn_id, 2, id, -1, SQLITE_TRANSIENT);
	wo_step_done(w, w->txn_id);
	w->ev_first = w->ev_last = 0;
}

static void wo_move(wo *w, wo_ctr *c, long from, long to, int delta)
{
	if (c->ns == 0)
		w->touched[w->ntouched++] = c;
	if (c->ns == c->caps) {
		c->caps = c->caps ? 2 * c->caps : 8;
		if (!(c->s = realloc(c->s, c->caps * sizeof *c->s)))
			die("out of memory");
	}
	c->s[c->ns++] = (wo_step){from, to, delta};
}

static long long wo_event(wo *w, const char *kind, const char *subject, const char *unit, const char *date,
			  const char *note)
{
	sqlite3_bind_int64(w->event, 1, w->txn);
	sqlite3_bind_text(w->event, 2, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(w->event, 3, subject, -1, SQLITE_STATIC);
	if (unit)
		sqlite3_bind_text(w->event, 4, unit, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(w->event, 4);
	sqlite3_bind_text(w->event, 5, date, -1, SQLITE_STATIC);
	sqlite3_bind_text(w->event, 6, doc_uuid, -1, SQLITE_STATIC);
	if (note)
		sqlite3_bind_text(w->event, 7, note, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(w->event, 7);
	wo_step_done(w, w->event);
	long long id = sqlite3_last_insert_rowid(w->db);
	if (!w->ev_first)
		w->ev_first = id;
	w->ev_last = id;
	return id;
}

static void wo_hire(wo *w, long k, int unit, int year, const char *date)
{
	who p;
	person_of(k, &p);
	char pu[UUIDSZ], pl[UUIDSZ];
	new_uuid(pu);
	long long reg = wo_event(w, "person.register", pu, NULL, CLOCK, NULL);
	sqlite3_bind_text(w->person, 1, pu, -1, SQLITE_STATIC);
	sqlite3_bind_text(w->person, 2, p.id, -1, SQLITE_STATIC);
	sqlite3_bind_text(w->person, 3, p.name, -1, SQLITE_STATIC);
	sqlite3_bind_int(w->person, 4, p.sex);
	sqlite3_bind_text(w->person, 5, p.birth, -1, SQLITE_STATIC);
	sqlite3_bind_int64(w->person, 6, reg);
	wo_step_done(w, w->person);
	new_uuid(pl);
	long long entry = wo_event(w, "placement.enter", pl, units[unit], date, p.name);
	sqlite3_bind_text(w->placement, 1, pl, -1, SQLITE_STATIC);
	sqlite3_bind_text(w->placement, 2, pu, -1, SQLITE_STATIC);
	sqlite3_bind_text(w->placement, 3, units[unit], -1, SQLITE_STATIC);
	sqlite3_bind_text(w->placement, 4, slip_of(unit, year), -1, SQLITE_STATIC);
	sqlite3_bind_int(w->placement, 5, BZ_ENTRY_RECRUIT);
	sqlite3_bind_text(w->placement, 6, date, -1, SQLITE_STATIC);
	sqlite3_bind_int64(w->placement, 7, entry);
	wo_step_done(w, w->placement);
	char number[48];
	snprintf(number, sizeof number, "%s-%06lld", w->prefix, ++w->card_last);
	sqlite3_bind_text(w->card, 1, number, -1, SQLITE_STATIC);
	sqlite3_bind_text(w->card, 2, pu, -1, SQLITE_STATIC);
	sqlite3_bind_text(w->card, 3, date, -1, SQLITE_STATIC);
	sqlite3_bind_text(w->card, 4, w->prefix, -1, SQLITE_STATIC);
	sqlite3_bind_int64(w->card, 5, entry);
	wo_step_done(w, w->card);
	/* the slip of the year is valid to 31 December: its reserve ends on 1 January */
	long d = day_of(date), end = days_from_civil(year + 1, 1, 1);
	size_t county = 2 * (size_t)C.units;
	wo_move(w, &w->ctr[2 * unit], d, WO_FOREVER, +1);
	wo_move(w, &w->ctr[county], d, WO_FOREVER, +1);
	wo_move(w, &w->ctr[2 * unit + 1], d, end, -1);
	wo_move(w, &w->ctr[county + 1], d, end, -1);
}

/* the index of the first breakpoint on or after day */
static size_t wo_find(const wo_ctr *c, long day)
{
	size_t lo = 0, hi = c->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (c->b[mid].day < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* a breakpoint on day, holding the value in force the day before if it is new */
static void wo_breakpoint(wo_ctr *c, long day)
{
	size_t i = wo_find(c, day);
	if (i < c->n && c->b[i].day == day)
		return;
	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 16;
		if (!(c->b = realloc(c->b, c->cap * sizeof *c->b)))
			die("out of memory");
	}
	memmove(&c->b[i + 1], &c->b[i], (c->n - i) * sizeof *c->b);
	long long before = i ? c->b[i - 1].value : 0;
	c->b[i] = (wo_bp){day, before, before, true};
	c->n++;
}

static int wo_key_cmp(const void *a, const void *b)
{
	return strcmp((*(wo_ctr *const *)a)->key, (*(wo_ctr *const *)b)->key);
}

static void wo_tl_update(wo *w, wo_ctr *c, size_t i0, size_t i1, long long delta)
{
	char d0[16], d1[16];
	date_of(d0, c->b[i0].day);
	date_of(d1, c->b[i1].day);
	sqlite3_bind_int64(w->tl_upd, 1, c->id);
	sqlite3_bind_text(w->tl_upd, 2, d0, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(w->tl_upd, 3, d1, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(w->tl_upd, 4, delta);
	wo_step_done(w, w->tl_upd);
}

/* one counter's steps of the transaction, merged, written */
static void wo_sync(wo *w, wo_ctr *c)
{
	if (!c->id) {
		sqlite3_bind_text(w->counter, 1, c->key, -1, SQLITE_STATIC);
		wo_step_done(w, w->counter);
		c->id = sqlite3_last_insert_rowid(w->db);
	}
	long lo = WO_FOREVER;
	for (size_t k = 0; k < c->ns; k++) {
		wo_step *s = &c->s[k];
		wo_breakpoint(c, s->from);
		if (s->to != WO_FOREVER)
			wo_breakpoint(c, s->to);
		for (size_t i = wo_find(c, s->from); i < c->n && c->b[i].day < s->to; i++)
			c->b[i].value += s->delta;
		if (s->from < lo)
			lo = s->from;
	}
	c->ns = 0;
	/* the breakpoints the table holds and the steps moved: one UPDATE per run with the same move */
	size_t run = 0;
	long long run_delta = 0;
	bool in_run = false;
	size_t last = 0;
	for (size_t i = wo_find(c, lo); i < c->n; i++) {
		wo_bp *b = &c->b[i];
		if (b->fresh)
			continue;
		long long delta = b->value - b->orig;
		if (in_run && delta != run_delta) {
			wo_tl_update(w, c, run, last, run_delta);
			in_run = false;
		}
		if (delta && !in_run) {
			in_run = true;
			run = i;
			run_delta = delta;
		}
		last = i;
		b->orig = b->value;
	}
	if (in_run)
		wo_tl_update(w, c, run, last, run_delta);
	/* then the new breakpoints, each with its value */
	for (size_t i = wo_find(c, lo); i < c->n; i++) {
		wo_bp *b = &c->b[i];
		if (!b->fresh)
			continue;
		char d[16];
		date_of(d, b->day);
		sqlite3_bind_int64(w->tl_ins, 1, c->id);
		sqlite3_bind_text(w->tl_ins, 2, d, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(w->tl_ins, 3, b->value);
		wo_step_done(w, w->tl_ins);
		b->fresh = false;
		b->orig = b->value;
	}
}

static void wo_commit(wo *w)
{
	qsort(w->touched, w->ntouched, sizeof *w->touched, wo_key_cmp);
	for (size_t i = 0; i < w->ntouched; i++)
		wo_sync(w, w->touched[i]);
	w->ntouched = 0;
	for (long long seq = w->ev_first; w->ev_first && seq <= w->ev_last; seq++) {
		unsigned char parts[24], hash[32];
		wo_fill(w, parts, sizeof parts);
		sqlite3_bind_int64(w->chain, 1, seq);
		if (seq == w->ev_last) {
			wo_fill(w, hash, sizeof hash);
			sqlite3_bind_blob(w->chain, 2, hash, sizeof hash, SQLITE_TRANSIENT);
		} else {
			sqlite3_bind_null(w->chain, 2);
		}
		sqlite3_bind_blob(w->chain, 3, parts, sizeof parts, SQLITE_TRANSIENT);
		wo_step_done(w, w->chain);
	}
	wo_step_done(w, w->commit);
}

/*
 * The twin against the library: after the same hires on the same template,
 * the writes-only file must hold what the library's holds — every table's
 * row count, and the written rows column by column (what differs by
 * nature left out: the UUIDs the two drew, compared through the rows that
 * name them; the chain's bytes, compared by size; the clock's seconds).
 * A difference is a failure: the twin no longer measures the library's writes.
 */
/* q with each "@." naming schema's table (no format string built at run time) */
static void in_schema(char *out, size_t len, const char *q, const char *schema)
{
	size_t o = 0, sl = strlen(schema);
	for (; *q && o + sl + 2 < len; q++) {
		if (q[0] == '@' && q[1] == '.') {
			memcpy(out + o, schema, sl);
			o += sl;
		} else {
			out[o++] = *q;
		}
	}
	if (*q)
		die("query too long: %s", q);
	out[o] = '\0';
}

static void wo_compare(const char *lib_path, const char *wo_path, const char *what)
{
	static const char *const same[] = {
		"SELECT id, txn, kind, unit, effective, doc, note FROM @.event",
		"SELECT id_number, name, sex, birth, event FROM @.person",
		"SELECT pe.id_number, p.unit, p.category, p.slip, p.entry_kind, p.entry, p.event, e.subject=p.id"
		" FROM @.placement p JOIN @.person pe ON pe.id=p.person JOIN @.event e ON e.id=p.event",
		"SELECT e.id, e.subject=pe.id FROM @.event e JOIN @.person pe ON pe.id=e.subject"
		" WHERE e.kind='person.register'",
		"SELECT c.number, pe.id_number, c.issued, c.prefix, c.event FROM @.card c JOIN @.person pe ON pe.id=c.person",
		"SELECT seq, hash IS NULL, length(hash), length(parts) FROM @.record_chain",
		"SELECT c.id, c.key, t.effective, t.value FROM @.tl t JOIN @.counter c ON c.id=t.counter",
		"SELECT id, key FROM @.counter",
		"SELECT id, substr(recorded_at, 1, 11), recorded_by, office FROM @.txn_log",
		"SELECT txn, length(uuid) FROM @.txn_id",
	};
	sqlite3 *db = NULL;
	if (sqlite3_open_v2(wo_path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
		die("open %s: %s", wo_path, sqlite3_errmsg(db));
	char sql[1400];
	snprintf(sql, sizeof sql, "ATTACH '%s' AS lib", lib_path); /* our own mkdtemp path: no quote in it */
	sql_chk(db, sqlite3_exec(db, sql, NULL, NULL, NULL), sql);
	long bad = 0;
	/* every table: the same number of rows (a table the library starts writing shows here first) */
	sqlite3_stmt *tabs = NULL;
	sql_chk(db, sqlite3_prepare_v2(db, "SELECT name FROM main.sqlite_master WHERE type='table' ORDER BY name", -1,
				       &tabs, NULL), "tables");
	while (sqlite3_step(tabs) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(tabs, 0);
		snprintf(sql, sizeof sql, "SELECT (SELECT count(*) FROM main.\"%s\"), (SELECT count(*) FROM lib.\"%s\")", t, t);
		sqlite3_stmt *st = NULL;
		sql_chk(db, sqlite3_prepare_v2(db, sql, -1, &st, NULL), sql);
		if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int64(st, 0) != sqlite3_column_int64(st, 1)) {
			fprintf(stderr, "  %s: table %s: writes only %lld rows, library %lld\n", what, t,
				sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1));
			bad++;
		}
		sqlite3_finalize(st);
	}
	sqlite3_finalize(tabs);
	for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
		char one[2][600];
		for (int side = 0; side < 2; side++)
			in_schema(one[side], sizeof one[side], same[i], side ? "lib" : "main");
		for (int dir = 0; dir < 2; dir++) {
			snprintf(sql, sizeof sql, "SELECT count(*) FROM (%s EXCEPT %s)", one[dir], one[!dir]);
			sqlite3_stmt *st = NULL;
			sql_chk(db, sqlite3_prepare_v2(db, sql, -1, &st, NULL), sql);
			if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int64(st, 0) != 0) {
				fprintf(stderr, "  %s: %lld row(s) only in the %s file: %s\n", what, sqlite3_column_int64(st, 0),
					dir ? "library's" : "writes-only", one[dir]);
				bad++;
			}
			sqlite3_finalize(st);
		}
	}
	sqlite3_close(db);
	if (bad)
		die("%s: the writes-only twin wrote other rows than the library (%ld difference(s))", what, bad);
}

/* ---- bulk: n hires, per_txn per transaction --------------------------- */

typedef void (*date_fn)(char out[16], int *year, long i, long n);

static void date_hist(char out[16], int *year, long i, long n)
{
	int m, d;
	long day = hist_day(i, n);
	civil_from_days(day, year, &m, &d);
	date_of(out, day);
}

/* a: spread over 2024-01-01 … 2024-10-31, in order */
static void date_cur(char out[16], int *year, long i, long n)
{
	long d0 = days_from_civil(CUR_YEAR, 1, 1);
	date_of(out, d0 + (long)((double)i * 300.0 / (double)n));
	*year = CUR_YEAR;
}

/* hires/s */
static double lib_bulk(const char *path, long n, long k0, date_fn df)
{
	bz_ledger *l = lib_open(path, 0);
	prof_forget();
	double t0 = now(), c0 = cpu_now();
	bz_txn *t = NULL;
	for (long i = 0; i < n; i++) {
		if (i % C.per_txn == 0)
			t = begin(l);
		char date[16];
		int year;
		df(date, &year, i, n);
		lib_hire(l, t, k0 + i, (int)(i % C.units), year, date);
		if ((i + 1) % C.per_txn == 0 || i + 1 == n)
			commit(l, t);
	}
	double dt = now() - t0;
	last_cpu = cpu_now() - c0;
	LCHK(l, bz_ledger_close(l));
	if (nprof)
		printf("  library:\n");
	prof_print(n);
	return n / dt;
}

static double raw_bulk(const char *path, long n, long k0, date_fn df)
{
	raw r;
	raw_init(&r, path);
	if (getenv("BENCH_SQL_PROFILE")) /* the bulk runs only (b interleaves the sides) */
		sqlite3_trace_v2(r.db, SQLITE_TRACE_PROFILE, prof_cb, NULL);
	prof_forget();
	double t0 = now(), c0 = cpu_now();
	for (long i = 0; i < n; i++) {
		if (i % C.per_txn == 0)
			step(&r, r.begin);
		char date[16];
		int year;
		df(date, &year, i, n);
		raw_hire(&r, k0 + i, (int)(i % C.units), year, date);
		if ((i + 1) % C.per_txn == 0 || i + 1 == n)
			step(&r, r.commit);
	}
	double dt = now() - t0;
	last_cpu = cpu_now() - c0;
	raw_free(&r);
	if (nprof)
		printf("  raw:\n");
	prof_print(n);
	return n / dt;
}

static double wo_bulk(const char *path, long n, long k0, date_fn df)
{
	wo w;
	wo_init(&w, path, true);
	prof_forget();
	double t0 = now(), c0 = cpu_now();
	for (long i = 0; i < n; i++) {
		if (i % C.per_txn == 0)
			wo_begin(&w);
		char date[16];
		int year;
		df(date, &year, i, n);
		wo_hire(&w, k0 + i, (int)(i % C.units), year, date);
		if ((i + 1) % C.per_txn == 0 || i + 1 == n)
			wo_commit(&w);
	}
	double dt = now() - t0;
	last_cpu = cpu_now() - c0;
	wo_free(&w);
	if (nprof)
		printf("  writes only:\n");
	prof_print(n);
	return n / dt;
}

/* ---- sections (each in its own child) ---------------------------------- */

static bool build_wo = true; /* the builds run the writes-only twin (for f): not for --only c, d or e */

static void section_build(int which)
{
	long n = which ? C.large : C.small;
	const char *tag = which ? "large" : "small";
	char pl[320], pr[320], pw[320], name[64];
	snprintf(name, sizeof name, "lib_%s.ledger", tag);
	path_of(pl, name);
	snprintf(name, sizeof name, "raw_%s.ledger", tag);
	path_of(pr, name);
	snprintf(name, sizeof name, "wo_%s.ledger", tag);
	path_of(pw, name);
	from_template(pl);
	from_template(pr);
	char g[32];
	R.build_lib_rate[which] = lib_bulk(pl, n, 0, date_hist);
	printf("  build %s: library %s hires/s", tag, grouped(g, sizeof g, R.build_lib_rate[which]));
	fflush(stdout);
	R.build_raw_rate[which] = raw_bulk(pr, n, 0, date_hist);
	printf(", raw %s hires/s", grouped(g, sizeof g, R.build_raw_rate[which]));
	fflush(stdout);
	if (build_wo) {
		from_template(pw);
		R.build_wo_rate[which] = wo_bulk(pw, n, 0, date_hist);
		printf(", writes only %s hires/s", grouped(g, sizeof g, R.build_wo_rate[which]));
		R.bytes_wo[which] = file_bytes(pw);
	}
	R.bytes_lib[which] = file_bytes(pl);
	R.bytes_raw[which] = file_bytes(pr);
	printf("; files %.1f MB, %.1f MB", R.bytes_lib[which] / 1e6, R.bytes_raw[which] / 1e6);
	if (build_wo)
		printf(" and %.1f MB", R.bytes_wo[which] / 1e6);
	printf("\n");
	if (build_wo)
		wo_compare(pl, pw, which ? "build large" : "build small");
}

static void section_a(void)
{
	char pl[320], pr[320], pw[320], g1[32], g2[32], g3[32];
	path_of(pl, "a_lib.ledger");
	path_of(pr, "a_raw.ledger");
	path_of(pw, "a_wo.ledger");
	for (int r = 0; r < C.rounds; r++) {
		from_template(pl);
		add(&R.a_lib, lib_bulk(pl, C.bulk, 0, date_cur));
		add(&R.a_cpu_lib, last_cpu * 1e6 / C.bulk);
		from_template(pr);
		add(&R.a_raw, raw_bulk(pr, C.bulk, 0, date_cur));
		add(&R.a_cpu_raw, last_cpu * 1e6 / C.bulk);
		rm_ledger(pr);
		from_template(pw);
		add(&R.a_wo, wo_bulk(pw, C.bulk, 0, date_cur));
		add(&R.a_cpu_wo, last_cpu * 1e6 / C.bulk);
		wo_compare(pl, pw, "a");
		rm_ledger(pl);
		rm_ledger(pw);
		printf("  round %d: library %s hires/s, raw %s hires/s, writes only %s hires/s; CPU per hire %.1f vs %.1f vs %.1f µs\n",
		       r + 1, grouped(g1, sizeof g1, R.a_lib.v[r]), grouped(g2, sizeof g2, R.a_raw.v[r]),
		       grouped(g3, sizeof g3, R.a_wo.v[r]), R.a_cpu_lib.v[r], R.a_cpu_raw.v[r], R.a_cpu_wo.v[r]);
		fflush(stdout);
	}
}

/* one hire + commit on an open ledger, both ways; k unique per ledger */
static void lib_single(bz_ledger *l, long k, int unit, const char *date)
{
	bz_txn *t = begin(l);
	lib_hire(l, t, k, unit, CUR_YEAR, date);
	commit(l, t);
}

static void raw_single(raw *r, long k, int unit, const char *date)
{
	step(r, r->begin);
	raw_hire(r, k, unit, CUR_YEAR, date);
	step(r, r->commit);
}

static void wo_single(wo *w, long k, int unit, const char *date)
{
	wo_begin(w);
	wo_hire(w, k, unit, CUR_YEAR, date);
	wo_commit(w);
}

#define K_SINGLE 5000000L /* persons of b and c: after every built one */

static void section_b(void)
{
	char pl[320], pr[320], pw[320], g1[32], g2[32], g3[32];
	path_of(pl, "b_lib.ledger");
	path_of(pr, "b_raw.ledger");
	path_of(pw, "b_wo.ledger");
	from_template(pl);
	from_template(pr);
	from_template(pw);
	bz_ledger *l = lib_open(pl, 0);
	raw r;
	raw_init(&r, pr);
	wo w;
	wo_init(&w, pw, false);
	long k = K_SINGLE;
	const char *date = "2024-03-01";
	for (int i = 0; i < WARMUP; i++, k++) {
		lib_single(l, k, (int)(k % C.units), date);
		raw_single(&r, k, (int)(k % C.units), date);
		wo_single(&w, k, (int)(k % C.units), date);
	}
	prof_forget();
	/* interleaved hire by hire, so that all three meet the same disk */
	for (int round = 0; round < C.rounds_small; round++) {
		double tl = 0, tr = 0, tw = 0, cl = 0, cr = 0, cw = 0;
		for (int i = 0; i < C.single; i++, k++) {
			double t0 = now(), c0 = cpu_now();
			lib_single(l, k, (int)(k % C.units), date);
			double t1 = now(), c1 = cpu_now();
			raw_single(&r, k, (int)(k % C.units), date);
			double t2 = now(), c2 = cpu_now();
			wo_single(&w, k, (int)(k % C.units), date);
			tl += t1 - t0;
			tr += t2 - t1;
			tw += now() - t2;
			cl += c1 - c0;
			cr += c2 - c1;
			cw += cpu_now() - c2;
		}
		add(&R.b_lib, C.single / tl);
		add(&R.b_raw, C.single / tr);
		add(&R.b_wo, C.single / tw);
		add(&R.b_cpu_lib, cl * 1e6 / C.single);
		add(&R.b_cpu_raw, cr * 1e6 / C.single);
		add(&R.b_cpu_wo, cw * 1e6 / C.single);
		printf("  round %d: library %s hires/s, raw %s hires/s, writes only %s hires/s; CPU per hire %.1f vs %.1f vs %.1f µs\n",
		       round + 1, grouped(g1, sizeof g1, R.b_lib.v[round]), grouped(g2, sizeof g2, R.b_raw.v[round]),
		       grouped(g3, sizeof g3, R.b_wo.v[round]), R.b_cpu_lib.v[round], R.b_cpu_raw.v[round],
		       R.b_cpu_wo.v[round]);
		fflush(stdout);
	}
	LCHK(l, bz_ledger_close(l));
	prof_print((long)C.single * C.rounds_small);
	raw_free(&r);
	wo_free(&w);
	wo_compare(pl, pw, "b");
	rm_ledger(pl);
	rm_ledger(pr);
	rm_ledger(pw);
}

typedef struct four {
	bz_ledger *lib[2];
	raw raw[2];
} four;

static void open_four(four *f)
{
	char p[320];
	path_of(p, "lib_small.ledger");
	f->lib[0] = lib_open(p, 0);
	path_of(p, "lib_large.ledger");
	f->lib[1] = lib_open(p, 0);
	path_of(p, "raw_small.ledger");
	raw_init(&f->raw[0], p);
	path_of(p, "raw_large.ledger");
	raw_init(&f->raw[1], p);
}

static void close_four(four *f)
{
	for (int i = 0; i < 2; i++) {
		LCHK(f->lib[i], bz_ledger_close(f->lib[i]));
		raw_free(&f->raw[i]);
	}
}

static void section_c(void)
{
	four f;
	open_four(&f);
	const char *date = "2024-06-01";
	long k = K_SINGLE;
	for (int i = 0; i < WARMUP; i++, k++)
		for (int s = 0; s < 2; s++) {
			lib_single(f.lib[s], k, (int)(k % C.units), date);
			raw_single(&f.raw[s], k, (int)(k % C.units), date);
		}
	series *lib[2] = {&R.c_lib_s, &R.c_lib_l}, *rw[2] = {&R.c_raw_s, &R.c_raw_l};
	series *clib[2] = {&R.c_cpu_lib_s, &R.c_cpu_lib_l}, *crw[2] = {&R.c_cpu_raw_s, &R.c_cpu_raw_l};
	/* interleaved hire by hire: lib small, raw small, lib large, raw large */
	for (int round = 0; round < C.rounds_small; round++) {
		double tl[2] = {0, 0}, tr[2] = {0, 0}, cl[2] = {0, 0}, cr[2] = {0, 0};
		for (int i = 0; i < C.c_ops; i++, k++)
			for (int s = 0; s < 2; s++) {
				double t0 = now(), c0 = cpu_now();
				lib_single(f.lib[s], k, (int)(k % C.units), date);
				double t1 = now(), c1 = cpu_now();
				raw_single(&f.raw[s], k, (int)(k % C.units), date);
				tl[s] += t1 - t0;
				cl[s] += c1 - c0;
				cr[s] += cpu_now() - c1;
				tr[s] += now() - t1;
			}
		for (int s = 0; s < 2; s++) {
			add(lib[s], tl[s] * 1e3 / C.c_ops);
			add(rw[s], tr[s] * 1e3 / C.c_ops);
			add(clib[s], cl[s] * 1e3 / C.c_ops);
			add(crw[s], cr[s] * 1e3 / C.c_ops);
		}
		printf("  round %d: library %.3f vs %.3f ms, raw %.3f vs %.3f ms (small vs large)\n", round + 1,
		       R.c_lib_s.v[round], R.c_lib_l.v[round], R.c_raw_s.v[round], R.c_raw_l.v[round]);
		fflush(stdout);
	}
	close_four(&f);
}

/* d: the n-th change of a unit sets its XZ establishment to est + 1 + n mod 2 */
static void lib_past(bz_ledger *l, int unit, int64_t posts)
{
	bz_txn *t = begin(l);
	LCHK(l, bz_establishment_set(t, units[unit], "XZ", posts, PAST_DATE));
	commit(l, t);
}

static void raw_past(raw *r, int unit, int64_t before, int64_t after)
{
	char b[24], a[24];
	snprintf(b, sizeof b, "%lld", (long long)before);
	snprintf(a, sizeof a, "%lld", (long long)after);
	step(r, r->begin);
	sqlite3_bind_int64(r->event, 1, r->txn0);
	sqlite3_bind_text(r->event, 2, "establishment.set", -1, SQLITE_STATIC);
	sqlite3_bind_text(r->event, 3, units[unit], -1, SQLITE_STATIC);
	sqlite3_bind_text(r->event, 4, PAST_DATE, -1, SQLITE_STATIC);
	sqlite3_bind_text(r->event, 5, doc_uuid, -1, SQLITE_STATIC);
	step(r, r->event);
	sqlite3_bind_int64(r->fact, 1, sqlite3_last_insert_rowid(r->db));
	sqlite3_bind_text(r->fact, 2, units[unit], -1, SQLITE_STATIC);
	sqlite3_bind_text(r->fact, 3, "est:XZ", -1, SQLITE_STATIC);
	sqlite3_bind_text(r->fact, 4, PAST_DATE, -1, SQLITE_STATIC);
	sqlite3_bind_text(r->fact, 5, b, -1, SQLITE_STATIC);
	sqlite3_bind_text(r->fact, 6, a, -1, SQLITE_STATIC);
	step(r, r->fact);
	step(r, r->commit);
}

static void d_op(four *f, int side, int s, long n)
{
	int unit = (int)(n % C.units);
	long visit = n / C.units; /* this unit's visit: 0, 1, 2 … */
	int64_t before = visit == 0 ? est_per_unit : est_per_unit + 1 + (visit - 1) % 2;
	int64_t after = est_per_unit + 1 + visit % 2;
	if (side == 0)
		lib_past(f->lib[s], unit, after);
	else
		raw_past(&f->raw[s], unit, before, after);
}

static void section_d(void)
{
	four f;
	open_four(&f);
	long n = 0;
	for (int i = 0; i < WARMUP; i++, n++)
		for (int s = 0; s < 2; s++)
			for (int side = 0; side < 2; side++)
				d_op(&f, side, s, n);
	series *out[2][2] = {{&R.d_lib_s, &R.d_lib_l}, {&R.d_raw_s, &R.d_raw_l}};
	series *cout[2][2] = {{&R.d_cpu_lib_s, &R.d_cpu_lib_l}, {&R.d_cpu_raw_s, &R.d_cpu_raw_l}};
	/* interleaved change by change: lib small, raw small, lib large, raw large */
	for (int round = 0; round < C.rounds_small; round++) {
		double t[2][2] = {{0, 0}, {0, 0}}, c[2][2] = {{0, 0}, {0, 0}};
		for (int i = 0; i < C.d_ops; i++, n++)
			for (int s = 0; s < 2; s++)
				for (int side = 0; side < 2; side++) {
					double t0 = now(), c0 = cpu_now();
					d_op(&f, side, s, n);
					c[side][s] += cpu_now() - c0;
					t[side][s] += now() - t0;
				}
		for (int side = 0; side < 2; side++)
			for (int s = 0; s < 2; s++) {
				add(out[side][s], t[side][s] * 1e3 / C.d_ops);
				add(cout[side][s], c[side][s] * 1e3 / C.d_ops);
			}
		printf("  round %d: library %.3f vs %.3f ms, raw %.3f vs %.3f ms (small vs large)\n", round + 1,
		       R.d_lib_s.v[round], R.d_lib_l.v[round], R.d_raw_s.v[round], R.d_raw_l.v[round]);
		fflush(stdout);
	}
	close_four(&f);
}

/* the bare aggregate a system without rules could run for its yearly
 * report: staff in post per unit and category, and anyone in two posts */
static void raw_aggregate(sqlite3 *db)
{
	static const char *const sql[] = {
		"SELECT p.unit, p.category, count(*) FROM placement p"
		" LEFT JOIN placement_exit x ON x.placement = p.id WHERE x.placement IS NULL"
		" GROUP BY p.unit, p.category",
		"SELECT p.person, count(*) FROM placement p"
		" LEFT JOIN placement_exit x ON x.placement = p.id WHERE x.placement IS NULL"
		" GROUP BY p.person HAVING count(*) > 1",
	};
	for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++) {
		sqlite3_stmt *st = NULL;
		sql_chk(db, sqlite3_prepare_v2(db, sql[i], -1, &st, NULL), sql[i]);
		int rc;
		long long sum = 0;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW)
			sum += sqlite3_column_int64(st, 2 - (int)i);
		sql_chk(db, rc, sql[i]);
		sqlite3_finalize(st);
		if (i == 1 && sum != 0)
			die("raw aggregate: %lld persons in two posts", sum);
	}
}

/*
 * The check's parts, timed in CPU seconds between its progress calls: the
 * subjects (R1/R7/R11 candidates and walks, R4/R9, R5, R12/R13 set-based),
 * then each rule's walk over the records in the rules table's order
 * (src/rules.c), then the recompute of the counters and the files.
 */
static const char *const e_part_names[] = {"subjects", "R2", "R3", "R6", "R7", "R8", "R10", "R12", "R13", "R14",
					   "R15", "recompute and files"};
#define E_PARTS (sizeof e_part_names / sizeof e_part_names[0])
static double e_marks[E_PARTS];
static size_t e_nmarks;

static void e_progress(void *ctx, const char *what, int64_t done)
{
	(void)ctx;
	(void)done;
	if (strcmp(what, "check") == 0 && e_nmarks < E_PARTS - 1)
		e_marks[e_nmarks++] = cpu_now();
}

static void section_e(void)
{
	char pl[320], pr[320];
	path_of(pl, "lib_large.ledger");
	path_of(pr, "raw_large.ledger");
	bz_ledger *l = lib_open(pl, 0);
	sqlite3 *db = raw_open(pr);
	series part[E_PARTS], cpu_lib = {0}, cpu_raw = {0};
	memset(part, 0, sizeof part);
	LCHK(l, bz_ledger_set_progress(l, e_progress, NULL));
	for (int round = 0; round < C.rounds; round++) {
		bz_report *rep = NULL;
		e_nmarks = 0;
		double t0 = now(), c0 = cpu_now();
		LCHK(l, bz_ledger_check(&rep, l, NULL));
		double c1 = cpu_now();
		add(&R.e_lib, now() - t0);
		add(&cpu_lib, c1 - c0);
		double prev = c0;
		for (size_t i = 0; i < E_PARTS; i++) {
			double at = i < e_nmarks ? e_marks[i] : c1;
			add(&part[i], at - prev);
			prev = at;
		}
		R.e_errors = bz_report_errors(rep);
		R.e_warnings = bz_report_warnings(rep);
		if (round == 0 && bz_report_count(rep))
			printf("  (the check found %zu error(s), %zu warning(s); first: %s)\n", R.e_errors,
			       R.e_warnings, bz_violation_message(bz_report_get(rep, 0)));
		bz_report_free(rep);
		t0 = now();
		c0 = cpu_now();
		raw_aggregate(db);
		add(&R.e_raw, now() - t0);
		add(&cpu_raw, cpu_now() - c0);
		printf("  round %d: library check %.3f s, raw aggregate %.3f s (CPU %.3f s and %.3f s)\n", round + 1,
		       R.e_lib.v[round], R.e_raw.v[round], cpu_lib.v[round], cpu_raw.v[round]);
		fflush(stdout);
	}
	/* where the check's CPU goes, part by part (median of the rounds; the parts' medians need not add up) */
	series cr = ratio(&cpu_lib, &cpu_raw);
	stat3 sl = stats(&cpu_lib), sr = stats(&cpu_raw), sc = stats(&cr);
	printf("  CPU of the check %.3f s (%.3f–%.3f), of the bare aggregate %.3f s (%.3f–%.3f): %.2f× (%.2f–%.2f)\n",
	       sl.med, sl.min, sl.max, sr.med, sr.min, sr.max, sc.med, sc.min, sc.max);
	printf("  | part | CPU s, median (min–max) |\n  |---|---|\n");
	for (size_t i = 0; i < E_PARTS; i++) {
		stat3 st = stats(&part[i]);
		printf("  | %s | %.3f (%.3f–%.3f) |\n", e_part_names[i], st.med, st.min, st.max);
	}
	LCHK(l, bz_ledger_close(l));
	raw_close(db);
}

static void cleanup(void);

/* run fn in a child; its results and max RSS come back through a pipe */
static void run_section(int s, void (*fn)(void), const char *title)
{
	printf("\n== %s ==\n", title);
	fflush(stdout);
	int fd[2];
	if (pipe(fd) != 0)
		die("pipe: %s", strerror(errno));
	pid_t pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		close(fd[0]);
		fn();
		R.rss_kb[s] = max_rss_kb();
		printf("  max RSS %.1f MB\n", R.rss_kb[s] / 1024.0);
		fflush(stdout);
		const char *p = (const char *)&R;
		size_t left = sizeof R;
		while (left > 0) {
			ssize_t n = write(fd[1], p, left);
			if (n <= 0)
				_exit(1);
			p += n;
			left -= (size_t)n;
		}
		close(fd[1]);
		free(units);
		free(slips);
		exit(0);
	}
	close(fd[1]);
	results got;
	char *p = (char *)&got;
	size_t left = sizeof got;
	while (left > 0) {
		ssize_t n = read(fd[0], p, left);
		if (n <= 0)
			break;
		p += n;
		left -= (size_t)n;
	}
	close(fd[0]);
	int status = 0;
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0 || left != 0) {
		cleanup();
		die("section %s failed", section_name[s]);
	}
	R = got; /* the child started from R and changed only its own part */
}

static void build_small(void) { section_build(0); }
static void build_large(void) { section_build(1); }

/* ---- the report ------------------------------------------------------- */

static void fmt_rate(char *buf, size_t len, const series *s)
{
	stat3 t = stats(s);
	char a[32], b[32], c[32];
	snprintf(buf, len, "%s /s (%s–%s)", grouped(a, sizeof a, t.med), grouped(b, sizeof b, t.min),
		 grouped(c, sizeof c, t.max));
}

static void fmt_ratio(char *buf, size_t len, const series *s, const char *suffix)
{
	stat3 t = stats(s);
	snprintf(buf, len, "%.2f%s (%.2f–%.2f)", t.med, suffix, t.min, t.max);
}

static void fmt_pair(char *buf, size_t len, const series *large, const series *small, const char *unit)
{
	stat3 a = stats(large), b = stats(small);
	snprintf(buf, len, "%.3f vs %.3f %s (%.3f–%.3f vs %.3f–%.3f)", a.med, b.med, unit, a.min, a.max, b.min, b.max);
}

static const char *verdict(double x, double goal, int at_least)
{
	return (at_least ? x >= goal : x <= goal) ? "yes" : "**no**";
}

static void cpu_model(char *out, size_t len)
{
	snprintf(out, len, "unknown CPU");
	FILE *f = fopen("/proc/cpuinfo", "r");
	if (!f)
		return;
	char line[512];
	while (fgets(line, sizeof line, f)) {
		if (strncmp(line, "model name", 10) == 0) {
			char *c = strchr(line, ':');
			if (c) {
				c++;
				while (*c == ' ' || *c == '\t')
					c++;
				c[strcspn(c, "\n")] = '\0';
				snprintf(out, len, "%s", c);
			}
			break;
		}
	}
	fclose(f);
}

/* the row of the self-inspection (e); g1 is scratch for the grouped size */
static void print_row_e(char *g1, size_t g1len)
{
	char rat[96];
	grouped(g1, g1len, (double)C.large);
	series r = ratio(&R.e_lib, &R.e_raw);
	stat3 el = stats(&R.e_lib), er = stats(&R.e_raw);
	fmt_ratio(rat, sizeof rat, &r, "×");
	printf("| full self-inspection, %s persons (%zu errors, %zu warnings) | %.3f s (%.3f–%.3f) | %.3f s (%.3f–%.3f) bare aggregate | %s | ≤ 2× | %s | %.0f MB |\n",
	       g1, R.e_errors, R.e_warnings, el.med, el.min, el.max, er.med, er.min, er.max, rat,
	       verdict(stats(&r).med, 2, 0), R.rss_kb[S_E] / 1024.0);
}

/* the write rows (a, b) */
static void print_row_a(void)
{
	char lib[160], raw_[160], rat[96], g1[32], g2[32], g3[32];
	series r = ratio(&R.a_lib, &R.a_raw);
	fmt_rate(lib, sizeof lib, &R.a_lib);
	fmt_rate(raw_, sizeof raw_, &R.a_raw);
	fmt_ratio(rat, sizeof rat, &r, "");
	printf("| %s hires (register + place against a slip), %s per transaction, %s units, %d rounds | %s | %s | %s | ≥ 0.5 | %s | %.0f MB |\n",
	       grouped(g1, sizeof g1, (double)C.bulk), grouped(g2, sizeof g2, (double)C.per_txn),
	       grouped(g3, sizeof g3, (double)C.units), C.rounds, lib, raw_, rat, verdict(stats(&r).med, 0.5, 1),
	       R.rss_kb[S_A] / 1024.0);
}

static void print_row_b(void)
{
	char lib[160], raw_[160], rat[96];
	series r = ratio(&R.b_lib, &R.b_raw);
	fmt_rate(lib, sizeof lib, &R.b_lib);
	fmt_rate(raw_, sizeof raw_, &R.b_raw);
	fmt_ratio(rat, sizeof rat, &r, "");
	printf("| one hire per transaction (%d per round, %d rounds) | %s | %s | %s | ≥ 0.5 | %s | %.0f MB |\n",
	       C.single, C.rounds_small, lib, raw_, rat, verdict(stats(&r).med, 0.5, 1), R.rss_kb[S_B] / 1024.0);
}

/* "0.12 (0.10–0.15)" of a per-round ratio */
static const char *ratio_text(char *buf, size_t len, const series *x, const series *y)
{
	series r = ratio(x, y);
	fmt_ratio(buf, len, &r, "");
	return buf;
}

/*
 * The writes-only twin of rows a and b, after the table (whose format the
 * README keeps): its rate, and the three ratios in time per hire — raw ÷
 * library (the table's ratio), raw ÷ writes only (the ceiling a checking
 * library with this record model could reach), writes only ÷ library (the
 * library's time that is its writes) — by the wall clock and by CPU.
 */
static void print_wo(bool a, bool b)
{
	printf("\nWrites only (the ceiling): the rows the library writes for each hire, row for row and column for"
	       " column (person, placement, card, two records, their record_chain rows, the counters' breakpoints,"
	       " txn_log and txn_id), written blind with prepared statements — no read, no rule, no savepoint — on the"
	       " same template with the same pragmas, interleaved with the two above; checked against the library's"
	       " file after each run. Ratios of time per hire, per round (wall clock; CPU):\n\n");
	printf("| work | writes only | CPU µs per hire: library, raw, writes only | raw ÷ library | raw ÷ writes only (the ceiling) | writes only ÷ library |\n");
	printf("|---|---|---|---|---|---|\n");
	for (int row = 0; row < 2; row++) {
		if ((row == 0 && !a) || (row == 1 && !b))
			continue;
		const series *lib = row ? &R.b_lib : &R.a_lib, *raw_ = row ? &R.b_raw : &R.a_raw,
			     *w = row ? &R.b_wo : &R.a_wo, *cl = row ? &R.b_cpu_lib : &R.a_cpu_lib,
			     *cr = row ? &R.b_cpu_raw : &R.a_cpu_raw, *cw = row ? &R.b_cpu_wo : &R.a_cpu_wo;
		char rate[160], r1[96], r2[96], r3[96], c1[96], c2[96], c3[96];
		fmt_rate(rate, sizeof rate, w);
		stat3 sl = stats(cl), sr = stats(cr), sw = stats(cw);
		printf("| %s | %s | %.1f, %.1f, %.1f | %s; CPU %s | %s; CPU %s | %s; CPU %s |\n",
		       row ? "b. one hire per transaction" : "a. bulk hires", rate, sl.med, sr.med, sw.med,
		       ratio_text(r1, sizeof r1, lib, raw_), ratio_text(c1, sizeof c1, cr, cl),
		       ratio_text(r2, sizeof r2, w, raw_), ratio_text(c2, sizeof c2, cr, cw),
		       ratio_text(r3, sizeof r3, lib, w), ratio_text(c3, sizeof c3, cw, cl));
	}
}

/* f's writes-only twin, after the table: the same rows in the same file format */
static void print_wo_bytes(void)
{
	double per_lib = (double)(R.bytes_lib[1] - R.template_bytes) / (double)C.large;
	double per_raw = (double)(R.bytes_raw[1] - R.template_bytes) / (double)C.large;
	double per_wo = (double)(R.bytes_wo[1] - R.template_bytes) / (double)C.large;
	char g[32];
	printf("\nWrites only (f): %s B per hire (file %.1f MB): raw ÷ writes only %.2f, writes only ÷ library %.2f"
	       " (the same rows written blind: what the record model itself takes).\n",
	       grouped(g, sizeof g, per_wo), R.bytes_wo[1] / 1e6, per_wo > 0 ? per_raw / per_wo : 0,
	       per_lib > 0 ? per_wo / per_lib : 0);
}

/* --only a,b: the header and those rows */
static void summary_ab(bool a, bool b)
{
	char date[64], cpu[256];
	time_t tt = time(NULL);
	strftime(date, sizeof date, "%Y-%m-%d %H:%M UTC", gmtime(&tt));
	cpu_model(cpu, sizeof cpu);
	printf("\n## the write rows (`bench_vs_raw --only %s%s%s`, %s size)\n\n", a ? "a" : "", a && b ? "," : "",
	       b ? "b" : "", C.name);
	printf("%s; %ld × %s; SQLite %s; libbianzhi %s; pragmas of both: %s.\n\n", date, sysconf(_SC_NPROCESSORS_ONLN),
	       cpu, sqlite3_libversion(), BZ_VERSION_STRING, R.pragmas);
	printf("| work | libbianzhi | raw SQLite | ratio | goal | at goal | max RSS |\n");
	printf("|---|---|---|---|---|---|---|\n");
	if (a)
		print_row_a();
	if (b)
		print_row_b();
	print_wo(a, b);
}

/* row c of the table: hire + commit, large against small ledger, by the wall clock (the table's figure) */
static void print_row_c(const char *g1, const char *g2)
{
	char lib[160], raw_[160], rat[96];
	series rl = ratio(&R.c_lib_l, &R.c_lib_s), rr = ratio(&R.c_raw_l, &R.c_raw_s);
	fmt_pair(lib, sizeof lib, &R.c_lib_l, &R.c_lib_s, "ms");
	fmt_pair(raw_, sizeof raw_, &R.c_raw_l, &R.c_raw_s, "ms");
	fmt_ratio(rat, sizeof rat, &rl, "× growth");
	printf("| hire + commit, %s persons vs %s persons | %s | %s (%.2f×) | %s | ≤ 1.2× | %s | %.0f MB |\n", g1, g2,
	       lib, raw_, stats(&rr).med, rat, verdict(stats(&rl).med, 1.2, 0), R.rss_kb[S_C] / 1024.0);
}

/* row d: a change dated in the past, large against small ledger */
static void print_row_d(const char *g1, const char *g2)
{
	char lib[160], raw_[160], rat[96];
	series rl = ratio(&R.d_lib_l, &R.d_lib_s), rr = ratio(&R.d_raw_l, &R.d_raw_s);
	fmt_pair(lib, sizeof lib, &R.d_lib_l, &R.d_lib_s, "ms");
	fmt_pair(raw_, sizeof raw_, &R.d_raw_l, &R.d_raw_s, "ms");
	fmt_ratio(rat, sizeof rat, &rl, "× growth");
	printf("| establishment change dated in the past, %s vs %s persons | %s | %s (%.2f×) | %s | ≤ 1.5× | %s | %.0f MB |\n",
	       g1, g2, lib, raw_, stats(&rr).med, rat, verdict(stats(&rl).med, 1.5, 0), R.rss_kb[S_D] / 1024.0);
}

/*
 * Rows c and d again in CPU time, after the table: each operation's CPU
 * milliseconds of this process (library and raw timed apart), and the
 * growth large ÷ small of each round — on a machine shared with other jobs
 * the wall clock also counts their load and the disk's, the CPU much less.
 */
static void print_growth_cpu(bool c, bool d, const char *g1, const char *g2)
{
	printf("\nRows c and d in CPU time (ms of this process per operation, large vs small ledger; growth per round):\n\n");
	printf("| work | libbianzhi CPU | raw SQLite CPU | library growth | raw growth | goal |\n");
	printf("|---|---|---|---|---|---|\n");
	for (int row = 0; row < 2; row++) {
		if ((row == 0 && !c) || (row == 1 && !d))
			continue;
		const series *ls = row ? &R.d_cpu_lib_s : &R.c_cpu_lib_s, *ll = row ? &R.d_cpu_lib_l : &R.c_cpu_lib_l,
			     *rs = row ? &R.d_cpu_raw_s : &R.c_cpu_raw_s, *rl_ = row ? &R.d_cpu_raw_l : &R.c_cpu_raw_l;
		char lib[160], raw_[160], gl[96], gr[96];
		series rl = ratio(ll, ls), rr = ratio(rl_, rs);
		fmt_pair(lib, sizeof lib, ll, ls, "ms");
		fmt_pair(raw_, sizeof raw_, rl_, rs, "ms");
		fmt_ratio(gl, sizeof gl, &rl, "×");
		fmt_ratio(gr, sizeof gr, &rr, "×");
		printf("| %s, %s vs %s persons | %s | %s | %s | %s | %s |\n",
		       row ? "establishment change dated in the past" : "hire + commit", g1, g2, lib, raw_, gl, gr,
		       row ? "≤ 1.5×" : "≤ 1.2×");
	}
}

/* --only d / f / df: the header, then the past-dated change's row (d) and the file per hire (f) */
static void summary_cdf(bool c, bool d, bool f)
{
	char date[64], cpu[256], g1[32], g2[32], g3[32], g4[32];
	time_t tt = time(NULL);
	strftime(date, sizeof date, "%Y-%m-%d %H:%M UTC", gmtime(&tt));
	cpu_model(cpu, sizeof cpu);
	char rows[4];
	snprintf(rows, sizeof rows, "%s%s%s", c ? "c" : "", d ? "d" : "", f ? "f" : "");
	printf("\n## rows %s of libbianzhi against raw SQLite (`bench_vs_raw --only %s`, %s size)\n\n", rows, rows,
	       C.name);
	printf("%s; %ld × %s; SQLite %s; libbianzhi %s.\n\n", date, sysconf(_SC_NPROCESSORS_ONLN), cpu,
	       sqlite3_libversion(), BZ_VERSION_STRING);
	printf("| work | libbianzhi | raw SQLite | ratio | goal | at goal | max RSS |\n");
	printf("|---|---|---|---|---|---|---|\n");
	grouped(g1, sizeof g1, (double)C.large);
	grouped(g2, sizeof g2, (double)C.small);
	if (c)
		print_row_c(g1, g2);
	if (d)
		print_row_d(g1, g2);
	if (f) {
		double fr = R.bytes_raw[1] > 0 ? (double)R.bytes_lib[1] / (double)R.bytes_raw[1] : 0;
		double per_lib = (double)(R.bytes_lib[1] - R.template_bytes) / (double)C.large;
		double per_raw = (double)(R.bytes_raw[1] - R.template_bytes) / (double)C.large;
		double fh = per_raw > 0 ? per_lib / per_raw : 0;
		printf("| ledger file, %s persons | %s B per hire (file %.1f MB) | %s B per hire (file %.1f MB) | %.2f× per hire (file %.2f×) | ≤ 2× | %s | |\n",
		       g1, grouped(g3, sizeof g3, per_lib), R.bytes_lib[1] / 1e6, grouped(g4, sizeof g4, per_raw),
		       R.bytes_raw[1] / 1e6, fh, fr, verdict(fh, 2, 0));
		print_wo_bytes();
	}
	if (c || d)
		print_growth_cpu(c, d, g1, g2);
}

/* --only e: the header and that one row */
static void summary_e(void)
{
	char date[64], cpu[256], g1[32];
	time_t tt = time(NULL);
	strftime(date, sizeof date, "%Y-%m-%d %H:%M UTC", gmtime(&tt));
	cpu_model(cpu, sizeof cpu);
	printf("\n## the self-inspection against a bare aggregate (`bench_vs_raw --only e`, %s size, %d rounds)\n\n",
	       C.name, C.rounds);
	printf("%s; %ld × %s; SQLite %s; libbianzhi %s.\n\n", date, sysconf(_SC_NPROCESSORS_ONLN), cpu,
	       sqlite3_libversion(), BZ_VERSION_STRING);
	printf("| work | libbianzhi | raw SQLite | ratio | goal | at goal | max RSS |\n");
	printf("|---|---|---|---|---|---|---|\n");
	print_row_e(g1, sizeof g1);
}

static void summary(void)
{
	char date[64], cpu[256], g1[32], g2[32], g3[32], g4[32];
	time_t tt = time(NULL);
	strftime(date, sizeof date, "%Y-%m-%d %H:%M UTC", gmtime(&tt));
	cpu_model(cpu, sizeof cpu);
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);

	printf("\n## libbianzhi against raw SQLite, same run (`bench_vs_raw`, %s size)\n\n", C.name);
	printf("%s; %ld × %s; SQLite %s; libbianzhi %s; pragmas of both: %s.\n"
	       "Median of the rounds, (min–max) in brackets; ratios are per round (lib and raw of the same round).\n\n",
	       date, ncpu, cpu, sqlite3_libversion(), BZ_VERSION_STRING, R.pragmas);
	printf("| work | libbianzhi | raw SQLite | ratio | goal | at goal | max RSS |\n");
	printf("|---|---|---|---|---|---|---|\n");

	char lib[160], raw_[160], rat[96];
	print_row_a();
	print_row_b();
	grouped(g1, sizeof g1, (double)C.large);
	grouped(g2, sizeof g2, (double)C.small);
	print_row_c(g1, g2);
	print_row_d(g1, g2);

	print_row_e(g1, sizeof g1);

	double fr = R.bytes_raw[1] > 0 ? (double)R.bytes_lib[1] / (double)R.bytes_raw[1] : 0;
	double per_lib = (double)(R.bytes_lib[1] - R.template_bytes) / (double)C.large;
	double per_raw = (double)(R.bytes_raw[1] - R.template_bytes) / (double)C.large;
	double fh = per_raw > 0 ? per_lib / per_raw : 0;
	printf("| ledger file, %s persons | %s B per hire (file %.1f MB) | %s B per hire (file %.1f MB) | %.2f× per hire (file %.2f×) | ≤ 2× | %s | |\n",
	       g1, grouped(g3, sizeof g3, per_lib), R.bytes_lib[1] / 1e6, grouped(g4, sizeof g4, per_raw),
	       R.bytes_raw[1] / 1e6, fh, fr, verdict(fh, 2, 0));
	printf("| 10,000 hires from Python vs C | not run: this program is C only | | | ≥ 0.9 (keep) | | |\n");
	print_wo(true, true);
	print_wo_bytes();
	print_growth_cpu(true, true, g1, g2);

	printf("\nThe ledgers: one county (武都区), %s units, one usage slip per unit and year; the small and large ledgers'"
	       " hires dated day by day from %d-01-01 to %d-12-31 (%s and %s distinct dates in the county's history), the"
	       " timed hires in %d. Raw twin: the same template file, two INSERTs per hire (person, placement), an event and"
	       " a fact row per establishment change; its bare aggregate is staff per unit × category and persons in more"
	       " than one post (two GROUP BYs over placement LEFT JOIN placement_exit). File sizes per hire leave out the"
	       " template (%.1f MB). max RSS: the section's process, library and raw twin together.\n",
	       grouped(g3, sizeof g3, (double)C.units), HIST_Y0, HIST_Y1, grouped(g4, sizeof g4, (double)dates_small),
	       grouped(rat, sizeof rat, (double)dates_large), CUR_YEAR, R.template_bytes / 1e6);
	char g5[32], g6[32];
	printf("\nAlso measured: building the ledgers in bulk (%d per transaction, hires dated 2015–2023): "
	       "%s persons library %s /s, raw %s /s, writes only %s /s (max RSS %.0f MB); %s persons library %s /s,"
	       " raw %s /s, writes only %s /s (max RSS %.0f MB).\n",
	       C.per_txn, g2, grouped(g3, sizeof g3, R.build_lib_rate[0]), grouped(g4, sizeof g4, R.build_raw_rate[0]),
	       grouped(g5, sizeof g5, R.build_wo_rate[0]), R.rss_kb[S_BUILD_SMALL] / 1024.0, g1,
	       grouped(lib, sizeof lib, R.build_lib_rate[1]), grouped(raw_, sizeof raw_, R.build_raw_rate[1]),
	       grouped(g6, sizeof g6, R.build_wo_rate[1]), R.rss_kb[S_BUILD_LARGE] / 1024.0);
}

/* ---- main ------------------------------------------------------------- */

static void cleanup(void)
{
	static const char *const names[] = {"template.ledger", "lib_small.ledger", "raw_small.ledger", "lib_large.ledger",
					    "raw_large.ledger", "a_lib.ledger", "a_raw.ledger", "b_lib.ledger",
					    "b_raw.ledger", "a_wo.ledger", "b_wo.ledger", "wo_small.ledger",
					    "wo_large.ledger"};
	char p[320];
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		path_of(p, names[i]);
		rm_ledger(p);
	}
	if (rmdir(dir) != 0)
		fprintf(stderr, "bench_vs_raw: rmdir %s: %s\n", dir, strerror(errno));
}

static void usage(void)
{
	fprintf(stderr, "usage: bench_vs_raw [--big | --smoke] [--only e | --only a,b | --only a | --only b | --only c|d|f|cd|df|cdf…]"
			" [--rounds N]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	C = SIZE_DEFAULT;
	bool only_e = false, only_a = false, only_b = false, only_c = false, only_d = false, only_f = false;
	int rounds = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--big") == 0)
			C = SIZE_BIG;
		else if (strcmp(argv[i], "--smoke") == 0)
			C = SIZE_SMOKE;
		else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc && strcmp(argv[i + 1], "e") == 0)
			only_e = true, i++;
		else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc &&
			 (strcmp(argv[i + 1], "a,b") == 0 || strcmp(argv[i + 1], "a") == 0 || strcmp(argv[i + 1], "b") == 0))
			only_a = strchr(argv[i + 1], 'a') != NULL, only_b = strchr(argv[i + 1], 'b') != NULL, i++;
		else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc && argv[i + 1][0] &&
			 strspn(argv[i + 1], "cdf") == strlen(argv[i + 1]))
			only_c = strchr(argv[i + 1], 'c') != NULL, only_d = strchr(argv[i + 1], 'd') != NULL,
			only_f = strchr(argv[i + 1], 'f') != NULL, i++;
		else if (strcmp(argv[i], "--rounds") == 0 && i + 1 < argc)
			rounds = atoi(argv[++i]);
		else
			usage();
	}
	if (rounds < 0 || rounds > MAXROUNDS)
		usage();
	if (rounds)
		C.rounds = rounds;
	const char *tmp = getenv("TMPDIR");
	snprintf(dir, sizeof dir, "%s/bench_vs_raw.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir))
		die("mkdtemp %s: %s", dir, strerror(errno));
	units = calloc((size_t)C.units, sizeof *units);
	slips = calloc((size_t)C.units * NYEARS, sizeof *slips);
	if (!units || !slips)
		die("out of memory");
	if (sqlite3_auto_extension((void (*)(void))catch_connection) != SQLITE_OK)
		die("sqlite3_auto_extension failed");
	setvbuf(stdout, NULL, _IOLBF, 0);

	double t0 = now();
	printf("bench_vs_raw (%s size) in %s\n", C.name, dir);
	plan_posts();
	build_template();
	sqlite3_reset_auto_extension();
	build_wo = !(only_e || ((only_c || only_d) && !only_f));
	if (only_e) {
		run_section(S_BUILD_LARGE, build_large, "building the large ledger (library and raw)");
		run_section(S_E, section_e, "e. full self-inspection of the large ledger vs a bare aggregate");
		summary_e();
		printf("\n(%.0f s in all)\n", now() - t0);
		if (getenv("BENCH_KEEP")) { /* the ledgers stay for a profiler: say where */
			printf("kept: %s (BENCH_KEEP)\n", dir);
			return 0;
		}
		cleanup();
		free(units);
		free(slips);
		return 0;
	}
	if (only_c || only_d || only_f) {
		run_section(S_BUILD_SMALL, build_small, "building the small ledger (library and raw)");
		run_section(S_BUILD_LARGE, build_large, "building the large ledger (library and raw)");
		if (only_c)
			run_section(S_C, section_c, "c. hire + commit, small vs large ledger");
		if (only_d)
			run_section(S_D, section_d, "d. establishment change dated " PAST_DATE ", small vs large ledger");
		summary_cdf(only_c, only_d, only_f);
		printf("\n(%.0f s in all)\n", now() - t0);
		if (getenv("BENCH_KEEP")) {
			printf("kept: %s (BENCH_KEEP)\n", dir);
			return 0;
		}
		cleanup();
		free(units);
		free(slips);
		return 0;
	}
	if (only_a || only_b) {
		if (only_a)
			run_section(S_A, section_a, "a. bulk hires, fresh ledger each round");
		if (only_b)
			run_section(S_B, section_b, "b. one hire per transaction");
		summary_ab(only_a, only_b);
		printf("\n(%.0f s in all)\n", now() - t0);
		cleanup();
		free(units);
		free(slips);
		return 0;
	}
	run_section(S_BUILD_SMALL, build_small, "building the small ledger (library and raw)");
	run_section(S_BUILD_LARGE, build_large, "building the large ledger (library and raw)");
	run_section(S_A, section_a, "a. bulk hires, fresh ledger each round");
	run_section(S_B, section_b, "b. one hire per transaction");
	run_section(S_C, section_c, "c. hire + commit, small vs large ledger");
	run_section(S_D, section_d, "d. establishment change dated " PAST_DATE ", small vs large ledger");
	run_section(S_E, section_e, "e. full self-inspection of the large ledger vs a bare aggregate");
	summary();
	printf("\n(%.0f s in all)\n", now() - t0);
	cleanup();
	free(units);
	free(slips);
	return 0;
}
