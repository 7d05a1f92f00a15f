/*
 * placement.h: placements (在编, 入编/出编), transfers (调动), the management
 * card (人员编制管理卡) and the roster (实有人员花名册, Table 3).
 *
 * A placement is a person occupying one post of one category in one unit
 * from an entry date to an exit date. Rules: R1 (not above establishment),
 * R5 (one person, one post, at every date), R7 (within the unit's life; not
 * before birth, not under 16 or over 70 at entry), R8 (a hire rests on a
 * live usage slip for exactly that unit and category).
 *
 * Every person on establishment has one management card with a stable
 * number ("<division code>-<6-digit sequence>", the division of the first
 * unit), issued at the first entry and kept across transfers (一人一卡).
 */
#ifndef BIANZHI_PLACEMENT_H
#define BIANZHI_PLACEMENT_H

#include "person.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct bz_placement bz_placement;
typedef struct bz_placement_iter bz_placement_iter;
typedef struct bz_card bz_card;

/** How a person entered (入编). */
typedef enum bz_entry_kind {
	BZ_ENTRY_EXAM = 1,        /**< 考录 */
	BZ_ENTRY_RECRUIT = 2,     /**< 招聘 */
	BZ_ENTRY_TRANSFER_IN = 3, /**< 调入 */
	BZ_ENTRY_DEMOBILISED = 4, /**< 军转安置 */
	BZ_ENTRY_OTHER = 9        /**< 其他 */
} bz_entry_kind;

/** Why a person left (出编). */
typedef enum bz_exit_reason {
	BZ_EXIT_RETIREMENT = 1,   /**< 退休 */
	BZ_EXIT_TRANSFER_OUT = 2, /**< 调出 */
	BZ_EXIT_RESIGNATION = 3,  /**< 辞职 */
	BZ_EXIT_DISMISSAL = 4,    /**< 辞退/开除 */
	BZ_EXIT_DEATH = 5,        /**< 死亡 */
	BZ_EXIT_OTHER = 9         /**< 其他 */
} bz_exit_reason;

/**
 * Place a person into unit's category on date against a usage slip
 * (slip_uuid; NULL is an R8 violation). The first entry issues the
 * management card. *out may be NULL; otherwise owned by the caller
 * (bz_placement_free()).
 */
BZ_EXTERN int bz_placement_enter(bz_placement **out, bz_txn *txn, const char *person_uuid,
				 const char *unit_uuid, const char *category, const char *slip_uuid,
				 int entry_kind, const char *date);
/**
 * End the person's placement that is open at date (出编), with reason
 * (bz_exit_reason). BZ_ENOTFOUND if none is open; BZ_EINVAL if date is
 * not after its entry.
 */
BZ_EXTERN int bz_placement_exit(bz_txn *txn, const char *person_uuid, int reason, const char *date);
/**
 * Transfer (调动): end the person's open placement on date (调出) and enter
 * them into to_unit's category on the same date (调入) against a slip of the
 * destination, as one change. The card goes with them.
 */
BZ_EXTERN int bz_placement_transfer(bz_placement **out, bz_txn *txn, const char *person_uuid,
				    const char *to_unit_uuid, const char *category, const char *slip_uuid,
				    const char *date);

/**
 * The roster (Table 3) of a unit at date (NULL: today): placements in post
 * then, by entry date. *out owned by the caller (bz_placement_iter_free()).
 */
BZ_EXTERN int bz_roster(bz_placement_iter **out, bz_ledger *ledger, const char *unit_uuid, const char *date);
/** A person's whole history across units, by entry date. */
BZ_EXTERN int bz_person_history(bz_placement_iter **out, bz_ledger *ledger, const char *person_uuid);
BZ_EXTERN int bz_placement_iter_next(bz_placement **out, bz_placement_iter *it);
BZ_EXTERN void bz_placement_iter_free(bz_placement_iter *it);

/* Fields; strings borrowed until bz_placement_free(). */
BZ_EXTERN const char *bz_placement_uuid(const bz_placement *p);
BZ_EXTERN const char *bz_placement_person(const bz_placement *p);
BZ_EXTERN const char *bz_placement_person_name(const bz_placement *p);
BZ_EXTERN const char *bz_placement_id_number(const bz_placement *p);
BZ_EXTERN const char *bz_placement_unit(const bz_placement *p);
BZ_EXTERN const char *bz_placement_category(const bz_placement *p);
/** The slip the entry consumed; NULL if none. */
BZ_EXTERN const char *bz_placement_slip(const bz_placement *p);
BZ_EXTERN int bz_placement_entry_kind(const bz_placement *p);
BZ_EXTERN const char *bz_placement_entry(const bz_placement *p);
/** Exit date, NULL while in post. */
BZ_EXTERN const char *bz_placement_exit_date(const bz_placement *p);
/** Exit reason, 0 while in post. */
BZ_EXTERN int bz_placement_exit_reason(const bz_placement *p);
/** Number (文号) of the document behind the entry, and behind the exit; NULL if none. */
BZ_EXTERN const char *bz_placement_entry_document(const bz_placement *p);
BZ_EXTERN const char *bz_placement_exit_document(const bz_placement *p);
BZ_EXTERN void bz_placement_free(bz_placement *p);

/**
 * A person's management card, by card number. Its contents: the person and
 * every placement, oldest first. *out owned by the caller (bz_card_free()).
 */
BZ_EXTERN int bz_card_lookup(bz_card **out, bz_ledger *ledger, const char *card_number);
BZ_EXTERN const char *bz_card_number(const bz_card *c);
BZ_EXTERN const char *bz_card_issued(const bz_card *c);
/** The person; borrowed until bz_card_free(). */
BZ_EXTERN const bz_person *bz_card_person(const bz_card *c);
BZ_EXTERN size_t bz_card_placement_count(const bz_card *c);
/** The index-th placement, borrowed until bz_card_free(); NULL past the end. */
BZ_EXTERN const bz_placement *bz_card_placement(const bz_card *c, size_t index);
BZ_EXTERN void bz_card_free(bz_card *c);

#ifdef __cplusplus
}
#endif
#endif
