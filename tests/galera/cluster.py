"""A three-node MariaDB Galera cluster on loopback, one vendor-review
plugin per node, and one nginx in front (standard library only).

Everything lives under /tmp/vr-galera-DBPORT/ (data dirs owned by the
`mysql` user: the rsync SST fails as root).  Ports are derived from the
test ports scripts/test is given:

  node i (0..2)   MariaDB 127.0.0.1:DBPORT+23+i, Galera base port
                  14567+30*(DBPORT-3428)+10*i (14567/14577/14587 for
                  DBPORT 3428; IST on base+1), rsync SST on base+3
  nginx           HTTPPORT+3: the upstream over the three plugins
                  (what a host sees), HTTPPORT+4+i: node i's plugin alone

  python3 tests/galera/cluster.py start|stop [--db-port P] [--http-port P]

Every process this starts is recorded in the run dir and stopped by
stop(), which also stops what an earlier, killed run left there.
"""

import argparse
import base64
import json
import os
import pwd
import shutil
import signal
import subprocess
import sys
import time
import urllib.request

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(REPO, "tests", "integration"))
from vrlib import nginx_conf  # noqa: E402
PROVIDER = "/usr/lib/galera/libgalera_smm.so"
NODES = 3
DB_NAME = "intranet"      # as scripts/lib.sh names them
DB_USER = "vr"
PASSWORD = "demo"


def lib_sh(func, **env):
    """Runs a function of scripts/lib.sh (the test instance's plumbing)."""
    subprocess.run(["bash", "-c", '. "$0/scripts/lib.sh" && ' + func, REPO],
                   env=dict(os.environ, **env), check=True, stdout=subprocess.DEVNULL)


def log(msg):
    print("[cluster] " + msg, file=sys.stderr, flush=True)


class Node:
    def __init__(self, cl, i):
        self.i = i
        self.name = "node%d" % (i + 1)
        self.dir = os.path.join(cl.dir, self.name)
        self.datadir = os.path.join(self.dir, "data")
        self.sock = os.path.join(self.dir, "mysqld.sock")
        self.pidfile = os.path.join(self.dir, "mysqld.pid")
        self.errlog = os.path.join(self.dir, "mariadb.err")
        self.port = cl.db_port + 23 + i
        self.gport = 14567 + 30 * (cl.db_port - 3428) + 10 * i
        self.sst_port = self.gport + 3
        self.http_port = cl.http_port + 4 + i
        self.plugin_sock = os.path.join(self.dir, "plugin.sock")
        self.plugin_conf = os.path.join(self.dir, "vendor-review.conf")
        self.plugin_log = os.path.join(self.dir, "plugin.log")
        self.plugin_pidfile = os.path.join(self.dir, "plugin.pid")
        self.cl = cl
        self.proc = None
        self.plugin = None

    # --- the database node -------------------------------------------------
    def mysql_cmd(self, db=DB_NAME):
        return "mariadb --no-defaults -S %s -u root %s" % (self.sock, db)

    def sql(self, text, check=True, timeout=60):
        p = subprocess.run(self.mysql_cmd("").split() + ["-N", "-B"], input=text.encode(),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
        if check and p.returncode != 0:
            raise RuntimeError("%s: %s: %s" % (self.name, text[:80], p.stderr.decode().strip()))
        return p.stdout.decode()

    def status(self, var):
        try:
            out = self.sql("SHOW STATUS LIKE '%s'" % var, check=False, timeout=10)
        except subprocess.TimeoutExpired:
            return None
        parts = out.strip().split("\t")
        return parts[1] if len(parts) == 2 else None

    def init_datadir(self):
        shutil.rmtree(self.dir, ignore_errors=True)
        os.makedirs(self.datadir)
        mysql = pwd.getpwnam("mysql")
        os.chown(self.dir, mysql.pw_uid, mysql.pw_gid)
        os.chown(self.datadir, mysql.pw_uid, mysql.pw_gid)
        with open(os.path.join(self.dir, "install.log"), "wb") as out:
            subprocess.run(["mariadb-install-db", "--no-defaults", "--user=mysql",
                            "--datadir=" + self.datadir, "--skip-test-db",
                            "--auth-root-authentication-method=socket"],
                           stdout=out, stderr=subprocess.STDOUT, check=True, timeout=300)

    def start_db(self, new_cluster=False):
        addrs = ",".join("127.0.0.1:%d" % n.gport for n in self.cl.nodes)
        args = ["mariadbd", "--no-defaults", "--user=mysql", "--datadir=" + self.datadir,
                "--socket=" + self.sock, "--pid-file=" + self.pidfile,
                "--bind-address=127.0.0.1", "--port=%d" % self.port,
                "--log-error=" + self.errlog, "--innodb-buffer-pool-size=64M",
                "--character-set-server=utf8mb4", "--collation-server=utf8mb4_unicode_ci",
                "--wsrep-on=ON", "--wsrep-provider=" + PROVIDER,
                "--wsrep-cluster-name=vr-galera-%d" % self.cl.db_port,
                "--wsrep-cluster-address=gcomm://" + addrs,
                "--wsrep-node-name=" + self.name,
                "--wsrep-node-address=127.0.0.1:%d" % self.gport,
                "--wsrep-provider-options=base_port=%d;gcache.size=16M" % self.gport,
                "--wsrep-sst-method=rsync",
                "--wsrep-sst-receive-address=127.0.0.1:%d" % self.sst_port,
                "--binlog-format=ROW", "--default-storage-engine=InnoDB",
                # wsrep logs like a binlog: without it an account without
                # SUPER may not create the audit log's triggers (1419).
                "--log-bin-trust-function-creators=1",
                "--innodb-autoinc-lock-mode=2", "--innodb-flush-log-at-trx-commit=2"]
        if new_cluster:
            args.append("--wsrep-new-cluster")
        self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, start_new_session=True)
        self.cl.remember("db", self.name, self.proc.pid)

    def wait_synced(self, timeout=180):
        t0 = time.time()
        while time.time() - t0 < timeout:
            if self.proc is not None and self.proc.poll() is not None:
                raise RuntimeError("%s: mariadbd exited (%s); see %s"
                                   % (self.name, self.proc.returncode, self.errlog))
            if self.status("wsrep_local_state_comment") == "Synced":
                return time.time() - t0
            time.sleep(0.5)
        raise RuntimeError("%s: not Synced after %d s; see %s" % (self.name, timeout, self.errlog))

    def stop_db(self, timeout=60):
        """A clean shutdown (the node leaves the cluster and can rejoin by IST)."""
        if self.proc is None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.cl.forget("db", self.name)
        self.proc = None

    # --- the plugin ----------------------------------------------------------
    def write_plugin_conf(self):
        """The test instance's configuration (scripts/lib.sh), on this node's socket."""
        lib_sh("vr_write_config", VR_INSTANCE="galera " + self.name, VR_CONF=self.plugin_conf,
               VR_DB_SOCK=self.sock, VR_DB_PWFILE=self.cl.pwfile,
               VR_SHEET_SECRET=self.cl.secret, VR_SOCK=self.plugin_sock, VR_LOCK_WAIT="5")
        with open(self.plugin_conf, "a") as f:
            f.write("processes 2\n")

    def tool(self, *args, timeout=180):
        p = subprocess.run([self.cl.binary, "-c", self.plugin_conf] + list(args),
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=timeout)
        return p.returncode, p.stdout.decode("utf-8", "replace")

    def start_plugin(self):
        if os.path.exists(self.plugin_sock):
            os.unlink(self.plugin_sock)
        out = open(self.plugin_log, "ab")
        self.plugin = subprocess.Popen([self.cl.binary, "-c", self.plugin_conf, "serve"],
                                       stdin=subprocess.DEVNULL, stdout=out, stderr=out,
                                       start_new_session=True)
        out.close()
        self.cl.remember("plugin", self.name, self.plugin.pid)
        t0 = time.time()
        while not os.path.exists(self.plugin_sock):
            if self.plugin.poll() is not None or time.time() - t0 > 60:
                raise RuntimeError("%s: the plugin did not come up; see %s"
                                   % (self.name, self.plugin_log))
            time.sleep(0.1)
        os.chmod(self.plugin_sock, 0o666)

    def kill_plugin(self):
        """kill -9 of the plugin's master and its workers (its process group)."""
        if self.plugin is None:
            return
        try:
            os.killpg(self.plugin.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.plugin.wait()
        self.cl.forget("plugin", self.name)
        self.plugin = None

    def stop_plugin(self):
        if self.plugin is None:
            return
        self.plugin.terminate()
        try:
            self.plugin.wait(30)
        except subprocess.TimeoutExpired:
            self.kill_plugin()
            return
        self.cl.forget("plugin", self.name)
        self.plugin = None

    def base(self):
        return "http://127.0.0.1:%d/vendor-review/api" % self.http_port


class Cluster:
    def __init__(self, db_port=3428, http_port=8290, binary=None):
        self.db_port = db_port
        self.http_port = http_port
        self.dir = "/tmp/vr-galera-%d" % db_port
        self.binary = binary or os.path.join(REPO, "fcgi", "vendor-review")
        self.pwfile = os.path.join(self.dir, "db.password")
        self.secret = os.path.join(self.dir, "sheet.secret")
        self.pids = os.path.join(self.dir, "pids.json")
        self.nginx_dir = os.path.join(self.dir, "nginx")
        self.nodes = [Node(self, i) for i in range(NODES)]
        self.nginx_pidfile = os.path.join(self.nginx_dir, "nginx.pid")

    # --- what was started, for stop() after a crash -------------------------
    def _pids(self):
        try:
            with open(self.pids) as f:
                return json.load(f)
        except (OSError, ValueError):
            return {}

    def remember(self, kind, name, pid):
        d = self._pids()
        d["%s/%s" % (kind, name)] = pid
        with open(self.pids, "w") as f:
            json.dump(d, f)

    def forget(self, kind, name):
        d = self._pids()
        d.pop("%s/%s" % (kind, name), None)
        with open(self.pids, "w") as f:
            json.dump(d, f)

    def base(self):
        """The upstream over the three plugins (what a host uses)."""
        return "http://127.0.0.1:%d/vendor-review/api" % (self.http_port + 3)

    # --- start ----------------------------------------------------------------
    def start(self, load_sql=None):
        """load_sql: a file of SQL for node1 after migrate, before the
        templates (bench/run --galera loads its vendors so)."""
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)
        os.makedirs(self.nginx_dir)
        os.chmod(self.dir, 0o755)
        with open(self.pwfile, "w") as f:
            f.write(os.urandom(12).hex())
        os.chmod(self.pwfile, 0o600)
        t0 = time.time()
        for n in self.nodes:
            n.init_datadir()
        self.nodes[0].start_db(new_cluster=True)
        self.nodes[0].wait_synced()
        for n in self.nodes[1:]:
            n.start_db()
            n.wait_synced()
        self.wait_size(NODES)
        log("cluster of %d Synced in %.1f s" % (NODES, time.time() - t0))
        pw = open(self.pwfile).read().strip()
        self.nodes[0].sql("""
            CREATE DATABASE %(db)s CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
            CREATE USER '%(u)s'@'localhost' IDENTIFIED BY '%(pw)s';
            GRANT ALL PRIVILEGES ON %(db)s.* TO '%(u)s'@'localhost';
            """ % dict(db=DB_NAME, u=DB_USER, pw=pw))
        for n in self.nodes:
            n.write_plugin_conf()
        rc, out = self.nodes[0].tool("migrate")
        if rc != 0:
            raise RuntimeError("migrate: " + out)
        # docs/scale-out.md: a node that applied the audit log's CREATE
        # TRIGGER may keep a broken copy of it cached (1064 "Unknown
        # trigger has an error in its body" on every insert) until flushed.
        for n in self.nodes:
            n.sql("FLUSH LOCAL TABLES")
        if load_sql:
            with open(load_sql, "rb") as f:
                p = subprocess.run(self.nodes[0].mysql_cmd().split(), stdin=f,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=600)
            if p.returncode != 0:
                raise RuntimeError("loading %s: %s" % (load_sql, p.stderr.decode().strip()[:300]))
            self.wait_synced_all()
        for t in ("onboarding", "periodic_audit", "subcontract"):
            rc, out = self.nodes[0].tool("import-template", os.path.join(
                REPO, "plugin-manifests", "templates", t + ".xml"))
            if rc != 0:
                raise RuntimeError("import-template: " + out)
        for n in self.nodes:
            n.start_plugin()
        self.start_nginx()
        self.wait_http()
        log("plugins and nginx up in %.1f s" % (time.time() - t0))

    def wait_synced_all(self, timeout=300):
        """Until every node has applied what node1 committed."""
        want = self.nodes[0].status("wsrep_last_committed")
        end = time.time() + timeout
        while time.time() < end:
            if all(n.status("wsrep_last_committed") == want for n in self.nodes):
                return
            time.sleep(0.2)
        raise RuntimeError("the nodes did not apply node1's writes within %d s" % timeout)

    def wait_size(self, size, timeout=120, nodes=None):
        t0 = time.time()
        for n in nodes or self.nodes:
            while n.status("wsrep_cluster_size") != str(size):
                if time.time() - t0 > timeout:
                    raise RuntimeError("%s: wsrep_cluster_size is %s, want %d"
                                       % (n.name, n.status("wsrep_cluster_size"), size))
                time.sleep(0.5)

    def start_nginx(self):
        d = self.nginx_dir
        htpasswd = os.path.join(d, "htpasswd")
        lib_sh("vr_write_htpasswd", VR_HTPASSWD=htpasswd)
        snippet = open(os.path.join(REPO, "deploy", "nginx", "vendor-review.conf")).read()
        servers = []
        ups = ["upstream vendor_review {\n%s\n}" % "\n".join(
            "    server unix:%s max_fails=1 fail_timeout=5s;" % n.plugin_sock for n in self.nodes)]
        for n in self.nodes:
            # The shipped snippet once per node, passing to that node's plugin only.
            path = os.path.join(d, "%s.conf" % n.name)
            with open(path, "w") as f:
                f.write(snippet.replace("fastcgi_pass vendor_review;",
                                        "fastcgi_pass vr_%s;" % n.name))
            ups.append("upstream vr_%s {\n    server unix:%s;\n}" % (n.name, n.plugin_sock))
            servers.append(self._server(n.http_port, path, htpasswd))
        servers.insert(0, self._server(self.http_port + 3, os.path.join(
            REPO, "deploy", "nginx", "vendor-review.conf"), htpasswd))
        path = nginx_conf(d, """    access_log %(d)s/logs/access.log;
    %(ups)s
    include %(repo)s/deploy/nginx/demo-auth.conf;
    include %(repo)s/deploy/nginx/vendor-review-http.conf;
    %(servers)s""" % dict(d=d, ups="\n    ".join(ups), repo=REPO,
                         servers="\n    ".join(servers)),
                          "tests/galera/cluster.py", workers=2, connections=1024)
        subprocess.run(["nginx", "-p", d, "-e", d + "/logs/error.log", "-c", path, "-t", "-q"],
                       check=True)
        subprocess.run(["nginx", "-p", d, "-e", d + "/logs/error.log", "-c", path], check=True)

    @staticmethod
    def _server(port, snippet, htpasswd):
        return """server {
        listen 127.0.0.1:%d;
        server_name localhost;
        auth_basic "vendor-review galera";
        auth_basic_user_file %s;
        include %s;
    }""" % (port, htpasswd, snippet)

    def wait_http(self, timeout=60):
        tok = base64.b64encode(("admin1:" + PASSWORD).encode()).decode()
        for base in [self.base()] + [n.base() for n in self.nodes]:
            t0 = time.time()
            while True:
                try:
                    req = urllib.request.Request(base + "/vendors?limit=1",
                                                 headers={"Authorization": "Basic " + tok})
                    with urllib.request.urlopen(req, timeout=10) as r:
                        if r.status == 200:
                            break
                except OSError:
                    pass
                if time.time() - t0 > timeout:
                    raise RuntimeError("%s does not answer" % base)
                time.sleep(0.3)

    # --- stop -----------------------------------------------------------------
    def stop(self):
        """Stops what this run, or an earlier one in the same dir, started."""
        for n in self.nodes:
            if n.plugin is not None:
                n.stop_plugin()
        if os.path.exists(self.nginx_pidfile):
            try:
                pid = int(open(self.nginx_pidfile).read().strip())
                if "nginx" in open("/proc/%d/cmdline" % pid).read():
                    os.kill(pid, signal.SIGQUIT)
                    for _ in range(50):
                        os.kill(pid, 0)
                        time.sleep(0.1)
            except (OSError, ValueError):
                pass
        for n in self.nodes:
            if n.proc is not None:
                n.stop_db()
        # Leftovers of a killed run: only pids whose command line names our dir.
        for key, pid in self._pids().items():
            try:
                cmd = open("/proc/%d/cmdline" % pid).read()
            except OSError:
                continue
            if self.dir in cmd:
                try:
                    os.killpg(pid, signal.SIGTERM) if key.startswith("plugin") else \
                        os.kill(pid, signal.SIGTERM)
                except OSError:
                    pass
                for _ in range(300):
                    if not os.path.exists("/proc/%d" % pid):
                        break
                    time.sleep(0.1)
        if os.path.exists(self.pids):
            os.unlink(self.pids)


def main():
    ap = argparse.ArgumentParser(description="start or stop the test Galera cluster")
    ap.add_argument("action", choices=("start", "stop"))
    ap.add_argument("--db-port", type=int, default=int(os.environ.get("VR_TEST_DB_PORT", 3428)))
    ap.add_argument("--http-port", type=int, default=int(os.environ.get("VR_TEST_PORT", 8290)))
    ap.add_argument("--load-sql", help="SQL for node1 after migrate (start only)")
    a = ap.parse_args()
    cl = Cluster(a.db_port, a.http_port)
    if a.action == "start":
        cl.start(load_sql=a.load_sql)
        print("up: %s (nodes: %s)" % (cl.base(), ", ".join(n.base() for n in cl.nodes)))
    else:
        cl.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
