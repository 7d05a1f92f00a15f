/*
 * rules_records.c: the rules that read change records — at commit the
 * records the transaction wrote, in the self-inspection every record up to
 * the date asked:
 *   R6  the document a change rests on: present, not a business
 *       department's (§2), issued on or before the change (未批先设, §28),
 *       by a known office of the right level (its jurisdiction decides the
 *       level, not the caller), of the unit's own jurisdiction chain
 *       (本级, §13.2), of an issuer kind the change accepts (一家行文 §1,
 *       上级机构编制部门 §13.1: rule data "issuers.<action>"), of a level the
 *       authority rules ask (§5: rule data "authority.<action>");
 *   R7  a unit's changes within its life; entries within working age; no
 *       cycle of supervising units;
 *   R8  a hire on a valid usage slip; slips within the hiring plan (用编计划);
 *   R10 ID numbers and credit codes, re-validated from the records;
 *   R2  quotas within the leadership norms (part of R2 that reads records);
 *   R3  a sub-unit's rank raised only on an establishment document.
 */
#include "rules.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Every statement exists twice: over one transaction (?1) or up to a date (?2). */
#define SCOPED(name, head, tail)                                          \
	static const char name##_txn[] = head " WHERE e.id>=?3 AND e.txn=?1 " tail; \
	static const char name##_all[] = head " WHERE e.effective<=?2 " tail
/*
 * The same for a statement that asks for a few kinds, none of them one a
 * hire writes: up to a date it finds them through event_kind (schema 11,
 * whose condition it states) instead of scanning every record of the
 * ledger; over a transaction it keeps the transaction's rowid range (the
 * kind index there would read every such record of the ledger).
 */
#define SCOPED_BY_KIND(name, head, tail)                                  \
	static const char name##_txn[] = head " WHERE e.id>=?3 AND e.txn=?1 " tail; \
	static const char name##_all[] = head " WHERE e.effective<=?2 AND e." BZ_KINDS_BY_KIND " " tail

static bz_st *scope_stmt(bz_rule_ctx *cx, const char *sql)
{
	bz_st *st = bz_stmt(cx->l, sql);
	if (!st)
		return NULL;
	bz_st_bind_int64(st, 1, cx->txn_no);
	bz_bind_text(st, 2, cx->until ? cx->until : "9999-12-31");
	if (cx->txn) /* the transaction's events: a rowid range, then its txn */
		bz_st_bind_int64(st, 3, cx->txn->first_event);
	return st;
}

/*
 * The records of the self-inspection are many (every event of the ledger):
 * there a checker steps a statement of its own (never evicted from the
 * cache while it runs) and judges what it collected every BATCH records,
 * so its memory stays flat whatever the size of the ledger. At commit the
 * few records of the transaction are collected whole with the cached one.
 */
#define BATCH 4096
#define SCOPE_OPEN(cx, name) scope_open((cx), name##_txn, name##_all)

static bz_st *scope_open(bz_rule_ctx *cx, const char *txn_sql, const char *all_sql)
{
	if (cx->txn)
		return scope_stmt(cx, txn_sql);
	bz_st *st = NULL;
	int rc = bz_store_prepare(cx->l->store, &st, all_sql);
	if (rc != SQLITE_OK) {
		bz_st_finalize(st);
		bz_stmt_fail(cx->l, rc); /* walk() returns it */
		return NULL;
	}
	bz_st_bind_int64(st, 1, cx->txn_no);
	bz_bind_text(st, 2, cx->until ? cx->until : "9999-12-31");
	return st;
}

static void scope_close(bz_rule_ctx *cx, bz_st *st)
{
	if (cx->txn)
		bz_st_reset(st);
	else
		bz_st_finalize(st);
}

/*
 * The self-inspection selects, rule family by rule family, only the records
 * a checker could fault — the same conditions written once more in SQL, one
 * query over the whole ledger each — and judges those with the same code as
 * a commit, in the same order (the record's sequence). A condition SQL
 * cannot state exactly (a dated rule parameter, a malformed date) keeps its
 * records in the selection: the filter may pass a record the checker then
 * finds right, never leave out one it would fault. With cx->per_record (the
 * differential test's oracle) every record is judged as before.
 */
static bool set_based(const bz_rule_ctx *cx) { return !cx->txn && !cx->per_record; }

/* a self-inspection statement (?1 the transaction, unused; ?2 the last date; ?4 the rules' subject) */
static bz_st *all_open(bz_rule_ctx *cx, const char *sql)
{
	bz_st *st = scope_open(cx, NULL, sql);
	if (st && bz_st_param_count(st) >= 4)
		bz_bind_text(st, 4, BZ_RULES_SUBJECT);
	return st;
}

/* room for element n of a growing array (doubling); NULL, the array untouched, when out of memory */
static void *grow(void *arr, size_t n, size_t *cap, size_t elem)
{
	if (n < *cap)
		return arr;
	size_t nc = *cap ? *cap * 2 : 16;
	void *na = bz__realloc(arr, nc * elem);
	if (na)
		*cap = nc;
	return na;
}

static const char *col(bz_st *st, int i) { return (const char *)bz_st_column_text(st, i); }

/*
 * A copy of a column, "" for NULL, into a fixed buffer: what
 * snprintf("%s") gives (up to the first NUL, cut to the buffer), without
 * its cost on every column of every record the self-inspection reads.
 */
static void copy_col(char *buf, size_t size, bz_st *st, int i)
{
	const char *v = col(st, i);
	size_t n = v ? strnlen(v, size - 1) : 0;
	memcpy(buf, v ? v : "", n);
	buf[n] = '\0';
}
#define COPY(buf, st, i) copy_col((buf), sizeof(buf), (st), (i))

/*
 * Walk the records a checker reads: fill() copies each row the statement
 * yields into an element of `size` bytes (false: pass the row over) and
 * judge() is given what was collected — at the end and, for checkers that
 * judge records one by one (batch), every BATCH records, so memory stays
 * flat in the self-inspection and in a commit of a bulk import alike.
 * Judging uses cached statements of its own, never the walking one (and the
 * cache never replaces a running statement). Closes the statement.
 */
typedef bool (*rec_fill)(void *el, bz_st *st);
typedef int (*rec_judge)(bz_rule_ctx *cx, const void *els, size_t n);

static int walk(bz_rule_ctx *cx, bz_st *st, size_t size, bool batch, rec_fill fill, rec_judge judge)
{
	if (!st)
		return bz_stmt_err();
	char *els = NULL;
	size_t n = 0, cap = 0;
	int rc, code = BZ_OK;
	while ((rc = bz_step(st)) == SQLITE_ROW) {
		char *ne = grow(els, n, &cap, size);
		if (!ne) {
			code = bz_fail(cx->l, BZ_ENOMEM, "out of memory");
			break;
		}
		els = ne;
		memset(els + n * size, 0, size);
		if (!fill(els + n * size, st))
			continue;
		if (++n == BATCH && batch) {
			if ((code = judge(cx, els, n)) != BZ_OK)
				break;
			n = 0;
		}
	}
	if (code == BZ_OK && rc != SQLITE_DONE)
		code = bz_sqlfail(cx->l, rc);
	scope_close(cx, st);
	if (code == BZ_OK)
		code = judge(cx, els, n);
	bz__free(els);
	return code;
}

/* ---- R6 ------------------------------------------------------------------------ */

/* event kind → action of the authority and issuer rules; kinds not listed are reference data */
static const struct {
	const char *kind, *action;
} actions[] = {
	{"unit.establish", "establish"},
	{"unit.split", "split"},
	{"unit.merge", "merge"},
	{"unit.absorb", "merge"},
	{"unit.abolish", "abolish"},
	{"unit.rename", "rename"},
	{"unit.rank", "rank"},
	{"unit.funding", "funding"},
	{"unit.duties", "duties"},
	{"unit.parent", "parent"},
	{"unit.credit_code", "credit_code"},
	{"establishment.set", "establishment"},
	{"establishment.transfer_in", "establishment"},
	{"establishment.transfer_out", "establishment"},
	{"establishment.freeze", "establishment"},
	{"leadership.set", "leadership"},
	{"limit.set", "limit"},
	{"subunit.approve", "subunit"},
	{"subunit.create", "subunit"},
	{"subunit.rename", "subunit"},
	{"subunit.rank", "subunit"},
	{"subunit.abolish", "subunit"},
	{"slip.issue", "slip"},
	{"slip.cancel", "slip"},
	{"plan.set", "slip"},
	{"placement.enter", "placement"},
	{"placement.transfer_in", "placement"},
	{"placement.exit", "placement"},
	{"placement.transfer_out", "placement"},
	{"appointment.make", "appointment"},
	{"appointment.end", "appointment"},
	{"exception.grant", "exception"},
	{"rules.param", "rules"},
	{"registration.found", "registration"},
	{"registration.change", "registration"},
	{"registration.deregister", "registration"},
	{"registration.certify", "registration"},
	{"unitcert.issue", "unitcert"},
	{"unitcert.renew", "unitcert"},
	{"unitcert.void", "unitcert"},
};

/* reference data: a document is its own basis; the rest are code tables and personal data */
static const char *const reference_kinds[] = {"office.register", "document.register", "jurisdiction.create", "category.add",
					      "credit_code.exception", "card.issue", "person.register", "person.attr",
					      "unit.attr", "document.attach", "document.file_under", "archive.category",
					      "registration.report"};

const char *bz_event_action(const char *kind)
{
	if (!kind)
		return NULL;
	/* the first letter first: the self-inspection asks this of every record (issue 10) */
	for (size_t i = 0; i < sizeof actions / sizeof actions[0]; i++)
		if (actions[i].kind[0] == kind[0] && strcmp(actions[i].kind, kind) == 0)
			return actions[i].action;
	for (size_t i = 0; i < sizeof reference_kinds / sizeof reference_kinds[0]; i++)
		if (reference_kinds[i][0] == kind[0] && strcmp(reference_kinds[i], kind) == 0)
			return NULL;
	return "other"; /* any other change rests on a document too */
}

/*
 * Defaults of the rule data (a ledger changes them with bz_rule_param_set):
 * issuer kinds (1 establishment office, 2 Party committee, 3 government)
 * each action accepts, and the authority rules "natures:min_rank:max_level"
 * (a change to a unit whose nature is in the mask and rank ≥ min_rank needs
 * a document of level ≤ max_level; seed §5: 副科级以上事业机构 → city).
 */
const char *bz_param_default(const char *name)
{
	static const struct {
		const char *name, *value;
	} defaults[] = {
		{"issuers.limit", "1"},
		{"issuers.slip", "1"},
		{"issuers.exception", "1"},
		{"issuers.rules", "1"},
		{"issuers.unitcert", "1"},
		{"unitcert.validity_years", "5"},
		{"unitcert.enforce", "off"},
		{"authority.establish", "2:3:3"},
		{"authority.split", "2:3:3"},
		{"authority.merge", "2:3:3"},
		{"authority.abolish", "2:3:3"},
		{"authority.rename", "2:3:3"},
		{"authority.rank", "2:3:3"},
		{"authority.leadership", "2:3:3"},
		{"vacancy_reserve.administrative", "10"},
		{"vacancy_reserve.institution", "15"},
		{"working_age.min", "16"},
		{"working_age.max", "70"},
		{"central_issuers", "中共中央;国务院;中央机构编制委员会;中央机构编制委员会办公室"},
		{"exception.R1", "4"},
		{"exception.R2", "4"},
		{"exception.R8", "4"},
		/* registration (registration.h): the 登记管理机关 is the establishment office */
		{"issuers.registration", "1"},
		/* a credit code is assigned by the 登记管理机关, the establishment office (bz_unit_set_credit_code) */
		{"issuers.credit_code", "1"},
		{"registration.cert_years", "5"},
		{"registration.grace_days", "30"},
		{"registration.report_due", "03-31"},
		{"registration.report_grace_days", "0"},
	};
	for (size_t i = 0; name && i < sizeof defaults / sizeof defaults[0]; i++)
		if (strcmp(defaults[i].name, name) == 0)
			return defaults[i].value;
	if (name && strncmp(name, "issuers.", 8) == 0)
		return "1,2,3";
	if (name && strncmp(name, "power.", 6) == 0)
		return bz_power_param_default(name);
	return NULL;
}

/* a parameter at date with its default applied (malloc'd, NULL if none) */
static int param(bz_rule_ctx *cx, char **out, const char *name, const char *date)
{
	const char *v = NULL;
	*out = NULL;
	int rc = bz_rx_fact_at(cx, &v, BZ_RULES_SUBJECT, name, date);
	if (rc == BZ_OK && !v)
		v = bz_param_default(name);
	if (rc == BZ_OK && v && !(*out = bz_strdup(v)))
		rc = bz_fail(cx->l, BZ_ENOMEM, "out of memory");
	return rc;
}

static bool list_has_int(const char *list, int v)
{
	for (const char *p = list; p && *p;) {
		char *end = NULL;
		long x = strtol(p, &end, 10);
		if (end == p)
			break;
		if (x == v)
			return true;
		p = *end ? end + 1 : end;
	}
	return false;
}

/* the most lenient level allowed for action on a unit of nature and rank: 0 if no rule */
int bz_authority_required(bz_rule_ctx *cx, const char *action, int nature, int rank, const char *date, int *required)
{
	char name[64], *rules = NULL;
	snprintf(name, sizeof name, "authority.%s", action);
	*required = 0;
	int rc = param(cx, &rules, name, date);
	for (const char *p = rules; rc == BZ_OK && p && *p;) {
		int natures = 0, min_rank = 0, max_level = 0, n = 0;
		if (sscanf(p, "%d:%d:%d%n", &natures, &min_rank, &max_level, &n) != 3)
			break;
		if ((natures & nature) && rank >= min_rank && (!*required || max_level < *required))
			*required = max_level;
		p += n;
		if (*p == ';')
			p++;
	}
	bz__free(rules);
	return rc;
}

static bool name_in_list(const char *list, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = list; p && *p;) {
		const char *semi = strchr(p, ';');
		size_t len = semi ? (size_t)(semi - p) : strlen(p);
		if (len == n && strncmp(p, name, n) == 0)
			return true;
		p = semi ? semi + 1 : p + len;
	}
	return false;
}

static const char *const level_names[] = {"", "中央", "省", "市", "县（区）"};
static const char *level_name(int lv) { return level_names[lv >= 1 && lv <= 4 ? lv : 0]; }

typedef struct r6_event {
	long long id;
	char kind[40], subject[BZ_UUID_LEN + 1], unit[BZ_UUID_LEN + 1], effective[BZ_DATE_LEN + 1];
	char doc[BZ_UUID_LEN + 1], dnum[128], dissuer[256], djur[8], ddate[BZ_DATE_LEN + 1];
	int dlevel, dkind;
	bool has_doc, doc_known, jur_known;
	int jur_level;
	int64_t rank_before, rank_after; /* unit.rank events */
	char branch[4];                  /* limit.set events */
	bool opening;                    /* an opening entry (opening.h) */
	const char *action;              /* bz_event_action(kind); NULL: a document's registration */
	bool doc_long;                   /* its document id was longer than doc holds (cut) */
} r6_event;

SCOPED(r6_events,
       "SELECT e.id, e.kind, e.subject, e.unit, e.effective, e.doc, d.number, d.issuer, d.jurisdiction, d.date,"
       " d.level, d.kind, d.id IS NOT NULL, j.level,"
       " (SELECT CAST(f.before AS INTEGER) FROM fact f WHERE f.event=e.id AND f.attr='rank'),"
       " (SELECT CAST(f.after AS INTEGER) FROM fact f WHERE f.event=e.id AND f.attr='rank'),"
       " (SELECT substr(f.attr, 7) FROM fact f WHERE f.event=e.id AND f.attr IN ('limit:1','limit:2')),"
       " (SELECT 1 FROM opening o WHERE o.txn=e.txn)"
       " FROM event e LEFT JOIN document d ON d.id=e.doc LEFT JOIN jurisdiction j ON j.code=d.jurisdiction",
       "ORDER BY e.id");

/*
 * The self-inspection's reading of the same: only the records r6 judges
 * (every kind but the reference kinds of bz_event_action, less a document's
 * registration — r6_fill passes over any other, should the list here lag
 * behind reference_kinds), and each fact read only for the kind that uses
 * it (a rank for unit.rank, a branch for limit.set), instead of four
 * lookups for every record of the ledger. R6_COLS, then the opening (o.txn
 * or a subquery), then R6_FROM or a record of its own.
 */
#define R6_COLS                                                                                              \
	"SELECT e.id, e.kind, e.subject, e.unit, e.effective, e.doc, d.number, d.issuer, d.jurisdiction, d.date," \
	" d.level, d.kind, d.id IS NOT NULL, j.level,"                                                        \
	" CASE WHEN e.kind='unit.rank' THEN (SELECT CAST(f.before AS INTEGER) FROM fact f WHERE f.event=e.id"  \
	"  AND f.attr='rank') END,"                                                                           \
	" CASE WHEN e.kind='unit.rank' THEN (SELECT CAST(f.after AS INTEGER) FROM fact f WHERE f.event=e.id"   \
	"  AND f.attr='rank') END,"                                                                           \
	" CASE WHEN e.kind='limit.set' THEN (SELECT substr(f.attr, 7) FROM fact f WHERE f.event=e.id"          \
	"  AND f.attr IN ('limit:1','limit:2')) END,"
#define R6_FROM                                                                                                 \
	" FROM event e LEFT JOIN document d ON d.id=e.doc LEFT JOIN jurisdiction j ON j.code=d.jurisdiction"    \
	" LEFT JOIN opening o ON o.txn=e.txn" R6_WHERE
#define R6_WHERE                                                                                                \
	" WHERE e.effective<=?2 AND ?1=?1 AND e.kind NOT IN ('office.register', 'jurisdiction.create', 'category.add'," \
	"  'credit_code.exception', 'card.issue', 'person.register', 'person.attr', 'unit.attr', 'document.attach',"   \
	"  'document.file_under', 'archive.category', 'registration.report')"

static void r10_faulty_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv);

/* the self-inspection's SQL function: bz_r10_faulty(id_number, sex, birth, date) */
int bz_records_functions(bz_ledger *l)
{
	/* once per connection: defining a function again would fail while a statement of the
	 * handle is running (an iterator the caller holds open) and would expire every statement */
	if (l->inspect_fns)
		return BZ_OK;
	if (!l->db) { /* PostgreSQL: created with the ledger's schema (schema_pg.sql, a PL/pgSQL port) */
		l->inspect_fns = true;
		return BZ_OK;
	}
	int rc = sqlite3_create_function_v2(l->db, "bz_r10_faulty", 4, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
					    r10_faulty_fn, NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return bz_sqlfail(l, rc);
	l->inspect_fns = true;
	return BZ_OK;
}

static int r6_raise(bz_rule_ctx *cx, const r6_event *ev, const char *subject, const char *name, const char *category,
		    int64_t allowed, int64_t actual, const char *fmt, const char *a1, const char *a2)
{
	return bz_raise(cx, BZ_VIO(.rule = BZ_RULE_R6, .severity = BZ_SEVERITY_ERROR, .subject = subject,
				   .subject_name = name, .category = category, .allowed = allowed, .actual = actual,
				   .date = ev->effective, .document = ev->has_doc ? ev->doc : NULL),
			fmt, a1, a2);
}

/* the subject a violation names: the unit, or the jurisdiction of a limit, or the document */
static const char *r6_subject(const r6_event *ev) { return ev->unit[0] ? ev->unit : ev->subject; }

/* its name, read only when a violation is raised (*name NULL: none; malloc'd) */
static int r6_name(bz_rule_ctx *cx, const r6_event *ev, char **name)
{
	*name = NULL;
	if (ev->unit[0])
		return bz_rx_unit_name_at(cx, ev->unit, ev->effective, name);
	if (strcmp(ev->kind, "limit.set") == 0)
		return bz_jurisdiction_info(cx->l, ev->subject, NULL, name);
	return BZ_OK;
}

/*
 * A document's standing: a central document of an issuer the ledger lists
 * (*central), or one that names a jurisdiction the ledger knows at its
 * declared level (*ok). Its level comes from its issuer, not its word.
 */
static int doc_standing(bz_rule_ctx *cx, const r6_event *ev, bool *ok, bool *central)
{
	*ok = *central = false;
	if (ev->dlevel == BZ_LEVEL_CENTRAL && !ev->djur[0]) {
		char *list = NULL;
		int rc = param(cx, &list, "central_issuers", ev->effective);
		*ok = *central = rc == BZ_OK && name_in_list(list, ev->dissuer);
		bz__free(list);
		return rc;
	}
	*ok = ev->djur[0] && ev->jur_known && ev->jur_level == ev->dlevel;
	return BZ_OK;
}

/* the strictest level a value of an authority parameter reserves (0: none); NULL is its default */
static int reserved_level(const char *name, const char *value)
{
	if (!value)
		value = bz_param_default(name);
	if (!value)
		return 0;
	if (strcmp(name, "central_issuers") == 0)
		return BZ_LEVEL_CENTRAL;
	if (strncmp(name, "exception.R", 11) == 0)
		return atoi(value);
	/* who may change what (office.h) is set by the city establishment office or higher */
	if (strncmp(name, "power.", 6) == 0)
		return BZ_LEVEL_CITY;
	int level = 0;
	for (const char *p = strncmp(name, "authority.", 10) == 0 ? value : ""; *p;) {
		int natures = 0, min_rank = 0, max_level = 0, n = 0;
		if (sscanf(p, "%d:%d:%d%n", &natures, &min_rank, &max_level, &n) != 3)
			break;
		if (!level || max_level < level)
			level = max_level;
		p += n;
		if (*p == ';')
			p++;
	}
	return level;
}

/*
 * A rule parameter that reserves a level of authority (authority.<action>,
 * exception.R<n>, central_issuers) is changed only by a document of that
 * level or above, before and after the change: else an office below could
 * lift the rule that binds it (越权审批, §2, §5).
 */
static int r6_rules_param(bz_rule_ctx *cx, const r6_event *ev)
{
	static const char sql[] = "SELECT attr, before, after FROM fact WHERE event=?1";
	bz_st *st = bz_stmt(cx->l, sql);
	if (!st)
		return bz_stmt_err();
	bz_st_bind_int64(st, 1, ev->id);
	char name[BZ_KEY_MAX] = "";
	int r = bz_step(st), required = 0;
	if (r == SQLITE_ROW) {
		COPY(name, st, 0);
		int after = reserved_level(name, col(st, 2));
		required = reserved_level(name, col(st, 1));
		if (after && (!required || after < required))
			required = after;
	}
	bz_st_reset(st);
	if (r != SQLITE_ROW && r != SQLITE_DONE)
		return bz_sqlfail(cx->l, r);
	if (!required || ev->dlevel <= required)
		return BZ_OK;
	return bz_raise(cx, BZ_VIO(.rule = BZ_RULE_R6, .severity = BZ_SEVERITY_ERROR, .subject = ev->subject,
				   .subject_name = name, .allowed = required, .actual = ev->dlevel, .date = ev->effective,
				   .document = ev->doc),
			"R6 不准越权审批: the rule parameter %s reserves authority to %s level; %s of %s level cannot change it",
			name, level_name(required), ev->dnum, level_name(ev->dlevel));
}

/*
 * An exception (bz_exception_grant) to R<n> rests on an establishment
 * office of at least the level the parameter "exception.R<n>" names.
 */
static int r6_exception_level(bz_rule_ctx *cx, const r6_event *ev, const char *subject, const char *name)
{
	static const char sql[] =
		"SELECT substr(attr, 11) FROM fact WHERE event=?1 AND attr>='exception:' AND attr<'exception;'";
	bz_st *st = bz_stmt(cx->l, sql);
	if (!st)
		return bz_stmt_err();
	bz_st_bind_int64(st, 1, ev->id);
	char code[8] = "", pname[32];
	int r = bz_step(st);
	if (r == SQLITE_ROW)
		COPY(code, st, 0);
	bz_st_reset(st);
	if (r != SQLITE_ROW)
		return r == SQLITE_DONE ? BZ_OK : bz_sqlfail(cx->l, r);
	snprintf(pname, sizeof pname, "exception.%s", code);
	char *v = NULL;
	int rc = param(cx, &v, pname, ev->effective);
	int required = v ? atoi(v) : 0;
	bz__free(v);
	if (rc != BZ_OK || !required || ev->dlevel <= required)
		return rc;
	return bz_raise(cx, BZ_VIO(.rule = BZ_RULE_R6, .severity = BZ_SEVERITY_ERROR, .subject = subject,
				   .subject_name = name, .category = "exception", .allowed = required,
				   .actual = ev->dlevel, .date = ev->effective, .document = ev->doc),
			"R6 不准越权审批: an exception to %s needs an establishment office of %s level or higher (%s); %s is of %s level",
			code, level_name(required), pname, ev->dnum, level_name(ev->dlevel));
}

/* R6 on one change record: every check, each its own violation */
static int r6_one(bz_rule_ctx *cx, const r6_event *ev, const char *action)
{
	bz_ledger *l = cx->l;
	const char *subject = r6_subject(ev), *label = subject;
	char *name = NULL, *issuers = NULL;
	bool named = false;
	int rc = BZ_OK;
	/* the subject's name, read once before the first violation that shows it */
#define NAMED()                                                          \
	do {                                                             \
		if (!named) {                                            \
			named = true;                                    \
			if ((rc = r6_name(cx, ev, &name)) != BZ_OK)      \
				goto done;                               \
			label = name ? name : subject;                   \
		}                                                        \
	} while (0)
	if (!ev->has_doc) {
		NAMED();
		rc = r6_raise(cx, ev, subject, name, NULL, -1, -1,
			      "R6: the change %s (%s) has no document (文件依据) behind it", ev->kind, label);
		goto done;
	}
	if (ev->dkind == BZ_ISSUER_BUSINESS) {
		NAMED();
		rc = r6_raise(cx, ev, subject, name, NULL, BZ_ISSUER_GOVERNMENT, BZ_ISSUER_BUSINESS,
			      "R6 不准上级业务部门干预: %s rests on %s, a business department's document, which is never a basis (文件依据)",
			      label, ev->dnum);
		goto done;
	}
	/* 未批先设: no change takes effect before the document that approves it
	 * (an opening document records what was approved before it: opening.h) */
	if (!ev->opening && strcmp(ev->effective, ev->ddate) < 0) {
		NAMED();
		if ((rc = r6_raise(cx, ev, subject, name, "未批先设", -1, -1,
				   "R6 未批先设: %s takes effect before its document %s was issued", label, ev->dnum)) != BZ_OK)
			goto done;
	}
	/* the document's level comes from its issuer's jurisdiction, not from what it declares */
	bool standing = false, central_ok = false;
	if ((rc = doc_standing(cx, ev, &standing, &central_ok)) != BZ_OK)
		goto done;
	if (!standing) {
		NAMED();
		char want[16];
		snprintf(want, sizeof want, "%s", ev->jur_known ? level_name(ev->jur_level) : "?");
		rc = bz_raise(cx, BZ_VIO(.rule = BZ_RULE_R6, .severity = BZ_SEVERITY_ERROR, .subject = subject,
					 .subject_name = name, .category = "issuer", .allowed = ev->jur_known ? ev->jur_level : -1,
					 .actual = ev->dlevel, .date = ev->effective, .document = ev->doc),
			      "R6 发文机关: %s (%s) is declared %s level, but its issuer's jurisdiction %s is %s; the ledger knows no such office",
			      ev->dnum, ev->dissuer, level_name(ev->dlevel), ev->djur[0] ? ev->djur : "(none)", want);
		goto done; /* nothing else can be judged on a document of unknown standing */
	}
	/* 一家行文 / 上级机构编制部门: which issuer kinds this change accepts */
	char pname[64];
	snprintf(pname, sizeof pname, "issuers.%s", action);
	if ((rc = param(cx, &issuers, pname, ev->effective)) != BZ_OK)
		goto done;
	if (!list_has_int(issuers, ev->dkind)) {
		NAMED();
		if ((rc = r6_raise(cx, ev, subject, name, action, -1, ev->dkind,
				   "R6 一家行文: %s rests on %s, but this kind of change is issued only by the establishment authority (机构编制部门)",
				   label, ev->dnum)) != BZ_OK)
			goto done;
	}
	/* 本级: the document of the unit's own jurisdiction or a higher one in its chain */
	if (strcmp(action, "limit") == 0) {
		int jlevel = 0;
		char *jlabel = NULL;
		if ((rc = bz_jurisdiction_info(l, ev->subject, &jlevel, &jlabel)) != BZ_OK)
			goto done;
		bool chain = central_ok;
		char code[8] = "";
		if (jlabel)
			snprintf(code, sizeof code, "%.6s", jlabel);
		if (!chain && (rc = bz_rx_in_chain(cx, code, ev->djur, &chain)) != BZ_OK) {
			bz__free(jlabel);
			goto done;
		}
		/* a limit is granted from above: a strictly higher level of the same chain */
		char cat[16];
		snprintf(cat, sizeof cat, "branch:%s", ev->branch);
		if (!chain || ev->dlevel >= jlevel)
			rc = bz_raise(cx, BZ_VIO(.rule = BZ_RULE_R6, .severity = BZ_SEVERITY_ERROR, .subject = ev->subject,
						 .subject_name = jlabel, .category = cat, .allowed = jlevel - 1,
						 .actual = ev->dlevel, .date = ev->effective, .document = ev->doc),
				      "R6 不准越权审批: the quota limit (编制限额) of %s must rest on a document of a higher establishment office in its own chain; %s is not one",
				      jlabel, ev->dnum);
		bz__free(jlabel);
		goto done;
	}
	if (ev->unit[0] && !central_ok) {
		char code[8];
		bool chain = false;
		if ((rc = bz_rx_unit_division(cx, ev->unit, code)) != BZ_OK ||
		    (rc = bz_rx_in_chain(cx, code, ev->djur, &chain)) != BZ_OK)
			goto done;
		if (!chain) {
			NAMED();
			if ((rc = r6_raise(cx, ev, subject, name, "本级", -1, -1,
					   "R6 本级文件: %s rests on %s, a document of another jurisdiction's office; only its own jurisdiction's or a higher one's count",
					   label, ev->dnum)) != BZ_OK)
				goto done;
		}
	}
	/* §5: the authority rules, by the unit's nature and rank (a raise counts
	 * at its new rank); an opening entry records an approval, it is none */
	if (ev->unit[0] && !ev->opening) {
		int nature = 0, required = 0;
		int64_t rank = 0;
		if ((rc = bz_rx_unit_nature_at(cx, ev->unit, ev->effective, &nature)) != BZ_OK ||
		    (rc = bz_rx_fact_int_at(cx, &rank, ev->unit, "rank", ev->effective, 0)) != BZ_OK)
			goto done;
		if (strcmp(ev->kind, "unit.rank") == 0)
			rank = ev->rank_after > ev->rank_before ? ev->rank_after : ev->rank_before;
		if ((rc = bz_authority_required(cx, action, nature, (int)rank, ev->effective, &required)) != BZ_OK)
			goto done;
		if (required && ev->dlevel > required) {
			NAMED();
			rc = bz_raise(cx, BZ_VIO(.rule = BZ_RULE_R6, .severity = BZ_SEVERITY_ERROR, .subject = ev->unit,
						 .subject_name = name, .allowed = required,
						 .actual = ev->dlevel, .date = ev->effective, .document = ev->doc),
				      "R6 不准越权审批: %s of %s (%s, %s) needs a document of %s level or higher; %s is of %s level",
				      action, label, bz_nature_name(nature), bz_rank_name((int)rank), level_name(required),
				      ev->dnum, level_name(ev->dlevel));
		}
	}
	if (rc == BZ_OK && strcmp(action, "rules") == 0)
		rc = r6_rules_param(cx, ev);
	if (rc == BZ_OK && strcmp(action, "exception") == 0) {
		NAMED();
		rc = r6_exception_level(cx, ev, subject, name);
	}
#undef NAMED
done:
	bz__free(name);
	bz__free(issuers);
	return rc;
}

/* a registered document must name a jurisdiction the ledger knows, at its own level */
static int r6_document(bz_rule_ctx *cx, const r6_event *ev)
{
	bool ok = false, central = false;
	if (!ev->doc_known)
		return BZ_OK;
	int rc = doc_standing(cx, ev, &ok, &central);
	if (rc != BZ_OK || ok)
		return rc;
	return bz_raise(cx, BZ_VIO(.rule = BZ_RULE_R6, .severity = BZ_SEVERITY_ERROR, .subject = ev->doc,
				   .subject_name = ev->dnum, .category = "issuer",
				   .allowed = ev->jur_known ? ev->jur_level : -1, .actual = ev->dlevel,
				   .date = ev->effective, .document = ev->doc),
			"R6 发文机关: %s of %s declares %s level, but the ledger knows its issuer's jurisdiction (%s) %s",
			ev->dnum, ev->dissuer, level_name(ev->dlevel), ev->djur[0] ? ev->djur : "none",
			ev->jur_known ? "at another level" : "not at all");
}

static int r6_judge_one(bz_rule_ctx *cx, const r6_event *ev)
{
	return ev->action ? r6_one(cx, ev, ev->action) : r6_document(cx, ev);
}

/*
 * The self-inspection judges R6 once per group of records that share
 * everything r6_one and r6_document read: the kind (so the action), the
 * unit (or, with none, the subject), the document (its row: number,
 * issuer, date, level, kind, jurisdiction and that jurisdiction's level),
 * whether the change precedes the document's date, whether it is an
 * opening entry, and what is in force at its date — every rule parameter
 * (the epoch of the rules' subject: how many of its facts are effective by
 * then), the unit's nature and rank (the epochs of their timelines); a
 * unit's division and a jurisdiction's chain are constants of the run, and
 * a unit's name is read only to raise. The first record of a group is
 * judged: if it raised nothing, so would every record of its group; if it
 * raised, every later record of the group is judged on its own, so the
 * report is the oracle's, record for record and in record order. Judged
 * one by one: the kinds that read the record's own facts (unit.rank,
 * limit.set, rules.param, exception.grant), a record whose unit has no
 * nature at its date (bz_rx_unit_nature_at reads the unit row then) and
 * one whose document id was cut in the copy.
 *
 * The group's key into *key; *grouped false: judge the record alone.
 */
/* what is in force for ev's judgment on date, as three epochs (*grouped false: ev is judged alone) */
static int r6_epochs(bz_rule_ctx *cx, const r6_event *ev, const char *date, size_t epochs[3], bool *grouped)
{
	static const char *const alone[] = {"rank", "limit", "rules", "exception"};
	*grouped = false;
	epochs[0] = epochs[1] = epochs[2] = 0;
	if (ev->doc_long)
		return BZ_OK;
	for (size_t i = 0; ev->action && i < sizeof alone / sizeof alone[0]; i++)
		if (strcmp(ev->action, alone[i]) == 0)
			return BZ_OK;
	int rc = bz_rx_subject_epoch(cx, &epochs[0], BZ_RULES_SUBJECT, date);
	if (rc == BZ_OK && ev->action && ev->unit[0] && !ev->opening) {
		const char *v = NULL;
		if ((rc = bz_rx_fact_index(cx, &epochs[1], &v, ev->unit, "nature", date)) != BZ_OK)
			return rc;
		if (!v || strtoll(v, NULL, 10) == 0)
			return BZ_OK; /* no nature in the timeline: read from the unit row, dated */
		rc = bz_rx_fact_index(cx, &epochs[2], &v, ev->unit, "rank", date);
	}
	*grouped = rc == BZ_OK;
	return rc;
}

static int r6_group_key(bz_rule_ctx *cx, const r6_event *ev, char *key, size_t size, bool *grouped)
{
	size_t epochs[3];
	int rc = r6_epochs(cx, ev, ev->effective, epochs, grouped);
	if (rc != BZ_OK || !*grouped)
		return rc;
	*grouped = false;
	/* kind \x1f u|s subject \x1f doc \x1f four flags \x1f three epochs in hex, built by hand (not
	 * snprintf: it was a tenth of R6's time, issue 10); a key that does not fit is no group */
	char flags[5] = {ev->has_doc ? '1' : '0', ev->doc_known ? '1' : '0', ev->opening ? '1' : '0',
			 strcmp(ev->effective, ev->ddate) < 0 ? '1' : '0', '\0'};
	const char *parts[] = {ev->kind, "\x1f", ev->unit[0] ? "u" : "s", ev->unit[0] ? ev->unit : ev->subject, "\x1f",
			       ev->doc, "\x1f", flags};
	size_t n = 0;
	bool fit = true;
	for (size_t i = 0; fit && i < sizeof parts / sizeof parts[0]; i++) {
		size_t len = strlen(parts[i]);
		if ((fit = n + len < size)) {
			memcpy(key + n, parts[i], len);
			n += len;
		}
	}
	for (size_t i = 0; fit && i < 3; i++) {
		char hex[2 * sizeof(size_t) + 1], *h = hex + sizeof hex;
		size_t v = epochs[i];
		do
			*--h = "0123456789abcdef"[v & 15];
		while ((v >>= 4) != 0);
		size_t len = (size_t)(hex + sizeof hex - h);
		if ((fit = n + 1 + len < size)) {
			key[n++] = '\x1f';
			memcpy(key + n, h, len);
			n += len;
		}
	}
	if (fit)
		key[n] = '\0';
	*grouped = fit;
	return BZ_OK;
}

/* the memo's constants hold each group's verdict: none yet, clean (NULL) or faulted */
#define R6_GROUPS "\x02r6"

static int r6_judge(bz_rule_ctx *cx, const void *els, size_t n)
{
	const r6_event *evs = els;
	int code = BZ_OK;
	for (size_t i = 0; code == BZ_OK && i < n; i++) {
		char key[160];
		bool grouped = false, known = false;
		const char *verdict = NULL;
		if (!set_based(cx) || (code = r6_group_key(cx, &evs[i], key, sizeof key, &grouped)) != BZ_OK || !grouped ||
		    (code = bz_rx_constant(cx, R6_GROUPS, key, &verdict, &known)) != BZ_OK) {
			if (code == BZ_OK)
				code = r6_judge_one(cx, &evs[i]);
			continue;
		}
		if (known) {
			if (verdict) /* a faulted group: each of its records on its own */
				code = r6_judge_one(cx, &evs[i]);
			continue;
		}
		size_t before = bz_report_count(cx->report);
		if ((code = r6_judge_one(cx, &evs[i])) == BZ_OK)
			code = bz_rx_constant_set(cx, R6_GROUPS, key, bz_report_count(cx->report) > before ? "1" : NULL);
	}
	return code;
}

static bool r6_fill(void *el, bz_st *st)
{
	const char *kind = col(st, 1), *action = bz_event_action(kind);
	if (!action && !(kind && strcmp(kind, "document.register") == 0))
		return false;
	r6_event *ev = el;
	ev->id = bz_st_column_int64(st, 0);
	COPY(ev->kind, st, 1);
	COPY(ev->subject, st, 2);
	COPY(ev->unit, st, 3);
	COPY(ev->effective, st, 4);
	ev->has_doc = bz_st_column_type(st, 5) != SQLITE_NULL;
	COPY(ev->doc, st, 5);
	COPY(ev->dnum, st, 6);
	COPY(ev->dissuer, st, 7);
	COPY(ev->djur, st, 8);
	COPY(ev->ddate, st, 9);
	ev->dlevel = bz_st_column_int(st, 10);
	ev->dkind = bz_st_column_int(st, 11);
	ev->doc_known = bz_st_column_int(st, 12) != 0;
	ev->jur_known = bz_st_column_type(st, 13) != SQLITE_NULL;
	ev->jur_level = bz_st_column_int(st, 13);
	ev->rank_before = bz_st_column_int64(st, 14);
	ev->rank_after = bz_st_column_int64(st, 15);
	COPY(ev->branch, st, 16);
	ev->opening = bz_st_column_type(st, 17) != SQLITE_NULL;
	ev->action = strlen(kind) < sizeof ev->kind ? action : bz_event_action(ev->kind); /* of the kind as copied */
	ev->doc_long = bz_st_column_bytes(st, 5) >= (int)sizeof ev->doc;
	return true;
}

/*
 * The self-inspection's R6 in two passes (issue 10). Pass one groups in SQL
 * the records R6_FROM reads by what is the same for every record of a
 * group whatever its date: the kind, the unit (or, with none, the subject),
 * the document (so its row, number, issuer, date, level and jurisdiction)
 * and whether it is an opening entry — one row per group with its first
 * record and its first and last dates. What r6_group_key adds to these is a
 * function of the date that never decreases with it: the three epochs (how
 * many facts are in force by then) and whether the change precedes the
 * document's date. Where all four are the same on the group's first and
 * last dates they are the same on every date between, so every record of
 * the group has one key and one verdict: its first record is judged (into a
 * scratch report) and, clean, the group is done. Every other group — its
 * first record faulted, a key that differs between its dates, a record
 * judged alone (r6_group_key's cases), a date not YYYY-MM-DD (its order in
 * SQL could differ from strcmp's) — goes into temp.bz_r6_walk, and pass two
 * reads the records of those groups only, in record order, and judges them
 * exactly as r6_judge always has (grouped per key in the memo), so the
 * report is the same record for record. On a ledger without faults pass
 * two reads nothing but the few records judged alone.
 */
#define R6_SUBJ "CASE WHEN COALESCE(e.unit, '')='' THEN e.subject END"
#define R6_OPENING "CASE WHEN o.txn IS NULL THEN 0 ELSE 1 END"

/* pass one's reading: each record's group and date, nothing joined but its opening */
static const char r6_groups_set[] =
	"SELECT e.id, e.effective, e.kind, e.unit, " R6_SUBJ ", e.doc, " R6_OPENING
	" FROM event e LEFT JOIN opening o ON o.txn=e.txn" R6_WHERE " ORDER BY e.id";
/*
 * The same on SQLite, where it also gives R7 the span of the dates of every
 * record with a unit up to the date (cx->r7span; R7's working age, see
 * r7_events_set) and R10 the earliest registration up to the date
 * (cx->r10first, see r10_persons_set): one pass over the records for the
 * three, where R7 and R10 each scanned every record again (issue 10). It
 * reads every record up to the date and tells in C the kinds R6 leaves out
 * (r6_reference_kind: read for the span when they have a unit, passed over
 * otherwise) and whether a record is an opening entry (its transaction in
 * the few of table opening, held sorted), where SQL tested the kind against
 * the list twice per record and sought each record's transaction in
 * opening: a third of the pass's CPU.
 */
static const char r6_groups_set_span[] =
	"SELECT e.id, e.effective, e.kind, e.unit, " R6_SUBJ ", e.doc, e.txn"
	" FROM event e WHERE e.effective<=?2 AND ?1=?1 ORDER BY e.id";

/* the kinds R6 does not judge (r6_fill passes them over): those R6_WHERE leaves out */
static const char *const r6_reference_kinds[] = {
	"office.register", "jurisdiction.create", "category.add",	 "credit_code.exception",
	"card.issue",	   "person.register",	  "person.attr",	 "unit.attr",
	"document.attach", "document.file_under", "archive.category", "registration.report"};

static bool r6_kind_is(const char *kind, size_t n, const char *name)
{
	return strlen(name) == n && memcmp(kind, name, n) == 0;
}

static bool r6_reference_kind(const char *kind, size_t n)
{
	for (size_t i = 0; i < sizeof r6_reference_kinds / sizeof r6_reference_kinds[0]; i++)
		if (r6_kind_is(kind, n, r6_reference_kinds[i]))
			return true;
	return false;
}

/* the transactions of table opening, ascending (n of them; NULL when none) */
typedef struct r6_openings {
	long long *txn;
	size_t n, cap;
} r6_openings;

static int r6_openings_read(bz_rule_ctx *cx, r6_openings *o)
{
	bz_st *st = bz_stmt(cx->l, "SELECT txn FROM opening ORDER BY txn");
	if (!st)
		return bz_stmt_err();
	int rc, code = BZ_OK;
	while ((rc = bz_step(st)) == SQLITE_ROW) {
		long long *at = grow(o->txn, o->n, &o->cap, sizeof *o->txn);
		if (!at) {
			code = bz_fail(cx->l, BZ_ENOMEM, "out of memory");
			break;
		}
		o->txn = at;
		o->txn[o->n++] = bz_st_column_int64(st, 0);
	}
	if (code == BZ_OK && rc != SQLITE_DONE)
		code = bz_sqlfail(cx->l, rc);
	bz_st_reset(st);
	return code;
}

/* whether row st's transaction (column 6) is an opening's, as LEFT JOIN opening o ON o.txn=e.txn finds it */
static bool r6_opening(const r6_openings *o, bz_st *st)
{
	if (o->n == 0 || bz_st_column_type(st, 6) != BZ_ST_INTEGER)
		return false; /* a rowid equals an integer only */
	long long v = bz_st_column_int64(st, 6);
	size_t lo = 0, hi = o->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (o->txn[mid] < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < o->n && o->txn[lo] == v;
}

/* a group of pass one: its key (the columns 2–6 of r6_groups_set), its first record, its first and last dates */
typedef struct r6_group {
	char *key;
	long long first;
	char lo[BZ_DATE_LEN + 1], hi[BZ_DATE_LEN + 1];
} r6_group;

typedef struct r6_groups_tab {
	r6_group *slot;
	size_t cap, used;
} r6_groups_tab;

static uint64_t r6_hash(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603u; /* FNV-1a */
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211u;
	return h;
}

static size_t r6_find(const r6_groups_tab *t, const char *key, size_t n)
{
	size_t i = (size_t)r6_hash(key, n) & (t->cap - 1);
	while (t->slot[i].key && (strncmp(t->slot[i].key, key, n) != 0 || t->slot[i].key[n] != '\0'))
		i = (i + 1) & (t->cap - 1);
	return i;
}

static bool r6_tab_grow(r6_groups_tab *t)
{
	size_t cap = t->cap ? t->cap * 2 : 1024;
	r6_group *ns = bz__calloc(cap, sizeof *ns);
	if (!ns)
		return false;
	r6_groups_tab nt = {.slot = ns, .cap = cap, .used = t->used};
	for (size_t i = 0; i < t->cap; i++)
		if (t->slot[i].key)
			ns[r6_find(&nt, t->slot[i].key, strlen(t->slot[i].key))] = t->slot[i];
	bz__free(t->slot);
	*t = nt;
	return true;
}

static void r6_tab_free(r6_groups_tab *t)
{
	for (size_t i = 0; i < t->cap; i++)
		bz__free(t->slot[i].key);
	bz__free(t->slot);
}

/*
 * The group's key of a row of r6_groups_set into buf (n bytes, or 0: it
 * does not fit or a column holds the separator, and the row is a group of
 * its own, never settled): each column with a mark for NULL, \x1f between
 * them.
 */
static size_t r6_row_key(bz_st *st, bool opening, char *buf, size_t size)
{
	size_t n = 0;
	for (int c = 2; c <= 5; c++) {
		const char *v = col(st, c);
		size_t len = v ? strlen(v) : 0;
		if (n + len + 3 > size || (v && memchr(v, '\x1f', len)))
			return 0;
		buf[n++] = v ? 'v' : 'n';
		memcpy(buf + n, v ? v : "", len);
		n += len;
		buf[n++] = '\x1f';
	}
	/* the opening as the column R6_OPENING gives: 'v' then 0 or 1 */
	if (n + 4 > size)
		return 0;
	buf[n++] = 'v';
	buf[n++] = opening ? '1' : '0';
	buf[n++] = '\x1f';
	buf[n] = '\0';
	return n;
}

/*
 * Pass one: every record's group in memory (one per kind × unit × document
 * × opening: a few thousand on a county's ledger, not one per record), its
 * first record and its first and last dates as the checker copies them
 * (cut to a date's room, compared with strcmp as r6_group_key compares).
 */
/* whether a text is a date as GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' matches it */
static bool ymd_form(const char *v, size_t n)
{
	if (n != BZ_DATE_LEN)
		return false;
	for (size_t i = 0; i < n; i++)
		if (i == 4 || i == 7 ? v[i] != '-' : (v[i] < '0' || v[i] > '9'))
			return false;
	return true;
}

static int r6_collect(bz_rule_ctx *cx, r6_groups_tab *t)
{
	bool span = cx->l->db != NULL; /* SQLite: R7's span and R10's first registration read here too */
	r6_openings op = {0};
	int code = span ? r6_openings_read(cx, &op) : BZ_OK;
	bz_st *st = code == BZ_OK ? all_open(cx, span ? r6_groups_set_span : r6_groups_set) : NULL;
	if (!st) {
		bz__free(op.txn);
		return code != BZ_OK ? code : bz_stmt_err();
	}
	int rc;
	char key[512];
	bool any = false, bad = false, reg = false, reg_long = false;
	char lo[BZ_DATE_LEN + 1] = "", hi[BZ_DATE_LEN + 1] = "";
	char first[sizeof cx->r10first.date] = "";
	size_t first_n = 0;
	while (code == BZ_OK && (rc = bz_step(st)) == SQLITE_ROW) {
		bool opening = false;
		if (span) {
			/* a kind stored as other than text equals no name in SQL */
			const char *kind = bz_st_column_type(st, 2) == BZ_ST_TEXT ? col(st, 2) : NULL;
			size_t kn = kind ? (size_t)bz_st_column_bytes(st, 2) : 0;
			bool has_unit = bz_st_column_type(st, 3) != BZ_ST_NULL;
			if (kind && r6_kind_is(kind, kn, "person.register")) {
				/* min(effective) of the registrations read here (all up to the date), compared as
				 * SQLite compares two texts: their bytes, then their lengths */
				const char *v = col(st, 1);
				size_t vn = (size_t)bz_st_column_bytes(st, 1);
				if (bz_st_column_type(st, 1) != BZ_ST_TEXT || vn >= sizeof first) {
					reg_long = true; /* not held: R10 asks SQL */
				} else if (!reg || memcmp(v, first, vn < first_n ? vn : first_n) < 0 ||
					   (memcmp(v, first, vn < first_n ? vn : first_n) == 0 && vn < first_n)) {
					memcpy(first, v, vn);
					first[vn] = '\0';
					first_n = vn;
				}
				reg = true;
			}
			if (has_unit) {
				/* as min(effective), max(effective) and the GLOB of each over "unit IS NOT NULL" would */
				const char *v = col(st, 1);
				size_t vn = (size_t)bz_st_column_bytes(st, 1);
				if (bz_st_column_type(st, 1) != BZ_ST_TEXT || !ymd_form(v, vn)) {
					bad = true;
				} else {
					if (!any || memcmp(v, lo, BZ_DATE_LEN) < 0)
						memcpy(lo, v, BZ_DATE_LEN);
					if (!any || memcmp(v, hi, BZ_DATE_LEN) > 0)
						memcpy(hi, v, BZ_DATE_LEN);
				}
				any = true;
			}
			/* a kind R6 does not judge: read for the span only (NOT IN of a NULL kind is NULL) */
			if (kind ? r6_reference_kind(kind, kn) : bz_st_column_type(st, 2) == BZ_ST_NULL && !has_unit)
				continue;
			opening = r6_opening(&op, st);
		} else {
			opening = bz_st_column_int(st, 6) != 0;
		}
		size_t n = r6_row_key(st, opening, key, sizeof key);
		char date[BZ_DATE_LEN + 1];
		COPY(date, st, 1);
		if (n == 0) { /* a key too long to hold: its own group, never settled (judged in pass two) */
			snprintf(key, sizeof key, "\x02%lld", (long long)bz_st_column_int64(st, 0));
			n = strlen(key);
		}
		if ((t->used + 1) * 2 > t->cap && !r6_tab_grow(t)) {
			code = bz_fail(cx->l, BZ_ENOMEM, "out of memory");
			break;
		}
		r6_group *g = &t->slot[r6_find(t, key, n)];
		if (!g->key) {
			if (!(g->key = bz__strdup(key))) {
				code = bz_fail(cx->l, BZ_ENOMEM, "out of memory");
				break;
			}
			t->used++;
			g->first = bz_st_column_int64(st, 0);
			memcpy(g->lo, date, sizeof date);
			memcpy(g->hi, date, sizeof date);
			continue;
		}
		if (strcmp(date, g->lo) < 0)
			memcpy(g->lo, date, sizeof date);
		if (strcmp(date, g->hi) > 0)
			memcpy(g->hi, date, sizeof date);
	}
	if (code == BZ_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
		code = bz_sqlfail(cx->l, rc);
	bz_st_finalize(st);
	bz__free(op.txn);
	if (code == BZ_OK && span) {
		/* CAST(substr(date, 1, 4) AS INTEGER) of a date of that form is its four digits */
		cx->r7span.ready = true;
		cx->r7span.bad = bad;
		cx->r7span.empty = !any;
		cx->r7span.lo = any && !bad ? atoi(lo) - 17 : 0;
		cx->r7span.hi = any && !bad ? atoi(hi) - 70 : 0;
		cx->r10first.ready = !reg_long;
		cx->r10first.any = reg;
		memcpy(cx->r10first.date, first, first_n + 1);
		cx->r10first.n = first_n;
	}
	return code;
}

/* one record as R6_FROM reads it */
static const char r6_event_one[] =
	R6_COLS " (SELECT 1 FROM opening o WHERE o.txn=e.txn)"
	" FROM event e LEFT JOIN document d ON d.id=e.doc LEFT JOIN jurisdiction j ON j.code=d.jurisdiction"
	" WHERE e.id=?1";

/* the records of the groups pass one could not settle */
#define R6_WALKED                                                                                                \
	" AND EXISTS (SELECT 1 FROM temp.bz_r6_walk w WHERE w.kind=e.kind AND w.unit IS e.unit AND w.subj IS " R6_SUBJ \
	"  AND w.doc IS e.doc AND w.opening=" R6_OPENING ")"
static const char r6_walk_set[] = R6_COLS " o.txn" R6_FROM R6_WALKED " ORDER BY e.id";
/* the same when no group of a kind each hire writes is left: through the partial index event_kind */
static const char r6_walk_set_by_kind[] = R6_COLS " o.txn" R6_FROM " AND e." BZ_KINDS_BY_KIND
					  " AND e.kind IN (SELECT kind FROM temp.bz_r6_walk)" R6_WALKED " ORDER BY e.id";

/* whether the group of ev (its first record) has one key from date lo to date hi (both YYYY-MM-DD) */
static int r6_settled(bz_rule_ctx *cx, const r6_event *ev, const char *lo, const char *hi, bool *one)
{
	size_t a[3], b[3];
	bool ga = false, gb = false;
	*one = false;
	int rc = r6_epochs(cx, ev, lo, a, &ga);
	if (rc == BZ_OK && ga)
		rc = r6_epochs(cx, ev, hi, b, &gb);
	if (rc != BZ_OK || !ga || !gb)
		return rc;
	*one = a[0] == b[0] && a[1] == b[1] && a[2] == b[2] &&
	       (strcmp(lo, ev->ddate) < 0) == (strcmp(hi, ev->ddate) < 0);
	return BZ_OK;
}

/* whether a group is settled clean: its first record read, its key the same on its dates, and judged clean */
static int r6_group_clean(bz_rule_ctx *cx, const r6_group *g, bz_report *scratch, bool *clean, bool *skip)
{
	*clean = *skip = false;
	if (g->key[0] == '\x02')
		return BZ_OK;
	bz_st *one = bz_stmt(cx->l, r6_event_one);
	if (!one)
		return bz_stmt_err();
	bz_st_bind_int64(one, 1, g->first);
	r6_event ev;
	memset(&ev, 0, sizeof ev);
	int rc = bz_step(one);
	bool filled = rc == SQLITE_ROW && r6_fill(&ev, one);
	bz_st_reset(one);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return bz_sqlfail(cx->l, rc);
	if (rc == SQLITE_ROW && !filled) { /* a kind r6_fill passes over: no record of the group is judged */
		*skip = true;
		return BZ_OK;
	}
	if (!filled)
		return BZ_OK;
	bool one_key = false;
	int code = r6_settled(cx, &ev, g->lo, g->hi, &one_key);
	if (code != BZ_OK || !one_key)
		return code;
	bz_report *real = cx->report;
	size_t before = bz_report_count(scratch);
	cx->report = scratch;
	code = r6_judge_one(cx, &ev);
	cx->report = real;
	*clean = code == BZ_OK && bz_report_count(scratch) == before;
	return code;
}

/* judge the first record of each group; those not settled clean into temp.bz_r6_walk (*hires: one of a hire's kinds) */
static int r6_groups(bz_rule_ctx *cx, bz_report *scratch, size_t *left, bool *hires)
{
	static const char ins[] = "INSERT INTO temp.bz_r6_walk(kind, unit, subj, doc, opening) VALUES(?1,?2,?3,?4,?5)";
	*left = 0;
	*hires = false;
	r6_groups_tab t = {0};
	int code = r6_collect(cx, &t);
	bool every = false; /* a group of a record alone (its key too long): pass two reads every record */
	for (size_t i = 0; code == BZ_OK && i < t.cap; i++) {
		const r6_group *g = &t.slot[i];
		bool clean = false, skip = false;
		if (!g->key || (code = r6_group_clean(cx, g, scratch, &clean, &skip)) != BZ_OK || clean || skip)
			continue;
		if (g->key[0] == '\x02') {
			every = true;
			continue;
		}
		/* the key's columns back: kind, unit, subject, document (each 'v' value or 'n' NULL), opening */
		bz_st *w = bz_stmt(cx->l, ins);
		if (!w) {
			code = bz_stmt_err();
			break;
		}
		const char *p = g->key;
		for (int c = 1; c <= 5; c++) {
			const char *e = strchr(p, '\x1f');
			size_t len = (size_t)(e - p) - 1;
			if (c == 1 && (strncmp(p + 1, "person.register", len) == 0 || strncmp(p + 1, "placement.enter", len) == 0 ||
				       strncmp(p + 1, "placement.transfer_in", len) == 0))
				*hires = true;
			if (c == 5)
				bz_st_bind_int64(w, 5, p[1] == '1');
			else if (p[0] == 'n')
				bz_st_bind_null(w, c);
			else
				bz_bind_textn(w, c, p + 1, (int)len);
			p = e + 1;
		}
		if ((code = bz_step_done(cx->l, w)) == BZ_OK)
			(*left)++;
	}
	r6_tab_free(&t);
	if (code == BZ_OK && every) {
		*left = SIZE_MAX;
		*hires = true;
	}
	return code;
}

int bz_records_r6(bz_rule_ctx *cx)
{
	if (!set_based(cx))
		return walk(cx, SCOPE_OPEN(cx, r6_events), sizeof(r6_event), true, r6_fill, r6_judge);
	int code = bz_exec(cx->l, "CREATE TEMP TABLE IF NOT EXISTS bz_r6_walk(kind TEXT, unit TEXT, subj TEXT, doc TEXT,"
				  " opening INTEGER)");
	if (code == BZ_OK)
		code = bz_exec(cx->l, "DELETE FROM temp.bz_r6_walk");
	if (code != BZ_OK)
		return code;
	bz_report *scratch = bz_report_new();
	if (!scratch)
		return bz_fail(cx->l, BZ_ENOMEM, "out of memory");
	size_t left = 0;
	bool hires = false;
	code = r6_groups(cx, scratch, &left, &hires);
	bz_report_free(scratch);
	if (code == BZ_OK && left == SIZE_MAX) /* a key too long to group by: every record, as the oracle reads them */
		code = walk(cx, all_open(cx, r6_events_all), sizeof(r6_event), true, r6_fill, r6_judge);
	else if (code == BZ_OK && left)
		code = walk(cx, all_open(cx, hires ? r6_walk_set : r6_walk_set_by_kind), sizeof(r6_event), true, r6_fill,
			    r6_judge);
	bz_store_exec_quiet(cx->l->store, "DELETE FROM temp.bz_r6_walk");
	return code;
}

/* ---- R7 -------------------------------------------------------------------------- */

static int age_at(const char *birth, const char *date)
{
	int by = atoi(birth), bm = atoi(birth + 5), bd = atoi(birth + 8);
	int y = atoi(date), m = atoi(date + 5), d = atoi(date + 8);
	int age = y - by;
	if (m < bm || (m == bm && d < bd))
		age--;
	return age;
}

SCOPED(r7_events,
       "SELECT e.id, e.kind, e.unit, e.effective, e.doc, u.founded,"
       " (SELECT min(effective) FROM fact WHERE subject=u.id AND attr='status' AND after<>'1'),"
       " (SELECT min(event) FROM fact WHERE subject=u.id AND attr='status' AND after<>'1'),"
       " p.person, pe.name, pe.birth, p.category,"
       " (SELECT f.after FROM fact f WHERE f.event=e.id AND f.attr='parent')"
       " FROM event e JOIN unit u ON u.id=e.unit"
       /* an entry's record has the placement as its subject: reached by its key, not by a scan */
       " LEFT JOIN placement p ON p.id=e.subject AND p.event=e.id LEFT JOIN person pe ON pe.id=p.person",
       "AND e.kind NOT IN ('card.issue') AND e.kind NOT LIKE 'registration.%' ORDER BY e.id");

/*
 * The records r7_one could fault, found set by set instead of reading every
 * record with its unit, end and supervising unit: a unit's records before
 * its founding and from its end on (a range of event_unit per unit), every
 * change of supervising unit (the cycle walk stays C), and the entries of
 * persons outside working age (at the default ages 16–70; every entry when
 * a working-age parameter exists at all or a date is not YYYY-MM-DD). The
 * candidates are then read as r7_events reads them, in record order.
 *
 * A unit's end is looked up unit by unit (fact_timeline), not by a scan of
 * every fact for the status ones: a record is judged here only with its
 * unit's row, so the ends of subjects that are no unit are never asked.
 *
 * The working age is judged from the person's row alone, without joining
 * every entry with its person (most of R7's time, issue 10): one scan of
 * event_unit gives the first and last dates any record of a unit has (span:
 * a record with no unit is not judged here), and a
 * person born in a year `by` is 16 to 70 on every day from the first to
 * the last when y(first) - by - 1 >= 16 and y(last) - by <= 70 (an age is
 * y - by, or one less before the birthday): span holds y(first) - 17 and
 * y(last) - 70, and a person born outside them is a candidate. Only the
 * entries of those persons are candidates — all of them when a record's
 * date or a birth date is not YYYY-MM-DD, or a working-age parameter exists
 * (span's bad).
 *
 * On a server span is that scan (R7_SPAN_SCAN). On SQLite it is read by
 * R6's pass one, which reads every record up to the date anyway
 * (cx->r7span, R7_SPAN_GIVEN): ?5 and ?6 the bounds (NULL: no record with a
 * unit), ?7 1 when a date is not YYYY-MM-DD. Only the records up to the
 * date count there, as only those are judged here (the scan's span, of
 * every date, is wider, never narrower); the working-age parameter is still
 * asked here.
 */
#define R7_SPAN_SCAN                                                                                          \
	" span(lo, hi, bad) AS (SELECT CAST(substr(min(effective),1,4) AS INTEGER)-17,"                       \
	"  CAST(substr(max(effective),1,4) AS INTEGER)-70,"                                                   \
	"  max(CASE WHEN effective NOT GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' THEN 1 ELSE 0 END)" \
	"  + CASE WHEN EXISTS (SELECT 1 FROM fact WHERE subject=?4 AND attr IN ('working_age.min','working_age.max'))" \
	"  THEN 1 ELSE 0 END"                                                                                 \
	"  FROM event WHERE unit IS NOT NULL),"
#define R7_SPAN_GIVEN                                                                                         \
	" span(lo, hi, bad) AS (SELECT ?5, ?6, ?7"                                                            \
	"  + CASE WHEN EXISTS (SELECT 1 FROM fact WHERE subject=?4 AND attr IN ('working_age.min','working_age.max'))" \
	"  THEN 1 ELSE 0 END),"

#define R7_EVENTS_SET(span) \
	"WITH ends AS (SELECT u.id AS subject, (SELECT min(effective) FROM fact WHERE subject=u.id AND attr='status'" \
	"  AND after<>'1') AS ended FROM unit u)," \
	span " cand(id) AS (SELECT e.id FROM unit u CROSS JOIN event e WHERE e.unit=u.id AND e.effective<u.founded" \
	"  UNION SELECT e.id FROM ends x CROSS JOIN event e WHERE e.unit=x.subject AND e.effective>=x.ended" \
	"  UNION SELECT f.event FROM fact f WHERE f.attr='parent'" \
	"  UNION SELECT p.event FROM span r CROSS JOIN person pe CROSS JOIN placement p ON p.person=pe.id" \
	"   WHERE COALESCE(pe.birth,'')<>'' AND (r.bad>0 OR r.lo IS NULL" \
	"   OR pe.birth NOT GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'" \
	"   OR CAST(substr(pe.birth,1,4) AS INTEGER)>r.lo OR CAST(substr(pe.birth,1,4) AS INTEGER)<r.hi))" \
	" SELECT e.id, e.kind, e.unit, e.effective, e.doc, u.founded," \
	" (SELECT min(effective) FROM fact WHERE subject=u.id AND attr='status' AND after<>'1')," \
	" (SELECT min(event) FROM fact WHERE subject=u.id AND attr='status' AND after<>'1')," \
	" p.person, pe.name, pe.birth, p.category," \
	" (SELECT f.after FROM fact f WHERE f.event=e.id AND f.attr='parent')" \
	" FROM cand CROSS JOIN event e ON e.id=cand.id JOIN unit u ON u.id=e.unit" \
	" LEFT JOIN placement p ON p.id=e.subject AND p.event=e.id LEFT JOIN person pe ON pe.id=p.person" \
	" WHERE e.effective<=?2 AND ?1=?1 AND e.kind NOT IN ('card.issue') ORDER BY e.id"
static const char r7_events_set[] = R7_EVENTS_SET(R7_SPAN_SCAN);
static const char r7_events_set_span[] = R7_EVENTS_SET(R7_SPAN_GIVEN);

typedef struct r7_event {
	char kind[40], unit[BZ_UUID_LEN + 1], effective[BZ_DATE_LEN + 1], doc[BZ_UUID_LEN + 1];
	char founded[BZ_DATE_LEN + 1], ended[BZ_DATE_LEN + 1];
	char person[BZ_UUID_LEN + 1], pname[128], birth[BZ_DATE_LEN + 1], cat[24], parent[BZ_UUID_LEN + 1];
	long long id, end_event; /* the record, and the record that ended the unit */
} r7_event;

/* the first date after `after` on which a unit's supervising unit changes, "" if none */
static int next_parent_change(bz_ledger *l, const char *unit, const char *after, char out[BZ_DATE_LEN + 1])
{
	static const char sql[] = "SELECT min(effective) FROM fact WHERE subject=?1 AND attr='parent' AND effective>?2";
	bz_st *st = bz_stmt(l, sql);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, unit);
	bz_bind_text(st, 2, after);
	int r = bz_step(st);
	snprintf(out, BZ_DATE_LEN + 1, "%s", r == SQLITE_ROW && col(st, 0) ? col(st, 0) : "");
	bz_st_reset(st);
	return r == SQLITE_ROW ? BZ_OK : bz_sqlfail(l, r);
}

/*
 * Whether unit, put under `from` on date, comes back to itself following
 * supervising units — on date or on any later day while it stays under
 * `from` (up to `until` if given): a change dated in the past must leave
 * every later state valid too, so the chain is walked again on each later
 * date one of its units changes its supervising unit. *when gets the first
 * date of a cycle.
 */
static int parent_cycle(bz_ledger *l, const char *unit, const char *from, const char *date, const char *until,
			bool *cycle, char when[BZ_DATE_LEN + 1])
{
	char at[BZ_DATE_LEN + 1], stay[BZ_DATE_LEN + 1];
	snprintf(at, sizeof at, "%s", date);
	*cycle = false;
	int rc = next_parent_change(l, unit, date, stay);
	while (rc == BZ_OK) {
		char cur[BZ_UUID_LEN + 1], next_date[BZ_DATE_LEN + 1] = "";
		snprintf(cur, sizeof cur, "%s", from);
		for (int hops = 0; hops < 64 && cur[0]; hops++) {
			if (strcmp(cur, unit) == 0) {
				*cycle = true;
				snprintf(when, BZ_DATE_LEN + 1, "%s", at);
				return BZ_OK;
			}
			/* the chain holds until the first of its units changes its supervising unit */
			char change[BZ_DATE_LEN + 1], *next = NULL;
			if ((rc = next_parent_change(l, cur, at, change)) != BZ_OK ||
			    (rc = bz_fact_at(l, &next, cur, "parent", at)) != BZ_OK)
				return rc;
			if (change[0] && (!next_date[0] || strcmp(change, next_date) < 0))
				snprintf(next_date, sizeof next_date, "%s", change);
			snprintf(cur, sizeof cur, "%s", next ? next : "");
			bz__free(next);
		}
		if (!next_date[0] || (stay[0] && strcmp(next_date, stay) >= 0) || (until && strcmp(next_date, until) > 0))
			break;
		snprintf(at, sizeof at, "%s", next_date);
	}
	return rc;
}

static int r7_one(bz_rule_ctx *cx, const r7_event *ev)
{
	bz_ledger *l = cx->l;
	char *uname = NULL;
	const char *doc = ev->doc[0] ? ev->doc : NULL;
	int rc = BZ_OK;
	/* the unit's name only for a violation's message (most records raise none) */
#define R7_NAMED()                                                                                         \
	do {                                                                                               \
		if (!uname && (rc = bz_rx_unit_name_at(cx, ev->unit, ev->effective, &uname)) != BZ_OK)    \
			goto done;                                                                         \
	} while (0)
	if (strcmp(ev->effective, ev->founded) < 0) {
		R7_NAMED();
		rc = bz_raise(cx, BZ_VIO(.rule = BZ_RULE_R7, .severity = BZ_SEVERITY_ERROR, .subject = ev->unit,
					 .subject_name = uname, .date = ev->effective, .document = doc),
			      "R7 演变过程无间断: %s was founded on %s; no change (%s) may be dated %s, before its founding",
			      uname, ev->founded, ev->kind, ev->effective);
		goto done;
	}
	/* on the day it ends a unit may still cut and hand over what it had, before the record that ends it */
	if (ev->ended[0] && (strcmp(ev->effective, ev->ended) > 0 ||
			     (strcmp(ev->effective, ev->ended) == 0 && ev->id > ev->end_event))) {
		R7_NAMED();
		rc = bz_raise(cx, BZ_VIO(.rule = BZ_RULE_R7, .severity = BZ_SEVERITY_ERROR, .subject = ev->unit,
					 .subject_name = uname, .date = ev->effective, .document = doc),
			      "R7 演变过程无间断: %s ceased (撤销/合并) on %s; no change (%s) may be dated %s, after its end",
			      uname, ev->ended, ev->kind, ev->effective);
		goto done;
	}
	if (ev->person[0] && ev->birth[0]) {
		int64_t lo = 16, hi = 70;
		if ((rc = bz_rx_param_int_at(cx, &lo, "working_age.min", ev->effective, 16)) != BZ_OK ||
		    (rc = bz_rx_param_int_at(cx, &hi, "working_age.max", ev->effective, 70)) != BZ_OK)
			goto done;
		int age = strcmp(ev->effective, ev->birth) < 0 ? -1 : age_at(ev->birth, ev->effective);
		if (age < lo || age > hi) {
			R7_NAMED();
			rc = bz_raise(cx, BZ_VIO(.rule = BZ_RULE_R7, .severity = BZ_SEVERITY_ERROR, .subject = ev->person,
						 .subject_name = ev->pname, .category = ev->cat, .allowed = age < lo ? lo : hi,
						 .actual = age, .date = ev->effective, .document = doc),
				      "R7: %s (born %s) cannot enter %s on %s: working age is %lld to %lld", ev->pname,
				      ev->birth, uname, ev->effective, (long long)lo, (long long)hi);
		}
	}
	if (rc == BZ_OK && ev->parent[0]) {
		bool alive = false, cycle = false;
		char *pname = NULL, when[BZ_DATE_LEN + 1] = "";
		if ((rc = bz_unit_alive(l, ev->parent, ev->effective, &alive)) != BZ_OK ||
		    (rc = parent_cycle(l, ev->unit, ev->parent, ev->effective, cx->until, &cycle,
				       when)) != BZ_OK ||
		    (rc = bz_unit_name_at(l, ev->parent, ev->effective, &pname)) != BZ_OK ||
		    ((!alive || cycle) && !uname &&
		     (rc = bz_rx_unit_name_at(cx, ev->unit, ev->effective, &uname)) != BZ_OK)) {
			bz__free(pname);
			goto done;
		}
		if (!alive)
			rc = bz_raise(cx, BZ_VIO(.rule = BZ_RULE_R7, .severity = BZ_SEVERITY_ERROR, .subject = ev->parent,
						 .subject_name = pname, .date = ev->effective, .document = doc),
				      "R7 演变过程无间断: the supervising unit %s of %s is not in being on %s", pname, uname,
				      ev->effective);
		if (rc == BZ_OK && cycle)
			rc = bz_raise(cx, BZ_VIO(.rule = BZ_RULE_R7, .severity = BZ_SEVERITY_ERROR, .subject = ev->unit,
						 .subject_name = uname, .category = "parent-cycle", .date = when,
						 .document = doc),
				      "R7 隶属关系: %s under %s from %s closes a cycle of supervising units on %s", uname,
				      pname, ev->effective, when);
		bz__free(pname);
	}
done:
#undef R7_NAMED
	bz__free(uname);
	return rc;
}

static bool r7_fill(void *el, bz_st *st)
{
	r7_event *ev = el;
	ev->id = bz_st_column_int64(st, 0);
	COPY(ev->kind, st, 1);
	COPY(ev->unit, st, 2);
	COPY(ev->effective, st, 3);
	COPY(ev->doc, st, 4);
	COPY(ev->founded, st, 5);
	COPY(ev->ended, st, 6);
	ev->end_event = bz_st_column_int64(st, 7);
	COPY(ev->person, st, 8);
	COPY(ev->pname, st, 9);
	COPY(ev->birth, st, 10);
	COPY(ev->cat, st, 11);
	COPY(ev->parent, st, 12);
	return true;
}

static int r7_judge(bz_rule_ctx *cx, const void *els, size_t n)
{
	int code = BZ_OK;
	for (size_t i = 0; code == BZ_OK && i < n; i++)
		code = r7_one(cx, (const r7_event *)els + i);
	return code;
}

int bz_records_r7(bz_rule_ctx *cx)
{
	if (!set_based(cx))
		return walk(cx, SCOPE_OPEN(cx, r7_events), sizeof(r7_event), true, r7_fill, r7_judge);
	if (!cx->r7span.ready) /* R6's pass one did not read it (a server) */
		return walk(cx, all_open(cx, r7_events_set), sizeof(r7_event), true, r7_fill, r7_judge);
	cx->r7span.ready = false;
	bz_st *st = all_open(cx, r7_events_set_span);
	if (st) {
		if (cx->r7span.empty) {
			bz_st_bind_null(st, 5);
			bz_st_bind_null(st, 6);
		} else {
			bz_st_bind_int64(st, 5, cx->r7span.lo);
			bz_st_bind_int64(st, 6, cx->r7span.hi);
		}
		bz_st_bind_int64(st, 7, cx->r7span.bad);
	}
	return walk(cx, st, sizeof(r7_event), true, r7_fill, r7_judge);
}

/* ---- R8 ---------------------------------------------------------------------------- */

/*
 * The hires in scope with their slips, and each hire's place in its slip's
 * order of recording: at commit counted for the transaction's few hires, in
 * the self-inspection numbered for every hire at once (a count per hire
 * there would read each slip's hires once per hire).
 */
/* At commit a hire's place counts every hire of its slip recorded by another
 * transaction (committed: they came first) and its own transaction's hires up
 * to it. On SQLite that is rowid order; on PostgreSQL placement rowids are
 * given at insert and interleave between writers, so a hire inserted early
 * and committed late would count only the hires inserted before it
 * (src/store.h 4, tests/test_race.c slip_last_posts). */
static const char r8_hires_txn[] =
	"SELECT p.unit, p.category, p.entry, e.doc, p.slip, s.number, s.unit, s.category, s.posts, s.issued,"
	" s.valid_until, x.date,"
	" (SELECT count(*) FROM placement q WHERE q.slip=p.slip AND (q.rowid<=p.rowid"
	"  OR NOT EXISTS (SELECT 1 FROM event f WHERE f.id=q.event AND f.txn=?1))),"
	" (SELECT 1 FROM opening o WHERE o.txn=e.txn)"
	" FROM event e JOIN placement p ON p.id=e.subject AND p.event=e.id LEFT JOIN slip s ON s.id=p.slip"
	" LEFT JOIN slip_end x ON x.slip=p.slip"
	" WHERE e.id>=?3 AND e.txn=?1 AND e.kind IN ('placement.enter','placement.transfer_in') ORDER BY e.id";
static const char r8_hires_all[] =
	"SELECT p.unit, p.category, p.entry, e.doc, p.slip, s.number, s.unit, s.category, s.posts, s.issued,"
	" s.valid_until, x.date, p.nth, (SELECT 1 FROM opening o WHERE o.txn=e.txn)"
	" FROM event e JOIN (SELECT id, unit, category, entry, slip, event,"
	"  CASE WHEN slip IS NULL THEN 0 ELSE row_number() OVER (PARTITION BY slip ORDER BY rowid) END AS nth"
	"  FROM placement) p ON p.id=e.subject AND p.event=e.id LEFT JOIN slip s ON s.id=p.slip"
	" LEFT JOIN slip_end x ON x.slip=p.slip"
	" WHERE e.effective<=?2 AND ?1=?1 AND e.kind IN ('placement.enter','placement.transfer_in') ORDER BY e.id";

/*
 * PostgreSQL: the self-inspection numbers a slip's hires in commit order, as
 * the commit check counts them (another transaction's hires came first):
 * placement rowids are given at insert and interleave between writers, so
 * there the order is the chain position of the entry's record
 * (record_chain.rowid, given at commit under the chain lock: store.h 4), a
 * hire not chained yet (this handle's open transaction) last, then the
 * placement rowid. On SQLite one writer inserts a placement with its entry
 * record, so rowid order is record order is commit order: its SQL stays.
 */
#define R8_PG_ORDER(p, c) "COALESCE(" c ".rowid, 9223372036854775807), " p ".rowid"
static const char r8_hires_all_pg[] =
	"SELECT p.unit, p.category, p.entry, e.doc, p.slip, s.number, s.unit, s.category, s.posts, s.issued,"
	" s.valid_until, x.date, p.nth, (SELECT 1 FROM opening o WHERE o.txn=e.txn)"
	" FROM event e JOIN (SELECT q.id, q.unit, q.category, q.entry, q.slip, q.event,"
	"  CASE WHEN q.slip IS NULL THEN 0 ELSE row_number() OVER (PARTITION BY q.slip ORDER BY " R8_PG_ORDER("q", "qc") ")"
	"  END AS nth FROM placement q LEFT JOIN record_chain qc ON qc.seq=q.event) p ON p.id=e.subject AND p.event=e.id"
	" LEFT JOIN slip s ON s.id=p.slip LEFT JOIN slip_end x ON x.slip=p.slip"
	" WHERE e.effective<=?2 AND ?1=?1 AND e.kind IN ('placement.enter','placement.transfer_in') ORDER BY e.id";

/*
 * The hires r8_one could fault, found set by set instead of numbering every
 * hire of the ledger: one pass over the placements with their slips (no
 * slip, a slip missing, of another unit or category, ended, or not valid on
 * the day), and every hire of a slip that has more hires than posts (counted
 * per slip on placement_slip). The candidates are then read as r8_hires
 * reads them — a hire's place in its slip counted among all of its slip's
 * hires — in record order.
 */
/* the candidates (over, cand) and the columns before a hire's place in its slip */
#define R8_SET_HEAD                                                                                           \
	"WITH over(slip) AS (SELECT c.slip FROM (SELECT slip, count(*) AS n FROM placement WHERE slip IS NOT NULL" \
	"   GROUP BY slip) c JOIN slip s ON s.id=c.slip WHERE c.n>s.posts),"                                      \
	" cand(id) AS (SELECT p.event FROM placement p LEFT JOIN slip s ON s.id=p.slip"                           \
	"   LEFT JOIN slip_end x ON x.slip=p.slip"                                                                \
	"   WHERE COALESCE(p.slip,'')='' OR s.id IS NULL OR COALESCE(s.number,'')='' OR s.unit IS NOT p.unit"    \
	"   OR s.category IS NOT p.category OR x.slip IS NOT NULL OR COALESCE(p.entry,'')<COALESCE(s.issued,'')"  \
	"   OR COALESCE(p.entry,'')>COALESCE(s.valid_until,'')"                                                   \
	"  UNION SELECT p.event FROM over o CROSS JOIN placement p WHERE p.slip=o.slip)"                          \
	" SELECT p.unit, p.category, p.entry, e.doc, p.slip, s.number, s.unit, s.category, s.posts, s.issued,"   \
	" s.valid_until, x.date,"
/* the rows after the place: the hire's record, placement, slip and end */
#define R8_SET_FROM(chain_join)                                                                                \
	" (SELECT 1 FROM opening o WHERE o.txn=e.txn)"                                                         \
	" FROM cand CROSS JOIN event e ON e.id=cand.id JOIN placement p ON p.id=e.subject AND p.event=e.id"    \
	chain_join " LEFT JOIN slip s ON s.id=p.slip LEFT JOIN slip_end x ON x.slip=p.slip"                    \
	" WHERE e.effective<=?2 AND ?1=?1 AND e.kind IN ('placement.enter','placement.transfer_in') ORDER BY e.id"
static const char r8_hires_set[] =
	R8_SET_HEAD " (SELECT count(*) FROM placement q WHERE q.slip=p.slip AND q.rowid<=p.rowid)," R8_SET_FROM("");

/*
 * The same candidates found in C during the placements' one pass of the
 * self-inspection (SQLite; bz_r8_pass_*): each placement tested against its
 * slip from a hash of the slips (temp.bz_r8_cand), and each slip with more
 * hires than posts (temp.bz_r8_over) — where the query above joined every
 * placement with its slip and its end and grouped them all again by slip
 * (0.05 s of CPU on the benchmark's 50,000 hires, issue 10). Then read as
 * r8_hires_set reads them; with no candidate, not run at all.
 */
static const char r8_hires_cand[] =
	"WITH cand(id) AS (SELECT id FROM temp.bz_r8_cand"
	"  UNION SELECT p.event FROM temp.bz_r8_over o CROSS JOIN placement p WHERE p.slip=o.slip)"
	" SELECT p.unit, p.category, p.entry, e.doc, p.slip, s.number, s.unit, s.category, s.posts, s.issued,"
	" s.valid_until, x.date,"
	" (SELECT count(*) FROM placement q WHERE q.slip=p.slip AND q.rowid<=p.rowid)," R8_SET_FROM("");

/* a slip as the pass holds it: its texts (NULL: not a text, so never equal), posts, and its hires counted */
typedef struct r8_slip {
	char *id; /* NULL: a free slot */
	size_t idlen;
	char *texts; /* id and the four below, one allocation */
	char *unit, *cat, *issued, *until;
	size_t unitlen, catlen, issuedlen, untillen;
	int64_t posts, hires;
	bool every; /* every hire of it is a candidate: no number, ended, or a column not as the library writes it */
} r8_slip;

typedef struct bz_r8_pass {
	r8_slip *slot;
	size_t cap, used;
} bz_r8_pass;

static size_t r8_find(const bz_r8_pass *t, const char *id, size_t n)
{
	size_t i = (size_t)r6_hash(id, n) & (t->cap - 1);
	while (t->slot[i].id && (t->slot[i].idlen != n || memcmp(t->slot[i].id, id, n) != 0))
		i = (i + 1) & (t->cap - 1);
	return i;
}

static bool r8_pass_grow(bz_r8_pass *t)
{
	size_t cap = t->cap ? t->cap * 2 : 1024;
	r8_slip *ns = bz__calloc(cap, sizeof *ns);
	if (!ns)
		return false;
	bz_r8_pass nt = {.slot = ns, .cap = cap, .used = t->used};
	for (size_t i = 0; i < t->cap; i++)
		if (t->slot[i].id)
			ns[r8_find(&nt, t->slot[i].id, t->slot[i].idlen)] = t->slot[i];
	bz__free(t->slot);
	*t = nt;
	return true;
}

void bz_r8_pass_free(bz_rule_ctx *cx)
{
	bz_r8_pass *t = cx->r8;
	if (!t)
		return;
	for (size_t i = 0; i < t->cap; i++)
		if (t->slot[i].id) {
			bz__free(t->slot[i].texts);
		}
	bz__free(t->slot);
	bz__free(t);
	cx->r8 = NULL;
}

/* a text column copied (with a NUL after it) into *out at *at, its length in *len; NULL: not a text */
static void r8_text(bz_st *st, int i, char *buf, size_t *at, char **out, size_t *len)
{
	*out = NULL;
	*len = 0;
	if (bz_st_column_type(st, i) != BZ_ST_TEXT)
		return;
	const char *v = col(st, i);
	size_t n = (size_t)bz_st_column_bytes(st, i);
	memcpy(buf + *at, v, n);
	buf[*at + n] = '\0';
	*out = buf + *at;
	*len = n;
	*at += n + 1;
}

int bz_r8_pass_begin(bz_rule_ctx *cx)
{
	/* the slips, then their ends (few) marked in the hash: no seek into slip_end per slip */
	static const char sql[] = "SELECT id, number, unit, category, posts, issued, valid_until FROM slip";
	static const char ends[] = "SELECT slip FROM slip_end";
	cx->r8_ready = false;
	int code = bz_exec(cx->l, "CREATE TEMP TABLE IF NOT EXISTS bz_r8_cand(id INTEGER PRIMARY KEY)");
	if (code == BZ_OK)
		code = bz_exec(cx->l, "CREATE TEMP TABLE IF NOT EXISTS bz_r8_over(slip TEXT PRIMARY KEY) WITHOUT ROWID");
	if (code == BZ_OK)
		code = bz_exec(cx->l, "DELETE FROM temp.bz_r8_cand");
	if (code == BZ_OK)
		code = bz_exec(cx->l, "DELETE FROM temp.bz_r8_over");
	if (code != BZ_OK)
		return code;
	if (!(cx->r8 = bz__calloc(1, sizeof *cx->r8)))
		return bz_fail(cx->l, BZ_ENOMEM, "out of memory");
	bz_r8_pass *t = cx->r8;
	bz_st *st = NULL;
	int rc = bz_store_prepare(cx->l->store, &st, sql);
	if (rc != SQLITE_OK)
		return bz_sqlfail(cx->l, rc);
	while (code == BZ_OK && (rc = bz_step(st)) == SQLITE_ROW) {
		if (bz_st_column_type(st, 0) != BZ_ST_TEXT)
			continue; /* equal to no placement's slip (a text): its hires are candidates as slips not found */
		if ((t->used + 1) * 2 > t->cap && !r8_pass_grow(t)) {
			code = bz_fail(cx->l, BZ_ENOMEM, "out of memory");
			break;
		}
		const char *id = col(st, 0);
		size_t idlen = (size_t)bz_st_column_bytes(st, 0);
		r8_slip *sl = &t->slot[r8_find(t, id, idlen)];
		if (sl->id)
			continue; /* the primary key: never twice */
		size_t room = idlen + (size_t)bz_st_column_bytes(st, 2) + (size_t)bz_st_column_bytes(st, 3) +
			      (size_t)bz_st_column_bytes(st, 5) + (size_t)bz_st_column_bytes(st, 6) + 5;
		char *buf = bz__malloc(room);
		if (!buf) {
			code = bz_fail(cx->l, BZ_ENOMEM, "out of memory");
			break;
		}
		memcpy(buf, id, idlen);
		buf[idlen] = '\0';
		sl->id = sl->texts = buf;
		sl->idlen = idlen;
		t->used++;
		size_t at = idlen + 1;
		r8_text(st, 2, buf, &at, &sl->unit, &sl->unitlen);
		r8_text(st, 3, buf, &at, &sl->cat, &sl->catlen);
		r8_text(st, 5, buf, &at, &sl->issued, &sl->issuedlen);
		r8_text(st, 6, buf, &at, &sl->until, &sl->untillen);
		/* COALESCE(s.number,'')='' or an end: every hire; a column the library writes as a text (or
		 * posts as an integer) holding something else: every hire too (more candidates, never fewer) */
		sl->every = bz_st_column_type(st, 1) != BZ_ST_TEXT || bz_st_column_bytes(st, 1) == 0 || !sl->unit ||
			    !sl->cat || !sl->issued || !sl->until || bz_st_column_type(st, 4) != BZ_ST_INTEGER;
		sl->posts = bz_st_column_int64(st, 4);
	}
	if (code == BZ_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
		code = bz_sqlfail(cx->l, rc);
	bz_st_finalize(st);
	st = NULL;
	if (code != BZ_OK)
		return code;
	/* x.slip IS NOT NULL after "LEFT JOIN slip_end x ON x.slip=s.id": an end's slip equal to a slip's id */
	if ((rc = bz_store_prepare(cx->l->store, &st, ends)) != SQLITE_OK)
		return bz_sqlfail(cx->l, rc);
	while ((rc = bz_step(st)) == SQLITE_ROW)
		if (t->cap && bz_st_column_type(st, 0) == BZ_ST_TEXT) {
			r8_slip *sl = &t->slot[r8_find(t, col(st, 0), (size_t)bz_st_column_bytes(st, 0))];
			if (sl->id)
				sl->every = true;
		}
	if (rc != SQLITE_DONE)
		code = bz_sqlfail(cx->l, rc);
	bz_st_finalize(st);
	return code;
}

/* a column equal to a slip's text as "IS" compares two TEXT columns (BINARY); a slip's NULL text never is */
static bool r8_same(bz_st *st, int i, const char *v, size_t n)
{
	return v && bz_st_column_type(st, i) == BZ_ST_TEXT && (size_t)bz_st_column_bytes(st, i) == n &&
	       memcmp(col(st, i), v, n) == 0;
}

/* the sign of a text column against a slip's text, as SQLite's BINARY compares two texts */
static int r8_cmp(bz_st *st, int i, const char *v, size_t n)
{
	size_t m = (size_t)bz_st_column_bytes(st, i);
	int c = memcmp(col(st, i), v, m < n ? m : n);
	return c ? c : (m > n) - (m < n);
}

static int r8_candidate(bz_rule_ctx *cx, bz_st *st)
{
	if (bz_st_column_type(st, 4) != BZ_ST_INTEGER)
		return BZ_OK; /* equal to no record's id: the candidate would join no record */
	bz_st *w = bz_stmt(cx->l, "INSERT OR IGNORE INTO temp.bz_r8_cand(id) VALUES(?1)");
	if (!w)
		return bz_stmt_err();
	bz_st_bind_int64(w, 1, bz_st_column_int64(st, 4));
	return bz_step_done(cx->l, w);
}

/* columns: 0 unit, 1 category, 2 entry, 3 slip, 4 event (bz_placement_fn) */
int bz_r8_pass_row(void *ctx, bz_st *st)
{
	bz_rule_ctx *cx = ctx;
	bz_r8_pass *t = cx->r8;
	/* COALESCE(p.slip,'')='' or no slip s.id=p.slip (a slip id is a text; a slip not a text matches none) */
	if (bz_st_column_type(st, 3) != BZ_ST_TEXT || bz_st_column_bytes(st, 3) == 0 || !t->cap)
		return r8_candidate(cx, st);
	r8_slip *sl = &t->slot[r8_find(t, col(st, 3), (size_t)bz_st_column_bytes(st, 3))];
	if (!sl->id)
		return r8_candidate(cx, st);
	sl->hires++;
	/* s.unit IS NOT p.unit, s.category IS NOT p.category, the entry before the issue or after the validity
	 * (COALESCE(p.entry,'') against texts: an entry not a text is a candidate) */
	if (sl->every || !r8_same(st, 0, sl->unit, sl->unitlen) || !r8_same(st, 1, sl->cat, sl->catlen) ||
	    bz_st_column_type(st, 2) != BZ_ST_TEXT || r8_cmp(st, 2, sl->issued, sl->issuedlen) < 0 ||
	    r8_cmp(st, 2, sl->until, sl->untillen) > 0)
		return r8_candidate(cx, st);
	return BZ_OK;
}

int bz_r8_pass_end(bz_rule_ctx *cx)
{
	bz_r8_pass *t = cx->r8;
	int code = BZ_OK;
	for (size_t i = 0; t && code == BZ_OK && i < t->cap; i++) {
		const r8_slip *sl = &t->slot[i];
		/* more hires than posts (a slip whose posts are not an integer is "every" already) */
		if (!sl->id || sl->every || sl->hires <= sl->posts)
			continue;
		bz_st *w = bz_stmt(cx->l, "INSERT OR IGNORE INTO temp.bz_r8_over(slip) VALUES(?1)");
		if (!w)
			code = bz_stmt_err();
		else {
			bz_bind_textn(w, 1, sl->id, (int)sl->idlen);
			code = bz_step_done(cx->l, w);
		}
	}
	bz_r8_pass_free(cx);
	cx->r8_ready = code == BZ_OK;
	return code;
}

/* whether the pass found any hire R8 could fault */
static int r8_any(bz_rule_ctx *cx, bool *any)
{
	bz_st *st = bz_stmt(cx->l, "SELECT EXISTS (SELECT 1 FROM temp.bz_r8_cand) OR EXISTS (SELECT 1 FROM temp.bz_r8_over)");
	if (!st)
		return bz_stmt_err();
	int rc = bz_step(st);
	*any = rc == SQLITE_ROW && bz_st_column_int(st, 0) != 0;
	bz_st_reset(st);
	return rc == SQLITE_ROW ? BZ_OK : bz_sqlfail(cx->l, rc);
}

/* the same, numbered in commit order (r8_hires_all_pg) */
static const char r8_hires_set_pg[] =
	R8_SET_HEAD " (SELECT count(*) FROM placement q LEFT JOIN record_chain qc ON qc.seq=q.event WHERE q.slip=p.slip"
	"  AND (" R8_PG_ORDER("q", "qc") ") <= (" R8_PG_ORDER("p", "pc") "))," R8_SET_FROM(
		" LEFT JOIN record_chain pc ON pc.seq=p.event");

/*
 * A slip's posts go to its hires in the order they were recorded (as the
 * hire's counters consumed them): a hire dated back before one already
 * recorded on a full slip finds it exhausted, whatever its date.
 */
typedef struct r8_hire {
	char unit[BZ_UUID_LEN + 1], cat[24], date[BZ_DATE_LEN + 1], doc[BZ_UUID_LEN + 1], slip[BZ_UUID_LEN + 1];
	char number[64], sunit[BZ_UUID_LEN + 1], scat[24], issued[BZ_DATE_LEN + 1], until[BZ_DATE_LEN + 1];
	char cancelled[BZ_DATE_LEN + 1];
	int posts;
	long long nth;
	bool opening; /* an opening entry: the opening document stands for its slip (opening.h) */
} r8_hire;

static int r8_one(bz_rule_ctx *cx, const r8_hire *h)
{
	char *uname = NULL;
	const char *doc = h->doc[0] ? h->doc : NULL;
	int rc = BZ_OK;
	/* the unit's name only for a violation's message (most hires raise none) */
#define R8(allowed_, actual_, ...)                                                                         \
	(rc = bz_rx_unit_name_at(cx, h->unit, h->date, &uname)) != BZ_OK ? rc :                         \
	bz_raise(cx, BZ_VIO(.rule = BZ_RULE_R8, .severity = BZ_SEVERITY_ERROR, .subject = h->unit,         \
			    .subject_name = uname, .category = h->cat, .allowed = (allowed_), .actual = (actual_), \
			    .date = h->date, .document = doc),                                              \
		 __VA_ARGS__)
	if (!h->slip[0] && h->opening)
		; /* an opening entry: the opening document stands for the slip (opening.h) */
	else if (!h->slip[0])
		rc = R8(1, 0, "R8 核编在先: a hire into %s (%s) on %s rests on no usage slip (编制使用单)", uname, h->cat,
			h->date);
	else if (!h->number[0]) /* a slip's number is NOT NULL: no number, no slip row (deleted by hand) */
		rc = R8(-1, -1, "R8 核编在先: a hire into %s (%s) on %s rests on usage slip %s, which is not in the ledger",
			uname, h->cat, h->date, h->slip);
	else if (strcmp(h->sunit, h->unit) != 0 || strcmp(h->scat, h->cat) != 0)
		rc = R8(-1, -1, "R8 核编在先: usage slip %s is for another unit or category (%s), not %s %s", h->number,
			h->scat, uname, h->cat);
	else if (h->cancelled[0] && strcmp(h->date, h->cancelled) >= 0)
		rc = R8(-1, -1, "R8 核编在先: usage slip %s was cancelled on %s", h->number, h->cancelled);
	else if (strcmp(h->date, h->issued) < 0 || strcmp(h->date, h->until) > 0)
		rc = R8(-1, -1, "R8 核编在先: usage slip %s is valid from %s to %s, not on %s", h->number, h->issued,
			h->until, h->date);
	else if (h->nth > h->posts)
		rc = R8(h->posts, h->nth, "R8 核编在先: usage slip %s for %d post(s) is exhausted (this would be hire %lld)",
			h->number, h->posts, h->nth);
#undef R8
	bz__free(uname);
	return rc;
}

/* slips issued to a unit in a year against its hiring plan (用编计划); "+e.unit IS NOT NULL", not
 * "e.unit IS NOT NULL": the condition of the partial index event_unit (schema 10) word for word
 * would lead SQLite to walk that whole index instead of the transaction's rowid range */
SCOPED(r8_plans,
       "SELECT DISTINCT e.unit, CAST(substr(e.effective,1,4) AS INTEGER), e.doc FROM event e",
       "AND e.kind IN ('slip.issue','plan.set') AND +e.unit IS NOT NULL");

/* the same, only for a unit × year with a hiring plan: r8_plan says nothing of the others (and
 * the same first document of each); no plan in the ledger, no scan at all. The slips and plans
 * are found through event_kind (schema 11), in kind order: each distinct row is ordered by its
 * first record, as the scan in record order gave them */
static const char r8_plans_set[] =
	"SELECT unit, y, doc FROM (SELECT e.id, e.unit, CAST(substr(e.effective,1,4) AS INTEGER) AS y, e.doc FROM event e"
	" WHERE EXISTS (SELECT 1 FROM fact WHERE attr>='plan:' AND attr<'plan;')"
	" AND e.effective<=?2 AND ?1=?1 AND e.kind IN ('slip.issue','plan.set') AND e." BZ_KINDS_BY_KIND
	" AND +e.unit IS NOT NULL"
	" AND EXISTS (SELECT 1 FROM fact f WHERE f.subject=e.unit"
	"  AND f.attr=printf('plan:%04d', CAST(substr(e.effective,1,4) AS INTEGER))))"
	" GROUP BY unit, y, doc ORDER BY min(id)";

static int r8_plan(bz_rule_ctx *cx, const char *unit, int year, const char *doc)
{
	char attr[BZ_KEY_MAX], date[BZ_DATE_LEN + 1];
	bz_attr_plan(attr, year);
	snprintf(date, sizeof date, "%04d-12-31", year);
	char *plan_s = NULL;
	int rc = bz_fact_at(cx->l, &plan_s, unit, attr, NULL);
	if (rc != BZ_OK || !plan_s)
		return rc;
	int64_t plan = strtoll(plan_s, NULL, 10);
	bz__free(plan_s);
	static const char sql[] =
		"SELECT COALESCE(sum(posts),0) FROM slip WHERE unit=?1 AND issued>=?2 AND issued<=?3";
	bz_st *st = bz_stmt(cx->l, sql);
	if (!st)
		return bz_stmt_err();
	char from[BZ_DATE_LEN + 1];
	snprintf(from, sizeof from, "%04d-01-01", year);
	bz_bind_text(st, 1, unit);
	bz_bind_text(st, 2, from);
	bz_bind_text(st, 3, date);
	int r = bz_step(st);
	int64_t issued = r == SQLITE_ROW ? bz_st_column_int64(st, 0) : 0;
	bz_st_reset(st);
	if (r != SQLITE_ROW)
		return bz_sqlfail(cx->l, r);
	if (issued <= plan)
		return BZ_OK;
	char *uname = NULL, cat[16];
	if ((rc = bz_unit_name_at(cx->l, unit, date, &uname)) != BZ_OK)
		return rc;
	snprintf(cat, sizeof cat, "plan:%04d", year);
	rc = bz_raise(cx, BZ_VIO(.rule = BZ_RULE_R8, .severity = BZ_SEVERITY_ERROR, .subject = unit, .subject_name = uname,
				 .category = cat, .allowed = plan, .actual = issued, .date = date, .document = doc),
		      "R8 用编计划: %s was issued usage slips for %lld post(s) in %d against a hiring plan of %lld", uname,
		      (long long)issued, year, (long long)plan);
	bz__free(uname);
	return rc;
}

static bool r8_fill(void *el, bz_st *st)
{
	r8_hire *h = el;
	COPY(h->unit, st, 0);
	COPY(h->cat, st, 1);
	COPY(h->date, st, 2);
	COPY(h->doc, st, 3);
	COPY(h->slip, st, 4);
	COPY(h->number, st, 5);
	COPY(h->sunit, st, 6);
	COPY(h->scat, st, 7);
	h->posts = bz_st_column_int(st, 8);
	COPY(h->issued, st, 9);
	COPY(h->until, st, 10);
	COPY(h->cancelled, st, 11);
	h->nth = bz_st_column_int64(st, 12);
	h->opening = bz_st_column_type(st, 13) != SQLITE_NULL;
	return true;
}

static int r8_judge(bz_rule_ctx *cx, const void *els, size_t n)
{
	int code = BZ_OK;
	for (size_t i = 0; code == BZ_OK && i < n; i++)
		code = r8_one(cx, (const r8_hire *)els + i);
	return code;
}

typedef struct r8_plan_row {
	char unit[BZ_UUID_LEN + 1];
	int year;
	char doc[BZ_UUID_LEN + 1];
} r8_plan_row;

static bool r8_plan_fill(void *el, bz_st *st)
{
	r8_plan_row *p = el;
	COPY(p->unit, st, 0);
	p->year = bz_st_column_int(st, 1);
	COPY(p->doc, st, 2);
	return true;
}

/* each unit × year once (its rows differ only by document): judged over all of them, never in batches */
static int r8_plans_judge(bz_rule_ctx *cx, const void *els, size_t n)
{
	const r8_plan_row *ps = els;
	int code = BZ_OK;
	for (size_t i = 0; code == BZ_OK && i < n; i++) {
		bool seen = false;
		for (size_t j = 0; j < i && !seen; j++)
			seen = ps[j].year == ps[i].year && strcmp(ps[j].unit, ps[i].unit) == 0;
		if (!seen)
			code = r8_plan(cx, ps[i].unit, ps[i].year, ps[i].doc[0] ? ps[i].doc : NULL);
	}
	return code;
}

int bz_records_r8(bz_rule_ctx *cx)
{
	bool set = set_based(cx), pg = !cx->l->db;
	int code = BZ_OK;
	/* at commit, only when the transaction wrote records of the kinds each statement reads */
	if (set && cx->r8_ready) { /* the candidates of the placements' pass (SQLite) */
		bool any = false;
		code = r8_any(cx, &any);
		if (code == BZ_OK && any)
			code = walk(cx, all_open(cx, r8_hires_cand), sizeof(r8_hire), true, r8_fill, r8_judge);
		bz_store_exec_quiet(cx->l->store, "DELETE FROM temp.bz_r8_cand");
		bz_store_exec_quiet(cx->l->store, "DELETE FROM temp.bz_r8_over");
		cx->r8_ready = false;
	} else if (!BZ_WROTE_NONE(cx, "placement.enter", "placement.transfer_in"))
		code = walk(cx, set ? all_open(cx, pg ? r8_hires_set_pg : r8_hires_set)
					: scope_open(cx, r8_hires_txn, pg ? r8_hires_all_pg : r8_hires_all),
			    sizeof(r8_hire), true, r8_fill, r8_judge);
	if (code == BZ_OK && !BZ_WROTE_NONE(cx, "slip.issue", "plan.set"))
		code = walk(cx, set ? all_open(cx, r8_plans_set) : SCOPE_OPEN(cx, r8_plans), sizeof(r8_plan_row),
			    false, r8_plan_fill, r8_plans_judge);
	return code;
}

/* ---- R10 ------------------------------------------------------------------------------ */

static const char r10_persons_txn[] =
	"SELECT p.id, p.id_number, p.name, p.sex, p.birth, e.effective FROM event e JOIN person p ON p.id=e.subject"
	" WHERE e.id>=?3 AND e.txn=?1 AND e.kind='person.register' ORDER BY e.id";
/* the self-inspection reads every person row, also one written by hand with no
 * registration record (dated then the day of the inspection) */
static const char r10_persons_all[] =
	"SELECT p.id, p.id_number, p.name, p.sex, p.birth, COALESCE(e.effective, ?2) FROM person p"
	" LEFT JOIN event e ON e.subject=p.id AND e.kind='person.register' AND e." BZ_KINDS_NOT_BY_SUBJECT
	" WHERE COALESCE(e.effective, ?2)<=?2 ORDER BY e.id IS NULL, e.id, p.id";
/* the code a unit was founded with is read from its row (where damage done behind the library
 * shows); one given later (bz_unit_set_credit_code) from its own record's fact */
#define R10_UNITS_HEAD                                                                                        \
	"SELECT u.id, CASE WHEN e.kind='unit.establish' THEN u.credit_code ELSE (SELECT f.after FROM fact f" \
	" WHERE f.event=e.id AND f.attr='credit_code') END AS code, e.effective, e.doc FROM event e"          \
	" JOIN unit u ON u.id=e.subject"
#define R10_UNITS_TAIL                                                                                       \
	"AND (e.kind='unit.establish' AND u.credit_code IS NOT NULL OR e.kind='unit.credit_code' AND EXISTS" \
	" (SELECT 1 FROM fact f WHERE f.event=e.id AND f.attr='credit_code' AND f.after IS NOT NULL)) ORDER BY e.id"
static const char r10_units_txn[] = R10_UNITS_HEAD " WHERE e.id>=?3 AND e.txn=?1 " R10_UNITS_TAIL;
/* up to a date, the two kinds named for event_kind as well: under the OR alone SQLite scanned every
 * record of the ledger (0.02 s of CPU on the benchmark's 112,000 records, issue 10); the condition
 * is the same (each branch of the OR names one of the two) */
static const char r10_units_all[] = R10_UNITS_HEAD " WHERE e.effective<=?2 AND e." BZ_KINDS_BY_KIND
				    " AND e.kind IN ('unit.establish','unit.credit_code') " R10_UNITS_TAIL;

typedef struct r10_row {
	char id[BZ_UUID_LEN + 1], number[64], name[128], birth[BZ_DATE_LEN + 1], date[BZ_DATE_LEN + 1];
	char doc[BZ_UUID_LEN + 1];
	int sex;
} r10_row;

static int r10_person(bz_rule_ctx *cx, const r10_row *p)
{
	/* born on or before the day of the registration record (its effective date, the ledger's today) */
	char nbirth[BZ_DATE_LEN + 1];
	const char *why = bz_idnum_problem(p->number, p->date);
	if (why)
		return bz_raise(cx, BZ_VIO(.rule = BZ_RULE_R10, .severity = BZ_SEVERITY_ERROR, .subject = p->id,
					   .subject_name = p->name, .category = "id_number", .date = p->date),
				"R10 证件号码: %s's ID number %s is not valid: %s", p->name, p->number, why);
	snprintf(nbirth, sizeof nbirth, "%.4s-%.2s-%.2s", p->number + 6, p->number + 10, p->number + 12);
	int nsex = ((p->number[16] - '0') % 2) ? BZ_SEX_MALE : BZ_SEX_FEMALE;
	int rc = BZ_OK;
	if (p->sex != nsex)
		rc = bz_raise(cx, BZ_VIO(.rule = BZ_RULE_R10, .severity = BZ_SEVERITY_ERROR, .subject = p->id,
					 .subject_name = p->name, .category = "sex", .allowed = nsex, .actual = p->sex,
					 .date = p->date),
			      "R10 证件号码: %s's sex (%s) disagrees with ID number %s (%s)", p->name,
			      p->sex == BZ_SEX_MALE ? "男" : "女", p->number, nsex == BZ_SEX_MALE ? "男" : "女");
	if (rc == BZ_OK && strcmp(p->birth, nbirth) != 0)
		rc = bz_raise(cx, BZ_VIO(.rule = BZ_RULE_R10, .severity = BZ_SEVERITY_ERROR, .subject = p->id,
					 .subject_name = p->name, .category = "birth", .date = p->birth),
			      "R10 证件号码: %s's birth date %s disagrees with ID number %s (%s)", p->name, p->birth,
			      p->number, nbirth);
	return rc;
}

/* whether r10_person raises anything for p: the same three tests, without raising */
static bool r10_person_faulty(const r10_row *p)
{
	if (bz_idnum_problem(p->number, p->date))
		return true;
	/* the ID number's birth date as r10_person formats it: an accepted number has 18 characters,
	 * its positions 7–14 the date */
	const char *d = p->number + 6;
	const char nbirth[BZ_DATE_LEN + 1] = {d[0], d[1], d[2], d[3], '-', d[4], d[5], '-', d[6], d[7], '\0'};
	int nsex = ((p->number[16] - '0') % 2) ? BZ_SEX_MALE : BZ_SEX_FEMALE;
	return p->sex != nsex || strcmp(p->birth, nbirth) != 0;
}

/* bz_r10_faulty(id_number, sex, birth, date): r10_person_faulty on the row as r10_person_fill copies it */
static void r10_faulty_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	r10_row r;
	memset(&r, 0, sizeof r); /* as r10_person_fill's row: a 15-character number's 17th is a NUL */
	/* copied as COPY() copies a column (snprintf's bytes without its cost: four calls per person were
	 * a fifth of R10's time, issue 10) */
	static const int cols[] = {0, 2, 3};
	char *const bufs[] = {r.number, r.birth, r.date};
	const size_t sizes[] = {sizeof r.number, sizeof r.birth, sizeof r.date};
	for (int i = 0; i < 3; i++) {
		const char *v = (const char *)sqlite3_value_text(argv[cols[i]]);
		size_t n = v ? strnlen(v, sizes[i] - 1) : 0;
		memcpy(bufs[i], v ? v : "", n);
		bufs[i][n] = '\0';
	}
	r.sex = sqlite3_value_int(argv[1]);
	sqlite3_result_int(ctx, r10_person_faulty(&r));
}

/*
 * The persons r10_person faults, and only those, in the same order. The
 * date is in one test only (the ID number's birth date after the
 * registration's), which an earlier date can only fail more often: a person
 * faulty on the day of their registration is faulty on the earliest day of
 * any registration (or the inspection's, if earlier) too. So each person
 * row is tested alone first against that day, with no join, and only the
 * few it keeps are joined with their registration record and tested on its
 * date (the join of every person with its record was most of R10's time,
 * issue 10).
 */
#define R10_PERSONS_SET(first)                                                                               \
	"SELECT p.id, p.id_number, p.name, p.sex, p.birth, COALESCE(e.effective, ?2) FROM person p"           \
	" LEFT JOIN event e ON e.subject=p.id AND e.kind='person.register' AND e." BZ_KINDS_NOT_BY_SUBJECT     \
	" WHERE bz_r10_faulty(p.id_number, p.sex, p.birth, " first ")"                                        \
	" AND COALESCE(e.effective, ?2)<=?2 AND ?1=?1"                                                         \
	" AND bz_r10_faulty(p.id_number, p.sex, p.birth, COALESCE(e.effective, ?2))"                           \
	" ORDER BY e.id IS NULL, e.id, p.id"
static const char r10_persons_set[] =
	R10_PERSONS_SET("(SELECT min(?2, COALESCE(min(effective), ?2)) FROM event WHERE kind='person.register')");
/*
 * The same on SQLite with that day read by R6's pass one (cx->r10first, ?5:
 * the earliest registration up to the date, NULL with none), where the
 * subquery scanned every record for it (no index holds the registrations:
 * 0.01 s of CPU on the benchmark's 112,000 records, issue 10). Those after
 * the date cannot lower min(?2, ·), so the earliest of those up to it is
 * the subquery's value.
 */
static const char r10_persons_set_first[] = R10_PERSONS_SET("COALESCE(?5, ?2)");

static int r10_unit(bz_rule_ctx *cx, const r10_row *u)
{
	bz_ledger *l = cx->l;
	const char *code = u->number;
	const char *doc = u->doc[0] ? u->doc : NULL;
	char *name = NULL, *exc = NULL, pname[96];
	int nature = 0, rc;
	snprintf(pname, sizeof pname, "credit_code_exception.%s", code);
	if ((rc = bz_unit_name_at(l, u->id, u->date, &name)) != BZ_OK ||
	    (rc = bz_unit_nature_at(l, u->id, u->date, &nature)) != BZ_OK || (rc = bz_param_at(l, &exc, pname, NULL)) != BZ_OK)
		goto done;
	bool exception = exc != NULL;
	if (!exception) {
		static const char sql[] = "SELECT 1 FROM credit_code_exception WHERE code=?1";
		bz_st *st = bz_stmt(l, sql);
		if (!st) {
			rc = bz_stmt_err();
			goto done;
		}
		bz_bind_text(st, 1, code);
		int r = bz_step(st);
		bz_st_reset(st);
		if (r != SQLITE_ROW && r != SQLITE_DONE) {
			rc = bz_sqlfail(l, r);
			goto done;
		}
		exception = r == SQLITE_ROW;
	}
	if (!bz_credit_code_shape_ok(code)) {
		rc = bz_raise(cx, BZ_VIO(.rule = BZ_RULE_R10, .severity = BZ_SEVERITY_ERROR, .subject = u->id,
					 .subject_name = name, .date = u->date, .document = doc),
			      "R10 统一社会信用代码: %s of %s is not a code of GB 32100 (the division code, positions 3–8, is digits)",
			      code, name);
		goto done;
	}
	if (!exception && !bz_credit_code_checks_ok(code)) {
		char c11 = bz_gb11714_check(code + 8), c18 = bz_gb32100_check(code);
		rc = bz_raise(cx, BZ_VIO(.rule = BZ_RULE_R10, .severity = BZ_SEVERITY_ERROR, .subject = u->id,
					 .subject_name = name, .date = u->date, .document = doc),
			      "R10 统一社会信用代码: %s of %s has a wrong check character (organisation code check should be %c, final check %c)",
			      code, name, c11 ? c11 : '?', c18 ? c18 : '?');
		if (rc != BZ_OK)
			goto done;
	}
	/* registered by the establishment authority (1); second character by nature (GB 32100 annex) */
	char want = nature == BZ_NATURE_ORGAN ? '1' : nature == BZ_NATURE_INSTITUTION ? '2'
		  : nature == BZ_NATURE_MASS ? '3' : '9';
	bool mass_other = nature == BZ_NATURE_MASS && code[1] == '9';
	if (code[0] != '1' || (code[1] != want && !mass_other))
		rc = bz_raise(cx, BZ_VIO(.rule = BZ_RULE_R10, .severity = BZ_SEVERITY_ERROR, .subject = u->id,
					 .subject_name = name, .date = u->date, .document = doc),
			      "R10 统一社会信用代码: %s of %s (%s) should begin 1%c (机构编制部门登记, category %c)", code,
			      name, bz_nature_name(nature), want, want);
done:
	bz__free(name);
	bz__free(exc);
	return rc;
}

static bool r10_person_fill(void *el, bz_st *st)
{
	r10_row *r = el;
	COPY(r->id, st, 0);
	COPY(r->number, st, 1);
	COPY(r->name, st, 2);
	r->sex = bz_st_column_int(st, 3);
	COPY(r->birth, st, 4);
	COPY(r->date, st, 5);
	return true;
}

static bool r10_unit_fill(void *el, bz_st *st)
{
	r10_row *r = el;
	COPY(r->id, st, 0);
	COPY(r->number, st, 1);
	COPY(r->date, st, 2);
	COPY(r->doc, st, 3);
	return true;
}

static int r10_persons_judge(bz_rule_ctx *cx, const void *els, size_t n)
{
	int code = BZ_OK;
	for (size_t i = 0; code == BZ_OK && i < n; i++)
		code = r10_person(cx, (const r10_row *)els + i);
	return code;
}

static int r10_units_judge(bz_rule_ctx *cx, const void *els, size_t n)
{
	int code = BZ_OK;
	for (size_t i = 0; code == BZ_OK && i < n; i++)
		code = r10_unit(cx, (const r10_row *)els + i);
	return code;
}

int bz_records_r10(bz_rule_ctx *cx)
{
	int code = BZ_OK;
	bool first = set_based(cx) && cx->r10first.ready;
	cx->r10first.ready = false;
	if (!BZ_WROTE_NONE(cx, "person.register")) {
		bz_st *st = NULL;
		if (!set_based(cx)) {
			st = SCOPE_OPEN(cx, r10_persons);
		} else if (!first) { /* R6's pass one did not read it (a server) */
			st = all_open(cx, r10_persons_set);
		} else if ((st = all_open(cx, r10_persons_set_first)) != NULL) {
			if (cx->r10first.any)
				bz_bind_textn(st, 5, cx->r10first.date, (int)cx->r10first.n);
			else
				bz_st_bind_null(st, 5);
		}
		code = walk(cx, st, sizeof(r10_row), true, r10_person_fill, r10_persons_judge);
	}
	if (code == BZ_OK && !BZ_WROTE_NONE(cx, "unit.establish", "unit.credit_code"))
		code = walk(cx, SCOPE_OPEN(cx, r10_units), sizeof(r10_row), true, r10_unit_fill, r10_units_judge);
	return code;
}

/* ---- R2 and R3 from the records ------------------------------------------------------- */

SCOPED_BY_KIND(r2_quotas,
       "SELECT e.subject, e.effective, e.doc,"
       " (SELECT CAST(f.after AS INTEGER) FROM fact f WHERE f.event=e.id AND f.attr='quota:principal'),"
       " (SELECT CAST(f.after AS INTEGER) FROM fact f WHERE f.event=e.id AND f.attr='quota:deputy'),"
       " EXISTS (SELECT 1 FROM subunit s WHERE s.id=e.subject) FROM event e",
       "AND e.kind='leadership.set' ORDER BY e.id");

static int records_r2_high_rank(bz_rule_ctx *cx);

typedef struct r2_quota {
	char subject[BZ_UUID_LEN + 1], date[BZ_DATE_LEN + 1], doc[BZ_UUID_LEN + 1];
	int p, d, sub;
} r2_quota;

static bool r2_fill(void *el, bz_st *st)
{
	r2_quota *q = el;
	COPY(q->subject, st, 0);
	COPY(q->date, st, 1);
	COPY(q->doc, st, 2);
	q->p = bz_st_column_int(st, 3);
	q->d = bz_st_column_int(st, 4);
	q->sub = bz_st_column_int(st, 5);
	return true;
}

static int r2_judge(bz_rule_ctx *cx, const void *els, size_t n)
{
	const r2_quota *qs = els;
	int code = BZ_OK;
	for (size_t i = 0; code == BZ_OK && i < n; i++) {
		const r2_quota *q = &qs[i];
		int64_t rank = 0;
		int np = 0, nd = 0;
		char *name = NULL;
		if ((code = bz_fact_int_at(cx->l, &rank, q->subject, "rank", q->date, 0)) != BZ_OK)
			break;
		if (bz_leadership_norm_at(cx->l, q->sub ? BZ_NORM_SUBUNIT : BZ_NORM_UNIT, (int)rank, q->date, &np, &nd) != BZ_OK)
			np = nd = 0; /* no norm for that rank: no post may be granted */
		if (q->p <= np && q->d <= nd)
			continue;
		code = bz_leader_subject_name(cx->l, q->subject, q->sub, q->date, &name);
		const char *label = name ? name : q->subject;
		for (int post = 0; code == BZ_OK && post < 2; post++) {
			int want = post ? q->d : q->p, norm = post ? nd : np;
			if (want <= norm)
				continue;
			code = bz_raise(cx, BZ_VIO(.rule = BZ_RULE_R2, .severity = BZ_SEVERITY_ERROR, .subject = q->subject,
						   .subject_name = label, .category = post ? "deputy" : "principal",
						   .allowed = norm, .actual = want, .date = q->date,
						   .document = q->doc[0] ? q->doc : NULL),
					"R2 领导职数: %s (%s) may have at most %d %s post(s) by the norms, not %d", label,
					bz_rank_name((int)rank), norm, post ? "deputy (副职)" : "principal (正职)", want);
		}
		bz__free(name);
	}
	return code;
}

int bz_records_r2(bz_rule_ctx *cx)
{
	int code = BZ_OK;
	if (!BZ_WROTE_NONE(cx, "leadership.set"))
		code = walk(cx, SCOPE_OPEN(cx, r2_quotas), sizeof(r2_quota), true, r2_fill, r2_judge);
	return code == BZ_OK && !BZ_WROTE_NONE(cx, "appointment.make") ? records_r2_high_rank(cx) : code;
}

/* 高配: an appointment stating a rank above the post's level (the principal post's level in the
 * quota, or the subject's rank; one step lower for a deputy) needs a document that says so — an
 * R2 exception granted to the person on that date, which bz_raise() applies */
SCOPED_BY_KIND(r2_high_ranks,
       "SELECT a.person, e.effective, e.doc, a.subject, a.post, CAST(f.after AS INTEGER)"
       " FROM event e JOIN fact f ON f.event=e.id AND +f.attr='rank' JOIN appointment a ON a.id=e.subject",
       "AND e.kind='appointment.make' ORDER BY e.id");

typedef struct r2_high {
	char person[BZ_UUID_LEN + 1], date[BZ_DATE_LEN + 1], doc[BZ_UUID_LEN + 1], subject[BZ_UUID_LEN + 1];
	int post, rank;
} r2_high;

static bool r2_high_fill(void *el, bz_st *st)
{
	r2_high *h = el;
	COPY(h->person, st, 0);
	COPY(h->date, st, 1);
	COPY(h->doc, st, 2);
	COPY(h->subject, st, 3);
	h->post = bz_st_column_int(st, 4);
	h->rank = bz_st_column_int(st, 5);
	return true;
}

static int r2_high_judge(bz_rule_ctx *cx, const void *els, size_t n)
{
	const r2_high *hs = els;
	int code = BZ_OK;
	for (size_t i = 0; code == BZ_OK && i < n; i++) {
		const r2_high *h = &hs[i];
		int64_t level = 0;
		if ((code = bz_fact_int_at(cx->l, &level, h->subject, "quota:level", h->date, 0)) != BZ_OK)
			break;
		if (level <= BZ_RANK_NONE && (code = bz_fact_int_at(cx->l, &level, h->subject, "rank", h->date, 0)) != BZ_OK)
			break;
		int post_level = (int)level - (h->post == BZ_POST_DEPUTY ? 1 : 0);
		if (level <= BZ_RANK_NONE || h->rank <= post_level)
			continue; /* no level fixed for the post, or not above it */
		char *name = NULL;
		if ((code = bz_person_name_of(cx->l, h->person, &name, NULL)) != BZ_OK)
			break;
		const char *label = name ? name : h->person;
		code = bz_raise(cx, BZ_VIO(.rule = BZ_RULE_R2, .severity = BZ_SEVERITY_ERROR, .subject = h->person,
					   .subject_name = label, .category = "high-rank", .allowed = post_level,
					   .actual = h->rank, .date = h->date, .document = h->doc[0] ? h->doc : NULL),
				"R2 高配: %s, ranked %s, appointed to a %s post of level %s needs a document that says so"
				" (an R2 exception for the person)",
				label, bz_rank_name(h->rank), h->post == BZ_POST_DEPUTY ? "deputy (副职)" : "principal (正职)",
				bz_rank_name(post_level));
		bz__free(name);
	}
	return code;
}

static int records_r2_high_rank(bz_rule_ctx *cx)
{
	return walk(cx, SCOPE_OPEN(cx, r2_high_ranks), sizeof(r2_high), true, r2_high_fill, r2_high_judge);
}

SCOPED_BY_KIND(r3_raises,
       "SELECT e.subject, e.effective, e.doc, d.kind, d.level, CAST(f.before AS INTEGER), CAST(f.after AS INTEGER),"
       /* +attr: from the records in scope, never from every rank fact of the ledger */
       " s.unit FROM event e JOIN fact f ON f.event=e.id AND +f.attr='rank' JOIN subunit s ON s.id=e.subject"
       " LEFT JOIN document d ON d.id=e.doc",
       "AND e.kind='subunit.rank' AND CAST(f.after AS INTEGER) > CAST(COALESCE(f.before,'0') AS INTEGER)"
       " AND COALESCE(d.kind,0)<>1 ORDER BY e.id");

typedef struct r3_raise {
	char sub[BZ_UUID_LEN + 1], date[BZ_DATE_LEN + 1], doc[BZ_UUID_LEN + 1];
	int level, before, after;
} r3_raise;

static bool r3_fill(void *el, bz_st *st)
{
	r3_raise *r = el;
	COPY(r->sub, st, 0);
	COPY(r->date, st, 1);
	COPY(r->doc, st, 2);
	r->level = bz_st_column_int(st, 4);
	r->before = bz_st_column_int(st, 5);
	r->after = bz_st_column_int(st, 6);
	return true;
}

static int r3_judge(bz_rule_ctx *cx, const void *els, size_t n)
{
	const r3_raise *rs = els;
	int code = BZ_OK;
	for (size_t i = 0; code == BZ_OK && i < n; i++) {
		char *name = NULL;
		if ((code = bz_fact_at(cx->l, &name, rs[i].sub, "name", rs[i].date)) != BZ_OK)
			break;
		/* 五不准 #2: raising a sub-unit's rank only by the establishment authority */
		code = bz_raise(cx, BZ_VIO(.rule = BZ_RULE_R3, .severity = BZ_SEVERITY_ERROR, .subject = rs[i].sub,
					   .subject_name = name, .allowed = rs[i].before, .actual = rs[i].after,
					   .date = rs[i].date, .document = rs[i].doc[0] ? rs[i].doc : NULL),
				"R3 内设机构: raising %s from %s to %s needs a document of the establishment authority (机构编制部门), level %d document is not one",
				name ? name : rs[i].sub, bz_rank_name(rs[i].before), bz_rank_name(rs[i].after), rs[i].level);
		bz__free(name);
	}
	return code;
}

int bz_records_r3(bz_rule_ctx *cx)
{
	if (BZ_WROTE_NONE(cx, "subunit.rank"))
		return BZ_OK;
	return walk(cx, SCOPE_OPEN(cx, r3_raises), sizeof(r3_raise), true, r3_fill, r3_judge);
}
