/*
 * archive_export.c: an archive of the documents behind the records — of a
 * unit, a jurisdiction, a category, a year — exported as a folder or a zip
 * (minizip, as the XLSX reader) with an index in CSV and JSON, and an
 * exported archive verified against its index (archive.h).
 *
 * Every file is copied in pieces from the ledger's blobs and hashed on the
 * way: an archive is never written from bytes that no longer give the
 * SHA-256 of their change record. The archive is made under a temporary
 * name beside the destination and renamed into place, so a failure leaves
 * nothing.
 */
#include "internal.h"
#include "tabular.h"

#include <dirent.h>
#include <errno.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <unzip.h>
#include <zip.h>
#include <zlib.h>

#define CHUNK (256 * 1024)
#define HEX_LEN BZ_SHA256_HEX_LEN
/* longest folder name of a document, in bytes (file systems take 255) */
#define FOLDER_MAX 180

static const char *const index_header[] = {"文号", "标题", "日期", "发文机关", "档案类别", "年度",
					   "文件", "大小", "SHA-256", "引用记录"};
#define NCOLS (sizeof index_header / sizeof index_header[0])

static void hex_of(struct sha256_ctx *ctx, char out[HEX_LEN + 1])
{
	uint8_t d[SHA256_DIGEST_SIZE];
	sha256_digest(ctx, sizeof d, d);
	for (size_t i = 0; i < sizeof d; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

/* ---- text helpers ------------------------------------------------------------------ */

/* append s to buf (cap bytes) as a safe path component: no separators, controls or reserved characters */
static void component(char *buf, size_t cap, const char *s)
{
	size_t n = strlen(buf);
	for (const unsigned char *p = (const unsigned char *)s; *p && n + 1 < cap; p++) {
		unsigned char c = *p;
		if (c < 0x20 || c == 0x7f || strchr("/\\:*?\"<>|", c))
			c = '_';
		buf[n++] = (char)c;
	}
	buf[n] = '\0';
	/* cut back to a whole UTF-8 character */
	while (n > 0 && ((unsigned char)buf[n - 1] & 0xC0) == 0x80)
		n--;
	if (n > 0 && ((unsigned char)buf[n - 1] & 0x80)) {
		unsigned char lead = (unsigned char)buf[n - 1];
		size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
		size_t have = strlen(buf) - (n - 1);
		if (have < need)
			buf[n - 1] = '\0';
	}
	/* no trailing dots or spaces (some file systems drop them) */
	n = strlen(buf);
	while (n > 0 && (buf[n - 1] == ' ' || buf[n - 1] == '.'))
		buf[--n] = '\0';
}

static void csv_field(FILE *f, const char *s, bool last)
{
	fputc('"', f);
	for (; s && *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputs(last ? "\"\r\n" : "\",", f);
}

static void json_str(FILE *f, const char *s)
{
	if (!s) {
		fputs("null", f);
		return;
	}
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", f);
		else if (*p == '\r')
			fputs("\\r", f);
		else if (*p == '\t')
			fputs("\\t", f);
		else if (*p < 0x20)
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

/* ---- the output: a folder or a zip ----------------------------------------------------- */

typedef struct out {
	bz_ledger *l;
	const char *dest;
	bool zip;
	char *tmp;   /* temporary folder or zip file beside dest */
	zipFile zf;
	FILE *f;     /* the folder's current file */
	char *fpath; /* its path, for messages */
	struct sha256_ctx sha;
	int64_t bytes;
} out;

static int io_fail(bz_ledger *l, const char *path, int err)
{
	return bz_fail(l, BZ_EIO, "%s: %s", path, strerror(err ? err : EIO));
}

/* remove a folder and everything in it (a failed export's temporary folder) */
static void remove_tree(const char *path)
{
	DIR *d = opendir(path);
	if (d) {
		struct dirent *e;
		while ((e = readdir(d)) != NULL) {
			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				continue;
			size_t n = strlen(path) + strlen(e->d_name) + 2;
			char *p = bz__malloc(n);
			if (!p)
				continue;
			snprintf(p, n, "%s/%s", path, e->d_name);
			struct stat sb;
			if (lstat(p, &sb) == 0 && S_ISDIR(sb.st_mode))
				remove_tree(p);
			else
				unlink(p);
			bz__free(p);
		}
		closedir(d);
	}
	rmdir(path);
}

static int out_open(out *o)
{
	size_t n = strlen(o->dest) + sizeof ".tmp-XXXXXX";
	if (!(o->tmp = bz__malloc(n)))
		return bz_fail(o->l, BZ_ENOMEM, "out of memory");
	snprintf(o->tmp, n, "%s.tmp-XXXXXX", o->dest);
	if (!o->zip) {
		if (!mkdtemp(o->tmp)) {
			int err = errno;
			bz__free(o->tmp);
			o->tmp = NULL;
			return io_fail(o->l, o->dest, err);
		}
		return BZ_OK;
	}
	int fd = mkstemp(o->tmp);
	if (fd < 0) {
		int err = errno;
		bz__free(o->tmp);
		o->tmp = NULL;
		return io_fail(o->l, o->dest, err);
	}
	close(fd);
	if (!(o->zf = zipOpen64(o->tmp, APPEND_STATUS_CREATE)))
		return io_fail(o->l, o->dest, errno);
	return BZ_OK;
}

/* begin the archive's entry at rel ("folder/name") */
static int entry_begin(out *o, const char *rel, int64_t size)
{
	sha256_init(&o->sha);
	o->bytes = 0;
	if (o->zip) {
		zip_fileinfo zi;
		memset(&zi, 0, sizeof zi);
		time_t now = time(NULL);
		struct tm tm;
		localtime_r(&now, &tm);
		zi.tmz_date.tm_sec = (unsigned)tm.tm_sec;
		zi.tmz_date.tm_min = (unsigned)tm.tm_min;
		zi.tmz_date.tm_hour = (unsigned)tm.tm_hour;
		zi.tmz_date.tm_mday = (unsigned)tm.tm_mday;
		zi.tmz_date.tm_mon = (unsigned)tm.tm_mon;
		zi.tmz_date.tm_year = (unsigned)tm.tm_year + 1900;
		/* bit 11: the name is UTF-8 */
		int rc = zipOpenNewFileInZip4_64(o->zf, rel, &zi, NULL, 0, NULL, 0, NULL, Z_DEFLATED, Z_DEFAULT_COMPRESSION, 0,
						 -MAX_WBITS, DEF_MEM_LEVEL, Z_DEFAULT_STRATEGY, NULL, 0, 0, 1 << 11,
						 size >= 0xffffffffLL ? 1 : 0);
		return rc == ZIP_OK ? BZ_OK : io_fail(o->l, o->dest, EIO);
	}
	size_t n = strlen(o->tmp) + strlen(rel) + 2;
	bz__free(o->fpath);
	if (!(o->fpath = bz__malloc(n)))
		return bz_fail(o->l, BZ_ENOMEM, "out of memory");
	snprintf(o->fpath, n, "%s/%s", o->tmp, rel);
	/* the document's folder, made on its first file */
	char *slash = strrchr(o->fpath, '/');
	if (slash > o->fpath + strlen(o->tmp)) {
		*slash = '\0';
		if (mkdir(o->fpath, 0777) != 0 && errno != EEXIST) {
			int err = errno;
			*slash = '/';
			return io_fail(o->l, o->fpath, err);
		}
		*slash = '/';
	}
	if (!(o->f = fopen(o->fpath, "wbx")))
		return io_fail(o->l, o->fpath, errno);
	return BZ_OK;
}

static int entry_write(out *o, const void *p, size_t n)
{
	sha256_update(&o->sha, n, p);
	o->bytes += (int64_t)n;
	if (o->zip)
		return zipWriteInFileInZip(o->zf, p, (unsigned)n) == ZIP_OK ? BZ_OK : io_fail(o->l, o->dest, EIO);
	return fwrite(p, 1, n, o->f) == n ? BZ_OK : io_fail(o->l, o->fpath, errno);
}

static int entry_end(out *o)
{
	if (o->zip)
		return zipCloseFileInZip(o->zf) == ZIP_OK ? BZ_OK : io_fail(o->l, o->dest, EIO);
	FILE *f = o->f;
	o->f = NULL;
	int bad = fflush(f) != 0 ? errno : 0;
	if (fclose(f) != 0 && !bad)
		bad = errno;
	return bad ? io_fail(o->l, o->fpath, bad) : BZ_OK;
}

/* copy a whole FILE (an index made on the side) into the archive as rel */
static int entry_from(out *o, const char *rel, FILE *src, unsigned char *buf)
{
	int rc = entry_begin(o, rel, -1);
	rewind(src);
	size_t n;
	while (rc == BZ_OK && (n = fread(buf, 1, CHUNK, src)) > 0)
		rc = entry_write(o, buf, n);
	if (rc == BZ_OK && ferror(src))
		rc = io_fail(o->l, rel, errno);
	int rc2 = (o->zip || o->f) ? entry_end(o) : BZ_OK;
	return rc != BZ_OK ? rc : rc2;
}

/* finish (ok) or throw away the archive */
static int out_close(out *o, int rc)
{
	if (o->f) {
		fclose(o->f);
		o->f = NULL;
	}
	if (o->zf) {
		if (zipClose(o->zf, NULL) != ZIP_OK && rc == BZ_OK)
			rc = io_fail(o->l, o->dest, EIO);
		o->zf = NULL;
	}
	if (rc == BZ_OK && o->tmp) {
		struct stat sb;
		if (lstat(o->dest, &sb) == 0)
			rc = bz_fail(o->l, BZ_EEXISTS, "%s: file exists", o->dest);
		else if (o->zip && link(o->tmp, o->dest) == 0)
			unlink(o->tmp);
		else if (rename(o->tmp, o->dest) != 0)
			rc = io_fail(o->l, o->dest, errno);
	}
	if (rc != BZ_OK && o->tmp) {
		if (o->zip)
			unlink(o->tmp);
		else
			remove_tree(o->tmp);
	}
	bz__free(o->tmp);
	bz__free(o->fpath);
	o->tmp = o->fpath = NULL;
	return rc;
}

/* ---- the export --------------------------------------------------------------------------- */

static bool division_code_ok(const char *s)
{
	if (!s || strlen(s) != 6)
		return false;
	for (int i = 0; i < 6; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

static int must_exist(bz_ledger *l, const char *sql, const char *key, const char *what)
{
	bz_st *st = bz_stmt(l, sql);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, key);
	bool yes = false;
	int rc = bz_step_exists(l, st, &yes);
	if (rc != BZ_OK)
		return rc;
	return yes ? BZ_OK : bz_fail(l, BZ_ENOTFOUND, "no such %s %s", what, key);
}

/*
 * The documents selected with their files, one row per file (a document
 * without one: one row, file NULL), in the order of the archive. The
 * records citing a document are the changes resting on it (not its own
 * registration, attachments and filing), read in one pass over the log.
 * A unit's documents are those its records rest on: the records in
 * event_unit, and its entries into a post by their placements (event_unit
 * leaves them out since schema 14: placement.event is the record).
 */
static const char select_sql[] =
	"WITH sel AS (SELECT d.id, d.number, d.title, d.date, d.issuer, t.category, c.name AS cname,"
	"  COALESCE(t.year, CAST(substr(d.date, 1, 4) AS INTEGER)) AS year"
	"  FROM document d LEFT JOIN document_tag t ON t.document=d.id LEFT JOIN archive_category c ON c.code=t.category"
	"  WHERE (?1 IS NULL OR d.id IN (SELECT doc FROM event WHERE unit=?1 AND " BZ_KINDS_BY_UNIT " AND doc IS NOT NULL"
	"   UNION ALL SELECT e.doc FROM placement p JOIN event e ON e.id=p.event AND e.unit=p.unit"
	"   AND NOT e." BZ_KINDS_BY_UNIT " WHERE p.unit=?1 AND e.doc IS NOT NULL))"
	"  AND (?2 IS NULL OR d.jurisdiction=?2 OR d.id IN (SELECT e.doc FROM jurisdiction j JOIN unit u ON u.jurisdiction=j.id"
	"   JOIN event e ON e.unit=u.id AND e." BZ_KINDS_BY_UNIT " WHERE j.code=?2 AND e.doc IS NOT NULL"
	"   UNION ALL SELECT e.doc FROM jurisdiction j JOIN unit u ON u.jurisdiction=j.id JOIN placement p ON p.unit=u.id"
	"   JOIN event e ON e.id=p.event AND e.unit=p.unit AND NOT e." BZ_KINDS_BY_UNIT
	"   WHERE j.code=?2 AND e.doc IS NOT NULL))"
	"  AND (?3 IS NULL OR t.category=?3)"
	"  AND (?4=0 OR COALESCE(t.year, CAST(substr(d.date, 1, 4) AS INTEGER))=?4)"
	"  AND (?1 IS NOT NULL OR ?2 IS NOT NULL OR ?3 IS NOT NULL OR ?4<>0"
	"   OR d.id IN (SELECT document FROM document_file))),"
	" cite AS (SELECT doc, group_concat(id, ' ') AS ids FROM (SELECT e.doc, e.id FROM event e"
	"  WHERE e.doc IN (SELECT id FROM sel) AND e.kind NOT IN ('document.register','document.attach','document.file_under')"
	"  ORDER BY e.id) GROUP BY doc)"
	" SELECT s.id, s.number, s.title, s.date, s.issuer, s.category, s.cname, s.year,"
	" f.id, f.name, f.size, f.sha256, cite.ids"
	" FROM sel s LEFT JOIN document_file f ON f.document=s.id LEFT JOIN cite ON cite.doc=s.id"
	" ORDER BY s.date, s.number, s.issuer, s.id, f.event, f.name";

typedef struct export_state {
	out o;
	FILE *csv, *json;
	unsigned char *buf;
	int64_t files, entries;
	char prev_doc[BZ_UUID_LEN + 1];
	char prev_base[FOLDER_MAX + 1];
	char folder[FOLDER_MAX + 16];
	int dup;
	char names_doc[BZ_UUID_LEN + 1]; /* the document whose file names are in names */
	char **names;
	size_t nnames, capnames;
} export_state;

static int copy_file(export_state *x, const char *file_uuid, const char *rel, int64_t size, const char *sha)
{
	out *o = &x->o;
	bz_file_reader *r = NULL;
	int rc = bz_file_reader_open(&r, o->l, file_uuid);
	if (rc == BZ_OK)
		rc = entry_begin(o, rel, size);
	bool begun = rc == BZ_OK;
	int64_t got = 0;
	/* the reader says BZ_ECORRUPT at the end if the bytes are not those of the record */
	while (rc == BZ_OK && (rc = bz_file_reader_read(&got, r, x->buf, CHUNK)) == BZ_OK && got > 0)
		rc = entry_write(o, x->buf, (size_t)got);
	bz_file_reader_free(r);
	if (begun) {
		int rc2 = entry_end(o);
		if (rc == BZ_OK)
			rc = rc2;
	}
	if (rc == BZ_OK) {
		char hex[HEX_LEN + 1];
		hex_of(&o->sha, hex);
		if (strcmp(hex, sha) != 0 || o->bytes != size)
			rc = bz_fail(o->l, BZ_ECORRUPT, "%s: the bytes written give %s, the record says %s", rel, hex, sha);
	}
	if (rc == BZ_ECORRUPT)
		bz_fail(o->l, BZ_ECORRUPT, "file %s (%s) no longer gives the SHA-256 of its change record; archive not written",
			file_uuid, rel);
	return rc;
}

static void index_row(export_state *x, bz_st *st, const char *rel)
{
	const char *col[13];
	for (int i = 0; i < 13; i++)
		col[i] = (const char *)bz_st_column_text(st, i);
	char year[16] = "", size[24] = "";
	snprintf(year, sizeof year, "%d", bz_st_column_int(st, 7));
	bool has_file = col[8] != NULL;
	if (has_file)
		snprintf(size, sizeof size, "%lld", (long long)bz_st_column_int64(st, 10));
	const char *v[NCOLS] = {col[1], col[2], col[3], col[4], col[6] ? col[6] : "", year,
				has_file ? rel : "", size, has_file ? col[11] : "", col[12] ? col[12] : ""};
	for (size_t i = 0; i < NCOLS; i++)
		csv_field(x->csv, v[i], i + 1 == NCOLS);
	fputs(x->entries++ ? ",\n  {" : "\n  {", x->json);
	static const char *const keys[] = {"document", "number", "title", "date", "issuer", "category", "category_name"};
	for (int i = 0; i < 7; i++) {
		fprintf(x->json, "%s\"%s\": ", i ? ", " : "", keys[i]);
		json_str(x->json, col[i]);
	}
	fprintf(x->json, ", \"year\": %d, \"file\": ", bz_st_column_int(st, 7));
	json_str(x->json, has_file ? rel : NULL);
	fputs(", \"name\": ", x->json);
	json_str(x->json, col[9]);
	if (has_file)
		fprintf(x->json, ", \"size\": %s, \"sha256\": \"%s\"", size, col[11]);
	else
		fputs(", \"size\": null, \"sha256\": null", x->json);
	fputs(", \"records\": [", x->json);
	if (col[12]) {
		bool first = true;
		for (const char *p = col[12]; *p;) {
			char *end;
			long long seq = strtoll(p, &end, 10);
			if (end == p)
				break;
			fprintf(x->json, "%s%lld", first ? "" : ", ", seq);
			first = false;
			p = end;
			while (*p == ' ')
				p++;
		}
	}
	fputs("]}", x->json);
}

/*
 * Two names of one document can become one once made safe ("a:b.pdf" and
 * "a*b.pdf" are both "a_b.pdf"): the second gets " (2)" before its
 * extension. The names given out for the current document are kept.
 */
static int unique_name(export_state *x, const char *doc, char *name, size_t cap)
{
	if (strcmp(doc, x->names_doc) != 0) {
		for (size_t i = 0; i < x->nnames; i++)
			bz__free(x->names[i]);
		x->nnames = 0;
		snprintf(x->names_doc, sizeof x->names_doc, "%s", doc);
	}
	char base[BZ_FILE_NAME_MAX + 1];
	snprintf(base, sizeof base, "%s", name);
	for (int k = 2;; k++) {
		bool taken = false;
		for (size_t i = 0; i < x->nnames && !taken; i++)
			taken = strcmp(x->names[i], name) == 0;
		if (!taken)
			break;
		const char *dot = strrchr(base, '.');
		size_t stem = dot && dot != base ? (size_t)(dot - base) : strlen(base);
		if (stem > cap - 16)
			stem = cap - 16;
		snprintf(name, cap, "%.*s (%d)%s", (int)stem, base, k, dot && dot != base ? dot : "");
	}
	if (x->nnames == x->capnames) {
		size_t ncap = x->capnames ? x->capnames * 2 : 8;
		char **n = bz__realloc(x->names, ncap * sizeof *n);
		if (!n)
			return bz_fail(x->o.l, BZ_ENOMEM, "out of memory");
		x->names = n;
		x->capnames = ncap;
	}
	if (!(x->names[x->nnames] = bz_strdup(name)))
		return bz_fail(x->o.l, BZ_ENOMEM, "out of memory");
	x->nnames++;
	return BZ_OK;
}

static int export_rows(export_state *x, bz_st *st)
{
	int rc, code = BZ_OK;
	while (code == BZ_OK && (rc = bz_step(st)) == SQLITE_ROW) {
		const char *doc = (const char *)bz_st_column_text(st, 0);
		if (!doc)
			continue;
		if (strcmp(doc, x->prev_doc) != 0) {
			/* "<date> <文号> <title>", unique in the archive */
			char base[FOLDER_MAX + 1] = "";
			component(base, sizeof base, (const char *)bz_st_column_text(st, 3));
			strcat(base, " ");
			component(base, sizeof base, (const char *)bz_st_column_text(st, 1));
			if (strlen(base) + 2 < sizeof base) {
				strcat(base, " ");
				component(base, sizeof base, (const char *)bz_st_column_text(st, 2));
			}
			x->dup = strcmp(base, x->prev_base) == 0 ? x->dup + 1 : 0;
			snprintf(x->prev_base, sizeof x->prev_base, "%s", base);
			if (x->dup)
				snprintf(x->folder, sizeof x->folder, "%s (%d)", base, x->dup + 1);
			else
				snprintf(x->folder, sizeof x->folder, "%s", base);
			snprintf(x->prev_doc, sizeof x->prev_doc, "%s", doc);
		}
		char rel[FOLDER_MAX + BZ_FILE_NAME_MAX + 32] = "";
		const char *file = (const char *)bz_st_column_text(st, 8);
		if (file) {
			char name[BZ_FILE_NAME_MAX + 1] = "";
			component(name, sizeof name, (const char *)bz_st_column_text(st, 9));
			if ((code = unique_name(x, doc, name, sizeof name)) != BZ_OK)
				break;
			snprintf(rel, sizeof rel, "%s/%s", x->folder, name);
			code = copy_file(x, file, rel, bz_st_column_int64(st, 10), (const char *)bz_st_column_text(st, 11));
			if (code != BZ_OK)
				break;
			x->files++;
		}
		index_row(x, st, rel);
	}
	if (code == BZ_OK && rc != SQLITE_DONE)
		code = bz_sqlfail(x->o.l, rc);
	return code;
}

BZ_EXTERN int bz_archive_export(int64_t *files, bz_ledger *ledger, const char *dest, const char *unit_uuid,
				const char *jurisdiction_code, const char *category, int year)
{
	if (files)
		*files = 0;
	if (!files || !ledger || !dest)
		return BZ_EINVAL;
	bz_ledger *l = ledger;
	if (!bz_text_ok(dest))
		return bz_fail(l, BZ_EINVAL, "an archive's path is non-empty UTF-8");
	if (l->txn)
		return bz_fail(l, BZ_EMISUSE, "commit or roll back the open transaction before exporting an archive");
	if (unit_uuid && !bz_uuid_ok(unit_uuid))
		return bz_fail(l, BZ_EINVAL, "not a unit UUID");
	if (jurisdiction_code && !division_code_ok(jurisdiction_code))
		return bz_fail(l, BZ_EINVAL, "a division code has 6 digits");
	if (year != 0 && (year < 1949 || year > 2999))
		return bz_fail(l, BZ_EINVAL, "an archive year is 1949-2999 (0: any), not %d", year);
	int rc = BZ_OK;
	if (unit_uuid)
		rc = must_exist(l, "SELECT 1 FROM unit WHERE id=?1", unit_uuid, "unit");
	if (rc == BZ_OK && jurisdiction_code)
		rc = must_exist(l, "SELECT 1 FROM jurisdiction WHERE code=?1", jurisdiction_code, "jurisdiction");
	if (rc == BZ_OK && category)
		rc = must_exist(l, "SELECT 1 FROM archive_category WHERE code=?1", category, "archive category");
	if (rc != BZ_OK)
		return rc;
	struct stat sb;
	if (lstat(dest, &sb) == 0)
		return bz_fail(l, BZ_EEXISTS, "%s: file exists", dest);
	size_t dl = strlen(dest);
	export_state x;
	memset(&x, 0, sizeof x);
	x.o.l = l;
	x.o.dest = dest;
	x.o.zip = dl > 4 && strcasecmp(dest + dl - 4, ".zip") == 0;
	x.buf = bz__malloc(CHUNK);
	x.csv = tmpfile();
	x.json = tmpfile();
	if (!x.buf || !x.csv || !x.json) {
		rc = x.buf ? io_fail(l, "temporary file", errno) : bz_fail(l, BZ_ENOMEM, "out of memory");
		goto done;
	}
	fputs("\xef\xbb\xbf", x.csv);
	for (size_t i = 0; i < NCOLS; i++)
		csv_field(x.csv, index_header[i], i + 1 == NCOLS);
	fputs("{\"format\": \"libbianzhi archive 1\", \"selection\": {\"unit\": ", x.json);
	json_str(x.json, unit_uuid);
	fputs(", \"jurisdiction\": ", x.json);
	json_str(x.json, jurisdiction_code);
	fputs(", \"category\": ", x.json);
	json_str(x.json, category);
	fprintf(x.json, ", \"year\": %d},\n \"entries\": [", year);
	if ((rc = out_open(&x.o)) != BZ_OK)
		goto done;
	/* one read snapshot: the index and the files agree */
	if ((rc = bz_exec(l, "BEGIN")) != BZ_OK)
		goto done;
	bz_st *st = NULL;
	int src = bz_store_prepare(l->store, &st, select_sql);
	if (src != SQLITE_OK)
		rc = bz_sqlfail(l, src);
	else {
		bz_bind_text(st, 1, unit_uuid);
		bz_bind_text(st, 2, jurisdiction_code);
		bz_bind_text(st, 3, category);
		bz_st_bind_int(st, 4, year);
		rc = export_rows(&x, st);
	}
	bz_st_finalize(st);
	bz_end_read(l);
	if (rc != BZ_OK)
		goto done;
	fprintf(x.json, "\n ],\n \"files\": %lld\n}\n", (long long)x.files);
	if (ferror(x.csv) || ferror(x.json)) {
		rc = io_fail(l, "temporary file", errno);
		goto done;
	}
	if ((rc = entry_from(&x.o, "index.csv", x.csv, x.buf)) == BZ_OK)
		rc = entry_from(&x.o, "index.json", x.json, x.buf);
done:
	if (x.o.tmp || x.o.zf)
		rc = out_close(&x.o, rc);
	for (size_t i = 0; i < x.nnames; i++)
		bz__free(x.names[i]);
	bz__free(x.names);
	if (x.csv)
		fclose(x.csv);
	if (x.json)
		fclose(x.json);
	bz__free(x.buf);
	if (rc != BZ_OK)
		return rc;
	*files = x.files;
	return bz_ok(l);
}

/* ---- verifying an exported archive ------------------------------------------------------------- */

typedef struct verifier {
	const char *path;
	bool zip;
	unzFile uf;
	char **listed; /* sorted */
	size_t nlisted, caplisted;
	char *problems;
	size_t np, capp;
	bool oom;
	unsigned char *buf;
} verifier;

static void problem(verifier *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void problem(verifier *v, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int k = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (k < 0 || v->oom)
		return;
	if (v->np + (size_t)k + 2 > v->capp) {
		size_t cap = v->capp * 2 + (size_t)k + 256;
		char *s = bz__realloc(v->problems, cap);
		if (!s) {
			v->oom = true;
			return;
		}
		v->problems = s;
		v->capp = cap;
	}
	va_start(ap, fmt);
	vsnprintf(v->problems + v->np, v->capp - v->np, fmt, ap);
	va_end(ap);
	v->np += (size_t)k;
	v->problems[v->np++] = '\n';
	v->problems[v->np] = '\0';
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* a path inside the archive: relative, no "..", no backslash */
static bool rel_ok(const char *p)
{
	if (!*p || *p == '/' || strchr(p, '\\'))
		return false;
	for (const char *s = p; s; s = strchr(s, '/')) {
		if (*s == '/')
			s++;
		if (strncmp(s, "..", 2) == 0 && (s[2] == '/' || s[2] == '\0'))
			return false;
	}
	return true;
}

/* hash the archive's entry rel; *found false if it is not there */
static int hash_entry(verifier *v, const char *rel, bool *found, char hex[HEX_LEN + 1], int64_t *size)
{
	struct sha256_ctx sha;
	sha256_init(&sha);
	*size = 0;
	*found = false;
	if (v->zip) {
		if (unzLocateFile(v->uf, rel, 1) != UNZ_OK)
			return 0;
		*found = true;
		if (unzOpenCurrentFile(v->uf) != UNZ_OK)
			return EIO;
		int n;
		while ((n = unzReadCurrentFile(v->uf, v->buf, CHUNK)) > 0) {
			sha256_update(&sha, (size_t)n, v->buf);
			*size += n;
		}
		int crc = unzCloseCurrentFile(v->uf);
		if (n < 0 || crc != UNZ_OK)
			return EIO;
	} else {
		size_t n = strlen(v->path) + strlen(rel) + 2;
		char *p = bz__malloc(n);
		if (!p)
			return ENOMEM;
		snprintf(p, n, "%s/%s", v->path, rel);
		FILE *f = fopen(p, "rb");
		bz__free(p);
		if (!f)
			return errno == ENOENT ? 0 : errno;
		*found = true;
		size_t k;
		while ((k = fread(v->buf, 1, CHUNK, f)) > 0) {
			sha256_update(&sha, k, v->buf);
			*size += (int64_t)k;
		}
		int err = ferror(f) ? (errno ? errno : EIO) : 0;
		fclose(f);
		if (err)
			return err;
	}
	hex_of(&sha, hex);
	return 0;
}

static bool listed(verifier *v, const char *rel)
{
	return v->nlisted && bsearch(&rel, v->listed, v->nlisted, sizeof *v->listed, cmp_str) != NULL;
}

static bool index_name(const char *rel)
{
	return strcmp(rel, "index.csv") == 0 || strcmp(rel, "index.json") == 0;
}

/* every regular file under dir (relative path rel) not in the index */
static void extras_dir(verifier *v, const char *rel)
{
	size_t n = strlen(v->path) + strlen(rel) + 2;
	char *p = bz__malloc(n);
	if (!p) {
		v->oom = true;
		return;
	}
	snprintf(p, n, "%s%s%s", v->path, *rel ? "/" : "", rel);
	DIR *d = opendir(p);
	if (!d) {
		problem(v, "%s: %s", p, strerror(errno));
		bz__free(p);
		return;
	}
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		size_t m = strlen(rel) + strlen(e->d_name) + 2;
		char *r = bz__malloc(m);
		if (!r) {
			v->oom = true;
			break;
		}
		snprintf(r, m, "%s%s%s", rel, *rel ? "/" : "", e->d_name);
		size_t q = strlen(p) + strlen(e->d_name) + 2;
		char *full = bz__malloc(q);
		struct stat sb;
		if (full) {
			snprintf(full, q, "%s/%s", p, e->d_name);
			if (lstat(full, &sb) == 0 && S_ISDIR(sb.st_mode))
				extras_dir(v, r);
			else if (!index_name(r) && !listed(v, r))
				problem(v, "%s: not in the index", r);
			bz__free(full);
		}
		bz__free(r);
	}
	closedir(d);
	bz__free(p);
}

static void extras_zip(verifier *v)
{
	char name[1024];
	for (int rc = unzGoToFirstFile(v->uf); rc == UNZ_OK; rc = unzGoToNextFile(v->uf)) {
		unz_file_info64 fi;
		if (unzGetCurrentFileInfo64(v->uf, &fi, name, sizeof name, NULL, 0, NULL, 0) != UNZ_OK)
			break;
		size_t n = strlen(name);
		if (n && name[n - 1] == '/')
			continue;
		if (!index_name(name) && !listed(v, name))
			problem(v, "%s: not in the index", name);
	}
}

/* index.csv of a zip, copied out to a temporary file for the tabular reader */
static int zip_index(verifier *v, char tmp[64])
{
	if (unzLocateFile(v->uf, "index.csv", 1) != UNZ_OK)
		return EINVAL;
	const char *dir = getenv("TMPDIR");
	snprintf(tmp, 64, "%s/bz-index-XXXXXX", dir && strlen(dir) < 40 ? dir : "/tmp");
	int fd = mkstemp(tmp);
	if (fd < 0)
		return errno;
	FILE *f = fdopen(fd, "wb");
	if (!f) {
		int err = errno;
		close(fd);
		unlink(tmp);
		return err;
	}
	int err = unzOpenCurrentFile(v->uf) == UNZ_OK ? 0 : EIO, n = 0;
	while (!err && (n = unzReadCurrentFile(v->uf, v->buf, CHUNK)) > 0)
		if (fwrite(v->buf, 1, (size_t)n, f) != (size_t)n)
			err = errno ? errno : EIO;
	if (!err && (n < 0 || unzCloseCurrentFile(v->uf) != UNZ_OK))
		err = EIO;
	if (fclose(f) != 0 && !err)
		err = errno;
	if (err)
		unlink(tmp);
	return err;
}

static int verify_rows(verifier *v, bz_tab *t, int64_t *checked)
{
	size_t nc = 0;
	const char *const *cells = NULL;
	long line = 0;
	int rc = bz_tab_next(t, &nc, &cells, &line);
	static const char *const want[] = {"文件", "大小", "SHA-256"};
	int col[3];
	if (rc != BZ_OK || bz_tab_header(cells, nc, want, 3, col) != BZ_OK || col[0] < 0 || col[1] < 0 || col[2] < 0) {
		problem(v, "%s: index.csv is not an archive index (columns 文件, 大小, SHA-256)", v->path);
		return BZ_EINVAL;
	}
	/* first the list (for the files not in it), then each file */
	typedef struct row {
		char *rel, *sha;
		int64_t size;
		long line;
	} row;
	row *rows = NULL;
	size_t nrows = 0, cap = 0;
	int code = BZ_OK;
	while ((rc = bz_tab_next(t, &nc, &cells, &line)) == BZ_OK) {
		const char *rel = (size_t)col[0] < nc ? cells[col[0]] : "";
		if (!*rel)
			continue; /* a document without a file */
		if (nrows == cap) {
			size_t ncap = cap ? cap * 2 : 64;
			row *nr = bz__realloc(rows, ncap * sizeof *nr);
			if (!nr) {
				code = BZ_ENOMEM;
				break;
			}
			rows = nr;
			cap = ncap;
		}
		row *r = &rows[nrows++];
		r->rel = bz_strdup(rel);
		r->sha = bz_strdup((size_t)col[2] < nc ? cells[col[2]] : "");
		r->size = (size_t)col[1] < nc ? strtoll(cells[col[1]], NULL, 10) : -1;
		r->line = line;
		if (!r->rel || !r->sha) {
			code = BZ_ENOMEM;
			break;
		}
	}
	if (code == BZ_OK && rc != BZ_ITEROVER) {
		problem(v, "%s: index.csv line %ld cannot be read", v->path, line);
		code = BZ_EINVAL;
	}
	if (code == BZ_OK && nrows) {
		v->listed = bz__malloc(nrows * sizeof *v->listed);
		if (!v->listed)
			code = BZ_ENOMEM;
		else {
			for (size_t i = 0; i < nrows; i++)
				v->listed[i] = rows[i].rel;
			v->nlisted = nrows;
			qsort(v->listed, nrows, sizeof *v->listed, cmp_str);
		}
	}
	for (size_t i = 0; code == BZ_OK && i < nrows; i++) {
		row *r = &rows[i];
		++*checked;
		if (!rel_ok(r->rel)) {
			problem(v, "%s: index.csv line %ld names a path outside the archive", r->rel, r->line);
			continue;
		}
		char hex[HEX_LEN + 1];
		int64_t size = 0;
		bool found = false;
		int err = hash_entry(v, r->rel, &found, hex, &size);
		if (err)
			problem(v, "%s: cannot be read (%s)", r->rel, strerror(err));
		else if (!found)
			problem(v, "%s: missing (index.csv line %ld)", r->rel, r->line);
		else if (strcmp(hex, r->sha) != 0)
			problem(v, "%s: SHA-256 %s, the index says %s", r->rel, hex, r->sha);
		else if (size != r->size)
			problem(v, "%s: %lld bytes, the index says %lld", r->rel, (long long)size, (long long)r->size);
	}
	if (code == BZ_OK) {
		if (v->zip)
			extras_zip(v);
		else
			extras_dir(v, "");
	}
	for (size_t i = 0; i < nrows; i++) {
		bz__free(rows[i].rel);
		bz__free(rows[i].sha);
	}
	bz__free(rows);
	bz__free(v->listed);
	v->listed = NULL;
	v->nlisted = 0;
	return code;
}

BZ_EXTERN int bz_archive_verify(char **problems, int64_t *checked, const char *path)
{
	if (problems)
		*problems = NULL;
	if (checked)
		*checked = 0;
	if (!problems || !checked || !path)
		return BZ_EINVAL;
	verifier v;
	memset(&v, 0, sizeof v);
	v.path = path;
	int code = BZ_OK;
	struct stat sb;
	char tmp[64] = "";
	bz_tab *t = NULL;
	if (!(v.buf = bz__malloc(CHUNK))) {
		code = BZ_ENOMEM;
		goto done;
	}
	if (stat(path, &sb) != 0) {
		problem(&v, "%s: %s", path, strerror(errno));
		code = BZ_EIO;
		goto done;
	}
	if (S_ISDIR(sb.st_mode)) {
		size_t n = strlen(path) + sizeof "/index.csv";
		char *idx = bz__malloc(n);
		if (!idx) {
			code = BZ_ENOMEM;
			goto done;
		}
		snprintf(idx, n, "%s/index.csv", path);
		int rc = bz_tab_open(&t, NULL, idx);
		if (rc != BZ_OK) {
			problem(&v, "%s: no readable index.csv (%s)", path, access(idx, F_OK) == 0 ? "unreadable" : "missing");
			code = rc == BZ_EIO && access(idx, F_OK) == 0 ? BZ_EIO : BZ_EINVAL;
		}
		bz__free(idx);
	} else {
		v.zip = true;
		if (!(v.uf = unzOpen64(path))) {
			problem(&v, "%s: not a folder or a zip archive", path);
			code = access(path, R_OK) == 0 ? BZ_EINVAL : BZ_EIO;
			goto done;
		}
		int err = zip_index(&v, tmp);
		if (err) {
			problem(&v, "%s: %s", path, err == EINVAL ? "no index.csv in the zip" : strerror(err));
			tmp[0] = '\0';
			code = err == EINVAL ? BZ_EINVAL : BZ_EIO;
			goto done;
		}
		if (bz_tab_open(&t, NULL, tmp) != BZ_OK) {
			problem(&v, "%s: index.csv cannot be read", path);
			code = BZ_EINVAL;
		}
	}
	if (code == BZ_OK)
		code = verify_rows(&v, t, checked);
	if (code == BZ_OK && v.np)
		code = BZ_ECORRUPT;
done:
	bz_tab_close(t);
	if (tmp[0])
		unlink(tmp);
	if (v.uf)
		unzClose(v.uf);
	bz__free(v.buf);
	if (v.oom || code == BZ_ENOMEM) {
		bz__free(v.problems);
		return BZ_ENOMEM;
	}
	*problems = v.problems;
	return code;
}
