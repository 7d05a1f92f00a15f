#!/usr/bin/env python3
"""Run javadoc over the binding's sources (the given files plus every *.java
generated into each --gen) into a fresh --out directory. The compiled jar is on
the class path so that references resolve. Used by bindings/java/dist.

usage: javadoc.py --javadoc J --out DIR --cp JAR [--gen DIR]... SOURCES...
"""
import argparse
import glob
import os
import shutil
import subprocess
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--javadoc", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--cp", required=True)
    ap.add_argument("--gen", action="append", default=[])
    ap.add_argument("--title", default="libbianzhi Java API")
    ap.add_argument("sources", nargs="*")
    a = ap.parse_args()
    srcs = list(a.sources)
    for gen in a.gen:
        srcs += sorted(glob.glob(os.path.join(gen, "*.java")))
    shutil.rmtree(a.out, ignore_errors=True)
    cmd = [a.javadoc, "-quiet", "-encoding", "UTF-8", "-docencoding", "UTF-8", "-charset", "UTF-8",
           "--release", "17", "-Xdoclint:all,-missing", "-notimestamp",
           "-doctitle", a.title, "-windowtitle", a.title, "-cp", a.cp, "-d", a.out]
    return subprocess.run(cmd + srcs).returncode


if __name__ == "__main__":
    sys.exit(main())
