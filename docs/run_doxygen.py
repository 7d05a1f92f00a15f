#!/usr/bin/env python3
"""Run doxygen on the configured Doxyfile, write a depfile naming every public
header (so a new or changed header rebuilds the reference), print doxygen's
warnings, and fail on any when --werror is given.

usage: run_doxygen.py DOXYGEN DOXYFILE OUTDIR DEPFILE SRCDIR [--werror]
"""
import glob
import os
import shutil
import subprocess
import sys


def main():
    doxygen, doxyfile, outdir, depfile, srcdir = sys.argv[1:6]
    werror = "--werror" in sys.argv[6:]
    html = os.path.join(outdir, "html")
    log = os.path.join(outdir, "doxygen-warnings.log")
    shutil.rmtree(html, ignore_errors=True)
    if os.path.exists(log):
        os.unlink(log)
    rc = subprocess.run([doxygen, doxyfile]).returncode
    warnings = open(log, encoding="utf-8", errors="replace").read().strip() if os.path.exists(log) else ""
    if warnings:
        print(warnings, file=sys.stderr)
    if rc != 0:
        print(f"doxygen failed ({rc})", file=sys.stderr)
        return 1
    if warnings and werror:
        print(f"doxygen: warnings in the API reference (see above; {log}); "
              "fix the header comments or build without --werror", file=sys.stderr)
        return 1
    deps = [os.path.join(srcdir, "include", "bianzhi.h"), os.path.join(srcdir, "docs", "api.md")]
    deps += sorted(glob.glob(os.path.join(srcdir, "include", "bianzhi", "*.h")))
    with open(depfile, "w", encoding="utf-8") as f:
        f.write(html.replace(" ", "\\ ") + ": " + " ".join(d.replace(" ", "\\ ") for d in deps) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
