/*
 * jsonl.h: the strict JSON of the exchange format (exchange.c), read and
 * written by the library itself (issue 11, out of memory).
 *
 * Why not a JSON library: jansson 2.14 (and every release since: its issue
 * #362, open since 2017) ignores a failed allocation while it saves the
 * characters of a token (lex_save), goes on with bytes missing and then
 * fails assert(c == d) in lex_unget_unsave — an abort of the host process
 * when memory runs out; and its allocator is process-global
 * (json_set_alloc_funcs), which a library must not take from its host.
 * yajl (Debian's 2.1.0, unreleased upstream since 2014) takes a per-handle
 * allocator, but its buffer (yajl_buf_ensure_available) writes through the
 * pointer its malloc/realloc returned without checking it. json-c and cJSON
 * have no per-handle allocator. So: this small reader and writer, for
 * exactly what the format uses, every allocation through bz__malloc (the
 * out-of-memory walk of tests/test_oom.c goes through it), fuzzed by
 * tests/fuzz/fuzz_jsonl.c.
 *
 * The reader is RFC 8259 JSON, strict: one value per text (any value;
 * white space around it), strings of valid UTF-8 without control
 * characters, escapes as the RFC has them (a lone surrogate and \u0000 are
 * refused), integers within int64 (a number with a fraction or an exponent
 * is a real: its type is kept, its text too, never converted), duplicate
 * keys in an object refused; at most BZ_JSON_DEPTH_MAX levels of nesting
 * and BZ_JSON_MEMBERS_MAX members per object. What it returns lives in the
 * reader until the next parse, reset or free.
 *
 * The writer writes what jansson's json_dumps(JSON_COMPACT |
 * JSON_PRESERVE_ORDER) wrote, byte for byte: no white space, members in the
 * order written, '"' '\\' and the control characters escaped (\b \f \n \r \t,
 * else \u00XX in capitals), everything else as it is (UTF-8, '/', DEL).
 */
#ifndef BZ_JSONL_H
#define BZ_JSONL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BZ_JSON_INTERNAL __attribute__((visibility("hidden")))

/* nesting deeper than this is refused (the format nests 3 levels) */
#define BZ_JSON_DEPTH_MAX 64
/* an object with more members than this is refused (duplicate keys are
 * looked for member by member) */
#define BZ_JSON_MEMBERS_MAX 1024

enum { BZ_JS_NULL = 1, BZ_JS_FALSE, BZ_JS_TRUE, BZ_JS_INT, BZ_JS_REAL, BZ_JS_STR, BZ_JS_ARR, BZ_JS_OBJ };

typedef struct bz_js bz_js;
struct bz_js {
	int type;
	size_t n;        /* STR: bytes (without the terminating NUL); ARR, OBJ: elements; REAL: text length */
	const char *key; /* a member of an object: its key (NUL-terminated, no NUL inside) */
	union {
		int64_t i;        /* INT */
		const char *s;    /* STR, REAL: NUL-terminated */
		const bz_js *kid; /* ARR, OBJ: n elements */
	} u;
};

/* a reader: zero-initialise it (bz_jr r = {0}); bz_jr_free releases it */
typedef struct bz_jr {
	struct bz_jr_chunk *chunks; /* the arena of the values of the last parse */
	bz_js *stk;                 /* elements of the containers being read */
	size_t nstk, capstk;
} bz_jr;

/*
 * Parse text[0..len) (NUL bytes in it are errors). BZ_OK (0) with *out the
 * value; BZ_ENOMEM; BZ_EINVAL with why[0..cap) saying what and at which
 * byte (column, from 1). The values of the previous parse are released.
 */
BZ_JSON_INTERNAL int bz_jr_parse(bz_jr *r, const char *text, size_t len, const bz_js **out, char *why, size_t cap);
BZ_JSON_INTERNAL void bz_jr_free(bz_jr *r);

/* v's member key, or NULL (v NULL or not an object, or no such member) */
BZ_JSON_INTERNAL const bz_js *bz_js_get(const bz_js *v, const char *key);
/* the string, or NULL when v is not a string */
BZ_JSON_INTERNAL const char *bz_js_str(const bz_js *v);
static inline bool bz_js_is(const bz_js *v, int type)
{
	return v && v->type == type;
}

/* a writer: zero-initialise it; one text at a time, bz_jw_take or reset between */
typedef struct bz_jw {
	char *b;
	size_t n, cap;
	bool oom, bad_utf8;
	int depth;
	bool more[BZ_JSON_DEPTH_MAX + 1]; /* a value was written at this level: the next needs a comma */
	char closer[BZ_JSON_DEPTH_MAX + 1]; /* what ends the object or array open at this level */
	bool keyed;                       /* a key was just written: its value needs no comma */
} bz_jw;

BZ_JSON_INTERNAL void bz_jw_obj(bz_jw *w);
BZ_JSON_INTERNAL void bz_jw_arr(bz_jw *w);
BZ_JSON_INTERNAL void bz_jw_end(bz_jw *w); /* of the innermost object or array */
BZ_JSON_INTERNAL void bz_jw_key(bz_jw *w, const char *key);
BZ_JSON_INTERNAL void bz_jw_str(bz_jw *w, const char *s, size_t n); /* invalid UTF-8 sets bad_utf8 */
BZ_JSON_INTERNAL void bz_jw_int(bz_jw *w, int64_t v);
BZ_JSON_INTERNAL void bz_jw_null(bz_jw *w);
BZ_JSON_INTERNAL void bz_jw_bool(bz_jw *w, bool v);
BZ_JSON_INTERNAL void bz_jw_raw(bz_jw *w, const char *text, size_t n); /* a number's text as it is */
/* whether the text so far is whole: no allocation failed, all UTF-8 */
static inline bool bz_jw_ok(const bz_jw *w)
{
	return !w->oom && !w->bad_utf8;
}
/* empty the writer for the next text (its buffer kept) */
BZ_JSON_INTERNAL void bz_jw_reset(bz_jw *w);
BZ_JSON_INTERNAL void bz_jw_free(bz_jw *w);

#endif
