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
/** Next record into *out (owned by the caller, bz_change_free()), or BZ_ITEROVER. */
BZ_EXTERN int bz_change_iter_next(bz_change **out, bz_change_iter *it);
BZ_EXTERN void bz_change_iter_free(bz_change_iter *it);

/* Fields; strings borrowed until bz_change_free(). */
/** Sequence number: the order of recording, unique in the ledger. */
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
