/*
 * check.h: the full check of a ledger (the annual self-inspection, seed
 * §12). A commit already checks what its transaction touched; the full
 * check runs the same rule checkers over every subject of the ledger —
 * units × categories, jurisdictions × branches, leadership quotas,
 * sub-units, persons, unit lives — and gives the same violation records.
 */
#ifndef BIANZHI_CHECK_H
#define BIANZHI_CHECK_H

#include "txn.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Check every rule over every state of the ledger up to and including
 * date (NULL: today). Violations found in an existing ledger are reported
 * under the rule they break (R1 rather than R7: there is no "current"
 * change to blame). A violation found in a change record (R6, R8, R10,
 * and the parts of R2, R3, R7 that read records) cites the document the
 * record rests on; one found in the counters has none. Every counter is then
 * recomputed from the records at date, and each that disagrees is an
 * INTEGRITY error (账实不符: a row deleted or altered behind the library):
 * category the counter's key ("U:<unit>:staff:<category>",
 * "J:<jurisdiction>:est:<branch>", "L:<subject>:principal", "S:<unit>:count"),
 * subject the unit, jurisdiction or sub-unit it counts, allowed what the
 * records give, actual what the counter says.
 * The records come in a fixed order: the subject rules (R1, R7, R11 per
 * unit × category; R4, R9 per jurisdiction × branch; R2 per leadership
 * quota; R3 per unit's sub-units; R7 per unit's life), then R5, R12 and
 * R13 over the whole ledger, then the record rules in the order of the rules table (R2, R3,
 * R6, R7, R8, R10, R14 — its placement records, then the units in being
 * without a valid 机构编制管理证 while it is on; R15 judges commits only),
 * each in the order of its
 * change records, then INTEGRITY by counter key, then the stored files. The
 * record rules select in a few set-based queries over the whole ledger the
 * records they could fault and judge those alone, in that order, and R1,
 * R7 and R11 walk only the units × categories whose counters ever put the
 * staff or the use over the establishment or whose nature their category
 * does not admit (units × categories in order of unit, then category);
 * what is reported is what judging every record and subject would report.
 * On BZ_OK *out is a report owned by the caller (bz_report_free()), empty
 * if all is well; walk it with bz_report_get(). BZ_EINVAL for NULL or a bad
 * date; BZ_EMISUSE while a transaction is open on the handle.
 */
BZ_EXTERN int bz_ledger_check(bz_report **out, bz_ledger *ledger, const char *date);

#ifdef __cplusplus
}
#endif
#endif
