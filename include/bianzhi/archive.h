/*
 * archive.h: the files behind the records (日常管理资料, 电子档案; seed §14,
 * §20–§22, §28.2) — the signed scan of a document (PDF, OFD, an image, a
 * Word draft), kept in the ledger beside the document's metadata, so the
 * archive and the books cannot drift apart.
 *
 * Files are stored content-addressed: by the SHA-256 of their bytes, once
 * however many documents carry them. They are written and read in
 * pieces (SQLite's incremental blob I/O), so a 100 MB scan never sits
 * whole in memory. On a PostgreSQL ledger the bytes are chunks of 1 MiB,
 * rows of the ledger's schema (README "Documents and their files"),
 * written and read one chunk at a time: the same calls, the same bounds.
 * Attaching a file is a change record of its own
 * ("document.attach", subject the document) whose facts name the file
 * (its UUID is the facts' subject): document, name, size and sha256. The
 * hash in the record is the tamper evidence: bz_files_verify() and the
 * self-inspection (bz_ledger_check(), rule INTEGRITY) hash the stored
 * bytes again and report every file whose bytes no longer give the hash
 * its record wrote.
 *
 * Documents are tagged for the independent archives (独立档案, seed §21)
 * with a category of a code table the ledger can extend and a year; an
 * archive — of a unit, a jurisdiction, a category, a year — is exported as
 * a folder or a zip with every file under a readable name and an index
 * (index.csv, index.json), and an exported archive is verified against
 * its index without the ledger.
 *
 * Meeting records (联席会议记录, 编委会议纪要) are documents registered like
 * any other (their issuer, a number, a date) and filed under archive
 * categories of their own (BWHY, LXHY): the kinds of document.h are kinds
 * of issuer, which decide the rules of R6, not kinds of paper.
 *
 * Everything here: since 1.1, but bz_files_copy() (1.3).
 */
#ifndef BIANZHI_ARCHIVE_H
#define BIANZHI_ARCHIVE_H

#include "txn.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct bz_file bz_file;
typedef struct bz_file_iter bz_file_iter;
typedef struct bz_file_writer bz_file_writer;
typedef struct bz_file_reader bz_file_reader;
typedef struct bz_archive_category bz_archive_category;
typedef struct bz_archive_category_iter bz_archive_category_iter;

/** Longest file name kept, in bytes of UTF-8. */
#define BZ_FILE_NAME_MAX 240
/** Length of a SHA-256 in lower-case hex, without the NUL. */
#define BZ_SHA256_HEX_LEN 64

/* ---- attaching files ---------------------------------------------------- */

/**
 * Attach the file at path to a registered document, inside a transaction.
 * name is the name the file is kept and exported under (NULL: the last
 * component of path); 1–BZ_FILE_NAME_MAX bytes of UTF-8 without '/', '\\'
 * or control characters, unique among the document's files (BZ_EEXISTS).
 * The bytes are read and stored in pieces; identical bytes already in the
 * ledger are not stored again. The change record is dated today.
 * On success *out (owned by the caller, bz_file_free()) is the attached
 * file. Errors, with nothing written: BZ_EINVAL for a bad argument,
 * BZ_ENOTFOUND for no such document, BZ_EIO "<path>: <cause>" for a file
 * that cannot be opened or read (missing, unreadable, a directory).
 * Since 1.1.
 */
BZ_EXTERN int bz_file_attach(bz_file **out, bz_txn *txn, const char *document_uuid, const char *path,
			     const char *name);

/**
 * Attach a file given as a stream of bytes (what the bindings use for
 * Python file objects and Java InputStreams): open a writer for exactly
 * size bytes, give them with bz_file_writer_write() in pieces of any
 * size, and end with bz_file_writer_finish(). name as for
 * bz_file_attach(), required. *out is owned by the caller: free it with
 * bz_file_writer_free() (after finish, or to abandon the file: nothing of
 * it is kept). Finish or free every writer before the transaction's
 * commit: bz_txn_commit() refuses with BZ_EMISUSE while one is open (the
 * transaction stays open); a rollback ends the writer (its calls then give
 * BZ_EMISUSE). BZ_EINVAL, BZ_ENOTFOUND (no such document),
 * BZ_EEXISTS (the document has a file of that name). size: 0 to
 * 1,000,000,000 bytes (SQLite's blob limit, SQLITE_LIMIT_LENGTH, if set
 * lower; the same bound on PostgreSQL), else BZ_EINVAL. A writer holds at
 * most one piece of the file in memory (on PostgreSQL one 1 MiB chunk).
 * Since 1.1.
 */
BZ_EXTERN int bz_file_writer_open(bz_file_writer **out, bz_txn *txn, const char *document_uuid,
				  const char *name, int64_t size);
/**
 * Append len bytes. BZ_EINVAL past the size given at open (the writer is
 * then spoiled: finish refuses it); BZ_EMISUSE after finish or after the
 * transaction ended. Since 1.1.
 */
BZ_EXTERN int bz_file_writer_write(bz_file_writer *w, const void *data, size_t len);
/**
 * Store the file and write its change record. BZ_EINVAL if fewer bytes
 * than the size were written (nothing is kept). On success *out (owned by
 * the caller, bz_file_free()) is the attached file. Since 1.1.
 */
BZ_EXTERN int bz_file_writer_finish(bz_file **out, bz_file_writer *w);
/** Free a writer; one never finished leaves nothing behind. NULL is fine. Since 1.1. */
BZ_EXTERN void bz_file_writer_free(bz_file_writer *w);

/* ---- the files of a document ---------------------------------------------- */

/** Look a file up by its UUID. *out owned by the caller (bz_file_free()); BZ_ENOTFOUND. Since 1.1. */
BZ_EXTERN int bz_file_lookup(bz_file **out, bz_ledger *ledger, const char *file_uuid);
/**
 * The files of a document in the order attached. *out owned by the
 * caller (bz_file_iter_free()); BZ_ENOTFOUND for no such document. Since 1.1.
 */
BZ_EXTERN int bz_document_files(bz_file_iter **out, bz_ledger *ledger, const char *document_uuid);
/** Next file into *out (owned by the caller, bz_file_free()), or BZ_ITEROVER. Since 1.1. */
BZ_EXTERN int bz_file_iter_next(bz_file **out, bz_file_iter *it);
BZ_EXTERN void bz_file_iter_free(bz_file_iter *it);

/* Fields; strings borrowed until bz_file_free(). Since 1.1. */
BZ_EXTERN const char *bz_file_uuid(const bz_file *f);
/** The document the file is attached to. */
BZ_EXTERN const char *bz_file_document(const bz_file *f);
BZ_EXTERN const char *bz_file_name(const bz_file *f);
/** SHA-256 of the bytes, 64 lower-case hex digits, as the change record wrote it. */
BZ_EXTERN const char *bz_file_sha256(const bz_file *f);
/** Size in bytes. */
BZ_EXTERN int64_t bz_file_size(const bz_file *f);
/** Date the file was attached. */
BZ_EXTERN const char *bz_file_attached(const bz_file *f);
/** Sequence number of the change record that attached it (bz_change_seq()). */
BZ_EXTERN int64_t bz_file_seq(const bz_file *f);
BZ_EXTERN void bz_file_free(bz_file *f);

/* ---- reading files ---------------------------------------------------------- */

/**
 * Open a file for reading in pieces. *out owned by the caller
 * (bz_file_reader_free()); BZ_ENOTFOUND for no such file. The reader
 * holds no lock between reads. Since 1.1.
 */
BZ_EXTERN int bz_file_reader_open(bz_file_reader **out, bz_ledger *ledger, const char *file_uuid);
/**
 * Read up to cap bytes into buf; *got the number read, 0 at the end.
 * BZ_ECORRUPT if the stored bytes are gone or no longer of the file's
 * size; BZ_EMISUSE once the ledger is closed. Since 1.1.
 */
BZ_EXTERN int bz_file_reader_read(int64_t *got, bz_file_reader *r, void *buf, size_t cap);
BZ_EXTERN void bz_file_reader_free(bz_file_reader *r);

/**
 * Write a file's bytes to path (never over an existing file: BZ_EEXISTS),
 * through a temporary file linked into place, hashing them on the way:
 * BZ_ECORRUPT, and no file, if they no longer give the recorded SHA-256.
 * BZ_EIO "<path>: <cause>". Since 1.1.
 */
BZ_EXTERN int bz_file_export(bz_ledger *ledger, const char *file_uuid, const char *path);

/**
 * Hash every stored file again and compare it with the SHA-256 its change
 * records wrote. *checked gets the number of attached files checked. BZ_OK
 * if every one agrees (*problems NULL); BZ_ECORRUPT otherwise, *problems
 * a text of one line per file that disagrees (its 文号, name, record and
 * both hashes), owned by the caller (bz_free()). BZ_EMISUSE while a
 * transaction is open on the handle. Since 1.1.
 */
BZ_EXTERN int bz_files_verify(char **problems, int64_t *checked, bz_ledger *ledger);

/**
 * Carry the stored files of src into dst, after dst imported src's change
 * records (bz_ledger_import() of a bz_ledger_export() of src: what
 * `bianzhi copy` does). The exchange format holds the change records that
 * attached files, filed documents and added archive categories (the
 * import writes the categories and filings from them), but not the bytes;
 * this is the rest. For each file attached in src, in the order attached,
 * whose attaching change record dst holds (the same record, found by its
 * origin: bz_change_origin()) and which dst has not attached yet: the
 * bytes are streamed from src into dst (a piece at a time on either
 * backend; never a whole file in memory), hashed on the way, and the file
 * attached in dst under the same file UUID, to the same document, tied to
 * dst's copy of the record — bz_file_lookup(), bz_document_files(),
 * bz_files_verify() and bz_archive_export() then answer on dst as on src.
 * No change record is written. Bytes dst stores already (the same
 * SHA-256) are not stored again. A file whose record dst does not hold (an
 * export of a jurisdiction leaves some out) is passed over.
 * All or nothing, in one transaction of dst; running it again adds nothing.
 * *files gets the number of files attached in dst. Errors, in
 * bz_ledger_errmsg(dst), nothing written: BZ_EINVAL (NULL, or src is dst),
 * BZ_EMISUSE while a transaction is open on either handle, BZ_EIO when
 * dst was opened read-only, BZ_ECORRUPT when src's bytes of a file are gone
 * or no longer give the SHA-256 its record wrote, or dst's record of that
 * origin is not the same attachment. Holds both handles' locks while it
 * runs (never run two copies between the same two handles in opposite
 * directions at once). Since 1.3.
 */
BZ_EXTERN int bz_files_copy(int64_t *files, bz_ledger *dst, bz_ledger *src);

/* ---- archive categories (独立档案, seed §21) and tags ------------------------ */

/*
 * Every ledger starts with the independent archives of seed §21 — SYDJ
 * 事业单位登记管理档案, JGGG 机构改革档案, SMZ 机构编制实名制管理档案, FLGG
 * 事业单位分类改革档案, HC 机构编制核查工作档案, JDJC 机构编制监督检查工作档案,
 * YMZC 机关事业单位中文域名注册管理工作档案, XHCB 消化党政机关超编人员工作档案,
 * QT 其他专项工作档案 — and the meeting records BWHY 编委会议纪要 and LXHY
 * 联席会议记录.
 */

/**
 * Add an archive category (a change record of reference data). code: 1–16
 * characters A–Z, 0–9 or '_'; name non-empty UTF-8. BZ_EEXISTS if the
 * code or the name is taken. Since 1.1.
 */
BZ_EXTERN int bz_archive_category_add(bz_txn *txn, const char *code, const char *name);
/** Every archive category, by code. *out owned by the caller (bz_archive_category_iter_free()). Since 1.1. */
BZ_EXTERN int bz_archive_category_list(bz_archive_category_iter **out, bz_ledger *ledger);
/** Next category into *out (owned by the caller), or BZ_ITEROVER. Since 1.1. */
BZ_EXTERN int bz_archive_category_iter_next(bz_archive_category **out, bz_archive_category_iter *it);
BZ_EXTERN void bz_archive_category_iter_free(bz_archive_category_iter *it);
/* Fields; strings borrowed until bz_archive_category_free(). Since 1.1. */
BZ_EXTERN const char *bz_archive_category_code(const bz_archive_category *c);
BZ_EXTERN const char *bz_archive_category_name(const bz_archive_category *c);
BZ_EXTERN void bz_archive_category_free(bz_archive_category *c);

/**
 * File a document in the archive: its category (a code of the table) and
 * year (1949–2999; 0: the year of the document's date). A change record of
 * reference data; a later call refiles it. BZ_ENOTFOUND for no such
 * document or category, BZ_EINVAL for a bad year. Since 1.1.
 */
BZ_EXTERN int bz_document_file_under(bz_txn *txn, const char *document_uuid, const char *category, int year);
/**
 * Where a document is filed: *category (owned by the caller, bz_free();
 * NULL if never filed) and *year (the filed year, or the year of the
 * document's date when never filed). BZ_ENOTFOUND for no such document.
 * Since 1.1.
 */
BZ_EXTERN int bz_document_filed(char **category, int *year, bz_ledger *ledger, const char *document_uuid);

/* ---- exporting and verifying an archive -------------------------------------- */

/**
 * Export the archive of the documents selected — those any change record
 * of unit_uuid rests on; those of a jurisdiction (division code: issued
 * there, or the basis of a change of one of its units); filed under
 * category; of year (filed, or dated) — every selector given (non-NULL,
 * year non-zero) must hold; none given: every document with a file.
 * dest ending in ".zip" (any case) is a zip (UTF-8 names), anything else a
 * folder that must not exist yet. Inside: one folder per document, named
 * "<date> <文号> <title>" (characters no file system takes replaced by
 * '_'), holding its files under their names, and index.csv (UTF-8 with BOM,
 * CRLF) and index.json with one entry per file (a document without a file:
 * one entry with an empty file name): 文号, title, date, issuer, category,
 * year, the file's path in the archive, size, SHA-256, and the change
 * records citing the document (their sequence numbers). Written under a
 * temporary name renamed into place: nothing is left on failure. Each
 * file's bytes are hashed on the way out: BZ_ECORRUPT, and no archive, if
 * any no longer gives its recorded SHA-256. *files gets the number of files
 * written. BZ_EINVAL for a bad selector, BZ_ENOTFOUND for no such unit,
 * jurisdiction or category, BZ_EEXISTS when dest exists, BZ_EIO
 * "<path>: <cause>". Since 1.1.
 */
BZ_EXTERN int bz_archive_export(int64_t *files, bz_ledger *ledger, const char *dest, const char *unit_uuid,
				const char *jurisdiction_code, const char *category, int year);

/**
 * Verify an exported archive (a folder or a .zip) against its index.csv
 * without the ledger: every file listed is there with its size and
 * SHA-256, and nothing is there that the index does not list. BZ_OK if so
 * (*problems NULL); BZ_ECORRUPT otherwise with *problems a text of one
 * line per problem (owned by the caller, bz_free()). *checked gets the
 * number of files checked. BZ_EIO when path cannot be read, BZ_EINVAL if it
 * is not an archive (no index.csv of the expected header), BZ_ENOMEM; with
 * these too *problems (bz_free()) says why — there is no ledger to hold a
 * message. Since 1.1.
 */
BZ_EXTERN int bz_archive_verify(char **problems, int64_t *checked, const char *path);

#ifdef __cplusplus
}
#endif
#endif
