/*
 * placement.c: entries (入编), exits (出编), transfers (调动), the management
 * card (一人一卡), the roster (Table 3) and rule R5 (one person, one post).
 * R8 (a live slip for exactly that unit and category) and R7 (the unit's
 * life, the person's age) are checked as each entry is made; R1 by the
 * establishment checker from the counters kept here.
 */
#include "catalogue.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


struct bz_placement {
	char uuid[BZ_UUID_LEN + 1];
	char *person, *person_name, *id_number, *unit, *category, *slip;
	int entry_kind, exit_reason;
	char entry[BZ_DATE_LEN + 1];
	char *exit, *entry_doc, *exit_doc;
};

struct bz_card {
	char *number;
	char issued[BZ_DATE_LEN + 1];
	bz_person *person;
	bz_placement **p;
	size_t n;
};

/* ---- reading --------------------------------------------------------- */

#define PLACEMENT_COLS \
	"SELECT p.id, p.person, pe.name, pe.id_number, p.unit, p.category, p.slip, p.entry_kind, p.entry," \
	" x.date, x.reason, (SELECT number FROM document WHERE id=(SELECT doc FROM event WHERE id=p.event))," \
	" (SELECT number FROM document WHERE id=(SELECT doc FROM event WHERE id=x.event))" \
	" FROM placement p JOIN person pe ON pe.id=p.person LEFT JOIN placement_exit x ON x.placement=p.id "

BZ_EXTERN void bz_placement_free(bz_placement *p)
{
	if (!p)
		return;
	bz__free(p->person);
	bz__free(p->person_name);
	bz__free(p->id_number);
	bz__free(p->unit);
	bz__free(p->category);
	bz__free(p->slip);
	bz__free(p->exit);
	bz__free(p->entry_doc);
	bz__free(p->exit_doc);
	bz__free(p);
}

static int placement_make(void **out, bz_st *st, bz_ledger *l)
{
	bz_placement *p = bz__calloc(1, sizeof *p);
	bool ok = p != NULL;
	if (p) {
		snprintf(p->uuid, sizeof p->uuid, "%s", (const char *)bz_st_column_text(st, 0));
		p->person = bz_col_strdup(st, 1, &ok);
		p->person_name = bz_col_strdup(st, 2, &ok);
		p->id_number = bz_col_strdup(st, 3, &ok);
		p->unit = bz_col_strdup(st, 4, &ok);
		p->category = bz_col_strdup(st, 5, &ok);
		p->slip = bz_col_strdup(st, 6, &ok);
		p->entry_kind = bz_st_column_int(st, 7);
		snprintf(p->entry, sizeof p->entry, "%s", (const char *)bz_st_column_text(st, 8));
		p->exit = bz_col_strdup(st, 9, &ok);
		p->exit_reason = bz_st_column_int(st, 10);
		p->entry_doc = bz_col_strdup(st, 11, &ok);
		p->exit_doc = bz_col_strdup(st, 12, &ok);
	}
	if (!ok) {
		bz_placement_free(p);
		return bz_fail(l, BZ_ENOMEM, "out of memory");
	}
	*out = p;
	return BZ_OK;
}

static int placement_by_id(bz_placement **out, bz_ledger *l, const char *id)
{
	static const char sql[] = PLACEMENT_COLS "WHERE p.id=?1";
	bz_st *st = bz_stmt(l, sql);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, id);
	int rc = bz_step(st), code;
	if (rc == SQLITE_ROW)
		code = placement_make((void **)out, st, l);
	else
		code = rc == SQLITE_DONE ? bz_fail(l, BZ_ENOTFOUND, "no placement %s", id) : bz_sqlfail(l, rc);
	bz_st_reset(st);
	return code;
}

BZ_EXTERN int bz_roster(bz_placement_iter **out, bz_ledger *ledger, const char *unit_uuid, const char *date)
{
	if (!out || !ledger)
		return BZ_EINVAL;
	if (!unit_uuid || (date && !bz_date_ok(date)))
		return bz_fail(ledger, BZ_EINVAL, "bz_roster: an argument is missing or not valid");
	*out = NULL;
	char today[BZ_DATE_LEN + 1];
	date = bz_date_or_today(ledger, date, today);
	bz_iter *it;
	int rc = bz_iter_new(&it, ledger,
			     PLACEMENT_COLS "WHERE p.unit=?1 AND p.entry<=?2 AND (x.date IS NULL OR x.date>?2)"
					    " ORDER BY p.entry, pe.name",
			     placement_make);
	if (rc != BZ_OK)
		return rc;
	bz_bind_text(it->st, 1, unit_uuid);
	bz_bind_text(it->st, 2, date);
	*out = (bz_placement_iter *)it;
	return bz_ok(ledger);
}

BZ_EXTERN int bz_person_history(bz_placement_iter **out, bz_ledger *ledger, const char *person_uuid)
{
	if (!out || !ledger)
		return BZ_EINVAL;
	if (!person_uuid)
		return bz_fail(ledger, BZ_EINVAL, "bz_person_history: an argument is missing or not valid");
	*out = NULL;
	bz_iter *it;
	int rc = bz_iter_new(&it, ledger, PLACEMENT_COLS "WHERE p.person=?1 ORDER BY p.entry, p.rowid", placement_make);
	if (rc != BZ_OK)
		return rc;
	bz_bind_text(it->st, 1, person_uuid);
	*out = (bz_placement_iter *)it;
	return bz_ok(ledger);
}

BZ_EXTERN int bz_placement_iter_next(bz_placement **out, bz_placement_iter *it)
{
	return bz_iter_next((void **)out, (bz_iter *)it);
}
BZ_EXTERN void bz_placement_iter_free(bz_placement_iter *it) { bz_iter_free((bz_iter *)it); }

BZ_EXTERN const char *bz_placement_uuid(const bz_placement *p) { return p ? p->uuid : NULL; }
BZ_EXTERN const char *bz_placement_person(const bz_placement *p) { return p ? p->person : NULL; }
BZ_EXTERN const char *bz_placement_person_name(const bz_placement *p) { return p ? p->person_name : NULL; }
BZ_EXTERN const char *bz_placement_id_number(const bz_placement *p) { return p ? p->id_number : NULL; }
BZ_EXTERN const char *bz_placement_unit(const bz_placement *p) { return p ? p->unit : NULL; }
BZ_EXTERN const char *bz_placement_category(const bz_placement *p) { return p ? p->category : NULL; }
BZ_EXTERN const char *bz_placement_slip(const bz_placement *p) { return p ? p->slip : NULL; }
BZ_EXTERN int bz_placement_entry_kind(const bz_placement *p) { return p ? p->entry_kind : 0; }
BZ_EXTERN const char *bz_placement_entry(const bz_placement *p) { return p ? p->entry : NULL; }
BZ_EXTERN const char *bz_placement_exit_date(const bz_placement *p) { return p ? p->exit : NULL; }
BZ_EXTERN int bz_placement_exit_reason(const bz_placement *p) { return p ? p->exit_reason : 0; }
BZ_EXTERN const char *bz_placement_entry_document(const bz_placement *p) { return p ? p->entry_doc : NULL; }
BZ_EXTERN const char *bz_placement_exit_document(const bz_placement *p) { return p ? p->exit_doc : NULL; }

/* ---- cards ----------------------------------------------------------- */

BZ_EXTERN void bz_card_free(bz_card *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++)
		bz_placement_free(c->p[i]);
	bz__free(c->p);
	bz_person_free(c->person);
	bz__free(c->number);
	bz__free(c);
}

BZ_EXTERN int bz_card_lookup(bz_card **out, bz_ledger *ledger, const char *card_number)
{
	if (!out || !ledger)
		return BZ_EINVAL;
	if (!card_number)
		return bz_fail(ledger, BZ_EINVAL, "bz_card_lookup: an argument is missing or not valid");
	*out = NULL;
	static const char sql[] = "SELECT number, person, issued FROM card WHERE number=?1";
	bz_st *st = bz_stmt(ledger, sql);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, card_number);
	int rc = bz_step(st);
	if (rc != SQLITE_ROW) {
		bz_st_reset(st);
		return rc == SQLITE_DONE ? bz_fail(ledger, BZ_ENOTFOUND, "no management card %s", card_number)
					 : bz_sqlfail(ledger, rc);
	}
	bz_card *c = bz__calloc(1, sizeof *c);
	bool ok = c != NULL;
	char person[BZ_UUID_LEN + 1];
	snprintf(person, sizeof person, "%s", (const char *)bz_st_column_text(st, 1));
	if (c) {
		c->number = bz_col_strdup(st, 0, &ok);
		snprintf(c->issued, sizeof c->issued, "%s", (const char *)bz_st_column_text(st, 2));
	}
	bz_st_reset(st);
	if (!ok) {
		bz_card_free(c);
		return bz_fail(ledger, BZ_ENOMEM, "out of memory");
	}
	int code = bz_person_lookup(&c->person, ledger, person);
	bz_placement_iter *it = NULL;
	if (code == BZ_OK)
		code = bz_person_history(&it, ledger, person);
	while (code == BZ_OK) {
		bz_placement *p;
		int r = bz_placement_iter_next(&p, it);
		if (r == BZ_ITEROVER)
			break;
		if (r != BZ_OK) {
			code = r;
			break;
		}
		bz_placement **np = bz__realloc(c->p, (c->n + 1) * sizeof *np);
		if (!np) {
			bz_placement_free(p);
			code = bz_fail(ledger, BZ_ENOMEM, "out of memory");
			break;
		}
		c->p = np;
		c->p[c->n++] = p;
	}
	bz_placement_iter_free(it);
	if (code != BZ_OK) {
		bz_card_free(c);
		return code;
	}
	*out = c;
	return bz_ok(ledger);
}

BZ_EXTERN const char *bz_card_number(const bz_card *c) { return c ? c->number : NULL; }
BZ_EXTERN const char *bz_card_issued(const bz_card *c) { return c ? c->issued : NULL; }
BZ_EXTERN const bz_person *bz_card_person(const bz_card *c) { return c ? c->person : NULL; }
BZ_EXTERN size_t bz_card_placement_count(const bz_card *c) { return c ? c->n : 0; }
BZ_EXTERN const bz_placement *bz_card_placement(const bz_card *c, size_t i) { return c && i < c->n ? c->p[i] : NULL; }

/* first entry: the card, numbered in the division of the first unit, issued by the entering event (card.event) */
static int card_issue(bz_txn *t, long long ev, const char *person, const char *unit, const char *date)
{
	bz_ledger *l = t->l;
	static const char has[] = "SELECT 1 FROM card WHERE person=?1";
	bz_st *st = bz_stmt(l, has);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, person);
	/* PostgreSQL: the person's lock is held (bz_txn_touch), so a first entry
	 * of the same person by another writer has committed its card or not
	 * begun: the second reuses the first's card and meets R5 at commit */
	bool has_card = false;
	int rc = bz_step_exists(l, st, &has_card);
	if (rc != BZ_OK || has_card)
		return rc;
	/* the card is numbered in the unit's division: a failed lookup is an error, never a number of 000000 */
	char prefix[8];
	if ((rc = bz_unit_division(l, unit, prefix)) != BZ_OK)
		return rc;
	/* PostgreSQL: one writer at a time numbers a division's cards (held to the commit) */
	if ((rc = bz_pg_lock(l, "card", prefix)) != BZ_OK)
		return rc;
	/* the division's last sequence number, read from the index card_seq */
	static const char last_sql[] = "SELECT CAST(substr(number, 8) AS INTEGER) FROM card WHERE prefix=?1"
				       " ORDER BY CAST(substr(number, 8) AS INTEGER) DESC LIMIT 1";
	st = bz_stmt(l, last_sql);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, prefix);
	rc = bz_step(st);
	long long n = rc == SQLITE_ROW ? bz_st_column_int64(st, 0) : 0;
	bz_st_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return bz_sqlfail(l, rc);
	char number[32];
	snprintf(number, sizeof number, "%s-%06lld", prefix, n + 1);
	/* the card is held once (schema 12): its row names the entering record, and the readers of that
	 * record's facts add it as the fact `card` it used to be (person, issued, no before, number) */
	static const char ins[] = "INSERT INTO card(number, person, issued, prefix, event) VALUES(?1,?2,?3,?4,?5)";
	st = bz_stmt(l, ins);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, number);
	bz_bind_text(st, 2, person);
	bz_bind_text(st, 3, date);
	bz_bind_text(st, 4, prefix);
	bz_st_bind_int64(st, 5, ev);
	return bz_step_done(l, st); /* one card per person, ever */
}

/* ---- R8: the slip behind a hire --------------------------------------- */

/*
 * A hire moves one post of its slip from reserved to in post — when the
 * slip can carry it (its unit and category, in force on the date, not
 * exhausted). Whether the hire rests on a valid slip is R8's to judge at
 * commit, from the records.
 */
/*
 * A hire against a slip takes one of its reserved posts while the slip is
 * the unit's and category's, valid on the date, not ended, and not used
 * beyond its posts (the entry's own row already counted). Otherwise the
 * entry stands unreserved and R8 judges it at commit. The slip's row was
 * read once by the entry (do_enter).
 */
static int consume_slip(bz_txn *t, const char *slip, const bz_slip_row *r, const char *unit, const char *category,
			const char *date)
{
	bz_ledger *l = t->l;
	if (!slip)
		return BZ_OK;
	if (strcmp(r->unit, unit) != 0 || strlen(category) >= sizeof r->category || strcmp(r->category, category) != 0 ||
	    strcmp(r->issued, date) > 0 || strcmp(r->until, date) < 0 || (r->cancelled && strcmp(r->end, date) <= 0))
		return BZ_OK;
	static const char sql[] = "SELECT count(*) FROM placement WHERE slip=?1";
	bz_st *st = bz_stmt(l, sql);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, slip);
	int rc = bz_step(st);
	long long used = rc == SQLITE_ROW ? bz_st_column_int64(st, 0) : 0;
	bz_st_reset(st);
	if (rc != SQLITE_ROW)
		return bz_sqlfail(l, rc);
	if (used > r->posts)
		return BZ_OK;
	return bz_slip_reserve_row(t, r, date, -1);
}

/* ---- entering and leaving ------------------------------------------- */

static int do_enter(bz_placement **out, bz_txn *t, const char *person, const char *unit, const char *category,
		    const char *slip, int kind, const char *date)
{
	bz_ledger *l = t->l;
	int rc;
	char *pname = NULL;
	if ((rc = bz_person_name_of(l, person, &pname, NULL)) != BZ_OK)
		return rc;
	if ((rc = bz_category_info(l, category, NULL, NULL, NULL)) != BZ_OK) {
		bz__free(pname);
		return rc == BZ_ENOTFOUND ? bz_fail(l, BZ_ENOTFOUND, "no establishment category %s", category) : rc;
	}
	char division[8]; /* the unit is in the ledger (read once per transaction; the card's division too) */
	if ((rc = bz_unit_division(l, unit, division)) != BZ_OK) {
		bz__free(pname);
		return rc;
	}
	bz_slip_row srow; /* read once: whether it exists, and whether the entry takes one of its posts */
	if (slip && (rc = bz_slip_row_get(l, slip, &srow)) != BZ_OK)
		goto done;
	char uuid[BZ_UUID_LEN + 1];
	bz_uuid_new(uuid);
	long long ev = 0;
	if ((rc = bz_event_write(t, &ev, kind == BZ_ENTRY_TRANSFER_IN ? "placement.transfer_in" : "placement.enter",
				 uuid, unit, date, pname)) != BZ_OK)
		goto done;
	static const char ins[] =
		"INSERT INTO placement(id, person, unit, category, slip, entry_kind, entry, event)"
		" VALUES(?1,?2,?3,?4,?5,?6,?7,?8)";
	bz_st *st = bz_stmt(l, ins);
	if (!st) {
		rc = bz_stmt_err();
		goto done;
	}
	bz_bind_text(st, 1, uuid);
	bz_bind_text(st, 2, person);
	bz_bind_text(st, 3, unit);
	bz_bind_text(st, 4, category);
	bz_bind_text(st, 5, slip);
	bz_st_bind_int(st, 6, kind);
	bz_bind_text(st, 7, date);
	bz_st_bind_int64(st, 8, ev);
	if ((rc = bz_step_done(l, st)) != BZ_OK)
		goto done;
	/* the entry's person and category are the row's: no fact repeats them (change.c shows them) */

	/* the counters and the subjects the rules re-examine (R1, R5, R11; R7 and R8 read the record) */
	if ((rc = consume_slip(t, slip, &srow, unit, category, date)) != BZ_OK ||
	    (rc = bz_staff_counter(t, BZ_CNT_STAFF, unit, category, date, NULL, 1)) != BZ_OK ||
	    (rc = bz_txn_touch(t, BZ_TOUCH_PERSON, person, NULL, date)) != BZ_OK ||
	    (rc = card_issue(t, ev, person, unit, date)) != BZ_OK)
		goto done;
	if (out)
		rc = placement_by_id(out, l, uuid);
done:
	bz__free(pname);
	return rc;
}

static int check_enter_args(bz_txn *t, const char *person, const char *unit, const char *category, const char *date)
{
	if (!t)
		return BZ_EINVAL;
	if (!t->l)
		return BZ_EMISUSE;
	if (!person || !unit || !bz_text_ok(category) || !bz_date_ok(date))
		return bz_fail(t->l, BZ_EINVAL, "an entry needs a person, a unit, a category and a valid date");
	return BZ_OK;
}

BZ_EXTERN int bz_placement_enter(bz_placement **out, bz_txn *txn, const char *person_uuid, const char *unit_uuid,
				 const char *category, const char *slip_uuid, int entry_kind, const char *date)
{
	if (out)
		*out = NULL;
	int rc = check_enter_args(txn, person_uuid, unit_uuid, category, date);
	if (rc != BZ_OK)
		return rc;
	if (!(entry_kind >= 1 && entry_kind <= 4) && entry_kind != BZ_ENTRY_OTHER)
		return bz_fail(txn->l, BZ_EINVAL, "unknown entry kind %d", entry_kind);
	if ((rc = bz_change_begin(txn)) != BZ_OK)
		return rc;
	return bz_change_end(txn, do_enter(out, txn, person_uuid, unit_uuid, category, slip_uuid, entry_kind, date));
}

static int do_exit(bz_txn *t, const char *person, int reason, const char *date)
{
	bz_ledger *l = t->l;
	static const char sql[] =
		"SELECT p.id, p.unit, p.category, p.entry FROM placement p LEFT JOIN placement_exit x ON x.placement=p.id"
		" WHERE p.person=?1 AND p.entry<?2 AND x.date IS NULL ORDER BY p.entry DESC LIMIT 1";
	bz_st *st = bz_stmt(l, sql);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, person);
	bz_bind_text(st, 2, date);
	int rc = bz_step(st);
	if (rc != SQLITE_ROW) {
		bz_st_reset(st);
		return rc == SQLITE_DONE ? bz_fail(l, BZ_ENOTFOUND, "the person has no placement open before %s", date)
					 : bz_sqlfail(l, rc);
	}
	char id[BZ_UUID_LEN + 1], unit[BZ_UUID_LEN + 1], cat[32];
	snprintf(id, sizeof id, "%s", (const char *)bz_st_column_text(st, 0));
	snprintf(unit, sizeof unit, "%s", (const char *)bz_st_column_text(st, 1));
	snprintf(cat, sizeof cat, "%s", (const char *)bz_st_column_text(st, 2));
	bz_st_reset(st);
	char *pname = NULL;
	if ((rc = bz_person_name_of(l, person, &pname, NULL)) != BZ_OK)
		return rc;
	long long ev;
	rc = bz_event_write(t, &ev, reason == BZ_EXIT_TRANSFER_OUT ? "placement.transfer_out" : "placement.exit", id,
			    unit, date, pname);
	bz__free(pname);
	if (rc != BZ_OK)
		return rc;
	static const char ins[] = "INSERT INTO placement_exit(placement, date, reason, event) VALUES(?1,?2,?3,?4)";
	st = bz_stmt(l, ins);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, id);
	bz_bind_text(st, 2, date);
	bz_st_bind_int(st, 3, reason);
	bz_st_bind_int64(st, 4, ev);
	char sreason[8];
	snprintf(sreason, sizeof sreason, "%d", reason);
	if ((rc = bz_step_done(l, st)) != BZ_OK || (rc = bz_fact_write(t, ev, id, "exit_reason", date, sreason)) != BZ_OK)
		return rc;
	if ((rc = bz_staff_counter(t, BZ_CNT_STAFF, unit, cat, date, NULL, -1)) != BZ_OK)
		return rc;
	return bz_txn_touch(t, BZ_TOUCH_PERSON, person, NULL, date);
}

BZ_EXTERN int bz_placement_exit(bz_txn *txn, const char *person_uuid, int reason, const char *date)
{
	if (!txn)
		return BZ_EINVAL;
	if (!txn->l)
		return BZ_EMISUSE;
	if (!person_uuid || !bz_date_ok(date) || !((reason >= 1 && reason <= 5) || reason == BZ_EXIT_OTHER))
		return bz_fail(txn->l, BZ_EINVAL, "an exit needs a person, a known reason and a valid date");
	int rc = bz_change_begin(txn);
	if (rc != BZ_OK)
		return rc;
	/* PostgreSQL: a writer moving the same person is waited for; its commit is then read (txn.c, bz_pg_lock) */
	if ((rc = bz_pg_lock(txn->l, "p", person_uuid)) != BZ_OK)
		return bz_change_end(txn, rc);
	return bz_change_end(txn, do_exit(txn, person_uuid, reason, date));
}

BZ_EXTERN int bz_placement_transfer(bz_placement **out, bz_txn *txn, const char *person_uuid, const char *to_unit_uuid,
				    const char *category, const char *slip_uuid, const char *date)
{
	if (out)
		*out = NULL;
	int rc = check_enter_args(txn, person_uuid, to_unit_uuid, category, date);
	if (rc != BZ_OK)
		return rc;
	if ((rc = bz_change_begin(txn)) != BZ_OK)
		return rc;
	rc = bz_pg_lock(txn->l, "p", person_uuid); /* as bz_placement_exit */
	if (rc == BZ_OK)
		rc = do_exit(txn, person_uuid, BZ_EXIT_TRANSFER_OUT, date);
	if (rc == BZ_OK)
		rc = do_enter(out, txn, person_uuid, to_unit_uuid, category, slip_uuid, BZ_ENTRY_TRANSFER_IN, date);
	return bz_change_end(txn, rc);
}

