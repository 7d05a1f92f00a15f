/*
 * jurisdiction.c: the tree of jurisdictions by 6-digit division code.
 * Jurisdictions are reference data: their change records cite the
 * transaction's document if there is one, but do not demand one.
 */
#include "catalogue.h"

#include <stdlib.h>
#include <string.h>

struct bz_jurisdiction {
	char *uuid, *code, *name, *parent;
	int level;
};

static bool digits6(const char *s)
{
	if (!s || strlen(s) != 6)
		return false;
	for (int i = 0; i < 6; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* level from the trailing zeros; 0 if the code is not a division code */
static int code_level(const char *code)
{
	if (!digits6(code) || strncmp(code, "00", 2) == 0)
		return 0;
	if (strcmp(code + 2, "0000") == 0)
		return BZ_LEVEL_PROVINCE;
	if (strncmp(code + 2, "00", 2) == 0)
		return 0; /* XX00ZZ is no division */
	if (strcmp(code + 4, "00") == 0)
		return BZ_LEVEL_CITY;
	return BZ_LEVEL_COUNTY;
}

BZ_EXTERN void bz_jurisdiction_free(bz_jurisdiction *j)
{
	if (!j)
		return;
	bz__free(j->uuid);
	bz__free(j->code);
	bz__free(j->name);
	bz__free(j->parent);
	bz__free(j);
}

/* columns: id, code, name, parent code, level */
static int jur_from_row(void **out, bz_st *st, bz_ledger *l)
{
	bz_jurisdiction *j = bz__calloc(1, sizeof *j);
	if (!j)
		return bz_fail(l, BZ_ENOMEM, "out of memory");
	bool ok = true;
	j->uuid = bz_col_strdup(st, 0, &ok);
	j->code = bz_col_strdup(st, 1, &ok);
	j->name = bz_col_strdup(st, 2, &ok);
	j->parent = bz_col_strdup(st, 3, &ok);
	j->level = bz_st_column_int(st, 4);
	if (!ok || !j->uuid || !j->code || !j->name) {
		bz_jurisdiction_free(j);
		return bz_fail(l, BZ_ENOMEM, "out of memory");
	}
	*out = j;
	return BZ_OK;
}

#define JUR_COLS "SELECT j.id, j.code, j.name, p.code, j.level FROM jurisdiction j" \
	" LEFT JOIN jurisdiction p ON p.id=j.parent "

BZ_EXTERN int bz_jurisdiction_lookup(bz_jurisdiction **out, bz_ledger *ledger, const char *code)
{
	if (!out)
		return BZ_EINVAL;
	*out = NULL;
	if (!ledger)
		return BZ_EINVAL;
	if (!digits6(code))
		return bz_fail(ledger, BZ_EINVAL, "a division code has 6 digits");
	static const char sql[] = JUR_COLS "WHERE j.code=?1";
	bz_st *st = bz_stmt(ledger, sql);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, code);
	int rc = bz_step(st);
	int ret;
	if (rc == SQLITE_ROW)
		ret = jur_from_row((void **)out, st, ledger);
	else if (rc == SQLITE_DONE)
		ret = bz_fail(ledger, BZ_ENOTFOUND, "no jurisdiction %s in the ledger", code);
	else
		ret = bz_sqlfail(ledger, rc);
	bz_st_reset(st);
	return ret == BZ_OK ? bz_ok(ledger) : ret;
}

int bz_jurisdiction_id(bz_ledger *l, const char *code, char **uuid)
{
	*uuid = NULL;
	static const char sql[] = "SELECT id FROM jurisdiction WHERE code=?1";
	bz_st *st = bz_stmt(l, sql);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, code);
	int rc = bz_step(st);
	int ret = BZ_OK;
	bool ok = true;
	if (rc == SQLITE_ROW) {
		*uuid = bz_col_strdup(st, 0, &ok);
		if (!ok || !*uuid)
			ret = bz_fail(l, BZ_ENOMEM, "out of memory");
	} else if (rc == SQLITE_DONE) {
		ret = bz_fail(l, BZ_ENOTFOUND, "no jurisdiction %s in the ledger", code);
	} else {
		ret = bz_sqlfail(l, rc);
	}
	bz_st_reset(st);
	return ret;
}

BZ_EXTERN int bz_jurisdiction_create(bz_jurisdiction **out, bz_txn *txn, const char *code,
				     const char *name, const char *parent_code)
{
	if (out)
		*out = NULL;
	if (!txn)
		return BZ_EINVAL;
	bz_ledger *l = txn->l;
	if (!l)
		return BZ_EMISUSE;
	int level = code_level(code);
	if (!level)
		return bz_fail(l, BZ_EINVAL, "not a division code: expected 6 digits, e.g. 621200");
	if (!bz_text_ok(name))
		return bz_fail(l, BZ_EINVAL, "a jurisdiction needs a name (non-empty UTF-8)");
	if (level == BZ_LEVEL_PROVINCE && parent_code)
		return bz_fail(l, BZ_EINVAL, "a province (%s) has no parent jurisdiction", code);
	if (level != BZ_LEVEL_PROVINCE) {
		if (!parent_code)
			return bz_fail(l, BZ_EINVAL, "jurisdiction %s needs its parent", code);
		size_t prefix = level == BZ_LEVEL_CITY ? 2 : 4;
		if (code_level(parent_code) != level - 1 || strncmp(code, parent_code, prefix) != 0)
			return bz_fail(l, BZ_EINVAL, "%s cannot be the parent of %s: one level up with the same prefix",
				       digits6(parent_code) ? parent_code : "?", code);
	}
	int rc = bz_change_begin(txn);
	if (rc != BZ_OK)
		return rc;
	char *parent = NULL;
	char uuid[BZ_UUID_LEN + 1], today[BZ_DATE_LEN + 1];
	if (parent_code && (rc = bz_jurisdiction_id(l, parent_code, &parent)) != BZ_OK)
		goto done;
	{
		static const char sql[] = "SELECT 1 FROM jurisdiction WHERE code=?1";
		bz_st *st = bz_stmt(l, sql);
		if (!st) {
			rc = bz_stmt_err();
			goto done;
		}
		bz_bind_text(st, 1, code);
		bool taken = false;
		if ((rc = bz_step_exists(l, st, &taken)) != BZ_OK)
			goto done;
		if (taken) {
			rc = bz_fail(l, BZ_EEXISTS, "jurisdiction %s already exists", code);
			goto done;
		}
	}
	bz_uuid_new(uuid);
	{
		static const char sql[] = "INSERT INTO jurisdiction(id, code, name, parent, level) VALUES(?1,?2,?3,?4,?5)";
		bz_st *st = bz_stmt(l, sql);
		if (!st) {
			rc = bz_stmt_err();
			goto done;
		}
		bz_bind_text(st, 1, uuid);
		bz_bind_text(st, 2, code);
		bz_bind_text(st, 3, name);
		bz_bind_text(st, 4, parent);
		bz_st_bind_int(st, 5, level);
		if ((rc = bz_step_done(l, st)) != BZ_OK)
			goto done;
	}
	bz_today(l, today);
	long long ev = 0;
	if ((rc = bz_event_write_ref(txn, &ev, "jurisdiction.create", uuid, NULL, today, txn->doc, NULL)) != BZ_OK ||
	    (rc = bz_fact_write(txn, ev, uuid, "code", today, code)) != BZ_OK ||
	    (rc = bz_fact_write(txn, ev, uuid, "name", today, name)) != BZ_OK)
		goto done;
	if (out)
		rc = bz_jurisdiction_lookup(out, l, code);
done:
	bz__free(parent);
	rc = bz_change_end(txn, rc);
	if (rc != BZ_OK && out && *out) {
		bz_jurisdiction_free(*out);
		*out = NULL;
	}
	return rc;
}

BZ_EXTERN int bz_jurisdiction_children(bz_jurisdiction_iter **out, bz_ledger *ledger, const char *parent_code)
{
	if (!out)
		return BZ_EINVAL;
	*out = NULL;
	if (!ledger)
		return BZ_EINVAL;
	if (parent_code && !digits6(parent_code))
		return bz_fail(ledger, BZ_EINVAL, "a division code has 6 digits");
	char *parent = NULL;
	if (parent_code) {
		int rc = bz_jurisdiction_id(ledger, parent_code, &parent);
		if (rc != BZ_OK)
			return rc;
	}
	static const char sql_children[] = JUR_COLS "WHERE j.parent=?1 ORDER BY j.code";
	static const char sql_top[] = JUR_COLS "WHERE j.parent IS NULL ORDER BY j.code";
	bz_iter *it = NULL;
	int rc = bz_iter_new(&it, ledger, parent ? sql_children : sql_top, jur_from_row);
	if (rc == BZ_OK && parent)
		bz_bind_text(it->st, 1, parent);
	bz__free(parent);
	if (rc != BZ_OK)
		return rc;
	*out = (bz_jurisdiction_iter *)it;
	return bz_ok(ledger);
}

BZ_EXTERN int bz_jurisdiction_iter_next(bz_jurisdiction **out, bz_jurisdiction_iter *it)
{
	return bz_iter_next((void **)out, (bz_iter *)it);
}

BZ_EXTERN void bz_jurisdiction_iter_free(bz_jurisdiction_iter *it)
{
	bz_iter_free((bz_iter *)it);
}

BZ_EXTERN const char *bz_jurisdiction_uuid(const bz_jurisdiction *j) { return j ? j->uuid : NULL; }
BZ_EXTERN const char *bz_jurisdiction_code(const bz_jurisdiction *j) { return j ? j->code : NULL; }
BZ_EXTERN const char *bz_jurisdiction_name(const bz_jurisdiction *j) { return j ? j->name : NULL; }
BZ_EXTERN const char *bz_jurisdiction_parent(const bz_jurisdiction *j) { return j ? j->parent : NULL; }
BZ_EXTERN int bz_jurisdiction_level(const bz_jurisdiction *j) { return j ? j->level : 0; }
