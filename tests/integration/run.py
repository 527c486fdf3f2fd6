#!/usr/bin/python3
"""vendor-review integration suite: real nginx -> FastCGI plugin -> MariaDB.

    /usr/bin/python3 tests/integration/run.py \\
        --base http://127.0.0.1:8090/vendor-review/api \\
        --noauth-base http://127.0.0.1:8091/vendor-review/api \\
        --mysql "mariadb -S /path/sock -u root intranet" \\
        [--binary fcgi/vendor-review --config run/test/vendor-review.conf] \\
        [--quick] [--only SUBSTRING] [--list]

One line per test, "ok NAME" or "FAIL NAME: reason"; the last line is
"integration: N passed, N failed"; exit status 1 when anything failed.
--quick runs a representative subset (under 60 requests, for valgrind).
Standard library only.
"""

import argparse
import os
import sys
import time
import traceback

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from vrlib import REG, REPO, Failure, Http, Db  # noqa: E402
import cases_vendors  # noqa: E402,F401
import cases_lists  # noqa: E402,F401
import cases_events  # noqa: E402
import cases_templates  # noqa: E402,F401
import cases_assessments  # noqa: E402,F401
import cases_audits  # noqa: E402,F401
import cases_subcontracts  # noqa: E402,F401
import cases_incidents  # noqa: E402,F401
import cases_stats  # noqa: E402,F401
import cases_sheet_import  # noqa: E402,F401
import cases_register_file  # noqa: E402,F401
import cases_register  # noqa: E402,F401
import cases_record  # noqa: E402,F401
import cases_errors  # noqa: E402,F401


class Ctx:
    pass


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base", required=True)
    ap.add_argument("--noauth-base", required=True)
    ap.add_argument("--mysql", required=True)
    ap.add_argument("--binary", default=None)
    ap.add_argument("--config", default=None)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--only", default=None, help="run tests whose name contains this")
    ap.add_argument("--list", action="store_true", help="list the tests and exit")
    a = ap.parse_args()

    cases_events.register_corpus(a.quick)

    # Defaults for the tools: the normal build and the test instance's
    # config, when they exist (scripts/test passes neither).
    binary = a.binary or os.path.join(REPO, "fcgi", "vendor-review")
    config = a.config or os.path.join(REPO, "run", "test", "vendor-review.conf")
    if not os.path.isabs(binary):
        binary = os.path.abspath(binary)
    if not os.path.isabs(config):
        config = os.path.abspath(config)

    tests = [(n, f) for n, f, qk in REG.tests if (qk or not a.quick) and (a.only is None or a.only in n)]
    if a.list:
        for n, _ in tests:
            print(n)
        return 0

    ctx = Ctx()
    ctx.h = Http(a.base, a.noauth_base)
    ctx.db = Db(a.mysql)
    ctx.quick = a.quick
    ctx.binary = binary
    ctx.config = config

    passed = failed = 0
    t0 = time.time()
    names = set()
    for name, fn in tests:
        assert name not in names, "duplicate test name " + name
        names.add(name)
        try:
            fn(ctx)
        except Failure as e:
            failed += 1
            print("FAIL %s: %s" % (name, " ".join(str(e).split())[:600]), flush=True)
            continue
        except Exception as e:  # a bug in the test or an unexpected answer
            failed += 1
            tb = traceback.extract_tb(e.__traceback__)[-1]
            print("FAIL %s: %s: %s (%s:%d)" % (name, type(e).__name__, " ".join(str(e).split())[:400],
                                               os.path.basename(tb.filename), tb.lineno), flush=True)
            continue
        passed += 1
        print("ok %s" % name, flush=True)

    # Last: no 5xx anywhere in the run.
    if a.only is None:
        fives = [(m, u, s) for m, u, s in ctx.h.seen if s >= 500]
        if fives:
            failed += 1
            print("FAIL no_5xx_seen: %d responses were 5xx, e.g. %s" % (
                len(fives), "; ".join("%s %s -> %d" % x for x in fives[:5])), flush=True)
        elif not ctx.h.seen:
            failed += 1
            print("FAIL no_5xx_seen: no responses at all", flush=True)
        else:
            passed += 1
            print("ok no_5xx_seen", flush=True)

    sys.stderr.flush()
    print("# %d requests in %.1fs" % (ctx.h.count, time.time() - t0), flush=True)
    print("integration: %d passed, %d failed" % (passed, failed), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
