#!/usr/bin/env python3
"""Write the dpkg symbols file of libbianzhi1 from the linker version script.

src/bianzhi.map is the one list of exported functions, by version node, and a
released node is never edited; so each node BIANZHI_X.Y gives its symbols the
package version X.Y.0 that first shipped them. debian/rules runs this before
dh_makeshlibs, which then runs dpkg-gensymbols -c4: the build fails if the
built library exports anything else, or lacks anything listed.

usage: gen-symbols.py src/bianzhi.map > debian/libbianzhi1.symbols
"""
import re
import sys


def main():
    text = open(sys.argv[1], encoding="utf-8").read()
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)  # comments
    text = re.sub(r"#[^\n]*", "", text)
    out = ["libbianzhi.so.1 libbianzhi1 #MINVER#", "* Build-Depends-Package: libbianzhi-dev"]
    nodes = re.findall(r"(BIANZHI_(\d+)\.(\d+))\s*\{(.*?)\}", text, flags=re.S)
    if not nodes:
        sys.exit("gen-symbols.py: no BIANZHI_X.Y node in " + sys.argv[1])
    entries = []
    for node, major, minor, body in nodes:
        version = f"{major}.{minor}.0"
        entries.append(f" {node}@{node} {version}")
        body = re.sub(r"\b(global|local)\s*:", "", body)
        for sym in (s.strip() for s in body.split(";")):
            if sym and sym != "*":
                entries.append(f" {sym}@{node} {version}")
    out += sorted(entries)  # dpkg-gensymbols lists every entry in one sorted order
    print("\n".join(out))


if __name__ == "__main__":
    main()
