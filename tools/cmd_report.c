/*
 * cmd_report.c: the reports of seed §13 (report): Tables 1–3, the quota
 * ledgers, the per-unit ledger, a management card, the vacancy list — as
 * CSV, XLSX or JSON — and the organisation chart as DOT or SVG.
 */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { F_NONE = 0, F_CSV, F_XLSX, F_JSON, F_DOT, F_SVG };

static int format_of(const char *s)
{
	static const char *const names[] = {"", "csv", "xlsx", "json", "dot", "svg"};
	for (int i = 1; i <= F_SVG; i++)
		if (!strcmp(s, names[i]))
			return i;
	return F_NONE;
}

/* the format an output file's extension names, F_NONE if none */
static int format_of_path(const char *path)
{
	const char *dot = strrchr(path, '.');
	if (!dot || strchr(dot, '/'))
		return F_NONE;
	char ext[8];
	size_t n = strlen(dot + 1);
	if (n == 0 || n >= sizeof ext)
		return F_NONE;
	for (size_t i = 0; i <= n; i++)
		ext[i] = (char)(dot[1 + i] >= 'A' && dot[1 + i] <= 'Z' ? dot[1 + i] + 32 : dot[1 + i]);
	return format_of(ext);
}

/* the jurisdiction to report on: the one given, else the ledger's one top-level jurisdiction */
static int default_jurisdiction(bz_ledger *l, const char *cmd, const char **code, char buf[8])
{
	if (*code)
		return 0;
	bz_jurisdiction_iter *it = NULL;
	bz_jurisdiction *j = NULL;
	int n = 0, rc = bz_jurisdiction_children(&it, l, NULL);
	while (rc == BZ_OK && (rc = bz_jurisdiction_iter_next(&j, it)) == BZ_OK) {
		if (n++ == 0)
			snprintf(buf, 8, "%s", bz_jurisdiction_code(j));
		bz_jurisdiction_free(j);
	}
	bz_jurisdiction_iter_free(it);
	if (rc != BZ_ITEROVER)
		return cli_fail(l, "jurisdictions", rc);
	if (n != 1)
		return cli_usage(cmd, "%s: give --jurisdiction CODE (the ledger has %d top-level jurisdictions)",
				 n ? "which jurisdiction" : "no jurisdiction", n);
	*code = buf;
	return 0;
}

int cmd_report(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"date", required_argument, NULL, 'd'},
		{"from", required_argument, NULL, 'F'},
		{"to", required_argument, NULL, 'T'},
		{"jurisdiction", required_argument, NULL, 'j'},
		{"unit", required_argument, NULL, 'u'},
		{"card", required_argument, NULL, 'c'},
		{"branch", required_argument, NULL, 'b'},
		{"format", required_argument, NULL, 'f'},
		{"output", required_argument, NULL, 'o'},
		{NULL, 0, NULL, 0},
	};
	const char *date = NULL, *from = NULL, *to = NULL, *jur = NULL, *unit_arg = NULL, *card = NULL, *out = NULL;
	int format = F_NONE, branch = -1, c, rc;

	while ((c = cli_getopt(argc, argv, "d:F:T:j:u:c:b:f:o:", longopts)) != -1) {
		switch (c) {
		case 'h': return CLI_OK;
		case 'd': date = optarg; break;
		case 'F': from = optarg; break;
		case 'T': to = optarg; break;
		case 'j': jur = optarg; break;
		case 'u': unit_arg = optarg; break;
		case 'c': card = optarg; break;
		case 'o': out = optarg; break;
		case 'b':
			if (!strcmp(optarg, "total") || !strcmp(optarg, "0") || !strcmp(optarg, "总账"))
				branch = BZ_BRANCH_TOTAL;
			else if (!strcmp(optarg, "1") || !strcmp(optarg, "分账1"))
				branch = BZ_BRANCH_ADMINISTRATIVE;
			else if (!strcmp(optarg, "2") || !strcmp(optarg, "分账2"))
				branch = BZ_BRANCH_INSTITUTION;
			else
				return cli_usage(argv[0], "--branch is total, 1 or 2, not %s", optarg);
			break;
		case 'f':
			if ((format = format_of(optarg)) == F_NONE)
				return cli_usage(argv[0], "--format is csv, xlsx, json, dot or svg, not %s", optarg);
			break;
		default: return CLI_USAGE;
		}
	}
	if ((rc = cli_positional(argc, argv, 2, 2)) != 0)
		return rc;
	if ((rc = cli_date(date)) != 0 || (rc = cli_date(from)) != 0 || (rc = cli_date(to)) != 0)
		return rc;
	const char *what = argv[optind + 1];
	static const char *const tables[] = {"table1", "table2", "table3", "limits", "unit", "card", "vacancies", "chart",
					     "registration", "registration-units"};
	size_t kind = 0;
	while (kind < sizeof tables / sizeof *tables && strcmp(tables[kind], what) != 0)
		kind++;
	if (kind == sizeof tables / sizeof *tables)
		return cli_usage(argv[0], "no report %s: table1, table2, table3, limits, unit, card, vacancies, registration,"
				 " registration-units or chart",
				 what);
	bool chart = !strcmp(what, "chart");
	if (format == F_NONE && out)
		format = format_of_path(out);
	if (format == F_NONE)
		format = chart ? F_SVG : F_CSV;
	if (chart && format != F_DOT && format != F_SVG)
		return cli_usage(argv[0], "the chart is dot or svg, not a table format");
	if (!chart && (format == F_DOT || format == F_SVG))
		return cli_usage(argv[0], "%s is a table: csv, xlsx or json", what);
	if (!out && (format == F_XLSX || chart))
		return cli_usage(argv[0], "%s goes to a file: give -o FILE", chart ? "the chart" : "XLSX");
	if (!strcmp(what, "card") && !card)
		return cli_usage(argv[0], "the card report needs --card NUMBER");
	if (!strcmp(what, "unit") && !unit_arg)
		return cli_usage(argv[0], "the unit ledger needs --unit UNIT");
	if (!strcmp(what, "limits") && branch < 0 && format == F_CSV)
		return cli_usage(argv[0], "a CSV file holds one ledger: give --branch total, 1 or 2 "
					  "(or --format xlsx or json for all three)");
	if ((from || to) && strcmp(what, "table2") != 0)
		return cli_usage(argv[0], "--from and --to are for table2 (the others are at --date)");

	bz_ledger *l = NULL;
	if ((rc = cli_open(&l, argv[optind], false)) != 0)
		return rc;
	char unit[BZ_UUID_LEN + 1] = "", jbuf[8];
	bz_sheet *sheets[3] = {NULL, NULL, NULL};
	size_t n = 1;
	int status = CLI_OK;
	if (unit_arg && (rc = cli_unit(l, unit_arg, date, unit)) != BZ_OK) {
		status = rc == BZ_EEXISTS ? CLI_ERROR : cli_fail(l, unit_arg, rc);
		goto done;
	}
	bool needs_jur = !strcmp(what, "table1") || !strcmp(what, "limits") || !strcmp(what, "vacancies") || chart || kind >= 8 ||
			 ((!strcmp(what, "table2") || !strcmp(what, "table3")) && !unit_arg);
	if (needs_jur && (status = default_jurisdiction(l, argv[0], &jur, jbuf)) != 0)
		goto done;
	if (chart) {
		rc = bz_org_chart_write(l, jur, date, out, format == F_DOT ? BZ_CHART_DOT : BZ_CHART_SVG);
		if (rc != BZ_OK)
			status = cli_fail(l, out, rc);
		goto done;
	}
	switch (kind) {
	case 0: rc = bz_sheet_table1(&sheets[0], l, jur, date); break;
	case 1: rc = bz_sheet_table2(&sheets[0], l, jur, unit_arg ? unit : NULL, from, to); break;
	case 2: rc = bz_sheet_table3(&sheets[0], l, jur, unit_arg ? unit : NULL, date); break;
	case 3:
		if (branch >= 0) {
			rc = bz_sheet_limits(&sheets[0], l, jur, branch, date);
		} else {
			n = 3;
			rc = BZ_OK;
			for (int b = 0; b < 3 && rc == BZ_OK; b++)
				rc = bz_sheet_limits(&sheets[b], l, jur, b, date);
		}
		break;
	case 4: rc = bz_sheet_unit_ledger(&sheets[0], l, unit, date); break;
	case 5: rc = bz_sheet_card(&sheets[0], l, card); break;
	case 8: rc = bz_sheet_registration(&sheets[0], l, jur, date); break;
	case 9: rc = bz_sheet_registration_units(&sheets[0], l, jur, date); break;
	default: rc = bz_sheet_vacancies(&sheets[0], l, jur, date); break;
	}
	if (rc != BZ_OK) {
		status = cli_fail(l, what, rc);
		goto done;
	}
	int bzf = format == F_XLSX ? BZ_FORMAT_XLSX : format == F_JSON ? BZ_FORMAT_JSON : BZ_FORMAT_CSV;
	if (out) {
		if ((rc = bz_sheets_write((const bz_sheet *const *)sheets, n, out, bzf)) != BZ_OK) {
			fprintf(stderr, "%s: %s\n", cli_prog, bz_sheets_errmsg());
			status = CLI_ERROR;
		}
	} else {
		char *text = NULL;
		if ((rc = bz_sheets_render(&text, (const bz_sheet *const *)sheets, n, bzf)) != BZ_OK) {
			fprintf(stderr, "%s: %s\n", cli_prog, bz_sheets_errmsg());
			status = CLI_ERROR;
		} else if (fputs(text, stdout) == EOF || fflush(stdout) != 0) {
			perror(cli_prog);
			status = CLI_ERROR;
		}
		bz_free(text);
	}
done:
	for (size_t i = 0; i < 3; i++)
		bz_sheet_free(sheets[i]);
	bz_ledger_close(l);
	return status;
}
