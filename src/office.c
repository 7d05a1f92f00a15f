/*
 * office.c: the offices of a ledger and what each kind may do (office.h).
 * An office is registered once by a change record (office.register) and
 * never changed; the powers are rule parameters "power.<type>.<power>"
 * (params.c), judged like the others by R6; R15 (rules_office.c) judges
 * the acting office of every transaction at commit.
 */
#include "rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct bz_office {
	char *uuid, *name, *jurisdiction, *registered;
	int kind, level;
};

BZ_EXTERN const char *bz_office_type_code(int type) { return bz_office_type_code_of(type); }
BZ_EXTERN const char *bz_office_type_name(int type) { return bz_office_type_name_of(type); }
BZ_EXTERN const char *bz_power_code(int power) { return bz_power_code_of(power); }

BZ_EXTERN void bz_office_free(bz_office *o)
{
	if (!o)
		return;
	bz__free(o->uuid);
	bz__free(o->name);
	bz__free(o->jurisdiction);
	bz__free(o->registered);
	bz__free(o);
}

/* columns: id, name, jurisdiction code, kind, level, registered */
static int office_from_row(void **out, bz_st *st, bz_ledger *l)
{
	bz_office *o = bz__calloc(1, sizeof *o);
	if (!o)
		return bz_fail(l, BZ_ENOMEM, "out of memory");
	bool ok = true;
	o->uuid = bz_col_strdup(st, 0, &ok);
	o->name = bz_col_strdup(st, 1, &ok);
	o->jurisdiction = bz_col_strdup(st, 2, &ok);
	o->kind = bz_st_column_int(st, 3);
	o->level = bz_st_column_int(st, 4);
	o->registered = bz_col_strdup(st, 5, &ok);
	if (!ok || !o->uuid || !o->name || !o->jurisdiction || !o->registered) {
		bz_office_free(o);
		return bz_fail(l, BZ_ENOMEM, "out of memory");
	}
	*out = o;
	return BZ_OK;
}

#define OFFICE_COLS "SELECT o.id, o.name, j.code, o.kind, j.level, o.registered FROM office o" \
	" JOIN jurisdiction j ON j.id=o.jurisdiction "

static int office_one(bz_office **out, bz_ledger *l, const char *sql, const char *key)
{
	bz_st *st = bz_stmt(l, sql);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, key);
	int rc = bz_step(st), ret;
	if (rc == SQLITE_ROW)
		ret = office_from_row((void **)out, st, l);
	else if (rc == SQLITE_DONE)
		ret = bz_fail(l, BZ_ENOTFOUND, "no office %s in the ledger", key);
	else
		ret = bz_sqlfail(l, rc);
	bz_st_reset(st);
	return ret == BZ_OK ? bz_ok(l) : ret;
}

BZ_EXTERN int bz_office_lookup(bz_office **out, bz_ledger *ledger, const char *uuid)
{
	if (!out)
		return BZ_EINVAL;
	*out = NULL;
	if (!ledger)
		return BZ_EINVAL;
	if (!bz_uuid_ok(uuid))
		return bz_fail(ledger, BZ_EINVAL, "an office is looked up by its UUID");
	static const char sql[] = OFFICE_COLS "WHERE o.id=?1";
	return office_one(out, ledger, sql, uuid);
}

BZ_EXTERN int bz_office_find(bz_office **out, bz_ledger *ledger, const char *name)
{
	if (!out)
		return BZ_EINVAL;
	*out = NULL;
	if (!ledger)
		return BZ_EINVAL;
	if (!bz_text_ok(name) || strlen(name) > BZ_OFFICE_NAME_MAX)
		return bz_fail(ledger, BZ_EINVAL, "an office's name is non-empty UTF-8 of at most %d bytes",
			       BZ_OFFICE_NAME_MAX);
	static const char sql[] = OFFICE_COLS "WHERE o.name=?1";
	return office_one(out, ledger, sql, name);
}

static bool digits6(const char *s)
{
	if (!s || strlen(s) != 6)
		return false;
	for (int i = 0; i < 6; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

BZ_EXTERN int bz_office_register(bz_office **out, bz_txn *txn, const char *name, const char *jurisdiction_code,
				 int kind)
{
	if (out)
		*out = NULL;
	if (!txn)
		return BZ_EINVAL;
	if (!txn->open || !txn->l)
		return bz_change_begin(txn);
	bz_ledger *l = txn->l;
	if (!bz_text_ok(name) || strlen(name) > BZ_OFFICE_NAME_MAX)
		return bz_fail(l, BZ_EINVAL, "an office needs a name: non-empty UTF-8 of at most %d bytes",
			       BZ_OFFICE_NAME_MAX);
	if (!digits6(jurisdiction_code))
		return bz_fail(l, BZ_EINVAL, "an office's jurisdiction is a 6-digit division code, e.g. 621200");
	if (!bz_office_type_code_of(kind))
		return bz_fail(l, BZ_EINVAL, "unknown kind of office %d (bz_office_type: 1 编办, 2 组织部, 3 人社, 4 财政)",
			       kind);
	char *jur = NULL;
	int rc = bz_jurisdiction_id(l, jurisdiction_code, &jur);
	if (rc != BZ_OK)
		return rc;
	bz_office *found = NULL;
	static const char sql_name[] = OFFICE_COLS "WHERE o.name=?1";
	if ((rc = office_one(&found, l, sql_name, name)) != BZ_ENOTFOUND) {
		bz_office_free(found);
		bz__free(jur);
		return rc == BZ_OK ? bz_fail(l, BZ_EEXISTS, "the ledger has an office %s already", name) : rc;
	}
	if ((rc = bz_change_begin(txn)) != BZ_OK) {
		bz__free(jur);
		return rc;
	}
	char uuid[BZ_UUID_LEN + 1], today[BZ_DATE_LEN + 1], kindtext[4];
	bz_uuid_new(uuid);
	bz_today(l, today);
	snprintf(kindtext, sizeof kindtext, "%d", kind);
	long long ev = 0;
	static const char sql[] =
		"INSERT INTO office(id, name, jurisdiction, kind, registered, event) VALUES(?1,?2,?3,?4,?5,?6)";
	bz_st *st = NULL;
	if ((rc = bz_event_write_ref(txn, &ev, "office.register", uuid, NULL, today, txn->doc, name)) != BZ_OK ||
	    (rc = bz_fact_write_first(txn, ev, uuid, "name", today, name)) != BZ_OK ||
	    (rc = bz_fact_write_first(txn, ev, uuid, "jurisdiction", today, jurisdiction_code)) != BZ_OK ||
	    (rc = bz_fact_write_first(txn, ev, uuid, "kind", today, kindtext)) != BZ_OK)
		goto done;
	if (!(st = bz_stmt(l, sql))) {
		rc = bz_stmt_err();
		goto done;
	}
	bz_bind_text(st, 1, uuid);
	bz_bind_text(st, 2, name);
	bz_bind_text(st, 3, jur);
	bz_st_bind_int(st, 4, kind);
	bz_bind_text(st, 5, today);
	bz_st_bind_int64(st, 6, ev);
	if ((rc = bz_step_done(l, st)) != BZ_OK)
		goto done;
	if (out) {
		static const char sql_id[] = OFFICE_COLS "WHERE o.id=?1";
		rc = office_one(out, l, sql_id, uuid);
	}
done:
	bz__free(jur);
	rc = bz_change_end(txn, rc);
	if (rc != BZ_OK && out && *out) {
		bz_office_free(*out);
		*out = NULL;
	}
	return rc;
}

BZ_EXTERN int bz_office_list(bz_office_iter **out, bz_ledger *ledger, const char *jurisdiction_code)
{
	if (!out)
		return BZ_EINVAL;
	*out = NULL;
	if (!ledger)
		return BZ_EINVAL;
	if (jurisdiction_code && !digits6(jurisdiction_code))
		return bz_fail(ledger, BZ_EINVAL, "a division code has 6 digits");
	static const char sql_all[] = OFFICE_COLS "ORDER BY o.event";
	static const char sql_jur[] = OFFICE_COLS "WHERE j.code=?1 ORDER BY o.event";
	bz_iter *it = NULL;
	int rc = bz_iter_new(&it, ledger, jurisdiction_code ? sql_jur : sql_all, office_from_row);
	if (rc != BZ_OK)
		return rc;
	if (jurisdiction_code)
		bz_bind_text(it->st, 1, jurisdiction_code);
	*out = (bz_office_iter *)it;
	return bz_ok(ledger);
}

BZ_EXTERN int bz_office_iter_next(bz_office **out, bz_office_iter *it)
{
	return bz_iter_next((void **)out, (bz_iter *)it);
}

BZ_EXTERN void bz_office_iter_free(bz_office_iter *it) { bz_iter_free((bz_iter *)it); }

BZ_EXTERN const char *bz_office_uuid(const bz_office *o) { return o ? o->uuid : NULL; }
BZ_EXTERN const char *bz_office_name(const bz_office *o) { return o ? o->name : NULL; }
BZ_EXTERN const char *bz_office_jurisdiction(const bz_office *o) { return o ? o->jurisdiction : NULL; }
BZ_EXTERN int bz_office_kind(const bz_office *o) { return o ? o->kind : 0; }
BZ_EXTERN int bz_office_level(const bz_office *o) { return o ? o->level : 0; }
BZ_EXTERN const char *bz_office_registered(const bz_office *o) { return o ? o->registered : NULL; }

/* ---- powers --------------------------------------------------------------------- */

BZ_EXTERN int bz_office_power_set(bz_txn *txn, int kind, int power, int allowed, const char *date)
{
	if (!txn)
		return BZ_EINVAL;
	if (!txn->open || !txn->l)
		return bz_change_begin(txn);
	if (!bz_office_type_code_of(kind) || !bz_power_code_of(power) || (allowed != 0 && allowed != 1))
		return bz_fail(txn->l, BZ_EINVAL,
			       "a power is set for a kind of office (bz_office_type), a power (bz_power) and allowed 0 or 1");
	char name[48];
	bz_power_param_name(name, kind, power);
	return bz_rule_param_set(txn, name, allowed ? "1" : "0", date);
}

BZ_EXTERN int bz_office_power_get(int *allowed, bz_ledger *ledger, int kind, int power, const char *date)
{
	if (!allowed)
		return BZ_EINVAL;
	*allowed = 0;
	if (!ledger)
		return BZ_EINVAL;
	if (!bz_office_type_code_of(kind) || !bz_power_code_of(power))
		return bz_fail(ledger, BZ_EINVAL, "unknown kind of office (bz_office_type) or power (bz_power)");
	char name[48], *v = NULL;
	bz_power_param_name(name, kind, power);
	int rc = bz_rule_param_get(&v, ledger, name, date);
	if (rc == BZ_OK)
		*allowed = v && strcmp(v, "1") == 0;
	bz__free(v);
	return rc;
}

BZ_EXTERN int bz_txn_begin_office(bz_txn **out, bz_ledger *ledger, const char *user, const char *office_uuid)
{
	if (!out)
		return BZ_EINVAL;
	*out = NULL;
	if (!ledger)
		return BZ_EINVAL;
	if (!bz_text_ok(user))
		return bz_fail(ledger, BZ_EINVAL, "a transaction needs the acting user (non-empty UTF-8)");
	if (ledger->readonly)
		return bz_fail(ledger, BZ_EIO, "the ledger was opened read-only");
	bz_office *o = NULL;
	int rc = bz_office_lookup(&o, ledger, office_uuid);
	if (rc != BZ_OK)
		return rc;
	rc = bz_txn_begin(out, ledger, user, o->name);
	bz_office_free(o);
	return rc;
}
