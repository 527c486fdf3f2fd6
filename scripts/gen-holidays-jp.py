#!/usr/bin/env python3
"""Japanese national holidays, as data for plugin-manifests/calendar/.

    python3 scripts/gen-holidays-jp.py 2024 2035 \\
        > plugin-manifests/calendar/holidays-jp.csv

Writes CSV to standard output: a header line "date,name", then one line
"YYYY-MM-DD,名称" per holiday from the first to the last year given
(inclusive), sorted by date; UTF-8 without BOM, LF line ends.  The plugin
reads that file to move a deadline (e.g. the final leak report at day
30/60) to the next day that is not a Saturday, Sunday, national holiday
or 29 Dec-3 Jan; the year-end days are the plugin's own rule and are not
in this file.

The days are COMPUTED here from the rules of 国民の祝日に関する法律 (the
National Holidays Act, 昭和23年法律第178号) as in force since 2020, so
the years 2022-2099 are accepted (2020 and 2021 had one-off moves for the
Tokyo Olympics; 2019 had the enthronement days; none is modelled):

  - fixed days: 元日 1/1, 建国記念の日 2/11, 天皇誕生日 2/23, 昭和の日 4/29,
    憲法記念日 5/3, みどりの日 5/4, こどもの日 5/5, 山の日 8/11,
    文化の日 11/3, 勤労感謝の日 11/23;
  - Happy Monday: 成人の日 2nd Monday of January, 海の日 3rd Monday of
    July, 敬老の日 3rd Monday of September, スポーツの日 2nd Monday of
    October;
  - 春分の日 and 秋分の日 by the usual approximation, valid 1980-2099:
      春分 = floor(20.8431 + 0.242194*(y-1980) - floor((y-1980)/4)) March
      秋分 = floor(23.2488 + 0.242194*(y-1980) - floor((y-1980)/4)) September
    (evaluated in exact integer arithmetic, not floating point);
  - 振替休日 (Art. 3(2)): when a 国民の祝日 falls on a Sunday, the nearest
    following day that is not a 国民の祝日 is a holiday;
  - 国民の休日 (Art. 3(3)): a day that is not a 国民の祝日 but whose
    previous and next days both are (e.g. 2026-09-22).

CAUTION: the equinox days are not fixed by the Act ("春分日", "秋分日"):
they are officially set each February for the following year, when the
National Astronomical Observatory of Japan (国立天文台) publishes the
暦要項 in the official gazette; the formula above only predicts them.  The
Act itself can also be amended (days added or moved, as in 2019-2021).
When in doubt, an admin should compare the generated file with, or simply
replace it by, the Cabinet Office's published list (内閣府「国民の祝日
について」, syukujitsu.csv: https://www8.cao.go.jp/chosei/shukujitsu/
gaiyou.html).  That file is Shift_JIS and names every substitute or
sandwiched day "休日"; convert it to UTF-8, the header "date,name" and
YYYY-MM-DD dates before putting it here.

Python 3 standard library only.
"""

import datetime
import sys

FIRST_YEAR = 2022   # the Act as in force, without the Olympic moves
LAST_YEAR = 2099    # the equinox approximation's range

FIXED = (
    (1, 1, "元日"),
    (2, 11, "建国記念の日"),
    (2, 23, "天皇誕生日"),
    (4, 29, "昭和の日"),
    (5, 3, "憲法記念日"),
    (5, 4, "みどりの日"),
    (5, 5, "こどもの日"),
    (8, 11, "山の日"),
    (11, 3, "文化の日"),
    (11, 23, "勤労感謝の日"),
)

# (month, which Monday, name)
HAPPY_MONDAY = (
    (1, 2, "成人の日"),
    (7, 3, "海の日"),
    (9, 3, "敬老の日"),
    (10, 2, "スポーツの日"),
)

SUBSTITUTE = "振替休日"
CITIZENS = "国民の休日"

ONE_DAY = datetime.timedelta(days=1)
SUNDAY = 6  # date.weekday()


def nth_monday(year, month, n):
    first = datetime.date(year, month, 1)
    offset = (0 - first.weekday()) % 7  # days to the first Monday
    return first + datetime.timedelta(days=offset + 7 * (n - 1))


def equinox_day(year, base_millionths):
    """floor(base + 0.242194*(y-1980) - floor((y-1980)/4)), with base
    given in millionths, computed exactly."""
    d = year - 1980
    return (base_millionths + 242194 * d - 1000000 * (d // 4)) // 1000000


def vernal_equinox(year):
    return datetime.date(year, 3, equinox_day(year, 20843100))


def autumnal_equinox(year):
    return datetime.date(year, 9, equinox_day(year, 23248800))


def national_holidays(year):
    """{date: name} of the 国民の祝日 proper (Art. 2) of one year."""
    days = {}
    for month, day, name in FIXED:
        days[datetime.date(year, month, day)] = name
    for month, n, name in HAPPY_MONDAY:
        days[nth_monday(year, month, n)] = name
    days[vernal_equinox(year)] = "春分の日"
    days[autumnal_equinox(year)] = "秋分の日"
    return days


def holidays(first, last):
    """{date: name} of all 休日 (祝日, 振替休日, 国民の休日) from 1 Jan of
    first to 31 Dec of last."""
    # One year either side, so that the rules that look at neighbouring
    # days see them (a substitute after 31 Dec, a sandwich across it).
    shukujitsu = {}
    for y in range(first - 1, last + 2):
        shukujitsu.update(national_holidays(y))
    out = dict(shukujitsu)
    for day in sorted(shukujitsu):
        if day.weekday() == SUNDAY:
            sub = day + ONE_DAY
            while sub in shukujitsu:
                sub += ONE_DAY
            out.setdefault(sub, SUBSTITUTE)
    for day in sorted(shukujitsu):
        mid = day + ONE_DAY
        if (mid not in shukujitsu and mid + ONE_DAY in shukujitsu
                and mid not in out):
            out[mid] = CITIZENS
    return {d: n for d, n in out.items() if first <= d.year <= last}


def csv_text(first, last):
    lines = ["date,name"]
    for day, name in sorted(holidays(first, last).items()):
        lines.append("%s,%s" % (day.isoformat(), name))
    return "\n".join(lines) + "\n"


def main(argv):
    if len(argv) != 3:
        sys.stderr.write("usage: %s FIRST_YEAR LAST_YEAR\n" % argv[0])
        return 2
    try:
        first, last = int(argv[1]), int(argv[2])
    except ValueError:
        sys.stderr.write("%s: years must be integers\n" % argv[0])
        return 2
    if not FIRST_YEAR <= first <= last <= LAST_YEAR:
        sys.stderr.write("%s: need %d <= FIRST_YEAR <= LAST_YEAR <= %d\n"
                         % (argv[0], FIRST_YEAR, LAST_YEAR))
        return 2
    sys.stdout.buffer.write(csv_text(first, last).encode("utf-8"))
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
