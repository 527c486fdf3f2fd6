/*
 * vr_register: the vendor register (委託先一覧) as a privacy office keeps
 * it, as a spreadsheet: GET /vendors?format=xlsx or csv.
 */
#ifndef VR_REGISTER_H
#define VR_REGISTER_H

#include "../core/vr_buf.h"
#include "../db/vr_db.h"

/*
 * Appends the register of the vendors in the NULL-ended array vendors
 * (records of vr_vendor_resource, in the order given) to out, as a
 * workbook (xlsx) or CSV: each vendor's row (its contract period and
 * certifications too), its open findings and its place in subcontract
 * chains.
 */
vr_err_e	 vr_register_file(vr_db_t *, vr_value_t *const *vendors,
		    size_t n, bool xlsx, vr_buf_t *out, vr_problem_t *);

#endif
