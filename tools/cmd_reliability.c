/*
 * cmd_reliability.c: what the tool offers of issue 11 — whether a
 * transaction committed, asked after a commit that failed with an I/O error.
 */
#include <stdio.h>

#include "cli.h"

/* bianzhi committed LEDGER TXN-UUID: exit 0 and "committed", or exit 4 and "not committed" */
int cmd_committed(int argc, char **argv)
{
	bz_ledger *l = NULL;
	int c, rc, yes = 0;

	while ((c = cli_getopt(argc, argv, "", NULL)) != -1)
		return c == 'h' ? 0 : CLI_USAGE;
	if ((rc = cli_positional(argc, argv, 2, 2)) != 0)
		return rc;
	if ((rc = cli_open(&l, argv[optind], false)) != 0)
		return rc;
	if ((rc = bz_txn_committed(&yes, l, argv[optind + 1])) != BZ_OK) {
		rc = cli_fail(l, argv[optind + 1], rc);
	} else {
		printf("%s: %s\n", argv[optind + 1], yes ? "committed" : "not committed");
		rc = yes ? 0 : 4;
	}
	bz_ledger_close(l);
	return rc;
}
