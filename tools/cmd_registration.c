/*
 * cmd_registration.c: `bianzhi registration` — 事业单位法人登记 recorded and
 * read (registration.h): found, change, deregister, certificate, report
 * (the changes, each on a document, exit 3 when the rules refuse), show
 * and compare (the annual report beside the ledger's figures, exit 4 when
 * they differ). The rates and the list are `bianzhi report LEDGER
 * registration` and `registration-units` (cmd_report.c).
 */
#include "cli.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const fields[] = {NULL,    "name",    "address", "legal_rep",  "scope",
				     "funds", "sponsor", "funding", "credit_code"};

static int field_of(const char *s)
{
	for (int i = BZ_REG_NAME; i <= BZ_REG_CREDIT_CODE; i++)
		if (strcmp(fields[i], s) == 0)
			return i;
	return 0;
}

static int cert_kind_of(const char *s)
{
	return !strcmp(s, "issue") ? BZ_CERT_ISSUE : !strcmp(s, "renew") ? BZ_CERT_RENEW
			: !strcmp(s, "reissue")                      ? BZ_CERT_REISSUE
								     : 0;
}

/* a positional count check for the subcommand: 0 or CLI_USAGE */
static int nargs(const char *cmd, const char *sub, int have, int want, const char *synopsis)
{
	if (have == want)
		return 0;
	return cli_usage(cmd, "registration %s takes %s", sub, synopsis);
}

static int show(bz_ledger *l, const char *unit, const char *date)
{
	bz_registration *r = NULL;
	int rc = bz_registration_lookup(&r, l, unit, date);
	if (rc != BZ_OK)
		return cli_fail(l, "registration", rc);
	printf("状态\t%s\n", bz_registration_state(r) == BZ_REG_REGISTERED ? "已登记" : "已注销");
	printf("设立登记\t%s\n", bz_registration_registered(r));
	if (bz_registration_deregistered(r))
		printf("注销登记\t%s\t%s\n", bz_registration_deregistered(r), cli_s(bz_registration_reason(r)));
	printf("名称\t%s\n住所\t%s\n法定代表人\t%s\n宗旨和业务范围\t%s\n开办资金\t%" PRId64 "\n",
	       cli_s(bz_registration_name(r)), cli_s(bz_registration_address(r)), cli_s(bz_registration_legal_rep(r)),
	       cli_s(bz_registration_scope(r)), bz_registration_funds(r));
	bz_unit *s = NULL;
	const char *sponsor = bz_registration_sponsor(r);
	if (sponsor && bz_unit_lookup(&s, l, sponsor, NULL) == BZ_OK)
		sponsor = bz_unit_name(s);
	printf("举办单位\t%s\n经费来源\t%s\n统一社会信用代码\t%s\n", cli_s(sponsor),
	       cli_s(bz_funding_name(bz_registration_funding(r))), cli_s(bz_registration_credit_code(r)));
	bz_unit_free(s);
	printf("证书\t%s\t%s\t%s\t%s\n", cli_s(bz_registration_cert_number(r)), cli_s(bz_registration_cert_issued(r)),
	       cli_s(bz_registration_cert_valid_until(r)), bz_registration_cert_valid(r) ? "有效" : "无效");
	bz_registration_free(r);
	return CLI_OK;
}

static int compare(bz_ledger *l, const char *unit, int year)
{
	bz_annual_report *a = NULL;
	int rc = bz_annual_report_get(&a, l, unit, year);
	if (rc != BZ_OK)
		return cli_fail(l, "annual report", rc);
	printf("年度\t%d\n报送日期\t%s\n截止日期\t%s\n", year, bz_annual_report_filed(a), bz_annual_report_due(a));
	printf("项目\t报告\t台账\n");
	printf("从业人员\t%" PRId64 "\t%" PRId64 "\n", bz_annual_report_staff(a), bz_annual_report_ledger_staff(a));
	printf("编制\t%" PRId64 "\t%" PRId64 "\n", bz_annual_report_establishment(a),
	       bz_annual_report_ledger_establishment(a));
	printf("开办资金\t%" PRId64 "\t%" PRId64 "\n", bz_annual_report_funds(a), bz_annual_report_ledger_funds(a));
	int status = bz_annual_report_agrees(a) ? CLI_OK : CLI_DIFFERENCES;
	printf("%s\n", status == CLI_OK ? "一致" : "不一致");
	bz_annual_report_free(a);
	return status;
}

/* the fields of a 设立登记: the ledger's by default (they must agree), the rest from options */
struct found_opts {
	const char *name, *address, *legal_rep, *scope, *funds, *sponsor, *funding, *code;
};

static int found(bz_ledger *l, bz_txn *t, const char *unit, const char *date, const char *decision,
		 const struct found_opts *o)
{
	bz_unit *u = NULL;
	int rc = bz_unit_lookup(&u, l, unit, date);
	if (rc != BZ_OK)
		return rc;
	long long funds = 0, funding = bz_unit_funding(u);
	char sponsor[BZ_UUID_LEN + 1] = "";
	if (o->sponsor && (rc = cli_unit(l, o->sponsor, date, sponsor)) != BZ_OK)
		goto done;
	if (!o->sponsor && bz_unit_parent(u))
		snprintf(sponsor, sizeof sponsor, "%s", bz_unit_parent(u));
	if (o->funds)
		funds = strtoll(o->funds, NULL, 10);
	if (o->funding)
		funding = strtoll(o->funding, NULL, 10);
	rc = bz_registration_found(t, unit, date, decision, o->name ? o->name : bz_unit_name(u), o->address,
				   o->legal_rep, o->scope, funds, sponsor[0] ? sponsor : NULL, (int)funding,
				   o->code ? o->code : bz_unit_credit_code(u));
done:
	bz_unit_free(u);
	return rc;
}

int cmd_registration(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"date", required_argument, NULL, 'd'},     {"name", required_argument, NULL, 'n'},
		{"address", required_argument, NULL, 'a'},  {"legal-rep", required_argument, NULL, 'r'},
		{"scope", required_argument, NULL, 's'},    {"funds", required_argument, NULL, 'm'},
		{"sponsor", required_argument, NULL, 'p'},  {"funding", required_argument, NULL, 'g'},
		{"credit-code", required_argument, NULL, 'c'}, {NULL, 0, NULL, 0},
	};
	struct found_opts o = {0};
	const char *date = NULL;
	int c, rc;
	while ((c = cli_getopt(argc, argv, "d:n:a:r:s:m:p:g:c:", longopts)) != -1) {
		switch (c) {
		case 'h': return CLI_OK;
		case 'd': date = optarg; break;
		case 'n': o.name = optarg; break;
		case 'a': o.address = optarg; break;
		case 'r': o.legal_rep = optarg; break;
		case 's': o.scope = optarg; break;
		case 'm': o.funds = optarg; break;
		case 'p': o.sponsor = optarg; break;
		case 'g': o.funding = optarg; break;
		case 'c': o.code = optarg; break;
		default: return CLI_USAGE;
		}
	}
	if ((rc = cli_positional(argc, argv, 3, 10)) != 0 || (rc = cli_date(date)) != 0)
		return rc;
	const char *sub = argv[optind + 1];
	char **a = argv + optind + 2;
	int n = argc - optind - 2;
	long long num[3] = {0, 0, 0}, year = 0;
	int kind = 0, field = 0;
	bool reading = !strcmp(sub, "show") || !strcmp(sub, "compare");
	/* every argument checked before the ledger is opened */
	if (!strcmp(sub, "show")) {
		rc = nargs(argv[0], sub, n, 1, "UNIT [--date DATE]");
	} else if (!strcmp(sub, "compare")) {
		rc = nargs(argv[0], sub, n, 2, "UNIT YEAR");
		if (!rc)
			rc = cli_number(&year, a[1], 1949, 2999);
	} else if (!strcmp(sub, "found")) {
		rc = nargs(argv[0], sub, n, 4, "DOC UNIT DATE DECISION --address A --legal-rep R --scope S --funds YUAN");
		if (!rc && (!o.address || !o.legal_rep || !o.scope || !o.funds))
			rc = cli_usage(argv[0], "registration found states --address, --legal-rep, --scope and --funds");
		if (!rc)
			rc = cli_number(&num[0], o.funds, 0, INT64_MAX);
		if (!rc && o.funding)
			rc = cli_number(&num[1], o.funding, 1, 4);
		if (!rc)
			rc = cli_date(a[2]);
	} else if (!strcmp(sub, "change")) {
		rc = nargs(argv[0], sub, n, 6, "DOC UNIT FIELD VALUE DATE DECISION");
		if (!rc && !(field = field_of(a[2])))
			rc = cli_usage(argv[0], "no registered field %s: name, address, legal_rep, scope, funds, sponsor, "
						"funding or credit_code", a[2]);
		if (!rc)
			rc = cli_date(a[4]);
	} else if (!strcmp(sub, "deregister")) {
		rc = nargs(argv[0], sub, n, 5, "DOC UNIT DATE DECISION REASON");
		if (!rc)
			rc = cli_date(a[2]);
	} else if (!strcmp(sub, "certificate")) {
		rc = nargs(argv[0], sub, n, 5, "DOC UNIT issue|renew|reissue NUMBER DATE");
		if (!rc && !(kind = cert_kind_of(a[2])))
			rc = cli_usage(argv[0], "a certificate is issue, renew or reissue, not %s", a[2]);
		if (!rc)
			rc = cli_date(a[4]);
	} else if (!strcmp(sub, "report")) {
		rc = nargs(argv[0], sub, n, 7, "DOC UNIT YEAR FILED STAFF ESTABLISHMENT FUNDS");
		if (!rc)
			rc = cli_number(&year, a[2], 1949, 2999);
		if (!rc)
			rc = cli_date(a[3]);
		for (int i = 0; !rc && i < 3; i++)
			rc = cli_number(&num[i], a[4 + i], 0, INT64_MAX);
	} else {
		rc = cli_usage(argv[0], "no registration command %s: found, change, deregister, certificate, report, "
					"show or compare", sub);
	}
	if (rc)
		return rc;

	bz_ledger *l = NULL;
	if ((rc = cli_open(&l, argv[optind], !reading)) != 0)
		return rc;
	char unit[BZ_UUID_LEN + 1], doc[BZ_UUID_LEN + 1], decision[BZ_UUID_LEN + 1];
	int status = CLI_OK;
	const char *unit_arg = reading ? a[0] : a[1];
	if ((rc = cli_unit(l, unit_arg, date, unit)) != BZ_OK) {
		status = rc == BZ_EEXISTS ? CLI_ERROR : cli_fail(l, unit_arg, rc);
		goto out;
	}
	if (reading) {
		status = !strcmp(sub, "show") ? show(l, unit, date) : compare(l, unit, (int)year);
		goto out;
	}
	if ((rc = cli_document(l, a[0], doc)) != BZ_OK) {
		status = cli_fail(l, a[0], rc);
		goto out;
	}
	const char *dec_arg = !strcmp(sub, "found") || !strcmp(sub, "deregister") ? a[3] : !strcmp(sub, "change") ? a[5]
															: NULL;
	if (dec_arg && (rc = cli_document(l, dec_arg, decision)) != BZ_OK) {
		status = cli_fail(l, dec_arg, rc);
		goto out;
	}
	bz_txn *t = NULL;
	if ((rc = cli_begin(&t, l)) != BZ_OK) {
		status = cli_fail(l, "begin", rc);
		goto out;
	}
	if ((rc = bz_txn_set_document(t, doc)) == BZ_OK) {
		if (!strcmp(sub, "found"))
			rc = found(l, t, unit, a[2], decision, &o);
		else if (!strcmp(sub, "change"))
			rc = bz_registration_change(t, unit, field, a[3], a[4], decision);
		else if (!strcmp(sub, "deregister"))
			rc = bz_registration_deregister(t, unit, a[2], decision, a[4]);
		else if (!strcmp(sub, "certificate"))
			rc = bz_registration_certify(t, unit, kind, a[3], a[4]);
		else
			rc = bz_registration_report_file(t, unit, (int)year, a[3], num[0], num[1], num[2]);
	}
	if (rc != BZ_OK) {
		status = cli_fail(l, sub, rc);
		bz_txn_free(t);
		goto out;
	}
	status = cli_commit(l, t, sub);
out:
	bz_ledger_close(l);
	return status;
}
