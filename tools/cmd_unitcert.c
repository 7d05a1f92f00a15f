/*
 * cmd_unitcert.c: the units' 机构编制管理证 (unitcert.h):
 *
 *   bianzhi unitcert LEDGER issue DOC UNIT DATE [--number NUMBER]
 *   bianzhi unitcert LEDGER renew DOC CERT DATE [--number NUMBER]
 *   bianzhi unitcert LEDGER void  DOC CERT DATE
 *   bianzhi unitcert LEDGER show  UNIT [--date DATE]
 *
 * LEDGER first, then what to do, as `bianzhi report LEDGER table1`. A
 * change is one transaction on DOC (UUID or ISSUER:NUMBER); CERT is a
 * certificate's UUID or number; UNIT a unit's UUID, credit code or name.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char *phase_name(int state)
{
	switch (state) {
	case BZ_UNITCERT_VALID: return "有效 valid";
	case BZ_UNITCERT_EXPIRED: return "已过期 expired";
	case BZ_UNITCERT_VOID: return "已作废 void";
	case BZ_UNITCERT_RENEWED: return "已换发 renewed";
	case BZ_UNITCERT_PENDING: return "未生效 not yet issued";
	default: return "?";
	}
}

static void print_cert(const bz_unitcert *c)
{
	printf("%s  issued %s  valid until %s  %s", bz_unitcert_number(c), bz_unitcert_issued(c),
	       bz_unitcert_valid_until(c), phase_name(bz_unitcert_state(c)));
	if (bz_unitcert_voided(c))
		printf(" (voided %s)", bz_unitcert_voided(c));
	if (bz_unitcert_renewed(c))
		printf(" (renewed %s)", bz_unitcert_renewed(c));
	printf("  %s\n", bz_unitcert_uuid(c));
}

/* a certificate named by UUID or number */
static int cert_arg(bz_ledger *l, const char *arg, char uuid[BZ_UUID_LEN + 1])
{
	bz_unitcert *c = NULL;
	int rc = bz_unitcert_lookup(&c, l, arg, NULL);
	if (rc == BZ_ENOTFOUND)
		rc = bz_unitcert_lookup_number(&c, l, arg, NULL);
	if (rc == BZ_OK)
		snprintf(uuid, BZ_UUID_LEN + 1, "%s", bz_unitcert_uuid(c));
	bz_unitcert_free(c);
	return rc;
}

static int show(bz_ledger *l, const char *unit_arg, const char *date)
{
	char unit[BZ_UUID_LEN + 1];
	int rc = cli_unit(l, unit_arg, date, unit);
	if (rc != BZ_OK)
		return cli_fail(l, unit_arg, rc);
	bz_unitcert_iter *it = NULL;
	if ((rc = bz_unitcert_list(&it, l, unit, date)) != BZ_OK)
		return cli_fail(l, "unitcert show", rc);
	bz_unitcert *c = NULL;
	size_t n = 0;
	while ((rc = bz_unitcert_iter_next(&c, it)) == BZ_OK) {
		print_cert(c);
		bz_unitcert_free(c);
		n++;
	}
	bz_unitcert_iter_free(it);
	if (rc != BZ_ITEROVER)
		return cli_fail(l, "unitcert show", rc);
	rc = bz_unitcert_held(&c, l, unit, date);
	if (rc == BZ_OK)
		printf("held%s%s: %s, %s\n", date ? " on " : "", date ? date : "", bz_unitcert_number(c),
		       phase_name(bz_unitcert_state(c)));
	else if (rc == BZ_ENOTFOUND)
		printf("held%s%s: none (%zu certificate(s) in all)\n", date ? " on " : "", date ? date : "", n);
	else
		return cli_fail(l, "unitcert show", rc);
	bz_unitcert_free(c);
	return CLI_OK;
}

static int change(bz_ledger *l, const char *verb, char **a, const char *number)
{
	char doc[BZ_UUID_LEN + 1], id[BZ_UUID_LEN + 1];
	int rc = cli_document(l, a[0], doc);
	if (rc != BZ_OK)
		return cli_fail(l, a[0], rc);
	rc = strcmp(verb, "issue") == 0 ? cli_unit(l, a[1], a[2], id) : cert_arg(l, a[1], id);
	if (rc != BZ_OK)
		return cli_fail(l, a[1], rc);
	bz_txn *t = NULL;
	if ((rc = cli_begin(&t, l)) != BZ_OK)
		return cli_fail(l, "begin", rc);
	bz_unitcert *c = NULL;
	if ((rc = bz_txn_set_document(t, doc)) == BZ_OK) {
		if (strcmp(verb, "issue") == 0)
			rc = bz_unitcert_issue(&c, t, id, a[2], number);
		else if (strcmp(verb, "renew") == 0)
			rc = bz_unitcert_renew(&c, t, id, a[2], number);
		else
			rc = bz_unitcert_void(t, id, a[2]);
	}
	if (rc != BZ_OK) {
		rc = cli_fail(l, verb, rc);
		bz_txn_free(t);
		return rc;
	}
	char what[160];
	snprintf(what, sizeof what, "unitcert %s", verb);
	if (c) {
		print_cert(c);
		bz_unitcert_free(c);
	}
	return cli_commit(l, t, what);
}

int cmd_unitcert(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"number", required_argument, NULL, 'n'},
		{"date", required_argument, NULL, 'd'},
		{NULL, 0, NULL, 0},
	};
	const char *number = NULL, *date = NULL;
	int c;
	while ((c = cli_getopt(argc, argv, "n:d:", longopts)) != -1) {
		if (c == 'h')
			return CLI_OK;
		if (c == '?')
			return CLI_USAGE;
		if (c == 'n')
			number = optarg;
		else
			date = optarg;
	}
	if (argc - optind < 2)
		return cli_usage(argv[0], "a ledger and one of issue, renew, void, show are required");
	const char *verb = argv[optind + 1];
	char **a = argv + optind + 2;
	int n = argc - optind - 2, rc;
	bool is_show = strcmp(verb, "show") == 0;
	if (!is_show && strcmp(verb, "issue") && strcmp(verb, "renew") && strcmp(verb, "void"))
		return cli_usage(argv[0], "unknown action %s: issue, renew, void or show", verb);
	if (is_show ? n != 1 : n != 3)
		return cli_usage(argv[0], is_show ? "show takes a UNIT" : "%s takes DOC, %s and DATE", verb,
				 strcmp(verb, "issue") ? "CERT" : "UNIT");
	if (number && (is_show || strcmp(verb, "void") == 0))
		return cli_usage(argv[0], "--number is for issue and renew");
	if (date && !is_show)
		return cli_usage(argv[0], "--date is for show (a change takes its DATE as an argument)");
	if ((rc = cli_date(is_show ? date : a[2])) != 0)
		return rc;
	bz_ledger *l = NULL;
	if ((rc = cli_open(&l, argv[optind], !is_show)) != 0)
		return rc;
	rc = is_show ? show(l, a[0], date) : change(l, verb, a, number);
	bz_ledger_close(l);
	return rc;
}
