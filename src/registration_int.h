/*
 * registration_int.h: what registration.c (the area: recording, reading,
 * the sheets) and rules_registration.c (R12, R13) share. Nothing here is
 * part of the ABI.
 */
#ifndef BZ_REGISTRATION_INT_H
#define BZ_REGISTRATION_INT_H

#include "catalogue.h"

/* the date year + tail ("-12-31"), the year clamped to 0 … 9999 */
BZ_INTERNAL void bz_reg_ymd(char out[BZ_DATE_LEN + 1], int year, const char *tail);
/* the fact attribute of a bz_reg_field ("reg.name" …), NULL if none */
BZ_INTERNAL const char *bz_reg_field_attr(int field);
/* the registration's state at date (0 never registered, else bz_reg_state) and since when (may be NULL) */
BZ_INTERNAL int bz_reg_state_at(bz_ledger *l, const char *unit, const char *date, int *state,
				char since[BZ_DATE_LEN + 1]);
/* the founding registration's date, "" if none */
BZ_INTERNAL int bz_reg_first(bz_ledger *l, const char *unit, char out[BZ_DATE_LEN + 1]);
/* the date of the last change of subject's attr on or before date, "" if none */
BZ_INTERNAL int bz_reg_last_change(bz_ledger *l, const char *subject, const char *attr, const char *date,
				   char out[BZ_DATE_LEN + 1]);
/* an integer rule parameter "registration.*" at date, its default applied */
BZ_INTERNAL int bz_reg_param(bz_ledger *l, const char *name, const char *date, int64_t *out);
/* the report of year's deadline before its grace: year+1 and mmdd (the parameter
 * "registration.report_due" as of 1 January; NULL: its default) */
BZ_INTERNAL void bz_reg_due_day(char out[BZ_DATE_LEN + 1], int year, const char *mmdd);
/* the last day (grace included) to file the annual report of year */
BZ_INTERNAL int bz_reg_report_due(bz_ledger *l, int year, char out[BZ_DATE_LEN + 1]);
/* in-post staff and establishment of a unit at date, summed over its categories */
BZ_INTERNAL int bz_reg_ledger_figures(bz_ledger *l, const char *unit, const char *date, int64_t *staff,
				      int64_t *est);
/* the report of year as filed by date (NULL: any): filed "" if none; stated staff, establishment, funds */
BZ_INTERNAL int bz_reg_report_read(bz_ledger *l, const char *unit, int year, const char *date,
				   char filed[BZ_DATE_LEN + 1], int64_t stated[3]);
/* the ledger's staff, establishment and registered funds at year-12-31 */
BZ_INTERNAL int bz_reg_report_ledger(bz_ledger *l, const char *unit, int year, int64_t figures[3]);
/* what R12 and R13 find about one unit at date, as one line of text ("" if nothing; malloc'd) */
BZ_INTERNAL int bz_reg_findings_text(bz_ledger *l, const char *unit, const char *date, char **out);

/* sheet building for areas outside report.c (report.c) */
BZ_INTERNAL bz_sheet *bz_sheet_make(const char *title);
BZ_INTERNAL void bz_sheet_add_col(bz_sheet *s, const char *name, int kind);
BZ_INTERNAL void bz_sheet_add_row(bz_sheet *s);
BZ_INTERNAL void bz_sheet_set(bz_sheet *s, size_t col, const char *text);
BZ_INTERNAL void bz_sheet_set_int(bz_sheet *s, size_t col, int64_t v);
/* hand the sheet out (BZ_OK) or free it (failure, out of memory) */
BZ_INTERNAL int bz_sheet_finish(bz_sheet **out, bz_sheet *s, bz_ledger *l, int rc);

#endif
