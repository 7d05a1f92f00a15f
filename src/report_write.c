/*
 * report_write.c: writing sheets as CSV, XLSX (libxlsxwriter) and JSON, and
 * the temporary-file-then-rename that keeps a failure from leaving half a
 * file behind.
 */
#include "report_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <xlsxwriter.h>

/* ---- the writers' last error, per thread (a sheet has no ledger) ------------- */

static _Thread_local char sheets_err[BZ_ERRMSG_MAX];

static int werr(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int werr(int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(sheets_err, sizeof sheets_err, fmt, ap);
	va_end(ap);
	return code;
}

BZ_EXTERN const char *bz_sheets_errmsg(void)
{
	return sheets_err[0] ? sheets_err : "not an error";
}

/* ---- a growing buffer ------------------------------------------------------- */

void bz_buf_put(bz_buf *b, const char *s, size_t len)
{
	if (b->oom)
		return;
	if (b->n + len + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->n + len + 1)
			cap *= 2;
		char *p = bz__realloc(b->p, cap);
		if (!p) {
			b->oom = true;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->n, s, len);
	b->n += len;
	b->p[b->n] = '\0';
}

void bz_buf_puts(bz_buf *b, const char *s) { bz_buf_put(b, s, strlen(s)); }

void bz_buf_printf(bz_buf *b, const char *fmt, ...)
{
	char small[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->oom = true;
		return;
	}
	if ((size_t)n < sizeof small) {
		bz_buf_put(b, small, (size_t)n);
		return;
	}
	char *big = bz__malloc((size_t)n + 1);
	if (!big) {
		b->oom = true;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	bz_buf_put(b, big, (size_t)n);
	bz__free(big);
}

/* ---- files: a temporary name, then rename ------------------------------------ */

static void errtext(char *out, size_t len, int err)
{
	if (strerror_r(err, out, len) != 0)
		snprintf(out, len, "error %d", err);
}

int bz_file_temp(const char *path, char **tmp, char *errbuf, size_t errlen)
{
	static _Atomic unsigned counter;
	size_t n = strlen(path) + 48;
	*tmp = NULL;
	char *name = bz__malloc(n);
	if (!name) {
		snprintf(errbuf, errlen, "cannot write %s: out of memory", path);
		return BZ_ENOMEM;
	}
	for (int tries = 0; tries < 100; tries++) {
		snprintf(name, n, "%s.tmp-%ld-%u", path, (long)getpid(), counter++);
		/* O_EXCL: never write through a name someone else made; 0666 less the umask, as any new file */
		int fd = open(name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (fd >= 0) {
			close(fd);
			*tmp = name;
			return BZ_OK;
		}
		if (errno != EEXIST) {
			char why[128];
			errtext(why, sizeof why, errno);
			snprintf(errbuf, errlen, "cannot create %s: %s", path, why);
			bz__free(name);
			return BZ_EIO;
		}
	}
	snprintf(errbuf, errlen, "cannot create %s: no free temporary name beside it", path);
	bz__free(name);
	return BZ_EIO;
}

/* rename the finished temporary file over path; on failure remove it */
static int file_commit(const char *tmp, const char *path, char *errbuf, size_t errlen)
{
	if (rename(tmp, path) == 0)
		return BZ_OK;
	char why[128];
	errtext(why, sizeof why, errno);
	snprintf(errbuf, errlen, "cannot write %s: %s", path, why);
	unlink(tmp);
	return BZ_EIO;
}

int bz_file_replace(const char *path, const char *data, size_t len, char *errbuf, size_t errlen)
{
	char *tmp = NULL;
	int rc = bz_file_temp(path, &tmp, errbuf, errlen);
	if (rc != BZ_OK)
		return rc;
	FILE *f = fopen(tmp, "wb");
	int err = f ? 0 : errno;
	if (f && fwrite(data, 1, len, f) != len)
		err = errno ? errno : EIO;
	if (f && fflush(f) != 0 && !err)
		err = errno;
	if (f && fsync(fileno(f)) != 0 && !err && errno != EINVAL)
		err = errno;
	if (f && fclose(f) != 0 && !err)
		err = errno;
	if (err) {
		char why[128];
		errtext(why, sizeof why, err);
		snprintf(errbuf, errlen, "cannot write %s: %s", path, why);
		unlink(tmp);
		bz__free(tmp);
		return BZ_EIO;
	}
	rc = file_commit(tmp, path, errbuf, errlen);
	bz__free(tmp);
	return rc;
}

/* ---- CSV ------------------------------------------------------------------------ */

static void csv_field(bz_buf *b, const char *s)
{
	if (!s)
		return;
	if (!strpbrk(s, ",\"\r\n")) {
		bz_buf_puts(b, s);
		return;
	}
	bz_buf_put(b, "\"", 1);
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			bz_buf_put(b, "\"", 1);
		bz_buf_put(b, p, 1);
	}
	bz_buf_put(b, "\"", 1);
}

static void csv_sheet(bz_buf *b, const bz_sheet *s)
{
	bz_buf_puts(b, "\xEF\xBB\xBF"); /* the BOM: Excel reads UTF-8 only with it */
	for (size_t c = 0; c < s->ncols; c++) {
		if (c)
			bz_buf_put(b, ",", 1);
		csv_field(b, s->headers[c]);
	}
	bz_buf_put(b, "\r\n", 2);
	for (size_t r = 0; r < s->nrows; r++) {
		for (size_t c = 0; c < s->ncols; c++) {
			if (c)
				bz_buf_put(b, ",", 1);
			csv_field(b, s->cells[r * s->ncols + c]);
		}
		bz_buf_put(b, "\r\n", 2);
	}
}

/* ---- JSON ------------------------------------------------------------------------ */

static void json_string(bz_buf *b, const char *s)
{
	bz_buf_put(b, "\"", 1);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"': bz_buf_puts(b, "\\\""); break;
		case '\\': bz_buf_puts(b, "\\\\"); break;
		case '\n': bz_buf_puts(b, "\\n"); break;
		case '\r': bz_buf_puts(b, "\\r"); break;
		case '\t': bz_buf_puts(b, "\\t"); break;
		default:
			if (*p < 0x20)
				bz_buf_printf(b, "\\u%04x", *p);
			else
				bz_buf_put(b, (const char *)p, 1);
		}
	}
	bz_buf_put(b, "\"", 1);
}

/* a decimal integer JSON can carry as a number */
static bool integer_text(const char *s)
{
	const char *p = s;
	if (*p == '-')
		p++;
	if (!*p || (*p == '0' && p[1]) || strlen(p) > 18)
		return false;
	for (; *p; p++)
		if (*p < '0' || *p > '9')
			return false;
	return true;
}

static const char *kind_word(int kind)
{
	return kind == BZ_COLUMN_INTEGER ? "integer" : kind == BZ_COLUMN_DATE ? "date" : "text";
}

static void json_sheets(bz_buf *b, const bz_sheet *const *sheets, size_t n)
{
	bz_buf_puts(b, "[");
	for (size_t i = 0; i < n; i++) {
		const bz_sheet *s = sheets[i];
		bz_buf_puts(b, i ? ",\n{\"title\":" : "\n{\"title\":");
		json_string(b, s->title);
		bz_buf_puts(b, ",\n \"columns\":[");
		for (size_t c = 0; c < s->ncols; c++) {
			bz_buf_puts(b, c ? ",{\"name\":" : "{\"name\":");
			json_string(b, s->headers[c]);
			bz_buf_printf(b, ",\"kind\":\"%s\"}", kind_word(s->kinds[c]));
		}
		bz_buf_puts(b, "],\n \"rows\":[");
		for (size_t r = 0; r < s->nrows; r++) {
			bz_buf_puts(b, r ? ",\n  [" : "\n  [");
			for (size_t c = 0; c < s->ncols; c++) {
				const char *v = s->cells[r * s->ncols + c];
				if (c)
					bz_buf_put(b, ",", 1);
				if (!v)
					bz_buf_puts(b, "null");
				else if (s->kinds[c] == BZ_COLUMN_INTEGER && integer_text(v))
					bz_buf_puts(b, v);
				else
					json_string(b, v);
			}
			bz_buf_put(b, "]", 1);
		}
		bz_buf_puts(b, "]}");
	}
	bz_buf_puts(b, "\n]\n");
}

/* ---- XLSX ------------------------------------------------------------------------ */

/* display width of UTF-8 text in Excel's character units: CJK and full-width count 2 */
static double text_width(const char *s)
{
	double w = 0;
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		unsigned cp;
		int len;
		if (*p < 0x80) {
			cp = *p;
			len = 1;
		} else if ((*p & 0xE0) == 0xC0) {
			cp = *p & 0x1F;
			len = 2;
		} else if ((*p & 0xF0) == 0xE0) {
			cp = *p & 0x0F;
			len = 3;
		} else {
			cp = *p & 0x07;
			len = 4;
		}
		for (int i = 1; i < len; i++) {
			if ((p[i] & 0xC0) != 0x80) {
				len = i;
				break;
			}
			cp = (cp << 6) | (p[i] & 0x3F);
		}
		p += len;
		w += (cp >= 0x1100 && (cp <= 0x115F || (cp >= 0x2E80 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3) ||
				      (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) ||
				      (cp >= 0xFF00 && cp <= 0xFF60) || (cp >= 0xFFE0 && cp <= 0xFFE6) || cp >= 0x20000))
			     ? 2.0
			     : 1.0;
	}
	return w;
}

/*
 * A worksheet name from a title: at most 31 UTF-16 units, none of []:*?/\,
 * not starting or ending with an apostrophe, unique (case-insensitively)
 * among the names taken so far; "(2)", "(3)" … appended to make it so.
 */
static void sheet_name(char out[128], const char *title, char taken[][128], size_t ntaken)
{
	char base[128];
	size_t n = 0, units = 0;
	for (const unsigned char *p = (const unsigned char *)title; *p && n < sizeof base - 5;) {
		int len = *p < 0x80 ? 1 : (*p & 0xE0) == 0xC0 ? 2 : (*p & 0xF0) == 0xE0 ? 3 : 4;
		int u = len == 4 ? 2 : 1;
		if (units + u > 31 || n + len >= sizeof base - 5)
			break;
		if (len == 1 && strchr("[]:*?/\\", *p))
			base[n++] = '_';
		else
			for (int i = 0; i < len && p[i]; i++)
				base[n++] = (char)p[i];
		units += u;
		p += len;
	}
	base[n] = '\0';
	while (n && (base[n - 1] == '\'' || base[n - 1] == ' '))
		base[--n] = '\0';
	if (base[0] == '\'')
		base[0] = '_';
	if (!n)
		strcpy(base, "Sheet");
	for (int k = 1;; k++) {
		if (k == 1) {
			snprintf(out, 128, "%s", base);
		} else {
			char suffix[16];
			int sl = snprintf(suffix, sizeof suffix, "(%d)", k);
			/* cut the base back to a character boundary with room for the suffix */
			size_t keep = strlen(base), u = 0;
			for (const unsigned char *p = (const unsigned char *)base; *p;) {
				int len = *p < 0x80 ? 1 : (*p & 0xE0) == 0xC0 ? 2 : (*p & 0xF0) == 0xE0 ? 3 : 4;
				if (u + (len == 4 ? 2 : 1) > (size_t)(31 - sl)) {
					keep = (size_t)((const char *)p - base);
					break;
				}
				u += len == 4 ? 2 : 1;
				p += len;
			}
			snprintf(out, 128, "%.*s%s", (int)keep, base, suffix);
		}
		bool clash = false;
		for (size_t i = 0; i < ntaken && !clash; i++)
			clash = strcasecmp(taken[i], out) == 0;
		if (!clash)
			return;
	}
}

static int xlsx_sheet(lxw_workbook *wb, lxw_worksheet *ws, const bz_sheet *s, lxw_format *bold, lxw_format *datef,
		      const char *path)
{
	lxw_error e = LXW_NO_ERROR;
	double *width = bz__calloc(s->ncols ? s->ncols : 1, sizeof *width);
	if (!width)
		return werr(BZ_ENOMEM, "cannot write %s: out of memory", path);
	(void)wb;
	for (size_t c = 0; c < s->ncols && !e; c++) {
		e = worksheet_write_string(ws, 0, (lxw_col_t)c, s->headers[c], bold);
		width[c] = text_width(s->headers[c]);
	}
	for (size_t r = 0; r < s->nrows && !e; r++) {
		for (size_t c = 0; c < s->ncols && !e; c++) {
			const char *v = s->cells[r * s->ncols + c];
			if (!v)
				continue;
			lxw_row_t row = (lxw_row_t)(r + 1);
			lxw_col_t col = (lxw_col_t)c;
			int y, m, d;
			char *end = NULL;
			long long num = 0;
			if (s->kinds[c] == BZ_COLUMN_INTEGER && (num = strtoll(v, &end, 10), end && *end == '\0' && end != v)) {
				e = worksheet_write_number(ws, row, col, (double)num, NULL);
			} else if (s->kinds[c] == BZ_COLUMN_DATE && bz_date_ok(v) && sscanf(v, "%d-%d-%d", &y, &m, &d) == 3) {
				lxw_datetime dt = {y, m, d, 0, 0, 0};
				e = worksheet_write_datetime(ws, row, col, &dt, datef);
			} else {
				e = worksheet_write_string(ws, row, col, v, NULL);
			}
			double w = s->kinds[c] == BZ_COLUMN_DATE ? 10 : text_width(v);
			if (w > width[c])
				width[c] = w;
		}
	}
	for (size_t c = 0; c < s->ncols && !e; c++) {
		double w = width[c] + 2;
		e = worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, w < 8 ? 8 : w > 60 ? 60 : w, NULL);
	}
	bz__free(width);
	if (e)
		return werr(BZ_EIO, "cannot write %s: %s (sheet %s)", path, lxw_strerror(e), s->title);
	worksheet_freeze_panes(ws, 1, 0);
	if (s->ncols)
		worksheet_autofilter(ws, 0, 0, (lxw_row_t)s->nrows, (lxw_col_t)(s->ncols - 1));
	return BZ_OK;
}

static int xlsx_write(const bz_sheet *const *sheets, size_t n, const char *path)
{
	char *tmp = NULL;
	int rc = bz_file_temp(path, &tmp, sheets_err, sizeof sheets_err);
	if (rc != BZ_OK)
		return rc;
	char (*names)[128] = bz__calloc(n, sizeof *names);
	lxw_workbook *wb = names ? workbook_new(tmp) : NULL;
	if (!wb) {
		bz__free(names);
		unlink(tmp);
		bz__free(tmp);
		return werr(names ? BZ_EIO : BZ_ENOMEM, "cannot write %s: %s", path,
			    names ? "the workbook could not be created" : "out of memory");
	}
	lxw_format *bold = workbook_add_format(wb);
	lxw_format *datef = workbook_add_format(wb);
	format_set_bold(bold);
	format_set_num_format(datef, "yyyy-mm-dd");
	for (size_t i = 0; i < n && rc == BZ_OK; i++) {
		sheet_name(names[i], sheets[i]->title, names, i);
		lxw_worksheet *ws = workbook_add_worksheet(wb, names[i]);
		if (!ws)
			rc = werr(BZ_EIO, "cannot write %s: no worksheet named %s", path, names[i]);
		else
			rc = xlsx_sheet(wb, ws, sheets[i], bold, datef, path);
	}
	lxw_error e = workbook_close(wb); /* writes the file, frees the workbook */
	bz__free(names);
	if (rc == BZ_OK && e != LXW_NO_ERROR) {
		int err = errno;
		char why[128];
		errtext(why, sizeof why, err);
		rc = werr(BZ_EIO, "cannot write %s: %s%s%s", path, lxw_strerror(e), err ? ": " : "", err ? why : "");
	}
	if (rc == BZ_OK)
		rc = file_commit(tmp, path, sheets_err, sizeof sheets_err);
	else
		unlink(tmp);
	bz__free(tmp);
	return rc;
}

/* ---- the entry points -------------------------------------------------------------- */

static int check_args(const bz_sheet *const *sheets, size_t n, int format, bool text_only)
{
	if (!sheets || !n)
		return werr(BZ_EINVAL, "no sheets to write");
	for (size_t i = 0; i < n; i++)
		if (!sheets[i])
			return werr(BZ_EINVAL, "sheet %zu is NULL", i);
	if (format != BZ_FORMAT_CSV && format != BZ_FORMAT_XLSX && format != BZ_FORMAT_JSON)
		return werr(BZ_EINVAL, "unknown format %d: expected BZ_FORMAT_CSV, BZ_FORMAT_XLSX or BZ_FORMAT_JSON",
			    format);
	if (format == BZ_FORMAT_CSV && n != 1)
		return werr(BZ_EINVAL, "a CSV file holds one sheet, not %zu: write one file per sheet, or XLSX", n);
	if (text_only && format == BZ_FORMAT_XLSX)
		return werr(BZ_EINVAL, "XLSX is not text: write it to a file");
	return BZ_OK;
}

static int render(bz_buf *b, const bz_sheet *const *sheets, size_t n, int format)
{
	if (format == BZ_FORMAT_CSV)
		csv_sheet(b, sheets[0]);
	else
		json_sheets(b, sheets, n);
	if (b->oom) {
		bz__free(b->p);
		b->p = NULL;
		return werr(BZ_ENOMEM, "out of memory");
	}
	return BZ_OK;
}

BZ_EXTERN int bz_sheets_render(char **out, const bz_sheet *const *sheets, size_t n, int format)
{
	sheets_err[0] = '\0';
	if (!out)
		return werr(BZ_EINVAL, "no place for the text (out is NULL)");
	*out = NULL;
	int rc = check_args(sheets, n, format, true);
	if (rc != BZ_OK)
		return rc;
	bz_buf b = {0};
	if ((rc = render(&b, sheets, n, format)) != BZ_OK)
		return rc;
	*out = b.p;
	return BZ_OK;
}

BZ_EXTERN int bz_sheets_write(const bz_sheet *const *sheets, size_t n, const char *path, int format)
{
	sheets_err[0] = '\0';
	int rc = check_args(sheets, n, format, false);
	if (rc != BZ_OK)
		return rc;
	if (!path || !*path)
		return werr(BZ_EINVAL, "no file name to write to");
	if (format == BZ_FORMAT_XLSX)
		return xlsx_write(sheets, n, path);
	bz_buf b = {0};
	if ((rc = render(&b, sheets, n, format)) != BZ_OK)
		return rc;
	rc = bz_file_replace(path, b.p, b.n, sheets_err, sizeof sheets_err);
	bz__free(b.p);
	return rc;
}
