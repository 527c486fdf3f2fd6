#!/usr/bin/python3
"""vendor-review fault suite: soak, kill -9, MariaDB restart, locks, identity, bad peers.

    /usr/bin/python3 tests/fault/run.py --repo /work/main \\
        --instance-dir run/test \\
        --base http://127.0.0.1:8090/vendor-review/api \\
        --noauth-base http://127.0.0.1:8091/vendor-review/api \\
        --mysql "mariadb -S run/test/mysqld.sock -u root intranet" \\
        --config run/test/vendor-review.conf [--full] [--only NAME,NAME...]

Runs against a stack that is already up (scripts/lib.sh's instance under
--instance-dir); kills and restarts its plugin and its MariaDB through
scripts/lib.sh and leaves everything running and healthy.  One line per
test, "ok NAME (...)" or "FAIL NAME: reason"; the last line is
"fault: N passed, N failed"; exit status 1 when anything failed.  Default
(CI) mode takes well under 90 s; --full runs the long versions (a 5-minute
soak, longer outages).  Loopback only; every loop is bounded in count and
time.  Standard library only.
"""

import argparse
import json
import os
import random
import re
import secrets
import subprocess
import sys
import threading
import time
import urllib.parse

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from faultlib import (Failure, check, Client, Db, Session, Stack, is_problem,  # noqa: E402
                      config_number, consistency, lock_wait_timeout, rss_kb, proc_alive,
                      run_check)
from streams import t_malformed_streams, t_reload, t_worker_killed  # noqa: E402

NAMES_JA = ["テスト商事", "山田製作所", "東都システム", "さくら物流", "富士データ"]
NAMES_EN = ["Acme Trading", "Blue Ocean IT", "Kanto Logistics", "Nippon Print", "Zen Data"]
DB_DOWN_CODES = ("database_unavailable", "commit_unknown")


class Ctx:
    pass


def vendor_body(tag, i):
    return {"name": "%s %s %d" % (tag, random.choice(NAMES_JA + NAMES_EN), i),
            "personal_data": random.choice(["none", "le_100000"]),
            "confidential_data": random.random() < 0.5}


def log_context(ctx, since):
    lines = ctx.stack.plugin_log_tail(since, 8)
    return (" | plugin log: " + " / ".join(lines)) if lines else ""


def summarize(resps, limit=3):
    return "; ".join(r.brief() for r in resps[:limit])


# --- 1. soak --------------------------------------------------------------------------

def t_soak(ctx):
    dur = 300.0 if ctx.full else 15.0
    conns = 32
    base_at = 60.0 if ctx.full else dur / 5
    tag = "Soak-" + secrets.token_hex(3)
    pid = ctx.stack.plugin_pid()
    check(pid and proc_alive(pid), "no live plugin before the soak")
    logpos = ctx.stack.plugin_log_size()
    results = [[] for _ in range(conns)]       # (op, status, brief-if-bad)
    shared = [int(x[0]) for x in ctx.db.rows("SELECT id FROM vr_vendors ORDER BY id DESC LIMIT 200")]
    max_ev = [int(ctx.db.scalar("SELECT COALESCE(MAX(id),0) FROM vr_events"))]
    t_start = time.monotonic()
    deadline = t_start + dur
    stop = threading.Event()

    def worker(w):
        c = Client(ctx.stack.base, timeout=30)
        own = {}                                 # id -> version
        rnd = random.Random(w)
        out = results[w]
        n = 0
        while time.monotonic() < deadline and not stop.is_set() and n < 2000000:
            n += 1
            x = rnd.random()
            if not own or x < 0.10:
                op = "post"
                r = c.post("/vendors", vendor_body("%s-%d" % (tag, w), n))
                if r.status == 201:
                    v = r.json()
                    own[v["id"]] = v["version"]
            elif x < 0.30:
                op = "patch"
                vid = rnd.choice(list(own))
                r = c.patch("/vendors/%d" % vid, {"version": own[vid],
                                                  "address": "%s 東京都 %d" % (tag, n)})
                if r.status == 200:
                    own[vid] = r.json()["version"]
            elif x < 0.65:
                op = "get"
                pool = list(own) + shared
                r = c.get("/vendors/%d" % rnd.choice(pool),
                          user=rnd.choice(["requester1", "reviewer1", "auditor1"]))
            elif x < 0.85:
                op = "list"
                qv = rnd.choice(["%s-%d" % (tag, w), tag, "テスト", "Data"])
                r = c.get("/vendors?limit=50&q=" + urllib_quote(qv), user="reviewer1")
            else:
                op = "events"
                r = c.get("/events?limit=100&after=%d" % max(0, max_ev[0] - rnd.randint(0, 300)),
                          user="auditor1")
                if r.status == 200:
                    items = r.json().get("items") or []
                    if items:
                        max_ev[0] = max(max_ev[0], items[-1]["id"])
            out.append((op, r.status, None if r.ok() else r.brief()))
        c.close()

    rss = []

    def sampler():
        while not stop.is_set() and time.monotonic() < deadline + 1:
            rss.append((time.monotonic() - t_start, rss_kb(pid)))
            stop.wait(0.5)

    ths = [threading.Thread(target=worker, args=(w,), daemon=True) for w in range(conns)]
    st = threading.Thread(target=sampler, daemon=True)
    st.start()
    for t in ths:
        t.start()
    for t in ths:
        t.join(timeout=dur + 60)
    stop.set()
    st.join(timeout=5)
    elapsed = time.monotonic() - t_start
    check(not any(t.is_alive() for t in ths), "soak workers still running 60 s after the end")
    allr = [x for out in results for x in out]
    total = len(allr)
    by_status = {}
    for op, s, _ in allr:
        by_status[s] = by_status.get(s, 0) + 1
    fives = [b for _, s, b in allr if s is not None and s >= 500]
    none = [b for _, s, b in allr if s is None]
    other = [b for _, s, b in allr if s is not None and not 200 <= s < 300 and s < 500]
    check(proc_alive(pid) and ctx.stack.plugin_pid() == pid,
          "plugin (pid %d) died during the soak%s" % (pid, log_context(ctx, logpos)))
    check(not fives, "%d of %d answers were 5xx (statuses %r), first: %s%s"
          % (len(fives), total, by_status, "; ".join(fives[:3]), log_context(ctx, logpos)))
    check(not none, "%d of %d requests got no answer, first: %s" % (len(none), total, "; ".join(none[:3])))
    check(not other, "%d of %d valid requests were refused (statuses %r), first: %s"
          % (len(other), total, by_status, "; ".join(other[:3])))
    # Memory: the sample nearest the end of the first fifth (full: minute 1)
    # against the last one.
    good = [(t, k) for t, k in rss if k]
    check(len(good) >= 3, "too few RSS samples of pid %d: %r" % (pid, rss))
    first = min(good, key=lambda s: abs(s[0] - base_at))
    last = good[-1]
    growth = (last[1] - first[1]) / float(first[1])
    check(abs(growth) <= 0.10, "plugin RSS %d kB at %.0f s -> %d kB at %.0f s (%+.1f%%, limit 10%%)"
          % (first[1], first[0], last[1], last[0], 100 * growth))
    ops = {}
    for op, _, _ in allr:
        ops[op] = ops.get(op, 0) + 1
    return ("%d conns, %.0f s, %d requests (%.0f/s; %s), 0 errors, RSS %d kB at %.0f s -> %d kB at %.0f s (%+.1f%%)"
            % (conns, elapsed, total, total / elapsed,
               " ".join("%s %d" % kv for kv in sorted(ops.items())),
               first[1], first[0], last[1], last[0], 100 * growth))


def urllib_quote(s):
    return urllib.parse.quote(s, safe="")


# --- 2. kill -9 during writes ---------------------------------------------------------------

def kill_round(ctx, rno, run_before=2.0, nthreads=8):
    """Writers for run_before s, SIGKILL of the plugin, restart; checks
    that every acknowledged write is in the database."""
    tag = "Kill-%s-%d" % (secrets.token_hex(3), rno)
    logpos = ctx.stack.plugin_log_size()
    acked = []                  # (vid, version, op, t1)
    answers = []                # every Resp
    lock = threading.Lock()
    stop = threading.Event()
    t_end = time.monotonic() + run_before + 15

    def worker(w):
        c = Client(ctx.stack.base, timeout=20, keepalive=False)
        own = {}
        rnd = random.Random(1000 * rno + w)
        n = 0
        while not stop.is_set() and time.monotonic() < t_end and n < 100000:
            n += 1
            if not own or rnd.random() < 0.4:
                r = c.post("/vendors", vendor_body("%s-%d" % (tag, w), n))
                op = "POST"
            else:
                vid = rnd.choice(list(own))
                r = c.patch("/vendors/%d" % vid, {"version": own[vid], "address": "%s %d" % (tag, n),
                                                  "system_access": rnd.random() < 0.5})
                op = "PATCH"
            with lock:
                answers.append(r)
            if r.ok():
                v = r.json()
                own[v["id"]] = v["version"]
                with lock:
                    acked.append((v["id"], v["version"], op, r.t1))
            elif r.status is None or r.status >= 500:
                time.sleep(0.05)    # plugin gone: do not spin

    ths = [threading.Thread(target=worker, args=(w,), daemon=True) for w in range(nthreads)]
    for t in ths:
        t.start()
    time.sleep(run_before)
    t_kill = time.monotonic()
    pid = ctx.stack.kill_plugin()
    time.sleep(0.5)             # writes keep coming at the dead plugin
    stop.set()
    for t in ths:
        t.join(timeout=30)
    check(not any(t.is_alive() for t in ths), "writer threads hung after the kill")
    ctx.stack.start_plugin()
    newpid = ctx.stack.plugin_pid()
    # Answers that ended before the kill must all be 2xx; none at all may be 500.
    before = [r for r in answers if r.t1 < t_kill]
    bad_before = [r for r in before if not r.ok()]
    check(not bad_before, "round %d: %d writes before the kill were not 2xx: %s%s"
          % (rno, len(bad_before), summarize(bad_before), log_context(ctx, logpos)))
    before = [r for r in answers if r.t1 is not None and r.t1 < t_kill]
    refused = [r for r in answers if r.t1 is not None and r.t1 >= t_kill and not r.ok()]
    check(before and refused, "the kill fell mid-flow: %d answers before it, %d refused"
          " after it" % (len(before), len(refused)))
    five00 = [r for r in answers if r.status == 500]
    check(not five00, "round %d: 500 answers: %s" % (rno, summarize(five00)))
    n_ok = len(acked)
    check(n_ok >= 10, "round %d: only %d writes acknowledged in %.1f s before the kill"
          % (rno, n_ok, run_before))
    # Every acknowledged write is in the database.
    want = {}
    for vid, ver, _, _ in acked:
        want[vid] = max(want.get(vid, 0), ver)
    have = {}
    ids = sorted(want)
    for i in range(0, len(ids), 500):
        for vid, ver in ctx.db.rows("SELECT id, version FROM vr_vendors WHERE id IN (%s)"
                                    % ",".join(str(x) for x in ids[i:i + 500])):
            have[int(vid)] = int(ver)
    lost = ["vendor %d: acknowledged version %d, database has %s" % (vid, ver, have.get(vid, "no row"))
            for vid, ver in sorted(want.items()) if have.get(vid, 0) < ver]
    check(not lost, "round %d: %d acknowledged writes lost: %s%s"
          % (rno, len(lost), "; ".join(lost[:5]), log_context(ctx, logpos)))
    after = [r for r in answers if r.t1 >= t_kill]
    return n_ok, pid, newpid, len(after), set(r.status for r in after)


def t_kill9(ctx):
    rounds = 5 if ctx.full else 1
    n_ok, statuses, pids = 0, set(), []
    for rno in range(1, rounds + 1):
        n, pid, newpid, _, st = kill_round(ctx, rno)
        n_ok += n
        statuses |= st
        pids.append("%d->%s" % (pid, newpid))
    summary = consistency(ctx.stack, ctx.db)
    return ("%d round(s), 8 writers, kill -9 after 2 s (pids %s): %d writes acknowledged, all in the"
            " database; answers in flight/after the kill: %s; %s"
            % (rounds, " ".join(pids), n_ok, sorted(statuses, key=str), summary))


# --- 2b. kill -9 during transitions and answer saves ----------------------------------------

FLOW = [("requester1", "submit"), ("reviewer1", "complete_review"), ("approver1", "approve")]


def best_answers(case):
    out = []
    for q in case["questions"]:
        t = q["type"]
        v = {"yes_no": "yes", "number": 1, "date": "2026-04-01", "text": "x"}.get(t)
        if t == "single_choice":
            v = max(q["options"], key=lambda o: o["score"])["code"]
        elif t == "multiple_choice":
            v = [max(q["options"], key=lambda o: o["score"])["code"]]
        out.append({"question": q["code"], "value": v})
    return out


def case_consistency(ctx, ids):
    """No case is half-transitioned: its row, its last audit image, its
    events and its vendor agree."""
    bad = []
    for cid in ids:
        state, vid, ver = ctx.db.rows("SELECT state, vendor_id, version FROM vr_assessments"
                                      " WHERE id=%d" % cid)[0]
        rows = ctx.db.rows("SELECT id, action, HEX(after_json) FROM vr_audit_log WHERE"
                           " entity='assessment' AND entity_id=%d ORDER BY id" % cid)
        last = json.loads(bytes.fromhex(rows[-1][2]).decode()) if rows else {}
        if (last.get("state"), last.get("version")) != (state, int(ver)):
            bad.append("case %d is %s v%s, its last audit row says %s v%s"
                       % (cid, state, ver, last.get("state"), last.get("version")))
        approved = [r for r in rows if r[1] == "onboarding.approve"]
        vstatus = ctx.db.scalar("SELECT status FROM vr_vendors WHERE id=%s" % vid)
        if bool(approved) != (state == "approved") or (state == "approved") != (vstatus == "approved"):
            bad.append("case %d is %s, vendor %s is %s, approve rows %d"
                       % (cid, state, vid, vstatus, len(approved)))
        if approved:
            aid = int(approved[0][0])
            nxt = ctx.db.rows("SELECT action, entity, entity_id FROM vr_audit_log WHERE id=%d"
                              % (aid + 1))
            if nxt != [["vendor.approved", "vendor", str(vid)]]:
                bad.append("case %d: the approval's vendor row is not next to it: %r" % (cid, nxt))
    check(not bad, "%d case(s) inconsistent: %s" % (len(bad), "; ".join(bad[:3])))


def import_template(ctx, name):
    p = subprocess.run([ctx.stack.binary, "-c", ctx.stack.config, "import-template",
                        os.path.join(ctx.stack.repo, "plugin-manifests", "templates", name)],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=60)
    check(p.returncode == 0, "import-template %s: %s" % (name, p.stdout.decode()[-300:]))


def flow_under_fault(ctx, tag, fault):
    """Answers and transitions keep coming while fault() breaks the stack:
    every 2xx is kept and no case is half-transitioned.  fault() returns
    (what it did, the monotonic time the break began)."""
    import_template(ctx, "onboarding.xml")
    tag = "%s-%s" % (tag, secrets.token_hex(3))
    cases = []
    acked = {}                  # case id -> highest acknowledged version
    answers = []
    lock = threading.Lock()
    moved = threading.Event()   # enough transitions acknowledged: time for the fault
    faulted = threading.Event()  # the fault is over
    n_moves = [0]
    hard_end = time.monotonic() + 90
    max_cases = 200

    def record(r, cid=None):
        with lock:
            answers.append(r)
            if r.ok() and cid is not None:
                acked[cid] = max(acked.get(cid, 0), r.json()["version"])

    def new_case(cl):
        while time.monotonic() < hard_end:
            with lock:
                if len(cases) >= max_cases:
                    return None
            r = cl.post("/vendors", {"name": "%s-%d" % (tag, len(cases))})
            if r.ok():
                r = cl.post("/assessments", {"kind": "onboarding", "vendor_id": r.json()["id"]})
            if r.ok():
                with lock:
                    cases.append(r.json())
                return r.json()
            if faulted.is_set() and r.status is not None and r.status < 500:
                raise Failure("new case after the fault: %s" % r.brief())
            time.sleep(0.1)
        return None

    # One case: its answers saved (twice, unless prepared), then submit,
    # complete_review, approve.  After a 5xx, no answer or a 409 it reads
    # back what did commit (a 503 commit_unknown may have) and goes on.
    def run_case(cl, case):
        body = {"answers": best_answers(case)}
        cid, step, version, saves = case["id"], 0, case["version"], case.get("saves", 2)
        while step < len(FLOW) and time.monotonic() < hard_end:
            if saves > 0:
                r = cl.request("PUT", "/assessments/%d/answers" % cid, body)
            else:
                user, action = FLOW[step]
                r = cl.post("/assessments/%d/transitions" % cid,
                            {"action": action, "version": version}, user=user)
            record(r, cid)
            if r.ok():
                version = r.json()["version"]
                if saves > 0:
                    saves -= 1
                else:
                    step += 1
                    with lock:
                        n_moves[0] += 1
                        if n_moves[0] >= 12:
                            moved.set()
            elif r.status is None or r.status >= 500 or r.status == 409:
                time.sleep(0.1)
                g = cl.get("/assessments/%d" % cid)
                if g.ok():
                    version = g.json()["version"]
                    st = g.json()["state"]
                    step = {"draft": 0, "submitted": 1, "reviewed": 2}.get(st, len(FLOW))
                    if g.json()["answered"] == g.json()["required"]:
                        saves = 0
            else:
                raise Failure("case %d: %s" % (cid, r.brief()))

    # Two threads re-save the answers of one case until the fault is over.
    # Four take prepared cases (answers saved) through their transitions,
    # and start new ones only once those run out, so that answer saves and
    # transitions are both in flight when the fault falls.  Then each
    # thread takes its case to approved.
    errors = []
    prepared = []
    cl0 = Client(ctx.stack.base, timeout=20, keepalive=False)
    for _ in range(60 if ctx.full else 40):
        case = new_case(cl0)
        check(case, "could not start a case")
        r = cl0.request("PUT", "/assessments/%d/answers" % case["id"],
                        {"answers": best_answers(case)})
        check(r.ok(), "answers: %s" % r.brief())
        case.update(version=r.json()["version"], saves=0)
        prepared.append(case)

    def next_case(cl):
        with lock:
            if prepared:
                return prepared.pop()
        return new_case(cl) if not faulted.is_set() else None

    def worker(churn):
        try:
            cl = Client(ctx.stack.base, timeout=20, keepalive=False)
            case = new_case(cl) if churn else next_case(cl)
            while churn and case and not faulted.is_set() and time.monotonic() < hard_end:
                r = cl.request("PUT", "/assessments/%d/answers" % case["id"],
                               {"answers": best_answers(case)})
                record(r, case["id"])
                if not r.ok():
                    time.sleep(0.1)
            while case:
                run_case(cl, case)
                case = next_case(cl)
        except Failure as e:
            errors.append(str(e))

    ths = [threading.Thread(target=worker, args=(w < 2,), daemon=True) for w in range(6)]
    for t in ths:
        t.start()
    moved.wait(30)
    try:
        what, t_fault = fault()
    finally:
        ctx.stack.ensure_up()
        faulted.set()
    for t in ths:
        t.join(timeout=100)
    check(not any(t.is_alive() for t in ths), "case workers hung")
    check(not errors, "refused: %s" % "; ".join(errors[:3]))
    before = [r for r in answers if r.t1 is not None and r.t1 < t_fault]
    refused = [r for r in answers if r.t1 is not None and r.t1 >= t_fault and not r.ok()]
    check(before and refused, "the fault fell mid-flow: %d answers before it, %d refused"
          " after it" % (len(before), len(refused)))
    kinds = {r.method for r in refused}
    check(kinds == {"PUT", "POST"}, "the fault refused only %s: want answer saves and"
          " transitions both" % sorted(kinds))
    five00 = [r for r in answers if r.status == 500]
    check(not five00, "500 answers: %s" % summarize(five00))
    lost = []
    for cid, ver in sorted(acked.items()):
        have = int(ctx.db.scalar("SELECT version FROM vr_assessments WHERE id=%d" % cid))
        if have < ver:
            lost.append("case %d: acknowledged version %d, database has %d" % (cid, ver, have))
    check(not lost, "acknowledged writes lost: %s" % "; ".join(lost[:5]))
    ids = [k["id"] for k in cases]
    case_consistency(ctx, ids)
    done = int(ctx.db.scalar("SELECT COUNT(*) FROM vr_assessments WHERE state='approved' AND id IN (%s)"
                             % ",".join(str(i) for i in ids)))
    check(done == len(cases), "only %d of %d cases reached approved after the fault"
          % (done, len(cases)))
    codes = {}
    for r in refused:
        codes["%s %s" % (r.status, r.code() if r.status else "")] = codes.get(
            "%s %s" % (r.status, r.code() if r.status else ""), 0) + 1
    summary = consistency(ctx.stack, ctx.db)
    return ("%d cases, %s mid-flow: %d answers (%d before it, %d refused after it: %s),"
            " every acknowledged write kept, all %d cases approved afterwards; cases"
            " consistent; %s" % (len(cases), what, len(answers), len(before), len(refused),
                                 codes, done, summary))


def kill9_fault(ctx):
    """A fault for the *_under_fault flows: SIGKILL of the plugin, restart."""
    def fault():
        pid = ctx.stack.kill_plugin()
        t = time.monotonic()
        time.sleep(0.3)
        ctx.stack.start_plugin()
        return "kill -9 of pid %d" % pid, t
    return fault


def db_restart_fault(ctx):
    """A fault for the *_under_fault flows: MariaDB stopped 2 s, started;
    the plugin must keep its pid."""
    def fault():
        pid = ctx.stack.plugin_pid()
        t = time.monotonic()
        ctx.stack.stop_db()
        time.sleep(2.0)
        ctx.stack.start_db()
        check(ctx.stack.plugin_pid() == pid, "the plugin did not survive the MariaDB restart")
        return "a MariaDB stop (2 s outage) and start", t
    return fault


def t_kill9_transitions(ctx):
    return flow_under_fault(ctx, "KillCase", kill9_fault(ctx))


def t_mariadb_restart_transitions(ctx):
    return flow_under_fault(ctx, "DbCase", db_restart_fault(ctx))


# --- 2b'. incidents and subcontracts through their workflows under a fault ----------------

def records_under_fault(ctx, fault, entity, table, make, steps, final):
    """Records of one resource taken through their steps by 4 workers
    while fault() breaks the stack: every acknowledged version is kept,
    and each record's row is its last audit image.  make(cl, w, k) gives
    worker w's k-th record (None: no more); steps are (body, done) pairs,
    body(record) -> (method, path, json, user), done(record) -> whether a
    re-read shows the step committed.  fault() returns (what, when)."""
    acked, answers, lock = {}, [], threading.Lock()
    hard_end = time.monotonic() + 60
    started = threading.Event()
    errors = []

    def note(r):
        with lock:
            answers.append(r)
            if r.ok():
                acked[r.json()["id"]] = max(acked.get(r.json()["id"], 0), r.json()["version"])
                if len(answers) >= 40:
                    started.set()

    # One step: sent until it is acknowledged, or until a re-read shows
    # that a try the fault cut off did commit.
    def step(cl, rec, body, done):
        while time.monotonic() < hard_end:
            r = cl.request(*body(rec))
            note(r)
            if r.ok():
                return r.json()
            if r.status is not None and r.status < 500 and r.status != 409:
                raise Failure("refused: %s" % r.brief())
            time.sleep(0.1)
            g = cl.get("/%ss/%d" % (entity, rec["id"]))
            if g.ok():
                rec = g.json()
                if done(rec):
                    return rec
        raise Failure("no progress before the deadline")

    def worker(w):
        cl = Client(ctx.stack.base, timeout=20, keepalive=False)
        try:
            for k in range(15):
                rec = make(cl, w, k, note, hard_end)
                if rec is None:
                    break
                for body, done in steps:
                    rec = step(cl, rec, body, done)
        except Failure as e:
            errors.append(str(e))

    ths = [threading.Thread(target=worker, args=(w,), daemon=True) for w in range(4)]
    for t in ths:
        t.start()
    started.wait(20)
    try:
        what, t_kill = fault()
    finally:
        ctx.stack.ensure_up()
    for t in ths:
        t.join(timeout=70)
    check(not any(t.is_alive() for t in ths), "%s workers hung" % entity)
    check(not errors, "refused: %s" % "; ".join(errors[:3]))
    refused = [r for r in answers if r.t1 is not None and r.t1 >= t_kill and not r.ok()]
    check(refused, "the fault refused nothing: it fell after the work")
    five00 = [r for r in answers if r.status == 500]
    check(not five00, "500 answers: %s" % summarize(five00))
    bad, ended = [], 0
    for rid, ver in sorted(acked.items()):
        state, have = ctx.db.rows("SELECT state, version FROM %s WHERE id=%d" % (table, rid))[0]
        rows = ctx.db.rows("SELECT HEX(after_json) FROM vr_audit_log WHERE entity='%s'"
                           " AND entity_id=%d ORDER BY id DESC LIMIT 1" % (entity, rid))
        last = json.loads(bytes.fromhex(rows[0][0]).decode())
        if int(have) < ver:
            bad.append("%s %d: acknowledged version %d, database has %s" % (entity, rid, ver, have))
        if (last["state"], last["version"]) != (state, int(have)):
            bad.append("%s %d is %s v%s, its last audit row says %s v%s"
                       % (entity, rid, state, have, last["state"], last["version"]))
        ended += state == final
    check(not bad, "; ".join(bad[:4]))
    check(ended == len(acked), "%d of %d %ss reached %s" % (ended, len(acked), entity, final))
    summary = consistency(ctx.stack, ctx.db)
    return ("%d %ss through their workflow, %s: %d answers, %d refused after it, every"
            " acknowledged version kept, all %s; rows equal their audit images; %s"
            % (len(acked), entity, what, len(answers), len(refused), final, summary))


def transition(entity, action, user, comment=None):
    """A step body: the record's transition at its version."""
    def body(rec):
        b = {"action": action, "version": rec["version"]}
        if comment:
            b["comment"] = comment
        return ("POST", "/%ss/%d/transitions" % (entity, rec["id"]), b, user)
    return body


INCIDENT_ITEMS = ["overview", "personal_data_items", "people_count", "cause", "secondary_harm",
                  "actions_for_people", "publication", "prevention", "other"]


def incidents_under_fault(ctx, fault):
    """Incidents recorded (under the fault too) and taken through their reports."""
    c = Client(ctx.stack.base, timeout=20, keepalive=False)
    r = c.post("/vendors", {"name": "KillInc-%s" % secrets.token_hex(3)})
    check(r.ok(), "vendor: %s" % r.brief())
    vid = r.json()["id"]

    def make(cl, w, k, note, hard_end):
        r = None
        while r is None or not r.ok():
            r = cl.post("/incidents", {"vendor_id": vid, "aware_on": "2026-03-02",
                                       "data_classes": ["personal_data"],
                                       "people_affected": 1500 + k, "cause": "lost_media"},
                        user="reviewer1")
            note(r)
            if not r.ok():
                time.sleep(0.1)
            if time.monotonic() > hard_end:
                raise Failure("no incident recorded")
        return r.json()

    def known(rec):
        return ("PATCH", "/incidents/%d" % rec["id"],
                {"version": rec["version"], "known_items": INCIDENT_ITEMS}, "reviewer1")

    steps = [(transition("incident", "report_preliminary", "reviewer1"),
              lambda i: i["state"] != "open"),
             (known, lambda i: not i["unknown_items"]),
             (transition("incident", "report_final", "reviewer1"),
              lambda i: i["state"] == "final_reported"),
             (transition("incident", "close", "reviewer1", "fault test"),
              lambda i: i["state"] == "closed")]
    return records_under_fault(ctx, fault, "incident", "vr_incidents", make, steps, "closed")


def t_kill9_incidents(ctx):
    return incidents_under_fault(ctx, kill9_fault(ctx))


def t_mariadb_restart_incidents(ctx):
    return incidents_under_fault(ctx, db_restart_fault(ctx))


FLOW_DOWN = {"equal_obligations": True, "nda_signed": True, "audit_rights": True,
             "parent_responsible": True}


def subcontracts_under_fault(ctx, fault):
    """Subcontracts of one approved parent, each with its subcontractor's
    sheet submitted, taken by their transitions (the sheet attached,
    submit, complete_review, approve) through the fault."""
    import_template(ctx, "onboarding.xml")
    import_template(ctx, "subcontract.xml")
    c = Client(ctx.stack.base, timeout=20)
    tag = secrets.token_hex(3)
    r = c.post("/vendors", {"name": "KillSubTop-%s" % tag, "personal_data": "le_1000"})
    check(r.ok(), "parent: %s" % r.brief())
    r = c.post("/assessments", {"kind": "onboarding", "vendor_id": r.json()["id"]})
    check(r.ok(), "parent's onboarding: %s" % r.brief())
    case = r.json()
    r = c.request("PUT", "/assessments/%d/answers" % case["id"], {"answers": best_answers(case)})
    check(r.ok(), "parent's answers: %s" % r.brief())
    case = r.json()
    for user, action in FLOW:
        r = c.post("/assessments/%d/transitions" % case["id"],
                   {"action": action, "version": case["version"]}, user=user)
        check(r.ok(), "parent's %s: %s" % (action, r.brief()))
        case = r.json()
    parent = case["vendor_id"]
    prepared = {w: [] for w in range(4)}
    sheet_of = {}
    for i in range(60):
        r = c.post("/vendors", {"name": "KillSub-%s-%d" % (tag, i)})
        check(r.ok(), "subcontractor: %s" % r.brief())
        vid = r.json()["id"]
        r = c.post("/assessments", {"kind": "subcontract", "vendor_id": vid})
        check(r.ok(), "sheet: %s" % r.brief())
        sh = r.json()
        r = c.request("PUT", "/assessments/%d/answers" % sh["id"], {"answers": best_answers(sh)})
        check(r.ok(), "sheet answers: %s" % r.brief())
        r = c.post("/assessments/%d/transitions" % sh["id"],
                   {"action": "submit", "version": r.json()["version"]})
        check(r.ok(), "sheet submit: %s" % r.brief())
        r = c.post("/subcontracts", {"parent_vendor_id": parent, "vendor_id": vid,
                                     "scope": "入力業務", "data_classes": ["personal_data"],
                                     "period_end": "2027-03-31", "flow_down": FLOW_DOWN})
        check(r.ok(), "POST /subcontracts: %s" % r.brief())
        prepared[i % 4].append(r.json())
        sheet_of[r.json()["id"]] = sh["id"]

    def make(cl, w, k, note, hard_end):
        return prepared[w].pop() if prepared[w] else None

    def attach(rec):
        return ("PATCH", "/subcontracts/%d" % rec["id"],
                {"version": rec["version"], "assessment_id": sheet_of[rec["id"]]}, "requester1")

    steps = [(attach, lambda s: s.get("assessment_id") is not None),
             (transition("subcontract", "submit", "requester1"), lambda s: s["state"] != "draft"),
             (transition("subcontract", "complete_review", "reviewer1"),
              lambda s: s["state"] in ("reviewed", "approved")),
             (transition("subcontract", "approve", "approver1"),
              lambda s: s["state"] == "approved")]
    return records_under_fault(ctx, fault, "subcontract", "vr_subcontracts", make, steps,
                               "approved")


def t_kill9_subcontracts(ctx):
    return subcontracts_under_fault(ctx, kill9_fault(ctx))


def t_mariadb_restart_subcontracts(ctx):
    return subcontracts_under_fault(ctx, db_restart_fault(ctx))


# --- 2c. the scheduler killed, and run through a MariaDB restart -----------------------------

def t_schedule_faults(ctx):
    """schedule is killed with -9 mid-run, then runs while MariaDB stops:
    run again, every due audit is opened exactly once."""
    import_template(ctx, "periodic_audit.xml")
    ids = [int(x[0]) for x in ctx.db.rows("SELECT id FROM vr_vendors WHERE status='approved'"
                                          " ORDER BY id DESC LIMIT 150")]
    check(len(ids) >= 40, "only %d approved vendors (the transition tests make them)" % len(ids))
    rnd = random.Random()
    for _ in range(50):     # a cycle day no earlier run used
        day = "%04d-%02d-%02d" % (rnd.randint(1990, 2019), rnd.randint(1, 12), rnd.randint(1, 28))
        if ctx.db.scalar("SELECT COUNT(*) FROM vr_assessments WHERE cycle='%s'" % day) == "0":
            break
    c = Client(ctx.stack.base, timeout=20)
    for vid in ids:
        v = c.get("/vendors/%d" % vid, user="admin1").json()
        r = c.patch("/vendors/%d" % vid, {"version": v["version"], "next_audit_due": day},
                    user="admin1")
        check(r.ok(), "move next_audit_due: %s" % r.brief())
    cmd = [ctx.stack.binary, "-c", ctx.stack.config, "schedule", "--as-of", day]
    count = "SELECT COUNT(*) FROM vr_assessments WHERE cycle='%s'" % day

    def opened():
        return int(ctx.db.scalar(count))

    # The run opens audits 50 to a write in vendor order, fast enough to
    # finish between two polls.  So each fault falls while the run waits:
    # an external session holds the last vendor's audit for the cycle (an
    # uncommitted row on the unique key), and the run's last write waits
    # for it.
    def held_run(fault):
        hold = Session(ctx.mysql)
        try:
            hold.q("BEGIN; INSERT INTO vr_assessments (kind, vendor_id, cycle, state,"
                   " template_id, tier, requested_by, created_by, created_at, updated_by,"
                   " updated_at) VALUES ('periodic_audit', %d, '%s', 'draft', 0, 'low', 'fault',"
                   " 'fault', NOW(6), 'fault', NOW(6));" % (max(ids), day))
            check(not hold.errors, "external session: %s" % " ".join(hold.errors)[:200])
            run = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            seen = wait_lock_waiters(ctx, 1, max(1.0, ctx.lock_wait * 0.5))
            check(run.poll() is None, "the run ended (exit %s) before the fault, though the"
                  " last vendor's audit was held" % run.returncode)
            out = fault(hold, run)
        finally:
            hold.close()
        return run, out, "seen waiting" if seen is not None else "after 1 s"

    # 1. kill -9 while it waits; the held row is then rolled back
    def kill9(hold, run):
        run.kill()
        run.wait(timeout=10)
        hold.q("ROLLBACK;")
        return ""

    run1, _, when1 = held_run(kill9)
    n_kill = opened()

    # 2. MariaDB stops while a run waits: the run fails, saying why
    def db_stop(hold, run):
        try:
            ctx.stack.stop_db()
            return run.communicate(timeout=60)[0].decode("utf-8", "replace")
        finally:
            ctx.stack.ensure_up()

    run2, out2, when2 = held_run(db_stop)
    check(run2.returncode != 0 and "database" in out2,
          "a run through a MariaDB stop: exit %s, %s" % (run2.returncode, out2[-300:]))
    n_outage = opened()
    # 3. runs again: each due audit opened once, whatever the two before did
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120)
    out3 = p.stdout.decode("utf-8", "replace")
    check(p.returncode == 0, "schedule after the faults: %s" % out3[-400:])
    per = ctx.db.rows("SELECT vendor_id, COUNT(*) FROM vr_assessments WHERE cycle='%s'"
                      " GROUP BY vendor_id" % day)
    got = {int(v): int(n) for v, n in per}
    check(sorted(got) == sorted(ids) and set(got.values()) == {1},
          "want one audit for each of %d vendors, got %d vendors, counts %s"
          % (len(ids), len(got), sorted(set(got.values()))))
    check(n_kill < len(ids), "%d of %d opened before the kill, though one was held"
          % (n_kill, len(ids)))
    check(n_outage < len(ids), "%d of %d opened before MariaDB stopped, though one was held"
          % (n_outage, len(ids)))
    summary = consistency(ctx.stack, ctx.db)
    return ("%d vendors due %s: %d audits opened before kill -9 (%s), %d when MariaDB stopped (%s)"
            " (exit %s: %s), the rest by a run again; one audit each; %s"
            % (len(ids), day, n_kill, when1, n_outage, when2, run2.returncode,
               (out2.strip().splitlines() or ["-"])[-1][:120], summary))


# --- 3. MariaDB restart under load -----------------------------------------------------------

def t_mariadb_restart(ctx):
    outage = 10.0 if ctx.full else 3.0
    recover_limit = 15.0
    tag = "Db-" + secrets.token_hex(3)
    pid = ctx.stack.plugin_pid()
    logpos = ctx.stack.plugin_log_size()
    answers = []
    lock = threading.Lock()
    stop = threading.Event()
    hard_end = time.monotonic() + outage + recover_limit + 90
    ids = [int(x[0]) for x in ctx.db.rows("SELECT id FROM vr_vendors ORDER BY id DESC LIMIT 50")]
    check(ids, "no vendors to read")

    def worker(w):
        c = Client(ctx.stack.base, timeout=30)
        rnd = random.Random(2000 + w)
        n = 0
        while not stop.is_set() and time.monotonic() < hard_end and n < 200000:
            n += 1
            if rnd.random() < 0.6:
                r = c.get("/vendors/%d" % rnd.choice(ids))
            else:
                r = c.post("/vendors", vendor_body("%s-%d" % (tag, w), n))
            with lock:
                answers.append(r)
            if not r.ok():
                time.sleep(0.02)

    ths = [threading.Thread(target=worker, args=(w,), daemon=True) for w in range(4)]
    for t in ths:
        t.start()
    health_down = None
    try:
        time.sleep(1.0)
        t_stop0 = time.monotonic()
        ctx.stack.stop_db()
        t_stop1 = time.monotonic()
        check(not ctx.stack.db_alive(), "MariaDB still running after vr_mariadb_stop")
        time.sleep(min(1.0, outage / 2))
        health_down = ctx.stack.health()
        time.sleep(max(0.0, outage - min(1.0, outage / 2)))
        t_start0 = time.monotonic()
        ctx.stack.start_db()
        t_start1 = time.monotonic()
        # Load goes on until 2 s of nothing but 2xx (at most recover_limit + 2 s).
        t_recovered = first_ok = None
        while time.monotonic() < t_start1 + recover_limit + 2:
            time.sleep(0.25)
            with lock:
                recent = [r for r in answers if r.t0 >= t_start1]
            bad = [r for r in recent if not r.ok()]
            last_bad = max((r.t1 for r in bad), default=t_start1)
            clean = [r for r in recent if r.t0 > last_bad]
            if time.monotonic() - last_bad >= 2.0 and len(clean) >= 8:
                t_recovered = last_bad
                first_ok = min((r.t1 for r in recent if r.ok()), default=None)
                break
    finally:
        stop.set()
        for t in ths:
            t.join(timeout=40)
        if not ctx.stack.db_alive():
            ctx.stack.start_db()
    check(not any(t.is_alive() for t in ths), "load threads hung")
    # Never a 500, 502 or 504; no request without an answer.
    wrong5 = [r for r in answers if r.status is not None and r.status >= 500 and r.status != 503]
    check(not wrong5, "%d answers were 5xx other than 503: %s%s"
          % (len(wrong5), summarize(wrong5), log_context(ctx, logpos)))
    none = [r for r in answers if r.status is None]
    check(not none, "%d requests got no answer: %s" % (len(none), summarize(none)))
    # Every 503 is a problem document saying the database is the cause.
    bad503 = [r for r in answers if r.status == 503 and not is_problem(r, 503, DB_DOWN_CODES)]
    check(not bad503, "503 answers that are not database_unavailable/commit_unknown problems: %s"
          % summarize(bad503))
    others = [r for r in answers if r.status is not None and not r.ok() and r.status != 503]
    check(not others, "unexpected answers: %s" % summarize(others))
    # While it was down: only 503 problems.
    during = [r for r in answers if r.t0 >= t_stop1 and r.t1 <= t_start0]
    check(len(during) >= 4, "only %d requests fell inside the outage" % len(during))
    ok_during = [r for r in during if r.ok()]
    check(not ok_during, "%d 2xx answers while MariaDB was down: %s" % (len(ok_during), summarize(ok_during)))
    # /health said why.
    check(health_down is not None and health_down.status == 503,
          "GET /health during the outage: want 503, got %s" % (health_down and health_down.brief()))
    hj = health_down.json()
    check(hj.get("status") == "unavailable" and isinstance(hj.get("database"), str)
          and hj["database"] and hj["database"] != "ok",
          "GET /health during the outage: want status unavailable and a database reason, got %s"
          % health_down.brief())
    # Recovered by itself, same pid, within the limit.
    check(ctx.stack.plugin_pid() == pid and proc_alive(pid),
          "the plugin (pid %s) did not survive the MariaDB restart%s" % (pid, log_context(ctx, logpos)))
    late_bad = [r for r in answers if r.t0 >= t_start1 + recover_limit and not r.ok()]
    check(t_recovered is not None and not late_bad,
          "not all 2xx within %.0f s of MariaDB being back: %s"
          % (recover_limit, summarize(late_bad or [r for r in answers if r.t0 >= t_start1 and not r.ok()][-3:])))
    h = ctx.stack.health()
    check(h.status == 200, "GET /health after recovery: %s" % h.brief())
    summary = consistency(ctx.stack, ctx.db)
    codes = {}
    for r in answers:
        if r.status == 503:
            codes[r.code()] = codes.get(r.code(), 0) + 1
    return ("%d requests; MariaDB stopped in %.1f s; outage %.1f s: %d requests all 503 %s; /health 503 (%s); "
            "first 2xx %.2f s after MariaDB was back, only 2xx after %.2f s, same pid; %s"
            % (len(answers), t_stop1 - t_stop0, t_start0 - t_stop1, len(during), codes, hj.get("database"),
               first_ok - t_start1, t_recovered - t_start1, summary))


# --- 4. lock waits and deadlocks -------------------------------------------------------------

def new_vendor(ctx, tag):
    c = Client(ctx.stack.base, keepalive=False)
    r = c.post("/vendors", {"name": "%s %s" % (tag, random.choice(NAMES_JA))})
    check(r.status == 201, "create: %s" % r.brief())
    return r.json()


def vendor_state(ctx, vid):
    """(the vendor row, its audit rows, its events) straight from SQL."""
    row = ctx.db.rows("SELECT * FROM vr_vendors WHERE id=%d" % vid)
    audit = ctx.db.rows("SELECT id FROM vr_audit_log WHERE entity='vendor' AND entity_id=%d" % vid)
    ev = ctx.db.rows("SELECT id FROM vr_events WHERE entity='vendor' AND entity_id=%d" % vid)
    return row, audit, ev


class LockCase:
    """A fresh vendor to PATCH against held locks, and what must stay as it
    was when that PATCH is refused."""

    def __init__(self, ctx, prefix):
        self.ctx = ctx
        self.logpos = ctx.stack.plugin_log_size()
        self.v = new_vendor(ctx, prefix + "-" + secrets.token_hex(3))
        self.vid = self.v["id"]
        self.before = vendor_state(ctx, self.vid)
        self.counts = ctx.db.counts()

    def check_untouched(self, r, what):
        """r is a refusal (409/503 problem, nothing logged at 500), and the
        vendor, its audit rows and events, and the row counts are unchanged."""
        check_refusal(r, what, self.logpos, self.ctx)
        after = vendor_state(self.ctx, self.vid)
        check(after == self.before, "vendor %d changed although its PATCH was refused: %r -> %r"
              % (self.vid, self.before, after))
        check(self.ctx.db.counts() == self.counts, "rows (vendors, audit, events) changed: %r -> %r"
              % (self.counts, self.ctx.db.counts()))


class Patcher(threading.Thread):
    def __init__(self, ctx, vid, body):
        super().__init__(daemon=True)
        self.ctx, self.vid, self.body, self.r = ctx, vid, body, None

    def run(self):
        self.r = Client(self.ctx.stack.base, timeout=60, keepalive=False).patch(
            "/vendors/%d" % self.vid, self.body)


def wait_lock_waiters(ctx, n, secs):
    """Waits until n transactions wait for a lock: seconds it took, or None.

    INFORMATION_SCHEMA.INNODB_TRX is a cache that InnoDB refreshes only
    when it has not been read for 0.1 s: polled faster it never changes
    (a wait was once missed for 10 s that way), so this reads it every
    0.25 s."""
    t0 = time.monotonic()
    while time.monotonic() < t0 + secs:
        if int(ctx.db.scalar("SELECT COUNT(*) FROM information_schema.INNODB_TRX"
                             " WHERE trx_state='LOCK WAIT'")) >= n:
            return time.monotonic() - t0
        time.sleep(0.25)
    return None


def wait_head_waiter(ctx, ext_id, p, secs):
    """Waits until another connection than ext_id (the plugin's) runs the
    chain head's SELECT ... FOR UPDATE, which the external session holds,
    so it waits there; seconds it took, or None (not within secs, or the
    PATCH answered first).  PROCESSLIST, unlike INNODB_TRX, is read live."""
    t0 = time.monotonic()
    while time.monotonic() < t0 + secs and p.r is None:
        if int(ctx.db.scalar("SELECT COUNT(*) FROM information_schema.PROCESSLIST"
                             " WHERE ID NOT IN (CONNECTION_ID(), %d)"
                             " AND INFO LIKE 'SELECT %%FROM vr\\_chain\\_head%%FOR UPDATE'"
                             % ext_id)) >= 1:
            return time.monotonic() - t0
        time.sleep(0.03)
    return None


def latest_deadlock(ctx, ext_id):
    """InnoDB's LATEST DETECTED DEADLOCK when the external session (thread
    ext_id) is in it: (victim, [(who, undo entries, lock structs), ...]),
    victim "plugin" or "external session"; None when the latest deadlock is
    not this one (or there was none)."""
    rows = ctx.db.rows("SHOW ENGINE INNODB STATUS")
    text = rows[0][-1].replace("\\n", "\n") if rows and rows[0] else ""
    start = text.find("LATEST DETECTED DEADLOCK")
    if start < 0:
        return None
    end = text.find("\nTRANSACTIONS\n", start)
    sect = text[start:end if end > 0 else len(text)]
    parts = re.split(r"^\*\*\* \((\d+)\) TRANSACTION:$", sect, flags=re.M)
    trxs = {}
    for num, body in zip(parts[1::2], parts[2::2]):
        tid = re.search(r"MariaDB thread id (\d+),", body)
        undo = re.search(r"undo log entries (\d+)", body)
        structs = re.search(r"(\d+) lock struct\(s\)", body)
        trxs[num] = ("external session" if tid and int(tid.group(1)) == ext_id else "plugin",
                     int(undo.group(1)) if undo else 0, int(structs.group(1)) if structs else 0)
    rolled = re.search(r"^\*\*\* WE ROLL BACK TRANSACTION \((\d+)\)", sect, re.M)
    if not any(t[0] == "external session" for t in trxs.values()) or not rolled:
        return None
    return trxs.get(rolled.group(1), ("?",))[0], [trxs[k] for k in sorted(trxs)]


def heavy_vendor_ids(ctx, n=60):
    """n vendor ids for the heavy external session (creating vendors when
    fewer exist); the vendor the case PATCHes is made after them."""
    have = int(ctx.db.scalar("SELECT COUNT(*) FROM vr_vendors"))
    for i in range(have, n):
        new_vendor(ctx, "Deadlock-filler-%d" % i)
    return [int(r[0]) for r in ctx.db.rows("SELECT id FROM vr_vendors ORDER BY id DESC LIMIT %d" % n)]


def check_refusal(r, what, logpos, ctx):
    check(r is not None, "%s: no answer at all" % what)
    check(r.status in (409, 503),
          "%s: want 409 deadlock or 503, got %s%s" % (what, r.brief(), log_context(ctx, logpos)))
    if r.status == 409:
        check(is_problem(r, 409, ("deadlock",)), "%s: 409 but not a deadlock problem: %s" % (what, r.brief()))
    else:
        check(is_problem(r, 503), "%s: 503 but not a problem document: %s" % (what, r.brief()))


def t_lock_wait(ctx):
    tmo = ctx.lock_wait
    hold = 2 * tmo + 2
    c = LockCase(ctx, "LockWait")
    s = Session(ctx.mysql)
    p = None
    try:
        s.q("BEGIN; SELECT id FROM vr_chain_head WHERE id=1 FOR UPDATE;")
        t0 = time.monotonic()
        p = Patcher(ctx, c.vid, {"version": c.v["version"], "address": "must not be written"})
        p.start()
        p.join(timeout=hold)
        answered_in = (p.r.t1 - p.r.t0) if p.r else None
        time.sleep(max(0.0, t0 + hold - time.monotonic()))
        held = time.monotonic() - t0
        s.q("ROLLBACK;")
        p.join(timeout=60)
    finally:
        s.close()
    check(not p.is_alive(), "PATCH still unanswered 60 s after the lock was released")
    check(answered_in is not None,
          "PATCH not answered while the chain head was held for %.1f s (lock wait %d s, so at most"
          " two waits = %d s expected); it answered %s after the release"
          % (held, tmo, 2 * tmo, p.r.brief()))
    c.check_untouched(p.r, "PATCH behind a held chain head")
    # The body ran (its vendor row locked and changed) and the wait was
    # for the head, which a write takes last.
    logged = ctx.stack.plugin_log_tail(c.logpos, 1000)
    at_head = sum(1 for ln in logged if " 1205" in ln and "vr_chain_head" in ln)
    check(at_head >= 1, "no lock wait timeout on the chain head in the plugin log: %s"
          % " / ".join(logged[-6:]))
    return ("chain head held %.1f s; PATCH answered %d %s after %.1f s (lock wait %d s, %d timeouts"
            " at the head logged); vendor, audit, events unchanged"
            % (held, p.r.status, p.r.code(), answered_in, tmo, at_head))


def deadlock_case(ctx, heavy, hold_after):
    """The external session locks the chain head (heavy: and changes 60
    other vendor rows three times, so its undo outweighs the PATCH's and InnoDB
    makes the plugin the victim); the plugin's PATCH of X locks X in its body and
    then waits for the chain head, which a write takes last; then the
    external session asks for X FOR UPDATE: a deadlock, found in InnoDB's
    LATEST DETECTED DEADLOCK.  The external session then keeps what it has
    (the head, and X when the plugin was the victim) for hold_after
    seconds before it rolls back."""
    tmo = ctx.lock_wait
    others = heavy_vendor_ids(ctx) if heavy else []
    c = LockCase(ctx, "Deadlock")
    v, vid, logpos = c.v, c.vid, c.logpos
    s = Session(ctx.mysql)
    p = None
    try:
        ext_id = int(s.q("SELECT CONNECTION_ID();")[0])
        s.q("BEGIN; SELECT id FROM vr_chain_head WHERE id=1 FOR UPDATE;")
        if heavy:
            # InnoDB's victim is the transaction of the smaller weight:
            # undo records plus lock structs (row locks on one page make
            # one).  The PATCH has some 40-45 undo records (its vendor row
            # and search terms) and 6-25 lock structs (more as the tables
            # grow).  Each of the 60 rows three times: 180 undo records.
            # One statement per row, by its id: a scan (one UPDATE ...
            # WHERE id IN (...) over few vendors is one) would lock X as
            # well, and the PATCH would wait for X before it held anything.
            s.q("\n".join("UPDATE vr_vendors SET address=CONCAT(COALESCE(address, ''),"
                          " ' (fault test)') WHERE id=%d;" % i for i in others * 3))
        check(not s.errors, "external session: %s" % " ".join(s.errors)[:200])
        p = Patcher(ctx, vid, {"version": v["version"], "address": "deadlock test"})
        p.start()
        # X is asked for only once the PATCH waits for the head (so holds
        # X): asked before, the external session would get X and the PATCH
        # simply wait for it.  The PATCH's first wait ends after tmo, its
        # second (the one rerun of a lock wait timeout) after another.
        waiting = wait_head_waiter(ctx, ext_id, p, 2 * tmo)
        n_err = len(s.errors)
        if waiting is not None:
            s.q("SELECT id FROM vr_vendors WHERE id=%d FOR UPDATE;" % vid, timeout=tmo * 4 + 10)
            time.sleep(hold_after)
        s.q("ROLLBACK;")
        p.join(timeout=4 * tmo + 30)
    finally:
        s.close()
    time.sleep(0.2)
    errs = s.errors[n_err:]
    check(not p.is_alive(), "PATCH unanswered %d s after the deadlock" % (4 * tmo + 30))
    r = p.r
    logged = ctx.stack.plugin_log_tail(logpos, 1000)
    check(waiting is not None, "the PATCH was not seen waiting for the chain head within %d s"
          " (it answered %s)%s" % (2 * tmo, r.brief(), log_context(ctx, logpos)))
    retries = sum(1 for ln in logged if "retried" in ln)
    plugin_1213 = any(" 1213" in ln for ln in logged)
    ext_1213 = any("1213" in e or "eadlock" in e for e in errs)
    dl = latest_deadlock(ctx, ext_id)
    check(dl is not None, "no deadlock: InnoDB's latest detected deadlock is not this one (external"
          " session: %s; PATCH answered %s after %.1f s)%s"
          % (" ".join(errs)[:100] or "no error", r.brief(), r.t1 - r.t0, log_context(ctx, logpos)))
    victim, trxs = dl
    weights = ", ".join("%s %d undo + %d lock structs" % t for t in trxs)
    check(r is not None and r.status in (200, 409, 503),
          "PATCH in a deadlock: want 200, 409 or 503, got %s%s" % (r and r.brief(), log_context(ctx, logpos)))
    if victim == "plugin":
        check(plugin_1213 and retries >= 1, "InnoDB rolled back the plugin's transaction, but its"
              " log has %s 1213 and %d \"retried\" lines" % ("a" if plugin_1213 else "no", retries))
    else:
        check(ext_1213, "InnoDB rolled back the external session, which saw no 1213: %r" % errs)
        # The head was free the moment the external session was rolled
        # back: the PATCH that waited for it goes on.
        check(r.status == 200, "the external session was the victim, yet the PATCH answered %s%s"
              % (r.brief(), log_context(ctx, logpos)))
    if r.status == 200:
        before, after, counts = c.before, vendor_state(ctx, vid), c.counts
        check(r.json().get("version") == v["version"] + 1, "200 but version %r" % r.json().get("version"))
        check(len(after[1]) == len(before[1]) + 1 and len(after[2]) == len(before[2]) + 1,
              "200 but audit rows %d -> %d, events %d -> %d"
              % (len(before[1]), len(after[1]), len(before[2]), len(after[2])))
        want_counts = (counts[0], counts[1] + 1, counts[2] + 1)
        check(ctx.db.counts() == want_counts, "rows (vendors, audit, events): want %r, got %r"
              % (want_counts, ctx.db.counts()))
    else:
        c.check_untouched(r, "PATCH in a deadlock")
    if heavy:
        check(victim == "plugin", "the external session was made the heavier transaction (%s),"
              " yet InnoDB rolled back the %s (PATCH answered %s after %.1f s)"
              % (weights, victim, r.brief(), r.t1 - r.t0))
    if victim == "plugin" and hold_after < tmo:
        check(r.status == 200 and retries >= 1,
              "the plugin was the deadlock victim and the lock was free %.1f s later, so its"
              " retry should have succeeded; got %s, %d retries logged" % (hold_after, r.brief(), retries))
    if victim == "plugin" and hold_after > 2 * tmo:
        # Its rerun waits for X (lock wait timeout), is run once more and
        # waits again: both waits end before the external session lets go.
        check(r.status in (409, 503), "the external session kept X %.1f s (two lock waits: %d s),"
              " yet the PATCH answered %s" % (hold_after, 2 * tmo, r.brief()))
    summary = consistency(ctx.stack, ctx.db)
    return ("PATCH seen waiting for the chain head after %.2f s; deadlock (%s), InnoDB rolled back"
            " the %s; PATCH answered %d%s after %.1f s, %d \"retried\" lines logged; %s"
            % (waiting, weights, victim, r.status, (" " + r.code()) if r.code() else "",
               r.t1 - r.t0, retries, summary))


def t_deadlock_vendor_row(ctx):
    return deadlock_case(ctx, heavy=False, hold_after=0.3)


def t_deadlock_plugin_victim_retry_ok(ctx):
    return deadlock_case(ctx, heavy=True, hold_after=0.3)


def t_deadlock_plugin_victim_retry_fails(ctx):
    return deadlock_case(ctx, heavy=True, hold_after=2 * ctx.lock_wait + 2)


# --- 5. identity ------------------------------------------------------------------------------

def cgi_fcgi(ctx, method, uri, env_extra, body=None):
    """One request straight to the plugin's socket (no nginx): (status, body)."""
    env = {b"PATH": b"/usr/bin:/bin", b"REQUEST_METHOD": method.encode(),
           b"DOCUMENT_URI": uri.encode(), b"REQUEST_URI": uri.encode(),
           b"SERVER_PROTOCOL": b"HTTP/1.1", b"QUERY_STRING": b""}
    if body is not None:
        env[b"CONTENT_TYPE"] = b"application/json"
        env[b"CONTENT_LENGTH"] = str(len(body)).encode()
    for k, v in env_extra.items():
        env[k.encode() if isinstance(k, str) else k] = v.encode() if isinstance(v, str) else v
    p = subprocess.run(["cgi-fcgi", "-bind", "-connect", ctx.stack.sock], env=env,
                       input=body or b"", stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=20)
    out = p.stdout
    head, _, rest = out.partition(b"\r\n\r\n")
    status = 200
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"status:"):
            status = int(line.split(b":", 1)[1].split()[0])
    check(head, "cgi-fcgi gave no answer (exit %d): %r" % (p.returncode, p.stderr[:200]))
    return status, rest


def t_identity(ctx):
    n0 = int(ctx.db.scalar("SELECT COUNT(*) FROM vr_vendors"))
    vid = ctx.db.scalar("SELECT COALESCE(MAX(id),1) FROM vr_vendors")
    probs, n = [], 0
    post_body = b'{"name": "identity probe"}'
    # Control: a valid identity over the same path works, so the refusals
    # below are the plugin's and not the harness's.
    st, b = cgi_fcgi(ctx, "GET", "/vendor-review/api/vendors",
                     {"VR_USER": "requester1", "VR_GROUPS": "requesters"})
    check(st == 200, "control GET with a valid identity over FastCGI: %d %r" % (st, b[:200]))
    cases = [
        # (label, env, want for GET)
        ("no user, no groups", {}, 401),
        ("no user, admin group", {"VR_GROUPS": "admins"}, 401),
        ("user only spoofed as a header param", {"HTTP_VR_USER": "admin1", "HTTP_VR_GROUPS": "admins"}, 401),
        ("empty user", {"VR_USER": "", "VR_GROUPS": "admins"}, 401),
        ("no group param", {"VR_USER": "mallory"}, 403),
        ("empty group param", {"VR_USER": "mallory", "VR_GROUPS": ""}, 403),
        ("unknown group", {"VR_USER": "mallory", "VR_GROUPS": "wheel"}, 403),
        ("unknown groups, role names as groups", {"VR_USER": "mallory", "VR_GROUPS": "admin,requester,root"}, 403),
        ("group with NUL-free garbage", {"VR_USER": "mallory", "VR_GROUPS": b"\xff\xfe,\x01"}, 403),
        ("huge user (10 kB)", {"VR_USER": "a" * 10240, "VR_GROUPS": "admins"}, 401),
        ("user of 256 bytes", {"VR_USER": "b" * 256, "VR_GROUPS": "admins"}, 401),
        ("invalid UTF-8 user", {"VR_USER": b"adm\xffin1", "VR_GROUPS": "admins"}, 401),
        ("overlong UTF-8 user", {"VR_USER": b"\xc0\xafadmin", "VR_GROUPS": "admins"}, 401),
        ("surrogate UTF-8 user", {"VR_USER": b"ad\xed\xa0\x80min", "VR_GROUPS": "admins"}, 401),
        ("truncated UTF-8 user", {"VR_USER": b"admin\xe3\x81", "VR_GROUPS": "admins"}, 401),
        ("control char in user", {"VR_USER": "admin\x01", "VR_GROUPS": "admins"}, 401),
        ("newline in user", {"VR_USER": "admin1\nadmin", "VR_GROUPS": "admins"}, 401),
        ("escape in user", {"VR_USER": "\x1b[2Jadmin", "VR_GROUPS": "admins"}, 401),
        ("DEL in user", {"VR_USER": "admin\x7f", "VR_GROUPS": "admins"}, 401),
        ("tab in user", {"VR_USER": "ad\tmin", "VR_GROUPS": "requesters"}, 401),
    ]
    for label, env, want in cases:
        for method in ("GET", "POST"):
            n += 1
            uri = "/vendor-review/api/vendors"
            st, b = cgi_fcgi(ctx, method, uri, env, post_body if method == "POST" else None)
            if method == "GET" and st != want:
                probs.append("%s: GET want %d, got %d %r" % (label, want, st, b[:120]))
            elif method == "POST" and st not in (401, 403):
                probs.append("%s: POST want 401/403, got %d %r" % (label, st, b[:120]))
    # Through nginx without any authentication: 401, whatever the headers say.
    na = Client(ctx.noauth_base, keepalive=False)
    for method, path, body, hdrs in [
            ("GET", "/vendors", None, None),
            ("GET", "/vendors/%s" % vid, None, {"VR-User": "admin1", "VR-Groups": "admins"}),
            ("POST", "/vendors", {"name": "noauth probe"}, None),
            ("POST", "/vendors", {"name": "noauth probe"}, {"VR-User": "admin1", "VR-Groups": "admins",
                                                             "X-Remote-User": "admin1"}),
            ("PATCH", "/vendors/%s" % vid, {"version": 1, "address": "x"}, None),
            ("GET", "/events", None, None)]:
        n += 1
        r = na.request(method, path, body=body, user=None, headers=hdrs)
        if not is_problem(r, 401, ("unauthenticated",)):
            probs.append("no-auth %s %s: want 401 unauthenticated, got %s" % (method, path, r.brief()))
    n1 = int(ctx.db.scalar("SELECT COUNT(*) FROM vr_vendors"))
    if n1 != n0:
        probs.append("vendors %d -> %d: a refused identity created a vendor" % (n0, n1))
    check(not probs, "%d of %d probes wrong: %s" % (len(probs), n, "; ".join(probs[:6])))
    return "%d probes (FastCGI direct and no-auth nginx): all 401/403, no vendor created" % n


# --- the stack at the end ------------------------------------------------------------------------

def t_stack_healthy(ctx):
    ctx.stack.ensure_up()
    r = ctx.stack.health()
    check(r.status == 200 and r.json().get("status") == "ok", "GET /health: %s" % r.brief())
    return "MariaDB pid %s, plugin pid %s, /health ok" % (ctx.stack.db_pid(), ctx.stack.plugin_pid())


TESTS = [
    ("identity", t_identity),
    ("malformed_fastcgi_streams", t_malformed_streams),
    ("worker_process_killed", t_worker_killed),
    ("reload_on_sighup", t_reload),
    ("soak", t_soak),
    ("kill9_during_writes", t_kill9),
    ("kill9_during_transitions", t_kill9_transitions),
    ("mariadb_restart_during_transitions", t_mariadb_restart_transitions),
    ("kill9_during_incident_reports", t_kill9_incidents),
    ("mariadb_restart_during_incident_reports", t_mariadb_restart_incidents),
    ("kill9_during_subcontract_approvals", t_kill9_subcontracts),
    ("mariadb_restart_during_subcontract_approvals", t_mariadb_restart_subcontracts),
    ("schedule_killed_and_through_a_restart", t_schedule_faults),
    ("mariadb_restart_under_load", t_mariadb_restart),
    ("lock_wait_chain_head", t_lock_wait),
    ("deadlock_vendor_row", t_deadlock_vendor_row),
    ("deadlock_plugin_victim_retry_ok", t_deadlock_plugin_victim_retry_ok),
    ("deadlock_plugin_victim_retry_fails", t_deadlock_plugin_victim_retry_fails),
    ("stack_healthy_at_end", t_stack_healthy),
]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repo", required=True)
    ap.add_argument("--instance-dir", required=True)
    ap.add_argument("--base", required=True)
    ap.add_argument("--noauth-base", required=True)
    ap.add_argument("--mysql", required=True)
    ap.add_argument("--config", required=True)
    ap.add_argument("--full", action="store_true", help="the long versions (5-minute soak)")
    ap.add_argument("--only", default=None, help="run tests whose name contains this (comma: any of these)")
    ap.add_argument("--binary", default=None, help="plugin binary to restart (default: the running one)")
    ap.add_argument("--db-port", type=int, default=None, help="MariaDB TCP port (default: the running one's)")
    a = ap.parse_args()

    ctx = Ctx()
    ctx.full = a.full
    ctx.mysql = a.mysql
    ctx.db = Db(a.mysql)
    ctx.noauth_base = a.noauth_base.rstrip("/")
    passed = failed = 0
    t0 = time.time()
    try:
        ctx.stack = Stack(a.repo, a.instance_dir, a.base, a.noauth_base, a.config,
                          binary=a.binary, db_port=a.db_port)
        ctx.lock_wait = lock_wait_timeout(ctx.stack.config)
        ctx.stack_header_timeout = config_number(ctx.stack.config, "header_timeout", 5)
        ctx.stack_threads = config_number(ctx.stack.config, "threads", 4)
        note = ctx.stack.binary_note()
        if note:
            print("   (%s)" % note)
        ctx.stack.wait_health(30)
    except Exception as e:
        print("FAIL setup: %s" % e)
        print("fault: 0 passed, 1 failed")
        return 1
    for name, fn in TESTS:
        if a.only and not any(o in name for o in a.only.split(",")) and name != "stack_healthy_at_end":
            continue
        if run_check(name, fn, ctx):
            passed += 1
        else:
            failed += 1
        # Whatever happened, the next test (and whoever runs after this
        # suite) gets a running stack.
        if name != "stack_healthy_at_end":
            try:
                ctx.stack.ensure_up()
            except Exception as e:
                print("   (could not bring the stack back after %s: %s)" % (name, e))
    print("   (%.1f s in all)" % (time.time() - t0))
    print("fault: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
