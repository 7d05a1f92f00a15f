/* fuzz_jsonl: the strict JSON of the exchange format (src/jsonl.c) on any
 * bytes as one line. What parses is written back (the writer the export
 * uses) and that text parses to the same value and writes to itself: the
 * writer's text is canonical. What does not parse says why. Every
 * allocation fails at a point chosen by the input's first byte on a second
 * pass: the parser then says out of memory or parses exactly as before,
 * never anything else (jansson dropped the bytes it could not save). */
#include "fuzz_common.h"
#include "jsonl.h"
#include "internal.h"

/* v written into w */
static void emit(bz_jw *w, const bz_js *v)
{
	switch (v->type) {
	case BZ_JS_NULL: bz_jw_null(w); break;
	case BZ_JS_TRUE: bz_jw_bool(w, true); break;
	case BZ_JS_FALSE: bz_jw_bool(w, false); break;
	case BZ_JS_INT: bz_jw_int(w, v->u.i); break;
	case BZ_JS_REAL: bz_jw_raw(w, v->u.s, v->n); break;
	case BZ_JS_STR: bz_jw_str(w, v->u.s, v->n); break;
	case BZ_JS_ARR:
		bz_jw_arr(w);
		for (size_t i = 0; i < v->n; i++)
			emit(w, &v->u.kid[i]);
		bz_jw_end(w);
		break;
	case BZ_JS_OBJ:
		bz_jw_obj(w);
		for (size_t i = 0; i < v->n; i++) {
			bz_jw_key(w, v->u.kid[i].key);
			emit(w, &v->u.kid[i]);
		}
		bz_jw_end(w);
		break;
	default: FZ_ASSERT(0, "a value of type %d", v->type);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	bz_jr r = {0}, r2 = {0};
	bz_jw w = {0}, w2 = {0};
	char why[256];
	const bz_js *v = NULL;
	int rc = bz_jr_parse(&r, (const char *)data, size, &v, why, sizeof why);
	FZ_ASSERT(rc == BZ_OK || rc == BZ_EINVAL, "parse: %d", rc);
	if (rc == BZ_EINVAL) {
		FZ_ASSERT(!v && why[0] && strstr(why, " at column "), "a refusal without its reason: [%s]", why);
	} else {
		emit(&w, v);
		/* strings are checked UTF-8 on the way in: the writer takes them all */
		FZ_ASSERT(bz_jw_ok(&w), "the writer refused what the parser took");
		const bz_js *v2 = NULL;
		FZ_ASSERT(bz_jr_parse(&r2, w.b, w.n, &v2, why, sizeof why) == BZ_OK, "its own text refused: %s [%s]", why, w.b);
		emit(&w2, v2);
		FZ_ASSERT(bz_jw_ok(&w2) && w2.n == w.n && memcmp(w.b, w2.b, w.n) == 0, "not canonical: [%s] then [%s]", w.b, w2.b);
	}
	/* out of memory at the nth allocation: the same answer, or out of memory */
	int64_t nth = size ? 1 + data[0] % 16 : 1;
	bz_debug_fail_alloc(nth, 0);
	const bz_js *v3 = NULL;
	int rc3 = bz_jr_parse(&r2, (const char *)data, size, &v3, why, sizeof why);
	int64_t failed = bz_debug_fail_alloc(0, 0);
	if (failed)
		FZ_ASSERT(rc3 == BZ_ENOMEM || rc3 == rc, "out of memory: %d, %d without", rc3, rc);
	else
		FZ_ASSERT(rc3 == rc, "%d, then %d", rc, rc3);
	if (rc3 == BZ_OK && rc == BZ_OK) {
		bz_jw_reset(&w2);
		emit(&w2, v3);
		FZ_ASSERT(w2.n == w.n && memcmp(w.b, w2.b, w.n) == 0, "parsed differently under memory pressure");
	}
	bz_jr_free(&r);
	bz_jr_free(&r2);
	bz_jw_free(&w);
	bz_jw_free(&w2);
	return 0;
}
