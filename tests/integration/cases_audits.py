"""Periodic audits through nginx: the scheduler opens one when a vendor's
next_audit_due comes (once, also for runs at the same time), the audit
shows last cycle's answers and carries them forward, pass moves the date
on, fail suspends the vendor; reminders and escalations are raised once.

The scheduler works on every vendor, so each test sets its own vendors'
dates (an admin may move next_audit_due) to a day of its own far in the
past and runs the scheduler as of that day: nothing else is due then."""

import datetime
import os
import subprocess

from vrlib import REG, REPO, check, eq, problem, uniq, xsd_validate
from cases_assessments import actions, answers_for, fire, to_review, vendor_url
from cases_events import events_after, tool

PERIODIC_XML = os.path.join(REPO, "plugin-manifests", "templates", "periodic_audit.xml")


def periodic(ctx):
    rc, out = tool(ctx, "import-template", PERIODIC_XML)
    eq(rc, 0, "import-template periodic_audit.xml: %s" % out)


def approved_vendor(ctx, due, tier="low"):
    """A vendor approved through onboarding, its next audit moved to due."""
    case = fire(ctx, to_review(ctx, tier=tier), "approve", "approver1")
    return move_due(ctx, case["vendor_id"], due), case


def move_due(ctx, vid, due):
    v = ctx.h.get("/vendors/%d" % vid, user="admin1").json()
    r = ctx.h.patch("/vendors/%d" % vid, {"version": v["version"], "next_audit_due": due},
                    user="admin1")
    eq(r.status, 200, "admin moves next_audit_due (%s)" % r.brief())
    return r.json()


def run(ctx, as_of, dry_run=False, user="admin1", status=200):
    r = ctx.h.post("/schedule/run", {"as_of": as_of, "dry_run": dry_run}, user=user)
    eq(r.status, status, "POST /schedule/run as of %s (%s)" % (as_of, r.brief()))
    return r.json()


def audits_of(ctx, vid):
    r = ctx.h.get("/assessments?kind=periodic_audit&vendor_id=%d" % vid)
    eq(r.status, 200, "list audits (%s)" % r.brief())
    return r.json()["items"]


def mine(report, vids):
    return sorted(o["vendor_id"] for o in report["opened"] if o["vendor_id"] in vids)


@REG.test("schedule_opens_due_audit_once", quick=True)
def t_opens(ctx):
    periodic(ctx)
    v, onboarding = approved_vendor(ctx, "2001-03-01")
    later = approved_vendor(ctx, "2001-03-02")[0]
    cand = ctx.h.post("/vendors", {"name": uniq("未承認")}).json()
    ids = {v["id"], later["id"], cand["id"]}
    # a dry run says what it would open and writes nothing
    last = ctx.db.max_event()
    rep = run(ctx, "2001-03-01", dry_run=True)
    eq((rep["as_of"], rep["dry_run"]), ("2001-03-01", True), "dry run report")
    eq([(o["vendor_id"], o["cycle"], o["assessment_id"]) for o in rep["opened"]
        if o["vendor_id"] in ids], [(v["id"], "2001-03-01", None)],
       "only the vendor due by then, not the one due a day later or a candidate")
    eq(ctx.db.max_event(), last, "a dry run writes nothing")
    x = ctx.h.post("/schedule/run", {"as_of": "2001-03-01", "dry_run": True}, user="admin1",
                   accept="application/xml")
    eq(x.status, 200, "the report in XML (%s)" % x.brief())
    xsd_validate(x.body)
    eq(audits_of(ctx, v["id"]), [], "nothing opened")
    # the real run opens it, as the admin, for that cycle
    rep = run(ctx, "2001-03-01")
    opened = [o for o in rep["opened"] if o["vendor_id"] in ids]
    eq(len(opened), 1, "one audit opened: %r" % opened)
    case = ctx.h.get("/assessments/%d" % opened[0]["assessment_id"], user="auditor1").json()
    eq((case["kind"], case["state"], case["cycle"], case["vendor_id"], case["requested_by"],
        case["previous_id"]),
       ("periodic_audit", "draft", "2001-03-01", v["id"], "admin1", onboarding["id"]),
       "the audit: draft, for the cycle, shows the onboarding as previous")
    ev = [e for e in events_after(ctx, last)["items"] if e["entity_id"] == case["id"]
          and e["entity"] == "assessment"]
    eq([e["type"] for e in ev], ["assessment.created"], "its event")
    # again, by the API and by the command: nothing more
    eq(mine(run(ctx, "2001-03-01"), ids), [], "a second run opens nothing")
    rc, out = tool(ctx, "schedule", "--as-of", "2001-03-01")
    eq(rc, 0, "vendor-review schedule: %s" % out)
    check("vendor %d " % v["id"] not in out and out.rstrip().splitlines()[-1].startswith(
        "schedule 2001-03-01:"), "the command opens nothing either: %s" % out[-300:])
    eq(len(audits_of(ctx, v["id"])), 1, "still one audit")
    # the next day the other vendor is due
    eq(mine(run(ctx, "2001-03-02"), ids), [later["id"]], "the vendor due a day later")
    # only admins run it; a bad date is refused
    problem(ctx.h.post("/assessments", {"kind": "periodic_audit", "vendor_id": v["id"],
                                        "template_id": 1}, user="auditor1"),
            422, "read_only", "template_id")
    run(ctx, "2001-03-01", user="auditor1", status=403)
    r = ctx.h.post("/schedule/run", {"as_of": "2001-02-30"}, user="admin1")
    problem(r, 422, None, "as_of")
    rc, out = tool(ctx, "schedule", "--as-of", "tomorrow")
    eq(rc, 2, "schedule --as-of tomorrow: %s" % out)


@REG.test("schedule_concurrent_runs_open_each_once")
def t_concurrent(ctx):
    periodic(ctx)
    vendors = [approved_vendor(ctx, "2002-01-01")[0] for _ in range(6)]
    ids = {v["id"] for v in vendors}
    rounds, procs = 5, 4
    cmd = [ctx.binary, "-c", ctx.config, "schedule", "--as-of"]
    for k in range(rounds):
        day = "2002-01-%02d" % (k + 1)
        if k > 0:
            for v in vendors:   # the next cycle: the audit passed meanwhile
                move_due(ctx, v["id"], day)
        ps = [subprocess.Popen(cmd + [day], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
              for _ in range(procs)]
        outs = [p.communicate(timeout=120)[0].decode() for p in ps]
        eq([p.returncode for p in ps], [0] * procs, "all runs ok: %s" % outs)
        opened = [line for o in outs for line in o.splitlines()
                  if line.startswith("opened audit") and int(line.split()[5]) in ids]
        eq(len(opened), len(vendors), "round %d: each due audit opened by exactly one of %d"
           " runs: %s" % (k, procs, opened))
        n = ctx.db.rows("SELECT vendor_id, COUNT(*) FROM vr_assessments WHERE kind='periodic_audit'"
                        " AND cycle='%s' AND vendor_id IN (%s) GROUP BY vendor_id"
                        % (day, ",".join(str(i) for i in ids)))
        eq(sorted(int(c) for _, c in n), [1] * len(vendors), "round %d: one row per vendor" % k)


def answered(ctx, case, user="auditor1", fail=None):
    r = ctx.h.get("/assessments/%d?include=questions" % case["id"], user=user)
    qs = r.json()["questions"]
    r = ctx.h.request("PUT", "/assessments/%d/answers" % case["id"],
                      body={"answers": answers_for(qs, fail)}, user=user)
    eq(r.status, 200, "auditor answers (%s)" % r.brief())
    return r.json(), qs


def opened_for(ctx, vid, day):
    rep = run(ctx, day)
    got = [o["assessment_id"] for o in rep["opened"] if o["vendor_id"] == vid]
    eq(len(got), 1, "audit of vendor %d opened as of %s" % (vid, day))
    return ctx.h.get("/assessments/%d" % got[0], user="auditor1").json()


def tokyo_today(plus_days=0):
    now = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=9)
    return (now.date() + datetime.timedelta(days=plus_days))


@REG.test("periodic_audit_pass_moves_the_date", quick=True)
def t_pass(ctx):
    periodic(ctx)
    # a cycle ten days ahead: the next one is the tier's interval after it
    cycle = tokyo_today(10)
    v, _ = approved_vendor(ctx, cycle.isoformat(), tier="high")
    case = opened_for(ctx, v["id"], cycle.isoformat())
    eq(sorted(actions(ctx, case, "auditor1")), ["send_to_vendor", "withdraw"],
       "the auditor's actions in draft")
    eq(actions(ctx, case, "requester1"), [], "a requester has none")
    # the manifest's vr:start: auditors open an extra audit, requesters may not
    r = ctx.h.post("/assessments", {"kind": "periodic_audit", "vendor_id": v["id"]},
                   user="requester1")
    problem(r, 403, "forbidden", "kind")
    r = ctx.h.post("/assessments", {"kind": "periodic_audit", "vendor_id": v["id"]},
                   user="auditor1")
    eq((r.status, r.json().get("cycle")), (201, None), "an extra audit, outside the cycle")
    r = ctx.h.request("PUT", "/assessments/%d/answers" % case["id"], body={"answers": []},
                      user="requester1")
    problem(r, 403, "forbidden")
    # last cycle's answers, beside each answer, and carried forward in one action
    check(case["previous_answers"], "the onboarding's answers to shared questions are shown")
    prev = {a["question"]: a["value"] for a in case["previous_answers"]}
    r = ctx.h.post("/assessments/%d/answers/carry-forward" % case["id"], None, user="auditor1")
    eq(r.status, 200, "carry forward (%s)" % r.brief())
    carried = r.json()
    eq({a["question"]: a["value"] for a in carried["answers"]}, prev,
       "every previous answer carried")
    check(all(a["previous"] == a["value"] and a["changed"] is False for a in carried["answers"]),
          "previous beside each answer, unchanged")
    again = ctx.h.post("/assessments/%d/answers/carry-forward" % case["id"], None,
                       user="auditor1").json()
    eq(again["version"], carried["version"], "nothing left to carry: no write")
    case, qs = answered(ctx, carried)
    yes_no = {q["code"] for q in qs if q["type"] == "yes_no"}
    one = [a["question"] for a in case["previous_answers"] if a["question"] in yes_no][0]
    r = ctx.h.request("PUT", "/assessments/%d/answers" % case["id"],
                      body={"answers": [{"question": one, "value": "no"}]}, user="auditor1")
    eq(r.status, 200, "change one answer (%s)" % r.brief())
    a = [x for x in r.json()["answers"] if x["question"] == one][0]
    eq((a["value"], a["previous"], a["changed"]), ("no", prev[one], True), "a changed answer")
    r = ctx.h.request("PUT", "/assessments/%d/answers" % case["id"],
                      body={"answers": [{"question": one, "value": prev[one]}]}, user="auditor1")
    case = fire(ctx, r.json(), "submit", "auditor1")
    eq(case["state"], "submitted", "submitted")
    check("pass" in actions(ctx, case, "auditor1"), "the auditor may pass it")
    case = fire(ctx, case, "pass", "auditor1")
    eq((case["state"], case["reviewed_by"]), ("passed", "auditor1"), "passed")
    vnow = ctx.h.get("/vendors/%d" % v["id"]).json()
    eq((vnow["status"], vnow["next_audit_due"]),
       ("approved", cycle.replace(year=cycle.year + 1, day=min(cycle.day, 28)
                                  if (cycle.month, cycle.day) == (2, 29) else cycle.day)
        .isoformat()), "high tier: the next audit a year after the cycle")
    problem(fire(ctx, case, "close", "auditor1", status=403), 403)
    case = fire(ctx, case, "close", "approver1")
    eq((case["state"], case["decided_by"]), ("closed_passed", "approver1"), "closed")


@REG.test("periodic_audit_fail_suspends_the_vendor")
def t_fail(ctx):
    periodic(ctx)
    v, _ = approved_vendor(ctx, "2004-05-20")
    case = opened_for(ctx, v["id"], "2004-05-20")
    case, _ = answered(ctx, case)
    case = fire(ctx, case, "submit", "auditor1")
    problem(fire(ctx, case, "fail", "auditor1", status=422), 422, "comment_required")
    last = ctx.db.max_event()
    case = fire(ctx, case, "fail", "auditor1", comment="アクセス権の棚卸しが未実施")
    eq(case["state"], "failed", "failed")
    vnow = ctx.h.get("/vendors/%d" % v["id"]).json()
    eq(vnow["status"], "suspended", "the vendor is suspended")
    ev = [(e["type"], e["entity"]) for e in events_after(ctx, last)["items"]
          if (e["entity"], e["entity_id"]) in (("assessment", case["id"]), ("vendor", v["id"]))]
    eq(ev, [("periodic_audit.fail", "assessment"), ("vendor.suspended", "vendor")],
       "the transition's event and the vendor's")
    # no audit for a suspended vendor; the approver closes the failed one
    move_due(ctx, v["id"], "2004-05-21")
    eq(mine(run(ctx, "2004-05-21"), {v["id"]}), [], "a suspended vendor is not audited")
    case = fire(ctx, case, "close", "approver1")
    eq(case["state"], "closed_failed", "closed as failed")


@REG.test("schedule_reminders_and_escalations_once")
def t_notices(ctx):
    periodic(ctx)
    v, _ = approved_vendor(ctx, "2005-06-01")
    case = opened_for(ctx, v["id"], "2005-06-01")
    case = fire(ctx, case, "send_to_vendor", "auditor1")
    # its link, as if it ran out on 2005-06-10 at 12:00 JST
    ctx.db.run("UPDATE vr_assessments SET link_expires_at='2005-06-10 03:00:00'"
               " WHERE id=%d" % case["id"])
    finding = ctx.h.post("/findings", {"assessment_id": case["id"], "severity": "medium",
                                       "description": "要改善", "due_date": "2005-06-12"},
                         user="reviewer1")
    eq(finding.status, 201, "a finding with a due date (%s)" % finding.brief())
    fid = finding.json()["id"]

    def raised(day):
        rep = run(ctx, day)
        return [(n["type"], n["due"]) for n in rep["notices"]
                if (n["entity"], n["entity_id"]) in (("assessment", case["id"]),
                                                      ("finding", fid))]

    eq(raised("2005-06-01"), [], "nothing ahead of the first reminder")
    eq(raised("2005-06-03"), [], "7.5 days ahead is not yet 7")
    eq(raised("2005-06-04"), [("assessment.link_expiring", "2005-06-10T03:00:00.000000Z")],
       "7 days ahead of the link (6.5, rounded up)")
    eq(raised("2005-06-04"), [], "not twice")
    eq(raised("2005-06-05"), [("finding.due_soon", "2005-06-12")],
       "7 days ahead of the due date (the link's 7-day one is done)")
    eq(raised("2005-06-08"), [("assessment.link_expiring", "2005-06-10T03:00:00.000000Z")],
       "3 days ahead of the link")
    eq(raised("2005-06-10"), [("assessment.link_expiring", "2005-06-10T03:00:00.000000Z"),
                              ("finding.due_soon", "2005-06-12")],
       "the last day of the link; 3 days ahead of the due date")
    eq(raised("2005-06-11"), [("finding.due_soon", "2005-06-12")], "1 day ahead")
    eq(raised("2005-06-13"), [("finding.overdue", "2005-06-12")], "the remediation is late")
    eq(raised("2005-06-14"), [], "escalated once")
    eq(raised("2005-07-02"), [("assessment.overdue", "2005-07-01")],
       "the audit is late 30 days after its cycle")
    eq(raised("2005-07-03"), [], "escalated once per state")
    f = ctx.h.get("/findings/%d" % fid).json()
    r = ctx.h.patch("/findings/%d" % fid, {"version": f["version"], "status": "in_progress"},
                    user="reviewer1")
    eq(r.status, 200, "finding in progress (%s)" % r.brief())
    eq(raised("2005-07-04"), [("finding.overdue", "2005-06-12")], "late again in its new status")
    # every notice is an event with an audit row of its entity
    rows = ctx.db.rows("SELECT action FROM vr_audit_log WHERE entity='finding' AND entity_id=%d"
                       " ORDER BY id" % fid)
    eq([r[0] for r in rows], ["finding.created", "finding.due_soon", "finding.due_soon",
                              "finding.due_soon", "finding.overdue", "finding.updated",
                              "finding.overdue"], "the finding's history says what was raised")
    rc, out = tool(ctx, "verify-audit-log")
    eq(rc, 0, "the chain holds: %s" % out)


@REG.test("periodic_audit_vendor_link_shows_last_cycle", quick=True)
def t_vendor_link(ctx):
    periodic(ctx)
    review = to_review(ctx)
    f = ctx.h.post("/findings", {"assessment_id": review["id"], "severity": "medium",
                                 "description": "ログの保存期間が短い", "remediation": "1年保存",
                                 "due_date": "2030-01-31"}, user="reviewer1")
    eq(f.status, 201, "a finding left open at approval (%s)" % f.brief())
    fire(ctx, review, "approve", "approver1")
    v = move_due(ctx, review["vendor_id"], "2006-02-01")
    case = opened_for(ctx, v["id"], "2006-02-01")
    eq([x["id"] for x in case["follow_up"]], [f.json()["id"]],
       "the open finding of the onboarding is listed to follow up")
    case = fire(ctx, case, "send_to_vendor", "auditor1")
    token = case["vendor_link"].rsplit("/", 1)[1]
    url = vendor_url(ctx, "/" + token)
    sheet = ctx.h.get("", user=None, raw_url=url).json()
    x = ctx.h.get("", user=None, raw_url=url, accept="application/xml")
    xsd_validate(x.body)
    eq([x["description"] for x in sheet["follow_up"]], ["ログの保存期間が短い"],
       "the vendor sees what to follow up")
    check(not any("created_by" in x or "owner" in x for x in sheet["follow_up"]),
          "but not who in the company raised it")
    check(sheet["previous_answers"] and sheet["answers"] == [], "last time's answers, none yet")
    r = ctx.h.post("", user=None, raw_url=url + "/carry-forward")
    eq(r.status, 200, "the vendor carries them forward (%s)" % r.brief())
    got = r.json()
    eq(sorted(a["question"] for a in got["answers"]),
       sorted(a["question"] for a in sheet["previous_answers"]), "all of them, in one action")
    check(all(a["changed"] is False for a in got["answers"]), "unchanged")
    rows = ctx.db.rows("SELECT actor, action FROM vr_audit_log WHERE entity='assessment' AND"
                       " entity_id=%d ORDER BY id DESC LIMIT 1" % case["id"])
    eq(rows, [["vendor:%d" % case["id"], "assessment.answers_carried_forward"]],
       "audited as the vendor's carry-forward")


@REG.test("schedule_no_link_reminder_after_submit_withdrawal_or_expiry")
def t_no_reminder(ctx):
    periodic(ctx)
    vids = [approved_vendor(ctx, "2006-06-01")[0]["id"] for _ in range(3)]
    rep = run(ctx, "2006-06-01")
    cases = []
    for vid in vids:
        got = [o["assessment_id"] for o in rep["opened"] if o["vendor_id"] == vid]
        eq(len(got), 1, "audit of vendor %d opened" % vid)
        case = ctx.h.get("/assessments/%d" % got[0], user="auditor1").json()
        cases.append(fire(ctx, case, "send_to_vendor", "auditor1"))
    submitted, withdrawn, live = cases
    # one submitted by the vendor through its link, one withdrawn
    token = submitted["vendor_link"].rsplit("/", 1)[1]
    qs = ctx.h.get("/assessments/%d?include=questions" % submitted["id"],
                   user="auditor1").json()["questions"]
    r = ctx.h.request("PUT", "", body={"answers": answers_for(qs)}, user=None,
                      raw_url=vendor_url(ctx, "/%s/answers" % token))
    eq(r.status, 200, "the vendor answers (%s)" % r.brief())
    r = ctx.h.post("", user=None, raw_url=vendor_url(ctx, "/%s/submit" % token))
    eq(r.status, 200, "the vendor submits (%s)" % r.brief())
    fire(ctx, withdrawn, "withdraw", "admin1", comment="契約終了のため")
    # every link, as if it ran out on 2006-06-10 at 12:00 JST
    for c in cases:
        ctx.db.run("UPDATE vr_assessments SET link_expires_at='2006-06-10 03:00:00'"
                   " WHERE id=%d AND link_expires_at IS NOT NULL" % c["id"])

    def raised(day):
        ids = {c["id"]: name for c, name in zip(cases, ("submitted", "withdrawn", "live"))}
        return sorted((ids[n["entity_id"]], n["type"]) for n in run(ctx, day)["notices"]
                      if n["entity"] == "assessment" and n["entity_id"] in ids)

    eq(raised("2006-06-04"), [("live", "assessment.link_expiring")],
       "7 days ahead: only the link still open is reminded of")
    eq(raised("2006-06-08"), [("live", "assessment.link_expiring")], "3 days ahead: the same")
    eq(raised("2006-06-11"), [], "after the link ran out: no reminder for any")
    eq(raised("2006-06-13"), [], "nor later")
