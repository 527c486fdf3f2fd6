/*
 * fuzz_config: vr_config_load() on arbitrary file contents, then
 * vr_config_free().
 *
 * Input: the whole input is the configuration file.  It is written to a
 * memfd (no file is left behind) and loaded through /proc/self/fd/N.
 *
 * Invariants (abort() when broken): the result is 0 or -1; -1 comes with
 * a message that starts with the path; 0 means every required directive
 * is set and every value is within the limits vendor-review.conf(5)
 * gives (threads 1..256, db_connect_timeout 1..300, max_body 1k..64m,
 * db_port 1..65535, base_path and user/groups params set, params not
 * HTTP_*, at least one group_role, each granting known roles only, no
 * group twice); vr_config_free() leaves the struct zeroed.
 */
#include <sys/mman.h>

#include <unistd.h>

#include "core/vr_config.h"
#include "fuzz_common.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int	 fd = -1;
static char	 path[64];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if ((fd = memfd_create("vr-fuzz-config", MFD_CLOEXEC)) == -1) {
		perror("fuzz_config: memfd_create");
		exit(1);
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	return 0;
}

static void
check_loaded(const vr_config_t *c)
{
	size_t	 i, j;

	FUZZ_CHECK(c->db_user && c->db_name && c->db_password_file &&
	    c->listen && c->base_path && c->user_param && c->groups_param &&
	    c->migrations_dir, "a required or defaulted value is NULL");
	FUZZ_CHECK(c->threads >= 1 && c->threads <= 256, "threads %u",
	    c->threads);
	FUZZ_CHECK(c->db_connect_timeout >= 1 && c->db_connect_timeout <= 300,
	    "db_connect_timeout %u", c->db_connect_timeout);
	FUZZ_CHECK(c->max_body >= 1024 && c->max_body <= 64u * 1024 * 1024,
	    "max_body %zu", c->max_body);
	FUZZ_CHECK(c->db_port >= 1 && c->db_port <= 65535, "db_port %u",
	    c->db_port);
	FUZZ_CHECK(c->base_path[0] == '/', "base_path %s", c->base_path);
	FUZZ_CHECK(strncmp(c->user_param, "HTTP_", 5) != 0 &&
	    strncmp(c->groups_param, "HTTP_", 5) != 0,
	    "identity param from a client header: %s / %s", c->user_param,
	    c->groups_param);
	FUZZ_CHECK(c->user_param[0] != '\0' && c->groups_param[0] != '\0',
	    "empty identity param name");
	FUZZ_CHECK(c->ngroup_roles >= 1 && c->group_roles != NULL,
	    "no group_role");
	for (i = 0; i < c->ngroup_roles; i++) {
		FUZZ_CHECK(c->group_roles[i].group != NULL &&
		    c->group_roles[i].group[0] != '\0', "empty group name");
		FUZZ_CHECK(c->group_roles[i].roles != 0 &&
		    (c->group_roles[i].roles & ~VR_ROLE_ANY) == 0,
		    "group %s roles %#x", c->group_roles[i].group,
		    c->group_roles[i].roles);
		FUZZ_CHECK(strpbrk(c->group_roles[i].group, ", \t\r\n") ==
		    NULL, "group name \"%s\" can never match",
		    c->group_roles[i].group);
		for (j = 0; j < i; j++)
			FUZZ_CHECK(strcmp(c->group_roles[i].group,
			    c->group_roles[j].group) != 0, "group %s twice",
			    c->group_roles[i].group);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const vr_config_t zero;
	vr_config_t	 cfg;
	char		 err[512];
	int		 rc;

	if (ftruncate(fd, 0) == -1 || lseek(fd, 0, SEEK_SET) == -1 ||
	    (size > 0 && write(fd, data, size) != (ssize_t)size)) {
		perror("fuzz_config: memfd");
		abort();
	}
	memset(err, 'x', sizeof(err));
	rc = vr_config_load(path, &cfg, err, sizeof(err));
	FUZZ_CHECK(rc == 0 || rc == -1, "vr_config_load returned %d", rc);
	FUZZ_CHECK(memchr(err, '\0', sizeof(err)) != NULL,
	    "err not terminated");
	if (rc == -1)
		FUZZ_CHECK(strncmp(err, path, strlen(path)) == 0 &&
		    (err[strlen(path)] == ':'), "error without the path: %s",
		    err);
	else
		check_loaded(&cfg);
	if (getenv("FUZZ_VERBOSE") != NULL)
		fprintf(stderr, "config: %d %s\n", rc, rc ? err : "ok");
	vr_config_free(&cfg);
	FUZZ_CHECK(memcmp(&cfg, &zero, sizeof(cfg)) == 0,
	    "vr_config_free left values");
	return 0;
}
