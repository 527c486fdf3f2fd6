/*
 * vr_corpnum: 法人番号 check digit (National Tax Agency rule, see
 * ../shared/domain.md): the leading digit equals
 * 9 - (sum over n = 1..12 of P_n * Q_n) mod 9, where P_n is the n-th digit
 * of the 12-digit base counted from the right and Q_n is 1 for odd n and
 * 2 for even n.  People type it grouped (7000-01-205-0002) or in
 * full-width digits (IME default): vr_corpnum_normalize() folds those.
 */
#include <string.h>

#include "vr_corpnum.h"

const char *
vr_corpnum_check(const char *s)
{
	unsigned	 sum = 0, n;
	size_t		 i;

	if (strlen(s) != 13)
		return "must be exactly 13 digits";
	for (i = 0; i < 13; i++)
		if (s[i] < '0' || s[i] > '9')
			return "must be exactly 13 digits";
	/* s[12] is P_1, s[1] is P_12. */
	for (n = 1; n <= 12; n++)
		sum += (unsigned)(s[13 - n] - '0') * ((n % 2) ? 1u : 2u);
	if ((unsigned)(s[0] - '0') != 9 - sum % 9)
		return "check digit does not match";
	return NULL;
}

/* Characters dropped from a typed number, as UTF-8. */
static const char *const separators[] = {
	" ", "-",
	"\xe3\x80\x80",	/* U+3000 ideographic space */
	"\xef\xbc\x8d",	/* U+FF0D fullwidth hyphen-minus */
	"\xe2\x80\x90", "\xe2\x80\x91", "\xe2\x80\x92",
	"\xe2\x80\x93", "\xe2\x80\x94", "\xe2\x80\x95",	/* U+2010-2015 */
	"\xe2\x88\x92",	/* U+2212 minus sign */
	NULL
};

/* The length of the separator s starts with, or 0. */
static size_t
separator_at(const char *s)
{
	const char *const	*sep;

	for (sep = separators; *sep != NULL; sep++)
		if (strncmp(s, *sep, strlen(*sep)) == 0)
			return strlen(*sep);
	return 0;
}

void
vr_corpnum_normalize(char *s)
{
	char	*o = s;
	size_t	 n;

	while (*s != '\0') {
		/* U+FF10..U+FF19 are EF BC 90..99. */
		if ((unsigned char)s[0] == 0xef && (unsigned char)s[1] == 0xbc &&
		    (unsigned char)s[2] >= 0x90 && (unsigned char)s[2] <= 0x99) {
			*o++ = (char)('0' + ((unsigned char)s[2] - 0x90));
			s += 3;
		} else if ((n = separator_at(s)) > 0)
			s += n;
		else
			*o++ = *s++;
	}
	*o = '\0';
}
