"""The supervision record (監督記録) through nginx: GET /vendors/{id}/record
of a vendor with an approved onboarding (a finding whose risk was
accepted), a subcontract and an incident: the ZIP's files, SHA256SUMS,
record.json and record.xml (XSD-valid, agreeing with each other and with
the API's own answers), record.html (escaped, self-contained), the audit
row the export wrote with the pack's digest; 404 and the roles; and
`vendor-review verify-record` on an intact pack and on packs edited in
the ways a forger would (an answer, a byte of an audit row, with and
without SHA256SUMS fixed, path tricks and too many files)."""

import hashlib
import io
import json
import os
import re
import subprocess
import tempfile
import xml.etree.ElementTree as ET
import zipfile

from vrlib import API_NS, REG, check, eq, problem, uniq, xsd_validate
from cases_assessments import answers_for, fire, start
from cases_events import tool
from cases_incidents import inc_fire, record as incident
from cases_subcontracts import approved_sc, plain_vendor

FILES = ["record.html", "record.json", "record.xml", "audit-log.json", "README.txt", "SHA256SUMS"]
# Text a browser would run or misread if it were not escaped.
NASTY = "<script>alert(1)</script> & \"株式会社\" 'サンプル'"


def supervised_vendor(ctx):
    """A vendor approved by onboarding (with a finding whose risk the
    approver accepted), a subcontract under it and an incident at it."""
    r = ctx.h.post("/vendors", {"name": uniq(NASTY), "personal_data": "le_100000",
                                "system_access": True})
    eq(r.status, 201, "vendor (%s)" % r.brief())
    v = r.json()
    case = start(ctx, v)
    r = ctx.h.request("PUT", "/assessments/%d/answers" % case["id"],
                      body={"answers": answers_for(case["questions"])})
    eq(r.status, 200, "answers (%s)" % r.brief())
    case = fire(ctx, r.json(), "submit", "requester1")
    r = ctx.h.post("/findings", {"assessment_id": case["id"], "severity": "low",
                                 "description": "証跡が<古い> & 'x'", "due_date": "2027-01-31"},
                   user="reviewer1")
    eq(r.status, 201, "a finding (%s)" % r.brief())
    f = r.json()
    r = ctx.h.patch("/findings/%d" % f["id"], {"version": f["version"], "status": "risk_accepted",
                                               "risk_reason": "代替策あり",
                                               "risk_accepted_until": "2027-06-30"},
                    user="approver1")
    eq(r.status, 200, "risk accepted (%s)" % r.brief())
    case = fire(ctx, ctx.h.get("/assessments/%d" % case["id"]).json(), "complete_review",
                "reviewer1")
    fire(ctx, case, "approve", "approver1")
    sc = approved_sc(ctx, parent_vendor_id=v["id"], vendor_id=plain_vendor(ctx)["id"])
    inc = incident(ctx, v["id"], people_affected=3000)
    inc = inc_fire(ctx, inc, "report_preliminary")
    return ctx.h.get("/vendors/%d" % v["id"]).json(), case["id"], sc, inc


def export(ctx, vid, user="auditor1"):
    r = ctx.h.request("GET", "/vendors/%d/record" % vid, user=user, accept="application/zip")
    eq(r.status, 200, "GET /vendors/%d/record (%s)" % (vid, r.brief()))
    return r


def files_of(body):
    with zipfile.ZipFile(io.BytesIO(body)) as z:
        return {n: z.read(n) for n in z.namelist()}, z.namelist()


def sums_of(text):
    """SHA256SUMS as {name: hex}."""
    out = {}
    for line in text.decode().splitlines():
        m = re.match(r"^([0-9a-f]{64}) [ *](\S+)$", line)
        check(m, "SHA256SUMS line %r" % line)
        out[m.group(2)] = m.group(1)
    return out


def xml_value(el):
    """An XML element as JSON would say it: records as dicts, lists of
    elements as lists, nil as None, texts as texts (XML types nothing)."""
    if el.get("{http://www.w3.org/2001/XMLSchema-instance}nil") == "true":
        return None
    kids = list(el)
    if not kids:
        return el.text or ""
    names = [k.tag.split("}", 1)[1] for k in kids]
    return {n: xml_value(k) for n, k in zip(names, kids)} if len(set(names)) == len(names) \
        and names[0] not in ("answer", "finding", "item", "section_score", "duty", "assessment",
                             "subcontract", "incident", "vendor", "audit_entry", "data_class",
                             "report_item", "reportable_case") \
        else [xml_value(k) for k in kids]


def as_xml_text(v):
    """A JSON value as its XML text (the shape xml_value gives)."""
    if v is None:
        return None
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return str(v)
    if isinstance(v, list):
        return [as_xml_text(x) for x in v]
    if isinstance(v, dict):
        return {k: as_xml_text(x) for k, x in v.items()}
    return v


def row_hash(r):
    """An audit row's hash as vr_audit.c computes it: SHA-256 over each
    field as an 8-byte big-endian length and its bytes (NULL: 2^64-1, no
    bytes), the time as the database gives it back."""
    at = r["at"].replace("T", " ").rstrip("Z")
    h = hashlib.sha256()
    for v in (str(r["id"]), at, r["actor"], r["action"], r["entity"], str(r["entity_id"]),
              r.get("before"), r.get("after"), r.get("request_id"), r["prev_hash"]):
        if v is None:
            h.update(b"\xff" * 8)
        else:
            b = v.encode()
            h.update(len(b).to_bytes(8, "big") + b)
    return h.hexdigest()


def verify(ctx, path):
    p = subprocess.run([ctx.binary, "verify-record", path], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=120)
    return p.returncode, p.stdout.decode("utf-8", "replace")


def rezip(path, files, order=None):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n in order or files:
            z.writestr(n, files[n])


@REG.test("record_pack_of_a_supervised_vendor", quick=True)
def t_pack(ctx):
    v, case_id, sc, inc = supervised_vendor(ctx)
    r = export(ctx, v["id"])
    eq(r.ctype, "application/zip", "content type")
    eq(r.header("content-disposition"),
       'attachment; filename="supervision-record-vendor-%d.zip"' % v["id"], "file name")
    files, names = files_of(r.body)
    eq(names, FILES, "the files of the pack, in order")
    sums = sums_of(files["SHA256SUMS"])
    eq(sorted(sums), sorted(FILES[:-1]), "SHA256SUMS lists every other file")
    for n, h in sums.items():
        eq(hashlib.sha256(files[n]).hexdigest(), h, "SHA-256 of %s" % n)
    rec = json.loads(files["record.json"])
    # the same as the API answers
    eq(rec["vendor"], v, "the vendor, as GET /vendors/{id}")
    eq(rec["tier_rule"]["en"], "high: personal data of more than 1,000 people with access to "
       "our systems or work off our premises (Rule Art. 7(4))", "the rule that gave the tier")
    eq(v["tier"], "high", "its tier")
    api_case = ctx.h.get("/assessments/%d" % case_id).json()
    eq(len(rec["assessments"]), 1, "one case")
    c = rec["assessments"][0]
    eq([(a["question"], a["value"]) for a in c["answers"]],
       [(a["question"], a["value"]) for a in api_case["answers"]], "the answers as submitted")
    eq((c["score"], c["state"], c["section_scores"]),
       (api_case["score"], "approved", api_case["section_scores"]), "score and state")
    eq(c["findings"], api_case["findings"], "the findings, as the API shows them")
    sub = [x for x in ctx.h.get("/audit-log?entity=assessment:%d" % case_id,
                                user="auditor1").json()["items"] if x["action"] == "onboarding.submit"]
    eq((c["submitted_audit_id"], c["submitted_at"]), (sub[-1]["id"], sub[-1]["at"]),
       "the audit row of the submission")
    eq([(a["question"], a["value"]) for a in json.loads(sub[-1]["after"])["answers"]],
       [(a["question"], a["value"]) for a in c["answers"]], "whose image holds the answers as submitted")
    f = c["findings"][0]
    eq((f["status"], f["risk_accepted_by"], f["risk_reason"], f["risk_accepted_until"]),
       ("risk_accepted", "approver1", "代替策あり", "2027-06-30"), "who accepted the risk, why, until when")
    eq([(d["entity"], d["entity_id"], d["requested_by"], d["reviewed_by"], d["decided_by"],
         d["approver_independent"]) for d in rec["duties"]],
       [("assessment", case_id, "requester1", "reviewer1", "approver1", True),
        ("subcontract", sc["id"], "requester1", "reviewer1", "approver1", True)],
       "who requested, reviewed and approved each case; the approver was neither")
    eq(rec["subcontracts"], [ctx.h.get("/subcontracts/%d" % sc["id"]).json()], "the subcontract")
    eq(rec["chain"], ctx.h.get("/vendors/%d/chain" % v["id"]).json(), "the chain")
    api_inc = ctx.h.get("/incidents/%d" % inc["id"]).json()
    eq(rec["incidents"], [api_inc], "the incident")
    check(api_inc["preliminary_due"] and api_inc["final_due"] and api_inc["preliminary_reported_on"],
          "deadlines and the report date: %r" % api_inc)
    # record.xml: valid, and what record.json says
    xsd_validate(files["record.xml"])
    root = ET.fromstring(files["record.xml"])
    eq(root.tag, "{%s}supervision_record" % API_NS, "record.xml root")
    x = {el.tag.split("}", 1)[1]: el for el in root}
    eq(sorted(x), sorted(rec), "the same fields in both")
    for k in ("vendor_id", "generated_at", "as_of_audit_id", "as_of_hash", "vendor", "tier_rule"):
        eq(xml_value(x[k]), as_xml_text(rec[k]), "record.xml %s" % k)
    xa = [{e.tag.split("}", 1)[1]: e for e in ans} for ans in x["assessments"][0].find(
        "{%s}answers" % API_NS)]
    eq([(a["question"].text, xml_value(a["value"])) for a in xa],
       [(a["question"], as_xml_text(a["value"])) for a in c["answers"]], "record.xml answers")
    eq([xml_value(el) for el in x["duties"]], as_xml_text(rec["duties"]), "record.xml duties")
    # record.html: every text escaped, nothing from outside
    html = files["record.html"].decode()
    check("<script" not in html, "no script element (the vendor name is escaped)")
    check("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;株式会社&quot; &#39;サンプル&#39;" in html,
          "the vendor's name escaped")
    check("証跡が&lt;古い&gt; &amp; &#39;x&#39;" in html, "the finding escaped")
    check(not re.search(r"(src|href)\s*=|<link|@import|url\(", html, re.I), "no external resource")
    check("@media print" in html and 'lang="ja"' in html, "printable, Japanese")
    for s in ("職務の分離", "Segregation of duties", "代替策あり", "2027-06-30", api_inc["final_due"]):
        check(s in html, "record.html shows %r" % s)
    # audit-log.json: the rows of every fact, in chain order
    rows = json.loads(files["audit-log.json"])["rows"]
    ids = [x["id"] for x in rows]
    eq(ids, sorted(set(ids)), "rows in chain order, once each")
    ents = {(x["entity"], x["entity_id"]) for x in rows}
    for e in (("vendor", v["id"]), ("assessment", case_id), ("finding", f["id"]),
              ("subcontract", sc["id"]), ("incident", inc["id"])):
        check(e in ents, "audit rows of %s:%d" % e)
    eq(max(ids), rec["as_of_audit_id"] if max(ids) == rec["as_of_audit_id"] else max(ids),
       "rows up to the record's as_of_audit_id")
    check(max(ids) <= rec["as_of_audit_id"], "no row after as_of_audit_id")
    # the export's own audit row: the digests, right after as_of_audit_id
    a = ctx.h.get("/audit-log?entity=supervision_record:%d" % v["id"], user="auditor1").json()["items"]
    eq(len(a), 1, "one export so far")
    a = a[0]
    eq((a["action"], a["actor"], a["id"], a["prev_hash"], a["before"]),
       ("supervision_record.exported", "auditor1", rec["as_of_audit_id"] + 1, rec["as_of_hash"],
        None), "the export's audit row follows the record's as_of row")
    last = ctx.h.get("/audit-log?entity=vendor:%d" % v["id"], user="auditor1").json()["items"][-1]
    eq(json.loads(last["after"]), v, "the vendor is still its last audit image")
    after = json.loads(a["after"])
    eq(after, {"vendor_id": v["id"], "zip_sha256": hashlib.sha256(r.body).hexdigest(),
               "sha256sums_sha256": hashlib.sha256(files["SHA256SUMS"]).hexdigest(),
               "as_of_audit_id": rec["as_of_audit_id"], "files": 6}, "the pack's digests")
    ev = ctx.h.get("/events?after=%d" % (ctx.db.max_event() - 1)).json()["items"]
    eq([(e["type"], e["entity_id"], e["audit_id"]) for e in ev],
       [("supervision_record.exported", v["id"], a["id"])], "its event")
    # and it verifies offline
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "pack.zip")
        with open(path, "wb") as fp:
            fp.write(r.body)
        rc, out = verify(ctx, path)
        eq(rc, 0, "verify-record of the pack as exported: %s" % out)
        check(": ok: 5 files match SHA256SUMS" in out, "what holds: %s" % out)
    # a second export: a new row, the first pack's row now in the trail
    files2, _ = files_of(export(ctx, v["id"]).body)
    rows2 = json.loads(files2["audit-log.json"])["rows"]
    eq([(x["id"], x["entity"]) for x in rows2 if x["action"] == "supervision_record.exported"],
       [(a["id"], "supervision_record")], "the earlier export's row is in the next pack")


@REG.test("record_404_and_roles")
def t_roles(ctx):
    problem(ctx.h.request("GET", "/vendors/999999999/record", user="auditor1"), 404)
    r = ctx.h.post("/vendors", {"name": uniq("監督記録ロール")})
    eq(r.status, 201, "vendor (%s)" % r.brief())
    vid = r.json()["id"]
    n = ctx.db.counts()[1]
    problem(ctx.h.request("GET", "/vendors/%d/record" % vid, user="requester1"), 403)
    eq(ctx.db.counts()[1], n, "a refused export writes no audit row")
    for user in ("reviewer1", "approver1", "auditor1", "admin1"):
        files, names = files_of(export(ctx, vid, user=user).body)
        eq(names, FILES, "%s gets the pack" % user)
    rec = json.loads(files["record.json"])
    eq((rec["assessments"], rec["subcontracts"], rec["incidents"], rec["duties"]), ([], [], [], []),
       "a vendor with nothing yet: empty lists, stated")
    eq(ctx.db.counts()[1], n + 4, "one audit row per export")


@REG.test("verify_record_names_what_does_not_hold")
def t_verify(ctx):
    v, case_id, _, _ = supervised_vendor(ctx)
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "pack.zip")
        rc, out = tool(ctx, "export-record", str(v["id"]), "-o", path)
        eq(rc, 0, "export-record: %s" % out)
        check("written to %s" % path in out, "what it says: %s" % out)
        rc, out = verify(ctx, path)
        eq(rc, 0, "the CLI's pack verifies: %s" % out)
        rc, out = tool(ctx, "export-record", "999999999", "-o", os.path.join(d, "none.zip"))
        check(rc == 1 and "does not exist" in out and not os.path.exists(os.path.join(d, "none.zip")),
              "export-record of an unknown vendor: %d %s" % (rc, out))
        n = ctx.db.counts()[1]
        rc, out = tool(ctx, "export-record", str(v["id"]), "-o", os.path.join(d, "no", "dir.zip"))
        eq((rc, ctx.db.counts()[1]), (1, n), "a file that cannot be written: no export (%s)" % out)
        for args in (["export-record"], ["export-record", "x"], ["export-record", "1", "-x", "f"]):
            rc, out = tool(ctx, *args)
            eq(rc, 2, "%s: usage (%s)" % (" ".join(args), out.strip()))
        rc, out = verify(ctx, os.path.join(d, "missing.zip"))
        eq(rc, 2, "verify-record of a file that is not there: %s" % out)
        with open(path, "rb") as fp:
            files, names = files_of(fp.read())
        rec = json.loads(files["record.json"])
        ans = rec["assessments"][0]["answers"]
        k = next(i for i, a in enumerate(ans) if isinstance(a["value"], str))
        ans[k]["value"] = "edited"
        edited = dict(files, **{"record.json": json.dumps(rec, ensure_ascii=False).encode()})
        bad = os.path.join(d, "bad.zip")

        def run(fs, what, want, unwanted=()):
            rezip(bad, fs, names + sorted(set(fs) - set(names)))
            rc, out = verify(ctx, bad)
            eq(rc, 1, "%s: exit status (%s)" % (what, out))
            check("\x1b" not in out, "%s: no escape character in the output" % what)
            for w in want:
                check(w in out, "%s: want %r in %s" % (what, w, out))
            for w in unwanted:
                check(w not in out, "%s: not %r in %s" % (what, w, out))

        line = "answers[%d] (%s) is not what audit row" % (k, ans[k]["question"])
        run(edited, "an answer edited", ["record.json: its SHA-256 is not the one in SHA256SUMS",
                                         "record.json: assessment %d: %s" % (case_id, line),
                                         "record.xml: assessments differs from record.json"])

        def fixed(fs):
            sums = "".join("%s  %s\n" % (hashlib.sha256(fs[n]).hexdigest(), n) for n in FILES[:-1])
            return dict(fs, SHA256SUMS=sums.encode())

        run(fixed(edited), "an answer edited, SHA256SUMS fixed",
            ["record.json: assessment %d: %s" % (case_id, line)], ["SHA256SUMS"])
        # one byte of one audit row
        raw = files["audit-log.json"]
        rows = json.loads(raw)["rows"]
        target = next(x for x in rows if x["entity"] == "assessment" and x["actor"] == "reviewer1")
        i = raw.index(b'"id":%d,' % target["id"])
        j = raw.index(b'"actor":"reviewer1"', i) + len(b'"actor":"')
        flipped = raw[:j] + b"R" + raw[j + 1:]
        byte = dict(files, **{"audit-log.json": flipped})
        want = "audit row %d (%s assessment:%d): its content does not match its hash" % (
            target["id"], target["action"], case_id)
        run(byte, "a byte of an audit row", ["audit-log.json: its SHA-256 is not the one", want])
        run(fixed(byte), "a byte of an audit row, SHA256SUMS fixed", [want], ["SHA256SUMS"])
        # a row forged whole, its hash recomputed (docs/supervision-record.md):
        # the next row of the chain, in the pack too, no longer links to it
        ids = [x["id"] for x in rows]
        n = next(x for x in rows if x["id"] + 1 in ids)
        n["actor"] = "forger"
        n["hash"] = row_hash(n)
        forged = fixed(dict(files, **{"audit-log.json": json.dumps(
            {"vendor_id": v["id"], "rows": rows}, ensure_ascii=False).encode()}))
        run(forged, "a row forged with its hash recomputed",
            ["audit row %d: its prev_hash is not the hash of row %d (the link is broken)"
             % (n["id"] + 1, n["id"])], ["does not match its hash"])
        # a submission that is not one
        rec2 = json.loads(files["record.json"])
        rec2["assessments"][0]["submitted_audit_id"] = rows[0]["id"]
        run(fixed(dict(files, **{"record.json": json.dumps(rec2, ensure_ascii=False).encode()})),
            "submitted_audit_id moved",
            ["record.json: assessment %d: submitted_audit_id %d is not its submission"
             % (case_id, rows[0]["id"])])
        # what the pack says reaches a terminal without its control characters
        esc = json.loads(files["audit-log.json"])
        esc["rows"][0]["action"] = "\x1b[2Jvendor.created"
        run(dict(files, **{"audit-log.json": json.dumps(esc).encode()}), "an escape sequence",
            ["audit row %d (?[2Jvendor.created vendor:" % esc["rows"][0]["id"]])
        # a file added
        extra = dict(files, **{"notes.txt": b"x"})
        run(extra, "a file not in SHA256SUMS", ["notes.txt: in the pack but not in SHA256SUMS"])
        # the ZIP reader: path tricks and too many files are refused before reading
        for name in ("../evil.txt", "/etc/evil", "dir/record.json", ".hidden"):
            trick = dict(files, **{name: b"x"})
            run(trick, "entry %s" % name, ["is not a plain file name"])
        many = dict(files, **{"f%02d.txt" % n: b"x" for n in range(40)})
        run(many, "too many entries", ["the archive holds more than 32 files"])
        bomb = dict(files, **{"README.txt": b"\0" * (64 * 1024 * 1024 + 1)})
        run(bomb, "an entry inflating past 64 MiB", ["README.txt: larger than 67108864 bytes"])
        with open(bad, "wb") as fp:
            fp.write(b"not a zip")
        rc, out = verify(ctx, bad)
        eq(rc, 1, "not a ZIP: %s" % out)
        check("not a ZIP archive" in out, "says so: %s" % out)
