/*
 * alloc.c: the library's one allocator and its fault hook (issue 11).
 *
 * The one file of src/ that calls malloc & co. (tests/alloc_discipline.sh).
 * The hook is SQLite's test_malloc.c idea (faultsimConfig): a countdown to
 * the nth allocation, which fails, and with it every later one if
 * persistent. Atomics, not a lock: allocations happen on every thread.
 */
#include "alloc.h"
#include "internal.h"

#include <errno.h>
#include <libxml/xmlmemory.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct {
	bz_malloc_fn m;
	bz_realloc_fn r;
	bz_free_fn f;
} A = {malloc, realloc, free};

static atomic_bool used;              /* something was allocated: the allocator is fixed */
static atomic_bool armed;             /* the hook is on */
static atomic_bool persistent;
static _Atomic int64_t countdown;     /* the allocation at which it reaches 0 fails */
static _Atomic int64_t failed;        /* failures since the hook was last set */
static atomic_int sqlite_routed;

/* whether this allocation is to fail */
static bool fault(void)
{
	if (!atomic_load_explicit(&armed, memory_order_relaxed))
		return false;
	int64_t n = atomic_fetch_sub(&countdown, 1); /* the value before */
	if (n > 1)
		return false;
	if (n == 1 || atomic_load(&persistent)) {
		atomic_fetch_add(&failed, 1);
		return true;
	}
	return false;
}

void *bz__malloc(size_t n)
{
	atomic_store_explicit(&used, true, memory_order_relaxed);
	if (fault())
		return NULL;
	return A.m(n ? n : 1);
}

void *bz__calloc(size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	void *p = bz__malloc(n * size);
	if (p)
		memset(p, 0, n * size);
	return p;
}

void *bz__realloc(void *p, size_t n)
{
	atomic_store_explicit(&used, true, memory_order_relaxed);
	if (fault())
		return NULL;
	return A.r(p, n ? n : 1);
}

void *bz__reallocarray(void *p, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	return bz__realloc(p, n * size);
}

void bz__free(void *p)
{
	if (p)
		A.f(p);
}

char *bz__strndup(const char *s, size_t n)
{
	if (!s)
		return NULL;
	size_t len = strnlen(s, n);
	char *p = bz__malloc(len + 1);
	if (p) {
		memcpy(p, s, len);
		p[len] = '\0';
	}
	return p;
}

char *bz__strdup(const char *s)
{
	return s ? bz__strndup(s, SIZE_MAX) : NULL;
}

char *bz__asprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	char *p = bz__malloc((size_t)n + 1);
	if (!p)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

void bz__libc_free(void *p)
{
	free(p);
}

/* ---- the public face --------------------------------------------------- */

BZ_EXTERN int bz_global_set_allocator(bz_malloc_fn malloc_fn, bz_realloc_fn realloc_fn, bz_free_fn free_fn)
{
	bool all = malloc_fn && realloc_fn && free_fn, none = !malloc_fn && !realloc_fn && !free_fn;
	if (!all && !none)
		return BZ_EINVAL;
	if (atomic_load(&used) || atomic_load(&sqlite_routed))
		return BZ_EMISUSE;
	A.m = all ? malloc_fn : malloc;
	A.r = all ? realloc_fn : realloc;
	A.f = all ? free_fn : free;
	return BZ_OK;
}

BZ_EXTERN int bz_alloc_covers_sqlite(void)
{
	return atomic_load(&sqlite_routed) == 1;
}

BZ_EXTERN int64_t bz_debug_fail_alloc(int64_t nth, int persistent_)
{
	if (nth < 0 || nth > BZ_FAIL_ALLOC_MAX)
		return BZ_EINVAL;
	atomic_store(&armed, false);
	int64_t was = atomic_exchange(&failed, 0);
	if (nth > 0) {
		atomic_store(&countdown, nth);
		atomic_store(&persistent, persistent_ != 0);
		atomic_store(&armed, true);
	}
	return was;
}

/* ---- third-party libraries --------------------------------------------- */

/*
 * SQLite: its blocks carry their size in an 8-byte header (xSize needs it;
 * SQLite's own mem1.c does the same where malloc_usable_size is missing).
 */
typedef union {
	sqlite3_int64 n;
	double align;
} sqlite_head;

/* SQLite's allocations that failed on this thread (bz__lib_failures) */
static _Thread_local unsigned long sqlite_failed;

static void *sq_malloc(int n)
{
	if (n <= 0)
		return NULL;
	sqlite_head *h = bz__malloc(sizeof *h + (size_t)n);
	if (!h) {
		sqlite_failed++;
		return NULL;
	}
	h->n = n;
	return h + 1;
}

static void sq_free(void *p)
{
	if (p)
		bz__free((sqlite_head *)p - 1);
}

static int sq_size(void *p)
{
	return p ? (int)((sqlite_head *)p - 1)->n : 0;
}

static void *sq_realloc(void *p, int n)
{
	if (n <= 0)
		return NULL;
	sqlite_head *h = bz__realloc((sqlite_head *)p - 1, sizeof *h + (size_t)n);
	if (!h) {
		sqlite_failed++;
		return NULL;
	}
	h->n = n;
	return h + 1;
}

static int sq_roundup(int n)
{
	return (n + 7) & ~7;
}

static int sq_init(void *ctx)
{
	(void)ctx;
	return SQLITE_OK;
}

static void sq_shutdown(void *ctx)
{
	(void)ctx;
}

static const sqlite3_mem_methods sq_methods = {
	sq_malloc, sq_free, sq_realloc, sq_size, sq_roundup, sq_init, sq_shutdown, NULL,
};

/* libxml2: libc's memory behind the hook (see memory.h for why libc's) */
static _Thread_local unsigned long lib_failed;

unsigned long bz__lib_failures(void)
{
	return lib_failed + sqlite_failed;
}

static void *lib_malloc(size_t n)
{
	void *p = fault() ? NULL : malloc(n);
	lib_failed += !p;
	return p;
}

static void *lib_realloc(void *p, size_t n)
{
	void *q = fault() ? NULL : realloc(p, n);
	lib_failed += !q;
	return q;
}

static char *lib_strdup(const char *s)
{
	char *p = fault() ? NULL : strdup(s);
	lib_failed += !p;
	return p;
}

static void lib_free(void *p)
{
	free(p);
}

static void route(void)
{
	/* SQLITE_MISUSE: SQLite already runs (someone else initialised it) —
	 * carry on with its own allocator (memory.h) */
	atomic_store(&sqlite_routed, sqlite3_config(SQLITE_CONFIG_MALLOC, &sq_methods) == SQLITE_OK);

	xmlFreeFunc xf;
	xmlMallocFunc xm;
	xmlReallocFunc xr;
	xmlStrdupFunc xs;
	if (xmlMemGet(&xf, &xm, &xr, &xs) == 0 && xf == free && xm == malloc && xr == realloc)
		xmlMemSetup(lib_free, lib_malloc, lib_realloc, lib_strdup);
}

static pthread_once_t route_once = PTHREAD_ONCE_INIT;

void bz__alloc_init(void)
{
	pthread_once(&route_once, route);
}
