/*
 * counters.h: the derived counters (table tl, keys in table counter)
 * recomputed from the records as whole step functions — one place for the
 * import, which rebuilds them, and for bz_ledger_verify() and the
 * self-inspection, which compare them with what is stored.
 *
 * The recomputation is set-based: the changes every record makes to a
 * counter are written as deltas at dates into temp.bz_cdelta(key, date,
 * delta); a counter's figure on a day is the sum of its deltas up to that
 * day (establishment and frozen posts as the figure in force from each
 * date it was set; in post from each entry to each exit; reserved from a
 * slip's issue to the day after its validity or its cancellation, less its
 * first hires up to its posts; leaders from appointment to its end;
 * sub-units from founding to abolition). The definitions are those of the
 * self-inspection's figures at one date (rules_inspect.c, per-record
 * oracle), over time.
 *
 * Scope: temp.bz_cunit(id) the units whose unit counters ("U:", "S:",
 * "L:" of the unit and its sub-units) are recomputed, temp.bz_cjur(id)
 * the jurisdictions whose "J:" counters are. bz_counters_scope(l, true)
 * takes every unit (and every appointment and sub-unit, whatever its
 * subject); with false it makes both tables empty for the caller to fill
 * with whole jurisdictions (the import: a jurisdiction's counters sum all
 * its units).
 *
 * Everything lives in temp tables of the connection: nothing is written
 * to the ledger except by bz_counters_rebuild(). bz_counters_drop()
 * empties them (they are never dropped: a DROP fails while a caller's
 * statement runs on the connection).
 */
#ifndef BZ_COUNTERS_H
#define BZ_COUNTERS_H

#include "internal.h"

/* (re)create temp.bz_cunit and temp.bz_cjur: every unit and jurisdiction (all), or empty */
BZ_INTERNAL int bz_counters_scope(bz_ledger *l, bool all);

/*
 * Every placement that began on or before until, grouped once per unit ×
 * category into temp.bz_cstaff(unit, cat, n): how many entered by then
 * (whether they left since or not), of every unit, in the scope or not
 * (no join: a unit row deleted behind the library still has its group).
 * The self-inspection lists its units × categories from it, and
 * bz_counters_recompute() at the same date counts the staff from it: one
 * pass over the placements for both (issue 10).
 */
/*
 * A placement row of that pass handed on (SQLite only; on a server the
 * grouping is the server's GROUP BY and fn is never called): columns 0
 * unit, 1 category, 2 entry, 3 slip, 4 event, as stored, every placement
 * whatever its date, in rowid order. A non-zero return stops the pass and
 * is returned.
 */
typedef int (*bz_placement_fn)(void *ctx, bz_st *st);
BZ_INTERNAL int bz_counters_staff_at(bz_ledger *l, const char *until, bz_placement_fn fn, void *ctx);

/*
 * The deltas of the scope. until NULL: every counter's whole timeline,
 * summed per key and date into temp.bz_cdelta(key, date, delta) (what the
 * import writes and verify compares). until a date: only what the figures
 * on that date need (records in force then; bz_counters_diff_at) — far
 * less than the whole history; it needs bz_counters_staff_at(l, until)
 * first. all: as given to bz_counters_scope.
 */
BZ_INTERNAL int bz_counters_recompute(bz_ledger *l, bool all, const char *until);

/* replace the stored timelines of the scope by the recomputed step functions (the import) */
BZ_INTERNAL int bz_counters_rebuild(bz_ledger *l);

/*
 * A counter whose stored figure differs from the records': its key, the
 * date, the stored figure and the records' figure on that date. A
 * non-zero return stops the comparison and is returned.
 */
typedef int (*bz_counter_diff_fn)(void *ctx, const char *key, const char *date, int64_t stored, int64_t records);

/*
 * Every counter whose figure on date differs, in key order (a key only
 * stored, or only recomputed, counts as 0 on the other side). Needs
 * bz_counters_recompute(l, true, date).
 */
BZ_INTERNAL int bz_counters_diff_at(bz_ledger *l, const char *date, bz_counter_diff_fn fn, void *ctx);

/*
 * Every counter whose stored timeline is not the recomputed step function,
 * in key order, once, at the first date where the two differ, with both
 * figures on that date. Step functions are compared, not rows: a stored
 * breakpoint that repeats the figure before it (or a first one of 0)
 * changes no figure on any day and is not a difference — the library
 * itself leaves such breakpoints (a change taken back, a hire and an exit
 * on one day). Needs bz_counters_recompute(l, true, NULL).
 */
BZ_INTERNAL int bz_counters_diff_timelines(bz_ledger *l, bz_counter_diff_fn fn, void *ctx);

/* empty the temp tables of this module (best effort, no status) */
BZ_INTERNAL void bz_counters_drop(bz_ledger *l);

#endif
