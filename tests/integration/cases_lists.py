"""Vendor lists: paging, sorting, filters, parameter errors."""

import urllib.parse

from vrlib import (vendors_set_in_sql, REG, check, eq, uniq, q, record_from_xml, xsd_validate,
                   problem)
from cases_vendors import create, XML

SORTS = ["id", "-id", "name", "-name", "updated_at", "-updated_at"]


def walk(ctx, query, accept=None, max_pages=20):
    """Follows next_cursor; returns (pages of ids, all items)."""
    pages, items, cursor = [], [], None
    for _ in range(max_pages):
        url = "/vendors?" + query + ("&cursor=" + urllib.parse.quote(cursor, safe="") if cursor else "")
        r = ctx.h.get(url)
        eq(r.status, 200, "GET %s (%s)" % (url, r.brief()))
        b = r.json()
        check(set(b) >= {"items", "next_cursor"}, "list members %r" % sorted(b))
        pages.append([x["id"] for x in b["items"]])
        items.extend(b["items"])
        cursor = b["next_cursor"]
        if cursor is None:
            return pages, items
        check(isinstance(cursor, str) and cursor, "next_cursor %r" % cursor)
    raise AssertionError("more than %d pages" % max_pages)


def make_seven(ctx):
    tok = uniq("Pg").replace("-", "")
    # names out of id order; two share a name (ties broken by id)
    suffixes = ["delta", "alpha", "golf", "charlie", "alpha", "echo", "bravo"]
    vs = [create(ctx, {"name": "%s %s" % (tok, s)}) for s in suffixes]
    # touch two so updated_at order differs from id order
    for v in (vs[0], vs[3]):
        r = ctx.h.patch("/vendors/%d" % v["id"], {"version": 1, "address": "moved"})
        eq(r.status, 200, "patch (%s)" % r.brief())
        v.update(r.json())
    return tok, vs


def expected(vs, sort):
    key = sort.lstrip("-")
    desc = sort.startswith("-")
    if key == "id":
        return [v["id"] for v in sorted(vs, key=lambda v: v["id"], reverse=desc)]
    return [v["id"] for v in sorted(vs, key=lambda v: (v[key], v["id"]), reverse=desc)]


def _pagination(ctx, sorts):
    tok, vs = make_seven(ctx)
    for sort in sorts:
        pages, items = walk(ctx, "q=%s&limit=3&sort=%s" % (tok, urllib.parse.quote(sort)))
        ids = [i for p in pages for i in p]
        eq([len(p) for p in pages], [3, 3, 1], "page sizes for sort=%s" % sort)
        eq(len(ids), len(set(ids)), "duplicates for sort=%s: %r" % (sort, ids))
        eq(sorted(ids), sorted(v["id"] for v in vs), "the set for sort=%s" % sort)
        want = expected(vs, sort)
        if sort.lstrip("-") == "name":
            # the two "alpha" may come in either order; everything else exact
            names = [next(v["name"] for v in vs if v["id"] == i) for i in ids]
            eq(names, [next(v["name"] for v in vs if v["id"] == i) for i in want], "name order for sort=%s" % sort)
        else:
            eq(ids, want, "order for sort=%s" % sort)


@REG.test("pagination_limit3_every_sort")
def t_pages(ctx):
    _pagination(ctx, SORTS)


@REG.test("pagination_default_sort_and_limit")
def t_default(ctx):
    tok, vs = make_seven(ctx)
    pages, items = walk(ctx, "q=" + tok)
    eq(len(pages), 1, "one page with the default limit")
    eq(sorted(pages[0]), sorted(v["id"] for v in vs), "items")
    r = ctx.h.get("/vendors")
    eq(r.status, 200, "GET /vendors")
    check(len(r.json()["items"]) <= 50, "default limit 50 exceeded: %d" % len(r.json()["items"]))
    r = ctx.h.get("/vendors?limit=200")
    eq(r.status, 200, "limit=200")
    r = ctx.h.get("/vendors?limit=1")
    eq(r.status, 200, "limit=1")
    eq(len(r.json()["items"]), 1, "limit=1 items")


@REG.test("pagination_xml_xsd_next_cursor_absent_on_last_page")
def t_pages_xml(ctx):
    tok = uniq("PX").replace("-", "")
    for i in range(3):
        create(ctx, {"name": "%s %d" % (tok, i)})
    r = ctx.h.get("/vendors?q=%s&limit=2" % tok, accept=XML)
    eq(r.status, 200, "page 1 (%s)" % r.brief())
    xsd_validate(r.body)
    root = r.xml()
    eq(root.tag, q("vendors"), "root")
    recs = root.findall(q("vendor"))
    eq(len(recs), 2, "page 1 records")
    cur = root.find(q("next_cursor"))
    check(cur is not None and cur.text, "next_cursor missing on a full page")
    r = ctx.h.get("/vendors?q=%s&limit=2&cursor=%s" % (tok, urllib.parse.quote(cur.text, safe="")), accept=XML)
    eq(r.status, 200, "page 2 (%s)" % r.brief())
    xsd_validate(r.body)
    root = r.xml()
    recs2 = root.findall(q("vendor"))
    eq(len(recs2), 1, "page 2 records")
    check(root.find(q("next_cursor")) is None, "next_cursor present on the last page")
    names = sorted(record_from_xml(e)["name"] for e in recs + recs2)
    eq(names, ["%s %d" % (tok, i) for i in range(3)], "names")
    # JSON gives null on the last page
    r = ctx.h.get("/vendors?q=%s&limit=5" % tok)
    eq(r.json()["next_cursor"], None, "JSON next_cursor on last page")


@REG.test("filter_tier_and_status")
def t_filters(ctx):
    tok = uniq("Fl").replace("-", "")
    hi = create(ctx, {"name": tok + " h", "payment_data": True})
    me = create(ctx, {"name": tok + " m", "confidential_data": True})
    lo = create(ctx, {"name": tok + " l"})
    for tier, v in (("high", hi), ("medium", me), ("low", lo)):
        r = ctx.h.get("/vendors?q=%s&tier=%s" % (tok, tier))
        eq(r.status, 200, "tier=%s" % tier)
        eq([x["id"] for x in r.json()["items"]], [v["id"]], "tier=%s ids" % tier)
        check(all(x["tier"] == tier for x in r.json()["items"]), "tier filter leaked")
    r = ctx.h.get("/vendors?q=%s&status=candidate&sort=id" % tok)
    eq([x["id"] for x in r.json()["items"]], [hi["id"], me["id"], lo["id"]], "status=candidate")
    r = ctx.h.get("/vendors?q=%s&status=suspended" % tok)
    eq(r.json()["items"], [], "status=suspended")
    r = ctx.h.patch("/vendors/%d" % me["id"], {"version": 1, "status": "suspended"}, user="admin1")
    eq(r.status, 200, "suspend (%s)" % r.brief())
    r = ctx.h.get("/vendors?q=%s&status=suspended&tier=medium" % tok)
    eq([x["id"] for x in r.json()["items"]], [me["id"]], "status=suspended&tier=medium")
    r = ctx.h.get("/vendors?q=%s&status=suspended&tier=high" % tok)
    eq(r.json()["items"], [], "status=suspended&tier=high")
    # the filter for every status value is accepted
    for st in ("candidate", "approved", "suspended", "terminated"):
        eq(ctx.h.get("/vendors?limit=1&status=" + st).status, 200, "status=%s accepted" % st)
    # audit_due: approved, next audit within 30 days or overdue
    with vendors_set_in_sql(ctx, [
            (hi["id"], {"status": "'approved'", "next_audit_due": "CURRENT_DATE + INTERVAL 30 DAY"}),
            (lo["id"], {"status": "'approved'", "next_audit_due": "CURRENT_DATE + INTERVAL 31 DAY"}),
            (me["id"], {"next_audit_due": "CURRENT_DATE - INTERVAL 400 DAY"})]):
        r = ctx.h.get("/vendors?q=%s&audit_due=true" % tok)
        eq([x["id"] for x in r.json()["items"]], [hi["id"]],
           "audit_due: the approved one due in 30 days (not 31 days, not the suspended one)")
    with vendors_set_in_sql(ctx, [
            (hi["id"], {"status": "'approved'", "next_audit_due": "CURRENT_DATE + INTERVAL 30 DAY"}),
            (lo["id"], {"status": "'approved'", "next_audit_due": "CURRENT_DATE - INTERVAL 1 DAY"})]):
        r = ctx.h.get("/vendors?q=%s&audit_due=true&sort=id" % tok)
        eq([x["id"] for x in r.json()["items"]], [hi["id"], lo["id"]], "audit_due: and the overdue one")


BAD_PARAMS = [
    ("status_unknown", "status=deleted", "status", None),
    ("tier_unknown", "tier=extreme", "tier", None),
    ("tier_case", "tier=HIGH", "tier", None),
    ("limit_0", "limit=0", "limit", None),
    ("limit_201", "limit=201", "limit", None),
    ("limit_negative", "limit=-1", "limit", None),
    ("limit_text", "limit=abc", "limit", None),
    ("limit_empty", "limit=", "limit", None),
    ("limit_huge", "limit=99999999999999999999999", "limit", None),
    ("sort_unknown", "sort=tier", "sort", None),
    ("sort_injection", "sort=name;DROP%20TABLE%20vr_vendors", "sort", None),
    ("cursor_garbage", "cursor=garbage!!", "cursor", "invalid_cursor"),
    ("cursor_base64_junk", "cursor=eyJmb28iOjF9", "cursor", "invalid_cursor"),
    ("cursor_empty", "cursor=", "cursor", None),
    ("q_invalid_utf8", "q=%C0%AF", "q", None),
]

for _n, _qs, _field, _code in BAD_PARAMS:
    def _f(ctx, qs=_qs, field=_field, code=_code):
        r = ctx.h.get("/vendors?" + qs)
        problem(r, 400, code, field)
    REG.add("list_400_" + _n, _f, quick=_n in ("limit_0", "cursor_garbage"))


@REG.test("list_400_problem_xml")
def t_bad_xml(ctx):
    r = ctx.h.get("/vendors?sort=bogus", accept=XML)
    problem(r, 400, None, "sort", fmt="xml")


@REG.test("cursor_tampered_400")
def t_tampered(ctx):
    tok = uniq("Ct").replace("-", "")
    for i in range(3):
        create(ctx, {"name": "%s %d" % (tok, i)})
    r = ctx.h.get("/vendors?q=%s&limit=1" % tok)
    cur = r.json()["next_cursor"]
    check(cur, "no cursor")
    for bad in (cur[:-2], cur + "A", cur[::-1], "x" + cur[1:]):
        if bad == cur:
            continue
        r = ctx.h.get("/vendors?q=%s&limit=1&cursor=%s" % (tok, urllib.parse.quote(bad, safe="")))
        check(r.status in (200, 400), "tampered cursor %r: want 400 (or 200 when still a valid cursor), got %s" % (bad, r.brief()))
        if r.status == 400:
            problem(r, 400, "invalid_cursor", "cursor")


@REG.test("search_follows_rename_and_kana")
def t_search_terms(ctx):
    """q uses the search-term index: a rename and the kana are searched."""
    tok = uniq("Sx").replace("-", "")
    v = create(ctx, {"name": "%s 旧名商事" % tok, "name_kana": "キュウメイショウジ" + tok})

    def found(qs):
        r = ctx.h.get("/vendors?q=" + urllib.parse.quote(qs) + "&limit=200")
        eq(r.status, 200, "GET q=%s (%s)" % (qs, r.brief()))
        return [x["id"] for x in r.json()["items"]]

    check(v["id"] in found("旧名商事"), "old name found before the rename")
    check(v["id"] in found("キュウメイショウジ" + tok), "found by kana")
    check(v["id"] in found(tok.lower()), "search is case-insensitive")
    r = ctx.h.patch("/vendors/%d" % v["id"], {"version": v["version"],
                                              "name": "%s 新名物産" % tok})
    eq(r.status, 200, "rename (%s)" % r.brief())
    check(v["id"] not in found(tok + " 旧名"), "old name gone after the rename")
    check(v["id"] in found("新名物産"), "new name found after the rename")
    one = found("産")
    check(v["id"] in one, "one-character q finds it")


@REG.test("list_cache_hit_then_fresh_after_writes")
def t_list_cache(ctx):
    """GET /vendors answers come from vr_cache until a write commits."""
    tok = uniq("Kc").replace("-", "")
    v = create(ctx, {"name": "%s 倉庫" % tok})
    url = "/vendors?q=%s&limit=10" % tok

    def fetch(accept=None, path=url):
        r = ctx.h.get(path, accept=accept)
        eq(r.status, 200, "GET %s (%s)" % (path, r.brief()))
        return r

    # Kept on second sight: the second miss is kept, the third is a hit.
    a, a2, b = fetch(), fetch(), fetch()
    eq([r.header("x-cache") for r in (a, a2, b)], ["miss", "miss", "hit"], "X-Cache")
    eq(b.body, a.body, "a hit is the same bytes")
    eq(b.header("content-type"), a.header("content-type"), "a hit keeps the type")
    # XML is its own answer.
    x1, x1b, x2 = fetch(XML), fetch(XML), fetch(XML)
    eq([r.header("x-cache") for r in (x1, x1b, x2)], ["miss", "miss", "hit"], "XML X-Cache")
    check(x2.body.startswith(b"<?xml") and x2.header("content-type").startswith("application/xml"),
          "XML hit: %r" % x2.body[:80])
    eq(fetch(path=url + "&sort=-id").header("x-cache"), "miss", "another query, another answer")

    # Writes commit a new audit row: the next list is read again.
    r = ctx.h.patch("/vendors/%d" % v["id"], {"version": v["version"], "address": "新住所"})
    eq(r.status, 200, "patch (%s)" % r.brief())
    c = fetch()
    eq(c.header("x-cache"), "miss", "after a PATCH")
    eq([i["address"] for i in c.json()["items"]], ["新住所"], "the PATCH is seen at once")
    eq(fetch().header("x-cache"), "hit", "a key seen before is kept at its first miss")
    w = create(ctx, {"name": "%s 倉庫二号" % tok})
    d = fetch()
    eq(sorted(i["id"] for i in d.json()["items"]), sorted([v["id"], w["id"]]),
       "the POST is seen at once")
    eq(fetch(XML).header("x-cache"), "miss", "XML after the writes")

    # Problems are never kept.
    for _ in range(2):
        r = ctx.h.get("/vendors?q=%s&limit=0" % tok)
        problem(r, 400, None, "limit")
        check(r.header("x-cache") is None, "no X-Cache on a problem: %r" % r.header("x-cache"))
