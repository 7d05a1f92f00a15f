/*
 * bench_archive: a scanned file attached to a document (bz_file_attach:
 * hashed, then streamed into the ledger with incremental blob I/O), read
 * back whole through bz_file_reader_read in 256 KiB pieces, and the
 * unit's archive exported as a zip — against the naive way, a plain SQLite
 * insert of the whole file read into memory and bound as one blob (then
 * read back with one sqlite3_column_blob). Each run in a child process of
 * its own so that its peak RSS (getrusage ru_maxrss) is its own, at three
 * sizes: the library's growth stops at SQLite's page cache (64 MiB, what
 * the library gives a county's indexes), the naive one grows with the file.
 *
 *   bench_archive [--smoke | --big]    default 10, 50 and 150 MB; --big 50, 200 and 500 MB
 *
 * BZ_BENCH_PG_URI=postgresql://… (e.g. BZ_PG_URI of tests/pg_cluster.sh):
 * the library's side runs on a PostgreSQL ledger instead (a schema of its
 * own per size: the bytes as 1 MiB bytea chunks, issue 13); the naive side
 * stays SQLite's, for scale.
 */
#include <bianzhi.h>
#include <sqlite3.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

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
	fprintf(stderr, "bench_archive: %s: %s (%s)\n", what, bz_strerror(rc), l ? bz_ledger_errmsg(l) : "");
	exit(1);
}
#define OK(l, call)                              \
	do {                                     \
		int rc_ = (call);                \
		if (rc_ != BZ_OK)                \
			die(#call, rc_, (l));    \
	} while (0)

/* a file of n bytes that looks like a scan, written in pieces */
static void write_scan(const char *path, long long n)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		exit(1);
	static unsigned char buf[1 << 16];
	uint32_t x = 12345;
	fputs("%PDF-1.4\n", f);
	for (long long done = 9; done < n;) {
		size_t k = n - done < (long long)sizeof buf ? (size_t)(n - done) : sizeof buf;
		for (size_t i = 0; i < k; i++) {
			x = x * 1103515245u + 12345u;
			buf[i] = (unsigned char)(x >> 16);
		}
		fwrite(buf, 1, k, f);
		done += (long long)k;
	}
	fclose(f);
}

typedef struct result {
	double in, out, zip; /* seconds */
	long kb_in, kb_out;  /* peak RSS growth after going in, and after coming out and the zip */
} result;

static void run_library(const char *dir, const char *scan, long long n, result *r)
{
	char path[512], zip[512];
	const char *pg = getenv("BZ_BENCH_PG_URI");
	if (pg && *pg)
		snprintf(path, sizeof path, "%s%sschema=bench_archive_%ld_%lld", pg, strchr(pg, '?') ? "&" : "?",
			 (long)getpid(), n / 1000000);
	else
		snprintf(path, sizeof path, "%s/ledger-%lld", dir, n);
	snprintf(zip, sizeof zip, "%s/archive-%lld.zip", dir, n);
	bz_ledger *l = NULL;
	OK(l, bz_ledger_open(&l, path, BZ_OPEN_CREATE));
	bz_txn *t = NULL;
	bz_document *d = NULL;
	OK(l, bz_txn_begin(&t, l, "王编", "武都区委编办"));
	OK(l, bz_jurisdiction_create(NULL, t, "620000", "甘肃省", NULL));
	OK(l, bz_jurisdiction_create(NULL, t, "621200", "陇南市", "620000"));
	OK(l, bz_jurisdiction_create(NULL, t, "621202", "武都区", "621200"));
	OK(l, bz_document_register(&d, t, "中共武都区委机构编制委员会", "武编发〔2015〕8号", "关于区直部分事业单位机构编制事项的通知",
				   "2015-03-02", BZ_LEVEL_COUNTY, BZ_ISSUER_ESTABLISHMENT, "621202"));
	OK(l, bz_txn_commit(t));
	bz_txn_free(t);
	long base = peak_kb();
	double t0 = now();
	bz_file *f = NULL;
	OK(l, bz_txn_begin(&t, l, "王编", "武都区委编办"));
	OK(l, bz_file_attach(&f, t, bz_document_uuid(d), scan, "扫描件.pdf"));
	OK(l, bz_txn_commit(t));
	bz_txn_free(t);
	r->in = now() - t0;
	r->kb_in = peak_kb() - base;
	t0 = now();
	bz_file_reader *rd = NULL;
	OK(l, bz_file_reader_open(&rd, l, bz_file_uuid(f)));
	static unsigned char buf[256 * 1024];
	int64_t got = 0, total = 0;
	do {
		OK(l, bz_file_reader_read(&got, rd, buf, sizeof buf));
		total += got;
	} while (got > 0);
	bz_file_reader_free(rd);
	if (total != n)
		die("read back", BZ_ECORRUPT, l);
	r->out = now() - t0;
	t0 = now();
	int64_t files = 0;
	OK(l, bz_archive_export(&files, l, zip, NULL, "621202", NULL, 0));
	r->zip = now() - t0;
	r->kb_out = peak_kb() - base;
	bz_file_free(f);
	bz_document_free(d);
	bz_ledger_close(l);
}

/* the naive way: the whole file in memory, one bound blob, one column read */
static void run_naive(const char *dir, const char *scan, long long n, result *r)
{
	char path[512];
	snprintf(path, sizeof path, "%s/naive-%lld.db", dir, n);
	sqlite3 *db = NULL;
	if (sqlite3_open(path, &db) != SQLITE_OK ||
	    sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA cache_size=-65536;"
			     "CREATE TABLE f(id INTEGER PRIMARY KEY, data BLOB)", NULL, NULL, NULL) != SQLITE_OK)
		exit(1);
	long base = peak_kb();
	double t0 = now();
	FILE *in = fopen(scan, "rb");
	unsigned char *all = malloc((size_t)n);
	if (!in || !all || fread(all, 1, (size_t)n, in) != (size_t)n)
		exit(1);
	fclose(in);
	sqlite3_stmt *st = NULL;
	sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
	sqlite3_prepare_v2(db, "INSERT INTO f(data) VALUES(?1)", -1, &st, NULL);
	sqlite3_bind_blob64(st, 1, all, (sqlite3_uint64)n, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		exit(1);
	sqlite3_finalize(st);
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	free(all);
	r->in = now() - t0;
	r->kb_in = peak_kb() - base;
	t0 = now();
	sqlite3_prepare_v2(db, "SELECT data FROM f", -1, &st, NULL);
	if (sqlite3_step(st) != SQLITE_ROW || sqlite3_column_bytes(st, 0) != n || !sqlite3_column_blob(st, 0))
		exit(1);
	sqlite3_finalize(st);
	r->out = now() - t0;
	r->zip = 0;
	r->kb_out = peak_kb() - base;
	sqlite3_close(db);
}

/* run one side in a child: its result through a pipe */
static void in_child(bool library, const char *dir, const char *scan, long long n, result *r)
{
	int fd[2];
	if (pipe(fd) != 0)
		exit(1);
	pid_t pid = fork();
	if (pid == 0) {
		close(fd[0]);
		result x;
		if (library)
			run_library(dir, scan, n, &x);
		else
			run_naive(dir, scan, n, &x);
		if (write(fd[1], &x, sizeof x) != sizeof x)
			_exit(1);
		_exit(0);
	}
	close(fd[1]);
	int st = 0;
	if (read(fd[0], r, sizeof *r) != sizeof *r || waitpid(pid, &st, 0) != pid || !WIFEXITED(st) ||
	    WEXITSTATUS(st) != 0) {
		fprintf(stderr, "bench_archive: the %s run failed\n", library ? "library" : "naive");
		exit(1);
	}
	close(fd[0]);
}

int main(int argc, char **argv)
{
	long long mb[3] = {10, 50, 150};
	if (argc > 1 && strcmp(argv[1], "--smoke") == 0) {
		mb[0] = 1;
		mb[1] = 2;
		mb[2] = 4;
	} else if (argc > 1 && strcmp(argv[1], "--big") == 0) {
		mb[0] = 50;
		mb[1] = 200;
		mb[2] = 500;
	}
	char dir[] = "/tmp/bench-archive-XXXXXX";
	if (!mkdtemp(dir))
		return 1;
	printf("| file | libbianzhi attach (hash + blob I/O, commit) | read back (256 KiB pieces) | archive zip |"
	       " peak RSS growth in / in+out | naive insert (whole file bound) | naive read | naive peak RSS growth in / in+out |\n");
	printf("|---|---|---|---|---|---|---|---|\n");
	for (int i = 0; i < 3; i++) {
		long long n = mb[i] * 1000 * 1000;
		char scan[300];
		snprintf(scan, sizeof scan, "%s/scan-%lld.pdf", dir, mb[i]);
		write_scan(scan, n);
		result lib, naive;
		in_child(true, dir, scan, n, &lib);
		in_child(false, dir, scan, n, &naive);
		printf("| %lld MB | %.2f s | %.2f s | %.2f s | %.1f / %.1f MiB | %.2f s | %.2f s | %.1f / %.1f MiB |\n", mb[i],
		       lib.in, lib.out, lib.zip, lib.kb_in / 1024.0, lib.kb_out / 1024.0, naive.in, naive.out,
		       naive.kb_in / 1024.0, naive.kb_out / 1024.0);
		fflush(stdout);
		char cmd[400];
		snprintf(cmd, sizeof cmd, "rm -f '%s'/*-%lld* '%s'", dir, n, scan);
		if (system(cmd) != 0)
			return 1;
	}
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : 1;
}
