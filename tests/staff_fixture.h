/* staff_fixture.h: a Longnan ledger with units and establishment, for the staff suites. */
#ifndef BZ_STAFF_FIXTURE_H
#define BZ_STAFF_FIXTURE_H

#include "unit_fixture.h"

#include <stdlib.h>

/* An ID number with a computed check character: region (6), birth YYYYMMDD, sequence (3). */
static inline void sf_idnum(char out[19], const char *region, const char *birth8, int seq)
{
	static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
	snprintf(out, 19, "%.6s%.8s%03d", region, birth8, seq % 1000);
	int sum = 0;
	for (int i = 0; i < 17; i++)
		sum += (out[i] - '0') * w[i];
	out[17] = "10X98765432"[sum % 11];
	out[18] = '\0';
}

static inline void sf_person(fx *f, char out[BZ_UUID_LEN + 1], const char *name, const char *birth8, int seq)
{
	char id[19];
	sf_idnum(id, "621202", birth8, seq);
	bz_txn *t = tu_begin(f->l);
	bz_person *p = NULL;
	ck_assert_bz(bz_person_register(&p, t, id, name, 0, NULL));
	memcpy(out, bz_person_uuid(p), BZ_UUID_LEN + 1);
	bz_person_free(p);
	ck_assert_bz(bz_txn_commit(t));
	bz_txn_free(t);
}

/* issue a slip in its own transaction; returns the commit's status */
static inline int sf_slip(fx *f, char out[BZ_UUID_LEN + 1], const char *unit, const char *cat, int posts,
			  const char *issued, const char *until)
{
	bz_txn *t = tu_begin(f->l);
	ck_assert_bz(bz_txn_set_document(t, fx_doc_for(f, unit)));
	bz_slip *s = NULL;
	ck_assert_bz(bz_slip_issue(&s, t, unit, cat, posts, BZ_PURPOSE_RECRUIT, issued, until, NULL));
	if (out)
		memcpy(out, bz_slip_uuid(s), BZ_UUID_LEN + 1);
	bz_slip_free(s);
	int rc = bz_txn_commit(t);
	bz_txn_free(t);
	return rc;
}

static inline int sf_hire(fx *f, const char *person, const char *unit, const char *cat, const char *slip,
			  const char *date)
{
	bz_txn *t = tu_begin(f->l);
	ck_assert_bz(bz_txn_set_document(t, fx_doc_for(f, unit)));
	ck_assert_bz(bz_placement_enter(NULL, t, person, unit, cat, slip, BZ_ENTRY_RECRUIT, date));
	int rc = bz_txn_commit(t);
	bz_txn_free(t);
	return rc;
}

#endif
