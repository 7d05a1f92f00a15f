/*
 * appointment.h: leadership appointments (领导职务任职): a person holding a
 * principal (正职) or deputy (副职) leadership post of a unit or of an
 * internal sub-unit, from a date to a date. Leaders in post may not exceed
 * the leadership quota (R2, see leadership.h).
 */
#ifndef BIANZHI_APPOINTMENT_H
#define BIANZHI_APPOINTMENT_H

#include "txn.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct bz_appointment bz_appointment;
typedef struct bz_appointment_iter bz_appointment_iter;

/** The post. */
typedef enum bz_post {
	BZ_POST_PRINCIPAL = 1, /**< 正职 */
	BZ_POST_DEPUTY = 2     /**< 副职 */
} bz_post;

/**
 * Appoint a person to a post (bz_post) of a unit or sub-unit (subject_uuid)
 * from date on. *out may be NULL; otherwise owned by the caller
 * (bz_appointment_free()). BZ_ENOTFOUND for an unknown person or subject.
 */
BZ_EXTERN int bz_appointment_make(bz_appointment **out, bz_txn *txn, const char *person_uuid,
				  const char *subject_uuid, int post, const char *date);
/**
 * Appoint as bz_appointment_make(), stating the person's own rank (职级, a
 * bz_rank; BZ_RANK_NONE states none, as bz_appointment_make()). The post's
 * level is the principal post's level in the subject's leadership quota
 * (bz_leadership_level(), or the subject's rank when the quota fixes none),
 * one step lower for a deputy post. A rank above it is 高配 (a leader
 * ranked above the post): an R2 error at commit (subject the person,
 * category "high-rank", allowed the post's level, actual the rank) unless
 * a document says so — an R2 exception granted to the person on the
 * appointment's date, bz_exception_grant(txn, BZ_RULE_R2, person_uuid,
 * date), which keeps the violation as a warning citing that document.
 * BZ_EINVAL for a rank outside bz_rank. Since 1.1.
 */
BZ_EXTERN int bz_appointment_make_ranked(bz_appointment **out, bz_txn *txn, const char *person_uuid,
					 const char *subject_uuid, int post, int rank, const char *date);
/** Remove the person from the post on date (免职). BZ_EINVAL if already ended or date not after the start. */
BZ_EXTERN int bz_appointment_end(bz_txn *txn, const char *appointment_uuid, const char *date);
/** The appointments of a unit or sub-unit in force at date (NULL: today). */
BZ_EXTERN int bz_appointment_list(bz_appointment_iter **out, bz_ledger *ledger, const char *subject_uuid,
				  const char *date);
BZ_EXTERN int bz_appointment_iter_next(bz_appointment **out, bz_appointment_iter *it);
BZ_EXTERN void bz_appointment_iter_free(bz_appointment_iter *it);

/* Fields; strings borrowed until bz_appointment_free(). */
BZ_EXTERN const char *bz_appointment_uuid(const bz_appointment *a);
BZ_EXTERN const char *bz_appointment_person(const bz_appointment *a);
BZ_EXTERN const char *bz_appointment_subject(const bz_appointment *a);
BZ_EXTERN int bz_appointment_post(const bz_appointment *a);
/** The person's rank stated for the post (bz_rank); BZ_RANK_NONE if none was stated. Since 1.1. */
BZ_EXTERN int bz_appointment_rank(const bz_appointment *a);
BZ_EXTERN const char *bz_appointment_start(const bz_appointment *a);
/** End date, NULL while in post. */
BZ_EXTERN const char *bz_appointment_end_date(const bz_appointment *a);
BZ_EXTERN void bz_appointment_free(bz_appointment *a);

#ifdef __cplusplus
}
#endif
#endif
