/*
 * cli.c: the helpers every bianzhi subcommand shares (cli.h).
 */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

const char *cli_prog = "bianzhi";

int cli_help(const char *name)
{
	const cli_command *c = cli_find(name);
	if (!c)
		return CLI_USAGE;
	printf("usage: %s %s %s\n\n%s\n", cli_prog, c->name, c->synopsis, c->summary);
	if (c->details)
		printf("\n%s", c->details);
	printf("\nExit status: 0 done; 1 error; 2 usage; 3 refused by the rules or errors found; "
	       "4 differences found (reconcile, registration compare).\n");
	return CLI_OK;
}

int cli_usage(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "%s: ", cli_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (cmd && cli_find(cmd))
		fprintf(stderr, "usage: %s %s %s\n(see `%s %s --help`)\n", cli_prog, cmd, cli_find(cmd)->synopsis,
			cli_prog, cmd);
	else
		fprintf(stderr, "usage: %s COMMAND [OPTIONS] ARGS...\n(see `%s --help` for the commands)\n", cli_prog,
			cli_prog);
	return CLI_USAGE;
}

int cli_getopt(int argc, char **argv, const char *optstring, const struct option *longopts)
{
	/* optstring and longopts with help added; '+' never: options may follow arguments */
	static struct option all[32];
	static char opts[64];
	size_t n = 0;
	int c;

	while (longopts && longopts[n].name && n < sizeof all / sizeof all[0] - 2) {
		all[n] = longopts[n];
		n++;
	}
	all[n++] = (struct option){"help", no_argument, NULL, 'h'};
	all[n] = (struct option){0, 0, 0, 0};
	snprintf(opts, sizeof opts, ":h%s", optstring ? optstring : "");
	opterr = 0;
	c = getopt_long(argc, argv, opts, all, NULL);
	if (c == 'h') {
		cli_help(argv[0]);
	} else if (c == '?') {
		if (optopt)
			cli_usage(argv[0], "unknown option -%c", optopt);
		else
			cli_usage(argv[0], "unknown option %s", argv[optind - 1]);
	} else if (c == ':') {
		cli_usage(argv[0], "option %s needs a value", argv[optind - 1]);
		c = '?';
	}
	return c;
}

int cli_positional(int argc, char **argv, int min, int max)
{
	int n = argc - optind;
	if (n < min)
		return cli_usage(argv[0], "too few arguments");
	if (n > max)
		return cli_usage(argv[0], "too many arguments (%s)", argv[optind + max]);
	return 0;
}

bool cli_is_uri(const char *ledger)
{
	return ledger && (strncmp(ledger, "postgresql://", 13) == 0 || strncmp(ledger, "postgres://", 11) == 0);
}

/*
 * The library's rule (src/ledger.c redact_uri): the userinfo's ":secret@"
 * and a "password=" parameter become "***". Four buffers in turn, so that
 * one printf may show two ledgers.
 */
const char *cli_shown(const char *ledger)
{
	static char bufs[4][1024];
	static int next;
	if (!ledger)
		return "";
	if (!cli_is_uri(ledger))
		return ledger;
	char *out = bufs[next];
	size_t n = 0, outlen = sizeof bufs[0];
	next = (next + 1) % 4;
#define PUT(c) \
	do { \
		if (n + 1 < outlen) \
			out[n++] = (c); \
	} while (0)
	const char *p = ledger, *auth = strstr(ledger, "://") + 3, *end = auth + strcspn(auth, "/?#"), *at = NULL;
	for (const char *q = auth; q < end; q++)
		if (*q == '@')
			at = q;
	const char *colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
	for (; p < (colon ? colon : auth); p++)
		PUT(*p);
	if (colon) {
		for (const char *r = ":***"; *r; r++)
			PUT(*r);
		p = at;
	}
	while (*p) {
		if (strncmp(p, "password=", 9) == 0 && (p[-1] == '?' || p[-1] == '&')) {
			for (const char *r = "password=***"; *r; r++)
				PUT(*r);
			p += 9;
			p += strcspn(p, "&#");
			continue;
		}
		PUT(*p);
		p++;
	}
#undef PUT
	out[n] = '\0';
	return out;
}

int cli_fail(bz_ledger *l, const char *what, int rc)
{
	const char *msg = l ? bz_ledger_errmsg(l) : NULL;
	bool has = msg && *msg && strcmp(msg, "not an error") != 0;
	what = cli_shown(what); /* a ledger's URI without its password */
	/* a file the library could not read: its own words name the file and the cause */
	if (rc == BZ_EIO && has) {
		if (strstr(msg, what))
			fprintf(stderr, "%s: %s\n", cli_prog, msg);
		else
			fprintf(stderr, "%s: %s: %s\n", cli_prog, what, msg);
		return CLI_ERROR;
	}
	fprintf(stderr, "%s: %s: %s", cli_prog, what, bz_strerror(rc));
	if (has)
		fprintf(stderr, " (%s)", msg);
	fputc('\n', stderr);
	return CLI_ERROR;
}

const char *cli_s(const char *v)
{
	return v && *v ? v : "-";
}

int cli_date(const char *date)
{
	if (!date || bz_date_valid(date) == BZ_OK)
		return 0;
	fprintf(stderr, "%s: not a date (YYYY-MM-DD): %s\n", cli_prog, date);
	return CLI_USAGE;
}

int cli_number(long long *out, const char *text, long long min, long long max)
{
	char *end = NULL;
	long long v;
	errno = 0;
	v = strtoll(text, &end, 10);
	if (!*text || *end || errno || v < min || v > max) {
		fprintf(stderr, "%s: not a whole number in %lld..%lld: %s\n", cli_prog, min, max, text);
		return CLI_USAGE;
	}
	*out = v;
	return 0;
}

/* the library's long jobs report here: a progress line when it is worth one */
static void on_progress(void *ctx, const char *what, int64_t done)
{
	(void)ctx;
	cli_progress("%s: %lld", what, (long long)done);
}

int cli_open(bz_ledger **l, const char *path, bool write)
{
	struct stat sb;
	int rc;

	*l = NULL;
	/* the library would create a missing file (or fail read-only with an
	 * SQLite word for it): say what is wrong in the user's terms first. A
	 * postgresql:// URI is no file: the library says what is wrong with it
	 * (the server, the schema), without its password */
	if (cli_is_uri(path)) {
		sb.st_mode = 0;
	} else if (strcmp(path, ":memory:") != 0 && stat(path, &sb) != 0) {
		fprintf(stderr, "%s: %s: %s\n", cli_prog, path, strerror(errno));
		return CLI_ERROR;
	}
	if (strcmp(path, ":memory:") != 0 && !cli_is_uri(path) && S_ISDIR(sb.st_mode)) {
		fprintf(stderr, "%s: %s: is a directory, not a ledger\n", cli_prog, path);
		return CLI_ERROR;
	}
	rc = bz_ledger_open(l, path, write ? 0 : BZ_OPEN_READONLY);
	if (rc != BZ_OK) {
		/* the library keeps the cause of a failed open, with the path; where it tells a program how to
		 * make the ledger (BZ_OPEN_CREATE: a schema missing or empty), the tool tells its user instead */
		const char *msg = bz_ledger_errmsg(NULL), *hint = NULL;
		if (cli_is_uri(path) && (rc == BZ_ENOTLEDGER || rc == BZ_EIO))
			hint = strstr(msg, " (open with BZ_OPEN_CREATE");
		if (hint) {
			fprintf(stderr, "%s: %.*s (%s); `%s create LEDGER` makes a new ledger there\n", cli_prog,
				(int)(hint - msg), msg, bz_strerror(rc), cli_prog);
			return CLI_ERROR;
		}
		fprintf(stderr, "%s: %s (%s)\n", cli_prog, msg, bz_strerror(rc));
		bz_ledger_close(*l);
		*l = NULL;
		return CLI_ERROR;
	}
	bz_ledger_set_progress(*l, on_progress, NULL);
	/* how long to wait for another writer's lock (bz_ledger_set_busy_timeout) */
	const char *busy = getenv("BIANZHI_BUSY_TIMEOUT");
	if (busy && *busy) {
		char *end = NULL;
		errno = 0;
		long ms = strtol(busy, &end, 10);
		if (errno || *end || ms < 0 || ms > BZ_BUSY_TIMEOUT_MAX ||
		    bz_ledger_set_busy_timeout(*l, (int)ms) != BZ_OK) {
			fprintf(stderr, "%s: BIANZHI_BUSY_TIMEOUT=%s: not a busy timeout (milliseconds, 0 to %d)\n", cli_prog,
				busy, BZ_BUSY_TIMEOUT_MAX);
			bz_ledger_close(*l);
			*l = NULL;
			return CLI_ERROR;
		}
	}
	/* the testing hook of memory.h: the Nth allocation from here on fails ("N+": and every later one) */
	const char *fail = getenv("BIANZHI_FAIL_ALLOC");
	if (fail && *fail) {
		char *end = NULL;
		errno = 0;
		long long n = strtoll(fail, &end, 10);
		int persistent = *end == '+';
		if (errno || n < 1 || n > BZ_FAIL_ALLOC_MAX || *(end + persistent)) {
			fprintf(stderr, "%s: BIANZHI_FAIL_ALLOC=%s: not an allocation number (1 to %lld, + for every later one)\n",
				cli_prog, fail, (long long)BZ_FAIL_ALLOC_MAX);
			bz_ledger_close(*l);
			*l = NULL;
			return CLI_ERROR;
		}
		bz_debug_fail_alloc(n, persistent);
	}
	return 0;
}

int cli_document(bz_ledger *l, const char *arg, char uuid[BZ_UUID_LEN + 1])
{
	bz_document *d = NULL;
	const char *colon = strchr(arg, ':');
	int rc;
	if (colon) {
		char *issuer = strdup(arg);
		if (!issuer)
			return BZ_ENOMEM;
		issuer[colon - arg] = '\0';
		rc = bz_document_find(&d, l, issuer, colon + 1);
		free(issuer);
	} else {
		rc = bz_document_lookup(&d, l, arg);
	}
	if (rc == BZ_OK)
		snprintf(uuid, BZ_UUID_LEN + 1, "%s", bz_document_uuid(d));
	bz_document_free(d);
	return rc;
}

static bool looks_like_uuid(const char *s)
{
	static const char shape[] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
	if (strlen(s) != BZ_UUID_LEN)
		return false;
	for (size_t i = 0; i < BZ_UUID_LEN; i++)
		if (shape[i] == '-' ? s[i] != '-' : !strchr("0123456789abcdefABCDEF", s[i]))
			return false;
	return true;
}

int cli_unit(bz_ledger *l, const char *arg, const char *date, char uuid[BZ_UUID_LEN + 1])
{
	bz_unit *u = NULL;
	int rc;

	if (looks_like_uuid(arg))
		rc = bz_unit_lookup(&u, l, arg, date);
	else if (strlen(arg) == 18 && bz_credit_code_valid(arg) == BZ_OK)
		rc = bz_unit_lookup_credit_code(&u, l, arg, date);
	else
		rc = bz_unit_lookup_name(&u, l, NULL, arg, date);
	if (rc == BZ_EEXISTS)
		fprintf(stderr, "%s: %s names more than one unit; give its UUID or credit code\n", cli_prog, arg);
	if (rc == BZ_OK)
		snprintf(uuid, BZ_UUID_LEN + 1, "%s", bz_unit_uuid(u));
	bz_unit_free(u);
	return rc;
}

int cli_print_report(const bz_report *r)
{
	size_t n = bz_report_count(r);
	for (size_t i = 0; i < n; i++) {
		const bz_violation *v = bz_report_get(r, i);
		printf("%s %s %s: %s", bz_violation_rule_id(v),
		       bz_violation_severity(v) == BZ_SEVERITY_ERROR ? "error" : "warning",
		       cli_s(bz_violation_date(v)), cli_s(bz_violation_subject_name(v)));
		if (bz_violation_category(v) && *bz_violation_category(v))
			printf(" [%s]", bz_violation_category(v));
		printf(" allowed %lld, actual %lld\n    %s\n", (long long)bz_violation_allowed(v),
		       (long long)bz_violation_actual(v), cli_s(bz_violation_message(v)));
		if (bz_violation_excepted_by(v))
			printf("    excepted by document %s\n", bz_violation_excepted_by(v));
		if (bz_violation_office(v))
			printf("    acting office: %s\n", bz_violation_office(v));
	}
	printf("%zu violation%s: %zu error%s, %zu warning%s\n", n, n == 1 ? "" : "s", bz_report_errors(r),
	       bz_report_errors(r) == 1 ? "" : "s", bz_report_warnings(r), bz_report_warnings(r) == 1 ? "" : "s");
	return bz_report_errors(r) > 0 ? CLI_REFUSED : CLI_OK;
}

int cli_begin(bz_txn **t, bz_ledger *l)
{
	const char *user = getenv("BIANZHI_USER"), *office = getenv("BIANZHI_OFFICE");
	if (!user || !*user)
		user = getenv("USER");
	return bz_txn_begin(t, l, user && *user ? user : "bianzhi", office && *office ? office : "bianzhi");
}

int cli_commit(bz_ledger *l, bz_txn *t, const char *what)
{
	int rc = bz_txn_commit(t);
	if (rc == BZ_ECONSTRAINT) {
		cli_print_report(bz_txn_report(t));
		fprintf(stderr, "%s: %s: refused by the rules; nothing was written\n", cli_prog, what);
		bz_txn_free(t);
		return CLI_REFUSED;
	}
	if (rc != BZ_OK) {
		cli_fail(l, "commit", rc);
		bz_txn_free(t);
		return CLI_ERROR;
	}
	if (bz_report_count(bz_txn_report(t)) > 0)
		cli_print_report(bz_txn_report(t));
	printf("%s: committed\n", what);
	bz_txn_free(t);
	return CLI_OK;
}

static struct timespec started;
static double last_shown;
static bool shown;

static double since_start(void)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (started.tv_sec == 0 && started.tv_nsec == 0)
		started = now;
	return (double)(now.tv_sec - started.tv_sec) + (double)(now.tv_nsec - started.tv_nsec) / 1e9;
}

void cli_progress_start(void)
{
	(void)since_start();
}

void cli_progress(const char *fmt, ...)
{
	va_list ap;
	double t = since_start();
	if (t < 1.0 || (shown && t - last_shown < 0.2) || !isatty(STDERR_FILENO))
		return;
	last_shown = t;
	shown = true;
	fputs("\r\033[K", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fflush(stderr);
}

void cli_progress_done(void)
{
	if (shown)
		fputs("\r\033[K", stderr);
	shown = false;
}

void cli_json_string(FILE *f, const char *s)
{
	if (!s) {
		fputs("null", f);
		return;
	}
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"': fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\n': fputs("\\n", f); break;
		case '\r': fputs("\\r", f); break;
		case '\t': fputs("\\t", f); break;
		default:
			if (*p < 0x20)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
	}
	fputc('"', f);
}
