/*
 * vr_corpnum: the Japanese corporate number (法人番号) check digit.
 */
#ifndef VR_CORPNUM_H
#define VR_CORPNUM_H

/* NULL when s is 13 ASCII digits with a correct check digit, else why not. */
const char	*vr_corpnum_check(const char *s);

#endif
