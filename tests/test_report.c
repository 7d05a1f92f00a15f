/*
 * test_report.c: the reports of seed §13 (Tables 1–3, the quota ledgers,
 * the per-unit ledger, the management card, the vacancy list) on a county
 * of 50 units and 1,000 people, checked against the library's own getters;
 * CSV bytes, JSON parsed back, XLSX written, the organisation chart; and
 * every error path.
 */
#include "testutil.h"
#include "report_county.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static rc_county C;
static bz_ledger *L;
static char dir[256];
static const char *const DAY = "2026-12-01";

/* a before b in the same text, both found */
#define ck_assert_ptr_before(a, b) do { const char *a_ = (a), *b_ = (b); \
	ck_assert_msg(a_ && b_ && a_ < b_, "%s is not before %s", #a, #b); } while (0)

static void county_setup(void)
{
	L = tu_ledger();
	/* 1,000 people: about 0.3 s, and 17 s under valgrind */
	int rc = rc_build(&C, L, 1000);
	ck_assert_msg(rc == BZ_OK, "county: %s", C.error);
	snprintf(dir, sizeof dir, "%s/bz-report-%ld", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (long)getpid());
	mkdir(dir, 0700);
}

static void county_teardown(void)
{
	bz_ledger_close(L);
	DIR *d = opendir(dir);
	struct dirent *e;
	char p[600];
	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.' && (!e->d_name[1] || (e->d_name[1] == '.' && !e->d_name[2])))
			continue;
		snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
		if (rmdir(p) != 0)
			unlink(p);
	}
	if (d)
		closedir(d);
	rmdir(dir);
}

static const char *path_of(const char *name)
{
	static char p[512];
	snprintf(p, sizeof p, "%s/%s", dir, name);
	return p;
}

/* the column of a header, failing the test if absent */
static size_t col(const bz_sheet *s, const char *header)
{
	for (size_t c = 0; c < bz_sheet_columns(s); c++)
		if (!strcmp(bz_sheet_header(s, c), header))
			return c;
	ck_abort_msg("no column %s in %s", header, bz_sheet_title(s));
	return 0;
}

static int64_t num(const bz_sheet *s, size_t r, const char *header)
{
	const char *v = bz_sheet_cell(s, r, col(s, header));
	ck_assert_msg(v != NULL, "row %zu column %s is empty", r, header);
	return strtoll(v, NULL, 10);
}

static const char *txt(const bz_sheet *s, size_t r, const char *header)
{
	return bz_sheet_cell(s, r, col(s, header));
}

/* the county's unit bearing that name at the report date, -1 if none */
static int unit_named(const char *name)
{
	for (int i = 0; i < RC_UNITS; i++)
		if (!strcmp(C.u[i].name, name))
			return i;
	return -1;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "cannot read %s", path);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *b = malloc((size_t)n + 1);
	ck_assert_int_eq(fread(b, 1, (size_t)n, f), (size_t)n);
	b[n] = '\0';
	fclose(f);
	if (len)
		*len = (size_t)n;
	return b;
}

/* the units of a jurisdiction scope in the offices' order: by code, then recorded order */
static int expected_order(int *out, const char *const *codes, size_t ncodes, bool founded_only)
{
	int n = 0;
	for (size_t k = 0; k < ncodes; k++)
		for (int i = 0; i < RC_UNITS; i++)
			if (!strcmp(C.u[i].jur, codes[k]) && (!founded_only || i != C.late_unit))
				out[n++] = i;
	return n;
}

/* ---- Table 1 --------------------------------------------------------------------- */

START_TEST(table1_figures)
{
	bz_sheet *s = NULL;
	ck_assert_bz(bz_sheet_table1(&s, L, "621200", DAY));
	ck_assert_str_eq(bz_sheet_title(s), "机构编制基本情况表 (表1)");
	ck_assert_str_eq(bz_sheet_header(s, 0), "行政区划");
	ck_assert_str_eq(bz_sheet_header(s, 1), "单位名称");
	ck_assert_int_eq(bz_sheet_column_kind(s, col(s, "编制数")), BZ_COLUMN_INTEGER);
	ck_assert_int_eq(bz_sheet_column_kind(s, col(s, "单位名称")), BZ_COLUMN_TEXT);

	int seen[RC_UNITS * 4], nseen = 0;
	int64_t est_wd = 0, staff_wd = 0;
	for (size_t r = 0; r < bz_sheet_rows(s); r++) {
		int i = unit_named(txt(s, r, "单位名称"));
		ck_assert_msg(i >= 0, "row %zu: unknown unit %s", r, txt(s, r, "单位名称"));
		bool first = nseen == 0 || seen[nseen - 1] != i;
		if (first)
			seen[nseen++] = i;
		bz_unit *u = NULL;
		ck_assert_bz(bz_unit_lookup(&u, L, C.u[i].uuid, DAY));
		/* names, not codes */
		ck_assert_str_eq(txt(s, r, "单位性质"), bz_nature_name(bz_unit_nature(u)));
		ck_assert_str_eq(txt(s, r, "规格"), bz_rank_name(bz_unit_rank(u)));
		ck_assert_str_eq(txt(s, r, "经费形式"), bz_funding_name(bz_unit_funding(u)));
		bz_jurisdiction *j = NULL;
		ck_assert_bz(bz_jurisdiction_lookup(&j, L, bz_unit_jurisdiction(u)));
		ck_assert_str_eq(txt(s, r, "行政区划"), bz_jurisdiction_name(j));
		bz_jurisdiction_free(j);
		bz_basic_table *t = NULL;
		ck_assert_bz(bz_basic_table_get(&t, L, C.u[i].uuid, DAY));
		const char *catname = txt(s, r, "编制类别");
		if (!catname) { /* a unit with nothing in any category: one row, figures empty */
			for (size_t k = 0; k < bz_basic_table_rows(t); k++)
				ck_assert_int_eq(bz_basic_table_establishment(t, k) + bz_basic_table_staff(t, k), 0);
			ck_assert_ptr_null(txt(s, r, "编制数"));
		} else {
			size_t k = bz_basic_table_rows(t);
			for (size_t q = 0; q < bz_basic_table_rows(t); q++) {
				bz_category *c = NULL;
				ck_assert_bz(bz_category_lookup(&c, L, bz_basic_table_category(t, q)));
				if (!strcmp(bz_category_name(c), catname))
					k = q;
				bz_category_free(c);
			}
			ck_assert_msg(k < bz_basic_table_rows(t), "%s: no category named %s", C.u[i].name, catname);
			ck_assert_int_eq(num(s, r, "编制数"), bz_basic_table_establishment(t, k));
			ck_assert_int_eq(num(s, r, "实有人员"), bz_basic_table_staff(t, k));
			ck_assert_int_eq(num(s, r, "控编预留"), bz_basic_table_reserved(t, k));
			ck_assert_int_eq(num(s, r, "空编"), bz_basic_table_vacant(t, k));
			ck_assert_int_eq(num(s, r, "超编"), bz_basic_table_over(t, k));
			ck_assert_int_eq(num(s, r, "冻结"), bz_basic_table_frozen(t, k));
			if (!strcmp(C.u[i].jur, "621202")) {
				est_wd += bz_basic_table_establishment(t, k);
				staff_wd += bz_basic_table_staff(t, k);
			}
		}
		if (first) {
			ck_assert_int_eq(num(s, r, "核定正职"), bz_basic_table_principal_quota(t));
			ck_assert_int_eq(num(s, r, "核定副职"), bz_basic_table_deputy_quota(t));
			ck_assert_int_eq(num(s, r, "在任正职"), bz_basic_table_principals(t));
			ck_assert_int_eq(num(s, r, "核定内设机构"), bz_basic_table_subunits_approved(t));
			ck_assert_int_eq(num(s, r, "内设机构"), bz_basic_table_subunits(t));
		} else { /* the unit's figures once, so that a column sums right */
			ck_assert_ptr_null(txt(s, r, "核定正职"));
			ck_assert_ptr_null(txt(s, r, "内设机构"));
		}
		bz_basic_table_free(t);
		bz_unit_free(u);
	}
	/* every unit once, in the offices' order: by division code, then as recorded */
	int want[RC_UNITS];
	const char *codes[] = {"621200", "621202", "621221"};
	int nwant = expected_order(want, codes, 3, false);
	ck_assert_int_eq(nseen, nwant);
	for (int k = 0; k < nwant; k++)
		ck_assert_msg(seen[k] == want[k], "unit %d in the table is %s, expected %s", k, C.u[seen[k]].name,
			      C.u[want[k]].name);
	/* and that is not the byte order of the names (else the test proves nothing) */
	bool sorted = true;
	for (int k = 1; k < nwant && sorted; k++)
		sorted = strcmp(C.u[want[k - 1]].name, C.u[want[k]].name) <= 0;
	ck_assert(!sorted);
	/* 武都区's rows add up to its limit ledger, which counts the same units */
	bz_limit_ledger *lg = NULL;
	ck_assert_bz(bz_limit_ledger_get(&lg, L, "621202", DAY));
	ck_assert_int_eq(est_wd, bz_limit_ledger_allocated(lg, BZ_BRANCH_TOTAL));
	ck_assert_int_eq(staff_wd, bz_limit_ledger_staff(lg, BZ_BRANCH_TOTAL));
	bz_limit_ledger_free(lg);
	bz_sheet_free(s);
}
END_TEST

START_TEST(table1_marks)
{
	bz_sheet *s = NULL;
	ck_assert_bz(bz_sheet_table1(&s, L, "621202", DAY));
	bool over = false, frozen = false, organ_gq = false;
	for (size_t r = 0; r < bz_sheet_rows(s); r++) {
		int i = unit_named(txt(s, r, "单位名称"));
		ck_assert_str_eq(txt(s, r, "行政区划"), "武都区"); /* 621202 has no jurisdiction under it */
		if (i == C.over_unit) {
			over = true;
			ck_assert_int_eq(num(s, r, "超编"), 3);
			ck_assert_int_eq(num(s, r, "空编"), 0);
			ck_assert_str_eq(txt(s, r, "编制类别"), "事业编制");
			ck_assert_str_eq(txt(s, r, "经费形式"), "差额补贴");
		}
		if (i == C.frozen_unit) {
			frozen = true;
			ck_assert_int_eq(num(s, r, "冻结"), 1);
		}
		if (i == 0 && txt(s, r, "编制类别") && !strcmp(txt(s, r, "编制类别"), "工勤编制")) {
			organ_gq = true; /* after the unit's 行政编制 row: the forms' order, not the codes' (GQ < XZ) */
			ck_assert_str_eq(txt(s, r - 1, "编制类别"), "行政编制");
			ck_assert_ptr_null(txt(s, r, "核定正职"));
		}
		if (i == C.reranked_unit)
			ck_assert_str_eq(txt(s, r, "规格"), "正科");
	}
	ck_assert(over && frozen && organ_gq);
	bz_sheet_free(s);
	/* the past: before the rename and the re-rank, before the late unit was founded */
	ck_assert_bz(bz_sheet_table1(&s, L, "621200", "2015-01-01"));
	bool old_name = false;
	for (size_t r = 0; r < bz_sheet_rows(s); r++) {
		ck_assert_str_ne(txt(s, r, "单位名称"), C.u[C.late_unit].name);
		ck_assert_str_ne(txt(s, r, "单位名称"), C.u[C.renamed_unit].name);
		if (!strcmp(txt(s, r, "单位名称"), "武都区文化馆"))
			old_name = true;
		if (!strcmp(txt(s, r, "单位名称"), C.u[C.reranked_unit].name))
			ck_assert_str_eq(txt(s, r, "规格"), "副科");
		if (!strcmp(txt(s, r, "单位名称"), C.u[C.over_unit].name))
			ck_assert_int_eq(num(s, r, "超编"), 0);
	}
	ck_assert(old_name);
	bz_sheet_free(s);
	/* before any unit was founded: a header and no rows */
	ck_assert_bz(bz_sheet_table1(&s, L, "621200", "1999-01-01"));
	ck_assert_int_eq(bz_sheet_rows(s), 0);
	ck_assert_int_eq(bz_sheet_columns(s), 20); /* 18, and since 1.2 the 机构编制管理证 number and state */
	bz_sheet_free(s);
}
END_TEST

/* ---- Table 3 --------------------------------------------------------------------- */

START_TEST(table3_roster)
{
	bz_sheet *s = NULL;
	ck_assert_bz(bz_sheet_table3(&s, L, "621200", NULL, DAY));
	ck_assert_str_eq(bz_sheet_title(s), "实有人员花名册 (表3)");
	ck_assert_int_eq(bz_sheet_column_kind(s, col(s, "出生日期")), BZ_COLUMN_DATE);
	int want[RC_UNITS];
	const char *codes[] = {"621200", "621202", "621221"};
	int nwant = expected_order(want, codes, 3, true);
	size_t r = 0;
	int64_t total = 0;
	bool not_by_name = false;
	for (int k = 0; k < nwant; k++) {
		rc_unit *cu = &C.u[want[k]];
		bz_unit *u = NULL;
		ck_assert_bz(bz_unit_lookup(&u, L, cu->uuid, DAY));
		bz_placement_iter *it = NULL;
		bz_placement *pl[64];
		size_t n = 0;
		ck_assert_bz(bz_roster(&it, L, cu->uuid, DAY));
		while (n < 64 && bz_placement_iter_next(&pl[n], it) == BZ_OK)
			n++;
		bz_placement_iter_free(it);
		ck_assert_uint_le(r + n, bz_sheet_rows(s));
		for (size_t q = r; q < r + n; q++) {
			/* the unit's people in the order of entry, then of recording (their cards), not by name */
			if (q > r) {
				int c = strcmp(txt(s, q - 1, "进入时间"), txt(s, q, "进入时间"));
				ck_assert_int_le(c, 0);
				if (c == 0)
					ck_assert_str_lt(txt(s, q - 1, "管理卡号"), txt(s, q, "管理卡号"));
				if (strcmp(txt(s, q - 1, "姓名"), txt(s, q, "姓名")) > 0)
					not_by_name = true;
			}
			const bz_placement *p = NULL;
			for (size_t m = 0; m < n && !p; m++)
				if (!strcmp(bz_placement_id_number(pl[m]), txt(s, q, "身份证号")))
					p = pl[m];
			ck_assert_msg(p != NULL, "%s is not on %s's roster", txt(s, q, "姓名"), cu->name);
			bz_person *per = NULL;
			ck_assert_bz(bz_person_lookup(&per, L, bz_placement_person(p)));
			ck_assert_str_eq(txt(s, q, "单位名称"), bz_unit_name(u));
			ck_assert_str_eq(txt(s, q, "姓名"), bz_person_name(per));
			ck_assert_str_eq(txt(s, q, "性别"), bz_person_sex(per) == BZ_SEX_MALE ? "男" : "女");
			ck_assert_str_eq(txt(s, q, "出生日期"), bz_person_birth(per));
			ck_assert_str_eq(txt(s, q, "管理卡号"), bz_person_card(per));
			ck_assert_str_eq(txt(s, q, "进入时间"), bz_placement_entry(p));
			ck_assert_str_eq(txt(s, q, "编制类别"), !strcmp(cu->cat, "XZ") ? "行政编制" : "事业编制");
			ck_assert_str_eq(txt(s, q, "编制经费形式"), bz_funding_name(bz_unit_funding(u)));
			ck_assert_str_eq(txt(s, q, "人员状态"), "在编");
			ck_assert_str_eq(txt(s, q, "进入形式"),
					 bz_placement_entry_kind(p) == BZ_ENTRY_TRANSFER_IN ? "调入" : "招聘");
			bz_slip *slip = NULL;
			ck_assert_bz(bz_slip_lookup(&slip, L, bz_placement_slip(p)));
			ck_assert_str_eq(txt(s, q, "控编单编号"), bz_slip_number(slip));
			bz_slip_free(slip);
			const char *nation = bz_person_attr(per, "民族");
			if (nation)
				ck_assert_str_eq(txt(s, q, "民族"), nation);
			else
				ck_assert_ptr_null(txt(s, q, "民族"));
			if (bz_person_attr(per, "参加工作时间"))
				ck_assert_str_eq(txt(s, q, "参加工作时间"), "2011-03-01");
			bz_person_free(per);
		}
		for (size_t m = 0; m < n; m++)
			bz_placement_free(pl[m]);
		r += n;
		bz_unit_free(u);
	}
	ck_assert_int_eq(r, bz_sheet_rows(s));
	ck_assert(not_by_name);
	/* as many people as the three jurisdictions' limit ledgers count in post */
	for (int k = 0; k < 3; k++) {
		bz_limit_ledger *lg = NULL;
		ck_assert_bz(bz_limit_ledger_get(&lg, L, codes[k], DAY));
		total += bz_limit_ledger_staff(lg, BZ_BRANCH_TOTAL);
		bz_limit_ledger_free(lg);
	}
	ck_assert_int_eq(total, (int64_t)bz_sheet_rows(s));
	ck_assert_int_eq(C.people, 1000); /* hired; a few retired since */
	bz_sheet_free(s);
}
END_TEST

START_TEST(table3_scopes)
{
	bz_sheet *s = NULL;
	rc_unit *to = &C.u[22];
	ck_assert_bz(bz_sheet_table3(&s, L, NULL, to->uuid, DAY));
	ck_assert_int_eq(bz_sheet_rows(s), to->staff);
	bool transferred = false;
	for (size_t r = 0; r < bz_sheet_rows(s); r++) {
		ck_assert_str_eq(txt(s, r, "单位名称"), to->name);
		if (!strcmp(txt(s, r, "管理卡号"), C.transferred_card)) {
			transferred = true;
			ck_assert_str_eq(txt(s, r, "进入形式"), "调入");
			ck_assert_str_eq(txt(s, r, "进入时间"), "2016-09-01");
			ck_assert_str_eq(txt(s, r, "控编单编号"), "621202-2016-001");
		}
	}
	ck_assert(transferred);
	bz_sheet_free(s);
	/* before the hires: nobody; in 2012 the retirees are still there */
	ck_assert_bz(bz_sheet_table3(&s, L, "621202", NULL, "2010-12-31"));
	ck_assert_int_eq(bz_sheet_rows(s), 0);
	bz_sheet_free(s);
	bz_sheet *a = NULL, *b = NULL;
	ck_assert_bz(bz_sheet_table3(&a, L, "621202", NULL, "2012-01-01"));
	ck_assert_bz(bz_sheet_table3(&b, L, "621202", NULL, "2016-01-01"));
	int retired = 0;
	for (int i = 0; i < RC_UNITS; i++)
		if (!strcmp(C.u[i].jur, "621202") && i % 5 == 4 && C.u[i].staff + 2 > 2)
			retired += 2;
	ck_assert_int_eq(bz_sheet_rows(a) - bz_sheet_rows(b), retired);
	bz_sheet_free(a);
	bz_sheet_free(b);
}
END_TEST

/* ---- Table 2 --------------------------------------------------------------------- */

START_TEST(table2_changes)
{
	rc_unit *u = &C.u[C.reranked_unit];
	bz_sheet *s = NULL;
	ck_assert_bz(bz_sheet_table2(&s, L, NULL, u->uuid, NULL, NULL));
	ck_assert_str_eq(bz_sheet_title(s), "机构编制变更记录 (表2)");
	bz_change_iter *it = NULL;
	bz_change *c = NULL;
	size_t n = 0;
	ck_assert_bz(bz_unit_changes(&it, L, u->uuid));
	while (bz_change_iter_next(&c, it) == BZ_OK) {
		ck_assert_msg(n < bz_sheet_rows(s), "Table 2 is short");
		ck_assert_str_eq(txt(s, n, "生效日期"), bz_change_effective(c));
		if (bz_change_document_number(c))
			ck_assert_str_eq(txt(s, n, "文件依据"), bz_change_document_number(c));
		bz_change_free(c);
		n++;
	}
	bz_change_iter_free(it);
	ck_assert_int_eq(n, bz_sheet_rows(s));
	bool founded = false, reranked = false, hired = false;
	for (size_t r = 0; r < n; r++) {
		const char *what = txt(s, r, "事项"), *text = txt(s, r, "变更内容");
		ck_assert_msg(!strchr(what, '.'), "a kind code in Table 2: %s", what);
		if (!strcmp(what, "成立")) {
			founded = true;
			ck_assert_ptr_nonnull(strstr(text, "单位性质: 无 → 事业单位"));
			ck_assert_ptr_nonnull(strstr(text, "规格: 无 → 副科"));
			ck_assert_ptr_nonnull(strstr(text, "经费形式: 无 → 全额拨款"));
			ck_assert_str_eq(txt(s, r, "文件依据"), "陇编发〔2009〕31号");
			ck_assert_str_eq(txt(s, r, "记录人"), "李明");
		}
		if (!strcmp(what, "调整规格")) {
			reranked = true;
			ck_assert_str_eq(text, "规格: 副科 → 正科");
			ck_assert_str_eq(txt(s, r, "生效日期"), "2019-04-01");
		}
		if (!strcmp(what, "入编"))
			hired = true;
		ck_assert_ptr_null(strstr(text ? text : "", "nature"));
	}
	ck_assert(founded && reranked && hired);
	bz_sheet_free(s);

	/* a jurisdiction over a range: every unit's records in it, units in order */
	ck_assert_bz(bz_sheet_table2(&s, L, "621202", NULL, "2019-01-01", "2019-12-31"));
	size_t want = 0;
	for (int i = 0; i < RC_UNITS; i++) {
		if (strcmp(C.u[i].jur, "621202") != 0)
			continue;
		ck_assert_bz(bz_unit_changes(&it, L, C.u[i].uuid));
		while (bz_change_iter_next(&c, it) == BZ_OK) {
			if (strcmp(bz_change_effective(c), "2019-01-01") >= 0 && strcmp(bz_change_effective(c), "2019-12-31") <= 0)
				want++;
			bz_change_free(c);
		}
		bz_change_iter_free(it);
	}
	ck_assert_int_eq(bz_sheet_rows(s), want);
	ck_assert_int_eq(want, 2); /* the rename and the re-rank */
	ck_assert_str_eq(txt(s, 0, "事项"), "更名");
	ck_assert_str_eq(txt(s, 0, "单位名称"), C.u[C.renamed_unit].name);
	ck_assert_str_eq(txt(s, 0, "变更内容"), "名称: 武都区文化馆 → 武都区文化馆（非物质文化遗产保护中心）");
	ck_assert_str_eq(txt(s, 1, "事项"), "调整规格");
	bz_sheet_free(s);

	/* a parent shown by name, a transfer as 调出/调入 */
	ck_assert_bz(bz_sheet_table2(&s, L, NULL, C.u[20].uuid, "2000-01-01", "2000-01-01"));
	ck_assert_ptr_nonnull(strstr(txt(s, 0, "变更内容"), "隶属单位: 无 → 武都区教育局"));
	bz_sheet_free(s);
	ck_assert_bz(bz_sheet_table2(&s, L, NULL, C.u[20].uuid, "2016-09-01", "2016-09-01"));
	ck_assert_int_eq(bz_sheet_rows(s), 1);
	ck_assert_str_eq(txt(s, 0, "事项"), "调出");
	bz_sheet_free(s);
}
END_TEST

/* ---- the quota ledgers, the per-unit ledger, the card, the vacancies --------------- */

START_TEST(limit_ledgers)
{
	bz_sheet *s = NULL;
	bz_limit_ledger *lg = NULL;
	ck_assert_bz(bz_limit_ledger_get(&lg, L, "621202", DAY));
	ck_assert_bz(bz_sheet_limits(&s, L, "621202", BZ_BRANCH_ADMINISTRATIVE, DAY));
	ck_assert_ptr_nonnull(strstr(bz_sheet_title(s), "分账1"));
	ck_assert_int_eq(bz_sheet_rows(s), 3);
	ck_assert_str_eq(txt(s, 0, "日期"), "2009-06-01");
	ck_assert_str_eq(txt(s, 0, "文件依据"), "陇编发〔2009〕31号");
	ck_assert_str_eq(txt(s, 0, "摘要"), "核定行政编制限额");
	ck_assert_int_eq(num(s, 0, "限额增减"), 600);
	ck_assert_int_eq(num(s, 0, "限额"), 600);
	ck_assert_int_eq(num(s, 1, "限额增减"), -40);
	ck_assert_int_eq(num(s, 1, "限额"), 560);
	ck_assert_str_eq(txt(s, 2, "摘要"), "现状");
	ck_assert_int_eq(num(s, 2, "限额"), bz_limit_ledger_limit(lg, 1));
	ck_assert_int_eq(num(s, 2, "已核编制"), bz_limit_ledger_allocated(lg, 1));
	ck_assert_int_eq(num(s, 2, "未分配"), bz_limit_ledger_unallocated(lg, 1));
	ck_assert_int_eq(num(s, 2, "实有人员"), bz_limit_ledger_staff(lg, 1));
	ck_assert_int_eq(num(s, 2, "空编"), bz_limit_ledger_vacant(lg, 1));
	bz_sheet_free(s);
	/* 总账 = 分账1 + 分账2, line by line */
	bz_sheet *t = NULL, *a = NULL, *b = NULL;
	ck_assert_bz(bz_sheet_limits(&t, L, "621202", BZ_BRANCH_TOTAL, DAY));
	ck_assert_bz(bz_sheet_limits(&a, L, "621202", 1, DAY));
	ck_assert_bz(bz_sheet_limits(&b, L, "621202", 2, DAY));
	ck_assert_int_eq(bz_sheet_rows(t), 5);
	ck_assert_int_eq(bz_sheet_rows(b), 3);
	ck_assert_int_eq(num(t, 4, "限额"), bz_limit_ledger_limit(lg, BZ_BRANCH_TOTAL));
	ck_assert_int_eq(num(t, 4, "限额"), num(a, 2, "限额") + num(b, 2, "限额"));
	ck_assert_int_eq(num(t, 4, "已核编制"), num(a, 2, "已核编制") + num(b, 2, "已核编制"));
	ck_assert_int_eq(num(t, 4, "冻结"), bz_limit_ledger_frozen(lg, 0));
	ck_assert_int_eq(num(t, 2, "限额"), 560 + 1200); /* 2015-03-01 */
	ck_assert_int_eq(num(t, 3, "限额增减"), 60);     /* 2016-07-01 */
	bz_sheet_free(t);
	bz_sheet_free(a);
	bz_sheet_free(b);
	bz_limit_ledger_free(lg);
	/* before the limits: only 现状, no limit */
	ck_assert_bz(bz_sheet_limits(&s, L, "621202", 0, "2009-01-01"));
	ck_assert_int_eq(bz_sheet_rows(s), 1);
	ck_assert_ptr_null(txt(s, 0, "限额"));
	bz_sheet_free(s);
}
END_TEST

START_TEST(unit_ledger)
{
	rc_unit *u = &C.u[C.over_unit];
	bz_sheet *s = NULL;
	ck_assert_bz(bz_sheet_unit_ledger(&s, L, u->uuid, DAY));
	ck_assert_ptr_nonnull(strstr(bz_sheet_title(s), u->name));
	size_t sy = col(s, "事业编制");
	ck_assert_int_eq(bz_sheet_column_kind(s, sy), BZ_COLUMN_INTEGER);
	bool cut = false;
	for (size_t r = 0; r < bz_sheet_rows(s); r++) {
		const char *what = txt(s, r, "事项");
		ck_assert_str_ne(what, "入编"); /* people are Table 3's */
		ck_assert_str_ne(what, "开具编制使用单");
		int64_t est = 0;
		ck_assert_bz(bz_establishment_get(&est, L, u->uuid, "SY", txt(s, r, "日期")));
		ck_assert_int_eq(num(s, r, "事业编制"), est);
		if (!strcmp(txt(s, r, "日期"), "2017-01-01")) {
			cut = true;
			ck_assert_str_eq(what, "核定编制");
			ck_assert_int_eq(num(s, r, "事业编制"), u->est);
			char want[64];
			snprintf(want, sizeof want, "事业编制: %d → %d", u->est + 3 + 2, u->est);
			ck_assert_str_eq(txt(s, r, "变更内容"), want);
		}
	}
	ck_assert(cut);
	ck_assert_str_eq(txt(s, 0, "事项"), "成立");
	bz_sheet_free(s);
	/* sub-units and leadership in the ledger of 武都区财政局 */
	ck_assert_bz(bz_sheet_unit_ledger(&s, L, C.u[C.subunit_unit].uuid, DAY));
	size_t last = bz_sheet_rows(s) - 1;
	ck_assert_int_eq(num(s, last, "核定内设机构"), 4);
	ck_assert_int_eq(num(s, last, "内设机构"), 3);
	ck_assert_int_eq(num(s, last, "核定正职"), 1);
	ck_assert_int_eq(num(s, last, "核定副职"), 2);
	ck_assert_int_eq(num(s, last, "工勤编制"), 2);
	bool sub = false;
	for (size_t r = 0; r <= last; r++)
		if (!strcmp(txt(s, r, "事项"), "设立内设机构") && strstr(txt(s, r, "变更内容"), "预算股"))
			sub = true;
	ck_assert(sub);
	bz_sheet_free(s);
}
END_TEST

START_TEST(card_sheet)
{
	bz_sheet *s = NULL;
	ck_assert_bz(bz_sheet_card(&s, L, C.transferred_card));
	ck_assert_int_eq(bz_sheet_rows(s), 2);
	ck_assert_ptr_nonnull(strstr(bz_sheet_title(s), C.transferred_card));
	ck_assert_str_eq(txt(s, 0, "单位名称"), C.u[20].name);
	ck_assert_str_eq(txt(s, 0, "进入形式"), "招聘");
	ck_assert_str_eq(txt(s, 0, "出编日期"), "2016-09-01");
	ck_assert_str_eq(txt(s, 0, "出编原因"), "调出");
	ck_assert_str_eq(txt(s, 1, "单位名称"), C.u[22].name);
	ck_assert_str_eq(txt(s, 1, "进入形式"), "调入");
	ck_assert_ptr_null(txt(s, 1, "出编日期"));
	ck_assert_str_eq(txt(s, 1, "出编原因") ? txt(s, 1, "出编原因") : "", "");
	bz_person *p = NULL;
	ck_assert_bz(bz_person_lookup_card(&p, L, C.transferred_card));
	ck_assert_str_eq(txt(s, 1, "姓名"), bz_person_name(p));
	ck_assert_str_eq(txt(s, 1, "身份证号"), bz_person_id_number(p));
	bz_person_free(p);
	bz_sheet_free(s);
}
END_TEST

START_TEST(vacancy_list)
{
	bz_sheet *s = NULL;
	ck_assert_bz(bz_sheet_vacancies(&s, L, "621200", DAY));
	size_t want = 0, r = 0;
	int order[RC_UNITS];
	const char *codes[] = {"621200", "621202", "621221"};
	int n = expected_order(order, codes, 3, true);
	for (int k = 0; k < n; k++) {
		rc_unit *u = &C.u[order[k]];
		bz_basic_table *t = NULL;
		ck_assert_bz(bz_basic_table_get(&t, L, u->uuid, DAY));
		size_t first = r;
		for (size_t q = 0; q < bz_basic_table_rows(t); q++) {
			if (bz_basic_table_vacant(t, q) <= 0)
				continue;
			want++;
			ck_assert_msg(r < bz_sheet_rows(s), "the vacancy list is short at %s", u->name);
			r++;
		}
		/* the unit's rows, in the forms' order of categories: 行政编制 before 工勤编制 */
		for (size_t q = first; q < r; q++) {
			ck_assert_str_eq(txt(s, q, "单位名称"), u->name);
			bz_category *c = NULL;
			size_t k = bz_basic_table_rows(t);
			for (size_t m = 0; m < bz_basic_table_rows(t); m++) {
				ck_assert_bz(bz_category_lookup(&c, L, bz_basic_table_category(t, m)));
				if (!strcmp(bz_category_name(c), txt(s, q, "编制类别")))
					k = m;
				bz_category_free(c);
			}
			ck_assert_uint_lt(k, bz_basic_table_rows(t));
			ck_assert_int_eq(num(s, q, "空编"), bz_basic_table_vacant(t, k));
			ck_assert_int_eq(num(s, q, "编制数"), bz_basic_table_establishment(t, k));
			ck_assert_int_eq(num(s, q, "实有人员"), bz_basic_table_staff(t, k));
			ck_assert_int_eq(num(s, q, "冻结"), bz_basic_table_frozen(t, k));
			if (q > first)
				ck_assert_str_ne(txt(s, q, "编制类别"), "行政编制");
		}
		bz_basic_table_free(t);
	}
	ck_assert_int_eq(bz_sheet_rows(s), want);
	ck_assert_uint_gt(want, 10);
	for (r = 0; r < bz_sheet_rows(s); r++) {
		ck_assert_int_gt(num(s, r, "空编"), 0);
		ck_assert_str_ne(txt(s, r, "单位名称"), C.u[C.over_unit].name);
	}
	bz_sheet_free(s);
}
END_TEST

/* ---- CSV ------------------------------------------------------------------------------ */

/* parse one RFC 4180 CSV (CRLF, "" inside quotes) into fields; returns rows × cols filled */
static size_t csv_parse(const char *p, char ***fields, size_t ncols, size_t maxrows)
{
	size_t row = 0, c = 0;
	char buf[4096];
	while (*p && row < maxrows) {
		size_t n = 0;
		if (*p == '"') {
			p++;
			for (;;) {
				ck_assert_msg(*p, "unterminated quoted field");
				if (*p == '"' && p[1] == '"') {
					buf[n++] = '"';
					p += 2;
				} else if (*p == '"') {
					p++;
					break;
				} else {
					buf[n++] = *p++;
				}
			}
		} else {
			while (*p && *p != ',' && *p != '\r' && *p != '\n')
				buf[n++] = *p++;
		}
		buf[n] = '\0';
		ck_assert_uint_lt(c, ncols);
		fields[row][c] = strdup(buf);
		if (*p == ',') {
			p++;
			c++;
		} else {
			ck_assert_msg(p[0] == '\r' && p[1] == '\n', "a line not ended by CRLF at row %zu", row);
			p += 2;
			ck_assert_uint_eq(c + 1, ncols);
			row++;
			c = 0;
		}
	}
	return row;
}

START_TEST(csv_bytes)
{
	bz_sheet *s = NULL;
	ck_assert_bz(bz_sheet_table1(&s, L, "621202", DAY));
	const char *path = path_of("表1.csv");
	const bz_sheet *one[] = {s};
	ck_assert_bz(bz_sheets_write(one, 1, path, BZ_FORMAT_CSV));
	size_t len = 0;
	char *b = slurp(path, &len);
	ck_assert_mem_eq(b, "\xEF\xBB\xBF", 3);
	const char *head = "\xEF\xBB\xBF行政区划,单位名称,单位性质,规格,经费形式,编制类别,编制数,实有人员,控编预留,空编,超编,冻结,"
			   "核定正职,核定副职,在任正职,在任副职,核定内设机构,内设机构,机构编制管理证编号,管理证状态\r\n";
	ck_assert_mem_eq(b, head, strlen(head));
	/* the name with a quote and a comma, quoted with the quote doubled */
	ck_assert_ptr_nonnull(strstr(b, ",\"武都区\"\"两新\"\"组织服务中心,党群服务站\","));
	/* every line ends in CRLF: no bare LF */
	for (size_t i = 0; i < len; i++)
		if (b[i] == '\n')
			ck_assert_int_eq(b[i - 1], '\r');
	/* parsed back, the cells are the sheet's */
	size_t nc = bz_sheet_columns(s), nr = bz_sheet_rows(s) + 1;
	char ***f = calloc(nr, sizeof *f);
	for (size_t r = 0; r < nr; r++)
		f[r] = calloc(nc, sizeof **f);
	ck_assert_uint_eq(csv_parse(b + 3, f, nc, nr + 1), nr);
	for (size_t c = 0; c < nc; c++)
		ck_assert_str_eq(f[0][c], bz_sheet_header(s, c));
	for (size_t r = 1; r < nr; r++)
		for (size_t c = 0; c < nc; c++) {
			const char *v = bz_sheet_cell(s, r - 1, c);
			ck_assert_str_eq(f[r][c], v ? v : "");
		}
	for (size_t r = 0; r < nr; r++) {
		for (size_t c = 0; c < nc; c++)
			free(f[r][c]);
		free(f[r]);
	}
	free(f);
	/* the text form is the file's bytes */
	char *text = NULL;
	ck_assert_bz(bz_sheets_render(&text, one, 1, BZ_FORMAT_CSV));
	ck_assert_uint_eq(strlen(text), len);
	ck_assert_mem_eq(text, b, len);
	bz_free(text);
	free(b);
	bz_sheet_free(s);
}
END_TEST

/* ---- JSON: a small parser, enough to read back what we write ---------------------- */

typedef struct jv {
	enum { J_NULL, J_NUM, J_STR, J_ARR, J_OBJ } t;
	long long num;
	char *str;
	struct jv *items; /* arrays and objects (values) */
	char **keys;      /* objects */
	size_t n;
} jv;

static void jfree(jv *v)
{
	free(v->str);
	for (size_t i = 0; i < v->n; i++) {
		jfree(&v->items[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->items);
	free(v->keys);
}

static const char *jws(const char *p)
{
	while (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')
		p++;
	return p;
}

static const char *jparse(const char *p, jv *v);

static const char *jstring(const char *p, char **out)
{
	ck_assert_int_eq(*p, '"');
	p++;
	size_t cap = 64, n = 0;
	char *s = malloc(cap);
	while (*p != '"') {
		ck_assert_msg(*p && (unsigned char)*p >= 0x20, "raw control character in a JSON string");
		if (n + 8 > cap)
			s = realloc(s, cap *= 2);
		if (*p == '\\') {
			p++;
			switch (*p) {
			case 'n': s[n++] = '\n'; break;
			case 'r': s[n++] = '\r'; break;
			case 't': s[n++] = '\t'; break;
			case '"': s[n++] = '"'; break;
			case '\\': s[n++] = '\\'; break;
			case '/': s[n++] = '/'; break;
			case 'u': {
				unsigned cp = (unsigned)strtoul((char[5]){p[1], p[2], p[3], p[4], 0}, NULL, 16);
				ck_assert_uint_lt(cp, 0x80); /* we only escape control characters */
				s[n++] = (char)cp;
				p += 4;
				break;
			}
			default: ck_abort_msg("bad JSON escape \\%c", *p);
			}
			p++;
		} else {
			s[n++] = *p++;
		}
	}
	s[n] = '\0';
	*out = s;
	return p + 1;
}

static const char *jparse(const char *p, jv *v)
{
	memset(v, 0, sizeof *v);
	p = jws(p);
	if (*p == '"') {
		v->t = J_STR;
		return jstring(p, &v->str);
	}
	if (!strncmp(p, "null", 4)) {
		v->t = J_NULL;
		return p + 4;
	}
	if (*p == '-' || (*p >= '0' && *p <= '9')) {
		char *end;
		v->t = J_NUM;
		v->num = strtoll(p, &end, 10);
		ck_assert_msg(*end != '.' && *end != 'e', "a JSON number that is not an integer");
		return end;
	}
	bool obj = *p == '{';
	ck_assert_msg(obj || *p == '[', "unexpected JSON at: %.20s", p);
	v->t = obj ? J_OBJ : J_ARR;
	p = jws(p + 1);
	size_t cap = 0;
	while (*p != (obj ? '}' : ']')) {
		if (v->n == cap) {
			cap = cap ? cap * 2 : 8;
			v->items = realloc(v->items, cap * sizeof *v->items);
			if (obj)
				v->keys = realloc(v->keys, cap * sizeof *v->keys);
		}
		if (obj) {
			p = jstring(jws(p), &v->keys[v->n]);
			p = jws(p);
			ck_assert_int_eq(*p, ':');
			p++;
		}
		p = jws(jparse(p, &v->items[v->n]));
		v->n++;
		if (*p == ',')
			p = jws(p + 1);
	}
	return p + 1;
}

static const jv *jget(const jv *o, const char *key)
{
	for (size_t i = 0; i < o->n; i++)
		if (!strcmp(o->keys[i], key))
			return &o->items[i];
	ck_abort_msg("no key %s", key);
	return NULL;
}

START_TEST(json_roundtrip)
{
	bz_sheet *a = NULL, *b = NULL;
	ck_assert_bz(bz_sheet_table1(&a, L, "621202", DAY));
	ck_assert_bz(bz_sheet_table3(&b, L, "621221", NULL, DAY));
	const bz_sheet *two[] = {a, b};
	const char *path = path_of("reports.json");
	ck_assert_bz(bz_sheets_write(two, 2, path, BZ_FORMAT_JSON));
	char *text = slurp(path, NULL);
	jv root;
	const char *end = jws(jparse(text, &root));
	ck_assert_int_eq(*end, '\0');
	ck_assert_int_eq(root.t, J_ARR);
	ck_assert_uint_eq(root.n, 2);
	for (size_t k = 0; k < 2; k++) {
		const bz_sheet *s = two[k];
		const jv *o = &root.items[k];
		ck_assert_str_eq(jget(o, "title")->str, bz_sheet_title(s));
		const jv *cols = jget(o, "columns"), *rows = jget(o, "rows");
		ck_assert_uint_eq(cols->n, bz_sheet_columns(s));
		for (size_t c = 0; c < cols->n; c++) {
			ck_assert_str_eq(jget(&cols->items[c], "name")->str, bz_sheet_header(s, c));
			const char *kind = jget(&cols->items[c], "kind")->str;
			int want = bz_sheet_column_kind(s, c);
			ck_assert_str_eq(kind, want == BZ_COLUMN_INTEGER ? "integer" : want == BZ_COLUMN_DATE ? "date" : "text");
		}
		ck_assert_uint_eq(rows->n, bz_sheet_rows(s));
		for (size_t r = 0; r < rows->n; r++) {
			ck_assert_uint_eq(rows->items[r].n, bz_sheet_columns(s));
			for (size_t c = 0; c < rows->items[r].n; c++) {
				const jv *v = &rows->items[r].items[c];
				const char *cell = bz_sheet_cell(s, r, c);
				if (!cell)
					ck_assert_int_eq(v->t, J_NULL);
				else if (bz_sheet_column_kind(s, c) == BZ_COLUMN_INTEGER) {
					ck_assert_int_eq(v->t, J_NUM); /* numbers unquoted */
					ck_assert_int_eq(v->num, strtoll(cell, NULL, 10));
				} else {
					ck_assert_int_eq(v->t, J_STR);
					ck_assert_str_eq(v->str, cell);
				}
			}
		}
	}
	ck_assert_ptr_nonnull(strstr(text, "\"武都区\\\"两新\\\"组织服务中心,党群服务站\""));
	jfree(&root);
	free(text);
	bz_sheet_free(a);
	bz_sheet_free(b);
}
END_TEST

/* ---- XLSX (read back cell by cell by tests/python/test_report.py) --------------------- */

START_TEST(xlsx_file)
{
	bz_sheet *s[3] = {NULL, NULL, NULL};
	for (int b = 0; b < 3; b++)
		ck_assert_bz(bz_sheet_limits(&s[b], L, "621202", b, DAY));
	const char *path = path_of("限额台账.xlsx");
	ck_assert_bz(bz_sheets_write((const bz_sheet *const *)s, 3, path, BZ_FORMAT_XLSX));
	size_t len = 0;
	char *b = slurp(path, &len);
	ck_assert_uint_gt(len, 1000);
	ck_assert_mem_eq(b, "PK\x03\x04", 4); /* a zip: an Office Open XML workbook */
	free(b);
	/* the same sheet twice: the worksheet names are made unique */
	const bz_sheet *same[] = {s[0], s[0]};
	ck_assert_bz(bz_sheets_write(same, 2, path, BZ_FORMAT_XLSX));
	for (int k = 0; k < 3; k++)
		bz_sheet_free(s[k]);
}
END_TEST

/* ---- errors ----------------------------------------------------------------------------- */

static int leftovers(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;
	while (d && (e = readdir(d)))
		if (strstr(e->d_name, ".tmp-"))
			n++;
	if (d)
		closedir(d);
	return n;
}

START_TEST(write_errors)
{
	bz_sheet *s = NULL;
	ck_assert_bz(bz_sheet_vacancies(&s, L, "621221", DAY));
	const bz_sheet *two[] = {s, s}, *one[] = {s}, *none[] = {NULL};
	ck_assert_int_eq(bz_sheets_write(two, 2, path_of("two.csv"), BZ_FORMAT_CSV), BZ_EINVAL);
	ck_assert_ptr_nonnull(strstr(bz_sheets_errmsg(), "CSV"));
	ck_assert_int_eq(bz_sheets_write(one, 1, path_of("x.pdf"), 9), BZ_EINVAL);
	ck_assert_int_eq(bz_sheets_write(one, 0, path_of("x.csv"), BZ_FORMAT_CSV), BZ_EINVAL);
	ck_assert_int_eq(bz_sheets_write(NULL, 1, path_of("x.csv"), BZ_FORMAT_CSV), BZ_EINVAL);
	ck_assert_int_eq(bz_sheets_write(none, 1, path_of("x.csv"), BZ_FORMAT_CSV), BZ_EINVAL);
	ck_assert_int_eq(bz_sheets_write(one, 1, NULL, BZ_FORMAT_CSV), BZ_EINVAL);
	char *text = NULL;
	ck_assert_int_eq(bz_sheets_render(&text, one, 1, BZ_FORMAT_XLSX), BZ_EINVAL);
	ck_assert_ptr_null(text);
	ck_assert_int_eq(bz_sheets_render(NULL, one, 1, BZ_FORMAT_JSON), BZ_EINVAL);
	/* no such directory: the path and the cause */
	char bad[600];
	snprintf(bad, sizeof bad, "%s/no/such/dir/空编.csv", dir);
	for (int f = BZ_FORMAT_CSV; f <= BZ_FORMAT_JSON; f++) {
		ck_assert_int_eq(bz_sheets_write(one, 1, bad, f), BZ_EIO);
		ck_assert_ptr_nonnull(strstr(bz_sheets_errmsg(), bad));
		ck_assert_ptr_nonnull(strstr(bz_sheets_errmsg(), strerror(ENOENT)));
	}
	/* the path is a directory: nothing written, no temporary file left beside it */
	mkdir(path_of("a-directory"), 0700);
	for (int f = BZ_FORMAT_CSV; f <= BZ_FORMAT_JSON; f++) {
		ck_assert_int_eq(bz_sheets_write(one, 1, path_of("a-directory"), f), BZ_EIO);
		ck_assert_ptr_nonnull(strstr(bz_sheets_errmsg(), "a-directory"));
	}
	ck_assert_int_eq(leftovers(), 0);
	/* an existing file is replaced whole, and a success clears the message */
	FILE *old = fopen(path_of("空编.json"), "w");
	fputs("old contents that are longer than nothing", old);
	fclose(old);
	ck_assert_bz(bz_sheets_write(one, 1, path_of("空编.json"), BZ_FORMAT_JSON));
	ck_assert_str_eq(bz_sheets_errmsg(), "not an error");
	char *b = slurp(path_of("空编.json"), NULL);
	ck_assert_int_eq(b[0], '[');
	free(b);
	bz_sheet_free(s);
	/* NULL sheets to the getters */
	ck_assert_ptr_null(bz_sheet_title(NULL));
	ck_assert_uint_eq(bz_sheet_rows(NULL), 0);
	ck_assert_uint_eq(bz_sheet_columns(NULL), 0);
	ck_assert_ptr_null(bz_sheet_cell(NULL, 0, 0));
	ck_assert_ptr_null(bz_sheet_header(NULL, 0));
	ck_assert_int_eq(bz_sheet_column_kind(NULL, 0), 0);
	bz_sheet_free(NULL);
}
END_TEST

START_TEST(constructor_errors)
{
	bz_sheet *s = (bz_sheet *)&s;
	ck_assert_int_eq(bz_sheet_table1(&s, L, "621200", "2026-02-30"), BZ_EINVAL);
	ck_assert_ptr_null(s);
	ck_assert_ptr_nonnull(strstr(bz_ledger_errmsg(L), "2026-02-30"));
	ck_assert_int_eq(bz_sheet_table1(&s, L, "629999", DAY), BZ_ENOTFOUND);
	ck_assert_int_eq(bz_sheet_table1(&s, L, NULL, DAY), BZ_EINVAL);
	ck_assert_int_eq(bz_sheet_table1(NULL, L, "621200", DAY), BZ_EINVAL);
	ck_assert_int_eq(bz_sheet_table1(&s, NULL, "621200", DAY), BZ_EINVAL);
	ck_assert_int_eq(bz_sheet_table2(&s, L, "621202", NULL, "2020-01-01", "2019-01-01"), BZ_EINVAL);
	ck_assert_int_eq(bz_sheet_table2(&s, L, "621202", NULL, "2020-13-01", NULL), BZ_EINVAL);
	ck_assert_int_eq(bz_sheet_table2(&s, L, NULL, "not-a-uuid", NULL, NULL), BZ_EINVAL);
	ck_assert_int_eq(bz_sheet_table2(&s, L, NULL, "00000000-0000-4000-8000-000000000000", NULL, NULL), BZ_ENOTFOUND);
	ck_assert_int_eq(bz_sheet_table2(&s, L, NULL, NULL, NULL, NULL), BZ_EINVAL);
	ck_assert_int_eq(bz_sheet_table3(&s, L, "621202", NULL, "yesterday"), BZ_EINVAL);
	ck_assert_int_eq(bz_sheet_table3(&s, L, NULL, "00000000-0000-4000-8000-000000000000", DAY), BZ_ENOTFOUND);
	ck_assert_int_eq(bz_sheet_limits(&s, L, "621202", 7, DAY), BZ_EINVAL);
	ck_assert_ptr_nonnull(strstr(bz_ledger_errmsg(L), "branch 7"));
	ck_assert_int_eq(bz_sheet_limits(&s, L, "000000", 0, DAY), BZ_ENOTFOUND);
	ck_assert_int_eq(bz_sheet_unit_ledger(&s, L, "00000000-0000-4000-8000-000000000000", DAY), BZ_ENOTFOUND);
	ck_assert_int_eq(bz_sheet_unit_ledger(&s, L, NULL, DAY), BZ_EINVAL);
	ck_assert_int_eq(bz_sheet_card(&s, L, "621202-999999"), BZ_ENOTFOUND);
	ck_assert_int_eq(bz_sheet_card(&s, L, ""), BZ_EINVAL);
	ck_assert_int_eq(bz_sheet_vacancies(&s, L, "12", DAY), BZ_ENOTFOUND);
	ck_assert_ptr_null(s);
	/* a failed report changed nothing: the ledger's check still passes the same way */
	ck_assert_bz(bz_sheet_vacancies(&s, L, "621202", NULL));
	ck_assert_str_eq(bz_ledger_errmsg(L), "not an error");
	bz_sheet_free(s);
}
END_TEST

/* a write that fails half-way (a cell longer than Excel's 32,767 characters) leaves the old file */
START_TEST(xlsx_failure_keeps_old_file)
{
	enum { CHARS = 33000 }; /* characters, as Excel counts them */
	char *duties = malloc(CHARS * 3 + 1);
	for (int i = 0; i < CHARS; i++)
		memcpy(duties + 3 * i, "职", 3);
	duties[CHARS * 3] = '\0';
	bz_txn *t = NULL;
	ck_assert_bz(bz_txn_begin(&t, L, "李明", "武都区编办"));
	ck_assert_bz(bz_txn_set_document(t, C.city_doc));
	ck_assert_bz(bz_unit_set_duties(t, C.u[5].uuid, duties, "2021-01-01"));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	free(duties);
	bz_sheet *s = NULL;
	ck_assert_bz(bz_sheet_table2(&s, L, NULL, C.u[5].uuid, "2021-01-01", "2021-01-01"));
	ck_assert_uint_eq(bz_sheet_rows(s), 1);
	ck_assert_uint_gt(strlen(txt(s, 0, "变更内容")), CHARS * 3);
	const char *path = path_of("公安局.xlsx");
	FILE *old = fopen(path, "w");
	fputs("the old workbook", old);
	fclose(old);
	const bz_sheet *one[] = {s};
	ck_assert_int_eq(bz_sheets_write(one, 1, path, BZ_FORMAT_XLSX), BZ_EIO);
	ck_assert_ptr_nonnull(strstr(bz_sheets_errmsg(), path));
	char *b = slurp(path, NULL);
	ck_assert_str_eq(b, "the old workbook");
	free(b);
	ck_assert_int_eq(leftovers(), 0);
	/* CSV and JSON carry it whole */
	ck_assert_bz(bz_sheets_write(one, 1, path_of("公安局.json"), BZ_FORMAT_JSON));
	bz_sheet_free(s);
}
END_TEST

/* ---- the organisation chart ----------------------------------------------------------- */

START_TEST(chart_dot)
{
	const char *path = path_of("org.dot");
	ck_assert_bz(bz_org_chart_write(L, "621200", DAY, path, BZ_CHART_DOT));
	char *d = slurp(path, NULL);
	ck_assert_ptr_nonnull(strstr(d, "digraph"));
	for (int k = 0; k < 3; k++) {
		static const char *const cl[] = {"subgraph \"cluster_621200\"", "subgraph \"cluster_621202\"",
						 "subgraph \"cluster_621221\""};
		ck_assert_ptr_nonnull(strstr(d, cl[k]));
	}
	/* clusters in code order */
	ck_assert_ptr_before(strstr(d, "cluster_621200"), strstr(d, "cluster_621202"));
	/* the over-established unit red, with its excess */
	char line[256];
	snprintf(line, sizeof line, "\"u%s\" [label=", C.u[C.over_unit].uuid);
	const char *o = strstr(d, line);
	ck_assert_ptr_nonnull(o);
	const char *eol = strchr(o, '\n');
	ck_assert_ptr_nonnull(strstr(o, "超编 3"));
	ck_assert_ptr_before(strstr(o, "color=red"), eol);
	/* a unit that is not over is not red */
	snprintf(line, sizeof line, "\"u%s\" [label=", C.u[0].uuid);
	o = strstr(d, line);
	ck_assert_ptr_nonnull(o);
	eol = strchr(o, '\n');
	ck_assert(!strstr(o, "color=red") || strstr(o, "color=red") > eol);
	/* establishment against staff from Table 1's figures */
	bz_basic_table *t = NULL;
	ck_assert_bz(bz_basic_table_get(&t, L, C.u[0].uuid, DAY));
	int64_t est = 0, staff = 0;
	for (size_t r = 0; r < bz_basic_table_rows(t); r++) {
		est += bz_basic_table_establishment(t, r);
		staff += bz_basic_table_staff(t, r);
	}
	bz_basic_table_free(t);
	char fig[64];
	snprintf(fig, sizeof fig, "编制 %lld / 实有 %lld", (long long)est, (long long)staff);
	ck_assert_ptr_before(strstr(o, fig), eol);
	/* supervising unit → unit; sub-units hanging from their unit */
	snprintf(line, sizeof line, "\"u%s\" -> \"u%s\";", C.u[2].uuid, C.u[20].uuid);
	ck_assert_ptr_nonnull(strstr(d, line));
	ck_assert_ptr_nonnull(strstr(d, "label=\"预算股\""));
	/* the quote in a name escaped for DOT */
	ck_assert_ptr_nonnull(strstr(d, "武都区\\\"两新\\\"组织服务中心,党群服务站"));
	free(d);
	/* the late unit is not on a chart of 2015 */
	ck_assert_bz(bz_org_chart_write(L, "621221", "2015-01-01", path, BZ_CHART_DOT));
	d = slurp(path, NULL);
	ck_assert_ptr_null(strstr(d, C.u[C.late_unit].name));
	ck_assert_ptr_nonnull(strstr(d, C.u[40].name));
	ck_assert_ptr_null(strstr(d, "cluster_621202"));
	free(d);
}
END_TEST

START_TEST(chart_svg)
{
	const char *path = path_of("org.svg");
	ck_assert_bz(bz_org_chart_write(L, "621221", DAY, path, BZ_CHART_SVG));
	char *d = slurp(path, NULL);
	ck_assert_ptr_nonnull(strstr(d, "<svg"));
	ck_assert_ptr_nonnull(strstr(d, "成县人民医院"));
	ck_assert_ptr_nonnull(strstr(d, "</svg>"));
	free(d);
	ck_assert_int_eq(leftovers(), 0);
}
END_TEST

START_TEST(chart_errors)
{
	ck_assert_int_eq(bz_org_chart_write(L, "621200", DAY, path_of("x.png"), 3), BZ_EINVAL);
	ck_assert_int_eq(bz_org_chart_write(L, "629999", DAY, path_of("x.dot"), BZ_CHART_DOT), BZ_ENOTFOUND);
	ck_assert_int_eq(bz_org_chart_write(L, "621200", "2026/12/01", path_of("x.dot"), BZ_CHART_DOT), BZ_EINVAL);
	ck_assert_int_eq(bz_org_chart_write(L, "621200", DAY, NULL, BZ_CHART_DOT), BZ_EINVAL);
	ck_assert_int_eq(bz_org_chart_write(NULL, "621200", DAY, path_of("x.dot"), BZ_CHART_DOT), BZ_EINVAL);
	char bad[600];
	snprintf(bad, sizeof bad, "%s/missing/org.svg", dir);
	for (int f = BZ_CHART_DOT; f <= BZ_CHART_SVG; f++) {
		ck_assert_int_eq(bz_org_chart_write(L, "621221", DAY, bad, f), BZ_EIO);
		ck_assert_ptr_nonnull(strstr(bz_ledger_errmsg(L), bad));
		ck_assert_ptr_nonnull(strstr(bz_ledger_errmsg(L), strerror(ENOENT)));
	}
	ck_assert_int_eq(access(path_of("x.dot"), F_OK), -1);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("county");
	tcase_add_unchecked_fixture(tc, county_setup, county_teardown);
	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, table1_figures);
	tcase_add_test(tc, table1_marks);
	tcase_add_test(tc, table3_roster);
	tcase_add_test(tc, table3_scopes);
	tcase_add_test(tc, table2_changes);
	tcase_add_test(tc, limit_ledgers);
	tcase_add_test(tc, unit_ledger);
	tcase_add_test(tc, card_sheet);
	tcase_add_test(tc, vacancy_list);
	tcase_add_test(tc, csv_bytes);
	tcase_add_test(tc, json_roundtrip);
	tcase_add_test(tc, xlsx_file);
	tcase_add_test(tc, write_errors);
	tcase_add_test(tc, constructor_errors);
	tcase_add_test(tc, chart_dot);
	tcase_add_test(tc, chart_svg);
	tcase_add_test(tc, chart_errors);
	tcase_add_test(tc, xlsx_failure_keeps_old_file); /* last: it changes the county */
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(suite());
}
