/*
 * vr_sheet_import: a check sheet sent back as a file, saved as its
 * answers (see vr_sheet_import.c).
 */
#ifndef VR_SHEET_IMPORT_H
#define VR_SHEET_IMPORT_H

#include "../core/vr_config.h"
#include "../db/vr_audit.h"
#include "../db/vr_store.h"

typedef enum vr_sheet_format {
	VR_SHEET_ANY,	/* by its first bytes: a ZIP is a workbook */
	VR_SHEET_XLSX,
	VR_SHEET_CSV
} vr_sheet_format_e;

/*
 * The key of the workbooks' digest, read from sheet_secret_file into
 * buf (VR_SHEET_SECRET_MAX bytes; the caller wipes it): VR_OK with *len
 * its length, or 0 when none is configured; INTERNAL (logged) when the
 * file cannot be read.
 */
#define VR_SHEET_SECRET_MAX	512
vr_err_e	 vr_sheet_secret(const vr_config_t *, char *buf, size_t *len,
		    vr_problem_t *);
/*
 * Saves the answers a returned sheet (data, len) gives to case id (0: the
 * case the workbook names), as who, exactly as PUT …/answers would: the
 * same rules and validation, with the cell named (field "Sheet!K5") for
 * what does not fit, and nothing saved then.  Rows that say what the
 * case holds are not saved again; a file that changes nothing writes
 * nothing.  *out is the case after, the caller's to free.
 */
vr_err_e	 vr_sheet_import_answers(vr_db_t *, const vr_config_t *,
		    const vr_actor_t *who, int64_t id, const char *data,
		    size_t len, vr_sheet_format_e, vr_value_t **out,
		    vr_problem_t *);

#endif
