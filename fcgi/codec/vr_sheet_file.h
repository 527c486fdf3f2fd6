/*
 * vr_sheet_file: a case's check sheet as a file: an Excel workbook and
 * CSV (see vr_sheet_file.c).  tpl is the case's template record, tier
 * the case's tier, answers its answers LIST.  Both append to out;
 * VR_E_INTERNAL when the file could not be made.
 */
#ifndef VR_SHEET_FILE_H
#define VR_SHEET_FILE_H

#include <stdint.h>

#include "../core/vr_buf.h"
#include "../core/vr_field.h"

#define VR_XLSX_MEDIA_TYPE \
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#define VR_CSV_MEDIA_TYPE	"text/csv; charset=utf-8"

vr_err_e	 vr_sheet_xlsx(const vr_value_t *tpl, const char *tier,
		    int64_t case_id, const vr_value_t *answers, vr_buf_t *out,
		    vr_problem_t *);
vr_err_e	 vr_sheet_csv(const vr_value_t *tpl, const char *tier,
		    const vr_value_t *answers, vr_buf_t *out, vr_problem_t *);

#endif
