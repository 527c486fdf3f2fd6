"""The onboarding assessment through nginx: start, the vendor's link,
answers, submit, findings and risk acceptance, review, approval; the
actions a user sees, every refusal of a transition, segregation of
duties, two approvers at once, and the whole flow once in XML."""

import datetime
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
import xml.etree.ElementTree as ET

from vrlib import REG, REPO, check, eq, problem, uniq, xsd_validate
from cases_events import events_after, tool
from cases_templates import onboarding
from cases_vendors import create, get

XML = "application/xml"
NS = "{urn:vendor-review:api:1}"


def vendor_url(ctx, path):
    """A URL below the vendor's base, beside the API's."""
    return ctx.h.base[: -len("/api")] + "/vendor" + path


def vendor(ctx, tier="high"):
    body = {"name": uniq("評価先")}
    if tier == "high":
        body["payment_data"] = True
    elif tier == "medium":
        body["confidential_data"] = True
    v = create(ctx, body)
    eq(v["tier"], tier, "vendor tier")
    return v


def start(ctx, v, user="requester1", host_ref=None):
    onboarding(ctx)
    r = ctx.h.post("/assessments", {"kind": "onboarding", "vendor_id": v["id"],
                                    "host_ref": host_ref or uniq("T")}, user=user)
    eq(r.status, 201, "POST /assessments (%s)" % r.brief())
    return r.json()


def fire(ctx, case, action, user, comment=None, status=200, version=None):
    body = {"action": action, "version": version or case["version"]}
    if comment is not None:
        body["comment"] = comment
    r = ctx.h.post("/assessments/%d/transitions" % case["id"], body, user=user)
    if status == 200:
        eq(r.status, 200, "%s by %s (%s)" % (action, user, r.brief()))
        return r.json()
    return r


def best(q):
    """The best answer to question q (it passes every control)."""
    t = q["type"]
    if t == "yes_no":
        return "yes"
    if t == "single_choice":
        return max(q["options"], key=lambda o: o["score"])["code"]
    if t == "multiple_choice":
        return [max(q["options"], key=lambda o: o["score"])["code"]]
    if t == "number":
        return 3
    if t == "date":
        return "2026-04-01"
    return "回答"


def answers_for(questions, fail=None):
    """Answers to every question; the codes in fail get a failing one."""
    out = []
    for q in questions:
        v = best(q)
        if fail and q["code"] in fail:
            v = "no"
        out.append({"question": q["code"], "value": v})
    return out


def actions(ctx, case, user):
    r = ctx.h.get("/assessments/%d/actions" % case["id"], user=user)
    eq(r.status, 200, "actions (%s)" % r.brief())
    return [a["id"] for a in r.json()["actions"]]


def mandatory_yes_no(questions):
    return [q["code"] for q in questions
            if q["type"] == "yes_no" and q.get("mandatory") and q.get("severity") == "high"]


@REG.test("onboarding_whole_flow_json", quick=True)
def t_flow(ctx):
    v = vendor(ctx)
    last = ctx.db.max_event()
    case = start(ctx, v)
    questions = case["questions"]
    eq((case["state"], case["kind"], case["tier"], case["answered"]),
       ("draft", "onboarding", "high", 0), "new case")
    r = ctx.h.get("/assessments/%d" % case["id"])
    check("questions" not in r.json(), "GET leaves the questions out")
    r = ctx.h.get("/assessments/%d?include=questions" % case["id"])
    eq([q["code"] for q in r.json()["questions"]], [q["code"] for q in questions],
       "unless asked for them")
    check(case["required"] > 0 and len(case["questions"]) == 55, "high tier: all 55 questions")
    q0 = case["questions"][0]
    check(q0["basis"] and q0["text"]["ja"] and q0["text"]["en"], "question has basis and ja/en text")
    eq(sorted(actions(ctx, case, "requester1")), ["send_to_vendor", "withdraw"],
       "requester's actions in draft (submit waits for the answers)")
    eq(actions(ctx, case, "approver1"), [], "approver has nothing to do in draft")
    case = fire(ctx, case, "send_to_vendor", "requester1")
    eq(case["state"], "with_vendor", "sent")
    link = case["vendor_link"]
    check(link.startswith("/vendor-review/vendor/") and len(link.rsplit("/", 1)[1]) == 32,
          "vendor_link: %r" % link)
    token = link.rsplit("/", 1)[1]
    eq(case["vendor_page"], "/vendor-review/answer/#" + token,
       "vendor_page: the page of that link, the token in its fragment")
    ev = events_after(ctx, last)["items"]
    eq([(e["type"], e["entity"], e["workflow"], e["transition"], e["from"], e["to"])
        for e in ev if e["type"].startswith("onboarding.")],
       [("onboarding.send_to_vendor", "assessment", "onboarding", "send_to_vendor",
         "draft", "with_vendor")], "transition event names workflow, transition, states")
    check(token not in ctx.db.scalar("SELECT CONCAT(IFNULL(link_hash,''),'') FROM vr_assessments "
                                     "WHERE id=%d" % case["id"]), "the token is not stored")
    # the vendor, without any login
    r = ctx.h.get("", user=None, raw_url=vendor_url(ctx, "/" + token))
    eq(r.status, 200, "vendor GET (%s)" % r.brief())
    sheet = r.json()
    eq((sheet["assessment_id"], sheet["vendor_name"], sheet["state"]),
       (case["id"], v["name"], "with_vendor"), "vendor sheet")
    check("requested_by" not in sheet and "host_ref" not in sheet, "nothing of the intranet")
    eq([q["code"] for q in sheet["questions"]], [q["code"] for q in questions],
       "the vendor sees the case's questions")
    tpl = ctx.h.get("/templates/%d" % case["template_id"]).json()
    eq(sheet["sections"], [{"code": s["code"], "title": s["title"]} for s in tpl["sections"]],
       "and the sheet's section headings (code and title, not their questions)")
    eq(ctx.h.get("/assessments/%d?include=questions" % case["id"]).json()["sections"],
       sheet["sections"], "a case with its questions has the same headings")
    check("sections" not in ctx.h.get("/assessments/%d" % case["id"]).json(),
          "and without them, none")
    hidden = {"weight", "mandatory", "severity", "tiers"}
    check(not any(hidden & set(q) for q in sheet["questions"]) and
          not any("score" in o for q in sheet["questions"] for o in q.get("options", [])),
          "but not how they are scored")
    qs = questions
    fail = mandatory_yes_no(questions)[:1]
    half = answers_for(qs[:20])
    r = ctx.h.request("PUT", "", body={"answers": half}, user=None,
                      raw_url=vendor_url(ctx, "/%s/answers" % token))
    eq(r.status, 200, "vendor saves part (%s)" % r.brief())
    eq(r.json()["answered"] > 0, True, "progress counted")
    check(all("answered_by" not in a for a in r.json()["answers"]),
          "the vendor does not see who in the company answered")
    r = ctx.h.post("", user=None, raw_url=vendor_url(ctx, "/%s/submit" % token))
    problem(r, 422, "guard_failed", "all_required_answered")
    r = ctx.h.request("PUT", "", body={"answers": answers_for(qs, fail)}, user=None,
                      raw_url=vendor_url(ctx, "/%s/answers" % token))
    eq(r.status, 200, "vendor answers the rest (%s)" % r.brief())
    eq(r.json()["answered"], r.json()["required"], "all required answered")
    r = ctx.h.post("", user=None, raw_url=vendor_url(ctx, "/%s/submit" % token))
    eq(r.status, 200, "vendor submits (%s)" % r.brief())
    eq(r.json()["state"], "submitted", "submitted")
    for method, path in (("GET", ""), ("PUT", "/answers"), ("POST", "/submit")):
        r = ctx.h.request(method, "", body={"answers": []} if method == "PUT" else None,
                          user=None, raw_url=vendor_url(ctx, "/" + token + path))
        problem(r, 404, "no_such_link")
    case = ctx.h.get("/assessments/%d" % case["id"]).json()
    eq(case["state"], "submitted", "state")
    check(isinstance(case["score"], int) and 0 <= case["score"] < 100, "scored: %r" % case["score"])
    eq(len(case["section_scores"]), 9, "a score per section")
    auto = [f for f in case["findings"] if f["source"] == "mandatory_control"]
    eq([(f["question"], f["severity"], f["status"]) for f in auto],
       [(fail[0], "high", "open")], "the failed mandatory control is a finding")
    eq(auto[0]["answer"], '"no"', "the finding keeps the answer")
    # review
    eq(sorted(actions(ctx, case, "reviewer1")), ["complete_review", "request_changes"],
       "reviewer's actions")
    r = ctx.h.post("/findings", {"assessment_id": case["id"], "severity": "low",
                                 "description": "証跡が古い", "due_date": "2027-01-31"},
                   user="reviewer1")
    eq(r.status, 201, "reviewer raises a finding (%s)" % r.brief())
    eq((r.json()["source"], r.json()["vendor_id"], r.json()["status"]),
       ("reviewer", v["id"], "open"), "reviewer's finding")
    case = fire(ctx, ctx.h.get("/assessments/%d" % case["id"]).json(), "complete_review",
                "reviewer1")
    eq((case["state"], case["reviewed_by"]), ("reviewed", "reviewer1"), "reviewed")
    r = fire(ctx, case, "approve", "approver1", status=422)
    problem(r, 422, "guard_failed", "no_open_high_findings")
    # accepting the risk of the high finding: approver only, with reason and end
    f = auto[0]
    r = ctx.h.patch("/findings/%d" % f["id"], {"version": f["version"], "status": "risk_accepted",
                                               "risk_reason": "代替策あり",
                                               "risk_accepted_until": "2027-06-30"},
                    user="reviewer1")
    problem(r, 403, "approver_only", "status")
    r = ctx.h.patch("/findings/%d" % f["id"], {"version": f["version"], "status": "risk_accepted"},
                    user="approver1")
    problem(r, 422, "required", "risk_reason")
    r = ctx.h.patch("/findings/%d" % f["id"], {"version": f["version"], "status": "risk_accepted",
                                               "risk_reason": "代替策あり",
                                               "risk_accepted_until": "2027-06-30"},
                    user="approver1")
    eq(r.status, 200, "approver accepts the risk (%s)" % r.brief())
    eq(r.json()["risk_accepted_by"], "approver1", "who accepted it")
    a = ctx.h.get("/audit-log?entity=finding:%d" % f["id"], user="auditor1").json()["items"]
    eq([x["action"] for x in a], ["finding.created", "finding.updated"], "finding audit rows")
    before = ctx.db.max_event()
    case = fire(ctx, ctx.h.get("/assessments/%d" % case["id"]).json(), "approve", "approver1")
    eq((case["state"], case["decided_by"]), ("approved", "approver1"), "approved")
    ev = events_after(ctx, before)["items"]
    eq([(e["type"], e["entity"], e["entity_id"]) for e in ev],
       [("onboarding.approve", "assessment", case["id"]), ("vendor.approved", "vendor", v["id"])],
       "one event per entity the approval changed, in one transaction")
    eq(len({e["audit_id"] for e in ev}), 2, "an audit row each")
    eq([e["changed"] for e in ev], [["state", "decided_by"], ["status", "next_audit_due"]],
       "each event names the fields its entity changed")
    vv = get(ctx, v["id"])
    tokyo = (datetime.datetime.utcnow() + datetime.timedelta(hours=9)).date()
    eq((vv["status"], vv["next_audit_due"]),
       ("approved", "%04d-%s" % (tokyo.year + 1, tokyo.strftime("%m-%d"))),
       "vendor approved, next audit in 12 months (high tier)")
    eq(actions(ctx, case, "approver1"), [], "nothing after the end")


@REG.test("onboarding_refusals")
def t_refusals(ctx):
    v = vendor(ctx, "low")
    case = start(ctx, v)
    check(len(case["questions"]) < 55, "low tier: a shorter sheet (%d)" % len(case["questions"]))
    r = fire(ctx, case, "launch", "requester1", status=400)
    problem(r, 400, "unknown_action", "action")
    r = fire(ctx, case, "approve", "approver1", status=409)
    problem(r, 409, "not_in_this_state", "action")
    r = fire(ctx, case, "send_to_vendor", "reviewer1", status=403)
    problem(r, 403, "forbidden", "action")
    r = fire(ctx, case, "withdraw", "requester1", status=422)
    problem(r, 422, "comment_required", "comment")
    r = fire(ctx, case, "send_to_vendor", "requester1", status=409, version=case["version"] + 1)
    problem(r, 409, "stale_version", "version")
    r = ctx.h.request("PUT", "/assessments/%d/answers" % case["id"],
                      body={"answers": [{"question": "ZZ-99", "value": "yes"}]})
    problem(r, 422, "unknown_question", "answers[0].question")
    q = next(q for q in case["questions"] if q["type"] == "yes_no" and not q.get("na_allowed"))
    r = ctx.h.request("PUT", "/assessments/%d/answers" % case["id"],
                      body={"answers": [{"question": q["code"], "value": "yes"},
                                        {"question": q["code"], "value": "na"}]})
    problem(r, 422, "invalid_answer", "answers[1].value")
    r = ctx.h.request("PUT", "/assessments/%d/answers" % case["id"],
                      body={"answers": [{"question": q["code"], "value": 3}]})
    problem(r, 422, "invalid_answer", "answers[0].value")
    r = ctx.h.request("PUT", "/assessments/%d/answers" % case["id"],
                      body={"answers": [{"question": q["code"], "value": {"a": 1}}]})
    problem(r, 422, "wrong_type", "answers[0].value")
    r = ctx.h.post("/assessments", {"kind": "onboarding", "vendor_id": 999999999})
    problem(r, 422, "no_such_vendor", "vendor_id")
    r = ctx.h.post("/assessments", {"kind": "onboarding", "vendor_id": v["id"]}, user="reviewer1")
    problem(r, 403, "forbidden")
    case = fire(ctx, case, "withdraw", "requester1", comment="取り下げ")
    eq(case["state"], "withdrawn", "withdrawn")
    r = ctx.h.request("PUT", "/assessments/%d/answers" % case["id"],
                      body={"answers": [{"question": q["code"], "value": "yes"}]})
    problem(r, 409, "not_answering")
    for user in ("requester1", "approver1", "admin1"):
        eq(actions(ctx, case, user), [], "no actions when withdrawn (%s)" % user)


def to_review(ctx, requester="requester1", reviewer="reviewer1", tier="low"):
    """A case answered in full (passing), submitted and reviewed."""
    case = start(ctx, vendor(ctx, tier), user=requester)
    r = ctx.h.request("PUT", "/assessments/%d/answers" % case["id"],
                      body={"answers": answers_for(case["questions"])}, user=requester)
    eq(r.status, 200, "answers (%s)" % r.brief())
    case = fire(ctx, r.json(), "submit", requester)
    return fire(ctx, case, "complete_review", reviewer)


@REG.test("onboarding_segregation_of_duties")
def t_sod(ctx):
    case = to_review(ctx, requester="manager1")
    check("approve" not in actions(ctx, case, "manager1"), "the requester sees no approve")
    r = fire(ctx, case, "approve", "manager1", status=422)
    problem(r, 422, "guard_failed", "not_requester_or_reviewer")
    case = to_review(ctx, reviewer="lead1")
    r = fire(ctx, case, "approve", "lead1", status=422)
    problem(r, 422, "guard_failed", "not_requester_or_reviewer")
    case = fire(ctx, case, "approve", "approver1")
    eq(case["state"], "approved", "someone else approves")


@REG.test("onboarding_two_approvers_at_once", quick=True)
def t_race(ctx):
    case = to_review(ctx)
    results = {}

    def click(user):
        results[user] = fire(ctx, case, "approve", user, status=0)

    ts = [threading.Thread(target=click, args=(u,)) for u in ("approver1", "approver2")]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    codes = sorted(r.status for r in results.values())
    eq(codes, [200, 409], "exactly one approval wins")
    loser = next(r for r in results.values() if r.status == 409)
    problem(loser, 409)
    n = ctx.db.scalar("SELECT COUNT(*) FROM vr_events WHERE entity='assessment' AND entity_id=%d "
                      "AND type='onboarding.approve'" % case["id"])
    eq(n, "1", "one approve event")


@REG.test("onboarding_waiting_for_me")
def t_waiting(ctx):
    case = to_review(ctx)
    r = ctx.h.get("/assessments?waiting_for=me&limit=200", user="approver1")
    eq(r.status, 200, "waiting_for=me (%s)" % r.brief())
    ids = [c["id"] for c in r.json()["items"]]
    check(case["id"] in ids, "the reviewed case waits for the approver")
    # an approver acts on reviewed onboarding cases and on decided audits
    want = {"onboarding": {"reviewed"}, "periodic_audit": {"passed", "failed"}}
    check(all(c["state"] in want.get(c["kind"], ()) for c in r.json()["items"]),
          "only what approvers act on: %s" % sorted({(c["kind"], c["state"])
                                                     for c in r.json()["items"]}))
    r = ctx.h.get("/assessments?kind=onboarding&waiting_for=me&limit=200", user="auditor1")
    eq(r.json()["items"], [], "nothing waits for an auditor in onboarding")
    problem(ctx.h.get("/assessments?waiting_for=you"), 400, "invalid_parameter", "waiting_for")
    r = ctx.h.get("/assessments?state=reviewed,approved&vendor_id=%d" % case["vendor_id"])
    eq([c["id"] for c in r.json()["items"]], [case["id"]], "state list and vendor filters")


@REG.test("onboarding_link_expired_or_wrong_404")
def t_link(ctx):
    case = fire(ctx, start(ctx, vendor(ctx, "low")), "send_to_vendor", "requester1")
    token = case["vendor_link"].rsplit("/", 1)[1]
    eq(ctx.h.get("", user=None, raw_url=vendor_url(ctx, "/" + token)).status, 200, "link works")
    wrong = ("0" if token[0] != "0" else "1") + token[1:]
    for t in (wrong, "abc", token.upper()):
        problem(ctx.h.get("", user=None, raw_url=vendor_url(ctx, "/" + t)), 404)
    ctx.db.run("UPDATE vr_assessments SET link_expires_at = UTC_TIMESTAMP(6) - INTERVAL 1 SECOND "
               "WHERE id = %d" % case["id"])
    problem(ctx.h.get("", user=None, raw_url=vendor_url(ctx, "/" + token)), 404, "no_such_link")
    r = ctx.h.get("/assessments?overdue=true&vendor_id=%d" % case["vendor_id"])
    eq([c["id"] for c in r.json()["items"]], [case["id"]], "overdue: the link ran out")
    other = start(ctx, vendor(ctx, "low"))
    r = ctx.h.get("/assessments?overdue=true&vendor_id=%d" % other["vendor_id"])
    eq(r.json()["items"], [], "a case without a link is not overdue")
    r = ctx.h.get("/assessments?overdue=false&vendor_id=%d" % other["vendor_id"])
    eq([c["id"] for c in r.json()["items"]], [other["id"]], "overdue=false filters nothing")
    problem(ctx.h.get("/assessments?overdue=soon"), 400, "invalid_parameter", "overdue")
    # a run-out (or lost) link is replaced: the new one works, the old one never again
    eq(sorted(actions(ctx, case, "requester1")), ["reissue_link", "withdraw"],
       "the requester may re-issue the link while the case is with the vendor")
    eq(actions(ctx, case, "reviewer1"), [], "a reviewer may not")
    last = ctx.db.max_event()
    again = fire(ctx, case, "reissue_link", "requester1")
    eq((again["state"], again["version"]), ("with_vendor", case["version"] + 1), "re-issued")
    fresh = again["vendor_link"].rsplit("/", 1)[1]
    check(fresh != token and len(fresh) == 32, "a new token")
    eq(ctx.h.get("", user=None, raw_url=vendor_url(ctx, "/" + fresh)).status, 200,
       "the new link works")
    problem(ctx.h.get("", user=None, raw_url=vendor_url(ctx, "/" + token)), 404, "no_such_link")
    check("vendor_link" not in ctx.h.get("/assessments/%d" % case["id"]).json(),
          "the link is shown once, when issued")
    ev = [e for e in events_after(ctx, last)["items"] if e["entity"] == "assessment"]
    eq([(e["type"], e["from"], e["to"]) for e in ev],
       [("onboarding.reissue_link", "with_vendor", "with_vendor")], "its event")
    fire(ctx, again, "withdraw", "requester1", comment="not needed")
    problem(ctx.h.get("", user=None, raw_url=vendor_url(ctx, "/" + fresh)), 404, "no_such_link")
    # the vendor paths are not the API's, nor the other way round
    problem(ctx.h.get("/" + token, user="requester1"), 404, "no_such_route")
    problem(ctx.h.get("", user=None, raw_url=vendor_url(ctx, "/assessments")), 404)


@REG.test("onboarding_material_change_needs_review")
def t_needs_review(ctx):
    case = fire(ctx, to_review(ctx), "approve", "approver1")
    v = get(ctx, case["vendor_id"])
    eq((v["tier"], v["needs_review"]), ("low", False), "approved low vendor")
    r = ctx.h.patch("/vendors/%d" % v["id"], {"version": v["version"], "address": "東京"})
    eq(r.json()["needs_review"], False, "a harmless change")
    last = ctx.db.max_event()
    r = ctx.h.patch("/vendors/%d" % v["id"], {"version": r.json()["version"],
                                              "special_care_data": True})
    eq(r.status, 200, "patch (%s)" % r.brief())
    eq([(e["type"], e["entity_id"]) for e in events_after(ctx, last)["items"]],
       [("vendor.updated", v["id"]), ("vendor.needs_review", v["id"])],
       "the widening has an event of its own")
    eq((r.json()["tier"], r.json()["status"], r.json()["needs_review"]),
       ("high", "approved", True), "a wider scope needs review")
    case2 = start(ctx, r.json())
    eq(case2["tier"], "high", "a new assessment starts for it")


def xml_body(root, fields):
    parts = ["<%s xmlns=\"urn:vendor-review:api:1\">" % root]
    for k, v in fields:
        parts.append("<%s>%s</%s>" % (k, v, k))
    parts.append("</%s>" % root)
    return "".join(parts)


def xml_answers(questions):
    out = ["<answers xmlns=\"urn:vendor-review:api:1\"><answers>"]
    for a in answers_for(questions):
        v = a["value"]
        val = "".join("<item>%s</item>" % x for x in v) if isinstance(v, list) else str(v)
        out.append("<answer><question>%s</question><value>%s</value></answer>"
                   % (a["question"], val))
    out.append("</answers></answers>")
    return "".join(out)


def xml_fire(ctx, cid, action, version, user):
    r = ctx.h.post("/assessments/%d/transitions" % cid,
                   xml_body("transition", [("action", action), ("version", version)]),
                   user=user, ctype=XML, accept=XML)
    eq(r.status, 200, "%s in XML (%s)" % (action, r.brief()))
    xsd_validate(r.body)
    return r.xml()


@REG.test("onboarding_whole_flow_xml")
def t_flow_xml(ctx):
    v = vendor(ctx, "medium")
    onboarding(ctx)
    r = ctx.h.post("/assessments", xml_body("assessment", [("kind", "onboarding"),
                                                           ("vendor_id", v["id"])]),
                   ctype=XML, accept=XML)
    eq(r.status, 201, "POST in XML (%s)" % r.brief())
    xsd_validate(r.body)
    root = r.xml()
    cid = int(root.find(NS + "id").text)
    eq(root.find(NS + "state").text, "draft", "state")
    qs = ctx.h.get("/assessments/%d?include=questions" % cid).json()["questions"]
    r = ctx.h.request("PUT", "/assessments/%d/answers" % cid, body=xml_answers(qs),
                      ctype=XML, accept=XML)
    eq(r.status, 200, "answers in XML (%s)" % r.brief())
    root = r.xml()
    eq(root.find(NS + "answered").text, root.find(NS + "required").text, "all answered")
    j = ctx.h.get("/assessments/%d" % cid).json()
    num = [a for a in j["answers"] if any(q["code"] == a["question"] and q["type"] == "number"
                                          for q in qs)]
    check(all(isinstance(a["value"], int) for a in num), "XML numbers are stored as numbers")
    ver = int(root.find(NS + "version").text)
    root = xml_fire(ctx, cid, "submit", ver, "requester1")
    root = xml_fire(ctx, cid, "complete_review", int(root.find(NS + "version").text), "reviewer1")
    r = ctx.h.get("/assessments/%d/actions" % cid, user="approver1", accept=XML)
    xsd_validate(r.body)
    ids = [a.find(NS + "id").text for a in r.xml().find(NS + "actions")]
    eq(sorted(ids), ["approve", "reject"], "the approver's actions in XML")
    root = xml_fire(ctx, cid, "approve", int(root.find(NS + "version").text), "approver1")
    eq(root.find(NS + "state").text, "approved", "approved in XML")
    eq(get(ctx, v["id"])["status"], "approved", "vendor approved")


@REG.test("manifest_json_and_xml")
def t_manifest(ctx):
    r = ctx.h.get("/manifest")
    eq(r.status, 200, "GET /manifest")
    m = r.json()
    wf = next(w for w in m["workflows"] if w["name"] == "onboarding")
    eq(wf["initial"], "draft", "initial state")
    tr = {(s["id"], t["id"]): t for s in wf["states"] for t in s["transitions"]}
    eq(tr[("reviewed", "approve")]["roles"], ["approver"], "approve roles")
    eq(tr[("reviewed", "approve")]["label"], {"ja": "承認", "en": "Approve"}, "approve label")
    eq(tr[("reviewed", "reject")]["comment_required"], True, "reject needs a comment")
    r = ctx.h.get("/manifest", accept=XML)
    eq(r.status, 200, "GET /manifest in XML")
    root = ET.fromstring(r.body)
    eq(root.tag, "{urn:vendor-review:manifest:1}manifest", "the manifest file itself")
    sc = "{http://www.w3.org/2005/07/scxml}"
    xt = {(x.get("name"), s.get("id"), t.get("event")) for x in root.iter(sc + "scxml")
          for s in list(x.iter(sc + "state")) for t in s.findall(sc + "transition")}
    jt = {(w["name"], s["id"], t["id"]) for w in m["workflows"] for s in w["states"]
          for t in s["transitions"]}
    eq(xt, jt, "JSON and XML name the same transitions")
    eq({w["name"]: w["start_roles"] for w in m["workflows"]},
       {"onboarding": ["requester", "admin"], "periodic_audit": ["auditor", "admin"],
        "subcontract_sheet": ["requester", "admin"], "subcontract": ["requester", "admin"],
        "incident": ["requester", "reviewer", "admin"]},
       "who may open a case of each")


# --- the manifest drives the program ------------------------------------------------

def manifest_copy(edit):
    """A copy of plugin-manifests/ with the manifest edited; its path."""
    d = tempfile.mkdtemp(prefix="vr-manifest-")
    shutil.copytree(os.path.join(REPO, "plugin-manifests"), os.path.join(d, "pm"))
    path = os.path.join(d, "pm", "vendor-review.xml")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    new = edit(text)
    check(new != text, "the edit changed the manifest")
    with open(path, "w", encoding="utf-8") as f:
        f.write(new)
    return d, path


def config_with_manifest(ctx, path):
    with open(ctx.config, encoding="utf-8") as f:
        lines = [ln for ln in f if not ln.startswith("manifest ")]
    conf = os.path.join(os.path.dirname(path), "..", "vendor-review.conf")
    with open(conf, "w", encoding="utf-8") as f:
        f.writelines(lines)
        f.write("manifest %s\n" % path)
    return conf


@REG.test("manifest_refused_at_start")
def t_manifest_refused(ctx):
    cases = (
        ("unknown guard", lambda t: t.replace('cond="not_requester_or_reviewer no_open_high_findings"',
                                              'cond="not_requester_or_reviewer fair_weather"', 1),
         'guard "fair_weather" does not exist'),
        ("unknown effect", lambda t: t.replace('vr:effects="record_reviewer"',
                                               'vr:effects="record_reviewer send_flowers"', 1),
         'effect "send_flowers" does not exist'),
        ("unknown role", lambda t: t.replace('vr:roles="approver"', 'vr:roles="approver ceo"', 1),
         'role "ceo" is not one of the manifest\'s roles'),
        ("not well-formed", lambda t: t.replace("</manifest>", "</manifes>"), "vendor-review.xml"),
        ("schema", lambda t: t.replace('vr:comment="required"', 'vr:comment="maybe"', 1),
         "vendor-review.xml:"),
        ("unknown state", lambda t: t.replace('target="reviewed"', 'target="nowhere"', 1),
         "vendor-review.xml:"),
    )
    for what, edit, want in cases:
        d, path = manifest_copy(edit)
        try:
            rc, out = tool(ctx, "check-config", config=config_with_manifest(ctx, path))
        finally:
            shutil.rmtree(d)
        eq(rc, 1, "check-config with %s: %s" % (what, out.strip()))
        check(want in out and path in out, "%s: the message names file and line: %r"
              % (what, out.strip()))
        check(re.search(re.escape(path) + r":\d+: ", out), "%s: FILE:LINE: %r" % (what, out))


def cgi(ctx, conf, method, path, user, groups, body=None):
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "GATEWAY_INTERFACE": "CGI/1.1",
           "VENDOR_REVIEW_CONFIG": conf, "REQUEST_METHOD": method,
           "DOCUMENT_URI": "/vendor-review/api" + path,
           "REQUEST_URI": "/vendor-review/api" + path, "QUERY_STRING": "",
           "VR_USER": user, "VR_GROUPS": groups}
    data = json.dumps(body).encode() if body is not None else b""
    if data:
        env.update(CONTENT_LENGTH=str(len(data)), CONTENT_TYPE="application/json")
    p = subprocess.run([ctx.binary], input=data, env=env, capture_output=True, timeout=60)
    head, _, out = p.stdout.partition(b"\r\n\r\n")
    status = int(re.search(rb"Status: (\d+)", head).group(1))
    return status, json.loads(out.decode()) if out else None


@REG.test("manifest_edit_is_followed")
def t_manifest_edit(ctx):
    """Only admins may approve: a manifest edit, no code change."""
    case = to_review(ctx)
    d, path = manifest_copy(lambda t: t.replace(
        '<transition event="approve" target="approved"\n            cond="not_requester_or_reviewer no_open_high_findings"\n            vr:roles="approver"',
        '<transition event="approve" target="approved"\n            cond="not_requester_or_reviewer no_open_high_findings"\n            vr:roles="admin"'))
    try:
        conf = config_with_manifest(ctx, path)
        st, acts = cgi(ctx, conf, "GET", "/assessments/%d/actions" % case["id"],
                       "approver1", "approvers")
        eq((st, [a["id"] for a in acts["actions"]]), (200, ["reject"]),
           "the approver no longer sees approve")
        st, p = cgi(ctx, conf, "POST", "/assessments/%d/transitions" % case["id"],
                    "approver1", "approvers", {"action": "approve", "version": case["version"]})
        eq((st, p["code"]), (403, "forbidden"), "and may not fire it")
        st, acts = cgi(ctx, conf, "GET", "/assessments/%d/actions" % case["id"],
                       "admin1", "admins")
        check("approve" in [a["id"] for a in acts["actions"]], "an admin may")
        st, out = cgi(ctx, conf, "POST", "/assessments/%d/transitions" % case["id"],
                      "admin1", "admins", {"action": "approve", "version": case["version"]})
        eq((st, out["state"]), (200, "approved"), "and does")
    finally:
        shutil.rmtree(d)
    # the running server keeps the shipped manifest
    eq(sorted(actions(ctx, to_review(ctx), "approver1")), ["approve", "reject"],
       "the shipped manifest is unchanged")


@REG.test("onboarding_edge_cases")
def t_edges(ctx):
    # a transition on a case that does not exist
    r = ctx.h.post("/assessments/999999999/transitions", {"action": "approve", "version": 1},
                   user="approver1")
    problem(r, 404, "not_found")
    # every mandatory control failed at once: one finding each, one write
    case = start(ctx, vendor(ctx, "high"))
    fails = [q["code"] for q in case["questions"] if q["type"] == "yes_no" and q.get("mandatory")]
    check(len(fails) > 16, "many mandatory yes/no controls (%d)" % len(fails))
    r = ctx.h.request("PUT", "/assessments/%d/answers" % case["id"],
                      body={"answers": answers_for(case["questions"], set(fails))})
    eq(r.status, 200, "answers (%s)" % r.brief())
    before = ctx.db.max_event()
    case = fire(ctx, r.json(), "submit", "requester1")
    ev = events_after(ctx, before)["items"]
    eq(sum(1 for e in ev if e["type"] == "finding.created"), len(fails),
       "a finding per failed control, in the submit's transaction")
    # a finding stays with its case
    f = case["findings"][0]
    other = start(ctx, vendor(ctx, "low"))
    r = ctx.h.patch("/findings/%d" % f["id"], {"version": f["version"],
                                               "assessment_id": other["id"]}, user="reviewer1")
    problem(r, 422, "read_only", "assessment_id")
    # an empty text is no answer
    text_q = next((q for q in other["questions"] if q["type"] == "text" and q.get("required")),
                  None)
    check(text_q is not None, "the low-tier sheet has a required text question")
    r = ctx.h.request("PUT", "/assessments/%d/answers" % other["id"],
                      body={"answers": [{"question": text_q["code"], "value": "  "}]})
    eq(r.json()["answered"], 0, "a blank text does not count as answered")
    # a suspended vendor is not approved by a case
    case = to_review(ctx)
    v = get(ctx, case["vendor_id"])
    r = ctx.h.patch("/vendors/%d" % v["id"], {"version": v["version"], "status": "suspended"},
                    user="admin1")
    eq(r.status, 200, "suspend (%s)" % r.brief())
    r = fire(ctx, case, "approve", "approver1", status=409)
    problem(r, 409, "vendor_not_approvable")
    eq(get(ctx, v["id"])["status"], "suspended", "still suspended")


@REG.test("config_vendor_path_apart_from_api")
def t_paths(ctx):
    with open(ctx.config, encoding="utf-8") as f:
        base = f.read()
    for bad in ("/vendor-review/api", "/vendor-review/api/vendor", "/vendor-review"):
        with tempfile.NamedTemporaryFile("w", suffix=".conf", delete=False) as t:
            t.write(base + "vendor_base_path %s\n" % bad)
        try:
            rc, out = tool(ctx, "check-config", config=t.name)
        finally:
            os.unlink(t.name)
        eq(rc, 1, "vendor_base_path %s refused: %s" % (bad, out.strip()))
        check("must not be one inside the other" in out, "why: %r" % out)


@REG.test("onboarding_sheet_xlsx_and_csv")
def t_sheet_files(ctx):
    import csv
    import io
    import zipfile
    case = start(ctx, vendor(ctx, "medium"))
    qs = case["questions"]
    r = ctx.h.request("PUT", "/assessments/%d/answers" % case["id"],
                      body={"answers": [{"question": qs[0]["code"], "value": best(qs[0]),
                                         "note": "注記, \"引用\"\n二行目"}]})
    eq(r.status, 200, "an answer (%s)" % r.brief())
    case = r.json()
    r = ctx.h.get("/assessments/%d/sheet.csv" % case["id"], accept="text/csv")
    eq(r.status, 200, "CSV (%s)" % r.brief())
    eq(r.ctype, "text/csv", "CSV media type")
    check(r.body.startswith(b"\xef\xbb\xbf"), "CSV starts with a UTF-8 BOM")
    rows = list(csv.reader(io.StringIO(r.body[3:].decode("utf-8"), newline="")))
    eq(len(rows), 1 + len(qs), "a header and a row per question of the tier")
    eq([x[1] for x in rows[1:]], [q["code"] for q in qs], "question codes in order")
    eq((rows[1][2], rows[1][10], rows[1][11]),
       (qs[0]["text"]["ja"], str(best(qs[0])), "注記, \"引用\"\n二行目"),
       "Japanese text, the answer and a note with a comma, quotes and a line break")
    r = ctx.h.get("/assessments/%d/sheet.xlsx" % case["id"],
                  accept="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    eq(r.status, 200, "xlsx (%s)" % r.brief())
    check("attachment" in (r.header("content-disposition") or ""), "a download")
    z = zipfile.ZipFile(io.BytesIO(r.body))
    names = z.namelist()
    check("xl/workbook.xml" in names and "xl/worksheets/sheet1.xml" in names, "a workbook")
    sheet = z.read("xl/worksheets/sheet1.xml").decode("utf-8")
    shared = z.read("xl/sharedStrings.xml").decode("utf-8")
    check(qs[0]["code"] in shared and qs[0]["text"]["ja"] in shared, "questions in the workbook")
    choice = [q for q in qs if q["type"] in ("yes_no", "single_choice")]
    check(sheet.count("<dataValidation ") == len(choice),
          "a list validation per yes/no and single-choice answer cell (%d)" % len(choice))
    wb = z.read("xl/workbook.xml").decode("utf-8")
    check('state="hidden"' in wb, "the case's sheet is hidden")
    # the vendor downloads its sheet through its link
    case = fire(ctx, case, "send_to_vendor", "requester1")
    token = case["vendor_link"].rsplit("/", 1)[1]
    r = ctx.h.get("", user=None, raw_url=vendor_url(ctx, "/%s/sheet.xlsx" % token))
    eq(r.status, 200, "vendor's xlsx (%s)" % r.brief())
    check(r.body[:2] == b"PK", "a zip")
    problem(ctx.h.get("/assessments/999999999/sheet.csv"), 404, "not_found")


@REG.test("answers_resave_changes_only_what_changed")
def t_answers_resave(ctx):
    # A page saves the whole sheet after one edit: the other answers keep
    # who answered them and when, and only the edited row is rewritten.
    case = start(ctx, vendor(ctx, "medium"))
    url = "/assessments/%d/answers" % case["id"]
    given = answers_for(case["questions"])
    r = ctx.h.request("PUT", url, body={"answers": given})
    eq(r.status, 200, "first save (%s)" % r.brief())
    first = {a["question"]: a for a in r.json()["answers"]}

    def stored():
        return ctx.db.rows("SELECT position, question, note FROM vr_answers "
                           "WHERE assessment_id = %d ORDER BY position" % case["id"])

    rows = stored()
    eq([int(p) for p, _, _ in rows], list(range(len(given))), "one row per answer, in order")
    time.sleep(1.1)  # answered_at has whole seconds
    given[2]["note"] = "注記を追加"
    r = ctx.h.request("PUT", url, body={"answers": given})
    eq(r.status, 200, "second save (%s)" % r.brief())
    second = {a["question"]: a for a in r.json()["answers"]}
    edited = given[2]["question"]
    eq(second[edited]["note"], "注記を追加", "the edited note")
    check(second[edited]["answered_at"] > first[edited]["answered_at"],
          "the edit is stamped with a new time (%s, %s)"
          % (first[edited]["answered_at"], second[edited]["answered_at"]))
    untouched = [q for q in first if q != edited]
    eq([(second[q]["answered_by"], second[q]["answered_at"]) for q in untouched],
       [(first[q]["answered_by"], first[q]["answered_at"]) for q in untouched],
       "the answers the save did not change keep when they were given")
    rows = stored()
    eq(len(rows), len(given), "still one row per answer")
    eq([n for _, q, n in rows if q == edited], ["注記を追加"], "the row holds the edit")
    got = ctx.h.get("/assessments/%d" % case["id"]).json()
    eq([a["question"] for a in got["answers"]], [a["question"] for a in given],
       "GET shows every answer in the sheet's order")


@REG.test("assessment_patch_sets_host_ref_only")
def t_patch_host_ref(ctx):
    case = start(ctx, vendor(ctx, "low"))
    path = "/assessments/%d" % case["id"]
    last = ctx.db.max_event()
    ref = uniq("RT-")
    r = ctx.h.patch(path, {"version": case["version"], "host_ref": ref})
    eq(r.status, 200, "PATCH host_ref (%s)" % r.brief())
    got = r.json()
    eq((got["host_ref"], got["version"], got["state"]), (ref, case["version"] + 1, case["state"]),
       "the ticket set, the version moved, the state kept")
    eq(ctx.h.get(path).json()["host_ref"], ref, "GET shows it")
    eq([i["id"] for i in ctx.h.get("/assessments?host_ref=%s" % ref).json()["items"]],
       [case["id"]], "the host_ref filter finds it")
    ev = [(e["type"], e["entity"], e["entity_id"], e["actor"]) for e in events_after(ctx, last)["items"]]
    eq(ev, [("assessment.updated", "assessment", case["id"], "requester1")],
       "one event (with its audit row)")
    eq(ctx.db.scalar("SELECT COUNT(*) FROM vr_audit_log WHERE entity='assessment' AND entity_id=%d "
                     "AND action='assessment.updated'" % case["id"]), "1", "one audit row")
    # the same value again: nothing written
    r = ctx.h.patch(path, {"version": got["version"], "host_ref": ref})
    eq((r.status, r.json()["version"]), (200, got["version"]), "a no-op PATCH")
    # every other field is refused by name; nothing changes
    for field, value in (("kind", "periodic_audit"), ("vendor_id", 1), ("state", "approved"),
                         ("score", 100)):
        problem(ctx.h.patch(path, {"version": got["version"], field: value}), 422, "read_only", field)
    p = problem(ctx.h.patch(path, {"version": got["version"], "kind": "onboarding",
                                   "host_ref": "x" * 65}), 422, "read_only", "kind")
    eq([e["field"] for e in p["errors"]], ["kind", "host_ref"], "every invalid field listed")
    problem(ctx.h.patch(path, {"host_ref": "T-1"}), 422, "required", "version")
    problem(ctx.h.patch(path, {"version": case["version"], "host_ref": "T-1"}), 409,
            "stale_version", "version")
    problem(ctx.h.patch(path, {"version": got["version"], "host_ref": "T-1"}, user="reviewer1"),
            403, "forbidden")
    problem(ctx.h.patch("/assessments/999999999", {"version": 1, "host_ref": "T-1"}), 404,
            "not_found")
    eq(ctx.h.get(path).json()["version"], got["version"], "refused PATCHes change nothing")
    # in XML too, and in a final state (a host may link its ticket late)
    case = fire(ctx, ctx.h.get(path).json(), "withdraw", "requester1", comment="取り下げ")
    r = ctx.h.patch(path, xml_body("assessment", [("version", case["version"]),
                                                  ("host_ref", "RT-XML")]), ctype=XML, accept=XML)
    eq(r.status, 200, "XML PATCH of a withdrawn case (%s)" % r.brief())
    eq(r.xml().find(NS + "host_ref").text, "RT-XML", "host_ref in the XML answer")
    r = ctx.h.patch(path, {"version": case["version"] + 1, "host_ref": None}, user="admin1")
    eq((r.status, r.json().get("host_ref")), (200, None), "null clears it (admin)")
