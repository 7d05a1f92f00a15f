/*
 * test_archive.c: the files behind the documents (archive.h) on a 武都区
 * ledger in a file — the signed scans of its documents attached, read back
 * and exported; identical bytes stored once; a file altered in the
 * database found by bz_files_verify, the self-inspection and every reader;
 * bad input refused with nothing written; archives of a unit, a
 * jurisdiction, a category and a year exported as a folder and a zip and
 * verified against their index; memory flat while a 32 MB scan goes in and
 * out (SQLite's own allocations counted, its page cache held small).
 *
 * With BZ_TEST_PG_URI set (tests/pg_suites.sh, meson test archive_pg) the
 * same suite runs on a PostgreSQL ledger (tu_ledger: a schema of its own),
 * where the bytes are bytea chunks of 1 MiB in file_chunk (issue 13): a
 * 5 MB file in pieces of odd sizes across the chunk boundaries, read back
 * in odd sizes, exported, a damaged chunk found by the verify.
 */
#include "unit_fixture.h"
#include "internal.h"

#include <dirent.h>
#include <errno.h>
#include <nettle/sha2.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char path[512], dir[256];
static bz_ledger *L;
static char city_doc[BZ_UUID_LEN + 1], county_doc[BZ_UUID_LEN + 1], plan_doc[BZ_UUID_LEN + 1];
static char meeting_doc[BZ_UUID_LEN + 1], business_doc[BZ_UUID_LEN + 1];
static char jyj[BZ_UUID_LEN + 1], whg[BZ_UUID_LEN + 1], cx_unit[BZ_UUID_LEN + 1];

/* ---- helpers ------------------------------------------------------------------------- */

static void doc(bz_txn *t, char *out, const char *issuer, const char *num, const char *title, const char *date,
		int level, int kind, const char *jur)
{
	bz_document *d = NULL;
	ck_assert_bz(bz_document_register(&d, t, issuer, num, title, date, level, kind, jur));
	memcpy(out, bz_document_uuid(d), BZ_UUID_LEN + 1);
	bz_document_free(d);
}

static void unit(char *out, const char *doc_uuid, const char *name, int nature, const char *jur, const char *founded)
{
	bz_unit_spec *s = NULL;
	ck_assert_bz(bz_unit_spec_new(&s));
	ck_assert_bz(bz_unit_spec_set_name(s, name));
	ck_assert_bz(bz_unit_spec_set_nature(s, nature));
	/* a 股-level institution is the county's to set up (seed §5: 副科 and above, the city's) */
	ck_assert_bz(bz_unit_spec_set_rank(s, nature == BZ_NATURE_ORGAN ? BZ_RANK_ZHENGKE : BZ_RANK_ZHENGGU));
	ck_assert_bz(bz_unit_spec_set_jurisdiction(s, jur));
	ck_assert_bz(bz_unit_spec_set_founded(s, founded));
	bz_txn *t = tu_begin(L);
	ck_assert_bz(bz_txn_set_document(t, doc_uuid));
	bz_unit *u = NULL;
	ck_assert_bz(bz_unit_establish(&u, t, s));
	memcpy(out, bz_unit_uuid(u), BZ_UUID_LEN + 1);
	ck_assert_bz(bz_establishment_set(t, out, nature == BZ_NATURE_ORGAN ? "XZ" : "SY", 12, founded));
	int rc = bz_txn_commit(t);
	const bz_report *rep = bz_txn_report(t);
	for (size_t i = 0; rc != BZ_OK && i < bz_report_count(rep); i++)
		fprintf(stderr, "%s: %s\n", name, bz_violation_message(bz_report_get(rep, i)));
	ck_assert_bz(rc);
	bz_txn_free(t);
	bz_unit_free(u);
	bz_unit_spec_free(s);
}

/* a file of n bytes that looks like a scan: a PDF header, then bytes from a seed */
static const char *make_file(const char *name, size_t n, unsigned seed)
{
	static char p[400];
	snprintf(p, sizeof p, "%s/%s", dir, name);
	FILE *f = fopen(p, "wb");
	ck_assert_ptr_nonnull(f);
	static const char head[] = "%PDF-1.4\n";
	uint32_t x = seed * 2654435761u + 1;
	for (size_t i = 0; i < n; i++) {
		x = x * 1103515245u + 12345u;
		fputc(i < sizeof head - 1 ? head[i] : (int)(x >> 16) & 0xff, f);
	}
	ck_assert_int_eq(fclose(f), 0);
	return p;
}

static void sha_of_file(const char *p, char out[65])
{
	struct sha256_ctx c;
	sha256_init(&c);
	FILE *f = fopen(p, "rb");
	ck_assert_ptr_nonnull(f);
	unsigned char buf[8192];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		sha256_update(&c, n, buf);
	fclose(f);
	uint8_t d[32];
	sha256_digest(&c, 32, d);
	for (int i = 0; i < 32; i++)
		sprintf(out + 2 * i, "%02x", d[i]);
}

static bool same_files(const char *a, const char *b)
{
	FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
	ck_assert_ptr_nonnull(fa);
	ck_assert_ptr_nonnull(fb);
	int ca, cb;
	do {
		ca = fgetc(fa);
		cb = fgetc(fb);
	} while (ca == cb && ca != EOF);
	fclose(fa);
	fclose(fb);
	return ca == cb;
}

static bz_file *attach(const char *doc_uuid, const char *file, const char *name)
{
	bz_txn *t = tu_begin(L);
	bz_file *f = NULL;
	ck_assert_bz(bz_file_attach(&f, t, doc_uuid, file, name));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	return f;
}

static void rm_tree(const char *p)
{
	DIR *d = opendir(p);
	if (!d) {
		unlink(p);
		return;
	}
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		char q[1024];
		snprintf(q, sizeof q, "%s/%s", p, e->d_name);
		rm_tree(q);
	}
	closedir(d);
	rmdir(p);
}

/* one number by SQL, on either backend */
static long long q_int(const char *sql)
{
	bz_st *st = NULL;
	ck_assert_int_eq(bz_store_prepare(L->store, &st, sql), SQLITE_OK);
	ck_assert_int_eq(bz_st_step(st), SQLITE_ROW);
	long long n = bz_st_column_int64(st, 0);
	bz_st_finalize(st);
	return n;
}

/* SQL that must run, on either backend */
static void exec_ok(const char *sql)
{
	int rc = tu_exec(L, sql);
	ck_assert_msg(rc == SQLITE_OK, "%s: %d %s", sql, rc, bz_store_errmsg(L->store));
}

static char *slurp(const char *p)
{
	FILE *f = fopen(p, "rb");
	ck_assert_msg(f != NULL, "%s: %s", p, strerror(errno));
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	rewind(f);
	char *s = malloc((size_t)n + 1);
	ck_assert_int_eq(fread(s, 1, (size_t)n, f), (size_t)n);
	s[n] = '\0';
	fclose(f);
	return s;
}

/*
 * 甘肃省 / 陇南市 / 武都区 and 成县; documents of the city and the county
 * office, a 编委会议纪要 and a business department's notice; 武都区教育局,
 * 武都区文化馆 and 成县教育局 established, with establishment.
 */
static void setup(void)
{
	snprintf(dir, sizeof dir, "%s/bz-archive-%ld", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (long)getpid());
	rm_tree(dir);
	ck_assert_int_eq(mkdir(dir, 0700), 0);
	snprintf(path, sizeof path, "%s/ledger", dir);
	if (tu_pg_uri())
		L = tu_ledger(); /* a schema of its own on the server, the clock at 2026-12-01 */
	else {
		ck_assert_bz(bz_ledger_open(&L, path, BZ_OPEN_CREATE));
		ck_assert_bz(bz_ledger_set_clock(L, "2026-12-01"));
	}
	bz_txn *t = tu_begin(L);
	ck_assert_bz(bz_jurisdiction_create(NULL, t, "620000", "甘肃省", NULL));
	ck_assert_bz(bz_jurisdiction_create(NULL, t, "621200", "陇南市", "620000"));
	ck_assert_bz(bz_jurisdiction_create(NULL, t, "621202", "武都区", "621200"));
	ck_assert_bz(bz_jurisdiction_create(NULL, t, "621221", "成县", "621200"));
	doc(t, city_doc, "陇南市机构编制委员会", "陇编发〔2012〕31号", "关于成县教育局机构编制事项的批复", "2012-03-05",
	    BZ_LEVEL_CITY, BZ_ISSUER_ESTABLISHMENT, "621200");
	doc(t, county_doc, "武都区机构编制委员会", "武编发〔2013〕5号", "关于武都区教育局主要职责内设机构和人员编制规定的通知",
	    "2013-04-18", BZ_LEVEL_COUNTY, BZ_ISSUER_ESTABLISHMENT, "621202");
	doc(t, plan_doc, "武都区机构编制委员会", "武编发〔2014〕12号", "关于设立武都区文化馆的批复", "2014-06-20",
	    BZ_LEVEL_COUNTY, BZ_ISSUER_ESTABLISHMENT, "621202");
	doc(t, meeting_doc, "武都区机构编制委员会", "武编纪〔2014〕3号", "2014年第三次编委会议纪要", "2014-06-12",
	    BZ_LEVEL_COUNTY, BZ_ISSUER_ESTABLISHMENT, "621202");
	doc(t, business_doc, "陇南市教育局", "陇教发〔2013〕7号", "关于做好教师招聘工作的通知", "2013-02-01", BZ_LEVEL_CITY,
	    BZ_ISSUER_BUSINESS, "621200");
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	unit(jyj, county_doc, "武都区教育局", BZ_NATURE_ORGAN, "621202", "2013-05-01");
	unit(whg, plan_doc, "武都区文化馆", BZ_NATURE_INSTITUTION, "621202", "2014-07-01");
	unit(cx_unit, city_doc, "成县教育局", BZ_NATURE_ORGAN, "621221", "2012-04-01");
}

static void teardown(void)
{
	ck_assert_bz(bz_ledger_close(L));
	L = NULL;
	rm_tree(dir);
}

/* ---- attaching, reading, exporting one file ---------------------------------------------- */

START_TEST(attach_read_export)
{
	const char *src = make_file("scan.pdf", 300 * 1024 + 17, 1);
	char want[65];
	sha_of_file(src, want);
	bz_file *f = attach(county_doc, src, "武编发〔2013〕5号 扫描件.pdf");
	ck_assert_str_eq(bz_file_name(f), "武编发〔2013〕5号 扫描件.pdf");
	ck_assert_str_eq(bz_file_document(f), county_doc);
	ck_assert_str_eq(bz_file_sha256(f), want);
	ck_assert_int_eq(bz_file_size(f), 300 * 1024 + 17);
	ck_assert_str_eq(bz_file_attached(f), "2026-12-01");

	/* the change record carries the hash: subject the document, facts of the file */
	bz_change_iter *it = NULL;
	bz_change *c = NULL;
	ck_assert_bz(bz_subject_changes(&it, L, county_doc));
	bool seen = false;
	while (bz_change_iter_next(&c, it) == BZ_OK) {
		if (strcmp(bz_change_kind(c), "document.attach") == 0) {
			seen = true;
			ck_assert_int_eq(bz_change_seq(c), bz_file_seq(f));
			ck_assert_str_eq(bz_change_document(c), county_doc);
			bool hash = false;
			for (size_t i = 0; i < bz_change_attr_count(c); i++)
				if (strcmp(bz_change_attr_name(c, i), "sha256") == 0) {
					ck_assert_str_eq(bz_change_attr_after(c, i), want);
					hash = true;
				}
			ck_assert(hash);
		}
		bz_change_free(c);
	}
	bz_change_iter_free(it);
	ck_assert(seen);

	/* read back in pieces of an odd size */
	bz_file_reader *r = NULL;
	ck_assert_bz(bz_file_reader_open(&r, L, bz_file_uuid(f)));
	FILE *in = fopen(src, "rb");
	unsigned char buf[4093], ref[4093];
	int64_t got = 0, total = 0;
	while (bz_file_reader_read(&got, r, buf, sizeof buf) == BZ_OK && got > 0) {
		ck_assert_int_eq(fread(ref, 1, (size_t)got, in), (size_t)got);
		ck_assert(memcmp(buf, ref, (size_t)got) == 0);
		total += got;
	}
	ck_assert_int_eq(total, 300 * 1024 + 17);
	ck_assert_int_eq(fgetc(in), EOF);
	fclose(in);
	bz_file_reader_free(r);

	/* out to a file: the same bytes, never over an existing file */
	char out[400];
	snprintf(out, sizeof out, "%s/out.pdf", dir);
	ck_assert_bz(bz_file_export(L, bz_file_uuid(f), out));
	ck_assert(same_files(src, out));
	ck_assert_int_eq(bz_file_export(L, bz_file_uuid(f), out), BZ_EEXISTS);
	ck_assert(same_files(src, out));

	/* listed with its document */
	bz_file_iter *fi = NULL;
	bz_file *g = NULL;
	ck_assert_bz(bz_document_files(&fi, L, county_doc));
	ck_assert_bz(bz_file_iter_next(&g, fi));
	ck_assert_str_eq(bz_file_uuid(g), bz_file_uuid(f));
	bz_file_free(g);
	ck_assert_int_eq(bz_file_iter_next(&g, fi), BZ_ITEROVER);
	bz_file_iter_free(fi);
	bz_file_free(f);

	/* the verify agrees */
	char *problems = NULL;
	int64_t checked = 0;
	ck_assert_bz(bz_files_verify(&problems, &checked, L));
	ck_assert_ptr_null(problems);
	ck_assert_int_eq(checked, 1);
}
END_TEST

/* the SHA-256 of FIPS 180-2's "abc", through the streaming writer */
START_TEST(known_hash_and_stream)
{
	bz_txn *t = tu_begin(L);
	bz_file_writer *w = NULL;
	ck_assert_bz(bz_file_writer_open(&w, t, meeting_doc, "纪要.txt", 3));
	ck_assert_bz(bz_file_writer_write(w, "a", 1));
	ck_assert_bz(bz_file_writer_write(w, "bc", 2));
	bz_file *f = NULL;
	ck_assert_bz(bz_file_writer_finish(&f, w));
	bz_file_writer_free(w);
	ck_assert_str_eq(bz_file_sha256(f), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	ck_assert_int_eq(bz_file_size(f), 3);
	/* an empty file is a file too */
	ck_assert_bz(bz_file_writer_open(&w, t, meeting_doc, "空白页.txt", 0));
	bz_file *e = NULL;
	ck_assert_bz(bz_file_writer_finish(&e, w));
	bz_file_writer_free(w);
	ck_assert_str_eq(bz_file_sha256(e), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	bz_file_reader *r = NULL;
	ck_assert_bz(bz_file_reader_open(&r, L, bz_file_uuid(e)));
	int64_t got = 5;
	char b[8];
	ck_assert_bz(bz_file_reader_read(&got, r, b, sizeof b));
	ck_assert_int_eq(got, 0);
	bz_file_reader_free(r);
	bz_file_free(f);
	bz_file_free(e);
}
END_TEST

/* the same bytes attached twice (two documents, and by path and by stream) are stored once */
START_TEST(stored_once)
{
	const char *src = make_file("same.pdf", 200000, 7);
	char p1[400];
	snprintf(p1, sizeof p1, "%s", src);
	bz_file *a = attach(county_doc, p1, NULL);
	ck_assert_str_eq(bz_file_name(a), "same.pdf");
	bz_file *b = attach(plan_doc, p1, "附件.pdf");
	ck_assert_str_eq(bz_file_sha256(a), bz_file_sha256(b));
	ck_assert_str_ne(bz_file_uuid(a), bz_file_uuid(b));
	ck_assert_int_eq(tu_count(L, "file_blob"), 1);
	ck_assert_int_eq(tu_count(L, "file_hash"), 1);
	ck_assert_int_eq(tu_count(L, "document_file"), 2);
	/* the stream writer finds the bytes stored and drops its copy */
	char *bytes = slurp(p1);
	bz_txn *t = tu_begin(L);
	bz_file_writer *w = NULL;
	ck_assert_bz(bz_file_writer_open(&w, t, meeting_doc, "纪要附件.pdf", 200000));
	for (size_t off = 0; off < 200000; off += 65536)
		ck_assert_bz(bz_file_writer_write(w, bytes + off, 200000 - off < 65536 ? 200000 - off : 65536));
	bz_file *c = NULL;
	ck_assert_bz(bz_file_writer_finish(&c, w));
	bz_file_writer_free(w);
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	ck_assert_str_eq(bz_file_sha256(c), bz_file_sha256(a));
	ck_assert_int_eq(tu_count(L, "file_blob"), 1);
	ck_assert_int_eq(tu_count(L, "document_file"), 3);
	/* different bytes: a second blob */
	bz_file *d = attach(meeting_doc, make_file("other.pdf", 1000, 8), NULL);
	ck_assert_int_eq(tu_count(L, "file_blob"), 2);
	free(bytes);
	bz_file_free(a);
	bz_file_free(b);
	bz_file_free(c);
	bz_file_free(d);
}
END_TEST

/* ---- bad input: refused, nothing written ---------------------------------------------------- */

static void assert_nothing(long long blobs, long long files, long long events)
{
	ck_assert_int_eq(tu_count(L, "file_blob"), blobs);
	ck_assert_int_eq(tu_count(L, "document_file"), files);
	ck_assert_int_eq(tu_count(L, "event"), events);
}

START_TEST(bad_input_refused)
{
	const char *good = make_file("good.pdf", 5000, 3);
	char goodp[400];
	snprintf(goodp, sizeof goodp, "%s", good);
	bz_file *f = attach(county_doc, goodp, NULL);
	bz_file_free(f);
	long long blobs = tu_count(L, "file_blob"), files = tu_count(L, "document_file"), events = tu_count(L, "event");

	bz_txn *t = tu_begin(L);
	char missing[400];
	snprintf(missing, sizeof missing, "%s/no-such-scan.pdf", dir);
	ck_assert_int_eq(bz_file_attach(&f, t, county_doc, missing, NULL), BZ_EIO);
	ck_assert_ptr_null(f);
	ck_assert_ptr_nonnull(strstr(bz_ledger_errmsg(L), "no-such-scan.pdf"));
	ck_assert_ptr_nonnull(strstr(bz_ledger_errmsg(L), "No such file"));
	/* a directory is not a file */
	ck_assert_int_eq(bz_file_attach(&f, t, county_doc, dir, "目录.pdf"), BZ_EIO);
	ck_assert_ptr_nonnull(strstr(bz_ledger_errmsg(L), "directory"));
	/* unreadable (root reads anything: then only the others) */
	const char *locked = make_file("locked.pdf", 100, 4);
	ck_assert_int_eq(chmod(locked, 0), 0);
	if (geteuid() != 0) {
		ck_assert_int_eq(bz_file_attach(&f, t, county_doc, locked, NULL), BZ_EIO);
		ck_assert_ptr_nonnull(strstr(bz_ledger_errmsg(L), "Permission denied"));
	}
	/* a document that does not exist; not a UUID */
	ck_assert_int_eq(bz_file_attach(&f, t, "3f1c5b7e-0000-4000-8000-000000000000", goodp, "x.pdf"), BZ_ENOTFOUND);
	ck_assert_int_eq(bz_file_attach(&f, t, "陇编发〔2012〕31号", goodp, "x.pdf"), BZ_EINVAL);
	/* names: taken on that document, with a separator, empty */
	ck_assert_int_eq(bz_file_attach(&f, t, county_doc, goodp, NULL), BZ_EEXISTS);
	ck_assert_int_eq(bz_file_attach(&f, t, county_doc, goodp, "a/b.pdf"), BZ_EINVAL);
	ck_assert_int_eq(bz_file_attach(&f, t, county_doc, goodp, ""), BZ_EINVAL);
	ck_assert_int_eq(bz_file_attach(NULL, t, county_doc, goodp, NULL), BZ_EINVAL);
	/* the writer: too many bytes spoil it, too few are refused, freed unfinished leaves nothing */
	bz_file_writer *w = NULL;
	ck_assert_int_eq(bz_file_writer_open(&w, t, county_doc, "x.pdf", -1), BZ_EINVAL);
	ck_assert_int_eq(bz_file_writer_open(&w, t, "3f1c5b7e-0000-4000-8000-000000000000", "x.pdf", 10), BZ_ENOTFOUND);
	ck_assert_ptr_null(w);
	ck_assert_bz(bz_file_writer_open(&w, t, county_doc, "x.pdf", 4));
	ck_assert_bz(bz_file_writer_write(w, "abc", 3));
	ck_assert_int_eq(bz_file_writer_finish(&f, w), BZ_EINVAL);
	ck_assert_int_eq(bz_file_writer_write(w, "de", 2), BZ_EINVAL);
	ck_assert_int_eq(bz_file_writer_finish(&f, w), BZ_EINVAL);
	bz_file_writer_free(w);
	ck_assert_bz(bz_file_writer_open(&w, t, county_doc, "y.pdf", 100));
	ck_assert_bz(bz_file_writer_write(w, "%PDF", 4));
	bz_file_writer_free(w);
	/* the transaction is still good and writes nothing */
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	assert_nothing(blobs, files, events + 0);

	/* a writer left open when its transaction ends: it cannot go on */
	t = tu_begin(L);
	ck_assert_bz(bz_file_writer_open(&w, t, county_doc, "z.pdf", 2));
	ck_assert_bz(bz_file_writer_write(w, "z", 1));
	ck_assert_bz(bz_txn_rollback(t));
	ck_assert_int_eq(bz_file_writer_write(w, "z", 1), BZ_EMISUSE);
	ck_assert_int_eq(bz_file_writer_finish(&f, w), BZ_EMISUSE);
	bz_file_writer_free(w);
	bz_txn_free(t);
	assert_nothing(blobs, files, events);

	/* an attachment rolled back with its transaction */
	t = tu_begin(L);
	ck_assert_bz(bz_file_attach(&f, t, plan_doc, make_file("rolled.pdf", 3000, 9), NULL));
	bz_file_free(f);
	ck_assert_bz(bz_txn_rollback(t));
	bz_txn_free(t);
	assert_nothing(blobs, files, events);
	/* no file by that UUID, for every reading function */
	bz_file_reader *r = NULL;
	ck_assert_int_eq(bz_file_reader_open(&r, L, "3f1c5b7e-0000-4000-8000-000000000000"), BZ_ENOTFOUND);
	ck_assert_int_eq(bz_file_lookup(&f, L, "3f1c5b7e-0000-4000-8000-000000000000"), BZ_ENOTFOUND);
	bz_file_iter *fi = NULL;
	ck_assert_int_eq(bz_document_files(&fi, L, "3f1c5b7e-0000-4000-8000-000000000000"), BZ_ENOTFOUND);
	chmod(locked, 0600);
}
END_TEST

/* attaching a file is reference data: a business department's notice takes its scan (no R6) */
START_TEST(business_document_takes_a_file)
{
	bz_file *f = attach(business_doc, make_file("notice.pdf", 777, 5), "通知.pdf");
	bz_file_free(f);
	bz_report *rep = NULL;
	ck_assert_bz(bz_ledger_check(&rep, L, "2026-12-01"));
	ck_assert_int_eq(bz_report_errors(rep), 0);
	bz_report_free(rep);
}
END_TEST

/* ---- tamper evidence ------------------------------------------------------------------------- */

START_TEST(altered_file_noticed)
{
	const char *src = make_file("altered.pdf", 150000, 11);
	char srcp[400];
	snprintf(srcp, sizeof srcp, "%s", src);
	bz_file *f = attach(county_doc, srcp, "批复.pdf");
	bz_file *g = attach(plan_doc, make_file("fine.pdf", 2000, 12), "批复.pdf");
	/* someone with the database (sqlite3 on the file, psql on the server) changes one byte of the scan */
#define ALTERED_BLOB "(SELECT blob FROM file_hash WHERE sha256=(SELECT sha256 FROM document_file" \
	"  WHERE name='批复.pdf' AND document=(SELECT id FROM document WHERE number='武编发〔2013〕5号')))"
	if (tu_pg_uri()) {
		exec_ok("ALTER TABLE file_chunk DISABLE TRIGGER file_chunk_append_only");
		exec_ok("UPDATE file_chunk SET data = set_byte(data, 1000, (get_byte(data, 1000) + 1) % 256)"
			" WHERE n=0 AND blob=" ALTERED_BLOB);
	} else {
		exec_ok("DROP TRIGGER file_blob_no_update");
		exec_ok("UPDATE file_blob SET data = substr(data, 1, 1000) || x'00' || substr(data, 1002)"
			" WHERE id=" ALTERED_BLOB);
	}
	ck_assert_int_eq(bz_store_changes(L->store), 1);

	/* the verify names the file, its document and its record */
	char *problems = NULL;
	int64_t checked = 0;
	ck_assert_int_eq(bz_files_verify(&problems, &checked, L), BZ_ECORRUPT);
	ck_assert_int_eq(checked, 2);
	ck_assert_ptr_nonnull(problems);
	ck_assert_ptr_nonnull(strstr(problems, "武编发〔2013〕5号 批复.pdf"));
	ck_assert_ptr_nonnull(strstr(problems, bz_file_sha256(f)));
	ck_assert_ptr_null(strstr(problems, "武编发〔2014〕12号"));
	ck_assert_ptr_null(strchr(strchr(problems, '\n') + 1, '\n')); /* one line: one file */
	bz_free(problems);

	/* the self-inspection raises INTEGRITY on it */
	bz_report *rep = NULL;
	ck_assert_bz(bz_ledger_check(&rep, L, "2026-12-01"));
	const bz_violation *v = fx_find(rep, BZ_RULE_INTEGRITY, BZ_SEVERITY_ERROR);
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(bz_violation_subject(v), bz_file_uuid(f));
	ck_assert_str_eq(bz_violation_document(v), county_doc);
	ck_assert_str_eq(bz_violation_document_number(v), "武编发〔2013〕5号");
	ck_assert_ptr_nonnull(strstr(bz_violation_message(v), "档案不符"));
	ck_assert_int_eq(bz_report_errors(rep), 1);
	bz_report_free(rep);
	/* before the file was attached, nothing to say */
	ck_assert_bz(bz_ledger_check(&rep, L, "2026-11-30"));
	ck_assert_int_eq(bz_report_errors(rep), 0);
	bz_report_free(rep);

	/* reading it to the end says so; exporting it writes nothing */
	bz_file_reader *r = NULL;
	ck_assert_bz(bz_file_reader_open(&r, L, bz_file_uuid(f)));
	unsigned char buf[65536];
	int64_t got = 0;
	int rc;
	while ((rc = bz_file_reader_read(&got, r, buf, sizeof buf)) == BZ_OK && got > 0)
		;
	ck_assert_int_eq(rc, BZ_ECORRUPT);
	bz_file_reader_free(r);
	char out[400];
	snprintf(out, sizeof out, "%s/exported.pdf", dir);
	ck_assert_int_eq(bz_file_export(L, bz_file_uuid(f), out), BZ_ECORRUPT);
	ck_assert_int_eq(access(out, F_OK), -1);
	snprintf(out, sizeof out, "%s/county.zip", dir);
	int64_t n = 0;
	ck_assert_int_eq(bz_archive_export(&n, L, out, NULL, "621202", NULL, 0), BZ_ECORRUPT);
	ck_assert_int_eq(access(out, F_OK), -1);
	/* the untouched file still reads and exports */
	snprintf(out, sizeof out, "%s/fine-out.pdf", dir);
	ck_assert_bz(bz_file_export(L, bz_file_uuid(g), out));
	/* and nothing of the failed exports is left beside them */
	DIR *d = opendir(dir);
	struct dirent *e;
	while ((e = readdir(d)) != NULL)
		ck_assert_msg(!strstr(e->d_name, ".tmp-"), "left behind: %s", e->d_name);
	closedir(d);
	bz_file_free(f);
	bz_file_free(g);
}
END_TEST

/* the stored files are append-only like the change log */
START_TEST(files_append_only)
{
	bz_file *f = attach(county_doc, make_file("kept.pdf", 4000, 13), NULL);
	ck_assert_int_ne(tu_exec(L, "DELETE FROM document_file"), SQLITE_OK);
	ck_assert_int_ne(tu_exec(L, "UPDATE document_file SET name='x'"), SQLITE_OK);
	ck_assert_int_ne(tu_exec(L, "DELETE FROM file_hash"), SQLITE_OK);
	ck_assert_int_ne(tu_exec(L, "DELETE FROM file_blob"), SQLITE_OK);
	ck_assert_int_ne(tu_exec(L, "UPDATE file_blob SET data=x'00'"), SQLITE_OK);
	if (tu_pg_uri()) {
		/* the chunks of hashed bytes: not changed, not removed, none added */
		ck_assert_int_ne(tu_exec(L, "UPDATE file_chunk SET data=x'00'"), SQLITE_OK);
		ck_assert_int_ne(tu_exec(L, "DELETE FROM file_chunk"), SQLITE_OK);
		ck_assert_int_ne(tu_exec(L, "INSERT INTO file_chunk(blob, n, data) SELECT blob, 1, x'00' FROM file_hash"),
				 SQLITE_OK);
		ck_assert_int_eq(q_int("SELECT count(*) FROM file_chunk"), 1);
	}
	char *problems = NULL;
	int64_t checked = 0;
	ck_assert_bz(bz_files_verify(&problems, &checked, L));
	ck_assert_int_eq(checked, 1);
	bz_file_free(f);
}
END_TEST

/* ---- memory: a 32 MB scan in and out, SQLite's allocations counted ---------------------------- */

START_TEST(memory_flat)
{
	TU_SQLITE_ONLY("it counts SQLite's own allocations; on PostgreSQL a stream holds one 1 MiB chunk by construction");
	/* SQLite's page cache held to 1 MiB: what remains is what the code holds of the file */
	ck_assert_int_eq(sqlite3_exec(L->db, "PRAGMA cache_size=-1024", NULL, NULL, NULL), SQLITE_OK);
	const size_t size = 32u << 20, piece = 64u << 10;
	unsigned char *chunk = malloc(piece);
	struct sha256_ctx want;
	sha256_init(&want);
	sqlite3_int64 before = sqlite3_memory_used();
	sqlite3_memory_highwater(1);
	bz_txn *t = tu_begin(L);
	bz_file_writer *w = NULL;
	ck_assert_bz(bz_file_writer_open(&w, t, county_doc, "档案扫描件.pdf", (int64_t)size));
	uint32_t x = 99;
	for (size_t off = 0; off < size; off += piece) {
		for (size_t i = 0; i < piece; i++) {
			x = x * 1103515245u + 12345u;
			chunk[i] = (unsigned char)(x >> 16);
		}
		sha256_update(&want, piece, chunk);
		ck_assert_bz(bz_file_writer_write(w, chunk, piece));
	}
	bz_file *f = NULL;
	ck_assert_bz(bz_file_writer_finish(&f, w));
	bz_file_writer_free(w);
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	sqlite3_int64 peak_in = sqlite3_memory_highwater(1) - before;
	/* reading back */
	bz_file_reader *r = NULL;
	ck_assert_bz(bz_file_reader_open(&r, L, bz_file_uuid(f)));
	struct sha256_ctx back;
	sha256_init(&back);
	int64_t got = 0, total = 0;
	while (bz_file_reader_read(&got, r, chunk, piece) == BZ_OK && got > 0) {
		sha256_update(&back, (size_t)got, chunk);
		total += got;
	}
	bz_file_reader_free(r);
	sqlite3_int64 peak_out = sqlite3_memory_highwater(1) - before;
	ck_assert_int_eq(total, (int64_t)size);
	uint8_t a[32], b[32];
	sha256_digest(&want, 32, a);
	sha256_digest(&back, 32, b);
	ck_assert(memcmp(a, b, 32) == 0);
	/* a copy of the file would be 32 MiB: both stay under 4 MiB */
	ck_assert_msg(peak_in < (4 << 20), "SQLite held %lld bytes while the file went in", (long long)peak_in);
	ck_assert_msg(peak_out < (4 << 20), "SQLite held %lld bytes while the file came out", (long long)peak_out);
	free(chunk);
	bz_file_free(f);
}
END_TEST

/* ---- a 5 MB file in pieces of odd sizes, on either backend ------------------------------------- */

START_TEST(big_file_in_odd_pieces)
{
	const size_t size = (5u << 20) + 12345;
	char src[400], want[65];
	snprintf(src, sizeof src, "%s", make_file("big.pdf", size, 21));
	sha_of_file(src, want);
	/* in through the writer, in pieces that straddle the 1 MiB chunks of PostgreSQL */
	static const size_t in_pieces[] = { 1, 7919, (1u << 20) + 1, 333333, 65537, (2u << 20) + 3 };
	unsigned char *buf = malloc((3u << 20));
	ck_assert_ptr_nonnull(buf);
	FILE *in = fopen(src, "rb");
	ck_assert_ptr_nonnull(in);
	bz_txn *t = tu_begin(L);
	bz_file_writer *w = NULL;
	ck_assert_bz(bz_file_writer_open(&w, t, county_doc, "武都区教育局三定规定 扫描件.pdf", (int64_t)size));
	size_t off = 0;
	for (int i = 0; off < size; i++) {
		size_t n = in_pieces[i % 6];
		if (n > size - off)
			n = size - off;
		ck_assert_int_eq(fread(buf, 1, n, in), n);
		ck_assert_bz(bz_file_writer_write(w, buf, n));
		off += n;
	}
	fclose(in);
	bz_file *f = NULL;
	ck_assert_bz(bz_file_writer_finish(&f, w));
	bz_file_writer_free(w);
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	ck_assert_str_eq(bz_file_sha256(f), want);
	ck_assert_int_eq(bz_file_size(f), (int64_t)size);
	if (tu_pg_uri()) {
		/* five full chunks and one of 12345 bytes; file_blob.data empty */
		ck_assert_int_eq(q_int("SELECT count(*) FROM file_chunk"), 6);
		ck_assert_int_eq(q_int("SELECT count(*) FROM file_chunk WHERE length(data)=1048576 AND n<5"), 5);
		ck_assert_int_eq(q_int("SELECT length(data) FROM file_chunk WHERE n=5"), 12345);
		ck_assert_int_eq(q_int("SELECT count(*) FROM file_blob WHERE length(data)=0"), 1);
	}

	/* back in odd sizes: the same bytes */
	static const size_t out_pieces[] = { 4093, (1u << 20) + 7, 1, 777777 };
	unsigned char *ref = malloc((2u << 20));
	ck_assert_ptr_nonnull(ref);
	bz_file_reader *r = NULL;
	ck_assert_bz(bz_file_reader_open(&r, L, bz_file_uuid(f)));
	in = fopen(src, "rb");
	struct sha256_ctx back;
	sha256_init(&back);
	int64_t got = 0, total = 0;
	for (int i = 0;; i++) {
		ck_assert_bz(bz_file_reader_read(&got, r, buf, out_pieces[i % 4]));
		if (got == 0)
			break;
		ck_assert_int_le(got, (int64_t)out_pieces[i % 4]);
		ck_assert_int_eq(fread(ref, 1, (size_t)got, in), (size_t)got);
		ck_assert(memcmp(buf, ref, (size_t)got) == 0);
		sha256_update(&back, (size_t)got, buf);
		total += got;
	}
	ck_assert_int_eq(total, (int64_t)size);
	ck_assert_int_eq(fgetc(in), EOF);
	fclose(in);
	bz_file_reader_free(r);
	uint8_t d[32];
	char hex[65];
	sha256_digest(&back, 32, d);
	for (int i = 0; i < 32; i++)
		sprintf(hex + 2 * i, "%02x", d[i]);
	ck_assert_str_eq(hex, want);

	/* out to a file byte for byte; a second file in by path; both in a zip that verifies */
	char out[400];
	snprintf(out, sizeof out, "%s/big-out.pdf", dir);
	ck_assert_bz(bz_file_export(L, bz_file_uuid(f), out));
	ck_assert(same_files(src, out));
	char src2[400];
	snprintf(src2, sizeof src2, "%s", make_file("plan.pdf", (3u << 20) + 1, 22));
	bz_file *g = attach(plan_doc, src2, "设立批复.pdf");
	snprintf(out, sizeof out, "%s/plan-out.pdf", dir);
	ck_assert_bz(bz_file_export(L, bz_file_uuid(g), out));
	ck_assert(same_files(src2, out));
	snprintf(out, sizeof out, "%s/wudu.zip", dir);
	int64_t files = 0, checked = 0;
	ck_assert_bz(bz_archive_export(&files, L, out, NULL, "621202", NULL, 0));
	ck_assert_int_eq(files, 2);
	char *problems = NULL;
	ck_assert_bz(bz_archive_verify(&problems, &checked, out));
	ck_assert_ptr_null(problems);
	ck_assert_int_eq(checked, 2);
	ck_assert_bz(bz_files_verify(&problems, &checked, L));
	ck_assert_ptr_null(problems);
	ck_assert_int_eq(checked, 2);

	/* one byte of the fourth MiB of the big file damaged in the database: the verify names that file only */
#define BIG_BLOB "(SELECT blob FROM file_hash WHERE sha256=(SELECT sha256 FROM document_file" \
	" WHERE name='武都区教育局三定规定 扫描件.pdf'))"
	if (tu_pg_uri()) {
		exec_ok("ALTER TABLE file_chunk DISABLE TRIGGER file_chunk_append_only");
		exec_ok("UPDATE file_chunk SET data = set_byte(data, 5, (get_byte(data, 5) + 1) % 256) WHERE n=3 AND blob=" BIG_BLOB);
	} else {
		exec_ok("DROP TRIGGER file_blob_no_update");
		exec_ok("UPDATE file_blob SET data = substr(data, 1, 3145733) || x'00' || substr(data, 3145735) WHERE id=" BIG_BLOB);
	}
	ck_assert_int_eq(bz_store_changes(L->store), 1);
	ck_assert_int_eq(bz_files_verify(&problems, &checked, L), BZ_ECORRUPT);
	ck_assert_int_eq(checked, 2);
	ck_assert_ptr_nonnull(problems);
	ck_assert_msg(strstr(problems, "武编发〔2013〕5号 武都区教育局三定规定 扫描件.pdf"), "%s", problems);
	ck_assert_msg(strstr(problems, want), "%s", problems);
	ck_assert_msg(!strstr(problems, "设立批复.pdf"), "%s", problems);
	ck_assert_ptr_null(strchr(strchr(problems, '\n') + 1, '\n')); /* one line: one file */
	bz_free(problems);
	/* the export writes nothing, the reader says so at the end */
	snprintf(out, sizeof out, "%s/big-again.pdf", dir);
	ck_assert_int_eq(bz_file_export(L, bz_file_uuid(f), out), BZ_ECORRUPT);
	ck_assert_int_eq(access(out, F_OK), -1);
	if (tu_pg_uri()) {
		/* a chunk gone: the reader names it when it gets there */
		exec_ok("DELETE FROM file_chunk WHERE n=4 AND blob=" BIG_BLOB);
		ck_assert_bz(bz_file_reader_open(&r, L, bz_file_uuid(f)));
		int rc;
		while ((rc = bz_file_reader_read(&got, r, buf, 999999)) == BZ_OK && got > 0)
			;
		ck_assert_int_eq(rc, BZ_ECORRUPT);
		ck_assert_msg(strstr(bz_ledger_errmsg(L), "the stored bytes are 4206649, the record says 5255225"), "%s",
			      bz_ledger_errmsg(L));
		bz_file_reader_free(r);
		ck_assert_int_eq(bz_files_verify(&problems, &checked, L), BZ_ECORRUPT);
		ck_assert_msg(strstr(problems, "武都区教育局三定规定 扫描件.pdf") && strstr(problems, "4206649 stored bytes"), "%s",
			      problems);
		bz_free(problems);
	}
	free(buf);
	free(ref);
	bz_file_free(f);
	bz_file_free(g);
}
END_TEST

/* ---- categories and filing --------------------------------------------------------------------- */

START_TEST(categories_and_filing)
{
	bz_archive_category_iter *it = NULL;
	bz_archive_category *c = NULL;
	ck_assert_bz(bz_archive_category_list(&it, L));
	int n = 0;
	bool sydj = false, bwhy = false;
	while (bz_archive_category_iter_next(&c, it) == BZ_OK) {
		n++;
		if (strcmp(bz_archive_category_code(c), "SYDJ") == 0)
			sydj = strcmp(bz_archive_category_name(c), "事业单位登记管理档案") == 0;
		if (strcmp(bz_archive_category_code(c), "BWHY") == 0)
			bwhy = strcmp(bz_archive_category_name(c), "编委会议纪要") == 0;
		bz_archive_category_free(c);
	}
	bz_archive_category_iter_free(it);
	ck_assert_int_eq(n, 11);
	ck_assert(sydj && bwhy);

	bz_txn *t = tu_begin(L);
	ck_assert_bz(bz_archive_category_add(t, "ZDGZ", "重点工作台账档案"));
	ck_assert_int_eq(bz_archive_category_add(t, "ZDGZ", "另一个"), BZ_EEXISTS);
	ck_assert_int_eq(bz_archive_category_add(t, "ZD2", "重点工作台账档案"), BZ_EEXISTS);
	ck_assert_int_eq(bz_archive_category_add(t, "zd", "小写"), BZ_EINVAL);
	ck_assert_bz(bz_document_file_under(t, meeting_doc, "BWHY", 0));
	ck_assert_bz(bz_document_file_under(t, county_doc, "JGGG", 0));
	ck_assert_bz(bz_document_file_under(t, plan_doc, "ZDGZ", 2015));
	ck_assert_int_eq(bz_document_file_under(t, plan_doc, "NOPE", 0), BZ_ENOTFOUND);
	ck_assert_int_eq(bz_document_file_under(t, plan_doc, "SYDJ", 1800), BZ_EINVAL);
	ck_assert_int_eq(bz_document_file_under(t, "3f1c5b7e-0000-4000-8000-000000000000", "SYDJ", 0), BZ_ENOTFOUND);
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);

	char *cat = NULL;
	int year = 0;
	ck_assert_bz(bz_document_filed(&cat, &year, L, meeting_doc));
	ck_assert_str_eq(cat, "BWHY");
	ck_assert_int_eq(year, 2014);
	bz_free(cat);
	ck_assert_bz(bz_document_filed(&cat, &year, L, plan_doc));
	ck_assert_str_eq(cat, "ZDGZ");
	ck_assert_int_eq(year, 2015);
	bz_free(cat);
	ck_assert_bz(bz_document_filed(&cat, &year, L, city_doc));
	ck_assert_ptr_null(cat);
	ck_assert_int_eq(year, 2012);
	/* refiled: the table says the last, the change log keeps both */
	t = tu_begin(L);
	ck_assert_bz(bz_document_file_under(t, plan_doc, "SYDJ", 0));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	ck_assert_bz(bz_document_filed(&cat, &year, L, plan_doc));
	ck_assert_str_eq(cat, "SYDJ");
	ck_assert_int_eq(year, 2014);
	bz_free(cat);
	ck_assert_int_eq(q_int("SELECT count(*) FROM fact WHERE attr='archive:category'"), 4);
}
END_TEST

/* ---- archives ------------------------------------------------------------------------------------ */

/* the rows of an index.csv (header excluded) */
static int csv_rows(const char *p)
{
	char *s = slurp(p);
	int n = 0;
	for (char *q = s; (q = strstr(q, "\r\n")) != NULL; q += 2)
		n++;
	free(s);
	return n - 1;
}

static void attach_county(bz_file **scan, bz_file **memo)
{
	char p[400];
	snprintf(p, sizeof p, "%s", make_file("wbf5.pdf", 120000, 21));
	*scan = attach(county_doc, p, "武编发〔2013〕5号.pdf");
	snprintf(p, sizeof p, "%s", make_file("wbf12.pdf", 90000, 22));
	*memo = attach(plan_doc, p, "设立文化馆批复.pdf");
	bz_file *x = attach(plan_doc, make_file("wbf12-att.ofd", 5000, 23), "附件:名单?.ofd");
	bz_file_free(x);
	x = attach(city_doc, make_file("lbf31.pdf", 8000, 24), "陇编发〔2012〕31号.pdf");
	bz_file_free(x);
	bz_txn *t = tu_begin(L);
	ck_assert_bz(bz_document_file_under(t, plan_doc, "SYDJ", 0));
	ck_assert_bz(bz_document_file_under(t, meeting_doc, "BWHY", 0));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
}

START_TEST(archive_of_a_unit)
{
	bz_file *scan, *memo;
	attach_county(&scan, &memo);
	char out[400], p[600];
	snprintf(out, sizeof out, "%s/文化馆档案", dir);
	int64_t n = 0;
	ck_assert_bz(bz_archive_export(&n, L, out, whg, NULL, NULL, 0));
	/* 文化馆 rests on 武编发〔2014〕12号 only: its two files */
	ck_assert_int_eq(n, 2);
	snprintf(p, sizeof p, "%s/2014-06-20 武编发〔2014〕12号 关于设立武都区文化馆的批复/设立文化馆批复.pdf", out);
	char want[65], got[65];
	sha_of_file(p, got);
	ck_assert_str_eq(got, bz_file_sha256(memo));
	/* a name no file system takes is made readable */
	snprintf(p, sizeof p, "%s/2014-06-20 武编发〔2014〕12号 关于设立武都区文化馆的批复/附件_名单_.ofd", out);
	ck_assert_int_eq(access(p, F_OK), 0);
	snprintf(p, sizeof p, "%s/index.csv", out);
	ck_assert_int_eq(csv_rows(p), 2);
	char *csv = slurp(p);
	ck_assert(memcmp(csv, "\xef\xbb\xbf\"文号\",\"标题\",\"日期\",\"发文机关\",\"档案类别\",\"年度\",\"文件\",\"大小\",\"SHA-256\",\"引用记录\"\r\n",
			 strlen("\xef\xbb\xbf\"文号\",\"标题\",\"日期\",\"发文机关\",\"档案类别\",\"年度\",\"文件\",\"大小\",\"SHA-256\",\"引用记录\"\r\n")) == 0);
	ck_assert_ptr_nonnull(strstr(csv, "\"武编发〔2014〕12号\",\"关于设立武都区文化馆的批复\",\"2014-06-20\",\"武都区机构编制委员会\",\"事业单位登记管理档案\",\"2014\","));
	ck_assert_ptr_nonnull(strstr(csv, bz_file_sha256(memo)));
	ck_assert_ptr_null(strstr(csv, bz_file_sha256(scan)));
	/* the records citing it: the unit's establishment and its establishment figure */
	long long est = q_int("SELECT min(id) FROM event WHERE kind='unit.establish' AND doc=(SELECT id FROM document WHERE number='武编发〔2014〕12号')");
	char seqs[64];
	snprintf(seqs, sizeof seqs, "\"%lld ", est);
	ck_assert_ptr_nonnull(strstr(csv, seqs));
	free(csv);
	snprintf(p, sizeof p, "%s/index.json", out);
	char *json = slurp(p);
	ck_assert_ptr_nonnull(strstr(json, "\"number\": \"武编发〔2014〕12号\""));
	snprintf(seqs, sizeof seqs, "\"records\": [%lld, ", est);
	ck_assert_ptr_nonnull(strstr(json, seqs));
	snprintf(want, sizeof want, "%s", bz_file_sha256(memo));
	ck_assert_ptr_nonnull(strstr(json, want));
	free(json);

	/* verified against its index */
	char *problems = NULL;
	int64_t checked = 0;
	ck_assert_bz(bz_archive_verify(&problems, &checked, out));
	ck_assert_ptr_null(problems);
	ck_assert_int_eq(checked, 2);
	/* not over an existing archive */
	ck_assert_int_eq(bz_archive_export(&n, L, out, whg, NULL, NULL, 0), BZ_EEXISTS);

	/* tampered: a byte of a file changed, a file added — each named */
	snprintf(p, sizeof p, "%s/2014-06-20 武编发〔2014〕12号 关于设立武都区文化馆的批复/设立文化馆批复.pdf", out);
	FILE *f = fopen(p, "r+b");
	fseek(f, 5000, SEEK_SET);
	fputc('X', f);
	fclose(f);
	snprintf(p, sizeof p, "%s/extra.pdf", out);
	f = fopen(p, "wb");
	fputs("%PDF-1.4 not in the index", f);
	fclose(f);
	ck_assert_int_eq(bz_archive_verify(&problems, &checked, out), BZ_ECORRUPT);
	ck_assert_ptr_nonnull(problems);
	ck_assert_ptr_nonnull(strstr(problems, "设立文化馆批复.pdf: SHA-256"));
	ck_assert_ptr_nonnull(strstr(problems, "extra.pdf: not in the index"));
	bz_free(problems);
	/* a file gone */
	snprintf(p, sizeof p, "%s/2014-06-20 武编发〔2014〕12号 关于设立武都区文化馆的批复/设立文化馆批复.pdf", out);
	unlink(p);
	ck_assert_int_eq(bz_archive_verify(&problems, &checked, out), BZ_ECORRUPT);
	ck_assert_ptr_nonnull(strstr(problems, "设立文化馆批复.pdf: missing"));
	bz_free(problems);
	/* not an archive */
	ck_assert_int_eq(bz_archive_verify(&problems, &checked, dir), BZ_EINVAL);
	ck_assert_ptr_nonnull(strstr(problems, "index.csv"));
	bz_free(problems);
	snprintf(p, sizeof p, "%s/nothing-here", dir);
	ck_assert_int_eq(bz_archive_verify(&problems, &checked, p), BZ_EIO);
	bz_free(problems);
	bz_file_free(scan);
	bz_file_free(memo);
}
END_TEST

START_TEST(archive_zip_and_selectors)
{
	bz_file *scan, *memo;
	attach_county(&scan, &memo);
	char out[400], p[600];
	int64_t n = 0;
	/* 武都区: its own documents and those its units rest on (the business notice has no file: listed, empty) */
	snprintf(out, sizeof out, "%s/武都区.zip", dir);
	ck_assert_bz(bz_archive_export(&n, L, out, NULL, "621202", NULL, 0));
	ck_assert_int_eq(n, 3);
	char *problems = NULL;
	int64_t checked = 0;
	ck_assert_bz(bz_archive_verify(&problems, &checked, out));
	ck_assert_int_eq(checked, 3);
	/* a byte of the zip flipped inside a stored file: refused */
	char *zip = slurp(out);
	struct stat sb;
	stat(out, &sb);
	ck_assert_int_gt(sb.st_size, 200000);
	FILE *f = fopen(out, "r+b");
	fseek(f, 60000, SEEK_SET);
	int ch = fgetc(f);
	fseek(f, 60000, SEEK_SET);
	fputc(ch ^ 0x5a, f);
	fclose(f);
	ck_assert_int_eq(bz_archive_verify(&problems, &checked, out), BZ_ECORRUPT);
	ck_assert_ptr_nonnull(problems);
	bz_free(problems);
	free(zip);

	/* by category: the 编委会议纪要 (no file yet: one row, no file) */
	snprintf(out, sizeof out, "%s/bwhy", dir);
	ck_assert_bz(bz_archive_export(&n, L, out, NULL, NULL, "BWHY", 0));
	ck_assert_int_eq(n, 0);
	snprintf(p, sizeof p, "%s/index.csv", out);
	ck_assert_int_eq(csv_rows(p), 1);
	char *csv = slurp(p);
	ck_assert_ptr_nonnull(strstr(csv, "2014年第三次编委会议纪要"));
	free(csv);
	ck_assert_bz(bz_archive_verify(&problems, &checked, out));
	ck_assert_int_eq(checked, 0);
	/* by year: 2012 is the city's document */
	snprintf(out, sizeof out, "%s/2012.zip", dir);
	ck_assert_bz(bz_archive_export(&n, L, out, NULL, NULL, NULL, 2012));
	ck_assert_int_eq(n, 1);
	/* everything with a file */
	snprintf(out, sizeof out, "%s/all", dir);
	ck_assert_bz(bz_archive_export(&n, L, out, NULL, NULL, NULL, 0));
	ck_assert_int_eq(n, 4);
	snprintf(p, sizeof p, "%s/index.csv", out);
	ck_assert_int_eq(csv_rows(p), 4);
	/* a unit and a year together: 教育局 in 2014 has nothing */
	snprintf(out, sizeof out, "%s/jyj-2014", dir);
	ck_assert_bz(bz_archive_export(&n, L, out, jyj, NULL, NULL, 2014));
	ck_assert_int_eq(n, 0);
	/* bad selectors: nothing written */
	snprintf(out, sizeof out, "%s/bad", dir);
	ck_assert_int_eq(bz_archive_export(&n, L, out, "3f1c5b7e-0000-4000-8000-000000000000", NULL, NULL, 0), BZ_ENOTFOUND);
	ck_assert_int_eq(bz_archive_export(&n, L, out, NULL, "629999", NULL, 0), BZ_ENOTFOUND);
	ck_assert_int_eq(bz_archive_export(&n, L, out, NULL, "62", NULL, 0), BZ_EINVAL);
	ck_assert_int_eq(bz_archive_export(&n, L, out, NULL, NULL, "NOPE", 0), BZ_ENOTFOUND);
	ck_assert_int_eq(bz_archive_export(&n, L, out, NULL, NULL, NULL, 1800), BZ_EINVAL);
	ck_assert_int_eq(access(out, F_OK), -1);
	snprintf(out, sizeof out, "%s/no-such-dir/a.zip", dir);
	ck_assert_int_eq(bz_archive_export(&n, L, out, NULL, NULL, NULL, 0), BZ_EIO);
	ck_assert_ptr_nonnull(strstr(bz_ledger_errmsg(L), "no-such-dir"));
	/* not while a transaction is open on the handle */
	bz_txn *t = tu_begin(L);
	snprintf(out, sizeof out, "%s/open.zip", dir);
	ck_assert_int_eq(bz_archive_export(&n, L, out, NULL, NULL, NULL, 0), BZ_EMISUSE);
	ck_assert_bz(bz_txn_rollback(t));
	bz_txn_free(t);
	bz_file_free(scan);
	bz_file_free(memo);
}
END_TEST

/* names no file system takes are made safe, and two that become one stay two */
START_TEST(names_made_safe_and_unique)
{
	bz_txn *t = tu_begin(L);
	bz_file *a = NULL, *b = NULL;
	ck_assert_bz(bz_file_attach(&a, t, meeting_doc, make_file("m1.pdf", 900, 31), "名单:一.pdf"));
	ck_assert_bz(bz_file_attach(&b, t, meeting_doc, make_file("m2.pdf", 901, 32), "名单*一.pdf"));
	ck_assert_bz(bz_document_file_under(t, meeting_doc, "BWHY", 0));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	char out[400], p[700];
	int64_t n = 0;
	snprintf(out, sizeof out, "%s/minutes.zip", dir);
	ck_assert_bz(bz_archive_export(&n, L, out, NULL, NULL, "BWHY", 0));
	ck_assert_int_eq(n, 2);
	char *problems = NULL;
	int64_t checked = 0;
	ck_assert_bz(bz_archive_verify(&problems, &checked, out));
	ck_assert_int_eq(checked, 2);
	snprintf(out, sizeof out, "%s/minutes", dir);
	ck_assert_bz(bz_archive_export(&n, L, out, NULL, NULL, "BWHY", 0));
	snprintf(p, sizeof p, "%s/2014-06-12 武编纪〔2014〕3号 2014年第三次编委会议纪要/名单_一.pdf", out);
	char got[65];
	sha_of_file(p, got);
	ck_assert_str_eq(got, bz_file_sha256(a));
	snprintf(p, sizeof p, "%s/2014-06-12 武编纪〔2014〕3号 2014年第三次编委会议纪要/名单_一 (2).pdf", out);
	sha_of_file(p, got);
	ck_assert_str_eq(got, bz_file_sha256(b));
	ck_assert_bz(bz_archive_verify(&problems, &checked, out));
	bz_file_free(a);
	bz_file_free(b);
}
END_TEST

/* a writer still open holds the commit: refused, the transaction stays open, and goes on */
START_TEST(writer_open_at_commit)
{
	long long blobs = tu_count(L, "file_blob");
	bz_txn *t = tu_begin(L);
	bz_file_writer *w = NULL;
	ck_assert_bz(bz_file_writer_open(&w, t, county_doc, "半截.pdf", 9));
	ck_assert_bz(bz_file_writer_write(w, "%PDF-", 5));
	ck_assert_int_eq(bz_txn_commit(t), BZ_EMISUSE);
	ck_assert_ptr_nonnull(strstr(bz_ledger_errmsg(L), "file writer"));
	/* a second writer: both must end before the commit */
	bz_file_writer *w2 = NULL;
	ck_assert_bz(bz_file_writer_open(&w2, t, plan_doc, "另一个.pdf", 3));
	/* other changes of the transaction go on meanwhile */
	ck_assert_bz(bz_document_file_under(t, plan_doc, "SYDJ", 0));
	ck_assert_bz(bz_file_writer_write(w2, "ab", 2));
	bz_file *f = NULL;
	ck_assert_bz(bz_file_writer_write(w, "1.4\n", 4));
	ck_assert_bz(bz_file_writer_finish(&f, w));
	bz_file_writer_free(w);
	ck_assert_int_eq(bz_txn_commit(t), BZ_EMISUSE);
	bz_file_writer_free(w2); /* abandoned: nothing of it kept */
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	ck_assert_int_eq(tu_count(L, "file_blob"), blobs + 1);
	ck_assert_int_eq(tu_count(L, "document_file"), 1);
	ck_assert_int_eq(bz_file_size(f), 9);
	bz_file_free(f);
}
END_TEST

/* a unit's ledger view: each change beside the files of the document it rests on */
START_TEST(unit_changes_with_files)
{
	bz_file *scan, *memo;
	attach_county(&scan, &memo);
	bz_change_iter *it = NULL;
	bz_change *c = NULL;
	ck_assert_bz(bz_unit_changes(&it, L, whg));
	int changes = 0, with_files = 0;
	while (bz_change_iter_next(&c, it) == BZ_OK) {
		changes++;
		bz_file_iter *fi = NULL;
		bz_file *f = NULL;
		ck_assert_bz(bz_document_files(&fi, L, bz_change_document(c)));
		int k = 0;
		while (bz_file_iter_next(&f, fi) == BZ_OK) {
			ck_assert_str_eq(bz_file_document(f), plan_doc);
			k++;
			bz_file_free(f);
		}
		bz_file_iter_free(fi);
		ck_assert_int_eq(k, 2);
		with_files++;
		bz_change_free(c);
	}
	bz_change_iter_free(it);
	ck_assert_int_ge(changes, 2);
	ck_assert_int_eq(with_files, changes);
	bz_file_free(scan);
	bz_file_free(memo);
}
END_TEST

/* ---- the archive carried into a copy (bz_files_copy) -------------------------------------------- */

/* the exchange of l imported into a new SQLite ledger at p (":memory:" or a file) */
static bz_ledger *copy_of(bz_ledger *l, const char *p, const char *tag)
{
	char x[512];
	snprintf(x, sizeof x, "%s/%s.jsonl", dir, tag);
	unlink(x);
	bz_exchange *e = NULL;
	ck_assert_bz(bz_ledger_export(&e, l, x, NULL));
	bz_exchange_free(e);
	bz_ledger *d = NULL;
	if (p)
		ck_assert_bz(bz_ledger_open(&d, p, BZ_OPEN_CREATE));
	else
		d = tu_ledger();
	ck_assert_bz(bz_ledger_set_clock(d, "2026-12-01"));
	e = NULL;
	int rc = bz_ledger_import(&e, d, x, BZ_IMPORT_NO_CHECK);
	ck_assert_msg(rc == BZ_OK, "import: %s", bz_ledger_errmsg(d));
	bz_exchange_free(e);
	unlink(x);
	return d;
}

/* f (of the source) on d: the same UUID, document, name, bytes, hash and change record number */
static void same_file_on(bz_ledger *d, const bz_file *f, const char *orig, const char *tag)
{
	bz_file *g = NULL;
	ck_assert_bz(bz_file_lookup(&g, d, bz_file_uuid(f)));
	ck_assert_str_eq(bz_file_document(g), bz_file_document(f));
	ck_assert_str_eq(bz_file_name(g), bz_file_name(f));
	ck_assert_str_eq(bz_file_sha256(g), bz_file_sha256(f));
	ck_assert_int_eq(bz_file_size(g), bz_file_size(f));
	ck_assert_int_eq(bz_file_seq(g), bz_file_seq(f));
	ck_assert_str_eq(bz_file_attached(g), bz_file_attached(f));
	char out[512];
	snprintf(out, sizeof out, "%s/out-%s-%s", dir, tag, bz_file_uuid(f));
	ck_assert_bz(bz_file_export(d, bz_file_uuid(g), out));
	ck_assert(same_files(out, orig));
	unlink(out);
	bz_file_free(g);
}

/* a copy (export, import) holds the records that attached, filed and categorised, not the bytes: bz_files_copy
 * carries them, on either backend; PostgreSQL's 1 MiB chunks straddled by a ~3 MB scan */
START_TEST(files_travel_with_a_copy)
{
	bz_file *f[6];
	char orig[6][400];
	attach_county(&f[0], &f[1]);
	snprintf(orig[0], sizeof orig[0], "%s/wbf5.pdf", dir);
	snprintf(orig[1], sizeof orig[1], "%s/wbf12.pdf", dir);
	snprintf(orig[2], sizeof orig[2], "%s", make_file("big.ofd", 3000017, 31));
	f[2] = attach(business_doc, orig[2], "扫描件.ofd");
	snprintf(orig[3], sizeof orig[3], "%s", make_file("empty.txt", 0, 32));
	f[3] = attach(county_doc, orig[3], "空白.txt");
	/* the same bytes on another document: stored once, on the copy too */
	snprintf(orig[4], sizeof orig[4], "%s", orig[2]);
	f[4] = attach(meeting_doc, orig[4], "会议附件.ofd");
	snprintf(orig[5], sizeof orig[5], "%s", make_file("one.bin", 1048577, 33));
	f[5] = attach(meeting_doc, orig[5], "纪要.pdf");
	bz_txn *t = tu_begin(L);
	ck_assert_bz(bz_archive_category_add(t, "ZDGZ", "重点工作台账档案"));
	ck_assert_bz(bz_document_file_under(t, business_doc, "ZDGZ", 2013));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);

	/* on PostgreSQL: server → file; on SQLite: file → memory */
	char p[512];
	snprintf(p, sizeof p, "%s/copy.ledger", dir);
	bz_ledger *d = copy_of(L, tu_pg_uri() ? p : ":memory:", "c1");
	/* the records came with the import: the category, the filings; the attachments wait for their bytes */
	char *cat = NULL;
	int year = 0;
	ck_assert_bz(bz_document_filed(&cat, &year, d, business_doc));
	ck_assert_str_eq(cat, "ZDGZ");
	ck_assert_int_eq(year, 2013);
	bz_free(cat);
	ck_assert_bz(bz_document_filed(&cat, &year, d, plan_doc));
	ck_assert_str_eq(cat, "SYDJ");
	bz_free(cat);
	ck_assert_int_eq(tu_count(d, "archive_category"), 12);
	ck_assert_int_eq(tu_count(d, "document_file"), 0);

	/* refused, nothing written */
	int64_t n = -1;
	ck_assert_int_eq(bz_files_copy(&n, d, d), BZ_EINVAL);
	ck_assert_int_eq(n, 0);
	ck_assert_int_eq(bz_files_copy(NULL, d, L), BZ_EINVAL);
	ck_assert_int_eq(bz_files_copy(&n, d, NULL), BZ_EINVAL);
	t = tu_begin(L);
	ck_assert_int_eq(bz_files_copy(&n, d, L), BZ_EMISUSE);
	ck_assert_ptr_nonnull(strstr(bz_ledger_errmsg(d), "the source"));
	bz_txn_rollback(t);
	bz_txn_free(t);
	ck_assert_int_eq(tu_count(d, "document_file"), 0);

	ck_assert_bz(bz_files_copy(&n, d, L));
	ck_assert_int_eq(n, 8); /* the six above and attach_county's two more */
	for (int i = 0; i < 6; i++)
		same_file_on(d, f[i], orig[i], "c1");
	ck_assert_int_eq(tu_count(d, "file_hash"), 7);
	ck_assert_int_eq(tu_count(d, "file_blob"), 7); /* no staged blob left behind */
	char *problems = NULL;
	int64_t checked = 0;
	ck_assert_bz(bz_files_verify(&problems, &checked, d));
	ck_assert_int_eq(checked, 8);
	ck_assert_ptr_null(problems);
	/* again: nothing more */
	ck_assert_bz(bz_files_copy(&n, d, L));
	ck_assert_int_eq(n, 0);
	ck_assert_int_eq(tu_count(d, "document_file"), 8);

	/* and on to a third ledger (file → server under pg, memory → memory on SQLite), from the copy */
	bz_ledger *e = copy_of(d, tu_pg_uri() ? NULL : ":memory:", "c2");
	ck_assert_bz(bz_files_copy(&n, e, d));
	ck_assert_int_eq(n, 8);
	for (int i = 0; i < 6; i++)
		same_file_on(e, f[i], orig[i], "c2");
	ck_assert_bz(bz_files_verify(&problems, &checked, e));
	ck_assert_int_eq(checked, 8);
	/* the archive exported from the copy of the copy verifies */
	snprintf(p, sizeof p, "%s/copy2.zip", dir);
	ck_assert_bz(bz_archive_export(&n, e, p, NULL, NULL, NULL, 0));
	ck_assert_int_eq(n, 8);
	ck_assert_bz(bz_archive_verify(&problems, &checked, p));
	ck_assert_bz(bz_ledger_close(e));

	/* a source whose bytes no longer give their hash: refused, nothing of any file written */
	e = copy_of(L, tu_pg_uri() ? NULL : ":memory:", "c3");
	if (tu_pg_uri()) {
		exec_ok("ALTER TABLE file_chunk DISABLE TRIGGER file_chunk_append_only");
		exec_ok("UPDATE file_chunk SET data = set_byte(data, 7, (get_byte(data, 7) + 1) % 256)"
			" WHERE n=2 AND blob=(SELECT blob FROM file_hash WHERE size=3000017)");
	} else {
		exec_ok("DROP TRIGGER file_blob_no_update");
		exec_ok("UPDATE file_blob SET data = substr(data, 1, 2097159) || x'00' || substr(data, 2097161)"
			" WHERE id=(SELECT blob FROM file_hash WHERE size=3000017)");
	}
	ck_assert_int_eq(bz_files_copy(&n, e, L), BZ_ECORRUPT);
	ck_assert_int_eq(n, 0);
	ck_assert_ptr_nonnull(strstr(bz_ledger_errmsg(e), bz_file_uuid(f[2])));
	ck_assert_ptr_nonnull(strstr(bz_ledger_errmsg(e), bz_file_sha256(f[2])));
	ck_assert_int_eq(tu_count(e, "document_file"), 0);
	ck_assert_int_eq(tu_count(e, "file_hash"), 0);
	ck_assert_int_eq(tu_count(e, "file_blob"), 0);
	ck_assert_bz(bz_ledger_close(e));
	ck_assert_bz(bz_ledger_close(d));
	unlink(p);
	for (int i = 0; i < 6; i++)
		bz_file_free(f[i]);
}
END_TEST

/* an imported archive category whose code the ledger gives another name: a conflict, nothing written */
START_TEST(imported_category_conflict)
{
	bz_txn *t = tu_begin(L);
	ck_assert_bz(bz_archive_category_add(t, "ZDGZ", "重点工作台账档案"));
	ck_assert_bz(bz_document_file_under(t, plan_doc, "ZDGZ", 0));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	char x[512];
	snprintf(x, sizeof x, "%s/cat.jsonl", dir);
	bz_exchange *e = NULL;
	ck_assert_bz(bz_ledger_export(&e, L, x, NULL));
	bz_exchange_free(e);
	bz_ledger *d = NULL;
	ck_assert_bz(bz_ledger_open(&d, ":memory:", BZ_OPEN_CREATE));
	t = tu_begin(d);
	ck_assert_bz(bz_archive_category_add(t, "ZDGZ", "重点工作档案"));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	long long events = tu_count(d, "event");
	ck_assert_int_eq(bz_ledger_import(&e, d, x, BZ_IMPORT_NO_CHECK), BZ_EINVAL);
	ck_assert_int_eq(bz_exchange_conflict_count(e), 1);
	ck_assert_str_eq(bz_exchange_conflict_kind(e, 0), "archive_category");
	ck_assert_str_eq(bz_exchange_conflict_identity(e, 0), "ZDGZ");
	ck_assert_str_eq(bz_exchange_conflict_field(e, 0), "name");
	ck_assert_str_eq(bz_exchange_conflict_ours(e, 0), "重点工作档案");
	ck_assert_str_eq(bz_exchange_conflict_theirs(e, 0), "重点工作台账档案");
	ck_assert_int_gt(bz_exchange_conflict_line(e, 0), 0);
	bz_exchange_free(e);
	ck_assert_int_eq(tu_count(d, "event"), events);
	ck_assert_int_eq(tu_count(d, "document_tag"), 0);
	ck_assert_int_eq(tu_count(d, "document"), 0);
	ck_assert_bz(bz_ledger_close(d));
	/* the same code under the same name: the ledger's own category, its record not added a second time */
	ck_assert_bz(bz_ledger_open(&d, ":memory:", BZ_OPEN_CREATE));
	t = tu_begin(d);
	ck_assert_bz(bz_archive_category_add(t, "ZDGZ", "重点工作台账档案"));
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
	ck_assert_bz(bz_ledger_import(&e, d, x, BZ_IMPORT_NO_CHECK));
	ck_assert_int_eq(bz_exchange_mapped(e), 1);
	bz_exchange_free(e);
	bz_st *st = NULL;
	ck_assert_int_eq(bz_store_prepare(d->store, &st, "SELECT count(*) FROM event WHERE kind='archive.category'"), SQLITE_OK);
	ck_assert_int_eq(bz_st_step(st), SQLITE_ROW);
	ck_assert_int_eq(bz_st_column_int64(st, 0), 1);
	bz_st_finalize(st);
	char *cat = NULL;
	int year = 0;
	ck_assert_bz(bz_document_filed(&cat, &year, d, plan_doc));
	ck_assert_str_eq(cat, "ZDGZ");
	bz_free(cat);
	ck_assert_bz(bz_ledger_close(d));
	unlink(x);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("archive");
	TCase *tc = tcase_create("archive");
	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, attach_read_export);
	tcase_add_test(tc, known_hash_and_stream);
	tcase_add_test(tc, stored_once);
	tcase_add_test(tc, bad_input_refused);
	tcase_add_test(tc, business_document_takes_a_file);
	tcase_add_test(tc, altered_file_noticed);
	tcase_add_test(tc, files_append_only);
	tcase_add_test(tc, memory_flat);
	tcase_add_test(tc, big_file_in_odd_pieces);
	tcase_add_test(tc, categories_and_filing);
	tcase_add_test(tc, archive_of_a_unit);
	tcase_add_test(tc, archive_zip_and_selectors);
	tcase_add_test(tc, unit_changes_with_files);
	tcase_add_test(tc, names_made_safe_and_unique);
	tcase_add_test(tc, writer_open_at_commit);
	tcase_add_test(tc, files_travel_with_a_copy);
	tcase_add_test(tc, imported_category_conflict);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
