/* fuzz_import: the person sheet (实名制) imported into a county
 * (bz_import_people) from any bytes, as an opening and as an ordinary
 * change: refused whole with problems, or taken; when taken and committed,
 * the self-inspection finds nothing wrong. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* the first byte chooses: an opening at 2024-12-31, or hires on slips */
	bool opening = size > 0 && (data[0] & 1);
	if (size > 0) {
		data++;
		size--;
	}
	fz_county c;
	fz_county_new(&c);
	const char *path = fz_file(data, size, ".csv");
	bz_txn *t = NULL;
	FZ_OK(bz_txn_begin(&t, c.l, "录入员", "武都区委编办"));
	if (opening)
		FZ_OK(bz_txn_set_opening(t, "2024-12-31", c.open));
	else
		FZ_OK(bz_txn_set_document(t, c.doc));
	bz_import *imp = NULL;
	int rc = bz_import_people(&imp, t, path, "621202");
	FZ_ASSERT(rc != BZ_OK || bz_import_problem_count(imp) == 0, "taken with problems");
	for (size_t i = 0; imp && i < bz_import_problem_count(imp); i++)
		FZ_ASSERT(bz_import_problem_message(imp, i), "a problem without a message");
	bz_import_free(imp);
	if (rc == BZ_OK) {
		int commit = bz_txn_commit(t);
		FZ_ASSERT(commit == BZ_OK || commit == BZ_ECONSTRAINT, "commit: %d %s", commit, bz_ledger_errmsg(c.l));
		if (commit == BZ_OK)
			fz_check_clean(c.l, "an imported sheet");
	}
	bz_txn_free(t);
	bz_ledger_close(c.l);
	unlink(path);
	return 0;
}
