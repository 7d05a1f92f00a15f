/*
 * rules_records.c: the rules that read change records — at commit the
 * records the transaction wrote, in the self-inspection every record up to
 * the date asked — and what they share: the statements in scope, the walk
 * that collects and judges what they yield, a rule parameter with its
 * default and the hash of their tables (rules_records.h); the actions of
 * the authority and issuer rules and the rule data's defaults, which R15
 * (rules_office.c) reads too; the self-inspection's SQL function (R10).
 * The rules here:
 *   R7  a unit's changes within its life; entries within working age; no
 *       cycle of supervising units;
 *   R10 ID numbers and credit codes, re-validated from the records;
 *   R2  quotas within the leadership norms (part of R2 that reads records);
 *   R3  a sub-unit's rank raised only on an establishment document.
 * R6 (the document a change rests on) lives in rules_authority.c, R8
 * (usage slips and the hiring plan) in rules_hiring.c.
 */
#include "rules_records.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

bz_st *bz_rec_scope_open(bz_rule_ctx *cx, const char *txn_sql, const char *all_sql)
{
	if (cx->txn)
		return scope_stmt(cx, txn_sql);
	bz_st *st = NULL;
	int rc = bz_store_prepare(cx->l->store, &st, all_sql);
	if (rc != SQLITE_OK) {
		bz_st_finalize(st);
		bz_stmt_fail(cx->l, rc); /* bz_rec_walk() returns it */
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

bz_st *bz_rec_all_open(bz_rule_ctx *cx, const char *sql)
{
	bz_st *st = bz_rec_scope_open(cx, NULL, sql);
	if (st && bz_st_param_count(st) >= 4)
		bz_bind_text(st, 4, BZ_RULES_SUBJECT);
	return st;
}

void *bz_rec_grow(void *arr, size_t n, size_t *cap, size_t elem)
{
	if (n < *cap)
		return arr;
	size_t nc = *cap ? *cap * 2 : 16;
	void *na = bz__realloc(arr, nc * elem);
	if (na)
		*cap = nc;
	return na;
}

void bz_rec_copy_col(char *buf, size_t size, bz_st *st, int i)
{
	const char *v = col(st, i);
	size_t n = v ? strnlen(v, size - 1) : 0;
	memcpy(buf, v ? v : "", n);
	buf[n] = '\0';
}

int bz_rec_walk(bz_rule_ctx *cx, bz_st *st, size_t size, bool batch, rec_fill fill, rec_judge judge)
{
	if (!st)
		return bz_stmt_err();
	char *els = NULL;
	size_t n = 0, cap = 0;
	int rc, code = BZ_OK;
	while ((rc = bz_step(st)) == SQLITE_ROW) {
		char *ne = bz_rec_grow(els, n, &cap, size);
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

/* a word mixed (multiply, xorshift) so that every bit of it moves the high bits of the state */
static inline uint64_t rec_mix(uint64_t w)
{
	w *= 0x9e3779b97f4a7c15u;
	return w ^ (w >> 32);
}

/*
 * Eight bytes a step where FNV-1a took one (issue 10: FNV-1a over R6's
 * ~100-byte group keys was 4 % of the self-inspection's CPU): each word read
 * with memcpy (any alignment), mixed and folded in with a multiply, the tail
 * in a word of its own, the length in the seed, then murmur3's finalizer so
 * the low bits the tables mask are as good as the high. The value depends on
 * the machine's byte order: it keys in-memory tables only, never stored or
 * compared across processes.
 */
uint64_t bz_rec_hash(const char *s, size_t n)
{
	uint64_t h = 0x243f6a8885a308d3u ^ ((uint64_t)n * 0xc2b2ae3d27d4eb4fu), w;
	for (; n >= 8; s += 8, n -= 8) {
		memcpy(&w, s, 8);
		h = (h ^ rec_mix(w)) * 0xff51afd7ed558ccdu;
	}
	if (n) {
		/* the tail in two loads that may overlap (every byte in, the length in the seed): a copy of
		 * n bytes into a word was a byte loop and a stalled load */
		uint32_t a, b;
		if (n >= 4) {
			memcpy(&a, s, 4);
			memcpy(&b, s + n - 4, 4);
			w = a | (uint64_t)b << 32;
		} else {
			w = (unsigned char)s[0] | (uint64_t)(unsigned char)s[n / 2] << 8 |
			    (uint64_t)(unsigned char)s[n - 1] << 16;
		}
		h = (h ^ rec_mix(w)) * 0xff51afd7ed558ccdu;
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdu;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53u;
	h ^= h >> 33;
	return h;
}

/* ---- what R6 (rules_authority.c) and R15 (rules_office.c) read: actions, rule data, authority ---- */

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

int bz_rec_param(bz_rule_ctx *cx, char **out, const char *name, const char *date)
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

/* the most lenient level allowed for action on a unit of nature and rank: 0 if no rule */
int bz_authority_required(bz_rule_ctx *cx, const char *action, int nature, int rank, const char *date, int *required)
{
	char name[64], *rules = NULL;
	snprintf(name, sizeof name, "authority.%s", action);
	*required = 0;
	int rc = bz_rec_param(cx, &rules, name, date);
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

static void r10_faulty_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv);
static void r7_age_out_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv);

/* the self-inspection's SQL functions: bz_r10_faulty(id_number, sex, birth, date), bz_r7_age_out(birth, lo, hi) */
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
	if (rc == SQLITE_OK)
		rc = sqlite3_create_function_v2(l->db, "bz_r7_age_out", 3, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
						r7_age_out_fn, NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return bz_sqlfail(l, rc);
	l->inspect_fns = true;
	return BZ_OK;
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
 * its founding and from its end on (a range of event_unit per unit, and
 * one of placement_unit for its entries into a post, which event_unit
 * leaves out since schema 14: placement.event is the record), every
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
 * event_unit and of the placements' entry dates (an entry's record has its
 * placement's date, placement.entry) gives the first and last dates any
 * record of a unit has (span: a record with no unit is not judged here), and a
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
	"  FROM (SELECT effective FROM event WHERE unit IS NOT NULL AND " BZ_KINDS_BY_UNIT                   \
	"  UNION ALL SELECT entry FROM placement) AS r),"
#define R7_SPAN_GIVEN                                                                                         \
	" span(lo, hi, bad) AS (SELECT ?5, ?6, ?7"                                                            \
	"  + CASE WHEN EXISTS (SELECT 1 FROM fact WHERE subject=?4 AND attr IN ('working_age.min','working_age.max'))" \
	"  THEN 1 ELSE 0 END),"

/*
 * A person born outside span's years: the birth not YYYY-MM-DD, or its
 * year after lo or before hi. On a server in SQL; on SQLite (span given)
 * bz_r7_age_out, the same test in C: the GLOB and the two casts of every
 * person's birth were most of the query (issue 10).
 */
#define R7_AGE_SQL                                                                                             \
	"   OR pe.birth NOT GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'"                                    \
	"   OR CAST(substr(pe.birth,1,4) AS INTEGER)>r.lo OR CAST(substr(pe.birth,1,4) AS INTEGER)<r.hi"
#define R7_AGE_FN "   OR bz_r7_age_out(pe.birth, r.lo, r.hi)"

#define R7_EVENTS_SET(span, age) \
	"WITH ends AS (SELECT u.id AS subject, (SELECT min(effective) FROM fact WHERE subject=u.id AND attr='status'" \
	"  AND after<>'1') AS ended FROM unit u)," \
	span " cand(id) AS (SELECT e.id FROM unit u CROSS JOIN event e WHERE e.unit=u.id AND e." BZ_KINDS_BY_UNIT \
	"  AND e.effective<u.founded" \
	"  UNION SELECT p.event FROM unit u CROSS JOIN placement p WHERE p.unit=u.id AND p.entry<u.founded" \
	"  UNION SELECT e.id FROM ends x CROSS JOIN event e WHERE e.unit=x.subject AND e." BZ_KINDS_BY_UNIT \
	"  AND e.effective>=x.ended" \
	"  UNION SELECT p.event FROM ends x CROSS JOIN placement p WHERE p.unit=x.subject AND p.entry>=x.ended" \
	"  UNION SELECT f.event FROM fact f WHERE f.attr='parent'" \
	"  UNION SELECT p.event FROM span r CROSS JOIN person pe CROSS JOIN placement p ON p.person=pe.id" \
	"   WHERE COALESCE(pe.birth,'')<>'' AND (r.bad>0 OR r.lo IS NULL" age "))" \
	" SELECT e.id, e.kind, e.unit, e.effective, e.doc, u.founded," \
	" (SELECT min(effective) FROM fact WHERE subject=u.id AND attr='status' AND after<>'1')," \
	" (SELECT min(event) FROM fact WHERE subject=u.id AND attr='status' AND after<>'1')," \
	" p.person, pe.name, pe.birth, p.category," \
	" (SELECT f.after FROM fact f WHERE f.event=e.id AND f.attr='parent')" \
	" FROM cand CROSS JOIN event e ON e.id=cand.id JOIN unit u ON u.id=e.unit" \
	" LEFT JOIN placement p ON p.id=e.subject AND p.event=e.id LEFT JOIN person pe ON pe.id=p.person" \
	" WHERE e.effective<=?2 AND ?1=?1 AND e.kind NOT IN ('card.issue') ORDER BY e.id"
static const char r7_events_set[] = R7_EVENTS_SET(R7_SPAN_SCAN, R7_AGE_SQL);
static const char r7_events_set_span[] = R7_EVENTS_SET(R7_SPAN_GIVEN, R7_AGE_FN);

/*
 * bz_r7_age_out(birth, lo, hi): R7_AGE_SQL's three terms in C, with SQL's
 * answers — birth as its text (GLOB reads any value so, up to a NUL), a
 * match only for exactly ten characters digit digit digit digit '-' digit
 * digit '-' digit digit (a character of more than one byte matches no
 * [0-9]); then the year against lo and hi, each term NULL (not true) when
 * its bound is NULL. NULL birth: NULL, as GLOB gives.
 */
static void r7_age_out_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	const unsigned char *b = sqlite3_value_text(argv[0]);
	if (!b) {
		if (sqlite3_value_type(argv[0]) != SQLITE_NULL)
			sqlite3_result_error_nomem(ctx);
		return; /* NULL */
	}
	static const char shape[] = "dddd-dd-dd";
	for (int i = 0; i < 10; i++)
		if (shape[i] == 'd' ? (b[i] < '0' || b[i] > '9') : b[i] != '-') {
			sqlite3_result_int(ctx, 1); /* NOT GLOB: true (a shorter text fails at its NUL) */
			return;
		}
	if (b[10] != '\0') {
		sqlite3_result_int(ctx, 1);
		return;
	}
	int64_t y = (b[0] - '0') * 1000 + (b[1] - '0') * 100 + (b[2] - '0') * 10 + (b[3] - '0');
	bool lo_null = sqlite3_value_type(argv[1]) == SQLITE_NULL, hi_null = sqlite3_value_type(argv[2]) == SQLITE_NULL;
	if ((!lo_null && y > sqlite3_value_int64(argv[1])) || (!hi_null && y < sqlite3_value_int64(argv[2])))
		sqlite3_result_int(ctx, 1);
	else if (lo_null || hi_null)
		return; /* false OR NULL: NULL */
	else
		sqlite3_result_int(ctx, 0);
}

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
		return bz_rec_walk(cx, SCOPE_OPEN(cx, r7_events), sizeof(r7_event), true, r7_fill, r7_judge);
	if (!cx->r7span.ready) /* R6's pass one did not read it (a server) */
		return bz_rec_walk(cx, bz_rec_all_open(cx, r7_events_set), sizeof(r7_event), true, r7_fill, r7_judge);
	cx->r7span.ready = false;
	bz_st *st = bz_rec_all_open(cx, r7_events_set_span);
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
	return bz_rec_walk(cx, st, sizeof(r7_event), true, r7_fill, r7_judge);
}

/* ---- R8 ---------------------------------------------------------------------------- */

/* ---- R10 ------------------------------------------------------------------------------ */

static const char r10_persons_txn[] =
	"SELECT p.id, p.id_number, p.name, p.sex, p.birth, e.effective FROM event e JOIN person p ON p.id=e.subject"
	" WHERE e.id>=?3 AND e.txn=?1 AND e.kind='person.register' ORDER BY e.id";
/* the self-inspection reads every person row, also one written by hand with no
 * registration record (dated then the day of the inspection) */
static const char r10_persons_all[] =
	"SELECT p.id, p.id_number, p.name, p.sex, p.birth, COALESCE(e.effective, ?2) FROM person p"
	" LEFT JOIN event e ON e.id=p.event"
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
	" LEFT JOIN event e ON e.id=p.event"                                                                  \
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
			st = bz_rec_all_open(cx, r10_persons_set);
		} else if ((st = bz_rec_all_open(cx, r10_persons_set_first)) != NULL) {
			if (cx->r10first.any)
				bz_bind_textn(st, 5, cx->r10first.date, (int)cx->r10first.n);
			else
				bz_st_bind_null(st, 5);
		}
		code = bz_rec_walk(cx, st, sizeof(r10_row), true, r10_person_fill, r10_persons_judge);
	}
	if (code == BZ_OK && !BZ_WROTE_NONE(cx, "unit.establish", "unit.credit_code"))
		code = bz_rec_walk(cx, SCOPE_OPEN(cx, r10_units), sizeof(r10_row), true, r10_unit_fill, r10_units_judge);
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
		code = bz_rec_walk(cx, SCOPE_OPEN(cx, r2_quotas), sizeof(r2_quota), true, r2_fill, r2_judge);
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
	return bz_rec_walk(cx, SCOPE_OPEN(cx, r2_high_ranks), sizeof(r2_high), true, r2_high_fill, r2_high_judge);
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
	return bz_rec_walk(cx, SCOPE_OPEN(cx, r3_raises), sizeof(r3_raise), true, r3_fill, r3_judge);
}
