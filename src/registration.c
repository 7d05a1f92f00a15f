/*
 * registration.c: 事业单位法人登记 (include/bianzhi/registration.h). The
 * registration is kept as facts of the unit, "reg.<field>", each written by
 * a change record of the unit's Table 2 ("registration.found", ".change",
 * ".deregister", ".certify", ".report"): the same append-only, hash-chained,
 * exported records as every other change, readable at any date with the
 * fact timelines, and no table of its own (so no schema change: exports,
 * imports, verify and the feed carry it as they carry every record). The
 * rules R12 and R13 that compare it with the ledger live in
 * rules_registration.c; this file records and reads.
 */
#include "registration_int.h"
#include "report_int.h"
#include "rules.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUNDS_MAX INT64_C(1000000000000000)
#define TEXT_MAX 1000

static const char *const field_attr[] = {
	[BZ_REG_NAME] = "reg.name",       [BZ_REG_ADDRESS] = "reg.address", [BZ_REG_LEGAL_REP] = "reg.legal_rep",
	[BZ_REG_SCOPE] = "reg.scope",     [BZ_REG_FUNDS] = "reg.funds",     [BZ_REG_SPONSOR] = "reg.sponsor",
	[BZ_REG_FUNDING] = "reg.funding", [BZ_REG_CREDIT_CODE] = "reg.credit_code",
};

const char *bz_reg_field_attr(int field)
{
	return field >= BZ_REG_NAME && field <= BZ_REG_CREDIT_CODE ? field_attr[field] : NULL;
}

static bool text_ok(const char *s) { return bz_text_ok(s) && strlen(s) <= TEXT_MAX; }

/* ---- what the rules and the sheets share ------------------------------------------------- */

void bz_reg_ymd(char out[BZ_DATE_LEN + 1], int year, const char *tail)
{
	char buf[32];
	snprintf(buf, sizeof buf, "%04d%.6s", year < 0 ? 0 : year > 9999 ? 9999 : year, tail);
	buf[BZ_DATE_LEN] = '\0';
	memcpy(out, buf, BZ_DATE_LEN + 1);
}

int bz_reg_state_at(bz_ledger *l, const char *unit, const char *date, int *state, char since[BZ_DATE_LEN + 1])
{
	static const char sql[] = "SELECT after, effective FROM fact WHERE subject=?1 AND attr='reg.state' AND effective<=?2"
				  " ORDER BY effective DESC, event DESC LIMIT 1";
	*state = 0;
	if (since)
		since[0] = '\0';
	bz_st *st = bz_stmt(l, sql);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, unit);
	bz_bind_text(st, 2, date ? date : "9999-12-31");
	int rc = bz_step(st);
	if (rc == SQLITE_ROW) {
		const char *a = (const char *)bz_st_column_text(st, 0);
		*state = a ? atoi(a) : 0;
		if (since)
			snprintf(since, BZ_DATE_LEN + 1, "%s", (const char *)bz_st_column_text(st, 1));
	}
	bz_st_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? BZ_OK : bz_sqlfail(l, rc);
}

int bz_reg_first(bz_ledger *l, const char *unit, char out[BZ_DATE_LEN + 1])
{
	static const char sql[] = "SELECT min(effective) FROM fact WHERE subject=?1 AND attr='reg.state'";
	out[0] = '\0';
	bz_st *st = bz_stmt(l, sql);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, unit);
	int rc = bz_step(st);
	if (rc == SQLITE_ROW && bz_st_column_type(st, 0) != SQLITE_NULL)
		snprintf(out, BZ_DATE_LEN + 1, "%s", (const char *)bz_st_column_text(st, 0));
	bz_st_reset(st);
	return rc == SQLITE_ROW ? BZ_OK : bz_sqlfail(l, rc);
}

int bz_reg_last_change(bz_ledger *l, const char *subject, const char *attr, const char *date,
		       char out[BZ_DATE_LEN + 1])
{
	static const char sql[] = "SELECT max(effective) FROM fact WHERE subject=?1 AND attr=?2 AND effective<=?3";
	out[0] = '\0';
	bz_st *st = bz_stmt(l, sql);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, subject);
	bz_bind_text(st, 2, attr);
	bz_bind_text(st, 3, date);
	int rc = bz_step(st);
	if (rc == SQLITE_ROW && bz_st_column_type(st, 0) != SQLITE_NULL)
		snprintf(out, BZ_DATE_LEN + 1, "%s", (const char *)bz_st_column_text(st, 0));
	bz_st_reset(st);
	return rc == SQLITE_ROW ? BZ_OK : bz_sqlfail(l, rc);
}

int bz_reg_param(bz_ledger *l, const char *name, const char *date, int64_t *out)
{
	const char *dflt = bz_param_default(name);
	return bz_param_int_at(l, out, name, date, dflt ? atoll(dflt) : 0);
}

void bz_reg_due_day(char out[BZ_DATE_LEN + 1], int year, const char *mmdd)
{
	char tail[8];
	snprintf(tail, sizeof tail, "-%.5s", mmdd ? mmdd : bz_param_default("registration.report_due"));
	bz_reg_ymd(out, year + 1, tail);
}

int bz_reg_report_due(bz_ledger *l, int year, char out[BZ_DATE_LEN + 1])
{
	char jan[BZ_DATE_LEN + 1], *mmdd = NULL;
	bz_reg_ymd(jan, year + 1, "-01-01");
	int rc = bz_param_at(l, &mmdd, "registration.report_due", jan);
	if (rc != BZ_OK)
		return rc;
	char due[BZ_DATE_LEN + 1];
	bz_reg_due_day(due, year, mmdd);
	bz__free(mmdd);
	int64_t grace = 0;
	if ((rc = bz_reg_param(l, "registration.report_grace_days", due, &grace)) != BZ_OK)
		return rc;
	bz_date_add_days(out, due, (int)grace);
	return BZ_OK;
}

int bz_reg_ledger_figures(bz_ledger *l, const char *unit, const char *date, int64_t *staff, int64_t *est)
{
	bz_basic_table *t = NULL;
	*staff = *est = 0;
	int rc = bz_basic_table_get(&t, l, unit, date);
	if (rc != BZ_OK)
		return rc;
	for (size_t i = 0; i < bz_basic_table_rows(t); i++) {
		*staff += bz_basic_table_staff(t, i);
		*est += bz_basic_table_establishment(t, i);
	}
	bz_basic_table_free(t);
	return BZ_OK;
}

/* ---- recording ---------------------------------------------------------------------------- */

static int doc_exists(bz_ledger *l, const char *doc)
{
	if (!bz_uuid_ok(doc))
		return bz_fail(l, BZ_EINVAL, "a registration rests on the decision of the unit or its sponsor: a document UUID");
	static const char sql[] = "SELECT 1 FROM document WHERE id=?1";
	bz_st *st = bz_stmt(l, sql);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, doc);
	bool yes = false;
	int rc = bz_step_exists(l, st, &yes);
	if (rc == BZ_OK && !yes)
		rc = bz_fail(l, BZ_ENOTFOUND, "no document %s in the ledger (the decision)", doc);
	return rc;
}

static int registered_on(bz_ledger *l, const char *unit, const char *date, const char *what)
{
	int state = 0;
	int rc = bz_reg_state_at(l, unit, date, &state, NULL);
	if (rc == BZ_OK && state != BZ_REG_REGISTERED)
		rc = bz_fail(l, BZ_EINVAL, "%s: the unit is not registered on %s (%s)", what, date,
			     state == BZ_REG_DEREGISTERED ? "its registration was cancelled" : "no 设立登记 by then");
	return rc;
}

static int field_value_ok(bz_ledger *l, int field, const char *v)
{
	if (field == BZ_REG_FUNDS) {
		char *end = NULL;
		long long x = strtoll(v, &end, 10);
		if (end == v || *end || x < 0 || x > FUNDS_MAX)
			return bz_fail(l, BZ_EINVAL, "开办资金 is a whole number of yuan from 0 to 10^15: %.40s", v);
	} else if (field == BZ_REG_FUNDING) {
		if (strlen(v) != 1 || v[0] < '1' || v[0] > '4')
			return bz_fail(l, BZ_EINVAL, "经费来源 is a bz_funding from 1 to 4: %.40s", v);
	} else if (field == BZ_REG_SPONSOR) {
		if (!bz_uuid_ok(v))
			return bz_fail(l, BZ_EINVAL, "举办单位 is a unit UUID: %.40s", v);
		return bz_unit_exists(l, v);
	} else if (field == BZ_REG_CREDIT_CODE) {
		if (bz_credit_code_valid(v) != BZ_OK)
			return bz_fail(l, BZ_EINVAL, "not a valid unified social credit code (GB 32100): %.40s", v);
	} else if (!text_ok(v)) {
		return bz_fail(l, BZ_EINVAL, "a registered field is non-empty UTF-8 of at most %d bytes", TEXT_MAX);
	}
	return BZ_OK;
}

/* the frame every recording call shares: arguments checked, then one change */
static int frame(bz_txn *txn, const char *unit, const char *date)
{
	if (!txn)
		return BZ_EINVAL;
	if (!txn->l)
		return BZ_EMISUSE;
	if (!bz_uuid_ok(unit))
		return bz_fail(txn->l, BZ_EINVAL, "not a unit UUID");
	if (!bz_date_ok(date))
		return bz_fail(txn->l, BZ_EINVAL, "a date YYYY-MM-DD from %s to %s is required", BZ_DATE_MIN, BZ_DATE_MAX);
	return bz_unit_exists(txn->l, unit);
}

static int do_found(bz_txn *t, const char *unit, const char *date, const char *decision, const char *const v[9])
{
	bz_ledger *l = t->l;
	int nature = 0, rc = bz_unit_nature_at(l, unit, date, &nature);
	if (rc != BZ_OK)
		return rc;
	if (nature != BZ_NATURE_INSTITUTION)
		return bz_fail(l, BZ_EINVAL, "only a public institution (事业单位) is registered as a legal person; the unit is %s on %s",
			       bz_nature_name(nature), date);
	char first[BZ_DATE_LEN + 1];
	if ((rc = bz_reg_first(l, unit, first)) != BZ_OK)
		return rc;
	if (first[0])
		return bz_fail(l, BZ_EINVAL, "the unit was registered already (设立登记 of %s)", first);
	long long ev;
	if ((rc = bz_event_write(t, &ev, "registration.found", unit, unit, date, NULL)) != BZ_OK ||
	    (rc = bz_fact_write(t, ev, unit, "reg.state", date, "1")) != BZ_OK ||
	    (rc = bz_fact_write(t, ev, unit, "reg.decision", date, decision)) != BZ_OK)
		return rc;
	for (int f = BZ_REG_NAME; f <= BZ_REG_CREDIT_CODE && rc == BZ_OK; f++)
		if (v[f])
			rc = bz_fact_write(t, ev, unit, field_attr[f], date, v[f]);
	return rc;
}

BZ_EXTERN int bz_registration_found(bz_txn *txn, const char *unit_uuid, const char *date, const char *decision_uuid,
				    const char *name, const char *address, const char *legal_rep, const char *scope,
				    int64_t funds, const char *sponsor_uuid, int funding, const char *credit_code)
{
	int rc = frame(txn, unit_uuid, date);
	if (rc != BZ_OK)
		return rc;
	bz_ledger *l = txn->l;
	char sfunds[24], sfunding[12];
	snprintf(sfunds, sizeof sfunds, "%" PRId64, funds);
	snprintf(sfunding, sizeof sfunding, "%d", funding);
	const char *v[9] = {NULL, name, address, legal_rep, scope, sfunds, sponsor_uuid, sfunding, credit_code};
	static const char *const what[9] = {NULL, "名称", "住所", "法定代表人", "宗旨和业务范围", "开办资金",
					    "举办单位", "经费来源", "统一社会信用代码"};
	for (int f = BZ_REG_NAME; f <= BZ_REG_CREDIT_CODE; f++) {
		if (!v[f] && f == BZ_REG_SPONSOR)
			continue; /* none: the ledger records no supervising unit either (R12) */
		if (!v[f])
			return bz_fail(l, BZ_EINVAL, "a 设立登记 states its %s", what[f]);
		if ((rc = field_value_ok(l, f, v[f])) != BZ_OK)
			return rc;
	}
	if ((rc = doc_exists(l, decision_uuid)) != BZ_OK || (rc = bz_change_begin(txn)) != BZ_OK)
		return rc;
	return bz_change_end(txn, do_found(txn, unit_uuid, date, decision_uuid, v));
}

BZ_EXTERN int bz_registration_change(bz_txn *txn, const char *unit_uuid, int field, const char *value,
				     const char *date, const char *decision_uuid)
{
	int rc = frame(txn, unit_uuid, date);
	if (rc != BZ_OK)
		return rc;
	bz_ledger *l = txn->l;
	const char *attr = bz_reg_field_attr(field);
	if (!attr)
		return bz_fail(l, BZ_EINVAL, "unknown registered field %d (bz_reg_field 1 to 8)", field);
	if (!value)
		return bz_fail(l, BZ_EINVAL, "a 变更登记 states the new value");
	if ((rc = field_value_ok(l, field, value)) != BZ_OK || (rc = doc_exists(l, decision_uuid)) != BZ_OK ||
	    (rc = registered_on(l, unit_uuid, date, "变更登记")) != BZ_OK || (rc = bz_change_begin(txn)) != BZ_OK)
		return rc;
	long long ev;
	if ((rc = bz_event_write(txn, &ev, "registration.change", unit_uuid, unit_uuid, date, attr + 4)) == BZ_OK &&
	    (rc = bz_fact_write(txn, ev, unit_uuid, "reg.decision", date, decision_uuid)) == BZ_OK)
		rc = bz_fact_write(txn, ev, unit_uuid, attr, date, value);
	return bz_change_end(txn, rc);
}

BZ_EXTERN int bz_registration_deregister(bz_txn *txn, const char *unit_uuid, const char *date,
					 const char *decision_uuid, const char *reason)
{
	int rc = frame(txn, unit_uuid, date);
	if (rc != BZ_OK)
		return rc;
	bz_ledger *l = txn->l;
	if (!text_ok(reason))
		return bz_fail(l, BZ_EINVAL, "a 注销登记 states its reason (non-empty UTF-8 of at most %d bytes)", TEXT_MAX);
	if ((rc = doc_exists(l, decision_uuid)) != BZ_OK ||
	    (rc = registered_on(l, unit_uuid, date, "注销登记")) != BZ_OK || (rc = bz_change_begin(txn)) != BZ_OK)
		return rc;
	long long ev;
	if ((rc = bz_event_write(txn, &ev, "registration.deregister", unit_uuid, unit_uuid, date, NULL)) == BZ_OK &&
	    (rc = bz_fact_write(txn, ev, unit_uuid, "reg.state", date, "2")) == BZ_OK &&
	    (rc = bz_fact_write(txn, ev, unit_uuid, "reg.decision", date, decision_uuid)) == BZ_OK)
		rc = bz_fact_write(txn, ev, unit_uuid, "reg.reason", date, reason);
	return bz_change_end(txn, rc);
}

/* the last day of a certificate issued on `issued` valid `years` years */
static void cert_until(char out[BZ_DATE_LEN + 1], const char *issued, int64_t years)
{
	char later[BZ_DATE_LEN + 1];
	int y = atoi(issued) + (int)years;
	/* 29 February of a year that has none: the certificate runs to 28 February */
	if (strcmp(issued + 4, "-02-29") == 0 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		bz_reg_ymd(later, y, "-03-01");
	else
		bz_reg_ymd(later, y, issued + 4);
	bz_date_add_days(out, later, -1);
}

static int number_taken(bz_ledger *l, const char *number, bool *taken)
{
	/* a certify record's note is its number (as its fact reg.cert): one read of the partial
	 * index event_cert (schema 10), where it scanned every fact */
	static const char sql[] = "SELECT 1 FROM event WHERE kind='registration.certify' AND note=?1 LIMIT 1";
	bz_st *st = bz_stmt(l, sql);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, number);
	return bz_step_exists(l, st, taken);
}

BZ_EXTERN int bz_registration_certify(bz_txn *txn, const char *unit_uuid, int kind, const char *number,
				      const char *issued)
{
	int rc = frame(txn, unit_uuid, issued);
	if (rc != BZ_OK)
		return rc;
	bz_ledger *l = txn->l;
	if (kind < BZ_CERT_ISSUE || kind > BZ_CERT_REISSUE)
		return bz_fail(l, BZ_EINVAL, "unknown certificate kind %d (bz_cert_kind 1 to 3)", kind);
	if (!bz_text_ok(number) || strlen(number) > 60)
		return bz_fail(l, BZ_EINVAL, "a certificate number is non-empty UTF-8 of at most 60 bytes");
	if ((rc = registered_on(l, unit_uuid, issued, "证书")) != BZ_OK)
		return rc;
	char *prev = NULL;
	if ((rc = bz_fact_at(l, &prev, unit_uuid, "reg.cert", NULL)) != BZ_OK)
		return rc;
	bool had = prev != NULL;
	bz__free(prev);
	if (kind == BZ_CERT_ISSUE && had)
		return bz_fail(l, BZ_EINVAL, "the unit holds a certificate already: renew (换发) or reissue (补领) it");
	if (kind != BZ_CERT_ISSUE && !had)
		return bz_fail(l, BZ_EINVAL, "the unit holds no certificate to %s: issue (核发) its first",
			       kind == BZ_CERT_RENEW ? "renew" : "reissue");
	bool taken = false;
	if ((rc = number_taken(l, number, &taken)) != BZ_OK)
		return rc;
	if (taken)
		return bz_fail(l, BZ_EEXISTS, "a certificate numbered %s exists already", number);
	int64_t years = 5;
	if ((rc = bz_reg_param(l, "registration.cert_years", issued, &years)) != BZ_OK)
		return rc;
	char until[BZ_DATE_LEN + 1], skind[4];
	cert_until(until, issued, years);
	snprintf(skind, sizeof skind, "%d", kind);
	if ((rc = bz_change_begin(txn)) != BZ_OK)
		return rc;
	long long ev;
	if ((rc = bz_event_write(txn, &ev, "registration.certify", unit_uuid, unit_uuid, issued, number)) == BZ_OK &&
	    (rc = bz_fact_write(txn, ev, unit_uuid, "reg.cert", issued, number)) == BZ_OK &&
	    (rc = bz_fact_write(txn, ev, unit_uuid, "reg.cert.kind", issued, skind)) == BZ_OK)
		rc = bz_fact_write(txn, ev, unit_uuid, "reg.cert.until", issued, until);
	return bz_change_end(txn, rc);
}

BZ_EXTERN int bz_registration_report_file(bz_txn *txn, const char *unit_uuid, int year, const char *filed,
					  int64_t staff, int64_t establishment, int64_t funds)
{
	int rc = frame(txn, unit_uuid, filed);
	if (rc != BZ_OK)
		return rc;
	bz_ledger *l = txn->l;
	if (year < 1949 || year > 2999 || atoi(filed) <= year)
		return bz_fail(l, BZ_EINVAL, "an annual report is of a year from 1949 to 2999, filed after it (%d, filed %s)",
			       year, filed);
	if (staff < 0 || staff > BZ_COUNT_MAX || establishment < 0 || establishment > BZ_COUNT_MAX || funds < 0 ||
	    funds > FUNDS_MAX)
		return bz_fail(l, BZ_EINVAL, "staff and establishment are 0 to %d, funds 0 to 10^15 yuan", BZ_COUNT_MAX);
	if ((rc = bz_change_begin(txn)) != BZ_OK)
		return rc;
	char attr[40], v[3][24], y[8];
	snprintf(y, sizeof y, "%d", year);
	snprintf(v[0], sizeof v[0], "%" PRId64, staff);
	snprintf(v[1], sizeof v[1], "%" PRId64, establishment);
	snprintf(v[2], sizeof v[2], "%" PRId64, funds);
	static const char *const part[3] = {"staff", "est", "funds"};
	long long ev;
	rc = bz_event_write(txn, &ev, "registration.report", unit_uuid, unit_uuid, filed, y);
	snprintf(attr, sizeof attr, "reg.report.%d", year);
	if (rc == BZ_OK)
		rc = bz_fact_write(txn, ev, unit_uuid, attr, filed, filed);
	for (int i = 0; i < 3 && rc == BZ_OK; i++) {
		snprintf(attr, sizeof attr, "reg.report.%d.%s", year, part[i]);
		rc = bz_fact_write(txn, ev, unit_uuid, attr, filed, v[i]);
	}
	return bz_change_end(txn, rc);
}

/* ---- reading ------------------------------------------------------------------------------ */

struct bz_registration {
	char unit[BZ_UUID_LEN + 1], as_of[BZ_DATE_LEN + 1], registered[BZ_DATE_LEN + 1];
	int state, funding, cert_kind, cert_valid;
	int64_t funds;
	char *deregistered, *reason, *field[9], *cert, *cert_issued, *cert_until;
};

BZ_EXTERN void bz_registration_free(bz_registration *r)
{
	if (!r)
		return;
	bz__free(r->deregistered);
	bz__free(r->reason);
	for (int i = 0; i < 9; i++)
		bz__free(r->field[i]);
	bz__free(r->cert);
	bz__free(r->cert_issued);
	bz__free(r->cert_until);
	bz__free(r);
}

static int read_registration(bz_ledger *l, bz_registration *r, const char *unit, const char *d)
{
	char since[BZ_DATE_LEN + 1];
	int rc = bz_reg_state_at(l, unit, d, &r->state, since);
	if (rc != BZ_OK)
		return rc;
	if (!r->state)
		return bz_fail(l, BZ_ENOTFOUND, "the unit %s was not registered by %s", unit, d);
	if ((rc = bz_reg_first(l, unit, r->registered)) != BZ_OK)
		return rc;
	if (r->state == BZ_REG_DEREGISTERED) {
		if (!(r->deregistered = bz_strdup(since)))
			return bz_fail(l, BZ_ENOMEM, "out of memory");
		if ((rc = bz_fact_at(l, &r->reason, unit, "reg.reason", d)) != BZ_OK)
			return rc;
	}
	for (int f = BZ_REG_NAME; f <= BZ_REG_CREDIT_CODE; f++)
		if ((rc = bz_fact_at(l, &r->field[f], unit, field_attr[f], d)) != BZ_OK)
			return rc;
	r->funds = r->field[BZ_REG_FUNDS] ? atoll(r->field[BZ_REG_FUNDS]) : 0;
	r->funding = r->field[BZ_REG_FUNDING] ? atoi(r->field[BZ_REG_FUNDING]) : 0;
	char *kind = NULL;
	if ((rc = bz_fact_at(l, &r->cert, unit, "reg.cert", d)) != BZ_OK ||
	    (rc = bz_fact_at(l, &r->cert_until, unit, "reg.cert.until", d)) != BZ_OK ||
	    (rc = bz_fact_at(l, &kind, unit, "reg.cert.kind", d)) != BZ_OK)
		return rc;
	r->cert_kind = kind ? atoi(kind) : 0;
	bz__free(kind);
	if (r->cert) {
		char issued[BZ_DATE_LEN + 1];
		if ((rc = bz_reg_last_change(l, unit, "reg.cert", d, issued)) != BZ_OK)
			return rc;
		if (!(r->cert_issued = bz_strdup(issued)))
			return bz_fail(l, BZ_ENOMEM, "out of memory");
		r->cert_valid = r->state == BZ_REG_REGISTERED && r->cert_until && strcmp(d, r->cert_until) <= 0;
	}
	return BZ_OK;
}

BZ_EXTERN int bz_registration_lookup(bz_registration **out, bz_ledger *ledger, const char *unit_uuid,
				     const char *date)
{
	if (!out)
		return BZ_EINVAL;
	*out = NULL;
	if (!ledger)
		return BZ_EINVAL;
	char today[BZ_DATE_LEN + 1];
	const char *d = bz_date_or_today(ledger, date, today);
	if (!bz_uuid_ok(unit_uuid) || !bz_date_ok(d))
		return bz_fail(ledger, BZ_EINVAL, "bz_registration_lookup: a unit UUID and a date YYYY-MM-DD (or NULL)");
	int rc = bz_unit_exists(ledger, unit_uuid);
	if (rc != BZ_OK)
		return rc;
	bz_registration *r = bz__calloc(1, sizeof *r);
	if (!r)
		return bz_fail(ledger, BZ_ENOMEM, "out of memory");
	memcpy(r->unit, unit_uuid, BZ_UUID_LEN + 1);
	memcpy(r->as_of, d, BZ_DATE_LEN + 1);
	if ((rc = read_registration(ledger, r, unit_uuid, d)) != BZ_OK) {
		bz_registration_free(r);
		return rc;
	}
	*out = r;
	return bz_ok(ledger);
}

BZ_EXTERN const char *bz_registration_unit(const bz_registration *r) { return r ? r->unit : NULL; }
BZ_EXTERN int bz_registration_state(const bz_registration *r) { return r ? r->state : 0; }
BZ_EXTERN const char *bz_registration_registered(const bz_registration *r) { return r ? r->registered : NULL; }
BZ_EXTERN const char *bz_registration_deregistered(const bz_registration *r) { return r ? r->deregistered : NULL; }
BZ_EXTERN const char *bz_registration_reason(const bz_registration *r) { return r ? r->reason : NULL; }
BZ_EXTERN const char *bz_registration_name(const bz_registration *r) { return r ? r->field[BZ_REG_NAME] : NULL; }
BZ_EXTERN const char *bz_registration_address(const bz_registration *r) { return r ? r->field[BZ_REG_ADDRESS] : NULL; }
BZ_EXTERN const char *bz_registration_legal_rep(const bz_registration *r)
{
	return r ? r->field[BZ_REG_LEGAL_REP] : NULL;
}
BZ_EXTERN const char *bz_registration_scope(const bz_registration *r) { return r ? r->field[BZ_REG_SCOPE] : NULL; }
BZ_EXTERN int64_t bz_registration_funds(const bz_registration *r) { return r ? r->funds : 0; }
BZ_EXTERN const char *bz_registration_sponsor(const bz_registration *r) { return r ? r->field[BZ_REG_SPONSOR] : NULL; }
BZ_EXTERN int bz_registration_funding(const bz_registration *r) { return r ? r->funding : 0; }
BZ_EXTERN const char *bz_registration_credit_code(const bz_registration *r)
{
	return r ? r->field[BZ_REG_CREDIT_CODE] : NULL;
}
BZ_EXTERN const char *bz_registration_cert_number(const bz_registration *r) { return r ? r->cert : NULL; }
BZ_EXTERN const char *bz_registration_cert_issued(const bz_registration *r) { return r ? r->cert_issued : NULL; }
BZ_EXTERN const char *bz_registration_cert_valid_until(const bz_registration *r) { return r ? r->cert_until : NULL; }
BZ_EXTERN int bz_registration_cert_kind(const bz_registration *r) { return r ? r->cert_kind : 0; }
BZ_EXTERN int bz_registration_cert_valid(const bz_registration *r) { return r ? r->cert_valid : 0; }
BZ_EXTERN const char *bz_registration_as_of(const bz_registration *r) { return r ? r->as_of : NULL; }

/* ---- annual reports ------------------------------------------------------------------------- */

struct bz_annual_report {
	char unit[BZ_UUID_LEN + 1], filed[BZ_DATE_LEN + 1], due[BZ_DATE_LEN + 1];
	int year;
	int64_t stated[3], ledger[3];
};

int bz_reg_report_read(bz_ledger *l, const char *unit, int year, const char *date, char filed[BZ_DATE_LEN + 1],
		       int64_t stated[3])
{
	char attr[40], *v = NULL;
	filed[0] = '\0';
	snprintf(attr, sizeof attr, "reg.report.%d", year);
	int rc = bz_fact_at(l, &v, unit, attr, date);
	if (rc != BZ_OK || !v)
		return rc;
	snprintf(filed, BZ_DATE_LEN + 1, "%s", v);
	bz__free(v);
	static const char *const part[3] = {"staff", "est", "funds"};
	for (int i = 0; i < 3 && rc == BZ_OK; i++) {
		snprintf(attr, sizeof attr, "reg.report.%d.%s", year, part[i]);
		rc = bz_fact_int_at(l, &stated[i], unit, attr, date, 0);
	}
	return rc;
}

int bz_reg_report_ledger(bz_ledger *l, const char *unit, int year, int64_t figures[3])
{
	char dec31[BZ_DATE_LEN + 1];
	bz_reg_ymd(dec31, year, "-12-31");
	int rc = bz_reg_ledger_figures(l, unit, dec31, &figures[0], &figures[1]);
	if (rc == BZ_OK)
		rc = bz_fact_int_at(l, &figures[2], unit, "reg.funds", dec31, 0);
	return rc;
}

BZ_EXTERN int bz_annual_report_get(bz_annual_report **out, bz_ledger *ledger, const char *unit_uuid, int year)
{
	if (!out)
		return BZ_EINVAL;
	*out = NULL;
	if (!ledger)
		return BZ_EINVAL;
	if (!bz_uuid_ok(unit_uuid) || year < 1949 || year > 2999)
		return bz_fail(ledger, BZ_EINVAL, "bz_annual_report_get: a unit UUID and a year from 1949 to 2999");
	int rc = bz_unit_exists(ledger, unit_uuid);
	if (rc != BZ_OK)
		return rc;
	bz_annual_report *a = bz__calloc(1, sizeof *a);
	if (!a)
		return bz_fail(ledger, BZ_ENOMEM, "out of memory");
	memcpy(a->unit, unit_uuid, BZ_UUID_LEN + 1);
	a->year = year;
	if ((rc = bz_reg_report_read(ledger, unit_uuid, year, NULL, a->filed, a->stated)) == BZ_OK && !a->filed[0])
		rc = bz_fail(ledger, BZ_ENOTFOUND, "no annual report of %d was filed for the unit", year);
	if (rc == BZ_OK)
		rc = bz_reg_report_due(ledger, year, a->due);
	if (rc == BZ_OK)
		rc = bz_reg_report_ledger(ledger, unit_uuid, year, a->ledger);
	if (rc != BZ_OK) {
		bz__free(a);
		return rc;
	}
	*out = a;
	return bz_ok(ledger);
}

BZ_EXTERN const char *bz_annual_report_unit(const bz_annual_report *a) { return a ? a->unit : NULL; }
BZ_EXTERN int bz_annual_report_year(const bz_annual_report *a) { return a ? a->year : 0; }
BZ_EXTERN const char *bz_annual_report_filed(const bz_annual_report *a) { return a ? a->filed : NULL; }
BZ_EXTERN const char *bz_annual_report_due(const bz_annual_report *a) { return a ? a->due : NULL; }
BZ_EXTERN int64_t bz_annual_report_staff(const bz_annual_report *a) { return a ? a->stated[0] : 0; }
BZ_EXTERN int64_t bz_annual_report_establishment(const bz_annual_report *a) { return a ? a->stated[1] : 0; }
BZ_EXTERN int64_t bz_annual_report_funds(const bz_annual_report *a) { return a ? a->stated[2] : 0; }
BZ_EXTERN int64_t bz_annual_report_ledger_staff(const bz_annual_report *a) { return a ? a->ledger[0] : 0; }
BZ_EXTERN int64_t bz_annual_report_ledger_establishment(const bz_annual_report *a) { return a ? a->ledger[1] : 0; }
BZ_EXTERN int64_t bz_annual_report_ledger_funds(const bz_annual_report *a) { return a ? a->ledger[2] : 0; }
BZ_EXTERN int bz_annual_report_agrees(const bz_annual_report *a)
{
	return a && a->stated[0] == a->ledger[0] && a->stated[1] == a->ledger[1] && a->stated[2] == a->ledger[2];
}
BZ_EXTERN void bz_annual_report_free(bz_annual_report *a) { bz__free(a); }

/* ---- the sheets ------------------------------------------------------------------------------- */

/* the report year at date: the last year whose deadline (with grace) is on or before date */
static int report_year_at(bz_ledger *l, const char *date, int *year)
{
	int y = atoi(date) - 1;
	char due[BZ_DATE_LEN + 1];
	int rc = bz_reg_report_due(l, y, due);
	if (rc == BZ_OK && strcmp(due, date) > 0)
		y--;
	*year = y;
	return rc;
}

static void pct(char *buf, size_t n, int64_t part, int64_t whole)
{
	if (whole <= 0)
		buf[0] = '\0';
	else
		snprintf(buf, n, "%.1f%%", 100.0 * (double)part / (double)whole);
}

typedef struct rate_row {
	char code[8];
	int64_t required, registered, due, on_time, filed;
} rate_row;

BZ_EXTERN int bz_sheet_registration(bz_sheet **out, bz_ledger *ledger, const char *jurisdiction_code,
				    const char *date)
{
	if (!out)
		return BZ_EINVAL;
	*out = NULL;
	if (!ledger)
		return BZ_EINVAL;
	char d[BZ_DATE_LEN + 1];
	const char *dd = bz_date_or_today(ledger, date, d);
	if (!bz_date_ok(dd) || !bz_text_ok(jurisdiction_code))
		return bz_fail(ledger, BZ_EINVAL, "a jurisdiction's division code and a date YYYY-MM-DD (or NULL)");
	if (dd != d)
		snprintf(d, sizeof d, "%s", dd);
	bz_scope_unit *units = NULL;
	size_t n = 0;
	int year = 0, rc = bz_scope_units(ledger, jurisdiction_code, d, &units, &n);
	if (rc == BZ_OK)
		rc = report_year_at(ledger, d, &year);
	rate_row *rows = bz__calloc(n + 1, sizeof *rows);
	size_t nrows = 0;
	if (rc == BZ_OK && !rows)
		rc = bz_fail(ledger, BZ_ENOMEM, "out of memory");
	char due[BZ_DATE_LEN + 1], dec31[BZ_DATE_LEN + 1];
	bz_reg_ymd(dec31, year, "-12-31");
	if (rc == BZ_OK)
		rc = bz_reg_report_due(ledger, year, due);
	for (size_t i = 0; rc == BZ_OK && i < n; i++) {
		bool alive = false;
		int nature = 0, state = 0, state31 = 0;
		if ((rc = bz_unit_alive(ledger, units[i].id, d, &alive)) != BZ_OK || !alive ||
		    (rc = bz_unit_nature_at(ledger, units[i].id, d, &nature)) != BZ_OK || nature != BZ_NATURE_INSTITUTION)
			continue;
		/* units come by division code: a new code starts a row */
		if (!nrows || strcmp(rows[nrows - 1].code, units[i].code) != 0)
			memcpy(rows[nrows++].code, units[i].code, sizeof units[i].code);
		rate_row *r = &rows[nrows - 1];
		r->required++;
		if ((rc = bz_reg_state_at(ledger, units[i].id, d, &state, NULL)) != BZ_OK ||
		    (rc = bz_reg_state_at(ledger, units[i].id, dec31, &state31, NULL)) != BZ_OK)
			break;
		r->registered += state == BZ_REG_REGISTERED;
		if (state31 != BZ_REG_REGISTERED)
			continue;
		r->due++;
		char filed[BZ_DATE_LEN + 1];
		int64_t stated[3];
		if ((rc = bz_reg_report_read(ledger, units[i].id, year, d, filed, stated)) != BZ_OK)
			break;
		r->filed += filed[0] != '\0';
		r->on_time += filed[0] && strcmp(filed, due) <= 0;
	}
	bz_sheet *s = NULL;
	if (rc == BZ_OK && !(s = bz_sheet_make("事业单位登记管理情况")))
		rc = bz_fail(ledger, BZ_ENOMEM, "out of memory");
	if (rc == BZ_OK) {
		static const char *const cols[] = {"行政区划", "应登记", "已登记", "登记率", "报告年度",
						   "应报告", "按时报告", "已报告", "年检率"};
		static const int kinds[] = {BZ_COLUMN_TEXT,    BZ_COLUMN_INTEGER, BZ_COLUMN_INTEGER,
					    BZ_COLUMN_TEXT,    BZ_COLUMN_INTEGER, BZ_COLUMN_INTEGER,
					    BZ_COLUMN_INTEGER, BZ_COLUMN_INTEGER, BZ_COLUMN_TEXT};
		for (size_t c = 0; c < 9; c++)
			bz_sheet_add_col(s, cols[c], kinds[c]);
		rate_row total = {.code = "合计"};
		for (size_t i = 0; i <= nrows; i++) {
			rate_row *r = i < nrows ? &rows[i] : &total;
			if (i < nrows) {
				total.required += r->required;
				total.registered += r->registered;
				total.due += r->due;
				total.on_time += r->on_time;
				total.filed += r->filed;
			}
			char label[96], p[16];
			if (i < nrows) {
				char *name = NULL, *jid = NULL;
				if (bz_jurisdiction_id(ledger, r->code, &jid) == BZ_OK)
					bz_jurisdiction_info(ledger, jid, NULL, &name);
				snprintf(label, sizeof label, "%s", name ? name : r->code);
				bz__free(name);
				bz__free(jid);
			} else {
				snprintf(label, sizeof label, "合计");
			}
			bz_sheet_add_row(s);
			bz_sheet_set(s, 0, label);
			bz_sheet_set_int(s, 1, r->required);
			bz_sheet_set_int(s, 2, r->registered);
			pct(p, sizeof p, r->registered, r->required);
			bz_sheet_set(s, 3, p);
			bz_sheet_set_int(s, 4, year);
			bz_sheet_set_int(s, 5, r->due);
			bz_sheet_set_int(s, 6, r->on_time);
			bz_sheet_set_int(s, 7, r->filed);
			pct(p, sizeof p, r->on_time, r->due);
			bz_sheet_set(s, 8, p);
		}
		rc = bz_sheet_finish(out, s, ledger, rc);
	}
	bz__free(rows);
	bz__free(units);
	return rc;
}

BZ_EXTERN int bz_sheet_registration_units(bz_sheet **out, bz_ledger *ledger, const char *jurisdiction_code,
					  const char *date)
{
	if (!out)
		return BZ_EINVAL;
	*out = NULL;
	if (!ledger)
		return BZ_EINVAL;
	char d[BZ_DATE_LEN + 1];
	const char *dd = bz_date_or_today(ledger, date, d);
	if (!bz_date_ok(dd) || !bz_text_ok(jurisdiction_code))
		return bz_fail(ledger, BZ_EINVAL, "a jurisdiction's division code and a date YYYY-MM-DD (or NULL)");
	if (dd != d)
		snprintf(d, sizeof d, "%s", dd);
	bz_scope_unit *units = NULL;
	size_t n = 0;
	int year = 0, rc = bz_scope_units(ledger, jurisdiction_code, d, &units, &n);
	if (rc == BZ_OK)
		rc = report_year_at(ledger, d, &year);
	bz_sheet *s = NULL;
	if (rc == BZ_OK && !(s = bz_sheet_make("事业单位登记一览")))
		rc = bz_fail(ledger, BZ_ENOMEM, "out of memory");
	if (rc != BZ_OK) {
		bz__free(units);
		return rc;
	}
	static const char *const cols[] = {"行政区划", "单位名称", "登记状态", "登记名称", "证书编号", "证书有效期至",
					   "报告年度", "报告日期", "报告从业人员", "台账实有人员", "问题"};
	static const int kinds[] = {BZ_COLUMN_TEXT, BZ_COLUMN_TEXT,    BZ_COLUMN_TEXT,    BZ_COLUMN_TEXT,
				    BZ_COLUMN_TEXT, BZ_COLUMN_DATE,    BZ_COLUMN_INTEGER, BZ_COLUMN_DATE,
				    BZ_COLUMN_INTEGER, BZ_COLUMN_INTEGER, BZ_COLUMN_TEXT};
	for (size_t c = 0; c < 11; c++)
		bz_sheet_add_col(s, cols[c], kinds[c]);
	for (size_t i = 0; rc == BZ_OK && i < n; i++) {
		bool alive = false;
		int nature = 0;
		if ((rc = bz_unit_alive(ledger, units[i].id, d, &alive)) != BZ_OK || !alive ||
		    (rc = bz_unit_nature_at(ledger, units[i].id, d, &nature)) != BZ_OK || nature != BZ_NATURE_INSTITUTION)
			continue;
		char *uname = NULL, *jid = NULL, *jname = NULL, *issues = NULL;
		bz_registration *r = NULL;
		if ((rc = bz_unit_name_at(ledger, units[i].id, d, &uname)) != BZ_OK)
			break;
		if (bz_jurisdiction_id(ledger, units[i].code, &jid) == BZ_OK)
			bz_jurisdiction_info(ledger, jid, NULL, &jname);
		rc = bz_registration_lookup(&r, ledger, units[i].id, d);
		if (rc == BZ_ENOTFOUND)
			rc = BZ_OK;
		char filed[BZ_DATE_LEN + 1] = "";
		int64_t stated[3] = {0, 0, 0}, staff = 0, est = 0;
		if (rc == BZ_OK)
			rc = bz_reg_report_read(ledger, units[i].id, year, d, filed, stated);
		char dec31[BZ_DATE_LEN + 1];
		bz_reg_ymd(dec31, year, "-12-31");
		if (rc == BZ_OK)
			rc = bz_reg_ledger_figures(ledger, units[i].id, dec31, &staff, &est);
		if (rc == BZ_OK)
			rc = bz_reg_findings_text(ledger, units[i].id, d, &issues);
		if (rc == BZ_OK) {
			bz_sheet_add_row(s);
			bz_sheet_set(s, 0, jname ? jname : units[i].code);
			bz_sheet_set(s, 1, uname);
			bz_sheet_set(s, 2, !r ? "未登记" : bz_registration_state(r) == BZ_REG_REGISTERED ? "已登记" : "已注销");
			bz_sheet_set(s, 3, r ? bz_registration_name(r) : NULL);
			bz_sheet_set(s, 4, r ? bz_registration_cert_number(r) : NULL);
			bz_sheet_set(s, 5, r ? bz_registration_cert_valid_until(r) : NULL);
			bz_sheet_set_int(s, 6, year);
			bz_sheet_set(s, 7, filed);
			if (filed[0])
				bz_sheet_set_int(s, 8, stated[0]);
			bz_sheet_set_int(s, 9, staff);
			bz_sheet_set(s, 10, issues);
		}
		bz__free(issues);
		bz_registration_free(r);
		bz__free(uname);
		bz__free(jid);
		bz__free(jname);
	}
	bz__free(units);
	return bz_sheet_finish(out, s, ledger, rc);
}
