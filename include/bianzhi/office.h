/*
 * office.h: who may change what (since 1.2) — the offices a ledger knows,
 * what each kind of office may do, and rule R15 (越权操作: acting outside
 * one's office).
 *
 * Every transaction acts for an office: bz_txn_begin() takes its name,
 * bz_txn_begin_office() its UUID. A ledger keeps its offices — the
 * establishment office (编办) of each jurisdiction, and the organisation
 * (组织部), HR (人社) and finance (财政) departments that act on its slips
 * — and what each kind of office may do, as dated rule data:
 *
 *   power (bz_power)  编办 组织 人社 财政   event kinds it covers
 *   structure          yes  -    -    -    unit.* (establish, split, merge,
 *                                          abolish, rename, rank, funding,
 *                                          duties, parent, attributes),
 *                                          subunit.*; any kind not listed
 *   establishment      yes  -    -    -    establishment.*, limit.set
 *   leadership         yes  -    -    -    leadership.set
 *   slip               yes  -    -    -    slip.issue, slip.cancel, plan.set
 *   placement          yes  yes  yes  yes  placement.* (entry, exit,
 *                                          transfer: R8 still asks a slip)
 *   appointment        yes  yes  -    -    appointment.*
 *   person             yes  yes  yes  yes  person.*, card.issue
 *   document           yes  -    -    -    document.*
 *   rules              yes  -    -    -    rules.param, exception.grant and
 *                                          the code tables (jurisdictions,
 *                                          categories, archive categories,
 *                                          pilot credit codes)
 *   office             yes  -    -    -    office.register
 *
 * That table is the default (seed §1 一家行文, §3 组织、人社、财政部门凭
 * 《编制使用单》办理相关手续); a ledger changes it from a date on with
 * bz_office_power_set(), a rule parameter "power.<kind>.<power>" reserved
 * to the city establishment office or higher (R6 judges the document, as
 * for "authority.<action>"). A transaction is judged by the powers in
 * force on the day it records (the ledger's today, bz_ledger_set_clock),
 * whatever the effective dates of its changes: the power is to record.
 * Reading needs no power: reads are not transactions.
 *
 * Scope. An office acts for its own jurisdiction: the units of its
 * division code (and their sub-units, slips, placements, appointments,
 * leadership), a quota limit of its jurisdiction, offices of its
 * jurisdiction. An establishment office also acts for a unit of a
 * jurisdiction below it in its chain exactly where the authority rules
 * ("authority.<action>", rules.h; seed §5: founding, splitting, merging,
 * abolishing, renaming, ranking and re-quota-ing (领导职数) a public
 * institution of 副科 or above) reserve that change to its level or a
 * lower one: a city office may rename a county's 副科 institution, but
 * not set a county organ's establishment nor issue a county unit's slip.
 * A province establishment office is judged by the same rule (its own
 * units, and below it what the authority rules reserve to the province or
 * the city). It also sets a lower jurisdiction's quota limit and registers
 * offices below it. Never another county's units, nor a higher level's:
 * a county office cannot touch the city's units. Changes without a unit,
 * jurisdiction or office (documents, persons, rule parameters) are judged
 * by the power alone.
 *
 * R15 is checked at commit over the change records the transaction wrote,
 * like R6 (which judges the *document* a change rests on; R15 judges the
 * *office* that records it): a change outside the acting office's powers
 * or scope is a violation naming the office (bz_violation_office), the
 * subject (the unit; the jurisdiction of a limit; the new office; the
 * document or person otherwise), the power (bz_violation_category: "scope"
 * reasons say so in the message) and the change's document and date;
 * allowed and actual are -1. One violation per subject and power. The
 * commit is refused and nothing is written.
 *
 * Compatibility and bootstrap. A ledger without any office — every ledger
 * written before 1.2, and every caller that never registers one — works as
 * before: the office is free text kept on the change records, and R15
 * judges nothing. Once a ledger has offices (counting those the
 * transaction itself registers), every transaction that writes must act
 * for a registered office, by its exact name: an unknown name is one R15
 * violation (category "office", subject NULL, subject name the name given)
 * and the commit is refused. So the first office is registered by a
 * transaction acting under that office's own name, and it must be an
 * establishment office (an organisation, HR or finance department has no
 * "office" power); further offices are registered by an establishment
 * office of their jurisdiction or of one above it in its chain.
 *
 * Past changes are not judged again: bz_ledger_check() does not run R15.
 * The powers are dated data and the acting office of a change record is a
 * name; a change was lawful or not when it was recorded, under the powers
 * of that day, and records made before the ledger had offices (or
 * imported from another ledger, judged there) name offices this ledger
 * need not know. Changing the powers later must not turn yesterday's
 * lawful records into violations that no rollback can remove.
 *
 * Read-only handles (BZ_OPEN_READONLY) cannot write at all: bz_txn_begin()
 * and bz_txn_begin_office() give BZ_EIO, and nothing needs an office.
 */
#ifndef BIANZHI_OFFICE_H
#define BIANZHI_OFFICE_H

#include "txn.h"

#ifdef __cplusplus
extern "C" {
#endif

/** An office of the ledger. Opaque. */
typedef struct bz_office bz_office;
/** An iterator over offices. Opaque. */
typedef struct bz_office_iter bz_office_iter;

/** Kind of an office (bz_office_kind() gives one of these). */
typedef enum bz_office_type {
	BZ_OFFICE_ESTABLISHMENT = 1, /**< 机构编制部门 (编办) */
	BZ_OFFICE_ORGANISATION = 2,  /**< 组织部门 (组织部) */
	BZ_OFFICE_HR = 3,            /**< 人力资源和社会保障部门 (人社局) */
	BZ_OFFICE_FINANCE = 4        /**< 财政部门 (财政局) */
} bz_office_type;

/** What an office may do: the classes of change of the table above. */
typedef enum bz_power {
	BZ_POWER_STRUCTURE = 1,     /**< unit structure: establish, rename, merge, abolish, rank, sub-units */
	BZ_POWER_ESTABLISHMENT = 2, /**< establishment (编制) and quota limits */
	BZ_POWER_LEADERSHIP = 3,    /**< leadership quotas (领导职数) */
	BZ_POWER_SLIP = 4,          /**< usage slips (编制使用单) and hiring plans */
	BZ_POWER_PLACEMENT = 5,     /**< placements: entry, exit, transfer (against a slip: R8) */
	BZ_POWER_APPOINTMENT = 6,   /**< leadership appointments (任职) */
	BZ_POWER_PERSON = 7,        /**< persons and their cards */
	BZ_POWER_DOCUMENT = 8,      /**< documents and their files */
	BZ_POWER_RULES = 9,         /**< rule parameters, exceptions, code tables */
	BZ_POWER_OFFICE = 10        /**< registering offices */
} bz_power;

/** The longest office name, in bytes (UTF-8). */
#define BZ_OFFICE_NAME_MAX 200

/** "establishment", "organisation", "hr", "finance"; NULL for an unknown type. Static. */
BZ_EXTERN const char *bz_office_type_code(int type);
/** "编办", "组织部", "人社", "财政"; NULL for an unknown type. Static. */
BZ_EXTERN const char *bz_office_type_name(int type);
/** "structure", "establishment", … "office" (bz_power); NULL for an unknown power. Static. */
BZ_EXTERN const char *bz_power_code(int power);

/**
 * Register an office of the ledger, inside a transaction (effective on the
 * ledger's today). name is its full name as transactions will give it
 * ("陇南市机构编制委员会办公室"), non-empty UTF-8 of at most
 * BZ_OFFICE_NAME_MAX bytes, unique in the ledger (BZ_EEXISTS);
 * jurisdiction_code a 6-digit division code the ledger knows (BZ_ENOTFOUND
 * otherwise); kind one of bz_office_type. The change record is reference
 * data (no document is demanded; the transaction's document, if any, is
 * kept); R15 at commit judges whether the acting office may register it.
 * On success *out (may be NULL) is the new office, owned by the caller:
 * free with bz_office_free(). BZ_EINVAL for a bad name, code or kind.
 */
BZ_EXTERN int bz_office_register(bz_office **out, bz_txn *txn, const char *name, const char *jurisdiction_code,
				 int kind);

/** Look an office up by UUID; BZ_ENOTFOUND if none. *out owned by the caller (bz_office_free()). */
BZ_EXTERN int bz_office_lookup(bz_office **out, bz_ledger *ledger, const char *uuid);
/** Look an office up by its exact name; BZ_ENOTFOUND if none. *out owned by the caller. */
BZ_EXTERN int bz_office_find(bz_office **out, bz_ledger *ledger, const char *name);

/**
 * Iterate over the offices of a jurisdiction (its 6-digit code), or of the
 * whole ledger (NULL), in order of registration. *out owned by the caller:
 * free with bz_office_iter_free(). A ledger without offices gives an
 * iterator that is over at once.
 */
BZ_EXTERN int bz_office_list(bz_office_iter **out, bz_ledger *ledger, const char *jurisdiction_code);
/** Next office (owned by the caller, bz_office_free()); BZ_ITEROVER at the end. */
BZ_EXTERN int bz_office_iter_next(bz_office **out, bz_office_iter *it);
/** Free the iterator. NULL is fine. */
BZ_EXTERN void bz_office_iter_free(bz_office_iter *it);

/* Fields. Strings are borrowed: valid until bz_office_free(). */
BZ_EXTERN const char *bz_office_uuid(const bz_office *o);
BZ_EXTERN const char *bz_office_name(const bz_office *o);
/** Division code of the office's jurisdiction. */
BZ_EXTERN const char *bz_office_jurisdiction(const bz_office *o);
/** Its kind, one of bz_office_type. */
BZ_EXTERN int bz_office_kind(const bz_office *o);
/** Level of its jurisdiction (bz_level). */
BZ_EXTERN int bz_office_level(const bz_office *o);
/** Date it was registered ("YYYY-MM-DD"). */
BZ_EXTERN const char *bz_office_registered(const bz_office *o);
/** Free an office. NULL is fine. */
BZ_EXTERN void bz_office_free(bz_office *o);

/**
 * Whether offices of kind (bz_office_type) may make changes of power from date on: allowed
 * 1 or 0 (the rule parameter "power.<type code>.<power code>"), on the
 * transaction's document — which must be an establishment office's of the
 * city level or higher (R6 at commit) — and by an establishment office
 * (R15). BZ_EINVAL for an unknown kind or power, allowed not 0 or 1, or a
 * date outside BZ_DATE_MIN … BZ_DATE_MAX.
 */
BZ_EXTERN int bz_office_power_set(bz_txn *txn, int kind, int power, int allowed, const char *date);

/**
 * Whether offices of kind may make changes of power on date (NULL: today):
 * *allowed 1 or 0, the default table above unless the ledger changed it.
 * BZ_EINVAL for an unknown kind or power or a bad date.
 */
BZ_EXTERN int bz_office_power_get(int *allowed, bz_ledger *ledger, int kind, int power, const char *date);

/**
 * Begin a transaction acting for the registered office office_uuid: as
 * bz_txn_begin() with that office's name (so the change records carry its
 * name, and R15 judges it). BZ_ENOTFOUND if the ledger has no such office,
 * BZ_EINVAL if office_uuid is not a UUID or user is empty; BZ_EIO on a
 * read-only handle; otherwise as bz_txn_begin(). *out owned by the caller
 * (bz_txn_free()).
 */
BZ_EXTERN int bz_txn_begin_office(bz_txn **out, bz_ledger *ledger, const char *user, const char *office_uuid);

/**
 * The office a violation of R15 names: the acting office's name as the
 * transaction gave it. NULL for every other rule. Borrowed: valid as long
 * as the report.
 */
BZ_EXTERN const char *bz_violation_office(const bz_violation *v);

#ifdef __cplusplus
}
#endif
#endif
