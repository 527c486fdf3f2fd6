"""The vendor register as a Japanese privacy office keeps it: 法人番号 as
people type it, names of only spaces, duplicates of a 法人番号, search by
legal-form variants, 五十音 order, unknown list parameters, no-op PATCH
and the whole audit log over HTTP."""

from vrlib import (REG, Failure, check, eq, uniq, corpnum, vendor_xml,
                   record_from_xml, as_text, xsd_validate, problem)

XML = "application/xml"
FW_DIGITS = str.maketrans("0123456789-", "０１２３４５６７８９－")


def create(ctx, fields, user="requester1"):
    r = ctx.h.post("/vendors", fields, user=user)
    check(r.status == 201, "create: want 201, got %s" % r.brief())
    return r.json()


# --- 法人番号 as typed, names of only spaces -------------------------------------------

def typed_forms(cn):
    """The ways people type one number: grouped, spaced, full-width."""
    grouped = "%s-%s-%s-%s" % (cn[:4], cn[4:6], cn[6:9], cn[9:])
    return [grouped, "%s %s %s" % (cn[:4], cn[4:8], cn[8:]),
            cn.translate(FW_DIGITS), grouped.translate(FW_DIGITS),
            ("%s\u3000%s" % (cn[:4], cn[4:])).translate(FW_DIGITS),
            " %s " % cn, "%s\u2010%s" % (cn[:4], cn[4:])]


@REG.test("corporate_number_typed_forms_normalised", quick=True)
def t_cn_forms(ctx):
    for k in range(len(typed_forms("0" * 13))):
        typed = typed_forms(corpnum())[k]
        cn = "".join(c for c in typed.translate(str.maketrans("０１２３４５６７８９", "0123456789")) if c.isdigit())
        v = create(ctx, {"name": uniq("CN"), "corporate_number": typed})
        eq(v["corporate_number"], cn, "stored form of %r" % typed)
        eq(ctx.db.scalar("SELECT corporate_number FROM vr_vendors WHERE id=%d" % v["id"]), cn,
           "column of %r" % typed)


@REG.test("corporate_number_typed_forms_xml_and_patch")
def t_cn_xml(ctx):
    cn = corpnum()
    typed = typed_forms(cn)[3]      # full-width, grouped with full-width hyphens
    r = ctx.h.post("/vendors", vendor_xml({"name": uniq("CNX"), "corporate_number": typed}),
                   ctype=XML, accept=XML)
    eq(r.status, 201, "XML create (%s)" % r.brief())
    xsd_validate(r.body)
    rec = record_from_xml(r.xml())
    eq(as_text(rec.get("corporate_number")), cn, "XML answer")
    v = create(ctx, {"name": uniq("CNP")})
    cn2 = corpnum()
    r = ctx.h.patch("/vendors/%d" % v["id"], {"version": 1, "corporate_number": typed_forms(cn2)[0]})
    eq(r.status, 200, "PATCH (%s)" % r.brief())
    eq(r.json()["corporate_number"], cn2, "patched form")


@REG.test("corporate_number_typed_but_wrong_refused")
def t_cn_bad(ctx):
    cn = corpnum()
    wrong = str((int(cn[0]) + 1) % 10) + cn[1:]
    for typed in (typed_forms(wrong)[0], typed_forms(wrong)[2], cn[:4] + "-" + cn[4:12],
                  cn[:4] + "." + cn[4:], "-" * 41):
        before = ctx.db.counts()
        r = ctx.h.post("/vendors", {"name": uniq("CNB"), "corporate_number": typed})
        problem(r, 422, None, "corporate_number", codes=("invalid_value", "too_long"))
        eq(ctx.db.counts(), before, "rows after refusing %r" % typed)


@REG.test("vendor_name_of_only_spaces_refused", quick=True)
def t_blank_name(ctx):
    v = create(ctx, {"name": uniq("BL")})
    for name in (" ", "   ", "\u3000", "\u3000 \u3000"):
        before = ctx.db.counts()
        problem(ctx.h.post("/vendors", {"name": name}), 422, "invalid_value", "name")
        problem(ctx.h.post("/vendors", vendor_xml({"name": name}), ctype=XML, accept=XML),
                422, "invalid_value", "name", fmt="xml")
        problem(ctx.h.patch("/vendors/%d" % v["id"], {"version": 1, "name": name}),
                422, "invalid_value", "name")
        eq(ctx.db.counts(), before, "rows after refusing name %r" % name)
    # Spaces around a real name are a name.
    w = create(ctx, {"name": "\u3000" + uniq("BL") + " "})
    check(w["name"].strip("\u3000 "), "name kept")


# --- one 法人番号, one vendor; an admin's stated duplicate ------------------------------

def refused_duplicate(ctx, r, first, fmt="json"):
    """r is the 409 naming first (its id and name)."""
    p = problem(r, 409, "duplicate_corporate_number", "corporate_number", fmt=fmt)
    eq(int(p.get("existing_id") or 0), first["id"], "existing_id")
    check(str(first["id"]) in p["detail"] and first["name"] in p["detail"],
          "detail names vendor %d %s: %r" % (first["id"], first["name"], p["detail"]))


@REG.test("corporate_number_second_vendor_409_names_first", quick=True)
def t_dup_409(ctx):
    cn = corpnum()
    a = create(ctx, {"name": "株式会社" + uniq("重複"), "corporate_number": cn})
    before = ctx.db.counts()
    # Typed another way, it is the same number.
    r = ctx.h.post("/vendors", {"name": uniq("D2"), "corporate_number": typed_forms(cn)[2]})
    refused_duplicate(ctx, r, a)
    r = ctx.h.post("/vendors", vendor_xml({"name": uniq("D2"), "corporate_number": cn}),
                   ctype=XML, accept=XML)
    refused_duplicate(ctx, r, a, fmt="xml")
    eq(ctx.db.counts(), before, "rows after refused duplicates")
    # A PATCH to the number is refused the same way; nothing changes.
    c = create(ctx, {"name": uniq("D3"), "corporate_number": corpnum()})
    before = ctx.db.counts()
    refused_duplicate(ctx, ctx.h.patch("/vendors/%d" % c["id"], {"version": 1, "corporate_number": cn}), a)
    eq(ctx.db.counts(), before, "rows after a refused PATCH")
    eq(ctx.h.get("/vendors/%d" % c["id"]).json()["version"], 1, "version after a refused PATCH")
    # The first vendor's own edits are no duplicate of itself.
    r = ctx.h.patch("/vendors/%d" % a["id"], {"version": 1, "corporate_number": cn, "address": "東京都"})
    eq(r.status, 200, "PATCH of the holder (%s)" % r.brief())


@REG.test("corporate_number_admin_states_a_duplicate")
def t_dup_admin(ctx):
    cn = corpnum()
    a = create(ctx, {"name": uniq("DA"), "corporate_number": cn})
    body = {"name": uniq("DB"), "corporate_number": cn, "duplicate_of": a["id"],
            "duplicate_reason": "二つ目の契約 (second contract)"}
    problem(ctx.h.post("/vendors", body), 403, "admin_only", "duplicate_of")
    r = ctx.h.post("/vendors", body, user="admin1")
    eq(r.status, 201, "admin's duplicate (%s)" % r.brief())
    b = r.json()
    eq((b["duplicate_of"], b["duplicate_reason"]), (a["id"], body["duplicate_reason"]), "stored")
    r = ctx.h.get("/vendors/%d" % b["id"], accept=XML)
    xsd_validate(r.body)
    rec = record_from_xml(r.xml())
    eq((rec.get("duplicate_of"), rec.get("duplicate_reason")),
       (str(a["id"]), body["duplicate_reason"]), "XML")
    # A third may name either holder; the duplicate's other edits pass.
    r = ctx.h.post("/vendors", dict(body, name=uniq("DC"), duplicate_of=b["id"]), user="admin1")
    eq(r.status, 201, "third, naming the second (%s)" % r.brief())
    r = ctx.h.patch("/vendors/%d" % b["id"], {"version": 1, "address": "大阪府"})
    eq(r.status, 200, "requester's PATCH of a stated duplicate (%s)" % r.brief())
    # Taking the statement back makes it a plain duplicate again.
    r = ctx.h.patch("/vendors/%d" % b["id"], {"version": 2, "duplicate_of": None,
                                               "duplicate_reason": None}, user="admin1")
    refused_duplicate(ctx, r, a)


@REG.test("corporate_number_duplicate_statement_checked")
def t_dup_rules(ctx):
    cn = corpnum()
    a = create(ctx, {"name": uniq("DR"), "corporate_number": cn})
    other = create(ctx, {"name": uniq("DO"), "corporate_number": corpnum()})
    cases = [
        ({"duplicate_of": a["id"]}, "required", "duplicate_reason"),
        ({"duplicate_reason": "why"}, "required", "duplicate_of"),
        ({"duplicate_of": other["id"], "duplicate_reason": "why"}, "invalid_value", "duplicate_of"),
        ({"duplicate_of": 999999999, "duplicate_reason": "why"}, "invalid_value", "duplicate_of"),
        ({"duplicate_of": a["id"], "duplicate_reason": "why", "corporate_number": None},
         "invalid_value", "duplicate_of"),
    ]
    for extra, code, field in cases:
        before = ctx.db.counts()
        body = dict({"name": uniq("DX"), "corporate_number": cn}, **extra)
        problem(ctx.h.post("/vendors", body, user="admin1"), 422, code, field)
        eq(ctx.db.counts(), before, "rows after %r" % extra)


# --- search by legal-form variants, 法人番号 or address; 五十音 order ----------------------

def found(ctx, q, fmt="json"):
    """Ids GET /vendors?q= answers (first page of 200)."""
    import urllib.parse
    r = ctx.h.get("/vendors?limit=200&q=" + urllib.parse.quote(q),
                  accept=XML if fmt == "xml" else "application/json")
    eq(r.status, 200, "q=%s (%s)" % (q, r.brief()))
    if fmt == "xml":
        xsd_validate(r.body)
        return [int(record_from_xml(v)["id"]) for v in r.xml()
                if v.tag.endswith("}vendor")]
    return [v["id"] for v in r.json()["items"]]


@REG.test("search_legal_form_variants_find_the_vendor", quick=True)
def t_search_forms(ctx):
    import secrets
    tok = secrets.token_hex(4)
    prefix = create(ctx, {"name": "株式会社サンプル" + tok})["id"]
    suffix = create(ctx, {"name": "サンプル" + tok + "商事株式会社"})["id"]
    spaced = create(ctx, {"name": "有限会社　サンプル " + tok + " 工業"})["id"]
    for q in ("(株)サンプル" + tok, "（株）サンプル" + tok, "㈱サンプル" + tok,
              "株式会社 サンプル" + tok, "株式会社サンプル" + tok, "サンプル　" + tok,
              "サンプル" + tok + "(株)", "(有)サンプル" + tok):
        eq(sorted(found(ctx, q)), sorted([prefix, suffix, spaced]), "q=%s" % q)
    eq(found(ctx, "㈱サンプル" + tok + "商事"), [suffix], "q with the suffix's words")
    eq(found(ctx, "サンプル" + tok + "工業"), [spaced], "spaces in the stored name")
    eq(sorted(found(ctx, "（株）サンプル" + tok, fmt="xml")), sorted([prefix, suffix, spaced]), "XML")
    eq(found(ctx, "(株)サンプル" + secrets.token_hex(4)), [], "another token finds none")
    # A PATCH of the name moves it out of reach and another in.
    r = ctx.h.patch("/vendors/%d" % prefix, {"version": 1, "name": "合同会社ベツメイ" + tok})
    eq(r.status, 200, "rename (%s)" % r.brief())
    eq(sorted(found(ctx, "サンプル" + tok)), sorted([suffix, spaced]), "after the rename")
    eq(found(ctx, "(同)ベツメイ" + tok), [prefix], "the new name")


@REG.test("search_by_corporate_number_or_address")
def t_search_cn(ctx):
    import secrets
    cn = corpnum()
    tok = secrets.token_hex(4)
    v = create(ctx, {"name": uniq("S"), "corporate_number": cn,
                     "address": "東京都千代田区霞が関" + tok + "１－２－３"})["id"]
    for q in (cn, typed_forms(cn)[0], typed_forms(cn)[3], cn[3:11],
              "霞が関" + tok, "千代田区 霞が関" + tok, tok + "1-2-3", tok + "１２３"):
        eq(found(ctx, q), [v], "q=%s" % q)
    w = create(ctx, {"name": uniq("S")})["id"]
    r = ctx.h.patch("/vendors/%d" % w, {"version": 1, "address": "大阪市" + tok})
    eq(r.status, 200, "PATCH address (%s)" % r.brief())
    eq(found(ctx, "大阪市" + tok), [w], "a patched address is searched")


# Real kana in 五十音 order (JIS X 4061): 清音 < 濁音 < 半濁音 when the rest is
# equal, small kana (促音, 拗音) before large; a dakuten counts only then.
KANA_ORDER = ["アオイ", "ウサギ", "カッコウ", "カツコウ", "ガッコウ", "キャク", "キヤク",
              "サクラ", "ザクロ", "ダイ", "タナカ", "チョウ", "ハン", "バン", "パン",
              None, "ヲ", "ンマ"]     # None: no kana, sorted by its name ワタナベ…


@REG.test("sort_kana_gojuon_order", quick=True)
def t_sort_kana(ctx):
    import secrets
    import urllib.parse
    tok = "K" + secrets.token_hex(4)
    ids = {}
    order = list(KANA_ORDER)
    for i in (9, 3, 16, 0, 12, 5, 14, 1, 7, 2, 10, 4, 17, 6, 11, 8, 13, 15):
        kana = order[i]
        body = {"name": ("ワタナベ" if kana is None else "") + tok + "-%02d" % i}
        if kana is not None:
            body["name_kana"] = kana
        ids[create(ctx, body)["id"]] = i
    want = [i for i in range(len(order))]

    def walk(sort, limit):
        got, cur = [], None
        for _ in range(50):
            url = "/vendors?q=%s&sort=%s&limit=%d" % (tok, sort, limit)
            if cur:
                url += "&cursor=" + urllib.parse.quote(cur, safe="")
            r = ctx.h.get(url)
            eq(r.status, 200, "GET %s (%s)" % (url, r.brief()))
            got += [ids[v["id"]] for v in r.json()["items"]]
            cur = r.json().get("next_cursor")
            if not cur:
                return got
        raise Failure("too many pages")
    eq(walk("kana", 200), want, "sort=kana (indexes into KANA_ORDER)")
    eq(walk("kana", 4), want, "sort=kana in pages of 4")
    eq(walk("-kana", 5), want[::-1], "sort=-kana in pages of 5")
    r = ctx.h.get("/vendors?q=%s&sort=kana&limit=3" % tok, accept=XML)
    eq(r.status, 200, "XML (%s)" % r.brief())
    xsd_validate(r.body)
    eq([ids[int(record_from_xml(v)["id"])] for v in r.xml() if v.tag.endswith("}vendor")],
       want[:3], "XML sort=kana")


# --- unknown query parameters on a list are 400 ------------------------------------------

LISTS = [
    ("/vendors", "status=candidate&q=x&sort=-kana&audit_due=false&tier=low&limit=1"),
    ("/templates", "code=onboarding&kind=onboarding&limit=1"),
    ("/assessments", "kind=onboarding&state=draft&waiting_for=me&overdue=false&limit=1"),
    ("/findings", "status=open&severity=high&limit=1"),
    ("/subcontracts", "state=draft&waiting_for=me&flagged=false&limit=1"),
    ("/incidents", "state=open&waiting_for=me&limit=1"),
    ("/events", "after=0&limit=1"),
    ("/audit-log", "entity=vendor:1&after=0&limit=1"),
]


@REG.test("list_unknown_query_parameter_400_names_it", quick=True)
def t_unknown_param(ctx):
    for path, known in LISTS:
        r = ctx.h.get("%s?%s" % (path, known), user="admin1")
        eq(r.status, 200, "known parameters of %s (%s)" % (path, r.brief()))
        for bad in ("colour=red", "Status=approved", "limt=5", "q%5B%5D=x", "n=1", "flag"):
            for fmt in ("json", "xml"):
                r = ctx.h.get("%s?%s&%s" % (path, known, bad), user="admin1",
                              accept=XML if fmt == "xml" else "application/json")
                name = bad.split("=")[0].replace("%5B%5D", "[]")
                p = problem(r, 400, "unknown_parameter", name, fmt=fmt)
                check("limit" in p["detail"], "detail lists the parameters taken: %r" % p["detail"])
    # Empty pieces of a query are no parameter.
    eq(ctx.h.get("/vendors?&limit=1&&").status, 200, "empty pieces")


@REG.test("list_cache_control_no_cache_reads_fresh")
def t_no_cache(ctx):
    tok = uniq("NC").replace("-", "")
    create(ctx, {"name": tok})
    url = "/vendors?q=%s&limit=5" % tok
    got = [ctx.h.get(url).header("x-cache") for _ in range(3)]
    eq(got, ["miss", "miss", "hit"], "kept on second sight")
    r = ctx.h.get(url, headers={"Cache-Control": "no-cache"})
    eq((r.status, r.header("x-cache")), (200, "miss"), "no-cache is read fresh")
    eq(ctx.h.get(url).header("x-cache"), "hit", "and the cache still serves others")


# --- a PATCH that changes nothing ------------------------------------------------------

@REG.test("patch_changing_nothing_writes_nothing", quick=True)
def t_noop_patch(ctx):
    cn = corpnum()
    v = create(ctx, {"name": uniq("NO"), "corporate_number": cn, "address": "東京都",
                     "payment_data": True})
    before = ctx.db.counts()
    same = [
        {"version": 1},
        {"version": 1, "name": v["name"], "address": "東京都"},
        {"version": 1, "corporate_number": typed_forms(cn)[3]},   # the same number, typed
        {"version": 1, "name_kana": None, "payment_data": True, "personal_data": "none"},
    ]
    for body in same:
        r = ctx.h.patch("/vendors/%d" % v["id"], body)
        eq(r.status, 200, "no-op PATCH %r (%s)" % (body, r.brief()))
        eq(r.json(), v, "answer is the record as it is")
    r = ctx.h.patch("/vendors/%d" % v["id"], vendor_xml({"version": 1, "address": "東京都"}),
                    ctype=XML, accept=XML)
    eq(r.status, 200, "XML no-op (%s)" % r.brief())
    xsd_validate(r.body)
    eq(record_from_xml(r.xml()).get("version"), "1", "XML version")
    eq(ctx.db.counts(), before, "no version, audit row or event")
    eq(ctx.h.get("/vendors/%d" % v["id"]).json(), v, "GET unchanged")
    # The version is still checked; a real change still writes.
    problem(ctx.h.patch("/vendors/%d" % v["id"], {"version": 2, "address": "東京都"}), 409,
            "stale_version", "version")
    r = ctx.h.patch("/vendors/%d" % v["id"], {"version": 1, "address": "京都府"})
    eq((r.status, r.json().get("version")), (200, 2), "a change (%s)" % r.brief())
    b = before
    eq(ctx.db.counts(), (b[0], b[1] + 1, b[2] + 1), "one audit row and one event")


# --- the whole audit log, and its chain check over HTTP -------------------------------

def audit_walk(ctx, query, user="auditor1", limit=3):
    """Every row GET /audit-log?query gives, page by page (after=)."""
    rows, after = [], 0
    for _ in range(200):
        r = ctx.h.get("/audit-log?%s&limit=%d&after=%d" % (query, limit, after), user=user)
        eq(r.status, 200, "audit-log %s (%s)" % (query, r.brief()))
        items = r.json()["items"]
        rows += items
        if not r.json().get("next_cursor"):
            return rows
        after = int(r.json()["next_cursor"])
    raise Failure("too many pages")


@REG.test("audit_log_whole_by_actor_action_kind_period", quick=True)
def t_audit_browse(ctx):
    import urllib.parse
    a = create(ctx, {"name": uniq("AL")}, user="admin1")
    b = create(ctx, {"name": uniq("AL")})
    r = ctx.h.patch("/vendors/%d" % a["id"], {"version": 1, "address": "福岡県"}, user="admin1")
    eq(r.status, 200, "PATCH (%s)" % r.brief())
    mine = ctx.db.rows("SELECT id, actor, action, entity, entity_id FROM vr_audit_log ORDER BY id")
    # by actor, paged by 3: exactly the admin's rows, in chain order
    got = audit_walk(ctx, "actor=admin1")
    eq([x["id"] for x in got], [int(m[0]) for m in mine if m[1] == "admin1"], "actor=admin1")
    # by action and kind
    got = audit_walk(ctx, "action=vendor.updated&entity=vendor", limit=50)
    want = [int(m[0]) for m in mine if m[2] == "vendor.updated" and m[3] == "vendor"]
    eq([x["id"] for x in got], want, "action=vendor.updated&entity=vendor")
    check(got and all(x["action"] == "vendor.updated" for x in got), "actions")
    # a kind and an actor together; one record's history
    got = audit_walk(ctx, "entity=vendor&actor=requester1", limit=100)
    check(b["id"] in [x["entity_id"] for x in got], "requester1's vendor in entity=vendor&actor")
    got = audit_walk(ctx, "entity=vendor:%d" % a["id"], user="requester1")
    eq([x["action"] for x in got], ["vendor.created", "vendor.updated"], "one record's history")
    # the period: today (Tokyo) holds the new rows, yesterday none of them
    today = ctx.db.scalar("SELECT DATE(UTC_TIMESTAMP() + INTERVAL 9 HOUR)")
    got = audit_walk(ctx, "from=%s&to=%s&actor=admin1" % (today, today), limit=100)
    check(a["id"] in [x["entity_id"] for x in got], "today's rows: %r" % got[-3:])
    yday = ctx.db.scalar("SELECT DATE(UTC_TIMESTAMP() + INTERVAL 9 HOUR - INTERVAL 1 DAY)")
    got = audit_walk(ctx, "to=%s&entity=vendor:%d" % (yday, a["id"]))
    eq(got, [], "nothing of it before today")
    # XML, checked against the schema
    r = ctx.h.get("/audit-log?actor=admin1&entity=vendor&limit=2", user="auditor1", accept=XML)
    eq(r.status, 200, "XML (%s)" % r.brief())
    xsd_validate(r.body)
    check(len([e for e in r.xml() if e.tag.endswith("}audit_entry")]) == 2, "two XML rows")
    # admins too; others only a record's history
    eq(ctx.h.get("/audit-log?actor=admin1&limit=1", user="admin1").status, 200, "admin")
    for user in ("requester1", "reviewer1", "approver1"):
        problem(ctx.h.get("/audit-log?actor=admin1", user=user), 403, "forbidden")
        problem(ctx.h.get("/audit-log", user=user), 403, "forbidden")
    for bad, field in (("from=2026-13-01", "from"), ("to=yesterday", "to"),
                       ("entity=nothing", "entity"), ("entity=vendor:0", "entity"),
                       ("actor=" + urllib.parse.quote("x" * 256), "actor"),
                       ("limit=0", "limit"), ("after=-1", "after"), ("sort=id", "sort")):
        problem(ctx.h.get("/audit-log?" + bad, user="auditor1"), 400, None, field)


@REG.test("audit_log_verify_over_http", quick=True)
def t_audit_verify(ctx):
    import subprocess
    r = ctx.h.get("/audit-log/verify", user="auditor1")
    eq(r.status, 200, "verify (%s)" % r.brief())
    v = r.json()
    eq(v.get("intact"), True, "intact")
    check("broken_at" not in v or v["broken_at"] is None, "no broken_at: %r" % v)
    n = int(ctx.db.scalar("SELECT COUNT(*) FROM vr_audit_log"))
    check(v["detail"].startswith("%d rows" % n) or int(v["detail"].split()[0]) >= n,
          "detail counts the rows: %r (%d)" % (v["detail"], n))
    eq(v["report"], "audit log ok: " + v["detail"], "report")
    # The same line the command prints (when the test knows the binary).
    try:
        out = subprocess.run([ctx.binary, "-c", ctx.config, "verify-audit-log"],
                             capture_output=True, text=True, timeout=60)
    except OSError:
        out = None
    if out is not None and out.returncode == 0:
        cmd = out.stdout.strip()
        check(cmd.startswith("audit log ok: "), "command: %r" % cmd)
    r = ctx.h.get("/audit-log/verify", user="admin1", accept=XML)
    eq(r.status, 200, "XML (%s)" % r.brief())
    xsd_validate(r.body)
    rec = record_from_xml(r.xml())
    eq(rec.get("intact"), "true", "XML intact")
    for user in ("requester1", "reviewer1", "approver1"):
        problem(ctx.h.get("/audit-log/verify", user=user), 403, "forbidden")
    problem(ctx.h.get("/audit-log/verify?deep=1", user="auditor1"), 400, "unknown_parameter", "deep")



# --- contract period, renewal date and certifications ----------------------------------

CERTS = [{"kind": "pmark", "number": "10822345(05)", "expires_on": "2027-01-15"},
         {"kind": "isms", "number": "IS 654321", "expires_on": "2026-12-20"},
         {"kind": "other", "name": "ISO/IEC 27701", "number": "PII 77", "expires_on": "2028-05-31"}]


@REG.test("vendor_contract_period_and_certifications", quick=True)
def t_contract(ctx):
    body = {"name": uniq("CT"), "contract_start": "2026-04-01", "contract_end": "2027-03-31",
            "renewal_date": "2027-02-01", "certifications": CERTS}
    v = create(ctx, body)
    for k in ("contract_start", "contract_end", "renewal_date"):
        eq(v[k], body[k], k)
    eq([{k: c.get(k) for k in ("kind", "name", "number", "expires_on")} for c in v["certifications"]],
       [dict({"name": None}, **c) for c in CERTS], "certifications")
    got = ctx.h.get("/vendors/%d" % v["id"]).json()
    eq(got["certifications"], v["certifications"], "GET")
    listed = [x for x in ctx.h.get("/vendors?sort=-id&limit=5").json()["items"] if x["id"] == v["id"]]
    eq(listed[0]["certifications"], v["certifications"], "in the list too")
    r = ctx.h.get("/vendors/%d" % v["id"], accept=XML)
    xsd_validate(r.body)
    certs = [c for e in r.xml() if e.tag.endswith("}certifications") for c in e]
    eq([record_from_xml(c).get("number") for c in certs], [c["number"] for c in CERTS], "XML")
    # XML in, and a PATCH replaces the whole list
    xml = ('<vendor xmlns="urn:vendor-review:api:1"><name>%s</name><contract_start>2026-01-01'
           '</contract_start><certifications><certification><kind>pmark</kind>'
           '<number>1</number><expires_on>2026-09-30</expires_on></certification>'
           '</certifications></vendor>' % uniq("CX"))
    r = ctx.h.post("/vendors", xml.encode(), ctype=XML, accept=XML)
    eq(r.status, 201, "XML create (%s)" % r.brief())
    r = ctx.h.patch("/vendors/%d" % v["id"], {"version": 1, "certifications": CERTS[1:2]})
    eq((r.status, [c["kind"] for c in r.json()["certifications"]]), (200, ["isms"]), "PATCH list")
    r = ctx.h.patch("/vendors/%d" % v["id"], {"version": 2, "contract_end": "2026-03-31"})
    problem(r, 422, "invalid_value", "contract_end")
    before = ctx.db.counts()
    for certs, code, field in (
            ([{"kind": "other", "expires_on": "2027-01-01"}], "required", "certifications[0].name"),
            ([CERTS[0], {"kind": "pmark"}], "required", "certifications[1].expires_on"),
            ([{"kind": "jisq", "expires_on": "2027-01-01"}], "invalid_value", "certifications[0].kind"),
            ([{"kind": "pmark", "expires_on": "2027-02-30"}], "invalid_value", "certifications[0].expires_on"),
            ([CERTS[0]] * 21, None, "certifications")):
        p = problem(ctx.h.post("/vendors", {"name": uniq("CB"), "certifications": certs}), 422,
                    code, field)
        check(p["code"], "code")
    eq(ctx.db.counts(), before, "rows after refused certifications")


def schedule(ctx, day):
    r = ctx.h.post("/schedule/run", {"as_of": day}, user="admin1")
    eq(r.status, 200, "schedule as of %s (%s)" % (day, r.brief()))
    return r.json()


@REG.test("scheduler_raises_certification_expiring_ahead", quick=True)
def t_cert_sched(ctx):
    num = uniq("P")
    v = create(ctx, {"name": uniq("CS"), "certifications": [
        {"kind": "pmark", "number": num, "expires_on": "2003-03-31"},
        {"kind": "isms", "number": num, "expires_on": "2003-12-31"}]})

    def raised(day):
        return [(n["type"], n["due"]) for n in schedule(ctx, day)["notices"]
                if (n["entity"], n["entity_id"]) == ("vendor", v["id"])]

    e0 = ctx.db.max_event()
    eq(raised("2002-12-01"), [], "120 days ahead: nothing yet")
    eq(raised("2003-01-01"), [("vendor.certification_expiring", "2003-03-31")], "89 days ahead")
    eq(raised("2003-01-02"), [], "raised once")
    eq(raised("2003-03-10"), [("vendor.certification_expiring", "2003-03-31")], "30 days ahead")
    eq(raised("2003-04-01"), [("vendor.certification_expired", "2003-03-31")], "expired")
    eq(raised("2003-04-02"), [], "expired once")
    evs = ctx.h.get("/events?after=%d&limit=100" % e0).json()["items"]
    mine = [x["type"] for x in evs if x["entity"] == "vendor" and x["entity_id"] == v["id"]]
    eq(mine, ["vendor.certification_expiring"] * 2 + ["vendor.certification_expired"], "events")
    # Renewed: the new expiry is reminded of anew; a terminated vendor is not.
    r = ctx.h.patch("/vendors/%d" % v["id"], {"version": 1, "certifications": [
        {"kind": "pmark", "number": num, "expires_on": "2005-03-31"}]})
    eq(r.status, 200, "renewal (%s)" % r.brief())
    eq(raised("2005-01-01"), [("vendor.certification_expiring", "2005-03-31")], "renewed")
    r = ctx.h.patch("/vendors/%d" % v["id"], {"version": 2, "status": "terminated"}, user="admin1")
    eq(r.status, 200, "terminate (%s)" % r.brief())
    eq(raised("2005-03-30"), [], "a terminated vendor's certifications are not reminded of")
