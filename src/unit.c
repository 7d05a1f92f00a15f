/*
 * unit.c: units and their lifecycle. The unit row holds what never changes
 * (UUID, jurisdiction, credit code, founding date); everything else is an
 * attribute timeline of fact rows: name, nature, funding, rank, canzong,
 * parent, duties, status (1 active, 2 abolished, 3 merged), merged_into.
 * Rules: R6 authority (bz_authority_check, table authority_rule), R7
 * continuity (bz_unit_require_alive, checker bz_rule_unit_life), R10 credit
 * codes.
 */
#include "catalogue.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct bz_unit {
	char *uuid, *name, *parent, *jurisdiction, *credit_code, *duties, *founded, *ended, *merged_into;
	char as_of[BZ_DATE_LEN + 1];
	int nature, funding, rank, canzong, status;
};

struct bz_unit_spec {
	char *name, *parent, *jurisdiction, *credit_code, *duties, *founded;
	int nature, funding, rank, canzong;
};

/* ---- names of codes -------------------------------------------------- */

BZ_EXTERN const char *bz_rank_name(int rank)
{
	static const char *const names[] = {"未定级", "副股", "正股", "副科", "正科", "副处",
					    "正处", "副厅", "正厅", "副部", "正部"};
	return rank >= 0 && rank <= BZ_RANK_ZHENGBU ? names[rank] : "";
}

BZ_EXTERN const char *bz_nature_name(int nature)
{
	switch (nature) {
	case BZ_NATURE_ORGAN: return "行政机关";
	case BZ_NATURE_INSTITUTION: return "事业单位";
	case BZ_NATURE_MASS: return "群众团体";
	case BZ_NATURE_PARTY: return "民主党派";
	default: return "";
	}
}

BZ_EXTERN const char *bz_funding_name(int funding)
{
	switch (funding) {
	case BZ_FUNDING_FULL: return "全额拨款";
	case BZ_FUNDING_BALANCE: return "差额补贴";
	case BZ_FUNDING_SELF: return "自收自支";
	case BZ_FUNDING_ENTERPRISE: return "企业化管理";
	default: return "";
	}
}

static bool nature_ok(int n)
{
	return n == BZ_NATURE_ORGAN || n == BZ_NATURE_INSTITUTION || n == BZ_NATURE_MASS || n == BZ_NATURE_PARTY;
}

/* ---- specs ------------------------------------------------------------ */

BZ_EXTERN int bz_unit_spec_new(bz_unit_spec **out)
{
	if (!out)
		return BZ_EINVAL;
	*out = bz__calloc(1, sizeof **out);
	if (!*out)
		return BZ_ENOMEM;
	(*out)->funding = BZ_FUNDING_FULL;
	return BZ_OK;
}

BZ_EXTERN void bz_unit_spec_free(bz_unit_spec *s)
{
	if (!s)
		return;
	bz__free(s->name);
	bz__free(s->parent);
	bz__free(s->jurisdiction);
	bz__free(s->credit_code);
	bz__free(s->duties);
	bz__free(s->founded);
	bz__free(s);
}

static int set_str(char **field, const char *value, bool nullable)
{
	if (!value) {
		if (!nullable)
			return BZ_EINVAL;
		bz__free(*field);
		*field = NULL;
		return BZ_OK;
	}
	char *c = bz_strdup(value);
	if (!c)
		return BZ_ENOMEM;
	bz__free(*field);
	*field = c;
	return BZ_OK;
}

BZ_EXTERN int bz_unit_spec_set_name(bz_unit_spec *s, const char *name)
{
	return s && bz_text_ok(name) ? set_str(&s->name, name, false) : BZ_EINVAL;
}
BZ_EXTERN int bz_unit_spec_set_nature(bz_unit_spec *s, int nature)
{
	if (!s || !nature_ok(nature))
		return BZ_EINVAL;
	s->nature = nature;
	return BZ_OK;
}
BZ_EXTERN int bz_unit_spec_set_funding(bz_unit_spec *s, int funding)
{
	if (!s || funding < BZ_FUNDING_FULL || funding > BZ_FUNDING_ENTERPRISE)
		return BZ_EINVAL;
	s->funding = funding;
	return BZ_OK;
}
BZ_EXTERN int bz_unit_spec_set_rank(bz_unit_spec *s, int rank)
{
	if (!s || rank < BZ_RANK_NONE || rank > BZ_RANK_ZHENGBU)
		return BZ_EINVAL;
	s->rank = rank;
	return BZ_OK;
}
BZ_EXTERN int bz_unit_spec_set_canzong(bz_unit_spec *s, int canzong)
{
	if (!s || (canzong != 0 && canzong != 1))
		return BZ_EINVAL;
	s->canzong = canzong;
	return BZ_OK;
}
BZ_EXTERN int bz_unit_spec_set_parent(bz_unit_spec *s, const char *parent_uuid)
{
	if (!s || (parent_uuid && !bz_uuid_ok(parent_uuid)))
		return BZ_EINVAL;
	return set_str(&s->parent, parent_uuid, true);
}
BZ_EXTERN int bz_unit_spec_set_jurisdiction(bz_unit_spec *s, const char *code)
{
	if (!s || !code || strlen(code) != 6 || strspn(code, "0123456789") != 6)
		return BZ_EINVAL;
	return set_str(&s->jurisdiction, code, false);
}
BZ_EXTERN int bz_unit_spec_set_credit_code(bz_unit_spec *s, const char *code)
{
	if (!s)
		return BZ_EINVAL;
	if (!code)
		return set_str(&s->credit_code, NULL, true);
	/* stored upper case, as GB 32100 writes it */
	char buf[19];
	if (strlen(code) != 18)
		return BZ_EINVAL;
	for (int i = 0; i < 18; i++)
		buf[i] = (code[i] >= 'a' && code[i] <= 'z') ? (char)(code[i] - 'a' + 'A') : code[i];
	buf[18] = '\0';
	if (!bz_credit_code_shape_ok(buf))
		return BZ_EINVAL;
	return set_str(&s->credit_code, buf, true);
}
BZ_EXTERN int bz_unit_spec_set_duties(bz_unit_spec *s, const char *duties)
{
	if (!s || (duties && !bz_utf8_valid(duties)))
		return BZ_EINVAL;
	return set_str(&s->duties, duties, true);
}
BZ_EXTERN int bz_unit_spec_set_founded(bz_unit_spec *s, const char *date)
{
	return s && bz_date_ok(date) ? set_str(&s->founded, date, false) : BZ_EINVAL;
}

/* ---- snapshots ---------------------------------------------------------- */

BZ_EXTERN void bz_unit_free(bz_unit *u)
{
	if (!u)
		return;
	bz__free(u->uuid);
	bz__free(u->name);
	bz__free(u->parent);
	bz__free(u->jurisdiction);
	bz__free(u->credit_code);
	bz__free(u->duties);
	bz__free(u->founded);
	bz__free(u->ended);
	bz__free(u->merged_into);
	bz__free(u);
}

/* the row of a unit: jurisdiction code, credit code, founded; ENOTFOUND if none */
static int unit_row(bz_ledger *l, const char *uuid, char **jur_code, char **credit, char **founded)
{
	static const char sql[] =
		"SELECT j.code, u.credit_code, u.founded FROM unit u JOIN jurisdiction j ON j.id=u.jurisdiction"
		" WHERE u.id=?1";
	bz_st *st = bz_stmt(l, sql);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, uuid);
	int rc = bz_step(st);
	int code = BZ_OK;
	bool ok = true;
	if (rc == SQLITE_ROW) {
		if (jur_code)
			*jur_code = bz_col_strdup(st, 0, &ok);
		if (credit)
			*credit = bz_col_strdup(st, 1, &ok);
		if (founded)
			*founded = bz_col_strdup(st, 2, &ok);
		if (!ok)
			code = bz_fail(l, BZ_ENOMEM, "out of memory");
	} else if (rc == SQLITE_DONE) {
		code = bz_fail(l, BZ_ENOTFOUND, "no unit %s in the ledger", uuid);
	} else {
		code = bz_sqlfail(l, rc);
	}
	bz_st_reset(st);
	return code;
}

/* date a unit ceased (first status other than 1), malloc'd or NULL */
static int unit_end(bz_ledger *l, const char *uuid, char **end)
{
	static const char sql[] =
		"SELECT min(effective) FROM fact WHERE subject=?1 AND attr='status' AND after<>'1'";
	*end = NULL;
	bz_st *st = bz_stmt(l, sql);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, uuid);
	int rc = bz_step(st);
	int code = BZ_OK;
	bool ok = true;
	if (rc == SQLITE_ROW)
		*end = bz_col_strdup(st, 0, &ok);
	else if (rc != SQLITE_DONE)
		code = bz_sqlfail(l, rc);
	if (!ok)
		code = bz_fail(l, BZ_ENOMEM, "out of memory");
	bz_st_reset(st);
	return code;
}

/* the unit as it stood at date; ENOTFOUND if not yet founded */
static int unit_snapshot(bz_unit **out, bz_ledger *l, const char *uuid, const char *date)
{
	*out = NULL;
	bz_unit *u = bz__calloc(1, sizeof *u);
	if (!u)
		return bz_fail(l, BZ_ENOMEM, "out of memory");
	int code = unit_row(l, uuid, &u->jurisdiction, &u->credit_code, &u->founded);
	if (code != BZ_OK)
		goto fail;
	if (strcmp(u->founded, date) > 0) {
		code = bz_fail(l, BZ_ENOTFOUND, "unit %s was not yet founded on %s", uuid, date);
		goto fail;
	}
	u->uuid = bz_strdup(uuid);
	memcpy(u->as_of, date, BZ_DATE_LEN + 1);
	u->status = BZ_UNIT_ACTIVE;
	/* the credit code as the facts date it (bz_unit_set_credit_code); a row without facts keeps its own */
	static const char coded[] = "SELECT 1 FROM fact WHERE subject=?1 AND attr='credit_code'";
	bz_st *cst = bz_stmt(l, coded);
	bool dated = false;
	if (cst)
		bz_bind_text(cst, 1, uuid);
	if (!cst || (code = bz_step_exists(l, cst, &dated)) != BZ_OK) {
		code = cst ? code : bz_stmt_err();
		goto fail;
	}
	if (dated) {
		bz__free(u->credit_code);
		u->credit_code = NULL;
	}
	/* every attribute in one pass over the unit's own timelines: the last
	 * row per attribute (in effective, event order) is its value at date */
	static const char sql[] =
		"SELECT attr, after FROM fact WHERE subject=?1 AND effective<=?2 ORDER BY attr, effective, event";
	bz_st *st = bz_stmt(l, sql);
	if (!st) {
		code = bz_stmt_err();
		goto fail;
	}
	bz_bind_text(st, 1, uuid);
	bz_bind_text(st, 2, date);
	int rc = SQLITE_DONE;
	bool ok = u->uuid != NULL;
	while (ok && (rc = bz_step(st)) == SQLITE_ROW) {
		const char *attr = (const char *)bz_st_column_text(st, 0);
		const char *val = (const char *)bz_st_column_text(st, 1);
		if (!attr)
			continue;
		char **sfield = NULL;
		int *ifield = NULL;
		if (!strcmp(attr, "name")) sfield = &u->name;
		else if (!strcmp(attr, "parent")) sfield = &u->parent;
		else if (!strcmp(attr, "duties")) sfield = &u->duties;
		else if (!strcmp(attr, "credit_code")) sfield = &u->credit_code;
		else if (!strcmp(attr, "merged_into")) sfield = &u->merged_into;
		else if (!strcmp(attr, "nature")) ifield = &u->nature;
		else if (!strcmp(attr, "funding")) ifield = &u->funding;
		else if (!strcmp(attr, "rank")) ifield = &u->rank;
		else if (!strcmp(attr, "canzong")) ifield = &u->canzong;
		else if (!strcmp(attr, "status")) ifield = &u->status;
		if (sfield) {
			bz__free(*sfield);
			*sfield = val ? bz_strdup(val) : NULL;
			if (val && !*sfield)
				ok = false;
		} else if (ifield) {
			*ifield = val ? atoi(val) : 0;
		}
	}
	bz_st_reset(st);
	if (!ok) {
		code = bz_fail(l, BZ_ENOMEM, "out of memory");
		goto fail;
	}
	if (rc != SQLITE_DONE) { /* not a partial unit: a failed read is an error */
		code = bz_sqlfail(l, rc);
		goto fail;
	}
	if (u->status != BZ_UNIT_ACTIVE) {
		if ((code = unit_end(l, uuid, &u->ended)) != BZ_OK)
			goto fail;
	}
	if (u->status != BZ_UNIT_MERGED) {
		bz__free(u->merged_into);
		u->merged_into = NULL;
	}
	if (!u->name && !(u->name = bz_strdup(""))) {
		code = bz_fail(l, BZ_ENOMEM, "out of memory");
		goto fail;
	}
	*out = u;
	return BZ_OK;
fail:
	bz_unit_free(u);
	return code;
}

static int resolve_date(bz_ledger *l, const char *date, char buf[BZ_DATE_LEN + 1])
{
	if (!date) {
		bz_today(l, buf);
		return BZ_OK;
	}
	if (!bz_date_ok(date))
		return bz_fail(l, BZ_EINVAL, "not a valid date: expected YYYY-MM-DD");
	memcpy(buf, date, BZ_DATE_LEN + 1);
	return BZ_OK;
}

BZ_EXTERN int bz_unit_lookup(bz_unit **out, bz_ledger *ledger, const char *uuid, const char *date)
{
	if (!out)
		return BZ_EINVAL;
	*out = NULL;
	if (!ledger)
		return BZ_EINVAL;
	if (!bz_uuid_ok(uuid))
		return bz_fail(ledger, BZ_EINVAL, "not a UUID");
	char d[BZ_DATE_LEN + 1];
	int code = resolve_date(ledger, date, d);
	if (code != BZ_OK)
		return code;
	code = unit_snapshot(out, ledger, uuid, d);
	return code == BZ_OK ? bz_ok(ledger) : code;
}

BZ_EXTERN int bz_unit_lookup_credit_code(bz_unit **out, bz_ledger *ledger, const char *code, const char *date)
{
	if (!out)
		return BZ_EINVAL;
	*out = NULL;
	if (!ledger)
		return BZ_EINVAL;
	if (!bz_credit_code_shape_ok(code))
		return bz_fail(ledger, BZ_EINVAL, "not a unified social credit code (18 characters of GB 32100)");
	char d[BZ_DATE_LEN + 1];
	int rc = resolve_date(ledger, date, d);
	if (rc != BZ_OK)
		return rc;
	static const char sql[] = "SELECT id FROM unit WHERE credit_code=?1";
	bz_st *st = bz_stmt(ledger, sql);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, code);
	char *id = NULL;
	bool ok = true;
	int s = bz_step(st);
	if (s == SQLITE_ROW)
		id = bz_col_strdup(st, 0, &ok);
	bz_st_reset(st);
	if (s != SQLITE_ROW && s != SQLITE_DONE)
		return bz_sqlfail(ledger, s);
	if (!ok)
		return bz_fail(ledger, BZ_ENOMEM, "out of memory");
	if (!id)
		return bz_fail(ledger, BZ_ENOTFOUND, "no unit with credit code %s", code);
	rc = unit_snapshot(out, ledger, id, d);
	bz__free(id);
	return rc == BZ_OK ? bz_ok(ledger) : rc;
}

/*
 * The unit named name at date d (YYYY-MM-DD) in the jurisdiction of that
 * code (NULL: any) into id: BZ_ENOTFOUND when none, BZ_EEXISTS when more
 * than one, with the handle's message. What bz_unit_lookup_name finds,
 * without the snapshot (the sheet import asks it once per row).
 */
int bz_unit_find_name(bz_ledger *ledger, const char *jurisdiction_code, const char *name, const char *d,
		      char id[BZ_UUID_LEN + 1])
{
	char *jur = NULL;
	int rc;
	if (jurisdiction_code && (rc = bz_jurisdiction_id(ledger, jurisdiction_code, &jur)) != BZ_OK)
		return rc;
	/* candidates: units that ever bore the name (table unit_name), then
	 * keep those whose name at date is that name */
	static const char sql[] =
		"SELECT n.unit FROM unit_name n JOIN unit u ON u.id=n.unit"
		" WHERE n.name=?1 AND (?2 IS NULL OR u.jurisdiction=?2) AND u.founded<=?3";
	bz_st *st = bz_stmt(ledger, sql);
	if (!st) {
		bz__free(jur);
		return bz_stmt_err();
	}
	bz_bind_text(st, 1, name);
	bz_bind_text(st, 2, jur);
	bz_bind_text(st, 3, d);
	bz__free(jur);
	/* collect first: name checks use cached statements of their own */
	char **ids = NULL;
	int n = 0, cap = 0, s = SQLITE_DONE;
	bool ok = true;
	while (ok && (s = bz_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			int ncap = cap ? cap * 2 : 8;
			char **nids = bz__realloc(ids, (size_t)ncap * sizeof *nids);
			if (!nids) {
				ok = false;
				break;
			}
			ids = nids;
			cap = ncap;
		}
		ids[n] = bz_col_strdup(st, 0, &ok);
		if (ids[n])
			n++;
	}
	bz_st_reset(st);
	int found = -1, matches = 0;
	rc = !ok ? bz_fail(ledger, BZ_ENOMEM, "out of memory") : s != SQLITE_DONE ? bz_sqlfail(ledger, s) : BZ_OK;
	for (int i = 0; rc == BZ_OK && i < n; i++) {
		char *now = NULL;
		rc = bz_fact_at(ledger, &now, ids[i], "name", d);
		if (rc == BZ_OK && now && strcmp(now, name) == 0) {
			matches++;
			found = i;
		}
		bz__free(now);
	}
	if (rc == BZ_OK) {
		if (matches > 1)
			rc = bz_fail(ledger, BZ_EEXISTS, "more than one unit is named %s on %s", name, d);
		else if (matches == 0)
			rc = bz_fail(ledger, BZ_ENOTFOUND, "no unit named %s on %s", name, d);
		else
			snprintf(id, BZ_UUID_LEN + 1, "%s", ids[found]);
	}
	for (int i = 0; i < n; i++)
		bz__free(ids[i]);
	bz__free(ids);
	return rc;
}

BZ_EXTERN int bz_unit_lookup_name(bz_unit **out, bz_ledger *ledger, const char *jurisdiction_code,
				  const char *name, const char *date)
{
	if (!out)
		return BZ_EINVAL;
	*out = NULL;
	if (!ledger)
		return BZ_EINVAL;
	if (!bz_text_ok(name))
		return bz_fail(ledger, BZ_EINVAL, "a name is non-empty UTF-8");
	char d[BZ_DATE_LEN + 1], id[BZ_UUID_LEN + 1];
	int rc = resolve_date(ledger, date, d);
	if (rc == BZ_OK)
		rc = bz_unit_find_name(ledger, jurisdiction_code, name, d, id);
	if (rc == BZ_OK)
		rc = unit_snapshot(out, ledger, id, d);
	return rc == BZ_OK ? bz_ok(ledger) : rc;
}

/* ---- lists -------------------------------------------------------------- */

typedef struct unit_iter {
	bz_iter base;
	char date[BZ_DATE_LEN + 1];
} unit_iter;

static int unit_from_row(void **out, bz_st *st, bz_ledger *l)
{
	const char *id = (const char *)bz_st_column_text(st, 0);
	const char *date = (const char *)bz_st_column_text(st, 1);
	if (!id || !date)
		return bz_fail(l, BZ_ENOMEM, "out of memory");
	return unit_snapshot((bz_unit **)out, l, id, date);
}

BZ_EXTERN int bz_unit_list(bz_unit_iter **out, bz_ledger *ledger, const char *jurisdiction_code, const char *date)
{
	if (!out)
		return BZ_EINVAL;
	*out = NULL;
	if (!ledger || !jurisdiction_code)
		return ledger ? bz_fail(ledger, BZ_EINVAL, "a jurisdiction code is required") : BZ_EINVAL;
	char d[BZ_DATE_LEN + 1];
	int rc = resolve_date(ledger, date, d);
	if (rc != BZ_OK)
		return rc;
	char *jur = NULL;
	if ((rc = bz_jurisdiction_id(ledger, jurisdiction_code, &jur)) != BZ_OK)
		return rc;
	/* index unit_jurisdiction for the units, fact_timeline for each one's
	 * name and status at the date */
	static const char sql[] =
		"SELECT id, ?2 FROM (SELECT u.id AS id,"
		" (SELECT after FROM fact WHERE subject=u.id AND attr='name' AND effective<=?2"
		"  ORDER BY effective DESC, event DESC LIMIT 1) AS name,"
		" (SELECT after FROM fact WHERE subject=u.id AND attr='status' AND effective<=?2"
		"  ORDER BY effective DESC, event DESC LIMIT 1) AS status"
		" FROM unit u WHERE u.jurisdiction=?1 AND u.founded<=?2)"
		" WHERE status='1' ORDER BY name, id";
	bz_iter *it = NULL;
	rc = bz_iter_new(&it, ledger, sql, unit_from_row);
	if (rc == BZ_OK) {
		bz_bind_text(it->st, 1, jur);
		bz_bind_text(it->st, 2, d);
		*out = (bz_unit_iter *)it;
	}
	bz__free(jur);
	return rc == BZ_OK ? bz_ok(ledger) : rc;
}

BZ_EXTERN int bz_unit_iter_next(bz_unit **out, bz_unit_iter *it)
{
	return bz_iter_next((void **)out, (bz_iter *)it);
}

BZ_EXTERN void bz_unit_iter_free(bz_unit_iter *it)
{
	bz_iter_free((bz_iter *)it);
}

/* ---- internal helpers for every area -------------------------------------- */

int bz_unit_alive(bz_ledger *l, const char *unit_uuid, const char *date, bool *alive)
{
	*alive = false;
	char *founded = NULL;
	int code = unit_row(l, unit_uuid, NULL, NULL, &founded);
	if (code != BZ_OK)
		return code;
	if (founded && strcmp(founded, date) <= 0) {
		int64_t status = 0;
		code = bz_fact_int_at(l, &status, unit_uuid, "status", date, 0);
		*alive = status == BZ_UNIT_ACTIVE;
	}
	bz__free(founded);
	return code;
}

int bz_unit_name_at(bz_ledger *l, const char *unit_uuid, const char *date, char **name)
{
	*name = NULL;
	int code = unit_row(l, unit_uuid, NULL, NULL, NULL);
	if (code != BZ_OK)
		return code;
	code = bz_fact_at(l, name, unit_uuid, "name", date);
	if (code == BZ_OK && !*name) /* before founding: its first name */
		code = bz_fact_at(l, name, unit_uuid, "name", NULL);
	return code;
}

int bz_unit_nature_at(bz_ledger *l, const char *unit_uuid, const char *date, int *nature)
{
	*nature = 0;
	int code = unit_row(l, unit_uuid, NULL, NULL, NULL);
	if (code != BZ_OK)
		return code;
	int64_t n = 0;
	code = bz_fact_int_at(l, &n, unit_uuid, "nature", date, 0);
	if (code == BZ_OK && n == 0)
		code = bz_fact_int_at(l, &n, unit_uuid, "nature", NULL, 0);
	*nature = (int)n;
	return code;
}

int bz_unit_jurisdiction_of(bz_ledger *l, const char *unit_uuid, char **jur_uuid)
{
	/* the jurisdiction's code too: a hire asks both (its card's division), one statement (issue 10) */
	static const char sql[] = BZ_UNIT_JUR_SQL;
	*jur_uuid = NULL;
	const bz_unitjur *u = bz_txn_unit_get(l, unit_uuid); /* read once per transaction */
	if (u && u->jur[0])
		return (*jur_uuid = bz_strdup(u->jur)) ? BZ_OK : bz_fail(l, BZ_ENOMEM, "out of memory");
	bz_st *st = bz_stmt(l, sql);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, unit_uuid);
	int rc = bz_step(st);
	int code = BZ_OK;
	bool ok = true;
	if (rc == SQLITE_ROW)
		*jur_uuid = bz_col_strdup(st, 0, &ok);
	else if (rc == SQLITE_DONE)
		code = bz_fail(l, BZ_ENOTFOUND, "no unit %s in the ledger", unit_uuid);
	else
		code = bz_sqlfail(l, rc);
	if (code == BZ_OK && (!ok || !*jur_uuid))
		code = bz_fail(l, BZ_ENOMEM, "out of memory");
	if (code == BZ_OK) {
		const char *c = (const char *)bz_st_column_text(st, 1);
		bz_txn_unit_put(l, unit_uuid, *jur_uuid, c && *c ? c : NULL);
	}
	bz_st_reset(st);
	return code;
}

BZ_EXTERN int bz_credit_code_exception_add(bz_txn *txn, const char *code, const char *note)
{
	if (!txn)
		return BZ_EINVAL;
	bz_ledger *l = txn->l;
	if (!l)
		return BZ_EMISUSE;
	if (!bz_credit_code_shape_ok(code))
		return bz_fail(l, BZ_EINVAL, "not a unified social credit code (18 characters of GB 32100)");
	if (note && !bz_utf8_valid(note))
		return bz_fail(l, BZ_EINVAL, "the note is not UTF-8");
	int rc = bz_change_begin(txn);
	if (rc != BZ_OK)
		return rc;
	static const char sql[] = "INSERT INTO credit_code_exception(code, note) VALUES(?1,?2)";
	bz_st *st = bz_stmt(l, sql);
	if (!st) {
		rc = bz_stmt_err();
	} else {
		bz_bind_text(st, 1, code);
		bz_bind_text(st, 2, note);
		rc = bz_step_done(l, st);
		if (rc == BZ_EEXISTS)
			rc = bz_fail(l, BZ_EEXISTS, "credit code %s is already an exception", code);
	}
	if (rc == BZ_OK) {
		char today[BZ_DATE_LEN + 1];
		long long ev = 0;
		bz_today(l, today);
		rc = bz_event_write_ref(txn, &ev, "credit_code.exception", code, NULL, today, txn->doc, note);
	}
	return bz_change_end(txn, rc);
}

/* ---- changes ---------------------------------------------------------------- */

static int fact_int(bz_txn *t, long long ev, const char *uuid, const char *attr, const char *date, int v)
{
	char buf[24];
	snprintf(buf, sizeof buf, "%d", v);
	return bz_fact_write(t, ev, uuid, attr, date, buf);
}

/* every name a unit ever bore, for the lookup by name (the change record keeps when) */
static int unit_name_add(bz_ledger *l, const char *unit, const char *name)
{
	static const char sql[] = "INSERT OR IGNORE INTO unit_name(name, unit) VALUES(?1,?2)";
	bz_st *st = bz_stmt(l, sql);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, name);
	bz_bind_text(st, 2, unit);
	return bz_step_done(l, st);
}

/* checks and writes of a new unit (establish and split) */
/* the authority is R6's to judge at commit, from the record's kind */
static int unit_create(bz_unit **out, bz_txn *t, const bz_unit_spec *s, const char *kind, const char *from_uuid)
{
	bz_ledger *l = t->l;
	char uuid[BZ_UUID_LEN + 1];
	char *jur = NULL;
	int rc;
	if ((rc = bz_jurisdiction_id(l, s->jurisdiction, &jur)) != BZ_OK)
		return rc;
	if (s->parent && (rc = unit_row(l, s->parent, NULL, NULL, NULL)) != BZ_OK)
		goto done;
	if (s->credit_code) {
		static const char sql[] = "SELECT 1 FROM unit WHERE credit_code=?1";
		bz_st *st = bz_stmt(l, sql);
		if (!st) {
			rc = bz_stmt_err();
			goto done;
		}
		bz_bind_text(st, 1, s->credit_code);
		bool taken = false;
		if ((rc = bz_step_exists(l, st, &taken)) != BZ_OK)
			goto done;
		if (taken) {
			rc = bz_fail(l, BZ_EEXISTS, "credit code %s belongs to another unit", s->credit_code);
			goto done;
		}
	}
	bz_uuid_new(uuid);
	{
		static const char sql[] = "INSERT INTO unit(id, jurisdiction, credit_code, founded) VALUES(?1,?2,?3,?4)";
		bz_st *st = bz_stmt(l, sql);
		if (!st) {
			rc = bz_stmt_err();
			goto done;
		}
		bz_bind_text(st, 1, uuid);
		bz_bind_text(st, 2, jur);
		bz_bind_text(st, 3, s->credit_code);
		bz_bind_text(st, 4, s->founded);
		if ((rc = bz_step_done(l, st)) != BZ_OK)
			goto done;
	}
	long long ev = 0;
	const char *d = s->founded;
	if ((rc = bz_event_write(t, &ev, kind, uuid, uuid, d, NULL)) != BZ_OK ||
	    (rc = bz_fact_write(t, ev, uuid, "name", d, s->name)) != BZ_OK ||
	    (rc = unit_name_add(l, uuid, s->name)) != BZ_OK ||
	    (rc = fact_int(t, ev, uuid, "nature", d, s->nature)) != BZ_OK ||
	    (rc = fact_int(t, ev, uuid, "funding", d, s->funding)) != BZ_OK ||
	    (rc = fact_int(t, ev, uuid, "rank", d, s->rank)) != BZ_OK ||
	    (rc = fact_int(t, ev, uuid, "canzong", d, s->canzong)) != BZ_OK ||
	    (rc = bz_fact_write(t, ev, uuid, "jurisdiction", d, s->jurisdiction)) != BZ_OK ||
	    (s->parent && (rc = bz_fact_write(t, ev, uuid, "parent", d, s->parent)) != BZ_OK) ||
	    (s->duties && (rc = bz_fact_write(t, ev, uuid, "duties", d, s->duties)) != BZ_OK) ||
	    (s->credit_code && (rc = bz_fact_write(t, ev, uuid, "credit_code", d, s->credit_code)) != BZ_OK) ||
	    (from_uuid && (rc = bz_fact_write(t, ev, uuid, "split_from", d, from_uuid)) != BZ_OK) ||
	    (rc = fact_int(t, ev, uuid, "status", d, BZ_UNIT_ACTIVE)) != BZ_OK)
		goto done;
	if (from_uuid) {
		char note[128];
		snprintf(note, sizeof note, "分设 %s", uuid);
		if ((rc = bz_event_write(t, &ev, "unit.split", from_uuid, from_uuid, d, note)) != BZ_OK ||
		    (rc = bz_fact_write(t, ev, from_uuid, "split_off", d, uuid)) != BZ_OK)
			goto done;
	}
	if (out)
		rc = unit_snapshot(out, l, uuid, d);
done:
	bz__free(jur);
	return rc;
}

static int spec_complete(bz_ledger *l, const bz_unit_spec *s)
{
	if (!s->name || !s->nature || !s->jurisdiction || !s->founded)
		return bz_fail(l, BZ_EINVAL, "a unit spec needs name, nature, jurisdiction and founding date");
	return BZ_OK;
}

BZ_EXTERN int bz_unit_establish(bz_unit **out, bz_txn *txn, const bz_unit_spec *spec)
{
	if (out)
		*out = NULL;
	if (!txn || !spec)
		return txn && txn->l ? bz_fail(txn->l, BZ_EINVAL, "NULL unit spec") : BZ_EINVAL;
	if (!txn->l)
		return BZ_EMISUSE;
	int rc = spec_complete(txn->l, spec);
	if (rc != BZ_OK)
		return rc;
	if ((rc = bz_change_begin(txn)) != BZ_OK)
		return rc;
	rc = unit_create(out, txn, spec, "unit.establish", NULL);
	rc = bz_change_end(txn, rc);
	if (rc != BZ_OK && out && *out) {
		bz_unit_free(*out);
		*out = NULL;
	}
	return rc;
}

BZ_EXTERN int bz_unit_split(bz_unit **out, bz_txn *txn, const char *from_uuid, const bz_unit_spec *spec)
{
	if (out)
		*out = NULL;
	if (!txn)
		return BZ_EINVAL;
	bz_ledger *l = txn->l;
	if (!l)
		return BZ_EMISUSE;
	if (!spec || !bz_uuid_ok(from_uuid))
		return bz_fail(l, BZ_EINVAL, "split needs the source unit's UUID and a spec");
	int rc = spec_complete(l, spec);
	if (rc != BZ_OK)
		return rc;
	if ((rc = bz_change_begin(txn)) != BZ_OK)
		return rc;
	if ((rc = unit_row(l, from_uuid, NULL, NULL, NULL)) == BZ_OK)
		rc = unit_create(out, txn, spec, "unit.establish", from_uuid);
	rc = bz_change_end(txn, rc);
	if (rc != BZ_OK && out && *out) {
		bz_unit_free(*out);
		*out = NULL;
	}
	return rc;
}

/* common frame of a change to one attribute of an existing unit */
static int unit_change(bz_txn *txn, const char *unit_uuid, const char *date, const char *kind, const char *attr,
		       const char *value)
{
	if (!txn)
		return BZ_EINVAL;
	bz_ledger *l = txn->l;
	if (!l)
		return BZ_EMISUSE;
	if (!bz_uuid_ok(unit_uuid))
		return bz_fail(l, BZ_EINVAL, "not a unit UUID");
	if (!bz_date_ok(date))
		return bz_fail(l, BZ_EINVAL, "not a valid date: expected YYYY-MM-DD");
	int rc = bz_change_begin(txn);
	if (rc != BZ_OK)
		return rc;
	long long ev = 0;
	if ((rc = unit_row(l, unit_uuid, NULL, NULL, NULL)) != BZ_OK ||
	    (rc = bz_event_write(txn, &ev, kind, unit_uuid, unit_uuid, date, NULL)) != BZ_OK ||
	    (rc = bz_fact_write(txn, ev, unit_uuid, attr, date, value)) != BZ_OK ||
	    (strcmp(attr, "name") == 0 && (rc = unit_name_add(l, unit_uuid, value)) != BZ_OK))
		goto done;
	/* a rank change re-examines the sub-units (R3: each below its unit) */
	if (strcmp(attr, "rank") == 0)
		rc = bz_txn_touch(txn, BZ_TOUCH_SUBUNITS, unit_uuid, NULL, date);
done:
	return bz_change_end(txn, rc);
}

BZ_EXTERN int bz_unit_rename(bz_txn *txn, const char *unit_uuid, const char *name, const char *date)
{
	if (txn && txn->l && !bz_text_ok(name))
		return bz_fail(txn->l, BZ_EINVAL, "a unit's name is non-empty UTF-8");
	if (!name)
		return BZ_EINVAL;
	return unit_change(txn, unit_uuid, date, "unit.rename", "name", name);
}

BZ_EXTERN int bz_unit_set_rank(bz_txn *txn, const char *unit_uuid, int rank, const char *date)
{
	if (rank < BZ_RANK_NONE || rank > BZ_RANK_ZHENGBU)
		return txn && txn->l ? bz_fail(txn->l, BZ_EINVAL, "rank %d is not one of bz_rank", rank) : BZ_EINVAL;
	char buf[8];
	snprintf(buf, sizeof buf, "%d", rank);
	return unit_change(txn, unit_uuid, date, "unit.rank", "rank", buf);
}

BZ_EXTERN int bz_unit_set_funding(bz_txn *txn, const char *unit_uuid, int funding, const char *date)
{
	if (funding < BZ_FUNDING_FULL || funding > BZ_FUNDING_ENTERPRISE)
		return txn && txn->l ? bz_fail(txn->l, BZ_EINVAL, "funding %d is not one of bz_funding", funding) : BZ_EINVAL;
	char buf[8];
	snprintf(buf, sizeof buf, "%d", funding);
	return unit_change(txn, unit_uuid, date, "unit.funding", "funding", buf);
}

BZ_EXTERN int bz_unit_set_duties(bz_txn *txn, const char *unit_uuid, const char *duties, const char *date)
{
	if (!duties || !bz_utf8_valid(duties))
		return txn && txn->l ? bz_fail(txn->l, BZ_EINVAL, "duties must be UTF-8 text") : BZ_EINVAL;
	return unit_change(txn, unit_uuid, date, "unit.duties", "duties", duties);
}

BZ_EXTERN int bz_unit_set_credit_code(bz_txn *txn, const char *unit_uuid, const char *code, const char *date)
{
	if (!txn)
		return BZ_EINVAL;
	bz_ledger *l = txn->l;
	if (!l)
		return BZ_EMISUSE;
	char buf[19] = "";
	if (code && strlen(code) == 18) {
		for (int i = 0; i < 18; i++)
			buf[i] = (code[i] >= 'a' && code[i] <= 'z') ? (char)(code[i] - 'a' + 'A') : code[i];
		buf[18] = '\0';
	}
	if (!bz_credit_code_shape_ok(buf))
		return bz_fail(l, BZ_EINVAL,
			       "not a unified social credit code (18 characters of GB 32100, positions 3–8 digits)");
	if (!bz_uuid_ok(unit_uuid))
		return bz_fail(l, BZ_EINVAL, "not a unit UUID");
	if (!bz_date_ok(date))
		return bz_fail(l, BZ_EINVAL, "not a valid date: expected YYYY-MM-DD from %s to %s", BZ_DATE_MIN,
			       BZ_DATE_MAX);
	char *held = NULL;
	int rc = unit_row(l, unit_uuid, NULL, &held, NULL);
	if (rc != BZ_OK)
		return rc;
	bool same = held && strcmp(held, buf) == 0;
	bz__free(held);
	if (same)
		return bz_fail(l, BZ_EINVAL, "unit %s already holds credit code %s", unit_uuid, buf);
	static const char taken_sql[] = "SELECT 1 FROM unit WHERE credit_code=?1";
	bz_st *st = bz_stmt(l, taken_sql);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, buf);
	bool taken = false;
	if ((rc = bz_step_exists(l, st, &taken)) != BZ_OK)
		return rc;
	if (taken)
		return bz_fail(l, BZ_EEXISTS, "credit code %s belongs to another unit", buf);
	if ((rc = bz_change_begin(txn)) != BZ_OK)
		return rc;
	/* the unit row holds the code in force (unique, what a lookup by code finds); the fact dates it */
	static const char set_sql[] = "UPDATE unit SET credit_code=?2 WHERE id=?1";
	long long ev = 0;
	if ((rc = bz_event_write(txn, &ev, "unit.credit_code", unit_uuid, unit_uuid, date, NULL)) == BZ_OK &&
	    (rc = bz_fact_write(txn, ev, unit_uuid, "credit_code", date, buf)) == BZ_OK) {
		if (!(st = bz_stmt(l, set_sql)))
			rc = bz_stmt_err();
		else {
			bz_bind_text(st, 1, unit_uuid);
			bz_bind_text(st, 2, buf);
			rc = bz_step_done(l, st);
		}
	}
	return bz_change_end(txn, rc);
}

BZ_EXTERN int bz_unit_set_parent(bz_txn *txn, const char *unit_uuid, const char *parent_uuid, const char *date)
{
	if (!txn)
		return BZ_EINVAL;
	bz_ledger *l = txn->l;
	if (!l)
		return BZ_EMISUSE;
	if (parent_uuid && (!bz_uuid_ok(parent_uuid) || (unit_uuid && strcmp(parent_uuid, unit_uuid) == 0)))
		return bz_fail(l, BZ_EINVAL, "the supervising unit must be another unit's UUID");
	if (parent_uuid) {
		int rc = unit_row(l, parent_uuid, NULL, NULL, NULL);
		if (rc != BZ_OK)
			return rc;
	}
	return unit_change(txn, unit_uuid, date, "unit.parent", "parent", parent_uuid);
}

/* the end of a unit: abolish (status 2) or merge (status 3, into) */
static int unit_cease(bz_txn *txn, const char *unit_uuid, const char *into, const char *date)
{
	if (!txn)
		return BZ_EINVAL;
	bz_ledger *l = txn->l;
	if (!l)
		return BZ_EMISUSE;
	if (!bz_uuid_ok(unit_uuid) || (into && (!bz_uuid_ok(into) || strcmp(into, unit_uuid) == 0)))
		return bz_fail(l, BZ_EINVAL, "not a unit UUID (or a unit merged into itself)");
	if (!bz_date_ok(date))
		return bz_fail(l, BZ_EINVAL, "not a valid date: expected YYYY-MM-DD");
	int rc = bz_change_begin(txn);
	if (rc != BZ_OK)
		return rc;
	long long ev = 0;
	if ((rc = unit_row(l, unit_uuid, NULL, NULL, NULL)) != BZ_OK ||
	    (into && (rc = unit_row(l, into, NULL, NULL, NULL)) != BZ_OK) ||
	    (rc = bz_event_write(txn, &ev, into ? "unit.merge" : "unit.abolish", unit_uuid, unit_uuid, date, NULL)) != BZ_OK ||
	    (rc = fact_int(txn, ev, unit_uuid, "status", date, into ? BZ_UNIT_MERGED : BZ_UNIT_ABOLISHED)) != BZ_OK ||
	    (into && (rc = bz_fact_write(txn, ev, unit_uuid, "merged_into", date, into)) != BZ_OK))
		goto done;
	if (into) {
		/* the absorbing unit's Table 2 notes the merger too */
		char note[64];
		snprintf(note, sizeof note, "合并 %s", unit_uuid);
		if ((rc = bz_event_write(txn, &ev, "unit.absorb", into, into, date, note)) != BZ_OK)
			goto done;
	}
	rc = bz_txn_touch(txn, BZ_TOUCH_UNIT_LIFE, unit_uuid, NULL, date);
done:
	return bz_change_end(txn, rc);
}

BZ_EXTERN int bz_unit_merge(bz_txn *txn, const char *unit_uuid, const char *into_uuid, const char *date)
{
	if (!into_uuid)
		return txn && txn->l ? bz_fail(txn->l, BZ_EINVAL, "merge needs the unit merged into") : BZ_EINVAL;
	return unit_cease(txn, unit_uuid, into_uuid, date);
}

BZ_EXTERN int bz_unit_abolish(bz_txn *txn, const char *unit_uuid, const char *date)
{
	return unit_cease(txn, unit_uuid, NULL, date);
}

/* ---- fields ------------------------------------------------------------------ */

BZ_EXTERN const char *bz_unit_uuid(const bz_unit *u) { return u ? u->uuid : NULL; }
BZ_EXTERN const char *bz_unit_name(const bz_unit *u) { return u ? u->name : NULL; }
BZ_EXTERN int bz_unit_nature(const bz_unit *u) { return u ? u->nature : 0; }
BZ_EXTERN int bz_unit_funding(const bz_unit *u) { return u ? u->funding : 0; }
BZ_EXTERN int bz_unit_rank(const bz_unit *u) { return u ? u->rank : 0; }
BZ_EXTERN int bz_unit_canzong(const bz_unit *u) { return u ? u->canzong : 0; }
BZ_EXTERN const char *bz_unit_parent(const bz_unit *u) { return u ? u->parent : NULL; }
BZ_EXTERN const char *bz_unit_jurisdiction(const bz_unit *u) { return u ? u->jurisdiction : NULL; }
BZ_EXTERN const char *bz_unit_credit_code(const bz_unit *u) { return u ? u->credit_code : NULL; }
BZ_EXTERN const char *bz_unit_duties(const bz_unit *u) { return u ? u->duties : NULL; }
BZ_EXTERN const char *bz_unit_founded(const bz_unit *u) { return u ? u->founded : NULL; }
BZ_EXTERN const char *bz_unit_ended(const bz_unit *u) { return u ? u->ended : NULL; }
BZ_EXTERN int bz_unit_status(const bz_unit *u) { return u ? u->status : 0; }
BZ_EXTERN const char *bz_unit_merged_into(const bz_unit *u) { return u ? u->merged_into : NULL; }
BZ_EXTERN const char *bz_unit_as_of(const bz_unit *u) { return u ? u->as_of : NULL; }

int bz_unit_exists(bz_ledger *l, const char *unit_uuid)
{
	static const char sql[] = "SELECT 1 FROM unit WHERE id=?1";
	bz_st *st = bz_stmt(l, sql);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, unit_uuid);
	int rc = bz_step(st);
	bz_st_reset(st);
	if (rc == SQLITE_ROW)
		return BZ_OK;
	return rc == SQLITE_DONE ? bz_fail(l, BZ_ENOTFOUND, "no unit %s", unit_uuid) : bz_sqlfail(l, rc);
}

/* ---- attributes: what a sheet holds that the ledger has no field for (import.h) */

BZ_EXTERN int bz_unit_set_attr(bz_txn *txn, const char *unit_uuid, const char *key, const char *value,
			       const char *date)
{
	if (!txn)
		return BZ_EINVAL;
	if (!txn->l)
		return BZ_EMISUSE;
	bz_ledger *l = txn->l;
	if (!bz_uuid_ok(unit_uuid) || !bz_text_ok(key) || strlen(key) > 200 || (value && !bz_utf8_valid(value)) ||
	    (date && !bz_date_ok(date)))
		return bz_fail(l, BZ_EINVAL, "an attribute needs a unit, a non-empty key, UTF-8 value and a valid date");
	char today[BZ_DATE_LEN + 1], attr[256];
	bz_today(l, today);
	snprintf(attr, sizeof attr, "attr:%s", key);
	int rc = bz_change_begin(txn);
	if (rc != BZ_OK)
		return rc;
	long long ev;
	rc = bz_unit_exists(l, unit_uuid);
	if (rc == BZ_OK)
		rc = bz_event_write_ref(txn, &ev, "unit.attr", unit_uuid, unit_uuid, date ? date : today, txn->doc, key);
	if (rc == BZ_OK)
		rc = bz_fact_write(txn, ev, unit_uuid, attr, date ? date : today, value);
	return bz_change_end(txn, rc);
}

BZ_EXTERN int bz_unit_attr_get(char **out, bz_ledger *ledger, const char *unit_uuid, const char *key,
			       const char *date)
{
	if (!out)
		return BZ_EINVAL;
	*out = NULL;
	if (!ledger)
		return BZ_EINVAL;
	if (!bz_uuid_ok(unit_uuid) || !bz_text_ok(key) || strlen(key) > 200 || (date && !bz_date_ok(date)))
		return bz_fail(ledger, BZ_EINVAL, "an attribute needs a unit UUID, a non-empty key and a valid date");
	char buf[BZ_DATE_LEN + 1], attr[256];
	snprintf(attr, sizeof attr, "attr:%s", key);
	return bz_fact_at(ledger, out, unit_uuid, attr, bz_date_or_today(ledger, date, buf));
}
