/*
 * vr_corpnum: the Japanese corporate number (法人番号): its check digit
 * and the forms people type it in.
 */
#ifndef VR_CORPNUM_H
#define VR_CORPNUM_H

/* NULL when s is 13 ASCII digits with a correct check digit, else why not. */
const char	*vr_corpnum_check(const char *s);
/*
 * Rewrites s (valid UTF-8) in place as typed by people: full-width digits
 * become ASCII digits; hyphens, dashes and spaces (ASCII, full-width and
 * U+3000) are dropped.  Anything else is kept for the check to refuse.
 */
void		 vr_corpnum_normalize(char *s);

#endif
