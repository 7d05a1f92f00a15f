/*
 * rules_hiring.c: R8 核编在先 — a hire on a valid usage slip (编制使用单),
 * slips within the hiring plan (用编计划) — read from the change records
 * (rules_records.h): at commit the hires and slips the transaction wrote,
 * in the self-inspection every one up to the date asked; and the
 * self-inspection's R8 pass (bz_r8_pass_*, rules.h), which finds during
 * the placements' one pass the hires a slip could fault.
 */
#include "rules_records.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	size_t i = (size_t)bz_rec_hash(id, n) & (t->cap - 1);
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
 * would lead SQLite to walk that whole index instead of the transaction's rowid range (since
 * schema 14 its condition names the kinds too, BZ_KINDS_BY_UNIT, so the + only keeps it so) */
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
			code = bz_rec_walk(cx, bz_rec_all_open(cx, r8_hires_cand), sizeof(r8_hire), true, r8_fill, r8_judge);
		bz_store_exec_quiet(cx->l->store, "DELETE FROM temp.bz_r8_cand");
		bz_store_exec_quiet(cx->l->store, "DELETE FROM temp.bz_r8_over");
		cx->r8_ready = false;
	} else if (!BZ_WROTE_NONE(cx, "placement.enter", "placement.transfer_in"))
		code = bz_rec_walk(cx, set ? bz_rec_all_open(cx, pg ? r8_hires_set_pg : r8_hires_set)
					: bz_rec_scope_open(cx, r8_hires_txn, pg ? r8_hires_all_pg : r8_hires_all),
			    sizeof(r8_hire), true, r8_fill, r8_judge);
	if (code == BZ_OK && !BZ_WROTE_NONE(cx, "slip.issue", "plan.set"))
		code = bz_rec_walk(cx, set ? bz_rec_all_open(cx, r8_plans_set) : SCOPE_OPEN(cx, r8_plans), sizeof(r8_plan_row),
			    false, r8_plan_fill, r8_plans_judge);
	return code;
}
