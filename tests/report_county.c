/*
 * report_county: write the reports' test county (report_county.h: 50 units,
 * 1,000 people) into a new ledger file, for the tool's tests.
 *   report_county PATH
 * Prints the transferred person's card number and the unit over
 * establishment, one per line, for the script to use.
 */
#include "report_county.h"

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: report_county PATH\n");
		return 2;
	}
	bz_ledger *l = NULL;
	int rc = bz_ledger_open(&l, argv[1], BZ_OPEN_CREATE);
	if (rc != BZ_OK) {
		fprintf(stderr, "report_county: %s: %s\n", argv[1], bz_ledger_errmsg(l));
		return 1;
	}
	bz_ledger_set_clock(l, "2026-12-01");
	static rc_county c;
	rc = rc_build(&c, l, 1000);
	if (rc != BZ_OK) {
		fprintf(stderr, "report_county: %s\n", c.error);
		bz_ledger_close(l);
		return 1;
	}
	printf("%s\n%s\n", c.transferred_card, c.u[c.over_unit].name);
	bz_ledger_close(l);
	return 0;
}
