/*
 * unitcert.h: the unit's 《机构编制管理证》 (establishment management
 * certificate, since 1.2).
 *
 * Every unit — administrative organ and public institution alike (the seed
 * says 机关事业单位) — holds one certificate, issued by the establishment
 * office and renewed (换发) when it runs out (seed §9: 严格执行《甘肃省机构
 * 编制管理证制度》，全面完成《机构编制管理证》……核发、换发工作). A unit must
 * show it for every placement change (出入编) of its staff (seed §3: 如机关
 * 事业单位工作人员发生变化的，必须持《机构编制管理证》及有关材料，首先到机构
 * 编制部门办理出(入)编手续): rule R14.
 *
 * A certificate is valid from its issue date for the number of years the
 * rule parameter "unitcert.validity_years" says at that date (default 5),
 * through the day before the same calendar day that many years later
 * (issued 2013-03-01, 5 years: valid until 2018-02-28; a 29 February issue
 * runs until 28 February). It ends early when it is voided (作废) or
 * renewed (the renewal's issue date). A unit holds at most one certificate
 * in force at a time.
 *
 * Issuing, renewing and voiding are change records of the unit (Table 2:
 * 核发机构编制管理证, 换发机构编制管理证, 作废机构编制管理证), resting on the
 * transaction's document, which must be an establishment office's (R6,
 * rule data "issuers.unitcert", default "1"), and covered by the record
 * chain (verify.h) like every other change.
 *
 * R14 (机构编制管理证, seed §3): an entry, exit or transfer (placement.h)
 * of a unit that holds no certificate valid at the placement's date — none
 * issued, expired or voided — is a violation naming the unit, the
 * certificate (category "unitcert:<number>", or "unitcert:none") and the
 * dates. How it is enforced is the rule parameter "unitcert.enforce" at the
 * placement's date: "off" (the default: a ledger kept before the
 * certificates were issued stays usable), "warning" (reported, does not
 * block: the months while an office issues them) or "error" (the commit
 * is refused: what the seed's 必须持 asks). An office turns it on from a
 * date of its choosing: bz_rule_param_set(txn, "unitcert.enforce",
 * "error", "2014-01-01"). The self-inspection (bz_ledger_check) judges
 * every placement record so, and reports, at its date, every unit in being
 * without a valid certificate while the parameter is not "off" there — as
 * a warning (the office has a certificate to issue; nothing was refused). Opening entries (opening.h) are not
 * placement changes and are not judged.
 */
#ifndef BIANZHI_UNITCERT_H
#define BIANZHI_UNITCERT_H

#include "txn.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct bz_unitcert bz_unitcert;
typedef struct bz_unitcert_iter bz_unitcert_iter;

/** State of a certificate at a date. */
typedef enum bz_unitcert_phase {
	BZ_UNITCERT_VALID = 1,   /**< 有效: issued, not expired, not ended */
	BZ_UNITCERT_EXPIRED = 2, /**< 已过期: past its validity, not renewed */
	BZ_UNITCERT_VOID = 3,    /**< 已作废: voided */
	BZ_UNITCERT_RENEWED = 4, /**< 已换发: replaced by its renewal */
	BZ_UNITCERT_PENDING = 5  /**< 未生效: issued after the date asked */
} bz_unitcert_phase;

/** The longest certificate number, in bytes. */
#define BZ_UNITCERT_NUMBER_MAX 60

/**
 * Issue a certificate to a unit in being on issued (BZ_DATE_MIN …
 * BZ_DATE_MAX), valid for "unitcert.validity_years" at that date.
 * number: the certificate's own number (non-empty UTF-8 of at most
 * BZ_UNITCERT_NUMBER_MAX bytes), or NULL to have one made,
 * "<division code>-BZZ-<year>-<sequence of 4 digits>" (BZZ: 编制证), e.g.
 * "621222-BZZ-2013-0001". Numbers are unique in the ledger (BZ_EEXISTS).
 * BZ_ENOTFOUND for an unknown unit; BZ_EINVAL if the unit is not in being
 * on issued, already holds a certificate in force then (renew it instead),
 * or holds one issued later. *out may be NULL; otherwise owned by the
 * caller (bz_unitcert_free()), its state as of issued.
 */
BZ_EXTERN int bz_unitcert_issue(bz_unitcert **out, bz_txn *txn, const char *unit_uuid, const char *issued,
				const char *number);

/**
 * Renew (换发) a certificate: a new one for the same unit from issued on
 * (valid for "unitcert.validity_years" at issued), the old one ending that
 * day. The old one may have expired; it may not be void or already
 * renewed, and issued may not precede its issue (BZ_EINVAL). number as in
 * bz_unitcert_issue(). *out: the new certificate, as there.
 */
BZ_EXTERN int bz_unitcert_renew(bz_unitcert **out, bz_txn *txn, const char *cert_uuid, const char *issued,
				const char *number);

/**
 * Void (作废) a certificate from date on (lost, revoked, the unit
 * abolished). BZ_EINVAL if it is already void or renewed, or date precedes
 * its issue. The unit may then be issued a new one.
 */
BZ_EXTERN int bz_unitcert_void(bz_txn *txn, const char *cert_uuid, const char *date);

/**
 * Look up a certificate by UUID, its state at date (NULL: today).
 * *out owned by the caller (bz_unitcert_free()). BZ_ENOTFOUND if none.
 */
BZ_EXTERN int bz_unitcert_lookup(bz_unitcert **out, bz_ledger *ledger, const char *uuid, const char *date);
/** Look up a certificate by its number, its state at date (NULL: today). */
BZ_EXTERN int bz_unitcert_lookup_number(bz_unitcert **out, bz_ledger *ledger, const char *number,
					const char *date);
/**
 * The certificate a unit held at date (NULL: today): the last one issued on
 * or before date, in its state then — valid, expired or void (a renewed one
 * is never the one held: its renewal is). R14 asks exactly this.
 * BZ_ENOTFOUND if the unit had none by then.
 */
BZ_EXTERN int bz_unitcert_held(bz_unitcert **out, bz_ledger *ledger, const char *unit_uuid, const char *date);
/**
 * The certificates of a unit, by issue date, each with its state at date
 * (NULL: today). *out owned by the caller (bz_unitcert_iter_free()).
 */
BZ_EXTERN int bz_unitcert_list(bz_unitcert_iter **out, bz_ledger *ledger, const char *unit_uuid, const char *date);
BZ_EXTERN int bz_unitcert_iter_next(bz_unitcert **out, bz_unitcert_iter *it);
BZ_EXTERN void bz_unitcert_iter_free(bz_unitcert_iter *it);

/* Fields; strings borrowed until bz_unitcert_free(). */
BZ_EXTERN const char *bz_unitcert_uuid(const bz_unitcert *c);
BZ_EXTERN const char *bz_unitcert_number(const bz_unitcert *c);
BZ_EXTERN const char *bz_unitcert_unit(const bz_unitcert *c);
BZ_EXTERN const char *bz_unitcert_issued(const bz_unitcert *c);
/** The last day of its validity period (inclusive). */
BZ_EXTERN const char *bz_unitcert_valid_until(const bz_unitcert *c);
/** The date it was voided, NULL if never. */
BZ_EXTERN const char *bz_unitcert_voided(const bz_unitcert *c);
/** The date its renewal replaced it, NULL if never. */
BZ_EXTERN const char *bz_unitcert_renewed(const bz_unitcert *c);
/** UUID of the certificate it renewed, NULL if it was a first issue. */
BZ_EXTERN const char *bz_unitcert_renews(const bz_unitcert *c);
/** The date its state is given at. */
BZ_EXTERN const char *bz_unitcert_as_of(const bz_unitcert *c);
/** One of bz_unitcert_phase, at bz_unitcert_as_of(). */
BZ_EXTERN int bz_unitcert_state(const bz_unitcert *c);
BZ_EXTERN void bz_unitcert_free(bz_unitcert *c);

#ifdef __cplusplus
}
#endif
#endif
