/*
 * params.c: rule parameters as dated data and documented exceptions
 * (include/bianzhi/rules.h). A parameter is a fact of the pseudo-subject
 * "rules"; an exception is a fact "exception:R<n>" of its subject, dated
 * the day it covers, whose value is the granting document. Both are change
 * records on a document, like every other change; R6 judges the document.
 */
#include "rules.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool has_prefix(const char *s, const char *p) { return strncmp(s, p, strlen(p)) == 0; }

/* the known parameter names; the suffix of a family is checked loosely (letters, digits, _) */
static bool param_name_ok(const char *name)
{
	static const char *const exact[] = {"vacancy_reserve.administrative", "vacancy_reserve.institution",
					    "working_age.min", "working_age.max", "central_issuers",
					    "registration.cert_years", "registration.grace_days",
					    "registration.report_due", "registration.report_grace_days",
					    "registration.required_from",
					    "unitcert.validity_years", "unitcert.enforce"};
	static const char *const families[] = {"issuers.", "authority.", "leadership_norm.", "credit_code_exception.",
					       "exception.R"};
	for (size_t i = 0; i < sizeof exact / sizeof exact[0]; i++)
		if (strcmp(name, exact[i]) == 0)
			return true;
	if (has_prefix(name, "power."))
		return bz_power_param_ok(name);
	for (size_t i = 0; i < sizeof families / sizeof families[0]; i++) {
		if (!has_prefix(name, families[i]) || !name[strlen(families[i])])
			continue;
		for (const char *p = name + strlen(families[i]); *p; p++)
			if (!(isalnum((unsigned char)*p) || *p == '_' || *p == '.'))
				return false;
		if (has_prefix(name, "issuers.") || has_prefix(name, "authority.")) {
			const char *action = strchr(name, '.') + 1;
			static const char *const actions[] = {"establish", "split", "merge", "abolish", "rename", "rank",
							      "funding", "duties", "parent", "establishment", "leadership",
							      "limit", "subunit", "slip", "placement", "appointment",
							      "exception", "rules", "registration", "unitcert"};
			bool known = false;
			for (size_t a = 0; a < sizeof actions / sizeof actions[0] && !known; a++)
				known = strcmp(action, actions[a]) == 0;
			return known;
		}
		return true;
	}
	return false;
}

static bool int_ok(const char *v, long lo, long hi)
{
	char *end = NULL;
	long x = strtol(v, &end, 10);
	return end != v && !*end && x >= lo && x <= hi;
}

/* the value's shape for its parameter */
static bool param_value_ok(const char *name, const char *v)
{
	if (has_prefix(name, "vacancy_reserve."))
		return int_ok(v, 0, 1000);
	if (has_prefix(name, "power."))
		return strcmp(v, "0") == 0 || strcmp(v, "1") == 0;
	if (has_prefix(name, "working_age."))
		return int_ok(v, 0, 120);
	if (strcmp(name, "registration.cert_years") == 0)
		return int_ok(v, 1, 100);
	if (strcmp(name, "registration.grace_days") == 0 || strcmp(name, "registration.report_grace_days") == 0)
		return int_ok(v, 0, 3660);
	if (strcmp(name, "registration.required_from") == 0)
		return bz_date_ok(v);
	if (strcmp(name, "registration.report_due") == 0) {
		int m = 0, d = 0;
		char tail;
		return strlen(v) == 5 && sscanf(v, "%2d-%2d%c", &m, &d, &tail) == 2 && m >= 1 && m <= 12 && d >= 1 &&
		       d <= (m == 2 ? 28 : (m == 4 || m == 6 || m == 9 || m == 11) ? 30 : 31);
	}
	if (!strcmp(name, "unitcert.validity_years"))
		return int_ok(v, 1, 30);
	if (!strcmp(name, "unitcert.enforce"))
		return !strcmp(v, "off") || !strcmp(v, "warning") || !strcmp(v, "error");
	if (has_prefix(name, "exception.R"))
		return int_ok(v, BZ_LEVEL_CENTRAL, BZ_LEVEL_COUNTY);
	if (has_prefix(name, "issuers.")) {
		for (const char *p = v; *p; p++)
			if (!(*p == ',' || (*p >= '1' && *p <= '3')))
				return false;
		return *v != '\0';
	}
	if (has_prefix(name, "authority.")) {
		for (const char *p = v; *p;) {
			int a, b, c, n = 0;
			if (sscanf(p, "%d:%d:%d%n", &a, &b, &c, &n) != 3 || a < 1 || a > 15 || b < 0 || b > BZ_RANK_ZHENGBU ||
			    c < BZ_LEVEL_CENTRAL || c > BZ_LEVEL_COUNTY)
				return false;
			p += n;
			if (*p == ';')
				p++;
			else if (*p)
				return false;
		}
		return true;
	}
	if (has_prefix(name, "leadership_norm.")) {
		int p = -1, d = -1;
		char tail;
		return sscanf(v, "%d,%d%c", &p, &d, &tail) == 2 && p >= 0 && p <= 99 && d >= 0 && d <= 99;
	}
	return bz_text_ok(v);
}

BZ_EXTERN int bz_rule_param_set(bz_txn *txn, const char *name, const char *value, const char *date)
{
	if (!txn)
		return BZ_EINVAL;
	if (!txn->open || !txn->l)
		return bz_change_begin(txn);
	bz_ledger *l = txn->l;
	if (!name || !bz_utf8_valid(name) || !param_name_ok(name))
		return bz_fail(l, BZ_EINVAL, "unknown rule parameter %.80s", name && bz_utf8_valid(name) ? name : "?");
	if (value && (!bz_utf8_valid(value) || !param_value_ok(name, value)))
		return bz_fail(l, BZ_EINVAL, "malformed value for rule parameter %s", name);
	if (!bz_date_ok(date))
		return bz_fail(l, BZ_EINVAL, "a valid date YYYY-MM-DD is required");
	int rc = bz_change_begin(txn);
	if (rc != BZ_OK)
		return rc;
	long long ev = 0;
	if ((rc = bz_event_write(txn, &ev, "rules.param", BZ_RULES_SUBJECT, NULL, date, name)) == BZ_OK)
		rc = bz_fact_write(txn, ev, BZ_RULES_SUBJECT, name, date, value);
	return bz_change_end(txn, rc);
}

BZ_EXTERN int bz_rule_param_get(char **out, bz_ledger *ledger, const char *name, const char *date)
{
	if (!out)
		return BZ_EINVAL;
	*out = NULL;
	if (!ledger)
		return BZ_EINVAL;
	char today[BZ_DATE_LEN + 1];
	date = bz_date_or_today(ledger, date, today);
	if (!name || !bz_utf8_valid(name) || !param_name_ok(name) || !bz_date_ok(date))
		return bz_fail(ledger, BZ_EINVAL, "a known rule parameter and a valid date are required");
	/* a parameter set and then cleared (NULL) reads as its default */
	int rc = bz_param_at(ledger, out, name, date);
	if (rc == BZ_OK && !*out && bz_param_default(name) && !(*out = bz_strdup(bz_param_default(name))))
		rc = bz_fail(ledger, BZ_ENOMEM, "out of memory");
	return rc == BZ_OK ? bz_ok(ledger) : rc;
}

BZ_EXTERN int bz_exception_grant(bz_txn *txn, int rule, const char *subject_uuid, const char *date)
{
	if (!txn)
		return BZ_EINVAL;
	if (!txn->open || !txn->l)
		return bz_change_begin(txn);
	bz_ledger *l = txn->l;
	const bz_rule_def *def = bz_rule_def_of(rule);
	if (!def || !def->exceptable)
		return bz_fail(l, BZ_EINVAL, "rule %s admits no exception", def ? def->code : "?");
	if (!bz_uuid_ok(subject_uuid) || !bz_date_ok(date))
		return bz_fail(l, BZ_EINVAL, "an exception needs its subject's UUID and a valid date");
	if (!txn->doc)
		return bz_fail(l, BZ_EINVAL, "an exception is granted by a document: set one with bz_txn_set_document()");
	char attr[24];
	snprintf(attr, sizeof attr, "exception:%s", def->code);
	/* an exception for a unit (R1, R8) is a change of that unit: in its Table 2, and judged by R6
	 * as one (本级: its own jurisdiction's office or a higher one of its chain) */
	bool of_unit = bz_unit_exists(l, subject_uuid) == BZ_OK;
	int rc = bz_change_begin(txn);
	if (rc != BZ_OK)
		return rc;
	long long ev = 0;
	if ((rc = bz_event_write(txn, &ev, "exception.grant", subject_uuid, of_unit ? subject_uuid : NULL, date,
				 def->code)) == BZ_OK)
		rc = bz_fact_write(txn, ev, subject_uuid, attr, date, txn->doc);
	return bz_change_end(txn, rc);
}
