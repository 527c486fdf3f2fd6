"""Problem documents list every invalid field of a body at once: the
`errors` array beside the first error's own members, in JSON and XML,
with nested paths (certifications[1].kind, answers[2].value), enum
errors naming the allowed values, and the bound of 50 entries."""

import os
import subprocess
import xml.etree.ElementTree as ET

from vrlib import (REG, REPO, PROBLEM_NS, check, eq, problem, uniq)
from cases_assessments import vendor, start, fire, vendor_url

XML = "application/xml"
PROBLEM_XSD = os.path.join(REPO, "plugin-manifests", "schemas", "problem.xsd")
ERRORS_MAX = 50


def errors_json(resp, status=422):
    """The problem's errors, checked against its own first-error members."""
    p = problem(resp, status)
    errs = p.get("errors")
    check(isinstance(errs, list) and errs, "problem has no errors array: %r" % p)
    first = errs[0]
    eq((first.get("field"), first["code"], first["detail"]),
       (p.get("field"), p["code"], p["detail"]), "errors[0] equals the problem's own members")
    for e in errs:
        eq(sorted(k for k in e if k not in ("field",)), ["code", "detail"],
           "members of an error entry %r" % e)
    return p, errs


def errors_xml(resp, status=422):
    """The same from an XML problem, validated against problem.xsd."""
    problem(resp, status, fmt="xml")
    v = subprocess.run(["xmllint", "--noout", "--nonet", "--schema", PROBLEM_XSD, "-"],
                       input=resp.body, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=60)
    check(v.returncode == 0, "problem.xsd: %s" % v.stderr.decode("utf-8", "replace")[:300])
    root = ET.fromstring(resp.body)
    ns = "{%s}" % PROBLEM_NS
    wrap = root.find(ns + "errors")
    check(wrap is not None, "XML problem has no <errors>: %r" % resp.body[:300])
    errs = []
    for el in wrap.findall(ns + "error"):
        errs.append({c.tag[len(ns):]: c.text or "" for c in el})
    check(errs, "<errors> is empty")
    eq((errs[0].get("field"), errs[0]["code"], errs[0]["detail"]),
       (root.findtext(ns + "field"), root.findtext(ns + "code"), root.findtext(ns + "detail")),
       "errors[0] equals the problem's own members (XML)")
    return root, errs


def by_field(errs):
    return {e.get("field"): e for e in errs}


@REG.test("problem_errors_every_field_json", quick=True)
def t_every_field_json(ctx):
    r = ctx.h.post("/vendors", {
        "name": "",
        "personal_data": "bogus",
        "contact_email": "not-an-address",
        "certifications": [{"kind": "pmark", "expires_on": "2027-01-15"},
                           {"kind": "zz", "expires_on": "2027-13-01"},
                           {"kind": "isms"}],
    })
    p, errs = errors_json(r)
    f = by_field(errs)
    eq(sorted(f), sorted(["name", "personal_data", "contact_email",
                          "certifications[1].kind", "certifications[1].expires_on",
                          "certifications[2].expires_on"]), "every invalid field, by its path")
    eq(p["field"], "name", "the first is the first field of the table")
    eq(f["personal_data"]["code"], "invalid_value", "enum code")
    check("none, le_1000, le_100000, gt_100000" in f["personal_data"]["detail"],
          "an enum error names the allowed values: %r" % f["personal_data"]["detail"])
    check("pmark, isms, other" in f["certifications[1].kind"]["detail"],
          "nested enum names its values: %r" % f["certifications[1].kind"])
    eq(f["certifications[2].expires_on"]["code"], "required", "nested required")
    check("errors_truncated" not in p, "not cut: %r" % p.get("errors_truncated"))


@REG.test("problem_errors_every_field_xml", quick=True)
def t_every_field_xml(ctx):
    # A body that meets the schema: the field rules find both.
    ok_schema = ('<vendor xmlns="urn:vendor-review:api:1"><name></name>'
                 '<contact_email>nobody</contact_email></vendor>')
    r = ctx.h.post("/vendors", ok_schema, ctype=XML, accept=XML)
    _, errs = errors_xml(r)
    eq([e.get("field") for e in errs], ["name", "contact_email"], "field rules in XML")
    # One the schema refuses: every element it refuses, one entry each.
    bad_schema = ('<vendor xmlns="urn:vendor-review:api:1"><name>x</name>'
                  '<personal_data>bogus</personal_data><system_access>maybe</system_access>'
                  '<certifications><certification><kind>pmark</kind>'
                  '<expires_on>2027-01-01</expires_on></certification>'
                  '<certification><kind>zz</kind><expires_on>x</expires_on>'
                  '</certification></certifications></vendor>')
    r = ctx.h.post("/vendors", bad_schema, ctype=XML, accept=XML)
    _, errs = errors_xml(r)
    f = by_field(errs)
    eq([e.get("field") for e in errs],
       ["personal_data", "system_access", "certifications[1].kind",
        "certifications[1].expires_on"], "schema errors, one per element, by path")
    eq(f["personal_data"]["code"], "invalid_value", "XML enum code as JSON's")
    check("le_1000" in f["personal_data"]["detail"] and "gt_100000" in f["personal_data"]["detail"],
          "XML enum names the allowed values: %r" % f["personal_data"]["detail"])
    eq(f["system_access"]["code"], "wrong_type", "a boolean that is not")
    # The same JSON body, answered in XML: the list is the format's, not the body's.
    r = ctx.h.post("/vendors", {"name": "", "personal_data": "bogus"}, accept=XML)
    _, errs = errors_xml(r)
    eq([e.get("field") for e in errs], ["name", "personal_data"], "JSON body, XML problem")


@REG.test("problem_errors_nested_answers")
def t_answers(ctx):
    v = vendor(ctx, "low")
    case = start(ctx, v)
    qs = case["questions"]
    yes_no = [q for q in qs if q["type"] == "yes_no"]
    number = [q for q in qs if q["type"] == "number"]
    check(len(yes_no) >= 2, "the sheet has yes/no questions")
    case = fire(ctx, case, "send_to_vendor", "requester1")
    token = case["vendor_link"].rsplit("/", 1)[1]
    body = {"answers": [
        {"question": yes_no[0]["code"], "value": "yes"},
        {"question": "NO-SUCH-Q", "value": "yes"},
        {"question": yes_no[1]["code"], "value": "perhaps"},
    ]}
    want = ["answers[1].question", "answers[2].value"]
    if number:
        body["answers"].append({"question": number[0]["code"], "value": "many"})
        want.append("answers[3].value")
    r = ctx.h.request("PUT", "", body, user=None,
                      raw_url=vendor_url(ctx, "/%s/answers" % token))
    _, errs = errors_json(r)
    eq([e["field"] for e in errs], want, "every bad answer, by its path")
    eq([e["code"] for e in errs[:2]], ["unknown_question", "invalid_answer"], "their codes")
    r = ctx.h.get("/assessments/%d" % case["id"])
    eq(r.json()["answered"], 0, "nothing was saved, not even the good answer")


@REG.test("problem_errors_bounded")
def t_bound(ctx):
    # 20 bad certifications (the list's own limit), each with three bad
    # members, and more bad fields around them: 64 in all.
    certs = [{"kind": "zz%d" % k, "expires_on": "never", "number": "9" * 65}
             for k in range(20)]
    body = {"name": "", "personal_data": "bogus", "certifications": certs,
            "contract_start": "2027-02-30", "renewal_date": "soon"}
    for fmt, accept in (("json", None), ("xml", XML)):
        r = ctx.h.post("/vendors", body, accept=accept)
        if fmt == "json":
            p, errs = errors_json(r)
            eq(p.get("errors_truncated"), True, "errors_truncated says it was cut")
        else:
            root, errs = errors_xml(r)
            eq(root.findtext("{%s}errors_truncated" % PROBLEM_NS), "true",
               "errors_truncated in XML")
        eq(len(errs), ERRORS_MAX, "at most %d entries (%s)" % (ERRORS_MAX, fmt))
        eq(len({e["field"] for e in errs}), ERRORS_MAX, "each entry a field of its own")
    # A body with one bad field is not cut.
    r = ctx.h.post("/vendors", {"name": uniq("ok"), "contact_email": "x"})
    p, errs = errors_json(r)
    eq(len(errs), 1, "one bad field, one entry")
    check("errors_truncated" not in p, "one error is not cut")


@REG.test("problem_errors_single_422s_too")
def t_single(ctx):
    # A 422 found by a rule past the field table still carries errors.
    r = ctx.h.post("/vendors", {"name": uniq("期間"), "contract_start": "2027-04-01",
                                "contract_end": "2026-04-01"})
    p, errs = errors_json(r)
    eq(len(errs), 1, "one entry")
    # Other statuses do not.
    r = ctx.h.get("/vendors?bogus=1")
    p = problem(r, 400, code="unknown_parameter")
    check("errors" not in p, "a 400 has no errors array: %r" % p)


# --- operations the rest of the suite does not call -------------------------------
# The contract suite checks every exchange against docs/openapi.yaml and
# names the operations nothing called; these two complete the set.

@REG.test("contract_subcontract_actions_and_vendor_csv")
def t_uncalled(ctx):
    from cases_subcontracts import approved_vendor, plain_vendor, request
    top = approved_vendor(ctx)
    sc = request(ctx, parent_vendor_id=top["id"], vendor_id=plain_vendor(ctx)["id"])
    r = ctx.h.get("/subcontracts/%d/actions" % sc["id"])
    eq(r.status, 200, "subcontract actions (%s)" % r.brief())
    ids = [a["id"] for a in r.json()["actions"]]
    check("withdraw" in ids, "the requester may withdraw a draft: %r" % ids)
    case = fire(ctx, start(ctx, vendor(ctx, "low")), "send_to_vendor", "requester1")
    token = case["vendor_link"].rsplit("/", 1)[1]
    r = ctx.h.get("", user=None, accept="text/csv",
                  raw_url=vendor_url(ctx, "/%s/sheet.csv" % token))
    eq(r.status, 200, "the vendor's CSV (%s)" % r.brief())
    eq(r.ctype, "text/csv", "CSV media type")
    check(r.body.startswith(b"\xef\xbb\xbf"), "CSV with a UTF-8 BOM")
