/*
 * import.c: the unit and person sheets offices fill, imported in bulk
 * (import.h). The file is read a row at a time (tabular.c); each row goes
 * through the public change functions, so a row is checked exactly as the
 * same change made by hand, and the rules run at commit. The whole file is
 * one change: a refused row is recorded with its line and the reason, the
 * rest are still read (every bad row is reported), and if any was refused
 * the change is taken back whole.
 */
#include "catalogue.h"
#include "tabular.h"

#include <bianzhi.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct problem {
	int64_t line;
	char *column, *message;
} problem;

struct bz_import {
	int64_t rows, units, persons, placements, appointments;
	problem *p;
	size_t n, cap;
};

BZ_EXTERN void bz_import_free(bz_import *imp)
{
	if (!imp)
		return;
	for (size_t i = 0; i < imp->n; i++) {
		bz__free(imp->p[i].column);
		bz__free(imp->p[i].message);
	}
	bz__free(imp->p);
	bz__free(imp);
}

BZ_EXTERN int64_t bz_import_rows(const bz_import *imp) { return imp ? imp->rows : 0; }
BZ_EXTERN int64_t bz_import_units_created(const bz_import *imp) { return imp ? imp->units : 0; }
BZ_EXTERN int64_t bz_import_persons_registered(const bz_import *imp) { return imp ? imp->persons : 0; }
BZ_EXTERN int64_t bz_import_placements(const bz_import *imp) { return imp ? imp->placements : 0; }
BZ_EXTERN int64_t bz_import_appointments(const bz_import *imp) { return imp ? imp->appointments : 0; }
BZ_EXTERN size_t bz_import_problem_count(const bz_import *imp) { return imp ? imp->n : 0; }
BZ_EXTERN int64_t bz_import_problem_line(const bz_import *imp, size_t i) { return imp && i < imp->n ? imp->p[i].line : -1; }
BZ_EXTERN const char *bz_import_problem_column(const bz_import *imp, size_t i)
{
	return imp && i < imp->n ? imp->p[i].column : NULL;
}
BZ_EXTERN const char *bz_import_problem_message(const bz_import *imp, size_t i)
{
	return imp && i < imp->n ? imp->p[i].message : NULL;
}

/* record a refused row; BZ_ENOMEM if it cannot be kept */
static int refuse(bz_import *imp, long line, const char *column, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int refuse(bz_import *imp, long line, const char *column, const char *fmt, ...)
{
	char msg[BZ_ERRMSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (imp->n == imp->cap) {
		size_t cap = imp->cap ? imp->cap * 2 : 16;
		problem *np = bz__realloc(imp->p, cap * sizeof *np);
		if (!np)
			return BZ_ENOMEM;
		imp->p = np;
		imp->cap = cap;
	}
	problem *p = &imp->p[imp->n];
	p->line = line;
	p->column = column ? bz_strdup(column) : NULL;
	p->message = bz_strdup(msg);
	if (!p->message || (column && !p->column)) {
		bz__free(p->column);
		bz__free(p->message);
		return BZ_ENOMEM;
	}
	imp->n++;
	return BZ_OK;
}

/* a status that ends the import at once (the file or the ledger failed), not a refused row */
static bool fatal(int rc)
{
	return rc == BZ_ENOMEM || rc == BZ_EIO || rc == BZ_EBUSY || rc == BZ_ECORRUPT || rc == BZ_EMISUSE ||
	       rc == BZ_ERROR;
}

/* ---- choice values as the templates spell them ---------------------------- */

typedef struct choice {
	const char *name;
	int value;
} choice;

/* text without a trailing "级" (正科级 → 正科) */
static void strip_ji(char *buf, size_t size, const char *text)
{
	snprintf(buf, size, "%s", text);
	size_t n = strlen(buf);
	if (n >= 3 && strcmp(buf + n - 3, "级") == 0)
		buf[n - 3] = '\0';
}

/* a value from the table, the library's own names (name_of), or its number; -1 if none */
static int pick(const char *text, const choice *table, const char *(*name_of)(int), int lo, int hi)
{
	char buf[64];
	if (!*text)
		return -1;
	for (const choice *c = table; c && c->name; c++)
		if (strcmp(text, c->name) == 0)
			return c->value;
	strip_ji(buf, sizeof buf, text);
	for (int v = lo; name_of && v <= hi; v++)
		if (name_of(v) && (strcmp(text, name_of(v)) == 0 || strcmp(buf, name_of(v)) == 0))
			return v;
	char *end = NULL;
	long v = strtol(text, &end, 10);
	return *end == '\0' && v >= lo && v <= hi ? (int)v : -1;
}

static const choice natures[] = {
	{"行政机关", BZ_NATURE_ORGAN},          {"机关", BZ_NATURE_ORGAN},
	{"党政机关", BZ_NATURE_ORGAN},          {"事业单位", BZ_NATURE_INSTITUTION},
	{"参照公务员法管理事业单位", BZ_NATURE_INSTITUTION}, {"参公事业单位", BZ_NATURE_INSTITUTION},
	{"群众团体", BZ_NATURE_MASS},           {"群团组织", BZ_NATURE_MASS},
	{"人民团体", BZ_NATURE_MASS},           {"民主党派", BZ_NATURE_PARTY},
	{NULL, 0},
};

static const choice ranks[] = {
	{"乡科级正职", BZ_RANK_ZHENGKE}, {"乡科级副职", BZ_RANK_FUKE},  {"县处级正职", BZ_RANK_ZHENGCHU},
	{"县处级副职", BZ_RANK_FUCHU},   {"厅局级正职", BZ_RANK_ZHENGTING}, {"厅局级副职", BZ_RANK_FUTING},
	{"省部级正职", BZ_RANK_ZHENGBU}, {"省部级副职", BZ_RANK_FUBU},  {"股级", BZ_RANK_ZHENGGU},
	{"未定级", BZ_RANK_NONE},        {"无", BZ_RANK_NONE},          {NULL, 0},
};

static const choice fundings[] = {
	{"全额", BZ_FUNDING_FULL},         {"财政全额拨款", BZ_FUNDING_FULL}, {"差额拨款", BZ_FUNDING_BALANCE},
	{"差额", BZ_FUNDING_BALANCE},      {"经费自理", BZ_FUNDING_SELF},     {"自收自支", BZ_FUNDING_SELF},
	{"企业化管理", BZ_FUNDING_ENTERPRISE}, {NULL, 0},
};

static const choice entry_kinds[] = {
	{"考录", BZ_ENTRY_EXAM},          {"考试录用", BZ_ENTRY_EXAM},       {"公务员考录", BZ_ENTRY_EXAM},
	{"招聘", BZ_ENTRY_RECRUIT},       {"公开招聘", BZ_ENTRY_RECRUIT},    {"事业单位公开招聘", BZ_ENTRY_RECRUIT},
	{"调入", BZ_ENTRY_TRANSFER_IN},   {"调任", BZ_ENTRY_TRANSFER_IN},    {"转任", BZ_ENTRY_TRANSFER_IN},
	{"军转", BZ_ENTRY_DEMOBILISED},   {"军转安置", BZ_ENTRY_DEMOBILISED}, {"军队转业干部安置", BZ_ENTRY_DEMOBILISED},
	{"军转干部", BZ_ENTRY_DEMOBILISED}, {"其他", BZ_ENTRY_OTHER},        {NULL, 0},
};

/* the categories by code and by name (行政编制 → XZ), loaded once per import */
typedef struct cats {
	char code[8][24], name[8][64];
	size_t n;
} cats;

static int cats_load(bz_ledger *l, cats *c)
{
	bz_category_iter *it = NULL;
	bz_category *cat = NULL;
	int rc = bz_category_list(&it, l);
	c->n = 0;
	if (rc != BZ_OK)
		return rc;
	while ((rc = bz_category_iter_next(&cat, it)) == BZ_OK) {
		if (c->n < 8) {
			snprintf(c->code[c->n], sizeof c->code[0], "%s", bz_category_code(cat));
			snprintf(c->name[c->n], sizeof c->name[0], "%s", bz_category_name(cat));
			c->n++;
		}
		bz_category_free(cat);
	}
	bz_category_iter_free(it);
	return rc == BZ_ITEROVER ? BZ_OK : rc;
}

static const char *cat_code(const cats *c, const char *text)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(text, c->code[i]) == 0 || strcmp(text, c->name[i]) == 0)
			return c->code[i];
	/* 事业编制(参公) with ASCII brackets, as often typed */
	if (strcmp(text, "事业编制(参公)") == 0 || strcmp(text, "参公事业编制") == 0)
		return "SYCG";
	return NULL;
}

/* ---- the sheet: header, columns, rows ----------------------------------- */

typedef struct sheet {
	bz_tab *tab;
	const char *const *names; /* the columns the importer knows */
	size_t nnames;
	int col[32];              /* col[i]: column of names[i], -1 if absent */
	char **header;            /* every header cell, for the kept columns */
	size_t nheader;
	bool *known;              /* header[i] is one of names */
	const char *const *cells; /* the current row */
	size_t ncells;
	long line;
} sheet;

static void sheet_close(sheet *s)
{
	for (size_t i = 0; i < s->nheader; i++)
		bz__free(s->header[i]);
	bz__free(s->header);
	bz__free(s->known);
	bz_tab_close(s->tab);
}

/* the cell of names[i] in the current row ("" if the column is absent) */
static const char *cell(const sheet *s, size_t i)
{
	int c = s->col[i];
	return c >= 0 && (size_t)c < s->ncells ? s->cells[c] : "";
}

static int sheet_open(sheet *s, bz_ledger *l, const char *path, const char *const *names, size_t nnames)
{
	size_t n = 0;
	const char *const *cells = NULL;
	long line = 0;
	memset(s, 0, sizeof *s);
	s->names = names;
	s->nnames = nnames;
	int rc = bz_tab_open(&s->tab, l, path);
	if (rc != BZ_OK)
		return rc;
	rc = bz_tab_next(s->tab, &n, &cells, &line);
	if (rc == BZ_ITEROVER)
		return bz_fail(l, BZ_EINVAL, "%s: no header row (the file is empty)", path);
	if (rc != BZ_OK)
		return rc;
	if ((rc = bz_tab_header(cells, n, names, nnames, s->col)) != BZ_OK)
		return rc;
	s->header = bz__calloc(n ? n : 1, sizeof *s->header);
	s->known = bz__calloc(n ? n : 1, sizeof *s->known);
	if (!s->header || !s->known)
		return bz_fail(l, BZ_ENOMEM, "out of memory");
	s->nheader = n;
	for (size_t i = 0; i < n; i++)
		if (!(s->header[i] = bz_strdup(cells[i])))
			return bz_fail(l, BZ_ENOMEM, "out of memory");
	for (size_t i = 0; i < nnames; i++)
		if (s->col[i] >= 0)
			s->known[s->col[i]] = true;
	return BZ_OK;
}

/* the next data row: BZ_OK, BZ_ITEROVER, or the reader's error */
static int sheet_next(sheet *s, bz_import *imp)
{
	int rc = bz_tab_next(s->tab, &s->ncells, &s->cells, &s->line);
	if (rc == BZ_OK)
		imp->rows++;
	return rc;
}

/* a date cell: "" stays empty (*ok true), a bad one is refused (*ok false) */
static int date_cell(bz_import *imp, const sheet *s, size_t i, char out[BZ_DATE_LEN + 1], bool *ok)
{
	const char *t = cell(s, i);
	*ok = true;
	out[0] = '\0';
	if (!*t || bz_tab_date(out, t) == BZ_OK)
		return BZ_OK;
	*ok = false;
	return refuse(imp, s->line, s->names[i], "%s is not a date (2012-03-05, 2012.3.5, 2012年3月5日 …)", t);
}

/* keep the columns the importer has no field for as attributes of subject, from date */
static int keep_other_columns(bz_txn *t, const sheet *s, const char *subject, const char *date, bool unit)
{
	for (size_t c = 0; c < s->nheader && c < s->ncells; c++) {
		if (s->known[c] || !*s->header[c] || !*s->cells[c])
			continue;
		int rc = unit ? bz_unit_set_attr(t, subject, s->header[c], s->cells[c], date)
			      : bz_person_set_attr(t, subject, s->header[c], s->cells[c], date);
		if (rc != BZ_OK)
			return rc;
	}
	return BZ_OK;
}

/* a failed library call on a row: fatal statuses end the import, the rest refuse the row */
static int row_failed(bz_import *imp, bz_ledger *l, const sheet *s, const char *column, int rc)
{
	if (fatal(rc))
		return rc;
	const char *msg = bz_ledger_errmsg(l);
	int code = refuse(imp, s->line, column, "%s", msg && *msg ? msg : bz_strerror(rc));
	return code;
}

/* the outcome: BZ_OK, or BZ_EINVAL with the problems kept; a fatal status as it is */
static int finish(bz_import **out, bz_import *imp, bz_txn *t, int rc)
{
	bz_ledger *l = t->l;
	if (rc == BZ_OK && imp->n > 0)
		rc = BZ_EINVAL;
	char keep[BZ_ERRMSG_MAX] = "";
	if (rc != BZ_OK)
		snprintf(keep, sizeof keep, "%s", bz_ledger_errmsg(l));
	int code = bz_change_end(t, rc);
	if (code == BZ_EINVAL && imp->n > 0) {
		imp->units = imp->persons = imp->placements = imp->appointments = 0;
		*out = imp;
		return bz_fail(l, BZ_EINVAL, "%zu row(s) refused, nothing imported (first: line %lld: %s)", imp->n,
			       (long long)imp->p[0].line, imp->p[0].message);
	}
	if (code != BZ_OK) {
		bz_import_free(imp);
		if (*keep)
			bz_fail(l, code, "%s", keep);
		return code;
	}
	*out = imp;
	return BZ_OK;
}

static int begin(bz_import **out, bz_import **imp, bz_txn *txn, const char *path)
{
	if (!out)
		return BZ_EINVAL;
	*out = NULL;
	if (!txn)
		return BZ_EINVAL;
	if (!txn->l || !txn->open)
		return bz_change_begin(txn); /* BZ_EMISUSE, with the message when the ledger is still there */
	if (!path || !*path)
		return bz_fail(txn->l, BZ_EINVAL, "an import needs a file");
	if (!(*imp = bz__calloc(1, sizeof **imp)))
		return bz_fail(txn->l, BZ_ENOMEM, "out of memory");
	int rc = bz_change_begin(txn);
	if (rc != BZ_OK) {
		bz_import_free(*imp);
		*imp = NULL;
	}
	return rc;
}

/* ---- units -------------------------------------------------------------- */

enum { U_NAME, U_SHORT, U_NATURE, U_RANK, U_FUNDING, U_PARENT, U_CREDIT, U_FOUNDED, U_DIVISION, U_CATEGORY,
       U_POSTS, U_LEADERS, U_SUBUNITS, U_N };
static const char *const unit_columns[U_N] = {"机构名称", "规范简称", "机构性质", "机构级别", "经费形式",
					      "隶属单位", "统一社会信用代码", "成立时间", "所属区划", "编制类别",
					      "编制数", "领导职数", "内设机构数"};

/* "1正2副" (or 一正二副), or a plain number of deputies with one principal; false if unreadable */
static bool leaders(const char *text, int *principal, int *deputy)
{
	static const char *const digits[] = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
	int v[2] = {0, 0}, k = 0;
	bool any = false;
	const char *p = text;
	char *end;
	long n = strtol(text, &end, 10);
	if (*text && *end == '\0' && n >= 0 && n < 100) {
		*principal = 1;
		*deputy = (int)n;
		return true;
	}
	while (*p && k < 2) {
		bool digit = false;
		if (*p >= '0' && *p <= '9') {
			v[k] = v[k] * 10 + (*p++ - '0');
			digit = any = true;
		} else {
			for (int d = 0; d < 10 && !digit; d++)
				if (strncmp(p, digits[d], strlen(digits[d])) == 0) {
					v[k] = v[k] * 10 + d;
					p += strlen(digits[d]);
					digit = any = true;
				}
		}
		if (digit)
			continue;
		if (strncmp(p, "正", 3) == 0 && k == 0) {
			k = 1;
			p += 3;
		} else if (strncmp(p, "副", 3) == 0 && k == 1) {
			k = 2;
			p += 3;
		} else {
			return false;
		}
	}
	if (!any || *p || k == 0)
		return false;
	*principal = v[0];
	*deputy = k == 2 ? v[1] : 0;
	return true;
}

static int unit_row(bz_import *imp, bz_txn *t, const sheet *s, const char *jur, const char *as_of, const cats *cs)
{
	bz_ledger *l = t->l;
	const char *name = cell(s, U_NAME), *natext = cell(s, U_NATURE);
	char founded[BZ_DATE_LEN + 1];
	bool ok = true;
	int nature, rank = BZ_RANK_NONE, funding = 0, rc;

	if (!*name)
		return refuse(imp, s->line, unit_columns[U_NAME], "a unit needs its name (机构名称)");
	if ((nature = pick(natext, natures, bz_nature_name, 1, 8)) < 0)
		return refuse(imp, s->line, unit_columns[U_NATURE],
			      "%s: no such nature (行政机关, 事业单位, 群众团体, 民主党派)", *natext ? natext : "(empty)");
	if (*cell(s, U_RANK) && (rank = pick(cell(s, U_RANK), ranks, bz_rank_name, 0, 10)) < 0)
		return refuse(imp, s->line, unit_columns[U_RANK], "%s: no such rank (正科级, 县处级副职 …)", cell(s, U_RANK));
	if (*cell(s, U_FUNDING) && (funding = pick(cell(s, U_FUNDING), fundings, bz_funding_name, 1, 4)) < 0)
		return refuse(imp, s->line, unit_columns[U_FUNDING], "%s: no such funding (全额拨款, 差额补贴, 自收自支 …)",
			      cell(s, U_FUNDING));
	if ((rc = date_cell(imp, s, U_FOUNDED, founded, &ok)) != BZ_OK || !ok)
		return rc;
	if (!founded[0] && !as_of)
		return refuse(imp, s->line, unit_columns[U_FOUNDED], "a unit needs its founding date (成立时间)");
	const char *date = founded[0] ? founded : as_of;

	bz_unit_spec *spec = NULL;
	bz_unit *u = NULL;
	char parent[BZ_UUID_LEN + 1] = "";
	if (*cell(s, U_PARENT)) {
		rc = bz_unit_lookup_name(&u, l, NULL, cell(s, U_PARENT), date);
		if (rc != BZ_OK)
			return fatal(rc) ? rc
					 : refuse(imp, s->line, unit_columns[U_PARENT], "%s: no such unit at %s (隶属单位)",
						  cell(s, U_PARENT), date);
		snprintf(parent, sizeof parent, "%s", bz_unit_uuid(u));
		bz_unit_free(u);
		u = NULL;
	}
	if ((rc = bz_unit_spec_new(&spec)) != BZ_OK)
		return rc;
	const char *division = *cell(s, U_DIVISION) ? cell(s, U_DIVISION) : jur;
	bool canzong = strstr(natext, "参照") || strstr(natext, "参公"); /* 参照公务员法管理 */
	const char *column = NULL;
	if ((rc = bz_unit_spec_set_name(spec, name)) != BZ_OK)
		column = unit_columns[U_NAME];
	else if ((rc = bz_unit_spec_set_nature(spec, nature)) != BZ_OK ||
		 (canzong && (rc = bz_unit_spec_set_canzong(spec, 1)) != BZ_OK))
		column = unit_columns[U_NATURE];
	else if ((rc = bz_unit_spec_set_rank(spec, rank)) != BZ_OK)
		column = unit_columns[U_RANK];
	else if (funding && (rc = bz_unit_spec_set_funding(spec, funding)) != BZ_OK)
		column = unit_columns[U_FUNDING];
	else if (!division || (rc = bz_unit_spec_set_jurisdiction(spec, division)) != BZ_OK)
		column = unit_columns[U_DIVISION], rc = division ? rc : BZ_EINVAL;
	else if ((rc = bz_unit_spec_set_founded(spec, date)) != BZ_OK)
		column = unit_columns[U_FOUNDED];
	else if (parent[0] && (rc = bz_unit_spec_set_parent(spec, parent)) != BZ_OK)
		column = unit_columns[U_PARENT];
	else if (*cell(s, U_CREDIT) && (rc = bz_unit_spec_set_credit_code(spec, cell(s, U_CREDIT))) != BZ_OK)
		column = unit_columns[U_CREDIT];
	if (rc == BZ_OK)
		rc = bz_unit_establish(&u, t, spec);
	bz_unit_spec_free(spec);
	if (rc != BZ_OK) {
		if (!division)
			return refuse(imp, s->line, unit_columns[U_DIVISION], "no jurisdiction: give 所属区划 or one for the import");
		return row_failed(imp, l, s, column, rc);
	}
	imp->units++;
	char uuid[BZ_UUID_LEN + 1];
	snprintf(uuid, sizeof uuid, "%s", bz_unit_uuid(u));
	bz_unit_free(u);

	/* the figures, from the founding date */
	const char *posts = cell(s, U_POSTS);
	if (*posts) {
		char *end = NULL;
		long long n = strtoll(posts, &end, 10);
		/* default: 行政编制 for organs, 事业编制 for institutions, 事业编制（参公） for 参公 ones */
		const char *cat = *cell(s, U_CATEGORY) ? NULL
				: nature != BZ_NATURE_INSTITUTION ? "XZ" : canzong ? "SYCG" : "SY";
		if (*end || n < 0)
			return refuse(imp, s->line, unit_columns[U_POSTS], "%s is not a number of posts", posts);
		if (!cat) {
			if (!(cat = cat_code(cs, cell(s, U_CATEGORY))))
				return refuse(imp, s->line, unit_columns[U_CATEGORY], "%s: no such category (行政编制, 事业编制 …)",
					      cell(s, U_CATEGORY));
			if ((rc = bz_establishment_set(t, uuid, cat, n, date)) != BZ_OK)
				return row_failed(imp, l, s, unit_columns[U_POSTS], rc);
		} else if ((rc = bz_establishment_set(t, uuid, cat, n, date)) != BZ_OK) {
			return row_failed(imp, l, s, unit_columns[U_POSTS], rc);
		}
	}
	if (*cell(s, U_LEADERS)) {
		int pr = 0, de = 0;
		if (!leaders(cell(s, U_LEADERS), &pr, &de))
			return refuse(imp, s->line, unit_columns[U_LEADERS], "%s: not a leadership quota (1正2副)",
				      cell(s, U_LEADERS));
		if ((rc = bz_leadership_set(t, uuid, pr, de, BZ_RANK_NONE, date)) != BZ_OK)
			return row_failed(imp, l, s, unit_columns[U_LEADERS], rc);
	}
	if (*cell(s, U_SUBUNITS)) {
		char *end = NULL;
		long long n = strtoll(cell(s, U_SUBUNITS), &end, 10);
		if (*end || n < 0)
			return refuse(imp, s->line, unit_columns[U_SUBUNITS], "%s is not a number of sub-units",
				      cell(s, U_SUBUNITS));
		if ((rc = bz_subunit_approve(t, uuid, n, date)) != BZ_OK)
			return row_failed(imp, l, s, unit_columns[U_SUBUNITS], rc);
	}
	if (*cell(s, U_SHORT) && (rc = bz_unit_set_attr(t, uuid, unit_columns[U_SHORT], cell(s, U_SHORT), date)) != BZ_OK)
		return row_failed(imp, l, s, unit_columns[U_SHORT], rc);
	if ((rc = keep_other_columns(t, s, uuid, date, true)) != BZ_OK)
		return row_failed(imp, l, s, NULL, rc);
	return BZ_OK;
}

/* read every row, each through row(); BZ_OK or a fatal status */
typedef int (*row_fn)(bz_import *imp, bz_txn *t, const sheet *s, const void *ctx);

/*
 * The bulk path (issue 10). Rows go through the change functions in
 * batches of BATCH_ROWS under one savepoint (bz_batch_begin, txn.c)
 * instead of one savepoint per change: SQLite copies every page a change
 * first writes into the statement journal of each savepoint, the same
 * pages hire after hire, a fifth of an import's time. Each row of a batch
 * is kept (its cells and line) until the batch ends. When a change of the
 * batch fails — a row refused by the library, not by the sheet's own
 * checks — it cannot be taken back alone: the batch stops there, is taken
 * back whole, and its rows are imported again one by one with a savepoint
 * per change, as before. The rows, the problems and the counts are
 * therefore those of the row-by-row import, whatever the batch boundaries
 * (tests/test_import.c compares the two).
 */
#define BATCH_ROWS 256

/* size of the batches (0: none, every change with its own savepoint); the tests set it */
size_t bz_import_batch_rows = BATCH_ROWS;

/* one row of a batch, kept to be imported again: its line and cells (one allocation of the texts) */
typedef struct kept_row {
	long line;
	size_t n, cap_cells, cap_text;
	const char **cells;
	char *text;
} kept_row;

static int keep_row(bz_ledger *l, kept_row *k, const sheet *s)
{
	size_t need = 0;
	for (size_t i = 0; i < s->ncells; i++)
		need += strlen(s->cells[i]) + 1;
	if (s->ncells > k->cap_cells) {
		const char **nc = bz__reallocarray(k->cells, s->ncells, sizeof *nc);
		if (!nc)
			return bz_fail(l, BZ_ENOMEM, "out of memory");
		k->cells = nc;
		k->cap_cells = s->ncells;
	}
	if (need > k->cap_text) {
		char *nt = bz__realloc(k->text, need);
		if (!nt)
			return bz_fail(l, BZ_ENOMEM, "out of memory");
		k->text = nt;
		k->cap_text = need;
	}
	char *p = k->text;
	for (size_t i = 0; i < s->ncells; i++) {
		size_t len = strlen(s->cells[i]) + 1;
		memcpy(p, s->cells[i], len);
		k->cells[i] = p;
		p += len;
	}
	k->n = s->ncells;
	k->line = s->line;
	return BZ_OK;
}

/* the counts and problems of an import, to go back to when a batch is taken back */
typedef struct import_mark {
	int64_t units, persons, placements, appointments;
	size_t n;
} import_mark;

static import_mark import_marked(const bz_import *imp)
{
	return (import_mark){imp->units, imp->persons, imp->placements, imp->appointments, imp->n};
}

static void import_back(bz_import *imp, import_mark m)
{
	imp->units = m.units;
	imp->persons = m.persons;
	imp->placements = m.placements;
	imp->appointments = m.appointments;
	while (imp->n > m.n) {
		imp->n--;
		bz__free(imp->p[imp->n].column);
		bz__free(imp->p[imp->n].message);
	}
}

/*
 * One batch: up to bz_import_batch_rows rows read and imported under one
 * savepoint (*more false at the end of the file, *read then the reader's
 * status). A broken batch is taken back and its rows imported again one
 * by one.
 */
static int each_batch(bz_import *imp, bz_txn *t, sheet *s, row_fn row, const void *ctx, kept_row *kept, bool *more,
		      int *read)
{
	import_mark mark = import_marked(imp);
	int rc = bz_batch_begin(t);
	if (rc != BZ_OK)
		return rc;
	size_t k = 0;
	while (k < bz_import_batch_rows && !bz_batch_broken(t)) {
		int next = sheet_next(s, imp);
		if (next != BZ_OK) {
			*more = false;
			*read = next == BZ_ITEROVER ? BZ_OK : next;
			break;
		}
		if ((rc = keep_row(t->l, &kept[k], s)) != BZ_OK)
			break;
		k++;
		if ((rc = row(imp, t, s, ctx)) != BZ_OK && fatal(rc))
			break;
		rc = BZ_OK;
		if (imp->rows % 1000 == 0)
			bz_progress(t->l, "import", imp->rows);
	}
	/* the reader's message outlives the batch's end */
	char why[BZ_ERRMSG_MAX] = "";
	if (*read != BZ_OK)
		snprintf(why, sizeof why, "%s", bz_ledger_errmsg(t->l));
	bool again = false;
	if ((rc = bz_batch_end(t, rc, &again)) == BZ_OK && again) {
		/* a change of the batch failed: its rows once more, each change with its savepoint */
		import_back(imp, mark);
		for (size_t i = 0; rc == BZ_OK && i < k; i++) {
			s->cells = kept[i].cells;
			s->ncells = kept[i].n;
			s->line = kept[i].line;
			if ((rc = row(imp, t, s, ctx)) != BZ_OK && !fatal(rc))
				rc = BZ_OK;
		}
	}
	if (rc == BZ_OK && *read != BZ_OK)
		bz_fail(t->l, *read, "%s", why);
	return rc;
}

static int each_row(bz_import *imp, bz_txn *t, sheet *s, row_fn row, const void *ctx)
{
	int rc;
	if (bz_import_batch_rows == 0) {
		while ((rc = sheet_next(s, imp)) == BZ_OK) {
			if ((rc = row(imp, t, s, ctx)) != BZ_OK && fatal(rc))
				return rc;
			if (imp->rows % 1000 == 0)
				bz_progress(t->l, "import", imp->rows);
		}
		return rc == BZ_ITEROVER ? BZ_OK : rc;
	}
	kept_row *kept = bz__calloc(bz_import_batch_rows, sizeof *kept);
	if (!kept)
		return bz_fail(t->l, BZ_ENOMEM, "out of memory");
	bool more = true;
	int read = BZ_OK;
	rc = BZ_OK;
	while (rc == BZ_OK && more)
		rc = each_batch(imp, t, s, row, ctx, kept, &more, &read);
	for (size_t i = 0; i < bz_import_batch_rows; i++) {
		bz__free(kept[i].cells);
		bz__free(kept[i].text);
	}
	bz__free(kept);
	return rc != BZ_OK ? rc : read;
}

/* every required column present, or the file refused as a whole */
static int required(bz_import *imp, const sheet *s, const size_t *req, size_t nreq)
{
	int rc = BZ_OK;
	for (size_t i = 0; rc == BZ_OK && i < nreq; i++)
		if (s->col[req[i]] < 0)
			rc = refuse(imp, 0, s->names[req[i]], "the sheet has no column %s", s->names[req[i]]);
	return rc;
}

typedef struct unit_ctx {
	const char *jur, *as_of;
	cats cats;
} unit_ctx;

static int unit_row_fn(bz_import *imp, bz_txn *t, const sheet *s, const void *ctx)
{
	const unit_ctx *c = ctx;
	return unit_row(imp, t, s, c->jur, c->as_of, &c->cats);
}

BZ_EXTERN int bz_import_units(bz_import **out, bz_txn *txn, const char *path, const char *jurisdiction_code,
			      const char *as_of)
{
	bz_import *imp = NULL;
	int rc = begin(out, &imp, txn, path);
	if (rc != BZ_OK)
		return rc;
	if (as_of && !bz_date_ok(as_of))
		return finish(out, imp, txn, bz_fail(txn->l, BZ_EINVAL, "as_of is not a date (YYYY-MM-DD)"));
	sheet s;
	static const size_t req[] = {U_NAME, U_NATURE};
	unit_ctx ctx = {jurisdiction_code, as_of, {{{0}}, {{0}}, 0}};
	memset(&s, 0, sizeof s);
	rc = cats_load(txn->l, &ctx.cats);
	if (rc == BZ_OK)
		rc = sheet_open(&s, txn->l, path, unit_columns, U_N);
	if (rc == BZ_OK)
		rc = required(imp, &s, req, 2);
	if (rc == BZ_OK && imp->n == 0)
		rc = each_row(imp, txn, &s, unit_row_fn, &ctx);
	sheet_close(&s);
	if (rc != BZ_OK && !fatal(rc) && imp->n == 0) { /* the file itself (not a sheet, unreadable line) */
		bz_change_end(txn, rc);
		bz_import_free(imp);
		return rc;
	}
	return finish(out, imp, txn, rc);
}

/* ---- people ------------------------------------------------------------- */

/* 管理卡号 is read and left: the card number is the ledger's own to issue (Table 3 writes it) */
enum { P_UNIT, P_NAME, P_ID, P_CATEGORY, P_ENTRY, P_KIND, P_SEX, P_BIRTH, P_SLIP, P_LEVEL, P_POST, P_SINCE,
       P_CARD, P_N };
static const char *const person_columns[P_N] = {"单位名称", "姓名", "身份证号", "编制类别", "进入时间",
						"进入形式", "性别", "出生日期", "控编单编号", "领导职务级别",
						"职务", "任现职时间", "管理卡号"};

typedef struct person_ctx {
	const char *jur;
	cats cats;
	char last_unit_name[256], last_unit[BZ_UUID_LEN + 1], last_date[BZ_DATE_LEN + 1];
} person_ctx;

static int person_row(bz_import *imp, bz_txn *t, const sheet *s, const void *vctx)
{
	person_ctx *c = (person_ctx *)vctx;
	bz_ledger *l = t->l;
	char entry[BZ_DATE_LEN + 1], birth[BZ_DATE_LEN + 1], since[BZ_DATE_LEN + 1], person[BZ_UUID_LEN + 1];
	bool ok = true;
	int rc, kind = BZ_ENTRY_OTHER, sex = 0, level = -1;
	const char *name = cell(s, P_NAME), *id = cell(s, P_ID), *cat;

	if (!*name)
		return refuse(imp, s->line, person_columns[P_NAME], "a person needs a name (姓名)");
	if (!*id)
		return refuse(imp, s->line, person_columns[P_ID], "a person needs an ID number (身份证号)");
	if (!(cat = cat_code(&c->cats, cell(s, P_CATEGORY))))
		return refuse(imp, s->line, person_columns[P_CATEGORY], "%s: no such category (行政编制, 事业编制 …)",
			      *cell(s, P_CATEGORY) ? cell(s, P_CATEGORY) : "(empty)");
	if ((rc = date_cell(imp, s, P_ENTRY, entry, &ok)) != BZ_OK || !ok)
		return rc;
	if (!entry[0])
		return refuse(imp, s->line, person_columns[P_ENTRY], "a placement needs its entry date (进入时间)");
	if ((rc = date_cell(imp, s, P_BIRTH, birth, &ok)) != BZ_OK || !ok)
		return rc;
	if ((rc = date_cell(imp, s, P_SINCE, since, &ok)) != BZ_OK || !ok)
		return rc;
	if (*cell(s, P_KIND) && (kind = pick(cell(s, P_KIND), entry_kinds, NULL, 1, 9)) < 0)
		return refuse(imp, s->line, person_columns[P_KIND], "%s: no such entry (考录, 招聘, 调入, 军转, 其他)",
			      cell(s, P_KIND));
	if (*cell(s, P_SEX)) {
		const char *x = cell(s, P_SEX);
		sex = strcmp(x, "男") == 0 || strcmp(x, "1") == 0 ? BZ_SEX_MALE
		    : strcmp(x, "女") == 0 || strcmp(x, "2") == 0 ? BZ_SEX_FEMALE : -1;
		if (sex < 0)
			return refuse(imp, s->line, person_columns[P_SEX], "%s: not 男 or 女", x);
	}
	if (*cell(s, P_LEVEL) && (level = pick(cell(s, P_LEVEL), ranks, bz_rank_name, 0, 10)) < 0)
		return refuse(imp, s->line, person_columns[P_LEVEL], "%s: no such level (正科级, 县处级副职 …)",
			      cell(s, P_LEVEL));

	/* the unit: by name at the entry date (rows come grouped by unit: the last one is kept) */
	const char *uname = cell(s, P_UNIT);
	if (!*uname)
		return refuse(imp, s->line, person_columns[P_UNIT], "a placement needs its unit (单位名称)");
	if (strcmp(uname, c->last_unit_name) != 0 || strcmp(entry, c->last_date) != 0) {
		/* as bz_unit_lookup_name finds it, without the unit's snapshot (a tenth of an import's time) */
		rc = bz_text_ok(uname) && bz_date_ok(entry) ? bz_unit_find_name(l, c->jur, uname, entry, c->last_unit)
							     : BZ_EINVAL;
		if (rc != BZ_OK) {
			c->last_unit_name[0] = '\0';
			return fatal(rc) ? rc
			       : refuse(imp, s->line, person_columns[P_UNIT], rc == BZ_EEXISTS
						  ? "%s names more than one unit at %s"
						  : "no unit %s in being at %s", uname, entry);
		}
		snprintf(c->last_unit_name, sizeof c->last_unit_name, "%s", uname);
		snprintf(c->last_date, sizeof c->last_date, "%s", entry);
	}

	/* the person: known by ID number, or registered */
	bz_person *p = NULL;
	rc = bz_person_lookup_idnum(&p, l, id);
	if (rc == BZ_OK) {
		if (strcmp(bz_person_name(p), name) != 0) {
			rc = refuse(imp, s->line, person_columns[P_NAME], "%s is %s in the ledger, not %s", id,
				    bz_person_name(p), name);
			bz_person_free(p);
			return rc;
		}
	} else if (rc == BZ_ENOTFOUND || rc == BZ_EINVAL) {
		rc = bz_person_register(&p, t, id, name, sex, birth[0] ? birth : NULL);
		if (rc != BZ_OK)
			return row_failed(imp, l, s, person_columns[P_ID], rc);
		imp->persons++;
	} else {
		return rc;
	}
	snprintf(person, sizeof person, "%s", bz_person_uuid(p));
	bz_person_free(p);

	/* the usage slip, by number */
	char slip[BZ_UUID_LEN + 1] = "";
	if (*cell(s, P_SLIP)) {
		bz_slip *sl = NULL;
		if ((rc = bz_slip_lookup_number(&sl, l, cell(s, P_SLIP))) != BZ_OK)
			return fatal(rc) ? rc
					 : refuse(imp, s->line, person_columns[P_SLIP], "no usage slip %s in the ledger",
						  cell(s, P_SLIP));
		snprintf(slip, sizeof slip, "%s", bz_slip_uuid(sl));
		bz_slip_free(sl);
	}
	if ((rc = bz_placement_enter(NULL, t, person, c->last_unit, cat, slip[0] ? slip : NULL, kind, entry)) != BZ_OK)
		return row_failed(imp, l, s, person_columns[P_ENTRY], rc);
	imp->placements++;

	/* a leadership post the row states */
	if (level >= 0) {
		const char *post = cell(s, P_POST);
		int which = strncmp(post, "副", 3) == 0 ? BZ_POST_DEPUTY : BZ_POST_PRINCIPAL;
		rc = bz_appointment_make_ranked(NULL, t, person, c->last_unit, which, level, since[0] ? since : entry);
		if (rc != BZ_OK)
			return row_failed(imp, l, s, person_columns[P_LEVEL], rc);
		imp->appointments++;
	}
	if (*cell(s, P_POST) && (rc = bz_person_set_attr(t, person, person_columns[P_POST], cell(s, P_POST), entry)) != BZ_OK)
		return row_failed(imp, l, s, person_columns[P_POST], rc);
	if ((rc = keep_other_columns(t, s, person, entry, false)) != BZ_OK)
		return row_failed(imp, l, s, NULL, rc);
	return BZ_OK;
}

BZ_EXTERN int bz_import_people(bz_import **out, bz_txn *txn, const char *path, const char *jurisdiction_code)
{
	bz_import *imp = NULL;
	int rc = begin(out, &imp, txn, path);
	if (rc != BZ_OK)
		return rc;
	person_ctx *ctx = bz__calloc(1, sizeof *ctx);
	if (!ctx)
		return finish(out, imp, txn, bz_fail(txn->l, BZ_ENOMEM, "out of memory"));
	ctx->jur = jurisdiction_code;
	sheet s;
	static const size_t req[] = {P_UNIT, P_NAME, P_ID, P_CATEGORY, P_ENTRY};
	rc = cats_load(txn->l, &ctx->cats);
	if (rc == BZ_OK)
		rc = sheet_open(&s, txn->l, path, person_columns, P_N);
	else
		memset(&s, 0, sizeof s);
	if (rc == BZ_OK)
		rc = required(imp, &s, req, 5);
	if (rc == BZ_OK && imp->n == 0)
		rc = each_row(imp, txn, &s, person_row, ctx);
	sheet_close(&s);
	bz__free(ctx);
	if (rc != BZ_OK && !fatal(rc) && imp->n == 0) {
		bz_change_end(txn, rc);
		bz_import_free(imp);
		return rc;
	}
	return finish(out, imp, txn, rc);
}
