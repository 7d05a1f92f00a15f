/*
 * rules.h: the rules layer — one table of the establishment rules (R1–R11),
 * walked at commit over what the transaction touched and by the
 * self-inspection over everything, and the one way a rule raises a
 * violation. Nothing here is part of the ABI.
 *
 * Where a rule lives (README "Layout" mirrors this):
 *   the table .................. rules.c (bz_rules[])
 *   R1 R4 R9 R11 (counters) .... rules_establishment.c
 *   R2 R3 R5 R7 (structure) .... rules_structure.c
 *   R6 (authority) ............. rules_authority.c
 *   R7 R10 R2 R3 (records) ..... rules_records.c
 *   R8 (hiring) ................ rules_hiring.c
 *   what R6 R7 R8 R10 R2 R3 share rules_records.c (rules_records.h)
 *   R12 R13 (registration) ..... rules_registration.c
 *   R14 (管理证) ................ rules_unitcert.c
 *   the self-inspection ........ rules_inspect.c
 * Areas (unit.c, placement.c, …) never raise a violation: they write the
 * change record and say what they touched (bz_txn_touch).
 */
#ifndef BZ_RULES_H
#define BZ_RULES_H

#include "internal.h"
#include "catalogue.h"

/*
 * What a checker is given: the ledger, the report to add to, the
 * transaction being committed (NULL in the self-inspection) and the last
 * date to examine (until; NULL = every state from a touch's date on).
 */
typedef struct bz_memo bz_memo;

typedef struct bz_rule_ctx {
	bz_ledger *l;
	bz_report *report;
	const bz_txn *txn; /* NULL: the self-inspection */
	long long txn_no;  /* txn ? txn->txn_no : 0 */
	const char *until; /* NULL at commit */
	bz_memo *memo;     /* what this run has read already (NULL: read every time) */
	/*
	 * The self-inspection only: judge every record and subject in C, one
	 * by one, as it did before its set-based queries (bz_ledger_check_walk,
	 * kept as the differential test's oracle). false: each rule family
	 * selects in SQL only the records and subjects it could fault, and
	 * judges those with the same code.
	 */
	bool per_record;
	/*
	 * At commit: the transaction's rises of use (txn->rise) ordered by unit
	 * and category, so that a checker finds those of one unit × category
	 * by bisection (bz_txn_rises) — a bulk transaction of 1,000 hires walked
	 * all 1,000 for every date of every unit it touched. NULL: none, or
	 * the self-inspection.
	 */
	const bz_rise **rise_ix;
	/*
	 * The self-inspection on SQLite: R8's candidates found during the
	 * placements' one pass (bz_counters_staff_at with bz_r8_pass_row):
	 * the slips held while it runs (r8), then r8_ready once the hires it
	 * could fault are in temp.bz_r8_cand and temp.bz_r8_over.
	 */
	struct bz_r8_pass *r8;
	bool r8_ready;
	/*
	 * The self-inspection on SQLite: the span of the dates of every record
	 * with a unit up to the date, read by R6's pass one for R7's working
	 * age (ready: read; bad: a date not YYYY-MM-DD; empty: no such record;
	 * lo, hi: the first date's year less 17, the last's less 70).
	 */
	struct {
		bool ready, bad, empty;
		long long lo, hi;
	} r7span;
	/*
	 * The self-inspection on SQLite: the earliest date of a person's
	 * registration up to the date, read by R6's pass one for R10 (ready:
	 * read; any: there is one; date, n: its text and length, as SQLite's
	 * min(effective) over those records gives it).
	 */
	struct {
		bool ready, any;
		char date[64];
		size_t n;
	} r10first;
} bz_rule_ctx;

/*
 * The facts the checkers read again and again while one run walks many
 * records — a unit's nature and rank, a rule parameter, a unit's division,
 * whether a jurisdiction is in another's chain — read once per run: a
 * subject × attribute timeline is loaded whole on first use and answered
 * from memory after. Nothing is written during a run, so nothing goes
 * stale; the memo ends with the run.
 */
BZ_INTERNAL bz_memo *bz_memo_new(void);
BZ_INTERNAL void bz_memo_free(bz_memo *m);
/* bz_fact_at through the memo; *out borrowed until the run ends (NULL: no value) */
BZ_INTERNAL int bz_rx_fact_at(bz_rule_ctx *cx, const char **out, const char *subject, const char *attr,
			      const char *date);
BZ_INTERNAL int bz_rx_fact_int_at(bz_rule_ctx *cx, int64_t *out, const char *subject, const char *attr,
				  const char *date, int64_t dflt);
/*
 * The same with the number of the timeline's facts effective on or before
 * date (*index): two dates of the same index read the same value.
 */
BZ_INTERNAL int bz_rx_fact_index(bz_rule_ctx *cx, size_t *index, const char **out, const char *subject,
				 const char *attr, const char *date);
/*
 * The number of the subject's facts, of every attribute, effective on or
 * before date (*index): two dates of the same index read the same value of
 * every attribute of the subject (for the rules' subject: every parameter).
 */
BZ_INTERNAL int bz_rx_subject_epoch(bz_rule_ctx *cx, size_t *index, const char *subject, const char *date);
/* bz_param_int_at through the memo */
BZ_INTERNAL int bz_rx_param_int_at(bz_rule_ctx *cx, int64_t *out, const char *name, const char *date, int64_t dflt);
/* the same two, with *next the date of the timeline's first fact after date (NULL: none), until which the
 * value holds: a walk over many dates in order reads again only where it changes */
BZ_INTERNAL int bz_rx_fact_int_span(bz_rule_ctx *cx, int64_t *out, const char *subject, const char *attr,
				    const char *date, int64_t dflt, const char **next);
BZ_INTERNAL int bz_rx_param_int_span(bz_rule_ctx *cx, int64_t *out, const char *name, const char *date,
				     int64_t dflt, const char **next);
/*
 * The dates (each once, ascending) of subject × attr's facts effective from
 * `from` to `until` (NULL: no end), added to ds with add (which keeps them
 * in order) — what "SELECT DISTINCT effective ... BETWEEN" reads, from the
 * timeline the memo holds.
 */
BZ_INTERNAL int bz_rx_fact_dates(bz_rule_ctx *cx, const char *subject, const char *attr, const char *from,
				 const char *until, int (*add)(bz_ledger *, void *, const char *), void *ds);
/* the date of subject × attr's first fact (by date) whose value is one of values (NULL-terminated):
 * from[0] '\0' when none */
BZ_INTERNAL int bz_rx_fact_first_of(bz_rule_ctx *cx, char from[BZ_DATE_LEN + 1], const char *subject,
				    const char *attr, const char *const *values);
/* bz_jurisdiction_info's label (code and name) through the memo; *label malloc'd */
BZ_INTERNAL int bz_rx_jurisdiction_label(bz_rule_ctx *cx, const char *id, char **label);
/* bz_unit_nature_at, bz_unit_name_at (*name malloc'd), bz_unit_division, bz_jurisdiction_in_chain through the memo */
BZ_INTERNAL int bz_rx_unit_name_at(bz_rule_ctx *cx, const char *unit, const char *date, char **name);
/* bz_series_load(key, from, cx->until) through the memo: the rules walking one subject share its reading */
BZ_INTERNAL int bz_rx_series(bz_rule_ctx *cx, const bz_series **out, const char *key, const char *from);
BZ_INTERNAL int bz_rx_unit_nature_at(bz_rule_ctx *cx, const char *unit, const char *date, int *nature);
BZ_INTERNAL int bz_rx_unit_division(bz_rule_ctx *cx, const char *unit, char code[8]);
BZ_INTERNAL int bz_rx_in_chain(bz_rule_ctx *cx, const char *code, const char *ancestor, bool *yes);
/*
 * A value a checker derives once per run, under (subject, what): *known
 * false until bz_rx_constant_set stored one (value NULL: stored as none);
 * *out borrowed until the run ends. The set makes its own room and, for a
 * key already stored, replaces the value.
 */
BZ_INTERNAL int bz_rx_constant(bz_rule_ctx *cx, const char *subject, const char *what, const char **out,
			       bool *known);
BZ_INTERNAL int bz_rx_constant_set(bz_rule_ctx *cx, const char *subject, const char *what, const char *value);

/*
 * A violation as a checker states it, filled with designated initialisers
 * through BZ_VIO(...): fields not named are NULL, figures not named are -1.
 */
typedef struct bz_vio {
	int rule;
	int severity;
	const char *subject, *subject_name, *category;
	int64_t allowed, actual;
	const char *date;
	const char *document; /* UUID of the document the offending change rests on */
} bz_vio;

#define BZ_VIO(...) (&(const bz_vio){.allowed = -1, .actual = -1, __VA_ARGS__})
/* BZ_VIO's defaults are overridden by design: later designated initialisers win (C11 6.7.9) */
#if defined(__clang__)
#pragma clang diagnostic ignored "-Winitializer-overrides"
#elif defined(__GNUC__)
#pragma GCC diagnostic ignored "-Woverride-init"
#endif

/*
 * Raise a violation: the document number is looked up once, and a
 * documented exception (bz_exception_grant) of the same rule, subject and
 * date turns an error into an excepted warning citing the granting
 * document. Returns a status only for real failures (memory, I/O).
 */
BZ_INTERNAL int bz_raise(bz_rule_ctx *cx, const bz_vio *v, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Whether a document granted an exception to rule for subject on date (bz_exception_grant). */
BZ_INTERNAL int bz_excepted(bz_rule_ctx *cx, int rule, const char *subject, const char *date, bool *yes);

/* A checker of touched subjects (one touch) or of change records (all in scope). */
typedef int (*bz_subject_checker)(bz_rule_ctx *cx, const bz_touch *touch);
typedef int (*bz_records_checker)(bz_rule_ctx *cx);

#define BZ_WATCH(kind) (1u << (kind))

/* One row per rule. */
typedef struct bz_rule_def {
	int rule;                      /* bz_rule */
	const char *code;              /* "R1" */
	int severity;                  /* its usual severity */
	bool exceptable;               /* may a document grant an exception (R5, R10, R11 never) */
	unsigned watches;              /* BZ_WATCH(BZ_TOUCH_…) bits: the subjects it re-examines */
	bz_subject_checker on_subject; /* called for each touched subject it watches */
	bz_records_checker on_records; /* called once over the change records in scope */
	const char *name;              /* 不准超编进人 … */
	const char *seed;              /* the seed clause */
	/* the self-inspection's way over the whole ledger, set-based, instead of
	 * on_subject once per subject (NULL: walk every subject it watches) */
	bz_records_checker on_all;
} bz_rule_def;

BZ_INTERNAL extern const bz_rule_def bz_rules[];
BZ_INTERNAL extern const size_t bz_nrules;
BZ_INTERNAL const bz_rule_def *bz_rule_def_of(int rule);

/* Run every rule over the transaction's touches and change records. */
BZ_INTERNAL int bz_rules_commit(bz_txn *t);

/*
 * At commit, whether the transaction wrote no record of any of kinds (a
 * NULL-terminated list; a family as "registration."): a records checker
 * whose statement asks only for those kinds of the transaction's records
 * then has nothing to judge, and skips the statement. Always false in the
 * self-inspection.
 */
BZ_INTERNAL bool bz_txn_wrote_none(const bz_rule_ctx *cx, const char *const *kinds);
#define BZ_WROTE_NONE(cx, ...) bz_txn_wrote_none((cx), (const char *const[]){__VA_ARGS__, NULL})

/* The checkers (see the table in rules.c). */
BZ_INTERNAL int bz_check_r1(bz_rule_ctx *cx, const bz_touch *touch);
BZ_INTERNAL int bz_check_r4(bz_rule_ctx *cx, const bz_touch *touch);
BZ_INTERNAL int bz_check_r9(bz_rule_ctx *cx, const bz_touch *touch);
BZ_INTERNAL int bz_check_r11(bz_rule_ctx *cx, const bz_touch *touch);
BZ_INTERNAL int bz_check_r2(bz_rule_ctx *cx, const bz_touch *touch);
BZ_INTERNAL int bz_check_r3(bz_rule_ctx *cx, const bz_touch *touch);
BZ_INTERNAL int bz_check_r5(bz_rule_ctx *cx, const bz_touch *touch);
BZ_INTERNAL int bz_all_r5(bz_rule_ctx *cx);
BZ_INTERNAL int bz_check_r7(bz_rule_ctx *cx, const bz_touch *touch);
BZ_INTERNAL int bz_check_r7_uc(bz_rule_ctx *cx, const bz_touch *touch);
BZ_INTERNAL int bz_records_r2(bz_rule_ctx *cx);
BZ_INTERNAL int bz_records_r3(bz_rule_ctx *cx);
BZ_INTERNAL int bz_records_r6(bz_rule_ctx *cx);
BZ_INTERNAL int bz_records_r7(bz_rule_ctx *cx);
BZ_INTERNAL int bz_records_r8(bz_rule_ctx *cx);
/*
 * R8 in the self-inspection's pass over the placements (SQLite;
 * rules_hiring.c): begin loads every slip (a hash in memory), row (a
 * bz_placement_fn, ctx the bz_rule_ctx) tests each placement against its
 * slip and counts the slip's hires, end writes what a hire could fault
 * (cx->r8_ready) and frees the slips; free frees them on any path (a
 * failed pass).
 */
BZ_INTERNAL int bz_r8_pass_begin(bz_rule_ctx *cx);
BZ_INTERNAL int bz_r8_pass_row(void *cx, bz_st *st);
BZ_INTERNAL int bz_r8_pass_end(bz_rule_ctx *cx);
BZ_INTERNAL void bz_r8_pass_free(bz_rule_ctx *cx);
BZ_INTERNAL int bz_records_r10(bz_rule_ctx *cx);
BZ_INTERNAL int bz_records_r15(bz_rule_ctx *cx);
/* R12, R13 (rules_registration.c): the records, and the self-inspection at its date */
BZ_INTERNAL int bz_records_r12(bz_rule_ctx *cx);
BZ_INTERNAL int bz_records_r13(bz_rule_ctx *cx);
BZ_INTERNAL int bz_all_r12(bz_rule_ctx *cx);
BZ_INTERNAL int bz_all_r13(bz_rule_ctx *cx);
BZ_INTERNAL int bz_records_r14(bz_rule_ctx *cx); /* rules_unitcert.c */

/* The SQL function the self-inspection's queries call (bz_r10_faulty), on the ledger's connection. */
BZ_INTERNAL int bz_records_functions(bz_ledger *l);

/* The action of the authority and issuer rules for an event kind; NULL for reference data. */
BZ_INTERNAL const char *bz_event_action(const char *kind);
/* The most lenient level (bz_level) the authority rules "authority.<action>" allow for a change
 * to a unit of nature and rank at date: 0 if no rule reserves it (rules_records.c). */
BZ_INTERNAL int bz_authority_required(bz_rule_ctx *cx, const char *action, int nature, int rank, const char *date,
				      int *required);

/* ---- who may change what (rules_office.c; office.h) ---- */
/* codes and names of bz_office_type and bz_power (static; NULL if unknown) */
BZ_INTERNAL const char *bz_office_type_code_of(int type);
BZ_INTERNAL const char *bz_office_type_name_of(int type);
BZ_INTERNAL const char *bz_power_code_of(int power);
/* the power (bz_power) an event kind needs */
BZ_INTERNAL int bz_event_power(const char *kind);
/* the rule parameters "power.<type>.<power>": known name, default ("1"/"0"), name of a type and power */
BZ_INTERNAL bool bz_power_param_ok(const char *name);
BZ_INTERNAL const char *bz_power_param_default(const char *name);
BZ_INTERNAL void bz_power_param_name(char buf[48], int type, int power);
/* whether the ledger has any office */
BZ_INTERNAL int bz_offices_exist(bz_ledger *l, bool *yes);

/* Built-in default of a rule parameter (static text), NULL if none (rules_records.c). */
BZ_INTERNAL const char *bz_param_default(const char *name);

/* ---- what several checkers share ---------------------------------------- */

/* A growing list of dates, in order, without repeats. */
typedef struct bz_dates {
	char (*d)[BZ_DATE_LEN + 1];
	size_t n, cap;
} bz_dates;
/* Append d (not when it repeats the last one); BZ_ENOMEM, the list untouched, when out of memory. */
BZ_INTERNAL int bz_dates_push(bz_dates *ds, const char *d);

/*
 * The states a checker must examine: `from` itself and every breakpoint in
 * [from, until] (until NULL: for ever) of up to four counter timelines (NULL
 * keys skipped) and of one fact timeline (fsubject, fattr; NULL for none).
 * Caller frees ds->d.
 */
BZ_INTERNAL int bz_check_dates(bz_ledger *l, bz_dates *ds, const char *const keys[4], const char *fsubject,
			       const char *fattr, const char *from, const char *until);

/*
 * Whether the transaction being committed raised the use (in post, reserved
 * or frozen) of unit × category at date (a hire, a slip, a freeze covering
 * that date). Always false in the self-inspection, which asks instead
 * whether any record raised it on that date.
 */
BZ_INTERNAL bool bz_txn_rose(const bz_rule_ctx *cx, const char *unit, const char *category, const char *date,
			     bool *started_here);

/*
 * The transaction's rises of unit × category, in no particular order:
 * (*first)[0 … return value − 1]. 0 at the self-inspection.
 */
BZ_INTERNAL size_t bz_txn_rises(const bz_rule_ctx *cx, const char *unit, const char *category,
				const bz_rise *const **first);

#endif
