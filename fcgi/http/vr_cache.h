/*
 * vr_cache: the answers of list routes, kept in the process and tagged
 * with the version of the data they were read at (the id and hash of the
 * last audit row, vr_audit_version()).  Every write through the plugin
 * commits a new audit row, so an answer is served again only while no
 * write has committed since, in any process on any machine: workers stay
 * stateless in effect, all truth stays in MariaDB.  The hash keeps a
 * database restored under a running plugin from matching old answers
 * when its ids climb back to theirs.  Writes made with SQL behind the
 * plugin's back are not seen (they would break the audit chain anyway).
 *
 * Bounded by list_cache_size bytes (0 turns it off); answers over a
 * quarter of that are not kept, nor is a key's answer the first time it
 * is asked for (see vr_cache.c).  Thread-safe.
 */
#ifndef VR_CACHE_H
#define VR_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../db/vr_audit.h"
#include "vr_request.h"

/* In the main thread before workers start; 0 or -1 (no memory). */
int	 vr_cache_init(size_t max_bytes);
void	 vr_cache_cleanup(void);
bool	 vr_cache_enabled(void);

/*
 * Fills resp (status, type, headers, body) with the answer kept for key
 * at exactly this version (id and hash); false when there is none.  A
 * higher id than any seen drops every older answer.
 */
bool	 vr_cache_get(const char *key, size_t keylen,
	    const vr_data_version_t *, vr_response_t *resp);
/* Memory the kept answers take (whole pages), at most the limit. */
size_t	 vr_cache_bytes(void);
/* Keeps resp for key at version, when it fits; failures are silent. */
void	 vr_cache_put(const char *key, size_t keylen,
	    const vr_data_version_t *, const vr_response_t *resp);

#endif
