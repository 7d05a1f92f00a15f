/*
 * jurisdiction.h: jurisdictions (行政区划 / 编制管理层级), a tree of
 * 6-digit division codes: province (XX0000) → city (XXYY00) → county or
 * district (XXYYZZ). Each keeps its own quota limits (see establishment.h).
 */
#ifndef BIANZHI_JURISDICTION_H
#define BIANZHI_JURISDICTION_H

#include "document.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct bz_jurisdiction bz_jurisdiction;
typedef struct bz_jurisdiction_iter bz_jurisdiction_iter;

/**
 * Add a jurisdiction inside a transaction. code: 6 digits; its level
 * (BZ_LEVEL_PROVINCE, _CITY or _COUNTY) follows from the code's trailing
 * zeros. parent_code: the code of the jurisdiction above (must exist and be
 * one level up, with the matching prefix), or NULL for a province.
 * BZ_EINVAL for a malformed code or wrong parent, BZ_EEXISTS if the code is
 * taken. *out may be NULL if the caller does not want the object; otherwise
 * it is owned by the caller (bz_jurisdiction_free()).
 */
BZ_EXTERN int bz_jurisdiction_create(bz_jurisdiction **out, bz_txn *txn, const char *code,
				     const char *name, const char *parent_code);

/** Look a jurisdiction up by its division code. */
BZ_EXTERN int bz_jurisdiction_lookup(bz_jurisdiction **out, bz_ledger *ledger, const char *code);

/**
 * The jurisdictions directly under parent_code (NULL: the top-level ones),
 * by code. *out owned by the caller (bz_jurisdiction_iter_free()).
 */
BZ_EXTERN int bz_jurisdiction_children(bz_jurisdiction_iter **out, bz_ledger *ledger, const char *parent_code);
/** Next item into *out (owned by the caller), or BZ_ITEROVER. */
BZ_EXTERN int bz_jurisdiction_iter_next(bz_jurisdiction **out, bz_jurisdiction_iter *it);
BZ_EXTERN void bz_jurisdiction_iter_free(bz_jurisdiction_iter *it);

/* Fields; strings borrowed until bz_jurisdiction_free(). */
BZ_EXTERN const char *bz_jurisdiction_uuid(const bz_jurisdiction *j);
BZ_EXTERN const char *bz_jurisdiction_code(const bz_jurisdiction *j);
BZ_EXTERN const char *bz_jurisdiction_name(const bz_jurisdiction *j);
/** Parent's code, NULL for a top-level jurisdiction. */
BZ_EXTERN const char *bz_jurisdiction_parent(const bz_jurisdiction *j);
BZ_EXTERN int bz_jurisdiction_level(const bz_jurisdiction *j);
BZ_EXTERN void bz_jurisdiction_free(bz_jurisdiction *j);

#ifdef __cplusplus
}
#endif
#endif
