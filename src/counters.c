/*
 * counters.c: the derived counters recomputed from the records as step
 * functions, set-based (counters.h) — rebuilt by the import, compared by
 * bz_ledger_verify() (whole timelines) and the self-inspection (one date).
 */
#include "counters.h"

#include <stdio.h>
#include <string.h>

/* run a list of statements; ?1, where a statement has it, is all */
static int run(bz_ledger *l, const char *const *sql, size_t n, bool all)
{
	for (size_t i = 0; i < n; i++) {
		sqlite3_stmt *st = NULL;
		int rc = sqlite3_prepare_v2(l->db, sql[i], -1, &st, NULL);
		if (rc != SQLITE_OK)
			return bz_sqlfail(l, rc);
		if (sqlite3_bind_parameter_count(st) > 0)
			sqlite3_bind_int(st, 1, all);
		rc = bz_step(st);
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			return bz_sqlfail(l, rc);
	}
	return BZ_OK;
}

#define N(a) (sizeof (a) / sizeof (a)[0])

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
	return run(l, sql, N(sql), all);
}

/*
 * The deltas. A unit's counters need its unit row and the category's row
 * (a figure of an unknown category is no counter), as the self-inspection's
 * figures at one date do; an end before its beginning (an exit before the
 * entry, an abolition before the founding — only ever written behind the
 * library) ends it where it began, so that every date gives what the
 * figures at that date give. ?1: every appointment and sub-unit, whatever
 * its subject (all), or those of the scope's units.
 */
static const char *const recompute_sql[] = {
	"CREATE TEMP TABLE IF NOT EXISTS bz_cudelta(unit TEXT, cat TEXT, what TEXT, date TEXT, delta INTEGER)",
	/* a counter's deltas together, in date order: the comparisons read them so */
	"CREATE TEMP TABLE IF NOT EXISTS bz_cdelta(key TEXT, date TEXT, delta INTEGER)",
	"CREATE INDEX IF NOT EXISTS temp.bz_cdelta_key ON bz_cdelta(key, date)",
	"DELETE FROM temp.bz_cudelta",
	"DELETE FROM temp.bz_cdelta",
	/* establishment and frozen posts: the figure in force, as of each date it was set (a day's last record) */
	"INSERT INTO temp.bz_cudelta SELECT subject, cat, what, effective, v - COALESCE(LAG(v) OVER (PARTITION BY subject, attr"
	" ORDER BY effective), 0) FROM (SELECT f.subject, f.attr, CASE WHEN f.attr<'est;' THEN 'est' ELSE 'frozen' END AS what,"
	" substr(f.attr, instr(f.attr, ':') + 1) AS cat, f.effective, COALESCE(CAST(f.after AS INTEGER), 0) AS v FROM fact f"
	" JOIN temp.bz_cunit a ON a.id=f.subject JOIN category c ON c.code=substr(f.attr, instr(f.attr, ':') + 1)"
	" WHERE ((f.attr>='est:' AND f.attr<'est;') OR (f.attr>='frozen:' AND f.attr<'frozen;'))"
	" AND NOT EXISTS (SELECT 1 FROM fact g WHERE g.subject=f.subject AND g.attr=f.attr AND g.effective=f.effective"
	" AND g.event>f.event))",
	/* in post */
	"INSERT INTO temp.bz_cudelta SELECT p.unit, p.category, 'staff', p.entry, 1 FROM placement p"
	" JOIN temp.bz_cunit a ON a.id=p.unit JOIN category c ON c.code=p.category",
	"INSERT INTO temp.bz_cudelta SELECT p.unit, p.category, 'staff', max(x.date, p.entry), -1 FROM placement p"
	" JOIN temp.bz_cunit a ON a.id=p.unit JOIN category c ON c.code=p.category JOIN placement_exit x ON x.placement=p.id",
	/* reserved: a slip's posts from its issue to its end (the day after its validity, or its
	 * cancellation), less each hire on it from the hire's date, never below nothing */
	"INSERT INTO temp.bz_cudelta WITH s AS (SELECT s.id, s.unit, s.category, max(s.posts, 0) AS posts, s.issued,"
	" s.valid_until, e.date AS ended,"
	" CASE WHEN e.date IS NOT NULL AND e.date<date(s.valid_until, '+1 day') THEN e.date ELSE date(s.valid_until, '+1 day') END"
	" AS stop FROM slip s JOIN temp.bz_cunit a ON a.id=s.unit JOIN category c ON c.code=s.category"
	" LEFT JOIN slip_end e ON e.slip=s.id),"
	" h AS (SELECT s.unit, s.category, p.entry, s.stop, s.posts, row_number() OVER (PARTITION BY s.id ORDER BY p.entry, p.id) AS rn"
	" FROM s JOIN placement p ON p.slip=s.id AND p.unit=s.unit AND p.category=s.category AND p.entry>=s.issued"
	" AND p.entry<=s.valid_until AND (s.ended IS NULL OR p.entry<s.ended))"
	" SELECT unit, category, 'resv', issued, posts FROM s WHERE issued<stop"
	" UNION ALL SELECT unit, category, 'resv', stop, -posts FROM s WHERE issued<stop"
	" UNION ALL SELECT unit, category, 'resv', entry, -1 FROM h WHERE rn<=posts"
	" UNION ALL SELECT unit, category, 'resv', stop, 1 FROM h WHERE rn<=posts",
	"INSERT INTO temp.bz_cdelta SELECT 'U:' || unit || ':' || what || ':' || cat, date, delta FROM temp.bz_cudelta",
	"INSERT INTO temp.bz_cdelta SELECT 'J:' || u.jurisdiction || ':' || d.what || ':' || c.branch, d.date, d.delta"
	" FROM temp.bz_cudelta d JOIN unit u ON u.id=d.unit JOIN category c ON c.code=d.cat"
	" WHERE u.jurisdiction IN (SELECT id FROM temp.bz_cjur)",
	"DELETE FROM temp.bz_cudelta",
	/* leaders in post, of units and their sub-units */
	"INSERT INTO temp.bz_cdelta SELECT 'L:' || a.subject || ':' || CASE a.post WHEN 1 THEN 'principal' ELSE 'deputy' END, a.start, 1"
	" FROM appointment a WHERE ?1 OR a.subject IN (SELECT id FROM temp.bz_cunit UNION SELECT b.id FROM subunit b"
	" JOIN temp.bz_cunit u ON u.id=b.unit)",
	"INSERT INTO temp.bz_cdelta SELECT 'L:' || a.subject || ':' || CASE a.post WHEN 1 THEN 'principal' ELSE 'deputy' END,"
	" max(e.date, a.start), -1 FROM appointment a JOIN appointment_end e ON e.appointment=a.id WHERE ?1 OR a.subject IN"
	" (SELECT id FROM temp.bz_cunit UNION SELECT b.id FROM subunit b JOIN temp.bz_cunit u ON u.id=b.unit)",
	/* sub-units in being */
	"INSERT INTO temp.bz_cdelta SELECT 'S:' || b.unit || ':count', b.founded, 1 FROM subunit b"
	" WHERE ?1 OR b.unit IN (SELECT id FROM temp.bz_cunit)",
	"INSERT INTO temp.bz_cdelta SELECT 'S:' || b.unit || ':count', max(b.founded, (SELECT min(effective) FROM fact f"
	" WHERE f.subject=b.id AND f.attr='status' AND f.after='2')), -1 FROM subunit b WHERE (?1 OR b.unit IN"
	" (SELECT id FROM temp.bz_cunit)) AND EXISTS (SELECT 1 FROM fact f WHERE f.subject=b.id AND f.attr='status' AND f.after='2')",
};

int bz_counters_recompute(bz_ledger *l, bool all)
{
	return run(l, recompute_sql, N(recompute_sql), all);
}

int bz_counters_rebuild(bz_ledger *l)
{
	static const char *const sql[] = {
		"CREATE TEMP TABLE IF NOT EXISTS bz_cprefix(lo TEXT, hi TEXT)",
		"DELETE FROM temp.bz_cprefix",
		/* the counters replaced: "X:<subject>:" up to "X:<subject>;" */
		"INSERT INTO temp.bz_cprefix SELECT p || id || ':', p || id || ';' FROM temp.bz_cunit, (SELECT 'U:' AS p"
		" UNION ALL SELECT 'S:' UNION ALL SELECT 'L:')",
		"INSERT INTO temp.bz_cprefix SELECT 'L:' || b.id || ':', 'L:' || b.id || ';' FROM subunit b"
		" JOIN temp.bz_cunit u ON u.id=b.unit",
		"INSERT INTO temp.bz_cprefix SELECT 'J:' || id || ':', 'J:' || id || ';' FROM temp.bz_cjur",
		"DELETE FROM tl WHERE counter IN (SELECT c.id FROM counter c JOIN temp.bz_cprefix p ON c.key>=p.lo AND c.key<p.hi)",
		"INSERT OR IGNORE INTO counter(key) SELECT DISTINCT key FROM temp.bz_cdelta ORDER BY key",
		"INSERT INTO tl(counter, effective, value) SELECT c.id, d.date, sum(d.dv) OVER (PARTITION BY d.key ORDER BY d.date)"
		" FROM (SELECT key, date, sum(delta) AS dv FROM temp.bz_cdelta GROUP BY key, date) d JOIN counter c ON c.key=d.key",
		"DELETE FROM temp.bz_cprefix",
	};
	return run(l, sql, N(sql), false);
}

/* rows (key, date, stored, records) to fn, date bound to ?1 when given */
static int diff_rows(bz_ledger *l, const char *sql, const char *date, bz_counter_diff_fn fn, void *ctx)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(l->db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return bz_sqlfail(l, rc);
	if (date)
		bz_bind_text(st, 1, date);
	int code = BZ_OK;
	while (code == BZ_OK && (rc = bz_step(st)) == SQLITE_ROW) {
		const char *key = (const char *)sqlite3_column_text(st, 0);
		const char *d = date ? date : (const char *)sqlite3_column_text(st, 1);
		if (key && d)
			code = fn(ctx, key, d, sqlite3_column_int64(st, 2), sqlite3_column_int64(st, 3));
	}
	if (code == BZ_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
		code = bz_sqlfail(l, rc);
	sqlite3_finalize(st);
	return code;
}

int bz_counters_diff_at(bz_ledger *l, const char *date, bz_counter_diff_fn fn, void *ctx)
{
	/* each side's figure on the date, one row per key; a key on one side only is 0 on the other */
	static const char sql[] =
		"SELECT key, NULL, COALESCE(max(sv), 0) AS have, COALESCE(max(rv), 0) AS want FROM ("
		" SELECT key, NULL AS sv, sum(delta) AS rv FROM temp.bz_cdelta WHERE date<=?1 GROUP BY key"
		" UNION ALL SELECT c.key, t.value, NULL FROM counter c"
		"  JOIN (SELECT counter, max(effective), value FROM tl WHERE effective<=?1 GROUP BY counter) t ON t.counter=c.id)"
		" GROUP BY key HAVING have<>want ORDER BY key";
	return diff_rows(l, sql, date, fn, ctx);
}

int bz_counters_diff_timelines(bz_ledger *l, bz_counter_diff_fn fn, void *ctx)
{
	/*
	 * Each side reduced to its change points (a breakpoint whose figure
	 * differs from the one before it, 0 before the first); two step
	 * functions are equal exactly when their change points are, and the
	 * first change point where they are not is the first day they differ.
	 */
	static const char sql[] =
		"WITH s AS (SELECT c.key, t.effective AS date, t.value AS v,"
		"  LAG(t.value, 1, 0) OVER (PARTITION BY t.counter ORDER BY t.effective) AS p"
		"  FROM tl t JOIN counter c ON c.id=t.counter),"
		" g AS (SELECT key, date, sum(delta) AS dv FROM temp.bz_cdelta GROUP BY key, date),"
		" r AS (SELECT key, date, dv, sum(dv) OVER (PARTITION BY key ORDER BY date) AS v FROM g),"
		" b AS (SELECT key, date, v AS sv, NULL AS rv FROM s WHERE v<>p"
		"  UNION ALL SELECT key, date, NULL, v FROM r WHERE dv<>0),"
		" d AS (SELECT key, min(date) AS date FROM (SELECT key, date FROM b GROUP BY key, date"
		"  HAVING count(sv)<>count(rv) OR max(sv)<>max(rv)) GROUP BY key)"
		" SELECT d.key, d.date,"
		" COALESCE((SELECT t.value FROM counter c JOIN tl t ON t.counter=c.id WHERE c.key=d.key AND t.effective<=d.date"
		"  ORDER BY t.effective DESC LIMIT 1), 0),"
		" COALESCE((SELECT sum(x.delta) FROM temp.bz_cdelta x WHERE x.key=d.key AND x.date<=d.date), 0)"
		" FROM d ORDER BY d.key";
	return diff_rows(l, sql, NULL, fn, ctx);
}

void bz_counters_drop(bz_ledger *l)
{
	/* emptied, not dropped: a DROP fails while a caller's statement runs on the connection
	 * (a list being walked); best effort — the next run empties them first anyway */
	static const char *const tables[] = {"bz_cdelta", "bz_cudelta", "bz_cprefix", "bz_cunit", "bz_cjur"};
	for (size_t i = 0; i < N(tables); i++) {
		char sql[64];
		snprintf(sql, sizeof sql, "DELETE FROM temp.%s", tables[i]);
		sqlite3_exec(l->db, sql, NULL, NULL, NULL);
	}
}
