/*
 * test_exchange.c: export and import of whole ledgers (exchange.h) — two
 * counties of 陇南市 (成县 and 徽县), each built independently in its own
 * ledger with its own copy of 甘肃省, 陇南市 and the city's document, ten
 * units and a couple of hundred people each (成县 hires on usage slips,
 * 徽县 loads its people in an opening); a city ledger that consolidates
 * them. Round trip, import twice, a newer export, conflicts, damaged
 * files, counters, origins and the scope of a jurisdiction.
 */
#include "testutil.h"
#include "catalogue.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NU 10

typedef struct county {
	bz_ledger *l;
	const char *code, *name, *abbr;
	bool opening;
	char city_doc[BZ_UUID_LEN + 1], county_doc[BZ_UUID_LEN + 1];
	char unit[NU][BZ_UUID_LEN + 1];
	char first_person[BZ_UUID_LEN + 1], first_idnum[19];
	int staff[NU];
	int people;
	char file[256]; /* its export */
} county;

static const struct {
	const char *name;
	int nature, rank, est;
} units[NU] = {
	{"人民政府办公室", BZ_NATURE_ORGAN, BZ_RANK_ZHENGKE, 22},
	{"发展和改革局", BZ_NATURE_ORGAN, BZ_RANK_ZHENGKE, 18},
	{"教育局", BZ_NATURE_ORGAN, BZ_RANK_ZHENGKE, 25},
	{"财政局", BZ_NATURE_ORGAN, BZ_RANK_ZHENGKE, 28},
	{"人力资源和社会保障局", BZ_NATURE_ORGAN, BZ_RANK_ZHENGKE, 20},
	{"卫生健康局", BZ_NATURE_ORGAN, BZ_RANK_ZHENGKE, 18},
	{"第一中学", BZ_NATURE_INSTITUTION, BZ_RANK_FUKE, 60},
	{"人民医院", BZ_NATURE_INSTITUTION, BZ_RANK_FUKE, 70},
	{"图书馆", BZ_NATURE_INSTITUTION, BZ_RANK_ZHENGGU, 20},
	{"疾病预防控制中心", BZ_NATURE_INSTITUTION, BZ_RANK_FUKE, 45},
};

static void idnum(char out[19], const char *region, int seq)
{
	static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
	snprintf(out, 19, "%.6s%04u%02u%02u%03u", region, (unsigned)(1965 + seq % 30) % 10000u, (unsigned)(1 + seq % 12) % 100u,
		 (unsigned)(1 + seq % 28) % 100u, (unsigned)seq % 1000u);
	int sum = 0;
	for (int i = 0; i < 17; i++)
		sum += (out[i] - '0') * w[i];
	out[17] = "10X98765432"[sum % 11];
	out[18] = '\0';
}

static void pname(char out[32], int i)
{
	static const char *const sur[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马"};
	static const char *const giv[] = {"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰",
					  "娟", "涛", "明", "超", "秀英", "霞", "平", "刚", "建华"};
	snprintf(out, 32, "%s%s", sur[i % 13], giv[(i / 13) % 22]);
}

static void commit(bz_txn *t)
{
	int rc = bz_txn_commit(t);
	if (rc != BZ_OK) {
		const bz_report *r = bz_txn_report(t);
		ck_abort_msg("commit: %s: %s", bz_strerror(rc),
			     bz_report_count(r) ? bz_violation_message(bz_report_get(r, 0)) : "");
	}
	bz_txn_free(t);
}

static void doc(bz_txn *t, char *out, const char *issuer, const char *num, const char *title, const char *date, int level,
		const char *jur)
{
	bz_document *d = NULL;
	ck_assert_bz(bz_document_register(&d, t, issuer, num, title, date, level, BZ_ISSUER_ESTABLISHMENT, jur));
	memcpy(out, bz_document_uuid(d), BZ_UUID_LEN + 1);
	bz_document_free(d);
}

/* the province, the city and the city's document, as every ledger of 陇南 registers them */
static void city_basics(bz_txn *t, char city_doc[BZ_UUID_LEN + 1])
{
	ck_assert_bz(bz_jurisdiction_create(NULL, t, "620000", "甘肃省", NULL));
	ck_assert_bz(bz_jurisdiction_create(NULL, t, "621200", "陇南市", "620000"));
	doc(t, city_doc, "陇南市机构编制委员会", "陇编发〔1999〕31号", "关于县区机构编制事项的通知", "1999-12-20", BZ_LEVEL_CITY,
	    "621200");
}

static void hire_unit(county *c, int i, int n, int *seq)
{
	char (*ids)[BZ_UUID_LEN + 1] = malloc((size_t)n * sizeof *ids);
	ck_assert_ptr_nonnull(ids);
	bz_txn *t = tu_begin(c->l);
	if (c->opening)
		ck_assert_bz(bz_txn_set_opening(t, "2012-12-31", c->county_doc));
	for (int k = 0; k < n; k++, (*seq)++) {
		char id[19], name[32];
		idnum(id, c->code, *seq);
		pname(name, *seq + (c->opening ? 7 : 0));
		bz_person *p = NULL;
		ck_assert_bz(bz_person_register(&p, t, id, name, 0, NULL));
		memcpy(ids[k], bz_person_uuid(p), BZ_UUID_LEN + 1);
		bz_person_free(p);
		if (*seq == 0) {
			memcpy(c->first_person, ids[k], BZ_UUID_LEN + 1);
			memcpy(c->first_idnum, id, 19);
		}
		if (*seq % 10 == 0) {
			ck_assert_bz(bz_person_set_attr(t, ids[k], "民族", *seq % 20 ? "汉族" : "回族", "2012-01-01"));
			ck_assert_bz(bz_person_set_attr(t, ids[k], "学历", "大学本科", "2012-01-01"));
		}
	}
	const char *cat = units[i].nature == BZ_NATURE_ORGAN ? "XZ" : "SY";
	if (c->opening) {
		for (int k = 0; k < n; k++)
			ck_assert_bz(bz_placement_enter(NULL, t, ids[k], c->unit[i], cat, NULL, BZ_ENTRY_RECRUIT, "2012-06-01"));
		commit(t);
	} else {
		commit(t);
		t = tu_begin(c->l);
		ck_assert_bz(bz_txn_set_document(t, c->city_doc));
		bz_slip *s = NULL;
		char number[32];
		snprintf(number, sizeof number, "%s-2013-%04d", c->code, i + 1);
		ck_assert_bz(bz_slip_issue(&s, t, c->unit[i], cat, n + 1, BZ_PURPOSE_RECRUIT, "2013-01-01", "2013-12-31", number));
		for (int k = 0; k < n; k++)
			ck_assert_bz(bz_placement_enter(NULL, t, ids[k], c->unit[i], cat, bz_slip_uuid(s), BZ_ENTRY_RECRUIT,
							"2013-03-01"));
		bz_slip_free(s);
		commit(t);
	}
	/* the head of an organ; two retire from every third unit */
	if (units[i].nature == BZ_NATURE_ORGAN) {
		t = tu_begin(c->l);
		ck_assert_bz(bz_txn_set_document(t, c->county_doc));
		ck_assert_bz(bz_appointment_make(NULL, t, ids[0], c->unit[i], BZ_POST_PRINCIPAL, "2014-01-01"));
		commit(t);
	}
	if (i % 3 == 2) {
		t = tu_begin(c->l);
		ck_assert_bz(bz_txn_set_document(t, c->city_doc));
		ck_assert_bz(bz_placement_exit(t, ids[n - 1], BZ_EXIT_RETIREMENT, "2016-06-30"));
		ck_assert_bz(bz_placement_exit(t, ids[n - 2], BZ_EXIT_RETIREMENT, "2016-06-30"));
		commit(t);
		c->staff[i] -= 2;
	}
	c->staff[i] += n;
	c->people += n;
	free(ids);
}

static void county_build(county *c, const char *code, const char *name, const char *abbr, bool opening)
{
	memset(c, 0, sizeof *c);
	c->l = tu_ledger();
	c->code = code;
	c->name = name;
	c->abbr = abbr;
	c->opening = opening;
	char issuer[64], number[64];
	snprintf(issuer, sizeof issuer, "%s机构编制委员会", name);
	snprintf(number, sizeof number, "%s编发〔1999〕8号", abbr);
	bz_txn *t = tu_begin(c->l);
	city_basics(t, c->city_doc);
	ck_assert_bz(bz_jurisdiction_create(NULL, t, code, name, "621200"));
	doc(t, c->county_doc, issuer, number, "关于机构编制事项的通知", "1999-12-25", BZ_LEVEL_COUNTY, code);
	commit(t);
	t = tu_begin(c->l);
	ck_assert_bz(bz_txn_set_document(t, c->city_doc));
	ck_assert_bz(bz_limit_set(t, code, BZ_BRANCH_ADMINISTRATIVE, 150, "2012-03-01"));
	ck_assert_bz(bz_limit_set(t, code, BZ_BRANCH_INSTITUTION, 300, "2012-03-01"));
	commit(t);
	for (int i = 0; i < NU; i++) {
		char full[96];
		snprintf(full, sizeof full, "%s%s", name, units[i].name);
		bz_unit_spec *s = NULL;
		ck_assert_bz(bz_unit_spec_new(&s));
		bz_unit_spec_set_name(s, full);
		bz_unit_spec_set_nature(s, units[i].nature);
		bz_unit_spec_set_rank(s, units[i].rank);
		bz_unit_spec_set_funding(s, BZ_FUNDING_FULL);
		bz_unit_spec_set_jurisdiction(s, code);
		bz_unit_spec_set_founded(s, "2000-01-01");
		t = tu_begin(c->l);
		ck_assert_bz(bz_txn_set_document(t, c->city_doc));
		bz_unit *u = NULL;
		ck_assert_bz(bz_unit_establish(&u, t, s));
		bz_unit_spec_free(s);
		memcpy(c->unit[i], bz_unit_uuid(u), BZ_UUID_LEN + 1);
		bz_unit_free(u);
		const char *cat = units[i].nature == BZ_NATURE_ORGAN ? "XZ" : "SY";
		ck_assert_bz(bz_establishment_set(t, c->unit[i], cat, units[i].est, "2012-03-01"));
		if (units[i].nature == BZ_NATURE_ORGAN)
			ck_assert_bz(bz_leadership_set(t, c->unit[i], 1, 2, units[i].rank, "2012-03-01"));
		commit(t);
	}
	t = tu_begin(c->l);
	ck_assert_bz(bz_txn_set_document(t, c->city_doc));
	ck_assert_bz(bz_subunit_approve(t, c->unit[3], 3, "2012-04-01"));
	ck_assert_bz(bz_subunit_create(NULL, t, c->unit[3], "预算股", BZ_RANK_ZHENGGU, "2012-04-01"));
	ck_assert_bz(bz_subunit_create(NULL, t, c->unit[3], "国库股", BZ_RANK_ZHENGGU, "2012-04-01"));
	ck_assert_bz(bz_establishment_freeze(t, c->unit[7], "SY", 1, "2014-01-01"));
	commit(t);
	int seq = 0;
	for (int i = 0; i < NU; i++)
		hire_unit(c, i, units[i].est - 3 - i % 3, &seq);
	/* a cut below staff in the hospital, later: it keeps its people */
	t = tu_begin(c->l);
	ck_assert_bz(bz_txn_set_document(t, c->city_doc));
	ck_assert_bz(bz_establishment_set(t, c->unit[7], "SY", c->staff[7] - 2, "2018-01-01"));
	commit(t);
}

static county A, B; /* 成县 (slips), 徽县 (an opening) */

static void tmpname(char out[256], const char *tag)
{
	snprintf(out, 256, "%s", tu_tmpfile(tag));
	strcat(out, ".jsonl");
	unlink(out);
}

static void export_to(bz_ledger *l, char path[256], const char *tag, const char *scope)
{
	tmpname(path, tag);
	bz_exchange *x = NULL;
	int rc = bz_ledger_export(&x, l, path, scope);
	ck_assert_msg(rc == BZ_OK, "export: %s", bz_ledger_errmsg(l));
	ck_assert_int_gt(bz_exchange_records(x), 0);
	bz_exchange_free(x);
}

static void counties_setup(void)
{
	county_build(&A, "621221", "成县", "成", false);
	county_build(&B, "621227", "徽县", "徽", true);
	export_to(A.l, A.file, "A", NULL);
	export_to(B.l, B.file, "B", NULL);
}

static void counties_teardown(void)
{
	bz_ledger_close(A.l);
	bz_ledger_close(B.l);
	unlink(A.file);
	unlink(B.file);
}

/* ---- helpers ------------------------------------------------------------------------------ */

static bz_exchange *import_ok(bz_ledger *l, const char *path)
{
	bz_exchange *x = NULL;
	int rc = bz_ledger_import(&x, l, path, 0);
	if (rc != BZ_OK && x && bz_exchange_conflict_count(x))
		ck_abort_msg("import: %s: first conflict %s %s %s: %s / %s", bz_ledger_errmsg(l), bz_exchange_conflict_kind(x, 0),
			     bz_exchange_conflict_identity(x, 0), bz_exchange_conflict_field(x, 0),
			     bz_exchange_conflict_ours(x, 0), bz_exchange_conflict_theirs(x, 0));
	ck_assert_msg(rc == BZ_OK, "import: %s", bz_ledger_errmsg(l));
	ck_assert_ptr_nonnull(x);
	return x;
}

static int64_t last_seq(bz_ledger *l)
{
	int64_t n = 0;
	ck_assert_bz(bz_changes_last_seq(&n, l));
	return n;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	ck_assert_ptr_nonnull(f);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	if (len)
		*len = (size_t)n;
	return buf;
}

static void spit(const char *path, const char *text, size_t n)
{
	FILE *f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(text, 1, n, f), n);
	fclose(f);
}

/* a fingerprint of every table the import writes: row counts */
static unsigned long long rows_all(bz_ledger *l)
{
	static const char *const t[] = {"txn_log", "event", "fact", "event_origin", "txn_origin", "jurisdiction", "document",
					"unit", "subunit", "person", "card", "slip", "slip_end", "placement", "placement_exit",
					"appointment", "appointment_end", "category", "opening", "tl", "counter", "unit_name",
					"office", "unitcert", "unitcert_end", "txn_id"};
	unsigned long long n = 0;
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		n = n * 31u + (unsigned long long)tu_count(l, t[i]);
	return n;
}

static size_t violations_of(bz_ledger *l, int rule)
{
	bz_report *r = NULL;
	ck_assert_bz(bz_ledger_check(&r, l, NULL));
	size_t n = 0;
	for (size_t i = 0; i < bz_report_count(r); i++)
		if (rule == 0 ? bz_violation_severity(bz_report_get(r, i)) == BZ_SEVERITY_ERROR
			      : bz_violation_rule(bz_report_get(r, i)) == rule)
			n++;
	bz_report_free(r);
	return n;
}

/* every counter of a has the same value as b's on every date either changes it */
static void counters_equal(bz_ledger *a, bz_ledger *b)
{
	static const char pts[] = "SELECT c.key, t.effective FROM counter c JOIN tl t ON t.counter=c.id ORDER BY 1, 2";
	static const char val[] = "SELECT COALESCE((SELECT t.value FROM tl t JOIN counter c ON c.id=t.counter WHERE c.key=?1"
				  " AND t.effective<=?2 ORDER BY t.effective DESC LIMIT 1), 0)";
	bz_ledger *side[2] = {a, b};
	long long points = 0;
	for (int s = 0; s < 2; s++) {
		bz_st *p = NULL, *va = NULL, *vb = NULL;
		ck_assert_int_eq(bz_store_prepare(side[s]->store, &p, pts), SQLITE_OK);
		ck_assert_int_eq(bz_store_prepare(a->store, &va, val), SQLITE_OK);
		ck_assert_int_eq(bz_store_prepare(b->store, &vb, val), SQLITE_OK);
		while (bz_st_step(p) == SQLITE_ROW) {
			const char *key = (const char *)bz_st_column_text(p, 0), *date = (const char *)bz_st_column_text(p, 1);
			bz_st_bind_text(va, 1, key, -1);
			bz_st_bind_text(va, 2, date, -1);
			bz_st_bind_text(vb, 1, key, -1);
			bz_st_bind_text(vb, 2, date, -1);
			ck_assert_int_eq(bz_st_step(va), SQLITE_ROW);
			ck_assert_int_eq(bz_st_step(vb), SQLITE_ROW);
			ck_assert_msg(bz_st_column_int64(va, 0) == bz_st_column_int64(vb, 0), "counter %s on %s: %lld vs %lld",
				      key, date, (long long)bz_st_column_int64(va, 0), (long long)bz_st_column_int64(vb, 0));
			bz_st_reset(va);
			bz_st_reset(vb);
			points++;
		}
		bz_st_finalize(p);
		bz_st_finalize(va);
		bz_st_finalize(vb);
	}
	ck_assert_int_gt(points, 100);
}

/* Table 1 of a unit in two ledgers at a date: every figure equal */
static void table1_equal(bz_ledger *a, bz_ledger *b, const char *unit, const char *date)
{
	bz_basic_table *x = NULL, *y = NULL;
	ck_assert_bz(bz_basic_table_get(&x, a, unit, date));
	ck_assert_bz(bz_basic_table_get(&y, b, unit, date));
	ck_assert_str_eq(bz_basic_table_unit_name(x), bz_basic_table_unit_name(y));
	ck_assert_uint_eq(bz_basic_table_rows(x), bz_basic_table_rows(y));
	for (size_t i = 0; i < bz_basic_table_rows(x); i++) {
		ck_assert_str_eq(bz_basic_table_category(x, i), bz_basic_table_category(y, i));
		ck_assert_int_eq(bz_basic_table_establishment(x, i), bz_basic_table_establishment(y, i));
		ck_assert_int_eq(bz_basic_table_staff(x, i), bz_basic_table_staff(y, i));
		ck_assert_int_eq(bz_basic_table_reserved(x, i), bz_basic_table_reserved(y, i));
		ck_assert_int_eq(bz_basic_table_vacant(x, i), bz_basic_table_vacant(y, i));
		ck_assert_int_eq(bz_basic_table_over(x, i), bz_basic_table_over(y, i));
		ck_assert_int_eq(bz_basic_table_frozen(x, i), bz_basic_table_frozen(y, i));
	}
	ck_assert_int_eq(bz_basic_table_principals(x), bz_basic_table_principals(y));
	ck_assert_int_eq(bz_basic_table_principal_quota(x), bz_basic_table_principal_quota(y));
	ck_assert_int_eq(bz_basic_table_subunits(x), bz_basic_table_subunits(y));
	bz_basic_table_free(x);
	bz_basic_table_free(y);
}

static int64_t staff_of(bz_ledger *l, const char *unit, const char *date)
{
	bz_basic_table *x = NULL;
	ck_assert_bz(bz_basic_table_get(&x, l, unit, date));
	int64_t n = 0;
	for (size_t i = 0; i < bz_basic_table_rows(x); i++)
		n += bz_basic_table_staff(x, i);
	bz_basic_table_free(x);
	return n;
}

static void limits_equal(bz_ledger *a, bz_ledger *b, const char *code, const char *date)
{
	bz_limit_ledger *x = NULL, *y = NULL;
	ck_assert_bz(bz_limit_ledger_get(&x, a, code, date));
	ck_assert_bz(bz_limit_ledger_get(&y, b, code, date));
	for (int br = BZ_BRANCH_ADMINISTRATIVE; br <= BZ_BRANCH_INSTITUTION; br++) {
		ck_assert_int_eq(bz_limit_ledger_limit(x, br), bz_limit_ledger_limit(y, br));
		ck_assert_int_eq(bz_limit_ledger_allocated(x, br), bz_limit_ledger_allocated(y, br));
		ck_assert_int_eq(bz_limit_ledger_staff(x, br), bz_limit_ledger_staff(y, br));
		ck_assert_int_eq(bz_limit_ledger_reserved(x, br), bz_limit_ledger_reserved(y, br));
		ck_assert_int_eq(bz_limit_ledger_vacant(x, br), bz_limit_ledger_vacant(y, br));
		ck_assert_int_eq(bz_limit_ledger_frozen(x, br), bz_limit_ledger_frozen(y, br));
	}
	ck_assert_int_gt(bz_limit_ledger_staff(x, BZ_BRANCH_ADMINISTRATIVE), 0);
	bz_limit_ledger_free(x);
	bz_limit_ledger_free(y);
}

/* the file's lines after the header */
static const char *body_of(const char *text)
{
	const char *nl = strchr(text, '\n');
	ck_assert_ptr_nonnull(nl);
	return nl + 1;
}

/* the header without its export time and ledger */
static char *header_rest(const char *text)
{
	json_error_t err;
	json_t *h = json_loadb(text, (size_t)(strchr(text, '\n') - text), 0, &err);
	ck_assert_ptr_nonnull(h);
	json_object_del(h, "exported_at");
	json_object_del(h, "ledger");
	char *s = json_dumps(h, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(h);
	return s;
}

/* ---- tests -------------------------------------------------------------------------------------- */

START_TEST(identity_is_a_uuid_of_each_ledger)
{
	bz_ledger *l1 = tu_ledger(), *l2 = tu_ledger();
	char *a = NULL, *b = NULL;
	ck_assert_bz(bz_ledger_identity(&a, l1));
	ck_assert_bz(bz_ledger_identity(&b, l2));
	ck_assert_uint_eq(strlen(a), BZ_UUID_LEN);
	ck_assert_int_eq(a[14], '4');
	ck_assert_str_ne(a, b);
	ck_assert_int_eq(bz_ledger_identity(NULL, l1), BZ_EINVAL);
	bz_free(a);
	bz_free(b);
	bz_ledger_close(l1);
	bz_ledger_close(l2);
}
END_TEST

START_TEST(round_trip_is_identical)
{
	bz_ledger *e = tu_ledger();
	bz_exchange *x = import_ok(e, A.file);
	ck_assert_int_eq(bz_exchange_conflict_count(x), 0);
	ck_assert_int_eq(bz_exchange_changes_added(x), last_seq(A.l));
	ck_assert_int_gt(bz_exchange_added(x), bz_exchange_changes_added(x));
	ck_assert_int_eq(bz_exchange_check_errors(x), (int64_t)violations_of(A.l, 0));
	char *ida = NULL;
	ck_assert_bz(bz_ledger_identity(&ida, A.l));
	ck_assert_str_eq(bz_exchange_origin(x), ida);
	ck_assert_ptr_null(bz_exchange_scope(x));
	bz_exchange_free(x);
	/* the change feed of the new ledger is its own, in commit order, and every record is 成县's */
	bz_change_iter *it = NULL;
	bz_change *c = NULL;
	int64_t prev = 0;
	ck_assert_bz(bz_changes_since(&it, e, 0));
	while (bz_change_iter_next(&c, it) == BZ_OK) {
		ck_assert_int_eq(bz_change_seq(c), prev + 1);
		ck_assert_str_eq(bz_change_origin(c), ida);
		ck_assert_int_eq(bz_change_origin_seq(c), bz_change_seq(c)); /* an empty ledger: the same numbers */
		prev = bz_change_seq(c);
		bz_change_free(c);
	}
	bz_change_iter_free(it);
	ck_assert_int_eq(prev, last_seq(A.l));
	bz_free(ida);

	char again[256];
	export_to(e, again, "E", NULL);
	size_t n1, n2;
	char *t1 = slurp(A.file, &n1), *t2 = slurp(again, &n2);
	ck_assert_uint_eq(n1 - (size_t)(body_of(t1) - t1), n2 - (size_t)(body_of(t2) - t2));
	ck_assert_msg(strcmp(body_of(t1), body_of(t2)) == 0, "the records of the two exports differ");
	char *h1 = header_rest(t1), *h2 = header_rest(t2);
	ck_assert_str_eq(h1, h2);
	free(h1);
	free(h2);
	free(t1);
	free(t2);
	unlink(again);

	/* derived data: every counter at every date, Table 1, the limit ledger, the check */
	counters_equal(A.l, e);
	for (int i = 0; i < NU; i++) {
		table1_equal(A.l, e, A.unit[i], "2015-01-01");
		table1_equal(A.l, e, A.unit[i], NULL);
	}
	limits_equal(A.l, e, "621221", "2017-01-01");
	ck_assert_uint_eq(violations_of(e, BZ_RULE_INTEGRITY), 0);
	ck_assert_uint_eq(violations_of(e, 0), violations_of(A.l, 0));
	bz_ledger_close(e);
}
END_TEST

START_TEST(import_twice_changes_nothing)
{
	bz_ledger *e = tu_ledger();
	bz_exchange_free(import_ok(e, B.file));
	unsigned long long before = rows_all(e);
	int64_t seq = last_seq(e);
	bz_exchange *x = import_ok(e, B.file);
	ck_assert_int_eq(bz_exchange_added(x), 0);
	ck_assert_int_eq(bz_exchange_changes_added(x), 0);
	ck_assert_int_eq(bz_exchange_present(x), bz_exchange_records(x)); /* every record, code tables included */
	ck_assert_int_eq(bz_exchange_mapped(x), 0);
	ck_assert_int_gt(bz_exchange_present(x), 2 * B.people);
	bz_exchange_free(x);
	ck_assert_int_eq(last_seq(e), seq);
	ck_assert_uint_eq(rows_all(e), before);
	/* the opening came with its cut-over */
	char *cut = NULL;
	ck_assert_bz(bz_opening_cutover(&cut, e, B.county_doc));
	ck_assert_str_eq(cut, "2012-12-31");
	bz_free(cut);
	/* and importing a ledger's own export into itself adds nothing either */
	x = import_ok(B.l, B.file);
	ck_assert_int_eq(bz_exchange_added(x), 0);
	bz_exchange_free(x);
	bz_ledger_close(e);
}
END_TEST

START_TEST(newer_export_adds_only_the_new)
{
	TU_SQLITE_ONLY("a copy of the same ledger (same identity) going on by itself is made by bz_ledger_backup(),"
		       " which PostgreSQL leaves to pg_dump -n SCHEMA");
	/* a copy of 成县's ledger is the same ledger (same identity): it goes on working */
	char copy[256], file2[256];
	snprintf(copy, sizeof copy, "%s", tu_tmpfile("A2"));
	ck_assert_bz(bz_ledger_backup(A.l, copy));
	bz_ledger *a2 = NULL;
	ck_assert_bz(bz_ledger_open(&a2, copy, 0));
	ck_assert_bz(bz_ledger_set_clock(a2, "2026-12-01"));
	bz_ledger *e = tu_ledger();
	bz_exchange_free(import_ok(e, A.file));
	int64_t seq_a = last_seq(a2), seq_e = last_seq(e);

	/* five hires into 教育局 on a new slip, and one of them retires; a slip ends */
	char ids[5][BZ_UUID_LEN + 1];
	bz_txn *t = tu_begin(a2);
	for (int k = 0; k < 5; k++) {
		char id[19], name[32];
		idnum(id, "621221", 600 + k);
		pname(name, 600 + k);
		bz_person *p = NULL;
		ck_assert_bz(bz_person_register(&p, t, id, name, 0, NULL));
		memcpy(ids[k], bz_person_uuid(p), BZ_UUID_LEN + 1);
		bz_person_free(p);
	}
	commit(t);
	t = tu_begin(a2);
	ck_assert_bz(bz_txn_set_document(t, A.city_doc));
	bz_slip *s = NULL;
	ck_assert_bz(bz_slip_issue(&s, t, A.unit[2], "XZ", 5, BZ_PURPOSE_RECRUIT, "2020-01-01", "2020-12-31", "621221-2020-0001"));
	for (int k = 0; k < 5; k++)
		ck_assert_bz(bz_placement_enter(NULL, t, ids[k], A.unit[2], "XZ", bz_slip_uuid(s), BZ_ENTRY_RECRUIT, "2020-03-01"));
	bz_slip_free(s);
	commit(t);
	t = tu_begin(a2);
	ck_assert_bz(bz_txn_set_document(t, A.city_doc));
	ck_assert_bz(bz_placement_exit(t, ids[4], BZ_EXIT_RESIGNATION, "2021-05-01"));
	commit(t);
	int64_t new_records = last_seq(a2) - seq_a;
	ck_assert_int_gt(new_records, 10);

	export_to(a2, file2, "A2x", NULL);
	bz_exchange *x = import_ok(e, file2);
	ck_assert_int_eq(bz_exchange_changes_added(x), new_records);
	/* 3 transactions, 5 persons, 5 cards, 5 placements, 1 exit, 1 slip, and the change records */
	ck_assert_int_eq(bz_exchange_added(x), new_records + 3 + 5 + 5 + 5 + 1 + 1);
	bz_exchange_free(x);
	ck_assert_int_eq(last_seq(e), seq_e + new_records);
	table1_equal(a2, e, A.unit[2], NULL);
	table1_equal(a2, e, A.unit[2], "2020-06-01");
	limits_equal(a2, e, "621221", NULL);
	counters_equal(a2, e);
	ck_assert_uint_eq(violations_of(e, BZ_RULE_INTEGRITY), 0);
	/* an older export after the newer: nothing */
	x = import_ok(e, A.file);
	ck_assert_int_eq(bz_exchange_added(x), 0);
	bz_exchange_free(x);
	bz_ledger_close(a2);
	bz_ledger_close(e);
	tu_rm(copy);
	unlink(file2);
}
END_TEST

START_TEST(conflicts_refused_nothing_written)
{
	/* a city ledger that registered the city's document with another date, and 成县's first person under another name */
	bz_ledger *c = tu_ledger();
	bz_txn *t = tu_begin(c);
	ck_assert_bz(bz_jurisdiction_create(NULL, t, "620000", "甘肃省", NULL));
	ck_assert_bz(bz_jurisdiction_create(NULL, t, "621200", "陇南市", "620000"));
	char d[BZ_UUID_LEN + 1];
	doc(t, d, "陇南市机构编制委员会", "陇编发〔1999〕31号", "关于县区机构编制事项的通知", "1999-12-21", BZ_LEVEL_CITY, "621200");
	ck_assert_bz(bz_person_register(NULL, t, A.first_idnum, "欧阳修", 0, NULL));
	commit(t);
	unsigned long long before = rows_all(c);
	int64_t seq = last_seq(c);

	bz_exchange *x = NULL;
	ck_assert_int_eq(bz_ledger_import(&x, c, A.file, 0), BZ_EINVAL);
	ck_assert_ptr_nonnull(x);
	ck_assert_ptr_nonnull(strstr(bz_ledger_errmsg(c), "conflict"));
	ck_assert_uint_eq(bz_exchange_conflict_count(x), 2);
	bool doc_seen = false, person_seen = false;
	for (size_t i = 0; i < bz_exchange_conflict_count(x); i++) {
		const char *kind = bz_exchange_conflict_kind(x, i);
		ck_assert_int_gt(bz_exchange_conflict_line(x, i), 1);
		if (strcmp(kind, "document") == 0) {
			ck_assert_str_eq(bz_exchange_conflict_identity(x, i), "陇南市机构编制委员会 陇编发〔1999〕31号");
			ck_assert_str_eq(bz_exchange_conflict_field(x, i), "date");
			ck_assert_str_eq(bz_exchange_conflict_ours(x, i), "1999-12-21");
			ck_assert_str_eq(bz_exchange_conflict_theirs(x, i), "1999-12-20");
			doc_seen = true;
		} else if (strcmp(kind, "person") == 0) {
			ck_assert_str_eq(bz_exchange_conflict_identity(x, i), A.first_idnum);
			ck_assert_str_eq(bz_exchange_conflict_field(x, i), "name");
			ck_assert_str_eq(bz_exchange_conflict_ours(x, i), "欧阳修");
			ck_assert_str_eq(bz_exchange_conflict_theirs(x, i), "王伟");
			person_seen = true;
		}
	}
	ck_assert(doc_seen && person_seen);
	ck_assert_int_eq(bz_exchange_added(x), 0);
	bz_exchange_free(x);
	ck_assert_uint_eq(rows_all(c), before);
	ck_assert_int_eq(last_seq(c), seq);
	/* a dry run finds the same and also writes nothing */
	ck_assert_int_eq(bz_ledger_import(&x, c, A.file, BZ_IMPORT_DRY_RUN), BZ_EINVAL);
	ck_assert_uint_eq(bz_exchange_conflict_count(x), 2);
	bz_exchange_free(x);
	/* a city ledger that agrees: a dry run says what would come, and writes nothing */
	bz_ledger *good = tu_ledger();
	t = tu_begin(good);
	city_basics(t, d);
	commit(t);
	unsigned long long good_rows = rows_all(good);
	ck_assert_bz(bz_ledger_import(&x, good, B.file, BZ_IMPORT_DRY_RUN));
	ck_assert_int_gt(bz_exchange_added(x), 2 * B.people);
	ck_assert_int_eq(bz_exchange_mapped(x), 6); /* 甘肃省, 陇南市, the document and their registrations */
	ck_assert_int_eq(bz_exchange_check_errors(x), -1);
	bz_exchange_free(x);
	ck_assert_uint_eq(rows_all(good), good_rows);
	bz_ledger_close(good);
	/* a transaction open on the handle: misuse */
	t = tu_begin(c);
	ck_assert_int_eq(bz_ledger_import(&x, c, B.file, 0), BZ_EMISUSE);
	ck_assert_ptr_null(x);
	bz_txn_rollback(t);
	bz_txn_free(t);
	bz_ledger_close(c);
}
END_TEST

/* import a damaged copy of B's export: refused with status want, a message with `says`, nothing written */
static void refused(bz_ledger *l, const char *text, size_t n, int want, const char *says)
{
	char path[256];
	tmpname(path, "bad");
	spit(path, text, n);
	unsigned long long before = rows_all(l);
	bz_exchange *x = NULL;
	int rc = bz_ledger_import(&x, l, path, 0);
	ck_assert_msg(rc == want, "%s: got %d (%s)", says, rc, bz_ledger_errmsg(l));
	ck_assert_ptr_null(x);
	ck_assert_msg(strstr(bz_ledger_errmsg(l), says) != NULL, "message '%s' lacks '%s'", bz_ledger_errmsg(l), says);
	ck_assert_ptr_nonnull(strstr(bz_ledger_errmsg(l), path));
	ck_assert_uint_eq(rows_all(l), before);
	unlink(path);
}

START_TEST(damaged_files_refused_nothing_written)
{
	bz_ledger *e = tu_ledger();
	size_t n;
	char *text = slurp(B.file, &n);
	/* truncated: the last lines gone (the trailer with them), or cut in the middle of a line */
	const char *cut = text + n - 1;
	for (int k = 0; k < 3; k++)
		while (cut > text && *--cut != '\n')
			;
	refused(e, text, (size_t)(cut - text) + 1, BZ_EINVAL, "truncated");
	refused(e, text, n / 2, BZ_EINVAL, "truncated");
	/* a line lost in the middle: the trailer's counts disagree */
	char *mid = strstr(text, "{\"type\":\"person\"");
	ck_assert_ptr_nonnull(mid);
	char *eol = strchr(mid, '\n');
	char *gap = malloc(n);
	size_t head = (size_t)(mid - text);
	memcpy(gap, text, head);
	memcpy(gap + head, eol + 1, n - (size_t)(eol + 1 - text));
	refused(e, gap, n - (size_t)(eol + 1 - mid), BZ_EINVAL, "the trailer counts");
	/* malformed JSON in a record */
	memcpy(gap, text, n);
	gap[head + 1] = '#';
	refused(e, gap, n, BZ_EINVAL, "not JSON");
	/* a record with a field of the wrong kind */
	char *posts = strstr(text, "\"posts\":");
	if (posts) {
		memcpy(gap, text, n);
		memcpy(gap + (posts - text) + 8, "\"", 1);
		refused(e, gap, n, BZ_EINVAL, "");
	}
	/* a newer format version; not an exchange file at all */
	char *v = strstr(text, "\"version\":3");
	ck_assert_ptr_nonnull(v);
	memcpy(gap, text, n);
	gap[(v - text) + 10] = '9';
	refused(e, gap, n, BZ_ESCHEMA, "newer than this library");
	refused(e, "name,id\n王伟,1\n", 15, BZ_EINVAL, "");
	refused(e, "", 0, BZ_EINVAL, "empty");
	/* a card whose person is in neither the file nor the ledger: the foreign key, checked once every row is
	 * in (SQLite's foreign_key_check; PostgreSQL's deferred keys made immediate), is a conflict naming the
	 * card's table and the table it refers to; nothing written */
	char *card = strstr(text, "{\"type\":\"card\"");
	ck_assert_ptr_nonnull(card);
	char *who = strstr(card, "\"person\":\"");
	ck_assert_ptr_nonnull(who);
	ck_assert(who < strchr(card, '\n'));
	memcpy(gap, text, n);
	char *hexd = gap + (who - text) + strlen("\"person\":\"");
	*hexd = *hexd == 'a' ? 'b' : 'a';
	char dpath[256];
	tmpname(dpath, "dangling");
	spit(dpath, gap, n);
	unsigned long long before = rows_all(e);
	int64_t seq_before = last_seq(e);
	bz_exchange *dx = NULL;
	ck_assert_int_eq(bz_ledger_import(&dx, e, dpath, 0), BZ_EINVAL);
	ck_assert_ptr_nonnull(strstr(bz_ledger_errmsg(e), "refer to 1 record(s) neither it nor the ledger has"));
	ck_assert_ptr_nonnull(dx);
	ck_assert_uint_eq(bz_exchange_conflict_count(dx), 1);
	ck_assert_str_eq(bz_exchange_conflict_kind(dx, 0), "card");
	ck_assert_str_eq(bz_exchange_conflict_field(dx, 0), "reference");
	ck_assert_str_eq(bz_exchange_conflict_theirs(dx, 0), "person");
	ck_assert_ptr_null(bz_exchange_conflict_ours(dx, 0));
	ck_assert_ptr_nonnull(bz_exchange_conflict_identity(dx, 0));
	bz_exchange_free(dx);
	ck_assert_uint_eq(rows_all(e), before);
	ck_assert_int_eq(last_seq(e), seq_before);
	unlink(dpath);
	free(gap);
	free(text);
	/* no such file */
	bz_exchange *x = NULL;
	ck_assert_int_eq(bz_ledger_import(&x, e, "/nonexistent/县.jsonl", 0), BZ_EIO);
	ck_assert_ptr_nonnull(strstr(bz_ledger_errmsg(e), "No such file"));
	/* and the good file still imports after all that */
	bz_exchange_free(import_ok(e, B.file));
	bz_ledger_close(e);
}
END_TEST

START_TEST(export_errors)
{
	bz_exchange *x = NULL;
	ck_assert_int_eq(bz_ledger_export(&x, A.l, A.file, NULL), BZ_EEXISTS);
	ck_assert_int_eq(bz_ledger_export(&x, A.l, "/nonexistent/dir/a.jsonl", NULL), BZ_EIO);
	ck_assert_ptr_nonnull(strstr(bz_ledger_errmsg(A.l), "/nonexistent/dir/a.jsonl"));
	char p[256];
	tmpname(p, "none");
	ck_assert_int_eq(bz_ledger_export(&x, A.l, p, "999999"), BZ_ENOTFOUND);
	ck_assert_int_eq(access(p, F_OK), -1);
	ck_assert_int_eq(bz_ledger_export(&x, A.l, "", NULL), BZ_EINVAL);
	ck_assert_int_eq(bz_ledger_export(&x, NULL, p, NULL), BZ_EINVAL);
	ck_assert_int_eq(bz_ledger_import(&x, A.l, p, 0x80), BZ_EINVAL);
}
END_TEST

START_TEST(city_consolidates_its_counties)
{
	/* the city's own ledger: the province, the city, its document and a unit of its own */
	bz_ledger *c = tu_ledger();
	char city_doc[BZ_UUID_LEN + 1], city_unit[BZ_UUID_LEN + 1];
	bz_txn *t = tu_begin(c);
	city_basics(t, city_doc);
	commit(t);
	t = tu_begin(c);
	ck_assert_bz(bz_txn_set_document(t, city_doc));
	bz_unit_spec *s = NULL;
	ck_assert_bz(bz_unit_spec_new(&s));
	bz_unit_spec_set_name(s, "陇南市机构编制委员会办公室");
	bz_unit_spec_set_nature(s, BZ_NATURE_ORGAN);
	bz_unit_spec_set_rank(s, BZ_RANK_ZHENGCHU);
	bz_unit_spec_set_jurisdiction(s, "621200");
	bz_unit_spec_set_founded(s, "2000-01-01");
	bz_unit *u = NULL;
	ck_assert_bz(bz_unit_establish(&u, t, s));
	bz_unit_spec_free(s);
	memcpy(city_unit, bz_unit_uuid(u), BZ_UUID_LEN + 1);
	bz_unit_free(u);
	ck_assert_bz(bz_establishment_set(t, city_unit, "XZ", 25, "2012-01-01"));
	commit(t);
	char *idc = NULL, *ida = NULL, *idb = NULL;
	ck_assert_bz(bz_ledger_identity(&idc, c));
	ck_assert_bz(bz_ledger_identity(&ida, A.l));
	ck_assert_bz(bz_ledger_identity(&idb, B.l));
	int64_t own = last_seq(c);

	bz_exchange *x = import_ok(c, A.file);
	ck_assert_int_eq(bz_exchange_mapped(x), 3 + 3); /* 甘肃省, 陇南市, the document, and their registrations */
	ck_assert_int_eq(bz_exchange_check_errors(x), 0);
	bz_exchange_free(x);
	x = import_ok(c, B.file);
	ck_assert_int_eq(bz_exchange_check_errors(x), 0);
	bz_exchange_free(x);

	/* one 甘肃省, one 陇南市, one city document: the city's own */
	ck_assert_int_eq(tu_count(c, "jurisdiction"), 4);
	ck_assert_int_eq(tu_count(c, "document"), 3);
	bz_document *d = NULL;
	ck_assert_bz(bz_document_lookup(&d, c, city_doc));
	bz_document_free(d);
	ck_assert_int_eq(tu_count(c, "person"), A.people + B.people);

	/* city-wide figures are the sum of the counties' (and the city's own) */
	int64_t sum = 0, sa = 0, sb = 0;
	for (int i = 0; i < NU; i++) {
		table1_equal(A.l, c, A.unit[i], NULL);
		table1_equal(B.l, c, B.unit[i], NULL);
		table1_equal(A.l, c, A.unit[i], "2014-06-30");
		sa += staff_of(A.l, A.unit[i], NULL);
		sb += staff_of(B.l, B.unit[i], NULL);
		sum += staff_of(c, A.unit[i], NULL) + staff_of(c, B.unit[i], NULL);
	}
	ck_assert_int_eq(sum, sa + sb);
	ck_assert_int_eq(sa + sb, A.people + B.people - 2 * 3 * 2);
	limits_equal(A.l, c, "621221", NULL);
	limits_equal(B.l, c, "621227", NULL);
	limits_equal(A.l, c, "621221", "2013-06-30");
	/* the full check over all of them: clean counters, the counties' own findings and no more */
	ck_assert_uint_eq(violations_of(c, BZ_RULE_INTEGRITY), 0);
	ck_assert_uint_eq(violations_of(c, 0), violations_of(A.l, 0) + violations_of(B.l, 0));

	/* each county's records still marked as that county's: a unit's Table 2 */
	bz_change_iter *it = NULL;
	bz_change *ch = NULL;
	int n = 0;
	ck_assert_bz(bz_unit_changes(&it, c, B.unit[7]));
	while (bz_change_iter_next(&ch, it) == BZ_OK) {
		ck_assert_str_eq(bz_change_origin(ch), idb);
		ck_assert_int_gt(bz_change_seq(ch), own);
		n++;
		bz_change_free(ch);
	}
	bz_change_iter_free(it);
	ck_assert_int_gt(n, 5);
	ck_assert_bz(bz_unit_changes(&it, c, city_unit));
	ck_assert_int_eq(bz_change_iter_next(&ch, it), BZ_OK);
	ck_assert_str_eq(bz_change_origin(ch), idc);
	ck_assert_int_eq(bz_change_origin_seq(ch), bz_change_seq(ch));
	bz_change_free(ch);
	bz_change_iter_free(it);
	/* origins over the whole feed: the city's own, then 成县's in its order, then 徽县's */
	int64_t na = 0, nb = 0, last_a = 0;
	ck_assert_bz(bz_changes_since(&it, c, 0));
	while (bz_change_iter_next(&ch, it) == BZ_OK) {
		if (strcmp(bz_change_origin(ch), ida) == 0) {
			ck_assert_int_gt(bz_change_origin_seq(ch), last_a);
			last_a = bz_change_origin_seq(ch);
			na++;
		} else if (strcmp(bz_change_origin(ch), idb) == 0) {
			nb++;
		} else {
			ck_assert_str_eq(bz_change_origin(ch), idc);
			ck_assert_int_le(bz_change_seq(ch), own);
		}
		bz_change_free(ch);
	}
	bz_change_iter_free(it);
	ck_assert_int_eq(na, last_seq(A.l) - 3); /* less the registrations of 甘肃省, 陇南市 and the city document */
	ck_assert_int_eq(nb, last_seq(B.l) - 3);

	/* the city's later hire into a county unit is checked against the right figures */
	t = tu_begin(c);
	ck_assert_bz(bz_txn_set_document(t, city_doc));
	bz_slip *sl = NULL;
	ck_assert_int_eq(bz_slip_issue(&sl, t, A.unit[0], "XZ", 5, BZ_PURPOSE_RECRUIT, "2024-01-01", "2024-12-31", NULL), BZ_OK);
	bz_slip_free(sl);
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT); /* 22 posts, 19 in post: 5 more is over (R1) */
	bz_txn_free(t);

	/* a scope: 成县's part of the city's ledger, exported and read into a new ledger, is 成县 again */
	char part[256];
	export_to(c, part, "part", "621221");
	bz_ledger *e = tu_ledger();
	x = import_ok(e, part);
	ck_assert_str_eq(bz_exchange_scope(x), "621221");
	ck_assert_str_eq(bz_exchange_origin(x), idc);
	bz_exchange_free(x);
	ck_assert_int_eq(tu_count(e, "unit"), NU);
	ck_assert_int_eq(tu_count(e, "person"), A.people);
	ck_assert_int_eq(tu_count(e, "jurisdiction"), 3);
	for (int i = 0; i < NU; i++)
		table1_equal(A.l, e, A.unit[i], NULL);
	limits_equal(A.l, e, "621221", NULL);
	ck_assert_uint_eq(violations_of(e, BZ_RULE_INTEGRITY), 0);
	/* its records are 成县's still, and 成县 recognises every one of them */
	x = import_ok(A.l, part);
	ck_assert_int_eq(bz_exchange_added(x), 0);
	bz_exchange_free(x);
	unlink(part);
	bz_ledger_close(e);
	bz_free(idc);
	bz_free(ida);
	bz_free(idb);
	bz_ledger_close(c);
}
END_TEST

/* a county ledger of its own: 武都区, one bureau with establishment and a slip, and hires of the ID
 * numbers given (idnum's sequence numbers) in that order on one date */
static bz_ledger *wudu_hiring(const int *seqs, int n, const char *date)
{
	bz_ledger *l = tu_ledger();
	char cd[BZ_UUID_LEN + 1], wd[BZ_UUID_LEN + 1], unit[BZ_UUID_LEN + 1], slip[BZ_UUID_LEN + 1];
	bz_txn *t = tu_begin(l);
	city_basics(t, cd);
	ck_assert_bz(bz_jurisdiction_create(NULL, t, "621202", "武都区", "621200"));
	doc(t, wd, "武都区机构编制委员会", "武编发〔2013〕5号", "关于机构编制事项的通知", "2013-01-10", BZ_LEVEL_COUNTY, "621202");
	ck_assert_bz(bz_txn_set_document(t, wd));
	bz_unit_spec *s = NULL;
	ck_assert_bz(bz_unit_spec_new(&s));
	ck_assert_bz(bz_unit_spec_set_name(s, "武都区教育局"));
	ck_assert_bz(bz_unit_spec_set_nature(s, BZ_NATURE_ORGAN));
	ck_assert_bz(bz_unit_spec_set_rank(s, BZ_RANK_ZHENGKE));
	ck_assert_bz(bz_unit_spec_set_jurisdiction(s, "621202"));
	ck_assert_bz(bz_unit_spec_set_founded(s, "2013-02-01"));
	bz_unit *u = NULL;
	ck_assert_bz(bz_unit_establish(&u, t, s));
	memcpy(unit, bz_unit_uuid(u), sizeof unit);
	bz_unit_free(u);
	bz_unit_spec_free(s);
	ck_assert_bz(bz_establishment_set(t, unit, "XZ", 10, "2013-02-01"));
	bz_slip *sl = NULL;
	ck_assert_bz(bz_slip_issue(&sl, t, unit, "XZ", 5, BZ_PURPOSE_RECRUIT, "2020-01-01", "2020-12-31", NULL));
	memcpy(slip, bz_slip_uuid(sl), sizeof slip);
	bz_slip_free(sl);
	for (int i = 0; i < n; i++) {
		char id[19], name[32];
		idnum(id, "621202", seqs[i]);
		pname(name, seqs[i]);
		bz_person *p = NULL;
		ck_assert_bz(bz_person_register(&p, t, id, name, 0, NULL));
		ck_assert_bz(bz_placement_enter(NULL, t, bz_person_uuid(p), unit, "XZ", slip, BZ_ENTRY_RECRUIT, date));
		bz_person_free(p);
	}
	commit(t);
	return l;
}

/* the card held once (schema 12) is still an attribute of its person for the import: a file that gives the
 * same person another card on the same date is refused with the attribute conflict a card fact gave */
START_TEST(card_attribute_conflict)
{
	const int one[] = {5}, two[] = {7, 5};
	bz_ledger *ours = wudu_hiring(one, 1, "2020-03-01"), *theirs = wudu_hiring(two, 2, "2020-03-01");
	char file[256];
	export_to(theirs, file, "cards", NULL);
	unsigned long long before = rows_all(ours);
	bz_exchange *x = NULL;
	ck_assert_int_eq(bz_ledger_import(&x, ours, file, 0), BZ_EINVAL);
	ck_assert_ptr_nonnull(x);
	size_t found = 0;
	for (size_t i = 0; i < bz_exchange_conflict_count(x); i++)
		if (strcmp(bz_exchange_conflict_kind(x, i), "attribute") == 0 && strcmp(bz_exchange_conflict_field(x, i), "card") == 0) {
			found++;
			ck_assert_str_eq(bz_exchange_conflict_ours(x, i), "621202-000001");
			ck_assert_str_eq(bz_exchange_conflict_theirs(x, i), "621202-000002");
			ck_assert_ptr_nonnull(strstr(bz_exchange_conflict_identity(x, i), " card 2020-03-01"));
		}
	ck_assert_uint_eq(found, 1);
	bz_exchange_free(x);
	ck_assert_uint_eq(rows_all(ours), before);
	unlink(file);
	bz_ledger_close(ours);
	bz_ledger_close(theirs);
}
END_TEST

START_TEST(check_after_import_and_attribute_conflicts)
{
	/* the city set 成县's administrative limit itself: on the county's date with another figure, a conflict */
	bz_ledger *c = tu_ledger();
	char d[BZ_UUID_LEN + 1];
	bz_txn *t = tu_begin(c);
	city_basics(t, d);
	ck_assert_bz(bz_jurisdiction_create(NULL, t, "621221", "成县", "621200"));
	commit(t);
	t = tu_begin(c);
	ck_assert_bz(bz_txn_set_document(t, d));
	ck_assert_bz(bz_limit_set(t, "621221", BZ_BRANCH_ADMINISTRATIVE, 100, "2012-03-01"));
	commit(t);
	bz_exchange *x = NULL;
	ck_assert_int_eq(bz_ledger_import(&x, c, A.file, 0), BZ_EINVAL);
	ck_assert_uint_eq(bz_exchange_conflict_count(x), 1);
	ck_assert_str_eq(bz_exchange_conflict_kind(x, 0), "attribute");
	ck_assert_str_eq(bz_exchange_conflict_field(x, 0), "limit:1");
	ck_assert_str_eq(bz_exchange_conflict_ours(x, 0), "100");
	ck_assert_str_eq(bz_exchange_conflict_theirs(x, 0), "150");
	bz_exchange_free(x);
	bz_ledger_close(c);

	/* a later limit of the city's own, below the county's establishment: imported, and the check says so (R4) */
	c = tu_ledger();
	t = tu_begin(c);
	city_basics(t, d);
	ck_assert_bz(bz_jurisdiction_create(NULL, t, "621221", "成县", "621200"));
	commit(t);
	t = tu_begin(c);
	ck_assert_bz(bz_txn_set_document(t, d));
	ck_assert_bz(bz_limit_set(t, "621221", BZ_BRANCH_ADMINISTRATIVE, 100, "2020-01-01"));
	commit(t);
	x = import_ok(c, A.file);
	ck_assert_int_gt(bz_exchange_check_errors(x), 0);
	ck_assert_int_eq(bz_exchange_check_errors(x), (int64_t)violations_of(c, BZ_RULE_R4));
	ck_assert_int_eq(bz_exchange_mapped(x), 8); /* the county's own jurisdiction too */
	bz_exchange_free(x);
	ck_assert_uint_eq(violations_of(c, BZ_RULE_INTEGRITY), 0);
	bz_ledger_close(c);
}
END_TEST


/* ---- a unit's credit code given after an import, and a vendor's record without its change record ------- */

/* an import refused with `count` conflicts, nothing written, one of them (kind, identity, field, ours, theirs) */
static void refused_with(bz_ledger *l, const char *path, size_t count, const char *kind, const char *ident,
			 const char *field, const char *ours, const char *theirs)
{
	unsigned long long before = rows_all(l);
	int64_t seq = last_seq(l);
	bz_exchange *x = NULL;
	ck_assert_int_eq(bz_ledger_import(&x, l, path, 0), BZ_EINVAL);
	ck_assert_ptr_nonnull(x);
	ck_assert_uint_eq(bz_exchange_conflict_count(x), count);
	bool seen = false;
	for (size_t i = 0; i < count; i++) {
		if (strcmp(bz_exchange_conflict_kind(x, i), kind) || strcmp(bz_exchange_conflict_identity(x, i), ident) ||
		    strcmp(bz_exchange_conflict_field(x, i), field))
			continue;
		if (ours)
			ck_assert_str_eq(bz_exchange_conflict_ours(x, i), ours);
		else
			ck_assert_ptr_null(bz_exchange_conflict_ours(x, i));
		ck_assert_str_eq(bz_exchange_conflict_theirs(x, i), theirs);
		ck_assert_int_gt(bz_exchange_conflict_line(x, i), 1);
		seen = true;
	}
	ck_assert_msg(seen, "no conflict %s %s %s", kind, ident, field);
	ck_assert_int_eq(bz_exchange_added(x), 0);
	bz_exchange_free(x);
	ck_assert_uint_eq(rows_all(l), before);
	ck_assert_int_eq(last_seq(l), seq);
}

static void code_is(bz_ledger *l, const char *unit, const char *date, const char *want)
{
	bz_unit *u = NULL;
	ck_assert_bz(bz_unit_lookup(&u, l, unit, date));
	if (want)
		ck_assert_str_eq(bz_unit_credit_code(u), want);
	else
		ck_assert_ptr_null(bz_unit_credit_code(u));
	bz_unit_free(u);
}

static void set_code_in(bz_ledger *l, const char *doc_uuid, const char *unit, const char *code, const char *date)
{
	bz_txn *t = tu_begin(l);
	ck_assert_bz(bz_txn_set_document(t, doc_uuid));
	ck_assert_bz(bz_unit_set_credit_code(t, unit, code, date));
	commit(t);
}

START_TEST(credit_code_change_travels)
{
	TU_SQLITE_ONLY("a copy of the same ledger (same identity) going on by itself is made by bz_ledger_backup(),"
		       " which PostgreSQL leaves to pg_dump -n SCHEMA");
	/* 成县 gives its 第一中学 (an institution founded without a code) a credit code after the city imported it,
	 * and issues it a 机构编制管理证; the newer export brings both to the city */
	char copy[256], file2[256], cc[19], cc2[19];
	snprintf(cc, sizeof cc, "12621221%s", "MB174621");
	cc[16] = bz_gb11714_check(cc + 8);
	cc[17] = bz_gb32100_check(cc);
	cc[18] = '\0';
	snprintf(cc2, sizeof cc2, "12621221%s", "MB174631");
	cc2[16] = bz_gb11714_check(cc2 + 8);
	cc2[17] = bz_gb32100_check(cc2);
	cc2[18] = '\0';
	snprintf(copy, sizeof copy, "%s", tu_tmpfile("A3"));
	ck_assert_bz(bz_ledger_backup(A.l, copy));
	bz_ledger *a2 = NULL;
	ck_assert_bz(bz_ledger_open(&a2, copy, 0));
	ck_assert_bz(bz_ledger_set_clock(a2, "2026-12-01"));
	bz_ledger *e = tu_ledger(), *k = tu_ledger(), *o = tu_ledger();
	bz_exchange_free(import_ok(e, A.file));
	bz_exchange_free(import_ok(k, A.file));
	bz_exchange_free(import_ok(o, A.file));
	const char *school = A.unit[6];
	set_code_in(a2, A.county_doc, school, cc, "2021-01-01");
	bz_txn *t = tu_begin(a2);
	ck_assert_bz(bz_txn_set_document(t, A.county_doc));
	ck_assert_bz(bz_unitcert_issue(NULL, t, school, "2021-02-01", NULL));
	commit(t);
	export_to(a2, file2, "A3x", NULL);

	/* the city: the change applied, the code in force from its date, found by code, the ledger whole */
	bz_exchange *x = import_ok(e, file2);
	ck_assert_int_eq(bz_exchange_changes_added(x), 2);
	bz_exchange_free(x);
	code_is(e, school, "2020-12-31", NULL);
	code_is(e, school, "2021-01-01", cc);
	bz_unit *u = NULL;
	ck_assert_bz(bz_unit_lookup_credit_code(&u, e, cc, NULL));
	ck_assert_str_eq(bz_unit_uuid(u), school);
	bz_unit_free(u);
	ck_assert_uint_eq(violations_of(e, BZ_RULE_INTEGRITY), 0);
	counters_equal(a2, e);
	x = import_ok(e, file2);
	ck_assert_int_eq(bz_exchange_added(x), 0);
	bz_exchange_free(x);

	/* a city that gave the school another code meanwhile: one conflict on the unit's code, nothing written */
	set_code_in(k, A.county_doc, school, cc2, "2021-03-01");
	refused_with(k, file2, 1, "unit", school, "credit_code", cc2, cc);
	code_is(k, school, "2021-03-01", cc2);
	/* a city that gave the code to another unit of 成县's: a conflict naming that unit (and that unit's code,
	 * which the county does not know, another), nothing written */
	set_code_in(o, A.county_doc, A.unit[7], cc, "2021-03-01");
	refused_with(o, file2, 2, "unit", school, "credit_code", A.unit[7], cc);

	/* a vendor's file whose certificate names a change record that is in neither the file nor the ledger: a
	 * conflict on the certificate (not SQLite's NOT NULL), nothing written */
	size_t n;
	char *text = slurp(file2, &n);
	char *line = strstr(text, "\"type\":\"unitcert\"");
	ck_assert_ptr_nonnull(line);
	char *ev = strstr(line, "\"event\":[\"");
	ck_assert_ptr_nonnull(ev);
	char *hex = ev + strlen("\"event\":[\"");
	*hex = *hex == 'a' ? 'b' : 'a'; /* another ledger's record */
	char *num = strstr(line, "\"number\":\"") + strlen("\"number\":\"");
	char number[64];
	size_t len = (size_t)(strchr(num, '"') - num);
	ck_assert_uint_lt(len, sizeof number);
	memcpy(number, num, len);
	number[len] = '\0';
	char bad[256];
	tmpname(bad, "A3v");
	spit(bad, text, n);
	free(text);
	bz_ledger *v = tu_ledger();
	bz_exchange_free(import_ok(v, A.file));
	x = NULL;
	unsigned long long before = rows_all(v);
	ck_assert_int_eq(bz_ledger_import(&x, v, bad, 0), BZ_EINVAL);
	ck_assert_ptr_nonnull(x);
	bool seen = false;
	for (size_t i = 0; i < bz_exchange_conflict_count(x); i++)
		if (!strcmp(bz_exchange_conflict_kind(x, i), "unitcert")) {
			ck_assert_str_eq(bz_exchange_conflict_identity(x, i), number);
			ck_assert_str_eq(bz_exchange_conflict_field(x, i), "event");
			ck_assert_ptr_null(bz_exchange_conflict_ours(x, i));
			seen = true;
		}
	ck_assert(seen);
	ck_assert_ptr_null(strstr(bz_ledger_errmsg(v), "NOT NULL"));
	bz_exchange_free(x);
	ck_assert_uint_eq(rows_all(v), before);

	bz_ledger_close(v);
	bz_ledger_close(o);
	bz_ledger_close(k);
	bz_ledger_close(e);
	bz_ledger_close(a2);
	tu_rm(copy);
	unlink(file2);
	unlink(bad);
}
END_TEST

/* ---- offices, certificates and transaction identities (format version 3) ------------------------------ */

#define WX_EST "文县委编办"
#define WX_HR "文县人力资源和社会保障局"

static county W; /* 文县: its offices, its units' 机构编制管理证, R14 enforced */
static char wx_est[BZ_UUID_LEN + 1], wx_hr[BZ_UUID_LEN + 1], wx_cert0[BZ_UUID_LEN + 1], wx_cert1[BZ_UUID_LEN + 1],
	wx_renewed1[BZ_UUID_LEN + 1], wx_txn_certs[BZ_UUID_LEN + 1], wx_txn_offices[BZ_UUID_LEN + 1];

static void w_commit(bz_txn *t, char uuid_out[BZ_UUID_LEN + 1])
{
	if (uuid_out)
		memcpy(uuid_out, bz_txn_uuid(t), BZ_UUID_LEN + 1);
	commit(t);
}

/* 文县 as its own ledger keeps it: every unit certified in 2013, R14 an error from 2014, the first unit's
 * certificate voided in 2020, the second's renewed in 2018; then the county's 编办 and 人社局 registered */
static void wenxian_build(void)
{
	county_build(&W, "621222", "文县", "文", false);
	bz_txn *t = tu_begin(W.l);
	ck_assert_bz(bz_txn_set_document(t, W.county_doc));
	for (int i = 0; i < NU; i++) {
		bz_unitcert *c = NULL;
		ck_assert_bz(bz_unitcert_issue(&c, t, W.unit[i], "2013-01-01", NULL));
		if (i == 0)
			memcpy(wx_cert0, bz_unitcert_uuid(c), BZ_UUID_LEN + 1);
		if (i == 1)
			memcpy(wx_cert1, bz_unitcert_uuid(c), BZ_UUID_LEN + 1);
		bz_unitcert_free(c);
	}
	w_commit(t, wx_txn_certs);
	t = tu_begin(W.l);
	ck_assert_bz(bz_txn_set_document(t, W.county_doc));
	ck_assert_bz(bz_rule_param_set(t, "unitcert.enforce", "error", "2014-01-01"));
	bz_unitcert *c = NULL;
	ck_assert_bz(bz_unitcert_renew(&c, t, wx_cert1, "2018-01-01", NULL));
	memcpy(wx_renewed1, bz_unitcert_uuid(c), BZ_UUID_LEN + 1);
	bz_unitcert_free(c);
	ck_assert_bz(bz_unitcert_void(t, wx_cert0, "2020-01-01"));
	w_commit(t, NULL);
	t = NULL;
	ck_assert_bz(bz_txn_begin(&t, W.l, "文县编办 王五", WX_EST));
	bz_office *o = NULL;
	ck_assert_bz(bz_office_register(&o, t, WX_EST, "621222", BZ_OFFICE_ESTABLISHMENT));
	memcpy(wx_est, bz_office_uuid(o), BZ_UUID_LEN + 1);
	bz_office_free(o);
	ck_assert_bz(bz_office_register(&o, t, WX_HR, "621222", BZ_OFFICE_HR));
	memcpy(wx_hr, bz_office_uuid(o), BZ_UUID_LEN + 1);
	bz_office_free(o);
	w_commit(t, wx_txn_offices);
}

/* the ledger knows 文县's two offices, as the county registered them */
static void offices_known(bz_ledger *l)
{
	bz_office_iter *it = NULL;
	bz_office *o = NULL;
	ck_assert_bz(bz_office_list(&it, l, "621222"));
	const char *names[] = {WX_EST, WX_HR}, *ids[] = {wx_est, wx_hr};
	int kinds_[] = {BZ_OFFICE_ESTABLISHMENT, BZ_OFFICE_HR};
	for (int i = 0; i < 2; i++) {
		ck_assert_bz(bz_office_iter_next(&o, it));
		ck_assert_str_eq(bz_office_uuid(o), ids[i]);
		ck_assert_str_eq(bz_office_name(o), names[i]);
		ck_assert_str_eq(bz_office_jurisdiction(o), "621222");
		ck_assert_int_eq(bz_office_kind(o), kinds_[i]);
		ck_assert_int_eq(bz_office_level(o), BZ_LEVEL_COUNTY);
		bz_office *w = NULL;
		ck_assert_bz(bz_office_lookup(&w, W.l, ids[i]));
		ck_assert_str_eq(bz_office_registered(o), bz_office_registered(w));
		bz_office_free(w);
		bz_office_free(o);
	}
	ck_assert_int_eq(bz_office_iter_next(&o, it), BZ_ITEROVER);
	bz_office_iter_free(it);
}

/* the certificates of 文县's first two units, as the county holds them */
static void certificates_known(bz_ledger *l)
{
	const char *ids[] = {wx_cert0, wx_cert1, wx_renewed1};
	for (int i = 0; i < 3; i++) {
		bz_unitcert *a = NULL, *b = NULL;
		ck_assert_bz(bz_unitcert_lookup(&a, W.l, ids[i], "2021-01-01"));
		ck_assert_bz(bz_unitcert_lookup(&b, l, ids[i], "2021-01-01"));
		ck_assert_str_eq(bz_unitcert_number(b), bz_unitcert_number(a));
		ck_assert_str_eq(bz_unitcert_unit(b), bz_unitcert_unit(a));
		ck_assert_str_eq(bz_unitcert_issued(b), bz_unitcert_issued(a));
		ck_assert_str_eq(bz_unitcert_valid_until(b), bz_unitcert_valid_until(a));
		ck_assert_int_eq(bz_unitcert_state(b), bz_unitcert_state(a));
		bz_unitcert_free(a);
		bz_unitcert_free(b);
	}
	bz_unitcert *c = NULL;
	ck_assert_bz(bz_unitcert_lookup(&c, l, wx_cert0, "2021-01-01"));
	ck_assert_str_eq(bz_unitcert_voided(c), "2020-01-01");
	ck_assert_str_eq(bz_unitcert_number(c), "621222-BZZ-2013-0001");
	bz_unitcert_free(c);
	ck_assert_bz(bz_unitcert_lookup(&c, l, wx_renewed1, "2021-01-01"));
	ck_assert_str_eq(bz_unitcert_renews(c), wx_cert1);
	ck_assert_str_eq(bz_unitcert_valid_until(c), "2022-12-31");
	bz_unitcert_free(c);
	ck_assert_int_eq(tu_count(l, "unitcert"), NU + 1);
	ck_assert_int_eq(tu_count(l, "unitcert_end"), 2);
}

static void txns_known(bz_ledger *l, int want)
{
	int yes = -1;
	ck_assert_bz(bz_txn_committed(&yes, l, wx_txn_certs));
	ck_assert_int_eq(yes, want);
	ck_assert_bz(bz_txn_committed(&yes, l, wx_txn_offices));
	ck_assert_int_eq(yes, want);
}

static void verify_clean(bz_ledger *l)
{
	bz_report *r = NULL;
	ck_assert_bz(bz_ledger_verify(&r, l, 0, NULL));
	ck_assert_msg(bz_report_count(r) == 0, "verify: %s", bz_report_count(r) ? bz_violation_message(bz_report_get(r, 0)) : "");
	bz_report_free(r);
}

/* one outcome of a commit, field by field */
typedef struct outcome {
	int rc;
	size_t count;
	int rule[4];
	char category[4][64], office[4][64], subject[4][40], date[4][16];
} outcome;

static outcome judged(bz_txn *t)
{
	outcome o;
	memset(&o, 0, sizeof o);
	o.rc = bz_txn_commit(t);
	const bz_report *r = bz_txn_report(t);
	o.count = bz_report_count(r);
	for (size_t i = 0; i < o.count && i < 4; i++) {
		const bz_violation *v = bz_report_get(r, i);
		o.rule[i] = bz_violation_rule(v);
		snprintf(o.category[i], sizeof o.category[i], "%s", bz_violation_category(v) ? bz_violation_category(v) : "");
		snprintf(o.office[i], sizeof o.office[i], "%s", bz_violation_office(v) ? bz_violation_office(v) : "");
		snprintf(o.subject[i], sizeof o.subject[i], "%s", bz_violation_subject(v) ? bz_violation_subject(v) : "");
		snprintf(o.date[i], sizeof o.date[i], "%s", bz_violation_date(v) ? bz_violation_date(v) : "");
	}
	bz_txn_free(t);
	return o;
}

static int has_rule(const outcome *o, int rule, const char *category, const char *office)
{
	for (size_t i = 0; i < o->count && i < 4; i++)
		if (o->rule[i] == rule && (!category || strcmp(o->category[i], category) == 0) &&
		    (!office || strcmp(o->office[i], office) == 0))
			return 1;
	return 0;
}

/* the same acts in 文县's ledger and in one that imported it: the same judgement, the same writing */
static void judged_as_before(bz_ledger *l)
{
	bz_ledger *both[2] = {W.l, l};
	outcome o[2][3];
	for (int k = 0; k < 2; k++) {
		long long events = tu_count(both[k], "event");
		/* the HR office sets an establishment: R15, not its power */
		bz_txn *t = NULL;
		ck_assert_bz(bz_txn_begin_office(&t, both[k], "人社 李四", wx_hr));
		ck_assert_bz(bz_txn_set_document(t, W.county_doc));
		ck_assert_bz(bz_establishment_set(t, W.unit[1], "XZ", 30, "2021-01-01"));
		o[k][0] = judged(t);
		ck_assert_int_eq(tu_count(both[k], "event"), events);
		/* the HR office places someone in the unit whose certificate was voided: R14 */
		ck_assert_bz(bz_txn_begin_office(&t, both[k], "人社 李四", wx_hr));
		ck_assert_bz(bz_txn_set_document(t, W.county_doc));
		bz_person *p = NULL;
		char id[19];
		idnum(id, "621222", 900);
		ck_assert_bz(bz_person_register(&p, t, id, "赵小龙", 0, NULL));
		ck_assert_bz(bz_placement_enter(NULL, t, bz_person_uuid(p), W.unit[0], "XZ", NULL, BZ_ENTRY_TRANSFER_IN,
						"2021-01-01"));
		bz_person_free(p);
		o[k][1] = judged(t);
		ck_assert_int_eq(tu_count(both[k], "event"), events);
		/* the establishment office sets it: taken */
		ck_assert_bz(bz_txn_begin_office(&t, both[k], "编办 王五", wx_est));
		ck_assert_bz(bz_txn_set_document(t, W.county_doc));
		ck_assert_bz(bz_establishment_set(t, W.unit[1], "XZ", 19, "2021-01-01"));
		o[k][2] = judged(t);
		ck_assert_int_gt(tu_count(both[k], "event"), events);
	}
	ck_assert_int_eq(o[0][0].rc, BZ_ECONSTRAINT);
	ck_assert_msg(has_rule(&o[0][0], BZ_RULE_R15, "establishment", WX_HR), "R15 in the county");
	ck_assert_int_eq(o[0][1].rc, BZ_ECONSTRAINT);
	ck_assert_msg(has_rule(&o[0][1], BZ_RULE_R14, "unitcert:621222-BZZ-2013-0001", NULL), "R14 in the county");
	ck_assert_int_eq(o[0][2].rc, BZ_OK);
	for (int i = 0; i < 3; i++) {
		ck_assert_int_eq(o[1][i].rc, o[0][i].rc);
		ck_assert_uint_eq(o[1][i].count, o[0][i].count);
		for (size_t v = 0; v < o[0][i].count && v < 4; v++) {
			ck_assert_int_eq(o[1][i].rule[v], o[0][i].rule[v]);
			ck_assert_str_eq(o[1][i].category[v], o[0][i].category[v]);
			ck_assert_str_eq(o[1][i].office[v], o[0][i].office[v]);
			ck_assert_str_eq(o[1][i].subject[v], o[0][i].subject[v]);
			ck_assert_str_eq(o[1][i].date[v], o[0][i].date[v]);
		}
	}
}

/* the file as the previous version (2) wrote it: no office lines, no transaction identities */
static void as_version_2(const char *from, const char *to)
{
	FILE *in = fopen(from, "r"), *out = fopen(to, "w");
	ck_assert_ptr_nonnull(in);
	ck_assert_ptr_nonnull(out);
	char *buf = NULL;
	size_t cap = 0;
	long long records = 0;
	while (getline(&buf, &cap, in) > 0) {
		json_t *o = json_loads(buf, 0, NULL);
		ck_assert_ptr_nonnull(o);
		const char *type = json_string_value(json_object_get(o, "type"));
		if (strcmp(type, "office") == 0) {
			json_decref(o);
			continue;
		}
		if (strcmp(type, "header") == 0)
			json_object_set_new(o, "version", json_integer(2));
		else if (strcmp(type, "txn") == 0)
			json_object_del(o, "uuid");
		else if (strcmp(type, "end") == 0) {
			json_object_del(json_object_get(o, "counts"), "office");
			json_object_set_new(o, "records", json_integer(records));
		} else
			records++;
		if (strcmp(type, "txn") == 0)
			records++;
		char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
		fprintf(out, "%s\n", s);
		free(s);
		json_decref(o);
	}
	free(buf);
	fclose(in);
	fclose(out);
}

START_TEST(offices_certificates_and_txn_identities_travel)
{
	wenxian_build();
	char whole[256], part[256], v2[256];
	export_to(W.l, whole, "W", NULL);
	export_to(W.l, part, "Wp", "621222");
	/* the file says version 3, and holds the offices and every transaction's identity */
	size_t n;
	char *text = slurp(whole, &n);
	ck_assert_ptr_nonnull(strstr(text, "\"version\":3"));
	ck_assert_ptr_nonnull(strstr(text, "\"type\":\"office\""));
	ck_assert_ptr_nonnull(strstr(text, wx_txn_certs));
	free(text);

	/* a new ledger imports the whole ledger, and a city ledger 文县's part: both know the offices, the
	 * certificates and the transactions; the chain verifies; R15 and R14 judge later acts as the county did */
	bz_ledger *e = tu_ledger(), *c = tu_ledger();
	bz_exchange_free(import_ok(e, whole));
	char d[BZ_UUID_LEN + 1];
	bz_txn *t = tu_begin(c);
	city_basics(t, d);
	commit(t);
	bz_exchange *x = import_ok(c, part);
	ck_assert_int_eq(bz_exchange_mapped(x), 6); /* 甘肃省, 陇南市, the city's document and their registrations */
	bz_exchange_free(x);
	ck_assert_int_eq(tu_count(c, "office"), 2);
	ck_assert_int_eq(tu_count(c, "txn_id"), tu_count(c, "txn_log"));
	bz_ledger *l[2] = {e, c};
	for (int k = 0; k < 2; k++) {
		offices_known(l[k]);
		certificates_known(l[k]);
		txns_known(l[k], 1);
		verify_clean(l[k]);
	}
	/* a transaction of 文县's is not the city's own: a random identity is still unknown */
	int yes = -1;
	ck_assert_bz(bz_txn_committed(&yes, c, "6f1c1b7e-2c3a-4d5e-8f90-a1b2c3d4e5f6"));
	ck_assert_int_eq(yes, 0);
	/* importing again adds nothing */
	unsigned long long before = rows_all(c);
	x = import_ok(c, part);
	ck_assert_int_eq(bz_exchange_added(x), 0);
	bz_exchange_free(x);
	ck_assert_uint_eq(rows_all(c), before);

	/* a file of the previous version still imports: no offices, no identities — and the new file then adds
	 * the offices and the identities to the records it brought */
	tmpname(v2, "W2");
	as_version_2(whole, v2);
	bz_ledger *old = tu_ledger();
	x = import_ok(old, v2);
	ck_assert_int_gt(bz_exchange_changes_added(x), 0);
	bz_exchange_free(x);
	ck_assert_int_eq(tu_count(old, "office"), 0);
	ck_assert_int_eq(tu_count(old, "unitcert"), NU + 1);
	txns_known(old, 0);
	x = import_ok(old, whole);
	ck_assert_int_eq(bz_exchange_changes_added(x), 0);
	ck_assert_int_eq(bz_exchange_added(x), 2); /* the two office rows */
	bz_exchange_free(x);
	offices_known(old);
	txns_known(old, 1);
	verify_clean(old);
	bz_ledger_close(old);

	/* conflicts, nothing written: an office of the same name of another kind; a transaction identity the
	 * ledger gives to another transaction */
	bz_ledger *k = tu_ledger();
	t = tu_begin(k);
	city_basics(t, d);
	ck_assert_bz(bz_jurisdiction_create(NULL, t, "621222", "文县", "621200"));
	commit(t);
	t = NULL;
	ck_assert_bz(bz_txn_begin(&t, k, "编办", WX_HR));
	ck_assert_bz(bz_office_register(NULL, t, WX_HR, "621222", BZ_OFFICE_ESTABLISHMENT));
	commit(t);
	before = rows_all(k);
	x = NULL;
	ck_assert_int_eq(bz_ledger_import(&x, k, part, 0), BZ_EINVAL);
	ck_assert_uint_eq(bz_exchange_conflict_count(x), 1);
	ck_assert_str_eq(bz_exchange_conflict_kind(x, 0), "office");
	ck_assert_str_eq(bz_exchange_conflict_identity(x, 0), WX_HR);
	ck_assert_str_eq(bz_exchange_conflict_field(x, 0), "kind");
	ck_assert_str_eq(bz_exchange_conflict_ours(x, 0), "1");
	ck_assert_str_eq(bz_exchange_conflict_theirs(x, 0), "3");
	ck_assert_int_gt(bz_exchange_conflict_line(x, 0), 1);
	bz_exchange_free(x);
	ck_assert_uint_eq(rows_all(k), before);
	bz_ledger_close(k);

	text = slurp(part, &n);
	char *mine = NULL;
	k = tu_ledger();
	t = tu_begin(k);
	mine = bz_strdup(bz_txn_uuid(t));
	city_basics(t, d);
	commit(t);
	char *at = strstr(text, wx_txn_certs);
	ck_assert_ptr_nonnull(at);
	memcpy(at, mine, BZ_UUID_LEN);
	char bad_path[256];
	tmpname(bad_path, "Wt");
	spit(bad_path, text, n);
	before = rows_all(k);
	x = NULL;
	ck_assert_int_eq(bz_ledger_import(&x, k, bad_path, 0), BZ_EINVAL);
	ck_assert_uint_eq(bz_exchange_conflict_count(x), 1);
	ck_assert_str_eq(bz_exchange_conflict_kind(x, 0), "txn");
	ck_assert_str_eq(bz_exchange_conflict_identity(x, 0), mine);
	ck_assert_str_eq(bz_exchange_conflict_field(x, 0), "id");
	bz_exchange_free(x);
	ck_assert_uint_eq(rows_all(k), before);
	bz_ledger_close(k);
	unlink(bad_path);
	bz_free(mine);
	free(text);

	/* the newest version this library reads is 3: a newer file is refused whole (as a reader of version 2
	 * refuses a version 3 file) */
	text = slurp(part, &n);
	at = strstr(text, "\"version\":3");
	ck_assert_ptr_nonnull(at);
	at[10] = '4';
	refused(c, text, n, BZ_ESCHEMA, "exchange format version 4 is newer than this library's 3");
	free(text);

	judged_as_before(c);
	judged_as_before(e);
	bz_ledger_close(e);
	bz_ledger_close(c);
	bz_ledger_close(W.l);
	unlink(whole);
	unlink(part);
	unlink(v2);
}
END_TEST

/* ---- a ledger moved between backends: SQLite → PostgreSQL → SQLite (README "Moving a ledger between backends") ---- */

/* the rows of one table of l as text, in a fixed order: one string per row, columns separated by \x1f */
static char **table_rows(bz_ledger *l, const char *sql, size_t *n)
{
	bz_st *st = NULL;
	ck_assert_msg(bz_store_prepare(l->store, &st, sql) == SQLITE_OK, "%s: %s", sql, bz_store_errmsg(l->store));
	char **rows = NULL;
	size_t cap = 0;
	*n = 0;
	int rc;
	while ((rc = bz_st_step(st)) == SQLITE_ROW) {
		size_t len = 1;
		int nc = bz_st_column_count(st);
		for (int i = 0; i < nc; i++)
			len += (size_t)bz_st_column_bytes(st, i) + 8;
		char *row = malloc(len);
		ck_assert_ptr_nonnull(row);
		row[0] = '\0';
		for (int i = 0; i < nc; i++) {
			const char *v = (const char *)bz_st_column_text(st, i);
			strcat(row, v ? v : "NULL");
			strcat(row, "\x1f");
		}
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			rows = realloc(rows, cap * sizeof *rows);
			ck_assert_ptr_nonnull(rows);
		}
		rows[(*n)++] = row;
	}
	ck_assert_msg(rc == SQLITE_DONE, "%s: %s", sql, bz_store_errmsg(l->store));
	bz_st_finalize(st);
	return rows;
}

/*
 * Every table of a (SQLite) equal, row by row, in b (either backend): each column as text (a blob as hex),
 * the rows sorted by all their columns. Not compared: meta (the ledger's own identity and settings) and the
 * tables the skip list names. Returns the number of tables compared.
 */
static int tables_equal(bz_ledger *a, bz_ledger *b, const char *const *skip)
{
	bz_st *t = NULL;
	ck_assert_int_eq(bz_store_prepare(a->store, &t,
					  "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name"),
			 SQLITE_OK);
	int tables = 0;
	while (bz_st_step(t) == SQLITE_ROW) {
		char table[128];
		snprintf(table, sizeof table, "%s", (const char *)bz_st_column_text(t, 0));
		bool skipped = strcmp(table, "meta") == 0;
		for (const char *const *k = skip; *k && !skipped; k++)
			skipped = strcmp(*k, table) == 0;
		if (skipped)
			continue;
		char sql[4096], order[512];
		snprintf(sql, sizeof sql, "SELECT ");
		order[0] = '\0';
		bz_st *c = NULL;
		ck_assert_int_eq(bz_store_prepare(a->store, &c, "SELECT name, type FROM pragma_table_info(?1) ORDER BY cid"), SQLITE_OK);
		bz_st_bind_text(c, 1, table, -1);
		int nc = 0;
		while (bz_st_step(c) == SQLITE_ROW) {
			const char *col = (const char *)bz_st_column_text(c, 0), *type = (const char *)bz_st_column_text(c, 1);
			size_t len = strlen(sql);
			snprintf(sql + len, sizeof sql - len, "%s%s(\"%s\"%s", nc ? ", " : "",
				 type && strcmp(type, "BLOB") == 0 ? "hex" : "CAST", col,
				 type && strcmp(type, "BLOB") == 0 ? ")" : " AS TEXT)");
			len = strlen(order);
			snprintf(order + len, sizeof order - len, "%s%d", nc ? ", " : "", nc + 1);
			nc++;
		}
		bz_st_finalize(c);
		size_t len = strlen(sql);
		snprintf(sql + len, sizeof sql - len, " FROM %s ORDER BY %s", table, order);
		size_t na = 0, nb = 0;
		char **ra = table_rows(a, sql, &na), **rb = table_rows(b, sql, &nb);
		ck_assert_msg(na == nb, "%s: %zu rows here, %zu in the copy", table, na, nb);
		for (size_t i = 0; i < na; i++) {
			ck_assert_msg(strcmp(ra[i], rb[i]) == 0, "%s row %zu: '%s' here, '%s' in the copy", table, i, ra[i], rb[i]);
			free(ra[i]);
			free(rb[i]);
		}
		free(ra);
		free(rb);
		tables++;
	}
	bz_st_finalize(t);
	return tables;
}

static bz_ledger *sqlite_ledger(void)
{
	bz_ledger *l = NULL;
	ck_assert_bz(bz_ledger_open(&l, ":memory:", BZ_OPEN_CREATE));
	ck_assert_bz(bz_ledger_set_clock(l, "2026-12-01"));
	return l;
}

static void check_counts_equal(bz_ledger *a, bz_ledger *b)
{
	bz_report *ra = NULL, *rb = NULL, *va = NULL;
	ck_assert_bz(bz_ledger_check(&ra, a, NULL));
	ck_assert_bz(bz_ledger_check(&rb, b, NULL));
	ck_assert_uint_eq(bz_report_count(ra), bz_report_count(rb));
	ck_assert_uint_eq(bz_report_errors(ra), bz_report_errors(rb));
	ck_assert_uint_eq(bz_report_warnings(ra), bz_report_warnings(rb));
	for (size_t i = 0; i < bz_report_count(ra); i++)
		ck_assert_int_eq(bz_violation_rule(bz_report_get(ra, i)), bz_violation_rule(bz_report_get(rb, i)));
	ck_assert_bz(bz_ledger_verify(&va, b, 0, NULL));
	ck_assert_uint_eq(bz_report_count(va), 0);
	bz_report_free(ra);
	bz_report_free(rb);
	bz_report_free(va);
}

START_TEST(copy_sqlite_postgresql_sqlite)
{
	/* s0: an SQLite ledger holding 徽县's books (an opening and the year's changes); p: the suite's ledger — on
	 * PostgreSQL in the suite pg, else SQLite; s1: SQLite again */
	bz_ledger *s0 = sqlite_ledger();
	bz_exchange_free(import_ok(s0, B.file));
	char f1[256], f2[256];
	export_to(s0, f1, "C1", NULL);
	bz_ledger *p = tu_ledger();
	bz_exchange *x = import_ok(p, f1);
	ck_assert_int_gt(bz_exchange_changes_added(x), 50);
	/* present: the code tables a new ledger starts with (categories, authorities, norms), the same rows */
	ck_assert_int_eq(bz_exchange_mapped(x), 0);
	bz_exchange_free(x);
	export_to(p, f2, "C2", NULL);
	bz_ledger *s1 = sqlite_ledger();
	bz_exchange_free(import_ok(s1, f2));
	/* the change records in the same order under the same numbers, with the same origins; the records under
	 * their UUIDs; the counters recomputed equal; the chain the same hashes */
	const char *const none[] = {NULL};
	ck_assert_int_gt(tables_equal(s0, s1, none), 30);
	ck_assert_int_gt(tables_equal(s0, p, none), 30);
	ck_assert_int_eq(last_seq(s0), last_seq(p));
	ck_assert_int_eq(last_seq(s0), last_seq(s1));
	check_counts_equal(s0, p);
	check_counts_equal(s0, s1);
	/* each is a ledger of its own: the identity is not copied (README) */
	char *i0 = NULL, *i1 = NULL, *ip = NULL;
	ck_assert_bz(bz_ledger_identity(&i0, s0));
	ck_assert_bz(bz_ledger_identity(&ip, p));
	ck_assert_bz(bz_ledger_identity(&i1, s1));
	ck_assert_str_ne(i0, ip);
	ck_assert_str_ne(i0, i1);
	bz_free(i0);
	bz_free(ip);
	bz_free(i1);
	unlink(f1);
	unlink(f2);
	bz_ledger_close(s0);
	bz_ledger_close(p);
	bz_ledger_close(s1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("exchange");
	TCase *tc = tcase_create("exchange");
	tcase_set_timeout(tc, 300);
	tcase_add_unchecked_fixture(tc, counties_setup, counties_teardown);
	tcase_add_test(tc, identity_is_a_uuid_of_each_ledger);
	tcase_add_test(tc, round_trip_is_identical);
	tcase_add_test(tc, import_twice_changes_nothing);
	tcase_add_test(tc, newer_export_adds_only_the_new);
	tcase_add_test(tc, conflicts_refused_nothing_written);
	tcase_add_test(tc, damaged_files_refused_nothing_written);
	tcase_add_test(tc, export_errors);
	tcase_add_test(tc, city_consolidates_its_counties);
	tcase_add_test(tc, check_after_import_and_attribute_conflicts);
	tcase_add_test(tc, card_attribute_conflict);
	tcase_add_test(tc, credit_code_change_travels);
	tcase_add_test(tc, offices_certificates_and_txn_identities_travel);
	tcase_add_test(tc, copy_sqlite_postgresql_sqlite);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
