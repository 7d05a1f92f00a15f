/*
 * bianzhi/verify.h: tamper evidence — the hash chain over the change log.
 *
 * Every change record (an event with its facts, the transaction's who and
 * when) carries a SHA-256 that chains it to the record before it:
 *
 *   hash(n) = SHA-256(hash(n-1) ‖ D_content ‖ D_facts ‖ D_who ‖ n)
 *
 * where D_content covers kind, subject, unit, effective, document and note,
 * D_facts every fact of the record in order (subject, attr, effective,
 * before, after; since schema 12 the management card an entry issued is
 * held once, in its card row, and counted as the record's last fact
 * `card` — as it was stored before — so the digests are unchanged and an
 * altered card is located at its entering record), D_who the transaction (its number, recorded_at,
 * recorded_by, office), each field length-prefixed; hash(0) is 32 zero
 * bytes. The hashes are computed at commit (bz_txn_commit, bz_ledger_import)
 * into an append-only table, and for a ledger of schema 6 or older by the
 * migration to schema 7, for all its records at once. Since schema 10 the
 * chain runs over every record as before but its hash is stored only at
 * the last record of each transaction (a transaction is committed, and
 * signed off, whole); every record keeps 8-byte prefixes of its three
 * digests, which locate an altered record inside a transaction. A head is
 * therefore always the position of a transaction's last record, and heads
 * taken before the migration to 10 stay valid (the chain did not change).
 *
 * An edit made behind the library (the sqlite3 shell on the file) breaks
 * the chain where it was made, and bz_ledger_verify() says where and what.
 * Someone with the file can recompute the whole chain, though: the head
 * hash (bz_ledger_head_hash) printed and signed off on paper, or sent to
 * the city, is what proves the ledger unchanged since — a later
 * bz_ledger_verify() given that head finds any change at or before it.
 */
#ifndef BIANZHI_VERIFY_H
#define BIANZHI_VERIFY_H

#include "txn.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * The head of the chain: *hash gets the hex SHA-256 (64 characters) of the
 * last change record, owned by the caller (bz_free()), *seq its position
 * (the change feed's sequence number, change.h). A ledger with no record
 * has seq 0 and a hash of 64 zeros. BZ_EINVAL for a NULL argument;
 * BZ_EMISUSE while a transaction is open on the handle (its records are
 * not chained yet). Since 1.1.
 */
BZ_EXTERN int bz_ledger_head_hash(char **hash, int64_t *seq, bz_ledger *ledger);

/**
 * Walk the chain and recompute every record's hash from what the ledger
 * holds; then recompute every derived counter from the records, over its
 * whole timeline (账实不符, below), and hash the stored files again
 * (档案不符). *out gets a report, owned by the caller (bz_report_free()),
 * with one error of rule BZ_RULE_INTEGRITY per finding; an empty report
 * means intact; chain findings come first, then counters, then files.
 *
 * A counter finding (账实不符) is one per counter whose stored timeline
 * (its breakpoints in the derived tables) is not the step function its
 * records give — a breakpoint's figure altered, one deleted, one inserted
 * that no record explains, one moved to another date, past or dated after
 * today, the counter's row deleted or one added: its category and subject
 * name are the counter's key ("U:<unit>:<est|staff|resv|frozen>:<category>",
 * "J:<jurisdiction>:<counter>:<branch>", "L:<subject>:<principal|deputy>",
 * "S:<unit>:count"), its subject the unit, jurisdiction or subject the key
 * names, its date the first day on which the stored figure and the records'
 * differ, its bz_violation_actual() the stored figure on that day and its
 * bz_violation_allowed() the records' figure on that day (a counter with no
 * breakpoint there, or none at all, counts as 0); no document. Step
 * functions are compared, not rows: a stored breakpoint that repeats the
 * figure before it (or a first one of 0) changes no figure on any day and
 * is not reported — the library itself leaves such breakpoints. Counter
 * findings come in key order.
 *
 * A chain finding has category "CHAIN", its
 * bz_violation_actual() is the record's position (seq), its subject, date
 * and document those of the record, its subject name the record's kind,
 * and its message says what differs:
 *   - altered: its content, its facts or its who-and-when no longer give
 *     the hash written at commit (the parts that differ are named);
 *   - inserted: a record without a hash (written behind the library);
 *   - deleted: a hash whose record is no longer there;
 *   - relinked: the record is as written, but its link does not follow
 *     from the hash before it (a record before it deleted with its hash,
 *     or the hashes rewritten) — reported at the last record of the
 *     transaction where the link breaks, the first one that stores a hash;
 *   - head: (with head) the hash at head_seq is not the one given, or the
 *     record is not there.
 * With head non-NULL the verify also proves the ledger unchanged since
 * that head was taken (bz_ledger_head_hash): the stored hash at head_seq
 * must equal head (hex, either case) and no finding may lie at or before
 * head_seq. head NULL: head_seq is ignored.
 *
 * BZ_EINVAL for a NULL out or ledger, or a head that is not 64 hex digits
 * or a head_seq < 0; BZ_EMISUSE while a transaction is open on the handle.
 * Since 1.1.
 */
BZ_EXTERN int bz_ledger_verify(bz_report **out, bz_ledger *ledger, int64_t head_seq, const char *head);

#ifdef __cplusplus
}
#endif

#endif
