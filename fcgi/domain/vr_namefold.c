/*
 * vr_namefold: a vendor search query folded as the register's search text
 * is (see vr_namefold.h).  The two lists below are the migration's
 * REPLACE()s, in its order: keep them alike.  Case, full-width letters
 * and digits and half-width kana are left to the collation
 * (utf8mb4_unicode_ci compares them equal).
 */
#include <string.h>

#include "vr_namefold.h"

/* Dropped first, anywhere: spaces, then hyphens and dashes. */
static const char *const separators[] = {
	" ", "\xe3\x80\x80",			/* U+3000 */
	"-", "\xef\xbc\x8d",			/* U+FF0D */
	"\xe2\x80\x90", "\xe2\x80\x91", "\xe2\x80\x92", "\xe2\x80\x93",
	"\xe2\x80\x94", "\xe2\x80\x95",		/* U+2010-2015 */
	"\xe2\x88\x92",				/* U+2212 */
	NULL
};

/* Then the legal forms (商号の種類) and their abbreviations. */
static const char *const legal_forms[] = {
	"株式会社", "有限会社", "合同会社", "合資会社", "合名会社",
	"一般社団法人", "一般財団法人", "公益社団法人", "公益財団法人",
	"特定非営利活動法人",
	"(株)", "（株）", "㈱", "(有)", "（有）", "㈲", "(同)", "（同）",
	"(資)", "（資）", "㈾", "(名)", "（名）", "㈴",
	"(一社)", "（一社）", "(一財)", "（一財）", "(公社)", "（公社）",
	"(公財)", "（公財）",
	"カブシキガイシャ", "カブシキカイシャ", "ユウゲンガイシャ",
	"ゴウドウガイシャ",
	NULL
};

/*
 * Removes each word in turn as REPLACE(s, word, '') does: one pass left
 * to right over what the earlier words left, never rescanning a join.
 */
static void
drop_all(char *s, const char *const *words)
{
	char	*r, *w;
	size_t	 n;

	for (; *words != NULL; words++) {
		n = strlen(*words);
		for (r = w = s; *r != '\0';)
			if (strncmp(r, *words, n) == 0)
				r += n;
			else
				*w++ = *r++;
		*w = '\0';
	}
}

void
vr_namefold(char *s)
{
	char	*o = s, *p;

	/* q never holds a control character, so never search_text's U+001F. */
	for (p = s; *p != '\0'; p++)
		if ((unsigned char)*p >= 0x20 && *p != 0x7f)
			*o++ = *p;
	*o = '\0';
	drop_all(s, separators);
	drop_all(s, legal_forms);
}
