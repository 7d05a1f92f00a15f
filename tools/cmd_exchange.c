/*
 * cmd_exchange.c: a ledger exported to one portable file, and such files
 * (a county's export) imported into another ledger — export, import-ledger
 * (exchange.h; the format is docs/exchange.md).
 */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* A library failure whose message already names the file: print that alone. */
static int fail_file(bz_ledger *l, const char *path, int rc)
{
	const char *msg = bz_ledger_errmsg(l);
	if (msg && strstr(msg, path)) {
		fprintf(stderr, "%s: %s\n", cli_prog, msg);
		return CLI_ERROR;
	}
	return cli_fail(l, path, rc);
}

int cmd_export(int argc, char **argv)
{
	static const struct option opts[] = {
		{"jurisdiction", required_argument, NULL, 'j'},
		{NULL, 0, NULL, 0},
	};
	const char *jur = NULL;
	int c, rc;
	while ((c = cli_getopt(argc, argv, "j:", opts)) != -1) {
		switch (c) {
		case 'h': return CLI_OK;
		case 'j': jur = optarg; break;
		default: return CLI_USAGE;
		}
	}
	if ((rc = cli_positional(argc, argv, 2, 2)) != 0)
		return rc;
	const char *path = argv[optind + 1];
	bz_ledger *l = NULL;
	if ((rc = cli_open(&l, argv[optind], false)) != 0)
		return rc;
	bz_exchange *x = NULL;
	cli_progress("exporting to %s", path);
	rc = bz_ledger_export(&x, l, path, jur);
	cli_progress_done();
	if (rc != BZ_OK) {
		rc = rc == BZ_ENOTFOUND ? cli_fail(l, jur, rc) : fail_file(l, path, rc);
		bz_ledger_close(l);
		return rc;
	}
	printf("%s: %lld record(s) of ledger %s (%s), exported %s\n", path, (long long)bz_exchange_records(x),
	       bz_exchange_origin(x), jur ? jur : "the whole ledger", bz_exchange_exported_at(x));
	bz_exchange_free(x);
	bz_ledger_close(l);
	return CLI_OK;
}

static void print_conflicts(const char *path, const bz_exchange *x)
{
	size_t n = bz_exchange_conflict_count(x);
	for (size_t i = 0; i < n; i++) {
		long long line = (long long)bz_exchange_conflict_line(x, i);
		if (line > 0)
			fprintf(stderr, "%s:%lld: ", path, line);
		else
			fprintf(stderr, "%s: ", path);
		fprintf(stderr, "%s %s: %s: the ledger has %s, the file %s\n", cli_s(bz_exchange_conflict_kind(x, i)),
			cli_s(bz_exchange_conflict_identity(x, i)), cli_s(bz_exchange_conflict_field(x, i)),
			cli_s(bz_exchange_conflict_ours(x, i)), cli_s(bz_exchange_conflict_theirs(x, i)));
	}
}

int cmd_import_ledger(int argc, char **argv)
{
	static const struct option opts[] = {
		{"dry-run", no_argument, NULL, 'n'},
		{"no-check", no_argument, NULL, 'C'},
		{"create", no_argument, NULL, 'c'},
		{NULL, 0, NULL, 0},
	};
	unsigned flags = 0;
	bool create = false;
	int c, rc;
	while ((c = cli_getopt(argc, argv, "n", opts)) != -1) {
		switch (c) {
		case 'h': return CLI_OK;
		case 'n': flags |= BZ_IMPORT_DRY_RUN; break;
		case 'C': flags |= BZ_IMPORT_NO_CHECK; break;
		case 'c': create = true; break;
		default: return CLI_USAGE;
		}
	}
	if ((rc = cli_positional(argc, argv, 2, 1000)) != 0)
		return rc;
	bz_ledger *l = NULL;
	struct stat sb;
	if (create && (cli_is_uri(argv[optind]) || stat(argv[optind], &sb) != 0)) {
		/* a new consolidation ledger (the city's), made for the import; a
		 * URI is no file: BZ_OPEN_CREATE makes its schema if need be */
		if ((rc = bz_ledger_open(&l, argv[optind], BZ_OPEN_CREATE)) != BZ_OK) {
			rc = cli_fail(l, argv[optind], rc);
			bz_ledger_close(l);
			return rc;
		}
	} else if ((rc = cli_open(&l, argv[optind], true)) != 0) {
		return rc;
	}
	int status = CLI_OK;
	/* one file after another, each all or nothing: a county refused does not stop the next */
	for (int i = optind + 1; i < argc; i++) {
		const char *path = argv[i];
		bz_exchange *x = NULL;
		cli_progress("importing %s", path);
		rc = bz_ledger_import(&x, l, path, flags);
		cli_progress_done();
		if (rc == BZ_EINVAL && x && bz_exchange_conflict_count(x) > 0) {
			print_conflicts(path, x);
			fprintf(stderr, "%s: %s: %zu conflict(s) with the ledger; nothing was written\n", cli_prog, path,
				bz_exchange_conflict_count(x));
			bz_exchange_free(x);
			status = CLI_REFUSED;
			continue;
		}
		if (rc != BZ_OK) {
			bz_exchange_free(x);
			status = fail_file(l, path, rc);
			continue;
		}
		printf("%s: %s%lld record(s) from ledger %s (%s): %lld added (%lld change records), %lld already here, "
		       "%lld matched by natural key\n",
		       path, flags & BZ_IMPORT_DRY_RUN ? "dry run, nothing written: " : "", (long long)bz_exchange_records(x),
		       bz_exchange_origin(x), bz_exchange_scope(x) ? bz_exchange_scope(x) : "the whole ledger",
		       (long long)bz_exchange_added(x), (long long)bz_exchange_changes_added(x),
		       (long long)bz_exchange_present(x), (long long)bz_exchange_mapped(x));
		if (bz_exchange_check_errors(x) >= 0)
			printf("%s: the full check after the import: %lld error(s), %lld warning(s)%s\n", path,
			       (long long)bz_exchange_check_errors(x), (long long)bz_exchange_check_warnings(x),
			       bz_exchange_check_errors(x) ? " (see `bianzhi check`)" : "");
		bz_exchange_free(x);
	}
	bz_ledger_close(l);
	return status;
}
