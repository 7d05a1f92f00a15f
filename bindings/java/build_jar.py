#!/usr/bin/env python3
"""Compile Java sources (the given files plus every *.java SWIG wrote into
--gen) and pack the classes into a jar. Used by bindings/java/meson.build,
because the set of files SWIG generates is not known to meson in advance.

usage: build_jar.py --javac J --jar J --out X.jar --classes DIR [--gen DIR]... [--cp CP] SOURCES...
"""
import argparse
import glob
import os
import shutil
import subprocess
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--javac", required=True)
    ap.add_argument("--jar", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--classes", required=True)
    ap.add_argument("--gen", action="append", default=[])
    ap.add_argument("--cp", default="")
    ap.add_argument("sources", nargs="*")
    a = ap.parse_args()
    srcs = list(a.sources)
    # a later --gen directory wins over an earlier one for the same file name
    # (a stale SWIG capiConstants.java of an older build is replaced by the
    # generated one)
    gen = {}
    for g in a.gen:
        for f in sorted(glob.glob(os.path.join(g, "*.java"))):
            gen[os.path.basename(f)] = f
    srcs += sorted(gen.values())
    shutil.rmtree(a.classes, ignore_errors=True)
    os.makedirs(a.classes)
    cmd = [a.javac, "-encoding", "UTF-8", "-Xlint:all", "-Werror", "--release", "17", "-d", a.classes]
    if a.cp:
        cmd += ["-cp", a.cp]
    subprocess.run(cmd + srcs, check=True)
    subprocess.run([a.jar, "cf", a.out, "-C", a.classes, "."], check=True)


if __name__ == "__main__":
    sys.exit(main())
