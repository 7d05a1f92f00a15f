/*
 * txn.c: transactions, savepoints per change, the change records they write
 * (events and facts), and the violation reports.
 */
#include "rules.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- reports --------------------------------------------------------- */

static void violation_clear(struct bz_violation *v)
{
	bz__free(v->subject);
	bz__free(v->subject_name);
	bz__free(v->category);
	bz__free(v->document);
	bz__free(v->document_number);
	bz__free(v->date);
	bz__free(v->message);
	bz__free(v->excepted);
	bz__free(v->office);
}

void bz_report_clear(bz_report *r)
{
	for (size_t i = 0; i < r->n; i++)
		violation_clear(&r->v[i]);
	bz__free(r->v);
	memset(r, 0, sizeof *r);
}

bz_report *bz_report_new(void)
{
	return bz__calloc(1, sizeof(bz_report));
}

BZ_EXTERN void bz_report_free(bz_report *report)
{
	if (!report)
		return;
	bz_report_clear(report);
	bz__free(report);
}

static int report_vadd(bz_report *r, int rule, int severity, const char *subject,
		       const char *subject_name, const char *category, int64_t allowed,
		       int64_t actual, const char *document, const char *document_number,
		       const char *date, const char *fmt, va_list ap)
{
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 8;
		struct bz_violation *nv = bz__realloc(r->v, cap * sizeof *nv);
		if (!nv)
			return BZ_ENOMEM;
		r->v = nv;
		r->cap = cap;
	}
	struct bz_violation *v = &r->v[r->n];
	memset(v, 0, sizeof *v);
	v->rule = rule;
	v->severity = severity;
	v->allowed = allowed;
	v->actual = actual;
	v->subject = bz_strdup(subject);
	v->subject_name = bz_strdup(subject_name);
	v->category = bz_strdup(category);
	v->document = bz_strdup(document);
	v->document_number = bz_strdup(document_number);
	v->date = bz_strdup(date);
	char buf[1024];
	vsnprintf(buf, sizeof buf, fmt, ap);
	v->message = bz_strdup(buf);
	if ((subject && !v->subject) || (subject_name && !v->subject_name) ||
	    (category && !v->category) || (document && !v->document) ||
	    (document_number && !v->document_number) || (date && !v->date) || !v->message) {
		violation_clear(v);
		return BZ_ENOMEM;
	}
	r->n++;
	if (severity == BZ_SEVERITY_ERROR)
		r->errors++;
	else
		r->warnings++;
	return BZ_OK;
}

int bz_report_add(bz_report *r, int rule, int severity, const char *subject,
		  const char *subject_name, const char *category, int64_t allowed,
		  int64_t actual, const char *document, const char *document_number,
		  const char *date, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = report_vadd(r, rule, severity, subject, subject_name, category, allowed,
			     actual, document, document_number, date, fmt, ap);
	va_end(ap);
	return rc;
}

int bz_report_set_excepted(bz_report *r, const char *doc)
{
	if (!r->n)
		return BZ_OK;
	struct bz_violation *v = &r->v[r->n - 1];
	bz__free(v->excepted);
	v->excepted = bz_strdup(doc);
	return v->excepted || !doc ? BZ_OK : BZ_ENOMEM;
}

int bz_report_set_office(bz_report *r, const char *office)
{
	if (!r->n)
		return BZ_OK;
	struct bz_violation *v = &r->v[r->n - 1];
	bz__free(v->office);
	v->office = bz_strdup(office);
	return v->office || !office ? BZ_OK : BZ_ENOMEM;
}

BZ_EXTERN size_t bz_report_count(const bz_report *report) { return report ? report->n : 0; }
BZ_EXTERN size_t bz_report_errors(const bz_report *report) { return report ? report->errors : 0; }
BZ_EXTERN size_t bz_report_warnings(const bz_report *report) { return report ? report->warnings : 0; }

BZ_EXTERN const bz_violation *bz_report_get(const bz_report *report, size_t index)
{
	if (!report || index >= report->n)
		return NULL;
	return &report->v[index];
}

BZ_EXTERN int bz_violation_rule(const bz_violation *v) { return v ? v->rule : 0; }
BZ_EXTERN int bz_violation_severity(const bz_violation *v) { return v ? v->severity : 0; }
BZ_EXTERN const char *bz_violation_subject(const bz_violation *v) { return v ? v->subject : NULL; }
BZ_EXTERN const char *bz_violation_subject_name(const bz_violation *v) { return v ? v->subject_name : NULL; }
BZ_EXTERN const char *bz_violation_category(const bz_violation *v) { return v ? v->category : NULL; }
BZ_EXTERN int64_t bz_violation_allowed(const bz_violation *v) { return v ? v->allowed : -1; }
BZ_EXTERN int64_t bz_violation_actual(const bz_violation *v) { return v ? v->actual : -1; }
BZ_EXTERN const char *bz_violation_document(const bz_violation *v) { return v ? v->document : NULL; }
BZ_EXTERN const char *bz_violation_document_number(const bz_violation *v) { return v ? v->document_number : NULL; }
BZ_EXTERN const char *bz_violation_date(const bz_violation *v) { return v ? v->date : NULL; }
BZ_EXTERN const char *bz_violation_message(const bz_violation *v) { return v && v->message ? v->message : ""; }

BZ_EXTERN const char *bz_violation_excepted_by(const bz_violation *v) { return v ? v->excepted : NULL; }

BZ_EXTERN const char *bz_violation_office(const bz_violation *v) { return v ? v->office : NULL; }

BZ_EXTERN const char *bz_violation_rule_id(const bz_violation *v)
{
	const char *code = v ? bz_rule_code(v->rule) : NULL;
	return code ? code : "";
}

/* ---- transactions ---------------------------------------------------- */

static void txn_detach(bz_child *c)
{
	bz_txn *t = (bz_txn *)c;
	/* the ledger closes: its connection rolls back whatever is open */
	t->open = false;
	t->l = NULL;
}

/* ---- what a transaction reads once (internal.h) ------------------------------------ */

void bz_txn_cache_clear(bz_txn *t)
{
	for (size_t i = 0; i < t->ncats; i++)
		bz__free(t->cats[i].name);
	bz__free(t->cats);
	t->cats = NULL;
	t->ncats = t->capcats = 0;
	bz__free(t->units);
	t->units = NULL;
	t->nunits = t->unit_cap = 0;
	bz__free(t->reg_name);
	t->reg_name = NULL;
	t->reg_person[0] = '\0';
}

/* the transaction open on l that may keep what it read, or NULL */
static bz_txn *cache_txn(bz_ledger *l)
{
	return l && l->txn && l->txn->open && l->txn->l == l ? l->txn : NULL;
}

const bz_catinfo *bz_txn_cat_get(bz_ledger *l, const char *code)
{
	bz_txn *t = cache_txn(l);
	if (!t || !code)
		return NULL;
	for (size_t i = 0; i < t->ncats; i++)
		if (strcmp(t->cats[i].code, code) == 0)
			return &t->cats[i];
	return NULL;
}

void bz_txn_cat_put(bz_ledger *l, const char *code, int branch, int natures, const char *name)
{
	bz_txn *t = cache_txn(l);
	if (!t || !code || strlen(code) >= sizeof t->cats[0].code || bz_txn_cat_get(l, code))
		return;
	if (t->ncats == t->capcats) {
		size_t cap = t->capcats ? 2 * t->capcats : 16;
		bz_catinfo *nc = bz__realloc(t->cats, cap * sizeof *nc);
		if (!nc)
			return;
		t->cats = nc;
		t->capcats = cap;
	}
	bz_catinfo *c = &t->cats[t->ncats];
	char *copy = name ? bz_strdup(name) : NULL;
	if (name && !copy)
		return;
	snprintf(c->code, sizeof c->code, "%s", code);
	c->branch = branch;
	c->natures = natures;
	c->name = copy;
	t->ncats++;
}

static size_t unit_slot(const bz_txn *t, const char *unit)
{
	uint64_t h = 1469598103934665603u; /* FNV-1a */
	for (const unsigned char *p = (const unsigned char *)unit; *p; p++)
		h = (h ^ *p) * 1099511628211u;
	size_t i = (size_t)h & (t->unit_cap - 1);
	while (t->units[i].unit[0] && strcmp(t->units[i].unit, unit) != 0)
		i = (i + 1) & (t->unit_cap - 1);
	return i;
}

const bz_unitjur *bz_txn_unit_get(bz_ledger *l, const char *unit)
{
	bz_txn *t = cache_txn(l);
	if (!t || !t->unit_cap || !unit)
		return NULL;
	const bz_unitjur *u = &t->units[unit_slot(t, unit)];
	return u->unit[0] ? u : NULL;
}

void bz_txn_unit_put(bz_ledger *l, const char *unit, const char *jur, const char *division)
{
	bz_txn *t = cache_txn(l);
	if (jur && strlen(jur) != BZ_UUID_LEN)
		jur = NULL;
	if (t && division && strlen(division) >= sizeof t->units[0].division)
		division = NULL;
	if (!t || !unit || strlen(unit) != BZ_UUID_LEN || (!jur && !division))
		return;
	if (2 * (t->nunits + 1) > t->unit_cap) {
		size_t cap = t->unit_cap ? 2 * t->unit_cap : 64;
		bz_unitjur *nu = bz__calloc(cap, sizeof *nu);
		if (!nu)
			return;
		bz_unitjur *old = t->units;
		size_t oldcap = t->unit_cap;
		t->units = nu;
		t->unit_cap = cap;
		for (size_t i = 0; i < oldcap; i++)
			if (old[i].unit[0])
				t->units[unit_slot(t, old[i].unit)] = old[i];
		bz__free(old);
	}
	bz_unitjur *u = &t->units[unit_slot(t, unit)];
	if (!u->unit[0]) {
		memcpy(u->unit, unit, BZ_UUID_LEN + 1);
		t->nunits++;
	}
	if (jur)
		memcpy(u->jur, jur, BZ_UUID_LEN + 1);
	if (division)
		snprintf(u->division, sizeof u->division, "%s", division);
}

void bz_txn_person_put(bz_ledger *l, const char *person, const char *name, const char *birth)
{
	bz_txn *t = cache_txn(l);
	if (!t)
		return;
	bz__free(t->reg_name);
	t->reg_name = NULL;
	t->reg_person[0] = '\0';
	if (!person || strlen(person) != BZ_UUID_LEN || !name || !birth || strlen(birth) != BZ_DATE_LEN ||
	    !(t->reg_name = bz_strdup(name)))
		return;
	memcpy(t->reg_person, person, BZ_UUID_LEN + 1);
	memcpy(t->reg_birth, birth, BZ_DATE_LEN + 1);
}

const char *bz_txn_person_get(bz_ledger *l, const char *person, const char **birth)
{
	bz_txn *t = cache_txn(l);
	if (!t || !person || !t->reg_name || strcmp(t->reg_person, person) != 0)
		return NULL;
	*birth = t->reg_birth;
	return t->reg_name;
}

static void touches_clear(bz_txn *t)
{
	for (size_t i = 0; i < t->ntouch; i++) {
		bz__free(t->touch[i].id);
		bz__free(t->touch[i].aux);
	}
	for (size_t i = 0; i < t->ndocs; i++)
		bz__free(t->docs[i]);
	bz__free(t->docs);
	t->docs = NULL;
	t->ndocs = 0;
	bz__free(t->touch);
	t->touch = NULL;
	t->ntouch = t->captouch = 0;
	bz__free(t->touch_slot);
	t->touch_slot = NULL;
	t->touch_cap = t->touch_indexed = 0;
	bz__free(t->rise);
	t->rise = NULL;
	t->nrise = t->caprise = 0;
	bz_tl_pending_clear(&t->tl);
	bz_txn_cache_clear(t);
}

/*
 * The id the transaction's first event will get: events are never deleted
 * and one transaction writes at a time, so its events are exactly those of
 * its txn_log row from this id on — the rules find them by a rowid range,
 * with no index on event(txn).
 */
static int first_event_id(bz_ledger *l, long long *out)
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

BZ_EXTERN int bz_txn_begin(bz_txn **out, bz_ledger *ledger, const char *user, const char *office)
{
	if (!out)
		return BZ_EINVAL;
	*out = NULL;
	if (!ledger)
		return BZ_EINVAL;
	if (!bz_text_ok(user) || !bz_text_ok(office))
		return bz_fail(ledger, BZ_EINVAL, "a transaction needs the acting user and office (non-empty UTF-8)");
	if (ledger->txn)
		return bz_fail(ledger, BZ_EMISUSE, "a transaction is already open on this ledger handle");
	if (ledger->readonly)
		return bz_fail(ledger, BZ_EIO, "the ledger was opened read-only");

	bz_txn *t = bz__calloc(1, sizeof *t);
	if (!t)
		return bz_fail(ledger, BZ_ENOMEM, "out of memory");
	t->user = bz_strdup(user);
	t->office = bz_strdup(office);
	if (!t->user || !t->office) {
		bz__free(t->user);
		bz__free(t->office);
		bz__free(t);
		return bz_fail(ledger, BZ_ENOMEM, "out of memory");
	}
	t->l = ledger;
	/* IMMEDIATE: take the write lock now, so two writers racing for the same
	 * vacancy are serialised and the second sees the first's result */
	int code = bz_exec(ledger, "BEGIN IMMEDIATE");
	if (code == BZ_OK) {
		static const char sql[] = "INSERT INTO txn_log(recorded_at, recorded_by, office) VALUES(?1,?2,?3)";
		char stamp[20];
		bz_now_stamp(ledger, stamp);
		bz_st *st = bz_stmt(ledger, sql);
		if (!st) {
			code = bz_stmt_err();
		} else {
			bz_bind_text(st, 1, stamp);
			bz_bind_text(st, 2, user);
			bz_bind_text(st, 3, office);
			code = bz_step_done(ledger, st);
		}
		if (code == BZ_OK) {
			t->txn_no = bz_store_last_id(ledger->store);
			code = first_event_id(ledger, &t->first_event);
		}
		if (code == BZ_OK) {
			static const char id_sql[] = "INSERT INTO txn_id(txn, uuid) VALUES(?1,?2)";
			bz_uuid_new(t->uuid);
			if (!(st = bz_stmt(ledger, id_sql))) {
				code = bz_stmt_err();
			} else {
				bz_st_bind_int64(st, 1, t->txn_no);
				bz_bind_text(st, 2, t->uuid);
				code = bz_step_done(ledger, st);
			}
		}
	}
	/* a BEGIN that failed after it began (out of memory) leaves the
	 * transaction open: take it back, whichever step failed */
	if (code != BZ_OK && bz_store_in_txn(ledger->store))
		bz_undo(ledger, BZ_KEPT_ROLLBACK);
	if (code != BZ_OK) {
		bz__free(t->user);
		bz__free(t->office);
		bz__free(t);
		return code;
	}
	t->open = true;
	ledger->txn = t;
	bz_child_link(ledger, &t->child, txn_detach);
	*out = t;
	return bz_ok(ledger);
}

BZ_EXTERN int bz_txn_set_document(bz_txn *txn, const char *document_uuid)
{
	if (!txn)
		return BZ_EINVAL;
	if (!txn->open || !txn->l)
		return bz_change_begin(txn); /* BZ_EMISUSE, with the message when the ledger is still there */
	bz_ledger *l = txn->l;
	if (txn->cutover && (!document_uuid || !txn->doc || strcmp(document_uuid, txn->doc) != 0))
		return bz_fail(l, BZ_EMISUSE, "an opening transaction rests on its opening document only");
	if (!document_uuid) {
		bz__free(txn->doc);
		txn->doc = NULL;
		bz_docinfo_clear(&txn->docinfo);
		return bz_ok(l);
	}
	if (!bz_uuid_ok(document_uuid))
		return bz_fail(l, BZ_EINVAL, "not a UUID: %.40s", bz_utf8_valid(document_uuid) ? document_uuid : "?");
	/* the document is read once here; the rules take it from the transaction */
	bz_docinfo d;
	int rc = bz_docinfo_load(l, &d, document_uuid);
	if (rc != BZ_OK)
		return rc;
	char *copy = bz_strdup(document_uuid);
	if (!copy) {
		bz_docinfo_clear(&d);
		return bz_fail(l, BZ_ENOMEM, "out of memory");
	}
	bz__free(txn->doc);
	txn->doc = copy;
	bz_docinfo_clear(&txn->docinfo);
	txn->docinfo = d;
	return bz_ok(l);
}

static void txn_finish(bz_txn *t)
{
	t->open = false;
	if (t->l && t->l->txn == t)
		t->l->txn = NULL;
}

/*
 * SQLite rolls a whole transaction back by itself after some errors (an I/O
 * error, a full disk, out of memory). The transaction is then gone: were it
 * kept open, the caller's next changes — a failed change is taken back and
 * the transaction goes on, says txn.h — would each commit on their own in
 * autocommit mode, and the commit would write the counters of changes that
 * are no longer there. So it is finished here, and says why. true if it was.
 */
static bool txn_lost(bz_txn *t)
{
	if (!t->open || !t->l || bz_store_in_txn(t->l->store))
		return false;
	txn_finish(t);
	touches_clear(t);
	return true;
}

static int lost_fail(bz_txn *t, int code, const char *why)
{
	char keep[BZ_ERRMSG_MAX / 2];
	snprintf(keep, sizeof keep, "%s", why);
	return bz_fail(t->l, code, "%s; SQLite rolled the whole transaction back after it, so the transaction is finished "
		       "and none of its changes is in the ledger (begin it again)", keep);
}

/*
 * Concurrency on PostgreSQL (store.h 4; README "Concurrency on PostgreSQL").
 * Many writers commit at once there, in READ COMMITTED: before the counters
 * are written and the rules judge, the commit takes a transaction-scoped
 * advisory lock on every subject whose committed state its verdict and its
 * counter writes depend on, all in one canonical (sorted) order, so two
 * commits never wait on each other in a cycle. Each statement after the
 * locks takes a fresh snapshot: it sees every commit that held them before.
 *   u:<unit>          BZ_TOUCH_UNIT_CAT, _LEADERS (a unit or sub-unit),
 *                     _SUBUNITS, _UNIT_LIFE: R1/R11 (the unit's staff against
 *                     its establishment), R2, R3, R7; and R8 — a usage slip
 *                     is for one unit and category, and every hire on it
 *                     touches that unit, so the unit's lock orders the
 *                     slip's last posts too
 *   j:<jur>:<branch>  BZ_TOUCH_JUR_BRANCH: R4/R9 sum a county's branch
 *   p:<person>        BZ_TOUCH_PERSON: R5 (one post at a time)
 *   c:<counter key>   every counter the commit writes: bz_tl_sync appends a
 *                     breakpoint as the last value read plus the deltas, so
 *                     the read must follow every earlier writer's commit
 * The chain (event ids, record_chain, verify.c) has a lock of its own, taken
 * last, by chain_write. Nothing of this runs on SQLite: BEGIN IMMEDIATE
 * already made the transaction the file's one writer.
 */
typedef struct commit_locks {
	bz_ledger *l;
	char **key;
	size_t n;
} commit_locks;

static int key_cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static int locks_add(commit_locks *k, size_t *cap, const char *schema, const char *what, const char *id, const char *aux)
{
	if (k->n == *cap) {
		size_t nc = *cap ? *cap * 2 : 32;
		char **nk = bz__realloc(k->key, nc * sizeof *nk);
		if (!nk)
			return BZ_ENOMEM;
		k->key = nk;
		*cap = nc;
	}
	size_t len = strlen(schema) + strlen(what) + strlen(id) + (aux ? strlen(aux) : 0) + 8;
	char *s = bz__malloc(len);
	if (!s)
		return BZ_ENOMEM;
	snprintf(s, len, "%s:%s:%s%s%s", schema, what, id, aux ? ":" : "", aux ? aux : "");
	k->key[k->n++] = s;
	return BZ_OK;
}

static void locks_free(commit_locks *k)
{
	for (size_t i = 0; i < k->n; i++)
		bz__free(k->key[i]);
	bz__free(k->key);
	k->key = NULL;
	k->n = 0;
}

/* the keys, sorted and without repeats */
static int locks_collect(bz_txn *t, commit_locks *k)
{
	const char *schema = bz_store_schema(t->l->store);
	size_t cap = 0;
	int rc = BZ_OK;
	for (size_t i = 0; i < t->ntouch && rc == BZ_OK; i++) {
		const bz_touch *x = &t->touch[i];
		switch (x->kind) {
		case BZ_TOUCH_JUR_BRANCH: rc = locks_add(k, &cap, schema, "j", x->id, x->aux ? x->aux : ""); break;
		case BZ_TOUCH_PERSON: rc = locks_add(k, &cap, schema, "p", x->id, NULL); break;
		default: rc = locks_add(k, &cap, schema, "u", x->id, NULL); break;
		}
	}
	for (size_t i = 0; i < t->tl.cap && rc == BZ_OK; i++)
		if (t->tl.slot[i].key)
			rc = locks_add(k, &cap, schema, "c", t->tl.slot[i].key, NULL);
	if (rc != BZ_OK)
		return bz_fail(t->l, rc, "out of memory");
	if (k->n > 1)
		qsort(k->key, k->n, sizeof *k->key, key_cmp);
	size_t w = 0;
	for (size_t i = 0; i < k->n; i++) {
		if (w > 0 && strcmp(k->key[w - 1], k->key[i]) == 0)
			bz__free(k->key[i]);
		else
			k->key[w++] = k->key[i];
	}
	k->n = w;
	return BZ_OK;
}

/*
 * PostgreSQL: one of the locks above taken during a change, for what a
 * change itself reads and then writes from the committed state: a person's
 * open placement (placement.c: an exit or a transfer of the person another
 * writer is moving waits for that commit, then reads what it left; and
 * any first touch of a person, bz_txn_touch), a division's last card
 * number. Held to the end of the transaction; the commit takes it again
 * (re-entrant). BZ_OK at once on SQLite.
 */
int bz_pg_lock(bz_ledger *l, const char *what, const char *id)
{
	if (l->db)
		return BZ_OK;
	static const char sql[] = "SELECT pg_advisory_xact_lock(hashtextextended(?1, 0))";
	char key[BZ_STORE_SCHEMA_MAX + BZ_UUID_LEN + 48];
	snprintf(key, sizeof key, "%s:%s:%s", bz_store_schema(l->store), what, id);
	bz_st *st = bz_stmt(l, sql);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, key);
	int rc = bz_step(st);
	bz_st_reset(st);
	return rc == SQLITE_ROW ? BZ_OK : bz_sqlfail(l, rc);
}

/* bz_store_retry's unit of work: every lock, in order (a store code) */
static int locks_take(bz_store *s, void *ctx)
{
	static const char sql[] = "SELECT pg_advisory_xact_lock(hashtextextended(?1, 0))";
	commit_locks *k = ctx;
	(void)s;
	for (size_t i = 0; i < k->n; i++) {
		bz_st *st = bz_stmt(k->l, sql);
		if (!st)
			return SQLITE_NOMEM;
		bz_bind_text(st, 1, k->key[i]);
		int rc = bz_step(st);
		bz_st_reset(st);
		if (rc != SQLITE_ROW)
			return rc;
	}
	return SQLITE_OK;
}

/* PostgreSQL: the subjects' locks before the counters and the rules; nothing on SQLite */
static int commit_lock_subjects(bz_txn *t)
{
	bz_ledger *l = t->l;
	if (l->db)
		return BZ_OK;
	commit_locks k = {.l = l};
	int code = locks_collect(t, &k);
	if (code == BZ_OK && k.n > 0) {
		int tries = 0;
		int rc = bz_store_retry(l->store, locks_take, &k, &tries);
		if (rc != SQLITE_OK)
			code = (rc & 0xff) == SQLITE_BUSY
				       ? bz_fail(l, BZ_EBUSY, "the commit could not lock the %zu subject(s) it touched: %.300s", k.n,
						 bz_store_errmsg(l->store))
				       : bz_sqlfail(l, rc);
	}
	locks_free(&k);
	return code;
}

BZ_EXTERN int bz_txn_commit(bz_txn *txn)
{
	if (!txn)
		return BZ_EINVAL;
	if (!txn->open || !txn->l)
		return txn->l ? bz_fail(txn->l, BZ_EMISUSE, "the transaction is already finished") : BZ_EMISUSE;
	bz_ledger *l = txn->l;
	/* a file half-written would hold the commit (an open blob handle) or leave its bytes behind */
	if (txn->writers > 0)
		return bz_fail(l, BZ_EMISUSE, "%d file writer(s) still open: finish or free them before the commit",
			       txn->writers);
	if (txn_lost(txn))
		return lost_fail(txn, BZ_EMISUSE, "an earlier call of the transaction failed");
	/* PostgreSQL: lock what the counters and the rules below read (above) */
	int code = commit_lock_subjects(txn);
	/* the counters the rules read: every change's deltas, written once per key and segment */
	if (code == BZ_OK)
		code = bz_tl_sync(l);
	if (code == BZ_OK)
		code = bz_rules_commit(txn);
	if (code == BZ_OK && txn->report.errors > 0)
		code = BZ_ECONSTRAINT;
	/* the tamper evidence (verify.h): the transaction's records chained, in the same commit */
	if (code == BZ_OK)
		code = bz_chain_extend(l, txn->first_event);
	if (code == BZ_OK)
		code = bz_kept_exec(l, BZ_KEPT_COMMIT);
	if (code != BZ_OK) {
		int keep = code;
		bz_undo(l, BZ_KEPT_ROLLBACK);
		txn_finish(txn);
		touches_clear(txn);
		if (keep == BZ_ECONSTRAINT)
			return bz_fail(l, keep, "the establishment rules refused the transaction: %zu error(s), %zu warning(s)",
				       txn->report.errors, txn->report.warnings);
		return keep;
	}
	txn_finish(txn);
	touches_clear(txn);
	return bz_ok(l);
}

BZ_EXTERN int bz_txn_rollback(bz_txn *txn)
{
	if (!txn)
		return BZ_EINVAL;
	if (!txn->open || !txn->l)
		return bz_change_begin(txn); /* BZ_EMISUSE, with the message when the ledger is still there */
	int rc = bz_kept_exec(txn->l, BZ_KEPT_ROLLBACK);
	txn_finish(txn);
	touches_clear(txn);
	return rc == BZ_OK ? bz_ok(txn->l) : rc;
}

BZ_EXTERN void bz_txn_free(bz_txn *txn)
{
	if (!txn)
		return;
	if (txn->open && txn->l)
		bz_txn_rollback(txn);
	if (txn->l)
		bz_child_unlink(&txn->child);
	touches_clear(txn);
	bz_report_clear(&txn->report);
	bz__free(txn->user);
	bz__free(txn->office);
	bz__free(txn->doc);
	bz__free(txn->cutover);
	bz_docinfo_clear(&txn->docinfo);
	bz__free(txn);
}

BZ_EXTERN const char *bz_txn_uuid(const bz_txn *txn)
{
	return txn && txn->uuid[0] ? txn->uuid : NULL;
}

BZ_EXTERN int bz_txn_committed(int *out, bz_ledger *ledger, const char *txn_uuid)
{
	if (!out || !ledger)
		return BZ_EINVAL;
	*out = 0;
	if (!bz_uuid_ok(txn_uuid))
		return bz_fail(ledger, BZ_EINVAL, "not a transaction's UUID: %.40s",
			       txn_uuid && bz_utf8_valid(txn_uuid) ? txn_uuid : "?");
	/* this handle's own open transaction sees its row, but has not committed */
	if (ledger->txn && strcmp(ledger->txn->uuid, txn_uuid) == 0)
		return bz_ok(ledger);
	static const char sql[] = "SELECT 1 FROM txn_id WHERE uuid=?1";
	bz_st *st = bz_stmt(ledger, sql);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, txn_uuid);
	bool yes = false;
	int rc = bz_step_exists(ledger, st, &yes);
	if (rc != BZ_OK)
		return rc;
	*out = yes;
	return bz_ok(ledger);
}

BZ_EXTERN const bz_report *bz_txn_report(const bz_txn *txn)
{
	return txn ? &txn->report : NULL;
}

/* ---- helpers for change functions ------------------------------------ */

/*
 * The touches are looked up by (kind, id, aux) through an open-addressing
 * index, so that a transaction of 100,000 hires does not compare each new
 * touch with every earlier one. A failed change takes its touches back
 * (bz_change_end): the index is then rebuilt from the touches that remain.
 */
static uint64_t touch_hash(int kind, const char *id, const char *aux)
{
	uint64_t h = 1469598103934665603u ^ (uint64_t)(unsigned)kind; /* FNV-1a */
	for (const unsigned char *p = (const unsigned char *)id; *p; p++)
		h = (h ^ *p) * 1099511628211u;
	h = (h ^ 0xff) * 1099511628211u;
	for (const unsigned char *p = (const unsigned char *)(aux ? aux : ""); *p; p++)
		h = (h ^ *p) * 1099511628211u;
	return h;
}

static bool touch_is(const bz_touch *x, int kind, const char *id, const char *aux)
{
	return x->kind == kind && strcmp(x->id, id) == 0 &&
	       ((!x->aux && !aux) || (x->aux && aux && strcmp(x->aux, aux) == 0));
}

/* the slot of (kind, id, aux): the one holding it, or the empty one where it would go */
static size_t touch_slot(const bz_txn *t, int kind, const char *id, const char *aux)
{
	size_t i = (size_t)touch_hash(kind, id, aux) & (t->touch_cap - 1);
	while (t->touch_slot[i] && !touch_is(&t->touch[t->touch_slot[i] - 1], kind, id, aux))
		i = (i + 1) & (t->touch_cap - 1);
	return i;
}

/* index every touch (after growth, or after a failed change took some back) */
static int touch_reindex(bz_txn *t, size_t cap)
{
	size_t *slots = bz__calloc(cap, sizeof *slots);
	if (!slots)
		return bz_fail(t->l, BZ_ENOMEM, "out of memory");
	bz__free(t->touch_slot);
	t->touch_slot = slots;
	t->touch_cap = cap;
	for (size_t k = 0; k < t->ntouch; k++) {
		const bz_touch *x = &t->touch[k];
		t->touch_slot[touch_slot(t, x->kind, x->id, x->aux)] = k + 1;
	}
	t->touch_indexed = t->ntouch;
	return BZ_OK;
}

/* the transaction's one copy of its current document, for its touches; NULL if none (or out of memory) */
static const char *touch_doc(bz_txn *t)
{
	if (!t->doc)
		return NULL;
	for (size_t i = t->ndocs; i-- > 0;) /* the latest first: a transaction rarely changes document */
		if (strcmp(t->docs[i], t->doc) == 0)
			return t->docs[i];
	char **nd = bz__realloc(t->docs, (t->ndocs + 1) * sizeof *nd);
	if (!nd)
		return NULL;
	t->docs = nd;
	if (!(t->docs[t->ndocs] = bz_strdup(t->doc)))
		return NULL;
	return t->docs[t->ndocs++];
}

int bz_txn_touch(bz_txn *t, int kind, const char *id, const char *aux, const char *from)
{
	int rc;
	if (t->touch_indexed != t->ntouch || 2 * (t->ntouch + 1) > t->touch_cap) {
		size_t cap = t->touch_cap ? t->touch_cap : 64;
		while (2 * (t->ntouch + 1) > cap)
			cap *= 2;
		if ((rc = touch_reindex(t, cap)) != BZ_OK)
			return rc;
	}
	size_t slot = touch_slot(t, kind, id, aux);
	if (t->touch_slot[slot]) {
		bz_touch *x = &t->touch[t->touch_slot[slot] - 1];
		if (strcmp(from, x->from) < 0)
			memcpy(x->from, from, BZ_DATE_LEN + 1);
		return BZ_OK;
	}
	if (t->ntouch == t->captouch) {
		size_t cap = t->captouch ? t->captouch * 2 : 16;
		bz_touch *nt = bz__realloc(t->touch, cap * sizeof *nt);
		if (!nt)
			return bz_fail(t->l, BZ_ENOMEM, "out of memory");
		t->touch = nt;
		t->captouch = cap;
	}
	/* PostgreSQL: a person's lock from the first change that touches them
	 * (bz_pg_lock below), so that the commit never waits for it: a commit
	 * holding a county's lock while waiting for a person whom another writer
	 * locked at a change, that writer then waiting at its own commit for the
	 * county, would be a deadlock. Two writers of one person therefore queue
	 * at their first change of the person, holding no commit lock yet */
	if (kind == BZ_TOUCH_PERSON && (rc = bz_pg_lock(t->l, "p", id)) != BZ_OK)
		return rc;
	bz_touch *x = &t->touch[t->ntouch];
	memset(x, 0, sizeof *x);
	x->kind = kind;
	x->id = bz_strdup(id);
	x->aux = bz_strdup(aux);
	x->doc = touch_doc(t);
	memcpy(x->from, from, BZ_DATE_LEN + 1);
	if (!x->id || (aux && !x->aux) || (t->doc && !x->doc)) {
		bz__free(x->id);
		bz__free(x->aux);
		return bz_fail(t->l, BZ_ENOMEM, "out of memory");
	}
	t->touch_slot[slot] = ++t->ntouch;
	t->touch_indexed = t->ntouch;
	return BZ_OK;
}

int bz_txn_rise(bz_txn *t, const char *unit, const char *category, const char *from, const char *to)
{
	if (t->nrise == t->caprise) {
		size_t cap = t->caprise ? t->caprise * 2 : 8;
		bz_rise *nr = bz__realloc(t->rise, cap * sizeof *nr);
		if (!nr)
			return bz_fail(t->l, BZ_ENOMEM, "out of memory");
		t->rise = nr;
		t->caprise = cap;
	}
	bz_rise *r = &t->rise[t->nrise];
	if (strlen(category) >= sizeof r->category)
		return bz_fail(t->l, BZ_EINVAL, "category code too long: %s", category);
	snprintf(r->unit, sizeof r->unit, "%s", unit);
	snprintf(r->category, sizeof r->category, "%s", category);
	snprintf(r->from, sizeof r->from, "%s", from);
	snprintf(r->to, sizeof r->to, "%s", to ? to : "");
	t->nrise++;
	return BZ_OK;
}

/* whether the change begun at depth opens a savepoint of its own: a batch's changes do not (bz_batch_begin) */
static bool change_saves(const bz_txn *t, int depth)
{
	return t->batch_depth == 0 || depth < t->batch_depth;
}

/* take back what the changes since the marks left in memory: violations, touches, rises (their rows are gone) */
static void withdraw(bz_txn *t, size_t report, size_t touch, size_t rise)
{
	while (t->report.n > report) {
		struct bz_violation *v = &t->report.v[--t->report.n];
		if (v->severity == BZ_SEVERITY_ERROR)
			t->report.errors--;
		else
			t->report.warnings--;
		violation_clear(v);
	}
	while (t->ntouch > touch) {
		bz_touch *x = &t->touch[--t->ntouch];
		bz__free(x->id);
		bz__free(x->aux);
	}
	if (t->nrise > rise)
		t->nrise = rise;
}

int bz_change_begin(bz_txn *t)
{
	if (!t)
		return BZ_EINVAL;
	if (!t->open || !t->l)
		return t->l ? bz_fail(t->l, BZ_EMISUSE, "the transaction is finished") : BZ_EMISUSE;
	if (txn_lost(t))
		return lost_fail(t, BZ_EMISUSE, "an earlier call of the transaction failed");
	int code = bz_tl_change_begin(t);
	if (code != BZ_OK)
		return code;
	if (change_saves(t, t->savepoint_depth) && (code = bz_exec(t->l, "SAVEPOINT bz_change")) != BZ_OK) {
		bz_tl_change_end(t, false);
		return code;
	}
	if (t->savepoint_depth++ == 0) {
		t->mark_report = t->report.n;
		t->mark_touch = t->ntouch;
		t->mark_rise = t->nrise;
	}
	return BZ_OK;
}

int bz_change_end(bz_txn *t, int rc)
{
	bz_ledger *l = t->l;
	/* violations added by a failed change are withdrawn with it */
	t->savepoint_depth--;
	if (!change_saves(t, t->savepoint_depth)) {
		/* a change of a batch, without a savepoint: a failure cannot be taken back alone, so the
		 * batch is broken and its caller takes it back whole (bz_batch_end) */
		bz_tl_change_end(t, rc == BZ_OK);
		if (rc == BZ_OK)
			return bz_ok(l);
		bz_txn_cache_clear(t);
		t->batch_broken = true;
		return rc;
	}
	if (rc == BZ_OK) {
		int code = bz_exec(l, "RELEASE bz_change");
		if (code == BZ_OK) {
			bz_tl_change_end(t, true);
			return bz_ok(l);
		}
		rc = code; /* not released: taken back below like any failed change */
	}
	bz_tl_change_end(t, false);
	bz_txn_cache_clear(t); /* what it read may have been its own rows, now gone */
	char keep[BZ_ERRMSG_MAX];
	memcpy(keep, l->errmsg, sizeof keep);
	bz_undo(l, BZ_KEPT_CHANGE);
	if (t->savepoint_depth == 0 && txn_lost(t)) {
		return lost_fail(t, rc, keep);
	}
	if (t->savepoint_depth == 0)
		withdraw(t, t->mark_report, t->mark_touch, t->mark_rise);
	return rc;
}

int bz_batch_begin(bz_txn *t)
{
	if (t && t->batch_depth)
		return bz_fail(t->l, BZ_ERROR, "internal: batches do not nest");
	int code = bz_change_begin(t);
	if (code != BZ_OK)
		return code;
	t->batch_report = t->report.n;
	t->batch_touch = t->ntouch;
	t->batch_rise = t->nrise;
	t->batch_broken = false;
	/* SQLite: the changes inside go without savepoints. PostgreSQL: with them (a failed statement
	 * there aborts the transaction up to the last savepoint, so every change keeps its own) */
	t->batch_depth = t->l->db ? t->savepoint_depth : INT_MAX;
	return BZ_OK;
}

bool bz_batch_broken(const bz_txn *t)
{
	return t->batch_broken;
}

int bz_batch_end(bz_txn *t, int rc, bool *again)
{
	*again = false;
	bool broken = t->batch_broken;
	t->batch_depth = 0;
	t->batch_broken = false;
	int code = bz_change_end(t, rc == BZ_OK && broken ? BZ_ERROR : rc);
	if (code == BZ_OK)
		return BZ_OK;
	/* taken back (or lost with the whole transaction): what its changes left in memory goes too */
	withdraw(t, t->batch_report, t->batch_touch, t->batch_rise);
	if (rc != BZ_OK)
		return rc;
	if (broken && bz_store_in_txn(t->l->store)) {
		*again = true;
		return bz_ok(t->l);
	}
	return code;
}

uint64_t bz_kind_bit(const char *kind, size_t len)
{
	uint64_t h = 1469598103934665603u; /* FNV-1a; two kinds on one bit only make a checker run for nothing */
	for (size_t i = 0; i < len && kind[i]; i++) { /* ASCII case folded: SQLite's LIKE ignores it */
		unsigned char c = (unsigned char)kind[i];
		h = (h ^ (c >= 'A' && c <= 'Z' ? c + 32u : c)) * 1099511628211u;
	}
	return (uint64_t)1 << (h % 64);
}

bool bz_txn_wrote(const bz_txn *t, const char *kind)
{
	return (t->kinds & bz_kind_bit(kind, strlen(kind))) != 0;
}

int bz_event_write_ref(bz_txn *t, long long *event_id, const char *kind, const char *subject,
		       const char *unit, const char *effective, const char *doc, const char *note)
{
	static const char sql[] =
		"INSERT INTO event(txn, kind, subject, unit, effective, doc, note) VALUES(?1,?2,?3,?4,?5,?6,?7)";
	/* an opening's entries are dated by the cut-over; reference data (a
	 * document, a person's registration) is dated as it always is */
	if (t->cutover && effective && strcmp(effective, t->cutover) > 0 && bz_event_action(kind))
		return bz_fail(t->l, BZ_EINVAL, "an opening entry is dated on or before the cut-over (%s), not %s",
			       t->cutover, effective);
	/* the kind and its family, before the write: a kind is never missed (bz_txn_wrote) */
	if (kind) {
		const char *dot = strchr(kind, '.');
		t->kinds |= bz_kind_bit(kind, strlen(kind)) | (dot ? bz_kind_bit(kind, (size_t)(dot - kind) + 1) : 0);
	}
	bz_st *st = bz_stmt(t->l, sql);
	if (!st)
		return bz_stmt_err();
	bz_st_bind_int64(st, 1, t->txn_no);
	bz_bind_text(st, 2, kind);
	bz_bind_text(st, 3, subject);
	bz_bind_text(st, 4, unit);
	bz_bind_text(st, 5, effective);
	bz_bind_text(st, 6, doc);
	bz_bind_text(st, 7, note);
	int code = bz_step_done(t->l, st);
	if (code != BZ_OK)
		return code;
	*event_id = bz_store_last_id(t->l->store);
	return BZ_OK;
}

int bz_event_write(bz_txn *t, long long *event_id, const char *kind, const char *subject,
		   const char *unit, const char *effective, const char *note)
{
	/* the basis (R6) is the rules' to judge at commit, from the record */
	return bz_event_write_ref(t, event_id, kind, subject, unit, effective, t->doc, note);
}

static int fact_insert(bz_txn *t, long long event_id, const char *subject, const char *attr, const char *effective,
		       const char *before, const char *after)
{
	static const char sql[] =
		"INSERT INTO fact(event, subject, attr, effective, before, after) VALUES(?1,?2,?3,?4,?5,?6)";
	bz_st *st = bz_stmt(t->l, sql);
	if (!st)
		return bz_stmt_err();
	bz_st_bind_int64(st, 1, event_id);
	bz_bind_text(st, 2, subject);
	bz_bind_text(st, 3, attr);
	bz_bind_text(st, 4, effective);
	bz_bind_text(st, 5, before);
	bz_bind_text(st, 6, after);
	return bz_step_done(t->l, st);
}

int bz_fact_write(bz_txn *t, long long event_id, const char *subject, const char *attr,
		  const char *effective, const char *after)
{
	char *before = NULL;
	int code = bz_fact_at(t->l, &before, subject, attr, effective);
	if (code == BZ_OK)
		code = fact_insert(t, event_id, subject, attr, effective, before, after);
	bz__free(before);
	return code;
}

int bz_fact_write_first(bz_txn *t, long long event_id, const char *subject, const char *attr,
			const char *effective, const char *after)
{
	return fact_insert(t, event_id, subject, attr, effective, NULL, after);
}
