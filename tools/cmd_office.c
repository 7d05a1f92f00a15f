/*
 * cmd_office.c: who may change what (office.h) — the offices of a ledger
 * registered and listed, and the powers of each kind of office shown.
 * Which office a command acts for is $BIANZHI_OFFICE (cli_begin), for
 * every command that writes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* a kind of office by its code (establishment, hr …), its Chinese (编办, 人社 …) or number; 0 if none */
static int office_type(const char *arg)
{
	for (int k = BZ_OFFICE_ESTABLISHMENT; k <= BZ_OFFICE_FINANCE; k++)
		if (strcmp(arg, bz_office_type_code(k)) == 0 || strcmp(arg, bz_office_type_name(k)) == 0)
			return k;
	if (arg[0] >= '1' && arg[0] <= '4' && !arg[1])
		return arg[0] - '0';
	return 0;
}

static int office_add(int argc, char **argv, const char *doc_arg)
{
	int rc = cli_positional(argc, argv, 5, 5);
	if (rc != 0)
		return rc;
	const char *path = argv[optind + 1], *name = argv[optind + 2], *code = argv[optind + 3];
	int kind = office_type(argv[optind + 4]);
	if (!kind)
		return cli_usage("office", "KIND is establishment (编办), organisation (组织部), hr (人社) or finance (财政), not %s",
				 argv[optind + 4]);
	bz_ledger *l = NULL;
	bz_txn *t = NULL;
	char doc[BZ_UUID_LEN + 1];
	if ((rc = cli_open(&l, path, true)) != 0)
		return rc;
	if (doc_arg && (rc = cli_document(l, doc_arg, doc)) != BZ_OK) {
		rc = cli_fail(l, doc_arg, rc);
		goto out;
	}
	if ((rc = cli_begin(&t, l)) != BZ_OK) {
		rc = cli_fail(l, "begin", rc);
		goto out;
	}
	bz_office *o = NULL;
	if ((doc_arg && (rc = bz_txn_set_document(t, doc)) != BZ_OK) ||
	    (rc = bz_office_register(&o, t, name, code, kind)) != BZ_OK) {
		rc = cli_fail(l, name, rc);
		bz_txn_free(t);
		goto out;
	}
	char uuid[BZ_UUID_LEN + 1];
	snprintf(uuid, sizeof uuid, "%s", bz_office_uuid(o));
	bz_office_free(o);
	if ((rc = cli_commit(l, t, "office add")) == 0)
		printf("%s\n", uuid);
out:
	bz_ledger_close(l);
	return rc;
}

static int office_list(int argc, char **argv)
{
	int rc = cli_positional(argc, argv, 2, 3);
	if (rc != 0)
		return rc;
	bz_ledger *l = NULL;
	if ((rc = cli_open(&l, argv[optind + 1], false)) != 0)
		return rc;
	bz_office_iter *it = NULL;
	const char *code = argc - optind > 2 ? argv[optind + 2] : NULL;
	if ((rc = bz_office_list(&it, l, code)) != BZ_OK) {
		rc = cli_fail(l, code ? code : argv[optind + 1], rc);
		goto out;
	}
	bz_office *o = NULL;
	size_t n = 0;
	while ((rc = bz_office_iter_next(&o, it)) == BZ_OK) {
		printf("%s\t%s\t%s\t%s\t%s\n", bz_office_uuid(o), bz_office_jurisdiction(o),
		       bz_office_type_name(bz_office_kind(o)), bz_office_name(o), bz_office_registered(o));
		bz_office_free(o);
		n++;
	}
	bz_office_iter_free(it);
	if (rc != BZ_ITEROVER) {
		rc = cli_fail(l, argv[optind + 1], rc);
		goto out;
	}
	if (n == 0)
		printf("no offices: every office name may write (a ledger without offices)\n");
	rc = CLI_OK;
out:
	bz_ledger_close(l);
	return rc;
}

static int office_powers(int argc, char **argv)
{
	int rc = cli_positional(argc, argv, 2, 3);
	if (rc != 0)
		return rc;
	const char *date = argc - optind > 2 ? argv[optind + 2] : NULL;
	if ((rc = cli_date(date)) != 0)
		return rc;
	bz_ledger *l = NULL;
	if ((rc = cli_open(&l, argv[optind + 1], false)) != 0)
		return rc;
	printf("%-14s", "power");
	for (int k = BZ_OFFICE_ESTABLISHMENT; k <= BZ_OFFICE_FINANCE; k++)
		printf(" %-13s", bz_office_type_code(k));
	printf("\n");
	for (int p = BZ_POWER_STRUCTURE; p <= BZ_POWER_OFFICE; p++) {
		printf("%-14s", bz_power_code(p));
		for (int k = BZ_OFFICE_ESTABLISHMENT; k <= BZ_OFFICE_FINANCE; k++) {
			int allowed = 0;
			if ((rc = bz_office_power_get(&allowed, l, k, p, date)) != BZ_OK) {
				printf("\n");
				rc = cli_fail(l, "powers", rc);
				goto out;
			}
			printf(" %-13s", allowed ? "yes" : "-");
		}
		printf("\n");
	}
	rc = CLI_OK;
out:
	bz_ledger_close(l);
	return rc;
}

/* bianzhi office add|list|powers LEDGER ... */
int cmd_office(int argc, char **argv)
{
	static const struct option opts[] = {
		{"document", required_argument, NULL, 'd'},
		{0, 0, 0, 0},
	};
	const char *doc = NULL;
	int c;
	while ((c = cli_getopt(argc, argv, "", opts)) != -1) {
		switch (c) {
		case 'd': doc = optarg; break;
		case 'h': return 0;
		default: return CLI_USAGE;
		}
	}
	if (argc - optind < 1)
		return cli_usage("office", "add, list or powers?");
	const char *action = argv[optind];
	if (strcmp(action, "add") == 0)
		return office_add(argc, argv, doc);
	if (doc)
		return cli_usage("office", "--document goes with add only");
	if (strcmp(action, "list") == 0)
		return office_list(argc, argv);
	if (strcmp(action, "powers") == 0)
		return office_powers(argc, argv);
	return cli_usage("office", "no action %s: add, list or powers", action);
}
