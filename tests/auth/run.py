#!/usr/bin/env python3
"""Identity behind the intranet's login, end to end (standard library only).

Starts a stand-in for the intranet's session check (http.server on
127.0.0.1: a session cookie becomes X-User / X-Groups, no valid cookie
is 401), an nginx whose server block is deploy/nginx/auth-request.example.conf
as shipped (only the check's URL and the snippets' paths put in) in front
of the test instance's plugin, the internet-facing server block of
deploy/nginx/vendor-outside.example.conf (only its listen and TLS lines and
paths changed) beside it, and a second plugin on the same database with
groups_separator '|' and group names holding spaces and commas, behind a
second nginx made the same way.  One line per check; the last line is
"auth: N passed, N failed".  Everything it starts it stops.
"""

import argparse
import http.client
import http.server
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                                "integration"))
from vrlib import Db, check, nginx_conf, run_check  # noqa: E402

COOKIE = "intranet_session"
# session -> (user, groups) as the intranet's check would say.
SESSIONS = {
    "s-requester": ("alice.requester", "requesters"),
    "s-auditor": ("bob.auditor", "auditors"),
    "s-nogroup": ("carol.nobody", ""),
    # A Japanese user name: its UTF-8 bytes in the header, as a host sends them.
    "s-ja": ("山田花子", "requesters"),
    # For the second plugin (groups_separator |): an Active Directory group
    # with a space and an LDAP DN with commas.
    "s-ad": ("taro.yamada", "Domain Users"),
    "s-dn": ("hanako.sato", "CN=VR Approvers,OU=Groups,DC=example,DC=co,DC=jp|Staff"),
    "s-both": ("jiro.suzuki",
               "Domain Users | CN=VR Approvers,OU=Groups,DC=example,DC=co,DC=jp"),
}
DN = "CN=VR Approvers,OU=Groups,DC=example,DC=co,DC=jp"


# --- the stand-in session check ---------------------------------------------------------

class SessionCheck(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, port):
        super().__init__(("127.0.0.1", port), SessionHandler)
        self.asked = []          # (uri, cookie) of every check
        self.lock = threading.Lock()


class SessionHandler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def do_GET(self):
        cookie = self.headers.get("Cookie") or ""
        sid = None
        for part in cookie.split(";"):
            k, _, v = part.strip().partition("=")
            if k == COOKIE:
                sid = v
        with self.server.lock:
            self.server.asked.append((self.headers.get("X-Original-URI"), sid))
        who = SESSIONS.get(sid)
        if sid == "s-redirect":     # a check that sends people to its login page
            self.send_response(302)
            self.send_header("Location", "/login")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if self.path != "/auth/whoami" or who is None:
            self.send_response(401)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        # http.server writes header values as Latin-1: these are the
        # UTF-8 bytes themselves on the wire.
        self.send_header("X-User", who[0].encode("utf-8").decode("latin-1"))
        self.send_header("X-Groups", who[1].encode("utf-8").decode("latin-1"))
        self.send_header("Content-Length", "0")
        self.end_headers()


# --- nginx ----------------------------------------------------------------------------------

def server_part(path, repo, subst):
    """The uncommented lines of an example file, with the snippets' paths
    and the replacements in subst ((regex, text, count wanted)) made."""
    text = "".join(line for line in open(path, encoding="utf-8")
                   if not line.lstrip().startswith("#"))
    text = text.replace("/etc/nginx/snippets/", os.path.join(repo, "deploy", "nginx") + "/")
    text = text.replace("/usr/local/share/vendor-review/web", os.path.join(repo, "web"))
    for rx, new, want in subst:
        text, n = re.subn(rx, new, text)
        check(n == want, "%s: %r matched %d times, want %d (the example changed?)"
              % (os.path.relpath(path, repo), rx, n, want))
    return text


class Nginx:
    def __init__(self, root, repo, sock, servers):
        self.dir = root
        self.proc = None
        self.access = os.path.join(root, "logs", "access.log")
        self.conf = nginx_conf(root, """    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    log_format vr_up '$server_port $request_method $request_uri $status up=$upstream_addr';
    access_log %s vr_up;
    server_tokens off;
    upstream vendor_review {
        server unix:%s;
    }
    include %s/deploy/nginx/vendor-review-http.conf;
%s""" % (self.access, sock, repo, "".join(servers)), "tests/auth/run.py")

    def cmd(self, *extra):
        return ["nginx", "-p", self.dir, "-e", os.path.join(self.dir, "logs", "error.log"),
                "-c", self.conf] + list(extra)

    def test(self):
        p = subprocess.run(self.cmd("-t", "-q"), stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=30)
        return p.returncode, p.stdout.decode("utf-8", "replace").strip()

    def start(self, ports):
        self.proc = subprocess.Popen(self.cmd("-g", "daemon off;"), stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_ports(ports, self.proc, "nginx")

    def access_lines(self):
        try:
            with open(self.access, encoding="utf-8", errors="replace") as f:
                return f.read().splitlines()
        except FileNotFoundError:
            return []

    def stop(self):
        stop_proc(self.proc, signal.SIGQUIT)


def stop_proc(p, sig=signal.SIGTERM, secs=20):
    if p is None or p.poll() is not None:
        return
    p.send_signal(sig)
    try:
        p.wait(secs)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait(10)


def wait_ports(ports, proc, what, secs=20):
    t_end = time.time() + secs
    for port in ports:
        while True:
            check(proc.poll() is None, "%s exited with %s" % (what, proc.returncode))
            try:
                socket.create_connection(("127.0.0.1", port), 0.5).close()
                break
            except OSError:
                check(time.time() < t_end, "%s does not listen on 127.0.0.1:%d" % (what, port))
                time.sleep(0.1)


# --- HTTP -----------------------------------------------------------------------------------

class Resp:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    def json(self):
        return json.loads(self.body.decode("utf-8"))

    def brief(self):
        return "%s %s %s" % (self.status, self.headers.get("Content-Type", ""),
                             self.body[:160].decode("utf-8", "replace").replace("\n", " "))


def req(port, method, path, session=None, body=None, headers=None, source=None):
    h = dict(headers or {})
    if session is not None:
        h["Cookie"] = "%s=%s" % (COOKIE, session)
    data = None
    if body is not None:
        data = json.dumps(body).encode("utf-8")
        h["Content-Type"] = "application/json"
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30,
                                   source_address=(source, 0) if source else None)
    try:
        c.request(method, path, body=data, headers=h)
        r = c.getresponse()
        return Resp(r.status, {k: v for k, v in r.getheaders()}, r.read())
    finally:
        c.close()


def raw_get(port, target):
    """A GET whose request target is sent exactly as written."""
    with socket.create_connection(("127.0.0.1", port), 10) as s:
        s.sendall(("GET %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                   % target).encode("ascii"))
        status_line = s.makefile("rb").readline()
    return int(status_line.split(b" ", 2)[1])


def problem_code(r):
    try:
        return r.json().get("code")
    except ValueError:
        return None


# --- the checks -----------------------------------------------------------------------------

class Ctx:
    pass


API = "/vendor-review/api"


def from_plugin(r):
    """The plugin answered (every answer of it has X-Request-Id)."""
    return "X-Request-Id" in r.headers


def t_config_valid(ctx):
    for ng in ctx.nginxes:
        rc, out = ng.test()
        check(rc == 0, "nginx -t %s: %s" % (ng.conf, out))
    return "nginx -t: the example's server block and the outside block load"


def t_no_cookie(ctx):
    n0 = ctx.db.scalar("SELECT COUNT(*) FROM vr_audit_log")
    before = len(ctx.ngx.access_lines())
    out = []
    for method, path, body in (("GET", API + "/vendors", None), ("GET", API + "/me", None),
                               ("POST", API + "/vendors", {"name": "no cookie"}),
                               ("GET", API + "/events", None)):
        r = req(ctx.p_in, method, path, body=body)
        check(r.status == 401, "%s %s without a cookie: %s" % (method, path, r.brief()))
        check(not from_plugin(r), "%s %s: the plugin answered (%s)" % (method, path, r.brief()))
        out.append(method)
    r = req(ctx.p_in, "GET", API + "/me", session="s-forged")
    check(r.status == 401 and not from_plugin(r), "an unknown session: %s" % r.brief())
    r = req(ctx.p_in, "GET", API + "/me", session="s-redirect")
    check(r.status == 500 and not from_plugin(r), "a check answering 302: %s" % r.brief())
    time.sleep(0.2)
    lines = ctx.ngx.access_lines()[before:]
    reached = [ln for ln in lines if "unix:" in ln]
    check(not reached, "nginx passed to the plugin: %s" % reached[:3])
    check(ctx.db.scalar("SELECT COUNT(*) FROM vr_audit_log") == n0, "an audit row was written")
    return ("%d requests: 401 from nginx (500 when the check answers 302), none passed to the "
            "plugin's socket (access log), no audit row" % (len(out) + 2))


def t_cookie_identity(ctx):
    r = req(ctx.p_in, "GET", API + "/me", session="s-requester")
    check(r.status == 200, "GET /me with the requester's cookie: %s" % r.brief())
    me = r.json()
    check(me.get("user") == "alice.requester" and me.get("roles") == ["requester"],
          "GET /me: %r" % me)
    r = req(ctx.p_in, "GET", API + "/me", session="s-auditor")
    check(r.status == 200 and r.json() == {"user": "bob.auditor", "roles": ["auditor"]},
          "GET /me as the auditor: %s" % r.brief())
    r = req(ctx.p_in, "GET", API + "/me", session="s-ja")
    check(r.status == 200 and r.json() == {"user": "山田花子", "roles": ["requester"]},
          "GET /me as a user with a Japanese name: %s" % r.brief())
    r = req(ctx.p_in, "GET", API + "/vendors", session="s-nogroup")
    check(r.status == 403, "a user without a mapped group: %s" % r.brief())
    asked = [a for a in ctx.check.asked if a[1] == "s-requester"]
    check(asked and asked[-1][0] == API + "/me", "the check saw X-Original-URI: %r" % asked[-1:])
    return ("/me: alice.requester [requester], bob.auditor [auditor], 山田花子 (UTF-8 header) "
            "[requester]; no mapped group: 403")


def t_write_audited(ctx):
    r = req(ctx.p_in, "POST", API + "/vendors", session="s-requester",
            body={"name": "auth suite %d" % os.getpid(), "payment_data": True})
    check(r.status == 201, "POST /vendors as the requester: %s" % r.brief())
    vid = r.json()["id"]
    ctx.vendor_id = vid
    actor = ctx.db.scalar("SELECT actor FROM vr_audit_log WHERE entity = 'vendor' AND "
                          "entity_id = %d ORDER BY id LIMIT 1" % vid)
    check(actor == "alice.requester", "audit row's actor: %r" % actor)
    r = req(ctx.p_in, "GET", API + "/audit-log?entity=vendor:%d" % vid, session="s-auditor")
    check(r.status == 200, "GET /audit-log as the auditor: %s" % r.brief())
    items = r.json()["items"]
    check(items and items[0]["actor"] == "alice.requester", "audit-log items: %r" % items[:1])
    r = req(ctx.p_in, "POST", API + "/vendors", session="s-auditor", body={"name": "auditor's"})
    check(r.status == 403, "POST /vendors as the auditor: %s" % r.brief())
    return "vendor %d: audit row actor alice.requester (DB and GET /audit-log); auditor's POST 403" % vid


def t_spoofed_headers(ctx):
    spoof = {"X-User": "admin1", "X-Groups": "admins", "VR-User": "admin1",
             "VR-Groups": "admins", "VR_USER": "admin1", "VR_GROUPS": "admins",
             "X-Remote-User": "admin1"}
    r = req(ctx.p_in, "GET", API + "/me", session="s-requester", headers=spoof)
    check(r.status == 200 and r.json() == {"user": "alice.requester", "roles": ["requester"]},
          "GET /me with forged headers: %s" % r.brief())
    r = req(ctx.p_in, "GET", API + "/audit-log", session="s-requester", headers=spoof)
    check(r.status == 403, "GET /audit-log (auditor, admin) with forged headers: %s" % r.brief())
    r = req(ctx.p_in, "GET", API + "/me", headers=spoof)
    check(r.status == 401 and not from_plugin(r), "forged headers without a cookie: %s" % r.brief())
    return "X-User, X-Groups, VR-User, VR_USER, X-Remote-User: still alice.requester; without a cookie 401"


def send_case(ctx):
    """A case sent to the vendor through the login-protected server: its link."""
    if getattr(ctx, "vendor_link", None):
        return ctx.vendor_link
    r = req(ctx.p_in, "POST", API + "/assessments", session="s-requester",
            body={"kind": "onboarding", "vendor_id": ctx.vendor_id, "host_ref": "AUTH-1"})
    check(r.status == 201, "POST /assessments: %s" % r.brief())
    case = r.json()
    r = req(ctx.p_in, "POST", API + "/assessments/%d/transitions" % case["id"],
            session="s-requester", body={"action": "send_to_vendor", "version": case["version"]})
    check(r.status == 200, "send_to_vendor: %s" % r.brief())
    ctx.vendor_link = r.json()["vendor_link"]
    check(ctx.vendor_link.startswith("/vendor-review/vendor/"), "vendor_link %r" % ctx.vendor_link)
    return ctx.vendor_link


def t_vendor_path(ctx):
    link = send_case(ctx)
    n = len(ctx.check.asked)
    r = req(ctx.p_in, "GET", link)
    check(r.status == 200 and r.json().get("state") == "with_vendor",
          "GET the vendor's link without a cookie: %s" % r.brief())
    check(len(ctx.check.asked) == n, "the session check was asked for the vendor's link")
    r = req(ctx.p_in, "GET", "/vendor-review/vendor/" + "0" * 32)
    check(r.status == 404 and from_plugin(r), "an unknown token: %s" % r.brief())
    return "the vendor's link answers 200 without a cookie, the check not asked; a wrong token 404"


def t_pages(ctx):
    r = req(ctx.p_in, "GET", "/vendor-review/")
    check(r.status == 401, "the intranet pages without a cookie: %s" % r.brief())
    r = req(ctx.p_in, "GET", "/vendor-review/", session="s-requester")
    check(r.status == 200 and b"<html" in r.body.lower(), "the pages with a cookie: %s" % r.brief())
    for path in ("/vendor-review/answer/", "/vendor-review/assets/answer.js",
                 "/vendor-review/i18n/ja.json"):
        r = req(ctx.p_in, "GET", path)
        check(r.status == 200, "%s without a cookie: %s" % (path, r.brief()))
    return "/vendor-review/ 401 without a cookie, 200 with; the vendor's page, assets, i18n 200 without"


def t_health(ctx):
    r = req(ctx.p_in, "GET", API + "/health")
    check(r.status == 200 and r.json().get("status") == "ok",
          "GET /health from 127.0.0.1 without a cookie: %s" % r.brief())
    r = req(ctx.p_in, "GET", API + "/health", source="127.0.0.2")
    check(r.status == 403 and not from_plugin(r), "GET /health from 127.0.0.2: %s" % r.brief())
    return "/health: 200 from 127.0.0.1 without a login, 403 from 127.0.0.2"


def t_groups_mapped(ctx):
    want = {"s-ad": ("taro.yamada", ["requester"]),
            "s-dn": ("hanako.sato", ["approver"]),
            "s-both": ("jiro.suzuki", ["requester", "approver"])}
    for sid, (user, roles) in want.items():
        r = req(ctx.p_sep, "GET", API + "/me", session=sid)
        check(r.status == 200, "GET /me (%s) on the '|' plugin: %s" % (sid, r.brief()))
        me = r.json()
        check(me.get("user") == user and sorted(me.get("roles", [])) == sorted(roles),
              "GET /me (%s): %r, want %s %s" % (sid, me, user, roles))
    # The same DN on the test instance (separator ','): split at its
    # commas, it is no group there.
    r = req(ctx.p_in, "GET", API + "/vendors", session="s-dn")
    check(r.status == 403, "the DN on the ',' plugin: %s" % r.brief())
    r = req(ctx.p_sep, "POST", API + "/vendors", session="s-ad",
            body={"name": "auth suite AD %d" % os.getpid()})
    check(r.status == 201, "POST /vendors as 'Domain Users': %s" % r.brief())
    actor = ctx.db.scalar("SELECT actor FROM vr_audit_log WHERE entity = 'vendor' AND "
                          "entity_id = %d ORDER BY id LIMIT 1" % r.json()["id"])
    check(actor == "taro.yamada", "audit actor %r" % actor)
    return ("'Domain Users' -> requester, '%s' -> approver, both -> both (groups_separator |); "
            "the DN on the ',' instance: 403" % DN)


def t_two_plugins(ctx):
    """The second plugin serves the same database: a write through one is
    read at once through the other, and wakes a long poll on the other."""
    head = int(ctx.db.scalar("SELECT last_event_id FROM vr_chain_head WHERE id = 1"))
    got = {}

    def poll():
        got["r"] = req(ctx.p_in, "GET", API + "/events?after=%d&wait=20" % head,
                       session="s-requester")
        got["t"] = time.time()

    th = threading.Thread(target=poll)
    th.start()
    time.sleep(1.0)
    t0 = time.time()
    r = req(ctx.p_sep, "POST", API + "/vendors", session="s-both",
            body={"name": "auth suite two plugins %d" % os.getpid()})
    check(r.status == 201, "POST /vendors through the second plugin: %s" % r.brief())
    vid = r.json()["id"]
    th.join(30)
    check("r" in got, "the long poll on the first plugin did not answer")
    items = got["r"].json()["items"]
    check(got["r"].status == 200 and [e["entity_id"] for e in items][:1] == [vid],
          "the long poll on the first plugin: %s" % got["r"].brief())
    check(got["t"] - t0 < 10, "the long poll answered %.1f s after the write" % (got["t"] - t0))
    r = req(ctx.p_in, "GET", API + "/vendors/%d" % vid, session="s-requester")
    check(r.status == 200 and r.json()["name"].startswith("auth suite two plugins"),
          "GET the vendor through the first plugin: %s" % r.brief())
    return ("vendor %d written through the second plugin: the first plugin's long poll woke "
            "%.1f s after, and reads it" % (vid, got["t"] - t0))


def t_outside(ctx):
    link = send_case(ctx)
    r = req(ctx.p_out, "GET", link)
    check(r.status == 200 and r.json().get("state") == "with_vendor",
          "the vendor's link through the outside server: %s" % r.brief())
    for path in ("/vendor-review/answer/", "/vendor-review/assets/answer.js",
                 "/vendor-review/i18n/en.json"):
        r = req(ctx.p_out, "GET", path)
        check(r.status == 200, "%s outside: %s" % (path, r.brief()))
    for path, sess in ((API + "/vendors", None), (API + "/vendors", "s-requester"),
                       (API + "/health", None), (API + "/me", "s-requester"), (API + "/", None),
                       ("/vendor-review/", "s-requester"), ("/", None), ("/vendor-review/api", None)):
        r = req(ctx.p_out, "GET", path, session=sess)
        check(r.status == 404 and not from_plugin(r), "GET %s outside: %s" % (path, r.brief()))
    for target in ("/vendor-review/vendor/../api/vendors", "/vendor-review/vendor/%2e%2e/api/vendors",
                   "/vendor-review/assets/../api/health", "/vendor-review//api/vendors"):
        st = raw_get(ctx.p_out, target)
        check(st in (400, 404), "GET %s outside: %d" % (target, st))
    r = req(ctx.p_out, "POST", API + "/vendors", session="s-requester", body={"name": "outside"})
    check(r.status == 404, "POST /vendors outside: %s" % r.brief())
    return "the vendor's link, its page, assets, i18n 200; the API, /health, /me, the pages, ../ tricks 404"


TESTS = [
    ("nginx_config_valid", t_config_valid),
    ("no_cookie_401_plugin_not_reached", t_no_cookie),
    ("cookie_user_and_roles", t_cookie_identity),
    ("write_audited_under_that_user", t_write_audited),
    ("client_identity_headers_ignored", t_spoofed_headers),
    ("vendor_path_without_cookie", t_vendor_path),
    ("pages_behind_login", t_pages),
    ("health_loopback_without_login", t_health),
    ("group_names_with_spaces_and_commas", t_groups_mapped),
    ("two_plugins_one_database", t_two_plugins),
    ("outside_server_vendor_path_only", t_outside),
]


# --- set-up ---------------------------------------------------------------------------------

def intranet_server(repo, port, check_port):
    """deploy/nginx/auth-request.example.conf's server-block part, as an
    admin pastes it, in a server of its own."""
    body = server_part(os.path.join(repo, "deploy", "nginx", "auth-request.example.conf"), repo,
                       [(r"proxy_pass http://[^;]*;",
                         "proxy_pass http://127.0.0.1:%d/auth/whoami;" % check_port, 1)])
    return "    server {\n        listen 127.0.0.1:%d;\n        server_name localhost;\n%s    }\n" % (
        port, body)


def outside_server(repo, port):
    return server_part(os.path.join(repo, "deploy", "nginx", "vendor-outside.example.conf"), repo,
                       [(r"listen [^;]*;", "listen 127.0.0.1:%d;" % port, 1),
                        (r"\n\s*ssl_[a-z_]+ [^;]*;", "", 2),
                        (r"server_name [^;]*;", "server_name localhost;", 1)])


def second_config(src, dst, sock):
    """The test instance's config on another socket, groups_separator | and
    the AD and LDAP groups mapped."""
    out = []
    for line in open(src, encoding="utf-8"):
        if line.startswith("listen "):
            line = "listen unix:%s\n" % sock
        out.append(line)
    out.append("groups_separator |\n")
    out.append("group_role Domain%20Users requester\n")
    out.append("group_role %s approver\n" % DN.replace(" ", "%20"))
    with open(dst, "w", encoding="utf-8") as f:
        f.write("".join(out))


def start_plugin(binary, conf, sock, log):
    try:
        os.unlink(sock)
    except FileNotFoundError:
        pass
    with open(log, "ab") as lf:
        p = subprocess.Popen([binary, "-c", conf, "serve"], stdin=subprocess.DEVNULL,
                             stdout=lf, stderr=subprocess.STDOUT)
    t_end = time.time() + 30
    while not os.path.exists(sock):
        check(p.poll() is None and time.time() < t_end,
              "the second plugin did not come up (log %s)" % log)
        time.sleep(0.1)
    return p


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repo", required=True)
    ap.add_argument("--instance-dir", required=True, help="run/test: this suite works in its auth/")
    ap.add_argument("--socket", required=True, help="the test instance's plugin socket")
    ap.add_argument("--config", required=True, help="the test instance's plugin config")
    ap.add_argument("--mysql", required=True)
    ap.add_argument("--port", type=int, required=True,
                    help="first of four ports: session check, intranet, outside, second plugin's nginx")
    ap.add_argument("--binary", default=None)
    a = ap.parse_args()
    # A TERM (scripts/test's timeout) still runs the clean-up below.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    ctx = Ctx()
    ctx.db = Db(a.mysql)
    ctx.p_check, ctx.p_in, ctx.p_out, ctx.p_sep = a.port, a.port + 1, a.port + 2, a.port + 3
    work = os.path.join(a.instance_dir, "auth")
    binary = a.binary or os.path.join(a.repo, "fcgi", "vendor-review")
    passed = failed = 0
    started = []
    ctx.nginxes = []
    try:
        shutil.rmtree(work, ignore_errors=True)
        os.makedirs(work)
        ctx.check = SessionCheck(ctx.p_check)
        threading.Thread(target=ctx.check.serve_forever, daemon=True).start()
        started.append(ctx.check.shutdown)
        sock2 = os.path.join(work, "plugin-sep.sock")
        conf2 = os.path.join(work, "vendor-review-sep.conf")
        second_config(a.config, conf2, sock2)
        p2 = start_plugin(binary, conf2, sock2, os.path.join(work, "plugin-sep.log"))
        started.append(lambda: stop_proc(p2))
        ctx.ngx = Nginx(os.path.join(work, "nginx"), a.repo, a.socket,
                        [intranet_server(a.repo, ctx.p_in, ctx.p_check),
                         outside_server(a.repo, ctx.p_out)])
        ngx2 = Nginx(os.path.join(work, "nginx-sep"), a.repo, sock2,
                     [intranet_server(a.repo, ctx.p_sep, ctx.p_check)])
        ctx.nginxes = [ctx.ngx, ngx2]
        for ng, ports in ((ctx.ngx, (ctx.p_in, ctx.p_out)), (ngx2, (ctx.p_sep,))):
            rc, out = ng.test()
            check(rc == 0, "nginx -t %s: %s" % (ng.conf, out))
            ng.start(ports)
            started.append(ng.stop)
    except Exception as e:
        print("FAIL setup: %s" % e)
        failed += 1
        TESTS[:] = []
    try:
        for name, fn in TESTS:
            if run_check(name, fn, ctx):
                passed += 1
            else:
                failed += 1
    finally:
        # Whatever happened (a broken stdout too), stop all that was started.
        for stop in reversed(started):
            try:
                stop()
            except Exception as e:
                print("   (stopping: %s)" % e, file=sys.stderr)
    print("auth: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
