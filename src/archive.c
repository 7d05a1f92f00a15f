/*
 * archive.c: the files behind the documents (archive.h) — stored
 * content-addressed and streamed with SQLite's incremental blob I/O, their
 * hash in the change record that attached them; the archive categories of
 * seed §21; archives exported as a folder or a zip with an index, and
 * verified against it.
 *
 * Storage (schema 5): file_blob holds bytes only (id, data), so nothing
 * ever UPDATEs a row that carries a large value (SQLite would read the
 * whole value to rewrite the row); file_hash maps a SHA-256 to its blob
 * once its bytes are complete; document_file is the attachment, written
 * with its change record. A writer first inserts zeroblob(size) and fills
 * it piece by piece; a blob without a file_hash row is an upload not yet
 * finished, removed by the writer that made it.
 *
 * On PostgreSQL (l->db NULL; issue 13, store.h §3) there is no blob I/O:
 * file_blob.data is an empty bytea and the bytes are rows of file_chunk
 * (PostgreSQL's own table, schema_pg.sql): (blob, n, data), chunks of
 * PG_CHUNK bytes numbered from 0, every one full but the last. A writer
 * gathers one chunk in memory and INSERTs it when full (the last at
 * finish); a reader, the hash re-check and the exports fetch one chunk per
 * statement. What a stream holds of a file is one chunk, on either side;
 * large objects are not used (pg_dump -n SCHEMA would not carry them).
 *
 * SHA-256 is nettle's (a maintained library, not ours).
 */
#include "archive_int.h"
#include "catalogue.h"
#include "tabular.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <unzip.h>
#include <zip.h>

/* bytes read or written per step: what a stream ever holds of a file */
#define CHUNK (256 * 1024)
#define HEX_LEN BZ_SHA256_HEX_LEN
/* PostgreSQL: bytes per row of file_chunk (the last of a file may be shorter) */
#define PG_CHUNK (1024 * 1024)
/* PostgreSQL: the largest file (SQLite's own bound is its SQLITE_LIMIT_LENGTH, 10^9 by default) */
#define PG_FILE_MAX 1000000000LL

static void sha_hex(struct sha256_ctx *ctx, char out[HEX_LEN + 1])
{
	uint8_t d[SHA256_DIGEST_SIZE];
	sha256_digest(ctx, sizeof d, d);
	static const char hx[] = "0123456789abcdef";
	for (size_t i = 0; i < sizeof d; i++) {
		out[2 * i] = hx[d[i] >> 4];
		out[2 * i + 1] = hx[d[i] & 15];
	}
	out[HEX_LEN] = '\0';
}

/* a name a file is kept under: UTF-8, no path separator, no control character, not . or .. */
static bool file_name_ok(const char *s)
{
	if (!bz_text_ok(s) || strlen(s) > BZ_FILE_NAME_MAX || strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f || *p == '/' || *p == '\\')
			return false;
	return true;
}

static bool code_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n < 1 || n > 16)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return false;
	return true;
}

static int document_exists(bz_ledger *l, const char *doc)
{
	if (!bz_uuid_ok(doc))
		return bz_fail(l, BZ_EINVAL, "not a document UUID");
	static const char sql[] = "SELECT 1 FROM document WHERE id=?1";
	bz_st *st = bz_stmt(l, sql);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, doc);
	bool yes = false;
	int rc = bz_step_exists(l, st, &yes);
	if (rc != BZ_OK)
		return rc;
	return yes ? BZ_OK : bz_fail(l, BZ_ENOTFOUND, "no such document %s", doc);
}

/* ---- files: the value ------------------------------------------------------------ */

struct bz_file {
	char *uuid, *document, *name, *sha256, *attached;
	int64_t size, seq;
};

BZ_EXTERN void bz_file_free(bz_file *f)
{
	if (!f)
		return;
	bz__free(f->uuid);
	bz__free(f->document);
	bz__free(f->name);
	bz__free(f->sha256);
	bz__free(f->attached);
	bz__free(f);
}

#define FILE_COLS "SELECT f.id, f.document, f.name, f.sha256, f.size, e.effective, f.event" \
	" FROM document_file f JOIN event e ON e.id=f.event "

static int file_make(void **out, bz_st *st, bz_ledger *l)
{
	bz_file *f = bz__calloc(1, sizeof *f);
	if (!f)
		return bz_fail(l, BZ_ENOMEM, "out of memory");
	bool ok = true;
	f->uuid = bz_col_strdup(st, 0, &ok);
	f->document = bz_col_strdup(st, 1, &ok);
	f->name = bz_col_strdup(st, 2, &ok);
	f->sha256 = bz_col_strdup(st, 3, &ok);
	f->size = bz_st_column_int64(st, 4);
	f->attached = bz_col_strdup(st, 5, &ok);
	f->seq = bz_st_column_int64(st, 6);
	if (!ok || !f->uuid) {
		bz_file_free(f);
		return bz_fail(l, BZ_ENOMEM, "out of memory");
	}
	*out = f;
	return BZ_OK;
}

BZ_EXTERN int bz_file_lookup(bz_file **out, bz_ledger *ledger, const char *file_uuid)
{
	if (!out)
		return BZ_EINVAL;
	*out = NULL;
	if (!ledger)
		return BZ_EINVAL;
	if (!bz_uuid_ok(file_uuid))
		return bz_fail(ledger, BZ_EINVAL, "not a file UUID");
	static const char sql[] = FILE_COLS "WHERE f.id=?1";
	bz_st *st = bz_stmt(ledger, sql);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, file_uuid);
	int rc = bz_step(st), code;
	if (rc == SQLITE_ROW)
		code = file_make((void **)out, st, ledger);
	else if (rc == SQLITE_DONE)
		code = bz_fail(ledger, BZ_ENOTFOUND, "no such file %s", file_uuid);
	else
		code = bz_sqlfail(ledger, rc);
	bz_st_reset(st);
	return code == BZ_OK ? bz_ok(ledger) : code;
}

BZ_EXTERN int bz_document_files(bz_file_iter **out, bz_ledger *ledger, const char *document_uuid)
{
	if (!out)
		return BZ_EINVAL;
	*out = NULL;
	if (!ledger)
		return BZ_EINVAL;
	int rc = document_exists(ledger, document_uuid);
	if (rc != BZ_OK)
		return rc;
	static const char sql[] = FILE_COLS "WHERE f.document=?1 ORDER BY f.event, f.name";
	bz_iter *it = NULL;
	if ((rc = bz_iter_new(&it, ledger, sql, file_make)) != BZ_OK)
		return rc;
	bz_bind_text(it->st, 1, document_uuid);
	*out = (bz_file_iter *)it;
	return bz_ok(ledger);
}

BZ_EXTERN int bz_file_iter_next(bz_file **out, bz_file_iter *it)
{
	return bz_iter_next((void **)out, (bz_iter *)it);
}

BZ_EXTERN void bz_file_iter_free(bz_file_iter *it)
{
	bz_iter_free((bz_iter *)it);
}

BZ_EXTERN const char *bz_file_uuid(const bz_file *f) { return f ? f->uuid : NULL; }
BZ_EXTERN const char *bz_file_document(const bz_file *f) { return f ? f->document : NULL; }
BZ_EXTERN const char *bz_file_name(const bz_file *f) { return f ? f->name : NULL; }
BZ_EXTERN const char *bz_file_sha256(const bz_file *f) { return f ? f->sha256 : NULL; }
BZ_EXTERN int64_t bz_file_size(const bz_file *f) { return f ? f->size : 0; }
BZ_EXTERN const char *bz_file_attached(const bz_file *f) { return f ? f->attached : NULL; }
BZ_EXTERN int64_t bz_file_seq(const bz_file *f) { return f ? f->seq : 0; }

/* ---- writing: staged blob, then the record ------------------------------------------ */

struct bz_file_writer {
	bz_child child;
	bz_ledger *l; /* NULL once the ledger is closed */
	long long txn_no;
	char doc[BZ_UUID_LEN + 1];
	char *name;
	int64_t size, off;
	sqlite3_int64 row; /* the staged blob; 0 once gone */
	struct sha256_ctx sha;
	bool spoiled, finished;
	bool counted; /* in its transaction's writers */
	/* PostgreSQL: the chunk being gathered (PG_CHUNK bytes), its fill, the chunks written */
	unsigned char *pend;
	size_t npend;
	int64_t nchunk;
};

static void writer_detach(bz_child *c)
{
	bz_file_writer *w = (bz_file_writer *)c;
	w->l = NULL;
	w->row = 0;
}

/* the writer's transaction is still the open one */
static bool writer_live(const bz_file_writer *w)
{
	return w->l && w->l->txn && w->l->txn->open && w->l->txn->txn_no == w->txn_no;
}

/* the writer no longer holds its transaction's commit */
static void writer_uncount(bz_file_writer *w)
{
	if (w->counted && writer_live(w))
		w->l->txn->writers--;
	w->counted = false;
}

static int name_free_in(bz_ledger *l, const char *doc, const char *name)
{
	static const char sql[] = "SELECT 1 FROM document_file WHERE document=?1 AND name=?2";
	bz_st *st = bz_stmt(l, sql);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, doc);
	bz_bind_text(st, 2, name);
	bool taken = false;
	int rc = bz_step_exists(l, st, &taken);
	if (rc != BZ_OK)
		return rc;
	return taken ? bz_fail(l, BZ_EEXISTS, "the document already has a file named %s", name) : BZ_OK;
}

static int attach_check(bz_txn *txn, const char *doc, const char *name)
{
	bz_ledger *l = txn->l;
	if (!txn->open)
		return bz_fail(l, BZ_EMISUSE, "the transaction is finished");
	if (!file_name_ok(name))
		return bz_fail(l, BZ_EINVAL,
			       "a file name is 1-%d bytes of UTF-8 without '/', '\\' or control characters",
			       BZ_FILE_NAME_MAX);
	int rc = document_exists(l, doc);
	if (rc == BZ_OK)
		rc = name_free_in(l, doc, name);
	return rc;
}

BZ_EXTERN int bz_file_writer_open(bz_file_writer **out, bz_txn *txn, const char *document_uuid,
				  const char *name, int64_t size)
{
	if (!out)
		return BZ_EINVAL;
	*out = NULL;
	if (!txn)
		return BZ_EINVAL;
	bz_ledger *l = txn->l;
	if (!l)
		return BZ_EMISUSE;
	int rc = attach_check(txn, document_uuid, name);
	if (rc != BZ_OK)
		return rc;
	long long max = l->db ? sqlite3_limit(l->db, SQLITE_LIMIT_LENGTH, -1) : PG_FILE_MAX;
	if (size < 0 || size > max)
		return bz_fail(l, BZ_EINVAL, "a file's size is 0 to %lld bytes, not %lld", max, (long long)size);
	bz_file_writer *w = bz__calloc(1, sizeof *w);
	if (!w || !(w->name = bz_strdup(name)) || (!l->db && !(w->pend = bz__malloc(PG_CHUNK)))) {
		if (w)
			bz__free(w->name);
		bz__free(w);
		return bz_fail(l, BZ_ENOMEM, "out of memory");
	}
	/* SQLite: the whole size, zeroed, filled in place; PostgreSQL: an empty bytea, the bytes in file_chunk */
	static const char sql[] = "INSERT INTO file_blob(data) VALUES(?1)";
	bz_st *st = bz_stmt(l, sql);
	if (!st) {
		bz__free(w->pend);
		bz__free(w->name);
		bz__free(w);
		return bz_stmt_err();
	}
	if (l->db)
		sqlite3_bind_zeroblob64(bz_st_sqlite(st), 1, (sqlite3_uint64)size);
	else
		bz_st_bind_blob(st, 1, "", 0);
	if ((rc = bz_step_done(l, st)) != BZ_OK) {
		bz__free(w->pend);
		bz__free(w->name);
		bz__free(w);
		return rc;
	}
	w->row = bz_store_last_id(l->store);
	w->l = l;
	w->txn_no = txn->txn_no;
	memcpy(w->doc, document_uuid, BZ_UUID_LEN + 1);
	w->size = size;
	sha256_init(&w->sha);
	txn->writers++;
	w->counted = true;
	bz_child_link(l, &w->child, writer_detach);
	*out = w;
	return bz_ok(l);
}

/* PostgreSQL: the gathered chunk out as row nchunk of file_chunk */
static int pg_chunk_flush(bz_file_writer *w)
{
	static const char sql[] = "INSERT INTO file_chunk(blob, n, data) VALUES(?1,?2,?3)";
	bz_st *st = bz_stmt(w->l, sql);
	if (!st)
		return bz_stmt_err();
	bz_st_bind_int64(st, 1, w->row);
	bz_st_bind_int64(st, 2, w->nchunk);
	bz_st_bind_blob_static(st, 3, w->pend, (int)w->npend);
	int rc = bz_step_done(w->l, st);
	if (rc == BZ_OK) {
		w->nchunk++;
		w->npend = 0;
	}
	return rc;
}

/* PostgreSQL: len bytes (within the size) into the chunk being gathered, each full chunk written */
static int pg_put(bz_file_writer *w, const unsigned char *p, size_t len)
{
	while (len > 0) {
		size_t n = PG_CHUNK - w->npend;
		if (n > len)
			n = len;
		memcpy(w->pend + w->npend, p, n);
		sha256_update(&w->sha, n, p);
		w->npend += n;
		w->off += (int64_t)n;
		p += n;
		len -= n;
		if (w->npend == PG_CHUNK) {
			int rc = pg_chunk_flush(w);
			if (rc != BZ_OK)
				return rc;
		}
	}
	return BZ_OK;
}

static int writer_put(bz_file_writer *w, const void *data, size_t len);

BZ_EXTERN int bz_file_writer_write(bz_file_writer *w, const void *data, size_t len)
{
	if (!w || (!data && len))
		return BZ_EINVAL;
	if (!writer_live(w) || w->finished)
		return w->l ? bz_fail(w->l, BZ_EMISUSE, "the file writer is finished or its transaction ended")
			    : BZ_EMISUSE;
	if (w->spoiled)
		return bz_fail(w->l, BZ_EINVAL, "the file writer failed earlier; free it and attach again");
	if ((uint64_t)len > (uint64_t)(w->size - w->off)) {
		w->spoiled = true;
		return bz_fail(w->l, BZ_EINVAL, "more bytes than the %lld announced", (long long)w->size);
	}
	if (len == 0)
		return bz_ok(w->l);
	int rc = writer_put(w, data, len);
	if (rc != BZ_OK)
		w->spoiled = true;
	return rc == BZ_OK ? bz_ok(w->l) : rc;
}

/* len bytes (within the size) into the staged blob, hashed; the writer's own checks done */
static int writer_put(bz_file_writer *w, const void *data, size_t len)
{
	if (!w->l->db)
		return pg_put(w, data, len);
	/*
	 * The blob handle lives for this call only: an open write handle counts
	 * as a statement writing, and SQLite refuses a savepoint (every other
	 * change of the transaction, another writer's finish) or a commit while
	 * one is open. Reopening costs a walk of the blob's overflow pages to
	 * the offset, paid once per call, not per byte.
	 */
	sqlite3_blob *b = NULL;
	int rc = sqlite3_blob_open(w->l->db, "main", "file_blob", "data", w->row, 1, &b);
	const unsigned char *p = data;
	while (rc == SQLITE_OK && len > 0) {
		int n = len > CHUNK ? CHUNK : (int)len;
		if ((rc = sqlite3_blob_write(b, p, n, (int)w->off)) != SQLITE_OK)
			break;
		sha256_update(&w->sha, (size_t)n, p);
		w->off += n;
		p += n;
		len -= (size_t)n;
	}
	sqlite3_blob_close(b);
	return rc == SQLITE_OK ? BZ_OK : bz_sqlfail(w->l, rc);
}

/* the attachment's record and row, for bytes stored (or found) under hex */
static int attach_record(bz_txn *txn, char file_uuid[BZ_UUID_LEN + 1], const char *doc, const char *name,
			 const char *hex, int64_t size)
{
	bz_ledger *l = txn->l;
	char today[BZ_DATE_LEN + 1], sz[24];
	bz_today(l, today);
	bz_uuid_new(file_uuid);
	snprintf(sz, sizeof sz, "%lld", (long long)size);
	long long ev = 0;
	/* reference data like the document itself: the document is its own basis */
	int rc = bz_event_write_ref(txn, &ev, "document.attach", doc, NULL, today, doc, name);
	if (rc == BZ_OK)
		rc = bz_fact_write_first(txn, ev, file_uuid, "document", today, doc);
	if (rc == BZ_OK)
		rc = bz_fact_write_first(txn, ev, file_uuid, "name", today, name);
	if (rc == BZ_OK)
		rc = bz_fact_write_first(txn, ev, file_uuid, "size", today, sz);
	if (rc == BZ_OK)
		rc = bz_fact_write_first(txn, ev, file_uuid, "sha256", today, hex);
	if (rc != BZ_OK)
		return rc;
	static const char sql[] =
		"INSERT INTO document_file(id, document, name, sha256, size, event) VALUES(?1,?2,?3,?4,?5,?6)";
	bz_st *st = bz_stmt(l, sql);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, file_uuid);
	bz_bind_text(st, 2, doc);
	bz_bind_text(st, 3, name);
	bz_bind_text(st, 4, hex);
	bz_st_bind_int64(st, 5, size);
	bz_st_bind_int64(st, 6, ev);
	return bz_step_done(l, st);
}

static int hash_known(bz_ledger *l, const char *hex, bool *known)
{
	static const char sql[] = "SELECT 1 FROM file_hash WHERE sha256=?1";
	bz_st *st = bz_stmt(l, sql);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, hex);
	return bz_step_exists(l, st, known);
}

static int staged_drop(bz_ledger *l, sqlite3_int64 row)
{
	if (!l->db) {
		/* PostgreSQL: its chunks first (they refer to it) */
		static const char chunks[] =
			"DELETE FROM file_chunk WHERE blob=?1 AND NOT EXISTS (SELECT 1 FROM file_hash WHERE blob=?1)";
		bz_st *c = bz_stmt(l, chunks);
		if (!c)
			return bz_stmt_err();
		bz_st_bind_int64(c, 1, row);
		int rc = bz_step_done(l, c);
		if (rc != BZ_OK)
			return rc;
	}
	static const char sql[] = "DELETE FROM file_blob WHERE id=?1 AND NOT EXISTS (SELECT 1 FROM file_hash WHERE blob=?1)";
	bz_st *st = bz_stmt(l, sql);
	if (!st)
		return bz_stmt_err();
	bz_st_bind_int64(st, 1, row);
	return bz_step_done(l, st);
}

BZ_EXTERN int bz_file_writer_finish(bz_file **out, bz_file_writer *w)
{
	if (!out)
		return BZ_EINVAL;
	*out = NULL;
	if (!w)
		return BZ_EINVAL;
	if (!writer_live(w) || w->finished)
		return w->l ? bz_fail(w->l, BZ_EMISUSE, "the file writer is finished or its transaction ended")
			    : BZ_EMISUSE;
	bz_ledger *l = w->l;
	bz_txn *txn = l->txn;
	if (w->spoiled)
		return bz_fail(l, BZ_EINVAL, "the file writer failed earlier; free it and attach again");
	if (w->off != w->size)
		return bz_fail(l, BZ_EINVAL, "%lld of the %lld bytes announced were written", (long long)w->off,
			       (long long)w->size);
	char hex[HEX_LEN + 1], file_uuid[BZ_UUID_LEN + 1];
	/* PostgreSQL: the last chunk, short or empty (a file of 0 bytes has no chunk) */
	if (!l->db && w->npend > 0) {
		int code = pg_chunk_flush(w);
		if (code != BZ_OK) {
			w->spoiled = true;
			return code;
		}
	}
	writer_uncount(w);
	sha_hex(&w->sha, hex);
	int rc = bz_change_begin(txn);
	if (rc != BZ_OK)
		return rc;
	bool known = false;
	if ((rc = hash_known(l, hex, &known)) == BZ_OK && !known) {
		static const char sql[] = "INSERT INTO file_hash(sha256, blob, size) VALUES(?1,?2,?3)";
		bz_st *st = bz_stmt(l, sql);
		if (!st)
			rc = bz_stmt_err();
		else {
			bz_bind_text(st, 1, hex);
			bz_st_bind_int64(st, 2, w->row);
			bz_st_bind_int64(st, 3, w->size);
			rc = bz_step_done(l, st);
		}
	}
	/* the same bytes are stored already: this copy goes */
	if (rc == BZ_OK && known)
		rc = staged_drop(l, w->row);
	if (rc == BZ_OK)
		rc = attach_record(txn, file_uuid, w->doc, w->name, hex, w->size);
	rc = bz_change_end(txn, rc);
	if (rc != BZ_OK) {
		w->spoiled = true;
		return rc;
	}
	w->finished = true;
	w->row = 0;
	return bz_file_lookup(out, l, file_uuid);
}

BZ_EXTERN void bz_file_writer_free(bz_file_writer *w)
{
	if (!w)
		return;
	writer_uncount(w);
	if (w->row && writer_live(w))
		staged_drop(w->l, w->row);
	if (w->l)
		bz_child_unlink(&w->child);
	bz__free(w->pend);
	bz__free(w->name);
	bz__free(w);
}

/* the last component of a path */
static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

static int io_fail(bz_ledger *l, const char *path, int err)
{
	return bz_fail(l, BZ_EIO, "%s: %s", path, strerror(err));
}

/* hash a whole open file; *size its length */
static int hash_stream(FILE *f, char hex[HEX_LEN + 1], int64_t *size, unsigned char *buf)
{
	struct sha256_ctx sha;
	sha256_init(&sha);
	*size = 0;
	size_t n;
	while ((n = fread(buf, 1, CHUNK, f)) > 0) {
		sha256_update(&sha, n, buf);
		*size += (int64_t)n;
	}
	if (ferror(f))
		return errno ? errno : EIO;
	sha_hex(&sha, hex);
	return 0;
}

BZ_EXTERN int bz_file_attach(bz_file **out, bz_txn *txn, const char *document_uuid, const char *path,
			     const char *name)
{
	if (!out)
		return BZ_EINVAL;
	*out = NULL;
	if (!txn || !path)
		return BZ_EINVAL;
	bz_ledger *l = txn->l;
	if (!l)
		return BZ_EMISUSE;
	if (!bz_text_ok(path))
		return bz_fail(l, BZ_EINVAL, "a file path is non-empty UTF-8");
	if (!name)
		name = base_name(path);
	int rc = attach_check(txn, document_uuid, name);
	if (rc != BZ_OK)
		return rc;
	FILE *f = fopen(path, "rb");
	if (!f)
		return io_fail(l, path, errno);
	struct stat sb;
	if (fstat(fileno(f), &sb) != 0 || !S_ISREG(sb.st_mode)) {
		int err = S_ISDIR(sb.st_mode) ? EISDIR : errno ? errno : EINVAL;
		fclose(f);
		return io_fail(l, path, err);
	}
	unsigned char *buf = bz__malloc(CHUNK);
	if (!buf) {
		fclose(f);
		return bz_fail(l, BZ_ENOMEM, "out of memory");
	}
	/* a first pass hashes: bytes the ledger has already are not written again */
	char hex[HEX_LEN + 1], file_uuid[BZ_UUID_LEN + 1];
	int64_t size = 0;
	bool known = false;
	bz_file_writer *w = NULL;
	int err = hash_stream(f, hex, &size, buf);
	if (err) {
		rc = io_fail(l, path, err);
		goto done;
	}
	if ((rc = hash_known(l, hex, &known)) != BZ_OK)
		goto done;
	if (known) {
		if ((rc = bz_change_begin(txn)) == BZ_OK)
			rc = bz_change_end(txn, attach_record(txn, file_uuid, document_uuid, name, hex, size));
		if (rc == BZ_OK)
			rc = bz_file_lookup(out, l, file_uuid);
		goto done;
	}
	rewind(f);
	if ((rc = bz_file_writer_open(&w, txn, document_uuid, name, size)) != BZ_OK)
		goto done;
	size_t n;
	if (!l->db) {
		/* PostgreSQL: through the writer's chunks */
		while (rc == BZ_OK && (n = fread(buf, 1, CHUNK, f)) > 0) {
			if ((uint64_t)n > (uint64_t)(w->size - w->off))
				break; /* it grew since it was hashed: said below */
			rc = pg_put(w, buf, n);
		}
		if (rc != BZ_OK)
			goto done;
	}
	/* SQLite: no other call comes between the pieces here: one blob handle for the whole file */
	sqlite3_blob *b = NULL;
	int src = l->db ? sqlite3_blob_open(l->db, "main", "file_blob", "data", w->row, 1, &b) : SQLITE_DONE;
	while (src == SQLITE_OK && (n = fread(buf, 1, CHUNK, f)) > 0) {
		if ((uint64_t)n > (uint64_t)(w->size - w->off))
			break; /* it grew since it was hashed: said below */
		if ((src = sqlite3_blob_write(b, buf, (int)n, (int)w->off)) != SQLITE_OK)
			break;
		sha256_update(&w->sha, n, buf);
		w->off += (int64_t)n;
	}
	sqlite3_blob_close(b);
	if (src != SQLITE_OK && src != SQLITE_DONE)
		rc = bz_sqlfail(l, src);
	else if (ferror(f))
		rc = io_fail(l, path, errno ? errno : EIO);
	if (rc == BZ_OK && (w->off != size || fgetc(f) != EOF))
		rc = bz_fail(l, BZ_EIO, "%s: the file changed while it was read", path);
	if (rc == BZ_OK)
		rc = bz_file_writer_finish(out, w);
done:
	bz_file_writer_free(w);
	bz__free(buf);
	fclose(f);
	return rc;
}

/* ---- reading ------------------------------------------------------------------------- */

struct bz_file_reader {
	bz_child child;
	bz_ledger *l;
	sqlite3_int64 row;
	sqlite3_blob *blob; /* open while reading; closed at the end */
	int64_t size, off;
	char sha[HEX_LEN + 1];
	struct sha256_ctx ctx;
	/* PostgreSQL: the chunk last fetched (PG_CHUNK bytes), its number (-1: none), its length */
	unsigned char *chunk;
	int64_t chunk_n;
	size_t chunk_len;
	bool sized; /* the chunks' total checked against the size */
};

/*
 * PostgreSQL: what file_chunk holds of a blob — *present whether the
 * file_blob row is there, *chunks and *bytes the rows and their bytes.
 */
static int pg_blob_stats(bz_ledger *l, sqlite3_int64 row, bool *present, int64_t *chunks, int64_t *bytes)
{
	static const char sql[] = "SELECT (SELECT count(*) FROM file_blob WHERE id=?1), count(*),"
				  " coalesce(sum(length(data)), 0) FROM file_chunk WHERE blob=?1";
	bz_st *st = bz_stmt(l, sql);
	if (!st)
		return bz_stmt_err();
	bz_st_bind_int64(st, 1, row);
	int rc = bz_step(st), code = BZ_OK;
	if (rc == SQLITE_ROW) {
		*present = bz_st_column_int64(st, 0) > 0;
		*chunks = bz_st_column_int64(st, 1);
		*bytes = bz_st_column_int64(st, 2);
	} else
		code = bz_sqlfail(l, rc == SQLITE_DONE ? SQLITE_ERROR : rc);
	bz_st_reset(st);
	return code;
}

/*
 * PostgreSQL: the first chunk of a blob numbered n or above copied into
 * dst (PG_CHUNK bytes), *at its number, *len its length; *found false (and
 * *len 0) if there is none. BZ_ECORRUPT for a chunk longer than PG_CHUNK.
 */
static int pg_chunk_get(bz_ledger *l, sqlite3_int64 row, int64_t n, int64_t *at, unsigned char *dst, size_t *len,
			bool *found)
{
	static const char sql[] = "SELECT n, data FROM file_chunk WHERE blob=?1 AND n>=?2 ORDER BY n LIMIT 1";
	bz_st *st = bz_stmt(l, sql);
	if (!st)
		return bz_stmt_err();
	bz_st_bind_int64(st, 1, row);
	bz_st_bind_int64(st, 2, n);
	*len = 0;
	*found = false;
	int rc = bz_step(st), code = BZ_OK;
	if (rc == SQLITE_ROW) {
		*at = n = bz_st_column_int64(st, 0);
		const void *p = bz_st_column_blob(st, 1);
		int k = bz_st_column_bytes(st, 1);
		if (k < 0 || k > PG_CHUNK)
			code = bz_fail(l, BZ_ECORRUPT, "chunk %lld of the stored bytes is %d bytes, more than %d", (long long)n,
				       k, PG_CHUNK);
		else if (k > 0 && !p)
			code = bz_fail(l, BZ_ENOMEM, "out of memory");
		else {
			if (k > 0)
				memcpy(dst, p, (size_t)k);
			*len = (size_t)k;
			*found = true;
		}
	} else if (rc != SQLITE_DONE)
		code = bz_sqlfail(l, rc);
	bz_st_reset(st);
	return code;
}

/* PostgreSQL: up to cap bytes of the file at r->off, chunk by chunk; *got the number */
static int pg_read(bz_file_reader *r, unsigned char *buf, size_t cap, int64_t *got)
{
	bz_ledger *l = r->l;
	if (!r->sized) {
		bool present = false;
		int64_t chunks = 0, bytes = 0;
		int rc = pg_blob_stats(l, r->row, &present, &chunks, &bytes);
		if (rc != BZ_OK)
			return rc;
		if (!present)
			return bz_fail(l, BZ_ECORRUPT, "the bytes of the file are gone from the ledger");
		if (bytes != r->size)
			return bz_fail(l, BZ_ECORRUPT, "the stored bytes are %lld, the record says %lld", (long long)bytes,
				       (long long)r->size);
		r->sized = true;
	}
	if (!r->chunk && !(r->chunk = bz__malloc(PG_CHUNK)))
		return bz_fail(l, BZ_ENOMEM, "out of memory");
	while (cap > 0 && r->off < r->size) {
		int64_t n = r->off / PG_CHUNK, at = r->off % PG_CHUNK;
		if (n != r->chunk_n) {
			bool found = false;
			int64_t at = -1;
			r->chunk_n = -1;
			int rc = pg_chunk_get(l, r->row, n, &at, r->chunk, &r->chunk_len, &found);
			if (rc != BZ_OK)
				return rc;
			int64_t want = r->size - n * PG_CHUNK < PG_CHUNK ? r->size - n * PG_CHUNK : PG_CHUNK;
			if (!found || at != n)
				return bz_fail(l, BZ_ECORRUPT, "chunk %lld of the file's bytes is gone from the ledger", (long long)n);
			if ((int64_t)r->chunk_len != want)
				return bz_fail(l, BZ_ECORRUPT, "chunk %lld of the file's bytes is %zu bytes, %lld expected",
					       (long long)n, r->chunk_len, (long long)want);
			r->chunk_n = n;
		}
		size_t k = r->chunk_len - (size_t)at;
		if (k > cap)
			k = cap;
		memcpy(buf, r->chunk + at, k);
		sha256_update(&r->ctx, k, buf);
		r->off += (int64_t)k;
		*got += (int64_t)k;
		buf += k;
		cap -= k;
	}
	return BZ_OK;
}

static void reader_detach(bz_child *c)
{
	bz_file_reader *r = (bz_file_reader *)c;
	if (r->blob)
		sqlite3_blob_close(r->blob);
	r->blob = NULL;
	r->l = NULL;
}

/* the stored blob of a file: its row, the recorded hash and size */
static int file_blob_of(bz_ledger *l, const char *file_uuid, sqlite3_int64 *row, char sha[HEX_LEN + 1],
			int64_t *size)
{
	if (!bz_uuid_ok(file_uuid))
		return bz_fail(l, BZ_EINVAL, "not a file UUID");
	static const char sql[] =
		"SELECT h.blob, f.sha256, f.size FROM document_file f LEFT JOIN file_hash h ON h.sha256=f.sha256"
		" WHERE f.id=?1";
	bz_st *st = bz_stmt(l, sql);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, file_uuid);
	int rc = bz_step(st), code = BZ_OK;
	if (rc == SQLITE_ROW) {
		*row = bz_st_column_int64(st, 0);
		const char *s = (const char *)bz_st_column_text(st, 1);
		snprintf(sha, HEX_LEN + 1, "%s", s ? s : "");
		*size = bz_st_column_int64(st, 2);
		if (bz_st_column_type(st, 0) == SQLITE_NULL)
			code = bz_fail(l, BZ_ECORRUPT, "the bytes of file %s are gone from the ledger", file_uuid);
	} else if (rc == SQLITE_DONE)
		code = bz_fail(l, BZ_ENOTFOUND, "no such file %s", file_uuid);
	else
		code = bz_sqlfail(l, rc);
	bz_st_reset(st);
	return code;
}

BZ_EXTERN int bz_file_reader_open(bz_file_reader **out, bz_ledger *ledger, const char *file_uuid)
{
	if (!out)
		return BZ_EINVAL;
	*out = NULL;
	if (!ledger)
		return BZ_EINVAL;
	bz_file_reader *r = bz__calloc(1, sizeof *r);
	if (!r)
		return bz_fail(ledger, BZ_ENOMEM, "out of memory");
	int rc = file_blob_of(ledger, file_uuid, &r->row, r->sha, &r->size);
	if (rc != BZ_OK) {
		bz__free(r);
		return rc;
	}
	r->l = ledger;
	r->chunk_n = -1;
	sha256_init(&r->ctx);
	bz_child_link(ledger, &r->child, reader_detach);
	*out = r;
	return bz_ok(ledger);
}

BZ_EXTERN int bz_file_reader_read(int64_t *got, bz_file_reader *r, void *buf, size_t cap)
{
	if (!got)
		return BZ_EINVAL;
	*got = 0;
	if (!r || (!buf && cap))
		return BZ_EINVAL;
	if (!r->l)
		return BZ_EMISUSE;
	bz_ledger *l = r->l;
	if (r->off >= r->size || cap == 0)
		return bz_ok(l);
	if (!l->db) {
		int rc = pg_read(r, buf, cap, got);
		if (rc != BZ_OK)
			return rc;
		if (r->off == r->size) {
			/* the end: the chunk goes, and say if the bytes are not those recorded */
			bz__free(r->chunk);
			r->chunk = NULL;
			r->chunk_n = -1;
			char hex[HEX_LEN + 1];
			sha_hex(&r->ctx, hex);
			if (strcmp(hex, r->sha) != 0)
				return bz_fail(l, BZ_ECORRUPT, "the file's bytes give SHA-256 %s, its change record says %s",
					       hex, r->sha);
		}
		return bz_ok(l);
	}
	if (!r->blob) {
		int rc = sqlite3_blob_open(l->db, "main", "file_blob", "data", r->row, 0, &r->blob);
		if (rc != SQLITE_OK) {
			sqlite3_blob_close(r->blob);
			r->blob = NULL;
			return rc == SQLITE_ERROR ? bz_fail(l, BZ_ECORRUPT, "the bytes of the file are gone from the ledger")
						  : bz_sqlfail(l, rc);
		}
		if (sqlite3_blob_bytes(r->blob) != r->size)
			return bz_fail(l, BZ_ECORRUPT, "the stored bytes are %d, the record says %lld",
				       sqlite3_blob_bytes(r->blob), (long long)r->size);
	}
	int64_t left = r->size - r->off;
	int n = (int64_t)cap < left ? (cap > INT_MAX ? INT_MAX : (int)cap) : (int)left;
	int rc = sqlite3_blob_read(r->blob, buf, n, (int)r->off);
	if (rc != SQLITE_OK)
		return bz_sqlfail(l, rc);
	sha256_update(&r->ctx, (size_t)n, buf);
	r->off += n;
	*got = n;
	if (r->off == r->size) {
		/* the end: release the read snapshot, and say if the bytes are not those recorded */
		sqlite3_blob_close(r->blob);
		r->blob = NULL;
		char hex[HEX_LEN + 1];
		sha_hex(&r->ctx, hex);
		if (strcmp(hex, r->sha) != 0)
			return bz_fail(l, BZ_ECORRUPT, "the file's bytes give SHA-256 %s, its change record says %s", hex,
				       r->sha);
	}
	return bz_ok(l);
}

BZ_EXTERN void bz_file_reader_free(bz_file_reader *r)
{
	if (!r)
		return;
	if (r->blob)
		sqlite3_blob_close(r->blob);
	if (r->l)
		bz_child_unlink(&r->child);
	bz__free(r->chunk);
	bz__free(r);
}

/* ---- carrying files to another ledger ------------------------------------------------------ */

/* one attachment of the source: its file, and the identity (origin) of the record that attached it */
typedef struct carried {
	char id[BZ_UUID_LEN + 1], origin[BZ_UUID_LEN + 1], sha[HEX_LEN + 1];
	char *name;
	int64_t size, seq;
} carried;

/*
 * dst's copy of the record that attached f (0: dst has no record of that
 * identity) and its document; BZ_ECORRUPT if dst's record of that identity
 * is not the attachment of the same bytes under the same file UUID.
 */
static int carried_local(bz_ledger *dst, const char *self, const carried *f, long long *ev,
			 char doc[BZ_UUID_LEN + 1])
{
	*ev = 0;
	bz_st *st;
	int rc;
	if (strcmp(f->origin, self) == 0) {
		/* a record dst made itself (a copy carried back into the ledger it came from) */
		static const char own[] = "SELECT id FROM event e WHERE id=?1 AND NOT EXISTS"
					  " (SELECT 1 FROM event_origin o WHERE o.event=e.id)";
		if (!(st = bz_stmt(dst, own)))
			return bz_stmt_err();
		bz_st_bind_int64(st, 1, f->seq);
	} else {
		static const char other[] = "SELECT event FROM event_origin WHERE ledger=?1 AND seq=?2";
		if (!(st = bz_stmt(dst, other)))
			return bz_stmt_err();
		bz_bind_text(st, 1, f->origin);
		bz_st_bind_int64(st, 2, f->seq);
	}
	rc = bz_step(st);
	if (rc == SQLITE_ROW)
		*ev = bz_st_column_int64(st, 0);
	bz_st_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return bz_sqlfail(dst, rc);
	if (!*ev)
		return BZ_OK;
	static const char rec[] =
		"SELECT e.subject FROM event e WHERE e.id=?1 AND e.kind='document.attach' AND EXISTS (SELECT 1 FROM fact f"
		" WHERE f.event=e.id AND f.subject=?2 AND f.attr='sha256' AND f.after=?3)";
	if (!(st = bz_stmt(dst, rec)))
		return bz_stmt_err();
	bz_st_bind_int64(st, 1, *ev);
	bz_bind_text(st, 2, f->id);
	bz_bind_text(st, 3, f->sha);
	rc = bz_step(st);
	bool ok = rc == SQLITE_ROW && bz_st_column_bytes(st, 0) == BZ_UUID_LEN;
	if (ok)
		memcpy(doc, bz_st_column_text(st, 0), BZ_UUID_LEN + 1);
	bz_st_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return bz_sqlfail(dst, rc);
	if (!ok)
		return bz_fail(dst, BZ_ECORRUPT,
			       "change record %lld here is %s#%lld of the source, but not the attachment of file %s (SHA-256 %s)",
			       *ev, f->origin, (long long)f->seq, f->id, f->sha);
	return BZ_OK;
}

/* the bytes of f from src into a new blob of dst, hashed on the way; BZ_ECORRUPT if they are not f's */
static int carry_bytes(bz_ledger *dst, bz_ledger *src, const carried *f, unsigned char *buf)
{
	static const char stage[] = "INSERT INTO file_blob(data) VALUES(?1)";
	bz_st *st = bz_stmt(dst, stage);
	if (!st)
		return bz_stmt_err();
	if (dst->db)
		sqlite3_bind_zeroblob64(bz_st_sqlite(st), 1, (sqlite3_uint64)f->size);
	else
		bz_st_bind_blob(st, 1, "", 0);
	int rc = bz_step_done(dst, st);
	if (rc != BZ_OK)
		return rc;
	/* a writer of dst's own, outside any bz_txn: the import's transaction holds it */
	bz_file_writer w = {.l = dst, .row = bz_store_last_id(dst->store), .size = f->size};
	sha256_init(&w.sha);
	if (!dst->db && !(w.pend = bz__malloc(PG_CHUNK)))
		return bz_fail(dst, BZ_ENOMEM, "out of memory");
	bz_file_reader *r = NULL;
	if ((rc = bz_file_reader_open(&r, src, f->id)) != BZ_OK) {
		rc = bz_fail(dst, rc, "the source: %s", src->errmsg);
		goto done;
	}
	int64_t got = 0;
	while ((rc = bz_file_reader_read(&got, r, buf, CHUNK)) == BZ_OK && got > 0) {
		if (w.off + got > w.size) {
			rc = bz_fail(dst, BZ_ECORRUPT, "the source's file %s has more bytes than its %lld", f->id,
				     (long long)f->size);
			goto done;
		}
		if ((rc = writer_put(&w, buf, (size_t)got)) != BZ_OK)
			goto done;
	}
	if (rc != BZ_OK) {
		rc = bz_fail(dst, rc, "the source's file %s: %s", f->id, src->errmsg);
		goto done;
	}
	if (!dst->db && w.npend > 0 && (rc = pg_chunk_flush(&w)) != BZ_OK)
		goto done;
	char hex[HEX_LEN + 1];
	sha_hex(&w.sha, hex);
	if (w.off != f->size || strcmp(hex, f->sha) != 0) {
		rc = bz_fail(dst, BZ_ECORRUPT, "the source's file %s: %lld bytes giving SHA-256 %s, its record says %lld, %s",
			     f->id, (long long)w.off, hex, (long long)f->size, f->sha);
		goto done;
	}
	static const char hash[] = "INSERT INTO file_hash(sha256, blob, size) VALUES(?1,?2,?3)";
	if (!(st = bz_stmt(dst, hash))) {
		rc = bz_stmt_err();
		goto done;
	}
	bz_bind_text(st, 1, hex);
	bz_st_bind_int64(st, 2, w.row);
	bz_st_bind_int64(st, 3, w.size);
	rc = bz_step_done(dst, st);
done:
	bz_file_reader_free(r);
	bz__free(w.pend);
	return rc;
}

/* f attached in dst under its own UUID, to dst's copy of its record, its bytes carried unless dst has them */
static int carry_one(bz_ledger *dst, bz_ledger *src, const char *self, const carried *f, unsigned char *buf,
		     int64_t *n)
{
	long long ev = 0;
	char doc[BZ_UUID_LEN + 1];
	int rc = carried_local(dst, self, f, &ev, doc);
	if (rc != BZ_OK || !ev)
		return rc;
	static const char have[] = "SELECT 1 FROM document_file WHERE id=?1";
	bz_st *st = bz_stmt(dst, have);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, f->id);
	bool there = false, known = false;
	if ((rc = bz_step_exists(dst, st, &there)) != BZ_OK || there)
		return rc;
	if ((rc = hash_known(dst, f->sha, &known)) != BZ_OK)
		return rc;
	if (!known && (rc = carry_bytes(dst, src, f, buf)) != BZ_OK)
		return rc;
	static const char ins[] =
		"INSERT INTO document_file(id, document, name, sha256, size, event) VALUES(?1,?2,?3,?4,?5,?6)";
	if (!(st = bz_stmt(dst, ins)))
		return bz_stmt_err();
	bz_bind_text(st, 1, f->id);
	bz_bind_text(st, 2, doc);
	bz_bind_text(st, 3, f->name);
	bz_bind_text(st, 4, f->sha);
	bz_st_bind_int64(st, 5, f->size);
	bz_st_bind_int64(st, 6, ev);
	if ((rc = bz_step_done(dst, st)) == BZ_OK)
		(*n)++;
	return rc;
}

static int files_copy(int64_t *files, bz_ledger *dst, bz_ledger *src)
{
	char self[BZ_UUID_LEN + 1], origin[BZ_UUID_LEN + 1];
	int rc = bz_ledger_self(dst, self);
	if (rc == BZ_OK && (rc = bz_ledger_self(src, origin)) != BZ_OK)
		rc = bz_fail(dst, rc, "the source: %s", src->errmsg);
	if (rc != BZ_OK)
		return rc;
	/* the source's attachments in the order attached, with the identity of each one's record (the
	 * source's own, or the origin it came with); metadata only — the bytes are streamed one by one */
	static const char list[] =
		"SELECT f.id, o.ledger, COALESCE(o.seq, f.event), f.sha256, f.size, f.name FROM document_file f"
		" LEFT JOIN event_origin o ON o.event=f.event ORDER BY f.event, f.id";
	bz_st *st = NULL;
	if (bz_store_prepare(src->store, &st, list) != SQLITE_OK)
		return bz_fail(dst, bz_sqlfail_last(src), "the source: %s", src->errmsg);
	unsigned char *buf = bz__malloc(CHUNK);
	if (!buf) {
		bz_st_finalize(st);
		return bz_fail(dst, BZ_ENOMEM, "out of memory");
	}
	if ((rc = bz_exec(dst, "BEGIN IMMEDIATE")) != BZ_OK) {
		bz__free(buf);
		bz_st_finalize(st);
		return rc;
	}
	int64_t n = 0;
	int src_rc;
	while (rc == BZ_OK && (src_rc = bz_step(st)) == SQLITE_ROW) {
		carried f = {.size = bz_st_column_int64(st, 4), .seq = bz_st_column_int64(st, 2)};
		const char *id = (const char *)bz_st_column_text(st, 0), *sha = (const char *)bz_st_column_text(st, 3);
		const char *og = bz_st_column_type(st, 1) == SQLITE_NULL ? origin : (const char *)bz_st_column_text(st, 1);
		if (!id || !sha || !og || strlen(id) != BZ_UUID_LEN || strlen(sha) != HEX_LEN || strlen(og) != BZ_UUID_LEN) {
			rc = bz_fail(dst, BZ_ECORRUPT, "the source has an attachment without a file UUID, hash or origin");
			break;
		}
		memcpy(f.id, id, sizeof f.id);
		memcpy(f.sha, sha, sizeof f.sha);
		memcpy(f.origin, og, sizeof f.origin);
		if (!(f.name = bz_col_strdup(st, 5, &(bool){true}))) {
			rc = bz_fail(dst, BZ_ENOMEM, "out of memory");
			break;
		}
		rc = carry_one(dst, src, self, &f, buf, &n);
		bz__free(f.name);
	}
	if (rc == BZ_OK && src_rc != SQLITE_DONE)
		rc = bz_fail(dst, bz_sqlfail(src, src_rc), "the source: %s", src->errmsg);
	bz_st_finalize(st);
	bz__free(buf);
	if (rc == BZ_OK)
		rc = bz_exec(dst, "COMMIT");
	if (rc != BZ_OK) {
		bz_undo(dst, BZ_KEPT_ROLLBACK); /* the message kept */
		return rc;
	}
	if (files)
		*files = n;
	return bz_ok(dst);
}

BZ_EXTERN int bz_files_copy(int64_t *files, bz_ledger *dst, bz_ledger *src)
{
	if (files)
		*files = 0;
	if (!files || !dst)
		return BZ_EINVAL;
	if (!src || src == dst)
		return bz_fail(dst, BZ_EINVAL, "a copy of files needs a source ledger other than the destination");
	if (dst->readonly)
		return bz_fail(dst, BZ_EIO, "the ledger was opened read-only");
	/* dst's lock is the wrapper's (guard.c); the source's is taken here */
	bz_guard_lock(src);
	int rc = dst->txn || src->txn ? bz_fail(dst, BZ_EMISUSE, "a transaction is open on %s: commit or roll it back first",
					       dst->txn ? "the destination" : "the source")
				      : files_copy(files, dst, src);
	bz_guard_unlock(src);
	return rc;
}

/* ---- a file out to disk ------------------------------------------------------------------- */

/* a temporary file beside path (so it links into place on one file system) */
static int temp_beside(bz_ledger *l, const char *path, char **tmp, FILE **f)
{
	size_t n = strlen(path) + sizeof ".tmp-XXXXXX";
	*tmp = bz__malloc(n);
	if (!*tmp)
		return bz_fail(l, BZ_ENOMEM, "out of memory");
	snprintf(*tmp, n, "%s.tmp-XXXXXX", path);
	int fd = mkstemp(*tmp);
	if (fd < 0) {
		int err = errno;
		bz__free(*tmp);
		*tmp = NULL;
		return io_fail(l, path, err);
	}
	*f = fdopen(fd, "wb");
	if (!*f) {
		int err = errno;
		close(fd);
		unlink(*tmp);
		bz__free(*tmp);
		*tmp = NULL;
		return io_fail(l, path, err);
	}
	return BZ_OK;
}

/* move tmp to path, never over an existing file */
static int link_into_place(bz_ledger *l, const char *tmp, const char *path)
{
	if (link(tmp, path) == 0) {
		unlink(tmp);
		return BZ_OK;
	}
	int err = errno;
	if (err == EEXIST)
		return bz_fail(l, BZ_EEXISTS, "%s: file exists", path);
	if (err == EPERM || err == ENOTSUP || err == EXDEV) {
		struct stat sb;
		if (lstat(path, &sb) == 0)
			return bz_fail(l, BZ_EEXISTS, "%s: file exists", path);
		if (rename(tmp, path) == 0)
			return BZ_OK;
		err = errno;
	}
	return io_fail(l, path, err);
}

/* copy a file's stored bytes to a sink in pieces, hashing them; BZ_ECORRUPT if they are not those recorded */
typedef int (*sink_fn)(void *ctx, const void *p, size_t n);

static int copy_out(bz_ledger *l, const char *file_uuid, sink_fn sink, void *ctx, unsigned char *buf)
{
	bz_file_reader *r = NULL;
	int rc = bz_file_reader_open(&r, l, file_uuid);
	int64_t got = 0;
	while (rc == BZ_OK && (rc = bz_file_reader_read(&got, r, buf, CHUNK)) == BZ_OK && got > 0)
		rc = sink(ctx, buf, (size_t)got);
	bz_file_reader_free(r);
	return rc;
}

typedef struct file_sink {
	bz_ledger *l;
	FILE *f;
	const char *path;
} file_sink;

static int to_file(void *ctx, const void *p, size_t n)
{
	file_sink *s = ctx;
	if (fwrite(p, 1, n, s->f) != n)
		return io_fail(s->l, s->path, errno ? errno : EIO);
	return BZ_OK;
}

static int close_file(bz_ledger *l, FILE *f, const char *path, int rc)
{
	if (fflush(f) != 0 || fsync(fileno(f)) != 0) {
		if (rc == BZ_OK)
			rc = io_fail(l, path, errno);
	}
	if (fclose(f) != 0 && rc == BZ_OK)
		rc = io_fail(l, path, errno);
	return rc;
}

BZ_EXTERN int bz_file_export(bz_ledger *ledger, const char *file_uuid, const char *path)
{
	if (!ledger || !path)
		return BZ_EINVAL;
	if (!bz_text_ok(path))
		return bz_fail(ledger, BZ_EINVAL, "a path is non-empty UTF-8");
	struct stat sb;
	if (lstat(path, &sb) == 0)
		return bz_fail(ledger, BZ_EEXISTS, "%s: file exists", path);
	bz_file *probe = NULL;
	int rc = bz_file_lookup(&probe, ledger, file_uuid);
	bz_file_free(probe);
	if (rc != BZ_OK)
		return rc;
	unsigned char *buf = bz__malloc(CHUNK);
	if (!buf)
		return bz_fail(ledger, BZ_ENOMEM, "out of memory");
	char *tmp = NULL;
	FILE *f = NULL;
	if ((rc = temp_beside(ledger, path, &tmp, &f)) != BZ_OK) {
		bz__free(buf);
		return rc;
	}
	file_sink s = {ledger, f, path};
	rc = copy_out(ledger, file_uuid, to_file, &s, buf);
	rc = close_file(ledger, f, path, rc);
	if (rc == BZ_OK)
		rc = link_into_place(ledger, tmp, path);
	unlink(tmp);
	bz__free(tmp);
	bz__free(buf);
	return rc == BZ_OK ? bz_ok(ledger) : rc;
}

/* ---- verifying the stored files ------------------------------------------------------------ */

/*
 * PostgreSQL: the SHA-256 of a blob's chunks in order, one at a time;
 * *bytes what they hold. A missing chunk is skipped (the hash then
 * disagrees with the record, which is what the check reports).
 */
static int pg_blob_hash(bz_ledger *l, sqlite3_int64 row, char hex[HEX_LEN + 1], int64_t *bytes, bool *gone)
{
	bool present = false;
	int64_t chunks = 0, total = 0;
	int rc = pg_blob_stats(l, row, &present, &chunks, &total);
	if (rc != BZ_OK)
		return rc;
	if (!present) {
		*gone = true;
		hex[0] = '\0';
		return BZ_OK;
	}
	unsigned char *chunk = bz__malloc(PG_CHUNK);
	if (!chunk)
		return bz_fail(l, BZ_ENOMEM, "out of memory");
	struct sha256_ctx sha;
	sha256_init(&sha);
	/* in the order of their numbers; a gap is passed over (the hash then disagrees) */
	(void)chunks;
	for (int64_t n = 0; rc == BZ_OK;) {
		size_t len = 0;
		bool found = false;
		int64_t at = -1;
		rc = pg_chunk_get(l, row, n, &at, chunk, &len, &found);
		if (rc != BZ_OK || !found)
			break;
		sha256_update(&sha, len, chunk);
		n = at + 1;
	}
	bz__free(chunk);
	if (rc != BZ_OK)
		return rc;
	*bytes = total;
	sha_hex(&sha, hex);
	return BZ_OK;
}

static int blob_hash(bz_ledger *l, sqlite3_int64 row, char hex[HEX_LEN + 1], int64_t *bytes, bool *gone,
		     unsigned char *buf)
{
	sqlite3_blob *b = NULL;
	*gone = false;
	*bytes = 0;
	if (!l->db)
		return pg_blob_hash(l, row, hex, bytes, gone);
	int rc = sqlite3_blob_open(l->db, "main", "file_blob", "data", row, 0, &b);
	if (rc != SQLITE_OK) {
		sqlite3_blob_close(b);
		if (rc == SQLITE_ERROR) {
			*gone = true;
			hex[0] = '\0';
			return BZ_OK;
		}
		return bz_sqlfail(l, rc);
	}
	struct sha256_ctx sha;
	sha256_init(&sha);
	int size = sqlite3_blob_bytes(b);
	for (int off = 0; off < size;) {
		int n = size - off < CHUNK ? size - off : CHUNK;
		if ((rc = sqlite3_blob_read(b, buf, n, off)) != SQLITE_OK) {
			sqlite3_blob_close(b);
			return bz_sqlfail(l, rc);
		}
		sha256_update(&sha, (size_t)n, buf);
		off += n;
	}
	sqlite3_blob_close(b);
	*bytes = size;
	sha_hex(&sha, hex);
	return BZ_OK;
}

int bz_files_check(bz_ledger *l, const char *until, int64_t *checked,
		   int (*bad)(void *ctx, const bz_file_problem *p), void *ctx)
{
	/* ordered by hash: bytes shared by several attachments are hashed once */
	static const char sql[] =
		"SELECT f.id, f.document, d.number, f.name, f.event, f.size, f.sha256, h.blob,"
		" (SELECT x.after FROM fact x WHERE x.event=f.event AND x.subject=f.id AND x.attr='sha256')"
		" FROM document_file f JOIN event e ON e.id=f.event JOIN document d ON d.id=f.document"
		" LEFT JOIN file_hash h ON h.sha256=f.sha256"
		" WHERE ?1 IS NULL OR e.effective<=?1 ORDER BY h.blob, f.event";
	if (checked)
		*checked = 0;
	unsigned char *buf = bz__malloc(CHUNK);
	if (!buf)
		return bz_fail(l, BZ_ENOMEM, "out of memory");
	bz_st *st = NULL;
	int rc = bz_store_prepare(l->store, &st, sql);
	if (rc != SQLITE_OK) {
		bz__free(buf);
		return bz_sqlfail(l, rc);
	}
	bz_bind_text(st, 1, until);
	int code = BZ_OK;
	sqlite3_int64 last = -1;
	char hex[HEX_LEN + 1] = "";
	int64_t bytes = 0;
	bool gone = false;
	while (code == BZ_OK && (rc = bz_step(st)) == SQLITE_ROW) {
		bz_file_problem p = {0};
		p.file = (const char *)bz_st_column_text(st, 0);
		p.document = (const char *)bz_st_column_text(st, 1);
		p.number = (const char *)bz_st_column_text(st, 2);
		p.name = (const char *)bz_st_column_text(st, 3);
		p.seq = bz_st_column_int64(st, 4);
		int64_t size = bz_st_column_int64(st, 5);
		const char *kept = (const char *)bz_st_column_text(st, 6);
		bool has_blob = bz_st_column_type(st, 7) != SQLITE_NULL;
		sqlite3_int64 row = bz_st_column_int64(st, 7);
		const char *rec = (const char *)bz_st_column_text(st, 8);
		p.recorded = rec ? rec : "";
		if (checked)
			++*checked;
		if (has_blob && row != last) {
			if ((code = blob_hash(l, row, hex, &bytes, &gone, buf)) != BZ_OK)
				break;
			last = row;
		}
		char msg[512];
		p.stored = has_blob && !gone ? hex : "";
		if (!rec)
			snprintf(msg, sizeof msg, "its change record #%lld names no SHA-256", p.seq);
		else if (!has_blob || gone)
			snprintf(msg, sizeof msg, "its bytes are gone from the ledger");
		else if (!kept || strcmp(kept, rec) != 0)
			snprintf(msg, sizeof msg, "it points to bytes %s, its change record #%lld says %s", kept ? kept : "-",
				 p.seq, rec);
		else if (strcmp(hex, rec) != 0 || bytes != size)
			snprintf(msg, sizeof msg, "its %lld stored bytes give SHA-256 %s, its change record #%lld says %s (%lld bytes)",
				 (long long)bytes, hex, p.seq, rec, (long long)size);
		else
			continue;
		p.message = msg;
		code = bad(ctx, &p);
	}
	if (code == BZ_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
		code = bz_sqlfail(l, rc);
	bz_st_finalize(st);
	bz__free(buf);
	return code;
}

typedef struct text_buf {
	char *s;
	size_t n, cap;
	bool oom;
} text_buf;

static void tb_add(text_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void tb_add(text_buf *b, const char *fmt, ...)
{
	if (b->oom)
		return;
	va_list ap;
	va_start(ap, fmt);
	int k = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (k < 0)
		return;
	if (b->n + (size_t)k + 1 > b->cap) {
		size_t cap = (b->cap ? b->cap * 2 : 256) + (size_t)k;
		char *s = bz__realloc(b->s, cap);
		if (!s) {
			b->oom = true;
			return;
		}
		b->s = s;
		b->cap = cap;
	}
	va_start(ap, fmt);
	vsnprintf(b->s + b->n, b->cap - b->n, fmt, ap);
	va_end(ap);
	b->n += (size_t)k;
}

static int verify_bad(void *ctx, const bz_file_problem *p)
{
	tb_add(ctx, "%s %s (file %s): %s\n", p->number ? p->number : "-", p->name ? p->name : "-", p->file, p->message);
	return BZ_OK;
}

BZ_EXTERN int bz_files_verify(char **problems, int64_t *checked, bz_ledger *ledger)
{
	if (problems)
		*problems = NULL;
	if (checked)
		*checked = 0;
	if (!problems || !checked || !ledger)
		return BZ_EINVAL;
	if (ledger->txn)
		return bz_fail(ledger, BZ_EMISUSE, "commit or roll back the open transaction before verifying the files");
	text_buf b = {0};
	int code = bz_exec(ledger, "BEGIN");
	if (code != BZ_OK)
		return code;
	code = bz_files_check(ledger, NULL, checked, verify_bad, &b);
	bz_end_read(ledger);
	if (code == BZ_OK && b.oom)
		code = bz_fail(ledger, BZ_ENOMEM, "out of memory");
	if (code != BZ_OK) {
		bz__free(b.s);
		return code;
	}
	if (b.n) {
		*problems = b.s;
		return bz_fail(ledger, BZ_ECORRUPT, "%lld file(s) checked; some disagree with their change records",
			       (long long)*checked);
	}
	bz__free(b.s);
	return bz_ok(ledger);
}

/* ---- archive categories and filing ----------------------------------------------------------- */

struct bz_archive_category {
	char *code, *name;
};

BZ_EXTERN void bz_archive_category_free(bz_archive_category *c)
{
	if (!c)
		return;
	bz__free(c->code);
	bz__free(c->name);
	bz__free(c);
}

static int category_make(void **out, bz_st *st, bz_ledger *l)
{
	bz_archive_category *c = bz__calloc(1, sizeof *c);
	bool ok = c != NULL;
	if (c) {
		c->code = bz_col_strdup(st, 0, &ok);
		c->name = bz_col_strdup(st, 1, &ok);
	}
	if (!ok || !c->code) {
		bz_archive_category_free(c);
		return bz_fail(l, BZ_ENOMEM, "out of memory");
	}
	*out = c;
	return BZ_OK;
}

BZ_EXTERN int bz_archive_category_add(bz_txn *txn, const char *code, const char *name)
{
	if (!txn || !txn->l)
		return txn ? BZ_EMISUSE : BZ_EINVAL;
	bz_ledger *l = txn->l;
	if (!code_ok(code))
		return bz_fail(l, BZ_EINVAL, "an archive category code is 1-16 characters A-Z, 0-9 or _");
	if (!bz_text_ok(name))
		return bz_fail(l, BZ_EINVAL, "an archive category needs a name (non-empty UTF-8)");
	int rc = bz_change_begin(txn);
	if (rc != BZ_OK)
		return rc;
	static const char dup[] = "SELECT 1 FROM archive_category WHERE code=?1 OR name=?2";
	bz_st *st = bz_stmt(l, dup);
	if (!st)
		return bz_change_end(txn, bz_stmt_err());
	bz_bind_text(st, 1, code);
	bz_bind_text(st, 2, name);
	bool taken = false;
	if ((rc = bz_step_exists(l, st, &taken)) != BZ_OK)
		return bz_change_end(txn, rc);
	if (taken)
		return bz_change_end(txn, bz_fail(l, BZ_EEXISTS, "archive category %s or name %s exists", code, name));
	static const char ins[] = "INSERT INTO archive_category(code, name) VALUES(?1,?2)";
	if (!(st = bz_stmt(l, ins)))
		return bz_change_end(txn, bz_stmt_err());
	bz_bind_text(st, 1, code);
	bz_bind_text(st, 2, name);
	rc = bz_step_done(l, st);
	long long ev = 0;
	char today[BZ_DATE_LEN + 1];
	bz_today(l, today);
	if (rc == BZ_OK)
		rc = bz_event_write_ref(txn, &ev, "archive.category", code, NULL, today, NULL, name);
	return bz_change_end(txn, rc);
}

BZ_EXTERN int bz_archive_category_list(bz_archive_category_iter **out, bz_ledger *ledger)
{
	if (!out)
		return BZ_EINVAL;
	*out = NULL;
	if (!ledger)
		return BZ_EINVAL;
	bz_iter *it = NULL;
	int rc = bz_iter_new(&it, ledger, "SELECT code, name FROM archive_category ORDER BY code", category_make);
	if (rc != BZ_OK)
		return rc;
	*out = (bz_archive_category_iter *)it;
	return bz_ok(ledger);
}

BZ_EXTERN int bz_archive_category_iter_next(bz_archive_category **out, bz_archive_category_iter *it)
{
	return bz_iter_next((void **)out, (bz_iter *)it);
}

BZ_EXTERN void bz_archive_category_iter_free(bz_archive_category_iter *it)
{
	bz_iter_free((bz_iter *)it);
}

BZ_EXTERN const char *bz_archive_category_code(const bz_archive_category *c) { return c ? c->code : NULL; }
BZ_EXTERN const char *bz_archive_category_name(const bz_archive_category *c) { return c ? c->name : NULL; }

static int category_exists(bz_ledger *l, const char *code)
{
	static const char sql[] = "SELECT 1 FROM archive_category WHERE code=?1";
	bz_st *st = bz_stmt(l, sql);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, code);
	bool yes = false;
	int rc = bz_step_exists(l, st, &yes);
	if (rc != BZ_OK)
		return rc;
	return yes ? BZ_OK : bz_fail(l, BZ_ENOTFOUND, "no archive category %s", code);
}

BZ_EXTERN int bz_document_file_under(bz_txn *txn, const char *document_uuid, const char *category, int year)
{
	if (!txn || !txn->l)
		return txn ? BZ_EMISUSE : BZ_EINVAL;
	bz_ledger *l = txn->l;
	if (!category)
		return bz_fail(l, BZ_EINVAL, "an archive category code is required");
	if (year != 0 && (year < 1949 || year > 2999))
		return bz_fail(l, BZ_EINVAL, "an archive year is 1949-2999 (0: the document's own), not %d", year);
	int rc = document_exists(l, document_uuid);
	if (rc == BZ_OK)
		rc = category_exists(l, category);
	if (rc != BZ_OK)
		return rc;
	if ((rc = bz_change_begin(txn)) != BZ_OK)
		return rc;
	static const char sql[] =
		"INSERT INTO document_tag(document, category, year) VALUES(?1, ?2,"
		" CASE WHEN ?3 <> 0 THEN ?3 ELSE (SELECT CAST(substr(date, 1, 4) AS INTEGER) FROM document WHERE id=?1) END)"
		" ON CONFLICT(document) DO UPDATE SET category=excluded.category, year=excluded.year"
		" RETURNING year";
	bz_st *st = bz_stmt(l, sql);
	if (!st)
		return bz_change_end(txn, bz_stmt_err());
	bz_bind_text(st, 1, document_uuid);
	bz_bind_text(st, 2, category);
	bz_st_bind_int(st, 3, year);
	int src = bz_step(st);
	int filed = src == SQLITE_ROW ? bz_st_column_int(st, 0) : 0;
	if (src == SQLITE_ROW)
		src = bz_step(st);
	bz_st_reset(st);
	if (src != SQLITE_DONE)
		return bz_change_end(txn, bz_sqlfail(l, src));
	char today[BZ_DATE_LEN + 1], yr[8];
	bz_today(l, today);
	snprintf(yr, sizeof yr, "%d", filed);
	long long ev = 0;
	rc = bz_event_write_ref(txn, &ev, "document.file_under", document_uuid, NULL, today, document_uuid, NULL);
	if (rc == BZ_OK)
		rc = bz_fact_write(txn, ev, document_uuid, "archive:category", today, category);
	if (rc == BZ_OK)
		rc = bz_fact_write(txn, ev, document_uuid, "archive:year", today, yr);
	return bz_change_end(txn, rc);
}

BZ_EXTERN int bz_document_filed(char **category, int *year, bz_ledger *ledger, const char *document_uuid)
{
	if (category)
		*category = NULL;
	if (year)
		*year = 0;
	if (!category || !year || !ledger)
		return BZ_EINVAL;
	int rc = document_exists(ledger, document_uuid);
	if (rc != BZ_OK)
		return rc;
	static const char sql[] =
		"SELECT t.category, COALESCE(t.year, CAST(substr(d.date, 1, 4) AS INTEGER))"
		" FROM document d LEFT JOIN document_tag t ON t.document=d.id WHERE d.id=?1";
	bz_st *st = bz_stmt(ledger, sql);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, document_uuid);
	int src = bz_step(st);
	bool ok = true;
	if (src == SQLITE_ROW) {
		*category = bz_col_strdup(st, 0, &ok);
		*year = bz_st_column_int(st, 1);
	}
	bz_st_reset(st);
	if (!ok)
		return bz_fail(ledger, BZ_ENOMEM, "out of memory");
	if (src != SQLITE_ROW)
		return bz_sqlfail(ledger, src);
	return bz_ok(ledger);
}
