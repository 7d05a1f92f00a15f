/*
 * establishment_int.h: private helpers shared by the establishment,
 * leadership, sub-unit and check sources. Nothing here is part of the ABI.
 */
#ifndef BZ_ESTABLISHMENT_INT_H
#define BZ_ESTABLISHMENT_INT_H

#include "internal.h"

/* A growing list of dates, in order, without repeats. */
typedef struct bz_dates {
	char (*d)[BZ_DATE_LEN + 1];
	size_t n, cap;
} bz_dates;

/*
 * The states a checker must examine: `from` itself and every breakpoint in
 * [from, until] (until NULL: for ever) of up to three tl timelines (NULL
 * keys skipped) and of one fact timeline (fsubject, fattr; NULL for none).
 * Caller frees ds->d.
 */
BZ_INTERNAL int bz_check_dates(bz_ledger *l, bz_dates *ds, const char *const keys[3], const char *fsubject,
			       const char *fattr, const char *from, const char *until);

/* Branch, natures and (malloc'd) name of a category; any out may be NULL. ENOTFOUND. */
BZ_INTERNAL int bz_category_info(bz_ledger *l, const char *code, int *branch, int *natures, char **name);

#endif
