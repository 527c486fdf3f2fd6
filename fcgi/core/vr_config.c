/*
 * vr_config: reads and checks the configuration file.  Each directive is
 * one row of a static table (name, setter by type, offset of the field it
 * fills, limits), as nginx does, so adding a directive is adding a row.
 * The loader stops at the first error and reports it as "FILE:LINE:
 * message"; directives missing after the whole file are "FILE: message".
 * It never reads the password file: that is vr_config_read_password().
 */
#define _DEFAULT_SOURCE		/* explicit_bzero(3) */

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <arpa/inet.h>
#include <grp.h>
#include <netinet/in.h>
#include <pwd.h>
#include <unistd.h>

#include "core/vr_config.h"
#include "core/vr_paths.h"

#define VR_CONFIG_LINE_MAX	4096	/* bytes, newline not counted */
#define VR_CONFIG_ARGS_MAX	8	/* words looked at on one line */
#define VR_CONFIG_MSG_MAX	512

/* Row flags. */
#define VR_CMD_REQUIRED	0x1u	/* the file must set it */
#define VR_CMD_MULTI	0x2u	/* may appear more than once */

struct vr_cmd;

/* Stores args into cfg; on failure writes a message (no FILE:LINE). */
typedef int	(*vr_cmd_set_fn)(vr_config_t *, const struct vr_cmd *,
		    char **args, char *msg, size_t msglen);
/* Extra check of a string value before it is stored. */
typedef int	(*vr_cmd_check_fn)(const struct vr_cmd *, const char *,
		    char *msg, size_t msglen);

typedef struct vr_cmd {
	const char		*name;
	vr_cmd_set_fn		 set;
	size_t			 offset;	/* of the field in vr_config_t */
	unsigned long long	 min;		/* numbers: least value */
	unsigned long long	 max;		/* numbers: most; strings: length */
	vr_cmd_check_fn		 check;		/* or NULL */
	unsigned		 nargs;		/* words after the name */
	unsigned		 flags;		/* VR_CMD_* */
} vr_cmd_t;

/* What reading one line can end with. */
typedef enum vr_line {
	VR_LINE_OK = 0,		/* a line is in the buffer */
	VR_LINE_EOF,		/* no more lines */
	VR_LINE_TOO_LONG,	/* over VR_CONFIG_LINE_MAX bytes */
	VR_LINE_NUL,		/* a NUL byte: not a text file */
	VR_LINE_IOERR		/* read(2) failed, errno set */
} vr_line_e;

static int	set_str(vr_config_t *, const vr_cmd_t *, char **,
		    char *, size_t);
static int	set_path(vr_config_t *, const vr_cmd_t *, char **,
		    char *, size_t);
static int	set_uint(vr_config_t *, const vr_cmd_t *, char **,
		    char *, size_t);
static int	set_size(vr_config_t *, const vr_cmd_t *, char **,
		    char *, size_t);
static int	set_separator(vr_config_t *, const vr_cmd_t *, char **,
    char *, size_t);
static int	set_group_role(vr_config_t *, const vr_cmd_t *, char **,
		    char *, size_t);
static int	set_reminder_days(vr_config_t *, const vr_cmd_t *, char **,
		    char *, size_t);
static int	set_mode(vr_config_t *, const vr_cmd_t *, char **,
		    char *, size_t);
static int	check_host(const vr_cmd_t *, const char *, char *, size_t);
static int	check_account(const vr_cmd_t *, const char *, char *, size_t);
static int	check_addrs(const vr_cmd_t *, const char *, char *, size_t);
static int	check_db_name(const vr_cmd_t *, const char *, char *, size_t);
static int	check_listen(const vr_cmd_t *, const char *, char *, size_t);
static int	check_url_path(const vr_cmd_t *, const char *, char *, size_t);
static int	check_param(const vr_cmd_t *, const char *, char *, size_t);

#define F(field)	offsetof(vr_config_t, field)
/* The field at offset off in cfg; via void * since offsets keep alignment. */
#define FIELD(cfg, off, type)	((type *)(void *)((char *)(cfg) + (off)))

static const vr_cmd_t vr_cmds[] = {
	{ "db_socket", set_path, F(db_socket), 0, 107, NULL, 1, 0 },
	{ "db_host", set_str, F(db_host), 0, 255, check_host, 1, 0 },
	{ "db_port", set_uint, F(db_port), 1, 65535, NULL, 1, 0 },
	{ "db_user", set_str, F(db_user), 0, 80, NULL, 1,
	    VR_CMD_REQUIRED },
	{ "db_password_file", set_path, F(db_password_file), 0, PATH_MAX - 1,
	    NULL, 1, VR_CMD_REQUIRED },
	{ "db_name", set_str, F(db_name), 0, 64, check_db_name, 1,
	    VR_CMD_REQUIRED },
	{ "db_connect_timeout", set_uint, F(db_connect_timeout), 1, 300,
	    NULL, 1, 0 },
	{ "db_lock_wait_timeout", set_uint, F(db_lock_wait_timeout), 1, 300,
	    NULL, 1, 0 },
	{ "db_conflict_retries", set_uint, F(db_conflict_retries), 0, 100,
	    NULL, 1, 0 },
	{ "db_wsrep_sync_wait", set_uint, F(db_wsrep_sync_wait), 0, 15,
	    NULL, 1, 0 },
	{ "listen", set_str, F(listen), 0, 5 + 107, check_listen, 1,
	    VR_CMD_REQUIRED },
	{ "threads", set_uint, F(threads), 1, 256, NULL, 1, 0 },
	{ "processes", set_uint, F(processes), 1, 64, NULL, 1, 0 },
	{ "header_timeout", set_uint, F(header_timeout), 1, 300, NULL, 1, 0 },
	{ "idle_timeout", set_uint, F(idle_timeout), 1, 86400, NULL, 1, 0 },
	{ "io_timeout", set_uint, F(io_timeout), 1, 3600, NULL, 1, 0 },
	{ "max_params", set_size, F(max_params), 4096, 1024 * 1024, NULL, 1,
	    0 },
	{ "socket_owner", set_str, F(socket_owner), 0, 32, check_account, 1,
	    0 },
	{ "socket_group", set_str, F(socket_group), 0, 32, check_account, 1,
	    0 },
	{ "socket_mode", set_mode, F(socket_mode), 0600, 0777, NULL, 1, 0 },
	{ "web_server_addrs", set_str, F(web_server_addrs), 0, 255,
	    check_addrs, 1, 0 },
	{ "max_body", set_size, F(max_body), 1024, 64 * 1024 * 1024, NULL, 1,
	    0 },
	{ "list_cache_size", set_size, F(list_cache_size), 0,
	    1024 * 1024 * 1024, NULL, 1, 0 },
	{ "base_path", set_str, F(base_path), 0, 255, check_url_path, 1, 0 },
	{ "migrations_dir", set_path, F(migrations_dir), 0, PATH_MAX - 1,
	    NULL, 1, 0 },
	{ "manifest", set_path, F(manifest), 0, PATH_MAX - 1, NULL, 1, 0 },
	{ "vendor_base_path", set_str, F(vendor_base_path), 0, 255,
	    check_url_path, 1, 0 },
	{ "vendor_page_path", set_str, F(vendor_page_path), 1, 255,
	    check_url_path, 1, 0 },
	{ "sheet_secret_file", set_path, F(sheet_secret_file), 0,
	    PATH_MAX - 1, NULL, 1, 0 },
	{ "vendor_link_days", set_uint, F(vendor_link_days), 1, 365, NULL, 1,
	    0 },
	{ "audit_months_high", set_uint, F(audit_months[0]), 1, 120, NULL, 1,
	    0 },
	{ "audit_months_medium", set_uint, F(audit_months[1]), 1, 120, NULL,
	    1, 0 },
	{ "audit_months_low", set_uint, F(audit_months[2]), 1, 120, NULL, 1,
	    0 },
	{ "audit_grace_days", set_uint, F(audit_grace_days), 0, 365, NULL, 1,
	    0 },
	{ "reminder_days", set_reminder_days, F(reminder_days), 1, 90, NULL,
	    3, 0 },
	{ "max_subcontract_depth", set_uint, F(max_subcontract_depth), 1, 10,
	    NULL, 1, 0 },
	{ "preliminary_report_days", set_uint, F(preliminary_report_days), 1,
	    30, NULL, 1, 0 },
	{ "incident_lead_days", set_uint, F(incident_lead_days), 0, 30, NULL,
	    1, 0 },
	{ "certification_reminder_days", set_reminder_days,
	    F(certification_reminder_days), 1, 365, NULL, 3, 0 },
	{ "user_param", set_str, F(user_param), 0, 64, check_param, 1, 0 },
	{ "groups_param", set_str, F(groups_param), 0, 64, check_param, 1,
	    0 },
	{ "groups_separator", set_separator, F(groups_separator), 1, 5, NULL,
	    1, 0 },
	/* Required too: without a single mapping nobody could do anything. */
	{ "group_role", set_group_role, F(group_roles), 0, 255, NULL, 2,
	    VR_CMD_REQUIRED | VR_CMD_MULTI },
};

#define VR_NCMDS	(sizeof(vr_cmds) / sizeof(vr_cmds[0]))

static const struct {
	vr_role_e	 role;
	const char	*name;
} vr_roles[] = {
	{ VR_ROLE_REQUESTER, "requester" },
	{ VR_ROLE_REVIEWER, "reviewer" },
	{ VR_ROLE_APPROVER, "approver" },
	{ VR_ROLE_AUDITOR, "auditor" },
	{ VR_ROLE_ADMIN, "admin" },
};

#define VR_NROLES	(sizeof(vr_roles) / sizeof(vr_roles[0]))

static void	msgf(char *, size_t, const char *, ...)
		    __attribute__((format(printf, 3, 4)));

static void
msgf(char *buf, size_t buflen, const char *fmt, ...)
{
	va_list	 ap;

	if (buf == NULL || buflen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, buflen, fmt, ap);
	va_end(ap);
}

/* Replaces the char * field cmd fills with a copy of val. */
static int
store_str(vr_config_t *cfg, const vr_cmd_t *cmd, const char *val,
    char *msg, size_t msglen)
{
	char	**field = FIELD(cfg, cmd->offset, char *);
	char	 *copy;

	if ((copy = strdup(val)) == NULL) {
		msgf(msg, msglen, "out of memory");
		return -1;
	}
	free(*field);
	*field = copy;
	return 0;
}

static int
set_str(vr_config_t *cfg, const vr_cmd_t *cmd, char **args,
    char *msg, size_t msglen)
{
	if (strlen(args[0]) > cmd->max) {
		msgf(msg, msglen, "value for \"%s\" longer than %llu bytes",
		    cmd->name, cmd->max);
		return -1;
	}
	if (cmd->check != NULL && cmd->check(cmd, args[0], msg, msglen) == -1)
		return -1;
	return store_str(cfg, cmd, args[0], msg, msglen);
}

static int
set_path(vr_config_t *cfg, const vr_cmd_t *cmd, char **args,
    char *msg, size_t msglen)
{
	/* A relative path would depend on the cwd of whoever starts us. */
	if (args[0][0] != '/') {
		msgf(msg, msglen, "\"%s\" must be an absolute path, not \"%s\"",
		    cmd->name, args[0]);
		return -1;
	}
	return set_str(cfg, cmd, args, msg, msglen);
}

/*
 * Parses decimal digits only: strtoull(3) would also take a sign, leading
 * blanks and "0x".  Returns 0, -1 when not a number, -2 on overflow.
 */
static int
parse_ull(const char *s, const char **end, unsigned long long *out)
{
	unsigned long long	 v = 0;
	int			 rc = 0;

	if (!isdigit((unsigned char)*s))
		return -1;
	for (; isdigit((unsigned char)*s); s++) {
		unsigned d = (unsigned)(*s - '0');

		if (v > (ULLONG_MAX - d) / 10)
			rc = -2;	/* keep scanning to find the end */
		else
			v = v * 10 + d;
	}
	*end = s;
	*out = v;
	return rc;
}

static int
set_uint(vr_config_t *cfg, const vr_cmd_t *cmd, char **args,
    char *msg, size_t msglen)
{
	unsigned long long	 v;
	const char		*end;
	int			 rc;

	rc = parse_ull(args[0], &end, &v);
	if (rc == -1 || *end != '\0') {
		msgf(msg, msglen, "bad number \"%s\" for \"%s\"",
		    args[0], cmd->name);
		return -1;
	}
	if (rc == -2 || v < cmd->min || v > cmd->max) {
		msgf(msg, msglen,
		    "value \"%s\" out of range for \"%s\" (%llu..%llu)",
		    args[0], cmd->name, cmd->min, cmd->max);
		return -1;
	}
	*FIELD(cfg, cmd->offset, unsigned) = (unsigned)v;
	return 0;
}

/* Prints a byte count the way the file spells it: 1k, 64m, 100. */
static void
fmt_size(char *buf, size_t buflen, unsigned long long v)
{
	if (v != 0 && v % (1024 * 1024) == 0)
		snprintf(buf, buflen, "%llum", v / (1024 * 1024));
	else if (v != 0 && v % 1024 == 0)
		snprintf(buf, buflen, "%lluk", v / 1024);
	else
		snprintf(buf, buflen, "%llu", v);
}

static int
set_size(vr_config_t *cfg, const vr_cmd_t *cmd, char **args,
    char *msg, size_t msglen)
{
	unsigned long long	 v, mult = 1;
	const char		*end;
	char			 lo[32], hi[32];
	int			 rc;

	rc = parse_ull(args[0], &end, &v);
	if (rc != -1 && (*end == 'k' || *end == 'K'))
		mult = 1024;
	else if (rc != -1 && (*end == 'm' || *end == 'M'))
		mult = 1024 * 1024;
	if (mult != 1)
		end++;
	if (rc == -1 || *end != '\0') {
		msgf(msg, msglen, "bad size \"%s\" for \"%s\"",
		    args[0], cmd->name);
		return -1;
	}
	if (rc == -2 || v > ULLONG_MAX / mult || v * mult < cmd->min ||
	    v * mult > cmd->max) {
		fmt_size(lo, sizeof(lo), cmd->min);
		fmt_size(hi, sizeof(hi), cmd->max);
		msgf(msg, msglen,
		    "value \"%s\" out of range for \"%s\" (%s..%s)",
		    args[0], cmd->name, lo, hi);
		return -1;
	}
	*FIELD(cfg, cmd->offset, size_t) = (size_t)(v * mult);
	return 0;
}

/* Parses "requester,reviewer" into role bits. */
static int
parse_roles(const char *list, unsigned *roles, char *msg, size_t msglen)
{
	const char	*p = list, *comma;
	char		 name[32];
	size_t		 len;
	unsigned	 bit;

	*roles = 0;
	for (;;) {
		comma = strchr(p, ',');
		len = comma != NULL ? (size_t)(comma - p) : strlen(p);
		if (len == 0) {
			msgf(msg, msglen, "empty role in \"%s\"", list);
			return -1;
		}
		bit = 0;
		if (len < sizeof(name)) {
			memcpy(name, p, len);
			name[len] = '\0';
			bit = vr_role_of_name(name);
		}
		if (bit == 0) {
			msgf(msg, msglen, "unknown role \"%.*s\" (roles: "
			    "requester reviewer approver auditor admin)",
			    (int)(len > 64 ? 64 : len), p);
			return -1;
		}
		*roles |= bit;
		if (comma == NULL)
			break;
		p = comma + 1;
	}
	return 0;
}

/* Three day counts, each fewer than the one before. */
static int
set_reminder_days(vr_config_t *cfg, const vr_cmd_t *cmd, char **args,
    char *msg, size_t msglen)
{
	unsigned long long	 v[3];
	const char		*end;
	int			 i;

	for (i = 0; i < 3; i++)
		if (parse_ull(args[i], &end, &v[i]) != 0 || *end != '\0' ||
		    v[i] < cmd->min || v[i] > cmd->max ||
		    (i > 0 && v[i] >= v[i - 1])) {
			msgf(msg, msglen, "\"%s\" takes three day counts "
			    "%llu..%llu, each fewer than the one before (e.g. "
			    "7 3 1)", cmd->name, cmd->min, cmd->max);
			return -1;
		}
	for (i = 0; i < 3; i++)
		FIELD(cfg, cmd->offset, unsigned)[i] = (unsigned)v[i];
	return 0;
}

/*
 * Group names may hold what the config's words cannot (AD's "Domain
 * Users"): %XX in them is the byte XX, %20 a space, %25 a percent sign.
 * -1 for a % not followed by two hex digits or one that makes a NUL.
 */
static int
percent_decode(const char *s, char *out)
{
	unsigned	 v;

	for (; *s != '\0'; s++) {
		if (*s != '%') {
			*out++ = *s;
			continue;
		}
		if (!isxdigit((unsigned char)s[1]) ||
		    !isxdigit((unsigned char)s[2]) ||
		    sscanf(s + 1, "%2x", &v) != 1 || v == 0)
			return -1;
		*out++ = (char)v;
		s += 2;
	}
	*out = '\0';
	return 0;
}

static int
set_group_role(vr_config_t *cfg, const vr_cmd_t *cmd, char **args,
    char *msg, size_t msglen)
{
	vr_group_role_t	*grown;
	unsigned	 roles;
	char		*group = NULL;
	size_t		 i;
	int		 rc = -1;

	if (strlen(args[0]) > cmd->max) {
		msgf(msg, msglen, "group name longer than %llu bytes",
		    cmd->max);
		goto out;
	}
	if ((group = malloc(strlen(args[0]) + 1)) == NULL) {
		msgf(msg, msglen, "out of memory");
		goto out;
	}
	if (percent_decode(args[0], group) == -1) {
		msgf(msg, msglen, "group name \"%s\": %% must be followed by "
		    "two hex digits (%%20 is a space), not make a NUL", args[0]);
		goto out;
	}
	for (i = 0; i < cfg->ngroup_roles; i++)
		if (strcmp(cfg->group_roles[i].group, group) == 0) {
			msgf(msg, msglen, "duplicate group_role for group "
			    "\"%s\"", args[0]);
			goto out;
		}
	if (parse_roles(args[1], &roles, msg, msglen) == -1)
		goto out;
	grown = realloc(cfg->group_roles,
	    (cfg->ngroup_roles + 1) * sizeof(*grown));
	if (grown == NULL) {
		msgf(msg, msglen, "out of memory");
		goto out;
	}
	cfg->group_roles = grown;
	grown[cfg->ngroup_roles].group = group;
	grown[cfg->ngroup_roles].roles = roles;
	cfg->ngroup_roles++;
	group = NULL;
	rc = 0;
out:
	free(group);
	return rc;
}

/* One character between the groups: , ; | or tab (the word "tab"). */
static int
set_separator(vr_config_t *cfg, const vr_cmd_t *cmd, char **args,
    char *msg, size_t msglen)
{
	char	*sep = FIELD(cfg, cmd->offset, char);

	if (strcmp(args[0], "tab") == 0)
		*sep = '\t';
	else if (strlen(args[0]) == 1 && strchr(",;|", args[0][0]) != NULL)
		*sep = args[0][0];
	else {
		msgf(msg, msglen, "groups_separator is one of , ; | or tab, "
		    "not \"%s\"", args[0]);
		return -1;
	}
	return 0;
}

static int
check_host(const vr_cmd_t *cmd, const char *val, char *msg, size_t msglen)
{
	const char	*p;

	/* Host names and IPv4/IPv6 addresses, nothing the client could misread. */
	for (p = val; *p != '\0'; p++)
		if (!isalnum((unsigned char)*p) && strchr(".-:", *p) == NULL) {
			msgf(msg, msglen, "bad host \"%s\" for \"%s\"",
			    val, cmd->name);
			return -1;
		}
	return 0;
}

static int
check_db_name(const vr_cmd_t *cmd, const char *val, char *msg,
    size_t msglen)
{
	const char	*p;

	/* We splice it into no SQL, but keep it safe to quote anyway. */
	for (p = val; *p != '\0'; p++)
		if (!isalnum((unsigned char)*p) && *p != '_') {
			msgf(msg, msglen, "bad name \"%s\" for \"%s\" "
			    "(letters, digits and _ only)", val, cmd->name);
			return -1;
		}
	return 0;
}

/* A TCP port: 1..65535, digits only. */
static int
check_port(const char *s)
{
	unsigned long long	 v;
	const char		*end;

	return parse_ull(s, &end, &v) == 0 && *end == '\0' &&
	    v >= 1 && v <= 65535 ? 0 : -1;
}

/* Whether a listen value stays on this machine (unix or loopback). */
static bool
listen_is_local(const char *val)
{
	static const char *const local[] = {
		"unix:", "127.0.0.1:", "[::1]:", "localhost:"
	};
	size_t	 i;

	for (i = 0; i < sizeof(local) / sizeof(local[0]); i++)
		if (strncmp(val, local[i], strlen(local[i])) == 0)
			return true;
	return false;
}

static int
check_listen(const vr_cmd_t *cmd, const char *val, char *msg, size_t msglen)
{
	const char	*colon;

	if (strncmp(val, "unix:", 5) == 0) {
		if (val[5] != '/') {
			msgf(msg, msglen, "\"%s\" needs an absolute path after "
			    "\"unix:\", not \"%s\"", cmd->name, val + 5);
			return -1;
		}
		if (strlen(val + 5) >= sizeof(((struct sockaddr_un *)0)->sun_path)) {
			msgf(msg, msglen, "socket path for \"%s\" longer than "
			    "%zu bytes", cmd->name,
			    sizeof(((struct sockaddr_un *)0)->sun_path) - 1);
			return -1;
		}
		return 0;
	}
	if ((colon = strrchr(val, ':')) == NULL || colon == val) {
		msgf(msg, msglen, "bad address \"%s\" for \"%s\" (use "
		    "unix:/path, 127.0.0.1:PORT, [::1]:PORT or localhost:PORT)",
		    val, cmd->name);
		return -1;
	}
	if (check_port(colon + 1) == -1) {
		msgf(msg, msglen, "bad port \"%s\" for \"%s\" (1..65535)",
		    colon + 1, cmd->name);
		return -1;
	}
	return 0;
}

/* An octal file mode such as 0660. */
static int
set_mode(vr_config_t *cfg, const vr_cmd_t *cmd, char **args,
    char *msg, size_t msglen)
{
	char		*end;
	unsigned long	 v;

	errno = 0;
	v = strtoul(args[0], &end, 8);
	if (errno != 0 || end == args[0] || *end != '\0' ||
	    args[0][0] != '0' || v < cmd->min || v > cmd->max) {
		msgf(msg, msglen, "bad mode \"%s\" for \"%s\" (octal, "
		    "0600..0777, such as 0660)", args[0], cmd->name);
		return -1;
	}
	*FIELD(cfg, cmd->offset, unsigned) = (unsigned)v;
	return 0;
}

/* A user or group name as useradd allows it. */
static int
check_account(const vr_cmd_t *cmd, const char *val, char *msg, size_t msglen)
{
	const char	*p;

	for (p = val; *p != '\0'; p++)
		if (!isalnum((unsigned char)*p) && strchr("_-.", *p) == NULL)
			break;
	if (val[0] == '\0' || val[0] == '-' || *p != '\0') {
		msgf(msg, msglen, "bad name \"%s\" for \"%s\"", val,
		    cmd->name);
		return -1;
	}
	return 0;
}

/* Numeric IPv4 or IPv6 addresses, separated by commas. */
static int
check_addrs(const vr_cmd_t *cmd, const char *val, char *msg, size_t msglen)
{
	char		 buf[256], *tok, *save = NULL;
	unsigned char	 a[sizeof(struct in6_addr)];
	int		 n = 0;

	snprintf(buf, sizeof(buf), "%s", val);
	for (tok = strtok_r(buf, ", \t", &save); tok != NULL;
	    tok = strtok_r(NULL, ", \t", &save), n++)
		if ((inet_pton(AF_INET, tok, a) != 1 &&
		    inet_pton(AF_INET6, tok, a) != 1) || n == 32) {
			msgf(msg, msglen, "\"%s\" in \"%s\" is not an IP "
			    "address (at most 32, numeric)", tok, cmd->name);
			return -1;
		}
	return 0;
}

static int
check_url_path(const vr_cmd_t *cmd, const char *val, char *msg,
    size_t msglen)
{
	const char	*p, *seg;
	size_t		 len;

	if (val[0] != '/' || val[1] == '\0' || val[strlen(val) - 1] == '/') {
		msgf(msg, msglen, "\"%s\" must start with / and not end "
		    "with /, not \"%s\"", cmd->name, val);
		return -1;
	}
	/* Plain segments only, so the router compares bytes with bytes. */
	for (p = val; *p != '\0'; p++)
		if (!isalnum((unsigned char)*p) && strchr("/-._~", *p) == NULL) {
			msgf(msg, msglen, "bad character '%c' in \"%s\" "
			    "(letters, digits, / - . _ ~ only)", *p, cmd->name);
			return -1;
		}
	for (seg = val + 1; ; seg = p + 1) {
		p = strchr(seg, '/');
		len = p != NULL ? (size_t)(p - seg) : strlen(seg);
		if (len == 0 || (len == 1 && seg[0] == '.') ||
		    (len == 2 && seg[0] == '.' && seg[1] == '.')) {
			msgf(msg, msglen, "empty, \".\" or \"..\" segment in "
			    "\"%s\"", cmd->name);
			return -1;
		}
		if (p == NULL)
			break;
	}
	return 0;
}

static int
check_param(const vr_cmd_t *cmd, const char *val, char *msg, size_t msglen)
{
	const char	*p;

	for (p = val; *p != '\0'; p++)
		if (!isupper((unsigned char)*p) && !isdigit((unsigned char)*p) &&
		    *p != '_') {
			msgf(msg, msglen, "bad param name \"%s\" for \"%s\" "
			    "(A-Z, 0-9 and _ only)", val, cmd->name);
			return -1;
		}
	/* Security rule: HTTP_* params are request headers the client chose. */
	if (strncmp(val, "HTTP_", 5) == 0) {
		msgf(msg, msglen, "\"%s\" refused for \"%s\": HTTP_* params "
		    "carry client-supplied headers, so a client could forge "
		    "its identity", val, cmd->name);
		return -1;
	}
	return 0;
}

/*
 * Checks that buf holds well-formed UTF-8 without control characters
 * other than tab.  Returns 0, or -1 with a message.
 */
static int
check_text(const unsigned char *s, size_t len, char *msg, size_t msglen)
{
	size_t		 i = 0, n, k;
	unsigned	 c;

	while (i < len) {
		c = s[i];
		if (c < 0x80) {
			if ((c < 0x20 && c != '\t') || c == 0x7f) {
				msgf(msg, msglen, "control character 0x%02x",
				    c);
				return -1;
			}
			i++;
			continue;
		}
		/* Lead byte: how many continuation bytes, which bits count. */
		if (c >= 0xc2 && c <= 0xdf)
			n = 1;
		else if (c >= 0xe0 && c <= 0xef)
			n = 2;
		else if (c >= 0xf0 && c <= 0xf4)
			n = 3;
		else
			goto bad;
		c &= 0x3fu >> n;
		if (len - i <= n)
			goto bad;
		for (k = 1; k <= n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				goto bad;
			c = (c << 6) | (s[i + k] & 0x3f);
		}
		/* Overlong forms, surrogates, beyond U+10FFFF. */
		if ((n == 2 && c < 0x800) || (n == 3 && c < 0x10000) ||
		    (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
			goto bad;
		i += n + 1;
	}
	return 0;
bad:
	msgf(msg, msglen, "invalid UTF-8");
	return -1;
}

/*
 * Reads one line into buf (VR_CONFIG_LINE_MAX + 1 bytes), without its
 * "\n" or "\r\n".
 */
static vr_line_e
read_line(FILE *f, char *buf, size_t *lenp)
{
	size_t	 len = 0;
	int	 c;

	while ((c = getc(f)) != EOF && c != '\n') {
		if (c == '\0')
			return VR_LINE_NUL;
		if (len == VR_CONFIG_LINE_MAX)
			return VR_LINE_TOO_LONG;
		buf[len++] = (char)c;
	}
	if (c == EOF && ferror(f))
		return VR_LINE_IOERR;
	if (c == EOF && len == 0)
		return VR_LINE_EOF;
	if (len > 0 && buf[len - 1] == '\r')
		len--;
	buf[len] = '\0';
	*lenp = len;
	return VR_LINE_OK;
}

/* Splits line in place into words; "#" at a word's start ends the line. */
static size_t
split_words(char *line, char **words, size_t max)
{
	size_t	 n = 0;
	char	*p = line;

	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0' || *p == '#' || n == max)
			break;
		words[n++] = p;
		while (*p != '\0' && *p != ' ' && *p != '\t')
			p++;
		if (*p == '\0')
			break;
		*p++ = '\0';
	}
	return n;
}

static const vr_cmd_t *
find_cmd(const char *name)
{
	size_t	 i;

	for (i = 0; i < VR_NCMDS; i++)
		if (strcmp(vr_cmds[i].name, name) == 0)
			return &vr_cmds[i];
	return NULL;
}

/* Handles one line; seen[] holds the line each directive was first on. */
static int
parse_line(vr_config_t *cfg, char *line, size_t len, size_t lineno,
    size_t *seen, char *msg, size_t msglen)
{
	char		*words[VR_CONFIG_ARGS_MAX];
	const vr_cmd_t	*cmd;
	size_t		 n, idx;

	/* Editors on some systems start the file with a byte order mark. */
	if (lineno == 1 && len >= 3 && memcmp(line, "\xef\xbb\xbf", 3) == 0) {
		line += 3;
		len -= 3;
	}
	if (check_text((const unsigned char *)line, len, msg, msglen) == -1)
		return -1;
	if ((n = split_words(line, words, VR_CONFIG_ARGS_MAX)) == 0)
		return 0;
	if ((cmd = find_cmd(words[0])) == NULL) {
		msgf(msg, msglen, "unknown directive \"%s\"", words[0]);
		return -1;
	}
	if (n - 1 < cmd->nargs) {
		msgf(msg, msglen, "missing value for \"%s\"", cmd->name);
		return -1;
	}
	if (n - 1 > cmd->nargs) {
		msgf(msg, msglen, "extra value \"%s\" for \"%s\"",
		    words[cmd->nargs + 1], cmd->name);
		return -1;
	}
	idx = (size_t)(cmd - vr_cmds);
	if (seen[idx] != 0 && !(cmd->flags & VR_CMD_MULTI)) {
		msgf(msg, msglen, "duplicate directive \"%s\" (first on "
		    "line %zu)", cmd->name, seen[idx]);
		return -1;
	}
	if (seen[idx] == 0)
		seen[idx] = lineno;
	return cmd->set(cfg, cmd, words + 1, msg, msglen);
}

static int
set_defaults(vr_config_t *cfg, const char *path)
{
	static const struct {
		size_t		 offset;
		const char	*value;
	} defs[] = {
		{ F(db_host), "127.0.0.1" },
		{ F(base_path), "/vendor-review/api" },
		{ F(migrations_dir), VR_PKGDATADIR "/sql" },
		{ F(manifest), VR_PKGDATADIR "/plugin-manifests/vendor-review.xml" },
		{ F(vendor_base_path), "/vendor-review/vendor" },
		{ F(vendor_page_path), "/vendor-review/answer" },
		{ F(user_param), "VR_USER" },
		{ F(groups_param), "VR_GROUPS" },
	};
	size_t	 i;

	cfg->db_port = 3306;
	cfg->groups_separator = ',';
	cfg->db_connect_timeout = 5;
	cfg->db_lock_wait_timeout = 10;
	cfg->db_conflict_retries = 8;
	cfg->db_wsrep_sync_wait = 1;
	cfg->threads = 4;
	cfg->processes = 2;
	cfg->header_timeout = 5;
	/* Longer than nginx's upstream keepalive_timeout (60 s): nginx
	 * closes an idle connection first, never mid-request. */
	cfg->idle_timeout = 300;
	cfg->io_timeout = 30;
	cfg->max_params = 64 * 1024;
	cfg->socket_mode = 0660;
	cfg->vendor_link_days = 14;
	/* Practice, not law (domain.md): high, medium, low. */
	cfg->audit_months[0] = 12;
	cfg->audit_months[1] = 24;
	cfg->audit_months[2] = 36;
	cfg->audit_grace_days = 30;
	cfg->reminder_days[0] = 7;
	cfg->reminder_days[1] = 3;
	cfg->reminder_days[2] = 1;
	cfg->max_subcontract_depth = 3;
	cfg->preliminary_report_days = 3;
	cfg->incident_lead_days = 1;
	/* A Pマーク or ISMS renewal takes months: practice, not law. */
	cfg->certification_reminder_days[0] = 90;
	cfg->certification_reminder_days[1] = 30;
	cfg->certification_reminder_days[2] = 7;
	cfg->max_body = 1024 * 1024;
	cfg->list_cache_size = 16 * 1024 * 1024;
	if ((cfg->path = strdup(path)) == NULL)
		return -1;
	for (i = 0; i < sizeof(defs) / sizeof(defs[0]); i++) {
		char **field = FIELD(cfg, defs[i].offset, char *);

		if ((*field = strdup(defs[i].value)) == NULL)
			return -1;
	}
	return 0;
}

/* Whether one URL path is the other or lies below it. */
static bool
paths_overlap(const char *a, const char *b)
{
	size_t	 na = strlen(a), nb = strlen(b), n = na < nb ? na : nb;

	if (strncmp(a, b, n) != 0)
		return false;
	return na == nb || (na < nb ? b[n] == '/' || a[n - 1] == '/' :
	    a[n] == '/' || b[n - 1] == '/');
}

/*
 * Reads and checks path into cfg (defaults first).  Returns 0, or -1 with
 * "FILE:LINE: message" or "FILE: message" in err.  The caller frees cfg
 * with vr_config_free() either way.
 */
int
vr_config_load(const char *path, vr_config_t *cfg, char *err, size_t errlen)
{
	char		 line[VR_CONFIG_LINE_MAX + 1];
	char		 msg[VR_CONFIG_MSG_MAX];
	size_t		 seen[VR_NCMDS] = { 0 };
	size_t		 len = 0, lineno = 0, i;
	FILE		*f = NULL;
	struct stat	 st;
	vr_line_e	 lr;
	int		 rc = -1;

	memset(cfg, 0, sizeof(*cfg));
	msgf(err, errlen, "%s", "");
	if (set_defaults(cfg, path) == -1) {
		msgf(err, errlen, "%s: out of memory", path);
		goto out;
	}
	if ((f = fopen(path, "re")) == NULL) {
		msgf(err, errlen, "%s: %s", path, strerror(errno));
		goto out;
	}
	/* fopen(3) opens a directory; say so rather than "line 1". */
	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
		msgf(err, errlen, "%s: %s", path, strerror(EISDIR));
		goto out;
	}
	for (;;) {
		lineno++;
		lr = read_line(f, line, &len);
		if (lr == VR_LINE_EOF)
			break;
		if (lr != VR_LINE_OK) {
			msgf(err, errlen, "%s:%zu: %s", path, lineno,
			    lr == VR_LINE_TOO_LONG ?
			    "line longer than 4096 bytes" :
			    lr == VR_LINE_NUL ? "NUL byte in line" :
			    strerror(errno));
			goto out;
		}
		if (parse_line(cfg, line, len, lineno, seen, msg,
		    sizeof(msg)) == -1) {
			msgf(err, errlen, "%s:%zu: %s", path, lineno, msg);
			goto out;
		}
	}
	for (i = 0; i < VR_NCMDS; i++)
		if ((vr_cmds[i].flags & VR_CMD_REQUIRED) && seen[i] == 0) {
			msgf(err, errlen, "%s: missing required directive "
			    "\"%s\"", path, vr_cmds[i].name);
			goto out;
		}
	/* A group holding the separator could never be matched. */
	for (i = 0; i < cfg->ngroup_roles; i++)
		if (strchr(cfg->group_roles[i].group,
		    cfg->groups_separator) != NULL) {
			msgf(err, errlen, "%s: group_role \"%s\" holds the "
			    "groups_separator '%s': set another one", path,
			    cfg->group_roles[i].group,
			    cfg->groups_separator == '\t' ? "tab" :
			    (char[]){ cfg->groups_separator, '\0' });
			goto out;
		}
	/*
	 * Whoever reaches the FastCGI port sets the params, the user name
	 * among them: beyond this machine only the web servers named may.
	 */
	if (!listen_is_local(cfg->listen) && cfg->web_server_addrs == NULL) {
		msgf(err, errlen, "%s: listen %s is reachable from the "
		    "network: name the web servers allowed to connect with "
		    "web_server_addrs, or use unix:/path or 127.0.0.1:PORT",
		    path, cfg->listen);
		goto out;
	}
	if (cfg->socket_owner != NULL && getpwnam(cfg->socket_owner) == NULL) {
		msgf(err, errlen, "%s: socket_owner %s: no such user", path,
		    cfg->socket_owner);
		goto out;
	}
	if (cfg->socket_group != NULL && getgrnam(cfg->socket_group) == NULL) {
		msgf(err, errlen, "%s: socket_group %s: no such group", path,
		    cfg->socket_group);
		goto out;
	}
	/*
	 * The vendor's links take no login: the API must not lie below
	 * them (nor they below it), or the vendor's location would open it.
	 */
	if (paths_overlap(cfg->base_path, cfg->vendor_base_path)) {
		msgf(err, errlen, "%s: vendor_base_path %s and base_path %s "
		    "must not be one inside the other", path,
		    cfg->vendor_base_path, cfg->base_path);
		goto out;
	}
	rc = 0;
out:
	if (f != NULL)
		fclose(f);
	/* Wipe the last line read: it is config, not secret, but cheap. */
	explicit_bzero(line, sizeof(line));
	return rc;
}

/* Frees what cfg owns and zeroes it; safe on a zeroed or freed cfg. */
void
vr_config_free(vr_config_t *cfg)
{
	size_t	 i;

	if (cfg == NULL)
		return;
	free(cfg->path);
	free(cfg->db_socket);
	free(cfg->db_host);
	free(cfg->db_user);
	free(cfg->db_password_file);
	free(cfg->sheet_secret_file);
	free(cfg->db_name);
	free(cfg->listen);
	free(cfg->socket_owner);
	free(cfg->socket_group);
	free(cfg->web_server_addrs);
	free(cfg->base_path);
	free(cfg->migrations_dir);
	free(cfg->manifest);
	free(cfg->vendor_base_path);
	free(cfg->vendor_page_path);
	free(cfg->user_param);
	free(cfg->groups_param);
	for (i = 0; i < cfg->ngroup_roles; i++)
		free(cfg->group_roles[i].group);
	free(cfg->group_roles);
	memset(cfg, 0, sizeof(*cfg));
}

/*
 * Reads the first line of the secret file path (key names its directive)
 * into buf ("\n" or "\r\n" stripped).  Refuses a file others may read,
 * an empty secret and one that does not fit in buflen - 1 bytes.
 * Returns 0, or -1 with "PATH: message" in err and buf wiped.  The caller
 * wipes buf when done.
 */
static int
read_secret(const char *path, const char *key, const char *what, char *buf,
    size_t buflen, char *err, size_t errlen)
{
	char		 chunk[256];
	struct stat	 st;
	ssize_t		 n;
	size_t		 len = 0, i;
	int		 fd = -1, done = 0, rc = -1;

	msgf(err, errlen, "%s", "");
	if (buf == NULL || buflen < 2) {
		msgf(err, errlen, "%s buffer too small", what);
		goto out;
	}
	buf[0] = '\0';
	if (path == NULL) {
		msgf(err, errlen, "no %s configured", key);
		goto out;
	}
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) == -1) {
		msgf(err, errlen, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (fstat(fd, &st) == -1) {
		msgf(err, errlen, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		msgf(err, errlen, "%s: %s file is not a regular file",
		    path, what);
		goto out;
	}
	/* A secret every local user can read is no secret. */
	if (st.st_mode & S_IROTH) {
		msgf(err, errlen, "%s: %s file is readable by others (mode "
		    "%04o); chmod o-r it", path, what,
		    (unsigned)(st.st_mode & 07777));
		goto out;
	}
	/* read(2), not stdio: no copy left behind in a FILE buffer. */
	while (!done && (n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n == -1) {
			if (errno == EINTR)
				continue;
			msgf(err, errlen, "%s: %s", path, strerror(errno));
			goto out;
		}
		for (i = 0; i < (size_t)n; i++) {
			if (chunk[i] == '\n') {
				done = 1;
				break;
			}
			if (chunk[i] == '\0') {
				msgf(err, errlen, "%s: NUL byte in %s",
				    path, what);
				goto out;
			}
			if (len == buflen - 1) {
				msgf(err, errlen, "%s: %s longer than "
				    "%zu bytes", path, what, buflen - 1);
				goto out;
			}
			buf[len++] = chunk[i];
		}
	}
	if (len > 0 && buf[len - 1] == '\r')
		len--;
	buf[len] = '\0';
	if (len == 0) {
		msgf(err, errlen, "%s: %s file is empty", path, what);
		goto out;
	}
	rc = 0;
out:
	explicit_bzero(chunk, sizeof(chunk));
	if (rc == -1 && buf != NULL && buflen > 0)
		explicit_bzero(buf, buflen);
	if (fd != -1)
		close(fd);
	return rc;
}

int
vr_config_read_password(const vr_config_t *cfg, char *buf, size_t buflen,
    char *err, size_t errlen)
{
	return read_secret(cfg->db_password_file, "db_password_file",
	    "password", buf, buflen, err, errlen);
}

int
vr_config_read_sheet_secret(const vr_config_t *cfg, char *buf,
    size_t buflen, char *err, size_t errlen)
{
	return read_secret(cfg->sheet_secret_file, "sheet_secret_file",
	    "sheet secret", buf, buflen, err, errlen);
}

/* Role bits for a role name ("requester", ...), 0 when unknown or NULL. */
unsigned
vr_role_of_name(const char *name)
{
	size_t	 i;

	if (name == NULL)
		return 0;
	for (i = 0; i < VR_NROLES; i++)
		if (strcmp(vr_roles[i].name, name) == 0)
			return (unsigned)vr_roles[i].role;
	return 0;
}

/* The name of one role; NULL for 0, several bits or an unknown bit. */
const char *
vr_role_name(vr_role_e role)
{
	size_t	 i;

	for (i = 0; i < VR_NROLES; i++)
		if (vr_roles[i].role == role)
			return vr_roles[i].name;
	return NULL;
}
