/*
 * opening.h: opening balances (建账) — a ledger started from the records an
 * establishment office already has.
 *
 * An office that adopts the library has units with their history (seed
 * §13.1: limit ledgers kept from 1987, or from 2002/2003), their
 * establishment, leadership quotas and sub-units, and people in post who
 * entered long ago on usage slips the ledger has never seen. An opening
 * transaction loads them as opening entries:
 *
 *  - it names a cut-over date and one opening document (the office's
 *    decision to open the ledger, 建账 notice): every change the
 *    transaction records rests on that document and is dated on or before
 *    the cut-over; a change dated after it is refused (BZ_EINVAL) and
 *    leaves nothing behind;
 *  - a placement entered in it may name no usage slip: the opening document
 *    stands for the slips of hires made before the ledger existed (R8 asks
 *    no slip of an opening entry; a slip that is named is checked as usual);
 *  - the opening document records what exists; it does not approve it: R6
 *    does not hold an opening entry to the date of its document (未批先设)
 *    nor to the approval level of its kind of change, but the opening
 *    document must be an establishment office's (机构编制部门) of the
 *    units' own jurisdiction or a higher one in its chain, as R6 checks;
 *  - every other rule is checked at commit as for any change: a unit over
 *    establishment at the cut-over is refused unless a documented
 *    exception is granted (bz_exception_grant()).
 *
 * After the cut-over every change is an ordinary one. A ledger may hold
 * several openings (one per county that joins, or a county opened in
 * batches), each on its own transaction.
 */
#ifndef BIANZHI_OPENING_H
#define BIANZHI_OPENING_H

#include "txn.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Make txn an opening transaction at cutover ("YYYY-MM-DD") resting on the
 * document document_uuid, which becomes the transaction's document (it may
 * have been registered earlier in the same transaction). Changes the
 * transaction already recorded become opening entries too and must be
 * dated on or before cutover.
 *
 * BZ_EINVAL: a malformed date or UUID, a document that is not an
 * establishment office's (kind BZ_ISSUER_ESTABLISHMENT), or a change of the
 * transaction already dated after cutover. BZ_ENOTFOUND: no such document.
 * BZ_EMISUSE: the transaction is not open or is already an opening.
 * Afterwards bz_txn_set_document() with another document gives BZ_EMISUSE.
 * Since 1.1.
 */
BZ_EXTERN int bz_txn_set_opening(bz_txn *txn, const char *cutover, const char *document_uuid);

/**
 * The cut-over date of the opening that rests on document_uuid, into *out
 * (owned by the caller, bz_free()). BZ_ENOTFOUND if no opening rests on
 * it. Since 1.1.
 */
BZ_EXTERN int bz_opening_cutover(char **out, bz_ledger *ledger, const char *document_uuid);

#ifdef __cplusplus
}
#endif
#endif
