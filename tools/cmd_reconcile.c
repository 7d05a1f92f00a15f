/*
 * cmd_reconcile.c: reconciliation of another department's roster with the
 * ledger's Table 3 (seed §11, the 吃空饷 check): `bianzhi reconcile`.
 */
#include "cli.h"

#include <stdio.h>
#include <string.h>

enum { FMT_TEXT, FMT_CSV, FMT_JSON };

/* a CSV field, quoted when it must be (RFC 4180) */
static void csv_field(const char *s, bool last)
{
	s = s ? s : "";
	if (strpbrk(s, ",\"\r\n")) {
		fputc('"', stdout);
		for (; *s; s++) {
			if (*s == '"')
				fputc('"', stdout);
			fputc(*s, stdout);
		}
		fputc('"', stdout);
	} else {
		fputs(s, stdout);
	}
	fputs(last ? "\r\n" : ",", stdout);
}

static void print_csv(const bz_diff *d)
{
	char line[32] = "";
	if (bz_diff_line(d) > 0)
		snprintf(line, sizeof line, "%lld", (long long)bz_diff_line(d));
	const char *f[] = {line, bz_difference_name(bz_diff_kind(d)), bz_diff_id_number(d), bz_diff_roster_name(d),
			   bz_diff_ledger_name(d), bz_diff_roster_unit(d), bz_diff_unit_name(d), bz_diff_roster_category(d),
			   bz_diff_category_name(d), bz_diff_document(d), bz_diff_detail(d), bz_diff_unit(d),
			   bz_diff_person(d), bz_diff_placement(d)};
	size_t n = sizeof f / sizeof *f;
	for (size_t i = 0; i < n; i++)
		csv_field(f[i], i + 1 == n);
}

static void json_field(const char *key, const char *v, bool first)
{
	printf("%s\"%s\":", first ? "" : ",", key);
	cli_json_string(stdout, v);
}

static void print_json(const bz_diff *d)
{
	printf("{\"kind\":%d", bz_diff_kind(d));
	json_field("kind_name", bz_difference_name(bz_diff_kind(d)), false);
	printf(",\"line\":%lld", (long long)bz_diff_line(d));
	json_field("id_number", bz_diff_id_number(d), false);
	json_field("roster_name", bz_diff_roster_name(d), false);
	json_field("ledger_name", bz_diff_ledger_name(d), false);
	json_field("roster_unit", bz_diff_roster_unit(d), false);
	json_field("unit", bz_diff_unit(d), false);
	json_field("unit_name", bz_diff_unit_name(d), false);
	json_field("roster_category", bz_diff_roster_category(d), false);
	json_field("category", bz_diff_category(d), false);
	json_field("category_name", bz_diff_category_name(d), false);
	json_field("person", bz_diff_person(d), false);
	json_field("placement", bz_diff_placement(d), false);
	json_field("document", bz_diff_document(d), false);
	json_field("detail", bz_diff_detail(d), false);
	fputs("}\n", stdout);
}

/* "ROSTER:LINE  在册未在编  ID  name  unit  category  document: detail" */
static void print_text(const char *roster, const bz_diff *d)
{
	if (bz_diff_line(d) > 0)
		printf("%s:%lld", roster, (long long)bz_diff_line(d));
	else
		printf("%s:-", roster);
	printf("  %s  %s", bz_difference_name(bz_diff_kind(d)), cli_s(bz_diff_id_number(d)));
	const char *rn = bz_diff_roster_name(d), *ln = bz_diff_ledger_name(d);
	if (rn && ln && strcmp(rn, ln) != 0)
		printf("  %s (ledger: %s)", rn, ln);
	else
		printf("  %s", cli_s(rn ? rn : ln));
	const char *ru = bz_diff_roster_unit(d), *lu = bz_diff_unit_name(d);
	if (ru && lu && strcmp(ru, lu) != 0)
		printf("  %s (ledger: %s)", ru, lu);
	else
		printf("  %s", cli_s(ru && *ru ? ru : lu));
	const char *rc = bz_diff_roster_category(d), *lc = bz_diff_category_name(d);
	if (rc && *rc && lc && strcmp(rc, lc) != 0 && strcmp(rc, cli_s(bz_diff_category(d))) != 0)
		printf("  %s (ledger: %s)", rc, lc);
	else if (lc || (rc && *rc))
		printf("  %s", lc ? lc : rc);
	if (bz_diff_document(d))
		printf("  %s", bz_diff_document(d));
	printf(": %s\n", bz_diff_detail(d));
}

int cmd_reconcile(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"date", required_argument, NULL, 'd'},
		{"jurisdiction", required_argument, NULL, 'j'},
		{"format", required_argument, NULL, 'f'},
		{NULL, 0, NULL, 0},
	};
	const char *date = NULL, *jur = NULL;
	int fmt = FMT_TEXT, c, rc;

	while ((c = cli_getopt(argc, argv, "d:j:f:", longopts)) != -1) {
		switch (c) {
		case 'h': return CLI_OK;
		case 'd':
			if ((rc = cli_date(optarg)) != 0)
				return rc;
			date = optarg;
			break;
		case 'j': jur = optarg; break;
		case 'f':
			if (strcmp(optarg, "text") == 0)
				fmt = FMT_TEXT;
			else if (strcmp(optarg, "csv") == 0)
				fmt = FMT_CSV;
			else if (strcmp(optarg, "json") == 0)
				fmt = FMT_JSON;
			else
				return cli_usage(argv[0], "--format is text, csv or json, not %s", optarg);
			break;
		default: return CLI_USAGE;
		}
	}
	if ((rc = cli_positional(argc, argv, 2, 2)) != 0)
		return rc;
	const char *roster = argv[optind + 1];
	bz_ledger *l = NULL;
	if ((rc = cli_open(&l, argv[optind], false)) != 0)
		return rc;
	bz_diff_iter *it = NULL;
	if ((rc = bz_reconcile(&it, l, roster, jur, date)) != BZ_OK) {
		/* the library's message names the roster, its line and the cause */
		const char *msg = bz_ledger_errmsg(l);
		if ((rc == BZ_EIO || rc == BZ_EINVAL) && msg && strstr(msg, roster)) {
			fprintf(stderr, "%s: %s\n", cli_prog, msg);
			rc = CLI_ERROR;
		} else {
			rc = cli_fail(l, jur && rc == BZ_ENOTFOUND ? jur : roster, rc);
		}
		bz_ledger_close(l);
		return rc;
	}
	if (fmt == FMT_CSV)
		fputs("\xEF\xBB\xBF行号,差异类型,身份证号,花名册姓名,台账姓名,花名册单位,台账单位,花名册类别,台账类别,"
		      "文件文号,说明,单位UUID,人员UUID,在编记录UUID\r\n",
		      stdout);
	long long n = 0, per_kind[16] = {0};
	bz_diff *d = NULL;
	while ((rc = bz_diff_iter_next(&d, it)) == BZ_OK) {
		if (fmt == FMT_CSV)
			print_csv(d);
		else if (fmt == FMT_JSON)
			print_json(d);
		else
			print_text(roster, d);
		int k = bz_diff_kind(d);
		per_kind[k > 0 && k < 16 ? k : 0]++;
		bz_diff_free(d);
		if (++n % 4096 == 0)
			cli_progress("%lld differences", n);
	}
	cli_progress_done();
	if (rc != BZ_ITEROVER) {
		rc = cli_fail(l, roster, rc);
	} else {
		if (fmt == FMT_TEXT) {
			if (n == 0) {
				printf("no differences: %s agrees with the ledger\n", roster);
			} else {
				printf("%lld difference%s:", n, n == 1 ? "" : "s");
				for (int k = 1; k < 16; k++)
					if (per_kind[k])
						printf(" %s %lld", bz_difference_name(k), per_kind[k]);
				putchar('\n');
			}
		}
		rc = n ? CLI_DIFFERENCES : CLI_OK;
	}
	bz_diff_iter_free(it);
	bz_ledger_close(l);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "%s: cannot write the output\n", cli_prog);
		return CLI_ERROR;
	}
	return rc;
}
