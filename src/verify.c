/*
 * verify.c: the hash chain over the change log (verify.h) — written at
 * commit, walked by bz_ledger_verify().
 *
 * Table record_chain(seq, hash, parts): one row per chained record, seq the
 * event's id, parts the first 8 bytes of each of the record's three digests
 * (content, facts, who-and-when), hash the 32-byte chain hash. The chain
 * runs over every record and the full digests, but since schema 10 its
 * hash is stored only at the last record of each transaction (NULL inside
 * one): a transaction is written, and signed off (the head), whole, and
 * 1,000 hires in one transaction no longer store 2,000 hashes. A record
 * inside a transaction is still located when altered — its parts no longer
 * match — and the hash at its transaction's end proves the whole of it.
 * The table has no foreign key to event: the row of a deleted record stays.
 * On PostgreSQL writers commit at once and event ids (an identity) interleave
 * between them: the chain follows commit order, not id order. chain_write
 * takes the ledger's chain lock (an advisory transaction lock, the last lock
 * a commit takes: store.h 4), chains the events no row covers yet (the
 * committing transaction's: every committed one was chained under the lock)
 * after the last row written, and record_chain's `rowid` identity, given
 * under the lock, is the commit order the walk follows. On SQLite rowid IS
 * seq (one writer: id order is commit order), so the same SQL serves both.
 * SHA-256 is nettle's, as for the stored files (archive.c).
 */
#include "internal.h"
#include "rules.h"

#include "bianzhi/verify.h"

#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DIG SHA256_DIGEST_SIZE
#define PART 8

/* the digests of one record */
typedef struct digests {
	uint8_t content[DIG], facts[DIG], who[DIG];
} digests;

/* a field: 0 for NULL, else 1, its length (4 bytes, big-endian), its bytes */
static void put_field(struct sha256_ctx *c, bz_st *st, int col)
{
	uint8_t tag = 0;
	if (bz_st_column_type(st, col) == SQLITE_NULL) {
		sha256_update(c, 1, &tag);
		return;
	}
	const uint8_t *s = bz_st_column_text(st, col);
	uint32_t n = (uint32_t)bz_st_column_bytes(st, col);
	uint8_t head[5] = {1, (uint8_t)(n >> 24), (uint8_t)(n >> 16), (uint8_t)(n >> 8), (uint8_t)n};
	sha256_update(c, sizeof head, head);
	if (n)
		sha256_update(c, n, s);
}

static void put_int(struct sha256_ctx *c, int64_t v)
{
	uint8_t b[8];
	for (int i = 0; i < 8; i++)
		b[i] = (uint8_t)((uint64_t)v >> (56 - 8 * i));
	sha256_update(c, sizeof b, b);
}

/* the record's facts in the order written, the card it issued last (schema 12: internal.h); ?2 its subject,
 * ?3 its kind */
static const char facts_sql[] = BZ_FACTS_OF_RECORD_KNOWN;

/*
 * The facts of the records a commit chains, read ahead in one statement
 * (chain_write; issue 10): the rows of BZ_FACTS_OF_RECORDS_FROM from the
 * commit's first record on, st on the current row (rc SQLITE_ROW) or done.
 * A bulk hire's registration and entry have no fact rows at all (the entry
 * only its card), and a statement per record to learn that cost two of a
 * hire's statements. Of the ways to know which records have facts without
 * asking each, this one keeps the fewest assumptions: the set is not kept
 * by the writers (an import, a copy, the archive and every area write facts
 * and cards, each its own way: a list kept in C would have to follow them
 * all), nor guessed from the kinds; it is what the tables hold, read by the
 * same joins as the per-record statement, so a record with no row here is
 * exactly one whose statement gives nothing, and it digests the same bytes
 * (the digest of nothing). The rows of records the walk does not chain —
 * other writers' on PostgreSQL, where ids interleave and this range holds
 * their committed records too — are stepped over. prev_hash() and the
 * verify walk, which digest records of other transactions one at a time,
 * keep the per-record statement (NULL here).
 */
typedef struct facts_ahead {
	bz_st *st;
	int rc;
} facts_ahead;
static const char who_sql[] = "SELECT recorded_at, recorded_by, office FROM txn_log WHERE id=?1";

/* who/when of the last transaction digested: the records of one transaction
 * share it, so a commit of 2,000 records reads its txn_log row once */
typedef struct who_memo {
	bool valid;
	int64_t txn;
	uint8_t who[DIG];
} who_memo;

static int digest_who(bz_ledger *l, bz_st *ev, digests *d, who_memo *wm);

/* the facts digest of record id from the rows read ahead (their column 0 the record's id) */
static int digest_ahead(bz_ledger *l, facts_ahead *fa, int64_t id, uint8_t out[DIG])
{
	struct sha256_ctx c;
	sha256_init(&c);
	while (fa->rc == SQLITE_ROW && bz_st_column_int64(fa->st, 0) < id)
		fa->rc = bz_step(fa->st);
	while (fa->rc == SQLITE_ROW && bz_st_column_int64(fa->st, 0) == id) {
		for (int col = 1; col <= 5; col++)
			put_field(&c, fa->st, col);
		fa->rc = bz_step(fa->st);
	}
	if (fa->rc != SQLITE_ROW && fa->rc != SQLITE_DONE)
		return bz_sqlfail(l, fa->rc);
	sha256_digest(&c, DIG, out);
	return BZ_OK;
}

/* The digests of the record whose event row st holds: columns id, txn, kind,
 * subject, unit, effective, doc, note (0…7); its facts from fa when given. */
static int digest_record(bz_ledger *l, bz_st *ev, digests *d, who_memo *wm, facts_ahead *fa)
{
	struct sha256_ctx c;
	sha256_init(&c);
	for (int col = 2; col <= 7; col++)
		put_field(&c, ev, col);
	sha256_digest(&c, DIG, d->content);

	int rc;
	if (fa) {
		if ((rc = digest_ahead(l, fa, bz_st_column_int64(ev, 0), d->facts)) != BZ_OK)
			return rc;
		return digest_who(l, ev, d, wm);
	}
	bz_st *st = bz_stmt(l, facts_sql);
	if (!st)
		return bz_stmt_err();
	bz_st_bind_int64(st, 1, bz_st_column_int64(ev, 0));
	bz_bind_column(st, 2, ev, 3);
	bz_bind_column(st, 3, ev, 2);
	sha256_init(&c);
	while ((rc = bz_step(st)) == SQLITE_ROW)
		for (int col = 0; col < 5; col++)
			put_field(&c, st, col);
	bz_st_reset(st);
	if (rc != SQLITE_DONE)
		return bz_sqlfail(l, rc);
	sha256_digest(&c, DIG, d->facts);
	return digest_who(l, ev, d, wm);
}

/* the who-and-when digest of the record whose event row ev holds (its transaction's, memoised in wm) */
static int digest_who(bz_ledger *l, bz_st *ev, digests *d, who_memo *wm)
{
	struct sha256_ctx c;
	int64_t txn = bz_st_column_int64(ev, 1);
	if (wm->valid && wm->txn == txn) {
		memcpy(d->who, wm->who, DIG);
		return BZ_OK;
	}
	bz_st *st = bz_stmt(l, who_sql);
	if (!st)
		return bz_stmt_err();
	bz_st_bind_int64(st, 1, txn);
	sha256_init(&c);
	put_int(&c, txn);
	int rc = bz_step(st);
	if (rc == SQLITE_ROW)
		for (int col = 0; col < 3; col++)
			put_field(&c, st, col);
	else
		put_int(&c, -1); /* no transaction row (deleted behind the library) */
	bz_st_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return bz_sqlfail(l, rc);
	sha256_digest(&c, DIG, d->who);
	wm->valid = true;
	wm->txn = txn;
	memcpy(wm->who, d->who, DIG);
	return BZ_OK;
}

static void chain_hash(uint8_t out[DIG], const uint8_t prev[DIG], const digests *d, int64_t seq)
{
	struct sha256_ctx c;
	sha256_init(&c);
	sha256_update(&c, DIG, prev);
	sha256_update(&c, DIG, d->content);
	sha256_update(&c, DIG, d->facts);
	sha256_update(&c, DIG, d->who);
	put_int(&c, seq);
	sha256_digest(&c, DIG, out);
}

static void parts_of(uint8_t out[3 * PART], const digests *d)
{
	memcpy(out, d->content, PART);
	memcpy(out + PART, d->facts, PART);
	memcpy(out + 2 * PART, d->who, PART);
}

static void to_hex(char out[2 * DIG + 1], const uint8_t *d)
{
	static const char hx[] = "0123456789abcdef";
	for (size_t i = 0; i < DIG; i++) {
		out[2 * i] = hx[d[i] >> 4];
		out[2 * i + 1] = hx[d[i] & 15];
	}
	out[2 * DIG] = '\0';
}

static bool from_hex(uint8_t out[DIG], const char *s)
{
	if (strlen(s) != 2 * DIG)
		return false;
	for (size_t i = 0; i < 2 * DIG; i++) {
		int c = s[i], v;
		if (c >= '0' && c <= '9')
			v = c - '0';
		else if (c >= 'a' && c <= 'f')
			v = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v = c - 'A' + 10;
		else
			return false;
		if (i % 2 == 0)
			out[i / 2] = (uint8_t)(v << 4);
		else
			out[i / 2] |= (uint8_t)v;
	}
	return true;
}

#define EVENT_COLS "SELECT e.id, e.txn, e.kind, e.subject, e.unit, e.effective, e.doc, e.note"

/*
 * The chain hash of the last chained record before seq (zeros: none): the
 * last hash stored before it, carried over the chained records between it
 * and seq (those inside the same transaction, whose hash is not stored).
 */
static int prev_hash(bz_ledger *l, int64_t seq, uint8_t out[DIG])
{
	static const char sql[] =
		"SELECT seq, hash FROM record_chain WHERE seq<?1 AND hash IS NOT NULL ORDER BY seq DESC LIMIT 1";
	static const char between_sql[] = EVENT_COLS " FROM record_chain c JOIN event e ON e.id=c.seq"
						     " WHERE c.seq>?1 AND c.seq<?2 ORDER BY c.seq";
	bz_st *st = bz_stmt(l, sql);
	if (!st)
		return bz_stmt_err();
	bz_st_bind_int64(st, 1, seq);
	memset(out, 0, DIG);
	int64_t from = 0;
	int rc = bz_step(st);
	if (rc == SQLITE_ROW) {
		from = bz_st_column_int64(st, 0);
		if (bz_st_column_bytes(st, 1) == DIG)
			memcpy(out, bz_st_column_blob(st, 1), DIG);
	}
	bz_st_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return bz_sqlfail(l, rc);
	if (from + 1 >= seq)
		return BZ_OK;
	/* not cached: digest_record steps cached statements while this one runs */
	bz_st *ev = NULL;
	if ((rc = bz_store_prepare(l->store, &ev, between_sql)) != SQLITE_OK)
		return bz_sqlfail(l, rc);
	bz_st_bind_int64(ev, 1, from);
	bz_st_bind_int64(ev, 2, seq);
	int code = BZ_OK;
	who_memo wm = {0};
	while (code == BZ_OK && (rc = bz_step(ev)) == SQLITE_ROW) {
		digests d;
		if ((code = digest_record(l, ev, &d, &wm, NULL)) == BZ_OK)
			chain_hash(out, out, &d, bz_st_column_int64(ev, 0));
	}
	if (code == BZ_OK && rc != SQLITE_DONE)
		code = bz_sqlfail(l, rc);
	bz_st_finalize(ev);
	return code;
}

/* one row of the chain: hash NULL inside a transaction */
static int chain_put(bz_ledger *l, int64_t seq, const uint8_t *hash, const uint8_t parts[3 * PART])
{
	static const char put_sql[] = "INSERT INTO record_chain(seq, hash, parts) VALUES(?1,?2,?3)";
	bz_st *st = bz_stmt(l, put_sql);
	if (!st)
		return bz_stmt_err();
	/* STATIC: the step below runs (and resets) while hash and parts live; no copy, nothing to fail */
	bz_st_bind_int64(st, 1, seq);
	if (hash)
		bz_st_bind_blob_static(st, 2, hash, DIG);
	else
		bz_st_bind_null(st, 2);
	bz_st_bind_blob_static(st, 3, parts, 3 * PART);
	return bz_step_done(l, st);
}

/* PostgreSQL: the chain lock, then the hash of the last row written (zeros: none) */
static int pg_chain_head(bz_ledger *l, uint8_t out[DIG])
{
	static const char lock_sql[] = "SELECT pg_advisory_xact_lock(hashtextextended(?1, 0))";
	static const char last_sql[] = "SELECT hash FROM record_chain ORDER BY rowid DESC LIMIT 1";
	char key[BZ_STORE_SCHEMA_MAX + 16];
	snprintf(key, sizeof key, "%s:chain", bz_store_schema(l->store));
	bz_st *st = bz_stmt(l, lock_sql);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, key);
	int rc = bz_step(st);
	bz_st_reset(st);
	if (rc != SQLITE_ROW)
		return (rc & 0xff) == SQLITE_BUSY ? bz_fail(l, BZ_EBUSY, "the commit could not take the ledger's chain lock: %.300s",
							     bz_store_errmsg(l->store))
						   : bz_sqlfail(l, rc);
	memset(out, 0, DIG);
	if (!(st = bz_stmt(l, last_sql)))
		return bz_stmt_err();
	rc = bz_step(st);
	if (rc == SQLITE_ROW && bz_st_column_bytes(st, 0) == DIG)
		memcpy(out, bz_st_column_blob(st, 0), DIG);
	bz_st_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? BZ_OK : bz_sqlfail(l, rc);
}

static int chain_write(bz_ledger *l, long long first, bool every)
{
	static const char ev_sql[] = EVENT_COLS " FROM event e WHERE e.id>=?1 ORDER BY e.id";
	/* PostgreSQL: the ids from first on hold other writers' records too, chained at their commits */
	static const char ev_pg_sql[] = EVENT_COLS " FROM event e WHERE e.id>=?1"
						   " AND NOT EXISTS (SELECT 1 FROM record_chain c WHERE c.seq=e.id) ORDER BY e.id";
	bool pg = !l->db;
	uint8_t prev[DIG];
	int code = pg ? pg_chain_head(l, prev) : prev_hash(l, first, prev);
	if (code != BZ_OK)
		return code;
	static const char facts_from_sql[] = BZ_FACTS_OF_RECORDS_FROM;
	/* not cached: digest_record steps cached statements while this one runs */
	bz_st *ev = NULL;
	int rc = bz_store_prepare(l->store, &ev, pg ? ev_pg_sql : ev_sql);
	if (rc != SQLITE_OK)
		return bz_sqlfail(l, rc);
	/* cached (a commit of one hire would prepare it each time): nothing the walk calls steps it */
	facts_ahead fa = {bz_stmt(l, facts_from_sql), SQLITE_DONE};
	if (!fa.st) {
		bz_st_finalize(ev);
		return bz_stmt_err();
	}
	bz_st_bind_int64(ev, 1, first);
	bz_st_bind_int64(fa.st, 1, first);
	fa.rc = bz_step(fa.st);
	/* each row is written when the next record is read: its hash only if that one is of another transaction */
	who_memo wm = {0};
	bool held = false;
	int64_t held_seq = 0, held_txn = 0;
	uint8_t held_parts[3 * PART];
	while (code == BZ_OK && (rc = bz_step(ev)) == SQLITE_ROW) {
		digests d;
		int64_t seq = bz_st_column_int64(ev, 0), txn = bz_st_column_int64(ev, 1);
		if ((code = digest_record(l, ev, &d, &wm, &fa)) != BZ_OK)
			break;
		if (held && (code = chain_put(l, held_seq, every || txn != held_txn ? prev : NULL, held_parts)) != BZ_OK)
			break;
		chain_hash(prev, prev, &d, seq);
		parts_of(held_parts, &d);
		held = true;
		held_seq = seq;
		held_txn = txn;
	}
	if (code == BZ_OK && rc != SQLITE_DONE)
		code = bz_sqlfail(l, rc);
	if (code == BZ_OK && fa.rc != SQLITE_ROW && fa.rc != SQLITE_DONE)
		code = bz_sqlfail(l, fa.rc);
	if (code == BZ_OK && held)
		code = chain_put(l, held_seq, prev, held_parts);
	bz_st_finalize(ev);
	bz_st_reset(fa.st);
	return code;
}

BZ_INTERNAL int bz_chain_extend(bz_ledger *l, long long first) { return chain_write(l, first, false); }

BZ_INTERNAL int bz_chain_extend_every(bz_ledger *l, long long first) { return chain_write(l, first, true); }

BZ_EXTERN int bz_ledger_head_hash(char **hash, int64_t *seq, bz_ledger *ledger)
{
	if (hash)
		*hash = NULL;
	if (seq)
		*seq = 0;
	if (!hash || !seq || !ledger)
		return BZ_EINVAL;
	if (ledger->txn)
		return bz_fail(ledger, BZ_EMISUSE, "commit or roll back the open transaction before taking the head hash");
	/* rowid: commit order on either backend (the file header) */
	static const char sql[] = "SELECT seq, hash FROM record_chain WHERE hash IS NOT NULL ORDER BY rowid DESC LIMIT 1";
	bz_st *st = bz_stmt(ledger, sql);
	if (!st)
		return bz_stmt_err();
	uint8_t h[DIG] = {0};
	int64_t n = 0;
	int rc = bz_step(st);
	if (rc == SQLITE_ROW) {
		n = bz_st_column_int64(st, 0);
		if (bz_st_column_bytes(st, 1) == DIG)
			memcpy(h, bz_st_column_blob(st, 1), DIG);
	}
	bz_st_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return bz_sqlfail(ledger, rc);
	char *out = bz__malloc(2 * DIG + 1);
	if (!out)
		return bz_fail(ledger, BZ_ENOMEM, "out of memory");
	to_hex(out, h);
	*hash = out;
	*seq = n;
	return bz_ok(ledger);
}

/* ---- the walk ------------------------------------------------------------------------ */

typedef struct walk {
	bz_ledger *l;
	bz_report *r;
	int64_t head_seq;     /* -1: no head given */
	const uint8_t *head;  /* the head given */
	bool head_seen;
	who_memo wm;
	bool tainted; /* a finding inside the current transaction: the chain computed since is not the one stored */
} walk;

static int finding(walk *w, int64_t seq, bz_st *ev, const char *fmt, const char *what)
{
	const char *kind = ev ? (const char *)bz_st_column_text(ev, 2) : NULL;
	const char *subject = ev ? (const char *)bz_st_column_text(ev, 3) : NULL;
	const char *date = ev ? (const char *)bz_st_column_text(ev, 5) : NULL;
	const char *doc = ev ? (const char *)bz_st_column_text(ev, 6) : NULL;
	return bz_report_add(w->r, BZ_RULE_INTEGRITY, BZ_SEVERITY_ERROR, subject, kind, "CHAIN", -1, seq, doc, NULL,
			     date, fmt, (long long)seq, what);
}

/* the stored hash at seq against the head given */
static int head_row(walk *w, int64_t seq, const uint8_t *stored, bz_st *ev)
{
	if (w->head_seq != seq)
		return BZ_OK;
	w->head_seen = true;
	if (stored && memcmp(stored, w->head, DIG) == 0)
		return BZ_OK;
	return finding(w, seq, ev, "head: change record #%lld %s",
		       stored ? "does not carry the head hash signed off: the chain was rewritten at or before it"
			      : "has no hash, so it is not the head signed off");
}

/* an event row with its chain row (hash NULL inside a transaction; chained 0 when there is none) */
static int walk_event(walk *w, bz_st *ev, uint8_t prev[DIG])
{
	int64_t seq = bz_st_column_int64(ev, 0);
	bool chained = bz_st_column_type(ev, 10) != SQLITE_NULL;
	bool stored = bz_st_column_type(ev, 8) != SQLITE_NULL;
	uint8_t have[DIG] = {0};
	if (stored && bz_st_column_bytes(ev, 8) == DIG)
		memcpy(have, bz_st_column_blob(ev, 8), DIG);
	int code = head_row(w, seq, stored ? have : NULL, ev);
	if (code != BZ_OK)
		return code;
	if (!chained)
		return finding(w, seq, ev, "inserted: change record #%lld %s",
			       "has no hash in the chain: it was written behind the library");
	uint8_t parts[3 * PART] = {0};
	if (bz_st_column_bytes(ev, 9) == (int)sizeof parts)
		memcpy(parts, bz_st_column_blob(ev, 9), sizeof parts);
	digests d;
	if ((code = digest_record(w->l, ev, &d, &w->wm, NULL)) != BZ_OK)
		return code;
	uint8_t want[DIG];
	chain_hash(want, prev, &d, seq);
	uint8_t now[3 * PART];
	parts_of(now, &d);
	char what[256] = "";
	static const char *const names[] = {"its content (kind, subject, unit, effective, document, note)",
					    "its facts (attribute, before, after)",
					    "who and when (its transaction's recorded_at, recorded_by, office)"};
	for (int i = 0; i < 3; i++)
		if (memcmp(now + i * PART, parts + i * PART, PART) != 0)
			snprintf(what + strlen(what), sizeof what - strlen(what), "%s%s", what[0] ? "; " : "", names[i]);
	if (!stored) {
		/* inside its transaction: the chain runs on, the parts say whether this record was altered */
		memcpy(prev, want, DIG);
		if (!what[0])
			return BZ_OK;
		w->tainted = true;
		return finding(w, seq, ev, "altered: change record #%lld differs from what was hashed at its commit: %s", what);
	}
	bool tainted = w->tainted;
	w->tainted = false;
	memcpy(prev, have, DIG);
	if (memcmp(want, have, DIG) == 0)
		return BZ_OK;
	if (what[0])
		return finding(w, seq, ev, "altered: change record #%lld differs from what was hashed at its commit: %s", what);
	if (tainted)
		return BZ_OK; /* a record before it in its transaction was found altered or deleted: that is the finding */
	return finding(w, seq, ev, "relinked: change record #%lld %s",
		       "is as written, but its hash does not follow from the record before it: a record before it was "
		       "deleted with its hash, or the chain was rewritten");
}

/* a chain row whose record is gone (stored NULL inside a transaction) */
static int walk_deleted(walk *w, int64_t seq, const uint8_t *stored, uint8_t prev[DIG])
{
	int code = head_row(w, seq, stored, NULL);
	if (code == BZ_OK)
		code = finding(w, seq, NULL, "deleted: change record #%lld %s",
			       "was hashed at its commit but is no longer in the ledger");
	if (stored) {
		memcpy(prev, stored, DIG);
		w->tainted = false;
	} else {
		w->tainted = true;
	}
	return code;
}

/*
 * PostgreSQL: the chain in commit order (record_chain.rowid, the file
 * header), a row whose record is gone found on the way; then the records no
 * row covers, in id order.
 */
static int walk_end(walk *w, int code);

static int walk_pg(walk *w)
{
	static const char chain_sql[] = EVENT_COLS ", c.hash, c.parts, c.seq FROM record_chain c LEFT JOIN event e ON e.id=c.seq"
						  " ORDER BY c.rowid";
	static const char loose_sql[] = EVENT_COLS ", NULL, NULL, NULL FROM event e"
						  " WHERE NOT EXISTS (SELECT 1 FROM record_chain c WHERE c.seq=e.id) ORDER BY e.id";
	uint8_t prev[DIG] = {0};
	int code = BZ_OK;
	int64_t done = 0;
	for (int pass = 0; pass < 2 && code == BZ_OK; pass++) {
		bz_st *st = NULL;
		int rc = bz_store_prepare(w->l->store, &st, pass == 0 ? chain_sql : loose_sql);
		if (rc != SQLITE_OK)
			return bz_sqlfail(w->l, rc);
		while (code == BZ_OK && (rc = bz_step(st)) == SQLITE_ROW) {
			if (bz_st_column_type(st, 0) == SQLITE_NULL) {
				uint8_t h[DIG] = {0};
				bool stored = bz_st_column_type(st, 8) != SQLITE_NULL;
				if (stored && bz_st_column_bytes(st, 8) == DIG)
					memcpy(h, bz_st_column_blob(st, 8), DIG);
				code = walk_deleted(w, bz_st_column_int64(st, 10), stored ? h : NULL, prev);
			} else {
				code = walk_event(w, st, prev);
			}
			if (++done % 10000 == 0)
				bz_progress(w->l, "verify", done);
		}
		if (code == BZ_OK && rc != SQLITE_DONE)
			code = bz_sqlfail(w->l, rc);
		bz_st_finalize(st);
	}
	return code;
}

static int walk_chain(walk *w)
{
	if (!w->l->db)
		return walk_end(w, walk_pg(w));
	static const char ev_sql[] = EVENT_COLS ", c.hash, c.parts, c.seq FROM event e LEFT JOIN record_chain c ON c.seq=e.id"
					       " ORDER BY e.id";
	static const char gone_sql[] = "SELECT c.seq, c.hash FROM record_chain c"
				       " WHERE NOT EXISTS (SELECT 1 FROM event e WHERE e.id=c.seq) ORDER BY c.seq";
	bz_st *ev = NULL, *gone = NULL;
	int rc = bz_store_prepare(w->l->store, &ev, ev_sql);
	if (rc == SQLITE_OK)
		rc = bz_store_prepare(w->l->store, &gone, gone_sql);
	if (rc != SQLITE_OK) {
		bz_st_finalize(ev);
		return bz_sqlfail(w->l, rc);
	}
	uint8_t prev[DIG] = {0};
	int code = BZ_OK;
	int erc = bz_step(ev), grc = bz_step(gone);
	int64_t done = 0;
	while (code == BZ_OK && (erc == SQLITE_ROW || grc == SQLITE_ROW)) {
		bool take_gone = grc == SQLITE_ROW &&
				 (erc != SQLITE_ROW || bz_st_column_int64(gone, 0) < bz_st_column_int64(ev, 0));
		if (take_gone) {
			uint8_t h[DIG] = {0};
			bool stored = bz_st_column_type(gone, 1) != SQLITE_NULL;
			if (stored && bz_st_column_bytes(gone, 1) == DIG)
				memcpy(h, bz_st_column_blob(gone, 1), DIG);
			code = walk_deleted(w, bz_st_column_int64(gone, 0), stored ? h : NULL, prev);
			grc = bz_step(gone);
		} else {
			code = walk_event(w, ev, prev);
			erc = bz_step(ev);
		}
		if (++done % 10000 == 0)
			bz_progress(w->l, "verify", done);
	}
	if (code == BZ_OK && ((erc != SQLITE_DONE && erc != SQLITE_ROW) || (grc != SQLITE_DONE && grc != SQLITE_ROW)))
		code = bz_sqlfail(w->l, erc != SQLITE_DONE && erc != SQLITE_ROW ? erc : grc);
	bz_st_finalize(ev);
	bz_st_finalize(gone);
	return walk_end(w, code);
}

/* the head signed off, when none of the walk's rows was it */
static int walk_end(walk *w, int code)
{
	if (code == BZ_OK && w->head_seq > 0 && !w->head_seen)
		code = finding(w, w->head_seq, NULL, "head: change record #%lld %s",
			       "is not in the ledger: the head signed off lies beyond its chain");
	if (code == BZ_OK && w->head_seq == 0) {
		static const uint8_t zero[DIG] = {0};
		if (memcmp(w->head, zero, DIG) != 0)
			code = finding(w, 0, NULL, "head: position %lld %s", "carries the hash of an empty ledger only");
	}
	return code;
}

BZ_EXTERN int bz_ledger_verify(bz_report **out, bz_ledger *ledger, int64_t head_seq, const char *head)
{
	if (!out)
		return BZ_EINVAL;
	*out = NULL;
	if (!ledger)
		return BZ_EINVAL;
	uint8_t h[DIG];
	if (head && (head_seq < 0 || !from_hex(h, head)))
		return bz_fail(ledger, BZ_EINVAL, "a head hash is 64 hexadecimal digits at a position >= 0");
	if (ledger->txn)
		return bz_fail(ledger, BZ_EMISUSE, "commit or roll back the open transaction before a verify");
	bz_report *r = bz_report_new();
	if (!r)
		return bz_fail(ledger, BZ_ENOMEM, "out of memory");
	walk w = {.l = ledger, .r = r, .head_seq = head ? head_seq : -1, .head = head ? h : NULL};
	/* one read snapshot for the whole walk */
	int code = bz_exec(ledger, "BEGIN");
	if (code == BZ_OK) {
		code = walk_chain(&w);
		if (code == BZ_OK)
			code = bz_integrity_check(ledger, r, NULL);
		bz_end_read(ledger);
	}
	if (code != BZ_OK) {
		bz_report_free(r);
		return code;
	}
	*out = r;
	return bz_ok(ledger);
}
