"""Plumbing for the vendor-review integration suite (standard library only).

An HTTP client that records every response status, a test registry, the
MariaDB helper (--mysql) and the JSON/XML helpers the cases share.
"""

import base64
import contextlib
import http.client
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import threading
import time
import traceback
import urllib.parse
import xml.etree.ElementTree as ET

API_NS = "urn:vendor-review:api:1"
PROBLEM_NS = "urn:ietf:rfc:7807"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
XSD = os.path.join(REPO, "plugin-manifests", "schemas", "api.xsd")
PASSWORD = "demo"
HEX32 = re.compile(r"^[0-9a-f]{32}$")
ISO_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$")


class Failure(Exception):
    """A test's assertion failed."""


def check(cond, msg):
    if not cond:
        raise Failure(msg)


def run_check(name, fn, ctx):
    """Runs one check of the fault or auth suite: prints "ok NAME (T s): note"
    or "FAIL NAME: why" (the last frames of an unexpected exception) and
    says whether it passed."""
    t1 = time.time()
    ok = False
    try:
        note = fn(ctx)
        ok = True
        print("ok %s (%.1f s)%s" % (name, time.time() - t1, (": " + note) if note else ""))
    except Failure as e:
        print("FAIL %s: %s" % (name, e))
    except Exception as e:
        tb = traceback.format_exc().strip().splitlines()
        print("FAIL %s: %s: %s (%s)" % (name, type(e).__name__, e, " | ".join(tb[-4:])))
    sys.stdout.flush()
    return ok


def eq(got, want, what):
    if got != want:
        raise Failure("%s: want %r, got %r" % (what, want, got))


@contextlib.contextmanager
def vendors_set_in_sql(ctx, changes):
    """For the length of a with block, vendor columns set straight in SQL
    (states and dates the API would not give): changes is [(id, {column:
    SQL literal})].  Afterwards each row gets its columns back, so that it
    equals its last audit image again (the fault suite checks that)."""
    cols = sorted({c for _, ch in changes for c in ch})
    saved = {}
    for vid, _ in changes:
        row = ctx.db.rows("SELECT %s FROM vr_vendors WHERE id=%d"
                          % (", ".join("QUOTE(%s)" % c for c in cols), vid))[0]
        saved[vid] = dict(zip(cols, row))
    try:
        for vid, ch in changes:
            ctx.db.run("UPDATE vr_vendors SET %s WHERE id=%d"
                       % (", ".join("%s=%s" % kv for kv in sorted(ch.items())), vid))
        yield
    finally:
        for vid, old in saved.items():
            ctx.db.run("UPDATE vr_vendors SET %s WHERE id=%d"
                       % (", ".join("%s=%s" % kv for kv in sorted(old.items())), vid))


def uniq(prefix="t"):
    return "%s-%s" % (prefix, secrets.token_hex(5))


def corpnum():
    """A random 法人番号 with its check digit right (so no two tests
    share one: a second vendor with the same number is refused)."""
    base = "".join(str(secrets.randbelow(10)) for _ in range(12))
    s = sum(int(d) * (1 if n % 2 else 2)
            for n, d in enumerate(reversed(base), start=1))
    return str(9 - s % 9) + base


# --- HTTP ----------------------------------------------------------------------

# With VR_CONTRACT_LOG set, every exchange is appended to that file as one
# JSON line, for the contract suite (tests/contract/validate.mjs) to check
# against docs/openapi.yaml and the XSDs.
EXCHANGE_LOG = os.environ.get("VR_CONTRACT_LOG")


def _body_field(data):
    """A body as text when it is UTF-8, else base64 (files)."""
    if data is None:
        return None, None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return base64.b64encode(data).decode("ascii"), "base64"


def log_exchange(method, url, req_ctype, req_body, resp):
    u = urllib.parse.urlsplit(url)
    qb, qe = _body_field(req_body)
    rb, re_ = _body_field(resp.body)
    line = {"method": method, "path": u.path, "query": u.query,
            "status": resp.status, "request_type": req_ctype,
            "request_body": qb, "request_encoding": qe,
            "response_type": resp.header("content-type"),
            "response_body": rb, "response_encoding": re_}
    with open(EXCHANGE_LOG, "a", encoding="utf-8") as f:
        f.write(json.dumps(line, ensure_ascii=False) + "\n")


class Response:
    def __init__(self, method, url, status, headers, body):
        self.method = method
        self.url = url
        self.status = status
        self.headers = headers          # dict, lower-case names
        self.body = body                # bytes
        self._json = None

    def header(self, name, default=None):
        return self.headers.get(name.lower(), default)

    @property
    def ctype(self):
        return (self.header("content-type") or "").split(";")[0].strip().lower()

    def json(self):
        if self._json is None:
            try:
                self._json = json.loads(self.body.decode("utf-8"))
            except Exception as e:
                raise Failure("%s %s -> %d: body is not JSON (%s): %r"
                              % (self.method, self.url, self.status, e,
                                 self.body[:200]))
        return self._json

    def xml(self):
        try:
            return ET.fromstring(self.body)
        except Exception as e:
            raise Failure("%s %s -> %d: body is not XML (%s): %r"
                          % (self.method, self.url, self.status, e,
                             self.body[:200]))

    def brief(self):
        b = self.body[:300].decode("utf-8", "replace")
        return "%s %s -> %d %s" % (self.method, self.url, self.status, b)


class Http:
    """One stack under test: the auth and the no-auth base URLs."""

    def __init__(self, base, noauth_base, timeout=90):
        self.base = base.rstrip("/")
        self.noauth_base = noauth_base.rstrip("/")
        self.timeout = timeout
        self.lock = threading.Lock()
        self.seen = []          # (method, url, status)
        self.count = 0

    def request(self, method, path, body=None, user="requester1",
                ctype=None, accept=None, headers=None, noauth=False,
                password=PASSWORD, raw_url=None):
        base = self.noauth_base if noauth else self.base
        url = raw_url or (base + path)
        u = urllib.parse.urlsplit(url)
        h = {}
        if user and not noauth:
            tok = base64.b64encode(("%s:%s" % (user, password)).encode())
            h["Authorization"] = "Basic " + tok.decode()
        if isinstance(body, (dict, list)):
            body = json.dumps(body, ensure_ascii=False).encode("utf-8")
            if ctype is None:
                ctype = "application/json"
        elif isinstance(body, str):
            body = body.encode("utf-8")
        if ctype:
            h["Content-Type"] = ctype
        if accept:
            h["Accept"] = accept
        if headers:
            h.update(headers)
        target = u.path + ("?" + u.query if u.query else "")
        # One attempt: a write must never be sent twice.  Only a refused
        # connection (nothing was sent) is tried again, briefly.
        for attempt in range(3):
            conn = http.client.HTTPConnection(u.hostname, u.port,
                                              timeout=self.timeout)
            try:
                try:
                    conn.connect()
                except ConnectionRefusedError as e:
                    if attempt == 2:
                        raise Failure("%s %s: connection refused: %s" % (method, url, e))
                    time.sleep(0.5)
                    continue
                conn.putrequest(method, target, skip_accept_encoding=True)
                for k, v in h.items():
                    conn.putheader(k, v)
                if body is not None:
                    conn.putheader("Content-Length", str(len(body)))
                conn.endheaders()
                if body is not None:
                    try:
                        conn.send(body)
                    except (BrokenPipeError, ConnectionResetError):
                        pass  # the server may answer (413) before reading all
                r = conn.getresponse()
                data = r.read()
                hdrs = {k.lower(): v for k, v in r.getheaders()}
                resp = Response(method, url, r.status, hdrs, data)
                break
            except (OSError, http.client.HTTPException) as e:
                raise Failure("%s %s: no response: %s: %s" % (method, url, type(e).__name__, e))
            finally:
                conn.close()
        with self.lock:
            self.count += 1
            self.seen.append((method, url, resp.status))
            if EXCHANGE_LOG:
                log_exchange(method, url, h.get("Content-Type"), body, resp)
        return resp

    # shortcuts
    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body=body, **kw)

    def patch(self, path, body=None, **kw):
        return self.request("PATCH", path, body=body, **kw)


# --- database -------------------------------------------------------------------

class Db:
    """One-shot queries through the --mysql command line (shared with the
    fault and modes suites)."""

    def __init__(self, cmd):
        self.cmd = cmd

    def run(self, sql, check_rc=True, timeout=60):
        # Its own process group, so a hung client is killed whole.
        p = subprocess.Popen(self.cmd + " -N -B", shell=True, stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             start_new_session=True)
        try:
            out, err = p.communicate(sql.encode(), timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.communicate()
            raise Failure("mysql: no answer within %d s to %s" % (timeout, sql[:120]))
        if check_rc and p.returncode != 0:
            raise Failure("mysql failed (%d): %s: %s"
                          % (p.returncode, sql[:120], err.decode("utf-8", "replace").strip()))
        return subprocess.CompletedProcess(p.args, p.returncode, out, err)

    def rows(self, sql):
        out = self.run(sql).stdout.decode("utf-8", "replace")
        return [line.split("\t") for line in out.splitlines() if line != ""]

    def scalar(self, sql):
        r = self.rows(sql)
        check(len(r) == 1 and len(r[0]) == 1, "mysql: one value wanted from %s, got %r" % (sql, r))
        return r[0][0]

    def counts(self):
        """(vendors, audit rows, events)."""
        r = self.rows("SELECT (SELECT COUNT(*) FROM vr_vendors),"
                      " (SELECT COUNT(*) FROM vr_audit_log),"
                      " (SELECT COUNT(*) FROM vr_events)")
        return tuple(int(x) for x in r[0])

    def vendor_row(self, vid):
        """Every column of one vendor, or None."""
        r = self.rows("SELECT * FROM vr_vendors WHERE id=%d" % vid)
        return r[0] if r else None

    def max_event(self):
        return int(self.scalar("SELECT COALESCE(MAX(id),0) FROM vr_events"))


# --- XML --------------------------------------------------------------------------

def nginx_conf(prefix, http, by, workers=1, connections=256):
    """Writes PREFIX/nginx.conf for an nginx of a suite's own (nginx -p
    PREFIX): its logs, pid and temp files under prefix, fastcgi_params
    linked from the system's, the http block's contents http.  Returns
    the file's path."""
    for d in ("logs", "tmp/body", "tmp/fastcgi", "tmp/proxy", "tmp/uwsgi", "tmp/scgi"):
        os.makedirs(os.path.join(prefix, d), exist_ok=True)
    link = os.path.join(prefix, "fastcgi_params")
    if not os.path.lexists(link):
        os.symlink("/etc/nginx/fastcgi_params", link)
    temp = "".join("    %s_temp_path %s/tmp/%s;\n" % (k, prefix, v) for k, v in
                   (("client_body", "body"), ("fastcgi", "fastcgi"), ("proxy", "proxy"),
                    ("uwsgi", "uwsgi"), ("scgi", "scgi")))
    path = os.path.join(prefix, "nginx.conf")
    with open(path, "w", encoding="utf-8") as f:
        f.write("# Written by %s.\n%sworker_processes %d;\nerror_log %s/logs/error.log;\n"
                "pid %s/nginx.pid;\nevents { worker_connections %d; }\nhttp {\n%s%s\n}\n"
                % (by, "user root;\n" if os.getuid() == 0 else "", workers, prefix, prefix,
                   connections, temp, http))
    return path


def q(tag, ns=API_NS):
    return "{%s}%s" % (ns, tag)


def xml_escape(s):
    return (s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


def vendor_xml(fields, root="vendor"):
    """A request body: <vendor xmlns=...><name>..</name>...</vendor>."""
    parts = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<%s xmlns="%s" xmlns:xsi="%s">' % (root, API_NS, XSI_NS)]
    for k, v in fields.items():
        if v is None:
            parts.append('<%s xsi:nil="true"/>' % k)
        elif isinstance(v, bool):
            parts.append("<%s>%s</%s>" % (k, "true" if v else "false", k))
        else:
            parts.append("<%s>%s</%s>" % (k, xml_escape(str(v)), k))
    parts.append("</%s>" % root)
    return "".join(parts).encode("utf-8")


def record_from_xml(el):
    """An XML record element as a dict of strings / None (nil)."""
    d = {}
    for c in el:
        name = c.tag.split("}", 1)[-1]
        check(c.tag.startswith("{%s}" % API_NS), "element %s outside namespace %s" % (c.tag, API_NS))
        if c.get("{%s}nil" % XSI_NS) == "true":
            d[name] = None
        else:
            d[name] = c.text or ""
    return d


def as_text(v):
    """A JSON value in its XML text form."""
    if v is None:
        return None
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def xsd_validate(body):
    p = subprocess.run(["xmllint", "--noout", "--nonet", "--schema", XSD, "-"],
                       input=body, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=60)
    check(p.returncode == 0, "XSD validation failed: %s"
          % p.stderr.decode("utf-8", "replace").strip()[:400])


# --- problem documents --------------------------------------------------------------

def problem(resp, status, code=None, field=None, fmt="json", codes=None):
    """Asserts resp is an RFC 9457 problem of this status (and code/field).

    Returns the problem as a dict."""
    check(resp.status == status, "want %d, got %s" % (status, resp.brief()))
    want_ct = "application/problem+" + fmt
    eq(resp.ctype, want_ct, "content-type of %d" % status)
    if fmt == "json":
        p = resp.json()
        check(isinstance(p, dict), "problem is not an object: %r" % p)
    else:
        root = resp.xml()
        eq(root.tag, "{%s}problem" % PROBLEM_NS, "problem root element")
        p = {}
        for c in root:
            p[c.tag.split("}", 1)[-1]] = c.text or ""
        if "status" in p:
            try:
                p["status"] = int(p["status"])
            except ValueError:
                pass
    eq(p.get("status"), status, "problem status member")
    check(isinstance(p.get("title"), str) and p["title"], "problem has no title: %r" % p)
    check(isinstance(p.get("detail"), str) and p["detail"], "problem has no detail: %r" % p)
    check(isinstance(p.get("code"), str) and p["code"], "problem has no code: %r" % p)
    eq(p.get("type"), "urn:vendor-review:problem:" + p["code"], "problem type")
    rid = p.get("request_id")
    check(isinstance(rid, str) and HEX32.match(rid), "problem request_id not 32 hex: %r" % rid)
    eq(resp.header("x-request-id"), rid, "X-Request-Id header vs problem request_id")
    if code is not None:
        eq(p["code"], code, "problem code (%s)" % p.get("detail"))
    if codes is not None:
        check(p["code"] in codes, "problem code %r not in %r (%s)" % (p["code"], codes, p.get("detail")))
    if field is not None:
        eq(p.get("field"), field, "problem field (%s)" % p.get("detail"))
    return p


# --- registry ---------------------------------------------------------------------

class Registry:
    def __init__(self):
        self.tests = []         # (name, fn, quick)

    def add(self, name, fn, quick=False):
        self.tests.append((name, fn, quick))

    def test(self, name=None, quick=False):
        def deco(fn):
            self.add(name or fn.__name__, fn, quick)
            return fn
        return deco


REG = Registry()
