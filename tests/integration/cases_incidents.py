"""Leak incidents at vendors through nginx: whether one is reportable
(Rule Art. 7, each case and the 1,000-people boundary, encryption), the
deadlines (the example of domain.md, 60 days for an improper purpose, a
year whose holidays are not loaded), the workflow (reports, the notice to
the people, closing with an extra audit), and the scheduler's deadline
events, raised once each."""

import os

from vrlib import REG, REPO, check, eq, problem, uniq, xsd_validate
from cases_events import events_after, tool

HOLIDAYS = os.path.join(REPO, "plugin-manifests", "calendar", "holidays-jp.csv")

ITEMS = ["overview", "personal_data_items", "people_count", "cause", "secondary_harm",
         "actions_for_people", "publication", "prevention", "other"]


def holidays(ctx):
    """The shipped holidays, loaded (again is the same)."""
    rc, out = tool(ctx, "import-holidays", HOLIDAYS)
    eq(rc, 0, "import-holidays: %s" % out)
    check("2024 to 2035" in out, "the years it loaded: %s" % out)


def vendor(ctx):
    r = ctx.h.post("/vendors", {"name": uniq("事故委託先"), "personal_data": "le_100000"})
    eq(r.status, 201, "vendor (%s)" % r.brief())
    return r.json()


def record(ctx, vid, status=201, user="requester1", **fields):
    body = {"vendor_id": vid, "detected_at": "2026-01-29", "aware_on": "2026-01-30",
            "data_classes": ["personal_data"], "people_affected": 10,
            "people_affected_is_estimate": False, "cause": "lost_media",
            "malicious": False, "encrypted": False, "host_ref": uniq("INC")}
    body.update(fields)
    r = ctx.h.post("/incidents", body, user=user)
    if status == 201:
        eq(r.status, 201, "POST /incidents (%s)" % r.brief())
        return r.json()
    return r


def waiting(ctx, user, vid, plural="incidents"):
    """The ids of GET /<plural>?waiting_for=me for user, of vendor vid."""
    r = ctx.h.get("/%s?waiting_for=me&vendor_id=%d" % (plural, vid), user=user)
    eq(r.status, 200, "waiting_for=me (%s)" % r.brief())
    return [x["id"] for x in r.json()["items"]]


def inc_fire(ctx, inc, action, user="reviewer1", comment=None, status=200):
    body = {"action": action, "version": inc["version"]}
    if comment:
        body["comment"] = comment
    r = ctx.h.post("/incidents/%d/transitions" % inc["id"], body, user=user)
    if status == 200:
        eq(r.status, 200, "%s (%s)" % (action, r.brief()))
        return r.json()
    return r


@REG.test("incident_reportable_cases_and_deadlines", quick=True)
def t_reportable(ctx):
    holidays(ctx)
    v = vendor(ctx)["id"]
    cases = [
        ({}, False, []),
        ({"people_affected": 1000}, False, []),
        ({"people_affected": 1001}, True, ["over_1000_people"]),
        ({"data_classes": ["special_care_data"], "people_affected": 1}, True,
         ["special_care_data"]),
        ({"data_classes": ["payment_data"], "people_affected": 1}, True, ["financial_loss"]),
        ({"cause": "unauthorised_access"}, True, ["improper_purpose"]),
        ({"cause": "misdirected_mail", "malicious": True}, True, ["improper_purpose"]),
        ({"data_classes": ["special_care_data", "payment_data"], "people_affected": 5000,
          "cause": "malware"}, True,
         ["special_care_data", "financial_loss", "improper_purpose", "over_1000_people"]),
        ({"data_classes": ["special_care_data"], "people_affected": 5000, "encrypted": True},
         False, []),
    ]
    for fields, reportable, why in cases:
        inc = record(ctx, v, **fields)
        eq((inc["reportable"], inc["reportable_cases"]), (reportable, why),
           "reportable for %r" % fields)
        if not reportable:
            eq((inc["preliminary_due"], inc["final_due"]), (None, None), "no deadlines")
    # the example of domain.md: aware 2026-01-30, day 30 a Saturday
    inc = record(ctx, v, people_affected=1200, people_affected_is_estimate=True)
    eq((inc["preliminary_due"], inc["final_due"], inc["deadline_note"]),
       ("2026-02-01", "2026-03-02", None), "3-day target; day 30 moves to Monday 2 March")
    eq(inc["unknown_items"], ITEMS, "every report item unknown yet")
    inc = record(ctx, v, cause="insider_take_out")
    eq(inc["final_due"], "2026-03-30", "an improper purpose: 60 days")
    # a year whose holidays are not loaded: computed, with a note
    inc = record(ctx, v, aware_on="2041-06-03", detected_at="2041-06-01", people_affected=2000)
    check(inc["final_due"] == "2041-07-02" and "2041" in (inc["deadline_note"] or ""),
          "not loaded: %r %r" % (inc["final_due"], inc["deadline_note"]))
    # the vendor's notice: what it covered counts as known; aware at the latest then
    inc = record(ctx, v, people_affected=1500, vendor_notified_on="2026-01-30",
                 vendor_notice_items=["overview", "people_count", "cause"])
    eq(inc["unknown_items"], [i for i in ITEMS if i not in ("overview", "people_count", "cause")],
       "the vendor's notice items are known")
    problem(record(ctx, v, status=0, aware_on="2026-02-02", vendor_notified_on="2026-01-31"),
            422, "aware_after_notice", "aware_on")
    problem(record(ctx, v, status=0, cause="sunspots"), 422, None, "cause")
    problem(record(ctx, v, status=0, user="auditor1"), 403, "forbidden")
    x = ctx.h.get("/incidents/%d" % inc["id"], accept="application/xml")
    eq(x.status, 200, "incident in XML")
    xsd_validate(x.body)


@REG.test("incident_workflow_reports_notice_close", quick=True)
def t_workflow(ctx):
    v = vendor(ctx)["id"]
    inc = record(ctx, v, people_affected=3000, require_audit=True)
    last = ctx.db.max_event()
    inc = inc_fire(ctx, inc, "report_preliminary")
    check(inc["state"] == "preliminary_reported" and inc["preliminary_reported_on"],
          "preliminary report recorded: %r" % inc["preliminary_reported_on"])
    problem(inc_fire(ctx, inc, "report_final", status=0), 422, "guard_failed",
            "report_items_known")
    r = ctx.h.patch("/incidents/%d" % inc["id"], {"version": inc["version"], "known_items": ITEMS},
                    user="reviewer1")
    eq(r.status, 200, "all items known (%s)" % r.brief())
    inc = r.json()
    eq(inc["unknown_items"], [], "nothing unknown")
    inc = inc_fire(ctx, inc, "notify_people")
    check(inc["people_notified_on"], "the people notified")
    problem(inc_fire(ctx, inc, "notify_people", status=0), 422, "guard_failed",
            "people_not_notified")
    inc = inc_fire(ctx, inc, "report_final")
    eq(inc["state"], "final_reported", "final report recorded")
    problem(inc_fire(ctx, inc, "close", status=0), 422, "comment_required")
    eq(waiting(ctx, "reviewer1", v), [inc["id"]], "waiting for the reviewer while it is open")
    eq(waiting(ctx, "requester1", v), [], "but not for the requester (no transition of theirs)")
    inc = inc_fire(ctx, inc, "close", comment="再発防止策を確認")
    eq((inc["state"], inc["closed_by"]), ("closed", "reviewer1"), "closed")
    check(inc["audit_id"], "closing opened an extra audit")
    eq(waiting(ctx, "reviewer1", v), [], "closed: waiting for nobody")
    audit = ctx.h.get("/assessments/%d" % inc["audit_id"], user="auditor1").json()
    eq((audit["kind"], audit["vendor_id"], audit["cycle"], audit["state"]),
       ("periodic_audit", v, None, "draft"), "an extra audit of the vendor")
    ev = [(e["type"], e.get("to")) for e in events_after(ctx, last)["items"]
          if (e["entity"], e["entity_id"]) in (("incident", inc["id"]),
                                                ("assessment", inc["audit_id"]))]
    eq(ev, [("incident.report_preliminary", "preliminary_reported"), ("incident.updated", None),
            ("incident.notify_people", "preliminary_reported"),
            ("incident.report_final", "final_reported"), ("incident.close", "closed"),
            ("assessment.created", None)], "its events, the audit's in the same write")
    problem(ctx.h.patch("/incidents/%d" % inc["id"], {"version": inc["version"],
                                                      "description": "x"}, user="reviewer1"),
            409, "not_editable")
    # its host_ref alone still changes (a host links its ticket late)
    r = ctx.h.patch("/incidents/%d" % inc["id"], {"version": inc["version"], "host_ref": "RT-77"},
                    user="reviewer1")
    eq((r.status, r.json().get("host_ref"), r.json().get("state")), (200, "RT-77", "closed"),
       "a closed incident takes a host_ref-only PATCH (%s)" % r.brief())
    problem(ctx.h.patch("/incidents/%d" % inc["id"], {"version": inc["version"] + 1,
                                                      "host_ref": "RT-78", "description": "x"},
                        user="reviewer1"), 409, "not_editable")
    # not reportable: nothing to report, it closes at once
    small = record(ctx, v)
    problem(inc_fire(ctx, small, "report_preliminary", status=0), 422, "guard_failed",
            "is_reportable")
    eq(sorted(a["id"] for a in ctx.h.get("/incidents/%d/actions" % small["id"],
                                         user="reviewer1").json()["actions"]),
       ["close", "notify_people"], "what a reviewer may do")
    small = inc_fire(ctx, small, "close", comment="報告対象外")
    eq((small["state"], small["audit_id"]), ("closed", None), "closed, no audit asked")
    # reportable: no closing before the final report
    big = record(ctx, v, people_affected=2000)
    problem(inc_fire(ctx, big, "close", comment="早すぎる", status=0), 422, "guard_failed",
            "reports_done")


@REG.test("schedule_incident_deadlines_once")
def t_deadline_events(ctx):
    holidays(ctx)
    v = vendor(ctx)["id"]
    inc = record(ctx, v, aware_on="2024-06-03", detected_at="2024-06-03", people_affected=1800)
    eq((inc["preliminary_due"], inc["final_due"]), ("2024-06-05", "2024-07-02"), "deadlines")

    def raised(day):
        r = ctx.h.post("/schedule/run", {"as_of": day}, user="admin1")
        eq(r.status, 200, "schedule as of %s (%s)" % (day, r.brief()))
        return [(n["type"], n["due"]) for n in r.json()["notices"]
                if (n["entity"], n["entity_id"]) == ("incident", inc["id"])]

    eq(raised("2024-06-03"), [], "two days ahead: nothing yet")
    eq(raised("2024-06-04"), [("incident.preliminary_due_soon", "2024-06-05")], "a day ahead")
    eq(raised("2024-06-04"), [], "once")
    eq(raised("2024-06-06"), [("incident.preliminary_overdue", "2024-06-05")], "passed")
    eq(raised("2024-07-01"), [("incident.final_due_soon", "2024-07-02")],
       "the final report a day ahead (the preliminary one is not raised again)")
    eq(raised("2024-07-03"), [("incident.final_overdue", "2024-07-02")], "passed")
    eq(raised("2024-07-10"), [], "each once")
    rows = ctx.db.rows("SELECT action FROM vr_audit_log WHERE entity='incident' AND entity_id=%d"
                       " ORDER BY id" % inc["id"])
    eq([r[0] for r in rows], ["incident.created", "incident.preliminary_due_soon",
                              "incident.preliminary_overdue", "incident.final_due_soon",
                              "incident.final_overdue"], "its history")
    eq(ctx.db.rows("SELECT changed FROM vr_events WHERE entity='incident' AND entity_id=%d"
                   " AND type LIKE '%%due_soon' ORDER BY id" % inc["id"]),
       [["[]"], ["[]"]], "a notice's event changes no field")


@REG.test("import_holidays_checks_each_line")
def t_import_holidays(ctx):
    import tempfile
    ctx.db.run("DELETE FROM vr_holidays WHERE YEAR(day) = 2037")   # a year of its own
    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False, encoding="utf-8") as f:
        f.write("date,name\n2037-01-01,元日\n2037-13-01,月がない\n")
        bad = f.name
    try:
        rc, out = tool(ctx, "import-holidays", bad)
        eq(rc, 1, "a bad date is refused: %s" % out)
        check("%s:3:" % bad in out, "naming the file and line: %s" % out)
        eq(ctx.db.scalar("SELECT COUNT(*) FROM vr_holidays WHERE YEAR(day) = 2037"), "0",
           "nothing of the file is loaded")
        with open(bad, "w", encoding="utf-8") as f:
            # the Cabinet Office's form (once converted to UTF-8)
            f.write("国民の祝日・休日月日,国民の祝日・休日名称\n2037/1/1,元日\n2037/2/11,建国記念の日\n")
        rc, out = tool(ctx, "import-holidays", bad)
        eq(rc, 0, "its header and YYYY/M/D lines: %s" % out)
        eq(ctx.db.rows("SELECT DATE_FORMAT(day, '%Y-%m-%d'), name FROM vr_holidays"
                       " WHERE YEAR(day) = 2037 ORDER BY day"),
           [["2037-01-01", "元日"], ["2037-02-11", "建国記念の日"]], "loaded as dates")
        rc, out = tool(ctx, "import-holidays", bad)
        eq(ctx.db.scalar("SELECT COUNT(*) FROM vr_holidays WHERE YEAR(day) = 2037"), "2",
           "again: the year is replaced, not doubled")
    finally:
        os.unlink(bad)


@REG.test("incidents_and_subcontracts_by_host_ref", quick=True)
def t_host_ref(ctx):
    """A host finds its ticket's case by host_ref, in both formats."""
    from cases_subcontracts import approved_vendor, plain_vendor, request
    v = vendor(ctx)
    ref = uniq("INC")
    inc = record(ctx, v["id"], host_ref=ref)
    record(ctx, v["id"])
    r = ctx.h.get("/incidents?host_ref=%s" % ref)
    eq(r.status, 200, "incidents by host_ref (%s)" % r.brief())
    eq([i["id"] for i in r.json()["items"]], [inc["id"]], "exactly the ticket's incident")
    x = ctx.h.get("/incidents?host_ref=%s" % ref, accept="application/xml")
    eq(x.status, 200, "in XML (%s)" % x.brief())
    check(("<id>%d</id>" % inc["id"]).encode() in x.body, "the incident in XML")
    top, sub = approved_vendor(ctx), plain_vendor(ctx)
    sref = uniq("SC")
    sc = request(ctx, parent_vendor_id=top["id"], vendor_id=sub["id"], host_ref=sref)
    r = ctx.h.get("/subcontracts?host_ref=%s" % sref)
    eq(r.status, 200, "subcontracts by host_ref (%s)" % r.brief())
    eq([s["id"] for s in r.json()["items"]], [sc["id"]], "exactly the ticket's subcontract")
    eq(ctx.h.get("/subcontracts?host_ref=%s" % uniq("none")).json()["items"], [],
       "no case for another ticket")
