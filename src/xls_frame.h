/*
 * xls_frame.h: what the XLS helper (src/bianzhi-xls.c, installed as
 * LIBEXECDIR/bianzhi/bianzhi-xls) writes to its standard output, and
 * tabular.c reads back (issue 11: libfreexl runs in a process of its own,
 * so a crafted XLS that makes it read or write out of bounds can crash
 * only the helper, never the host — a JVM or a Python interpreter).
 *
 * The stream: the magic XLSF_MAGIC, then records of one tag byte each and
 * their payload; integers in the byte order of the machine (the helper is
 * always the host's own):
 *   'H' u32 rows, u32 cols   the first worksheet opened: its dimensions
 *   'R' u32 row              a row begins (0-based); cols cells follow
 *   'i' i32                  a cell holding an integer
 *   'd' f64                  a cell holding a number
 *   't' u32 n, n bytes       a cell holding text (or a date or time as text)
 *   'w' u32 n, n bytes       a cell holding a date and time as text
 *   'n'                      an empty cell
 *   'E' u8 why               the helper stops: one of XLSF_E_*
 *   'Z'                      the end: every row was written
 * The stream ends with 'E' or 'Z' and the helper exits 0; anything else (a
 * crash, a non-zero exit, a stream cut short) is the file not read.
 */
#ifndef BZ_XLS_FRAME_H
#define BZ_XLS_FRAME_H

#define XLSF_MAGIC "BZXLS1\n"
#define XLSF_MAGIC_LEN 7

enum {
	XLSF_E_KIND = 1,     /* not an XLS workbook freexl can open */
	XLSF_E_NOMEM = 2,    /* out of memory in the helper */
	XLSF_E_PASSWORD = 3, /* the workbook is password-protected */
	XLSF_E_SHEET = 4,    /* no readable first sheet */
	XLSF_E_CELL = 5,     /* a cell of the row begun last cannot be read */
	XLSF_E_USAGE = 6,    /* the helper was not given one file */
};

/* bounds the reader holds the helper to */
#define XLSF_ROWS_MAX 1048576u   /* rows of a sheet */
#define XLSF_COLS_MAX 16384u     /* columns of a sheet */
#define XLSF_TEXT_MAX (1u << 20) /* bytes of one cell's text */

#endif
