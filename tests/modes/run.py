#!/usr/bin/python3
"""How vendor-review is started: plain CGI, FastCGI on TCP, under
spawn-fcgi (listening socket on fd 0), SIGTERM with a request in flight,
and the migrate command (idempotent, refuses a changed applied file).

Runs against the database of a running test instance (scripts/test), with
plugin processes of its own on their own sockets; it leaves the instance
as it found it.  Last line: "modes: N passed, N failed".

  /usr/bin/python3 tests/modes/run.py --repo DIR --config run/test/vendor-review.conf \
      --mysql "mariadb --no-defaults -S SOCK -u root intranet"
"""

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fault"))
from faultlib import Db, Failure, Session, check  # noqa: E402

API = "/vendor-review/api"
TESTS = []


def test(fn):
    TESTS.append(fn)
    return fn


class Ctx:
    def __init__(self, args):
        self.repo = os.path.abspath(args.repo)
        self.binary = os.path.join(self.repo, "fcgi", "vendor-review")
        self.config = os.path.abspath(args.config)
        self.db = Db(args.mysql)
        self.mysql = args.mysql
        self.tmp = tempfile.mkdtemp(prefix="vr-modes-")

    def conf_with(self, **changes):
        """A copy of the test config with directives replaced; its path."""
        lines = []
        with open(self.config, encoding="utf-8") as f:
            for line in f:
                name = line.split()[0] if line.split() else ""
                if name in changes:
                    continue
                lines.append(line.rstrip("\n"))
        lines += ["%s %s" % kv for kv in changes.items()]
        path = os.path.join(self.tmp, "vr-%d.conf" % len(os.listdir(self.tmp)))
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        return path


def parse_cgi(out):
    """(status, headers, body) of a CGI/FastCGI response."""
    head, _, body = out.partition(b"\r\n\r\n")
    headers = {}
    for line in head.decode("latin-1").split("\r\n"):
        k, _, v = line.partition(":")
        headers[k.strip().lower()] = v.strip()
    return int(headers.get("status", "0").split()[0] or 0), headers, body


def request_env(method, path, user=None, groups=None, body=b"", ctype=None, query=""):
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"),
           "REQUEST_METHOD": method, "DOCUMENT_URI": API + path,
           "REQUEST_URI": API + path + ("?" + query if query else ""),
           "QUERY_STRING": query}
    if user is not None:
        env["VR_USER"] = user
    if groups is not None:
        env["VR_GROUPS"] = groups
    if body:
        env["CONTENT_LENGTH"] = str(len(body))
        env["CONTENT_TYPE"] = ctype or "application/json"
    return env


def fcgi(connect, method, path, timeout=30, **kw):
    """One request over FastCGI with cgi-fcgi (libfcgi-bin)."""
    body = kw.get("body", b"")
    env = request_env(method, path, **kw)
    p = subprocess.run(["cgi-fcgi", "-bind", "-connect", connect], input=body,
                       env=env, capture_output=True, timeout=timeout)
    return parse_cgi(p.stdout)


def start(cmd, log):
    f = open(log, "wb")
    return subprocess.Popen(cmd, stdout=f, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                            start_new_session=True)


def wait_for(connect, secs=20):
    end = time.monotonic() + secs
    while time.monotonic() < end:
        try:
            if fcgi(connect, "GET", "/health", timeout=5)[0] == 200:
                return
        except Exception:
            pass
        time.sleep(0.2)
    raise Failure("no healthy answer on %s within %d s" % (connect, secs))


def stop(proc, secs=20):
    """SIGTERM; returns the exit status (KILL and Failure after secs)."""
    proc.send_signal(signal.SIGTERM)
    try:
        return proc.wait(timeout=secs)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        raise Failure("did not exit within %d s of SIGTERM" % secs)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def create_vendor(connect, name):
    st, _, body = fcgi(connect, "POST", "/vendors", user="modes", groups="requesters",
                       body=json.dumps({"name": name}).encode())
    check(st == 201, "POST /vendors: %d %r" % (st, body[:200]))
    return json.loads(body)


# --- tests -------------------------------------------------------------------------

def cgi_request(ctx, method, path, **kw):
    """One request through the binary as a CGI program (its own process)."""
    env = request_env(method, path, **kw)
    env.update(GATEWAY_INTERFACE="CGI/1.1", VENDOR_REVIEW_CONFIG=ctx.config)
    p = subprocess.run([ctx.binary], input=kw.get("body", b""), env=env,
                       capture_output=True, timeout=30)
    check(p.returncode == 0, "CGI exit %d: %r" % (p.returncode, p.stderr[-300:]))
    return parse_cgi(p.stdout)


@test
def cgi_requests(ctx):
    """One request per process, from the environment and stdin."""
    def cgi(method, path, **kw):
        return cgi_request(ctx, method, path, **kw)

    st, h, body = cgi("GET", "/health")
    check(st == 200 and json.loads(body)["status"] == "ok", "health %d %r" % (st, body))
    name = "CGI 株式会社 %d" % os.getpid()
    st, h, body = cgi("POST", "/vendors", user="cgi-user", groups="requesters",
                      body=json.dumps({"name": name}).encode())
    check(st == 201, "POST %d %r" % (st, body[:200]))
    vid = json.loads(body)["id"]
    check(ctx.db.scalar("SELECT name FROM vr_vendors WHERE id=%d" % vid) == name,
          "the CGI POST is stored")
    st, h, body = cgi("GET", "/vendors/%d" % vid)
    check(st == 401 and h.get("content-type", "").startswith("application/problem+json"),
          "no identity over CGI: %d %s" % (st, h.get("content-type")))
    return "health 200, POST 201 stored, no identity 401"


@test
def list_cache_across_processes(ctx):
    """A list answer is kept until a write commits, in any process."""
    port, port_off = free_port(), free_port()
    on = "127.0.0.1:%d" % port
    off = "127.0.0.1:%d" % port_off
    p = start([ctx.binary, "-c", ctx.conf_with(listen=on), "serve"],
              os.path.join(ctx.tmp, "cache-on.log"))
    q = start([ctx.binary, "-c", ctx.conf_with(listen=off, list_cache_size="0"), "serve"],
              os.path.join(ctx.tmp, "cache-off.log"))
    try:
        wait_for(on)
        wait_for(off)
        tok = "Cache%d" % port
        v = create_vendor(on, tok + " 商事")
        who = dict(user="modes", groups="requesters", query="q=" + tok)

        def listed(connect):
            st, h, body = fcgi(connect, "GET", "/vendors", **who)
            check(st == 200, "list on %s: %d %r" % (connect, st, body[:200]))
            return h.get("x-cache"), json.loads(body)["items"]

        first, items = listed(on)
        second, _ = listed(on)       # kept on second sight
        again, items2 = listed(on)
        check((first, second, again) == ("miss", "miss", "hit"),
              "miss, miss, hit: %r, %r, %r" % (first, second, again))
        check(items == items2 and [i["id"] for i in items] == [v["id"]],
              "the hit is the same answer: %r" % items2)
        # A write in another process (a CGI run): the next answer is fresh.
        st, _, body = cgi_request(ctx, "PATCH", "/vendors/%d" % v["id"], user="modes",
                                  groups="requesters",
                                  body=json.dumps({"version": v["version"],
                                                   "address": "moved by CGI"}).encode())
        check(st == 200, "PATCH over CGI: %d %r" % (st, body[:200]))
        state, items = listed(on)
        check(state == "miss" and items[0]["address"] == "moved by CGI",
              "after another process wrote: %r %r" % (state, items[0].get("address")))
        state, _ = listed(off)
        check(state is None, "list_cache_size 0: no X-Cache header, got %r" % state)
        # A database put back to another state with the same last audit
        # id (a restore): the hash differs, so the kept answer is not used.
        listed(on)
        check(listed(on)[0] == "hit", "kept again after the CGI write")
        real = ctx.db.scalar("SELECT last_hash FROM vr_chain_head WHERE id = 1")
        try:
            ctx.db.run("UPDATE vr_chain_head SET last_hash = REPEAT('a', 64) WHERE id = 1")
            state, _ = listed(on)
            check(state == "miss", "same id, other hash: want a miss, got %r" % state)
        finally:
            ctx.db.run("UPDATE vr_chain_head SET last_hash = '%s' WHERE id = 1" % real)
    finally:
        rc, rc_off = stop(p), stop(q)
    check(rc == 0 and rc_off == 0, "exit status %d/%d after SIGTERM" % (rc, rc_off))
    return ("miss, miss, hit, fresh after a CGI write; off with list_cache_size 0; "
            "a changed chain hash at the same id is a miss")


@test
def fastcgi_on_tcp(ctx):
    port = free_port()
    conf = ctx.conf_with(listen="127.0.0.1:%d" % port)
    p = start([ctx.binary, "-c", conf, "serve"], os.path.join(ctx.tmp, "tcp.log"))
    try:
        wait_for("127.0.0.1:%d" % port)
        v = create_vendor("127.0.0.1:%d" % port, "TCP %d" % port)
    finally:
        rc = stop(p)
    check(rc == 0, "exit status %d after SIGTERM" % rc)
    return "answered on 127.0.0.1:%d (vendor %d), exit 0 on SIGTERM" % (port, v["id"])


@test
def spawn_fcgi_socket_on_fd0(ctx):
    sock = os.path.join(ctx.tmp, "spawn.sock")
    conf = ctx.conf_with(listen="unix:" + os.path.join(ctx.tmp, "unused.sock"))
    p = start(["spawn-fcgi", "-n", "-s", sock, "--", ctx.binary, "-c", conf, "serve"],
              os.path.join(ctx.tmp, "spawn.log"))
    try:
        wait_for(sock)
    finally:
        rc = stop(p)
    check(rc == 0, "exit status %d after SIGTERM" % rc)
    with open(os.path.join(ctx.tmp, "spawn.log"), encoding="utf-8", errors="replace") as f:
        log = f.read()
    check("fd 0 (spawn-fcgi)" in log, "log names the inherited socket: %r" % log[-300:])
    check(not os.path.exists(os.path.join(ctx.tmp, "unused.sock")),
          "the configured listen address is not used")
    return "served on the inherited socket, exit 0"


@test
def sigterm_lets_request_in_flight_finish(ctx):
    sock = os.path.join(ctx.tmp, "term.sock")
    conf = ctx.conf_with(listen="unix:" + sock, db_lock_wait_timeout="20")
    log = os.path.join(ctx.tmp, "term.log")
    p = start([ctx.binary, "-c", conf, "serve"], log)
    s = None
    try:
        wait_for(sock)
        v = create_vendor(sock, "Term %d" % os.getpid())
        # Hold the chain head so the PATCH waits inside its transaction.
        s = Session(ctx.mysql)
        s.q("BEGIN; SELECT last_audit_id FROM vr_chain_head WHERE id = 1 FOR UPDATE;")
        result = {}

        def patch():
            result["r"] = fcgi(sock, "PATCH", "/vendors/%d" % v["id"], user="modes",
                               groups="requesters",
                               body=json.dumps({"version": v["version"],
                                                "address": "after TERM"}).encode())
        t = threading.Thread(target=patch)
        t.start()
        time.sleep(1.0)
        check(t.is_alive(), "the PATCH should be waiting for the lock")
        p.send_signal(signal.SIGTERM)
        time.sleep(1.0)
        check(p.poll() is None, "the plugin must not exit while a request is in flight")
        s.q("COMMIT;")
        t.join(30)
        st, _, body = result.get("r", (0, None, b""))
        check(st == 200, "the PATCH in flight finished with %d %r" % (st, body[:200]))
        rc = p.wait(timeout=20)
        check(rc == 0, "exit status %d" % rc)
    finally:
        if s is not None:
            s.close()
        if p.poll() is None:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()
    check(ctx.db.scalar("SELECT address FROM vr_vendors WHERE id=%d" % v["id"]) == "after TERM",
          "the change is stored")
    return "PATCH waited 2 s on a lock across SIGTERM, got 200, then exit 0"


@test
def migrate_idempotent_and_checksummed(ctx):
    p = subprocess.run([ctx.binary, "-c", ctx.config, "migrate"], capture_output=True,
                       text=True, timeout=60)
    check(p.returncode == 0 and "0 migrations applied" in p.stdout,
          "second migrate: %d %r %r" % (p.returncode, p.stdout, p.stderr))
    before = ctx.db.rows("SELECT version, checksum FROM vr_schema_migrations ORDER BY version")
    sql = os.path.join(ctx.tmp, "sql")
    shutil.copytree(os.path.join(ctx.repo, "sql"), sql)
    with open(os.path.join(sql, "001_foundation.sql"), "a", encoding="utf-8") as f:
        f.write("-- an edit after release\n")
    conf = ctx.conf_with(migrations_dir=sql)
    p = subprocess.run([ctx.binary, "-c", conf, "migrate"], capture_output=True, text=True,
                       timeout=60)
    check(p.returncode == 1 and "001_foundation.sql" in p.stderr and "changed" in p.stderr,
          "changed file: %d %r" % (p.returncode, p.stderr))
    after = ctx.db.rows("SELECT version, checksum FROM vr_schema_migrations ORDER BY version")
    check(before == after, "nothing recorded after the refusal")
    return "rerun applies nothing; an edited applied file stops it, naming the file"


@test
def serve_refuses_a_bad_manifest(ctx):
    """serve, not only check-config, stops on a manifest naming a guard
    the program does not have, with the file and line, before it binds."""
    d = os.path.join(ctx.tmp, "pm")
    shutil.copytree(os.path.join(ctx.repo, "plugin-manifests"), d)
    path = os.path.join(d, "vendor-review.xml")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    bad = text.replace('cond="all_required_answered"', 'cond="all_required_answered sunny_day"', 1)
    check(bad != text, "the manifest has a guard to change")
    with open(path, "w", encoding="utf-8") as f:
        f.write(bad)
    sock = os.path.join(ctx.tmp, "badmanifest.sock")
    conf = ctx.conf_with(manifest=path, listen="unix:" + sock)
    p = subprocess.run([ctx.binary, "-c", conf, "serve"], capture_output=True, text=True,
                       timeout=60)
    check(p.returncode != 0, "serve started with a bad manifest: %d" % p.returncode)
    check(path + ":" in p.stderr and 'guard "sunny_day" does not exist' in p.stderr,
          "the reason names file, line and guard: %r" % p.stderr)
    check(not os.path.exists(sock), "nothing was bound")
    return "exit %d: %s" % (p.returncode, p.stderr.strip().splitlines()[0][-80:])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repo", default=".")
    ap.add_argument("--config", required=True)
    ap.add_argument("--mysql", required=True)
    args = ap.parse_args()
    ctx = Ctx(args)
    passed = failed = 0
    try:
        for fn in TESTS:
            t0 = time.monotonic()
            try:
                what = fn(ctx)
                print("ok %s (%.1fs): %s" % (fn.__name__, time.monotonic() - t0, what))
                passed += 1
            except Exception as e:  # a crash of the test is a failure too
                print("FAIL %s: %s: %s" % (fn.__name__, type(e).__name__, e))
                failed += 1
            sys.stdout.flush()
    finally:
        shutil.rmtree(ctx.tmp, ignore_errors=True)
    print("modes: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
