/*
 * alloc.h: the library's one allocator (issue 11, out of memory).
 *
 * Every allocation of src/ goes through these functions, never through
 * malloc/calloc/realloc/strdup/strndup/free themselves (tests/alloc_discipline.sh
 * fails the build's tests on a raw call): so the application's allocator
 * (bz_global_set_allocator) is used everywhere, and the testing hook
 * (bz_debug_fail_alloc) reaches every allocation point.
 *
 * Memory from bz__malloc & co. is released with bz__free (and what the
 * library hands to the caller, with bz_free). Memory a third-party library
 * allocated for us (getline, xmlGet…) goes back to that
 * library's own release function, or bz__libc_free for plain libc memory.
 */
#ifndef BZ_ALLOC_H
#define BZ_ALLOC_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#define BZ_ALLOC_INTERNAL __attribute__((visibility("hidden")))

BZ_ALLOC_INTERNAL void *bz__malloc(size_t n) __attribute__((malloc, warn_unused_result));
/* zeroed; NULL on overflow of n * size */
BZ_ALLOC_INTERNAL void *bz__calloc(size_t n, size_t size) __attribute__((malloc, warn_unused_result));
/* like realloc: on failure p is untouched and still owned by the caller */
BZ_ALLOC_INTERNAL void *bz__realloc(void *p, size_t n) __attribute__((warn_unused_result));
/* realloc of n * size elements; NULL on overflow */
BZ_ALLOC_INTERNAL void *bz__reallocarray(void *p, size_t n, size_t size) __attribute__((warn_unused_result));
BZ_ALLOC_INTERNAL void bz__free(void *p);
BZ_ALLOC_INTERNAL char *bz__strdup(const char *s) __attribute__((malloc));
BZ_ALLOC_INTERNAL char *bz__strndup(const char *s, size_t n) __attribute__((malloc));
/* printf into a fresh string (bz__free it); NULL on out of memory */
BZ_ALLOC_INTERNAL char *bz__asprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* free() for memory libc or a third-party library allocated with libc's malloc */
BZ_ALLOC_INTERNAL void bz__libc_free(void *p);

/*
 * Route the third-party libraries that allow it through the fault hook
 * (SQLite, libxml2), once per process; called by bz_ledger_open
 * and before any other first use of SQLite. See memory.h for what is routed
 * and when it is not.
 */
BZ_ALLOC_INTERNAL void bz__alloc_init(void);

/*
 * How many allocations of the routed third-party libraries (libxml2, SQLite) failed on the calling thread so far:
 * a parser that reports an out-of-memory as a syntax error is told apart by
 * comparing this before and after — and so is SQLite re-reading a schema
 * that a migration just changed, which may report "no such table" for a
 * table its reload could not allocate (schema.c).
 */
BZ_ALLOC_INTERNAL unsigned long bz__lib_failures(void);

#endif
