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
    for typed in typed_forms(corpnum()):
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
