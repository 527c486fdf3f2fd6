/*
 * test_config: vr_config_load(), vr_config_read_password() and the role
 * names, driven by tables of config texts and the exact "FILE:LINE:
 * message" each must give.  Each case writes a temp file (mkstemp under
 * $TMPDIR or /tmp) and removes it.  Exits non-zero on any failure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/vr_config.h"
#include "core/vr_paths.h"

/* Five valid lines: an error on the next line is on line 6. */
#define BASE \
	"db_user vr\n" \
	"db_name vendor_review\n" \
	"db_password_file /etc/vendor-review/db.pw\n" \
	"listen unix:/run/vendor-review/vendor-review.sock\n" \
	"group_role staff requester\n"
#define BASE_NO_LISTEN \
	"db_user vr\n" \
	"db_name vendor_review\n" \
	"db_password_file /etc/vendor-review/db.pw\n" \
	"group_role staff requester\n"

typedef struct load_case {
	const char	*name;
	const char	*text;
	const char	*err;	/* expected after "FILE"; NULL: must load */
} load_case_t;

static const load_case_t load_cases[] = {
	{ "minimal config loads", BASE, NULL },
	{ "comments, blanks, tabs and CRLF", "# head\n\n   \n\t# indented\n"
	    "db_user\tvr # trailing\r\n" "db_name vendor_review\n"
	    "db_password_file /etc/vendor-review/db.pw\n"
	    "listen 127.0.0.1:9000\n" "group_role staff requester\n", NULL },
	{ "last line without newline", BASE "threads 8", NULL },
	{ "byte order mark on line 1", "\xef\xbb\xbf" BASE, NULL },
	{ "hash inside a word is not a comment",
	    BASE "db_socket /run/my#sql.sock\n", NULL },
	{ "UTF-8 group name", BASE "group_role \xe7\xb7\x8f\xe5\x8b\x99 admin\n",
	    NULL },
	{ "db_port 1", BASE "db_port 1\n", NULL },
	{ "4-byte UTF-8", BASE "group_role \xf0\x9f\x98\x80 admin\n", NULL },

	{ "unknown directive", BASE "thread 4\n",
	    ":6: unknown directive \"thread\"" },
	{ "directive names are case-sensitive", BASE "Threads 4\n",
	    ":6: unknown directive \"Threads\"" },
	{ "missing value", BASE "threads\n",
	    ":6: missing value for \"threads\"" },
	{ "missing value hidden by comment", BASE "threads # 4\n",
	    ":6: missing value for \"threads\"" },
	{ "extra value", BASE "threads 4 8\n",
	    ":6: extra value \"8\" for \"threads\"" },
	{ "group_role missing roles", BASE "group_role admins\n",
	    ":6: missing value for \"group_role\"" },
	{ "group_role with spaced roles", BASE "group_role a admin, auditor\n",
	    ":6: extra value \"auditor\" for \"group_role\"" },
	{ "duplicate directive", BASE "threads 4\nthreads 8\n",
	    ":7: duplicate directive \"threads\" (first on line 6)" },
	{ "duplicate required directive", BASE "db_user other\n",
	    ":6: duplicate directive \"db_user\" (first on line 1)" },
	{ "bad number", BASE "threads four\n",
	    ":6: bad number \"four\" for \"threads\"" },
	{ "signed number", BASE "threads +4\n",
	    ":6: bad number \"+4\" for \"threads\"" },
	{ "number with suffix", BASE "db_port 80x\n",
	    ":6: bad number \"80x\" for \"db_port\"" },
	{ "threads 0", BASE "threads 0\n",
	    ":6: value \"0\" out of range for \"threads\" (1..256)" },
	{ "threads 257", BASE "threads 257\n",
	    ":6: value \"257\" out of range for \"threads\" (1..256)" },
	{ "number overflow", BASE "threads 99999999999999999999999\n",
	    ":6: value \"99999999999999999999999\" out of range for "
	    "\"threads\" (1..256)" },
	{ "port 0", BASE "db_port 0\n",
	    ":6: value \"0\" out of range for \"db_port\" (1..65535)" },
	{ "port 65536", BASE "db_port 65536\n",
	    ":6: value \"65536\" out of range for \"db_port\" (1..65535)" },
	{ "retries 101", BASE "db_conflict_retries 101\n",
	    ":6: value \"101\" out of range for \"db_conflict_retries\" "
	    "(0..100)" },
	{ "timeout 301", BASE "db_connect_timeout 301\n",
	    ":6: value \"301\" out of range for \"db_connect_timeout\" "
	    "(1..300)" },
	{ "max_body too small", BASE "max_body 1023\n",
	    ":6: value \"1023\" out of range for \"max_body\" (1k..64m)" },
	{ "max_body too big", BASE "max_body 65m\n",
	    ":6: value \"65m\" out of range for \"max_body\" (1k..64m)" },
	{ "max_body overflow by suffix", BASE "max_body 18014398509481984m\n",
	    ":6: value \"18014398509481984m\" out of range for \"max_body\" "
	    "(1k..64m)" },
	{ "max_body bad suffix", BASE "max_body 1g\n",
	    ":6: bad size \"1g\" for \"max_body\"" },
	{ "max_body suffix only", BASE "max_body k\n",
	    ":6: bad size \"k\" for \"max_body\"" },
	{ "list_cache_size too big", BASE "list_cache_size 1025m\n",
	    ":6: value \"1025m\" out of range for \"list_cache_size\" "
	    "(0..1024m)" },
	{ "max_body double suffix", BASE "max_body 1kk\n",
	    ":6: bad size \"1kk\" for \"max_body\"" },
	{ "relative path", BASE "migrations_dir sql\n",
	    ":6: \"migrations_dir\" must be an absolute path, not \"sql\"" },
	{ "relative password file",
	    "db_password_file db.pw\n",
	    ":1: \"db_password_file\" must be an absolute path, not \"db.pw\"" },
	{ "socket path too long", BASE "db_socket /"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n",
	    ":6: value for \"db_socket\" longer than 107 bytes" },
	{ "db_name twice", BASE "db_name x\n",
	    ":6: duplicate directive \"db_name\" (first on line 2)" },
	{ "db_name bad characters", "db_name vendor-review\n",
	    ":1: bad name \"vendor-review\" for \"db_name\" "
	    "(letters, digits and _ only)" },
	{ "db_name too long", "db_name "
	    "a123456789b123456789c123456789d123456789e123456789f123456789g1234\n",
	    ":1: value for \"db_name\" longer than 64 bytes" },
	{ "db_host bad characters", BASE "db_host db/host\n",
	    ":6: bad host \"db/host\" for \"db_host\"" },
	{ "listen on all interfaces", BASE_NO_LISTEN "listen 0.0.0.0:9000\n",
	    ": listen 0.0.0.0:9000 is reachable from the network: name the web "
	    "servers allowed to connect with web_server_addrs, or use "
	    "unix:/path or 127.0.0.1:PORT" },
	{ "listen on a LAN address", BASE_NO_LISTEN "listen 192.168.1.5:9000\n",
	    ": listen 192.168.1.5:9000 is reachable from the network: name the web "
	    "servers allowed to connect with web_server_addrs, or use "
	    "unix:/path or 127.0.0.1:PORT" },
	{ "listen on [::]", BASE_NO_LISTEN "listen [::]:9000\n",
	    ": listen [::]:9000 is reachable from the network: name the web "
	    "servers allowed to connect with web_server_addrs, or use "
	    "unix:/path or 127.0.0.1:PORT" },
	{ "listen on a LAN address with web_server_addrs",
	    BASE_NO_LISTEN "listen 192.168.1.5:9000\n"
	    "web_server_addrs 192.168.1.2,2001:db8::7\n", NULL },
	{ "web_server_addrs not an address",
	    BASE "web_server_addrs web1.example\n",
	    ":6: \"web1.example\" in \"web_server_addrs\" is not an IP "
	    "address (at most 32, numeric)" },
	{ "socket_mode not octal", BASE "socket_mode 660\n",
	    ":6: bad mode \"660\" for \"socket_mode\" (octal, 0600..0777, "
	    "such as 0660)" },
	{ "socket_group unknown", BASE "socket_group no-such-group-vr\n",
	    ": socket_group no-such-group-vr: no such group" },
	{ "processes out of range", BASE "processes 0\n",
	    ":6: value \"0\" out of range for \"processes\" (1..64)" },
	{ "listen port only", "listen 9000\n",
	    ":1: bad address \"9000\" for \"listen\" (use unix:/path, "
	    "127.0.0.1:PORT, [::1]:PORT or localhost:PORT)" },
	{ "listen relative unix", "listen unix:vr.sock\n",
	    ":1: \"listen\" needs an absolute path after \"unix:\", not "
	    "\"vr.sock\"" },
	{ "listen bad port", "listen 127.0.0.1:70000\n",
	    ":1: bad port \"70000\" for \"listen\" (1..65535)" },
	{ "listen empty port", "listen localhost:\n",
	    ":1: bad port \"\" for \"listen\" (1..65535)" },
	{ "listen [::1] port 0", "listen [::1]:0\n",
	    ":1: bad port \"0\" for \"listen\" (1..65535)" },
	{ "base_path trailing slash", BASE "base_path /api/\n",
	    ":6: \"base_path\" must start with / and not end with /, not "
	    "\"/api/\"" },
	{ "base_path root", BASE "base_path /\n",
	    ":6: \"base_path\" must start with / and not end with /, not "
	    "\"/\"" },
	{ "base_path relative", BASE "base_path api\n",
	    ":6: \"base_path\" must start with / and not end with /, not "
	    "\"api\"" },
	{ "base_path percent", BASE "base_path /a%20b\n",
	    ":6: bad character '%' in \"base_path\" "
	    "(letters, digits, / - . _ ~ only)" },
	{ "base_path double slash", BASE "base_path /a//b\n",
	    ":6: empty, \".\" or \"..\" segment in \"base_path\"" },
	{ "base_path dot-dot", BASE "base_path /a/../b\n",
	    ":6: empty, \".\" or \"..\" segment in \"base_path\"" },
	{ "user_param HTTP_", BASE "user_param HTTP_X_REMOTE_USER\n",
	    ":6: \"HTTP_X_REMOTE_USER\" refused for \"user_param\": HTTP_* "
	    "params carry client-supplied headers, so a client could forge "
	    "its identity" },
	{ "groups_param HTTP_", BASE "groups_param HTTP_X_GROUPS\n",
	    ":6: \"HTTP_X_GROUPS\" refused for \"groups_param\": HTTP_* "
	    "params carry client-supplied headers, so a client could forge "
	    "its identity" },
	{ "user_param lower case", BASE "user_param remote_user\n",
	    ":6: bad param name \"remote_user\" for \"user_param\" "
	    "(A-Z, 0-9 and _ only)" },
	{ "user_param dash", BASE "user_param X-USER\n",
	    ":6: bad param name \"X-USER\" for \"user_param\" "
	    "(A-Z, 0-9 and _ only)" },
	{ "unknown role", BASE "group_role admins root\n",
	    ":6: unknown role \"root\" (roles: requester reviewer approver "
	    "auditor admin)" },
	{ "role names are case-sensitive", BASE "group_role admins Admin\n",
	    ":6: unknown role \"Admin\" (roles: requester reviewer approver "
	    "auditor admin)" },
	{ "empty role in list", BASE "group_role admins admin,,auditor\n",
	    ":6: empty role in \"admin,,auditor\"" },
	{ "trailing comma in list", BASE "group_role admins admin,\n",
	    ":6: empty role in \"admin,\"" },
	{ "same group twice", BASE "group_role staff admin\n",
	    ":6: duplicate group_role for group \"staff\"" },
	{ "comma in group name", BASE "group_role a,b admin\n",
	    ": group_role \"a,b\" holds the groups_separator ',': set "
	    "another one" },
	{ "semicolon in group name, after the separator is set", BASE
	    "groups_separator ;\ngroup_role CN=Staff;OU=x admin\n",
	    ": group_role \"CN=Staff;OU=x\" holds the groups_separator ';': "
	    "set another one" },
	{ "bad groups_separator", BASE "groups_separator /\n",
	    ":6: groups_separator is one of , ; | or tab, not \"/\"" },
	{ "a lone percent in a group name", BASE "group_role 100%25%x admin\n",
	    ":6: group name \"100%25%x\": % must be followed by two hex "
	    "digits (%20 is a space), not make a NUL" },
	{ "a percent-encoded NUL", BASE "group_role a%00b admin\n",
	    ":6: group name \"a%00b\": % must be followed by two hex digits "
	    "(%20 is a space), not make a NUL" },
	{ "the same group spelled twice", BASE "group_role Domain%20Users "
	    "admin\ngroup_role Domain%20Users auditor\n",
	    ":7: duplicate group_role for group \"Domain%20Users\"" },
	{ "control character", BASE "threads \x01" "4\n",
	    ":6: control character 0x01" },
	{ "lone carriage return", BASE "threads 4\rthreads 5\n",
	    ":6: control character 0x0d" },
	{ "invalid UTF-8", BASE "group_role caf\xe9 admin\n",
	    ":6: invalid UTF-8" },
	{ "overlong UTF-8", BASE "group_role \xc0\xaf admin\n",
	    ":6: invalid UTF-8" },
	{ "UTF-8 beyond U+10FFFF", BASE "group_role \xf4\x90\x80\x80 admin\n",
	    ":6: invalid UTF-8" },
	{ "UTF-8 surrogate", BASE "group_role \xed\xa0\x80 admin\n",
	    ":6: invalid UTF-8" },
	{ "truncated UTF-8 at end", BASE "group_role admin \xe7\xb7",
	    ":6: invalid UTF-8" },
	{ "missing db_user", "db_name vendor_review\n"
	    "db_password_file /etc/vendor-review/db.pw\n"
	    "listen unix:/run/vr.sock\n" "group_role staff requester\n",
	    ": missing required directive \"db_user\"" },
	{ "missing db_name", "db_user vr\n"
	    "db_password_file /etc/vendor-review/db.pw\n"
	    "listen unix:/run/vr.sock\n" "group_role staff requester\n",
	    ": missing required directive \"db_name\"" },
	{ "missing db_password_file", "db_user vr\ndb_name vr\n"
	    "listen unix:/run/vr.sock\n" "group_role staff requester\n",
	    ": missing required directive \"db_password_file\"" },
	{ "missing listen", "db_user vr\ndb_name vr\n"
	    "db_password_file /etc/vendor-review/db.pw\n"
	    "group_role staff requester\n",
	    ": missing required directive \"listen\"" },
	{ "missing group_role", "db_user vr\ndb_name vr\n"
	    "db_password_file /etc/vendor-review/db.pw\n"
	    "listen unix:/run/vr.sock\n",
	    ": missing required directive \"group_role\"" },
	{ "empty file", "", ": missing required directive \"db_user\"" },
};

static int	 npass, nfail;

static void
check(int ok, const char *name, const char *fmt, const char *a,
    const char *b)
{
	if (ok) {
		npass++;
		return;
	}
	nfail++;
	printf("FAIL %s: ", name);
	printf(fmt, a, b);
	printf("\n");
}

/* Writes len bytes to a new temp file; returns its malloc'd path. */
static char *
write_temp(const void *data, size_t len, mode_t mode)
{
	const char	*dir = getenv("TMPDIR");
	char		*path;
	size_t		 plen;
	int		 fd;

	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	plen = strlen(dir) + sizeof("/test_config.XXXXXX");
	if ((path = malloc(plen)) == NULL)
		abort();
	snprintf(path, plen, "%s/test_config.XXXXXX", dir);
	if ((fd = mkstemp(path)) == -1) {
		perror(path);
		abort();
	}
	if (write(fd, data, len) != (ssize_t)len || fchmod(fd, mode) == -1) {
		perror(path);
		abort();
	}
	close(fd);
	return path;
}

/* Loads text; checks rc and err == path + suffix (or empty on success). */
static void
run_load(const char *name, const void *text, size_t len, const char *suffix,
    vr_config_t *cfg)
{
	char	 err[1024], want[1024];
	char	*path = write_temp(text, len, 0600);
	int	 rc;

	memset(err, 'x', sizeof(err));
	rc = vr_config_load(path, cfg, err, sizeof(err));
	if (suffix == NULL) {
		check(rc == 0, name, "want success, got \"%s\"%s", err, "");
	} else {
		snprintf(want, sizeof(want), "%s%s", path, suffix);
		check(rc == -1 && strcmp(err, want) == 0, name,
		    "want \"%s\", got \"%s\"", want, err);
	}
	unlink(path);
	free(path);
}

static void
test_load_table(void)
{
	vr_config_t	 cfg;
	size_t		 i;

	for (i = 0; i < sizeof(load_cases) / sizeof(load_cases[0]); i++) {
		run_load(load_cases[i].name, load_cases[i].text,
		    strlen(load_cases[i].text), load_cases[i].err, &cfg);
		vr_config_free(&cfg);
	}
}

static void
check_str(const char *name, const char *got, const char *want)
{
	int ok = (got == NULL && want == NULL) ||
	    (got != NULL && want != NULL && strcmp(got, want) == 0);

	check(ok, name, "want \"%s\", got \"%s\"", want ? want : "(null)",
	    got ? got : "(null)");
}

static void
check_num(const char *name, unsigned long long got, unsigned long long want)
{
	char	 g[32], w[32];

	snprintf(g, sizeof(g), "%llu", got);
	snprintf(w, sizeof(w), "%llu", want);
	check(got == want, name, "want %s, got %s", w, g);
}

static void
test_defaults(void)
{
	vr_config_t	 cfg;

	run_load("defaults load", BASE, strlen(BASE), NULL, &cfg);
	check_str("default db_socket", cfg.db_socket, NULL);
	check_str("default db_host", cfg.db_host, "127.0.0.1");
	check_num("default db_port", cfg.db_port, 3306);
	check_num("default db_connect_timeout", cfg.db_connect_timeout, 5);
	check_num("default db_lock_wait_timeout", cfg.db_lock_wait_timeout,
	    10);
	check_num("default db_conflict_retries", cfg.db_conflict_retries, 8);
	check_num("default db_wsrep_sync_wait", cfg.db_wsrep_sync_wait, 1);
	check_num("default threads", cfg.threads, 4);
	check_num("default max_body", cfg.max_body, 1024 * 1024);
	check_num("default list_cache_size", cfg.list_cache_size,
	    16 * 1024 * 1024);
	check_str("default base_path", cfg.base_path, "/vendor-review/api");
	check_str("default migrations_dir", cfg.migrations_dir,
	    VR_PKGDATADIR "/sql");
	check_str("default user_param", cfg.user_param, "VR_USER");
	check_str("default groups_param", cfg.groups_param, "VR_GROUPS");
	check_str("db_user", cfg.db_user, "vr");
	check_str("db_name", cfg.db_name, "vendor_review");
	check_str("db_password_file", cfg.db_password_file,
	    "/etc/vendor-review/db.pw");
	check_str("listen", cfg.listen,
	    "unix:/run/vendor-review/vendor-review.sock");
	check_num("one group_role", cfg.ngroup_roles, 1);
	if (cfg.ngroup_roles == 1) {
		check_str("group", cfg.group_roles[0].group, "staff");
		check_num("roles", cfg.group_roles[0].roles,
		    VR_ROLE_REQUESTER);
	}
	check(cfg.path != NULL, "path kept", "%s%s", "", "");
	vr_config_free(&cfg);
	check(cfg.db_user == NULL && cfg.ngroup_roles == 0,
	    "free zeroes the struct", "%s%s", "", "");
	vr_config_free(&cfg);	/* twice is harmless */
}

static void
test_all_set(void)
{
	static const char text[] =
	    "db_socket /run/mysqld/mysqld.sock\n"
	    "db_host db.example.internal\n"
	    "db_port 3307\n"
	    "db_user vendor_review\n"
	    "db_password_file /etc/vendor-review/db.pw\n"
	    "db_name intranet\n"
	    "db_connect_timeout 300\n"
	    "db_conflict_retries 0\n"
	    "db_wsrep_sync_wait 0\n"
	    "listen [::1]:9001\n"
	    "threads 256\n"
	    "max_body 64m\n"
	    "list_cache_size 0\n"
	    "base_path /intranet/vendor-review/api.v1\n"
	    "migrations_dir /opt/vr/sql\n"
	    "user_param REMOTE_USER\n"
	    "groups_param VR_GROUPS_2\n"
	    "group_role staff requester\n"
	    "group_role security reviewer,auditor\n"
	    "group_role board approver,admin,requester\n";
	vr_config_t	 cfg;

	run_load("all directives load", text, strlen(text), NULL, &cfg);
	check_str("db_socket", cfg.db_socket, "/run/mysqld/mysqld.sock");
	check_str("db_host", cfg.db_host, "db.example.internal");
	check_num("db_port", cfg.db_port, 3307);
	check_str("db_name", cfg.db_name, "intranet");
	check_num("db_connect_timeout", cfg.db_connect_timeout, 300);
	check_num("db_conflict_retries 0", cfg.db_conflict_retries, 0);
	check_num("db_wsrep_sync_wait 0", cfg.db_wsrep_sync_wait, 0);
	check_str("listen [::1]", cfg.listen, "[::1]:9001");
	check_num("threads 256", cfg.threads, 256);
	check_num("max_body 64m", cfg.max_body, 64u * 1024 * 1024);
	check_num("list_cache_size 0 (off)", cfg.list_cache_size, 0);
	check_str("base_path", cfg.base_path,
	    "/intranet/vendor-review/api.v1");
	check_str("migrations_dir", cfg.migrations_dir, "/opt/vr/sql");
	check_str("user_param", cfg.user_param, "REMOTE_USER");
	check_str("groups_param", cfg.groups_param, "VR_GROUPS_2");
	check_num("three group_roles", cfg.ngroup_roles, 3);
	if (cfg.ngroup_roles == 3) {
		check_str("group 2", cfg.group_roles[1].group, "security");
		check_num("roles 2", cfg.group_roles[1].roles,
		    VR_ROLE_REVIEWER | VR_ROLE_AUDITOR);
		check_num("roles 3", cfg.group_roles[2].roles,
		    VR_ROLE_APPROVER | VR_ROLE_ADMIN | VR_ROLE_REQUESTER);
	}
	vr_config_free(&cfg);
}

static void
test_sizes(void)
{
	static const struct {
		const char		*value;
		unsigned long long	 want;
	} cases[] = {
		{ "1k", 1024 }, { "1K", 1024 }, { "1024", 1024 },
		{ "512k", 512 * 1024 }, { "2M", 2 * 1024 * 1024 },
		{ "67108864", 64 * 1024 * 1024 },
	};
	char		 text[512];
	vr_config_t	 cfg;
	size_t		 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(text, sizeof(text), BASE "max_body %s\n",
		    cases[i].value);
		run_load(cases[i].value, text, strlen(text), NULL, &cfg);
		check_num(cases[i].value, cfg.max_body, cases[i].want);
		vr_config_free(&cfg);
	}
}

static void
test_listen_forms(void)
{
	static const char *const ok[] = {
		"unix:/run/vr.sock", "127.0.0.1:9000", "[::1]:65535",
		"localhost:1",
	};
	char		 text[512];
	vr_config_t	 cfg;
	size_t		 i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		snprintf(text, sizeof(text), "db_user vr\ndb_name vr\n"
		    "db_password_file /p\nlisten %s\ngroup_role g admin\n",
		    ok[i]);
		run_load(ok[i], text, strlen(text), NULL, &cfg);
		check_str(ok[i], cfg.listen, ok[i]);
		vr_config_free(&cfg);
	}
}

/* Lines of exactly 4096 bytes load; 4097 do not. */
static void
test_long_lines(void)
{
	size_t		 base = strlen(BASE), len;
	char		*text;
	vr_config_t	 cfg;

	if ((text = malloc(base + 8192)) == NULL)
		abort();
	memcpy(text, BASE, base);
	/* "# aaa...": a 4096-byte comment line. */
	len = base;
	text[len++] = '#';
	memset(text + len, 'a', 4095);
	len += 4095;
	text[len++] = '\n';
	run_load("4096-byte line", text, len, NULL, &cfg);
	vr_config_free(&cfg);
	run_load("4096-byte line at EOF", text, len - 1, NULL, &cfg);
	vr_config_free(&cfg);

	len = base;
	text[len++] = '#';
	memset(text + len, 'a', 4096);
	len += 4096;
	text[len++] = '\n';
	run_load("4097-byte line", text, len, ":6: line longer than 4096 bytes",
	    &cfg);
	vr_config_free(&cfg);
	run_load("4097-byte line at EOF", text, len - 1,
	    ":6: line longer than 4096 bytes", &cfg);
	vr_config_free(&cfg);
	free(text);
}

static void
test_nul_and_missing(void)
{
	static const char text[] = "db_user vr\nthreads 4\0\n";
	vr_config_t	 cfg;
	char		 err[512];
	int		 rc;

	run_load("NUL byte", text, sizeof(text) - 1, ":2: NUL byte in line",
	    &cfg);
	vr_config_free(&cfg);

	rc = vr_config_load("/nonexistent/vr.conf", &cfg, err, sizeof(err));
	check(rc == -1 && strcmp(err, "/nonexistent/vr.conf: No such file "
	    "or directory") == 0, "missing file", "rc %s, err \"%s\"",
	    rc == -1 ? "-1" : "0", err);
	vr_config_free(&cfg);

	rc = vr_config_load("/", &cfg, err, sizeof(err));
	check(rc == -1 && strcmp(err, "/: Is a directory") == 0,
	    "directory as config", "rc %s, err \"%s\"",
	    rc == -1 ? "-1" : "0", err);
	vr_config_free(&cfg);

	/* A zero-length err buffer must not be written. */
	rc = vr_config_load("/nonexistent/vr.conf", &cfg, NULL, 0);
	check(rc == -1, "NULL err buffer", "%s%s", "", "");
	vr_config_free(&cfg);
}

typedef struct pw_case {
	const char	*name;
	const char	*data;
	size_t		 len;
	mode_t		 mode;
	size_t		 buflen;
	const char	*want;	/* the password, or NULL */
	const char	*err;	/* expected after "PATH: ", or NULL */
} pw_case_t;

#define S(s)	s, sizeof(s) - 1

static const pw_case_t pw_cases[] = {
	{ "plain line", S("s3cret\n"), 0600, 64, "s3cret", NULL },
	{ "CRLF", S("s3cret\r\n"), 0600, 64, "s3cret", NULL },
	{ "no newline", S("s3cret"), 0400, 64, "s3cret", NULL },
	{ "only first line", S("one\ntwo\n"), 0600, 64, "one", NULL },
	{ "spaces kept", S(" a b \n"), 0600, 64, " a b ", NULL },
	{ "group readable is fine", S("pw\n"), 0640, 64, "pw", NULL },
	{ "exactly fits", S("12345\n"), 0600, 6, "12345", NULL },
	{ "too long", S("123456\n"), 0600, 6, NULL,
	    "password longer than 5 bytes" },
	{ "empty file", S(""), 0600, 64, NULL, "password file is empty" },
	{ "empty line", S("\n"), 0600, 64, NULL, "password file is empty" },
	{ "CR only", S("\r\n"), 0600, 64, NULL, "password file is empty" },
	{ "world readable", S("pw\n"), 0644, 64, NULL,
	    "password file is readable by others (mode 0644); chmod o-r it" },
	{ "world readable only", S("pw\n"), 0604, 64, NULL,
	    "password file is readable by others (mode 0604); chmod o-r it" },
	{ "NUL byte", S("p\0w\n"), 0600, 64, NULL,
	    "NUL byte in password" },
};

static void
test_password_table(void)
{
	char		 buf[64], err[512], want[512];
	vr_config_t	 cfg;
	size_t		 i;
	int		 rc;

	for (i = 0; i < sizeof(pw_cases) / sizeof(pw_cases[0]); i++) {
		const pw_case_t *c = &pw_cases[i];

		memset(&cfg, 0, sizeof(cfg));
		cfg.db_password_file = write_temp(c->data, c->len, c->mode);
		memset(buf, 'x', sizeof(buf));
		rc = vr_config_read_password(&cfg, buf, c->buflen, err,
		    sizeof(err));
		if (c->want != NULL) {
			check(rc == 0 && strcmp(buf, c->want) == 0, c->name,
			    "want \"%s\", got \"%s\"", c->want,
			    rc == 0 ? buf : err);
		} else {
			snprintf(want, sizeof(want), "%s: %s",
			    cfg.db_password_file, c->err);
			check(rc == -1 && strcmp(err, want) == 0, c->name,
			    "want \"%s\", got \"%s\"", want, err);
			check(buf[0] == '\0', c->name, "buffer %s%s",
			    "not wiped", "");
		}
		unlink(cfg.db_password_file);
		free(cfg.db_password_file);
	}
}

static void
test_password_other(void)
{
	char		 buf[64], err[512];
	vr_config_t	 cfg;
	int		 rc;

	memset(&cfg, 0, sizeof(cfg));
	rc = vr_config_read_password(&cfg, buf, sizeof(buf), err, sizeof(err));
	check(rc == -1 && strcmp(err, "no db_password_file configured") == 0,
	    "no password file set", "got \"%s\"%s", err, "");

	cfg.db_password_file = "/nonexistent/db.pw";
	rc = vr_config_read_password(&cfg, buf, sizeof(buf), err, sizeof(err));
	check(rc == -1 && strcmp(err,
	    "/nonexistent/db.pw: No such file or directory") == 0,
	    "missing password file", "got \"%s\"%s", err, "");

	cfg.db_password_file = "/";
	rc = vr_config_read_password(&cfg, buf, sizeof(buf), err, sizeof(err));
	check(rc == -1 && strcmp(err,
	    "/: password file is not a regular file") == 0,
	    "directory as password file", "got \"%s\"%s", err, "");

	rc = vr_config_read_password(&cfg, buf, 1, err, sizeof(err));
	check(rc == -1 && strcmp(err, "password buffer too small") == 0,
	    "tiny buffer", "got \"%s\"%s", err, "");

	/* The sheet secret is read by the same rules, named as its own. */
	rc = vr_config_read_sheet_secret(&cfg, buf, sizeof(buf), err,
	    sizeof(err));
	check(rc == -1 && strcmp(err, "no sheet_secret_file configured") == 0,
	    "no sheet secret set", "got \"%s\"%s", err, "");
	cfg.sheet_secret_file = "/";
	rc = vr_config_read_sheet_secret(&cfg, buf, sizeof(buf), err,
	    sizeof(err));
	check(rc == -1 && strcmp(err,
	    "/: sheet secret file is not a regular file") == 0,
	    "directory as sheet secret", "got \"%s\"%s", err, "");
}

/* Host groups with spaces and commas: percent-encoded, another separator. */
static void
test_group_names(void)
{
	static const char text[] = BASE
	    "groups_separator ;\n"
	    "group_role Domain%20Users requester\n"
	    "group_role CN=VR%20Admins,OU=Groups,DC=example,DC=jp admin\n";
	vr_config_t	 cfg;
	char		*path = write_temp(text, sizeof(text) - 1, 0600);
	char		 err[1024];
	int		 rc;

	rc = vr_config_load(path, &cfg, err, sizeof(err));
	check(rc == 0, "percent-encoded group names load", "got \"%s\"%s",
	    err, "");
	if (rc == 0) {
		check_num("groups_separator", (unsigned char)cfg.groups_separator,
		    ';');
		check_str("a space in a group", cfg.group_roles[1].group,
		    "Domain Users");
		check_str("an LDAP DN", cfg.group_roles[2].group,
		    "CN=VR Admins,OU=Groups,DC=example,DC=jp");
	}
	vr_config_free(&cfg);
	unlink(path);
	free(path);
}

static void
test_roles(void)
{
	static const struct {
		const char	*name;
		unsigned	 bit;
	} cases[] = {
		{ "requester", VR_ROLE_REQUESTER },
		{ "reviewer", VR_ROLE_REVIEWER },
		{ "approver", VR_ROLE_APPROVER },
		{ "auditor", VR_ROLE_AUDITOR },
		{ "admin", VR_ROLE_ADMIN },
	};
	unsigned	 all = 0;
	size_t		 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		check(vr_role_of_name(cases[i].name) == cases[i].bit,
		    cases[i].name, "vr_role_of_name(\"%s\")%s", cases[i].name,
		    " wrong");
		check_str("vr_role_name", vr_role_name(cases[i].bit),
		    cases[i].name);
		all |= cases[i].bit;
	}
	check(all == VR_ROLE_ANY, "VR_ROLE_ANY", "%s%s", "covers all", "");
	check(vr_role_of_name("Admin") == 0, "role case", "%s%s", "", "");
	check(vr_role_of_name("") == 0, "empty role", "%s%s", "", "");
	check(vr_role_of_name(NULL) == 0, "NULL role", "%s%s", "", "");
	check(vr_role_name(0) == NULL, "role 0 name", "%s%s", "", "");
	check(vr_role_name((vr_role_e)(VR_ROLE_ADMIN | VR_ROLE_AUDITOR)) ==
	    NULL, "two roles have no name", "%s%s", "", "");
}

int
main(void)
{
	test_load_table();
	test_defaults();
	test_all_set();
	test_sizes();
	test_listen_forms();
	test_long_lines();
	test_nul_and_missing();
	test_password_table();
	test_password_other();
	test_roles();
	test_group_names();
	printf("test_config: %d passed, %d failed\n", npass, nfail);
	return nfail == 0 ? 0 : 1;
}
