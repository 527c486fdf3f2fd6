/*
 * vr_cache: a direct-mapped table of answers, one mutex.  A slot keeps
 * the latest answer whose key hashes to it; a key's answer is one block
 * (key, headers, body) copied in and out under the lock.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "vr_cache.h"

#define SLOTS	1024

typedef struct entry {
	char		*block;		/* key, then headers, then body */
	size_t		 keylen, hlen, blen;
	uint64_t	 hash;
	int64_t		 version;
	const char	*content_type;	/* a vr_media_type() constant */
	int		 status;
} entry_t;

static pthread_mutex_t	 lock = PTHREAD_MUTEX_INITIALIZER;
static entry_t		*slots;
static size_t		 used, max_bytes;
static int64_t		 newest;

static uint64_t
fnv1a(const char *s, size_t n)
{
	uint64_t	 h = 1469598103934665603ull;

	while (n-- > 0)
		h = (h ^ (unsigned char)*s++) * 1099511628211ull;
	return h;
}

static size_t
entry_size(const entry_t *e)
{
	return e->keylen + e->hlen + e->blen;
}

/* Under the lock. */
static void
entry_drop(entry_t *e)
{
	used -= entry_size(e);
	free(e->block);
	memset(e, 0, sizeof(*e));
}

/* Under the lock: a write committed, every older answer is stale. */
static void
advance(int64_t version)
{
	size_t	 i;

	newest = version;
	for (i = 0; i < SLOTS; i++)
		if (slots[i].block != NULL && slots[i].version < version)
			entry_drop(&slots[i]);
}

int
vr_cache_init(size_t bytes)
{
	if (bytes == 0)
		return 0;
	if ((slots = calloc(SLOTS, sizeof(*slots))) == NULL)
		return -1;
	max_bytes = bytes;
	return 0;
}

void
vr_cache_cleanup(void)
{
	size_t	 i;

	if (slots == NULL)
		return;
	for (i = 0; i < SLOTS; i++)
		free(slots[i].block);
	free(slots);
	slots = NULL;
	used = max_bytes = 0;
	newest = 0;
}

bool
vr_cache_enabled(void)
{
	return slots != NULL;
}

bool
vr_cache_get(const char *key, size_t keylen, int64_t version,
    vr_response_t *resp)
{
	uint64_t	 h = fnv1a(key, keylen);
	entry_t		*e;
	bool		 hit = false;

	if (slots == NULL)
		return false;
	e = &slots[h % SLOTS];
	pthread_mutex_lock(&lock);
	if (version > newest)
		advance(version);
	if (e->block != NULL && e->version == version && e->hash == h &&
	    e->keylen == keylen && memcmp(e->block, key, keylen) == 0) {
		vr_buf_reset(&resp->headers);
		vr_buf_reset(&resp->body);
		if (vr_buf_append(&resp->headers, e->block + keylen,
		    e->hlen) == 0 && vr_buf_append(&resp->body,
		    e->block + keylen + e->hlen, e->blen) == 0) {
			resp->status = e->status;
			resp->content_type = e->content_type;
			hit = true;
		} else {
			vr_buf_reset(&resp->headers);
			vr_buf_reset(&resp->body);
		}
	}
	pthread_mutex_unlock(&lock);
	return hit;
}

void
vr_cache_put(const char *key, size_t keylen, int64_t version,
    const vr_response_t *resp)
{
	entry_t		 n = { 0 }, *e;

	n.keylen = keylen;
	n.hlen = resp->headers.len;
	n.blen = resp->body.len;
	if (slots == NULL || entry_size(&n) > max_bytes / 4 ||
	    (n.block = malloc(entry_size(&n) + 1)) == NULL)
		return;
	memcpy(n.block, key, keylen);
	if (n.hlen > 0)
		memcpy(n.block + keylen, resp->headers.data, n.hlen);
	if (n.blen > 0)
		memcpy(n.block + keylen + n.hlen, resp->body.data, n.blen);
	n.hash = fnv1a(key, keylen);
	n.version = version;
	n.content_type = resp->content_type;
	n.status = resp->status;

	pthread_mutex_lock(&lock);
	if (version > newest)
		advance(version);
	e = &slots[n.hash % SLOTS];
	if (e->block != NULL)
		entry_drop(e);
	/* Stale already, or no room: keep nothing. */
	if (version == newest && used + entry_size(&n) <= max_bytes) {
		*e = n;
		used += entry_size(&n);
		n.block = NULL;
	}
	pthread_mutex_unlock(&lock);
	free(n.block);
}
