/*
 * archive_int.h: what the self-inspection needs of the files behind the
 * documents (archive.c). Nothing here is part of the ABI.
 */
#ifndef BZ_ARCHIVE_INT_H
#define BZ_ARCHIVE_INT_H

#include "internal.h"

/* One attached file whose stored bytes disagree with its change record. */
typedef struct bz_file_problem {
	const char *file, *document, *number, *name; /* file UUID, document UUID and 文号, file name */
	long long seq;                               /* the change record that attached it */
	const char *recorded;                        /* SHA-256 the record wrote */
	const char *stored;                          /* SHA-256 of the bytes now ("" if they are gone) */
	const char *message;                         /* what is wrong, in words */
} bz_file_problem;

/*
 * Hash again the bytes of every file attached on or before until (NULL:
 * every one) and call bad() for each that disagrees with its record; a
 * non-BZ_OK return of bad() stops the walk and is returned. *checked (may
 * be NULL) gets the number of files checked. Runs in the caller's read
 * transaction, if any.
 */
BZ_INTERNAL int bz_files_check(bz_ledger *l, const char *until, int64_t *checked,
			       int (*bad)(void *ctx, const bz_file_problem *p), void *ctx);

#endif
