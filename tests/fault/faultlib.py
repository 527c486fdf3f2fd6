"""Plumbing for the vendor-review fault suite (standard library only).

A keep-alive HTTP client that never retries a write, the MariaDB helpers
(one-shot queries and a long-lived session that holds locks), control of
the private stack through scripts/lib.sh, and the data-consistency check
shared by the tests (every vendor equals its last audit row's after-image,
audit rows and events pair up one to one and are numbered 1..N without
gaps, verify-audit-log passes).
"""

import base64
import http.client
import json
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.parse

# Failure, check and the one-shot MariaDB helper are the integration
# suite's, so every suite fails and queries the same way.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                                "integration"))
from vrlib import Db, Failure, check, run_check  # noqa: E402,F401

PASSWORD = "demo"


# --- HTTP ------------------------------------------------------------------------

class Resp:
    """One answer (status None: no answer, see error)."""

    __slots__ = ("method", "path", "status", "headers", "body", "t0", "t1",
                 "error", "_json")

    def __init__(self, method, path, t0):
        self.method, self.path, self.t0 = method, path, t0
        self.status = None
        self.headers = {}
        self.body = b""
        self.t1 = None
        self.error = None
        self._json = None

    @property
    def ctype(self):
        return (self.headers.get("content-type") or "").split(";")[0].strip().lower()

    def json(self):
        if self._json is None:
            try:
                self._json = json.loads(self.body.decode("utf-8"))
            except Exception:
                self._json = {}
        return self._json

    def ok(self):
        return self.status is not None and 200 <= self.status < 300

    def code(self):
        """The problem document's code, or None."""
        if self.ctype != "application/problem+json":
            return None
        j = self.json()
        return j.get("code") if isinstance(j, dict) else None

    def brief(self):
        if self.status is None:
            return "%s %s -> no answer (%s)" % (self.method, self.path, self.error)
        b = self.body[:240].decode("utf-8", "replace").replace("\n", " ")
        return "%s %s -> %d %s %s" % (self.method, self.path, self.status, self.ctype, b)


class Client:
    """HTTP/1.1 to one base URL.  keepalive=True reuses one connection.

    A request is sent once: a write that got no answer is reported as
    such (status None), never sent again.  Only a GET that failed on a
    reused connection before any byte came back is retried once on a new
    connection (the server may have closed the idle connection)."""

    def __init__(self, base, timeout=30.0, keepalive=True):
        u = urllib.parse.urlsplit(base.rstrip("/"))
        self.host, self.port, self.prefix = u.hostname, u.port or 80, u.path
        self.timeout = timeout
        self.keepalive = keepalive
        self.conn = None

    def close(self):
        if self.conn is not None:
            try:
                self.conn.close()
            except Exception:
                pass
            self.conn = None

    def request(self, method, path, body=None, user="requester1", headers=None):
        h = {}
        if user:
            tok = base64.b64encode(("%s:%s" % (user, PASSWORD)).encode()).decode()
            h["Authorization"] = "Basic " + tok
        if body is not None and not isinstance(body, bytes):
            body = json.dumps(body, ensure_ascii=False).encode("utf-8")
            h["Content-Type"] = "application/json"
        if not self.keepalive:
            h["Connection"] = "close"
        if headers:
            h.update(headers)
        for attempt in (0, 1):
            reused = self.conn is not None
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port,
                                                       timeout=self.timeout)
            r = Resp(method, path, time.monotonic())
            try:
                self.conn.request(method, self.prefix + path, body=body, headers=h)
                hr = self.conn.getresponse()
                r.body = hr.read()
                r.status = hr.status
                r.headers = {k.lower(): v for k, v in hr.getheaders()}
                r.t1 = time.monotonic()
                if not self.keepalive or hr.will_close:
                    self.close()
                return r
            except (OSError, http.client.HTTPException) as e:
                r.t1 = time.monotonic()
                r.error = "%s: %s" % (type(e).__name__, e)
                self.close()
                if (attempt == 0 and reused and method == "GET" and
                        isinstance(e, (http.client.RemoteDisconnected,
                                       ConnectionResetError, BrokenPipeError))):
                    continue
                return r
        return r

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body, **kw):
        return self.request("POST", path, body=body, **kw)

    def patch(self, path, body, **kw):
        return self.request("PATCH", path, body=body, **kw)


def is_problem(r, status, codes=None):
    """r is an RFC 9457 JSON problem of this status (and one of codes)."""
    if r.status != status or r.ctype != "application/problem+json":
        return False
    j = r.json()
    if not isinstance(j, dict) or j.get("status") != status:
        return False
    return codes is None or j.get("code") in codes


# --- MariaDB ---------------------------------------------------------------------

class Session:
    """A long-lived `mariadb` client (stdin kept open) that holds locks.

    q(sql) sends statements followed by a marker SELECT and waits for the
    marker: the statements before it have finished (or failed; --force
    keeps the client going and the error lines are collected)."""

    def __init__(self, cmd):
        self.p = subprocess.Popen(cmd + " -N -B --unbuffered --force", shell=True,
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, start_new_session=True)
        self.out = queue.Queue()
        self.errors = []
        self.n = 0
        threading.Thread(target=self._pump, args=(self.p.stdout, self.out.put),
                         daemon=True).start()
        threading.Thread(target=self._pump, args=(self.p.stderr, self.errors.append),
                         daemon=True).start()

    @staticmethod
    def _pump(f, sink):
        for line in iter(f.readline, b""):
            sink(line.decode("utf-8", "replace").rstrip("\n"))

    def send(self, sql):
        self.p.stdin.write(sql.encode() + b"\n")
        self.p.stdin.flush()

    def q(self, sql, timeout=30):
        """Runs sql; returns its output lines.  Raises Failure on timeout."""
        self.n += 1
        mark = "fault-mark-%d" % self.n
        self.send(sql + "\nSELECT '%s';" % mark)
        lines, end = [], time.monotonic() + timeout
        while True:
            left = end - time.monotonic()
            if left <= 0:
                raise Failure("external session: no answer within %ds to %r" % (timeout, sql[:100]))
            try:
                line = self.out.get(timeout=left)
            except queue.Empty:
                continue
            if line == mark:
                return lines
            lines.append(line)

    def close(self):
        try:
            self.p.stdin.close()
        except Exception:
            pass
        try:
            self.p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.p.pid, signal.SIGKILL)
            self.p.wait(timeout=10)


# --- the stack -------------------------------------------------------------------

def proc_alive(pid):
    """True for a live process (a zombie counts as dead)."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            st = f.read()
    except OSError:
        return False
    return st[st.rindex(")") + 2] not in "ZX"


def read_pid(path):
    try:
        with open(path) as f:
            s = f.read().strip()
        return int(s) if s else None
    except (OSError, ValueError):
        return None


def rss_kb(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


class Stack:
    """The private instance run/<name>, driven through scripts/lib.sh."""

    def __init__(self, repo, instance_dir, base, noauth_base, config, binary=None,
                 db_port=None):
        self.repo = os.path.abspath(repo)
        d = instance_dir if os.path.isabs(instance_dir) else os.path.join(self.repo, instance_dir)
        self.dir = os.path.abspath(d)
        self.name = os.path.basename(self.dir)
        check(os.path.dirname(self.dir) == os.path.join(self.repo, "run"),
              "--instance-dir %s is not REPO/run/<instance> (scripts/lib.sh needs that)" % self.dir)
        c = config if os.path.isabs(config) else os.path.join(self.repo, config)
        self.config = os.path.abspath(c)
        self.base = base.rstrip("/")
        self.nginx_port = urllib.parse.urlsplit(base).port
        self.noauth_port = urllib.parse.urlsplit(noauth_base).port
        self.plugin_pidfile = os.path.join(self.dir, "plugin.pid")
        self.db_pidfile = os.path.join(self.dir, "mysqld.pid")
        self.sock = os.path.join(self.dir, "vendor-review.sock")
        self.plugin_log = os.path.join(self.dir, "plugin.log")
        self.log = os.path.join(self.dir, "fault-stack.log")
        self.db_port = db_port or self._db_port_of_running() or \
            int(os.environ.get("VR_DB_PORT", "3408"))
        self.binary = binary or self._plugin_binary() or \
            os.path.join(self.repo, "fcgi", "vendor-review")

    # What the running processes were started with, so a restart matches.
    def _cmdline(self, pid):
        try:
            with open("/proc/%d/cmdline" % pid, "rb") as f:
                return [a.decode("utf-8", "replace") for a in f.read().split(b"\0") if a]
        except (OSError, TypeError):
            return []

    def _db_port_of_running(self):
        for a in self._cmdline(read_pid(self.db_pidfile)):
            if a.startswith("--port="):
                return int(a.split("=", 1)[1])
        return None

    def binary_note(self):
        """A warning when the running plugin's binary was replaced on disk
        (a rebuild since it started): a restart then runs different code."""
        pid = self.plugin_pid()
        try:
            exe = os.readlink("/proc/%d/exe" % pid)
        except (OSError, TypeError):
            return None
        if exe.endswith(" (deleted)"):
            return ("note: the running plugin's binary %s was replaced since it started;"
                    " restarts run %s" % (exe, self.binary))
        return None

    def _plugin_binary(self):
        args = self._cmdline(read_pid(self.plugin_pidfile))
        if args and os.path.basename(args[0]) == "vendor-review" and os.access(args[0], os.X_OK):
            return os.path.abspath(args[0])
        return None

    def lib(self, cmd, timeout=120):
        """Runs `cmd` after sourcing scripts/lib.sh and `vr_instance NAME`.

        Daemons it starts get their own session, so they outlive this
        suite and any process-group signal aimed at it."""
        env = dict(os.environ, VR_NGINX_PORT=str(self.nginx_port),
                   VR_NOAUTH_PORT=str(self.noauth_port), VR_DB_PORT=str(self.db_port))
        script = ". %s/scripts/lib.sh && vr_instance %s && %s" % (
            shq(self.repo), shq(self.name), cmd)
        with open(self.log, "ab") as log:
            log.write(("\n--- %s %s\n" % (time.strftime("%F %T"), cmd)).encode())
            log.flush()
            p = subprocess.run(["bash", "-c", script], stdin=subprocess.DEVNULL,
                               stdout=log, stderr=log, env=env, timeout=timeout,
                               start_new_session=True)
        return p.returncode

    def plugin_pid(self):
        return read_pid(self.plugin_pidfile)

    def db_pid(self):
        return read_pid(self.db_pidfile)

    def plugin_alive(self):
        pid = self.plugin_pid()
        return pid is not None and proc_alive(pid)

    def db_alive(self):
        pid = self.db_pid()
        return pid is not None and proc_alive(pid)

    def kill_plugin(self):
        """SIGKILL of the plugin; waits until it is gone.  Returns its pid."""
        pid = self.plugin_pid()
        check(pid is not None and proc_alive(pid), "no live plugin pid in %s" % self.plugin_pidfile)
        os.kill(pid, signal.SIGKILL)
        end = time.monotonic() + 10
        while proc_alive(pid):
            check(time.monotonic() < end, "plugin pid %d still alive 10 s after SIGKILL" % pid)
            time.sleep(0.02)
        # A zombie (not yet reaped by the shell that started it) would look
        # alive to vr_pid_alive (kill -0); the pid file goes, as
        # vr_plugin_stop does.
        try:
            os.unlink(self.plugin_pidfile)
        except OSError:
            pass
        return pid

    def start_plugin(self):
        rc = self.lib("vr_plugin_start %s" % shq(self.binary))
        check(rc == 0, "vr_plugin_start failed (%d); see %s" % (rc, self.log))
        self.wait_health(30)

    def stop_db(self):
        rc = self.lib("vr_mariadb_stop", timeout=120)
        check(rc == 0, "vr_mariadb_stop failed (%d); see %s" % (rc, self.log))

    def start_db(self):
        rc = self.lib("vr_mariadb_start", timeout=120)
        check(rc == 0, "vr_mariadb_start failed (%d); see %s" % (rc, self.log))

    def health(self):
        return Client(self.base, timeout=10, keepalive=False).get("/health", user="requester1")

    def wait_health(self, secs):
        end = time.monotonic() + secs
        while True:
            r = self.health()
            if r.status == 200:
                return r
            if time.monotonic() > end:
                raise Failure("GET /health not 200 within %ds: %s" % (secs, r.brief()))
            time.sleep(0.25)

    def ensure_up(self):
        """Starts what is down (MariaDB, then the plugin); waits for /health."""
        if not self.db_alive():
            self.start_db()
        if not self.plugin_alive():
            self.start_plugin()
        self.wait_health(60)

    def plugin_log_tail(self, since=0, n=12):
        """The plugin log's last n lines written after byte offset since."""
        try:
            with open(self.plugin_log, "rb") as f:
                f.seek(since)
                data = f.read()
        except OSError:
            return []
        return [ln.decode("utf-8", "replace") for ln in data.splitlines()[-n:]]

    def plugin_log_size(self):
        try:
            return os.path.getsize(self.plugin_log)
        except OSError:
            return 0


def shq(s):
    return "'" + s.replace("'", "'\\''") + "'"


def config_number(config, key, default):
    """A number directive from the plugin's config, or its default."""
    try:
        with open(config) as f:
            for line in f:
                m = re.match(r"\s*%s\s+(\d+)\s*(#.*)?$" % re.escape(key), line)
                if m:
                    return int(m.group(1))
    except OSError:
        pass
    return default


def lock_wait_timeout(config):
    """db_lock_wait_timeout from the plugin's config (its default: 10)."""
    return config_number(config, "db_lock_wait_timeout", 10)


# --- consistency ---------------------------------------------------------------------

NULLABLE_TEXT = ["name_kana", "corporate_number", "address", "contact_name",
                 "contact_email", "contract_type", "owner_department"]


def norm(v):
    d = dict(v)
    for k in NULLABLE_TEXT:
        d.setdefault(k, None)
    return d


def all_vendors_http(base):
    """Every vendor as the API lists it (sort=id, pages of 200)."""
    c = Client(base, timeout=30)
    out, cursor = {}, None
    for _ in range(10000):
        path = "/vendors?sort=id&limit=200" + (
            "&cursor=" + urllib.parse.quote(cursor, safe="") if cursor else "")
        r = c.get(path, user="auditor1")
        check(r.status == 200, "listing vendors: %s" % r.brief())
        b = r.json()
        for v in b.get("items", []):
            out[v["id"]] = v
        cursor = b.get("next_cursor")
        if not cursor:
            c.close()
            return out
    raise Failure("listing vendors: more than 10000 pages")


def consistency(stack, db, binary=None):
    """Raises Failure naming what is inconsistent; returns a summary."""
    probs = []
    # Numbering: audit rows and events 1..N without gaps; the chain head
    # points at the last of each.
    a_n, a_min, a_max = [int(x) for x in db.rows(
        "SELECT COUNT(*), COALESCE(MIN(id),0), COALESCE(MAX(id),0) FROM vr_audit_log")[0]]
    e_n, e_min, e_max = [int(x) for x in db.rows(
        "SELECT COUNT(*), COALESCE(MIN(id),0), COALESCE(MAX(id),0) FROM vr_events")[0]]
    if a_n and (a_min != 1 or a_max != a_n):
        probs.append("audit ids not 1..N: count %d, min %d, max %d" % (a_n, a_min, a_max))
    if e_n and (e_min != 1 or e_max != e_n):
        probs.append("event ids not 1..N: count %d, min %d, max %d" % (e_n, e_min, e_max))
    head = db.rows("SELECT last_audit_id, last_event_id FROM vr_chain_head WHERE id=1")
    if head != [[str(a_max), str(e_max)]]:
        probs.append("chain head %r, want last_audit_id %d, last_event_id %d" % (head, a_max, e_max))
    # One event per audit row and one audit row per event.
    # (vr_events has no index on audit_id: a LEFT JOIN from the audit log
    # would scan the events once per audit row, so the sets are compared here.)
    ev_audit = set(int(r[0]) for r in db.rows("SELECT audit_id FROM vr_events"))
    audit_ids = [int(r[0]) for r in db.rows("SELECT id FROM vr_audit_log")]
    lonely = sorted(set(audit_ids) - ev_audit)
    if lonely:
        probs.append("%d audit rows without an event, first: %s" % (len(lonely), lonely[:5]))
    multi = db.rows("SELECT audit_id, COUNT(*) FROM vr_events GROUP BY audit_id"
                    " HAVING COUNT(*) <> 1 LIMIT 5")
    if multi:
        probs.append("audit rows with several events: %r" % multi)
    orphan = db.rows("SELECT e.id FROM vr_events e LEFT JOIN vr_audit_log a"
                     " ON a.id=e.audit_id WHERE a.id IS NULL ORDER BY e.id LIMIT 5")
    if orphan:
        probs.append("events without an audit row: %s" % [r[0] for r in orphan])
    mism = db.rows("SELECT e.id FROM vr_events e JOIN vr_audit_log a ON a.id=e.audit_id"
                   " WHERE e.entity<>a.entity OR e.entity_id<>a.entity_id"
                   " OR e.type<>a.action OR e.request_id<>a.request_id LIMIT 5")
    if mism:
        probs.append("events that do not match their audit row: %s" % [r[0] for r in mism])
    # Every vendor equals its last audit row's after-image.
    last = {}
    for vid, hexj in db.rows(
            "SELECT a.entity_id, HEX(a.after_json) FROM vr_audit_log a JOIN"
            " (SELECT entity_id, MAX(id) m FROM vr_audit_log WHERE entity='vendor'"
            " GROUP BY entity_id) t ON a.id=t.m"):
        try:
            last[int(vid)] = json.loads(bytes.fromhex(hexj).decode("utf-8")) if hexj else None
        except ValueError as e:
            probs.append("vendor %s: last audit after-image is not JSON: %s" % (vid, e))
    vendors = all_vendors_http(stack.base)
    n_sql = int(db.scalar("SELECT COUNT(*) FROM vr_vendors"))
    if n_sql != len(vendors):
        probs.append("GET /vendors lists %d vendors, the table has %d" % (len(vendors), n_sql))
    bad = []
    for vid, v in sorted(vendors.items()):
        if vid not in last:
            bad.append("vendor %d has no audit row" % vid)
        elif last[vid] is None:
            bad.append("vendor %d: last audit row has no after-image" % vid)
        elif norm(last[vid]) != norm(v):
            a, g = norm(last[vid]), norm(v)
            diff = sorted(k for k in set(a) | set(g) if a.get(k) != g.get(k))
            bad.append("vendor %d differs from its last audit after-image in %s"
                       " (audit: %s; GET: %s)" % (vid, diff,
                                                 {k: a.get(k) for k in diff[:3]},
                                                 {k: g.get(k) for k in diff[:3]}))
    for vid in sorted(set(last) - set(vendors)):
        bad.append("audit rows for vendor %d, which does not exist" % vid)
    if bad:
        probs.append("%d vendor(s) inconsistent, first: %s" % (len(bad), "; ".join(bad[:3])))
    # The hash chain.
    p = subprocess.run([binary or stack.binary, "-c", stack.config, "verify-audit-log"],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120)
    out = p.stdout.decode("utf-8", "replace").strip()
    if p.returncode != 0:
        probs.append("verify-audit-log exit %d: %s" % (p.returncode, out[-300:]))
    if probs:
        raise Failure("; ".join(probs))
    return "%d vendors, %d audit rows, %d events consistent" % (len(vendors), a_n, e_n)
