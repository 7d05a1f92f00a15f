/*
 * cmd_ledger.c: a new ledger (create), the ledger looked into (info, units, changes of a unit,
 * check, rules, param, frozen, plan) and changed on a document (set-param,
 * grant, freeze, set-plan).
 */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* visit every jurisdiction under parent (NULL: the top ones), depth first */
typedef int (*jur_fn)(bz_ledger *l, const bz_jurisdiction *j, int depth, void *ctx);

static int walk(bz_ledger *l, const char *parent, int depth, jur_fn fn, void *ctx)
{
	bz_jurisdiction_iter *it = NULL;
	bz_jurisdiction *j = NULL;
	int rc = bz_jurisdiction_children(&it, l, parent);
	if (rc != BZ_OK)
		return rc;
	while ((rc = bz_jurisdiction_iter_next(&j, it)) == BZ_OK) {
		rc = fn(l, j, depth, ctx);
		if (rc == BZ_OK)
			rc = walk(l, bz_jurisdiction_code(j), depth + 1, fn, ctx);
		bz_jurisdiction_free(j);
		if (rc != BZ_OK)
			break;
	}
	bz_jurisdiction_iter_free(it);
	return rc == BZ_ITEROVER ? BZ_OK : rc;
}

/* options: none but --help; then between min and max positional arguments */
static int plain_args(int argc, char **argv, int min, int max)
{
	int c;
	while ((c = cli_getopt(argc, argv, "", NULL)) != -1)
		return c == 'h' ? -1 : CLI_USAGE;
	return cli_positional(argc, argv, min, max);
}

/* the usual opening of a read-only command: options, arguments, ledger */
static int reader(int argc, char **argv, int min, int max, bz_ledger **l)
{
	int rc = plain_args(argc, argv, min, max);
	if (rc != 0)
		return rc;
	return cli_open(l, argv[optind], false);
}

/* ---- info */

struct counts {
	long jurisdictions, units, changes;
};

static int count_jur(bz_ledger *l, const bz_jurisdiction *j, int depth, void *ctx)
{
	struct counts *c = ctx;
	bz_unit_iter *it = NULL;
	bz_unit *u = NULL;
	int rc;
	(void)depth;
	c->jurisdictions++;
	if ((rc = bz_unit_list(&it, l, bz_jurisdiction_code(j), NULL)) != BZ_OK)
		return rc;
	while ((rc = bz_unit_iter_next(&u, it)) == BZ_OK) {
		bz_change_iter *ci = NULL;
		bz_change *ch = NULL;
		c->units++;
		rc = bz_unit_changes(&ci, l, bz_unit_uuid(u));
		bz_unit_free(u);
		if (rc != BZ_OK)
			break;
		while ((rc = bz_change_iter_next(&ch, ci)) == BZ_OK) {
			c->changes++;
			bz_change_free(ch);
		}
		bz_change_iter_free(ci);
		if (rc != BZ_ITEROVER)
			break;
		cli_progress("counting: %ld units", c->units);
	}
	bz_unit_iter_free(it);
	return rc == BZ_ITEROVER ? BZ_OK : rc;
}

int cmd_info(int argc, char **argv)
{
	struct counts c = {0, 0, 0};
	char today[BZ_DATE_LEN + 1];
	bz_ledger *l = NULL;
	int schema = 0, rc = reader(argc, argv, 1, 1, &l);

	if (rc != 0)
		return rc < 0 ? 0 : rc;
	if ((rc = bz_ledger_schema_version(&schema, l)) != BZ_OK)
		rc = cli_fail(l, "schema version", rc);
	else if ((rc = bz_ledger_today(today, sizeof today, l)) != BZ_OK)
		rc = cli_fail(l, "today", rc);
	else if ((rc = walk(l, NULL, 0, count_jur, &c)) != BZ_OK)
		rc = cli_fail(l, "counting", rc);
	cli_progress_done();
	if (rc == 0) {
		printf("ledger:         %s\n", cli_shown(argv[optind]));
		printf("library:        libbianzhi %s\n", bz_version());
		printf("schema version: %d\n", schema);
		printf("today:          %s\n", today);
		printf("jurisdictions:  %ld\n", c.jurisdictions);
		printf("units in being: %ld\n", c.units);
		printf("change records: %ld (of those units)\n", c.changes);
	}
	bz_ledger_close(l);
	return rc;
}

/* ---- create */

int cmd_create(int argc, char **argv)
{
	bz_ledger *l = NULL;
	int schema = 0, rc = plain_args(argc, argv, 1, 1);
	if (rc != 0)
		return rc < 0 ? 0 : rc;
	const char *path = argv[optind];
	/* never over a ledger that is there: a file that exists, a schema that holds one */
	if (!cli_is_uri(path) && access(path, F_OK) == 0) {
		fprintf(stderr, "%s: %s: exists; a new ledger is never made over anything\n", cli_prog, path);
		return CLI_ERROR;
	}
	if (cli_is_uri(path) && bz_ledger_open(&l, path, BZ_OPEN_READONLY) == BZ_OK) {
		fprintf(stderr, "%s: %s: a ledger is there already\n", cli_prog, cli_shown(path));
		bz_ledger_close(l);
		return CLI_ERROR;
	}
	if ((rc = bz_ledger_open(&l, path, BZ_OPEN_CREATE)) != BZ_OK) {
		fprintf(stderr, "%s: %s (%s)\n", cli_prog, bz_ledger_errmsg(NULL), bz_strerror(rc));
		return CLI_ERROR;
	}
	if ((rc = bz_ledger_schema_version(&schema, l)) != BZ_OK)
		rc = cli_fail(l, "schema version", rc);
	else
		printf("created %s (schema version %d)\n", cli_shown(path), schema);
	bz_ledger_close(l);
	return rc;
}

/* ---- units */

struct units_ctx {
	const char *date;
	long n;
};

static int print_units(bz_ledger *l, const bz_jurisdiction *j, int depth, void *ctx)
{
	struct units_ctx *uc = ctx;
	bz_unit_iter *it = NULL;
	bz_unit *u = NULL;
	int rc;

	printf("%*s%s %s\n", depth * 2, "", bz_jurisdiction_code(j), bz_jurisdiction_name(j));
	if ((rc = bz_unit_list(&it, l, bz_jurisdiction_code(j), uc->date)) != BZ_OK)
		return rc;
	while ((rc = bz_unit_iter_next(&u, it)) == BZ_OK) {
		uc->n++;
		printf("%*s  %s  %s  [%s, %s, %s] credit code %s, founded %s\n", depth * 2, "",
		       bz_unit_uuid(u), bz_unit_name(u), cli_s(bz_nature_name(bz_unit_nature(u))),
		       cli_s(bz_rank_name(bz_unit_rank(u))), cli_s(bz_funding_name(bz_unit_funding(u))),
		       cli_s(bz_unit_credit_code(u)), cli_s(bz_unit_founded(u)));
		bz_unit_free(u);
	}
	bz_unit_iter_free(it);
	return rc == BZ_ITEROVER ? BZ_OK : rc;
}

static int only_one(bz_ledger *l, const char *code, struct units_ctx *uc)
{
	bz_jurisdiction *j = NULL;
	int rc = bz_jurisdiction_lookup(&j, l, code);
	if (rc != BZ_OK)
		return rc;
	rc = print_units(l, j, 0, uc);
	bz_jurisdiction_free(j);
	return rc;
}

int cmd_units(int argc, char **argv)
{
	struct units_ctx uc = {NULL, 0};
	const char *code = NULL;
	bz_ledger *l = NULL;
	int rc = plain_args(argc, argv, 1, 3);

	if (rc != 0)
		return rc < 0 ? 0 : rc;
	/* one optional argument: a date if it looks like one, else a code */
	if (argc - optind == 2 && strchr(argv[optind + 1], '-'))
		uc.date = argv[optind + 1];
	else if (argc - optind >= 2)
		code = argv[optind + 1];
	if (argc - optind == 3)
		uc.date = argv[optind + 2];
	if ((rc = cli_date(uc.date)) != 0 || (rc = cli_open(&l, argv[optind], false)) != 0)
		return rc;
	rc = code ? only_one(l, code, &uc) : walk(l, NULL, 0, print_units, &uc);
	if (rc != BZ_OK)
		rc = cli_fail(l, code ? code : "units", rc);
	else
		printf("%ld unit%s in being\n", uc.n, uc.n == 1 ? "" : "s");
	bz_ledger_close(l);
	return rc;
}

/* ---- changes of a unit (Table 2), as text: the `changes` command is cmd_feed.c's */

/* the files of the document a change rests on (archive.h), one line each */
static int print_files(bz_ledger *l, const char *doc)
{
	bz_file_iter *it = NULL;
	bz_file *f = NULL;
	int rc = bz_document_files(&it, l, doc);
	if (rc != BZ_OK)
		return rc;
	while ((rc = bz_file_iter_next(&f, it)) == BZ_OK) {
		printf("    file: %s (%lld bytes, SHA-256 %.16s…)\n", bz_file_name(f), (long long)bz_file_size(f),
		       bz_file_sha256(f));
		bz_file_free(f);
	}
	bz_file_iter_free(it);
	return rc == BZ_ITEROVER ? BZ_OK : rc;
}

int cmd_unit_changes(bz_ledger *l, const char *arg)
{
	char uuid[BZ_UUID_LEN + 1];
	bz_unit *u = NULL;
	bz_change_iter *it = NULL;
	bz_change *c = NULL;
	long n = 0;
	int rc;

	if ((rc = cli_unit(l, arg, NULL, uuid)) != BZ_OK || (rc = bz_unit_lookup(&u, l, uuid, NULL)) != BZ_OK)
		return cli_fail(l, arg, rc);
	printf("Table 2 (机构编制变更记录) of %s %s\n", bz_unit_uuid(u), bz_unit_name(u));
	bz_unit_free(u);
	if ((rc = bz_unit_changes(&it, l, uuid)) != BZ_OK)
		return cli_fail(l, arg, rc);
	while ((rc = bz_change_iter_next(&c, it)) == BZ_OK) {
		size_t i, na = bz_change_attr_count(c);
		n++;
		printf("#%lld %s %s  document %s  recorded %s by %s (%s)\n", (long long)bz_change_seq(c),
		       cli_s(bz_change_effective(c)), cli_s(bz_change_kind(c)), cli_s(bz_change_document_number(c)),
		       cli_s(bz_change_recorded_at(c)), cli_s(bz_change_recorded_by(c)), cli_s(bz_change_office(c)));
		for (i = 0; i < na; i++)
			printf("    %s: %s -> %s\n", cli_s(bz_change_attr_name(c, i)), cli_s(bz_change_attr_before(c, i)),
			       cli_s(bz_change_attr_after(c, i)));
		if (bz_change_note(c) && *bz_change_note(c))
			printf("    note: %s\n", bz_change_note(c));
		if (bz_change_document(c) && (rc = print_files(l, bz_change_document(c))) != BZ_OK) {
			bz_change_free(c);
			bz_change_iter_free(it);
			return cli_fail(l, arg, rc);
		}
		bz_change_free(c);
	}
	bz_change_iter_free(it);
	if (rc != BZ_ITEROVER)
		return cli_fail(l, arg, rc);
	printf("%ld change record%s\n", n, n == 1 ? "" : "s");
	return 0;
}

/* ---- check */

int cmd_check(int argc, char **argv)
{
	bz_report *r = NULL;
	bz_ledger *l = NULL;
	const char *date;
	int rc = plain_args(argc, argv, 1, 2);

	if (rc != 0)
		return rc < 0 ? 0 : rc;
	date = argc - optind > 1 ? argv[optind + 1] : NULL;
	if ((rc = cli_date(date)) != 0 || (rc = cli_open(&l, argv[optind], false)) != 0)
		return rc;
	if ((rc = bz_ledger_check(&r, l, date)) != BZ_OK)
		rc = cli_fail(l, "check", rc);
	else
		rc = cli_print_report(r);
	bz_report_free(r);
	bz_ledger_close(l);
	return rc;
}

/* ---- rules, parameters, frozen posts, hiring plans */

int cmd_rules(int argc, char **argv)
{
	size_t n = bz_rule_count();
	int rc = plain_args(argc, argv, 0, 0);
	if (rc != 0)
		return rc < 0 ? 0 : rc;
	for (size_t i = 0; i < n; i++) {
		int r = bz_rule_at(i);
		printf("%-9s %-7s %-10s %s\n          seed: %s\n", bz_rule_code(r),
		       bz_rule_severity(r) == BZ_SEVERITY_ERROR ? "error" : "warning",
		       bz_rule_exceptable(r) ? "exceptable" : "-", cli_s(bz_rule_name(r)), cli_s(bz_rule_seed_clause(r)));
	}
	printf("%zu rules\n", n);
	return 0;
}

int cmd_param(int argc, char **argv)
{
	char *v = NULL;
	bz_ledger *l = NULL;
	const char *date;
	int rc = plain_args(argc, argv, 2, 3);

	if (rc != 0)
		return rc < 0 ? 0 : rc;
	date = argc - optind > 2 ? argv[optind + 2] : NULL;
	if ((rc = cli_date(date)) != 0 || (rc = cli_open(&l, argv[optind], false)) != 0)
		return rc;
	if ((rc = bz_rule_param_get(&v, l, argv[optind + 1], date)) != BZ_OK) {
		rc = cli_fail(l, argv[optind + 1], rc);
	} else {
		printf("%s = %s\n", argv[optind + 1], v ? v : "(none)");
		bz_free(v);
	}
	bz_ledger_close(l);
	return rc;
}

int cmd_frozen(int argc, char **argv)
{
	char uuid[BZ_UUID_LEN + 1];
	int64_t n = 0;
	bz_ledger *l = NULL;
	const char *date;
	int rc = plain_args(argc, argv, 3, 4);

	if (rc != 0)
		return rc < 0 ? 0 : rc;
	date = argc - optind > 3 ? argv[optind + 3] : NULL;
	if ((rc = cli_date(date)) != 0 || (rc = cli_open(&l, argv[optind], false)) != 0)
		return rc;
	if ((rc = cli_unit(l, argv[optind + 1], date, uuid)) != BZ_OK ||
	    (rc = bz_establishment_frozen_get(&n, l, uuid, argv[optind + 2], date)) != BZ_OK)
		rc = cli_fail(l, argv[optind + 1], rc);
	else
		printf("frozen %s: %lld\n", argv[optind + 2], (long long)n);
	bz_ledger_close(l);
	return rc;
}

int cmd_plan(int argc, char **argv)
{
	char uuid[BZ_UUID_LEN + 1];
	long long y;
	int64_t n = 0;
	bz_ledger *l = NULL;
	int rc = plain_args(argc, argv, 3, 3);

	if (rc != 0)
		return rc < 0 ? 0 : rc;
	if ((rc = cli_number(&y, argv[optind + 2], 1900, 9999)) != 0 || (rc = cli_open(&l, argv[optind], false)) != 0)
		return rc;
	if ((rc = cli_unit(l, argv[optind + 1], NULL, uuid)) != BZ_OK ||
	    (rc = bz_hiring_plan_get(&n, l, uuid, (int)y)) != BZ_OK)
		rc = cli_fail(l, argv[optind + 1], rc);
	else if (n < 0)
		printf("hiring plan %lld: none\n", y);
	else
		printf("hiring plan %lld: %lld\n", y, (long long)n);
	bz_ledger_close(l);
	return rc;
}

/* ---- changes on a document: LEDGER DOC ARGS..., one transaction */

struct change {
	const char *cmd;
	char **a; /* after LEDGER DOC */
	long long posts, year;
	int rule;
	char unit[BZ_UUID_LEN + 1];
};

/* the change's arguments checked before the ledger is opened: 0 or CLI_USAGE */
static int parse_change(struct change *c)
{
	char **a = c->a;
	int rc = 0;
	if (strcmp(c->cmd, "set-param") == 0)
		return cli_date(a[2]);
	if (strcmp(c->cmd, "grant") == 0) {
		for (size_t i = 0; i < bz_rule_count(); i++)
			if (strcmp(bz_rule_code(bz_rule_at(i)), a[0]) == 0)
				c->rule = bz_rule_at(i);
		if (!c->rule)
			return cli_usage(c->cmd, "no rule %s (see `%s rules`)", a[0], cli_prog);
		return cli_date(a[2]);
	}
	if (strcmp(c->cmd, "freeze") == 0)
		return (rc = cli_number(&c->posts, a[2], 0, INT64_MAX)) ? rc : cli_date(a[3]);
	if (strcmp(c->cmd, "set-credit-code") == 0)
		return cli_date(a[2]);
	if ((rc = cli_number(&c->year, a[1], 1900, 9999)))
		return rc;
	return cli_number(&c->posts, a[2], 0, INT64_MAX);
}

static int apply(bz_txn *t, const struct change *c)
{
	char **a = c->a;
	if (strcmp(c->cmd, "set-param") == 0)
		return bz_rule_param_set(t, a[0], strcmp(a[1], "-") == 0 ? NULL : a[1], a[2]);
	if (strcmp(c->cmd, "grant") == 0)
		return bz_exception_grant(t, c->rule, a[1], a[2]);
	if (strcmp(c->cmd, "freeze") == 0)
		return bz_establishment_freeze(t, c->unit, a[1], c->posts, a[3]);
	if (strcmp(c->cmd, "set-credit-code") == 0)
		return bz_unit_set_credit_code(t, c->unit, a[1], a[2]);
	return bz_hiring_plan_set(t, c->unit, (int)c->year, c->posts);
}

static int change(int argc, char **argv, int nargs)
{
	char doc[BZ_UUID_LEN + 1];
	struct change c = {0};
	bz_ledger *l = NULL;
	bz_txn *t = NULL;
	int rc = plain_args(argc, argv, 2 + nargs, 2 + nargs);

	if (rc != 0)
		return rc < 0 ? 0 : rc;
	c.cmd = argv[0];
	c.a = argv + optind + 2;
	if ((rc = parse_change(&c)) != 0 || (rc = cli_open(&l, argv[optind], true)) != 0)
		return rc;
	if ((rc = cli_document(l, argv[optind + 1], doc)) != BZ_OK) {
		rc = cli_fail(l, argv[optind + 1], rc);
		goto out;
	}
	if ((strcmp(c.cmd, "freeze") == 0 || strcmp(c.cmd, "set-plan") == 0 || strcmp(c.cmd, "set-credit-code") == 0) &&
	    (rc = cli_unit(l, c.a[0], NULL, c.unit)) != BZ_OK) {
		rc = cli_fail(l, c.a[0], rc);
		goto out;
	}
	if ((rc = cli_begin(&t, l)) != BZ_OK) {
		rc = cli_fail(l, "begin", rc);
		goto out;
	}
	if ((rc = bz_txn_set_document(t, doc)) != BZ_OK || (rc = apply(t, &c)) != BZ_OK) {
		rc = cli_fail(l, c.cmd, rc);
		bz_txn_free(t);
		goto out;
	}
	rc = cli_commit(l, t, c.cmd);
out:
	bz_ledger_close(l);
	return rc;
}

int cmd_set_param(int argc, char **argv) { return change(argc, argv, 3); }
int cmd_grant(int argc, char **argv) { return change(argc, argv, 3); }
int cmd_freeze(int argc, char **argv) { return change(argc, argv, 4); }
int cmd_set_plan(int argc, char **argv) { return change(argc, argv, 3); }
int cmd_set_credit_code(int argc, char **argv) { return change(argc, argv, 3); }
