/*
 * catalogue.c: counter keys, documents, jurisdiction chains, unit lives
 * and rule parameters — the facts areas and rules share (catalogue.h).
 */
#include "catalogue.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- keys ------------------------------------------------------------------ */

static const char *const counter_names[] = {"est", "staff", "resv", "frozen"};

void bz_key_unit(char buf[BZ_KEY_MAX], const char *unit, bz_counter what, const char *category)
{
	snprintf(buf, BZ_KEY_MAX, "U:%s:%s:%s", unit, counter_names[what], category);
}

void bz_key_jur(char buf[BZ_KEY_MAX], const char *jur, bz_counter what, int branch)
{
	snprintf(buf, BZ_KEY_MAX, "J:%s:%s:%d", jur, counter_names[what], branch);
}

void bz_key_leaders(char buf[BZ_KEY_MAX], const char *subject, int post)
{
	snprintf(buf, BZ_KEY_MAX, "L:%s:%s", subject, post == BZ_POST_PRINCIPAL ? "principal" : "deputy");
}

void bz_key_subunits(char buf[BZ_KEY_MAX], const char *unit)
{
	snprintf(buf, BZ_KEY_MAX, "S:%s:count", unit);
}

void bz_attr_est(char buf[BZ_KEY_MAX], const char *category) { snprintf(buf, BZ_KEY_MAX, "est:%s", category); }
void bz_attr_frozen(char buf[BZ_KEY_MAX], const char *category) { snprintf(buf, BZ_KEY_MAX, "frozen:%s", category); }
void bz_attr_limit(char buf[BZ_KEY_MAX], int branch) { snprintf(buf, BZ_KEY_MAX, "limit:%d", branch); }
void bz_attr_plan(char buf[BZ_KEY_MAX], int year) { snprintf(buf, BZ_KEY_MAX, "plan:%04d", year); }

/* ---- documents ---------------------------------------------------------------- */

void bz_docinfo_clear(bz_docinfo *d)
{
	bz__free(d->number);
	bz__free(d->issuer);
	bz__free(d->jurisdiction);
	memset(d, 0, sizeof *d);
}

int bz_docinfo_load(bz_ledger *l, bz_docinfo *d, const char *uuid)
{
	static const char sql[] = "SELECT number, issuer, jurisdiction, level, kind, date FROM document WHERE id=?1";
	memset(d, 0, sizeof *d);
	bz_st *st = bz_stmt(l, sql);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, uuid);
	int rc = bz_step(st), code = BZ_OK;
	if (rc == SQLITE_ROW) {
		bool ok = true;
		snprintf(d->uuid, sizeof d->uuid, "%s", uuid);
		d->number = bz_col_strdup(st, 0, &ok);
		d->issuer = bz_col_strdup(st, 1, &ok);
		d->jurisdiction = bz_col_strdup(st, 2, &ok);
		d->level = bz_st_column_int(st, 3);
		d->kind = bz_st_column_int(st, 4);
		const char *date = (const char *)bz_st_column_text(st, 5);
		snprintf(d->date, sizeof d->date, "%s", date ? date : "");
		if (!ok)
			code = bz_fail(l, BZ_ENOMEM, "out of memory");
	} else {
		code = rc == SQLITE_DONE ? bz_fail(l, BZ_ENOTFOUND, "no document %s in the ledger", uuid)
					 : bz_sqlfail(l, rc);
	}
	bz_st_reset(st);
	if (code != BZ_OK)
		bz_docinfo_clear(d);
	return code;
}

/* ---- jurisdictions --------------------------------------------------------------- */

int bz_jurisdiction_info(bz_ledger *l, const char *id, int *level, char **label)
{
	static const char sql[] = "SELECT level, code || ' ' || name FROM jurisdiction WHERE id=?1";
	bz_st *st = bz_stmt(l, sql);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, id);
	int rc = bz_step(st), code = BZ_OK;
	if (rc == SQLITE_ROW) {
		bool ok = true;
		if (level)
			*level = bz_st_column_int(st, 0);
		if (label) {
			*label = bz_col_strdup(st, 1, &ok);
			if (!ok)
				code = bz_fail(l, BZ_ENOMEM, "out of memory");
		}
	} else {
		code = rc == SQLITE_DONE ? bz_fail(l, BZ_ENOTFOUND, "no jurisdiction %s", id) : bz_sqlfail(l, rc);
	}
	bz_st_reset(st);
	return code;
}

int bz_jurisdiction_in_chain(bz_ledger *l, const char *code, const char *anc, bool *yes)
{
	/* the tree is shallow (province → city → county): walk it upwards */
	static const char sql[] =
		"WITH RECURSIVE up(id, code) AS (SELECT id, code FROM jurisdiction WHERE code=?1"
		" UNION ALL SELECT j.parent, p.code FROM up JOIN jurisdiction j ON j.id=up.id"
		"  JOIN jurisdiction p ON p.id=j.parent)"
		" SELECT 1 FROM up WHERE code=?2 LIMIT 1";
	*yes = false;
	if (!code || !anc)
		return BZ_OK;
	bz_st *st = bz_stmt(l, sql);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, code);
	bz_bind_text(st, 2, anc);
	return bz_step_exists(l, st, yes);
}

/* ---- units ------------------------------------------------------------------------- */

int bz_unit_life(bz_ledger *l, const char *unit_uuid, char founded[BZ_DATE_LEN + 1], char ended[BZ_DATE_LEN + 1])
{
	static const char sql[] =
		"SELECT u.founded, (SELECT min(effective) FROM fact WHERE subject=u.id AND attr='status' AND after<>'1')"
		" FROM unit u WHERE u.id=?1";
	founded[0] = ended[0] = '\0';
	bz_st *st = bz_stmt(l, sql);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, unit_uuid);
	int rc = bz_step(st), code = BZ_OK;
	if (rc == SQLITE_ROW) {
		const char *f = (const char *)bz_st_column_text(st, 0), *e = (const char *)bz_st_column_text(st, 1);
		snprintf(founded, BZ_DATE_LEN + 1, "%s", f ? f : "");
		snprintf(ended, BZ_DATE_LEN + 1, "%s", e ? e : "");
	} else {
		code = rc == SQLITE_DONE ? bz_fail(l, BZ_ENOTFOUND, "no unit %s in the ledger", unit_uuid)
					 : bz_sqlfail(l, rc);
	}
	bz_st_reset(st);
	return code;
}

int bz_unit_division(bz_ledger *l, const char *unit_uuid, char code[8])
{
	/* the jurisdiction's id too: a hire asks both, one statement (issue 10) */
	static const char sql[] = BZ_UNIT_JUR_SQL;
	code[0] = '\0';
	const bz_unitjur *u = bz_txn_unit_get(l, unit_uuid); /* read once per transaction */
	if (u && u->division[0]) {
		memcpy(code, u->division, 8);
		return BZ_OK;
	}
	bz_st *st = bz_stmt(l, sql);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, unit_uuid);
	int rc = bz_step(st), ret = BZ_OK;
	const char *c = rc == SQLITE_ROW ? (const char *)bz_st_column_text(st, 1) : NULL;
	if (c) {
		snprintf(code, 8, "%s", c);
		if (code[0])
			bz_txn_unit_put(l, unit_uuid, (const char *)bz_st_column_text(st, 0), code);
	} else if (rc == SQLITE_ROW) { /* a unit whose jurisdiction is not in the ledger: as no unit */
		ret = bz_fail(l, BZ_ENOTFOUND, "no unit %s in the ledger", unit_uuid);
	} else {
		ret = rc == SQLITE_DONE ? bz_fail(l, BZ_ENOTFOUND, "no unit %s in the ledger", unit_uuid)
					: bz_sqlfail(l, rc);
	}
	bz_st_reset(st);
	return ret;
}

/* ---- rule parameters ---------------------------------------------------------------- */

int bz_param_at(bz_ledger *l, char **out, const char *name, const char *date)
{
	return bz_fact_at(l, out, BZ_RULES_SUBJECT, name, date);
}

int bz_param_int_at(bz_ledger *l, int64_t *out, const char *name, const char *date, int64_t dflt)
{
	char *s = NULL, *end = NULL;
	int code = bz_param_at(l, &s, name, date);
	*out = dflt;
	if (code == BZ_OK && s && *s) {
		long long v = strtoll(s, &end, 10);
		if (end && !*end)
			*out = v;
	}
	bz__free(s);
	return code;
}
