/*
 * cmd_import.c: the offices' sheets imported in bulk (import.h), as an
 * opening (建账, opening.h) or into a ledger already running.
 *
 *   bianzhi import LEDGER [--units FILE]... [--people FILE]... [--jurisdiction CODE]
 *                  [--opening CUTOVER --document DOC | --document DOC] [--as-of DATE]
 *
 * Every file in one transaction, the unit sheets first: nothing is written
 * unless every row of every file is read and the rules hold at commit.
 */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FILES 64

/* print every refused row as FILE:LINE: [COLUMN: ]message */
static void print_problems(const char *path, const bz_import *imp)
{
	size_t n = bz_import_problem_count(imp);
	for (size_t i = 0; i < n; i++) {
		const char *col = bz_import_problem_column(imp, i);
		long long line = (long long)bz_import_problem_line(imp, i);
		if (line > 0)
			fprintf(stderr, "%s:%lld: ", path, line);
		else
			fprintf(stderr, "%s: ", path);
		if (col)
			fprintf(stderr, "%s: ", col);
		fprintf(stderr, "%s\n", cli_s(bz_import_problem_message(imp, i)));
	}
}

/* import one file; 0, or the exit status (the problems or the error printed) */
static int one(bz_ledger *l, bz_txn *t, const char *path, bool units, const char *jur, const char *as_of)
{
	bz_import *imp = NULL;
	int rc;
	cli_progress("importing %s", path);
	rc = units ? bz_import_units(&imp, t, path, jur, as_of) : bz_import_people(&imp, t, path, jur);
	if (rc == BZ_EINVAL && imp && bz_import_problem_count(imp) > 0) {
		cli_progress_done();
		print_problems(path, imp);
		fprintf(stderr, "%s: %s: %zu row(s) refused; nothing was written\n", cli_prog, path,
			bz_import_problem_count(imp));
		bz_import_free(imp);
		return CLI_ERROR;
	}
	if (rc != BZ_OK) {
		cli_progress_done();
		bz_import_free(imp);
		return cli_fail(l, path, rc);
	}
	if (units)
		printf("%s: %lld row(s), %lld unit(s)\n", path, (long long)bz_import_rows(imp),
		       (long long)bz_import_units_created(imp));
	else
		printf("%s: %lld row(s), %lld person(s) registered, %lld placement(s), %lld appointment(s)\n", path,
		       (long long)bz_import_rows(imp), (long long)bz_import_persons_registered(imp),
		       (long long)bz_import_placements(imp), (long long)bz_import_appointments(imp));
	bz_import_free(imp);
	return 0;
}

int cmd_import(int argc, char **argv)
{
	static const struct option opts[] = {
		{"units", required_argument, NULL, 'u'},    {"people", required_argument, NULL, 'p'},
		{"jurisdiction", required_argument, NULL, 'j'}, {"opening", required_argument, NULL, 'o'},
		{"document", required_argument, NULL, 'd'}, {"as-of", required_argument, NULL, 'a'},
		{NULL, 0, NULL, 0},
	};
	const char *units[MAX_FILES], *people[MAX_FILES], *jur = NULL, *cutover = NULL, *doc = NULL, *as_of = NULL;
	size_t nu = 0, np = 0;
	int c, rc;

	while ((c = cli_getopt(argc, argv, "u:p:j:o:d:a:", opts)) != -1) {
		switch (c) {
		case 'u':
		case 'p':
			if ((c == 'u' ? nu : np) == MAX_FILES)
				return cli_usage(argv[0], "at most %d files of a kind", MAX_FILES);
			if (c == 'u')
				units[nu++] = optarg;
			else
				people[np++] = optarg;
			break;
		case 'j': jur = optarg; break;
		case 'o': cutover = optarg; break;
		case 'd': doc = optarg; break;
		case 'a': as_of = optarg; break;
		case 'h': return CLI_OK;
		default: return CLI_USAGE;
		}
	}
	if ((rc = cli_positional(argc, argv, 1, 1)) != 0)
		return rc;
	if (nu + np == 0)
		return cli_usage(argv[0], "nothing to import: give --units FILE or --people FILE");
	if (cutover && !doc)
		return cli_usage(argv[0], "an opening (--opening) rests on a document (--document)");
	if ((rc = cli_date(cutover)) != 0 || (rc = cli_date(as_of)) != 0)
		return rc;

	bz_ledger *l = NULL;
	bz_txn *t = NULL;
	char uuid[BZ_UUID_LEN + 1];
	if ((rc = cli_open(&l, argv[optind], true)) != 0)
		return rc;
	if (doc && (rc = cli_document(l, doc, uuid)) != BZ_OK) {
		rc = cli_fail(l, doc, rc);
		goto out;
	}
	if ((rc = cli_begin(&t, l)) != BZ_OK) {
		rc = cli_fail(l, "begin", rc);
		goto out;
	}
	if (doc && (rc = cutover ? bz_txn_set_opening(t, cutover, uuid) : bz_txn_set_document(t, uuid)) != BZ_OK) {
		rc = cli_fail(l, cutover ? "opening" : doc, rc);
		bz_txn_free(t);
		goto out;
	}
	rc = 0;
	for (size_t i = 0; rc == 0 && i < nu; i++)
		rc = one(l, t, units[i], true, jur, as_of);
	for (size_t i = 0; rc == 0 && i < np; i++)
		rc = one(l, t, people[i], false, jur, as_of);
	cli_progress_done();
	if (rc != 0) {
		bz_txn_free(t);
		goto out;
	}
	cli_progress("checking the rules");
	rc = cli_commit(l, t, "import");
	cli_progress_done();
out:
	bz_ledger_close(l);
	return rc;
}
