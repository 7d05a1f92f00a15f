/*
 * report_int.h: what the report files share (report.c builds the sheets,
 * report_write.c writes them, report_chart.c draws the chart). Nothing here
 * is part of the ABI.
 */
#ifndef BZ_REPORT_INT_H
#define BZ_REPORT_INT_H

#include "catalogue.h"

struct bz_sheet {
	char *title;
	size_t ncols;
	char **headers;
	int *kinds;
	size_t nrows, cap; /* rows, rows allocated */
	char **cells;      /* nrows × ncols, row-major; NULL = empty */
	bool oom;          /* an allocation failed while building */
};

/* A growing text buffer; oom once any append failed (then it stays put). */
typedef struct bz_buf {
	char *p;
	size_t n, cap;
	bool oom;
} bz_buf;

BZ_INTERNAL void bz_buf_put(bz_buf *b, const char *s, size_t len);
BZ_INTERNAL void bz_buf_puts(bz_buf *b, const char *s);
BZ_INTERNAL void bz_buf_printf(bz_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A unit of a report's scope: its UUID and its jurisdiction's division code. */
typedef struct bz_scope_unit {
	char id[BZ_UUID_LEN + 1];
	char code[8];
} bz_scope_unit;

/*
 * The units of a jurisdiction and every jurisdiction under it founded on or
 * before until (NULL: any), by division code, then in the ledger's order of
 * recording. *out malloc'd (bz__free()); ENOTFOUND for an unknown jurisdiction.
 */
BZ_INTERNAL int bz_scope_units(bz_ledger *l, const char *jurisdiction_code, const char *until, bz_scope_unit **out,
			       size_t *n);

/*
 * Write the bytes of a file to path through a temporary file beside it,
 * renamed over path at the end; on failure nothing is left and errbuf
 * says why, naming the path. BZ_OK or BZ_EIO.
 */
BZ_INTERNAL int bz_file_replace(const char *path, const char *data, size_t len, char *errbuf, size_t errlen);
/* A fresh temporary name beside path (created empty, mode 0644 less umask) into *tmp (malloc'd). */
BZ_INTERNAL int bz_file_temp(const char *path, char **tmp, char *errbuf, size_t errlen);

#endif
