/*
 * opening.c: opening balances (建账, opening.h). An opening is a row of
 * its own (table opening: the transaction, its document and cut-over);
 * the transaction refuses entries dated after the cut-over (txn.c) and the
 * rules read the row: R8 asks no slip of an opening entry, R6 does not hold
 * it to its document's date or approval level (rules_hiring.c,
 * rules_authority.c).
 */
#include "catalogue.h"
#include "rules.h"

#include <stdlib.h>
#include <string.h>

BZ_EXTERN int bz_txn_set_opening(bz_txn *txn, const char *cutover, const char *document_uuid)
{
	if (!txn)
		return BZ_EINVAL;
	if (!txn->open || !txn->l)
		return bz_change_begin(txn); /* BZ_EMISUSE, with the message when the ledger is still there */
	bz_ledger *l = txn->l;
	if (txn->cutover)
		return bz_fail(l, BZ_EMISUSE, "the transaction is already an opening (cut-over %s)", txn->cutover);
	if (!bz_date_ok(cutover))
		return bz_fail(l, BZ_EINVAL, "not a cut-over date (YYYY-MM-DD): %.40s",
			       cutover && bz_utf8_valid(cutover) ? cutover : "?");
	if (!bz_uuid_ok(document_uuid))
		return bz_fail(l, BZ_EINVAL, "not a document UUID: %.40s",
			       document_uuid && bz_utf8_valid(document_uuid) ? document_uuid : "?");

	bz_docinfo d;
	int rc = bz_docinfo_load(l, &d, document_uuid);
	if (rc != BZ_OK)
		return rc;
	if (d.kind != BZ_ISSUER_ESTABLISHMENT) {
		rc = bz_fail(l, BZ_EINVAL, "an opening rests on an establishment office's document (机构编制部门); %s is not one",
			     d.number ? d.number : document_uuid);
		bz_docinfo_clear(&d);
		return rc;
	}
	bz_docinfo_clear(&d);

	/* the changes already recorded become opening entries: none may be later */
	static const char later[] = "SELECT kind, effective FROM event WHERE id>=?1 AND txn=?2 AND effective>?3";
	bz_st *st = bz_stmt(l, later);
	if (!st)
		return bz_stmt_err();
	bz_st_bind_int64(st, 1, txn->first_event);
	bz_st_bind_int64(st, 2, txn->txn_no);
	bz_bind_text(st, 3, cutover);
	while ((rc = bz_step(st)) == SQLITE_ROW) {
		const char *kind = (const char *)bz_st_column_text(st, 0);
		if (bz_event_action(kind)) {
			rc = bz_fail(l, BZ_EINVAL, "the transaction already recorded %s dated %s, after the cut-over %s", kind,
				     (const char *)bz_st_column_text(st, 1), cutover);
			bz_st_reset(st);
			return rc;
		}
	}
	bz_st_reset(st);
	if (rc != SQLITE_DONE)
		return bz_sqlfail(l, rc);

	char *cut = bz_strdup(cutover);
	if (!cut)
		return bz_fail(l, BZ_ENOMEM, "out of memory");
	if ((rc = bz_txn_set_document(txn, document_uuid)) != BZ_OK) {
		bz__free(cut);
		return rc;
	}
	static const char ins[] = "INSERT INTO opening(txn, document, cutover) VALUES(?1,?2,?3)";
	if (!(st = bz_stmt(l, ins))) {
		bz__free(cut);
		return bz_stmt_err();
	}
	bz_st_bind_int64(st, 1, txn->txn_no);
	bz_bind_text(st, 2, document_uuid);
	bz_bind_text(st, 3, cutover);
	if ((rc = bz_step_done(l, st)) != BZ_OK) {
		bz__free(cut);
		return rc;
	}
	txn->cutover = cut;
	return bz_ok(l);
}

BZ_EXTERN int bz_opening_cutover(char **out, bz_ledger *ledger, const char *document_uuid)
{
	if (!out)
		return BZ_EINVAL;
	*out = NULL;
	if (!ledger)
		return BZ_EINVAL;
	if (!bz_uuid_ok(document_uuid))
		return bz_fail(ledger, BZ_EINVAL, "not a document UUID");
	static const char sql[] = "SELECT min(cutover) FROM opening WHERE document=?1";
	bz_st *st = bz_stmt(ledger, sql);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, document_uuid);
	int rc = bz_step(st);
	bool ok = true;
	if (rc == SQLITE_ROW && bz_st_column_type(st, 0) != SQLITE_NULL)
		*out = bz_col_strdup(st, 0, &ok);
	bz_st_reset(st);
	if (rc != SQLITE_ROW)
		return bz_sqlfail(ledger, rc);
	if (!ok)
		return bz_fail(ledger, BZ_ENOMEM, "out of memory");
	if (!*out)
		return bz_fail(ledger, BZ_ENOTFOUND, "no opening rests on document %s", document_uuid);
	return bz_ok(ledger);
}
