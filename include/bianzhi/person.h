/*
 * person.h: people on the real-name roster (实有人员).
 *
 * A person is identified by an 18-character resident ID number (居民身份证
 * 号码, GB 11643): 6-digit region, YYYYMMDD birth date, 3-digit sequence
 * whose parity is the sex (odd male), and an ISO 7064 MOD 11-2 check
 * character (0–9 or X). Name, sex and birth date must agree with it.
 * Further attributes (民族, 政治面貌, 学历, 职务, 职称, 参加工作时间, …) are
 * key/value pairs, so a vendor can keep more fields without an ABI change.
 */
#ifndef BIANZHI_PERSON_H
#define BIANZHI_PERSON_H

#include "txn.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct bz_person bz_person;

/** Sex, as the ID number's sequence encodes it. */
typedef enum bz_sex {
	BZ_SEX_MALE = 1,  /**< 男: odd sequence */
	BZ_SEX_FEMALE = 2 /**< 女: even sequence */
} bz_sex;

/**
 * Check an ID number: 18 characters (17 digits and a check character, 'x'
 * accepted for 'X'), a real birth date from 1900-01-01 to today (the
 * system's clock), a region other than 000000, the right check character.
 * BZ_OK or BZ_EINVAL.
 */
BZ_EXTERN int bz_idnum_valid(const char *id_number);

/**
 * The canonical 18-character form of an ID number: upper-case X, and a
 * legacy 15-digit number converted (insert "19" before its 2-digit year,
 * append the check character). *out owned by the caller (bz_free()).
 * BZ_EINVAL if the number is not valid.
 */
BZ_EXTERN int bz_idnum_normalize(char **out, const char *id_number);

/**
 * Register a person, inside a transaction. id_number is stored canonical;
 * BZ_EINVAL if it is not a number in form (length, digits, a real birth
 * date, the check character), BZ_EEXISTS if already registered. A number
 * in form whose region is 000000 or whose birth date is before 1900-01-01
 * or after the registration date (the ledger's today, see
 * bz_ledger_set_clock()) is an R10 violation at commit (category
 * "id_number"). sex (bz_sex) and birth ("YYYY-MM-DD") may be 0 / NULL to
 * take them from the number; given values that disagree with it are an R10
 * violation at commit (category "sex", "birth"). *out may be NULL;
 * otherwise it is owned by the caller (bz_person_free()).
 */
BZ_EXTERN int bz_person_register(bz_person **out, bz_txn *txn, const char *id_number,
				 const char *name, int sex, const char *birth);

/**
 * Set (value non-NULL) or clear (NULL) the attribute key of a person from
 * date on (NULL: today). key: non-empty UTF-8 such as "民族", "学历".
 */
BZ_EXTERN int bz_person_set_attr(bz_txn *txn, const char *person_uuid, const char *key,
				 const char *value, const char *date);

/** Look a person up by UUID; the attributes are those in force today. */
BZ_EXTERN int bz_person_lookup(bz_person **out, bz_ledger *ledger, const char *uuid);
/** Look a person up by ID number (any accepted spelling, 15 or 18 digits). */
BZ_EXTERN int bz_person_lookup_idnum(bz_person **out, bz_ledger *ledger, const char *id_number);
/** Look a person up by management card number (see placement.h). */
BZ_EXTERN int bz_person_lookup_card(bz_person **out, bz_ledger *ledger, const char *card_number);

/* Fields; strings borrowed until bz_person_free(). */
BZ_EXTERN const char *bz_person_uuid(const bz_person *p);
BZ_EXTERN const char *bz_person_id_number(const bz_person *p);
BZ_EXTERN const char *bz_person_name(const bz_person *p);
BZ_EXTERN int bz_person_sex(const bz_person *p);
BZ_EXTERN const char *bz_person_birth(const bz_person *p);
/** Management card number, NULL until the person's first entry. */
BZ_EXTERN const char *bz_person_card(const bz_person *p);
/** Number of attributes in force; the index-th key and value (NULL past the end). */
BZ_EXTERN size_t bz_person_attr_count(const bz_person *p);
BZ_EXTERN const char *bz_person_attr_key(const bz_person *p, size_t index);
BZ_EXTERN const char *bz_person_attr_value(const bz_person *p, size_t index);
/** Value of attribute key, NULL if not set. */
BZ_EXTERN const char *bz_person_attr(const bz_person *p, const char *key);
BZ_EXTERN void bz_person_free(bz_person *p);

#ifdef __cplusplus
}
#endif
#endif
