/*
 * tabular.c: one row at a time out of a CSV, XLSX or XLS file (tabular.h).
 *
 * Every kind fills the same row queue: cell texts appended to one buffer,
 * a row a record of where its cells are. A CSV block fed to libcsv may end
 * more than one record, so the queue can hold a few rows; XLSX and XLS add
 * one row at a time. The queue is emptied whenever every row in it has been
 * handed out, so its size is bounded by a block's worth of rows, never by
 * the file.
 */
#define _GNU_SOURCE /* pipe2, secure_getenv, posix_spawn_file_actions_addclosefrom_np (glibc 2.34) */
#include "tabular.h"

#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlreader.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <unzip.h>

#include "xls_frame.h"

extern char **environ;

#define BLOCK 65536
#define FIELD_MAX (1u << 20)   /* a CSV field longer than this is an unterminated quote */
#define XLSX_PART_MAX (64u << 20) /* workbook.xml, its rels, styles.xml */
#define XLSX_COLS_MAX 16384    /* XFD */

enum { KIND_CSV = 1, KIND_XLSX, KIND_XLS };
enum { ENC_UTF8 = 1, ENC_GB18030, ENC_UTF16LE };

struct qrow {
	long line;
	size_t first, n; /* cells [first, first+n) of the cell offsets */
};

struct bz_tab {
	bz_ledger *l;
	char *path;
	int kind;
	int err; /* sticky error, or BZ_ITEROVER once the end is reached */

	/* the row queue */
	char *text;
	size_t ntext, captext;
	size_t *off;
	size_t noff, capoff;
	struct qrow *q;
	size_t nq, capq, qhead;
	const char **ptrs;
	size_t capptrs;
	size_t row_first, row_text; /* where the row being built began */
	size_t peak;

	/* CSV */
	FILE *f;
	int enc;
	iconv_t cd;
	struct csv_parser csv;
	bool csv_init, csv_done;
	unsigned char raw[BLOCK];
	size_t nraw;          /* bytes of raw not yet converted (an incomplete sequence) */
	char *u8;             /* UTF-8 text of the current block */
	size_t nu8, capu8, pos;
	bool eof;
	long lineno;          /* physical line being fed */
	long rec_line;        /* line the current record began on, 0: not begun */
	bool oom;
	bool nul;             /* a NUL character inside a field (UTF-16 input) */

	/* XLSX */
	unzFile zip;
	xmlTextReaderPtr rd;
	char **sst;
	size_t nsst, capsst;
	unsigned char *xf_date; /* per cellXfs index: a date format */
	size_t nxf;
	bool date1904;
	long xrow;

	/* XLS: the helper process and what it wrote */
	pid_t xls_pid;         /* 0: none running (or reaped) */
	int xls_fd;            /* its standard output, -1: closed */
	unsigned char *xb;     /* bytes read, [xpos, xlen) not yet taken */
	size_t xlen, xpos, xcap;
	uint64_t xtotal;       /* bytes read in all */
	unsigned xls_rows, xls_row;
	unsigned xls_cols;
	bool xls_done;         /* 'Z' read */
};

/* ---- errors ------------------------------------------------------------ */

static int fail(bz_tab *t, int code, long line, const char *why)
{
	if (line > 0)
		bz_fail(t->l, code, "%s line %ld: %s", t->path, line, why);
	else
		bz_fail(t->l, code, "%s: %s", t->path, why);
	t->err = code;
	return code;
}

static int fail_oom(bz_tab *t)
{
	return fail(t, BZ_ENOMEM, 0, "out of memory");
}

/* "<path>: no such file or directory": strerror's text, first letter lowered */
static int fail_errno(bz_tab *t, int e)
{
	char why[128];
	snprintf(why, sizeof why, "%s", strerror(e));
	if (why[0] >= 'A' && why[0] <= 'Z' && !(why[1] >= 'A' && why[1] <= 'Z'))
		why[0] = (char)(why[0] - 'A' + 'a');
	return fail(t, BZ_EIO, 0, why);
}

static int fail_kind(bz_tab *t)
{
	return fail(t, BZ_EINVAL, 0, "not a CSV, XLSX or XLS file");
}

/* ---- the row queue ----------------------------------------------------- */

static bool grow(void **p, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return true;
	size_t c = *cap ? *cap : 16;
	while (c < need)
		c *= 2;
	void *n = bz__realloc(*p, c * size);
	if (!n)
		return false;
	*p = n;
	*cap = c;
	return true;
}

static void note_peak(bz_tab *t)
{
	size_t b = t->captext + t->capoff * sizeof *t->off + t->capq * sizeof *t->q + t->capptrs * sizeof *t->ptrs;
	if (b > t->peak)
		t->peak = b;
}

static bool is_space_at(const unsigned char *s, size_t n, size_t *w)
{
	if (n >= 1 && (s[0] == ' ' || s[0] == '\t' || s[0] == '\r' || s[0] == '\n' || s[0] == '\v' || s[0] == '\f')) {
		*w = 1;
		return true;
	}
	if (n >= 3 && s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80) { /* U+3000 */
		*w = 3;
		return true;
	}
	if (n >= 2 && s[0] == 0xC2 && s[1] == 0xA0) { /* U+00A0 */
		*w = 2;
		return true;
	}
	return false;
}

/* trim surrounding white space of s[0..*n), return the new start */
static const char *trim(const char *s, size_t *n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = *n, w;
	while (len && is_space_at(p, len, &w)) {
		p += w;
		len -= w;
	}
	for (;;) {
		if (len >= 1 && is_space_at(p + len - 1, 1, &w)) {
			len--;
			continue;
		}
		if (len >= 2 && is_space_at(p + len - 2, 2, &w) && w == 2) {
			len -= 2;
			continue;
		}
		if (len >= 3 && is_space_at(p + len - 3, 3, &w) && w == 3) {
			len -= 3;
			continue;
		}
		break;
	}
	*n = len;
	return (const char *)p;
}

static void row_begin(bz_tab *t)
{
	t->row_first = t->noff;
	t->row_text = t->ntext;
}

static bool cell_add(bz_tab *t, const char *s, size_t n)
{
	s = trim(s, &n);
	if (!grow((void **)&t->text, &t->captext, t->ntext + n + 1, 1) ||
	    !grow((void **)&t->off, &t->capoff, t->noff + 1, sizeof *t->off))
		return false;
	t->off[t->noff++] = t->ntext;
	if (n)
		memcpy(t->text + t->ntext, s, n);
	t->text[t->ntext + n] = '\0';
	t->ntext += n + 1;
	note_peak(t);
	return true;
}

/* End the row being built: queued if any cell is non-empty, dropped otherwise. */
static bool row_end(bz_tab *t, long line)
{
	size_t n = t->noff - t->row_first;
	bool blank = true;
	for (size_t i = t->row_first; i < t->noff && blank; i++)
		blank = t->text[t->off[i]] == '\0';
	if (blank) {
		t->noff = t->row_first;
		t->ntext = t->row_text;
	} else {
		if (!grow((void **)&t->q, &t->capq, t->nq + 1, sizeof *t->q))
			return false;
		t->q[t->nq++] = (struct qrow){line, t->row_first, n};
		note_peak(t);
	}
	row_begin(t);
	return true;
}

static void queue_reset(bz_tab *t)
{
	t->ntext = t->noff = t->nq = t->qhead = 0;
	row_begin(t);
}

/* hand out the queue's next row */
static int queue_pop(bz_tab *t, size_t *ncells, const char *const **cells, long *line)
{
	struct qrow *r = &t->q[t->qhead++];
	if (!grow((void **)&t->ptrs, &t->capptrs, r->n ? r->n : 1, sizeof *t->ptrs))
		return fail_oom(t);
	note_peak(t);
	for (size_t i = 0; i < r->n; i++)
		t->ptrs[i] = t->text + t->off[r->first + i];
	*ncells = r->n;
	*cells = t->ptrs;
	*line = r->line;
	return BZ_OK;
}

/* ---- numbers and dates of spreadsheets ---------------------------------- */

/* days since 1970-01-01 → civil date (H. Hinnant's algorithm) */
static void civil(long z, int *y, int *m, int *d)
{
	z += 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long yy = yoe + era * 400;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yy + (*m <= 2));
}

/*
 * An Excel serial day into "YYYY-MM-DD"; false if it is not a plausible
 * date. 1900 system: day 1 is 1900-01-01 and Excel counts a 1900-02-29 that
 * never was (day 60), so days after it are one less; 1904 system: day 0 is
 * 1904-01-01.
 */
static bool serial_date(double v, bool date1904, char out[BZ_DATE_LEN + 1])
{
	if (!(v >= 1 && v < 2958466)) /* up to 9999-12-31 */
		return false;
	long days = (long)floor(v);
	long unix_days;
	if (date1904)
		unix_days = days - 24107; /* 1904-01-01 is day -24107 of the epoch */
	else
		unix_days = days - (days > 60 ? 25569 : 25568);
	int y, m, d;
	civil(unix_days, &y, &m, &d);
	snprintf(out, BZ_DATE_LEN + 1, "%04d-%02d-%02d", y, m, d);
	return true;
}

/*
 * A number as the cell shows it in General format: whole numbers without
 * exponent (digits past the 15th, which a double does not hold, are zeros
 * as in Excel), others with up to 15 significant digits.
 */
static void fmt_double(double v, char out[64])
{
	if (!isfinite(v)) {
		snprintf(out, 64, "%g", v);
		return;
	}
	if (v == floor(v) && fabs(v) < 1e15) {
		snprintf(out, 64, "%.0f", v);
		return;
	}
	if (v == floor(v) && fabs(v) < 1e30) {
		char e[40];
		snprintf(e, sizeof e, "%.14e", fabs(v)); /* d.dddddddddddddde+XX */
		char *x = strchr(e, 'e');
		int exp = atoi(x + 1);
		char digits[16];
		size_t nd = 0;
		for (char *p = e; p < x; p++)
			if (*p >= '0' && *p <= '9')
				digits[nd++] = *p;
		size_t k = 0;
		if (v < 0)
			out[k++] = '-';
		for (int i = 0; i <= exp && k < 63; i++)
			out[k++] = i < (int)nd ? digits[i] : '0';
		out[k] = '\0';
		return;
	}
	snprintf(out, 64, "%.15g", v);
}

/* a number's text from a sheet: kept as written when it is plain digits */
static void fmt_number_text(const char *s, char out[64])
{
	const char *p = s + (*s == '-');
	bool plain = *p != '\0';
	for (; *p && plain; p++)
		plain = *p >= '0' && *p <= '9';
	if (plain && strlen(s) < 64) {
		snprintf(out, 64, "%s", s);
		return;
	}
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (end == s || *end != '\0' || errno == ERANGE) {
		snprintf(out, 64, "%.63s", s);
		return;
	}
	fmt_double(v, out);
}

/* ---- CSV --------------------------------------------------------------- */

static void csv_field(void *s, size_t len, void *data)
{
	bz_tab *t = data;
	if (t->oom)
		return;
	if (s && memchr(s, '\0', len))
		t->nul = true;
	if (!cell_add(t, s ? s : "", s ? len : 0))
		t->oom = true;
}

static void csv_record(int c, void *data)
{
	(void)c;
	bz_tab *t = data;
	if (t->oom)
		return;
	if (!row_end(t, t->rec_line ? t->rec_line : t->lineno))
		t->oom = true;
	t->rec_line = 0;
}

/* a streaming UTF-8 check over blocks; state: continuation bytes still due */
static bool utf8_block(const unsigned char *p, size_t n, int *due, bool *nul)
{
	for (size_t i = 0; i < n; i++) {
		unsigned c = p[i];
		if (c == 0)
			*nul = true;
		if (*due) {
			if ((c & 0xC0) != 0x80)
				return false;
			(*due)--;
		} else if (c < 0x80) {
			continue;
		} else if (c >= 0xC2 && c <= 0xDF) {
			*due = 1;
		} else if (c >= 0xE0 && c <= 0xEF) {
			*due = 2;
		} else if (c >= 0xF0 && c <= 0xF4) {
			*due = 3;
		} else {
			return false;
		}
	}
	return true;
}

/*
 * Decide the encoding: BOMs first, then one pass over the file for valid
 * UTF-8 (and NUL bytes, which no text CSV has); leaves the file positioned
 * after any BOM.
 */
static int csv_sniff(bz_tab *t)
{
	unsigned char head[3];
	size_t n = fread(head, 1, 3, t->f);
	long skip = 0;
	if (n >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF) {
		t->enc = ENC_UTF8;
		skip = 3;
	} else if (n >= 2 && head[0] == 0xFF && head[1] == 0xFE) {
		t->enc = ENC_UTF16LE;
		skip = 2;
	}
	if (fseek(t->f, skip, SEEK_SET) != 0)
		return fail_errno(t, errno);
	int due = 0;
	bool nul = false, utf8 = true;
	if (t->enc != ENC_UTF16LE) {
		size_t got;
		while ((got = fread(t->raw, 1, BLOCK, t->f)) > 0) {
			if (utf8 && !utf8_block(t->raw, got, &due, &nul))
				utf8 = false;
			if (!utf8)
				nul = nul || memchr(t->raw, 0, got) != NULL;
			if (nul)
				break;
		}
		if (ferror(t->f))
			return fail_errno(t, errno ? errno : EIO);
		if (nul)
			return fail_kind(t);
		/* a UTF-8 BOM before text that is not UTF-8: the cells would carry
		 * invalid UTF-8 on to the ledger's functions and messages (fuzz_tabular) */
		if (t->enc == ENC_UTF8 && (!utf8 || due != 0))
			return fail(t, BZ_EINVAL, 0, "not UTF-8 text, though it begins with a UTF-8 byte order mark");
		if (t->enc == 0)
			t->enc = utf8 && due == 0 ? ENC_UTF8 : ENC_GB18030;
		clearerr(t->f);
		if (fseek(t->f, skip, SEEK_SET) != 0)
			return fail_errno(t, errno);
	}
	if (t->enc != ENC_UTF8) {
		t->cd = iconv_open("UTF-8", t->enc == ENC_GB18030 ? "GB18030" : "UTF-16LE");
		if (t->cd == (iconv_t)-1)
			return fail(t, BZ_ERROR, 0, "iconv cannot convert this encoding");
	}
	return BZ_OK;
}

/* Read the next block as UTF-8 into u8; sets eof at the end. */
static int csv_fill(bz_tab *t)
{
	size_t got = fread(t->raw + t->nraw, 1, BLOCK - t->nraw, t->f);
	if (got == 0 && ferror(t->f))
		return fail_errno(t, errno ? errno : EIO);
	t->pos = 0;
	if (t->enc == ENC_UTF8) {
		if (!grow((void **)&t->u8, &t->capu8, got ? got : 1, 1))
			return fail_oom(t);
		memcpy(t->u8, t->raw, got);
		t->nu8 = got;
		t->eof = got == 0;
		return BZ_OK;
	}
	size_t in_left = t->nraw + got;
	if (in_left == 0) {
		t->nu8 = 0;
		t->eof = true;
		return BZ_OK;
	}
	if (!grow((void **)&t->u8, &t->capu8, in_left * 4 + 16, 1))
		return fail_oom(t);
	char *in = (char *)t->raw, *outp = t->u8;
	size_t out_left = t->capu8;
	size_t r = iconv(t->cd, &in, &in_left, &outp, &out_left);
	t->nu8 = (size_t)(outp - t->u8);
	if (r == (size_t)-1) {
		if (errno == EINVAL && got > 0) {
			/* a sequence cut by the block's end: keep it for the next block */
			memmove(t->raw, in, in_left);
			t->nraw = in_left;
			return BZ_OK;
		}
		/* the line the bad bytes are on: lines fed so far + newlines before them */
		long line = t->lineno;
		for (size_t i = 0; i < t->nu8; i++)
			line += t->u8[i] == '\n';
		return fail(t, BZ_EINVAL, line, t->enc == ENC_GB18030 ? "neither UTF-8 nor GB18030 text"
								     : "not valid UTF-16 text");
	}
	t->nraw = 0;
	return BZ_OK;
}

static int csv_next(bz_tab *t)
{
	while (t->qhead == t->nq) {
		if (t->csv_done)
			return BZ_ITEROVER;
		if (t->pos == t->nu8) {
			if (t->eof) {
				int c = csv_fini(&t->csv, csv_field, csv_record, t);
				t->csv_done = true;
				if (t->oom)
					return fail_oom(t);
				if (c != 0)
					return fail(t, BZ_EINVAL, t->rec_line ? t->rec_line : t->lineno,
						    "a quoted field is not closed (a \" is missing)");
				continue;
			}
			int rc = csv_fill(t);
			if (rc != BZ_OK)
				return rc;
			continue;
		}
		/* feed up to and including the next newline: one physical line */
		const char *s = t->u8 + t->pos;
		size_t n = t->nu8 - t->pos;
		const char *nl = memchr(s, '\n', n);
		if (nl)
			n = (size_t)(nl - s) + 1;
		if (!t->rec_line) {
			size_t k = n, w;
			const unsigned char *p = (const unsigned char *)s;
			while (k && is_space_at(p, k, &w)) {
				p += w;
				k -= w;
			}
			if (k)
				t->rec_line = t->lineno;
		}
		size_t done = csv_parse(&t->csv, s, n, csv_field, csv_record, t);
		if (t->oom || done != n) {
			if (t->oom || csv_error(&t->csv) != CSV_EPARSE)
				return fail_oom(t);
			return fail(t, BZ_EINVAL, t->lineno,
				    "a \" inside a field that is not quoted, or text after a closing \"");
		}
		if (t->nul)
			return fail(t, BZ_EINVAL, t->lineno, "a NUL character in a field");
		t->pos += n;
		if (nl)
			t->lineno++;
		if (csv_get_buffer_size(&t->csv) > FIELD_MAX)
			return fail(t, BZ_EINVAL, t->rec_line ? t->rec_line : t->lineno,
				    "a field over 1 MiB long (a quoted field not closed?)");
	}
	return BZ_OK;
}

static int csv_open(bz_tab *t)
{
	int rc = csv_sniff(t);
	if (rc != BZ_OK)
		return rc;
	/* libcsv strict: a stray quote, text after a closing quote and a quote
	 * not closed at the end are errors with their line, not guesses */
	if (csv_init(&t->csv, CSV_APPEND_NULL | CSV_STRICT | CSV_STRICT_FINI) != 0)
		return fail_oom(t);
	t->csv_init = true;
	/* libcsv's buffers through the library's allocator (src/alloc.h) */
	csv_set_realloc_func(&t->csv, bz__realloc);
	csv_set_free_func(&t->csv, bz__free);
	t->lineno = 1;
	return BZ_OK;
}

/* ---- XLSX ---------------------------------------------------------------- */

/* read a whole (small) part of the zip; false if absent or unreadable */
static bool zip_slurp(unzFile z, const char *name, char **buf, size_t *len)
{
	unz_file_info64 info;
	*buf = NULL;
	if (unzLocateFile(z, name, 1) != UNZ_OK || unzGetCurrentFileInfo64(z, &info, NULL, 0, NULL, 0, NULL, 0) != UNZ_OK)
		return false;
	if (info.uncompressed_size > XLSX_PART_MAX || unzOpenCurrentFile(z) != UNZ_OK)
		return false;
	size_t n = (size_t)info.uncompressed_size;
	char *b = bz__malloc(n + 1);
	int got = b ? unzReadCurrentFile(z, b, (unsigned)n) : -1;
	bool ok = unzCloseCurrentFile(z) == UNZ_OK && got >= 0 && (size_t)got == n;
	if (!ok) {
		bz__free(b);
		return false;
	}
	b[n] = '\0';
	*buf = b;
	*len = n;
	return true;
}

static xmlDocPtr zip_xml(unzFile z, const char *name)
{
	char *buf;
	size_t len;
	if (!zip_slurp(z, name, &buf, &len))
		return NULL;
	xmlDocPtr d = xmlReadMemory(buf, (int)len, name, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	bz__free(buf);
	return d;
}

static bool named(xmlNodePtr n, const char *local)
{
	return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, local) == 0;
}

static xmlNodePtr child(xmlNodePtr n, const char *local)
{
	for (xmlNodePtr c = n ? n->children : NULL; c; c = c->next)
		if (named(c, local))
			return c;
	return NULL;
}

/* the first worksheet's part name, from workbook.xml and its relationships */
static char *xlsx_first_sheet(bz_tab *t, xmlDocPtr wb)
{
	xmlNodePtr root = xmlDocGetRootElement(wb);
	xmlNodePtr pr = child(root, "workbookPr");
	if (pr) {
		xmlChar *v = xmlGetProp(pr, (const xmlChar *)"date1904");
		t->date1904 = v && (strcmp((char *)v, "1") == 0 || strcmp((char *)v, "true") == 0);
		xmlFree(v);
	}
	xmlNodePtr sheet = child(child(root, "sheets"), "sheet");
	xmlChar *rid = sheet ? xmlGetNsProp(sheet, (const xmlChar *)"id",
					    (const xmlChar *)"http://schemas.openxmlformats.org/officeDocument/2006/relationships")
			     : NULL;
	char *target = NULL;
	xmlDocPtr rels = rid ? zip_xml(t->zip, "xl/_rels/workbook.xml.rels") : NULL;
	for (xmlNodePtr r = rels ? xmlDocGetRootElement(rels)->children : NULL; r && !target; r = r->next) {
		if (!named(r, "Relationship"))
			continue;
		xmlChar *id = xmlGetProp(r, (const xmlChar *)"Id");
		if (id && strcmp((char *)id, (char *)rid) == 0) {
			xmlChar *tg = xmlGetProp(r, (const xmlChar *)"Target");
			if (tg) {
				size_t n = strlen((char *)tg) + 4;
				target = bz__malloc(n);
				if (target) {
					if (tg[0] == '/')
						snprintf(target, n, "%s", (char *)tg + 1);
					else
						snprintf(target, n, "xl/%s", (char *)tg);
				}
			}
			xmlFree(tg);
		}
		xmlFree(id);
	}
	xmlFree(rid);
	if (rels)
		xmlFreeDoc(rels);
	return target ? target : bz_strdup("xl/worksheets/sheet1.xml");
}

/* built-in number formats that are dates (the CJK ones of zh-CN Excel included) */
static bool builtin_date(long id)
{
	return (id >= 14 && id <= 17) || id == 22 || (id >= 27 && id <= 31) || id == 36 || (id >= 50 && id <= 58);
}

/* a custom format code is a date when it has y or d outside quotes and [] */
static bool code_is_date(const char *c)
{
	bool q = false, br = false;
	for (; *c; c++) {
		if (*c == '\\' && c[1]) {
			c++;
			continue;
		}
		if (*c == '"')
			q = !q;
		else if (!q && *c == '[')
			br = true;
		else if (!q && *c == ']')
			br = false;
		else if (!q && !br && (*c == 'y' || *c == 'Y' || *c == 'd' || *c == 'D' || *c == 'e'))
			return true;
	}
	return false;
}

static int xlsx_styles(bz_tab *t)
{
	xmlDocPtr d = zip_xml(t->zip, "xl/styles.xml");
	if (!d)
		return BZ_OK; /* no styles: no dates, numbers only */
	xmlNodePtr root = xmlDocGetRootElement(d);
	struct { long id; bool date; } *custom = NULL;
	size_t ncustom = 0, capcustom = 0;
	int rc = BZ_OK;
	for (xmlNodePtr f = child(child(root, "numFmts"), "numFmt"); f; f = f->next) {
		if (!named(f, "numFmt"))
			continue;
		xmlChar *id = xmlGetProp(f, (const xmlChar *)"numFmtId");
		xmlChar *code = xmlGetProp(f, (const xmlChar *)"formatCode");
		if (id && code && grow((void **)&custom, &capcustom, ncustom + 1, sizeof *custom)) {
			custom[ncustom].id = atol((char *)id);
			custom[ncustom++].date = code_is_date((char *)code);
		}
		xmlFree(id);
		xmlFree(code);
	}
	xmlNodePtr xfs = child(root, "cellXfs");
	size_t n = 0;
	for (xmlNodePtr x = xfs ? xfs->children : NULL; x; x = x->next)
		n += named(x, "xf");
	t->xf_date = bz__calloc(n ? n : 1, 1);
	if (!t->xf_date) {
		rc = fail_oom(t);
		goto done;
	}
	t->nxf = n;
	n = 0;
	for (xmlNodePtr x = xfs ? xfs->children : NULL; x; x = x->next) {
		if (!named(x, "xf"))
			continue;
		xmlChar *v = xmlGetProp(x, (const xmlChar *)"numFmtId");
		long id = v ? atol((char *)v) : 0;
		xmlFree(v);
		bool date = builtin_date(id);
		for (size_t i = 0; i < ncustom; i++)
			if (custom[i].id == id)
				date = custom[i].date;
		t->xf_date[n++] = date;
	}
done:
	bz__free(custom);
	xmlFreeDoc(d);
	return rc;
}

/* a streaming reader over the zip's current entry */
static int zip_read_cb(void *ctx, char *buf, int len)
{
	return unzReadCurrentFile((unzFile)ctx, buf, (unsigned)len);
}
static int zip_close_cb(void *ctx)
{
	(void)ctx;
	return 0;
}

static xmlTextReaderPtr zip_reader(unzFile z, const char *name)
{
	if (unzLocateFile(z, name, 1) != UNZ_OK || unzOpenCurrentFile(z) != UNZ_OK)
		return NULL;
	xmlTextReaderPtr r = xmlReaderForIO(zip_read_cb, zip_close_cb, z, name, NULL,
					    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (!r)
		unzCloseCurrentFile(z);
	return r;
}

static bool is_el(xmlTextReaderPtr r, const char *local)
{
	const xmlChar *n = xmlTextReaderConstLocalName(r);
	return n && strcmp((const char *)n, local) == 0;
}

/* a growing string */
typedef struct {
	char *b;
	size_t n, cap;
} sbuf;

static bool sb_add(sbuf *s, const char *p, size_t n)
{
	if (!grow((void **)&s->b, &s->cap, s->n + n + 1, 1))
		return false;
	memcpy(s->b + s->n, p, n);
	s->n += n;
	s->b[s->n] = '\0';
	return true;
}

/* the shared strings, loaded once: each <si>'s <t> texts, phonetic runs left out */
static int xlsx_sst(bz_tab *t)
{
	xmlTextReaderPtr r = zip_reader(t->zip, "xl/sharedStrings.xml");
	if (!r)
		return BZ_OK; /* a workbook of numbers only */
	sbuf s = {0};
	int rc = BZ_OK, ret;
	bool in_t = false;
	int rph = 0;
	while ((ret = xmlTextReaderRead(r)) == 1) {
		int type = xmlTextReaderNodeType(r);
		if (type == XML_READER_TYPE_ELEMENT) {
			bool empty = xmlTextReaderIsEmptyElement(r);
			if (is_el(r, "si")) {
				s.n = 0;
				if (!sb_add(&s, "", 0)) {
					rc = fail_oom(t);
					break;
				}
				if (empty)
					goto push;
			} else if (is_el(r, "rPh") && !empty) {
				rph++;
			} else if (is_el(r, "t") && !empty) {
				in_t = true;
			}
		} else if (type == XML_READER_TYPE_END_ELEMENT) {
			if (is_el(r, "t"))
				in_t = false;
			else if (is_el(r, "rPh"))
				rph--;
			else if (is_el(r, "si"))
				goto push;
		} else if ((type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
			    type == XML_READER_TYPE_CDATA) && in_t && !rph) {
			const char *v = (const char *)xmlTextReaderConstValue(r);
			if (v && !sb_add(&s, v, strlen(v))) {
				rc = fail_oom(t);
				break;
			}
		}
		continue;
	push:
		if (!grow((void **)&t->sst, &t->capsst, t->nsst + 1, sizeof *t->sst) ||
		    !(t->sst[t->nsst] = bz_strdup(s.b ? s.b : ""))) {
			rc = fail_oom(t);
			break;
		}
		t->nsst++;
	}
	if (rc == BZ_OK && ret != 0)
		rc = fail(t, BZ_EINVAL, 0, "the workbook's shared strings are not well-formed XML");
	xmlFreeTextReader(r);
	unzCloseCurrentFile(t->zip);
	bz__free(s.b);
	return rc;
}

static int xlsx_open(bz_tab *t)
{
	t->zip = unzOpen64(t->path);
	if (!t->zip)
		return fail_kind(t);
	xmlDocPtr wb = zip_xml(t->zip, "xl/workbook.xml");
	if (!wb || !xmlDocGetRootElement(wb)) {
		if (wb)
			xmlFreeDoc(wb);
		return fail_kind(t);
	}
	char *sheet = xlsx_first_sheet(t, wb);
	xmlFreeDoc(wb);
	if (!sheet)
		return fail_oom(t);
	int rc = xlsx_styles(t);
	if (rc == BZ_OK)
		rc = xlsx_sst(t);
	if (rc == BZ_OK) {
		t->rd = zip_reader(t->zip, sheet);
		if (!t->rd)
			rc = fail(t, BZ_EINVAL, 0, "the workbook has no readable first worksheet");
	}
	bz__free(sheet);
	return rc;
}

/* column index of a cell reference "AB12" (0-based), -1 if malformed */
static long col_of_ref(const char *ref)
{
	long c = 0;
	const char *p = ref;
	for (; *p >= 'A' && *p <= 'Z'; p++) {
		c = c * 26 + (*p - 'A' + 1);
		if (c > XLSX_COLS_MAX)
			return -1;
	}
	return p == ref ? -1 : c - 1;
}

/* the text a cell shows, from its type, style and raw value */
static int xlsx_cell_text(bz_tab *t, const char *type, long style, const char *v, char num[64], const char **out)
{
	*out = v;
	if (!type || strcmp(type, "n") == 0) {
		if (!*v)
			return BZ_OK;
		if (style >= 0 && (size_t)style < t->nxf && t->xf_date[style]) {
			char *end;
			double d = strtod(v, &end);
			if (end != v && *end == '\0' && serial_date(d, t->date1904, num)) {
				*out = num;
				return BZ_OK;
			}
		}
		fmt_number_text(v, num);
		*out = num;
	} else if (strcmp(type, "s") == 0) {
		char *end;
		long i = strtol(v, &end, 10);
		if (end == v || *end || i < 0 || (size_t)i >= t->nsst)
			return BZ_EINVAL;
		*out = t->sst[i];
	} else if (strcmp(type, "b") == 0) {
		*out = strcmp(v, "1") == 0 ? "TRUE" : "FALSE";
	} else if (strcmp(type, "d") == 0) {
		snprintf(num, 64, "%.10s", v); /* ISO 8601: its date */
		*out = num;
	}
	return BZ_OK; /* str, inlineStr, e: the text as it is */
}

/* read the next <row> of the sheet into the queue; false at the end */
static int xlsx_next(bz_tab *t)
{
	sbuf v = {0};
	char *type = NULL;
	long style = -1, col = -1, ncols = 0;
	bool in_row = false, in_cell = false, in_val = false;
	int rph = 0, ret = 1, rc = BZ_OK;
	while (t->qhead == t->nq && rc == BZ_OK && (ret = xmlTextReaderRead(t->rd)) == 1) {
		int nt = xmlTextReaderNodeType(t->rd);
		if (nt == XML_READER_TYPE_ELEMENT) {
			bool empty = xmlTextReaderIsEmptyElement(t->rd);
			if (is_el(t->rd, "row")) {
				xmlChar *r = xmlTextReaderGetAttribute(t->rd, (const xmlChar *)"r");
				t->xrow = r ? atol((char *)r) : t->xrow + 1;
				xmlFree(r);
				in_row = !empty;
				ncols = 0;
				row_begin(t);
			} else if (in_row && is_el(t->rd, "c")) {
				xmlChar *r = xmlTextReaderGetAttribute(t->rd, (const xmlChar *)"r");
				xmlChar *s = xmlTextReaderGetAttribute(t->rd, (const xmlChar *)"s");
				bz__free(type);
				type = (char *)xmlTextReaderGetAttribute(t->rd, (const xmlChar *)"t");
				col = r ? col_of_ref((char *)r) : ncols;
				style = s ? atol((char *)s) : -1;
				xmlFree(r);
				xmlFree(s);
				if (col < 0 || col < ncols) {
					rc = fail(t, BZ_EINVAL, t->xrow, "a cell reference out of order or malformed");
					break;
				}
				v.n = 0;
				if (!sb_add(&v, "", 0)) {
					rc = fail_oom(t);
					break;
				}
				in_cell = !empty;
				if (empty)
					goto cell_done;
			} else if (in_cell && is_el(t->rd, "rPh") && !empty) {
				rph++;
			} else if (in_cell && (is_el(t->rd, "v") || is_el(t->rd, "t")) && !empty) {
				in_val = true;
			}
		} else if (nt == XML_READER_TYPE_END_ELEMENT) {
			if (is_el(t->rd, "v") || is_el(t->rd, "t"))
				in_val = false;
			else if (is_el(t->rd, "rPh"))
				rph--;
			else if (in_cell && is_el(t->rd, "c"))
				goto cell_done;
			else if (in_row && is_el(t->rd, "row")) {
				in_row = false;
				if (!row_end(t, t->xrow))
					rc = fail_oom(t);
			}
		} else if ((nt == XML_READER_TYPE_TEXT || nt == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
			    nt == XML_READER_TYPE_CDATA) && in_val && !rph) {
			const char *s = (const char *)xmlTextReaderConstValue(t->rd);
			if (s && !sb_add(&v, s, strlen(s)))
				rc = fail_oom(t);
		}
		continue;
	cell_done:
		in_cell = in_val = false;
		{
			char num[64];
			const char *text;
			while (ncols < col && rc == BZ_OK) {
				if (!cell_add(t, "", 0))
					rc = fail_oom(t);
				ncols++;
			}
			if (rc != BZ_OK)
				break;
			if (xlsx_cell_text(t, type, style, v.b ? v.b : "", num, &text) != BZ_OK) {
				rc = fail(t, BZ_EINVAL, t->xrow, "a cell refers to a shared string the workbook does not have");
				break;
			}
			if (!cell_add(t, text, strlen(text)))
				rc = fail_oom(t);
			ncols++;
		}
	}
	bz__free(type);
	bz__free(v.b);
	if (rc != BZ_OK)
		return rc;
	if (t->qhead < t->nq)
		return BZ_OK;
	if (ret != 0)
		return fail(t, BZ_EINVAL, in_row ? t->xrow : t->xrow + 1, "the worksheet is not well-formed XML");
	return BZ_ITEROVER;
}

/* ---- XLS: through the helper ------------------------------------------------------------------------------ */

/*
 * libfreexl runs in bianzhi-xls (src/bianzhi-xls.c), a process of its own
 * started with posix_spawn (no fork of the host, no shell, argv only, no
 * descriptor of the host but its standard error): libfreexl 1.0.6 reads
 * out of bounds on a crafted file (tests/fuzz/known/), and a crash there
 * must not take a JVM or a Python host with it. Its output (xls_frame.h) is
 * read here with bounds on every count and length, on the total and on the
 * time between two reads; the helper is always reaped, and killed first
 * unless it ended by itself.
 */

#define XLS_TOTAL_MAX ((uint64_t)2 << 30) /* bytes the helper may write in all */
#define XLS_WAIT_MS 30000                 /* the longest wait for the helper's next bytes */

static const char *xls_helper(void)
{
	const char *h = secure_getenv("BIANZHI_XLS_HELPER");
	return h && *h ? h : BZ_XLS_HELPER;
}

static int xls_wait_ms(void)
{
	const char *s = secure_getenv("BIANZHI_XLS_TIMEOUT_MS");
	long v = s ? strtol(s, NULL, 10) : 0;
	return v > 0 && v <= XLS_WAIT_MS ? (int)v : XLS_WAIT_MS;
}

static int xls_fail(bz_tab *t, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int xls_fail(bz_tab *t, int code, const char *fmt, ...)
{
	char why[512], msg[640];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	snprintf(msg, sizeof msg, "the XLS file could not be read: %s", why);
	return fail(t, code, 0, msg);
}

/* reap the helper: kill it first unless it is known to have ended; its status, -1 if unknown */
static int xls_reap(bz_tab *t, bool kill_it)
{
	if (t->xls_fd >= 0) {
		close(t->xls_fd);
		t->xls_fd = -1;
	}
	if (t->xls_pid <= 0)
		return -1;
	int status = -1;
	pid_t pid = t->xls_pid;
	t->xls_pid = 0;
	if (!kill_it) {
		/* it wrote its last byte: give it a moment to exit, then kill it */
		for (int i = 0; i < 200; i++) {
			pid_t r = waitpid(pid, &status, WNOHANG);
			if (r == pid)
				return status;
			if (r < 0 && errno != EINTR)
				return -1; /* ECHILD: the host reaps its children itself (SIGCHLD ignored) */
			struct timespec ts = {0, 5000000};
			nanosleep(&ts, NULL);
		}
	}
	kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR)
			return -1;
	}
	return status;
}

/* what the helper's status says, for a stream cut short */
static int xls_died(bz_tab *t)
{
	int st = xls_reap(t, true);
	const char *h = xls_helper();
	if (st >= 0 && WIFSIGNALED(st))
		return xls_fail(t, BZ_EINVAL, "%s was killed by signal %d (%s): the file is damaged or crafted", h,
				WTERMSIG(st), strsignal(WTERMSIG(st)));
	if (st >= 0 && WIFEXITED(st) && WEXITSTATUS(st) == 127)
		return xls_fail(t, BZ_EIO, "its reader %s could not be started (exit status 127)", h);
	if (st >= 0 && WIFEXITED(st) && WEXITSTATUS(st) != 0)
		return xls_fail(t, BZ_EINVAL, "%s exited with status %d: the file is damaged or crafted", h, WEXITSTATUS(st));
	return xls_fail(t, BZ_EINVAL, "%s ended without finishing the sheet", h);
}

/* at least need bytes of the helper's output at t->xb + t->xpos */
static int xls_fill(bz_tab *t, size_t need)
{
	while (t->xlen - t->xpos < need) {
		if (t->xpos > 0) {
			memmove(t->xb, t->xb + t->xpos, t->xlen - t->xpos);
			t->xlen -= t->xpos;
			t->xpos = 0;
		}
		if (t->xcap - t->xlen < BLOCK) {
			size_t cap = t->xcap ? t->xcap * 2 : 2 * BLOCK;
			while (cap - t->xlen < BLOCK)
				cap *= 2;
			unsigned char *b = bz__realloc(t->xb, cap);
			if (!b) {
				xls_reap(t, true);
				return fail_oom(t);
			}
			t->xb = b;
			t->xcap = cap;
		}
		if (t->xls_fd < 0)
			return xls_died(t);
		struct pollfd pf = {t->xls_fd, POLLIN, 0};
		int pr = poll(&pf, 1, xls_wait_ms());
		if (pr < 0 && errno == EINTR)
			continue;
		if (pr == 0) {
			xls_reap(t, true);
			return xls_fail(t, BZ_EINVAL, "%s wrote nothing for %d ms and was stopped", xls_helper(), xls_wait_ms());
		}
		if (pr < 0) {
			int e = errno;
			xls_reap(t, true);
			return xls_fail(t, BZ_EIO, "reading from %s: %s", xls_helper(), strerror(e));
		}
		ssize_t n = read(t->xls_fd, t->xb + t->xlen, t->xcap - t->xlen);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0) {
			int e = errno;
			xls_reap(t, true);
			return xls_fail(t, BZ_EIO, "reading from %s: %s", xls_helper(), strerror(e));
		}
		if (n == 0)
			return xls_died(t);
		t->xlen += (size_t)n;
		t->xtotal += (uint64_t)n;
		if (t->xtotal > XLS_TOTAL_MAX) {
			xls_reap(t, true);
			return xls_fail(t, BZ_EINVAL, "%s wrote more than %llu bytes and was stopped", xls_helper(),
					(unsigned long long)XLS_TOTAL_MAX);
		}
	}
	return BZ_OK;
}

static int xls_take(bz_tab *t, void *out, size_t n)
{
	int rc = xls_fill(t, n);
	if (rc != BZ_OK)
		return rc;
	memcpy(out, t->xb + t->xpos, n);
	t->xpos += n;
	return BZ_OK;
}

static int xls_garbled(bz_tab *t)
{
	xls_reap(t, true);
	return xls_fail(t, BZ_EINVAL, "%s wrote something that is not its output", xls_helper());
}

/* the helper's 'E': its reason, as the library said it before the helper */
static int xls_stopped(bz_tab *t, long row)
{
	unsigned char why;
	int rc = xls_take(t, &why, 1);
	if (rc != BZ_OK)
		return rc;
	int st = xls_reap(t, false);
	(void)st;
	switch (why) {
	case XLSF_E_KIND: return fail_kind(t);
	case XLSF_E_NOMEM: return xls_fail(t, BZ_ENOMEM, "out of memory in %s", xls_helper());
	case XLSF_E_PASSWORD: return fail(t, BZ_EINVAL, 0, "the workbook is password-protected");
	case XLSF_E_SHEET: return fail(t, BZ_EINVAL, 0, "the workbook has no readable first sheet");
	case XLSF_E_CELL: return fail(t, BZ_EINVAL, row, "a cell cannot be read");
	default: return xls_garbled(t);
	}
}

static int xls_open(bz_tab *t)
{
	const char *helper = xls_helper();
	/* posix_spawn reports a program it cannot execute, but not everywhere
	 * (under valgrind the child just exits 127): ask first */
	if (access(helper, X_OK) != 0)
		return xls_fail(t, BZ_EIO, "its reader %s cannot be run (%s); it is installed with libbianzhi, or named by BIANZHI_XLS_HELPER",
				helper, strerror(errno));
	int fds[2];
	if (pipe2(fds, O_CLOEXEC) != 0)
		return xls_fail(t, BZ_EIO, "no pipe for %s: %s", helper, strerror(errno));
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	int rc = posix_spawn_file_actions_init(&fa);
	if (rc == 0 && (rc = posix_spawnattr_init(&at)) != 0)
		posix_spawn_file_actions_destroy(&fa);
	if (rc != 0) {
		close(fds[0]);
		close(fds[1]);
		return rc == ENOMEM ? fail_oom(t) : xls_fail(t, BZ_EIO, "%s cannot be started: %s", helper, strerror(rc));
	}
	/* standard input from /dev/null, standard output the pipe, standard
	 * error the host's; every other descriptor of the host closed; default
	 * signal handling (a JVM ignores SIGPIPE) and nothing blocked */
	sigset_t all, none;
	sigfillset(&all);
	sigemptyset(&none);
	if ((rc = posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0)) == 0 &&
	    (rc = posix_spawn_file_actions_adddup2(&fa, fds[1], 1)) == 0 &&
	    (rc = posix_spawn_file_actions_addclosefrom_np(&fa, 3)) == 0 && (rc = posix_spawnattr_setsigdefault(&at, &all)) == 0 &&
	    (rc = posix_spawnattr_setsigmask(&at, &none)) == 0)
		rc = posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
	char *argv[] = {(char *)"bianzhi-xls", t->path, NULL};
	pid_t pid = 0;
	if (rc == 0)
		rc = posix_spawn(&pid, helper, &fa, &at, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	close(fds[1]);
	if (rc != 0) {
		close(fds[0]);
		if (rc == ENOMEM)
			return fail_oom(t);
		return xls_fail(t, BZ_EIO, "its reader %s cannot be run (%s); it is installed with libbianzhi, or named by BIANZHI_XLS_HELPER",
				helper, strerror(rc));
	}
	t->xls_pid = pid;
	t->xls_fd = fds[0];
	char magic[XLSF_MAGIC_LEN];
	unsigned char tag;
	if ((rc = xls_take(t, magic, sizeof magic)) != BZ_OK)
		return rc;
	if (memcmp(magic, XLSF_MAGIC, XLSF_MAGIC_LEN) != 0)
		return xls_garbled(t);
	if ((rc = xls_take(t, &tag, 1)) != BZ_OK)
		return rc;
	if (tag == 'E')
		return xls_stopped(t, 0);
	uint32_t rows, cols;
	if (tag != 'H' || (rc = xls_take(t, &rows, 4)) != BZ_OK || (rc = xls_take(t, &cols, 4)) != BZ_OK)
		return rc != BZ_OK ? rc : xls_garbled(t);
	if (rows > XLSF_ROWS_MAX || cols > XLSF_COLS_MAX)
		return xls_garbled(t);
	t->xls_rows = rows;
	t->xls_cols = cols;
	return BZ_OK;
}

static int xls_next(bz_tab *t)
{
	while (t->qhead == t->nq) {
		if (t->xls_done)
			return BZ_ITEROVER;
		unsigned char tag;
		int rc = xls_take(t, &tag, 1);
		if (rc != BZ_OK)
			return rc;
		if (tag == 'Z') {
			t->xls_done = true;
			int st = xls_reap(t, false);
			if (st >= 0 && !(WIFEXITED(st) && WEXITSTATUS(st) == 0))
				return xls_fail(t, BZ_EINVAL, "%s failed after the last row (status %d)", xls_helper(), st);
			return BZ_ITEROVER;
		}
		if (tag == 'E')
			return xls_stopped(t, (long)t->xls_row + 1);
		uint32_t row;
		if (tag != 'R' || (rc = xls_take(t, &row, 4)) != BZ_OK)
			return rc != BZ_OK ? rc : xls_garbled(t);
		if (row != t->xls_row || row >= t->xls_rows)
			return xls_garbled(t);
		t->xls_row = row + 1;
		row_begin(t);
		for (unsigned c = 0; c < t->xls_cols; c++) {
			char num[64] = "";
			const char *text = "";
			size_t len = 0;
			if ((rc = xls_take(t, &tag, 1)) != BZ_OK)
				return rc;
			switch (tag) {
			case 'i': {
				int32_t v;
				if ((rc = xls_take(t, &v, sizeof v)) != BZ_OK)
					return rc;
				snprintf(num, sizeof num, "%d", (int)v);
				text = num;
				len = strlen(num);
				break;
			}
			case 'd': {
				double v;
				if ((rc = xls_take(t, &v, sizeof v)) != BZ_OK)
					return rc;
				fmt_double(v, num);
				text = num;
				len = strlen(num);
				break;
			}
			case 't':
			case 'w': {
				uint32_t n;
				if ((rc = xls_take(t, &n, sizeof n)) != BZ_OK)
					return rc;
				if (n > XLSF_TEXT_MAX)
					return xls_garbled(t);
				if ((rc = xls_fill(t, n)) != BZ_OK)
					return rc;
				text = (const char *)t->xb + t->xpos;
				len = n;
				t->xpos += n;
				/* a date and time: its date */
				if (tag == 'w' && len > 10)
					len = 10;
				/* freexl's text stops at a NUL, as it did in the library */
				len = strnlen(text, len);
				int due = 0;
				bool nul = false;
				if (!utf8_block((const unsigned char *)text, len, &due, &nul) || due)
					return xls_garbled(t);
				break;
			}
			case 'n':
				break;
			case 'E': /* a cell of this row could not be read (bianzhi-xls stops in the row) */
				return xls_stopped(t, (long)row + 1);
			default:
				return xls_garbled(t);
			}
			if (!cell_add(t, text, len))
				return fail_oom(t);
		}
		/* trailing empty cells are not the row's */
		while (t->noff > t->row_first && t->text[t->off[t->noff - 1]] == '\0') {
			t->noff--;
			t->ntext = t->off[t->noff];
		}
		if (!row_end(t, (long)row + 1))
			return fail_oom(t);
	}
	return BZ_OK;
}

/* ---- the interface ---------------------------------------------------------- */

int bz_tab_open(bz_tab **out, bz_ledger *l, const char *path)
{
	if (!out || !path)
		return BZ_EINVAL;
	*out = NULL;
	bz_tab *t = bz__calloc(1, sizeof *t);
	if (!t)
		return bz_fail(l, BZ_ENOMEM, "out of memory");
	t->l = l;
	t->cd = (iconv_t)-1;
	t->xls_fd = -1;
	t->path = bz_strdup(path);
	if (!t->path) {
		bz__free(t);
		return bz_fail(l, BZ_ENOMEM, "out of memory");
	}
	int rc;
	xmlInitParser();
	t->f = fopen(path, "rb");
	if (!t->f) {
		rc = fail_errno(t, errno);
		goto done;
	}
	unsigned char magic[4] = {0};
	errno = 0;
	size_t n = fread(magic, 1, 4, t->f);
	if (n < 4 && ferror(t->f)) {
		rc = fail_errno(t, errno ? errno : EIO);
		goto done;
	}
	if (n == 4 && memcmp(magic, "PK\3\4", 4) == 0) {
		t->kind = KIND_XLSX;
	} else if (n == 4 && memcmp(magic, "\xD0\xCF\x11\xE0", 4) == 0) {
		t->kind = KIND_XLS;
	} else {
		t->kind = KIND_CSV;
		rewind(t->f);
		rc = csv_open(t);
		goto done;
	}
	fclose(t->f);
	t->f = NULL;
	rc = t->kind == KIND_XLSX ? xlsx_open(t) : xls_open(t);
done:
	if (rc != BZ_OK) {
		bz_tab_close(t);
		return rc;
	}
	row_begin(t);
	*out = t;
	return bz_ok(l);
}

int bz_tab_next(bz_tab *t, size_t *ncells, const char *const **cells, long *line)
{
	if (!t || !ncells || !cells || !line)
		return BZ_EINVAL;
	*ncells = 0;
	*cells = NULL;
	*line = 0;
	if (t->err)
		return t->err;
	if (t->qhead == t->nq)
		queue_reset(t);
	int rc = BZ_OK;
	if (t->qhead == t->nq) {
		switch (t->kind) {
		case KIND_CSV: rc = csv_next(t); break;
		case KIND_XLSX: rc = xlsx_next(t); break;
		default: rc = xls_next(t); break;
		}
	}
	if (rc == BZ_ITEROVER)
		t->err = BZ_ITEROVER;
	if (rc != BZ_OK)
		return rc;
	return queue_pop(t, ncells, cells, line);
}

void bz_tab_close(bz_tab *t)
{
	if (!t)
		return;
	if (t->f)
		fclose(t->f);
	if (t->csv_init)
		csv_free(&t->csv);
	if (t->cd != (iconv_t)-1)
		iconv_close(t->cd);
	if (t->rd) {
		xmlFreeTextReader(t->rd);
		unzCloseCurrentFile(t->zip);
	}
	if (t->zip)
		unzClose(t->zip);
	for (size_t i = 0; i < t->nsst; i++)
		bz__free(t->sst[i]);
	bz__free(t->sst);
	bz__free(t->xf_date);
	xls_reap(t, true);
	bz__free(t->xb);
	bz__free(t->text);
	bz__free(t->off);
	bz__free(t->q);
	bz__free(t->ptrs);
	bz__free(t->u8);
	bz__free(t->path);
	bz__free(t);
}

size_t bz_tab_peak(const bz_tab *t)
{
	return t ? t->peak : 0;
}

/* ---- dates and headers -------------------------------------------------------- */

/* up to max digits at *p into *v; the count read */
static int digits(const char **p, int max, int *v)
{
	int n = 0;
	*v = 0;
	while (n < max && **p >= '0' && **p <= '9') {
		*v = *v * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	return n;
}

static bool eat(const char **p, const char *lit)
{
	size_t n = strlen(lit);
	if (strncmp(*p, lit, n) != 0)
		return false;
	*p += n;
	return true;
}

int bz_tab_date(char out[BZ_DATE_LEN + 1], const char *text)
{
	if (!out)
		return BZ_EINVAL;
	out[0] = '\0';
	if (!text)
		return BZ_EINVAL;
	size_t n = strlen(text);
	const char *s = trim(text, &n);
	char buf[64];
	if (n == 0 || n >= sizeof buf)
		return BZ_EINVAL;
	memcpy(buf, s, n);
	buf[n] = '\0';
	const char *p = buf;
	int y, m, d;
	if (n == 8 && digits(&p, 8, &y) == 8) {
		d = y % 100;
		m = y / 100 % 100;
		y /= 10000;
	} else {
		p = buf;
		if (digits(&p, 4, &y) != 4)
			return BZ_EINVAL;
		bool cjk = false;
		char sep = *p;
		if (sep == '-' || sep == '/' || sep == '.')
			p++;
		else if (eat(&p, "年"))
			cjk = true;
		else
			return BZ_EINVAL;
		if (digits(&p, 2, &m) == 0)
			return BZ_EINVAL;
		if (cjk ? !eat(&p, "月") : *p++ != sep)
			return BZ_EINVAL;
		if (digits(&p, 2, &d) == 0)
			return BZ_EINVAL;
		if (cjk)
			if (!eat(&p, "日"))
				eat(&p, "号");
		/* a time of day after the date is ignored */
		if (*p && !((*p == ' ' || *p == 'T') && p[1] >= '0' && p[1] <= '9'))
			return BZ_EINVAL;
	}
	char tmp[BZ_DATE_LEN + 8];
	snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", y, m, d);
	if (!bz_date_ok(tmp))
		return BZ_EINVAL;
	memcpy(out, tmp, BZ_DATE_LEN + 1);
	return BZ_OK;
}

/* a header's key: spaces anywhere left out, a leading/trailing "*" or "（必填）" dropped */
static void header_key(char *out, size_t cap, const char *in)
{
	size_t k = 0, w;
	const unsigned char *p = (const unsigned char *)in;
	size_t n = strlen(in);
	while (n && k + 1 < cap) {
		if (is_space_at(p, n, &w)) {
			p += w;
			n -= w;
			continue;
		}
		out[k++] = (char)*p++;
		n--;
	}
	out[k] = '\0';
	static const char *const marks[] = {"*", "＊", "（必填）", "(必填)"};
	for (bool again = true; again;) {
		again = false;
		for (size_t i = 0; i < sizeof marks / sizeof *marks; i++) {
			size_t ml = strlen(marks[i]), len = strlen(out);
			if (len >= ml && strcmp(out + len - ml, marks[i]) == 0) {
				out[len - ml] = '\0';
				again = true;
			}
			if (strncmp(out, marks[i], ml) == 0 && strlen(out) >= ml) {
				memmove(out, out + ml, strlen(out) - ml + 1);
				again = true;
			}
		}
	}
}

int bz_tab_header(const char *const *cells, size_t n, const char *const *names, size_t nnames, int *col_of)
{
	if ((!cells && n) || (!names && nnames) || (!col_of && nnames))
		return BZ_EINVAL;
	char a[256], b[256];
	for (size_t i = 0; i < nnames; i++) {
		col_of[i] = -1;
		if (!names[i])
			return BZ_EINVAL;
		header_key(a, sizeof a, names[i]);
		for (size_t c = 0; c < n && col_of[i] < 0; c++) {
			if (!cells[c])
				continue;
			header_key(b, sizeof b, cells[c]);
			if (*b && strcmp(a, b) == 0)
				col_of[i] = (int)c;
		}
	}
	return BZ_OK;
}
