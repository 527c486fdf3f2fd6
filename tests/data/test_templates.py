#!/usr/bin/env python3
"""Structure of the check-sheet templates in plugin-manifests/templates/.

Every *.xml there is a check sheet (template) in the vocabulary
urn:vendor-review:api:1 (see the comment at the top of onboarding.xml).
This test checks each file against the rules the plugin relies on when it
sends, scores and raises findings on a sheet: codes, types, options and
scores, weights, mandatory controls, severities, tiers and the guideline
citation of every question.  onboarding.xml must in addition hold at
least 40 questions and the contract clauses from the seeds in every tier.

Standard library only.  Run from anywhere:
    python3 tests/data/test_templates.py -v
"""

import glob
import os
import re
import sys
import unittest
import xml.etree.ElementTree as ET

NS = "urn:vendor-review:api:1"
ROOT = os.path.normpath(
    os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
TEMPLATE_DIR = os.path.join(ROOT, "plugin-manifests", "templates")

TYPES = {"yes_no", "single_choice", "multiple_choice", "number", "date",
         "text"}
CHOICE_TYPES = {"single_choice", "multiple_choice"}
RECORDED_TYPES = {"number", "date", "text"}  # recorded, not scored
SEVERITIES = {"high", "medium", "low"}
TIERS = ("high", "medium", "low")

TEMPLATE_CODE_RE = re.compile(r"^[a-z0-9_]+$")
SECTION_CODE_RE = re.compile(r"^[A-Z]{2}$")
QUESTION_CODE_RE = re.compile(r"^[A-Z]{2}-[0-9]{2}$")
OPTION_CODE_RE = re.compile(r"^[a-z0-9_]+$")
UINT_RE = re.compile(r"^[0-9]+$")
BASIS_RE = re.compile(r"^(GL [0-9]+(-[0-9]+)*|Act Art\. [0-9]+)$")

# Fields a question may have; a misspelt element would otherwise be
# silently ignored and its field read as missing or defaulted.
QUESTION_FIELDS_REQUIRED = {"code", "text", "type", "required", "na_allowed",
                            "weight", "mandatory", "severity", "tiers",
                            "basis"}
QUESTION_FIELDS_OPTIONAL = {"help", "options"}

# The contract clauses from the seeds (domain.md, design.md workflow 1),
# each of which must be asked of every tier in the onboarding sheet.
ONBOARDING_MIN_QUESTIONS = 40
CONTRACT_SECTION = "CT"
CONTRACT_CLAUSES = {
    "CT-01": "NDA / confidentiality",
    "CT-02": "named staff who handle the data",
    "CT-03": "media custody with a named keeper",
    "CT-04": "disposal method and certificate",
    "CT-05": "named server administrator",
    "CT-06": "audit and on-site inspection rights",
    "CT-07": "incident reporting flow and timing",
    "CT-08": "damages",
    "CT-09": "subcontracting only with prior written approval",
    "CT-10": "equal obligations flow down to subcontractors",
}


def q(tag):
    return "{%s}%s" % (NS, tag)


def load(path):
    return ET.parse(path).getroot()


def child(elem, tag):
    """The one child `tag` of elem, or None."""
    found = elem.findall(q(tag))
    return found[0] if len(found) == 1 else None


def text_of(elem, tag):
    c = child(elem, tag)
    if c is None or c.text is None:
        return None
    return c.text.strip()


def sections(root):
    holder = child(root, "sections")
    return [] if holder is None else holder.findall(q("section"))


def questions(section):
    holder = child(section, "questions")
    return [] if holder is None else holder.findall(q("question"))


def all_questions(root):
    return [(s, qu) for s in sections(root) for qu in questions(s)]


def tiers_of(question):
    holder = child(question, "tiers")
    if holder is None:
        return []
    return [(t.text or "").strip() for t in holder.findall(q("tier"))]


def options_of(question):
    holder = child(question, "options")
    return None if holder is None else holder.findall(q("option"))


def template_paths():
    return sorted(glob.glob(os.path.join(TEMPLATE_DIR, "*.xml")))


class TemplateCase(unittest.TestCase):
    """Checks every template file, one subTest per file."""

    def setUp(self):
        self.paths = template_paths()
        self.assertTrue(self.paths, "no templates in %s" % TEMPLATE_DIR)
        self.docs = [(os.path.relpath(p, ROOT), load(p)) for p in self.paths]

    def assertLangText(self, elem, tag, where):
        """elem has exactly one `tag` with non-empty <ja> and <en>."""
        c = child(elem, tag)
        self.assertIsNotNone(c, "%s: needs exactly one <%s>" % (where, tag))
        for lang in ("ja", "en"):
            v = text_of(c, lang)
            self.assertTrue(v, "%s: <%s> needs a non-empty <%s>"
                            % (where, tag, lang))
        extra = {e.tag for e in c} - {q("ja"), q("en")}
        self.assertFalse(extra, "%s: <%s> has unexpected %s"
                         % (where, tag, sorted(extra)))

    def test_root(self):
        for name, root in self.docs:
            with self.subTest(file=name):
                self.assertEqual(root.tag, q("template"),
                                 "root must be {%s}template" % NS)
                code = text_of(root, "code")
                self.assertTrue(code and TEMPLATE_CODE_RE.match(code),
                                "template code %r" % code)
                version = text_of(root, "version")
                self.assertTrue(version and UINT_RE.match(version)
                                and int(version) > 0,
                                "version must be a positive integer: %r"
                                % version)
                self.assertTrue(text_of(root, "kind"), "kind missing")
                self.assertLangText(root, "title", "template")
                self.assertTrue(sections(root), "no sections")

    def test_sections(self):
        for name, root in self.docs:
            with self.subTest(file=name):
                seen = set()
                for s in sections(root):
                    code = text_of(s, "code")
                    self.assertTrue(code and SECTION_CODE_RE.match(code),
                                    "section code %r" % code)
                    self.assertNotIn(code, seen, "section %s twice" % code)
                    seen.add(code)
                    self.assertLangText(s, "title", "section %s" % code)
                    self.assertTrue(questions(s),
                                    "section %s has no questions" % code)

    def test_question_codes(self):
        for name, root in self.docs:
            with self.subTest(file=name):
                seen = set()
                for s, qu in all_questions(root):
                    scode = text_of(s, "code")
                    code = text_of(qu, "code")
                    self.assertTrue(code and QUESTION_CODE_RE.match(code),
                                    "question code %r" % code)
                    self.assertEqual(code[:2], scode,
                                     "%s is in section %s" % (code, scode))
                    self.assertNotIn(code, seen, "question %s twice" % code)
                    seen.add(code)

    def test_question_fields(self):
        for name, root in self.docs:
            for _, qu in all_questions(root):
                code = text_of(qu, "code")
                with self.subTest(file=name, question=code):
                    tags = [e.tag for e in qu]
                    for f in QUESTION_FIELDS_REQUIRED:
                        self.assertEqual(tags.count(q(f)), 1,
                                         "needs exactly one <%s>" % f)
                    for f in QUESTION_FIELDS_OPTIONAL:
                        self.assertLessEqual(tags.count(q(f)), 1,
                                             "<%s> more than once" % f)
                    known = {q(f) for f in QUESTION_FIELDS_REQUIRED
                             | QUESTION_FIELDS_OPTIONAL}
                    unknown = sorted(set(tags) - known)
                    self.assertFalse(unknown, "unknown fields %s" % unknown)

                    self.assertLangText(qu, "text", code)
                    if child(qu, "help") is not None:
                        self.assertLangText(qu, "help", code)

                    self.assertIn(text_of(qu, "type"), TYPES)
                    for f in ("required", "na_allowed", "mandatory"):
                        self.assertIn(text_of(qu, f), ("true", "false"),
                                      "<%s> must be true or false" % f)
                    weight = text_of(qu, "weight")
                    self.assertTrue(weight and UINT_RE.match(weight)
                                    and 0 <= int(weight) <= 10,
                                    "weight must be 0-10: %r" % weight)
                    self.assertIn(text_of(qu, "severity"), SEVERITIES)

                    tiers = tiers_of(qu)
                    self.assertTrue(tiers, "applies to no tier")
                    for t in tiers:
                        self.assertIn(t, TIERS, "unknown tier %r" % t)
                    self.assertEqual(len(tiers), len(set(tiers)),
                                     "a tier listed twice")

                    basis = text_of(qu, "basis")
                    self.assertTrue(basis and BASIS_RE.match(basis),
                                    "basis %r is not 'GL n-n' or "
                                    "'Act Art. n'" % basis)

    def test_options(self):
        for name, root in self.docs:
            for _, qu in all_questions(root):
                code = text_of(qu, "code")
                qtype = text_of(qu, "type")
                opts = options_of(qu)
                with self.subTest(file=name, question=code):
                    if qtype not in CHOICE_TYPES:
                        self.assertIsNone(opts, "%s has no options" % qtype)
                        continue
                    self.assertIsNotNone(opts, "%s needs options" % qtype)
                    self.assertTrue(2 <= len(opts) <= 10,
                                    "%d options, need 2-10" % len(opts))
                    seen = set()
                    scores = []
                    for o in opts:
                        ocode = text_of(o, "code")
                        self.assertTrue(ocode and OPTION_CODE_RE.match(ocode),
                                        "option code %r" % ocode)
                        self.assertNotIn(ocode, seen,
                                         "option %s twice" % ocode)
                        seen.add(ocode)
                        self.assertLangText(o, "label",
                                            "%s option %s" % (code, ocode))
                        score = text_of(o, "score")
                        self.assertTrue(score and UINT_RE.match(score)
                                        and 0 <= int(score) <= 100,
                                        "option %s score must be 0-100: %r"
                                        % (ocode, score))
                        scores.append(int(score))
                    # A mandatory control that no answer can fail would
                    # never raise its automatic finding.
                    if text_of(qu, "mandatory") == "true":
                        self.assertIn(0, scores,
                                      "mandatory choice question needs an "
                                      "option scoring 0")

    def test_recorded_types_not_scored(self):
        for name, root in self.docs:
            for _, qu in all_questions(root):
                code = text_of(qu, "code")
                if text_of(qu, "type") not in RECORDED_TYPES:
                    continue
                with self.subTest(file=name, question=code):
                    self.assertEqual(text_of(qu, "weight"), "0",
                                     "number/date/text have weight 0")
                    self.assertEqual(text_of(qu, "mandatory"), "false",
                                     "number/date/text are not mandatory")

    def test_tier_counts(self):
        for name, root in self.docs:
            with self.subTest(file=name):
                count = {t: 0 for t in TIERS}
                for _, qu in all_questions(root):
                    for t in set(tiers_of(qu)):
                        if t in count:
                            count[t] += 1
                self.assertLess(count["low"], count["medium"],
                                "low must get fewer questions than medium: "
                                "%r" % count)
                self.assertLess(count["medium"], count["high"],
                                "medium must get fewer questions than high: "
                                "%r" % count)

    def test_every_section_every_tier(self):
        for name, root in self.docs:
            for s in sections(root):
                scode = text_of(s, "code")
                with self.subTest(file=name, section=scode):
                    covered = {t for qu in questions(s) for t in tiers_of(qu)}
                    missing = [t for t in TIERS if t not in covered]
                    self.assertFalse(missing, "no question for tier %s"
                                     % ", ".join(missing))


class SchemaCase(unittest.TestCase):
    """Each template is a valid document of the API's own schema (the
    one the plugin generates from its field tables and validates every
    XML body with), so import-template and POST /templates take it."""

    def test_api_schema(self):
        import shutil
        import subprocess
        xsd = os.path.join(ROOT, "plugin-manifests", "schemas", "api.xsd")
        self.assertIsNotNone(shutil.which("xmllint"), "xmllint is needed")
        for path in template_paths():
            with self.subTest(template=os.path.basename(path)):
                p = subprocess.run(["xmllint", "--noout", "--nonet",
                                    "--schema", xsd, path],
                                   stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE)
                self.assertEqual(p.returncode, 0, p.stderr.decode())


class OnboardingCase(unittest.TestCase):
    """What the default onboarding sheet must hold beyond the common rules."""

    PATH = os.path.join(TEMPLATE_DIR, "onboarding.xml")

    def setUp(self):
        self.assertTrue(os.path.isfile(self.PATH), "%s missing" % self.PATH)
        self.root = load(self.PATH)

    def test_question_count(self):
        n = len(all_questions(self.root))
        self.assertGreaterEqual(n, ONBOARDING_MIN_QUESTIONS,
                                "onboarding has %d questions" % n)

    def test_contract_clauses_in_every_tier(self):
        by_code = {text_of(qu, "code"): (text_of(s, "code"), qu)
                   for s, qu in all_questions(self.root)}
        for code, clause in sorted(CONTRACT_CLAUSES.items()):
            with self.subTest(question=code, clause=clause):
                self.assertIn(code, by_code, "clause %r missing" % clause)
                scode, qu = by_code[code]
                self.assertEqual(scode, CONTRACT_SECTION)
                self.assertEqual(set(tiers_of(qu)), set(TIERS),
                                 "clause %r must apply to every tier"
                                 % clause)
                self.assertEqual(text_of(qu, "mandatory"), "true",
                                 "clause %r must be a mandatory control"
                                 % clause)



# The other shipped sheets (periodic_audit.xml, subcontract.xml; see the
# comments at their tops).
PERIODIC_AUDIT_QUESTIONS = (25, 35)
PERIODIC_AUDIT_SECTIONS = {
    "AC": "access restriction",
    "DH": "data handling and storage",
    "HR": "staff training",
    "SC": "current subcontracts",
    "IN": "incidents since the last audit",
    "FU": "follow-up of earlier findings",
}
PERIODIC_AUDIT_MIN_REUSED = 5
SUBCONTRACT_QUESTIONS = (12, 18)
# What a subcontractor must accept before work passes to it, each asked of
# every tier as a mandatory control.
SUBCONTRACT_CLAUSES = {
    "BA-01": "written contract with our vendor",
    "NC-01": "NDA / confidentiality",
    "SM-01": "safety measures equal to our vendor's",
    "AC-02": "access restricted to the need",
    "RD-01": "return or deletion at the end",
    "IR-05": "incident report to our vendor without delay",
    "AU-01": "audits by our vendor and by us",
    "RS-01": "no further subcontracting without approval",
    "FR-01": "handling abroad known",
}


def by_code(root):
    """{question code: (section code, question)}."""
    return {text_of(qu, "code"): (text_of(s, "code"), qu)
            for s, qu in all_questions(root)}


def lang_pair(elem, tag):
    c = child(elem, tag)
    return None if c is None else (text_of(c, "ja"), text_of(c, "en"))


def question_identity(qu):
    """Everything of a question but its code and tiers: what must match
    where two sheets share a code."""
    opts = options_of(qu) or []
    return {
        "text": lang_pair(qu, "text"),
        "help": lang_pair(qu, "help"),
        "options": [(text_of(o, "code"), lang_pair(o, "label"),
                     text_of(o, "score")) for o in opts],
        **{f: text_of(qu, f) for f in ("type", "required", "na_allowed",
                                       "weight", "mandatory", "severity",
                                       "basis")},
    }


class SharedCodeCase(unittest.TestCase):
    """A question code used in two templates is one question (same section,
    text, type, options and scoring; only the tiers may differ), so the
    plugin can show an earlier answer beside a new one."""

    def test_shared_codes_are_one_question(self):
        docs = [(os.path.basename(p), by_code(load(p)))
                for p in template_paths()]
        for i, (name_a, qa) in enumerate(docs):
            for name_b, qb in docs[i + 1:]:
                for code in sorted(set(qa) & set(qb)):
                    with self.subTest(files=(name_a, name_b), question=code):
                        self.assertEqual(qa[code][0], qb[code][0],
                                         "section differs")
                        self.assertEqual(question_identity(qa[code][1]),
                                         question_identity(qb[code][1]),
                                         "same code, different question")


class PeriodicAuditCase(unittest.TestCase):
    """What the default periodic audit sheet must hold."""

    PATH = os.path.join(TEMPLATE_DIR, "periodic_audit.xml")

    def setUp(self):
        self.assertTrue(os.path.isfile(self.PATH), "%s missing" % self.PATH)
        self.root = load(self.PATH)

    def test_code_and_kind(self):
        self.assertEqual(text_of(self.root, "code"), "periodic_audit")
        self.assertEqual(text_of(self.root, "kind"), "periodic_audit")

    def test_question_count(self):
        n = len(all_questions(self.root))
        lo, hi = PERIODIC_AUDIT_QUESTIONS
        self.assertTrue(lo <= n <= hi, "periodic_audit has %d questions, "
                        "want %d-%d" % (n, lo, hi))

    def test_required_sections(self):
        have = {text_of(s, "code") for s in sections(self.root)}
        for code, topic in sorted(PERIODIC_AUDIT_SECTIONS.items()):
            with self.subTest(section=code, topic=topic):
                self.assertIn(code, have, "section for %s missing" % topic)

    def test_reuses_onboarding_codes(self):
        mine = by_code(self.root)
        onboarding = by_code(load(OnboardingCase.PATH))
        shared = sorted(set(mine) & set(onboarding))
        self.assertGreaterEqual(len(shared), PERIODIC_AUDIT_MIN_REUSED,
                                "reuses only %s" % shared)
        for code in shared:
            with self.subTest(question=code):
                self.assertEqual(mine[code][0], onboarding[code][0],
                                 "a reused code keeps its section")

    def test_records_incident_count(self):
        types = [text_of(qu, "type") for s, qu in all_questions(self.root)
                 if text_of(s, "code") == "IN"]
        self.assertIn("number", types,
                      "IN needs a number question: incidents since the "
                      "last audit")


class SubcontractCase(unittest.TestCase):
    """What the default subcontractor sheet must hold."""

    PATH = os.path.join(TEMPLATE_DIR, "subcontract.xml")

    def setUp(self):
        self.assertTrue(os.path.isfile(self.PATH), "%s missing" % self.PATH)
        self.root = load(self.PATH)

    def test_code_and_kind(self):
        self.assertEqual(text_of(self.root, "code"), "subcontract")
        self.assertEqual(text_of(self.root, "kind"), "subcontract")

    def test_question_count(self):
        n = len(all_questions(self.root))
        lo, hi = SUBCONTRACT_QUESTIONS
        self.assertTrue(lo <= n <= hi, "subcontract has %d questions, "
                        "want %d-%d (a light sheet)" % (n, lo, hi))

    def test_clauses_in_every_tier(self):
        mine = by_code(self.root)
        for code, clause in sorted(SUBCONTRACT_CLAUSES.items()):
            with self.subTest(question=code, clause=clause):
                self.assertIn(code, mine, "clause %r missing" % clause)
                qu = mine[code][1]
                self.assertEqual(set(tiers_of(qu)), set(TIERS),
                                 "clause %r must apply to every tier"
                                 % clause)
                self.assertEqual(text_of(qu, "mandatory"), "true",
                                 "clause %r must be a mandatory control"
                                 % clause)


if __name__ == "__main__":
    # The summary line scripts/test reads, after unittest's own report.
    prog = unittest.main(exit=False)
    res = prog.result
    bad = len(res.failures) + len(res.errors)
    print("test_templates: %d passed, %d failed" % (res.testsRun - bad, bad))
    sys.exit(1 if bad else 0)
