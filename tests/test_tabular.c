/*
 * test_tabular.c: the internal reader of CSV, XLSX and XLS files (src/tabular.h)
 * that the bulk import and the reconciliation read rosters with.
 *
 * Fixtures are written here byte by byte (CSV in UTF-8 with BOM and CRLF, in
 * GB18030 made with iconv, in UTF-16LE), with libxlsxwriter (XLSX), or
 * committed (tests/data/roster.xls, made with python3-xlwt: see its README).
 */
#include "testutil.h"
#include "tabular.h"

#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include <zip.h>

#ifndef BZ_TEST_DATA
#error "BZ_TEST_DATA (tests/data) must be defined"
#endif

static char path_buf[256];

static const char *tmp_path(const char *tag)
{
	const char *dir = getenv("TMPDIR");
	snprintf(path_buf, sizeof path_buf, "%s/bz-tab-%s-%ld", dir ? dir : "/tmp", tag, (long)getpid());
	return path_buf;
}

static void write_bytes(const char *path, const void *b, size_t n)
{
	FILE *f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(b, 1, n, f), n);
	ck_assert_int_eq(fclose(f), 0);
}

/* utf-8 text converted to another encoding with iconv; *n its length; caller frees */
static char *convert(const char *to, const char *utf8, size_t *n)
{
	iconv_t cd = iconv_open(to, "UTF-8");
	ck_assert(cd != (iconv_t)-1);
	size_t in_left = strlen(utf8), cap = in_left * 4 + 8, out_left = cap;
	char *out = malloc(cap), *in = (char *)utf8, *o = out;
	ck_assert_uint_ne(iconv(cd, &in, &in_left, &o, &out_left), (size_t)-1);
	iconv_close(cd);
	*n = cap - out_left;
	return out;
}

/* expect the next row to be exactly these cells at this line */
static void expect_row(bz_tab *t, long want_line, size_t want_n, const char *const *want)
{
	size_t n = 0;
	const char *const *cells = NULL;
	long line = 0;
	int rc = bz_tab_next(t, &n, &cells, &line);
	ck_assert_msg(rc == BZ_OK, "bz_tab_next: %d (line %ld expected)", rc, want_line);
	ck_assert_int_eq(line, want_line);
	ck_assert_msg(n == want_n, "line %ld: %zu cells, %zu expected", line, n, want_n);
	for (size_t i = 0; i < n; i++)
		ck_assert_msg(strcmp(cells[i], want[i]) == 0, "line %ld cell %zu: [%s], [%s] expected", line, i,
			      cells[i], want[i]);
}

static void expect_end(bz_tab *t)
{
	size_t n;
	const char *const *cells;
	long line;
	ck_assert_int_eq(bz_tab_next(t, &n, &cells, &line), BZ_ITEROVER);
	ck_assert_int_eq(bz_tab_next(t, &n, &cells, &line), BZ_ITEROVER); /* and stays there */
}

#define ROW(line, ...) do { const char *w_[] = {__VA_ARGS__}; \
	expect_row(t, line, sizeof w_ / sizeof *w_, w_); } while (0)

/* the roster text every CSV encoding test reads: a blank line, quoted
 * fields with commas, doubled quotes and a line break, spaces to trim */
static const char roster_text[] =
	"单位名称,姓名,身份证号,备注\r\n"
	"成县教育局,张伟,621221198503150012,\"调入，2012年\"\r\n"
	"\r\n"
	"  成县卫生健康局 , 李娜 ,\"621221199001010028\",\"外号\"\"小李\"\"\"\r\n"
	"\"成县财政局\",王芳,621221197811230035,\"第一行\r\n第二行\"\r\n"
	",,,\r\n"
	"成县公安局,赵强,621221198207070051,\"a,b\"";

static void expect_roster(bz_tab *t)
{
	ROW(1, "单位名称", "姓名", "身份证号", "备注");
	ROW(2, "成县教育局", "张伟", "621221198503150012", "调入，2012年");
	ROW(4, "成县卫生健康局", "李娜", "621221199001010028", "外号\"小李\"");
	ROW(5, "成县财政局", "王芳", "621221197811230035", "第一行\r\n第二行");
	/* line 7 ",,," is blank; the last record has no line break */
	ROW(8, "成县公安局", "赵强", "621221198207070051", "a,b");
	expect_end(t);
}

START_TEST(csv_utf8_bom_crlf)
{
	bz_ledger *l = tu_ledger();
	const char *p = tmp_path("bom.csv");
	size_t n = strlen(roster_text);
	char *b = malloc(n + 3);
	memcpy(b, "\xEF\xBB\xBF", 3);
	memcpy(b + 3, roster_text, n);
	write_bytes(p, b, n + 3);
	free(b);
	bz_tab *t = NULL;
	ck_assert_bz(bz_tab_open(&t, l, p));
	expect_roster(t);
	bz_tab_close(t);
	/* without the BOM, the same */
	write_bytes(p, roster_text, n);
	ck_assert_bz(bz_tab_open(&t, l, p));
	expect_roster(t);
	bz_tab_close(t);
	unlink(p);
	bz_ledger_close(l);
}
END_TEST

START_TEST(csv_gb18030_without_bom)
{
	bz_ledger *l = tu_ledger();
	const char *p = tmp_path("gb.csv");
	size_t n;
	char *b = convert("GB18030", roster_text, &n);
	/* the bytes really are not UTF-8 (so the detection is what is tested) */
	ck_assert_int_ne(memcmp(b, roster_text, 6), 0);
	write_bytes(p, b, n);
	free(b);
	bz_tab *t = NULL;
	ck_assert_bz(bz_tab_open(&t, l, p));
	expect_roster(t);
	bz_tab_close(t);
	unlink(p);
	bz_ledger_close(l);
}
END_TEST

START_TEST(csv_gb18030_long_file_across_blocks)
{
	/* 4,000 rows of Chinese in GB18030: two-byte characters fall across the
	 * 64 KiB blocks the reader converts, and must come out whole */
	bz_ledger *l = tu_ledger();
	const char *p = tmp_path("gblong.csv");
	size_t cap = 4000 * 80, len = 0;
	char *u = malloc(cap);
	for (int i = 0; i < 4000; i++)
		len += (size_t)snprintf(u + len, cap - len, "第%d号,陇南市成县教育局职工%d\n", i, i);
	size_t n;
	char *b = convert("GB18030", u, &n);
	ck_assert_uint_gt(n, 65536 * 2);
	write_bytes(p, b, n);
	free(b);
	free(u);
	bz_tab *t = NULL;
	ck_assert_bz(bz_tab_open(&t, l, p));
	char a[64], c[64];
	for (int i = 0; i < 4000; i++) {
		snprintf(a, sizeof a, "第%d号", i);
		snprintf(c, sizeof c, "陇南市成县教育局职工%d", i);
		const char *w[] = {a, c};
		expect_row(t, i + 1, 2, w);
	}
	expect_end(t);
	bz_tab_close(t);
	unlink(p);
	bz_ledger_close(l);
}
END_TEST

START_TEST(csv_utf16le_bom)
{
	bz_ledger *l = tu_ledger();
	const char *p = tmp_path("u16.csv");
	size_t n;
	char *b = convert("UTF-16LE", roster_text, &n);
	char *f = malloc(n + 2);
	memcpy(f, "\xFF\xFE", 2);
	memcpy(f + 2, b, n);
	write_bytes(p, f, n + 2);
	free(b);
	free(f);
	bz_tab *t = NULL;
	ck_assert_bz(bz_tab_open(&t, l, p));
	expect_roster(t);
	bz_tab_close(t);
	unlink(p);
	bz_ledger_close(l);
}
END_TEST

START_TEST(xlsx_first_sheet)
{
	bz_ledger *l = tu_ledger();
	const char *p = tmp_path("book.xlsx");
	lxw_workbook *wb = workbook_new(p);
	ck_assert_ptr_nonnull(wb);
	lxw_worksheet *ws = workbook_add_worksheet(wb, "花名册");
	lxw_worksheet *ws2 = workbook_add_worksheet(wb, "说明");
	lxw_format *iso = workbook_add_format(wb);
	format_set_num_format(iso, "yyyy-mm-dd");
	lxw_format *cjk = workbook_add_format(wb);
	format_set_num_format(cjk, "yyyy\"年\"m\"月\"d\"日\"");
	lxw_format *money = workbook_add_format(wb);
	format_set_num_format(money, "#,##0.00");
	lxw_datetime d1 = {2012, 3, 5, 0, 0, 0}, d2 = {1999, 12, 31, 8, 30, 0};
	const char *head[] = {"单位名称", "姓名", "身份证号", "入编时间", "编制数", "月工资", "备注"};
	for (int c = 0; c < 7; c++)
		worksheet_write_string(ws, 0, (lxw_col_t)c, head[c], NULL);
	worksheet_write_string(ws, 1, 0, "成县教育局", NULL);
	worksheet_write_string(ws, 1, 1, "张伟", NULL);
	worksheet_write_string(ws, 1, 2, "621221198503150012", NULL);
	worksheet_write_datetime(ws, 1, 3, &d1, iso);
	worksheet_write_number(ws, 1, 4, 35, NULL);
	worksheet_write_number(ws, 1, 5, 4567.5, money);
	worksheet_write_string(ws, 1, 6, "  前后有空格\xE3\x80\x80", NULL);
	/* an ID typed as a number: Excel keeps 15 digits; no exponent, no digit invented */
	worksheet_write_string(ws, 2, 0, "成县卫生健康局", NULL);
	worksheet_write_string(ws, 2, 1, "李娜", NULL);
	worksheet_write_number(ws, 2, 2, 621221199001010028.0, NULL);
	worksheet_write_datetime(ws, 2, 3, &d2, cjk);
	worksheet_write_number(ws, 2, 4, -3, NULL);
	worksheet_write_number(ws, 2, 5, 0.1 + 0.2, NULL);
	worksheet_write_boolean(ws, 2, 6, 1, NULL);
	/* row 4 blank (an empty string cell only), row 5 with gaps */
	worksheet_write_string(ws, 3, 1, "", NULL);
	worksheet_write_string(ws, 4, 0, "成县财政局", NULL);
	worksheet_write_string(ws, 4, 2, "621221197811230035", NULL);
	worksheet_write_number(ws, 4, 4, 12, NULL);
	worksheet_write_string(ws2, 0, 0, "第二张表不读", NULL);
	ck_assert_int_eq(workbook_close(wb), LXW_NO_ERROR);

	bz_tab *t = NULL;
	ck_assert_bz(bz_tab_open(&t, l, p));
	ROW(1, "单位名称", "姓名", "身份证号", "入编时间", "编制数", "月工资", "备注");
	ROW(2, "成县教育局", "张伟", "621221198503150012", "2012-03-05", "35", "4567.5", "前后有空格");
	ROW(3, "成县卫生健康局", "李娜", "621221199001010000", "1999-12-31", "-3", "0.3", "TRUE");
	ROW(5, "成县财政局", "", "621221197811230035", "", "12");
	expect_end(t);
	ck_assert_uint_gt(bz_tab_peak(t), 0);
	bz_tab_close(t);
	unlink(p);
	bz_ledger_close(l);
}
END_TEST

START_TEST(xls_first_sheet)
{
	bz_ledger *l = tu_ledger();
	bz_tab *t = NULL;
	ck_assert_bz(bz_tab_open(&t, l, BZ_TEST_DATA "/roster.xls"));
	ROW(1, "单位名称", "姓名", "身份证号", "入编时间", "编制数", "月工资", "备注");
	ROW(2, "成县教育局", "张伟", "621221198503150012", "2012-03-05", "35", "4567.5", "前后有空格");
	ROW(3, "成县卫生健康局", "李娜", "621221199001010000", "2015-09-01", "28", "3800");
	ROW(5, "成县财政局", "", "621221197811230035", "", "12");
	expect_end(t);
	bz_tab_close(t);
	bz_ledger_close(l);
}
END_TEST

/* the content decides, not the name: an XLSX named .csv is read as XLSX */
START_TEST(kind_from_content)
{
	bz_ledger *l = tu_ledger();
	const char *p = tmp_path("really-xlsx.csv");
	lxw_workbook *wb = workbook_new(p);
	lxw_worksheet *ws = workbook_add_worksheet(wb, NULL);
	worksheet_write_string(ws, 0, 0, "身份证号", NULL);
	worksheet_write_number(ws, 1, 0, 42, NULL);
	ck_assert_int_eq(workbook_close(wb), LXW_NO_ERROR);
	bz_tab *t = NULL;
	ck_assert_bz(bz_tab_open(&t, l, p));
	ROW(1, "身份证号");
	ROW(2, "42");
	expect_end(t);
	bz_tab_close(t);
	unlink(p);
	bz_ledger_close(l);
}
END_TEST

static void expect_open_fails(bz_ledger *l, const char *p, int code, const char *msg)
{
	bz_tab *t = (bz_tab *)1;
	ck_assert_int_eq(bz_tab_open(&t, l, p), code);
	ck_assert_ptr_null(t);
	ck_assert_msg(strstr(bz_ledger_errmsg(l), msg) != NULL, "message [%s], [%s] expected", bz_ledger_errmsg(l), msg);
}

/* bz_tab_next fails with code and a message holding msg, and keeps failing */
static void expect_next_fails(bz_tab *t, bz_ledger *l, int code, const char *msg)
{
	size_t n;
	const char *const *cells;
	long line;
	int rc;
	while ((rc = bz_tab_next(t, &n, &cells, &line)) == BZ_OK)
		;
	ck_assert_int_eq(rc, code);
	ck_assert_msg(strstr(bz_ledger_errmsg(l), msg) != NULL, "message [%s], [%s] expected", bz_ledger_errmsg(l), msg);
	ck_assert_int_eq(bz_tab_next(t, &n, &cells, &line), code);
}

START_TEST(errors_missing_binary_unterminated)
{
	bz_ledger *l = tu_ledger();
	char msg[400];
	/* a missing file: BZ_EIO, the path and the cause in words */
	const char *p = tmp_path("missing.csv");
	unlink(p);
	snprintf(msg, sizeof msg, "%s: no such file or directory", p);
	expect_open_fails(l, p, BZ_EIO, msg);
	/* a directory */
	expect_open_fails(l, "/tmp", BZ_EIO, "/tmp: is a directory");

	/* a binary file (NUL bytes): not a CSV */
	p = tmp_path("binary.csv");
	unsigned char bin[512];
	for (size_t i = 0; i < sizeof bin; i++)
		bin[i] = (unsigned char)(i * 37);
	write_bytes(p, bin, sizeof bin);
	snprintf(msg, sizeof msg, "%s: not a CSV, XLSX or XLS file", p);
	expect_open_fails(l, p, BZ_EINVAL, msg);
	/* a zip that is not a workbook, an OLE2 file that is not one */
	write_bytes(p, "PK\3\4 this is not a zip archive at all", 38);
	expect_open_fails(l, p, BZ_EINVAL, msg);
	unsigned char ole[1024] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
	write_bytes(p, ole, sizeof ole);
	expect_open_fails(l, p, BZ_EINVAL, msg);

	/* an unterminated quote: the line its record starts on */
	p = tmp_path("quote.csv");
	const char q[] = "姓名,身份证号\n张伟,621221198503150012\n\"李娜,621221199001010028\n王芳,1\n";
	write_bytes(p, q, sizeof q - 1);
	bz_tab *t = NULL;
	ck_assert_bz(bz_tab_open(&t, l, p));
	snprintf(msg, sizeof msg, "%s line 3: a quoted field is not closed", p);
	expect_next_fails(t, l, BZ_EINVAL, msg);
	bz_tab_close(t);

	/* a stray quote in an unquoted field: the line it is on */
	const char stray[] = "姓名,身高\n张伟,170\n李娜,5\"4\n";
	write_bytes(p, stray, sizeof stray - 1);
	ck_assert_bz(bz_tab_open(&t, l, p));
	snprintf(msg, sizeof msg, "%s line 3: a \" inside a field that is not quoted", p);
	expect_next_fails(t, l, BZ_EINVAL, msg);
	bz_tab_close(t);

	/* bytes that are neither UTF-8 nor GB18030 (0xFF never leads a character) */
	const char bad[] = "姓名,身份证号\n张伟,1\n\xFF\xFF\xFF,2\n";
	write_bytes(p, bad, sizeof bad - 1);
	ck_assert_bz(bz_tab_open(&t, l, p));
	snprintf(msg, sizeof msg, "%s line 3: neither UTF-8 nor GB18030 text", p);
	expect_next_fails(t, l, BZ_EINVAL, msg);
	bz_tab_close(t);

	unlink(p);
	ck_assert_int_eq(bz_tab_open(NULL, l, p), BZ_EINVAL);
	ck_assert_int_eq(bz_tab_open(&t, l, NULL), BZ_EINVAL);
	bz_tab_close(NULL);
	unlink(tmp_path("binary.csv"));
	bz_ledger_close(l);
}
END_TEST

static void zip_add(zipFile z, const char *name, const char *text)
{
	ck_assert_int_eq(zipOpenNewFileInZip(z, name, NULL, NULL, 0, NULL, 0, NULL, Z_DEFLATED, Z_DEFAULT_COMPRESSION), ZIP_OK);
	ck_assert_int_eq(zipWriteInFileInZip(z, text, (unsigned)strlen(text)), ZIP_OK);
	ck_assert_int_eq(zipCloseFileInZip(z), ZIP_OK);
}

/* a workbook whose sheet XML breaks off after two rows: the two rows, then
 * an error naming the line; a zip without a workbook is not a workbook */
START_TEST(xlsx_damaged)
{
	bz_ledger *l = tu_ledger();
	const char *p = tmp_path("cut.xlsx");
	zipFile z = zipOpen(p, APPEND_STATUS_CREATE);
	ck_assert_ptr_nonnull(z);
	zip_add(z, "xl/workbook.xml",
		"<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\""
		" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
		"<sheets><sheet name=\"名册\" sheetId=\"1\" r:id=\"rId7\"/></sheets></workbook>");
	zip_add(z, "xl/_rels/workbook.xml.rels",
		"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
		"<Relationship Id=\"rId7\" Type=\"x\" Target=\"worksheets/名册.xml\"/></Relationships>");
	zip_add(z, "xl/worksheets/名册.xml",
		"<worksheet><sheetData>"
		"<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>姓名</t></is></c><c r=\"C1\" t=\"str\"><v>身份证号</v></c></row>"
		"<row r=\"2\"><c t=\"inlineStr\"><is><r><t>张</t></r><r><t>伟</t></r><rPh><t>zhang</t></rPh></is></c>"
		"<c><v>4.1010219800101101E+17</v></c></row>"
		"<row r=\"3\"><c r=\"A3\" t=\"inlineStr\"><is><t>李");
	ck_assert_int_eq(zipClose(z, NULL), ZIP_OK);
	bz_tab *t = NULL;
	ck_assert_bz(bz_tab_open(&t, l, p));
	ROW(1, "姓名", "", "身份证号");
	ROW(2, "张伟", "410102198001011000");
	char msg[400];
	snprintf(msg, sizeof msg, "%s line 3: the worksheet is not well-formed XML", p);
	expect_next_fails(t, l, BZ_EINVAL, msg);
	bz_tab_close(t);

	z = zipOpen(p, APPEND_STATUS_CREATE);
	zip_add(z, "readme.txt", "not a workbook");
	ck_assert_int_eq(zipClose(z, NULL), ZIP_OK);
	snprintf(msg, sizeof msg, "%s: not a CSV, XLSX or XLS file", p);
	expect_open_fails(l, p, BZ_EINVAL, msg);
	unlink(p);
	bz_ledger_close(l);
}
END_TEST

START_TEST(empty_file)
{
	bz_ledger *l = tu_ledger();
	const char *p = tmp_path("empty.csv");
	write_bytes(p, "", 0);
	bz_tab *t = NULL;
	ck_assert_bz(bz_tab_open(&t, l, p));
	expect_end(t);
	bz_tab_close(t);
	write_bytes(p, "\xEF\xBB\xBF\r\n\r\n , \r\n", 12);
	ck_assert_bz(bz_tab_open(&t, l, p));
	expect_end(t);
	bz_tab_close(t);
	unlink(p);
	bz_ledger_close(l);
}
END_TEST

/* 200,000 rows: the row buffers never grow past what the first rows needed */
START_TEST(memory_flat_200k)
{
	bz_ledger *l = tu_ledger();
	const char *p = tmp_path("big.csv");
	FILE *f = fopen(p, "wb");
	ck_assert_ptr_nonnull(f);
	fputs("\xEF\xBB\xBF单位名称,姓名,身份证号,人员分类\r\n", f);
	for (int i = 0; i < 200000; i++)
		fprintf(f, "成县第%d中学,职工%06d,6212211985%08d,\"事业编制\"\r\n", i % 50, i, i);
	ck_assert_int_eq(fclose(f), 0);
	bz_tab *t = NULL;
	ck_assert_bz(bz_tab_open(&t, l, p));
	size_t n, peak_early = 0;
	const char *const *cells;
	long line, rows = 0;
	int rc;
	char want[32];
	while ((rc = bz_tab_next(t, &n, &cells, &line)) == BZ_OK) {
		ck_assert_uint_eq(n, 4);
		ck_assert_int_eq(line, rows + 1);
		if (rows > 0 && rows % 50000 == 0) {
			snprintf(want, sizeof want, "职工%06ld", rows - 1);
			ck_assert_str_eq(cells[1], want);
		}
		if (++rows == 1000)
			peak_early = bz_tab_peak(t);
	}
	ck_assert_int_eq(rc, BZ_ITEROVER);
	ck_assert_int_eq(rows, 200001);
	/* what a 64 KiB block of rows needs at most, and the same after 200,000 as after 1,000 */
	ck_assert_uint_gt(peak_early, 0);
	ck_assert_uint_eq(bz_tab_peak(t), peak_early);
	ck_assert_uint_lt(bz_tab_peak(t), 256 * 1024);
	bz_tab_close(t);
	unlink(p);
	bz_ledger_close(l);
}
END_TEST

START_TEST(dates)
{
	char d[BZ_DATE_LEN + 1];
	static const char *const ok[][2] = {
		{"2012-03-05", "2012-03-05"}, {"2012-3-5", "2012-03-05"}, {"2012/3/5", "2012-03-05"},
		{"2012.3.5", "2012-03-05"}, {"2012年3月5日", "2012-03-05"}, {"2012年03月05日", "2012-03-05"},
		{"2012年3月5", "2012-03-05"}, {"20120305", "2012-03-05"}, {" 2012-03-05 ", "2012-03-05"},
		{"2012-03-05 08:30:00", "2012-03-05"}, {"2000-02-29", "2000-02-29"},
	};
	for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
		ck_assert_msg(bz_tab_date(d, ok[i][0]) == BZ_OK, "%s refused", ok[i][0]);
		ck_assert_str_eq(d, ok[i][1]);
	}
	static const char *const bad[] = {"", "2012", "2012-13-01", "2013-02-29", "2012/3-5", "2012年3月",
					  "40973", "12-03-05", "2012-03-05x", "二〇一二年三月五日", "20121305"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		ck_assert_msg(bz_tab_date(d, bad[i]) == BZ_EINVAL, "%s accepted", bad[i]);
		ck_assert_str_eq(d, "");
	}
	ck_assert_int_eq(bz_tab_date(d, NULL), BZ_EINVAL);
	ck_assert_int_eq(bz_tab_date(NULL, "2012-03-05"), BZ_EINVAL);
}
END_TEST

START_TEST(headers)
{
	const char *cells[] = {"序号", "姓　名", "*身份证号", "单位名称（必填）", "人员分类*", " 发放状态 ", "姓名"};
	const char *names[] = {"身份证号", "姓名", "单位名称", "统一社会信用代码", "人员分类", "发放状态"};
	int col[6];
	ck_assert_bz(bz_tab_header(cells, 7, names, 6, col));
	ck_assert_int_eq(col[0], 2);
	ck_assert_int_eq(col[1], 1); /* the first of two 姓名 */
	ck_assert_int_eq(col[2], 3);
	ck_assert_int_eq(col[3], -1);
	ck_assert_int_eq(col[4], 4);
	ck_assert_int_eq(col[5], 5);
	const char *half[] = {"单位名称(必填)", "身份证号码"};
	ck_assert_bz(bz_tab_header(half, 2, names, 3, col));
	ck_assert_int_eq(col[0], -1); /* 身份证号码 is another name */
	ck_assert_int_eq(col[2], 0);
	ck_assert_int_eq(bz_tab_header(NULL, 2, names, 3, col), BZ_EINVAL);
	ck_assert_int_eq(bz_tab_header(cells, 7, names, 3, NULL), BZ_EINVAL);
}
END_TEST


/* ---- XLS through the helper process (bianzhi-xls, src/xls_frame.h) ---------------------------- */

/* no child of this process is left, running or a zombie */
static void assert_no_child(void)
{
	int st;
	errno = 0;
	ck_assert_int_eq(waitpid(-1, &st, WNOHANG), -1);
	ck_assert_int_eq(errno, ECHILD);
}

/* a stand-in helper: a shell script with this body */
static const char *fake_helper(const char *tag, const char *body)
{
	static char p[300];
	const char *dir = getenv("TMPDIR");
	snprintf(p, sizeof p, "%s/bz-xls-%s-%ld.sh", dir ? dir : "/tmp", tag, (long)getpid());
	char text[1024];
	snprintf(text, sizeof text, "#!/bin/sh\n%s\n", body);
	write_bytes(p, text, strlen(text));
	ck_assert_int_eq(chmod(p, 0700), 0);
	return p;
}

/* the helper run with this body on roster.xls: the open or a later row fails with code and msg */
static void expect_helper_fails(const char *tag, const char *body, int code, const char *msg)
{
	const char *was = getenv("BIANZHI_XLS_HELPER");
	char *keep = was ? strdup(was) : NULL;
	const char *h = fake_helper(tag, body);
	char script[300];
	snprintf(script, sizeof script, "%s", h);
	ck_assert_int_eq(setenv("BIANZHI_XLS_HELPER", script, 1), 0);
	bz_ledger *l = tu_ledger();
	bz_tab *t = NULL;
	int rc = bz_tab_open(&t, l, BZ_TEST_DATA "/roster.xls");
	if (rc == BZ_OK)
		expect_next_fails(t, l, code, msg);
	else {
		ck_assert_int_eq(rc, code);
		ck_assert_ptr_null(t);
		ck_assert_msg(strstr(bz_ledger_errmsg(l), msg) != NULL, "%s: message [%s], [%s] expected", tag,
			      bz_ledger_errmsg(l), msg);
	}
	/* the message names the file and says what happened */
	ck_assert_msg(strstr(bz_ledger_errmsg(l), BZ_TEST_DATA "/roster.xls: the XLS file could not be read: ") != NULL ||
		      code != BZ_EINVAL || strstr(msg, "could not be read") == NULL, "%s: [%s]", tag, bz_ledger_errmsg(l));
	bz_tab_close(t);
	assert_no_child();
	bz_ledger_close(l);
	unlink(script);
	if (keep)
		setenv("BIANZHI_XLS_HELPER", keep, 1);
	else
		unsetenv("BIANZHI_XLS_HELPER");
	free(keep);
}

/* the crafted file that makes libfreexl 1.0.6 read past a stack buffer
 * (tests/fuzz/tabular/, found by ./bz fuzz): the helper reads it, not this process — a clean
 * refusal (or, where libfreexl happens to survive it, rows), the host alive,
 * the helper reaped */
START_TEST(xls_crafted_file_in_the_helper)
{
	bz_ledger *l = tu_ledger();
	bz_tab *t = NULL;
	int rc = bz_tab_open(&t, l, BZ_TEST_DATA "/../fuzz/tabular/freexl-stack-read.xls");
	if (rc == BZ_OK) {
		size_t n;
		const char *const *cells;
		long line;
		while ((rc = bz_tab_next(t, &n, &cells, &line)) == BZ_OK)
			;
		ck_assert_msg(rc == BZ_ITEROVER || rc == BZ_EINVAL, "%d %s", rc, bz_ledger_errmsg(l));
		bz_tab_close(t);
	} else {
		/* a plain helper: freexl refuses the file; a sanitized one: it dies */
		ck_assert_int_eq(rc, BZ_EINVAL);
		ck_assert_ptr_null(t);
		const char *m = bz_ledger_errmsg(l);
		ck_assert_msg(strstr(m, "freexl-stack-read.xls: not a CSV, XLSX or XLS file") ||
				      strstr(m, "freexl-stack-read.xls: the XLS file could not be read: "),
			      "[%s]", m);
	}
	assert_no_child();
	/* and the next file is read as ever */
	ck_assert_bz(bz_tab_open(&t, l, BZ_TEST_DATA "/roster.xls"));
	ROW(1, "单位名称", "姓名", "身份证号", "入编时间", "编制数", "月工资", "备注");
	bz_tab_close(t); /* before the end: the helper is stopped and reaped */
	assert_no_child();
	bz_ledger_close(l);
}
END_TEST

START_TEST(xls_helper_failures)
{
	/* missing */
	const char *was = getenv("BIANZHI_XLS_HELPER");
	char *keep = was ? strdup(was) : NULL;
	setenv("BIANZHI_XLS_HELPER", "/nonexistent/bianzhi-xls", 1);
	bz_ledger *l = tu_ledger();
	expect_open_fails(l, BZ_TEST_DATA "/roster.xls", BZ_EIO,
			  "roster.xls: the XLS file could not be read: its reader /nonexistent/bianzhi-xls cannot be run (No such file or directory)");
	assert_no_child();
	bz_ledger_close(l);
	if (keep)
		setenv("BIANZHI_XLS_HELPER", keep, 1);
	else
		unsetenv("BIANZHI_XLS_HELPER");
	free(keep);

	/* it crashes: before writing anything, and in the middle of a row */
	expect_helper_fails("segv", "kill -SEGV $$", BZ_EINVAL, "was killed by signal 11 (Segmentation fault): the file is damaged or crafted");
	expect_helper_fails("segv-row", "printf 'BZXLS1\\nH\\001\\0\\0\\0\\002\\0\\0\\0R\\0\\0\\0\\0n'; kill -SEGV $$",
			    BZ_EINVAL, "was killed by signal 11 (Segmentation fault)");
	/* it exits non-zero, or 0 without finishing */
	expect_helper_fails("exit3", "printf 'BZXLS1\\n'; exit 3", BZ_EINVAL, "exited with status 3: the file is damaged or crafted");
	expect_helper_fails("short", "printf 'BZXLS1\\nH\\002\\0\\0\\0\\001\\0\\0\\0R\\0\\0\\0\\0n'", BZ_EINVAL,
			    "ended without finishing the sheet");
	/* what it writes is not its output: no magic, a row out of order, a text longer than the bound, not UTF-8 */
	expect_helper_fails("nomagic", "echo hello world", BZ_EINVAL, "wrote something that is not its output");
	expect_helper_fails("order", "printf 'BZXLS1\\nH\\002\\0\\0\\0\\001\\0\\0\\0R\\001\\0\\0\\0n'", BZ_EINVAL,
			    "wrote something that is not its output");
	expect_helper_fails("huge", "printf 'BZXLS1\\nH\\002\\0\\0\\0\\001\\0\\0\\0R\\0\\0\\0\\0t\\377\\377\\377\\177'", BZ_EINVAL,
			    "wrote something that is not its output");
	expect_helper_fails("utf8", "printf 'BZXLS1\\nH\\001\\0\\0\\0\\001\\0\\0\\0R\\0\\0\\0\\0t\\002\\0\\0\\0\\377\\376Z'",
			    BZ_EINVAL, "wrote something that is not its output");
	expect_helper_fails("dims", "printf 'BZXLS1\\nH\\001\\0\\0\\0\\377\\377\\377\\377Z'", BZ_EINVAL,
			    "wrote something that is not its output");
	/* it says why it stopped, as the library did before the helper */
	expect_helper_fails("password", "printf 'BZXLS1\\nE\\003'", BZ_EINVAL, "roster.xls: the workbook is password-protected");
	expect_helper_fails("cell", "printf 'BZXLS1\\nH\\002\\0\\0\\0\\001\\0\\0\\0R\\0\\0\\0\\0nE\\005'", BZ_EINVAL,
			    "roster.xls line 2: a cell cannot be read");
	/* as bianzhi-xls says it: in the middle of the row whose cell it cannot read */
	expect_helper_fails("cell-in-row", "printf 'BZXLS1\\nH\\002\\0\\0\\0\\002\\0\\0\\0R\\0\\0\\0\\0nE\\005'", BZ_EINVAL,
			    "roster.xls line 1: a cell cannot be read");
	/* it hangs: stopped after the wait (BIANZHI_XLS_TIMEOUT_MS), killed and reaped */
	setenv("BIANZHI_XLS_TIMEOUT_MS", "300", 1);
	expect_helper_fails("hang", "printf 'BZXLS1\\n'; exec sleep 60", BZ_EINVAL, "wrote nothing for 300 ms and was stopped");
	unsetenv("BIANZHI_XLS_TIMEOUT_MS");
	/* a well-behaved stand-in: its rows are the rows */
	expect_helper_fails("fine", "printf 'BZXLS1\\nH\\001\\0\\0\\0\\002\\0\\0\\0R\\0\\0\\0\\0t\\006\\0\\0\\0\\345\\274\\240\\344\\274\\237i\\052\\0\\0\\0Z'",
			    BZ_ITEROVER, "");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("tabular");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, csv_utf8_bom_crlf);
	tcase_add_test(tc, csv_gb18030_without_bom);
	tcase_add_test(tc, csv_gb18030_long_file_across_blocks);
	tcase_add_test(tc, csv_utf16le_bom);
	tcase_add_test(tc, xlsx_first_sheet);
	tcase_add_test(tc, xls_first_sheet);
	tcase_add_test(tc, xls_crafted_file_in_the_helper);
	tcase_add_test(tc, xls_helper_failures);
	tcase_add_test(tc, kind_from_content);
	tcase_add_test(tc, errors_missing_binary_unterminated);
	tcase_add_test(tc, xlsx_damaged);
	tcase_add_test(tc, empty_file);
	tcase_add_test(tc, memory_flat_200k);
	tcase_add_test(tc, dates);
	tcase_add_test(tc, headers);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
