/*
 * test_office.c: who may change what (office.h) — the offices of a
 * ledger, their powers as dated data, and R15 (越权操作) at commit:
 *   a county office on another county's unit and on the city's: refused;
 *   the city office on a county's 副科+ institution where seed §5 gives it
 *     authority (rename, leadership): allowed; elsewhere: refused;
 *   HR granting establishment: refused; HR recording a hire on a slip: allowed;
 *   an unknown office once the ledger has offices: refused;
 *   a ledger without offices: unchanged;
 *   read-only handles write nothing.
 * Every refusal is asserted field by field, and that nothing was written.
 */
#include "staff_fixture.h"

#include <stdlib.h>
#include <unistd.h>

#define CITY "陇南市机构编制委员会办公室"
#define WD "陇南市武都区机构编制委员会办公室"
#define CX "成县机构编制委员会办公室"
#define WD_HR "陇南市武都区人力资源和社会保障局"
#define WD_ORG "中共陇南市武都区委组织部"
#define WD_FIN "陇南市武都区财政局"

static fx F;
static char cx_doc[BZ_UUID_LEN + 1];
/* 陇南市教育局 (organ, 正处), 武都区疾病预防控制中心 (institution, 副科: §5),
 * 武都区教育局 (organ, 正科), 武都区水文站 (institution, 正股), 成县教育局 (organ, 正科) */
static char city_unit[BZ_UUID_LEN + 1], wd_inst[BZ_UUID_LEN + 1], wd_organ[BZ_UUID_LEN + 1];
static char wd_small[BZ_UUID_LEN + 1], cx_unit[BZ_UUID_LEN + 1];
static char office_city[BZ_UUID_LEN + 1], office_wd[BZ_UUID_LEN + 1], office_hr[BZ_UUID_LEN + 1];

/* a Longnan ledger of several counties, its units made before it had offices */
static void setup_units(void)
{
	fx_setup(&F);
	bz_txn *t = tu_begin(F.l);
	bz_document *d = NULL;
	ck_assert_bz(bz_document_register(&d, t, "成县机构编制委员会", "成编发〔2000〕3号", "关于机构编制事项的通知",
					  "2000-03-01", BZ_LEVEL_COUNTY, BZ_ISSUER_ESTABLISHMENT, "621221"));
	memcpy(cx_doc, bz_document_uuid(d), BZ_UUID_LEN + 1);
	bz_document_free(d);
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	ck_assert_bz(fx_unit(&F, city_unit, F.city_doc, "陇南市教育局", BZ_NATURE_ORGAN, BZ_RANK_ZHENGCHU, "621200",
			     "2000-06-01"));
	ck_assert_bz(fx_unit(&F, wd_inst, F.city_doc, "武都区疾病预防控制中心", BZ_NATURE_INSTITUTION, BZ_RANK_FUKE,
			     "621202", "2000-06-01"));
	ck_assert_bz(fx_unit(&F, wd_organ, F.county_doc, "武都区教育局", BZ_NATURE_ORGAN, BZ_RANK_ZHENGKE, "621202",
			     "2000-06-01"));
	ck_assert_bz(fx_unit(&F, wd_small, F.county_doc, "武都区水文站", BZ_NATURE_INSTITUTION, BZ_RANK_ZHENGGU,
			     "621202", "2000-06-01"));
	ck_assert_bz(fx_unit(&F, cx_unit, cx_doc, "成县教育局", BZ_NATURE_ORGAN, BZ_RANK_ZHENGKE, "621221",
			     "2000-06-01"));
	fx_est(&F, wd_organ, "XZ", 10, "2000-06-01");
}

static bz_txn *as(const char *office)
{
	bz_txn *t = NULL;
	ck_assert_bz(bz_txn_begin(&t, F.l, "张三", office));
	return t;
}

static void reg(bz_txn *t, char *out, const char *name, const char *code, int kind)
{
	bz_office *o = NULL;
	ck_assert_bz(bz_office_register(&o, t, name, code, kind));
	if (out)
		memcpy(out, bz_office_uuid(o), BZ_UUID_LEN + 1);
	bz_office_free(o);
}

/* the Longnan offices: the city office registers itself (bootstrap), then those of its counties */
static void setup(void)
{
	setup_units();
	bz_txn *t = as(CITY);
	reg(t, office_city, CITY, "621200", BZ_OFFICE_ESTABLISHMENT);
	reg(t, office_wd, WD, "621202", BZ_OFFICE_ESTABLISHMENT);
	reg(t, NULL, CX, "621221", BZ_OFFICE_ESTABLISHMENT);
	reg(t, office_hr, WD_HR, "621202", BZ_OFFICE_HR);
	reg(t, NULL, WD_ORG, "621202", BZ_OFFICE_ORGANISATION);
	reg(t, NULL, WD_FIN, "621202", BZ_OFFICE_FINANCE);
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
}

static void teardown(void) { bz_ledger_close(F.l); }

/* what a refused commit must leave as it was */
typedef struct counts {
	long long event, fact, unit, office, tl, person, slip, placement;
} counts;

static counts now(void)
{
	counts c = {tu_count(F.l, "event"),  tu_count(F.l, "fact"),   tu_count(F.l, "unit"),
		    tu_count(F.l, "office"), tu_count(F.l, "tl"),     tu_count(F.l, "person"),
		    tu_count(F.l, "slip"),   tu_count(F.l, "placement")};
	return c;
}

static void unchanged(counts c)
{
	counts n = now();
	ck_assert_int_eq(n.event, c.event);
	ck_assert_int_eq(n.fact, c.fact);
	ck_assert_int_eq(n.unit, c.unit);
	ck_assert_int_eq(n.office, c.office);
	ck_assert_int_eq(n.tl, c.tl);
	ck_assert_int_eq(n.person, c.person);
	ck_assert_int_eq(n.slip, c.slip);
	ck_assert_int_eq(n.placement, c.placement);
}

/* the report's only violation */
static const bz_violation *only(const bz_txn *t)
{
	const bz_report *r = bz_txn_report(t);
	ck_assert_uint_eq(bz_report_count(r), 1);
	return bz_report_get(r, 0);
}

/* every field of an R15 violation (subject and name NULL-able); the name is the
 * unit's as the change leaves it on its date (a rename: the new name), as R6 names it */
static void r15_is(const bz_violation *v, const char *office, const char *subject, const char *name,
		   const char *category, const char *doc, const char *docnum, const char *date, const char *in_message)
{
	ck_assert_ptr_nonnull(v);
	ck_assert_int_eq(bz_violation_rule(v), BZ_RULE_R15);
	ck_assert_str_eq(bz_violation_rule_id(v), "R15");
	ck_assert_int_eq(bz_violation_severity(v), BZ_SEVERITY_ERROR);
	ck_assert_str_eq(bz_violation_office(v), office);
	if (subject)
		ck_assert_str_eq(bz_violation_subject(v), subject);
	else
		ck_assert_ptr_null(bz_violation_subject(v));
	if (name)
		ck_assert_str_eq(bz_violation_subject_name(v), name);
	else
		ck_assert_ptr_null(bz_violation_subject_name(v));
	ck_assert_str_eq(bz_violation_category(v), category);
	ck_assert_int_eq(bz_violation_allowed(v), -1);
	ck_assert_int_eq(bz_violation_actual(v), -1);
	if (doc) {
		ck_assert_str_eq(bz_violation_document(v), doc);
		ck_assert_str_eq(bz_violation_document_number(v), docnum);
	} else {
		ck_assert_ptr_null(bz_violation_document(v));
		ck_assert_ptr_null(bz_violation_document_number(v));
	}
	ck_assert_str_eq(bz_violation_date(v), date);
	ck_assert_ptr_null(bz_violation_excepted_by(v));
	ck_assert_ptr_nonnull(strstr(bz_violation_message(v), "R15"));
	ck_assert_ptr_nonnull(strstr(bz_violation_message(v), office));
	if (in_message)
		ck_assert_ptr_nonnull(strstr(bz_violation_message(v), in_message));
}

/* a rename by office on doc: the commit's status (the transaction kept for the caller if keep) */
static int rename_as(bz_txn **keep, const char *office, const char *doc, const char *unit, const char *name)
{
	bz_txn *t = as(office);
	ck_assert_bz(bz_txn_set_document(t, doc));
	ck_assert_bz(bz_unit_rename(t, unit, name, "2020-01-01"));
	int rc = bz_txn_commit(t);
	if (keep)
		*keep = t;
	else
		bz_txn_free(t);
	return rc;
}

static void name_is(const char *unit, const char *want)
{
	bz_unit *u = NULL;
	ck_assert_bz(bz_unit_lookup(&u, F.l, unit, NULL));
	ck_assert_str_eq(bz_unit_name(u), want);
	bz_unit_free(u);
}

/* ---- scope --------------------------------------------------------------------------- */

START_TEST(county_office_on_another_county)
{
	counts c = now();
	bz_txn *t = NULL;
	/* 成县's own document: R6 has nothing to say; the acting office is 武都区's */
	ck_assert_int_eq(rename_as(&t, WD, cx_doc, cx_unit, "成县教育和体育局"), BZ_ECONSTRAINT);
	r15_is(only(t), WD, cx_unit, "成县教育和体育局", "structure", cx_doc, "成编发〔2000〕3号", "2020-01-01", "621221");
	bz_txn_free(t);
	unchanged(c);
	name_is(cx_unit, "成县教育局");
	/* and its own office may */
	ck_assert_bz(rename_as(NULL, CX, cx_doc, cx_unit, "成县教育和体育局"));
	name_is(cx_unit, "成县教育和体育局");
}
END_TEST

START_TEST(county_office_on_the_city)
{
	counts c = now();
	bz_txn *t = NULL;
	ck_assert_int_eq(rename_as(&t, WD, F.city_doc, city_unit, "陇南市教育和体育局"), BZ_ECONSTRAINT);
	r15_is(only(t), WD, city_unit, "陇南市教育和体育局", "structure", F.city_doc, "陇编发〔2012〕31号", "2020-01-01",
	       "outside its scope");
	bz_txn_free(t);
	unchanged(c);
	/* nor the city's establishment */
	t = as(WD);
	ck_assert_bz(bz_txn_set_document(t, F.city_doc));
	ck_assert_bz(bz_establishment_set(t, city_unit, "XZ", 30, "2020-01-01"));
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	r15_is(only(t), WD, city_unit, "陇南市教育局", "establishment", F.city_doc, "陇编发〔2012〕31号", "2020-01-01",
	       "621200");
	bz_txn_free(t);
	unchanged(c);
	ck_assert_bz(rename_as(NULL, CITY, F.city_doc, city_unit, "陇南市教育和体育局"));
}
END_TEST

/* seed §5: 副科级以上事业机构成立、撤并、更名及职数调整必须报市编办审核审批 */
START_TEST(city_office_on_a_county_fuke_institution)
{
	/* renaming and re-quota-ing (领导职数) a county's 副科 institution: the city's to do */
	ck_assert_bz(rename_as(NULL, CITY, F.city_doc, wd_inst, "武都区疾病预防控制中心（卫生监督所）"));
	name_is(wd_inst, "武都区疾病预防控制中心（卫生监督所）");
	bz_txn *t = as(CITY);
	ck_assert_bz(bz_txn_set_document(t, F.city_doc));
	ck_assert_bz(bz_leadership_set(t, wd_inst, 1, 1, 0, "2020-01-01"));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	/* the same office abolishing it would be allowed too; founding one in a county as well */
	char fresh[BZ_UUID_LEN + 1];
	bz_unit_spec *s = NULL;
	ck_assert_bz(bz_unit_spec_new(&s));
	ck_assert_bz(bz_unit_spec_set_name(s, "武都区妇幼保健院"));
	ck_assert_bz(bz_unit_spec_set_nature(s, BZ_NATURE_INSTITUTION));
	ck_assert_bz(bz_unit_spec_set_rank(s, BZ_RANK_FUKE));
	ck_assert_bz(bz_unit_spec_set_jurisdiction(s, "621202"));
	ck_assert_bz(bz_unit_spec_set_founded(s, "2020-01-01"));
	t = as(CITY);
	ck_assert_bz(bz_txn_set_document(t, F.city_doc));
	bz_unit *u = NULL;
	ck_assert_bz(bz_unit_establish(&u, t, s));
	memcpy(fresh, bz_unit_uuid(u), BZ_UUID_LEN + 1);
	bz_unit_free(u);
	bz_unit_spec_free(s);
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	name_is(fresh, "武都区妇幼保健院");
}
END_TEST

START_TEST(city_office_where_seed_5_gives_it_none)
{
	counts c = now();
	bz_txn *t = NULL;
	/* a county organ: the county's own business */
	ck_assert_int_eq(rename_as(&t, CITY, F.city_doc, wd_organ, "武都区教育和体育局"), BZ_ECONSTRAINT);
	r15_is(only(t), CITY, wd_organ, "武都区教育和体育局", "structure", F.city_doc, "陇编发〔2012〕31号", "2020-01-01",
	       "outside its scope");
	bz_txn_free(t);
	unchanged(c);
	/* an institution below 副科 */
	ck_assert_int_eq(rename_as(&t, CITY, F.city_doc, wd_small, "武都区水文水资源站"), BZ_ECONSTRAINT);
	r15_is(only(t), CITY, wd_small, "武都区水文水资源站", "structure", F.city_doc, "陇编发〔2012〕31号", "2020-01-01",
	       "621202");
	bz_txn_free(t);
	unchanged(c);
	/* the establishment (编制) of a 副科 institution: §5 names founding, merging, renaming, 职数 — not 编制 */
	t = as(CITY);
	ck_assert_bz(bz_txn_set_document(t, F.city_doc));
	ck_assert_bz(bz_establishment_set(t, wd_inst, "SY", 12, "2020-01-01"));
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	r15_is(only(t), CITY, wd_inst, "武都区疾病预防控制中心", "establishment", F.city_doc, "陇编发〔2012〕31号",
	       "2020-01-01", NULL);
	bz_txn_free(t);
	unchanged(c);
	/* nor a county unit's usage slip */
	t = as(CITY);
	ck_assert_bz(bz_txn_set_document(t, F.city_doc));
	ck_assert_bz(bz_slip_issue(NULL, t, wd_organ, "XZ", 1, BZ_PURPOSE_RECRUIT, "2020-01-01", "2020-06-30", NULL));
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	r15_is(only(t), CITY, wd_organ, "武都区教育局", "slip", F.city_doc, "陇编发〔2012〕31号", "2020-01-01", NULL);
	bz_txn_free(t);
	unchanged(c);
	/* but a county's quota limit, granted from above, is the city's */
	t = as(CITY);
	ck_assert_bz(bz_txn_set_document(t, F.city_doc));
	ck_assert_bz(bz_limit_set(t, "621202", 1, 500, "2020-01-01"));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
}
END_TEST

/* ---- organisation, HR, finance --------------------------------------------------------- */

START_TEST(hr_cannot_grant_establishment)
{
	counts c = now();
	bz_txn *t = as(WD_HR);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_establishment_set(t, wd_organ, "XZ", 12, "2020-01-01"));
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	r15_is(only(t), WD_HR, wd_organ, "武都区教育局", "establishment", F.county_doc, "武编发〔2013〕5号", "2020-01-01",
	       "may not make establishment changes");
	bz_txn_free(t);
	unchanged(c);
	/* nor issue the slip it hires on, nor found a unit's sub-unit quota */
	t = as(WD_HR);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_slip_issue(NULL, t, wd_organ, "XZ", 1, BZ_PURPOSE_RECRUIT, "2020-01-01", "2020-06-30", NULL));
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	r15_is(only(t), WD_HR, wd_organ, "武都区教育局", "slip", F.county_doc, "武编发〔2013〕5号", "2020-01-01", "人社");
	bz_txn_free(t);
	unchanged(c);
	/* finance and the organisation department alike */
	t = as(WD_FIN);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_leadership_set(t, wd_organ, 1, 2, 0, "2020-01-01"));
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	r15_is(only(t), WD_FIN, wd_organ, "武都区教育局", "leadership", F.county_doc, "武编发〔2013〕5号", "2020-01-01",
	       "财政");
	bz_txn_free(t);
	unchanged(c);
}
END_TEST

START_TEST(hr_records_a_hire_against_a_slip)
{
	/* the establishment office issues the slip (核编在先) */
	char slip[BZ_UUID_LEN + 1];
	bz_txn *t = as(WD);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	bz_slip *s = NULL;
	ck_assert_bz(bz_slip_issue(&s, t, wd_organ, "XZ", 1, BZ_PURPOSE_RECRUIT, "2020-01-01", "2020-06-30", NULL));
	memcpy(slip, bz_slip_uuid(s), BZ_UUID_LEN + 1);
	bz_slip_free(s);
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	/* HR registers the person and records the hire the slip allows */
	char id[19];
	sf_idnum(id, "621202", "19950301", 12);
	t = as(WD_HR);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	bz_person *p = NULL;
	ck_assert_bz(bz_person_register(&p, t, id, "李四", 0, NULL));
	ck_assert_bz(bz_placement_enter(NULL, t, bz_person_uuid(p), wd_organ, "XZ", slip, BZ_ENTRY_RECRUIT, "2020-02-01"));
	bz_person_free(p);
	ck_assert_bz(bz_txn_commit(t));
	ck_assert_uint_eq(bz_report_errors(bz_txn_report(t)), 0);
	bz_txn_free(t);
	ck_assert_int_eq(tu_count(F.l, "placement"), 1);
	/* but not in another county's unit, even with a slip of its own office */
	counts c = now();
	t = as(WD_HR);
	ck_assert_bz(bz_txn_set_document(t, cx_doc));
	ck_assert_bz(bz_establishment_set(t, cx_unit, "XZ", 5, "2020-01-01"));
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	r15_is(only(t), WD_HR, cx_unit, "成县教育局", "establishment", cx_doc, "成编发〔2000〕3号", "2020-01-01", NULL);
	bz_txn_free(t);
	unchanged(c);
}
END_TEST

/* ---- unknown offices, legacy ledgers, the first office ------------------------------------ */

START_TEST(unknown_office_refused_once_offices_exist)
{
	counts c = now();
	bz_txn *t = NULL;
	ck_assert_int_eq(rename_as(&t, "测试编办", F.county_doc, wd_organ, "武都区教育和体育局"), BZ_ECONSTRAINT);
	r15_is(only(t), "测试编办", NULL, "测试编办", "office", NULL, NULL, "2026-12-01", "not an office of this ledger");
	bz_txn_free(t);
	unchanged(c);
	/* a transaction that writes nothing is no change to judge */
	t = as("测试编办");
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	/* the name must match exactly */
	ck_assert_int_eq(rename_as(&t, "武都区编办", F.county_doc, wd_organ, "武都区教育和体育局"), BZ_ECONSTRAINT);
	ck_assert_int_eq(bz_violation_rule(only(t)), BZ_RULE_R15);
	bz_txn_free(t);
	unchanged(c);
}
END_TEST

START_TEST(legacy_ledger_without_offices)
{
	setup_units();
	bz_office_iter *it = NULL;
	bz_office *o = NULL;
	ck_assert_bz(bz_office_list(&it, F.l, NULL));
	ck_assert_int_eq(bz_office_iter_next(&o, it), BZ_ITEROVER);
	bz_office_iter_free(it);
	/* any office text writes anything, as before 1.2 */
	ck_assert_bz(rename_as(NULL, "随便什么办公室", cx_doc, cx_unit, "成县教育和体育局"));
	ck_assert_bz(rename_as(NULL, WD, F.city_doc, city_unit, "陇南市教育和体育局"));
	name_is(city_unit, "陇南市教育和体育局");
	/* and the records keep the text */
	bz_report *r = NULL;
	ck_assert_bz(bz_ledger_check(&r, F.l, NULL));
	ck_assert_ptr_null(fx_find(r, BZ_RULE_R15, 0));
	bz_report_free(r);
	bz_ledger_close(F.l);
}
END_TEST

START_TEST(the_first_office)
{
	setup_units();
	counts c = now();
	/* registered by a transaction acting under another name: unknown */
	bz_txn *t = as("测试编办");
	ck_assert_bz(bz_office_register(NULL, t, CITY, "621200", BZ_OFFICE_ESTABLISHMENT));
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	r15_is(only(t), "测试编办", NULL, "测试编办", "office", NULL, NULL, "2026-12-01", NULL);
	bz_txn_free(t);
	unchanged(c);
	/* an HR office cannot be the first: it has no power over offices */
	t = as(WD_HR);
	char hr[BZ_UUID_LEN + 1];
	reg(t, hr, WD_HR, "621202", BZ_OFFICE_HR);
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	r15_is(only(t), WD_HR, hr, NULL, "office", NULL, NULL, "2026-12-01", "may not make office changes");
	bz_txn_free(t);
	unchanged(c);
	/* the county office registers itself, then cannot register another county's */
	t = as(WD);
	reg(t, NULL, WD, "621202", BZ_OFFICE_ESTABLISHMENT);
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	c = now();
	t = as(WD);
	char cx[BZ_UUID_LEN + 1];
	reg(t, cx, CX, "621221", BZ_OFFICE_ESTABLISHMENT);
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	r15_is(only(t), WD, cx, NULL, "office", NULL, NULL, "2026-12-01", "outside its scope");
	bz_txn_free(t);
	unchanged(c);
	bz_ledger_close(F.l);
}
END_TEST

START_TEST(register_and_read_offices)
{
	bz_office *o = NULL;
	ck_assert_bz(bz_office_lookup(&o, F.l, office_hr));
	ck_assert_str_eq(bz_office_uuid(o), office_hr);
	ck_assert_str_eq(bz_office_name(o), WD_HR);
	ck_assert_str_eq(bz_office_jurisdiction(o), "621202");
	ck_assert_int_eq(bz_office_kind(o), BZ_OFFICE_HR);
	ck_assert_int_eq(bz_office_level(o), BZ_LEVEL_COUNTY);
	ck_assert_str_eq(bz_office_registered(o), "2026-12-01");
	bz_office_free(o);
	ck_assert_bz(bz_office_find(&o, F.l, CITY));
	ck_assert_str_eq(bz_office_uuid(o), office_city);
	ck_assert_int_eq(bz_office_level(o), BZ_LEVEL_CITY);
	bz_office_free(o);
	ck_assert_int_eq(bz_office_find(&o, F.l, "陇南市编办"), BZ_ENOTFOUND);
	ck_assert_ptr_null(o);
	/* the offices of 武都区, in order of registration */
	static const char *const want[] = {WD, WD_HR, WD_ORG, WD_FIN};
	bz_office_iter *it = NULL;
	ck_assert_bz(bz_office_list(&it, F.l, "621202"));
	for (size_t i = 0; i < 4; i++) {
		ck_assert_bz(bz_office_iter_next(&o, it));
		ck_assert_str_eq(bz_office_name(o), want[i]);
		bz_office_free(o);
	}
	ck_assert_int_eq(bz_office_iter_next(&o, it), BZ_ITEROVER);
	bz_office_iter_free(it);
	ck_assert_bz(bz_office_list(&it, F.l, NULL));
	size_t n = 0;
	while (bz_office_iter_next(&o, it) == BZ_OK) {
		n++;
		bz_office_free(o);
	}
	bz_office_iter_free(it);
	ck_assert_uint_eq(n, 6);
	/* bad input: clear errors, nothing written */
	counts c = now();
	bz_txn *t = as(CITY);
	ck_assert_int_eq(bz_office_register(&o, t, WD, "621202", BZ_OFFICE_ESTABLISHMENT), BZ_EEXISTS);
	ck_assert_ptr_null(o);
	ck_assert_int_eq(bz_office_register(&o, t, "陇南市审计局", "621202", 5), BZ_EINVAL);
	ck_assert_ptr_nonnull(strstr(bz_ledger_errmsg(F.l), "kind of office"));
	ck_assert_int_eq(bz_office_register(&o, t, "陇南市审计局", "621202", 0), BZ_EINVAL);
	ck_assert_int_eq(bz_office_register(&o, t, "", "621202", BZ_OFFICE_HR), BZ_EINVAL);
	ck_assert_int_eq(bz_office_register(&o, t, NULL, "621202", BZ_OFFICE_HR), BZ_EINVAL);
	ck_assert_int_eq(bz_office_register(&o, t, "\xff\xfe", "621202", BZ_OFFICE_HR), BZ_EINVAL);
	char longname[BZ_OFFICE_NAME_MAX + 2];
	memset(longname, 'a', sizeof longname - 1);
	longname[sizeof longname - 1] = '\0';
	ck_assert_int_eq(bz_office_register(&o, t, longname, "621202", BZ_OFFICE_HR), BZ_EINVAL);
	longname[BZ_OFFICE_NAME_MAX] = '\0';
	ck_assert_int_eq(bz_office_register(&o, t, "陇南市审计局", "62120", BZ_OFFICE_HR), BZ_EINVAL);
	ck_assert_int_eq(bz_office_register(&o, t, "天水市编办", "620500", BZ_OFFICE_HR), BZ_ENOTFOUND);
	ck_assert_int_eq(bz_office_register(&o, NULL, "陇南市审计局", "621202", BZ_OFFICE_HR), BZ_EINVAL);
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	unchanged(c);
	ck_assert_int_eq(bz_office_lookup(&o, F.l, "not-a-uuid"), BZ_EINVAL);
	ck_assert_int_eq(bz_office_lookup(&o, F.l, "8d2c6a3e-5b1f-4c7a-9e0d-2f4b6c8a1e3d"), BZ_ENOTFOUND);
	ck_assert_int_eq(bz_office_lookup(NULL, F.l, office_hr), BZ_EINVAL);
	ck_assert_int_eq(bz_office_lookup(&o, NULL, office_hr), BZ_EINVAL);
	ck_assert_int_eq(bz_office_list(&it, F.l, "abc"), BZ_EINVAL);
	ck_assert_int_eq(bz_office_find(&o, F.l, longname), BZ_ENOTFOUND);
	/* codes and names of the kinds and powers */
	ck_assert_str_eq(bz_office_type_code(BZ_OFFICE_HR), "hr");
	ck_assert_str_eq(bz_office_type_name(BZ_OFFICE_ORGANISATION), "组织部");
	ck_assert_ptr_null(bz_office_type_code(0));
	ck_assert_ptr_null(bz_office_type_name(5));
	ck_assert_str_eq(bz_power_code(BZ_POWER_PLACEMENT), "placement");
	ck_assert_str_eq(bz_power_code(BZ_POWER_OFFICE), "office");
	ck_assert_ptr_null(bz_power_code(11));
	ck_assert_str_eq(bz_rule_code(BZ_RULE_R15), "R15");
	ck_assert_ptr_nonnull(strstr(bz_rule_seed_clause(BZ_RULE_R15), "§5"));
}
END_TEST

START_TEST(begin_as_a_registered_office)
{
	bz_txn *t = NULL;
	ck_assert_bz(bz_txn_begin_office(&t, F.l, "王五", office_wd));
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_unit_rename(t, wd_organ, "武都区教育和体育局", "2020-01-01"));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	/* the change record names the office */
	bz_st *st = NULL;
	ck_assert_int_eq(bz_store_prepare(F.l->store, &st, "SELECT count(*) FROM txn_log WHERE office=?1 AND recorded_by=?2"),
			 SQLITE_OK);
	bz_st_bind_text_static(st, 1, WD, -1);
	bz_st_bind_text_static(st, 2, "王五", -1);
	ck_assert_int_eq(bz_st_step(st), SQLITE_ROW);
	ck_assert_int_eq(bz_st_column_int(st, 0), 1);
	bz_st_finalize(st);
	ck_assert_int_eq(bz_txn_begin_office(&t, F.l, "王五", "8d2c6a3e-5b1f-4c7a-9e0d-2f4b6c8a1e3d"), BZ_ENOTFOUND);
	ck_assert_ptr_null(t);
	ck_assert_int_eq(bz_txn_begin_office(&t, F.l, "王五", "武都区编办"), BZ_EINVAL);
	ck_assert_int_eq(bz_txn_begin_office(&t, F.l, "", office_wd), BZ_EINVAL);
	ck_assert_int_eq(bz_txn_begin_office(&t, F.l, "王五", NULL), BZ_EINVAL);
	ck_assert_int_eq(bz_txn_begin_office(NULL, F.l, "王五", office_wd), BZ_EINVAL);
	ck_assert_int_eq(bz_txn_begin_office(&t, NULL, "王五", office_wd), BZ_EINVAL);
}
END_TEST

/* ---- the powers as dated data ---------------------------------------------------------- */

START_TEST(powers_are_dated_data)
{
	int allowed = -1;
	/* the defaults: seed §1, §3 */
	static const struct {
		int kind, power, allowed;
	} defaults[] = {
		{BZ_OFFICE_ESTABLISHMENT, BZ_POWER_STRUCTURE, 1}, {BZ_OFFICE_ESTABLISHMENT, BZ_POWER_OFFICE, 1},
		{BZ_OFFICE_HR, BZ_POWER_PLACEMENT, 1},            {BZ_OFFICE_HR, BZ_POWER_PERSON, 1},
		{BZ_OFFICE_HR, BZ_POWER_ESTABLISHMENT, 0},        {BZ_OFFICE_HR, BZ_POWER_SLIP, 0},
		{BZ_OFFICE_HR, BZ_POWER_APPOINTMENT, 0},          {BZ_OFFICE_ORGANISATION, BZ_POWER_APPOINTMENT, 1},
		{BZ_OFFICE_FINANCE, BZ_POWER_PLACEMENT, 1},       {BZ_OFFICE_FINANCE, BZ_POWER_DOCUMENT, 0},
	};
	for (size_t i = 0; i < sizeof defaults / sizeof defaults[0]; i++) {
		ck_assert_bz(bz_office_power_get(&allowed, F.l, defaults[i].kind, defaults[i].power, NULL));
		ck_assert_int_eq(allowed, defaults[i].allowed);
	}
	/* a county office cannot widen HR's powers: reserved to the city (R6) */
	counts c = now();
	bz_txn *t = as(WD);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_office_power_set(t, BZ_OFFICE_HR, BZ_POWER_SLIP, 1, "2021-01-01"));
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	const bz_violation *v = only(t);
	ck_assert_int_eq(bz_violation_rule(v), BZ_RULE_R6);
	ck_assert_str_eq(bz_violation_subject_name(v), "power.hr.slip");
	ck_assert_int_eq(bz_violation_allowed(v), BZ_LEVEL_CITY);
	ck_assert_int_eq(bz_violation_actual(v), BZ_LEVEL_COUNTY);
	ck_assert_ptr_null(bz_violation_office(v));
	bz_txn_free(t);
	unchanged(c);
	/* nor can HR itself, on the city's document: R15 */
	t = as(WD_HR);
	ck_assert_bz(bz_txn_set_document(t, F.city_doc));
	ck_assert_bz(bz_office_power_set(t, BZ_OFFICE_HR, BZ_POWER_SLIP, 1, "2021-01-01"));
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	r15_is(only(t), WD_HR, "rules", NULL, "rules", F.city_doc, "陇编发〔2012〕31号", "2021-01-01", NULL);
	bz_txn_free(t);
	unchanged(c);
	/* the city office can, from a date on */
	t = as(CITY);
	ck_assert_bz(bz_txn_set_document(t, F.city_doc));
	ck_assert_bz(bz_office_power_set(t, BZ_OFFICE_HR, BZ_POWER_SLIP, 1, "2021-01-01"));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	ck_assert_bz(bz_office_power_get(&allowed, F.l, BZ_OFFICE_HR, BZ_POWER_SLIP, "2020-12-31"));
	ck_assert_int_eq(allowed, 0);
	ck_assert_bz(bz_office_power_get(&allowed, F.l, BZ_OFFICE_HR, BZ_POWER_SLIP, "2021-01-01"));
	ck_assert_int_eq(allowed, 1);
	/* and HR now issues slips (judged on the day it records: the ledger's today) */
	t = as(WD_HR);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_slip_issue(NULL, t, wd_organ, "XZ", 1, BZ_PURPOSE_RECRUIT, "2021-02-01", "2021-06-30", NULL));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	/* bad input */
	t = as(CITY);
	ck_assert_int_eq(bz_office_power_set(t, 0, BZ_POWER_SLIP, 1, "2021-01-01"), BZ_EINVAL);
	ck_assert_int_eq(bz_office_power_set(t, BZ_OFFICE_HR, 11, 1, "2021-01-01"), BZ_EINVAL);
	ck_assert_int_eq(bz_office_power_set(t, BZ_OFFICE_HR, BZ_POWER_SLIP, 2, "2021-01-01"), BZ_EINVAL);
	ck_assert_int_eq(bz_office_power_set(t, BZ_OFFICE_HR, BZ_POWER_SLIP, 1, "2021-02-30"), BZ_EINVAL);
	ck_assert_int_eq(bz_office_power_set(t, BZ_OFFICE_HR, BZ_POWER_SLIP, 1, NULL), BZ_EINVAL);
	ck_assert_int_eq(bz_rule_param_set(t, "power.hr.payroll", "1", "2021-01-01"), BZ_EINVAL);
	ck_assert_int_eq(bz_rule_param_set(t, "power.hr.slip", "yes", "2021-01-01"), BZ_EINVAL);
	ck_assert_bz(bz_txn_rollback(t));
	bz_txn_free(t);
	ck_assert_int_eq(bz_office_power_get(&allowed, F.l, 9, BZ_POWER_SLIP, NULL), BZ_EINVAL);
	ck_assert_int_eq(bz_office_power_get(&allowed, F.l, BZ_OFFICE_HR, 0, NULL), BZ_EINVAL);
	ck_assert_int_eq(bz_office_power_get(&allowed, F.l, BZ_OFFICE_HR, BZ_POWER_SLIP, "2021-13-01"), BZ_EINVAL);
	ck_assert_int_eq(bz_office_power_get(NULL, F.l, BZ_OFFICE_HR, BZ_POWER_SLIP, NULL), BZ_EINVAL);
}
END_TEST

/* the self-inspection does not judge past changes again (office.h) */
START_TEST(self_inspection_does_not_rejudge)
{
	/* records made before the offices, under free-text names, and a power taken away since */
	bz_txn *t = as(CITY);
	ck_assert_bz(bz_txn_set_document(t, F.city_doc));
	ck_assert_bz(bz_office_power_set(t, BZ_OFFICE_ESTABLISHMENT, BZ_POWER_STRUCTURE, 0, "2026-12-01"));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	bz_report *r = NULL;
	ck_assert_bz(bz_ledger_check(&r, F.l, NULL));
	ck_assert_ptr_null(fx_find(r, BZ_RULE_R15, 0));
	bz_report_free(r);
	/* from today the county office may no longer rename */
	counts c = now();
	ck_assert_int_eq(rename_as(&t, WD, F.county_doc, wd_organ, "武都区教育和体育局"), BZ_ECONSTRAINT);
	r15_is(only(t), WD, wd_organ, "武都区教育和体育局", "structure", F.county_doc, "武编发〔2013〕5号", "2020-01-01",
	       "may not make structure changes");
	bz_txn_free(t);
	unchanged(c);
}
END_TEST

/* ---- read-only handles ---------------------------------------------------------------- */

START_TEST(read_only_handles_write_nothing)
{
	char path[256];
	snprintf(path, sizeof path, "%s", tu_tmpfile("office-ro"));
	bz_ledger *l = NULL;
	ck_assert_bz(bz_ledger_open(&l, path, BZ_OPEN_CREATE));
	bz_txn *t = NULL;
	ck_assert_bz(bz_txn_begin(&t, l, "张三", CITY));
	ck_assert_bz(bz_jurisdiction_create(NULL, t, "620000", "甘肃省", NULL));
	ck_assert_bz(bz_jurisdiction_create(NULL, t, "621200", "陇南市", "620000"));
	bz_office *o = NULL;
	ck_assert_bz(bz_office_register(&o, t, CITY, "621200", BZ_OFFICE_ESTABLISHMENT));
	char uuid[BZ_UUID_LEN + 1];
	memcpy(uuid, bz_office_uuid(o), sizeof uuid);
	bz_office_free(o);
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	ck_assert_bz(bz_ledger_close(l));
	char backup[300];
	snprintf(backup, sizeof backup, "%s.bak", path);
	unlink(backup);

	ck_assert_bz(bz_ledger_open(&l, path, BZ_OPEN_READONLY));
	t = NULL;
	ck_assert_int_eq(bz_txn_begin(&t, l, "张三", CITY), BZ_EIO);
	ck_assert_ptr_null(t);
	ck_assert_ptr_nonnull(strstr(bz_ledger_errmsg(l), "read-only"));
	ck_assert_int_eq(bz_txn_begin_office(&t, l, "张三", uuid), BZ_EIO);
	ck_assert_ptr_null(t);
	ck_assert_int_eq(bz_ledger_restore(l, path), BZ_EIO);
	/* what takes a transaction cannot be reached without one */
	ck_assert_int_eq(bz_office_register(&o, NULL, "陇南市人社局", "621200", BZ_OFFICE_HR), BZ_EINVAL);
	ck_assert_int_eq(bz_office_power_set(NULL, BZ_OFFICE_HR, BZ_POWER_SLIP, 1, "2021-01-01"), BZ_EINVAL);
	/* reading works, and a backup of it */
	ck_assert_bz(bz_office_lookup(&o, l, uuid));
	ck_assert_str_eq(bz_office_name(o), CITY);
	bz_office_free(o);
	int allowed = 0;
	ck_assert_bz(bz_office_power_get(&allowed, l, BZ_OFFICE_HR, BZ_POWER_PLACEMENT, NULL));
	ck_assert_int_eq(allowed, 1);
	ck_assert_bz(bz_ledger_backup(l, backup));
	ck_assert_bz(bz_ledger_close(l));
	ck_assert_bz(bz_ledger_open(&l, path, 0));
	ck_assert_int_eq(tu_count(l, "office"), 1);
	ck_assert_int_eq(tu_count(l, "jurisdiction"), 2);
	ck_assert_bz(bz_ledger_close(l));
	unlink(backup);
	tu_rm(path);
}
END_TEST

static Suite *office_suite(void)
{
	Suite *s = suite_create("office");
	TCase *tc = tcase_create("scope");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, county_office_on_another_county);
	tcase_add_test(tc, county_office_on_the_city);
	tcase_add_test(tc, city_office_on_a_county_fuke_institution);
	tcase_add_test(tc, city_office_where_seed_5_gives_it_none);
	tcase_add_test(tc, hr_cannot_grant_establishment);
	tcase_add_test(tc, hr_records_a_hire_against_a_slip);
	tcase_add_test(tc, unknown_office_refused_once_offices_exist);
	tcase_add_test(tc, register_and_read_offices);
	tcase_add_test(tc, begin_as_a_registered_office);
	tcase_add_test(tc, powers_are_dated_data);
	tcase_add_test(tc, self_inspection_does_not_rejudge);
	suite_add_tcase(s, tc);
	TCase *bare = tcase_create("bare");
	tcase_add_test(bare, legacy_ledger_without_offices);
	tcase_add_test(bare, the_first_office);
	tcase_add_test(bare, read_only_handles_write_nothing);
	suite_add_tcase(s, bare);
	return s;
}

int main(void) { return tu_run(office_suite()); }
