/*
 * slip.h: usage slips (编制使用单, 控编单): the establishment office's
 * authorisation, issued before anyone is hired, for a number of posts of
 * one category of one unit, valid for a period. A slip reserves vacancies
 * from its issue; each hire consumes one; cancelling it or its expiry
 * frees the rest. Issuing a slip for more posts than the unit has vacant
 * is refused (R1): a full unit gets one only after someone leaves (出一进一).
 */
#ifndef BIANZHI_SLIP_H
#define BIANZHI_SLIP_H

#include "txn.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct bz_slip bz_slip;
typedef struct bz_slip_iter bz_slip_iter;

/** What the posts are for. */
typedef enum bz_purpose {
	BZ_PURPOSE_EXAM = 1,        /**< 考录 (civil-service examination) */
	BZ_PURPOSE_RECRUIT = 2,     /**< 招聘 (open recruitment) */
	BZ_PURPOSE_TRANSFER_IN = 3, /**< 调入 */
	BZ_PURPOSE_DEMOBILISED = 4, /**< 军转安置 (demobilised officers) */
	BZ_PURPOSE_OTHER = 9        /**< 其他 */
} bz_purpose;

/** State of a slip at a date. */
typedef enum bz_slip_phase {
	BZ_SLIP_LIVE = 1,      /**< 有效: valid, posts remain */
	BZ_SLIP_EXHAUSTED = 2, /**< 已用完: every post used */
	BZ_SLIP_EXPIRED = 3,   /**< 已过期: past its validity */
	BZ_SLIP_CANCELLED = 4  /**< 已作废: cancelled */
} bz_slip_phase;

/**
 * Issue a slip for posts (1 … BZ_COUNT_MAX) of category in unit, valid
 * from issued to valid_until inclusive (both within BZ_DATE_MIN …
 * BZ_DATE_MAX; BZ_EINVAL otherwise). number: the slip's own number, or NULL to have
 * one made ("<division code>-<year>-<sequence>"); unique (BZ_EEXISTS).
 * *out may be NULL; otherwise owned by the caller (bz_slip_free()).
 */
BZ_EXTERN int bz_slip_issue(bz_slip **out, bz_txn *txn, const char *unit_uuid, const char *category,
			    int posts, int purpose, const char *issued, const char *valid_until,
			    const char *number);
/**
 * Cancel the slip from date on: its unused posts are freed. BZ_EINVAL if it
 * is already cancelled or a hire against it is dated on or after date.
 */
BZ_EXTERN int bz_slip_cancel(bz_txn *txn, const char *slip_uuid, const char *date);

/** Look up by UUID; state and remaining posts as of today. */
BZ_EXTERN int bz_slip_lookup(bz_slip **out, bz_ledger *ledger, const char *uuid);
/** Look up by the slip's number. */
BZ_EXTERN int bz_slip_lookup_number(bz_slip **out, bz_ledger *ledger, const char *number);
/** The slips of a unit, by issue date. *out owned by the caller. */
BZ_EXTERN int bz_slip_list(bz_slip_iter **out, bz_ledger *ledger, const char *unit_uuid);
BZ_EXTERN int bz_slip_iter_next(bz_slip **out, bz_slip_iter *it);
BZ_EXTERN void bz_slip_iter_free(bz_slip_iter *it);

/* Fields; strings borrowed until bz_slip_free(). */
BZ_EXTERN const char *bz_slip_uuid(const bz_slip *s);
BZ_EXTERN const char *bz_slip_number(const bz_slip *s);
BZ_EXTERN const char *bz_slip_unit(const bz_slip *s);
BZ_EXTERN const char *bz_slip_category(const bz_slip *s);
BZ_EXTERN int bz_slip_posts(const bz_slip *s);
BZ_EXTERN int bz_slip_purpose(const bz_slip *s);
BZ_EXTERN const char *bz_slip_issued(const bz_slip *s);
BZ_EXTERN const char *bz_slip_valid_until(const bz_slip *s);
/** Cancellation date, NULL if not cancelled. */
BZ_EXTERN const char *bz_slip_cancelled(const bz_slip *s);
/** Posts used by hires so far. */
BZ_EXTERN int bz_slip_used(const bz_slip *s);
/** Posts still reserved today (0 unless live). */
BZ_EXTERN int bz_slip_remaining(const bz_slip *s);
/** One of bz_slip_phase, today. */
BZ_EXTERN int bz_slip_state(const bz_slip *s);
BZ_EXTERN void bz_slip_free(bz_slip *s);

#ifdef __cplusplus
}
#endif
#endif
