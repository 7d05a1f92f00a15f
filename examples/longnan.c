/*
 * longnan.c: the demo. Builds the Longnan city ledger — Gansu province,
 * Longnan city and its nine counties and districts, a few documents and
 * units — renames and abolishes units, prints the units of each
 * jurisdiction and one unit's change records (Table 2), and shows a change
 * the rules refuse, with its violations; and, on a copy of the ledger, the
 * Longnan offices acting and one refused for acting outside its county.
 *
 *   longnan [ledger-path]     (default longnan.ledger; recreated each run)
 *   longnan postgresql://USER@HOST/DB?schema=NAME
 *                             the same ledger in a schema of a PostgreSQL server
 *                             (a new one: the schema must hold no ledger yet);
 *                             the parts that work on a copy of the ledger file
 *                             (offices, registration) and the archive's files are
 *                             for files, and say so
 *
 * Each area adds its part in its own function, called from main() at the
 * places marked "establishment:" and "staff:".
 */
#include <bianzhi.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHECK(call) do { int rc_ = (call); if (rc_ != BZ_OK) { \
	fprintf(stderr, "longnan: %s failed: %s (%s)\n", #call, bz_strerror(rc_), bz_ledger_errmsg(demo.l)); \
	exit(1); } } while (0)

/* what the demo built, for the later steps */
static struct {
	bz_ledger *l;
	char doc_city[BZ_UUID_LEN + 1];    /* 陇编发〔2012〕31号 */
	char doc_2004[BZ_UUID_LEN + 1];    /* 陇编发〔2004〕1号: the units of the new city */
	char doc_city2[BZ_UUID_LEN + 1];   /* 陇编发〔2014〕12号 */
	char doc_wudu[BZ_UUID_LEN + 1];    /* 武编发〔2015〕8号 */
	char doc_chengxian[BZ_UUID_LEN + 1]; /* 成编发〔2016〕3号 */
	char bianban[BZ_UUID_LEN + 1];     /* 陇南市机构编制委员会办公室 */
	char jiaoyu[BZ_UUID_LEN + 1];      /* 陇南市教育局 */
	char cdc[BZ_UUID_LEN + 1];         /* 陇南市疾病预防控制中心 */
	char wudu_jiaoyu[BZ_UUID_LEN + 1]; /* 武都区教育局 */
	char wudu_school[BZ_UUID_LEN + 1]; /* 武都区实验中学 */
	char wudu_station[BZ_UUID_LEN + 1]; /* 武都区农机推广站 (abolished) */
	char cx_jiaoyu[BZ_UUID_LEN + 1];   /* 成县教育局 */
} demo;

static const struct { const char *code, *name; } counties[] = {
	{"621202", "武都区"}, {"621221", "成县"}, {"621222", "文县"}, {"621223", "宕昌县"},
	{"621224", "康县"}, {"621225", "西和县"}, {"621226", "礼县"}, {"621227", "徽县"},
	{"621228", "两当县"},
};
#define NCOUNTIES (sizeof counties / sizeof counties[0])

static bz_txn *begin(void)
{
	bz_txn *t = NULL;
	CHECK(bz_txn_begin(&t, demo.l, "王编", "陇南市机构编制委员会办公室"));
	return t;
}

static void commit(bz_txn *t)
{
	int rc = bz_txn_commit(t);
	if (rc != BZ_OK) {
		const bz_report *r = bz_txn_report(t);
		for (size_t i = 0; i < bz_report_count(r); i++)
			fprintf(stderr, "  %s\n", bz_violation_message(bz_report_get(r, i)));
	}
	CHECK(rc);
	bz_txn_free(t);
}

static void build_jurisdictions(void)
{
	bz_txn *t = begin();
	CHECK(bz_jurisdiction_create(NULL, t, "620000", "甘肃省", NULL));
	CHECK(bz_jurisdiction_create(NULL, t, "621200", "陇南市", "620000"));
	for (size_t i = 0; i < NCOUNTIES; i++)
		CHECK(bz_jurisdiction_create(NULL, t, counties[i].code, counties[i].name, "621200"));
	commit(t);
}

static void doc(bz_txn *t, char *out, const char *issuer, const char *number, const char *title,
		const char *date, int level, const char *jur)
{
	bz_document *d = NULL;
	CHECK(bz_document_register(&d, t, issuer, number, title, date, level, BZ_ISSUER_ESTABLISHMENT, jur));
	memcpy(out, bz_document_uuid(d), BZ_UUID_LEN + 1);
	bz_document_free(d);
}

static void register_documents(void)
{
	bz_txn *t = begin();
	doc(t, demo.doc_2004, "中共陇南市委机构编制委员会", "陇编发〔2004〕1号",
	    "关于陇南市市直和区县机构设置的通知", "2004-01-01", BZ_LEVEL_CITY, "621200");
	doc(t, demo.doc_city, "中共陇南市委机构编制委员会", "陇编发〔2012〕31号",
	    "关于在全市推行机构编制工作规范化管理的意见", "2012-11-20", BZ_LEVEL_CITY, "621200");
	doc(t, demo.doc_city2, "中共陇南市委机构编制委员会", "陇编发[2014]12号",
	    "关于调整市直部分单位机构编制事项的通知", "2014-05-08", BZ_LEVEL_CITY, "621200");
	doc(t, demo.doc_wudu, "中共武都区委机构编制委员会", "武编发（2015）8号",
	    "关于区直部分事业单位机构编制事项的通知", "2015-03-02", BZ_LEVEL_COUNTY, "621202");
	doc(t, demo.doc_chengxian, "中共成县县委机构编制委员会", "成编发〔2016〕3号",
	    "关于设立成县教育督导中心的通知", "2016-04-11", BZ_LEVEL_COUNTY, "621221");
	commit(t);
}

static void unit_coded(bz_txn *t, char *out, const char *name, int nature, int funding, int rank,
		       const char *jur, const char *founded, const char *duties, const char *credit_code)
{
	bz_unit_spec *s = NULL;
	CHECK(bz_unit_spec_new(&s));
	CHECK(bz_unit_spec_set_name(s, name));
	CHECK(bz_unit_spec_set_nature(s, nature));
	CHECK(bz_unit_spec_set_funding(s, funding));
	CHECK(bz_unit_spec_set_rank(s, rank));
	CHECK(bz_unit_spec_set_jurisdiction(s, jur));
	CHECK(bz_unit_spec_set_founded(s, founded));
	if (duties)
		CHECK(bz_unit_spec_set_duties(s, duties));
	if (credit_code)
		CHECK(bz_unit_spec_set_credit_code(s, credit_code));
	bz_unit *u = NULL;
	CHECK(bz_unit_establish(&u, t, s));
	memcpy(out, bz_unit_uuid(u), BZ_UUID_LEN + 1);
	bz_unit_free(u);
	bz_unit_spec_free(s);
}

static void unit(bz_txn *t, char *out, const char *name, int nature, int funding, int rank,
		 const char *jur, const char *founded, const char *duties)
{
	unit_coded(t, out, name, nature, funding, rank, jur, founded, duties, NULL);
}

static void establish_units(void)
{
	bz_txn *t = begin();
	/* founded on the document that approved them: never before it (未批先设, R6) */
	CHECK(bz_txn_set_document(t, demo.doc_2004));
	unit(t, demo.bianban, "陇南市机构编制委员会办公室", BZ_NATURE_ORGAN, BZ_FUNDING_FULL, BZ_RANK_ZHENGKE,
	     "621200", "2004-01-01", "机构编制管理");
	unit(t, demo.jiaoyu, "陇南市教育局", BZ_NATURE_ORGAN, BZ_FUNDING_FULL, BZ_RANK_ZHENGCHU,
	     "621200", "2004-01-01", "全市教育事业管理");
	unit_coded(t, demo.cdc, "陇南市疾病预防控制中心", BZ_NATURE_INSTITUTION, BZ_FUNDING_BALANCE, BZ_RANK_ZHENGKE,
		   "621200", "2005-03-01", "疾病预防控制、卫生检验", "12621200438582914Y");
	/* county units of 副科 rank and above rest on the city's document (seed §5) */
	unit(t, demo.wudu_jiaoyu, "武都区教育局", BZ_NATURE_ORGAN, BZ_FUNDING_FULL, BZ_RANK_ZHENGKE,
	     "621202", "2004-06-01", NULL);
	unit(t, demo.wudu_school, "武都区实验中学", BZ_NATURE_INSTITUTION, BZ_FUNDING_FULL, BZ_RANK_FUKE,
	     "621202", "2006-09-01", "初中、高中教育");
	unit(t, demo.cx_jiaoyu, "成县教育局", BZ_NATURE_ORGAN, BZ_FUNDING_FULL, BZ_RANK_ZHENGKE,
	     "621221", "2004-06-01", NULL);
	commit(t);

	/* a 股级 station may rest on the district's own document */
	t = begin();
	CHECK(bz_txn_set_document(t, demo.doc_wudu));
	unit(t, demo.wudu_station, "武都区农机推广站", BZ_NATURE_INSTITUTION, BZ_FUNDING_FULL, BZ_RANK_ZHENGGU,
	     "621202", "2015-03-02", "农业机械推广");
	commit(t);
}

static void rename_and_abolish(void)
{
	bz_txn *t = begin();
	CHECK(bz_txn_set_document(t, demo.doc_city2));
	CHECK(bz_unit_rename(t, demo.bianban, "中共陇南市委机构编制委员会办公室", "2014-05-08"));
	commit(t);
	t = begin();
	CHECK(bz_txn_set_document(t, demo.doc_wudu));
	CHECK(bz_unit_abolish(t, demo.wudu_station, "2020-12-31"));
	commit(t);
}

static void print_report(const bz_report *r)
{
	for (size_t i = 0; i < bz_report_count(r); i++) {
		const bz_violation *v = bz_report_get(r, i);
		printf("    [%s %s] %s\n", bz_violation_rule_id(v),
		       bz_violation_severity(v) == BZ_SEVERITY_ERROR ? "error" : "warning", bz_violation_message(v));
		printf("        unit %s, document %s, date %s",
		       bz_violation_subject_name(v) ? bz_violation_subject_name(v) : "-",
		       bz_violation_document_number(v) ? bz_violation_document_number(v) : "-",
		       bz_violation_date(v) ? bz_violation_date(v) : "-");
		if (bz_violation_allowed(v) >= 0)
			printf(", allowed %lld, actual %lld", (long long)bz_violation_allowed(v),
			       (long long)bz_violation_actual(v));
		printf("\n");
	}
}

static void refused_change(void)
{
	printf("\n== A refused change ==\n");
	printf("成县 tries to establish 成县教育督导中心, a 副科 public institution, on its own document 成编发〔2016〕3号:\n");
	bz_txn *t = begin();
	CHECK(bz_txn_set_document(t, demo.doc_chengxian));
	char id[BZ_UUID_LEN + 1];
	unit(t, id, "成县教育督导中心", BZ_NATURE_INSTITUTION, BZ_FUNDING_FULL, BZ_RANK_FUKE,
	     "621221", "2016-04-11", "教育督导");
	int rc = bz_txn_commit(t);
	printf("  commit: %s — %s\n", bz_strerror(rc), bz_ledger_errmsg(demo.l));
	print_report(bz_txn_report(t));
	bz_txn_free(t);

	printf("武都区 renames a unit dated after its abolition:\n");
	t = begin();
	CHECK(bz_txn_set_document(t, demo.doc_wudu));
	CHECK(bz_unit_rename(t, demo.wudu_station, "武都区农业机械化服务中心", "2021-06-01"));
	rc = bz_txn_commit(t);
	printf("  commit: %s\n", bz_strerror(rc));
	print_report(bz_txn_report(t));
	bz_txn_free(t);
}

/* ---- establishment: limits, establishment, leadership quotas, sub-units ---- */

static void establishment_setup(void)
{
	char doc_prov[BZ_UUID_LEN + 1];
	bz_txn *t = begin();
	doc(t, doc_prov, "中共甘肃省委机构编制委员会", "甘编发〔2012〕15号",
	    "关于核定陇南市行政事业编制限额的通知", "2012-03-01", BZ_LEVEL_PROVINCE, "620000");
	/* the city's limits come from the province, the counties' from the city */
	CHECK(bz_txn_set_document(t, doc_prov));
	CHECK(bz_limit_set(t, "621200", BZ_BRANCH_ADMINISTRATIVE, 800, "2012-03-01"));
	CHECK(bz_limit_set(t, "621200", BZ_BRANCH_INSTITUTION, 5000, "2012-03-01"));
	CHECK(bz_txn_set_document(t, demo.doc_city));
	CHECK(bz_limit_set(t, "621202", BZ_BRANCH_ADMINISTRATIVE, 600, "2012-11-20"));
	CHECK(bz_limit_set(t, "621202", BZ_BRANCH_INSTITUTION, 4000, "2012-11-20"));
	CHECK(bz_limit_set(t, "621221", BZ_BRANCH_ADMINISTRATIVE, 400, "2012-11-20"));
	CHECK(bz_limit_set(t, "621221", BZ_BRANCH_INSTITUTION, 3000, "2012-11-20"));
	commit(t);

	t = begin();
	CHECK(bz_txn_set_document(t, demo.doc_city));
	CHECK(bz_establishment_set(t, demo.bianban, "XZ", 20, "2012-11-20"));
	CHECK(bz_establishment_set(t, demo.jiaoyu, "XZ", 45, "2012-11-20"));
	CHECK(bz_establishment_set(t, demo.jiaoyu, "GQ", 4, "2012-11-20"));
	CHECK(bz_establishment_set(t, demo.cdc, "SY", 80, "2012-11-20"));
	CHECK(bz_establishment_set(t, demo.cdc, "GQ", 5, "2012-11-20"));
	CHECK(bz_establishment_set(t, demo.wudu_jiaoyu, "XZ", 30, "2012-11-20"));
	CHECK(bz_establishment_set(t, demo.wudu_school, "SY", 120, "2012-11-20"));
	CHECK(bz_establishment_set(t, demo.cx_jiaoyu, "XZ", 25, "2012-11-20"));
	/* 领导职数: a 正处 city bureau 1+3, county bureaus 1+2, the CDC 1+2 */
	CHECK(bz_leadership_set(t, demo.jiaoyu, 1, 3, BZ_RANK_ZHENGCHU, "2012-11-20"));
	CHECK(bz_leadership_set(t, demo.cdc, 1, 2, BZ_RANK_ZHENGKE, "2012-11-20"));
	CHECK(bz_leadership_set(t, demo.wudu_jiaoyu, 1, 2, BZ_RANK_ZHENGKE, "2012-11-20"));
	CHECK(bz_leadership_set(t, demo.cx_jiaoyu, 1, 2, BZ_RANK_ZHENGKE, "2012-11-20"));
	/* 内设机构 of 武都区教育局: 4 approved, 3 set up, each a 股 with 1 head */
	CHECK(bz_subunit_approve(t, demo.wudu_jiaoyu, 4, "2012-11-20"));
	const char *subs[] = {"办公室", "人事股", "基础教育股"};
	for (size_t i = 0; i < 3; i++) {
		bz_subunit *s = NULL;
		CHECK(bz_subunit_create(&s, t, demo.wudu_jiaoyu, subs[i], BZ_RANK_ZHENGGU, "2012-11-20"));
		CHECK(bz_leadership_set(t, bz_subunit_uuid(s), 1, 0, BZ_RANK_ZHENGGU, "2012-11-20"));
		bz_subunit_free(s);
	}
	commit(t);

	/* 划转: the city moves 2 administrative posts from 教育局 to 编办 in 2014 */
	t = begin();
	CHECK(bz_txn_set_document(t, demo.doc_city2));
	CHECK(bz_establishment_transfer(t, demo.jiaoyu, demo.bianban, "XZ", 2, "2014-05-08"));
	commit(t);
}

static void print_table1(const char *unit_uuid)
{
	bz_basic_table *tb = NULL;
	CHECK(bz_basic_table_get(&tb, demo.l, unit_uuid, NULL));
	printf("\n== Table 1 机构编制基本情况: %s, %s ==\n", bz_basic_table_unit_name(tb), bz_basic_table_as_of(tb));
	printf("  %-6s %6s %6s %6s %6s %6s\n", "编制", "核定", "实有", "预留", "空编", "超编");
	for (size_t i = 0; i < bz_basic_table_rows(tb); i++)
		printf("  %-6s %6lld %6lld %6lld %6lld %6lld\n", bz_basic_table_category(tb, i),
		       (long long)bz_basic_table_establishment(tb, i), (long long)bz_basic_table_staff(tb, i),
		       (long long)bz_basic_table_reserved(tb, i), (long long)bz_basic_table_vacant(tb, i),
		       (long long)bz_basic_table_over(tb, i));
	printf("  领导职数 正职 %lld (在任 %lld), 副职 %lld (在任 %lld); 内设机构 %lld of %lld approved\n",
	       (long long)bz_basic_table_principal_quota(tb), (long long)bz_basic_table_principals(tb),
	       (long long)bz_basic_table_deputy_quota(tb), (long long)bz_basic_table_deputies(tb),
	       (long long)bz_basic_table_subunits(tb), (long long)bz_basic_table_subunits_approved(tb));
	bz_subunit_iter *it = NULL;
	bz_subunit *s = NULL;
	CHECK(bz_subunit_list(&it, demo.l, unit_uuid, NULL));
	while (bz_subunit_iter_next(&s, it) == BZ_OK) {
		printf("    %s (%s, since %s)\n", bz_subunit_name(s), bz_rank_name(bz_subunit_rank(s)), bz_subunit_founded(s));
		bz_subunit_free(s);
	}
	bz_subunit_iter_free(it);
	bz_basic_table_free(tb);
}

static void print_limit_ledgers(void)
{
	const char *codes[] = {"621200", "621202", "621221"};
	printf("\n== 限额台账 (quota limit ledgers), today ==\n");
	printf("  %-8s %-10s %6s %6s %6s %6s\n", "code", "branch", "限额", "已核定", "未分配", "空编");
	for (size_t i = 0; i < 3; i++) {
		bz_limit_ledger *lg = NULL;
		CHECK(bz_limit_ledger_get(&lg, demo.l, codes[i], NULL));
		const char *names[] = {"总账", "分账1 行政", "分账2 事业"};
		for (int b = 0; b <= 2; b++)
			printf("  %-8s %-10s %6lld %6lld %6lld %6lld\n", codes[i], names[b],
			       (long long)bz_limit_ledger_limit(lg, b), (long long)bz_limit_ledger_allocated(lg, b),
			       (long long)bz_limit_ledger_unallocated(lg, b), (long long)bz_limit_ledger_vacant(lg, b));
		bz_limit_ledger_free(lg);
	}
}

static void refused_establishment(void)
{
	printf("\n武都区 grants its 教育局 institution posts and raises its administrative posts past the district's limit:\n");
	bz_txn *t = begin();
	CHECK(bz_txn_set_document(t, demo.doc_wudu));
	CHECK(bz_establishment_set(t, demo.wudu_jiaoyu, "SY", 10, "2015-03-02"));
	CHECK(bz_establishment_set(t, demo.wudu_jiaoyu, "XZ", 700, "2015-03-02"));
	int rc = bz_txn_commit(t);
	printf("  commit: %s — %s\n", bz_strerror(rc), bz_ledger_errmsg(demo.l));
	print_report(bz_txn_report(t));
	bz_txn_free(t);

	bz_report *r = NULL;
	CHECK(bz_ledger_check(&r, demo.l, NULL));
	printf("\nFull check of the ledger (annual self-inspection): %zu error(s), %zu warning(s)\n",
	       bz_report_errors(r), bz_report_warnings(r));
	print_report(r);
	bz_report_free(r);
}

/* ---- staff: people, usage slips, placements, transfers, appointments ---- */

static struct {
	char zhang[BZ_UUID_LEN + 1], li[BZ_UUID_LEN + 1], wang[BZ_UUID_LEN + 1];
	char zhao[BZ_UUID_LEN + 1], chen[BZ_UUID_LEN + 1], sun[BZ_UUID_LEN + 1];
	char archive[BZ_UUID_LEN + 1]; /* 武都区档案馆, a small institution */
} staff;

static void person(bz_txn *t, char *out, const char *id, const char *name, const char *nation,
		   const char *education)
{
	bz_person *p = NULL;
	CHECK(bz_person_register(&p, t, id, name, 0, NULL));
	memcpy(out, bz_person_uuid(p), BZ_UUID_LEN + 1);
	bz_person_free(p);
	CHECK(bz_person_set_attr(t, out, "民族", nation, NULL));
	CHECK(bz_person_set_attr(t, out, "学历", education, NULL));
}

static void slip(bz_txn *t, char *out, const char *unit, const char *cat, int posts, int purpose,
		 const char *issued, const char *until)
{
	bz_slip *s = NULL;
	CHECK(bz_slip_issue(&s, t, unit, cat, posts, purpose, issued, until, NULL));
	printf("  编制使用单 %s: %d post(s) of %s, valid %s to %s\n", bz_slip_number(s), posts, cat, issued, until);
	memcpy(out, bz_slip_uuid(s), BZ_UUID_LEN + 1);
	bz_slip_free(s);
}

/*
 * 机构编制管理证 (seed §3, §9): every unit in being on date that holds no
 * certificate in force gets one, and one in force is renewed (换发), on the
 * city office's document. R14 refuses an 出入编 of a unit without a valid
 * certificate once the office turns it on (unitcert.enforce).
 */
static void certify_all(const char *date)
{
	bz_txn *t = begin();
	CHECK(bz_txn_set_document(t, demo.doc_city2));
	int issued = 0, renewed = 0;
	for (size_t i = 0; i <= NCOUNTIES; i++) {
		bz_unit_iter *it = NULL;
		CHECK(bz_unit_list(&it, demo.l, i ? counties[i - 1].code : "621200", date));
		bz_unit *u = NULL;
		while (bz_unit_iter_next(&u, it) == BZ_OK) {
			bz_unitcert *c = NULL;
			int rc = bz_unitcert_held(&c, demo.l, bz_unit_uuid(u), date);
			if (rc == BZ_OK && bz_unitcert_state(c) != BZ_UNITCERT_VOID && strcmp(bz_unitcert_issued(c), date) < 0) {
				CHECK(bz_unitcert_renew(NULL, t, bz_unitcert_uuid(c), date, NULL));
				renewed++;
			} else if (rc == BZ_ENOTFOUND || (rc == BZ_OK && bz_unitcert_state(c) == BZ_UNITCERT_VOID)) {
				CHECK(bz_unitcert_issue(NULL, t, bz_unit_uuid(u), date, NULL));
				issued++;
			}
			bz_unitcert_free(c);
			bz_unit_free(u);
		}
		bz_unit_iter_free(it);
	}
	commit(t);
	printf("  机构编制管理证 on %s: %d issued, %d renewed (换发)\n", date, issued, renewed);
}

static void staff_setup(void)
{
	printf("Real-name staff (实名制)\n");
	bz_txn *t = begin();
	/* ID numbers with their GB 11643 check characters */
	person(t, staff.zhang, "621202198506150118", "张伟", "汉族", "大学");
	person(t, staff.li, "621202199003010222", "李娜", "汉族", "研究生");
	person(t, staff.wang, "621202198808080338", "王强", "回族", "大学");
	person(t, staff.zhao, "621202196201010414", "赵建国", "汉族", "大专");
	person(t, staff.chen, "621202199212120524", "陈静", "藏族", "大学");
	person(t, staff.sun, "621202199505050611", "孙磊", "汉族", "大学");
	commit(t);

	/* 核编在先: the office issues slips, then the units hire against them */
	char s_wudu[BZ_UUID_LEN + 1], s_arch[BZ_UUID_LEN + 1], s_cx[BZ_UUID_LEN + 1];
	t = begin();
	CHECK(bz_txn_set_document(t, demo.doc_wudu));
	unit(t, staff.archive, "武都区档案馆", BZ_NATURE_INSTITUTION, BZ_FUNDING_FULL, BZ_RANK_ZHENGGU,
	     "621202", "2015-06-01", "档案收集、保管和利用");
	CHECK(bz_establishment_set(t, staff.archive, "SY", 2, "2015-06-01"));
	slip(t, s_wudu, demo.wudu_jiaoyu, "XZ", 3, BZ_PURPOSE_EXAM, "2016-03-01", "2016-08-31");
	slip(t, s_arch, staff.archive, "SY", 2, BZ_PURPOSE_RECRUIT, "2016-03-01", "2016-08-31");
	commit(t);
	/* every unit shows its 机构编制管理证 for 出入编 from 2016-06-01 on (R14 as an error) */
	certify_all("2016-05-03");
	t = begin();
	CHECK(bz_txn_set_document(t, demo.doc_city2));
	CHECK(bz_rule_param_set(t, "unitcert.enforce", "error", "2016-06-01"));
	commit(t);
	t = begin();
	CHECK(bz_txn_set_document(t, demo.doc_wudu));
	CHECK(bz_placement_enter(NULL, t, staff.zhang, demo.wudu_jiaoyu, "XZ", s_wudu, BZ_ENTRY_EXAM, "2016-07-01"));
	CHECK(bz_placement_enter(NULL, t, staff.li, demo.wudu_jiaoyu, "XZ", s_wudu, BZ_ENTRY_EXAM, "2016-07-01"));
	CHECK(bz_placement_enter(NULL, t, staff.zhao, demo.wudu_jiaoyu, "XZ", s_wudu, BZ_ENTRY_EXAM, "2016-07-01"));
	CHECK(bz_placement_enter(NULL, t, staff.wang, staff.archive, "SY", s_arch, BZ_ENTRY_RECRUIT, "2016-07-15"));
	CHECK(bz_placement_enter(NULL, t, staff.chen, staff.archive, "SY", s_arch, BZ_ENTRY_RECRUIT, "2016-07-15"));
	CHECK(bz_appointment_make(NULL, t, staff.zhao, demo.wudu_jiaoyu, BZ_POST_PRINCIPAL, "2018-01-01"));
	commit(t);
	printf("  recruited: 张伟, 李娜, 赵建国 into 武都区教育局; 王强, 陈静 into 武都区档案馆\n");

	/* 调动: 张伟 moves from 武都区 to 成县 against a transfer-in slip of 成县; a move
	 * across two counties rests on their common higher office's document (本级, §13.2) */
	t = begin();
	CHECK(bz_txn_set_document(t, demo.doc_city2));
	slip(t, s_cx, demo.cx_jiaoyu, "XZ", 1, BZ_PURPOSE_TRANSFER_IN, "2020-09-01", "2020-12-31");
	CHECK(bz_placement_transfer(NULL, t, staff.zhang, demo.cx_jiaoyu, "XZ", s_cx, "2020-10-08"));
	commit(t);
	printf("  transferred: 张伟 武都区教育局 → 成县教育局 on 2020-10-08\n");
	/* the certificates of 2016 run out on 2021-05-02 */
	certify_all("2021-05-03");

	/* 赵建国 retires; his leadership post ends with it */
	t = begin();
	CHECK(bz_txn_set_document(t, demo.doc_wudu));
	bz_appointment_iter *ai = NULL;
	CHECK(bz_appointment_list(&ai, demo.l, demo.wudu_jiaoyu, "2022-01-01"));
	bz_appointment *a = NULL;
	while (bz_appointment_iter_next(&a, ai) == BZ_OK) {
		if (strcmp(bz_appointment_person(a), staff.zhao) == 0)
			CHECK(bz_appointment_end(t, bz_appointment_uuid(a), "2022-01-31"));
		bz_appointment_free(a);
	}
	bz_appointment_iter_free(ai);
	CHECK(bz_placement_exit(t, staff.zhao, BZ_EXIT_RETIREMENT, "2022-01-31"));
	commit(t);
	printf("  retired: 赵建国 on 2022-01-31\n\n");
}

static void refused_hire(void)
{
	printf("A refused hire: 武都区档案馆 is full (2 of 2) and 孙磊 comes without a slip\n");
	bz_txn *t = begin();
	CHECK(bz_txn_set_document(t, demo.doc_wudu));
	CHECK(bz_placement_enter(NULL, t, staff.sun, staff.archive, "SY", NULL, BZ_ENTRY_RECRUIT, "2023-03-01"));
	int rc = bz_txn_commit(t);
	printf("  commit: %s\n", bz_strerror(rc));
	print_report(bz_txn_report(t));
	bz_txn_free(t);
	printf("\n");
}

/* a voided 机构编制管理证: the unit's next 出入编 is refused until it has a new one (R14, seed §3) */
static void refused_without_certificate(void)
{
	printf("A refused exit: 武都区教育局 lost its 机构编制管理证 (voided 2024-05-20) and 李娜 resigns on 2024-06-01\n");
	bz_unitcert *c = NULL;
	CHECK(bz_unitcert_held(&c, demo.l, demo.wudu_jiaoyu, "2024-05-20"));
	bz_txn *t = begin();
	CHECK(bz_txn_set_document(t, demo.doc_wudu));
	CHECK(bz_unitcert_void(t, bz_unitcert_uuid(c), "2024-05-20"));
	commit(t);
	bz_unitcert_free(c);
	t = begin();
	CHECK(bz_txn_set_document(t, demo.doc_wudu));
	CHECK(bz_placement_exit(t, staff.li, BZ_EXIT_RESIGNATION, "2024-06-01"));
	int rc = bz_txn_commit(t);
	printf("  commit: %s\n", bz_strerror(rc));
	print_report(bz_txn_report(t));
	bz_txn_free(t);
	/* a new certificate; then the renewal of every certificate of 2021 */
	t = begin();
	CHECK(bz_txn_set_document(t, demo.doc_wudu));
	CHECK(bz_unitcert_issue(&c, t, demo.wudu_jiaoyu, "2024-06-10", NULL));
	printf("  new 机构编制管理证 %s, valid %s to %s\n", bz_unitcert_number(c), bz_unitcert_issued(c),
	       bz_unitcert_valid_until(c));
	bz_unitcert_free(c);
	commit(t);
	certify_all("2026-05-04");
	printf("\n");
}

static const char *entry_name(int k)
{
	switch (k) {
	case BZ_ENTRY_EXAM: return "考录";
	case BZ_ENTRY_RECRUIT: return "招聘";
	case BZ_ENTRY_TRANSFER_IN: return "调入";
	case BZ_ENTRY_DEMOBILISED: return "军转安置";
	default: return "其他";
	}
}

static const char *exit_name(int r)
{
	switch (r) {
	case BZ_EXIT_RETIREMENT: return "退休";
	case BZ_EXIT_TRANSFER_OUT: return "调出";
	case BZ_EXIT_RESIGNATION: return "辞职";
	case BZ_EXIT_DISMISSAL: return "辞退";
	case BZ_EXIT_DEATH: return "死亡";
	default: return "其他";
	}
}

static void print_roster(const char *unit_uuid, const char *date)
{
	bz_unit *u = NULL;
	CHECK(bz_unit_lookup(&u, demo.l, unit_uuid, date));
	printf("实有人员花名册 (Table 3) of %s on %s\n", bz_unit_name(u), date);
	bz_unit_free(u);
	bz_placement_iter *it = NULL;
	CHECK(bz_roster(&it, demo.l, unit_uuid, date));
	bz_placement *p = NULL;
	int rc;
	while ((rc = bz_placement_iter_next(&p, it)) == BZ_OK) {
		printf("  %-6s %s  %-4s since %s (%s)\n", bz_placement_person_name(p), bz_placement_id_number(p),
		       bz_placement_category(p), bz_placement_entry(p), entry_name(bz_placement_entry_kind(p)));
		bz_placement_free(p);
	}
	bz_placement_iter_free(it);
	CHECK(rc == BZ_ITEROVER ? BZ_OK : rc);
	printf("\n");
}

static void print_card(const char *person_uuid)
{
	bz_person *p = NULL;
	CHECK(bz_person_lookup(&p, demo.l, person_uuid));
	bz_card *c = NULL;
	CHECK(bz_card_lookup(&c, demo.l, bz_person_card(p)));
	bz_person_free(p);
	const bz_person *who = bz_card_person(c);
	printf("人员编制管理卡 No. %s (issued %s)\n", bz_card_number(c), bz_card_issued(c));
	printf("  %s, %s, born %s, ID %s", bz_person_name(who), bz_person_sex(who) == BZ_SEX_MALE ? "男" : "女",
	       bz_person_birth(who), bz_person_id_number(who));
	for (size_t i = 0; i < bz_person_attr_count(who); i++)
		printf(", %s %s", bz_person_attr_key(who, i), bz_person_attr_value(who, i));
	printf("\n");
	for (size_t i = 0; i < bz_card_placement_count(c); i++) {
		const bz_placement *pl = bz_card_placement(c, i);
		bz_unit *u = NULL;
		CHECK(bz_unit_lookup(&u, demo.l, bz_placement_unit(pl), bz_placement_entry(pl)));
		printf("  %s %s (%s, %s) by %s", bz_placement_entry(pl), bz_unit_name(u), bz_placement_category(pl),
		       entry_name(bz_placement_entry_kind(pl)),
		       bz_placement_entry_document(pl) ? bz_placement_entry_document(pl) : "-");
		if (bz_placement_exit_date(pl))
			printf(" — until %s (%s)", bz_placement_exit_date(pl), exit_name(bz_placement_exit_reason(pl)));
		printf("\n");
		bz_unit_free(u);
	}
	bz_card_free(c);
	printf("\n");
}

static void print_units(const char *code, const char *name)
{
	bz_unit_iter *it = NULL;
	CHECK(bz_unit_list(&it, demo.l, code, NULL));
	bz_unit *u = NULL;
	int n = 0;
	printf("%s (%s)\n", name, code);
	while (bz_unit_iter_next(&u, it) == BZ_OK) {
		n++;
		printf("  %s  %s, %s, %s, founded %s%s%s\n", bz_unit_name(u), bz_nature_name(bz_unit_nature(u)),
		       bz_funding_name(bz_unit_funding(u)), bz_rank_name(bz_unit_rank(u)), bz_unit_founded(u),
		       bz_unit_credit_code(u) ? ", 统一社会信用代码 " : "",
		       bz_unit_credit_code(u) ? bz_unit_credit_code(u) : "");
		bz_unit_free(u);
	}
	if (n == 0)
		printf("  (no units recorded yet)\n");
	bz_unit_iter_free(it);
}

static void print_all_units(void)
{
	char today[BZ_DATE_LEN + 1];
	CHECK(bz_ledger_today(today, sizeof today, demo.l));
	printf("== Units in being on %s ==\n", today);
	print_units("621200", "陇南市");
	for (size_t i = 0; i < NCOUNTIES; i++)
		print_units(counties[i].code, counties[i].name);
	/* an abolished unit is no longer listed, but its history stays */
	bz_unit *u = NULL;
	CHECK(bz_unit_lookup(&u, demo.l, demo.wudu_station, NULL));
	printf("(%s: %s on %s; on 2018-01-01 it was in being)\n", bz_unit_name(u),
	       bz_unit_status(u) == BZ_UNIT_ABOLISHED ? "撤销 abolished" : "?", bz_unit_ended(u));
	bz_unit_free(u);
}

static void print_table2(const char *unit_uuid)
{
	bz_unit *u = NULL;
	CHECK(bz_unit_lookup(&u, demo.l, unit_uuid, NULL));
	printf("\n== Table 2 (机构编制变更记录) of %s ==\n", bz_unit_name(u));
	bz_unit_free(u);
	bz_change_iter *it = NULL;
	CHECK(bz_unit_changes(&it, demo.l, unit_uuid));
	bz_change *c = NULL;
	while (bz_change_iter_next(&c, it) == BZ_OK) {
		printf("  %s  %-16s %-22s recorded %s by %s (%s)\n", bz_change_effective(c), bz_change_kind(c),
		       bz_change_document_number(c) ? bz_change_document_number(c) : "-",
		       bz_change_recorded_at(c), bz_change_recorded_by(c), bz_change_office(c));
		for (size_t i = 0; i < bz_change_attr_count(c); i++)
			printf("      %-12s %s -> %s\n", bz_change_attr_name(c, i),
			       bz_change_attr_before(c, i) ? bz_change_attr_before(c, i) : "(none)",
			       bz_change_attr_after(c, i) ? bz_change_attr_after(c, i) : "(none)");
		bz_change_free(c);
	}
	bz_change_iter_free(it);
}

/* ---- the archive: the signed scan behind a document (archive.h) ---- */

/* a one-page PDF, valid down to its cross-reference table, standing for the office's scan */
static size_t tiny_pdf(char *buf, size_t cap, const char *text)
{
	char content[256];
	snprintf(content, sizeof content, "BT /F1 14 Tf 72 760 Td (%s) Tj ET", text);
	size_t off[6], n = 0;
	n += (size_t)snprintf(buf + n, cap - n, "%%PDF-1.4\n");
	off[1] = n;
	n += (size_t)snprintf(buf + n, cap - n, "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
	off[2] = n;
	n += (size_t)snprintf(buf + n, cap - n, "2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n");
	off[3] = n;
	n += (size_t)snprintf(buf + n, cap - n,
			      "3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
			      " /Resources << /Font << /F1 5 0 R >> >> >>\nendobj\n");
	off[4] = n;
	n += (size_t)snprintf(buf + n, cap - n, "4 0 obj\n<< /Length %zu >>\nstream\n%s\nendstream\nendobj\n",
			      strlen(content), content);
	off[5] = n;
	n += (size_t)snprintf(buf + n, cap - n, "5 0 obj\n<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>\nendobj\n");
	size_t xref = n;
	n += (size_t)snprintf(buf + n, cap - n, "xref\n0 6\n0000000000 65535 f \n");
	for (int i = 1; i <= 5; i++)
		n += (size_t)snprintf(buf + n, cap - n, "%010zu 00000 n \n", off[i]);
	n += (size_t)snprintf(buf + n, cap - n, "trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n", xref);
	return n;
}

/* the scan of 武编发（2015）8号 attached, the document filed under 机构改革档案, the
 * archive of 武都区教育局 exported as a zip beside the ledger and verified */
static void archive_demo(const char *ledger_path)
{
	char pdf[2048];
	size_t n = tiny_pdf(pdf, sizeof pdf, "Wu Bian Fa (2015) No. 8 - signed copy");
	bz_txn *t = begin();
	bz_file_writer *w = NULL;
	bz_file *f = NULL;
	CHECK(bz_file_writer_open(&w, t, demo.doc_wudu, "武编发〔2015〕8号 扫描件.pdf", (int64_t)n));
	CHECK(bz_file_writer_write(w, pdf, n));
	CHECK(bz_file_writer_finish(&f, w));
	bz_file_writer_free(w);
	CHECK(bz_document_file_under(t, demo.doc_wudu, "JGGG", 0));
	commit(t);
	printf("\n== The archive (电子档案) ==\n");
	printf("  attached to 武编发〔2015〕8号: %s, %lld bytes, SHA-256 %s\n", bz_file_name(f),
	       (long long)bz_file_size(f), bz_file_sha256(f));
	bz_file_free(f);
	char zip[1024];
	snprintf(zip, sizeof zip, "%s.archive.zip", ledger_path);
	unlink(zip);
	int64_t files = 0, checked = 0;
	CHECK(bz_archive_export(&files, demo.l, zip, demo.wudu_jiaoyu, NULL, NULL, 0));
	char *problems = NULL;
	int rc = bz_archive_verify(&problems, &checked, zip);
	printf("  武都区教育局's archive: %s, %lld file(s), index.csv and index.json; verified: %s\n", zip,
	       (long long)files, rc == BZ_OK ? "every file as its index says" : problems ? problems : bz_strerror(rc));
	bz_free(problems);
}

/* ---- offices: who may change what (office.h) ---- */

static bz_txn *begin_as(bz_ledger *l, const char *office)
{
	bz_txn *t = NULL;
	CHECK(bz_txn_begin(&t, l, "王编", office));
	return t;
}

/*
 * The Longnan offices registered and acting, with one refusal (R15). The
 * demo ledger itself stays a ledger without offices — the shell, Python and
 * Java tests write to it under free-text office names, as every ledger
 * before 1.2 was written — so this part works on a backup of it beside it
 * (PATH.offices), which it leaves for a look: `bianzhi office list`.
 */
static void offices_demo(const char *ledger_path)
{
	char copy[1024], side[1100];
	snprintf(copy, sizeof copy, "%s.offices", ledger_path);
	unlink(copy);
	snprintf(side, sizeof side, "%s-wal", copy);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", copy);
	unlink(side);
	CHECK(bz_ledger_backup(demo.l, copy));
	bz_ledger *l = NULL;
	CHECK(bz_ledger_open(&l, copy, 0));
	printf("\n== Offices: who may change what (R15), in %s ==\n", copy);
	/* the first office registers itself; then it registers its counties' and the departments */
	static const struct {
		const char *name, *code;
		int kind;
	} offices[] = {
		{"陇南市机构编制委员会办公室", "621200", BZ_OFFICE_ESTABLISHMENT},
		{"陇南市武都区机构编制委员会办公室", "621202", BZ_OFFICE_ESTABLISHMENT},
		{"成县机构编制委员会办公室", "621221", BZ_OFFICE_ESTABLISHMENT},
		{"中共陇南市武都区委组织部", "621202", BZ_OFFICE_ORGANISATION},
		{"陇南市武都区人力资源和社会保障局", "621202", BZ_OFFICE_HR},
		{"陇南市武都区财政局", "621202", BZ_OFFICE_FINANCE},
	};
	bz_txn *t = begin_as(l, offices[0].name);
	for (size_t i = 0; i < sizeof offices / sizeof offices[0]; i++)
		CHECK(bz_office_register(NULL, t, offices[i].name, offices[i].code, offices[i].kind));
	int rc = bz_txn_commit(t);
	bz_txn_free(t);
	CHECK(rc);
	bz_office_iter *it = NULL;
	bz_office *o = NULL;
	CHECK(bz_office_list(&it, l, NULL));
	while (bz_office_iter_next(&o, it) == BZ_OK) {
		printf("  %s %-6s %s\n", bz_office_jurisdiction(o), bz_office_type_name(bz_office_kind(o)),
		       bz_office_name(o));
		bz_office_free(o);
	}
	bz_office_iter_free(it);

	printf("武都区编办 renames 武都区教育局 on 武编发〔2015〕8号 (its own county's unit):\n");
	t = begin_as(l, offices[1].name);
	CHECK(bz_txn_set_document(t, demo.doc_wudu));
	CHECK(bz_unit_rename(t, demo.wudu_jiaoyu, "武都区教育和体育局", "2021-07-01"));
	rc = bz_txn_commit(t);
	printf("  commit: %s\n", bz_strerror(rc));
	bz_txn_free(t);

	printf("成县编办 tries to rename 武都区教育和体育局, another county's unit:\n");
	t = begin_as(l, offices[2].name);
	CHECK(bz_txn_set_document(t, demo.doc_wudu));
	CHECK(bz_unit_rename(t, demo.wudu_jiaoyu, "武都区教育局", "2021-08-01"));
	rc = bz_txn_commit(t);
	printf("  commit: %s — %s\n", bz_strerror(rc), bz_ledger_errmsg(l));
	const bz_report *r = bz_txn_report(t);
	for (size_t i = 0; i < bz_report_count(r); i++) {
		const bz_violation *v = bz_report_get(r, i);
		printf("    [%s] %s\n        office %s, unit %s, power %s\n", bz_violation_rule_id(v),
		       bz_violation_message(v), bz_violation_office(v), bz_violation_subject_name(v),
		       bz_violation_category(v));
	}
	bz_txn_free(t);
	bz_ledger_close(l);
}

/* ---- 事业单位法人登记 (registration.h) ---- */

/* in-post staff and establishment of a unit at date (its Table 1 summed over categories) */
static void figures(const char *unit, const char *date, int64_t *staff, int64_t *est)
{
	bz_basic_table *tb = NULL;
	CHECK(bz_basic_table_get(&tb, demo.l, unit, date));
	*staff = *est = 0;
	for (size_t i = 0; i < bz_basic_table_rows(tb); i++) {
		*staff += bz_basic_table_staff(tb, i);
		*est += bz_basic_table_establishment(tb, i);
	}
	bz_basic_table_free(tb);
}

static void file_report(bz_txn *t, const char *unit, int year, const char *filed, int64_t funds, int64_t extra)
{
	char dec31[16];
	int64_t staff, est;
	snprintf(dec31, sizeof dec31, "%d-12-31", year);
	figures(unit, dec31, &staff, &est);
	CHECK(bz_registration_report_file(t, unit, year, filed, staff + extra, est, funds));
}

/*
 * The Longnan institutions registered, one annual report refused (R13). Like
 * the offices, on a backup beside the ledger (PATH.registration), left for a
 * look (`bianzhi registration PATH.registration show 武都区实验中学`): a
 * registration's certificates lapse and its annual reports fall due as the
 * years pass, so the demo ledger itself — checked at today's date by the
 * shell tests — stays without one.
 */
static void registration_demo(const char *ledger_path)
{
	char copy[1024], side[1100];
	snprintf(copy, sizeof copy, "%s.registration", ledger_path);
	unlink(copy);
	snprintf(side, sizeof side, "%s-wal", copy);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", copy);
	unlink(side);
	CHECK(bz_ledger_backup(demo.l, copy));
	bz_ledger *ledger = demo.l;
	CHECK(bz_ledger_open(&demo.l, copy, 0));
	printf("\n== 事业单位法人登记 (registration, seed §10), in %s ==\n", copy);
	/* the city's CDC on the city office's approval; the district's school on the district's */
	bz_txn *t = begin();
	CHECK(bz_txn_set_document(t, demo.doc_city));
	CHECK(bz_registration_found(t, demo.cdc, "2024-01-10", demo.doc_city2, "陇南市疾病预防控制中心",
				    "陇南市武都区长江大道18号", "刘建华", "疾病预防控制、卫生检验检测", 2000000, NULL,
				    BZ_FUNDING_BALANCE, "12621200438582914Y"));
	CHECK(bz_registration_certify(t, demo.cdc, BZ_CERT_ISSUE, "事证第162120000001号", "2024-01-10"));
	commit(t);
	t = begin();
	CHECK(bz_txn_set_document(t, demo.doc_wudu));
	CHECK(bz_registration_found(t, demo.wudu_school, "2024-02-01", demo.doc_wudu, "武都区实验中学",
				    "陇南市武都区东江镇", "马文斌", "初中、高中教育", 500000, NULL, BZ_FUNDING_FULL,
				    "12621202MA74C3P65G"));
	CHECK(bz_registration_certify(t, demo.wudu_school, BZ_CERT_ISSUE, "事证第162120200001号", "2024-02-01"));
	commit(t);
	printf("  registered: 陇南市疾病预防控制中心 (2024-01-10), 武都区实验中学 (2024-02-01), certificates valid five years\n");

	/* the annual reports of 2024 and 2025, each stating the ledger's own figures ... */
	t = begin();
	CHECK(bz_txn_set_document(t, demo.doc_city));
	file_report(t, demo.cdc, 2024, "2025-03-20", 2000000, 0);
	file_report(t, demo.cdc, 2025, "2026-03-18", 2000000, 0);
	commit(t);
	/* ... except the school's first, which states two people more than the ledger has */
	t = begin();
	CHECK(bz_txn_set_document(t, demo.doc_wudu));
	file_report(t, demo.wudu_school, 2024, "2025-03-25", 500000, 2);
	int rc = bz_txn_commit(t);
	printf("  武都区实验中学's annual report of 2024: %s\n", rc == BZ_ECONSTRAINT ? "refused (R13)" : bz_strerror(rc));
	print_report(bz_txn_report(t));
	bz_txn_free(t);
	t = begin();
	CHECK(bz_txn_set_document(t, demo.doc_wudu));
	file_report(t, demo.wudu_school, 2024, "2025-03-28", 500000, 0);
	file_report(t, demo.wudu_school, 2025, "2026-03-27", 500000, 0);
	commit(t);
	printf("  corrected and filed; the reports of 2025 too\n");
	bz_sheet *s = NULL;
	CHECK(bz_sheet_registration(&s, demo.l, "621200", "2026-06-30"));
	printf("  登记率 %s, 年检率 %s (of %s institutions, %s reports due for %s)\n", bz_sheet_cell(s, bz_sheet_rows(s) - 1, 3),
	       bz_sheet_cell(s, bz_sheet_rows(s) - 1, 8), bz_sheet_cell(s, bz_sheet_rows(s) - 1, 1),
	       bz_sheet_cell(s, bz_sheet_rows(s) - 1, 5), bz_sheet_cell(s, bz_sheet_rows(s) - 1, 4));
	bz_sheet_free(s);
	bz_ledger_close(demo.l);
	demo.l = ledger;
}

/* a ledger in a schema of a PostgreSQL server rather than a file */
static int on_server(const char *path)
{
	return strncmp(path, "postgresql://", 13) == 0 || strncmp(path, "postgres://", 11) == 0;
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "longnan.ledger";
	char side[1024], shown[300];
	if (on_server(path)) {
		/* a URI may carry a password: shown is the schema alone */
		const char *schema = strstr(path, "schema=");
		snprintf(shown, sizeof shown, "schema %.*s of a PostgreSQL server",
			 schema ? (int)strcspn(schema + 7, "&#") : 1, schema ? schema + 7 : "?");
	} else {
		snprintf(shown, sizeof shown, "%s", path);
		unlink(path);
		snprintf(side, sizeof side, "%s-wal", path);
		unlink(side);
		snprintf(side, sizeof side, "%s-shm", path);
		unlink(side);
	}
	int rc = bz_ledger_open(&demo.l, path, BZ_OPEN_CREATE);
	if (rc != BZ_OK) {
		/* the library's message names the ledger (a URI without its password) and the cause */
		fprintf(stderr, "longnan: cannot open the ledger: %s (%s)\n", bz_ledger_errmsg(NULL), bz_strerror(rc));
		return 1;
	}
	printf("libbianzhi %s — the Longnan ledger in %s\n\n", bz_version(), shown);

	build_jurisdictions();
	register_documents();
	establish_units();
	rename_and_abolish();
	/* establishment: quota limits, establishment per unit, leadership quotas, sub-units */
	establishment_setup();
	/* staff: people, usage slips, placements, transfers, appointments */
	staff_setup();
	/* archive: a scanned document, the unit's archive as a zip */
	if (on_server(path))
		printf("\n== The archive (电子档案) ==\n  (not on a server yet: the archive's files are kept in a ledger file)\n");
	else
		archive_demo(path);

	print_all_units();
	print_table2(demo.bianban);
	/* establishment: Table 1 of a unit, the quota ledgers */
	print_table1(demo.wudu_jiaoyu);
	print_limit_ledgers();
	/* staff: a unit's roster (Table 3), a management card */
	print_roster(demo.wudu_jiaoyu, "2021-06-30");
	print_card(staff.zhang);
	refused_hire();
	refused_without_certificate();
	refused_change();
	/* establishment: a refused establishment change, the full check */
	refused_establishment();
	/* offices: the Longnan offices on a copy of the ledger, one refusal (R15) */
	/* registration: the institutions registered, one annual report refused;
	 * both on a copy made by bz_ledger_backup, which is for files (a server's: pg_dump) */
	if (on_server(path)) {
		printf("\n== Offices (R15) and 事业单位法人登记 ==\n  (shown on a ledger file: they work on a copy of it)\n");
	} else {
		offices_demo(path);
		registration_demo(path);
	}

	bz_ledger_close(demo.l);
	return 0;
}
