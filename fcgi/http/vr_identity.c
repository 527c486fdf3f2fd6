/*
 * vr_identity: user and roles from the configured FastCGI params.
 * check-config refuses param names beginning with HTTP_ (those carry
 * client-supplied headers), so a client's X-Remote-User or similar can
 * never become an identity here.
 */
#include <string.h>

#include "../core/vr_field.h"
#include "vr_identity.h"

unsigned
vr_identity_roles(const vr_config_t *cfg, const char *groups)
{
	const char	*p = groups, *end;
	const char	 sep[2] = { cfg->groups_separator, '\0' };
	unsigned	 roles = 0;
	size_t		 n, i;

	/* By the separator; blanks around a name are not part of it. */
	while (p != NULL && *p != '\0') {
		p += strspn(p, sep[0] == '\t' ? " " : " \t");
		n = strcspn(p, sep);
		end = p + n;
		while (end > p && (end[-1] == ' ' ||
		    (end[-1] == '\t' && sep[0] != '\t')))
			end--;
		for (i = 0; end > p && i < cfg->ngroup_roles; i++)
			if (strlen(cfg->group_roles[i].group) ==
			    (size_t)(end - p) && memcmp(cfg->group_roles[i].group,
			    p, (size_t)(end - p)) == 0)
				roles |= cfg->group_roles[i].roles;
		p += n;
		if (*p != '\0')	/* the separator */
			p++;
	}
	return roles;
}

static int
user_valid(const char *u)
{
	size_t	 n = strlen(u), i;

	if (n == 0 || n > VR_USER_MAX || !vr_utf8_valid(u, n))
		return 0;
	for (i = 0; i < n; i++)
		if ((unsigned char)u[i] < 0x20 || u[i] == 0x7f)
			return 0;
	return 1;
}

vr_err_e
vr_identity_of(const vr_config_t *cfg, vr_param_fn param, void *ctx,
    const char **user, unsigned *roles, vr_problem_t *p)
{
	const char	*u, *g;

	*user = NULL;
	*roles = 0;
	u = param(ctx, cfg->user_param);
	if (u == NULL || !user_valid(u))
		return vr_fail(p, VR_E_UNAUTHENTICATED, "unauthenticated",
		    NULL, "no authenticated user: sign in through the "
		    "intranet");
	g = param(ctx, cfg->groups_param);
	if (g != NULL && strlen(g) <= VR_GROUPS_MAX)
		*roles = vr_identity_roles(cfg, g);
	*user = u;
	return VR_OK;
}
