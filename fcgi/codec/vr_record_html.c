/*
 * vr_record_html: the supervision record (監督記録) as a page an auditor
 * reads in any browser, offline, and prints: one file, its CSS inline,
 * no script, no link out.  The sections are fixed (vendor, tier, duties,
 * cases, subcontracts, incidents); inside them every field is drawn from
 * the field tables, so a field added to a resource shows here too, with
 * its Japanese label when labels[] has one and its API name always.
 * Every text goes through vr_buf_put_escaped(): the page holds what vendors and users
 * typed.
 */
#include <inttypes.h>
#include <string.h>

#include "../model/vr_model.h"
#include "vr_record_html.h"

/* Japanese labels of field names (the English is the name itself). */
static const struct {
	const char	*name, *ja;
} labels[] = {
	{ "id", "番号" }, { "version", "版" }, { "name", "名称" },
	{ "name_kana", "フリガナ" }, { "corporate_number", "法人番号" },
	{ "address", "所在地" }, { "contact_name", "担当者" },
	{ "contact_email", "担当者メール" }, { "contract_type", "契約形態" },
	{ "owner_department", "所管部署" }, { "personal_data", "個人データ" },
	{ "special_care_data", "要配慮個人情報" },
	{ "payment_data", "決済関連データ" },
	{ "confidential_data", "機密情報" },
	{ "system_access", "システムアクセス" },
	{ "offsite_work", "社外作業" }, { "tier", "リスク区分" },
	{ "status", "状態" }, { "state", "状態" },
	{ "next_audit_due", "次回監査期限" }, { "needs_review", "要再評価" },
	{ "created_by", "作成者" }, { "created_at", "作成日時" },
	{ "updated_by", "最終更新者" }, { "updated_at", "最終更新日時" },
	{ "kind", "種別" }, { "cycle", "周期" },
	{ "template_id", "チェックシート" }, { "answered", "回答済（必須）" },
	{ "required", "必須設問数" }, { "score", "評点" },
	{ "section_scores", "区分別評点" }, { "section", "区分" },
	{ "requested_by", "依頼者" }, { "reviewed_by", "審査者" },
	{ "decided_by", "承認者" }, { "question", "設問" },
	{ "value", "回答" }, { "note", "備考" }, { "evidence", "証跡" },
	{ "answered_by", "回答者" }, { "answered_at", "回答日時" },
	{ "assessment_id", "評価" }, { "vendor_id", "委託先" },
	{ "answer", "回答内容" }, { "source", "発生源" },
	{ "severity", "重要度" }, { "description", "内容" },
	{ "remediation", "是正措置" }, { "owner", "対応者" },
	{ "due_date", "期限" }, { "risk_reason", "リスク受容の理由" },
	{ "risk_accepted_by", "リスク受容者" },
	{ "risk_accepted_until", "リスク受容期限" },
	{ "entity", "対象" }, { "entity_id", "対象番号" },
	{ "approver_independent", "承認者の独立性" },
	{ "parent_vendor_id", "委託元" },
	{ "parent_subcontract_id", "上位の再委託" }, { "scope", "委託範囲" },
	{ "data_classes", "データ区分" }, { "period_end", "期間（終了）" },
	{ "host_ref", "チケット" }, { "flow_down", "義務の承継" },
	{ "equal_obligations", "同等の義務" }, { "nda_signed", "秘密保持契約" },
	{ "audit_rights", "監査権" },
	{ "parent_responsible", "委託先の責任" }, { "depth", "階層" },
	{ "flagged", "要確認" }, { "flag_reason", "要確認の理由" },
	{ "detected_at", "発生・発覚日" }, { "aware_on", "認識日" },
	{ "people_affected", "本人数" },
	{ "people_affected_is_estimate", "本人数は推計" },
	{ "cause", "原因" }, { "malicious", "不正の目的" },
	{ "encrypted", "高度な暗号化" },
	{ "vendor_notified_on", "委託先からの通知日" },
	{ "vendor_notice_items", "通知された事項" },
	{ "known_items", "判明した事項" }, { "require_audit", "臨時監査" },
	{ "reportable", "報告対象" }, { "reportable_cases", "該当事由" },
	{ "preliminary_due", "速報の目安" }, { "final_due", "確報の期限" },
	{ "deadline_note", "期限の注記" }, { "unknown_items", "未判明の事項" },
	{ "preliminary_reported_on", "速報日" },
	{ "final_reported_on", "確報日" },
	{ "people_notified_on", "本人通知日" }, { "audit_id", "臨時監査" },
	{ "reported_by", "報告者" }, { "closed_by", "完了者" },
	{ "generated_at", "作成日時" }, { "generated_by", "作成者" },
	{ "as_of_audit_id", "基準の監査ログ行" },
	{ "as_of_hash", "その行のハッシュ" }, { "text", "質問" },
	{ "basis", "根拠" }, { "answers", "回答" }, { "findings", "指摘事項" },
	{ "mandatory", "必須管理策" }, { "type", "回答形式" },
	{ "submitted_audit_id", "提出の監査ログ行" },
	{ "submitted_at", "提出日時" },
};

static const char css[] =
    "body{font-family:'Noto Sans CJK JP','Hiragino Sans','Yu Gothic',"
    "'Meiryo',sans-serif;margin:2em;color:#111;line-height:1.45}"
    "h1{font-size:1.6em;border-bottom:3px solid #333}"
    "h2{font-size:1.25em;border-bottom:1px solid #666;margin-top:2em}"
    "h3{font-size:1.05em;margin-top:1.5em}"
    ".en{color:#555;font-weight:normal;font-size:.9em}"
    "table{border-collapse:collapse;margin:.5em 0;width:100%}"
    "th,td{border:1px solid #999;padding:.25em .5em;vertical-align:top;"
    "text-align:left;font-size:.9em;overflow-wrap:anywhere}"
    "th{background:#eee;width:14em}"
    "thead th{width:auto}"
    "table.answers th,table.answers td{overflow-wrap:normal}"
    "table.answers td:nth-child(2){width:45%}"
    "td.no{color:#a00;font-weight:bold}"
    ".none{color:#777}"
    "pre{white-space:pre-wrap;margin:0;font:inherit}"
    "section.case{border-left:4px solid #ccc;padding-left:1em}"
    "@page{size:A4;margin:15mm}"
    "@media print{body{margin:0}section.case,tr{break-inside:avoid}"
    "h2,h3{break-after:avoid}th{background:#eee;"
    "-webkit-print-color-adjust:exact;print-color-adjust:exact}}";

static int	 render(vr_buf_t *, const vr_field_t *, const vr_value_t *);

static const char *
text(const vr_value_t *v)
{
	return v->present && !v->null && v->s != NULL ? v->s : "";
}

static const char *
ja_label(const char *name)
{
	size_t	 i;

	for (i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		if (strcmp(labels[i].name, name) == 0)
			return labels[i].ja;
	return NULL;
}

/* "日本語 name" for a field. */
static int
label(vr_buf_t *out, const char *name)
{
	const char	*ja = ja_label(name);

	if (ja != NULL && (vr_buf_put_escaped(out, ja) == -1 || vr_buf_puts(out, " ") == -1))
		return -1;
	return vr_buf_puts(out, "<span class=\"en\">") == -1 ||
	    vr_buf_put_escaped(out, name) == -1 || vr_buf_puts(out, "</span>") == -1 ? -1 : 0;
}

/* A heading in Japanese and English. */
static int
heading(vr_buf_t *out, const char *tag, const char *ja, const char *en)
{
	return vr_buf_printf(out, "<%s>", tag) == -1 || vr_buf_put_escaped(out, ja) == -1 ||
	    vr_buf_puts(out, " <span class=\"en\">") == -1 ||
	    vr_buf_put_escaped(out, en) == -1 ||
	    vr_buf_printf(out, "</span></%s>\n", tag) == -1 ? -1 : 0;
}

static const vr_field_t *
item_of(const vr_field_t *f)
{
	static const vr_field_t text_item = { .name = "item",
	    .type = VR_T_TEXT };

	return f->type == VR_T_VARIANT ? &text_item : f->items;
}

/* A table with one column per field of r that is not a list of records. */
static int
list_table(vr_buf_t *out, const vr_resource_t *r, const vr_value_t *v)
{
	size_t	 i, k;

	if (v->n == 0)
		return vr_buf_puts(out, "<span class=\"none\">なし "
		    "<span class=\"en\">none</span></span>");
	if (vr_buf_puts(out, "<table><thead><tr>") == -1)
		return -1;
	for (i = 0; i < r->nfields; i++)
		if (!(r->fields[i].flags & VR_F_HIDDEN) &&
		    (vr_buf_puts(out, "<th>") == -1 ||
		    label(out, r->fields[i].name) == -1 ||
		    vr_buf_puts(out, "</th>") == -1))
			return -1;
	if (vr_buf_puts(out, "</tr></thead><tbody>\n") == -1)
		return -1;
	for (k = 0; k < v->n; k++) {
		if (vr_buf_puts(out, "<tr>") == -1)
			return -1;
		for (i = 0; i < r->nfields; i++)
			if (!(r->fields[i].flags & VR_F_HIDDEN) &&
			    (vr_buf_puts(out, "<td>") == -1 ||
			    render(out, &r->fields[i],
			    &v->item[k].rec[i]) == -1 ||
			    vr_buf_puts(out, "</td>") == -1))
				return -1;
		if (vr_buf_puts(out, "</tr>\n") == -1)
			return -1;
	}
	return vr_buf_puts(out, "</tbody></table>\n");
}

/* A table of name / value rows of rec; lists of records below it. */
static int
kv_table(vr_buf_t *out, const vr_resource_t *r, const vr_value_t *rec,
    bool lists)
{
	const vr_field_t	*f;
	size_t			 i;

	if (vr_buf_puts(out, "<table>\n") == -1)
		return -1;
	for (i = 0; i < r->nfields; i++) {
		f = &r->fields[i];
		if ((f->flags & VR_F_HIDDEN) || (f->type == VR_T_LIST &&
		    f->items->type == VR_T_RECORD))
			continue;
		if (vr_buf_puts(out, "<tr><th>") == -1 ||
		    label(out, f->name) == -1 ||
		    vr_buf_puts(out, "</th><td>") == -1 ||
		    render(out, f, &rec[i]) == -1 ||
		    vr_buf_puts(out, "</td></tr>\n") == -1)
			return -1;
	}
	if (vr_buf_puts(out, "</table>\n") == -1)
		return -1;
	for (i = 0; lists && i < r->nfields; i++) {
		f = &r->fields[i];
		if (f->type != VR_T_LIST || f->items->type != VR_T_RECORD)
			continue;
		if (vr_buf_puts(out, "<h4>") == -1 ||
		    label(out, f->name) == -1 ||
		    vr_buf_puts(out, "</h4>\n") == -1 ||
		    list_table(out, f->items->sub, &rec[i]) == -1)
			return -1;
	}
	return 0;
}

/* One value of field f, as text (nested values as nested tables). */
static int
render(vr_buf_t *out, const vr_field_t *f, const vr_value_t *v)
{
	size_t	 k;

	if (!v->present || v->null)
		return vr_buf_puts(out, "<span class=\"none\">—</span>");
	switch (f->type == VR_T_VARIANT ? v->kind : f->type) {
	case VR_T_INT:
		return vr_buf_put_int(out, v->i);
	case VR_T_BOOL:
		return vr_buf_puts(out, v->i ? "はい <span class=\"en\">yes"
		    "</span>" : "いいえ <span class=\"en\">no</span>");
	case VR_T_RECORD:
		if (f->sub == &vr_label_resource)
			return vr_buf_put_escaped(out, text(&v->rec[LF_JA])) == -1 ||
			    vr_buf_puts(out, " <span class=\"en\">") == -1 ||
			    vr_buf_put_escaped(out, text(&v->rec[LF_EN])) == -1 ||
			    vr_buf_puts(out, "</span>") == -1 ? -1 : 0;
		return kv_table(out, f->sub, v->rec, true);
	case VR_T_LIST:
		if (item_of(f)->type == VR_T_RECORD)
			return list_table(out, item_of(f)->sub, v);
		for (k = 0; k < v->n; k++)
			if ((k > 0 && vr_buf_puts(out, ", ") == -1) ||
			    render(out, item_of(f), &v->item[k]) == -1)
				return -1;
		return 0;
	default:
		/* Line breaks in free text are kept. */
		return vr_buf_puts(out, strchr(v->s, '\n') ? "<pre>" : "") ==
		    -1 || vr_buf_put_escaped(out, v->s) == -1 ||
		    vr_buf_puts(out, strchr(v->s, '\n') ? "</pre>" : "") == -1 ?
		    -1 : 0;
	}
}

/* The chain below: a nested list of subcontractors. */
static int
tree(vr_buf_t *out, const vr_value_t *nodes)
{
	const vr_field_t	*dc = vr_chain_node_resource.fields +
				    CNF_DATA_CLASSES;
	const vr_value_t	*n, *v;
	size_t			 k;

	if (nodes->n == 0)
		return 0;
	if (vr_buf_puts(out, "<ul>\n") == -1)
		return -1;
	for (k = 0; k < nodes->n; k++) {
		n = nodes->item[k].rec;
		v = n[CNF_VENDOR].rec;
		if (vr_buf_puts(out, "<li>") == -1 ||
		    vr_buf_put_escaped(out, v != NULL ? text(&v[VF_NAME]) : "") == -1 ||
		    vr_buf_printf(out, " (#%" PRId64 ") — 再委託 #%"
		    PRId64 ", ", v != NULL ? v[VF_ID].i : 0,
		    n[CNF_SUBCONTRACT_ID].i) == -1 ||
		    vr_buf_put_escaped(out, text(&n[CNF_STATE])) == -1 ||
		    vr_buf_puts(out, ", ") == -1 ||
		    render(out, dc, &n[CNF_DATA_CLASSES]) == -1 ||
		    (n[CNF_FLAGGED].i && vr_buf_puts(out, " <strong>要確認 "
		    "flagged</strong>") == -1) ||
		    tree(out, &n[CNF_SUBCONTRACTS]) == -1 ||
		    vr_buf_puts(out, "</li>\n") == -1)
			return -1;
	}
	return vr_buf_puts(out, "</ul>\n");
}

static int
chain(vr_buf_t *out, const vr_value_t *c)
{
	const vr_value_t	*up = &c[CHF_PATH_UP];
	size_t			 k;

	if (heading(out, "h3", "再委託の連鎖", "Subcontract chain") == -1 ||
	    vr_buf_puts(out, "<p>") == -1)
		return -1;
	for (k = 0; k < up->n; k++)
		if (vr_buf_put_escaped(out, text(&up->item[k].rec[VF_NAME])) == -1 ||
		    vr_buf_puts(out, " → ") == -1)
			return -1;
	if (c[CHF_VENDOR].rec != NULL &&
	    vr_buf_put_escaped(out, text(&c[CHF_VENDOR].rec[VF_NAME])) == -1)
		return -1;
	if (vr_buf_puts(out, "</p>\n") == -1 ||
	    tree(out, &c[CHF_SUBCONTRACTS]) == -1)
		return -1;
	return 0;
}

/* The question of case c whose code is code, or NULL. */
static const vr_value_t *
question_of(const vr_value_t *c, const char *code)
{
	const vr_value_t	*qs = &c[RCF_QUESTIONS];
	size_t			 k;

	for (k = 0; k < qs->n; k++)
		if (vr_value_is(&qs->item[k].rec[RQF_CODE], code))
			return qs->item[k].rec;
	return NULL;
}

/* A case's answers, each beside its question and the question's basis. */
static int
answers(vr_buf_t *out, const vr_value_t *c)
{
	const vr_field_t	*af = vr_record_answer_resource.fields;
	const vr_field_t	*qf = vr_record_question_resource.fields;
	const vr_value_t	*a, *q;
	static const int	 cols[] = { RAF_VALUE, RAF_NOTE, RAF_EVIDENCE,
	    RAF_ANSWERED_BY, RAF_ANSWERED_AT };
	size_t			 k, i;

	if (vr_buf_puts(out, "<h4>") == -1 || label(out, "answers") == -1 ||
	    vr_buf_puts(out, "</h4>\n") == -1)
		return -1;
	if (c[RCF_ANSWERS].n == 0)
		return list_table(out, &vr_record_answer_resource,
		    &c[RCF_ANSWERS]);
	if (vr_buf_puts(out, "<table class=\"answers\"><thead>"
	    "<tr><th>") == -1 ||
	    label(out, "question") == -1 || vr_buf_puts(out, "</th><th>") ==
	    -1 || label(out, "text") == -1 || vr_buf_puts(out, "</th><th>") ==
	    -1 || label(out, "basis") == -1 || vr_buf_puts(out, "</th>") == -1)
		return -1;
	for (i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
		if (vr_buf_puts(out, "<th>") == -1 ||
		    label(out, af[cols[i]].name) == -1 ||
		    vr_buf_puts(out, "</th>") == -1)
			return -1;
	if (vr_buf_puts(out, "</tr></thead><tbody>\n") == -1)
		return -1;
	for (k = 0; k < c[RCF_ANSWERS].n; k++) {
		a = c[RCF_ANSWERS].item[k].rec;
		q = question_of(c, text(&a[RAF_QUESTION]));
		if (vr_buf_puts(out, "<tr><td>") == -1 ||
		    vr_buf_put_escaped(out, text(&a[RAF_QUESTION])) == -1 ||
		    vr_buf_puts(out, "</td><td>") == -1 ||
		    (q != NULL && render(out, &qf[RQF_TEXT], &q[RQF_TEXT]) ==
		    -1) || vr_buf_puts(out, "</td><td>") == -1 ||
		    (q != NULL && render(out, &qf[RQF_BASIS], &q[RQF_BASIS]) ==
		    -1) || vr_buf_puts(out, "</td>") == -1)
			return -1;
		for (i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
			if (vr_buf_puts(out, "<td>") == -1 ||
			    render(out, &af[cols[i]], &a[cols[i]]) == -1 ||
			    vr_buf_puts(out, "</td>") == -1)
				return -1;
		if (vr_buf_puts(out, "</tr>\n") == -1)
			return -1;
	}
	return vr_buf_puts(out, "</tbody></table>\n");
}

/* Each case: its fields, section scores, answers and findings. */
static int
cases(vr_buf_t *out, const vr_value_t *l)
{
	const vr_value_t	*c;
	size_t			 k;

	if (heading(out, "h2", "評価・監査", "Assessments and audits") == -1)
		return -1;
	if (l->n == 0)
		return list_table(out, &vr_record_case_resource, l);
	for (k = 0; k < l->n; k++) {
		c = l->item[k].rec;
		if (vr_buf_printf(out, "<section class=\"case\"><h3>評価 "
		    "<span class=\"en\">Assessment</span> #%" PRId64 " — ",
		    c[RCF_ID].i) == -1 || vr_buf_put_escaped(out, text(&c[RCF_KIND])) == -1 ||
		    vr_buf_puts(out, ", ") == -1 ||
		    vr_buf_put_escaped(out, text(&c[RCF_STATE])) == -1 ||
		    vr_buf_puts(out, "</h3>\n") == -1 ||
		    kv_table(out, &vr_record_case_resource, c, false) == -1 ||
		    vr_buf_puts(out, "<h4>") == -1 ||
		    label(out, "section_scores") == -1 ||
		    vr_buf_puts(out, "</h4>\n") == -1 ||
		    list_table(out, &vr_section_score_resource,
		    &c[RCF_SECTION_SCORES]) == -1 || answers(out, c) == -1 ||
		    vr_buf_puts(out, "<h4>") == -1 || label(out, "findings") ==
		    -1 || vr_buf_puts(out, "</h4>\n") == -1 ||
		    list_table(out, &vr_finding_resource, &c[RCF_FINDINGS]) ==
		    -1 || vr_buf_puts(out, "</section>\n") == -1)
			return -1;
	}
	return 0;
}

static int
incidents(vr_buf_t *out, const vr_value_t *l)
{
	size_t	 k;

	if (heading(out, "h2", "漏えい等の事案と報告期限",
	    "Incidents, report deadlines and reports") == -1)
		return -1;
	if (l->n == 0)
		return list_table(out, &vr_incident_resource, l);
	for (k = 0; k < l->n; k++)
		if (vr_buf_printf(out, "<section class=\"case\"><h3>事案 "
		    "<span class=\"en\">Incident</span> #%" PRId64 "</h3>\n",
		    l->item[k].rec[INF_ID].i) == -1 ||
		    kv_table(out, &vr_incident_resource, l->item[k].rec,
		    true) == -1 || vr_buf_puts(out, "</section>\n") == -1)
			return -1;
	return 0;
}

int
vr_record_html(const vr_value_t *rec, vr_buf_t *out)
{
	const vr_value_t	*v = rec[SUP_VENDOR].rec;
	static const int	 meta[] = { SUP_VENDOR_ID, SUP_GENERATED_AT,
	    SUP_GENERATED_BY, SUP_AS_OF_AUDIT_ID, SUP_AS_OF_HASH };
	size_t			 i;

	if (vr_buf_puts(out, "<!DOCTYPE html>\n<html lang=\"ja\"><head>"
	    "<meta charset=\"utf-8\">\n<meta name=\"viewport\" "
	    "content=\"width=device-width\">\n<title>委託先監督記録 "
	    "Supervision record: ") == -1 ||
	    vr_buf_put_escaped(out, v != NULL ? text(&v[VF_NAME]) : "") == -1 ||
	    vr_buf_printf(out, "</title>\n<style>%s</style></head><body>\n",
	    css) == -1 ||
	    heading(out, "h1", "委託先監督記録", "Supervision record") == -1 ||
	    vr_buf_puts(out, "<p>個人情報保護法25条・ガイドライン"
	    "（通則編）3-4-4 に基づく委託先の監督の記録 "
	    "<span class=\"en\">The record of the "
	    "supervision of a vendor (APPI Art. 25, PPC guideline 3-4-4)."
	    "</span></p>\n<table>\n") == -1)
		return -1;
	for (i = 0; i < sizeof(meta) / sizeof(meta[0]); i++)
		if (vr_buf_puts(out, "<tr><th>") == -1 ||
		    label(out, vr_supervision_resource.fields[meta[i]].name) ==
		    -1 || vr_buf_puts(out, "</th><td>") == -1 ||
		    render(out, &vr_supervision_resource.fields[meta[i]],
		    &rec[meta[i]]) == -1 ||
		    vr_buf_puts(out, "</td></tr>\n") == -1)
			return -1;
	if (vr_buf_puts(out, "</table>\n") == -1 ||
	    heading(out, "h2", "委託先", "Vendor") == -1 ||
	    (v != NULL && kv_table(out, &vr_vendor_resource, v, false) == -1) ||
	    heading(out, "h2", "リスク区分と根拠",
	    "Risk tier and the rule that gave it") == -1 ||
	    vr_buf_puts(out, "<p><strong>") == -1 ||
	    vr_buf_put_escaped(out, v != NULL ? text(&v[VF_TIER]) : "") == -1 ||
	    vr_buf_puts(out, "</strong>: ") == -1 ||
	    render(out, &vr_supervision_resource.fields[SUP_TIER_RULE],
	    &rec[SUP_TIER_RULE]) == -1 ||
	    vr_buf_puts(out, "</p>\n") == -1 ||
	    heading(out, "h2", "職務の分離（依頼・審査・承認）",
	    "Segregation of duties: requested, reviewed, approved") == -1 ||
	    vr_buf_puts(out, "<p>承認者は依頼者・審査者のいずれでもないこと "
	    "<span class=\"en\">The approver must be neither the requester nor "
	    "the reviewer.</span></p>\n") == -1 ||
	    list_table(out, &vr_duty_resource, &rec[SUP_DUTIES]) == -1 ||
	    cases(out, &rec[SUP_ASSESSMENTS]) == -1 ||
	    heading(out, "h2", "再委託", "Subcontracts") == -1 ||
	    list_table(out, &vr_subcontract_resource, &rec[SUP_SUBCONTRACTS]) ==
	    -1 || (rec[SUP_CHAIN].rec != NULL &&
	    chain(out, rec[SUP_CHAIN].rec) == -1) ||
	    incidents(out, &rec[SUP_INCIDENTS]) == -1 ||
	    heading(out, "h2", "この記録の検証",
	    "Checking this record") == -1 ||
	    vr_buf_puts(out, "<p>同じZIPの SHA256SUMS が全ファイルの"
	    "ハッシュ、audit-log.json が根拠となる監査ログ行（ハッシュ"
	    "連鎖）です。<code>sha256sum -c SHA256SUMS</code> と "
	    "<code>vendor-review verify-record FILE.zip</code> で確認"
	    "できます。 <span class=\"en\">SHA256SUMS in the same ZIP "
	    "holds the hash of every file and audit-log.json the "
	    "audit-log rows behind the record, hash-chained; check them "
	    "with <code>sha256sum -c SHA256SUMS</code> and "
	    "<code>vendor-review verify-record FILE.zip</code>.</span></p>\n"
	    "</body></html>\n") == -1)
		return -1;
	return 0;
}
