/*
 * schema.c: the ledger's SQL schema — the one place it is written down —
 * with its version and the migrations from every older version.
 *
 * The change log (txn_log, event, fact) is append-only: triggers refuse
 * UPDATE and DELETE. Entity tables hold what never changes about an entity
 * (its UUID, keys, founding); what changes over time lives in fact rows, one
 * attribute timeline per (subject, attr). The tl table is derived: counters
 * kept as step functions so that a check reads only what it needs.
 */
#include "internal.h"

#include <stdio.h>
#include <string.h>

/* Schema version 1, complete. Migrations append after it, never edit it. */
static const char schema_v1[] =
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
	"INSERT INTO meta VALUES('application','libbianzhi');"

	/* --- the change log: append-only --- */
	"CREATE TABLE txn_log(id INTEGER PRIMARY KEY, recorded_at TEXT NOT NULL,"
	" recorded_by TEXT NOT NULL, office TEXT NOT NULL);"
	"CREATE TABLE event(id INTEGER PRIMARY KEY, txn INTEGER NOT NULL REFERENCES txn_log(id),"
	" kind TEXT NOT NULL, subject TEXT NOT NULL, unit TEXT, effective TEXT NOT NULL,"
	" doc TEXT REFERENCES document(id), note TEXT);"
	"CREATE INDEX event_unit ON event(unit, effective, id);"
	"CREATE INDEX event_subject ON event(subject, effective, id);"
	"CREATE INDEX event_txn ON event(txn);"
	"CREATE TABLE fact(event INTEGER NOT NULL REFERENCES event(id), subject TEXT NOT NULL,"
	" attr TEXT NOT NULL, effective TEXT NOT NULL, before TEXT, after TEXT);"
	"CREATE INDEX fact_timeline ON fact(subject, attr, effective, event);"
	"CREATE INDEX fact_value ON fact(attr, after);"
	"CREATE INDEX fact_event ON fact(event);"
	"CREATE TRIGGER txn_log_no_update BEFORE UPDATE ON txn_log BEGIN SELECT RAISE(ABORT,'change records are append-only'); END;"
	"CREATE TRIGGER txn_log_no_delete BEFORE DELETE ON txn_log BEGIN SELECT RAISE(ABORT,'change records are append-only'); END;"
	"CREATE TRIGGER event_no_update BEFORE UPDATE ON event BEGIN SELECT RAISE(ABORT,'change records are append-only'); END;"
	"CREATE TRIGGER event_no_delete BEFORE DELETE ON event BEGIN SELECT RAISE(ABORT,'change records are append-only'); END;"
	"CREATE TRIGGER fact_no_update BEFORE UPDATE ON fact BEGIN SELECT RAISE(ABORT,'change records are append-only'); END;"
	"CREATE TRIGGER fact_no_delete BEFORE DELETE ON fact BEGIN SELECT RAISE(ABORT,'change records are append-only'); END;"

	/* --- derived counters --- */
	"CREATE TABLE tl(key TEXT NOT NULL, effective TEXT NOT NULL, value INTEGER NOT NULL,"
	" PRIMARY KEY(key, effective)) WITHOUT ROWID;"

	/* --- documents and jurisdictions --- */
	"CREATE TABLE document(id TEXT PRIMARY KEY, issuer TEXT NOT NULL, number TEXT NOT NULL,"
	" abbr TEXT NOT NULL, year INTEGER NOT NULL, seq INTEGER NOT NULL, title TEXT NOT NULL,"
	" date TEXT NOT NULL, level INTEGER NOT NULL, kind INTEGER NOT NULL, jurisdiction TEXT,"
	" event INTEGER REFERENCES event(id), UNIQUE(issuer, number));"
	"CREATE TABLE jurisdiction(id TEXT PRIMARY KEY, code TEXT NOT NULL UNIQUE, name TEXT NOT NULL,"
	" parent TEXT REFERENCES jurisdiction(id), level INTEGER NOT NULL);"
	"CREATE INDEX jurisdiction_parent ON jurisdiction(parent);"

	/* --- units and their internal sub-units --- */
	"CREATE TABLE unit(id TEXT PRIMARY KEY, jurisdiction TEXT NOT NULL REFERENCES jurisdiction(id),"
	" credit_code TEXT UNIQUE, founded TEXT NOT NULL);"
	"CREATE INDEX unit_jurisdiction ON unit(jurisdiction);"
	"CREATE TABLE subunit(id TEXT PRIMARY KEY, unit TEXT NOT NULL REFERENCES unit(id),"
	" founded TEXT NOT NULL);"
	"CREATE INDEX subunit_unit ON subunit(unit);"
	/* credit codes that fail the check character yet are legal (early pilots) */
	"CREATE TABLE credit_code_exception(code TEXT PRIMARY KEY, note TEXT);"

	/* --- units area: issuer authority (R6) as data ---
	 * a change `action` to a unit whose nature is in the bitmask `natures` and
	 * whose rank is >= min_rank needs a document of level <= max_level
	 * (1 central, 2 province, 3 city, 4 county). Longnan default, seed §5:
	 * 副科级以上事业机构成立、撤并、更名及职数调整必须报市编办审核审批. */
	"CREATE TABLE authority_rule(action TEXT NOT NULL, natures INTEGER NOT NULL,"
	" min_rank INTEGER NOT NULL, max_level INTEGER NOT NULL);"
	"CREATE INDEX authority_rule_action ON authority_rule(action);"
	"INSERT INTO authority_rule VALUES"
	" ('establish',2,3,3), ('split',2,3,3), ('merge',2,3,3), ('abolish',2,3,3),"
	" ('rename',2,3,3), ('leadership',2,3,3);"

	/* --- code tables: rules that the seed makes local are data --- */
	/* natures: bit 1 organ 行政机关, 2 institution 事业单位, 4 mass 群众团体, 8 party 民主党派 */
	"CREATE TABLE category(code TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
	" branch INTEGER NOT NULL CHECK(branch IN (1,2)), natures INTEGER NOT NULL);"
	"INSERT INTO category VALUES"
	" ('XZ','行政编制',1,13),"
	" ('ZFZX','政法专项编制',1,1),"
	" ('SYCG','事业编制（参公）',2,2),"
	" ('SY','事业编制',2,2),"
	" ('GQ','工勤编制',2,3);"

	/* --- establishment area: leadership norms (领导职数), data not code ---
	 * kind 1 unit, 2 sub-unit; per rank (bz_rank) the most principals and
	 * deputies a quota may grant. Longnan defaults: a county department
	 * (正科/副科) 1 principal + up to 2 deputies (DOMAIN.md: "1, 1-2"); a
	 * 副处 unit 1+3 and a 正处-or-above unit 1+4 (the usual 三定 of city
	 * departments: 1 head, 3 deputies, plus one post such as a 纪检组长); a
	 * 股-level or unranked unit 1+1; a 科/股/室 sub-unit 1+1 (DOMAIN.md: "1,
	 * or 1+1"), one of 副处 and above 1+2. */
	"CREATE TABLE leadership_norm(kind INTEGER NOT NULL, rank INTEGER NOT NULL,"
	" principal INTEGER NOT NULL, deputy INTEGER NOT NULL, PRIMARY KEY(kind, rank));"
	"INSERT INTO leadership_norm VALUES"
	" (1,0,1,1),(1,1,1,1),(1,2,1,1),(1,3,1,2),(1,4,1,2),(1,5,1,3),"
	" (1,6,1,4),(1,7,1,4),(1,8,1,4),(1,9,1,4),(1,10,1,4),"
	" (2,0,1,1),(2,1,1,1),(2,2,1,1),(2,3,1,1),(2,4,1,1),(2,5,1,2),"
	" (2,6,1,2),(2,7,1,2),(2,8,1,2),(2,9,1,2),(2,10,1,2);"
	/* --- staff area: people, slips, placements, cards, appointments ---
	 * Rows are written once; an end (cancellation, exit, removal) is a row of
	 * its own table, so nothing here is ever updated either. */
	"CREATE TABLE person(id TEXT PRIMARY KEY, id_number TEXT NOT NULL UNIQUE, name TEXT NOT NULL,"
	" sex INTEGER NOT NULL, birth TEXT NOT NULL);"
	"CREATE TABLE card(number TEXT PRIMARY KEY, person TEXT NOT NULL UNIQUE REFERENCES person(id),"
	" issued TEXT NOT NULL, prefix TEXT NOT NULL);"
	"CREATE INDEX card_prefix ON card(prefix);"
	"CREATE TABLE slip(id TEXT PRIMARY KEY, number TEXT NOT NULL UNIQUE, unit TEXT NOT NULL REFERENCES unit(id),"
	" category TEXT NOT NULL REFERENCES category(code), posts INTEGER NOT NULL, purpose INTEGER NOT NULL,"
	" issued TEXT NOT NULL, valid_until TEXT NOT NULL);"
	"CREATE INDEX slip_unit ON slip(unit, issued);"
	"CREATE TABLE slip_end(slip TEXT PRIMARY KEY REFERENCES slip(id), date TEXT NOT NULL);"
	"CREATE TABLE placement(id TEXT PRIMARY KEY, person TEXT NOT NULL REFERENCES person(id),"
	" unit TEXT NOT NULL REFERENCES unit(id), category TEXT NOT NULL REFERENCES category(code),"
	" slip TEXT REFERENCES slip(id), entry_kind INTEGER NOT NULL, entry TEXT NOT NULL,"
	" event INTEGER NOT NULL REFERENCES event(id));"
	"CREATE INDEX placement_person ON placement(person, entry);"
	"CREATE INDEX placement_unit ON placement(unit, entry);"
	"CREATE INDEX placement_slip ON placement(slip, entry);"
	"CREATE TABLE placement_exit(placement TEXT PRIMARY KEY REFERENCES placement(id), date TEXT NOT NULL,"
	" reason INTEGER NOT NULL, event INTEGER NOT NULL REFERENCES event(id));"
	"CREATE TABLE appointment(id TEXT PRIMARY KEY, person TEXT NOT NULL REFERENCES person(id),"
	" subject TEXT NOT NULL, post INTEGER NOT NULL, start TEXT NOT NULL);"
	"CREATE INDEX appointment_subject ON appointment(subject, start);"
	"CREATE INDEX appointment_person ON appointment(person, start);"
	"CREATE TABLE appointment_end(appointment TEXT PRIMARY KEY REFERENCES appointment(id), date TEXT NOT NULL);"
	;

/* migrations[i] takes a ledger from version i+1 to i+2 */
static const char *const migrations[] = {
	/* 1 → 2: the next card number of a division from an index on its sequence
	 * number (the last one, one row read), not a count of the division's cards */
	"DROP INDEX card_prefix;"
	"CREATE INDEX card_seq ON card(prefix, CAST(substr(number, 8) AS INTEGER));"
	/* the only facts ever looked up by value are units' names: they get a
	 * table of their own (every name a unit bore), and no fact is indexed
	 * by value any more — not every fact a hire writes (a partial index
	 * would make SQLite re-prepare every fact query that binds attr) */
	"CREATE TABLE unit_name(name TEXT NOT NULL, unit TEXT NOT NULL REFERENCES unit(id),"
	" PRIMARY KEY(name, unit)) WITHOUT ROWID;"
	"INSERT OR IGNORE INTO unit_name(name, unit) SELECT f.after, f.subject FROM fact f JOIN unit u ON u.id=f.subject"
	" WHERE f.attr='name' AND f.after IS NOT NULL;"
	"DROP INDEX fact_value;"
	/* a counter's key is written once (table counter), its breakpoints carry
	 * the key's number: 4 breakpoints a hire no longer repeat a 47-byte key */
	"CREATE TABLE counter(id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE);"
	"INSERT INTO counter(key) SELECT DISTINCT key FROM tl ORDER BY key;"
	"CREATE TABLE tl2(counter INTEGER NOT NULL, effective TEXT NOT NULL, value INTEGER NOT NULL,"
	" PRIMARY KEY(counter, effective)) WITHOUT ROWID;"
	"INSERT INTO tl2(counter, effective, value) SELECT c.id, t.effective, t.value FROM tl t JOIN counter c ON c.key=t.key;"
	"DROP TABLE tl;"
	"ALTER TABLE tl2 RENAME TO tl;"
	/* a transaction's events are a rowid range (txn.c): no index on event(txn) */
	"DROP INDEX event_txn;",
	/* 2 → 3: openings (建账, opening.h): the transactions whose changes are
	 * opening entries, their cut-over date and opening document; written
	 * once like the change log */
	"CREATE TABLE opening(txn INTEGER PRIMARY KEY REFERENCES txn_log(id),"
	" document TEXT NOT NULL REFERENCES document(id), cutover TEXT NOT NULL);"
	"CREATE INDEX opening_document ON opening(document);"
	"CREATE TRIGGER opening_no_update BEFORE UPDATE ON opening BEGIN SELECT RAISE(ABORT,'change records are append-only'); END;"
	"CREATE TRIGGER opening_no_delete BEFORE DELETE ON opening BEGIN SELECT RAISE(ABORT,'change records are append-only'); END;",
	/* 3 → 4: exchange (exchange.h). The ledger's identity, a random UUID
	 * (version 4) made here for new and old ledgers alike; the origin of
	 * imported change records and transactions — the ledger they were made
	 * in and their number there — so that a second import recognises them
	 * and each county's records stay marked as that county's. Local
	 * records have no row: their origin is this ledger and their own id. */
	"INSERT INTO meta(key, value) SELECT 'ledger', lower(hex(randomblob(4)) || '-' || hex(randomblob(2))"
	" || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1)"
	" || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)));"
	"CREATE TABLE txn_origin(txn INTEGER PRIMARY KEY REFERENCES txn_log(id), ledger TEXT NOT NULL,"
	" id INTEGER NOT NULL, UNIQUE(ledger, id));"
	"CREATE TABLE event_origin(event INTEGER PRIMARY KEY REFERENCES event(id), ledger TEXT NOT NULL,"
	" seq INTEGER NOT NULL, UNIQUE(ledger, seq));"
	"CREATE TRIGGER txn_origin_no_update BEFORE UPDATE ON txn_origin BEGIN SELECT RAISE(ABORT,'change records are append-only'); END;"
	"CREATE TRIGGER txn_origin_no_delete BEFORE DELETE ON txn_origin BEGIN SELECT RAISE(ABORT,'change records are append-only'); END;"
	"CREATE TRIGGER event_origin_no_update BEFORE UPDATE ON event_origin BEGIN SELECT RAISE(ABORT,'change records are append-only'); END;"
	"CREATE TRIGGER event_origin_no_delete BEFORE DELETE ON event_origin BEGIN SELECT RAISE(ABORT,'change records are append-only'); END;",
	/* 4 → 5: the files behind the documents (archive.h). file_blob holds
	 * bytes only, written in place with incremental blob I/O (a row with a
	 * large value is never UPDATEd: SQLite would read all of it to rewrite
	 * the row); file_hash names complete bytes by their SHA-256, once
	 * however many documents carry them (a blob without one is an upload
	 * not finished yet); document_file is the attachment, written with its
	 * change record. Stored files and attachments are append-only like the
	 * change log. archive_category is the code table of the independent
	 * archives of seed §21 and the meeting records; document_tag where a
	 * document is filed now (its filings are facts of the change log). */
	"CREATE TABLE file_blob(id INTEGER PRIMARY KEY, data BLOB NOT NULL);"
	"CREATE TABLE file_hash(sha256 TEXT PRIMARY KEY, blob INTEGER NOT NULL UNIQUE REFERENCES file_blob(id),"
	" size INTEGER NOT NULL);"
	"CREATE TABLE document_file(id TEXT PRIMARY KEY, document TEXT NOT NULL REFERENCES document(id),"
	" name TEXT NOT NULL, sha256 TEXT NOT NULL REFERENCES file_hash(sha256), size INTEGER NOT NULL,"
	" event INTEGER NOT NULL REFERENCES event(id), UNIQUE(document, name));"
	"CREATE INDEX document_file_sha256 ON document_file(sha256);"
	"CREATE TRIGGER file_blob_no_update BEFORE UPDATE ON file_blob WHEN EXISTS (SELECT 1 FROM file_hash WHERE blob=old.id)"
	" BEGIN SELECT RAISE(ABORT,'stored files are append-only'); END;"
	"CREATE TRIGGER file_blob_no_delete BEFORE DELETE ON file_blob WHEN EXISTS (SELECT 1 FROM file_hash WHERE blob=old.id)"
	" BEGIN SELECT RAISE(ABORT,'stored files are append-only'); END;"
	"CREATE TRIGGER file_hash_no_update BEFORE UPDATE ON file_hash BEGIN SELECT RAISE(ABORT,'stored files are append-only'); END;"
	"CREATE TRIGGER file_hash_no_delete BEFORE DELETE ON file_hash BEGIN SELECT RAISE(ABORT,'stored files are append-only'); END;"
	"CREATE TRIGGER document_file_no_update BEFORE UPDATE ON document_file BEGIN SELECT RAISE(ABORT,'change records are append-only'); END;"
	"CREATE TRIGGER document_file_no_delete BEFORE DELETE ON document_file BEGIN SELECT RAISE(ABORT,'change records are append-only'); END;"
	"CREATE TABLE archive_category(code TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE);"
	"INSERT INTO archive_category VALUES"
	" ('SYDJ','事业单位登记管理档案'), ('JGGG','机构改革档案'), ('SMZ','机构编制实名制管理档案'),"
	" ('FLGG','事业单位分类改革档案'), ('HC','机构编制核查工作档案'), ('JDJC','机构编制监督检查工作档案'),"
	" ('YMZC','机关事业单位中文域名注册管理工作档案'), ('XHCB','消化党政机关超编人员工作档案'),"
	" ('QT','其他专项工作档案'), ('BWHY','编委会议纪要'), ('LXHY','联席会议记录');"
	"CREATE TABLE document_tag(document TEXT PRIMARY KEY REFERENCES document(id),"
	" category TEXT NOT NULL REFERENCES archive_category(code), year INTEGER NOT NULL);"
	"CREATE INDEX document_tag_category ON document_tag(category, year);",
	/* 5 → 6: the identity of each transaction (txn.h, bz_txn_uuid): a
	 * new UUID written with its txn_log row at bz_txn_begin(), so that
	 * after a commit that failed with an I/O error the caller can ask a
	 * reopened ledger whether it committed. txn_log's integer id cannot
	 * serve: a rolled-back transaction's id is given again to the next.
	 * Transactions from before schema 6 and imported ones have no row. */
	"CREATE TABLE txn_id(txn INTEGER PRIMARY KEY REFERENCES txn_log(id), uuid TEXT NOT NULL UNIQUE);"
	"CREATE TRIGGER txn_id_no_update BEFORE UPDATE ON txn_id BEGIN SELECT RAISE(ABORT,'change records are append-only'); END;"
	"CREATE TRIGGER txn_id_no_delete BEFORE DELETE ON txn_id BEGIN SELECT RAISE(ABORT,'change records are append-only'); END;",
	/* 6 → 7: tamper evidence (verify.h). The hash chain over the change
	 * log: seq is the event's id (no foreign key: the hash of a record
	 * deleted behind the library stays to say so), hash its 32-byte chain
	 * hash, parts the 8-byte prefixes of its content, facts and who-and-when
	 * digests. The hashes of the records a ledger already holds are
	 * computed by the migration itself, in its transaction, right after
	 * this SQL (bz_schema_prepare: bz_chain_extend from the first record). */
	"CREATE TABLE record_chain(seq INTEGER PRIMARY KEY, hash BLOB NOT NULL, parts BLOB NOT NULL);"
	"CREATE TRIGGER record_chain_no_update BEFORE UPDATE ON record_chain BEGIN SELECT RAISE(ABORT,'change records are append-only'); END;"
	"CREATE TRIGGER record_chain_no_delete BEFORE DELETE ON record_chain BEGIN SELECT RAISE(ABORT,'change records are append-only'); END;",
	/* 7 → 8: who may change what (office.h). The offices of the ledger,
	 * each registered by a change record (office.register) and never
	 * changed after: its name is what transactions give (unique), its
	 * jurisdiction and kind decide its scope and powers (R15). A ledger
	 * migrated from 7 has none, so it keeps working as before. */
	"CREATE TABLE office(id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
	" jurisdiction TEXT NOT NULL REFERENCES jurisdiction(id), kind INTEGER NOT NULL CHECK(kind BETWEEN 1 AND 4),"
	" registered TEXT NOT NULL, event INTEGER NOT NULL REFERENCES event(id));"
	"CREATE INDEX office_jurisdiction ON office(jurisdiction);"
	"CREATE TRIGGER office_no_update BEFORE UPDATE ON office BEGIN SELECT RAISE(ABORT,'change records are append-only'); END;"
	"CREATE TRIGGER office_no_delete BEFORE DELETE ON office BEGIN SELECT RAISE(ABORT,'change records are append-only'); END;",
	/* 8 → 9: the units' 机构编制管理证 (unitcert.h, R14). A certificate is
	 * written once with the change record that issued it (event); its end
	 * — voided (kind 1) or replaced by its renewal (kind 2) — is a row of
	 * its own, so nothing is ever updated, as with slips and slip_end */
	"CREATE TABLE unitcert(id TEXT PRIMARY KEY, number TEXT NOT NULL UNIQUE, unit TEXT NOT NULL REFERENCES unit(id),"
	" issued TEXT NOT NULL, valid_until TEXT NOT NULL, renews TEXT REFERENCES unitcert(id),"
	" event INTEGER NOT NULL REFERENCES event(id));"
	"CREATE INDEX unitcert_unit ON unitcert(unit, issued);"
	"CREATE TABLE unitcert_end(cert TEXT PRIMARY KEY REFERENCES unitcert(id), date TEXT NOT NULL,"
	" kind INTEGER NOT NULL CHECK(kind IN (1,2)), event INTEGER NOT NULL REFERENCES event(id));",
	/* 9 → 10: the file per hire (issue 10; README "Performance", what each
	 * change writes). (a) The chain hash is stored once per transaction, at
	 * its last record (verify.c): the other rows keep their parts, which
	 * locate an altered record, and a NULL hash; the chain itself and so
	 * every head already signed off are unchanged. (b) event_unit holds
	 * only the records that have a unit — every reader asks for a unit
	 * (unit=, a join on it, or unit IS NOT NULL), which SQLite knows
	 * implies it without looking at a bound value — so a registration of
	 * a person, which has none, is no longer indexed under NULL. (c)
	 * event_subject leaves out the entries into a post (placement.enter,
	 * placement.transfer_in): their subject is the placement, whose row
	 * names the record (placement.event), so bz_subject_changes reads them
	 * by that key; every other reader by subject asks for a person, a
	 * jurisdiction or a sub-unit and says the kinds it does not want, as
	 * the index's WHERE (SQLite uses a partial index only where the query
	 * states its condition). (d) Neither event index names id any more:
	 * SQLite appends the rowid to every index entry already, and named it
	 * was stored twice (ORDER BY effective, id is still served). (e) event_cert: the
	 * certificate numbers of 事业单位法人证书 (a certify record's note, as
	 * its fact reg.cert) for bz_registration_certify, which scanned every
	 * fact; partial on a literal kind, so a query binding kind=? would be
	 * re-prepared at every bind (none does: kinds are literals). IF EXISTS
	 * and IF NOT EXISTS: the tests take a ledger back to older versions by
	 * dropping tables, not indexes. */
	"DROP TRIGGER IF EXISTS record_chain_no_update;"
	"DROP TRIGGER IF EXISTS record_chain_no_delete;"
	"CREATE TABLE record_chain_10(seq INTEGER PRIMARY KEY, hash BLOB, parts BLOB NOT NULL);"
	"INSERT INTO record_chain_10(seq, hash, parts) SELECT c.seq,"
	" CASE WHEN e.id IS NOT NULL AND (SELECT n.txn FROM event n WHERE n.id>e.id ORDER BY n.id LIMIT 1) IS e.txn"
	" THEN NULL ELSE c.hash END, c.parts FROM record_chain c LEFT JOIN event e ON e.id=c.seq ORDER BY c.seq;"
	"DROP TABLE record_chain;"
	"ALTER TABLE record_chain_10 RENAME TO record_chain;"
	"CREATE TRIGGER record_chain_no_update BEFORE UPDATE ON record_chain BEGIN SELECT RAISE(ABORT,'change records are append-only'); END;"
	"CREATE TRIGGER record_chain_no_delete BEFORE DELETE ON record_chain BEGIN SELECT RAISE(ABORT,'change records are append-only'); END;"
	"DROP INDEX IF EXISTS event_unit;"
	"CREATE INDEX event_unit ON event(unit, effective) WHERE unit IS NOT NULL;"
	"DROP INDEX IF EXISTS event_subject;"
	"CREATE INDEX event_subject ON event(subject, effective) WHERE kind NOT IN ('placement.enter','placement.transfer_in');"
	"CREATE INDEX IF NOT EXISTS event_cert ON event(note) WHERE kind='registration.certify';",
	/* 10 → 11: the self-inspection's rule families that judge a few kinds
	 * of record (R2's quotas and ranks, R3's sub-unit ranks, R8's hiring
	 * plans, R10's credit codes, R12/R13's registrations) find them by
	 * kind instead of scanning every record of the ledger (issue 10).
	 * Partial: the records every hire writes (a person's registration, an
	 * entry into a post) are left out — no reader asks for them by kind,
	 * and the file per hire stays as it was. A query states the index's
	 * condition word for word (BZ_KINDS_BY_KIND) for SQLite to use it. */
	"CREATE INDEX IF NOT EXISTS event_kind ON event(kind)"
	" WHERE kind NOT IN ('person.register','placement.enter','placement.transfer_in');",
	/* 11 → 12: the management card held once (issue 10). A first entry
	 * into a post wrote the card twice: its row here and a fact `card` on
	 * the entering record (subject the person, effective the issue date,
	 * no before, after the number). card.event names the entering record
	 * instead, and no fact is written; every reader of a record's facts
	 * (verify.c's digest, change.c, the exchange) adds the card after the
	 * record's facts, where the fact came, so every digest, every chain
	 * head already signed off, Table 2 and the export are byte for byte
	 * those before. The change log is append-only: a card issued before
	 * keeps its fact and a NULL event (nothing reads it twice: a reader
	 * adds the card only of the record card.event names). No index: a
	 * reader finds the card of a record by its person (card.person is
	 * unique), the person by the record's placement (event.subject). */
	"ALTER TABLE card ADD COLUMN event INTEGER REFERENCES event(id);",
	/* 12 → 13: a person's registration found by its person (issue 10).
	 * person.event names the registering record, as placement.event names
	 * the entering one, and event_subject leaves the registrations out: a
	 * hire writes no entry into it any more (about 60 B per hire). Every
	 * reader by subject states the index's new condition and finds a
	 * person's registration by person.event (BZ_KINDS_NOT_BY_SUBJECT,
	 * internal.h). The column is added before this step (bz_schema_prepare:
	 * ADD COLUMN has no IF NOT EXISTS); person is not append-only by
	 * trigger, so the migration fills it from the old index: the person's
	 * first registration record, as every reader by subject took it. */
	"UPDATE person SET event=(SELECT min(e.id) FROM event e WHERE e.subject=person.id AND e.kind='person.register'"
	" AND e.kind NOT IN ('placement.enter','placement.transfer_in'));"
	"DROP INDEX IF EXISTS event_subject;"
	"CREATE INDEX event_subject ON event(subject, effective)"
	" WHERE kind NOT IN ('person.register','placement.enter','placement.transfer_in');",
	/* 13 → 14: the entries into a post out of event_unit (issue 10: the file
	 * per hire; README "Performance", what a hire writes). An entry's record
	 * (placement.enter, placement.transfer_in) has the unit and date its
	 * placement row holds (placement.unit, placement.entry), and the row
	 * names it (placement.event): a unit's entries are found by
	 * placement_unit, as event_subject (10) finds a placement's. One index
	 * entry less per hire (about 63 B). Every reader of a unit's records
	 * states the kinds condition (BZ_KINDS_BY_UNIT, word for word: SQLite
	 * uses a partial index only where the query states its condition) and
	 * reads the entries in an arm of its own through placement, joined back
	 * with the negated condition and the same unit, in the same order as
	 * before (change.c, rules_records.c, rules_structure.c, exchange.c,
	 * archive_export.c). */
	"DROP INDEX IF EXISTS event_unit;"
	"CREATE INDEX event_unit ON event(unit, effective)"
	" WHERE unit IS NOT NULL AND kind NOT IN ('placement.enter','placement.transfer_in');",
};

static int pragma_int(bz_ledger *l, const char *sql, int *out)
{
	bz_st *st = NULL;
	int rc = bz_store_prepare(l->store, &st, sql);
	if (rc != SQLITE_OK)
		return bz_sqlfail(l, rc);
	rc = bz_step(st);
	*out = rc == SQLITE_ROW ? bz_st_column_int(st, 0) : 0;
	bz_st_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return bz_sqlfail(l, rc);
	return BZ_OK;
}

static int set_version(bz_ledger *l, int v)
{
	char sql[64];
	snprintf(sql, sizeof sql, "PRAGMA user_version=%d", v);
	return bz_exec(l, sql);
}

/* the busy timeout bz_ledger_open() sets (ledger.c) */
#define BZ_OPEN_BUSY_MS 5000

/* The header of the file, read in one read transaction so that a ledger
 * being created by another connection is seen before or after, never half
 * way (its id without its tables). */
typedef struct header {
	int appid, version, ntables;
} header;

static int read_header(bz_ledger *l, header *h, bool locked)
{
	int code;
	memset(h, 0, sizeof *h);
	if (!locked && (code = bz_exec(l, "BEGIN")) != BZ_OK)
		return code;
	/* reading the header is the first touch of the file: a non-SQLite file fails here */
	code = pragma_int(l, "PRAGMA application_id", &h->appid);
	if (code == BZ_ENOTLEDGER)
		code = bz_fail(l, code, "not a ledger: the file is not an SQLite database");
	if (code == BZ_OK)
		code = pragma_int(l, "PRAGMA user_version", &h->version);
	if (code == BZ_OK)
		code = pragma_int(l, "SELECT count(*) FROM sqlite_schema", &h->ntables);
	if (!locked) {
		if (code == BZ_OK)
			bz_end_read(l);
		else
			bz_undo(l, BZ_KEPT_ROLLBACK);
	}
	return code;
}

/* What the header says to do: *version 0 to create, the version to migrate
 * from, or an error for a file this library must not touch. A file that
 * carries the ledger's application id is a ledger only if its version is
 * one this library wrote and its tables say so: a foreign database that
 * happens to carry the id is never converted. */
static int judge_header(bz_ledger *l, const header *h, int *version)
{
	if (h->appid != BZ_APPLICATION_ID) {
		if (h->appid != 0 || h->ntables != 0)
			return bz_fail(l, BZ_ENOTLEDGER, "not a ledger: an SQLite database of another application");
		*version = 0; /* empty database: create */
		return BZ_OK;
	}
	if (h->version < 1)
		return bz_fail(l, BZ_ENOTLEDGER, "not a ledger: it carries the ledger's application id but schema version %d",
			       h->version);
	if (h->version > BZ_SCHEMA_VERSION)
		return bz_fail(l, BZ_ESCHEMA, "ledger schema version %d is newer than this library's %d; upgrade libbianzhi",
			       h->version, BZ_SCHEMA_VERSION);
	int tables = 0, marked = 0, code;
	if ((code = pragma_int(l, "SELECT count(*) FROM sqlite_schema WHERE type='table'"
			       " AND name IN ('meta','txn_log','event','fact')", &tables)) != BZ_OK)
		return code;
	if (tables == 4 && (code = pragma_int(l, "SELECT count(*) FROM meta WHERE key='application' AND value='libbianzhi'",
					       &marked)) != BZ_OK)
		return code;
	if (tables != 4 || marked != 1)
		return bz_fail(l, BZ_ENOTLEDGER,
			       "not a ledger: it carries the ledger's application id but not the ledger's tables");
	*version = h->version;
	return BZ_OK;
}

/* PRAGMA journal_mode=WAL needs the file to itself for a moment and answers
 * SQLITE_BUSY without calling the busy handler: wait here, as long as the
 * handle's busy timeout would */
static int set_wal(bz_ledger *l)
{
	for (int waited = 0;; waited += 10) {
		int rc = bz_store_exec(l->store, "PRAGMA journal_mode=WAL");
		if ((rc & 0xff) != SQLITE_BUSY || waited >= BZ_OPEN_BUSY_MS)
			return rc == SQLITE_OK ? BZ_OK : bz_sqlfail(l, rc);
		sqlite3_sleep(10);
	}
}

int bz_schema_prepare(bz_ledger *l)
{
	header h;
	int version = 0, code;

	if ((code = read_header(l, &h, false)) != BZ_OK || (code = judge_header(l, &h, &version)) != BZ_OK)
		return code;

	if (!l->readonly) {
		/* WAL lets readers go on while one writer works; :memory: ignores it */
		if ((code = set_wal(l)) != BZ_OK)
			return code;
	}
	if ((code = bz_exec(l, "PRAGMA foreign_keys=ON")) != BZ_OK)
		return code;
	/* measured (bench/, README "Performance"): the statement journals of the
	 * savepoint around every change stay in memory instead of temp files; a
	 * 64 MiB page cache keeps a county's indexes hot; commits stay
	 * synchronous=FULL (a legal ledger) unless the caller opens with
	 * BZ_OPEN_SYNC_NORMAL */
	if ((code = bz_exec(l, "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-65536; PRAGMA synchronous=FULL")) != BZ_OK)
		return code;
	if (version == BZ_SCHEMA_VERSION)
		return bz_ok(l);
	if (l->readonly) {
		if (version == 0)
			return bz_fail(l, BZ_ENOTLEDGER, "not a ledger: an empty database, and a read-only handle cannot create one");
		return bz_fail(l, BZ_ESCHEMA,
			       "ledger schema version %d is older than this library's %d: open it once for writing to "
			       "migrate it (a read-only handle cannot)",
			       version, BZ_SCHEMA_VERSION);
	}

	/* several processes may create or migrate the same file at once: the
	 * write lock first (waiting up to the busy timeout), then the header
	 * again — whoever came first has done the work, and the others open it */
	if ((code = bz_exec(l, "BEGIN IMMEDIATE")) != BZ_OK)
		return code;
	unsigned long oom = bz__lib_failures();
	if ((code = read_header(l, &h, true)) == BZ_OK)
		code = judge_header(l, &h, &version);
	if (code == BZ_OK && version == 0) {
		code = bz_exec(l, schema_v1);
		if (code == BZ_OK)
			code = bz_exec(l, "PRAGMA application_id=1113214001"); /* BZ_APPLICATION_ID */
		version = 1;
	}
	bool chain = false;
	for (; code == BZ_OK && version < BZ_SCHEMA_VERSION; version++) {
		/* 11 → 12 adds a column, and SQLite's ADD COLUMN has no IF NOT EXISTS:
		 * a card table that has it already (a ledger the tests took back to an
		 * older version by its tables) keeps it */
		int has = 0;
		if (version == 11 && (code = pragma_int(l, "SELECT count(*) FROM pragma_table_info('card') WHERE name='event'",
							&has)) != BZ_OK)
			break;
		if (has)
			continue;
		/* 12 → 13 likewise adds person.event first, then fills it */
		if (version == 12 &&
		    ((code = pragma_int(l, "SELECT count(*) FROM pragma_table_info('person') WHERE name='event'", &has)) !=
			     BZ_OK ||
		     (!has && (code = bz_exec(l, "ALTER TABLE person ADD COLUMN event INTEGER REFERENCES event(id)")) != BZ_OK)))
			break;
		code = bz_exec(l, migrations[version - 1]);
		if (version == 6)
			chain = true;
	}
	/* 6 → 7: the chain over the records already there (verify.h), written
	 * once the table has the form of this version (a NULL hash inside a
	 * transaction since 10) */
	if (code == BZ_OK && chain)
		code = bz_chain_extend(l, 1);
	if (code == BZ_OK)
		code = set_version(l, BZ_SCHEMA_VERSION);
	if (code == BZ_OK)
		code = bz_exec(l, "COMMIT");
	/* SQLite re-reads a schema the step before changed; an allocation that
	 * fails in that reload may come back as "no such table": out of memory */
	if (code == BZ_ERROR && bz__lib_failures() != oom)
		code = bz_fail(l, BZ_ENOMEM, "sqlite: %s", sqlite3_errstr(SQLITE_NOMEM));
	if (code != BZ_OK) {
		bz_undo(l, BZ_KEPT_ROLLBACK);
		return code;
	}
	return bz_ok(l);
}
