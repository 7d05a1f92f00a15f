/*
 * counters.c: the derived counters recomputed from the records as step
 * functions, set-based (counters.h) — rebuilt by the import, compared by
 * bz_ledger_verify() (whole timelines) and the self-inspection (one date).
 */
#include "counters.h"
#include "rules_records.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* run a list of statements; ?1, where a statement has it, is all, ?2 until (NULL: none) */
typedef struct run_args {
	bool all;
	const char *until;
} run_args;

static void run_bind(bz_st *st, int np, const void *arg)
{
	const run_args *a = arg;
	if (np >= 1)
		bz_st_bind_int(st, 1, a->all);
	if (np >= 2 && a->until)
		bz_bind_text(st, 2, a->until);
}

static int run(bz_ledger *l, const char *const *sql, size_t n, bool all, const char *until)
{
	run_args a = {all, until};
	return bz_exec_list(l, sql, n, run_bind, &a, NULL);
}

#define N(a) (sizeof (a) / sizeof (a)[0])

/* the placements grouped at a date (bz_counters_staff_at); empty unless it was called */
#define BZ_CSTAFF_TABLE "CREATE TEMP TABLE IF NOT EXISTS bz_cstaff(unit TEXT NOT NULL, cat TEXT NOT NULL, n INTEGER NOT NULL)"

int bz_counters_scope(bz_ledger *l, bool all)
{
	static const char *const sql[] = {
		"CREATE TEMP TABLE IF NOT EXISTS bz_cunit(id TEXT PRIMARY KEY)",
		"CREATE TEMP TABLE IF NOT EXISTS bz_cjur(id TEXT PRIMARY KEY)",
		"DELETE FROM temp.bz_cunit",
		"DELETE FROM temp.bz_cjur",
		"INSERT INTO temp.bz_cunit SELECT id FROM unit WHERE ?1",
		"INSERT OR IGNORE INTO temp.bz_cjur SELECT jurisdiction FROM unit WHERE ?1 AND jurisdiction IS NOT NULL",
	};
	return run(l, sql, N(sql), all, NULL);
}

/*
 * The deltas, into temp.bz_cudelta (a unit × category's, with the unit's
 * jurisdiction and the category's branch) and temp.bz_cdelta (by key and
 * date, summed). A unit's counters need its unit row and the category's
 * row (a figure of an unknown category is no counter), as the
 * self-inspection's figures at one date do; an end before its beginning
 * (an exit before the entry, an abolition before the founding — only ever
 * written behind the library) ends it where it began, so that every date
 * gives what the figures at that date give.
 *
 * ?1: every appointment and sub-unit, whatever its subject (all), or those
 * of the scope's units. ?2: NULL for the whole timelines; a date for only
 * what the figures on that date need — a record whose deltas all lie on or
 * before it leaves out its beginning and its end alike (they cancel), one
 * that ends after it gives only its beginning, one that begins after it
 * nothing — and then bz_cdelta gets no unit × category key: the figures
 * are summed from bz_cudelta (bz_counters_diff_at).
 */
static const char *const recompute_sql[] = {
	"CREATE TEMP TABLE IF NOT EXISTS bz_cudelta(unit TEXT, cat TEXT, what TEXT, date TEXT, delta INTEGER, jur TEXT,"
	" branch INTEGER)",
	"CREATE TEMP TABLE IF NOT EXISTS bz_cdelta(key TEXT, date TEXT, delta INTEGER, PRIMARY KEY(key, date)) WITHOUT ROWID",
	BZ_CSTAFF_TABLE,
	"DELETE FROM temp.bz_cudelta",
	"DELETE FROM temp.bz_cdelta",
	/* establishment and frozen posts: the figure in force, as of each date it was set (a day's last record) */
	"INSERT INTO temp.bz_cudelta SELECT subject, cat, what, effective, v - COALESCE(LAG(v) OVER (PARTITION BY subject, attr"
	" ORDER BY effective), 0), jur, branch FROM (SELECT f.subject, f.attr, CASE WHEN f.attr<'est;' THEN 'est' ELSE 'frozen' END"
	" AS what, c.code AS cat, f.effective, COALESCE(CAST(f.after AS INTEGER), 0) AS v, u.jurisdiction AS jur, c.branch"
	" FROM fact f JOIN temp.bz_cunit a ON a.id=f.subject JOIN unit u ON u.id=f.subject"
	" JOIN category c ON c.code=substr(f.attr, instr(f.attr, ':') + 1)"
	" WHERE ((f.attr>='est:' AND f.attr<'est;') OR (f.attr>='frozen:' AND f.attr<'frozen;')) AND (?2 IS NULL OR f.effective<=?2)"
	" AND NOT EXISTS (SELECT 1 FROM fact g WHERE g.subject=f.subject AND g.attr=f.attr AND g.effective=f.effective"
	" AND g.event>f.event))",
	/* in post: for the whole timelines one delta per entry; on a date, per unit × category those
	 * who entered by then (temp.bz_cstaff, bz_counters_staff_at) less those of them who left by
	 * then (dated that day: the figures sum every delta up to it) — the placements grouped before
	 * any join, so the unit, its scope and the category are read once per group, not per person,
	 * and the exits read from placement_exit (one row per exit) instead of one seek into it per
	 * placement (issue 10) */
	"INSERT INTO temp.bz_cudelta SELECT p.unit, p.category, 'staff', p.entry, 1, u.jurisdiction, c.branch FROM placement p"
	" JOIN temp.bz_cunit a ON a.id=p.unit JOIN unit u ON u.id=p.unit JOIN category c ON c.code=p.category"
	" WHERE ?2 IS NULL",
	"INSERT INTO temp.bz_cudelta SELECT g.unit, g.cat, 'staff', ?2, g.n, u.jurisdiction, c.branch FROM temp.bz_cstaff g"
	" JOIN temp.bz_cunit a ON a.id=g.unit JOIN unit u ON u.id=g.unit JOIN category c ON c.code=g.cat WHERE ?2 IS NOT NULL",
	"INSERT INTO temp.bz_cudelta SELECT g.unit, g.category, 'staff', ?2, -g.n, u.jurisdiction, c.branch FROM"
	" (SELECT p.unit, p.category, count(*) AS n FROM placement_exit x JOIN placement p ON p.id=x.placement"
	"  WHERE ?2 IS NOT NULL AND x.date<=?2 AND p.entry<=?2 GROUP BY p.category, p.unit) g"
	" JOIN temp.bz_cunit a ON a.id=g.unit JOIN unit u ON u.id=g.unit JOIN category c ON c.code=g.category",
	"INSERT INTO temp.bz_cudelta SELECT p.unit, p.category, 'staff', max(x.date, p.entry), -1, u.jurisdiction, c.branch"
	" FROM placement p JOIN temp.bz_cunit a ON a.id=p.unit JOIN unit u ON u.id=p.unit JOIN category c ON c.code=p.category"
	" JOIN placement_exit x ON x.placement=p.id WHERE ?2 IS NULL",
	/* reserved: a slip's posts from its issue to its end (the day after its validity, or its
	 * cancellation), less each of its first hires (up to its posts) from the hire's date; posts read
	 * as an integer, as R8 and the oracle read them (a hand-edited 'x' is 0: a text compared with a
	 * number is greater than every number, so 'x' reserved nothing yet took every hire off) */
	"INSERT INTO temp.bz_cudelta WITH s0 AS (SELECT s.id, s.unit, s.category, max(CAST(s.posts AS INTEGER), 0) AS posts, s.issued,"
	" s.valid_until, e.date AS ended,"
	" CASE WHEN e.date IS NOT NULL AND e.date<date(s.valid_until, '+1 day') THEN e.date ELSE date(s.valid_until, '+1 day') END"
	" AS stop, u.jurisdiction AS jur, c.branch FROM slip s LEFT JOIN slip_end e ON e.slip=s.id"
	" JOIN temp.bz_cunit a ON a.id=s.unit JOIN unit u ON u.id=s.unit JOIN category c ON c.code=s.category"
	/* on a date, s's own test of the date made here already, right after each slip's end is read: the
	 * slips no longer in force then (most of a county's) are not joined with their unit and category
	 * (issue 10); s tests it again, so what s holds is the same */
	" WHERE ?2 IS NULL OR (s.issued<=?2 AND CASE WHEN e.date IS NOT NULL AND e.date<date(s.valid_until, '+1 day')"
	"  THEN e.date ELSE date(s.valid_until, '+1 day') END>?2)),"
	" s AS (SELECT * FROM s0 WHERE issued<stop AND (?2 IS NULL OR (issued<=?2 AND stop>?2))),"
	" h AS (SELECT s.unit, s.category, p.entry, s.stop, s.posts, s.jur, s.branch,"
	" row_number() OVER (PARTITION BY s.id ORDER BY p.entry, p.id) AS rn"
	" FROM s JOIN placement p ON p.slip=s.id AND p.unit=s.unit AND p.category=s.category AND p.entry>=s.issued"
	" AND p.entry<=s.valid_until AND (s.ended IS NULL OR p.entry<s.ended))"
	" SELECT unit, category, 'resv', issued, posts, jur, branch FROM s"
	" UNION ALL SELECT unit, category, 'resv', stop, -posts, jur, branch FROM s WHERE ?2 IS NULL"
	" UNION ALL SELECT unit, category, 'resv', entry, -1, jur, branch FROM h WHERE rn<=posts AND (?2 IS NULL OR entry<=?2)"
	" UNION ALL SELECT unit, category, 'resv', stop, count(*), jur, branch FROM h WHERE rn<=posts AND ?2 IS NULL"
	" GROUP BY unit, category, stop, jur, branch",
	/* the whole timelines: each unit × category's, and each jurisdiction × branch's, summed per date */
	"INSERT INTO temp.bz_cdelta SELECT 'U:' || unit || ':' || what || ':' || cat, date, sum(delta) FROM temp.bz_cudelta"
	" WHERE ?2 IS NULL GROUP BY unit, what, cat, date",
	"INSERT INTO temp.bz_cdelta SELECT 'J:' || jur || ':' || what || ':' || branch, date, sum(delta) FROM temp.bz_cudelta"
	" WHERE ?2 IS NULL GROUP BY jur, what, branch, date",
	/* leaders in post, of units and their sub-units */
	"INSERT INTO temp.bz_cdelta SELECT key, date, sum(d) FROM ("
	" SELECT 'L:' || a.subject || ':' || CASE a.post WHEN 1 THEN 'principal' ELSE 'deputy' END AS key, a.start AS date, 1 AS d"
	" FROM appointment a WHERE (?1 OR a.subject IN (SELECT id FROM temp.bz_cunit UNION SELECT b.id FROM subunit b"
	" JOIN temp.bz_cunit u ON u.id=b.unit)) AND (?2 IS NULL OR (a.start<=?2 AND NOT EXISTS (SELECT 1 FROM appointment_end e"
	" WHERE e.appointment=a.id AND e.date<=?2)))"
	" UNION ALL SELECT 'L:' || a.subject || ':' || CASE a.post WHEN 1 THEN 'principal' ELSE 'deputy' END, max(e.date, a.start), -1"
	" FROM appointment a JOIN appointment_end e ON e.appointment=a.id WHERE ?2 IS NULL AND (?1 OR a.subject IN"
	" (SELECT id FROM temp.bz_cunit UNION SELECT b.id FROM subunit b JOIN temp.bz_cunit u ON u.id=b.unit)))"
	" GROUP BY key, date",
	/* sub-units in being */
	"INSERT INTO temp.bz_cdelta SELECT key, date, sum(d) FROM ("
	" SELECT 'S:' || b.unit || ':count' AS key, b.founded AS date, 1 AS d FROM subunit b"
	" WHERE (?1 OR b.unit IN (SELECT id FROM temp.bz_cunit)) AND (?2 IS NULL OR (b.founded<=?2 AND NOT EXISTS"
	" (SELECT 1 FROM fact f WHERE f.subject=b.id AND f.attr='status' AND f.after='2' AND f.effective<=?2)))"
	" UNION ALL SELECT 'S:' || b.unit || ':count', max(b.founded, (SELECT min(effective) FROM fact f"
	" WHERE f.subject=b.id AND f.attr='status' AND f.after='2')), -1 FROM subunit b WHERE ?2 IS NULL AND (?1 OR b.unit IN"
	" (SELECT id FROM temp.bz_cunit)) AND EXISTS (SELECT 1 FROM fact f WHERE f.subject=b.id AND f.attr='status' AND f.after='2'))"
	" GROUP BY key, date",
};

/* a unit × category of bz_counters_staff_at's pass: its two texts (unit, then category) and its count */
typedef struct staff_group {
	char *text; /* NULL: a free slot */
	size_t ulen, clen;
	int64_t n;
} staff_group;

typedef struct staff_tab {
	staff_group *slot;
	size_t cap, used;
} staff_tab;

static size_t staff_find(const staff_tab *t, const char *u, size_t ul, const char *c, size_t cl)
{
	/* both texts, each hashed 8 bytes a step (FNV-1a a byte at a time was 2 % of the self-inspection) */
	uint64_t h = bz_rec_hash(u, ul) * 0x9e3779b97f4a7c15u + bz_rec_hash(c, cl);
	size_t i = (size_t)h & (t->cap - 1);
	for (const staff_group *g; (g = &t->slot[i])->text; i = (i + 1) & (t->cap - 1))
		if (g->ulen == ul && g->clen == cl && memcmp(g->text, u, ul) == 0 && memcmp(g->text + ul, c, cl) == 0)
			break;
	return i;
}

static bool staff_grow(staff_tab *t)
{
	size_t cap = t->cap ? t->cap * 2 : 1024;
	staff_group *ns = bz__calloc(cap, sizeof *ns);
	if (!ns)
		return false;
	staff_tab nt = {.slot = ns, .cap = cap, .used = t->used};
	for (size_t i = 0; i < t->cap; i++) {
		const staff_group *g = &t->slot[i];
		if (g->text)
			ns[staff_find(&nt, g->text, g->ulen, g->text + g->ulen, g->clen)] = *g;
	}
	bz__free(t->slot);
	*t = nt;
	return true;
}

/*
 * On SQLite the placements are counted here, in one pass in rowid order
 * with a hash of their units × categories: SQLite's GROUP BY sorts every
 * placement by its two texts, twice the CPU of the pass (issue 10). On a
 * server the GROUP BY stays there (nothing to stream to the client).
 */
/*
 * Whether a column of the row is "<= until" as SQLite compares a TEXT column
 * with a text (BINARY): NULL never, a number always (numbers sort before
 * text), a blob never (after text), a text byte by byte, the shorter first.
 */
static bool text_le(bz_st *st, int i, const char *until, size_t ulen)
{
	switch (bz_st_column_type(st, i)) {
	case SQLITE_INTEGER:
	case SQLITE_FLOAT:
		return true;
	case SQLITE_TEXT: {
		const char *v = (const char *)bz_st_column_text(st, i);
		size_t n = (size_t)bz_st_column_bytes(st, i);
		int c = memcmp(v, until, n < ulen ? n : ulen);
		return c < 0 || (c == 0 && n <= ulen);
	}
	default:
		return false;
	}
}

static int staff_counted(bz_ledger *l, const char *until, bz_placement_fn fn, void *ctx)
{
	/* every placement, the date tested here (as "entry<=?1" would): the hook sees them all */
	static const char sql[] = "SELECT unit, category, entry, slip, event FROM placement";
	static const char ins[] = "INSERT INTO temp.bz_cstaff(unit, cat, n) VALUES(?1,?2,?3)";
	bz_st *st = NULL;
	int rc = bz_store_prepare(l->store, &st, sql);
	if (rc != SQLITE_OK)
		return bz_sqlfail(l, rc);
	size_t ulen = strlen(until);
	staff_tab t = {0};
	int code = BZ_OK;
	while (code == BZ_OK && (rc = bz_step(st)) == SQLITE_ROW) {
		if (fn && (code = fn(ctx, st)) != BZ_OK)
			break;
		if (!text_le(st, 2, until, ulen))
			continue;
		const char *u = (const char *)bz_st_column_text(st, 0), *c = (const char *)bz_st_column_text(st, 1);
		if (!u || !c)
			continue; /* NOT NULL in the schema: no counter of its own either way */
		size_t ul = (size_t)bz_st_column_bytes(st, 0), cl = (size_t)bz_st_column_bytes(st, 1);
		if ((t.used + 1) * 2 > t.cap && !staff_grow(&t)) {
			code = bz_fail(l, BZ_ENOMEM, "out of memory");
			break;
		}
		staff_group *g = &t.slot[staff_find(&t, u, ul, c, cl)];
		if (!g->text) {
			if (!(g->text = bz__malloc(ul + cl + 1))) {
				code = bz_fail(l, BZ_ENOMEM, "out of memory");
				break;
			}
			memcpy(g->text, u, ul);
			memcpy(g->text + ul, c, cl);
			g->ulen = ul;
			g->clen = cl;
			t.used++;
		}
		g->n++;
	}
	if (code == BZ_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
		code = bz_sqlfail(l, rc);
	bz_st_finalize(st);
	for (size_t i = 0; i < t.cap; i++) {
		staff_group *g = &t.slot[i];
		if (code == BZ_OK && g->text) {
			bz_st *w = bz_stmt(l, ins);
			if (!w) {
				code = bz_stmt_err();
			} else {
				bz_bind_textn(w, 1, g->text, (int)g->ulen);
				bz_bind_textn(w, 2, g->text + g->ulen, (int)g->clen);
				bz_st_bind_int64(w, 3, g->n);
				code = bz_step_done(l, w);
			}
		}
		bz__free(g->text);
	}
	bz__free(t.slot);
	return code;
}

int bz_counters_staff_at(bz_ledger *l, const char *until, bz_placement_fn fn, void *ctx)
{
	/* "GROUP BY category, unit", not "unit, category": SQLite would walk placement_unit for the
	 * latter and read every row through it, three times slower than a scan and a sort (issue 10) */
	static const char *const sql[] = {
		BZ_CSTAFF_TABLE,
		"DELETE FROM temp.bz_cstaff",
		"INSERT INTO temp.bz_cstaff SELECT p.unit, p.category, count(*) FROM placement p WHERE ?1=?1 AND p.entry<=?2"
		" GROUP BY p.category, p.unit",
	};
	if (!l->db)
		return run(l, sql, N(sql), true, until);
	int code = run(l, sql, 2, true, until);
	return code == BZ_OK ? staff_counted(l, until, fn, ctx) : code;
}

int bz_counters_recompute(bz_ledger *l, bool all, const char *until)
{
	int code = run(l, recompute_sql, N(recompute_sql), all, until);
	/* the whole timelines are in bz_cdelta: the unit rows' memory is for the comparison */
	if (code == BZ_OK && !until)
		code = bz_exec(l, "DELETE FROM temp.bz_cudelta");
	return code;
}

int bz_counters_rebuild(bz_ledger *l)
{
	static const char *const sql[] = {
		"CREATE TEMP TABLE IF NOT EXISTS bz_cprefix(lo TEXT, hi TEXT)",
		"DELETE FROM temp.bz_cprefix",
		/* the counters replaced: "X:<subject>:" up to "X:<subject>;" */
		"INSERT INTO temp.bz_cprefix SELECT p || id || ':', p || id || ';' FROM temp.bz_cunit, (SELECT 'U:' AS p"
		" UNION ALL SELECT 'S:' UNION ALL SELECT 'L:') AS kinds",
		"INSERT INTO temp.bz_cprefix SELECT 'L:' || b.id || ':', 'L:' || b.id || ';' FROM subunit b"
		" JOIN temp.bz_cunit u ON u.id=b.unit",
		"INSERT INTO temp.bz_cprefix SELECT 'J:' || id || ':', 'J:' || id || ';' FROM temp.bz_cjur",
		"DELETE FROM tl WHERE counter IN (SELECT c.id FROM counter c JOIN temp.bz_cprefix p ON c.key>=p.lo AND c.key<p.hi)",
		"INSERT OR IGNORE INTO counter(key) SELECT DISTINCT key FROM temp.bz_cdelta ORDER BY key",
		"INSERT INTO tl(counter, effective, value) SELECT c.id, d.date, sum(d.delta) OVER (PARTITION BY d.key ORDER BY d.date)"
		" FROM temp.bz_cdelta d JOIN counter c ON c.key=d.key",
		"DELETE FROM temp.bz_cprefix",
	};
	return run(l, sql, N(sql), false, NULL);
}

/* rows (key, date, stored, records) to fn, date bound to ?1 when given */
static int diff_rows(bz_ledger *l, const char *sql, const char *date, bz_counter_diff_fn fn, void *ctx)
{
	bz_st *st = NULL;
	int rc = bz_store_prepare(l->store, &st, sql);
	if (rc != SQLITE_OK)
		return bz_sqlfail(l, rc);
	if (date)
		bz_bind_text(st, 1, date);
	int code = BZ_OK;
	while (code == BZ_OK && (rc = bz_step(st)) == SQLITE_ROW) {
		const char *key = (const char *)bz_st_column_text(st, 0);
		const char *d = date ? date : (const char *)bz_st_column_text(st, 1);
		if (key && d)
			code = fn(ctx, key, d, bz_st_column_int64(st, 2), bz_st_column_int64(st, 3));
	}
	if (code == BZ_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
		code = bz_sqlfail(l, rc);
	bz_st_finalize(st);
	return code;
}

int bz_counters_diff_at(bz_ledger *l, const char *date, bz_counter_diff_fn fn, void *ctx)
{
	/* each side's figure on the date, one row per key; a key on one side only is 0 on the other. The
	 * stored figure is one seek per counter (its last breakpoint on or before the date): joined with
	 * tl on "effective = (SELECT max …)" SQLite scanned every breakpoint of every counter and ran
	 * the subquery for each — 0.08 of the 0.11 s the recompute took on the benchmark (issue 10) */
	static const char sql[] =
		"WITH uf AS (SELECT unit, what, cat, jur, branch, sum(delta) AS v FROM temp.bz_cudelta WHERE date<=?1"
		"  GROUP BY unit, what, cat, jur, branch),"
		" rec AS (SELECT 'U:' || unit || ':' || what || ':' || cat AS key, v FROM uf"
		"  UNION ALL SELECT 'J:' || jur || ':' || what || ':' || branch, sum(v) FROM uf GROUP BY jur, what, branch"
		"  UNION ALL SELECT key, sum(delta) FROM temp.bz_cdelta WHERE date<=?1 GROUP BY key)"
		" SELECT key, NULL, COALESCE(max(sv), 0) AS have, COALESCE(max(rv), 0) AS want FROM ("
		" SELECT key, NULL AS sv, v AS rv FROM rec"
		" UNION ALL SELECT c.key, (SELECT t.value FROM tl t WHERE t.counter=c.id AND t.effective<=?1"
		"  ORDER BY t.effective DESC LIMIT 1), NULL FROM counter c)"
		" AS sides GROUP BY key HAVING COALESCE(max(sv), 0)<>COALESCE(max(rv), 0) ORDER BY key";
	return diff_rows(l, sql, date, fn, ctx);
}

int bz_counters_diff_timelines(bz_ledger *l, bz_counter_diff_fn fn, void *ctx)
{
	/*
	 * Step functions are compared by their changes: each stored breakpoint's
	 * figure less the one before it (0 before the first), against the
	 * records' deltas per key and date. Two step functions are equal exactly
	 * when their non-zero changes are; the first date where those differ is
	 * the first day the figures do. The stored changes are read in the
	 * table's own order (counter, date) and each looked up in the records'
	 * by (key, date); each of the records' changes is looked up in the
	 * stored timeline: nothing of either side is sorted or copied.
	 */
	static const char sql[] =
		"WITH bad AS (SELECT s.key, s.date FROM (SELECT c.key, t.effective AS date,"
		"   t.value - LAG(t.value, 1, 0) OVER (PARTITION BY t.counter ORDER BY t.effective) AS dv"
		"   FROM tl t JOIN counter c ON c.id=t.counter) s"
		"  WHERE s.dv<>0 AND NOT EXISTS (SELECT 1 FROM temp.bz_cdelta r WHERE r.key=s.key AND r.date=s.date AND r.delta=s.dv)"
		" UNION ALL SELECT r.key, r.date FROM temp.bz_cdelta r WHERE r.delta<>0 AND NOT EXISTS"
		"  (SELECT 1 FROM counter c JOIN tl t ON t.counter=c.id AND t.effective=r.date WHERE c.key=r.key"
		"   AND t.value - COALESCE((SELECT p.value FROM tl p WHERE p.counter=c.id AND p.effective<r.date"
		"   ORDER BY p.effective DESC LIMIT 1), 0)=r.delta)),"
		" d AS (SELECT key, min(date) AS date FROM bad GROUP BY key)"
		" SELECT d.key, d.date,"
		" COALESCE((SELECT t.value FROM counter c JOIN tl t ON t.counter=c.id WHERE c.key=d.key AND t.effective<=d.date"
		"  ORDER BY t.effective DESC LIMIT 1), 0),"
		" COALESCE((SELECT sum(r.delta) FROM temp.bz_cdelta r WHERE r.key=d.key AND r.date<=d.date), 0)"
		" FROM d ORDER BY d.key";
	return diff_rows(l, sql, NULL, fn, ctx);
}

void bz_counters_drop(bz_ledger *l)
{
	/* emptied, not dropped: a DROP fails while a caller's statement runs on the connection
	 * (a list being walked); best effort — the next run empties them first anyway */
	static const char *const tables[] = {"bz_cdelta", "bz_cudelta", "bz_cprefix", "bz_cunit", "bz_cjur", "bz_cstaff"};
	for (size_t i = 0; i < N(tables); i++) {
		char sql[64];
		snprintf(sql, sizeof sql, "DELETE FROM temp.%s", tables[i]);
		bz_store_exec_quiet(l->store, sql);
	}
}
