/*
 * store_sqlite.c: the SQLite driver of the storage interface (store.h).
 * Its statements are the sqlite3_stmt themselves; the statement functions
 * below are reached only through the driver table (the engine calls
 * sqlite3_* directly through store.h's inline functions). The connection
 * functions are the driver's own.
 */
#include "store.h"

#include <stdio.h>
#include <string.h>

#define LITE(st) ((sqlite3_stmt *)(void *)(st))

static int lite_bind_int64(bz_st *st, int i, int64_t v) { return sqlite3_bind_int64(LITE(st), i, v); }
static int lite_bind_text(bz_st *st, int i, const char *s, int n)
{
	return s ? sqlite3_bind_text(LITE(st), i, s, n, SQLITE_TRANSIENT) : sqlite3_bind_null(LITE(st), i);
}
static int lite_bind_blob(bz_st *st, int i, const void *p, int n)
{
	return sqlite3_bind_blob(LITE(st), i, p, n, SQLITE_TRANSIENT);
}
static int lite_bind_null(bz_st *st, int i) { return sqlite3_bind_null(LITE(st), i); }
static int lite_step(bz_st *st) { return sqlite3_step(LITE(st)); }
static int lite_reset(bz_st *st) { return sqlite3_reset(LITE(st)); }
static int lite_clear_bindings(bz_st *st) { return sqlite3_clear_bindings(LITE(st)); }
static int lite_finalize(bz_st *st) { return sqlite3_finalize(LITE(st)); }
static int lite_column_count(bz_st *st) { return sqlite3_column_count(LITE(st)); }
static int lite_column_type(bz_st *st, int i) { return sqlite3_column_type(LITE(st), i); }
static int64_t lite_column_int64(bz_st *st, int i) { return sqlite3_column_int64(LITE(st), i); }
static const unsigned char *lite_column_text(bz_st *st, int i) { return sqlite3_column_text(LITE(st), i); }
static const void *lite_column_blob(bz_st *st, int i) { return sqlite3_column_blob(LITE(st), i); }
static int lite_column_bytes(bz_st *st, int i) { return sqlite3_column_bytes(LITE(st), i); }

static bool lite_busy_st(bz_st *st) { return sqlite3_stmt_busy(LITE(st)) != 0; }

static void set_err(bz_store *s, int rc)
{
	snprintf(s->errmsg, sizeof s->errmsg, "sqlite: %s", s->lite ? sqlite3_errmsg(s->lite) : sqlite3_errstr(rc));
}

static int lite_prepare(bz_store *s, bz_st **out, const char *sql)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v3(s->lite, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
	if (rc != SQLITE_OK) {
		set_err(s, rc);
		return rc;
	}
	*out = bz_st_of_sqlite(st);
	return SQLITE_OK;
}

static int lite_exec(bz_store *s, const char *sql)
{
	int rc = sqlite3_exec(s->lite, sql, NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		set_err(s, rc);
	return rc;
}

static int64_t lite_changes(bz_store *s) { return sqlite3_changes(s->lite); }
static int64_t lite_last_id(bz_store *s) { return sqlite3_last_insert_rowid(s->lite); }
static bool lite_in_txn(bz_store *s) { return !sqlite3_get_autocommit(s->lite); }
static int lite_busy(bz_store *s, int ms) { return sqlite3_busy_timeout(s->lite, ms); }

static void lite_close(bz_store *s)
{
	sqlite3_close_v2(s->lite);
	s->lite = NULL;
}

int bz__store_sqlite_open(bz_store *s, const char *path, unsigned flags);
int bz__store_sqlite_open(bz_store *s, const char *path, unsigned flags)
{
	int oflags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE | SQLITE_OPEN_URI;
	if (flags & BZ_OPEN_READONLY)
		oflags |= SQLITE_OPEN_READONLY;
	else
		oflags |= SQLITE_OPEN_READWRITE | ((flags & BZ_OPEN_CREATE) ? SQLITE_OPEN_CREATE : 0);
	int rc = sqlite3_open_v2(path, &s->lite, oflags, NULL);
	if (rc != SQLITE_OK) {
		snprintf(s->errmsg, sizeof s->errmsg, "%.200s: sqlite: %s", path,
			 s->lite ? sqlite3_errmsg(s->lite) : sqlite3_errstr(rc));
		return bz_store_status(s, rc) == BZ_ERROR ? BZ_EIO : bz_store_status(s, rc);
	}
	sqlite3_busy_timeout(s->lite, s->busy_ms);
	sqlite3_extended_result_codes(s->lite, 1);
	return BZ_OK;
}

const char *bz_store_schema(const bz_store *s)
{
#if BZ_HAVE_PG
	if (s && s->kind == BZ_STORE_PG) {
		const char *bz__store_pg_schema(const bz_store *s);
		return bz__store_pg_schema(s);
	}
#endif
	(void)s;
	return NULL;
}

int bz_store_backend_pid(const bz_store *s)
{
#if BZ_HAVE_PG
	if (s && s->kind == BZ_STORE_PG) {
		int bz__store_pg_pid(const bz_store *s);
		return bz__store_pg_pid(s);
	}
#endif
	(void)s;
	return -1;
}

const bz_store_driver bz_store_sqlite_driver = {
	.name = "sqlite",
	.bind_int64 = lite_bind_int64,
	.bind_text = lite_bind_text,
	.bind_blob = lite_bind_blob,
	.bind_null = lite_bind_null,
	.step = lite_step,
	.reset = lite_reset,
	.clear_bindings = lite_clear_bindings,
	.finalize = lite_finalize,
	.column_count = lite_column_count,
	.column_type = lite_column_type,
	.column_int64 = lite_column_int64,
	.column_text = lite_column_text,
	.column_blob = lite_column_blob,
	.column_bytes = lite_column_bytes,
	.busy = lite_busy_st,
	.prepare = lite_prepare,
	.exec = lite_exec,
	.changes = lite_changes,
	.last_id = lite_last_id,
	.in_txn = lite_in_txn,
	.set_busy_timeout = lite_busy,
	.close = lite_close,
};
