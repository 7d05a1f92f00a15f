/*
 * prog.c: a program outside the tree, built by tests/install.sh against an
 * installed libbianzhi with `cc prog.c $(pkg-config --cflags --libs bianzhi)`.
 * It prints what tests/install.sh compares against.
 */
#include <stdio.h>
#include <string.h>

#include <bianzhi.h>

static int fail(const char *what, int rc, bz_ledger *l)
{
	fprintf(stderr, "%s: %s (%s)\n", what, bz_strerror(rc), l ? bz_ledger_errmsg(l) : "");
	return 1;
}

int main(void)
{
	bz_ledger *l = NULL;
	bz_txn *t = NULL;
	bz_document *doc = NULL;
	bz_jurisdiction *j = NULL;
	int rc, schema = 0;

	if (strcmp(bz_version(), BZ_VERSION_STRING) != 0 || bz_version_number() != BZ_VERSION_NUMBER) {
		fprintf(stderr, "header version %s, library %s\n", BZ_VERSION_STRING, bz_version());
		return 1;
	}
	if ((rc = bz_ledger_open(&l, ":memory:", BZ_OPEN_CREATE)) != BZ_OK)
		return fail("open", rc, l);
	if ((rc = bz_ledger_schema_version(&schema, l)) != BZ_OK)
		return fail("schema", rc, l);
	if ((rc = bz_txn_begin(&t, l, "installer", "编办")) != BZ_OK)
		return fail("begin", rc, l);
	rc = bz_document_register(&doc, t, "甘肃省机构编制委员会", "甘编发〔2020〕1号", "区划",
				  "2020-01-01", BZ_LEVEL_PROVINCE, BZ_ISSUER_ESTABLISHMENT, "620000");
	if (rc == BZ_OK)
		rc = bz_txn_set_document(t, bz_document_uuid(doc));
	if (rc == BZ_OK)
		rc = bz_jurisdiction_create(NULL, t, "620000", "甘肃省", NULL);
	if (rc == BZ_OK)
		rc = bz_txn_commit(t);
	bz_document_free(doc);
	bz_txn_free(t);
	if (rc != BZ_OK)
		return fail("transaction", rc, l);
	if ((rc = bz_jurisdiction_lookup(&j, l, "620000")) != BZ_OK)
		return fail("lookup", rc, l);
	printf("libbianzhi %s schema %d: %s %s\n", bz_version(), schema, bz_jurisdiction_code(j),
	       bz_jurisdiction_name(j));
	bz_jurisdiction_free(j);
	return bz_ledger_close(l) == BZ_OK ? 0 : 1;
}
