/*
 * report_county.h: a county ledger for the reports' tests — the city of
 * 陇南 (621200) with 武都区 (621202) and 成县 (621221), 50 units (organs and
 * institutions, some under a supervising unit), establishment, quota
 * limits changed over the years, leadership quotas, sub-units, and up to
 * 1,000 people hired on usage slips, some retired, one transferred, one
 * unit cut below its staff (超编), frozen posts, a rename and a re-rank.
 *
 * Public API only, so that a test and a generator of ledger files
 * (report_county_main.c, for the tool's and the bindings' tests) build the
 * same county. rc_build() returns BZ_OK or the first failing status, with
 * a line saying where in rc_county_error.
 */
#ifndef BZ_REPORT_COUNTY_H
#define BZ_REPORT_COUNTY_H

#include "bianzhi.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RC_UNITS 50

typedef struct rc_unit {
	char uuid[BZ_UUID_LEN + 1];
	const char *name, *jur, *cat; /* its main category */
	int nature, rank, funding, parent; /* parent: index, -1 none */
	int est, staff;                    /* establishment in cat, people hired into it */
	int order;                         /* order of recording */
} rc_unit;

typedef struct rc_county {
	bz_ledger *l;
	char city_doc[BZ_UUID_LEN + 1], county_doc[BZ_UUID_LEN + 1], province_doc[BZ_UUID_LEN + 1];
	rc_unit u[RC_UNITS];
	int people;                            /* hired in all */
	char transferred_card[32];             /* card of the person transferred */
	int over_unit, frozen_unit, renamed_unit, reranked_unit, subunit_unit, late_unit, empty_unit;
	char error[256];
} rc_county;

#define RC_TRY(c, call)                                                                             \
	do {                                                                                        \
		int rc_ = (call);                                                                   \
		if (rc_ != BZ_OK) {                                                                 \
			snprintf((c)->error, sizeof (c)->error, "%s:%d %s: %s (%s)", __FILE__, __LINE__, \
				 #call, bz_strerror(rc_), bz_ledger_errmsg((c)->l));                \
			return rc_;                                                                 \
		}                                                                                   \
	} while (0)

static inline int rc_begin(rc_county *c, bz_txn **t, const char *doc)
{
	RC_TRY(c, bz_txn_begin(t, c->l, "李明", "武都区编办"));
	if (doc)
		RC_TRY(c, bz_txn_set_document(*t, doc));
	return BZ_OK;
}

static inline int rc_commit(rc_county *c, bz_txn *t)
{
	int rc = bz_txn_commit(t);
	if (rc != BZ_OK) {
		const bz_report *r = bz_txn_report(t);
		snprintf(c->error, sizeof c->error, "commit: %s: %s", bz_strerror(rc),
			 bz_report_count(r) ? bz_violation_message(bz_report_get(r, 0)) : bz_ledger_errmsg(c->l));
	}
	bz_txn_free(t);
	return rc;
}

/* an ID number with a computed check character */
static inline void rc_idnum(char out[19], const char *region, int year, int month, int day, int seq)
{
	static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
	snprintf(out, 19, "%.6s%04u%02u%02u%03u", region, (unsigned)year % 10000u, (unsigned)month % 100u,
		 (unsigned)day % 100u, (unsigned)seq % 1000u);
	int sum = 0;
	for (int i = 0; i < 17; i++)
		sum += (out[i] - '0') * w[i];
	out[17] = "10X98765432"[sum % 11];
	out[18] = '\0';
}

static inline void rc_name(char out[32], int i)
{
	static const char *const sur[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴",
					  "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗"};
	static const char *const giv[] = {"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋",
					  "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "霞", "平",
					  "刚", "桂英", "建华", "文", "华", "红", "建国", "志强", "玉兰", "海燕"};
	snprintf(out, 32, "%s%s", sur[i % 20], giv[(i / 20) % 30]);
}

static inline void rc_units_define(rc_county *c)
{
	/* recorded in this order: 武都区 first, the city's units after them, 成县 last */
	static const struct {
		const char *name, *jur;
		int nature, rank, funding, parent;
	} d[RC_UNITS] = {
		{"武都区人民政府办公室", "621202", 1, 4, 1, -1},
		{"武都区发展和改革局", "621202", 1, 4, 1, -1},
		{"武都区教育局", "621202", 1, 4, 1, -1},
		{"武都区科学技术局", "621202", 1, 4, 1, -1},
		{"武都区工业和信息化局", "621202", 1, 4, 1, -1},
		{"武都区公安局", "621202", 1, 4, 1, -1},
		{"武都区民政局", "621202", 1, 4, 1, -1},
		{"武都区司法局", "621202", 1, 4, 1, -1},
		{"武都区财政局", "621202", 1, 4, 1, -1},
		{"武都区人力资源和社会保障局", "621202", 1, 4, 1, -1},
		{"武都区自然资源局", "621202", 1, 4, 1, -1},
		{"武都区住房和城乡建设局", "621202", 1, 4, 1, -1},
		{"武都区交通运输局", "621202", 1, 4, 1, -1},
		{"武都区水务局", "621202", 1, 4, 1, -1},
		{"武都区农业农村局", "621202", 1, 4, 1, -1},
		{"武都区商务局", "621202", 1, 4, 1, -1},
		{"武都区文化和旅游局", "621202", 1, 4, 1, -1},
		{"武都区卫生健康局", "621202", 1, 4, 1, -1},
		{"武都区审计局", "621202", 1, 4, 1, -1},
		{"武都区统计局", "621202", 1, 4, 1, -1},
		{"武都区第一中学", "621202", 2, 3, 1, 2},
		{"武都区第二中学", "621202", 2, 3, 1, 2},
		{"武都区实验小学", "621202", 2, 2, 1, 2},
		{"武都区人民医院", "621202", 2, 3, 2, 17},
		{"武都区中医医院", "621202", 2, 3, 2, 17},
		{"武都区疾病预防控制中心", "621202", 2, 3, 1, 17},
		{"武都区妇幼保健院", "621202", 2, 2, 2, 17},
		{"武都区图书馆", "621202", 2, 2, 1, 16},
		{"武都区文化馆", "621202", 2, 2, 1, 16},
		{"武都区档案馆", "621202", 2, 3, 1, 0},
		{"武都区城乡供水保障中心", "621202", 2, 2, 3, 13},
		{"武都区融媒体中心", "621202", 2, 3, 1, 0},
		{"武都区农业技术推广中心", "621202", 2, 2, 1, 14},
		{"武都区林业技术推广站", "621202", 2, 0, 1, 14},
		{"武都区\"两新\"组织服务中心,党群服务站", "621202", 2, 0, 1, 0},
		{"陇南市机构编制委员会办公室", "621200", 1, 6, 1, -1},
		{"陇南市财政局", "621200", 1, 6, 1, -1},
		{"陇南市第一人民医院", "621200", 2, 5, 2, -1},
		{"陇南市博物馆", "621200", 2, 3, 1, -1},
		{"陇南市广播电视台", "621200", 2, 4, 3, -1},
		{"成县人民政府办公室", "621221", 1, 4, 1, -1},
		{"成县教育局", "621221", 1, 4, 1, -1},
		{"成县财政局", "621221", 1, 4, 1, -1},
		{"成县公安局", "621221", 1, 4, 1, -1},
		{"成县卫生健康局", "621221", 1, 4, 1, -1},
		{"成县第一中学", "621221", 2, 3, 1, 41},
		{"成县人民医院", "621221", 2, 3, 2, 44},
		{"成县图书馆", "621221", 2, 2, 1, -1},
		{"成县文化馆", "621221", 2, 2, 1, -1},
		{"成县乡村振兴服务中心", "621221", 2, 0, 1, 40},
	};
	for (int i = 0; i < RC_UNITS; i++) {
		rc_unit *u = &c->u[i];
		u->name = d[i].name;
		u->jur = d[i].jur;
		u->nature = d[i].nature;
		u->rank = d[i].rank;
		u->funding = d[i].funding;
		u->parent = d[i].parent;
		u->cat = u->nature == BZ_NATURE_ORGAN ? "XZ" : "SY";
		u->est = u->nature == BZ_NATURE_ORGAN ? 10 + (i % 5) * 3 : 20 + (i % 4) * 8;
		u->order = i;
	}
	c->over_unit = 23;     /* 武都区人民医院: establishment cut below its staff */
	c->frozen_unit = 26;   /* 武都区妇幼保健院: a post frozen */
	c->renamed_unit = 28;  /* 武都区文化馆 → renamed */
	c->reranked_unit = 31; /* 武都区融媒体中心: 副科 → 正科 */
	c->subunit_unit = 8;   /* 武都区财政局: sub-units */
	c->late_unit = 49;     /* 成县乡村振兴服务中心: founded 2020, no establishment */
	c->empty_unit = 49;
	c->u[49].est = 0;
}

/* people: how many to hire in all (1,000 for the full county; the later changes need at least 900) */
static inline int rc_build(rc_county *c, bz_ledger *l, int people)
{
	memset(c, 0, sizeof *c);
	c->l = l;
	rc_units_define(c);
	bz_txn *t = NULL;
	bz_document *d = NULL;

	/* jurisdictions and documents */
	RC_TRY(c, rc_begin(c, &t, NULL));
	RC_TRY(c, bz_jurisdiction_create(NULL, t, "620000", "甘肃省", NULL));
	RC_TRY(c, bz_jurisdiction_create(NULL, t, "621200", "陇南市", "620000"));
	RC_TRY(c, bz_jurisdiction_create(NULL, t, "621202", "武都区", "621200"));
	RC_TRY(c, bz_jurisdiction_create(NULL, t, "621221", "成县", "621200"));
	RC_TRY(c, bz_document_register(&d, t, "甘肃省机构编制委员会", "甘编发〔2009〕12号", "关于下达市县编制限额的通知",
				       "2009-05-10", BZ_LEVEL_PROVINCE, BZ_ISSUER_ESTABLISHMENT, "620000"));
	memcpy(c->province_doc, bz_document_uuid(d), BZ_UUID_LEN + 1);
	bz_document_free(d);
	RC_TRY(c, bz_document_register(&d, t, "陇南市机构编制委员会", "陇编发〔2009〕31号", "关于机构编制事项的通知",
				       "1999-12-20", BZ_LEVEL_CITY, BZ_ISSUER_ESTABLISHMENT, "621200"));
	memcpy(c->city_doc, bz_document_uuid(d), BZ_UUID_LEN + 1);
	bz_document_free(d);
	RC_TRY(c, bz_document_register(&d, t, "武都区机构编制委员会", "武编发〔2011〕5号", "关于用编事项的通知",
				       "1999-12-20", BZ_LEVEL_COUNTY, BZ_ISSUER_ESTABLISHMENT, "621202"));
	memcpy(c->county_doc, bz_document_uuid(d), BZ_UUID_LEN + 1);
	bz_document_free(d);
	RC_TRY(c, rc_commit(c, t));

	/* quota limits: the county's from the city, the city's from the province */
	RC_TRY(c, rc_begin(c, &t, c->city_doc));
	RC_TRY(c, bz_limit_set(t, "621202", BZ_BRANCH_ADMINISTRATIVE, 600, "2009-06-01"));
	RC_TRY(c, bz_limit_set(t, "621202", BZ_BRANCH_INSTITUTION, 1200, "2009-06-01"));
	RC_TRY(c, bz_limit_set(t, "621221", BZ_BRANCH_ADMINISTRATIVE, 200, "2009-06-01"));
	RC_TRY(c, bz_limit_set(t, "621221", BZ_BRANCH_INSTITUTION, 300, "2009-06-01"));
	RC_TRY(c, rc_commit(c, t));
	RC_TRY(c, rc_begin(c, &t, c->city_doc));
	RC_TRY(c, bz_limit_set(t, "621202", BZ_BRANCH_ADMINISTRATIVE, 560, "2015-03-01"));
	RC_TRY(c, bz_limit_set(t, "621202", BZ_BRANCH_INSTITUTION, 1260, "2016-07-01"));
	RC_TRY(c, rc_commit(c, t));
	RC_TRY(c, rc_begin(c, &t, c->province_doc));
	RC_TRY(c, bz_limit_set(t, "621200", BZ_BRANCH_ADMINISTRATIVE, 300, "2009-06-01"));
	RC_TRY(c, bz_limit_set(t, "621200", BZ_BRANCH_INSTITUTION, 500, "2009-06-01"));
	RC_TRY(c, rc_commit(c, t));

	/* units, establishment, leadership quotas */
	for (int i = 0; i < RC_UNITS; i++) {
		rc_unit *u = &c->u[i];
		bz_unit_spec *s = NULL;
		bz_unit *made = NULL;
		RC_TRY(c, bz_unit_spec_new(&s));
		bz_unit_spec_set_name(s, u->name);
		bz_unit_spec_set_nature(s, u->nature);
		bz_unit_spec_set_rank(s, u->rank);
		bz_unit_spec_set_funding(s, u->funding);
		bz_unit_spec_set_jurisdiction(s, u->jur);
		bz_unit_spec_set_founded(s, i == c->late_unit ? "2020-05-01" : "2000-01-01");
		if (u->parent >= 0)
			bz_unit_spec_set_parent(s, c->u[u->parent].uuid);
		RC_TRY(c, rc_begin(c, &t, c->city_doc));
		int rc = bz_unit_establish(&made, t, s);
		bz_unit_spec_free(s);
		RC_TRY(c, rc);
		memcpy(u->uuid, bz_unit_uuid(made), BZ_UUID_LEN + 1);
		bz_unit_free(made);
		if (u->est)
			RC_TRY(c, bz_establishment_set(t, u->uuid, u->cat, u->est, "2010-01-01"));
		if (u->nature == BZ_NATURE_ORGAN && u->est)
			RC_TRY(c, bz_establishment_set(t, u->uuid, "GQ", 2, "2010-01-01"));
		if (u->nature == BZ_NATURE_ORGAN)
			RC_TRY(c, bz_leadership_set(t, u->uuid, 1, 2, u->rank, "2010-01-01"));
		RC_TRY(c, rc_commit(c, t));
	}

	/* people: registered in one transaction, hired unit by unit on a slip each */
	int hired = 0, seq = 0;
	for (int i = 0; i < RC_UNITS && hired < people; i++) {
		rc_unit *u = &c->u[i];
		int n = u->est - (i % 3);
		if (n > people - hired)
			n = people - hired;
		if (n <= 0)
			continue;
		char (*ids)[BZ_UUID_LEN + 1] = malloc((size_t)n * sizeof *ids);
		if (!ids)
			return BZ_ENOMEM;
		RC_TRY(c, rc_begin(c, &t, NULL));
		for (int k = 0; k < n; k++, seq++) {
			char id[19], name[32];
			rc_idnum(id, u->jur, 1960 + seq % 35, 1 + seq % 12, 1 + seq % 28, seq);
			rc_name(name, seq);
			bz_person *p = NULL;
			RC_TRY(c, bz_person_register(&p, t, id, name, 0, NULL));
			memcpy(ids[k], bz_person_uuid(p), BZ_UUID_LEN + 1);
			bz_person_free(p);
			if (seq % 10 == 0) {
				RC_TRY(c, bz_person_set_attr(t, ids[k], "民族", seq % 20 ? "汉族" : "回族", "2011-01-01"));
				RC_TRY(c, bz_person_set_attr(t, ids[k], "学历", "大学本科", "2011-01-01"));
				RC_TRY(c, bz_person_set_attr(t, ids[k], "参加工作时间", "2011-03-01", "2011-03-01"));
			}
		}
		RC_TRY(c, rc_commit(c, t));
		RC_TRY(c, rc_begin(c, &t, c->city_doc));
		bz_slip *slip = NULL;
		char number[32];
		snprintf(number, sizeof number, "%s-2011-%03d", u->jur, i + 1);
		RC_TRY(c, bz_slip_issue(&slip, t, u->uuid, u->cat, n, BZ_PURPOSE_RECRUIT, "2011-01-01", "2011-12-31", number));
		for (int k = 0; k < n; k++)
			RC_TRY(c, bz_placement_enter(NULL, t, ids[k], u->uuid, u->cat, bz_slip_uuid(slip), BZ_ENTRY_RECRUIT,
						     "2011-03-01"));
		bz_slip_free(slip);
		RC_TRY(c, rc_commit(c, t));
		u->staff += n;
		hired += n;
		/* two of the unit's people retire in 2015 (every fifth unit) */
		if (i % 5 == 4 && n > 2) {
			RC_TRY(c, rc_begin(c, &t, c->city_doc));
			RC_TRY(c, bz_placement_exit(t, ids[0], BZ_EXIT_RETIREMENT, "2015-06-30"));
			RC_TRY(c, bz_placement_exit(t, ids[1], BZ_EXIT_RETIREMENT, "2015-06-30"));
			RC_TRY(c, rc_commit(c, t));
			u->staff -= 2;
		}
		/* the first of 武都区第一中学 moves to the 实验小学 in 2016 */
		if (i == 20) {
			rc_unit *to = &c->u[22];
			RC_TRY(c, rc_begin(c, &t, c->city_doc));
			bz_slip *s2 = NULL;
			RC_TRY(c, bz_slip_issue(&s2, t, to->uuid, to->cat, 1, BZ_PURPOSE_TRANSFER_IN, "2016-01-01", "2016-12-31",
						"621202-2016-001"));
			RC_TRY(c, rc_commit(c, t));
			RC_TRY(c, rc_begin(c, &t, c->city_doc));
			RC_TRY(c, bz_placement_transfer(NULL, t, ids[n - 1], to->uuid, to->cat, bz_slip_uuid(s2), "2016-09-01"));
			bz_slip_free(s2);
			RC_TRY(c, rc_commit(c, t));
			bz_person *p = NULL;
			RC_TRY(c, bz_person_lookup(&p, l, ids[n - 1]));
			snprintf(c->transferred_card, sizeof c->transferred_card, "%s", bz_person_card(p));
			bz_person_free(p);
			u->staff -= 1;
			to->staff += 1;
		}
		free(ids);
	}
	c->people = hired;

	/* later changes: a cut below staff, frozen posts, a rename, a re-rank, sub-units */
	rc_unit *o = &c->u[c->over_unit];
	RC_TRY(c, rc_begin(c, &t, c->city_doc));
	RC_TRY(c, bz_establishment_set(t, o->uuid, o->cat, o->staff - 3, "2017-01-01"));
	RC_TRY(c, rc_commit(c, t));
	o->est = o->staff - 3;
	rc_unit *f = &c->u[c->frozen_unit];
	RC_TRY(c, rc_begin(c, &t, c->city_doc));
	RC_TRY(c, bz_establishment_freeze(t, f->uuid, f->cat, 1, "2018-01-01"));
	RC_TRY(c, bz_unit_rename(t, c->u[c->renamed_unit].uuid, "武都区文化馆（非物质文化遗产保护中心）", "2019-04-01"));
	RC_TRY(c, bz_unit_set_rank(t, c->u[c->reranked_unit].uuid, BZ_RANK_ZHENGKE, "2019-04-01"));
	RC_TRY(c, rc_commit(c, t));
	c->u[c->renamed_unit].name = "武都区文化馆（非物质文化遗产保护中心）";
	c->u[c->reranked_unit].rank = BZ_RANK_ZHENGKE;
	rc_unit *su = &c->u[c->subunit_unit];
	RC_TRY(c, rc_begin(c, &t, c->city_doc));
	RC_TRY(c, bz_subunit_approve(t, su->uuid, 4, "2012-01-01"));
	RC_TRY(c, bz_subunit_create(NULL, t, su->uuid, "办公室", BZ_RANK_ZHENGGU, "2012-02-01"));
	RC_TRY(c, bz_subunit_create(NULL, t, su->uuid, "预算股", BZ_RANK_ZHENGGU, "2012-02-01"));
	RC_TRY(c, bz_subunit_create(NULL, t, su->uuid, "国库股", BZ_RANK_ZHENGGU, "2012-02-01"));
	RC_TRY(c, rc_commit(c, t));
	return BZ_OK;
}

#endif
