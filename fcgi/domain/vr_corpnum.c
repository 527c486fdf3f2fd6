/*
 * vr_corpnum: 法人番号 check digit (National Tax Agency rule, see
 * ../shared/domain.md): the leading digit equals
 * 9 - (sum over n = 1..12 of P_n * Q_n) mod 9, where P_n is the n-th digit
 * of the 12-digit base counted from the right and Q_n is 1 for odd n and
 * 2 for even n.
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
