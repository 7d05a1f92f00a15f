/*
 * cmd_archive.c: the files behind the documents (archive.h).
 *
 *   bianzhi attach LEDGER DOCUMENT FILE... [--name NAME] [--category CODE [--year YEAR]]
 *   bianzhi files LEDGER DOCUMENT [--output DIR] [--format text|json]
 *   bianzhi archive LEDGER [--unit U] [--jurisdiction CODE] [--category CODE] [--year YEAR] -o DIR|FILE.zip
 *   bianzhi archive LEDGER --categories
 *   bianzhi archive --verify DIR|FILE.zip
 *
 * attach writes every file in one transaction: all of them or none.
 */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* the library's own words when they name the file, else cli_fail's */
static int fail_file(bz_ledger *l, const char *what, int rc)
{
	const char *msg = bz_ledger_errmsg(l);
	if (msg && strstr(msg, what) && rc != BZ_ENOMEM) {
		fprintf(stderr, "%s: %s\n", cli_prog, msg);
		return CLI_ERROR;
	}
	return cli_fail(l, what, rc);
}

/* ---- attach ---------------------------------------------------------------------------- */

int cmd_attach(int argc, char **argv)
{
	static const struct option opts[] = {
		{"name", required_argument, NULL, 'n'},
		{"category", required_argument, NULL, 'c'},
		{"year", required_argument, NULL, 'y'},
		{NULL, 0, NULL, 0},
	};
	const char *name = NULL, *category = NULL;
	long long year = 0;
	int c, rc;
	while ((c = cli_getopt(argc, argv, "n:c:y:", opts)) != -1) {
		switch (c) {
		case 'n': name = optarg; break;
		case 'c': category = optarg; break;
		case 'y':
			if ((rc = cli_number(&year, optarg, 1949, 2999)) != 0)
				return rc;
			break;
		case 'h': return CLI_OK;
		default: return CLI_USAGE;
		}
	}
	if ((rc = cli_positional(argc, argv, 2, 1000)) != 0)
		return rc;
	int nfiles = argc - optind - 2;
	if (nfiles == 0 && !category)
		return cli_usage(argv[0], "nothing to attach: give FILE... (or --category to file the document)");
	if (name && nfiles != 1)
		return cli_usage(argv[0], "--name names one file, %d given", nfiles);
	if (year && !category)
		return cli_usage(argv[0], "--year files the document: give --category with it");

	bz_ledger *l = NULL;
	bz_txn *t = NULL;
	char doc[BZ_UUID_LEN + 1];
	const char *docarg = argv[optind + 1];
	if ((rc = cli_open(&l, argv[optind], true)) != 0)
		return rc;
	if ((rc = cli_document(l, docarg, doc)) != BZ_OK) {
		rc = cli_fail(l, docarg, rc);
		goto out;
	}
	if ((rc = cli_begin(&t, l)) != BZ_OK) {
		rc = cli_fail(l, "begin", rc);
		goto out;
	}
	rc = 0;
	/* said once committed: until then nothing is attached */
	bz_file **done = calloc((size_t)nfiles + 1, sizeof *done);
	if (!done) {
		bz_txn_free(t);
		rc = cli_fail(l, "attach", BZ_ENOMEM);
		goto out;
	}
	for (int i = 0; rc == 0 && i < nfiles; i++) {
		const char *path = argv[optind + 2 + i];
		cli_progress("attaching %s", path);
		int brc = bz_file_attach(&done[i], t, doc, path, name);
		cli_progress_done();
		if (brc != BZ_OK)
			rc = fail_file(l, path, brc);
	}
	if (rc == 0 && category) {
		int brc = bz_document_file_under(t, doc, category, (int)year);
		if (brc != BZ_OK)
			rc = cli_fail(l, category, brc);
	}
	if (rc != 0) {
		bz_txn_free(t);
		fprintf(stderr, "%s: nothing was attached\n", cli_prog);
	} else if ((rc = cli_commit(l, t, "attach")) == 0) {
		for (int i = 0; i < nfiles; i++)
			printf("%s: %s, %lld bytes, SHA-256 %s (file %s)\n", argv[optind + 2 + i], bz_file_name(done[i]),
			       (long long)bz_file_size(done[i]), bz_file_sha256(done[i]), bz_file_uuid(done[i]));
	}
	for (int i = 0; i < nfiles; i++)
		bz_file_free(done[i]);
	free(done);
out:
	bz_ledger_close(l);
	return rc;
}

/* ---- files ------------------------------------------------------------------------------- */

int cmd_files(int argc, char **argv)
{
	static const struct option opts[] = {
		{"output", required_argument, NULL, 'o'},
		{"format", required_argument, NULL, 'f'},
		{NULL, 0, NULL, 0},
	};
	const char *outdir = NULL;
	bool json = false;
	int c, rc;
	while ((c = cli_getopt(argc, argv, "o:f:", opts)) != -1) {
		switch (c) {
		case 'o': outdir = optarg; break;
		case 'f':
			if (strcmp(optarg, "json") == 0)
				json = true;
			else if (strcmp(optarg, "text") != 0)
				return cli_usage(argv[0], "unknown format %s (text or json)", optarg);
			break;
		case 'h': return CLI_OK;
		default: return CLI_USAGE;
		}
	}
	if ((rc = cli_positional(argc, argv, 2, 2)) != 0)
		return rc;
	bz_ledger *l = NULL;
	bz_document *d = NULL;
	bz_file_iter *it = NULL;
	bz_file *f = NULL;
	char doc[BZ_UUID_LEN + 1], *category = NULL;
	int year = 0;
	long long n = 0;
	const char *docarg = argv[optind + 1];
	if ((rc = cli_open(&l, argv[optind], false)) != 0)
		return rc;
	if ((rc = cli_document(l, docarg, doc)) != BZ_OK || (rc = bz_document_lookup(&d, l, doc)) != BZ_OK ||
	    (rc = bz_document_filed(&category, &year, l, doc)) != BZ_OK || (rc = bz_document_files(&it, l, doc)) != BZ_OK) {
		rc = cli_fail(l, docarg, rc);
		goto out;
	}
	if (!json)
		printf("%s %s %s (%s), filed under %s, %d\n", bz_document_number(d), bz_document_title(d),
		       bz_document_date(d), bz_document_issuer(d), cli_s(category), year);
	while ((rc = bz_file_iter_next(&f, it)) == BZ_OK) {
		n++;
		if (json) {
			fputs("{\"file\": ", stdout);
			cli_json_string(stdout, bz_file_uuid(f));
			fputs(", \"document\": ", stdout);
			cli_json_string(stdout, bz_file_document(f));
			fputs(", \"document_number\": ", stdout);
			cli_json_string(stdout, bz_document_number(d));
			fputs(", \"name\": ", stdout);
			cli_json_string(stdout, bz_file_name(f));
			printf(", \"size\": %lld, \"sha256\": \"%s\", \"attached\": \"%s\", \"seq\": %lld}\n",
			       (long long)bz_file_size(f), bz_file_sha256(f), bz_file_attached(f), (long long)bz_file_seq(f));
		} else {
			printf("  %s  %lld bytes  SHA-256 %s  attached %s (#%lld)  file %s\n", bz_file_name(f),
			       (long long)bz_file_size(f), bz_file_sha256(f), bz_file_attached(f), (long long)bz_file_seq(f),
			       bz_file_uuid(f));
		}
		if (outdir) {
			size_t m = strlen(outdir) + strlen(bz_file_name(f)) + 2;
			char *p = malloc(m);
			if (!p) {
				bz_file_free(f);
				rc = cli_fail(l, outdir, BZ_ENOMEM);
				goto out;
			}
			snprintf(p, m, "%s/%s", outdir, bz_file_name(f));
			int brc = bz_file_export(l, bz_file_uuid(f), p);
			if (brc != BZ_OK)
				rc = fail_file(l, p, brc);
			free(p);
			if (brc != BZ_OK) {
				bz_file_free(f);
				goto out;
			}
		}
		bz_file_free(f);
	}
	if (rc != BZ_ITEROVER) {
		rc = cli_fail(l, docarg, rc);
		goto out;
	}
	rc = 0;
	if (!json)
		printf("%lld file%s%s%s\n", n, n == 1 ? "" : "s", outdir ? " written to " : "", outdir ? outdir : "");
out:
	bz_free(category);
	bz_file_iter_free(it);
	bz_document_free(d);
	bz_ledger_close(l);
	return rc;
}

/* ---- archive ------------------------------------------------------------------------------- */

static int verify(const char *path)
{
	char *problems = NULL;
	int64_t checked = 0;
	int rc = bz_archive_verify(&problems, &checked, path);
	if (rc == BZ_OK) {
		printf("%s: %lld file%s, every one as its index says\n", path, (long long)checked, checked == 1 ? "" : "s");
		return CLI_OK;
	}
	if (rc == BZ_ECORRUPT) {
		fputs(problems, stdout);
		printf("%s: does not agree with its index (%lld file%s listed)\n", path, (long long)checked,
		       checked == 1 ? "" : "s");
		bz_free(problems);
		return CLI_REFUSED;
	}
	fprintf(stderr, "%s: %s", cli_prog, problems ? problems : bz_strerror(rc));
	if (!problems || problems[strlen(problems) - 1] != '\n')
		fputc('\n', stderr);
	bz_free(problems);
	return CLI_ERROR;
}

static int categories(bz_ledger *l)
{
	bz_archive_category_iter *it = NULL;
	bz_archive_category *c = NULL;
	int rc = bz_archive_category_list(&it, l);
	if (rc != BZ_OK)
		return cli_fail(l, "categories", rc);
	while ((rc = bz_archive_category_iter_next(&c, it)) == BZ_OK) {
		printf("%-6s %s\n", bz_archive_category_code(c), bz_archive_category_name(c));
		bz_archive_category_free(c);
	}
	bz_archive_category_iter_free(it);
	return rc == BZ_ITEROVER ? CLI_OK : cli_fail(l, "categories", rc);
}

int cmd_archive(int argc, char **argv)
{
	static const struct option opts[] = {
		{"unit", required_argument, NULL, 'u'},
		{"jurisdiction", required_argument, NULL, 'j'},
		{"category", required_argument, NULL, 'c'},
		{"year", required_argument, NULL, 'y'},
		{"output", required_argument, NULL, 'o'},
		{"verify", no_argument, NULL, 'v'},
		{"categories", no_argument, NULL, 'C'},
		{NULL, 0, NULL, 0},
	};
	const char *unit = NULL, *jur = NULL, *category = NULL, *out = NULL;
	long long year = 0;
	bool check = false, list = false;
	int c, rc;
	while ((c = cli_getopt(argc, argv, "u:j:c:y:o:", opts)) != -1) {
		switch (c) {
		case 'u': unit = optarg; break;
		case 'j': jur = optarg; break;
		case 'c': category = optarg; break;
		case 'y':
			if ((rc = cli_number(&year, optarg, 1949, 2999)) != 0)
				return rc;
			break;
		case 'o': out = optarg; break;
		case 'v': check = true; break;
		case 'C': list = true; break;
		case 'h': return CLI_OK;
		default: return CLI_USAGE;
		}
	}
	if (check) {
		if (unit || jur || category || year || out || list)
			return cli_usage(argv[0], "--verify takes the archive alone");
		if ((rc = cli_positional(argc, argv, 1, 1)) != 0)
			return rc;
		return verify(argv[optind]);
	}
	if ((rc = cli_positional(argc, argv, 1, 1)) != 0)
		return rc;
	if (!list && !out)
		return cli_usage(argv[0], "where to: give -o DIR or -o FILE.zip");
	bz_ledger *l = NULL;
	if ((rc = cli_open(&l, argv[optind], false)) != 0)
		return rc;
	if (list) {
		rc = categories(l);
		bz_ledger_close(l);
		return rc;
	}
	char uuid[BZ_UUID_LEN + 1];
	int64_t files = 0;
	if (unit && (rc = cli_unit(l, unit, NULL, uuid)) != BZ_OK) {
		rc = cli_fail(l, unit, rc);
		goto done;
	}
	cli_progress("exporting the archive to %s", out);
	rc = bz_archive_export(&files, l, out, unit ? uuid : NULL, jur, category, (int)year);
	cli_progress_done();
	if (rc != BZ_OK) {
		rc = fail_file(l, out, rc);
		goto done;
	}
	printf("%s: %lld file%s and index.csv, index.json\n", out, (long long)files, files == 1 ? "" : "s");
	rc = CLI_OK;
done:
	bz_ledger_close(l);
	return rc;
}
