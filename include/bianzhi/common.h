/*
 * libbianzhi — the books of China's institutional establishment (机构编制).
 *
 * common.h: the export macro, status codes, version, and the conventions
 * every other header relies on.
 *
 * Conventions (they hold for every public function unless its comment says
 * otherwise):
 *  - A function that can fail returns an int: BZ_OK (0) or a negative BZ_E…
 *    code. Results come back through out-parameters, which are listed first.
 *  - A NULL where a pointer is required gives BZ_EINVAL.
 *  - A function never aborts, prints or exits.
 *  - Strings crossing the API are UTF-8 and NUL-terminated; invalid UTF-8 is
 *    rejected with BZ_EINVAL.
 *  - Dates are ISO "YYYY-MM-DD" strings, validated against the calendar.
 *  - Identifiers of entities are UUIDs in their canonical 36-character
 *    lower-case text form.
 *  - Every object the library gives you says, in its header, how it is
 *    released: "owned by the caller, free with bz_x_free()" or "borrowed,
 *    valid until …". Every bz_x_free() accepts NULL.
 */
#ifndef BIANZHI_COMMON_H
#define BIANZHI_COMMON_H

#include <stddef.h>
#include <stdint.h>

#if defined(_WIN32)
#  if defined(BZ_BUILDING_LIBRARY)
#    define BZ_EXTERN __declspec(dllexport)
#  else
#    define BZ_EXTERN
#  endif
#elif defined(__GNUC__) && defined(BZ_BUILDING_LIBRARY)
#  define BZ_EXTERN __attribute__((visibility("default")))
#else
#  define BZ_EXTERN
#endif

#ifdef __cplusplus
extern "C" {
#endif

/** Compile-time version of the headers. */
#define BZ_VERSION_MAJOR 1
#define BZ_VERSION_MINOR 3
#define BZ_VERSION_PATCH 5
#define BZ_VERSION_STRING "1.3.5"
/** One number that grows with every release: 0xMMmmpp. */
#define BZ_VERSION_NUMBER ((BZ_VERSION_MAJOR << 16) | (BZ_VERSION_MINOR << 8) | BZ_VERSION_PATCH)

/** Length of a UUID in text form, without the NUL. */
#define BZ_UUID_LEN 36
/** Length of an ISO date "YYYY-MM-DD", without the NUL. */
#define BZ_DATE_LEN 10

/** Status codes. BZ_OK is success; every error is negative. */
typedef enum bz_status {
	BZ_OK = 0,
	BZ_ERROR = -1,       /**< an error that fits no other code */
	BZ_EINVAL = -2,      /**< invalid argument: NULL, malformed date, bad UTF-8, … */
	BZ_ENOTFOUND = -3,   /**< the entity asked for does not exist */
	BZ_EEXISTS = -4,     /**< an entity with that unique key already exists */
	BZ_ECONSTRAINT = -5, /**< the rules refused the change; see the violation report */
	BZ_EBUSY = -6,       /**< the ledger file is locked by another connection */
	BZ_EIO = -7,         /**< the ledger file could not be read or written */
	BZ_ENOMEM = -8,      /**< out of memory */
	BZ_EMISUSE = -9,     /**< call out of sequence: a closed handle, a second open transaction, … */
	BZ_ENOTLEDGER = -10, /**< the file is not a libbianzhi ledger */
	BZ_ESCHEMA = -11,    /**< the ledger was written by a newer library (schema too new), or an older one
			      *   opened read-only (it needs migrating, which only a writable handle does) */
	BZ_ECORRUPT = -12,   /**< the ledger file is damaged */
	BZ_ITEROVER = 1      /**< not an error: an iterator has no more items */
} bz_status;

/**
 * Static English text for a status code; never NULL, never to be freed.
 * Unknown codes give "unknown status".
 */
BZ_EXTERN const char *bz_strerror(int status);

/** Run-time version of the library, "MAJOR.MINOR.PATCH"; static, never freed. */
BZ_EXTERN const char *bz_version(void);

/** Run-time version as BZ_VERSION_NUMBER would have been at build time. */
BZ_EXTERN int bz_version_number(void);

/**
 * Release memory the library gave out as a plain string (functions whose
 * comment says "free with bz_free()"). NULL is fine.
 */
BZ_EXTERN void bz_free(void *ptr);

/**
 * The first and the last date any function accepts (since 1.1; 1.0 took
 * years 0001–9999): every date that crosses the API lies in this range, and
 * one outside it is BZ_EINVAL like a malformed one. The library reads
 * "9999-12-31" as "for ever" and adds a day to the dates it is given (a
 * usage slip valid until D reserves up to D + 1), so the last date leaves
 * room for both.
 */
#define BZ_DATE_MIN "1900-01-01"
#define BZ_DATE_MAX "9998-12-31"

/**
 * The largest count any function accepts (since 1.1): the posts of a usage
 * slip, an establishment figure, a quota limit, a hiring plan. A count
 * outside 0 … BZ_COUNT_MAX (1 … BZ_COUNT_MAX where zero makes no sense, as
 * for a slip) is BZ_EINVAL. Sums of counts over a jurisdiction are int64_t
 * and cannot overflow.
 */
#define BZ_COUNT_MAX 10000000

/**
 * Check an ISO date "YYYY-MM-DD" against the Gregorian calendar and the
 * bounds BZ_DATE_MIN … BZ_DATE_MAX. Returns BZ_OK or BZ_EINVAL (for NULL,
 * wrong shape, month 13, 2023-02-29, 1899-12-31, 9999-12-31…).
 */
BZ_EXTERN int bz_date_valid(const char *date);

#ifdef __cplusplus
}
#endif
#endif
