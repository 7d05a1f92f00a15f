/*
 * change.h: change records (机构编制变更记录, Table 2 of the electronic
 * ledger). Every change any area makes is one record: its kind, subject,
 * effective date, document, when and by whom it was recorded, and the
 * attributes it changed with their values before and after. Records are
 * append-only: nothing is updated or deleted; a correction is a new record.
 *
 * Kinds are dotted names, e.g. "unit.establish", "unit.rename",
 * "unit.abolish", "establishment.set", "limit.set", "leadership.set",
 * "subunit.create", "slip.issue", "placement.enter", "placement.exit".
 */
#ifndef BIANZHI_CHANGE_H
#define BIANZHI_CHANGE_H

#include "txn.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct bz_change bz_change;
typedef struct bz_change_iter bz_change_iter;

/**
 * The change records of a unit (its Table 2), including those of its
 * sub-units, establishment, leadership quotas and staff, in order of
 * effective date and then of recording. *out owned by the caller
 * (bz_change_iter_free()).
 */
BZ_EXTERN int bz_unit_changes(bz_change_iter **out, bz_ledger *ledger, const char *unit_uuid);
/** The change records whose subject is uuid (any kind of subject), in the same order. */
BZ_EXTERN int bz_subject_changes(bz_change_iter **out, bz_ledger *ledger, const char *uuid);
/**
 * The change feed: every change record committed after the record numbered
 * seq (0: all), of any subject (units, jurisdictions, documents, persons,
 * slips, placements…), in commit order. Meant for the systems that link the
 * ledger (HR, payroll): remember the bz_change_seq() of the last record
 * read and ask again from it later.
 *
 * The guarantee, on either backend: a consumer that asks again from the
 * last number it read never misses and never repeats a record, whether the
 * writer is this handle, another handle, another process or (PostgreSQL)
 * many offices committing at once. A record of a transaction that was
 * rolled back or refused by the rules is never seen.
 *
 * In a file (SQLite): sequence numbers are given inside the write
 * transaction, as one more than the highest number in the ledger, and
 * SQLite lets one writer at a time write, so sequence order is commit order
 * and the committed numbers are always 1, 2, … N without a gap (the number
 * of a refused or rolled-back record is given again to the next committed
 * record, which the consumer has not seen either). Any seq >= 0 is taken: a
 * seq at or above the last gives nothing.
 *
 * On a PostgreSQL server: writers commit at once, and numbers are given
 * when a record is written, not when it commits, so they are unique but
 * neither gapless (a refused or rolled-back transaction's numbers are never
 * given again) nor increasing along the feed (an office that wrote first
 * and committed last has its lower numbers after the others'). The feed
 * follows commit order — the position of each record in the ledger's hash
 * chain, written at commit — so seq must be 0 or the number of a committed
 * record (one the feed gave, or bz_changes_last_seq()): BZ_ENOTFOUND
 * otherwise, the message naming the number. Never compare numbers to
 * decide what is newer there: ask the feed.
 *
 * The iterator yields only what was committed when it was created: records
 * this handle writes later, or writes in a transaction open at the time, are
 * not in it (they come in the next call). It streams (one row read per
 * bz_change_iter_next()), so memory stays flat however long the feed; while
 * it is alive and not at its end it holds a read snapshot of the ledger,
 * which keeps the WAL from being checkpointed past it: free it promptly.
 *
 * After bz_ledger_restore() (SQLite) the ledger's highest number can go
 * down, and the numbers after it are given again to new records: a consumer
 * that finds bz_changes_last_seq() below the last number it read must read
 * the ledger afresh.
 *
 * *out owned by the caller (bz_change_iter_free()). BZ_EINVAL for seq < 0;
 * BZ_ENOTFOUND (PostgreSQL) for a seq no committed record has. Since 1.1.
 */
BZ_EXTERN int bz_changes_since(bz_change_iter **out, bz_ledger *ledger, int64_t seq);
/**
 * The number of the record committed last into *out, 0 for an empty
 * ledger, so that a consumer can start "from now" with bz_changes_since().
 * In a file that is the highest number; on a PostgreSQL server the number
 * of the last record in commit order, which need not be the highest. A
 * transaction open on this handle does not count (its records are not
 * committed). Since 1.1.
 */
BZ_EXTERN int bz_changes_last_seq(int64_t *out, bz_ledger *ledger);
/** Next record into *out (owned by the caller, bz_change_free()), or BZ_ITEROVER. */
BZ_EXTERN int bz_change_iter_next(bz_change **out, bz_change_iter *it);
BZ_EXTERN void bz_change_iter_free(bz_change_iter *it);

/* Fields; strings borrowed until bz_change_free(). */
/**
 * Sequence number: unique in the ledger, the feed's position
 * (bz_changes_since()). In a file the order of recording and commit, 1 … N
 * without a gap; on a PostgreSQL server given when the record was written,
 * so neither gapless nor in commit order (the feed gives commit order).
 */
BZ_EXTERN int64_t bz_change_seq(const bz_change *c);
BZ_EXTERN const char *bz_change_kind(const bz_change *c);
BZ_EXTERN const char *bz_change_subject(const bz_change *c);
/** The unit whose Table 2 this belongs to; NULL for jurisdiction-level records. */
BZ_EXTERN const char *bz_change_unit(const bz_change *c);
BZ_EXTERN const char *bz_change_effective(const bz_change *c);
/** Document UUID and number; NULL if none. */
BZ_EXTERN const char *bz_change_document(const bz_change *c);
BZ_EXTERN const char *bz_change_document_number(const bz_change *c);
/** When it was recorded, "YYYY-MM-DDTHH:MM:SS", by whom and in which office. */
BZ_EXTERN const char *bz_change_recorded_at(const bz_change *c);
BZ_EXTERN const char *bz_change_recorded_by(const bz_change *c);
BZ_EXTERN const char *bz_change_office(const bz_change *c);
/** Free text kept with the record; NULL if none. */
BZ_EXTERN const char *bz_change_note(const bz_change *c);
/**
 * The ledger the record was made in (its identity, bz_ledger_identity()):
 * this ledger's own for a record made here, the county's for a record a
 * consolidation imported from a county's export (exchange.h). Since 1.1.
 */
BZ_EXTERN const char *bz_change_origin(const bz_change *c);
/** The sequence number the record has in its origin ledger (its bz_change_seq() there). Since 1.1. */
BZ_EXTERN int64_t bz_change_origin_seq(const bz_change *c);
/** Number of attributes the record changed. */
BZ_EXTERN size_t bz_change_attr_count(const bz_change *c);
/** Name, value before and after of the index-th attribute; NULL past the end (before/after NULL when unset). */
BZ_EXTERN const char *bz_change_attr_name(const bz_change *c, size_t index);
BZ_EXTERN const char *bz_change_attr_before(const bz_change *c, size_t index);
BZ_EXTERN const char *bz_change_attr_after(const bz_change *c, size_t index);
BZ_EXTERN void bz_change_free(bz_change *c);

#ifdef __cplusplus
}
#endif
#endif
