/*
 * change.c: reading change records (Table 2): events with their facts, the
 * document number and who recorded them when (txn_log).
 */
#include "catalogue.h"

#include <stdlib.h>
#include <string.h>

typedef struct change_attr {
	char *name, *before, *after;
} change_attr;

struct bz_change {
	int64_t seq, origin_seq;
	char *origin;
	char *kind, *subject, *unit, *effective, *doc, *doc_number, *recorded_at, *recorded_by, *office, *note;
	change_attr *attrs;
	size_t nattrs;
};

BZ_EXTERN void bz_change_free(bz_change *c)
{
	if (!c)
		return;
	bz__free(c->origin);
	bz__free(c->kind);
	bz__free(c->subject);
	bz__free(c->unit);
	bz__free(c->effective);
	bz__free(c->doc);
	bz__free(c->doc_number);
	bz__free(c->recorded_at);
	bz__free(c->recorded_by);
	bz__free(c->office);
	bz__free(c->note);
	for (size_t i = 0; i < c->nattrs; i++) {
		bz__free(c->attrs[i].name);
		bz__free(c->attrs[i].before);
		bz__free(c->attrs[i].after);
	}
	bz__free(c->attrs);
	bz__free(c);
}

static int load_attrs(bz_change *c, bz_ledger *l)
{
	/*
	 * What a new row already says is not repeated as facts (schema 2; a
	 * ledger of schema 1 has them as facts): an entry's person and category
	 * are its placement row's, a registration's name and ID number the
	 * person row's. Then the event's facts in the order written, and the
	 * card an entry issued (its row since schema 12, a fact before).
	 */
	static const char sql[] =
		"SELECT a, b, v FROM ("
		" SELECT 'person' AS a, NULL AS b, p.person AS v, 0 AS o FROM placement p WHERE p.id=?2 AND p.event=?1"
		"  AND NOT EXISTS (SELECT 1 FROM fact WHERE event=?1 AND attr='person')"
		" UNION ALL SELECT 'category', NULL, p.category, 1 FROM placement p WHERE p.id=?2 AND p.event=?1"
		"  AND NOT EXISTS (SELECT 1 FROM fact WHERE event=?1 AND attr='category')"
		" UNION ALL SELECT 'name', NULL, p.name, 0 FROM person p WHERE p.id=?2 AND ?3='person.register'"
		"  AND NOT EXISTS (SELECT 1 FROM fact WHERE event=?1 AND attr='name')"
		" UNION ALL SELECT 'id_number', NULL, p.id_number, 1 FROM person p WHERE p.id=?2 AND ?3='person.register'"
		"  AND NOT EXISTS (SELECT 1 FROM fact WHERE event=?1 AND attr='id_number')"
		" UNION ALL SELECT attr, before, after, 2 + rowid FROM fact WHERE event=?1"
		/* the card an entry issued (schema 12), where its fact came: last (internal.h) */
		" UNION ALL SELECT 'card', NULL, c.number, -1 FROM placement p JOIN card c ON c.person=p.person"
		"  AND c.event=?1 WHERE p.id=?2) ORDER BY o < 0, o";
	bz_st *st = bz_stmt(l, sql);
	if (!st)
		return bz_stmt_err();
	bz_st_bind_int64(st, 1, c->seq);
	bz_bind_text(st, 2, c->subject);
	bz_bind_text(st, 3, c->kind);
	size_t cap = 0;
	int rc;
	bool ok = true;
	while (ok && (rc = bz_step(st)) == SQLITE_ROW) {
		if (c->nattrs == cap) {
			size_t ncap = cap ? cap * 2 : 8;
			change_attr *na = bz__realloc(c->attrs, ncap * sizeof *na);
			if (!na) {
				ok = false;
				break;
			}
			c->attrs = na;
			cap = ncap;
		}
		change_attr *a = &c->attrs[c->nattrs++];
		a->name = bz_col_strdup(st, 0, &ok);
		a->before = bz_col_strdup(st, 1, &ok);
		a->after = bz_col_strdup(st, 2, &ok);
	}
	bz_st_reset(st);
	if (!ok)
		return bz_fail(l, BZ_ENOMEM, "out of memory");
	if (rc != SQLITE_DONE)
		return bz_sqlfail(l, rc);
	return BZ_OK;
}

/* columns: id, kind, subject, unit, effective, doc, number, recorded_at, recorded_by, office, note,
 * origin ledger, origin seq */
static int change_from_row(void **out, bz_st *st, bz_ledger *l)
{
	bz_change *c = bz__calloc(1, sizeof *c);
	if (!c)
		return bz_fail(l, BZ_ENOMEM, "out of memory");
	bool ok = true;
	c->seq = bz_st_column_int64(st, 0);
	c->kind = bz_col_strdup(st, 1, &ok);
	c->subject = bz_col_strdup(st, 2, &ok);
	c->unit = bz_col_strdup(st, 3, &ok);
	c->effective = bz_col_strdup(st, 4, &ok);
	c->doc = bz_col_strdup(st, 5, &ok);
	c->doc_number = bz_col_strdup(st, 6, &ok);
	c->recorded_at = bz_col_strdup(st, 7, &ok);
	c->recorded_by = bz_col_strdup(st, 8, &ok);
	c->office = bz_col_strdup(st, 9, &ok);
	c->note = bz_col_strdup(st, 10, &ok);
	c->origin = bz_col_strdup(st, 11, &ok);
	c->origin_seq = bz_st_column_int64(st, 12);
	int code = ok ? load_attrs(c, l) : bz_fail(l, BZ_ENOMEM, "out of memory");
	if (code != BZ_OK) {
		bz_change_free(c);
		return code;
	}
	*out = c;
	return BZ_OK;
}

/* a record made here has no origin row: its origin is this ledger (exchange.h) */
#define CHANGE_COLS "SELECT e.id, e.kind, e.subject, e.unit, e.effective, e.doc, d.number," \
	" x.recorded_at, x.recorded_by, x.office, e.note," \
	" COALESCE(o.ledger, (SELECT value FROM meta WHERE key='ledger')), COALESCE(o.seq, e.id) FROM event e" \
	" JOIN txn_log x ON x.id=e.txn LEFT JOIN document d ON d.id=e.doc LEFT JOIN event_origin o ON o.event=e.id "

static int changes(bz_change_iter **out, bz_ledger *l, const char *sql, const char *key)
{
	bz_iter *it = NULL;
	int rc = bz_iter_new(&it, l, sql, change_from_row);
	if (rc != BZ_OK)
		return rc;
	bz_bind_text(it->st, 1, key);
	*out = (bz_change_iter *)it;
	return bz_ok(l);
}

BZ_EXTERN int bz_unit_changes(bz_change_iter **out, bz_ledger *ledger, const char *unit_uuid)
{
	if (!out)
		return BZ_EINVAL;
	*out = NULL;
	if (!ledger)
		return BZ_EINVAL;
	if (!bz_uuid_ok(unit_uuid))
		return bz_fail(ledger, BZ_EINVAL, "not a unit UUID");
	bool alive;
	int rc = bz_unit_alive(ledger, unit_uuid, "9999-12-31", &alive);
	if (rc != BZ_OK)
		return rc;
	/* an entry into a post is found by its placement's key: event_unit leaves it out (schema.c, 14) */
	static const char sql[] = CHANGE_COLS "WHERE e.unit=?1 AND e." BZ_KINDS_BY_UNIT
				  " UNION ALL " CHANGE_COLS "WHERE e.id IN (SELECT event FROM placement WHERE unit=?1)"
				  " AND e.unit=?1 AND NOT e." BZ_KINDS_BY_UNIT " ORDER BY 5, 1";
	return changes(out, ledger, sql, unit_uuid);
}

BZ_EXTERN int bz_subject_changes(bz_change_iter **out, bz_ledger *ledger, const char *uuid)
{
	if (!out)
		return BZ_EINVAL;
	*out = NULL;
	if (!ledger)
		return BZ_EINVAL;
	if (!bz_text_ok(uuid))
		return bz_fail(ledger, BZ_EINVAL, "a subject identifier is non-empty UTF-8");
	/* an entry into a post is found by its placement's key, a person's registration by the person's:
	 * event_subject leaves them out (schema.c, 10 and 13) */
	static const char sql[] = CHANGE_COLS "WHERE e.subject=?1 AND e." BZ_KINDS_NOT_BY_SUBJECT
				  " UNION ALL " CHANGE_COLS "WHERE e.id IN (SELECT event FROM placement WHERE id=?1"
				  " UNION ALL SELECT event FROM person WHERE id=?1)"
				  " AND e.subject=?1 AND NOT e." BZ_KINDS_NOT_BY_SUBJECT " ORDER BY 5, 1";
	return changes(out, ledger, sql, uuid);
}

/*
 * The highest sequence number committed, as this handle may see it. Event
 * ids are rowids given as max(id) + 1 inside the write transaction, events
 * are never deleted, and one writer writes at a time: the committed ids are
 * 1 … N in commit order. A transaction open on this handle took the write
 * lock at begin, when N was first_event - 1; its own events come after.
 */
static int last_committed(bz_ledger *l, int64_t *out)
{
	if (l->txn) {
		*out = l->txn->first_event - 1;
		return BZ_OK;
	}
	static const char sql[] = "SELECT COALESCE(max(id), 0) FROM event";
	bz_st *st = bz_stmt(l, sql);
	if (!st)
		return bz_stmt_err();
	int rc = bz_step(st);
	*out = rc == SQLITE_ROW ? bz_st_column_int64(st, 0) : 0;
	bz_st_reset(st);
	return rc == SQLITE_ROW ? BZ_OK : bz_sqlfail(l, rc);
}

/*
 * PostgreSQL (l->db NULL; store.h 4): event ids come from an identity and
 * interleave between writers (A takes 5 and 6, B takes 7 and commits first)
 * and leave gaps where a transaction was refused or rolled back, so they are
 * neither commit order nor a prefix of it. The feed's position is instead
 * record_chain.rowid: given under the ledger's chain lock at commit, after
 * every commit before it is visible (the lock is released only after
 * COMMIT), so the chain rows any snapshot sees are a prefix of commit order,
 * and every record of a committed transaction is chained before its COMMIT.
 * A record is found in that order by its chain row (record_chain.seq is the
 * event id, its primary key), and the chain is walked by the unique index
 * record_chain_order (schema_pg.sql). A transaction open on this handle has
 * chained nothing yet (chain_write runs in its commit): its records are not
 * counted, as on SQLite.
 */

/* the chain head: the record chained last (0, 0: none) */
static int pg_head(bz_ledger *l, int64_t *seq, int64_t *pos)
{
	static const char sql[] = "SELECT seq, rowid FROM record_chain ORDER BY rowid DESC LIMIT 1";
	bz_st *st = bz_stmt(l, sql);
	if (!st)
		return bz_stmt_err();
	int rc = bz_step(st);
	*seq = rc == SQLITE_ROW ? bz_st_column_int64(st, 0) : 0;
	*pos = rc == SQLITE_ROW ? bz_st_column_int64(st, 1) : 0;
	bz_st_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? BZ_OK : bz_sqlfail(l, rc);
}

/* the chain position of record seq (> 0); BZ_ENOTFOUND when no committed record has that number */
static int pg_position(bz_ledger *l, int64_t seq, int64_t *pos)
{
	static const char sql[] = "SELECT rowid FROM record_chain WHERE seq=?1";
	bz_st *st = bz_stmt(l, sql);
	if (!st)
		return bz_stmt_err();
	bz_st_bind_int64(st, 1, seq);
	int rc = bz_step(st);
	*pos = rc == SQLITE_ROW ? bz_st_column_int64(st, 0) : 0;
	bz_st_reset(st);
	if (rc == SQLITE_DONE)
		return bz_fail(l, BZ_ENOTFOUND,
			       "no committed change record has sequence number %lld: ask from a number the feed gave,"
			       " from 0 (every record) or from bz_changes_last_seq() (from now)",
			       (long long)seq);
	return rc == SQLITE_ROW ? BZ_OK : bz_sqlfail(l, rc);
}

BZ_EXTERN int bz_changes_last_seq(int64_t *out, bz_ledger *ledger)
{
	if (!out)
		return BZ_EINVAL;
	*out = 0;
	if (!ledger)
		return BZ_EINVAL;
	int64_t pos;
	int rc = ledger->db ? last_committed(ledger, out) : pg_head(ledger, out, &pos);
	return rc == BZ_OK ? bz_ok(ledger) : rc;
}

BZ_EXTERN int bz_changes_since(bz_change_iter **out, bz_ledger *ledger, int64_t seq)
{
	if (!out)
		return BZ_EINVAL;
	*out = NULL;
	if (!ledger)
		return BZ_EINVAL;
	if (seq < 0)
		return bz_fail(ledger, BZ_EINVAL, "a sequence number is 0 or more, got %lld", (long long)seq);
	/* bounded by what is committed now: records this handle writes while the
	 * iterator lives (or has open now) are not committed, so never seen */
	int64_t from = seq, last;
	int rc;
	static const char sql[] = CHANGE_COLS "WHERE e.id > ?1 AND e.id <= ?2 ORDER BY e.id";
	/* PostgreSQL: between two chain positions, in chain (commit) order */
	static const char pg_sql[] = CHANGE_COLS "JOIN record_chain c ON c.seq=e.id"
				     " WHERE c.rowid > ?1 AND c.rowid <= ?2 ORDER BY c.rowid";
	if (ledger->db)
		rc = last_committed(ledger, &last);
	else {
		int64_t head_seq;
		rc = pg_head(ledger, &head_seq, &last);
		if (rc == BZ_OK && seq > 0)
			rc = pg_position(ledger, seq, &from);
	}
	if (rc != BZ_OK)
		return rc;
	bz_iter *it = NULL;
	if ((rc = bz_iter_new(&it, ledger, ledger->db ? sql : pg_sql, change_from_row)) != BZ_OK)
		return rc;
	bz_st_bind_int64(it->st, 1, from);
	bz_st_bind_int64(it->st, 2, last);
	*out = (bz_change_iter *)it;
	return bz_ok(ledger);
}

BZ_EXTERN int bz_change_iter_next(bz_change **out, bz_change_iter *it)
{
	return bz_iter_next((void **)out, (bz_iter *)it);
}

BZ_EXTERN void bz_change_iter_free(bz_change_iter *it)
{
	bz_iter_free((bz_iter *)it);
}

BZ_EXTERN int64_t bz_change_seq(const bz_change *c) { return c ? c->seq : 0; }
BZ_EXTERN const char *bz_change_kind(const bz_change *c) { return c ? c->kind : NULL; }
BZ_EXTERN const char *bz_change_subject(const bz_change *c) { return c ? c->subject : NULL; }
BZ_EXTERN const char *bz_change_unit(const bz_change *c) { return c ? c->unit : NULL; }
BZ_EXTERN const char *bz_change_effective(const bz_change *c) { return c ? c->effective : NULL; }
BZ_EXTERN const char *bz_change_document(const bz_change *c) { return c ? c->doc : NULL; }
BZ_EXTERN const char *bz_change_document_number(const bz_change *c) { return c ? c->doc_number : NULL; }
BZ_EXTERN const char *bz_change_recorded_at(const bz_change *c) { return c ? c->recorded_at : NULL; }
BZ_EXTERN const char *bz_change_recorded_by(const bz_change *c) { return c ? c->recorded_by : NULL; }
BZ_EXTERN const char *bz_change_office(const bz_change *c) { return c ? c->office : NULL; }
BZ_EXTERN const char *bz_change_note(const bz_change *c) { return c ? c->note : NULL; }
BZ_EXTERN const char *bz_change_origin(const bz_change *c) { return c ? c->origin : NULL; }
BZ_EXTERN int64_t bz_change_origin_seq(const bz_change *c) { return c ? c->origin_seq : 0; }
BZ_EXTERN size_t bz_change_attr_count(const bz_change *c) { return c ? c->nattrs : 0; }

BZ_EXTERN const char *bz_change_attr_name(const bz_change *c, size_t index)
{
	return c && index < c->nattrs ? c->attrs[index].name : NULL;
}
BZ_EXTERN const char *bz_change_attr_before(const bz_change *c, size_t index)
{
	return c && index < c->nattrs ? c->attrs[index].before : NULL;
}
BZ_EXTERN const char *bz_change_attr_after(const bz_change *c, size_t index)
{
	return c && index < c->nattrs ? c->attrs[index].after : NULL;
}
