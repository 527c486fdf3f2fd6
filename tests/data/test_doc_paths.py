#!/usr/bin/env python3
"""README.md and docs/ name only files that are in the repository.

Every `path/with/a/slash` in backquotes whose first part is a top-level
entry of the repository (docs/, scripts/, deploy/, ...) or that climbs
out of it (../) must name a file or directory that git tracks (or that
the build makes: fcgi/core/vr_paths.h, run/...).  Standard library only:
    python3 tests/data/test_doc_paths.py -v
"""

import os
import re
import subprocess
import unittest

ROOT = os.path.normpath(
    os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
# Made by the build or at run time, never tracked.
MADE = ("run/", "fcgi/core/vr_paths.h", "fcgi/vendor-review", "build-asan/",
        "fuzz/build/", "fuzz/scratch/", "tests/browser/node_modules/")


def tracked():
    try:
        out = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True,
                             text=True, check=True).stdout.split("\n")
    except (OSError, subprocess.CalledProcessError):
        out = []
    files = {f for f in out if f}
    dirs = {os.path.dirname(f) for f in files}
    while "" in dirs:
        dirs.discard("")
    for d in list(dirs):
        while d:
            dirs.add(d)
            d = os.path.dirname(d)
    return files, dirs


class DocPaths(unittest.TestCase):
    def test_named_files_exist(self):
        files, dirs = tracked()
        if "README.md" not in files:
            # A release tarball (make distcheck) is no checkout: what the
            # README names is the repository's.
            self.skipTest("not a git checkout")
        top = {f.split("/")[0] for f in files}
        docs = ["README.md"] + sorted(f for f in files if f.startswith("docs/"))
        missing = []
        for doc in docs:
            with open(os.path.join(ROOT, doc), encoding="utf-8") as fh:
                text = fh.read()
            for m in re.finditer(r"`(\.\./[^`\s]+|[A-Za-z0-9_.-]+/[A-Za-z0-9_./{}*-]*)`", text):
                p = m.group(1).split("#")[0].rstrip("/")
                if p.startswith("../"):
                    missing.append("%s: %s (outside the repository)" % (doc, p))
                    continue
                if p.split("/")[0] not in top or any(c in p for c in "{}*"):
                    continue
                if p in files or p in dirs or any(p.startswith(x.rstrip("/")) for x in MADE):
                    continue
                missing.append("%s: %s" % (doc, p))
        self.assertEqual(missing, [], "named but not in the repository")


if __name__ == "__main__":
    unittest.main()
