/*
 * reconcile.h: reconciliation with another department's roster (seed §11:
 * 每年6月、11月会同组织、财政、人社部门核对一次 — the 吃空饷 check).
 *
 * The organisation, HR or finance department sends its roster (花名册, 工资
 * 发放名单) as CSV (UTF-8 with or without BOM, or GB18030 as Chinese Excel
 * writes it), XLSX or XLS. bz_reconcile() compares it with the ledger's
 * Table 3 at a date — the placements in post then, in every unit of the
 * ledger or of one jurisdiction — and lists every difference, each with the
 * roster's line and values, the ledger's values, and the ledger's record
 * (placement and document) that explains it.
 *
 * The roster's first non-blank row names its columns, in any order (white
 * space, a "*" and "（必填）" around a name are ignored):
 *   身份证号 (or 身份证号码, 公民身份号码)          required
 *   姓名                                          required
 *   单位名称 (or 单位, 工作单位) and/or 统一社会信用代码   one required;
 *       a credit code, when the row has one, decides the unit
 *   人员分类, 编制类别 (or 编制性质)                optional: compared with
 *       the placement's category by name (行政编制, 事业编制（参公）…, half-
 *       or full-width brackets alike) or code (XZ, SY …)
 *   发放状态 or 是否发放                           optional: a row is unpaid
 *       when it says 否, 无, 不…, 未…, anything with 停 (停发, 暂停发放), N, NO,
 *       FALSE or 0; otherwise (or without the column) it is paid
 * Other columns are ignored.
 *
 * ID numbers: a legacy 15-digit number matches its 18-digit form (19
 * inserted before the year, check character computed); 'x' is 'X'. A row
 * whose number has the right shape but a wrong check character, or that
 * matches nobody, is matched by name to a person in post in the row's unit
 * when exactly one such person is not on the roster otherwise: that is one
 * BZ_DIFF_IDNUM difference, not a "not on establishment" plus a "not on the
 * roster".
 *
 * Memory: the roster is streamed (bz_tab) into a temporary table of the
 * ledger's connection and the differences are computed in SQL, so a roster
 * of 100,000 rows costs SQLite's temporary store, not arrays of the library.
 */
#ifndef BIANZHI_RECONCILE_H
#define BIANZHI_RECONCILE_H

#include "placement.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct bz_diff bz_diff;
typedef struct bz_diff_iter bz_diff_iter;

/** A kind of difference between a roster and the ledger (bz_diff_kind()). */
typedef enum bz_difference {
	BZ_DIFF_NOT_ESTABLISHED = 1, /**< 在册未在编: on the roster and paid, but no placement in post at the date */
	BZ_DIFF_NOT_ON_ROSTER = 2,   /**< 在编未在册: in post at the date, but not on the roster (or on it unpaid) */
	BZ_DIFF_UNIT = 3,            /**< 单位不符: on the roster under another unit (or a unit the ledger does not know) */
	BZ_DIFF_CATEGORY = 4,        /**< 类别不符: on the roster under another category */
	BZ_DIFF_NAME = 5,            /**< 姓名不符: the roster's name is not the ledger's for the same ID number */
	BZ_DIFF_IDNUM = 6,           /**< 身份证号不符: the roster's ID number is invalid, or its birth date or sex disagree with the ledger's person */
	BZ_DIFF_LEFT_PAID = 7,       /**< 出编仍发放: the placement ended (出编) on or before the date, yet still paid */
	BZ_DIFF_DUPLICATE = 8,       /**< 重复: the same ID number again on a later line of the roster */
	BZ_DIFF_UNREADABLE = 9       /**< 无法识别: a roster row without an ID number */
} bz_difference;

/** Chinese name of a kind of difference ("在册未在编"); static, "" if unknown. Since 1.1. */
BZ_EXTERN const char *bz_difference_name(int kind);

/**
 * Reconcile the roster file at roster_path with the ledger's Table 3 at
 * date (NULL: the ledger's today), over the units of the jurisdiction with
 * division code jurisdiction_code and its sub-jurisdictions (NULL: every
 * unit of the ledger). Roster rows are matched against the whole ledger,
 * so a person in post in a unit outside the jurisdiction is a
 * BZ_DIFF_UNIT, not a BZ_DIFF_NOT_ESTABLISHED; only BZ_DIFF_NOT_ON_ROSTER
 * is limited to the jurisdiction.
 *
 * The differences come in roster order (by line), those without a roster
 * line (BZ_DIFF_NOT_ON_ROSTER of people absent from it) last, by unit and
 * name. *out owned by the caller (bz_diff_iter_free()); an iterator that
 * gives nothing means the roster agrees with the ledger.
 *
 * Errors: BZ_EINVAL (NULL out, ledger or roster_path; a malformed date;
 * a roster without the required columns: "<path> line N: no column 身份证号";
 * a malformed roster file: "<path> line N: …"; a file that is not a CSV,
 * XLSX or XLS), BZ_EIO ("<path>: no such file or directory"), BZ_ENOTFOUND
 * (no jurisdiction with that code), BZ_EMISUSE (a transaction is open on
 * the ledger: reconcile between transactions). The message is
 * bz_ledger_errmsg(ledger). Works on a ledger opened read-only.
 * Since 1.1.
 */
BZ_EXTERN int bz_reconcile(bz_diff_iter **out, bz_ledger *ledger, const char *roster_path,
			   const char *jurisdiction_code, const char *date);
/** The next difference; *out owned by the caller (bz_diff_free()). BZ_ITEROVER at the end. Since 1.1. */
BZ_EXTERN int bz_diff_iter_next(bz_diff **out, bz_diff_iter *it);
/** Free the iterator (and the temporary rows behind it); NULL is fine. Since 1.1. */
BZ_EXTERN void bz_diff_iter_free(bz_diff_iter *it);

/* Fields of a difference; strings borrowed until bz_diff_free(), NULL where
 * a side has no value. Since 1.1. */
/** What differs (bz_difference). */
BZ_EXTERN int bz_diff_kind(const bz_diff *d);
/** The roster's line (the physical line of a CSV, the sheet row of an XLSX/XLS); 0 for none. */
BZ_EXTERN int64_t bz_diff_line(const bz_diff *d);
/** The ID number: the roster's in 18-character form when it has a valid form, else as the roster wrote it; the ledger's when the roster has no row. */
BZ_EXTERN const char *bz_diff_id_number(const bz_diff *d);
/** The name on the roster. */
BZ_EXTERN const char *bz_diff_roster_name(const bz_diff *d);
/** The name of the ledger's person. */
BZ_EXTERN const char *bz_diff_ledger_name(const bz_diff *d);
/** The unit as the roster wrote it (its credit code when it gave one, else its name). */
BZ_EXTERN const char *bz_diff_roster_unit(const bz_diff *d);
/** UUID of the ledger's unit: the placement's unit. */
BZ_EXTERN const char *bz_diff_unit(const bz_diff *d);
/** Name of the ledger's unit at the date. */
BZ_EXTERN const char *bz_diff_unit_name(const bz_diff *d);
/** The category as the roster wrote it. */
BZ_EXTERN const char *bz_diff_roster_category(const bz_diff *d);
/** Code of the placement's category ("XZ", "SY" …). */
BZ_EXTERN const char *bz_diff_category(const bz_diff *d);
/** Name of the placement's category ("行政编制" …). */
BZ_EXTERN const char *bz_diff_category_name(const bz_diff *d);
/** UUID of the ledger's person. */
BZ_EXTERN const char *bz_diff_person(const bz_diff *d);
/** UUID of the ledger's placement that explains the difference (in post, or the one that ended). */
BZ_EXTERN const char *bz_diff_placement(const bz_diff *d);
/** Number (文号) of the document behind it: the exit's for BZ_DIFF_LEFT_PAID, else the entry's. */
BZ_EXTERN const char *bz_diff_document(const bz_diff *d);
/** A sentence on what differs ("also on line 12", "check character wrong …", "unpaid on the roster"); never NULL. */
BZ_EXTERN const char *bz_diff_detail(const bz_diff *d);
BZ_EXTERN void bz_diff_free(bz_diff *d);

#ifdef __cplusplus
}
#endif
#endif
