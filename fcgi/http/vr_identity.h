/*
 * vr_identity: who is asking, from the FastCGI params nginx sets after it
 * authenticated the user against the host.  Never from a client header.
 */
#ifndef VR_IDENTITY_H
#define VR_IDENTITY_H

#include "../core/vr_config.h"
#include "../core/vr_err.h"
#include "vr_request.h"

#define VR_USER_MAX	255	/* bytes, as the columns that store it */
#define VR_GROUPS_MAX	8192	/* bytes of the groups param */

/*
 * Reads cfg->user_param and cfg->groups_param through param.  An absent,
 * empty, over-long or malformed user (not UTF-8, control characters) is
 * VR_E_UNAUTHENTICATED.  Groups are comma-separated (blanks around a
 * name ignored); each is looked up in the group_role map, unknown ones
 * grant nothing.  *user points into the param storage.
 */
vr_err_e	 vr_identity_of(const vr_config_t *, vr_param_fn, void *ctx,
		    const char **user, unsigned *roles, vr_problem_t *);
/* Role bits the configured map gives a group list string. */
unsigned	 vr_identity_roles(const vr_config_t *, const char *groups);

#endif
