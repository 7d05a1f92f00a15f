/*
 * registration.h: 事业单位法人登记 — the registration of a public institution
 * as a legal person, kept in the same ledger as its establishment and
 * checked against it (since 1.2; seed §10, §21, §28.2).
 *
 * A public institution (nature BZ_NATURE_INSTITUTION) of the ledger is
 * registered (设立登记) with its name, address, legal representative
 * (法定代表人), purpose and scope of business (宗旨和业务范围), funds (开办资金,
 * in yuan), sponsor (举办单位: a unit of the ledger), funding form (经费来源,
 * bz_funding) and unified social credit code; each of those fields changes by
 * a change registration (变更登记); the registration ends by deregistration
 * (注销登记) with its reason. It holds a certificate (事业单位法人证书): a
 * number, an issue date and a validity of "registration.cert_years" years
 * (a rule parameter, default 5); renewed (换发) before it lapses, reissued
 * (补领) when lost, the old one void from the new one's date. It files an
 * annual report (年度报告) for each year it was registered at 31 December,
 * due by "registration.report_due" (MM-DD of the next year, default 03-31)
 * plus "registration.report_grace_days" (default 0).
 *
 * Every change here is a change record of the unit's Table 2, like any
 * other: dated, resting on the transaction's document — the registering
 * office's approval (R6: issuer kinds "issuers.registration", default "1",
 * the establishment office, which is the 登记管理机关) — and on the
 * unit's (or its sponsor's) decision, a document of the ledger of any
 * issuer kind named by decision_uuid. The records are in the hash chain of
 * bz_ledger_verify(), in exports, and in the change feed.
 *
 * Dates are YYYY-MM-DD within BZ_DATE_MIN … BZ_DATE_MAX; funds and figures
 * 0 … BZ_COUNT_MAX (staff, establishment) or 0 … 10^15 yuan (funds); a year
 * 1949 … 2999; text fields non-empty UTF-8 of at most 1000 bytes (a number
 * at most 60). Anything else is BZ_EINVAL with the reason in
 * bz_ledger_errmsg(), and nothing is written.
 *
 * Rules (the rules table, bz_rule_*()):
 *  R12 登记与台账一致 — an institution in being holds a valid registration
 *      whose name, sponsor, funding form and credit code agree with the
 *      establishment ledger. Refused at commit (errors, the change is what
 *      makes them wrong): a registration or a change registration dated
 *      before the unit's founding, or stating a name, sponsor, funding form
 *      or credit code other than the ledger's on its date (the registration
 *      and the ledger are the same records seen twice: §10 asks registration
 *      to be done in the one system, §28.2 keeps the two systems linked); a
 *      deregistration while the unit is still in being. Found only by the
 *      self-inspection at a date (bz_ledger_check), because only the passing
 *      of time makes them wrong: an institution not registered more than
 *      "registration.grace_days" (default 30, the 实施细则's thirty days for
 *      变更登记) after its founding or after "registration.required_from"
 *      (a date, the later of the two; unset by default: a ledger that does
 *      not keep registration — one migrated from before 1.2 — is not
 *      flagged for every institution it holds; Longnan's online registration
 *      began 2013-03-01, §10); a ledger change of name
 *      (更名), sponsor, funding form or credit code without the matching
 *      变更登记 within the grace days — flagged after the grace period, never
 *      before; a unit abolished or merged and not deregistered within the
 *      grace days; a registration whose certificate lapsed or was never
 *      issued within the grace days.
 *  R13 年度报告 — the annual report is filed by its deadline and its figures
 *      agree with the ledger's at 31 December of its year: 从业人员 (staff
 *      stated) = the unit's in-post staff (实有在职人数, all categories),
 *      编制 = its establishment, 开办资金 = its registered funds. Refused at
 *      commit: a report whose figures differ (a violation per figure: category
 *      "staff", "establishment" or "funds", allowed the ledger's figure,
 *      actual the stated one), a report for a year the unit was not
 *      registered at 31 December. Found at a date: a report not filed by
 *      its deadline plus grace (error), one filed after it (warning), and a
 *      filed report the ledger no longer agrees with (a change dated back
 *      into its year after it was filed).
 * Both are errors (seed §10: 网上登记率、网上年检率 100%); a document may not
 * except them.
 */
#ifndef BIANZHI_REGISTRATION_H
#define BIANZHI_REGISTRATION_H

#include "report.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A unit's registration at a date. Opaque; owned by the caller. Since 1.2. */
typedef struct bz_registration bz_registration;
/** An annual report with the ledger's figures beside it. Opaque. Since 1.2. */
typedef struct bz_annual_report bz_annual_report;

/** The registered fields (变更登记 changes one at a time). Since 1.2. */
typedef enum bz_reg_field {
	BZ_REG_NAME = 1,        /**< 名称 */
	BZ_REG_ADDRESS = 2,     /**< 住所 */
	BZ_REG_LEGAL_REP = 3,   /**< 法定代表人 */
	BZ_REG_SCOPE = 4,       /**< 宗旨和业务范围 */
	BZ_REG_FUNDS = 5,       /**< 开办资金 (yuan, decimal text) */
	BZ_REG_SPONSOR = 6,     /**< 举办单位 (a unit's UUID) */
	BZ_REG_FUNDING = 7,     /**< 经费来源 (a bz_funding, decimal text) */
	BZ_REG_CREDIT_CODE = 8  /**< 统一社会信用代码 */
} bz_reg_field;

/** Where a registration stands at a date. Since 1.2. */
typedef enum bz_reg_state {
	BZ_REG_REGISTERED = 1,   /**< 已登记 */
	BZ_REG_DEREGISTERED = 2  /**< 已注销 */
} bz_reg_state;

/** How a certificate came to be. Since 1.2. */
typedef enum bz_cert_kind {
	BZ_CERT_ISSUE = 1,   /**< 核发: the first, with the founding registration */
	BZ_CERT_RENEW = 2,   /**< 换发: a renewal */
	BZ_CERT_REISSUE = 3  /**< 补领: a lost one replaced; the old one is void */
} bz_cert_kind;

/**
 * 设立登记: register the public institution unit_uuid from date, resting on
 * the transaction's document (the approval) and decision_uuid (the decision,
 * a document of the ledger). sponsor_uuid a unit of the ledger, or NULL when
 * the ledger records no supervising unit; funding a bz_funding; credit_code
 * a valid GB 32100 code. R12 at commit compares the name, sponsor, funding
 * and code with the ledger on date (a ledger without a credit code for the
 * unit does not contradict one: the registration is what assigns it). BZ_EINVAL for a
 * unit that is not a public institution on date or is already registered,
 * BZ_ENOTFOUND for an unknown unit, sponsor or decision. Since 1.2.
 */
BZ_EXTERN int bz_registration_found(bz_txn *txn, const char *unit_uuid, const char *date, const char *decision_uuid,
				    const char *name, const char *address, const char *legal_rep, const char *scope,
				    int64_t funds, const char *sponsor_uuid, int funding, const char *credit_code);

/**
 * 变更登记: field (bz_reg_field) of the unit's registration becomes value
 * from date on (text; see bz_reg_field for funds, sponsor and funding). The
 * unit must be registered on date (BZ_EINVAL). Since 1.2.
 */
BZ_EXTERN int bz_registration_change(bz_txn *txn, const char *unit_uuid, int field, const char *value,
				     const char *date, const char *decision_uuid);

/**
 * 注销登记: end the registration on date for reason (text). The unit must be
 * registered on date (BZ_EINVAL); R12 refuses it at commit while the unit is
 * still in being on date. The certificate is void from date. Since 1.2.
 */
BZ_EXTERN int bz_registration_deregister(bz_txn *txn, const char *unit_uuid, const char *date,
					 const char *decision_uuid, const char *reason);

/**
 * A certificate (事业单位法人证书) numbered number (unique in the ledger,
 * BZ_EEXISTS) issued on issued, of kind bz_cert_kind, valid for the
 * "registration.cert_years" of that date: to the day before the same date
 * that many years on. The unit must be registered on issued (BZ_EINVAL);
 * BZ_CERT_ISSUE only for its first certificate, RENEW and REISSUE only
 * after one. The certificate before it is void from issued. Since 1.2.
 */
BZ_EXTERN int bz_registration_certify(bz_txn *txn, const char *unit_uuid, int kind, const char *number,
				      const char *issued);

/**
 * File the annual report (年度报告) of year for the unit on filed, stating
 * staff (从业人员), establishment (编制) and funds (开办资金, yuan). R13 at
 * commit compares them with the ledger at year-12-31. A later report of
 * the same year replaces it from its date (a correction). BZ_EINVAL if filed
 * is not after the year. Since 1.2.
 */
BZ_EXTERN int bz_registration_report_file(bz_txn *txn, const char *unit_uuid, int year, const char *filed,
					  int64_t staff, int64_t establishment, int64_t funds);

/**
 * The unit's registration as of date (NULL: today). BZ_ENOTFOUND if it was
 * never registered by then. *out owned by the caller
 * (bz_registration_free()). Since 1.2.
 */
BZ_EXTERN int bz_registration_lookup(bz_registration **out, bz_ledger *ledger, const char *unit_uuid,
				     const char *date);

/* Fields; strings borrowed until bz_registration_free(). Since 1.2. */
BZ_EXTERN const char *bz_registration_unit(const bz_registration *r);
/** One of bz_reg_state at the date asked. */
BZ_EXTERN int bz_registration_state(const bz_registration *r);
/** The founding registration's date. */
BZ_EXTERN const char *bz_registration_registered(const bz_registration *r);
/** Deregistration date and reason; NULL while registered. */
BZ_EXTERN const char *bz_registration_deregistered(const bz_registration *r);
BZ_EXTERN const char *bz_registration_reason(const bz_registration *r);
BZ_EXTERN const char *bz_registration_name(const bz_registration *r);
BZ_EXTERN const char *bz_registration_address(const bz_registration *r);
BZ_EXTERN const char *bz_registration_legal_rep(const bz_registration *r);
BZ_EXTERN const char *bz_registration_scope(const bz_registration *r);
BZ_EXTERN int64_t bz_registration_funds(const bz_registration *r);
BZ_EXTERN const char *bz_registration_sponsor(const bz_registration *r);
/** One of bz_funding. */
BZ_EXTERN int bz_registration_funding(const bz_registration *r);
BZ_EXTERN const char *bz_registration_credit_code(const bz_registration *r);
/** The current certificate's number, issue date, last valid day and kind; NULL / 0 if none. */
BZ_EXTERN const char *bz_registration_cert_number(const bz_registration *r);
BZ_EXTERN const char *bz_registration_cert_issued(const bz_registration *r);
BZ_EXTERN const char *bz_registration_cert_valid_until(const bz_registration *r);
BZ_EXTERN int bz_registration_cert_kind(const bz_registration *r);
/** 1 if the certificate is valid at the date asked (issued, not lapsed, not void), else 0. */
BZ_EXTERN int bz_registration_cert_valid(const bz_registration *r);
/** The date the registration was read at. */
BZ_EXTERN const char *bz_registration_as_of(const bz_registration *r);
BZ_EXTERN void bz_registration_free(bz_registration *r);

/**
 * The annual report of year for the unit, with the ledger's own figures at
 * year-12-31 beside the stated ones. BZ_ENOTFOUND if none was filed.
 * *out owned by the caller (bz_annual_report_free()). Since 1.2.
 */
BZ_EXTERN int bz_annual_report_get(bz_annual_report **out, bz_ledger *ledger, const char *unit_uuid, int year);
BZ_EXTERN const char *bz_annual_report_unit(const bz_annual_report *a);
BZ_EXTERN int bz_annual_report_year(const bz_annual_report *a);
BZ_EXTERN const char *bz_annual_report_filed(const bz_annual_report *a);
/** The deadline (with the grace days) the parameters give for its year. */
BZ_EXTERN const char *bz_annual_report_due(const bz_annual_report *a);
BZ_EXTERN int64_t bz_annual_report_staff(const bz_annual_report *a);
BZ_EXTERN int64_t bz_annual_report_establishment(const bz_annual_report *a);
BZ_EXTERN int64_t bz_annual_report_funds(const bz_annual_report *a);
/** The ledger's in-post staff, establishment and registered funds at year-12-31. */
BZ_EXTERN int64_t bz_annual_report_ledger_staff(const bz_annual_report *a);
BZ_EXTERN int64_t bz_annual_report_ledger_establishment(const bz_annual_report *a);
BZ_EXTERN int64_t bz_annual_report_ledger_funds(const bz_annual_report *a);
/** 1 if every stated figure agrees with the ledger's, else 0. */
BZ_EXTERN int bz_annual_report_agrees(const bz_annual_report *a);
BZ_EXTERN void bz_annual_report_free(bz_annual_report *a);

/**
 * The registration rates (seed §10: 网上登记率, 网上年检率) of a jurisdiction
 * and each jurisdiction under it that has public institutions, at date
 * (NULL: today), and a total row "合计". The report year is the last year
 * whose report deadline (with grace) is on or before date. Columns: 行政区划,
 * 应登记, 已登记, 登记率 (per cent, one decimal), 报告年度, 应报告, 按时报告,
 * 已报告, 年检率 (filed on time, per cent). An institution is required to
 * register when it is in being at date; it is registered when it holds a
 * registration at date; a report is due from each institution registered at
 * 31 December of the report year and in being at date. Since 1.2.
 */
BZ_EXTERN int bz_sheet_registration(bz_sheet **out, bz_ledger *ledger, const char *jurisdiction_code,
				    const char *date);

/**
 * The public institutions of a jurisdiction at date (NULL: today), one row
 * each, with what R12 and R13 find about them at that date (empty when in
 * step). Columns: 行政区划, 单位名称, 登记状态, 登记名称, 证书编号, 证书有效期至,
 * 报告年度, 报告日期, 报告从业人员, 台账实有人员, 问题. Since 1.2.
 */
BZ_EXTERN int bz_sheet_registration_units(bz_sheet **out, bz_ledger *ledger, const char *jurisdiction_code,
					  const char *date);

#ifdef __cplusplus
}
#endif
#endif
