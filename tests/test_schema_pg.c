/*
 * test_schema_pg.c: a ledger's schema on PostgreSQL (src/schema_pg.h,
 * src/schema_pg.sql; issue 13). Without a server only the version check
 * runs (it must FAIL when schema.c's version moves without schema_pg); the
 * meson suite `pg` starts a throwaway PostgreSQL 15 cluster
 * (tests/pg_cluster.sh) and runs the rest on it: the catalog a created
 * ledger has, compared with a fresh SQLite ledger's (tables, columns,
 * types, NOT NULL, keys, foreign keys, indexes, triggers, CHECKs, seed
 * rows) so the two DDLs cannot drift silently; reopening; the refusals
 * (empty without CREATE, a foreign schema, newer/older/garbled versions);
 * a creation that fails midway leaving nothing; the append-only triggers;
 * bz_r10_faulty on PostgreSQL against the C function on SQLite.
 */
#include "testutil.h"
#include "internal.h"
#include "rules.h"
#include "schema_pg.h"
#include "store.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *pg_uri;

/* ---- without a server ------------------------------------------------------ */

/* schema.c and schema_pg must move together (schema_pg.h, VERSIONS) */
START_TEST(versions_agree)
{
	ck_assert_msg(BZ_SCHEMA_PG_VERSION == BZ_SCHEMA_VERSION,
		      "schema.c is at version %d but schema_pg (src/schema_pg.sql, BZ_SCHEMA_PG_VERSION) at %d: "
		      "write the PostgreSQL twin of the new version (and its migration) before landing",
		      BZ_SCHEMA_VERSION, BZ_SCHEMA_PG_VERSION);
}
END_TEST

START_TEST(not_a_pg_store)
{
	char why[256];
	ck_assert_int_eq(bz_schema_pg_open(NULL, BZ_OPEN_CREATE, why, sizeof why), BZ_EINVAL);
	ck_assert_str_eq(why, "not a PostgreSQL store");
	bz_store *s = NULL;
	const char *path = tu_tmpfile("schema_pg");
	ck_assert_int_eq(bz_store_open(&s, path, BZ_OPEN_CREATE, why, sizeof why), BZ_OK);
	ck_assert_int_eq(bz_schema_pg_open(s, BZ_OPEN_CREATE, why, sizeof why), BZ_EINVAL);
	int v = -1;
	ck_assert_int_eq(bz_schema_pg_check(s, &v, why, sizeof why), BZ_EINVAL);
	ck_assert_int_eq(v, 0);
	bz_store_close(s);
	tu_rm(path);
}
END_TEST

/* ---- helpers ---------------------------------------------------------------- */

static char *target(char *buf, size_t len, const char *schema)
{
	snprintf(buf, len, "%s&schema=%s", pg_uri, schema);
	return buf;
}

/* a fresh schema name per call */
static const char *fresh(char *buf, size_t len)
{
	static int n;
	snprintf(buf, len, "sp_%d_%d", (int)getpid(), ++n);
	return buf;
}

static bz_store *pg_store(const char *schema, unsigned flags)
{
	char t[1024], why[512];
	bz_store *s = NULL;
	int rc = bz_store_open(&s, target(t, sizeof t, schema), flags, why, sizeof why);
	ck_assert_msg(rc == BZ_OK, "open %s: %d %s", schema, rc, why);
	return s;
}

static void exec_ok(bz_store *s, const char *sql)
{
	int rc = bz_store_exec(s, sql);
	ck_assert_msg(rc == SQLITE_OK, "%s: %d %s", sql, rc, bz_store_errmsg(s));
}

/* the first column of sql's one row (?1 = p1 when given) as an integer */
static long long scalar(bz_store *s, const char *sql, const char *p1)
{
	bz_st *st = NULL;
	int rc = bz_store_prepare(s, &st, sql);
	ck_assert_msg(rc == SQLITE_OK, "%s: %d %s", sql, rc, bz_store_errmsg(s));
	if (p1)
		bz_st_bind_text(st, 1, p1, -1);
	rc = bz_st_step(st);
	ck_assert_msg(rc == SQLITE_ROW, "%s: %d %s", sql, rc, bz_store_errmsg(s));
	long long v = bz_st_column_int64(st, 0);
	bz_st_finalize(st);
	return v;
}

static long long ntables(bz_store *s)
{
	return scalar(s, "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid=c.relnamespace"
			 " WHERE n.nspname=current_schema() AND c.relkind IN ('r','p','v','m','f')", NULL);
}

static long long nfunctions(bz_store *s, const char *name)
{
	return scalar(s, "SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid=p.pronamespace"
			 " WHERE n.nspname=current_schema() AND p.proname=?1", name);
}

static void drop(bz_store *s)
{
	char sql[128];
	if (bz_store_in_txn(s))
		bz_store_rollback(s);
	snprintf(sql, sizeof sql, "DROP SCHEMA \"%s\" CASCADE", bz_store_schema(s));
	exec_ok(s, sql);
	bz_store_close(s);
}

/* a new ledger in a fresh schema */
static bz_store *pg_ledger(char *name, size_t len)
{
	bz_store *s = pg_store(fresh(name, len), BZ_OPEN_CREATE);
	char why[512];
	int rc = bz_schema_pg_open(s, BZ_OPEN_CREATE, why, sizeof why);
	ck_assert_msg(rc == BZ_OK, "create %s: %d %s", name, rc, why);
	ck_assert_str_eq(why, "");
	return s;
}

/* ---- a list of lines, compared as sets ---------------------------------------- */

typedef struct lines {
	char **v;
	size_t n, cap;
} lines;

static void add(lines *L, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(lines *L, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (L->n == L->cap) {
		L->cap = L->cap ? 2 * L->cap : 64;
		L->v = realloc(L->v, L->cap * sizeof *L->v);
		ck_assert_ptr_nonnull(L->v);
	}
	L->v[L->n++] = strdup(buf);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void lines_free(lines *L)
{
	for (size_t i = 0; i < L->n; i++)
		free(L->v[i]);
	free(L->v);
	memset(L, 0, sizeof *L);
}

/* the lines only one side has, printed; their count */
static int differ(lines *a, lines *b, const char *an, const char *bn)
{
	qsort(a->v, a->n, sizeof *a->v, cmp_str);
	qsort(b->v, b->n, sizeof *b->v, cmp_str);
	size_t i = 0, j = 0;
	int d = 0;
	while (i < a->n || j < b->n) {
		int c = i == a->n ? 1 : j == b->n ? -1 : strcmp(a->v[i], b->v[j]);
		if (c == 0) {
			i++, j++;
		} else if (c < 0) {
			fprintf(stderr, "only on %s: %s\n", an, a->v[i++]);
			d++;
		} else {
			fprintf(stderr, "only on %s: %s\n", bn, b->v[j++]);
			d++;
		}
	}
	return d;
}

/* each row of sql (?1 = p1) as one line: prefix + the columns joined by '|' */
static void rows(lines *L, bz_store *s, const char *prefix, const char *sql, const char *p1)
{
	bz_st *st = NULL;
	int rc = bz_store_prepare(s, &st, sql);
	ck_assert_msg(rc == SQLITE_OK, "%s (%s): %d %s", sql, s->drv->name, rc, bz_store_errmsg(s));
	if (p1)
		bz_st_bind_text(st, 1, p1, -1);
	while ((rc = bz_st_step(st)) == SQLITE_ROW) {
		char line[1024];
		size_t k = (size_t)snprintf(line, sizeof line, "%s", prefix);
		for (int i = 0; i < bz_st_column_count(st) && k < sizeof line; i++) {
			const unsigned char *t = bz_st_column_text(st, i);
			k += (size_t)snprintf(line + k, sizeof line - k, "%s%s", i ? "|" : "", t ? (const char *)t : "NULL");
		}
		add(L, "%s", line);
	}
	ck_assert_msg(rc == SQLITE_DONE, "%s: %d %s", sql, rc, bz_store_errmsg(s));
	bz_st_finalize(st);
}

/* the names of a one-column query */
static lines names(bz_store *s, const char *sql)
{
	lines L = { 0 };
	rows(&L, s, "", sql, NULL);
	return L;
}

/* the tables the engine orders by rowid: an explicit identity column on PostgreSQL (schema_pg.sql) */
static const char *const rowid_tables[] = { "category", "fact", "placement", "record_chain", "unit", "unitcert" };

static bool is_rowid_table(const char *t)
{
	for (size_t i = 0; i < sizeof rowid_tables / sizeof rowid_tables[0]; i++)
		if (strcmp(t, rowid_tables[i]) == 0)
			return true;
	return false;
}

/* the code tables a new ledger is seeded with, their rows in key order */
static const char *const seed_sql[] = {
	"SELECT action, natures, min_rank, max_level FROM authority_rule ORDER BY action",
	"SELECT code, name, branch, natures FROM category ORDER BY rowid",
	"SELECT kind, rank, principal, deputy FROM leadership_norm ORDER BY kind, rank",
	"SELECT code, name FROM archive_category ORDER BY code",
	"SELECT key, value FROM meta WHERE key='application'",
};

/* the catalog of a fresh SQLite ledger, as lines */
static void sqlite_catalog(lines *L, bz_store *s)
{
	lines tables = names(s, "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite%' ORDER BY name");
	for (size_t i = 0; i < tables.n; i++) {
		const char *t = tables.v[i];
		add(L, "table %s", t);
		/* columns: position, name, type, NOT NULL (a primary key's columns are on PostgreSQL) */
		rows(L, s, "column ",
		     "SELECT ?1, cid + 1, name, CASE upper(type) WHEN 'INTEGER' THEN 'int' WHEN 'TEXT' THEN 'text'"
		     " WHEN 'BLOB' THEN 'blob' ELSE type END, CASE WHEN \"notnull\" OR pk > 0 THEN 'NN' ELSE '' END"
		     " FROM pragma_table_info(?1) ORDER BY cid", t);
		/* keys: the primary key and each UNIQUE, their columns in order */
		rows(L, s, "key ",
		     "SELECT ?1, CASE il.origin WHEN 'pk' THEN 'p' ELSE 'u' END,"
		     " (SELECT group_concat(name, ',') FROM (SELECT name FROM pragma_index_info(il.name) ORDER BY seqno))"
		     " FROM pragma_index_list(?1) il WHERE il.origin IN ('u','pk')", t);
		rows(L, s, "key ",
		     "SELECT ?1, 'p', group_concat(name, ',') FROM (SELECT name FROM pragma_table_info(?1) WHERE pk > 0 ORDER BY pk)"
		     " HAVING count(*) > 0 AND NOT EXISTS (SELECT 1 FROM pragma_index_list(?1) WHERE origin='pk')", t);
		rows(L, s, "fk ",
		     "SELECT ?1, group_concat(\"from\", ','), \"table\", group_concat(\"to\", ',') FROM"
		     " (SELECT * FROM pragma_foreign_key_list(?1) ORDER BY id, seq) GROUP BY id", t);
		rows(L, s, "checks ",
		     "SELECT ?1, (length(sql) - length(replace(sql, 'CHECK(', ''))) / 6 FROM sqlite_master"
		     " WHERE type='table' AND name=?1 AND sql LIKE '%CHECK(%'", t);
	}
	lines_free(&tables);
	/* indexes written with CREATE INDEX (not a key's): table, key columns, partial */
	rows(L, s, "index ",
	     "SELECT m.name, m.tbl_name, (SELECT count(*) FROM pragma_index_info(m.name)),"
	     " CASE WHEN m.sql LIKE '% WHERE %' THEN 'partial' ELSE '' END"
	     " FROM sqlite_master m WHERE m.type='index' AND m.sql IS NOT NULL", NULL);
	rows(L, s, "trigger ", "SELECT name, tbl_name FROM sqlite_master WHERE type='trigger'", NULL);
	for (size_t i = 0; i < sizeof seed_sql / sizeof seed_sql[0]; i++)
		rows(L, s, "row ", seed_sql[i], NULL);
	rows(L, s, "meta ", "SELECT key FROM meta", NULL);
}

/* the same of a PostgreSQL ledger; its own extras (rowid, identity, the header rows) checked here */
static void pg_catalog(lines *L, bz_store *s)
{
	/*
	 * file_chunk is PostgreSQL's own (schema_pg.sql): the bytes of stored
	 * files as bytea chunks, where SQLite keeps them in file_blob.data and
	 * reads them with its blob I/O. Left out of the comparison, checked
	 * apart below: its shape, its key, its reference and its trigger.
	 */
	lines tables = names(s, "SELECT table_name FROM information_schema.tables WHERE table_schema=current_schema()"
				" AND table_type='BASE TABLE' AND table_name<>'file_chunk' ORDER BY table_name");
	for (size_t i = 0; i < tables.n; i++) {
		const char *t = tables.v[i];
		add(L, "table %s", t);
		rows(L, s, "column ",
		     "SELECT CAST(?1 AS TEXT), ordinal_position, column_name, CASE data_type WHEN 'bigint' THEN 'int' WHEN 'text' THEN 'text'"
		     " WHEN 'bytea' THEN 'blob' ELSE data_type END, CASE WHEN is_nullable='NO' THEN 'NN' ELSE '' END"
		     " FROM information_schema.columns WHERE table_schema=current_schema() AND table_name=?1"
		     " AND column_name<>'rowid' ORDER BY ordinal_position", t);
		/* the rowid column: last, an identity GENERATED ALWAYS, only on the tables ordered by rowid */
		long long rowid = scalar(s, "SELECT count(*) FROM information_schema.columns WHERE table_schema=current_schema()"
					    " AND table_name=?1 AND column_name='rowid' AND is_identity='YES' AND identity_generation='ALWAYS'"
					    " AND ordinal_position=(SELECT max(ordinal_position) FROM information_schema.columns c"
					    " WHERE c.table_schema=current_schema() AND c.table_name=?1)", t);
		ck_assert_msg(rowid == (is_rowid_table(t) ? 1 : 0), "%s: rowid column %lld", t, rowid);
		rows(L, s, "key ",
		     "SELECT CAST(?1 AS TEXT), c.contype, array_to_string(ARRAY(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY k(n, o)"
		     " JOIN pg_attribute a ON a.attrelid=c.conrelid AND a.attnum=k.n ORDER BY k.o), ',')"
		     " FROM pg_constraint c WHERE c.conrelid=CAST(?1 AS regclass) AND c.contype IN ('p','u')", t);
		rows(L, s, "fk ",
		     "SELECT CAST(?1 AS TEXT), array_to_string(ARRAY(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY k(n, o)"
		     " JOIN pg_attribute a ON a.attrelid=c.conrelid AND a.attnum=k.n ORDER BY k.o), ','), r.relname,"
		     " array_to_string(ARRAY(SELECT a.attname FROM unnest(c.confkey) WITH ORDINALITY k(n, o)"
		     " JOIN pg_attribute a ON a.attrelid=c.confrelid AND a.attnum=k.n ORDER BY k.o), ',')"
		     " FROM pg_constraint c JOIN pg_class r ON r.oid=c.confrelid"
		     " WHERE c.conrelid=CAST(?1 AS regclass) AND c.contype='f'", t);
		/* immediate as SQLite's, deferrable for what SQLite's defer_foreign_keys does */
		ck_assert_int_eq(scalar(s, "SELECT count(*) FROM pg_constraint WHERE conrelid=CAST(?1 AS regclass)"
					   " AND contype='f' AND (NOT condeferrable OR condeferred)", t), 0);
		rows(L, s, "checks ",
		     "SELECT CAST(?1 AS TEXT), count(*) FROM pg_constraint WHERE conrelid=CAST(?1 AS regclass) AND contype='c'"
		     " HAVING count(*) > 0", t);
	}
	lines_free(&tables);
	rows(L, s, "index ",
	     "SELECT i.relname, t.relname, x.indnkeyatts, CASE WHEN x.indpred IS NOT NULL THEN 'partial' ELSE '' END"
	     " FROM pg_index x JOIN pg_class i ON i.oid=x.indexrelid JOIN pg_class t ON t.oid=x.indrelid"
	     " JOIN pg_namespace n ON n.oid=t.relnamespace WHERE n.nspname=current_schema()"
	     " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid=x.indexrelid AND c.conrelid=x.indrelid)"
	     " AND i.relname<>'record_chain_order'", NULL);
	/* record_chain_order, apart: PostgreSQL's own, the commit order (SQLite's rowid is seq, its key) */
	ck_assert_int_eq(scalar(s, "SELECT count(*) FROM pg_index x JOIN pg_class i ON i.oid=x.indexrelid"
				   " JOIN pg_namespace n ON n.oid=i.relnamespace WHERE n.nspname=current_schema()"
				   " AND i.relname='record_chain_order' AND x.indrelid=CAST('record_chain' AS regclass)"
				   " AND x.indisunique AND x.indnkeyatts=1 AND x.indpred IS NULL AND x.indexprs IS NULL"
				   " AND (SELECT a.attname FROM pg_attribute a WHERE a.attrelid=x.indrelid"
				   " AND a.attnum=x.indkey[0])='rowid'", NULL), 1);
	rows(L, s, "trigger ",
	     "SELECT g.tgname, c.relname FROM pg_trigger g JOIN pg_class c ON c.oid=g.tgrelid"
	     " JOIN pg_namespace n ON n.oid=c.relnamespace WHERE n.nspname=current_schema() AND NOT g.tgisinternal"
	     " AND c.relname<>'file_chunk'", NULL);
	for (size_t i = 0; i < sizeof seed_sql / sizeof seed_sql[0]; i++)
		rows(L, s, "row ", seed_sql[i], NULL);
	/* file_chunk, apart: (blob → file_blob, n, data bytea), keyed (blob, n), its one trigger */
	ck_assert_int_eq(scalar(s, "SELECT count(*) FROM information_schema.columns WHERE table_schema=current_schema()"
				   " AND table_name='file_chunk' AND is_nullable='NO' AND ((column_name='blob' AND data_type='bigint'"
				   " AND ordinal_position=1) OR (column_name='n' AND data_type='bigint' AND ordinal_position=2)"
				   " OR (column_name='data' AND data_type='bytea' AND ordinal_position=3))", NULL), 3);
	ck_assert_int_eq(scalar(s, "SELECT count(*) FROM information_schema.columns WHERE table_schema=current_schema()"
				   " AND table_name='file_chunk'", NULL), 3);
	ck_assert_int_eq(scalar(s, "SELECT count(*) FROM pg_constraint c JOIN pg_class r ON r.oid=c.confrelid"
				   " WHERE c.conrelid=CAST('file_chunk' AS regclass) AND c.contype='f' AND r.relname='file_blob'"
				   " AND c.condeferrable AND NOT c.condeferred", NULL), 1);
	ck_assert_int_eq(scalar(s, "SELECT count(*) FROM pg_constraint c WHERE c.conrelid=CAST('file_chunk' AS regclass)"
				   " AND c.contype='p' AND array_length(c.conkey, 1)=2", NULL), 1);
	ck_assert_int_eq(scalar(s, "SELECT count(*) FROM pg_trigger g WHERE g.tgrelid=CAST('file_chunk' AS regclass)"
				   " AND NOT g.tgisinternal", NULL), 1);
	/* the header rows are PostgreSQL's own (SQLite keeps them in its file header) */
	rows(L, s, "meta ", "SELECT key FROM meta WHERE key NOT IN ('application_id','schema_version')", NULL);
	/* identity keys: the tables written without their key */
	ck_assert_int_eq(scalar(s, "SELECT count(*) FROM information_schema.columns WHERE table_schema=current_schema()"
				   " AND is_identity='YES' AND identity_generation='BY DEFAULT' AND column_name='id'"
				   " AND table_name IN ('txn_log','event','counter','file_blob')", NULL), 4);
	ck_assert_int_eq(scalar(s, "SELECT count(*) FROM information_schema.columns WHERE table_schema=current_schema()"
				   " AND is_identity='YES'", NULL), 4 + 6); /* + the rowid of the six tables ordered by it */
}

START_TEST(catalog_matches_sqlite)
{
	/* a fresh SQLite ledger, made by the library itself */
	char path[512], why[512];
	snprintf(path, sizeof path, "%s", tu_tmpfile("schema_pg_lite"));
	bz_ledger *l = NULL;
	ck_assert_bz(bz_ledger_open(&l, path, BZ_OPEN_CREATE));
	bz_ledger_close(l);
	bz_store *lite = NULL;
	ck_assert_int_eq(bz_store_open(&lite, path, 0, why, sizeof why), BZ_OK);
	lines a = { 0 }, b = { 0 };
	sqlite_catalog(&a, lite);

	char name[64];
	bz_store *pg = pg_ledger(name, sizeof name);
	pg_catalog(&b, pg);
	/* the comparison compared something of each kind (schema 10: 36 tables, 39 foreign keys, 24 triggers …) */
	static const struct { const char *kind; size_t min; } kinds[] = {
		{ "table ", 36 }, { "column ", 150 }, { "key ", 40 }, { "fk ", 39 }, { "index ", 20 },
		{ "trigger ", 24 }, { "checks ", 3 }, { "row ", 40 }, { "meta ", 2 },
	};
	for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
		size_t m = 0;
		for (size_t i = 0; i < a.n; i++)
			m += strncmp(a.v[i], kinds[k].kind, strlen(kinds[k].kind)) == 0;
		ck_assert_msg(m >= kinds[k].min, "only %zu lines '%s' on SQLite", m, kinds[k].kind);
	}
	int d = differ(&a, &b, "sqlite", "postgresql");
	ck_assert_msg(d == 0, "%d differences between the SQLite and the PostgreSQL schema (listed above)", d);

	/* the header: meta rows with SQLite's application_id and the schema version */
	char want[32];
	snprintf(want, sizeof want, "%d", BZ_APPLICATION_ID);
	ck_assert_int_eq(scalar(pg, "SELECT count(*) FROM meta WHERE key='application_id' AND value=?1", want), 1);
	ck_assert_int_eq(scalar(pg, "SELECT CAST(value AS BIGINT) FROM meta WHERE key='schema_version'", NULL),
			 BZ_SCHEMA_VERSION);
	ck_assert_int_eq(scalar(pg, "SELECT count(*) FROM meta WHERE key='ledger' AND value ~"
				    " '^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$'", NULL), 1);
	lines_free(&a);
	lines_free(&b);
	drop(pg);
	bz_store_close(lite);
	tu_rm(path);
}
END_TEST

/* the engine's "ORDER BY rowid" reads the seeds in the order SQLite does (report.c) */
START_TEST(rowid_order)
{
	char name[64];
	bz_store *pg = pg_ledger(name, sizeof name);
	exec_ok(pg, "INSERT INTO category(code, name, branch, natures) VALUES('AA','试点编制',2,2)");
	lines L = names(pg, "SELECT code FROM category ORDER BY rowid");
	ck_assert_uint_eq(L.n, 6);
	const char *want[] = { "XZ", "ZFZX", "SYCG", "SY", "GQ", "AA" };
	for (size_t i = 0; i < 6; i++)
		ck_assert_str_eq(L.v[i], want[i]);
	lines_free(&L);
	/* GENERATED ALWAYS: nobody writes a rowid */
	ck_assert_int_ne(bz_store_exec(pg, "INSERT INTO category(code, name, branch, natures, rowid) VALUES('BB','b',2,2,1)"),
			 SQLITE_OK);
	/* identity keys: bz_store_last_id is the new id */
	exec_ok(pg, "INSERT INTO txn_log(recorded_at, recorded_by, office) VALUES('2026-12-01 09:00:00','张三','武都区编办')");
	ck_assert_int_eq(bz_store_last_id(pg), 1);
	/* CHECK as on SQLite */
	ck_assert_int_eq(bz_store_exec(pg, "INSERT INTO category(code, name, branch, natures) VALUES('CC','c',3,2)"),
			 SQLITE_CONSTRAINT_CHECK);
	drop(pg);
}
END_TEST

START_TEST(reopen)
{
	char name[64], why[512];
	bz_store *s = pg_ledger(name, sizeof name);
	exec_ok(s, "INSERT INTO txn_log(recorded_at, recorded_by, office) VALUES('2026-12-01 09:00:00','李四','文县编办')");
	bz_store *again = pg_store(name, 0);
	ck_assert_int_eq(bz_schema_pg_open(again, 0, why, sizeof why), BZ_OK);
	int v = 0;
	ck_assert_int_eq(bz_schema_pg_check(again, &v, why, sizeof why), BZ_OK);
	ck_assert_int_eq(v, BZ_SCHEMA_PG_VERSION);
	bz_store_close(again);
	/* CREATE on an existing ledger opens it: nothing made twice, nothing lost */
	again = pg_store(name, BZ_OPEN_CREATE);
	ck_assert_int_eq(bz_schema_pg_open(again, BZ_OPEN_CREATE, why, sizeof why), BZ_OK);
	ck_assert_int_eq(scalar(again, "SELECT count(*) FROM meta", NULL), 4);
	ck_assert_int_eq(scalar(again, "SELECT count(*) FROM txn_log", NULL), 1);
	ck_assert_int_eq(scalar(again, "SELECT count(*) FROM category", NULL), 5);
	bz_store_close(again);
	/* read-only */
	again = pg_store(name, BZ_OPEN_READONLY);
	ck_assert_int_eq(bz_schema_pg_open(again, BZ_OPEN_READONLY, why, sizeof why), BZ_OK);
	bz_store_close(again);
	/* inside a transaction: a misuse, nothing read */
	ck_assert_int_eq(bz_store_begin(s), SQLITE_OK);
	ck_assert_int_eq(bz_schema_pg_open(s, 0, why, sizeof why), BZ_EMISUSE);
	ck_assert_int_eq(bz_store_rollback(s), SQLITE_OK);
	drop(s);
}
END_TEST

START_TEST(empty_without_create)
{
	char name[64], why[512], want[256];
	fresh(name, sizeof name);
	bz_store *s = pg_store(name, BZ_OPEN_CREATE); /* the schema (and the driver's compat functions) */
	bz_store_close(s);
	s = pg_store(name, 0);
	ck_assert_int_eq(bz_schema_pg_open(s, 0, why, sizeof why), BZ_ENOTLEDGER);
	snprintf(want, sizeof want, "not a ledger: PostgreSQL schema \"%s\" holds no ledger (open with BZ_OPEN_CREATE to create one)",
		 name);
	ck_assert_str_eq(why, want);
	int v = -1;
	ck_assert_int_eq(bz_schema_pg_check(s, &v, why, sizeof why), BZ_OK);
	ck_assert_int_eq(v, 0);
	/* CREATE with READONLY cannot create either */
	ck_assert_int_eq(bz_schema_pg_open(s, BZ_OPEN_CREATE | BZ_OPEN_READONLY, why, sizeof why), BZ_ENOTLEDGER);
	ck_assert_ptr_nonnull(strstr(why, "holds no ledger"));
	ck_assert_int_eq(ntables(s), 0);
	ck_assert_int_eq(nfunctions(s, "bz_r10_faulty"), 0);
	drop(s);
}
END_TEST

/* meta's schema_version set to `version`: the status and message of the next open; nothing written */
static void version_refused(const char *version, int status, const char *msg)
{
	char name[64], why[512], sql[128];
	bz_store *s = pg_ledger(name, sizeof name);
	snprintf(sql, sizeof sql, "UPDATE meta SET value='%s' WHERE key='schema_version'", version);
	exec_ok(s, sql);
	long long before = ntables(s);
	bz_store *again = pg_store(name, BZ_OPEN_CREATE);
	ck_assert_int_eq(bz_schema_pg_open(again, BZ_OPEN_CREATE, why, sizeof why), status);
	ck_assert_str_eq(why, msg);
	ck_assert_int_eq(bz_schema_pg_check(again, NULL, why, sizeof why), status);
	ck_assert_str_eq(why, msg);
	ck_assert(!bz_store_in_txn(again));
	bz_store_close(again);
	ck_assert_int_eq(ntables(s), before);
	ck_assert_int_eq(scalar(s, "SELECT count(*) FROM meta WHERE key='schema_version' AND value=?1", version), 1);
	drop(s);
}

START_TEST(newer_version)
{
	char v[16], msg[128];
	snprintf(v, sizeof v, "%d", BZ_SCHEMA_PG_VERSION + 1);
	snprintf(msg, sizeof msg, "ledger schema version %d is newer than this library's %d; upgrade libbianzhi",
		 BZ_SCHEMA_PG_VERSION + 1, BZ_SCHEMA_PG_VERSION);
	version_refused(v, BZ_ESCHEMA, msg);
}
END_TEST

START_TEST(older_version)
{
	char msg[192];
	snprintf(msg, sizeof msg, "ledger schema version 10 is older than this library's %d, and a PostgreSQL "
		 "ledger migrates from version 11 (libbianzhi 1.3.0) only", BZ_SCHEMA_PG_VERSION);
	version_refused("10", BZ_ESCHEMA, msg);
}
END_TEST

/* a ledger as libbianzhi 1.3.0 made it (schema 11: no card.event, its cards as facts; no person.event, its
 * registrations in event_subject) is refused read-only, then migrated by its first read-write open to exactly the
 * catalog a new ledger has, its rows kept and each person's registration named by its row (schema 13) */
START_TEST(migrates_version_11)
{
	char name[64], why[512], want[256];
	bz_store *s = pg_ledger(name, sizeof name);
	lines fresh_cat = { 0 }, migrated = { 0 };
	pg_catalog(&fresh_cat, s);
	/* person and card as 1.3.0's schema_pg.sql made them (dropping a column would leave its attribute number
	 * taken); the references to person again as they were */
	exec_ok(s, "DROP TABLE card");
	exec_ok(s, "DROP TABLE person CASCADE");
	exec_ok(s, "CREATE TABLE person(id TEXT PRIMARY KEY, id_number TEXT NOT NULL UNIQUE, name TEXT NOT NULL,"
		   " sex BIGINT NOT NULL, birth TEXT NOT NULL)");
	exec_ok(s, "ALTER TABLE placement ADD FOREIGN KEY(person) REFERENCES person(id) DEFERRABLE");
	exec_ok(s, "ALTER TABLE appointment ADD FOREIGN KEY(person) REFERENCES person(id) DEFERRABLE");
	exec_ok(s, "DROP INDEX event_subject");
	exec_ok(s, "CREATE INDEX event_subject ON event(subject, effective) WHERE kind NOT IN ('placement.enter','placement.transfer_in')");
	exec_ok(s, "CREATE TABLE card(number TEXT PRIMARY KEY, person TEXT NOT NULL UNIQUE REFERENCES person(id) DEFERRABLE,"
		   " issued TEXT NOT NULL, prefix TEXT NOT NULL)");
	exec_ok(s, "CREATE INDEX card_seq ON card(prefix, (CAST(substr(number, 8) AS INTEGER)))");
	exec_ok(s, "UPDATE meta SET value='11' WHERE key='schema_version'");
	exec_ok(s, "INSERT INTO person(id, id_number, name, sex, birth) VALUES('p1','620000199001010011','张三',1,'1990-01-01')");
	exec_ok(s, "INSERT INTO card(number, person, issued, prefix) VALUES('621222-000001','p1','2020-01-01','621222')");
	/* p1's registration record, as 1.3.0 wrote it (a transaction of its own) */
	exec_ok(s, "INSERT INTO txn_log(recorded_at, recorded_by, office) VALUES('2020-01-01T00:00:00Z', 'test', '')");
	exec_ok(s, "INSERT INTO event(txn, kind, subject, unit, effective) SELECT max(id), 'person.register', 'p1', NULL,"
		   " '2020-01-01' FROM txn_log");
	const char *has_event = "SELECT count(*) FROM information_schema.columns WHERE table_schema=current_schema()"
				" AND table_name='card' AND column_name='event'";
	ck_assert_int_eq(scalar(s, has_event, NULL), 0);

	/* read-only: refused, nothing written */
	bz_store *ro = pg_store(name, BZ_OPEN_READONLY);
	ck_assert_int_eq(bz_schema_pg_open(ro, BZ_OPEN_READONLY, why, sizeof why), BZ_ESCHEMA);
	snprintf(want, sizeof want, "ledger schema version 11 is older than this library's %d: open it once for writing to "
		 "migrate it (a read-only handle cannot)", BZ_SCHEMA_PG_VERSION);
	ck_assert_str_eq(why, want);
	ck_assert(!bz_store_in_txn(ro));
	bz_store_close(ro);
	ck_assert_int_eq(scalar(s, has_event, NULL), 0);
	ck_assert_int_eq(scalar(s, "SELECT count(*) FROM meta WHERE key='schema_version' AND value='11'", NULL), 1);

	/* the check reports the version as it is */
	int v = 0;
	ck_assert_int_eq(bz_schema_pg_check(s, &v, why, sizeof why), BZ_OK);
	ck_assert_int_eq(v, 11);

	/* read-write (no CREATE needed): migrated */
	bz_store *rw = pg_store(name, 0);
	ck_assert_int_eq(bz_schema_pg_open(rw, 0, why, sizeof why), BZ_OK);
	ck_assert_str_eq(why, "");
	ck_assert(!bz_store_in_txn(rw));
	ck_assert_int_eq(bz_schema_pg_check(rw, &v, why, sizeof why), BZ_OK);
	ck_assert_int_eq(v, BZ_SCHEMA_PG_VERSION);
	bz_store_close(rw);
	pg_catalog(&migrated, s);
	int d = differ(&fresh_cat, &migrated, "created", "migrated");
	ck_assert_msg(d == 0, "%d differences between a created and a migrated ledger (listed above)", d);
	ck_assert_int_eq(scalar(s, "SELECT count(*) FROM card WHERE number='621222-000001' AND person='p1'"
				   " AND event IS NULL", NULL), 1);
	ck_assert_int_eq(scalar(s, "SELECT count(*) FROM person p JOIN event e ON e.id=p.event AND e.subject=p.id"
				   " AND e.kind='person.register' WHERE p.id='p1'", NULL), 1);
	/* the library opens it as a ledger */
	char t[1024];
	bz_ledger *l = NULL;
	ck_assert_bz(bz_ledger_open(&l, target(t, sizeof t, name), 0));
	bz_ledger_close(l);
	/* a second open finds it current: nothing done twice */
	rw = pg_store(name, BZ_OPEN_READONLY);
	ck_assert_int_eq(bz_schema_pg_open(rw, BZ_OPEN_READONLY, why, sizeof why), BZ_OK);
	bz_store_close(rw);
	lines_free(&fresh_cat);
	lines_free(&migrated);
	drop(s);
}
END_TEST

/* a ledger of schema 13 (every record with a unit in event_unit, as 1.3.x made it) is migrated by its first
 * read-write open to the index without the entries into a post (schema.c's migration 14), its rows kept */
START_TEST(migrates_version_13)
{
	char name[64], why[512];
	bz_store *s = pg_ledger(name, sizeof name);
	lines fresh_cat = { 0 }, migrated = { 0 };
	pg_catalog(&fresh_cat, s);
	static const char entries_out[] = "SELECT count(*) FROM pg_index x JOIN pg_class i ON i.oid=x.indexrelid"
					  " JOIN pg_namespace n ON n.oid=i.relnamespace WHERE n.nspname=current_schema()"
					  " AND i.relname='event_unit' AND pg_get_expr(x.indpred, x.indrelid) LIKE '%unit IS NOT NULL%'"
					  " AND pg_get_expr(x.indpred, x.indrelid) LIKE '%placement.enter%'"
					  " AND pg_get_expr(x.indpred, x.indrelid) LIKE '%placement.transfer_in%'";
	ck_assert_int_eq(scalar(s, entries_out, NULL), 1);
	exec_ok(s, "DROP INDEX event_unit");
	exec_ok(s, "CREATE INDEX event_unit ON event(unit, effective) WHERE unit IS NOT NULL");
	exec_ok(s, "UPDATE meta SET value='13' WHERE key='schema_version'");
	ck_assert_int_eq(scalar(s, entries_out, NULL), 0);

	/* read-only: refused, nothing written */
	bz_store *ro = pg_store(name, BZ_OPEN_READONLY);
	ck_assert_int_eq(bz_schema_pg_open(ro, BZ_OPEN_READONLY, why, sizeof why), BZ_ESCHEMA);
	bz_store_close(ro);
	ck_assert_int_eq(scalar(s, entries_out, NULL), 0);
	ck_assert_int_eq(scalar(s, "SELECT count(*) FROM meta WHERE key='schema_version' AND value='13'", NULL), 1);

	/* read-write: migrated, to exactly the catalog a new ledger has */
	bz_store *rw = pg_store(name, 0);
	ck_assert_int_eq(bz_schema_pg_open(rw, 0, why, sizeof why), BZ_OK);
	ck_assert_str_eq(why, "");
	int v = 0;
	ck_assert_int_eq(bz_schema_pg_check(rw, &v, why, sizeof why), BZ_OK);
	ck_assert_int_eq(v, BZ_SCHEMA_PG_VERSION);
	bz_store_close(rw);
	ck_assert_int_eq(scalar(s, entries_out, NULL), 1);
	pg_catalog(&migrated, s);
	int d = differ(&fresh_cat, &migrated, "created", "migrated");
	ck_assert_msg(d == 0, "%d differences between a created and a migrated ledger (listed above)", d);
	char t[1024];
	bz_ledger *l = NULL;
	ck_assert_bz(bz_ledger_open(&l, target(t, sizeof t, name), 0));
	bz_ledger_close(l);
	lines_free(&fresh_cat);
	lines_free(&migrated);
	drop(s);
}
END_TEST

START_TEST(garbled_version)
{
	version_refused("ten", BZ_ENOTLEDGER, "not a ledger: it carries the ledger's application id but schema version ten");
	version_refused("0", BZ_ENOTLEDGER, "not a ledger: it carries the ledger's application id but schema version 0");
}
END_TEST

START_TEST(foreign_schema)
{
	char name[64], why[512], want[512];
	static const char *const foreign[] = {
		"CREATE TABLE foo(a INTEGER)",                                      /* another application's tables */
		"CREATE TABLE meta(a INTEGER)",                                     /* a meta that is not ours */
		"CREATE TABLE meta(key TEXT, value TEXT); INSERT INTO meta VALUES('application_id','42')",
		"CREATE TABLE meta(key TEXT, value TEXT); INSERT INTO meta VALUES('schema_version','10')",
	};
	for (size_t i = 0; i < sizeof foreign / sizeof foreign[0]; i++) {
		fresh(name, sizeof name);
		bz_store *s = pg_store(name, BZ_OPEN_CREATE);
		exec_ok(s, foreign[i]);
		ck_assert_int_eq(bz_schema_pg_open(s, BZ_OPEN_CREATE, why, sizeof why), BZ_ENOTLEDGER);
		snprintf(want, sizeof want, "not a ledger: PostgreSQL schema \"%s\" holds tables of another application"
			 " (no row application_id = %d in a table meta)", name, BZ_APPLICATION_ID);
		ck_assert_str_eq(why, want);
		ck_assert_int_eq(ntables(s), 1); /* nothing written */
		ck_assert_int_eq(nfunctions(s, "bz_r10_faulty"), 0);
		drop(s);
	}
	/* the ledger's id on a schema without the ledger's tables */
	fresh(name, sizeof name);
	bz_store *s = pg_store(name, BZ_OPEN_CREATE);
	exec_ok(s, "CREATE TABLE meta(key TEXT, value TEXT); INSERT INTO meta VALUES('application_id','1113214001'),"
		   " ('schema_version','12'), ('application','libbianzhi')");
	ck_assert_int_eq(bz_schema_pg_open(s, BZ_OPEN_CREATE, why, sizeof why), BZ_ENOTLEDGER);
	ck_assert_str_eq(why, "not a ledger: it carries the ledger's application id but not the ledger's tables");
	ck_assert_int_eq(ntables(s), 1);
	drop(s);
}
END_TEST

/* an object in the way of the DDL's last tables: the creation fails midway and leaves nothing */
START_TEST(failed_creation_leaves_nothing)
{
	char name[64], why[512];
	bz_store *s = pg_store(fresh(name, sizeof name), BZ_OPEN_CREATE);
	/* a composite type is no table (the schema still holds no ledger) but takes record_chain's name */
	exec_ok(s, "CREATE TYPE record_chain AS (x INTEGER)");
	ck_assert_int_eq(ntables(s), 0);
	int rc = bz_schema_pg_open(s, BZ_OPEN_CREATE, why, sizeof why);
	ck_assert_int_eq(rc, BZ_ERROR);
	ck_assert_msg(strstr(why, "record_chain") && strstr(why, "already exists"), "%s", why);
	ck_assert(!bz_store_in_txn(s));
	ck_assert_int_eq(ntables(s), 0);
	ck_assert_int_eq(nfunctions(s, "bz_r10_faulty"), 0);
	ck_assert_int_eq(nfunctions(s, "bz_files_append_only"), 0);
	ck_assert_int_eq(scalar(s, "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid=c.relnamespace"
				   " WHERE n.nspname=current_schema() AND c.relkind IN ('i','S')", NULL), 0);
	/* out of the way, the same schema becomes a ledger */
	exec_ok(s, "DROP TYPE record_chain");
	ck_assert_int_eq(bz_schema_pg_open(s, BZ_OPEN_CREATE, why, sizeof why), BZ_OK);
	int v = 0;
	ck_assert_int_eq(bz_schema_pg_check(s, &v, why, sizeof why), BZ_OK);
	ck_assert_int_eq(v, BZ_SCHEMA_PG_VERSION);
	drop(s);
}
END_TEST

/* several processes creating the same ledger at once make one: the others wait
 * on the schema's lock, read the header again and open it */
#define NCREATORS 4
typedef struct creator {
	bz_store *s;
	int rc;
	char why[512];
} creator;

static void *create_one(void *arg)
{
	creator *c = arg;
	c->rc = bz_schema_pg_open(c->s, BZ_OPEN_CREATE, c->why, sizeof c->why);
	return NULL;
}

START_TEST(concurrent_create)
{
	char name[64];
	fresh(name, sizeof name);
	creator c[NCREATORS];
	pthread_t th[NCREATORS];
	for (int i = 0; i < NCREATORS; i++)
		c[i].s = pg_store(name, BZ_OPEN_CREATE); /* one connection each */
	for (int i = 0; i < NCREATORS; i++)
		ck_assert_int_eq(pthread_create(&th[i], NULL, create_one, &c[i]), 0);
	for (int i = 0; i < NCREATORS; i++)
		pthread_join(th[i], NULL);
	for (int i = 0; i < NCREATORS; i++)
		ck_assert_msg(c[i].rc == BZ_OK, "creator %d: %d %s", i, c[i].rc, c[i].why);
	ck_assert_int_eq(scalar(c[0].s, "SELECT count(*) FROM meta", NULL), 4);
	ck_assert_int_eq(scalar(c[0].s, "SELECT count(*) FROM category", NULL), 5);
	for (int i = 1; i < NCREATORS; i++)
		bz_store_close(c[i].s);
	drop(c[0].s);
}
END_TEST

/* an UPDATE and a DELETE refused by the table's trigger, the row unchanged */
static void refused(bz_store *s, const char *table, const char *where, const char *set, const char *msg)
{
	char sql[256];
	snprintf(sql, sizeof sql, "UPDATE %s SET %s WHERE %s", table, set, where);
	int rc = bz_store_exec(s, sql);
	ck_assert_msg(rc == SQLITE_CONSTRAINT_TRIGGER, "%s: %d %s", sql, rc, bz_store_errmsg(s));
	ck_assert_msg(strstr(bz_store_errmsg(s), msg), "%s: %s", sql, bz_store_errmsg(s));
	snprintf(sql, sizeof sql, "DELETE FROM %s WHERE %s", table, where);
	rc = bz_store_exec(s, sql);
	ck_assert_msg(rc == SQLITE_CONSTRAINT_TRIGGER, "%s: %d %s", sql, rc, bz_store_errmsg(s));
	ck_assert_msg(strstr(bz_store_errmsg(s), msg), "%s: %s", sql, bz_store_errmsg(s));
	snprintf(sql, sizeof sql, "SELECT count(*) FROM %s WHERE %s", table, where);
	ck_assert_int_eq(scalar(s, sql, NULL), 1);
}

START_TEST(append_only)
{
	char name[64];
	bz_store *s = pg_ledger(name, sizeof name);
	exec_ok(s, "INSERT INTO txn_log(recorded_at, recorded_by, office) VALUES('2026-12-01 09:00:00','王五','陇南市编办')");
	exec_ok(s, "INSERT INTO jurisdiction(id, code, name, parent, level) VALUES('j1','621202','武都区',NULL,4)");
	exec_ok(s, "INSERT INTO event(txn, kind, subject, unit, effective, doc, note)"
		   " VALUES(1,'jurisdiction.create','j1',NULL,'2026-12-01',NULL,NULL)");
	exec_ok(s, "INSERT INTO fact(event, subject, attr, effective, before, after) VALUES(1,'j1','name','2026-12-01',NULL,'武都区')");
	exec_ok(s, "INSERT INTO txn_id(txn, uuid) VALUES(1,'8d3c1f0e-4b7a-4c55-9a1e-2f6d7c8b9a01')");
	exec_ok(s, "INSERT INTO record_chain(seq, hash, parts) VALUES(1, NULL, '\\x0102')");
	exec_ok(s, "INSERT INTO txn_origin(txn, ledger, id) VALUES(1,'l2',7)");
	exec_ok(s, "INSERT INTO event_origin(event, ledger, seq) VALUES(1,'l2',9)");
	exec_ok(s, "INSERT INTO office(id, name, jurisdiction, kind, registered, event) VALUES('o1','武都区编办','j1',4,'2026-12-01',1)");
	exec_ok(s, "INSERT INTO document(id, issuer, number, abbr, year, seq, title, date, level, kind, jurisdiction, event)"
		   " VALUES('d1','武都区编委','武编发〔2026〕1号','武编发',2026,1,'关于设立的批复','2026-12-01',4,1,'621202',1)");
	exec_ok(s, "INSERT INTO opening(txn, document, cutover) VALUES(1,'d1','2026-12-01')");
	const char *rec = "change records are append-only";
	refused(s, "txn_log", "id=1", "office='x'", rec);
	refused(s, "event", "id=1", "kind='x'", rec);
	refused(s, "fact", "event=1", "after='x'", rec);
	refused(s, "txn_id", "txn=1", "uuid='x'", rec);
	refused(s, "record_chain", "seq=1", "hash='\\x00'", rec);
	refused(s, "txn_origin", "txn=1", "id=8", rec);
	refused(s, "event_origin", "event=1", "seq=10", rec);
	refused(s, "office", "id='o1'", "name='x'", rec);
	refused(s, "opening", "txn=1", "cutover='2026-12-02'", rec);
	/* a stored file: free while its upload is not finished, append-only once hashed */
	exec_ok(s, "INSERT INTO file_blob(data) VALUES('\\x00')");
	ck_assert_int_eq(bz_store_last_id(s), 1);
	exec_ok(s, "UPDATE file_blob SET data='\\x2550444600' WHERE id=1");
	exec_ok(s, "INSERT INTO file_blob(data) VALUES('\\x00')");
	exec_ok(s, "DELETE FROM file_blob WHERE id=2");
	exec_ok(s, "INSERT INTO file_hash(sha256, blob, size) VALUES('ab12',1,5)");
	exec_ok(s, "INSERT INTO document_file(id, document, name, sha256, size, event) VALUES('f1','d1','批复.pdf','ab12',5,1)");
	const char *files = "stored files are append-only";
	refused(s, "file_blob", "id=1", "data='\\x00'", files);
	refused(s, "file_hash", "sha256='ab12'", "size=6", files);
	/* its chunks (PostgreSQL's own table): an upload's come and go; hashed ones never change, none is added */
	exec_ok(s, "INSERT INTO file_blob(data) VALUES('\\x')");
	exec_ok(s, "INSERT INTO file_chunk(blob, n, data) VALUES(3, 0, '\\x2550'), (3, 1, '\\x44')");
	exec_ok(s, "UPDATE file_chunk SET data='\\x2551' WHERE blob=3 AND n=0");
	exec_ok(s, "DELETE FROM file_chunk WHERE blob=3 AND n=1");
	ck_assert_int_ne(bz_store_exec(s, "INSERT INTO file_chunk(blob, n, data) VALUES(1, 0, '\\x2550444600')"), SQLITE_OK);
	ck_assert_msg(strstr(bz_store_errmsg(s), files), "%s", bz_store_errmsg(s));
	ck_assert_int_eq(scalar(s, "SELECT count(*) FROM file_chunk WHERE blob=1", NULL), 0);
	exec_ok(s, "INSERT INTO file_hash(sha256, blob, size) VALUES('cd34',3,2)");
	refused(s, "file_chunk", "blob=3 AND n=0", "data='\\x00'", files);
	ck_assert_int_ne(bz_store_exec(s, "INSERT INTO file_chunk(blob, n, data) VALUES(3, 1, '\\x00')"), SQLITE_OK);
	ck_assert_msg(strstr(bz_store_errmsg(s), files), "%s", bz_store_errmsg(s));
	ck_assert_int_eq(scalar(s, "SELECT count(*) FROM file_chunk WHERE blob=3", NULL), 1);
	refused(s, "document_file", "id='f1'", "name='x'", rec);
	/* the other tables take updates (the engine never makes them, but nothing refuses) */
	exec_ok(s, "UPDATE jurisdiction SET name='武都区' WHERE id='j1'");
	drop(s);
}
END_TEST

/* ---- bz_r10_faulty: PostgreSQL's against the C function ------------------------ */

static char check_char(const char *first17)
{
	static const int w[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
	int sum = 0;
	for (int i = 0; i < 17; i++)
		sum += (first17[i] - '0') * w[i];
	return "10X98765432"[sum % 11];
}

typedef struct r10_case {
	char number[96], birth[32], date[32];
	bool null_number, null_birth, null_date, null_sex;
	int sex;
} r10_case;

static size_t r10_cases(r10_case *c, size_t max)
{
	/* 陇南: 武都区, 成县, 文县, 宕昌县, 康县; a city code; region 000000 */
	static const char *const regions[] = { "621202", "621221", "621222", "621223", "621224", "621200", "000000" };
	static const char *const births[] = { "19800229", "19810229", "19751231", "20000101", "19991301", "19650431",
					      "18991231", "19000101", "20261201", "20261202", "19850615" };
	size_t n = 0;
	for (size_t r = 0; r < sizeof regions / sizeof regions[0]; r++) {
		for (size_t b = 0; b < sizeof births / sizeof births[0]; b++) {
			for (int seq = 0; seq < 2 && n + 8 <= max; seq++) {
				char base[18];
				snprintf(base, sizeof base, "%s%s%03d", regions[r], births[b], 37 + seq * 4 + (int)b);
				char ok[19];
				snprintf(ok, sizeof ok, "%s%c", base, check_char(base));
				int sex = ((base[16] - '0') % 2) ? BZ_SEX_MALE : BZ_SEX_FEMALE;
				char birth[11];
				snprintf(birth, sizeof birth, "%.4s-%.2s-%.2s", base + 6, base + 10, base + 12);
				/* as it should be */
				r10_case k = { .sex = sex };
				snprintf(k.number, sizeof k.number, "%s", ok);
				snprintf(k.birth, sizeof k.birth, "%s", birth);
				snprintf(k.date, sizeof k.date, "2026-12-01");
				c[n++] = k;
				/* wrong check character */
				r10_case x = k;
				x.number[17] = x.number[17] == '0' ? '1' : '0';
				c[n++] = x;
				/* wrong sex, birth mismatch, registered before the birth */
				x = k;
				x.sex = sex == BZ_SEX_MALE ? BZ_SEX_FEMALE : BZ_SEX_MALE;
				c[n++] = x;
				x = k;
				snprintf(x.birth, sizeof x.birth, "1970-01-01");
				c[n++] = x;
				x = k;
				snprintf(x.date, sizeof x.date, "1990-06-30");
				c[n++] = x;
				/* the 15-digit legacy form of the same number, and with a birth date that matches it */
				x = k;
				snprintf(x.number, sizeof x.number, "%.6s%.6s%.3s", base, base + 8, base + 14);
				c[n++] = x;
				snprintf(x.birth, sizeof x.birth, "%.4s-%.2s-%.2s", x.number + 6, x.number + 10, x.number + 12);
				c[n++] = x;
				/* birth with a time part (cut at 10 bytes, as the C function copies it) */
				x = k;
				snprintf(x.birth, sizeof x.birth, "%s 08:00", birth);
				c[n++] = x;
			}
		}
	}
	/* the lower-case x check character */
	for (int seq = 0; seq < 200 && n + 2 <= max; seq++) {
		char base[18];
		snprintf(base, sizeof base, "62120219881111%03d", seq);
		if (check_char(base) != 'X')
			continue;
		r10_case k = { .sex = ((base[16] - '0') % 2) ? BZ_SEX_MALE : BZ_SEX_FEMALE };
		snprintf(k.number, sizeof k.number, "%sx", base);
		snprintf(k.birth, sizeof k.birth, "1988-11-11");
		snprintf(k.date, sizeof k.date, "2026-12-01");
		c[n++] = k;
		k.number[17] = 'X';
		c[n++] = k;
	}
	/* garbage and NULLs */
	static const char *const garbage[] = { "", "abc", "62120219800229003", "6212021980022900311", "62120A198002290031",
					       "621202198002290031 ", "６２１２０２１９８００２２９００３１", "武都区某某某某某某某某某某某",
					       "621202800229003", "62120280022900X",
					       "0123456789012345678901234567890123456789012345678901234567890123456789" };
	for (size_t i = 0; i < sizeof garbage / sizeof garbage[0] && n < max; i++) {
		r10_case k = { .sex = BZ_SEX_MALE };
		snprintf(k.number, sizeof k.number, "%s", garbage[i]);
		snprintf(k.birth, sizeof k.birth, "1980-02-29");
		snprintf(k.date, sizeof k.date, "2026-12-01");
		c[n++] = k;
	}
	ck_assert_uint_le(n + 6, max);
	r10_case k = { .sex = BZ_SEX_MALE };
	snprintf(k.number, sizeof k.number, "621202198002290031");
	snprintf(k.birth, sizeof k.birth, "1980-02-29");
	snprintf(k.date, sizeof k.date, "2026-12-01");
	r10_case x = k;
	x.null_number = true;
	c[n++] = x;
	x = k;
	x.null_sex = true;
	c[n++] = x;
	x = k;
	x.null_birth = true;
	c[n++] = x;
	x = k;
	x.null_date = true;
	c[n++] = x;
	x = k;
	snprintf(x.date, sizeof x.date, "2026-12-01 12:00");
	c[n++] = x;
	x = k;
	snprintf(x.date, sizeof x.date, "今天");
	c[n++] = x;
	return n;
}

static int r10_eval(bz_st *st, const r10_case *k, bz_store *errs)
{
	bz_st_reset(st);
	bz_st_clear_bindings(st);
	bz_st_bind_text(st, 1, k->null_number ? NULL : k->number, -1);
	if (k->null_sex)
		bz_st_bind_null(st, 2);
	else
		bz_st_bind_int(st, 2, k->sex);
	bz_st_bind_text(st, 3, k->null_birth ? NULL : k->birth, -1);
	bz_st_bind_text(st, 4, k->null_date ? NULL : k->date, -1);
	int rc = bz_st_step(st);
	ck_assert_msg(rc == SQLITE_ROW, "bz_r10_faulty(%s): %d %s", k->number, rc, errs ? bz_store_errmsg(errs) : "");
	ck_assert(!bz_st_column_isnull(st, 0));
	return bz_st_column_int(st, 0);
}

START_TEST(r10_faulty_agrees)
{
	static r10_case cases[2000];
	size_t n = r10_cases(cases, sizeof cases / sizeof cases[0]);
	ck_assert_uint_gt(n, 300);

	/* the oracle: the C function, as the SQLite ledger registers it for the self-inspection */
	bz_ledger *l = tu_ledger();
	ck_assert_bz(bz_records_functions(l));
	bz_st *lite = NULL;
	ck_assert_int_eq(bz_st_prepare_sqlite(l->db, "SELECT bz_r10_faulty(?1, ?2, ?3, ?4)", &lite, 0), SQLITE_OK);

	char name[64];
	bz_store *s = pg_ledger(name, sizeof name);
	bz_st *pg = NULL;
	ck_assert_int_eq(bz_store_prepare(s, &pg, "SELECT bz_r10_faulty(?1, ?2, ?3, ?4)"), SQLITE_OK);
	int wrong = 0, faulty = 0;
	for (size_t i = 0; i < n; i++) {
		int want = r10_eval(lite, &cases[i], NULL);
		int got = r10_eval(pg, &cases[i], s);
		faulty += want;
		if (got != want) {
			fprintf(stderr, "bz_r10_faulty(%s, %d, %s, %s): C %d, PostgreSQL %d\n",
				cases[i].null_number ? "NULL" : cases[i].number, cases[i].null_sex ? -1 : cases[i].sex,
				cases[i].null_birth ? "NULL" : cases[i].birth, cases[i].null_date ? "NULL" : cases[i].date,
				want, got);
			wrong++;
		}
	}
	printf("bz_r10_faulty: %zu ID numbers, %d faulty, %d judged differently\n", n, faulty, wrong);
	ck_assert_msg(wrong == 0, "%d of %zu ID numbers judged differently", wrong, n);
	/* both verdicts were exercised */
	ck_assert_int_gt(faulty, 50);
	ck_assert_int_gt((int)n - faulty, 50);
	bz_st_finalize(pg);
	bz_st_finalize(lite);
	bz_ledger_close(l);
	drop(s);
}
END_TEST

int main(int argc, char **argv)
{
	int crc = tu_pg_cluster(argc, argv, "test_schema_pg");
	if (crc != 0)
		return crc;
	pg_uri = getenv("BZ_PG_URI");
	if (pg_uri && !*pg_uri)
		pg_uri = NULL;
#if !BZ_HAVE_PG
	pg_uri = NULL;
#endif
	if (!pg_uri)
		printf("test_schema_pg: the PostgreSQL schema not tested here (no BZ_PG_URI): the meson suite `pg` runs it "
		       "on a throwaway cluster (tests/pg_cluster.sh); the version check runs\n");
	Suite *s = suite_create("schema_pg");
	TCase *tv = tcase_create("versions");
	tcase_add_test(tv, versions_agree);
	tcase_add_test(tv, not_a_pg_store);
	suite_add_tcase(s, tv);
	TCase *tp = tcase_create("postgresql");
	tcase_set_timeout(tp, 120);
	if (pg_uri) {
		tcase_add_test(tp, catalog_matches_sqlite);
		tcase_add_test(tp, rowid_order);
		tcase_add_test(tp, reopen);
		tcase_add_test(tp, empty_without_create);
		tcase_add_test(tp, newer_version);
		tcase_add_test(tp, older_version);
		tcase_add_test(tp, migrates_version_11);
		tcase_add_test(tp, migrates_version_13);
		tcase_add_test(tp, garbled_version);
		tcase_add_test(tp, foreign_schema);
		tcase_add_test(tp, failed_creation_leaves_nothing);
		tcase_add_test(tp, concurrent_create);
		tcase_add_test(tp, append_only);
		tcase_add_test(tp, r10_faulty_agrees);
	}
	suite_add_tcase(s, tp);
	int rc = tu_run(s);
	tu_pg_cluster_stop();
	return rc;
}
