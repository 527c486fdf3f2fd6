/*
 * vr_config: the configuration file.  One declarative table of directives
 * (name, setter by type, offset of the field it fills), as nginx does;
 * every error is reported as "FILE:LINE: message".
 */
#ifndef VR_CONFIG_H
#define VR_CONFIG_H

#include <stddef.h>

/* Plugin roles, a bit each; one person may hold several. */
typedef enum vr_role {
	VR_ROLE_REQUESTER = 1u << 0,
	VR_ROLE_REVIEWER  = 1u << 1,
	VR_ROLE_APPROVER  = 1u << 2,
	VR_ROLE_AUDITOR   = 1u << 3,
	VR_ROLE_ADMIN     = 1u << 4,
	/*
	 * The vendor contact answering through a link: only a link's
	 * token gives it, never a host group (group_role refuses it).
	 */
	VR_ROLE_VENDOR    = 1u << 5
} vr_role_e;
#define VR_ROLE_ANY	0x1fu	/* every intranet role, not the vendor */

typedef struct vr_group_role {
	char		*group;		/* host group name, exact match */
	unsigned	 roles;		/* vr_role_e bits it grants */
} vr_group_role_t;

typedef struct vr_config {
	char		*path;		/* the file this was read from */
	/* database */
	char		*db_socket;	/* unix socket; wins over host/port */
	char		*db_host;	/* default 127.0.0.1 */
	unsigned	 db_port;	/* default 3306 */
	char		*db_user;
	char		*db_password_file; /* first line is the password */
	char		*db_name;
	unsigned	 db_connect_timeout; /* seconds, default 5 */
	unsigned	 db_lock_wait_timeout; /* seconds, default 10 */
	unsigned	 db_conflict_retries; /* reruns after 1213/1205; 8 */
	unsigned	 db_wsrep_sync_wait; /* Galera wsrep_sync_wait; 1 */
	/* server */
	char		*listen;	/* "unix:/path" or "127.0.0.1:9000" */
	unsigned	 threads;	/* threads per worker process, default 4 */
	unsigned	 processes;	/* worker processes, default 2 */
	unsigned	 header_timeout; /* s for a request header; default 5 */
	unsigned	 idle_timeout;	/* s a kept connection idles; 300 */
	unsigned	 io_timeout;	/* s one read or write blocks; 30 */
	size_t		 max_params;	/* FastCGI params bytes; default 64k */
	/* the unix socket's owner, group and mode; default ours, 0660 */
	char		*socket_owner;
	char		*socket_group;
	unsigned	 socket_mode;
	/* TCP peers allowed; needed to listen beyond loopback */
	char		*web_server_addrs;
	size_t		 max_body;	/* request body limit, bytes; default 1 MiB */
	size_t		 list_cache_size; /* bytes of cached list pages; 0: off */
	char		*base_path;	/* default "/vendor-review/api" */
	char		*migrations_dir; /* default VR_PKGDATADIR "/sql" */
	/* default VR_PKGDATADIR "/plugin-manifests/vendor-review.xml" */
	char		*manifest;
	char		*vendor_base_path; /* default "/vendor-review/vendor" */
	char		*vendor_page_path; /* default "/vendor-review/answer" */
	unsigned	 vendor_link_days; /* default 14 */
	/* first line keys the returned workbooks' digest; none: no import */
	char		*sheet_secret_file;
	unsigned	 audit_months[3]; /* by tier high, medium, low */
	unsigned	 audit_grace_days; /* an audit is overdue after; 30 */
	unsigned	 reminder_days[3]; /* ahead of a link or due date; 7 3 1 */
	unsigned	 max_subcontract_depth; /* 再委託 levels; default 3 */
	unsigned	 preliminary_report_days; /* 速報 target; default 3 */
	unsigned	 incident_lead_days; /* notice ahead of a deadline; 1 */
	/* ahead of a vendor's certification expiry; 90 30 7 */
	unsigned	 certification_reminder_days[3];
	/* identity */
	char		*user_param;	/* FastCGI param with the user; default VR_USER */
	char		*groups_param;	/* FastCGI param with the groups; default VR_GROUPS */
	char		 groups_separator; /* between groups in it; default ',' */
	vr_group_role_t	*group_roles;
	size_t		 ngroup_roles;
} vr_config_t;

/*
 * Reads and checks path into cfg (defaults first).  Returns 0, or -1 with
 * "FILE:LINE: message" (or "FILE: message") in err.  cfg must be freed
 * with vr_config_free() either way.
 */
int		 vr_config_load(const char *path, vr_config_t *cfg,
		    char *err, size_t errlen);
void		 vr_config_free(vr_config_t *);
/*
 * Reads the database password (first line of db_password_file, newline
 * stripped) into buf.  Returns 0, or -1 with a message in err.  The caller
 * wipes buf when done.
 */
int		 vr_config_read_password(const vr_config_t *, char *buf,
		    size_t buflen, char *err, size_t errlen);
/*
 * The same for sheet_secret_file: the key of the digest that ties an
 * exported workbook to its case.
 */
int		 vr_config_read_sheet_secret(const vr_config_t *, char *buf,
		    size_t buflen, char *err, size_t errlen);
/* Role bits for a role name ("requester", ...), 0 when unknown. */
unsigned	 vr_role_of_name(const char *);
const char	*vr_role_name(vr_role_e);

#endif
