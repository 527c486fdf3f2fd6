#!/usr/bin/python3
"""The rt suite: Request Tracker 5 as a real host (contrib/rt/).

Stands RT up on this machine beside the test instance of scripts/test:
RT's own database on the instance's private MariaDB (rt-setup-database
with contrib/rt/initialdata), rt-server.fcgi under spawn-fcgi, an nginx
of its own on 127.0.0.1:--port in front of both RT and the plugin with
one login (HTTP Basic standing in for the intranet's; RT trusts it
through $WebRemoteUserAuth, the plugin through its identity params),
and contrib/rt/vr-rt-bridge following /events.  Then drives an
onboarding through the plugin and reads RT's tickets back through RT's
REST 2.0 API: one ticket per case, a comment per transition with who
did it, resolved at the end, host_ref set; kills the plugin under the
bridge (it says so and resumes once the plugin is back), restarts the
bridge with its state lost (no second ticket, no second comment) and
stops RT under it (the bridge says so and catches up when RT is back).

One line per check ("ok NAME" or "not ok NAME: why"), then
"rt: N passed, N failed".  Everything it started is stopped at the end.
"""

import argparse
import base64
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "integration"))
sys.path.insert(0, os.path.join(HERE, "..", "fault"))
from cases_assessments import answers_for  # noqa: E402  (the same answers as the integration suite)
from faultlib import Stack  # noqa: E402  (kills and restarts the plugin by its pid file)
from vrlib import Failure, nginx_conf  # noqa: E402

RT_FCGI = "/usr/share/request-tracker5/libexec/rt-server.fcgi"
RT_SETUP = "/usr/sbin/rt-setup-database-5"
RT_LIB = "/usr/share/request-tracker5/lib"
PASSWORD = "demo"
RT_DB = "rt5_vendor_review"
QUEUE = "Vendor Review"

PASSED = FAILED = 0


def report(name, ok, why=""):
    global PASSED, FAILED
    if ok:
        PASSED += 1
        print("ok %s" % name, flush=True)
    else:
        FAILED += 1
        print("not ok %s: %s" % (name, why), flush=True)


def check(name, fn):
    """Runs fn(); a Failure or any exception is this check's failure."""
    try:
        fn()
        report(name, True)
        return True
    except Failure as e:
        report(name, False, str(e))
    except Exception as e:  # a bug or an unexpected answer: still a failure
        report(name, False, "%s: %s" % (type(e).__name__, e))
    return False


def want(cond, msg):
    if not cond:
        raise Failure(msg)


def wait_for(what, fn, secs=45):
    """fn() until it returns something true; Failure after secs."""
    end = time.monotonic() + secs
    last = None
    while time.monotonic() < end:
        try:
            got = fn()
            if got:
                return got
        except Failure as e:
            last = e
        time.sleep(0.5)
    raise Failure("%s: not within %d s%s" % (what, secs, " (%s)" % last if last else ""))


# --- HTTP ----------------------------------------------------------------------
def http(method, url, body=None, auth=None, headers=None, timeout=60):
    """(status, body bytes)."""
    h = dict(headers or {})
    if auth is not None:
        h["Authorization"] = auth
    data = None
    if body is not None:
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        h["Content-Type"] = "application/json"
    req = urllib.request.Request(url, data=data, headers=h, method=method)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def basic(user):
    return "Basic " + base64.b64encode(("%s:%s" % (user, PASSWORD)).encode()).decode()


class Site:
    """The plugin and RT behind this suite's nginx."""

    def __init__(self, port, token=None):
        self.root = "http://127.0.0.1:%d" % port
        self.api = self.root + "/vendor-review/api"
        self.rest = self.root + "/rt/REST/2.0"
        self.token = token

    def vr(self, method, path, body=None, user="requester1", ok=(200,)):
        s, b = http(method, self.api + path, body, basic(user))
        want(s in ok, "%s %s as %s: %d %s" % (method, path, user, s, b[:300]))
        return json.loads(b) if b else None

    def rt(self, method, path, body=None, ok=(200,)):
        s, b = http(method, self.rest + path, body, "token " + self.token)
        want(s in ok, "RT %s %s: %d %s" % (method, path, s, b[:300]))
        return json.loads(b) if b else None

    def tickets_of(self, case_id):
        q = "Queue = '%s' AND 'CF.{vendor-review case}' = '%d'" % (QUEUE, case_id)
        page = self.rt("GET", "/tickets?" + urllib.parse.urlencode({"query": q, "per_page": 50}))
        return [int(i["id"]) for i in page["items"]]

    def history(self, tid, kind):
        """The contents of ticket tid's transactions of type kind, in order."""
        page = self.rt("GET", "/ticket/%d/history?fields=Type&per_page=100" % tid)
        out = []
        for t in page["items"]:
            if t.get("Type") != kind:
                continue
            att = self.rt("GET", "/transaction/%s/attachments?fields=Content,ContentType" % t["id"])
            out.append("".join(a.get("Content") or "" for a in att["items"]))
        return out

    def cf(self, ticket, name):
        for f in ticket.get("CustomFields") or []:
            if f.get("name") == name:
                return (f.get("values") or [None])[0]
        return None


# --- processes -------------------------------------------------------------------
def run(cmd, log, env=None, stdin=subprocess.DEVNULL, timeout=300):
    with open(log, "ab") as f:
        f.write(("\n$ %s\n" % " ".join(shlex.quote(c) for c in cmd)).encode())
        f.flush()
        r = subprocess.run(cmd, stdin=stdin, stdout=f, stderr=subprocess.STDOUT, env=env,
                           timeout=timeout)
    if r.returncode != 0:
        with open(log, "rb") as f:
            tail = f.read()[-600:].decode("utf-8", "replace")
        raise Failure("%s exited %d: ...%s" % (cmd[0], r.returncode, tail))


def pid_alive(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except (OSError, IndexError):
        return False


def stop_pids(pids, secs=15):
    for p in pids:
        try:
            os.kill(p, signal.SIGTERM)
        except ProcessLookupError:
            pass
    end = time.monotonic() + secs
    while any(pid_alive(p) for p in pids) and time.monotonic() < end:
        time.sleep(0.2)
    for p in pids:
        if pid_alive(p):
            os.kill(p, signal.SIGKILL)


class Rig:
    def __init__(self, a):
        self.a = a
        self.dir = os.path.join(a.run_dir, "rt")
        self.site_d = os.path.join(self.dir, "RT_SiteConfig.d")
        self.sock = os.path.join(self.dir, "rt.sock")
        self.pidfile = os.path.join(self.dir, "rt.pid")
        self.ngx = os.path.join(self.dir, "nginx")
        self.state = os.path.join(self.dir, "bridge.state")
        self.bridge_log = os.path.join(self.dir, "bridge.log")
        self.setup_log = os.path.join(self.dir, "setup.log")
        self.rt_log = os.path.join(self.dir, "rt-server.log")
        self.bridge = None
        self.rt_pids = []
        self.nginx_pid = None
        self.dba_pw = base64.b16encode(os.urandom(12)).decode().lower()
        self.rt_pw = base64.b16encode(os.urandom(12)).decode().lower()
        self.env = dict(os.environ, RT_SITE_CONFIG=os.path.join(self.dir, "RT_SiteConfig.pm"),
                        RT_SITE_CONFIG_DIR=self.site_d)

    def sql(self, stmt):
        cmd = shlex.split(self.a.mysql)
        r = subprocess.run(cmd, input=stmt.encode(), capture_output=True, timeout=60)
        want(r.returncode == 0, "mariadb: %s" % r.stderr.decode()[-400:])
        return r.stdout.decode()

    # -- RT -----------------------------------------------------------------------
    def configure(self):
        if os.path.isdir(self.dir):
            shutil.rmtree(self.dir)
        os.makedirs(self.site_d)
        open(os.path.join(self.dir, "RT_SiteConfig.pm"), "w").close()
        shutil.copy(os.path.join(self.a.repo, "contrib/rt/RT_SiteConfig.d/60-vendor-review.pm"),
                    self.site_d)
        # What a site sets for itself: its database and address.  Mail is
        # kept in a temporary file; logs go to rt-server.log.
        with open(os.path.join(self.site_d, "70-test.pm"), "w") as f:
            f.write("""# Written by tests/rt/run.py.
Set($DatabaseType, 'mysql');
Set($DatabaseHost, '127.0.0.1');
Set($DatabasePort, '%d');
Set($DatabaseName, '%s');
Set($DatabaseUser, 'rt_vr');
Set($DatabasePassword, '%s');
Set($DatabaseRTHost, '127.0.0.1');
Set($DatabaseAdmin, 'rt_vr_dba');
Set($WebBaseURL, 'http://127.0.0.1:%d');
Set($Timezone, 'UTC');
Set($LogToSTDERR, 'warning');
Set($LogToSyslog, undef);
Set($LogToFile, undef);
Set($MailCommand, 'testfile');
1;
""" % (self.a.db_port, RT_DB, self.rt_pw, self.a.port))

    def database(self):
        self.sql("DROP DATABASE IF EXISTS %s; DROP USER IF EXISTS 'rt_vr'@'127.0.0.1';"
                 "DROP USER IF EXISTS 'rt_vr_dba'@'127.0.0.1';"
                 "CREATE USER 'rt_vr_dba'@'127.0.0.1' IDENTIFIED BY '%s';"
                 "GRANT ALL PRIVILEGES ON *.* TO 'rt_vr_dba'@'127.0.0.1' WITH GRANT OPTION;"
                 % (RT_DB, self.dba_pw))
        dba = ["--dba", "rt_vr_dba", "--dba-password", self.dba_pw]
        run([RT_SETUP, "--action", "init"] + dba, self.setup_log, self.env)
        run([RT_SETUP, "--action", "insert", "--datafile",
             os.path.join(self.a.repo, "contrib/rt/initialdata")] + dba, self.setup_log, self.env)

    def token(self):
        perl = ('use RT; RT::LoadConfig(); RT::Init();'
                'my $u = RT::User->new(RT->SystemUser); $u->Load("vr-bridge");'
                'die "no vr-bridge user\\n" unless $u->id;'
                'my $t = RT::AuthToken->new(RT->SystemUser);'
                'my ($ok, $msg, $s) = $t->Create(Owner => $u->id, Description => "vendor-review bridge");'
                'die "token: $msg\\n" unless $ok; print "$s\\n";')
        r = subprocess.run(["perl", "-I" + RT_LIB, "-e", perl], env=self.env, capture_output=True,
                           timeout=120)
        want(r.returncode == 0, "token: %s" % r.stderr.decode()[-400:])
        tok = r.stdout.decode().strip().splitlines()[-1]
        path = os.path.join(self.dir, "rt.token")
        with open(path, "w") as f:
            os.fchmod(f.fileno(), 0o600)
            f.write(tok + "\n")
        return tok

    def rt_start(self):
        for p in (self.sock, self.pidfile):
            if os.path.exists(p):
                os.unlink(p)
        with open(self.rt_log, "ab") as f:
            r = subprocess.run(["spawn-fcgi", "-F", "2", "-s", self.sock, "-P", self.pidfile,
                                "--", RT_FCGI], env=self.env, stdin=subprocess.DEVNULL,
                               stdout=f, stderr=f, timeout=60)
        want(r.returncode == 0, "spawn-fcgi exited %d (%s)" % (r.returncode, self.rt_log))
        with open(self.pidfile) as f:
            self.rt_pids = [int(x) for x in f.read().split()]
        want(self.rt_pids and all(pid_alive(p) for p in self.rt_pids), "RT workers died at once")

    def rt_stop(self):
        stop_pids(self.rt_pids)
        gone = not any(pid_alive(p) for p in self.rt_pids)
        self.rt_pids = []
        return gone

    # -- nginx ---------------------------------------------------------------------
    def nginx_start(self):
        n, repo = self.ngx, self.a.repo
        os.makedirs(os.path.join(n, "snippets"), exist_ok=True)
        os.symlink(os.path.join(repo, "contrib/rt/rt-fastcgi.conf"),
                   os.path.join(n, "snippets/rt-fastcgi.conf"))
        conf = nginx_conf(n, """    include /etc/nginx/mime.types;
    access_log %(n)s/logs/access.log;
    upstream vendor_review { server unix:%(plugin)s; }
    upstream request_tracker { server unix:%(rt)s; }
    include %(repo)s/deploy/nginx/demo-auth.conf;
    include %(repo)s/deploy/nginx/vendor-review-http.conf;
    server {
        listen 127.0.0.1:%(port)d;
        server_name localhost;
        auth_basic "intranet";
        auth_basic_user_file %(htpasswd)s;
        include %(repo)s/deploy/nginx/vendor-review.conf;
        include %(repo)s/contrib/rt/rt.conf;
    }""" % {"n": n, "repo": repo, "port": self.a.port, "rt": self.sock,
            "plugin": os.path.join(self.a.run_dir, "vendor-review.sock"),
            "htpasswd": os.path.join(self.a.run_dir, "htpasswd")},
            "tests/rt/run.py: one server, one login, RT and the plugin")
        base = ["nginx", "-p", n, "-e", os.path.join(n, "logs/error.log"), "-c", conf]
        run(base + ["-t"], self.setup_log)
        run(base, self.setup_log)
        pidfile = os.path.join(n, "nginx.pid")
        wait_for("nginx's pid file", lambda: os.path.exists(pidfile), 10)
        with open(pidfile) as f:
            self.nginx_pid = int(f.read().strip())

    # -- the bridge ------------------------------------------------------------------
    def bridge_start(self, site):
        pw = os.path.join(self.dir, "bridge.password")
        with open(pw, "w") as f:
            os.fchmod(f.fileno(), 0o600)
            f.write(PASSWORD + "\n")
        log = open(self.bridge_log, "ab")
        self.bridge = subprocess.Popen(
            [sys.executable, os.path.join(self.a.repo, "contrib/rt/vr-rt-bridge"),
             "--vr-url", site.api, "--vr-user", "admin1", "--vr-password-file", pw,
             "--rt-url", site.root + "/rt", "--rt-token-file", os.path.join(self.dir, "rt.token"),
             "--state", self.state, "--wait", "30", "--max-backoff", "2"],
            stdin=subprocess.DEVNULL, stdout=log, stderr=log)
        log.close()

    def bridge_stop(self):
        """The bridge's exit status after SIGTERM (None: had to be killed)."""
        if self.bridge is None:
            return 0
        self.bridge.send_signal(signal.SIGTERM)
        try:
            rc = self.bridge.wait(15)
        except subprocess.TimeoutExpired:
            self.bridge.kill()
            self.bridge.wait()
            rc = None
        self.bridge = None
        return rc

    def bridge_says(self):
        with open(self.bridge_log, encoding="utf-8", errors="replace") as f:
            return f.read()

    def stop_all(self):
        self.bridge_stop()
        if self.nginx_pid:
            stop_pids([self.nginx_pid])
            self.nginx_pid = None
        self.rt_stop()


# --- the scenario ------------------------------------------------------------------
def fire(site, case, action, user):
    c = site.vr("POST", "/assessments/%d/transitions" % case["id"],
                {"action": action, "version": case["version"], "comment": "RT 連携テスト"}, user=user)
    want(c["state"] != case["state"] or action == "reissue_link", "%s moved nothing" % action)
    return c


def max_event(rig):
    out = rig.sql("SELECT COALESCE(MAX(id),0) FROM vr_events").split()
    return int(out[-1])


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--repo", required=True)
    p.add_argument("--run-dir", required=True, help="the test instance's run/test")
    p.add_argument("--port", type=int, required=True, help="this suite's nginx (RT and the plugin)")
    p.add_argument("--db-port", type=int, required=True, help="the instance's MariaDB TCP port")
    p.add_argument("--mysql", required=True, help="mariadb command line as its admin, on its database")
    p.add_argument("--base", required=True, help="the instance's API URL (its own nginx)")
    p.add_argument("--noauth-base", required=True, help="the instance's no-auth API URL")
    p.add_argument("--config", required=True, help="the instance's vendor-review.conf")
    a = p.parse_args()
    t0 = time.monotonic()
    rig = Rig(a)
    site = Site(a.port)
    ctx = {}
    try:
        missing = [x for x in (RT_FCGI, RT_SETUP, shutil.which("spawn-fcgi") or "spawn-fcgi")
                   if not os.path.exists(x)]
        if not check("rt_installed", lambda: want(not missing, "not installed: %s (request-tracker5, "
                                                  "rt5-db-mysql, rt5-fcgi, spawn-fcgi)"
                                                  % ", ".join(missing))):
            return
        t = time.monotonic()

        def setup():
            rig.configure()
            rig.database()
            site.token = rig.token()
        if not check("rt_database_on_the_private_mariadb", setup):
            return
        print("# RT's database and token: %.1f s" % (time.monotonic() - t), flush=True)

        def start():
            rig.rt_start()
            rig.nginx_start()
            wait_for("RT through nginx", lambda: http("GET", site.root + "/rt/",
                                                      auth=basic("requester1"))[0] == 200, 60)
        if not check("rt_under_spawn_fcgi_behind_nginx", start):
            return

        def one_login():
            for url in (site.root + "/rt/", site.api + "/vendors"):
                s, _ = http("GET", url)
                want(s == 401, "without a login %s is %d, not 401" % (url, s))
            s, page = http("GET", site.root + "/rt/", auth=basic("reviewer1"))
            want(s == 200 and b"reviewer1" in page, "RT's page for reviewer1: %d, names the user: %s"
                 % (s, b"reviewer1" in page))
            want(b'name="pass"' not in page, "RT showed its own login form")
            v = site.vr("POST", "/vendors", {"name": "株式会社RT連携テスト"}, ok=(201,))
            want(v["created_by"] == "requester1", "the plugin saw %r" % v["created_by"])
            ctx["vendor"] = v
        check("one_login_for_rt_and_the_plugin", one_login)

        def rest2():
            s, _ = http("GET", site.rest + "/queues/all")
            want(s == 401, "REST 2.0 without a token: %d" % s)
            qs = [site.rt("GET", "/queue/%s" % q["id"])["Name"]
                  for q in site.rt("GET", "/queues/all")["items"]]
            want(QUEUE in qs, "queues the bridge sees: %r" % qs)
        check("rest2_token_sees_the_vendor_review_queue", rest2)

        # The bridge starts from now: the events of earlier suites are not RT's.
        ctx["start"] = max_event(rig)
        with open(rig.state, "w") as f:
            json.dump({"last_event": ctx["start"]}, f)
        rig.bridge_start(site)

        def case_opens_ticket():
            v = ctx.get("vendor") or site.vr("POST", "/vendors", {"name": "株式会社RT連携テスト"},
                                              ok=(201,))
            case = site.vr("POST", "/assessments", {"kind": "onboarding", "vendor_id": v["id"]},
                           ok=(201,))
            ctx["case"] = case
            tids = wait_for("a ticket for case %d" % case["id"], lambda: site.tickets_of(case["id"]))
            want(len(tids) == 1, "tickets %r" % tids)
            ctx["tid"] = tid = tids[0]
            t = site.rt("GET", "/ticket/%d" % tid)
            want("委託先審査" in t["Subject"] and v["name"] in t["Subject"], "subject %r" % t["Subject"])
            body = site.history(tid, "Create")
            want(body and "#/assessments/%d" % case["id"] in body[0] and "開始" in body[0],
                 "body %r" % body)
            ref = wait_for("host_ref", lambda: site.vr("GET", "/assessments/%d" % case["id"])
                           .get("host_ref"), 20)
            want(ref == "RT-%d" % tid, "host_ref %r, ticket %d" % (ref, tid))
            found = site.vr("GET", "/assessments?host_ref=RT-%d" % tid)["items"]
            # (an earlier run's RT had the same ticket numbers)
            want(case["id"] in [c["id"] for c in found], "host_ref filter: %r" % found)
        if not check("a_case_opens_one_ticket_with_host_ref", case_opens_ticket):
            return

        def comments(n):
            return wait_for("%d comments on ticket %d" % (n, ctx["tid"]),
                            lambda: (lambda c: c if len(c) >= n else None)(
                                site.history(ctx["tid"], "Comment")), 45)

        def submit():
            case = ctx["case"]
            r = site.vr("PUT", "/assessments/%d/answers" % case["id"],
                        {"answers": answers_for(case["questions"])})
            ctx["case"] = fire(site, r, "submit", "requester1")
            c = comments(1)
            want("requester1" in c[0] and "提出" in c[0], "comment %r" % c[0])
        check("a_transition_is_a_comment_naming_who", submit)

        def plugin_down():
            stack = Stack(a.repo, a.run_dir, a.base, a.noauth_base, a.config)
            mark = len(rig.bridge_says())
            stack.kill_plugin()
            try:
                said = wait_for("the bridge saying vendor-review failed", lambda: [
                    line for line in rig.bridge_says()[mark:].splitlines()
                    if "ERROR vendor-review:" in line and "retrying" in line], 30)
                print("# the bridge said: %s" % said[0], flush=True)
            finally:
                stack.start_plugin()
            ctx["case"] = fire(site, ctx["case"], "request_changes", "reviewer1")
            c = comments(2)
            want("reviewer1" in c[1] and "差し戻し" in c[1], "comment %r" % c[1])
        check("plugin_down_the_bridge_says_so_and_resumes", plugin_down)

        def restart_bridge():
            rc = rig.bridge_stop()
            want(rc == 0, "the bridge's exit status on SIGTERM: %r" % rc)
            # A restart that lost its state: every event since the start again.
            with open(rig.state, "w") as f:
                json.dump({"last_event": ctx["start"]}, f)
            ctx["case"] = fire(site, ctx["case"], "submit", "requester1")
            rig.bridge_start(site)
            c = comments(3)
            time.sleep(2)  # time for a duplicate to show, if there were one
            c = site.history(ctx["tid"], "Comment")
            want(len(c) == 3 and "requester1" in c[2], "comments after the restart: %r" % c)
            want(site.tickets_of(ctx["case"]["id"]) == [ctx["tid"]], "a second ticket")
            want(rig.bridge_says().count("opened RT ticket") == 1, "the bridge opened another ticket")
        check("bridge_restart_without_state_opens_nothing_twice", restart_bridge)

        def rt_down():
            want(rig.rt_stop(), "RT's workers did not stop")
            mark, before = len(rig.bridge_says()), max_event(rig)
            ctx["case"] = fire(site, ctx["case"], "complete_review", "reviewer1")
            ctx["case"] = fire(site, ctx["case"], "approve", "approver1")
            evs = [e["id"] for e in site.vr("GET", "/events?after=%d" % before)["items"]
                   if e["type"] in ("onboarding.complete_review", "onboarding.approve")]
            ev = evs[-1]
            said = wait_for("the bridge saying RT failed", lambda: [
                line for line in rig.bridge_says()[mark:].splitlines()
                if "ERROR RT:" in line and "event %d" % evs[0] in line], 30)
            print("# the bridge said: %s" % said[0], flush=True)
            want("retrying" in said[0], "no retry in %r" % said[0])
            rig.rt_start()
            wait_for("ticket %d resolved" % ctx["tid"],
                     lambda: site.rt("GET", "/ticket/%d" % ctx["tid"])["Status"] == "resolved", 60)
            ctx["approve_event"] = ev
        check("rt_down_the_bridge_says_so_and_catches_up", rt_down)

        def read_back():
            case_id, tid = ctx["case"]["id"], ctx["tid"]
            want(site.tickets_of(case_id) == [tid], "one ticket per case")
            t = site.rt("GET", "/ticket/%d" % tid)
            want(t["Status"] == "resolved", "status %r" % t["Status"])
            want(site.cf(t, "vendor-review case") == str(case_id), "case CF %r" % site.cf(
                t, "vendor-review case"))
            want(site.cf(t, "vendor-review event") == str(ctx["approve_event"]), "event CF %r" %
                 site.cf(t, "vendor-review event"))
            c = site.history(tid, "Comment")
            who = [next((u for u in ("requester1", "reviewer1", "approver1") if u in x), None)
                   for x in c]
            want(who == ["requester1", "reviewer1", "requester1", "reviewer1", "approver1"],
                 "comments by %r: %r" % (who, c))
            want("解決済み" in c[-1], "the last comment says it is resolved: %r" % c[-1])
            case = site.vr("GET", "/assessments/%d" % case_id)
            want((case["state"], case["host_ref"]) == ("approved", "RT-%d" % tid),
                 "case %r %r" % (case["state"], case["host_ref"]))
        check("rt_reads_back_one_ticket_five_comments_resolved", read_back)
    finally:
        def stopped():
            pids = rig.rt_pids + ([rig.nginx_pid] if rig.nginx_pid else [])
            rc = rig.bridge_stop()
            rig.stop_all()
            want(rc == 0, "the bridge's exit status on SIGTERM: %r" % rc)
            left = [p for p in pids if pid_alive(p)]
            want(not left, "still running: %r" % left)
        check("everything_started_is_stopped", stopped)
        print("# %.1f s in all; logs in %s" % (time.monotonic() - t0, rig.dir), flush=True)
        print("rt: %d passed, %d failed" % (PASSED, FAILED), flush=True)


if __name__ == "__main__":
    main()
    sys.exit(1 if FAILED else 0)
