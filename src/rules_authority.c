/*
 * rules_authority.c: R6, the document a change rests on — present, not a
 * business department's (§2), issued on or before the change (未批先设,
 * §28), by a known office of the right level (its jurisdiction decides the
 * level, not the caller), of the unit's own jurisdiction chain (本级,
 * §13.2), of an issuer kind the change accepts (一家行文 §1, 上级机构编制部门
 * §13.1: rule data "issuers.<action>"), of a level the authority rules ask
 * (§5: rule data "authority.<action>"). Read from the change records
 * (rules_records.h): at commit those the transaction wrote, in the
 * self-inspection every record up to the date asked, in two passes over
 * groups of records (bz_records_r6), the first of which also reads R7's
 * span of dates and R10's earliest registration on SQLite. The actions of
 * the authority and issuer rules (bz_event_action), the rule data's
 * defaults and the authority rules' level (bz_authority_required) are in
 * rules_records.c: R15 (rules_office.c) reads them too.
 */
#include "rules_records.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
		int rc = bz_rec_param(cx, &list, "central_issuers", ev->effective);
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
	int rc = bz_rec_param(cx, &v, pname, ev->effective);
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
	if ((rc = bz_rec_param(cx, &issuers, pname, ev->effective)) != BZ_OK)
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
		long long *at = bz_rec_grow(o->txn, o->n, &o->cap, sizeof *o->txn);
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

static size_t r6_find(const r6_groups_tab *t, const char *key, size_t n)
{
	size_t i = (size_t)bz_rec_hash(key, n) & (t->cap - 1);
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
 * does not fit or a column holds the separator or a NUL, and the row is a
 * group of its own, never settled): each column with a mark for NULL, \x1f between
 * them. kind: column 2's text when the caller read it already (NULL: read
 * here).
 */
static size_t r6_row_key(bz_st *st, bool opening, const char *kind, char *buf, size_t size)
{
	size_t n = 0;
	for (int c = 2; c <= 5; c++) {
		const char *v = c == 2 && kind ? kind : col(st, c);
		/* the text's own length: one with a NUL inside (a hand-edited file) is a group of its own too,
		 * or it would pass for its neighbour that ends at the NUL */
		size_t len = v ? (size_t)bz_st_column_bytes(st, c) : 0;
		if (n + len + 3 > size || (v && (memchr(v, '\x1f', len) || memchr(v, '\0', len))))
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
	bz_st *st = code == BZ_OK ? bz_rec_all_open(cx, span ? r6_groups_set_span : r6_groups_set) : NULL;
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
		/* columns 2 (a text) and 1 as read already: the same pointers a second col() would give, without
		 * its cost (two calls of seven per record of pass one) */
		const char *kind = NULL, *eff = NULL;
		bool have_eff = false;
		if (span) {
			/* a kind stored as other than text equals no name in SQL */
			kind = bz_st_column_type(st, 2) == BZ_ST_TEXT ? col(st, 2) : NULL;
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
				const char *v = eff = col(st, 1);
				have_eff = true;
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
		size_t n = r6_row_key(st, opening, kind, key, sizeof key);
		char date[BZ_DATE_LEN + 1];
		const char *v = have_eff ? eff : col(st, 1); /* as COPY() */
		size_t vn = v ? strnlen(v, sizeof date - 1) : 0;
		memcpy(date, v ? v : "", vn);
		date[vn] = '\0';
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
		return bz_rec_walk(cx, SCOPE_OPEN(cx, r6_events), sizeof(r6_event), true, r6_fill, r6_judge);
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
		code = bz_rec_walk(cx, bz_rec_all_open(cx, r6_events_all), sizeof(r6_event), true, r6_fill, r6_judge);
	else if (code == BZ_OK && left)
		code = bz_rec_walk(cx, bz_rec_all_open(cx, hires ? r6_walk_set : r6_walk_set_by_kind), sizeof(r6_event), true, r6_fill,
			    r6_judge);
	bz_store_exec_quiet(cx->l->store, "DELETE FROM temp.bz_r6_walk");
	return code;
}
