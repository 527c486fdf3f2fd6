"""Events, audit log, the audit chain tools, identity, concurrency, corpus."""

import json
import os
import random
import subprocess
import tempfile
import threading
import urllib.parse

from vrlib import (REG, REPO, HEX32, ISO_UTC, Failure, check, eq, uniq, q,
                   record_from_xml, xsd_validate, problem)
from cases_vendors import create, get, norm, XML

EVENT_KEYS = {"id", "type", "entity", "entity_id", "actor", "audit_id", "request_id", "created_at",
              "workflow", "transition", "from", "to", "changed"}
AUDIT_KEYS = {"id", "at", "actor", "action", "entity", "entity_id", "before", "after",
              "request_id", "prev_hash", "hash"}


def events_after(ctx, after, limit=1000, user="auditor1"):
    r = ctx.h.get("/events?after=%d&limit=%d" % (after, limit), user=user)
    eq(r.status, 200, "GET /events (%s)" % r.brief())
    return r.json()


def all_events_after(ctx, after):
    out = []
    while True:
        b = events_after(ctx, after)
        out.extend(b["items"])
        if b["next_cursor"] is None:
            return out
        after = int(b["next_cursor"])


def audit_of(ctx, vid, user="auditor1"):
    r = ctx.h.get("/audit-log?entity=vendor:%d" % vid, user=user)
    eq(r.status, 200, "GET /audit-log (%s)" % r.brief())
    return r.json()["items"]


# --- events -------------------------------------------------------------------------------

@REG.test("events_one_per_write", quick=True)
def t_events(ctx):
    last = ctx.db.max_event()
    r = ctx.h.post("/vendors", {"name": uniq("Ev")})
    eq(r.status, 201, "create")
    v = r.json()
    ev = events_after(ctx, last)["items"]
    eq(len(ev), 1, "events after create")
    e = ev[0]
    eq(set(e), EVENT_KEYS, "event members")
    eq((e["id"], e["type"], e["entity"], e["entity_id"], e["actor"]),
       (last + 1, "vendor.created", "vendor", v["id"], "requester1"), "event")
    eq(e["request_id"], r.header("x-request-id"), "event request_id vs X-Request-Id")
    check(ISO_UTC.match(e["created_at"]), "created_at %r" % e["created_at"])
    r2 = ctx.h.patch("/vendors/%d" % v["id"], {"version": 1, "address": "x"}, user="admin1")
    eq(r2.status, 200, "patch")
    ev2 = events_after(ctx, last + 1)["items"]
    eq(len(ev2), 1, "events after patch")
    eq((ev2[0]["id"], ev2[0]["type"], ev2[0]["entity_id"], ev2[0]["actor"], ev2[0]["request_id"]),
       (last + 2, "vendor.updated", v["id"], "admin1", r2.header("x-request-id")), "update event")
    eq(e["changed"], None, "a created record's event names no changed fields")
    eq(ev2[0]["changed"], ["address"], "the update's event names the field it changed")
    # a change that moves the derived tier names the tier too
    r3 = ctx.h.patch("/vendors/%d" % v["id"], {"version": 2, "payment_data": True,
                                               "contact_name": "山田"}, user="admin1")
    eq(r3.status, 200, "patch (%s)" % r3.brief())
    ev3 = events_after(ctx, last + 2)["items"]
    moved = {"version", "updated_at", "updated_by"}
    eq(ev3[0]["changed"], [f for f in r3.json() if f not in moved
                           and r3.json()[f] != r2.json()[f]],
       "changed fields in table order, the derived ones included")
    # each event's audit row exists and matches
    for e in ev + ev2:
        row = ctx.db.rows("SELECT entity, entity_id, actor, action, request_id FROM vr_audit_log WHERE id=%d" % e["audit_id"])
        eq(row, [["vendor", str(v["id"]), e["actor"], e["type"], e["request_id"]]], "audit row of event %d" % e["id"])


@REG.test("events_paging_next_cursor")
def t_events_paging(ctx):
    last = ctx.db.max_event()
    for i in range(3):
        create(ctx, {"name": uniq("EP")})
    b = events_after(ctx, last, limit=2)
    eq([e["id"] for e in b["items"]], [last + 1, last + 2], "page 1 ids")
    eq(b["next_cursor"], str(last + 2), "next_cursor of a full page")
    b = events_after(ctx, int(b["next_cursor"]), limit=2)
    eq([e["id"] for e in b["items"]], [last + 3], "page 2 ids")
    eq(b["next_cursor"], None, "next_cursor of a short page")
    b = events_after(ctx, last + 3, limit=2)
    eq((b["items"], b["next_cursor"]), ([], None), "nothing after the last")
    r = ctx.h.get("/events?after=%d" % last, user="auditor1")
    eq(r.status, 200, "default limit")
    eq(len(r.json()["items"]), 3, "default limit items")


@REG.test("events_xml_xsd")
def t_events_xml(ctx):
    last = ctx.db.max_event()
    create(ctx, {"name": uniq("EX")})
    create(ctx, {"name": uniq("EX")})
    r = ctx.h.get("/events?after=%d&limit=1" % last, user="auditor1", accept=XML)
    eq(r.status, 200, "status (%s)" % r.brief())
    xsd_validate(r.body)
    root = r.xml()
    eq(root.tag, q("events"), "root")
    evs = root.findall(q("event"))
    eq(len(evs), 1, "events")
    d = record_from_xml(evs[0])
    eq((d["id"], d["type"]), (str(last + 1), "vendor.created"), "event")
    eq(root.find(q("next_cursor")).text, str(last + 1), "next_cursor")
    r = ctx.h.get("/events?after=%d&limit=5" % (last + 1), user="auditor1", accept=XML)
    xsd_validate(r.body)
    check(r.xml().find(q("next_cursor")) is None, "next_cursor on the last page")


for _n, _qs, _field in (("limit_0", "limit=0", "limit"), ("limit_1001", "limit=1001", "limit"),
                        ("limit_text", "limit=x", "limit"), ("after_negative", "after=-1", "after"),
                        ("after_text", "after=abc", "after"), ("after_huge", "after=99999999999999999999999", "after")):
    def _f(ctx, qs=_qs, field=_field):
        problem(ctx.h.get("/events?" + qs, user="auditor1"), 400, None, field)
    REG.add("events_400_" + _n, _f)


@REG.test("events_limit_1000_ok")
def t_events_1000(ctx):
    eq(ctx.h.get("/events?after=0&limit=1000", user="auditor1").status, 200, "limit=1000")


@REG.test("refused_writes_add_no_event_or_audit")
def t_refused(ctx):
    v = create(ctx, {"name": uniq("RW")})
    before = ctx.db.counts()
    ctx.h.post("/vendors", {"name": 5})
    ctx.h.post("/vendors", b'{"name":', ctype="application/json")
    ctx.h.patch("/vendors/%d" % v["id"], {"version": 9, "address": "x"})
    ctx.h.post("/vendors", {"name": uniq("RW")}, user="auditor1")
    eq(ctx.db.counts(), before, "(vendors, audit, events) after four refused writes")


# --- audit log ---------------------------------------------------------------------------------

@REG.test("audit_log_before_after_chain", quick=True)
def t_audit(ctx):
    v = create(ctx, {"name": uniq("Au"), "address": "a"})
    r = ctx.h.patch("/vendors/%d" % v["id"], {"version": 1, "address": "b"})
    eq(r.status, 200, "patch")
    p = r.json()
    items = audit_of(ctx, v["id"])
    eq(len(items), 2, "audit rows")
    a, b = items
    for it in items:
        eq(set(it), AUDIT_KEYS, "audit members")
        check(HEX32.match(it["request_id"]), "request_id")
        check(len(it["hash"]) == 64 and len(it["prev_hash"]) == 64, "hash lengths")
        check(ISO_UTC.match(it["at"]), "at %r" % it["at"])
    eq((a["action"], a["actor"], a["entity"], a["entity_id"], a["before"]),
       ("vendor.created", "requester1", "vendor", v["id"], None), "create row")
    eq(norm(json.loads(a["after"])), norm(v), "after of create == the vendor")
    eq(b["action"], "vendor.updated", "update action")
    eq(norm(json.loads(b["before"])), norm(v), "before of update == the old vendor")
    eq(norm(json.loads(b["after"])), norm(p), "after of update == the new vendor")
    check(b["id"] > a["id"], "ids increase")
    # the chain in the table: each row's prev_hash is the hash of the row before
    for it in items:
        prev = ctx.db.rows("SELECT hash FROM vr_audit_log WHERE id=%d" % (it["id"] - 1))
        want = prev[0][0] if prev else "0" * 64
        eq(it["prev_hash"], want, "prev_hash of audit row %d" % it["id"])


@REG.test("audit_log_xml_xsd")
def t_audit_xml(ctx):
    v = create(ctx, {"name": uniq("AuX")})
    r = ctx.h.get("/audit-log?entity=vendor:%d" % v["id"], user="auditor1", accept=XML)
    eq(r.status, 200, "status (%s)" % r.brief())
    xsd_validate(r.body)
    root = r.xml()
    eq(root.tag, q("audit_log"), "root")
    ents = root.findall(q("audit_entry"))
    eq(len(ents), 1, "entries")
    d = record_from_xml(ents[0])
    eq(d["before"], None, "before nil")
    eq(json.loads(d["after"])["id"], v["id"], "after")


# (No entity at all, or a kind alone, is the whole log or one kind of it:
# cases_register.py.)
for _n, _qs in (("bad_type", "entity=foo:1"), ("bad_kind", "entity=foo"),
                ("bad_id", "entity=vendor:abc"), ("zero_id", "entity=vendor:0"), ("empty", "entity=")):
    def _f(ctx, qs=_qs):
        problem(ctx.h.get("/audit-log?" + qs, user="auditor1"), 400, None, "entity")
    REG.add("audit_log_400_entity_" + _n, _f, quick=_n == "bad_id")


@REG.test("audit_log_unknown_vendor_empty_or_404")
def t_audit_unknown(ctx):
    r = ctx.h.get("/audit-log?entity=vendor:999999999", user="auditor1")
    check(r.status in (200, 404), "want 200 (empty) or 404, got %s" % r.brief())
    if r.status == 200:
        eq(r.json()["items"], [], "items")
    else:
        problem(r, 404)


@REG.test("audit_log_append_only_trigger")
def t_append_only(ctx):
    create(ctx, {"name": uniq("AO")})
    k = int(ctx.db.scalar("SELECT MAX(id) FROM vr_audit_log"))
    p = ctx.db.run("UPDATE vr_audit_log SET actor='mallory' WHERE id=%d" % k, check_rc=False)
    check(p.returncode != 0, "UPDATE on vr_audit_log succeeded")
    check(b"append-only" in p.stderr, "UPDATE error is not the trigger's: %r" % p.stderr[:200])
    p = ctx.db.run("DELETE FROM vr_audit_log WHERE id=%d" % k, check_rc=False)
    check(p.returncode != 0, "DELETE on vr_audit_log succeeded")
    eq(ctx.db.scalar("SELECT actor <> 'mallory' FROM vr_audit_log WHERE id=%d" % k), "1", "row unchanged")


# --- tools: verify-audit-log, check-config ------------------------------------------------------

def tool(ctx, *args, config=None):
    check(ctx.binary and os.access(ctx.binary, os.X_OK), "no binary (--binary): %r" % ctx.binary)
    cfg = config or ctx.config
    check(cfg and os.path.exists(cfg), "no config (--config): %r" % cfg)
    p = subprocess.run([ctx.binary, "-c", cfg] + list(args), stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=120)
    return p.returncode, p.stdout.decode("utf-8", "replace")


TRIGGER = ("CREATE TRIGGER vr_audit_log_no_update BEFORE UPDATE ON vr_audit_log FOR EACH ROW "
           "SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'vr_audit_log is append-only'")


@REG.test("verify_audit_log_ok", quick=True)
def t_verify(ctx):
    create(ctx, {"name": uniq("VA")})
    rc, out = tool(ctx, "verify-audit-log")
    eq(rc, 0, "exit status (%s)" % out.strip())
    check("audit log ok" in out, "output %r" % out.strip())


@REG.test("verify_audit_log_detects_tampering")
def t_tamper(ctx):
    v = create(ctx, {"name": uniq("Tm")})
    r = ctx.h.patch("/vendors/%d" % v["id"], {"version": 1, "address": "x"})
    eq(r.status, 200, "patch")
    k = audit_of(ctx, v["id"])[0]["id"]
    actor = ctx.db.scalar("SELECT actor FROM vr_audit_log WHERE id=%d" % k)
    ctx.db.run("DROP TRIGGER vr_audit_log_no_update")
    try:
        ctx.db.run("UPDATE vr_audit_log SET actor='mallory' WHERE id=%d" % k)
        rc, out = tool(ctx, "verify-audit-log")
        eq(rc, 1, "exit status with row %d tampered (%s)" % (k, out.strip()))
        check("BROKEN at row %d" % k in out, "want 'BROKEN at row %d' in %r" % (k, out.strip()))
    finally:
        ctx.db.run("UPDATE vr_audit_log SET actor='%s' WHERE id=%d" % (actor, k))
        ctx.db.run(TRIGGER)
    rc, out = tool(ctx, "verify-audit-log")
    eq(rc, 0, "exit status after restoring (%s)" % out.strip())
    check("audit log ok" in out, "output %r" % out.strip())
    p = ctx.db.run("UPDATE vr_audit_log SET actor='mallory' WHERE id=%d" % k, check_rc=False)
    check(p.returncode != 0, "trigger not back: UPDATE succeeded")


@REG.test("verify_audit_log_detects_hash_change")
def t_tamper_after(ctx):
    v = create(ctx, {"name": uniq("Th")})
    k = audit_of(ctx, v["id"])[0]["id"]
    old = ctx.db.scalar("SELECT HEX(after_json) FROM vr_audit_log WHERE id=%d" % k)
    ctx.db.run("DROP TRIGGER vr_audit_log_no_update")
    try:
        ctx.db.run("UPDATE vr_audit_log SET after_json=REPLACE(after_json, 'candidate', 'approved') WHERE id=%d" % k)
        rc, out = tool(ctx, "verify-audit-log")
        eq(rc, 1, "exit status (%s)" % out.strip())
        check("BROKEN at row %d" % k in out, "want 'BROKEN at row %d' in %r" % (k, out.strip()))
    finally:
        ctx.db.run("UPDATE vr_audit_log SET after_json=UNHEX('%s') WHERE id=%d" % (old, k))
        ctx.db.run(TRIGGER)
    rc, out = tool(ctx, "verify-audit-log")
    eq(rc, 0, "exit status after restoring (%s)" % out.strip())


NO_DELETE = ("CREATE TRIGGER vr_audit_log_no_delete BEFORE DELETE ON vr_audit_log FOR EACH ROW "
             "SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'vr_audit_log is append-only'")


@REG.test("verify_audit_log_while_writing")
def t_verify_while_writing(ctx):
    """verify-audit-log run again and again while four writers commit: each
    run reports the chain intact (one that read the head after the rows
    once took a commit in between for a missing row)."""
    stop, fails, made = threading.Event(), [], [0]
    tok = uniq("VW")

    def writer(t):
        i = 0
        while not stop.is_set():
            r = ctx.h.post("/vendors", {"name": "%s %d-%d" % (tok, t, i)})
            if r.status != 201:
                fails.append(r.brief()[:160])
                return
            made[0] += 1
            i += 1

    ws = [threading.Thread(target=writer, args=(t,)) for t in range(4)]
    for w in ws:
        w.start()
    outs = []
    try:
        for _ in range(30):
            outs.append(tool(ctx, "verify-audit-log"))
    finally:
        stop.set()
        for w in ws:
            w.join(60)
    check(not fails, "writers: %s" % fails[:2])
    bad = [o.strip() for rc, o in outs if rc != 0 or "audit log ok" not in o]
    check(not bad, "%d of 30 runs during %d writes said: %s" % (len(bad), made[0], bad[:2]))
    check(made[0] > 0, "no write committed while verifying")
    return "30 runs during %d writes, all intact" % made[0]


@REG.test("verify_audit_log_finds_a_row_past_the_head")
def t_verify_row_past_head(ctx):
    create(ctx, {"name": uniq("VP")})
    last = int(ctx.db.scalar("SELECT MAX(id) FROM vr_audit_log"))
    ctx.db.run("INSERT INTO vr_audit_log (id, at, actor, action, entity, entity_id, before_json, "
               "after_json, request_id, prev_hash, hash) SELECT id + 1, at, 'mallory', action, entity, "
               "entity_id, before_json, after_json, request_id, hash, hash FROM vr_audit_log "
               "WHERE id = %d" % last)
    try:
        rc, out = tool(ctx, "verify-audit-log")
        eq(rc, 1, "exit status with row %d added by hand (%s)" % (last + 1, out.strip()))
        check("BROKEN at row %d" % (last + 1) in out and "past the chain head" in out,
              "want 'BROKEN at row %d ... past the chain head' in %r" % (last + 1, out.strip()))
    finally:
        ctx.db.run("DROP TRIGGER vr_audit_log_no_delete")
        ctx.db.run("DELETE FROM vr_audit_log WHERE id = %d" % (last + 1))
        ctx.db.run(NO_DELETE)
    rc, out = tool(ctx, "verify-audit-log")
    eq(rc, 0, "exit status after removing it (%s)" % out.strip())
    p = ctx.db.run("DELETE FROM vr_audit_log WHERE id = %d" % last, check_rc=False)
    check(p.returncode != 0, "delete trigger not back: DELETE succeeded")


@REG.test("check_config_ok_and_bad")
def t_check_config(ctx):
    rc, out = tool(ctx, "check-config")
    eq(rc, 0, "check-config of the running config (%s)" % out.strip())
    with open(ctx.config) as f:
        good = f.read()
    for name, text in (("unknown_directive", good + "\nno_such_directive 1\n"),
                       ("bad_threads", good + "\nthreads 0\n"),
                       ("bad_role", good + "\ngroup_role weird superuser\n")):
        with tempfile.NamedTemporaryFile("w", suffix=".conf", delete=False) as t:
            t.write(text)
        try:
            rc, out = tool(ctx, "check-config", config=t.name)
            check(rc != 0, "check-config accepted a config with %s: %r" % (name, out.strip()))
        finally:
            os.unlink(t.name)


# --- identity ----------------------------------------------------------------------------------

SPOOF = [{"X-Remote-User": "admin1"}, {"Remote-User": "admin1"}, {"X-Forwarded-User": "admin1"},
         {"VR-User": "admin1", "VR-Groups": "admins"}, {"X-User": "admin1"},
         {"X-Remote-User": "admin1", "Remote-User": "admin1", "X-Forwarded-User": "admin1",
          "X-Forwarded-Groups": "admins", "X-Remote-Groups": "admins"}]


@REG.test("spoofed_identity_headers_do_not_grant_admin", quick=True)
def t_spoof(ctx):
    before = ctx.db.counts()
    for h in (SPOOF if not ctx.quick else SPOOF[-1:]):
        r = ctx.h.post("/vendors", {"name": uniq("Sp")}, user="auditor1", headers=h)
        problem(r, 403, "forbidden")
    eq(ctx.db.counts(), before, "rows")


@REG.test("spoofed_headers_requester_cannot_set_status")
def t_spoof_status(ctx):
    v = create(ctx, {"name": uniq("Sps")})
    r = ctx.h.patch("/vendors/%d" % v["id"], {"version": 1, "status": "approved"}, headers=SPOOF[-1])
    problem(r, 403, "admin_only")
    r = ctx.h.post("/vendors", {"name": uniq("Spa")}, headers=SPOOF[-1])
    eq(r.status, 201, "create (%s)" % r.brief())
    eq(r.json()["created_by"], "requester1", "created_by is the authenticated user")


@REG.test("wrong_password_401")
def t_badpw(ctx):
    r = ctx.h.get("/vendors", password="wrong")
    eq(r.status, 401, "status")


NOAUTH_ROUTES = [
    ("GET", "/vendors", None), ("POST", "/vendors", {"name": "x"}), ("GET", "/vendors/1", None),
    ("PATCH", "/vendors/1", {"version": 1}), ("GET", "/events", None), ("GET", "/events?after=0", None),
    ("GET", "/audit-log?entity=vendor:1", None), ("GET", "/vendors?status=approved", None),
]

for _i, (_m, _p, _b) in enumerate(NOAUTH_ROUTES):
    def _f(ctx, m=_m, p=_p, b=_b):
        before = ctx.db.counts()
        r = ctx.h.request(m, p, body=b, noauth=True)
        problem(r, 401, "unauthenticated")
        r = ctx.h.request(m, p, body=b, noauth=True, accept=XML, headers=SPOOF[-1])
        problem(r, 401, "unauthenticated", fmt="xml")
        eq(ctx.db.counts(), before, "rows")
    REG.add("noauth_401_%d_%s_%s" % (_i, _m, _p.strip("/").split("?")[0].replace("/", "_")), _f,
            quick=(_m, _p) == ("POST", "/vendors"))


@REG.test("noauth_401_with_spoofed_headers")
def t_noauth_spoof(ctx):
    for h in SPOOF:
        r = ctx.h.post("/vendors", {"name": uniq("NS")}, noauth=True, headers=h)
        problem(r, 401, "unauthenticated")


# --- concurrency ------------------------------------------------------------------------------------

@REG.test("race_patch_same_version_one_wins", quick=True)
def t_race(ctx):
    rounds = 2 if ctx.quick else 10
    v = create(ctx, {"name": uniq("Race")})
    vid, version = v["id"], 1
    for rnd in range(rounds):
        barrier = threading.Barrier(2)
        res = [None, None]

        def go(i):
            barrier.wait()
            res[i] = ctx.h.patch("/vendors/%d" % vid, {"version": version, "address": "r%d-%d" % (rnd, i)},
                                 user=("requester1", "admin1")[i])
        ts = [threading.Thread(target=go, args=(i,)) for i in range(2)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        sts = sorted(r.status for r in res)
        eq(sts, [200, 409], "round %d statuses" % rnd)
        loser = res[0] if res[0].status == 409 else res[1]
        winner = res[1] if loser is res[0] else res[0]
        problem(loser, 409, "stale_version", "version")
        eq(winner.json()["version"], version + 1, "winner's version")
        version += 1
    g = get(ctx, vid)
    eq(g["version"], rounds + 1, "final version")
    eq(len(audit_of(ctx, vid)), rounds + 1, "audit rows")


@REG.test("concurrent_posts_events_gapless")
def t_concurrent_posts(ctx):
    threads, per = 8, 10
    last = ctx.db.max_event()
    tok = uniq("Cc").replace("-", "")
    results = []
    errors = []
    lock = threading.Lock()
    seen = []          # ids a concurrent reader saw, in order
    stop = threading.Event()
    reader_err = []

    abort = threading.Event()   # first failure: stop writing (bounds the run)

    def writer(t):
        for i in range(per):
            if abort.is_set():
                return
            try:
                r = ctx.h.post("/vendors", {"name": "%s %d-%d" % (tok, t, i),
                                            "personal_data": random.choice(["none", "le_1000"])})
            except Failure as e:
                abort.set()
                with lock:
                    errors.append(str(e))
                return
            with lock:
                results.append(r)
            if r.status != 201:
                abort.set()

    def reader():
        after = last
        try:
            while True:
                done = stop.is_set()
                b = events_after(ctx, after, limit=7)
                for e in b["items"]:
                    seen.append(e["id"])
                    after = e["id"]
                if (done and not b["items"]) or abort.is_set():
                    return
        except Exception as e:  # reported below
            reader_err.append(e)

    rt = threading.Thread(target=reader)
    rt.start()
    ws = [threading.Thread(target=writer, args=(t,)) for t in range(threads)]
    for w in ws:
        w.start()
    for w in ws:
        w.join()
    stop.set()
    rt.join(120)
    bad = [r.brief()[:160] for r in results if r.status != 201] + errors
    check(not bad, "%d POSTs failed (writers stopped at the first): %s" % (len(bad), bad[:3]))
    ids = {r.json()["id"] for r in results}
    eq(len(ids), threads * per, "distinct vendor ids")
    evs = all_events_after(ctx, last)
    eq([e["id"] for e in evs], list(range(last + 1, last + 1 + threads * per)), "event ids (no gaps, no duplicates)")
    eq(sorted(e["entity_id"] for e in evs), sorted(ids), "one event per vendor")
    check(all(e["type"] == "vendor.created" for e in evs), "event types")
    aids = [e["audit_id"] for e in evs]
    eq(len(set(aids)), len(aids), "audit ids distinct")
    rows = ctx.db.rows("SELECT id, entity_id FROM vr_audit_log WHERE id IN (%s)" % ",".join(map(str, aids)))
    eq(sorted((int(a), int(b)) for a, b in rows), sorted((e["audit_id"], e["entity_id"]) for e in evs),
       "audit rows of the events")
    eq(aids, sorted(aids), "audit ids in event order")
    check(not reader_err, "reader failed: %s" % (reader_err[:1],))
    eq(seen, list(range(last + 1, last + 1 + threads * per)), "ids a reader polling during the writes saw")
    rc, out = tool(ctx, "verify-audit-log") if ctx.binary and ctx.config else (0, "audit log ok")
    eq(rc, 0, "verify-audit-log after the burst (%s)" % out.strip())


# --- JSONTestSuite n_ files ---------------------------------------------------------------------------

CORPUS = os.path.join(REPO, "tests", "corpus", "JSONTestSuite", "test_parsing")


def corpus_files():
    try:
        return sorted(f for f in os.listdir(CORPUS) if f.startswith("n_") and f.endswith(".json"))
    except OSError:
        return []


def register_corpus(quick):
    files = corpus_files()
    if not files:
        def _missing(ctx):
            raise Failure("no n_*.json files under %s" % CORPUS)
        REG.add("jsontestsuite_corpus_present", _missing, quick=True)
        return
    sample = set(random.Random(7).sample(files, min(10, len(files))))
    for f in files:
        def _f(ctx, f=f):
            with open(os.path.join(CORPUS, f), "rb") as fh:
                body = fh.read()
            before = ctx.db.counts()
            r = ctx.h.post("/vendors", body, ctype="application/json")
            check(r.status in (400, 422), "want 400 or 422, got %s" % r.brief())
            problem(r, r.status)
            eq(ctx.db.counts(), before, "rows after a refused body")
        REG.add("jsontestsuite_" + f[:-5], _f, quick=f in sample)


# --- the long poll ----------------------------------------------------------------------------

@REG.test("events_long_poll", quick=True)
def t_events_long_poll(ctx):
    import time
    last = ctx.db.max_event()
    # Nothing comes: an empty page once the time is up, not before.
    t0 = time.monotonic()
    r = ctx.h.get("/events?after=%d&wait=1" % last, user="auditor1")
    waited = time.monotonic() - t0
    eq(r.status, 200, "wait=1 with nothing new (%s)" % r.brief())
    eq(r.json()["items"], [], "wait=1: items")
    check(waited >= 0.8, "wait=1 answered after %.2f s, before its time" % waited)
    # Hosts waiting at once; a write wakes every one, and meanwhile a
    # plain GET is served (waiters hold no worker thread).
    n = 24
    got = [None] * n
    done = [None] * n

    def waiter(i):
        got[i] = ctx.h.get("/events?after=%d&wait=20" % last, user="auditor1")
        done[i] = time.monotonic()
    ts = [threading.Thread(target=waiter, args=(i,)) for i in range(n)]
    for t in ts:
        t.start()
    time.sleep(0.8)
    g = ctx.h.get("/vendors?limit=1")
    eq(g.status, 200, "GET /vendors beside %d waiters (%s)" % (n, g.brief()))
    check(all(d is None for d in done), "a waiter returned before any event")
    t_write = time.monotonic()
    c = ctx.h.post("/vendors", {"name": uniq("LongPoll")})
    eq(c.status, 201, "create")
    for t in ts:
        t.join(30)
    for i, w in enumerate(got):
        check(w is not None and w.status == 200, "waiter %d: %s" % (i, w.brief() if w else "no answer"))
        items = w.json()["items"]
        check(items and items[0]["type"] == "vendor.created" and
              items[0]["entity_id"] == c.json()["id"], "waiter %d got %r" % (i, items[:1]))
    slowest = max(done) - t_write
    check(slowest < 10, "the slowest waiter woke %.1f s after the write" % slowest)
    # Events already there: answered at once, wait or not.
    r = ctx.h.get("/events?after=%d&wait=20" % last, user="auditor1")
    eq(len(r.json()["items"]) >= 1, True, "events after last with wait")
    for bad in ("51", "-1", "x"):
        problem(ctx.h.get("/events?after=%d&wait=%s" % (last, bad), user="auditor1"), 400,
                "invalid_parameter", "wait")
