/*
 * test_opening.c: opening balances (建账, opening.h) — a county's units,
 * establishment and people in post loaded as opening entries on one opening
 * document at a cut-over date, without usage slips; every rule still
 * checked, and after the cut-over every change an ordinary one.
 */
#include "staff_fixture.h"

static fx F;
static char open_doc[BZ_UUID_LEN + 1]; /* 武编发〔2024〕30号, 武都区 office, 2024-12-20 */
static char gov_doc[BZ_UUID_LEN + 1];  /* 武政发〔2024〕9号, the county government */

#define CUTOVER "2024-12-31"

static const char *const unit_names[] = {"武都区教育局", "武都区卫生健康局", "武都区农业农村局",
					  "武都区城关中学", "武都区第一人民医院", "武都区农业技术推广中心"};

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
	fx_doc(t, gov_doc, "武都区人民政府", "武政发〔2024〕9号", BZ_LEVEL_COUNTY, BZ_ISSUER_GOVERNMENT, "621202");
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
}

static void teardown(void)
{
	bz_ledger_close(F.l);
}

/* a unit established inside the open transaction t */
static void unit_in(bz_txn *t, char out[BZ_UUID_LEN + 1], const char *name, int nature, int rank,
		    const char *founded)
{
	bz_unit_spec *s = NULL;
	bz_unit *u = NULL;
	ck_assert_bz(bz_unit_spec_new(&s));
	ck_assert_bz(bz_unit_spec_set_name(s, name));
	ck_assert_bz(bz_unit_spec_set_nature(s, nature));
	ck_assert_bz(bz_unit_spec_set_rank(s, rank));
	ck_assert_bz(bz_unit_spec_set_jurisdiction(s, "621202"));
	ck_assert_bz(bz_unit_spec_set_founded(s, founded));
	ck_assert_bz(bz_unit_establish(&u, t, s));
	memcpy(out, bz_unit_uuid(u), BZ_UUID_LEN + 1);
	bz_unit_free(u);
	bz_unit_spec_free(s);
}

/* a person registered and placed without a slip inside t */
static void staff_in(bz_txn *t, const char *unit, const char *cat, int seq, const char *entry)
{
	char id[19], name[32], birth8[16];
	bz_person *p = NULL;
	snprintf(birth8, sizeof birth8, "19%02u%02u%02u", 60u + (unsigned)seq % 35u, 1u + (unsigned)seq % 12u, 1u + (unsigned)seq % 28u);
	sf_idnum(id, "621202", birth8, seq);
	snprintf(name, sizeof name, "%s%s", (const char *[]){"张", "王", "李", "赵", "刘", "陈"}[seq % 6],
		 (const char *[]){"伟", "芳", "娜", "敏", "静", "强", "磊", "军"}[seq % 8]);
	ck_assert_bz(bz_person_register(&p, t, id, name, 0, NULL));
	ck_assert_bz(bz_placement_enter(NULL, t, bz_person_uuid(p), unit, cat, NULL, BZ_ENTRY_OTHER, entry));
	bz_person_free(p);
}

/*
 * The county's opening: six units founded 1987–2005 (two 副科 institutions,
 * which the city would approve today), establishment, and staff entered
 * 1990–2024 — 60 people, no slips.
 */
static char units[6][BZ_UUID_LEN + 1];
static int staff_per_unit[6] = {12, 8, 10, 14, 9, 7};

static bz_txn *opening(void)
{
	static const char *const founded[] = {"1987-03-01", "1987-03-01", "1990-05-10",
					      "1995-09-01", "2002-01-01", "2005-07-01"};
	static const int nature[] = {BZ_NATURE_ORGAN, BZ_NATURE_ORGAN, BZ_NATURE_ORGAN,
				     BZ_NATURE_INSTITUTION, BZ_NATURE_INSTITUTION, BZ_NATURE_INSTITUTION};
	static const int rank[] = {BZ_RANK_ZHENGKE, BZ_RANK_ZHENGKE, BZ_RANK_ZHENGKE,
				   BZ_RANK_FUKE, BZ_RANK_FUKE, BZ_RANK_ZHENGGU};
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_opening(t, CUTOVER, open_doc));
	int seq = 1;
	for (int u = 0; u < 6; u++) {
		const char *cat = nature[u] == BZ_NATURE_ORGAN ? "XZ" : "SY";
		unit_in(t, units[u], unit_names[u], nature[u], rank[u], founded[u]);
		ck_assert_bz(bz_establishment_set(t, units[u], cat, staff_per_unit[u] + 3, founded[u]));
		for (int i = 0; i < staff_per_unit[u]; i++, seq++) {
			char entry[16];
			snprintf(entry, sizeof entry, "%04d-%02d-15", 2006 + (seq % 18), 1 + seq % 12);
			staff_in(t, units[u], cat, seq, entry);
		}
	}
	return t;
}

START_TEST(opening_commits_without_slips)
{
	bz_txn *t = opening();
	ck_assert_bz(bz_txn_commit(t));
	ck_assert_uint_eq(bz_report_errors(bz_txn_report(t)), 0);
	bz_txn_free(t);

	ck_assert_int_eq(tu_count(F.l, "placement"), 60);
	ck_assert_int_eq(tu_count(F.l, "slip"), 0);
	ck_assert_int_eq(tu_count(F.l, "card"), 60);
	for (int u = 0; u < 6; u++) {
		bz_placement_iter *it = NULL;
		bz_placement *p = NULL;
		int n = 0;
		ck_assert_bz(bz_roster(&it, F.l, units[u], CUTOVER));
		while (bz_placement_iter_next(&p, it) == BZ_OK) {
			ck_assert_ptr_null(bz_placement_slip(p));
			ck_assert_str_eq(bz_placement_entry_document(p), "武编发〔2024〕30号");
			bz_placement_free(p);
			n++;
		}
		bz_placement_iter_free(it);
		ck_assert_int_eq(n, staff_per_unit[u]);
	}
	char *cut = NULL;
	ck_assert_bz(bz_opening_cutover(&cut, F.l, open_doc));
	ck_assert_str_eq(cut, CUTOVER);
	bz_free(cut);
	ck_assert_int_eq(bz_opening_cutover(&cut, F.l, F.county_doc), BZ_ENOTFOUND);
	ck_assert_ptr_null(cut);

	/* the self-inspection judges the opening entries as the commit did */
	bz_report *r = NULL;
	ck_assert_bz(bz_ledger_check(&r, F.l, NULL));
	ck_assert_ptr_null(fx_find(r, BZ_RULE_R8, 0));
	ck_assert_ptr_null(fx_find(r, BZ_RULE_R6, 0));
	ck_assert_uint_eq(bz_report_errors(r), 0);
	bz_report_free(r);
}
END_TEST

/* the same entries in an ordinary transaction: R8 wants slips, R6 the approving documents */
START_TEST(without_opening_the_rules_refuse)
{
	long long events = tu_count(F.l, "event");
	bz_txn *t = tu_begin(F.l);
	char u[BZ_UUID_LEN + 1];
	ck_assert_bz(bz_txn_set_document(t, open_doc));
	unit_in(t, u, "武都区农业技术推广中心", BZ_NATURE_INSTITUTION, BZ_RANK_FUKE, "2002-01-01");
	ck_assert_bz(bz_establishment_set(t, u, "SY", 5, "2002-01-01"));
	staff_in(t, u, "SY", 7, "2010-03-15");
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	const bz_report *r = bz_txn_report(t);
	const bz_violation *v = fx_find(r, BZ_RULE_R8, BZ_SEVERITY_ERROR);
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(bz_violation_subject(v), u);
	ck_assert_str_eq(bz_violation_category(v), "SY");
	ck_assert_int_eq(bz_violation_allowed(v), 1);
	ck_assert_int_eq(bz_violation_actual(v), 0);
	ck_assert_str_eq(bz_violation_date(v), "2010-03-15");
	/* 未批先设: the unit founded 2002 on a document of 2024 */
	bool early = false, level = false;
	for (size_t i = 0; i < bz_report_count(r); i++) {
		const bz_violation *w = bz_report_get(r, i);
		if (bz_violation_rule(w) != BZ_RULE_R6)
			continue;
		if (bz_violation_category(w) && strcmp(bz_violation_category(w), "未批先设") == 0)
			early = true;
		if (bz_violation_allowed(w) == BZ_LEVEL_CITY && bz_violation_actual(w) == BZ_LEVEL_COUNTY)
			level = true;
	}
	ck_assert_msg(early, "no R6 未批先设 for a unit founded before its document");
	ck_assert_msg(level, "no R6 approval level for a 副科 institution on a county document");
	bz_txn_free(t);
	ck_assert_int_eq(tu_count(F.l, "event"), events);
	ck_assert_int_eq(tu_count(F.l, "placement"), 0);
	ck_assert_int_eq(tu_count(F.l, "unit"), 0);
}
END_TEST

/* an entry dated after the cut-over is refused at the call; the transaction goes on */
START_TEST(entry_after_cutover_refused)
{
	bz_txn *t = opening();
	long long placements = tu_count(F.l, "placement"), events = tu_count(F.l, "event");
	char id[19];
	bz_person *p = NULL;
	sf_idnum(id, "621202", "19900101", 901);
	ck_assert_bz(bz_person_register(&p, t, id, "孙丽", 0, NULL));
	ck_assert_int_eq(bz_placement_enter(NULL, t, bz_person_uuid(p), units[0], "XZ", NULL, BZ_ENTRY_OTHER,
					    "2025-01-02"),
			 BZ_EINVAL);
	ck_assert_ptr_nonnull(strstr(bz_ledger_errmsg(F.l), "cut-over"));
	ck_assert_int_eq(tu_count(F.l, "placement"), placements);
	ck_assert_int_eq(tu_count(F.l, "event"), events + 1); /* the registration only */
	ck_assert_int_eq(bz_establishment_set(t, units[0], "XZ", 40, "2025-03-01"), BZ_EINVAL);
	/* the cut-over day itself is an opening date */
	ck_assert_bz(bz_placement_enter(NULL, t, bz_person_uuid(p), units[0], "XZ", NULL, BZ_ENTRY_OTHER, CUTOVER));
	bz_person_free(p);
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	ck_assert_int_eq(tu_count(F.l, "placement"), placements + 1);
}
END_TEST

/* after the cut-over every change is ordinary, even on the opening document */
START_TEST(after_cutover_rules_as_usual)
{
	bz_txn *t = opening();
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	long long placements = tu_count(F.l, "placement");

	char zhou[BZ_UUID_LEN + 1];
	sf_person(&F, zhou, "周敏", "19950312", 411);
	/* a hire in 2025 on the opening document, without a slip: R8 as for anyone */
	t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, open_doc));
	ck_assert_bz(bz_placement_enter(NULL, t, zhou, units[0], "XZ", NULL, BZ_ENTRY_EXAM, "2025-02-01"));
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	const bz_violation *v = fx_find(bz_txn_report(t), BZ_RULE_R8, BZ_SEVERITY_ERROR);
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(bz_violation_subject(v), units[0]);
	ck_assert_str_eq(bz_violation_date(v), "2025-02-01");
	bz_txn_free(t);
	ck_assert_int_eq(tu_count(F.l, "placement"), placements);

	/* with a slip it commits */
	char slip[BZ_UUID_LEN + 1];
	ck_assert_int_eq(sf_slip(&F, slip, units[0], "XZ", 1, "2025-01-10", "2025-06-30"), BZ_OK);
	ck_assert_int_eq(sf_hire(&F, zhou, units[0], "XZ", slip, "2025-02-01"), BZ_OK);
	ck_assert_int_eq(tu_count(F.l, "placement"), placements + 1);
}
END_TEST

/* the opening still holds every other rule: over establishment at the cut-over is refused */
START_TEST(opening_over_establishment_refused)
{
	bz_txn *t = tu_begin(F.l);
	char u[BZ_UUID_LEN + 1];
	ck_assert_bz(bz_txn_set_opening(t, CUTOVER, open_doc));
	unit_in(t, u, "武都区司法局", BZ_NATURE_ORGAN, BZ_RANK_ZHENGKE, "1987-03-01");
	ck_assert_bz(bz_establishment_set(t, u, "XZ", 2, "1987-03-01"));
	for (int i = 0; i < 3; i++)
		staff_in(t, u, "XZ", 500 + i, "2015-06-01");
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	const bz_violation *v = fx_find(bz_txn_report(t), BZ_RULE_R1, BZ_SEVERITY_ERROR);
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(bz_violation_subject(v), u);
	ck_assert_str_eq(bz_violation_category(v), "XZ");
	ck_assert_int_eq(bz_violation_allowed(v), 2);
	ck_assert_int_eq(bz_violation_actual(v), 3);
	ck_assert_ptr_null(fx_find(bz_txn_report(t), BZ_RULE_R8, 0));
	bz_txn_free(t);
	ck_assert_int_eq(tu_count(F.l, "unit"), 0);
	ck_assert_int_eq(tu_count(F.l, "placement"), 0);
	ck_assert_int_eq(tu_count(F.l, "opening"), 0);
}
END_TEST

/* the opening document must be an establishment office's of the units' own chain */
START_TEST(opening_document_of_another_chain)
{
	char cx_doc[BZ_UUID_LEN + 1], u[BZ_UUID_LEN + 1];
	bz_txn *t = tu_begin(F.l);
	fx_doc(t, cx_doc, "成县机构编制委员会", "成编发〔2024〕12号", BZ_LEVEL_COUNTY, BZ_ISSUER_ESTABLISHMENT, "621221");
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_opening(t, CUTOVER, cx_doc));
	unit_in(t, u, "武都区统计局", BZ_NATURE_ORGAN, BZ_RANK_ZHENGKE, "1990-01-01");
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	const bz_violation *v = fx_find(bz_txn_report(t), BZ_RULE_R6, BZ_SEVERITY_ERROR);
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(bz_violation_category(v), "本级");
	ck_assert_str_eq(bz_violation_document(v), cx_doc);
	bz_txn_free(t);
	ck_assert_int_eq(tu_count(F.l, "unit"), 0);
}
END_TEST

START_TEST(misuse)
{
	bz_txn *t = tu_begin(F.l);
	ck_assert_int_eq(bz_txn_set_opening(t, CUTOVER, gov_doc), BZ_EINVAL); /* not an establishment office */
	ck_assert_int_eq(bz_txn_set_opening(t, CUTOVER, F.business_doc), BZ_EINVAL);
	ck_assert_int_eq(bz_txn_set_opening(t, "2024-02-30", open_doc), BZ_EINVAL);
	ck_assert_int_eq(bz_txn_set_opening(t, NULL, open_doc), BZ_EINVAL);
	ck_assert_int_eq(bz_txn_set_opening(t, CUTOVER, "not-a-uuid"), BZ_EINVAL);
	ck_assert_int_eq(bz_txn_set_opening(t, CUTOVER, "00000000-0000-4000-8000-000000000000"), BZ_ENOTFOUND);
	ck_assert_int_eq(bz_txn_set_opening(NULL, CUTOVER, open_doc), BZ_EINVAL);
	/* a change already recorded after the cut-over */
	char u[BZ_UUID_LEN + 1];
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	unit_in(t, u, "武都区林业局", BZ_NATURE_ORGAN, BZ_RANK_ZHENGKE, "2025-01-01");
	ck_assert_int_eq(bz_txn_set_opening(t, CUTOVER, open_doc), BZ_EINVAL);
	ck_assert_ptr_nonnull(strstr(bz_ledger_errmsg(F.l), "after the cut-over"));
	ck_assert_int_eq(tu_count(F.l, "opening"), 0);
	bz_txn_free(t);

	t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_opening(t, CUTOVER, open_doc));
	ck_assert_int_eq(bz_txn_set_opening(t, CUTOVER, open_doc), BZ_EMISUSE);
	ck_assert_int_eq(bz_txn_set_document(t, F.county_doc), BZ_EMISUSE);
	ck_assert_int_eq(bz_txn_set_document(t, NULL), BZ_EMISUSE);
	ck_assert_bz(bz_txn_set_document(t, open_doc)); /* its own document again is fine */
	ck_assert_bz(bz_txn_rollback(t));
	ck_assert_int_eq(bz_txn_set_opening(t, CUTOVER, open_doc), BZ_EMISUSE);
	bz_txn_free(t);
	ck_assert_int_eq(tu_count(F.l, "opening"), 0);
	char *cut = NULL;
	ck_assert_int_eq(bz_opening_cutover(&cut, F.l, open_doc), BZ_ENOTFOUND);
	ck_assert_int_eq(bz_opening_cutover(NULL, F.l, open_doc), BZ_EINVAL);
	ck_assert_int_eq(bz_opening_cutover(&cut, F.l, "x"), BZ_EINVAL);
}
END_TEST

/* a county opened in two batches, each its own opening on the same document */
START_TEST(two_openings)
{
	bz_txn *t = opening();
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	char u[BZ_UUID_LEN + 1];
	t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_opening(t, CUTOVER, open_doc));
	unit_in(t, u, "武都区统计局", BZ_NATURE_ORGAN, BZ_RANK_ZHENGKE, "1990-01-01");
	ck_assert_bz(bz_establishment_set(t, u, "XZ", 6, "1990-01-01"));
	for (int i = 0; i < 5; i++)
		staff_in(t, u, "XZ", 700 + i, "2012-09-01");
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	ck_assert_int_eq(tu_count(F.l, "opening"), 2);
	ck_assert_int_eq(tu_count(F.l, "placement"), 65);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("opening");
	TCase *tc = tcase_create("opening");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, opening_commits_without_slips);
	tcase_add_test(tc, without_opening_the_rules_refuse);
	tcase_add_test(tc, entry_after_cutover_refused);
	tcase_add_test(tc, after_cutover_rules_as_usual);
	tcase_add_test(tc, opening_over_establishment_refused);
	tcase_add_test(tc, opening_document_of_another_chain);
	tcase_add_test(tc, misuse);
	tcase_add_test(tc, two_openings);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(suite());
}
