/*
 * ledger.c: the ledger handle — connection, last error, statement cache,
 * the children that must not outlive it, and the generic iterator.
 */
#include "catalogue.h"
#if BZ_HAVE_PG
#include "schema_pg.h"
#endif

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

/* ---- errors ---------------------------------------------------------- */

/*
 * The cause of the last failed bz_ledger_open() on this thread, for
 * bz_ledger_errmsg(NULL): a failed open has no handle to keep it on.
 */
static _Thread_local char open_err[BZ_ERRMSG_MAX];

int bz_fail(bz_ledger *l, int code, const char *fmt, ...)
{
	if (!l)
		return code;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(l->errmsg, sizeof l->errmsg, fmt, ap);
	va_end(ap);
	return code;
}

int bz_ok(bz_ledger *l)
{
	if (l)
		snprintf(l->errmsg, sizeof l->errmsg, "not an error");
	return BZ_OK;
}

static int status_of_sqlite(int rc)
{
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

/* the handle's busy timeout in milliseconds (SQLite keeps it: PRAGMA busy_timeout) */
static int busy_ms(sqlite3 *db)
{
	bz_st *st = NULL;
	int ms = -1;
	if (bz_st_prepare_sqlite(db, "PRAGMA busy_timeout", &st, 0) == SQLITE_OK && bz_st_step(st) == SQLITE_ROW)
		ms = bz_st_column_int(st, 0);
	bz_st_finalize(st);
	return ms;
}

int bz_sqlfail(bz_ledger *l, int rc)
{
	int code = status_of_sqlite(rc);
	if (code == BZ_OK)
		return BZ_OK;
	/* a generic SQLITE_ERROR whose cause was memory (SQLite says so in the
	 * connection's code: a statement reset after a failed step…) */
	if (code == BZ_ERROR && l && l->db && sqlite3_errcode(l->db) == SQLITE_NOMEM)
		code = BZ_ENOMEM;
	if (l && !l->db && l->store) { /* PostgreSQL: the driver's message, SQLSTATE and all */
		char why[BZ_ERRMSG_MAX / 2];
		snprintf(why, sizeof why, "%s", bz_store_errmsg(l->store));
		if ((rc & 0xff) == SQLITE_BUSY)
			return bz_fail(l, code, "rows this change needs are locked by another connection and stayed "
				       "locked for the whole busy timeout (%d ms, bz_ledger_set_busy_timeout()), or a "
				       "serialization failure outlived its retries: %s", l->store->busy_ms, why);
		return bz_fail(l, code, "%s", why);
	}
	if (!l || !l->db)
		return bz_fail(l, code, "sqlite: %s", sqlite3_errstr(rc));
	/* what SQLite says, before anything else on the connection changes it */
	char why[BZ_ERRMSG_MAX / 2];
	snprintf(why, sizeof why, "%s", sqlite3_errmsg(l->db));
	if (code == BZ_ENOMEM) /* the connection's message may be another's (a bind that could not copy) */
		return bz_fail(l, code, "sqlite: %s", sqlite3_errstr(SQLITE_NOMEM));
	if ((rc & 0xff) == SQLITE_BUSY) {
		int ms = busy_ms(l->db);
		return bz_fail(l, code, "the ledger is locked by another connection and stayed locked for the "
			       "whole busy timeout (%d ms, bz_ledger_set_busy_timeout()): sqlite: %s", ms, why);
	}
	if (code == BZ_EIO) {
		/* which file, and the system's reason (ENOSPC: the disk is full) */
		const char *file = sqlite3_db_filename(l->db, "main");
		int e = sqlite3_system_errno(l->db);
		/* SQLite's unix VFS says SQLITE_FULL for a write that ENOSPC cut
		 * short, and forgets the errno: the reason is that one */
		if (!e && (rc & 0xff) == SQLITE_FULL)
			e = ENOSPC;
		return bz_fail(l, code, "%.200s: sqlite: %.200s%s%s%s", file && *file ? file : "(in memory)", why,
			       e ? " (" : "", e ? strerror(e) : "", e ? ")" : "");
	}
	return bz_fail(l, code, "sqlite: %s", why);
}

BZ_EXTERN const char *bz_ledger_errmsg(const bz_ledger *ledger)
{
	if (!ledger)
		return open_err[0] ? open_err : "no ledger handle (NULL)";
	return ledger->errmsg;
}

/* ---- statements ------------------------------------------------------ */

/* ---- statements that run when memory is short ------------------------- */

/* bz_kept_exec/bz_undo: indexes into l->kept, SQL per index */
static const char *const kept_sql[] = {
	"COMMIT", "ROLLBACK",
	"ROLLBACK TO bz_change", "RELEASE bz_change",
	"ROLLBACK TO bz_tl_sync", "RELEASE bz_tl_sync",
	"ROLLBACK TO bz_reconcile", "RELEASE bz_reconcile",
};
_Static_assert(sizeof kept_sql / sizeof kept_sql[0] == sizeof ((bz_ledger *)0)->kept / sizeof(bz_st *),
	       "one statement per slot");

static int kept_prepare(bz_ledger *l)
{
	for (size_t i = 0; i < sizeof kept_sql / sizeof kept_sql[0]; i++) {
		int rc = bz_store_prepare(l->store, &l->kept[i], kept_sql[i]);
		if (rc != SQLITE_OK)
			return bz_sqlfail(l, rc);
	}
	return BZ_OK;
}

/* the connection and every statement of it: closed for good (no zombie left by close_v2) */
static int release_db(bz_ledger *l)
{
	for (int i = 0; i < l->ncache; i++)
		bz_st_finalize(l->cache[i].stmt);
	l->ncache = 0;
	for (size_t i = 0; i < sizeof l->kept / sizeof l->kept[0]; i++) {
		bz_st_finalize(l->kept[i]);
		l->kept[i] = NULL;
	}
	int rc = SQLITE_OK;
	if (l->store)
		bz_store_close(l->store); /* closes l->db */
	else
		rc = sqlite3_close_v2(l->db);
	l->store = NULL;
	l->db = NULL;
	return rc;
}

/* the connection l->db under the storage interface (l->store owns it from now on) */
static int adopt(bz_ledger *l)
{
	return bz_store_adopt_sqlite(&l->store, l->db) == BZ_OK ? BZ_OK : bz_fail(l, BZ_ENOMEM, "out of memory");
}

/* one kept statement (slot i); the SQL text through sqlite3_exec when it was not prepared */
static int kept_run(bz_ledger *l, size_t i)
{
	bz_st *st = l->kept[i];
	int rc;
	if (st) {
		rc = bz_st_step(st);
		bz_st_reset(st);
	} else
		rc = bz_store_exec(l->store, kept_sql[i]);
	return rc == SQLITE_DONE || rc == SQLITE_OK ? BZ_OK : bz_sqlfail(l, rc);
}

/* which: BZ_KEPT_* to the first slot */
static size_t kept_slot(int which)
{
	return which <= BZ_KEPT_ROLLBACK ? (size_t)which : 2 + 2 * (size_t)(which - BZ_KEPT_CHANGE);
}

int bz_kept_exec(bz_ledger *l, int which)
{
	return kept_run(l, kept_slot(which));
}

void bz_undo(bz_ledger *l, int which)
{
	char keep[BZ_ERRMSG_MAX];
	memcpy(keep, l->errmsg, sizeof keep);
	size_t i = kept_slot(which);
	kept_run(l, i);
	if (which > BZ_KEPT_ROLLBACK)
		kept_run(l, i + 1);
	memcpy(l->errmsg, keep, sizeof keep);
}

void bz_end_read(bz_ledger *l)
{
	char keep[BZ_ERRMSG_MAX];
	memcpy(keep, l->errmsg, sizeof keep);
	if (kept_run(l, 0) != BZ_OK)
		kept_run(l, 1);
	memcpy(l->errmsg, keep, sizeof keep);
}

/*
 * A ROLLBACK can itself fail for want of memory (SQLite re-prepares a
 * statement its failure expired): the transaction then stays open in
 * SQLite with no bz_txn behind it, holding the write lock. Every public
 * call (the outermost, guard.c) takes it back first — no call of the
 * library leaves an SQL transaction open when it returns otherwise.
 */
void bz_heal(bz_ledger *l)
{
	if (l->store && !l->txn && bz_store_in_txn(l->store))
		bz_undo(l, BZ_KEPT_ROLLBACK);
}

/* the statement whose text a bz_bind_text() could not copy (thread-local:
 * the handle is locked from the bind to the step) */
static _Thread_local bz_st *bind_lost;

int bz_step(bz_st *st)
{
	if (st && st == bind_lost) {
		bind_lost = NULL;
		return SQLITE_NOMEM;
	}
	return bz_st_step(st);
}

/* why the calling thread's last bz_stmt() failed (the handle is locked
 * meanwhile: the caller reads it right after) */
static _Thread_local int stmt_code = BZ_ERROR;

int bz_stmt_err(void)
{
	return stmt_code;
}

int bz_stmt_fail(bz_ledger *l, int rc)
{
	return stmt_code = bz_sqlfail(l, rc);
}

bz_st *bz_stmt(bz_ledger *l, const char *sql)
{
	for (int i = 0; i < l->ncache; i++) {
		if (l->cache[i].sql == sql) {
			bz_st *st = l->cache[i].stmt;
			if (st == bind_lost)
				bind_lost = NULL;
			bz_st_reset(st);
			bz_st_clear_bindings(st);
			return st;
		}
	}
	bz_st *st = NULL;
	int rc = bz_store_prepare(l->store, &st, sql);
	if (rc != SQLITE_OK) {
		stmt_code = bz_sqlfail(l, rc);
		return NULL;
	}
	if (l->ncache < BZ_STMT_CACHE) {
		l->cache[l->ncache].sql = sql;
		l->cache[l->ncache].stmt = st;
		l->ncache++;
	} else {
		/* cache full (more statements than the library has: a programming
		 * error) — stay correct: replace one that is not running, never one
		 * a caller is stepping through (the rules judge while they walk) */
		for (int k = 0; k < BZ_STMT_CACHE; k++) {
			int i = (l->evict + k) % BZ_STMT_CACHE;
			if (!bz_st_busy(l->cache[i].stmt)) {
				bz_st_finalize(l->cache[i].stmt);
				l->cache[i].sql = sql;
				l->cache[i].stmt = st;
				l->evict = (i + 1) % BZ_STMT_CACHE;
				return st;
			}
		}
		bz_st_finalize(st); /* every one running: cannot happen with the library's depth of calls */
		stmt_code = bz_fail(l, BZ_ERROR, "statement cache exhausted");
		return NULL;
	}
	return st;
}

int bz_step_done(bz_ledger *l, bz_st *st)
{
	int rc = bz_step(st);
	int code = (rc == SQLITE_DONE || rc == SQLITE_ROW) ? BZ_OK : bz_sqlfail(l, rc);
	bz_st_reset(st);
	return code;
}

int bz_step_exists(bz_ledger *l, bz_st *st, bool *yes)
{
	int rc = bz_step(st);
	bz_st_reset(st);
	*yes = rc == SQLITE_ROW;
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? BZ_OK : bz_sqlfail(l, rc);
}

int bz_exec(bz_ledger *l, const char *sql)
{
	int rc = bz_store_exec(l->store, sql);
	return rc == SQLITE_OK ? BZ_OK : bz_sqlfail(l, rc);
}

int bz_exec_list(bz_ledger *l, const char *const *sql, size_t n, bz_exec_bind_fn bind, const void *arg,
		 int64_t *changes)
{
	for (size_t i = 0; i < n; i++) {
		bz_st *st = NULL;
		int rc = bz_store_prepare(l->store, &st, sql[i]);
		if (rc != SQLITE_OK)
			return bz_sqlfail(l, rc);
		if (bind)
			bind(st, bz_st_param_count(st), arg);
		rc = bz_step(st);
		bz_st_finalize(st);
		if (rc != SQLITE_DONE)
			return bz_sqlfail(l, rc);
		if (changes)
			*changes += bz_store_changes(l->store);
	}
	return BZ_OK;
}

int bz_bind_column(bz_st *st, int i, bz_st *src, int j)
{
	int rc = bz_st_bind_column(st, i, src, j);
	if (rc == SQLITE_NOMEM)
		bind_lost = st;
	return rc;
}

int bz_sqlfail_last(bz_ledger *l)
{
	int rc = bz_store_errcode(l->store);
	if (rc == SQLITE_OK || rc == SQLITE_ROW || rc == SQLITE_DONE) /* bz_step() refused a statement whose bind was lost */
		return bz_fail(l, BZ_ENOMEM, "sqlite: %s", sqlite3_errstr(SQLITE_NOMEM));
	return bz_sqlfail(l, rc);
}

int bz_bind_textn(bz_st *st, int i, const char *s, int n)
{
	int rc = s ? bz_st_bind_text(st, i, s, n) : bz_st_bind_null(st, i);
	if (rc == SQLITE_NOMEM)
		bind_lost = st;
	return rc;
}

int bz_bind_text(bz_st *st, int i, const char *s)
{
	int rc = s ? bz_st_bind_text(st, i, s, -1) : bz_st_bind_null(st, i);
	if (rc == SQLITE_NOMEM) /* the next bz_step() of st says so: callers rarely look at a bind's status */
		bind_lost = st;
	return rc;
}

char *bz_col_strdup(bz_st *st, int i, bool *ok)
{
	const unsigned char *s = bz_st_column_text(st, i);
	if (!s) {
		sqlite3_stmt *lite = bz_st_sqlite(st);
		/* a NULL that SQLite could not convert for want of memory (PostgreSQL's
		 * text is there already: a NULL is a NULL) */
		if (lite && sqlite3_errcode(sqlite3_db_handle(lite)) == SQLITE_NOMEM)
			*ok = false;
		return NULL;
	}
	char *p = bz_strdup((const char *)s);
	if (!p)
		*ok = false;
	return p;
}

/* ---- children -------------------------------------------------------- */

void bz_child_link(bz_ledger *l, bz_child *c, void (*detach)(bz_child *))
{
	c->detach = detach;
	c->next = l->children.next;
	c->prev = &l->children;
	l->children.next->prev = c;
	l->children.next = c;
}

void bz_child_unlink(bz_child *c)
{
	if (!c->next)
		return;
	c->prev->next = c->next;
	c->next->prev = c->prev;
	c->next = c->prev = NULL;
}

/* ---- open and close -------------------------------------------------- */

/*
 * A PostgreSQL URI as it may be shown in a message: its password (the
 * userinfo's ":secret@" and a "password=" parameter) replaced by "***".
 */
static void redact_uri(char *out, size_t outlen, const char *uri)
{
	size_t n = 0;
#define PUT(c) \
	do { \
		if (n + 1 < outlen) \
			out[n++] = (c); \
	} while (0)
	const char *p = uri, *scheme = strstr(uri, "://");
	if (scheme) {
		const char *auth = scheme + 3, *end = auth + strcspn(auth, "/?#"), *at = NULL;
		for (const char *q = auth; q < end; q++)
			if (*q == '@')
				at = q;
		const char *colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
		for (; p < (colon ? colon : auth); p++)
			PUT(*p);
		if (colon) {
			for (const char *r = ":***"; *r; r++)
				PUT(*r);
			p = at;
		}
	}
	while (*p) {
		if (strncmp(p, "password=", 9) == 0 && p > uri && (p[-1] == '?' || p[-1] == '&')) {
			for (const char *r = "password=***"; *r; r++)
				PUT(*r);
			p += 9;
			p += strcspn(p, "&#");
			continue;
		}
		PUT(*p);
		p++;
	}
#undef PUT
	if (outlen)
		out[n] = '\0';
}

static int open_fail(const char *path, int code, const char *why)
{
	if (path && bz_store_is_pg_target(path) && bz_utf8_valid(path)) {
		char shown[300];
		redact_uri(shown, sizeof shown, path);
		snprintf(open_err, sizeof open_err, "%.240s: %.260s", shown, why);
		return code;
	}
	snprintf(open_err, sizeof open_err, "%.240s: %.260s", path && bz_utf8_valid(path) ? path : "(no path)", why);
	return code;
}

/* the OS's reason for the last failure of the connection, or "" */
static const char *os_cause(sqlite3 *db)
{
	int e = db ? sqlite3_system_errno(db) : 0;
	return e ? strerror(e) : "";
}

/*
 * A ledger is a regular file: anything else (a FIFO, which would block the
 * open for ever, a device, a directory) is refused before SQLite opens it.
 * A name that does not exist yet is fine: BZ_OPEN_CREATE makes it.
 */
static int check_file(const char *path)
{
	struct stat sb;
	if (strcmp(path, ":memory:") == 0 || stat(path, &sb) != 0)
		return BZ_OK;
	if (S_ISDIR(sb.st_mode))
		return open_fail(path, BZ_EIO, strerror(EISDIR));
	if (!S_ISREG(sb.st_mode))
		return open_fail(path, BZ_ENOTLEDGER, "not a ledger: not a regular file (a FIFO, device or socket)");
	return BZ_OK;
}

/*
 * Read-only, a ledger in WAL mode still needs its -shm file: on a read-only
 * mount (a CD, a snapshot, an archive) nobody can write that, and nobody can
 * change the ledger either, so it is opened as immutable — no locks, no -shm.
 */
static int open_immutable(sqlite3 **db, const char *path, int oflags)
{
	/* a URI escapes '?', '#' and '%' in the path */
	sqlite3_str *s = sqlite3_str_new(NULL);
	sqlite3_str_appendall(s, "file:");
	for (const char *p = path; *p; p++) {
		if (*p == '?' || *p == '#' || *p == '%')
			sqlite3_str_appendf(s, "%%%02X", (unsigned char)*p);
		else
			sqlite3_str_appendchar(s, 1, *p);
	}
	sqlite3_str_appendall(s, "?immutable=1");
	char *uri = sqlite3_str_finish(s);
	if (!uri)
		return SQLITE_NOMEM;
	int rc = sqlite3_open_v2(uri, db, oflags | SQLITE_OPEN_URI, NULL);
	sqlite3_free(uri);
	return rc;
}

/* whether the file's file system is mounted read-only */
static bool on_readonly_fs(const char *path)
{
	struct statvfs vb;
	return statvfs(path, &vb) == 0 && (vb.f_flag & ST_RDONLY);
}

/*
 * A ledger in a schema of a PostgreSQL server (issue 13): the store
 * connects (and, with BZ_OPEN_CREATE, makes the schema), schema_pg.c finds,
 * creates or refuses the ledger in it. BZ_OPEN_SYNC_NORMAL is the server's
 * synchronous_commit = off: as SQLite's NORMAL, a crash of the server may
 * lose the last commits, never corrupt the ledger.
 */
static int open_pg(bz_ledger *l, const char *uri, unsigned flags)
{
	char why[BZ_ERRMSG_MAX / 2];
	int code = bz_store_open(&l->store, uri, flags & (BZ_OPEN_CREATE | BZ_OPEN_READONLY), why, sizeof why);
#if BZ_HAVE_PG
	if (code == BZ_OK)
		code = bz_schema_pg_open(l->store, flags, why, sizeof why);
#endif
	if (code != BZ_OK)
		return bz_fail(l, code, "%s", why);
	code = kept_prepare(l);
	if (code == BZ_OK && (flags & BZ_OPEN_SYNC_NORMAL))
		code = bz_exec(l, "SET synchronous_commit = off");
	return code;
}

BZ_EXTERN int bz_ledger_open(bz_ledger **out, const char *path, unsigned flags)
{
	open_err[0] = '\0';
	bz__alloc_init(); /* before SQLite starts: its allocator (memory.h) */
	if (!out)
		return open_fail(path, BZ_EINVAL, "no place for the handle (out is NULL)");
	*out = NULL;
	if (!path || !*path || !bz_utf8_valid(path))
		return open_fail(path, BZ_EINVAL, "a ledger's path is non-empty UTF-8");
	if (flags & ~(BZ_OPEN_CREATE | BZ_OPEN_READONLY | BZ_OPEN_SYNC_NORMAL))
		return open_fail(path, BZ_EINVAL, "unknown open flag");
	if ((flags & (BZ_OPEN_CREATE | BZ_OPEN_SYNC_NORMAL)) && (flags & BZ_OPEN_READONLY))
		return open_fail(path, BZ_EINVAL, "a read-only ledger creates and commits nothing: "
				 "BZ_OPEN_READONLY goes with neither BZ_OPEN_CREATE nor BZ_OPEN_SYNC_NORMAL");
	int code = check_file(path);
	if (code != BZ_OK)
		return code;

	bz_ledger *l = bz__calloc(1, sizeof *l);
	if (!l)
		return open_fail(path, BZ_ENOMEM, "out of memory");
	pthread_mutexattr_t ma;
	if (pthread_mutexattr_init(&ma) != 0 || pthread_mutexattr_settype(&ma, PTHREAD_MUTEX_RECURSIVE) != 0 ||
	    pthread_mutex_init(&l->guard, &ma) != 0) {
		bz__free(l);
		return open_fail(path, BZ_ENOMEM, "cannot make the handle's lock");
	}
	pthread_mutexattr_destroy(&ma);
	l->children.next = l->children.prev = &l->children;
	l->readonly = (flags & BZ_OPEN_READONLY) != 0;
	bz_ok(l);
	if (bz_store_is_pg_target(path)) {
		if ((code = open_pg(l, path, flags)) != BZ_OK)
			goto fail;
		*out = l;
		return BZ_OK;
	}

	int oflags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
	if (l->readonly)
		oflags |= SQLITE_OPEN_READONLY;
	else
		oflags |= SQLITE_OPEN_READWRITE | ((flags & BZ_OPEN_CREATE) ? SQLITE_OPEN_CREATE : 0);
	int rc = sqlite3_open_v2(path, &l->db, oflags, NULL);
	if (rc != SQLITE_OK) {
		code = bz_sqlfail(l, rc);
		if (code == BZ_ERROR)
			code = BZ_EIO;
		goto fail;
	}
	sqlite3_busy_timeout(l->db, 5000);
	sqlite3_extended_result_codes(l->db, 1);
	code = adopt(l);
	if (code == BZ_OK)
		code = kept_prepare(l);
	if (code == BZ_OK)
		code = bz_schema_prepare(l);
	if (code != BZ_OK && code != BZ_ENOMEM && l->readonly && strcmp(path, ":memory:") != 0 && on_readonly_fs(path)) {
		/* a WAL ledger on a read-only mount: its -shm cannot be made */
		release_db(l);
		bz_ok(l);
		rc = open_immutable(&l->db, path, oflags);
		if (rc != SQLITE_OK) {
			code = bz_sqlfail(l, rc);
			goto fail;
		}
		sqlite3_extended_result_codes(l->db, 1);
		code = adopt(l);
		if (code == BZ_OK)
			code = kept_prepare(l);
		if (code == BZ_OK)
			code = bz_schema_prepare(l);
	}
	if (code == BZ_OK && (flags & BZ_OPEN_SYNC_NORMAL))
		code = bz_exec(l, "PRAGMA synchronous=NORMAL");
	if (code != BZ_OK)
		goto fail;
	*out = l;
	return BZ_OK;
fail:;
	/* the cause, with the path, outlives the handle: bz_ledger_errmsg(NULL) */
	const char *cause = os_cause(l->db);
	/* bz_sqlfail() may have named the file and the system's reason already */
	const char *msg = l->errmsg, *file = l->db ? sqlite3_db_filename(l->db, "main") : NULL;
	size_t flen = file ? strlen(file) : 0;
	if (flen && strncmp(msg, file, flen) == 0 && msg[flen] == ':' && msg[flen + 1] == ' ')
		msg += flen + 2;
	char why[BZ_ERRMSG_MAX];
	if (code == BZ_EIO && !l->readonly && strcmp(path, ":memory:") != 0 && on_readonly_fs(path))
		snprintf(why, sizeof why, "%.300s (%s: it can be opened with BZ_OPEN_READONLY)", msg, strerror(EROFS));
	else if (*cause && (code == BZ_EIO || code == BZ_EBUSY) && !strstr(msg, cause))
		snprintf(why, sizeof why, "%.400s (%s)", msg, cause);
	else
		snprintf(why, sizeof why, "%s", msg);
	open_fail(path, code, why);
	release_db(l);
	pthread_mutex_destroy(&l->guard);
	bz__free(l);
	return code;
}

BZ_EXTERN int bz_ledger_close(bz_ledger *ledger)
{
	if (!ledger)
		return BZ_OK;
	/* a call on another thread finishes first; closing a handle that other
	 * threads go on using afterwards is, as with any freed object, theirs to avoid */
	pthread_mutex_lock(&ledger->guard);
	/* detach everything still alive; each detach unlinks itself */
	while (ledger->children.next != &ledger->children) {
		bz_child *c = ledger->children.next;
		bz_child_unlink(c);
		c->detach(c);
	}
	int rc = release_db(ledger);
	pthread_mutex_unlock(&ledger->guard);
	pthread_mutex_destroy(&ledger->guard);
	bz__free(ledger);
	return rc == SQLITE_OK ? BZ_OK : BZ_EIO;
}

BZ_EXTERN int bz_ledger_set_busy_timeout(bz_ledger *ledger, int milliseconds)
{
	if (!ledger)
		return BZ_EINVAL;
	if (milliseconds < 0 || milliseconds > BZ_BUSY_TIMEOUT_MAX)
		return bz_fail(ledger, BZ_EINVAL, "a busy timeout is 0 to %d milliseconds, not %d", BZ_BUSY_TIMEOUT_MAX,
			       milliseconds);
	int rc = bz_store_set_busy_timeout(ledger->store, milliseconds);
	return rc == SQLITE_OK ? bz_ok(ledger) : bz_sqlfail(ledger, rc);
}

BZ_EXTERN int bz_ledger_schema_version(int *out, bz_ledger *ledger)
{
	if (!out || !ledger)
		return BZ_EINVAL;
#if BZ_HAVE_PG
	if (!ledger->db) {
		char why[BZ_ERRMSG_MAX / 2];
		int code = bz_schema_pg_check(ledger->store, out, why, sizeof why);
		return code == BZ_OK ? bz_ok(ledger) : bz_fail(ledger, code, "%s", why);
	}
#endif
	bz_st *st = NULL;
	int rc = bz_st_prepare_sqlite(ledger->db, "PRAGMA user_version", &st, 0);
	if (rc != SQLITE_OK)
		return bz_sqlfail(ledger, rc);
	rc = bz_st_step(st);
	*out = rc == SQLITE_ROW ? bz_st_column_int(st, 0) : 0;
	bz_st_finalize(st);
	return rc == SQLITE_ROW ? bz_ok(ledger) : bz_sqlfail(ledger, rc);
}

BZ_EXTERN int bz_ledger_set_clock(bz_ledger *ledger, const char *date)
{
	if (!ledger)
		return BZ_EINVAL;
	if (!date) {
		ledger->clock[0] = '\0';
		return bz_ok(ledger);
	}
	if (!bz_date_ok(date))
		return bz_fail(ledger, BZ_EINVAL, "not a valid date: expected YYYY-MM-DD");
	memcpy(ledger->clock, date, BZ_DATE_LEN + 1);
	return bz_ok(ledger);
}

BZ_EXTERN int bz_ledger_today(char *buf, size_t buflen, bz_ledger *ledger)
{
	if (!buf || !ledger)
		return BZ_EINVAL;
	if (buflen < BZ_DATE_LEN + 1)
		return bz_fail(ledger, BZ_EINVAL, "bz_ledger_today: an argument is missing or not valid");
	bz_today(ledger, buf);
	return bz_ok(ledger);
}

/* ---- iterators ------------------------------------------------------- */

static void iter_detach(bz_child *c)
{
	bz_iter *it = (bz_iter *)c;
	bz_st_finalize(it->st);
	it->st = NULL;
	it->l = NULL;
}

int bz_iter_new(bz_iter **out, bz_ledger *l, const char *sql, bz_iter_make make)
{
	bz_iter *it = bz__calloc(1, sizeof *it);
	if (!it)
		return bz_fail(l, BZ_ENOMEM, "out of memory");
	int rc = bz_store_prepare(l->store, &it->st, sql);
	if (rc != SQLITE_OK) {
		bz__free(it);
		return bz_sqlfail(l, rc);
	}
	it->l = l;
	it->make = make;
	bz_child_link(l, &it->child, iter_detach);
	*out = it;
	return BZ_OK;
}

int bz_iter_next(void **out, bz_iter *it)
{
	if (!out || !it)
		return BZ_EINVAL;
	*out = NULL;
	if (!it->l)
		return BZ_EMISUSE; /* its ledger was closed */
	if (it->done)
		return BZ_ITEROVER;
	int rc = bz_st_step(it->st);
	if (rc == SQLITE_DONE) {
		it->done = true;
		bz_st_reset(it->st); /* release the read snapshot */
		return BZ_ITEROVER;
	}
	if (rc != SQLITE_ROW)
		return bz_sqlfail(it->l, rc);
	return it->make(out, it->st, it->l);
}

void bz_iter_free(bz_iter *it)
{
	if (!it)
		return;
	bz_child_unlink(&it->child);
	bz_st_finalize(it->st);
	bz__free(it);
}

BZ_EXTERN int bz_ledger_set_progress(bz_ledger *ledger, bz_progress_fn fn, void *ctx)
{
	if (!ledger)
		return BZ_EINVAL;
	ledger->progress = fn;
	ledger->progress_ctx = ctx;
	return bz_ok(ledger);
}

void bz_progress(bz_ledger *l, const char *what, int64_t done)
{
	if (l && l->progress)
		l->progress(l->progress_ctx, what, done);
}
