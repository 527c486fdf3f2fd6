"""A check sheet mailed back as a file, through nginx: the exported
workbook filled in as a vendor would (every answer type, Japanese text
with line breaks, dates as Excel serial days and as text, multiple
choice), imported, and the stored answers equal what was typed; the same
after LibreOffice re-saved it; CSV in UTF-8 and Shift_JIS; the vendor's
link and the CLI; and every refusal: a value that does not fit (422
naming the cell, nothing saved), a forged or another case's workbook,
damaged files, path tricks, a zip bomb and a DOCTYPE."""

import csv
import datetime
import io
import os
import re
import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ET
import zipfile

from vrlib import REG, check, eq, problem, xsd_validate
from cases_assessments import fire, start, vendor, vendor_url

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
S = "{%s}" % MAIN
SHEET = "チェックシート"
ANSWER_COL, NOTE_COL = "K", "L"

ET.register_namespace("", MAIN)
ET.register_namespace("r", "http://schemas.openxmlformats.org/officeDocument/2006/relationships")


def col_number(letters):
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def cells(data, part):
    """{ref: text} of one worksheet of an xlsx (shared and inline strings)."""
    z = zipfile.ZipFile(io.BytesIO(data))
    shared = []
    if "xl/sharedStrings.xml" in z.namelist():
        for si in ET.fromstring(z.read("xl/sharedStrings.xml")).iter(S + "si"):
            shared.append("".join(t.text or "" for t in si.iter(S + "t")
                                  if t not in list(si.iter(S + "rPh"))))
    out = {}
    for c in ET.fromstring(z.read(part)).iter(S + "c"):
        v = c.find(S + "v")
        if c.get("t") == "s" and v is not None:
            out[c.get("r")] = shared[int(v.text)]
        elif c.get("t") == "inlineStr":
            out[c.get("r")] = "".join(t.text or "" for t in c.iter(S + "t"))
        elif v is not None:
            out[c.get("r")] = v.text
    return out


def rows_by_code(data):
    """{question code: row number} from the exported sheet's column B."""
    return {text: int(ref[1:]) for ref, text in cells(data, "xl/worksheets/sheet1.xml").items()
            if re.fullmatch(r"B\d+", ref) and ref != "B1"}


def rewrite(data, part, edit):
    """The xlsx with member part replaced by edit(bytes)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            dst.writestr(info.filename, edit(body) if info.filename == part else body)
    return buf.getvalue()


def fill(data, values, part="xl/worksheets/sheet1.xml"):
    """Sets cells: values {ref: str (inline string) or int/float (number)}."""
    def edit(body):
        root = ET.fromstring(body)
        sheet_data = root.find(S + "sheetData")
        for ref, value in values.items():
            m = re.fullmatch(r"([A-Z]+)(\d+)", ref)
            rown = m.group(2)
            row = next((r for r in sheet_data.findall(S + "row") if r.get("r") == rown), None)
            if row is None:
                row = ET.SubElement(sheet_data, S + "row", {"r": rown})
            old = next((c for c in row.findall(S + "c") if c.get("r") == ref), None)
            if old is not None:
                row.remove(old)
            c = ET.Element(S + "c", {"r": ref})
            if isinstance(value, (int, float)):
                ET.SubElement(c, S + "v").text = repr(value)
            else:
                c.set("t", "inlineStr")
                t = ET.SubElement(ET.SubElement(c, S + "is"), S + "t")
                t.text = value
                t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            # cells in column order, as the format wants
            after = [i for i, x in enumerate(row.findall(S + "c"))
                     if col_number(re.match(r"[A-Z]+", x.get("r")).group()) < col_number(m.group(1))]
            row.insert(len(after), c)
        return ET.tostring(root, xml_declaration=True, encoding="UTF-8")
    return rewrite(data, part, edit)


def serial(iso):
    """Excel's serial day of a date (1900 system)."""
    return (datetime.date.fromisoformat(iso) - datetime.date(1899, 12, 30)).days


def typed_answers(qs, date_as_serial=True):
    """What a vendor types for each question: {code: (cell value, stored value)}."""
    out = {}
    for q in qs:
        t = q["type"]
        if t == "yes_no":
            out[q["code"]] = ("yes", "yes")
        elif t == "single_choice":
            code = max(q["options"], key=lambda o: o["score"])["code"]
            out[q["code"]] = (" %s " % code, code)
        elif t == "multiple_choice":
            codes = [o["code"] for o in q["options"][:2]]
            out[q["code"]] = (", ".join(codes), codes)
        elif t == "number":
            out[q["code"]] = (12, 12)
        elif t == "date":
            out[q["code"]] = (serial("2026-12-01"), "2026-12-01") if date_as_serial \
                else ("2026/12/01", "2026-12-01")
        else:
            text = "委託先の管理責任者は情報システム部長です。\n年に一度、教育を実施。"
            out[q["code"]] = (text, text)
    return out


def export(ctx, case, user="requester1"):
    r = ctx.h.get("/assessments/%d/sheet.xlsx" % case["id"], accept=XLSX, user=user)
    eq(r.status, 200, "export (%s)" % r.brief())
    return r.body


def import_file(ctx, cid, body, ctype=XLSX, user="requester1", accept=None):
    return ctx.h.request("POST", "/assessments/%d/answers/import" % cid, body=body,
                         ctype=ctype, user=user, accept=accept)


def questions(ctx, case):
    return ctx.h.get("/assessments/%d?include=questions" % case["id"]).json()["questions"]


def stored(ctx, cid):
    r = ctx.h.get("/assessments/%d" % cid)
    eq(r.status, 200, "the case (%s)" % r.brief())
    return r.json()


def check_stored(case, typed, what):
    got = {a["question"]: a.get("value") for a in case["answers"]}
    for code, (_, want) in typed.items():
        eq(got.get(code), want, "%s: the stored answer to %s" % (what, code))


def filled(data, typed, notes=None):
    rows = rows_by_code(data)
    values = {"%s%d" % (ANSWER_COL, rows[c]): v for c, (v, _) in typed.items()}
    for c, note in (notes or {}).items():
        values["%s%d" % (NOTE_COL, rows[c])] = note
    return fill(data, values)


@REG.test("sheet_import_xlsx_round_trip", quick=True)
def t_round_trip(ctx):
    case = start(ctx, vendor(ctx, "high"))
    qs = questions(ctx, case)
    check({q["type"] for q in qs} >= {"yes_no", "single_choice", "multiple_choice", "number",
                                      "date", "text"}, "the high tier asks every answer type")
    data = export(ctx, case)
    meta = cells(data, "xl/worksheets/sheet2.xml")
    eq(meta.get("A5"), "digest", "the hidden sheet carries a digest")
    check(re.fullmatch(r"[0-9a-f]{64}", meta.get("B5", "")), "a 64-hex-digit digest")
    typed = typed_answers(qs, date_as_serial=True)
    note = "備考：二行の\n注記"
    r = import_file(ctx, case["id"], filled(data, typed, {qs[0]["code"]: note}))
    eq(r.status, 200, "import (%s)" % r.brief())
    after = r.json()
    check_stored(after, typed, "xlsx with a serial date")
    eq(after["answered"], after["required"], "every required answer given")
    eq({a["question"]: a.get("note") for a in after["answers"]}[qs[0]["code"]], note,
       "a note with a line break")
    eq(after["version"], case["version"] + 1, "one write")
    # The same file again changes nothing: no new version.
    r = import_file(ctx, case["id"], filled(data, typed, {qs[0]["code"]: note}))
    eq(r.status, 200, "the same file again (%s)" % r.brief())
    eq(r.json()["version"], after["version"], "nothing changed, no write")
    # Dates typed as text (YYYY/MM/DD), through the re-exported sheet; XML answer.
    again = export(ctx, case)
    text_typed = {c: v for c, v in typed_answers(qs, date_as_serial=False).items()
                  if next(q for q in qs if q["code"] == c)["type"] == "date"}
    r = import_file(ctx, case["id"], filled(again, text_typed), accept="application/xml")
    eq(r.status, 200, "import, XML answer (%s)" % r.brief())
    xsd_validate(r.body)
    check_stored(stored(ctx, case["id"]), typed, "after a text date")


@REG.test("sheet_import_after_libreoffice", quick=True)
def t_libreoffice(ctx):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    check(soffice is not None, "LibreOffice (soffice) is installed")
    case = start(ctx, vendor(ctx, "high"))
    qs = questions(ctx, case)
    typed = typed_answers(qs)
    data = filled(export(ctx, case), typed)
    work = tempfile.mkdtemp(prefix="vr-lo-")
    try:
        src = os.path.join(work, "in", "sheet.xlsx")
        os.makedirs(os.path.dirname(src))
        with open(src, "wb") as f:
            f.write(data)
        out = os.path.join(work, "out")
        p = subprocess.run([soffice, "-env:UserInstallation=file://%s/profile" % work,
                            "--headless", "--convert-to", "xlsx", "--outdir", out, src],
                           capture_output=True, timeout=180)
        eq(p.returncode, 0, "soffice --convert-to xlsx (%r)" % p.stderr[-300:])
        with open(os.path.join(out, "sheet.xlsx"), "rb") as f:
            saved = f.read()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    check(saved != data, "LibreOffice wrote its own file")
    names = zipfile.ZipFile(io.BytesIO(saved)).namelist()
    check("xl/sharedStrings.xml" in names, "LibreOffice's strings are shared strings")
    r = import_file(ctx, case["id"], saved)
    eq(r.status, 200, "import of the LibreOffice file (%s)" % r.brief())
    check_stored(r.json(), typed, "after LibreOffice")


@REG.test("sheet_import_refusals", quick=True)
def t_refusals(ctx):
    case = start(ctx, vendor(ctx, "medium"))
    qs = questions(ctx, case)
    data = export(ctx, case)
    rows = rows_by_code(data)
    yn = next(q for q in qs if q["type"] == "yes_no")
    num = next((q for q in qs if q["type"] == "number"), None)
    before = stored(ctx, case["id"])["version"]
    # A value that does not fit its question: 422 naming the cell, nothing saved.
    bad = fill(data, {"K%d" % rows[yn["code"]]: "たぶん"})
    r = import_file(ctx, case["id"], bad)
    problem(r, 422, "invalid_answer", field="%s!K%d" % (SHEET, rows[yn["code"]]))
    check("K%d" % rows[yn["code"]] in r.json()["detail"], "the detail names the cell: %r"
          % r.json()["detail"])
    eq(stored(ctx, case["id"])["version"], before, "nothing saved after a 422")
    if num is not None:
        r = import_file(ctx, case["id"], fill(data, {"K%d" % rows[num["code"]]: "十二"}))
        problem(r, 422, "invalid_answer", field="%s!K%d" % (SHEET, rows[num["code"]]))
    # A question code that is not the sheet's.
    r = import_file(ctx, case["id"], fill(data, {"B%d" % rows[yn["code"]]: "Z-99"}))
    problem(r, 422, "unknown_question", field="%s!B%d" % (SHEET, rows[yn["code"]]))
    # A workbook of another case, and one whose identity was edited.
    other = start(ctx, vendor(ctx, "medium"))
    r = import_file(ctx, other["id"], data)
    problem(r, 409, "other_case")
    forged = fill(data, {"B1": other["id"]}, part="xl/worksheets/sheet2.xml")
    r = import_file(ctx, other["id"], forged)
    problem(r, 422, "sheet_identity")
    no_meta = rewrite(data, "xl/workbook.xml",
                      lambda b: re.sub(rb'<sheet name="vendor-review"[^>]*/>', b"", b))
    problem(import_file(ctx, case["id"], no_meta), 422, "not_a_check_sheet")
    # Damaged files, tricks and bombs.
    problem(import_file(ctx, case["id"], b"PK\x03\x04 not really a zip"), 400, "bad_file")
    problem(import_file(ctx, case["id"], data, ctype="application/json"), 415)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for info in zipfile.ZipFile(io.BytesIO(data)).infolist():
            z.writestr(info.filename, zipfile.ZipFile(io.BytesIO(data)).read(info.filename))
        z.writestr("../../etc/cron.d/evil", b"* * * * * root true\n")
    r = import_file(ctx, case["id"], buf.getvalue())
    problem(r, 400, "bad_file")
    check("leaves the package" in r.json()["detail"], "a path trick: %r" % r.json()["detail"])
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", b"<" + b" " * (40 * 1024 * 1024))
    check(len(buf.getvalue()) < 1024 * 1024, "the bomb fits the body limit")
    problem(import_file(ctx, case["id"], buf.getvalue()), 413, "too_large")
    doctype = rewrite(data, "xl/workbook.xml", lambda b: b.replace(
        b"<workbook", b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><workbook', 1))
    r = import_file(ctx, case["id"], doctype)
    problem(r, 400, "bad_file")
    check("DOCTYPE" in r.json()["detail"], "a DOCTYPE named: %r" % r.json()["detail"])
    eq(stored(ctx, case["id"])["version"], before, "nothing saved by any refusal")


@REG.test("sheet_import_csv", quick=True)
def t_csv(ctx):
    case = start(ctx, vendor(ctx, "high"))
    qs = questions(ctx, case)
    r = ctx.h.get("/assessments/%d/sheet.csv" % case["id"], accept="text/csv")
    eq(r.status, 200, "CSV export (%s)" % r.brief())
    rows = list(csv.reader(io.StringIO(r.body[3:].decode("utf-8"), newline="")))
    typed = typed_answers(qs, date_as_serial=False)
    for row in rows[1:]:
        v = typed[row[1]][0]
        row[10] = str(v)
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    body = out.getvalue()
    r = import_file(ctx, case["id"], "\ufeff" + body, ctype="text/csv")
    eq(r.status, 200, "CSV import (%s)" % r.brief())
    check_stored(r.json(), typed, "CSV in UTF-8")
    # Excel's plain "CSV" on a Japanese PC: Shift_JIS, no BOM; a changed text.
    text_q = next(q for q in qs if q["type"] == "text")
    for row in rows[1:]:
        if row[1] == text_q["code"]:
            row[10] = "シフトJISで保存した回答"
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    r = import_file(ctx, case["id"], out.getvalue().encode("cp932"), ctype="text/csv")
    eq(r.status, 200, "Shift_JIS CSV import (%s)" % r.brief())
    got = {a["question"]: a.get("value") for a in r.json()["answers"]}
    eq(got[text_q["code"]], "シフトJISで保存した回答", "the Shift_JIS text")
    # A bad number names its cell (no sheet name in a CSV file).
    num = next(q for q in qs if q["type"] == "number")
    line = next(i for i, row in enumerate(rows) if row[1] == num["code"])
    rows[line][10] = "twelve"
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    problem(import_file(ctx, case["id"], out.getvalue(), ctype="text/csv"), 422,
            "invalid_answer", field="K%d" % (line + 1))


@REG.test("sheet_import_vendor_link_and_cli", quick=True)
def t_link_and_cli(ctx):
    case = start(ctx, vendor(ctx, "low"))
    qs = questions(ctx, case)
    case = fire(ctx, case, "send_to_vendor", "requester1")
    token = case["vendor_link"].rsplit("/", 1)[1]
    r = ctx.h.get("", user=None, raw_url=vendor_url(ctx, "/%s/sheet.xlsx" % token))
    eq(r.status, 200, "the vendor's workbook (%s)" % r.brief())
    typed = typed_answers(qs)
    r = ctx.h.request("POST", "", body=filled(r.body, typed), ctype=XLSX, user=None,
                      raw_url=vendor_url(ctx, "/%s/answers/import" % token))
    eq(r.status, 200, "the vendor imports its file (%s)" % r.brief())
    got = stored(ctx, case["id"])
    check_stored(got, typed, "through the link")
    check(all(a["answered_by"] == "vendor:%d" % case["id"] for a in got["answers"]),
          "answered by the vendor")
    # The CLI: a workbook names its case; a CSV needs --assessment.
    case2 = start(ctx, vendor(ctx, "low"))
    qs2 = questions(ctx, case2)
    typed2 = {c: ("no", "no") if next(q for q in qs2 if q["code"] == c)["type"] == "yes_no"
              else v for c, v in typed_answers(qs2).items()}
    work = tempfile.mkdtemp(prefix="vr-import-")
    try:
        path = os.path.join(work, "returned.xlsx")
        with open(path, "wb") as f:
            f.write(filled(export(ctx, case2), typed2))
        p = subprocess.run([ctx.binary, "-c", ctx.config, "import-answers", path],
                           capture_output=True, text=True, timeout=60)
        eq(p.returncode, 0, "import-answers (%s)" % p.stderr)
        check("assessment %d:" % case2["id"] in p.stdout, "names the case: %r" % p.stdout)
        check_stored(stored(ctx, case2["id"]), typed2, "through the CLI")
        path = os.path.join(work, "returned.csv")
        with open(path, "w", encoding="utf-8") as f:
            f.write("番号 / Code,回答 / Answer\r\n")
        p = subprocess.run([ctx.binary, "-c", ctx.config, "import-answers", path],
                           capture_output=True, text=True, timeout=60)
        check(p.returncode != 0 and "name the assessment" in p.stderr,
              "a CSV without --assessment: %r" % p.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)
