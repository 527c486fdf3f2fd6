"""The vendor register (委託先一覧) as a file, through nginx: GET
/vendors?format=csv and ?format=xlsx hold every vendor the list would
give (its filters, every page), with its contract and certifications, and
the open findings and the place in subcontract chains beside each; a bad
format is 400."""

import csv
import io
import zipfile

from vrlib import REG, check, corpnum, eq, problem, uniq
from cases_assessments import answers_for, fire, start
from cases_subcontracts import approved_sc, approved_vendor, plain_vendor
from cases_sheet_import import cells

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def register_csv(ctx, query=""):
    r = ctx.h.get("/vendors?format=csv" + query, user="auditor1")
    eq(r.status, 200, "register CSV (%s)" % r.brief())
    eq(r.ctype, "text/csv", "CSV media type")
    check("vendors-" in (r.header("content-disposition") or ""), "a dated download")
    check(r.body.startswith(b"\xef\xbb\xbf"), "a UTF-8 BOM")
    rows = list(csv.reader(io.StringIO(r.body[3:].decode("utf-8"), newline="")))
    return rows[0], {row[0]: dict(zip(rows[0], row)) for row in rows[1:]}


@REG.test("vendor_register_file", quick=True)
def t_register(ctx):
    cn = corpnum()
    top = approved_vendor(ctx, name=uniq("株式会社台帳テスト"), corporate_number=cn,
                          contract_start="2026-04-01", contract_end="2027-03-31",
                          renewal_date="2027-02-01",
                          certifications=[{"kind": "pmark", "number": "10822345(05)",
                                           "expires_on": "2027-01-15"},
                                          {"kind": "other", "name": "TRUSTe", "expires_on": "2028-03-31"}])
    s1, s2 = plain_vendor(ctx), plain_vendor(ctx)
    sc1 = approved_sc(ctx, parent_vendor_id=top["id"], vendor_id=s1["id"])
    approved_sc(ctx, parent_subcontract_id=sc1["id"], vendor_id=s2["id"])
    # a vendor with two open findings: its failed mandatory control and one raised
    r = ctx.h.post("/vendors", {"name": uniq("指摘あり"), "confidential_data": True})
    eq(r.status, 201, "vendor (%s)" % r.brief())
    flagged = r.json()
    case = start(ctx, flagged)
    mandatory = [q for q in case["questions"] if q.get("mandatory") and q["type"] == "yes_no"]
    r = ctx.h.request("PUT", "/assessments/%d/answers" % case["id"],
                      body={"answers": answers_for(case["questions"], fail=[mandatory[0]["code"]])})
    eq(r.status, 200, "answers (%s)" % r.brief())
    case = fire(ctx, r.json(), "submit", "requester1")
    r = ctx.h.post("/findings", {"assessment_id": case["id"], "severity": "low",
                                 "description": "台帳の確認", "due_date": "2027-01-31"},
                   user="reviewer1")
    eq(r.status, 201, "a finding (%s)" % r.brief())

    head, rows = register_csv(ctx)
    eq(head[:3], ["ID", "名称 / Name", "フリガナ / Kana"], "the header")
    total = 0
    cursor = None
    while True:   # the list's own count, page by page
        page = ctx.h.get("/vendors?limit=200" + ("&cursor=" + cursor if cursor else "")).json()
        total += len(page["items"])
        cursor = page.get("next_cursor")
        if not cursor:
            break
    eq(len(rows), total, "every vendor of the list, every page (%d)" % total)
    t = rows[str(top["id"])]
    eq((t["名称 / Name"], t["法人番号 / Corporate number"], t["リスク区分 / Tier"],
        t["状態 / Status"]), (top["name"], cn, "中リスク / medium", "承認済み / approved"),
       "the approved vendor's row")
    eq(t["次回監査期限 / Next audit due"], top["next_audit_due"], "its next audit")
    eq((t["契約期間 / Contract period"], t["更新日 / Renewal date"], t["認証 / Certifications"]),
       ("2026-04-01 – 2027-03-31", "2027-02-01", "プライバシーマーク 10822345(05) ～2027-01-15\nTRUSTe ～2028-03-31"),
       "its contract and certifications")
    eq((t["再委託先の数 / Subcontractors"], t["再委託の深さ / Chain depth below"],
        t["再委託の段階 / Subcontract level"]), ("1", "2", ""), "one subcontractor, two levels below")
    eq((rows[str(s1["id"])]["再委託の段階 / Subcontract level"],
        rows[str(s1["id"])]["再委託の深さ / Chain depth below"],
        rows[str(s2["id"])]["再委託の段階 / Subcontract level"]), ("1", "1", "2"),
       "再委託 and 再々委託 levels")
    eq(rows[str(flagged["id"])]["未完了の指摘 / Open findings"], "2", "two open findings")
    # the list's filters hold
    _, medium = register_csv(ctx, "&tier=medium")
    check(str(top["id"]) in medium and str(s1["id"]) not in medium, "tier=medium only")
    # xlsx: the same rows
    r = ctx.h.get("/vendors?format=xlsx&tier=medium", user="auditor1")
    eq(r.status, 200, "register xlsx (%s)" % r.brief())
    eq(r.ctype, XLSX, "xlsx media type")
    z = zipfile.ZipFile(io.BytesIO(r.body))
    check("委託先一覧" in z.read("xl/workbook.xml").decode("utf-8"), "the sheet's name")
    got = cells(r.body, "xl/worksheets/sheet1.xml")
    ids = sorted(int(v) for k, v in got.items() if k.startswith("A") and k != "A1")
    eq(ids, sorted(int(k) for k in medium), "the workbook holds the CSV's vendors")
    problem(ctx.h.get("/vendors?format=pdf"), 400, "invalid_parameter", field="format")
