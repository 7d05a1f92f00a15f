#!/usr/bin/env python3
"""Run the README's Java snippet as written, on a fresh, empty ledger, in a
temporary directory: the block is wrapped in a main method (its imports
hoisted) and run with the JDK's single-file source launcher.

usage: readme_test.py README JAVA JAR LIBDIR
"""
import re
import subprocess
import sys
import tempfile


def main():
    readme, java, jar, libdir = sys.argv[1:5]
    text = open(readme, encoding="utf-8").read()
    section = text[text.index("\n## Java\n"):]
    block = re.search(r"```java\n(.*?)```", section, re.S).group(1)
    imports = [ln for ln in block.splitlines() if ln.startswith("import ")]
    body = [ln for ln in block.splitlines() if not ln.startswith("import ")]
    src = "\n".join(imports + ["public class Readme {", "public static void main(String[] args) {"]
                    + body + ["}", "}"]) + "\n"
    with tempfile.TemporaryDirectory() as d:
        with open(d + "/Readme.java", "w", encoding="utf-8") as f:
            f.write(src)
        r = subprocess.run([java, "-Djava.library.path=" + libdir, "-cp", jar, "Readme.java"],
                           cwd=d, capture_output=True, text=True, timeout=120)
    sys.stdout.write(r.stdout)
    sys.stderr.write(r.stderr)
    if r.returncode != 0:
        return 1
    if "武都区教育局 2012-03-01" not in r.stdout:
        print("readme: the unit was not listed", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
