/*
 * vr_sheet_file: a case's check sheet as a file: an Excel workbook and
 * CSV (see vr_sheet_file.c).  tpl is the case's template record, tier
 * the case's tier, answers its answers LIST.  Both append to out;
 * VR_E_INTERNAL when the file could not be made.
 */
#ifndef VR_SHEET_FILE_H
#define VR_SHEET_FILE_H

#include <stdbool.h>
#include <stdint.h>

#include "../core/vr_buf.h"
#include "../core/vr_field.h"
#include "vr_table_file.h"


vr_err_e	 vr_sheet_xlsx(const vr_value_t *tpl, const char *tier,
		    int64_t case_id, const vr_value_t *answers,
		    const char *secret, size_t secret_len, vr_buf_t *out,
		    vr_problem_t *);
vr_err_e	 vr_sheet_csv(const vr_value_t *tpl, const char *tier,
		    const vr_value_t *answers, vr_buf_t *out, vr_problem_t *);

/*
 * A returned sheet read as answers to save: for each row that says
 * something else than the case holds (value, note or evidence), one
 * answer of vr_answers_resource, and the row it came from.
 */
typedef struct vr_sheet_import {
	vr_value_t	*answers;	/* a record of vr_answers_resource */
	uint32_t	*rows;		/* rows[k]: the row of answers[k] */
	bool		 xlsx;
	char		 sheet[128];	/* the sheet's name (xlsx) */
	uint32_t	 cols[4];	/* code, answer, note, evidence columns */
} vr_sheet_import_t;

struct vr_grid;
/*
 * Reads grid g (from an xlsx when xlsx, else CSV) as answers to case
 * case_id, whose template tpl asks the questions qs (a LIST) of tier and
 * which holds answers now.  A workbook must carry this case's identity
 * under a digest made with secret (NULL: none configured, 409
 * no_sheet_secret); a CSV carries none, the caller's case counts.  422
 * naming the cell (field "Sheet!K5") for what does not fit; 409 for a
 * workbook of another case (other_case) or template version
 * (sheet_outdated).  im is the caller's to free either way.
 */
vr_err_e	 vr_sheet_import(const struct vr_grid *g, bool xlsx,
		    const char *secret, size_t secret_len,
		    const vr_value_t *tpl, const char *tier, int64_t case_id,
		    const vr_value_t *qs, const vr_value_t *answers,
		    vr_sheet_import_t *im, vr_problem_t *);
/* The case a workbook names in its hidden sheet, or 0. */
int64_t		 vr_sheet_file_case(const struct vr_grid *);
/*
 * A problem of saving im's answers that names a field of one of them
 * ("answers[3].value") names its cell instead.
 */
void		 vr_sheet_import_locate(const vr_sheet_import_t *,
		    vr_problem_t *);
void		 vr_sheet_import_free(vr_sheet_import_t *);

#endif
