/*
 * bianzhi-xls FILE: read the first worksheet of one XLS (BIFF) workbook
 * with libfreexl and write its cells to standard output in the framed form
 * of xls_frame.h. libbianzhi runs it (posix_spawn, argv only) for every XLS
 * file it reads, so that libfreexl — which a crafted file can make read out
 * of bounds (tests/fuzz/known/) — never runs inside the host process.
 * Installed as LIBEXECDIR/bianzhi/bianzhi-xls; not meant to be run by hand.
 * Exit status: 0 when the stream ended with 'Z' or 'E'; 2 when standard
 * output could not be written.
 */
#include "xls_frame.h"

#include <freexl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void out(const void *p, size_t n)
{
	if (fwrite(p, 1, n, stdout) != n)
		exit(2);
}

static void tag(char t)
{
	out(&t, 1);
}

static void u32(uint32_t v)
{
	out(&v, sizeof v);
}

static void text(char t, const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n > XLSF_TEXT_MAX)
		n = XLSF_TEXT_MAX;
	tag(t);
	u32((uint32_t)n);
	out(s ? s : "", n);
}

static int stop(const void *xls, unsigned char why)
{
	tag('E');
	out(&why, 1);
	if (xls)
		freexl_close(xls);
	return fflush(stdout) == 0 ? 0 : 2;
}

int main(int argc, char **argv)
{
	out(XLSF_MAGIC, XLSF_MAGIC_LEN);
	if (argc != 2)
		return stop(NULL, XLSF_E_USAGE);
	const void *xls = NULL;
	int r = freexl_open(argv[1], &xls);
	if (r != FREEXL_OK) {
		if (xls)
			freexl_close(xls);
		return stop(NULL, r == FREEXL_INSUFFICIENT_MEMORY ? XLSF_E_NOMEM : XLSF_E_KIND);
	}
	unsigned pw = 0;
	if (freexl_get_info(xls, FREEXL_BIFF_PASSWORD, &pw) == FREEXL_OK && pw == FREEXL_BIFF_OBFUSCATED)
		return stop(xls, XLSF_E_PASSWORD);
	unsigned rows = 0;
	unsigned short cols = 0;
	if (freexl_select_active_worksheet(xls, 0) != FREEXL_OK || freexl_worksheet_dimensions(xls, &rows, &cols) != FREEXL_OK ||
	    rows > XLSF_ROWS_MAX || cols > XLSF_COLS_MAX)
		return stop(xls, XLSF_E_SHEET);
	tag('H');
	u32(rows);
	u32(cols);
	for (unsigned row = 0; row < rows; row++) {
		tag('R');
		u32(row);
		for (unsigned short c = 0; c < cols; c++) {
			FreeXL_CellValue v;
			if (freexl_get_cell_value(xls, row, c, &v) != FREEXL_OK)
				return stop(xls, XLSF_E_CELL);
			switch (v.type) {
			case FREEXL_CELL_INT: {
				int32_t i = v.value.int_value;
				tag('i');
				out(&i, sizeof i);
				break;
			}
			case FREEXL_CELL_DOUBLE: {
				double d = v.value.double_value;
				tag('d');
				out(&d, sizeof d);
				break;
			}
			case FREEXL_CELL_DATETIME:
				text('w', v.value.text_value);
				break;
			case FREEXL_CELL_TEXT:
			case FREEXL_CELL_SST_TEXT:
			case FREEXL_CELL_DATE:
			case FREEXL_CELL_TIME:
				text('t', v.value.text_value);
				break;
			default:
				tag('n');
				break;
			}
		}
	}
	tag('Z');
	freexl_close(xls);
	return fflush(stdout) == 0 ? 0 : 2;
}
