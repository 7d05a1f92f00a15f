/*
 * bench_pg.c: issue 13's PostgreSQL benchmarks, in one run.
 *
 *   bench_pg [--smoke | --big]
 *
 * (1) Per-commit latency: one hire (register a person, place them against
 *     their unit's usage slip) per transaction, ROUNDS rounds, interleaved
 *     round by round on three ledgers: an SQLite file opened as the library
 *     opens it by default (synchronous=FULL), the same with
 *     BZ_OPEN_SYNC_NORMAL (no fsync at commit), and a PostgreSQL schema.
 *     Median and p90 of each, and the ratios PostgreSQL / SQLite.
 * (2) Scaling on PostgreSQL: 1, 2, 4 and 8 writer processes (fork, each its
 *     own connection), each hiring into the unit of a different county of
 *     陇南市 (its own jurisdiction, document, unit, slip and persons), and 8
 *     writers all hiring into one unit (武都区's); HIRES hires per writer, one
 *     per transaction, each run in a fresh schema set up the same way.
 *     The five runs are interleaved and repeated REPEATS times (each in a
 *     fresh schema); the median and range of commits per second of each,
 *     the ratios 8-county / 1-writer ("scaling"),
 *     2-county / 1-writer and 8-county / 8-same-unit, and how many commits
 *     came back BZ_EBUSY (a serialization failure that outlived the
 *     library's retries) and were made again by the writer.
 *
 * The server: BZ_PG_URI when set (postgresql://…, no schema=: each run adds
 * its own), otherwise a throwaway cluster started with tests/pg_cluster.sh
 * (fsync off, synchronous_commit off: test data) and stopped however this
 * program ends (atexit, a signal, and the script's --watch of this process
 * when it is killed outright). Without the server binaries it says why and
 * exits 0 (`./bz bench` goes on); `meson test` (suite pg) runs --smoke and
 * sees the skip as 77.
 */
#define _POSIX_C_SOURCE 200809L
#include <bianzhi.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef BZ_SOURCE_DIR
#define BZ_SOURCE_DIR "."
#endif

#define OFFICE "陇南市机构编制委员会办公室"
#define NCOUNTY 8
#define POSTS 100000

static const struct {
	const char *code, *name, *abbr;
} county[NCOUNTY] = {
	{"621202", "武都区", "武"}, {"621221", "成县", "成"}, {"621222", "文县", "文"},
	{"621223", "宕昌县", "宕"}, {"621224", "康县", "康"}, {"621225", "西和县", "西"},
	{"621226", "礼县", "礼"},   {"621227", "徽县", "徽"},
};

/* one county's hiring target */
struct target {
	char doc[BZ_UUID_LEN + 1], unit[BZ_UUID_LEN + 1], slip[BZ_UUID_LEN + 1];
};

static char pg_dir[512];       /* the cluster we started, "" if given one */
static char pg_base[1024];     /* the server's URI, without schema= */
static int smoke, is_child, chatty = 1;
static int ready_fd = -1; /* a writer's end of the ready pipe: 'x' when it fails before the start */

static void stop_cluster(void)
{
	if (is_child || !pg_dir[0])
		return;
	char cmd[1200];
	snprintf(cmd, sizeof cmd, "bash '%s/tests/pg_cluster.sh' stop '%s' >/dev/null 2>&1", BZ_SOURCE_DIR, pg_dir);
	if (system(cmd) != 0)
		fprintf(stderr, "bench_pg: stopping the cluster in %s failed\n", pg_dir);
	pg_dir[0] = '\0';
}

static void on_signal(int sig)
{
	stop_cluster();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void die(bz_ledger *l, const char *what, int rc)
{
	fprintf(stderr, "bench_pg: %s: %s (%s)\n", what, bz_strerror(rc), l ? bz_ledger_errmsg(l) : "");
	if (is_child) {
		if (ready_fd >= 0 && write(ready_fd, "x", 1) != 1)
			_exit(2);
		_exit(1);
	}
	exit(1);
}

#define CHECK(l, call)                                                                             \
	do {                                                                                       \
		int rc_ = (call);                                                                  \
		if (rc_ != BZ_OK)                                                                  \
			die((l), #call, rc_);                                                      \
	} while (0)

/* start a cluster (or take BZ_PG_URI); 77 when there is no server to use */
static int start_cluster(void)
{
	const char *given = getenv("BZ_PG_URI");
	if (given && *given) {
		snprintf(pg_base, sizeof pg_base, "%s", given);
		return 0;
	}
	char cmd[1200];
	snprintf(cmd, sizeof cmd, "bash '%s/tests/pg_cluster.sh' start --watch %ld", BZ_SOURCE_DIR, (long)getpid());
	FILE *p = popen(cmd, "r");
	if (!p) {
		perror("bench_pg: popen");
		return 1;
	}
	char line[2048] = "";
	if (!fgets(line, sizeof line, p))
		line[0] = '\0';
	int st = pclose(p);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 77)
		return 77;
	/* export BZ_PG_DIR='…' BZ_PG_URI='…' */
	char *d = strstr(line, "BZ_PG_DIR='"), *u = strstr(line, "BZ_PG_URI='");
	if (st != 0 || !d || !u) {
		fprintf(stderr, "bench_pg: tests/pg_cluster.sh start failed (status %d): %s\n", st, line);
		return 1;
	}
	d += 11;
	u += 11;
	char *de = strchr(d, '\''), *ue = strchr(u, '\'');
	if (!de || !ue)
		return 1;
	snprintf(pg_dir, sizeof pg_dir, "%.*s", (int)(de - d), d);
	snprintf(pg_base, sizeof pg_base, "%.*s", (int)(ue - u), u);
	return 0;
}

static void pg_uri(char *out, size_t n, const char *schema)
{
	snprintf(out, n, "%s%sschema=%s", pg_base, strchr(pg_base, '?') ? "&" : "?", schema);
}

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* the ID number of person k of a region (GB 11643 check character): born
 * 1960-01-01 + (k / 1000) % 40 years, sequence k % 1000: the warm-up hires
 * take k = 39000 + j (born 1999) */
static void id_number(char out[19], const char *region, int k)
{
	static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
	snprintf(out, 19, "%.6s%04u0101%03u", region, (unsigned)(1960 + (k / 1000) % 40), (unsigned)(k % 1000));
	int sum = 0;
	for (int i = 0; i < 17; i++)
		sum += (out[i] - '0') * w[i];
	out[17] = "10X98765432"[sum % 11];
	out[18] = '\0';
}

/* 甘肃省 > 陇南市 > the NCOUNTY counties; in each a document of its 编委, one
 * 行政机关 with POSTS XZ posts and a recruitment slip of half of them (R9
 * keeps a reserve vacant) */
static void setup(const char *where, unsigned flags, struct target tg[NCOUNTY])
{
	bz_ledger *l = NULL;
	CHECK(l, bz_ledger_open(&l, where, BZ_OPEN_CREATE | flags));
	bz_txn *t = NULL;
	CHECK(l, bz_txn_begin(&t, l, "bench", OFFICE));
	CHECK(l, bz_jurisdiction_create(NULL, t, "620000", "甘肃省", NULL));
	CHECK(l, bz_jurisdiction_create(NULL, t, "621200", "陇南市", "620000"));
	for (int c = 0; c < NCOUNTY; c++)
		CHECK(l, bz_jurisdiction_create(NULL, t, county[c].code, county[c].name, "621200"));
	CHECK(l, bz_txn_commit(t));
	bz_txn_free(t);
	for (int c = 0; c < NCOUNTY; c++) {
		char issuer[128], number[128], name[128];
		snprintf(issuer, sizeof issuer, "%s机构编制委员会", county[c].name);
		snprintf(number, sizeof number, "%s编发〔2020〕1号", county[c].abbr);
		snprintf(name, sizeof name, "%s人力资源和社会保障局", county[c].name);
		CHECK(l, bz_txn_begin(&t, l, "bench", OFFICE));
		bz_document *d = NULL;
		CHECK(l, bz_document_register(&d, t, issuer, number, "机构编制", "2020-01-01", BZ_LEVEL_COUNTY,
					      BZ_ISSUER_ESTABLISHMENT, county[c].code));
		memcpy(tg[c].doc, bz_document_uuid(d), sizeof tg[c].doc);
		bz_document_free(d);
		CHECK(l, bz_txn_set_document(t, tg[c].doc));
		bz_unit_spec *s = NULL;
		CHECK(l, bz_unit_spec_new(&s));
		CHECK(l, bz_unit_spec_set_name(s, name));
		CHECK(l, bz_unit_spec_set_nature(s, BZ_NATURE_ORGAN));
		CHECK(l, bz_unit_spec_set_rank(s, BZ_RANK_ZHENGKE));
		CHECK(l, bz_unit_spec_set_jurisdiction(s, county[c].code));
		CHECK(l, bz_unit_spec_set_founded(s, "2020-02-01"));
		bz_unit *u = NULL;
		CHECK(l, bz_unit_establish(&u, t, s));
		bz_unit_spec_free(s);
		memcpy(tg[c].unit, bz_unit_uuid(u), sizeof tg[c].unit);
		bz_unit_free(u);
		CHECK(l, bz_establishment_set(t, tg[c].unit, "XZ", POSTS, "2020-02-01"));
		bz_slip *sl = NULL;
		CHECK(l, bz_slip_issue(&sl, t, tg[c].unit, "XZ", POSTS / 2, BZ_PURPOSE_RECRUIT, "2024-01-01",
				       "2024-12-31", NULL));
		memcpy(tg[c].slip, bz_slip_uuid(sl), sizeof tg[c].slip);
		bz_slip_free(sl);
		CHECK(l, bz_txn_commit(t));
		bz_txn_free(t);
	}
	bz_ledger_close(l);
}

/* commits made again, by cause: BZ_EBUSY (a serialization failure that
 * outlived the library's retries, or a lock held past the busy timeout), and
 * BZ_EEXISTS: a unique key taken by a concurrent commit (seen: SQLSTATE 23505
 * on record_chain_pkey at commit, two writers numbering the same row; and
 * bz_placement_enter's BZ_EEXISTS with no message, writers in one unit).
 * The person's ID number is the writer's own, so no BZ_EEXISTS is genuine;
 * a hire is made again at most 100 times */
static int redone_busy, redone_unique;

/* one hire in a transaction of its own, made again after either failure
 * above (nothing of a failed commit is written) */
static void hire(bz_ledger *l, const struct target *tg, const char *region, int k)
{
	char id[19];
	id_number(id, region, k);
	for (int again = 0;; again++) {
		bz_txn *t = NULL;
		CHECK(l, bz_txn_begin(&t, l, "bench", OFFICE));
		CHECK(l, bz_txn_set_document(t, tg->doc));
		bz_person *p = NULL;
		const char *step = "a hire: bz_person_register";
		int rc = bz_person_register(&p, t, id, "某人", 0, NULL);
		if (rc == BZ_OK) {
			step = "a hire: bz_placement_enter";
			rc = bz_placement_enter(NULL, t, bz_person_uuid(p), tg->unit, "XZ", tg->slip,
						BZ_ENTRY_RECRUIT, "2024-03-01");
			bz_person_free(p);
		}
		if (rc == BZ_OK) {
			step = "a hire: bz_txn_commit";
			rc = bz_txn_commit(t);
		} else {
			bz_txn_rollback(t);
		}
		if (rc == BZ_ECONSTRAINT) {
			const bz_report *rep = bz_txn_report(t);
			for (size_t i = 0; i < bz_report_count(rep); i++)
				fprintf(stderr, "bench_pg: %s\n", bz_violation_message(bz_report_get(rep, i)));
		}
		bz_txn_free(t);
		if (rc == BZ_OK)
			return;
		int unique = rc == BZ_EEXISTS;
		if ((rc != BZ_EBUSY && !unique) || again >= 100)
			die(l, step, rc);
		if (unique && chatty && redone_unique == 0)
			fprintf(stderr, "bench_pg: (made again) %s: %s\n", step, bz_ledger_errmsg(l));
		if (unique)
			redone_unique++;
		else
			redone_busy++;
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* the q-quantile of a sorted array (nearest rank) */
static double quantile(const double *v, int n, double q)
{
	int i = (int)(q * n + 0.999999) - 1;
	if (i < 0)
		i = 0;
	if (i >= n)
		i = n - 1;
	return v[i];
}

static void latency(int rounds, const char *tmpdir)
{
	enum { NB = 3 };
	const char *label[NB] = {"SQLite file, default (synchronous=FULL)", "SQLite file, BZ_OPEN_SYNC_NORMAL",
				 "PostgreSQL 15, Unix socket"};
	char where[NB][2048];
	unsigned flags[NB] = {0, BZ_OPEN_SYNC_NORMAL, 0};
	snprintf(where[0], sizeof where[0], "%s/bench_pg_full.bz", tmpdir);
	snprintf(where[1], sizeof where[1], "%s/bench_pg_normal.bz", tmpdir);
	pg_uri(where[2], sizeof where[2], "bench_latency");
	struct target tg[NB][NCOUNTY];
	bz_ledger *l[NB];
	double *ms[NB];
	for (int b = 0; b < NB; b++) {
		if (b < 2)
			unlink(where[b]);
		setup(where[b], flags[b], tg[b]);
		l[b] = NULL;
		CHECK(l[b], bz_ledger_open(&l[b], where[b], flags[b]));
		ms[b] = calloc((size_t)rounds, sizeof *ms[b]);
		if (!ms[b])
			die(NULL, "calloc", BZ_ENOMEM);
	}
	/* a few unmeasured hires first: the statement caches filled */
	for (int k = 0; k < 5; k++)
		for (int b = 0; b < NB; b++)
			hire(l[b], &tg[b][0], county[0].code, 39000 + k);
	redone_busy = redone_unique = 0;
	for (int r = 0; r < rounds; r++)
		for (int b = 0; b < NB; b++) {
			double t0 = now();
			hire(l[b], &tg[b][0], county[0].code, r);
			ms[b][r] = (now() - t0) * 1e3;
		}
	printf("(1) per-commit latency: one hire (register + place against a slip) per transaction,\n"
	       "    %d rounds interleaved over the three ledgers (ms)\n", rounds);
	printf("    %-42s %9s %9s\n", "backend", "median", "p90");
	double med[NB], p90[NB];
	for (int b = 0; b < NB; b++) {
		qsort(ms[b], (size_t)rounds, sizeof *ms[b], cmp_double);
		med[b] = quantile(ms[b], rounds, 0.5);
		p90[b] = quantile(ms[b], rounds, 0.9);
		printf("    %-42s %9.2f %9.2f\n", label[b], med[b], p90[b]);
		bz_ledger_close(l[b]);
		free(ms[b]);
		if (b < 2) {
			char side[4200];
			unlink(where[b]);
			snprintf(side, sizeof side, "%s-wal", where[b]);
			unlink(side);
			snprintf(side, sizeof side, "%s-shm", where[b]);
			unlink(side);
		}
	}
	printf("    PostgreSQL / SQLite default:     median %.2fx, p90 %.2fx\n", med[2] / med[0], p90[2] / p90[0]);
	printf("    PostgreSQL / SQLite SYNC_NORMAL: median %.2fx, p90 %.2fx\n", med[2] / med[1], p90[2] / p90[1]);
	if (redone_busy || redone_unique)
		printf("    (hires made again: %d after BZ_EBUSY, %d after BZ_EEXISTS)\n", redone_busy,
		       redone_unique);
}

struct result {
	int hires, busy, unique;
};

/* WRITERS processes, HIRES hires each; same_unit: all into county 0's unit.
 * Returns commits per second over the wall time from the start signal to
 * the last writer's end. */
static double writers_run(int writers, int hires, int same_unit, int run, struct result *sum)
{
	char schema[64], uri[2048];
	snprintf(schema, sizeof schema, "bench_w%d_%s_%d", writers, same_unit ? "unit" : "county", run);
	pg_uri(uri, sizeof uri, schema);
	struct target tg[NCOUNTY];
	setup(uri, 0, tg);
	int go[2], ready[2], res[2];
	if (pipe(go) || pipe(ready) || pipe(res)) {
		perror("bench_pg: pipe");
		exit(1);
	}
	fflush(stdout);
	fflush(stderr);
	pid_t pid[NCOUNTY];
	for (int w = 0; w < writers; w++) {
		pid[w] = fork();
		if (pid[w] < 0) {
			perror("bench_pg: fork");
			exit(1);
		}
		if (pid[w] == 0) {
			is_child = 1;
			chatty = w == 0;
			close(go[1]);
			close(ready[0]);
			close(res[0]);
			ready_fd = ready[1];
			bz_ledger *l = NULL;
			CHECK(l, bz_ledger_open(&l, uri, 0));
			CHECK(l, bz_ledger_set_busy_timeout(l, 60000));
			const struct target *mine = &tg[same_unit ? 0 : w];
			/* unmeasured: the statement cache filled before the start */
			hire(l, mine, county[w].code, 39000);
			char c = 'r';
			if (write(ready[1], &c, 1) != 1)
				_exit(1);
			ready_fd = -1;
			redone_busy = redone_unique = 0;
			if (read(go[0], &c, 1) != 0) /* blocks until the parent closes its end */
				_exit(1);
			struct result r = {0, 0, 0};
			for (int k = 0; k < hires; k++) {
				hire(l, mine, county[w].code, k);
				r.hires++;
			}
			r.busy = redone_busy;
			r.unique = redone_unique;
			bz_ledger_close(l);
			if (write(res[1], &r, sizeof r) != (ssize_t)sizeof r)
				_exit(1);
			_exit(0);
		}
	}
	close(go[0]);
	close(ready[1]);
	close(res[1]);
	for (int w = 0; w < writers; w++) {
		char c;
		if (read(ready[0], &c, 1) != 1 || c != 'r') {
			fprintf(stderr, "bench_pg: a writer failed before the start\n");
			for (int v = 0; v < writers; v++)
				kill(pid[v], SIGKILL);
			exit(1);
		}
	}
	double t0 = now();
	close(go[1]);
	int failed = 0;
	for (int w = 0; w < writers; w++) {
		int st;
		while (waitpid(pid[w], &st, 0) < 0 && errno == EINTR)
			;
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
			failed = 1;
	}
	double wall = now() - t0;
	int total = 0;
	*sum = (struct result){0, 0, 0};
	struct result r;
	while (read(res[0], &r, sizeof r) == (ssize_t)sizeof r) {
		total += r.hires;
		sum->busy += r.busy;
		sum->unique += r.unique;
	}
	close(ready[0]);
	close(res[0]);
	if (failed || total != writers * hires) {
		fprintf(stderr, "bench_pg: %d writers: %d of %d hires made\n", writers, total, writers * hires);
		exit(1);
	}
	return total / wall;
}

#define REPEATS 3

/* the median of three */
static double median3(const double v[REPEATS])
{
	double a = v[0], b = v[1], c = v[2];
	return a > b ? (b > c ? b : a > c ? c : a) : (a > c ? a : b > c ? c : b);
}

static void scaling(int hires)
{
	static const int counts[] = {1, 2, 4, 8};
	enum { NRUN = 5 }; /* 1, 2, 4, 8 counties, then 8 in one unit */
	double cps[NRUN][REPEATS];
	struct result rd[NRUN] = {{0, 0, 0}};
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	printf("(2) PostgreSQL, writer processes (one connection each), %d hires each, one per commit;\n"
	       "    the five runs interleaved, %d times over: the median and the range\n", hires, REPEATS);
	printf("    commits made again: after BZ_EBUSY / after BZ_EEXISTS (a key taken by a concurrent commit)\n");
	for (int rep = 0; rep < REPEATS; rep++)
		for (int i = 0; i < NRUN; i++) {
			struct result r;
			cps[i][rep] = writers_run(i < 4 ? counts[i] : 8, hires, i == 4, rep * NRUN + i, &r);
			rd[i].busy += r.busy;
			rd[i].unique += r.unique;
		}
	printf("    %-34s %10s %17s %16s\n", "writers", "commits/s", "range", "made again");
	double med[NRUN];
	for (int i = 0; i < NRUN; i++) {
		double lo = cps[i][0], hi = cps[i][0];
		for (int rep = 1; rep < REPEATS; rep++) {
			lo = cps[i][rep] < lo ? cps[i][rep] : lo;
			hi = cps[i][rep] > hi ? cps[i][rep] : hi;
		}
		med[i] = median3(cps[i]);
		char what[64];
		if (i < 4)
			snprintf(what, sizeof what, "%d in %d different count%s", counts[i], counts[i],
				 counts[i] == 1 ? "y" : "ies");
		else
			snprintf(what, sizeof what, "8 in one unit");
		printf("    %-34s %10.1f %8.1f–%-8.1f %8d /%6d\n", what, med[i], lo, hi, rd[i].busy, rd[i].unique);
	}
	printf("    scaling 2-county / 1-writer: %.2fx\n", med[1] / med[0]);
	printf("    scaling 8-county / 1-writer: %.2fx   (this machine has %ld core%s: server and writers share\n"
	       "                                 them; one writer waits on a round trip per statement, so\n"
	       "                                 more writers fill the cores it leaves idle)\n",
	       med[3] / med[0], cores, cores == 1 ? "" : "s");
	printf("    8-county / 8-same-unit:      %.2fx\n", med[3] / med[4]);
}

int main(int argc, char **argv)
{
	int rounds = 200, hires = 150;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--smoke")) {
			smoke = 1;
			rounds = 5;
			hires = 3;
		} else if (!strcmp(argv[i], "--big")) {
			rounds = 1000;
			hires = 1000;
		} else {
			fprintf(stderr, "usage: bench_pg [--smoke | --big]\n");
			return 2;
		}
	}
	int rc = start_cluster();
	if (rc == 77) {
		printf("bench_pg: SKIP: no PostgreSQL 15 server binaries (tests/pg_cluster.sh: Debian's postgresql-15); "
		       "set BZ_PG_URI to use a running server\n");
		return smoke ? 77 : 0;
	}
	if (rc)
		return 1;
	atexit(stop_cluster);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	const char *tmpdir = getenv("TMPDIR");
	if (!tmpdir || !*tmpdir)
		tmpdir = "/tmp";
	printf("bench_pg: %s; server %s\n", pg_dir[0] ? "a throwaway cluster (fsync off, synchronous_commit off)"
						       : "BZ_PG_URI",
	       pg_dir[0] ? pg_dir : "(given)");
	latency(rounds, tmpdir);
	scaling(hires);
	return 0;
}
