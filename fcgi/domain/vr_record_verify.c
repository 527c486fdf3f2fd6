/*
 * vr_record_verify: the offline check of a supervision-record pack
 * (vendor-review verify-record; docs/supervision-record.md), with no
 * database: only the pack and the program's own field tables and hash.
 *
 * What holds when it passes:
 *  - the ZIP is flat and bounded (vr_zip_read) and every file is listed
 *    in SHA256SUMS with its digest, and nothing else is in it;
 *  - every row of audit-log.json hashes, in the chain's canonical form
 *    (vr_audit_row_hash, the code the chain is written with), to its
 *    stored hash; its own prev_hash is part of what is hashed;
 *  - rows are in chain order, and rows consecutive in the chain (ids n
 *    and n + 1 both in the pack) link: the second's prev_hash is the
 *    first's hash.  Rows of other vendors lie between most of ours, so
 *    a gap is not an error: the pack holds a subset of one chain, and
 *    `verify-audit-log` checks the whole chain where the database is;
 *  - the last row is at most the record's as_of_audit_id, and when it
 *    is that row its hash is as_of_hash;
 *  - record.xml says what record.json says, field by field;
 *  - every fact of the record (the vendor, each case and finding,
 *    subcontract and incident) equals, in every stored field, the
 *    newest audit image of its entity that holds that field: an answer
 *    edited in record.json and SHA256SUMS made to fit is still named;
 *    a case's submitted_audit_id is a submission of that case.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../codec/vr_codec.h"
#include "../codec/vr_zip.h"
#include "../core/vr_sha256.h"
#include "../model/vr_model.h"
#include "vr_supervision.h"

/* What one check run found so far. */
struct check {
	vr_buf_t	*report;
	size_t		 fails;
	size_t		 files, rows, links, facts;
};

static void
fail(struct check *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
fail(struct check *c, const char *fmt, ...)
{
	char	 line[512], *p;
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	/* Names from the pack reach a terminal: no escape sequences. */
	for (p = line; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	c->fails++;
	/* Out of memory loses a line of the report, never the count. */
	(void)vr_buf_printf(c->report, "FAIL %s\n", line);
}

static bool
is_hex64(const char *s, size_t n)
{
	size_t	 i;

	if (n != 64)
		return false;
	for (i = 0; i < n; i++)
		if (strchr("0123456789abcdef", s[i]) == NULL || s[i] == '\0')
			return false;
	return true;
}

/* Every file against SHA256SUMS, and SHA256SUMS against the files. */
static void
check_sums(struct check *c, const vr_zip_t *z)
{
	const vr_zip_entry_t	*sums = vr_zip_find(z, VR_PACK_SUMS), *e;
	bool			 listed[VR_ZIP_MAX_ENTRIES] = { false };
	char			 hex[VR_SHA256_HEX], name[VR_ZIP_NAME_MAX + 1];
	const char		*p, *end, *nl;
	size_t			 i, lineno = 0, n;

	if (sums == NULL) {
		fail(c, "%s: not in the pack", VR_PACK_SUMS);
		return;
	}
	p = sums->data.data;
	end = p + sums->data.len;
	for (; p < end; p = nl + 1) {
		lineno++;
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		n = (size_t)(nl - p);
		/* "HASH  NAME" (text) or "HASH *NAME" (binary). */
		if (n < 67 || n - 66 > VR_ZIP_NAME_MAX || !is_hex64(p, 64) ||
		    p[64] != ' ' || (p[65] != ' ' && p[65] != '*')) {
			fail(c, "%s line %zu: not \"SHA256  NAME\"",
			    VR_PACK_SUMS, lineno);
			continue;
		}
		memcpy(name, p + 66, n - 66);
		name[n - 66] = '\0';
		if ((e = vr_zip_find(z, name)) == NULL) {
			fail(c, "%s: listed in %s but not in the pack", name,
			    VR_PACK_SUMS);
			continue;
		}
		listed[e - z->entries] = true;
		if (vr_sha256_hex(e->data.data, e->data.len, hex) == -1 ||
		    memcmp(hex, p, 64) != 0)
			fail(c, "%s: its SHA-256 is not the one in %s (the "
			    "file was changed)", name, VR_PACK_SUMS);
		else
			c->files++;
	}
	for (i = 0; i < z->n; i++)
		if (!listed[i] && &z->entries[i] != sums)
			fail(c, "%s: in the pack but not in %s",
			    z->entries[i].name, VR_PACK_SUMS);
}

static const char *
text(const vr_value_t *v)
{
	return vr_value_given(v) ? v->s : "";
}

/* Each row's hash, the order, the links of consecutive rows. */
static void
check_rows(struct check *c, const vr_value_t *rows, const vr_value_t *rec)
{
	const vr_value_t	*r, *prev = NULL;
	char			 hash[VR_SHA256_HEX];
	size_t			 k;

	for (k = 0; k < rows->n; k++, prev = r) {
		r = rows->item[k].rec;
		if (r == NULL || !vr_value_given(&r[AF_ID])) {
			fail(c, "%s: row %zu has no id", VR_PACK_AUDIT, k + 1);
			r = prev;
			continue;
		}
		if (vr_audit_row_hash(r, hash) == -1 ||
		    strcmp(hash, text(&r[AF_HASH])) != 0)
			fail(c, "audit row %" PRId64 " (%s %s:%" PRId64 "): "
			    "its content does not match its hash", r[AF_ID].i,
			    text(&r[AF_ACTION]), text(&r[AF_ENTITY]),
			    r[AF_ENTITY_ID].i);
		else
			c->rows++;
		if (prev == NULL)
			continue;
		if (r[AF_ID].i <= prev[AF_ID].i)
			fail(c, "audit row %" PRId64 ": after row %" PRId64
			    " in %s, not in chain order", r[AF_ID].i,
			    prev[AF_ID].i, VR_PACK_AUDIT);
		else if (r[AF_ID].i != prev[AF_ID].i + 1)
			continue;
		else if (strcmp(text(&r[AF_PREV_HASH]),
		    text(&prev[AF_HASH])) != 0)
			fail(c, "audit row %" PRId64 ": its prev_hash is not "
			    "the hash of row %" PRId64 " (the link is broken)",
			    r[AF_ID].i, prev[AF_ID].i);
		else
			c->links++;
	}
	if (prev == NULL || rec == NULL)
		return;
	if (prev[AF_ID].i > rec[SUP_AS_OF_AUDIT_ID].i)
		fail(c, "audit row %" PRId64 ": later than the record's "
		    "as_of_audit_id %" PRId64, prev[AF_ID].i,
		    rec[SUP_AS_OF_AUDIT_ID].i);
	else if (prev[AF_ID].i == rec[SUP_AS_OF_AUDIT_ID].i &&
	    strcmp(text(&prev[AF_HASH]), text(&rec[SUP_AS_OF_HASH])) != 0)
		fail(c, "audit row %" PRId64 ": its hash is not the record's "
		    "as_of_hash", prev[AF_ID].i);
}

/* One fact of the record: an entity, as the record shows it. */
struct fact {
	const char		*entity;
	int64_t			 id;
	const vr_resource_t	*view;	/* how the record holds it */
	const vr_resource_t	*full;	/* how its audit images hold it */
	const vr_value_t	*rec;
};

/* Whether field name of r is kept in the database (so in its images). */
static bool
stored(const vr_resource_t *r, const char *name)
{
	int	 j = vr_field_index(r, name, strlen(name));

	return j >= 0 && (r->fields[j].column != NULL ||
	    r->fields[j].child_table != NULL);
}

/*
 * Says that field i of fact f is not what row holds (img): for a list
 * of records, which item first, by its index and its first text (an
 * answer's question).
 */
static void
differs(struct check *c, const struct fact *f, size_t i,
    const vr_value_t *img, int64_t row)
{
	const vr_field_t	*fl = &f->view->fields[i];
	const vr_value_t	*v = &f->rec[i], *a, *b;
	const char		*q;
	size_t			 k;

	if (fl->type == VR_T_LIST && fl->items->type == VR_T_RECORD)
		for (k = 0; k < v->n || k < img->n; k++) {
			a = k < v->n ? &v->item[k] : NULL;
			b = k < img->n ? &img->item[k] : NULL;
			if (a != NULL && b != NULL &&
			    vr_value_same(fl->items, a, b))
				continue;
			q = a != NULL && fl->items->sub->fields[0].type ==
			    VR_T_TEXT ? text(&a->rec[0]) : "";
			fail(c, "%s: %s %" PRId64 ": %s[%zu]%s%s%s is not "
			    "what audit row %" PRId64 " holds", VR_PACK_JSON,
			    f->entity, f->id, fl->name, k, *q ? " (" : "", q,
			    *q ? ")" : "", row);
			return;
		}
	fail(c, "%s: %s %" PRId64 ": %s is not what audit row %" PRId64
	    " holds", VR_PACK_JSON, f->entity, f->id, fl->name, row);
}

/* Fields a fact's resource has at most (the check keeps one flag each). */
#define FACT_FIELDS_MAX	64

/* The stored fields of f that image proj (of row) is the newest for. */
static void
compare(struct check *c, const struct fact *f, const vr_value_t *proj,
    bool settled[FACT_FIELDS_MAX], int64_t row)
{
	const vr_field_t	*fl;
	size_t			 i;

	for (i = 0; i < f->view->nfields && i < FACT_FIELDS_MAX; i++) {
		fl = &f->view->fields[i];
		if (settled[i] || !proj[i].present ||
		    !stored(f->full, fl->name))
			continue;
		settled[i] = true;
		if (!vr_value_same(fl, &f->rec[i], &proj[i]))
			differs(c, f, i, &proj[i], row);
	}
}

/* Compares the stored fields of f with the newest image holding each. */
static void
check_fact(struct check *c, const vr_value_t *rows, const struct fact *f)
{
	const vr_value_t	*r;
	vr_value_t		*img, *proj;
	vr_problem_t		 p;
	bool			 settled[FACT_FIELDS_MAX] = { false };
	bool			 any = false;
	size_t			 k;

	for (k = rows->n; k-- > 0; ) {
		r = rows->item[k].rec;
		if (r == NULL || !vr_value_is(&r[AF_ENTITY], f->entity) ||
		    r[AF_ENTITY_ID].i != f->id || !vr_value_given(&r[AF_AFTER]))
			continue;
		any = true;
		vr_problem_clear(&p);
		img = vr_record_new(f->full);
		proj = vr_record_new(f->view);
		if (img == NULL || proj == NULL ||
		    vr_json_decode(f->full, r[AF_AFTER].s,
		    strlen(r[AF_AFTER].s), img, &p) != VR_OK ||
		    vr_record_project(f->view, proj, f->full, img) == -1)
			fail(c, "audit row %" PRId64 ": its image of %s %"
			    PRId64 " cannot be read (%s)", r[AF_ID].i,
			    f->entity, f->id, p.detail[0] != '\0' ?
			    p.detail : "out of memory");
		else
			compare(c, f, proj, settled, r[AF_ID].i);
		vr_record_free(f->full, img);
		vr_record_free(f->view, proj);
	}
	if (!any)
		fail(c, "%s: %s %" PRId64 " has no audit row in %s",
		    VR_PACK_JSON, f->entity, f->id, VR_PACK_AUDIT);
	else
		c->facts++;
}

/* The row a case names as its last submission is one, of that case. */
static void
check_submission(struct check *c, const vr_value_t *a, const vr_value_t *rows)
{
	const vr_value_t	*r = NULL;
	const char		*act;
	size_t			 k, n, sl = strlen(VR_SUBMIT_SUFFIX);

	if (!vr_value_given(&a[RCF_SUBMITTED_AUDIT_ID]))
		return;
	for (k = 0; k < rows->n && r == NULL; k++)
		if (rows->item[k].rec[AF_ID].i == a[RCF_SUBMITTED_AUDIT_ID].i)
			r = rows->item[k].rec;
	act = r != NULL ? text(&r[AF_ACTION]) : "";
	n = strlen(act);
	if (r == NULL || !vr_value_is(&r[AF_ENTITY],
	    vr_assessment_resource.name) || r[AF_ENTITY_ID].i != a[RCF_ID].i ||
	    n <= sl || strcmp(act + n - sl, VR_SUBMIT_SUFFIX) != 0 ||
	    strcmp(text(&r[AF_AT]), text(&a[RCF_SUBMITTED_AT])) != 0)
		fail(c, "%s: assessment %" PRId64 ": submitted_audit_id %"
		    PRId64 " is not its submission in %s", VR_PACK_JSON,
		    a[RCF_ID].i, a[RCF_SUBMITTED_AUDIT_ID].i, VR_PACK_AUDIT);
}

/* Every fact of the record against the trail. */
static void
check_facts(struct check *c, const vr_value_t *rec, const vr_value_t *rows)
{
	struct fact	 f;
	const vr_value_t *a, *l;
	size_t		 k, j;

	if (rec[SUP_VENDOR].rec != NULL) {
		f = (struct fact){ vr_vendor_resource.name,
		    rec[SUP_VENDOR].rec[VF_ID].i, &vr_vendor_resource,
		    &vr_vendor_resource, rec[SUP_VENDOR].rec };
		check_fact(c, rows, &f);
	}
	for (k = 0; k < rec[SUP_ASSESSMENTS].n; k++) {
		a = rec[SUP_ASSESSMENTS].item[k].rec;
		f = (struct fact){ vr_assessment_resource.name, a[RCF_ID].i,
		    &vr_record_case_resource, &vr_assessment_resource, a };
		check_fact(c, rows, &f);
		check_submission(c, a, rows);
		for (j = 0; j < a[RCF_FINDINGS].n; j++) {
			l = a[RCF_FINDINGS].item[j].rec;
			f = (struct fact){ vr_finding_resource.name, l[FF_ID].i,
			    &vr_finding_resource, &vr_finding_resource, l };
			check_fact(c, rows, &f);
		}
	}
	for (k = 0; k < rec[SUP_SUBCONTRACTS].n; k++) {
		l = rec[SUP_SUBCONTRACTS].item[k].rec;
		f = (struct fact){ vr_subcontract_resource.name, l[SCF_ID].i,
		    &vr_subcontract_resource, &vr_subcontract_resource, l };
		check_fact(c, rows, &f);
	}
	for (k = 0; k < rec[SUP_INCIDENTS].n; k++) {
		l = rec[SUP_INCIDENTS].item[k].rec;
		f = (struct fact){ vr_incident_resource.name, l[INF_ID].i,
		    &vr_incident_resource, &vr_incident_resource, l };
		check_fact(c, rows, &f);
	}
}

/*
 * record.xml against record.json, field by field, in the XML form: XML
 * is the form that cannot tell an integer answer from a text (the
 * question says which), so both are compared as XML says them.
 */
static void
check_agree(struct check *c, const vr_value_t *json, const vr_value_t *xml)
{
	const vr_resource_t	*sr = &vr_supervision_resource;
	vr_value_t		 a[SUP__MAX], b[SUP__MAX];
	vr_buf_t		 x = { 0 }, y = { 0 };
	size_t			 i;

	for (i = 0; i < sr->nfields; i++) {
		/* One field at a time: shallow views, never freed. */
		memset(a, 0, sizeof(a));
		memset(b, 0, sizeof(b));
		a[i] = json[i];
		b[i] = xml[i];
		vr_buf_reset(&x);
		vr_buf_reset(&y);
		if (vr_xml_encode_record(sr, a, &x) != VR_OK ||
		    vr_xml_encode_record(sr, b, &y) != VR_OK)
			fail(c, "out of memory comparing %s",
			    sr->fields[i].name);
		else if (x.len != y.len || memcmp(x.data, y.data, x.len) != 0)
			fail(c, "%s: %s differs from %s", VR_PACK_XML,
			    sr->fields[i].name, VR_PACK_JSON);
	}
	vr_buf_free(&x);
	vr_buf_free(&y);
}

/* Decodes file name of z as a record of r into *out; NULL when it fails. */
static vr_value_t *
read_doc(struct check *c, const vr_zip_t *z, const char *name,
    const vr_resource_t *r, vr_format_e fmt)
{
	const vr_zip_entry_t	*e = vr_zip_find(z, name);
	vr_value_t		*rec;
	vr_problem_t		 p;

	vr_problem_clear(&p);
	if (e == NULL) {
		fail(c, "%s: not in the pack", name);
		return NULL;
	}
	if ((rec = vr_record_new(r)) == NULL ||
	    vr_decode(fmt, r, e->data.data, e->data.len, rec, &p) != VR_OK) {
		fail(c, "%s: cannot be read as a %s (%s%s%s)", name, r->name,
		    p.field, p.field[0] != '\0' ? ": " : "",
		    p.detail[0] != '\0' ? p.detail : "out of memory");
		vr_record_free(r, rec);
		return NULL;
	}
	return rec;
}

size_t
vr_supervision_verify(const void *data, size_t len, vr_buf_t *report)
{
	const vr_resource_t	*sr = &vr_supervision_resource;
	struct check		 c;
	vr_value_t		*json = NULL, *xml = NULL, *trail = NULL;
	vr_zip_t		 z;
	char			 err[256];

	memset(&c, 0, sizeof(c));
	memset(&z, 0, sizeof(z));
	c.report = report;
	if (vr_zip_read(data, len, &z, err, sizeof(err)) == -1) {
		fail(&c, "the pack: %s", err);
		goto out;
	}
	check_sums(&c, &z);
	json = read_doc(&c, &z, VR_PACK_JSON, sr, VR_FMT_JSON);
	xml = read_doc(&c, &z, VR_PACK_XML, sr, VR_FMT_XML);
	trail = read_doc(&c, &z, VR_PACK_AUDIT, &vr_audit_trail_resource,
	    VR_FMT_JSON);
	if (trail != NULL)
		check_rows(&c, &trail[ATF_ROWS], json);
	if (json != NULL && xml != NULL)
		check_agree(&c, json, xml);
	if (json != NULL && trail != NULL)
		check_facts(&c, json, &trail[ATF_ROWS]);
out:
	if (c.fails == 0)
		(void)vr_buf_printf(report, "ok: %zu files match %s, %zu audit "
		    "rows hash to their hash, %zu links between consecutive "
		    "rows hold, %zu facts match their audit rows\n", c.files,
		    VR_PACK_SUMS, c.rows, c.links, c.facts);
	else
		(void)vr_buf_printf(report, "%zu thing%s do%s not hold\n",
		    c.fails, c.fails == 1 ? "" : "s", c.fails == 1 ? "es" : "");
	vr_record_free(sr, json);
	vr_record_free(sr, xml);
	vr_record_free(&vr_audit_trail_resource, trail);
	vr_zip_free(&z);
	return c.fails;
}
