/*
 * test_race.c: correctness under concurrency on PostgreSQL (issue 13,
 * src/store.h 4, README "Concurrency on PostgreSQL"). Eight processes, each
 * with its own connection to one ledger's schema, start together on a pipe
 * (the gate) and race:
 *   last_vacancy    a unit with 3 vacancies, 8 slips of one post each:
 *                   exactly 3 commit, 5 get R1 (unit, allowed 3, actual 4)
 *   one_person      one person transferred by 8 writers to 8 units at once:
 *                   one wins; the 7 others wait on the person's lock at the
 *                   change (placement.c), then read the winner's commit and
 *                   are refused there (BZ_ENOTFOUND: no placement open) — what
 *                   running them one after the other gives; a commit that got
 *                   through would meet R5 on the person
 *   new_person      one registered person, never placed, entered by 8 writers
 *                   into 8 units at once: nothing to wait on at the change (no
 *                   placement open), so all 8 reach the commit; the person's
 *                   commit lock orders them and exactly one commits, 7 get R5
 *                   on the person (allowed 1, actual 2)
 *   slip_last_posts a slip with 3 posts left, 8 hires of 8 persons on it:
 *                   exactly 3 commit, 5 get R8 (the unit, allowed 3, actual 4)
 *   counties        8 writers in 8 counties, each with its transaction open
 *                   and its subjects touched; they commit one by one while
 *                   the others stay open: none waits (a 5 s lock timeout
 *                   would make a waiting commit BZ_EBUSY)
 * After each race: bz_ledger_check (every rule, the counters against a
 * recompute) finds nothing, bz_ledger_verify passes (the chain in commit
 * order), and the rows are exactly the winners' (nothing half-written).
 * Each race runs ROUNDS times on a fresh schema, so a lost race shows.
 * On SQLite one writer holds the file (test_concurrency.c covers it): the
 * suite runs only with a server — the meson test `race_pg` (suite `pg`)
 * starts a throwaway cluster through tests/pg_cluster.sh.
 */
#include "staff_fixture.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define RACERS 8
#define ROUNDS 3

static char uri[1024];
static const char *server; /* the server's URI, without schema= */

/* the exit codes of a racer */
enum { WON = 0, REFUSED = 2 }; /* not 1: valgrind's --error-exitcode and ASan's exit status in a racer must fail the race */

/* a fresh schema on the server, the fixture of fx_setup in it */
static void race_setup(fx *f, const char *tag)
{
	static int n;
	snprintf(uri, sizeof uri, "%s%sschema=race_%s_%ld_%d", server, strchr(server, '?') ? "&" : "?", tag, (long)getpid(),
		 ++n);
	f->l = NULL;
	ck_assert_msg(bz_ledger_open(&f->l, uri, BZ_OPEN_CREATE) == BZ_OK, "opening %s: %s", uri, bz_ledger_errmsg(NULL));
	ck_assert_bz(bz_ledger_set_clock(f->l, "2026-12-01"));
	bz_txn *t = tu_begin(f->l);
	ck_assert_bz(bz_jurisdiction_create(NULL, t, "620000", "甘肃省", NULL));
	ck_assert_bz(bz_jurisdiction_create(NULL, t, "621200", "陇南市", "620000"));
	ck_assert_bz(bz_jurisdiction_create(NULL, t, "621202", "武都区", "621200"));
	fx_doc(t, f->city_doc, "陇南市机构编制委员会", "陇编发〔2012〕31号", BZ_LEVEL_CITY, BZ_ISSUER_ESTABLISHMENT, "621200");
	fx_doc(t, f->county_doc, "武都区机构编制委员会", "武编发〔2013〕5号", BZ_LEVEL_COUNTY, BZ_ISSUER_ESTABLISHMENT, "621202");
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
}

/* a racer's own connection, clock set; NULL (and the child exits 10) if it cannot open */
static bz_ledger *racer_open(void)
{
	bz_ledger *l = NULL;
	if (bz_ledger_open(&l, uri, 0) != BZ_OK)
		_exit(10);
	bz_ledger_set_clock(l, "2026-12-01");
	bz_ledger_set_busy_timeout(l, 5000);
	return l;
}

/* a racer's transaction on the county's document */
static bz_txn *racer_begin(bz_ledger *l, const char *doc)
{
	bz_txn *t = NULL;
	if (bz_txn_begin(&t, l, "racer", "武都区编办") != BZ_OK)
		_exit(11);
	if (bz_txn_set_document(t, doc) != BZ_OK)
		_exit(12);
	return t;
}

/* the commit: WON, REFUSED when the first error is rule with the figures and subject given, else 20+ */
static int racer_commit(bz_txn *t, int rule, const char *subject, int64_t allowed, int64_t actual)
{
	int rc = bz_txn_commit(t);
	if (rc == BZ_OK)
		return WON;
	if (rc != BZ_ECONSTRAINT) {
		fprintf(stderr, "racer %ld: commit: %d %s\n", (long)getpid(), rc, bz_ledger_errmsg(NULL));
		return 20;
	}
	const bz_report *r = bz_txn_report(t);
	const bz_violation *v = fx_find(r, rule, BZ_SEVERITY_ERROR);
	if (!v) {
		const bz_violation *w = bz_report_get(r, 0);
		fprintf(stderr, "racer %ld: refused without rule %d: %s\n", (long)getpid(), rule,
			w ? bz_violation_message(w) : "(empty report)");
		return 21;
	}
	if (bz_report_errors(r) != 1) {
		fprintf(stderr, "racer %ld: %zu errors, first %s\n", (long)getpid(), bz_report_errors(r),
			bz_violation_message(bz_report_get(r, 0)));
		return 22;
	}
	if (subject && (!bz_violation_subject(v) || strcmp(bz_violation_subject(v), subject) != 0))
		return 23;
	if (allowed != -2 && (bz_violation_allowed(v) != allowed || bz_violation_actual(v) != actual)) {
		fprintf(stderr, "racer %ld: %s (allowed %lld actual %lld)\n", (long)getpid(), bz_violation_message(v),
			(long long)bz_violation_allowed(v), (long long)bz_violation_actual(v));
		return 24;
	}
	return REFUSED;
}

typedef int (*racer_fn)(int i, void *ctx);

/* RACERS children released at once by the gate; each one's exit code in codes[] */
static void race(racer_fn fn, void *ctx, int codes[RACERS])
{
	int gate[2];
	ck_assert_int_eq(pipe(gate), 0);
	pid_t kids[RACERS];
	for (int i = 0; i < RACERS; i++) {
		kids[i] = fork();
		ck_assert_int_ge(kids[i], 0);
		if (kids[i] == 0) {
			close(gate[1]);
			char c;
			if (read(gate[0], &c, 1) != 1)
				_exit(13);
			_exit(fn(i, ctx));
		}
	}
	close(gate[0]);
	char go[RACERS];
	memset(go, 'g', sizeof go);
	ck_assert_int_eq(write(gate[1], go, sizeof go), RACERS); /* all start at once */
	close(gate[1]);
	for (int i = 0; i < RACERS; i++) {
		int status;
		ck_assert_int_eq(waitpid(kids[i], &status, 0), kids[i]);
		ck_assert_msg(WIFEXITED(status), "racer %d did not exit", i);
		codes[i] = WEXITSTATUS(status);
	}
}

static void tally(const int codes[RACERS], int want_won, const char *what)
{
	int won = 0, refused = 0;
	char all[8 * RACERS + 1] = "";
	for (int i = 0; i < RACERS; i++) {
		won += codes[i] == WON;
		refused += codes[i] == REFUSED;
		snprintf(all + strlen(all), sizeof all - strlen(all), " %d", codes[i]);
	}
	for (int i = 0; i < RACERS; i++)
		ck_assert_msg(codes[i] == WON || codes[i] == REFUSED, "%s: racer %d exited %d (all:%s)", what, i, codes[i], all);
	ck_assert_msg(won == want_won, "%s: %d won, want %d", what, won, want_won);
	ck_assert_int_eq(refused, RACERS - want_won);
}

/* the self-inspection and the chain, after a race: nothing found */
static void all_well(bz_ledger *l)
{
	bz_report *r = NULL;
	ck_assert_bz(bz_ledger_check(&r, l, NULL));
	const bz_violation *v = bz_report_get(r, 0);
	ck_assert_msg(bz_report_count(r) == 0, "check: %zu finding(s), first: %s", bz_report_count(r),
		      v ? bz_violation_message(v) : "");
	bz_report_free(r);
	ck_assert_bz(bz_ledger_verify(&r, l, -1, NULL));
	v = bz_report_get(r, 0);
	ck_assert_msg(bz_report_count(r) == 0, "verify: %zu finding(s), first: %s", bz_report_count(r),
		      v ? bz_violation_message(v) : "");
	bz_report_free(r);
	/* every record chained once */
	ck_assert_int_eq(tu_count(l, "record_chain"), tu_count(l, "event"));
}

/* ---- (a) the last vacancies --------------------------------------------------- */

typedef struct vacancy {
	char unit[BZ_UUID_LEN + 1], doc[BZ_UUID_LEN + 1];
} vacancy;

static int vacancy_racer(int i, void *ctx)
{
	vacancy *c = ctx;
	bz_ledger *l = racer_open();
	bz_txn *t = racer_begin(l, c->doc);
	if (bz_slip_issue(NULL, t, c->unit, "XZ", 1, BZ_PURPOSE_EXAM, "2026-12-01", "2027-03-31", NULL) != BZ_OK) {
		fprintf(stderr, "racer %d: slip: %s\n", i, bz_ledger_errmsg(l));
		_exit(14);
	}
	int out = racer_commit(t, BZ_RULE_R1, c->unit, 3, 4);
	bz_txn_free(t);
	bz_ledger_close(l);
	return out;
}

START_TEST(last_vacancy)
{
	for (int round = 0; round < ROUNDS; round++) {
		fx F;
		race_setup(&F, "vac");
		vacancy c;
		snprintf(c.doc, sizeof c.doc, "%s", F.county_doc);
		ck_assert_bz(fx_unit(&F, c.unit, F.county_doc, "武都区教育局", BZ_NATURE_ORGAN, BZ_RANK_ZHENGKE, "621202",
				     "2010-01-01"));
		fx_est(&F, c.unit, "XZ", 3, "2010-01-01");
		/* the county keeps its reserve of vacancies elsewhere (R9) */
		char other[BZ_UUID_LEN + 1];
		ck_assert_bz(fx_unit(&F, other, F.county_doc, "武都区档案局", BZ_NATURE_ORGAN, BZ_RANK_ZHENGKE, "621202",
				     "2010-01-01"));
		fx_est(&F, other, "XZ", 200, "2010-01-01");
		long long slips = tu_count(F.l, "slip"), events = tu_count(F.l, "event"), txns = tu_count(F.l, "txn_log");
		bz_ledger_close(F.l);
		int codes[RACERS];
		race(vacancy_racer, &c, codes);
		tally(codes, 3, "last vacancy");
		bz_ledger *l = NULL;
		ck_assert_bz(bz_ledger_open(&l, uri, 0));
		ck_assert_int_eq(tu_count(l, "slip"), slips + 3);
		ck_assert_int_eq(tu_count(l, "event"), events + 3);
		ck_assert_int_eq(tu_count(l, "txn_log"), txns + 3); /* a refused transaction's row goes with it */
		all_well(l);
		bz_ledger_close(l);
	}
}
END_TEST

/* ---- (b) one person, eight transfers ------------------------------------------ */

typedef struct transfer {
	char person[BZ_UUID_LEN + 1], doc[BZ_UUID_LEN + 1];
	char unit[RACERS][BZ_UUID_LEN + 1], slip[RACERS][BZ_UUID_LEN + 1];
} transfer;

static int transfer_racer(int i, void *ctx)
{
	transfer *c = ctx;
	bz_ledger *l = racer_open();
	bz_txn *t = racer_begin(l, c->doc);
	int rc = bz_placement_transfer(NULL, t, c->person, c->unit[i], "XZ", c->slip[i], "2026-12-01");
	if (rc == BZ_ENOTFOUND && strstr(bz_ledger_errmsg(l), "no placement open before 2026-12-01")) {
		/* the person's lock waited for the winner's commit, then read it: as if run one after the other */
		bz_txn_rollback(t);
		bz_txn_free(t);
		bz_ledger_close(l);
		return REFUSED;
	}
	if (rc != BZ_OK) {
		fprintf(stderr, "racer %d: transfer: %d %s\n", i, rc, bz_ledger_errmsg(l));
		_exit(15);
	}
	int out = racer_commit(t, BZ_RULE_R5, c->person, -2, -2);
	bz_txn_free(t);
	bz_ledger_close(l);
	return out;
}

START_TEST(one_person)
{
	for (int round = 0; round < ROUNDS; round++) {
		fx F;
		race_setup(&F, "per");
		transfer c;
		snprintf(c.doc, sizeof c.doc, "%s", F.county_doc);
		char home[BZ_UUID_LEN + 1], slip[BZ_UUID_LEN + 1];
		ck_assert_bz(fx_unit(&F, home, F.county_doc, "武都区财政局", BZ_NATURE_ORGAN, BZ_RANK_ZHENGKE, "621202",
				     "2010-01-01"));
		fx_est(&F, home, "XZ", 5, "2010-01-01");
		ck_assert_bz(sf_slip(&F, slip, home, "XZ", 1, "2020-01-01", "2020-06-30"));
		sf_person(&F, c.person, "张明", "19850312", 11);
		ck_assert_bz(sf_hire(&F, c.person, home, "XZ", slip, "2020-03-01"));
		for (int i = 0; i < RACERS; i++) {
			char name[64];
			snprintf(name, sizeof name, "武都区第%d办公室", i + 1);
			ck_assert_bz(fx_unit(&F, c.unit[i], F.county_doc, name, BZ_NATURE_ORGAN, BZ_RANK_ZHENGKE,
					     "621202", "2010-01-01"));
			fx_est(&F, c.unit[i], "XZ", 5, "2010-01-01");
			ck_assert_bz(sf_slip(&F, c.slip[i], c.unit[i], "XZ", 1, "2026-11-01", "2027-03-31"));
		}
		long long placements = tu_count(F.l, "placement"), events = tu_count(F.l, "event");
		bz_ledger_close(F.l);
		int codes[RACERS];
		race(transfer_racer, &c, codes);
		tally(codes, 1, "one person");
		bz_ledger *l = NULL;
		ck_assert_bz(bz_ledger_open(&l, uri, 0));
		ck_assert_int_eq(tu_count(l, "placement"), placements + 1);
		ck_assert_int_gt(tu_count(l, "event"), events);
		all_well(l);
		bz_ledger_close(l);
	}
}
END_TEST

/* ---- (b2) one new person, eight entries ---------------------------------------- */

static int entry_racer(int i, void *ctx)
{
	transfer *c = ctx;
	bz_ledger *l = racer_open();
	bz_txn *t = racer_begin(l, c->doc);
	int rc = bz_placement_enter(NULL, t, c->person, c->unit[i], "XZ", c->slip[i], BZ_ENTRY_RECRUIT, "2026-12-01");
	if (rc != BZ_OK) {
		fprintf(stderr, "racer %d: entry: %d %s\n", i, rc, bz_ledger_errmsg(l));
		_exit(15);
	}
	int out = racer_commit(t, BZ_RULE_R5, c->person, 1, 2);
	bz_txn_free(t);
	bz_ledger_close(l);
	return out;
}

START_TEST(new_person)
{
	for (int round = 0; round < ROUNDS; round++) {
		fx F;
		race_setup(&F, "new");
		transfer c;
		snprintf(c.doc, sizeof c.doc, "%s", F.county_doc);
		sf_person(&F, c.person, "赵敏", "19960708", 31);
		for (int i = 0; i < RACERS; i++) {
			char name[64];
			snprintf(name, sizeof name, "武都区第%d中心", i + 1);
			ck_assert_bz(fx_unit(&F, c.unit[i], F.county_doc, name, BZ_NATURE_ORGAN, BZ_RANK_ZHENGKE,
					     "621202", "2010-01-01"));
			fx_est(&F, c.unit[i], "XZ", 5, "2010-01-01");
			ck_assert_bz(sf_slip(&F, c.slip[i], c.unit[i], "XZ", 1, "2026-11-01", "2027-03-31"));
		}
		long long placements = tu_count(F.l, "placement"), events = tu_count(F.l, "event"),
			  cards = tu_count(F.l, "card");
		bz_ledger_close(F.l);
		int codes[RACERS];
		race(entry_racer, &c, codes);
		tally(codes, 1, "one new person");
		bz_ledger *l = NULL;
		ck_assert_bz(bz_ledger_open(&l, uri, 0));
		/* the winner's placement, its records and one card: the refused seven left nothing */
		ck_assert_int_eq(tu_count(l, "placement"), placements + 1);
		ck_assert_int_gt(tu_count(l, "event"), events);
		ck_assert_int_eq(tu_count(l, "card"), cards + 1);
		bz_placement_iter *it = NULL;
		ck_assert_bz(bz_person_history(&it, l, c.person));
		bz_placement *p = NULL;
		int n = 0;
		while (bz_placement_iter_next(&p, it) == BZ_OK) {
			n++;
			bz_placement_free(p);
		}
		bz_placement_iter_free(it);
		ck_assert_int_eq(n, 1);
		all_well(l);
		bz_ledger_close(l);
	}
}
END_TEST

/* ---- (c) a slip's last posts --------------------------------------------------- */

typedef struct lastposts {
	char unit[BZ_UUID_LEN + 1], slip[BZ_UUID_LEN + 1], doc[BZ_UUID_LEN + 1];
	char person[RACERS][BZ_UUID_LEN + 1];
} lastposts;

static int posts_racer(int i, void *ctx)
{
	lastposts *c = ctx;
	bz_ledger *l = racer_open();
	bz_txn *t = racer_begin(l, c->doc);
	if (bz_placement_enter(NULL, t, c->person[i], c->unit, "XZ", c->slip, BZ_ENTRY_RECRUIT, "2026-12-01") != BZ_OK) {
		fprintf(stderr, "racer %d: hire: %s\n", i, bz_ledger_errmsg(l));
		_exit(16);
	}
	int out = racer_commit(t, BZ_RULE_R8, c->unit, 4, 5);
	bz_txn_free(t);
	bz_ledger_close(l);
	return out;
}

START_TEST(slip_last_posts)
{
	for (int round = 0; round < ROUNDS; round++) {
		fx F;
		race_setup(&F, "slip");
		lastposts c;
		snprintf(c.doc, sizeof c.doc, "%s", F.county_doc);
		ck_assert_bz(fx_unit(&F, c.unit, F.county_doc, "武都区人力资源和社会保障局", BZ_NATURE_ORGAN, BZ_RANK_ZHENGKE,
				     "621202", "2010-01-01"));
		fx_est(&F, c.unit, "XZ", 20, "2010-01-01");
		/* four posts, one used: three left */
		ck_assert_bz(sf_slip(&F, c.slip, c.unit, "XZ", 4, "2026-11-01", "2027-03-31"));
		char first[BZ_UUID_LEN + 1];
		sf_person(&F, first, "李华", "19900101", 1);
		ck_assert_bz(sf_hire(&F, first, c.unit, "XZ", c.slip, "2026-11-15"));
		for (int i = 0; i < RACERS; i++) {
			char name[32];
			snprintf(name, sizeof name, "王%d", i + 1);
			sf_person(&F, c.person[i], name, "19920506", 20 + i);
		}
		long long placements = tu_count(F.l, "placement");
		bz_ledger_close(F.l);
		int codes[RACERS];
		race(posts_racer, &c, codes);
		tally(codes, 3, "slip's last posts");
		bz_ledger *l = NULL;
		ck_assert_bz(bz_ledger_open(&l, uri, 0));
		ck_assert_int_eq(tu_count(l, "placement"), placements + 3);
		all_well(l);
		bz_ledger_close(l);
	}
}
END_TEST

/* ---- (d) counties do not wait for each other ----------------------------------- */

typedef struct county {
	char unit[RACERS][BZ_UUID_LEN + 1], doc[RACERS][BZ_UUID_LEN + 1];
	int ready[2];         /* racers → parent: "my change is made" */
	int turn[RACERS][2];  /* parent → racer i: "commit now" */
	int done[2];          /* racers → parent: "committed" */
} county;

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int county_racer(int i, void *ctx)
{
	county *c = ctx;
	bz_ledger *l = racer_open();
	bz_txn *t = racer_begin(l, c->doc[i]);
	if (bz_slip_issue(NULL, t, c->unit[i], "XZ", 1, BZ_PURPOSE_EXAM, "2026-12-01", "2027-03-31", NULL) != BZ_OK)
		_exit(14);
	char b = 'r';
	if (write(c->ready[1], &b, 1) != 1 || read(c->turn[i][0], &b, 1) != 1)
		_exit(17);
	double t0 = now_s();
	int rc = bz_txn_commit(t);
	double took = now_s() - t0;
	if (rc != BZ_OK)
		fprintf(stderr, "racer %d: commit: %s\n", i, bz_ledger_errmsg(l));
	b = 'd';
	if (write(c->done[1], &b, 1) != 1)
		_exit(18);
	bz_txn_free(t);
	bz_ledger_close(l);
	return rc != BZ_OK ? 30 : took > 4.0 ? 31 : WON;
}

START_TEST(counties)
{
	static const char *const codes_[RACERS][2] = {
		{"621221", "成县"}, {"621222", "文县"}, {"621223", "宕昌县"}, {"621224", "康县"},
		{"621225", "西和县"}, {"621226", "礼县"}, {"621227", "徽县"}, {"621228", "两当县"},
	};
	for (int round = 0; round < ROUNDS; round++) {
		fx F;
		race_setup(&F, "cty");
		county c;
		bz_txn *t = tu_begin(F.l);
		for (int i = 0; i < RACERS; i++) {
			char issuer[96], number[64];
			ck_assert_bz(bz_jurisdiction_create(NULL, t, codes_[i][0], codes_[i][1], "621200"));
			snprintf(issuer, sizeof issuer, "%s机构编制委员会", codes_[i][1]);
			snprintf(number, sizeof number, "县编发〔2013〕%d号", i + 1);
			fx_doc(t, c.doc[i], issuer, number, BZ_LEVEL_COUNTY, BZ_ISSUER_ESTABLISHMENT, codes_[i][0]);
		}
		ck_assert_bz(bz_txn_commit(t));
		bz_txn_free(t);
		for (int i = 0; i < RACERS; i++) {
			char name[96];
			snprintf(name, sizeof name, "%s教育局", codes_[i][1]);
			ck_assert_bz(fx_unit(&F, c.unit[i], c.doc[i], name, BZ_NATURE_ORGAN, BZ_RANK_ZHENGKE, codes_[i][0],
					     "2010-01-01"));
			t = tu_begin(F.l);
			ck_assert_bz(bz_txn_set_document(t, c.doc[i]));
			ck_assert_bz(bz_establishment_set(t, c.unit[i], "XZ", 2, "2010-01-01"));
			ck_assert_bz(bz_txn_commit(t));
			bz_txn_free(t);
		}
		bz_ledger_close(F.l);
		ck_assert_int_eq(pipe(c.ready), 0);
		ck_assert_int_eq(pipe(c.done), 0);
		for (int i = 0; i < RACERS; i++)
			ck_assert_int_eq(pipe(c.turn[i]), 0);
		pid_t kids[RACERS];
		for (int i = 0; i < RACERS; i++) {
			kids[i] = fork();
			ck_assert_int_ge(kids[i], 0);
			if (kids[i] == 0)
				_exit(county_racer(i, &c));
		}
		char b;
		for (int i = 0; i < RACERS; i++) /* every racer's change made, its transaction open */
			ck_assert_int_eq(read(c.ready[0], &b, 1), 1);
		for (int i = 0; i < RACERS; i++) { /* one commits while the others stay open */
			ck_assert_int_eq(write(c.turn[i][1], "c", 1), 1);
			ck_assert_int_eq(read(c.done[0], &b, 1), 1);
		}
		for (int i = 0; i < RACERS; i++) {
			int status;
			ck_assert_int_eq(waitpid(kids[i], &status, 0), kids[i]);
			ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == WON, "county %d: racer exited %d", i,
				      WIFEXITED(status) ? WEXITSTATUS(status) : -1);
			close(c.turn[i][0]);
			close(c.turn[i][1]);
		}
		close(c.ready[0]);
		close(c.ready[1]);
		close(c.done[0]);
		close(c.done[1]);
		bz_ledger *l = NULL;
		ck_assert_bz(bz_ledger_open(&l, uri, 0));
		ck_assert_int_eq(tu_count(l, "slip"), RACERS);
		all_well(l);
		bz_ledger_close(l);
	}
}
END_TEST

int main(int argc, char **argv)
{
	int crc = tu_pg_cluster(argc, argv, "test_race");
	if (crc != 0)
		return crc;
	server = tu_pg_server() ? tu_pg_server() : tu_pg_uri();
	if (!server) {
		printf("test_race: SKIP: races between connections need a PostgreSQL server (BZ_PG_URI); on SQLite one "
		       "writer holds the file (test_concurrency.c); the meson test race_pg starts one\n");
		return 77;
	}
	Suite *s = suite_create("race");
	TCase *tc = tcase_create("race");
	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, last_vacancy);
	tcase_add_test(tc, one_person);
	tcase_add_test(tc, new_person);
	tcase_add_test(tc, slip_last_posts);
	tcase_add_test(tc, counties);
	suite_add_tcase(s, tc);
	int rc = tu_run(s);
	tu_pg_cluster_stop();
	return rc;
}
