/*
 * store.c: the storage interface's common part (store.h): opening by
 * target, the statement cache, status mapping, transactions by name and
 * the retry rule. The drivers are store_sqlite.c and store_pg.c.
 */
#include "store.h"
#include "alloc.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

bool bz_store_is_pg_target(const char *target)
{
	return target && (strncmp(target, "postgresql://", 13) == 0 || strncmp(target, "postgres://", 11) == 0);
}

/* defined by the drivers */
int bz__store_sqlite_open(bz_store *s, const char *path, unsigned flags);
#if BZ_HAVE_PG
int bz__store_pg_open(bz_store *s, const char *uri, unsigned flags);
int bz__store_pg_exec_native(bz_store *s, const char *sql);
#endif

int bz_store_open(bz_store **out, const char *target, unsigned flags, char *errbuf, size_t errlen)
{
	if (errbuf && errlen)
		errbuf[0] = '\0';
	if (!out)
		return BZ_EINVAL;
	*out = NULL;
	if (!target || !*target) {
		if (errbuf)
			snprintf(errbuf, errlen, "no ledger path or URI");
		return BZ_EINVAL;
	}
	bz_store *s = bz__calloc(1, sizeof *s);
	if (!s)
		return BZ_ENOMEM;
	s->busy_ms = 5000;
	int code;
	if (bz_store_is_pg_target(target)) {
#if BZ_HAVE_PG
		s->kind = BZ_STORE_PG;
		s->drv = &bz_store_pg_driver;
		code = bz__store_pg_open(s, target, flags);
#else
		snprintf(s->errmsg, sizeof s->errmsg,
			 "a PostgreSQL ledger, but this libbianzhi was built without PostgreSQL (meson -Dpostgresql)");
		code = BZ_EINVAL;
#endif
	} else {
		s->kind = BZ_STORE_SQLITE;
		s->drv = &bz_store_sqlite_driver;
		code = bz__store_sqlite_open(s, target, flags);
	}
	if (code != BZ_OK) {
		if (errbuf)
			snprintf(errbuf, errlen, "%s", s->errmsg);
		bz_store_close(s);
		return code;
	}
	*out = s;
	return BZ_OK;
}

int bz_store_adopt_sqlite(bz_store **out, sqlite3 *db)
{
	*out = NULL;
	bz_store *s = bz__calloc(1, sizeof *s);
	if (!s)
		return BZ_ENOMEM;
	s->kind = BZ_STORE_SQLITE;
	s->drv = &bz_store_sqlite_driver;
	s->lite = db;
	s->busy_ms = 5000;
	*out = s;
	return BZ_OK;
}

int bz_store_close(bz_store *s)
{
	if (!s)
		return BZ_OK;
	for (int i = 0; i < s->ncache; i++)
		bz_st_finalize(s->cache[i].st);
	s->ncache = 0;
	if (s->drv)
		s->drv->close(s);
	bz__free(s);
	return BZ_OK;
}

/* the store's own message (a misuse, the retry's verdict) */
static void own(bz_store *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void own(bz_store *s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(s->errmsg, sizeof s->errmsg, fmt, ap);
	va_end(ap);
	s->own_msg = true;
}

const char *bz_store_errmsg(bz_store *s)
{
	if (!s)
		return "no store";
	if (s->kind == BZ_STORE_SQLITE && !s->own_msg && s->lite)
		snprintf(s->errmsg, sizeof s->errmsg, "sqlite: %s", sqlite3_errmsg(s->lite));
	return s->errmsg;
}

int bz_store_errcode(bz_store *s)
{
	if (s->kind == BZ_STORE_SQLITE)
		return s->lite ? sqlite3_errcode(s->lite) : SQLITE_MISUSE;
	return s->errcode;
}

int bz_store_status(bz_store *s, int rc)
{
	(void)s;
	switch (rc & 0xff) {
	case SQLITE_OK: case SQLITE_DONE: case SQLITE_ROW: return BZ_OK;
	case SQLITE_NOMEM: return BZ_ENOMEM;
	case SQLITE_BUSY: case SQLITE_LOCKED: return BZ_EBUSY;
	case SQLITE_IOERR: case SQLITE_CANTOPEN: case SQLITE_FULL:
	case SQLITE_READONLY: case SQLITE_PERM: return BZ_EIO;
	case SQLITE_NOTADB: return BZ_ENOTLEDGER;
	case SQLITE_CORRUPT: return BZ_ECORRUPT;
	case SQLITE_CONSTRAINT: return BZ_EEXISTS;
	case SQLITE_MISUSE: return BZ_EMISUSE;
	default: return BZ_ERROR;
	}
}

int bz_store_prepare(bz_store *s, bz_st **out, const char *sql)
{
	s->own_msg = false;
	*out = NULL;
	return s->drv->prepare(s, out, sql);
}

bz_st *bz_store_stmt(bz_store *s, const char *sql)
{
	s->own_msg = false;
	for (int i = 0; i < s->ncache; i++) {
		if (s->cache[i].sql == sql) {
			bz_st *st = s->cache[i].st;
			bz_st_reset(st);
			bz_st_clear_bindings(st);
			return st;
		}
	}
	if (s->ncache == BZ_STORE_CACHE) {
		own(s, "statement cache exhausted (%d statements)", BZ_STORE_CACHE);
		return NULL;
	}
	bz_st *st = NULL;
	if (s->drv->prepare(s, &st, sql) != SQLITE_OK)
		return NULL;
	s->cache[s->ncache].sql = sql;
	s->cache[s->ncache].st = st;
	s->ncache++;
	return st;
}

int bz_store_exec(bz_store *s, const char *sql)
{
	s->own_msg = false;
	return s->drv->exec(s, sql);
}

int bz_store_exec_native(bz_store *s, const char *sql)
{
	s->own_msg = false;
#if BZ_HAVE_PG
	if (s->kind == BZ_STORE_PG)
		return bz__store_pg_exec_native(s, sql);
#endif
	return s->drv->exec(s, sql);
}

int bz_store_exec_quiet(bz_store *s, const char *sql)
{
	if (s->kind == BZ_STORE_SQLITE || !bz_store_in_txn(s))
		return bz_store_exec(s, sql);
	int rc = s->drv->exec(s, "SAVEPOINT bz_quiet");
	if (rc != SQLITE_OK)
		return rc;
	rc = bz_store_exec(s, sql);
	if (rc != SQLITE_OK)
		s->drv->exec(s, "ROLLBACK TO bz_quiet");
	s->drv->exec(s, "RELEASE bz_quiet");
	return rc;
}

int64_t bz_store_changes(bz_store *s)
{
	return s->drv->changes(s);
}

int64_t bz_store_last_id(bz_store *s)
{
	return s->drv->last_id(s);
}

bool bz_store_in_txn(bz_store *s)
{
	return s->drv->in_txn(s);
}

int bz_store_set_busy_timeout(bz_store *s, int ms)
{
	s->own_msg = false;
	if (ms < 0 || ms > BZ_BUSY_TIMEOUT_MAX) {
		own(s, "a busy timeout is 0 to %d milliseconds, not %d", BZ_BUSY_TIMEOUT_MAX, ms);
		return SQLITE_MISUSE;
	}
	int rc = s->drv->set_busy_timeout(s, ms);
	if (rc == SQLITE_OK)
		s->busy_ms = ms;
	return rc;
}

/* the transaction statements: SQLite's text, which the PostgreSQL driver translates */
int bz_store_begin(bz_store *s)
{
	return s->drv->exec(s, "BEGIN IMMEDIATE");
}

int bz_store_begin_read(bz_store *s)
{
	return s->drv->exec(s, "BEGIN DEFERRED");
}

int bz_store_commit(bz_store *s)
{
	return s->drv->exec(s, "COMMIT");
}

int bz_store_rollback(bz_store *s)
{
	return s->drv->exec(s, "ROLLBACK");
}

int bz_st_bind_column_typed(bz_st *dst, int i, bz_st *src, int j)
{
	switch (bz_st_column_type(src, j)) {
	case BZ_ST_NULL:
		return bz_st_bind_null(dst, i);
	case BZ_ST_INTEGER:
		return bz_st_bind_int64(dst, i, bz_st_column_int64(src, j));
	case BZ_ST_BLOB:
		return bz_st_bind_blob(dst, i, bz_st_column_blob(src, j), bz_st_column_bytes(src, j));
	default: { /* text, and a float as its text (the driver binds text) */
		const unsigned char *t = bz_st_column_text(src, j);
		return t ? bz_st_bind_text(dst, i, (const char *)t, bz_st_column_bytes(src, j)) : bz_st_bind_null(dst, i);
	}
	}
}

#if BZ_HAVE_PG
int bz__store_pg_fk_check(bz_store *s, int (*fn)(void *, const char *, const char *, const char *), void *ctx);
#endif

int bz_store_defer_fks(bz_store *s)
{
	if (s->kind == BZ_STORE_SQLITE)
		return sqlite3_exec(s->lite, "PRAGMA defer_foreign_keys=ON", NULL, NULL, NULL);
	return bz_store_exec_native(s, "SET CONSTRAINTS ALL DEFERRED");
}

int bz_store_fk_check(bz_store *s, int (*fn)(void *ctx, const char *table, const char *row, const char *parent), void *ctx)
{
#if BZ_HAVE_PG
	if (s->kind != BZ_STORE_SQLITE)
		return bz__store_pg_fk_check(s, fn, ctx);
#endif
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(s->lite, "PRAGMA foreign_key_check", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		char row[32];
		snprintf(row, sizeof row, "row %lld", (long long)sqlite3_column_int64(st, 1));
		int r = fn(ctx, (const char *)sqlite3_column_text(st, 0), row, (const char *)sqlite3_column_text(st, 2));
		if (r) {
			rc = r < 0 ? SQLITE_NOMEM : SQLITE_DONE;
			break;
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static bool name_ok(const char *name)
{
	if (!name || !*name || strlen(name) > 40)
		return false;
	for (const char *p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || *p == '_'))
			return false;
	return true;
}

static int named(bz_store *s, const char *verb, const char *name)
{
	s->own_msg = false;
	if (!name_ok(name)) {
		own(s, "a savepoint's name is 1 to 40 of [a-z_]");
		return SQLITE_MISUSE;
	}
	char sql[80];
	snprintf(sql, sizeof sql, "%s %s", verb, name);
	return s->drv->exec(s, sql);
}

int bz_store_savepoint(bz_store *s, const char *name)
{
	return named(s, "SAVEPOINT", name);
}

int bz_store_release(bz_store *s, const char *name)
{
	return named(s, "RELEASE", name);
}

int bz_store_rollback_to(bz_store *s, const char *name)
{
	return named(s, "ROLLBACK TO", name);
}

static void pause_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

int bz_store_retry(bz_store *s, int (*fn)(bz_store *s, void *ctx), void *ctx, int *tries)
{
	bool in_txn = bz_store_in_txn(s);
	int rc = SQLITE_OK, n = 0, wait = 10;
	for (;;) {
		if (in_txn && (rc = bz_store_savepoint(s, "bz_retry")) != SQLITE_OK)
			break;
		n++;
		rc = fn(s, ctx);
		if ((rc & 0xff) != SQLITE_BUSY) {
			if (in_txn) {
				if (rc == SQLITE_OK || rc == SQLITE_DONE || rc == SQLITE_ROW) {
					int r2 = bz_store_release(s, "bz_retry");
					if (r2 != SQLITE_OK)
						rc = r2;
				} else {
					char keep[sizeof s->errmsg];
					snprintf(keep, sizeof keep, "%s", bz_store_errmsg(s));
					bz_store_rollback_to(s, "bz_retry");
					bz_store_release(s, "bz_retry");
					own(s, "%s", keep);
				}
			}
			break;
		}
		char why[sizeof s->errmsg];
		snprintf(why, sizeof why, "%s", bz_store_errmsg(s));
		if (in_txn) {
			bz_store_rollback_to(s, "bz_retry");
			bz_store_release(s, "bz_retry");
		}
		if (n > BZ_STORE_RETRIES) {
			own(s, "serialization failure: retried %d times: %.400s", BZ_STORE_RETRIES, why);
			break;
		}
		pause_ms(wait);
		wait = wait < 80 ? wait * 2 : 80;
	}
	if (tries)
		*tries = n;
	return rc;
}
