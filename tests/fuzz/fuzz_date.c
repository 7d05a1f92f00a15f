/* fuzz_date: dates as the API takes them (bz_date_valid, the ledger's
 * clock) and as the offices type them in sheets (bz_tab_date): whatever is
 * accepted is a real date within BZ_DATE_MIN … BZ_DATE_MAX. */
#include "fuzz_common.h"
#include "tabular.h"

static bool real_date(const char *d)
{
	if (strlen(d) != BZ_DATE_LEN || d[4] != '-' || d[7] != '-')
		return false;
	return strcmp(d, BZ_DATE_MIN) >= 0 && strcmp(d, BZ_DATE_MAX) <= 0;
}

/* one ledger for every input: the messages' holder */
static bz_ledger *fz_l;

static void fz_close(void)
{
	bz_ledger_close(fz_l);
	fz_l = NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!fz_l) {
		FZ_OK(bz_ledger_open(&fz_l, ":memory:", BZ_OPEN_CREATE));
		atexit(fz_close); /* nothing left for valgrind and LeakSanitizer at exit */
	}
	bz_ledger *l = fz_l;
	char *s = fz_text(data, size);
	int rc = bz_date_valid(s);
	FZ_ASSERT(rc == BZ_OK || rc == BZ_EINVAL, "bz_date_valid: %d", rc);
	if (rc == BZ_OK)
		FZ_ASSERT(real_date(s), "accepted %s", s);
	int clock = bz_ledger_set_clock(l, s);
	FZ_ASSERT(clock == rc, "the clock (%d) and bz_date_valid (%d) disagree on %s", clock, rc, s);
	if (clock == BZ_OK) {
		char today[BZ_DATE_LEN + 1];
		FZ_OK(bz_ledger_today(today, sizeof today, l));
		FZ_ASSERT(strcmp(today, s) == 0, "clock %s reads %s", s, today);
	}
	char out[BZ_DATE_LEN + 1];
	memset(out, 0, sizeof out);
	if (bz_tab_date(out, s) == BZ_OK)
		FZ_ASSERT(bz_date_valid(out) == BZ_OK || strcmp(out, "9999-12-31") == 0 || strcmp(out, BZ_DATE_MIN) < 0,
			  "bz_tab_date(%s) gave %s", s, out);
	free(s);
	return 0;
}
