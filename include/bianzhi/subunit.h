/*
 * subunit.h: internal sub-units (内设机构: 科, 股, 室) of a unit. The number
 * of sub-units a unit may have is approved by document; each sub-unit is
 * set up, renamed, re-ranked and abolished by document, as change records
 * of its unit (they show in the unit's Table 2).
 *
 * Rules: R3 (sub-units in being ≤ the approved number, and each sub-unit
 * ranked below its unit, at every date from the change on — checked at
 * commit; raising a sub-unit's rank needs a document of the establishment
 * authority, checked right away), R6, R7 (within the unit's life).
 */
#ifndef BIANZHI_SUBUNIT_H
#define BIANZHI_SUBUNIT_H

#include "unit.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct bz_subunit bz_subunit;
typedef struct bz_subunit_iter bz_subunit_iter;

/**
 * Approve the number of sub-units (≥ 0) a unit may have from date on.
 * BZ_EINVAL for bad arguments, BZ_ENOTFOUND for an unknown unit.
 */
BZ_EXTERN int bz_subunit_approve(bz_txn *txn, const char *unit_uuid, int64_t count, const char *date);

/** The approved number at date (NULL: today); 0 if none approved. BZ_ENOTFOUND for an unknown unit. */
BZ_EXTERN int bz_subunit_approved(int64_t *out, bz_ledger *ledger, const char *unit_uuid, const char *date);

/**
 * Set up a sub-unit of a unit on date with a name and a rank (bz_rank).
 * *out (owned by the caller, bz_subunit_free(); may be NULL) is the new
 * sub-unit. BZ_EINVAL for bad arguments, BZ_ENOTFOUND for an unknown unit.
 */
BZ_EXTERN int bz_subunit_create(bz_subunit **out, bz_txn *txn, const char *unit_uuid, const char *name,
				int rank, const char *date);
/** Rename the sub-unit from date on. BZ_ENOTFOUND for an unknown sub-unit. */
BZ_EXTERN int bz_subunit_rename(bz_txn *txn, const char *subunit_uuid, const char *name, const char *date);
/**
 * Change the sub-unit's rank from date on. Raising it needs the
 * transaction's document to be an establishment-authority one (R3).
 */
BZ_EXTERN int bz_subunit_set_rank(bz_txn *txn, const char *subunit_uuid, int rank, const char *date);
/** Abolish the sub-unit on date; it no longer counts from that date. */
BZ_EXTERN int bz_subunit_abolish(bz_txn *txn, const char *subunit_uuid, const char *date);

/**
 * The sub-unit as it stood at date (NULL: today). BZ_ENOTFOUND if no such
 * sub-unit or not yet set up at date. *out owned by the caller.
 */
BZ_EXTERN int bz_subunit_lookup(bz_subunit **out, bz_ledger *ledger, const char *subunit_uuid, const char *date);

/**
 * The sub-units of a unit in being at date (NULL: today), in order of
 * setting up. *out owned by the caller (bz_subunit_iter_free()).
 */
BZ_EXTERN int bz_subunit_list(bz_subunit_iter **out, bz_ledger *ledger, const char *unit_uuid, const char *date);
/** Next sub-unit into *out (owned by the caller), or BZ_ITEROVER. */
BZ_EXTERN int bz_subunit_iter_next(bz_subunit **out, bz_subunit_iter *it);
BZ_EXTERN void bz_subunit_iter_free(bz_subunit_iter *it);

/* Fields; strings borrowed until bz_subunit_free(). */
BZ_EXTERN const char *bz_subunit_uuid(const bz_subunit *s);
/** UUID of its unit. */
BZ_EXTERN const char *bz_subunit_unit(const bz_subunit *s);
BZ_EXTERN const char *bz_subunit_name(const bz_subunit *s);
BZ_EXTERN int bz_subunit_rank(const bz_subunit *s);
BZ_EXTERN const char *bz_subunit_founded(const bz_subunit *s);
/** Date it was abolished if on or before the snapshot date, else NULL. */
BZ_EXTERN const char *bz_subunit_ended(const bz_subunit *s);
BZ_EXTERN const char *bz_subunit_as_of(const bz_subunit *s);
BZ_EXTERN void bz_subunit_free(bz_subunit *s);

#ifdef __cplusplus
}
#endif
#endif
