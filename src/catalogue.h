/*
 * catalogue.h: the facts that the areas and the rules both read — counter
 * keys, categories, units and jurisdictions at a date, documents, rule
 * parameters — below both layers, so that neither calls into the other.
 * Nothing here is part of the ABI.
 */
#ifndef BZ_CATALOGUE_H
#define BZ_CATALOGUE_H

#include "internal.h"

/* ---- counter keys: built here and nowhere else ------------------------- */

#define BZ_KEY_MAX 128

/* What a unit × category (or jurisdiction × branch) counter counts. */
typedef enum bz_counter {
	BZ_CNT_EST = 0,   /* establishment */
	BZ_CNT_STAFF = 1, /* in post */
	BZ_CNT_RESV = 2,  /* reserved by live usage slips */
	BZ_CNT_FROZEN = 3 /* frozen posts (冻结) */
} bz_counter;

/* "U:<unit>:<what>:<category>" */
BZ_INTERNAL void bz_key_unit(char buf[BZ_KEY_MAX], const char *unit, bz_counter what, const char *category);
/* "J:<jurisdiction>:<what>:<branch>" */
BZ_INTERNAL void bz_key_jur(char buf[BZ_KEY_MAX], const char *jur, bz_counter what, int branch);
/* "L:<subject>:principal|deputy" (post: BZ_POST_PRINCIPAL / BZ_POST_DEPUTY) */
BZ_INTERNAL void bz_key_leaders(char buf[BZ_KEY_MAX], const char *subject, int post);
/* "S:<unit>:count" */
BZ_INTERNAL void bz_key_subunits(char buf[BZ_KEY_MAX], const char *unit);

/* fact attributes of the same figures: "est:<cat>", "frozen:<cat>", "limit:<branch>", "plan:<year>" */
BZ_INTERNAL void bz_attr_est(char buf[BZ_KEY_MAX], const char *category);
BZ_INTERNAL void bz_attr_frozen(char buf[BZ_KEY_MAX], const char *category);
BZ_INTERNAL void bz_attr_limit(char buf[BZ_KEY_MAX], int branch);
BZ_INTERNAL void bz_attr_plan(char buf[BZ_KEY_MAX], int year);

/* ---- documents --------------------------------------------------------- */

/* Load a document; ENOTFOUND (message set) if none. Release with bz_docinfo_clear. */
BZ_INTERNAL int bz_docinfo_load(bz_ledger *l, bz_docinfo *d, const char *uuid);
BZ_INTERNAL void bz_docinfo_clear(bz_docinfo *d);

/* ---- jurisdictions, units, categories ---------------------------------- */

/* UUID of the jurisdiction with that division code (malloc'd); ENOTFOUND if none. */
BZ_INTERNAL int bz_jurisdiction_id(bz_ledger *l, const char *code, char **uuid);
/* Level and "code name" label (malloc'd) of a jurisdiction by UUID; either out may be NULL. */
BZ_INTERNAL int bz_jurisdiction_info(bz_ledger *l, const char *id, int *level, char **label);
/*
 * Whether the jurisdiction with division code `anc` is `code` itself or one
 * of its ancestors (its parent chain in the ledger). *known false when the
 * ledger has no jurisdiction `code`.
 */
BZ_INTERNAL int bz_jurisdiction_in_chain(bz_ledger *l, const char *code, const char *anc, bool *yes);

/* Branch, natures and (malloc'd) name of a category; any out may be NULL. ENOTFOUND. */
BZ_INTERNAL int bz_category_info(bz_ledger *l, const char *code, int *branch, int *natures, char **name);

/* BZ_OK if the unit exists, ENOTFOUND (message set) if not. */
BZ_INTERNAL int bz_unit_exists(bz_ledger *l, const char *unit_uuid);
BZ_INTERNAL int bz_unit_alive(bz_ledger *l, const char *unit_uuid, const char *date, bool *alive);
/* Founding date (11 bytes) and end date (11 bytes, "" while in being) of a unit. */
BZ_INTERNAL int bz_unit_life(bz_ledger *l, const char *unit_uuid, char founded[BZ_DATE_LEN + 1],
			     char ended[BZ_DATE_LEN + 1]);
/* Name at date (NULL: the latest), malloc'd; ENOTFOUND if no unit. */
BZ_INTERNAL int bz_unit_name_at(bz_ledger *l, const char *unit_uuid, const char *date, char **name);
BZ_INTERNAL int bz_unit_nature_at(bz_ledger *l, const char *unit_uuid, const char *date, int *nature);
/* UUID of the unit's jurisdiction (malloc'd). */
BZ_INTERNAL int bz_unit_jurisdiction_of(bz_ledger *l, const char *unit_uuid, char **jur_uuid);
/* Division code of the unit's jurisdiction (7 bytes). */
BZ_INTERNAL int bz_unit_division(bz_ledger *l, const char *unit_uuid, char code[8]);
/* Name (malloc'd) and birth date (11 bytes, may be NULL) of a person; ENOTFOUND. */
BZ_INTERNAL int bz_person_name_of(bz_ledger *l, const char *person, char **name, char birth[BZ_DATE_LEN + 1]);

/* End of a sub-unit (abolition date into buf, 11 bytes; *ended false while in being). */
BZ_INTERNAL int bz_subunit_end_at(bz_ledger *l, const char *sub, char buf[BZ_DATE_LEN + 1], bool *ended);
/* Name (malloc'd) of a leadership subject at date: a unit's, or a sub-unit's (its first name before it existed). */
BZ_INTERNAL int bz_leader_subject_name(bz_ledger *l, const char *subject, bool is_sub, const char *date, char **name);
/* Leadership norm of kind (BZ_NORM_*) and rank at date: the dated rule data, else the norms table. */
BZ_INTERNAL int bz_leadership_norm_at(bz_ledger *l, int kind, int rank, const char *date, int *principal,
				      int *deputy);

/* ---- rule parameters (dated data: facts of the pseudo-subject "rules") --- */

#define BZ_RULES_SUBJECT "rules"

/* Value of a parameter at date (malloc'd, NULL if never set); the built-in default is not applied. */
BZ_INTERNAL int bz_param_at(bz_ledger *l, char **out, const char *name, const char *date);
/* Integer parameter at date, dflt if unset or not a number. */
BZ_INTERNAL int bz_param_int_at(bz_ledger *l, int64_t *out, const char *name, const char *date, int64_t dflt);

/* ---- the units' 机构编制管理证 (unitcert.c), shared with R14 (rules_unitcert.c) --- */

/* "unitcert.validity_years" at date, its default applied */
BZ_INTERNAL int bz_unitcert_years(bz_ledger *l, const char *date, int *years);
/* The last valid day of a certificate issued on issued for years (the day before the same day years later). */
BZ_INTERNAL void bz_unitcert_until(char out[BZ_DATE_LEN + 1], const char *issued, int years);
/* bz_unitcert_phase of a certificate at date; end_kind 0 (not ended), 1 voided, 2 renewed on end */
BZ_INTERNAL int bz_unitcert_state_at(const char *issued, const char *until, const char *end, int end_kind,
				     const char *date);

#endif
