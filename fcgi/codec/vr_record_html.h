/*
 * vr_record_html: the supervision record as one self-contained HTML page
 * (Japanese with English), for reading offline and printing.
 */
#ifndef VR_RECORD_HTML_H
#define VR_RECORD_HTML_H

#include "../core/vr_buf.h"
#include "../core/vr_field.h"

/*
 * Appends the page of rec (a record of vr_supervision_resource) to out:
 * no script, no external resource, every text escaped.  0, or -1 when
 * memory ran out.
 */
int		 vr_record_html(const vr_value_t *rec, vr_buf_t *out);

#endif
