/*
 * rules_unitcert.c: R14, 机构编制管理证 (seed §3: 如机关事业单位工作人员发生
 * 变化的，必须持《机构编制管理证》及有关材料，首先到机构编制部门办理出(入)编
 * 手续; §9 核发、换发). Its own file: it reads the certificates of
 * unitcert.c and the placement records, and nothing else reads them.
 *
 * Enforcement is the rule parameter "unitcert.enforce" at each placement's
 * date — "off" (default), "warning" or "error" — so that a ledger kept
 * before the certificates were issued stays usable and an office turns the
 * rule on from a date of its choosing. At commit the placement records the
 * transaction wrote are judged; in the self-inspection every placement
 * record up to its date, and every unit in being at that date without a
 * valid certificate while the rule is on there — that one as a warning
 * whatever the enforcement: holding none refuses nothing yet (the next
 * 出入编 would be), it says which certificates the office has to issue.
 */
#include "rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ENFORCE "unitcert.enforce"

/* the enforcement at date: 0 off, else the severity (memoised per run) */
static int enforcement(bz_rule_ctx *cx, const char *date, int *severity)
{
	const char *v = NULL;
	int rc = bz_rx_fact_at(cx, &v, BZ_RULES_SUBJECT, ENFORCE, date);
	*severity = !v ? 0 : !strcmp(v, "error") ? BZ_SEVERITY_ERROR : !strcmp(v, "warning") ? BZ_SEVERITY_WARNING : 0;
	return rc;
}

/* the first date from which the rule was ever on; *never when it never was (the common case: nothing to
 * read); from the parameter's timeline the memo holds (one statement less per commit, issue 10) */
static int first_on(bz_rule_ctx *cx, char from[BZ_DATE_LEN + 1], bool *never)
{
	static const char *const on[] = {"warning", "error", NULL};
	int rc = bz_rx_fact_first_of(cx, from, BZ_RULES_SUBJECT, ENFORCE, on);
	*never = !from[0];
	return rc;
}

/* the certificate held: number ("" for none), its dates and its state at date */
typedef struct held {
	char number[BZ_UNITCERT_NUMBER_MAX + 8], issued[BZ_DATE_LEN + 1], until[BZ_DATE_LEN + 1], end[BZ_DATE_LEN + 1];
	int end_kind, state;
} held;

static void held_fill(held *h, bz_st *st, int c, const char *date)
{
	memset(h, 0, sizeof *h);
	if (bz_st_column_type(st, c) == SQLITE_NULL)
		return;
	snprintf(h->number, sizeof h->number, "%s", (const char *)bz_st_column_text(st, c));
	snprintf(h->issued, sizeof h->issued, "%s", (const char *)bz_st_column_text(st, c + 1));
	snprintf(h->until, sizeof h->until, "%s", (const char *)bz_st_column_text(st, c + 2));
	if (bz_st_column_type(st, c + 3) != SQLITE_NULL) {
		snprintf(h->end, sizeof h->end, "%s", (const char *)bz_st_column_text(st, c + 3));
		h->end_kind = bz_st_column_int(st, c + 4);
	}
	h->state = bz_unitcert_state_at(h->issued, h->until, h->end, h->end_kind, date);
}

/* what is wrong with the certificate held, into buf ("" when it is valid) */
static void held_fault(const held *h, char *buf, size_t n)
{
	if (!h->number[0])
		snprintf(buf, n, "it holds no 机构编制管理证");
	else if (h->state == BZ_UNITCERT_VOID)
		snprintf(buf, n, "its 机构编制管理证 %s (issued %s) was voided on %s", h->number, h->issued, h->end);
	else if (h->state == BZ_UNITCERT_EXPIRED)
		snprintf(buf, n, "its 机构编制管理证 %s (issued %s) was valid until %s", h->number, h->issued, h->until);
	else if (h->state == BZ_UNITCERT_RENEWED) /* not held: its renewal is (a hand-made ledger only) */
		snprintf(buf, n, "its 机构编制管理证 %s was replaced on %s", h->number, h->end);
	else
		buf[0] = '\0';
}

static int raise14(bz_rule_ctx *cx, int severity, const char *unit, const char *date, const char *doc,
		   const held *h, const char *what)
{
	char fault[512], cat[BZ_UNITCERT_NUMBER_MAX + 64];
	held_fault(h, fault, sizeof fault);
	if (!fault[0])
		return BZ_OK;
	snprintf(cat, sizeof cat, "unitcert:%s", h->number[0] ? h->number : "none");
	char *uname = NULL;
	int rc = bz_rx_unit_name_at(cx, unit, date, &uname);
	if (rc != BZ_OK)
		return rc;
	rc = bz_raise(cx, BZ_VIO(.rule = BZ_RULE_R14, .severity = severity, .subject = unit, .subject_name = uname,
				 .category = cat, .allowed = 1, .actual = 0, .date = date, .document = doc),
		      "R14 机构编制管理证: %s %s on %s needs a valid 机构编制管理证 (seed §3 必须持); %s", what, uname, date,
		      fault);
	bz__free(uname);
	return rc;
}

static const char *what_of(const char *kind)
{
	if (!strcmp(kind, "placement.enter"))
		return "the entry (入编) into";
	if (!strcmp(kind, "placement.transfer_in"))
		return "the transfer (调入) into";
	if (!strcmp(kind, "placement.exit"))
		return "the exit (出编) from";
	return "the transfer (调出) out of";
}

/* the placement records in scope, from the first date the rule was on, with the certificate held then */
static const char r14_sql[] =
	"SELECT e.unit, e.effective, e.doc, e.kind, (SELECT 1 FROM opening o WHERE o.txn=e.txn),"
	" h.number, h.issued, h.valid_until, x.date, x.kind"
	" FROM event e LEFT JOIN unitcert h ON h.id=(SELECT id FROM unitcert WHERE unit=e.unit AND issued<=e.effective"
	"  ORDER BY issued DESC, rowid DESC LIMIT 1)"
	" LEFT JOIN unitcert_end x ON x.cert=h.id"
	" WHERE e.kind IN ('placement.enter','placement.transfer_in','placement.exit','placement.transfer_out')"
	" AND +e.unit IS NOT NULL AND e.effective>=?4 AND e.effective<=?2" /* + : not the partial index event_unit (rules_hiring.c, r8_plans) */
	" AND (?1=0 OR (e.id>=?3 AND e.txn=?1)) ORDER BY e.id";

static int placements(bz_rule_ctx *cx, const char *from)
{
	bz_st *st = NULL;
	/* a statement of its own: bz_raise and the memo use the cache while this one runs */
	int rc = bz_store_prepare(cx->l->store, &st, r14_sql);
	if (rc != SQLITE_OK)
		return bz_sqlfail(cx->l, rc);
	bz_st_bind_int64(st, 1, cx->txn ? cx->txn_no : 0);
	bz_bind_text(st, 2, cx->until ? cx->until : "9999-12-31");
	bz_st_bind_int64(st, 3, cx->txn ? cx->txn->first_event : 0);
	bz_bind_text(st, 4, from);
	int code = BZ_OK;
	while (code == BZ_OK && (rc = bz_step(st)) == SQLITE_ROW) {
		if (bz_st_column_type(st, 4) != SQLITE_NULL)
			continue; /* an opening entry states what was, it is no 出入编 */
		char unit[BZ_UUID_LEN + 1], date[BZ_DATE_LEN + 1], doc[BZ_UUID_LEN + 1], kind[32];
		snprintf(unit, sizeof unit, "%s", (const char *)bz_st_column_text(st, 0));
		snprintf(date, sizeof date, "%s", (const char *)bz_st_column_text(st, 1));
		const char *d = (const char *)bz_st_column_text(st, 2);
		snprintf(doc, sizeof doc, "%s", d ? d : "");
		snprintf(kind, sizeof kind, "%s", (const char *)bz_st_column_text(st, 3));
		int severity = 0;
		if ((code = enforcement(cx, date, &severity)) != BZ_OK || !severity)
			continue;
		held h;
		held_fill(&h, st, 5, date);
		code = raise14(cx, severity, unit, date, doc[0] ? doc : NULL, &h, what_of(kind));
	}
	if (code == BZ_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
		code = bz_sqlfail(cx->l, rc);
	bz_st_finalize(st);
	return code;
}

/* the self-inspection: every unit in being at its date holds a valid certificate while the rule is on */
static const char r14_units[] =
	"SELECT u.id, c.number, c.issued, c.valid_until, x.date, x.kind FROM unit u"
	" LEFT JOIN unitcert c ON c.id=(SELECT id FROM unitcert WHERE unit=u.id AND issued<=?1"
	"  ORDER BY issued DESC, rowid DESC LIMIT 1)"
	" LEFT JOIN unitcert_end x ON x.cert=c.id WHERE u.founded<=?1 ORDER BY u.rowid";

static int units(bz_rule_ctx *cx)
{
	int severity = 0;
	int code = enforcement(cx, cx->until, &severity);
	if (code != BZ_OK || !severity)
		return code;
	bz_st *st = NULL;
	int rc = bz_store_prepare(cx->l->store, &st, r14_units);
	if (rc != SQLITE_OK)
		return bz_sqlfail(cx->l, rc);
	bz_bind_text(st, 1, cx->until);
	while (code == BZ_OK && (rc = bz_step(st)) == SQLITE_ROW) {
		char unit[BZ_UUID_LEN + 1];
		snprintf(unit, sizeof unit, "%s", (const char *)bz_st_column_text(st, 0));
		bool alive = false;
		if ((code = bz_unit_alive(cx->l, unit, cx->until, &alive)) != BZ_OK || !alive)
			continue;
		held h;
		held_fill(&h, st, 1, cx->until);
		/* a warning: holding none refuses nothing yet (the next 出入编 would be); the office has one to issue */
		code = raise14(cx, BZ_SEVERITY_WARNING, unit, cx->until, NULL, &h, "any entry, exit or transfer of");
	}
	if (code == BZ_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
		code = bz_sqlfail(cx->l, rc);
	bz_st_finalize(st);
	return code;
}

int bz_records_r14(bz_rule_ctx *cx)
{
	char from[BZ_DATE_LEN + 1];
	bool never = true;
	/* at commit only the transaction's placement records are judged: none, nothing to read */
	if (BZ_WROTE_NONE(cx, "placement.enter", "placement.transfer_in", "placement.exit", "placement.transfer_out"))
		return BZ_OK;
	int code = first_on(cx, from, &never);
	if (code != BZ_OK || never)
		return code;
	if ((code = placements(cx, from)) == BZ_OK && !cx->txn)
		code = units(cx);
	return code;
}
