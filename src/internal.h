/*
 * internal.h: private declarations shared by the library's source files.
 * Nothing here is part of the ABI.
 */
#ifndef BZ_INTERNAL_H
#define BZ_INTERNAL_H

#include "bianzhi.h"

#include <sqlite3.h>
#include <stdarg.h>
#include <stdbool.h>

#define BZ_INTERNAL __attribute__((visibility("hidden")))
#define BZ_ERRMSG_MAX 512

/* ---- objects that die with their ledger ------------------------------ */

/*
 * Iterators and transactions hold statements of their ledger. They link
 * themselves into the ledger's list of children; bz_ledger_close() calls
 * detach() on each so that a handle outliving its ledger fails cleanly
 * (BZ_EMISUSE) instead of touching freed memory.
 */
typedef struct bz_child {
	struct bz_child *prev, *next;
	void (*detach)(struct bz_child *self);
} bz_child;

/* about 95 static statements today: room to grow before the cache evicts */
#define BZ_STMT_CACHE 256

struct bz_ledger {
	sqlite3 *db;
	char errmsg[BZ_ERRMSG_MAX];
	char clock[BZ_DATE_LEN + 1]; /* "" = system clock */
	bz_child children;           /* sentinel of a circular list */
	struct bz_txn *txn;          /* the open transaction, or NULL */
	bool readonly;
	struct {
		const char *sql; /* key: address of a static string */
		sqlite3_stmt *stmt;
	} cache[BZ_STMT_CACHE];
	int ncache;
	int evict; /* where the next replacement in a full cache is looked for */
	bz_progress_fn progress; /* bz_ledger_set_progress(), or NULL */
	void *progress_ctx;
};

BZ_INTERNAL void bz_child_link(bz_ledger *l, bz_child *c, void (*detach)(bz_child *));
BZ_INTERNAL void bz_child_unlink(bz_child *c);

/* ---- errors ---------------------------------------------------------- */

/* Set the handle's message and return code (so: return bz_fail(l, ...)). */
BZ_INTERNAL int bz_fail(bz_ledger *l, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Map an SQLite result to a status, recording sqlite's message. */
BZ_INTERNAL int bz_sqlfail(bz_ledger *l, int rc);
/* Record success on the handle. */
BZ_INTERNAL int bz_ok(bz_ledger *l);
/* Tell the caller's progress function how far a long job is (nothing if none is set). */
BZ_INTERNAL void bz_progress(bz_ledger *l, const char *what, int64_t done);

/* ---- statements ------------------------------------------------------ */

/*
 * A prepared statement for a static SQL string, prepared once per ledger and
 * reused: key is the address of the string, so pass a string literal or a
 * static const char[]. Returns NULL (with the error set) on failure. The
 * statement comes reset with bindings cleared.
 */
BZ_INTERNAL sqlite3_stmt *bz_stmt(bz_ledger *l, const char *sql);
/* Run a statement without result rows; resets it. Returns a status. */
BZ_INTERNAL int bz_step_done(bz_ledger *l, sqlite3_stmt *st);
/* Run a bound statement for whether it gives a row (*yes); resets it. Returns a status. */
BZ_INTERNAL int bz_step_exists(bz_ledger *l, sqlite3_stmt *st, bool *yes);
/* Execute plain SQL text (no parameters, e.g. SAVEPOINT). */
BZ_INTERNAL int bz_exec(bz_ledger *l, const char *sql);
/* Bind a text (or NULL) parameter; SQLITE_TRANSIENT copy. */
BZ_INTERNAL int bz_bind_text(sqlite3_stmt *st, int i, const char *s);
/* A copy of column i as a malloc'd string (NULL for SQL NULL); *ok false on OOM. */
BZ_INTERNAL char *bz_col_strdup(sqlite3_stmt *st, int i, bool *ok);

/* ---- values ---------------------------------------------------------- */

BZ_INTERNAL bool bz_utf8_valid(const char *s);
/* Non-NULL, non-empty, valid UTF-8. */
BZ_INTERNAL bool bz_text_ok(const char *s);
/* A date the API accepts: a real date within BZ_DATE_MIN … BZ_DATE_MAX. */
BZ_INTERNAL bool bz_date_ok(const char *s);
/* A real date of the calendar, years 0001–9999 (an ID number's birth date, judged later by R10). */
BZ_INTERNAL bool bz_date_calendar_ok(const char *s);
/* Fill buf (37 bytes) with a fresh random UUID. */
BZ_INTERNAL void bz_uuid_new(char buf[BZ_UUID_LEN + 1]);
BZ_INTERNAL bool bz_uuid_ok(const char *s);
/* date itself, or (date NULL) today written into buf and buf returned. */
BZ_INTERNAL const char *bz_date_or_today(bz_ledger *l, const char *date, char buf[BZ_DATE_LEN + 1]);
/* Today as the ledger sees it into buf (11 bytes). */
BZ_INTERNAL void bz_today(bz_ledger *l, char buf[BZ_DATE_LEN + 1]);
/* "YYYY-MM-DDTHH:MM:SS" of the ledger's clock, into buf (20 bytes). */
BZ_INTERNAL void bz_now_stamp(bz_ledger *l, char buf[20]);
BZ_INTERNAL char *bz_strdup(const char *s);
/* Add days to a date (both "YYYY-MM-DD"); buf 11 bytes. */
BZ_INTERNAL void bz_date_add_days(char buf[BZ_DATE_LEN + 1], const char *date, int days);

/* ---- the schema ------------------------------------------------------ */

/* ledger files carry this in the SQLite header: "BZL1" (schema.c, backup.c) */
#define BZ_APPLICATION_ID 0x425A4C31
/* Create or migrate the schema of a freshly opened connection. */
BZ_INTERNAL int bz_schema_prepare(bz_ledger *l);

/* ---- transactions ---------------------------------------------------- */

/*
 * Things a transaction touched, which the check engine re-examines at
 * commit (and the full check examines for every subject of the ledger).
 * from is the earliest effective date the transaction changed for that
 * subject: the check covers every state from that date on.
 */
typedef enum bz_touch_kind {
	BZ_TOUCH_UNIT_CAT = 1,  /* id = unit, aux = category code: R1, R11 */
	BZ_TOUCH_JUR_BRANCH,    /* id = jurisdiction, aux = "1"/"2": R4, R9 */
	BZ_TOUCH_LEADERS,       /* id = unit or sub-unit, aux = NULL: R2 */
	BZ_TOUCH_SUBUNITS,      /* id = unit: R3 */
	BZ_TOUCH_PERSON,        /* id = person: R5 */
	BZ_TOUCH_UNIT_LIFE,     /* id = unit: R7 (records outside its life) */
	BZ_TOUCH_KINDS
} bz_touch_kind;

typedef struct bz_touch {
	int kind;
	char *id;
	char *aux;
	char from[BZ_DATE_LEN + 1];
	char *doc; /* document of the change that touched it (may be NULL) */
} bz_touch;

struct bz_violation {
	int rule;
	int severity;
	char *subject, *subject_name, *category;
	int64_t allowed, actual;
	char *document, *document_number;
	char *date;
	char *message;
	char *excepted; /* UUID of the document granting an exception, or NULL */
};

struct bz_report {
	struct bz_violation *v;
	size_t n, cap;
	size_t errors, warnings;
};

/* What the rules need of a document, loaded once (bz_txn_set_document). */
typedef struct bz_docinfo {
	char uuid[BZ_UUID_LEN + 1]; /* "" when no document is set */
	char date[BZ_DATE_LEN + 1];
	char *number, *issuer, *jurisdiction; /* division code or NULL */
	int level, kind;
} bz_docinfo;

/*
 * A rise of use (in post, reserved, frozen) of unit × category over
 * [from, to) (to "" = for ever) made by the transaction: R1 compares the
 * state on every such date with the establishment of that date.
 */
typedef struct bz_rise {
	char unit[BZ_UUID_LEN + 1];
	char category[24];
	char from[BZ_DATE_LEN + 1], to[BZ_DATE_LEN + 1];
} bz_rise;

/*
 * Counter deltas of a transaction, written once per key and date segment
 * when the counters are next read (at commit, or by a getter): a step of
 * +delta at a date per key, in an open-addressing table; the undo list
 * takes back the steps of a change that fails.
 */
typedef struct bz_tl_step {
	char *key; /* NULL: free slot */
	char date[BZ_DATE_LEN + 1];
	int64_t delta;
} bz_tl_step;
typedef struct bz_tl_undo {
	size_t slot;
	int64_t delta;
} bz_tl_undo;
#define BZ_TL_MAX_NESTING 16
typedef struct bz_tl_pending {
	bz_tl_step *slot;
	size_t cap, n; /* slots, slots used */
	bz_tl_undo *undo;
	size_t nundo, capundo;
	size_t mark[BZ_TL_MAX_NESTING]; /* nundo when each open change began */
	int depth;
} bz_tl_pending;

struct bz_txn {
	bz_child child;
	bz_ledger *l;
	char *user, *office;
	char *doc; /* current document UUID or NULL */
	char *cutover; /* an opening (opening.h): its cut-over date; NULL for an ordinary transaction */
	bz_docinfo docinfo; /* that document, loaded once */
	bool open;
	long long txn_no; /* rowid in txn_log, groups the change records */
	char uuid[BZ_UUID_LEN + 1]; /* its identity (txn_id), bz_txn_uuid() */
	long long first_event; /* the transaction's events have ids from this on (append-only, one writer) */
	bz_touch *touch;
	size_t ntouch, captouch;
	size_t *touch_slot; /* open-addressing index of touch (slot: index + 1, 0 empty) */
	size_t touch_cap, touch_indexed; /* slots (a power of two); touches [0, touch_indexed) indexed */
	bz_rise *rise;
	size_t nrise, caprise;
	bz_report report;
	int savepoint_depth;
	size_t mark_report, mark_touch, mark_rise; /* sizes when the outermost change began */
	bz_tl_pending tl; /* counter deltas not yet written (timeline.c) */
	int writers; /* file writers open on it (archive.c): the commit waits for them */
};

/* Violations. Strings are copied; pass NULL / -1 for fields that do not apply. */
BZ_INTERNAL int bz_report_add(bz_report *r, int rule, int severity,
			      const char *subject, const char *subject_name,
			      const char *category, int64_t allowed, int64_t actual,
			      const char *document, const char *document_number,
			      const char *date, const char *fmt, ...)
	__attribute__((format(printf, 12, 13)));
BZ_INTERNAL void bz_report_clear(bz_report *r);
BZ_INTERNAL bz_report *bz_report_new(void);

/* Mark the last violation of the report as excepted by a document (copied). */
BZ_INTERNAL int bz_report_set_excepted(bz_report *r, const char *doc);

/* Record that the transaction touched a subject from a date on. */
BZ_INTERNAL int bz_txn_touch(bz_txn *t, int kind, const char *id, const char *aux, const char *from);
/* Record that the transaction raised the use of unit × category over [from, to) (to NULL: for ever). */
BZ_INTERNAL int bz_txn_rise(bz_txn *t, const char *unit, const char *category, const char *from, const char *to);

/*
 * Every public change function runs between bz_change_begin() and
 * bz_change_end(): a savepoint, so a change that fails half-way leaves
 * nothing. begin checks the transaction is open (BZ_EMISUSE otherwise).
 * end releases the savepoint on rc == BZ_OK, rolls back to it otherwise,
 * and returns rc.
 */
BZ_INTERNAL int bz_change_begin(bz_txn *t);
BZ_INTERNAL int bz_change_end(bz_txn *t, int rc);

/*
 * Write one change record (an event of Table 2) and return its id in
 * *event_id. kind is the event kind ("unit.establish", "est.set", …),
 * subject its subject UUID, unit the unit whose Table 2 it belongs to (may
 * equal subject, may be NULL for jurisdiction-level events), effective its
 * date. The document is the transaction's current one (NULL if none: R6
 * finds it at commit).
 */
BZ_INTERNAL int bz_event_write(bz_txn *t, long long *event_id, const char *kind,
			       const char *subject, const char *unit,
			       const char *effective, const char *note);
/*
 * One attribute of an event: subject's attr becomes after (text, NULL for
 * "cleared") from the event's effective date on; the value before is looked
 * up and kept. These facts are the attribute timelines.
 */
BZ_INTERNAL int bz_fact_write(bz_txn *t, long long event_id, const char *subject,
			      const char *attr, const char *effective, const char *after);
/* The first fact of an attribute of a subject created by this very event (a
 * new person, placement, card): no value before, so none is looked up. */
BZ_INTERNAL int bz_fact_write_first(bz_txn *t, long long event_id, const char *subject,
				    const char *attr, const char *effective, const char *after);

/*
 * Value of subject's attr as of date (NULL date = no limit): a malloc'd
 * string in *out, or NULL if never set. BZ_OK even when never set.
 */
BZ_INTERNAL int bz_fact_at(bz_ledger *l, char **out, const char *subject, const char *attr, const char *date);
/* Integer variant; *out = dflt if never set (or cleared). */
BZ_INTERNAL int bz_fact_int_at(bz_ledger *l, int64_t *out, const char *subject, const char *attr, const char *date, int64_t dflt);
/*
 * Effective date of the next change of subject's attr strictly after date,
 * into buf (11 bytes); *found false if none.
 */
BZ_INTERNAL int bz_fact_next(bz_ledger *l, char buf[BZ_DATE_LEN + 1], bool *found,
			     const char *subject, const char *attr, const char *date);

/* ---- numeric timelines (derived counters) ------------------------------ */

/*
 * A timeline is a step function of integers keyed by a string (for example
 * "U:<unit>:staff:<cat>"), stored as its value at each breakpoint. It is
 * derived data (rebuilt from the records if ever needed), kept so that a
 * check looks only at what it needs, never at the whole ledger.
 *
 * bz_tl_add adds delta over [from, to) (to NULL = for ever). Inside a
 * transaction the delta is kept in the transaction (bz_tl_pending) and
 * written by bz_tl_sync(), once per key and date segment however many
 * changes added to it; every reader of the tl table syncs first.
 */
BZ_INTERNAL int bz_tl_add(bz_ledger *l, const char *key, const char *from, const char *to, int64_t delta);
/* Write the open transaction's pending counter deltas (no-op without any). */
BZ_INTERNAL int bz_tl_sync(bz_ledger *l);
/* A change begins (BZ_ERROR past BZ_TL_MAX_NESTING), or ends: keep its steps (ok) or take them back. */
BZ_INTERNAL int bz_tl_change_begin(bz_txn *t);
BZ_INTERNAL void bz_tl_change_end(bz_txn *t, bool ok);
/* Forget every pending step (the transaction ends). */
BZ_INTERNAL void bz_tl_pending_clear(bz_tl_pending *p);
/* Value at date (0 before the first breakpoint). */
BZ_INTERNAL int bz_tl_at(bz_ledger *l, int64_t *out, const char *key, const char *date);
/*
 * A counter's history over [from, until] read with one range scan: its
 * breakpoints from the last one on or before `from` up to `until` (NULL:
 * for ever). bz_series_at gives the value at a date; asked in date order
 * with one cursor (start at 0) it walks the series once.
 */
typedef struct bz_series {
	size_t n, cap;
	char (*date)[BZ_DATE_LEN + 1];
	int64_t *value;
} bz_series;
BZ_INTERNAL int bz_series_load(bz_ledger *l, bz_series *s, const char *key, const char *from, const char *until);
BZ_INTERNAL int64_t bz_series_at(const bz_series *s, const char *date, size_t *cursor);
BZ_INTERNAL void bz_series_free(bz_series *s);

/* ---- generic iterators -------------------------------------------------- */

/*
 * Every public iterator is a bz_iter underneath: a statement of its own
 * (not cached) and a function that turns the current row into the public
 * object. make returns a status and an object in *out.
 */
typedef int (*bz_iter_make)(void **out, sqlite3_stmt *st, bz_ledger *l);
typedef struct bz_iter {
	bz_child child;
	bz_ledger *l;
	sqlite3_stmt *st;
	bz_iter_make make;
	bool done;
} bz_iter;

/* Prepare sql on l into a new iterator; caller binds with bz_iter_stmt(). */
BZ_INTERNAL int bz_iter_new(bz_iter **out, bz_ledger *l, const char *sql, bz_iter_make make);
BZ_INTERNAL int bz_iter_next(void **out, bz_iter *it);
BZ_INTERNAL void bz_iter_free(bz_iter *it);


/* ---- documents, jurisdictions, units (document.c, jurisdiction.c, unit.c) ---- */

/*
 * Write a change record of reference data (documents, jurisdictions, code
 * tables): no document is demanded (no R6), doc may be NULL or the record's
 * own subject (a document is its own basis).
 */
BZ_INTERNAL int bz_event_write_ref(bz_txn *t, long long *event_id, const char *kind, const char *subject,
				   const char *unit, const char *effective, const char *doc, const char *note);
/* Credit codes (creditcode.c). */
BZ_INTERNAL bool bz_credit_code_shape_ok(const char *code);   /* 18 chars of the GB 32100 alphabet, 3–8 digits */
BZ_INTERNAL bool bz_credit_code_checks_ok(const char *code);  /* both check characters right */
BZ_INTERNAL char bz_gb32100_check(const char *first17);
BZ_INTERNAL char bz_gb11714_check(const char *body8);

/* ---- staff (person.c, slip.c, placement.c, appointment.c) ---------------- */

/* Why an ID number is invalid as of `today` (static text), or NULL if it is valid (person.c). */
BZ_INTERNAL const char *bz_idnum_problem(const char *id_number, const char *today);

/* Apply a slip's reservation counters: delta over [from, the slip's end). */
BZ_INTERNAL int bz_slip_reserve(bz_txn *t, const char *slip, const char *from, int64_t delta);
/* The unit a leadership subject belongs to (leadership.c). */
BZ_INTERNAL int bz_leader_subject_unit(bz_ledger *l, const char *subject, char **unit, bool *is_sub);
/*
 * Add delta over [from, to) to a unit-category counter and its
 * jurisdiction-branch twin (what: a bz_counter of catalogue.h, BZ_CNT_STAFF
 * or BZ_CNT_RESV); a positive delta is a rise of use that R1 re-examines.
 */
BZ_INTERNAL int bz_staff_counter(bz_txn *t, int what, const char *unit, const char *category,
				 const char *from, const char *to, int64_t delta);

#endif
