#!/usr/bin/env python3
"""The Japanese national holidays shipped as data in
plugin-manifests/calendar/holidays-jp.csv.

The plugin moves a deadline (the final leak report at day 30/60) to the
next day that is not a Saturday, Sunday, national holiday or 29 Dec-3 Jan,
and reads the national holidays from that file, which an admin may
update.  This test checks the file's form (header "date,name", rows
"YYYY-MM-DD,名称", UTF-8 without BOM, LF line ends, sorted, one row a
day), that it covers 2024-2035, that it matches hand-checked lists for
2025 and 2026 and the 2027 equinox days, that scripts/gen-holidays-jp.py
reproduces it byte for byte, and that the pre-2020 name 体育の日 is gone.

Standard library only.  Run from anywhere:
    python3 tests/data/test_holidays.py -v
"""

import datetime
import os
import re
import subprocess
import sys
import unittest

ROOT = os.path.normpath(
    os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
CSV = os.path.join(ROOT, "plugin-manifests", "calendar", "holidays-jp.csv")
GENERATOR = os.path.join(ROOT, "scripts", "gen-holidays-jp.py")

FIRST_YEAR, LAST_YEAR = 2024, 2035
HEADER = "date,name"
ROW_RE = re.compile(r"^([0-9]{4}-[0-9]{2}-[0-9]{2}),([^,\r\n]+)$")

# Every name the Act gives a day (Art. 2), and the two kinds of 休日
# (Art. 3): a substitute for a holiday on a Sunday, and a day between two
# holidays.
NAMES = {"元日", "成人の日", "建国記念の日", "天皇誕生日", "春分の日",
         "昭和の日", "憲法記念日", "みどりの日", "こどもの日", "海の日",
         "山の日", "敬老の日", "秋分の日", "スポーツの日", "文化の日",
         "勤労感謝の日"}
SUBSTITUTE = "振替休日"
CITIZENS = "国民の休日"
ALL_NAMES = NAMES | {SUBSTITUTE, CITIZENS}
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

# Written out by hand from the Act and the calendar, each with its day of
# the week (checked against datetime below, so a slip in the list shows).
EXPECTED_2025 = [
    ("2025-01-01", "Wed", "元日"),
    ("2025-01-13", "Mon", "成人の日"),
    ("2025-02-11", "Tue", "建国記念の日"),
    ("2025-02-23", "Sun", "天皇誕生日"),
    ("2025-02-24", "Mon", "振替休日"),
    ("2025-03-20", "Thu", "春分の日"),
    ("2025-04-29", "Tue", "昭和の日"),
    ("2025-05-03", "Sat", "憲法記念日"),
    ("2025-05-04", "Sun", "みどりの日"),
    ("2025-05-05", "Mon", "こどもの日"),
    ("2025-05-06", "Tue", "振替休日"),
    ("2025-07-21", "Mon", "海の日"),
    ("2025-08-11", "Mon", "山の日"),
    ("2025-09-15", "Mon", "敬老の日"),
    ("2025-09-23", "Tue", "秋分の日"),
    ("2025-10-13", "Mon", "スポーツの日"),
    ("2025-11-03", "Mon", "文化の日"),
    ("2025-11-23", "Sun", "勤労感謝の日"),
    ("2025-11-24", "Mon", "振替休日"),
]

EXPECTED_2026 = [
    ("2026-01-01", "Thu", "元日"),
    ("2026-01-12", "Mon", "成人の日"),
    ("2026-02-11", "Wed", "建国記念の日"),
    ("2026-02-23", "Mon", "天皇誕生日"),
    ("2026-03-20", "Fri", "春分の日"),
    ("2026-04-29", "Wed", "昭和の日"),
    ("2026-05-03", "Sun", "憲法記念日"),
    ("2026-05-04", "Mon", "みどりの日"),
    ("2026-05-05", "Tue", "こどもの日"),
    ("2026-05-06", "Wed", "振替休日"),
    ("2026-07-20", "Mon", "海の日"),
    ("2026-08-11", "Tue", "山の日"),
    ("2026-09-21", "Mon", "敬老の日"),
    ("2026-09-22", "Tue", "国民の休日"),
    ("2026-09-23", "Wed", "秋分の日"),
    ("2026-10-12", "Mon", "スポーツの日"),
    ("2026-11-03", "Tue", "文化の日"),
    ("2026-11-23", "Mon", "勤労感謝の日"),
]
EXPECTED_2026_COUNT = 18

EQUINOXES_2027 = {"2027-03-21": "春分の日", "2027-09-23": "秋分の日"}


def read_bytes():
    with open(CSV, "rb") as f:
        return f.read()


def parse(data):
    """[(date, name)] of the data rows; the form is the FormCase's job."""
    lines = data.decode("utf-8").split("\n")
    out = []
    for line in lines[1:]:
        m = ROW_RE.match(line)
        if m:
            out.append((datetime.date.fromisoformat(m.group(1)),
                        m.group(2)))
    return out


def of_year(rows, year):
    return [(d.isoformat(), n) for d, n in rows if d.year == year]


class FormCase(unittest.TestCase):
    """The file is what the plugin's reader and an admin's editor expect."""

    def setUp(self):
        self.assertTrue(os.path.isfile(CSV), "%s missing" % CSV)
        self.data = read_bytes()

    def test_utf8_no_bom(self):
        self.assertFalse(self.data.startswith(b"\xef\xbb\xbf"),
                         "must not start with a BOM")
        try:
            self.data.decode("utf-8")
        except UnicodeDecodeError as e:
            self.fail("not UTF-8: %s" % e)

    def test_line_ends(self):
        self.assertNotIn(b"\r", self.data, "LF line ends only")
        self.assertTrue(self.data.endswith(b"\n"),
                        "last line needs its newline")
        self.assertFalse(self.data.endswith(b"\n\n"), "blank line at end")

    def test_header(self):
        first = self.data.decode("utf-8").split("\n", 1)[0]
        self.assertEqual(first, HEADER)

    def test_rows(self):
        lines = self.data.decode("utf-8").split("\n")[1:-1]
        self.assertTrue(lines, "no rows")
        for i, line in enumerate(lines, start=2):
            with self.subTest(line=i):
                m = ROW_RE.match(line)
                self.assertIsNotNone(m, "not 'YYYY-MM-DD,名称': %r" % line)
                try:
                    datetime.date.fromisoformat(m.group(1))
                except ValueError:
                    self.fail("no such date: %r" % m.group(1))
                self.assertEqual(m.group(2), m.group(2).strip(),
                                 "blank around the name")
                self.assertIn(m.group(2), ALL_NAMES, "unknown name")

    def test_sorted_and_unique(self):
        dates = [d for d, _ in parse(self.data)]
        self.assertEqual(len(dates), len(set(dates)), "a date twice")
        self.assertEqual(dates, sorted(dates), "not sorted by date")


class CoverageCase(unittest.TestCase):
    """Every year 2024-2035 is in the file, and only those."""

    def setUp(self):
        self.rows = parse(read_bytes())

    def test_years(self):
        years = {d.year for d, _ in self.rows}
        self.assertEqual(years, set(range(FIRST_YEAR, LAST_YEAR + 1)))

    def test_every_holiday_every_year(self):
        for year in range(FIRST_YEAR, LAST_YEAR + 1):
            with self.subTest(year=year):
                names = [n for d, n in self.rows if d.year == year]
                for name in sorted(NAMES):
                    self.assertEqual(names.count(name), 1,
                                     "%s %d times" % (name, names.count(name)))

    def test_no_taiiku_no_hi(self):
        # 体育の日 became スポーツの日 in 2020.
        for d, n in self.rows:
            self.assertNotIn("体育の日", n, d.isoformat())

    def test_substitutes_and_sandwiches(self):
        """Every 振替休日 follows a run of holidays that starts on a
        Sunday; every 国民の休日 lies between two 国民の祝日 proper;
        nothing that should be a 休日 is missing."""
        days = dict(self.rows)
        one = datetime.timedelta(days=1)
        for d, n in self.rows:
            with self.subTest(date=d.isoformat(), name=n):
                if n == SUBSTITUTE:
                    self.assertNotEqual(d.weekday(), 6, "on a Sunday")
                    p = d - one
                    while days.get(p) in NAMES and p.weekday() != 6:
                        p -= one
                    self.assertIn(days.get(p), NAMES,
                                  "no holiday on the Sunday before")
                    self.assertEqual(p.weekday(), 6,
                                     "no holiday on the Sunday before")
                elif n == CITIZENS:
                    self.assertIn(days.get(d - one), NAMES)
                    self.assertIn(days.get(d + one), NAMES)
                if n in NAMES and d.weekday() == 6:
                    s = d + one
                    while days.get(s) in NAMES:
                        s += one
                    if s.year <= LAST_YEAR:
                        self.assertEqual(days.get(s), SUBSTITUTE,
                                         "no 振替休日 on %s" % s)


class KnownYearsCase(unittest.TestCase):
    """Hand-checked lists."""

    def setUp(self):
        self.rows = parse(read_bytes())

    def check_hand_list(self, expected):
        for iso, wd, name in expected:
            d = datetime.date.fromisoformat(iso)
            self.assertEqual(WEEKDAYS[d.weekday()], wd,
                             "the hand list has %s as %s" % (iso, wd))
            self.assertIn(name, ALL_NAMES)

    def test_hand_lists_weekdays(self):
        self.check_hand_list(EXPECTED_2025)
        self.check_hand_list(EXPECTED_2026)

    def test_2025(self):
        self.assertEqual(of_year(self.rows, 2025),
                         [(iso, n) for iso, _, n in EXPECTED_2025])

    def test_2025_substitutes(self):
        got = dict(of_year(self.rows, 2025))
        for iso in ("2025-02-24", "2025-05-06", "2025-11-24"):
            self.assertEqual(got.get(iso), SUBSTITUTE, iso)
        self.assertEqual(got.get("2025-03-20"), "春分の日")
        self.assertEqual(got.get("2025-09-23"), "秋分の日")

    def test_2026(self):
        got = of_year(self.rows, 2026)
        self.assertEqual(len(got), EXPECTED_2026_COUNT)
        self.assertEqual(got, [(iso, n) for iso, _, n in EXPECTED_2026])

    def test_2026_citizens_holiday(self):
        got = dict(of_year(self.rows, 2026))
        self.assertEqual(got.get("2026-09-21"), "敬老の日")
        self.assertEqual(got.get("2026-09-22"), CITIZENS)
        self.assertEqual(got.get("2026-09-23"), "秋分の日")

    def test_2027_equinoxes(self):
        got = dict(of_year(self.rows, 2027))
        for iso, name in sorted(EQUINOXES_2027.items()):
            self.assertEqual(got.get(iso), name, iso)
        self.assertEqual([n for n in got.values() if n == "春分の日"],
                         ["春分の日"])
        self.assertEqual([n for n in got.values() if n == "秋分の日"],
                         ["秋分の日"])


class DriftCase(unittest.TestCase):
    """The shipped file is exactly what the generator makes, so a hand
    edit or a changed rule shows here (an admin who replaces the file by
    the Cabinet Office's list should update the generator or this test)."""

    def test_generator_reproduces_file(self):
        self.assertTrue(os.path.isfile(GENERATOR), "%s missing" % GENERATOR)
        p = subprocess.run([sys.executable, GENERATOR, str(FIRST_YEAR),
                            str(LAST_YEAR)],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.assertEqual(p.returncode, 0, p.stderr.decode())
        self.assertEqual(p.stdout, read_bytes(),
                         "regenerate: python3 scripts/gen-holidays-jp.py "
                         "%d %d > plugin-manifests/calendar/holidays-jp.csv"
                         % (FIRST_YEAR, LAST_YEAR))


if __name__ == "__main__":
    # The summary line scripts/test reads, after unittest's own report.
    prog = unittest.main(exit=False)
    res = prog.result
    bad = len(res.failures) + len(res.errors)
    print("test_holidays: %d passed, %d failed" % (res.testsRun - bad, bad))
    sys.exit(1 if bad else 0)
