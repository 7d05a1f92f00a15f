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
 *
 * Exit status: 0 OK; 1 an error (message on stderr); 2 usage; 3 `check`
 * found error-severity violations.
 */
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
		"       %s check LEDGER [DATE]\n",
		prog, prog, prog, prog);
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

static int cmd_check(bz_ledger *l, const char *date)
{
	bz_report *r = NULL;
	size_t i, n;
	int rc;

	if (date && bz_date_valid(date) != BZ_OK) {
		fprintf(stderr, "%s: not a date (YYYY-MM-DD): %s\n", prog, date);
		return 2;
	}
	if ((rc = bz_ledger_check(&r, l, date)) != BZ_OK)
		return fail(l, "check", rc);
	n = bz_report_count(r);
	for (i = 0; i < n; i++) {
		const bz_violation *v = bz_report_get(r, i);
		printf("%s %s %s: %s", bz_violation_rule_id(v),
		       bz_violation_severity(v) == BZ_SEVERITY_ERROR ? "error" : "warning",
		       s(bz_violation_date(v)), s(bz_violation_subject_name(v)));
		if (bz_violation_category(v) && *bz_violation_category(v))
			printf(" [%s]", bz_violation_category(v));
		printf(" allowed %lld, actual %lld\n    %s\n", (long long)bz_violation_allowed(v),
		       (long long)bz_violation_actual(v), s(bz_violation_message(v)));
	}
	printf("%zu violation%s: %zu error%s, %zu warning%s\n", n, n == 1 ? "" : "s", bz_report_errors(r),
	       bz_report_errors(r) == 1 ? "" : "s", bz_report_warnings(r), bz_report_warnings(r) == 1 ? "" : "s");
	rc = bz_report_errors(r) > 0 ? 3 : 0;
	bz_report_free(r);
	return rc;
}

int main(int argc, char **argv)
{
	bz_ledger *l = NULL;
	int rc;

	if (argc < 3)
		return usage();
	if (strcmp(argv[1], "info") == 0) {
		if (argc != 3)
			return usage();
	} else if (strcmp(argv[1], "units") == 0) {
		if (argc > 5)
			return usage();
	} else if (strcmp(argv[1], "changes") == 0) {
		if (argc != 4)
			return usage();
	} else if (strcmp(argv[1], "check") == 0) {
		if (argc > 4)
			return usage();
	} else {
		return usage();
	}
	if (open_ledger(&l, argv[2]) != BZ_OK)
		return 1;
	if (strcmp(argv[1], "info") == 0) {
		rc = cmd_info(l, argv[2]);
	} else if (strcmp(argv[1], "units") == 0) {
		/* one optional argument: a date if it looks like one, else a code */
		const char *code = argc > 3 ? argv[3] : NULL, *date = argc > 4 ? argv[4] : NULL;
		if (argc == 4 && strchr(argv[3], '-')) {
			date = argv[3];
			code = NULL;
		}
		rc = cmd_units(l, code, date);
	} else if (strcmp(argv[1], "changes") == 0) {
		rc = cmd_changes(l, argv[3]);
	} else {
		rc = cmd_check(l, argc > 3 ? argv[3] : NULL);
	}
	bz_ledger_close(l);
	return rc;
}
