/*
 * bianzhi: a command-line look into a libbianzhi ledger, through the public
 * API only.
 *
 *   bianzhi info LEDGER                      schema version and counts
 *   bianzhi units LEDGER [JURISDICTION] [DATE]
 *                                            the units in being at DATE
 *                                            (default today), per jurisdiction
 *   bianzhi changes LEDGER UNIT-UUID         a unit's change records (Table 2)
 *   bianzhi check LEDGER [DATE]              every rule over the whole ledger
 *   bianzhi rules                            the rules table (no ledger)
 *   bianzhi param LEDGER NAME [DATE]         a rule parameter in force at DATE
 *   bianzhi frozen LEDGER UNIT-UUID CATEGORY [DATE]
 *   bianzhi plan LEDGER UNIT-UUID YEAR       frozen posts; a year's hiring plan
 *
 * and the changes, each one transaction on a document (its UUID, or
 * ISSUER:NUMBER), recorded as $BIANZHI_USER / $BIANZHI_OFFICE (default
 * $USER / "bianzhi"), committed only if every rule holds:
 *
 *   bianzhi set-param LEDGER DOC NAME VALUE DATE   (VALUE "-": the default)
 *   bianzhi grant LEDGER DOC RULE SUBJECT-UUID DATE    a documented exception
 *   bianzhi freeze LEDGER DOC UNIT-UUID CATEGORY POSTS DATE
 *   bianzhi set-plan LEDGER DOC UNIT-UUID YEAR POSTS
 *
 * Exit status: 0 OK; 1 an error (message on stderr); 2 usage; 3 `check`
 * found error-severity violations, or the rules refused a change (its
 * violations printed).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bianzhi.h>

static const char *prog = "bianzhi";

static int usage(void)
{
	fprintf(stderr,
		"usage: %s info LEDGER\n"
		"       %s units LEDGER [JURISDICTION] [DATE]\n"
		"       %s changes LEDGER UNIT-UUID\n"
		"       %s check LEDGER [DATE]\n"
		"       %s rules\n"
		"       %s param LEDGER NAME [DATE]\n"
		"       %s frozen LEDGER UNIT-UUID CATEGORY [DATE]\n"
		"       %s plan LEDGER UNIT-UUID YEAR\n"
		"       %s set-param LEDGER DOC NAME VALUE DATE\n"
		"       %s grant LEDGER DOC RULE SUBJECT-UUID DATE\n"
		"       %s freeze LEDGER DOC UNIT-UUID CATEGORY POSTS DATE\n"
		"       %s set-plan LEDGER DOC UNIT-UUID YEAR POSTS\n"
		"(DOC: a document's UUID or ISSUER:NUMBER)\n",
		prog, prog, prog, prog, prog, prog, prog, prog, prog, prog, prog, prog);
	return 2;
}

static int fail(bz_ledger *l, const char *what, int rc)
{
	fprintf(stderr, "%s: %s: %s", prog, what, bz_strerror(rc));
	if (l && bz_ledger_errmsg(l) && *bz_ledger_errmsg(l))
		fprintf(stderr, " (%s)", bz_ledger_errmsg(l));
	fputc('\n', stderr);
	return 1;
}

static const char *s(const char *v)
{
	return v && *v ? v : "-";
}

static int open_ledger(bz_ledger **l, const char *path)
{
	int rc = bz_ledger_open(l, path, BZ_OPEN_READONLY);
	if (rc != BZ_OK) {
		fail(*l, path, rc);
		bz_ledger_close(*l);
		*l = NULL;
	}
	return rc;
}

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
	}
	bz_unit_iter_free(it);
	return rc == BZ_ITEROVER ? BZ_OK : rc;
}

static int cmd_info(bz_ledger *l, const char *path)
{
	struct counts c = {0, 0, 0};
	char today[BZ_DATE_LEN + 1];
	int schema = 0, rc;

	if ((rc = bz_ledger_schema_version(&schema, l)) != BZ_OK)
		return fail(l, "schema version", rc);
	if ((rc = bz_ledger_today(today, sizeof today, l)) != BZ_OK)
		return fail(l, "today", rc);
	if ((rc = walk(l, NULL, 0, count_jur, &c)) != BZ_OK)
		return fail(l, "counting", rc);
	printf("ledger:         %s\n", path);
	printf("library:        libbianzhi %s\n", bz_version());
	printf("schema version: %d\n", schema);
	printf("today:          %s\n", today);
	printf("jurisdictions:  %ld\n", c.jurisdictions);
	printf("units in being: %ld\n", c.units);
	printf("change records: %ld (of those units)\n", c.changes);
	return 0;
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
		       bz_unit_uuid(u), bz_unit_name(u), s(bz_nature_name(bz_unit_nature(u))),
		       s(bz_rank_name(bz_unit_rank(u))), s(bz_funding_name(bz_unit_funding(u))),
		       s(bz_unit_credit_code(u)), s(bz_unit_founded(u)));
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

static int cmd_units(bz_ledger *l, const char *code, const char *date)
{
	struct units_ctx uc = {date, 0};
	int rc;

	if (date && bz_date_valid(date) != BZ_OK) {
		fprintf(stderr, "%s: not a date (YYYY-MM-DD): %s\n", prog, date);
		return 2;
	}
	rc = code ? only_one(l, code, &uc) : walk(l, NULL, 0, print_units, &uc);
	if (rc != BZ_OK)
		return fail(l, code ? code : "units", rc);
	printf("%ld unit%s in being\n", uc.n, uc.n == 1 ? "" : "s");
	return 0;
}

/* ---- changes */

static int cmd_changes(bz_ledger *l, const char *uuid)
{
	bz_unit *u = NULL;
	bz_change_iter *it = NULL;
	bz_change *c = NULL;
	long n = 0;
	int rc;

	if ((rc = bz_unit_lookup(&u, l, uuid, NULL)) != BZ_OK)
		return fail(l, uuid, rc);
	printf("Table 2 (机构编制变更记录) of %s %s\n", bz_unit_uuid(u), bz_unit_name(u));
	bz_unit_free(u);
	if ((rc = bz_unit_changes(&it, l, uuid)) != BZ_OK)
		return fail(l, uuid, rc);
	while ((rc = bz_change_iter_next(&c, it)) == BZ_OK) {
		size_t i, na = bz_change_attr_count(c);
		n++;
		printf("#%lld %s %s  document %s  recorded %s by %s (%s)\n", (long long)bz_change_seq(c),
		       s(bz_change_effective(c)), s(bz_change_kind(c)), s(bz_change_document_number(c)),
		       s(bz_change_recorded_at(c)), s(bz_change_recorded_by(c)), s(bz_change_office(c)));
		for (i = 0; i < na; i++)
			printf("    %s: %s -> %s\n", s(bz_change_attr_name(c, i)), s(bz_change_attr_before(c, i)),
			       s(bz_change_attr_after(c, i)));
		if (bz_change_note(c) && *bz_change_note(c))
			printf("    note: %s\n", bz_change_note(c));
		bz_change_free(c);
	}
	bz_change_iter_free(it);
	if (rc != BZ_ITEROVER)
		return fail(l, uuid, rc);
	printf("%ld change record%s\n", n, n == 1 ? "" : "s");
	return 0;
}

/* ---- check */

/* every violation of a report, then the counts; 3 if it holds an error, else 0 */
static int print_report(const bz_report *r)
{
	size_t n = bz_report_count(r);
	for (size_t i = 0; i < n; i++) {
		const bz_violation *v = bz_report_get(r, i);
		printf("%s %s %s: %s", bz_violation_rule_id(v),
		       bz_violation_severity(v) == BZ_SEVERITY_ERROR ? "error" : "warning",
		       s(bz_violation_date(v)), s(bz_violation_subject_name(v)));
		if (bz_violation_category(v) && *bz_violation_category(v))
			printf(" [%s]", bz_violation_category(v));
		printf(" allowed %lld, actual %lld\n    %s\n", (long long)bz_violation_allowed(v),
		       (long long)bz_violation_actual(v), s(bz_violation_message(v)));
		if (bz_violation_excepted_by(v))
			printf("    excepted by document %s\n", bz_violation_excepted_by(v));
	}
	printf("%zu violation%s: %zu error%s, %zu warning%s\n", n, n == 1 ? "" : "s", bz_report_errors(r),
	       bz_report_errors(r) == 1 ? "" : "s", bz_report_warnings(r), bz_report_warnings(r) == 1 ? "" : "s");
	return bz_report_errors(r) > 0 ? 3 : 0;
}

static int cmd_check(bz_ledger *l, const char *date)
{
	bz_report *r = NULL;
	int rc;

	if (date && bz_date_valid(date) != BZ_OK) {
		fprintf(stderr, "%s: not a date (YYYY-MM-DD): %s\n", prog, date);
		return 2;
	}
	if ((rc = bz_ledger_check(&r, l, date)) != BZ_OK)
		return fail(l, "check", rc);
	rc = print_report(r);
	bz_report_free(r);
	return rc;
}

/* ---- rules, parameters, frozen posts, hiring plans */

static int bad_date(const char *date)
{
	if (!date || bz_date_valid(date) == BZ_OK)
		return 0;
	fprintf(stderr, "%s: not a date (YYYY-MM-DD): %s\n", prog, date);
	return 2;
}

/* a whole decimal number in [min, max], or usage */
static int number(long long *out, const char *text, long long min, long long max)
{
	char *end = NULL;
	long long v = strtoll(text, &end, 10);
	if (!*text || *end || v < min || v > max) {
		fprintf(stderr, "%s: not a whole number in %lld..%lld: %s\n", prog, min, max, text);
		return 2;
	}
	*out = v;
	return 0;
}

static int cmd_rules(void)
{
	size_t n = bz_rule_count();
	for (size_t i = 0; i < n; i++) {
		int r = bz_rule_at(i);
		printf("%-9s %-7s %-10s %s\n          seed: %s\n", bz_rule_code(r),
		       bz_rule_severity(r) == BZ_SEVERITY_ERROR ? "error" : "warning",
		       bz_rule_exceptable(r) ? "exceptable" : "-", s(bz_rule_name(r)), s(bz_rule_seed_clause(r)));
	}
	printf("%zu rules\n", n);
	return 0;
}

static int cmd_param(bz_ledger *l, const char *name, const char *date)
{
	char *v = NULL;
	int rc = bad_date(date);
	if (rc)
		return rc;
	if ((rc = bz_rule_param_get(&v, l, name, date)) != BZ_OK)
		return fail(l, name, rc);
	printf("%s = %s\n", name, v ? v : "(none)");
	bz_free(v);
	return 0;
}

static int cmd_frozen(bz_ledger *l, const char *unit, const char *category, const char *date)
{
	int64_t n = 0;
	int rc = bad_date(date);
	if (rc)
		return rc;
	if ((rc = bz_establishment_frozen_get(&n, l, unit, category, date)) != BZ_OK)
		return fail(l, unit, rc);
	printf("frozen %s: %lld\n", category, (long long)n);
	return 0;
}

static int cmd_plan(bz_ledger *l, const char *unit, const char *year)
{
	long long y;
	int64_t n = 0;
	int rc = number(&y, year, 1900, 9999);
	if (rc)
		return rc;
	if ((rc = bz_hiring_plan_get(&n, l, unit, (int)y)) != BZ_OK)
		return fail(l, unit, rc);
	if (n < 0)
		printf("hiring plan %lld: none\n", y);
	else
		printf("hiring plan %lld: %lld\n", y, (long long)n);
	return 0;
}

/* the document named on the command line: a UUID, or ISSUER:NUMBER */
static int find_document(bz_ledger *l, const char *doc, char uuid[BZ_UUID_LEN + 1])
{
	bz_document *d = NULL;
	const char *colon = strchr(doc, ':');
	int rc;
	if (colon) {
		char *issuer = strdup(doc);
		if (!issuer)
			return BZ_ENOMEM;
		issuer[colon - doc] = '\0';
		rc = bz_document_find(&d, l, issuer, colon + 1);
		free(issuer);
	} else {
		rc = bz_document_lookup(&d, l, doc);
	}
	if (rc == BZ_OK)
		snprintf(uuid, BZ_UUID_LEN + 1, "%s", bz_document_uuid(d));
	bz_document_free(d);
	return rc;
}

struct change {
	const char *cmd;
	char **argv; /* after LEDGER DOC */
	long long posts, year;
	int rule;
};

static int apply(bz_txn *t, const struct change *c)
{
	char **a = c->argv;
	if (strcmp(c->cmd, "set-param") == 0)
		return bz_rule_param_set(t, a[0], strcmp(a[1], "-") == 0 ? NULL : a[1], a[2]);
	if (strcmp(c->cmd, "grant") == 0)
		return bz_exception_grant(t, c->rule, a[1], a[2]);
	if (strcmp(c->cmd, "freeze") == 0)
		return bz_establishment_freeze(t, a[0], a[1], c->posts, a[3]);
	return bz_hiring_plan_set(t, a[0], (int)c->year, c->posts);
}

/* one change on a document, committed if the rules allow it */
static int cmd_change(bz_ledger *l, const char *doc, struct change *c)
{
	char uuid[BZ_UUID_LEN + 1];
	const char *user = getenv("BIANZHI_USER"), *office = getenv("BIANZHI_OFFICE");
	bz_txn *t = NULL;
	int rc;

	if (!user || !*user)
		user = getenv("USER");
	if ((rc = find_document(l, doc, uuid)) != BZ_OK)
		return fail(l, doc, rc);
	if ((rc = bz_txn_begin(&t, l, user && *user ? user : "bianzhi", office && *office ? office : "bianzhi")) != BZ_OK)
		return fail(l, "begin", rc);
	if ((rc = bz_txn_set_document(t, uuid)) != BZ_OK || (rc = apply(t, c)) != BZ_OK) {
		fail(l, c->cmd, rc);
		bz_txn_free(t);
		return 1;
	}
	rc = bz_txn_commit(t);
	if (rc == BZ_ECONSTRAINT) {
		print_report(bz_txn_report(t));
		fprintf(stderr, "%s: %s: refused by the rules; nothing was written\n", prog, c->cmd);
		bz_txn_free(t);
		return 3;
	}
	if (rc != BZ_OK) {
		fail(l, "commit", rc);
		bz_txn_free(t);
		return 1;
	}
	if (bz_report_count(bz_txn_report(t)) > 0)
		print_report(bz_txn_report(t));
	printf("%s: committed\n", c->cmd);
	bz_txn_free(t);
	return 0;
}

/* the change's arguments checked before the ledger is opened: 0 or a usage status */
static int parse_change(struct change *c)
{
	char **a = c->argv;
	int rc = 0;
	if (strcmp(c->cmd, "set-param") == 0)
		return bad_date(a[2]);
	if (strcmp(c->cmd, "grant") == 0) {
		for (size_t i = 0; i < bz_rule_count(); i++)
			if (strcmp(bz_rule_code(bz_rule_at(i)), a[0]) == 0)
				c->rule = bz_rule_at(i);
		if (!c->rule) {
			fprintf(stderr, "%s: no rule %s (see `%s rules`)\n", prog, a[0], prog);
			return 2;
		}
		return bad_date(a[2]);
	}
	if (strcmp(c->cmd, "freeze") == 0)
		return (rc = number(&c->posts, a[2], 0, INT64_MAX)) ? rc : bad_date(a[3]);
	if ((rc = number(&c->year, a[1], 1900, 9999)))
		return rc;
	return number(&c->posts, a[2], 0, INT64_MAX);
}

static const struct command {
	const char *name;
	int min, max; /* argc bounds */
	bool change;  /* a change on a document: opened read-write */
} commands[] = {
	{"info", 3, 3, false},      {"units", 3, 5, false},      {"changes", 4, 4, false},
	{"check", 3, 4, false},     {"rules", 2, 2, false},      {"param", 4, 5, false},
	{"frozen", 5, 6, false},    {"plan", 5, 5, false},       {"set-param", 7, 7, true},
	{"grant", 7, 7, true},      {"freeze", 8, 8, true},      {"set-plan", 7, 7, true},
};

int main(int argc, char **argv)
{
	const struct command *cmd = NULL;
	bz_ledger *l = NULL;
	struct change ch = {0};
	int rc;

	for (size_t i = 0; argc >= 2 && i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			cmd = &commands[i];
	if (!cmd || argc < cmd->min || argc > cmd->max)
		return usage();
	if (strcmp(cmd->name, "rules") == 0)
		return cmd_rules();
	if (cmd->change) {
		ch.cmd = cmd->name;
		ch.argv = argv + 4;
		if ((rc = parse_change(&ch)) != 0)
			return rc;
		if ((rc = bz_ledger_open(&l, argv[2], 0)) != BZ_OK) {
			fail(l, argv[2], rc);
			bz_ledger_close(l);
			return 1;
		}
		rc = cmd_change(l, argv[3], &ch);
		bz_ledger_close(l);
		return rc;
	}
	if (open_ledger(&l, argv[2]) != BZ_OK)
		return 1;
	if (strcmp(cmd->name, "info") == 0) {
		rc = cmd_info(l, argv[2]);
	} else if (strcmp(cmd->name, "units") == 0) {
		/* one optional argument: a date if it looks like one, else a code */
		const char *code = argc > 3 ? argv[3] : NULL, *date = argc > 4 ? argv[4] : NULL;
		if (argc == 4 && strchr(argv[3], '-')) {
			date = argv[3];
			code = NULL;
		}
		rc = cmd_units(l, code, date);
	} else if (strcmp(cmd->name, "changes") == 0) {
		rc = cmd_changes(l, argv[3]);
	} else if (strcmp(cmd->name, "param") == 0) {
		rc = cmd_param(l, argv[3], argc > 4 ? argv[4] : NULL);
	} else if (strcmp(cmd->name, "frozen") == 0) {
		rc = cmd_frozen(l, argv[3], argv[4], argc > 5 ? argv[5] : NULL);
	} else if (strcmp(cmd->name, "plan") == 0) {
		rc = cmd_plan(l, argv[3], argv[4]);
	} else {
		rc = cmd_check(l, argc > 3 ? argv[3] : NULL);
	}
	bz_ledger_close(l);
	return rc;
}
