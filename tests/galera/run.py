#!/usr/bin/env python3
"""vendor-review on a three-node MariaDB Galera cluster: one plugin per
node behind one nginx upstream (tests/galera/cluster.py starts them all
and stops them at the end, whatever happens).

Each check prints one line ("ok NAME: ..." or "FAIL NAME: ..."); the last
line is "galera: N passed, N failed".  docs/scale-out.md says what it
shows and why.

  python3 tests/galera/run.py [--db-port 3428] [--http-port 8290] [--keep]
"""

import argparse
import os
import re
import signal
import subprocess
import sys
import threading
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "integration"))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "fault"))

from cluster import Cluster  # noqa: E402
from vrlib import Db, Failure, Http, check, eq, uniq  # noqa: E402
from cases_assessments import answers_for  # noqa: E402
from faultlib import Session  # noqa: E402

RESULTS = [0, 0]


def report(name, ok, detail):
    RESULTS[0 if ok else 1] += 1
    print("%s %s: %s" % ("ok" if ok else "FAIL", name, " ".join(str(detail).split())[:600]),
          flush=True)


class Ctx:
    """One node as the integration helpers see it (ctx.h, ctx.db)."""

    def __init__(self, base, db):
        self.h = Http(base, base, timeout=60)
        self.db = db


class Suite:
    def __init__(self, cl):
        self.cl = cl
        self.nodes = [Ctx(n.base(), Db(n.mysql_cmd())) for n in cl.nodes]
        self.lb = Ctx(cl.base(), Db(cl.nodes[0].mysql_cmd()))
        self.tests = []

    def test(self, fn):
        self.tests.append(fn)
        return fn

    def node(self, i):
        return self.nodes[i % len(self.nodes)]

    def run(self):
        for fn in self.tests:
            name = fn.__name__[2:]
            t0 = time.time()
            try:
                detail = fn(self) or ""
                report(name, True, "%s (%.1f s)" % (detail, time.time() - t0))
            except Failure as e:
                report(name, False, e)
            except Exception as e:  # a bug in the test or an unexpected answer
                tb = traceback.extract_tb(e.__traceback__)[-1]
                report(name, False, "%s: %s (%s:%d)" % (type(e).__name__, e,
                                                      os.path.basename(tb.filename), tb.lineno))


# --- helpers -------------------------------------------------------------------------
def vendor_on(ctx, name=None):
    r = ctx.h.post("/vendors", {"name": name or uniq("GAL")})
    eq(r.status, 201, "POST /vendors (%s)" % r.brief())
    return r.json()


def fire(ctx, case, action, user, status=200):
    r = ctx.h.post("/assessments/%d/transitions" % case["id"],
                   {"action": action, "version": case["version"]}, user=user)
    if status == 200:
        eq(r.status, 200, "%s by %s (%s)" % (action, user, r.brief()))
        return r.json()
    return r


def in_threads(fns):
    """Runs each function in a thread of its own and waits for all."""
    ts = [threading.Thread(target=f) for f in fns]
    for t in ts:
        t.start()
    for t in ts:
        t.join()


def at_once(fns):
    """Runs the functions in threads released together; their results."""
    out = [None] * len(fns)
    gate = threading.Barrier(len(fns))

    def run(i):
        gate.wait()
        try:
            out[i] = fns[i]()
        except Exception as e:  # reported by the caller
            out[i] = e

    in_threads([lambda i=i: run(i) for i in range(len(fns))])
    return out


def onboard(s, first=0, tier_body=None):
    """The onboarding flow with each step on the next node; the case."""
    v = vendor_on(s.node(first))
    r = s.node(first + 1).h.post("/assessments", {"kind": "onboarding", "vendor_id": v["id"],
                                                   "host_ref": uniq("T")})
    eq(r.status, 201, "POST /assessments (%s)" % r.brief())
    case = r.json()
    r = s.node(first + 2).h.request("PUT", "/assessments/%d/answers" % case["id"],
                                    body={"answers": answers_for(case["questions"])})
    eq(r.status, 200, "PUT answers (%s)" % r.brief())
    case = fire(s.node(first + 3), r.json(), "submit", "requester1")
    case = fire(s.node(first + 4), case, "complete_review", "reviewer1")
    return v, case


def tool(node, *args):
    return node.tool(*args)


def wait_vendor_lock(nodes, secs):
    """True once a connection of the plugin's on each node has been seen
    waiting for a vendor row FOR UPDATE, within secs (PROCESSLIST is read
    live; INNODB_TRX is a cache that frequent reads keep stale).  While the
    row is held such a transaction cannot go on: it waits
    db_lock_wait_timeout, and once more after that."""
    seen, end = set(), time.monotonic() + secs
    while time.monotonic() < end and len(seen) < len(nodes):
        for k, n in enumerate(nodes):
            if k not in seen and int(n.sql(
                    "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE user = 'vr'"
                    " AND command = 'Execute' AND info LIKE '%FROM vr_vendors WHERE id = ? FOR UPDATE'",
                    timeout=10).strip() or 0) > 0:
                seen.add(k)
        time.sleep(0.05)
    return len(seen) == len(nodes)


def chain_state(db):
    """(audit rows, first id, last id, events, first, last, head ids)."""
    r = db.rows("SELECT (SELECT COUNT(*) FROM vr_audit_log), (SELECT COALESCE(MIN(id),0) FROM "
                "vr_audit_log), (SELECT COALESCE(MAX(id),0) FROM vr_audit_log), (SELECT COUNT(*) "
                "FROM vr_events), (SELECT COALESCE(MIN(id),0) FROM vr_events), (SELECT "
                "COALESCE(MAX(id),0) FROM vr_events), (SELECT CONCAT(last_audit_id, '/', "
                "last_event_id, '/', last_hash) FROM vr_chain_head WHERE id = 1)")
    return tuple(r[0])


def check_chain(s, nodes):
    """Gap-free audit rows and events, the same head, verify-audit-log ok: on each node."""
    states = []
    for i in nodes:
        n = s.cl.nodes[i]
        st = chain_state(s.nodes[i].db)
        a, a0, a1, e, e0, e1, head = st
        check(int(a) == int(a1) and int(a0) in (0, 1), "%s: audit ids 1..%s, %s rows" % (n.name, a1, a))
        check(int(e) == int(e1) and int(e0) in (0, 1), "%s: event ids 1..%s, %s rows" % (n.name, e1, e))
        check(head.startswith("%s/%s/" % (a1, e1)), "%s: chain head %s vs %s/%s" % (n.name, head, a1, e1))
        rc, out = tool(n, "verify-audit-log")
        eq(rc, 0, "%s: verify-audit-log: %s" % (n.name, out.strip()))
        states.append(st)
    check(all(x == states[0] for x in states), "the nodes disagree: %r" % states)
    return "%s audit rows, %s events, verify-audit-log ok on %s" % (
        states[0][0], states[0][3], ", ".join(s.cl.nodes[i].name for i in nodes))


def make_suite(cl):
    s = Suite(cl)

    @s.test
    def t_cluster_synced(s):
        for n in s.cl.nodes:
            eq(n.status("wsrep_cluster_size"), "3", "%s wsrep_cluster_size" % n.name)
            eq(n.status("wsrep_local_state_comment"), "Synced", "%s state" % n.name)
        step = s.nodes[0].db.scalar("SELECT @@auto_increment_increment")
        return "3 nodes Synced, auto_increment_increment %s" % step

    @s.test
    def t_migrate_twice_at_once(s):
        rs = at_once([lambda i=i: tool(s.cl.nodes[i], "migrate") for i in (1, 2)])
        for i, r in zip((1, 2), rs):
            check(not isinstance(r, Exception), "migrate: %r" % (r,))
            eq(r[0], 0, "migrate on node%d: %s" % (i + 1, r[1]))
            check("schema up to date" in r[1], "node%d: %s" % (i + 1, r[1]))
        eq(s.nodes[0].db.scalar("SELECT COUNT(*) FROM vr_locks"), "0", "no lock row left")
        return "node2 and node3 at once: both 'schema up to date'"

    @s.test
    def t_migration_lock_row_across_nodes(s):
        db1 = s.nodes[0].db
        # A live lock taken on node1: migrate on node3 waits for it.
        db1.run("INSERT INTO vr_locks VALUES ('migrate', 'test:node1', "
                "UTC_TIMESTAMP(6) + INTERVAL 600 SECOND)")
        t0 = time.time()
        p = subprocess.Popen([s.cl.binary, "-c", s.cl.nodes[2].plugin_conf, "migrate"],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        time.sleep(2)
        waiting = p.poll() is None
        db1.run("DELETE FROM vr_locks WHERE owner = 'test:node1'")
        out = p.communicate(timeout=90)[0].decode()
        took = time.time() - t0
        check(waiting, "migrate on node3 did not wait for node1's lock row: %s" % out)
        eq(p.returncode, 0, "migrate after the release: %s" % out)
        # An expired lock (a migrate killed on the way) is taken over.
        db1.run("INSERT INTO vr_locks VALUES ('migrate', 'test:dead', "
                "UTC_TIMESTAMP(6) - INTERVAL 1 SECOND)")
        rc, out = tool(s.cl.nodes[1], "migrate")
        eq(rc, 0, "migrate over an expired lock row: %s" % out)
        eq(db1.scalar("SELECT COUNT(*) FROM vr_locks"), "0", "no lock row left")
        return "node3 waited %.1f s for node1's row; an expired row is taken over" % took

    @s.test
    def t_read_after_own_write_on_other_nodes(s):
        for k in range(30):
            v = vendor_on(s.node(k))
            for j in (1, 2):
                r = s.node(k + j).h.get("/vendors/%d" % v["id"])
                eq(r.status, 200, "vendor %d written on node%d, read on node%d (%s)"
                   % (v["id"], k % 3 + 1, (k + j) % 3 + 1, r.brief()))
                eq(r.json()["version"], v["version"], "version read back")
        return "30 writes, each read at once on the two other nodes"

    @s.test
    def t_onboarding_each_step_on_another_node(s):
        v, case = onboard(s)
        case = fire(s.node(5), case, "approve", "approver1")
        eq(case["state"], "approved", "approved")
        r = s.node(6).h.get("/vendors/%d" % v["id"])
        eq((r.status, r.json()["status"]), (200, "approved"), "vendor approved, read on node1")
        r = s.lb.h.get("/assessments/%d" % case["id"])
        eq(r.json()["state"], "approved", "through the upstream")
        return "vendor node1, start node2, answers node3, submit node1, review node2, approve node3"

    @s.test
    def t_version_race_across_nodes(s):
        wins = 0
        for k in range(10):
            v = vendor_on(s.node(k))
            rs = at_once([lambda i=i: s.node(k + i).h.patch(
                "/vendors/%d" % v["id"], {"version": v["version"], "contact_name": "担当%d" % i})
                for i in (0, 1)])
            codes = sorted(r.status for r in rs)
            eq(codes, [200, 409], "round %d: one PATCH wins (%r)" % (k, [r.brief() for r in rs]))
            loser = next(r for r in rs if r.status == 409)
            eq(loser.json()["code"], "stale_version", "the loser is told its version is stale")
            got = s.node(k + 2).h.get("/vendors/%d" % v["id"]).json()
            eq(got["version"], v["version"] + 1, "one update")
            wins += 1
        return "%d rounds on two nodes at once: one 200, one 409 stale_version each" % wins

    @s.test
    def t_two_approvers_across_nodes(s):
        for k in range(3):
            _, case = onboard(s, first=k)
            rs = at_once([lambda: fire(s.node(k), case, "approve", "approver1", status=0),
                          lambda: fire(s.node(k + 1), case, "approve", "approver2", status=0)])
            eq(sorted(r.status for r in rs), [200, 409], "round %d: exactly one approval wins (%r)"
               % (k, [r.brief() for r in rs]))
            n = s.nodes[(k + 2) % 3].db.scalar(
                "SELECT COUNT(*) FROM vr_events WHERE entity='assessment' AND entity_id=%d AND "
                "type='onboarding.approve'" % case["id"])
            eq(n, "1", "one approve event")
        return "3 rounds, approver1 and approver2 on two nodes: one 200, one 409, one event"

    @s.test
    def t_events_poll_one_node_while_others_write(s):
        start = int(s.nodes[2].db.scalar("SELECT last_event_id FROM vr_chain_head"))
        made, seen, errors = [], [], []
        done = threading.Event()

        def writer(i):
            for _ in range(25):
                try:
                    made.append(vendor_on(s.nodes[i])["id"])
                except Failure as e:
                    errors.append(str(e))

        def poller():
            after = start
            while True:
                last = done.is_set()
                r = s.nodes[2].h.get("/events?after=%d&limit=50" % after, user="auditor1")
                if r.status != 200:
                    errors.append(r.brief())
                    return
                items = r.json()["items"]
                seen.extend(e["id"] for e in items)
                if items:
                    after = items[-1]["id"]
                elif last:
                    return
                else:
                    time.sleep(0.05)

        p = threading.Thread(target=poller)
        p.start()
        in_threads([lambda i=i: writer(i) for i in (0, 1, 0, 1)])
        done.set()
        p.join(60)
        check(not errors, "errors: %r" % errors[:3])
        eq(len(seen), len(set(seen)), "no event twice")
        eq(seen, list(range(start + 1, start + 1 + len(seen))), "in order, no gap")
        ev = s.nodes[2].db.rows("SELECT entity_id FROM vr_events WHERE id > %d AND "
                                "type = 'vendor.created'" % start)
        eq(sorted(int(x[0]) for x in ev), sorted(made), "an event for every vendor made")
        eq(len(seen), len(made), "events seen by the poller")
        return "%d vendors written on node1 and node2, node3's /events gave %d..%d once each" % (
            len(made), start + 1, start + len(seen))

    @s.test
    def t_schedule_on_two_nodes_at_once(s):
        day = "2002-%02d-%02d" % (1 + os.getpid() % 12, 1 + os.getpid() % 28)
        vids = []
        for k in range(3):
            _, case = onboard(s, first=k)
            case = fire(s.node(k + 5), case, "approve", "approver1")
            v = s.node(k).h.get("/vendors/%d" % case["vendor_id"], user="admin1").json()
            r = s.node(k + 1).h.patch("/vendors/%d" % v["id"], {"version": v["version"],
                                                               "next_audit_due": day}, user="admin1")
            eq(r.status, 200, "move next_audit_due (%s)" % r.brief())
            vids.append(v["id"])
        # Both runs must be under way together, whatever the threads'
        # timing: on node1 and node2 a session holds the first due vendor's
        # row (a lock holds on its own node only), each run waits for it
        # in its first write, and both are let go at once.
        holds = [Session(s.cl.nodes[i].mysql_cmd()) for i in (0, 1)]
        rs = [None, None]
        try:
            for h in holds:
                h.q("BEGIN; SELECT id FROM vr_vendors WHERE id = %d FOR UPDATE;" % min(vids))
            runs = [threading.Thread(target=lambda i=i: rs.__setitem__(
                i, tool(s.cl.nodes[i], "schedule", "--as-of", day))) for i in (0, 1)]
            for t in runs:
                t.start()
            waiting = wait_vendor_lock([s.cl.nodes[i] for i in (0, 1)], 9.0)
        finally:
            for h in holds:
                h.q("ROLLBACK;")
                h.close()
        for t in runs:
            t.join(180)
        check(waiting, "both schedule runs seen waiting for the held vendor row "
              "(outputs: %r)" % (rs,))
        for i, r in zip((0, 1), rs):
            check(not isinstance(r, Exception), "schedule: %r" % (r,))
            eq(r[0], 0, "schedule on node%d: %s" % (i + 1, r[1]))
        # Both found all three due before either wrote: what one opened,
        # the other met as opened by another run.
        said = [re.search(r"(\d+) audits? opened, (\d+) opened by another run", r[1]) for r in rs]
        check(all(said), "each run's summary line: %r" % ([r[1][-200:] for r in rs],))
        eq(sum(int(m.group(1)) for m in said), len(vids), "audits opened by the two runs")
        eq(sum(int(m.group(2)) for m in said), len(vids), "audits the two runs met as opened by the other")
        n = s.nodes[2].db.rows("SELECT vendor_id, COUNT(*) FROM vr_assessments WHERE kind = "
                               "'periodic_audit' AND vendor_id IN (%s) GROUP BY vendor_id"
                               % ",".join(map(str, vids)))
        eq(sorted((int(a), int(b)) for a, b in n), [(v, 1) for v in sorted(vids)],
           "each due audit opened once")
        ev = s.nodes[2].db.rows("SELECT type, COUNT(*) FROM vr_events WHERE entity = 'assessment' "
                                "AND entity_id IN (SELECT id FROM vr_assessments WHERE kind = "
                                "'periodic_audit' AND vendor_id IN (%s)) GROUP BY type"
                                % ",".join(map(str, vids)))
        check(ev and all(int(c) == len(vids) for _, c in ev),
              "one event of each type per audit: %r" % ev)
        first = [re.sub(r"\s+", " ", r[1].strip())[-80:] for r in rs]
        return ("3 due vendors, schedule on node1 and node2 both seen waiting in their first write"
                " and let go together: one audit each, events %s (%s)" % (
                    ", ".join("%s x%s" % (t, c) for t, c in ev), " | ".join(first)))

    @s.test
    def t_conflicts_were_retried(s):
        # The writes above on several nodes at once: Galera refused some at
        # COMMIT (1213) and the plugins ran them again.
        n1213 = retried = 0
        for n in s.cl.nodes:
            with open(n.plugin_log, errors="replace") as f:
                for line in f:
                    n1213 += "error 1213" in line or "Deadlock found" in line
                    retried += "transaction retried after" in line
        check(retried > 0, "no conflict seen (%d lines with 1213, %d retries): the "
              "scenarios did not exercise the retry" % (n1213, retried))
        return "%d conflicts (1213) logged, %d transactions run again" % (n1213, retried)

    @s.test
    def t_chain_linear_on_every_node(s):
        return check_chain(s, (0, 1, 2))

    @s.test
    def t_kill_plugin_and_stop_node_under_load(s):
        acked, failed_w, stop = [], [], threading.Event()
        lb = s.lb

        def writer():
            while not stop.is_set():
                try:
                    r = lb.h.post("/vendors", {"name": uniq("LOAD")})
                except Failure as e:
                    failed_w.append(str(e)[:80])
                    continue
                if r.status == 201:
                    acked.append(r.json()["id"])
                else:
                    failed_w.append(r.status)

        ws = [threading.Thread(target=writer) for _ in range(6)]
        for w in ws:
            w.start()
        time.sleep(3)
        s.cl.nodes[0].kill_plugin()           # kill -9 of node1's plugin
        time.sleep(3)
        n3 = s.cl.nodes[2]
        log_at = os.path.getsize(n3.errlog)
        n3.stop_db()                          # node3's database goes away
        time.sleep(4)
        stop.set()
        t_stop = time.time()
        for w in ws:
            w.join()
        marks = ["writers stopped in %.1f s" % (time.time() - t_stop)]
        check(len(acked) > 20, "too few writes acknowledged: %d (%r)" % (len(acked), failed_w[:5]))
        s.cl.wait_size(2, nodes=s.cl.nodes[:2])
        for i in (0, 1):
            got = s.nodes[i].db.rows("SELECT id FROM vr_vendors WHERE id IN (%s)"
                                     % ",".join(map(str, acked)))
            eq(len(got), len(acked), "node%d has every acknowledged write" % (i + 1))
        chain = check_chain(s, (0, 1))
        # node3 comes back: IST from a survivor, then it serves.
        n3.start_db()
        marks.append("node3 Synced again in %.1f s" % n3.wait_synced())
        s.cl.wait_size(3)
        with open(n3.errlog, errors="replace") as f:
            f.seek(log_at)
            tail = f.read()
        check("IST received" in tail or "Receiving IST" in tail,
              "node3 rejoined without IST (see %s)" % n3.errlog)
        s.cl.nodes[0].start_plugin()
        deadline = time.time() + 30
        while True:
            r = s.nodes[2].h.get("/vendors/%d" % acked[-1])
            if r.status == 200 or time.time() > deadline:
                break
            time.sleep(0.5)
        eq(r.status, 200, "node3 serves the last acknowledged write (%s)" % r.brief())
        v = vendor_on(s.nodes[2])
        eq(s.nodes[0].h.get("/vendors/%d" % v["id"]).status, 200, "node3's new write on node1")
        chain3 = check_chain(s, (0, 1, 2))
        return ("%d writes acknowledged, %d not (kill -9 plugin node1, node3 stopped); all on "
                "node1+node2; %s; node3 rejoined by IST and serves; %s; %s"
                % (len(acked), len(failed_w), chain, chain3, ", ".join(marks)))

    return s


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db-port", type=int, default=int(os.environ.get("VR_TEST_DB_PORT", 3428)))
    ap.add_argument("--http-port", type=int, default=int(os.environ.get("VR_TEST_PORT", 8290)))
    ap.add_argument("--binary", default=None)
    ap.add_argument("--keep", action="store_true", help="leave the cluster running")
    a = ap.parse_args()
    cl = Cluster(a.db_port, a.http_port, a.binary)
    # TERM (scripts/test's timeout) stops the cluster too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    t0 = time.time()
    try:
        try:
            cl.start()
            report("cluster_start", True, "3 nodes, 3 plugins, nginx (%.1f s)" % (time.time() - t0))
        except Exception as e:
            report("cluster_start", False, e)
        else:
            make_suite(cl).run()
    finally:
        if not a.keep:
            cl.stop()
    print("(%.0f s in all)" % (time.time() - t0))
    print("galera: %d passed, %d failed" % tuple(RESULTS), flush=True)
    return 1 if RESULTS[1] else 0


if __name__ == "__main__":
    sys.exit(main())
