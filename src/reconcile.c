/*
 * reconcile.c: a roster of another department against Table 3 (reconcile.h).
 *
 * The roster is streamed row by row (bz_tab) into a temporary table of the
 * ledger's connection, temp.bz_rec_row, under a run number of its own, its
 * unit and category texts resolved on the way (once per distinct text); the
 * rows are then matched (duplicate, person, the placement in post or the one
 * that ended) and the differences written to temp.bz_rec_diff by a handful
 * of set-wise statements, each using the ledger's indexes (person.id_number,
 * placement_person …) — so a roster of 100,000 rows is SQLite's temporary
 * store, not arrays of ours. The iterator reads bz_rec_diff; freeing it
 * deletes its run's rows (the last one alive empties the tables).
 */
#include "catalogue.h"
#include "tabular.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct bz_diff {
	int kind;
	int64_t line;
	char *id_number, *roster_name, *ledger_name, *roster_unit, *unit, *unit_name;
	char *roster_category, *category, *category_name, *person, *placement, *document, *detail;
};

struct bz_diff_iter {
	bz_child child;
	bz_ledger *l; /* NULL once the ledger closed */
	bz_st *st;
	int64_t run;
	bool done;
};

BZ_EXTERN const char *bz_difference_name(int kind)
{
	switch (kind) {
	case BZ_DIFF_NOT_ESTABLISHED: return "在册未在编";
	case BZ_DIFF_NOT_ON_ROSTER: return "在编未在册";
	case BZ_DIFF_UNIT: return "单位不符";
	case BZ_DIFF_CATEGORY: return "类别不符";
	case BZ_DIFF_NAME: return "姓名不符";
	case BZ_DIFF_IDNUM: return "身份证号不符";
	case BZ_DIFF_LEFT_PAID: return "出编仍发放";
	case BZ_DIFF_DUPLICATE: return "重复";
	case BZ_DIFF_UNREADABLE: return "无法识别";
	default: return "";
	}
}

/* ---- the temporary tables ------------------------------------------------ */

/*
 * One set of tables per connection, created on first use and kept (a temp
 * table lives as long as the connection). how: 1 matched by the ID number,
 * 2 by its first 17 digits (wrong check character), 3 by name in the unit.
 * An index's name is not qualified: SQLite puts it beside its table (temp),
 * and PostgreSQL refuses a schema on an index's name (pg_temp.x: a syntax
 * error), so `temp.` there made every reconcile fail on a server.
 */
static const char temp_schema[] =
	"CREATE TEMP TABLE IF NOT EXISTS bz_rec_run(id INTEGER PRIMARY KEY);"
	"CREATE TEMP TABLE IF NOT EXISTS bz_rec_row(run INTEGER NOT NULL, line INTEGER NOT NULL,"
	" id_raw TEXT NOT NULL, key17 TEXT, idn TEXT, id_problem TEXT, name TEXT NOT NULL,"
	" unit_text TEXT NOT NULL, credit TEXT NOT NULL, cat_text TEXT NOT NULL, paid INTEGER NOT NULL,"
	" unit TEXT, category TEXT, dup_of INTEGER, person TEXT, how INTEGER, lname TEXT,"
	" post TEXT, post_unit TEXT, post_cat TEXT, gone TEXT, gone_unit TEXT, gone_cat TEXT);"
	"CREATE INDEX IF NOT EXISTS bz_rec_row_key ON bz_rec_row(run, key17, line);"
	"CREATE INDEX IF NOT EXISTS bz_rec_row_person ON bz_rec_row(run, person);"
	"CREATE TEMP TABLE IF NOT EXISTS bz_rec_diff(run INTEGER NOT NULL, kind INTEGER NOT NULL,"
	" line INTEGER NOT NULL, id_number TEXT, rname TEXT, person TEXT, runit TEXT, unit TEXT,"
	" rcat TEXT, category TEXT, placement TEXT, doc TEXT, detail TEXT, key17 TEXT, id_problem TEXT,"
	" how INTEGER);"
	"CREATE INDEX IF NOT EXISTS bz_rec_diff_run ON bz_rec_diff(run, line);";

/* ---- reading the roster --------------------------------------------------- */

enum { COL_ID, COL_ID2, COL_ID3, COL_NAME, COL_UNIT, COL_UNIT2, COL_UNIT3, COL_CREDIT, COL_CREDIT2,
       COL_CAT, COL_CAT2, COL_CAT3, COL_PAY, COL_PAY2, NCOLS };
static const char *const col_names[NCOLS] = {
	"身份证号", "身份证号码", "公民身份号码", "姓名", "单位名称", "单位", "工作单位",
	"统一社会信用代码", "单位统一社会信用代码", "人员分类", "编制类别", "编制性质", "发放状态", "是否发放",
};

static int first_of(const int *col, int a, int n)
{
	for (int i = a; i < a + n; i++)
		if (col[i] >= 0)
			return col[i];
	return -1;
}

static const char *cell(const char *const *cells, size_t n, int col)
{
	return col >= 0 && (size_t)col < n ? cells[col] : "";
}

/* a pay status that says "not paid" (reconcile.h) */
static bool unpaid(const char *s)
{
	if (!*s)
		return false;
	if (strstr(s, "停") || !strncmp(s, "否", 3) || !strncmp(s, "无", 3) || !strncmp(s, "不", 3) ||
	    !strncmp(s, "未", 3))
		return true;
	static const char *const no[] = {"0", "N", "NO", "FALSE"};
	for (size_t i = 0; i < sizeof no / sizeof *no; i++)
		if (!strcasecmp(s, no[i]))
			return true;
	return false;
}

/*
 * The ID number as written, cleaned (spaces and a leading apostrophe left
 * out, 'x' upper-cased) into id (at most 63 bytes), and the first 17 digits
 * of its 18-character form into key17 ("" if it has no such shape).
 */
static void id_keys(const char *raw, char id[64], char key17[18])
{
	size_t k = 0;
	for (const char *p = raw; *p && k < 63; p++) {
		if (*p == ' ' || *p == '\t' || (*p == '\'' && k == 0))
			continue;
		id[k++] = *p == 'x' ? 'X' : *p;
	}
	id[k] = '\0';
	key17[0] = '\0';
	size_t digits = strspn(id, "0123456789");
	if (k == 18 && digits >= 17 && (id[17] == 'X' || digits == 18)) {
		memcpy(key17, id, 17);
		key17[17] = '\0';
	} else if (k == 15 && digits == 15) {
		memcpy(key17, id, 6);
		key17[6] = '1';
		key17[7] = '9';
		memcpy(key17 + 8, id + 6, 9);
		key17[17] = '\0';
	}
}

/*
 * What a roster's unit and category texts resolve to, looked up once per
 * distinct text (a roster of 100,000 rows names a few hundred units): an
 * open-addressing table, its size bounded by the distinct texts, not rows.
 */
typedef struct memo_slot {
	char *key;
	char *val; /* NULL: resolves to nothing */
} memo_slot;
typedef struct memo {
	memo_slot *slot;
	size_t cap, n;
} memo;

static size_t memo_hash(const char *s)
{
	uint64_t h = 1469598103934665603u; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return (size_t)h;
}

static memo_slot *memo_find(memo *m, const char *key)
{
	size_t i = memo_hash(key) & (m->cap - 1);
	while (m->slot[i].key && strcmp(m->slot[i].key, key) != 0)
		i = (i + 1) & (m->cap - 1);
	return &m->slot[i];
}

/* the slot of key (found: ->key set), the table grown first if need be; NULL on OOM */
static memo_slot *memo_slot_of(memo *m, const char *key)
{
	if ((m->n + 1) * 2 > m->cap) {
		memo bigger = {bz__calloc(m->cap ? m->cap * 2 : 64, sizeof(memo_slot)), m->cap ? m->cap * 2 : 64, m->n};
		if (!bigger.slot)
			return NULL;
		for (size_t i = 0; i < m->cap; i++)
			if (m->slot[i].key)
				*memo_find(&bigger, m->slot[i].key) = m->slot[i];
		bz__free(m->slot);
		*m = bigger;
	}
	return memo_find(m, key);
}

static void memo_free(memo *m)
{
	for (size_t i = 0; i < m->cap; i++) {
		bz__free(m->slot[i].key);
		bz__free(m->slot[i].val);
	}
	bz__free(m->slot);
}

/*
 * Resolve through the memo: key's value, or (first time) the one text
 * column of sql bound to a, b, c. *val borrowed from the memo, NULL when it
 * resolves to nothing.
 */
static int memo_lookup(bz_ledger *l, memo *m, const char *sql, const char *a, const char *b, const char *c,
		       const char **val)
{
	char key[1024];
	snprintf(key, sizeof key, "%s\x1f%s", a, b ? b : "");
	memo_slot *sl = memo_slot_of(m, key);
	if (!sl)
		return bz_fail(l, BZ_ENOMEM, "out of memory");
	if (!sl->key) {
		bz_st *st = bz_stmt(l, sql);
		if (!st)
			return bz_stmt_err();
		bz_bind_text(st, 1, a);
		bz_bind_text(st, 2, b);
		bz_bind_text(st, 3, c);
		int rc = bz_step(st);
		bool ok = true;
		char *v = rc == SQLITE_ROW ? bz_col_strdup(st, 0, &ok) : NULL;
		bz_st_reset(st);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return bz_sqlfail(l, rc);
		if (!ok || !(sl->key = bz_strdup(key))) {
			bz__free(v);
			return bz_fail(l, BZ_ENOMEM, "out of memory");
		}
		sl->val = v;
		m->n++;
	}
	*val = sl->val;
	return BZ_OK;
}

/* the unit: a credit code decides when the row has one the ledger knows, else the
 * name — any name a unit bore, the one bearing it at the date (?3) first */
static const char unit_sql[] =
	"SELECT coalesce((SELECT id FROM unit WHERE credit_code=upper(?1) AND ?1<>''),"
	" (SELECT un.unit FROM unit_name un WHERE un.name=?2"
	"  ORDER BY (SELECT after FROM fact f WHERE f.subject=un.unit AND f.attr='name' AND f.effective<=?3"
	"   ORDER BY f.effective DESC, f.event DESC LIMIT 1) IS NOT un.name, un.unit LIMIT 1))";
/* the category: by code or name, half- and full-width brackets alike */
static const char category_sql[] =
	"SELECT code FROM category c WHERE ?1<>'' AND (c.code=upper(?1)"
	" OR replace(replace(c.name,'(','（'),')','）')=replace(replace(?1,'(','（'),')','）'))";

static int load_roster(bz_ledger *l, bz_tab *tab, const char *path, int64_t run, const char *date)
{
	static const char ins[] =
		"INSERT INTO bz_rec_row(run, line, id_raw, key17, idn, id_problem, name, unit_text, credit, cat_text, paid,"
		" unit, category) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13)";
	size_t n;
	const char *const *cells;
	long line;
	int rc = bz_tab_next(tab, &n, &cells, &line);
	if (rc == BZ_ITEROVER)
		return bz_fail(l, BZ_EINVAL, "%s: the roster is empty (no header row)", path);
	if (rc != BZ_OK)
		return rc;
	int col[NCOLS];
	bz_tab_header(cells, n, col_names, NCOLS, col);
	int c_id = first_of(col, COL_ID, 3), c_name = col[COL_NAME], c_unit = first_of(col, COL_UNIT, 3),
	    c_credit = first_of(col, COL_CREDIT, 2), c_cat = first_of(col, COL_CAT, 3), c_pay = first_of(col, COL_PAY, 2);
	if (c_id < 0)
		return bz_fail(l, BZ_EINVAL, "%s line %ld: no column 身份证号", path, line);
	if (c_name < 0)
		return bz_fail(l, BZ_EINVAL, "%s line %ld: no column 姓名", path, line);
	if (c_unit < 0 && c_credit < 0)
		return bz_fail(l, BZ_EINVAL, "%s line %ld: no column 单位名称 or 统一社会信用代码", path, line);

	char today[BZ_DATE_LEN + 1];
	bz_today(l, today);
	memo units = {0}, cats = {0};
	while ((rc = bz_tab_next(tab, &n, &cells, &line)) == BZ_OK) {
		const char *unit = NULL, *category = NULL;
		if ((rc = memo_lookup(l, &units, unit_sql, cell(cells, n, c_credit), cell(cells, n, c_unit), date, &unit)) !=
			    BZ_OK ||
		    (rc = memo_lookup(l, &cats, category_sql, cell(cells, n, c_cat), NULL, NULL, &category)) != BZ_OK)
			break;
		const char *raw = cell(cells, n, c_id);
		char id[64], key17[18];
		id_keys(raw, id, key17);
		const char *problem = *id ? bz_idnum_problem(id, today) : NULL;
		char *canon = NULL;
		if (*id && !problem && bz_idnum_normalize(&canon, id) != BZ_OK)
			problem = "not a valid ID number";
		bz_st *st = bz_stmt(l, ins);
		if (!st) {
			bz__free(canon);
			rc = bz_stmt_err();
			break;
		}
		bz_st_bind_int64(st, 1, run);
		bz_st_bind_int64(st, 2, line);
		bz_bind_text(st, 3, canon ? canon : id);
		bz_bind_text(st, 4, *key17 ? key17 : NULL);
		bz_bind_text(st, 5, canon);
		bz_bind_text(st, 6, problem);
		bz_bind_text(st, 7, cell(cells, n, c_name));
		bz_bind_text(st, 8, cell(cells, n, c_unit));
		bz_bind_text(st, 9, cell(cells, n, c_credit));
		bz_bind_text(st, 10, cell(cells, n, c_cat));
		bz_st_bind_int(st, 11, !unpaid(cell(cells, n, c_pay)));
		bz_bind_text(st, 12, unit);
		bz_bind_text(st, 13, category);
		rc = bz_step_done(l, st);
		bz__free(canon);
		if (rc != BZ_OK)
			break;
	}
	memo_free(&units);
	memo_free(&cats);
	return rc == BZ_ITEROVER ? BZ_OK : rc;
}

/* ---- matching and the differences ------------------------------------------- */

/* in post at ?2: entered on or before it, not left on or before it */
#define IN_POST "p.entry<=?2 AND (x.date IS NULL OR x.date>?2)"
#define NAME_KEY(e) "replace(replace(" e ",' ',''),'　','')"

/* Each statement binds ?1 run, ?2 date, ?3 jurisdiction (or NULL). */
static const char *const steps[] = {
	/* one person twice: every row after the first of its 17 digits */
	"UPDATE bz_rec_row SET dup_of=(SELECT min(r2.line) FROM bz_rec_row r2 WHERE r2.run=?1"
	" AND r2.key17=bz_rec_row.key17 AND r2.line<bz_rec_row.line) WHERE run=?1 AND key17 IS NOT NULL"
	" AND EXISTS (SELECT 1 FROM bz_rec_row r2 WHERE r2.run=?1 AND r2.key17=bz_rec_row.key17"
	" AND r2.line<bz_rec_row.line)",
	/* the person: by the valid number, */
	"UPDATE bz_rec_row SET person=pe.id, lname=pe.name, how=1 FROM person pe"
	" WHERE bz_rec_row.run=?1 AND pe.id_number=bz_rec_row.idn AND bz_rec_row.dup_of IS NULL",
	/* by its 17 digits when the check character is wrong, */
	"UPDATE bz_rec_row SET person=pe.id, lname=pe.name, how=2 FROM person pe"
	" WHERE bz_rec_row.run=?1 AND bz_rec_row.idn IS NULL AND bz_rec_row.key17 IS NOT NULL"
	" AND bz_rec_row.dup_of IS NULL AND pe.id_number>=bz_rec_row.key17 AND pe.id_number<bz_rec_row.key17||'Y'",
	/* by name in the unit when the number matches nobody: the one person in post there
	 * by that name whom no other row has */
	"UPDATE bz_rec_row SET person=(SELECT CASE WHEN count(*)=1 THEN min(p.person) END"
	" FROM placement p JOIN person pe ON pe.id=p.person LEFT JOIN placement_exit x ON x.placement=p.id"
	" WHERE p.unit=bz_rec_row.unit AND " NAME_KEY("pe.name") "=" NAME_KEY("bz_rec_row.name") " AND " IN_POST
	" AND NOT EXISTS (SELECT 1 FROM bz_rec_row r2 WHERE r2.run=?1 AND r2.person=p.person))"
	" WHERE run=?1 AND person IS NULL AND dup_of IS NULL AND unit IS NOT NULL AND name<>'' AND id_raw<>''",
	"UPDATE bz_rec_row SET how=3, lname=(SELECT name FROM person WHERE id=bz_rec_row.person)"
	" WHERE run=?1 AND person IS NOT NULL AND how IS NULL",
	/* the placement in post at the date, or else the last one that ended */
	"UPDATE bz_rec_row SET post=p.id, post_unit=p.unit, post_cat=p.category"
	" FROM placement p LEFT JOIN placement_exit x ON x.placement=p.id"
	" WHERE bz_rec_row.run=?1 AND p.person=bz_rec_row.person AND " IN_POST,
	"UPDATE bz_rec_row SET gone=(SELECT p.id FROM placement p JOIN placement_exit x ON x.placement=p.id"
	" WHERE p.person=bz_rec_row.person AND x.date<=?2 ORDER BY x.date DESC LIMIT 1)"
	" WHERE run=?1 AND person IS NOT NULL AND post IS NULL",
	"UPDATE bz_rec_row SET gone_unit=p.unit, gone_cat=p.category FROM placement p"
	" WHERE bz_rec_row.run=?1 AND bz_rec_row.gone IS NOT NULL AND p.id=bz_rec_row.gone",

	/* --- the differences --- */
#define DIFF_INSERT "INSERT INTO bz_rec_diff(run, kind, line, id_number, rname, person, runit, unit, rcat," \
		    " category, placement, doc, detail, key17, id_problem, how) "
	/* every kind found on a roster row, in one pass over the rows (each (row, kind)
	 * pair judged by the CASE of its kind; CROSS JOIN keeps the rows the outer loop):
	 * 9 no number, 8 one person twice, 6 an invalid number or one matched only by its
	 * digits or by name, 1 paid but in post nowhere and never left, 7 paid after
	 * leaving, 3 in post under another unit (or one the ledger does not know, or
	 * none), 4 under another category, 5 the same number under another name */
	DIFF_INSERT "SELECT r.run, k.column1, r.line, CASE WHEN k.column1=9 THEN NULL ELSE r.id_raw END, r.name,"
	" CASE WHEN k.column1 IN (8,9) THEN NULL ELSE r.person END,"
	" CASE WHEN r.credit<>'' THEN r.credit ELSE r.unit_text END,"
	" CASE k.column1 WHEN 3 THEN r.post_unit WHEN 4 THEN r.post_unit WHEN 7 THEN r.gone_unit"
	"  WHEN 5 THEN coalesce(r.post_unit, r.gone_unit) WHEN 6 THEN coalesce(r.post_unit, r.gone_unit) END,"
	" r.cat_text,"
	" CASE k.column1 WHEN 3 THEN r.post_cat WHEN 4 THEN r.post_cat WHEN 7 THEN r.gone_cat"
	"  WHEN 5 THEN coalesce(r.post_cat, r.gone_cat) WHEN 6 THEN coalesce(r.post_cat, r.gone_cat) END,"
	" CASE k.column1 WHEN 3 THEN r.post WHEN 4 THEN r.post WHEN 7 THEN r.gone"
	"  WHEN 5 THEN coalesce(r.post, r.gone) WHEN 6 THEN coalesce(r.post, r.gone) END,"
	" CASE WHEN k.column1 IN (3,4) OR (k.column1 IN (5,6) AND r.post IS NOT NULL) THEN 'entry'"
	"  WHEN k.column1=7 OR (k.column1 IN (5,6) AND r.gone IS NOT NULL) THEN 'exit' END,"
	" CASE k.column1 WHEN 9 THEN 'no ID number' WHEN 8 THEN 'also on line '||r.dup_of"
	"  WHEN 1 THEN CASE WHEN r.person IS NULL THEN 'nobody with this ID number in the ledger'"
	"   ELSE 'in the ledger, but in post nowhere on '||?2 END"
	"  WHEN 3 THEN CASE WHEN r.credit='' AND r.unit_text='' THEN 'the roster gives no unit'"
	"   WHEN r.unit IS NULL THEN 'no unit of the ledger has this name or credit code'"
	"   ELSE 'another unit of the ledger' END"
	"  WHEN 4 THEN CASE WHEN r.category IS NULL THEN 'no category of the ledger has this name or code'"
	"   ELSE 'another category' END"
	"  WHEN 5 THEN 'the ledger has another name for this ID number' END,"
	" CASE WHEN k.column1=6 THEN r.key17 END, CASE WHEN k.column1=6 THEN r.id_problem END,"
	" CASE WHEN k.column1=6 THEN r.how END"
	" FROM bz_rec_row r CROSS JOIN (VALUES (1),(3),(4),(5),(6),(7),(8),(9)) k"
	" WHERE r.run=?1 AND CASE k.column1"
	"  WHEN 9 THEN r.id_raw=''"
	"  WHEN 8 THEN r.dup_of IS NOT NULL"
	"  WHEN 6 THEN r.id_raw<>'' AND r.dup_of IS NULL AND (r.how IN (2,3) OR (r.idn IS NULL AND r.person IS NULL))"
	"  WHEN 1 THEN r.paid=1 AND r.dup_of IS NULL AND r.post IS NULL AND r.gone IS NULL"
	"   AND (r.person IS NOT NULL OR r.idn IS NOT NULL)"
	"  WHEN 7 THEN r.paid=1 AND r.dup_of IS NULL AND r.post IS NULL AND r.gone IS NOT NULL"
	"  WHEN 3 THEN r.paid=1 AND r.dup_of IS NULL AND r.post IS NOT NULL AND (r.unit IS NULL OR r.unit<>r.post_unit)"
	"  WHEN 4 THEN r.paid=1 AND r.dup_of IS NULL AND r.post IS NOT NULL AND r.cat_text<>''"
	"   AND (r.category IS NULL OR r.category<>r.post_cat)"
	"  WHEN 5 THEN r.dup_of IS NULL AND r.how IN (1,2) AND r.name<>''"
	"   AND " NAME_KEY("r.name") "<>" NAME_KEY("r.lname") " END",
	/* in post in the jurisdiction, on no paid row of the roster */
	"WITH RECURSIVE scope(id) AS (SELECT ?3 UNION SELECT j.id FROM jurisdiction j JOIN scope s ON j.parent=s.id) "
	DIFF_INSERT "SELECT ?1, 2, coalesce(u.line, 0), pe.id_number, u.name, p.person, u.runit, p.unit, u.cat_text,"
	" p.category, p.id, 'entry', CASE WHEN u.line IS NULL THEN 'not on the roster' ELSE 'on the roster, unpaid' END,"
	" NULL, NULL, NULL"
	" FROM placement p JOIN person pe ON pe.id=p.person LEFT JOIN placement_exit x ON x.placement=p.id"
	/* a person's first unpaid row (by a window, not a bare column beside min(): one answer on both backends) */
	" LEFT JOIN (SELECT person, line, name, runit, cat_text FROM (SELECT person, line, name,"
	"  CASE WHEN credit<>'' THEN credit ELSE unit_text END AS runit, cat_text,"
	"  row_number() OVER (PARTITION BY person ORDER BY line) AS nth"
	"  FROM bz_rec_row WHERE run=?1 AND person IS NOT NULL AND dup_of IS NULL AND paid=0) AS f WHERE nth=1) u"
	"  ON u.person=p.person"
	" WHERE " IN_POST
	" AND (?3 IS NULL OR (SELECT jurisdiction FROM unit WHERE id=p.unit) IN (SELECT id FROM scope))"
	" AND NOT EXISTS (SELECT 1 FROM bz_rec_row r WHERE r.run=?1 AND r.person=p.person AND r.paid=1"
	"  AND r.dup_of IS NULL)",
};

static int run_steps(bz_ledger *l, int64_t run, const char *date, const char *jur)
{
	for (size_t i = 0; i < sizeof steps / sizeof *steps; i++) {
		bz_st *st = bz_stmt(l, steps[i]);
		if (!st)
			return bz_stmt_err();
		bz_st_bind_int64(st, 1, run);
		bz_bind_text(st, 2, date);
		bz_bind_text(st, 3, jur);
		int rc = bz_step_done(l, st);
		if (rc != BZ_OK)
			return rc;
	}
	return BZ_OK;
}

/* ---- the iterator --------------------------------------------------------------- */

static const char diff_select[] =
	"SELECT d.kind, d.line, d.id_number, d.rname, pe.name, d.runit, d.unit,"
	" coalesce((SELECT after FROM fact WHERE subject=d.unit AND attr='name' AND effective<=?2"
	"  ORDER BY effective DESC, event DESC LIMIT 1),"
	"  (SELECT after FROM fact WHERE subject=d.unit AND attr='name' ORDER BY effective DESC, event DESC LIMIT 1)) AS uname,"
	" d.rcat, d.category, c.name, d.person, d.placement,"
	" CASE d.doc WHEN 'entry' THEN (SELECT number FROM document WHERE id=(SELECT doc FROM event WHERE id=p.event))"
	"  WHEN 'exit' THEN (SELECT number FROM document WHERE id=(SELECT doc FROM event WHERE id=x.event)) END,"
	" d.detail, d.id_problem, d.key17, pe.birth, pe.sex, pe.id_number, d.how, x.date, x.reason"
	" FROM bz_rec_diff d LEFT JOIN person pe ON pe.id=d.person LEFT JOIN category c ON c.code=d.category"
	" LEFT JOIN placement p ON p.id=d.placement LEFT JOIN placement_exit x ON x.placement=d.placement"
	" WHERE d.run=?1 ORDER BY d.line=0, d.line, d.kind, uname, pe.name, d.id_number";

static void iter_detach(bz_child *c)
{
	bz_diff_iter *it = (bz_diff_iter *)c;
	bz_st_finalize(it->st);
	it->st = NULL;
	it->l = NULL;
}

BZ_EXTERN void bz_diff_iter_free(bz_diff_iter *it)
{
	if (!it)
		return;
	if (it->l) {
		/* the run's rows go; when it was the last run alive, the tables are emptied
		 * whole (SQLite's truncate: no row by row, no index by index) */
		static const char del_run[] = "DELETE FROM bz_rec_run WHERE id=?1";
		static const char others[] = "SELECT 1 FROM bz_rec_run LIMIT 1";
		static const char del_rows[] = "DELETE FROM bz_rec_row WHERE run=?1";
		static const char del_diffs[] = "DELETE FROM bz_rec_diff WHERE run=?1";
		bz_st_finalize(it->st);
		it->st = NULL;
		bz_st *st = bz_stmt(it->l, del_run);
		bool alive = true;
		if (st) {
			bz_st_bind_int64(st, 1, it->run);
			if (bz_step_done(it->l, st) == BZ_OK && (st = bz_stmt(it->l, others)) != NULL)
				bz_step_exists(it->l, st, &alive);
		}
		if (!alive) {
			bz_store_exec_quiet(it->l->store, "DELETE FROM bz_rec_row; DELETE FROM bz_rec_diff");
		} else {
			const char *const del[] = {del_rows, del_diffs};
			for (int i = 0; i < 2; i++) {
				if ((st = bz_stmt(it->l, del[i])) != NULL) {
					bz_st_bind_int64(st, 1, it->run);
					bz_step_done(it->l, st);
				}
			}
		}
		bz_child_unlink(&it->child);
	}
	bz__free(it);
}

BZ_EXTERN void bz_diff_free(bz_diff *d)
{
	if (!d)
		return;
	bz__free(d->id_number);
	bz__free(d->roster_name);
	bz__free(d->ledger_name);
	bz__free(d->roster_unit);
	bz__free(d->unit);
	bz__free(d->unit_name);
	bz__free(d->roster_category);
	bz__free(d->category);
	bz__free(d->category_name);
	bz__free(d->person);
	bz__free(d->placement);
	bz__free(d->document);
	bz__free(d->detail);
	bz__free(d);
}

static const char *exit_reason_name(int r)
{
	switch (r) {
	case BZ_EXIT_RETIREMENT: return "退休";
	case BZ_EXIT_TRANSFER_OUT: return "调出";
	case BZ_EXIT_RESIGNATION: return "辞职";
	case BZ_EXIT_DISMISSAL: return "辞退/开除";
	case BZ_EXIT_DEATH: return "死亡";
	default: return "其他";
	}
}

static const char *col(bz_st *st, int i)
{
	return (const char *)bz_st_column_text(st, i);
}

/* what is wrong with the roster's number, said for BZ_DIFF_IDNUM */
static void idnum_detail(char *buf, size_t cap, bz_st *st)
{
	const char *problem = col(st, 15), *key17 = col(st, 16), *birth = col(st, 17), *lid = col(st, 19);
	int sex = bz_st_column_int(st, 18), how = bz_st_column_int(st, 20);
	size_t k = 0;
	buf[0] = '\0';
	if (problem)
		k += (size_t)snprintf(buf + k, cap - k, "the roster's number: %s; ", problem);
	if (how == 3 && key17 && birth) {
		char b[BZ_DATE_LEN + 1];
		snprintf(b, sizeof b, "%.4s-%.2s-%.2s", key17 + 6, key17 + 10, key17 + 12);
		if (strcmp(b, birth) != 0 && k < cap)
			k += (size_t)snprintf(buf + k, cap - k, "birth date %s in the roster's number, %s in the ledger; ", b,
					      birth);
		int rsex = (key17[16] - '0') % 2 ? BZ_SEX_MALE : BZ_SEX_FEMALE;
		if (rsex != sex && k < cap)
			k += (size_t)snprintf(buf + k, cap - k, "sex %s in the roster's number, %s in the ledger; ",
					      rsex == BZ_SEX_MALE ? "男" : "女", sex == BZ_SEX_MALE ? "男" : "女");
	}
	if (k < cap) {
		if (lid && how == 3)
			k += (size_t)snprintf(buf + k, cap - k, "matched by name in the unit: the ledger's number is %s", lid);
		else if (lid)
			k += (size_t)snprintf(buf + k, cap - k, "the ledger's number is %s", lid);
		else
			k += (size_t)snprintf(buf + k, cap - k, "nobody in the ledger with these digits");
	}
	(void)k;
}

static int diff_make(bz_diff **out, bz_st *st, bz_ledger *l)
{
	bz_diff *d = bz__calloc(1, sizeof *d);
	bool ok = d != NULL;
	if (d) {
		d->kind = bz_st_column_int(st, 0);
		d->line = bz_st_column_int64(st, 1);
		d->id_number = bz_col_strdup(st, 2, &ok);
		d->roster_name = bz_col_strdup(st, 3, &ok);
		d->ledger_name = bz_col_strdup(st, 4, &ok);
		d->roster_unit = bz_col_strdup(st, 5, &ok);
		d->unit = bz_col_strdup(st, 6, &ok);
		d->unit_name = bz_col_strdup(st, 7, &ok);
		d->roster_category = bz_col_strdup(st, 8, &ok);
		d->category = bz_col_strdup(st, 9, &ok);
		d->category_name = bz_col_strdup(st, 10, &ok);
		d->person = bz_col_strdup(st, 11, &ok);
		d->placement = bz_col_strdup(st, 12, &ok);
		d->document = bz_col_strdup(st, 13, &ok);
		char buf[512];
		if (d->kind == BZ_DIFF_IDNUM) {
			idnum_detail(buf, sizeof buf, st);
			d->detail = bz_strdup(buf);
		} else if (d->kind == BZ_DIFF_LEFT_PAID) {
			snprintf(buf, sizeof buf, "left on %s (%s)", col(st, 21) ? col(st, 21) : "?",
				 exit_reason_name(bz_st_column_int(st, 22)));
			d->detail = bz_strdup(buf);
		} else {
			d->detail = bz_strdup(col(st, 14) ? col(st, 14) : "");
		}
		ok = ok && d->detail;
	}
	if (!ok) {
		bz_diff_free(d);
		return bz_fail(l, BZ_ENOMEM, "out of memory");
	}
	*out = d;
	return BZ_OK;
}

BZ_EXTERN int bz_diff_iter_next(bz_diff **out, bz_diff_iter *it)
{
	if (!out || !it)
		return BZ_EINVAL;
	*out = NULL;
	if (!it->l)
		return BZ_EMISUSE; /* its ledger was closed */
	if (it->done)
		return BZ_ITEROVER;
	int rc = bz_step(it->st);
	if (rc == SQLITE_DONE) {
		it->done = true;
		bz_st_reset(it->st);
		return BZ_ITEROVER;
	}
	if (rc != SQLITE_ROW)
		return bz_sqlfail(it->l, rc);
	return diff_make(out, it->st, it->l);
}

/* ---- reconcile ---------------------------------------------------------------------- */

BZ_EXTERN int bz_reconcile(bz_diff_iter **out, bz_ledger *ledger, const char *roster_path,
			   const char *jurisdiction_code, const char *date)
{
	if (!out || !ledger)
		return BZ_EINVAL;
	*out = NULL;
	if (!roster_path || !*roster_path)
		return bz_fail(ledger, BZ_EINVAL, "a reconciliation needs the roster's file");
	if (date && !bz_date_ok(date))
		return bz_fail(ledger, BZ_EINVAL, "not a date (YYYY-MM-DD): %.40s", bz_utf8_valid(date) ? date : "?");
	if (jurisdiction_code && !bz_text_ok(jurisdiction_code))
		return bz_fail(ledger, BZ_EINVAL, "not a jurisdiction code");
	if (ledger->txn)
		return bz_fail(ledger, BZ_EMISUSE, "reconcile between transactions: a transaction is open on the ledger");
	char today[BZ_DATE_LEN + 1];
	date = bz_date_or_today(ledger, date, today);
	char *jur = NULL;
	int rc;
	if (jurisdiction_code && (rc = bz_jurisdiction_id(ledger, jurisdiction_code, &jur)) != BZ_OK)
		return rc;
	bz_tab *tab = NULL;
	bz_diff_iter *it = NULL;
	bool in_savepoint = false, own_txn = false;
	if ((rc = bz_tab_open(&tab, ledger, roster_path)) != BZ_OK)
		goto done;
	if ((rc = bz_exec(ledger, temp_schema)) != BZ_OK)
		goto done;
	/* one transaction for the loading (fast inserts) and a snapshot of the
	 * ledger: on SQLite a SAVEPOINT outside a transaction begins one; on a
	 * server it is refused there (25P01), so the run is a read transaction of
	 * its own (REPEATABLE READ: one snapshot), committed or rolled back */
	own_txn = !ledger->db && !bz_store_in_txn(ledger->store);
	if (own_txn) {
		int src = bz_store_begin_read(ledger->store);
		if (src != SQLITE_OK) {
			rc = bz_sqlfail(ledger, src);
			goto done;
		}
	} else if ((rc = bz_exec(ledger, "SAVEPOINT bz_reconcile")) != BZ_OK) {
		goto done;
	}
	in_savepoint = true;
	/* the run's number counted here, not by the key: a temp table's INTEGER
	 * PRIMARY KEY is no identity column on a server (the DDL is not schema_pg's) */
	static const char new_run[] = "INSERT INTO bz_rec_run(id) SELECT COALESCE(max(id), 0) + 1 FROM bz_rec_run";
	static const char last_run[] = "SELECT max(id) FROM bz_rec_run";
	bz_st *st = bz_stmt(ledger, new_run);
	if (!st || (rc = bz_step_done(ledger, st)) != BZ_OK) {
		rc = st ? rc : bz_stmt_err();
		goto done;
	}
	int64_t run = 0;
	if (!(st = bz_stmt(ledger, last_run))) {
		rc = bz_stmt_err();
		goto done;
	}
	if ((rc = bz_step(st)) == SQLITE_ROW)
		run = bz_st_column_int64(st, 0);
	bz_st_reset(st);
	if (rc != SQLITE_ROW) {
		rc = bz_sqlfail(ledger, rc);
		goto done;
	}
	if ((rc = load_roster(ledger, tab, roster_path, run, date)) != BZ_OK)
		goto done;
	if ((rc = run_steps(ledger, run, date, jur)) != BZ_OK)
		goto done;
	if (own_txn) {
		int src = bz_store_commit(ledger->store);
		if (src != SQLITE_OK) {
			rc = bz_sqlfail(ledger, src);
			goto done;
		}
	} else if ((rc = bz_exec(ledger, "RELEASE bz_reconcile")) != BZ_OK) {
		goto done;
	}
	in_savepoint = false;

	it = bz__calloc(1, sizeof *it);
	if (!it) {
		rc = bz_fail(ledger, BZ_ENOMEM, "out of memory");
		goto done;
	}
	int src = bz_store_prepare(ledger->store, &it->st, diff_select);
	if (src != SQLITE_OK) {
		rc = bz_sqlfail(ledger, src);
		bz__free(it);
		it = NULL;
		goto done;
	}
	bz_st_bind_int64(it->st, 1, run);
	bz_bind_text(it->st, 2, date);
	it->l = ledger;
	it->run = run;
	bz_child_link(ledger, &it->child, iter_detach);
	*out = it;
	rc = bz_ok(ledger);
done:
	if (in_savepoint) {
		/* nothing of a failed run stays in the temporary tables */
		char msg[BZ_ERRMSG_MAX];
		memcpy(msg, ledger->errmsg, sizeof msg);
		if (own_txn)
			(void)bz_store_rollback(ledger->store);
		else
			bz_undo(ledger, BZ_KEPT_RECONCILE);
		memcpy(ledger->errmsg, msg, sizeof msg);
	}
	bz_tab_close(tab);
	bz__free(jur);
	return rc;
}

/* ---- fields ------------------------------------------------------------------------- */

BZ_EXTERN int bz_diff_kind(const bz_diff *d) { return d ? d->kind : 0; }
BZ_EXTERN int64_t bz_diff_line(const bz_diff *d) { return d ? d->line : 0; }
BZ_EXTERN const char *bz_diff_id_number(const bz_diff *d) { return d ? d->id_number : NULL; }
BZ_EXTERN const char *bz_diff_roster_name(const bz_diff *d) { return d ? d->roster_name : NULL; }
BZ_EXTERN const char *bz_diff_ledger_name(const bz_diff *d) { return d ? d->ledger_name : NULL; }
BZ_EXTERN const char *bz_diff_roster_unit(const bz_diff *d) { return d ? d->roster_unit : NULL; }
BZ_EXTERN const char *bz_diff_unit(const bz_diff *d) { return d ? d->unit : NULL; }
BZ_EXTERN const char *bz_diff_unit_name(const bz_diff *d) { return d ? d->unit_name : NULL; }
BZ_EXTERN const char *bz_diff_roster_category(const bz_diff *d) { return d ? d->roster_category : NULL; }
BZ_EXTERN const char *bz_diff_category(const bz_diff *d) { return d ? d->category : NULL; }
BZ_EXTERN const char *bz_diff_category_name(const bz_diff *d) { return d ? d->category_name : NULL; }
BZ_EXTERN const char *bz_diff_person(const bz_diff *d) { return d ? d->person : NULL; }
BZ_EXTERN const char *bz_diff_placement(const bz_diff *d) { return d ? d->placement : NULL; }
BZ_EXTERN const char *bz_diff_document(const bz_diff *d) { return d ? d->document : NULL; }
BZ_EXTERN const char *bz_diff_detail(const bz_diff *d) { return d ? d->detail : NULL; }
