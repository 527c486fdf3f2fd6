"""Check-sheet templates: import (API and command), read in JSON and XML,
the template rules, and the audit row and event of each import."""

import copy
import json
import os
import tempfile

from vrlib import REG, REPO, XSD, check, eq, problem, uniq, xsd_validate  # noqa: F401
from cases_events import events_after, tool

ONBOARDING_XML = os.path.join(REPO, "plugin-manifests", "templates", "onboarding.xml")
XML = "application/xml"


def onboarding(ctx):
    """The shipped onboarding sheet as stored (imported once if needed)."""
    rc, out = tool(ctx, "import-template", ONBOARDING_XML)
    eq(rc, 0, "import-template onboarding.xml: %s" % out)
    r = ctx.h.get("/templates?code=onboarding&kind=onboarding")
    eq(r.status, 200, "GET /templates?code=onboarding (%s)" % r.brief())
    items = [t for t in r.json()["items"] if t["version"] == 1]
    eq(len(items), 1, "onboarding version 1 stored once")
    return items[0]


def small_template(code=None):
    """A valid two-question template body (JSON)."""
    return {
        "code": code or uniq("tpl"), "version": 1, "kind": "onboarding",
        "title": {"ja": "テスト", "en": "Test"},
        "sections": [{
            "code": "AA", "title": {"ja": "節", "en": "Section"},
            "questions": [
                {"code": "AA-01", "text": {"ja": "質問一", "en": "One"},
                 "type": "yes_no", "required": True, "weight": 2,
                 "mandatory": True, "severity": "high",
                 "tiers": ["high", "medium", "low"], "basis": "GL 3-4-4"},
                {"code": "AA-02", "text": {"ja": "質問二"},
                 "type": "single_choice", "severity": "low",
                 "options": [
                     {"code": "often", "label": {"ja": "常に"}, "score": 100},
                     {"code": "never", "label": {"ja": "なし"}, "score": 0}],
                 "tiers": ["high"], "basis": "GL 10-6"},
            ]}],
    }


@REG.test("template_import_command_idempotent", quick=True)
def t_import(ctx):
    t = onboarding(ctx)
    eq(t["questions"], 55, "questions of the shipped sheet")
    rc, out = tool(ctx, "import-template", ONBOARDING_XML)
    eq(rc, 0, "second import")
    check("already imported" in out, "second import says so: %r" % out)
    with open(ONBOARDING_XML, encoding="utf-8") as f:
        body = f.read()
    changed = body.replace("<weight>3</weight>", "<weight>4</weight>", 1)
    check(changed != body, "the sheet has a weight 3 to change")
    with tempfile.NamedTemporaryFile("w", suffix=".xml", delete=False,
                                     encoding="utf-8") as f:
        f.write(changed)
    try:
        rc, out = tool(ctx, "import-template", f.name)
    finally:
        os.unlink(f.name)
    eq(rc, 1, "other content under the same version is refused")
    check("new version" in out, "it says to give a new version: %r" % out)


@REG.test("template_json_and_xml_say_the_same")
def t_formats(ctx):
    t = onboarding(ctx)
    r = ctx.h.get("/templates/%d" % t["id"])
    eq(r.status, 200, "GET JSON")
    j = r.json()
    rx = ctx.h.get("/templates/%d" % t["id"], accept=XML)
    eq(rx.status, 200, "GET XML")
    xsd_validate(rx.body)
    root = rx.xml()
    ns = "{urn:vendor-review:api:1}"
    secs = root.find(ns + "sections").findall(ns + "section")
    eq(len(secs), len(j["sections"]), "sections in both")
    qx = secs[0].find(ns + "questions").findall(ns + "question")
    qj = j["sections"][0]["questions"]
    eq([q.find(ns + "code").text for q in qx], [q["code"] for q in qj],
       "question codes of the first section")
    eq(qx[0].find(ns + "text").find(ns + "ja").text, qj[0]["text"]["ja"],
       "Japanese text")
    eq([x.text for x in qx[0].find(ns + "tiers")], qj[0]["tiers"], "tiers")
    every = [q for s in j["sections"] for q in s["questions"]]
    eq(len(every), j["questions"], "questions count")
    check(all(q.get("basis") for q in every), "every question has a basis")


@REG.test("template_post_admin_event_audit", quick=True)
def t_post(ctx):
    body = small_template()
    r = ctx.h.post("/templates", body, user="requester1")
    problem(r, 403, "forbidden")
    last = ctx.db.max_event()
    r = ctx.h.post("/templates", body, user="admin1")
    eq(r.status, 201, "admin imports (%s)" % r.brief())
    t = r.json()
    check(r.header("location", "").endswith("/templates/%d" % t["id"]), "Location")
    eq(t["questions"], 2, "server counts the questions")
    eq(t["created_by"], "admin1", "created_by")
    eq(t["sections"][0]["questions"][1]["options"][0]["label"], {"ja": "常に"}, "option label")
    ev = events_after(ctx, last)["items"]
    eq([(e["type"], e["entity"], e["entity_id"]) for e in ev],
       [("template.created", "template", t["id"])], "one event")
    a = ctx.h.get("/audit-log?entity=template:%d" % t["id"], user="auditor1")
    eq(a.status, 200, "audit log of a template")
    rows = a.json()["items"]
    eq(len(rows), 1, "one audit row")
    eq(json.loads(rows[0]["after"])["sections"], t["sections"], "after image is the template")
    r = ctx.h.post("/templates", body, user="admin1")
    problem(r, 409)
    eq(ctx.db.max_event(), last + 1, "the refused import wrote no event")


def refused(ctx, mutate, status, code, field):
    body = small_template()
    mutate(body)
    r = ctx.h.post("/templates", body, user="admin1")
    problem(r, status, code, field)


for _name, _mut, _code, _field in (
    ("weight_range", lambda b: b["sections"][0]["questions"][0].update(weight=11),
     "out_of_range", "sections[0].questions[0].weight"),
    ("nested_unknown", lambda b: b["sections"][0]["questions"][1].update(colour=1),
     "unknown_field", "sections[0].questions[1].colour"),
    ("option_score", lambda b: b["sections"][0]["questions"][1]["options"][1].update(score=-1),
     "out_of_range", "sections[0].questions[1].options[1].score"),
    ("label_ja_required", lambda b: b["sections"][0]["questions"][1]["text"].pop("ja"),
     "required", "sections[0].questions[1].text.ja"),
    ("tier_value", lambda b: b["sections"][0]["questions"][0].update(tiers=["low", "top"]),
     "invalid_value", "sections[0].questions[0].tiers[1]"),
    ("no_tiers", lambda b: b["sections"][0]["questions"][0].update(tiers=[]),
     "required", "sections[0].questions[0]"),
    ("duplicate_question", lambda b: b["sections"][0]["questions"][1].update(code="AA-01"),
     "duplicate_code", "sections[0].questions[1]"),
    ("choice_needs_options", lambda b: b["sections"][0]["questions"][1].pop("options"),
     "options_required", "sections[0].questions[1]"),
    ("yes_no_has_no_options", lambda b: b["sections"][0]["questions"][0].update(
        options=[{"code": "a", "label": {"ja": "a"}, "score": 1}] * 2),
     "options_not_allowed", "sections[0].questions[0]"),
    ("text_is_not_scored", lambda b: b["sections"][0]["questions"][0].update(type="text"),
     "not_scored", "sections[0].questions[0]"),
    ("duplicate_option", lambda b: b["sections"][0]["questions"][1]["options"][1].update(code="often"),
     "duplicate_code", "sections[0].questions[1].options[1]"),
    ("options_is_a_list", lambda b: b["sections"][0]["questions"][1].update(options={"code": "x"}),
     "wrong_type", "sections[0].questions[1].options"),
    ("server_count", lambda b: b.update(questions=3), "read_only", "questions"),
):
    REG.add("template_refused_" + _name,
            (lambda m, c, f: lambda ctx: refused(ctx, m, 422, c, f))(_mut, _code, _field))


@REG.test("template_xml_error_path")
def t_xml_path(ctx):
    t = onboarding(ctx)
    rx = ctx.h.get("/templates/%d" % t["id"], accept=XML)
    body = rx.body.decode("utf-8")
    for tag in ("id", "questions", "created_by", "created_at"):
        start = body.index("<%s>" % tag)
        # the top-level copy: the first <questions> is the section list,
        # so remove the template's count, the last one
        if tag == "questions":
            start = body.rindex("<questions>")
        end = body.index("</%s>" % tag, start) + len(tag) + 3
        body = body[:start] + body[end:]
    body = body.replace("<version>1</version>", "<version>9</version>", 1)
    second = body.index("<question>", body.index("<question>") + 1)
    w = body.index("<weight>", second)
    body = body[:w] + "<weight>99</weight>" + body[body.index("</weight>", w) + 9:]
    r = ctx.h.post("/templates", body, user="admin1", ctype=XML, accept=XML)
    problem(r, 422, "out_of_range", "sections[0].questions[1].weight", fmt="xml")
