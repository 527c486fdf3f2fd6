"""The read-only views the web pages draw from, through nginx: GET /stats
(vendors by tier and status, approved vendors' next audits by month,
open findings by severity and age, each counted by the database) and
GET /me (the user and roles the plugin took from nginx's params).

/stats counts the whole register, so each test takes the counts before,
makes vendors and findings of its own, sets their dates in SQL to a day
of its own (as_of in 2031, when nothing else is due or created) and
checks the counts moved by exactly what it made."""

import datetime

from vrlib import vendors_set_in_sql, REG, check, eq, problem, record_from_xml, q, uniq, xsd_validate
from cases_assessments import answers_for, fire, start, vendor

AS_OF = "2031-07-15"
NEXT = "2031-07-16"
XML = "application/xml"
TIERS = ["high", "medium", "low"]
STATUSES = ["candidate", "approved", "suspended", "terminated"]
SEVERITIES = ["high", "medium", "low"]
AGES = ["0-30", "31-90", "91-180", "181+"]


def stats(ctx, as_of=AS_OF, user="requester1"):
    r = ctx.h.get("/stats" + ("?as_of=" + as_of if as_of else ""), user=user)
    eq(r.status, 200, "GET /stats (%s)" % r.brief())
    eq(r.ctype, "application/json", "content type")
    s = r.json()
    eq(sorted(s), ["as_of", "audits_by_month", "findings_by_severity_age",
                   "vendors_by_tier_status"], "members of /stats")
    return s


def by_key(groups, *keys):
    """{(key values): the group}, each key once."""
    d = {}
    for g in groups:
        k = tuple(g[x] for x in keys)
        check(k not in d, "group %r twice" % (k,))
        check(all(isinstance(v, int) and v >= 0 for n, v in g.items() if n not in keys),
              "counts are integers: %r" % g)
        d[k] = g
    return d


def delta(before, after, keys, count):
    """{key: after - before} of one count, for the keys that moved."""
    b, a = by_key(before, *keys), by_key(after, *keys)
    out = {}
    for k in set(a) | set(b):
        n = (a[k][count] if k in a else 0) - (b[k][count] if k in b else 0)
        if n:
            out[k] = n
    return out


def tokyo_day(ts_utc):
    return (ts_utc + datetime.timedelta(hours=9)).date()


def start_of(d):
    """The UTC time at which Tokyo date d begins."""
    return datetime.datetime(d.year, d.month, d.day) - datetime.timedelta(hours=9)


def new_vendor(ctx, tier):
    body = {"name": uniq("集計先")}
    if tier == "high":
        body["payment_data"] = True
    elif tier == "medium":
        body["confidential_data"] = True
    r = ctx.h.post("/vendors", body)
    eq(r.status, 201, "vendor (%s)" % r.brief())
    eq(r.json()["tier"], tier, "tier of the new vendor")
    return r.json()["id"]


@REG.test("stats_vendors_and_audits_by_month", quick=True)
def t_vendors_audits(ctx):
    before, before_next = stats(ctx), stats(ctx, NEXT)
    eq(before["as_of"], AS_OF, "as_of given")
    # (tier, status, next_audit_due)
    plan = [("high", "candidate", None), ("high", "candidate", "2031-07-20"),
            ("medium", "suspended", None), ("low", "terminated", None),
            ("low", "approved", "2030-06-30"),      # the day before the window
            ("low", "approved", "2030-07-01"),      # its first day, overdue
            ("high", "approved", "2031-07-14"),     # overdue, as_of's month
            ("medium", "approved", "2031-07-15"),   # due on as_of: not overdue
            ("low", "approved", "2032-07-31"),      # the window's last day
            ("low", "approved", "2032-08-01")]      # the day after it
    with vendors_set_in_sql(ctx, [(new_vendor(ctx, tier), {
            "status": "'%s'" % status, "next_audit_due": "'%s'" % due if due else "NULL"})
            for tier, status, due in plan]):
        counted(ctx, before, before_next)


def counted(ctx, before, before_next):
    """The checks of t_vendors_audits while its vendors are as planned."""
    after = stats(ctx)
    eq(delta(before["vendors_by_tier_status"], after["vendors_by_tier_status"],
             ("tier", "status"), "count"),
       {("high", "candidate"): 2, ("medium", "suspended"): 1, ("low", "terminated"): 1,
        ("low", "approved"): 4, ("high", "approved"): 1, ("medium", "approved"): 1},
       "vendors by tier and status moved by what was made")
    eq(delta(before["audits_by_month"], after["audits_by_month"], ("month",), "due"),
       {("2030-07",): 1, ("2031-07",): 2, ("2032-07",): 1}, "due by month")
    eq(delta(before["audits_by_month"], after["audits_by_month"], ("month",), "overdue"),
       {("2030-07",): 1, ("2031-07",): 1}, "overdue by month: before as_of")
    # Shape: groups in the order of the enums, months in order, in the window,
    # no empty group.
    order = [(TIERS.index(g["tier"]), STATUSES.index(g["status"]))
             for g in after["vendors_by_tier_status"]]
    eq(order, sorted(order), "tiers then statuses in their order")
    months = [g["month"] for g in after["audits_by_month"]]
    eq(months, sorted(months), "months in order")
    check(all("2030-07" <= m <= "2032-07" for m in months), "months in the window: %r" % months)
    check(all(g["due"] >= 1 and 0 <= g["overdue"] <= g["due"] for g in after["audits_by_month"]),
          "no empty month, overdue within due")
    check(all(g["count"] >= 1 for g in after["vendors_by_tier_status"]), "no empty group")
    # The day after, the one due on as_of is overdue too.
    after_next = stats(ctx, NEXT)
    eq(delta(before_next["audits_by_month"], after_next["audits_by_month"], ("month",), "due"),
       {("2030-07",): 1, ("2031-07",): 2, ("2032-07",): 1}, "due by month the day after")
    eq(delta(before_next["audits_by_month"], after_next["audits_by_month"], ("month",),
             "overdue"),
       {("2030-07",): 1, ("2031-07",): 2}, "overdue the day after")
    # The same counts in XML, valid against the shipped schema.
    x = ctx.h.get("/stats?as_of=" + AS_OF, accept=XML)
    eq(x.status, 200, "GET /stats in XML (%s)" % x.brief())
    eq(x.ctype, XML, "XML content type")
    xsd_validate(x.body)
    root = x.xml()
    eq(root.tag, q("stats"), "root element")
    eq(root.find(q("as_of")).text, AS_OF, "as_of in XML")
    got = [record_from_xml(el) for el in root.find(q("vendors_by_tier_status"))]
    eq(got, [{k: str(v) for k, v in g.items()} for g in after["vendors_by_tier_status"]],
       "vendors in XML as in JSON")
    got = [record_from_xml(el) for el in root.find(q("audits_by_month"))]
    eq(got, [{k: str(v) for k, v in g.items()} for g in after["audits_by_month"]],
       "months in XML as in JSON")


@REG.test("stats_findings_by_severity_and_age", quick=True)
def t_findings(ctx):
    case = start(ctx, vendor(ctx, "low"))
    r = ctx.h.request("PUT", "/assessments/%d/answers" % case["id"],
                      body={"answers": answers_for(case["questions"])})
    eq(r.status, 200, "answers (%s)" % r.brief())
    case = fire(ctx, r.json(), "submit", "requester1")
    day = datetime.date(2031, 7, 15)
    # (severity, status, created_at in UTC): ages count whole Tokyo days.
    plan = [("high", "open", start_of(day) + datetime.timedelta(hours=23, minutes=59)),  # 0
            ("high", "open", start_of(day + datetime.timedelta(days=1))),      # after as_of
            ("high", "in_progress", start_of(day - datetime.timedelta(days=30))),        # 30
            ("medium", "open", start_of(day - datetime.timedelta(days=30))
             - datetime.timedelta(seconds=1)),                                  # 31
            ("medium", "in_progress", start_of(day - datetime.timedelta(days=90))),      # 90
            ("low", "open", start_of(day - datetime.timedelta(days=91))),      # 91
            ("low", "open", start_of(day - datetime.timedelta(days=180))),     # 180
            ("low", "open", start_of(day - datetime.timedelta(days=181))),     # 181
            ("medium", "resolved", start_of(day - datetime.timedelta(days=5))),
            ("low", "risk_accepted", start_of(day - datetime.timedelta(days=5)))]
    # Nothing else of this case counts (a failed mandatory control, say).
    ctx.db.run("UPDATE vr_findings SET status='resolved' WHERE assessment_id=%d" % case["id"])
    before, before_next = stats(ctx), stats(ctx, NEXT)
    for sev, status, at in plan:
        r = ctx.h.post("/findings", {"assessment_id": case["id"], "severity": sev,
                                     "description": "集計テスト"}, user="reviewer1")
        eq(r.status, 201, "finding (%s)" % r.brief())
        fid = r.json()["id"]
        ctx.db.run("UPDATE vr_findings SET status='%s', created_at='%s' WHERE id=%d"
                   % (status, at.strftime("%Y-%m-%d %H:%M:%S"), fid))
    check(tokyo_day(plan[0][2]) == day and tokyo_day(plan[1][2]) == day + datetime.timedelta(1),
          "the test's own day arithmetic")
    after = stats(ctx)
    eq(delta(before["findings_by_severity_age"], after["findings_by_severity_age"],
             ("severity", "age"), "count"),
       {("high", "0-30"): 2, ("medium", "31-90"): 2, ("low", "91-180"): 2, ("low", "181+"): 1},
       "open findings by severity and age")
    order = [(SEVERITIES.index(g["severity"]), AGES.index(g["age"]))
             for g in after["findings_by_severity_age"]]
    eq(order, sorted(order), "severities then ages in their order")
    check(all(g["count"] >= 1 for g in after["findings_by_severity_age"]), "no empty group")
    # The day after, the one created that day counts and each is a day older.
    after_next = stats(ctx, NEXT)
    eq(delta(before_next["findings_by_severity_age"], after_next["findings_by_severity_age"],
             ("severity", "age"), "count"),
       {("high", "0-30"): 2, ("high", "31-90"): 1, ("medium", "31-90"): 1,
        ("medium", "91-180"): 1, ("low", "91-180"): 1, ("low", "181+"): 2},
       "open findings by severity and age the day after")
    x = ctx.h.get("/stats?as_of=" + AS_OF, accept=XML, user="auditor1")
    eq(x.status, 200, "GET /stats in XML (%s)" % x.brief())
    xsd_validate(x.body)
    got = [record_from_xml(el) for el in x.xml().find(q("findings_by_severity_age"))]
    eq(got, [{k: str(v) for k, v in g.items()} for g in after["findings_by_severity_age"]],
       "findings in XML as in JSON")


@REG.test("stats_as_of_default_and_refusals", quick=True)
def t_as_of(ctx):
    lo = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=9)).date()
    s = stats(ctx, as_of=None, user="auditor1")
    hi = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=9)).date()
    check(s["as_of"] in (lo.isoformat(), hi.isoformat()),
          "as_of defaults to today in Tokyo: %r (%s)" % (s["as_of"], lo))
    for bad in ("2026-02-30", "2026-13-01", "20261202", "2026-1-2", "", "today",
                "2026-12-02x", "0999-12-31", "9998-01-01", "%00"):
        problem(ctx.h.get("/stats?as_of=" + bad), 400, "invalid_parameter", "as_of")
    problem(ctx.h.get("/stats?as_of=2026-02-30", accept=XML), 400, "invalid_parameter",
            "as_of", fmt="xml")
    for edge in ("1001-01-01", "9997-12-31", "2028-02-29"):
        eq(stats(ctx, edge)["as_of"], edge, "as_of %s is counted" % edge)
    problem(ctx.h.post("/stats", {}), 405)
    # Read-only: no audit row, no event.
    n = ctx.db.counts()
    stats(ctx)
    ctx.h.get("/me")
    eq(ctx.db.counts(), n, "vendors, audit rows and events unchanged")


@REG.test("stats_me_user_and_roles", quick=True)
def t_me(ctx):
    for user, roles in (("requester1", ["requester"]), ("admin1", ["admin"]),
                        ("manager1", ["requester", "approver"]),
                        ("lead1", ["reviewer", "approver"])):
        r = ctx.h.get("/me", user=user)
        eq(r.status, 200, "GET /me as %s (%s)" % (user, r.brief()))
        eq(r.json(), {"user": user, "roles": roles}, "/me as %s" % user)
        x = ctx.h.get("/me", user=user, accept=XML)
        eq(x.status, 200, "GET /me in XML (%s)" % x.brief())
        xsd_validate(x.body)
        root = x.xml()
        eq(root.tag, q("me"), "root element")
        eq((root.find(q("user")).text, [e.text for e in root.find(q("roles"))]),
           (user, roles), "/me in XML as %s" % user)
    # Identity is nginx's, never a header the client sends.
    r = ctx.h.get("/me", headers={"X-Remote-User": "admin1", "VR-USER": "admin1",
                                  "VR-GROUPS": "admins", "X-Vr-Groups": "admins"})
    eq(r.json(), {"user": "requester1", "roles": ["requester"]}, "headers change nothing")
