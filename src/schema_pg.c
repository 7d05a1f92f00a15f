/*
 * schema_pg.c: a ledger's schema on PostgreSQL (schema_pg.h). The header of
 * a ledger is rows of its meta table; the DDL is schema_pg.sql
 * (bz_schema_pg_sql), run in the one transaction that creates the ledger.
 */
#include "schema_pg.h"
#include "internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void say(char *errbuf, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void say(char *errbuf, size_t errlen, const char *fmt, ...)
{
	if (!errbuf || !errlen)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(errbuf, errlen, fmt, ap);
	va_end(ap);
}

/* a failed store call: its status (never BZ_OK) and the store's message */
static int store_fail(bz_store *s, int rc, char *errbuf, size_t errlen)
{
	int code = bz_store_status(s, rc);
	say(errbuf, errlen, "%s", bz_store_errmsg(s));
	return code == BZ_OK ? BZ_ERROR : code;
}

/* the first column of the one row of sql (bound: ?1 = p1 when given) as an integer; 0 without a row */
static int query_int(bz_store *s, const char *sql, const char *p1, int64_t *out)
{
	bz_st *st = NULL;
	*out = 0;
	int rc = bz_store_prepare(s, &st, sql);
	if (rc != SQLITE_OK)
		return rc;
	if (p1)
		rc = bz_st_bind_text(st, 1, p1, -1);
	if (rc == SQLITE_OK)
		rc = bz_st_step(st);
	if (rc == SQLITE_ROW) {
		*out = bz_st_column_int64(st, 0);
		rc = SQLITE_OK;
	} else if (rc == SQLITE_DONE) {
		rc = SQLITE_OK;
	}
	bz_st_finalize(st);
	return rc;
}

/* what the schema says about itself, read in one transaction */
typedef struct pg_header {
	int64_t ntables; /* tables, views … of the schema (functions do not count) */
	bool meta;       /* a table meta(key, value) */
	bool has_appid, has_version, marked;
	char appid[32], version[32];
	int64_t core; /* how many of meta, txn_log, event, fact are tables */
} pg_header;

static const char sql_ntables[] =
	"SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid=c.relnamespace"
	" WHERE n.nspname=current_schema() AND c.relkind IN ('r','p','v','m','f')";
static const char sql_meta_cols[] =
	"SELECT count(*) FROM information_schema.columns WHERE table_schema=current_schema()"
	" AND table_name='meta' AND column_name IN ('key','value')";
static const char sql_core[] =
	"SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid=c.relnamespace"
	" WHERE n.nspname=current_schema() AND c.relkind IN ('r','p')"
	" AND c.relname IN ('meta','txn_log','event','fact')";
static const char sql_meta_rows[] =
	"SELECT CAST(key AS TEXT), CAST(value AS TEXT) FROM meta"
	" WHERE CAST(key AS TEXT) IN ('application_id','schema_version','application')";

/* a store code */
static int read_header(bz_store *s, pg_header *h)
{
	memset(h, 0, sizeof *h);
	int64_t n = 0;
	int rc = query_int(s, sql_ntables, NULL, &h->ntables);
	if (rc == SQLITE_OK && h->ntables > 0)
		rc = query_int(s, sql_meta_cols, NULL, &n);
	if (rc != SQLITE_OK || n != 2)
		return rc;
	h->meta = true;
	if ((rc = query_int(s, sql_core, NULL, &h->core)) != SQLITE_OK)
		return rc;
	bz_st *st = NULL;
	if ((rc = bz_store_prepare(s, &st, sql_meta_rows)) != SQLITE_OK)
		return rc;
	while ((rc = bz_st_step(st)) == SQLITE_ROW) {
		const char *k = (const char *)bz_st_column_text(st, 0);
		const char *v = (const char *)bz_st_column_text(st, 1);
		if (!k || !v)
			continue;
		if (strcmp(k, "application_id") == 0) {
			h->has_appid = true;
			snprintf(h->appid, sizeof h->appid, "%s", v);
		} else if (strcmp(k, "schema_version") == 0) {
			h->has_version = true;
			snprintf(h->version, sizeof h->version, "%s", v);
		} else if (strcmp(k, "application") == 0) {
			h->marked = strcmp(v, "libbianzhi") == 0;
		}
	}
	bz_st_finalize(st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* what the header says: *version 0 (no table: create), BZ_SCHEMA_PG_VERSION, or a refusal (schema.c's judge_header) */
static int judge_header(bz_store *s, const pg_header *h, int *version, char *errbuf, size_t errlen)
{
	*version = 0;
	if (h->ntables == 0)
		return BZ_OK;
	char want[32];
	snprintf(want, sizeof want, "%d", BZ_APPLICATION_ID);
	if (!h->meta || !h->has_appid || strcmp(h->appid, want) != 0) {
		say(errbuf, errlen, "not a ledger: PostgreSQL schema \"%s\" holds tables of another application "
		    "(no row application_id = %s in a table meta)", bz_store_schema(s), want);
		return BZ_ENOTLEDGER;
	}
	char *end = NULL;
	long v = h->has_version ? strtol(h->version, &end, 10) : 0;
	if (!h->has_version || !end || *end || end == h->version || v < 1) {
		say(errbuf, errlen, "not a ledger: it carries the ledger's application id but schema version %.20s",
		    h->has_version ? h->version : "(none)");
		return BZ_ENOTLEDGER;
	}
	if (v > BZ_SCHEMA_PG_VERSION) {
		say(errbuf, errlen, "ledger schema version %ld is newer than this library's %d; upgrade libbianzhi", v,
		    BZ_SCHEMA_PG_VERSION);
		return BZ_ESCHEMA;
	}
	if (v < BZ_SCHEMA_PG_OLDEST) {
		say(errbuf, errlen, "ledger schema version %ld is older than this library's %d, and a PostgreSQL ledger "
		    "migrates from version %d (libbianzhi 1.3.0) only", v, BZ_SCHEMA_PG_VERSION, BZ_SCHEMA_PG_OLDEST);
		return BZ_ESCHEMA;
	}
	if (h->core != 4 || !h->marked) {
		say(errbuf, errlen, "not a ledger: it carries the ledger's application id but not the ledger's tables");
		return BZ_ENOTLEDGER;
	}
	*version = (int)v;
	return BZ_OK;
}

static int check(bz_store *s, int *version, char *errbuf, size_t errlen)
{
	bool own_txn = !bz_store_in_txn(s);
	pg_header h;
	int rc = own_txn ? bz_store_begin_read(s) : SQLITE_OK;
	if (rc == SQLITE_OK)
		rc = read_header(s, &h);
	if (rc != SQLITE_OK) {
		int code = store_fail(s, rc, errbuf, errlen);
		if (own_txn)
			bz_store_rollback(s);
		return code;
	}
	if (own_txn && (rc = bz_store_commit(s)) != SQLITE_OK) {
		int code = store_fail(s, rc, errbuf, errlen);
		bz_store_rollback(s);
		return code;
	}
	return judge_header(s, &h, version, errbuf, errlen);
}

int bz_schema_pg_check(bz_store *s, int *version, char *errbuf, size_t errlen)
{
	say(errbuf, errlen, "%s", "");
	int v = 0;
	if (version)
		*version = 0;
	if (!s || s->kind != BZ_STORE_PG) {
		say(errbuf, errlen, "not a PostgreSQL store");
		return BZ_EINVAL;
	}
	int code = check(s, &v, errbuf, errlen);
	if (code == BZ_OK && version)
		*version = v;
	return code;
}

/* the meta rows of a new ledger: its header (schema_pg.h) and identity */
static int write_meta(bz_store *s)
{
	char appid[32], version[32];
	snprintf(appid, sizeof appid, "%d", BZ_APPLICATION_ID);
	snprintf(version, sizeof version, "%d", BZ_SCHEMA_PG_VERSION);
	const char *rows[][2] = {
		{ "application", "libbianzhi" },
		{ "application_id", appid },
		{ "schema_version", version },
	};
	bz_st *st = NULL;
	int rc = bz_store_prepare(s, &st, "INSERT INTO meta(key, value) VALUES(?1, ?2)");
	for (size_t i = 0; rc == SQLITE_OK && i < sizeof rows / sizeof rows[0]; i++) {
		bz_st_reset(st);
		if ((rc = bz_st_bind_text(st, 1, rows[i][0], -1)) == SQLITE_OK &&
		    (rc = bz_st_bind_text(st, 2, rows[i][1], -1)) == SQLITE_OK &&
		    (rc = bz_st_step(st)) == SQLITE_DONE)
			rc = SQLITE_OK;
	}
	bz_st_finalize(st);
	if (rc != SQLITE_OK)
		return rc;
	/* the ledger's identity, a random UUID (version 4), as schema.c's migration 3 → 4 */
	return bz_store_exec_native(s, "INSERT INTO meta(key, value) VALUES('ledger', CAST(gen_random_uuid() AS TEXT))");
}

static const char sql_have_compat[] =
	"SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid=p.pronamespace"
	" WHERE n.nspname=current_schema() AND p.proname='bz_append_only'";

/* inside the creating transaction: a store code */
static int create(bz_store *s)
{
	int64_t have = 0;
	int rc = query_int(s, sql_have_compat, NULL, &have);
	if (rc == SQLITE_OK && have == 0)
		rc = bz_store_exec_native(s, bz_pg_compat_sql);
	if (rc == SQLITE_OK)
		rc = bz_store_exec_native(s, bz_schema_pg_sql);
	if (rc == SQLITE_OK)
		rc = write_meta(s);
	return rc;
}

/* inside the opening transaction: a ledger of schema `from` (BZ_SCHEMA_PG_OLDEST or later) brought to
 * BZ_SCHEMA_PG_VERSION, each step as schema.c's migration of the same number (a store code) */
static int migrate(bz_store *s, int from)
{
	int rc = SQLITE_OK;
	/* 11 → 12: the card held once (schema.c's migration 12): the card row names its entering record; the
	 * column comes last, as schema_pg.sql declares it */
	if (from <= 11)
		rc = bz_store_exec_native(s, "ALTER TABLE card ADD COLUMN event BIGINT REFERENCES event(id) DEFERRABLE");
	if (rc != SQLITE_OK)
		return rc;
	/* 12 → 13: a person's registration found by its person (schema.c's migration 13) */
	if (from <= 12)
		rc = bz_store_exec_native(
			s, "ALTER TABLE person ADD COLUMN event BIGINT REFERENCES event(id) DEFERRABLE;"
			   "UPDATE person SET event=(SELECT min(e.id) FROM event e WHERE e.subject=person.id"
			   " AND e.kind='person.register' AND e.kind NOT IN ('placement.enter','placement.transfer_in'));"
			   "DROP INDEX IF EXISTS event_subject;"
			   "CREATE INDEX event_subject ON event(subject, effective)"
			   " WHERE kind NOT IN ('person.register','placement.enter','placement.transfer_in')");
	if (rc != SQLITE_OK)
		return rc;
	/* 13 → 14: event_unit without the entries into a post (schema.c's migration 14) */
	if (from <= 13)
		rc = bz_store_exec_native(s, "DROP INDEX IF EXISTS event_unit;"
					     "CREATE INDEX event_unit ON event(unit, effective)"
					     " WHERE unit IS NOT NULL AND kind NOT IN ('placement.enter','placement.transfer_in')");
	if (rc != SQLITE_OK)
		return rc;
	char sql[96];
	snprintf(sql, sizeof sql, "UPDATE meta SET value='%d' WHERE key='schema_version'", BZ_SCHEMA_PG_VERSION);
	return bz_store_exec_native(s, sql);
}

int bz_schema_pg_open(bz_store *s, unsigned flags, char *errbuf, size_t errlen)
{
	say(errbuf, errlen, "%s", "");
	if (!s || s->kind != BZ_STORE_PG) {
		say(errbuf, errlen, "not a PostgreSQL store");
		return BZ_EINVAL;
	}
	if (bz_store_in_txn(s)) {
		say(errbuf, errlen, "a ledger's schema is opened outside any transaction");
		return BZ_EMISUSE;
	}
	int version = 0;
	int code = check(s, &version, errbuf, errlen);
	if (code != BZ_OK || version == BZ_SCHEMA_PG_VERSION)
		return code;
	if (version != 0 && (flags & BZ_OPEN_READONLY)) {
		say(errbuf, errlen, "ledger schema version %d is older than this library's %d: open it once for writing to "
		    "migrate it (a read-only handle cannot)", version, BZ_SCHEMA_PG_VERSION);
		return BZ_ESCHEMA;
	}
	if (version == 0 && (!(flags & BZ_OPEN_CREATE) || (flags & BZ_OPEN_READONLY))) {
		say(errbuf, errlen, "not a ledger: PostgreSQL schema \"%s\" holds no ledger (open with BZ_OPEN_CREATE "
		    "to create one%s)", bz_store_schema(s), (flags & BZ_OPEN_READONLY) ? ", not read-only" : "");
		return BZ_ENOTLEDGER;
	}

	/* two processes may create (or migrate) the same ledger at once: the
	 * schema's lock first, then the header again — whoever came first has
	 * done the work */
	pg_header h;
	int rc = bz_store_begin(s);
	if (rc == SQLITE_OK)
		rc = bz_store_exec(s, "SELECT pg_advisory_xact_lock(hashtextextended('bz_create:' || current_schema(), 0))");
	if (rc == SQLITE_OK)
		rc = read_header(s, &h);
	if (rc != SQLITE_OK)
		goto failed;
	if ((code = judge_header(s, &h, &version, errbuf, errlen)) != BZ_OK) {
		bz_store_rollback(s);
		return code;
	}
	if (version == 0 && (rc = create(s)) != SQLITE_OK)
		goto failed;
	if (version != 0 && version < BZ_SCHEMA_PG_VERSION && (rc = migrate(s, version)) != SQLITE_OK)
		goto failed;
	if ((rc = bz_store_commit(s)) != SQLITE_OK)
		goto failed;
	return BZ_OK;
failed:
	code = store_fail(s, rc, errbuf, errlen);
	bz_store_rollback(s);
	return code;
}
