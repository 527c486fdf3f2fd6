/*
 * fuzz_identity: vr_identity_of() and vr_identity_roles() against a
 * second, independent implementation of their contract (vr_identity.h).
 *
 * Input: USER \0 GROUPS.  Without a 0x00 byte the whole input is the
 * user and the groups param is absent; an empty USER is an absent user
 * param.  (A NUL cannot occur inside a FastCGI param value we read as a
 * C string, so 0x00 is a safe separator.)
 *
 * Invariants (abort() when broken):
 *  - vr_identity_roles() equals the reference: groups split at ',',
 *    blanks (space, tab) around a name dropped, each name looked up
 *    exactly in the map, the roles ORed; so roles only hold bits the map
 *    grants, and only for groups actually listed;
 *  - a user that is absent, empty, over 255 bytes, not strict UTF-8
 *    (RFC 3629: no overlongs, surrogates or > U+10FFFF) or holding a
 *    control character (C0 or DEL) is VR_E_UNAUTHENTICATED with no user
 *    and no roles; any other user is VR_OK with *user the param itself
 *    and the roles of the groups (none when the groups param is absent or
 *    over 8192 bytes).
 */
#include "http/vr_identity.h"
#include "fuzz_common.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Includes names that are prefixes of others, to catch prefix matches. */
static vr_group_role_t	 group_roles[] = {
	{ "staff", VR_ROLE_REQUESTER },
	{ "staff-ext", VR_ROLE_REVIEWER },
	{ "procurement", VR_ROLE_REQUESTER | VR_ROLE_REVIEWER },
	{ "security", VR_ROLE_REVIEWER | VR_ROLE_AUDITOR },
	{ "ciso", VR_ROLE_APPROVER },
	{ "internal-audit", VR_ROLE_AUDITOR },
	{ "vr-admins", VR_ROLE_ADMIN },
	{ "日本語グループ", VR_ROLE_APPROVER },
};
static const vr_config_t cfg = {
	.user_param = "VR_USER",
	.groups_param = "VR_GROUPS",
	.groups_separator = ',',
	.group_roles = group_roles,
	.ngroup_roles = sizeof(group_roles) / sizeof(group_roles[0]),
};

typedef struct params {
	const char	*user, *groups;
} params_t;

static const char *
param(void *ctx, const char *name)
{
	const params_t	*p = ctx;

	if (strcmp(name, "VR_USER") == 0)
		return p->user;
	if (strcmp(name, "VR_GROUPS") == 0)
		return p->groups;
	return NULL;
}

/* Strict UTF-8, written from RFC 3629's table, not from vr_field.c. */
static int
ref_utf8(const unsigned char *s, size_t n)
{
	size_t	 i = 0, k, len;
	uint32_t cp, min;

	while (i < n) {
		unsigned char c = s[i];

		if (c == 0)
			return 0;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			len = 2; cp = c & 0x1f; min = 0x80;
		} else if (c >= 0xe0 && c <= 0xef) {
			len = 3; cp = c & 0x0f; min = 0x800;
		} else if (c >= 0xf0 && c <= 0xf4) {
			len = 4; cp = c & 0x07; min = 0x10000;
		} else
			return 0;
		if (n - i < len)
			return 0;
		for (k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += len;
	}
	return 1;
}

static int
ref_user_ok(const char *u)
{
	size_t	 n, i;

	if (u == NULL || (n = strlen(u)) == 0 || n > VR_USER_MAX ||
	    !ref_utf8((const unsigned char *)u, n))
		return 0;
	for (i = 0; i < n; i++)
		if ((unsigned char)u[i] < 0x20 || u[i] == 0x7f)
			return 0;
	return 1;
}

static unsigned
ref_roles(const char *g)
{
	const char	*s, *e, *next;
	unsigned	 roles = 0;
	size_t		 i;

	for (s = g; s != NULL; s = next) {
		next = strchr(s, ',');
		e = next != NULL ? next : s + strlen(s);
		if (next != NULL)
			next++;
		while (s < e && (*s == ' ' || *s == '\t'))
			s++;
		while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		for (i = 0; i < cfg.ngroup_roles; i++)
			if (strlen(group_roles[i].group) == (size_t)(e - s) &&
			    memcmp(group_roles[i].group, s, (size_t)(e - s)) == 0)
				roles |= group_roles[i].roles;
	}
	return roles;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	params_t	 pp;
	vr_problem_t	 p;
	char		*buf = fuzz_strndup(data, size), *sep;
	const char	*user = (const char *)1;
	unsigned	 roles = ~0u, want, all = 0;
	size_t		 i;
	vr_err_e	 e;

	sep = memchr(buf, '\0', size);
	pp.user = buf[0] != '\0' ? buf : NULL;
	pp.groups = sep != NULL && sep < buf + size ? sep + 1 : NULL;
	for (i = 0; i < cfg.ngroup_roles; i++)
		all |= group_roles[i].roles;

	if (pp.groups != NULL) {
		roles = vr_identity_roles(&cfg, pp.groups);
		want = ref_roles(pp.groups);
		FUZZ_CHECK((roles & ~all) == 0, "roles %#x outside the map",
		    roles);
		FUZZ_CHECK(roles == want, "roles of \"%s\": %#x, want %#x",
		    pp.groups, roles, want);
	}
	if (pp.user != NULL)
		FUZZ_CHECK(vr_utf8_valid(pp.user, strlen(pp.user)) ==
		    (bool)ref_utf8((const unsigned char *)pp.user,
		    strlen(pp.user)), "vr_utf8_valid disagrees with RFC 3629 "
		    "on the user");

	vr_problem_clear(&p);
	e = vr_identity_of(&cfg, param, &pp, &user, &roles, &p);
	if (!ref_user_ok(pp.user)) {
		FUZZ_CHECK(e == VR_E_UNAUTHENTICATED && p.err == e,
		    "bad user accepted (%d)", (int)e);
		FUZZ_CHECK(user == NULL && roles == 0,
		    "refused user left user/roles set");
	} else {
		FUZZ_CHECK(e == VR_OK, "good user refused (%d %s)", (int)e,
		    p.detail);
		FUZZ_CHECK(user == pp.user, "*user is not the param");
		want = pp.groups != NULL && strlen(pp.groups) <= VR_GROUPS_MAX ?
		    ref_roles(pp.groups) : 0;
		FUZZ_CHECK(roles == want, "identity roles %#x, want %#x",
		    roles, want);
	}
	free(buf);
	return 0;
}
