/*
 * timeline.c: reading attribute timelines (fact rows) and keeping the
 * derived counter timelines (tl rows).
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

/* date NULL means "the latest": '9999-12-31' compares after every real date */
#define END_OF_TIME "9999-12-31"

int bz_fact_at(bz_ledger *l, char **out, const char *subject, const char *attr, const char *date)
{
	static const char sql[] =
		"SELECT after FROM fact WHERE subject=?1 AND attr=?2 AND effective<=?3"
		" ORDER BY effective DESC, event DESC LIMIT 1";
	*out = NULL;
	sqlite3_stmt *st = bz_stmt(l, sql);
	if (!st)
		return BZ_ERROR;
	bz_bind_text(st, 1, subject);
	bz_bind_text(st, 2, attr);
	bz_bind_text(st, 3, date ? date : END_OF_TIME);
	int rc = sqlite3_step(st);
	int code = BZ_OK;
	if (rc == SQLITE_ROW) {
		bool ok = true;
		*out = bz_col_strdup(st, 0, &ok);
		if (!ok)
			code = bz_fail(l, BZ_ENOMEM, "out of memory");
	} else if (rc != SQLITE_DONE) {
		code = bz_sqlfail(l, rc);
	}
	sqlite3_reset(st);
	return code;
}

int bz_fact_int_at(bz_ledger *l, int64_t *out, const char *subject, const char *attr,
		   const char *date, int64_t dflt)
{
	char *s = NULL;
	int code = bz_fact_at(l, &s, subject, attr, date);
	*out = s ? strtoll(s, NULL, 10) : dflt;
	free(s);
	return code;
}

int bz_fact_next(bz_ledger *l, char buf[BZ_DATE_LEN + 1], bool *found, const char *subject,
		 const char *attr, const char *date)
{
	static const char sql[] =
		"SELECT min(effective) FROM fact WHERE subject=?1 AND attr=?2 AND effective>?3";
	*found = false;
	sqlite3_stmt *st = bz_stmt(l, sql);
	if (!st)
		return BZ_ERROR;
	bz_bind_text(st, 1, subject);
	bz_bind_text(st, 2, attr);
	bz_bind_text(st, 3, date);
	int rc = sqlite3_step(st);
	int code = BZ_OK;
	if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
		const char *d = (const char *)sqlite3_column_text(st, 0);
		if (d && strlen(d) == BZ_DATE_LEN) {
			memcpy(buf, d, BZ_DATE_LEN + 1);
			*found = true;
		}
	} else if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		code = bz_sqlfail(l, rc);
	}
	sqlite3_reset(st);
	return code;
}

int bz_tl_at(bz_ledger *l, int64_t *out, const char *key, const char *date)
{
	static const char sql[] =
		"SELECT value FROM tl WHERE key=?1 AND effective<=?2 ORDER BY effective DESC LIMIT 1";
	*out = 0;
	sqlite3_stmt *st = bz_stmt(l, sql);
	if (!st)
		return BZ_ERROR;
	bz_bind_text(st, 1, key);
	bz_bind_text(st, 2, date ? date : END_OF_TIME);
	int rc = sqlite3_step(st);
	int code = BZ_OK;
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	else if (rc != SQLITE_DONE)
		code = bz_sqlfail(l, rc);
	sqlite3_reset(st);
	return code;
}

/* make sure the step function has a breakpoint at date (value unchanged) */
static int tl_breakpoint(bz_ledger *l, const char *key, const char *date)
{
	int64_t v;
	int code = bz_tl_at(l, &v, key, date);
	if (code != BZ_OK)
		return code;
	static const char sql[] = "INSERT OR IGNORE INTO tl(key, effective, value) VALUES(?1,?2,?3)";
	sqlite3_stmt *st = bz_stmt(l, sql);
	if (!st)
		return BZ_ERROR;
	bz_bind_text(st, 1, key);
	bz_bind_text(st, 2, date);
	sqlite3_bind_int64(st, 3, v);
	return bz_step_done(l, st);
}

int bz_tl_add(bz_ledger *l, const char *key, const char *from, const char *to, int64_t delta)
{
	if (delta == 0 || (to && strcmp(to, from) <= 0))
		return BZ_OK;
	int code = tl_breakpoint(l, key, from);
	if (code == BZ_OK && to)
		code = tl_breakpoint(l, key, to);
	if (code != BZ_OK)
		return code;
	static const char sql[] =
		"UPDATE tl SET value=value+?4 WHERE key=?1 AND effective>=?2 AND effective<?3";
	sqlite3_stmt *st = bz_stmt(l, sql);
	if (!st)
		return BZ_ERROR;
	bz_bind_text(st, 1, key);
	bz_bind_text(st, 2, from);
	bz_bind_text(st, 3, to ? to : END_OF_TIME "~");
	sqlite3_bind_int64(st, 4, delta);
	return bz_step_done(l, st);
}

sqlite3_stmt *bz_tl_after(bz_ledger *l, const char *key, const char *date)
{
	static const char sql[] =
		"SELECT effective, value FROM tl WHERE key=?1 AND effective>?2 ORDER BY effective";
	sqlite3_stmt *st = bz_stmt(l, sql);
	if (!st)
		return NULL;
	bz_bind_text(st, 1, key);
	bz_bind_text(st, 2, date);
	return st;
}
