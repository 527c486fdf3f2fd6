/*
 * vendor-review: the program.  `vendor-review [-c config] command` with
 * the commands serve, migrate, check-config, verify-audit-log, schema,
 * the importers, schedule, and export-record / verify-record (the
 * supervision record's pack);
 * started by a CGI host it answers one request whatever the arguments.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "codec/vr_codec.h"
#include "codec/vr_zip.h"
#include "core/vr_config.h"
#include "core/vr_paths.h"
#include "db/vr_audit.h"
#include "db/vr_calendar.h"
#include "db/vr_db.h"
#include "db/vr_migrate.h"
#include "domain/vr_assessment.h"
#include "domain/vr_schedule.h"
#include "domain/vr_sheet_import.h"
#include "domain/vr_supervision.h"
#include "domain/vr_template.h"
#include "domain/vr_write.h"
#include "http/vr_master.h"
#include "http/vr_openapi.h"
#include "http/vr_server.h"
#include "model/vr_model.h"
#include "resources/vr_resources.h"
#include "workflow/vr_workflow.h"

#define DEFAULT_CONFIG	VR_SYSCONFDIR "/vendor-review/vendor-review.conf"

static void
usage(FILE *to)
{
	fprintf(to, "usage: vendor-review [-c config] "
	    "serve | migrate | check-config | verify-audit-log |\n"
	    "       schema [problem] | openapi | json-schema |\n"
	    "       import-template FILE | import-holidays FILE |\n"
	    "       import-answers FILE [--assessment ID] |\n"
	    "       manifest-json FILE |\n"
	    "       schedule [--as-of YYYY-MM-DD] [--dry-run] |\n"
	    "       export-record VENDOR_ID [-o FILE] |\n"
	    "       verify-record FILE.zip\n"
	    "       vendor-review --help | --version\n");
}

/* Statements and schemas built from the field tables, before threads. */
static int
init_tables(const vr_config_t *cfg)
{
	char	 err[1024];

	if (vr_audit_init() == -1) {
		fprintf(stderr, "vendor-review: internal: SQL too long\n");
		return -1;
	}
	if (vr_resources_init() == -1)
		return -1;
	if (vr_xml_init(vr_api_resources()) == -1) {
		fprintf(stderr, "vendor-review: internal: XML schema does "
		    "not compile\n");
		return -1;
	}
	/* The workflows: a manifest that does not hold stops the start. */
	if (cfg != NULL && vr_workflow_load(cfg, err, sizeof(err)) == -1) {
		fprintf(stderr, "vendor-review: %s\n", err);
		return -1;
	}
	return 0;
}

/* What init_tables() made and the caches, freed at exit. */
static void
free_tables(void)
{
	vr_workflow_unload();
	vr_assessment_cache_free();
	vr_xml_cleanup();
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
	char	 msg[512], line[600];
	int64_t	 bad = 0;
	int	 rc;

	if (vr_db_library_init() == -1 || (db = vr_db_open(cfg)) == NULL)
		return 1;
	rc = vr_audit_verify(db, &bad, msg, sizeof(msg));
	if (rc == -1)
		fprintf(stderr, "vendor-review: verify-audit-log: %s\n", msg);
	else {
		vr_audit_verify_report(rc, bad, msg, line, sizeof(line));
		printf("%s\n", line);
	}
	vr_db_close(db);
	vr_db_library_end();
	return rc == 0 ? 0 : rc == 1 ? 1 : 2;
}

/* The system user a command writes as: "system:<login>". */
static void
system_actor(vr_actor_t *who, char user[300], char rid[33])
{
	struct passwd	*pw = getpwuid(getuid());

	snprintf(user, 300, "system:%s", pw != NULL ? pw->pw_name :
	    "unknown");
	vr_request_id(NULL, rid);
	who->user = user;
	who->roles = VR_ROLE_ADMIN;
	who->request_id = rid;
}

/* The template of the same code and version already stored, if any. */
static vr_err_e
find_template(vr_db_t *db, const vr_value_t *t, vr_value_t **found,
    vr_problem_t *p)
{
	vr_store_query_t q;
	vr_list_t	 l = { 0 };
	size_t		 i;
	vr_err_e	 e;

	memset(&q, 0, sizeof(q));
	q.filters[0] = t[TF_CODE].s;	/* the store's first filter: code */
	q.limit = 200;
	*found = NULL;
	if ((e = vr_store_list(db, &vr_template_store, &q, &l, p)) != VR_OK)
		goto out;
	for (i = 0; i < l.n; i++)
		if (l.items[i][TF_VERSION].i == t[TF_VERSION].i) {
			*found = vr_record_new(&vr_template_resource);
			if (*found == NULL)
				e = vr_fail_oom(p);
			else
				e = vr_store_get(db, &vr_template_store,
				    l.items[i][TF_ID].i, false, *found, p);
			break;
		}
out:
	vr_list_free(&vr_template_resource, &l);
	return e;
}

/* Whether two templates say the same (kind, title and sections). */
static bool
same_template(const vr_value_t *a, const vr_value_t *b)
{
	static const int	 f[] = { TF_KIND, TF_TITLE, TF_SECTIONS };
	size_t			 i;

	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		if (!vr_value_same(&vr_template_resource.fields[f[i]], &a[f[i]],
		    &b[f[i]]))
			return false;
	return true;
}

/* The whole of file into b: not empty, at most max bytes; -1 said why. */
static int
read_file(const char *file, size_t max, vr_buf_t *b)
{
	char	 chunk[65536];
	FILE	*fp;
	size_t	 n;
	int	 rc = 0;

	if ((fp = fopen(file, "rb")) == NULL) {
		fprintf(stderr, "vendor-review: %s: %s\n", file,
		    strerror(errno));
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		if (b->len + n > max || vr_buf_append(b, chunk, n) == -1) {
			fprintf(stderr, "vendor-review: %s: larger than %zu "
			    "bytes\n", file, max);
			rc = -1;
			break;
		}
	if (ferror(fp)) {
		fprintf(stderr, "vendor-review: %s: %s\n", file,
		    strerror(errno));
		rc = -1;
	}
	fclose(fp);
	if (rc == 0 && b->len == 0) {
		fprintf(stderr, "vendor-review: %s: empty\n", file);
		rc = -1;
	}
	return rc;
}

/*
 * import-template FILE: a template in XML or JSON (by its first byte),
 * validated like POST /templates and written with its audit row and
 * event, as "system:<login>".  The same code and version already
 * imported with the same content is fine (exit 0): install scripts may
 * run it again; other content under that version is refused.
 */
static int
cmd_import_template(const vr_config_t *cfg, const char *file)
{
	const vr_resource_t	*r = &vr_template_resource;
	vr_value_t		*t = NULL, *out = NULL, *old = NULL;
	vr_problem_t		 p;
	vr_db_t			*db = NULL;
	vr_buf_t		 body = { 0 };
	vr_actor_t		 who;
	char			 user[300], rid[33];
	size_t			 skip;
	int			 rc = 1;

	vr_problem_clear(&p);
	if (read_file(file, cfg->max_body, &body) == -1)
		goto out;
	skip = strspn(body.data, " \t\r\n");
	if ((t = vr_record_new(r)) == NULL ||
	    vr_decode(skip < body.len && body.data[skip] == '<' ? VR_FMT_XML :
	    VR_FMT_JSON, r, body.data, body.len, t, &p) != VR_OK ||
	    vr_record_validate(r, t, VR_MODE_CREATE, true, &p) != VR_OK)
		goto report;
	if (vr_db_library_init() == -1 || (db = vr_db_open(cfg)) == NULL)
		goto out;
	vr_db_require_schema(db, VR_SCHEMA_VERSION);
	if (find_template(db, t, &old, &p) != VR_OK)
		goto report;
	if (old != NULL) {
		rc = same_template(old, t) ? 0 : 1;
		printf(rc == 0 ? "template %s version %" PRId64 " is already "
		    "imported (id %" PRId64 ")\n" : "template %s version %"
		    PRId64 " is already imported (id %" PRId64 ") with other "
		    "content: give the new content a new version\n",
		    t[TF_CODE].s, t[TF_VERSION].i, old[TF_ID].i);
		goto out;
	}
	system_actor(&who, user, rid);
	if (vr_write_create(db, &vr_template_store, &who, t, &out, &p) != VR_OK)
		goto report;
	printf("template %s version %" PRId64 " imported as id %" PRId64
	    " (%" PRId64 " questions)\n", out[TF_CODE].s, out[TF_VERSION].i,
	    out[TF_ID].i, out[TF_QUESTIONS].i);
	rc = 0;
	goto out;
report:
	fprintf(stderr, "vendor-review: %s: %s%s%s (%s)\n", file,
	    p.field[0] != '\0' ? p.field : "", p.field[0] != '\0' ? ": " : "",
	    p.detail, p.code != NULL ? p.code : "error");
out:
	vr_record_free(r, t);
	vr_record_free(r, out);
	vr_record_free(r, old);
	vr_buf_free(&body);
	if (db != NULL) {
		vr_db_close(db);
		vr_db_library_end();
	}
	return rc;
}

/*
 * One line of a holidays file, "YYYY-MM-DD,name" (or the Cabinet Office's
 * "YYYY/M/D,name", once converted to UTF-8), into h.  0, or -1.
 */
static int
holiday_line(char *line, vr_holiday_t *h)
{
	char		*comma = strchr(line, ',');
	int		 y, m, d, used = 0;
	size_t		 n;

	line[strcspn(line, "\r\n")] = '\0';
	if (comma == NULL)
		return -1;
	*comma = '\0';
	if ((sscanf(line, "%4d-%2d-%2d%n", &y, &m, &d, &used) != 3 &&
	    sscanf(line, "%4d/%2d/%2d%n", &y, &m, &d, &used) != 3) ||
	    line[used] != '\0')
		return -1;
	snprintf(h->day, sizeof(h->day), "%04d-%02d-%02d", y, m, d);
	n = strlen(comma + 1);
	if (!vr_date_valid(h->day) || n == 0 || n >= sizeof(h->name) ||
	    !vr_utf8_valid(comma + 1, n) || vr_utf8_chars(comma + 1, n) > 64 ||
	    strpbrk(comma + 1, "\t\x7f") != NULL)
		return -1;
	memcpy(h->name, comma + 1, n + 1);
	return 0;
}

/*
 * import-holidays FILE: the national holidays the leak-report deadlines
 * are moved past, as data (they change by law).  Every year the file
 * covers is replaced, in one transaction; other years stay.
 */
static int
cmd_import_holidays(const vr_config_t *cfg, const char *file)
{
	vr_holiday_t	*rows = NULL, *grown;
	vr_problem_t	 p;
	vr_db_t		*db = NULL;
	char		 line[512];
	size_t		 n = 0, cap = 0, lineno = 0;
	FILE		*fp;
	int		 rc = 1;

	vr_problem_clear(&p);
	if ((fp = fopen(file, "r")) == NULL) {
		fprintf(stderr, "vendor-review: %s: %s\n", file, strerror(errno));
		return 1;
	}
	while (fgets(line, sizeof(line), fp) != NULL) {
		lineno++;
		/* A header ("date,name", or the Cabinet Office's). */
		if (lineno == 1 && !isdigit((unsigned char)line[0]))
			continue;
		if (line[strspn(line, " \r\n")] == '\0')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			if (cap > 4096 || (grown = realloc(rows, cap *
			    sizeof(*rows))) == NULL) {
				fprintf(stderr, "vendor-review: %s: too many "
				    "lines\n", file);
				goto out;
			}
			rows = grown;
		}
		if (holiday_line(line, &rows[n]) == -1) {
			fprintf(stderr, "vendor-review: %s:%zu: want "
			    "YYYY-MM-DD,name (UTF-8)\n", file, lineno);
			goto out;
		}
		n++;
	}
	if (n == 0) {
		fprintf(stderr, "vendor-review: %s: no holidays\n", file);
		goto out;
	}
	if (vr_db_library_init() == -1 || (db = vr_db_open(cfg)) == NULL)
		goto out;
	vr_db_require_schema(db, VR_SCHEMA_VERSION);
	if (vr_holidays_replace(db, rows, n, &p) != VR_OK) {
		fprintf(stderr, "vendor-review: %s: %s (%s)\n", file, p.detail,
		    p.code != NULL ? p.code : "error");
		goto out;
	}
	printf("%zu holidays imported from %s (%.4s to %.4s)\n", n, file,
	    rows[0].day, rows[n - 1].day);
	rc = 0;
out:
	fclose(fp);
	free(rows);
	if (db != NULL) {
		vr_db_close(db);
		vr_db_library_end();
	}
	return rc;
}

/*
 * schedule [--as-of YYYY-MM-DD] [--dry-run]: one run of the scheduler
 * (domain/vr_schedule.h), as POST /schedule/run; one line per audit
 * opened and notice raised, then a summary.  Exit 0, or 1 with the
 * error (a run again goes on from where it stopped).
 */
static int
cmd_schedule(const vr_config_t *cfg, int argc, char **argv)
{
	const char	*as_of = NULL;
	vr_value_t	*report = NULL, *o;
	vr_problem_t	 p;
	vr_actor_t	 who;
	vr_db_t		*db = NULL;
	char		 user[300], rid[33];
	bool		 dry = false;
	size_t		 k;
	int		 i, rc = 1;

	for (i = 0; i < argc; i++)
		if (strcmp(argv[i], "--dry-run") == 0)
			dry = true;
		else if (strcmp(argv[i], "--as-of") == 0 && i + 1 < argc &&
		    vr_date_valid(argv[i + 1]))
			as_of = argv[++i];
		else {
			fprintf(stderr, "vendor-review: schedule: \"%s\": "
			    "want --as-of YYYY-MM-DD or --dry-run\n", argv[i]);
			return 2;
		}
	vr_problem_clear(&p);
	system_actor(&who, user, rid);
	if ((report = vr_record_new(&vr_schedule_report_resource)) == NULL ||
	    vr_db_library_init() == -1 || (db = vr_db_open(cfg)) == NULL)
		goto out;
	vr_db_require_schema(db, VR_SCHEMA_VERSION);
	if (vr_schedule_run(db, cfg, &who, as_of, dry, report, &p) != VR_OK) {
		fprintf(stderr, "vendor-review: schedule: %s (%s)\n", p.detail,
		    p.code != NULL ? p.code : "error");
		goto out;
	}
	for (k = 0; k < report[SPF_OPENED].n; k++) {
		o = report[SPF_OPENED].item[k].rec;
		if (dry)
			printf("would open an audit of vendor %" PRId64 " for %s\n",
			    o[SOF_VENDOR_ID].i, o[SOF_CYCLE].s);
		else
			printf("opened audit %" PRId64 " of vendor %" PRId64
			    " for %s\n", o[SOF_ASSESSMENT_ID].i,
			    o[SOF_VENDOR_ID].i, o[SOF_CYCLE].s);
	}
	for (k = 0; k < report[SPF_NOTICES].n; k++) {
		o = report[SPF_NOTICES].item[k].rec;
		printf("%s %s %s:%" PRId64 " (%s)\n", dry ? "would raise" :
		    "raised", o[SNF_TYPE].s, o[SNF_ENTITY].s,
		    o[SNF_ENTITY_ID].i, o[SNF_DUE].s);
	}
	printf("schedule %s%s: %zu audit%s opened, %" PRId64 " opened by "
	    "another run, %zu notice%s\n", report[SPF_AS_OF].s,
	    dry ? " (dry run)" : "", report[SPF_OPENED].n,
	    report[SPF_OPENED].n == 1 ? "" : "s", report[SPF_ALREADY_OPEN].i,
	    report[SPF_NOTICES].n, report[SPF_NOTICES].n == 1 ? "" : "s");
	rc = 0;
out:
	vr_record_free(&vr_schedule_report_resource, report);
	if (db != NULL) {
		vr_db_close(db);
		vr_db_library_end();
	}
	return rc;
}

/*
 * manifest-json FILE: the manifest as JSON, what GET /manifest answers
 * in JSON (plugin-manifests/vendor-review.json is this, for JSON hosts).
 */
static int
cmd_manifest_json(const char *file)
{
	vr_value_t	*m = NULL;
	vr_buf_t	 raw = { 0 }, out = { 0 };
	char		 err[1024];
	int		 rc = 1;

	if (vr_xml_init(vr_api_resources()) == -1)
		return 1;
	if (vr_manifest_read(file, &vr_workflow_names, &m, &raw, err,
	    sizeof(err)) == -1)
		fprintf(stderr, "vendor-review: %s\n", err);
	else if (vr_json_encode_record(&vr_manifest_resource, m, &out) ==
	    VR_OK && vr_buf_append(&out, "\n", 1) == 0) {
		fwrite(out.data, 1, out.len, stdout);
		rc = 0;
	}
	vr_record_free(&vr_manifest_resource, m);
	vr_buf_free(&raw);
	vr_buf_free(&out);
	vr_manifest_cleanup();
	vr_xml_cleanup();
	return rc;
}

/*
 * export-record VENDOR_ID [-o FILE]: the vendor's supervision record as
 * GET /vendors/{id}/record makes it (and with its audit row), as
 * "system:<login>", into FILE (default: the name the API gives it).
 * FILE is opened first: a path that cannot be written exports nothing,
 * and an export that fails leaves no file.
 */
static int
cmd_export_record(const vr_config_t *cfg, int argc, char **argv)
{
	const char	*out;
	vr_problem_t	 p;
	vr_actor_t	 who;
	vr_buf_t	 zip = { 0 };
	vr_db_t		*db = NULL;
	char		 user[300], rid[33], name[64], *end;
	long long	 id;
	size_t		 written;
	FILE		*fp;
	int		 rc = 1;

	errno = 0;
	id = argc >= 1 ? strtoll(argv[0], &end, 10) : 0;
	if (argc < 1 || *end != '\0' || errno != 0 || id < 1 ||
	    (argc != 1 && (argc != 3 || strcmp(argv[1], "-o") != 0))) {
		usage(stderr);
		return 2;
	}
	vr_supervision_name(id, name);
	out = argc == 3 ? argv[2] : name;
	vr_problem_clear(&p);
	system_actor(&who, user, rid);
	if ((fp = fopen(out, "wb")) == NULL) {
		fprintf(stderr, "vendor-review: %s: %s\n", out,
		    strerror(errno));
		return 1;
	}
	if (vr_db_library_init() == -1 || (db = vr_db_open(cfg)) == NULL)
		goto out;
	vr_db_require_schema(db, VR_SCHEMA_VERSION);
	if (vr_supervision_export(db, &who, id, &zip, &p) != VR_OK) {
		fprintf(stderr, "vendor-review: export-record: %s (%s)\n",
		    p.detail, p.code != NULL ? p.code : "error");
		goto out;
	}
	written = fwrite(zip.data, 1, zip.len, fp);
	if (fflush(fp) != 0 || written != zip.len) {
		fprintf(stderr, "vendor-review: %s: cannot write it whole\n",
		    out);
		goto out;
	}
	rc = 0;
out:
	if (fclose(fp) != 0 && rc == 0) {
		fprintf(stderr, "vendor-review: %s: %s\n", out,
		    strerror(errno));
		rc = 1;
	}
	if (rc != 0)
		unlink(out);
	else
		printf("supervision record of vendor %lld written to %s (%zu "
		    "bytes)\n", id, out, zip.len);
	vr_buf_free(&zip);
	if (db != NULL) {
		vr_db_close(db);
		vr_db_library_end();
	}
	return rc;
}

/*
 * verify-record FILE.zip: the offline check of a pack, no database nor
 * configuration.  Prints what does not hold; exit 0 when all holds, 1
 * when something does not, 2 when the file cannot be read.
 */
static int
cmd_verify_record(const char *file)
{
	vr_buf_t	 zip = { 0 }, report = { 0 };
	int		 rc = 2;

	if (vr_xml_init(vr_api_resources()) == -1)
		return 2;
	if (read_file(file, VR_ZIP_MAX_TOTAL, &zip) == 0) {
		rc = vr_supervision_verify(zip.data, zip.len, &report) == 0 ?
		    0 : 1;
		printf("%s: %s", file, report.data != NULL ? report.data :
		    "\n");
	}
	vr_buf_free(&zip);
	vr_buf_free(&report);
	vr_xml_cleanup();
	return rc;
}

/*
 * schema [problem]: the XSD of the API's documents (api.xsd), or of
 * the problem document (problem.xsd: RFC 7807's namespace, which one
 * schema document beside the API's cannot describe).
 */
static int
cmd_schema(const char *which)
{
	static const vr_resource_t *const problem[] = {
		&vr_problem_resource, NULL
	};
	vr_buf_t	 b = { 0 };
	int		 rc = 1;

	if (which != NULL && strcmp(which, "problem") != 0) {
		usage(stderr);
		return 2;
	}
	if (vr_xsd_generate(which != NULL ? problem : vr_api_resources(),
	    &b) == VR_OK) {
		fwrite(b.data, 1, b.len, stdout);
		rc = 0;
	}
	vr_buf_free(&b);
	return rc;
}

/*
 * openapi, json-schema: the API's contract from the route rows and field
 * tables (docs/openapi.yaml, plugin-manifests/schemas/api.schema.json).
 */
static int
cmd_contract(bool openapi)
{
	vr_buf_t	 b = { 0 };
	int		 rc = 1;

	if ((openapi ? vr_openapi_write(&b) : vr_json_schema_write(&b)) == 0) {
		fwrite(b.data, 1, b.len, stdout);
		rc = 0;
	}
	vr_buf_free(&b);
	return rc;
}

/*
 * import-answers FILE [--assessment ID]: a check sheet a vendor mailed
 * back (xlsx or CSV), saved as POST /assessments/{id}/answers/import
 * saves it, as "system:<login>".  A workbook names its case; a CSV file
 * needs --assessment.
 */
static int
cmd_import_answers(const vr_config_t *cfg, int argc, char *argv[])
{
	vr_value_t	*out = NULL;
	vr_problem_t	 p;
	vr_db_t		*db = NULL;
	vr_buf_t	 body = { 0 };
	vr_actor_t	 who;
	char		 user[300], rid[33], *end;
	long long	 id = 0;
	int		 rc = 1;

	vr_problem_clear(&p);
	if (argc == 3 && strcmp(argv[1], "--assessment") == 0) {
		id = strtoll(argv[2], &end, 10);
		if (*end != '\0' || id <= 0) {
			fprintf(stderr, "vendor-review: --assessment %s: want "
			    "an assessment id\n", argv[2]);
			return 2;
		}
	} else if (argc != 1) {
		usage(stderr);
		return 2;
	}
	if (read_file(argv[0], cfg->max_body, &body) == -1)
		goto out;
	if (vr_db_library_init() == -1 || (db = vr_db_open(cfg)) == NULL)
		goto out;
	vr_db_require_schema(db, VR_SCHEMA_VERSION);
	system_actor(&who, user, rid);
	if (vr_sheet_import_answers(db, cfg, &who, (int64_t)id, body.data,
	    body.len, VR_SHEET_ANY, &out, &p) != VR_OK) {
		fprintf(stderr, "vendor-review: %s: %s%s%s (%s)\n", argv[0],
		    p.field[0] != '\0' ? p.field : "",
		    p.field[0] != '\0' ? ": " : "", p.detail,
		    p.code != NULL ? p.code : "error");
		goto out;
	}
	printf("assessment %" PRId64 ": %" PRId64 " of %" PRId64 " required "
	    "answers given (version %" PRId64 ")\n", out[AS_ID].i,
	    out[AS_ANSWERED].i, out[AS_REQUIRED].i, out[AS_VERSION].i);
	rc = 0;
out:
	vr_record_free(&vr_assessment_resource, out);
	vr_buf_free(&body);
	if (db != NULL) {
		vr_db_close(db);
		vr_db_library_end();
	}
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
	if (!cgi && argc == 2 && strcmp(argv[1], "--help") == 0) {
		usage(stdout);
		printf("default config: %s; man vendor-review\n",
		    DEFAULT_CONFIG);
		return 0;
	}
	if (!cgi && argc == 2 && strcmp(argv[1], "--version") == 0) {
		printf("vendor-review %s\n", VR_VERSION);
		return 0;
	}
	if (getenv("VENDOR_REVIEW_CONFIG") != NULL)
		path = getenv("VENDOR_REVIEW_CONFIG");
	while (!cgi && (ch = getopt(argc, argv, "+c:")) != -1) {
		if (ch != 'c') {
			usage(stderr);
			return 2;
		}
		path = optarg;
	}
	cmd = cgi ? "serve" : optind < argc ? argv[optind] : NULL;
	if (cmd == NULL || (!cgi && strcmp(cmd, "schedule") != 0 &&
	    !(strcmp(cmd, "schema") == 0 && optind + 2 >= argc) &&
	    strcmp(cmd, "import-answers") != 0 &&
	    strcmp(cmd, "export-record") != 0 &&
	    optind + (strcmp(cmd, "import-template") == 0 ||
	    strcmp(cmd, "import-holidays") == 0 ||
	    strcmp(cmd, "verify-record") == 0 ||
	    strcmp(cmd, "manifest-json") == 0 ? 2 : 1) != argc)) {
		usage(stderr);
		return 2;
	}
	if (strcmp(cmd, "schema") == 0)
		return cmd_schema(optind + 1 < argc ? argv[optind + 1] : NULL);
	if (strcmp(cmd, "manifest-json") == 0)
		return cmd_manifest_json(argv[optind + 1]);
	if (strcmp(cmd, "openapi") == 0 || strcmp(cmd, "json-schema") == 0)
		return cmd_contract(strcmp(cmd, "openapi") == 0);
	if (strcmp(cmd, "verify-record") == 0)
		return cmd_verify_record(argv[optind + 1]);
	if (vr_config_load(path, &cfg, err, sizeof(err)) == -1) {
		fprintf(stderr, "vendor-review: %s\n", err);
		if (strcmp(cmd, "check-config") == 0)
			fprintf(stderr, "vendor-review: configuration file %s "
			    "test failed\n", path);
		goto out;
	}
	if (strcmp(cmd, "check-config") == 0) {
		/* The manifest is configuration too. */
		if ((rc = init_tables(&cfg) == 0 ? 0 : 1) == 0)
			printf("%s: configuration ok\n", path);
		else
			fprintf(stderr, "vendor-review: configuration file %s "
			    "test failed\n", path);
		free_tables();
	} else if (strcmp(cmd, "migrate") == 0)
		rc = cmd_migrate(&cfg);
	else if (strcmp(cmd, "verify-audit-log") == 0) {
		rc = init_tables(NULL) == 0 ? cmd_verify(&cfg) : 1;
		free_tables();
	} else if (strcmp(cmd, "import-template") == 0) {
		if (init_tables(NULL) == 0)
			rc = cmd_import_template(&cfg, argv[optind + 1]);
		free_tables();
	}
	else if (strcmp(cmd, "import-answers") == 0) {
		if (optind + 1 < argc && init_tables(&cfg) == 0)
			rc = cmd_import_answers(&cfg, argc - optind - 1,
			    argv + optind + 1);
		else if (optind + 1 >= argc) {
			usage(stderr);
			rc = 2;
		}
		free_tables();
	} else if (strcmp(cmd, "import-holidays") == 0)
		rc = cmd_import_holidays(&cfg, argv[optind + 1]);
	else if (strcmp(cmd, "schedule") == 0) {
		if (init_tables(&cfg) == 0)
			rc = cmd_schedule(&cfg, argc - optind - 1,
			    argv + optind + 1);
		free_tables();
	} else if (strcmp(cmd, "export-record") == 0) {
		if (init_tables(NULL) == 0)
			rc = cmd_export_record(&cfg, argc - optind - 1,
			    argv + optind + 1);
		free_tables();
	} else if (strcmp(cmd, "serve") == 0) {
		if (init_tables(&cfg) == 0)
			rc = cgi ? vr_server_cgi(&cfg) :
			    vr_master_run(&cfg, vr_workflow_load);
		free_tables();
	} else {
		usage(stderr);
		rc = 2;
	}
out:
	vr_config_free(&cfg);
	return rc;
}
