/*
 * exchange.h: a ledger (or one jurisdiction's part of it) exported to one
 * portable file, and imported into another ledger — how a county sends its
 * books to the city, and how the city consolidates its counties. The file
 * format (JSON Lines, versioned) is documented in docs/exchange.md so that
 * other vendors can read and write it.
 *
 * Identities. Every record keeps its UUID. Every ledger has one of its own
 * (bz_ledger_identity(), made when the ledger is created or migrated to
 * schema 4), and every change record carries its origin: the ledger it was
 * made in and the sequence number it had there (bz_change_origin(),
 * bz_change_origin_seq(), change.h). An imported change record gets the
 * importing ledger's next sequence number (the change feed stays in commit
 * order there) and keeps its origin, so it is recognised when the same
 * file, or a later export of the same county, is imported again: importing
 * twice changes nothing, and a newer export adds only what is new.
 *
 * Natural keys. Ledgers built independently give the same thing different
 * UUIDs: each county registers 甘肃省, 陇南市 and the city's documents
 * itself. An imported record is the ledger's own when its natural key
 * matches — a jurisdiction by division code, a document by (issuer,
 * number), a category by code, a person by ID number, a card by number, a
 * usage slip by number, a credit-code exception by code, a leadership norm
 * by (kind, rank) — and its content agrees; the import then maps the file's
 * UUID onto the ledger's and rewrites every reference to it (records,
 * change records, attribute values). Its registration record is the
 * ledger's own registration, not a second one. When the content disagrees
 * (the same document number with another date or title, the same ID number
 * with another name, a unit whose credit code another unit holds, a change
 * record of the same origin that differs, an attribute the ledger already
 * gives another value on the same date) it is a conflict: nothing is ever
 * overwritten. A new placement whose entry record is not an entry into it
 * in its unit on its entry date, and a new entry record no placement of the
 * file names, are conflicts too (schema 14: a unit's entries are read
 * through their placements).
 *
 * All or nothing. An import reads and checks the whole file before it
 * writes, and writes in one transaction: a file that is malformed,
 * truncated (its trailer's counts disagree or it has none), of an unknown
 * format version, or that holds any conflict leaves the ledger exactly as
 * it was, and the outcome lists every conflict.
 *
 * Offices and transactions. The offices (office.h) of the jurisdictions
 * exported travel with their UUIDs and the record that registered them; an
 * office the ledger has under another UUID is matched by its name (then
 * its jurisdiction and kind must agree), so R15 judges the transactions
 * made after the import for the county's offices as the county's ledger
 * did. Every imported transaction keeps its identity (bz_txn_uuid()), so
 * bz_txn_committed() answers yes for it in the importing ledger too; a
 * transaction of the file the ledger has already gets its identity if it
 * had none (imported from an older file), and an identity the ledger gives
 * to another transaction is a conflict. The import itself is not a
 * transaction of bz_txn_begin(): it has no identity of its own, and what
 * it added is told by the outcome and by the change records' origins.
 *
 * Rules. Imported records were judged by the rules in the ledger where they
 * were made and are not judged again one by one (a county's hire is not
 * refused at the city because the city would have refused it). The counters
 * (Table 1, the limit ledgers, the rules' figures) are recomputed from the
 * records for every unit and jurisdiction the import touched, so the
 * ledger's own later changes are checked against the right figures and the
 * self-inspection finds no INTEGRITY violation; and, unless asked not to,
 * the full check (bz_ledger_check() at the ledger's today) runs after the
 * import and its counts are in the outcome, so that what the records break
 * together (a county's establishment over the quota limit the city set for
 * it, R4) is seen at once.
 *
 * Both report their progress to the function of bz_ledger_set_progress()
 * ("export" / "import", records written or read, every 1,000).
 */
#ifndef BIANZHI_EXCHANGE_H
#define BIANZHI_EXCHANGE_H

#include "ledger.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * The format named in the file's header, and the version this library
 * writes (and the newest it reads): 3 since 1.2, which added the record
 * types "unitcert" (unitcert.h) and "office" (office.h) and the
 * transactions' identities (the "uuid" of a "txn" line, bz_txn_uuid());
 * version 2 (the certificates alone, written by builds of 1.2 before the
 * offices) and version 1 files are read as before. A library that reads
 * only an older version refuses a version 3 file whole with BZ_ESCHEMA
 * (it never drops records it does not know).
 */
#define BZ_EXCHANGE_FORMAT "bianzhi-exchange"
#define BZ_EXCHANGE_VERSION 3

/** Flags of bz_ledger_import(). */
typedef enum bz_import_flag {
	BZ_IMPORT_NO_CHECK = 1, /**< do not run the full check after the import (its counts read -1) */
	BZ_IMPORT_DRY_RUN = 2   /**< read, map and look for conflicts, then write nothing */
} bz_import_flag;

/** The outcome of an export or an import: counts, and every conflict of a refused import. Opaque. */
typedef struct bz_exchange bz_exchange;

/**
 * The ledger's identity: a UUID made when the ledger was created (or, for a
 * ledger of an older schema, when it was migrated), kept by a backup and a
 * restore. *out owned by the caller (bz_free()). Since 1.1.
 */
BZ_EXTERN int bz_ledger_identity(char **out, bz_ledger *ledger);

/**
 * Export the ledger, or with jurisdiction_code (a division code) the part
 * of it under that jurisdiction, to a new file at path: the jurisdiction
 * and every jurisdiction under it, with all their records (quota limits,
 * units with their sub-units, establishment, frozen posts, hiring plans,
 * leadership quotas, usage slips, placements, appointments, exceptions, and
 * the people placed or appointed there with their cards), the jurisdictions
 * above it and the documents these records cite, the code tables and the
 * rule parameters, and every change record of them with its origin.
 * NULL: the whole ledger.
 *
 * The file is written in a deterministic order (docs/exchange.md), so two
 * exports of the same records differ only in the header (the export time,
 * and the exporting ledger's identity). It is written beside path and
 * moved into place when complete (mode 0600: it holds personal data);
 * a failed export leaves no file. The export reads one snapshot of the
 * ledger; others may go on writing.
 *
 * Errors: BZ_EEXISTS if path exists (never overwritten); BZ_ENOTFOUND for
 * an unknown division code; BZ_EMISUSE with a transaction open on this
 * handle; BZ_EIO if the file cannot be written (the message names it and
 * the cause); BZ_EINVAL for a NULL or empty path. *out (may be NULL: not
 * wanted) owned by the caller (bz_exchange_free()). Since 1.1.
 */
BZ_EXTERN int bz_ledger_export(bz_exchange **out, bz_ledger *ledger, const char *path,
			       const char *jurisdiction_code);

/**
 * Import the exchange file at path (made by bz_ledger_export() or by
 * another vendor to docs/exchange.md) into the ledger, in a transaction of
 * its own: every record not yet in the ledger is added (see the top of
 * this header for identities, natural keys and conflicts), the counters
 * are recomputed, and the full check runs (flags: bz_import_flag).
 *
 * BZ_OK: imported (or nothing new); *out says what was added. BZ_EINVAL
 * with conflicts: nothing written, *out lists every one. BZ_EINVAL without
 * an outcome: the file is not an exchange file, is malformed or truncated
 * (the message names the file, the line and the cause), or a line is longer
 * than 64 MiB, nests deeper than 64 levels or has an object of more than
 * 1,024 members (the reader's bounds: docs/exchange.md). BZ_ESCHEMA: the
 * file's format version is newer than this library's. BZ_EIO: the file
 * cannot be read. BZ_EMISUSE with a transaction open on this handle; BZ_EBUSY.
 * *out (may be NULL) owned by the caller (bz_exchange_free()). Since 1.1.
 */
BZ_EXTERN int bz_ledger_import(bz_exchange **out, bz_ledger *ledger, const char *path, unsigned flags);

/** The ledger named in the file's header (the exporting ledger's identity). */
BZ_EXTERN const char *bz_exchange_origin(const bz_exchange *x);
/** The scope: the division code of the jurisdiction exported, NULL for a whole ledger. */
BZ_EXTERN const char *bz_exchange_scope(const bz_exchange *x);
/** When the file was exported, "YYYY-MM-DDTHH:MM:SS" (the exporting ledger's clock). */
BZ_EXTERN const char *bz_exchange_exported_at(const bz_exchange *x);
/** Records in the file (written by an export, read by an import), header and trailer not counted. */
BZ_EXTERN int64_t bz_exchange_records(const bz_exchange *x);
/**
 * Records added to the ledger: rows and change records, transactions counted (0 for an export or a
 * refused import; for a dry run, what the import would add).
 */
BZ_EXTERN int64_t bz_exchange_added(const bz_exchange *x);
/** Change records added (part of bz_exchange_added()). */
BZ_EXTERN int64_t bz_exchange_changes_added(const bz_exchange *x);
/** Records the ledger already had, under the same identity (skipped). */
BZ_EXTERN int64_t bz_exchange_present(const bz_exchange *x);
/** Records found to be the ledger's own under another UUID (by natural key): mapped, references rewritten. */
BZ_EXTERN int64_t bz_exchange_mapped(const bz_exchange *x);
/**
 * Errors and warnings the full check found after the import; -1 when it did
 * not run (asked not to, a dry run, or the check itself failed — out of
 * memory — after the import had committed: the import is still BZ_OK; run
 * bz_ledger_check() again).
 */
BZ_EXTERN int64_t bz_exchange_check_errors(const bz_exchange *x);
BZ_EXTERN int64_t bz_exchange_check_warnings(const bz_exchange *x);
/** Number of conflicts (a refused import). */
BZ_EXTERN size_t bz_exchange_conflict_count(const bz_exchange *x);
/** The record kind of the index-th conflict ("document", "person", "change", …); NULL past the end. */
BZ_EXTERN const char *bz_exchange_conflict_kind(const bz_exchange *x, size_t index);
/** Its identity as the file gives it: the natural key where there is one (文号, ID number…), else the UUID. */
BZ_EXTERN const char *bz_exchange_conflict_identity(const bz_exchange *x, size_t index);
/** The field that differs ("date", "title", "name", …). */
BZ_EXTERN const char *bz_exchange_conflict_field(const bz_exchange *x, size_t index);
/** The ledger's value and the file's (NULL when one side has none). */
BZ_EXTERN const char *bz_exchange_conflict_ours(const bz_exchange *x, size_t index);
BZ_EXTERN const char *bz_exchange_conflict_theirs(const bz_exchange *x, size_t index);
/** The file's line holding the record (1 = the header); -1 past the end. */
BZ_EXTERN int64_t bz_exchange_conflict_line(const bz_exchange *x, size_t index);
BZ_EXTERN void bz_exchange_free(bz_exchange *x);

#ifdef __cplusplus
}
#endif
#endif
