/* fuzz_docnum: a document number (文号) as typed — bz_docnum_parse; what it
 * accepts it gives back canonical, and the canonical form parses to itself. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fz_text(data, size);
	char *canon = NULL, *abbr = NULL;
	int year = 0, seq = 0;
	int rc = bz_docnum_parse(&canon, &abbr, &year, &seq, s);
	FZ_ASSERT(rc == BZ_OK || rc == BZ_EINVAL || rc == BZ_ENOMEM, "bz_docnum_parse: %d", rc);
	if (rc == BZ_OK) {
		FZ_ASSERT(canon && abbr && *abbr, "no canonical form or abbreviation");
		FZ_ASSERT(year >= 1949 && year <= 2999 && seq > 0, "year %d seq %d", year, seq);
		char *again = NULL, *abbr2 = NULL;
		int y2 = 0, s2 = 0;
		FZ_OK(bz_docnum_parse(&again, &abbr2, &y2, &s2, canon));
		FZ_ASSERT(strcmp(again, canon) == 0 && strcmp(abbr2, abbr) == 0 && y2 == year && s2 == seq,
			  "canonical form %s is not stable (%s)", canon, again);
		bz_free(again);
		bz_free(abbr2);
	}
	bz_free(canon);
	bz_free(abbr);
	free(s);
	return 0;
}
