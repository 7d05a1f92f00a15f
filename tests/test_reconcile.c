/*
 * test_reconcile.c: reconciliation of another department's roster with
 * Table 3 (reconcile.h, seed §11, the 吃空饷 check).
 *
 * A county (武都区) of five units and 300 people in post, a unit of 成县 with
 * ten more, one retiree, one person registered but never placed; a roster
 * written here with every kind of difference (GB18030 without BOM in one
 * test, UTF-8 with BOM in another), each asserted field by field; a clean
 * roster (XLSX) that gives none.
 */
#include "staff_fixture.h"
#include "tabular.h"

#include <iconv.h>
#include <unistd.h>
#include <xlsxwriter.h>

#define NPEOPLE 300
#define NCHENG 10
#define DATE "2026-06-30"

enum { EDU, HEALTH, FINANCE, SCHOOL, HOSPITAL, CHENG, NUNITS };
static const char *const unit_names[NUNITS] = {"武都区教育局", "武都区卫生健康局", "武都区财政局",
					       "武都区第一中学", "武都区人民医院", "成县教育局"};

typedef struct person {
	char uuid[BZ_UUID_LEN + 1], placement[BZ_UUID_LEN + 1];
	char id[19], name[32];
	int unit;
	const char *cat;
} person;

static fx F;
static char units[NUNITS][BZ_UUID_LEN + 1];
static char credit[NUNITS][19];
static person P[NPEOPLE + NCHENG + 1];
#define LOST (NPEOPLE + NCHENG) /* registered, never placed */
#define RETIREE 10
static const char *const entry_doc = "武编发〔2013〕5号";
static const char *const exit_doc = "武编发〔2026〕12号";

static const char *const surnames[20] = {"张", "王", "李", "赵", "刘", "陈", "杨", "黄", "周", "吴",
					  "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗"};
static const char *const given[30] = {"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋",
				       "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "霞", "平",
				       "刚", "桂英", "建华", "文", "华", "金凤", "玉兰", "志强", "海燕", "红"};

static const char *cat_of(int unit) { return unit == SCHOOL || unit == HOSPITAL ? "SY" : "XZ"; }
static const char *cat_name(const char *code) { return strcmp(code, "SY") == 0 ? "事业编制" : "行政编制"; }

static void make_unit(int u, int nature, const char *jur, const char *doc, bool with_credit)
{
	bz_unit_spec *s = NULL;
	ck_assert_bz(bz_unit_spec_new(&s));
	ck_assert_bz(bz_unit_spec_set_name(s, unit_names[u]));
	ck_assert_bz(bz_unit_spec_set_nature(s, nature));
	ck_assert_bz(bz_unit_spec_set_rank(s, nature == BZ_NATURE_ORGAN ? BZ_RANK_ZHENGKE : BZ_RANK_NONE));
	ck_assert_bz(bz_unit_spec_set_jurisdiction(s, jur));
	ck_assert_bz(bz_unit_spec_set_founded(s, "2010-01-01"));
	if (with_credit) {
		char body[16]; /* 8 used: fx_credit takes %.8s */
		snprintf(body, sizeof body, "7%07d", 1234 + u);
		fx_credit(credit[u], nature == BZ_NATURE_ORGAN ? '1' : '2', jur, body);
		ck_assert_bz(bz_unit_spec_set_credit_code(s, credit[u]));
	}
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, doc));
	bz_unit *un = NULL;
	ck_assert_bz(bz_unit_establish(&un, t, s));
	memcpy(units[u], bz_unit_uuid(un), BZ_UUID_LEN + 1);
	bz_unit_free(un);
	bz_unit_spec_free(s);
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
}

static void register_person(bz_txn *t, int i, const char *region, int unit)
{
	person *p = &P[i];
	char birth[16];
	snprintf(birth, sizeof birth, "%04u%02u%02u", 1960u + (unsigned)i % 35, 1u + (unsigned)i % 12, 1u + (unsigned)i % 28);
	sf_idnum(p->id, region, birth, i);
	snprintf(p->name, sizeof p->name, "%s%s", surnames[i % 20], given[(i / 20) % 30]);
	p->unit = unit;
	p->cat = unit >= 0 ? cat_of(unit) : NULL;
	bz_person *bp = NULL;
	ck_assert_bz(bz_person_register(&bp, t, p->id, p->name, 0, NULL));
	memcpy(p->uuid, bz_person_uuid(bp), BZ_UUID_LEN + 1);
	bz_person_free(bp);
}

/* every person of a unit registered, a slip for them all, and each placed, in one transaction */
static void staff_unit(int u, int from, int to, const char *region)
{
	bz_txn *t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, fx_doc_for(&F, units[u])));
	int n = 0;
	for (int i = from; i < to; i++)
		if (i % 5 == u || u == CHENG) {
			register_person(t, i, region, u);
			n++;
		}
	bz_slip *s = NULL;
	ck_assert_bz(bz_slip_issue(&s, t, units[u], cat_of(u), n, BZ_PURPOSE_RECRUIT, "2015-01-01", "2015-12-31", NULL));
	for (int i = from; i < to; i++) {
		if (!(i % 5 == u || u == CHENG))
			continue;
		bz_placement *pl = NULL;
		ck_assert_bz(bz_placement_enter(&pl, t, P[i].uuid, units[u], cat_of(u), bz_slip_uuid(s), BZ_ENTRY_RECRUIT,
						"2015-03-01"));
		memcpy(P[i].placement, bz_placement_uuid(pl), BZ_UUID_LEN + 1);
		bz_placement_free(pl);
	}
	bz_slip_free(s);
	int rc = bz_txn_commit(t);
	if (rc != BZ_OK)
		ck_abort_msg("staffing %s: %s", unit_names[u], bz_ledger_errmsg(F.l));
	bz_txn_free(t);
}

static void setup(void)
{
	fx_setup(&F);
	make_unit(EDU, BZ_NATURE_ORGAN, "621202", F.county_doc, false);
	make_unit(HEALTH, BZ_NATURE_ORGAN, "621202", F.county_doc, false);
	make_unit(FINANCE, BZ_NATURE_ORGAN, "621202", F.county_doc, true);
	make_unit(SCHOOL, BZ_NATURE_INSTITUTION, "621202", F.county_doc, true);
	make_unit(HOSPITAL, BZ_NATURE_INSTITUTION, "621202", F.county_doc, false);
	make_unit(CHENG, BZ_NATURE_ORGAN, "621221", F.city_doc, false);
	for (int u = 0; u < NUNITS; u++)
		fx_est(&F, units[u], cat_of(u), u == CHENG ? NCHENG : 70, "2014-01-01");
	for (int u = EDU; u <= HOSPITAL; u++)
		staff_unit(u, 0, NPEOPLE, "621202");
	staff_unit(CHENG, NPEOPLE, NPEOPLE + NCHENG, "621221");
	/* one retires before the date, on a document of its own */
	bz_txn *t = tu_begin(F.l);
	char doc[BZ_UUID_LEN + 1];
	fx_doc(t, doc, "武都区机构编制委员会", exit_doc, BZ_LEVEL_COUNTY, BZ_ISSUER_ESTABLISHMENT, "621202");
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	t = tu_begin(F.l);
	ck_assert_bz(bz_txn_set_document(t, doc));
	ck_assert_bz(bz_placement_exit(t, P[RETIREE].uuid, BZ_EXIT_RETIREMENT, "2026-03-31"));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	/* one registered, never placed */
	t = tu_begin(F.l);
	register_person(t, LOST, "621202", -1);
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
}

static void teardown(void) { bz_ledger_close(F.l); }

/* ---- the roster and what the reconciliation must find ---------------------- */

typedef struct expect {
	int kind;
	long line;
	char id[32];
	const char *rname;  /* NULL: no roster row */
	int person;         /* index into P, -1 none */
	const char *runit;  /* NULL: no roster row */
	int unit;           /* ledger unit, -1 none */
	const char *rcat;
	bool placement;     /* the person's placement */
	const char *doc;
	char detail[256];
} expect;

typedef struct roster {
	char *text;
	size_t len, cap;
	long line;
	expect e[64];
	int ne;
} roster;

static long add_row(roster *r, const char *unit, const char *code, const char *name, const char *id, const char *cat,
		    const char *pay)
{
	char buf[512];
	int n = snprintf(buf, sizeof buf, "%ld,%s,%s,%s,%s,%s,%s\r\n", r->line, unit, code, name, id, cat, pay);
	if (r->len + (size_t)n + 1 > r->cap) {
		r->cap = (r->cap + (size_t)n) * 2;
		r->text = realloc(r->text, r->cap);
	}
	memcpy(r->text + r->len, buf, (size_t)n + 1);
	r->len += (size_t)n;
	return ++r->line;
}

static expect *want(roster *r, int kind, long line, const char *id, int person)
{
	expect *e = &r->e[r->ne++];
	memset(e, 0, sizeof *e);
	e->kind = kind;
	e->line = line;
	snprintf(e->id, sizeof e->id, "%.31s", id ? id : "");
	e->person = person;
	e->unit = -1;
	return e;
}

/* an ID number of P[i] with its birth date or sequence changed, check character right */
static void other_id(char out[19], int i, const char *birth8, int seq)
{
	sf_idnum(out, "621202", birth8, seq);
	(void)i;
}

/*
 * The roster of 武都区 at DATE, everyone as the ledger has them except for
 * the planted differences, each noted in r->e.
 */
static void build_roster(roster *r)
{
	memset(r, 0, sizeof *r);
	r->line = 1;
	const char *head = "序号,单位名称,统一社会信用代码,姓　名,*身份证号,编制类别（必填）,发放状态\r\n";
	r->cap = 65536;
	r->text = malloc(r->cap);
	r->len = strlen(head);
	memcpy(r->text, head, r->len + 1);
	char id[32];
	long ln;
	expect *e;
	for (int i = 0; i < NPEOPLE; i++) {
		person *p = &P[i];
		const char *uname = unit_names[p->unit], *code = "", *name = p->name, *pay = "正常";
		snprintf(id, sizeof id, "%s", p->id);
		const char *cat = i % 7 == 0 ? p->cat : cat_name(p->cat); /* codes too */
		switch (i) {
		case 0: /* the same number, another name */
			ln = add_row(r, uname, code, "王小明", id, cat, pay);
			e = want(r, BZ_DIFF_NAME, ln, p->id, i);
			e->rname = "王小明", e->runit = uname, e->unit = p->unit, e->rcat = p->cat, e->placement = true;
			e->doc = entry_doc;
			snprintf(e->detail, sizeof e->detail, "the ledger has another name for this ID number");
			continue;
		case 1: /* under another unit, by name */
			ln = add_row(r, unit_names[FINANCE], code, name, id, cat, pay);
			e = want(r, BZ_DIFF_UNIT, ln, p->id, i);
			e->rname = name, e->runit = unit_names[FINANCE], e->unit = p->unit, e->rcat = cat, e->placement = true;
			e->doc = entry_doc;
			snprintf(e->detail, sizeof e->detail, "another unit of the ledger");
			continue;
		case 2: /* under another unit, by credit code (which decides over the name) */
			ln = add_row(r, uname, credit[SCHOOL], name, id, cat, pay);
			e = want(r, BZ_DIFF_UNIT, ln, p->id, i);
			e->rname = name, e->runit = credit[SCHOOL], e->unit = p->unit, e->rcat = cat, e->placement = true;
			e->doc = entry_doc;
			snprintf(e->detail, sizeof e->detail, "another unit of the ledger");
			continue;
		case 3: /* under a unit the ledger does not know */
			ln = add_row(r, "武都区第九中学", code, name, id, cat, pay);
			e = want(r, BZ_DIFF_UNIT, ln, p->id, i);
			e->rname = name, e->runit = "武都区第九中学", e->unit = p->unit, e->rcat = cat, e->placement = true;
			e->doc = entry_doc;
			snprintf(e->detail, sizeof e->detail, "no unit of the ledger has this name or credit code");
			continue;
		case 4: /* another category */
			ln = add_row(r, uname, code, name, id, "行政编制", pay);
			e = want(r, BZ_DIFF_CATEGORY, ln, p->id, i);
			e->rname = name, e->runit = uname, e->unit = p->unit, e->rcat = "行政编制", e->placement = true;
			e->doc = entry_doc;
			snprintf(e->detail, sizeof e->detail, "another category");
			continue;
		case 5: /* left out */
			e = want(r, BZ_DIFF_NOT_ON_ROSTER, 0, p->id, i);
			e->unit = p->unit, e->placement = true, e->doc = entry_doc;
			snprintf(e->detail, sizeof e->detail, "not on the roster");
			continue;
		case 6: /* on it, unpaid */
			ln = add_row(r, uname, code, name, id, cat, "停发");
			e = want(r, BZ_DIFF_NOT_ON_ROSTER, ln, p->id, i);
			e->rname = name, e->runit = uname, e->unit = p->unit, e->rcat = cat, e->placement = true;
			e->doc = entry_doc;
			snprintf(e->detail, sizeof e->detail, "on the roster, unpaid");
			continue;
		case 7: /* a wrong check character */
			id[17] = id[17] == '0' ? '1' : '0';
			ln = add_row(r, uname, code, name, id, cat, pay);
			e = want(r, BZ_DIFF_IDNUM, ln, id, i);
			e->rname = name, e->runit = uname, e->unit = p->unit, e->rcat = cat, e->placement = true;
			e->doc = entry_doc;
			snprintf(e->detail, sizeof e->detail,
				 "the roster's number: wrong check character (GB 11643, ISO 7064 MOD 11-2); the ledger's number is %.18s",
				 p->id);
			continue;
		case 8: { /* another birth date in the number (a valid one): matched by name in the unit */
			char nid[19], b[11];
			other_id(nid, i, "19680309", i);
			ln = add_row(r, uname, code, name, nid, cat, pay);
			e = want(r, BZ_DIFF_IDNUM, ln, nid, i);
			e->rname = name, e->runit = uname, e->unit = p->unit, e->rcat = cat, e->placement = true;
			e->doc = entry_doc;
			snprintf(b, sizeof b, "%.4s-%.2s-%.2s", p->id + 6, p->id + 10, p->id + 12);
			snprintf(e->detail, sizeof e->detail,
				 "birth date 1968-03-09 in the roster's number, %s in the ledger; matched by name in the unit: "
				 "the ledger's number is %.18s", b, p->id);
			continue;
		}
		case 9: { /* another sex in the number */
			char nid[19], b8[9];
			snprintf(b8, sizeof b8, "%.8s", p->id + 6);
			other_id(nid, i, b8, 10); /* sequence 9 (男) → 10 (女) */
			ln = add_row(r, uname, code, name, nid, cat, pay);
			e = want(r, BZ_DIFF_IDNUM, ln, nid, i);
			e->rname = name, e->runit = uname, e->unit = p->unit, e->rcat = cat, e->placement = true;
			e->doc = entry_doc;
			snprintf(e->detail, sizeof e->detail,
				 "sex 女 in the roster's number, 男 in the ledger; matched by name in the unit: the ledger's number is %.18s",
				 p->id);
			continue;
		}
		case RETIREE: /* left, still paid */
			ln = add_row(r, uname, code, name, id, cat, pay);
			e = want(r, BZ_DIFF_LEFT_PAID, ln, p->id, i);
			e->rname = name, e->runit = uname, e->unit = p->unit, e->rcat = cat, e->placement = true;
			e->doc = exit_doc;
			snprintf(e->detail, sizeof e->detail, "left on 2026-03-31 (退休)");
			continue;
		case 11: { /* twice */
			long first = add_row(r, uname, code, name, id, cat, pay);
			ln = add_row(r, uname, code, name, id, cat, pay);
			e = want(r, BZ_DIFF_DUPLICATE, ln, p->id, -1);
			e->rname = name, e->runit = uname, e->rcat = cat;
			snprintf(e->detail, sizeof e->detail, "also on line %ld", first);
			continue;
		}
		case 12: { /* the 15-digit form alone matches: no difference */
			char id15[16];
			snprintf(id15, sizeof id15, "%.6s%.9s", p->id, p->id + 8);
			add_row(r, uname, code, name, id15, cat, pay);
			continue;
		}
		case 13: { /* the 18-digit form, then the 15-digit one: twice */
			char id15[16];
			snprintf(id15, sizeof id15, "%.6s%.9s", p->id, p->id + 8);
			long first = add_row(r, uname, code, name, id, cat, pay);
			ln = add_row(r, uname, code, name, id15, cat, pay);
			e = want(r, BZ_DIFF_DUPLICATE, ln, p->id, -1);
			e->rname = name, e->runit = uname, e->rcat = cat;
			snprintf(e->detail, sizeof e->detail, "also on line %ld", first);
			continue;
		}
		case 14: { /* spaces in a name are no difference, nor a lower-case category code */
			char spaced[40];
			snprintf(spaced, sizeof spaced, "%.3s %.30s", name, name + 3);
			add_row(r, uname, code, spaced, id, strcmp(p->cat, "XZ") ? "sy" : "xz", pay);
			continue;
		}
		default:
			add_row(r, uname, code, name, id, cat, pay);
		}
	}
	/* paid, nobody in the ledger (吃空饷) */
	char ghost[19];
	sf_idnum(ghost, "621202", "19880707", 777);
	ln = add_row(r, unit_names[EDU], "", "钱多多", ghost, "行政编制", "");
	e = want(r, BZ_DIFF_NOT_ESTABLISHED, ln, ghost, -1);
	e->rname = "钱多多", e->runit = unit_names[EDU], e->rcat = "行政编制";
	snprintf(e->detail, sizeof e->detail, "nobody with this ID number in the ledger");
	/* paid, registered but never in post */
	ln = add_row(r, unit_names[HEALTH], "", P[LOST].name, P[LOST].id, "行政编制", "是");
	e = want(r, BZ_DIFF_NOT_ESTABLISHED, ln, P[LOST].id, LOST);
	e->rname = P[LOST].name, e->runit = unit_names[HEALTH], e->rcat = "行政编制";
	snprintf(e->detail, sizeof e->detail, "in the ledger, but in post nowhere on " DATE);
	/* a person of 成县 on 武都区's roster: another unit */
	ln = add_row(r, unit_names[EDU], "", P[NPEOPLE].name, P[NPEOPLE].id, "行政编制", "");
	e = want(r, BZ_DIFF_UNIT, ln, P[NPEOPLE].id, NPEOPLE);
	e->rname = P[NPEOPLE].name, e->runit = unit_names[EDU], e->unit = CHENG, e->rcat = "行政编制", e->placement = true;
	e->doc = "陇编发〔2012〕31号";
	snprintf(e->detail, sizeof e->detail, "another unit of the ledger");
	/* a number of 14 digits, nobody's */
	ln = add_row(r, unit_names[EDU], "", "赵某", "62120219880707", "行政编制", "");
	e = want(r, BZ_DIFF_IDNUM, ln, "62120219880707", -1);
	e->rname = "赵某", e->runit = unit_names[EDU], e->rcat = "行政编制";
	snprintf(e->detail, sizeof e->detail,
		 "the roster's number: must have 18 characters (or 15 for a legacy number); nobody in the ledger with these digits");
	/* a total line without a number */
	ln = add_row(r, "合计", "", "", "", "", "");
	e = want(r, BZ_DIFF_UNREADABLE, ln, NULL, -1);
	e->rname = "", e->runit = "合计", e->rcat = "";
	snprintf(e->detail, sizeof e->detail, "no ID number");
}

static void write_file(const char *path, const void *b, size_t n)
{
	FILE *f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(b, 1, n, f), n);
	ck_assert_int_eq(fclose(f), 0);
}

static const char *tmp(const char *tag)
{
	static char buf[256];
	const char *dir = getenv("TMPDIR");
	snprintf(buf, sizeof buf, "%s/bz-rec-%s-%ld", dir ? dir : "/tmp", tag, (long)getpid());
	return buf;
}

static void streq(const char *got, const char *want, const char *what, long line)
{
	if (!want) {
		ck_assert_msg(got == NULL, "line %ld %s: [%s], NULL expected", line, what, got);
		return;
	}
	ck_assert_msg(got && strcmp(got, want) == 0, "line %ld %s: [%s], [%s] expected", line, what, got ? got : "(null)",
		      want);
}

/* the differences of the iterator are exactly the expected ones, in order */
static void check_diffs(bz_diff_iter *it, expect *e, int ne)
{
	for (int k = 0; k < ne; k++) {
		bz_diff *d = NULL;
		int rc = bz_diff_iter_next(&d, it);
		ck_assert_msg(rc == BZ_OK, "difference %d (kind %d line %ld): %d", k, e[k].kind, e[k].line, rc);
		long ln = e[k].line;
		ck_assert_msg(bz_diff_kind(d) == e[k].kind, "line %ld: kind %d, %d expected (%s)", ln, bz_diff_kind(d),
			      e[k].kind, bz_diff_detail(d));
		ck_assert_int_eq(bz_diff_line(d), ln);
		streq(bz_diff_id_number(d), e[k].id[0] ? e[k].id : NULL, "id", ln);
		streq(bz_diff_roster_name(d), e[k].rname, "roster name", ln);
		streq(bz_diff_roster_unit(d), e[k].runit, "roster unit", ln);
		streq(bz_diff_roster_category(d), e[k].rcat, "roster category", ln);
		const person *p = e[k].person >= 0 ? &P[e[k].person] : NULL;
		streq(bz_diff_person(d), p ? p->uuid : NULL, "person", ln);
		streq(bz_diff_ledger_name(d), p ? p->name : NULL, "ledger name", ln);
		streq(bz_diff_unit(d), e[k].unit >= 0 ? units[e[k].unit] : NULL, "unit", ln);
		streq(bz_diff_unit_name(d), e[k].unit >= 0 ? unit_names[e[k].unit] : NULL, "unit name", ln);
		const char *cat = e[k].placement ? p->cat : NULL;
		streq(bz_diff_category(d), cat, "category", ln);
		streq(bz_diff_category_name(d), cat ? cat_name(cat) : NULL, "category name", ln);
		streq(bz_diff_placement(d), e[k].placement ? p->placement : NULL, "placement", ln);
		streq(bz_diff_document(d), e[k].doc, "document", ln);
		streq(bz_diff_detail(d), e[k].detail, "detail", ln);
		bz_diff_free(d);
	}
	bz_diff *d = NULL;
	int rc = bz_diff_iter_next(&d, it);
	if (rc == BZ_OK)
		ck_abort_msg("an unexpected difference: kind %d line %ld %s %s", bz_diff_kind(d), (long)bz_diff_line(d),
			     bz_diff_id_number(d), bz_diff_detail(d));
	ck_assert_int_eq(rc, BZ_ITEROVER);
}

/* expectations in the iterator's order: by line, those without one last (by unit name, then name) */
static int by_line(const void *a, const void *b)
{
	const expect *x = a, *y = b;
	if ((x->line == 0) != (y->line == 0))
		return x->line == 0 ? 1 : -1;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->kind != y->kind)
		return x->kind - y->kind;
	int c = strcmp(x->unit >= 0 ? unit_names[x->unit] : "", y->unit >= 0 ? unit_names[y->unit] : "");
	return c ? c : strcmp(x->person >= 0 ? P[x->person].name : "", y->person >= 0 ? P[y->person].name : "");
}

static void reconcile_every_kind(bool gb18030)
{
	roster r;
	build_roster(&r);
	const char *path = tmp(gb18030 ? "gb.csv" : "bom.csv");
	if (gb18030) {
		iconv_t cd = iconv_open("GB18030", "UTF-8");
		size_t in_left = r.len, cap = r.len * 2, out_left = cap;
		char *out = malloc(cap), *in = r.text, *o = out;
		ck_assert_uint_ne(iconv(cd, &in, &in_left, &o, &out_left), (size_t)-1);
		iconv_close(cd);
		write_file(path, out, cap - out_left);
		free(out);
	} else {
		char *b = malloc(r.len + 3);
		memcpy(b, "\xEF\xBB\xBF", 3);
		memcpy(b + 3, r.text, r.len);
		write_file(path, b, r.len + 3);
		free(b);
	}
	qsort(r.e, (size_t)r.ne, sizeof *r.e, by_line);

	bz_diff_iter *it = NULL;
	ck_assert_bz(bz_reconcile(&it, F.l, path, "621202", DATE));
	check_diffs(it, r.e, r.ne);
	bz_diff_iter_free(it);
	/* the temporary rows go with the iterator */
	ck_assert_int_eq(tu_count(F.l, "temp.bz_rec_row"), 0);
	ck_assert_int_eq(tu_count(F.l, "temp.bz_rec_diff"), 0);

	/* the whole ledger: 成县's other nine are not on 武都区's roster */
	for (int j = NPEOPLE + 1; j < NPEOPLE + NCHENG; j++) {
		expect *e = want(&r, BZ_DIFF_NOT_ON_ROSTER, 0, P[j].id, j);
		e->unit = CHENG, e->placement = true, e->doc = "陇编发〔2012〕31号";
		snprintf(e->detail, sizeof e->detail, "not on the roster");
	}
	qsort(r.e, (size_t)r.ne, sizeof *r.e, by_line);
	ck_assert_bz(bz_reconcile(&it, F.l, path, NULL, DATE));
	check_diffs(it, r.e, r.ne);
	bz_diff_iter_free(it);
	unlink(path);
	free(r.text);
}

START_TEST(every_kind_gb18030)
{
	reconcile_every_kind(true);
}
END_TEST

START_TEST(every_kind_utf8_bom)
{
	reconcile_every_kind(false);
}
END_TEST

/* the roster as the ledger has it, as an XLSX with its columns in another order: nothing differs */
START_TEST(clean_roster_xlsx)
{
	const char *path = tmp("clean.xlsx");
	lxw_workbook *wb = workbook_new(path);
	lxw_worksheet *ws = workbook_add_worksheet(wb, "工资发放名单");
	const char *head[] = {"身份证号码", "姓名", "单位名称", "人员分类", "是否发放"};
	for (int c = 0; c < 5; c++)
		worksheet_write_string(ws, 0, (lxw_col_t)c, head[c], NULL);
	int row = 1;
	for (int i = 0; i < NPEOPLE; i++) {
		if (i == RETIREE)
			continue;
		worksheet_write_string(ws, (lxw_row_t)row, 0, P[i].id, NULL);
		worksheet_write_string(ws, (lxw_row_t)row, 1, P[i].name, NULL);
		worksheet_write_string(ws, (lxw_row_t)row, 2, unit_names[P[i].unit], NULL);
		worksheet_write_string(ws, (lxw_row_t)row, 3, cat_name(P[i].cat), NULL);
		worksheet_write_string(ws, (lxw_row_t)row, 4, "是", NULL);
		row++;
	}
	/* the retiree on the roster but unpaid: consistent */
	worksheet_write_string(ws, (lxw_row_t)row, 0, P[RETIREE].id, NULL);
	worksheet_write_string(ws, (lxw_row_t)row, 1, P[RETIREE].name, NULL);
	worksheet_write_string(ws, (lxw_row_t)row, 2, unit_names[P[RETIREE].unit], NULL);
	worksheet_write_string(ws, (lxw_row_t)row, 4, "否", NULL);
	ck_assert_int_eq(workbook_close(wb), LXW_NO_ERROR);

	bz_diff_iter *it = NULL;
	ck_assert_bz(bz_reconcile(&it, F.l, path, "621202", DATE));
	check_diffs(it, NULL, 0);
	bz_diff_iter_free(it);
	/* a date before the retirement: the retiree, unpaid, is not on it */
	ck_assert_bz(bz_reconcile(&it, F.l, path, "621202", "2026-03-30"));
	bz_diff *d = NULL;
	ck_assert_bz(bz_diff_iter_next(&d, it));
	ck_assert_int_eq(bz_diff_kind(d), BZ_DIFF_NOT_ON_ROSTER);
	ck_assert_int_eq(bz_diff_line(d), row + 1);
	ck_assert_str_eq(bz_diff_person(d), P[RETIREE].uuid);
	ck_assert_str_eq(bz_diff_detail(d), "on the roster, unpaid");
	bz_diff_free(d);
	ck_assert_int_eq(bz_diff_iter_next(&d, it), BZ_ITEROVER);
	bz_diff_iter_free(it);
	/* before anyone was hired: every paid row is not on establishment — two runs
	 * alive at once, the first freed half-way: the second keeps its rows */
	bz_diff_iter *first = NULL;
	ck_assert_bz(bz_reconcile(&first, F.l, path, "621202", "2026-03-30"));
	ck_assert_bz(bz_reconcile(&it, F.l, path, "621202", "2015-02-28"));
	ck_assert_bz(bz_diff_iter_next(&d, first));
	bz_diff_free(d);
	int n = 0;
	while (bz_diff_iter_next(&d, it) == BZ_OK) {
		ck_assert_int_eq(bz_diff_kind(d), BZ_DIFF_NOT_ESTABLISHED);
		ck_assert_str_eq(bz_diff_detail(d), "in the ledger, but in post nowhere on 2015-02-28");
		bz_diff_free(d);
		if (++n == 10) {
			bz_diff_iter_free(first);
			ck_assert_int_eq(tu_count(F.l, "temp.bz_rec_diff"), NPEOPLE - 1);
		}
	}
	ck_assert_int_eq(n, NPEOPLE - 1);
	bz_diff_iter_free(it);
	ck_assert_int_eq(tu_count(F.l, "temp.bz_rec_row"), 0);
	ck_assert_int_eq(tu_count(F.l, "temp.bz_rec_diff"), 0);
	ck_assert_int_eq(tu_count(F.l, "temp.bz_rec_run"), 0);
	unlink(path);
}
END_TEST

START_TEST(errors)
{
	bz_diff_iter *it = (bz_diff_iter *)1;
	char msg[400];
	const char *path = tmp("missing.csv");
	unlink(path);
	ck_assert_int_eq(bz_reconcile(&it, F.l, path, NULL, DATE), BZ_EIO);
	ck_assert_ptr_null(it);
	snprintf(msg, sizeof msg, "%s: no such file or directory", path);
	ck_assert_str_eq(bz_ledger_errmsg(F.l), msg);

	path = tmp("nocol.csv");
	const char nocol[] = "姓名,单位名称\n张伟,武都区教育局\n";
	write_file(path, nocol, sizeof nocol - 1);
	ck_assert_int_eq(bz_reconcile(&it, F.l, path, NULL, DATE), BZ_EINVAL);
	snprintf(msg, sizeof msg, "%s line 1: no column 身份证号", path);
	ck_assert_str_eq(bz_ledger_errmsg(F.l), msg);
	const char nounit[] = "\n\n身份证号,姓名\n621202198503150012,张伟\n";
	write_file(path, nounit, sizeof nounit - 1);
	ck_assert_int_eq(bz_reconcile(&it, F.l, path, NULL, DATE), BZ_EINVAL);
	snprintf(msg, sizeof msg, "%s line 3: no column 单位名称 or 统一社会信用代码", path);
	ck_assert_str_eq(bz_ledger_errmsg(F.l), msg);
	/* a malformed roster half-way: an error with its line, and nothing left behind */
	const char broken[] = "身份证号,姓名,单位名称\n621202198503150012,张伟,武都区教育局\n\"6212,李娜,武都区教育局\n";
	write_file(path, broken, sizeof broken - 1);
	ck_assert_int_eq(bz_reconcile(&it, F.l, path, NULL, DATE), BZ_EINVAL);
	snprintf(msg, sizeof msg, "%s line 3: a quoted field is not closed (a \" is missing)", path);
	ck_assert_str_eq(bz_ledger_errmsg(F.l), msg);
	ck_assert_int_eq(tu_count(F.l, "temp.bz_rec_row"), 0);
	write_file(path, "", 0);
	ck_assert_int_eq(bz_reconcile(&it, F.l, path, NULL, DATE), BZ_EINVAL);
	snprintf(msg, sizeof msg, "%s: the roster is empty (no header row)", path);
	ck_assert_str_eq(bz_ledger_errmsg(F.l), msg);

	const char ok[] = "身份证号,姓名,单位名称\n";
	write_file(path, ok, sizeof ok - 1);
	ck_assert_int_eq(bz_reconcile(&it, F.l, path, "999999", DATE), BZ_ENOTFOUND);
	ck_assert_int_eq(bz_reconcile(&it, F.l, path, NULL, "2026-02-30"), BZ_EINVAL);
	ck_assert_ptr_nonnull(strstr(bz_ledger_errmsg(F.l), "2026-02-30"));
	ck_assert_int_eq(bz_reconcile(NULL, F.l, path, NULL, DATE), BZ_EINVAL);
	ck_assert_int_eq(bz_reconcile(&it, NULL, path, NULL, DATE), BZ_EINVAL);
	ck_assert_int_eq(bz_reconcile(&it, F.l, NULL, NULL, DATE), BZ_EINVAL);
	ck_assert_ptr_nonnull(strstr(bz_ledger_errmsg(F.l), "roster"));
	bz_txn *t = tu_begin(F.l);
	ck_assert_int_eq(bz_reconcile(&it, F.l, path, NULL, DATE), BZ_EMISUSE);
	bz_txn_rollback(t);
	bz_txn_free(t);

	/* an empty roster: everyone in post is missing; an iterator outliving its ledger */
	ck_assert_bz(bz_reconcile(&it, F.l, path, "621221", DATE));
	bz_diff *d = NULL;
	ck_assert_bz(bz_diff_iter_next(&d, it));
	ck_assert_int_eq(bz_diff_kind(d), BZ_DIFF_NOT_ON_ROSTER);
	ck_assert_str_eq(bz_diff_unit_name(d), "成县教育局");
	bz_diff_free(d);
	bz_ledger_close(F.l);
	F.l = tu_ledger(); /* for the teardown */
	ck_assert_int_eq(bz_diff_iter_next(&d, it), BZ_EMISUSE);
	bz_diff_iter_free(it);
	bz_diff_iter_free(NULL);
	bz_diff_free(NULL);
	ck_assert_int_eq(bz_diff_kind(NULL), 0);
	ck_assert_ptr_null(bz_diff_detail(NULL));
	unlink(path);
}
END_TEST

START_TEST(names)
{
	ck_assert_str_eq(bz_difference_name(BZ_DIFF_NOT_ESTABLISHED), "在册未在编");
	ck_assert_str_eq(bz_difference_name(BZ_DIFF_NOT_ON_ROSTER), "在编未在册");
	ck_assert_str_eq(bz_difference_name(BZ_DIFF_LEFT_PAID), "出编仍发放");
	ck_assert_str_eq(bz_difference_name(BZ_DIFF_UNREADABLE), "无法识别");
	ck_assert_str_eq(bz_difference_name(0), "");
	ck_assert_str_eq(bz_difference_name(10), "");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("reconcile");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 300);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, every_kind_gb18030);
	tcase_add_test(tc, every_kind_utf8_bom);
	tcase_add_test(tc, clean_roster_xlsx);
	tcase_add_test(tc, errors);
	tcase_add_test(tc, names);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
