/*
 * rules.h: the rules table, the rule parameters as dated data, and
 * documented exceptions (since 1.1).
 *
 * Every rule of DOMAIN.md (R1–R11; R12, R13 since 1.2) is one row of one table inside the
 * library, checked at commit over what a transaction touched and by the
 * self-inspection (bz_ledger_check) over everything. The figures the seed
 * makes local — the vacancy reserve, the working age, which issuers may
 * approve which changes, the leadership norms, the pilot credit codes,
 * who may grant an exception — are rule parameters: dated records that rest
 * on a document and leave a change record, readable at any date.
 */
#ifndef BIANZHI_RULES_H
#define BIANZHI_RULES_H

#include "txn.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Number of rules in the table. */
BZ_EXTERN size_t bz_rule_count(void);
/** The index-th rule (one of bz_rule), 0 past the end. */
BZ_EXTERN int bz_rule_at(size_t index);
/** "R1" … "R15", "INTEGRITY"; NULL for an unknown rule. Static. */
BZ_EXTERN const char *bz_rule_code(int rule);
/** The rule's name (Chinese term and English gloss); NULL if unknown. Static. */
BZ_EXTERN const char *bz_rule_name(int rule);
/** The clause of the seed document behind the rule; NULL if unknown. Static. */
BZ_EXTERN const char *bz_rule_seed_clause(int rule);
/** The rule's usual severity (bz_severity); 0 if unknown. */
BZ_EXTERN int bz_rule_severity(int rule);
/** 1 if a document may grant an exception to the rule (R1, R2, R8), else 0. */
BZ_EXTERN int bz_rule_exceptable(int rule);

/**
 * Set a rule parameter from date on, on the transaction's document (which
 * must be an establishment office's, and for a parameter that reserves a
 * level of authority — "authority.<action>", "exception.R<n>",
 * "central_issuers" (central) — one of the level it reserves or above,
 * before and after the change: R6 at commit). value NULL returns the
 * parameter to its default. Parameters (values are text):
 *  - "vacancy_reserve.administrative", "vacancy_reserve.institution": the
 *    R9 reserve in per mille of establishment (defaults 10 and 15, seed §6);
 *  - "working_age.min", "working_age.max": R7 at entry (16, 70);
 *  - "issuers.<action>": comma-separated bz_issuer_kind values that may
 *    issue a change of that action (default "1,2,3"; "1" for limit, slip,
 *    exception, rules — 一家行文, 上级机构编制部门);
 *  - "authority.<action>": ';'-separated "natures:min_rank:max_level" — a
 *    change to a unit whose nature is in the mask and rank ≥ min_rank needs
 *    a document of level ≤ max_level (default "2:3:3" for establish, split,
 *    merge, abolish, rename, rank, leadership: seed §5);
 *  - "leadership_norm.<kind>.<rank>": "principal,deputy";
 *  - "credit_code_exception.<code>": a note (a pilot code legal despite its
 *    check characters);
 *  - "exception.R<n>": the lowest level (bz_level) of establishment office
 *    that may grant an exception to R<n> (defaults: R1, R2, R8 "4");
 *  - "central_issuers": ';'-separated issuers recognised as central;
 *  - "power.<type>.<power>": "1" or "0", whether offices of that kind may
 *    make changes of that power (office.h; reserved to the city level);
 *  - "registration.cert_years" (1 … 100, default 5), "registration.grace_days"
 *    and "registration.report_grace_days" (0 … 3660, defaults 30 and 0),
 *    "registration.report_due" (MM-DD, default 03-31), and
 *    "registration.required_from" (a date; unset by default): R12 and R13,
 *    see registration.h (since 1.2);
 *  - "unitcert.validity_years": how long a 机构编制管理证 issued from that
 *    date is valid, 1 … 30 (default 5; unitcert.h, since 1.2);
 *  - "unitcert.enforce": R14 from that date: "off" (default), "warning" or
 *    "error" (seed §3 必须持; unitcert.h, since 1.2).
 * Actions: establish split merge abolish rename rank funding duties parent
 * establishment leadership limit subunit slip placement appointment
 * exception rules registration unitcert ("1" by default for unitcert: an
 * establishment office's). BZ_EINVAL for an unknown name or a malformed value.
 */
BZ_EXTERN int bz_rule_param_set(bz_txn *txn, const char *name, const char *value, const char *date);

/**
 * The value of a rule parameter at date (NULL = today), its default if it
 * was never set. *out is owned by the caller (free with bz_free()); NULL if
 * the parameter has neither a value nor a default.
 */
BZ_EXTERN int bz_rule_param_get(char **out, bz_ledger *ledger, const char *name, const char *date);

/**
 * Grant a documented exception (政策性安置: demobilised officers and the like)
 * on the transaction's document: a violation of `rule` whose subject is
 * `subject_uuid` (the unit for R1 and R8, the person for R2's 高配) on
 * `date` is kept in every report as an excepted warning citing the
 * document (bz_violation_excepted_by) instead of refusing the commit. The
 * document must be an establishment office's of a level the parameter
 * "exception.R<n>" allows (R6 at commit). R5, R10 and R11 admit no
 * exception (BZ_EINVAL), nor does any rule bz_rule_exceptable() says no to.
 */
BZ_EXTERN int bz_exception_grant(bz_txn *txn, int rule, const char *subject_uuid, const char *date);

#ifdef __cplusplus
}
#endif
#endif
