/*
 * test_import.c: the offices' own sheets imported in bulk (import.h) — a
 * county's unit sheet and person sheet as CSV written the way Chinese Excel
 * writes them (UTF-8 with BOM and CRLF, or GB18030 without BOM), headers in
 * any order, choice values and dates as typed; extra columns kept; a file
 * with bad rows refused whole with every bad row's line and reason.
 */
#include "staff_fixture.h"
#include "internal.h"

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>

static fx F;
static char open_doc[BZ_UUID_LEN + 1];
static char dir[128];

#define CUTOVER "2024-12-31"

static void setup(void)
{
	fx_setup(&F);
	bz_txn *t = tu_begin(F.l);
	bz_document *d = NULL;
	ck_assert_bz(bz_document_register(&d, t, "武都区机构编制委员会", "武编发〔2024〕30号",
					  "关于建立机构编制实名制管理台账的通知", "2024-12-20", BZ_LEVEL_COUNTY,
					  BZ_ISSUER_ESTABLISHMENT, "621202"));
	memcpy(open_doc, bz_document_uuid(d), BZ_UUID_LEN + 1);
	bz_document_free(d);
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	snprintf(dir, sizeof dir, "%s/bz-import-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
	char cmd[256];
	bz_ledger_close(F.l);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* write text to dir/name, converted to GB18030 if gb, else UTF-8 with a BOM; the path */
static const char *write_file(const char *name, const char *text, bool gb)
{
	static char path[256];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	if (gb) {
		iconv_t cd = iconv_open("GB18030", "UTF-8");
		ck_assert(cd != (iconv_t)-1);
		size_t inleft = strlen(text), outleft = inleft * 2 + 16;
		char *out = malloc(outleft), *o = out, *in = (char *)text;
		ck_assert_ptr_nonnull(out);
		ck_assert(iconv(cd, &in, &inleft, &o, &outleft) != (size_t)-1);
		iconv_close(cd);
		fwrite(out, 1, (size_t)(o - out), f);
		free(out);
	} else {
		fwrite("\xEF\xBB\xBF", 1, 3, f);
		fputs(text, f);
	}
	fclose(f);
	return path;
}

/* the county's unit sheet: headers out of order, one starred, an extra column, CRLF */
static const char units_csv[] =
	"编制数,机构名称*,机构性质,机构级别,经费形式,隶属单位,领导职数,内设机构数,成立时间,规范简称,主要职责\r\n"
	"20,武都区教育局,行政机关,正科级,全额拨款,,1正2副,4,1987-03-01,区教育局,\"负责全区教育工作，管理中小学\"\r\n"
	"15,武都区卫生健康局,行政机关,正科级,全额拨款,,1正2副,3,1987.3.1,区卫健局,\r\n"
	"30,武都区城关中学,事业单位,副科级,全额拨款,武都区教育局,1正1副,2,1995年9月1日,城关中学,\r\n"
	"25,武都区第一人民医院,事业单位,副科级,差额补贴,武都区卫生健康局,1正2副,5,2002/1/1,区一院,\r\n"
	"8,武都区农业技术推广中心,参照公务员法管理事业单位,正股级,全额拨款,,1正1副,,20050701,农技中心,\r\n";

static void import_units(bz_txn *t)
{
	bz_import *imp = NULL;
	ck_assert_bz(bz_import_units(&imp, t, write_file("units.csv", units_csv, false), "621202", NULL));
	ck_assert_int_eq(bz_import_rows(imp), 5);
	ck_assert_int_eq(bz_import_units_created(imp), 5);
	ck_assert_uint_eq(bz_import_problem_count(imp), 0);
	bz_import_free(imp);
}

/* the unit sheet imported as an opening and committed */
static void units_committed(void)
{
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_opening(t, CUTOVER, open_doc));
	import_units(t);
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
}

static const char *const unit_of_row[] = {"武都区教育局", "武都区卫生健康局", "武都区城关中学",
					  "武都区第一人民医院", "武都区农业技术推广中心"};
static const char *const cat_of_row[] = {"行政编制", "XZ", "事业编制", "事业编制", "事业编制（参公）"};
static const int staff_of_row[] = {12, 10, 20, 18, 6};

/* the person sheet: 66 people over the five units, dates and entries as typed, extra columns */
static char *people_csv(void)
{
	static const char *const entries[] = {"考录", "招聘", "调入", "军转", "其他", "公开招聘"};
	static const char *const dates[] = {"%d-%02d-15", "%d.%d.15", "%d年%d月15日", "%d/%d/15"};
	size_t cap = 1 << 16, len = 0;
	char *buf = malloc(cap);
	ck_assert_ptr_nonnull(buf);
	len += (size_t)snprintf(buf + len, cap - len,
				"序号,姓名,性别,身份证号,出生日期,单位名称,编制类别,进入形式,进入时间,领导职务级别,职务,"
				"任现职时间,民族,学历,政治面貌\r\n");
	int seq = 1;
	for (int u = 0; u < 5; u++)
		for (int i = 0; i < staff_of_row[u]; i++, seq++) {
			char id[19], birth8[16], entry[32], fmt[32];
			unsigned y = 1960u + (unsigned)seq % 25u, m = 1u + (unsigned)seq % 12u, d = 1u + (unsigned)seq % 28u;
			snprintf(birth8, sizeof birth8, "%04u%02u%02u", y, m, d);
			sf_idnum(id, "621202", birth8, seq);
			snprintf(fmt, sizeof fmt, "%s", dates[seq % 4]);
			snprintf(entry, sizeof entry, fmt, 2006 + seq % 18, 1 + seq % 12);
			const char *level = "", *post = "", *since = "";
			if (i == 0 && u < 2) {
				level = "正科级";
				post = "局长";
				since = "2021-04-01";
			} else if (i == 1 && u < 2) {
				level = "副科级";
				post = "副局长";
				since = "2022-06-01";
			}
			len += (size_t)snprintf(buf + len, cap - len, "%d,%s%s,%s,%s,%04u-%02u-%02u,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\r\n",
						seq, (const char *[]){"张", "王", "李", "赵", "刘", "陈"}[seq % 6],
						(const char *[]){"伟", "芳", "娜", "敏", "静", "强", "磊", "军"}[seq % 8],
						seq % 2 ? "男" : "女", id, y, m, d, unit_of_row[u], cat_of_row[u],
						entries[seq % 6], entry, level, post, since, seq % 5 ? "汉族" : "回族",
						seq % 3 ? "大学本科" : "硕士研究生", seq % 4 ? "中共党员" : "群众");
			ck_assert_uint_lt(len, cap - 512);
		}
	return buf;
}

START_TEST(opening_from_the_sheets)
{
	char *people = people_csv();
	const char *path;
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_opening(t, CUTOVER, open_doc));
	import_units(t);
	path = write_file("people.csv", people, true); /* GB18030, no BOM */
	bz_import *imp = NULL;
	ck_assert_bz(bz_import_people(&imp, t, path, "621202"));
	ck_assert_int_eq(bz_import_rows(imp), 66);
	ck_assert_int_eq(bz_import_persons_registered(imp), 66);
	ck_assert_int_eq(bz_import_placements(imp), 66);
	ck_assert_int_eq(bz_import_appointments(imp), 4);
	ck_assert_uint_eq(bz_import_problem_count(imp), 0);
	bz_import_free(imp);
	int rc = bz_txn_commit(t);
	for (size_t i = 0; rc != BZ_OK && i < bz_report_count(bz_txn_report(t)) && i < 8; i++)
		fprintf(stderr, "%s\n", bz_violation_message(bz_report_get(bz_txn_report(t), i)));
	ck_assert_bz(rc);
	ck_assert_uint_eq(bz_report_errors(bz_txn_report(t)), 0);
	bz_txn_free(t);
	free(people);

	ck_assert_int_eq(tu_count(F.l, "unit"), 5);
	ck_assert_int_eq(tu_count(F.l, "placement"), 66);
	ck_assert_int_eq(tu_count(F.l, "slip"), 0);

	/* the units as the sheet said: nature, rank, funding, parent, figures, kept columns */
	bz_unit *u = NULL, *parent = NULL;
	ck_assert_bz(bz_unit_lookup_name(&u, F.l, "621202", "武都区第一人民医院", CUTOVER));
	ck_assert_int_eq(bz_unit_nature(u), BZ_NATURE_INSTITUTION);
	ck_assert_int_eq(bz_unit_rank(u), BZ_RANK_FUKE);
	ck_assert_int_eq(bz_unit_funding(u), BZ_FUNDING_BALANCE);
	ck_assert_str_eq(bz_unit_founded(u), "2002-01-01");
	ck_assert_bz(bz_unit_lookup_name(&parent, F.l, "621202", "武都区卫生健康局", CUTOVER));
	ck_assert_str_eq(bz_unit_parent(u), bz_unit_uuid(parent));
	int64_t n = 0;
	ck_assert_bz(bz_establishment_get(&n, F.l, bz_unit_uuid(u), "SY", CUTOVER));
	ck_assert_int_eq(n, 25);
	int64_t sub = 0;
	ck_assert_bz(bz_subunit_approved(&sub, F.l, bz_unit_uuid(u), CUTOVER));
	ck_assert_int_eq(sub, 5);
	bz_leadership *q = NULL;
	ck_assert_bz(bz_leadership_get(&q, F.l, bz_unit_uuid(u), CUTOVER));
	ck_assert_int_eq(bz_leadership_principal_quota(q), 1);
	ck_assert_int_eq(bz_leadership_deputy_quota(q), 2);
	bz_leadership_free(q);
	char *v = NULL;
	ck_assert_bz(bz_unit_attr_get(&v, F.l, bz_unit_uuid(u), "规范简称", NULL));
	ck_assert_str_eq(v, "区一院");
	bz_free(v);
	bz_unit_free(u);
	bz_unit_free(parent);
	ck_assert_bz(bz_unit_lookup_name(&u, F.l, "621202", "武都区教育局", CUTOVER));
	ck_assert_bz(bz_unit_attr_get(&v, F.l, bz_unit_uuid(u), "主要职责", NULL));
	ck_assert_str_eq(v, "负责全区教育工作，管理中小学");
	bz_free(v);
	ck_assert_bz(bz_unit_attr_get(&v, F.l, bz_unit_uuid(u), "没有这一列", NULL));
	ck_assert_ptr_null(v);
	/* the leaders the sheet named, as appointments */
	bz_appointment_iter *ai = NULL;
	bz_appointment *a = NULL;
	int principals = 0, deputies = 0;
	ck_assert_bz(bz_appointment_list(&ai, F.l, bz_unit_uuid(u), CUTOVER));
	while (bz_appointment_iter_next(&a, ai) == BZ_OK) {
		if (bz_appointment_post(a) == BZ_POST_PRINCIPAL) {
			principals++;
			ck_assert_str_eq(bz_appointment_start(a), "2021-04-01");
			ck_assert_int_eq(bz_appointment_rank(a), BZ_RANK_ZHENGKE);
		} else {
			deputies++;
		}
		bz_appointment_free(a);
	}
	bz_appointment_iter_free(ai);
	ck_assert_int_eq(principals, 1);
	ck_assert_int_eq(deputies, 1);
	bz_unit_free(u);
	ck_assert_bz(bz_unit_lookup_name(&u, F.l, "621202", "武都区农业技术推广中心", CUTOVER));
	ck_assert_int_eq(bz_unit_canzong(u), 1);
	bz_unit_free(u);

	/* a person as the row said, the other columns kept */
	bz_person *p = NULL;
	bz_placement_iter *it = NULL;
	bz_placement *pl = NULL;
	ck_assert_bz(bz_unit_lookup_name(&u, F.l, "621202", "武都区卫生健康局", CUTOVER));
	ck_assert_bz(bz_roster(&it, F.l, bz_unit_uuid(u), CUTOVER));
	int count = 0;
	while (bz_placement_iter_next(&pl, it) == BZ_OK) {
		count++;
		ck_assert_str_eq(bz_placement_category(pl), "XZ");
		ck_assert_ptr_null(bz_placement_slip(pl));
		if (count == 1) {
			ck_assert_bz(bz_person_lookup(&p, F.l, bz_placement_person(pl)));
			ck_assert_ptr_nonnull(bz_person_attr(p, "民族"));
			ck_assert_ptr_nonnull(bz_person_attr(p, "学历"));
			ck_assert_ptr_nonnull(bz_person_attr(p, "序号"));
			bz_person_free(p);
		}
		bz_placement_free(pl);
	}
	bz_placement_iter_free(it);
	bz_unit_free(u);
	ck_assert_int_eq(count, 10);

	/* the whole ledger holds: the self-inspection finds no error */
	bz_report *r = NULL;
	ck_assert_bz(bz_ledger_check(&r, F.l, NULL));
	ck_assert_uint_eq(bz_report_errors(r), 0);
	bz_report_free(r);
}
END_TEST

/*
 * A whole county as offices send it: 50 units (organs and institutions,
 * institutions under their bureaus) and 1,000 people in post, the person
 * sheet in GB18030 without BOM; Table 1's figures add up to the sheets'.
 */
START_TEST(county_of_a_thousand)
{
	size_t cap = 1 << 20, len = 0;
	char *units = malloc(cap), *people = malloc(cap);
	ck_assert(units && people);
	len = (size_t)snprintf(units, cap, "机构名称,机构性质,机构级别,经费形式,隶属单位,编制数,领导职数,内设机构数,成立时间\r\n");
	for (int u = 0; u < 50; u++) {
		bool organ = u < 20;
		char parent[64] = "";
		if (!organ)
			snprintf(parent, sizeof parent, "武都区第%02d局", u % 20);
		len += (size_t)snprintf(units + len, cap - len, "%s%02d%s,%s,%s,全额拨款,%s,%d,1正2副,3,19%02d-01-01\r\n",
					organ ? "武都区第" : "武都区第", u, organ ? "局" : "中心", organ ? "行政机关" : "事业单位",
					organ ? "正科级" : "副科级", parent, 25, organ ? 85 : 90);
	}
	size_t plen = (size_t)snprintf(people, cap, "姓名,性别,身份证号,单位名称,编制类别,进入形式,进入时间,学历\r\n");
	for (int i = 0; i < 1000; i++) {
		char id[19], birth8[16];
		int u = i % 50;
		unsigned k = (unsigned)i;
		snprintf(birth8, sizeof birth8, "%04u%02u%02u", 1962u + k % 25u, 1u + (k / 25u) % 12u, 1u + (k / 300u) % 28u);
		sf_idnum(id, "621202", birth8, (int)(k % 997u) + 1);
		plen += (size_t)snprintf(people + plen, cap - plen, "职工%04d,%s,%s,武都区第%02d%s,%s,%s,20%02d.%d.1,大学本科\r\n", i,
					 (k % 997u + 1u) % 2 ? "男" : "女", id, u, u < 20 ? "局" : "中心",
					 u < 20 ? "行政编制" : "事业编制", i % 3 ? "招聘" : "调入", 5 + i % 19, 1 + i % 12);
	}
	bz_txn *t = tu_begin(F.l);
	bz_import *imp = NULL;
	ck_assert_bz(bz_txn_set_opening(t, CUTOVER, open_doc));
	ck_assert_bz(bz_import_units(&imp, t, write_file("units50.csv", units, false), "621202", NULL));
	ck_assert_int_eq(bz_import_units_created(imp), 50);
	bz_import_free(imp);
	int rc = bz_import_people(&imp, t, write_file("people1000.csv", people, true), "621202");
	if (rc != BZ_OK && imp && bz_import_problem_count(imp))
		fprintf(stderr, "line %lld: %s\n", (long long)bz_import_problem_line(imp, 0), bz_import_problem_message(imp, 0));
	ck_assert_bz(rc);
	ck_assert_int_eq(bz_import_placements(imp), 1000);
	bz_import_free(imp);
	rc = bz_txn_commit(t);
	for (size_t i = 0; rc != BZ_OK && i < bz_report_count(bz_txn_report(t)) && i < 5; i++)
		fprintf(stderr, "%s\n", bz_violation_message(bz_report_get(bz_txn_report(t), i)));
	ck_assert_bz(rc);
	bz_txn_free(t);
	free(units);
	free(people);

	/* Table 1 over the county: 50 units, 1,000 in post, 1,250 posts */
	bz_sheet *t1 = NULL;
	ck_assert_bz(bz_sheet_table1(&t1, F.l, "621202", CUTOVER));
	long long posts = 0, staff = 0;
	size_t cpost = SIZE_MAX, cstaff = SIZE_MAX;
	for (size_t c = 0; c < bz_sheet_columns(t1); c++) {
		if (strstr(bz_sheet_header(t1, c), "编制数"))
			cpost = c;
		if (strstr(bz_sheet_header(t1, c), "实有"))
			cstaff = c;
	}
	ck_assert(cpost != SIZE_MAX && cstaff != SIZE_MAX);
	for (size_t r = 0; r < bz_sheet_rows(t1); r++) {
		posts += bz_sheet_cell(t1, r, cpost) ? atoll(bz_sheet_cell(t1, r, cpost)) : 0;
		staff += bz_sheet_cell(t1, r, cstaff) ? atoll(bz_sheet_cell(t1, r, cstaff)) : 0;
	}
	bz_sheet_free(t1);
	ck_assert_int_eq(posts, 1250);
	ck_assert_int_eq(staff, 1000);
	ck_assert_int_eq(tu_count(F.l, "card"), 1000);
}
END_TEST

/* a sheet with bad rows: every one reported with its line and reason, nothing written */
START_TEST(bad_rows_refuse_the_file)
{
	units_committed();
	bz_txn *t = NULL;
	long long persons = tu_count(F.l, "person"), events = tu_count(F.l, "event");

	char good1[19], good2[19], bad_id[19];
	sf_idnum(good1, "621202", "19800101", 1);
	sf_idnum(good2, "621202", "19820202", 2);
	sf_idnum(bad_id, "621202", "19830303", 3);
	bad_id[17] = bad_id[17] == '1' ? '2' : '1'; /* a wrong check character */
	char csv[2048];
	snprintf(csv, sizeof csv,
		 "姓名,身份证号,单位名称,编制类别,进入时间,进入形式\r\n"
		 "张伟,%s,武都区教育局,行政编制,2010-03-01,考录\r\n"      /* line 2: good */
		 "王芳,%s,武都区财政局,行政编制,2011-03-01,考录\r\n"      /* line 3: no such unit */
		 "李娜,%s,武都区教育局,行政编制,2012-13-01,考录\r\n"      /* line 4: no such date */
		 "赵敏,%s,武都区教育局,行政编制,2012-03-01,考录\r\n"      /* line 5: bad ID */
		 "\"刘\r\n静\",%s,武都区教育局,特殊编制,2013-03-01,招聘\r\n" /* line 6 (two lines): no category */
		 "陈强,%s,武都区教育局,行政编制,2013-03-01,空降\r\n",     /* line 8: no such entry */
		 good1, good2, good2, bad_id, good2, good2);
	t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_opening(t, CUTOVER, open_doc));
	bz_import *imp = NULL;
	ck_assert_int_eq(bz_import_people(&imp, t, write_file("bad.csv", csv, false), "621202"), BZ_EINVAL);
	ck_assert_ptr_nonnull(imp);
	ck_assert_int_eq(bz_import_rows(imp), 6);
	ck_assert_int_eq(bz_import_placements(imp), 0);
	ck_assert_uint_eq(bz_import_problem_count(imp), 5);
	static const long lines[] = {3, 4, 5, 6, 8};
	static const char *const columns[] = {"单位名称", "进入时间", "身份证号", "编制类别", "进入形式"};
	static const char *const words[] = {"武都区财政局", "2012-13-01", "", "特殊编制", "空降"};
	for (size_t i = 0; i < 5; i++) {
		ck_assert_int_eq(bz_import_problem_line(imp, i), lines[i]);
		ck_assert_str_eq(bz_import_problem_column(imp, i), columns[i]);
		ck_assert_ptr_nonnull(strstr(bz_import_problem_message(imp, i), words[i]));
	}
	ck_assert_int_eq(bz_import_problem_line(imp, 5), -1);
	ck_assert_ptr_null(bz_import_problem_message(imp, 5));
	ck_assert_ptr_nonnull(strstr(bz_ledger_errmsg(F.l), "5 row(s) refused"));
	bz_import_free(imp);
	/* nothing of the file, and the transaction goes on */
	ck_assert_int_eq(tu_count(F.l, "person"), persons);
	ck_assert_int_eq(tu_count(F.l, "event"), events);
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	ck_assert_int_eq(tu_count(F.l, "placement"), 0);
}
END_TEST

/*
 * Table 3 is written in the person sheet's own layout: exported (CSV and
 * XLSX), it imports into another ledger and gives the same Table 3 back —
 * a file round-trips through the offices' spreadsheets.
 */
START_TEST(table3_round_trips)
{
	char *people = people_csv();
	bz_txn *t = tu_begin(F.l);
	bz_import *imp = NULL;
	ck_assert_bz(bz_txn_set_opening(t, CUTOVER, open_doc));
	import_units(t);
	ck_assert_bz(bz_import_people(&imp, t, write_file("people.csv", people, true), "621202"));
	bz_import_free(imp);
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	free(people);

	bz_sheet *a = NULL;
	ck_assert_bz(bz_sheet_table3(&a, F.l, "621202", NULL, CUTOVER));
	ck_assert_uint_eq(bz_sheet_rows(a), 66);
	static const char *const kinds[] = {"t3.csv", "t3.xlsx"};
	for (int k = 0; k < 2; k++) {
		char out[300], path[300];
		snprintf(out, sizeof out, "%s/%s", dir, kinds[k]);
		ck_assert_bz(bz_sheets_write((const bz_sheet *const *)&a, 1, out, k ? BZ_FORMAT_XLSX : BZ_FORMAT_CSV));
		/* another ledger of the same county: the same unit sheet, then the exported Table 3, one opening */
		snprintf(path, sizeof path, "%s/twin%d.ledger", dir, k);
		bz_ledger *l2 = NULL;
		bz_txn *t2 = NULL;
		bz_document *d = NULL;
		ck_assert_bz(bz_ledger_open(&l2, path, BZ_OPEN_CREATE));
		ck_assert_bz(bz_ledger_set_clock(l2, "2026-12-01"));
		t2 = tu_begin(l2);
		ck_assert_bz(bz_jurisdiction_create(NULL, t2, "620000", "甘肃省", NULL));
		ck_assert_bz(bz_jurisdiction_create(NULL, t2, "621200", "陇南市", "620000"));
		ck_assert_bz(bz_jurisdiction_create(NULL, t2, "621202", "武都区", "621200"));
		ck_assert_bz(bz_document_register(&d, t2, "武都区机构编制委员会", "武编发〔2024〕30号",
						  "关于建立机构编制实名制管理台账的通知", "2024-12-20", BZ_LEVEL_COUNTY,
						  BZ_ISSUER_ESTABLISHMENT, "621202"));
		ck_assert_bz(bz_txn_set_opening(t2, CUTOVER, bz_document_uuid(d)));
		bz_document_free(d);
		ck_assert_bz(bz_import_units(&imp, t2, write_file("units.csv", units_csv, false), "621202", NULL));
		bz_import_free(imp);
		ck_assert_bz(bz_import_people(&imp, t2, out, "621202"));
		ck_assert_int_eq(bz_import_placements(imp), 66);
		bz_import_free(imp);
		ck_assert_bz(bz_txn_commit(t2));
		bz_txn_free(t2);
		bz_sheet *b = NULL;
		ck_assert_bz(bz_sheet_table3(&b, l2, "621202", NULL, CUTOVER));
		ck_assert_uint_eq(bz_sheet_rows(b), bz_sheet_rows(a));
		ck_assert_uint_eq(bz_sheet_columns(b), bz_sheet_columns(a));
		for (size_t r = 0; r < bz_sheet_rows(a); r++)
			for (size_t c = 0; c < bz_sheet_columns(a); c++) {
				const char *x = bz_sheet_cell(a, r, c), *y = bz_sheet_cell(b, r, c);
				if (strcmp(bz_sheet_header(a, c), "管理卡号") == 0) {
					/* each ledger issues its own numbers, in its own order of entry */
					ck_assert(x && y && strncmp(x, "621202-", 7) == 0 && strncmp(y, "621202-", 7) == 0);
					continue;
				}
				ck_assert_msg((!x && !y) || (x && y && strcmp(x, y) == 0), "%s row %zu %s: %s vs %s", kinds[k], r,
					      bz_sheet_header(a, c), x ? x : "(empty)", y ? y : "(empty)");
			}
		bz_sheet_free(b);
		ck_assert_bz(bz_ledger_close(l2));
	}
	bz_sheet_free(a);
}
END_TEST

static void count_progress(void *ctx, const char *what, int64_t done)
{
	int64_t *seen = ctx;
	ck_assert_int_eq(done, seen[0] + 1000 * (strcmp(what, "import") == 0) + (strcmp(what, "check") == 0));
	seen[0] = done;
	seen[strcmp(what, "import") == 0 ? 1 : 2]++;
}

/* the long jobs tell the caller how far they are: every 1,000 rows, every check */
START_TEST(progress)
{
	int64_t seen[3] = {0, 0, 0};
	size_t cap = 2600 * 16 + 64, len = 0;
	char *csv = malloc(cap);
	ck_assert_ptr_nonnull(csv);
	len += (size_t)snprintf(csv, cap, "姓名,身份证号,单位名称,编制类别,进入时间\r\n");
	for (int i = 0; i < 2600; i++)
		len += (size_t)snprintf(csv + len, cap - len, ",1,2,3,4\r\n"); /* no name: refused */
	ck_assert_bz(bz_ledger_set_progress(F.l, count_progress, seen));
	bz_txn *t = tu_begin(F.l);
	bz_import *imp = NULL;
	ck_assert_int_eq(bz_import_people(&imp, t, write_file("many.csv", csv, false), "621202"), BZ_EINVAL);
	ck_assert_int_eq(bz_import_problem_count(imp), 2600);
	ck_assert_int_eq(bz_import_problem_line(imp, 2599), 2601);
	bz_import_free(imp);
	bz_txn_free(t);
	free(csv);
	ck_assert_int_eq(seen[1], 2); /* 1000, 2000 */
	seen[0] = 0;
	bz_report *r = NULL;
	ck_assert_bz(bz_ledger_check(&r, F.l, NULL));
	bz_report_free(r);
	ck_assert_int_ge(seen[2], 2);
	ck_assert_int_eq(seen[0], seen[2]);
	ck_assert_bz(bz_ledger_set_progress(F.l, NULL, NULL));
	ck_assert_bz(bz_ledger_check(&r, F.l, NULL)); /* no calls any more */
	bz_report_free(r);
	ck_assert_int_eq(seen[0], seen[2]);
	ck_assert_int_eq(bz_ledger_set_progress(NULL, NULL, NULL), BZ_EINVAL);
}
END_TEST

START_TEST(file_errors)
{
	bz_txn *t = tu_begin(F.l);
	bz_import *imp = NULL;
	char missing[300];
	snprintf(missing, sizeof missing, "%s/没有.csv", dir);
	ck_assert_int_eq(bz_import_people(&imp, t, missing, "621202"), BZ_EIO);
	ck_assert_ptr_null(imp);
	ck_assert_ptr_nonnull(strstr(bz_ledger_errmsg(F.l), "没有.csv"));
	/* a required column missing: the file refused as a whole (line 0) */
	ck_assert_int_eq(bz_import_people(&imp, t, write_file("cols.csv", "姓名,身份证号,单位名称\r\n张伟,1,2\r\n", false),
					  "621202"),
			 BZ_EINVAL);
	ck_assert_uint_eq(bz_import_problem_count(imp), 2);
	ck_assert_int_eq(bz_import_problem_line(imp, 0), 0);
	ck_assert_str_eq(bz_import_problem_column(imp, 0), "编制类别");
	ck_assert_str_eq(bz_import_problem_column(imp, 1), "进入时间");
	bz_import_free(imp);
	/* an empty file, a quote never closed */
	ck_assert_int_eq(bz_import_units(&imp, t, write_file("empty.csv", "", false), "621202", NULL), BZ_EINVAL);
	ck_assert_ptr_null(imp);
	ck_assert_int_eq(bz_import_units(&imp, t,
					 write_file("quote.csv", "机构名称,机构性质,成立时间\r\n\"武都区教育局,行政机关,1987-03-01\r\n",
						    false),
					 "621202", NULL),
			 BZ_EINVAL);
	ck_assert_ptr_null(imp);
	ck_assert_ptr_nonnull(strstr(bz_ledger_errmsg(F.l), "quote.csv"));
	/* bad arguments */
	ck_assert_int_eq(bz_import_units(NULL, t, missing, "621202", NULL), BZ_EINVAL);
	ck_assert_int_eq(bz_import_units(&imp, NULL, missing, "621202", NULL), BZ_EINVAL);
	ck_assert_int_eq(bz_import_units(&imp, t, NULL, "621202", NULL), BZ_EINVAL);
	ck_assert_int_eq(bz_import_units(&imp, t, missing, "621202", "2024-02-30"), BZ_EINVAL);
	bz_import_free(imp);
	ck_assert_int_eq(tu_count(F.l, "unit"), 0);
	/* on a finished transaction: BZ_EMISUSE, and the ledger says why */
	ck_assert_bz(bz_txn_rollback(t));
	ck_assert_int_eq(bz_import_people(&imp, t, missing, "621202"), BZ_EMISUSE);
	ck_assert_ptr_null(imp);
	ck_assert_str_ne(bz_ledger_errmsg(F.l), "not an error");
	bz_txn_free(t);
}
END_TEST

/* outside an opening every rule applies: the same hires without slips are refused at commit (R8) */
START_TEST(ordinary_import_still_checked)
{
	units_committed();
	bz_txn *t = NULL;
	char id[19], csv[512];
	sf_idnum(id, "621202", "19900101", 77);
	snprintf(csv, sizeof csv, "姓名,身份证号,单位名称,编制类别,进入时间\r\n周敏,%s,武都区教育局,行政编制,2025-03-01\r\n", id);
	t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	bz_import *imp = NULL;
	ck_assert_bz(bz_import_people(&imp, t, write_file("one.csv", csv, true), "621202"));
	bz_import_free(imp);
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	const bz_violation *v = fx_find(bz_txn_report(t), BZ_RULE_R8, BZ_SEVERITY_ERROR);
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(bz_violation_date(v), "2025-03-01");
	bz_txn_free(t);
	ck_assert_int_eq(tu_count(F.l, "placement"), 0);
	ck_assert_int_eq(tu_count(F.l, "person"), 0);
}
END_TEST

/* ---- the bulk path: batches give what row by row gives ------------------ */

/* one query's rows, each row's columns joined by '|' (the caller frees) */
static char *rows_of(bz_ledger *l, const char *sql)
{
	bz_st *st = NULL;
	ck_assert_int_eq(bz_store_prepare(l->store, &st, sql), SQLITE_OK);
	size_t cap = 1 << 12, len = 0;
	char *out = malloc(cap);
	ck_assert_ptr_nonnull(out);
	out[0] = '\0';
	while (bz_st_step(st) == SQLITE_ROW) {
		for (int c = 0; c < bz_st_column_count(st); c++) {
			const char *v = (const char *)bz_st_column_text(st, c);
			size_t need = len + (v ? strlen(v) : 1) + 3;
			if (need > cap) {
				while (need > cap)
					cap *= 2;
				out = realloc(out, cap);
				ck_assert_ptr_nonnull(out);
			}
			len += (size_t)snprintf(out + len, cap - len, "%s%c", v ? v : "~",
						c + 1 < bz_st_column_count(st) ? '|' : '\n');
		}
	}
	bz_st_finalize(st);
	return out;
}

/* where two outcomes first differ: that line of each (static buffer) */
static const char *first_diff(const char *a, const char *b)
{
	static char out[1024];
	const char *la = a, *lb = b;
	while (*a && *a == *b) {
		if (*a == '\n') {
			la = a + 1;
			lb = b + 1;
		}
		a++, b++;
	}
	snprintf(out, sizeof out, "\n  %.*s\nvs\n  %.*s", (int)strcspn(la, "\n"), la, (int)strcspn(lb, "\n"), lb);
	return out;
}

/* a value, or "key" for a key (keys are new each time) */
#define UUID_MASKED(c) "CASE WHEN length(" c ")=36 AND " c " GLOB '*-*-*-*-*' THEN 'key' ELSE " c " END"

/* what an import of the person sheet at path left: its status, counts and problems, and the rows of the ledger */
static char *import_outcome(bz_txn *t, const char *path, int *rc)
{
	bz_import *imp = NULL;
	*rc = bz_import_people(&imp, t, path, "621202");
	size_t cap = 1 << 16, len = 0;
	char *out = malloc(cap);
	ck_assert_ptr_nonnull(out);
	len += (size_t)snprintf(out, cap, "rc %d: %s\n", *rc, *rc == BZ_OK ? "" : bz_ledger_errmsg(F.l));
	if (imp) {
		len += (size_t)snprintf(out + len, cap - len, "rows %lld persons %lld placements %lld appointments %lld\n",
					(long long)bz_import_rows(imp), (long long)bz_import_persons_registered(imp),
					(long long)bz_import_placements(imp), (long long)bz_import_appointments(imp));
		for (size_t i = 0; i < bz_import_problem_count(imp); i++)
			len += (size_t)snprintf(out + len, cap - len, "line %lld %s: %s\n", (long long)bz_import_problem_line(imp, i),
						bz_import_problem_column(imp, i) ? bz_import_problem_column(imp, i) : "-",
						bz_import_problem_message(imp, i));
		ck_assert_uint_lt(len, cap - 1);
	}
	bz_import_free(imp);
	static const char *const queries[] = {
		"SELECT kind, effective, note FROM event ORDER BY id",
		"SELECT p.id_number, p.name, p.sex, p.birth, e.kind FROM person p JOIN event e ON e.id=p.event ORDER BY e.id",
		"SELECT p.category, p.entry_kind, p.entry, e.kind, (SELECT count(*) FROM event x WHERE x.id<e.id) FROM placement p"
		" JOIN event e ON e.id=p.event ORDER BY e.id",
		"SELECT c.number, c.issued FROM card c ORDER BY c.number",
		"SELECT f.attr, f.effective, " UUID_MASKED("f.before") ", " UUID_MASKED("f.after") " FROM fact f"
		" ORDER BY f.event, f.attr",
		"SELECT c.key, t.effective, t.value FROM counter c JOIN tl t ON t.counter=c.id ORDER BY c.key, t.effective"};
	for (size_t q = 0; q < sizeof queries / sizeof queries[0]; q++) {
		char *r = rows_of(F.l, queries[q]);
		size_t need = len + strlen(r) + 2;
		if (need > cap) {
			cap = need * 2;
			out = realloc(out, cap);
			ck_assert_ptr_nonnull(out);
		}
		len += (size_t)snprintf(out + len, cap - len, "%s\n", r);
		free(r);
	}
	return out;
}

/* got is want, or the test fails naming the first line that differs */
static void same_outcome(char **want, char *got, size_t batch)
{
	if (!*want) {
		*want = got;
		return;
	}
	ck_assert_msg(strcmp(got, *want) == 0, "batches of %zu, then row by row:%s", batch, first_diff(got, *want));
	free(got);
}

/*
 * The same person sheets imported row by row (a savepoint per change, as
 * before the bulk path) and in batches of 1, 7, 32 and 256 rows: the same
 * status, counts and problems, line by line, and the same rows written —
 * with changes the library refuses (not the sheet's own checks) at the
 * first row, inside a batch, on a batch's boundary and at the last row,
 * and rows that depend on an earlier row of the same batch (an ID number
 * again under another name; a person registered whose entry was then
 * refused, found again by the next row). The transaction goes on after
 * each; the good sheet commits clean.
 */
START_TEST(batches_equal_row_by_row)
{
	units_committed();
	bz_txn *t = NULL;
	long long events = tu_count(F.l, "event");

	/* 90 people over the five units (within their 98 posts); in the bad sheet some rows refused */
	size_t cap = 1 << 16, good_len = 0, bad_len = 0;
	char *good = malloc(cap), *bad = malloc(cap);
	ck_assert(good && bad);
	static const char head[] = "姓名,身份证号,单位名称,编制类别,进入时间,进入形式,领导职务级别,职务,学历\r\n";
	good_len = (size_t)snprintf(good, cap, "%s", head);
	bad_len = (size_t)snprintf(bad, cap, "%s", head);
	static const int posts[] = {20, 15, 30, 25, 8};
	int unit = 0, in_unit = 0;
	char shared_id[19] = "";
	for (int i = 0; i < 90; i++, in_unit++) {
		while (in_unit >= posts[unit] - 1) {
			unit++;
			in_unit = 0;
		}
		char id[19], birth8[16], row[512];
		snprintf(birth8, sizeof birth8, "%04d%02d%02d", 1960 + i % 20, 1 + i % 12, 1 + i % 28);
		sf_idnum(id, "621202", birth8, 200 + i);
		const char *level = in_unit == 0 && unit < 2 ? "正科级" : "", *post = in_unit == 0 && unit < 2 ? "局长" : "";
		snprintf(row, sizeof row, "人员%02d,%s,%s,%s,20%02d-%02d-01,%s,%s,%s,%s\r\n", i, id, unit_of_row[unit],
			 cat_of_row[unit], 5 + i % 19, 1 + i % 12, i % 2 ? "招聘" : "调入", level, post,
			 i % 3 ? "大学本科" : "硕士研究生");
		good_len += (size_t)snprintf(good + good_len, cap - good_len, "%s", row);
		/* row i is line i + 2 */
		char badid[19];
		memcpy(badid, id, sizeof badid);
		badid[17] = badid[17] == '1' ? '2' : '1';
		if (i == 0 || i == 9 || i == 31 || i == 63 || i == 89) /* the library refuses the ID (a change fails) */
			snprintf(row, sizeof row, "人员%02d,%s,%s,%s,2010-01-01,招聘,,,\r\n", i, badid, unit_of_row[unit],
				 cat_of_row[unit]);
		else if (i == 3) /* the sheet's own check: no such unit (no change fails) */
			snprintf(row, sizeof row, "人员%02d,%s,武都区财政局,行政编制,2010-01-01,招聘,,,\r\n", i, id);
		else if (i == 10) /* row 5's person (registered by this import) under another name */
			snprintf(row, sizeof row, "别人,%s,%s,%s,2010-01-01,招聘,,,\r\n", shared_id, unit_of_row[unit],
				 cat_of_row[unit]);
		else if (i == 40) { /* registered, then the entry refused (after the cut-over): the person stays */
			snprintf(row, sizeof row, "人员%02d,%s,%s,%s,2025-06-01,招聘,,,\r\n", i, id, unit_of_row[unit],
				 cat_of_row[unit]);
			memcpy(shared_id, id, sizeof id);
		} else if (i == 41) /* the same person again, entered: found, not registered again */
			snprintf(row, sizeof row, "人员40,%s,%s,%s,2012-01-01,招聘,,,\r\n", shared_id, unit_of_row[unit],
				 cat_of_row[unit]);
		if (i == 5)
			memcpy(shared_id, id, sizeof id);
		bad_len += (size_t)snprintf(bad + bad_len, cap - bad_len, "%s", row);
		ck_assert_uint_lt(good_len, cap - 512);
		ck_assert_uint_lt(bad_len, cap - 512);
	}
	char good_path[256], bad_path[256];
	snprintf(good_path, sizeof good_path, "%s", write_file("good90.csv", good, true));
	snprintf(bad_path, sizeof bad_path, "%s", write_file("bad90.csv", bad, false));
	free(good);
	free(bad);

	size_t saved = bz_import_batch_rows;
	static const size_t sizes[] = {0, 1, 7, 32, 256};
	char *want_good = NULL, *want_bad = NULL;
	for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
		bz_import_batch_rows = sizes[k];
		int rc;
		/* the bad sheet: refused, nothing of it written, the transaction goes on */
		t = tu_begin(F.l);
		ck_assert_bz(bz_txn_set_opening(t, CUTOVER, open_doc));
		char *got = import_outcome(t, bad_path, &rc);
		ck_assert_int_eq(rc, BZ_EINVAL);
		ck_assert_int_eq(tu_count(F.l, "person"), 0);
		ck_assert_int_eq(tu_count(F.l, "event"), events);
		same_outcome(&want_bad, got, sizes[k]);
		ck_assert_bz(bz_txn_rollback(t));
		bz_txn_free(t);
		/* the good sheet: every row, the same rows written */
		t = tu_begin(F.l);
		ck_assert_bz(bz_txn_set_opening(t, CUTOVER, open_doc));
		got = import_outcome(t, good_path, &rc);
		ck_assert_msg(rc == BZ_OK, "%.200s", got);
		same_outcome(&want_good, got, sizes[k]);
		ck_assert_bz(bz_txn_rollback(t));
		bz_txn_free(t);
	}
	/* committed in batches: clean, every one in post */
	bz_import_batch_rows = 7;
	t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_opening(t, CUTOVER, open_doc));
	bz_import *imp = NULL;
	ck_assert_bz(bz_import_people(&imp, t, good_path, "621202"));
	bz_import_free(imp);
	int rc = bz_txn_commit(t);
	for (size_t i = 0; rc != BZ_OK && i < bz_report_count(bz_txn_report(t)) && i < 5; i++)
		fprintf(stderr, "%s\n", bz_violation_message(bz_report_get(bz_txn_report(t), i)));
	ck_assert_bz(rc);
	bz_txn_free(t);
	bz_report *r = NULL;
	ck_assert_bz(bz_ledger_check(&r, F.l, CUTOVER));
	ck_assert_uint_eq(bz_report_errors(r), 0);
	bz_report_free(r);
	ck_assert_int_eq(tu_count(F.l, "placement"), 90);
	/* the same sheet again, row by row and in batches of 256: the people found by their ID numbers, not
	 * registered again, and entered a second time (R8 judges that at commit) */
	free(want_good);
	want_good = NULL;
	for (size_t k = 0; k < 2; k++) {
		bz_import_batch_rows = k ? 256 : 0;
		t = tu_begin(F.l);
		ck_assert_bz(bz_txn_set_opening(t, CUTOVER, open_doc));
		char *got = import_outcome(t, good_path, &rc);
		ck_assert_bz(rc);
		ck_assert_ptr_nonnull(strstr(got, "rows 90 persons 0 placements 90 appointments 2\n"));
		same_outcome(&want_good, got, bz_import_batch_rows);
		ck_assert_bz(bz_txn_rollback(t));
		bz_txn_free(t);
	}
	bz_import_batch_rows = saved;
	/* the bad sheet said what it should */
	ck_assert_ptr_nonnull(strstr(want_bad, "rc -2: 8 row(s) refused"));
	ck_assert_ptr_nonnull(strstr(want_bad, "line 2 身份证号"));
	ck_assert_ptr_nonnull(strstr(want_bad, "line 5 单位名称"));
	ck_assert_ptr_nonnull(strstr(want_bad, "line 12 姓名: "));
	ck_assert_ptr_nonnull(strstr(want_bad, "line 42 进入时间"));
	ck_assert_ptr_null(strstr(want_bad, "line 43 "));
	ck_assert_ptr_nonnull(strstr(want_bad, "line 91 身份证号"));
	free(want_bad);
	free(want_good);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("import");
	TCase *tc = tcase_create("import");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, opening_from_the_sheets);
	tcase_add_test(tc, county_of_a_thousand);
	tcase_add_test(tc, bad_rows_refuse_the_file);
	tcase_add_test(tc, file_errors);
	tcase_add_test(tc, progress);
	tcase_add_test(tc, table3_round_trips);
	tcase_add_test(tc, ordinary_import_still_checked);
	tcase_add_test(tc, batches_equal_row_by_row);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(suite());
}
