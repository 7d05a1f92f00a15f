/*
 * rules_office.c: R15 越权操作 — the acting office of a transaction may make
 * each change it records (office.h): its kind has the power for the change
 * (rule data "power.<type>.<power>", defaults below), and the change is in
 * its scope (its own jurisdiction; below it, for an establishment office,
 * what the authority rules reserve to its level: seed §5). Checked at
 * commit only, over the transaction's own change records; the
 * self-inspection does not judge past changes again (office.h says why).
 */
#include "rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the powers as data ------------------------------------------------------- */

static const char *const type_codes[] = {NULL, "establishment", "organisation", "hr", "finance"};
static const char *const type_names[] = {NULL, "编办", "组织部", "人社", "财政"};
static const char *const power_codes[] = {NULL,        "structure", "establishment", "leadership",
					  "slip",      "placement", "appointment",   "person",
					  "document",  "rules",     "office"};

const char *bz_office_type_code_of(int type)
{
	return type >= BZ_OFFICE_ESTABLISHMENT && type <= BZ_OFFICE_FINANCE ? type_codes[type] : NULL;
}

const char *bz_office_type_name_of(int type)
{
	return type >= BZ_OFFICE_ESTABLISHMENT && type <= BZ_OFFICE_FINANCE ? type_names[type] : NULL;
}

const char *bz_power_code_of(int power)
{
	return power >= BZ_POWER_STRUCTURE && power <= BZ_POWER_OFFICE ? power_codes[power] : NULL;
}

/* the default table of office.h: bit p set when the type has power p (seed §1, §3) */
static const unsigned default_powers[] = {
	0,
	0x7FEu, /* 编办: every power */
	(1u << BZ_POWER_PLACEMENT) | (1u << BZ_POWER_APPOINTMENT) | (1u << BZ_POWER_PERSON),
	(1u << BZ_POWER_PLACEMENT) | (1u << BZ_POWER_PERSON),
	(1u << BZ_POWER_PLACEMENT) | (1u << BZ_POWER_PERSON),
};

/* "power.<type>.<power>" → its type and power (0, 0 if not one) */
static void power_param_parse(const char *name, int *type, int *power)
{
	*type = *power = 0;
	if (!name || strncmp(name, "power.", 6) != 0)
		return;
	const char *t = name + 6, *dot = strchr(t, '.');
	if (!dot)
		return;
	for (int i = BZ_OFFICE_ESTABLISHMENT; i <= BZ_OFFICE_FINANCE; i++)
		if (strlen(type_codes[i]) == (size_t)(dot - t) && strncmp(t, type_codes[i], (size_t)(dot - t)) == 0)
			*type = i;
	for (int p = BZ_POWER_STRUCTURE; p <= BZ_POWER_OFFICE && *type; p++)
		if (strcmp(dot + 1, power_codes[p]) == 0)
			*power = p;
	if (!*power)
		*type = 0;
}

bool bz_power_param_ok(const char *name)
{
	int type, power;
	power_param_parse(name, &type, &power);
	return type != 0;
}

const char *bz_power_param_default(const char *name)
{
	int type, power;
	power_param_parse(name, &type, &power);
	if (!type)
		return NULL;
	return default_powers[type] & (1u << power) ? "1" : "0";
}

void bz_power_param_name(char buf[48], int type, int power)
{
	snprintf(buf, 48, "power.%s.%s", bz_office_type_code_of(type), bz_power_code_of(power));
}

/* event kind → power (office.h); kinds not listed are unit structure, the establishment office's */
static const struct {
	const char *prefix;
	int power;
} kind_powers[] = {
	{"establishment.", BZ_POWER_ESTABLISHMENT},
	{"limit.", BZ_POWER_ESTABLISHMENT},
	{"leadership.", BZ_POWER_LEADERSHIP},
	{"slip.", BZ_POWER_SLIP},
	{"plan.", BZ_POWER_SLIP},
	{"placement.", BZ_POWER_PLACEMENT},
	{"appointment.", BZ_POWER_APPOINTMENT},
	{"person.", BZ_POWER_PERSON},
	{"card.", BZ_POWER_PERSON},
	{"document.", BZ_POWER_DOCUMENT},
	{"rules.", BZ_POWER_RULES},
	{"exception.", BZ_POWER_RULES},
	{"jurisdiction.", BZ_POWER_RULES},
	{"category.", BZ_POWER_RULES},
	{"archive.", BZ_POWER_RULES},
	{"credit_code.", BZ_POWER_RULES},
	{"office.", BZ_POWER_OFFICE},
	/* the 机构编制管理证 is the establishment office's to issue, renew and void (seed §9) */
	{"unitcert.", BZ_POWER_STRUCTURE},
};

int bz_event_power(const char *kind)
{
	for (size_t i = 0; kind && i < sizeof kind_powers / sizeof kind_powers[0]; i++)
		if (strncmp(kind, kind_powers[i].prefix, strlen(kind_powers[i].prefix)) == 0)
			return kind_powers[i].power;
	return BZ_POWER_STRUCTURE;
}

/* ---- R15 at commit ------------------------------------------------------------- */

typedef struct r15 {
	bz_rule_ctx *cx;
	const char *office; /* the name the transaction gave */
	int type, level;
	char jur[8];
	char today[BZ_DATE_LEN + 1];
	int allowed[BZ_POWER_OFFICE + 1]; /* -1 not read yet */
	/* subjects × powers already reported: one violation each */
	struct seen {
		char subject[BZ_UUID_LEN + 16];
		int power;
	} *seen;
	size_t nseen, capseen;
} r15;

static int raise15(r15 *s, const char *subject, const char *name, const char *category, const char *date,
		   const char *doc, const char *fmt, ...) __attribute__((format(printf, 7, 8)));

static int raise15(r15 *s, const char *subject, const char *name, const char *category, const char *date,
		   const char *doc, const char *fmt, ...)
{
	char msg[768];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	int rc = bz_raise(s->cx, BZ_VIO(.rule = BZ_RULE_R15, .severity = BZ_SEVERITY_ERROR, .subject = subject,
					.subject_name = name, .category = category, .date = date, .document = doc),
			  "%s", msg);
	if (rc == BZ_OK && bz_report_set_office(s->cx->report, s->office) != BZ_OK)
		rc = bz_fail(s->cx->l, BZ_ENOMEM, "out of memory");
	return rc;
}

/* whether subject × power was reported already (and remember it if not); false with *rc on failure */
static bool seen_before(r15 *s, const char *subject, int power, int *rc)
{
	*rc = BZ_OK;
	for (size_t i = 0; i < s->nseen; i++)
		if (s->seen[i].power == power && strcmp(s->seen[i].subject, subject) == 0)
			return true;
	if (s->nseen == s->capseen) {
		size_t cap = s->capseen ? s->capseen * 2 : 8;
		void *n = bz__realloc(s->seen, cap * sizeof *s->seen);
		if (!n) {
			*rc = bz_fail(s->cx->l, BZ_ENOMEM, "out of memory");
			return false;
		}
		s->seen = n;
		s->capseen = cap;
	}
	snprintf(s->seen[s->nseen].subject, sizeof s->seen[s->nseen].subject, "%s", subject);
	s->seen[s->nseen++].power = power;
	return false;
}

/* may offices of the acting type make changes of power (the powers on the day it records)? */
static int may(r15 *s, int power, bool *yes)
{
	if (s->allowed[power] < 0) {
		char name[48];
		const char *v = NULL;
		bz_power_param_name(name, s->type, power);
		int rc = bz_rx_fact_at(s->cx, &v, BZ_RULES_SUBJECT, name, s->today);
		if (rc != BZ_OK)
			return rc;
		if (!v)
			v = bz_power_param_default(name);
		s->allowed[power] = v && strcmp(v, "1") == 0;
	}
	*yes = s->allowed[power] == 1;
	return BZ_OK;
}

/* the division code a change belongs to ("" if none: judged by the power alone) */
static int target_division(r15 *s, const char *kind, const char *subject, const char *unit, char code[8])
{
	code[0] = '\0';
	if (unit && *unit)
		return bz_rx_unit_division(s->cx, unit, code);
	const char *sql = NULL;
	static const char jur_sql[] = "SELECT code FROM jurisdiction WHERE id=?1";
	static const char office_sql[] =
		"SELECT j.code FROM office o JOIN jurisdiction j ON j.id=o.jurisdiction WHERE o.id=?1";
	if (strcmp(kind, "limit.set") == 0)
		sql = jur_sql;
	else if (strcmp(kind, "office.register") == 0)
		sql = office_sql;
	if (!sql)
		return BZ_OK;
	bz_st *st = bz_stmt(s->cx->l, sql);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, subject);
	int rc = bz_step(st);
	if (rc == SQLITE_ROW)
		snprintf(code, 8, "%s", bz_st_column_text(st, 0) ? (const char *)bz_st_column_text(st, 0) : "");
	bz_st_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? BZ_OK : bz_sqlfail(s->cx->l, rc);
}

/* the rank a change of unit is judged at (a raise at its higher end, as R6) */
static int judged_rank(r15 *s, long long event, const char *kind, const char *unit, const char *date, int64_t *rank)
{
	int rc = bz_rx_fact_int_at(s->cx, rank, unit, "rank", date, 0);
	if (rc != BZ_OK || strcmp(kind, "unit.rank") != 0)
		return rc;
	static const char sql[] =
		"SELECT CAST(before AS INTEGER), CAST(after AS INTEGER) FROM fact WHERE event=?1 AND attr='rank'";
	bz_st *st = bz_stmt(s->cx->l, sql);
	if (!st)
		return bz_stmt_err();
	bz_st_bind_int64(st, 1, event);
	if ((rc = bz_step(st)) == SQLITE_ROW) {
		int64_t b = bz_st_column_int64(st, 0), a = bz_st_column_int64(st, 1);
		*rank = a > b ? a : b;
	}
	bz_st_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? BZ_OK : bz_sqlfail(s->cx->l, rc);
}

/*
 * Whether an establishment office may act below its own jurisdiction on
 * this change: a quota limit or an office of a jurisdiction below it, or a
 * unit's change the authority rules reserve to its level or a lower one.
 */
static int above_may(r15 *s, long long event, const char *kind, const char *unit, const char *date, bool *yes)
{
	*yes = false;
	if (!unit || !*unit) {
		*yes = true; /* limit.set, office.register below it */
		return BZ_OK;
	}
	const char *action = bz_event_action(kind);
	int nature = 0, required = 0;
	int64_t rank = 0;
	int rc;
	if (!action || (rc = bz_rx_unit_nature_at(s->cx, unit, date, &nature)) != BZ_OK ||
	    (rc = judged_rank(s, event, kind, unit, date, &rank)) != BZ_OK ||
	    (rc = bz_authority_required(s->cx, action, nature, (int)rank, date, &required)) != BZ_OK)
		return action ? rc : BZ_OK;
	*yes = required && s->level <= required;
	return BZ_OK;
}

static const char *const level_names[] = {"", "中央", "省", "市", "县（区）"};

static int judge_one(r15 *s, long long event, const char *kind, const char *subject, const char *unit,
		     const char *date, const char *doc)
{
	int power = bz_event_power(kind), rc;
	const char *who = unit && *unit ? unit : subject;
	bool allowed = false;
	if ((rc = may(s, power, &allowed)) != BZ_OK)
		return rc;
	char code[8] = "";
	bool in_scope = true;
	if (allowed) {
		if ((rc = target_division(s, kind, subject, unit, code)) != BZ_OK)
			return rc;
		if (code[0] && strcmp(code, s->jur) != 0) {
			bool below = false;
			in_scope = false;
			if (s->type == BZ_OFFICE_ESTABLISHMENT &&
			    ((rc = bz_rx_in_chain(s->cx, code, s->jur, &below)) != BZ_OK ||
			     (below && (rc = above_may(s, event, kind, unit, date, &in_scope)) != BZ_OK)))
				return rc;
		}
	}
	if (allowed && in_scope)
		return BZ_OK;
	if (seen_before(s, who, power, &rc) || rc != BZ_OK)
		return rc;
	char *name = NULL;
	if (unit && *unit)
		rc = bz_rx_unit_name_at(s->cx, unit, date, &name);
	if (rc != BZ_OK)
		return rc;
	const char *label = name ? name : who;
	if (!allowed)
		rc = raise15(s, who, name, bz_power_code_of(power), date, doc,
			     "R15 越权操作: %s (%s) may not make %s changes (power \"%s\"); it recorded %s of %s",
			     s->office, bz_office_type_name_of(s->type), bz_power_code_of(power),
			     bz_power_code_of(power), kind, label);
	else
		rc = raise15(s, who, name, bz_power_code_of(power), date, doc,
			     "R15 越权操作: %s (%s, %s %s) acted outside its scope: %s of %s, which belongs to %s",
			     s->office, bz_office_type_name_of(s->type), level_names[s->level > 0 && s->level < 5 ? s->level : 0],
			     s->jur, kind, label, code);
	bz__free(name);
	return rc;
}

/* the acting office by name: *found false if the ledger has none of that name */
static int acting_office(r15 *s, bool *found)
{
	static const char sql[] =
		"SELECT o.kind, j.code, j.level FROM office o JOIN jurisdiction j ON j.id=o.jurisdiction WHERE o.name=?1";
	bz_st *st = bz_stmt(s->cx->l, sql);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, s->office);
	int rc = bz_step(st);
	*found = rc == SQLITE_ROW;
	if (*found) {
		s->type = bz_st_column_int(st, 0);
		snprintf(s->jur, sizeof s->jur, "%s", (const char *)bz_st_column_text(st, 1));
		s->level = bz_st_column_int(st, 2);
	}
	bz_st_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? BZ_OK : bz_sqlfail(s->cx->l, rc);
}

int bz_offices_exist(bz_ledger *l, bool *yes)
{
	static const char sql[] = "SELECT 1 FROM office LIMIT 1";
	bz_st *st = bz_stmt(l, sql);
	if (!st)
		return bz_stmt_err();
	return bz_step_exists(l, st, yes);
}

static int any_row(bz_ledger *l, const char *sql, long long a, long long b, bool *yes)
{
	bz_st *st = bz_stmt(l, sql);
	if (!st)
		return bz_stmt_err();
	bz_st_bind_int64(st, 1, a);
	bz_st_bind_int64(st, 2, b);
	return bz_step_exists(l, st, yes);
}

int bz_records_r15(bz_rule_ctx *cx)
{
	const bz_txn *t = cx->txn;
	if (!t)
		return BZ_OK; /* past changes are not judged again (office.h) */
	static const char any_event[] = "SELECT 1 FROM event WHERE id>=?1 AND txn=?2 LIMIT 1";
	bool offices = false, writes = false;
	int rc = bz_offices_exist(cx->l, &offices);
	if (rc != BZ_OK || !offices)
		return rc; /* a ledger without offices: the office is free text (office.h) */
	if ((rc = any_row(cx->l, any_event, t->first_event, t->txn_no, &writes)) != BZ_OK || !writes)
		return rc;
	r15 s = {.cx = cx, .office = t->office};
	for (size_t i = 0; i < sizeof s.allowed / sizeof s.allowed[0]; i++)
		s.allowed[i] = -1;
	bz_today(cx->l, s.today);
	bool found = false;
	if ((rc = acting_office(&s, &found)) != BZ_OK)
		return rc;
	if (!found)
		return raise15(&s, NULL, t->office, "office", s.today, NULL,
			       "R15 越权操作: the transaction acts for \"%s\", which is not an office of this ledger; once a ledger has offices every change is made by one of them (bz_office_register)",
			       t->office);
	/* a statement of its own: judging uses the cached ones while this one steps */
	static const char sql[] = "SELECT id, kind, subject, unit, effective, doc FROM event WHERE id>=?1 AND txn=?2 ORDER BY id";
	bz_st *st = NULL;
	if ((rc = bz_store_prepare(cx->l->store, &st, sql)) != SQLITE_OK)
		return bz_sqlfail(cx->l, rc);
	bz_st_bind_int64(st, 1, t->first_event);
	bz_st_bind_int64(st, 2, t->txn_no);
	int code = BZ_OK;
	while (code == BZ_OK && (rc = bz_step(st)) == SQLITE_ROW) {
		char kind[48], subject[BZ_UUID_LEN + 8], unit[BZ_UUID_LEN + 8], date[BZ_DATE_LEN + 8], doc[BZ_UUID_LEN + 8];
#define TXT(i) (bz_st_column_text(st, i) ? (const char *)bz_st_column_text(st, i) : "")
		snprintf(kind, sizeof kind, "%s", TXT(1));
		snprintf(subject, sizeof subject, "%s", TXT(2));
		snprintf(unit, sizeof unit, "%s", TXT(3));
		snprintf(date, sizeof date, "%s", TXT(4));
		snprintf(doc, sizeof doc, "%s", TXT(5));
#undef TXT
		code = judge_one(&s, bz_st_column_int64(st, 0), kind, subject, unit, date, doc[0] ? doc : NULL);
	}
	if (code == BZ_OK && rc != SQLITE_DONE)
		code = bz_sqlfail(cx->l, rc);
	bz_st_finalize(st);
	bz__free(s.seen);
	return code;
}
