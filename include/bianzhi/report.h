/*
 * report.h: the reports of seed §13 — Table 1 (机构编制基本情况表), Table 2
 * (机构编制变更记录), Table 3 (实有人员花名册), the quota ledgers (机构编制限额
 * 台账: 总账, 分账1, 分账2), the per-unit ledger (单位机构编制台账), a person's
 * management card (人员编制管理卡) and the vacancy list (空编) — as sheets,
 * written as CSV, XLSX or JSON; and the organisation chart of a
 * jurisdiction as Graphviz DOT or SVG.
 *
 * A sheet (bz_sheet) is a snapshot of one table: a title, column headers
 * and rows of text cells, everything copied out of the ledger, so a sheet
 * outlives the ledger it came from. (A rules report is a bz_report, see
 * rules.h; a table is a "sheet".) Cells show names, not codes: 行政机关,
 * 正科, 全额拨款, 行政编制. Each column has a kind (bz_column_kind) so
 * writers can type its cells: an integer column holds decimal integers, a
 * date column ISO dates; an empty cell is NULL in either.
 *
 * Units come in the order offices use: by jurisdiction code, then in the
 * ledger's own order (the order they were recorded in), never by the byte
 * value of their names. "A jurisdiction" always means it and every
 * jurisdiction under it.
 *
 * Every constructor returns BZ_EINVAL for NULL or malformed arguments (a
 * date that is not YYYY-MM-DD, from after to), BZ_ENOTFOUND for an unknown
 * jurisdiction, unit or card, with the message in bz_ledger_errmsg(). On
 * success *out is owned by the caller (bz_sheet_free()); on failure it is
 * NULL. Since 1.1.
 */
#ifndef BIANZHI_REPORT_H
#define BIANZHI_REPORT_H

#include "establishment.h"

#ifdef __cplusplus
extern "C" {
#endif

/** One table of a report. Opaque; a handle owned by the caller. Since 1.1. */
typedef struct bz_sheet bz_sheet;

/** What a column holds, so that writers type its cells. Since 1.1. */
typedef enum bz_column_kind {
	BZ_COLUMN_TEXT = 1,    /**< 文本: UTF-8 text */
	BZ_COLUMN_INTEGER = 2, /**< 整数: a decimal integer (a number in XLSX and JSON) */
	BZ_COLUMN_DATE = 3     /**< 日期: an ISO date YYYY-MM-DD (a date in XLSX) */
} bz_column_kind;

/** File formats of bz_sheets_write(). Since 1.1. */
typedef enum bz_format {
	BZ_FORMAT_CSV = 1,  /**< CSV: UTF-8 with a BOM (so Excel opens it), CRLF, RFC 4180 quoting; one sheet */
	BZ_FORMAT_XLSX = 2, /**< XLSX: an Excel workbook, one worksheet per sheet */
	BZ_FORMAT_JSON = 3  /**< JSON: an array with one object per sheet */
} bz_format;

/** File formats of bz_org_chart_write(). Since 1.1. */
typedef enum bz_chart_format {
	BZ_CHART_DOT = 1, /**< Graphviz DOT text */
	BZ_CHART_SVG = 2  /**< SVG, laid out by Graphviz (dot) */
} bz_chart_format;

/* ---- the tables ---------------------------------------------------------- */

/**
 * Table 1, 机构编制基本情况表 (表1), of a jurisdiction (6-digit division
 * code) and every jurisdiction under it, at date (NULL: today): one row per
 * unit in being × establishment category it has establishment, staff,
 * slips or frozen posts in (a unit with none has one row with an empty
 * category). Columns: 行政区划, 单位名称, 单位性质, 规格, 经费形式, 编制类别,
 * 编制数, 实有人员, 控编预留, 空编, 超编, 冻结, 核定正职, 核定副职, 在任正职,
 * 在任副职, 核定内设机构, 内设机构, and since 1.2 机构编制管理证编号 and
 * 管理证状态 (the certificate the unit held at date, unitcert.h: 有效,
 * 已过期, 已作废, or 无 with an empty number; on every row). The figures per
 * row are those of bz_basic_table_get(); the leadership and sub-unit
 * columns are the unit's and are filled on its first row only, so that a
 * column sums right. Columns are only ever added at the end: read them by
 * header (bz_sheet_header()) or by the positions above.
 */
BZ_EXTERN int bz_sheet_table1(bz_sheet **out, bz_ledger *ledger, const char *jurisdiction_code, const char *date);

/**
 * Table 2, 机构编制变更记录 (表2): the change records of one unit (unit_uuid
 * non-NULL; jurisdiction_code is then ignored and may be NULL) or of every
 * unit of a jurisdiction (unit_uuid NULL), whose effective date lies in
 * [from, to] (either NULL: open), per unit in the units' order, then by
 * effective date and order of recording. Columns: 生效日期, 单位名称, 事项
 * (the kind's Chinese name: 成立, 更名, 核定编制, 入编 …), 文件依据 (document
 * number), 变更内容 ("规格: 正科 → 副处", values as names), 说明, 记录时间,
 * 记录人, and since 1.2 the unit's 机构编制管理证 at the record's effective
 * date (unitcert.h): 机构编制管理证编号, 发证日期, 有效期至, 管理证状态 (有效,
 * 已过期, 已作废, or 无). Its issue, renewal and void are records of their
 * own (核发/换发/作废机构编制管理证).
 */
BZ_EXTERN int bz_sheet_table2(bz_sheet **out, bz_ledger *ledger, const char *jurisdiction_code,
			      const char *unit_uuid, const char *from, const char *to);

/**
 * Table 3, 实有人员花名册 (表3): the people in post at date (NULL: today) in
 * one unit (unit_uuid non-NULL) or in every unit of a jurisdiction, per unit
 * in the units' order, then by entry date. Columns in the layout of the
 * real-name templates offices fill: 单位名称, 姓名, 性别, 身份证号, 出生日期,
 * 编制类别, 编制经费形式, 人员状态, 进入形式, 进入时间, 控编单编号, 管理卡号,
 * 民族, 籍贯, 政治面貌, 学历, 参加工作时间, 职务 (the last six from the
 * person's attributes of those names, as in force today; empty if unset).
 */
BZ_EXTERN int bz_sheet_table3(bz_sheet **out, bz_ledger *ledger, const char *jurisdiction_code,
			      const char *unit_uuid, const char *date);

/**
 * A quota ledger (机构编制限额台账) of a jurisdiction (its own limits, not
 * its sub-jurisdictions') up to date (NULL: today): branch
 * BZ_BRANCH_TOTAL (总账), BZ_BRANCH_ADMINISTRATIVE (分账1) or
 * BZ_BRANCH_INSTITUTION (分账2). Chronological, as the seed keeps it: one
 * row per change of the branch's limit (for the total: of either branch,
 * 总账 = 分账1 + 分账2) with its date, document and the change, then the
 * figures of bz_limit_ledger_get() on that date; a last row 现状 gives them
 * on date itself. Columns: 日期, 文件依据, 摘要, 限额增减, 限额, 已核编制,
 * 未分配, 实有人员, 控编预留, 冻结, 空编. BZ_EINVAL for another branch.
 */
BZ_EXTERN int bz_sheet_limits(bz_sheet **out, bz_ledger *ledger, const char *jurisdiction_code, int branch,
			      const char *date);

/**
 * The per-unit ledger (单位机构编制台账, 明细账1) of a unit up to date (NULL:
 * today): the unit's changes of its setting-up, establishment, leadership
 * quota and sub-units from its founding on, in date order, each with its
 * document (seed §13.1.2), and after each the unit's standing on that date:
 * establishment per category (one column per category the unit ever had,
 * headed by the category's name), 核定正职, 核定副职, 核定内设机构.
 * Columns: 日期, 文件依据, 事项, 变更内容, then those figures. Changes of
 * staff (placements, slips, appointments) are Table 2's and Table 3's.
 */
BZ_EXTERN int bz_sheet_unit_ledger(bz_sheet **out, bz_ledger *ledger, const char *unit_uuid, const char *date);

/**
 * A person's management card (人员编制管理卡) by card number: one row per
 * placement, oldest first, with the person's particulars on each. Columns:
 * 管理卡号, 发卡日期, 姓名, 性别, 身份证号, 出生日期, 单位名称, 编制类别,
 * 进入形式, 入编日期, 入编文件, 出编日期, 出编原因, 出编文件.
 */
BZ_EXTERN int bz_sheet_card(bz_sheet **out, bz_ledger *ledger, const char *card_number);

/**
 * The vacancy list (空编) of a jurisdiction at date (NULL: today): every
 * unit × category whose vacancies (bz_basic_table_vacant(): establishment −
 * staff − reserved − frozen) are above 0, in the units' order. Columns:
 * 行政区划, 单位名称, 单位性质, 编制类别, 编制数, 实有人员, 控编预留, 冻结, 空编.
 */
BZ_EXTERN int bz_sheet_vacancies(bz_sheet **out, bz_ledger *ledger, const char *jurisdiction_code,
				 const char *date);

/* ---- reading a sheet ---------------------------------------------------- */

/** The title, e.g. "机构编制基本情况表 (表1)"; borrowed until bz_sheet_free(). NULL for NULL. */
BZ_EXTERN const char *bz_sheet_title(const bz_sheet *sheet);
/** Number of columns (0 for NULL). */
BZ_EXTERN size_t bz_sheet_columns(const bz_sheet *sheet);
/** Header of column col (Chinese, as the forms head it); NULL past the end. Borrowed. */
BZ_EXTERN const char *bz_sheet_header(const bz_sheet *sheet, size_t col);
/** Kind of column col (bz_column_kind); 0 past the end. */
BZ_EXTERN int bz_sheet_column_kind(const bz_sheet *sheet, size_t col);
/** Number of rows, the header not counted (0 for NULL). */
BZ_EXTERN size_t bz_sheet_rows(const bz_sheet *sheet);
/** Text of a cell; NULL for an empty cell or past the end. Borrowed until bz_sheet_free(). */
BZ_EXTERN const char *bz_sheet_cell(const bz_sheet *sheet, size_t row, size_t col);
BZ_EXTERN void bz_sheet_free(bz_sheet *sheet);

/* ---- writing ------------------------------------------------------------ */

/**
 * Write n sheets to path in a bz_format:
 *  - BZ_FORMAT_CSV: UTF-8 with a BOM, the header row then the rows, CRLF,
 *    a field quoted (with "" for ") when it holds a comma, quote, CR or
 *    LF; one sheet per file, so n must be 1 (else BZ_EINVAL);
 *  - BZ_FORMAT_XLSX: one worksheet per sheet, named after its title (at most
 *    31 characters, made unique), a bold header row, panes frozen below it,
 *    column widths that fit the Chinese text, integer cells as numbers,
 *    date cells as dates;
 *  - BZ_FORMAT_JSON: an array with one object per sheet:
 *    {"title": …, "columns": [{"name": …, "kind": "text"|"integer"|"date"}],
 *    "rows": [[…], …]}, integers unquoted, empty cells null.
 * The file is written beside path under a temporary name and renamed over
 * path at the end, so a failure leaves no half-written file (and an older
 * file at path untouched). BZ_EINVAL for NULL arguments, n = 0, an unknown
 * format; BZ_EIO if the file cannot be written; BZ_ENOMEM. The message,
 * naming the path and the cause, is bz_sheets_errmsg().
 */
BZ_EXTERN int bz_sheets_write(const bz_sheet *const *sheets, size_t n, const char *path, int format);

/**
 * The text of n sheets as BZ_FORMAT_CSV (n must be 1; with the BOM) or
 * BZ_FORMAT_JSON, exactly as bz_sheets_write() would write the file, into
 * *out (NUL-terminated, owned by the caller: bz_free()). XLSX is not text:
 * BZ_EINVAL. For printing to a terminal or a pipe.
 */
BZ_EXTERN int bz_sheets_render(char **out, const bz_sheet *const *sheets, size_t n, int format);

/**
 * Why the last bz_sheets_write() or bz_sheets_render() of the calling
 * thread failed ("cannot create /no/such/dir/t1.csv: No such file or
 * directory"), "not an error" after a success. Static per thread: valid
 * until that thread's next such call.
 */
BZ_EXTERN const char *bz_sheets_errmsg(void);

/* ---- the organisation chart --------------------------------------------- */

/**
 * Write the organisation chart of a jurisdiction and those under it at
 * date (NULL: today) to path, as BZ_CHART_DOT or BZ_CHART_SVG: one cluster
 * per jurisdiction; each unit in being a box with its name, rank and
 * establishment against staff ("编制 12 / 实有 13"), under its supervising
 * unit (an edge from it); a unit over establishment in any category drawn
 * red with "超编 N"; its sub-units in being as small boxes hanging from it.
 * SVG is laid out in the process with Graphviz's libgvc (one chart at a
 * time: calls from several threads wait for each other). Written under a
 * temporary name and renamed, like bz_sheets_write(). BZ_EINVAL for bad
 * arguments, BZ_ENOTFOUND for an unknown jurisdiction, BZ_EIO if the file
 * cannot be written or laid out; the message is bz_ledger_errmsg().
 */
BZ_EXTERN int bz_org_chart_write(bz_ledger *ledger, const char *jurisdiction_code, const char *date,
				 const char *path, int format);

#ifdef __cplusplus
}
#endif
#endif
