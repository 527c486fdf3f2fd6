"""Subcontracts (再委託) through nginx: a chain of depth 3 approved step by
step and depth 4 refused; the refusals of the gate (data classes the
parent does not hold, no submitted subcontractor sheet, flow-down not
confirmed, a suspended parent, segregation of duties); the chain in JSON
and XML; and a suspension (by an admin, or by a failed audit) flagging
everything below the vendor."""

import os

from vrlib import REG, REPO, check, eq, problem, uniq, xsd_validate
from cases_assessments import answers_for, fire, start
from cases_events import events_after, tool
from cases_incidents import waiting

SUBCONTRACT_XML = os.path.join(REPO, "plugin-manifests", "templates", "subcontract.xml")
ALL_CONFIRMED = {"equal_obligations": True, "nda_signed": True, "audit_rights": True,
                 "parent_responsible": True}


def approved_vendor(ctx, **fields):
    """A vendor holding personal data (and fields), approved by onboarding."""
    body = {"name": uniq("委託元"), "personal_data": "le_1000"}
    body.update(fields)
    r = ctx.h.post("/vendors", body)
    eq(r.status, 201, "vendor (%s)" % r.brief())
    case = start(ctx, r.json())
    r = ctx.h.request("PUT", "/assessments/%d/answers" % case["id"],
                      body={"answers": answers_for(case["questions"])})
    case = fire(ctx, fire(ctx, r.json(), "submit", "requester1"), "complete_review", "reviewer1")
    fire(ctx, case, "approve", "approver1")
    return ctx.h.get("/vendors/%d" % case["vendor_id"]).json()


def plain_vendor(ctx):
    r = ctx.h.post("/vendors", {"name": uniq("再委託先")})
    eq(r.status, 201, "subcontractor (%s)" % r.brief())
    return r.json()


def sheet(ctx, vid):
    """The subcontractor's check sheet, answered and submitted."""
    rc, out = tool(ctx, "import-template", SUBCONTRACT_XML)
    eq(rc, 0, "import-template subcontract.xml: %s" % out)
    r = ctx.h.post("/assessments", {"kind": "subcontract", "vendor_id": vid})
    eq(r.status, 201, "a subcontract sheet (%s)" % r.brief())
    case = r.json()
    eq(case["state"], "draft", "sheet in draft")
    r = ctx.h.request("PUT", "/assessments/%d/answers" % case["id"],
                      body={"answers": answers_for(case["questions"])})
    eq(r.status, 200, "sheet answered (%s)" % r.brief())
    case = fire(ctx, r.json(), "submit", "requester1")
    eq(case["state"], "submitted", "sheet submitted")
    return case


def sc_fire(ctx, sc, action, user, comment=None, status=200):
    body = {"action": action, "version": sc["version"]}
    if comment:
        body["comment"] = comment
    r = ctx.h.post("/subcontracts/%d/transitions" % sc["id"], body, user=user)
    if status == 200:
        eq(r.status, 200, "%s by %s (%s)" % (action, user, r.brief()))
        return r.json()
    return r


def request(ctx, status=201, **body):
    b = {"scope": "顧客データの入力業務", "data_classes": ["personal_data"],
         "period_end": "2027-03-31", "host_ref": uniq("T"), "flow_down": ALL_CONFIRMED}
    b.update(body)
    r = ctx.h.post("/subcontracts", b)
    if status == 201:
        eq(r.status, 201, "POST /subcontracts (%s)" % r.brief())
        return r.json()
    return r


def approved_sc(ctx, **body):
    sc = request(ctx, **body)
    s = sheet(ctx, sc["vendor_id"])
    r = ctx.h.patch("/subcontracts/%d" % sc["id"], {"version": sc["version"],
                                                    "assessment_id": s["id"]})
    eq(r.status, 200, "attach the sheet (%s)" % r.brief())
    sc = sc_fire(ctx, r.json(), "submit", "requester1")
    # My queue: whose turn it is, state by state
    vid = sc["vendor_id"]
    eq((waiting(ctx, "reviewer1", vid, "subcontracts"), waiting(ctx, "approver1", vid, "subcontracts")),
       ([sc["id"]], []), "submitted: waiting for the reviewer, not the approver")
    sc = sc_fire(ctx, sc, "complete_review", "reviewer1")
    eq(waiting(ctx, "approver1", vid, "subcontracts"), [sc["id"]], "reviewed: waiting for the approver")
    sc = sc_fire(ctx, sc, "approve", "approver1")
    eq(sc["state"], "approved", "approved")
    eq((waiting(ctx, "reviewer1", vid, "subcontracts"), waiting(ctx, "approver1", vid, "subcontracts"),
        waiting(ctx, "requester1", vid, "subcontracts")), ([], [], []), "approved: waiting for nobody")
    return sc


def names(nodes):
    return [(n["vendor"]["id"], n["state"], names(n["subcontracts"])) for n in nodes]


@REG.test("subcontract_chain_depth_3_then_4_refused", quick=True)
def t_chain(ctx):
    top = approved_vendor(ctx, special_care_data=True)
    s1, s2, s3, s4 = (plain_vendor(ctx) for _ in range(4))
    last = ctx.db.max_event()
    sc1 = approved_sc(ctx, parent_vendor_id=top["id"], vendor_id=s1["id"],
                      data_classes=["personal_data", "special_care_data"])
    eq((sc1["depth"], sc1["requested_by"], sc1["reviewed_by"], sc1["decided_by"]),
       (1, "requester1", "reviewer1", "approver1"), "再委託: depth 1, who did what")
    ev = [(e["type"], e["workflow"], e["from"], e["to"]) for e in events_after(ctx, last)["items"]
          if e["entity"] == "subcontract" and e["entity_id"] == sc1["id"]]
    eq(ev, [("subcontract.created", None, None, None),
            ("subcontract.updated", None, None, None),
            ("subcontract.submit", "subcontract", "draft", "submitted"),
            ("subcontract.complete_review", "subcontract", "submitted", "reviewed"),
            ("subcontract.approve", "subcontract", "reviewed", "approved")], "its events")
    sc2 = approved_sc(ctx, parent_subcontract_id=sc1["id"], vendor_id=s2["id"])
    eq((sc2["depth"], sc2["parent_vendor_id"]), (2, s1["id"]), "再々委託: depth 2 under s1")
    sc3 = approved_sc(ctx, parent_subcontract_id=sc2["id"], vendor_id=s3["id"])
    eq(sc3["depth"], 3, "depth 3")
    r = request(ctx, status=0, parent_subcontract_id=sc3["id"], vendor_id=s4["id"])
    problem(r, 422, "depth_exceeded", "parent_subcontract_id")
    # the chain below the top and the path up from the bottom
    r = ctx.h.get("/vendors/%d/chain" % top["id"])
    eq(r.status, 200, "chain (%s)" % r.brief())
    eq(names(r.json()["subcontracts"]),
       [(s1["id"], "approved", [(s2["id"], "approved", [(s3["id"], "approved", [])])])],
       "the tree below the top")
    eq(r.json()["subcontracts"][0]["data_classes"], ["personal_data", "special_care_data"],
       "what is passed on")
    r = ctx.h.get("/vendors/%d/chain" % s3["id"])
    eq([v["id"] for v in r.json()["path_up"]], [top["id"], s1["id"], s2["id"]],
       "the path up, from the top")
    eq(r.json()["subcontracts"], [], "nothing below the bottom")
    x = ctx.h.get("/vendors/%d/chain" % top["id"], accept="application/xml")
    eq(x.status, 200, "chain in XML (%s)" % x.brief())
    xsd_validate(x.body)
    check(x.body.count(b"<subcontract>") == 3, "three nested nodes in XML")


@REG.test("subcontract_gate_refusals")
def t_refusals(ctx):
    top = approved_vendor(ctx)
    sub = plain_vendor(ctx)
    # data classes the parent does not hold, named
    r = request(ctx, status=0, parent_vendor_id=top["id"], vendor_id=sub["id"],
                data_classes=["personal_data", "payment_data", "special_care_data"])
    p = problem(r, 422, "data_class_not_held", "data_classes")
    check("payment_data" in p["detail"] and "special_care_data" in p["detail"]
          and "personal_data" not in p["detail"].split("hold")[1], "names them: %s" % p["detail"])
    problem(request(ctx, status=0, parent_vendor_id=top["id"], vendor_id=top["id"]), 422,
            "same_vendor", "vendor_id")
    problem(request(ctx, status=0, vendor_id=sub["id"]), 422, "required", "parent_vendor_id")
    r = ctx.h.post("/subcontracts", {"parent_vendor_id": top["id"], "vendor_id": sub["id"],
                                     "scope": "x", "data_classes": ["personal_data"],
                                     "period_end": "2027-01-31"}, user="auditor1")
    problem(r, 403, "forbidden")
    # flow-down not confirmed: no submit
    sc = request(ctx, parent_vendor_id=top["id"], vendor_id=sub["id"],
                 flow_down={"nda_signed": True})
    r = sc_fire(ctx, sc, "submit", "requester1", status=0)
    p = problem(r, 422, "guard_failed", "flow_down_confirmed")
    check("equal_obligations" in p["detail"] and "nda_signed" not in p["detail"],
          "names what is open: %s" % p["detail"])
    r = ctx.h.patch("/subcontracts/%d" % sc["id"], {"version": sc["version"],
                                                    "flow_down": ALL_CONFIRMED})
    eq(r.status, 200, "confirm them (%s)" % r.brief())
    sc = sc_fire(ctx, r.json(), "submit", "requester1")
    problem(ctx.h.patch("/subcontracts/%d" % sc["id"], {"version": sc["version"],
                                                        "scope": "変更"}), 409, "not_editable")
    r = ctx.h.patch("/subcontracts/%d" % sc["id"], {"version": sc["version"], "host_ref": "RT-5"})
    eq((r.status, r.json().get("host_ref"), r.json().get("state")), (200, "RT-5", sc["state"]),
       "a submitted subcontract takes a host_ref-only PATCH (%s)" % r.brief())
    sc = r.json()
    sc = sc_fire(ctx, sc, "complete_review", "reviewer1")
    # no sheet: no approval
    p = problem(sc_fire(ctx, sc, "approve", "approver1", status=0), 422, "guard_failed",
                "subcontract_sheet_submitted")
    # a sheet of another vendor is refused; a draft sheet does not count
    other = sheet(ctx, plain_vendor(ctx)["id"])
    r = ctx.h.post("/subcontracts/%d/transitions" % sc["id"],
                   {"action": "request_changes", "version": sc["version"], "comment": "シート"},
                   user="reviewer1")
    sc = r.json()
    problem(ctx.h.patch("/subcontracts/%d" % sc["id"], {"version": sc["version"],
                                                        "assessment_id": other["id"]}),
            422, "wrong_sheet", "assessment_id")
    draft = ctx.h.post("/assessments", {"kind": "subcontract", "vendor_id": sub["id"]}).json()
    sc = ctx.h.patch("/subcontracts/%d" % sc["id"], {"version": sc["version"],
                                                     "assessment_id": draft["id"]}).json()
    sc = sc_fire(ctx, sc_fire(ctx, sc, "submit", "requester1"), "complete_review", "reviewer1")
    problem(sc_fire(ctx, sc, "approve", "approver1", status=0), 422, "guard_failed",
            "subcontract_sheet_submitted")
    # segregation of duties: the requester may not decide it
    sc2 = request(ctx, parent_vendor_id=top["id"], vendor_id=plain_vendor(ctx)["id"])
    r = ctx.h.post("/subcontracts", {"parent_vendor_id": top["id"], "vendor_id": sub["id"],
                                     "scope": "x", "data_classes": ["personal_data"],
                                     "period_end": "2027-01-31", "flow_down": ALL_CONFIRMED},
                   user="manager1")
    eq(r.status, 201, "manager1 asks (%s)" % r.brief())
    mine = r.json()
    s = sheet(ctx, sub["id"])
    mine = ctx.h.patch("/subcontracts/%d" % mine["id"], {"version": mine["version"],
                                                         "assessment_id": s["id"]},
                       user="manager1").json()
    mine = sc_fire(ctx, sc_fire(ctx, mine, "submit", "manager1"), "complete_review", "reviewer1")
    problem(sc_fire(ctx, mine, "approve", "manager1", status=0), 422, "guard_failed",
            "not_requester_or_reviewer")
    # a suspended parent: no approval under it
    v = ctx.h.get("/vendors/%d" % top["id"], user="admin1").json()
    r = ctx.h.patch("/vendors/%d" % top["id"], {"version": v["version"], "status": "suspended"},
                    user="admin1")
    eq(r.status, 200, "admin suspends the parent (%s)" % r.brief())
    problem(sc_fire(ctx, mine, "approve", "approver1", status=0), 422, "guard_failed",
            "parent_approved")
    check(sc2["state"] == "draft", "the other request stays a draft")


@REG.test("subcontract_flagged_when_a_vendor_is_suspended")
def t_flagged(ctx):
    top = approved_vendor(ctx)
    other = approved_sc(ctx, parent_vendor_id=top["id"], vendor_id=plain_vendor(ctx)["id"])
    s1 = plain_vendor(ctx)
    sc1 = approved_sc(ctx, parent_vendor_id=top["id"], vendor_id=s1["id"])
    sc2 = approved_sc(ctx, parent_subcontract_id=sc1["id"], vendor_id=plain_vendor(ctx)["id"])
    last = ctx.db.max_event()
    v = ctx.h.get("/vendors/%d" % s1["id"], user="admin1").json()
    r = ctx.h.patch("/vendors/%d" % s1["id"], {"version": v["version"], "status": "suspended"},
                    user="admin1")
    eq(r.status, 200, "admin suspends the subcontractor (%s)" % r.brief())
    ev = [(e["type"], e["entity_id"]) for e in events_after(ctx, last)["items"]
          if e["entity"] in ("vendor", "subcontract")]
    eq(ev, [("vendor.updated", s1["id"]), ("subcontract.flagged", sc1["id"]),
            ("subcontract.flagged", sc2["id"])], "its own subcontract and the one below it")
    got = ctx.h.get("/subcontracts/%d" % sc2["id"]).json()
    eq((got["flagged"], got["flag_reason"]), (True, "vendor %d was suspended" % s1["id"]),
       "flagged, saying why")
    eq(ctx.h.get("/subcontracts/%d" % other["id"]).json()["flagged"], False,
       "the parent's other subcontract is not")
    r = ctx.h.get("/subcontracts?flagged=true&parent_vendor_id=%d" % s1["id"])
    eq([x["id"] for x in r.json()["items"]], [sc2["id"]], "listed by flag")


@REG.test("subcontract_flagged_when_an_audit_fails")
def t_audit_fails(ctx):
    from cases_audits import opened_for, move_due, answered, periodic
    periodic(ctx)
    top = approved_vendor(ctx)
    sc = approved_sc(ctx, parent_vendor_id=top["id"], vendor_id=plain_vendor(ctx)["id"])
    move_due(ctx, top["id"], "2007-08-01")
    case = opened_for(ctx, top["id"], "2007-08-01")
    case, _ = answered(ctx, case)
    case = fire(ctx, case, "submit", "auditor1")
    last = ctx.db.max_event()
    fire(ctx, case, "fail", "auditor1", comment="委託先管理が不十分")
    ev = [(e["type"], e["entity"]) for e in events_after(ctx, last)["items"]
          if (e["entity"], e["entity_id"]) in (("assessment", case["id"]), ("vendor", top["id"]),
                                                ("subcontract", sc["id"]))]
    eq(ev, [("periodic_audit.fail", "assessment"), ("vendor.suspended", "vendor"),
            ("subcontract.flagged", "subcontract")], "the failed audit suspends and flags")
