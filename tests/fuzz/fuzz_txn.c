/*
 * fuzz_txn: a transaction script — the input is a sequence of operations on
 * a county in memory (establish a unit, set or freeze establishment, issue
 * and cancel usage slips, register, hire, transfer and exit people, set
 * leadership quotas, commit, roll back), each call's arguments taken from
 * the following bytes. A small deterministic simulation: after every
 * successful commit the self-inspection (bz_ledger_check) must find no
 * error, a refused commit must leave the change log as it was, and no call
 * may crash or return a code outside its contract.
 */
#include "fuzz_common.h"

#define MAXU 8
#define MAXP 24
#define MAXS 16

typedef struct script {
	const uint8_t *p, *end;
	fz_county c;
	char unit[MAXU][BZ_UUID_LEN + 1];
	int nunit;
	char person[MAXP][BZ_UUID_LEN + 1];
	int nperson;
	char slip[MAXS][BZ_UUID_LEN + 1];
	int nslip;
	int seq;
} script;

static unsigned byte(script *s)
{
	return s->p < s->end ? *s->p++ : 0;
}

/* a date from 2013-02-01 on, one byte: about a month a step, some days apart */
static void date(script *s, char out[BZ_DATE_LEN + 1])
{
	unsigned b = byte(s);
	if (b == 255) { /* the end of the calendar */
		memcpy(out, BZ_DATE_MAX, BZ_DATE_LEN + 1);
		return;
	}
	unsigned y = 2013 + b / 16, m = 1 + b % 12, d = 1 + (b * 7) % 28;
	snprintf(out, BZ_DATE_LEN + 1, "%04u-%02u-%02u", y % 10000u, m % 100u, d % 100u);
}

static const char *unit_of(script *s)
{
	unsigned b = byte(s);
	return s->nunit ? s->unit[b % (unsigned)s->nunit] : NULL;
}

static const char *cat_of(script *s)
{
	return byte(s) & 1 ? "SY" : "XZ";
}

/* the codes a change call may give: success, a bad argument of the script,
 * an unknown entity, a call out of sequence; never a crash or an I/O error */
static void judge(int rc, const char *what, bz_ledger *l)
{
	if (getenv("FZ_TRACE"))
		fprintf(stderr, "%s: %d %s\n", what, rc, bz_ledger_errmsg(l));
	FZ_ASSERT(rc == BZ_OK || rc == BZ_EINVAL || rc == BZ_ENOTFOUND || rc == BZ_EEXISTS || rc == BZ_EMISUSE,
		  "%s: %d %s", what, rc, bz_ledger_errmsg(l));
	if (rc != BZ_OK)
		FZ_ASSERT(strcmp(bz_ledger_errmsg(l), "not an error") != 0, "%s returned %d saying 'not an error'", what, rc);
}

static int64_t events(bz_ledger *l)
{
	int64_t seq = 0;
	FZ_OK(bz_changes_last_seq(&seq, l));
	return seq;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	script s;
	memset(&s, 0, sizeof s);
	s.p = data;
	s.end = data + size;
	fz_county_new(&s.c);
	bz_ledger *l = s.c.l;
	for (int i = 0; i < 3; i++)
		memcpy(s.unit[s.nunit++], s.c.unit[i], BZ_UUID_LEN + 1);
	bz_txn *t = NULL;
	int64_t before = events(l);
	int ops = 0, nunit = s.nunit, nperson = 0, nslip = 0;
	while (s.p < s.end && ops++ < 64) {
		if (!t) {
			FZ_OK(bz_txn_begin(&t, l, "录入员", "武都区委编办"));
			FZ_OK(bz_txn_set_document(t, s.c.doc));
			before = events(l);
			/* what a refused or rolled-back transaction made is gone again */
			nunit = s.nunit;
			nperson = s.nperson;
			nslip = s.nslip;
		}
		char d1[BZ_DATE_LEN + 1], d2[BZ_DATE_LEN + 1];
		unsigned op = byte(&s) % 12;
		int rc = BZ_OK;
		switch (op) {
		case 0: { /* establish a unit */
			if (s.nunit == MAXU)
				break;
			static const char *const names[] = {"武都区财政局", "武都区第二中学", "武都区疾病预防控制中心",
							    "武都区林业和草原局", "武都区城关镇中心小学"};
			bz_unit_spec *spec = NULL;
			FZ_OK(bz_unit_spec_new(&spec));
			unsigned b = byte(&s);
			char name[96];
			snprintf(name, sizeof name, "%s%u", names[b % 5], (unsigned)s.seq++);
			FZ_OK(bz_unit_spec_set_name(spec, name));
			judge(bz_unit_spec_set_nature(spec, b & 8 ? BZ_NATURE_INSTITUTION : BZ_NATURE_ORGAN), "nature", l);
			judge(bz_unit_spec_set_rank(spec, b & 32 ? BZ_RANK_FUKE : BZ_RANK_NONE), "rank", l);
			FZ_OK(bz_unit_spec_set_jurisdiction(spec, "621202"));
			date(&s, d1);
			judge(bz_unit_spec_set_founded(spec, d1), "founded", l);
			if (b & 16)
				FZ_OK(bz_unit_spec_set_parent(spec, s.unit[0]));
			bz_unit *u = NULL;
			rc = bz_unit_establish(&u, t, spec);
			judge(rc, "bz_unit_establish", l);
			if (rc == BZ_OK)
				memcpy(s.unit[s.nunit++], bz_unit_uuid(u), BZ_UUID_LEN + 1);
			bz_unit_free(u);
			bz_unit_spec_free(spec);
			break;
		}
		case 1: { /* set establishment */
			const char *u = unit_of(&s), *cat = cat_of(&s);
			int64_t n = byte(&s) % 16;
			date(&s, d1);
			judge(bz_establishment_set(t, u, cat, n, d1), "bz_establishment_set", l);
			break;
		}
		case 2: { /* issue a slip */
			if (s.nslip == MAXS)
				break;
			const char *u = unit_of(&s), *cat = cat_of(&s);
			int posts = (int)(byte(&s) % 6) - 1;
			date(&s, d1);
			date(&s, d2);
			bz_slip *sl = NULL;
			rc = bz_slip_issue(&sl, t, u, cat, posts, BZ_PURPOSE_RECRUIT, d1, d2, NULL);
			judge(rc, "bz_slip_issue", l);
			if (rc == BZ_OK)
				memcpy(s.slip[s.nslip++], bz_slip_uuid(sl), BZ_UUID_LEN + 1);
			bz_slip_free(sl);
			break;
		}
		case 3: { /* register a person */
			if (s.nperson == MAXP)
				break;
			char id[19], birth[9];
			unsigned b = byte(&s);
			snprintf(birth, sizeof birth, "19%02u%02u%02u", 60 + b % 40, 1 + b % 12, 1 + b % 28);
			fz_idnum(id, "621202", birth, s.seq++);
			bz_person *p = NULL;
			rc = bz_person_register(&p, t, id, b & 1 ? "张伟" : "李娜", 0, NULL);
			judge(rc, "bz_person_register", l);
			if (rc == BZ_OK)
				memcpy(s.person[s.nperson++], bz_person_uuid(p), BZ_UUID_LEN + 1);
			bz_person_free(p);
			break;
		}
		case 4: { /* hire */
			unsigned pb = byte(&s), sb = byte(&s);
			const char *p = s.nperson ? s.person[pb % (unsigned)s.nperson] : NULL;
			const char *sl = s.nslip && (sb & 1) ? s.slip[(sb >> 1) % (unsigned)s.nslip] : NULL;
			const char *u = unit_of(&s), *cat = cat_of(&s);
			date(&s, d1);
			judge(bz_placement_enter(NULL, t, p, u, cat, sl, BZ_ENTRY_RECRUIT, d1), "bz_placement_enter", l);
			break;
		}
		case 5: { /* exit */
			unsigned pb = byte(&s);
			const char *p = s.nperson ? s.person[pb % (unsigned)s.nperson] : NULL;
			date(&s, d1);
			judge(bz_placement_exit(t, p, 1 + pb % 5, d1), "bz_placement_exit", l);
			break;
		}
		case 6: { /* transfer */
			unsigned pb = byte(&s);
			const char *p = s.nperson ? s.person[pb % (unsigned)s.nperson] : NULL;
			const char *u = unit_of(&s), *cat = cat_of(&s);
			date(&s, d1);
			judge(bz_placement_transfer(NULL, t, p, u, cat, NULL, d1), "bz_placement_transfer", l);
			break;
		}
		case 7: { /* cancel a slip */
			unsigned sb = byte(&s);
			date(&s, d1);
			if (s.nslip)
				judge(bz_slip_cancel(t, s.slip[sb % (unsigned)s.nslip], d1), "bz_slip_cancel", l);
			break;
		}
		case 8: { /* freeze */
			const char *u = unit_of(&s), *cat = cat_of(&s);
			int64_t n = byte(&s) % 4;
			date(&s, d1);
			judge(bz_establishment_freeze(t, u, cat, n, d1), "bz_establishment_freeze", l);
			break;
		}
		case 9: { /* leadership quota */
			const char *u = unit_of(&s);
			unsigned b = byte(&s);
			date(&s, d1);
			judge(bz_leadership_set(t, u, b % 3, (b >> 2) % 4, BZ_RANK_ZHENGKE, d1), "bz_leadership_set", l);
			break;
		}
		case 10: { /* commit */
			rc = bz_txn_commit(t);
			if (getenv("FZ_TRACE"))
				fprintf(stderr, "commit: %d %s\n", rc, bz_ledger_errmsg(l));
			FZ_ASSERT(rc == BZ_OK || rc == BZ_ECONSTRAINT, "commit: %d %s", rc, bz_ledger_errmsg(l));
			bz_txn_free(t);
			t = NULL;
			if (rc == BZ_OK) {
				fz_check_clean(l, "a commit");
				break;
			}
			FZ_ASSERT(events(l) == before, "a refused commit left change records");
			s.nunit = nunit;
			s.nperson = nperson;
			s.nslip = nslip;
			break;
		}
		case 11: /* roll back */
			FZ_OK(bz_txn_rollback(t));
			bz_txn_free(t);
			t = NULL;
			FZ_ASSERT(events(l) == before, "a rollback left change records");
			s.nunit = nunit;
			s.nperson = nperson;
			s.nslip = nslip;
			break;
		}
	}
	if (t) {
		int rc = bz_txn_commit(t);
		FZ_ASSERT(rc == BZ_OK || rc == BZ_ECONSTRAINT, "commit: %d %s", rc, bz_ledger_errmsg(l));
		bz_txn_free(t);
		if (rc == BZ_OK)
			fz_check_clean(l, "the last commit");
	}
	bz_ledger_close(l);
	return 0;
}
