/*
 * document.c: approval documents (文件依据) — parsing document numbers,
 * registering documents, and the rule that a business department's
 * document is never the basis of a change (R6, seed §17.1).
 */
#include "catalogue.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct bz_document {
	char *uuid, *issuer, *number, *title, *date, *jurisdiction;
	int level, kind;
};

/* ---- document numbers ------------------------------------------------ */

/* bracket pairs accepted around the year; the first is canonical */
static const struct {
	const char *open, *close;
} brackets[] = {
	{"\xe3\x80\x94", "\xe3\x80\x95"}, /* 〔 〕 */
	{"[", "]"},
	{"\xef\xbc\x88", "\xef\xbc\x89"}, /* （ ） */
	{"(", ")"},
	{"\xe3\x80\x90", "\xe3\x80\x91"}, /* 【 】, common in typed-up lists */
};
#define NBRACKETS (sizeof brackets / sizeof brackets[0])
#define HAO "\xe5\x8f\xb7" /* 号 */

/* the first bracket opening of any accepted pair in s, its pair in *pair */
static const char *find_open(const char *s, size_t *pair)
{
	const char *best = NULL;
	for (size_t i = 0; i < NBRACKETS; i++) {
		const char *p = strstr(s, brackets[i].open);
		if (p && (!best || p < best)) {
			best = p;
			*pair = i;
		}
	}
	return best;
}

BZ_EXTERN int bz_docnum_parse(char **canonical, char **abbr, int *year, int *seq, const char *number)
{
	if (canonical)
		*canonical = NULL;
	if (abbr)
		*abbr = NULL;
	/* outputs are defined on every return, also on failure */
	if (year)
		*year = 0;
	if (seq)
		*seq = 0;
	if (!bz_text_ok(number))
		return BZ_EINVAL;
	size_t pair = 0;
	const char *open = find_open(number, &pair);
	if (!open || open == number)
		return BZ_EINVAL; /* no year, or no issuer abbreviation before it */
	size_t abbr_len = (size_t)(open - number);
	/* the abbreviation holds no spaces and no other bracket */
	for (size_t i = 0; i < abbr_len; i++)
		if (number[i] == ' ' || number[i] == '\t')
			return BZ_EINVAL;
	const char *p = open + strlen(brackets[pair].open);
	int y = 0;
	for (int i = 0; i < 4; i++, p++) {
		if (*p < '0' || *p > '9')
			return BZ_EINVAL;
		y = y * 10 + (*p - '0');
	}
	if (y < 1949 || y > 2999)
		return BZ_EINVAL;
	size_t cl = strlen(brackets[pair].close);
	if (strncmp(p, brackets[pair].close, cl) != 0)
		return BZ_EINVAL;
	p += cl;
	long n = 0;
	int digits = 0;
	for (; *p >= '0' && *p <= '9'; p++, digits++) {
		n = n * 10 + (*p - '0');
		if (n > 999999)
			return BZ_EINVAL;
	}
	if (digits == 0 || n <= 0)
		return BZ_EINVAL;
	if (strncmp(p, HAO, strlen(HAO)) == 0)
		p += strlen(HAO);
	if (*p)
		return BZ_EINVAL; /* anything after 号 */

	char *a = bz__malloc(abbr_len + 1);
	if (!a)
		return BZ_ENOMEM;
	memcpy(a, number, abbr_len);
	a[abbr_len] = '\0';
	/* an abbreviation with a bracket of its own (e.g. "陇[编]发") is not one */
	size_t dummy;
	if (find_open(a, &dummy)) {
		bz__free(a);
		return BZ_EINVAL;
	}
	if (canonical) {
		size_t len = abbr_len + 32;
		char *c = bz__malloc(len);
		if (!c) {
			bz__free(a);
			return BZ_ENOMEM;
		}
		snprintf(c, len, "%s%s%04d%s%ld%s", a, brackets[0].open, y, brackets[0].close, n, HAO);
		*canonical = c;
	}
	if (abbr)
		*abbr = a;
	else
		bz__free(a);
	if (year)
		*year = y;
	if (seq)
		*seq = (int)n;
	return BZ_OK;
}

/* ---- registering and reading documents -------------------------------- */

static bool division_code_ok(const char *s)
{
	if (!s || strlen(s) != 6)
		return false;
	for (int i = 0; i < 6; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return s[0] != '0';
}

BZ_EXTERN void bz_document_free(bz_document *d)
{
	if (!d)
		return;
	bz__free(d->uuid);
	bz__free(d->issuer);
	bz__free(d->number);
	bz__free(d->title);
	bz__free(d->date);
	bz__free(d->jurisdiction);
	bz__free(d);
}

/* columns: id, issuer, number, title, date, level, kind, jurisdiction */
static int document_from_row(bz_document **out, bz_st *st, bz_ledger *l)
{
	bz_document *d = bz__calloc(1, sizeof *d);
	if (!d)
		return bz_fail(l, BZ_ENOMEM, "out of memory");
	bool ok = true;
	d->uuid = bz_col_strdup(st, 0, &ok);
	d->issuer = bz_col_strdup(st, 1, &ok);
	d->number = bz_col_strdup(st, 2, &ok);
	d->title = bz_col_strdup(st, 3, &ok);
	d->date = bz_col_strdup(st, 4, &ok);
	d->level = bz_st_column_int(st, 5);
	d->kind = bz_st_column_int(st, 6);
	d->jurisdiction = bz_col_strdup(st, 7, &ok);
	if (!ok || !d->uuid) {
		bz_document_free(d);
		return bz_fail(l, BZ_ENOMEM, "out of memory");
	}
	*out = d;
	return BZ_OK;
}

static int document_query(bz_document **out, bz_ledger *l, bz_st *st)
{
	int rc = bz_step(st);
	int code;
	if (rc == SQLITE_ROW)
		code = document_from_row(out, st, l);
	else if (rc == SQLITE_DONE)
		code = bz_fail(l, BZ_ENOTFOUND, "no such document");
	else
		code = bz_sqlfail(l, rc);
	bz_st_reset(st);
	return code == BZ_OK ? bz_ok(l) : code;
}

BZ_EXTERN int bz_document_lookup(bz_document **out, bz_ledger *ledger, const char *uuid)
{
	if (!out)
		return BZ_EINVAL;
	*out = NULL;
	if (!ledger)
		return BZ_EINVAL;
	if (!bz_uuid_ok(uuid))
		return bz_fail(ledger, BZ_EINVAL, "not a UUID");
	static const char sql[] =
		"SELECT id, issuer, number, title, date, level, kind, jurisdiction FROM document WHERE id=?1";
	bz_st *st = bz_stmt(ledger, sql);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, uuid);
	return document_query(out, ledger, st);
}

BZ_EXTERN int bz_document_find(bz_document **out, bz_ledger *ledger, const char *issuer, const char *number)
{
	if (!out)
		return BZ_EINVAL;
	*out = NULL;
	if (!ledger)
		return BZ_EINVAL;
	if (!bz_text_ok(issuer))
		return bz_fail(ledger, BZ_EINVAL, "a document's issuer must be non-empty UTF-8");
	char *canon = NULL;
	int code = bz_docnum_parse(&canon, NULL, NULL, NULL, number);
	if (code != BZ_OK)
		return bz_fail(ledger, code, "not a document number (文号), expected e.g. 陇编发〔2012〕31号");
	static const char sql[] =
		"SELECT id, issuer, number, title, date, level, kind, jurisdiction FROM document"
		" WHERE issuer=?1 AND number=?2";
	bz_st *st = bz_stmt(ledger, sql);
	if (!st) {
		bz__free(canon);
		return bz_stmt_err();
	}
	bz_bind_text(st, 1, issuer);
	bz_bind_text(st, 2, canon);
	bz__free(canon);
	return document_query(out, ledger, st);
}

BZ_EXTERN int bz_document_register(bz_document **out, bz_txn *txn, const char *issuer,
				   const char *number, const char *title, const char *date,
				   int level, int kind, const char *jurisdiction_code)
{
	if (out)
		*out = NULL;
	if (!out || !txn)
		return BZ_EINVAL;
	bz_ledger *l = txn->l;
	if (!l)
		return BZ_EMISUSE;
	if (!bz_text_ok(issuer) || !bz_text_ok(title))
		return bz_fail(l, BZ_EINVAL, "a document needs an issuer and a title (non-empty UTF-8)");
	if (!bz_date_ok(date))
		return bz_fail(l, BZ_EINVAL, "a document's date must be a valid YYYY-MM-DD");
	if (level < BZ_LEVEL_CENTRAL || level > BZ_LEVEL_COUNTY)
		return bz_fail(l, BZ_EINVAL, "document level %d is not one of bz_level", level);
	if (kind < BZ_ISSUER_ESTABLISHMENT || kind > BZ_ISSUER_BUSINESS)
		return bz_fail(l, BZ_EINVAL, "issuer kind %d is not one of bz_issuer_kind", kind);
	if (jurisdiction_code && !division_code_ok(jurisdiction_code))
		return bz_fail(l, BZ_EINVAL, "a division code has 6 digits");
	char *canon = NULL, *abbr = NULL;
	int year = 0, seq = 0;
	int code = bz_docnum_parse(&canon, &abbr, &year, &seq, number);
	if (code != BZ_OK)
		return bz_fail(l, code, "not a document number (文号), expected e.g. 陇编发〔2012〕31号");

	char uuid[BZ_UUID_LEN + 1];
	bz_uuid_new(uuid);
	code = bz_change_begin(txn);
	if (code != BZ_OK) {
		bz__free(canon);
		bz__free(abbr);
		return code;
	}
	{
		static const char sql[] = "SELECT 1 FROM document WHERE issuer=?1 AND number=?2";
		bz_st *st = bz_stmt(l, sql);
		if (!st) {
			code = bz_stmt_err();
			goto done;
		}
		bz_bind_text(st, 1, issuer);
		bz_bind_text(st, 2, canon);
		int rc = bz_step(st);
		bz_st_reset(st);
		if (rc == SQLITE_ROW) {
			code = bz_fail(l, BZ_EEXISTS, "%s already registered a document %s", issuer, canon);
			goto done;
		}
		if (rc != SQLITE_DONE) {
			code = bz_sqlfail(l, rc);
			goto done;
		}
	}
	{
		static const char sql[] =
			"INSERT INTO document(id, issuer, number, abbr, year, seq, title, date, level, kind, jurisdiction)"
			" VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)";
		bz_st *st = bz_stmt(l, sql);
		if (!st) {
			code = bz_stmt_err();
			goto done;
		}
		bz_bind_text(st, 1, uuid);
		bz_bind_text(st, 2, issuer);
		bz_bind_text(st, 3, canon);
		bz_bind_text(st, 4, abbr);
		bz_st_bind_int(st, 5, year);
		bz_st_bind_int(st, 6, seq);
		bz_bind_text(st, 7, title);
		bz_bind_text(st, 8, date);
		bz_st_bind_int(st, 9, level);
		bz_st_bind_int(st, 10, kind);
		bz_bind_text(st, 11, jurisdiction_code);
		if ((code = bz_step_done(l, st)) != BZ_OK)
			goto done;
	}
	/* the document is its own basis: its record cites itself */
	long long ev = 0;
	if ((code = bz_event_write_ref(txn, &ev, "document.register", uuid, NULL, date, uuid, NULL)) != BZ_OK)
		goto done;
	char lv[8], kd[8];
	snprintf(lv, sizeof lv, "%d", level);
	snprintf(kd, sizeof kd, "%d", kind);
	if ((code = bz_fact_write(txn, ev, uuid, "issuer", date, issuer)) != BZ_OK ||
	    (code = bz_fact_write(txn, ev, uuid, "number", date, canon)) != BZ_OK ||
	    (code = bz_fact_write(txn, ev, uuid, "title", date, title)) != BZ_OK ||
	    (code = bz_fact_write(txn, ev, uuid, "level", date, lv)) != BZ_OK ||
	    (code = bz_fact_write(txn, ev, uuid, "kind", date, kd)) != BZ_OK)
		goto done;
	{
		static const char sql[] = "UPDATE document SET event=?1 WHERE id=?2";
		bz_st *st = bz_stmt(l, sql);
		if (!st) {
			code = bz_stmt_err();
			goto done;
		}
		bz_st_bind_int64(st, 1, ev);
		bz_bind_text(st, 2, uuid);
		if ((code = bz_step_done(l, st)) != BZ_OK)
			goto done;
	}
	code = bz_document_lookup(out, l, uuid);
done:
	bz__free(canon);
	bz__free(abbr);
	code = bz_change_end(txn, code);
	if (code != BZ_OK && *out) {
		bz_document_free(*out);
		*out = NULL;
	}
	return code;
}

BZ_EXTERN const char *bz_document_uuid(const bz_document *d) { return d ? d->uuid : NULL; }
BZ_EXTERN const char *bz_document_issuer(const bz_document *d) { return d ? d->issuer : NULL; }
BZ_EXTERN const char *bz_document_number(const bz_document *d) { return d ? d->number : NULL; }
BZ_EXTERN const char *bz_document_title(const bz_document *d) { return d ? d->title : NULL; }
BZ_EXTERN const char *bz_document_date(const bz_document *d) { return d ? d->date : NULL; }
BZ_EXTERN int bz_document_level(const bz_document *d) { return d ? d->level : 0; }
BZ_EXTERN int bz_document_kind(const bz_document *d) { return d ? d->kind : 0; }
BZ_EXTERN const char *bz_document_jurisdiction(const bz_document *d) { return d ? d->jurisdiction : NULL; }
