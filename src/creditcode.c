/*
 * creditcode.c: unified social credit codes (统一社会信用代码, GB 32100-2015)
 * and the organisation code inside them (GB 11714-1997).
 *
 * Layout: 1 registering authority (1 = 机构编制), 2 category under it
 * (1 机关, 2 事业单位, 3 群团, 9 other), 3–8 division code, 9–17 the
 * organisation code (8 characters and its own GB 11714 check), 18 the
 * GB 32100 check character.
 */
#include "internal.h"

#include <string.h>

/* the 31 characters of GB 32100, in the order of their values 0..30 */
static const char alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

static int value32100(char c)
{
	const char *p = c ? strchr(alphabet, c) : NULL;
	return p ? (int)(p - alphabet) : -1;
}

/* GB 11714 values: digits 0–9, letters A=10 … Z=35 */
static int value11714(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return -1;
}

bool bz_credit_code_shape_ok(const char *code)
{
	if (!code || strlen(code) != 18)
		return false;
	for (int i = 0; i < 18; i++)
		if (value32100(code[i]) < 0)
			return false;
	/* positions 3–8: the registering authority's administrative division code (GB/T 2260), digits only */
	for (int i = 2; i < 8; i++)
		if (code[i] < '0' || code[i] > '9')
			return false;
	return true;
}

char bz_gb11714_check(const char *body8)
{
	static const int w[8] = {3, 7, 9, 10, 5, 8, 4, 2};
	int sum = 0;
	for (int i = 0; i < 8; i++) {
		int v = value11714(body8[i]);
		if (v < 0)
			return '\0';
		sum += v * w[i];
	}
	int c = 11 - sum % 11;
	if (c == 10)
		return 'X';
	if (c == 11)
		return '0';
	return (char)('0' + c);
}

char bz_gb32100_check(const char *first17)
{
	/* weights 3^(i) mod 31 for positions 0..16 */
	int sum = 0, w = 1;
	for (int i = 0; i < 17; i++) {
		int v = value32100(first17[i]);
		if (v < 0)
			return '\0';
		sum += v * w;
		w = (w * 3) % 31;
	}
	int c = (31 - sum % 31) % 31;
	return alphabet[c];
}

bool bz_credit_code_checks_ok(const char *code)
{
	return bz_credit_code_shape_ok(code) && bz_gb11714_check(code + 8) == code[16] &&
	       bz_gb32100_check(code) == code[17];
}

BZ_EXTERN int bz_credit_code_valid(const char *code)
{
	return bz_credit_code_checks_ok(code) ? BZ_OK : BZ_EINVAL;
}
