/*
 * tabular.h: the library's reader of the tabular files offices exchange —
 * CSV (UTF-8 with or without BOM, GB18030, UTF-16LE with BOM), XLSX and the
 * legacy XLS — one row at a time, for the bulk import (opening balances) and
 * the reconciliation with other departments' rosters. Internal: nothing here
 * is part of the ABI.
 *
 * Built on maintained parsers, none hand-written: libcsv for CSV, iconv
 * (glibc) for GB18030 and UTF-16, minizip + libxml2's xmlTextReader for
 * XLSX, libfreexl for XLS.
 */
#ifndef BZ_TABULAR_H
#define BZ_TABULAR_H

#include "internal.h"

typedef struct bz_tab bz_tab;

/*
 * Open a tabular file. The kind is detected from the content, never the
 * extension: a zip (PK\3\4) is XLSX (its first worksheet), an OLE2
 * compound file (D0 CF 11 E0) is XLS (its first sheet), anything else is
 * CSV. A CSV's encoding is detected: a UTF-8 BOM or valid UTF-8 is UTF-8;
 * FF FE is UTF-16LE; a file that is not valid UTF-8 is GB18030 (what
 * Chinese Excel writes by default; GB2312 and GBK are subsets of it). A
 * file with NUL bytes that is not UTF-16 is not a CSV.
 *
 * Errors: BZ_EINVAL for NULL arguments; BZ_EIO "<path>: <cause>" (e.g.
 * "no such file or directory") when the file cannot be read; BZ_EINVAL
 * "<path>: not a CSV, XLSX or XLS file" for a binary file, a zip that is
 * not a workbook, an OLE2 file that is not a workbook; BZ_ENOMEM. l gets the
 * message and is used for nothing else (any open ledger; NULL: no message).
 * *out owned by the caller, bz_tab_close().
 */
BZ_INTERNAL int bz_tab_open(bz_tab **out, bz_ledger *l, const char *path);

/*
 * The next non-blank row (a row whose cells are all empty is skipped):
 * *ncells cells of UTF-8 text, NUL-terminated, trimmed of surrounding
 * white space (ASCII, U+3000 ideographic and U+00A0 no-break spaces), an
 * empty cell "". Cells past *ncells are empty. Borrowed until the next call
 * or bz_tab_close(). *line is the 1-based line for messages: for a CSV the
 * physical line the record starts on, for XLSX/XLS the sheet's row number.
 *
 * XLSX/XLS cells: a number is written as an integer when whole (no
 * exponent: 410102198001011234 stored as a number reads back as Excel shows
 * it, 15 significant digits then zeros — digits Excel lost stay lost, none
 * are invented), otherwise with up to 15 significant digits; a number in a
 * cell with a date format (built-in or custom, the CJK ones included) is
 * the date "YYYY-MM-DD" (a time of day is dropped); booleans "TRUE"/"FALSE".
 *
 * Returns BZ_OK, BZ_ITEROVER at the end (and again on every later call),
 * or an error with the message on the ledger given to bz_tab_open():
 * BZ_EINVAL "<path> line N: <reason>" for malformed content (a quoted field
 * not closed, a stray quote — libcsv's strict mode —, a field over 1 MiB,
 * text that is not GB18030, malformed sheet XML), BZ_EIO for a read error, BZ_ENOMEM. After an error every call
 * returns the same error.
 *
 * Streaming: a CSV is read in 64 KiB blocks and an XLSX sheet through a
 * streaming XML reader, so memory does not grow with the number of rows —
 * only with the widest row (an XLSX's shared strings and an XLS, which
 * libfreexl loads whole, excepted).
 */
BZ_INTERNAL int bz_tab_next(bz_tab *t, size_t *ncells, const char *const **cells, long *line);

/* Close and free; NULL is fine. */
BZ_INTERNAL void bz_tab_close(bz_tab *t);

/*
 * The most bytes the reader's row buffers ever held (the rows queued and
 * their cell pointers), for tests that prove memory stays flat.
 */
BZ_INTERNAL size_t bz_tab_peak(const bz_tab *t);

/*
 * A date as offices type it into "YYYY-MM-DD" (out: 11 bytes):
 * 2012-03-05, 2012-3-5, 2012/3/5, 2012.3.5, 2012年3月5日 (日 may be left
 * out), 20120305; a time after the date (" 08:00:00", "T08:00") is ignored.
 * Surrounding spaces are ignored. The date must exist in the calendar.
 * BZ_OK or BZ_EINVAL (out is then ""). An Excel serial number (40973) is
 * not accepted: the XLSX/XLS reader already turns date-formatted cells into
 * YYYY-MM-DD, and a bare number in a text column is more likely a typo than
 * a date.
 */
BZ_INTERNAL int bz_tab_date(char out[BZ_DATE_LEN + 1], const char *text);

/*
 * Find the columns of a header row: col_of[i] = index in cells[0..n) of
 * names[i], or -1 if absent. Headers match by name in any order; white
 * space anywhere in either (ASCII and full-width: "姓　名" is 姓名) and a
 * leading or trailing "*", "（必填）" or "(必填)" are ignored. When a name
 * appears twice the first column wins. BZ_OK, or BZ_EINVAL for NULL
 * arguments.
 */
BZ_INTERNAL int bz_tab_header(const char *const *cells, size_t n, const char *const *names,
			      size_t nnames, int *col_of);

#endif
