/*
 * vr_sheet_import: a check sheet a vendor filled in and mailed back as
 * an xlsx or CSV file, saved as the case's answers.  The codecs read the
 * file (vr_grid) and turn its rows into answers tied to their cells
 * (vr_sheet_file); the save is vr_assessment_save_answers(), the one a
 * PUT …/answers goes through, after the same field-table validation, so
 * a file can do nothing a PUT could not.  A workbook names its case
 * under a digest keyed with the server's sheet secret, read from its
 * file per import (so a new secret counts at once, and it is held in
 * memory only while it is used).
 */
#include <string.h>

#include "../codec/vr_grid.h"
#include "../codec/vr_sheet_file.h"
#include "../core/vr_log.h"
#include "../model/vr_model.h"
#include "vr_assessment.h"
#include "vr_sheet.h"
#include "vr_sheet_import.h"

static const vr_field_t question_item = {
	.name = "question", .type = VR_T_RECORD,
	.sub = &vr_template_question_resource };
static const vr_field_t question_list = {
	.name = "questions", .type = VR_T_LIST, .items = &question_item };

vr_err_e
vr_sheet_secret(const vr_config_t *cfg, char *buf, size_t *len,
    vr_problem_t *p)
{
	char	 err[512];

	*len = 0;
	buf[0] = '\0';
	if (cfg->sheet_secret_file == NULL)
		return VR_OK;
	if (vr_config_read_sheet_secret(cfg, buf, VR_SHEET_SECRET_MAX, err,
	    sizeof(err)) == -1) {
		vr_log_error("sheet secret: %s", err);
		return vr_fail(p, VR_E_INTERNAL, "no_sheet_secret", NULL,
		    "the server's sheet secret cannot be read");
	}
	*len = strlen(buf);
	return VR_OK;
}

vr_err_e
vr_sheet_import_answers(vr_db_t *db, const vr_config_t *cfg,
    const vr_actor_t *who, int64_t id, const char *data, size_t len,
    vr_sheet_format_e fmt, vr_value_t **out, vr_problem_t *p)
{
	vr_grid_t		 g;
	vr_sheet_import_t	 im;
	vr_value_t		*rec = NULL, qs = { 0 };
	const vr_value_t	*tpl;
	char			 secret[VR_SHEET_SECRET_MAX] = "";
	size_t			 slen = 0;
	bool			 xlsx;
	vr_err_e		 e;

	*out = NULL;
	memset(&im, 0, sizeof(im));
	xlsx = fmt == VR_SHEET_XLSX || (fmt == VR_SHEET_ANY && len >= 4 &&
	    memcmp(data, "PK\x03\x04", 4) == 0);
	if ((e = xlsx ? vr_grid_read_xlsx(data, len, &g, p) :
	    vr_grid_read_csv(data, len, &g, p)) != VR_OK)
		return e;
	if (id == 0 && (!xlsx || (id = vr_sheet_file_case(&g)) == 0)) {
		e = vr_fail(p, VR_E_INVALID, "no_case", NULL, "the file names "
		    "no assessment: %s", xlsx ? "it is not a check sheet "
		    "exported by vendor-review" : "a CSV file carries none, "
		    "name the assessment");
		goto out;
	}
	if ((rec = vr_record_new(&vr_assessment_resource)) == NULL) {
		e = vr_fail_oom(p);
		goto out;
	}
	if ((e = vr_store_get(db, &vr_assessment_store, id, false, rec,
	    p)) != VR_OK ||
	    (e = vr_assessment_template(db, rec, &tpl, p)) != VR_OK)
		goto out;
	if (vr_sheet_questions(tpl, rec[AS_TIER].s, &qs) == -1) {
		e = vr_fail_oom(p);
		goto out;
	}
	if (xlsx && (e = vr_sheet_secret(cfg, secret, &slen, p)) != VR_OK)
		goto out;
	e = vr_sheet_import(&g, xlsx, slen > 0 ? secret : NULL, slen, tpl,
	    rec[AS_TIER].s, id, &qs,
	    &rec[AS_ANSWERS], &im, p);
	if (e == VR_OK && im.answers[ASF_ANSWERS].n == 0) {
		*out = rec;	/* nothing to change */
		rec = NULL;
		goto out;
	}
	if (e == VR_OK && (e = vr_record_validate(&vr_answers_resource,
	    im.answers, VR_MODE_CREATE, false, p)) == VR_OK)
		e = vr_assessment_save_answers(db, who, id,
		    &im.answers[ASF_ANSWERS], out, p);
	if (e != VR_OK)
		vr_sheet_import_locate(&im, p);
out:
	explicit_bzero(secret, sizeof(secret));
	vr_sheet_import_free(&im);
	vr_value_free(&question_list, &qs);
	vr_record_free(&vr_assessment_resource, rec);
	vr_grid_free(&g);
	return e;
}
