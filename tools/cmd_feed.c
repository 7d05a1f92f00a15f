/*
 * cmd_feed.c: the change feed (changes --since, and a unit's changes as
 * JSON Lines) and online backup and restore (backup, restore).
 */
#include "cli.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

int cmd_unit_changes(bz_ledger *l, const char *arg); /* cmd_ledger.c: the text form of a unit's Table 2 */

/* A library failure whose message already names the file and the cause: print that alone. */
static int fail_file(bz_ledger *l, const char *what, int rc)
{
	const char *msg = bz_ledger_errmsg(l);
	if ((rc == BZ_EIO || rc == BZ_EEXISTS || rc == BZ_ENOTLEDGER || rc == BZ_ESCHEMA || rc == BZ_EINVAL) && msg &&
	    strstr(msg, what)) {
		fprintf(stderr, "%s: %s\n", cli_prog, msg);
		return CLI_ERROR;
	}
	return cli_fail(l, what, rc);
}

/* ---- changes ----------------------------------------------------------- */

/* One change record as one JSON object on one line (JSON Lines). */
static void print_json(const bz_change *c)
{
	size_t na = bz_change_attr_count(c);
	printf("{\"seq\":%lld,\"kind\":", (long long)bz_change_seq(c));
	cli_json_string(stdout, bz_change_kind(c));
	fputs(",\"subject\":", stdout);
	cli_json_string(stdout, bz_change_subject(c));
	fputs(",\"unit\":", stdout);
	cli_json_string(stdout, bz_change_unit(c));
	fputs(",\"effective\":", stdout);
	cli_json_string(stdout, bz_change_effective(c));
	fputs(",\"document\":", stdout);
	cli_json_string(stdout, bz_change_document(c));
	fputs(",\"document_number\":", stdout);
	cli_json_string(stdout, bz_change_document_number(c));
	fputs(",\"recorded_at\":", stdout);
	cli_json_string(stdout, bz_change_recorded_at(c));
	fputs(",\"recorded_by\":", stdout);
	cli_json_string(stdout, bz_change_recorded_by(c));
	fputs(",\"office\":", stdout);
	cli_json_string(stdout, bz_change_office(c));
	fputs(",\"note\":", stdout);
	cli_json_string(stdout, bz_change_note(c));
	fputs(",\"attrs\":[", stdout);
	for (size_t i = 0; i < na; i++) {
		fputs(i ? ",{\"name\":" : "{\"name\":", stdout);
		cli_json_string(stdout, bz_change_attr_name(c, i));
		fputs(",\"before\":", stdout);
		cli_json_string(stdout, bz_change_attr_before(c, i));
		fputs(",\"after\":", stdout);
		cli_json_string(stdout, bz_change_attr_after(c, i));
		fputc('}', stdout);
	}
	fputs("]}\n", stdout);
}

/* One change record of the feed as text: what, of what, on which document, by whom. */
static void print_text(const bz_change *c)
{
	size_t na = bz_change_attr_count(c);
	printf("#%lld %s %s %s", (long long)bz_change_seq(c), cli_s(bz_change_effective(c)), cli_s(bz_change_kind(c)),
	       cli_s(bz_change_subject(c)));
	if (bz_change_unit(c) && strcmp(bz_change_unit(c), bz_change_subject(c)) != 0)
		printf(" (unit %s)", bz_change_unit(c));
	printf("  document %s  recorded %s by %s (%s)\n", cli_s(bz_change_document_number(c)),
	       cli_s(bz_change_recorded_at(c)), cli_s(bz_change_recorded_by(c)), cli_s(bz_change_office(c)));
	for (size_t i = 0; i < na; i++)
		printf("    %s: %s -> %s\n", cli_s(bz_change_attr_name(c, i)), cli_s(bz_change_attr_before(c, i)),
		       cli_s(bz_change_attr_after(c, i)));
	if (bz_change_note(c) && *bz_change_note(c))
		printf("    note: %s\n", bz_change_note(c));
}

/* Print every record of it; the count in *n, the last sequence number in *last. A library status. */
static int print_all(bz_change_iter *it, bool json, long long *n, long long *last)
{
	bz_change *c = NULL;
	int rc;
	*n = 0;
	while ((rc = bz_change_iter_next(&c, it)) == BZ_OK) {
		if (json)
			print_json(c);
		else
			print_text(c);
		*last = bz_change_seq(c);
		bz_change_free(c);
		if (++*n % 4096 == 0)
			cli_progress("%lld change records", *n);
	}
	cli_progress_done();
	return rc == BZ_ITEROVER ? BZ_OK : rc;
}

int cmd_changes(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"since", required_argument, NULL, 's'},
		{"format", required_argument, NULL, 'f'},
		{NULL, 0, NULL, 0},
	};
	long long since = -1, n = 0;
	bool json = false;
	int c, rc;

	while ((c = cli_getopt(argc, argv, "s:f:", longopts)) != -1) {
		switch (c) {
		case 'h': return CLI_OK;
		case 's':
			if ((rc = cli_number(&since, optarg, 0, LLONG_MAX)) != 0)
				return rc;
			break;
		case 'f':
			if (strcmp(optarg, "json") == 0)
				json = true;
			else if (strcmp(optarg, "text") == 0)
				json = false;
			else
				return cli_usage(argv[0], "--format is text or json, not %s", optarg);
			break;
		default: return CLI_USAGE;
		}
	}
	if (since >= 0 && argc - optind == 2)
		return cli_usage(argv[0], "either a UNIT or --since N, not both");
	if (since < 0 && argc - optind == 1)
		return cli_usage(argv[0], "a UNIT or --since N is needed");
	if ((rc = cli_positional(argc, argv, 1, 2)) != 0)
		return rc;

	bz_ledger *l = NULL;
	const char *unit = argc - optind == 2 ? argv[optind + 1] : NULL;
	if ((rc = cli_open(&l, argv[optind], false)) != 0)
		return rc;
	if (unit && !json) {
		rc = cmd_unit_changes(l, unit); /* the Table 2 as it always printed */
		bz_ledger_close(l);
		return rc;
	}
	bz_change_iter *it = NULL;
	char uuid[BZ_UUID_LEN + 1];
	long long last = since;
	if (unit) {
		if ((rc = cli_unit(l, unit, NULL, uuid)) != BZ_OK || (rc = bz_unit_changes(&it, l, uuid)) != BZ_OK)
			rc = cli_fail(l, unit, rc);
	} else if ((rc = bz_changes_since(&it, l, since)) != BZ_OK) {
		rc = cli_fail(l, argv[optind], rc);
	}
	if (rc == 0) {
		/* the text ends with where to go on from; JSON Lines is the records alone */
		if ((rc = print_all(it, json, &n, &last)) != BZ_OK)
			rc = cli_fail(l, unit ? unit : argv[optind], rc);
		else if (!json)
			printf("%lld change record%s after #%lld; next time: --since %lld\n", n, n == 1 ? "" : "s", since,
			       last);
	}
	bz_change_iter_free(it);
	bz_ledger_close(l);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "%s: cannot write the output\n", cli_prog);
		return CLI_ERROR;
	}
	return rc;
}

/* ---- backup and restore ------------------------------------------------- */

/* options: none but --help; exactly two positional arguments */
static int two_args(int argc, char **argv)
{
	int c;
	while ((c = cli_getopt(argc, argv, "", NULL)) != -1)
		return c == 'h' ? -1 : CLI_USAGE;
	return cli_positional(argc, argv, 2, 2);
}

/* backup and restore are for ledger files: a server's ledger says what to use instead */
static int server_refused(const char *what, const char *uri)
{
	fprintf(stderr,
		"%s: %s: %s is a ledger on a PostgreSQL server: it is backed up and restored with the server's tools "
		"(pg_dump -n SCHEMA, pg_restore), not by bianzhi\n",
		cli_prog, what, cli_shown(uri));
	return CLI_ERROR;
}

int cmd_backup(int argc, char **argv)
{
	bz_ledger *l = NULL;
	int64_t last = 0;
	int rc = two_args(argc, argv);
	if (rc != 0)
		return rc < 0 ? 0 : rc;
	const char *dest = argv[optind + 1];
	if (cli_is_uri(argv[optind]) || cli_is_uri(dest))
		return server_refused("backup", cli_is_uri(argv[optind]) ? argv[optind] : dest);
	if ((rc = cli_open(&l, argv[optind], false)) != 0)
		return rc;
	if ((rc = bz_ledger_backup(l, dest)) != BZ_OK)
		rc = fail_file(l, dest, rc);
	else if ((rc = bz_changes_last_seq(&last, l)) != BZ_OK)
		rc = cli_fail(l, argv[optind], rc);
	else
		printf("backed up %s to %s (change records up to #%lld)\n", cli_shown(argv[optind]), dest, (long long)last);
	bz_ledger_close(l);
	return rc;
}

int cmd_restore(int argc, char **argv)
{
	bz_ledger *l = NULL;
	int64_t before = 0, after = 0;
	int rc = two_args(argc, argv);
	if (rc != 0)
		return rc < 0 ? 0 : rc;
	const char *backup = argv[optind + 1];
	if (cli_is_uri(argv[optind]) || cli_is_uri(backup))
		return server_refused("restore", cli_is_uri(argv[optind]) ? argv[optind] : backup);
	if ((rc = cli_open(&l, argv[optind], true)) != 0)
		return rc;
	if ((rc = bz_changes_last_seq(&before, l)) != BZ_OK)
		rc = cli_fail(l, argv[optind], rc);
	else if ((rc = bz_ledger_restore(l, backup)) != BZ_OK)
		rc = fail_file(l, backup, rc);
	else if ((rc = bz_changes_last_seq(&after, l)) != BZ_OK)
		rc = cli_fail(l, argv[optind], rc);
	else
		printf("restored %s from %s: change records up to #%lld (before: #%lld)\n", cli_shown(argv[optind]), cli_shown(backup),
		       (long long)after, (long long)before);
	bz_ledger_close(l);
	return rc;
}
