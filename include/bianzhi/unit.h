/*
 * unit.h: units (单位 / 机构) and their lifecycle.
 *
 * A unit is established on a date by a document, then renamed, re-ranked,
 * re-funded, re-affiliated, merged into another, split or abolished — each
 * a change record (see change.h) with its document and effective date. What
 * a unit looked like at any date is a bz_unit snapshot.
 *
 * Rules checked: R6 (the document must be a basis and its issuer must have
 * the authority: a county document cannot establish, merge, rename or
 * re-quota a public institution of rank 副科 or above), R7 (no change
 * before founding or after abolition), R10 (credit codes).
 */
#ifndef BIANZHI_UNIT_H
#define BIANZHI_UNIT_H

#include "jurisdiction.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct bz_unit bz_unit;
typedef struct bz_unit_spec bz_unit_spec;
typedef struct bz_unit_iter bz_unit_iter;

/** Nature (单位性质). Bit values, so a category can name several. */
typedef enum bz_nature {
	BZ_NATURE_ORGAN = 1,       /**< 行政机关 */
	BZ_NATURE_INSTITUTION = 2, /**< 事业单位 */
	BZ_NATURE_MASS = 4,        /**< 群众团体 */
	BZ_NATURE_PARTY = 8        /**< 民主党派 */
} bz_nature;

/** Funding form (经费形式). */
typedef enum bz_funding {
	BZ_FUNDING_FULL = 1,      /**< 全额拨款 */
	BZ_FUNDING_BALANCE = 2,   /**< 差额补贴 */
	BZ_FUNDING_SELF = 3,      /**< 自收自支 (经费自理) */
	BZ_FUNDING_ENTERPRISE = 4 /**< 企业化管理 */
} bz_funding;

/** Rank (规格); a larger value is a higher rank. */
typedef enum bz_rank {
	BZ_RANK_NONE = 0,      /**< 未定级 */
	BZ_RANK_FUGU = 1,      /**< 副股 */
	BZ_RANK_ZHENGGU = 2,   /**< 正股 */
	BZ_RANK_FUKE = 3,      /**< 副科 */
	BZ_RANK_ZHENGKE = 4,   /**< 正科 (乡) */
	BZ_RANK_FUCHU = 5,     /**< 副处 */
	BZ_RANK_ZHENGCHU = 6,  /**< 正处 (县) */
	BZ_RANK_FUTING = 7,    /**< 副厅 */
	BZ_RANK_ZHENGTING = 8, /**< 正厅 */
	BZ_RANK_FUBU = 9,      /**< 副部 */
	BZ_RANK_ZHENGBU = 10   /**< 正部 */
} bz_rank;

/** Where a unit stands at a date. */
typedef enum bz_unit_state {
	BZ_UNIT_ACTIVE = 1,    /**< 存续: in being */
	BZ_UNIT_ABOLISHED = 2, /**< 撤销 */
	BZ_UNIT_MERGED = 3     /**< 合并 into another unit */
} bz_unit_state;

/** Chinese name of a rank ("正科"), nature, funding; static, "" if unknown. */
BZ_EXTERN const char *bz_rank_name(int rank);
BZ_EXTERN const char *bz_nature_name(int nature);
BZ_EXTERN const char *bz_funding_name(int funding);

/**
 * Validate a unified social credit code (统一社会信用代码, GB 32100): 18
 * characters of its alphabet, digits in positions 3–8 (the registering
 * authority's division code), the GB 11714 organisation code check inside
 * it and the final check character. BZ_OK or BZ_EINVAL.
 */
BZ_EXTERN int bz_credit_code_valid(const char *code);

/*
 * A unit spec: what a new unit is established with. Set the fields, pass it
 * to bz_unit_establish() or bz_unit_split(), free it. Required: name,
 * nature, jurisdiction, founded. Defaults: funding full, rank none, not 参公,
 * no parent, no credit code, no duties. Setters copy their arguments and
 * return BZ_EINVAL for values out of range or bad text.
 */
BZ_EXTERN int bz_unit_spec_new(bz_unit_spec **out);
BZ_EXTERN void bz_unit_spec_free(bz_unit_spec *spec);
BZ_EXTERN int bz_unit_spec_set_name(bz_unit_spec *spec, const char *name);
BZ_EXTERN int bz_unit_spec_set_nature(bz_unit_spec *spec, int nature);
BZ_EXTERN int bz_unit_spec_set_funding(bz_unit_spec *spec, int funding);
BZ_EXTERN int bz_unit_spec_set_rank(bz_unit_spec *spec, int rank);
/** Managed like the civil service (参公): 0 or 1. */
BZ_EXTERN int bz_unit_spec_set_canzong(bz_unit_spec *spec, int canzong);
/** Supervising unit (隶属关系) by UUID, or NULL for none. */
BZ_EXTERN int bz_unit_spec_set_parent(bz_unit_spec *spec, const char *parent_uuid);
/** 6-digit division code of the unit's jurisdiction. */
BZ_EXTERN int bz_unit_spec_set_jurisdiction(bz_unit_spec *spec, const char *code);
/**
 * Unified social credit code, or NULL for a unit that has none yet.
 * BZ_EINVAL unless it has the GB 32100 shape: 18 characters of its
 * alphabet (lower case taken as upper), positions 3–8 digits; its check
 * characters are R10's, at commit.
 */
BZ_EXTERN int bz_unit_spec_set_credit_code(bz_unit_spec *spec, const char *code);
BZ_EXTERN int bz_unit_spec_set_duties(bz_unit_spec *spec, const char *duties);
/** Founding date (成立). */
BZ_EXTERN int bz_unit_spec_set_founded(bz_unit_spec *spec, const char *date);

/**
 * Establish (成立) a unit, resting on the transaction's document. BZ_EINVAL
 * if a required field is missing, the jurisdiction or parent is unknown
 * (BZ_ENOTFOUND), the credit code is malformed; BZ_EEXISTS if the credit
 * code is taken. Rule violations (R6, R10 check character) are reported at
 * commit. *out (owned by the caller, bz_unit_free()) is the unit as of its
 * founding date; may be NULL.
 */
BZ_EXTERN int bz_unit_establish(bz_unit **out, bz_txn *txn, const bz_unit_spec *spec);

/**
 * List a credit code as a legal exception (an early pilot code that fails
 * the check characters yet is in use), inside a transaction; code must have
 * the GB 32100 shape (18 characters of its alphabet, positions 3–8
 * digits), else BZ_EINVAL;
 * BZ_EEXISTS if already listed. note (may be NULL) says why.
 */
BZ_EXTERN int bz_credit_code_exception_add(bz_txn *txn, const char *code, const char *note);

/** Rename (更名) the unit from date on. */
BZ_EXTERN int bz_unit_rename(bz_txn *txn, const char *unit_uuid, const char *name, const char *date);
/** Change the unit's rank (规格) from date on. */
BZ_EXTERN int bz_unit_set_rank(bz_txn *txn, const char *unit_uuid, int rank, const char *date);
/** Change the unit's funding form from date on. */
BZ_EXTERN int bz_unit_set_funding(bz_txn *txn, const char *unit_uuid, int funding, const char *date);
/** Change the supervising unit (NULL: none) from date on. */
BZ_EXTERN int bz_unit_set_parent(bz_txn *txn, const char *unit_uuid, const char *parent_uuid, const char *date);
/** Change the main duties (主要职责) from date on. */
BZ_EXTERN int bz_unit_set_duties(bz_txn *txn, const char *unit_uuid, const char *duties, const char *date);
/**
 * Give the unit the unified social credit code (统一社会信用代码) code from
 * date on: a unit founded without one, or whose code was reassigned. A
 * change record of the unit ("unit.credit_code", 赋码), resting on the
 * transaction's document (R6: issuer kinds "issuers.credit_code", default
 * "1", the establishment office as 登记管理机关). code: the GB 32100 shape
 * (18 characters of its alphabet, lower case taken as upper, positions 3–8
 * digits), else BZ_EINVAL; its check characters and its second character
 * against the unit's nature are R10's, at commit (refused, nothing
 * written). BZ_EEXISTS if another unit holds code; BZ_EINVAL if the unit
 * already holds it, or date is not a valid date (BZ_DATE_MIN to
 * BZ_DATE_MAX); BZ_ENOTFOUND for an unknown unit; R7 refuses a date before
 * the founding or after the end. The ledger's code then reads as code in
 * bz_unit_lookup() from date on (before date: the code it had) and
 * bz_unit_lookup_credit_code() finds the unit by it; a registration that
 * states another code is out of step (R12, flagged past
 * "registration.grace_days"). Since 1.2.
 */
BZ_EXTERN int bz_unit_set_credit_code(bz_txn *txn, const char *unit_uuid, const char *code, const char *date);
/**
 * Merge (合并) unit into another unit on date: unit ceases (status
 * BZ_UNIT_MERGED); into goes on. Moving establishment and staff is done by
 * their own calls in the same transaction.
 */
BZ_EXTERN int bz_unit_merge(bz_txn *txn, const char *unit_uuid, const char *into_uuid, const char *date);
/**
 * Split (分设) a new unit off from_uuid, founded on the spec's founding date;
 * from_uuid goes on. Both units' records note the split.
 */
BZ_EXTERN int bz_unit_split(bz_unit **out, bz_txn *txn, const char *from_uuid, const bz_unit_spec *spec);
/** Abolish (撤销) the unit on date. Nothing may change it afterwards (R7). */
BZ_EXTERN int bz_unit_abolish(bz_txn *txn, const char *unit_uuid, const char *date);

/**
 * The unit as it stood at date (NULL: today). BZ_ENOTFOUND if there is no
 * such unit, or it was not yet founded at date. A unit abolished or merged
 * before date is found, with that status. *out owned by the caller.
 */
BZ_EXTERN int bz_unit_lookup(bz_unit **out, bz_ledger *ledger, const char *uuid, const char *date);
/** Look up by unified social credit code, as of date (NULL: today). */
BZ_EXTERN int bz_unit_lookup_credit_code(bz_unit **out, bz_ledger *ledger, const char *code, const char *date);
/**
 * Look up by the name the unit bore at date (NULL: today), within the
 * jurisdiction (division code, or NULL for any). BZ_ENOTFOUND if none,
 * BZ_EEXISTS if the name is ambiguous.
 */
BZ_EXTERN int bz_unit_lookup_name(bz_unit **out, bz_ledger *ledger, const char *jurisdiction_code,
				  const char *name, const char *date);

/**
 * The units of a jurisdiction in being at date (NULL: today), by name.
 * *out owned by the caller (bz_unit_iter_free()).
 */
BZ_EXTERN int bz_unit_list(bz_unit_iter **out, bz_ledger *ledger, const char *jurisdiction_code, const char *date);
/** Next unit into *out (owned by the caller), or BZ_ITEROVER. */
BZ_EXTERN int bz_unit_iter_next(bz_unit **out, bz_unit_iter *it);
BZ_EXTERN void bz_unit_iter_free(bz_unit_iter *it);

/* Fields of a snapshot. Strings borrowed until bz_unit_free(). */
BZ_EXTERN const char *bz_unit_uuid(const bz_unit *u);
BZ_EXTERN const char *bz_unit_name(const bz_unit *u);
BZ_EXTERN int bz_unit_nature(const bz_unit *u);
BZ_EXTERN int bz_unit_funding(const bz_unit *u);
BZ_EXTERN int bz_unit_rank(const bz_unit *u);
BZ_EXTERN int bz_unit_canzong(const bz_unit *u);
/** Supervising unit's UUID, NULL if none. */
BZ_EXTERN const char *bz_unit_parent(const bz_unit *u);
/** Division code of its jurisdiction. */
BZ_EXTERN const char *bz_unit_jurisdiction(const bz_unit *u);
/** NULL if it has none. */
BZ_EXTERN const char *bz_unit_credit_code(const bz_unit *u);
BZ_EXTERN const char *bz_unit_duties(const bz_unit *u);
BZ_EXTERN const char *bz_unit_founded(const bz_unit *u);
/** Date it ceased (abolished or merged), NULL while in being at the snapshot date. */
BZ_EXTERN const char *bz_unit_ended(const bz_unit *u);
/** One of bz_unit_state, at the snapshot date. */
BZ_EXTERN int bz_unit_status(const bz_unit *u);
/** The unit it was merged into, NULL unless merged. */
BZ_EXTERN const char *bz_unit_merged_into(const bz_unit *u);
/** The snapshot's date. */
BZ_EXTERN const char *bz_unit_as_of(const bz_unit *u);
BZ_EXTERN void bz_unit_free(bz_unit *u);

/**
 * Set (value non-NULL) or clear (NULL) the attribute key of a unit from
 * date on (NULL: today): what a sheet holds that the ledger has no field
 * for (规范简称, 主要职责 notes …). key: non-empty UTF-8. Since 1.1.
 */
BZ_EXTERN int bz_unit_set_attr(bz_txn *txn, const char *unit_uuid, const char *key, const char *value,
			       const char *date);
/**
 * The unit's attribute key in force at date (NULL: today) into *out (owned
 * by the caller, bz_free()); *out NULL and BZ_OK if unset. Since 1.1.
 */
BZ_EXTERN int bz_unit_attr_get(char **out, bz_ledger *ledger, const char *unit_uuid, const char *key,
			       const char *date);

#ifdef __cplusplus
}
#endif
#endif
