/* fuzz_creditcode: a unified social credit code (GB 32100) —
 * bz_credit_code_valid, and the unit spec setter that takes one. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fz_text(data, size);
	int rc = bz_credit_code_valid(s);
	FZ_ASSERT(rc == BZ_OK || rc == BZ_EINVAL, "bz_credit_code_valid: %d", rc);
	if (rc == BZ_OK)
		FZ_ASSERT(strlen(s) == 18, "valid code %s is not 18 characters", s);
	bz_unit_spec *spec = NULL;
	FZ_OK(bz_unit_spec_new(&spec));
	int set = bz_unit_spec_set_credit_code(spec, s);
	FZ_ASSERT(set == BZ_OK || set == BZ_EINVAL || set == BZ_ENOMEM, "set_credit_code: %d", set);
	bz_unit_spec_free(spec);
	free(s);
	return 0;
}
