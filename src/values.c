/*
 * values.c: the values that cross the API — status texts, version, dates,
 * UUIDs and UTF-8 text — and the ledger's clock.
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <uuid/uuid.h>

BZ_EXTERN const char *bz_strerror(int status)
{
	switch (status) {
	case BZ_OK: return "not an error";
	case BZ_ERROR: return "error";
	case BZ_EINVAL: return "invalid argument";
	case BZ_ENOTFOUND: return "not found";
	case BZ_EEXISTS: return "already exists";
	case BZ_ECONSTRAINT: return "refused by the establishment rules";
	case BZ_EBUSY: return "ledger is busy (locked by another connection)";
	case BZ_EIO: return "input/output error";
	case BZ_ENOMEM: return "out of memory";
	case BZ_EMISUSE: return "call out of sequence";
	case BZ_ENOTLEDGER: return "not a libbianzhi ledger";
	case BZ_ESCHEMA: return "ledger schema version not usable here (newer than this library, or older and read-only)";
	case BZ_ECORRUPT: return "ledger is damaged";
	case BZ_ITEROVER: return "no more items";
	default: return "unknown status";
	}
}

BZ_EXTERN const char *bz_version(void)
{
	return BZ_VERSION_STRING;
}

BZ_EXTERN int bz_version_number(void)
{
	return BZ_VERSION_NUMBER;
}

BZ_EXTERN void bz_free(void *ptr)
{
	bz__free(ptr);
}

char *bz_strdup(const char *s)
{
	if (!s)
		return NULL;
	size_t n = strlen(s) + 1;
	char *p = bz__malloc(n);
	if (p)
		memcpy(p, s, n);
	return p;
}

bool bz_utf8_valid(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		unsigned c = *p++;
		int extra;
		unsigned min;
		if (c < 0x80)
			continue;
		else if ((c & 0xE0) == 0xC0) { extra = 1; min = 0x80; c &= 0x1F; }
		else if ((c & 0xF0) == 0xE0) { extra = 2; min = 0x800; c &= 0x0F; }
		else if ((c & 0xF8) == 0xF0) { extra = 3; min = 0x10000; c &= 0x07; }
		else return false;
		for (int i = 0; i < extra; i++) {
			if ((*p & 0xC0) != 0x80)
				return false;
			c = (c << 6) | (*p++ & 0x3F);
		}
		/* overlong forms, surrogates and values past U+10FFFF */
		if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
			return false;
	}
	return true;
}

bool bz_text_ok(const char *s)
{
	return s && *s && bz_utf8_valid(s);
}

static bool leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
	static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && leap(y) ? 29 : d[m - 1];
}

static bool parse_date(const char *s, int *y, int *m, int *d)
{
	if (!s || strlen(s) != BZ_DATE_LEN || s[4] != '-' || s[7] != '-')
		return false;
	for (int i = 0; i < BZ_DATE_LEN; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return false;
	*y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	*m = (s[5] - '0') * 10 + (s[6] - '0');
	*d = (s[8] - '0') * 10 + (s[9] - '0');
	return *y >= 1 && *m >= 1 && *m <= 12 && *d >= 1 && *d <= days_in_month(*y, *m);
}

bool bz_date_calendar_ok(const char *s)
{
	int y, m, d;
	return parse_date(s, &y, &m, &d);
}

/*
 * The dates the API accepts: BZ_DATE_MIN … BZ_DATE_MAX (common.h). Inside
 * the library "0001-01-01" and "9999-12-31" stand for the beginning and the
 * end of time, and a day is added to or taken from a date the caller gave
 * (the day after a slip's last day of validity): bounded so, every such
 * date is still a four-digit year and still strictly inside the sentinels.
 */
bool bz_date_ok(const char *s)
{
	int y, m, d;
	return parse_date(s, &y, &m, &d) && strcmp(s, BZ_DATE_MIN) >= 0 && strcmp(s, BZ_DATE_MAX) <= 0;
}

BZ_EXTERN int bz_date_valid(const char *date)
{
	return bz_date_ok(date) ? BZ_OK : BZ_EINVAL;
}

void bz_date_add_days(char buf[BZ_DATE_LEN + 1], const char *date, int days)
{
	int y, m, d;
	if (!parse_date(date, &y, &m, &d)) {
		buf[0] = '\0';
		return;
	}
	d += days;
	while (d > days_in_month(y, m)) {
		d -= days_in_month(y, m);
		if (++m > 12) { m = 1; y++; }
	}
	while (d < 1) {
		if (--m < 1) { m = 12; y--; }
		d += days_in_month(y, m);
	}
	snprintf(buf, BZ_DATE_LEN + 1, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u, (unsigned)d % 100u);
}

/*
 * A new key: a UUID of version 7 (RFC 9562, 5.7), its first 48 bits the
 * Unix time in milliseconds, the next 12 (rand_a) the fraction of that
 * millisecond (the RFC's method 3, about 244 ns a step), the remaining 62
 * random from libuuid. Keys made one after the other thus sort in the
 * order they were made, so every b-tree keyed or indexed by them (person,
 * placement, card, records, the transaction's identity…) grows at its
 * right edge, where the pages already are in the cache, instead of at a
 * random page of a file that outgrew the cache long ago: at 500,000
 * persons a hire + commit cost 1.34x that at 10,000 with random
 * (version 4) keys and 1.14x with these (README "Performance"). Unique in
 * practice as a random UUID is: 62 random bits within each step of the
 * clock; a clock that goes back costs only the locality. The ledger's own identity stays
 * a random one (schema.c, 3 → 4): it names a ledger, not a row.
 */
void bz_uuid_new(char buf[BZ_UUID_LEN + 1])
{
	uuid_t u;
	struct timespec ts;
	uuid_generate_random(u);
	if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
		ts.tv_sec = 0, ts.tv_nsec = 0; /* cannot fail with CLOCK_REALTIME; if it did, still unique */
	uint64_t ms = (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
	unsigned step = (unsigned)(((uint64_t)(ts.tv_nsec % 1000000) << 12) / 1000000u); /* 0 … 4095 */
	for (int i = 0; i < 6; i++)
		u[i] = (unsigned char)(ms >> (40 - 8 * i));
	u[6] = (unsigned char)(0x70u | (step >> 8));      /* version 7 */
	u[7] = (unsigned char)(step & 0xffu);
	u[8] = (unsigned char)(0x80u | (u[8] & 0x3fu));   /* variant 10 (libuuid's already) */
	uuid_unparse_lower(u, buf);
}

bool bz_uuid_ok(const char *s)
{
	uuid_t u;
	return s && strlen(s) == BZ_UUID_LEN && uuid_parse(s, u) == 0;
}

void bz_today(bz_ledger *l, char buf[BZ_DATE_LEN + 1])
{
	if (l && l->clock[0]) {
		memcpy(buf, l->clock, BZ_DATE_LEN + 1);
		return;
	}
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	strftime(buf, BZ_DATE_LEN + 1, "%Y-%m-%d", &tm);
}

const char *bz_date_or_today(bz_ledger *l, const char *date, char buf[BZ_DATE_LEN + 1])
{
	if (date)
		return date;
	bz_today(l, buf);
	return buf;
}

void bz_now_stamp(bz_ledger *l, char buf[20])
{
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	if (l && l->clock[0]) {
		/* a fixed clock keeps its date; the time of day still moves */
		snprintf(buf, 20, "%.10sT%02u:%02u:%02u", l->clock, (unsigned)tm.tm_hour % 100u,
			 (unsigned)tm.tm_min % 100u, (unsigned)tm.tm_sec % 100u);
		return;
	}
	strftime(buf, 20, "%Y-%m-%dT%H:%M:%S", &tm);
}
