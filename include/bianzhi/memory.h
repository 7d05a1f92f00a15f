/*
 * memory.h: the allocator the library uses, and a testing hook that makes
 * it fail (issue 11, out of memory).
 *
 * Every allocation libbianzhi makes goes through one internal allocator:
 * by default libc's malloc/realloc/free; an application may supply its own
 * with bz_global_set_allocator() before it uses the library (as
 * curl_global_init_mem() or libgit2's GIT_OPT_SET_ALLOCATOR do).
 *
 * Third-party libraries that allocate on the library's behalf, and whether
 * their allocations are reached:
 *  - SQLite: routed through the allocator with sqlite3_config(
 *    SQLITE_CONFIG_MALLOC) when the first ledger is opened — but only if
 *    SQLite has not been initialised yet. sqlite3_config is process-global
 *    and refused (SQLITE_MISUSE) once SQLite runs: a process that used
 *    SQLite before libbianzhi (Python's sqlite3 module, an application
 *    linking SQLite itself) keeps SQLite's own allocator, untouched, and
 *    bz_alloc_covers_sqlite() says 0. Nothing else changes: the library
 *    works the same, only SQLite's allocations are not counted by the hook.
 *    Once routed, every SQLite user of the process allocates through the
 *    library's allocator (and the testing hook fails their allocations too).
 *  - libxml2 (reading .xlsx/.ods): its process-global allocation hooks are
 *    set to libc's malloc/realloc/free behind the testing hook, and only if
 *    they still hold libc's functions (an application's own hooks are left
 *    alone). Its memory is always libc's, whatever bz_global_set_allocator()
 *    supplied, so memory it allocated before the library loaded is released
 *    correctly.
 *  - JSON (the exchange format): the library's own reader and writer
 *    (replacing jansson, whose parser is not safe out of memory
 *    and whose allocator is process-global): through the allocator.
 *  - libfreexl (.xls): runs in a helper process of its own (bianzhi-xls),
 *    never in the application's: its memory is not the application's.
 *  - libcsv: per parser, through the allocator.
 *  - minizip/zlib (archives), libxlsxwriter and Graphviz (reports): not
 *    reachable either; they use libc's malloc directly. An out-of-memory inside
 *    them is still reported as BZ_ENOMEM or BZ_EIO where they say so.
 *
 * Every function that fails for want of memory returns BZ_ENOMEM and leaves
 * bz_ledger_errmsg() readable (a static text: saying so allocates nothing),
 * the ledger unchanged by the call and its open transaction as it was.
 */
#ifndef BIANZHI_MEMORY_H
#define BIANZHI_MEMORY_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** An allocation function: like malloc(3); n is never 0. */
typedef void *(*bz_malloc_fn)(size_t n);
/** A reallocation function: like realloc(3); n is never 0, p may be NULL. */
typedef void *(*bz_realloc_fn)(void *p, size_t n);
/** A release function: like free(3); p is never NULL. */
typedef void (*bz_free_fn)(void *p);

/**
 * Supply the allocator every later allocation of the library uses (since
 * 1.2). Call it once, before anything else of the library — before the
 * first bz_ledger_open() — and before another thread may use the library:
 * it is not thread-safe. All three functions, or all three NULL for libc's
 * malloc/realloc/free. Each function must be thread-safe and return memory
 * aligned for any type (as malloc does).
 *
 * Strings and buffers the library gives the caller ("free with bz_free()")
 * come from this allocator; bz_free() returns them to it.
 *
 * Returns BZ_OK; BZ_EINVAL if only some functions are given; BZ_EMISUSE
 * once the library has allocated anything (the blocks it holds would go back
 * to the wrong allocator), in which case the allocator stays as it was.
 */
BZ_EXTERN int bz_global_set_allocator(bz_malloc_fn malloc_fn, bz_realloc_fn realloc_fn, bz_free_fn free_fn);

/**
 * Whether SQLite's own allocations go through the library's allocator (and
 * its testing hook) in this process: 1 yes, 0 no — SQLite was initialised
 * by someone else before the first ledger was opened (see above), or no
 * ledger has been opened yet (since 1.2).
 */
BZ_EXTERN int bz_alloc_covers_sqlite(void);

/** The largest nth bz_debug_fail_alloc() accepts. */
#define BZ_FAIL_ALLOC_MAX 1000000000000LL

/**
 * Testing hook (since 1.2): make the library's allocations fail, to test
 * how an application copes with BZ_ENOMEM — the way SQLite's own tests do
 * with sqlite3_test_control and a failing allocator.
 *
 * nth ≥ 1 arms it: the nth allocation from now fails; with persistent ≠ 0
 * every one after it fails too, with persistent 0 only that one. nth 0
 * disarms it. The count is process-wide (all ledgers, all threads) and
 * covers the library's allocations and those of the third-party libraries
 * listed above that are routed — SQLite's only if bz_alloc_covers_sqlite().
 *
 * Walking nth = 1, 2, 3, … through an operation until it succeeds, with
 * the hook disarmed to check the ledger after each failure, reaches every
 * allocation point of the operation.
 *
 * Returns how many allocations failed since the previous call (≥ 0), or
 * BZ_EINVAL for nth outside 0 … BZ_FAIL_ALLOC_MAX.
 */
BZ_EXTERN int64_t bz_debug_fail_alloc(int64_t nth, int persistent);

#ifdef __cplusplus
}
#endif
#endif
