/* test_placement.c: usage slips, entries, exits, transfers, cards, rosters; R1, R5, R7, R8. */
#include "staff_fixture.h"

static fx F;
static char organ[BZ_UUID_LEN + 1], other[BZ_UUID_LEN + 1], chengxian[BZ_UUID_LEN + 1];
static char zhang[BZ_UUID_LEN + 1], li[BZ_UUID_LEN + 1], wang[BZ_UUID_LEN + 1];

static void setup(void)
{
	fx_setup(&F);
	ck_assert_int_eq(fx_unit(&F, organ, F.county_doc, "武都区教育局", BZ_NATURE_ORGAN, BZ_RANK_ZHENGKE, "621202", "2010-01-01"), BZ_OK);
	ck_assert_int_eq(fx_unit(&F, other, F.county_doc, "武都区文化局", BZ_NATURE_ORGAN, BZ_RANK_ZHENGKE, "621202", "2010-01-01"), BZ_OK);
	ck_assert_int_eq(fx_unit(&F, chengxian, F.city_doc, "成县教育局", BZ_NATURE_ORGAN, BZ_RANK_ZHENGKE, "621221", "2010-01-01"), BZ_OK);
	fx_est(&F, organ, "XZ", 2, "2010-01-01");
	fx_est(&F, other, "XZ", 5, "2010-01-01");
	fx_est(&F, chengxian, "XZ", 3, "2010-01-01");
	sf_person(&F, zhang, "张伟", "19850615", 11);
	sf_person(&F, li, "李娜", "19900301", 22);
	sf_person(&F, wang, "王强", "19880808", 33);
}

static void teardown(void) { bz_ledger_close(F.l); }

START_TEST(slip_issue_hire_and_card)
{
	char slip[37];
	ck_assert_int_eq(sf_slip(&F, slip, organ, "XZ", 2, "2020-01-01", "2020-06-30"), BZ_OK);
	bz_slip *s = NULL;
	ck_assert_bz(bz_slip_lookup(&s, F.l, slip));
	ck_assert_str_eq(bz_slip_number(s), "621202-2020-0001");
	ck_assert_int_eq(bz_slip_posts(s), 2);
	ck_assert_int_eq(bz_slip_used(s), 0);
	ck_assert_int_eq(bz_slip_state(s), BZ_SLIP_EXPIRED); /* today is 2026-12-01 */
	ck_assert_int_eq(bz_slip_remaining(s), 0);
	bz_slip_free(s);
	ck_assert_int_eq(sf_hire(&F, zhang, organ, "XZ", slip, "2020-03-01"), BZ_OK);

	/* Table 1 sees the hire: one in post, one reserved until the slip expires */
	bz_basic_table *tb = NULL;
	ck_assert_bz(bz_basic_table_get(&tb, F.l, organ, "2020-04-01"));
	ck_assert_int_eq(bz_basic_table_staff(tb, 0), 1);
	ck_assert_int_eq(bz_basic_table_reserved(tb, 0), 1);
	bz_basic_table_free(tb);
	ck_assert_bz(bz_basic_table_get(&tb, F.l, organ, "2020-07-01"));
	ck_assert_int_eq(bz_basic_table_staff(tb, 0), 1);
	ck_assert_int_eq(bz_basic_table_reserved(tb, 0), 0);
	bz_basic_table_free(tb);

	bz_person *p = NULL;
	ck_assert_bz(bz_person_lookup(&p, F.l, zhang));
	ck_assert_str_eq(bz_person_card(p), "621202-000001");
	bz_person_free(p);
	bz_card *c = NULL;
	ck_assert_bz(bz_card_lookup(&c, F.l, "621202-000001"));
	ck_assert_str_eq(bz_person_name(bz_card_person(c)), "张伟");
	ck_assert_uint_eq(bz_card_placement_count(c), 1);
	const bz_placement *pl = bz_card_placement(c, 0);
	ck_assert_str_eq(bz_placement_unit(pl), organ);
	ck_assert_str_eq(bz_placement_slip(pl), slip);
	ck_assert_str_eq(bz_placement_entry(pl), "2020-03-01");
	ck_assert_str_eq(bz_placement_entry_document(pl), "武编发〔2013〕5号");
	ck_assert_ptr_null(bz_placement_exit_date(pl));
	ck_assert_ptr_null(bz_card_placement(c, 1));
	bz_card_free(c);
	ck_assert_int_eq(bz_card_lookup(&c, F.l, "621202-999999"), BZ_ENOTFOUND);
}
END_TEST

START_TEST(r1_slip_beyond_vacancy_refused)
{
	char slip[37];
	ck_assert_int_eq(sf_slip(&F, slip, organ, "XZ", 2, "2020-01-01", "2020-12-31"), BZ_OK);
	ck_assert_int_eq(sf_hire(&F, zhang, organ, "XZ", slip, "2020-02-01"), BZ_OK);
	ck_assert_int_eq(sf_hire(&F, li, organ, "XZ", slip, "2020-02-01"), BZ_OK);
	long long slips = tu_count(F.l, "slip"), events = tu_count(F.l, "event"), tl = tu_count(F.l, "tl");
	/* the unit is full: no slip until someone leaves (出一进一) */
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_slip_issue(NULL, t, organ, "XZ", 1, BZ_PURPOSE_EXAM, "2021-01-01", "2021-06-30", NULL));
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	const bz_violation *v = fx_find(bz_txn_report(t), BZ_RULE_R1, BZ_SEVERITY_ERROR);
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(bz_violation_subject(v), organ);
	ck_assert_str_eq(bz_violation_subject_name(v), "武都区教育局");
	ck_assert_str_eq(bz_violation_category(v), "XZ");
	ck_assert_int_eq(bz_violation_allowed(v), 2);
	ck_assert_int_eq(bz_violation_actual(v), 3);
	ck_assert_str_eq(bz_violation_date(v), "2021-01-01");
	ck_assert_str_eq(bz_violation_document(v), F.county_doc);
	ck_assert_str_eq(bz_violation_document_number(v), "武编发〔2013〕5号");
	bz_txn_free(t);
	ck_assert_int_eq(tu_count(F.l, "slip"), slips);
	ck_assert_int_eq(tu_count(F.l, "event"), events);
	ck_assert_int_eq(tu_count(F.l, "tl"), tl);

	/* one retires: now a slip for one post is fine */
	t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_placement_exit(t, li, BZ_EXIT_RETIREMENT, "2020-12-31"));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	ck_assert_int_eq(sf_slip(&F, NULL, organ, "XZ", 1, "2021-01-01", "2021-06-30"), BZ_OK);
}
END_TEST

START_TEST(r8_hire_needs_a_live_slip)
{
	char slip[37], otherslip[37];
	ck_assert_int_eq(sf_slip(&F, slip, organ, "XZ", 1, "2020-01-01", "2020-06-30"), BZ_OK);
	ck_assert_int_eq(sf_slip(&F, otherslip, other, "XZ", 1, "2020-01-01", "2020-06-30"), BZ_OK);
	long long placements = tu_count(F.l, "placement"), cards = tu_count(F.l, "card");
	struct { const char *slip; const char *date; const char *unit; int64_t allowed, actual; } cases[] = {
		{NULL, "2020-02-01", organ, 1, 0},      /* no slip at all */
		{slip, "2020-07-01", organ, -1, -1},    /* expired */
		{slip, "2019-12-31", organ, -1, -1},    /* before issue */
		{otherslip, "2020-02-01", organ, -1, -1}, /* another unit's slip */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		bz_txn *t = tu_begin(F.l);
		ck_assert_bz(bz_txn_set_document(t, F.county_doc));
		ck_assert_bz(bz_placement_enter(NULL, t, zhang, cases[i].unit, "XZ", cases[i].slip, BZ_ENTRY_EXAM, cases[i].date));
		ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
		const bz_violation *v = fx_find(bz_txn_report(t), BZ_RULE_R8, BZ_SEVERITY_ERROR);
		ck_assert_msg(v != NULL, "case %zu: no R8", i);
		ck_assert_str_eq(bz_violation_subject(v), organ);
		ck_assert_str_eq(bz_violation_subject_name(v), "武都区教育局");
		ck_assert_str_eq(bz_violation_category(v), "XZ");
		ck_assert_int_eq(bz_violation_allowed(v), cases[i].allowed);
		ck_assert_int_eq(bz_violation_actual(v), cases[i].actual);
		ck_assert_str_eq(bz_violation_date(v), cases[i].date);
		ck_assert_str_eq(bz_violation_document_number(v), "武编发〔2013〕5号");
		bz_txn_free(t);
		ck_assert_int_eq(tu_count(F.l, "placement"), placements);
		ck_assert_int_eq(tu_count(F.l, "card"), cards);
	}
	/* exhausted: the one post is used */
	ck_assert_int_eq(sf_hire(&F, zhang, organ, "XZ", slip, "2020-02-01"), BZ_OK);
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_placement_enter(NULL, t, li, organ, "XZ", slip, BZ_ENTRY_EXAM, "2020-03-01"));
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	const bz_violation *v = fx_find(bz_txn_report(t), BZ_RULE_R8, BZ_SEVERITY_ERROR);
	ck_assert_ptr_nonnull(v);
	ck_assert_int_eq(bz_violation_allowed(v), 1);
	ck_assert_int_eq(bz_violation_actual(v), 2);
	bz_txn_free(t);
	/* cancelled */
	char s3[37];
	ck_assert_int_eq(sf_slip(&F, s3, organ, "XZ", 1, "2021-01-01", "2021-12-31"), BZ_OK);
	t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_slip_cancel(t, s3, "2021-03-01"));
	ck_assert_int_eq(bz_slip_cancel(t, s3, "2021-04-01"), BZ_EINVAL);
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	ck_assert_int_eq(sf_hire(&F, li, organ, "XZ", s3, "2021-04-01"), BZ_ECONSTRAINT);
	ck_assert_int_eq(sf_hire(&F, li, organ, "XZ", s3, "2021-02-01"), BZ_OK);
}
END_TEST

START_TEST(r5_one_person_one_post)
{
	char s1[37], s2[37];
	ck_assert_int_eq(sf_slip(&F, s1, organ, "XZ", 1, "2020-01-01", "2020-12-31"), BZ_OK);
	ck_assert_int_eq(sf_slip(&F, s2, other, "XZ", 1, "2020-01-01", "2020-12-31"), BZ_OK);
	ck_assert_int_eq(sf_hire(&F, zhang, organ, "XZ", s1, "2020-02-01"), BZ_OK);
	long long placements = tu_count(F.l, "placement");
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_placement_enter(NULL, t, zhang, other, "XZ", s2, BZ_ENTRY_RECRUIT, "2020-05-01"));
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	const bz_violation *v = fx_find(bz_txn_report(t), BZ_RULE_R5, BZ_SEVERITY_ERROR);
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(bz_violation_subject(v), zhang);
	ck_assert_str_eq(bz_violation_subject_name(v), "张伟");
	ck_assert_str_eq(bz_violation_category(v), "XZ");
	ck_assert_int_eq(bz_violation_allowed(v), 1);
	ck_assert_int_eq(bz_violation_actual(v), 2);
	ck_assert_str_eq(bz_violation_date(v), "2020-05-01");
	ck_assert_str_eq(bz_violation_document_number(v), "武编发〔2013〕5号");
	bz_txn_free(t);
	ck_assert_int_eq(tu_count(F.l, "placement"), placements);
	/* a backdated second post that overlaps the first is refused too */
	ck_assert_int_eq(sf_hire(&F, zhang, other, "XZ", s2, "2020-01-15"), BZ_ECONSTRAINT);
}
END_TEST

START_TEST(r7_unit_life_and_age)
{
	char slip[37];
	ck_assert_int_eq(sf_slip(&F, slip, organ, "XZ", 2, "2020-01-01", "2020-12-31"), BZ_OK);
	char kid[37];
	sf_person(&F, kid, "小明", "20100101", 44);
	long long placements = tu_count(F.l, "placement");
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_placement_enter(NULL, t, kid, organ, "XZ", slip, BZ_ENTRY_RECRUIT, "2020-03-01"));
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	const bz_violation *v = fx_find(bz_txn_report(t), BZ_RULE_R7, BZ_SEVERITY_ERROR);
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(bz_violation_subject(v), kid);
	ck_assert_str_eq(bz_violation_subject_name(v), "小明");
	ck_assert_int_eq(bz_violation_allowed(v), 16);
	ck_assert_int_eq(bz_violation_actual(v), 10);
	ck_assert_str_eq(bz_violation_date(v), "2020-03-01");
	ck_assert_str_eq(bz_violation_document(v), F.county_doc);
	bz_txn_free(t);
	ck_assert_int_eq(tu_count(F.l, "placement"), placements);
	/* before the unit's founding */
	t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_placement_enter(NULL, t, zhang, organ, "XZ", slip, BZ_ENTRY_RECRUIT, "2009-03-01"));
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	v = fx_find(bz_txn_report(t), BZ_RULE_R7, BZ_SEVERITY_ERROR);
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(bz_violation_subject(v), organ);
	bz_txn_free(t);
	ck_assert_int_eq(tu_count(F.l, "placement"), placements);
}
END_TEST

/* R7 at commit: a unit abolished back before an entry and a transfer into it has change records dated after its
 * end — the entries, which schema 14 reads through placement_unit (event_unit leaves them out); refused, counted,
 * the first dated, nothing written */
START_TEST(r7_abolition_before_entries_counts_them)
{
	char slip[37], slip2[37];
	ck_assert_int_eq(sf_slip(&F, slip, organ, "XZ", 2, "2020-01-01", "2020-12-31"), BZ_OK);
	ck_assert_int_eq(sf_slip(&F, slip2, other, "XZ", 1, "2020-01-01", "2020-12-31"), BZ_OK);
	ck_assert_int_eq(sf_hire(&F, li, other, "XZ", slip2, "2020-02-01"), BZ_OK);
	ck_assert_int_eq(sf_hire(&F, zhang, organ, "XZ", slip, "2020-03-01"), BZ_OK);
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_placement_transfer(NULL, t, li, organ, "XZ", slip, "2020-05-01"));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	/* the organ's records after 2020-02-10: the entry and the transfer in, nothing else */
	bz_change_iter *it = NULL;
	bz_change *c = NULL;
	int after = 0;
	ck_assert_bz(bz_unit_changes(&it, F.l, organ));
	while (bz_change_iter_next(&c, it) == BZ_OK) {
		if (strcmp(bz_change_effective(c), "2020-02-10") > 0) {
			ck_assert_str_eq(bz_change_kind(c), after ? "placement.transfer_in" : "placement.enter");
			after++;
		}
		bz_change_free(c);
	}
	bz_change_iter_free(it);
	ck_assert_int_eq(after, 2);
	long long events = tu_count(F.l, "event"), placements = tu_count(F.l, "placement");
	t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_unit_abolish(t, organ, "2020-02-10"));
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	const bz_report *r = bz_txn_report(t);
	const bz_violation *v = NULL;
	size_t later = 0;
	for (size_t i = 0; i < bz_report_count(r); i++)
		if (bz_violation_rule(bz_report_get(r, i)) == BZ_RULE_R7 &&
		    strstr(bz_violation_message(bz_report_get(r, i)), "change record(s) dated later")) {
			v = bz_report_get(r, i);
			later++;
		}
	ck_assert_uint_eq(later, 1);
	ck_assert_int_eq(bz_violation_severity(v), BZ_SEVERITY_ERROR);
	ck_assert_str_eq(bz_violation_subject(v), organ);
	ck_assert_str_eq(bz_violation_subject_name(v), "武都区教育局");
	ck_assert_ptr_null(bz_violation_category(v));
	ck_assert_int_eq(bz_violation_allowed(v), 0);
	ck_assert_int_eq(bz_violation_actual(v), 2);
	ck_assert_str_eq(bz_violation_date(v), "2020-03-01");
	ck_assert_str_eq(bz_violation_document(v), F.county_doc);
	ck_assert_msg(strstr(bz_violation_message(v), "ceases on 2020-02-10 but has 2 change record(s) dated later, the first"
						      " on 2020-03-01"), "%s", bz_violation_message(v));
	bz_txn_free(t);
	ck_assert_int_eq(tu_count(F.l, "event"), events);
	ck_assert_int_eq(tu_count(F.l, "placement"), placements);
}
END_TEST

START_TEST(transfer_keeps_card_and_roster)
{
	char s1[37], s2[37];
	ck_assert_int_eq(sf_slip(&F, s1, organ, "XZ", 2, "2020-01-01", "2020-12-31"), BZ_OK);
	ck_assert_int_eq(sf_hire(&F, zhang, organ, "XZ", s1, "2020-02-01"), BZ_OK);
	ck_assert_int_eq(sf_hire(&F, li, organ, "XZ", s1, "2020-02-01"), BZ_OK);
	/* 成县 issues a transfer-in slip; 张伟 moves from 武都区 to 成县 in one transaction */
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.city_doc));
	bz_slip *s = NULL;
	ck_assert_bz(bz_slip_issue(&s, t, chengxian, "XZ", 1, BZ_PURPOSE_TRANSFER_IN, "2022-01-01", "2022-03-31", "成编单〔2022〕1号"));
	memcpy(s2, bz_slip_uuid(s), 37);
	bz_slip_free(s);
	bz_placement *p = NULL;
	ck_assert_bz(bz_placement_transfer(&p, t, zhang, chengxian, "XZ", s2, "2022-02-01"));
	ck_assert_int_eq(bz_placement_entry_kind(p), BZ_ENTRY_TRANSFER_IN);
	bz_placement_free(p);
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);

	bz_placement_iter *it = NULL;
	ck_assert_bz(bz_roster(&it, F.l, organ, "2022-03-01"));
	ck_assert_int_eq(bz_placement_iter_next(&p, it), BZ_OK);
	ck_assert_str_eq(bz_placement_person_name(p), "李娜");
	bz_placement_free(p);
	ck_assert_int_eq(bz_placement_iter_next(&p, it), BZ_ITEROVER);
	ck_assert_int_eq(bz_placement_iter_next(&p, it), BZ_ITEROVER);
	bz_placement_iter_free(it);
	ck_assert_bz(bz_roster(&it, F.l, organ, "2021-03-01"));
	int n = 0;
	while (bz_placement_iter_next(&p, it) == BZ_OK) {
		n++;
		bz_placement_free(p);
	}
	ck_assert_int_eq(n, 2);
	bz_placement_iter_free(it);

	bz_person *per = NULL;
	ck_assert_bz(bz_person_lookup(&per, F.l, zhang));
	ck_assert_str_eq(bz_person_card(per), "621202-000001"); /* 一人一卡 */
	bz_person_free(per);
	bz_card *c = NULL;
	ck_assert_bz(bz_card_lookup(&c, F.l, "621202-000001"));
	ck_assert_uint_eq(bz_card_placement_count(c), 2);
	ck_assert_str_eq(bz_card_number(c), "621202-000001");
	ck_assert_str_eq(bz_card_issued(c), "2020-02-01");
	const bz_placement *first = bz_card_placement(c, 0);
	ck_assert_int_eq(strlen(bz_placement_uuid(first)), 36);
	ck_assert_str_eq(bz_placement_person(first), zhang);
	ck_assert_str_eq(bz_placement_category(first), "XZ");
	ck_assert_str_eq(bz_placement_id_number(first), bz_person_id_number(bz_card_person(c)));
	ck_assert_str_eq(bz_placement_exit_document(first), "陇编发〔2012〕31号");
	ck_assert_str_eq(bz_placement_exit_date(bz_card_placement(c, 0)), "2022-02-01");
	ck_assert_int_eq(bz_placement_exit_reason(bz_card_placement(c, 0)), BZ_EXIT_TRANSFER_OUT);
	ck_assert_str_eq(bz_placement_unit(bz_card_placement(c, 1)), chengxian);
	ck_assert_str_eq(bz_placement_entry_document(bz_card_placement(c, 1)), "陇编发〔2012〕31号");
	bz_card_free(c);
	ck_assert_bz(bz_person_lookup_card(&per, F.l, "621202-000001"));
	ck_assert_str_eq(bz_person_uuid(per), zhang);
	bz_person_free(per);

	/* Table 2 of each unit shows its side of the transfer */
	bz_change_iter *ci = NULL;
	ck_assert_bz(bz_unit_changes(&ci, F.l, chengxian));
	bz_change *ch;
	int transfer_in = 0;
	while (bz_change_iter_next(&ch, ci) == BZ_OK) {
		if (strcmp(bz_change_kind(ch), "placement.transfer_in") == 0)
			transfer_in++;
		bz_change_free(ch);
	}
	bz_change_iter_free(ci);
	ck_assert_int_eq(transfer_in, 1);
	/* Table 2 of 武都区教育局: each entry once, with its person, category and — the first
	 * entry — the card it issued (no record of its own); the transfer-in is 成县's */
	int entries = 0, cards = 0;
	ck_assert_bz(bz_unit_changes(&ci, F.l, organ));
	while (bz_change_iter_next(&ch, ci) == BZ_OK) {
		ck_assert_str_ne(bz_change_kind(ch), "card.issue");
		if (strcmp(bz_change_kind(ch), "placement.enter") == 0) {
			entries++;
			ck_assert_str_eq(bz_change_attr_name(ch, 0), "person");
			ck_assert_ptr_null(bz_change_attr_before(ch, 0));
			ck_assert_str_eq(bz_change_attr_name(ch, 1), "category");
			ck_assert_str_eq(bz_change_attr_after(ch, 1), "XZ");
			ck_assert_str_eq(bz_change_attr_name(ch, 2), "card");
			if (strcmp(bz_change_attr_after(ch, 0), zhang) == 0)
				ck_assert_str_eq(bz_change_attr_after(ch, 2), "621202-000001");
			cards++;
			ck_assert_uint_eq(bz_change_attr_count(ch), 3);
		}
		bz_change_free(ch);
	}
	bz_change_iter_free(ci);
	ck_assert_int_eq(entries, 2);
	ck_assert_int_eq(cards, 2);
	ck_assert_bz(bz_unit_changes(&ci, F.l, chengxian));
	entries = 0;
	while (bz_change_iter_next(&ch, ci) == BZ_OK) {
		if (strcmp(bz_change_kind(ch), "placement.transfer_in") == 0) {
			entries++;
			ck_assert_str_eq(bz_change_attr_after(ch, 0), zhang);
			ck_assert_uint_eq(bz_change_attr_count(ch), 2); /* the card is 武都区's, issued before */
		}
		bz_change_free(ch);
	}
	bz_change_iter_free(ci);
	ck_assert_int_eq(entries, 1);
	/* the history iterator, after the ledger closed, fails cleanly */
	ck_assert_bz(bz_person_history(&it, F.l, zhang));
	ck_assert_int_eq(bz_placement_iter_next(&p, it), BZ_OK);
	bz_placement_free(p);
	ck_assert_bz(bz_ledger_close(F.l));
	ck_assert_int_eq(bz_placement_iter_next(&p, it), BZ_EMISUSE);
	bz_placement_iter_free(it);
	F.l = tu_ledger();
}
END_TEST

/* counters are written once per transaction: a getter inside the
 * transaction sees every change so far, a change that fails half-way (a
 * transfer whose entry fails after its exit) leaves none of its deltas */
START_TEST(counters_within_a_transaction)
{
	char slip[37];
	ck_assert_int_eq(sf_slip(&F, slip, other, "XZ", 3, "2020-01-01", "2030-12-31"), BZ_OK);
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_placement_enter(NULL, t, zhang, other, "XZ", slip, BZ_ENTRY_RECRUIT, "2020-03-01"));
	ck_assert_bz(bz_placement_enter(NULL, t, li, other, "XZ", slip, BZ_ENTRY_RECRUIT, "2020-03-01"));
	/* read inside the transaction: both hires, one post still reserved */
	bz_basic_table *tb = NULL;
	ck_assert_bz(bz_basic_table_get(&tb, F.l, other, "2020-04-01"));
	ck_assert_int_eq(bz_basic_table_staff(tb, 0), 2);
	ck_assert_int_eq(bz_basic_table_reserved(tb, 0), 1);
	bz_basic_table_free(tb);
	/* the transfer's exit is written before its entry fails: both taken back */
	ck_assert_int_eq(bz_placement_transfer(NULL, t, zhang, "00000000-0000-4000-8000-000000000000", "XZ", NULL,
					       "2021-01-01"),
			 BZ_ENOTFOUND);
	ck_assert_bz(bz_placement_enter(NULL, t, wang, other, "XZ", slip, BZ_ENTRY_RECRUIT, "2020-05-01"));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	static const struct {
		const char *date;
		int64_t staff, reserved;
	} want[] = {{"2020-02-01", 0, 3}, {"2020-04-01", 2, 1}, {"2021-06-01", 3, 0}};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		ck_assert_bz(bz_basic_table_get(&tb, F.l, other, want[i].date));
		ck_assert_int_eq(bz_basic_table_staff(tb, 0), want[i].staff);
		ck_assert_int_eq(bz_basic_table_reserved(tb, 0), want[i].reserved);
		bz_basic_table_free(tb);
	}
	/* the counters agree with the records */
	bz_report *r = NULL;
	ck_assert_bz(bz_ledger_check(&r, F.l, "2021-06-01"));
	ck_assert_ptr_null(fx_find(r, BZ_RULE_INTEGRITY, BZ_SEVERITY_ERROR));
	bz_report_free(r);
	/* a refused transaction leaves no delta behind for the next one */
	t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_establishment_set(t, other, "XZ", 1, "2020-01-01"));
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	bz_txn_free(t);
	ck_assert_bz(bz_basic_table_get(&tb, F.l, other, "2021-06-01"));
	ck_assert_int_eq(bz_basic_table_establishment(tb, 0), 5);
	ck_assert_int_eq(bz_basic_table_staff(tb, 0), 3);
	bz_basic_table_free(tb);
}
END_TEST

/*
 * The commit's rules read the counters the commit has just written from what
 * it wrote, not from the table (timeline.c, bz_tl_known): the figures must
 * be the table's to the day. A read inside the transaction writes the first
 * hire's counters; a hire dated before them (whose breakpoints lie after its
 * first step) and a second slip follow; the slip takes the use of 武都区教育局
 * (establishment 2) to 3 on its day. Then the same without the slip commits,
 * and the table agrees with the records.
 */
START_TEST(commit_judges_the_counters_it_wrote)
{
	char slip[37];
	ck_assert_int_eq(sf_slip(&F, slip, organ, "XZ", 2, "2020-01-01", "2030-12-31"), BZ_OK);
	long long events = tu_count(F.l, "event"), tl = tu_count(F.l, "tl"), slips = tu_count(F.l, "slip");
	for (int with_slip = 1; with_slip >= 0; with_slip--) {
		bz_txn *t = tu_begin(F.l);
		ck_assert_bz(bz_txn_set_document(t, F.county_doc));
		ck_assert_bz(bz_placement_enter(NULL, t, zhang, organ, "XZ", slip, BZ_ENTRY_RECRUIT, "2020-03-01"));
		bz_basic_table *tb = NULL;
		ck_assert_bz(bz_basic_table_get(&tb, F.l, organ, "2020-03-01"));
		ck_assert_int_eq(bz_basic_table_staff(tb, 0), 1);
		ck_assert_int_eq(bz_basic_table_reserved(tb, 0), 1);
		bz_basic_table_free(tb);
		ck_assert_bz(bz_placement_enter(NULL, t, li, organ, "XZ", slip, BZ_ENTRY_RECRUIT, "2020-02-01"));
		if (with_slip) {
			ck_assert_bz(bz_slip_issue(NULL, t, organ, "XZ", 1, BZ_PURPOSE_EXAM, "2020-02-15", "2020-12-31",
						   NULL));
			ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
			const bz_report *r = bz_txn_report(t);
			const bz_violation *v = NULL;
			for (size_t i = 0; i < bz_report_count(r) && !v; i++)
				if (bz_violation_rule(bz_report_get(r, i)) == BZ_RULE_R1)
					v = bz_report_get(r, i);
			ck_assert_ptr_nonnull(v);
			ck_assert_str_eq(bz_violation_rule_id(v), "R1");
			ck_assert_int_eq(bz_violation_severity(v), BZ_SEVERITY_ERROR);
			ck_assert_str_eq(bz_violation_subject(v), organ);
			ck_assert_str_eq(bz_violation_subject_name(v), "武都区教育局");
			ck_assert_str_eq(bz_violation_category(v), "XZ");
			ck_assert_int_eq(bz_violation_allowed(v), 2);
			ck_assert_int_eq(bz_violation_actual(v), 3); /* 李娜 in post, 1 of slip 1 and slip 2's 1 reserved */
			ck_assert_str_eq(bz_violation_date(v), "2020-02-15");
			ck_assert_str_eq(bz_violation_document(v), F.county_doc);
			bz_txn_free(t);
			/* nothing written */
			ck_assert_int_eq(tu_count(F.l, "event"), events);
			ck_assert_int_eq(tu_count(F.l, "tl"), tl);
			ck_assert_int_eq(tu_count(F.l, "slip"), slips);
			continue;
		}
		ck_assert_bz(bz_txn_commit(t));
		bz_txn_free(t);
	}
	static const struct {
		const char *date;
		int64_t staff, reserved;
	} want[] = {{"2020-01-31", 0, 2}, {"2020-02-01", 1, 1}, {"2020-02-29", 1, 1}, {"2020-03-01", 2, 0},
		    {"2031-01-01", 2, 0}};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		bz_basic_table *tb = NULL;
		ck_assert_bz(bz_basic_table_get(&tb, F.l, organ, want[i].date));
		ck_assert_int_eq(bz_basic_table_staff(tb, 0), want[i].staff);
		ck_assert_int_eq(bz_basic_table_reserved(tb, 0), want[i].reserved);
		bz_basic_table_free(tb);
	}
	bz_report *r = NULL;
	ck_assert_bz(bz_ledger_check(&r, F.l, "2026-12-01"));
	ck_assert_ptr_null(fx_find(r, BZ_RULE_INTEGRITY, BZ_SEVERITY_ERROR));
	bz_report_free(r);
}
END_TEST

/* the note of person's entry record into unit (the entered person's name) */
static char *entry_note(const char *unit, const char *person)
{
	bz_change_iter *it = NULL;
	ck_assert_bz(bz_unit_changes(&it, F.l, unit));
	bz_change *c = NULL;
	char *note = NULL;
	while (!note && bz_change_iter_next(&c, it) == BZ_OK && c) {
		bool theirs = false;
		for (size_t i = 0; i < bz_change_attr_count(c); i++)
			theirs = theirs || (strcmp(bz_change_attr_name(c, i), "person") == 0 &&
					    strcmp(bz_change_attr_after(c, i), person) == 0);
		if (theirs && strcmp(bz_change_kind(c), "placement.enter") == 0 && bz_change_note(c))
			note = strdup(bz_change_note(c));
		bz_change_free(c);
		c = NULL;
	}
	bz_change_iter_free(it);
	ck_assert_ptr_nonnull(note);
	return note;
}

/*
 * What a transaction's hires read once (issue 10): a person registered in
 * the transaction is entered with the name and birth date it was registered
 * with, whichever person was registered last; the counters of several units
 * written in one commit at different dates (a hire dated before one unit's
 * breakpoint) agree with the records; and a refused commit among them
 * writes nothing.
 */
START_TEST(hires_read_what_the_transaction_knows)
{
	char s1[37], s2[37];
	ck_assert_int_eq(sf_slip(&F, s1, organ, "XZ", 2, "2020-01-01", "2030-12-31"), BZ_OK);
	ck_assert_int_eq(sf_slip(&F, s2, other, "XZ", 3, "2020-01-01", "2030-12-31"), BZ_OK);
	ck_assert_int_eq(sf_hire(&F, zhang, organ, "XZ", s1, "2021-06-01"), BZ_OK); /* a breakpoint to come after */
	char ida[19], idb[19], a[BZ_UUID_LEN + 1], b[BZ_UUID_LEN + 1];
	sf_idnum(ida, "621202", "19920405", 44);
	sf_idnum(idb, "621202", "19930706", 55);
	long long events = tu_count(F.l, "event"), tl = tu_count(F.l, "tl"), persons = tu_count(F.l, "person");
	for (int refused = 1; refused >= 0; refused--) {
		bz_txn *t = tu_begin(F.l);
		ck_assert_bz(bz_txn_set_document(t, F.county_doc));
		bz_person *p = NULL;
		ck_assert_bz(bz_person_register(&p, t, ida, "赵敏", 0, NULL));
		memcpy(a, bz_person_uuid(p), sizeof a);
		bz_person_free(p);
		ck_assert_bz(bz_person_register(&p, t, idb, "钱多", 0, NULL));
		memcpy(b, bz_person_uuid(p), sizeof b);
		bz_person_free(p);
		/* a: not the one registered last */
		ck_assert_bz(bz_placement_enter(NULL, t, a, organ, "XZ", s1, BZ_ENTRY_RECRUIT, "2021-01-01"));
		ck_assert_bz(bz_placement_enter(NULL, t, b, other, "XZ", s2, BZ_ENTRY_RECRUIT, "2022-03-01"));
		ck_assert_bz(bz_placement_enter(NULL, t, li, other, "XZ", s2, BZ_ENTRY_RECRUIT, "2023-05-01"));
		if (refused) /* 王强 in 武都区教育局 on slip 1's last post: 3 on establishment 2 */
			ck_assert_bz(bz_placement_enter(NULL, t, wang, organ, "XZ", NULL, BZ_ENTRY_RECRUIT, "2021-03-01"));
		int rc = bz_txn_commit(t);
		if (refused) {
			ck_assert_int_eq(rc, BZ_ECONSTRAINT);
			const bz_report *r = bz_txn_report(t);
			const bz_violation *v = NULL;
			for (size_t i = 0; i < bz_report_count(r) && !v; i++)
				if (bz_violation_rule(bz_report_get(r, i)) == BZ_RULE_R1)
					v = bz_report_get(r, i);
			ck_assert_ptr_nonnull(v);
			ck_assert_str_eq(bz_violation_rule_id(v), "R1");
			ck_assert_int_eq(bz_violation_severity(v), BZ_SEVERITY_ERROR);
			ck_assert_str_eq(bz_violation_subject(v), organ);
			ck_assert_str_eq(bz_violation_subject_name(v), "武都区教育局");
			ck_assert_str_eq(bz_violation_category(v), "XZ");
			ck_assert_int_eq(bz_violation_allowed(v), 2);
			ck_assert_int_eq(bz_violation_actual(v), 3);
			ck_assert_str_eq(bz_violation_date(v), "2021-03-01");
			bz_txn_free(t);
			ck_assert_int_eq(tu_count(F.l, "event"), events);
			ck_assert_int_eq(tu_count(F.l, "tl"), tl);
			ck_assert_int_eq(tu_count(F.l, "person"), persons);
			continue;
		}
		ck_assert_bz(rc);
		bz_txn_free(t);
	}
	char *na = entry_note(organ, a), *nb = entry_note(other, b);
	ck_assert_str_eq(na, "赵敏");
	ck_assert_str_eq(nb, "钱多");
	free(na);
	free(nb);
	static const struct {
		const char *unit, *date;
		int64_t staff, reserved;
	} want[] = {{organ, "2020-12-31", 0, 2}, {organ, "2021-01-01", 1, 1}, {organ, "2021-06-01", 2, 0},
		    {other, "2022-02-28", 0, 3}, {other, "2022-03-01", 1, 2}, {other, "2023-05-01", 2, 1}};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		bz_basic_table *tb = NULL;
		ck_assert_bz(bz_basic_table_get(&tb, F.l, want[i].unit, want[i].date));
		ck_assert_int_eq(bz_basic_table_staff(tb, 0), want[i].staff);
		ck_assert_int_eq(bz_basic_table_reserved(tb, 0), want[i].reserved);
		bz_basic_table_free(tb);
	}
	bz_report *r = NULL;
	ck_assert_bz(bz_ledger_check(&r, F.l, "2026-12-01"));
	ck_assert_ptr_null(fx_find(r, BZ_RULE_INTEGRITY, BZ_SEVERITY_ERROR));
	bz_report_free(r);
}
END_TEST

START_TEST(errors)
{
	bz_txn *t = tu_begin(F.l);
	ck_assert_int_eq(bz_slip_issue(NULL, t, organ, "XZ", 0, BZ_PURPOSE_EXAM, "2020-01-01", "2020-02-01", NULL), BZ_EINVAL);
	ck_assert_int_eq(bz_slip_issue(NULL, t, organ, "XZ", 1, BZ_PURPOSE_EXAM, "2020-03-01", "2020-02-01", NULL), BZ_EINVAL);
	ck_assert_int_eq(bz_slip_issue(NULL, t, organ, "XZ", 1, 77, "2020-01-01", "2020-02-01", NULL), BZ_EINVAL);
	ck_assert_int_eq(bz_slip_issue(NULL, t, organ, "NOPE", 1, BZ_PURPOSE_EXAM, "2020-01-01", "2020-02-01", NULL), BZ_ENOTFOUND);
	ck_assert_int_eq(bz_slip_issue(NULL, t, "00000000-0000-4000-8000-000000000000", "XZ", 1, BZ_PURPOSE_EXAM, "2020-01-01", "2020-02-01", NULL), BZ_ENOTFOUND);
	ck_assert_int_eq(bz_txn_set_document(t, F.county_doc), BZ_OK);
	ck_assert_bz(bz_slip_issue(NULL, t, organ, "XZ", 1, BZ_PURPOSE_EXAM, "2020-01-01", "2020-02-01", "S-1"));
	ck_assert_int_eq(bz_slip_issue(NULL, t, organ, "XZ", 1, BZ_PURPOSE_EXAM, "2020-01-01", "2020-02-01", "S-1"), BZ_EEXISTS);
	ck_assert_int_eq(bz_placement_enter(NULL, t, zhang, organ, "XZ", NULL, 55, "2020-01-05"), BZ_EINVAL);
	ck_assert_int_eq(bz_placement_enter(NULL, t, zhang, organ, "XZ", NULL, BZ_ENTRY_EXAM, "2020-13-05"), BZ_EINVAL);
	ck_assert_int_eq(bz_placement_enter(NULL, t, "00000000-0000-4000-8000-000000000000", organ, "XZ", NULL, BZ_ENTRY_EXAM, "2020-01-05"), BZ_ENOTFOUND);
	ck_assert_int_eq(bz_placement_enter(NULL, t, zhang, organ, "XZ", "00000000-0000-4000-8000-000000000000", BZ_ENTRY_EXAM, "2020-01-05"), BZ_ENOTFOUND);
	ck_assert_int_eq(bz_placement_exit(t, zhang, BZ_EXIT_RETIREMENT, "2020-01-05"), BZ_ENOTFOUND);
	ck_assert_int_eq(bz_placement_exit(t, zhang, 42, "2020-01-05"), BZ_EINVAL);
	ck_assert_int_eq(bz_slip_cancel(t, "00000000-0000-4000-8000-000000000000", "2020-01-05"), BZ_ENOTFOUND);
	ck_assert_int_eq(bz_placement_enter(NULL, NULL, zhang, organ, "XZ", NULL, BZ_ENTRY_EXAM, "2020-01-05"), BZ_EINVAL);
	ck_assert_bz(bz_txn_commit(t));
	ck_assert_int_eq(bz_placement_exit(t, zhang, BZ_EXIT_RETIREMENT, "2020-01-05"), BZ_EMISUSE);
	bz_txn_free(t);
	bz_slip *s = NULL;
	ck_assert_bz(bz_slip_lookup_number(&s, F.l, "S-1"));
	ck_assert_int_eq(bz_slip_purpose(s), BZ_PURPOSE_EXAM);
	bz_slip_free(s);
	bz_slip_iter *it = NULL;
	ck_assert_bz(bz_slip_list(&it, F.l, organ));
	ck_assert_int_eq(bz_slip_iter_next(&s, it), BZ_OK);
	bz_slip_free(s);
	ck_assert_int_eq(bz_slip_iter_next(&s, it), BZ_ITEROVER);
	bz_slip_iter_free(it);
	ck_assert_int_eq(bz_roster(NULL, F.l, organ, NULL), BZ_EINVAL);
}
END_TEST

START_TEST(retroactive_cut_below_later_hires_is_r7)
{
	char slip[37];
	ck_assert_int_eq(sf_slip(&F, slip, organ, "XZ", 2, "2020-01-01", "2020-12-31"), BZ_OK);
	ck_assert_int_eq(sf_hire(&F, zhang, organ, "XZ", slip, "2020-02-01"), BZ_OK);
	ck_assert_int_eq(sf_hire(&F, li, organ, "XZ", slip, "2020-02-01"), BZ_OK);
	long long facts = tu_count(F.l, "fact"), tl = tu_count(F.l, "tl");
	/* a cut to 1 post dated 2015: the slip of 2020 and its hires would have been over */
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_establishment_set(t, organ, "XZ", 1, "2015-01-01"));
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	const bz_violation *v = fx_find(bz_txn_report(t), BZ_RULE_R7, BZ_SEVERITY_ERROR);
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(bz_violation_subject(v), organ);
	ck_assert_str_eq(bz_violation_subject_name(v), "武都区教育局");
	ck_assert_str_eq(bz_violation_category(v), "XZ");
	ck_assert_int_eq(bz_violation_allowed(v), 1);
	ck_assert_int_eq(bz_violation_actual(v), 2);
	ck_assert_str_eq(bz_violation_date(v), "2020-01-01");
	ck_assert_str_eq(bz_violation_document_number(v), "武编发〔2013〕5号");
	bz_txn_free(t);
	ck_assert_int_eq(tu_count(F.l, "fact"), facts);
	ck_assert_int_eq(tu_count(F.l, "tl"), tl);
	/* the same cut dated after both hires: an administrative organ may not be
	 * made over establishment (seed §6), an institution would absorb it */
	t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, F.county_doc));
	ck_assert_bz(bz_establishment_set(t, organ, "XZ", 1, "2021-01-01"));
	ck_assert_int_eq(bz_txn_commit(t), BZ_ECONSTRAINT);
	v = fx_find(bz_txn_report(t), BZ_RULE_R1, BZ_SEVERITY_ERROR);
	ck_assert_str_eq(bz_violation_category(v), "organ:new-over");
	ck_assert_ptr_nonnull(v);
	ck_assert_int_eq(bz_violation_allowed(v), 1);
	ck_assert_int_eq(bz_violation_actual(v), 2);
	bz_txn_free(t);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("placement");
	TCase *tc = tcase_create("placement");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, slip_issue_hire_and_card);
	tcase_add_test(tc, r1_slip_beyond_vacancy_refused);
	tcase_add_test(tc, r8_hire_needs_a_live_slip);
	tcase_add_test(tc, r7_abolition_before_entries_counts_them);
	tcase_add_test(tc, r5_one_person_one_post);
	tcase_add_test(tc, r7_unit_life_and_age);
	tcase_add_test(tc, transfer_keeps_card_and_roster);
	tcase_add_test(tc, counters_within_a_transaction);
	tcase_add_test(tc, commit_judges_the_counters_it_wrote);
	tcase_add_test(tc, hires_read_what_the_transaction_knows);
	tcase_add_test(tc, errors);
	tcase_add_test(tc, retroactive_cut_below_later_hires_is_r7);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
