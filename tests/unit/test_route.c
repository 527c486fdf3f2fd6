/*
 * test_route: the router's path patterns: several {…id} segments in
 * order, an opaque {token}, and everything that must not match.
 */
#include <stdint.h>
#include <string.h>

#include "http/vr_http.h"

#include "unit_check.h"

static const char tok128[] =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_"
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_";

static void
test_match(void)
{
	static const struct {
		const char	*pattern, *path;
		int		 match;
		int64_t		 id0, id1;
		const char	*token;
	} t[] = {
		{ "/vendors", "/vendors", 1, 0, 0, "" },
		{ "/vendors", "/vendors/", 0, 0, 0, "" },
		{ "/vendors", "/vendor", 0, 0, 0, "" },
		{ "/vendors/{id}", "/vendors/7", 1, 7, 0, "" },
		{ "/vendors/{id}", "/vendors/07", 0, 0, 0, "" },
		{ "/vendors/{id}", "/vendors/0", 0, 0, 0, "" },
		{ "/vendors/{id}", "/vendors/-1", 0, 0, 0, "" },
		{ "/vendors/{id}", "/vendors/+1", 0, 0, 0, "" },
		{ "/vendors/{id}", "/vendors/7x", 0, 0, 0, "" },
		{ "/vendors/{id}", "/vendors/", 0, 0, 0, "" },
		{ "/vendors/{id}", "/vendors/7/", 0, 0, 0, "" },
		{ "/vendors/{id}", "/vendors/9223372036854775807", 1,
		    INT64_MAX, 0, "" },
		{ "/vendors/{id}", "/vendors/9223372036854775808", 0, 0, 0, "" },
		{ "/vendors/{id}", "/vendors/99999999999999999999", 0, 0, 0, "" },
		{ "/assessments/{id}/answers", "/assessments/12/answers", 1, 12,
		    0, "" },
		{ "/assessments/{id}/answers", "/assessments/12/answer", 0, 0, 0,
		    "" },
		{ "/assessments/{id}/findings/{finding_id}",
		    "/assessments/3/findings/44", 1, 3, 44, "" },
		{ "/vendor/{token}", "/vendor/Ab_-9", 1, 0, 0, "Ab_-9" },
		{ "/vendor/{token}/answers", "/vendor/xyz/answers", 1, 0, 0,
		    "xyz" },
		{ "/vendor/{token}", "/vendor/", 0, 0, 0, "" },
		{ "/vendor/{token}", "/vendor/a.b", 0, 0, 0, "" },
		{ "/vendor/{token}", "/vendor/a%2Fb", 0, 0, 0, "" },
		{ "/vendor/{token}", "/vendor/a b", 0, 0, 0, "" },
	};
	vr_request_t	 req;
	size_t		 i;
	int		 m;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		memset(&req, 0, sizeof(req));
		m = vr_route_match(t[i].pattern, t[i].path, &req);
		CHECK(m == t[i].match, "%s against %s: %d", t[i].path,
		    t[i].pattern, m);
		if (!m || !t[i].match)
			continue;
		CHECK(req.id == t[i].id0 && req.ids[0] == t[i].id0 &&
		    req.ids[1] == t[i].id1, "%s: ids %lld %lld", t[i].path,
		    (long long)req.ids[0], (long long)req.ids[1]);
		CHECK(strcmp(req.token, t[i].token) == 0, "%s: token %s",
		    t[i].path, req.token);
	}
}

static void
test_token_length(void)
{
	vr_request_t	 req;
	char		 path[300];

	memset(&req, 0, sizeof(req));
	snprintf(path, sizeof(path), "/vendor/%s", tok128);
	CHECK(vr_route_match("/vendor/{token}", path, &req) == 1 &&
	    strcmp(req.token, tok128) == 0, "a 128-character token matches");
	snprintf(path, sizeof(path), "/vendor/%sx", tok128);
	CHECK(vr_route_match("/vendor/{token}", path, &req) == 0,
	    "a 129-character token does not");
}

int
main(void)
{
	test_match();
	test_token_length();
	return unit_report("test_route");
}
