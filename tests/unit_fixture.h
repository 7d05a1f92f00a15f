/* unit_fixture.h: a small Longnan ledger shared by the units area's suites. */
#ifndef BZ_UNIT_FIXTURE_H
#define BZ_UNIT_FIXTURE_H

#include "testutil.h"
#include "catalogue.h"

#include <stdio.h>
#include <string.h>

typedef struct fx {
	bz_ledger *l;
	char city_doc[BZ_UUID_LEN + 1];     /* 陇编发〔2012〕31号, city establishment office */
	char county_doc[BZ_UUID_LEN + 1];   /* 武编发〔2013〕5号, 武都区 establishment office */
	char business_doc[BZ_UUID_LEN + 1]; /* 陇教发〔2013〕7号, a business department */
} fx;

static inline void fx_doc(bz_txn *t, char *out, const char *issuer, const char *num, int level, int kind,
			  const char *jur)
{
	bz_document *d = NULL;
	ck_assert_bz(bz_document_register(&d, t, issuer, num, "关于机构编制事项的通知", "1990-01-10", level, kind, jur));
	memcpy(out, bz_document_uuid(d), BZ_UUID_LEN + 1);
	bz_document_free(d);
}

static inline void fx_setup(fx *f)
{
	f->l = tu_ledger();
	bz_txn *t = tu_begin(f->l);
	ck_assert_bz(bz_jurisdiction_create(NULL, t, "620000", "甘肃省", NULL));
	ck_assert_bz(bz_jurisdiction_create(NULL, t, "621200", "陇南市", "620000"));
	ck_assert_bz(bz_jurisdiction_create(NULL, t, "621202", "武都区", "621200"));
	ck_assert_bz(bz_jurisdiction_create(NULL, t, "621221", "成县", "621200"));
	fx_doc(t, f->city_doc, "陇南市机构编制委员会", "陇编发〔2012〕31号", BZ_LEVEL_CITY, BZ_ISSUER_ESTABLISHMENT, "621200");
	fx_doc(t, f->county_doc, "武都区机构编制委员会", "武编发〔2013〕5号", BZ_LEVEL_COUNTY, BZ_ISSUER_ESTABLISHMENT, "621202");
	fx_doc(t, f->business_doc, "陇南市教育局", "陇教发〔2013〕7号", BZ_LEVEL_CITY, BZ_ISSUER_BUSINESS, "621200");
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
}

/* a credit code with right check characters: 1 + category + division + 8-char body */
static inline void fx_credit(char out[19], char category, const char *division, const char *body8)
{
	snprintf(out, 19, "1%c%.6s%.8s", category, division, body8);
	out[16] = bz_gb11714_check(out + 8);
	out[17] = '\0';
	out[17] = bz_gb32100_check(out);
	out[18] = '\0';
}

/* the first violation of rule (and severity, 0 = any) in the report, or NULL */
static inline const bz_violation *fx_find(const bz_report *r, int rule, int severity)
{
	for (size_t i = 0; i < bz_report_count(r); i++) {
		const bz_violation *v = bz_report_get(r, i);
		if (bz_violation_rule(v) == rule && (!severity || bz_violation_severity(v) == severity))
			return v;
	}
	return NULL;
}

/* the document of the unit's own chain (本级): 武都区's office for its units, the city's for the rest */
static inline const char *fx_doc_for(fx *f, const char *unit)
{
	char code[8];
	ck_assert_bz(bz_unit_division(f->l, unit, code));
	return strcmp(code, "621202") == 0 ? f->county_doc : f->city_doc;
}

/* set a unit's establishment in its own transaction on its own jurisdiction's document */
static inline void fx_est(fx *f, const char *unit, const char *cat, int64_t n, const char *date)
{
	bz_txn *t = tu_begin(f->l);
	ck_assert_bz(bz_txn_set_document(t, fx_doc_for(f, unit)));
	ck_assert_bz(bz_establishment_set(t, unit, cat, n, date));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
}

/* establish a unit in its own transaction on the given document; returns rc of commit */
static inline int fx_unit(fx *f, char out[BZ_UUID_LEN + 1], const char *doc, const char *name, int nature,
			  int rank, const char *jur, const char *founded)
{
	bz_unit_spec *s = NULL;
	ck_assert_bz(bz_unit_spec_new(&s));
	ck_assert_bz(bz_unit_spec_set_name(s, name));
	ck_assert_bz(bz_unit_spec_set_nature(s, nature));
	ck_assert_bz(bz_unit_spec_set_rank(s, rank));
	ck_assert_bz(bz_unit_spec_set_jurisdiction(s, jur));
	ck_assert_bz(bz_unit_spec_set_founded(s, founded));
	bz_txn *t = tu_begin(f->l);
	ck_assert_bz(bz_txn_set_document(t, doc));
	bz_unit *u = NULL;
	ck_assert_bz(bz_unit_establish(&u, t, s));
	if (out)
		memcpy(out, bz_unit_uuid(u), BZ_UUID_LEN + 1);
	bz_unit_free(u);
	bz_unit_spec_free(s);
	int rc = bz_txn_commit(t);
	bz_txn_free(t);
	return rc;
}

#endif
