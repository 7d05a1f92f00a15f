/*
 * test_concurrency.c: two processes race for the last vacancy of a unit on
 * one ledger file. Exactly one wins; the other is refused under R1; nothing
 * is lost.
 */
#include "staff_fixture.h"

#include <sys/wait.h>
#include <unistd.h>

static char path[256];

/* child: open its own connection, wait for the go, ask for a slip of the last post */
static int racer(const char *unit, int gate_fd)
{
	bz_ledger *l = NULL;
	if (bz_ledger_open(&l, path, 0) != BZ_OK)
		return 10;
	bz_ledger_set_clock(l, "2026-12-01");
	char c;
	if (read(gate_fd, &c, 1) != 1)
		return 11;
	bz_document *d = NULL;
	if (bz_document_find(&d, l, "武都区机构编制委员会", "武编发〔2013〕5号") != BZ_OK)
		return 12;
	bz_txn *t = NULL;
	int rc = bz_txn_begin(&t, l, "racer", "武都区编办");
	if (rc != BZ_OK)
		return 13;
	bz_txn_set_document(t, bz_document_uuid(d));
	bz_document_free(d);
	if (bz_slip_issue(NULL, t, unit, "XZ", 1, BZ_PURPOSE_EXAM, "2026-12-01", "2027-03-31", NULL) != BZ_OK)
		return 14;
	rc = bz_txn_commit(t);
	int out = 20;
	if (rc == BZ_OK)
		out = 0;
	else if (rc == BZ_ECONSTRAINT) {
		const bz_violation *v = bz_report_get(bz_txn_report(t), 0);
		out = (v && bz_violation_rule(v) == BZ_RULE_R1 && bz_violation_allowed(v) == 1 &&
		       bz_violation_actual(v) == 2) ? 1 : 21;
	}
	bz_txn_free(t);
	bz_ledger_close(l);
	return out;
}

START_TEST(last_vacancy_race)
{
	snprintf(path, sizeof path, "%s", tu_tmpfile("race"));
	fx F;
	F.l = NULL;
	{
		/* build the fixture in the file (fx_setup makes :memory:; do the same steps here) */
		bz_ledger *l = NULL;
		ck_assert_bz(bz_ledger_open(&l, path, BZ_OPEN_CREATE));
		ck_assert_bz(bz_ledger_set_clock(l, "2026-12-01"));
		bz_txn *t = tu_begin(l);
		ck_assert_bz(bz_jurisdiction_create(NULL, t, "620000", "甘肃省", NULL));
		ck_assert_bz(bz_jurisdiction_create(NULL, t, "621200", "陇南市", "620000"));
		ck_assert_bz(bz_jurisdiction_create(NULL, t, "621202", "武都区", "621200"));
		fx_doc(t, F.county_doc, "武都区机构编制委员会", "武编发〔2013〕5号", BZ_LEVEL_COUNTY, BZ_ISSUER_ESTABLISHMENT, "621202");
		ck_assert_bz(bz_txn_commit(t));
		bz_txn_free(t);
		F.l = l;
	}
	char unit[37];
	ck_assert_int_eq(fx_unit(&F, unit, F.county_doc, "武都区教育局", BZ_NATURE_ORGAN, BZ_RANK_ZHENGKE, "621202", "2010-01-01"), BZ_OK);
	fx_est(&F, unit, "XZ", 1, "2010-01-01");
	bz_ledger_close(F.l);

	int gate[2];
	ck_assert_int_eq(pipe(gate), 0);
	pid_t kids[2];
	for (int i = 0; i < 2; i++) {
		kids[i] = fork();
		ck_assert_int_ge(kids[i], 0);
		if (kids[i] == 0) {
			close(gate[1]);
			_exit(racer(unit, gate[0]));
		}
	}
	close(gate[0]);
	ck_assert_int_eq(write(gate[1], "go", 2), 2); /* both start at once */
	close(gate[1]);
	int wins = 0, refusals = 0;
	for (int i = 0; i < 2; i++) {
		int status;
		ck_assert_int_eq(waitpid(kids[i], &status, 0), kids[i]);
		ck_assert(WIFEXITED(status));
		int code = WEXITSTATUS(status);
		ck_assert_msg(code == 0 || code == 1, "racer exit %d", code);
		wins += code == 0;
		refusals += code == 1;
	}
	ck_assert_int_eq(wins, 1);
	ck_assert_int_eq(refusals, 1);
	bz_ledger *l = NULL;
	ck_assert_bz(bz_ledger_open(&l, path, 0));
	ck_assert_int_eq(tu_count(l, "slip"), 1);
	bz_ledger_close(l);
	tu_rm(path);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("concurrency");
	TCase *tc = tcase_create("race");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, last_vacancy_race);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
