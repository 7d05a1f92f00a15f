/*
 * bench_hires.c: the C side of issue 10's "10,000 hires from Python vs C"
 * (bench/bench_python.py runs both and prints the ratio). The same work as
 * the Python side, through the public C API:
 *
 *   bench_hires setup LEDGER UNITS   a county (621202) with UNITS 行政机关
 *                                    units, 1,000 XZ posts and a usage slip
 *                                    of 1,000 posts each; prints the spec
 *                                    ("doc UUID", then "unit UUID SLIP" lines)
 *   bench_hires hires LEDGER SPEC N PER_TXN
 *                                    N hires (register a person, place them
 *                                    against their unit's slip on 2024-03-01),
 *                                    round robin over the units, PER_TXN per
 *                                    transaction; prints "seconds S"
 *
 * Person k has the ID number of region 6212xx (xx = 02 + k / 1000), born
 * 1990-01-01, sequence k % 1000, with its GB 11643 check character — the
 * Python side makes the same numbers.
 */
#include <bianzhi.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CHECK(call)                                                                                \
	do {                                                                                       \
		int rc_ = (call);                                                                  \
		if (rc_ != BZ_OK) {                                                                \
			fprintf(stderr, "bench_hires: %s: %s (%s)\n", #call, bz_strerror(rc_),     \
				bz_ledger_errmsg(l));                                              \
			exit(1);                                                                   \
		}                                                                                  \
	} while (0)

static bz_ledger *l;

static void id_number(char out[19], int k)
{
	static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
	snprintf(out, 19, "6212%02u19900101%03u", (unsigned)(2 + k / 1000) % 100u, (unsigned)(k % 1000));
	int sum = 0;
	for (int i = 0; i < 17; i++)
		sum += (out[i] - '0') * w[i];
	out[17] = "10X98765432"[sum % 11];
	out[18] = '\0';
}

static int setup(const char *path, int units)
{
	CHECK(bz_ledger_open(&l, path, BZ_OPEN_CREATE));
	bz_txn *t = NULL;
	CHECK(bz_txn_begin(&t, l, "bench", "武都区机构编制委员会办公室"));
	CHECK(bz_jurisdiction_create(NULL, t, "620000", "甘肃省", NULL));
	CHECK(bz_jurisdiction_create(NULL, t, "621200", "陇南市", "620000"));
	CHECK(bz_jurisdiction_create(NULL, t, "621202", "武都区", "621200"));
	bz_document *d = NULL;
	CHECK(bz_document_register(&d, t, "武都区机构编制委员会", "武编发〔2020〕1号", "机构编制", "2020-01-01",
				   BZ_LEVEL_COUNTY, BZ_ISSUER_ESTABLISHMENT, "621202"));
	char doc[BZ_UUID_LEN + 1];
	memcpy(doc, bz_document_uuid(d), sizeof doc);
	bz_document_free(d);
	CHECK(bz_txn_commit(t));
	bz_txn_free(t);
	printf("doc %s\n", doc);
	for (int i = 0; i < units; i++) {
		CHECK(bz_txn_begin(&t, l, "bench", "武都区机构编制委员会办公室"));
		CHECK(bz_txn_set_document(t, doc));
		bz_unit_spec *s = NULL;
		char name[64];
		snprintf(name, sizeof name, "武都区第%d局", i + 1);
		CHECK(bz_unit_spec_new(&s));
		CHECK(bz_unit_spec_set_name(s, name));
		CHECK(bz_unit_spec_set_nature(s, BZ_NATURE_ORGAN));
		CHECK(bz_unit_spec_set_rank(s, BZ_RANK_ZHENGKE));
		CHECK(bz_unit_spec_set_jurisdiction(s, "621202"));
		CHECK(bz_unit_spec_set_founded(s, "2020-02-01"));
		bz_unit *u = NULL;
		CHECK(bz_unit_establish(&u, t, s));
		bz_unit_spec_free(s);
		CHECK(bz_establishment_set(t, bz_unit_uuid(u), "XZ", 1000, "2020-02-01"));
		bz_slip *sl = NULL;
		CHECK(bz_slip_issue(&sl, t, bz_unit_uuid(u), "XZ", 1000, BZ_PURPOSE_RECRUIT, "2024-01-01", "2024-12-31", NULL));
		printf("unit %s %s\n", bz_unit_uuid(u), bz_slip_uuid(sl));
		bz_slip_free(sl);
		bz_unit_free(u);
		CHECK(bz_txn_commit(t));
		bz_txn_free(t);
	}
	bz_ledger_close(l);
	return 0;
}

static int hires(const char *path, const char *spec, int n, int per_txn)
{
	FILE *f = fopen(spec, "r");
	if (!f) {
		perror(spec);
		return 1;
	}
	char doc[BZ_UUID_LEN + 1] = "", (*unit)[BZ_UUID_LEN + 1] = NULL, (*slip)[BZ_UUID_LEN + 1] = NULL;
	int units = 0, cap = 0;
	char a[16], b[BZ_UUID_LEN + 1], c[BZ_UUID_LEN + 1];
	int got;
	while ((got = fscanf(f, "%15s %36s", a, b)) == 2) {
		if (strcmp(a, "doc") == 0) {
			memcpy(doc, b, sizeof doc);
			continue;
		}
		if (fscanf(f, "%36s", c) != 1)
			break;
		if (units == cap) {
			cap = cap ? cap * 2 : 64;
			unit = realloc(unit, (size_t)cap * sizeof *unit);
			slip = realloc(slip, (size_t)cap * sizeof *slip);
			if (!unit || !slip)
				return 1;
		}
		memcpy(unit[units], b, sizeof unit[units]);
		memcpy(slip[units], c, sizeof slip[units]);
		units++;
	}
	fclose(f);
	if (!units || !doc[0]) {
		fprintf(stderr, "bench_hires: %s is not a spec from `bench_hires setup`\n", spec);
		return 1;
	}
	CHECK(bz_ledger_open(&l, path, 0));
	/* wall clock and this process's CPU time over the same span: on a shared machine the CPU is the steadier */
	struct timespec t0, t1, c0, c1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
	bz_txn *t = NULL;
	for (int k = 0; k < n; k++) {
		if (k % per_txn == 0) {
			CHECK(bz_txn_begin(&t, l, "bench", "武都区机构编制委员会办公室"));
			CHECK(bz_txn_set_document(t, doc));
		}
		char id[19];
		id_number(id, k);
		bz_person *p = NULL;
		CHECK(bz_person_register(&p, t, id, "某人", 0, NULL));
		/* the placement asked for, as the Python binding always returns it */
		bz_placement *pl = NULL;
		CHECK(bz_placement_enter(&pl, t, bz_person_uuid(p), unit[k % units], "XZ", slip[k % units],
					 BZ_ENTRY_RECRUIT, "2024-03-01"));
		bz_placement_free(pl);
		bz_person_free(p);
		if (k % per_txn == per_txn - 1 || k == n - 1) {
			CHECK(bz_txn_commit(t));
			bz_txn_free(t);
		}
	}
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("seconds %.6f cpu %.6f\n", (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
	       (double)(c1.tv_sec - c0.tv_sec) + (double)(c1.tv_nsec - c0.tv_nsec) / 1e9);
	bz_ledger_close(l);
	free(unit);
	free(slip);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "setup") == 0)
		return setup(argv[2], atoi(argv[3]));
	if (argc == 6 && strcmp(argv[1], "hires") == 0)
		return hires(argv[2], argv[3], atoi(argv[4]), atoi(argv[5]));
	fprintf(stderr, "usage: bench_hires setup LEDGER UNITS | bench_hires hires LEDGER SPEC N PER_TXN\n");
	return 2;
}
