/*
 * vr_register: the vendor register (委託先一覧) as a file.  The vendors'
 * own rows come from the store, as GET /vendors lists them (its filters,
 * search and order); the counts beside them from vr_register_db; the
 * table is written by vr_table_file.  Labels are Japanese with the code
 * the API uses beside them, so the file sorts and filters either way.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../codec/vr_table_file.h"
#include "../db/vr_register_db.h"
#include "../model/vr_model.h"
#include "vr_register.h"

enum { R_ID, R_NAME, R_KANA, R_NUMBER, R_ADDRESS, R_DEPARTMENT,
    R_CONTRACT, R_PERIOD, R_RENEWAL, R_CERTS, R_TIER, R_STATUS,
    R_NEXT_AUDIT, R_FINDINGS, R_LEVEL, R_SUBCONTRACTORS, R_DEPTH,
    R_UPDATED, R__MAX };

static const vr_table_col_t cols[R__MAX] = {
	[R_ID] = { "ID", 6 },
	[R_NAME] = { "名称 / Name", 30 },
	[R_KANA] = { "フリガナ / Kana", 24 },
	[R_NUMBER] = { "法人番号 / Corporate number", 16 },
	[R_ADDRESS] = { "所在地 / Address", 30 },
	[R_DEPARTMENT] = { "主管部署 / Department", 16 },
	[R_CONTRACT] = { "契約形態 / Contract", 14 },
	[R_PERIOD] = { "契約期間 / Contract period", 22 },
	[R_RENEWAL] = { "更新日 / Renewal date", 12 },
	[R_CERTS] = { "認証 / Certifications", 30 },
	[R_TIER] = { "リスク区分 / Tier", 14 },
	[R_STATUS] = { "状態 / Status", 14 },
	[R_NEXT_AUDIT] = { "次回監査期限 / Next audit due", 14 },
	[R_FINDINGS] = { "未完了の指摘 / Open findings", 10 },
	[R_LEVEL] = { "再委託の段階 / Subcontract level", 10 },
	[R_SUBCONTRACTORS] = { "再委託先の数 / Subcontractors", 10 },
	[R_DEPTH] = { "再委託の深さ / Chain depth below", 10 },
	[R_UPDATED] = { "更新日時 (UTC) / Updated", 20 },
};

static const char *const labels[][2] = {
	{ "high", "高リスク / high" }, { "medium", "中リスク / medium" },
	{ "low", "低リスク / low" }, { "candidate", "候補 / candidate" },
	{ "approved", "承認済み / approved" },
	{ "suspended", "停止中 / suspended" },
	{ "terminated", "契約終了 / terminated" },
	{ "ukeoi", "請負 / ukeoi" }, { "jun_inin", "準委任 / jun_inin" },
	{ "pmark", "プライバシーマーク" }, { "isms", "ISMS (ISO/IEC 27001)" },
};

static const char *
text(const vr_value_t *v)
{
	return v->present && !v->null && v->s != NULL ? v->s : "";
}

static const char *
label(const vr_value_t *v)
{
	size_t	 i;

	for (i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		if (strcmp(labels[i][0], text(v)) == 0)
			return labels[i][1];
	return text(v);
}

/* The texts of one row made here, kept while the table is written. */
typedef struct row_texts {
	char	 n[5][VR_INT_TEXT_MAX];
	vr_buf_t period, certs;
} row_texts_t;

/* "start – end" of the contract, either side may be open. */
static int
period_text(const vr_value_t *v, vr_buf_t *out)
{
	if (!vr_value_given(&v[VF_CONTRACT_START]) &&
	    !vr_value_given(&v[VF_CONTRACT_END]))
		return vr_buf_append(out, "", 0);
	return vr_buf_printf(out, "%s – %s", text(&v[VF_CONTRACT_START]),
	    text(&v[VF_CONTRACT_END]));
}

/* One certification a line: its kind (or name), number and expiry. */
static int
certs_text(const vr_value_t *v, vr_buf_t *out)
{
	const vr_value_t	*list = &v[VF_CERTIFICATIONS], *c;
	size_t			 k;
	int			 rc = vr_buf_append(out, "", 0);

	for (k = 0; k < list->n && rc == 0; k++) {
		c = list->item[k].rec;
		rc = vr_buf_printf(out, "%s%s%s%s%s%s", k ? "\n" : "",
		    vr_value_given(&c[CERF_NAME]) ? text(&c[CERF_NAME]) :
		    label(&c[CERF_KIND]), vr_value_given(&c[CERF_NUMBER]) ?
		    " " : "", text(&c[CERF_NUMBER]),
		    vr_value_given(&c[CERF_EXPIRES_ON]) ? " ～" : "",
		    text(&c[CERF_EXPIRES_ON]));
	}
	return rc;
}

vr_err_e
vr_register_file(vr_db_t *db, vr_value_t *const *vendors, size_t n,
    bool xlsx, vr_buf_t *out, vr_problem_t *p)
{
	vr_register_extras_t	 ex;
	vr_register_extra_t	 x;
	const vr_value_t	*v;
	const char		**cells = NULL;
	row_texts_t		*num = NULL;
	size_t			 r;
	vr_err_e		 e;

	if ((e = vr_register_extras(db, &ex, p)) != VR_OK)
		return e;
	if ((cells = calloc(n * R__MAX + 1, sizeof(*cells))) == NULL ||
	    (num = calloc(n + 1, sizeof(*num))) == NULL) {
		e = vr_fail_oom(p);
		goto out;
	}
	for (r = 0; r < n; r++) {
		const char	**c = &cells[r * R__MAX];

		v = vendors[r];
		x = vr_register_extra(&ex, v[VF_ID].i);
		c[R_ID] = vr_int_text(num[r].n[0], v[VF_ID].i);
		c[R_NAME] = text(&v[VF_NAME]);
		c[R_KANA] = text(&v[VF_NAME_KANA]);
		c[R_NUMBER] = text(&v[VF_CORPORATE_NUMBER]);
		c[R_ADDRESS] = text(&v[VF_ADDRESS]);
		c[R_DEPARTMENT] = text(&v[VF_OWNER_DEPARTMENT]);
		c[R_CONTRACT] = label(&v[VF_CONTRACT_TYPE]);
		if (period_text(v, &num[r].period) == -1 ||
		    certs_text(v, &num[r].certs) == -1) {
			e = vr_fail_oom(p);
			goto out;
		}
		c[R_PERIOD] = num[r].period.data != NULL ?
		    num[r].period.data : "";
		c[R_RENEWAL] = text(&v[VF_RENEWAL_DATE]);
		c[R_CERTS] = num[r].certs.data != NULL ? num[r].certs.data : "";
		c[R_TIER] = label(&v[VF_TIER]);
		c[R_STATUS] = label(&v[VF_STATUS]);
		c[R_NEXT_AUDIT] = text(&v[VF_NEXT_AUDIT_DUE]);
		c[R_FINDINGS] = vr_int_text(num[r].n[1], x.open_findings);
		c[R_LEVEL] = x.level > 0 ? vr_int_text(num[r].n[2], x.level) :
		    "";
		c[R_SUBCONTRACTORS] = vr_int_text(num[r].n[3],
		    x.subcontractors);
		c[R_DEPTH] = vr_int_text(num[r].n[4], x.depth_below);
		c[R_UPDATED] = text(&v[VF_UPDATED_AT]);
	}
	e = xlsx ? vr_table_xlsx("委託先一覧", cols, R__MAX, cells, n, out, p) :
	    vr_table_csv(cols, R__MAX, cells, n, out, p);
out:
	for (r = 0; num != NULL && r < n; r++) {
		vr_buf_free(&num[r].period);
		vr_buf_free(&num[r].certs);
	}
	free(cells);
	free(num);
	vr_register_extras_free(&ex);
	return e;
}
