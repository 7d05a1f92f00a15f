/*
 * test_authority.c: the document-authority rules (R6 and friends) — which
 * document a change may rest on:
 *   本级 (seed §13.2): its own jurisdiction's Party committee, government or
 *     establishment office, or a higher one of its own chain; never another
 *     county's or another city's;
 *   一家行文 / 上级机构编制部门 (§1, §13.1): a quota limit only from a higher
 *     establishment office; which issuer kinds a change accepts is data;
 *   副科级以上事业机构 (§5): the city establishment office;
 *   未批先设 (§28): nothing takes effect before its document;
 *   a document's level and standing come from its issuer, not its word;
 *   a rank change re-checks the sub-units (R3); no cycle of supervising units (R7).
 */
#include "staff_fixture.h"

#include <stdlib.h>

static fx F;
/* more offices of the Longnan chain and of others (fx has city_doc, county_doc, business_doc) */
static char wd_party[BZ_UUID_LEN + 1], wd_gov[BZ_UUID_LEN + 1], city_gov[BZ_UUID_LEN + 1];
static char prov_doc[BZ_UUID_LEN + 1], cx_doc[BZ_UUID_LEN + 1], ts_doc[BZ_UUID_LEN + 1];

static void doc_at(bz_txn *t, char *out, const char *issuer, const char *num, const char *date, int level, int kind,
		   const char *jur)
{
	bz_document *d = NULL;
	ck_assert_bz(bz_document_register(&d, t, issuer, num, "关于机构编制事项的通知", date, level, kind, jur));
	memcpy(out, bz_document_uuid(d), BZ_UUID_LEN + 1);
	bz_document_free(d);
}

static void setup(void)
{
	fx_setup(&F);
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_jurisdiction_create(NULL, t, "620500", "天水市", "620000"));
	doc_at(t, wd_party, "中共陇南市武都区委员会", "武发〔2000〕12号", "2000-03-01", BZ_LEVEL_COUNTY, BZ_ISSUER_PARTY, "621202");
	doc_at(t, wd_gov, "陇南市武都区人民政府", "武政发〔2000〕9号", "2000-03-01", BZ_LEVEL_COUNTY, BZ_ISSUER_GOVERNMENT, "621202");
	doc_at(t, city_gov, "陇南市人民政府", "陇政发〔2000〕20号", "2000-03-01", BZ_LEVEL_CITY, BZ_ISSUER_GOVERNMENT, "621200");
	doc_at(t, prov_doc, "甘肃省机构编制委员会", "甘编发〔2000〕8号", "2000-03-01", BZ_LEVEL_PROVINCE, BZ_ISSUER_ESTABLISHMENT, "620000");
	doc_at(t, cx_doc, "成县机构编制委员会", "成编发〔2000〕3号", "2000-03-01", BZ_LEVEL_COUNTY, BZ_ISSUER_ESTABLISHMENT, "621221");
	doc_at(t, ts_doc, "天水市机构编制委员会", "天编发〔2000〕4号", "2000-03-01", BZ_LEVEL_CITY, BZ_ISSUER_ESTABLISHMENT, "620500");
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
}

static void teardown(void) { bz_ledger_close(F.l); }

/* the report's only violation */
static const bz_violation *only(const bz_txn *t)
{
	const bz_report *r = bz_txn_report(t);
	ck_assert_uint_eq(bz_report_count(r), 1);
	return bz_report_get(r, 0);
}

/* every field of a violation; category NULL means "none" */
#define VIO_EQ(v, rule, subject, name, category, allowed, actual, doc, docnum, date)                             \
	do {                                                                                                     \
		const bz_violation *v_ = (v);                                                                    \
		ck_assert_ptr_nonnull(v_);                                                                       \
		ck_assert_int_eq(bz_violation_rule(v_), (rule));                                                 \
		ck_assert_int_eq(bz_violation_severity(v_), BZ_SEVERITY_ERROR);                                  \
		ck_assert_str_eq(bz_violation_subject(v_), (subject));                                           \
		ck_assert_str_eq(bz_violation_subject_name(v_), (name));                                         \
		const char *c_ = (category);                                                                     \
		if (c_)                                                                                          \
			ck_assert_str_eq(bz_violation_category(v_), c_);                                         \
		else                                                                                             \
			ck_assert_ptr_null(bz_violation_category(v_));                                           \
		ck_assert_int_eq(bz_violation_allowed(v_), (allowed));                                           \
		ck_assert_int_eq(bz_violation_actual(v_), (actual));                                             \
		ck_assert_str_eq(bz_violation_document(v_), (doc));                                              \
		ck_assert_str_eq(bz_violation_document_number(v_), (docnum));                                    \
		ck_assert_str_eq(bz_violation_date(v_), (date));                                                 \
		ck_assert_ptr_nonnull(strstr(bz_violation_message(v_), bz_rule_code(rule)));                     \
	} while (0)

/* what a refused commit must leave as it was */
typedef struct counts {
	long long event, fact, unit, document, tl;
} counts;

static counts now(void)
{
	counts c = {tu_count(F.l, "event"), tu_count(F.l, "fact"), tu_count(F.l, "unit"), tu_count(F.l, "document"),
		    tu_count(F.l, "tl")};
	return c;
}

static void unchanged(counts c)
{
	ck_assert_int_eq(tu_count(F.l, "event"), c.event);
	ck_assert_int_eq(tu_count(F.l, "fact"), c.fact);
	ck_assert_int_eq(tu_count(F.l, "unit"), c.unit);
	ck_assert_int_eq(tu_count(F.l, "document"), c.document);
	ck_assert_int_eq(tu_count(F.l, "tl"), c.tl);
}

static void name_is(const char *unit, const char *date, const char *want)
{
	bz_unit *u = NULL;
	ck_assert_bz(bz_unit_lookup(&u, F.l, unit, date));
	ck_assert_str_eq(bz_unit_name(u), want);
	bz_unit_free(u);
}

static int rename_on(const char *doc, const char *unit, const char *name, const char *date)
{
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, doc));
	ck_assert_bz(bz_unit_rename(t, unit, name, date));
	int rc = bz_txn_commit(t);
	bz_txn_free(t);
	return rc;
}

/* ---- 1. 本级文件 (§13.2) ------------------------------------------------------------ */

START_TEST(own_jurisdiction_or_higher_only)
{
	char wd[BZ_UUID_LEN + 1], city[BZ_UUID_LEN + 1];
	ck_assert_bz(fx_unit(&F, wd, F.county_doc, "武都区农牧局", BZ_NATURE_ORGAN, BZ_RANK_ZHENGKE, "621202", "2001-01-01"));
	ck_assert_bz(fx_unit(&F, city, F.city_doc, "陇南市农牧局", BZ_NATURE_ORGAN, BZ_RANK_ZHENGCHU, "621200", "2001-01-01"));
	counts c = now();

	/* another county's establishment office (成县), another city's (天水市): never a basis */
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, cx_doc));
	ck_assert_bz(bz_unit_rename(t, wd, "武都区农业农村局", "2015-01-01"));
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	/* named as the refused change would have named it on that date */
	VIO_EQ(only(t), BZ_RULE_R6, wd, "武都区农业农村局", "本级", -1, -1, cx_doc, "成编发〔2000〕3号", "2015-01-01");
	ck_assert_ptr_nonnull(strstr(bz_violation_message(only(t)), "本级文件"));
	bz_txn_free(t);
	unchanged(c);
	name_is(wd, "2015-01-01", "武都区农牧局");

	t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, ts_doc));
	ck_assert_bz(bz_establishment_set(t, wd, "XZ", 12, "2015-01-01"));
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	VIO_EQ(only(t), BZ_RULE_R6, wd, "武都区农牧局", "本级", -1, -1, ts_doc, "天编发〔2000〕4号", "2015-01-01");
	bz_txn_free(t);
	unchanged(c);
	int64_t est = -1;
	ck_assert_bz(bz_establishment_get(&est, F.l, wd, "XZ", "2015-01-01"));
	ck_assert_int_eq(est, 0);

	/* a lower level's document is no basis for a city unit, even of the county's Party committee */
	t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, wd_party));
	ck_assert_bz(bz_unit_set_duties(t, city, "农牧业发展规划", "2015-01-01"));
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	VIO_EQ(only(t), BZ_RULE_R6, city, "陇南市农牧局", "本级", -1, -1, wd_party, "武发〔2000〕12号", "2015-01-01");
	bz_txn_free(t);
	unchanged(c);

	/* its own county's establishment office, Party committee and government, the city's and the province's */
	ck_assert_bz(rename_on(F.county_doc, wd, "武都区农业局", "2015-01-01"));
	ck_assert_bz(rename_on(wd_party, wd, "武都区农业农村局", "2016-01-01"));
	ck_assert_bz(rename_on(wd_gov, wd, "武都区农业农村和畜牧局", "2017-01-01"));
	ck_assert_bz(rename_on(F.city_doc, wd, "武都区农业农村局", "2018-01-01"));
	ck_assert_bz(rename_on(prov_doc, wd, "武都区农业农村和乡村振兴局", "2019-01-01"));
	ck_assert_bz(rename_on(city_gov, city, "陇南市农业农村局", "2019-01-01"));
	name_is(wd, "2015-06-01", "武都区农业局");
	name_is(wd, "2016-06-01", "武都区农业农村局");
	name_is(wd, "2017-06-01", "武都区农业农村和畜牧局");
	name_is(wd, "2019-06-01", "武都区农业农村和乡村振兴局");
	name_is(city, "2019-06-01", "陇南市农业农村局");
}
END_TEST

/* ---- 2. 一家行文, 上级机构编制部门 (§1, §13.1) ------------------------------------------ */

static int limit_on(const char *doc, const char *jur, int branch, int64_t posts, const char *date)
{
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, doc));
	ck_assert_bz(bz_limit_set(t, jur, branch, posts, date));
	int rc = bz_txn_commit(t);
	bz_txn_free(t);
	return rc;
}

static int64_t limit_of(const char *jur, int branch, const char *date)
{
	bz_limit_ledger *lg = NULL;
	ck_assert_bz(bz_limit_ledger_get(&lg, F.l, jur, date));
	int64_t n = bz_limit_ledger_limit(lg, branch);
	bz_limit_ledger_free(lg);
	return n;
}

static void jur_uuid(char out[BZ_UUID_LEN + 1], const char *code)
{
	bz_jurisdiction *j = NULL;
	ck_assert_bz(bz_jurisdiction_lookup(&j, F.l, code));
	memcpy(out, bz_jurisdiction_uuid(j), BZ_UUID_LEN + 1);
	bz_jurisdiction_free(j);
}

START_TEST(limit_only_from_higher_establishment_office)
{
	char wd[BZ_UUID_LEN + 1];
	jur_uuid(wd, "621202");
	counts c = now();

	/* the city government's document: establishment matters are the establishment office's (一家行文) */
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, city_gov));
	ck_assert_bz(bz_limit_set(t, "621202", 1, 800, "2014-01-01"));
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	VIO_EQ(only(t), BZ_RULE_R6, wd, "621202 武都区", "limit", -1, BZ_ISSUER_GOVERNMENT, city_gov, "陇政发〔2000〕20号",
	       "2014-01-01");
	ck_assert_ptr_nonnull(strstr(bz_violation_message(only(t)), "一家行文"));
	bz_txn_free(t);
	unchanged(c);
	ck_assert_int_eq(limit_of("621202", 1, "2014-01-01"), -1);

	/* the county's own establishment office and a sister county's: not from above */
	const char *same[] = {F.county_doc, cx_doc};
	const char *same_no[] = {"武编发〔2013〕5号", "成编发〔2000〕3号"};
	for (int i = 0; i < 2; i++) {
		t = tu_begin(F.l);
		ck_assert_bz(bz_txn_set_document(t, same[i]));
		ck_assert_bz(bz_limit_set(t, "621202", 2, 3000, "2014-01-01"));
		ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
		VIO_EQ(only(t), BZ_RULE_R6, wd, "621202 武都区", "branch:2", BZ_LEVEL_CITY, BZ_LEVEL_COUNTY, same[i],
		       same_no[i], "2014-01-01");
		ck_assert_ptr_nonnull(strstr(bz_violation_message(only(t)), "不准越权审批"));
		bz_txn_free(t);
		unchanged(c);
	}
	/* another city's establishment office is above the county's level but not in its chain */
	t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, ts_doc));
	ck_assert_bz(bz_limit_set(t, "621202", 2, 3000, "2014-01-01"));
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	VIO_EQ(only(t), BZ_RULE_R6, wd, "621202 武都区", "branch:2", BZ_LEVEL_CITY, BZ_LEVEL_CITY, ts_doc,
	       "天编发〔2000〕4号", "2014-01-01");
	bz_txn_free(t);
	unchanged(c);
	ck_assert_int_eq(limit_of("621202", 2, "2014-01-01"), -1);

	/* the city's and the province's establishment offices may */
	ck_assert_bz(limit_on(F.city_doc, "621202", 1, 800, "2014-01-01"));
	ck_assert_bz(limit_on(prov_doc, "621202", 2, 3000, "2014-01-01"));
	ck_assert_int_eq(limit_of("621202", 1, "2014-01-01"), 800);
	ck_assert_int_eq(limit_of("621202", 2, "2014-01-01"), 3000);
}
END_TEST

/*
 * Which issuer kinds a change accepts is data ("issuers.<action>"), dated:
 * a ledger may let the city government's document set limits from 2015 on;
 * before that date the same document is still refused.
 */
START_TEST(issuer_kinds_are_data)
{
	char *v = NULL;
	ck_assert_bz(bz_rule_param_get(&v, F.l, "issuers.limit", NULL));
	ck_assert_str_eq(v, "1");
	bz_free(v);
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, prov_doc));
	ck_assert_bz(bz_rule_param_set(t, "issuers.limit", "1,3", "2015-01-01"));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	ck_assert_bz(bz_rule_param_get(&v, F.l, "issuers.limit", "2014-12-31"));
	ck_assert_str_eq(v, "1");
	bz_free(v);
	ck_assert_bz(bz_rule_param_get(&v, F.l, "issuers.limit", "2015-01-01"));
	ck_assert_str_eq(v, "1,3");
	bz_free(v);

	char wd[BZ_UUID_LEN + 1];
	jur_uuid(wd, "621202");
	counts c = now();
	t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, city_gov));
	ck_assert_bz(bz_limit_set(t, "621202", 1, 800, "2014-12-31"));
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	VIO_EQ(only(t), BZ_RULE_R6, wd, "621202 武都区", "limit", -1, BZ_ISSUER_GOVERNMENT, city_gov, "陇政发〔2000〕20号",
	       "2014-12-31");
	bz_txn_free(t);
	unchanged(c);
	ck_assert_bz(limit_on(city_gov, "621202", 1, 800, "2015-01-01"));
	ck_assert_int_eq(limit_of("621202", 1, "2015-01-01"), 800);
	/* the kind is opened, not the level: the county government still cannot set its own limit */
	c = now();
	t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, wd_gov));
	ck_assert_bz(bz_limit_set(t, "621202", 1, 900, "2016-01-01"));
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	VIO_EQ(only(t), BZ_RULE_R6, wd, "621202 武都区", "branch:1", BZ_LEVEL_CITY, BZ_LEVEL_COUNTY, wd_gov,
	       "武政发〔2000〕9号", "2016-01-01");
	bz_txn_free(t);
	unchanged(c);
	ck_assert_int_eq(limit_of("621202", 1, "2016-01-01"), 800);
}
END_TEST

/* a unit with establishment, a usage slip on the establishment office's document and a person to hire */
static void staffed_unit(char unit[BZ_UUID_LEN + 1], char slip[BZ_UUID_LEN + 1], char person[BZ_UUID_LEN + 1])
{
	ck_assert_bz(fx_unit(&F, unit, F.county_doc, "武都区统计局", BZ_NATURE_ORGAN, BZ_RANK_ZHENGKE, "621202", "2001-01-01"));
	fx_est(&F, unit, "XZ", 10, "2001-01-01");
	ck_assert_bz(sf_slip(&F, slip, unit, "XZ", 3, "2016-01-01", "2016-12-31"));
	sf_person(&F, person, "赵明", "19880412", 17);
}

static int hire_on(const char *doc, const char *person, const char *unit, const char *slip, const char *date)
{
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, doc));
	ck_assert_bz(bz_placement_enter(NULL, t, person, unit, "XZ", slip, BZ_ENTRY_EXAM, date));
	int rc = bz_txn_commit(t);
	bz_txn_free(t);
	return rc;
}

static int exit_on(const char *doc, const char *person, const char *date)
{
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, doc));
	ck_assert_bz(bz_placement_exit(t, person, BZ_EXIT_RESIGNATION, date));
	int rc = bz_txn_commit(t);
	bz_txn_free(t);
	return rc;
}

/*
 * People: seed §28.2(1) — "涉及实有人员变化的要以组织、人社部门的相关文件材料为依据" —
 * rests a change of the people in post on the organisation and HR
 * departments' papers (Party committee, government), with the establishment
 * office's usage slip (§3, R8). So by default a hire or an exit on the
 * county government's document commits; a ledger whose 出入编 is issued by
 * the establishment office alone (一家行文) says so in "issuers.placement",
 * and from that date the government's document is refused.
 */
START_TEST(people_issuers_are_data)
{
	char unit[BZ_UUID_LEN + 1], slip[BZ_UUID_LEN + 1], zhao[BZ_UUID_LEN + 1], qian[BZ_UUID_LEN + 1];
	staffed_unit(unit, slip, zhao);
	sf_person(&F, qian, "钱丽", "19910205", 28);
	ck_assert_bz(hire_on(wd_gov, zhao, unit, slip, "2016-02-01"));
	ck_assert_bz(exit_on(wd_party, zhao, "2016-05-01"));

	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.city_doc));
	ck_assert_bz(bz_rule_param_set(t, "issuers.placement", "1", "2016-06-01"));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);

	counts c = now();
	long long placements = tu_count(F.l, "placement");
	t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, wd_gov));
	ck_assert_bz(bz_placement_enter(NULL, t, qian, unit, "XZ", slip, BZ_ENTRY_EXAM, "2016-07-01"));
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	VIO_EQ(only(t), BZ_RULE_R6, unit, "武都区统计局", "placement", -1, BZ_ISSUER_GOVERNMENT, wd_gov, "武政发〔2000〕9号",
	       "2016-07-01");
	bz_txn_free(t);
	unchanged(c);
	ck_assert_int_eq(tu_count(F.l, "placement"), placements);

	/* on the establishment office's document she enters; her exit on the government's is refused */
	ck_assert_bz(hire_on(F.county_doc, qian, unit, slip, "2016-07-01"));
	c = now();
	long long exits = tu_count(F.l, "placement_exit");
	t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, wd_gov));
	ck_assert_bz(bz_placement_exit(t, qian, BZ_EXIT_TRANSFER_OUT, "2016-10-01"));
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	VIO_EQ(only(t), BZ_RULE_R6, unit, "武都区统计局", "placement", -1, BZ_ISSUER_GOVERNMENT, wd_gov, "武政发〔2000〕9号",
	       "2016-10-01");
	bz_txn_free(t);
	unchanged(c);
	ck_assert_int_eq(tu_count(F.l, "placement_exit"), exits);
	ck_assert_bz(exit_on(F.county_doc, qian, "2016-10-01"));
	ck_assert_int_eq(tu_count(F.l, "placement_exit"), exits + 1);
}
END_TEST

/* ---- 3. 副科级以上事业机构 (§5) ---------------------------------------------------------- */

START_TEST(fuke_institution_needs_the_city)
{
	char cdc[BZ_UUID_LEN + 1], fy[BZ_UUID_LEN + 1], wj[BZ_UUID_LEN + 1];
	ck_assert_bz(fx_unit(&F, cdc, F.city_doc, "武都区疾病预防控制中心", BZ_NATURE_INSTITUTION, BZ_RANK_FUKE, "621202", "2005-01-01"));
	ck_assert_bz(fx_unit(&F, fy, F.county_doc, "武都区妇幼保健站", BZ_NATURE_INSTITUTION, BZ_RANK_ZHENGGU, "621202", "2005-01-01"));
	ck_assert_bz(fx_unit(&F, wj, F.county_doc, "武都区卫生健康局", BZ_NATURE_ORGAN, BZ_RANK_ZHENGKE, "621202", "2005-01-01"));
	const char *date = "2016-01-01";
	counts c = now();
	const char *num = "武编发〔2013〕5号";

	/* each on the county establishment office's document: 越权审批 */
	for (int i = 0; i < 6; i++) {
		bz_txn *t = tu_begin(F.l);
		ck_assert_bz(bz_txn_set_document(t, F.county_doc));
		const char *subject = cdc, *name = "武都区疾病预防控制中心";
		switch (i) {
		case 0: /* 更名 */
			ck_assert_bz(bz_unit_rename(t, cdc, "武都区公共卫生服务中心", date));
			name = "武都区公共卫生服务中心";
			break;
		case 1: /* 撤销 */
			ck_assert_bz(bz_unit_abolish(t, cdc, date));
			break;
		case 2: /* 职数调整 */
			ck_assert_bz(bz_leadership_set(t, cdc, 1, 2, BZ_RANK_FUKE, date));
			break;
		case 3: /* 提高规格 to 副科 */
			ck_assert_bz(bz_unit_set_rank(t, fy, BZ_RANK_FUKE, date));
			subject = fy;
			name = "武都区妇幼保健站";
			break;
		case 4: /* 撤并: merged into an organ */
			ck_assert_bz(bz_unit_merge(t, cdc, wj, date));
			break;
		case 5: /* 撤并: absorbing a 股-level station */
			ck_assert_bz(bz_unit_merge(t, fy, cdc, date));
			break;
		}
		ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
		const bz_violation *v = only(t);
		VIO_EQ(v, BZ_RULE_R6, subject, name, NULL, BZ_LEVEL_CITY, BZ_LEVEL_COUNTY, F.county_doc, num, date);
		ck_assert_ptr_nonnull(strstr(bz_violation_message(v), "不准越权审批"));
		ck_assert_ptr_nonnull(strstr(bz_violation_message(v), "副科"));
		bz_txn_free(t);
		unchanged(c);
	}
	bz_unit *u = NULL;
	ck_assert_bz(bz_unit_lookup(&u, F.l, cdc, "2016-06-01"));
	ck_assert_str_eq(bz_unit_name(u), "武都区疾病预防控制中心");
	ck_assert_int_eq(bz_unit_status(u), BZ_UNIT_ACTIVE);
	bz_unit_free(u);
	ck_assert_bz(bz_unit_lookup(&u, F.l, fy, "2016-06-01"));
	ck_assert_int_eq(bz_unit_rank(u), BZ_RANK_ZHENGGU);
	ck_assert_int_eq(bz_unit_status(u), BZ_UNIT_ACTIVE);
	bz_unit_free(u);
	bz_leadership *q = NULL;
	ck_assert_bz(bz_leadership_get(&q, F.l, cdc, "2016-06-01"));
	ck_assert_int_eq(bz_leadership_principal_quota(q), 0);
	bz_leadership_free(q);

	/* below 副科 the county decides; its establishment (编制), which §5 does not reserve, too */
	ck_assert_bz(rename_on(F.county_doc, fy, "武都区妇幼保健计划生育服务站", "2015-06-01"));
	fx_est(&F, cdc, "SY", 30, "2015-06-01");

	/* the city establishment office may do every one of them */
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.city_doc));
	ck_assert_bz(bz_unit_rename(t, cdc, "武都区公共卫生服务中心", date));
	ck_assert_bz(bz_leadership_set(t, cdc, 1, 2, BZ_RANK_FUKE, date));
	ck_assert_bz(bz_unit_set_rank(t, fy, BZ_RANK_FUKE, date));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.city_doc));
	ck_assert_bz(bz_unit_merge(t, fy, cdc, "2017-01-01"));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.city_doc));
	ck_assert_bz(bz_establishment_set(t, cdc, "SY", 0, "2018-01-01"));
	ck_assert_bz(bz_unit_abolish(t, cdc, "2018-01-01"));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	ck_assert_bz(bz_unit_lookup(&u, F.l, fy, "2017-06-01"));
	ck_assert_int_eq(bz_unit_status(u), BZ_UNIT_MERGED);
	ck_assert_str_eq(bz_unit_merged_into(u), cdc);
	bz_unit_free(u);
	ck_assert_bz(bz_unit_lookup(&u, F.l, cdc, "2018-06-01"));
	ck_assert_str_eq(bz_unit_name(u), "武都区公共卫生服务中心");
	ck_assert_int_eq(bz_unit_status(u), BZ_UNIT_ABOLISHED);
	bz_unit_free(u);
	ck_assert_bz(bz_leadership_get(&q, F.l, cdc, "2017-06-01"));
	ck_assert_int_eq(bz_leadership_principal_quota(q), 1);
	ck_assert_int_eq(bz_leadership_deputy_quota(q), 2);
	bz_leadership_free(q);
}
END_TEST

/*
 * The authority rule is data, but not the county's to rewrite: a parameter
 * that reserves a level of authority (authority.<action>, exception.R<n>,
 * central_issuers) is changed only by a document of that level or above —
 * else 武都区's office could lift §5 for itself, or make itself "central".
 */
START_TEST(authority_rules_changed_only_from_above)
{
	counts c = now();
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_rule_param_set(t, "authority.establish", "2:9:3", "2016-01-01"));
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	VIO_EQ(only(t), BZ_RULE_R6, "rules", "authority.establish", NULL, BZ_LEVEL_CITY, BZ_LEVEL_COUNTY, F.county_doc,
	       "武编发〔2013〕5号", "2016-01-01");
	ck_assert_ptr_nonnull(strstr(bz_violation_message(only(t)), "不准越权审批"));
	bz_txn_free(t);
	unchanged(c);
	char *v = NULL;
	ck_assert_bz(bz_rule_param_get(&v, F.l, "authority.establish", "2016-01-01"));
	ck_assert_str_eq(v, "2:3:3");
	bz_free(v);
	ck_assert_int_eq(fx_unit(&F, NULL, F.county_doc, "武都区城乡规划服务中心", BZ_NATURE_INSTITUTION, BZ_RANK_FUKE,
				 "621202", "2016-03-01"), BZ_ECONSTRAINT);

	/* nor may it name itself a central issuer */
	char *list = NULL;
	ck_assert_bz(bz_rule_param_get(&list, F.l, "central_issuers", NULL));
	char more[512];
	snprintf(more, sizeof more, "%s;武都区机构编制委员会", list);
	bz_free(list);
	t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_rule_param_set(t, "central_issuers", more, "2016-01-01"));
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	VIO_EQ(only(t), BZ_RULE_R6, "rules", "central_issuers", NULL, BZ_LEVEL_CENTRAL, BZ_LEVEL_COUNTY, F.county_doc,
	       "武编发〔2013〕5号", "2016-01-01");
	bz_txn_free(t);
	unchanged(c);

	/* the city may move its own line: from 2016 only 副处 and above need it, and the county founds a 副科 centre */
	t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.city_doc));
	ck_assert_bz(bz_rule_param_set(t, "authority.establish", "2:5:3", "2016-01-01"));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	ck_assert_bz(fx_unit(&F, NULL, F.county_doc, "武都区城乡规划服务中心", BZ_NATURE_INSTITUTION, BZ_RANK_FUKE, "621202",
			     "2016-03-01"));
	ck_assert_int_eq(fx_unit(&F, NULL, F.county_doc, "武都区城乡建设发展中心", BZ_NATURE_INSTITUTION, BZ_RANK_FUCHU,
				 "621202", "2016-03-01"), BZ_ECONSTRAINT);
	/* nor may the county undo the city's line, not even back to the stricter default: the rule is the city's */
	c = now();
	t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_rule_param_set(t, "authority.establish", NULL, "2017-01-01"));
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	VIO_EQ(only(t), BZ_RULE_R6, "rules", "authority.establish", NULL, BZ_LEVEL_CITY, BZ_LEVEL_COUNTY, F.county_doc,
	       "武编发〔2013〕5号", "2017-01-01");
	bz_txn_free(t);
	unchanged(c);
}
END_TEST

/* ---- 4. 未批先设 (§28) ---------------------------------------------------------------- */

START_TEST(nothing_before_its_document)
{
	char doc[BZ_UUID_LEN + 1];
	bz_txn *t = tu_begin(F.l);
	doc_at(t, doc, "武都区机构编制委员会", "武编发〔2014〕11号", "2014-03-01", BZ_LEVEL_COUNTY, BZ_ISSUER_ESTABLISHMENT,
	       "621202");
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	const char *num = "武编发〔2014〕11号";
	counts c = now();

	/* founded before the document that founds it */
	bz_unit_spec *s = NULL;
	ck_assert_bz(bz_unit_spec_new(&s));
	ck_assert_bz(bz_unit_spec_set_name(s, "武都区政务服务中心"));
	ck_assert_bz(bz_unit_spec_set_nature(s, BZ_NATURE_ORGAN));
	ck_assert_bz(bz_unit_spec_set_rank(s, BZ_RANK_ZHENGKE));
	ck_assert_bz(bz_unit_spec_set_jurisdiction(s, "621202"));
	ck_assert_bz(bz_unit_spec_set_founded(s, "2014-02-28"));
	t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, doc));
	bz_unit *u = NULL;
	ck_assert_bz(bz_unit_establish(&u, t, s));
	char id[BZ_UUID_LEN + 1];
	memcpy(id, bz_unit_uuid(u), sizeof id);
	bz_unit_free(u);
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	VIO_EQ(only(t), BZ_RULE_R6, id, "武都区政务服务中心", "未批先设", -1, -1, doc, num, "2014-02-28");
	bz_txn_free(t);
	unchanged(c);
	ck_assert_int_eq(bz_unit_lookup(&u, F.l, id, NULL), BZ_ENOTFOUND);

	/* on the document's own date it is approved */
	ck_assert_bz(bz_unit_spec_set_founded(s, "2014-03-01"));
	t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, doc));
	ck_assert_bz(bz_unit_establish(&u, t, s));
	memcpy(id, bz_unit_uuid(u), sizeof id);
	bz_unit_free(u);
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	bz_unit_spec_free(s);

	/* an establishment change dated before its document */
	char unit[BZ_UUID_LEN + 1], slip[BZ_UUID_LEN + 1], zhao[BZ_UUID_LEN + 1];
	staffed_unit(unit, slip, zhao);
	c = now();
	t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, doc));
	ck_assert_bz(bz_establishment_set(t, unit, "XZ", 12, "2014-01-01"));
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	VIO_EQ(only(t), BZ_RULE_R6, unit, "武都区统计局", "未批先设", -1, -1, doc, num, "2014-01-01");
	bz_txn_free(t);
	unchanged(c);
	int64_t est = 0;
	ck_assert_bz(bz_establishment_get(&est, F.l, unit, "XZ", "2014-06-01"));
	ck_assert_int_eq(est, 10);
	t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, doc));
	ck_assert_bz(bz_establishment_set(t, unit, "XZ", 12, "2014-03-01"));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	ck_assert_bz(bz_establishment_get(&est, F.l, unit, "XZ", "2014-06-01"));
	ck_assert_int_eq(est, 12);

	/* a hire dated before the document it rests on (the slip itself is valid) */
	char late[BZ_UUID_LEN + 1];
	t = tu_begin(F.l);
	doc_at(t, late, "武都区机构编制委员会", "武编发〔2016〕7号", "2016-04-15", BZ_LEVEL_COUNTY, BZ_ISSUER_ESTABLISHMENT,
	       "621202");
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	c = now();
	long long placements = tu_count(F.l, "placement");
	t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, late));
	ck_assert_bz(bz_placement_enter(NULL, t, zhao, unit, "XZ", slip, BZ_ENTRY_EXAM, "2016-04-14"));
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	VIO_EQ(only(t), BZ_RULE_R6, unit, "武都区统计局", "未批先设", -1, -1, late, "武编发〔2016〕7号", "2016-04-14");
	ck_assert_ptr_nonnull(strstr(bz_violation_message(only(t)), "未批先设"));
	bz_txn_free(t);
	unchanged(c);
	ck_assert_int_eq(tu_count(F.l, "placement"), placements);
	ck_assert_bz(hire_on(late, zhao, unit, slip, "2016-04-15"));
	ck_assert_int_eq(tu_count(F.l, "placement"), placements + 1);
}
END_TEST

/* ---- 5. a document's standing comes from its issuer ----------------------------------- */

/*
 * Register one document in its own transaction; the commit's status, the
 * UUID it had in *out. A refusal must be the registration's own R6 发文机关
 * violation: allowed is the level of the jurisdiction it names (-1 if the
 * ledger knows none), actual the level it declares.
 */
static int register_doc(char out[BZ_UUID_LEN + 1], const char *issuer, const char *num, const char *date, int level,
			int kind, const char *jur, int64_t allowed)
{
	bz_txn *t = tu_begin(F.l);
	doc_at(t, out, issuer, num, date, level, kind, jur);
	int rc = bz_txn_commit(t);
	if (rc == BZ_ECONSTRAINT) {
		VIO_EQ(only(t), BZ_RULE_R6, out, num, "issuer", allowed, level, out, num, date);
		ck_assert_ptr_nonnull(strstr(bz_violation_message(only(t)), "发文机关"));
	}
	bz_txn_free(t);
	return rc;
}

START_TEST(level_from_issuer_not_declaration)
{
	/* 武都区委 declaring itself of city level: refused when it is registered */
	counts c = now();
	char doc[BZ_UUID_LEN + 1];
	ck_assert_int_eq(register_doc(doc, "中共陇南市武都区委员会", "武发〔2014〕3号", "2014-02-01", BZ_LEVEL_CITY,
				      BZ_ISSUER_PARTY, "621202", BZ_LEVEL_COUNTY), BZ_ECONSTRAINT);
	unchanged(c);
	bz_document *d = NULL;
	ck_assert_int_eq(bz_document_lookup(&d, F.l, doc), BZ_ENOTFOUND);
	ck_assert_int_eq(bz_document_find(&d, F.l, "中共陇南市武都区委员会", "武发〔2014〕3号"), BZ_ENOTFOUND);

	/* registered and used at once: refused both as a registration and as the basis of the change */
	char city[BZ_UUID_LEN + 1];
	ck_assert_bz(fx_unit(&F, city, F.city_doc, "陇南市机关事务管理局", BZ_NATURE_ORGAN, BZ_RANK_FUCHU, "621200", "2001-01-01"));
	c = now();
	bz_txn *t = tu_begin(F.l);
	doc_at(t, doc, "中共陇南市武都区委员会", "武发〔2014〕3号", "2014-02-01", BZ_LEVEL_CITY, BZ_ISSUER_PARTY, "621202");
	ck_assert_bz(bz_txn_set_document(t, doc));
	ck_assert_bz(bz_unit_set_duties(t, city, "机关事务管理", "2014-03-01"));
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	const bz_report *r = bz_txn_report(t);
	ck_assert_uint_eq(bz_report_count(r), 2);
	VIO_EQ(bz_report_get(r, 0), BZ_RULE_R6, doc, "武发〔2014〕3号", "issuer", BZ_LEVEL_COUNTY, BZ_LEVEL_CITY, doc,
	       "武发〔2014〕3号", "2014-02-01");
	VIO_EQ(bz_report_get(r, 1), BZ_RULE_R6, city, "陇南市机关事务管理局", "issuer", BZ_LEVEL_COUNTY, BZ_LEVEL_CITY, doc,
	       "武发〔2014〕3号", "2014-03-01");
	bz_txn_free(t);
	unchanged(c);

	/* a jurisdiction the ledger does not know (621299), an office with no jurisdiction at all */
	ck_assert_int_eq(register_doc(doc, "某县机构编制委员会", "某编发〔2014〕1号", "2014-02-01", BZ_LEVEL_COUNTY,
				      BZ_ISSUER_ESTABLISHMENT, "621299", -1), BZ_ECONSTRAINT);
	unchanged(c);
	ck_assert_int_eq(register_doc(doc, "某县机构编制委员会", "某编发〔2014〕2号", "2014-02-01", BZ_LEVEL_COUNTY,
				      BZ_ISSUER_ESTABLISHMENT, NULL, -1), BZ_ECONSTRAINT);
	unchanged(c);
	ck_assert_int_eq(register_doc(doc, "甘肃省机构编制委员会", "甘编发〔2014〕2号", "2014-02-01", BZ_LEVEL_PROVINCE,
				      BZ_ISSUER_ESTABLISHMENT, NULL, -1), BZ_ECONSTRAINT);
	unchanged(c);

	/* the same party committee at its own level is a document like any other */
	ck_assert_bz(register_doc(doc, "中共陇南市武都区委员会", "武发〔2014〕3号", "2014-02-01", BZ_LEVEL_COUNTY,
				  BZ_ISSUER_PARTY, "621202", -1));
	ck_assert_bz(bz_document_lookup(&d, F.l, doc));
	ck_assert_int_eq(bz_document_level(d), BZ_LEVEL_COUNTY);
	bz_document_free(d);
}
END_TEST

/*
 * A central document (no jurisdiction) stands only if its issuer is one the
 * "central_issuers" parameter names: "中央编办", the usual short form, is
 * not on Longnan's list (which has the full name) until a document puts it there.
 */
START_TEST(central_documents_only_from_listed_issuers)
{
	char gs[BZ_UUID_LEN + 1];
	jur_uuid(gs, "620000");
	counts c = now();
	bz_txn *t = tu_begin(F.l);
	char doc[BZ_UUID_LEN + 1];
	doc_at(t, doc, "中央编办", "中编办发〔2015〕30号", "2015-06-01", BZ_LEVEL_CENTRAL, BZ_ISSUER_ESTABLISHMENT, NULL);
	ck_assert_bz(bz_txn_set_document(t, doc));
	ck_assert_bz(bz_limit_set(t, "620000", 1, 90000, "2015-07-01"));
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	const bz_report *r = bz_txn_report(t);
	ck_assert_uint_eq(bz_report_count(r), 2);
	VIO_EQ(bz_report_get(r, 0), BZ_RULE_R6, doc, "中编办发〔2015〕30号", "issuer", -1, BZ_LEVEL_CENTRAL, doc,
	       "中编办发〔2015〕30号", "2015-06-01");
	VIO_EQ(bz_report_get(r, 1), BZ_RULE_R6, gs, "620000 甘肃省", "issuer", -1, BZ_LEVEL_CENTRAL, doc,
	       "中编办发〔2015〕30号", "2015-07-01");
	bz_txn_free(t);
	unchanged(c);
	ck_assert_int_eq(limit_of("620000", 1, "2015-07-01"), -1);

	/* the listed issuer may set a province's limit */
	char zy[BZ_UUID_LEN + 1];
	ck_assert_bz(register_doc(zy, "中央机构编制委员会办公室", "中编办发〔2015〕30号", "2015-06-01", BZ_LEVEL_CENTRAL,
				  BZ_ISSUER_ESTABLISHMENT, NULL, -1));
	ck_assert_bz(limit_on(zy, "620000", 1, 90000, "2015-07-01"));
	ck_assert_int_eq(limit_of("620000", 1, "2015-07-01"), 90000);

	/* the list is data: from 2016 it names the short form too */
	char *list = NULL;
	ck_assert_bz(bz_rule_param_get(&list, F.l, "central_issuers", NULL));
	char more[512];
	snprintf(more, sizeof more, "%s;中央编办", list);
	bz_free(list);
	t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, zy));
	ck_assert_bz(bz_rule_param_set(t, "central_issuers", more, "2016-01-01"));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	c = now();
	ck_assert_int_eq(register_doc(doc, "中央编办", "中编办发〔2015〕41号", "2015-12-01", BZ_LEVEL_CENTRAL,
				      BZ_ISSUER_ESTABLISHMENT, NULL, -1), BZ_ECONSTRAINT);
	unchanged(c);
	ck_assert_bz(register_doc(doc, "中央编办", "中编办发〔2016〕5号", "2016-02-01", BZ_LEVEL_CENTRAL,
				  BZ_ISSUER_ESTABLISHMENT, NULL, -1));
	ck_assert_bz(limit_on(doc, "620000", 2, 400000, "2016-03-01"));
	ck_assert_int_eq(limit_of("620000", 2, "2016-03-01"), 400000);
}
END_TEST

/* ---- 6. a rank change re-checks the sub-units (R3) ------------------------------------ */

START_TEST(lowering_a_unit_rechecks_its_subunits)
{
	char unit[BZ_UUID_LEN + 1], sub[BZ_UUID_LEN + 1];
	ck_assert_bz(fx_unit(&F, unit, F.county_doc, "武都区财政局", BZ_NATURE_ORGAN, BZ_RANK_ZHENGKE, "621202", "2001-01-01"));
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_subunit_approve(t, unit, 3, "2001-01-01"));
	bz_subunit *s = NULL;
	ck_assert_bz(bz_subunit_create(&s, t, unit, "预算股", BZ_RANK_ZHENGGU, "2001-01-01"));
	memcpy(sub, bz_subunit_uuid(s), sizeof sub);
	bz_subunit_free(s);
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	counts c = now();

	const int ranks[] = {BZ_RANK_ZHENGGU, BZ_RANK_FUGU};
	for (int i = 0; i < 2; i++) {
		t = tu_begin(F.l);
		ck_assert_bz(bz_txn_set_document(t, F.county_doc));
		ck_assert_bz(bz_unit_set_rank(t, unit, ranks[i], "2015-01-01"));
		ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
		VIO_EQ(only(t), BZ_RULE_R3, sub, "预算股", NULL, ranks[i] - 1, BZ_RANK_ZHENGGU, F.county_doc, "武编发〔2013〕5号",
		       "2015-01-01");
		ck_assert_ptr_nonnull(strstr(bz_violation_message(only(t)), "内设机构"));
		bz_txn_free(t);
		unchanged(c);
	}
	bz_unit *u = NULL;
	ck_assert_bz(bz_unit_lookup(&u, F.l, unit, "2015-06-01"));
	ck_assert_int_eq(bz_unit_rank(u), BZ_RANK_ZHENGKE);
	bz_unit_free(u);

	/* lowered still above its 股: commits */
	t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_unit_set_rank(t, unit, BZ_RANK_FUKE, "2015-01-01"));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	ck_assert_bz(bz_unit_lookup(&u, F.l, unit, "2015-06-01"));
	ck_assert_int_eq(bz_unit_rank(u), BZ_RANK_FUKE);
	bz_unit_free(u);
}
END_TEST

/* ---- 7. no cycle of supervising units (R7) -------------------------------------------- */

static int parent_on(const char *unit, const char *parent, const char *date)
{
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_unit_set_parent(t, unit, parent, date));
	int rc = bz_txn_commit(t);
	bz_txn_free(t);
	return rc;
}

/* unit under parent from date is refused: a cycle closes on `closes` (the date itself, or later for a change dated back) */
static void refused_cycle(const char *unit, const char *name, const char *parent, const char *date, const char *closes)
{
	counts c = now();
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_unit_set_parent(t, unit, parent, date));
	int rc = bz_txn_commit(t);
	ck_assert_msg(rc == BZ_ECONSTRAINT, "%s under another unit from %s: commit gave %d", name, date, rc);
	const bz_violation *v = only(t);
	VIO_EQ(v, BZ_RULE_R7, unit, name, "parent-cycle", -1, -1, F.county_doc, "武编发〔2013〕5号", closes);
	ck_assert_ptr_nonnull(strstr(bz_violation_message(v), "隶属关系"));
	bz_txn_free(t);
	unchanged(c);
	bz_unit *u = NULL;
	ck_assert_bz(bz_unit_lookup(&u, F.l, unit, date));
	ck_assert(!bz_unit_parent(u) || strcmp(bz_unit_parent(u), parent) != 0);
	bz_unit_free(u);
}

START_TEST(no_cycle_of_supervising_units)
{
	char a[BZ_UUID_LEN + 1], b[BZ_UUID_LEN + 1], c3[BZ_UUID_LEN + 1];
	ck_assert_bz(fx_unit(&F, a, F.county_doc, "武都区农业农村局", BZ_NATURE_ORGAN, BZ_RANK_ZHENGKE, "621202", "2001-01-01"));
	ck_assert_bz(fx_unit(&F, b, F.county_doc, "武都区乡村振兴局", BZ_NATURE_ORGAN, BZ_RANK_FUKE, "621202", "2001-01-01"));
	ck_assert_bz(fx_unit(&F, c3, F.county_doc, "武都区农村经营管理站", BZ_NATURE_INSTITUTION, BZ_RANK_ZHENGGU, "621202", "2001-01-01"));
	ck_assert_bz(parent_on(b, a, "2015-01-01"));
	/* two units under each other */
	refused_cycle(a, "武都区农业农村局", b, "2016-01-01", "2016-01-01");
	/* three: a → c → b → a */
	ck_assert_bz(parent_on(c3, b, "2015-01-01"));
	refused_cycle(a, "武都区农业农村局", c3, "2016-01-01", "2016-01-01");
	/* dated before the chain closes: no cycle on 2010-01-01, but one from 2015 on */
	refused_cycle(a, "武都区农业农村局", b, "2010-01-01", "2015-01-01");
	refused_cycle(a, "武都区农业农村局", c3, "2010-01-01", "2015-01-01");

	/* both halves in one transaction: each change closes the cycle */
	char d[BZ_UUID_LEN + 1], e[BZ_UUID_LEN + 1];
	ck_assert_bz(fx_unit(&F, d, F.county_doc, "武都区林业局", BZ_NATURE_ORGAN, BZ_RANK_ZHENGKE, "621202", "2001-01-01"));
	ck_assert_bz(fx_unit(&F, e, F.county_doc, "武都区林业工作站", BZ_NATURE_INSTITUTION, BZ_RANK_ZHENGGU, "621202", "2001-01-01"));
	counts c = now();
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_unit_set_parent(t, e, d, "2015-01-01"));
	ck_assert_bz(bz_unit_set_parent(t, d, e, "2015-01-01"));
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	const bz_report *r = bz_txn_report(t);
	ck_assert_uint_eq(bz_report_count(r), 2);
	VIO_EQ(bz_report_get(r, 0), BZ_RULE_R7, e, "武都区林业工作站", "parent-cycle", -1, -1, F.county_doc, "武编发〔2013〕5号",
	       "2015-01-01");
	VIO_EQ(bz_report_get(r, 1), BZ_RULE_R7, d, "武都区林业局", "parent-cycle", -1, -1, F.county_doc, "武编发〔2013〕5号",
	       "2015-01-01");
	bz_txn_free(t);
	unchanged(c);

	/* a chain without a cycle commits, and so does moving a unit under another branch of it */
	ck_assert_bz(parent_on(e, d, "2015-01-01"));
	ck_assert_bz(parent_on(c3, a, "2017-01-01"));
	bz_unit *u = NULL;
	ck_assert_bz(bz_unit_lookup(&u, F.l, c3, "2017-06-01"));
	ck_assert_str_eq(bz_unit_parent(u), a);
	bz_unit_free(u);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("authority");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, own_jurisdiction_or_higher_only);
	tcase_add_test(tc, limit_only_from_higher_establishment_office);
	tcase_add_test(tc, issuer_kinds_are_data);
	tcase_add_test(tc, people_issuers_are_data);
	tcase_add_test(tc, fuke_institution_needs_the_city);
	tcase_add_test(tc, authority_rules_changed_only_from_above);
	tcase_add_test(tc, nothing_before_its_document);
	tcase_add_test(tc, level_from_issuer_not_declaration);
	tcase_add_test(tc, central_documents_only_from_listed_issuers);
	tcase_add_test(tc, lowering_a_unit_rechecks_its_subunits);
	tcase_add_test(tc, no_cycle_of_supervising_units);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
