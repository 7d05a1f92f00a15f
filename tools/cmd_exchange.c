/*
 * cmd_exchange.c: a ledger exported to one portable file, and such files
 * (a county's export) imported into another ledger — export, import-ledger
 * (exchange.h; the format is docs/exchange.md).
 */
#include "cli.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* ---- copy: a ledger moved to another backend (README "Moving a ledger between backends") ---- */

static bool is_uri(const char *target)
{
	return strncmp(target, "postgresql://", 13) == 0 || strncmp(target, "postgres://", 11) == 0;
}

/* a target as it may be printed: a URI's password (":secret@", "password=…") never shown */
static void shown(char *out, size_t cap, const char *target)
{
	snprintf(out, cap, "%s", target);
	if (!is_uri(out))
		return;
	char *auth = strstr(out, "://") + 3;
	char *at = strchr(auth, '@'), *slash = strchr(auth, '/');
	if (at && (!slash || at < slash)) {
		char *colon = memchr(auth, ':', (size_t)(at - auth));
		if (colon) { /* ":secret@host" → ":***@host" */
			size_t rest = strlen(at);
			if ((size_t)(colon + 1 - out) + 3 + rest + 1 <= cap) {
				memmove(colon + 4, at, rest + 1);
				memcpy(colon + 1, "***", 3);
			}
		}
	}
	for (char *p = strstr(out, "password="); p; p = strstr(p + 1, "password=")) {
		if (p > out && (p[-1] == '?' || p[-1] == '&')) {
			char *end = p + 9 + strcspn(p + 9, "&");
			size_t rest = strlen(end);
			if ((size_t)(p + 9 - out) + 3 + rest + 1 <= cap) {
				memmove(p + 12, end, rest + 1);
				memcpy(p + 9, "***", 3);
			}
		}
	}
}

static int open_fail(const char *what, int rc)
{
	fprintf(stderr, "%s: %s: %s (%s)\n", cli_prog, what, bz_ledger_errmsg(NULL), bz_strerror(rc));
	return CLI_ERROR;
}

/* a report's errors and warnings; -1 when it could not run */
static int check_counts(bz_ledger *l, long long *errors, long long *warnings)
{
	bz_report *r = NULL;
	int rc = bz_ledger_check(&r, l, NULL);
	if (rc == BZ_OK) {
		*errors = (long long)bz_report_errors(r);
		*warnings = (long long)bz_report_warnings(r);
	}
	bz_report_free(r);
	return rc;
}

int cmd_copy(int argc, char **argv)
{
	static const struct option opts[] = {{NULL, 0, NULL, 0}};
	int c, rc;
	while ((c = cli_getopt(argc, argv, "", opts)) != -1) {
		switch (c) {
		case 'h': return CLI_OK;
		default: return CLI_USAGE;
		}
	}
	if ((rc = cli_positional(argc, argv, 2, 2)) != 0)
		return rc;
	const char *src_t = argv[optind], *dst_t = argv[optind + 1];
	char src_s[1024], dst_s[1024];
	shown(src_s, sizeof src_s, src_t);
	shown(dst_s, sizeof dst_s, dst_t);
	struct stat sb;
	if (!is_uri(src_t) && stat(src_t, &sb) != 0) {
		fprintf(stderr, "%s: %s: no such ledger\n", cli_prog, src_s);
		return CLI_ERROR;
	}
	if (!is_uri(dst_t) && (strcmp(dst_t, ":memory:") == 0 || stat(dst_t, &sb) == 0)) {
		fprintf(stderr, "%s: %s: exists; a copy goes into a new ledger (never over another)\n", cli_prog, dst_s);
		return CLI_REFUSED;
	}
	bz_ledger *src = NULL, *dst = NULL;
	/* SRC is only read; on PostgreSQL it is opened for writing all the same: the export stages its scope in
	 * temporary tables, which a read-only server transaction refuses */
	if ((rc = bz_ledger_open(&src, src_t, is_uri(src_t) ? 0 : BZ_OPEN_READONLY)) != BZ_OK)
		return open_fail(src_s, rc);
	int status = CLI_ERROR;
	char dir[] = "/tmp/bianzhi-copy-XXXXXX", file[64] = "";
	bool made_dst = false;
	/* a schema that already holds a ledger must hold no change record: a copy never merges */
	if (is_uri(dst_t) && bz_ledger_open(&dst, dst_t, 0) == BZ_OK) {
		int64_t seq = 0;
		if ((rc = bz_changes_last_seq(&seq, dst)) != BZ_OK) {
			status = cli_fail(dst, dst_s, rc);
			goto done;
		}
		if (seq > 0) {
			fprintf(stderr, "%s: %s: holds a ledger with %lld change record(s); a copy goes into a new or empty one\n",
				cli_prog, dst_s, (long long)seq);
			status = CLI_REFUSED;
			goto done;
		}
	} else {
		bz_ledger_close(dst);
		dst = NULL;
		if ((rc = bz_ledger_open(&dst, dst_t, BZ_OPEN_CREATE)) != BZ_OK) {
			status = open_fail(dst_s, rc);
			goto done;
		}
		made_dst = !is_uri(dst_t);
	}
	bz_ledger_set_progress(src, NULL, NULL);
	if (!mkdtemp(dir)) {
		fprintf(stderr, "%s: %s: %s\n", cli_prog, dir, strerror(errno));
		goto done;
	}
	snprintf(file, sizeof file, "%s/ledger.jsonl", dir);
	bz_exchange *x = NULL;
	cli_progress("exporting %s", src_s);
	rc = bz_ledger_export(&x, src, file, NULL);
	cli_progress_done();
	if (rc != BZ_OK) {
		status = cli_fail(src, src_s, rc);
		goto done;
	}
	long long records = (long long)bz_exchange_records(x);
	bz_exchange_free(x);
	x = NULL;
	cli_progress("importing into %s", dst_s);
	rc = bz_ledger_import(&x, dst, file, BZ_IMPORT_NO_CHECK);
	cli_progress_done();
	if (rc == BZ_EINVAL && x && bz_exchange_conflict_count(x) > 0) {
		print_conflicts(dst_s, x);
		fprintf(stderr, "%s: %s: %zu conflict(s); nothing was written\n", cli_prog, dst_s, bz_exchange_conflict_count(x));
		bz_exchange_free(x);
		status = CLI_REFUSED;
		goto done;
	}
	if (rc != BZ_OK) {
		bz_exchange_free(x);
		status = cli_fail(dst, dst_s, rc);
		goto done;
	}
	long long added = (long long)bz_exchange_added(x), changes = (long long)bz_exchange_changes_added(x);
	bz_exchange_free(x);
	/* the archive's bytes, which the exchange file does not hold: streamed from SRC into DST, file by file */
	int64_t files = 0;
	cli_progress("carrying the files into %s", dst_s);
	rc = bz_files_copy(&files, dst, src);
	cli_progress_done();
	if (rc != BZ_OK) {
		status = cli_fail(dst, dst_s, rc);
		goto done;
	}
	/* the copy proves itself: its chain verifies, and its check finds what the source's finds */
	bz_report *v = NULL;
	if ((rc = bz_ledger_verify(&v, dst, 0, NULL)) != BZ_OK) {
		status = cli_fail(dst, dst_s, rc);
		goto done;
	}
	size_t broken = bz_report_count(v);
	bz_report_free(v);
	/* every file's bytes hashed again on DST against its record */
	char *bad_files = NULL;
	int64_t checked = 0;
	rc = bz_files_verify(&bad_files, &checked, dst);
	if (rc != BZ_OK && rc != BZ_ECORRUPT) {
		status = cli_fail(dst, dst_s, rc);
		goto done;
	}
	if (bad_files)
		fprintf(stderr, "%s", bad_files);
	bz_free(bad_files);
	bool files_bad = rc == BZ_ECORRUPT;
	long long se = 0, sw = 0, de = 0, dw = 0;
	if ((rc = check_counts(src, &se, &sw)) != BZ_OK) {
		status = cli_fail(src, src_s, rc);
		goto done;
	}
	if ((rc = check_counts(dst, &de, &dw)) != BZ_OK) {
		status = cli_fail(dst, dst_s, rc);
		goto done;
	}
	char ident[BZ_UUID_LEN + 1] = "?";
	char *id = NULL;
	if (bz_ledger_identity(&id, dst) == BZ_OK)
		snprintf(ident, sizeof ident, "%s", id);
	bz_free(id);
	printf("%s → %s: %lld record(s) copied (%lld added, %lld change records), %lld file(s); new ledger %s\n", src_s, dst_s,
	       records, added, changes, (long long)files, ident);
	printf("%s: the chain verifies: %s; the files verify: %s (%lld); the full check: %lld error(s), %lld warning(s)"
	       " (the source: %lld, %lld)\n",
	       dst_s, broken ? "NO" : "yes", files_bad ? "NO" : "yes", (long long)checked, de, dw, se, sw);
	if (broken || files_bad || de != se || dw != sw) {
		fprintf(stderr, "%s: %s: the copy differs from %s (see `bianzhi verify` and `bianzhi check` on both)\n", cli_prog,
			dst_s, src_s);
		status = CLI_ERROR;
		goto done;
	}
	status = CLI_OK;
done:
	if (*file)
		unlink(file);
	if (strcmp(dir, "/tmp/bianzhi-copy-XXXXXX") != 0)
		rmdir(dir);
	bz_ledger_close(src);
	bz_ledger_close(dst);
	/* a file made for the copy and left unfinished is removed; a schema is left (say so) */
	if (status != CLI_OK && made_dst)
		unlink(dst_t);
	return status;
}
