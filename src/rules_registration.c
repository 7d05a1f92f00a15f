/*
 * rules_registration.c: R12 (the registration agrees with the
 * establishment ledger) and R13 (the annual report), see registration.h
 * for which clause is refused at commit and which is found at a date, and
 * why.
 *   records (commit: the transaction's registration records; inspection:
 *   every one up to the date) — a registration before the founding, stated
 *   fields other than the ledger's on their date, a deregistration of a
 *   unit in being, a report of a year the unit was not registered at
 *   31 December, a report's figures other than the ledger's;
 *   at a date (inspection only) — an institution unregistered, a field out
 *   of step, a certificate lapsed or missing, an ended unit still
 *   registered, each past "registration.grace_days"; a report not filed (or
 *   filed late) past its deadline.
 * Everything a run reads again and again — the registration's facts, the
 * rule parameters, a unit's establishment and staff at each 31 December,
 * each year's deadline — goes through the run's memo (rules.h): one range
 * scan per timeline and counter per run instead of a Table 1 per report
 * and a parameter read per unit and year (bench/bench_registration).
 */
#include "registration_int.h"
#include "rules.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* the four fields R12 compares: the ledger's attribute beside the registered one */
static const struct {
	int field;
	const char *ledger, *what;
} compared[] = {
	{BZ_REG_NAME, "name", "名称"},
	{BZ_REG_SPONSOR, "parent", "举办单位"},
	{BZ_REG_FUNDING, "funding", "经费来源"},
	{BZ_REG_CREDIT_CODE, "credit_code", "统一社会信用代码"},
};
#define NCOMPARED (sizeof compared / sizeof compared[0])

static bool same(const char *a, const char *b) { return a && b ? strcmp(a, b) == 0 : a == b; }

/* ---- what one run reads once ------------------------------------------------------------ */

/* bz_reg_state_at through the memo (the same last fact on or before date) */
static int rx_state_at(bz_rule_ctx *cx, const char *unit, const char *date, int *state)
{
	int64_t v = 0;
	int rc = bz_rx_fact_int_at(cx, &v, unit, "reg.state", date, 0);
	*state = (int)v;
	return rc;
}

/* a value of the unit read once per run through the memo: the dates of bz_unit_life, bz_reg_first */
static int rx_unit_dates(bz_rule_ctx *cx, const char *unit, const char *what, char a[BZ_DATE_LEN + 1],
			 char b[BZ_DATE_LEN + 1])
{
	const char *v = NULL;
	bool known = false;
	int rc = bz_rx_constant(cx, unit, what, &v, &known);
	if (rc == BZ_OK && !known) {
		char x[BZ_DATE_LEN + 1] = "", y[BZ_DATE_LEN + 1] = "", both[2 * BZ_DATE_LEN + 2];
		rc = what[0] == 'l' ? bz_unit_life(cx->l, unit, x, y) : bz_reg_first(cx->l, unit, x);
		snprintf(both, sizeof both, "%s|%s", x, y);
		if (rc == BZ_OK && (rc = bz_rx_constant_set(cx, unit, what, both)) == BZ_OK)
			rc = bz_rx_constant(cx, unit, what, &v, &known);
	}
	if (rc != BZ_OK)
		return rc;
	const char *bar = v ? strchr(v, '|') : NULL;
	if (!bar)
		return bz_fail(cx->l, BZ_ERROR, "internal: a unit's dates lost from the rules' memo");
	snprintf(a, BZ_DATE_LEN + 1, "%.*s", (int)(bar - v), v);
	if (b)
		snprintf(b, BZ_DATE_LEN + 1, "%s", bar + 1);
	return BZ_OK;
}
/* bz_unit_life through the memo */
static int rx_unit_life(bz_rule_ctx *cx, const char *unit, char founded[BZ_DATE_LEN + 1], char ended[BZ_DATE_LEN + 1])
{
	return rx_unit_dates(cx, unit, "life", founded, ended);
}
/* bz_reg_first through the memo */
static int rx_reg_first(bz_rule_ctx *cx, const char *unit, char first[BZ_DATE_LEN + 1])
{
	return rx_unit_dates(cx, unit, "reg.first", first, NULL);
}

/* bz_reg_param through the memo */
static int rx_param(bz_rule_ctx *cx, const char *name, const char *date, int64_t *out)
{
	const char *dflt = bz_param_default(name);
	return bz_rx_param_int_at(cx, out, name, date, dflt ? atoll(dflt) : 0);
}

/* bz_reg_report_due through the memo: the deadline of each year computed once per run */
static int rx_report_due(bz_rule_ctx *cx, int year, char out[BZ_DATE_LEN + 1])
{
	char what[24];
	snprintf(what, sizeof what, "reg.due:%d", year);
	const char *v = NULL;
	bool known = false;
	int rc = bz_rx_constant(cx, BZ_RULES_SUBJECT, what, &v, &known);
	if (rc != BZ_OK)
		return rc;
	if (known && v) {
		snprintf(out, BZ_DATE_LEN + 1, "%s", v);
		return BZ_OK;
	}
	char jan[BZ_DATE_LEN + 1], due[BZ_DATE_LEN + 1];
	const char *mmdd = NULL;
	int64_t grace = 0;
	bz_reg_ymd(jan, year + 1, "-01-01");
	if ((rc = bz_rx_fact_at(cx, &mmdd, BZ_RULES_SUBJECT, "registration.report_due", jan)) != BZ_OK)
		return rc;
	bz_reg_due_day(due, year, mmdd);
	if ((rc = rx_param(cx, "registration.report_grace_days", due, &grace)) != BZ_OK)
		return rc;
	bz_date_add_days(out, due, (int)grace);
	return bz_rx_constant_set(cx, BZ_RULES_SUBJECT, what, out);
}

/* bz_reg_report_read through the memo */
static int rx_report_read(bz_rule_ctx *cx, const char *unit, int year, const char *date,
			  char filed[BZ_DATE_LEN + 1], int64_t stated[3])
{
	char attr[40];
	const char *v = NULL;
	filed[0] = '\0';
	snprintf(attr, sizeof attr, "reg.report.%d", year);
	int rc = bz_rx_fact_at(cx, &v, unit, attr, date);
	if (rc != BZ_OK || !v)
		return rc;
	snprintf(filed, BZ_DATE_LEN + 1, "%s", v);
	static const char *const part[3] = {"staff", "est", "funds"};
	for (int i = 0; i < 3 && rc == BZ_OK; i++) {
		snprintf(attr, sizeof attr, "reg.report.%d.%s", year, part[i]);
		rc = bz_rx_fact_int_at(cx, &stated[i], unit, attr, date, 0);
	}
	return rc;
}

/* the categories of Table 1 (every category the unit ever had establishment, frozen posts, slips or
 * staff in), read once per unit and run, joined by \x1f ("" if none) */
static int rx_categories(bz_rule_ctx *cx, const char *unit, const char **out)
{
	bool known = false;
	int rc = bz_rx_constant(cx, unit, "reg.categories", out, &known);
	if (rc != BZ_OK || known)
		return rc;
	static const char sql[] =
		"SELECT substr(attr, 5) AS cat FROM fact WHERE subject=?1 AND attr>='est:' AND attr<'est;'"
		" UNION SELECT substr(attr, 8) FROM fact WHERE subject=?1 AND attr>='frozen:' AND attr<'frozen;'"
		" UNION SELECT category FROM placement WHERE unit=?1 UNION SELECT category FROM slip WHERE unit=?1"
		" ORDER BY cat";
	bz_st *st = bz_stmt(cx->l, sql);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, unit);
	char *list = NULL;
	size_t len = 0;
	int s;
	while ((s = bz_step(st)) == SQLITE_ROW) {
		const char *c = (const char *)bz_st_column_text(st, 0);
		size_t n = c ? strlen(c) : 0;
		char *nl = c ? bz__realloc(list, len + n + 2) : NULL; /* no category is NULL: out of memory */
		if (!nl) {
			s = SQLITE_NOMEM;
			break;
		}
		list = nl;
		if (len)
			list[len++] = '\x1f';
		memcpy(list + len, c, n);
		len += n;
		list[len] = '\0';
	}
	bz_st_reset(st);
	if (s != SQLITE_DONE)
		rc = s == SQLITE_NOMEM ? bz_fail(cx->l, BZ_ENOMEM, "out of memory") : bz_sqlfail(cx->l, s);
	if (rc == BZ_OK)
		rc = bz_rx_constant_set(cx, unit, "reg.categories", list ? list : "");
	bz__free(list);
	if (rc == BZ_OK)
		rc = bz_rx_constant(cx, unit, "reg.categories", out, &known);
	return rc;
}

/*
 * bz_reg_report_ledger through the memo: the unit's staff and establishment
 * at year-12-31 summed over Table 1's categories — each category's two
 * counter histories read whole once per run and answered from memory for
 * every year — and its registered funds then.
 */
static int rx_report_ledger(bz_rule_ctx *cx, const char *unit, int year, int64_t figures[3])
{
	char dec31[BZ_DATE_LEN + 1];
	bz_reg_ymd(dec31, year, "-12-31");
	figures[0] = figures[1] = 0;
	const char *cats = NULL;
	int rc = rx_categories(cx, unit, &cats);
	for (const char *c = cats; rc == BZ_OK && c && *c;) {
		const char *end = strchr(c, '\x1f');
		size_t n = end ? (size_t)(end - c) : strlen(c);
		char cat[BZ_KEY_MAX], key[BZ_KEY_MAX];
		snprintf(cat, sizeof cat, "%.*s", (int)(n < sizeof cat ? n : sizeof cat - 1), c);
		static const bz_counter what[2] = {BZ_CNT_STAFF, BZ_CNT_EST};
		for (int i = 0; rc == BZ_OK && i < 2; i++) {
			const bz_series *s = NULL;
			size_t cursor = 0;
			bz_key_unit(key, unit, what[i], cat);
			if ((rc = bz_rx_series(cx, &s, key, "0000-01-01")) == BZ_OK)
				figures[i] += bz_series_at(s, dec31, &cursor);
		}
		c = end ? end + 1 : NULL;
	}
	if (rc == BZ_OK)
		rc = bz_rx_fact_int_at(cx, &figures[2], unit, "reg.funds", dec31, 0);
	return rc;
}

/* a value as a reader sees it: a unit's name for a sponsor, the funding form's name */
static void shown(bz_ledger *l, int field, const char *v, const char *date, char *buf, size_t n)
{
	if (!v) {
		snprintf(buf, n, "(none)");
		return;
	}
	if (field == BZ_REG_SPONSOR) {
		char *name = NULL;
		if (bz_unit_name_at(l, v, date, &name) == BZ_OK && name) {
			snprintf(buf, n, "%s", name);
			bz__free(name);
			return;
		}
	}
	if (field == BZ_REG_FUNDING) {
		const char *f = bz_funding_name(atoi(v));
		snprintf(buf, n, "%s", f ? f : v);
		return;
	}
	snprintf(buf, n, "%s", v);
}

/* one compared field at date: *differ, and both values shown */
static int compare(bz_rule_ctx *cx, const char *unit, size_t i, const char *date, bool *differ, char ours[256],
		   char theirs[256])
{
	bz_ledger *l = cx->l;
	const char *reg = NULL, *led = NULL;
	int rc = bz_rx_fact_at(cx, &reg, unit, bz_reg_field_attr(compared[i].field), date);
	if (rc == BZ_OK)
		rc = bz_rx_fact_at(cx, &led, unit, compared[i].ledger, date);
	/* the registration assigns the credit code: a ledger that has none yet does not contradict it */
	*differ = rc == BZ_OK && !same(reg, led) && !(compared[i].field == BZ_REG_CREDIT_CODE && !led);
	if (*differ) {
		shown(l, compared[i].field, reg, date, ours, 256);
		shown(l, compared[i].field, led, date, theirs, 256);
	}
	return rc;
}

/* ---- the records ------------------------------------------------------------------------ */

typedef struct reg_event {
	long long id;
	char kind[32], unit[BZ_UUID_LEN + 1], effective[BZ_DATE_LEN + 1], doc[BZ_UUID_LEN + 1], note[64];
} reg_event;

static const char records_txn[] = "SELECT e.id, e.kind, e.unit, e.effective, e.doc, e.note FROM event e"
				  " WHERE e.id>=?3 AND e.txn=?1 AND e.kind LIKE 'registration.%' ORDER BY e.id";
/* the self-inspection's: the records listed from event_kind (schema 11; LIKE ignores case, so
 * the index cannot be searched by a prefix, but reading it whole is reading a few records'
 * entries instead of every record of the ledger — a hire's are not in it, and are no
 * registration) */
static const char records_all[] = "SELECT e.id, e.kind, e.unit, e.effective, e.doc, e.note FROM event e"
				  " WHERE e.id IN (SELECT id FROM event WHERE kind LIKE 'registration.%' AND " BZ_KINDS_BY_KIND ")"
				  " AND e.effective<=?2 AND e.kind LIKE 'registration.%' ORDER BY e.id";

/* the registration records in scope, collected whole (they are few: a handful per institution) */
static int collect(bz_rule_ctx *cx, reg_event **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	bz_st *st = NULL;
	if (cx->txn) {
		if (!(st = bz_stmt(cx->l, records_txn)))
			return bz_stmt_err();
	} else {
		int prc = bz_store_prepare(cx->l->store, &st, records_all);
		if (prc != SQLITE_OK)
			return bz_sqlfail(cx->l, prc);
	}
	bz_st_bind_int64(st, 1, cx->txn_no);
	bz_bind_text(st, 2, cx->until ? cx->until : "9999-12-31");
	if (cx->txn)
		bz_st_bind_int64(st, 3, cx->txn->first_event);
	size_t cap = 0;
	int rc, code = BZ_OK;
	while ((rc = bz_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			size_t nc = cap ? cap * 2 : 16;
			reg_event *ne = bz__realloc(*out, nc * sizeof *ne);
			if (!ne) {
				code = bz_fail(cx->l, BZ_ENOMEM, "out of memory");
				break;
			}
			*out = ne;
			cap = nc;
		}
		reg_event *e = &(*out)[(*n)++];
		e->id = bz_st_column_int64(st, 0);
		for (int c = 1; c <= 5; c++) {
			const char *v = (const char *)bz_st_column_text(st, c);
			char *dst = c == 1 ? e->kind : c == 2 ? e->unit : c == 3 ? e->effective : c == 4 ? e->doc : e->note;
			size_t sz = c == 1 ? sizeof e->kind : c == 2 ? sizeof e->unit : c == 3 ? sizeof e->effective
							 : c == 4 ? sizeof e->doc : sizeof e->note;
			snprintf(dst, sz, "%s", v ? v : "");
		}
	}
	if (code == BZ_OK && rc != SQLITE_DONE)
		code = bz_sqlfail(cx->l, rc);
	if (cx->txn)
		bz_st_reset(st);
	else
		bz_st_finalize(st);
	return code;
}

static int r12_event(bz_rule_ctx *cx, const reg_event *e)
{
	bz_ledger *l = cx->l;
	const char *doc = e->doc[0] ? e->doc : NULL;
	bool found = strcmp(e->kind, "registration.found") == 0, change = strcmp(e->kind, "registration.change") == 0;
	if (!found && !change && strcmp(e->kind, "registration.deregister") != 0)
		return BZ_OK; /* certificates and reports: R12 judges them at a date, R13 the reports */
	char founded[BZ_DATE_LEN + 1], ended[BZ_DATE_LEN + 1], *uname = NULL;
	int rc = rx_unit_life(cx, e->unit, founded, ended);
	if (rc == BZ_OK)
		rc = bz_rx_unit_name_at(cx, e->unit, e->effective, &uname);
	if (rc != BZ_OK)
		return rc;
	if ((found || change) && strcmp(e->effective, founded) < 0) {
		rc = bz_raise(cx, BZ_VIO(.rule = BZ_RULE_R12, .severity = BZ_SEVERITY_ERROR, .subject = e->unit,
					 .subject_name = uname, .category = "founding", .date = e->effective, .document = doc),
			      "R12 登记与台账一致: %s was founded on %s; its registration cannot be dated %s, before it",
			      uname, founded, e->effective);
	} else if (found || change) {
		for (size_t i = 0; rc == BZ_OK && i < NCOMPARED; i++) {
			const char *attr = bz_reg_field_attr(compared[i].field);
			if (change && strcmp(e->note, attr + 4) != 0)
				continue; /* a change registration answers for the field it changes */
			bool differ = false;
			char ours[256], theirs[256];
			if ((rc = compare(cx, e->unit, i, e->effective, &differ, ours, theirs)) != BZ_OK || !differ)
				continue;
			rc = bz_raise(cx, BZ_VIO(.rule = BZ_RULE_R12, .severity = BZ_SEVERITY_ERROR, .subject = e->unit,
						 .subject_name = uname, .category = attr + 4, .date = e->effective,
						 .document = doc),
				      "R12 登记与台账一致: the registration of %s states %s %s on %s; the establishment ledger has %s",
				      uname, compared[i].what, ours, e->effective, theirs);
		}
	} else if (strcmp(e->kind, "registration.deregister") == 0) {
		bool alive = false;
		if ((rc = bz_unit_alive(l, e->unit, e->effective, &alive)) == BZ_OK && alive)
			rc = bz_raise(cx, BZ_VIO(.rule = BZ_RULE_R12, .severity = BZ_SEVERITY_ERROR, .subject = e->unit,
						 .subject_name = uname, .category = "deregistration", .date = e->effective,
						 .document = doc),
				      "R12 登记与台账一致: %s is in being on %s (not abolished or merged): its registration cannot be cancelled",
				      uname, e->effective);
	}
	bz__free(uname);
	return rc;
}

/* in the self-inspection a report replaced by a later one of its year answers for nothing */
static int superseded(bz_rule_ctx *cx, const reg_event *e, int year, bool *yes)
{
	static const char sql[] = "SELECT 1 FROM fact WHERE subject=?1 AND attr=?2 AND event>?3 AND effective<=?4";
	char attr[40];
	snprintf(attr, sizeof attr, "reg.report.%d", year);
	*yes = false;
	if (cx->txn)
		return BZ_OK;
	bz_st *st = bz_stmt(cx->l, sql);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, e->unit);
	bz_bind_text(st, 2, attr);
	bz_st_bind_int64(st, 3, e->id);
	bz_bind_text(st, 4, cx->until ? cx->until : "9999-12-31");
	return bz_step_exists(cx->l, st, yes);
}

static int r13_event(bz_rule_ctx *cx, const reg_event *e)
{
	if (strcmp(e->kind, "registration.report") != 0)
		return BZ_OK;
	int year = atoi(e->note);
	bool old = false;
	int rc = superseded(cx, e, year, &old);
	if (rc != BZ_OK || old)
		return rc;
	const char *doc = e->doc[0] ? e->doc : NULL;
	char *uname = NULL, dec31[BZ_DATE_LEN + 1], filed[BZ_DATE_LEN + 1];
	bz_reg_ymd(dec31, year, "-12-31");
	int state = 0;
	int64_t stated[3], ledger[3];
	if ((rc = bz_rx_unit_name_at(cx, e->unit, e->effective, &uname)) != BZ_OK ||
	    (rc = rx_state_at(cx, e->unit, dec31, &state)) != BZ_OK)
		goto done;
	if (state != BZ_REG_REGISTERED) {
		rc = bz_raise(cx, BZ_VIO(.rule = BZ_RULE_R13, .severity = BZ_SEVERITY_ERROR, .subject = e->unit,
					 .subject_name = uname, .category = "year", .date = e->effective, .document = doc),
			      "R13 年度报告: %s was not registered on %s: it owes no annual report of %d", uname, dec31, year);
		goto done;
	}
	/* the report as this record left it (a later correction of the same day is its own record) */
	if ((rc = rx_report_read(cx, e->unit, year, e->effective, filed, stated)) != BZ_OK ||
	    (rc = rx_report_ledger(cx, e->unit, year, ledger)) != BZ_OK)
		goto done;
	static const char *const cat[3] = {"staff", "establishment", "funds"};
	static const char *const what[3] = {"从业人员", "编制", "开办资金"};
	for (int i = 0; rc == BZ_OK && i < 3; i++)
		if (stated[i] != ledger[i])
			rc = bz_raise(cx, BZ_VIO(.rule = BZ_RULE_R13, .severity = BZ_SEVERITY_ERROR, .subject = e->unit,
						 .subject_name = uname, .category = cat[i], .allowed = ledger[i],
						 .actual = stated[i], .date = e->effective, .document = doc),
				      "R13 年度报告: the annual report of %d of %s states %s %" PRId64
				      "; the establishment ledger has %" PRId64 " on %s",
				      year, uname, what[i], stated[i], ledger[i], dec31);
done:
	bz__free(uname);
	return rc;
}

static int records(bz_rule_ctx *cx, int (*judge)(bz_rule_ctx *, const reg_event *))
{
	reg_event *ev = NULL;
	size_t n = 0;
	if (BZ_WROTE_NONE(cx, "registration.")) /* at commit: no record LIKE 'registration.%' */
		return BZ_OK;
	int rc = collect(cx, &ev, &n);
	for (size_t i = 0; rc == BZ_OK && i < n; i++)
		rc = judge(cx, &ev[i]);
	bz__free(ev);
	return rc;
}

int bz_records_r12(bz_rule_ctx *cx) { return records(cx, r12_event); }
int bz_records_r13(bz_rule_ctx *cx) { return records(cx, r13_event); }

/* ---- at a date ---------------------------------------------------------------------------- */

static void plus_days(char out[BZ_DATE_LEN + 1], const char *date, int64_t days)
{
	bz_date_add_days(out, date, (int)days);
}

static int r12_at(bz_rule_ctx *cx, const char *unit, const char *d)
{
	bz_ledger *l = cx->l;
	char founded[BZ_DATE_LEN + 1], ended[BZ_DATE_LEN + 1], *uname = NULL;
	int nature = 0, state = 0;
	int64_t grace = 30;
	int rc = rx_unit_life(cx, unit, founded, ended);
	if (rc != BZ_OK || strcmp(founded, d) > 0)
		return rc;
	if ((rc = bz_rx_unit_nature_at(cx, unit, d, &nature)) != BZ_OK || nature != BZ_NATURE_INSTITUTION)
		return rc;
	if ((rc = rx_state_at(cx, unit, d, &state)) != BZ_OK ||
	    (rc = rx_param(cx, "registration.grace_days", d, &grace)) != BZ_OK ||
	    (rc = bz_rx_unit_name_at(cx, unit, d, &uname)) != BZ_OK)
		return rc;
	char limit[BZ_DATE_LEN + 1];
	bool in_being = !ended[0] || strcmp(ended, d) > 0;
	if (!in_being) {
		plus_days(limit, ended, grace);
		if (state == BZ_REG_REGISTERED && strcmp(d, limit) > 0)
			rc = bz_raise(cx, BZ_VIO(.rule = BZ_RULE_R12, .severity = BZ_SEVERITY_ERROR, .subject = unit,
						 .subject_name = uname, .category = "deregistration", .date = ended),
				      "R12 登记与台账一致: %s ceased on %s and is still registered on %s (注销登记 due by %s)",
				      uname, ended, d, limit);
		goto done;
	}
	if (state != BZ_REG_REGISTERED) {
		/* required only where the ledger keeps registration: from "registration.required_from" on */
		const char *from = NULL;
		if ((rc = bz_rx_fact_at(cx, &from, BZ_RULES_SUBJECT, "registration.required_from", d)) != BZ_OK || !from)
			goto done;
		plus_days(limit, strcmp(from, founded) > 0 ? from : founded, grace);
		if (strcmp(d, limit) > 0)
			rc = bz_raise(cx, BZ_VIO(.rule = BZ_RULE_R12, .severity = BZ_SEVERITY_ERROR, .subject = unit,
						 .subject_name = uname, .category = "unregistered", .date = founded),
				      "R12 登记与台账一致: %s, a public institution since %s, holds no registration on %s (设立登记 due by %s)",
				      uname, founded, d, limit);
		goto done;
	}
	for (size_t i = 0; rc == BZ_OK && i < NCOMPARED; i++) {
		bool differ = false;
		char ours[256], theirs[256], a[BZ_DATE_LEN + 1], b[BZ_DATE_LEN + 1];
		if ((rc = compare(cx, unit, i, d, &differ, ours, theirs)) != BZ_OK || !differ)
			continue;
		/* out of step since the later of the two last changes */
		if ((rc = bz_reg_last_change(l, unit, bz_reg_field_attr(compared[i].field), d, a)) != BZ_OK ||
		    (rc = bz_reg_last_change(l, unit, compared[i].ledger, d, b)) != BZ_OK)
			break;
		const char *from = strcmp(a, b) > 0 ? a : b;
		plus_days(limit, from, grace);
		if (strcmp(d, limit) > 0)
			rc = bz_raise(cx, BZ_VIO(.rule = BZ_RULE_R12, .severity = BZ_SEVERITY_ERROR, .subject = unit,
						 .subject_name = uname,
						 .category = bz_reg_field_attr(compared[i].field) + 4, .date = from),
				      "R12 登记与台账一致: since %s the establishment ledger has %s %s and the registration of %s %s;"
				      " no 变更登记 by %s",
				      from, compared[i].what, theirs, uname, ours, limit);
	}
	if (rc != BZ_OK)
		goto done;
	const char *cert = NULL, *until = NULL;
	char first[BZ_DATE_LEN + 1];
	if ((rc = bz_rx_fact_at(cx, &cert, unit, "reg.cert", d)) == BZ_OK &&
	    (rc = bz_rx_fact_at(cx, &until, unit, "reg.cert.until", d)) == BZ_OK &&
	    (rc = rx_reg_first(cx, unit, first)) == BZ_OK) {
		plus_days(limit, first, grace);
		if (!cert && strcmp(d, limit) > 0)
			rc = bz_raise(cx, BZ_VIO(.rule = BZ_RULE_R12, .severity = BZ_SEVERITY_ERROR, .subject = unit,
						 .subject_name = uname, .category = "certificate", .date = first),
				      "R12 登记与台账一致: %s, registered on %s, holds no certificate (事业单位法人证书) on %s",
				      uname, first, d);
		else if (cert && until && strcmp(d, until) > 0)
			rc = bz_raise(cx, BZ_VIO(.rule = BZ_RULE_R12, .severity = BZ_SEVERITY_ERROR, .subject = unit,
						 .subject_name = uname, .category = "certificate", .date = until),
				      "R12 登记与台账一致: the certificate %s of %s was valid until %s; not renewed (换发) by %s",
				      cert, uname, until, d);
	}
done:
	bz__free(uname);
	return rc;
}

static int r13_at(bz_rule_ctx *cx, const char *unit, const char *d)
{
	char first[BZ_DATE_LEN + 1], *uname = NULL;
	int rc = rx_reg_first(cx, unit, first);
	if (rc != BZ_OK || !first[0] || strcmp(first, d) > 0)
		return rc;
	for (int y = atoi(first); rc == BZ_OK && y < atoi(d); y++) {
		char dec31[BZ_DATE_LEN + 1], due[BZ_DATE_LEN + 1], filed[BZ_DATE_LEN + 1];
		int state = 0;
		int64_t stated[3];
		bz_reg_ymd(dec31, y, "-12-31");
		if ((rc = rx_state_at(cx, unit, dec31, &state)) != BZ_OK || state != BZ_REG_REGISTERED)
			continue;
		if ((rc = rx_report_due(cx, y, due)) != BZ_OK || strcmp(d, due) <= 0)
			continue;
		if ((rc = rx_report_read(cx, unit, y, d, filed, stated)) != BZ_OK)
			break;
		if (filed[0] && strcmp(filed, due) <= 0)
			continue;
		if (!uname && (rc = bz_rx_unit_name_at(cx, unit, d, &uname)) != BZ_OK)
			break;
		if (!filed[0])
			rc = bz_raise(cx, BZ_VIO(.rule = BZ_RULE_R13, .severity = BZ_SEVERITY_ERROR, .subject = unit,
						 .subject_name = uname, .category = "report", .date = due),
				      "R13 年度报告: %s filed no annual report of %d by %s (still none on %s)", uname, y, due,
				      d);
		else
			rc = bz_raise(cx, BZ_VIO(.rule = BZ_RULE_R13, .severity = BZ_SEVERITY_WARNING, .subject = unit,
						 .subject_name = uname, .category = "late", .date = filed),
				      "R13 年度报告: %s filed its annual report of %d on %s, after its deadline %s", uname, y,
				      filed, due);
	}
	bz__free(uname);
	return rc;
}

/* every unit in the inspection's scope, one at a time */
static int each_unit(bz_rule_ctx *cx, int (*at)(bz_rule_ctx *, const char *, const char *))
{
	/* only units ever public institutions or ever registered: two index probes for each organ */
	static const char sql[] =
		"SELECT u.id FROM unit u WHERE u.founded<=?1 AND (EXISTS (SELECT 1 FROM fact f WHERE f.subject=u.id"
		" AND f.attr='nature' AND f.after='2') OR EXISTS (SELECT 1 FROM fact g WHERE g.subject=u.id AND"
		" g.attr='reg.state')) ORDER BY u.rowid";
	bz_st *st = NULL;
	int rc = bz_store_prepare(cx->l->store, &st, sql);
	if (rc != SQLITE_OK)
		return bz_sqlfail(cx->l, rc);
	bz_bind_text(st, 1, cx->until);
	int code = BZ_OK;
	while (code == BZ_OK && (rc = bz_step(st)) == SQLITE_ROW) {
		char id[BZ_UUID_LEN + 1];
		snprintf(id, sizeof id, "%s", (const char *)bz_st_column_text(st, 0));
		code = at(cx, id, cx->until);
	}
	if (code == BZ_OK && rc != SQLITE_DONE)
		code = bz_sqlfail(cx->l, rc);
	bz_st_finalize(st);
	return code;
}

int bz_all_r12(bz_rule_ctx *cx) { return cx->txn ? BZ_OK : each_unit(cx, r12_at); }
int bz_all_r13(bz_rule_ctx *cx) { return cx->txn ? BZ_OK : each_unit(cx, r13_at); }

int bz_reg_findings_text(bz_ledger *l, const char *unit, const char *date, char **out)
{
	*out = NULL;
	bz_report *r = bz_report_new();
	bz_memo *memo = bz_memo_new();
	if (!r || !memo) {
		bz_report_free(r);
		bz_memo_free(memo);
		return bz_fail(l, BZ_ENOMEM, "out of memory");
	}
	bz_rule_ctx cx = {.l = l, .report = r, .txn = NULL, .txn_no = 0, .until = date, .memo = memo};
	int rc = r12_at(&cx, unit, date);
	if (rc == BZ_OK)
		rc = r13_at(&cx, unit, date);
	size_t len = 1;
	for (size_t i = 0; rc == BZ_OK && i < r->n; i++)
		len += strlen(r->v[i].message) + 2;
	if (rc == BZ_OK && !(*out = bz__malloc(len)))
		rc = bz_fail(l, BZ_ENOMEM, "out of memory");
	if (rc == BZ_OK) {
		(*out)[0] = '\0';
		for (size_t i = 0; i < r->n; i++) {
			if (i)
				strcat(*out, "; ");
			strcat(*out, r->v[i].message);
		}
	}
	bz_report_free(r);
	bz_memo_free(memo);
	return rc;
}
