/*
 * test_jsonl.c: the strict JSON of the exchange format (src/jsonl.h), by
 * itself: what it takes, what it refuses and why (line and column), the
 * writer's text byte for byte as jansson wrote it, and every allocation of
 * both failing in turn (BZ_ENOMEM, never a wrong answer — what jansson could
 * not promise). The exchange files themselves: test_exchange.c.
 */
#include "testutil.h"
#include "jsonl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const bz_js *parse_ok(bz_jr *r, const char *text)
{
	const bz_js *v = NULL;
	char why[256];
	int rc = bz_jr_parse(r, text, strlen(text), &v, why, sizeof why);
	ck_assert_msg(rc == BZ_OK, "[%s]: %d %s", text, rc, why);
	ck_assert_ptr_nonnull(v);
	return v;
}

static void refused(const char *text, size_t len, const char *want)
{
	bz_jr r = {0};
	const bz_js *v = (const bz_js *)1;
	char why[256];
	int rc = bz_jr_parse(&r, text, len, &v, why, sizeof why);
	ck_assert_msg(rc == BZ_EINVAL, "[%.*s]: %d, BZ_EINVAL expected", (int)(len < 200 ? len : 200), text, rc);
	ck_assert_ptr_null(v);
	ck_assert_msg(strcmp(why, want) == 0, "[%.*s]: [%s], [%s] expected", (int)(len < 200 ? len : 200), text, why, want);
	bz_jr_free(&r);
}

START_TEST(reads_the_format)
{
	bz_jr r = {0};
	const bz_js *o = parse_ok(&r, " {\"type\":\"person\",\"id_number\":\"62122119850315001X\",\"name\":\"张伟\\u00b7\\ud83d\\ude00\","
				      "\"n\":-9223372036854775808,\"m\":9223372036854775807,\"x\":null,\"r\":[\"u\",7],"
				      "\"o\":{\"a\":true,\"b\":false,\"c\":1.5e3},\"e\":\"a\\\"\\\\\\/\\b\\f\\n\\r\\t\"}\t");
	ck_assert(bz_js_is(o, BZ_JS_OBJ));
	ck_assert_uint_eq(o->n, 9);
	ck_assert_str_eq(bz_js_str(bz_js_get(o, "type")), "person");
	ck_assert_str_eq(bz_js_str(bz_js_get(o, "name")), "张伟·😀");
	ck_assert_int_eq(bz_js_get(o, "n")->u.i, INT64_MIN);
	ck_assert_int_eq(bz_js_get(o, "m")->u.i, INT64_MAX);
	ck_assert(bz_js_is(bz_js_get(o, "x"), BZ_JS_NULL));
	const bz_js *a = bz_js_get(o, "r");
	ck_assert(bz_js_is(a, BZ_JS_ARR) && a->n == 2 && bz_js_is(&a->u.kid[1], BZ_JS_INT) && a->u.kid[1].u.i == 7);
	const bz_js *n = bz_js_get(o, "o");
	ck_assert(bz_js_is(bz_js_get(n, "a"), BZ_JS_TRUE) && bz_js_is(bz_js_get(n, "b"), BZ_JS_FALSE));
	ck_assert(bz_js_is(bz_js_get(n, "c"), BZ_JS_REAL));
	ck_assert_str_eq(bz_js_get(n, "c")->u.s, "1.5e3");
	const bz_js *e = bz_js_get(o, "e");
	ck_assert_uint_eq(e->n, 9);
	ck_assert_mem_eq(e->u.s, "a\"\\/\b\f\n\r\t", 9);
	/* absent, and asked of what is not an object */
	ck_assert_ptr_null(bz_js_get(o, "missing"));
	ck_assert_ptr_null(bz_js_get(e, "type"));
	ck_assert_ptr_null(bz_js_str(bz_js_get(o, "n")));
	/* a scalar and an empty container are values too */
	ck_assert(bz_js_is(parse_ok(&r, "[]"), BZ_JS_ARR));
	ck_assert(bz_js_is(parse_ok(&r, "{}"), BZ_JS_OBJ));
	ck_assert(bz_js_is(parse_ok(&r, "0"), BZ_JS_INT));
	ck_assert(bz_js_is(parse_ok(&r, "-0.0"), BZ_JS_REAL));
	bz_jr_free(&r);
}
END_TEST

START_TEST(refuses_with_the_column)
{
	refused("", 0, "a value expected at column 1");
	refused("{\"a\":1,\"a\":2}", 13, "a duplicate key \"a\" at column 8");
	refused("{\"a\":01}", 8, "a number with a leading zero at column 7");
	refused("[9223372036854775808]", 21, "an integer out of range at column 2");
	refused("[-9223372036854775809]", 22, "an integer out of range at column 2");
	refused("[99999999999999999999999]", 25, "an integer out of range at column 2");
	refused("[\"\\u0000\"]", 10, "\\u0000 in a string at column 9");
	refused("[\"\\udc00\"]", 10, "a lone surrogate \\uDC00 at column 9");
	refused("[\"\\ud800x\"]", 11, "a lone surrogate \\uD800 at column 9");
	refused("[\"\\u12G4\"]", 10, "an invalid \\u escape at column 3");
	refused("[\"\\x\"]", 6, "an invalid escape in a string at column 3");
	refused("[\"a\tb\"]", 7, "control character 0x9 in a string at column 4");
	refused("[\"\xff\"]", 5, "a string that is not UTF-8 (byte 0xff) at column 3");
	refused("[\"\xc0\xaf\"]", 6, "a string that is not UTF-8 (byte 0xc0) at column 3");     /* overlong */
	refused("[\"\xed\xa0\x80\"]", 7, "a string that is not UTF-8 (byte 0xed) at column 3"); /* a surrogate */
	refused("[\"abc", 5, "a string does not end at column 2");
	refused("{\"a\":1} x", 9, "the end of the line expected at column 9");
	refused("{\"a\" 1}", 7, "':' expected at column 6");
	refused("{\"a\":1 \"b\":2}", 13, "',' or '}' expected at column 8");
	refused("[1 2]", 5, "',' or ']' expected at column 4");
	refused("{1:2}", 5, "a key (a string) expected at column 2");
	refused("[tru]", 5, "an invalid token at column 2");
	refused("[1.]", 4, "an invalid number at column 4");
	refused("[1e]", 4, "an invalid number at column 4");
	refused("[-]", 3, "an invalid number at column 3");
	refused("[\"a\0b\"]", 7, "control character 0x0 in a string at column 4");
	refused("{\"a\\u0000\":1}", 13, "\\u0000 in a string at column 10");
	char deep[200];
	memset(deep, '[', 65);
	memset(deep + 65, ']', 65);
	refused(deep, 130, "nested deeper than 64 levels at column 65");
	/* 64 levels are fine */
	bz_jr r = {0};
	memset(deep, '[', 64);
	memset(deep + 64, ']', 64);
	deep[128] = '\0';
	ck_assert(bz_js_is(parse_ok(&r, deep), BZ_JS_ARR));
	/* members of an object: 1,024, not one more */
	size_t cap = 16 * 1100;
	char *big = malloc(cap);
	size_t len = 0;
	big[len++] = '{';
	for (int i = 0; i < 1025; i++)
		len += (size_t)snprintf(big + len, cap - len, "%s\"k%d\":%d", i ? "," : "", i, i);
	big[len++] = '}';
	big[len] = '\0';
	char want[80];
	snprintf(want, sizeof want, "an object of more than 1024 members at column %zu", (size_t)(strstr(big, "\"k1024\"") - big) + 1);
	refused(big, len, want);
	char *cut = strstr(big, ",\"k1024\"");
	strcpy(cut, "}");
	ck_assert_uint_eq(parse_ok(&r, big)->n, 1024);
	free(big);
	bz_jr_free(&r);
}
END_TEST

/* the writer's text: what jansson's json_dumps(JSON_COMPACT | JSON_PRESERVE_ORDER) wrote */
START_TEST(writes_as_jansson_did)
{
	bz_jw w = {0};
	static const char s[] = "a\"\\/\x01\x1f\x7f\b\f\n\r\t\xe2\x80\xa8\xc3\xa9 \0z";
	bz_jw_obj(&w);
	bz_jw_key(&w, "k");
	bz_jw_str(&w, s, sizeof s - 1);
	bz_jw_key(&w, "n");
	bz_jw_int(&w, INT64_MIN);
	bz_jw_key(&w, "m");
	bz_jw_int(&w, 0);
	bz_jw_key(&w, "z");
	bz_jw_null(&w);
	bz_jw_key(&w, "r");
	bz_jw_arr(&w);
	bz_jw_str(&w, "x", 1);
	bz_jw_int(&w, 5);
	bz_jw_end(&w);
	bz_jw_key(&w, "e");
	bz_jw_obj(&w);
	bz_jw_end(&w);
	bz_jw_key(&w, "a");
	bz_jw_arr(&w);
	bz_jw_arr(&w);
	bz_jw_end(&w);
	bz_jw_obj(&w);
	bz_jw_key(&w, "t");
	bz_jw_bool(&w, true);
	bz_jw_end(&w);
	bz_jw_end(&w);
	bz_jw_end(&w);
	ck_assert(bz_jw_ok(&w));
	/* the bytes jansson 2.14 wrote for the same value */
	static const char want[] = "{\"k\":\"a\\\"\\\\/\\u0001\\u001F\x7f\\b\\f\\n\\r\\t\xe2\x80\xa8\xc3\xa9 \\u0000z\","
				   "\"n\":-9223372036854775808,\"m\":0,\"z\":null,\"r\":[\"x\",5],\"e\":{},\"a\":[[],{\"t\":true}]}";
	ck_assert_uint_eq(w.n, sizeof want - 1);
	ck_assert_mem_eq(w.b, want, sizeof want - 1);
	/* text that is not UTF-8 is refused, not written */
	bz_jw_reset(&w);
	ck_assert_uint_eq(w.n, 0);
	bz_jw_arr(&w);
	bz_jw_str(&w, "\xe5\xbc", 2); /* a character cut short */
	bz_jw_end(&w);
	ck_assert(!bz_jw_ok(&w) && w.bad_utf8);
	bz_jw_reset(&w);
	ck_assert(bz_jw_ok(&w));
	bz_jw_free(&w);
}
END_TEST

/* every allocation failing in turn: the parser and the writer say out of memory, then succeed whole */
START_TEST(out_of_memory)
{
	/* a long line of the format: several arena chunks, the element stack grown */
	char *line = malloc(1 << 16);
	size_t len = (size_t)snprintf(line, 1 << 16, "{\"type\":\"change\",\"facts\":[");
	for (int i = 0; i < 200; i++)
		len += (size_t)snprintf(line + len, (1 << 16) - len, "%s{\"subject\":\"武都区教育局-%d\",\"attr\":\"posts\",\"after\":\"%d\"}",
					i ? "," : "", i, i);
	len += (size_t)snprintf(line + len, (1 << 16) - len, "]}");
	int64_t n, failures = 0;
	for (n = 1;; n++) {
		bz_jr r = {0};
		const bz_js *v = NULL;
		char why[256];
		bz_debug_fail_alloc(n, 0);
		int rc = bz_jr_parse(&r, line, len, &v, why, sizeof why);
		int64_t failed = bz_debug_fail_alloc(0, 0);
		if (failed == 0) {
			ck_assert_int_eq(rc, BZ_OK);
			const bz_js *f = bz_js_get(v, "facts");
			ck_assert_uint_eq(f->n, 200);
			ck_assert_str_eq(bz_js_str(bz_js_get(&f->u.kid[199], "subject")), "武都区教育局-199");
			bz_jr_free(&r);
			break;
		}
		ck_assert_msg(rc == BZ_ENOMEM && !v && strcmp(why, "out of memory") == 0, "N=%lld: %d %s", (long long)n, rc, why);
		bz_jr_free(&r);
		failures++;
	}
	ck_assert_int_gt(failures, 3);
	/* the writer: written whole or said out of memory, never a text with bytes missing */
	for (n = 1;; n++) {
		bz_jw w = {0};
		bz_debug_fail_alloc(n, 0);
		bz_jw_obj(&w);
		for (int i = 0; i < 300; i++) {
			char k[16];
			snprintf(k, sizeof k, "k%d", i);
			bz_jw_key(&w, k);
			bz_jw_str(&w, "甘肃省陇南市武都区", strlen("甘肃省陇南市武都区"));
		}
		bz_jw_end(&w);
		int64_t failed = bz_debug_fail_alloc(0, 0);
		if (failed == 0) {
			ck_assert(bz_jw_ok(&w));
			ck_assert_uint_eq(w.n, strlen(w.b));
			bz_jw_free(&w);
			break;
		}
		ck_assert_msg(!bz_jw_ok(&w) && w.oom, "N=%lld: an allocation failed, the text said whole", (long long)n);
		bz_jw_free(&w);
	}
	ck_assert_int_gt(n, 3);
	free(line);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("jsonl");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, reads_the_format);
	tcase_add_test(tc, refuses_with_the_column);
	tcase_add_test(tc, writes_as_jansson_did);
	tcase_add_test(tc, out_of_memory);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
