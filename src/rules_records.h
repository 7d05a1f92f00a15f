/*
 * rules_records.h: what the rules that read change records share —
 * rules_records.c (these helpers, R7, R10, R2, R3), rules_authority.c (R6)
 * and rules_hiring.c (R8): the statements in scope (at commit the records
 * the transaction wrote, in the self-inspection every record up to the
 * date asked), the walk that collects and judges what they yield, a rule
 * parameter with its default, and the hash of their tables in memory.
 * Nothing here is part of the ABI.
 */
#ifndef BZ_RULES_RECORDS_H
#define BZ_RULES_RECORDS_H

#include "rules.h"

#include <stddef.h>
#include <stdint.h>

/* Every statement exists twice: over one transaction (?1) or up to a date (?2). */
#define SCOPED(name, head, tail)                                          \
	static const char name##_txn[] = head " WHERE e.id>=?3 AND e.txn=?1 " tail; \
	static const char name##_all[] = head " WHERE e.effective<=?2 " tail
/*
 * The same for a statement that asks for a few kinds, none of them one a
 * hire writes: up to a date it finds them through event_kind (schema 11,
 * whose condition it states) instead of scanning every record of the
 * ledger; over a transaction it keeps the transaction's rowid range (the
 * kind index there would read every such record of the ledger).
 */
#define SCOPED_BY_KIND(name, head, tail)                                  \
	static const char name##_txn[] = head " WHERE e.id>=?3 AND e.txn=?1 " tail; \
	static const char name##_all[] = head " WHERE e.effective<=?2 AND e." BZ_KINDS_BY_KIND " " tail

/*
 * The statement of a SCOPED pair: at commit the cached one over the
 * transaction (txn_sql), in the self-inspection one of the checker's own
 * up to the date (all_sql; see BATCH in rules_records.c). NULL when it
 * could not be prepared (bz_rec_walk returns the failure).
 */
#define SCOPE_OPEN(cx, name) bz_rec_scope_open((cx), name##_txn, name##_all)
BZ_INTERNAL bz_st *bz_rec_scope_open(bz_rule_ctx *cx, const char *txn_sql, const char *all_sql);

/*
 * The self-inspection selects, rule family by rule family, only the records
 * a checker could fault — the same conditions written once more in SQL, one
 * query over the whole ledger each — and judges those with the same code as
 * a commit, in the same order (the record's sequence). A condition SQL
 * cannot state exactly (a dated rule parameter, a malformed date) keeps its
 * records in the selection: the filter may pass a record the checker then
 * finds right, never leave out one it would fault. With cx->per_record (the
 * differential test's oracle) every record is judged as before.
 */
static inline bool set_based(const bz_rule_ctx *cx) { return !cx->txn && !cx->per_record; }

/* a self-inspection statement (?1 the transaction, unused; ?2 the last date; ?4 the rules' subject) */
BZ_INTERNAL bz_st *bz_rec_all_open(bz_rule_ctx *cx, const char *sql);

/* room for element n of a growing array (doubling); NULL, the array untouched, when out of memory */
BZ_INTERNAL void *bz_rec_grow(void *arr, size_t n, size_t *cap, size_t elem);

static inline const char *col(bz_st *st, int i) { return (const char *)bz_st_column_text(st, i); }

/*
 * A copy of a column, "" for NULL, into a fixed buffer: what
 * snprintf("%s") gives (up to the first NUL, cut to the buffer), without
 * its cost on every column of every record the self-inspection reads.
 */
BZ_INTERNAL void bz_rec_copy_col(char *buf, size_t size, bz_st *st, int i);
#define COPY(buf, st, i) bz_rec_copy_col((buf), sizeof(buf), (st), (i))

/*
 * Walk the records a checker reads: fill() copies each row the statement
 * yields into an element of `size` bytes (false: pass the row over) and
 * judge() is given what was collected — at the end and, for checkers that
 * judge records one by one (batch), every BATCH records, so memory stays
 * flat in the self-inspection and in a commit of a bulk import alike.
 * Judging uses cached statements of its own, never the walking one (and the
 * cache never replaces a running statement). Closes the statement.
 */
typedef bool (*rec_fill)(void *el, bz_st *st);
typedef int (*rec_judge)(bz_rule_ctx *cx, const void *els, size_t n);

BZ_INTERNAL int bz_rec_walk(bz_rule_ctx *cx, bz_st *st, size_t size, bool batch, rec_fill fill, rec_judge judge);

/* a parameter at date with its default applied (malloc'd, NULL if none) */
BZ_INTERNAL int bz_rec_param(bz_rule_ctx *cx, char **out, const char *name, const char *date);

/* a hash of n bytes, 8 a step: of R6's groups (rules_authority.c), R8's slips (rules_hiring.c) and the
 * placements' units × categories (counters.c); in-memory tables only (its value depends on the byte order) */
BZ_INTERNAL uint64_t bz_rec_hash(const char *s, size_t n);

#endif
