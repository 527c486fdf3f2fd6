/*
 * vendor-review: the program.  `vendor-review [-c config] command` with
 * the commands serve, migrate, check-config, verify-audit-log and schema;
 * started by a CGI host it answers one request whatever the arguments.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "codec/vr_codec.h"
#include "core/vr_config.h"
#include "db/vr_audit.h"
#include "db/vr_db.h"
#include "db/vr_migrate.h"
#include "http/vr_server.h"
#include "model/vr_model.h"
#include "resources/vr_resources.h"

#ifndef SYSCONFDIR
#define SYSCONFDIR "/etc"
#endif
#define DEFAULT_CONFIG	SYSCONFDIR "/vendor-review/vendor-review.conf"

static void
usage(void)
{
	fprintf(stderr, "usage: vendor-review [-c config] "
	    "serve | migrate | check-config | verify-audit-log | schema\n");
}

/* Statements and schemas built from the field tables, before threads. */
static int
init_tables(void)
{
	if (vr_audit_init() == -1) {
		fprintf(stderr, "vendor-review: internal: SQL too long\n");
		return -1;
	}
	if (vr_resources_init() == -1)
		return -1;
	if (vr_xml_init(vr_api_resources) == -1) {
		fprintf(stderr, "vendor-review: internal: XML schema does "
		    "not compile\n");
		return -1;
	}
	return 0;
}

static int
cmd_migrate(const vr_config_t *cfg)
{
	vr_db_t	*db;
	char	 err[1024];
	int	 rc;

	if (vr_db_library_init() == -1 || (db = vr_db_open(cfg)) == NULL)
		return 1;
	rc = vr_migrate(db, cfg->migrations_dir, stdout, err, sizeof(err));
	if (rc == -1)
		fprintf(stderr, "vendor-review: migrate: %s\n", err);
	vr_db_close(db);
	vr_db_library_end();
	return rc == 0 ? 0 : 1;
}

static int
cmd_verify(const vr_config_t *cfg)
{
	vr_db_t	*db;
	char	 msg[512];
	int64_t	 bad = 0;
	int	 rc;

	if (vr_db_library_init() == -1 || (db = vr_db_open(cfg)) == NULL)
		return 1;
	rc = vr_audit_verify(db, &bad, msg, sizeof(msg));
	if (rc == 0)
		printf("audit log ok: %s\n", msg);
	else if (rc == 1)
		printf("audit log BROKEN at row %" PRId64 ": %s\n", bad, msg);
	else
		fprintf(stderr, "vendor-review: verify-audit-log: %s\n", msg);
	vr_db_close(db);
	vr_db_library_end();
	return rc == 0 ? 0 : rc == 1 ? 1 : 2;
}

static int
cmd_schema(void)
{
	vr_buf_t	 b = { 0 };
	int		 rc = 1;

	if (vr_xsd_generate(vr_api_resources, &b) == VR_OK) {
		fwrite(b.data, 1, b.len, stdout);
		rc = 0;
	}
	vr_buf_free(&b);
	return rc;
}

int
main(int argc, char *argv[])
{
	vr_config_t	 cfg;
	const char	*path = DEFAULT_CONFIG, *cmd;
	char		 err[1024];
	int		 ch, rc = 1, cgi = vr_server_is_cgi();

	memset(&cfg, 0, sizeof(cfg));
	if (getenv("VENDOR_REVIEW_CONFIG") != NULL)
		path = getenv("VENDOR_REVIEW_CONFIG");
	while (!cgi && (ch = getopt(argc, argv, "c:")) != -1) {
		if (ch != 'c') {
			usage();
			return 2;
		}
		path = optarg;
	}
	cmd = cgi ? "serve" : optind < argc ? argv[optind] : NULL;
	if (cmd == NULL || (!cgi && optind + 1 != argc)) {
		usage();
		return 2;
	}
	if (strcmp(cmd, "schema") == 0)
		return cmd_schema();
	if (vr_config_load(path, &cfg, err, sizeof(err)) == -1) {
		fprintf(stderr, "vendor-review: %s\n", err);
		if (strcmp(cmd, "check-config") == 0)
			fprintf(stderr, "vendor-review: configuration file %s "
			    "test failed\n", path);
		goto out;
	}
	if (strcmp(cmd, "check-config") == 0) {
		printf("%s: configuration ok\n", path);
		rc = 0;
	} else if (strcmp(cmd, "migrate") == 0)
		rc = cmd_migrate(&cfg);
	else if (strcmp(cmd, "verify-audit-log") == 0)
		rc = init_tables() == 0 ? cmd_verify(&cfg) : 1;
	else if (strcmp(cmd, "serve") == 0) {
		if (init_tables() == 0)
			rc = cgi ? vr_server_cgi(&cfg) : vr_server_fastcgi(&cfg);
		vr_xml_cleanup();
	} else {
		usage();
		rc = 2;
	}
out:
	vr_config_free(&cfg);
	return rc;
}
