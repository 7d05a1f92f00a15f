/*
 * import.h: bulk import of the sheets establishment offices already fill —
 * the unit sheet and the real-name person sheet (实名制人员信息表) that
 * 编办 hand out to units — from CSV (UTF-8 with or without BOM, or
 * GB18030 as Chinese Excel writes it; quoted fields, CRLF), XLSX or the
 * legacy XLS (the first sheet), the kind told by the file's content.
 *
 * Headers are matched by name in any order (surrounding spaces, a trailing
 * "*" or "（必填）" ignored); choice values as the templates spell them
 * (行政机关, 正科级, 县处级副职, 全额拨款, 行政编制, 考录, 军转, 调入 …) or as
 * the library's codes; dates as 2012-03-05, 2012.3.5, 2012/3/5, 2012年3月5日
 * or 20120305. A column the ledger has no field for is kept, not dropped:
 * as an attribute of the unit (bz_unit_attr_get(), unit.h) or of the person
 * (bz_person_attr()), under its header.
 *
 * An import runs inside the caller's transaction, as one change: every row
 * is read and checked (a row whose unit is unknown, whose ID number is not
 * valid, whose date or choice value cannot be read …); if any row is
 * refused, nothing of the file is written, the call returns BZ_EINVAL and
 * the outcome lists every refused row with its line and the reason. The
 * rows are streamed: memory does not grow with the number of rows (only
 * with the refused ones). The rules are checked at bz_txn_commit() as for
 * any change — all of them; in an opening transaction (opening.h) the
 * people need no usage slip.
 *
 * On SQLite the rows are written in batches of 256 under one savepoint
 * rather than one savepoint per change (since 1.3.4; a fifth less time per
 * row): a batch in which the library refuses a change is taken back and
 * its rows imported again one at a time, so the outcome — rows, refusals,
 * what is written — is the same as row by row.
 *
 * Unit sheet columns: 机构名称 (required), 规范简称, 机构性质 (required:
 * 行政机关, 事业单位, 群众团体, 民主党派; 参照公务员法管理 marks 参公),
 * 机构级别, 经费形式, 隶属单位 (the supervising unit: a unit of the ledger
 * or one earlier in the sheet, by name), 统一社会信用代码, 成立时间, 所属区划
 * (division code; default the jurisdiction argument), 编制类别 (default
 * by nature: 行政编制 for organs and the rest, 事业编制 for institutions,
 * 事业编制（参公） for 参公 ones), 编制数,
 * 领导职数 ("1正2副", or a number of deputies with one principal),
 * 内设机构数. The figures take effect from the founding date (成立时间) or,
 * where the sheet has none, from as_of.
 *
 * Person sheet columns: 单位名称 (required; the unit by name, in the
 * jurisdiction argument or any), 姓名 and 身份证号 (required; 15-digit
 * numbers are converted), 编制类别 (required), 进入时间 (required), 进入形式
 * (default 其他), 性别 and 出生日期 (checked against the ID number at
 * commit, R10), 控编单编号 (the usage slip by number; empty: none), 领导职务级别
 * with 职务 and 任现职时间 (a leadership appointment of the unit: 职务
 * beginning with 副 is a deputy post, any other a principal post; the
 * level is the person's stated rank), and any other column (所在机构, 人员分类,
 * 编制经费形式, 人员状态, 岗位类别, 是否高配, 民族, 籍贯, 政治面貌, 学历,
 * 参加工作时间 …) kept as a person attribute from the entry date; 管理卡号
 * is read and left (the ledger issues its own card numbers), so that Table 3
 * (bz_sheet_table3(), the same layout) imports back. A person
 * already in the ledger (same ID number) is placed again, not registered
 * twice; the name must agree.
 */
#ifndef BIANZHI_IMPORT_H
#define BIANZHI_IMPORT_H

#include "txn.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The outcome of an import: what was read and written, and every refused row. Opaque. */
typedef struct bz_import bz_import;

/**
 * Import the unit sheet at path (see above) into txn; units go into
 * jurisdiction_code unless a row names its 所属区划. as_of ("YYYY-MM-DD")
 * dates the figures of rows without 成立时间, which is then required of no
 * row; NULL makes 成立时间 required.
 *
 * BZ_OK: every row imported. BZ_EINVAL: rows refused (or a missing
 * required column), nothing written, *out lists them; BZ_EIO: the file
 * cannot be read (the message names it and the cause), *out NULL. *out owned
 * by the caller (bz_import_free()). Since 1.1.
 */
BZ_EXTERN int bz_import_units(bz_import **out, bz_txn *txn, const char *path, const char *jurisdiction_code,
			      const char *as_of);
/**
 * Import the person sheet at path (see above) into txn: each row registers
 * the person (unless known), places them into the unit's category on the
 * entry date, makes the leadership appointment a row states, and keeps the
 * other columns as attributes. Units are found by name in
 * jurisdiction_code (NULL: in any jurisdiction, a name borne by one unit
 * only). Returns as bz_import_units(). Since 1.1.
 */
BZ_EXTERN int bz_import_people(bz_import **out, bz_txn *txn, const char *path, const char *jurisdiction_code);

/** Data rows read (the header row not counted). */
BZ_EXTERN int64_t bz_import_rows(const bz_import *imp);
/** Units established; persons registered; placements entered; appointments made (0 when refused). */
BZ_EXTERN int64_t bz_import_units_created(const bz_import *imp);
BZ_EXTERN int64_t bz_import_persons_registered(const bz_import *imp);
BZ_EXTERN int64_t bz_import_placements(const bz_import *imp);
BZ_EXTERN int64_t bz_import_appointments(const bz_import *imp);
/** Number of refused rows (problems). */
BZ_EXTERN size_t bz_import_problem_count(const bz_import *imp);
/** The line (CSV line, sheet row) of the index-th problem, 0 for the file as a whole; -1 past the end. */
BZ_EXTERN int64_t bz_import_problem_line(const bz_import *imp, size_t index);
/** The column (its header) the index-th problem is about; NULL if the row as a whole, or past the end. */
BZ_EXTERN const char *bz_import_problem_column(const bz_import *imp, size_t index);
/** The reason, a sentence; NULL past the end. */
BZ_EXTERN const char *bz_import_problem_message(const bz_import *imp, size_t index);
BZ_EXTERN void bz_import_free(bz_import *imp);

#ifdef __cplusplus
}
#endif
#endif
