/*
 * ledger.h: opening and closing a ledger, and the handle's last error.
 *
 * A ledger is one SQLite database file (or ":memory:") holding every record
 * of one establishment office's books. One bz_ledger handle is one
 * connection; it is not to be used from two threads at once, but two
 * handles (in one process or two) may share a file: writers take turns.
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
#define BZ_SCHEMA_VERSION 2

/**
 * Open the ledger at path (a file name, or ":memory:" for a private
 * in-memory ledger). A new or empty file gets the current schema; a ledger
 * written by an older library is migrated forward inside one transaction.
 *
 * On success *out is a handle owned by the caller: close it with
 * bz_ledger_close(). On failure *out is NULL and the code says why:
 * BZ_ENOTLEDGER (not an SQLite file, or an SQLite file that is not a
 * ledger), BZ_ESCHEMA (written by a newer library), BZ_EIO (cannot open),
 * BZ_EBUSY, BZ_ENOMEM, BZ_EINVAL (NULL path, unknown flag, bad UTF-8).
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
 * Borrowed: valid until the next call on the handle. NULL gives a static
 * message.
 */
BZ_EXTERN const char *bz_ledger_errmsg(const bz_ledger *ledger);

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

#ifdef __cplusplus
}
#endif
#endif
