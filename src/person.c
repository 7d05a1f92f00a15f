/*
 * person.c: resident ID numbers (GB 11643) and people on the roster.
 */
#include "catalogue.h"

#include <stdio.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>

/* ---- ID numbers ------------------------------------------------------ */

static char idnum_check(const char *first17)
{
	static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
	int sum = 0;
	for (int i = 0; i < 17; i++)
		sum += (first17[i] - '0') * w[i];
	return "10X98765432"[sum % 11];
}

static bool all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* today by the system clock (the number's validity does not depend on a ledger) */
static void system_today(char buf[BZ_DATE_LEN + 1])
{
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(buf, BZ_DATE_LEN + 1, "%Y-%m-%d", &tm);
}

/*
 * Birth date of an 18-character number into buf (11 bytes): a real date,
 * not before 1900 and not after today; and a region other than 000000.
 */
static bool idnum_birth_at(const char *id, char buf[BZ_DATE_LEN + 1], const char *today)
{
	snprintf(buf, BZ_DATE_LEN + 1, "%.4s-%.2s-%.2s", id + 6, id + 10, id + 12);
	return bz_date_ok(buf) && strcmp(buf, "1900-01-01") >= 0 && strcmp(buf, today) <= 0 &&
	       strncmp(id, "000000", 6) != 0;
}

static bool idnum_birth(const char *id, char buf[BZ_DATE_LEN + 1])
{
	char today[BZ_DATE_LEN + 1];
	system_today(today);
	return idnum_birth_at(id, buf, today);
}

/*
 * Canonical 18-character form into out (19 bytes), or false: the form of
 * a number — 17 digits and the right check character (or 15 legacy
 * digits), a real calendar date — without judging its region or whether
 * the birth date is plausible (idnum_canon).
 */
static bool idnum_form(const char *in, char out[19])
{
	if (!in)
		return false;
	size_t n = strlen(in);
	char b[BZ_DATE_LEN + 1];
	if (n == 15) {
		if (!all_digits(in, 15))
			return false;
		memcpy(out, in, 6);
		out[6] = '1';
		out[7] = '9';
		memcpy(out + 8, in + 6, 9);
		out[17] = idnum_check(out);
		out[18] = '\0';
	} else {
		if (n != 18 || !all_digits(in, 17))
			return false;
		char last = in[17] == 'x' ? 'X' : in[17];
		if (!((last >= '0' && last <= '9') || last == 'X'))
			return false;
		memcpy(out, in, 17);
		out[17] = last;
		out[18] = '\0';
		if (idnum_check(out) != last)
			return false;
	}
	snprintf(b, sizeof b, "%.4s-%.2s-%.2s", out + 6, out + 10, out + 12);
	return bz_date_calendar_ok(b);
}

/* canonical form of a valid number (idnum_form, a region, born 1900 to today), or false */
static bool idnum_canon(const char *in, char out[19])
{
	char b[BZ_DATE_LEN + 1];
	return idnum_form(in, out) && idnum_birth(out, b);
}

BZ_EXTERN int bz_idnum_valid(const char *id_number)
{
	char c[19];
	return id_number && strlen(id_number) == 18 && idnum_canon(id_number, c) ? BZ_OK : BZ_EINVAL;
}

BZ_EXTERN int bz_idnum_normalize(char **out, const char *id_number)
{
	if (!out)
		return BZ_EINVAL;
	*out = NULL;
	char c[19];
	if (!idnum_canon(id_number, c))
		return BZ_EINVAL;
	*out = bz_strdup(c);
	return *out ? BZ_OK : BZ_ENOMEM;
}

/* why an ID number is refused, for the handle's message */
static const char *idnum_problem(const char *s)
{
	char today[BZ_DATE_LEN + 1];
	system_today(today);
	const char *why = bz_idnum_problem(s, today);
	return why ? why : "not valid";
}

const char *bz_idnum_problem(const char *s, const char *today)
{
	if (!s)
		return "missing";
	size_t n = strlen(s);
	if (n != 15 && n != 18)
		return "must have 18 characters (or 15 for a legacy number)";
	if (!all_digits(s, n == 15 ? 15 : 17))
		return "must be digits, with only the last character possibly X";
	char c[19];
	if (n == 18) {
		memcpy(c, s, 18);
		c[18] = '\0';
	} else {
		memcpy(c, s, 6);
		c[6] = '1';
		c[7] = '9';
		memcpy(c + 8, s + 6, 9);
		c[17] = '0';
		c[18] = '\0';
	}
	/* YYYY-MM-DD from the digits checked above (no NUL among them), as snprintf("%.4s-%.2s-%.2s") gave it
	 * without vfprintf: R10 asks this of every person in the self-inspection (issue 10) */
	char b[BZ_DATE_LEN + 1];
	memcpy(b, c + 6, 4);
	b[4] = '-';
	memcpy(b + 5, c + 10, 2);
	b[7] = '-';
	memcpy(b + 8, c + 12, 2);
	b[10] = '\0';
	if (!bz_date_calendar_ok(b))
		return "its birth date is not a real date";
	if (n == 18 && idnum_check(c) != (c[17] == 'x' ? 'X' : c[17]))
		return "wrong check character (GB 11643, ISO 7064 MOD 11-2)";
	if (strncmp(c, "000000", 6) == 0)
		return "region 000000 is no region";
	if (strcmp(b, "1900-01-01") < 0)
		return "its birth date is before 1900-01-01";
	if (strcmp(b, today) > 0)
		return "its birth date is in the future (after the registration date)";
	return NULL;
}

/* ---- people ---------------------------------------------------------- */

struct bz_person {
	char uuid[BZ_UUID_LEN + 1];
	char *id_number, *name, *card;
	int sex;
	char birth[BZ_DATE_LEN + 1];
	size_t nattr;
	char **keys, **values;
};

BZ_EXTERN void bz_person_free(bz_person *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nattr; i++) {
		bz__free(p->keys[i]);
		bz__free(p->values[i]);
	}
	bz__free(p->keys);
	bz__free(p->values);
	bz__free(p->id_number);
	bz__free(p->name);
	bz__free(p->card);
	bz__free(p);
}

/* attributes in force at date: the latest fact of each "attr:<key>" */
static int person_load_attrs(bz_ledger *l, bz_person *p, const char *date)
{
	static const char sql[] =
		"SELECT attr, after FROM fact WHERE subject=?1 AND attr>='attr:' AND attr<'attr;'"
		" AND effective<=?2 ORDER BY attr, effective, event";
	bz_st *st = bz_stmt(l, sql);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, p->uuid);
	bz_bind_text(st, 2, date);
	int rc, code = BZ_OK;
	char *cur_key = NULL, *cur_val = NULL;
	bool ok = true;
	for (;;) {
		rc = bz_step(st);
		const char *attr = rc == SQLITE_ROW ? (const char *)bz_st_column_text(st, 0) : NULL;
		if (cur_key && (!attr || strcmp(attr + 5, cur_key) != 0)) {
			/* flush the previous key's last value */
			if (cur_val) {
				char **nk = bz__realloc(p->keys, (p->nattr + 1) * sizeof *nk);
				if (nk) p->keys = nk;
				char **nv = nk ? bz__realloc(p->values, (p->nattr + 1) * sizeof *nv) : NULL;
				if (nv) p->values = nv;
				if (!nk || !nv) {
					ok = false;
					bz__free(cur_key);
					bz__free(cur_val);
				} else {
					p->keys[p->nattr] = cur_key;
					p->values[p->nattr] = cur_val;
					p->nattr++;
				}
			} else {
				bz__free(cur_key);
			}
			cur_key = cur_val = NULL;
		}
		if (rc != SQLITE_ROW)
			break;
		if (!cur_key) {
			cur_key = bz_strdup(attr + 5);
			if (!cur_key)
				ok = false;
		}
		bz__free(cur_val);
		cur_val = bz_col_strdup(st, 1, &ok);
	}
	if (rc != SQLITE_DONE)
		code = bz_sqlfail(l, rc);
	bz_st_reset(st);
	bz__free(cur_key);
	bz__free(cur_val);
	if (code == BZ_OK && !ok)
		code = bz_fail(l, BZ_ENOMEM, "out of memory");
	return code;
}

static int person_load(bz_person **out, bz_ledger *l, const char *where_sql, const char *key)
{
	*out = NULL;
	bz_st *st = bz_stmt(l, where_sql);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, key);
	int rc = bz_step(st);
	if (rc == SQLITE_DONE) {
		bz_st_reset(st);
		return bz_fail(l, BZ_ENOTFOUND, "no such person in the ledger");
	}
	if (rc != SQLITE_ROW) {
		bz_st_reset(st);
		return bz_sqlfail(l, rc);
	}
	bz_person *p = bz__calloc(1, sizeof *p);
	bool ok = p != NULL;
	if (p) {
		snprintf(p->uuid, sizeof p->uuid, "%s", (const char *)bz_st_column_text(st, 0));
		p->id_number = bz_col_strdup(st, 1, &ok);
		p->name = bz_col_strdup(st, 2, &ok);
		p->sex = bz_st_column_int(st, 3);
		snprintf(p->birth, sizeof p->birth, "%s", (const char *)bz_st_column_text(st, 4));
		p->card = bz_col_strdup(st, 5, &ok);
	}
	bz_st_reset(st);
	if (!ok) {
		bz_person_free(p);
		return bz_fail(l, BZ_ENOMEM, "out of memory");
	}
	char today[BZ_DATE_LEN + 1];
	bz_today(l, today);
	int code = person_load_attrs(l, p, today);
	if (code != BZ_OK) {
		bz_person_free(p);
		return code;
	}
	*out = p;
	return bz_ok(l);
}

#define PERSON_COLS "SELECT p.id, p.id_number, p.name, p.sex, p.birth, c.number FROM person p LEFT JOIN card c ON c.person=p.id "

BZ_EXTERN int bz_person_lookup(bz_person **out, bz_ledger *ledger, const char *uuid)
{
	if (!out || !ledger)
		return BZ_EINVAL;
	if (!uuid)
		return bz_fail(ledger, BZ_EINVAL, "bz_person_lookup: an argument is missing or not valid");
	static const char sql[] = PERSON_COLS "WHERE p.id=?1";
	return person_load(out, ledger, sql, uuid);
}

BZ_EXTERN int bz_person_lookup_idnum(bz_person **out, bz_ledger *ledger, const char *id_number)
{
	if (!out || !ledger)
		return BZ_EINVAL;
	*out = NULL;
	char c[19];
	if (!idnum_canon(id_number, c))
		return bz_fail(ledger, BZ_EINVAL, "not a valid ID number");
	static const char sql[] = PERSON_COLS "WHERE p.id_number=?1";
	return person_load(out, ledger, sql, c);
}

BZ_EXTERN int bz_person_lookup_card(bz_person **out, bz_ledger *ledger, const char *card_number)
{
	if (!out || !ledger)
		return BZ_EINVAL;
	if (!card_number)
		return bz_fail(ledger, BZ_EINVAL, "bz_person_lookup_card: an argument is missing or not valid");
	static const char sql[] = PERSON_COLS "WHERE c.number=?1";
	return person_load(out, ledger, sql, card_number);
}

int bz_person_name_of(bz_ledger *l, const char *person, char **name, char birth[BZ_DATE_LEN + 1])
{
	static const char sql[] = "SELECT name, birth FROM person WHERE id=?1";
	*name = NULL;
	const char *kept_birth = NULL, *kept = bz_txn_person_get(l, person, &kept_birth); /* just registered */
	if (kept) {
		if (birth)
			memcpy(birth, kept_birth, BZ_DATE_LEN + 1);
		return (*name = bz_strdup(kept)) ? BZ_OK : bz_fail(l, BZ_ENOMEM, "out of memory");
	}
	bz_st *st = bz_stmt(l, sql);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, person);
	int rc = bz_step(st), code = BZ_OK;
	if (rc == SQLITE_ROW) {
		bool ok = true;
		*name = bz_col_strdup(st, 0, &ok);
		if (birth)
			snprintf(birth, BZ_DATE_LEN + 1, "%s", (const char *)bz_st_column_text(st, 1));
		if (!ok)
			code = bz_fail(l, BZ_ENOMEM, "out of memory");
	} else if (rc == SQLITE_DONE) {
		code = bz_fail(l, BZ_ENOTFOUND, "no person %s in the ledger", person);
	} else {
		code = bz_sqlfail(l, rc);
	}
	bz_st_reset(st);
	return code;
}

static int do_register(bz_person **out, bz_txn *t, const char *canon, const char *name, int sex, const char *birth)
{
	bz_ledger *l = t->l;
	char uuid[BZ_UUID_LEN + 1], today[BZ_DATE_LEN + 1], nbirth[BZ_DATE_LEN + 1];
	bz_uuid_new(uuid);
	bz_today(l, today);
	idnum_birth(canon, nbirth);
	int nsex = ((canon[16] - '0') % 2) ? BZ_SEX_MALE : BZ_SEX_FEMALE;
	int code;

	static const char dup[] = "SELECT 1 FROM person WHERE id_number=?1";
	bz_st *st = bz_stmt(l, dup);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, canon);
	bool taken = false;
	if ((code = bz_step_exists(l, st, &taken)) != BZ_OK)
		return code;
	if (taken)
		return bz_fail(l, BZ_EEXISTS, "ID number %s is already registered", canon);

	/* what the caller says is kept as said: R10 compares it with the number at commit */

	long long ev;
	/* personal data is not an establishment change: no document demanded */
	/* the name and ID number are the row's: no fact repeats them (change.c shows them) */
	if ((code = bz_event_write_ref(t, &ev, "person.register", uuid, NULL, today, t->doc, NULL)) != BZ_OK)
		return code;
	/* the row names its registering record: a person's Table 2 finds it there, not in event_subject (schema 13) */
	static const char ins[] = "INSERT INTO person(id, id_number, name, sex, birth, event) VALUES(?1,?2,?3,?4,?5,?6)";
	st = bz_stmt(l, ins);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, uuid);
	bz_bind_text(st, 2, canon);
	bz_bind_text(st, 3, name);
	bz_st_bind_int(st, 4, sex ? sex : nsex);
	bz_bind_text(st, 5, birth ? birth : nbirth);
	bz_st_bind_int64(st, 6, ev);
	if ((code = bz_step_done(l, st)) != BZ_OK)
		return code;
	/* the entry that usually follows reads the name and birth date from here, not the row (issue 10) */
	bz_txn_person_put(l, uuid, name, birth ? birth : nbirth);
	if (!out)
		return BZ_OK;
	/* the snapshot of a person just registered is the row just written: a new UUID has no card and no
	 * attribute yet, so nothing is read back */
	bz_person *p = bz__calloc(1, sizeof *p);
	if (p) {
		memcpy(p->uuid, uuid, sizeof p->uuid);
		snprintf(p->birth, sizeof p->birth, "%s", birth ? birth : nbirth);
		p->sex = sex ? sex : nsex;
		p->id_number = bz_strdup(canon);
		p->name = bz_strdup(name);
	}
	if (!p || !p->id_number || !p->name) {
		bz_person_free(p);
		return bz_fail(l, BZ_ENOMEM, "out of memory");
	}
	*out = p;
	return BZ_OK;
}

BZ_EXTERN int bz_person_register(bz_person **out, bz_txn *txn, const char *id_number, const char *name,
				 int sex, const char *birth)
{
	if (out)
		*out = NULL;
	if (!txn)
		return BZ_EINVAL;
	if (!txn->l)
		return BZ_EMISUSE;
	bz_ledger *l = txn->l;
	/* the form here; its region and birth date against the registration date are R10's, at commit */
	char canon[19];
	if (!id_number || !bz_utf8_valid(id_number) || !idnum_form(id_number, canon))
		return bz_fail(l, BZ_EINVAL, "not a valid ID number (%s)", idnum_problem(id_number));
	if (!bz_text_ok(name))
		return bz_fail(l, BZ_EINVAL, "a person needs a name (non-empty UTF-8)");
	if (sex != 0 && sex != BZ_SEX_MALE && sex != BZ_SEX_FEMALE)
		return bz_fail(l, BZ_EINVAL, "sex must be 0 (from the ID number), BZ_SEX_MALE or BZ_SEX_FEMALE");
	if (birth && !bz_date_ok(birth))
		return bz_fail(l, BZ_EINVAL, "birth date must be YYYY-MM-DD");
	int rc = bz_change_begin(txn);
	if (rc != BZ_OK)
		return rc;
	return bz_change_end(txn, do_register(out, txn, canon, name, sex, birth));
}

BZ_EXTERN int bz_person_set_attr(bz_txn *txn, const char *person_uuid, const char *key, const char *value,
				 const char *date)
{
	if (!txn)
		return BZ_EINVAL;
	if (!txn->l)
		return BZ_EMISUSE;
	bz_ledger *l = txn->l;
	if (!person_uuid || !bz_text_ok(key) || strlen(key) > 200 || (value && !bz_utf8_valid(value)) ||
	    (date && !bz_date_ok(date)))
		return bz_fail(l, BZ_EINVAL, "an attribute needs a person, a non-empty key, UTF-8 value and a valid date");
	char today[BZ_DATE_LEN + 1];
	bz_today(l, today);
	int rc = bz_change_begin(txn);
	if (rc != BZ_OK)
		return rc;
	char *name = NULL;
	rc = bz_person_name_of(l, person_uuid, &name, NULL);
	bz__free(name);
	long long ev;
	char attr[256];
	snprintf(attr, sizeof attr, "attr:%s", key);
	if (rc == BZ_OK)
		rc = bz_event_write_ref(txn, &ev, "person.attr", person_uuid, NULL, date ? date : today, txn->doc, key);
	if (rc == BZ_OK)
		rc = bz_fact_write(txn, ev, person_uuid, attr, date ? date : today, value);
	return bz_change_end(txn, rc);
}

BZ_EXTERN const char *bz_person_uuid(const bz_person *p) { return p ? p->uuid : NULL; }
BZ_EXTERN const char *bz_person_id_number(const bz_person *p) { return p ? p->id_number : NULL; }
BZ_EXTERN const char *bz_person_name(const bz_person *p) { return p ? p->name : NULL; }
BZ_EXTERN int bz_person_sex(const bz_person *p) { return p ? p->sex : 0; }
BZ_EXTERN const char *bz_person_birth(const bz_person *p) { return p ? p->birth : NULL; }
BZ_EXTERN const char *bz_person_card(const bz_person *p) { return p ? p->card : NULL; }
BZ_EXTERN size_t bz_person_attr_count(const bz_person *p) { return p ? p->nattr : 0; }
BZ_EXTERN const char *bz_person_attr_key(const bz_person *p, size_t i) { return p && i < p->nattr ? p->keys[i] : NULL; }
BZ_EXTERN const char *bz_person_attr_value(const bz_person *p, size_t i) { return p && i < p->nattr ? p->values[i] : NULL; }

BZ_EXTERN const char *bz_person_attr(const bz_person *p, const char *key)
{
	if (!p || !key)
		return NULL;
	for (size_t i = 0; i < p->nattr; i++)
		if (strcmp(p->keys[i], key) == 0)
			return p->values[i];
	return NULL;
}
