/*
 * leadership.h: leadership quotas (领导职数) of units and internal sub-units:
 * how many principal (正职) and deputy (副职) leaders they may have, and the
 * rank level of the principal post. Approved posts, not people; people are
 * appointed to them through appointment.h.
 *
 * Norms — the most principals and deputies a unit or sub-unit of a given
 * rank may be granted — differ by place, so they are data: the ledger's
 * norms table, with Longnan defaults, readable and replaceable here.
 *
 * Rules: R2 (leaders in post ≤ quota at every date from the change on,
 * checked at commit; a quota above the norm for the subject's rank is
 * refused right away), R6 (bz_authority_check "leadership": 职数调整 of a
 * 事业单位 of rank 副科 or above needs a city document, seed §5), R7.
 */
#ifndef BIANZHI_LEADERSHIP_H
#define BIANZHI_LEADERSHIP_H

#include "unit.h"

#ifdef __cplusplus
extern "C" {
#endif

/** What a norm applies to. */
typedef enum bz_norm_kind {
	BZ_NORM_UNIT = 1,   /**< 单位: a unit */
	BZ_NORM_SUBUNIT = 2 /**< 内设机构: an internal sub-unit (科/股/室) */
} bz_norm_kind;

typedef struct bz_leadership bz_leadership;

/**
 * Set the leadership quota of a unit or sub-unit (by UUID) from date on:
 * principal and deputy posts (each 0–99) and the rank level of the
 * principal post (a bz_rank, BZ_RANK_NONE if not fixed). Rests on the
 * transaction's document (R6). BZ_EINVAL for bad arguments, BZ_ENOTFOUND
 * if the UUID is no unit or sub-unit. A quota above the norm for the
 * subject's rank at date is an R2 violation (error) in the report.
 */
BZ_EXTERN int bz_leadership_set(bz_txn *txn, const char *subject_uuid, int principal, int deputy,
				int level, const char *date);

/**
 * The leadership quota of a unit or sub-unit at date (NULL: today), with
 * the leaders in post. *out owned by the caller (bz_leadership_free()).
 * BZ_ENOTFOUND if the UUID is no unit or sub-unit.
 */
BZ_EXTERN int bz_leadership_get(bz_leadership **out, bz_ledger *ledger, const char *subject_uuid,
				const char *date);
/** Subject UUID and date; borrowed until bz_leadership_free(). */
BZ_EXTERN const char *bz_leadership_subject(const bz_leadership *q);
BZ_EXTERN const char *bz_leadership_as_of(const bz_leadership *q);
/** Approved posts (0 if none approved). */
BZ_EXTERN int bz_leadership_principal_quota(const bz_leadership *q);
BZ_EXTERN int bz_leadership_deputy_quota(const bz_leadership *q);
/** Rank level of the principal post (bz_rank). */
BZ_EXTERN int bz_leadership_level(const bz_leadership *q);
/** Leaders in post at the date (from the appointments). */
BZ_EXTERN int bz_leadership_principals(const bz_leadership *q);
BZ_EXTERN int bz_leadership_deputies(const bz_leadership *q);
BZ_EXTERN void bz_leadership_free(bz_leadership *q);

/**
 * The norm for a unit or sub-unit (kind, a bz_norm_kind) of a rank: the
 * most principals and deputies it may be granted. BZ_ENOTFOUND if the
 * table has no row for that rank.
 */
BZ_EXTERN int bz_leadership_norm_get(int *principal, int *deputy, bz_ledger *ledger, int kind, int rank);

/**
 * Set the norm for kind and every rank from min_rank to max_rank (bz_rank
 * values, min ≤ max), replacing what the table said for those ranks.
 * Inside a transaction; takes effect for quotas set afterwards. BZ_EINVAL
 * for bad arguments.
 */
BZ_EXTERN int bz_leadership_norm_set(bz_txn *txn, int kind, int min_rank, int max_rank, int principal,
				     int deputy);

#ifdef __cplusplus
}
#endif
#endif
