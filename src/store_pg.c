/*
 * store_pg.c: the PostgreSQL driver of the storage interface (store.h),
 * through libpq. Built when meson finds libpq (-Dpostgresql=auto/enabled).
 *
 * A statement is a named server-side prepared statement ("bz<N>", PQprepare
 * of the translated SQL, its parameter count from PQdescribePrepared), run
 * with PQexecPrepared: parameters in text format (blobs binary), results in
 * text format, the whole result fetched at the first step (store.h, 4: the
 * rules run statements while they walk another's rows; libpq allows one
 * query in flight per connection). Errors: SQLSTATE → SQLite code (store.h, 1).
 */
#include "store.h"
#include "alloc.h"

#include <libpq-fe.h>

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* the OIDs of the built-in types whose values the columns convert */
enum { OID_BOOL = 16, OID_BYTEA = 17, OID_INT8 = 20, OID_INT2 = 21, OID_INT4 = 23, OID_OID = 26,
       OID_FLOAT4 = 700, OID_FLOAT8 = 701, OID_NUMERIC = 1700 };

typedef struct bz_pg {
	PGconn *conn;
	char schema[BZ_STORE_SCHEMA_MAX + 1];
	unsigned next_name;
	int64_t changes;
} bz_pg;

typedef struct pgst {
	bz_st_head h; /* first: the driver table */
	char name[24];
	int nparams;
	char **val;  /* parameter values (bz__malloc'd copies), NULL = SQL NULL */
	int *len, *fmt;
	PGresult *res;
	int row, nrows; /* row: the current row, -1 before the first step */
	bool done;      /* the result was read to its end */
	unsigned char *blob; /* column_blob's decoded bytea (PQfreemem) */
	int blob_col;
	size_t blob_len;
	char real[48]; /* column_text of a float as SQLite writes it ("29.0", not "29") */
	bool bind_lost; /* a bind could not copy its value: the next step fails (SQLITE_NOMEM) */
	char *trace; /* BZ_PG_TRACE: the statement as sent, for the failure's trace */
} pgst;

/*
 * BZ_PG_TRACE=1 in the environment: every statement the server refuses is
 * written to stderr, as translated, with the server's message — to find
 * which of the engine's statements a server (or a PostgreSQL derivative)
 * does not take.
 */
static bool tracing(void)
{
	static int on = -1;
	if (on < 0) {
		const char *e = getenv("BZ_PG_TRACE");
		on = e && *e && strcmp(e, "0") != 0;
	}
	return on;
}

static void trace_failure(bz_store *s, const char *what, const char *sql)
{
	if (tracing())
		fprintf(stderr, "libbianzhi: BZ_PG_TRACE: %s refused: %s\n    %s\n", what, s->errmsg, sql ? sql : "?");
}

#define PG(s) ((bz_pg *)(s)->pg)
#define TAG(p) ((bz_st *)((uintptr_t)(p) | 1u))
#define UNTAG(st) ((pgst *)((uintptr_t)(st) & ~(uintptr_t)1))

/* ---- errors ---------------------------------------------------------- */

static int code_of_sqlstate(const char *ss)
{
	if (!ss)
		return SQLITE_ERROR;
	if (!strcmp(ss, "40001") || !strcmp(ss, "40P01") || !strcmp(ss, "55P03"))
		return SQLITE_BUSY;
	if (!strcmp(ss, "23505"))
		return SQLITE_CONSTRAINT_UNIQUE;
	if (!strcmp(ss, "23503"))
		return SQLITE_CONSTRAINT_FOREIGNKEY;
	if (!strcmp(ss, "23502"))
		return SQLITE_CONSTRAINT_NOTNULL;
	if (!strcmp(ss, "23514"))
		return SQLITE_CONSTRAINT_CHECK;
	if (!strncmp(ss, "23", 2))
		return SQLITE_CONSTRAINT;
	if (!strcmp(ss, "P0001"))
		return SQLITE_CONSTRAINT_TRIGGER;
	if (!strcmp(ss, "53100"))
		return SQLITE_FULL;
	if (!strcmp(ss, "53200"))
		return SQLITE_NOMEM;
	if (!strncmp(ss, "08", 2) || !strncmp(ss, "57P", 3) || !strncmp(ss, "58", 2))
		return SQLITE_IOERR;
	if (!strcmp(ss, "57014"))
		return SQLITE_INTERRUPT;
	if (!strcmp(ss, "25P02"))
		return SQLITE_ABORT;
	if (!strcmp(ss, "3D000") || !strcmp(ss, "3F000"))
		return SQLITE_CANTOPEN;
	if (!strcmp(ss, "25006"))
		return SQLITE_READONLY;
	return SQLITE_ERROR;
}

/* the message of a failed result (or of the connection), one line */
static void set_msg(bz_store *s, const char *what, const char *msg, const char *ss)
{
	char line[400];
	snprintf(line, sizeof line, "%s", msg && *msg ? msg : "unknown error");
	for (char *p = line; *p; p++)
		if (*p == '\n')
			*p = *(p + 1) ? ' ' : '\0';
	if (ss)
		snprintf(s->errmsg, sizeof s->errmsg, "postgresql: %s%s (SQLSTATE %s)", what, line, ss);
	else
		snprintf(s->errmsg, sizeof s->errmsg, "postgresql: %s%s", what, line);
}

/* the store code of a result (res may be NULL: libpq could not even send) */
static int result_code(bz_store *s, PGresult *res)
{
	bz_pg *pg = PG(s);
	ExecStatusType es = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
	if (es == PGRES_COMMAND_OK || es == PGRES_TUPLES_OK || es == PGRES_EMPTY_QUERY)
		return SQLITE_OK;
	if (PQstatus(pg->conn) == CONNECTION_BAD) {
		set_msg(s, "connection lost: ", PQerrorMessage(pg->conn), NULL);
		return s->errcode = SQLITE_IOERR;
	}
	const char *ss = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	set_msg(s, "", msg ? msg : PQerrorMessage(pg->conn), ss);
	int rc = code_of_sqlstate(ss);
	if (!res && rc == SQLITE_ERROR)
		rc = SQLITE_NOMEM; /* libpq gives no result only when it could not allocate one */
	return s->errcode = rc;
}

/* ---- statements ------------------------------------------------------ */

static void clear_result(pgst *p)
{
	if (p->blob) {
		PQfreemem(p->blob);
		p->blob = NULL;
	}
	PQclear(p->res);
	p->res = NULL;
	p->row = -1;
	p->nrows = 0;
	p->done = false;
}

static int set_param(pgst *p, int i, const char *v, int n, int fmt)
{
	if (i < 1 || i > p->nparams) {
		snprintf(p->h.store->errmsg, sizeof p->h.store->errmsg, "bind: parameter %d of %d", i, p->nparams);
		return SQLITE_RANGE;
	}
	i--;
	char *copy = NULL;
	if (v) {
		copy = bz__malloc((size_t)n + 1);
		if (!copy) {
			p->bind_lost = true; /* never a query run with a NULL in place of the value */
			return SQLITE_NOMEM;
		}
		memcpy(copy, v, (size_t)n);
		copy[n] = '\0';
	}
	bz__free(p->val[i]);
	p->val[i] = copy;
	p->len[i] = n;
	p->fmt[i] = fmt;
	return SQLITE_OK;
}

static int pg_bind_int64(bz_st *st, int i, int64_t v)
{
	char b[24];
	int n = snprintf(b, sizeof b, "%lld", (long long)v);
	return set_param(UNTAG(st), i, b, n, 0);
}

static int pg_bind_text(bz_st *st, int i, const char *s, int n)
{
	return set_param(UNTAG(st), i, s, s && n < 0 ? (int)strlen(s) : n, 0);
}

static int pg_bind_blob(bz_st *st, int i, const void *v, int n)
{
	/* a zero-length blob is not NULL */
	return set_param(UNTAG(st), i, v ? v : "", v ? n : 0, 1);
}

static int pg_bind_null(bz_st *st, int i)
{
	return set_param(UNTAG(st), i, NULL, 0, 0);
}

static int pg_step(bz_st *st)
{
	pgst *p = UNTAG(st);
	bz_store *s = p->h.store;
	if (p->bind_lost) {
		p->bind_lost = false;
		snprintf(s->errmsg, sizeof s->errmsg, "postgresql: out of memory (a bound value could not be copied)");
		return SQLITE_NOMEM;
	}
	if (p->done)
		clear_result(p); /* as SQLite: a step after the end runs the statement again */
	if (!p->res) {
		p->res = PQexecPrepared(PG(s)->conn, p->name, p->nparams, (const char *const *)p->val, p->len, p->fmt, 0);
		int rc = result_code(s, p->res);
		if (rc != SQLITE_OK) {
			PQclear(p->res);
			p->res = NULL;
			trace_failure(s, "step", p->trace);
			return rc;
		}
		if (PQresultStatus(p->res) == PGRES_TUPLES_OK)
			p->nrows = PQntuples(p->res);
		else {
			const char *n = PQcmdTuples(p->res);
			PG(s)->changes = n && *n ? strtoll(n, NULL, 10) : 0;
		}
	}
	if (p->blob) {
		PQfreemem(p->blob);
		p->blob = NULL;
	}
	if (++p->row < p->nrows)
		return SQLITE_ROW;
	p->done = true;
	return SQLITE_DONE;
}

static int pg_reset(bz_st *st)
{
	clear_result(UNTAG(st));
	return SQLITE_OK;
}

static int pg_clear_bindings(bz_st *st)
{
	pgst *p = UNTAG(st);
	p->bind_lost = false;
	if (!p->val || !p->len || !p->fmt)
		return SQLITE_OK;
	for (int i = 0; i < p->nparams; i++) {
		bz__free(p->val[i]);
		p->val[i] = NULL;
		p->len[i] = p->fmt[i] = 0;
	}
	return SQLITE_OK;
}

static int pg_finalize(bz_st *st)
{
	if (!st)
		return SQLITE_OK;
	pgst *p = UNTAG(st);
	clear_result(p);
	pg_clear_bindings(st);
	bz_pg *pg = PG(p->h.store);
	/* the server keeps a prepared statement until DEALLOCATE or the end of
	 * the session; inside a failed transaction DEALLOCATE fails too, and
	 * the name (never reused) stays until the connection closes */
	if (pg->conn && PQstatus(pg->conn) == CONNECTION_OK && PQtransactionStatus(pg->conn) != PQTRANS_INERROR) {
		char sql[48];
		snprintf(sql, sizeof sql, "DEALLOCATE %s", p->name);
		PQclear(PQexec(pg->conn, sql));
	}
	bz__free(p->val);
	bz__free(p->len);
	bz__free(p->fmt);
	bz__free(p->trace);
	bz__free(p);
	return SQLITE_OK;
}

static bool on_row(pgst *p, int i)
{
	return p->res && p->row >= 0 && p->row < p->nrows && i >= 0 && i < PQnfields(p->res);
}

static int pg_column_count(bz_st *st)
{
	pgst *p = UNTAG(st);
	return p->res ? PQnfields(p->res) : 0;
}

static int pg_column_type(bz_st *st, int i)
{
	pgst *p = UNTAG(st);
	if (!on_row(p, i) || PQgetisnull(p->res, p->row, i))
		return SQLITE_NULL;
	switch (PQftype(p->res, i)) {
	case OID_BOOL: case OID_INT2: case OID_INT4: case OID_INT8: case OID_OID: return SQLITE_INTEGER;
	case OID_FLOAT4: case OID_FLOAT8: case OID_NUMERIC: return SQLITE_FLOAT;
	case OID_BYTEA: return SQLITE_BLOB;
	default: return SQLITE_TEXT;
	}
}

/* a text read as SQLite reads an integer out of it: its leading integer, else 0 */
static int64_t pg_column_int64(bz_st *st, int i)
{
	pgst *p = UNTAG(st);
	if (!on_row(p, i) || PQgetisnull(p->res, p->row, i))
		return 0;
	const char *v = PQgetvalue(p->res, p->row, i);
	if (PQftype(p->res, i) == OID_BOOL)
		return v[0] == 't';
	return strtoll(v, NULL, 10);
}

static const unsigned char *pg_column_text(bz_st *st, int i)
{
	pgst *p = UNTAG(st);
	if (!on_row(p, i) || PQgetisnull(p->res, p->row, i))
		return NULL;
	const char *v = PQgetvalue(p->res, p->row, i);
	Oid t = PQftype(p->res, i);
	if (t == OID_BOOL)
		return (const unsigned char *)(v[0] == 't' ? "1" : "0");
	if ((t == OID_FLOAT4 || t == OID_FLOAT8) && !strpbrk(v, ".eEnN") && strlen(v) + 3 < sizeof p->real) {
		snprintf(p->real, sizeof p->real, "%s.0", v);
		return (const unsigned char *)p->real;
	}
	return (const unsigned char *)v;
}

static const void *pg_column_blob(bz_st *st, int i)
{
	pgst *p = UNTAG(st);
	if (!on_row(p, i) || PQgetisnull(p->res, p->row, i))
		return NULL;
	if (PQftype(p->res, i) != OID_BYTEA)
		return PQgetvalue(p->res, p->row, i);
	if (p->blob && p->blob_col == i)
		return p->blob;
	if (p->blob)
		PQfreemem(p->blob);
	p->blob = PQunescapeBytea((const unsigned char *)PQgetvalue(p->res, p->row, i), &p->blob_len);
	p->blob_col = i;
	return p->blob;
}

static int pg_column_bytes(bz_st *st, int i)
{
	pgst *p = UNTAG(st);
	if (!on_row(p, i) || PQgetisnull(p->res, p->row, i))
		return 0;
	if (PQftype(p->res, i) == OID_BYTEA)
		return pg_column_blob(st, i) ? (int)p->blob_len : 0;
	if (PQftype(p->res, i) == OID_BOOL)
		return 1;
	return (int)strlen((const char *)pg_column_text(st, i));
}

/* stepped and not yet at its end nor reset */
/* the highest ?N of the statement, as SQLite's bind_parameter_count */
static int pg_param_count(bz_st *st)
{
	return UNTAG(st)->nparams;
}

static bool pg_busy_st(bz_st *st)
{
	pgst *p = UNTAG(st);
	return p->res && !p->done;
}

/* ---- connections ----------------------------------------------------- */

/*
 * PQprepare with the parameters' types left to the server — except those it
 * cannot infer (`SELECT ?2`, `?1 IS NULL`, `coalesce(?3, x)`: SQLSTATE 42P18
 * or 42P08 "could not determine data type of parameter $N"), which are declared text
 * one by one and the statement prepared again: SQLite's parameters have no
 * type, and a value bound where nothing else types it is a text there too.
 * Inside a transaction a failed Parse would abort it, so the attempts run
 * under a savepoint (once per statement and connection: the statement is
 * cached afterwards).
 */
static bool pg_in_txn(bz_store *s);

static int prepare_typed(bz_store *s, const char *name, const char *text, int nparams)
{
	bz_pg *pg = PG(s);
	enum { MAXP = 64 };
	Oid types[MAXP] = { 0 };
	int ntypes = nparams < MAXP ? nparams : MAXP;
	bool sp = pg_in_txn(s);
	int rc = SQLITE_OK;
	if (sp) {
		PGresult *r = PQexec(pg->conn, "SAVEPOINT bz_prepare");
		rc = result_code(s, r);
		PQclear(r);
		if (rc != SQLITE_OK)
			return rc;
	}
	for (int attempt = 0; attempt <= ntypes; attempt++) {
		PGresult *res = PQprepare(pg->conn, name, text, ntypes, ntypes ? types : NULL);
		rc = result_code(s, res);
		const char *ss = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
		const char *msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
		const char *dollar = msg ? strrchr(msg, '$') : NULL;
		long n = dollar ? strtol(dollar + 1, NULL, 10) : 0;
		bool untyped = rc != SQLITE_OK && ss && (strcmp(ss, "42P18") == 0 || strcmp(ss, "42P08") == 0) && n >= 1 && n <= ntypes &&
			       types[n - 1] == 0;
		PQclear(res);
		if (!untyped)
			break;
		if (sp) {
			PGresult *r = PQexec(pg->conn, "ROLLBACK TO SAVEPOINT bz_prepare");
			PQclear(r);
		}
		types[n - 1] = 25; /* text */
	}
	if (sp) {
		char keep[sizeof s->errmsg];
		memcpy(keep, s->errmsg, sizeof keep);
		PGresult *r = PQexec(pg->conn, rc == SQLITE_OK ? "RELEASE SAVEPOINT bz_prepare"
						      : "ROLLBACK TO SAVEPOINT bz_prepare; RELEASE SAVEPOINT bz_prepare");
		int rc2 = result_code(s, r);
		PQclear(r);
		if (rc == SQLITE_OK)
			rc = rc2;
		else
			memcpy(s->errmsg, keep, sizeof keep);
	}
	return rc;
}

static int pg_prepare(bz_store *s, bz_st **out, const char *sql)
{
	bz_pg *pg = PG(s);
	char why[256];
	char *text = NULL;
	int nparams = 0;
	int code = bz_pg_translate(&text, &nparams, sql, why, sizeof why);
	if (code != BZ_OK) {
		snprintf(s->errmsg, sizeof s->errmsg, "postgresql: cannot translate the statement: %s", why);
		return code == BZ_ENOMEM ? SQLITE_NOMEM : SQLITE_ERROR;
	}
	pgst *p = bz__calloc(1, sizeof *p);
	if (!p) {
		bz__free(text);
		return SQLITE_NOMEM;
	}
	p->h.drv = &bz_store_pg_driver;
	p->h.store = s;
	p->row = -1;
	snprintf(p->name, sizeof p->name, "bz%u", ++pg->next_name);
	int rc = prepare_typed(s, p->name, text, nparams);
	if (rc != SQLITE_OK)
		trace_failure(s, "prepare", text);
	if (tracing())
		p->trace = text;
	else
		bz__free(text);
	if (rc == SQLITE_OK) {
		PGresult *res = PQdescribePrepared(pg->conn, p->name);
		rc = result_code(s, res);
		if (rc == SQLITE_OK)
			p->nparams = PQnparams(res);
		PQclear(res);
	}
	if (rc == SQLITE_OK && p->nparams < nparams)
		p->nparams = nparams;
	if (rc == SQLITE_OK && p->nparams > 0) {
		p->val = bz__calloc((size_t)p->nparams, sizeof *p->val);
		p->len = bz__calloc((size_t)p->nparams, sizeof *p->len);
		p->fmt = bz__calloc((size_t)p->nparams, sizeof *p->fmt);
		if (!p->val || !p->len || !p->fmt)
			rc = SQLITE_NOMEM;
	}
	if (rc != SQLITE_OK) {
		char keep[sizeof s->errmsg];
		memcpy(keep, s->errmsg, sizeof keep);
		pg_finalize(TAG(p));
		memcpy(s->errmsg, keep, sizeof keep);
		return rc;
	}
	*out = TAG(p);
	return SQLITE_OK;
}

static int pg_exec(bz_store *s, const char *sql)
{
	char why[256];
	char *text = NULL;
	int code = bz_pg_translate(&text, NULL, sql, why, sizeof why);
	if (code != BZ_OK) {
		snprintf(s->errmsg, sizeof s->errmsg, "postgresql: cannot translate the statement: %s", why);
		return code == BZ_ENOMEM ? SQLITE_NOMEM : SQLITE_ERROR;
	}
	PGresult *res = PQexec(PG(s)->conn, text);
	int rc = result_code(s, res);
	if (rc != SQLITE_OK)
		trace_failure(s, "exec", text);
	bz__free(text);
	if (rc == SQLITE_OK && PQresultStatus(res) == PGRES_COMMAND_OK) {
		const char *n = PQcmdTuples(res);
		PG(s)->changes = n && *n ? strtoll(n, NULL, 10) : 0;
	}
	PQclear(res);
	return rc;
}

/* SQL in PostgreSQL's own dialect (store.h: bz_store_exec_native) */
int bz__store_pg_exec_native(bz_store *s, const char *sql);
int bz__store_pg_exec_native(bz_store *s, const char *sql)
{
	PGresult *res = PQexec(PG(s)->conn, sql);
	int rc = result_code(s, res);
	if (rc == SQLITE_OK && PQresultStatus(res) == PGRES_COMMAND_OK) {
		const char *n = PQcmdTuples(res);
		PG(s)->changes = n && *n ? strtoll(n, NULL, 10) : 0;
	}
	PQclear(res);
	return rc;
}

/*
 * store.h bz_store_fk_check: the deferred keys checked now. The server
 * stops at the first violation (SQLSTATE 23503) and names its table and
 * key; the table referred to is the one the DETAIL names ("… is not
 * present in table \"person\"."). The transaction is aborted then: the
 * caller, told of the violation, rolls back.
 */
int bz__store_pg_fk_check(bz_store *s, int (*fn)(void *, const char *, const char *, const char *), void *ctx);
int bz__store_pg_fk_check(bz_store *s, int (*fn)(void *, const char *, const char *, const char *), void *ctx)
{
	PGresult *res = PQexec(PG(s)->conn, "SET CONSTRAINTS ALL IMMEDIATE");
	int rc = result_code(s, res);
	if (rc == SQLITE_CONSTRAINT_FOREIGNKEY) {
		const char *table = PQresultErrorField(res, PG_DIAG_TABLE_NAME);
		const char *detail = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL);
		char parent[128] = "";
		const char *p = detail ? strstr(detail, "in table \"") : NULL;
		if (p) {
			p += strlen("in table \"");
			size_t n = strcspn(p, "\"");
			snprintf(parent, sizeof parent, "%.*s", (int)(n < sizeof parent ? n : sizeof parent - 1), p);
		}
		rc = fn(ctx, table ? table : "?", detail ? detail : "?", parent) < 0 ? SQLITE_NOMEM : SQLITE_OK;
	} else if (rc != SQLITE_OK) {
		trace_failure(s, "exec", "SET CONSTRAINTS ALL IMMEDIATE");
	}
	PQclear(res);
	return rc;
}

/* a query of the driver's own: the first column of its one row as an integer (dflt if none) */
static int64_t pg_scalar(bz_store *s, const char *sql, int64_t dflt)
{
	PGresult *res = PQexec(PG(s)->conn, sql);
	int64_t v = dflt;
	if (result_code(s, res) == SQLITE_OK && PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) > 0 &&
	    !PQgetisnull(res, 0, 0))
		v = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	return v;
}

static int64_t pg_changes(bz_store *s)
{
	return PG(s)->changes;
}

static int64_t pg_last_id(bz_store *s)
{
	return pg_scalar(s, "SELECT sqlite_last_insert_rowid()", 0);
}

static bool pg_in_txn(bz_store *s)
{
	PGTransactionStatusType ts = PQtransactionStatus(PG(s)->conn);
	return ts == PQTRANS_INTRANS || ts == PQTRANS_INERROR || ts == PQTRANS_ACTIVE;
}

static int pg_busy(bz_store *s, int ms)
{
	char sql[64];
	snprintf(sql, sizeof sql, "SET lock_timeout = %d", ms);
	PGresult *res = PQexec(PG(s)->conn, sql);
	int rc = result_code(s, res);
	PQclear(res);
	return rc;
}

static void pg_close(bz_store *s)
{
	bz_pg *pg = PG(s);
	if (!pg)
		return;
	if (pg->conn)
		PQfinish(pg->conn);
	bz__free(pg);
	s->pg = NULL;
}

const char *bz__store_pg_schema(const bz_store *s);
const char *bz__store_pg_schema(const bz_store *s)
{
	return PG(s)->schema;
}

int bz__store_pg_pid(const bz_store *s);
int bz__store_pg_pid(const bz_store *s)
{
	return PG(s)->conn ? PQbackendPID(PG(s)->conn) : -1;
}

static bool schema_name_ok(const char *n, size_t len)
{
	if (len == 0 || len > BZ_STORE_SCHEMA_MAX || isdigit((unsigned char)n[0]))
		return false;
	for (size_t i = 0; i < len; i++)
		if (!(islower((unsigned char)n[i]) || isdigit((unsigned char)n[i]) || n[i] == '_'))
			return false;
	return true;
}

/*
 * uri without its schema=NAME parameter into conninfo (bz__malloc'd), the
 * name into schema. BZ_EINVAL with the message when there is none or it
 * is not a plain name.
 */
static int split_uri(bz_store *s, const char *uri, char **conninfo, char schema[BZ_STORE_SCHEMA_MAX + 1])
{
	*conninfo = NULL;
	const char *q = strchr(uri, '?');
	size_t len = strlen(uri);
	char *c = bz__malloc(len + 1);
	if (!c)
		return BZ_ENOMEM;
	bool found = false;
	size_t k = q ? (size_t)(q - uri) : len;
	memcpy(c, uri, k);
	c[k] = '\0';
	if (q) {
		bool first = true;
		for (const char *p = q + 1; *p;) {
			const char *e = strchr(p, '&');
			size_t n = e ? (size_t)(e - p) : strlen(p);
			if (n > 7 && strncmp(p, "schema=", 7) == 0) {
				if (!schema_name_ok(p + 7, n - 7)) {
					bz__free(c);
					snprintf(s->errmsg, sizeof s->errmsg,
						 "a ledger's schema name is 1 to %d of [a-z0-9_], not starting with a digit: "
						 "%.*s", BZ_STORE_SCHEMA_MAX, (int)(n - 7 > 80 ? 80 : n - 7), p + 7);
					return BZ_EINVAL;
				}
				memcpy(schema, p + 7, n - 7);
				schema[n - 7] = '\0';
				found = true;
			} else {
				c[k++] = first ? '?' : '&';
				memcpy(c + k, p, n);
				k += n;
				c[k] = '\0';
				first = false;
			}
			p = e ? e + 1 : p + n;
		}
	}
	if (!found) {
		bz__free(c);
		snprintf(s->errmsg, sizeof s->errmsg,
			 "a PostgreSQL ledger names its schema: postgresql://…?schema=NAME");
		return BZ_EINVAL;
	}
	*conninfo = c;
	return BZ_OK;
}

static int open_status(bz_store *s, int rc)
{
	int code = bz_store_status(s, rc);
	return code == BZ_ERROR ? BZ_EIO : code;
}

int bz__store_pg_open(bz_store *s, const char *uri, unsigned flags);
int bz__store_pg_open(bz_store *s, const char *uri, unsigned flags)
{
	bz_pg *pg = bz__calloc(1, sizeof *pg);
	if (!pg)
		return BZ_ENOMEM;
	s->pg = pg;
	char *conninfo = NULL;
	int code = split_uri(s, uri, &conninfo, pg->schema);
	if (code != BZ_OK)
		return code;
	pg->conn = PQconnectdb(conninfo);
	bz__free(conninfo);
	if (!pg->conn)
		return BZ_ENOMEM;
	if (PQstatus(pg->conn) != CONNECTION_OK) {
		set_msg(s, "cannot connect: ", PQerrorMessage(pg->conn), NULL);
		return BZ_EIO;
	}
	/* the schema's name is checked ([a-z0-9_]): quoting it is enough */
	char sql[256];
	PGresult *res;
	int rc;
	if (flags & BZ_OPEN_CREATE) {
		snprintf(sql, sizeof sql, "CREATE SCHEMA IF NOT EXISTS \"%s\"", pg->schema);
		res = PQexec(pg->conn, sql);
		rc = result_code(s, res);
		PQclear(res);
		if (rc != SQLITE_OK)
			return open_status(s, rc);
	} else {
		const char *params[1] = { pg->schema };
		res = PQexecParams(pg->conn, "SELECT 1 FROM pg_namespace WHERE nspname=$1", 1, NULL, params, NULL,
				   NULL, 0);
		rc = result_code(s, res);
		bool there = rc == SQLITE_OK && PQntuples(res) == 1;
		PQclear(res);
		if (rc != SQLITE_OK)
			return open_status(s, rc);
		if (!there) {
			snprintf(s->errmsg, sizeof s->errmsg, "postgresql: no ledger schema \"%s\" on the server "
				 "(open with BZ_OPEN_CREATE to create a ledger there)", pg->schema);
			return BZ_EIO;
		}
	}
	/* BZ_OPEN_READONLY is the library's (bz_txn_begin, backup, restore and
	 * the imports refuse it with BZ_EIO, as on a file), not the session's:
	 * default_transaction_read_only would refuse the temporary tables the
	 * self-inspection and verify compute in (CREATE TEMP TABLE is refused in
	 * a read-only transaction, even IF NOT EXISTS), so `bianzhi check` and
	 * Ledger.check on a read-only server ledger failed. A server's own
	 * guarantee is a role granted SELECT (and TEMPORARY) only. */
	snprintf(sql, sizeof sql, "SET search_path TO \"%s\"; SET client_encoding TO 'UTF8'; SET client_min_messages TO warning; SET lock_timeout = %d",
		 pg->schema, s->busy_ms);
	res = PQexec(pg->conn, sql);
	rc = result_code(s, res);
	PQclear(res);
	if (rc != SQLITE_OK)
		return open_status(s, rc);
	if (flags & BZ_OPEN_CREATE) {
		/* the compat functions, once per schema (a second CREATE OR REPLACE
		 * racing the first would fail: "tuple concurrently updated") */
		int64_t have = pg_scalar(s, "SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid=p.pronamespace"
					    " WHERE n.nspname=current_schema() AND p.proname='bz_append_only'", 0);
		if (have == 0) {
			res = PQexec(pg->conn, bz_pg_compat_sql);
			rc = result_code(s, res);
			PQclear(res);
			if (rc != SQLITE_OK)
				return open_status(s, rc);
		}
	}
	return BZ_OK;
}

const bz_store_driver bz_store_pg_driver = {
	.name = "postgresql",
	.bind_int64 = pg_bind_int64,
	.bind_text = pg_bind_text,
	.bind_blob = pg_bind_blob,
	.bind_null = pg_bind_null,
	.step = pg_step,
	.reset = pg_reset,
	.clear_bindings = pg_clear_bindings,
	.finalize = pg_finalize,
	.column_count = pg_column_count,
	.column_type = pg_column_type,
	.column_int64 = pg_column_int64,
	.column_text = pg_column_text,
	.column_blob = pg_column_blob,
	.column_bytes = pg_column_bytes,
	.busy = pg_busy_st,
	.param_count = pg_param_count,
	.prepare = pg_prepare,
	.exec = pg_exec,
	.changes = pg_changes,
	.last_id = pg_last_id,
	.in_txn = pg_in_txn,
	.set_busy_timeout = pg_busy,
	.close = pg_close,
};
