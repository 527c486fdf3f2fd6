/*
 * vr_supervision: the supervision record (監督記録) of one vendor as a
 * ZIP pack an auditor or a regulator can check offline (Act Art. 25, GL
 * 3-4-4; docs/supervision-record.md): making it, with the audit row
 * that ties it to the chain, and verifying one without the database.
 */
#ifndef VR_SUPERVISION_H
#define VR_SUPERVISION_H

#include "../core/vr_buf.h"
#include "../db/vr_audit.h"

/*
 * The audit action of an export.  Its entity is the vendor's record
 * (supervision_record, the vendor's id), its after-image a record_export:
 * the vendor's own rows stay its images (each vendor is its last one).
 */
#define VR_RECORD_EXPORTED	"supervision_record.exported"

/* A case's submission is the audit action "<workflow>.submit". */
#define VR_SUBMIT_SUFFIX	".submit"

/* The files of a pack, in the order they are written. */
#define VR_PACK_HTML		"record.html"
#define VR_PACK_JSON		"record.json"
#define VR_PACK_XML		"record.xml"
#define VR_PACK_AUDIT		"audit-log.json"
#define VR_PACK_README		"README.txt"
#define VR_PACK_SUMS		"SHA256SUMS"

/* The file name of vendor id's pack: supervision-record-vendor-ID.zip. */
void		 vr_supervision_name(int64_t vendor_id, char name[64]);

/*
 * Makes the pack of vendor id into zip (appended), and writes the
 * export's audit row and event: one write
 * transaction that holds the chain head while it reads, so the record
 * shows the data as of one audit row (as_of_audit_id) and the export's
 * row is the next.  404 when there is no such vendor.
 */
vr_err_e	 vr_supervision_export(vr_db_t *, const vr_actor_t *,
		    int64_t vendor_id, vr_buf_t *zip, vr_problem_t *);

/*
 * Checks a pack of len bytes offline (docs/supervision-record.md): the
 * ZIP itself (names, counts, sizes), every file against SHA256SUMS,
 * every audit row's hash recomputed, the links between rows consecutive
 * in the chain, record.json against record.xml, and every fact of the
 * record against the newest audit image of its entity.  Appends one
 * line per thing that does not hold to report, then a summary line.
 * Returns the number of things that do not hold (0: the pack holds).
 * Needs vr_xml_init() (record.xml is read against the schema).
 */
size_t		 vr_supervision_verify(const void *zip, size_t len,
		    vr_buf_t *report);

#endif
