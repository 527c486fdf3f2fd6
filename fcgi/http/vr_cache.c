/*
 * vr_cache: a direct-mapped table of answers, one mutex.  A slot keeps
 * the latest answer whose key hashes to it; a key's answer is one block
 * (key, headers, body) copied in and out under the lock.
 *
 * Admission on second sight: a key's answer is kept only when the same
 * key missed once before (a table of recent key hashes remembers), so
 * one-off queries (a cursor, a unique search) do not push out the ones
 * people repeat.  Blocks are mmap'd, not malloc'd: freeing one returns
 * its pages at once, so the process's memory stays within the limit
 * however the workers' malloc arenas would have fragmented.
 */
#include <sys/mman.h>

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "vr_cache.h"

#define SLOTS	1024
#define SEEN	4096	/* recent missed keys, by hash */

typedef struct entry {
	char		*block;		/* key, then headers, then body */
	size_t		 keylen, hlen, blen;
	uint64_t	 hash;		/* of the key */
	vr_data_version_t version;
	const char	*content_type;	/* a vr_media_type() constant */
	int		 status;
} entry_t;

static pthread_mutex_t	 lock = PTHREAD_MUTEX_INITIALIZER;
static entry_t		*slots;
static uint64_t		*seen;
static size_t		 used, max_bytes;
static int64_t		 newest;	/* highest version id seen */

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

static char *
block_new(size_t size)
{
	void	*p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static void
block_free(char *block, size_t size)
{
	if (block != NULL)
		munmap(block, size);
}

/* Under the lock. */
static void
entry_drop(entry_t *e)
{
	used -= entry_size(e);
	block_free(e->block, entry_size(e));
	memset(e, 0, sizeof(*e));
}

/* Under the lock: whether h missed before; remembers it if not. */
static bool
seen_before(uint64_t h)
{
	uint64_t	*s = &seen[h % SEEN];

	if (*s == h)
		return true;
	*s = h;
	return false;
}

/* Under the lock: a write committed, every older answer is stale. */
static void
advance(int64_t version)
{
	size_t	 i;

	newest = version;
	for (i = 0; i < SLOTS; i++)
		if (slots[i].block != NULL && slots[i].version.id < version)
			entry_drop(&slots[i]);
}

int
vr_cache_init(size_t bytes)
{
	if (bytes == 0)
		return 0;
	if ((slots = calloc(SLOTS, sizeof(*slots))) == NULL ||
	    (seen = calloc(SEEN, sizeof(*seen))) == NULL) {
		free(slots);
		slots = NULL;
		return -1;
	}
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
		block_free(slots[i].block, entry_size(&slots[i]));
	free(slots);
	free(seen);
	slots = NULL;
	seen = NULL;
	used = max_bytes = 0;
	newest = 0;
}

bool
vr_cache_enabled(void)
{
	return slots != NULL;
}

static bool
same_version(const vr_data_version_t *a, const vr_data_version_t *b)
{
	return a->id == b->id && strcmp(a->hash, b->hash) == 0;
}

bool
vr_cache_get(const char *key, size_t keylen, const vr_data_version_t *v,
    vr_response_t *resp)
{
	uint64_t	 h = fnv1a(key, keylen);
	entry_t		*e;
	bool		 hit = false;

	if (slots == NULL)
		return false;
	e = &slots[h % SLOTS];
	pthread_mutex_lock(&lock);
	if (v->id > newest)
		advance(v->id);
	if (e->block != NULL && same_version(&e->version, v) && e->hash == h &&
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
vr_cache_put(const char *key, size_t keylen, const vr_data_version_t *v,
    const vr_response_t *resp)
{
	entry_t		 n = { 0 }, *e;
	bool		 admit;

	n.keylen = keylen;
	n.hlen = resp->headers.len;
	n.blen = resp->body.len;
	if (slots == NULL || entry_size(&n) == 0 ||
	    entry_size(&n) > max_bytes / 4)
		return;
	n.hash = fnv1a(key, keylen);
	pthread_mutex_lock(&lock);
	admit = seen_before(n.hash);
	pthread_mutex_unlock(&lock);
	if (!admit || (n.block = block_new(entry_size(&n))) == NULL)
		return;
	memcpy(n.block, key, keylen);
	if (n.hlen > 0)
		memcpy(n.block + keylen, resp->headers.data, n.hlen);
	if (n.blen > 0)
		memcpy(n.block + keylen + n.hlen, resp->body.data, n.blen);
	n.version = *v;
	n.content_type = resp->content_type;
	n.status = resp->status;

	pthread_mutex_lock(&lock);
	if (v->id > newest)
		advance(v->id);
	e = &slots[n.hash % SLOTS];
	if (e->block != NULL)
		entry_drop(e);
	/* Stale already, or no room: keep nothing. */
	if (v->id == newest && used + entry_size(&n) <= max_bytes) {
		*e = n;
		used += entry_size(&n);
		n.block = NULL;
	}
	pthread_mutex_unlock(&lock);
	block_free(n.block, entry_size(&n));
}
