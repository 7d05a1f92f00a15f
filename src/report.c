/*
 * report.c: the reports of seed §13 as sheets — Tables 1–3, the quota
 * ledgers, the per-unit ledger, the management card and the vacancy list.
 *
 * A report is a job above the areas: it reads the ledger through their
 * public getters (bz_basic_table_get, bz_roster, bz_unit_changes,
 * bz_limit_ledger_get …), so a sheet can never disagree with them, and adds
 * only what no area has: the units of a jurisdiction in the offices' order
 * and the Chinese names of codes.
 */
#include "report_int.h"
#include "registration_int.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- building a sheet ----------------------------------------------------- */

typedef struct colspec {
	const char *name;
	int kind;
} colspec;

#define T BZ_COLUMN_TEXT
#define I BZ_COLUMN_INTEGER
#define D BZ_COLUMN_DATE
#define NCOLS(a) (sizeof(a) / sizeof((a)[0]))

static bz_sheet *sheet_new(const char *title)
{
	bz_sheet *s = bz__calloc(1, sizeof *s);
	if (s && !(s->title = bz_strdup(title))) {
		bz__free(s);
		s = NULL;
	}
	return s;
}

static void sheet_col(bz_sheet *s, const char *name, int kind)
{
	if (s->oom)
		return;
	char **h = bz__realloc(s->headers, (s->ncols + 1) * sizeof *h);
	int *k = h ? bz__realloc(s->kinds, (s->ncols + 1) * sizeof *k) : NULL;
	if (h)
		s->headers = h;
	if (k)
		s->kinds = k;
	char *copy = k ? bz_strdup(name) : NULL;
	if (!copy) {
		s->oom = true;
		return;
	}
	s->headers[s->ncols] = copy;
	s->kinds[s->ncols] = kind;
	s->ncols++;
}

static void sheet_cols(bz_sheet *s, const colspec *cols, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sheet_col(s, cols[i].name, cols[i].kind);
}

/* append an empty row (every cell NULL) */
static void sheet_row(bz_sheet *s)
{
	if (s->oom)
		return;
	if (s->nrows == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		char **c = bz__realloc(s->cells, cap * s->ncols * sizeof *c);
		if (!c) {
			s->oom = true;
			return;
		}
		s->cells = c;
		s->cap = cap;
	}
	memset(&s->cells[s->nrows * s->ncols], 0, s->ncols * sizeof *s->cells);
	s->nrows++;
}

/* set a cell of the last row (NULL or "" leave it empty) */
static void cell(bz_sheet *s, size_t col, const char *text)
{
	if (s->oom || !s->nrows || col >= s->ncols || !text || !*text)
		return;
	char **c = &s->cells[(s->nrows - 1) * s->ncols + col];
	bz__free(*c);
	if (!(*c = bz_strdup(text)))
		s->oom = true;
}

static void cell_int(bz_sheet *s, size_t col, int64_t v)
{
	char buf[24];
	snprintf(buf, sizeof buf, "%" PRId64, v);
	cell(s, col, buf);
}

static void cellf(bz_sheet *s, size_t col, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void cellf(bz_sheet *s, size_t col, const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	cell(s, col, buf);
}

BZ_EXTERN void bz_sheet_free(bz_sheet *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nrows * s->ncols; i++)
		bz__free(s->cells[i]);
	for (size_t i = 0; i < s->ncols; i++)
		bz__free(s->headers[i]);
	bz__free(s->cells);
	bz__free(s->headers);
	bz__free(s->kinds);
	bz__free(s->title);
	bz__free(s);
}

/* hand the sheet out, or free it and say why */
static int sheet_done(bz_sheet **out, bz_sheet *s, bz_ledger *l, int rc)
{
	if (rc == BZ_OK && s->oom)
		rc = bz_fail(l, BZ_ENOMEM, "out of memory");
	if (rc != BZ_OK) {
		bz_sheet_free(s);
		return rc;
	}
	*out = s;
	return bz_ok(l);
}

/* ---- getters --------------------------------------------------------------- */

BZ_EXTERN const char *bz_sheet_title(const bz_sheet *s) { return s ? s->title : NULL; }
BZ_EXTERN size_t bz_sheet_columns(const bz_sheet *s) { return s ? s->ncols : 0; }
BZ_EXTERN const char *bz_sheet_header(const bz_sheet *s, size_t col)
{
	return s && col < s->ncols ? s->headers[col] : NULL;
}
BZ_EXTERN int bz_sheet_column_kind(const bz_sheet *s, size_t col) { return s && col < s->ncols ? s->kinds[col] : 0; }
BZ_EXTERN size_t bz_sheet_rows(const bz_sheet *s) { return s ? s->nrows : 0; }
BZ_EXTERN const char *bz_sheet_cell(const bz_sheet *s, size_t row, size_t col)
{
	return s && row < s->nrows && col < s->ncols ? s->cells[row * s->ncols + col] : NULL;
}

/* ---- scope: the units of a jurisdiction in the offices' order ------------- */

int bz_scope_units(bz_ledger *l, const char *jurisdiction_code, const char *until, bz_scope_unit **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	char *jur = NULL;
	int rc = bz_jurisdiction_id(l, jurisdiction_code, &jur);
	if (rc != BZ_OK)
		return rc;
	bz__free(jur);
	/* the order of recording is that of the unit's first change record
	 * (its founding), which no VACUUM renumbers */
	static const char sql[] =
		"WITH RECURSIVE scope(id, code) AS (SELECT id, code FROM jurisdiction WHERE code=?1"
		" UNION ALL SELECT j.id, j.code FROM jurisdiction j JOIN scope s ON j.parent=s.id)"
		" SELECT u.id, s.code FROM unit u JOIN scope s ON u.jurisdiction=s.id"
		" WHERE ?2 IS NULL OR u.founded<=?2"
		" ORDER BY s.code, (SELECT min(e.id) FROM event e WHERE e.subject=u.id AND e." BZ_KINDS_NOT_BY_SUBJECT "), u.id";
	bz_st *st = bz_stmt(l, sql);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, jurisdiction_code);
	bz_bind_text(st, 2, until);
	size_t cap = 0;
	int s;
	bz_scope_unit *v = NULL;
	while ((s = bz_step(st)) == SQLITE_ROW) {
		const char *id = (const char *)bz_st_column_text(st, 0);
		const char *code = (const char *)bz_st_column_text(st, 1);
		if (!id || !code || strlen(id) != BZ_UUID_LEN || strlen(code) >= 8)
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 32;
			bz_scope_unit *nv = bz__realloc(v, cap * sizeof *nv);
			if (!nv) {
				s = SQLITE_NOMEM;
				break;
			}
			v = nv;
		}
		memcpy(v[*n].id, id, BZ_UUID_LEN + 1);
		strcpy(v[*n].code, code);
		(*n)++;
	}
	bz_st_reset(st);
	if (s != SQLITE_DONE) {
		bz__free(v);
		*n = 0;
		return s == SQLITE_NOMEM ? bz_fail(l, BZ_ENOMEM, "out of memory") : bz_sqlfail(l, s);
	}
	*out = v;
	return BZ_OK;
}

/* ---- names, not codes ------------------------------------------------------ */

/* what a report looks names up in, loaded once per report */
typedef struct names {
	bz_ledger *l;
	struct {
		char *code, *name;
		int branch;
	} cat[128];
	size_t ncat;
	struct {
		char code[8];
		char *name;
	} jur[64];
	size_t njur;
	bool oom; /* a name could not be looked up for want of memory: the sheet fails so */
} names;

static void names_free(names *nm)
{
	for (size_t i = 0; i < nm->ncat; i++) {
		bz__free(nm->cat[i].code);
		bz__free(nm->cat[i].name);
	}
	for (size_t i = 0; i < nm->njur; i++)
		bz__free(nm->jur[i].name);
	bool oom = nm->oom;
	memset(nm, 0, sizeof *nm);
	nm->oom = oom; /* read by the sheet's end after the names are freed */
}

static int names_load(names *nm, bz_ledger *l)
{
	memset(nm, 0, sizeof *nm);
	nm->l = l;
	/* in the order the categories were added (the seeded ones as the forms
	 * list them: 行政, 政法专项, 事业 (参公), 事业, 工勤), not by code */
	static const char sql[] = "SELECT code, name, branch FROM category ORDER BY rowid";
	bz_st *st = bz_stmt(l, sql);
	if (!st)
		return bz_stmt_err();
	int s;
	bool ok = true;
	while (ok && (s = bz_step(st)) == SQLITE_ROW) {
		if (nm->ncat == NCOLS(nm->cat))
			continue;
		nm->cat[nm->ncat].code = bz_col_strdup(st, 0, &ok);
		nm->cat[nm->ncat].name = bz_col_strdup(st, 1, &ok);
		nm->cat[nm->ncat].branch = bz_st_column_int(st, 2);
		nm->ncat++;
	}
	bz_st_reset(st);
	if (!ok || s != SQLITE_DONE) {
		names_free(nm);
		return !ok ? bz_fail(l, BZ_ENOMEM, "out of memory") : bz_sqlfail(l, s);
	}
	return BZ_OK;
}

/* the place of a category in the ledger's order (unknown codes last) */
static size_t cat_rank(const names *nm, const char *code)
{
	for (size_t i = 0; i < nm->ncat; i++)
		if (code && !strcmp(nm->cat[i].code, code))
			return i;
	return nm->ncat;
}

/*
 * The rows of a Table 1 of a unit in the categories' order into order[]
 * (n = bz_basic_table_rows(t) entries).
 */
static void cat_order(const names *nm, const bz_basic_table *t, size_t *order)
{
	size_t n = bz_basic_table_rows(t);
	for (size_t i = 0; i < n; i++)
		order[i] = i;
	for (size_t i = 1; i < n; i++) /* insertion sort: a unit has a handful of categories */
		for (size_t k = i; k > 0 && cat_rank(nm, bz_basic_table_category(t, order[k])) <
					       cat_rank(nm, bz_basic_table_category(t, order[k - 1])); k--) {
			size_t x = order[k];
			order[k] = order[k - 1];
			order[k - 1] = x;
		}
}

/* a category's name; its code if the table does not know it */
static const char *cat_name(const names *nm, const char *code)
{
	if (!code)
		return NULL;
	for (size_t i = 0; i < nm->ncat; i++)
		if (!strcmp(nm->cat[i].code, code))
			return nm->cat[i].name;
	return code;
}

/* a jurisdiction's name by division code; the code if unknown */
static const char *jur_name(names *nm, const char *code)
{
	if (!code)
		return NULL;
	for (size_t i = 0; i < nm->njur; i++)
		if (!strcmp(nm->jur[i].code, code))
			return nm->jur[i].name ? nm->jur[i].name : code;
	if (nm->njur == NCOLS(nm->jur) || strlen(code) >= 8)
		return code;
	bz_jurisdiction *j = NULL;
	char *name = NULL;
	int rc = bz_jurisdiction_lookup(&j, nm->l, code);
	if (rc == BZ_OK && !(name = bz_strdup(bz_jurisdiction_name(j))))
		rc = BZ_ENOMEM;
	bz_jurisdiction_free(j);
	if (rc != BZ_OK && rc != BZ_ENOTFOUND) { /* never the code in place of a name that is there */
		nm->oom = true;
		return code;
	}
	strcpy(nm->jur[nm->njur].code, code);
	nm->jur[nm->njur].name = name;
	nm->njur++;
	return name ? name : code;
}

static const char *entry_kind_name(int k)
{
	switch (k) {
	case BZ_ENTRY_EXAM: return "考录";
	case BZ_ENTRY_RECRUIT: return "招聘";
	case BZ_ENTRY_TRANSFER_IN: return "调入";
	case BZ_ENTRY_DEMOBILISED: return "军转安置";
	case BZ_ENTRY_OTHER: return "其他";
	default: return "";
	}
}

static const char *exit_reason_name(int r)
{
	switch (r) {
	case BZ_EXIT_RETIREMENT: return "退休";
	case BZ_EXIT_TRANSFER_OUT: return "调出";
	case BZ_EXIT_RESIGNATION: return "辞职";
	case BZ_EXIT_DISMISSAL: return "辞退/开除";
	case BZ_EXIT_DEATH: return "死亡";
	case BZ_EXIT_OTHER: return "其他";
	default: return "";
	}
}

static const char *sex_name(int s) { return s == BZ_SEX_MALE ? "男" : s == BZ_SEX_FEMALE ? "女" : ""; }

/* the Chinese name of a change kind (Table 2's 事项); the kind itself if unknown */
static const char *kind_name(const char *kind)
{
	static const struct {
		const char *kind, *name;
	} k[] = {
		{"unit.establish", "成立"},
		{"unit.rename", "更名"},
		{"unit.rank", "调整规格"},
		{"unit.funding", "调整经费形式"},
		{"unit.parent", "调整隶属关系"},
		{"unit.duties", "调整主要职责"},
		{"unit.credit_code", "赋统一社会信用代码"},
		{"unit.merge", "合并"},
		{"unit.absorb", "并入"},
		{"unit.split", "分设"},
		{"unit.abolish", "撤销"},
		{"establishment.set", "核定编制"},
		{"establishment.transfer_in", "划入编制"},
		{"establishment.transfer_out", "划出编制"},
		{"establishment.freeze", "冻结编制"},
		{"plan.set", "核定用编计划"},
		{"limit.set", "核定编制限额"},
		{"leadership.set", "核定领导职数"},
		{"subunit.approve", "核定内设机构数"},
		{"subunit.create", "设立内设机构"},
		{"subunit.rename", "内设机构更名"},
		{"subunit.rank", "调整内设机构规格"},
		{"subunit.abolish", "撤销内设机构"},
		{"slip.issue", "开具编制使用单"},
		{"slip.cancel", "注销编制使用单"},
		{"placement.enter", "入编"},
		{"placement.exit", "出编"},
		{"placement.transfer_in", "调入"},
		{"placement.transfer_out", "调出"},
		{"appointment.make", "任职"},
		{"appointment.end", "免职"},
		{"exception.grant", "批准例外"},
		{"card.issue", "核发管理卡"},
		{"registration.found", "设立登记"},
		{"registration.change", "变更登记"},
		{"registration.deregister", "注销登记"},
		{"registration.certify", "核发法人证书"},
		{"registration.report", "报送年度报告"},
		{"unitcert.issue", "核发机构编制管理证"},
		{"unitcert.renew", "换发机构编制管理证"},
		{"unitcert.void", "作废机构编制管理证"},
	};
	for (size_t i = 0; i < NCOLS(k); i++)
		if (!strcmp(k[i].kind, kind))
			return k[i].name;
	return kind;
}

/* an attribute of a change record, named and with its values as names, into b */
static void attr_text(bz_buf *b, names *nm, const char *attr, const char *before, const char *after,
		      const char *date)
{
	enum { RAW, NATURE, RANK, FUNDING, YESNO, UNIT, CAT, JUR, STATUS, PERSON, POST, SUBJECT, EXIT } how = RAW;
	const char *label = attr;
	char lab[160];
	static const struct {
		const char *attr, *label;
		int how;
	} a[] = {
		{"name", "名称", RAW},
		{"nature", "单位性质", NATURE},
		{"rank", "规格", RANK},
		{"funding", "经费形式", FUNDING},
		{"canzong", "参公管理", YESNO},
		{"parent", "隶属单位", UNIT},
		{"jurisdiction", "行政区划", JUR},
		{"duties", "主要职责", RAW},
		{"credit_code", "统一社会信用代码", RAW},
		{"status", "状态", STATUS},
		{"merged_into", "并入单位", UNIT},
		{"split_from", "分设自", UNIT},
		{"split_off", "分设出", UNIT},
		{"quota:principal", "正职职数", RAW},
		{"quota:deputy", "副职职数", RAW},
		{"quota:level", "正职级别", RANK},
		{"subunits:approved", "核定内设机构数", RAW},
		{"posts", "编制数", RAW},
		{"category", "编制类别", CAT},
		{"valid_until", "有效期至", RAW},
		{"cancelled", "注销日期", RAW},
		{"card", "管理卡号", RAW},
		{"exit_reason", "出编原因", EXIT},
		{"person", "人员", PERSON},
		{"post", "职务", POST},
		{"subject", "任职机构", SUBJECT},
		{"ended", "免职日期", RAW},
		{"id_number", "身份证号", RAW},
		{"cert_number", "管理证编号", RAW},
		{"renews", "原证编号", RAW},
		{"voided", "作废日期", RAW},
		{"renewed", "换发日期", RAW},
	};
	size_t i;
	for (i = 0; i < NCOLS(a); i++)
		if (!strcmp(a[i].attr, attr)) {
			label = a[i].label;
			how = a[i].how;
			break;
		}
	if (i == NCOLS(a)) {
		if (!strncmp(attr, "est:", 4)) {
			label = cat_name(nm, attr + 4);
		} else if (!strncmp(attr, "frozen:", 7)) {
			snprintf(lab, sizeof lab, "冻结%s", cat_name(nm, attr + 7));
			label = lab;
		} else if (!strcmp(attr, "limit:1")) {
			label = "行政编制限额";
		} else if (!strcmp(attr, "limit:2")) {
			label = "事业编制限额";
		} else if (!strncmp(attr, "plan:", 5)) {
			snprintf(lab, sizeof lab, "%s年用编计划", attr + 5);
			label = lab;
		}
	}
	const char *v[2] = {before, after};
	char *own[2] = {NULL, NULL};
	char buf[2][64];
	for (int k = 0; k < 2; k++) {
		if (!v[k])
			continue;
		switch (how) {
		case NATURE: v[k] = bz_nature_name(atoi(v[k])); break;
		case RANK: v[k] = bz_rank_name(atoi(v[k])); break;
		case FUNDING: v[k] = bz_funding_name(atoi(v[k])); break;
		case YESNO: v[k] = atoi(v[k]) ? "是" : "否"; break;
		case CAT: v[k] = cat_name(nm, v[k]); break;
		case JUR: v[k] = jur_name(nm, v[k]); break;
		case EXIT: v[k] = exit_reason_name(atoi(v[k])); break;
		case POST: v[k] = !strcmp(v[k], "principal") ? "正职" : !strcmp(v[k], "deputy") ? "副职" : v[k]; break;
		case STATUS:
			v[k] = !strcmp(v[k], "1") ? "存续" : !strcmp(v[k], "2") ? "撤销" : !strcmp(v[k], "3") ? "合并" : v[k];
			break;
		case UNIT:
		case SUBJECT:
			if (bz_unit_name_at(nm->l, v[k], date, &own[k]) == BZ_OK && own[k]) {
				v[k] = own[k];
			} else if (how == SUBJECT) {
				bz__free(own[k]);
				own[k] = NULL;
				bz_subunit *su = NULL;
				if (bz_subunit_lookup(&su, nm->l, v[k], date) == BZ_OK && (own[k] = bz_strdup(bz_subunit_name(su))))
					v[k] = own[k];
				bz_subunit_free(su);
			}
			break;
		case PERSON:
			if (bz_person_name_of(nm->l, v[k], &own[k], NULL) == BZ_OK && own[k])
				v[k] = own[k];
			break;
		default:
			break;
		}
		if (v[k] && !*v[k]) {
			snprintf(buf[k], sizeof buf[k], "%s", k ? after : before);
			v[k] = buf[k];
		}
	}
	if (b->n)
		bz_buf_puts(b, "；");
	bz_buf_printf(b, "%s: %s → %s", label, v[0] ? v[0] : "无", v[1] ? v[1] : "无");
	bz__free(own[0]);
	bz__free(own[1]);
}

/* the change record's attributes as "名称: A → B；…" (malloc'd, NULL if none or OOM) */
static char *change_text(names *nm, const bz_change *c)
{
	bz_buf b = {0};
	for (size_t i = 0; i < bz_change_attr_count(c); i++)
		attr_text(&b, nm, bz_change_attr_name(c, i), bz_change_attr_before(c, i), bz_change_attr_after(c, i),
			  bz_change_effective(c));
	if (b.oom) {
		bz__free(b.p);
		return NULL;
	}
	return b.p;
}

/* ---- argument checks -------------------------------------------------------- */

static int date_arg(bz_ledger *l, const char *date, char buf[BZ_DATE_LEN + 1])
{
	if (!date) {
		bz_today(l, buf);
		return BZ_OK;
	}
	if (!bz_date_ok(date))
		return bz_fail(l, BZ_EINVAL, "not a valid date: %s (expected YYYY-MM-DD)", date);
	memcpy(buf, date, BZ_DATE_LEN + 1);
	return BZ_OK;
}

static int jur_arg(bz_ledger *l, const char *code)
{
	if (!bz_text_ok(code))
		return bz_fail(l, BZ_EINVAL, "a jurisdiction's 6-digit division code is required");
	return BZ_OK;
}

/*
 * The units of a report: one unit (unit non-NULL, which must exist) or the
 * units of a jurisdiction founded by until.
 */
static int scope_arg(bz_ledger *l, const char *jur, const char *unit, const char *until, bz_scope_unit **units,
		     size_t *n)
{
	*units = NULL;
	*n = 0;
	if (unit) {
		if (!bz_uuid_ok(unit))
			return bz_fail(l, BZ_EINVAL, "not a unit UUID: %s", unit);
		int rc = bz_unit_exists(l, unit);
		char code[8];
		if (rc == BZ_OK)
			rc = bz_unit_division(l, unit, code);
		if (rc != BZ_OK)
			return rc;
		if (!(*units = bz__malloc(sizeof **units)))
			return bz_fail(l, BZ_ENOMEM, "out of memory");
		memcpy((*units)[0].id, unit, BZ_UUID_LEN + 1);
		memcpy((*units)[0].code, code, sizeof code);
		*n = 1;
		return BZ_OK;
	}
	int rc = jur_arg(l, jur);
	return rc == BZ_OK ? bz_scope_units(l, jur, until, units, n) : rc;
}

/* the unit as it stood at date if in being then (*u NULL if not) */
static int unit_in_being(bz_ledger *l, const char *id, const char *date, bz_unit **u)
{
	*u = NULL;
	int rc = bz_unit_lookup(u, l, id, date);
	if (rc == BZ_ENOTFOUND)
		return BZ_OK; /* not yet founded */
	if (rc != BZ_OK)
		return rc;
	if (bz_unit_status(*u) != BZ_UNIT_ACTIVE) {
		bz_unit_free(*u);
		*u = NULL;
	}
	return BZ_OK;
}

/* ---- Table 1 ------------------------------------------------------------------ */

static const colspec table1_cols[] = {
	{"行政区划", T}, {"单位名称", T}, {"单位性质", T}, {"规格", T}, {"经费形式", T}, {"编制类别", T},
	{"编制数", I}, {"实有人员", I}, {"控编预留", I}, {"空编", I}, {"超编", I}, {"冻结", I},
	{"核定正职", I}, {"核定副职", I}, {"在任正职", I}, {"在任副职", I}, {"核定内设机构", I}, {"内设机构", I},
	/* since 1.2, after the columns callers already read by position */
	{"机构编制管理证编号", T}, {"管理证状态", T},
};

/* ---- the 机构编制管理证 a unit held at a date (unitcert.h) ------------------------- */

static const char *unitcert_state_name(int state)
{
	switch (state) {
	case BZ_UNITCERT_VALID: return "有效";
	case BZ_UNITCERT_EXPIRED: return "已过期";
	case BZ_UNITCERT_VOID: return "已作废";
	case BZ_UNITCERT_RENEWED: return "已换发";
	case BZ_UNITCERT_PENDING: return "未生效";
	default: return "无";
	}
}

/* the certificate held at date into columns col (number), col+1 … (issued, valid until) and state_col; "无" if none */
static void unitcert_cells(bz_sheet *s, names *nm, const char *unit, const char *date, size_t col, bool dates,
			   size_t state_col)
{
	bz_unitcert *c = NULL;
	int rc = bz_unitcert_held(&c, nm->l, unit, date);
	if (rc == BZ_ENOMEM)
		s->oom = true;
	if (c) {
		cell(s, col, bz_unitcert_number(c));
		if (dates) {
			cell(s, col + 1, bz_unitcert_issued(c));
			cell(s, col + 2, bz_unitcert_valid_until(c));
		}
	}
	cell(s, state_col, unitcert_state_name(c ? bz_unitcert_state(c) : 0));
	bz_unitcert_free(c);
}

static void table1_unit(bz_sheet *s, names *nm, const bz_unit *u, const bz_basic_table *t)
{
	bool first = true;
	size_t n = bz_basic_table_rows(t);
	size_t *order = bz__malloc((n + 1) * sizeof *order);
	if (!order) {
		s->oom = true;
		return;
	}
	cat_order(nm, t, order);
	for (size_t i = 0; i <= n; i++) {
		size_t r = i < n ? order[i] : n;
		bool blank = i == n; /* the unit's row without a category when it has none */
		if (!blank && !bz_basic_table_establishment(t, r) && !bz_basic_table_staff(t, r) &&
		    !bz_basic_table_reserved(t, r) && !bz_basic_table_frozen(t, r))
			continue; /* a category the unit had once but not at the date */
		if (blank && !first)
			break;
		sheet_row(s);
		cell(s, 0, jur_name(nm, bz_unit_jurisdiction(u)));
		cell(s, 1, bz_unit_name(u));
		cell(s, 2, bz_nature_name(bz_unit_nature(u)));
		cell(s, 3, bz_rank_name(bz_unit_rank(u)));
		cell(s, 4, bz_funding_name(bz_unit_funding(u)));
		if (!blank) {
			cell(s, 5, cat_name(nm, bz_basic_table_category(t, r)));
			cell_int(s, 6, bz_basic_table_establishment(t, r));
			cell_int(s, 7, bz_basic_table_staff(t, r));
			cell_int(s, 8, bz_basic_table_reserved(t, r));
			cell_int(s, 9, bz_basic_table_vacant(t, r));
			cell_int(s, 10, bz_basic_table_over(t, r));
			cell_int(s, 11, bz_basic_table_frozen(t, r));
		}
		if (first) {
			cell_int(s, 12, bz_basic_table_principal_quota(t));
			cell_int(s, 13, bz_basic_table_deputy_quota(t));
			cell_int(s, 14, bz_basic_table_principals(t));
			cell_int(s, 15, bz_basic_table_deputies(t));
			cell_int(s, 16, bz_basic_table_subunits_approved(t));
			cell_int(s, 17, bz_basic_table_subunits(t));
		}
		unitcert_cells(s, nm, bz_unit_uuid(u), bz_basic_table_as_of(t), 18, false, 19);
		first = false;
	}
	bz__free(order);
}

/*
 * A sheet of one or more rows per unit in being at the date in a
 * jurisdiction and its sub-jurisdictions, in the offices' order, from each
 * unit's basic table (Table 1, the vacancy list).
 */
typedef void (*unit_rows_fn)(bz_sheet *s, names *nm, const bz_unit *u, const bz_basic_table *t);

static int per_unit_sheet(bz_sheet **out, bz_ledger *ledger, const char *jurisdiction_code, const char *date,
			  const char *title, const colspec *cols, size_t ncols, unit_rows_fn rows)
{
	if (!out)
		return BZ_EINVAL;
	*out = NULL;
	if (!ledger)
		return BZ_EINVAL;
	char d[BZ_DATE_LEN + 1];
	int rc = date_arg(ledger, date, d);
	if (rc != BZ_OK || (rc = jur_arg(ledger, jurisdiction_code)) != BZ_OK)
		return rc;
	bz_scope_unit *units = NULL;
	size_t n = 0;
	if ((rc = bz_scope_units(ledger, jurisdiction_code, d, &units, &n)) != BZ_OK)
		return rc;
	names nm;
	if ((rc = names_load(&nm, ledger)) != BZ_OK) {
		bz__free(units);
		return rc;
	}
	bz_sheet *s = sheet_new(title);
	if (!s) {
		rc = bz_fail(ledger, BZ_ENOMEM, "out of memory");
		goto done;
	}
	sheet_cols(s, cols, ncols);
	for (size_t i = 0; i < n && rc == BZ_OK && !s->oom; i++) {
		bz_unit *u = NULL;
		bz_basic_table *t = NULL;
		if ((rc = unit_in_being(ledger, units[i].id, d, &u)) != BZ_OK || !u)
			continue;
		if ((rc = bz_basic_table_get(&t, ledger, units[i].id, d)) == BZ_OK)
			rows(s, &nm, u, t);
		bz_basic_table_free(t);
		bz_unit_free(u);
	}
	rc = sheet_done(out, s, ledger, rc == BZ_OK && nm.oom ? bz_fail(ledger, BZ_ENOMEM, "out of memory") : rc);
done:
	names_free(&nm);
	bz__free(units);
	return rc;
}

BZ_EXTERN int bz_sheet_table1(bz_sheet **out, bz_ledger *ledger, const char *jurisdiction_code, const char *date)
{
	return per_unit_sheet(out, ledger, jurisdiction_code, date, "机构编制基本情况表 (表1)", table1_cols,
			      NCOLS(table1_cols), table1_unit);
}

/* ---- Table 2 ------------------------------------------------------------------ */

static const colspec table2_cols[] = {
	{"生效日期", D}, {"单位名称", T}, {"事项", T}, {"文件依据", T}, {"变更内容", T}, {"说明", T},
	{"记录时间", T}, {"记录人", T},
	/* since 1.2: the unit's 机构编制管理证 at the record's date, after the columns callers read by position */
	{"机构编制管理证编号", T}, {"发证日期", D}, {"有效期至", D}, {"管理证状态", T},
};

/* one change record as a Table 2 row */
static void table2_row(bz_sheet *s, names *nm, const char *unit, const bz_change *c)
{
	char *uname = NULL;
	if (bz_unit_name_at(nm->l, unit, bz_change_effective(c), &uname) != BZ_OK)
		bz_unit_name_at(nm->l, unit, NULL, &uname); /* recorded before its founding: its first name */
	char *text = change_text(nm, c);
	sheet_row(s);
	cell(s, 0, bz_change_effective(c));
	cell(s, 1, uname);
	cell(s, 2, kind_name(bz_change_kind(c)));
	cell(s, 3, bz_change_document_number(c));
	cell(s, 4, text);
	cell(s, 5, bz_change_note(c));
	const char *at = bz_change_recorded_at(c);
	if (at && strlen(at) >= 19)
		cellf(s, 6, "%.10s %.8s", at, at + 11);
	else
		cell(s, 6, at);
	cell(s, 7, bz_change_recorded_by(c));
	unitcert_cells(s, nm, unit, bz_change_effective(c), 8, true, 11);
	bz__free(uname);
	bz__free(text);
}

BZ_EXTERN int bz_sheet_table2(bz_sheet **out, bz_ledger *ledger, const char *jurisdiction_code,
			      const char *unit_uuid, const char *from, const char *to)
{
	if (!out)
		return BZ_EINVAL;
	*out = NULL;
	if (!ledger)
		return BZ_EINVAL;
	if ((from && !bz_date_ok(from)) || (to && !bz_date_ok(to)))
		return bz_fail(ledger, BZ_EINVAL, "not a valid date: %s (expected YYYY-MM-DD)",
			       from && !bz_date_ok(from) ? from : to);
	if (from && to && strcmp(from, to) > 0)
		return bz_fail(ledger, BZ_EINVAL, "the range is empty: %s is after %s", from, to);
	bz_scope_unit *units = NULL;
	size_t n = 0;
	int rc = scope_arg(ledger, jurisdiction_code, unit_uuid, to, &units, &n);
	if (rc != BZ_OK)
		return rc;
	names nm;
	if ((rc = names_load(&nm, ledger)) != BZ_OK) {
		bz__free(units);
		return rc;
	}
	bz_sheet *s = sheet_new("机构编制变更记录 (表2)");
	if (!s) {
		rc = bz_fail(ledger, BZ_ENOMEM, "out of memory");
		goto done;
	}
	sheet_cols(s, table2_cols, NCOLS(table2_cols));
	for (size_t i = 0; i < n && rc == BZ_OK && !s->oom; i++) {
		bz_change_iter *it = NULL;
		if ((rc = bz_unit_changes(&it, ledger, units[i].id)) != BZ_OK)
			break;
		bz_change *c = NULL;
		while ((rc = bz_change_iter_next(&c, it)) == BZ_OK) {
			const char *eff = bz_change_effective(c);
			if ((!from || strcmp(eff, from) >= 0) && (!to || strcmp(eff, to) <= 0))
				table2_row(s, &nm, units[i].id, c);
			bz_change_free(c);
		}
		bz_change_iter_free(it);
		if (rc == BZ_ITEROVER)
			rc = BZ_OK;
	}
	rc = sheet_done(out, s, ledger, rc == BZ_OK && nm.oom ? bz_fail(ledger, BZ_ENOMEM, "out of memory") : rc);
done:
	names_free(&nm);
	bz__free(units);
	return rc;
}

/* ---- Table 3 ------------------------------------------------------------------ */

static const colspec table3_cols[] = {
	{"单位名称", T}, {"姓名", T}, {"性别", T}, {"身份证号", T}, {"出生日期", D}, {"编制类别", T},
	{"编制经费形式", T}, {"人员状态", T}, {"进入形式", T}, {"进入时间", D}, {"控编单编号", T}, {"管理卡号", T},
	{"民族", T}, {"籍贯", T}, {"政治面貌", T}, {"学历", T}, {"参加工作时间", D}, {"职务", T},
};
/* the person attributes shown, from column 12 on */
#define TABLE3_ATTR0 12

static int table3_row(bz_sheet *s, names *nm, const bz_unit *u, const bz_placement *p)
{
	bz_ledger *l = nm->l;
	bz_person *per = NULL;
	bz_slip *slip = NULL;
	int rc = bz_person_lookup(&per, l, bz_placement_person(p));
	if (rc != BZ_OK)
		return rc;
	if (bz_placement_slip(p) && (rc = bz_slip_lookup(&slip, l, bz_placement_slip(p))) != BZ_OK) {
		bz_person_free(per);
		return rc;
	}
	sheet_row(s);
	cell(s, 0, bz_unit_name(u));
	cell(s, 1, bz_person_name(per));
	cell(s, 2, sex_name(bz_person_sex(per)));
	cell(s, 3, bz_person_id_number(per));
	cell(s, 4, bz_person_birth(per));
	cell(s, 5, cat_name(nm, bz_placement_category(p)));
	cell(s, 6, bz_funding_name(bz_unit_funding(u)));
	cell(s, 7, "在编");
	cell(s, 8, entry_kind_name(bz_placement_entry_kind(p)));
	cell(s, 9, bz_placement_entry(p));
	cell(s, 10, slip ? bz_slip_number(slip) : NULL);
	cell(s, 11, bz_person_card(per));
	for (size_t c = TABLE3_ATTR0; c < NCOLS(table3_cols); c++) {
		const char *v = bz_person_attr(per, table3_cols[c].name);
		/* a date column takes only a date: other spellings stay as text elsewhere */
		if (table3_cols[c].kind == D && v && !bz_date_ok(v))
			v = NULL;
		cell(s, c, v);
	}
	bz_slip_free(slip);
	bz_person_free(per);
	return BZ_OK;
}

/* a unit's roster in the offices' order: by entry date, then as recorded (not by name) */
typedef struct roster_entry {
	bz_placement *p;
	long long event;
} roster_entry;

static int roster_cmp(const void *a, const void *b)
{
	const roster_entry *x = a, *y = b;
	int c = strcmp(bz_placement_entry(x->p), bz_placement_entry(y->p));
	return c ? c : (x->event > y->event) - (x->event < y->event);
}

static int roster_sorted(bz_ledger *l, const char *unit, const char *date, roster_entry **out, size_t *n)
{
	static const char sql[] = "SELECT event FROM placement WHERE id=?1";
	bz_placement_iter *it = NULL;
	roster_entry *v = NULL;
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	int rc = bz_roster(&it, l, unit, date);
	bz_placement *p = NULL;
	while (rc == BZ_OK && (rc = bz_placement_iter_next(&p, it)) == BZ_OK) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 32;
			roster_entry *nv = bz__realloc(v, cap * sizeof *nv);
			if (!nv) {
				bz_placement_free(p);
				rc = bz_fail(l, BZ_ENOMEM, "out of memory");
				break;
			}
			v = nv;
		}
		v[*n].p = p;
		v[*n].event = 0;
		bz_st *st = bz_stmt(l, sql);
		if (!st) {
			(*n)++;
			rc = bz_stmt_err();
			break;
		}
		bz_bind_text(st, 1, bz_placement_uuid(p));
		if (bz_step(st) == SQLITE_ROW)
			v[*n].event = bz_st_column_int64(st, 0);
		bz_st_reset(st);
		(*n)++;
	}
	bz_placement_iter_free(it);
	if (rc == BZ_ITEROVER)
		rc = BZ_OK;
	if (*n)
		qsort(v, *n, sizeof *v, roster_cmp);
	*out = v;
	return rc;
}

BZ_EXTERN int bz_sheet_table3(bz_sheet **out, bz_ledger *ledger, const char *jurisdiction_code,
			      const char *unit_uuid, const char *date)
{
	if (!out)
		return BZ_EINVAL;
	*out = NULL;
	if (!ledger)
		return BZ_EINVAL;
	char d[BZ_DATE_LEN + 1];
	int rc = date_arg(ledger, date, d);
	if (rc != BZ_OK)
		return rc;
	bz_scope_unit *units = NULL;
	size_t n = 0;
	if ((rc = scope_arg(ledger, jurisdiction_code, unit_uuid, d, &units, &n)) != BZ_OK)
		return rc;
	names nm;
	if ((rc = names_load(&nm, ledger)) != BZ_OK) {
		bz__free(units);
		return rc;
	}
	bz_sheet *s = sheet_new("实有人员花名册 (表3)");
	if (!s) {
		rc = bz_fail(ledger, BZ_ENOMEM, "out of memory");
		goto done;
	}
	sheet_cols(s, table3_cols, NCOLS(table3_cols));
	for (size_t i = 0; i < n && rc == BZ_OK && !s->oom; i++) {
		bz_unit *u = NULL;
		if ((rc = unit_in_being(ledger, units[i].id, d, &u)) != BZ_OK || !u)
			continue;
		roster_entry *ro = NULL;
		size_t nro = 0;
		if ((rc = roster_sorted(ledger, units[i].id, d, &ro, &nro)) == BZ_OK)
			for (size_t k = 0; k < nro && rc == BZ_OK; k++)
				rc = table3_row(s, &nm, u, ro[k].p);
		for (size_t k = 0; k < nro; k++)
			bz_placement_free(ro[k].p);
		bz__free(ro);
		bz_unit_free(u);
	}
	rc = sheet_done(out, s, ledger, rc == BZ_OK && nm.oom ? bz_fail(ledger, BZ_ENOMEM, "out of memory") : rc);
done:
	names_free(&nm);
	bz__free(units);
	return rc;
}

/* ---- the quota ledgers ------------------------------------------------------- */

static const colspec limits_cols[] = {
	{"日期", D}, {"文件依据", T}, {"摘要", T}, {"限额增减", I}, {"限额", I}, {"已核编制", I},
	{"未分配", I}, {"实有人员", I}, {"控编预留", I}, {"冻结", I}, {"空编", I},
};

/* the figures of the limit ledger on date into columns 4… of the last row */
static int limits_figures(bz_sheet *s, bz_ledger *l, const char *code, int branch, const char *date)
{
	bz_limit_ledger *lg = NULL;
	int rc = bz_limit_ledger_get(&lg, l, code, date);
	if (rc != BZ_OK)
		return rc;
	if (bz_limit_ledger_limit(lg, branch) >= 0) {
		cell_int(s, 4, bz_limit_ledger_limit(lg, branch));
		cell_int(s, 6, bz_limit_ledger_unallocated(lg, branch));
	}
	cell_int(s, 5, bz_limit_ledger_allocated(lg, branch));
	cell_int(s, 7, bz_limit_ledger_staff(lg, branch));
	cell_int(s, 8, bz_limit_ledger_reserved(lg, branch));
	cell_int(s, 9, bz_limit_ledger_frozen(lg, branch));
	cell_int(s, 10, bz_limit_ledger_vacant(lg, branch));
	bz_limit_ledger_free(lg);
	return BZ_OK;
}

BZ_EXTERN int bz_sheet_limits(bz_sheet **out, bz_ledger *ledger, const char *jurisdiction_code, int branch,
			      const char *date)
{
	if (!out)
		return BZ_EINVAL;
	*out = NULL;
	if (!ledger)
		return BZ_EINVAL;
	char d[BZ_DATE_LEN + 1];
	int rc = date_arg(ledger, date, d);
	if (rc != BZ_OK || (rc = jur_arg(ledger, jurisdiction_code)) != BZ_OK)
		return rc;
	if (branch != BZ_BRANCH_TOTAL && branch != BZ_BRANCH_ADMINISTRATIVE && branch != BZ_BRANCH_INSTITUTION)
		return bz_fail(ledger, BZ_EINVAL, "branch %d: expected 0 (总账), 1 (分账1) or 2 (分账2)", branch);
	bz_jurisdiction *j = NULL;
	if ((rc = bz_jurisdiction_lookup(&j, ledger, jurisdiction_code)) != BZ_OK)
		return rc;
	static const char *const titles[] = {"机构编制限额台账 总账 (行政事业编制)", "机构编制限额台账 分账1 (行政编制)",
					     "机构编制限额台账 分账2 (事业编制)"};
	static const char *const what[] = {NULL, "核定行政编制限额", "核定事业编制限额"};
	char title[160];
	snprintf(title, sizeof title, "%s %s", titles[branch], bz_jurisdiction_name(j));
	bz_sheet *s = sheet_new(title);
	bz_change_iter *it = NULL;
	if (!s) {
		rc = bz_fail(ledger, BZ_ENOMEM, "out of memory");
		goto done;
	}
	sheet_cols(s, limits_cols, NCOLS(limits_cols));
	if ((rc = bz_subject_changes(&it, ledger, bz_jurisdiction_uuid(j))) != BZ_OK)
		goto done;
	bz_change *c = NULL;
	while (rc == BZ_OK && (rc = bz_change_iter_next(&c, it)) == BZ_OK) {
		const char *eff = bz_change_effective(c);
		if (strcmp(bz_change_kind(c), "limit.set") != 0 || strcmp(eff, d) > 0) {
			bz_change_free(c);
			continue;
		}
		for (size_t a = 0; a < bz_change_attr_count(c) && rc == BZ_OK; a++) {
			const char *attr = bz_change_attr_name(c, a);
			int b = !strcmp(attr, "limit:1") ? 1 : !strcmp(attr, "limit:2") ? 2 : 0;
			if (!b || (branch && b != branch))
				continue;
			const char *before = bz_change_attr_before(c, a), *after = bz_change_attr_after(c, a);
			int64_t was = before ? strtoll(before, NULL, 10) : 0, now = after ? strtoll(after, NULL, 10) : 0;
			sheet_row(s);
			cell(s, 0, eff);
			cell(s, 1, bz_change_document_number(c));
			cell(s, 2, what[b]);
			cell_int(s, 3, now - was);
			rc = limits_figures(s, ledger, jurisdiction_code, branch, eff);
		}
		bz_change_free(c);
	}
	if (rc == BZ_ITEROVER)
		rc = BZ_OK;
	if (rc == BZ_OK) {
		sheet_row(s);
		cell(s, 0, d);
		cell(s, 2, "现状");
		rc = limits_figures(s, ledger, jurisdiction_code, branch, d);
	}
done:
	bz_change_iter_free(it);
	bz_jurisdiction_free(j);
	if (!s)
		return rc;
	return sheet_done(out, s, ledger, rc);
}

/* ---- the per-unit ledger ------------------------------------------------------ */

/* the change kinds of the per-unit ledger: setting-up, establishment, leadership, sub-units */
static bool unit_ledger_kind(const char *kind)
{
	return !strncmp(kind, "unit.", 5) || !strncmp(kind, "establishment.", 14) || !strcmp(kind, "leadership.set") ||
	       !strncmp(kind, "subunit.", 8);
}

BZ_EXTERN int bz_sheet_unit_ledger(bz_sheet **out, bz_ledger *ledger, const char *unit_uuid, const char *date)
{
	if (!out)
		return BZ_EINVAL;
	*out = NULL;
	if (!ledger)
		return BZ_EINVAL;
	char d[BZ_DATE_LEN + 1];
	int rc = date_arg(ledger, date, d);
	if (rc != BZ_OK)
		return rc;
	if (!bz_uuid_ok(unit_uuid))
		return bz_fail(ledger, BZ_EINVAL, "a unit UUID is required");
	if ((rc = bz_unit_exists(ledger, unit_uuid)) != BZ_OK)
		return rc;
	names nm;
	if ((rc = names_load(&nm, ledger)) != BZ_OK)
		return rc;
	/* the categories of the columns: every one the unit ever had (Table 1's list, at the date) */
	bz_basic_table *now = NULL;
	bz_change_iter *it = NULL;
	bz_sheet *s = NULL;
	char *uname = NULL;
	size_t *order = NULL;
	if ((rc = bz_basic_table_get(&now, ledger, unit_uuid, d)) != BZ_OK ||
	    (rc = bz_unit_name_at(ledger, unit_uuid, d, &uname)) != BZ_OK)
		goto done;
	char title[512];
	snprintf(title, sizeof title, "单位机构编制台账 %s", uname);
	if (!(s = sheet_new(title))) {
		rc = bz_fail(ledger, BZ_ENOMEM, "out of memory");
		goto done;
	}
	sheet_col(s, "日期", D);
	sheet_col(s, "文件依据", T);
	sheet_col(s, "事项", T);
	sheet_col(s, "变更内容", T);
	size_t ncat = bz_basic_table_rows(now);
	if (!(order = bz__malloc((ncat + 1) * sizeof *order))) {
		rc = bz_fail(ledger, BZ_ENOMEM, "out of memory");
		goto done;
	}
	cat_order(&nm, now, order);
	for (size_t c = 0; c < ncat; c++)
		sheet_col(s, cat_name(&nm, bz_basic_table_category(now, order[c])), I);
	sheet_col(s, "核定正职", I);
	sheet_col(s, "核定副职", I);
	sheet_col(s, "核定内设机构", I);
	sheet_col(s, "内设机构", I);
	if ((rc = bz_unit_changes(&it, ledger, unit_uuid)) != BZ_OK)
		goto done;
	bz_change *c = NULL;
	while (rc == BZ_OK && !s->oom && (rc = bz_change_iter_next(&c, it)) == BZ_OK) {
		const char *eff = bz_change_effective(c);
		if (!unit_ledger_kind(bz_change_kind(c)) || strcmp(eff, d) > 0) {
			bz_change_free(c);
			continue;
		}
		char *text = change_text(&nm, c);
		sheet_row(s);
		cell(s, 0, eff);
		cell(s, 1, bz_change_document_number(c));
		cell(s, 2, kind_name(bz_change_kind(c)));
		if (text && bz_change_note(c) && !strncmp(bz_change_kind(c), "subunit.", 8))
			cellf(s, 3, "%s：%s", bz_change_note(c), text);
		else
			cell(s, 3, text ? text : bz_change_note(c));
		bz__free(text);
		bz_basic_table *t = NULL;
		if ((rc = bz_basic_table_get(&t, ledger, unit_uuid, eff)) == BZ_OK) {
			for (size_t k = 0; k < ncat; k++) {
				int64_t est = 0;
				for (size_t r = 0; r < bz_basic_table_rows(t); r++)
					if (!strcmp(bz_basic_table_category(t, r), bz_basic_table_category(now, order[k])))
						est = bz_basic_table_establishment(t, r);
				cell_int(s, 4 + k, est);
			}
			cell_int(s, 4 + ncat, bz_basic_table_principal_quota(t));
			cell_int(s, 5 + ncat, bz_basic_table_deputy_quota(t));
			cell_int(s, 6 + ncat, bz_basic_table_subunits_approved(t));
			cell_int(s, 7 + ncat, bz_basic_table_subunits(t));
		}
		bz_basic_table_free(t);
		bz_change_free(c);
	}
	if (rc == BZ_ITEROVER)
		rc = BZ_OK;
done:
	bz_change_iter_free(it);
	bz_basic_table_free(now);
	bz__free(order);
	bz__free(uname);
	names_free(&nm);
	if (!s)
		return rc;
	return sheet_done(out, s, ledger, rc == BZ_OK && nm.oom ? bz_fail(ledger, BZ_ENOMEM, "out of memory") : rc);
}

/* ---- the management card ------------------------------------------------------ */

static const colspec card_cols[] = {
	{"管理卡号", T}, {"发卡日期", D}, {"姓名", T}, {"性别", T}, {"身份证号", T}, {"出生日期", D},
	{"单位名称", T}, {"编制类别", T}, {"进入形式", T}, {"入编日期", D}, {"入编文件", T},
	{"出编日期", D}, {"出编原因", T}, {"出编文件", T},
};

BZ_EXTERN int bz_sheet_card(bz_sheet **out, bz_ledger *ledger, const char *card_number)
{
	if (!out)
		return BZ_EINVAL;
	*out = NULL;
	if (!ledger)
		return BZ_EINVAL;
	if (!bz_text_ok(card_number))
		return bz_fail(ledger, BZ_EINVAL, "a card number is required");
	bz_card *card = NULL;
	int rc = bz_card_lookup(&card, ledger, card_number);
	if (rc != BZ_OK)
		return rc;
	names nm;
	if ((rc = names_load(&nm, ledger)) != BZ_OK) {
		bz_card_free(card);
		return rc;
	}
	const bz_person *p = bz_card_person(card);
	char title[256];
	snprintf(title, sizeof title, "人员编制管理卡 %s %s", bz_card_number(card), bz_person_name(p));
	bz_sheet *s = sheet_new(title);
	if (!s) {
		rc = bz_fail(ledger, BZ_ENOMEM, "out of memory");
		goto done;
	}
	sheet_cols(s, card_cols, NCOLS(card_cols));
	for (size_t i = 0; i < bz_card_placement_count(card) && rc == BZ_OK; i++) {
		const bz_placement *pl = bz_card_placement(card, i);
		char *uname = NULL;
		if ((rc = bz_unit_name_at(ledger, bz_placement_unit(pl), bz_placement_entry(pl), &uname)) != BZ_OK)
			break;
		sheet_row(s);
		cell(s, 0, bz_card_number(card));
		cell(s, 1, bz_card_issued(card));
		cell(s, 2, bz_person_name(p));
		cell(s, 3, sex_name(bz_person_sex(p)));
		cell(s, 4, bz_person_id_number(p));
		cell(s, 5, bz_person_birth(p));
		cell(s, 6, uname);
		cell(s, 7, cat_name(&nm, bz_placement_category(pl)));
		cell(s, 8, entry_kind_name(bz_placement_entry_kind(pl)));
		cell(s, 9, bz_placement_entry(pl));
		cell(s, 10, bz_placement_entry_document(pl));
		cell(s, 11, bz_placement_exit_date(pl));
		cell(s, 12, exit_reason_name(bz_placement_exit_reason(pl)));
		cell(s, 13, bz_placement_exit_document(pl));
		bz__free(uname);
	}
	rc = sheet_done(out, s, ledger, rc == BZ_OK && nm.oom ? bz_fail(ledger, BZ_ENOMEM, "out of memory") : rc);
done:
	names_free(&nm);
	bz_card_free(card);
	return rc;
}

/* ---- the vacancy list ------------------------------------------------------------ */

static const colspec vacancy_cols[] = {
	{"行政区划", T}, {"单位名称", T}, {"单位性质", T}, {"编制类别", T}, {"编制数", I},
	{"实有人员", I}, {"控编预留", I}, {"冻结", I}, {"空编", I},
};

/* a unit's rows of the vacancy list: each category with vacant posts */
static void vacancy_rows(bz_sheet *s, names *nm, const bz_unit *u, const bz_basic_table *t)
{
	size_t nr = bz_basic_table_rows(t);
	size_t *order = bz__malloc((nr + 1) * sizeof *order);
	if (!order) {
		s->oom = true;
		return;
	}
	cat_order(nm, t, order);
	for (size_t i = 0; i < nr; i++) {
		size_t r = order[i];
		if (bz_basic_table_vacant(t, r) <= 0)
			continue;
		sheet_row(s);
		cell(s, 0, jur_name(nm, bz_unit_jurisdiction(u)));
		cell(s, 1, bz_unit_name(u));
		cell(s, 2, bz_nature_name(bz_unit_nature(u)));
		cell(s, 3, cat_name(nm, bz_basic_table_category(t, r)));
		cell_int(s, 4, bz_basic_table_establishment(t, r));
		cell_int(s, 5, bz_basic_table_staff(t, r));
		cell_int(s, 6, bz_basic_table_reserved(t, r));
		cell_int(s, 7, bz_basic_table_frozen(t, r));
		cell_int(s, 8, bz_basic_table_vacant(t, r));
	}
	bz__free(order);
}

BZ_EXTERN int bz_sheet_vacancies(bz_sheet **out, bz_ledger *ledger, const char *jurisdiction_code,
				 const char *date)
{
	return per_unit_sheet(out, ledger, jurisdiction_code, date, "空编情况表", vacancy_cols, NCOLS(vacancy_cols),
			      vacancy_rows);
}

/* ---- sheets built by other areas (registration_int.h) ---------------------------------- */

bz_sheet *bz_sheet_make(const char *title) { return sheet_new(title); }
void bz_sheet_add_col(bz_sheet *s, const char *name, int kind) { sheet_col(s, name, kind); }
void bz_sheet_add_row(bz_sheet *s) { sheet_row(s); }
void bz_sheet_set(bz_sheet *s, size_t col, const char *text) { cell(s, col, text); }
void bz_sheet_set_int(bz_sheet *s, size_t col, int64_t v) { cell_int(s, col, v); }
int bz_sheet_finish(bz_sheet **out, bz_sheet *s, bz_ledger *l, int rc) { return sheet_done(out, s, l, rc); }
