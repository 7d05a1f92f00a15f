/*
 * document.h: approval documents (文件依据), the basis of every change.
 *
 * A document has an issuer (发文机关, e.g. "陇南市机构编制委员会"), a number
 * (文号, e.g. "陇编发〔2012〕31号": issuer abbreviation, year in 〔〕,
 * sequence, 号), a title, a date, the issuer's level and kind. Only
 * establishment-authority, Party-committee and government documents can be
 * the basis of a change; a business department's document never is (R6,
 * seed §17.1), though it may be registered for the record.
 */
#ifndef BIANZHI_DOCUMENT_H
#define BIANZHI_DOCUMENT_H

#include "txn.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct bz_document bz_document;

/** Level of an issuing body (also used for jurisdictions). */
typedef enum bz_level {
	BZ_LEVEL_CENTRAL = 1,  /**< 中央 */
	BZ_LEVEL_PROVINCE = 2, /**< 省 */
	BZ_LEVEL_CITY = 3,     /**< 市（州） */
	BZ_LEVEL_COUNTY = 4    /**< 县（区） */
} bz_level;

/** Kind of an issuing body. */
typedef enum bz_issuer_kind {
	BZ_ISSUER_ESTABLISHMENT = 1, /**< 机构编制部门 (编委, 编办) */
	BZ_ISSUER_PARTY = 2,         /**< 党委 */
	BZ_ISSUER_GOVERNMENT = 3,    /**< 政府 */
	BZ_ISSUER_BUSINESS = 4       /**< 业务主管部门: never a basis */
} bz_issuer_kind;

/**
 * Parse a document number (文号). Accepts 〔〕, [] and （）/() around the
 * year, with or without the final 号. Any out-parameter may be NULL.
 * *canonical gets the number written with 〔〕 and 号 (free with bz_free());
 * *abbr the issuer abbreviation (free with bz_free()).
 * BZ_EINVAL if the text is not a document number (no abbreviation, a year
 * that is not four digits from 1949 to 2999, a sequence that is not a
 * positive integer, anything after 号).
 */
BZ_EXTERN int bz_docnum_parse(char **canonical, char **abbr, int *year, int *seq, const char *number);

/**
 * Register a document in the ledger, inside a transaction. number is parsed
 * and stored in canonical form; the pair (issuer, canonical number) is
 * unique (BZ_EEXISTS). date is the document's date; level one of bz_level,
 * kind one of bz_issuer_kind; jurisdiction_code the 6-digit division code of
 * the issuing body's jurisdiction, or NULL for central documents.
 * On success *out (owned by the caller, free with bz_document_free()) is the
 * new document; pass its UUID to bz_txn_set_document() to rest changes on it.
 */
BZ_EXTERN int bz_document_register(bz_document **out, bz_txn *txn, const char *issuer,
				   const char *number, const char *title, const char *date,
				   int level, int kind, const char *jurisdiction_code);

/** Look a document up by UUID. *out owned by the caller (bz_document_free()). */
BZ_EXTERN int bz_document_lookup(bz_document **out, bz_ledger *ledger, const char *uuid);

/** Look a document up by issuer and number (any accepted spelling). */
BZ_EXTERN int bz_document_find(bz_document **out, bz_ledger *ledger, const char *issuer, const char *number);

/* Fields. Strings are borrowed: valid until bz_document_free(). */
BZ_EXTERN const char *bz_document_uuid(const bz_document *d);
BZ_EXTERN const char *bz_document_issuer(const bz_document *d);
/** The canonical number, e.g. "陇编发〔2012〕31号". */
BZ_EXTERN const char *bz_document_number(const bz_document *d);
BZ_EXTERN const char *bz_document_title(const bz_document *d);
BZ_EXTERN const char *bz_document_date(const bz_document *d);
BZ_EXTERN int bz_document_level(const bz_document *d);
/** Kind of the issuer, one of bz_issuer_kind. */
BZ_EXTERN int bz_document_kind(const bz_document *d);
/** Division code of the issuer's jurisdiction; NULL if none. */
BZ_EXTERN const char *bz_document_jurisdiction(const bz_document *d);

BZ_EXTERN void bz_document_free(bz_document *d);

#ifdef __cplusplus
}
#endif
#endif
