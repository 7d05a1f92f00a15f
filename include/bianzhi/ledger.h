/*
 * ledger.h: opening and closing a ledger, and the handle's last error.
 *
 * A ledger is one SQLite database file (or ":memory:") holding every record
 * of one establishment office's books. One bz_ledger handle is one
 * connection; two handles (in one process or two) may share a file: writers
 * take turns.
 *
 * Threads (since 1.1): a handle may be shared by threads. Every function
 * that reaches the handle — given it, or a transaction, iterator or file
 * reader/writer obtained from it — holds the handle's lock while it runs, as
 * SQLite's serialized mode does, so calls on one handle from several threads
 * run one at a time and never crash (1.0 could). What the lock does not
 * make one: a transaction is the handle's, so another thread's calls see
 * its uncommitted changes and its bz_txn_begin() gets BZ_EMISUSE until it
 * ends; bz_ledger_errmsg() may already hold another thread's message; and a
 * handle closed by one thread must not be used by another afterwards.
 * Threads that each need their own transactions open a handle each.
 */
#ifndef BIANZHI_LEDGER_H
#define BIANZHI_LEDGER_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** An open ledger. Opaque. */
typedef struct bz_ledger bz_ledger;

/** Flags for bz_ledger_open(). */
#define BZ_OPEN_CREATE   0x1u /**< create the file (and schema) if it does not exist */
#define BZ_OPEN_READONLY 0x2u /**< open read-only; every transaction fails with BZ_EIO */
/**
 * Commit with synchronous=NORMAL instead of FULL (the default): in WAL mode
 * a commit no longer waits for the disk, so writing is faster, but a power
 * loss or OS crash (not a crash of the program) may lose the transactions
 * committed since the last checkpoint. The file is never corrupted. A legal
 * ledger should keep FULL; NORMAL is for bulk loads that can be redone.
 * Since 1.1 (an older library refuses the flag with BZ_EINVAL).
 */
#define BZ_OPEN_SYNC_NORMAL 0x4u

/** Schema version written by this library. */
#define BZ_SCHEMA_VERSION 14

/**
 * Open the ledger at path (a file name, ":memory:" for a private
 * in-memory ledger, or a postgresql:// URI: below). A new or empty file gets the current schema; a ledger
 * written by an older library is migrated forward inside one transaction.
 *
 * Several processes may open (and create) the same new file at once: one
 * of them creates the schema, under the file's write lock, and the others
 * wait for it (up to the busy timeout, 5 s) and open what it created.
 *
 * Read-only (BZ_OPEN_READONLY), a ledger on a read-only file system (a
 * snapshot, an archive disc) opens as immutable: nothing on that mount can
 * change it, so no lock and no -shm file are needed.
 *
 * A ledger on a PostgreSQL server (tested on 15; a library built with
 * libpq, issue 13): path is a URI, "postgresql://[USER[:PASSWORD]@][HOST][:PORT]/
 * DATABASE?schema=NAME[&PARAM=VALUE…]" ("postgres://" too), libpq's
 * connection URI with one parameter of the library's: schema, the
 * PostgreSQL schema that holds the ledger — one ledger per schema, NAME 1
 * to 63 of [a-z0-9_], not starting with a digit (required: BZ_EINVAL
 * otherwise). Every other parameter (host=/socket/dir, port, sslmode,
 * password, …) goes to libpq as it is. BZ_OPEN_CREATE creates the schema if
 * it does not exist and the ledger in it if it is empty (two processes
 * creating one ledger at once: one creates, the other opens it). Without
 * it, a schema that does not exist is BZ_EIO and one that is empty is
 * BZ_ENOTLEDGER, each with a message saying to open with BZ_OPEN_CREATE;
 * a schema holding tables of another application, or the ledger's
 * application id without its tables, is BZ_ENOTLEDGER; a ledger schema of
 * another version than this library's is BZ_ESCHEMA (there are no
 * PostgreSQL migrations yet); a server that cannot be reached, or refuses
 * the login, is BZ_EIO ("cannot connect: " and libpq's reason).
 * BZ_OPEN_SYNC_NORMAL sets synchronous_commit=off for the session: a
 * commit no longer waits for the server's WAL flush, and a server crash may
 * lose the last commits (never corrupt the ledger). BZ_OPEN_READONLY is
 * enforced by the library (transactions, imports and the like refuse with
 * BZ_EIO, as on a file), not by the session, so that the check and verify
 * can still stage their work in temporary tables; a server's own guarantee
 * is a role granted SELECT (and TEMPORARY) only. bz_ledger_backup() and
 * bz_ledger_restore() refuse a server's ledger (BZ_EMISUSE: use pg_dump -n
 * SCHEMA and pg_restore). A password in the URI (":PASSWORD@" or
 * "password=") is never shown: every message, bz_ledger_errmsg(NULL) of a
 * failed open included, gives it as "***". Without libpq the library
 * refuses a URI with BZ_EINVAL. README "PostgreSQL backend" says what is
 * stored where and how transactions and locks work on a server.
 *
 * On success *out is a handle owned by the caller: close it with
 * bz_ledger_close(). On failure *out is NULL and the code says why:
 * BZ_ENOTLEDGER (not an SQLite file; an SQLite file that is not a ledger,
 * even one that carries the ledger's application id without its tables;
 * a schema version below 1; not a regular file — a FIFO, a device),
 * BZ_ESCHEMA (written by a newer library; or written by an older one and
 * opened read-only: a writable open migrates it, a read-only one cannot),
 * BZ_EIO (cannot open: a missing folder, no permission, a read-only mount opened for writing, a
 * directory), BZ_EBUSY, BZ_ENOMEM, BZ_EINVAL (NULL path, unknown flag, bad
 * UTF-8). The message — the path and the cause, with the system's reason
 * ("No such file or directory", "Read-only file system") — is
 * bz_ledger_errmsg(NULL) on the same thread.
 */
BZ_EXTERN int bz_ledger_open(bz_ledger **out, const char *path, unsigned flags);

/**
 * Close the ledger and free the handle. An open transaction is rolled
 * back. Iterators and transactions still alive are detached: their later
 * calls return BZ_EMISUSE (they must still be freed). NULL is fine.
 */
BZ_EXTERN int bz_ledger_close(bz_ledger *ledger);

/**
 * Human-readable message for the last failed call on this handle (or on an
 * object obtained from it), "not an error" if the last call succeeded.
 * Borrowed: valid until the next call on the handle.
 *
 * NULL gives the cause of the last bz_ledger_open() that failed on the
 * calling thread ("PATH: cause"; kept per thread, valid until that
 * thread's next bz_ledger_open()), or "no ledger handle (NULL)" if the last
 * open on this thread succeeded or there was none (since 1.1; 1.0 always
 * gave "no ledger handle (NULL)").
 */
BZ_EXTERN const char *bz_ledger_errmsg(const bz_ledger *ledger);

/** The longest busy timeout bz_ledger_set_busy_timeout() takes: one hour. */
#define BZ_BUSY_TIMEOUT_MAX 3600000

/**
 * How long a call on this handle waits for another connection (another
 * handle, another process) that holds the ledger's write lock before it
 * gives up with BZ_EBUSY: milliseconds, 0 to BZ_BUSY_TIMEOUT_MAX. The
 * default is 5000 (5 s). 0 means never wait: a call that finds the ledger
 * locked returns BZ_EBUSY at once. The message of such a BZ_EBUSY says that
 * the ledger is locked by another connection and how long this handle
 * waited. Readers never wait for a writer nor a writer for readers (the
 * ledger is in WAL mode): the timeout matters between writers, and for a
 * commit that must wait for a checkpoint. An open does its first wait with
 * the default (5 s) before this can be called.
 *
 * Errors: BZ_EINVAL (NULL ledger; a negative or too long timeout, the
 * timeout unchanged). Since 1.1.
 */
BZ_EXTERN int bz_ledger_set_busy_timeout(bz_ledger *ledger, int milliseconds);

/**
 * Schema version stored in the open ledger (after migration it is
 * BZ_SCHEMA_VERSION).
 */
BZ_EXTERN int bz_ledger_schema_version(int *out, bz_ledger *ledger);

/**
 * Fix the ledger's clock: today's date (for what is live: usage slips,
 * current rosters) and the date of the "recorded at" stamp of change records
 * become date ("YYYY-MM-DD"). NULL returns to the system clock (local time).
 * Meant for tests, imports of old paper ledgers and reproducible reports.
 */
BZ_EXTERN int bz_ledger_set_clock(bz_ledger *ledger, const char *date);

/**
 * Today's date as the ledger sees it (see bz_ledger_set_clock), into buf,
 * which must hold BZ_DATE_LEN + 1 bytes.
 */
BZ_EXTERN int bz_ledger_today(char *buf, size_t buflen, bz_ledger *ledger);

/**
 * A function the long jobs on a handle call now and then, so that a tool
 * can show how far they are: what names the job ("import", "check"), done
 * counts what it has done so far (rows read, checks run). It is called on
 * the caller's thread, inside the job: it must not call the library on the
 * same handle. Since 1.1.
 */
typedef void (*bz_progress_fn)(void *ctx, const char *what, int64_t done);

/**
 * Call fn(ctx, …) during the long jobs on this handle (bz_import_units(),
 * bz_import_people(): every 1,000 rows; bz_ledger_check(): after each of
 * its checks). NULL fn: no calls (the default). Since 1.1.
 */
BZ_EXTERN int bz_ledger_set_progress(bz_ledger *ledger, bz_progress_fn fn, void *ctx);

/**
 * A consistent copy of the ledger as committed now, written to a new file
 * at path, while other handles and processes may go on writing (SQLite's
 * online backup API: the copy is one read snapshot of the ledger). The copy
 * is a ledger of its own: bz_ledger_open() opens it, bz_ledger_restore()
 * puts it back. It is written to a temporary file beside path and moved into
 * place when complete, so a failed backup leaves no half file; it is
 * readable by its owner only (mode 0600: it holds personal data). A
 * read-only handle can make a backup.
 *
 * Errors: BZ_EEXISTS if path exists (a backup never overwrites: remove the
 * old one first); BZ_EMISUSE if a transaction is open on this handle (the
 * copy would hold its uncommitted changes: commit or roll back first);
 * BZ_EIO if the file cannot be written, with a message naming path and the
 * cause ("No such file or directory", "Permission denied", "No space left on
 * device"…); BZ_EBUSY, BZ_ENOMEM; BZ_EINVAL for a NULL, empty or ":memory:"
 * path or bad UTF-8. Since 1.1.
 */
BZ_EXTERN int bz_ledger_backup(bz_ledger *ledger, const char *path);

/**
 * Replace the whole contents of the open ledger with those of the backup at
 * backup_path (made by bz_ledger_backup(), or any ledger file): every
 * record made since the backup is gone, for this handle and every other
 * handle on the same file. The backup is checked first, and nothing changes
 * if it is refused: BZ_ENOTLEDGER (not an SQLite file, or one of another
 * application), BZ_ESCHEMA (written by a newer library); a backup of an
 * older schema is migrated after it is put back. The replacement is one
 * write transaction: it happens whole or not at all.
 *
 * Once the backup has passed the checks, iterators and other objects
 * obtained from this handle are detached, as by bz_ledger_close() (even if
 * the copy then fails, say with BZ_EBUSY): their later calls return
 * BZ_EMISUSE (they must still be freed). The change feed goes back with the
 * records: see bz_changes_since().
 *
 * Errors: BZ_EIO if the ledger was opened read-only, or if the backup cannot
 * be read (the message names the file and the cause); BZ_EMISUSE if a
 * transaction is open on this handle; BZ_EINVAL for a NULL or empty path,
 * bad UTF-8, or the ledger's own file; BZ_EBUSY if another connection holds
 * the write lock; BZ_ENOMEM. Since 1.1.
 */
BZ_EXTERN int bz_ledger_restore(bz_ledger *ledger, const char *backup_path);

#ifdef __cplusplus
}
#endif
#endif
