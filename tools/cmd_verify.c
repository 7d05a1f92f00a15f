/*
 * cmd_verify.c: tamper evidence (verify.h) — the head hash of the change
 * records' chain, to print and sign off, and the verify that walks the chain
 * (against a head signed off earlier, if given).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* bianzhi head LEDGER: "SEQ HASH" */
int cmd_head(int argc, char **argv)
{
	bz_ledger *l = NULL;
	int c, rc;

	while ((c = cli_getopt(argc, argv, "", NULL)) != -1)
		return c == 'h' ? 0 : CLI_USAGE;
	if ((rc = cli_positional(argc, argv, 1, 1)) != 0)
		return rc;
	if ((rc = cli_open(&l, argv[optind], false)) != 0)
		return rc;
	char *hash = NULL;
	int64_t seq = 0;
	if ((rc = bz_ledger_head_hash(&hash, &seq, l)) != BZ_OK) {
		rc = cli_fail(l, argv[optind], rc);
	} else {
		printf("%lld %s\n", (long long)seq, hash);
		rc = 0;
	}
	bz_free(hash);
	bz_ledger_close(l);
	return rc;
}

/* bianzhi verify LEDGER [--head HASH --seq N]: exit 0 intact, 3 tampering found */
int cmd_verify(int argc, char **argv)
{
	static const struct option opts[] = {
		{"head", required_argument, NULL, 'H'},
		{"seq", required_argument, NULL, 's'},
		{0, 0, 0, 0},
	};
	const char *head = NULL, *seq_text = NULL;
	long long seq = 0;
	int c, rc;

	while ((c = cli_getopt(argc, argv, "", opts)) != -1) {
		switch (c) {
		case 'H': head = optarg; break;
		case 's': seq_text = optarg; break;
		case 'h': return 0;
		default: return CLI_USAGE;
		}
	}
	if ((rc = cli_positional(argc, argv, 1, 1)) != 0)
		return rc;
	if ((head == NULL) != (seq_text == NULL))
		return cli_usage("verify", "--head and --seq go together (as `bianzhi head` printed them)");
	if (seq_text && (rc = cli_number(&seq, seq_text, 0, INT64_MAX)) != 0)
		return rc;
	if (head && strlen(head) != 64)
		return cli_usage("verify", "--head: a head hash is 64 hexadecimal digits, not '%s'", head);
	bz_ledger *l = NULL;
	if ((rc = cli_open(&l, argv[optind], false)) != 0)
		return rc;
	bz_report *r = NULL;
	if ((rc = bz_ledger_verify(&r, l, (int64_t)seq, head)) != BZ_OK) {
		rc = cli_fail(l, "verify", rc);
	} else {
		rc = cli_print_report(r);
		if (rc == 0) {
			if (head)
				printf("intact: unchanged since the head of record %lld\n", seq);
			else
				printf("intact: the chain of the change records and the derived counters agree\n");
		} else {
			printf("tampered: the ledger was changed behind the library\n");
		}
	}
	bz_report_free(r);
	bz_ledger_close(l);
	return rc;
}
