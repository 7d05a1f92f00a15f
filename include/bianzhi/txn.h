/*
 * txn.h: transactions and the violation reports of the rules.
 *
 * Every change to a ledger happens inside a transaction. The transaction
 * names who acts (user and office, kept on every change record) and the
 * document each change rests on. The rules (R1–R13 of DOMAIN.md) are checked
 * on the state the transaction leaves, at bz_txn_commit(): a violation of
 * severity error rolls the whole transaction back and the commit returns
 * BZ_ECONSTRAINT; warnings are reported and do not block. Either way the
 * violations found are in the transaction's report.
 *
 * A change call that fails with an error code (BZ_EINVAL, BZ_ENOTFOUND, …)
 * leaves nothing of itself behind; the transaction stays open and usable.
 */
#ifndef BIANZHI_TXN_H
#define BIANZHI_TXN_H

#include "ledger.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A transaction. Opaque. */
typedef struct bz_txn bz_txn;
/** A list of rule violations. Opaque. */
typedef struct bz_report bz_report;
/** One rule violation. Opaque. */
typedef struct bz_violation bz_violation;

/** Severity of a violation. */
typedef enum bz_severity {
	BZ_SEVERITY_WARNING = 1, /**< 警告: reported; does not block the commit */
	BZ_SEVERITY_ERROR = 2    /**< 错误: blocks the commit */
} bz_severity;

/** The rules of DOMAIN.md; bz_violation_rule() gives one of these. */
typedef enum bz_rule {
	BZ_RULE_R1 = 1,   /**< no over-establishment hiring (不准超编进人) */
	BZ_RULE_R2 = 2,   /**< leadership quota (领导职数) */
	BZ_RULE_R3 = 3,   /**< internal sub-units (内设机构) */
	BZ_RULE_R4 = 4,   /**< quota limit of a jurisdiction (限额) */
	BZ_RULE_R5 = 5,   /**< one person, one post (一人一编) */
	BZ_RULE_R6 = 6,   /**< document basis and authority (不准越权审批) */
	BZ_RULE_R7 = 7,   /**< continuity (演变过程无间断) */
	BZ_RULE_R8 = 8,   /**< establishment first: a valid usage slip (核编在先) */
	BZ_RULE_R9 = 9,   /**< vacancy reserve of a jurisdiction (预留空编) */
	BZ_RULE_R10 = 10, /**< valid identifiers (代码有效) */
	BZ_RULE_R11 = 11, /**< no mixing of categories (不得混用) */
	BZ_RULE_R12 = 12, /**< the registration agrees with the ledger (登记与台账一致, since 1.2; registration.h) */
	BZ_RULE_R13 = 13, /**< the annual report filed and agreeing (年度报告, since 1.2; registration.h) */
	/**
	 * 机构编制管理证 (since 1.2): an entry, exit or transfer of a unit
	 * without a valid certificate (unitcert.h); enforced as the rule
	 * parameter "unitcert.enforce" says (off by default).
	 */
	BZ_RULE_R14 = 14,
	/**
	 * 越权操作 (since 1.2): the transaction's office acted outside its
	 * powers or its jurisdiction, or is not an office of a ledger that
	 * has offices (office.h).
	 */
	BZ_RULE_R15 = 15,
	/**
	 * 账实相符 (since 1.1): a derived figure (counter) disagrees with the
	 * records — the ledger was changed behind the library. Found only by
	 * the self-inspection, bz_ledger_check().
	 */
	BZ_RULE_INTEGRITY = 90
} bz_rule;

/**
 * Begin a transaction on the ledger. user and office name who acts (the
 * user's name or login, the office such as "陇南市编办"); both are required,
 * non-empty UTF-8, and kept on every change record this transaction writes.
 * Once the ledger has offices (office.h, since 1.2), office must be the
 * exact name of one of them and the changes within its powers and
 * jurisdiction, else the commit is refused under R15.
 *
 * Only one transaction may be open on a handle at a time (BZ_EMISUSE). If
 * another connection holds the write lock, waits up to the busy timeout and
 * then gives BZ_EBUSY. On success *out is owned by the caller: free it with
 * bz_txn_free(), after commit or rollback.
 */
BZ_EXTERN int bz_txn_begin(bz_txn **out, bz_ledger *ledger, const char *user, const char *office);

/**
 * Name the document (文件依据, by UUID) that the following changes of this
 * transaction rest on, until the next call. The document may have been
 * registered earlier in this same transaction. A change made while no
 * document is set is refused at commit under R6. BZ_ENOTFOUND if no such
 * document; NULL clears it.
 */
BZ_EXTERN int bz_txn_set_document(bz_txn *txn, const char *document_uuid);

/**
 * Check every rule on the state the transaction leaves and commit.
 * What each return means for what is in the ledger:
 *  - BZ_OK: committed, and on the disk (unless the ledger was opened with
 *    BZ_OPEN_SYNC_NORMAL: then a power loss may still take it back);
 *    warnings, if any, are in bz_txn_report().
 *  - BZ_ECONSTRAINT: an error-severity rule was violated; nothing was
 *    written and the report lists every violation found.
 *  - BZ_EMISUSE, BZ_EINVAL: the transaction was not open (already finished
 *    or detached); nothing happened.
 *  - BZ_EBUSY, BZ_ENOMEM: the commit was not made; nothing was written.
 *  - BZ_EIO, BZ_ECORRUPT, BZ_ERROR: the outcome is not known. The
 *    transaction's records may have reached the file before the failure (a
 *    sync that fails after SQLite wrote its frames to the WAL), so after a
 *    reopen it may be there. Do not simply retry: open the ledger again (any
 *    handle, any process) and ask bz_txn_committed() with the transaction's
 *    bz_txn_uuid(), read before the commit; retry only if it says no.
 * After any return the transaction is finished; further change calls give
 * BZ_EMISUSE.
 *
 * Before the commit, a change that fails is taken back and the transaction
 * stays open — except when SQLite itself rolled the whole transaction back
 * (it may, after BZ_EIO: an I/O error or a full disk, or BZ_ENOMEM): then
 * the change's message ends "SQLite rolled the whole transaction back …",
 * the transaction is finished with none of its changes in the ledger, and
 * further calls on it (this commit included) give BZ_EMISUSE saying so.
 * Since 1.1 (1.0 kept such a transaction open, and its later changes were
 * written one by one outside it).
 */
BZ_EXTERN int bz_txn_commit(bz_txn *txn);

/**
 * The transaction's identity: a new UUID made by bz_txn_begin() (since
 * 1.3.2 of version 7, time-ordered, as every key the library makes) and
 * written with the transaction, so that it is in the ledger exactly when
 * the transaction committed. Borrowed: valid until bz_txn_free(). NULL for
 * NULL. Keep a copy before bz_txn_commit() if the answer may matter (see
 * BZ_EIO there). Since 1.1.
 */
BZ_EXTERN const char *bz_txn_uuid(const bz_txn *txn);

/**
 * Whether the transaction with identity txn_uuid (bz_txn_uuid()) committed
 * in this ledger: *out 1 if it did, 0 if not — it was rolled back, refused,
 * lost in a failed commit, still open, or never of this ledger (a
 * transaction imported from another ledger, or committed before schema 6,
 * has no identity here). Reads what is committed now, so ask on a handle
 * opened after the failure. BZ_EINVAL if txn_uuid is not a UUID; BZ_EIO,
 * BZ_EBUSY if the ledger cannot be read. Since 1.1.
 */
BZ_EXTERN int bz_txn_committed(int *out, bz_ledger *ledger, const char *txn_uuid);

/** Abandon the transaction: nothing of it is written. */
BZ_EXTERN int bz_txn_rollback(bz_txn *txn);

/** Free the transaction, rolling it back if still open. NULL is fine. */
BZ_EXTERN void bz_txn_free(bz_txn *txn);

/**
 * The violations found so far: after bz_txn_commit() all that the rules
 * found. Borrowed: valid until bz_txn_free(). Never NULL for a non-NULL txn.
 */
BZ_EXTERN const bz_report *bz_txn_report(const bz_txn *txn);

/** Number of violations in the report (0 for NULL). */
BZ_EXTERN size_t bz_report_count(const bz_report *report);
/** Number of error-severity violations in the report. */
BZ_EXTERN size_t bz_report_errors(const bz_report *report);
/** Number of warning-severity violations in the report. */
BZ_EXTERN size_t bz_report_warnings(const bz_report *report);
/**
 * The index-th violation (0-based), in the order found; NULL past the end.
 * Borrowed: valid as long as the report.
 */
BZ_EXTERN const bz_violation *bz_report_get(const bz_report *report, size_t index);
/** Free a report that the caller owns (one from bz_ledger_check()). NULL is fine. */
BZ_EXTERN void bz_report_free(bz_report *report);

/*
 * Fields of a violation. Strings are borrowed: valid as long as the report.
 * A field that does not apply is NULL (strings) or -1 (figures).
 */
/** The rule, one of bz_rule. */
BZ_EXTERN int bz_violation_rule(const bz_violation *v);
/** The rule as text: "R1" … "R11". */
BZ_EXTERN const char *bz_violation_rule_id(const bz_violation *v);
/** BZ_SEVERITY_ERROR or BZ_SEVERITY_WARNING. */
BZ_EXTERN int bz_violation_severity(const bz_violation *v);
/** UUID of the subject: the unit, sub-unit, jurisdiction, person, slip or document at fault. */
BZ_EXTERN const char *bz_violation_subject(const bz_violation *v);
/** Name of the subject (unit name, person's name, division code and name, 文号…). */
BZ_EXTERN const char *bz_violation_subject_name(const bz_violation *v);
/** Establishment category code or branch ("branch:1"), leadership post, …; NULL if none. */
BZ_EXTERN const char *bz_violation_category(const bz_violation *v);
/** The allowed figure (establishment, quota, limit …), -1 if none. */
BZ_EXTERN int64_t bz_violation_allowed(const bz_violation *v);
/** The actual figure the change would leave, -1 if none. */
BZ_EXTERN int64_t bz_violation_actual(const bz_violation *v);
/** UUID of the document the offending change rests on; NULL if none. */
BZ_EXTERN const char *bz_violation_document(const bz_violation *v);
/** Number (文号) of that document; NULL if none. */
BZ_EXTERN const char *bz_violation_document_number(const bz_violation *v);
/** The date at which the rule is broken ("YYYY-MM-DD"); NULL if none. */
BZ_EXTERN const char *bz_violation_date(const bz_violation *v);
/** A sentence for people (Chinese terms, English prose); never NULL. */
BZ_EXTERN const char *bz_violation_message(const bz_violation *v);
/**
 * UUID of the document that granted a documented exception (政策性安置 and
 * the like, bz_exception_grant()) to this violation, which was therefore
 * downgraded to a warning and kept; NULL for an ordinary violation.
 * Since 1.1.
 */
BZ_EXTERN const char *bz_violation_excepted_by(const bz_violation *v);

#ifdef __cplusplus
}
#endif
#endif
