/*
 * fuzz_common.h: what the libFuzzer harnesses share — a county ledger in
 * memory (no Check: a harness aborts on a broken invariant, which libFuzzer
 * reports as a crash), a NUL-terminated copy of the input, the input as a
 * file for the readers that take a path.
 */
#ifndef BZ_FUZZ_COMMON_H
#define BZ_FUZZ_COMMON_H

#include "bianzhi.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* an invariant broken: say which and crash, so the input is kept */
#define FZ_ASSERT(cond, ...) do { if (!(cond)) { fprintf(stderr, "invariant: " __VA_ARGS__); \
	fputc('\n', stderr); abort(); } } while (0)
/* a call of the harness's own set-up that must succeed */
#define FZ_OK(call) do { int rc_ = (call); FZ_ASSERT(rc_ == BZ_OK, "%s: %d %s", #call, rc_, bz_strerror(rc_)); } while (0)

/* the input as a C string (owned by the caller: free()) */
static inline char *fz_text(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* the input written to one temporary file per process; its path */
static inline const char *fz_file(const uint8_t *data, size_t size, const char *ext)
{
	static char path[256];
	const char *dir = getenv("TMPDIR");
	snprintf(path, sizeof path, "%s/bz-fuzz-%ld%s", dir ? dir : "/tmp", (long)getpid(), ext);
	FILE *f = fopen(path, "wb");
	FZ_ASSERT(f, "cannot write %s", path);
	if (size)
		FZ_ASSERT(fwrite(data, 1, size, f) == size, "short write %s", path);
	fclose(f);
	return path;
}

/* An ID number with its check character: region (6), birth YYYYMMDD, sequence (3). */
static inline void fz_idnum(char out[19], const char *region, const char *birth8, int seq)
{
	static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
	snprintf(out, 19, "%.6s%.8s%03d", region, birth8, seq % 1000);
	int sum = 0;
	for (int i = 0; i < 17; i++)
		sum += (out[i] - '0') * w[i];
	out[17] = "10X98765432"[sum % 11];
	out[18] = '\0';
}

typedef struct fz_county {
	bz_ledger *l;
	char doc[BZ_UUID_LEN + 1];  /* 武编发〔2013〕5号, the county's establishment office */
	char open[BZ_UUID_LEN + 1]; /* 武编发〔2024〕30号, the opening's document */
	char unit[3][BZ_UUID_LEN + 1];
} fz_county;

/* a county in memory: 甘肃省 / 陇南市 / 武都区, its documents, three units
 * with establishment (a bureau 5 XZ, its school 8 SY, a hospital 6 SY) */
static inline void fz_county_new(fz_county *c)
{
	memset(c, 0, sizeof *c);
	FZ_OK(bz_ledger_open(&c->l, ":memory:", BZ_OPEN_CREATE));
	FZ_OK(bz_ledger_set_clock(c->l, "2026-12-01"));
	bz_txn *t = NULL;
	FZ_OK(bz_txn_begin(&t, c->l, "录入员", "武都区委编办"));
	FZ_OK(bz_jurisdiction_create(NULL, t, "620000", "甘肃省", NULL));
	FZ_OK(bz_jurisdiction_create(NULL, t, "621200", "陇南市", "620000"));
	FZ_OK(bz_jurisdiction_create(NULL, t, "621202", "武都区", "621200"));
	bz_document *d = NULL;
	FZ_OK(bz_document_register(&d, t, "武都区机构编制委员会", "武编发〔2013〕5号", "关于机构编制事项的通知",
				   "2013-01-10", BZ_LEVEL_COUNTY, BZ_ISSUER_ESTABLISHMENT, "621202"));
	memcpy(c->doc, bz_document_uuid(d), BZ_UUID_LEN + 1);
	bz_document_free(d);
	FZ_OK(bz_document_register(&d, t, "武都区机构编制委员会", "武编发〔2024〕30号",
				   "关于建立机构编制实名制管理台账的通知", "2024-12-20", BZ_LEVEL_COUNTY,
				   BZ_ISSUER_ESTABLISHMENT, "621202"));
	memcpy(c->open, bz_document_uuid(d), BZ_UUID_LEN + 1);
	bz_document_free(d);
	FZ_OK(bz_txn_set_document(t, c->doc));
	static const struct {
		const char *name, *cat;
		int nature, rank, est;
	} units[3] = {
		{"武都区教育局", "XZ", BZ_NATURE_ORGAN, BZ_RANK_ZHENGKE, 5},
		{"武都区第一中学", "SY", BZ_NATURE_INSTITUTION, BZ_RANK_NONE, 8},
		{"武都区第一人民医院", "SY", BZ_NATURE_INSTITUTION, BZ_RANK_NONE, 6},
	};
	for (int i = 0; i < 3; i++) {
		bz_unit_spec *s = NULL;
		FZ_OK(bz_unit_spec_new(&s));
		FZ_OK(bz_unit_spec_set_name(s, units[i].name));
		FZ_OK(bz_unit_spec_set_nature(s, units[i].nature));
		FZ_OK(bz_unit_spec_set_rank(s, units[i].rank));
		FZ_OK(bz_unit_spec_set_jurisdiction(s, "621202"));
		FZ_OK(bz_unit_spec_set_founded(s, "2013-02-01"));
		if (i == 1)
			FZ_OK(bz_unit_spec_set_parent(s, c->unit[0]));
		bz_unit *u = NULL;
		FZ_OK(bz_unit_establish(&u, t, s));
		memcpy(c->unit[i], bz_unit_uuid(u), BZ_UUID_LEN + 1);
		bz_unit_free(u);
		bz_unit_spec_free(s);
		FZ_OK(bz_establishment_set(t, c->unit[i], units[i].cat, units[i].est, "2013-02-01"));
	}
	int rc = bz_txn_commit(t);
	for (size_t i = 0; rc != BZ_OK && i < bz_report_count(bz_txn_report(t)); i++)
		fprintf(stderr, "  %s\n", bz_violation_message(bz_report_get(bz_txn_report(t), i)));
	FZ_ASSERT(rc == BZ_OK, "the county: %d %s", rc, bz_ledger_errmsg(c->l));
	bz_txn_free(t);
}

/* after a successful commit the self-inspection finds no error */
static inline void fz_check_clean(bz_ledger *l, const char *after)
{
	bz_report *r = NULL;
	FZ_OK(bz_ledger_check(&r, l, NULL));
	size_t errors = bz_report_errors(r);
	for (size_t i = 0; errors && i < bz_report_count(r); i++)
		fprintf(stderr, "  %s\n", bz_violation_message(bz_report_get(r, i)));
	bz_report_free(r);
	FZ_ASSERT(errors == 0, "the full check finds %zu error(s) after %s", errors, after);
}

#endif
