/*
 * store.h: the one small storage interface the engine talks to (issue 13).
 * Internal: nothing here is part of the ABI.
 *
 * ===================================================================
 * DESIGN
 * ===================================================================
 *
 * Why. A ledger lives in an SQLite file (one office, a vendor's product) or
 * in a schema of a PostgreSQL 15 server (a province: 14 cities and 86
 * counties writing at once, replicas, pg_dump backups). The areas, the rules
 * and the jobs must not know which: they prepare statements, bind, step,
 * read columns and run transactions through this interface, and each
 * backend is a driver behind it. Dialect differences live in the driver's
 * files (store_sqlite.c, store_pg.c, store_pg_compat.c), never in an area.
 *
 * -------------------------------------------------------------------
 * 1. The interface
 * -------------------------------------------------------------------
 *   bz_store    a connection: bz_store_open(&s, target, flags) where target is
 *               a path / ":memory:" / "file:" URI (SQLite, as today) or
 *               "postgresql://…?schema=NAME" / "postgres://…" (PostgreSQL:
 *               the schema= parameter is the ledger's schema; the driver
 *               strips it before PQconnectdb, which would refuse it, and
 *               runs SET search_path TO "NAME" after connecting).
 *               bz_store_close() finalizes every statement it still owns.
 *   bz_st       a prepared statement, opaque. bz_store_stmt(s, sql) gives the
 *               cached one for a static SQL string (key: the string's
 *               address, as bz_stmt() does today; one cache per store, hence
 *               per backend: on PostgreSQL the cache maps to named server-side
 *               prepared statements "bz<N>"); bz_store_prepare() an uncached
 *               one the caller finalizes (iterators).
 *   bind        bz_st_bind_int / _int64 / _text (copied: SQLITE_TRANSIENT) /
 *               _null / _blob (copied), 1-based like ?N.
 *   step        bz_st_step() → BZ_ST_ROW, BZ_ST_DONE or an error code.
 *   columns     bz_st_column_int / _int64 / _text / _bytes / _blob / _type /
 *               _isnull / _count, 0-based. Text and blobs are valid until the
 *               next step, reset or finalize of the statement (as SQLite).
 *   reset       bz_st_reset() (bindings kept), bz_st_clear_bindings(),
 *               bz_st_finalize().
 *   exec        bz_store_exec(s, sql): SQL text without parameters, several
 *               statements allowed (DDL, SAVEPOINT …).
 *   counts      bz_store_changes() (rows of the last INSERT/UPDATE/DELETE),
 *               bz_store_last_id() (SQLite: last_insert_rowid; PostgreSQL:
 *               lastval() — INTEGER PRIMARY KEYs are identity columns there).
 *   txn         bz_store_begin() (SQLite BEGIN IMMEDIATE; PostgreSQL BEGIN
 *               ISOLATION LEVEL READ COMMITTED, see 4), bz_store_begin_read()
 *               (SQLite BEGIN DEFERRED; PostgreSQL REPEATABLE READ: the
 *               reports' and the self-inspection's one snapshot),
 *               bz_store_commit(), bz_store_rollback(),
 *               bz_store_savepoint(name) / _release(name) / _rollback_to(name),
 *               bz_store_in_txn().
 *   busy        bz_store_set_busy_timeout(ms): SQLite's busy handler; on
 *               PostgreSQL lock_timeout = ms (a lock wait longer than that is
 *               SQLSTATE 55P03 → BZ_EBUSY).
 *   errors      every call returns a store code (below); bz_store_status(s, rc)
 *               maps it to a BZ_* status and bz_store_errmsg(s) gives the
 *               backend's message ("postgresql: … (SQLSTATE 23505)").
 *
 * Store codes ARE SQLite's result codes (primary and extended), whatever
 * the backend: the PostgreSQL driver maps each SQLSTATE to the SQLite code
 * of the same meaning, so every existing `rc == SQLITE_ROW`, every call of
 * bz_sqlfail() and every test of a status stays as it is, and the SQLite
 * path translates nothing:
 *     40001 serialization_failure, 40P01 deadlock  → SQLITE_BUSY (retried, 5)
 *     55P03 lock_not_available                     → SQLITE_BUSY
 *     23505 unique_violation                       → SQLITE_CONSTRAINT_UNIQUE
 *     23503 foreign key, 23502 not null, 23514     → SQLITE_CONSTRAINT_FOREIGNKEY / _NOTNULL / _CHECK
 *     P0001 raise_exception (append-only triggers) → SQLITE_CONSTRAINT_TRIGGER
 *     53100 disk_full                              → SQLITE_FULL   (BZ_EIO, "disk full")
 *     53200 out_of_memory                          → SQLITE_NOMEM  (BZ_ENOMEM)
 *     08xxx, a connection lost (PQstatus BAD)      → SQLITE_IOERR  (BZ_EIO, libpq's message)
 *     57014 query_canceled                         → SQLITE_INTERRUPT
 *     25P02 in_failed_sql_transaction              → SQLITE_ABORT
 *     3D000/3F000 no such database/schema          → SQLITE_CANTOPEN
 *     anything else                                → SQLITE_ERROR (BZ_ERROR, message kept)
 *
 * -------------------------------------------------------------------
 * 2. Zero cost on SQLite
 * -------------------------------------------------------------------
 * A bz_st of the SQLite driver IS its sqlite3_stmt (the same pointer, cast):
 * no wrapper object, no allocation. A statement of any other driver is a
 * struct beginning with its driver table (bz_st_head), and its pointer is
 * tagged with the low bit set (heap objects are at least 8-aligned). Every
 * statement function is static inline: one test of that bit, predicted
 * not-taken, then the sqlite3_* call itself. Built with
 * -Dpostgresql=disabled (BZ_HAVE_PG 0) the test is compiled out and the
 * functions are exactly the sqlite3_* calls. Measured with bench_vs_raw
 * (rows a and b) before and after the mechanical migration of the areas
 * (tools/store_migrate.py; README "PostgreSQL backend").
 *
 * The driver table (bz_store_driver) holds one function per operation;
 * SQLite's table exists too (bz_store_sqlite_driver) for the connection-level
 * calls (open, close, exec, txn), which are not hot.
 *
 * -------------------------------------------------------------------
 * 3. Dialect: where each difference lives
 * -------------------------------------------------------------------
 * The engine's SQL is written once, in SQLite's dialect. The PostgreSQL
 * driver translates each statement once, when it is prepared (the
 * translation is cached with the statement), bz_pg_translate():
 *   ?N, ?                 → $N (bare ? numbered in order)
 *   INSERT OR IGNORE      → INSERT … ON CONFLICT DO NOTHING
 *   INSERT OR REPLACE     → INSERT … ON CONFLICT (key) DO UPDATE SET c=excluded.c …
 *                           (the conflict key from the driver's table of keys;
 *                           a table not in it is refused, never guessed)
 *   temp.T                → pg_temp.T (CREATE TEMP TABLE IF NOT EXISTS is the same)
 *   ifnull(a,b)           → coalesce(a,b)
 *   iif(c,a,b)            → CASE WHEN c THEN a ELSE b END
 *   instr(a,b)            → strpos(a,b)
 *   min(a,b,…)/max(a,b,…) → sqlite_min(…)/sqlite_max(…) (the scalar forms: 2+
 *                           arguments; least()/greatest() would skip NULLs)
 *   group_concat(x[,s])   → string_agg(CAST(x AS text), s / ',')
 *   date(), julianday(), strftime(), printf(), hex(), randomblob(), random()
 *                         → sqlite_date() … sqlite_random(): functions with
 *                           SQLite's semantics (text dates, month overflow,
 *                           NULLs) created in the ledger's schema by
 *                           store_pg_compat.c (PL/pgSQL), each tested against
 *                           SQLite on the same inputs (test_store.c)
 *   LIKE                  → ILIKE (SQLite's LIKE ignores ASCII case)
 *   PRAGMA …              → refused by the translator: the callers that read
 *                           pragmas (user_version, application_id,
 *                           foreign_key_check) ask the driver
 *                           (bz_store_user_version(), …) — the meta table on
 *                           PostgreSQL.
 * Not in the translator, in the PostgreSQL DDL (schema_pg.sql, run by
 * schema_pg.c untranslated through bz_store_exec_native; its header lists
 * each difference):
 *   - typeless columns: columns get real types (TEXT, BIGINT, BYTEA). Values
 *     come back in text format; bz_st_column_int() of a text parses it
 *     (strtoll, as SQLite converts), so an area reading an integer column
 *     that SQLite stored as text still works. CAST('' AS INTEGER) is an
 *     error on PostgreSQL (0 on SQLite): the few such casts in the areas go
 *     through sqlite_int(text) when migrated.
 *   - INTEGER PRIMARY KEY → BIGINT GENERATED BY DEFAULT AS IDENTITY; the
 *     tables ordered by rowid (placement, fact, unitcert, category, unit)
 *     get an explicit `rowid BIGINT GENERATED ALWAYS AS IDENTITY` column,
 *     so "ORDER BY rowid" needs no rewrite. Event ids come from the
 *     identity and interleave between writers: the hash chain follows
 *     record_chain.rowid, given under the commit's chain lock (4, verify.c),
 *     which is commit order; on SQLite record_chain.rowid IS seq.
 *   - the append-only triggers: BEFORE UPDATE OR DELETE … EXECUTE FUNCTION
 *     bz_append_only() (PL/pgSQL RAISE EXCEPTION 'change records are
 *     append-only' → P0001 → SQLITE_CONSTRAINT_TRIGGER, as RAISE(ABORT)).
 *   - temp tables: per session on both; the PostgreSQL driver drops the
 *     engine's temp tables at close (the connection ends anyway).
 *   - schema version: SQLite's PRAGMA user_version / application_id become
 *     rows of meta ('schema_version', 'application_id') in the ledger's
 *     schema; the same checks (refuse a foreign database, a newer schema).
 * Not SQL at all:
 *   - blob I/O of the archive (sqlite3_blob_open/read/write on file_blob):
 *     on PostgreSQL the files are stored as bytea chunks of 1 MiB
 *     (file_chunk(blob, n, data)), read and written chunk by chunk with
 *     ordinary statements; large objects are not used (pg_dump --schema of
 *     one ledger would not carry them). Done in archive.c (its pg_* paths,
 *     taken when l->db is NULL); file_chunk is in schema_pg.sql only.
 *   - the backup API (backup.c, sqlite3_backup_*): on PostgreSQL backups are
 *     the deployment's (pg_dump -n SCHEMA); bz_ledger_backup() returns
 *     BZ_EMISUSE with that message; `bianzhi copy` moves a ledger between
 *     backends through export/import.
 *   - custom SQL functions the areas register (sqlite3_create_function_v2,
 *     rules_records.c): bz_r10_faulty(id_number, sex, birth, date) — the
 *     GB 11643 check of an ID number: a PL/pgSQL port in schema_pg.sql,
 *     created with the ledger's schema, with the C function as its oracle
 *     in test_schema_pg.c (bz_r6_judged, once planned, is gone: R6's
 *     selection names its kinds in SQL). A new custom function must come
 *     with its PostgreSQL twin.
 *   - sqlite3_value users: exchange.c copies rows column by column with
 *     bz_st_bind_column(dst, i, src, j) — sqlite3_bind_value of
 *     sqlite3_column_value on SQLite, a copy by the column's type on
 *     PostgreSQL; archive.c's zeroblob is SQLite's path only (a PostgreSQL
 *     file_blob row holds an empty bytea).
 *   - foreign keys checked at the end: bz_store_defer_fks() (PRAGMA
 *     defer_foreign_keys / SET CONSTRAINTS ALL DEFERRED: schema_pg.sql
 *     declares every key DEFERRABLE) and bz_store_fk_check() (PRAGMA
 *     foreign_key_check / SET CONSTRAINTS ALL IMMEDIATE, its 23503 told as
 *     the violation SQLite would list).
 *
 * -------------------------------------------------------------------
 * 4. Concurrency on PostgreSQL
 * -------------------------------------------------------------------
 * On SQLite one writer holds the file (BEGIN IMMEDIATE); rules judged at
 * commit see everything. On PostgreSQL many write at once, and the rules
 * are judged at commit, so the commit must see every committed write that
 * can change its verdict, and two commits whose verdicts depend on each
 * other must not both pass on stale reads.
 *
 * The plan: READ COMMITTED, and advisory transaction locks on exactly the
 * subjects the transaction touched, taken at commit in one canonical order
 * before the rules run:
 *   1. bz_txn_commit() sorts the touched set (bz_touch: kind, id) and takes
 *      pg_advisory_xact_lock(hashtextextended('<ledger schema>:<kind>:<id>', 0))
 *      for each: a unit (UNIT_CAT, LEADERS, SUBUNITS, UNIT_LIFE → the unit),
 *      its jurisdiction × branch (R4/R9 sum a county), a person (R5). Sorted
 *      order → no deadlock among commits.
 *   2. it then writes the pending counter deltas (bz_tl_sync; the deltas
 *      are additive: UPDATE … SET value=value+delta) and runs the rules. In
 *      READ COMMITTED each statement takes a fresh snapshot, so after the
 *      locks the checks read every commit that held them before: two
 *      offices racing for the last vacancy of one unit — the second waits
 *      on the unit's lock, then sees the first's placement and gets R1 with
 *      the figures; two transfers of one person — R5 for the second.
 *   3. last, the chain lock (one key per ledger): the hash chain in commit
 *      order (verify.c, chain_write: the events no chain row covers yet,
 *      after the last row written) and COMMIT. Held for the commit tail
 *      only (milliseconds), the one point where all writers of a ledger meet.
 *   Besides, a change takes (bz_pg_lock, held to the end) the lock of what
 *   it reads then writes from committed state: a person, from the first
 *   change that touches them (bz_txn_touch; key p, the commit's own, so a
 *   commit never waits for it while holding other locks: no deadlock with
 *   a writer holding the person), and a division's next card, slip and
 *   certificate number (max/count + 1).
 *   Done (txn.c commit_lock_subjects; tests/test_race.c). Commit order is
 *   read from the chain: record_chain.rowid (unique index
 *   record_chain_order, schema_pg.sql) is given under the chain lock, which
 *   is released only after COMMIT is visible, so the chain rows a snapshot
 *   sees are a prefix of commit order. The change feed (change.c) follows
 *   it — a record's position is its chain row, a number no committed record
 *   has is BZ_ENOTFOUND — and so does R8's self-inspection of a slip's hires
 *   (rules_hiring.c); event and placement ids interleave between writers
 *   and are never taken for commit order there (test_feed.c, test_slip.c).
 * Writers in different counties touch different units, jurisdictions and
 * persons: their step-1 locks never meet, and they wait for each other
 * only across the chain append of step 3.
 *
 * Why not SERIALIZABLE: a serialization failure aborts the whole
 * transaction, which spans the caller's calls (begin, many changes,
 * commit): the library cannot replay it, so every conflict would reach the
 * caller; and SSI's predicate locks are page-granular on the shared
 * indexes (tl, event, fact), so offices in different counties would abort
 * each other. The locks above make conflicts waits instead of failures.
 *
 * Retry policy (done for the commit's subject locks, txn.c: a deadlock,
 * serialization failure or lock timeout while taking them is retried by
 * bz_store_retry, then BZ_EBUSY; the rules and the chain are not re-run):
 * what still fails with 40001/40P01 (a deadlock against a
 * row lock outside the canonical order, e.g. two imports) is retried
 * inside the library only where the library owns the whole unit of work:
 * the commit tail runs in SAVEPOINT bz_commit, rolled back and retried up
 * to BZ_STORE_RETRIES (5) times with a growing pause (10, 20, 40, 80 ms)
 * before BZ_EBUSY ("serialization failure: retried 5 times"); one change
 * (SAVEPOINT bz_change) the same. bz_store_retry() gives the rule; this
 * session implements it for a statement outside a transaction and for a
 * savepoint-wrapped function (test_store.c: two connections).
 *
 * Statements and results on PostgreSQL: PQprepare once per cached statement
 * (name "bz<N>", parameter count from PQdescribePrepared), PQexecPrepared
 * with text-format parameters (blobs binary), text-format results, and the
 * WHOLE result fetched at the first step, not single-row mode: the rules
 * run statements while they walk another statement's rows, and libpq
 * allows one query in flight per connection. The iterators that can be big
 * (a province's persons) will use a cursor (DECLARE … FETCH 1000) in the
 * same statement object: next step.
 */
#ifndef BZ_STORE_H
#define BZ_STORE_H

#include "bianzhi.h"

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifndef BZ_HAVE_PG
#define BZ_HAVE_PG 0
#endif

#define BZ_STORE_INTERNAL __attribute__((visibility("hidden")))

/* store codes: SQLite's, whatever the backend (see 1 above) */
#define BZ_ST_OK SQLITE_OK
#define BZ_ST_ROW SQLITE_ROW
#define BZ_ST_DONE SQLITE_DONE

/* column types (SQLite's fundamental types) */
#define BZ_ST_INTEGER SQLITE_INTEGER
#define BZ_ST_FLOAT SQLITE_FLOAT
#define BZ_ST_TEXT SQLITE_TEXT
#define BZ_ST_BLOB SQLITE_BLOB
#define BZ_ST_NULL SQLITE_NULL

/* a serialization failure or deadlock is retried this many times (see 4) */
#define BZ_STORE_RETRIES 5
/* a PostgreSQL ledger's schema name: 1 to 63 bytes of [a-z0-9_], not starting with a digit */
#define BZ_STORE_SCHEMA_MAX 63

enum bz_store_kind { BZ_STORE_SQLITE = 0, BZ_STORE_PG = 1 };

typedef struct bz_store bz_store;
typedef struct bz_st bz_st;

/* The driver table: one per backend. */
typedef struct bz_store_driver {
	const char *name; /* "sqlite", "postgresql" */
	/* statements */
	int (*bind_int64)(bz_st *st, int i, int64_t v);
	int (*bind_text)(bz_st *st, int i, const char *s, int n);
	int (*bind_blob)(bz_st *st, int i, const void *p, int n);
	int (*bind_null)(bz_st *st, int i);
	int (*step)(bz_st *st);
	int (*reset)(bz_st *st);
	int (*clear_bindings)(bz_st *st);
	int (*finalize)(bz_st *st);
	int (*column_count)(bz_st *st);
	int (*column_type)(bz_st *st, int i);
	int64_t (*column_int64)(bz_st *st, int i);
	const unsigned char *(*column_text)(bz_st *st, int i);
	const void *(*column_blob)(bz_st *st, int i);
	int (*column_bytes)(bz_st *st, int i);
	bool (*busy)(bz_st *st);
	int (*param_count)(bz_st *st);
	/* connections */
	int (*prepare)(bz_store *s, bz_st **out, const char *sql);
	int (*exec)(bz_store *s, const char *sql);
	int64_t (*changes)(bz_store *s);
	int64_t (*last_id)(bz_store *s);
	bool (*in_txn)(bz_store *s);
	int (*set_busy_timeout)(bz_store *s, int ms);
	void (*close)(bz_store *s);
} bz_store_driver;

/* every statement of a driver other than SQLite's begins so */
typedef struct bz_st_head {
	const bz_store_driver *drv;
	bz_store *store;
} bz_st_head;

#define BZ_STORE_CACHE 256

struct bz_store {
	int kind; /* enum bz_store_kind */
	const bz_store_driver *drv;
	sqlite3 *lite;   /* BZ_STORE_SQLITE: the connection */
	void *pg;        /* BZ_STORE_PG: struct bz_pg (store_pg.c) */
	char errmsg[512];
	bool own_msg; /* errmsg is the store's own (else, on SQLite, the connection's message is read) */
	int busy_ms;
	int errcode; /* PostgreSQL: the store code of the last failure (SQLite keeps its own) */
	struct {
		const char *sql; /* key: the address of a static string */
		bz_st *st;
	} cache[BZ_STORE_CACHE];
	int ncache;
};

extern BZ_STORE_INTERNAL const bz_store_driver bz_store_sqlite_driver;
#if BZ_HAVE_PG
extern BZ_STORE_INTERNAL const bz_store_driver bz_store_pg_driver;
#endif

/* ---- connections ---------------------------------------------------------- */

/*
 * Open a store. target: a path, ":memory:" or a "file:" URI (SQLite), or a
 * "postgresql://" / "postgres://" URI with a schema=NAME parameter
 * (PostgreSQL; the schema is created with BZ_OPEN_CREATE, else must exist).
 * flags: BZ_OPEN_CREATE, BZ_OPEN_READONLY. *out is owned by the caller
 * (bz_store_close). On failure *out is NULL and, when errbuf is given, the
 * reason is written there. Returns a BZ_* status (BZ_EINVAL for a bad
 * target or schema name, and for a PostgreSQL URI in a build without
 * libpq; BZ_EIO for a file that cannot be opened, a connection refused, a
 * schema that does not exist without BZ_OPEN_CREATE).
 */
BZ_STORE_INTERNAL int bz_store_open(bz_store **out, const char *target, unsigned flags, char *errbuf, size_t errlen);
BZ_STORE_INTERNAL int bz_store_close(bz_store *s);
/*
 * A store over an SQLite connection the caller opened (the ledger opens its
 * file itself: regular-file checks, an immutable retry on a read-only
 * mount). On success the store owns db (bz_store_close closes it); on
 * failure (BZ_ENOMEM) db stays the caller's.
 */
BZ_STORE_INTERNAL int bz_store_adopt_sqlite(bz_store **out, sqlite3 *db);
/* whether target names a PostgreSQL ledger */
BZ_STORE_INTERNAL bool bz_store_is_pg_target(const char *target);
/* The store code of the last failure → a BZ_* status (the message stays in s). */
BZ_STORE_INTERNAL int bz_store_status(bz_store *s, int rc);
/* The message of the last failure: the store's own, else the backend's
 * (on SQLite the connection's, read when asked: the inline statement calls
 * set nothing). Valid until the next call on s. */
BZ_STORE_INTERNAL const char *bz_store_errmsg(bz_store *s);
/* The store code of the connection's last failure (sqlite3_errcode on SQLite). */
BZ_STORE_INTERNAL int bz_store_errcode(bz_store *s);

/* Uncached statement, finalized by the caller. Returns a store code. */
BZ_STORE_INTERNAL int bz_store_prepare(bz_store *s, bz_st **out, const char *sql);
/* Cached statement for a static string (reset, bindings cleared); NULL on failure (message in s). */
BZ_STORE_INTERNAL bz_st *bz_store_stmt(bz_store *s, const char *sql);
/* Plain SQL text, no parameters. Returns a store code. */
BZ_STORE_INTERNAL int bz_store_exec(bz_store *s, const char *sql);
/*
 * Best-effort SQL whose failure the caller ignores (emptying a work table
 * that may not exist): on PostgreSQL inside a transaction it runs under a
 * savepoint, so that its failure does not abort the caller's transaction
 * (SQLite goes on after a failed statement; PostgreSQL refuses everything
 * until ROLLBACK). Returns the store code of sql.
 */
BZ_STORE_INTERNAL int bz_store_exec_quiet(bz_store *s, const char *sql);
/*
 * SQL text in the backend's OWN dialect, not translated: the driver's own
 * files (the PostgreSQL DDL of schema_pg.sql, the compat functions), whose
 * PL/pgSQL bodies the translator must not touch. On SQLite the same as
 * bz_store_exec(). Never SQL built from a caller's data. A store code.
 */
BZ_STORE_INTERNAL int bz_store_exec_native(bz_store *s, const char *sql);
BZ_STORE_INTERNAL int64_t bz_store_changes(bz_store *s);
BZ_STORE_INTERNAL int64_t bz_store_last_id(bz_store *s);
BZ_STORE_INTERNAL bool bz_store_in_txn(bz_store *s);
/* ms: 0 … BZ_BUSY_TIMEOUT_MAX */
BZ_STORE_INTERNAL int bz_store_set_busy_timeout(bz_store *s, int ms);

/* transactions: store codes */
BZ_STORE_INTERNAL int bz_store_begin(bz_store *s);
BZ_STORE_INTERNAL int bz_store_begin_read(bz_store *s);
BZ_STORE_INTERNAL int bz_store_commit(bz_store *s);
BZ_STORE_INTERNAL int bz_store_rollback(bz_store *s);
/* name: [a-z_]+ (a fixed name of the engine: bz_change, bz_commit, …) */
BZ_STORE_INTERNAL int bz_store_savepoint(bz_store *s, const char *name);
BZ_STORE_INTERNAL int bz_store_release(bz_store *s, const char *name);
BZ_STORE_INTERNAL int bz_store_rollback_to(bz_store *s, const char *name);

/*
 * The retry rule (4): run fn(s, ctx) inside SAVEPOINT bz_retry (or, outside
 * a transaction, as it is); a BUSY (40001/40P01/55P03) rolls back to the
 * savepoint and runs it again, up to BZ_STORE_RETRIES more times, pausing
 * 10, 20, 40, 80… ms; then returns SQLITE_BUSY with the message
 * "serialization failure: retried N times: …". *tries (may be NULL) gets
 * the number of runs.
 */
BZ_STORE_INTERNAL int bz_store_retry(bz_store *s, int (*fn)(bz_store *s, void *ctx), void *ctx, int *tries);

/*
 * Foreign keys of this transaction checked at its end, not statement by
 * statement (rows written parents last). A store code.
 */
BZ_STORE_INTERNAL int bz_store_defer_fks(bz_store *s);
/*
 * The deferred foreign keys checked now: fn(ctx, table, row, parent) for a
 * violation — the referring table, the row ("row N" on SQLite; the
 * server's "Key (col)=(value) is not present…" on PostgreSQL) and the
 * table referred to. SQLite tells every violation (until fn returns
 * nonzero); PostgreSQL the first the server finds, and a violation there
 * aborts the transaction (the caller rolls back; nothing is committed).
 * fn returning < 0 stops with SQLITE_NOMEM. Returns a store code:
 * SQLITE_OK whether or not there were violations.
 */
BZ_STORE_INTERNAL int bz_store_fk_check(bz_store *s, int (*fn)(void *ctx, const char *table, const char *row,
								   const char *parent),
					void *ctx);

/* PostgreSQL only (NULL/-1 on SQLite): the ledger's schema, the server's backend pid */
BZ_STORE_INTERNAL const char *bz_store_schema(const bz_store *s);
BZ_STORE_INTERNAL int bz_store_backend_pid(const bz_store *s);

/*
 * The SQL translator (store_pg.c; built in every build, so its unit test
 * runs without libpq): sqlite_sql in SQLite's dialect → *out in
 * PostgreSQL's (bz__malloc'd, the caller bz__frees), *nparams the highest
 * $N. Returns BZ_OK, BZ_ENOMEM, or BZ_EINVAL with the reason in why (a
 * PRAGMA, INSERT OR REPLACE on a table without a known key, unbalanced
 * parentheses or quotes).
 */
BZ_STORE_INTERNAL int bz_pg_translate(char **out, int *nparams, const char *sqlite_sql, char *why, size_t whylen);
/* the SQLite-compatible functions (PL/pgSQL), created in the ledger's schema at open */
extern BZ_STORE_INTERNAL const char bz_pg_compat_sql[];

/* ---- statements: static inline, SQLite direct (2 above) ------------------------ */

#if BZ_HAVE_PG
#define BZ_ST_TAGGED(st) (__builtin_expect(((uintptr_t)(st) & 1u) != 0, 0))
static inline const bz_store_driver *bz_st_drv(bz_st *st)
{
	return ((const bz_st_head *)((uintptr_t)st & ~(uintptr_t)1))->drv;
}
#define BZ_ST_OTHER(st, call) \
	do { \
		if (BZ_ST_TAGGED(st)) \
			return bz_st_drv(st)->call; \
	} while (0)
#else
#define BZ_ST_OTHER(st, call) ((void)0)
#endif
#define BZ_ST_LITE(st) ((sqlite3_stmt *)(void *)(st))

/* the bz_st of an sqlite3_stmt (the same pointer) and back */
static inline bz_st *bz_st_of_sqlite(sqlite3_stmt *st) { return (bz_st *)(void *)st; }
static inline sqlite3_stmt *bz_st_sqlite(bz_st *st)
{
#if BZ_HAVE_PG
	if (BZ_ST_TAGGED(st))
		return NULL;
#endif
	return BZ_ST_LITE(st);
}

/*
 * A statement prepared on an SQLite connection, as a bz_st (the migration's
 * bridge, tools/store_migrate.py: the areas still reach l->db until the
 * ledger holds a bz_store; then this becomes bz_store_prepare). A store code.
 */
static inline int bz_st_prepare_sqlite(sqlite3 *db, const char *sql, bz_st **out, unsigned flags)
{
	return sqlite3_prepare_v3(db, sql, -1, flags, (sqlite3_stmt **)(void *)out, NULL);
}

/* whether the statement is between its first step and its end or reset */
static inline bool bz_st_busy(bz_st *st)
{
	BZ_ST_OTHER(st, busy(st));
	return sqlite3_stmt_busy(BZ_ST_LITE(st)) != 0;
}

static inline int bz_st_param_count(bz_st *st)
{
	BZ_ST_OTHER(st, param_count(st));
	return sqlite3_bind_parameter_count(BZ_ST_LITE(st));
}

static inline int bz_st_bind_int64(bz_st *st, int i, int64_t v)
{
	BZ_ST_OTHER(st, bind_int64(st, i, v));
	return sqlite3_bind_int64(BZ_ST_LITE(st), i, v);
}
static inline int bz_st_bind_int(bz_st *st, int i, int v)
{
	BZ_ST_OTHER(st, bind_int64(st, i, v));
	return sqlite3_bind_int(BZ_ST_LITE(st), i, v);
}
/* copied (SQLITE_TRANSIENT); n < 0: to the NUL; s NULL binds NULL */
static inline int bz_st_bind_text(bz_st *st, int i, const char *s, int n)
{
	BZ_ST_OTHER(st, bind_text(st, i, s, n));
	return s ? sqlite3_bind_text(BZ_ST_LITE(st), i, s, n, SQLITE_TRANSIENT) : sqlite3_bind_null(BZ_ST_LITE(st), i);
}
static inline int bz_st_bind_blob(bz_st *st, int i, const void *p, int n)
{
	BZ_ST_OTHER(st, bind_blob(st, i, p, n));
	return sqlite3_bind_blob(BZ_ST_LITE(st), i, p, n, SQLITE_TRANSIENT);
}
/*
 * Not copied where the backend can avoid it (SQLite's SQLITE_STATIC: the
 * caller keeps p alive until the statement is reset; cannot fail for want
 * of memory). The PostgreSQL driver copies; a copy that fails makes the
 * statement's next step fail with SQLITE_NOMEM, never run with a NULL.
 */
static inline int bz_st_bind_text_static(bz_st *st, int i, const char *s, int n)
{
	BZ_ST_OTHER(st, bind_text(st, i, s, n));
	return s ? sqlite3_bind_text(BZ_ST_LITE(st), i, s, n, SQLITE_STATIC) : sqlite3_bind_null(BZ_ST_LITE(st), i);
}
static inline int bz_st_bind_blob_static(bz_st *st, int i, const void *p, int n)
{
	BZ_ST_OTHER(st, bind_blob(st, i, p, n));
	return sqlite3_bind_blob(BZ_ST_LITE(st), i, p, n, SQLITE_STATIC);
}
static inline int bz_st_bind_null(bz_st *st, int i)
{
	BZ_ST_OTHER(st, bind_null(st, i));
	return sqlite3_bind_null(BZ_ST_LITE(st), i);
}
/* bz_st_bind_column's copy for a statement of another driver: by the column's type */
BZ_STORE_INTERNAL int bz_st_bind_column_typed(bz_st *dst, int i, bz_st *src, int j);
/*
 * Column j of src's current row bound to parameter i of dst (both of one
 * store), its type kept: on SQLite sqlite3_bind_value of
 * sqlite3_column_value (no conversion, no copy of the type); elsewhere an
 * integer, a text, a blob or a NULL as the column gives it.
 */
static inline int bz_st_bind_column(bz_st *dst, int i, bz_st *src, int j)
{
#if BZ_HAVE_PG
	if (BZ_ST_TAGGED(dst) || BZ_ST_TAGGED(src))
		return bz_st_bind_column_typed(dst, i, src, j);
#endif
	return sqlite3_bind_value(BZ_ST_LITE(dst), i, sqlite3_column_value(BZ_ST_LITE(src), j));
}

static inline int bz_st_step(bz_st *st)
{
	BZ_ST_OTHER(st, step(st));
	return sqlite3_step(BZ_ST_LITE(st));
}
static inline int bz_st_reset(bz_st *st)
{
	BZ_ST_OTHER(st, reset(st));
	return sqlite3_reset(BZ_ST_LITE(st));
}
static inline int bz_st_clear_bindings(bz_st *st)
{
	BZ_ST_OTHER(st, clear_bindings(st));
	return sqlite3_clear_bindings(BZ_ST_LITE(st));
}
/* NULL is fine (as sqlite3_finalize) */
static inline int bz_st_finalize(bz_st *st)
{
	BZ_ST_OTHER(st, finalize(st));
	return sqlite3_finalize(BZ_ST_LITE(st));
}
static inline int bz_st_column_count(bz_st *st)
{
	BZ_ST_OTHER(st, column_count(st));
	return sqlite3_column_count(BZ_ST_LITE(st));
}
static inline int bz_st_column_type(bz_st *st, int i)
{
	BZ_ST_OTHER(st, column_type(st, i));
	return sqlite3_column_type(BZ_ST_LITE(st), i);
}
static inline bool bz_st_column_isnull(bz_st *st, int i)
{
	return bz_st_column_type(st, i) == BZ_ST_NULL;
}
static inline int64_t bz_st_column_int64(bz_st *st, int i)
{
	BZ_ST_OTHER(st, column_int64(st, i));
	return sqlite3_column_int64(BZ_ST_LITE(st), i);
}
static inline int bz_st_column_int(bz_st *st, int i)
{
	BZ_ST_OTHER(st, column_int64(st, i));
	return sqlite3_column_int(BZ_ST_LITE(st), i);
}
static inline const unsigned char *bz_st_column_text(bz_st *st, int i)
{
	BZ_ST_OTHER(st, column_text(st, i));
	return sqlite3_column_text(BZ_ST_LITE(st), i);
}
static inline const void *bz_st_column_blob(bz_st *st, int i)
{
	BZ_ST_OTHER(st, column_blob(st, i));
	return sqlite3_column_blob(BZ_ST_LITE(st), i);
}
static inline int bz_st_column_bytes(bz_st *st, int i)
{
	BZ_ST_OTHER(st, column_bytes(st, i));
	return sqlite3_column_bytes(BZ_ST_LITE(st), i);
}

#endif
