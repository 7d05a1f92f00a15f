/*
 * backup.c: online backup and restore of a whole ledger with SQLite's
 * backup API (seed §16: 离线存储…备份).
 *
 * A backup copies one read snapshot of the ledger into a temporary file
 * beside the destination, then links it into place: a failed backup leaves
 * nothing, and an existing file is never overwritten. A restore checks the
 * backup is a ledger this library can open, then copies it over the open
 * ledger in one write transaction.
 */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The status of an SQLite failure on a connection of ours (not the ledger's). */
static int status_of(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_NOMEM: return BZ_ENOMEM;
	case SQLITE_BUSY: case SQLITE_LOCKED: return BZ_EBUSY;
	case SQLITE_NOTADB: return BZ_ENOTLEDGER;
	case SQLITE_CORRUPT: return BZ_ECORRUPT;
	default: return BZ_EIO;
	}
}

/* Fail naming the file and the cause: the system's errno text when SQLite has one, else SQLite's. */
static int fail_db(bz_ledger *l, sqlite3 *db, int rc, const char *path)
{
	int err = db ? sqlite3_system_errno(db) : 0;
	const char *cause = err ? strerror(err) : db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
	return bz_fail(l, status_of(rc), "%s: %s", path, cause);
}

static void remove_temp(const char *tmp)
{
	static const char *const suffix[] = {"", "-journal", "-wal", "-shm"};
	size_t n = strlen(tmp);
	char *buf = bz__malloc(n + 16);
	if (!buf) {
		unlink(tmp);
		return;
	}
	for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
		snprintf(buf, n + 16, "%s%s", tmp, suffix[i]);
		unlink(buf);
	}
	bz__free(buf);
}

/* Make the new name durable: fsync the directory holding path (best effort). */
static void sync_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash ? bz__strndup(path, slash == path ? 1 : (size_t)(slash - path)) : bz__strdup(".");
	if (!dir)
		return;
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	bz__free(dir);
}

/* Copy the ledger's main database into the empty file tmp, self-contained (no WAL). */
static int copy_to(bz_ledger *l, const char *tmp, const char *path)
{
	sqlite3 *dst = NULL;
	int rc = sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE, NULL);
	if (rc != SQLITE_OK) {
		int code = fail_db(l, dst, rc, path);
		sqlite3_close(dst);
		return code;
	}
	int code = BZ_OK;
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", l->db, "main");
	if (!b) {
		code = fail_db(l, dst, sqlite3_errcode(dst), path);
		goto done;
	}
	/* -1: every page in one step, so one read snapshot of the source */
	rc = sqlite3_backup_step(b, -1);
	int frc = sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		code = fail_db(l, dst, rc == SQLITE_OK ? SQLITE_ERROR : rc, path);
		goto done;
	}
	if (frc != SQLITE_OK) {
		code = fail_db(l, dst, frc, path);
		goto done;
	}
	/* the page header says WAL if the ledger is: the copy is one file */
	rc = sqlite3_exec(dst, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		code = fail_db(l, dst, rc, path);
done:
	rc = sqlite3_close(dst);
	if (code == BZ_OK && rc != SQLITE_OK)
		code = bz_fail(l, BZ_EIO, "%s: cannot close the copy: %s", path, sqlite3_errstr(rc));
	return code;
}

/* Move the complete copy tmp to path, never over an existing file. */
static int put_in_place(bz_ledger *l, const char *tmp, const char *path)
{
	if (link(tmp, path) == 0) {
		unlink(tmp);
		return BZ_OK;
	}
	if (errno == EEXIST)
		return bz_fail(l, BZ_EEXISTS, "%s: the file exists; a backup never overwrites one", path);
	if (errno != EPERM && errno != ENOTSUP && errno != ENOSYS && errno != EMLINK)
		return bz_fail(l, BZ_EIO, "%s: %s", path, strerror(errno));
	/* a file system without hard links: check, then rename (a race with
	 * another writer of path is possible there, and only there) */
	struct stat sb;
	if (lstat(path, &sb) == 0)
		return bz_fail(l, BZ_EEXISTS, "%s: the file exists; a backup never overwrites one", path);
	if (rename(tmp, path) != 0)
		return bz_fail(l, BZ_EIO, "%s: %s", path, strerror(errno));
	return BZ_OK;
}

/* a PostgreSQL ledger is backed up and restored by the server's own tools */
static int on_server(bz_ledger *l)
{
	return bz_fail(l, BZ_EMISUSE, "a ledger on a PostgreSQL server is backed up and restored with the server's "
		       "tools (pg_dump -n SCHEMA, pg_restore; README \"A provincial deployment\"), not through the library");
}

BZ_EXTERN int bz_ledger_backup(bz_ledger *ledger, const char *path)
{
	if (!ledger)
		return BZ_EINVAL;
	if (!ledger->db)
		return on_server(ledger);
	if (!path || !*path || !bz_utf8_valid(path) || strcmp(path, ":memory:") == 0)
		return bz_fail(ledger, BZ_EINVAL, "a backup needs the name of a new file (non-empty UTF-8, not \":memory:\")");
	if (ledger->txn)
		return bz_fail(ledger, BZ_EMISUSE,
			       "a transaction is open on this handle: commit or roll it back before a backup");
	struct stat sb;
	if (lstat(path, &sb) == 0)
		return bz_fail(ledger, BZ_EEXISTS, "%s: the file exists; a backup never overwrites one", path);
	if (errno != ENOENT)
		return bz_fail(ledger, BZ_EIO, "%s: %s", path, strerror(errno));

	size_t n = strlen(path) + sizeof ".tmp-XXXXXX";
	char *tmp = bz__malloc(n);
	if (!tmp)
		return bz_fail(ledger, BZ_ENOMEM, "out of memory");
	snprintf(tmp, n, "%s.tmp-XXXXXX", path);
	int fd = mkstemp(tmp); /* beside path, so the link stays on one file system */
	if (fd < 0) {
		int code = bz_fail(ledger, BZ_EIO, "%s: %s", path, strerror(errno));
		bz__free(tmp);
		return code;
	}
	close(fd);
	int code = copy_to(ledger, tmp, path);
	if (code == BZ_OK)
		code = put_in_place(ledger, tmp, path);
	if (code == BZ_OK)
		sync_dir(path);
	remove_temp(tmp);
	bz__free(tmp);
	return code == BZ_OK ? bz_ok(ledger) : code;
}

static int pragma_int(sqlite3 *db, const char *sql, int *out)
{
	bz_st *st = NULL;
	int rc = bz_st_prepare_sqlite(db, sql, &st, 0);
	if (rc == SQLITE_OK) {
		rc = bz_step(st);
		*out = rc == SQLITE_ROW ? bz_st_column_int(st, 0) : 0;
		rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_OK : rc;
	}
	bz_st_finalize(st);
	return rc;
}

/* Whether the backup at path is a ledger this library can open; its connection stays open in *src. */
static int check_backup(bz_ledger *l, sqlite3 **src, const char *path)
{
	struct stat sb;
	if (stat(path, &sb) != 0)
		return bz_fail(l, BZ_EIO, "%s: %s", path, strerror(errno));
	if (S_ISDIR(sb.st_mode))
		return bz_fail(l, BZ_EIO, "%s: %s", path, strerror(EISDIR));
	const char *own = sqlite3_db_filename(l->db, "main");
	struct stat ob;
	if (own && *own && stat(own, &ob) == 0 && ob.st_dev == sb.st_dev && ob.st_ino == sb.st_ino)
		return bz_fail(l, BZ_EINVAL, "%s: that is the ledger itself, not a backup of it", path);
	int rc = sqlite3_open_v2(path, src, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE, NULL);
	if (rc != SQLITE_OK)
		return fail_db(l, *src, rc, path);
	int appid = 0, version = 0, ntables = 0;
	rc = pragma_int(*src, "PRAGMA application_id", &appid);
	if ((rc & 0xff) == SQLITE_NOTADB)
		return bz_fail(l, BZ_ENOTLEDGER, "%s: not a ledger: the file is not an SQLite database", path);
	if (rc == SQLITE_OK)
		rc = pragma_int(*src, "PRAGMA user_version", &version);
	if (rc == SQLITE_OK)
		rc = pragma_int(*src, "SELECT count(*) FROM sqlite_schema", &ntables);
	if (rc != SQLITE_OK)
		return fail_db(l, *src, rc, path);
	if (appid != BZ_APPLICATION_ID)
		return bz_fail(l, BZ_ENOTLEDGER, "%s: not a ledger: %s", path,
			       appid || ntables ? "an SQLite database of another application" : "an empty database");
	if (version < 1)
		return bz_fail(l, BZ_ENOTLEDGER, "%s: not a ledger: no schema version", path);
	if (version > BZ_SCHEMA_VERSION)
		return bz_fail(l, BZ_ESCHEMA, "%s: ledger schema version %d is newer than this library's %d; upgrade libbianzhi",
			       path, version, BZ_SCHEMA_VERSION);
	return BZ_OK;
}

BZ_EXTERN int bz_ledger_restore(bz_ledger *ledger, const char *backup_path)
{
	if (!ledger)
		return BZ_EINVAL;
	if (!ledger->db)
		return on_server(ledger);
	if (!backup_path || !*backup_path || !bz_utf8_valid(backup_path))
		return bz_fail(ledger, BZ_EINVAL, "a restore needs the name of a backup file (non-empty UTF-8)");
	if (ledger->readonly)
		return bz_fail(ledger, BZ_EIO, "the ledger was opened read-only: it cannot be restored");
	if (ledger->txn)
		return bz_fail(ledger, BZ_EMISUSE,
			       "a transaction is open on this handle: commit or roll it back before a restore");
	sqlite3 *src = NULL;
	int code = check_backup(ledger, &src, backup_path);
	if (code != BZ_OK)
		goto done;

	/* what the handle holds reads the old contents: iterators are detached
	 * (an unfinished one holds a read transaction, which the backup API
	 * refuses on its destination), cached statements prepared afresh */
	while (ledger->children.next != &ledger->children) {
		bz_child *c = ledger->children.next;
		bz_child_unlink(c);
		c->detach(c);
	}
	for (int i = 0; i < ledger->ncache; i++)
		bz_st_finalize(ledger->cache[i].stmt);
	ledger->ncache = 0;

	sqlite3_backup *b = sqlite3_backup_init(ledger->db, "main", src, "main");
	if (!b) {
		code = bz_fail(ledger, status_of(sqlite3_errcode(ledger->db)), "restoring %s: %s", backup_path,
			       sqlite3_errmsg(ledger->db));
		goto done;
	}
	/* one step: one write transaction on the ledger, whole or nothing */
	int rc = sqlite3_backup_step(b, -1);
	int frc = sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE || frc != SQLITE_OK) {
		rc = rc != SQLITE_DONE && rc != SQLITE_OK ? rc : frc != SQLITE_OK ? frc : SQLITE_ERROR;
		code = bz_fail(ledger, status_of(rc), "restoring %s: %s", backup_path, sqlite3_errmsg(ledger->db));
		goto done;
	}
	/* a backup of an older schema is migrated like any ledger opened */
	code = bz_schema_prepare(ledger);
done:
	sqlite3_close(src);
	return code == BZ_OK ? bz_ok(ledger) : code;
}
