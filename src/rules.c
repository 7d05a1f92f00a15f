/*
 * rules.c: the one table of the establishment rules, the one way to raise
 * a violation, and the walk at commit. The self-inspection walks the same
 * table (rules_inspect.c).
 *
 * At commit each rule re-examines the subjects the transaction touched
 * that it watches, over every state from the earliest date touched, and
 * the change records the transaction wrote; the cost is the number of
 * touched subjects times the breakpoints of their own timelines, whatever
 * the size of the ledger.
 */
#include "rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define W(k) BZ_WATCH(BZ_TOUCH_##k)

/*
 * id, severity, exceptable, watches, subject checker, records checker,
 * name, seed clause, and the self-inspection's set-based checker where
 * walking every subject would be slow. The DOMAIN.md rule table, the README's layout table
 * and the tests (tests/test_<area>.c, grep the rule id) follow this order.
 */
const bz_rule_def bz_rules[] = {
	{BZ_RULE_R1, "R1", BZ_SEVERITY_ERROR, true, W(UNIT_CAT), bz_check_r1, NULL,
	 "不准超编进人 no over-establishment hiring", "§2 五不准; §6 行政机关不得产生新的超编，事业单位超编的要逐步消化", NULL},
	{BZ_RULE_R2, "R2", BZ_SEVERITY_ERROR, true, W(LEADERS), bz_check_r2, bz_records_r2,
	 "领导职数 leadership quota", "§2 不准违反领导职数配备的有关规定; §5 职数调整", NULL},
	{BZ_RULE_R3, "R3", BZ_SEVERITY_ERROR, false, W(SUBUNITS), bz_check_r3, bz_records_r3,
	 "内设机构 internal sub-units", "§2 不准擅自设立内设机构和提高内设机构级别", NULL},
	{BZ_RULE_R4, "R4", BZ_SEVERITY_ERROR, false, W(JUR_BRANCH), bz_check_r4, NULL,
	 "编制限额 quota limit", "§13.1 限额台账，总账=分账1+分账2", NULL},
	{BZ_RULE_R5, "R5", BZ_SEVERITY_ERROR, false, W(PERSON), bz_check_r5, NULL,
	 "一人一编 one person, one post", "§9 人员编制管理卡 一人一卡", bz_all_r5},
	{BZ_RULE_R6, "R6", BZ_SEVERITY_ERROR, false, 0, NULL, bz_records_r6,
	 "不准越权审批 document basis and authority",
	 "§1 一家行文; §2 不准越权审批、不准上级业务部门干预; §5 副科级以上事业机构报市编办; §13 本级文件、上级机构编制部门文件; §28 未批先设", NULL},
	{BZ_RULE_R7, "R7", BZ_SEVERITY_ERROR, false, W(UNIT_CAT) | W(UNIT_LIFE), bz_check_r7, bz_records_r7,
	 "演变过程无间断 continuity", "§13.3 电子台账记录演变过程", NULL},
	{BZ_RULE_R8, "R8", BZ_SEVERITY_ERROR, true, 0, NULL, bz_records_r8,
	 "核编在先 establishment first (usage slip, hiring plan)", "§3, §9 编制使用单，核编在先", NULL},
	{BZ_RULE_R9, "R9", BZ_SEVERITY_WARNING, false, W(JUR_BRANCH), bz_check_r9, NULL,
	 "空编 vacancy reserve", "§6 行政编制空编1%以上、事业编制空编1.5%以上", NULL},
	{BZ_RULE_R10, "R10", BZ_SEVERITY_ERROR, false, 0, NULL, bz_records_r10,
	 "证件号码与统一社会信用代码 valid identifiers", "GB 11643, GB 32100, GB 11714", NULL},
	{BZ_RULE_R11, "R11", BZ_SEVERITY_ERROR, false, W(UNIT_CAT), bz_check_r11, NULL,
	 "不得混用 no mixing of categories", "§4 行政编制与事业编制不得混用", NULL},
	{BZ_RULE_R12, "R12", BZ_SEVERITY_ERROR, false, 0, NULL, bz_records_r12,
	 "登记与台账一致 the registration agrees with the establishment ledger",
	 "§10 事业单位网上登记（设立、变更、注销登记，证书补领），网上登记率100%; §21, §28.2 事业单位登记管理档案与网上登记管理系统",
	 bz_all_r12},
	{BZ_RULE_R13, "R13", BZ_SEVERITY_ERROR, false, 0, NULL, bz_records_r13,
	 "年度报告 the annual report filed on time and agreeing with the ledger",
	 "§10 已核准登记的事业单位网上年检率100%", bz_all_r13},
	{BZ_RULE_R14, "R14", BZ_SEVERITY_ERROR, false, 0, NULL, bz_records_r14,
	 "机构编制管理证 the unit's establishment management certificate",
	 "§3 必须持《机构编制管理证》及有关材料，首先到机构编制部门办理出(入)编手续; §9 《机构编制管理证》核发、换发", NULL},
	{BZ_RULE_R15, "R15", BZ_SEVERITY_ERROR, false, 0, NULL, bz_records_r15,
	 "越权操作 acting within the office's powers and jurisdiction",
	 "§1 一家受理、一家承办、一家行文; §3 组织、人社、财政部门凭《编制使用单》办理相关手续; §5 副科级以上事业机构报市编办", NULL},
	/* raised by the self-inspection only, when a counter disagrees with the records (rules_inspect.c) */
	{BZ_RULE_INTEGRITY, "INTEGRITY", BZ_SEVERITY_ERROR, false, 0, NULL, NULL,
	 "账实相符 the derived figures agree with the records", "§12 年度自查", NULL},
};
const size_t bz_nrules = sizeof bz_rules / sizeof bz_rules[0];

const bz_rule_def *bz_rule_def_of(int rule)
{
	for (size_t i = 0; i < bz_nrules; i++)
		if (bz_rules[i].rule == rule)
			return &bz_rules[i];
	return NULL;
}

/* ---- raising ------------------------------------------------------------------ */

/* the exception a document granted for rule, subject and date (fact "exception:R<n>"), or NULL */
static int exception_of(bz_rule_ctx *cx, const bz_vio *v, char **doc)
{
	*doc = NULL;
	const bz_rule_def *def = bz_rule_def_of(v->rule);
	if (!def || !def->exceptable || v->severity != BZ_SEVERITY_ERROR || !v->subject || !v->date)
		return BZ_OK;
	static const char sql[] =
		"SELECT f.after FROM fact f"
		" WHERE f.subject=?1 AND f.attr=?2 AND f.effective=?3 AND f.after IS NOT NULL"
		" ORDER BY f.event DESC LIMIT 1";
	char attr[16];
	snprintf(attr, sizeof attr, "exception:%s", def->code);
	bz_st *st = bz_stmt(cx->l, sql);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, v->subject);
	bz_bind_text(st, 2, attr);
	bz_bind_text(st, 3, v->date);
	int rc = bz_step(st), code = BZ_OK;
	if (rc == SQLITE_ROW) {
		bool ok = true;
		*doc = bz_col_strdup(st, 0, &ok);
		if (!ok)
			code = bz_fail(cx->l, BZ_ENOMEM, "out of memory");
	} else if (rc != SQLITE_DONE) {
		code = bz_sqlfail(cx->l, rc);
	}
	bz_st_reset(st);
	return code;
}

int bz_excepted(bz_rule_ctx *cx, int rule, const char *subject, const char *date, bool *yes)
{
	char *doc = NULL;
	int rc = exception_of(cx, BZ_VIO(.rule = rule, .severity = BZ_SEVERITY_ERROR, .subject = subject, .date = date),
			      &doc);
	*yes = doc != NULL;
	bz__free(doc);
	return rc;
}

static int number_of(bz_rule_ctx *cx, const char *doc, char **number)
{
	*number = NULL;
	if (!doc)
		return BZ_OK;
	if (cx->txn && cx->txn->docinfo.number && strcmp(cx->txn->docinfo.uuid, doc) == 0) {
		*number = bz_strdup(cx->txn->docinfo.number);
		return *number ? BZ_OK : bz_fail(cx->l, BZ_ENOMEM, "out of memory");
	}
	static const char sql[] = "SELECT number FROM document WHERE id=?1";
	bz_st *st = bz_stmt(cx->l, sql);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, doc);
	bool ok = true;
	int rc = bz_step(st);
	if (rc == SQLITE_ROW)
		*number = bz_col_strdup(st, 0, &ok);
	bz_st_reset(st);
	if (!ok)
		return bz_fail(cx->l, BZ_ENOMEM, "out of memory");
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? BZ_OK : bz_sqlfail(cx->l, rc);
}

int bz_raise(bz_rule_ctx *cx, const bz_vio *v, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);

	char *number = NULL, *excepted = NULL, *xnumber = NULL;
	int code = number_of(cx, v->document, &number);
	if (code == BZ_OK)
		code = exception_of(cx, v, &excepted);
	if (code == BZ_OK && excepted)
		code = number_of(cx, excepted, &xnumber);
	if (code == BZ_OK) {
		int severity = excepted ? BZ_SEVERITY_WARNING : v->severity;
		if (excepted) {
			size_t n = strlen(msg);
			snprintf(msg + n, sizeof msg - n, " — excepted (政策性安置等) by %s", xnumber ? xnumber : excepted);
		}
		code = bz_report_add(cx->report, v->rule, severity, v->subject, v->subject_name, v->category, v->allowed,
				     v->actual, v->document, number, v->date, "%s", msg);
		if (code == BZ_OK && excepted)
			code = bz_report_set_excepted(cx->report, excepted);
		if (code != BZ_OK)
			code = bz_fail(cx->l, code, "out of memory");
	}
	bz__free(number);
	bz__free(excepted);
	bz__free(xnumber);
	return code;
}

/* ---- dates a checker examines ----------------------------------------------------- */

int bz_dates_push(bz_dates *ds, const char *d)
{
	if (ds->n && strcmp(ds->d[ds->n - 1], d) == 0)
		return BZ_OK;
	if (ds->n == ds->cap) {
		size_t cap = ds->cap ? ds->cap * 2 : 16;
		void *nd = bz__realloc(ds->d, cap * sizeof *ds->d);
		if (!nd)
			return BZ_ENOMEM;
		ds->d = nd;
		ds->cap = cap;
	}
	memcpy(ds->d[ds->n++], d, BZ_DATE_LEN + 1);
	return BZ_OK;
}

int bz_check_dates(bz_ledger *l, bz_dates *ds, const char *const keys[4], const char *fsubject, const char *fattr,
		   const char *from, const char *until)
{
	static const char sql[] =
		"SELECT ?5 UNION SELECT effective FROM tl WHERE counter IN (SELECT id FROM counter WHERE key IN (?1,?2,?3,?4))"
		" AND effective>=?5 AND effective<=?6"
		" UNION SELECT effective FROM fact WHERE subject=?7 AND attr=?8 AND effective>=?5 AND effective<=?6"
		" ORDER BY 1";
	bz_st *st = bz_stmt(l, sql);
	if (!st)
		return bz_stmt_err();
	for (int i = 0; i < 4; i++)
		bz_bind_text(st, i + 1, keys[i]);
	bz_bind_text(st, 5, from);
	bz_bind_text(st, 6, until ? until : "9999-12-31");
	bz_bind_text(st, 7, fsubject);
	bz_bind_text(st, 8, fattr);
	int rc, code = BZ_OK;
	while ((rc = bz_step(st)) == SQLITE_ROW) {
		const char *d = (const char *)bz_st_column_text(st, 0);
		if (d && strlen(d) == BZ_DATE_LEN && (code = bz_dates_push(ds, d)) != BZ_OK)
			break;
	}
	bz_st_reset(st);
	if (code != BZ_OK)
		return bz_fail(l, code, "out of memory");
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? BZ_OK : bz_sqlfail(l, rc);
}

/* ---- rises of use ------------------------------------------------------------------------ */

static int rise_cmp(const bz_rise *a, const char *unit, const char *category)
{
	int c = strcmp(a->unit, unit);
	return c ? c : strcmp(a->category, category);
}

static int rise_order(const void *x, const void *y)
{
	const bz_rise *a = *(const bz_rise *const *)x, *b = *(const bz_rise *const *)y;
	return rise_cmp(a, b->unit, b->category);
}

size_t bz_txn_rises(const bz_rule_ctx *cx, const char *unit, const char *category, const bz_rise *const **first)
{
	*first = NULL;
	if (!cx->txn || !cx->rise_ix)
		return 0;
	size_t n = cx->txn->nrise, lo = 0, hi = n;
	while (lo < hi) { /* the first not below (unit, category) */
		size_t mid = lo + (hi - lo) / 2;
		if (rise_cmp(cx->rise_ix[mid], unit, category) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	size_t end = lo;
	while (end < n && rise_cmp(cx->rise_ix[end], unit, category) == 0)
		end++;
	*first = cx->rise_ix + lo;
	return end - lo;
}

bool bz_txn_rose(const bz_rule_ctx *cx, const char *unit, const char *category, const char *date, bool *started_here)
{
	*started_here = false;
	const bz_rise *const *rs;
	size_t n = bz_txn_rises(cx, unit, category, &rs);
	bool rose = false;
	for (size_t i = 0; i < n; i++) {
		const bz_rise *r = rs[i];
		if (strcmp(date, r->from) < 0 || (r->to[0] && strcmp(date, r->to) >= 0))
			continue;
		rose = true;
		if (strcmp(date, r->from) == 0)
			*started_here = true;
	}
	return rose;
}

bool bz_txn_wrote_none(const bz_rule_ctx *cx, const char *const *kinds)
{
	if (!cx->txn)
		return false;
	for (size_t i = 0; kinds[i]; i++)
		if (bz_txn_wrote(cx->txn, kinds[i]))
			return false;
	return true;
}

/* ---- the walk at commit ------------------------------------------------------------------ */

static int commit_walk(bz_rule_ctx *cx, bz_txn *t)
{
	/* checkers touch nothing: the list is stable while we walk it */
	for (size_t i = 0; i < t->ntouch; i++) {
		const bz_touch *x = &t->touch[i];
		for (size_t r = 0; r < bz_nrules; r++) {
			if (!bz_rules[r].on_subject || !(bz_rules[r].watches & BZ_WATCH(x->kind)))
				continue;
			int code = bz_rules[r].on_subject(cx, x);
			if (code != BZ_OK)
				return code;
		}
	}
	for (size_t r = 0; r < bz_nrules; r++) {
		if (!bz_rules[r].on_records)
			continue;
		int code = bz_rules[r].on_records(cx);
		if (code != BZ_OK)
			return code;
	}
	return BZ_OK;
}

int bz_rules_commit(bz_txn *t)
{
	bz_rule_ctx cx = {.l = t->l, .report = &t->report, .txn = t, .txn_no = t->txn_no, .until = NULL,
			  .memo = bz_memo_new()};
	const bz_rise **ix = t->nrise ? bz__malloc(t->nrise * sizeof *ix) : NULL;
	if (!cx.memo || (t->nrise && !ix)) {
		bz_memo_free(cx.memo);
		bz__free(ix);
		return bz_fail(t->l, BZ_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < t->nrise; i++)
		ix[i] = &t->rise[i];
	if (t->nrise > 1)
		qsort(ix, t->nrise, sizeof *ix, rise_order);
	cx.rise_ix = ix;
	int code = commit_walk(&cx, t);
	bz_memo_free(cx.memo);
	bz__free(ix);
	return code;
}

/* ---- the public face of the table ----------------------------------------------------- */

BZ_EXTERN size_t bz_rule_count(void) { return bz_nrules; }

BZ_EXTERN int bz_rule_at(size_t index) { return index < bz_nrules ? bz_rules[index].rule : 0; }

BZ_EXTERN const char *bz_rule_code(int rule)
{
	const bz_rule_def *d = bz_rule_def_of(rule);
	return d ? d->code : NULL;
}

BZ_EXTERN const char *bz_rule_name(int rule)
{
	const bz_rule_def *d = bz_rule_def_of(rule);
	return d ? d->name : NULL;
}

BZ_EXTERN const char *bz_rule_seed_clause(int rule)
{
	const bz_rule_def *d = bz_rule_def_of(rule);
	return d ? d->seed : NULL;
}

BZ_EXTERN int bz_rule_severity(int rule)
{
	const bz_rule_def *d = bz_rule_def_of(rule);
	return d ? d->severity : 0;
}

BZ_EXTERN int bz_rule_exceptable(int rule)
{
	const bz_rule_def *d = bz_rule_def_of(rule);
	return d && d->exceptable ? 1 : 0;
}
