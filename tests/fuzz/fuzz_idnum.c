/* fuzz_idnum: a citizen ID number (GB 11643) — bz_idnum_valid and
 * bz_idnum_normalize agree, and the normal form is valid and stable. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fz_text(data, size);
	int valid = bz_idnum_valid(s);
	char *norm = NULL;
	int rc = bz_idnum_normalize(&norm, s);
	FZ_ASSERT(valid == BZ_OK || valid == BZ_EINVAL, "bz_idnum_valid: %d", valid);
	FZ_ASSERT(rc == BZ_OK || rc == BZ_EINVAL || rc == BZ_ENOMEM, "bz_idnum_normalize: %d", rc);
	if (valid == BZ_OK)
		FZ_ASSERT(rc == BZ_OK && strlen(norm) == 18, "a valid number %s does not normalise", s);
	if (rc == BZ_OK) {
		FZ_ASSERT(strlen(norm) == 18, "normal form %s", norm);
		FZ_ASSERT(bz_idnum_valid(norm) == BZ_OK, "normal form %s is not valid", norm);
		char *again = NULL;
		FZ_OK(bz_idnum_normalize(&again, norm));
		FZ_ASSERT(strcmp(again, norm) == 0, "normal form not stable: %s → %s", norm, again);
		bz_free(again);
	}
	bz_free(norm);
	free(s);
	return 0;
}
