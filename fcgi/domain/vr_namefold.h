/*
 * vr_namefold: a vendor search as people type it.  The register's search
 * text (sql/008_vendor_register.sql, search_text) holds the name, kana,
 * 法人番号 and address without spaces, hyphens and legal-form words;
 * vr_namefold() takes the same out of a query, so (株)サンプル, ㈱サンプル
 * and 株式会社 サンプル all look for サンプル.
 */
#ifndef VR_NAMEFOLD_H
#define VR_NAMEFOLD_H

/*
 * Rewrites s (valid UTF-8) in place, never lengthening it: drops spaces
 * (ASCII, U+3000), hyphens and dashes, control characters, and the legal
 * forms (株式会社, 有限会社, 合同会社, ..., (株), （株）, ㈱, ...) in the order
 * and from the same lists as the migration's search_text.
 */
void	 vr_namefold(char *s);

#endif
