/*
 * vr_cache: a direct-mapped table of answers, one mutex.  A slot keeps
 * the latest answer whose key hashes to it; a key's answer is one block
 * (key, headers, body) copied in and out under the lock.
 *
 * Admission on second sight: a key's answer is kept only when the same
 * key missed once before (a table of recent key hashes remembers), so
 * one-off queries (a cursor, a unique search) do not push out the ones
 * people repeat.  Blocks are mmap'd, not malloc'd: unmapping one returns
 * its pages at once, whatever the workers' malloc arenas would have kept.
 * A block is counted at its size in whole pages, so the mapped memory
 * stays within list_cache_size.  Blocks are unmapped after the lock is
 * released (munmap can take a while; the other workers wait on the lock).
 */
#include <sys/mman.h>

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* Blocks taken out of the table under the lock, unmapped after it. */
typedef struct dropped {
	char		*block[SLOTS + 1];
	size_t		 size[SLOTS + 1];
	size_t		 n;
} dropped_t;

static pthread_mutex_t	 lock = PTHREAD_MUTEX_INITIALIZER;
static entry_t		*slots;
static uint64_t		*seen;
static size_t		 used, max_bytes, page;
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
entry_bytes(const entry_t *e)
{
	return e->keylen + e->hlen + e->blen;
}

/* What the block costs: its bytes in whole pages. */
static size_t
entry_cost(const entry_t *e)
{
	return (entry_bytes(e) + page - 1) / page * page;
}

/* Under the lock: empties the slot; its block goes to d. */
static void
entry_drop(entry_t *e, dropped_t *d)
{
	used -= entry_cost(e);
	d->block[d->n] = e->block;
	d->size[d->n++] = entry_cost(e);
	memset(e, 0, sizeof(*e));
}

/* After the lock: unmaps what entry_drop() collected. */
static void
dropped_unmap(dropped_t *d)
{
	size_t	 i;

	for (i = 0; i < d->n; i++)
		munmap(d->block[i], d->size[i]);
	d->n = 0;
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
advance(int64_t id, dropped_t *d)
{
	size_t	 i;

	newest = id;
	for (i = 0; i < SLOTS; i++)
		if (slots[i].block != NULL && slots[i].version.id < id)
			entry_drop(&slots[i], d);
}

int
vr_cache_init(size_t bytes)
{
	long	 ps = sysconf(_SC_PAGESIZE);

	if (bytes == 0)
		return 0;
	page = ps > 0 ? (size_t)ps : 4096;
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
		if (slots[i].block != NULL)
			munmap(slots[i].block, entry_cost(&slots[i]));
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

size_t
vr_cache_bytes(void)
{
	size_t	 n;

	pthread_mutex_lock(&lock);
	n = used;
	pthread_mutex_unlock(&lock);
	return n;
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
	dropped_t	 d;
	uint64_t	 h = fnv1a(key, keylen);
	entry_t		*e;
	bool		 hit = false;

	if (slots == NULL)
		return false;
	d.n = 0;
	e = &slots[h % SLOTS];
	pthread_mutex_lock(&lock);
	if (v->id > newest)
		advance(v->id, &d);
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
	dropped_unmap(&d);
	return hit;
}

void
vr_cache_put(const char *key, size_t keylen, const vr_data_version_t *v,
    const vr_response_t *resp)
{
	dropped_t	 d;
	entry_t		 n = { 0 }, *e;
	void		*p;
	bool		 admit;

	n.keylen = keylen;
	n.hlen = resp->headers.len;
	n.blen = resp->body.len;
	if (slots == NULL || entry_bytes(&n) == 0 ||
	    entry_cost(&n) > max_bytes / 4)
		return;
	n.hash = fnv1a(key, keylen);
	pthread_mutex_lock(&lock);
	admit = seen_before(n.hash) && v->id >= newest;
	pthread_mutex_unlock(&lock);
	if (!admit || (p = mmap(NULL, entry_cost(&n), PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)) == MAP_FAILED)
		return;
	n.block = p;
	memcpy(n.block, key, keylen);
	if (n.hlen > 0)
		memcpy(n.block + keylen, resp->headers.data, n.hlen);
	if (n.blen > 0)
		memcpy(n.block + keylen + n.hlen, resp->body.data, n.blen);
	n.version = *v;
	n.content_type = resp->content_type;
	n.status = resp->status;

	d.n = 0;
	pthread_mutex_lock(&lock);
	if (v->id > newest)
		advance(v->id, &d);
	e = &slots[n.hash % SLOTS];
	/* Replace the slot's answer only with one that is current and fits. */
	if (v->id == newest && used - (e->block != NULL ? entry_cost(e) : 0) +
	    entry_cost(&n) <= max_bytes) {
		if (e->block != NULL)
			entry_drop(e, &d);
		*e = n;
		used += entry_cost(&n);
		n.block = NULL;
	}
	pthread_mutex_unlock(&lock);
	if (n.block != NULL)
		munmap(n.block, entry_cost(&n));
	dropped_unmap(&d);
}
