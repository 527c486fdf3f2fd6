/*
 * vr_codec: format dispatch and content negotiation (RFC 9110 media
 * ranges with q-values; JSON when the client does not care).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "vr_codec.h"

vr_err_e
vr_decode(vr_format_e f, const vr_resource_t *res, const char *body,
    size_t len, vr_value_t *rec, vr_problem_t *p)
{
	return f == VR_FMT_XML ? vr_xml_decode(res, body, len, rec, p) :
	    vr_json_decode(res, body, len, rec, p);
}

vr_err_e
vr_encode_record(vr_format_e f, const vr_resource_t *res,
    const vr_value_t *rec, vr_buf_t *out)
{
	return f == VR_FMT_XML ? vr_xml_encode_record(res, rec, out) :
	    vr_json_encode_record(res, rec, out);
}

vr_err_e
vr_encode_list(vr_format_e f, const vr_resource_t *res, const vr_list_t *l,
    vr_buf_t *out)
{
	return f == VR_FMT_XML ? vr_xml_encode_list(res, l, out) :
	    vr_json_encode_list(res, l, out);
}

const char *
vr_media_type(vr_format_e f, int is_problem)
{
	if (f == VR_FMT_XML)
		return is_problem ? "application/problem+xml; charset=utf-8" :
		    "application/xml; charset=utf-8";
	return is_problem ? "application/problem+json" :
	    "application/json; charset=utf-8";
}

/* Copies the media range "type/sub" of s[0..n) lower-cased, no blanks. */
static void
media_range(const char *s, size_t n, char *out, size_t outlen)
{
	size_t	 i, o = 0;

	for (i = 0; i < n && s[i] != ';' && o + 1 < outlen; i++)
		if (!isspace((unsigned char)s[i]))
			out[o++] = (char)tolower((unsigned char)s[i]);
	out[o] = '\0';
}

/* The format a media type names, -1 when none. */
static int
format_of_type(const char *t)
{
	const char	*plus;

	if (strcmp(t, "application/json") == 0)
		return VR_FMT_JSON;
	if (strcmp(t, "application/xml") == 0 || strcmp(t, "text/xml") == 0)
		return VR_FMT_XML;
	if (strncmp(t, "application/", 12) == 0 &&
	    (plus = strrchr(t, '+')) != NULL) {
		if (strcmp(plus, "+json") == 0)
			return VR_FMT_JSON;
		if (strcmp(plus, "+xml") == 0)
			return VR_FMT_XML;
	}
	return -1;
}

int
vr_format_of_content_type(const char *ct)
{
	char		 type[128];
	const char	*cs, *p;
	size_t		 n = strcspn(ct, ";");
	int		 f;

	media_range(ct, n, type, sizeof(type));
	if ((f = format_of_type(type)) < 0)
		return -1;
	/* We read UTF-8 only: any other declared charset is refused. */
	for (cs = ct + n; *cs == ';'; cs += strcspn(cs + 1, ";") + 1) {
		p = cs + 1 + strspn(cs + 1, " \t");
		if (strncasecmp(p, "charset=", 8) == 0 &&
		    strncasecmp(p + 8, "utf-8", 5) != 0 &&
		    strncasecmp(p + 8, "\"utf-8\"", 7) != 0)
			return -1;
	}
	return f;
}

/* q of one Accept element, 1000 for q=1; -1 when malformed. */
static int
accept_q(const char *params, size_t n)
{
	const char	*p = params, *end = params + n;
	int		 q = 1000, scale = 100;

	while ((p = memchr(p, ';', (size_t)(end - p))) != NULL) {
		p++;
		while (p < end && isspace((unsigned char)*p))
			p++;
		if (end - p < 2 || (p[0] != 'q' && p[0] != 'Q') || p[1] != '=')
			continue;
		p += 2;
		if (p < end && *p == '0') {
			q = 0;
			p++;
			if (p < end && *p == '.')
				for (p++; p < end && isdigit((unsigned char)*p)
				    && scale > 0; p++, scale /= 10)
					q += (*p - '0') * scale;
		} else if (p < end && *p == '1')
			q = 1000;
		else
			return -1;
	}
	return q;
}

int
vr_format_of_accept(const char *accept)
{
	const char	*p = accept;
	char		 type[128];
	size_t		 n;
	int		 q, best_json = -1, best_xml = -1, wild = -1;

	if (accept == NULL || accept[0] == '\0')
		return VR_FMT_JSON;
	while (*p != '\0') {
		n = strcspn(p, ",");
		media_range(p, n, type, sizeof(type));
		if ((q = accept_q(p, n)) > 0) {
			switch (format_of_type(type)) {
			case VR_FMT_JSON:
				if (q > best_json)
					best_json = q;
				break;
			case VR_FMT_XML:
				if (q > best_xml)
					best_xml = q;
				break;
			default:
				if ((strcmp(type, "*/*") == 0 ||
				    strcmp(type, "application/*") == 0) &&
				    q > wild)
					wild = q;
				break;
			}
		}
		p += n;
		if (*p == ',')
			p++;
	}
	if (best_json < 0 && best_xml < 0 && wild > 0)
		return VR_FMT_JSON;
	if (best_json < 0 && best_xml < 0)
		return -1;
	return best_xml > best_json ? VR_FMT_XML : VR_FMT_JSON;
}
