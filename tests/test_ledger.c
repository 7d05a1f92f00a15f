/* test_ledger.c: opening, creating, refusing and closing ledgers; status texts; dates. */
#include "testutil.h"
#include "internal.h"

#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

/* run sql on the ledger file behind the library's back, through a connection
 * of its own (as a tool or an attacker with the file would): SQLite's status */
static int raw_exec(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	int rc = sqlite3_open(path, &db);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	sqlite3_close(db);
	return rc;
}

/* the first column of the first row of sql, read behind the library's back; -1 if none */
static long long raw_int(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	long long v = -1;
	if (sqlite3_open(path, &db) == SQLITE_OK && sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

START_TEST(open_memory_creates_schema)
{
	bz_ledger *l = tu_ledger();
	int v = 0;
	ck_assert_bz(bz_ledger_schema_version(&v, l));
	ck_assert_int_eq(v, BZ_SCHEMA_VERSION);
	ck_assert_str_eq(bz_ledger_errmsg(l), "not an error");
	ck_assert_int_eq(bz_ledger_close(l), BZ_OK);
}
END_TEST

START_TEST(open_file_then_reopen)
{
	const char *p = tu_tmpfile("reopen");
	char path[256];
	strcpy(path, p);
	bz_ledger *l = NULL;
	ck_assert_int_eq(bz_ledger_open(&l, path, 0), BZ_EIO); /* no CREATE, no file */
	ck_assert_ptr_null(l);
	ck_assert_bz(bz_ledger_open(&l, path, BZ_OPEN_CREATE));
	ck_assert_bz(bz_ledger_close(l));
	ck_assert_bz(bz_ledger_open(&l, path, 0));
	int v = 0;
	ck_assert_bz(bz_ledger_schema_version(&v, l));
	ck_assert_int_eq(v, BZ_SCHEMA_VERSION);
	/* WAL is on for files */
	sqlite3_stmt *st;
	ck_assert_int_eq(sqlite3_prepare_v2(l->db, "PRAGMA journal_mode", -1, &st, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	ck_assert_str_eq((const char *)sqlite3_column_text(st, 0), "wal");
	sqlite3_finalize(st);
	ck_assert_int_eq(sqlite3_prepare_v2(l->db, "PRAGMA foreign_keys", -1, &st, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	ck_assert_int_eq(sqlite3_column_int(st, 0), 1);
	sqlite3_finalize(st);
	/* commits wait for the disk (FULL) unless asked; statement journals in memory */
	static const char *const pragmas[] = {"PRAGMA synchronous", "PRAGMA temp_store"};
	for (int i = 0; i < 2; i++) {
		ck_assert_int_eq(sqlite3_prepare_v2(l->db, pragmas[i], -1, &st, NULL), SQLITE_OK);
		ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
		ck_assert_int_eq(sqlite3_column_int(st, 0), 2); /* FULL; MEMORY */
		sqlite3_finalize(st);
	}
	ck_assert_bz(bz_ledger_close(l));
	ck_assert_bz(bz_ledger_open(&l, path, BZ_OPEN_SYNC_NORMAL));
	ck_assert_int_eq(sqlite3_prepare_v2(l->db, "PRAGMA synchronous", -1, &st, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	ck_assert_int_eq(sqlite3_column_int(st, 0), 1); /* NORMAL */
	sqlite3_finalize(st);
	ck_assert_bz(bz_ledger_close(l));
	/* read-only open works and refuses transactions */
	ck_assert_bz(bz_ledger_open(&l, path, BZ_OPEN_READONLY));
	bz_txn *t = NULL;
	ck_assert_int_eq(bz_txn_begin(&t, l, "u", "o"), BZ_EIO);
	ck_assert_ptr_null(t);
	ck_assert_bz(bz_ledger_close(l));
	tu_rm(path);
}
END_TEST

START_TEST(refuses_text_file)
{
	const char *path = tu_tmpfile("text");
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	for (int i = 0; i < 200; i++)
		fputs("this is not a database at all\n", f);
	fclose(f);
	bz_ledger *l = NULL;
	ck_assert_int_eq(bz_ledger_open(&l, path, BZ_OPEN_CREATE), BZ_ENOTLEDGER);
	ck_assert_ptr_null(l);
	tu_rm(path);
}
END_TEST

START_TEST(refuses_foreign_sqlite_file)
{
	const char *path = tu_tmpfile("foreign");
	ck_assert_int_eq(raw_exec(path, "CREATE TABLE t(x)"), SQLITE_OK);
	bz_ledger *l = NULL;
	ck_assert_int_eq(bz_ledger_open(&l, path, BZ_OPEN_CREATE), BZ_ENOTLEDGER);
	ck_assert_ptr_null(l);
	tu_rm(path);
}
END_TEST

START_TEST(refuses_newer_schema)
{
	const char *p = tu_tmpfile("newer");
	char path[256];
	strcpy(path, p);
	bz_ledger *l = NULL;
	ck_assert_bz(bz_ledger_open(&l, path, BZ_OPEN_CREATE));
	ck_assert_bz(bz_ledger_close(l));
	ck_assert_int_eq(raw_exec(path, "PRAGMA user_version=99"), SQLITE_OK);
	ck_assert_int_eq(bz_ledger_open(&l, path, 0), BZ_ESCHEMA);
	ck_assert_ptr_null(l);
	tu_rm(path);
}
END_TEST

/* a ledger of schema 1 (cards numbered by counting, every fact indexed by
 * value, counters keyed by text, events indexed by transaction) opens
 * migrated to 2: the card sequence index replaces the prefix index, the
 * names units bore get their own table, the counters their numbers, the
 * event(txn) index goes, the data kept */
/* a ledger of schema 2 opens migrated to 3: the openings table (opening.h),
 * append-only like the change log */
START_TEST(migrates_version_2)
{
	const char *p = tu_tmpfile("v2");
	char path[256];
	strcpy(path, p);
	bz_ledger *l = NULL;
	ck_assert_bz(bz_ledger_open(&l, path, BZ_OPEN_CREATE));
	ck_assert_bz(bz_ledger_close(l));
	ck_assert_int_eq(raw_exec(path,
				      "DROP TABLE txn_id; DROP TABLE document_file; DROP TABLE file_hash; DROP TABLE file_blob; DROP TABLE document_tag;"
				      "DROP TABLE archive_category; DROP TABLE record_chain; DROP TABLE office; DROP TABLE unitcert_end; DROP TABLE unitcert;"
				      "DROP TABLE opening; DROP TABLE txn_origin; DROP TABLE event_origin;"
				      "DELETE FROM meta WHERE key='ledger'; PRAGMA user_version=2"),
			 SQLITE_OK);
	ck_assert_bz(bz_ledger_open(&l, path, 0));
	int v = 0;
	ck_assert_bz(bz_ledger_schema_version(&v, l));
	ck_assert_int_eq(v, BZ_SCHEMA_VERSION);
	ck_assert_int_eq(tu_count(l, "opening"), 0);
	ck_assert_bz(bz_ledger_close(l));
	ck_assert_int_eq(raw_exec(path,
				      "INSERT INTO txn_log VALUES(1,'2025-01-01T00:00:00','u','o');"
				      "INSERT INTO document VALUES('d1','i','n','a',2024,1,'t','2024-12-20',4,1,NULL,NULL);"
				      "INSERT INTO opening VALUES(1,'d1','2024-12-31')"),
			 SQLITE_OK);
	ck_assert_int_ne(raw_exec(path, "UPDATE opening SET cutover='2025-12-31'"), SQLITE_OK);
	ck_assert_int_ne(raw_exec(path, "DELETE FROM opening"), SQLITE_OK);
	tu_rm(path);
}
END_TEST

/* schema 4: the ledger's identity (made by the migration for an old ledger) and the origins of imported records */
START_TEST(migrates_version_3)
{
	const char *p = tu_tmpfile("v3");
	char path[256];
	strcpy(path, p);
	bz_ledger *l = NULL;
	ck_assert_bz(bz_ledger_open(&l, path, BZ_OPEN_CREATE));
	char *made = NULL;
	ck_assert_bz(bz_ledger_identity(&made, l));
	ck_assert_bz(bz_ledger_close(l));
	ck_assert_int_eq(raw_exec(path,
				      "DROP TABLE txn_id; DROP TABLE document_file; DROP TABLE file_hash; DROP TABLE file_blob; DROP TABLE document_tag;"
				      "DROP TABLE archive_category; DROP TABLE record_chain; DROP TABLE office; DROP TABLE unitcert_end; DROP TABLE unitcert;"
				      "DROP TABLE txn_origin; DROP TABLE event_origin; DELETE FROM meta WHERE key='ledger';"
				      "INSERT INTO txn_log VALUES(1,'2025-01-01T00:00:00','u','o');"
				      "INSERT INTO event(txn, kind, subject, effective) VALUES(1,'rules.param','rules','2025-01-01');"
				      "PRAGMA user_version=3"),
			 SQLITE_OK);
	ck_assert_bz(bz_ledger_open(&l, path, 0));
	int v = 0;
	ck_assert_bz(bz_ledger_schema_version(&v, l));
	ck_assert_int_eq(v, BZ_SCHEMA_VERSION);
	char *id = NULL;
	ck_assert_bz(bz_ledger_identity(&id, l));
	ck_assert_uint_eq(strlen(id), BZ_UUID_LEN);
	ck_assert_int_eq(id[8], '-');
	ck_assert_int_eq(id[14], '4');
	ck_assert_ptr_nonnull(strchr("89ab", id[19]));
	ck_assert_str_ne(id, made);
	/* the old record is this ledger's own: no origin row, its origin is the ledger and its number */
	bz_change_iter *it = NULL;
	bz_change *c = NULL;
	ck_assert_bz(bz_changes_since(&it, l, 0));
	ck_assert_bz(bz_change_iter_next(&c, it));
	ck_assert_str_eq(bz_change_origin(c), id);
	ck_assert_int_eq(bz_change_origin_seq(c), 1);
	bz_change_free(c);
	bz_change_iter_free(it);
	ck_assert_int_eq(tu_count(l, "event_origin"), 0);
	/* the identity stays across a reopen */
	ck_assert_bz(bz_ledger_close(l));
	ck_assert_bz(bz_ledger_open(&l, path, 0));
	char *again = NULL;
	ck_assert_bz(bz_ledger_identity(&again, l));
	ck_assert_str_eq(again, id);
	ck_assert_bz(bz_ledger_close(l));
	ck_assert_int_ne(raw_exec(path, "INSERT INTO event_origin VALUES(1,'x',1); UPDATE event_origin SET seq=2"),
			 SQLITE_OK);
	ck_assert_int_ne(raw_exec(path, "DELETE FROM event_origin"), SQLITE_OK);
	ck_assert_int_ne(raw_exec(path, "INSERT INTO txn_origin VALUES(1,'x',1); DELETE FROM txn_origin"),
			 SQLITE_OK);
	bz_free(made);
	bz_free(id);
	bz_free(again);
	tu_rm(path);
}
END_TEST

/* schema 5: the files behind the documents (archive.h) — stored bytes, their hashes, the
 * attachments, the archive categories of seed §21 and where documents are filed; a ledger of
 * schema 4 keeps its documents and gets the categories, and the new tables are append-only */
START_TEST(migrates_version_4)
{
	const char *p = tu_tmpfile("v4");
	char path[256];
	strcpy(path, p);
	bz_ledger *l = NULL;
	ck_assert_bz(bz_ledger_open(&l, path, BZ_OPEN_CREATE));
	ck_assert_bz(bz_ledger_close(l));
	ck_assert_int_eq(raw_exec(path,
				      "DROP TABLE txn_id; DROP TABLE document_file; DROP TABLE file_hash; DROP TABLE file_blob; DROP TABLE document_tag;"
				      "DROP TABLE archive_category; DROP TABLE record_chain; DROP TABLE office; DROP TABLE unitcert_end; DROP TABLE unitcert;"
				      "INSERT INTO txn_log VALUES(1,'2025-01-01T00:00:00','u','o');"
				      "INSERT INTO document VALUES('8d2c6a3e-5b1f-4c7a-9e0d-2f4b6c8a1e3d','武都区机构编制委员会',"
				      " '武编发〔2013〕5号','武编发',2013,5,'通知','2013-04-18',4,1,'621202',NULL);"
				      "PRAGMA user_version=4"),
			 SQLITE_OK);
	ck_assert_bz(bz_ledger_open(&l, path, 0));
	int v = 0;
	ck_assert_bz(bz_ledger_schema_version(&v, l));
	ck_assert_int_eq(v, BZ_SCHEMA_VERSION);
	ck_assert_int_eq(tu_count(l, "archive_category"), 11);
	ck_assert_int_eq(tu_count(l, "file_blob"), 0);
	/* the old document takes a file and a filing */
	bz_txn *t = tu_begin(l);
	bz_file_writer *w = NULL;
	bz_file *f = NULL;
	ck_assert_bz(bz_file_writer_open(&w, t, "8d2c6a3e-5b1f-4c7a-9e0d-2f4b6c8a1e3d", "扫描件.pdf", 8));
	ck_assert_bz(bz_file_writer_write(w, "%PDF-1.4", 8));
	ck_assert_bz(bz_file_writer_finish(&f, w));
	bz_file_writer_free(w);
	ck_assert_bz(bz_document_file_under(t, "8d2c6a3e-5b1f-4c7a-9e0d-2f4b6c8a1e3d", "JGGG", 0));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	char *cat = NULL;
	int year = 0;
	ck_assert_bz(bz_document_filed(&cat, &year, l, "8d2c6a3e-5b1f-4c7a-9e0d-2f4b6c8a1e3d"));
	ck_assert_str_eq(cat, "JGGG");
	ck_assert_int_eq(year, 2013);
	bz_free(cat);
	bz_file_free(f);
	ck_assert_bz(bz_ledger_close(l));
	ck_assert_int_ne(raw_exec(path, "DELETE FROM document_file"), SQLITE_OK);
	ck_assert_int_ne(raw_exec(path, "UPDATE file_hash SET size=0"), SQLITE_OK);
	ck_assert_int_ne(raw_exec(path, "DELETE FROM file_blob"), SQLITE_OK);
	tu_rm(path);
}
END_TEST

/* schema 7: a ledger of schema 6 with records gets the hash chain over them
 * from the migration itself, the same chain its commits would have written */
START_TEST(migrates_version_6)
{
	const char *p = tu_tmpfile("v6");
	char path[256];
	strcpy(path, p);
	bz_ledger *l = NULL;
	ck_assert_bz(bz_ledger_open(&l, path, BZ_OPEN_CREATE));
	for (int i = 0; i < 3; i++) {
		bz_txn *t = tu_begin(l);
		static const char *const codes[] = {"620000", "621200", "621202"}, *const names[] = {"甘肃省", "陇南市", "武都区"};
		ck_assert_bz(bz_jurisdiction_create(NULL, t, codes[i], names[i], i ? codes[i - 1] : NULL));
		ck_assert_bz(bz_txn_commit(t));
		bz_txn_free(t);
	}
	char *before = NULL;
	int64_t seq = 0;
	ck_assert_bz(bz_ledger_head_hash(&before, &seq, l));
	ck_assert_int_gt(seq, 0);
	ck_assert_bz(bz_ledger_close(l));
	ck_assert_int_eq(raw_exec(path, "DROP TABLE record_chain; DROP TABLE office; DROP TABLE unitcert_end; DROP TABLE unitcert; PRAGMA user_version=6"), SQLITE_OK);
	ck_assert_bz(bz_ledger_open(&l, path, 0));
	int v = 0;
	ck_assert_bz(bz_ledger_schema_version(&v, l));
	ck_assert_int_eq(v, BZ_SCHEMA_VERSION);
	ck_assert_int_eq(tu_count(l, "record_chain"), tu_count(l, "event"));
	char *after = NULL;
	int64_t seq2 = 0;
	ck_assert_bz(bz_ledger_head_hash(&after, &seq2, l));
	ck_assert_int_eq(seq2, seq);
	ck_assert_str_eq(after, before);
	bz_report *r = NULL;
	ck_assert_bz(bz_ledger_verify(&r, l, seq, before));
	ck_assert_uint_eq(bz_report_count(r), 0);
	bz_report_free(r);
	bz_free(before);
	bz_free(after);
	ck_assert_bz(bz_ledger_close(l));
	ck_assert_int_ne(raw_exec(path, "DELETE FROM record_chain"), SQLITE_OK);
	ck_assert_int_ne(raw_exec(path, "UPDATE record_chain SET hash=x'00'"), SQLITE_OK);
	tu_rm(path);
}
END_TEST

/* schema 8: a ledger of schema 7 gets the table of offices (office.h),
 * empty: its transactions go on acting for free-text offices, R15 judging
 * nothing, until an office is registered; offices are append-only */
START_TEST(migrates_version_7)
{
	const char *p = tu_tmpfile("v7");
	char path[256];
	strcpy(path, p);
	bz_ledger *l = NULL;
	ck_assert_bz(bz_ledger_open(&l, path, BZ_OPEN_CREATE));
	bz_txn *t = tu_begin(l);
	ck_assert_bz(bz_jurisdiction_create(NULL, t, "620000", "甘肃省", NULL));
	ck_assert_bz(bz_jurisdiction_create(NULL, t, "621200", "陇南市", "620000"));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	ck_assert_bz(bz_ledger_close(l));
	ck_assert_int_eq(raw_exec(path, "DROP TABLE office; DROP TABLE unitcert_end; DROP TABLE unitcert; PRAGMA user_version=7"), SQLITE_OK);
	ck_assert_bz(bz_ledger_open(&l, path, 0));
	int v = 0;
	ck_assert_bz(bz_ledger_schema_version(&v, l));
	ck_assert_int_eq(v, BZ_SCHEMA_VERSION);
	ck_assert_int_eq(tu_count(l, "office"), 0);
	/* any office name still writes, as before */
	ck_assert_bz(bz_txn_begin(&t, l, "张三", "随便什么办公室"));
	ck_assert_bz(bz_jurisdiction_create(NULL, t, "621202", "武都区", "621200"));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	/* the first office, registered acting under its own name */
	ck_assert_bz(bz_txn_begin(&t, l, "张三", "陇南市机构编制委员会办公室"));
	ck_assert_bz(bz_office_register(NULL, t, "陇南市机构编制委员会办公室", "621200", BZ_OFFICE_ESTABLISHMENT));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	ck_assert_int_eq(tu_count(l, "office"), 1);
	ck_assert_bz(bz_ledger_close(l));
	ck_assert_int_ne(raw_exec(path, "DELETE FROM office"), SQLITE_OK);
	ck_assert_int_ne(raw_exec(path, "UPDATE office SET kind=3"), SQLITE_OK);
	tu_rm(path);
}
END_TEST

/* 8 → 9: the units' 机构编制管理证 (unitcert.h): the tables made, a ledger of units without
 * certificates opens and goes on (R14 off by default), a certificate issued after, chain intact */
START_TEST(migrates_version_8)
{
	const char *p = tu_tmpfile("v8");
	char path[256];
	strcpy(path, p);
	bz_ledger *l = NULL;
	ck_assert_bz(bz_ledger_open(&l, path, BZ_OPEN_CREATE));
	bz_txn *t = tu_begin(l);
	ck_assert_bz(bz_jurisdiction_create(NULL, t, "620000", "甘肃省", NULL));
	ck_assert_bz(bz_jurisdiction_create(NULL, t, "621200", "陇南市", "620000"));
	ck_assert_bz(bz_jurisdiction_create(NULL, t, "621202", "武都区", "621200"));
	bz_document *d = NULL;
	ck_assert_bz(bz_document_register(&d, t, "武都区机构编制委员会", "武编发〔2013〕5号", "关于机构编制事项的通知",
					  "2013-01-10", BZ_LEVEL_COUNTY, BZ_ISSUER_ESTABLISHMENT, "621202"));
	char doc[BZ_UUID_LEN + 1];
	memcpy(doc, bz_document_uuid(d), sizeof doc);
	bz_document_free(d);
	ck_assert_bz(bz_txn_set_document(t, doc));
	bz_unit_spec *s = NULL;
	ck_assert_bz(bz_unit_spec_new(&s));
	ck_assert_bz(bz_unit_spec_set_name(s, "武都区教育局"));
	ck_assert_bz(bz_unit_spec_set_nature(s, BZ_NATURE_ORGAN));
	ck_assert_bz(bz_unit_spec_set_rank(s, BZ_RANK_ZHENGKE));
	ck_assert_bz(bz_unit_spec_set_jurisdiction(s, "621202"));
	ck_assert_bz(bz_unit_spec_set_founded(s, "2013-02-01"));
	bz_unit *u = NULL;
	ck_assert_bz(bz_unit_establish(&u, t, s));
	char unit[BZ_UUID_LEN + 1];
	memcpy(unit, bz_unit_uuid(u), sizeof unit);
	bz_unit_free(u);
	bz_unit_spec_free(s);
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	long long events = tu_count(l, "event");
	ck_assert_bz(bz_ledger_close(l));
	ck_assert_int_eq(raw_exec(path, "DROP TABLE unitcert_end; DROP TABLE unitcert; PRAGMA user_version=8"), SQLITE_OK);
	ck_assert_bz(bz_ledger_open(&l, path, 0));
	int v = 0;
	ck_assert_bz(bz_ledger_schema_version(&v, l));
	ck_assert_int_eq(v, BZ_SCHEMA_VERSION);
	ck_assert_int_eq(tu_count(l, "unitcert"), 0);
	ck_assert_int_eq(tu_count(l, "unitcert_end"), 0);
	ck_assert_int_eq(tu_count(l, "event"), events);
	t = tu_begin(l);
	ck_assert_bz(bz_txn_set_document(t, doc));
	bz_unitcert *c = NULL;
	ck_assert_bz(bz_unitcert_issue(&c, t, unit, "2013-03-01", NULL));
	ck_assert_str_eq(bz_unitcert_number(c), "621202-BZZ-2013-0001");
	bz_unitcert_free(c);
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	bz_report *r = NULL;
	ck_assert_bz(bz_ledger_verify(&r, l, 0, NULL));
	ck_assert_uint_eq(bz_report_count(r), 0);
	bz_report_free(r);
	ck_assert_bz(bz_ledger_check(&r, l, "2013-12-31"));
	ck_assert_uint_eq(bz_report_errors(r), 0);
	bz_report_free(r);
	ck_assert_bz(bz_ledger_close(l));
	tu_rm(path);
}
END_TEST

/* one integer from the ledger's own connection */
static long long one_int(bz_ledger *l, const char *sql)
{
	sqlite3_stmt *st = NULL;
	ck_assert_int_eq(sqlite3_prepare_v2(l->db, sql, -1, &st, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	long long v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* whether the SQL of a schema object contains text */
static bool schema_has(bz_ledger *l, const char *name, const char *text)
{
	sqlite3_stmt *st = NULL;
	ck_assert_int_eq(sqlite3_prepare_v2(l->db, "SELECT sql FROM sqlite_schema WHERE name=?1", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	bool yes = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) &&
		   strstr((const char *)sqlite3_column_text(st, 0), text) != NULL;
	sqlite3_finalize(st);
	return yes;
}

/* the ledger at path opened read-write (so migrated), at this library's schema */
static bz_ledger *reopen_migrated(const char *path)
{
	bz_ledger *l = NULL;
	ck_assert_bz(bz_ledger_open(&l, path, 0));
	ck_assert_bz(bz_ledger_set_clock(l, "2014-06-01"));
	int v = 0;
	ck_assert_bz(bz_ledger_schema_version(&v, l));
	ck_assert_int_eq(v, BZ_SCHEMA_VERSION);
	return l;
}

/* a county's first records, several to a transaction: the jurisdictions, a document and an education bureau
 * with its establishment (one transaction), then its establishment raised (another) */
static void few_transactions(bz_ledger *l, char unit[BZ_UUID_LEN + 1], char doc[BZ_UUID_LEN + 1])
{
	bz_txn *t = tu_begin(l);
	ck_assert_bz(bz_jurisdiction_create(NULL, t, "620000", "甘肃省", NULL));
	ck_assert_bz(bz_jurisdiction_create(NULL, t, "621200", "陇南市", "620000"));
	ck_assert_bz(bz_jurisdiction_create(NULL, t, "621202", "武都区", "621200"));
	bz_document *d = NULL;
	ck_assert_bz(bz_document_register(&d, t, "武都区机构编制委员会", "武编发〔2013〕5号", "关于机构编制事项的通知",
					  "2013-01-10", BZ_LEVEL_COUNTY, BZ_ISSUER_ESTABLISHMENT, "621202"));
	memcpy(doc, bz_document_uuid(d), BZ_UUID_LEN + 1);
	bz_document_free(d);
	ck_assert_bz(bz_txn_set_document(t, doc));
	bz_unit_spec *s = NULL;
	ck_assert_bz(bz_unit_spec_new(&s));
	ck_assert_bz(bz_unit_spec_set_name(s, "武都区教育局"));
	ck_assert_bz(bz_unit_spec_set_nature(s, BZ_NATURE_ORGAN));
	ck_assert_bz(bz_unit_spec_set_rank(s, BZ_RANK_ZHENGKE));
	ck_assert_bz(bz_unit_spec_set_jurisdiction(s, "621202"));
	ck_assert_bz(bz_unit_spec_set_founded(s, "2013-02-01"));
	bz_unit *u = NULL;
	ck_assert_bz(bz_unit_establish(&u, t, s));
	memcpy(unit, bz_unit_uuid(u), BZ_UUID_LEN + 1);
	bz_unit_free(u);
	bz_unit_spec_free(s);
	ck_assert_bz(bz_establishment_set(t, unit, "XZ", 12, "2013-02-01"));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	t = tu_begin(l);
	ck_assert_bz(bz_txn_set_document(t, doc));
	ck_assert_bz(bz_establishment_set(t, unit, "XZ", 14, "2014-01-01"));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
}

/* the rows of record_chain holding a hash that are not the last record of their transaction */
static const char hash_inside_sql[] = "SELECT count(*) FROM record_chain c JOIN event e ON e.id=c.seq"
				      " WHERE c.hash IS NOT NULL AND e.id<>(SELECT max(id) FROM event WHERE txn=e.txn)";

/* schema 10 (the file per hire, issue 10): a ledger of schema 9, whose chain
 * stores a hash at every record, keeps its chain and every head signed off
 * — the hash is now stored only at each transaction's last record — and its
 * event indexes are rebuilt (event_unit only where a unit is, neither naming
 * id again) with the certificates' index added; records inside a transaction
 * are still located when altered, and commits after it chain as before */
START_TEST(migrates_version_9)
{
	const char *p = tu_tmpfile("v9");
	char path[256], unit[BZ_UUID_LEN + 1], doc[BZ_UUID_LEN + 1];
	strcpy(path, p);
	bz_ledger *l = NULL;
	ck_assert_bz(bz_ledger_open(&l, path, BZ_OPEN_CREATE));
	ck_assert_bz(bz_ledger_set_clock(l, "2014-06-01"));
	few_transactions(l, unit, doc);
	long long events = tu_count(l, "event");
	long long txns = one_int(l, "SELECT count(DISTINCT txn) FROM event");
	ck_assert_int_gt(events, txns + 3); /* several records to a transaction */
	ck_assert_int_eq(one_int(l, "SELECT count(*) FROM record_chain WHERE hash IS NOT NULL"), txns);
	char *head = NULL;
	int64_t seq = 0;
	ck_assert_bz(bz_ledger_head_hash(&head, &seq, l));
	ck_assert_int_eq(seq, events);
	/* the ledger as schema 9 left it: a hash at every record (the same chain), the old event indexes */
	ck_assert_bz(bz_exec(l, "BEGIN IMMEDIATE"));
	ck_assert_bz(bz_exec(l, "DROP TABLE record_chain;"
				"CREATE TABLE record_chain(seq INTEGER PRIMARY KEY, hash BLOB NOT NULL, parts BLOB NOT NULL);"
				"CREATE TRIGGER record_chain_no_update BEFORE UPDATE ON record_chain BEGIN SELECT RAISE(ABORT,'change records are append-only'); END;"
				"CREATE TRIGGER record_chain_no_delete BEFORE DELETE ON record_chain BEGIN SELECT RAISE(ABORT,'change records are append-only'); END;"));
	ck_assert_bz(bz_chain_extend_every(l, 1));
	ck_assert_bz(bz_exec(l, "COMMIT"));
	ck_assert_int_eq(one_int(l, "SELECT count(*) FROM record_chain WHERE hash IS NOT NULL"), events);
	ck_assert_bz(bz_ledger_close(l));
	ck_assert_int_eq(raw_exec(path, "DROP INDEX event_unit; CREATE INDEX event_unit ON event(unit, effective, id);"
				  "DROP INDEX event_subject; CREATE INDEX event_subject ON event(subject, effective, id);"
				  "DROP INDEX event_cert; PRAGMA user_version=9"),
			 SQLITE_OK);

	/* read-only, an older ledger cannot be migrated: BZ_ESCHEMA saying so (not "newer"), the file untouched */
	ck_assert_int_eq(bz_ledger_open(&l, path, BZ_OPEN_READONLY), BZ_ESCHEMA);
	ck_assert_ptr_null(l);
	char want[160];
	snprintf(want, sizeof want, "ledger schema version 9 is older than this library's %d: open it once for writing to"
		 " migrate it (a read-only handle cannot)", BZ_SCHEMA_VERSION);
	ck_assert_msg(strstr(bz_ledger_errmsg(NULL), want) && strstr(bz_ledger_errmsg(NULL), path), "%s",
		      bz_ledger_errmsg(NULL));
	ck_assert_ptr_nonnull(strstr(bz_strerror(BZ_ESCHEMA), "older and read-only"));
	ck_assert_int_eq(raw_int(path, "PRAGMA user_version"), 9);
	ck_assert_int_eq(raw_int(path, "SELECT count(*) FROM sqlite_schema WHERE name='event_cert'"), 0);

	l = reopen_migrated(path);
	/* every record keeps its row and parts; the hash stays at each transaction's last record only */
	ck_assert_int_eq(tu_count(l, "event"), events);
	ck_assert_int_eq(tu_count(l, "record_chain"), events);
	ck_assert_int_eq(one_int(l, "SELECT count(*) FROM record_chain WHERE length(parts)=24"), events);
	ck_assert_int_eq(one_int(l, "SELECT count(*) FROM record_chain WHERE hash IS NOT NULL"), txns);
	ck_assert_int_eq(one_int(l, hash_inside_sql), 0);
	/* the same head, and the verify against it finds nothing */
	char *again = NULL;
	int64_t seq2 = 0;
	ck_assert_bz(bz_ledger_head_hash(&again, &seq2, l));
	ck_assert_int_eq(seq2, seq);
	ck_assert_str_eq(again, head);
	bz_free(again);
	bz_report *r = NULL;
	ck_assert_bz(bz_ledger_verify(&r, l, seq, head));
	ck_assert_uint_eq(bz_report_count(r), 0);
	bz_report_free(r);
	/* the indexes */
	ck_assert(schema_has(l, "event_unit", "WHERE unit IS NOT NULL"));
	ck_assert(!schema_has(l, "event_unit", "id)"));
	ck_assert(schema_has(l, "event_subject", "(subject, effective)"));
	ck_assert(schema_has(l, "event_cert", "WHERE kind='registration.certify'"));
	/* the readers by unit still find the unit's records through the index (stating, since schema 14,
	 * the kinds it leaves out: the entries into a post, read by their placement) */
	sqlite3_stmt *st = NULL;
	ck_assert_int_eq(sqlite3_prepare_v2(l->db, "EXPLAIN QUERY PLAN SELECT id FROM event WHERE unit=?1 AND " BZ_KINDS_BY_UNIT
					    " ORDER BY effective, id",
					    -1, &st, NULL),
			 SQLITE_OK);
	bool uses = false;
	while (sqlite3_step(st) == SQLITE_ROW)
		uses = uses || strstr((const char *)sqlite3_column_text(st, 3), "event_unit") != NULL;
	sqlite3_finalize(st);
	ck_assert(uses);
	bz_change_iter *it = NULL;
	bz_change *c = NULL;
	ck_assert_bz(bz_unit_changes(&it, l, unit));
	int n = 0;
	while (bz_change_iter_next(&c, it) == BZ_OK && c) {
		n++;
		bz_change_free(c);
	}
	bz_change_iter_free(it);
	ck_assert_int_eq(n, one_int(l, "SELECT count(*) FROM event WHERE unit IS NOT NULL"));
	ck_assert_int_ge(n, 3);

	/* a commit of several records after the migration: its last record alone carries the hash, the chain holds */
	bz_txn *t = tu_begin(l);
	ck_assert_bz(bz_txn_set_document(t, doc));
	ck_assert_bz(bz_establishment_set(t, unit, "XZ", 15, "2014-03-01"));
	ck_assert_bz(bz_establishment_set(t, unit, "ZFZX", 3, "2014-03-01"));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	ck_assert_int_eq(tu_count(l, "record_chain"), events + 2);
	ck_assert_int_eq(one_int(l, "SELECT count(*) FROM record_chain WHERE hash IS NOT NULL"), txns + 1);
	ck_assert_int_eq(one_int(l, hash_inside_sql), 0);
	ck_assert_bz(bz_ledger_verify(&r, l, seq, head));
	ck_assert_uint_eq(bz_report_count(r), 0);
	bz_report_free(r);

	/* a record inside a transaction (no hash of its own) altered behind the library: found, and only it */
	long long inside = one_int(l, "SELECT min(c.seq) FROM record_chain c JOIN fact f ON f.event=c.seq WHERE c.hash IS NULL");
	ck_assert_int_gt(inside, 0);
	char sql[200];
	snprintf(sql, sizeof sql, "DROP TRIGGER fact_no_update; UPDATE fact SET after=after || '（改）' WHERE event=%lld", inside);
	ck_assert_int_eq(raw_exec(path, sql), SQLITE_OK);
	for (int against = 0; against < 2; against++) {
		ck_assert_bz(bz_ledger_verify(&r, l, against ? seq : 0, against ? head : NULL));
		ck_assert_uint_eq(bz_report_count(r), 1);
		const bz_violation *f = bz_report_get(r, 0);
		ck_assert_int_eq(bz_violation_rule(f), BZ_RULE_INTEGRITY);
		ck_assert_str_eq(bz_violation_category(f), "CHAIN");
		ck_assert_int_eq(bz_violation_actual(f), inside);
		ck_assert_msg(strncmp(bz_violation_message(f), "altered:", 8) == 0, "%s", bz_violation_message(f));
		ck_assert_ptr_nonnull(strstr(bz_violation_message(f), "its facts"));
		bz_report_free(r);
	}
	bz_free(head);
	ck_assert_bz(bz_ledger_close(l));
	/* the rebuilt chain table is append-only */
	ck_assert_int_ne(raw_exec(path, "UPDATE record_chain SET hash=NULL"), SQLITE_OK);
	ck_assert_int_ne(raw_exec(path, "DELETE FROM record_chain"), SQLITE_OK);
	tu_rm(path);
}
END_TEST

/* whether the plan SQLite makes for sql names text (an index) */
static bool plan_uses(bz_ledger *l, const char *sql, const char *text)
{
	char q[1024];
	snprintf(q, sizeof q, "EXPLAIN QUERY PLAN %s", sql);
	sqlite3_stmt *st = NULL;
	ck_assert_int_eq(sqlite3_prepare_v2(l->db, q, -1, &st, NULL), SQLITE_OK);
	bool uses = false;
	while (sqlite3_step(st) == SQLITE_ROW)
		uses = uses || strstr((const char *)sqlite3_column_text(st, 3), text) != NULL;
	sqlite3_finalize(st);
	return uses;
}

/* schema 11 (the self-inspection, issue 10): a ledger of schema 10 gets event_kind, the records by
 * kind less those each hire writes (a person's registration, an entry into a post); the
 * self-inspection's statements for a few kinds search it, a commit's keep their transaction's
 * rowid range; nothing else changes, and the check finds the same */
START_TEST(migrates_version_10)
{
	const char *p = tu_tmpfile("v10");
	char path[256], unit[BZ_UUID_LEN + 1], doc[BZ_UUID_LEN + 1];
	strcpy(path, p);
	bz_ledger *l = NULL;
	ck_assert_bz(bz_ledger_open(&l, path, BZ_OPEN_CREATE));
	ck_assert_bz(bz_ledger_set_clock(l, "2014-06-01"));
	few_transactions(l, unit, doc);
	bz_txn *t = tu_begin(l);
	ck_assert_bz(bz_person_register(NULL, t, "11010519491231002x", "张三", 0, NULL));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	long long events = tu_count(l, "event");
	long long hires = one_int(l, "SELECT count(*) FROM event WHERE kind IN ('person.register','placement.enter',"
				     "'placement.transfer_in')");
	ck_assert_int_eq(hires, 1);
	bz_report *r = NULL;
	ck_assert_bz(bz_ledger_check(&r, l, "2014-06-01"));
	size_t found = bz_report_count(r);
	bz_report_free(r);
	ck_assert(schema_has(l, "event_kind", "ON event(kind) WHERE " BZ_KINDS_BY_KIND));
	ck_assert_bz(bz_ledger_close(l));
	/* the ledger as schema 10 left it */
	ck_assert_int_eq(raw_exec(path, "DROP INDEX event_kind; PRAGMA user_version=10"), SQLITE_OK);
	ck_assert_int_eq(raw_int(path, "SELECT count(*) FROM sqlite_schema WHERE name='event_kind'"), 0);

	l = reopen_migrated(path);
	ck_assert_int_eq(tu_count(l, "event"), events);
	ck_assert(schema_has(l, "event_kind", "ON event(kind) WHERE " BZ_KINDS_BY_KIND));
	/* every record but the hire's in it, and only those */
	ck_assert_int_eq(one_int(l, "SELECT count(*) FROM event INDEXED BY event_kind WHERE " BZ_KINDS_BY_KIND),
			 events - hires);
	ck_assert_int_eq(one_int(l, "SELECT count(*) FROM event INDEXED BY event_kind WHERE " BZ_KINDS_BY_KIND
				    " AND kind='person.register'"),
			 0);
	/* the inspection's reading of a kind searches it; a commit's stays in its transaction's range */
	ck_assert(plan_uses(l, "SELECT e.id FROM event e WHERE e.effective<=?2 AND e." BZ_KINDS_BY_KIND
			       " AND e.kind='leadership.set' ORDER BY e.id", "event_kind (kind=?)"));
	ck_assert(!plan_uses(l, "SELECT e.id FROM event e WHERE e.id>=?3 AND e.txn=?1 AND e.kind='leadership.set'"
				" ORDER BY e.id", "event_kind"));
	ck_assert(plan_uses(l, "SELECT e.id FROM event e WHERE e.id IN (SELECT id FROM event WHERE kind LIKE"
			       " 'registration.%' AND " BZ_KINDS_BY_KIND ") ORDER BY e.id", "event_kind"));
	/* the same findings, and a commit after it indexes its records by the same rule */
	ck_assert_bz(bz_ledger_check(&r, l, "2014-06-01"));
	ck_assert_uint_eq(bz_report_count(r), found);
	bz_report_free(r);
	t = tu_begin(l);
	ck_assert_bz(bz_txn_set_document(t, doc));
	ck_assert_bz(bz_establishment_set(t, unit, "XZ", 15, "2014-03-01"));
	ck_assert_bz(bz_person_register(NULL, t, "110105198001010016", "李四", 0, NULL));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	ck_assert_int_eq(one_int(l, "SELECT count(*) FROM event INDEXED BY event_kind WHERE " BZ_KINDS_BY_KIND),
			 one_int(l, "SELECT count(*) FROM event WHERE " BZ_KINDS_BY_KIND));
	ck_assert_int_eq(one_int(l, "SELECT count(*) FROM event INDEXED BY event_kind WHERE " BZ_KINDS_BY_KIND
				    " AND kind='establishment.set'"),
			 3);
	ck_assert_int_eq(one_int(l, "SELECT count(*) FROM event WHERE kind='person.register'"), 2);
	ck_assert_bz(bz_ledger_close(l));
	tu_rm(path);
}
END_TEST

/* the file's bytes after its first line (the header: the export's time), malloc'd */
static char *export_body(const char *path)
{
	FILE *f = fopen(path, "rb");
	ck_assert_ptr_nonnull(f);
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap);
	ck_assert_ptr_nonnull(buf);
	size_t got;
	while ((got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
		n += got;
		if (n + 1 == cap) {
			cap *= 2;
			buf = realloc(buf, cap);
			ck_assert_ptr_nonnull(buf);
		}
	}
	fclose(f);
	buf[n] = '\0';
	char *nl = strchr(buf, '\n');
	ck_assert_ptr_nonnull(nl);
	memmove(buf, nl + 1, strlen(nl + 1) + 1);
	return buf;
}

/* every change record's kind, subject and attributes (name, before, after) as the readers give them */
static char *changes_dump(bz_ledger *l)
{
	size_t cap = 1 << 16, n = 0;
	char *out = malloc(cap);
	ck_assert_ptr_nonnull(out);
	out[0] = '\0';
	bz_change_iter *it = NULL;
	ck_assert_bz(bz_changes_since(&it, l, 0));
	bz_change *c = NULL;
	int rc;
	while ((rc = bz_change_iter_next(&c, it)) == BZ_OK) {
		char line[1024];
		int k = snprintf(line, sizeof line, "%lld %s %s:", (long long)bz_change_seq(c), bz_change_kind(c),
				 bz_change_subject(c));
		for (size_t i = 0; i < bz_change_attr_count(c); i++)
			k += snprintf(line + k, sizeof line - (size_t)k, " %s=%s>%s", bz_change_attr_name(c, i),
				      bz_change_attr_before(c, i) ? bz_change_attr_before(c, i) : "(null)",
				      bz_change_attr_after(c, i) ? bz_change_attr_after(c, i) : "(null)");
		snprintf(line + k, sizeof line - (size_t)k, "\n");
		if (n + strlen(line) + 1 > cap) {
			cap *= 2;
			out = realloc(out, cap);
			ck_assert_ptr_nonnull(out);
		}
		memcpy(out + n, line, strlen(line) + 1);
		n += strlen(line);
		bz_change_free(c);
		c = NULL;
	}
	ck_assert_int_eq(rc, BZ_ITEROVER);
	bz_change_iter_free(it);
	return out;
}

static void clean_verify(bz_ledger *l, int64_t seq, const char *head)
{
	bz_report *r = NULL;
	ck_assert_bz(bz_ledger_verify(&r, l, seq, head));
	ck_assert_uint_eq(bz_report_count(r), 0);
	bz_report_free(r);
}

/* a new ledger at path (few_transactions), then 李四 (a) and 张三 (b) registered and hired in one transaction on a
 * slip of two posts */
static bz_ledger *two_hired(const char *path, char unit[BZ_UUID_LEN + 1], char doc[BZ_UUID_LEN + 1],
			    char a[BZ_UUID_LEN + 1], char b[BZ_UUID_LEN + 1])
{
	bz_ledger *l = NULL;
	ck_assert_bz(bz_ledger_open(&l, path, BZ_OPEN_CREATE));
	ck_assert_bz(bz_ledger_set_clock(l, "2014-06-01"));
	few_transactions(l, unit, doc);
	bz_txn *t = tu_begin(l);
	ck_assert_bz(bz_txn_set_document(t, doc));
	bz_slip *s = NULL;
	ck_assert_bz(bz_slip_issue(&s, t, unit, "XZ", 2, BZ_PURPOSE_RECRUIT, "2014-03-01", "2014-12-31", NULL));
	char slip[BZ_UUID_LEN + 1];
	memcpy(slip, bz_slip_uuid(s), sizeof slip);
	bz_slip_free(s);
	bz_person *p = NULL;
	ck_assert_bz(bz_person_register(&p, t, "110105198001010016", "李四", 0, NULL));
	memcpy(a, bz_person_uuid(p), BZ_UUID_LEN + 1);
	bz_person_free(p);
	ck_assert_bz(bz_person_register(&p, t, "11010519491231002x", "张三", 0, NULL));
	memcpy(b, bz_person_uuid(p), BZ_UUID_LEN + 1);
	bz_person_free(p);
	ck_assert_bz(bz_placement_enter(NULL, t, a, unit, "XZ", slip, BZ_ENTRY_RECRUIT, "2014-04-01"));
	ck_assert_bz(bz_placement_enter(NULL, t, b, unit, "XZ", slip, BZ_ENTRY_RECRUIT, "2014-04-02"));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	return l;
}

/* schema 12 (issue 10): the management card held once. A first entry writes
 * its card row naming the entering record (card.event) and no fact `card`;
 * a ledger of schema 11, whose cards have their fact, keeps them as they are
 * (append-only), and every reader sees the same either way: the records'
 * digests (verify, the head signed off), Table 2's attributes, the export's
 * bytes; a card issued after the migration is held once, and an import of
 * an export that carries cards as facts holds them once too */
START_TEST(migrates_version_11)
{
	TU_SQLITE_ONLY("takes a file back to schema 11 behind the library's back");
	char path[256], xnew[300], xold[300], ximp[300], unit[BZ_UUID_LEN + 1], doc[BZ_UUID_LEN + 1];
	char a[BZ_UUID_LEN + 1], b[BZ_UUID_LEN + 1], slip[BZ_UUID_LEN + 1];
	strcpy(path, tu_tmpfile("v11"));
	snprintf(xnew, sizeof xnew, "%s.new.jsonl", path);
	snprintf(xold, sizeof xold, "%s.old.jsonl", path);
	bz_ledger *l = two_hired(path, unit, doc, a, b);
	bz_txn *t = NULL;
	bz_slip *s = NULL;
	bz_person *p = NULL;
	/* held once: no fact, the row names the entering record */
	ck_assert_int_eq(one_int(l, "SELECT count(*) FROM fact WHERE attr='card'"), 0);
	ck_assert_int_eq(one_int(l, "SELECT count(*) FROM card c JOIN placement p ON p.person=c.person AND p.event=c.event"
				    " JOIN event e ON e.id=c.event AND e.kind='placement.enter' AND e.effective=c.issued"),
			 2);
	char *head = NULL;
	int64_t seq = 0;
	ck_assert_bz(bz_ledger_head_hash(&head, &seq, l));
	clean_verify(l, seq, head);
	char *dump = changes_dump(l);
	ck_assert_ptr_nonnull(strstr(dump, " card=(null)>621202-000001\n"));
	ck_assert_ptr_nonnull(strstr(dump, " card=(null)>621202-000002\n"));
	ck_assert_bz(bz_ledger_export(NULL, l, xnew, NULL));
	ck_assert_bz(bz_ledger_close(l));

	/* the ledger as schema 11 left it: each card a fact of its entering record, the row without event */
	ck_assert_int_eq(raw_exec(path, "INSERT INTO fact(event, subject, attr, effective, before, after)"
					" SELECT event, person, 'card', issued, NULL, number FROM card ORDER BY event;"
					"CREATE TABLE card_11(number TEXT PRIMARY KEY, person TEXT NOT NULL UNIQUE REFERENCES person(id),"
					" issued TEXT NOT NULL, prefix TEXT NOT NULL);"
					"INSERT INTO card_11 SELECT number, person, issued, prefix FROM card;"
					"DROP TABLE card; ALTER TABLE card_11 RENAME TO card;"
					"CREATE INDEX card_seq ON card(prefix, CAST(substr(number, 8) AS INTEGER));"
					"PRAGMA user_version=11"),
			 SQLITE_OK);
	ck_assert_int_eq(raw_int(path, "SELECT count(*) FROM pragma_table_info('card') WHERE name='event'"), 0);

	l = reopen_migrated(path);
	/* nothing rewritten: the old cards keep their facts and have no event */
	ck_assert_int_eq(one_int(l, "SELECT count(*) FROM fact WHERE attr='card'"), 2);
	ck_assert_int_eq(one_int(l, "SELECT count(*) FROM card WHERE event IS NULL"), 2);
	/* the same chain (the head signed off before verifies), the same Table 2, the same export */
	clean_verify(l, seq, head);
	char *head2 = NULL;
	int64_t seq2 = 0;
	ck_assert_bz(bz_ledger_head_hash(&head2, &seq2, l));
	ck_assert_int_eq(seq2, seq);
	ck_assert_str_eq(head2, head);
	bz__free(head2);
	char *dump2 = changes_dump(l);
	ck_assert_str_eq(dump2, dump);
	free(dump2);
	ck_assert_bz(bz_ledger_export(NULL, l, xold, NULL));
	char *bn = export_body(xnew), *bo = export_body(xold);
	ck_assert_str_eq(bo, bn);
	free(bo);

	/* a card issued after the migration is held once; the chain goes on intact over both */
	t = tu_begin(l);
	ck_assert_bz(bz_txn_set_document(t, doc));
	ck_assert_bz(bz_person_register(&p, t, "110105198505050011", "王五", 0, NULL));
	memcpy(a, bz_person_uuid(p), sizeof a);
	bz_person_free(p);
	ck_assert_bz(bz_slip_issue(&s, t, unit, "XZ", 1, BZ_PURPOSE_RECRUIT, "2014-04-20", "2014-12-31", NULL));
	memcpy(slip, bz_slip_uuid(s), sizeof slip);
	bz_slip_free(s);
	ck_assert_bz(bz_placement_enter(NULL, t, a, unit, "XZ", slip, BZ_ENTRY_RECRUIT, "2014-05-01"));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	ck_assert_int_eq(one_int(l, "SELECT count(*) FROM fact WHERE attr='card'"), 2);
	ck_assert_int_eq(one_int(l, "SELECT count(*) FROM card c JOIN placement p ON p.event=c.event AND p.person=c.person"
				    " WHERE c.number='621202-000003' AND c.issued='2014-05-01'"),
			 1);
	clean_verify(l, 0, NULL);
	dump2 = changes_dump(l);
	ck_assert_ptr_nonnull(strstr(dump2, " card=(null)>621202-000003\n"));
	free(dump2);
	ck_assert_bz(bz_ledger_close(l));

	/* an export that carries the cards as facts (either file: the same bytes) imports them held once */
	strcpy(ximp, tu_tmpfile("v11imp"));
	ck_assert_bz(bz_ledger_open(&l, ximp, BZ_OPEN_CREATE));
	ck_assert_bz(bz_ledger_set_clock(l, "2014-06-01"));
	ck_assert_bz(bz_ledger_import(NULL, l, xold, 0));
	ck_assert_int_eq(one_int(l, "SELECT count(*) FROM fact WHERE attr='card'"), 0);
	ck_assert_int_eq(one_int(l, "SELECT count(*) FROM card c JOIN placement p ON p.person=c.person AND p.event=c.event"),
			 2);
	clean_verify(l, 0, NULL);
	/* its records read as the file has them: exported again, the same records (the header aside) */
	char again[320];
	snprintf(again, sizeof again, "%s.again.jsonl", ximp);
	ck_assert_bz(bz_ledger_export(NULL, l, again, NULL));
	char *ba = export_body(again);
	ck_assert_ptr_nonnull(strstr(ba, "\"attr\":\"card\""));
	free(ba);
	dump2 = changes_dump(l);
	ck_assert_ptr_nonnull(strstr(dump2, " card=(null)>621202-000001\n"));
	ck_assert_ptr_nonnull(strstr(dump2, " card=(null)>621202-000002\n"));
	free(dump2);
	ck_assert_bz(bz_ledger_close(l));
	free(bn);
	free(dump);
	bz__free(head);
	unlink(xnew);
	unlink(xold);
	unlink(again);
	tu_rm(ximp);
	tu_rm(path);
}
END_TEST

/* one subject's Table 2 (bz_subject_changes): seq, kind, date, attributes */
static void subject_dump(bz_ledger *l, const char *uuid, char *out, size_t cap)
{
	size_t n = 0;
	out[0] = '\0';
	bz_change_iter *it = NULL;
	ck_assert_bz(bz_subject_changes(&it, l, uuid));
	bz_change *c = NULL;
	int rc;
	while ((rc = bz_change_iter_next(&c, it)) == BZ_OK) {
		n += (size_t)snprintf(out + n, cap - n, "%lld %s %s %s:", (long long)bz_change_seq(c), bz_change_kind(c),
				      bz_change_subject(c), bz_change_effective(c));
		for (size_t i = 0; i < bz_change_attr_count(c); i++)
			n += (size_t)snprintf(out + n, cap - n, " %s=%s", bz_change_attr_name(c, i),
					      bz_change_attr_after(c, i) ? bz_change_attr_after(c, i) : "(null)");
		n += (size_t)snprintf(out + n, cap - n, "\n");
		ck_assert_uint_lt(n, cap);
		bz_change_free(c);
		c = NULL;
	}
	ck_assert_int_eq(rc, BZ_ITEROVER);
	bz_change_iter_free(it);
}

/* every person's row names its registration record, the first of its subject */
static const char registered_sql[] =
	"SELECT count(*) FROM person p JOIN event e ON e.id=p.event AND e.kind='person.register' AND e.subject=p.id"
	" WHERE e.id=(SELECT min(id) FROM event WHERE subject=p.id)";

/* schema 13 (issue 10): a person's registration found by its person. A
 * registration names no unit, and its subject's Table 2 found it through
 * event_subject; now the person's row names it (person.event) and the index
 * leaves it out, so a hire writes no entry into either event index's
 * person side. A ledger of schema 12 gets the column filled from its
 * records, and every reader sees the same: a person's Table 2, the change
 * feed, the export's bytes, the chain; registrations after the migration
 * and an import are found the same way */
START_TEST(migrates_version_12)
{
	TU_SQLITE_ONLY("takes a file back to schema 12 behind the library's back");
	char path[256], xnew[300], xold[300], ximp[300], unit[BZ_UUID_LEN + 1], doc[BZ_UUID_LEN + 1];
	char a[BZ_UUID_LEN + 1], b[BZ_UUID_LEN + 1];
	static char da[4096], db[4096], da2[4096], db2[4096];
	strcpy(path, tu_tmpfile("v12"));
	snprintf(xnew, sizeof xnew, "%s.new.jsonl", path);
	snprintf(xold, sizeof xold, "%s.old.jsonl", path);
	bz_ledger *l = two_hired(path, unit, doc, a, b);
	bz_person *p = NULL;
	/* a record of b's after its registration, found through event_subject */
	bz_txn *t = tu_begin(l);
	ck_assert_bz(bz_person_set_attr(t, b, "education", "本科", "2014-05-01"));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	/* the rows name their registrations, and the index holds none */
	ck_assert_int_eq(one_int(l, "SELECT count(*) FROM person"), 2);
	ck_assert_int_eq(one_int(l, registered_sql), 2);
	ck_assert(schema_has(l, "event_subject", "WHERE kind NOT IN ('person.register','placement.enter','placement.transfer_in')"));
	subject_dump(l, a, da, sizeof da);
	subject_dump(l, b, db, sizeof db);
	ck_assert_msg(strstr(da, " person.register ") == strchr(da, ' ') && strstr(db, " person.register "), "%s%s", da, db);
	ck_assert_ptr_nonnull(strstr(db, " person.attr "));
	char *head = NULL;
	int64_t seq = 0;
	ck_assert_bz(bz_ledger_head_hash(&head, &seq, l));
	char *dump = changes_dump(l);
	ck_assert_bz(bz_ledger_export(NULL, l, xnew, NULL));
	ck_assert_bz(bz_ledger_close(l));

	/* the ledger as schema 12 left it: person without event, the registrations in event_subject */
	ck_assert_int_eq(raw_exec(path, "CREATE TABLE person_12(id TEXT PRIMARY KEY, id_number TEXT NOT NULL UNIQUE,"
					" name TEXT NOT NULL, sex INTEGER NOT NULL, birth TEXT NOT NULL);"
					"INSERT INTO person_12 SELECT id, id_number, name, sex, birth FROM person;"
					"DROP TABLE person; ALTER TABLE person_12 RENAME TO person;"
					"DROP INDEX event_subject; CREATE INDEX event_subject ON event(subject, effective)"
					" WHERE kind NOT IN ('placement.enter','placement.transfer_in');"
					"PRAGMA user_version=12"),
			 SQLITE_OK);
	ck_assert_int_eq(raw_int(path, "SELECT count(*) FROM pragma_table_info('person') WHERE name='event'"), 0);

	l = reopen_migrated(path);
	ck_assert_int_eq(one_int(l, registered_sql), 2);
	ck_assert(schema_has(l, "event_subject", "WHERE kind NOT IN ('person.register','placement.enter','placement.transfer_in')"));
	/* the same Table 2 of each person, the same feed, the same export, the same chain */
	subject_dump(l, a, da2, sizeof da2);
	subject_dump(l, b, db2, sizeof db2);
	ck_assert_str_eq(da2, da);
	ck_assert_str_eq(db2, db);
	char *dump2 = changes_dump(l);
	ck_assert_str_eq(dump2, dump);
	free(dump2);
	ck_assert_bz(bz_ledger_export(NULL, l, xold, NULL));
	char *bn = export_body(xnew), *bo = export_body(xold);
	ck_assert_str_eq(bo, bn);
	free(bo);
	free(bn);
	clean_verify(l, seq, head);

	/* a registration after the migration is found by its row */
	t = tu_begin(l);
	ck_assert_bz(bz_txn_set_document(t, doc));
	ck_assert_bz(bz_person_register(&p, t, "110105198505050011", "王五", 0, NULL));
	memcpy(a, bz_person_uuid(p), sizeof a);
	bz_person_free(p);
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	ck_assert_int_eq(one_int(l, registered_sql), 3);
	subject_dump(l, a, da2, sizeof da2);
	ck_assert_ptr_nonnull(strstr(da2, " person.register "));
	clean_verify(l, 0, NULL);
	unlink(xnew);
	ck_assert_bz(bz_ledger_export(NULL, l, xnew, NULL));
	ck_assert_bz(bz_ledger_close(l));

	/* an import names each new person's registration record too: the same Table 2 there */
	strcpy(ximp, tu_tmpfile("v12imp"));
	ck_assert_bz(bz_ledger_open(&l, ximp, BZ_OPEN_CREATE));
	ck_assert_bz(bz_ledger_set_clock(l, "2014-06-01"));
	ck_assert_bz(bz_ledger_import(NULL, l, xnew, 0));
	ck_assert_int_eq(one_int(l, "SELECT count(*) FROM person WHERE event IS NULL"), 0);
	ck_assert_int_eq(one_int(l, registered_sql), 3);
	subject_dump(l, b, db2, sizeof db2);
	ck_assert_int_eq(strlen(db2) > 0, 1);
	ck_assert_ptr_nonnull(strstr(db2, " person.register "));
	ck_assert_ptr_nonnull(strstr(db2, " person.attr "));
	clean_verify(l, 0, NULL);
	ck_assert_bz(bz_ledger_close(l));
	free(dump);
	bz__free(head);
	unlink(xnew);
	unlink(xold);
	tu_rm(ximp);
	tu_rm(path);
}
END_TEST

/* a unit's Table 2 as bz_unit_changes gives it: each record's number, kind, subject, date, document and
 * attributes, in its order (malloc'd) */
static char *unit_dump(bz_ledger *l, const char *unit)
{
	size_t cap = 1 << 14, n = 0;
	char *out = malloc(cap);
	ck_assert_ptr_nonnull(out);
	out[0] = '\0';
	bz_change_iter *it = NULL;
	ck_assert_bz(bz_unit_changes(&it, l, unit));
	bz_change *c = NULL;
	int rc;
	while ((rc = bz_change_iter_next(&c, it)) == BZ_OK) {
		char line[1024];
		int k = snprintf(line, sizeof line, "%lld %s %s %s %s %s:", (long long)bz_change_seq(c), bz_change_kind(c),
				 bz_change_subject(c), bz_change_unit(c) ? bz_change_unit(c) : "-", bz_change_effective(c),
				 bz_change_document_number(c) ? bz_change_document_number(c) : "-");
		for (size_t i = 0; i < bz_change_attr_count(c); i++)
			k += snprintf(line + k, sizeof line - (size_t)k, " %s=%s>%s", bz_change_attr_name(c, i),
				      bz_change_attr_before(c, i) ? bz_change_attr_before(c, i) : "(null)",
				      bz_change_attr_after(c, i) ? bz_change_attr_after(c, i) : "(null)");
		snprintf(line + k, sizeof line - (size_t)k, "\n");
		if (n + strlen(line) + 1 > cap) {
			cap *= 2;
			out = realloc(out, cap);
			ck_assert_ptr_nonnull(out);
		}
		memcpy(out + n, line, strlen(line) + 1);
		n += strlen(line);
		bz_change_free(c);
		c = NULL;
	}
	ck_assert_int_eq(rc, BZ_ITEROVER);
	bz_change_iter_free(it);
	return out;
}

/* the entries of event_unit, counted on its pages (an index's every entry is a cell of one page) */
static long long event_unit_entries(bz_ledger *l)
{
	return one_int(l, "SELECT sum(ncell) FROM dbstat WHERE name='event_unit'");
}

/* the whole of a small file (malloc'd) */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "%s", path);
	ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
	long size = ftell(f);
	ck_assert_int_ge(size, 0);
	rewind(f);
	char *buf = malloc((size_t)size + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(fread(buf, 1, (size_t)size, f), (size_t)size);
	buf[size] = '\0';
	fclose(f);
	return buf;
}

/* the check's findings, one line each (malloc'd) */
static char *check_dump(bz_ledger *l, const char *date)
{
	bz_report *r = NULL;
	ck_assert_bz(bz_ledger_check(&r, l, date));
	size_t cap = 1 << 14, n = 0;
	char *out = malloc(cap);
	ck_assert_ptr_nonnull(out);
	out[0] = '\0';
	for (size_t i = 0; i < bz_report_count(r); i++) {
		const bz_violation *v = bz_report_get(r, i);
		char line[1024];
		snprintf(line, sizeof line, "%d %s %s %lld %lld %s\n", (int)bz_violation_rule(v), bz_violation_subject(v),
			 bz_violation_date(v) ? bz_violation_date(v) : "-", (long long)bz_violation_allowed(v),
			 (long long)bz_violation_actual(v), bz_violation_message(v));
		if (n + strlen(line) + 1 > cap) {
			cap *= 2;
			out = realloc(out, cap);
			ck_assert_ptr_nonnull(out);
		}
		memcpy(out + n, line, strlen(line) + 1);
		n += strlen(line);
	}
	bz_report_free(r);
	return out;
}

/* schema 14 (issue 10): the entries into a post out of event_unit. A ledger
 * of schema 13, whose event_unit holds every record with a unit, gets the
 * index without the entries (placement.enter, placement.transfer_in: found
 * by their placement); every entry the library wrote names its record the
 * way the readers rely on (placement.event the record, its unit and date the
 * placement's); each unit's Table 2, the jurisdiction's export, the unit's
 * archive and the check are the same before and after, in the same order;
 * and a hire after it writes no event_unit entry */
START_TEST(migrates_version_13)
{
	TU_SQLITE_ONLY("takes a file back to schema 13 behind the library's back");
	char path[256], xbefore[300], xafter[300], abefore[300], aafter[300];
	char unit[BZ_UUID_LEN + 1], doc[BZ_UUID_LEN + 1], second[BZ_UUID_LEN + 1], hiredoc[BZ_UUID_LEN + 1];
	char slip[BZ_UUID_LEN + 1], a[BZ_UUID_LEN + 1], b[BZ_UUID_LEN + 1], c3[BZ_UUID_LEN + 1];
	strcpy(path, tu_tmpfile("v13"));
	snprintf(xbefore, sizeof xbefore, "%s.before.jsonl", path);
	snprintf(xafter, sizeof xafter, "%s.after.jsonl", path);
	snprintf(abefore, sizeof abefore, "%s.before.archive", path);
	snprintf(aafter, sizeof aafter, "%s.after.archive", path);
	bz_ledger *l = NULL;
	ck_assert_bz(bz_ledger_open(&l, path, BZ_OPEN_CREATE));
	ck_assert_bz(bz_ledger_set_clock(l, "2014-12-01"));
	few_transactions(l, unit, doc);
	/* a second unit, and the document the hires rest on: cited by entries and transfers only */
	bz_txn *t = tu_begin(l);
	ck_assert_bz(bz_txn_set_document(t, doc));
	bz_unit_spec *s = NULL;
	ck_assert_bz(bz_unit_spec_new(&s));
	ck_assert_bz(bz_unit_spec_set_name(s, "武都区财政局"));
	ck_assert_bz(bz_unit_spec_set_nature(s, BZ_NATURE_ORGAN));
	ck_assert_bz(bz_unit_spec_set_rank(s, BZ_RANK_ZHENGKE));
	ck_assert_bz(bz_unit_spec_set_jurisdiction(s, "621202"));
	ck_assert_bz(bz_unit_spec_set_founded(s, "2013-02-01"));
	bz_unit *u = NULL;
	ck_assert_bz(bz_unit_establish(&u, t, s));
	memcpy(second, bz_unit_uuid(u), sizeof second);
	bz_unit_free(u);
	bz_unit_spec_free(s);
	ck_assert_bz(bz_establishment_set(t, second, "XZ", 8, "2013-02-01"));
	bz_document *d = NULL;
	ck_assert_bz(bz_document_register(&d, t, "武都区机构编制委员会办公室", "武编办发〔2014〕9号", "关于进人的批复",
					  "2014-02-20", BZ_LEVEL_COUNTY, BZ_ISSUER_ESTABLISHMENT, "621202"));
	memcpy(hiredoc, bz_document_uuid(d), sizeof hiredoc);
	bz_document_free(d);
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	/* hires into the first unit, a unit record on the same day between them, a transfer to the second */
	t = tu_begin(l);
	ck_assert_bz(bz_txn_set_document(t, hiredoc));
	bz_slip *sl = NULL;
	ck_assert_bz(bz_slip_issue(&sl, t, unit, "XZ", 3, BZ_PURPOSE_RECRUIT, "2014-03-01", "2014-12-31", NULL));
	memcpy(slip, bz_slip_uuid(sl), sizeof slip);
	bz_slip_free(sl);
	bz_person *p = NULL;
	ck_assert_bz(bz_person_register(&p, t, "110105198001010016", "李四", 0, NULL));
	memcpy(a, bz_person_uuid(p), sizeof a);
	bz_person_free(p);
	ck_assert_bz(bz_person_register(&p, t, "11010519491231002x", "张三", 0, NULL));
	memcpy(b, bz_person_uuid(p), sizeof b);
	bz_person_free(p);
	ck_assert_bz(bz_placement_enter(NULL, t, a, unit, "XZ", slip, BZ_ENTRY_RECRUIT, "2014-04-01"));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	t = tu_begin(l);
	ck_assert_bz(bz_txn_set_document(t, doc));
	ck_assert_bz(bz_establishment_set(t, unit, "XZ", 15, "2014-04-01"));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	t = tu_begin(l);
	ck_assert_bz(bz_txn_set_document(t, hiredoc));
	ck_assert_bz(bz_placement_enter(NULL, t, b, unit, "XZ", slip, BZ_ENTRY_RECRUIT, "2014-04-01"));
	ck_assert_bz(bz_slip_issue(&sl, t, second, "XZ", 1, BZ_PURPOSE_TRANSFER_IN, "2014-08-01", "2014-12-31", NULL));
	char tslip[BZ_UUID_LEN + 1];
	memcpy(tslip, bz_slip_uuid(sl), sizeof tslip);
	bz_slip_free(sl);
	ck_assert_bz(bz_placement_transfer(NULL, t, a, second, "XZ", tslip, "2014-09-01"));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	long long entries = one_int(l, "SELECT count(*) FROM event WHERE kind IN ('placement.enter','placement.transfer_in')");
	ck_assert_int_eq(entries, 3);
	/* every entry the library wrote is its placement's record: the same unit and date, and the other way round */
	ck_assert_int_eq(one_int(l, "SELECT count(*) FROM placement p JOIN event e ON e.id=p.event AND e.subject=p.id"
				    " AND e.unit=p.unit AND e.effective=p.entry AND e.kind IN ('placement.enter','placement.transfer_in')"),
			 entries);
	ck_assert_int_eq(tu_count(l, "placement"), entries);
	long long with_unit = one_int(l, "SELECT count(*) FROM event WHERE unit IS NOT NULL");
	/* indexed since 14: every record with a unit but the entries, and only those */
	ck_assert(schema_has(l, "event_unit", "ON event(unit, effective) WHERE unit IS NOT NULL AND " BZ_KINDS_BY_UNIT));
	ck_assert_int_eq(event_unit_entries(l), with_unit - entries);
	char *t2a = unit_dump(l, unit), *t2b = unit_dump(l, second);
	/* Table 2 of the first unit: the entries among its other records by date, then record */
	ck_assert_ptr_nonnull(strstr(t2a, "placement.enter"));
	ck_assert_ptr_nonnull(strstr(t2b, "placement.transfer_in"));
	ck_assert_ptr_nonnull(strstr(t2b, "武编办发〔2014〕9号"));
	char *ck = check_dump(l, "2014-12-01");
	ck_assert_bz(bz_ledger_export(NULL, l, xbefore, "621202"));
	int64_t files = 0;
	ck_assert_bz(bz_archive_export(&files, l, abefore, second, NULL, NULL, 0));
	ck_assert_bz(bz_ledger_close(l));

	/* the ledger as schema 13 left it: every record with a unit in event_unit */
	ck_assert_int_eq(raw_exec(path, "DROP INDEX event_unit;"
					"CREATE INDEX event_unit ON event(unit, effective) WHERE unit IS NOT NULL;"
					"PRAGMA user_version=13"),
			 SQLITE_OK);
	ck_assert_int_eq(raw_int(path, "SELECT sum(ncell) FROM dbstat WHERE name='event_unit'"), with_unit);

	ck_assert_bz(bz_ledger_open(&l, path, 0));
	ck_assert_bz(bz_ledger_set_clock(l, "2014-12-01"));
	int v = 0;
	ck_assert_bz(bz_ledger_schema_version(&v, l));
	ck_assert_int_eq(v, BZ_SCHEMA_VERSION);
	ck_assert(schema_has(l, "event_unit", "ON event(unit, effective) WHERE unit IS NOT NULL AND " BZ_KINDS_BY_UNIT));
	ck_assert_int_eq(event_unit_entries(l), with_unit - entries);
	/* the readers by unit search it, stating its condition; the entries come by placement_unit */
	ck_assert(plan_uses(l, "SELECT id FROM event WHERE unit=?1 AND " BZ_KINDS_BY_UNIT " ORDER BY effective, id",
			    "event_unit"));
	ck_assert(!plan_uses(l, "SELECT id FROM event WHERE unit=?1 ORDER BY effective, id", "event_unit"));
	/* the same Table 2 of each unit, record for record in the same order; the same findings, export and archive */
	char *again = unit_dump(l, unit);
	ck_assert_str_eq(again, t2a);
	free(again);
	again = unit_dump(l, second);
	ck_assert_str_eq(again, t2b);
	free(again);
	again = check_dump(l, "2014-12-01");
	ck_assert_str_eq(again, ck);
	free(again);
	ck_assert_bz(bz_ledger_export(NULL, l, xafter, "621202"));
	char *eb = export_body(xbefore), *ea = export_body(xafter);
	ck_assert_str_eq(ea, eb);
	ck_assert_ptr_nonnull(strstr(ea, "\"kind\":\"placement.transfer_in\""));
	free(ea);
	free(eb);
	int64_t files2 = 0;
	ck_assert_bz(bz_archive_export(&files2, l, aafter, second, NULL, NULL, 0));
	ck_assert_int_eq(files2, files);
	char ib[400], ia[400];
	snprintf(ib, sizeof ib, "%s/index.json", abefore);
	snprintf(ia, sizeof ia, "%s/index.json", aafter);
	char *jb = slurp(ib), *ja = slurp(ia);
	ck_assert_str_eq(ja, jb);
	ck_assert_ptr_nonnull(strstr(ja, "武编办发〔2014〕9号")); /* the second unit's only record of it is the transfer */
	free(ja);
	free(jb);

	/* a hire after the migration writes no event_unit entry; its record is in Table 2 all the same */
	long long before = event_unit_entries(l);
	t = tu_begin(l);
	ck_assert_bz(bz_txn_set_document(t, hiredoc));
	ck_assert_bz(bz_person_register(&p, t, "110105198505050011", "王五", 0, NULL));
	memcpy(c3, bz_person_uuid(p), sizeof c3);
	bz_person_free(p);
	ck_assert_bz(bz_slip_issue(&sl, t, second, "XZ", 1, BZ_PURPOSE_RECRUIT, "2014-09-15", "2014-12-31", NULL));
	memcpy(slip, bz_slip_uuid(sl), sizeof slip);
	bz_slip_free(sl);
	ck_assert_bz(bz_placement_enter(NULL, t, c3, second, "XZ", slip, BZ_ENTRY_RECRUIT, "2014-10-01"));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	ck_assert_int_eq(event_unit_entries(l), before + 1); /* the slip's issue, not the entry */
	ck_assert_int_eq(event_unit_entries(l), one_int(l, "SELECT count(*) FROM event WHERE unit IS NOT NULL")
							- one_int(l, "SELECT count(*) FROM placement"));
	again = unit_dump(l, second);
	ck_assert_uint_gt(strlen(again), strlen(t2b));
	ck_assert_int_eq(strncmp(again, t2b, strlen(t2b)), 0);
	ck_assert_ptr_nonnull(strstr(again + strlen(t2b), " placement.enter "));
	free(again);
	ck_assert_bz(bz_ledger_close(l));
	free(t2a);
	free(t2b);
	free(ck);
	unlink(xbefore);
	unlink(xafter);
	char rm[700];
	snprintf(rm, sizeof rm, "rm -rf '%s' '%s'", abefore, aafter);
	ck_assert_int_eq(system(rm), 0);
	tu_rm(path);
}
END_TEST

START_TEST(migrates_version_1)
{
	const char *p = tu_tmpfile("v1");
	char path[256];
	strcpy(path, p);
	bz_ledger *l = NULL;
	ck_assert_bz(bz_ledger_open(&l, path, BZ_OPEN_CREATE));
	ck_assert_bz(bz_ledger_close(l));
	sqlite3 *db;
	ck_assert_int_eq(raw_exec(path,
				      "DROP TABLE txn_id; DROP TABLE document_file; DROP TABLE file_hash; DROP TABLE file_blob; DROP TABLE document_tag;"
				      "DROP TABLE archive_category; DROP TABLE record_chain; DROP TABLE office; DROP TABLE unitcert_end; DROP TABLE unitcert;"
				      "DROP TABLE opening; DROP TABLE txn_origin; DROP TABLE event_origin;"
				      "DELETE FROM meta WHERE key='ledger';"
				      "DROP INDEX card_seq; CREATE INDEX card_prefix ON card(prefix);"
				      "DROP TABLE unit_name; CREATE INDEX fact_value ON fact(attr, after);"
				      "CREATE INDEX event_txn ON event(txn);"
				      "DROP TABLE tl; DROP TABLE counter;"
				      "CREATE TABLE tl(key TEXT NOT NULL, effective TEXT NOT NULL, value INTEGER NOT NULL,"
				      " PRIMARY KEY(key, effective)) WITHOUT ROWID;"
				      "INSERT INTO tl VALUES('U:u1:staff:XZ','2015-01-01',3),('U:u1:staff:XZ','2016-01-01',4),"
				      " ('J:j1:staff:1','2015-01-01',3);"
				      "INSERT INTO unit VALUES('u1','j1',NULL,'2010-01-01');"
				      "INSERT INTO event(txn, kind, subject, unit, effective) VALUES(1,'unit.establish','u1','u1','2010-01-01');"
				      "INSERT INTO fact(event, subject, attr, effective, before, after) SELECT max(id),'u1','name','2010-01-01',NULL,'武都区教育局' FROM event;"
				      "INSERT INTO event(txn, kind, subject, unit, effective) VALUES(1,'unit.rename','u1','u1','2015-01-01');"
				      "INSERT INTO fact(event, subject, attr, effective, before, after) SELECT max(id),'u1','name','2015-01-01','武都区教育局','武都区教育和体育局' FROM event;"
				      "INSERT INTO person(id, id_number, name, sex, birth) VALUES('p1','620102199001011234','甲',1,'1990-01-01');"
				      "INSERT INTO card(number, person, issued, prefix) VALUES('621202-000041','p1','2020-01-01','621202');"
				      "PRAGMA user_version=1"),
			 SQLITE_OK);
	ck_assert_bz(bz_ledger_open(&l, path, 0));
	int v = 0;
	ck_assert_bz(bz_ledger_schema_version(&v, l));
	ck_assert_int_eq(v, BZ_SCHEMA_VERSION);
	ck_assert_int_eq(v, BZ_SCHEMA_VERSION);
	/* the counters keep their values, now under the key's number */
	int64_t n = 0;
	ck_assert_bz(bz_tl_at(l, &n, "U:u1:staff:XZ", "2015-06-01"));
	ck_assert_int_eq(n, 3);
	ck_assert_bz(bz_tl_at(l, &n, "U:u1:staff:XZ", NULL));
	ck_assert_int_eq(n, 4);
	ck_assert_bz(bz_tl_at(l, &n, "J:j1:staff:1", NULL));
	ck_assert_int_eq(n, 3);
	ck_assert_int_eq(tu_count(l, "counter"), 2);
	ck_assert_int_eq(tu_count(l, "tl"), 3);
	ck_assert_bz(bz_ledger_close(l));
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_stmt *st;
	ck_assert_int_eq(sqlite3_prepare_v2(db,
					    "SELECT (SELECT count(*) FROM sqlite_schema WHERE name IN ('card_seq','unit_name'))"
					    "  + (SELECT count(*) FROM unit_name WHERE unit='u1'),"
					    " (SELECT count(*) FROM sqlite_schema WHERE name IN ('card_prefix','fact_value','event_txn')),"
					    " (SELECT number FROM card WHERE prefix='621202'"
					    "  ORDER BY CAST(substr(number, 8) AS INTEGER) DESC LIMIT 1)",
					    -1, &st, NULL),
			 SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	ck_assert_int_eq(sqlite3_column_int(st, 0), 2 + 2); /* both objects, and both names the unit bore */
	ck_assert_int_eq(sqlite3_column_int(st, 1), 0);
	ck_assert_str_eq((const char *)sqlite3_column_text(st, 2), "621202-000041");
	sqlite3_finalize(st);
	sqlite3_close(db);
	tu_rm(path);
}
END_TEST

START_TEST(invalid_arguments)
{
	bz_ledger *l = (bz_ledger *)0x1;
	ck_assert_int_eq(bz_ledger_open(NULL, ":memory:", 0), BZ_EINVAL);
	ck_assert_int_eq(bz_ledger_open(&l, NULL, 0), BZ_EINVAL);
	ck_assert_ptr_null(l);
	ck_assert_int_eq(bz_ledger_open(&l, "", 0), BZ_EINVAL);
	ck_assert_int_eq(bz_ledger_open(&l, "\xff\xfe", BZ_OPEN_CREATE), BZ_EINVAL);
	ck_assert_int_eq(bz_ledger_open(&l, ":memory:", 0x80), BZ_EINVAL);
	ck_assert_int_eq(bz_ledger_open(&l, ":memory:", 0x8), BZ_EINVAL);
	ck_assert_int_eq(bz_ledger_open(&l, ":memory:", BZ_OPEN_SYNC_NORMAL | BZ_OPEN_READONLY), BZ_EINVAL);
	ck_assert_int_eq(bz_ledger_open(&l, ":memory:", BZ_OPEN_CREATE | BZ_OPEN_READONLY), BZ_EINVAL);
	ck_assert_int_eq(bz_ledger_close(NULL), BZ_OK);
	ck_assert_ptr_nonnull(bz_ledger_errmsg(NULL));
	int v;
	ck_assert_int_eq(bz_ledger_schema_version(&v, NULL), BZ_EINVAL);
	ck_assert_int_eq(bz_ledger_set_clock(NULL, "2020-01-01"), BZ_EINVAL);
	l = tu_ledger();
	ck_assert_int_eq(bz_ledger_set_clock(l, "2023-02-29"), BZ_EINVAL);
	ck_assert_str_ne(bz_ledger_errmsg(l), "not an error");
	char buf[11];
	ck_assert_int_eq(bz_ledger_today(buf, 5, l), BZ_EINVAL);
	ck_assert_bz(bz_ledger_today(buf, sizeof buf, l));
	ck_assert_str_eq(buf, "2026-12-01");
	ck_assert_bz(bz_ledger_set_clock(l, NULL));
	ck_assert_bz(bz_ledger_today(buf, sizeof buf, l));
	ck_assert_int_eq(bz_date_valid(buf), BZ_OK);
	bz_ledger_close(l);
}
END_TEST

START_TEST(status_texts_and_version)
{
	const int codes[] = {BZ_OK, BZ_ERROR, BZ_EINVAL, BZ_ENOTFOUND, BZ_EEXISTS, BZ_ECONSTRAINT,
			     BZ_EBUSY, BZ_EIO, BZ_ENOMEM, BZ_EMISUSE, BZ_ENOTLEDGER, BZ_ESCHEMA,
			     BZ_ECORRUPT, BZ_ITEROVER};
	for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
		ck_assert_str_ne(bz_strerror(codes[i]), "unknown status");
		for (size_t j = 0; j < i; j++)
			ck_assert_str_ne(bz_strerror(codes[i]), bz_strerror(codes[j]));
	}
	ck_assert_str_eq(bz_strerror(-999), "unknown status");
	ck_assert_str_eq(bz_version(), BZ_VERSION_STRING);
	ck_assert_int_eq(bz_version_number(), BZ_VERSION_NUMBER);
	bz_free(NULL);
}
END_TEST

START_TEST(dates)
{
	ck_assert_int_eq(bz_date_valid("2024-02-29"), BZ_OK);
	ck_assert_int_eq(bz_date_valid("2000-02-29"), BZ_OK);
	ck_assert_int_eq(bz_date_valid("2023-02-29"), BZ_EINVAL);
	ck_assert_int_eq(bz_date_valid("1900-02-29"), BZ_EINVAL);
	ck_assert_int_eq(bz_date_valid("2023-13-01"), BZ_EINVAL);
	ck_assert_int_eq(bz_date_valid("2023-04-31"), BZ_EINVAL);
	ck_assert_int_eq(bz_date_valid("2023-4-1"), BZ_EINVAL);
	ck_assert_int_eq(bz_date_valid("2023/04/01"), BZ_EINVAL);
	ck_assert_int_eq(bz_date_valid("2023-04-01 "), BZ_EINVAL);
	ck_assert_int_eq(bz_date_valid(""), BZ_EINVAL);
	ck_assert_int_eq(bz_date_valid(NULL), BZ_EINVAL);
	char buf[11];
	bz_date_add_days(buf, "2024-02-28", 1);
	ck_assert_str_eq(buf, "2024-02-29");
	bz_date_add_days(buf, "2023-12-31", 1);
	ck_assert_str_eq(buf, "2024-01-01");
	bz_date_add_days(buf, "2024-03-01", -1);
	ck_assert_str_eq(buf, "2024-02-29");
}
END_TEST

START_TEST(utf8_and_uuid)
{
	ck_assert(bz_utf8_valid("陇南市机构编制委员会"));
	ck_assert(!bz_utf8_valid("\xc0\xaf"));         /* overlong */
	ck_assert(!bz_utf8_valid("\xed\xa0\x80"));     /* surrogate */
	ck_assert(!bz_utf8_valid("\xe9\x99"));         /* truncated */
	char u[37], v[37];
	bz_uuid_new(u);
	bz_uuid_new(v);
	ck_assert(bz_uuid_ok(u));
	ck_assert_str_ne(u, v);
	ck_assert_int_eq(strlen(u), 36);
	ck_assert(!bz_uuid_ok("not-a-uuid"));
}
END_TEST

/* the 48-bit millisecond and 12-bit step of a version-7 key, as one number */
static uint64_t uuid_time(const char *u)
{
	char hex[16] = {0};
	memcpy(hex, u, 8);
	memcpy(hex + 8, u + 9, 4);
	memcpy(hex + 12, u + 15, 3);
	return strtoull(hex, NULL, 16);
}

static int cmp_key(const void *a, const void *b)
{
	return strcmp((const char *)a, (const char *)b);
}

/* every key the library makes is a UUID of version 7 (RFC 9562): its time
 * is the clock's when made, keys made one after another never go back in
 * time (what makes their b-trees grow at the right edge), and 20,000 of
 * them made as fast as possible are all different */
START_TEST(keys_are_version_7_in_time_order)
{
	enum { N = 20000 };
	char (*k)[BZ_UUID_LEN + 1] = malloc(sizeof *k * N);
	ck_assert_ptr_nonnull(k);
	struct timespec t0, t1;
	clock_gettime(CLOCK_REALTIME, &t0);
	for (int i = 0; i < N; i++)
		bz_uuid_new(k[i]);
	clock_gettime(CLOCK_REALTIME, &t1);
	uint64_t ms0 = (uint64_t)t0.tv_sec * 1000u + (uint64_t)t0.tv_nsec / 1000000u;
	uint64_t ms1 = (uint64_t)t1.tv_sec * 1000u + (uint64_t)t1.tv_nsec / 1000000u;
	for (int i = 0; i < N; i++) {
		ck_assert_msg(bz_uuid_ok(k[i]), "%s", k[i]);
		ck_assert_int_eq(k[i][14], '7');
		ck_assert_ptr_nonnull(strchr("89ab", k[i][19]));
		uint64_t ms = uuid_time(k[i]) >> 12;
		ck_assert_msg(ms >= ms0 && ms <= ms1, "key %d: %s, %llu ms not within %llu … %llu", i, k[i],
			      (unsigned long long)ms, (unsigned long long)ms0, (unsigned long long)ms1);
		if (i > 0)
			ck_assert_msg(uuid_time(k[i]) >= uuid_time(k[i - 1]), "key %d went back in time: %s after %s",
				      i, k[i], k[i - 1]);
	}
	qsort(k, N, sizeof *k, cmp_key);
	for (int i = 1; i < N; i++)
		ck_assert_str_ne(k[i], k[i - 1]);
	free(k);
}
END_TEST

/* through the API: persons registered one after another have keys in that order */
START_TEST(registered_keys_sort_in_order_made)
{
	bz_ledger *l = tu_ledger();
	bz_txn *t = tu_begin(l);
	char prev[BZ_UUID_LEN + 1] = "";
	for (int i = 0; i < 50; i++) {
		static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
		char idn[19];
		snprintf(idn, sizeof idn, "62120219900101%03d", i);
		int sum = 0;
		for (int j = 0; j < 17; j++)
			sum += (idn[j] - '0') * w[j];
		idn[17] = "10X98765432"[sum % 11];
		idn[18] = '\0';
		bz_person *p = NULL;
		ck_assert_bz(bz_person_register(&p, t, idn, "某人", 0, NULL));
		ck_assert_int_eq(bz_person_uuid(p)[14], '7');
		ck_assert_msg(strncmp(bz_person_uuid(p), prev, 18) >= 0, "%s after %s", bz_person_uuid(p), prev);
		snprintf(prev, sizeof prev, "%s", bz_person_uuid(p));
		bz_person_free(p);
	}
	bz_txn_free(t);
	bz_ledger_close(l);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("ledger");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, open_memory_creates_schema);
	tcase_add_test(tc, keys_are_version_7_in_time_order);
	tcase_add_test(tc, registered_keys_sort_in_order_made);
	tcase_add_test(tc, open_file_then_reopen);
	tcase_add_test(tc, refuses_text_file);
	tcase_add_test(tc, refuses_foreign_sqlite_file);
	tcase_add_test(tc, refuses_newer_schema);
	tcase_add_test(tc, migrates_version_1);
	tcase_add_test(tc, invalid_arguments);
	tcase_add_test(tc, status_texts_and_version);
	tcase_add_test(tc, dates);
	tcase_add_test(tc, utf8_and_uuid);
	tcase_add_test(tc, migrates_version_2);
	tcase_add_test(tc, migrates_version_3);
	tcase_add_test(tc, migrates_version_4);
	tcase_add_test(tc, migrates_version_6);
	tcase_add_test(tc, migrates_version_7);
	tcase_add_test(tc, migrates_version_8);
	tcase_add_test(tc, migrates_version_9);
	tcase_add_test(tc, migrates_version_10);
	tcase_add_test(tc, migrates_version_11);
	tcase_add_test(tc, migrates_version_12);
	tcase_add_test(tc, migrates_version_13);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
