/*
 * exchange.c: export a ledger (or a jurisdiction's part of it) to one JSON
 * Lines file and import such a file into another ledger (exchange.h; the
 * format is docs/exchange.md).
 *
 * One table of record kinds (kinds[]) drives both ways: the fields of each
 * kind, in file order, with their JSON shape. The export runs one query per
 * kind whose columns follow the fields; the import reads every line into a
 * temporary staging table per kind whose columns are the same fields
 * flattened, and then does its work in SQL over the staging tables and the
 * ledger: map natural keys, list conflicts, classify change records (new,
 * already here, or the ledger's own registration of a mapped record), and
 * only when nothing conflicts write the new rows in one transaction and
 * recompute the counters of the jurisdictions it touched from the records
 * (counters.c: the same step functions verify and the self-inspection compare).
 *
 * JSON is read and written by jsonl.c (strict, bounded, every allocation
 * through the library's allocator: jsonl.h says why not jansson), one line
 * of at most BZ_EXCHANGE_LINE_MAX bytes at a time.
 */
#include "catalogue.h"
#include "counters.h"
#include "jsonl.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- the outcome ----------------------------------------------------------------------- */

typedef struct conflict {
	char *kind, *identity, *field, *ours, *theirs;
	int64_t line;
} conflict;

struct bz_exchange {
	char *origin, *scope, *exported_at;
	int64_t records, added, changes_added, present, mapped, check_errors, check_warnings;
	conflict *c;
	size_t n, cap;
};

static bz_exchange *exchange_new(void)
{
	bz_exchange *x = bz__calloc(1, sizeof *x);
	if (x)
		x->check_errors = x->check_warnings = -1;
	return x;
}

BZ_EXTERN void bz_exchange_free(bz_exchange *x)
{
	if (!x)
		return;
	for (size_t i = 0; i < x->n; i++) {
		bz__free(x->c[i].kind);
		bz__free(x->c[i].identity);
		bz__free(x->c[i].field);
		bz__free(x->c[i].ours);
		bz__free(x->c[i].theirs);
	}
	bz__free(x->c);
	bz__free(x->origin);
	bz__free(x->scope);
	bz__free(x->exported_at);
	bz__free(x);
}

static bool conflict_add(bz_exchange *x, int64_t line, const char *kind, const char *identity, const char *field,
			 const char *ours, const char *theirs)
{
	if (x->n == x->cap) {
		size_t cap = x->cap ? x->cap * 2 : 16;
		conflict *nc = bz__realloc(x->c, cap * sizeof *nc);
		if (!nc)
			return false;
		x->c = nc;
		x->cap = cap;
	}
	conflict *c = &x->c[x->n];
	c->line = line;
	c->kind = bz_strdup(kind);
	c->identity = identity ? bz_strdup(identity) : NULL;
	c->field = field ? bz_strdup(field) : NULL;
	c->ours = ours ? bz_strdup(ours) : NULL;
	c->theirs = theirs ? bz_strdup(theirs) : NULL;
	if (!c->kind || (identity && !c->identity) || (field && !c->field) || (ours && !c->ours) ||
	    (theirs && !c->theirs)) {
		bz__free(c->kind);
		bz__free(c->identity);
		bz__free(c->field);
		bz__free(c->ours);
		bz__free(c->theirs);
		return false;
	}
	x->n++;
	return true;
}

BZ_EXTERN const char *bz_exchange_origin(const bz_exchange *x) { return x ? x->origin : NULL; }
BZ_EXTERN const char *bz_exchange_scope(const bz_exchange *x) { return x ? x->scope : NULL; }
BZ_EXTERN const char *bz_exchange_exported_at(const bz_exchange *x) { return x ? x->exported_at : NULL; }
BZ_EXTERN int64_t bz_exchange_records(const bz_exchange *x) { return x ? x->records : 0; }
BZ_EXTERN int64_t bz_exchange_added(const bz_exchange *x) { return x ? x->added : 0; }
BZ_EXTERN int64_t bz_exchange_changes_added(const bz_exchange *x) { return x ? x->changes_added : 0; }
BZ_EXTERN int64_t bz_exchange_present(const bz_exchange *x) { return x ? x->present : 0; }
BZ_EXTERN int64_t bz_exchange_mapped(const bz_exchange *x) { return x ? x->mapped : 0; }
BZ_EXTERN int64_t bz_exchange_check_errors(const bz_exchange *x) { return x ? x->check_errors : -1; }
BZ_EXTERN int64_t bz_exchange_check_warnings(const bz_exchange *x) { return x ? x->check_warnings : -1; }
BZ_EXTERN size_t bz_exchange_conflict_count(const bz_exchange *x) { return x ? x->n : 0; }
BZ_EXTERN const char *bz_exchange_conflict_kind(const bz_exchange *x, size_t i) { return x && i < x->n ? x->c[i].kind : NULL; }
BZ_EXTERN const char *bz_exchange_conflict_identity(const bz_exchange *x, size_t i)
{
	return x && i < x->n ? x->c[i].identity : NULL;
}
BZ_EXTERN const char *bz_exchange_conflict_field(const bz_exchange *x, size_t i) { return x && i < x->n ? x->c[i].field : NULL; }
BZ_EXTERN const char *bz_exchange_conflict_ours(const bz_exchange *x, size_t i) { return x && i < x->n ? x->c[i].ours : NULL; }
BZ_EXTERN const char *bz_exchange_conflict_theirs(const bz_exchange *x, size_t i)
{
	return x && i < x->n ? x->c[i].theirs : NULL;
}
BZ_EXTERN int64_t bz_exchange_conflict_line(const bz_exchange *x, size_t i) { return x && i < x->n ? x->c[i].line : -1; }

/* ---- the ledger's identity ------------------------------------------------------------------ */

/* the ledger's identity (meta 'ledger') into out (internal.h) */
int bz_ledger_self(bz_ledger *l, char out[BZ_UUID_LEN + 1])
{
	static const char sql[] = "SELECT value FROM meta WHERE key='ledger'";
	bz_st *st = bz_stmt(l, sql);
	if (!st)
		return bz_stmt_err();
	int rc = bz_step(st), code = BZ_OK;
	if (rc == SQLITE_ROW && bz_st_column_bytes(st, 0) == BZ_UUID_LEN)
		memcpy(out, bz_st_column_text(st, 0), BZ_UUID_LEN + 1);
	else if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		code = bz_fail(l, BZ_ECORRUPT, "the ledger has no identity (meta 'ledger')");
	else
		code = bz_sqlfail(l, rc);
	bz_st_reset(st);
	return code;
}

BZ_EXTERN int bz_ledger_identity(char **out, bz_ledger *ledger)
{
	if (!out)
		return BZ_EINVAL;
	*out = NULL;
	if (!ledger)
		return BZ_EINVAL;
	char id[BZ_UUID_LEN + 1];
	int rc = bz_ledger_self(ledger, id);
	if (rc != BZ_OK)
		return rc;
	if (!(*out = bz_strdup(id)))
		return bz_fail(ledger, BZ_ENOMEM, "out of memory");
	return bz_ok(ledger);
}

/* ---- record kinds ------------------------------------------------------------------------------ */

/*
 * Field shapes: 'T' text, 't' text or null, 'I' integer, 'R' a change
 * record's or transaction's identity [ledger UUID, number], 'r' the same or
 * null, 'N' an object or null whose n fields follow (flattened as
 * <name>_<field> in staging). Staging columns: R → <name>_ledger, <name>_seq.
 */
typedef struct fld {
	const char *name;
	char shape;
	int n;
} fld;

#define MAXF 16
typedef struct kind {
	const char *type;  /* "type" of the line, and the staging table temp.x_<type> */
	const char *sql;   /* export: columns in field order; ?1 = this ledger's identity */
	fld f[MAXF];
} kind;

/* the origin of a change record, and of a transaction: this ledger's own when it has no row */
#define EV_ORIGIN(e) "COALESCE((SELECT ledger FROM event_origin WHERE event=" e "), ?1), COALESCE((SELECT seq FROM event_origin WHERE event=" e "), " e ")"
#define EV_ORIGIN_N(e) "CASE WHEN " e " IS NULL THEN NULL ELSE COALESCE((SELECT ledger FROM event_origin WHERE event=" e "), ?1) END, COALESCE((SELECT seq FROM event_origin WHERE event=" e "), " e ")"

enum { K_CATEGORY, K_AUTHORITY, K_NORM, K_CCE, K_JUR, K_DOC, K_UNIT, K_SUBUNIT, K_PERSON, K_CARD, K_SLIP,
       K_PLACEMENT, K_APPOINTMENT, K_UNITCERT, K_OFFICE, K_TXN, K_CHANGE, K_COUNT };

static const kind kinds[K_COUNT] = {
	[K_CATEGORY] = {"category", "SELECT code, name, branch, natures FROM category ORDER BY code",
			{{"code", 'T', 0}, {"name", 'T', 0}, {"branch", 'I', 0}, {"natures", 'I', 0}}},
	[K_AUTHORITY] = {"authority_rule",
			 "SELECT action, natures, min_rank, max_level FROM authority_rule ORDER BY action, natures, min_rank, max_level",
			 {{"action", 'T', 0}, {"natures", 'I', 0}, {"min_rank", 'I', 0}, {"max_level", 'I', 0}}},
	[K_NORM] = {"leadership_norm", "SELECT kind, rank, principal, deputy FROM leadership_norm ORDER BY kind, rank",
		    {{"kind", 'I', 0}, {"rank", 'I', 0}, {"principal", 'I', 0}, {"deputy", 'I', 0}}},
	[K_CCE] = {"credit_code_exception", "SELECT code, note FROM credit_code_exception ORDER BY code",
		   {{"code", 'T', 0}, {"note", 't', 0}}},
	[K_JUR] = {"jurisdiction",
		   "SELECT j.id, j.code, j.name, j.parent, j.level FROM jurisdiction j JOIN temp.xs_jur s ON s.id=j.id ORDER BY j.code",
		   {{"id", 'T', 0}, {"code", 'T', 0}, {"name", 'T', 0}, {"parent", 't', 0}, {"level", 'I', 0}}},
	[K_DOC] = {"document",
		   "SELECT d.id, d.issuer, d.number, d.abbr, d.year, d.seq, d.title, d.date, d.level, d.kind, d.jurisdiction, "
		   EV_ORIGIN_N("d.event") " FROM document d JOIN temp.xs_doc s ON s.id=d.id ORDER BY d.id",
		   {{"id", 'T', 0}, {"issuer", 'T', 0}, {"number", 'T', 0}, {"abbr", 'T', 0}, {"year", 'I', 0}, {"seq", 'I', 0},
		    {"title", 'T', 0}, {"date", 'T', 0}, {"level", 'I', 0}, {"kind", 'I', 0}, {"jurisdiction", 't', 0}, {"event", 'r', 0}}},
	[K_UNIT] = {"unit",
		    "SELECT u.id, u.jurisdiction, u.credit_code, u.founded FROM unit u JOIN temp.xs_unit s ON s.id=u.id ORDER BY u.id",
		    {{"id", 'T', 0}, {"jurisdiction", 'T', 0}, {"credit_code", 't', 0}, {"founded", 'T', 0}}},
	[K_SUBUNIT] = {"subunit",
		       "SELECT b.id, b.unit, b.founded FROM subunit b JOIN temp.xs_unit s ON s.id=b.unit ORDER BY b.id",
		       {{"id", 'T', 0}, {"unit", 'T', 0}, {"founded", 'T', 0}}},
	[K_PERSON] = {"person",
		      "SELECT p.id, p.id_number, p.name, p.sex, p.birth FROM person p JOIN temp.xs_person s ON s.id=p.id ORDER BY p.id",
		      {{"id", 'T', 0}, {"id_number", 'T', 0}, {"name", 'T', 0}, {"sex", 'I', 0}, {"birth", 'T', 0}}},
	[K_CARD] = {"card",
		    "SELECT c.number, c.person, c.issued, c.prefix FROM card c JOIN temp.xs_person s ON s.id=c.person ORDER BY c.number",
		    {{"number", 'T', 0}, {"person", 'T', 0}, {"issued", 'T', 0}, {"prefix", 'T', 0}}},
	[K_SLIP] = {"slip",
		    "SELECT l.id, l.number, l.unit, l.category, l.posts, l.purpose, l.issued, l.valid_until, e.date"
		    " FROM slip l JOIN temp.xs_unit s ON s.id=l.unit LEFT JOIN slip_end e ON e.slip=l.id ORDER BY l.id",
		    {{"id", 'T', 0}, {"number", 'T', 0}, {"unit", 'T', 0}, {"category", 'T', 0}, {"posts", 'I', 0}, {"purpose", 'I', 0},
		     {"issued", 'T', 0}, {"valid_until", 'T', 0}, {"ended", 't', 0}}},
	[K_PLACEMENT] = {"placement",
			 "SELECT p.id, p.person, p.unit, p.category, p.slip, p.entry_kind, p.entry, " EV_ORIGIN("p.event") ","
			 " x.date, x.date, x.reason, " EV_ORIGIN_N("x.event")
			 " FROM placement p JOIN temp.xs_unit s ON s.id=p.unit LEFT JOIN placement_exit x ON x.placement=p.id"
			 " ORDER BY p.id",
			 {{"id", 'T', 0}, {"person", 'T', 0}, {"unit", 'T', 0}, {"category", 'T', 0}, {"slip", 't', 0}, {"entry_kind", 'I', 0},
			  {"entry", 'T', 0}, {"event", 'R', 0}, {"exit", 'N', 3}, {"date", 'T', 0}, {"reason", 'I', 0}, {"event", 'R', 0}}},
	[K_APPOINTMENT] = {"appointment",
			   "SELECT a.id, a.person, a.subject, a.post, a.start, e.date FROM appointment a"
			   " JOIN (SELECT id FROM temp.xs_unit UNION SELECT b.id FROM subunit b JOIN temp.xs_unit s ON s.id=b.unit) s"
			   " ON s.id=a.subject LEFT JOIN appointment_end e ON e.appointment=a.id ORDER BY a.id",
			   {{"id", 'T', 0}, {"person", 'T', 0}, {"subject", 'T', 0}, {"post", 'I', 0}, {"start", 'T', 0}, {"ended", 't', 0}}},
	/* the units' 机构编制管理证 (unitcert.h): the record that issued each, and its end (void 1, renewed 2) */
	[K_UNITCERT] = {"unitcert",
			"SELECT c.id, c.number, c.unit, c.issued, c.valid_until, c.renews, " EV_ORIGIN("c.event") ","
			" x.date, x.date, x.kind, " EV_ORIGIN_N("x.event")
			" FROM unitcert c JOIN temp.xs_unit s ON s.id=c.unit LEFT JOIN unitcert_end x ON x.cert=c.id"
			" ORDER BY c.id",
			{{"id", 'T', 0}, {"number", 'T', 0}, {"unit", 'T', 0}, {"issued", 'T', 0}, {"valid_until", 'T', 0},
			 {"renews", 't', 0}, {"event", 'R', 0}, {"end", 'N', 3}, {"date", 'T', 0}, {"kind", 'I', 0}, {"event", 'R', 0}}},
	/* the offices (office.h) of the jurisdictions exported in full, with the record that registered each */
	[K_OFFICE] = {"office",
		      "SELECT o.id, o.name, o.jurisdiction, o.kind, o.registered, " EV_ORIGIN("o.event")
		      " FROM office o JOIN temp.xs_jur s ON s.id=o.jurisdiction AND s.whole=1 ORDER BY o.id",
		      {{"id", 'T', 0}, {"name", 'T', 0}, {"jurisdiction", 'T', 0}, {"kind", 'I', 0}, {"registered", 'T', 0},
		       {"event", 'R', 0}}},
	/* uuid: the transaction's identity (bz_txn_uuid(), txn_id), null for one committed before schema 6 */
	[K_TXN] = {"txn",
		   "SELECT COALESCE(o.ledger, ?1), COALESCE(o.id, t.id), i.uuid, t.recorded_at, t.recorded_by, t.office,"
		   " p.document, p.document, p.cutover FROM txn_log t JOIN temp.xs_txn s ON s.id=t.id"
		   " LEFT JOIN txn_origin o ON o.txn=t.id LEFT JOIN txn_id i ON i.txn=t.id LEFT JOIN opening p ON p.txn=t.id ORDER BY t.id",
		   {{"id", 'R', 0}, {"uuid", 't', 0}, {"recorded_at", 'T', 0}, {"recorded_by", 'T', 0}, {"office", 'T', 0}, {"opening", 'N', 2},
		    {"document", 'T', 0}, {"cutover", 'T', 0}}},
	[K_CHANGE] = {"change",
		      "SELECT " EV_ORIGIN("e.id") ", COALESCE(o.ledger, ?1), COALESCE(o.id, e.txn), e.kind, e.subject, e.unit,"
		      " e.effective, e.doc, e.note, e.id FROM event e JOIN temp.xs_event s ON s.id=e.id"
		      " LEFT JOIN txn_origin o ON o.txn=e.txn ORDER BY e.id",
		      {{"id", 'R', 0}, {"txn", 'R', 0}, {"kind", 'T', 0}, {"subject", 'T', 0}, {"unit", 't', 0}, {"effective", 'T', 0},
		       {"document", 't', 0}, {"note", 't', 0}}},
};

static size_t nfields(const kind *k)
{
	size_t n = 0;
	while (n < MAXF && k->f[n].name)
		n++;
	return n;
}

/* number of SQL columns a field takes (a nested object: its marker column, then its fields') */
static int fld_cols(const fld *f) { return f->shape == 'R' || f->shape == 'r' ? 2 : 1; }

/* ---- export ----------------------------------------------------------------------------------- */

/* the records in scope, into temp tables xs_*: all of them, or a jurisdiction's */
static const char scope_tables[] =
	"CREATE TEMP TABLE IF NOT EXISTS xs_jur(id TEXT PRIMARY KEY, whole INTEGER NOT NULL);"
	"CREATE TEMP TABLE IF NOT EXISTS xs_unit(id TEXT PRIMARY KEY);"
	"CREATE TEMP TABLE IF NOT EXISTS xs_person(id TEXT PRIMARY KEY);"
	"CREATE TEMP TABLE IF NOT EXISTS xs_doc(id TEXT PRIMARY KEY);"
	"CREATE TEMP TABLE IF NOT EXISTS xs_event(id INTEGER PRIMARY KEY);"
	"CREATE TEMP TABLE IF NOT EXISTS xs_txn(id INTEGER PRIMARY KEY);"
	"DELETE FROM xs_jur; DELETE FROM xs_unit; DELETE FROM xs_person; DELETE FROM xs_doc;"
	"DELETE FROM xs_event; DELETE FROM xs_txn;";

static const char scope_all[] =
	"INSERT INTO xs_jur SELECT id, 1 FROM jurisdiction;"
	"INSERT INTO xs_unit SELECT id FROM unit;"
	"INSERT INTO xs_person SELECT id FROM person;"
	"INSERT INTO xs_doc SELECT id FROM document;"
	"INSERT INTO xs_event SELECT id FROM event;"
	"INSERT INTO xs_txn SELECT id FROM txn_log;";

/* after the jurisdiction and those under it are in xs_jur (whole = 1) */
static const char scope_part[] =
	"INSERT INTO xs_unit SELECT id FROM unit WHERE jurisdiction IN (SELECT id FROM xs_jur);"
	"INSERT OR IGNORE INTO xs_person SELECT person FROM placement WHERE unit IN (SELECT id FROM xs_unit);"
	"INSERT OR IGNORE INTO xs_person SELECT a.person FROM appointment a WHERE a.subject IN (SELECT id FROM xs_unit)"
	" OR a.subject IN (SELECT b.id FROM subunit b JOIN xs_unit s ON s.id=b.unit);"
	/* change records: of the units (their Table 2: sub-units, establishment, staff …), of the
	 * jurisdictions (limits), of the people, and the ledger-wide code tables and rule parameters */
	"INSERT OR IGNORE INTO xs_event SELECT id FROM event WHERE unit IN (SELECT id FROM xs_unit) AND " BZ_KINDS_BY_UNIT ";"
	/* (the entries into a post by their placements: event_unit leaves them out, schema.c 14) */
	"INSERT OR IGNORE INTO xs_event SELECT e.id FROM placement p JOIN xs_unit s ON s.id=p.unit"
	" JOIN event e ON e.id=p.event AND e.unit=p.unit AND NOT e." BZ_KINDS_BY_UNIT ";"
	/* (an entry into a post has its placement as subject, never one of these: the condition is
	 * event_subject's, so that SQLite uses that index; a person's registration is the one its row
	 * names, schema 13) */
	"INSERT OR IGNORE INTO xs_event SELECT e.id FROM event e JOIN xs_person s ON s.id=e.subject AND e." BZ_KINDS_NOT_BY_SUBJECT ";"
	"INSERT OR IGNORE INTO xs_event SELECT p.event FROM person p JOIN xs_person s ON s.id=p.id WHERE p.event IS NOT NULL;"
	"INSERT OR IGNORE INTO xs_event SELECT e.id FROM event e JOIN xs_jur s ON s.id=e.subject AND e." BZ_KINDS_NOT_BY_SUBJECT ";"
	"INSERT OR IGNORE INTO xs_event SELECT e.id FROM event e JOIN subunit b ON b.id=e.subject AND e." BZ_KINDS_NOT_BY_SUBJECT
	" JOIN xs_unit s ON s.id=b.unit;"
	"INSERT OR IGNORE INTO xs_event SELECT id FROM event WHERE kind IN ('category.add','credit_code.exception','rules.param',"
	"'archive.category');"
	/* the registrations of the offices of the jurisdictions exported in full */
	"INSERT OR IGNORE INTO xs_event SELECT o.event FROM office o JOIN xs_jur s ON s.id=o.jurisdiction AND s.whole=1;"
	/* the documents they cite, and those the jurisdictions issued */
	"INSERT OR IGNORE INTO xs_doc SELECT DISTINCT e.doc FROM event e JOIN xs_event s ON s.id=e.id WHERE e.doc IS NOT NULL;"
	"INSERT OR IGNORE INTO xs_doc SELECT DISTINCT o.document FROM opening o JOIN event e ON e.txn=o.txn JOIN xs_event s ON s.id=e.id;"
	"INSERT OR IGNORE INTO xs_doc SELECT DISTINCT f.after FROM fact f JOIN xs_event s ON s.id=f.event"
	" WHERE f.attr>='exception:' AND f.attr<'exception;' AND f.after IN (SELECT id FROM document);"
	"INSERT OR IGNORE INTO xs_doc SELECT d.id FROM document d JOIN jurisdiction j ON j.code=d.jurisdiction"
	" JOIN xs_jur s ON s.id=j.id;"
	"INSERT OR IGNORE INTO xs_event SELECT event FROM document WHERE id IN (SELECT id FROM xs_doc) AND event IS NOT NULL;"
	/* the jurisdictions those documents name, and every jurisdiction above: their rows and registration only */
	"INSERT OR IGNORE INTO xs_jur SELECT j.id, 0 FROM jurisdiction j JOIN document d ON d.jurisdiction=j.code"
	" JOIN xs_doc s ON s.id=d.id;"
	"INSERT OR IGNORE INTO xs_jur WITH RECURSIVE up(id) AS (SELECT parent FROM jurisdiction WHERE id IN (SELECT id FROM xs_jur)"
	" UNION SELECT j.parent FROM jurisdiction j JOIN up ON j.id=up.id) SELECT id, 0 FROM up WHERE id IS NOT NULL;"
	"INSERT OR IGNORE INTO xs_event SELECT e.id FROM event e JOIN xs_jur s ON s.id=e.subject AND s.whole=0"
	" WHERE e.kind='jurisdiction.create' AND e." BZ_KINDS_NOT_BY_SUBJECT ";"
	"INSERT OR IGNORE INTO xs_txn SELECT DISTINCT e.txn FROM event e JOIN xs_event s ON s.id=e.id;";

static int scope_fill(bz_ledger *l, const char *code)
{
	int rc = bz_exec(l, scope_tables);
	if (rc != BZ_OK)
		return rc;
	if (!code)
		return bz_exec(l, scope_all);
	static const char root[] =
		"INSERT INTO temp.xs_jur WITH RECURSIVE d(id) AS (SELECT id FROM jurisdiction WHERE code=?1"
		" UNION SELECT j.id FROM jurisdiction j JOIN d ON j.parent=d.id) SELECT id, 1 FROM d";
	bz_st *st = NULL;
	if (bz_store_prepare(l->store, &st, root) != SQLITE_OK)
		return bz_sqlfail_last(l);
	bz_bind_text(st, 1, code);
	int r = bz_step(st);
	bz_st_finalize(st);
	if (r != SQLITE_DONE)
		return bz_sqlfail(l, r);
	if (bz_store_changes(l->store) == 0)
		return bz_fail(l, BZ_ENOTFOUND, "no jurisdiction with division code %s in the ledger", code);
	return bz_exec(l, scope_part);
}

static void scope_drop(bz_ledger *l)
{
	bz_store_exec_quiet(l->store,
		     "DROP TABLE IF EXISTS temp.xs_jur; DROP TABLE IF EXISTS temp.xs_unit; DROP TABLE IF EXISTS temp.xs_person;"
		     "DROP TABLE IF EXISTS temp.xs_doc; DROP TABLE IF EXISTS temp.xs_event; DROP TABLE IF EXISTS temp.xs_txn;");
}

typedef struct writer {
	bz_ledger *l;
	FILE *f;
	const char *path;
	int64_t records;
	int64_t counts[K_COUNT];
	bool failed;
	bz_jw j; /* the line being written */
} writer;

/* the line in w->j to the file, and the writer emptied for the next */
static int write_line(writer *w)
{
	if (!bz_jw_ok(&w->j)) {
		bz_jw_reset(&w->j);
		return bz_fail(w->l, BZ_ENOMEM, "out of memory (or text that is not UTF-8) writing %s", w->path);
	}
	int ok = fwrite(w->j.b, 1, w->j.n, w->f) == w->j.n && fputc('\n', w->f) != EOF;
	bz_jw_reset(&w->j);
	if (!ok)
		return bz_fail(w->l, BZ_EIO, "%s: %s", w->path, strerror(errno));
	return BZ_OK;
}

static void col_text(bz_jw *j, bz_st *st, int c)
{
	if (bz_st_column_type(st, c) == SQLITE_NULL) {
		bz_jw_null(j);
		return;
	}
	const char *s = (const char *)bz_st_column_text(st, c);
	if (!s) {
		j->oom = true; /* SQLite could not make the text: never an empty string instead */
		return;
	}
	bz_jw_str(j, s, (size_t)bz_st_column_bytes(st, c));
}

/* the fields f[0..n) from columns starting at *col as members of the open object */
static void row_fields(bz_jw *j, bz_st *st, const fld *f, size_t n, int *col)
{
	for (size_t i = 0; i < n; i++) {
		int c = *col;
		bz_jw_key(j, f[i].name);
		switch (f[i].shape) {
		case 'T':
		case 't':
			col_text(j, st, c);
			break;
		case 'I':
			bz_jw_int(j, bz_st_column_int64(st, c));
			break;
		case 'R':
		case 'r':
			if (bz_st_column_type(st, c) == SQLITE_NULL) {
				bz_jw_null(j);
			} else {
				const char *ledger = (const char *)bz_st_column_text(st, c);
				bz_jw_arr(j);
				if (ledger)
					bz_jw_str(j, ledger, strlen(ledger));
				else
					j->oom = true; /* SQLite could not make the text */
				bz_jw_int(j, bz_st_column_int64(st, c + 1));
				bz_jw_end(j);
			}
			break;
		case 'N': {
			*col += 1;
			if (bz_st_column_type(st, c) == SQLITE_NULL) {
				bz_jw_null(j);
				for (int k = 0; k < f[i].n; k++)
					*col += fld_cols(&f[i + 1 + (size_t)k]);
			} else {
				bz_jw_obj(j);
				row_fields(j, st, &f[i + 1], (size_t)f[i].n, col);
				bz_jw_end(j);
			}
			i += (size_t)f[i].n;
			continue;
		}
		}
		*col += fld_cols(&f[i]);
	}
}

/* the facts of a change record, in the order written, as the member "facts" (the card an entry issued
 * last, as the fact it was before schema 12: internal.h); a status (out of memory in j is write_line's to say) */
static int facts_of(bz_ledger *l, bz_jw *j, sqlite3_int64 event)
{
	static const char sql[] = BZ_FACTS_OF_RECORD;
	bz_st *st = bz_stmt(l, sql);
	if (!st)
		return bz_stmt_err();
	static const char *const names[] = {"subject", "attr", "effective", "before", "after"};
	bz_jw_key(j, "facts");
	bz_jw_arr(j);
	bz_st_bind_int64(st, 1, event);
	int rc;
	while ((rc = bz_step(st)) == SQLITE_ROW) {
		bz_jw_obj(j);
		for (int k = 0; k < 5; k++) {
			bz_jw_key(j, names[k]);
			col_text(j, st, k);
		}
		bz_jw_end(j);
	}
	bz_st_reset(st);
	bz_jw_end(j);
	return rc == SQLITE_DONE ? BZ_OK : bz_sqlfail(l, rc);
}

static int write_kind(writer *w, int k, const char *self)
{
	const kind *kd = &kinds[k];
	bz_st *st = NULL;
	int rc = bz_store_prepare(w->l->store, &st, kd->sql);
	if (rc != SQLITE_OK)
		return bz_sqlfail(w->l, rc);
	if (bz_st_param_count(st) > 0)
		bz_bind_text(st, 1, self);
	size_t n = nfields(kd);
	int code = BZ_OK;
	while (code == BZ_OK && (rc = bz_step(st)) == SQLITE_ROW) {
		bz_jw *j = &w->j;
		bz_jw_obj(j);
		bz_jw_key(j, "type");
		bz_jw_str(j, kd->type, strlen(kd->type));
		int col = 0;
		row_fields(j, st, kd->f, n, &col);
		if (k == K_CHANGE && (code = facts_of(w->l, j, bz_st_column_int64(st, col))) != BZ_OK) {
			bz_jw_reset(j);
			break;
		}
		bz_jw_end(j);
		code = write_line(w);
		w->records++;
		w->counts[k]++;
		if (w->records % 1000 == 0)
			bz_progress(w->l, "export", w->records);
	}
	if (code == BZ_OK && rc != SQLITE_DONE)
		code = bz_sqlfail(w->l, rc);
	bz_st_finalize(st);
	return code;
}

static int put_in_place(bz_ledger *l, const char *tmp, const char *path)
{
	if (link(tmp, path) == 0) {
		unlink(tmp);
		return BZ_OK;
	}
	if (errno == EEXIST)
		return bz_fail(l, BZ_EEXISTS, "%s: the file exists; an export never overwrites one", path);
	if (errno != EPERM && errno != ENOTSUP && errno != ENOSYS && errno != EMLINK)
		return bz_fail(l, BZ_EIO, "%s: %s", path, strerror(errno));
	struct stat sb;
	if (lstat(path, &sb) == 0)
		return bz_fail(l, BZ_EEXISTS, "%s: the file exists; an export never overwrites one", path);
	if (rename(tmp, path) != 0)
		return bz_fail(l, BZ_EIO, "%s: %s", path, strerror(errno));
	return BZ_OK;
}

static int export_body(writer *w, bz_exchange *x, const char *self, const char *code)
{
	int rc = scope_fill(w->l, code);
	if (rc != BZ_OK)
		return rc;
	char stamp[20];
	bz_now_stamp(w->l, stamp);
	if (!(x->origin = bz_strdup(self)) || !(x->exported_at = bz_strdup(stamp)) || (code && !(x->scope = bz_strdup(code))))
		return bz_fail(w->l, BZ_ENOMEM, "out of memory");
	bz_jw *j = &w->j;
	static const char generator[] = "libbianzhi " BZ_VERSION_STRING;
	bz_jw_obj(j);
	bz_jw_key(j, "type");
	bz_jw_str(j, "header", 6);
	bz_jw_key(j, "format");
	bz_jw_str(j, BZ_EXCHANGE_FORMAT, strlen(BZ_EXCHANGE_FORMAT));
	bz_jw_key(j, "version");
	bz_jw_int(j, BZ_EXCHANGE_VERSION);
	bz_jw_key(j, "ledger");
	bz_jw_str(j, self, strlen(self));
	bz_jw_key(j, "scope");
	if (code)
		bz_jw_str(j, code, strlen(code));
	else
		bz_jw_null(j);
	bz_jw_key(j, "exported_at");
	bz_jw_str(j, stamp, strlen(stamp));
	bz_jw_key(j, "generator");
	bz_jw_str(j, generator, sizeof generator - 1);
	bz_jw_end(j);
	if ((rc = write_line(w)) != BZ_OK)
		return rc;
	for (int k = 0; k < K_COUNT && rc == BZ_OK; k++)
		rc = write_kind(w, k, self);
	if (rc != BZ_OK)
		return rc;
	bz_jw_obj(j);
	bz_jw_key(j, "type");
	bz_jw_str(j, "end", 3);
	bz_jw_key(j, "records");
	bz_jw_int(j, w->records);
	bz_jw_key(j, "counts");
	bz_jw_obj(j);
	for (int k = 0; k < K_COUNT; k++) {
		bz_jw_key(j, kinds[k].type);
		bz_jw_int(j, w->counts[k]);
	}
	bz_jw_end(j);
	bz_jw_end(j);
	x->records = w->records;
	return write_line(w);
}

BZ_EXTERN int bz_ledger_export(bz_exchange **out, bz_ledger *ledger, const char *path, const char *jurisdiction_code)
{
	if (out)
		*out = NULL;
	if (!ledger)
		return BZ_EINVAL;
	if (!path || !*path || !bz_utf8_valid(path))
		return bz_fail(ledger, BZ_EINVAL, "an export needs the name of a new file (non-empty UTF-8)");
	if (jurisdiction_code && !bz_text_ok(jurisdiction_code))
		return bz_fail(ledger, BZ_EINVAL, "a jurisdiction is named by its division code");
	if (ledger->txn)
		return bz_fail(ledger, BZ_EMISUSE, "a transaction is open on this handle: commit or roll it back before an export");
	struct stat sb;
	if (lstat(path, &sb) == 0)
		return bz_fail(ledger, BZ_EEXISTS, "%s: the file exists; an export never overwrites one", path);
	if (errno != ENOENT)
		return bz_fail(ledger, BZ_EIO, "%s: %s", path, strerror(errno));
	char self[BZ_UUID_LEN + 1];
	int rc = bz_ledger_self(ledger, self);
	if (rc != BZ_OK)
		return rc;
	bz_exchange *x = exchange_new();
	size_t n = strlen(path) + sizeof ".tmp-XXXXXX";
	char *tmp = bz__malloc(n);
	if (!x || !tmp) {
		bz__free(tmp);
		bz_exchange_free(x);
		return bz_fail(ledger, BZ_ENOMEM, "out of memory");
	}
	snprintf(tmp, n, "%s.tmp-XXXXXX", path);
	int fd = mkstemp(tmp); /* mode 0600: the file holds personal data */
	if (fd < 0) {
		rc = bz_fail(ledger, BZ_EIO, "%s: %s", path, strerror(errno));
		bz__free(tmp);
		bz_exchange_free(x);
		return rc;
	}
	writer w = {.l = ledger, .f = fdopen(fd, "w"), .path = path};
	if (!w.f) {
		rc = bz_fail(ledger, BZ_EIO, "%s: %s", path, strerror(errno));
		close(fd);
		goto done;
	}
	/* one read snapshot for the whole file */
	if ((rc = bz_exec(ledger, "BEGIN")) != BZ_OK) {
		fclose(w.f);
		goto done;
	}
	rc = export_body(&w, x, self, jurisdiction_code);
	bz_jw_free(&w.j);
	bz_end_read(ledger);
	scope_drop(ledger);
	if (rc == BZ_OK && (fflush(w.f) != 0 || fsync(fileno(w.f)) != 0))
		rc = bz_fail(ledger, BZ_EIO, "%s: %s", path, strerror(errno));
	if (fclose(w.f) != 0 && rc == BZ_OK)
		rc = bz_fail(ledger, BZ_EIO, "%s: %s", path, strerror(errno));
	if (rc == BZ_OK)
		rc = put_in_place(ledger, tmp, path);
done:
	unlink(tmp);
	bz__free(tmp);
	if (rc != BZ_OK) {
		bz_exchange_free(x);
		return rc;
	}
	if (out)
		*out = x;
	else
		bz_exchange_free(x);
	return bz_ok(ledger);
}

/* ---- import: reading the file into staging tables ------------------------------------------------ */

#define IS_NULL(v) bz_js_is((v), BZ_JS_NULL)
#define IS_STR(v) bz_js_is((v), BZ_JS_STR)
#define IS_INT(v) bz_js_is((v), BZ_JS_INT)
#define IS_ARR(v) bz_js_is((v), BZ_JS_ARR)
#define IS_OBJ(v) bz_js_is((v), BZ_JS_OBJ)

/* a line of the file longer than this is refused (exchange.h) */
#define LINE_MAX_BYTES ((size_t)64 << 20)

typedef struct reader {
	bz_ledger *l;
	const char *path;
	int64_t line;
	bz_st *ins[K_COUNT];
	bz_st *fact_ins;
	int64_t counts[K_COUNT];
	int64_t records;
	int64_t change_n; /* staging row of the last change read */
} reader;

/*
 * append a column name: <prefix>_<name> or <name>, and with type its type. The staging tables are typed
 * (a PostgreSQL column needs one; on SQLite the affinity is the one the reader binds anyway): a text
 * field TEXT, an integer INTEGER, a change record's reference (ledger, seq) TEXT and INTEGER.
 */
static void col_name(char *buf, size_t cap, size_t *len, const char *prefix, const char *name, const char *suffix,
		     const char *type)
{
	int w = snprintf(buf + *len, cap - *len, "%s\"%s%s%s%s\"%s%s", *len && buf[*len - 1] != '(' ? ", " : "",
			 prefix ? prefix : "", prefix ? "_" : "", name, suffix ? suffix : "", type ? " " : "",
			 type ? type : "");
	if (w > 0)
		*len += (size_t)w;
}

static const char *col_type(const fld *f, bool types)
{
	return !types ? NULL : f->shape == 'I' ? "INTEGER" : "TEXT";
}

static void cols_of(const kind *k, char *buf, size_t cap, size_t *len, bool types)
{
	const char *ti = types ? "INTEGER" : NULL, *tt = types ? "TEXT" : NULL;
	size_t n = nfields(k);
	for (size_t i = 0; i < n; i++) {
		const fld *f = &k->f[i];
		if (f->shape == 'N') {
			for (int j = 1; j <= f->n; j++) {
				const fld *g = &k->f[i + (size_t)j];
				if (g->shape == 'R' || g->shape == 'r') {
					col_name(buf, cap, len, f->name, g->name, "_ledger", tt);
					col_name(buf, cap, len, f->name, g->name, "_seq", ti);
				} else {
					col_name(buf, cap, len, f->name, g->name, NULL, col_type(g, types));
				}
			}
			i += (size_t)f->n;
		} else if (f->shape == 'R' || f->shape == 'r') {
			col_name(buf, cap, len, NULL, f->name, "_ledger", tt);
			col_name(buf, cap, len, NULL, f->name, "_seq", ti);
		} else {
			col_name(buf, cap, len, NULL, f->name, NULL, col_type(f, types));
		}
	}
}

static int stage_prepare(reader *r)
{
	bz_ledger *l = r->l;
	char sql[2048];
	for (int k = 0; k < K_COUNT; k++) {
		size_t len = 0;
		len += (size_t)snprintf(sql, sizeof sql, "DROP TABLE IF EXISTS temp.x_%s; CREATE TEMP TABLE x_%s(n INTEGER PRIMARY KEY,"
					" line INTEGER NOT NULL, state INTEGER NOT NULL DEFAULT 0, dst TEXT, local INTEGER",
					kinds[k].type, kinds[k].type);
		cols_of(&kinds[k], sql, sizeof sql, &len, true);
		snprintf(sql + len, sizeof sql - len, ")");
		int rc = bz_exec(l, sql);
		if (rc != BZ_OK)
			return rc;
		len = (size_t)snprintf(sql, sizeof sql, "INSERT INTO temp.x_%s(line", kinds[k].type);
		size_t ncols = 1;
		char cols[1024];
		size_t clen = 0;
		cols[0] = '\0';
		cols_of(&kinds[k], cols, sizeof cols, &clen, false);
		snprintf(sql + len, sizeof sql - len, ", %s) VALUES(?", cols);
		len = strlen(sql);
		for (const char *p = cols; *p; p++)
			if (*p == ',')
				ncols++;
		ncols++; /* the first column name has no comma before it */
		for (size_t i = 1; i < ncols; i++)
			len += (size_t)snprintf(sql + len, sizeof sql - len, ",?");
		snprintf(sql + len, sizeof sql - len, ")");
		if (bz_store_prepare(l->store, &r->ins[k], sql) != SQLITE_OK)
			return bz_sqlfail_last(l);
	}
	int rc = bz_exec(l, "DROP TABLE IF EXISTS temp.x_fact; CREATE TEMP TABLE x_fact(n INTEGER PRIMARY KEY,"
			    " change_n INTEGER NOT NULL, subject TEXT, attr TEXT, effective TEXT, before TEXT, after TEXT);"
			    "DROP TABLE IF EXISTS temp.x_map; CREATE TEMP TABLE x_map(src TEXT PRIMARY KEY, dst TEXT NOT NULL);");
	if (rc != BZ_OK)
		return rc;
	if (bz_store_prepare(l->store, &r->fact_ins, "INSERT INTO temp.x_fact(change_n, subject, attr, effective, before, after) VALUES(?,?,?,?,?,?)") != SQLITE_OK)
		return bz_sqlfail_last(l);
	return BZ_OK;
}

static void stage_finish(reader *r)
{
	for (int k = 0; k < K_COUNT; k++)
		bz_st_finalize(r->ins[k]);
	bz_st_finalize(r->fact_ins);
}

static void stage_drop(bz_ledger *l)
{
	char sql[128];
	for (int k = 0; k < K_COUNT; k++) {
		snprintf(sql, sizeof sql, "DROP TABLE IF EXISTS temp.x_%s", kinds[k].type);
		bz_store_exec_quiet(l->store, sql);
	}
	bz_store_exec_quiet(l->store,
		     "DROP TABLE IF EXISTS temp.x_fact; DROP TABLE IF EXISTS temp.x_map;");
}

static int bad(reader *r, const char *fmt, const char *a, const char *b)
{
	return bz_fail(r->l, BZ_EINVAL, "%s:%lld: %s%s%s%s%s", r->path, (long long)r->line, fmt, a ? " " : "", a ? a : "",
		       b ? " of " : "", b ? b : "");
}

/* bind the fields f[0..n) of object o to st from parameter *p on */
static int bind_fields(reader *r, bz_st *st, int *p, const bz_js *o, const fld *f, size_t n, const char *type)
{
	for (size_t i = 0; i < n; i++) {
		const bz_js *v = o ? bz_js_get(o, f[i].name) : NULL;
		bool null = !o || !v || IS_NULL(v);
		switch (f[i].shape) {
		case 'T':
		case 't':
			if (null && f[i].shape == 'T' && o)
				return bad(r, "missing text field", f[i].name, type);
			if (!null && !IS_STR(v))
				return bad(r, "not a string: field", f[i].name, type);
			if (null)
				bz_st_bind_null(st, (*p)++);
			else
				bz_bind_textn(st, (*p)++, bz_js_str(v), (int)(v)->n);
			if (!null && memchr(bz_js_str(v), 0, (v)->n))
				return bad(r, "a NUL character in field", f[i].name, type);
			break;
		case 'I':
			if (null && o)
				return bad(r, "missing integer field", f[i].name, type);
			if (!null && !IS_INT(v))
				return bad(r, "not an integer: field", f[i].name, type);
			if (null)
				bz_st_bind_null(st, (*p)++);
			else
				bz_st_bind_int64(st, (*p)++, (v)->u.i);
			break;
		case 'R':
		case 'r':
			if (null && f[i].shape == 'R' && o)
				return bad(r, "missing identity [ledger, number]: field", f[i].name, type);
			if (null) {
				bz_st_bind_null(st, (*p)++);
				bz_st_bind_null(st, (*p)++);
				break;
			}
			if (!IS_ARR(v) || (v)->n != 2 || !IS_STR((&(v)->u.kid[0])) ||
			    !IS_INT((&(v)->u.kid[1])) || !bz_uuid_ok(bz_js_str((&(v)->u.kid[0]))))
				return bad(r, "not an identity [ledger UUID, number]: field", f[i].name, type);
			bz_bind_textn(st, (*p)++, bz_js_str((&(v)->u.kid[0])), -1);
			bz_st_bind_int64(st, (*p)++, ((&(v)->u.kid[1]))->u.i);
			break;
		case 'N': {
			if (!null && !IS_OBJ(v))
				return bad(r, "not an object or null: field", f[i].name, type);
			int rc = bind_fields(r, st, p, null ? NULL : v, &f[i + 1], (size_t)f[i].n, type);
			if (rc != BZ_OK)
				return rc;
			i += (size_t)f[i].n;
			break;
		}
		}
	}
	return BZ_OK;
}

static int stage_facts(reader *r, const bz_js *facts)
{
	if (!IS_ARR(facts))
		return bad(r, "a change record's facts are an array", NULL, NULL);
	for (size_t i = 0; i < facts->n; i++) {
		const bz_js *f = &facts->u.kid[i];
		static const char *const names[] = {"subject", "attr", "effective", "before", "after"};
		if (!IS_OBJ(f))
			return bad(r, "a fact is an object", NULL, NULL);
		bz_st *st = r->fact_ins;
		bz_st_reset(st);
		bz_st_bind_int64(st, 1, r->change_n);
		for (int k = 0; k < 5; k++) {
			const bz_js *v = bz_js_get(f, names[k]);
			if (k < 3 && !IS_STR(v))
				return bad(r, "missing text field", names[k], "fact");
			if (v && !IS_NULL(v) && !IS_STR(v))
				return bad(r, "not a string: field", names[k], "fact");
			if (!v || IS_NULL(v))
				bz_st_bind_null(st, k + 2);
			else
				bz_bind_textn(st, k + 2, bz_js_str(v), (int)(v)->n);
		}
		if (bz_step(st) != SQLITE_DONE)
			return bz_sqlfail_last(r->l);
	}
	return BZ_OK;
}

static int stage_record(reader *r, const bz_js *o, int k)
{
	bz_st *st = r->ins[k];
	bz_st_reset(st);
	bz_st_clear_bindings(st);
	bz_st_bind_int64(st, 1, r->line);
	int p = 2;
	int rc = bind_fields(r, st, &p, o, kinds[k].f, nfields(&kinds[k]), kinds[k].type);
	if (rc != BZ_OK)
		return rc;
	/* the UUIDs of records: what the format promises */
	const bz_js *id = bz_js_get(o, "id");
	if (IS_STR(id) && !bz_uuid_ok(bz_js_str(id)))
		return bad(r, "not a UUID: field id", NULL, kinds[k].type);
	if (bz_step(st) != SQLITE_DONE)
		return bz_sqlfail_last(r->l);
	r->counts[k]++;
	r->records++;
	if (r->records % 1000 == 0)
		bz_progress(r->l, "import", r->records);
	if (k == K_CHANGE) {
		r->change_n = bz_store_last_id(r->l->store);
		const bz_js *facts = bz_js_get(o, "facts");
		if (facts && (rc = stage_facts(r, facts)) != BZ_OK)
			return rc;
		if (!facts)
			return bad(r, "missing field facts", NULL, "change");
	}
	return BZ_OK;
}

static int read_header(reader *r, const bz_js *o, bz_exchange *x)
{
	const char *type = bz_js_str(bz_js_get(o, "type"));
	const char *format = bz_js_str(bz_js_get(o, "format"));
	if (!type || strcmp(type, "header") != 0 || !format || strcmp(format, BZ_EXCHANGE_FORMAT) != 0)
		return bz_fail(r->l, BZ_EINVAL, "%s: not a ledger exchange file (its first line is no \"%s\" header)", r->path,
			       BZ_EXCHANGE_FORMAT);
	const bz_js *v = bz_js_get(o, "version");
	if (!IS_INT(v) || (v)->u.i < 1)
		return bad(r, "the header's version is not a positive integer", NULL, NULL);
	if ((v)->u.i > BZ_EXCHANGE_VERSION)
		return bz_fail(r->l, BZ_ESCHEMA, "%s: exchange format version %lld is newer than this library's %d; upgrade libbianzhi",
			       r->path, (long long)(v)->u.i, BZ_EXCHANGE_VERSION);
	const char *ledger = bz_js_str(bz_js_get(o, "ledger"));
	const bz_js *scope = bz_js_get(o, "scope");
	const char *at = bz_js_str(bz_js_get(o, "exported_at"));
	if (!ledger || !bz_uuid_ok(ledger))
		return bad(r, "the header names no exporting ledger (a UUID)", NULL, NULL);
	if (!at)
		return bad(r, "the header has no export time", NULL, NULL);
	if (scope && !IS_NULL(scope) && !IS_STR(scope))
		return bad(r, "the header's scope is a division code or null", NULL, NULL);
	x->origin = bz_strdup(ledger);
	x->exported_at = bz_strdup(at);
	x->scope = IS_STR(scope) ? bz_strdup(bz_js_str(scope)) : NULL;
	if (!x->origin || !x->exported_at || (IS_STR(scope) && !x->scope))
		return bz_fail(r->l, BZ_ENOMEM, "out of memory");
	return BZ_OK;
}

static int read_trailer(reader *r, const bz_js *o)
{
	const bz_js *n = bz_js_get(o, "records"), *counts = bz_js_get(o, "counts");
	if (!IS_INT(n) || !IS_OBJ(counts))
		return bad(r, "the trailer needs records and counts", NULL, NULL);
	if ((n)->u.i != r->records)
		return bz_fail(r->l, BZ_EINVAL, "%s: truncated or damaged: the trailer counts %lld records, the file holds %lld",
			       r->path, (long long)(n)->u.i, (long long)r->records);
	for (int k = 0; k < K_COUNT; k++) {
		const bz_js *c = bz_js_get(counts, kinds[k].type);
		int64_t want = IS_INT(c) ? (c)->u.i : 0;
		if (c && !IS_INT(c))
			return bad(r, "the trailer's count is not an integer:", kinds[k].type, NULL);
		if (want != r->counts[k])
			return bz_fail(r->l, BZ_EINVAL, "%s: truncated or damaged: the trailer counts %lld %s records, the file holds %lld",
				       r->path, (long long)want, kinds[k].type, (long long)r->counts[k]);
	}
	return BZ_OK;
}

/*
 * getline(3) through the library's allocator (src/alloc.h), so that the
 * fault hook reaches the line buffer too: the line with its '\n' into *buf,
 * its length, or -1 at the end of the file (errno 0), on a failure (errno),
 * or for a line longer than LINE_MAX_BYTES (errno EFBIG).
 */
static ssize_t read_line(char **buf, size_t *cap, FILE *f)
{
	size_t len = 0;
	int c;
	errno = 0;
	while ((c = getc(f)) != EOF) {
		if (len + 2 > *cap) {
			if (*cap >= LINE_MAX_BYTES + 2) {
				errno = EFBIG;
				return -1;
			}
			size_t ncap = *cap ? *cap * 2 : 256;
			if (ncap > LINE_MAX_BYTES + 2)
				ncap = LINE_MAX_BYTES + 2;
			char *nb = bz__realloc(*buf, ncap);
			if (!nb) {
				errno = ENOMEM;
				return -1;
			}
			*buf = nb;
			*cap = ncap;
		}
		(*buf)[len++] = (char)c;
		if (c == '\n')
			break;
	}
	if (len == 0)
		return -1;
	(*buf)[len] = '\0';
	return (ssize_t)len;
}

/* read the whole file into the staging tables; BZ_OK only for a complete, well-formed file */
static int stage_file(reader *r, FILE *f, bz_exchange *x)
{
	char *buf = NULL;
	size_t cap = 0;
	ssize_t len;
	bool ended = false;
	int rc = BZ_OK;
	bz_jr jr = {0};
	while (rc == BZ_OK && (len = read_line(&buf, &cap, f)) >= 0) {
		r->line++;
		if (ended) {
			rc = bad(r, "data after the trailer", NULL, NULL);
			break;
		}
		if (len > 0 && buf[len - 1] == '\n')
			len--;
		else {
			rc = bz_fail(r->l, BZ_EINVAL, "%s:%lld: truncated: the last line does not end", r->path, (long long)r->line);
			break;
		}
		char why[256];
		const bz_js *o;
		int pr = bz_jr_parse(&jr, buf, (size_t)len, &o, why, sizeof why);
		if (pr == BZ_ENOMEM) {
			rc = bz_fail(r->l, BZ_ENOMEM, "out of memory reading %s", r->path);
			break;
		}
		if (pr != BZ_OK) {
			rc = bz_fail(r->l, BZ_EINVAL, "%s:%lld: not JSON: %s", r->path, (long long)r->line, why);
			break;
		}
		if (!IS_OBJ(o)) {
			rc = bad(r, "a line is one JSON object", NULL, NULL);
			break;
		}
		const char *type = bz_js_str(bz_js_get(o, "type"));
		if (r->line == 1) {
			rc = read_header(r, o, x);
		} else if (!type) {
			rc = bad(r, "a record without a type", NULL, NULL);
		} else if (strcmp(type, "end") == 0) {
			rc = read_trailer(r, o);
			ended = true;
		} else {
			int k = 0;
			while (k < K_COUNT && strcmp(kinds[k].type, type) != 0)
				k++;
			rc = k < K_COUNT ? stage_record(r, o, k) : bad(r, "unknown record type", type, NULL);
		}
	}
	if (rc == BZ_OK && errno == ENOMEM)
		rc = bz_fail(r->l, BZ_ENOMEM, "out of memory reading %s", r->path);
	if (rc == BZ_OK && errno == EFBIG)
		rc = bz_fail(r->l, BZ_EINVAL, "%s:%lld: a line longer than %zu bytes", r->path, (long long)r->line + 1,
			     LINE_MAX_BYTES);
	if (rc == BZ_OK && ferror(f))
		rc = bz_fail(r->l, BZ_EIO, "%s: %s", r->path, strerror(errno));
	if (rc == BZ_OK && r->line == 0)
		rc = bz_fail(r->l, BZ_EINVAL, "%s: an empty file, not a ledger exchange file", r->path);
	if (rc == BZ_OK && !ended)
		rc = bz_fail(r->l, BZ_EINVAL, "%s: truncated: no trailer after line %lld", r->path, (long long)r->line);
	bz_jr_free(&jr);
	bz__free(buf);
	x->records = r->records;
	return rc;
}

/* ---- import: mapping, conflicts, writing --------------------------------------------------------- */

/* a UUID of the file as the ledger knows it: mapped by natural key, else itself */
#define M(e) "COALESCE((SELECT dst FROM temp.x_map WHERE src=" e "), " e ")"

/* statements run in order; each may use ?1 = the ledger's identity */
static void bind_self(bz_st *st, int np, const void *self)
{
	if (np > 0)
		bz_bind_text(st, 1, self);
}

static int run_sql(bz_ledger *l, const char *const *sql, size_t n, const char *self, int64_t *changes)
{
	return bz_exec_list(l, sql, n, bind_self, self, changes);
}

/* natural keys: state 0 new, 1 the ledger's under the same UUID, 2 the ledger's under another (dst) */
static const char *const map_sql[] = {
	"UPDATE temp.x_jurisdiction SET dst=(SELECT id FROM jurisdiction j WHERE j.code=x_jurisdiction.code)",
	"UPDATE temp.x_document SET dst=(SELECT id FROM document d WHERE d.issuer=x_document.issuer AND d.number=x_document.number)",
	"UPDATE temp.x_person SET dst=(SELECT id FROM person p WHERE p.id_number=x_person.id_number)",
	"UPDATE temp.x_slip SET dst=(SELECT id FROM slip s WHERE s.number=x_slip.number)",
	"UPDATE temp.x_office SET dst=COALESCE((SELECT id FROM office o WHERE o.id=x_office.id),"
	" (SELECT id FROM office o WHERE o.name=x_office.name))",
	"UPDATE temp.x_unit SET dst=(SELECT id FROM unit u WHERE u.id=x_unit.id)",
	"UPDATE temp.x_subunit SET dst=(SELECT id FROM subunit u WHERE u.id=x_subunit.id)",
	"UPDATE temp.x_placement SET dst=(SELECT id FROM placement u WHERE u.id=x_placement.id)",
	"UPDATE temp.x_appointment SET dst=(SELECT id FROM appointment u WHERE u.id=x_appointment.id)",
	"UPDATE temp.x_unitcert SET dst=(SELECT id FROM unitcert u WHERE u.id=x_unitcert.id)",
	"UPDATE temp.x_card SET dst=(SELECT number FROM card c WHERE c.number=x_card.number)",
	"UPDATE temp.x_category SET dst=(SELECT code FROM category c WHERE c.code=x_category.code)",
	"UPDATE temp.x_credit_code_exception SET dst=(SELECT code FROM credit_code_exception c WHERE c.code=x_credit_code_exception.code)",
	"UPDATE temp.x_leadership_norm SET dst=(SELECT 'x' FROM leadership_norm c WHERE c.kind=x_leadership_norm.kind"
	" AND c.rank=x_leadership_norm.rank)",
	"UPDATE temp.x_authority_rule SET dst=(SELECT 'x' FROM authority_rule c WHERE c.action=x_authority_rule.action"
	" AND c.natures=x_authority_rule.natures AND c.min_rank=x_authority_rule.min_rank)",
};

static const char *const state_tables[] = {"jurisdiction", "document", "person", "slip", "office", "unit", "subunit",
					   "placement", "appointment", "unitcert", "card", "category", "credit_code_exception",
					   "leadership_norm", "authority_rule"};

/*
 * Content compared for records that are the ledger's already (state > 0):
 * (field, the ledger's value, the file's value); loose: only when both
 * sides have one (an end date the ledger has not heard of yet is news, not
 * a conflict).
 */
typedef struct cmp_field {
	const char *field, *ours, *theirs;
	bool loose;
} cmp_field;
typedef struct cmp {
	const char *kind, *local, *join, *ident;
	cmp_field f[10];
} cmp;

#define JCODE(e) "(SELECT code FROM jurisdiction WHERE id=" e ")"
#define XJCODE(e) "COALESCE((SELECT code FROM temp.x_jurisdiction WHERE id=" e "), " e ")"
#define IDNUM(e) "(SELECT id_number FROM person WHERE id=" e ")"
#define XIDNUM(e) "COALESCE((SELECT id_number FROM temp.x_person WHERE id=" e "), " e ")"
#define SLIPNO(e) "(SELECT number FROM slip WHERE id=" e ")"
#define XSLIPNO(e) "COALESCE((SELECT number FROM temp.x_slip WHERE id=" e "), " e ")"

/*
 * The credit code a unit the ledger has will hold after the import: the
 * file's, when the file brings a new change record giving the unit that code
 * (bz_unit_set_credit_code at the county, re-imported at the city) and every
 * code the ledger recorded for the unit came from the file's records too; the
 * ledger's otherwise, so a code the ledger gave the unit itself stays a
 * conflict.
 */
#define NEW_CODE_FACT(unit, code)                                                                                    \
	"EXISTS (SELECT 1 FROM temp.x_fact f JOIN temp.x_change c ON c.n=f.change_n AND c.state=0 WHERE f.subject=" unit \
	" AND f.attr='credit_code' AND f.after=" code ")"
#define UNIT_CODE                                                                                                  \
	"CASE WHEN " NEW_CODE_FACT("x.id", "x.credit_code") " AND NOT EXISTS (SELECT 1 FROM fact g WHERE g.subject=l.id"   \
	" AND g.attr='credit_code' AND NOT EXISTS (SELECT 1 FROM temp.x_change c WHERE c.local=g.event AND c.state=1))"    \
	" THEN x.credit_code ELSE l.credit_code END"

static const cmp cmps[] = {
	{"jurisdiction", "jurisdiction", "l.id=x.dst", "x.code",
	 {{"name", "l.name", "x.name", false}, {"level", "l.level", "x.level", false}, {"parent", JCODE("l.parent"), XJCODE("x.parent"), false}}},
	{"document", "document", "l.id=x.dst", "x.issuer || ' ' || x.number",
	 {{"abbr", "l.abbr", "x.abbr", false}, {"year", "l.year", "x.year", false}, {"seq", "l.seq", "x.seq", false}, {"title", "l.title", "x.title", false},
	  {"date", "l.date", "x.date", false}, {"level", "l.level", "x.level", false}, {"kind", "l.kind", "x.kind", false},
	  {"jurisdiction", "l.jurisdiction", "x.jurisdiction", false}}},
	{"category", "category", "l.code=x.code", "x.code",
	 {{"name", "l.name", "x.name", false}, {"branch", "l.branch", "x.branch", false}, {"natures", "l.natures", "x.natures", false}}},
	{"credit_code_exception", "credit_code_exception", "l.code=x.code", "x.code", {{"note", "l.note", "x.note", false}}},
	{"leadership_norm", "leadership_norm", "l.kind=x.kind AND l.rank=x.rank", "x.kind || '/' || x.rank",
	 {{"principal", "l.principal", "x.principal", false}, {"deputy", "l.deputy", "x.deputy", false}}},
	{"authority_rule", "authority_rule", "l.action=x.action AND l.natures=x.natures AND l.min_rank=x.min_rank",
	 "x.action || '/' || x.natures || '/' || x.min_rank", {{"max_level", "l.max_level", "x.max_level", false}}},
	{"person", "person", "l.id=x.dst", "x.id_number",
	 {{"name", "l.name", "x.name", false}, {"sex", "l.sex", "x.sex", false}, {"birth", "l.birth", "x.birth", false}}},
	{"card", "card", "l.number=x.number", "x.number",
	 {{"person", IDNUM("l.person"), XIDNUM("x.person"), false}, {"issued", "l.issued", "x.issued", false}, {"prefix", "l.prefix", "x.prefix", false}}},
	{"slip", "slip", "l.id=x.dst", "x.number",
	 {{"unit", "l.unit", "x.unit", false}, {"category", "l.category", "x.category", false}, {"posts", "l.posts", "x.posts", false},
	  {"purpose", "l.purpose", "x.purpose", false}, {"issued", "l.issued", "x.issued", false},
	  {"valid_until", "l.valid_until", "x.valid_until", false},
	  {"ended", "(SELECT date FROM slip_end WHERE slip=l.id)", "x.ended", true}}},
	{"unit", "unit", "l.id=x.dst", "x.id",
	 {{"jurisdiction", JCODE("l.jurisdiction"), XJCODE("x.jurisdiction"), false}, {"credit_code", UNIT_CODE, "x.credit_code", false},
	  {"founded", "l.founded", "x.founded", false}}},
	{"subunit", "subunit", "l.id=x.dst", "x.id", {{"unit", "l.unit", "x.unit", false}, {"founded", "l.founded", "x.founded", false}}},
	{"placement", "placement", "l.id=x.dst", "x.id",
	 {{"person", IDNUM("l.person"), XIDNUM("x.person"), false}, {"unit", "l.unit", "x.unit", false}, {"category", "l.category", "x.category", false},
	  {"slip", SLIPNO("l.slip"), XSLIPNO("x.slip"), false}, {"entry_kind", "l.entry_kind", "x.entry_kind", false},
	  {"entry", "l.entry", "x.entry", false},
	  {"exit.date", "(SELECT date FROM placement_exit WHERE placement=l.id)", "x.exit_date", true},
	  {"exit.reason", "(SELECT reason FROM placement_exit WHERE placement=l.id)", "x.exit_reason", true}}},
	{"unitcert", "unitcert", "l.id=x.dst", "x.number",
	 {{"number", "l.number", "x.number", false}, {"unit", "l.unit", "x.unit", false}, {"issued", "l.issued", "x.issued", false},
	  {"valid_until", "l.valid_until", "x.valid_until", false}, {"renews", "l.renews", "x.renews", false},
	  {"end.date", "(SELECT date FROM unitcert_end WHERE cert=l.id)", "x.end_date", true},
	  {"end.kind", "(SELECT kind FROM unitcert_end WHERE cert=l.id)", "x.end_kind", true}}},
	/* an office: by UUID, or by name (then its registration date is the ledger's own) */
	{"office", "office", "l.id=x.dst", "x.name",
	 {{"name", "l.name", "x.name", false}, {"jurisdiction", JCODE("l.jurisdiction"), XJCODE("x.jurisdiction"), false},
	  {"kind", "l.kind", "x.kind", false},
	  {"registered", "l.registered", "CASE WHEN x.state=1 THEN x.registered ELSE l.registered END", false}}},
	{"appointment", "appointment", "l.id=x.dst", "x.id",
	 {{"person", IDNUM("l.person"), XIDNUM("x.person"), false}, {"subject", "l.subject", "x.subject", false}, {"post", "l.post", "x.post", false},
	  {"start", "l.start", "x.start", false}, {"ended", "(SELECT date FROM appointment_end WHERE appointment=l.id)", "x.ended", true}}},
};

/* no change record of that identity in the file (to be written or the ledger's already) */
#define NO_CHANGE(lg, sq)                                                                                              \
	"NOT EXISTS (SELECT 1 FROM temp.x_change c WHERE c.id_ledger=" lg " AND c.id_seq=" sq " AND c.state<2)"

/* other conflicts: (line, kind, identity, field, ours, theirs), ?1 = the ledger's identity */
static const char *const conflict_sql[] = {
	/* a new record whose UUID the ledger gives to another (its natural key differs) */
	"SELECT x.line, 'jurisdiction', x.code, 'code', l.code, x.code FROM temp.x_jurisdiction x JOIN jurisdiction l ON l.id=x.id"
	" WHERE x.state=0",
	"SELECT x.line, 'document', x.issuer || ' ' || x.number, 'number', l.issuer || ' ' || l.number, x.issuer || ' ' || x.number"
	" FROM temp.x_document x JOIN document l ON l.id=x.id WHERE x.state=0",
	"SELECT x.line, 'person', x.id_number, 'id_number', l.id_number, x.id_number FROM temp.x_person x JOIN person l ON l.id=x.id"
	" WHERE x.state=0",
	"SELECT x.line, 'slip', x.number, 'number', l.number, x.number FROM temp.x_slip x JOIN slip l ON l.id=x.id WHERE x.state=0",
	/* a new 机构编制管理证 whose number another certificate bears */
	"SELECT x.line, 'unitcert', x.number, 'number', l.id, x.id FROM temp.x_unitcert x JOIN unitcert l ON l.number=x.number"
	" AND l.id<>x.id WHERE x.state=0",
	/* a new unit whose credit code another unit holds */
	"SELECT x.line, 'unit', x.id, 'credit_code', l.id, x.credit_code FROM temp.x_unit x JOIN unit l ON l.credit_code=x.credit_code"
	" WHERE x.state=0",
	/* a unit the ledger has, given by a new change record a code another unit holds */
	"SELECT x.line, 'unit', x.id, 'credit_code', l.id, x.credit_code FROM temp.x_unit x JOIN unit l ON l.credit_code=x.credit_code"
	" AND l.id<>x.dst WHERE x.state>0 AND " NEW_CODE_FACT("x.id", "x.credit_code"),
	/* a new category under a name another code bears */
	"SELECT x.line, 'category', x.code, 'name', l.code, x.name FROM temp.x_category x JOIN category l ON l.name=x.name"
	" AND l.code<>x.code WHERE x.state=0",
	/* a new archive category (its change record: subject the code, note the name) whose code or name the ledger
	 * gives to another */
	"SELECT x.line, 'archive_category', x.subject, CASE WHEN l.code=x.subject THEN 'name' ELSE 'code' END,"
	" CASE WHEN l.code=x.subject THEN l.name ELSE l.code END, CASE WHEN l.code=x.subject THEN x.note ELSE x.subject END"
	" FROM temp.x_change x JOIN archive_category l ON l.code=x.subject OR l.name=x.note"
	" WHERE x.state=0 AND x.kind='archive.category' AND (l.code<>x.subject OR l.name IS NOT x.note)",
	/* one card per person: a new card for someone who has another */
	"SELECT x.line, 'card', x.number, 'person', l.number, x.number FROM temp.x_card x JOIN card l ON l.person=" M("x.person")
	" AND l.number<>x.number WHERE x.state=0",
	/* a change record of the same origin that is not the same record */
	"SELECT x.line, 'change', x.id_ledger || '#' || x.id_seq, 'kind', e.kind, x.kind FROM temp.x_change x JOIN event e ON e.id=x.local"
	" WHERE x.state=1 AND e.kind<>x.kind",
	"SELECT x.line, 'change', x.id_ledger || '#' || x.id_seq, 'effective', e.effective, x.effective FROM temp.x_change x"
	" JOIN event e ON e.id=x.local WHERE x.state=1 AND e.effective<>x.effective",
	"SELECT x.line, 'change', x.id_ledger || '#' || x.id_seq, 'subject', e.subject, " M("x.subject") " FROM temp.x_change x"
	" JOIN event e ON e.id=x.local WHERE x.state=1 AND e.subject<>" M("x.subject"),
	/* an attribute the ledger (or another ledger it imported) gives another value on the same date */
	"SELECT x.line, 'attribute', " M("f.subject") " || ' ' || f.attr || ' ' || f.effective, f.attr, l.after, " M("f.after")
	" FROM temp.x_fact f JOIN temp.x_change x ON x.n=f.change_n AND x.state=0"
	" JOIN fact l ON l.subject=" M("f.subject") " AND l.attr=f.attr AND l.effective=f.effective"
	" WHERE l.after IS NOT " M("f.after")
	" AND NOT EXISTS (SELECT 1 FROM fact g WHERE g.subject=l.subject AND g.attr=l.attr AND g.effective=l.effective AND g.event>l.event)"
	" AND NOT EXISTS (SELECT 1 FROM temp.x_fact h JOIN temp.x_change y ON y.n=h.change_n AND y.state=0"
	"  WHERE h.subject=f.subject AND h.attr=f.attr AND h.effective=f.effective AND h.n>f.n)"
	" AND COALESCE((SELECT ledger FROM event_origin WHERE event=l.event), ?1)<>x.id_ledger"
	/* the same for a card the ledger holds once (schema 12: its row is the fact `card` of the record it names) */
	" UNION ALL SELECT x.line, 'attribute', " M("f.subject") " || ' ' || f.attr || ' ' || f.effective, f.attr, l.number, "
	M("f.after") " FROM temp.x_fact f JOIN temp.x_change x ON x.n=f.change_n AND x.state=0"
	" JOIN card l ON l.person=" M("f.subject") " AND l.issued=f.effective AND l.event IS NOT NULL"
	" WHERE f.attr='card' AND l.number IS NOT " M("f.after")
	" AND NOT EXISTS (SELECT 1 FROM temp.x_fact h JOIN temp.x_change y ON y.n=h.change_n AND y.state=0"
	"  WHERE h.subject=f.subject AND h.attr=f.attr AND h.effective=f.effective AND h.n>f.n)"
	" AND COALESCE((SELECT ledger FROM event_origin WHERE event=l.event), ?1)<>x.id_ledger",
	/* a new office whose registration record neither the file nor the ledger has */
	"SELECT x.line, 'office', x.name, 'event', NULL, x.event_ledger || '#' || x.event_seq FROM temp.x_office x WHERE x.state=0"
	" AND " NO_CHANGE("x.event_ledger", "x.event_seq"),
	/* a new record, or the end of one, whose change record neither the file nor the ledger has (a vendor's file) */
	"SELECT x.line, 'placement', x.id, 'event', NULL, x.event_ledger || '#' || x.event_seq FROM temp.x_placement x"
	" WHERE x.state=0 AND " NO_CHANGE("x.event_ledger", "x.event_seq"),
	"SELECT x.line, 'placement', x.id, 'exit.event', NULL, x.exit_event_ledger || '#' || x.exit_event_seq"
	" FROM temp.x_placement x WHERE x.exit_date IS NOT NULL AND NOT EXISTS (SELECT 1 FROM placement_exit e"
	" WHERE e.placement=x.dst) AND " NO_CHANGE("x.exit_event_ledger", "x.exit_event_seq"),
	/* a new placement whose record in the file is not its entry — an entry into it (its subject), in its unit,
	 * on its date — and a new entry record that no placement of the file names: a unit's entries are read by
	 * their placement (placement_unit, placement.event; schema 14), a placement's too (10), so the two must
	 * agree (ours: NULL, the ledger has neither; theirs: the placement's value) */
	"SELECT x.line, 'placement', x.id, 'event', NULL, x.event_ledger || '#' || x.event_seq FROM temp.x_placement x"
	" JOIN temp.x_change c ON c.id_ledger=x.event_ledger AND c.id_seq=x.event_seq AND c.state<2 WHERE x.state=0"
	" AND (c.kind NOT IN ('placement.enter','placement.transfer_in') OR c.subject IS NOT x.id)"
	" UNION ALL SELECT x.line, 'placement', x.id, 'unit', NULL, x.unit FROM temp.x_placement x"
	" JOIN temp.x_change c ON c.id_ledger=x.event_ledger AND c.id_seq=x.event_seq AND c.state<2 WHERE x.state=0"
	" AND c.kind IN ('placement.enter','placement.transfer_in') AND c.subject=x.id AND c.unit IS NOT x.unit"
	" UNION ALL SELECT x.line, 'placement', x.id, 'entry', NULL, x.entry FROM temp.x_placement x"
	" JOIN temp.x_change c ON c.id_ledger=x.event_ledger AND c.id_seq=x.event_seq AND c.state<2 WHERE x.state=0"
	" AND c.kind IN ('placement.enter','placement.transfer_in') AND c.subject=x.id AND c.effective IS NOT x.entry",
	"SELECT c.line, 'change', c.id_ledger || '#' || c.id_seq, 'placement', NULL, c.subject FROM temp.x_change c"
	" WHERE c.state=0 AND c.kind IN ('placement.enter','placement.transfer_in') AND NOT EXISTS (SELECT 1"
	" FROM temp.x_placement p WHERE p.id=c.subject AND p.event_ledger=c.id_ledger AND p.event_seq=c.id_seq)",
	"SELECT x.line, 'unitcert', x.number, 'event', NULL, x.event_ledger || '#' || x.event_seq FROM temp.x_unitcert x"
	" WHERE x.state=0 AND " NO_CHANGE("x.event_ledger", "x.event_seq"),
	"SELECT x.line, 'unitcert', x.number, 'end.event', NULL, x.end_event_ledger || '#' || x.end_event_seq"
	" FROM temp.x_unitcert x WHERE x.end_date IS NOT NULL AND NOT EXISTS (SELECT 1 FROM unitcert_end e"
	" WHERE e.cert=x.dst) AND " NO_CHANGE("x.end_event_ledger", "x.end_event_seq"),
	/* transaction identities: one the ledger gives to another transaction, one given twice in the file, or another
	 * identity for a transaction the ledger has */
	"SELECT x.line, 'txn', x.uuid, 'id', COALESCE(o.ledger, ?1) || '#' || COALESCE(o.id, i.txn), x.id_ledger || '#' || x.id_seq"
	" FROM temp.x_txn x JOIN txn_id i ON i.uuid=x.uuid LEFT JOIN txn_origin o ON o.txn=i.txn"
	" WHERE x.local IS NULL OR x.local<>i.txn",
	"SELECT x.line, 'txn', x.uuid, 'id', y.id_ledger || '#' || y.id_seq, x.id_ledger || '#' || x.id_seq FROM temp.x_txn x"
	" JOIN temp.x_txn y ON y.uuid=x.uuid AND y.n<x.n",
	"SELECT x.line, 'txn', x.id_ledger || '#' || x.id_seq, 'uuid', i.uuid, x.uuid FROM temp.x_txn x JOIN txn_id i ON i.txn=x.local"
	" WHERE x.state=1 AND x.uuid IS NOT NULL AND i.uuid<>x.uuid",
	/* a new change record whose transaction neither the file nor the ledger has */
	"SELECT x.line, 'change', x.id_ledger || '#' || x.id_seq, 'txn', NULL, x.txn_ledger || '#' || x.txn_seq FROM temp.x_change x"
	" WHERE x.state=0 AND NOT EXISTS (SELECT 1 FROM temp.x_txn t WHERE t.id_ledger=x.txn_ledger AND t.id_seq=x.txn_seq)",
};

static int conflicts_from(bz_ledger *l, bz_exchange *x, const char *sql, const char *self)
{
	bz_st *st = NULL;
	int rc = bz_store_prepare(l->store, &st, sql);
	if (rc != SQLITE_OK)
		return bz_sqlfail(l, rc);
	if (bz_st_param_count(st) > 0)
		bz_bind_text(st, 1, self);
	int code = BZ_OK;
	while ((rc = bz_step(st)) == SQLITE_ROW)
		if (!conflict_add(x, bz_st_column_int64(st, 0), (const char *)bz_st_column_text(st, 1),
				  (const char *)bz_st_column_text(st, 2), (const char *)bz_st_column_text(st, 3),
				  (const char *)bz_st_column_text(st, 4), (const char *)bz_st_column_text(st, 5))) {
			code = bz_fail(l, BZ_ENOMEM, "out of memory");
			break;
		}
	if (code == BZ_OK && rc != SQLITE_DONE)
		code = bz_sqlfail(l, rc);
	bz_st_finalize(st);
	return code;
}

static int find_conflicts(bz_ledger *l, bz_exchange *x, const char *self)
{
	char sql[4096];
	int rc = BZ_OK;
	for (size_t c = 0; rc == BZ_OK && c < sizeof cmps / sizeof cmps[0]; c++) {
		const cmp *k = &cmps[c];
		for (size_t i = 0; rc == BZ_OK && i < 10 && k->f[i].field; i++) {
			const cmp_field *f = &k->f[i];
			snprintf(sql, sizeof sql,
				 "SELECT x.line, '%s', %s, '%s', CAST(%s AS TEXT), CAST(%s AS TEXT) FROM temp.x_%s x JOIN %s l ON %s"
				 " WHERE x.state>0 AND (%s) IS NOT (%s)%s%s%s%s%s ORDER BY x.n",
				 k->kind, k->ident, f->field, f->ours, f->theirs, k->kind, k->local, k->join, f->ours, f->theirs,
				 f->loose ? " AND (" : "", f->loose ? f->ours : "", f->loose ? ") IS NOT NULL AND (" : "",
				 f->loose ? f->theirs : "", f->loose ? ") IS NOT NULL" : "");
			rc = conflicts_from(l, x, sql, self);
		}
	}
	for (size_t i = 0; rc == BZ_OK && i < sizeof conflict_sql / sizeof conflict_sql[0]; i++)
		rc = conflicts_from(l, x, conflict_sql[i], self);
	return rc;
}

/* which change records and transactions the ledger has, and which are the ledger's own registrations */
static const char *const classify_sql[] = {
	"UPDATE temp.x_change SET local=COALESCE((SELECT event FROM event_origin o WHERE o.ledger=x_change.id_ledger"
	" AND o.seq=x_change.id_seq), CASE WHEN x_change.id_ledger=?1 THEN (SELECT e.id FROM event e WHERE e.id=x_change.id_seq"
	" AND NOT EXISTS (SELECT 1 FROM event_origin o WHERE o.event=e.id)) END)",
	"UPDATE temp.x_change SET state=1 WHERE local IS NOT NULL",
	/* the registration of a record the ledger has already (mapped or not) is the ledger's own registration */
	"UPDATE temp.x_change SET state=2 WHERE state=0 AND ("
	" (kind='jurisdiction.create' AND EXISTS (SELECT 1 FROM temp.x_jurisdiction j WHERE j.id=x_change.subject AND j.state>0))"
	" OR (kind='document.register' AND EXISTS (SELECT 1 FROM temp.x_document j WHERE j.id=x_change.subject AND j.state>0))"
	" OR (kind='person.register' AND EXISTS (SELECT 1 FROM temp.x_person j WHERE j.id=x_change.subject AND j.state>0))"
	" OR (kind='slip.issue' AND EXISTS (SELECT 1 FROM temp.x_slip j WHERE j.id=x_change.subject AND j.state>0))"
	" OR (kind='category.add' AND EXISTS (SELECT 1 FROM temp.x_category j WHERE j.code=x_change.subject AND j.state>0))"
	" OR (kind='archive.category' AND EXISTS (SELECT 1 FROM archive_category a WHERE a.code=x_change.subject"
	"  AND a.name=x_change.note))"
	" OR (kind='credit_code.exception' AND EXISTS (SELECT 1 FROM temp.x_credit_code_exception j"
	"  WHERE j.code=x_change.subject AND j.state>0))"
	" OR (kind='office.register' AND EXISTS (SELECT 1 FROM temp.x_office j WHERE j.id=x_change.subject AND j.state>0)))",
	"UPDATE temp.x_txn SET local=COALESCE((SELECT txn FROM txn_origin o WHERE o.ledger=x_txn.id_ledger AND o.id=x_txn.id_seq),"
	" CASE WHEN x_txn.id_ledger=?1 THEN (SELECT t.id FROM txn_log t WHERE t.id=x_txn.id_seq"
	" AND NOT EXISTS (SELECT 1 FROM txn_origin o WHERE o.txn=t.id)) END)",
	"UPDATE temp.x_txn SET state=1 WHERE local IS NOT NULL",
};

static int classify(bz_ledger *l, const char *self)
{
	char sql[256];
	int rc = run_sql(l, map_sql, sizeof map_sql / sizeof map_sql[0], self, NULL);
	for (size_t i = 0; rc == BZ_OK && i < sizeof state_tables / sizeof state_tables[0]; i++) {
		/* state 2 only where the key is a UUID that differs */
		snprintf(sql, sizeof sql,
			 "UPDATE temp.x_%s SET state=CASE WHEN dst IS NULL THEN 0 WHEN %s THEN 2 ELSE 1 END",
			 state_tables[i], i < 5 ? "dst<>id" : "1=0");
		rc = bz_exec(l, sql);
	}
	/* a new record is itself: its row goes in under its own UUID */
	for (size_t i = 0; rc == BZ_OK && i < 10; i++) {
		snprintf(sql, sizeof sql, "UPDATE temp.x_%s SET dst=id WHERE dst IS NULL", state_tables[i]);
		rc = bz_exec(l, sql);
	}
	static const char *const map_fill[] = {
		"INSERT OR IGNORE INTO temp.x_map SELECT id, dst FROM temp.x_jurisdiction WHERE state=2",
		"INSERT OR IGNORE INTO temp.x_map SELECT id, dst FROM temp.x_document WHERE state=2",
		"INSERT OR IGNORE INTO temp.x_map SELECT id, dst FROM temp.x_person WHERE state=2",
		"INSERT OR IGNORE INTO temp.x_map SELECT id, dst FROM temp.x_slip WHERE state=2",
		"INSERT OR IGNORE INTO temp.x_map SELECT id, dst FROM temp.x_office WHERE state=2",
	};
	if (rc == BZ_OK)
		rc = run_sql(l, map_fill, sizeof map_fill / sizeof map_fill[0], self, NULL);
	if (rc == BZ_OK)
		rc = run_sql(l, classify_sql, sizeof classify_sql / sizeof classify_sql[0], self, NULL);
	return rc;
}

/* *n = the one integer sql yields; a failure (out of memory in the middle
 * of the count) is the import's failure, never a count of 0 */
static int count_of(bz_ledger *l, const char *sql, int64_t *n)
{
	bz_st *st = NULL;
	if (bz_store_prepare(l->store, &st, sql) != SQLITE_OK) {
		bz_st_finalize(st);
		return bz_sqlfail_last(l);
	}
	int rc = bz_step(st);
	if (rc == SQLITE_ROW)
		*n = bz_st_column_int64(st, 0);
	else
		rc = bz_sqlfail(l, rc);
	bz_st_finalize(st);
	return rc == SQLITE_ROW ? BZ_OK : rc;
}

/* transactions and change records, new ones in the file's order: the ledger's next numbers */
static int write_changes(bz_ledger *l, bz_exchange *x)
{
	static const char txns[] =
		"SELECT t.n, t.id_ledger, t.id_seq, t.recorded_at, t.recorded_by, t.office, " M("t.opening_document")
		", t.opening_cutover, t.uuid FROM temp.x_txn t WHERE t.state=0 AND EXISTS (SELECT 1 FROM temp.x_change c"
		" WHERE c.state=0 AND c.txn_ledger=t.id_ledger AND c.txn_seq=t.id_seq) ORDER BY t.n";
	static const char events[] =
		"SELECT c.n, c.id_ledger, c.id_seq, t.local, c.kind, " M("c.subject") ", " M("c.unit") ", c.effective, "
		M("c.document") ", c.note FROM temp.x_change c JOIN temp.x_txn t ON t.id_ledger=c.txn_ledger AND t.id_seq=c.txn_seq"
		" WHERE c.state=0 ORDER BY t.n, c.n";
	bz_st *sel = NULL, *a = NULL, *b = NULL, *c = NULL, *d = NULL, *u = NULL;
	int code = BZ_OK;
	if (bz_store_prepare(l->store, &sel, txns) != SQLITE_OK ||
	    bz_store_prepare(l->store, &a, "INSERT INTO txn_log(recorded_at, recorded_by, office) VALUES(?1,?2,?3)") !=
		    SQLITE_OK ||
	    bz_store_prepare(l->store, &b, "INSERT INTO txn_origin(txn, ledger, id) VALUES(?1,?2,?3)") != SQLITE_OK ||
	    bz_store_prepare(l->store, &c, "INSERT INTO opening(txn, document, cutover) VALUES(?1,?2,?3)") != SQLITE_OK ||
	    bz_store_prepare(l->store, &d, "UPDATE temp.x_txn SET local=?2 WHERE n=?1") != SQLITE_OK ||
	    bz_store_prepare(l->store, &u, "INSERT INTO txn_id(txn, uuid) VALUES(?1,?2)") != SQLITE_OK) {
		code = bz_sqlfail_last(l);
		goto done;
	}
	int rc;
	while (code == BZ_OK && (rc = bz_step(sel)) == SQLITE_ROW) {
		for (int i = 0; i < 3; i++)
			bz_bind_column(a, i + 1, sel, 3 + i);
		if (bz_step(a) != SQLITE_DONE) {
			code = bz_sqlfail_last(l);
			break;
		}
		bz_st_reset(a);
		sqlite3_int64 id = bz_store_last_id(l->store);
		bz_st_bind_int64(b, 1, id);
		bz_bind_column(b, 2, sel, 1);
		bz_bind_column(b, 3, sel, 2);
		bool ok = bz_step(b) == SQLITE_DONE;
		bz_st_reset(b);
		if (ok && bz_st_column_type(sel, 6) != SQLITE_NULL) {
			bz_st_bind_int64(c, 1, id);
			bz_bind_column(c, 2, sel, 6);
			bz_bind_column(c, 3, sel, 7);
			ok = bz_step(c) == SQLITE_DONE;
			bz_st_reset(c);
		}
		/* the transaction keeps its identity (bz_txn_committed() answers for it here too) */
		if (ok && bz_st_column_type(sel, 8) != SQLITE_NULL) {
			bz_st_bind_int64(u, 1, id);
			bz_bind_column(u, 2, sel, 8);
			ok = bz_step(u) == SQLITE_DONE;
			bz_st_reset(u);
		}
		if (ok) {
			bz_st_bind_int64(d, 1, bz_st_column_int64(sel, 0));
			bz_st_bind_int64(d, 2, id);
			ok = bz_step(d) == SQLITE_DONE;
			bz_st_reset(d);
		}
		if (!ok)
			code = bz_sqlfail_last(l);
		x->added++;
	}
	if (code == BZ_OK && rc != SQLITE_DONE)
		code = bz_sqlfail(l, rc);
	bz_st_finalize(sel);
	bz_st_finalize(a);
	bz_st_finalize(b);
	bz_st_finalize(c);
	bz_st_finalize(d);
	bz_st_finalize(u);
	sel = a = b = c = d = u = NULL;
	if (code != BZ_OK)
		return code;

	if (bz_store_prepare(l->store, &sel, events) != SQLITE_OK ||
	    bz_store_prepare(l->store, &a, "INSERT INTO event(txn, kind, subject, unit, effective, doc, note) VALUES(?1,?2,?3,?4,?5,?6,?7)") != SQLITE_OK ||
	    bz_store_prepare(l->store, &b, "INSERT INTO event_origin(event, ledger, seq) VALUES(?1,?2,?3)") != SQLITE_OK ||
	    bz_store_prepare(l->store, &d, "UPDATE temp.x_change SET local=?2 WHERE n=?1") != SQLITE_OK) {
		code = bz_sqlfail_last(l);
		goto done;
	}
	while (code == BZ_OK && (rc = bz_step(sel)) == SQLITE_ROW) {
		for (int i = 0; i < 7; i++)
			bz_bind_column(a, i + 1, sel, 3 + i);
		bool ok = bz_step(a) == SQLITE_DONE;
		bz_st_reset(a);
		sqlite3_int64 id = bz_store_last_id(l->store);
		if (ok) {
			bz_st_bind_int64(b, 1, id);
			bz_bind_column(b, 2, sel, 1);
			bz_bind_column(b, 3, sel, 2);
			ok = bz_step(b) == SQLITE_DONE;
			bz_st_reset(b);
		}
		if (ok) {
			bz_st_bind_int64(d, 1, bz_st_column_int64(sel, 0));
			bz_st_bind_int64(d, 2, id);
			ok = bz_step(d) == SQLITE_DONE;
			bz_st_reset(d);
		}
		if (!ok)
			code = bz_sqlfail_last(l);
		x->added++;
		x->changes_added++;
	}
	if (code == BZ_OK && rc != SQLITE_DONE)
		code = bz_sqlfail(l, rc);
done:
	bz_st_finalize(sel);
	bz_st_finalize(a);
	bz_st_finalize(b);
	bz_st_finalize(c);
	bz_st_finalize(d);
	bz_st_finalize(u);
	return code;
}

/*
 * The card held once (schema 12): a new card takes as its event (card.event)
 * the new entry record of the file whose fact `card` it is — that fact
 * exactly (the card's person, its issue date, no before, its number), the
 * record's last fact, on an entry whose placement is the card's person's —
 * and that fact is not written (FACT_IN_CARD): the record's readers give it
 * back from the card, in the same place (internal.h), so an old file and a
 * new one import alike and export as they came. Anything else (a card the
 * ledger has, a fact elsewhere in its record) keeps its fact, as a card
 * issued before schema 12 does.
 */
#define CARD_EVENT                                                                                                   \
	"(SELECT x.local FROM temp.x_fact f JOIN temp.x_change x ON x.n=f.change_n AND x.state=0"                    \
	" AND x.kind IN ('placement.enter','placement.transfer_in')"                                                  \
	" WHERE f.subject=c.person AND f.attr='card' AND f.effective=c.issued AND f.before IS NULL AND f.after=c.number" \
	" AND NOT EXISTS (SELECT 1 FROM temp.x_fact g WHERE g.n=f.n+1 AND g.change_n=f.change_n)"                    \
	" AND EXISTS (SELECT 1 FROM temp.x_placement p WHERE p.id=x.subject AND p.person=c.person)"                    \
	" ORDER BY f.n LIMIT 1)"
#define FACT_IN_CARD "(f.attr='card' AND EXISTS (SELECT 1 FROM card c WHERE c.number=f.after AND c.event=x.local))"

/* the local number of a change record the file names by its identity */
#define EVLOCAL(lg, sq) "(SELECT local FROM temp.x_change c WHERE c.id_ledger=" lg " AND c.id_seq=" sq ")"

/* the facts are part of their change records: not counted apart */
static const char *const facts_sql[] = {
	"INSERT INTO fact(event, subject, attr, effective, before, after) SELECT x.local, " M("f.subject") ", f.attr, f.effective, "
	M("f.before") ", " M("f.after") " FROM temp.x_fact f JOIN temp.x_change x ON x.n=f.change_n WHERE x.state=0"
	" AND NOT " FACT_IN_CARD " ORDER BY f.n",
	/* every name a unit bore, for the look-up by name (derived) */
	"INSERT OR IGNORE INTO unit_name(name, unit) SELECT f.after, f.subject FROM fact f JOIN temp.x_change x ON x.local=f.event"
	" AND x.state=0 JOIN unit u ON u.id=f.subject WHERE f.attr='name' AND f.after IS NOT NULL",
	/* the code in force of a unit the ledger has, when a new change record of the file gave it (UNIT_CODE) */
	"UPDATE unit SET credit_code=(SELECT x.credit_code FROM temp.x_unit x WHERE x.dst=unit.id) WHERE id IN (SELECT x.dst"
	" FROM temp.x_unit x WHERE x.state>0 AND x.credit_code IS NOT NULL AND " NEW_CODE_FACT("x.id", "x.credit_code") ")",
	/* the archive (archive.h) as its new change records say: the categories they add, and where each document they
	 * file is filed now — its last filing (the stored files follow with bz_files_copy) */
	"INSERT INTO archive_category(code, name) SELECT e.subject, e.note FROM event e JOIN temp.x_change x ON x.local=e.id"
	" AND x.state=0 WHERE e.kind='archive.category' AND NOT EXISTS (SELECT 1 FROM archive_category a WHERE a.code=e.subject)"
	" ORDER BY e.id",
	"INSERT INTO document_tag(document, category, year) SELECT e.subject, c.after, CAST(y.after AS INTEGER) FROM event e"
	" JOIN temp.x_change x ON x.local=e.id AND x.state=0 JOIN fact c ON c.event=e.id AND c.attr='archive:category'"
	" JOIN fact y ON y.event=e.id AND y.attr='archive:year' WHERE e.kind='document.file_under'"
	" AND NOT EXISTS (SELECT 1 FROM event g WHERE g.kind='document.file_under' AND g.subject=e.subject AND g.id>e.id)"
	" ON CONFLICT(document) DO UPDATE SET category=excluded.category, year=excluded.year",
	/* the identity of a transaction the ledger has but without one (imported from a file of version 2 or older) */
	"INSERT INTO txn_id(txn, uuid) SELECT local, uuid FROM temp.x_txn x WHERE state=1 AND uuid IS NOT NULL"
	" AND NOT EXISTS (SELECT 1 FROM txn_id i WHERE i.txn=x.local) ORDER BY n",
};

static const char *const write_sql[] = {
	"INSERT INTO category(code, name, branch, natures) SELECT code, name, branch, natures FROM temp.x_category WHERE state=0",
	"INSERT INTO credit_code_exception(code, note) SELECT code, note FROM temp.x_credit_code_exception WHERE state=0",
	"INSERT INTO leadership_norm(kind, rank, principal, deputy) SELECT kind, rank, principal, deputy FROM temp.x_leadership_norm"
	" WHERE state=0",
	"INSERT INTO authority_rule(action, natures, min_rank, max_level) SELECT action, natures, min_rank, max_level"
	" FROM temp.x_authority_rule WHERE state=0",
	"INSERT INTO jurisdiction(id, code, name, parent, level) SELECT id, code, name, " M("parent") ", level"
	" FROM temp.x_jurisdiction WHERE state=0 ORDER BY n",
	"INSERT INTO document(id, issuer, number, abbr, year, seq, title, date, level, kind, jurisdiction, event)"
	" SELECT id, issuer, number, abbr, year, seq, title, date, level, kind, jurisdiction, " EVLOCAL("x.event_ledger", "x.event_seq")
	" FROM temp.x_document x WHERE state=0 ORDER BY n",
	"INSERT INTO unit(id, jurisdiction, credit_code, founded) SELECT id, " M("jurisdiction") ", credit_code, founded"
	" FROM temp.x_unit WHERE state=0 ORDER BY n",
	"INSERT INTO subunit(id, unit, founded) SELECT id, unit, founded FROM temp.x_subunit WHERE state=0 ORDER BY n",
	/* a new person's row names the file's record of its registration, written just before (schema 13) */
	"INSERT INTO person(id, id_number, name, sex, birth, event) SELECT p.id, p.id_number, p.name, p.sex, p.birth,"
	" (SELECT min(x.local) FROM temp.x_change x WHERE x.subject=p.id AND x.kind='person.register' AND x.state=0)"
	" FROM temp.x_person p WHERE p.state=0 ORDER BY p.n",
	"INSERT INTO card(number, person, issued, prefix, event) SELECT c.number, " M("c.person") ", c.issued, c.prefix, "
	CARD_EVENT " FROM temp.x_card c WHERE c.state=0 ORDER BY c.n",
	"INSERT INTO slip(id, number, unit, category, posts, purpose, issued, valid_until) SELECT id, number, unit, category,"
	" posts, purpose, issued, valid_until FROM temp.x_slip WHERE state=0 ORDER BY n",
	"INSERT INTO slip_end(slip, date) SELECT dst, ended FROM temp.x_slip WHERE ended IS NOT NULL"
	" AND NOT EXISTS (SELECT 1 FROM slip_end e WHERE e.slip=x_slip.dst) ORDER BY n",
	"INSERT INTO placement(id, person, unit, category, slip, entry_kind, entry, event) SELECT id, " M("person") ", unit, category, "
	M("slip") ", entry_kind, entry, " EVLOCAL("x.event_ledger", "x.event_seq") " FROM temp.x_placement x WHERE state=0 ORDER BY n",
	"INSERT INTO placement_exit(placement, date, reason, event) SELECT dst, exit_date, exit_reason, "
	EVLOCAL("x.exit_event_ledger", "x.exit_event_seq") " FROM temp.x_placement x WHERE exit_date IS NOT NULL"
	" AND NOT EXISTS (SELECT 1 FROM placement_exit e WHERE e.placement=x.dst) ORDER BY n",
	"INSERT INTO unitcert(id, number, unit, issued, valid_until, renews, event) SELECT id, number, unit, issued, valid_until,"
	" renews, " EVLOCAL("x.event_ledger", "x.event_seq") " FROM temp.x_unitcert x WHERE state=0 ORDER BY n",
	"INSERT INTO unitcert_end(cert, date, kind, event) SELECT dst, end_date, end_kind, "
	EVLOCAL("x.end_event_ledger", "x.end_event_seq") " FROM temp.x_unitcert x WHERE end_date IS NOT NULL"
	" AND NOT EXISTS (SELECT 1 FROM unitcert_end e WHERE e.cert=x.dst) ORDER BY n",
	"INSERT INTO office(id, name, jurisdiction, kind, registered, event) SELECT id, name, " M("jurisdiction") ", kind,"
	" registered, " EVLOCAL("x.event_ledger", "x.event_seq") " FROM temp.x_office x WHERE state=0 ORDER BY n",
	"INSERT INTO appointment(id, person, subject, post, start) SELECT id, " M("person") ", subject, post, start"
	" FROM temp.x_appointment WHERE state=0 ORDER BY n",
	"INSERT INTO appointment_end(appointment, date) SELECT dst, ended FROM temp.x_appointment WHERE ended IS NOT NULL"
	" AND NOT EXISTS (SELECT 1 FROM appointment_end e WHERE e.appointment=x_appointment.dst) ORDER BY n",
};

/*
 * The counters of every unit of every jurisdiction the file's units are in,
 * and of those jurisdictions, recomputed from the records as step functions
 * (counters.h): the scope, whole jurisdictions, into counters.c's tables.
 */
static const char *const scope_sql[] = {
	"INSERT OR IGNORE INTO temp.bz_cjur SELECT DISTINCT u.jurisdiction FROM unit u WHERE u.id IN (SELECT id FROM temp.x_unit"
	" UNION SELECT unit FROM temp.x_placement UNION SELECT unit FROM temp.x_slip UNION SELECT unit FROM temp.x_subunit)",
	"INSERT INTO temp.bz_cunit SELECT id FROM unit WHERE jurisdiction IN (SELECT id FROM temp.bz_cjur)",
};

static int rebuild_counters(bz_ledger *l, const char *self)
{
	int rc = bz_counters_scope(l, false);
	if (rc == BZ_OK)
		rc = run_sql(l, scope_sql, sizeof scope_sql / sizeof scope_sql[0], self, NULL);
	if (rc == BZ_OK)
		rc = bz_counters_recompute(l, false, NULL);
	if (rc == BZ_OK)
		rc = bz_counters_rebuild(l);
	bz_counters_drop(l);
	return rc;
}

/* the id the next change record will get (events are append-only, one writer) */
static int chain_first(bz_ledger *l, long long *out)
{
	static const char sql[] = "SELECT COALESCE(max(id), 0) + 1 FROM event";
	bz_st *st = bz_stmt(l, sql);
	if (!st)
		return bz_stmt_err();
	int rc = bz_step(st);
	*out = rc == SQLITE_ROW ? bz_st_column_int64(st, 0) : 1;
	bz_st_reset(st);
	return rc == SQLITE_ROW ? BZ_OK : bz_sqlfail(l, rc);
}

/* references the records make that neither the file nor the ledger can satisfy */
static int dangling_one(void *ctx, const char *table, const char *row, const char *parent)
{
	bz_exchange *x = ctx;
	if (x->n >= 100)
		return 1;
	return conflict_add(x, 0, table, row, "reference", NULL, parent) ? 0 : -1;
}

static int dangling(bz_ledger *l, bz_exchange *x)
{
	/* SQLite lists every violation; PostgreSQL checks its deferred keys now and names the first */
	int rc = bz_store_fk_check(l->store, dangling_one, x);
	if (rc == SQLITE_NOMEM)
		return bz_fail(l, BZ_ENOMEM, "out of memory");
	return rc == SQLITE_OK ? BZ_OK : bz_sqlfail(l, rc);
}

static int import_body(bz_ledger *l, bz_exchange *x, const char *self, unsigned flags)
{
	/* the file's change records and facts are looked up by their identity and their subject, record by
	 * record (the conflicts, the writing): indexed once read, so that an import stays linear in the file */
	/* the index's name unqualified: SQLite puts it beside its temp table, PostgreSQL refuses a schema there */
	int rc = bz_exec(l, "CREATE INDEX x_change_id ON x_change(id_ledger, id_seq);"
			    "CREATE INDEX x_fact_subject ON x_fact(subject, attr);"
			    /* a new card's entry record (CARD_EVENT) is one whose placement is the card's person's */
			    "CREATE INDEX x_placement_id ON x_placement(id);"
			    /* a new person's registration record (write_sql) */
			    "CREATE INDEX x_change_register ON x_change(subject) WHERE kind='person.register'");
	if (rc == BZ_OK)
		rc = classify(l, self);
	if (rc == BZ_OK)
		rc = find_conflicts(l, x, self);
	if (rc != BZ_OK)
		return rc;
	if (x->n)
		return bz_fail(l, BZ_EINVAL, "%zu conflict(s) between the file and the ledger: nothing imported", x->n);
	rc = count_of(l, "SELECT (SELECT count(*) FROM temp.x_change WHERE state=1)"
			      " + (SELECT count(*) FROM temp.x_txn WHERE state=1)"
			      " + (SELECT count(*) FROM temp.x_jurisdiction WHERE state=1) + (SELECT count(*) FROM temp.x_document WHERE state=1)"
			      " + (SELECT count(*) FROM temp.x_person WHERE state=1) + (SELECT count(*) FROM temp.x_slip WHERE state=1)"
			      " + (SELECT count(*) FROM temp.x_unit WHERE state=1) + (SELECT count(*) FROM temp.x_subunit WHERE state=1)"
			      " + (SELECT count(*) FROM temp.x_placement WHERE state=1) + (SELECT count(*) FROM temp.x_appointment WHERE state=1)"
			      " + (SELECT count(*) FROM temp.x_unitcert WHERE state=1) + (SELECT count(*) FROM temp.x_office WHERE state=1)"
			      " + (SELECT count(*) FROM temp.x_card WHERE state=1) + (SELECT count(*) FROM temp.x_category WHERE state=1)"
			      " + (SELECT count(*) FROM temp.x_credit_code_exception WHERE state=1)"
			      " + (SELECT count(*) FROM temp.x_leadership_norm WHERE state=1)"
			      " + (SELECT count(*) FROM temp.x_authority_rule WHERE state=1)",
		      &x->present);
	if (rc == BZ_OK)
		rc = count_of(l, "SELECT (SELECT count(*) FROM temp.x_change WHERE state=2)"
			     " + (SELECT count(*) FROM temp.x_jurisdiction WHERE state=2) + (SELECT count(*) FROM temp.x_document WHERE state=2)"
			     " + (SELECT count(*) FROM temp.x_person WHERE state=2) + (SELECT count(*) FROM temp.x_slip WHERE state=2)"
			     " + (SELECT count(*) FROM temp.x_office WHERE state=2)",
			     &x->mapped);
	if (rc != BZ_OK)
		return rc;
	/* references are checked at the end, after every row is in */
	if ((rc = bz_store_defer_fks(l->store)) != SQLITE_OK)
		return bz_sqlfail(l, rc);
	if ((rc = write_changes(l, x)) != BZ_OK)
		return rc;
	/* the units first: the unit names' table refers to them */
	if ((rc = run_sql(l, write_sql, sizeof write_sql / sizeof write_sql[0], self, &x->added)) != BZ_OK ||
	    (rc = run_sql(l, facts_sql, sizeof facts_sql / sizeof facts_sql[0], self, NULL)) != BZ_OK)
		return rc;
	if ((rc = dangling(l, x)) != BZ_OK)
		return rc;
	if (x->n)
		return bz_fail(l, BZ_EINVAL, "the file's records refer to %zu record(s) neither it nor the ledger has: nothing imported",
			       x->n);
	if (x->added > 0)
		rc = rebuild_counters(l, self);
	(void)flags;
	return rc;
}

BZ_EXTERN int bz_ledger_import(bz_exchange **out, bz_ledger *ledger, const char *path, unsigned flags)
{
	if (out)
		*out = NULL;
	if (!ledger)
		return BZ_EINVAL;
	if (!path || !*path || !bz_utf8_valid(path))
		return bz_fail(ledger, BZ_EINVAL, "an import needs the name of an exchange file (non-empty UTF-8)");
	if (flags & ~(unsigned)(BZ_IMPORT_NO_CHECK | BZ_IMPORT_DRY_RUN))
		return bz_fail(ledger, BZ_EINVAL, "unknown import flag 0x%x", flags);
	if (ledger->txn)
		return bz_fail(ledger, BZ_EMISUSE, "a transaction is open on this handle: commit or roll it back before an import");
	if (ledger->readonly)
		return bz_fail(ledger, BZ_EIO, "the ledger was opened read-only");
	char self[BZ_UUID_LEN + 1];
	int rc = bz_ledger_self(ledger, self);
	if (rc != BZ_OK)
		return rc;
	FILE *f = fopen(path, "r");
	if (!f)
		return bz_fail(ledger, BZ_EIO, "%s: %s", path, strerror(errno));
	bz_exchange *x = exchange_new();
	if (!x) {
		fclose(f);
		return bz_fail(ledger, BZ_ENOMEM, "out of memory");
	}
	reader r = {.l = ledger, .path = path};
	/* the write lock first: the staging reads the file, the mapping reads the ledger as it will be written */
	if ((rc = bz_exec(ledger, "BEGIN IMMEDIATE")) != BZ_OK) {
		fclose(f);
		bz_exchange_free(x);
		return rc;
	}
	/* the first id its records will get: they are chained (verify.h) before the commit */
	long long first = 1;
	rc = chain_first(ledger, &first);
	if (rc == BZ_OK)
		rc = stage_prepare(&r);
	if (rc == BZ_OK)
		rc = stage_file(&r, f, x);
	stage_finish(&r);
	fclose(f);
	if (rc == BZ_OK)
		rc = import_body(ledger, x, self, flags);
	bool keep_outcome = rc == BZ_OK || x->n > 0;
	if (rc == BZ_OK && !(flags & BZ_IMPORT_DRY_RUN))
		rc = bz_chain_extend(ledger, first);
	if (rc == BZ_OK && !(flags & BZ_IMPORT_DRY_RUN))
		rc = bz_exec(ledger, "COMMIT");
	if (rc != BZ_OK || (flags & BZ_IMPORT_DRY_RUN)) {
		bz_undo(ledger, BZ_KEPT_ROLLBACK); /* the message kept */
	}
	stage_drop(ledger);
	/* the import is committed: a check that cannot run (out of memory) is no
	 * failure of the import — its counts stay -1, as with BZ_IMPORT_NO_CHECK */
	if (rc == BZ_OK && !(flags & (BZ_IMPORT_NO_CHECK | BZ_IMPORT_DRY_RUN))) {
		bz_report *rep = NULL;
		if (bz_ledger_check(&rep, ledger, NULL) == BZ_OK) {
			x->check_errors = (int64_t)bz_report_errors(rep);
			x->check_warnings = (int64_t)bz_report_warnings(rep);
		}
		bz_report_free(rep);
	}
	if (!keep_outcome || (rc != BZ_OK && x->n == 0)) {
		bz_exchange_free(x);
		return rc;
	}
	if (out)
		*out = x;
	else
		bz_exchange_free(x);
	return rc == BZ_OK ? bz_ok(ledger) : rc;
}
