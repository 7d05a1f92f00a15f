/*
 * establishment.h: establishment (编制) per unit and category, transfers
 * between units (划转), quota limits of jurisdictions (编制限额), the
 * categories code table, and the views derived from them: Table 1
 * (机构编制基本情况) of a unit at a date and the limit ledger (限额台账) of a
 * jurisdiction at a date.
 *
 * Establishment is set as an absolute figure per unit and category from a
 * date on; every change is a change record (see change.h) resting on the
 * transaction's document. Quota limits are set per jurisdiction and branch
 * (分账1 administrative, 分账2 institution); the total ledger (总账) is never
 * stored, it is always the sum of the two branches.
 *
 * Rules checked at commit for what a transaction touched:
 *  R1  people in post + posts reserved by live usage slips may not rise above
 *      establishment (an existing excess after a cut is only a warning:
 *      to be absorbed, 消化);
 *  R4  Σ establishment of a jurisdiction's units per branch ≤ its limit
 *      (a jurisdiction with no limit recorded for a branch is not checked);
 *  R6  the document must have the authority (bz_authority_check of the units
 *      area for units; a limit needs a document of a level above the
 *      jurisdiction's);
 *  R7  no change outside the unit's life; a retroactive change that makes a
 *      later entry or slip exceed establishment is refused under R7;
 *  R9  (warning) vacancies below 1% of administrative or 1.5% of institution
 *      establishment of a jurisdiction;
 *  R11 a category only in units of the natures it is for.
 */
#ifndef BIANZHI_ESTABLISHMENT_H
#define BIANZHI_ESTABLISHMENT_H

#include "unit.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The two branches of the establishment ledger. */
typedef enum bz_branch {
	BZ_BRANCH_TOTAL = 0,          /**< 总账: the sum of the two (queries only) */
	BZ_BRANCH_ADMINISTRATIVE = 1, /**< 分账1: 行政编制, 政法专项编制 … */
	BZ_BRANCH_INSTITUTION = 2     /**< 分账2: 事业编制, 工勤编制 … */
} bz_branch;

typedef struct bz_category bz_category;
typedef struct bz_category_iter bz_category_iter;
typedef struct bz_basic_table bz_basic_table;
typedef struct bz_limit_ledger bz_limit_ledger;

/* ---- categories (编制类别): a code table a ledger can extend -------------- */

/*
 * Every ledger starts with XZ 行政编制 (branch 1, organs, mass organisations,
 * parties), ZFZX 政法专项编制 (1, organs), SYCG 事业编制（参公） (2,
 * institutions), SY 事业编制 (2, institutions), GQ 工勤编制 (2, organs and
 * institutions).
 */

/**
 * Add a category, resting on the transaction's document (R6 if none).
 * code: 1–16 characters A–Z, 0–9 or '_'; name: non-empty UTF-8; branch
 * BZ_BRANCH_ADMINISTRATIVE or BZ_BRANCH_INSTITUTION; natures: a non-empty
 * OR of bz_nature bits naming the units that may use it (R11).
 * BZ_EINVAL for bad arguments, BZ_EEXISTS if the code or name is taken.
 */
BZ_EXTERN int bz_category_add(bz_txn *txn, const char *code, const char *name, int branch, int natures);

/** Look a category up by code. *out owned by the caller (bz_category_free()); BZ_ENOTFOUND. */
BZ_EXTERN int bz_category_lookup(bz_category **out, bz_ledger *ledger, const char *code);
/** Every category, by code. *out owned by the caller (bz_category_iter_free()). */
BZ_EXTERN int bz_category_list(bz_category_iter **out, bz_ledger *ledger);
/** Next category into *out (owned by the caller), or BZ_ITEROVER. */
BZ_EXTERN int bz_category_iter_next(bz_category **out, bz_category_iter *it);
BZ_EXTERN void bz_category_iter_free(bz_category_iter *it);

/* Fields; strings borrowed until bz_category_free(). */
BZ_EXTERN const char *bz_category_code(const bz_category *c);
BZ_EXTERN const char *bz_category_name(const bz_category *c);
/** BZ_BRANCH_ADMINISTRATIVE or BZ_BRANCH_INSTITUTION. */
BZ_EXTERN int bz_category_branch(const bz_category *c);
/** OR of bz_nature bits. */
BZ_EXTERN int bz_category_natures(const bz_category *c);
BZ_EXTERN void bz_category_free(bz_category *c);

/* ---- establishment of units ------------------------------------------- */

/**
 * Set the establishment of a unit in a category to posts (an absolute
 * figure, ≥ 0) from date on, until the next change already recorded for
 * that unit and category. Rests on the transaction's document.
 * BZ_EINVAL for bad arguments (NULL, bad date, posts < 0 or > BZ_COUNT_MAX, 10,000,000),
 * BZ_ENOTFOUND for an unknown unit or category.
 * Violations (R1, R4, R6, R7, R9, R11) are reported at commit or, for R6 and
 * R7, right away in the transaction's report.
 */
BZ_EXTERN int bz_establishment_set(bz_txn *txn, const char *unit_uuid, const char *category,
				   int64_t posts, const char *date);

/**
 * Transfer (划转) posts of a category from one unit to another on date:
 * from's establishment is cut by posts and to's raised by posts, two change
 * records in one change. posts > 0. BZ_EINVAL if from has fewer than posts
 * at date or from == to, or posts (or to's new figure) over BZ_COUNT_MAX;
 * BZ_ENOTFOUND for an unknown unit or category.
 */
BZ_EXTERN int bz_establishment_transfer(bz_txn *txn, const char *from_unit_uuid, const char *to_unit_uuid,
					const char *category, int64_t posts, const char *date);

/**
 * Freeze (冻结) posts of a unit's category from date on: `posts` is the new
 * number frozen (0 unfreezes all). Frozen posts count against the
 * establishment like posts in use — vacancy = establishment − in post −
 * reserved − frozen — so R1 refuses freezing what is not vacant and a hire
 * into frozen posts; rests on the transaction's document (R6). BZ_EINVAL
 * for a bad argument, BZ_ENOTFOUND for an unknown unit or category. Since 1.1.
 */
BZ_EXTERN int bz_establishment_freeze(bz_txn *txn, const char *unit_uuid, const char *category, int64_t posts,
				      const char *date);

/** Posts of a unit's category frozen at date (NULL = today) into *out. Since 1.1. */
BZ_EXTERN int bz_establishment_frozen_get(int64_t *out, bz_ledger *ledger, const char *unit_uuid,
					  const char *category, const char *date);

/**
 * Set a unit's annual hiring plan (用编计划) for a year: the most posts the
 * usage slips issued to it in that year may total (R8 at commit, on the
 * slips and on the plan). Rests on the transaction's document. posts is
 * 0 … BZ_COUNT_MAX, year 1949 … 9998 (BZ_EINVAL otherwise). Since 1.1.
 */
BZ_EXTERN int bz_hiring_plan_set(bz_txn *txn, const char *unit_uuid, int year, int64_t posts);

/** A unit's hiring plan for a year into *out, -1 if it has none. Since 1.1. */
BZ_EXTERN int bz_hiring_plan_get(int64_t *out, bz_ledger *ledger, const char *unit_uuid, int year);

/**
 * The establishment of a unit in a category at date (NULL: today); 0 if
 * never set. BZ_ENOTFOUND for an unknown unit or category.
 */
BZ_EXTERN int bz_establishment_get(int64_t *out, bz_ledger *ledger, const char *unit_uuid,
				   const char *category, const char *date);

/* ---- quota limits (编制限额) of jurisdictions --------------------------- */

/**
 * Set the quota limit of a jurisdiction (6-digit division code) for a
 * branch (1 or 2) to posts from date on. Rests on the transaction's
 * document, which must come from a level above the jurisdiction's and not
 * from a business department (R6). BZ_EINVAL for bad arguments,
 * BZ_ENOTFOUND for an unknown jurisdiction. The history of a jurisdiction's
 * limits, line by line with their documents, is bz_subject_changes() of the
 * jurisdiction's UUID (kind "limit.set").
 */
BZ_EXTERN int bz_limit_set(bz_txn *txn, const char *jurisdiction_code, int branch, int64_t posts,
			   const char *date);

/**
 * The limit ledger (限额台账) of a jurisdiction at date (NULL: today): per
 * branch the limit, the establishment allocated to its units, what is left
 * unallocated, people in post, posts reserved by usage slips and vacancies.
 * *out owned by the caller (bz_limit_ledger_free()). BZ_ENOTFOUND for an
 * unknown jurisdiction.
 */
BZ_EXTERN int bz_limit_ledger_get(bz_limit_ledger **out, bz_ledger *ledger, const char *jurisdiction_code,
				  const char *date);
/*
 * Figures of a limit ledger. branch is BZ_BRANCH_ADMINISTRATIVE,
 * BZ_BRANCH_INSTITUTION or BZ_BRANCH_TOTAL (the sum of the two); any other
 * value gives -1.
 */
/** The limit; -1 if no limit is recorded (for TOTAL: if none for either branch). */
BZ_EXTERN int64_t bz_limit_ledger_limit(const bz_limit_ledger *lg, int branch);
/** Σ establishment of the jurisdiction's units. */
BZ_EXTERN int64_t bz_limit_ledger_allocated(const bz_limit_ledger *lg, int branch);
/** limit − allocated (negative when over); -1 if no limit is recorded. */
BZ_EXTERN int64_t bz_limit_ledger_unallocated(const bz_limit_ledger *lg, int branch);
/** People in post in the jurisdiction's units. */
BZ_EXTERN int64_t bz_limit_ledger_staff(const bz_limit_ledger *lg, int branch);
/** Posts reserved by live usage slips. */
BZ_EXTERN int64_t bz_limit_ledger_reserved(const bz_limit_ledger *lg, int branch);
/** allocated − staff − reserved (空编; negative when over). */
BZ_EXTERN int64_t bz_limit_ledger_vacant(const bz_limit_ledger *lg, int branch);
/** Posts frozen (冻结) in the branch's units (0 = total); vacant subtracts them. Since 1.1. */
BZ_EXTERN int64_t bz_limit_ledger_frozen(const bz_limit_ledger *lg, int branch);
/** Division code; borrowed until bz_limit_ledger_free(). */
BZ_EXTERN const char *bz_limit_ledger_jurisdiction(const bz_limit_ledger *lg);
/** The ledger's date; borrowed until bz_limit_ledger_free(). */
BZ_EXTERN const char *bz_limit_ledger_as_of(const bz_limit_ledger *lg);
BZ_EXTERN void bz_limit_ledger_free(bz_limit_ledger *lg);

/* ---- Table 1: 机构编制基本情况 of a unit at a date ------------------------- */

/**
 * Table 1 of a unit at date (NULL: today), derived from the change records
 * and counters, so it never disagrees with Tables 2 and 3: one row per
 * category the unit has establishment or staff in (by category code), its
 * leadership quota and leaders in post, its approved and existing sub-units.
 * *out owned by the caller (bz_basic_table_free()); it copies everything
 * and survives the ledger. BZ_ENOTFOUND for an unknown unit.
 */
BZ_EXTERN int bz_basic_table_get(bz_basic_table **out, bz_ledger *ledger, const char *unit_uuid,
				 const char *date);
/** The unit's UUID, its name at the date, the date; borrowed until bz_basic_table_free(). */
BZ_EXTERN const char *bz_basic_table_unit(const bz_basic_table *t);
BZ_EXTERN const char *bz_basic_table_unit_name(const bz_basic_table *t);
BZ_EXTERN const char *bz_basic_table_as_of(const bz_basic_table *t);
/** Number of category rows. */
BZ_EXTERN size_t bz_basic_table_rows(const bz_basic_table *t);
/** Category code of row i; NULL past the end. Borrowed. */
BZ_EXTERN const char *bz_basic_table_category(const bz_basic_table *t, size_t row);
/* Figures of row i; -1 past the end. */
BZ_EXTERN int64_t bz_basic_table_establishment(const bz_basic_table *t, size_t row);
BZ_EXTERN int64_t bz_basic_table_staff(const bz_basic_table *t, size_t row);
BZ_EXTERN int64_t bz_basic_table_reserved(const bz_basic_table *t, size_t row);
/** max(0, establishment − staff − reserved). */
BZ_EXTERN int64_t bz_basic_table_vacant(const bz_basic_table *t, size_t row);
/** max(0, staff − establishment): over establishment, to be absorbed. */
BZ_EXTERN int64_t bz_basic_table_over(const bz_basic_table *t, size_t row);
/** Posts of the row's category frozen (冻结) on the date; vacant subtracts them. Since 1.1. */
BZ_EXTERN int64_t bz_basic_table_frozen(const bz_basic_table *t, size_t row);
/** Leadership quota (0 if none approved) and leaders in post. */
BZ_EXTERN int64_t bz_basic_table_principal_quota(const bz_basic_table *t);
BZ_EXTERN int64_t bz_basic_table_deputy_quota(const bz_basic_table *t);
BZ_EXTERN int64_t bz_basic_table_principals(const bz_basic_table *t);
BZ_EXTERN int64_t bz_basic_table_deputies(const bz_basic_table *t);
/** Approved number of sub-units (0 if none approved) and sub-units in being. */
BZ_EXTERN int64_t bz_basic_table_subunits_approved(const bz_basic_table *t);
BZ_EXTERN int64_t bz_basic_table_subunits(const bz_basic_table *t);
BZ_EXTERN void bz_basic_table_free(bz_basic_table *t);

#ifdef __cplusplus
}
#endif
#endif
