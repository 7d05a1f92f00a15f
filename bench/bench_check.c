/*
 * bench_check.c: the cost of checking one commit does not grow with the
 * ledger. Builds ledgers of 50 and 50,000 units (one file each, in bulk
 * transactions), then times a single establishment change + commit on
 * each, N times, and prints the median.
 *
 *   bench_check [N]        (default N = 201; the first commits after the bulk build pay for WAL checkpoints, so a median over many is the fair figure)
 *
 * Not a meson test: a timing, run by hand.
 */
#include <bianzhi.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define DIE(call) do { int rc_ = (call); if (rc_ != BZ_OK) { \
	fprintf(stderr, "bench_check: %s: %s (%s)\n", #call, bz_strerror(rc_), bz_ledger_errmsg(l)); exit(1); } } while (0)

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static void rm_ledger(const char *path)
{
	char buf[512];
	unlink(path);
	snprintf(buf, sizeof buf, "%s-wal", path);
	unlink(buf);
	snprintf(buf, sizeof buf, "%s-shm", path);
	unlink(buf);
}

static double run(int units, int n)
{
	char path[256];
	snprintf(path, sizeof path, "/tmp/bench_check_%d_%ld.ledger", units, (long)getpid());
	rm_ledger(path);
	bz_ledger *l = NULL;
	DIE(bz_ledger_open(&l, path, BZ_OPEN_CREATE));
	DIE(bz_ledger_set_clock(l, "2026-12-01"));
	bz_txn *t = NULL;
	bz_document *d = NULL;
	DIE(bz_txn_begin(&t, l, "bench", "陇南市编办"));
	DIE(bz_jurisdiction_create(NULL, t, "620000", "甘肃省", NULL));
	DIE(bz_jurisdiction_create(NULL, t, "621200", "陇南市", "620000"));
	DIE(bz_jurisdiction_create(NULL, t, "621202", "武都区", "621200"));
	DIE(bz_document_register(&d, t, "陇南市机构编制委员会", "陇编发〔2012〕31号", "关于机构编制事项的通知",
				 "2012-01-01", BZ_LEVEL_CITY, BZ_ISSUER_ESTABLISHMENT, "621200"));
	char doc[BZ_UUID_LEN + 1];
	memcpy(doc, bz_document_uuid(d), sizeof doc);
	bz_document_free(d);
	DIE(bz_txn_set_document(t, doc));
	DIE(bz_limit_set(t, "621202", 1, (int64_t)units * 20, "2012-01-01"));
	DIE(bz_txn_commit(t));
	bz_txn_free(t);

	char target[BZ_UUID_LEN + 1] = "";
	double t0 = now();
	const int batch = 5000;
	for (int i = 0; i < units; i += batch) {
		DIE(bz_txn_begin(&t, l, "bench", "陇南市编办"));
		DIE(bz_txn_set_document(t, doc));
		for (int k = i; k < i + batch && k < units; k++) {
			bz_unit_spec *s = NULL;
			char name[64];
			snprintf(name, sizeof name, "武都区第%d单位", k);
			DIE(bz_unit_spec_new(&s));
			DIE(bz_unit_spec_set_name(s, name));
			DIE(bz_unit_spec_set_nature(s, BZ_NATURE_ORGAN));
			DIE(bz_unit_spec_set_rank(s, BZ_RANK_ZHENGKE));
			DIE(bz_unit_spec_set_jurisdiction(s, "621202"));
			DIE(bz_unit_spec_set_founded(s, "2012-01-01"));
			bz_unit *u = NULL;
			DIE(bz_unit_establish(&u, t, s));
			DIE(bz_establishment_set(t, bz_unit_uuid(u), "XZ", 10, "2012-01-01"));
			if (k == units / 2)
				memcpy(target, bz_unit_uuid(u), sizeof target);
			bz_unit_free(u);
			bz_unit_spec_free(s);
		}
		DIE(bz_txn_commit(t));
		bz_txn_free(t);
	}
	double build = now() - t0;

	double *times = calloc(n, sizeof *times);
	for (int i = 0; i < n; i++) {
		double a = now();
		DIE(bz_txn_begin(&t, l, "bench", "陇南市编办"));
		DIE(bz_txn_set_document(t, doc));
		DIE(bz_establishment_set(t, target, "XZ", 11 + i % 5, "2020-01-01"));
		DIE(bz_txn_commit(t));
		bz_txn_free(t);
		times[i] = now() - a;
	}
	qsort(times, n, sizeof *times, cmp);
	double median = times[n / 2];
	printf("%6d units: built in %.1f s; one establishment change + commit: median %.3f ms (min %.3f, max %.3f, N=%d)\n",
	       units, build, median * 1e3, times[0] * 1e3, times[n - 1] * 1e3, n);
	free(times);
	bz_ledger_close(l);
	rm_ledger(path);
	return median;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 201;
	if (n < 1)
		n = 1;
	double small = run(50, n);
	double big = run(50000, n);
	printf("ratio 50,000 / 50: %.2f\n", big / small);
	return 0;
}
