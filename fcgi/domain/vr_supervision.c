/*
 * vr_supervision: making the supervision record (監督記録) of a vendor
 * and its pack.  The record is read inside the export's own write
 * transaction, which locks the chain head before it reads
 * (vr_audit_write_alone): no other write can commit
 * while it is read, so it shows the data as of exactly one audit row,
 * and the export's audit row (holding the pack's digests) is the next
 * one.  The pack: record.html, record.json, record.xml (one record,
 * three renderings), audit-log.json (every audit row of every entity
 * the record shows, and its earlier exports), README.txt and SHA256SUMS
 * over all of them.
 */
#include <inttypes.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../codec/vr_codec.h"
#include "../codec/vr_record_html.h"
#include "../codec/vr_zip.h"
#include "../core/vr_sha256.h"
#include "../model/vr_model.h"
#include "vr_assessment.h"
#include "vr_incident.h"
#include "vr_subcontract.h"
#include "vr_supervision.h"
#include "vr_vendor.h"
#include "vr_write.h"

#define PAGE		200	/* records per list read */
#define AUDIT_PAGE	1000

static const char readme[] =
    "委託先監督記録 / Supervision record (vendor-review)\n"
    "\n"
    "record.html     読むための記録（ブラウザで開く・印刷可）\n"
    "                the record to read and print, in any browser, offline\n"
    "record.json     同じ内容（JSON） / the same record, JSON\n"
    "record.xml      同じ内容（XML、api.xsd の supervision_record）\n"
    "                the same, XML (element supervision_record of api.xsd)\n"
    "audit-log.json  記録の根拠となる監査ログ行（ハッシュ連鎖）\n"
    "                the audit-log rows behind the record, with their\n"
    "                hashes and links\n"
    "SHA256SUMS      全ファイルのSHA-256 / SHA-256 of every file\n"
    "\n"
    "検証 / To check:  sha256sum -c SHA256SUMS\n"
    "                  vendor-review verify-record THIS.zip\n"
    "The export wrote an audit row (action " VR_RECORD_EXPORTED ") holding\n"
    "the SHA-256 of this ZIP and of SHA256SUMS:\n"
    "GET /audit-log?entity=supervision_record:VENDOR_ID.\n";

/* What one export gathers; reset when the transaction runs again. */
struct export_ctx {
	const vr_actor_t *who;
	int64_t		 vendor_id;
	vr_value_t	*rec;		/* vr_supervision_resource */
	vr_value_t	*trail;		/* vr_audit_trail_resource */
	vr_buf_t	*zip;
	size_t		 zip_start;	/* where this export's bytes begin */
};

/* The index of the store's filter called param (a programming error: -1). */
static int
filter_of(const vr_store_t *st, const char *param)
{
	size_t	 i;

	for (i = 0; i < st->nfilters; i++)
		if (strcmp(st->filters[i].param, param) == 0)
			return (int)i;
	return -1;
}

/* Every record of st whose filter param is id, oldest first, into l. */
static vr_err_e
list_all(vr_db_t *db, const vr_store_t *st, const char *param, int64_t id,
    vr_list_t *l, vr_problem_t *p)
{
	vr_store_query_t q;
	vr_list_t	 page = { 0 };
	char		 idtext[24], *cursor = NULL;
	int		 f = filter_of(st, param);
	size_t		 k;
	vr_err_e	 e = VR_OK;

	if (f < 0)
		return vr_fail(p, VR_E_INTERNAL, "internal", NULL,
		    "%s has no filter %s", st->res->name, param);
	snprintf(idtext, sizeof(idtext), "%" PRId64, id);
	do {
		memset(&q, 0, sizeof(q));
		q.filters[f] = idtext;
		q.limit = PAGE;
		q.cursor = cursor;
		if ((e = vr_store_list(db, st, &q, &page, p)) != VR_OK)
			break;
		for (k = 0; k < page.n; k++)
			if (vr_list_push(l, page.items[k]) == -1) {
				e = vr_fail_oom(p);
				break;
			} else
				page.items[k] = NULL;
		free(cursor);
		cursor = page.next_cursor;
		page.next_cursor = NULL;
		vr_list_free(st->res, &page);
	} while (e == VR_OK && cursor != NULL);
	free(cursor);
	vr_list_free(st->res, &page);
	return e;
}

/* Appends the audit rows of entity:id to the trail. */
static vr_err_e
add_rows(vr_db_t *db, vr_value_t *trail, const char *entity, int64_t id,
    vr_problem_t *p)
{
	const vr_audit_filter_t f = { .entity = entity, .entity_id = id };
	vr_list_t	 l;
	vr_value_t	*item;
	int64_t		 after = 0;
	size_t		 k;
	bool		 more;
	vr_err_e	 e;

	do {
		memset(&l, 0, sizeof(l));
		if ((e = vr_audit_list(db, &f, after, AUDIT_PAGE, &l,
		    p)) != VR_OK)
			break;
		for (k = 0; k < l.n; k++) {
			if ((item = vr_value_push(&trail[ATF_ROWS])) == NULL) {
				e = vr_fail_oom(p);
				break;
			}
			item->present = true;
			item->rec = l.items[k];	/* the trail owns it now */
			after = l.items[k][AF_ID].i;
			l.items[k] = NULL;
		}
		more = l.next_cursor != NULL;
		vr_list_free(&vr_audit_resource, &l);
	} while (e == VR_OK && more);
	return e;
}

static int
by_id(const void *a, const void *b)
{
	int64_t	 x = ((const vr_value_t *)a)->rec[AF_ID].i;
	int64_t	 y = ((const vr_value_t *)b)->rec[AF_ID].i;

	return x < y ? -1 : x > y;
}

/* A new item of the LIST field f of rec, a fresh sub-record. */
static vr_value_t *
push_record(const vr_resource_t *r, int f, vr_value_t *rec)
{
	vr_value_t	*item;

	if ((item = vr_value_push(&rec[f])) == NULL)
		return NULL;
	return vr_value_set_record(r->fields[f].items, item);
}

/* Who requested, reviewed and decided one case; whether they differ. */
static vr_err_e
add_duty(vr_value_t *rec, const char *entity, int64_t id,
    const vr_value_t *state, const vr_value_t *req, const vr_value_t *rev,
    const vr_value_t *dec, vr_problem_t *p)
{
	const vr_field_t	*f = vr_duty_resource.fields;
	vr_value_t		*d;

	if ((d = push_record(&vr_supervision_resource, SUP_DUTIES,
	    rec)) == NULL || vr_value_set_str(&d[DTF_ENTITY], entity) == -1 ||
	    vr_value_copy(&f[DTF_STATE], &d[DTF_STATE], state) == -1 ||
	    vr_value_copy(&f[DTF_REQUESTED_BY], &d[DTF_REQUESTED_BY],
	    req) == -1 ||
	    vr_value_copy(&f[DTF_REVIEWED_BY], &d[DTF_REVIEWED_BY],
	    rev) == -1 ||
	    vr_value_copy(&f[DTF_DECIDED_BY], &d[DTF_DECIDED_BY], dec) == -1)
		return vr_fail_oom(p);
	vr_value_set_int(&d[DTF_ENTITY_ID], id);
	if (!vr_value_given(dec))
		vr_value_set_null(&d[DTF_INDEPENDENT]);
	else
		vr_value_set_int(&d[DTF_INDEPENDENT],
		    !vr_value_is(req, dec->s) && !vr_value_is(rev, dec->s));
	return VR_OK;
}

static vr_err_e
gather_vendor(vr_db_t *db, struct export_ctx *x, vr_problem_t *p)
{
	vr_risk_profile_t	 prof;
	vr_value_t		*v, *sub;
	const char		*ja, *en;
	vr_err_e		 e;

	if ((v = vr_record_new(&vr_vendor_resource)) == NULL)
		return vr_fail_oom(p);
	if ((e = vr_store_get(db, &vr_vendor_store, x->vendor_id, false, v,
	    p)) != VR_OK)
		goto out;
	vr_vendor_profile(v, &prof);
	vr_tier_rule(&prof, &ja, &en);
	if ((sub = vr_value_set_record(&vr_supervision_resource.fields[
	    SUP_VENDOR], &x->rec[SUP_VENDOR])) == NULL ||
	    vr_record_project(&vr_vendor_resource, sub, &vr_vendor_resource,
	    v) == -1 ||
	    (sub = vr_value_set_record(&vr_supervision_resource.fields[
	    SUP_TIER_RULE], &x->rec[SUP_TIER_RULE])) == NULL ||
	    vr_value_set_str(&sub[LF_JA], ja) == -1 ||
	    vr_value_set_str(&sub[LF_EN], en) == -1) {
		e = vr_fail_oom(p);
		goto out;
	}
	/* The vendor's rows, and those of its record's earlier exports. */
	if ((e = add_rows(db, x->trail, vr_vendor_resource.name, x->vendor_id,
	    p)) == VR_OK)
		e = add_rows(db, x->trail, vr_supervision_resource.name,
		    x->vendor_id, p);
out:
	vr_record_free(&vr_vendor_resource, v);
	return e;
}

/*
 * The case's last submission among its rows (the trail's items from
 * first on): the audit row whose image holds the answers as submitted.
 * 0, or -1 when memory ran out.
 */
static int
mark_submission(vr_value_t *c, const vr_value_t *rows, size_t first)
{
	const vr_value_t	*r;
	const char		*act;
	size_t			 k, n, sl = strlen(VR_SUBMIT_SUFFIX);

	vr_value_set_null(&c[RCF_SUBMITTED_AUDIT_ID]);
	vr_value_set_null(&c[RCF_SUBMITTED_AT]);
	for (k = rows->n; k-- > first; ) {
		r = rows->item[k].rec;
		act = vr_value_given(&r[AF_ACTION]) ? r[AF_ACTION].s : "";
		n = strlen(act);
		if (n > sl && strcmp(act + n - sl, VR_SUBMIT_SUFFIX) == 0) {
			vr_value_set_int(&c[RCF_SUBMITTED_AUDIT_ID],
			    r[AF_ID].i);
			return vr_value_copy(&vr_record_case_resource.fields[
			    RCF_SUBMITTED_AT], &c[RCF_SUBMITTED_AT], &r[AF_AT]);
		}
	}
	return 0;
}

/* One case: its row, answers and findings, its duty and audit rows. */
static vr_err_e
gather_case(vr_db_t *db, struct export_ctx *x, int64_t id, vr_problem_t *p)
{
	vr_value_t	*a, *c;
	size_t		 k, first = x->trail[ATF_ROWS].n;
	vr_err_e	 e;

	if ((a = vr_record_new(&vr_assessment_resource)) == NULL)
		return vr_fail_oom(p);
	if ((e = vr_store_get(db, &vr_assessment_store, id, false, a,
	    p)) != VR_OK ||
	    (e = vr_assessment_decorate(db, a, true, p)) != VR_OK)
		goto out;
	if ((c = push_record(&vr_supervision_resource, SUP_ASSESSMENTS,
	    x->rec)) == NULL || vr_record_project(&vr_record_case_resource, c,
	    &vr_assessment_resource, a) == -1) {
		e = vr_fail_oom(p);
		goto out;
	}
	if ((e = add_duty(x->rec, vr_assessment_resource.name, id,
	    &a[AS_STATE], &a[AS_REQUESTED_BY], &a[AS_REVIEWED_BY],
	    &a[AS_DECIDED_BY], p)) != VR_OK ||
	    (e = add_rows(db, x->trail, vr_assessment_resource.name, id,
	    p)) != VR_OK)
		goto out;
	if (mark_submission(c, &x->trail[ATF_ROWS], first) == -1) {
		e = vr_fail_oom(p);
		goto out;
	}
	for (k = 0; k < a[AS_FINDINGS].n && e == VR_OK; k++)
		e = add_rows(db, x->trail, vr_finding_resource.name,
		    a[AS_FINDINGS].item[k].rec[FF_ID].i, p);
out:
	vr_record_free(&vr_assessment_resource, a);
	return e;
}

static vr_err_e
gather_cases(vr_db_t *db, struct export_ctx *x, vr_problem_t *p)
{
	vr_list_t	 l = { 0 };
	size_t		 k;
	vr_err_e	 e;

	e = list_all(db, &vr_assessment_store, "vendor_id", x->vendor_id, &l,
	    p);
	for (k = 0; k < l.n && e == VR_OK; k++)
		e = gather_case(db, x, l.items[k][AS_ID].i, p);
	vr_list_free(&vr_assessment_resource, &l);
	return e;
}

/* The subcontracts where the vendor is the parent (param) or below. */
static vr_err_e
gather_subcontracts(vr_db_t *db, struct export_ctx *x, const char *param,
    vr_problem_t *p)
{
	vr_list_t	 l = { 0 };
	vr_value_t	*s, *c;
	size_t		 k;
	vr_err_e	 e;

	e = list_all(db, &vr_subcontract_store, param, x->vendor_id, &l, p);
	for (k = 0; k < l.n && e == VR_OK; k++) {
		s = l.items[k];
		if ((c = push_record(&vr_supervision_resource, SUP_SUBCONTRACTS,
		    x->rec)) == NULL || vr_record_project(
		    &vr_subcontract_resource, c, &vr_subcontract_resource,
		    s) == -1)
			e = vr_fail_oom(p);
		else if ((e = add_duty(x->rec, vr_subcontract_resource.name,
		    s[SCF_ID].i, &s[SCF_STATE], &s[SCF_REQUESTED_BY],
		    &s[SCF_REVIEWED_BY], &s[SCF_DECIDED_BY], p)) == VR_OK)
			e = add_rows(db, x->trail, vr_subcontract_resource.name,
			    s[SCF_ID].i, p);
	}
	vr_list_free(&vr_subcontract_resource, &l);
	return e;
}

static vr_err_e
gather_incidents(vr_db_t *db, struct export_ctx *x, vr_problem_t *p)
{
	vr_list_t	 l = { 0 };
	vr_value_t	*c;
	size_t		 k;
	vr_err_e	 e;

	e = list_all(db, &vr_incident_store, "vendor_id", x->vendor_id, &l, p);
	for (k = 0; k < l.n && e == VR_OK; k++)
		if ((c = push_record(&vr_supervision_resource, SUP_INCIDENTS,
		    x->rec)) == NULL || vr_record_project(&vr_incident_resource,
		    c, &vr_incident_resource, l.items[k]) == -1)
			e = vr_fail_oom(p);
		else
			e = add_rows(db, x->trail, vr_incident_resource.name,
			    l.items[k][INF_ID].i, p);
	vr_list_free(&vr_incident_resource, &l);
	return e;
}

/* The whole record and its trail, as of the chain head now. */
static vr_err_e
gather(vr_db_t *db, struct export_ctx *x, const char *now, vr_problem_t *p)
{
	vr_data_version_t	 head;
	vr_value_t		*chain;
	vr_err_e		 e;

	if ((e = vr_audit_version(db, &head, p)) != VR_OK ||
	    (e = gather_vendor(db, x, p)) != VR_OK)
		return e;
	vr_value_set_int(&x->rec[SUP_VENDOR_ID], x->vendor_id);
	vr_value_set_int(&x->trail[ATF_VENDOR_ID], x->vendor_id);
	vr_value_set_int(&x->rec[SUP_AS_OF_AUDIT_ID], head.id);
	if (vr_value_set_str(&x->rec[SUP_AS_OF_HASH], head.hash) == -1 ||
	    vr_value_set_str(&x->rec[SUP_GENERATED_AT], now) == -1 ||
	    vr_value_set_str(&x->rec[SUP_GENERATED_BY], x->who->user) == -1 ||
	    (chain = vr_value_set_record(&vr_supervision_resource.fields[
	    SUP_CHAIN], &x->rec[SUP_CHAIN])) == NULL)
		return vr_fail_oom(p);
	/* Lists are present even when empty: "none" is a fact too. */
	x->rec[SUP_DUTIES].present = x->rec[SUP_ASSESSMENTS].present =
	    x->rec[SUP_SUBCONTRACTS].present = x->rec[SUP_INCIDENTS].present =
	    x->trail[ATF_ROWS].present = true;
	if ((e = gather_cases(db, x, p)) != VR_OK ||
	    (e = gather_subcontracts(db, x, "parent_vendor_id", p)) != VR_OK ||
	    (e = gather_subcontracts(db, x, "vendor_id", p)) != VR_OK ||
	    (e = vr_subcontract_chain(db, x->vendor_id, chain, p)) != VR_OK ||
	    (e = gather_incidents(db, x, p)) != VR_OK)
		return e;
	/* Each entity's rows came in order; together, the chain's order. */
	if (x->trail[ATF_ROWS].n > 1)
		qsort(x->trail[ATF_ROWS].item, x->trail[ATF_ROWS].n,
		    sizeof(vr_value_t), by_id);
	return VR_OK;
}

/* Adds name holding b to z and its line to sums. */
static int
add_file(vr_zip_t *z, vr_buf_t *sums, const char *name, const vr_buf_t *b)
{
	char	 hex[VR_SHA256_HEX];

	if (vr_sha256_hex(b->data, b->len, hex) == -1 ||
	    vr_buf_printf(sums, "%s  %s\n", hex, name) == -1)
		return -1;
	return vr_zip_add(z, name, b->data, b->len);
}

/* The files of the pack, zipped into x->zip; their digests into d. */
static vr_err_e
pack(struct export_ctx *x, const char *now, vr_value_t *d, vr_problem_t *p)
{
	vr_buf_t	 f[4] = { { 0 } }, sums = { 0 }, rd = { 0 };
	static const char *const names[4] = {
		VR_PACK_HTML, VR_PACK_JSON, VR_PACK_XML, VR_PACK_AUDIT
	};
	vr_zip_t	 z;
	struct tm	 tm;
	char		 hex[VR_SHA256_HEX], err[256];
	size_t		 i;
	vr_err_e	 e = VR_OK;

	memset(&z, 0, sizeof(z));
	memset(&tm, 0, sizeof(tm));
	if (vr_record_html(x->rec, &f[0]) == -1 ||
	    vr_json_encode_record(&vr_supervision_resource, x->rec, &f[1]) !=
	    VR_OK ||
	    vr_xml_encode_record(&vr_supervision_resource, x->rec, &f[2]) !=
	    VR_OK ||
	    vr_json_encode_record(&vr_audit_trail_resource, x->trail, &f[3]) !=
	    VR_OK || vr_buf_puts(&rd, readme) == -1) {
		e = vr_fail_oom(p);
		goto out;
	}
	for (i = 0; i < 4; i++)
		if (add_file(&z, &sums, names[i], &f[i]) == -1) {
			e = vr_fail_oom(p);
			goto out;
		}
	if (add_file(&z, &sums, VR_PACK_README, &rd) == -1 ||
	    vr_zip_add(&z, VR_PACK_SUMS, sums.data, sums.len) == -1) {
		e = vr_fail_oom(p);
		goto out;
	}
	/* Every file dated when the record was made. */
	sscanf(now, "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon,
	    &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec);
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	if (vr_zip_write(&z, (long long)timegm(&tm), x->zip, err,
	    sizeof(err)) == -1) {
		e = vr_fail(p, VR_E_INTERNAL, "zip_failed", NULL, "%s", err);
		goto out;
	}
	vr_value_set_int(&d[REF_VENDOR_ID], x->vendor_id);
	vr_value_set_int(&d[REF_AS_OF_AUDIT_ID], x->rec[SUP_AS_OF_AUDIT_ID].i);
	vr_value_set_int(&d[REF_FILES], (int64_t)z.n);
	if (vr_sha256_hex(x->zip->data + x->zip_start, x->zip->len -
	    x->zip_start, hex) == -1 ||
	    vr_value_set_str(&d[REF_ZIP_SHA256], hex) == -1 ||
	    vr_sha256_hex(sums.data, sums.len, hex) == -1 ||
	    vr_value_set_str(&d[REF_SUMS_SHA256], hex) == -1)
		e = vr_fail_oom(p);
out:
	for (i = 0; i < 4; i++)
		vr_buf_free(&f[i]);
	vr_buf_free(&sums);
	vr_buf_free(&rd);
	vr_zip_free(&z);
	return e;
}

static vr_err_e
export_body(vr_db_t *db, void *arg, vr_changes_t *cs, vr_problem_t *p)
{
	struct export_ctx	*x = arg;
	vr_value_t		 d[REF__MAX];
	vr_change_t		*c;
	char			 now[32];
	size_t			 i;
	vr_err_e		 e;

	/* A retried transaction starts again from nothing. */
	vr_record_free(&vr_supervision_resource, x->rec);
	vr_record_free(&vr_audit_trail_resource, x->trail);
	vr_buf_truncate(x->zip, x->zip_start);
	memset(d, 0, sizeof(d));
	x->trail = NULL;
	if ((x->rec = vr_record_new(&vr_supervision_resource)) == NULL ||
	    (x->trail = vr_record_new(&vr_audit_trail_resource)) == NULL)
		return vr_fail_oom(p);
	vr_write_iso_time(cs->at, now);
	if ((e = gather(db, x, now, p)) != VR_OK ||
	    (e = pack(x, now, d, p)) != VR_OK)
		goto out;
	if ((c = vr_change_next(cs, p)) == NULL) {
		e = VR_E_INTERNAL;
		goto out;
	}
	c->action = VR_RECORD_EXPORTED;
	c->entity = vr_supervision_resource.name;
	c->entity_id = x->vendor_id;
	e = vr_write_canonical(&vr_record_export_resource, d, &c->after, p);
out:
	for (i = 0; i < REF__MAX; i++)
		vr_value_free(&vr_record_export_resource.fields[i], &d[i]);
	return e;
}

void
vr_supervision_name(int64_t vendor_id, char name[64])
{
	snprintf(name, 64, "supervision-record-vendor-%" PRId64 ".zip",
	    vendor_id);
}

vr_err_e
vr_supervision_export(vr_db_t *db, const vr_actor_t *who, int64_t vendor_id,
    vr_buf_t *zip, vr_problem_t *p)
{
	struct export_ctx	 x;
	vr_err_e		 e;

	memset(&x, 0, sizeof(x));
	x.who = who;
	x.vendor_id = vendor_id;
	x.zip = zip;
	x.zip_start = zip->len;
	e = vr_audit_write_alone(db, who->user, who->request_id, export_body,
	    &x, p);
	if (e != VR_OK)
		vr_buf_truncate(zip, x.zip_start);
	vr_record_free(&vr_supervision_resource, x.rec);
	vr_record_free(&vr_audit_trail_resource, x.trail);
	/*
	 * A pack is built from megabytes of records and texts, rarely: give
	 * what was freed back to the system, or each worker's malloc arena
	 * keeps its peak for good (bench: +30 MB RSS after a run of exports).
	 */
	malloc_trim(0);
	return e;
}
