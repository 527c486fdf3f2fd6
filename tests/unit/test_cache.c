/*
 * test_cache: the list cache (fcgi/http/vr_cache.c) on its own: a key is
 * kept from its second miss, a hit gives back the same answer, a higher
 * data version drops older answers, the same id with another hash never
 * matches, a late answer read at an older version neither is kept nor
 * evicts the current one, and the memory stays within the limit counted
 * in whole pages (many small answers under a small limit).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "http/vr_cache.h"

#include "unit_check.h"

static vr_data_version_t
version(int64_t id, char h)
{
	vr_data_version_t	 v;

	v.id = id;
	memset(v.hash, h, 64);
	v.hash[64] = '\0';
	return v;
}

static void
answer(vr_response_t *r, const char *body)
{
	vr_buf_reset(&r->body);
	vr_buf_reset(&r->headers);
	vr_buf_puts(&r->body, body);
	r->status = 200;
	r->content_type = "application/json";
}

static bool
get(const char *key, vr_data_version_t v, vr_response_t *out)
{
	vr_buf_reset(&out->body);
	return vr_cache_get(key, strlen(key), &v, out);
}

static void
put(const char *key, vr_data_version_t v, const char *body)
{
	vr_response_t	 r = { 0 };

	answer(&r, body);
	vr_cache_put(key, strlen(key), &v, &r);
	vr_buf_free(&r.body);
	vr_buf_free(&r.headers);
}

int
main(void)
{
	vr_response_t	 out = { 0 };
	char		 key[64], body[128];
	size_t		 page = (size_t)sysconf(_SC_PAGESIZE), i, most = 0;

	CHECK(vr_cache_init(1024 * 1024) == 0 && vr_cache_enabled(), "init");
	put("a", version(1, 'x'), "first");
	CHECK(!get("a", version(1, 'x'), &out), "not kept at the first miss");
	put("a", version(1, 'x'), "second");
	CHECK(get("a", version(1, 'x'), &out) && strcmp(out.body.data,
	    "second") == 0 && out.status == 200 && strcmp(out.content_type,
	    "application/json") == 0, "kept at the second miss, same answer");
	CHECK(!get("a", version(1, 'y'), &out),
	    "same id, other hash: no match");
	CHECK(get("a", version(1, 'x'), &out), "still there for its version");
	CHECK(!get("a", version(2, 'x'), &out), "a newer version misses");
	CHECK(vr_cache_bytes() == 0, "and dropped the older answer");
	put("a", version(2, 'x'), "v2");
	CHECK(get("a", version(2, 'x'), &out) &&
	    strcmp(out.body.data, "v2") == 0, "kept again at once (seen)");
	put("a", version(1, 'x'), "late");
	CHECK(get("a", version(2, 'x'), &out) &&
	    strcmp(out.body.data, "v2") == 0,
	    "a late answer at an older version does not evict");
	CHECK(vr_cache_bytes() == page, "one small answer costs one page");
	vr_cache_cleanup();
	CHECK(!vr_cache_enabled() && vr_cache_bytes() == 0, "cleanup");

	/* 1024 keys of 60 bytes each under a 16-page limit. */
	CHECK(vr_cache_init(16 * page) == 0, "init small");
	memset(body, 'b', 60);
	body[60] = '\0';
	for (i = 0; i < 1024; i++) {
		snprintf(key, sizeof(key), "/vendors?q=%zu", i);
		put(key, version(5, 'x'), body);
		put(key, version(5, 'x'), body);
		if (vr_cache_bytes() > most)
			most = vr_cache_bytes();
	}
	CHECK(most == 16 * page, "filled to the limit, never past it");
	vr_cache_cleanup();
	CHECK(vr_cache_init(0) == 0 && !vr_cache_enabled(), "0 is off");
	CHECK(!get("a", version(1, 'x'), &out), "off: never a hit");

	vr_buf_free(&out.body);
	vr_buf_free(&out.headers);
	return unit_report("test_cache");
}
